"""The import rule of docs/architecture.md: modules import only from lower layers."""

import ast
import pathlib

PACKAGE = pathlib.Path(__file__).resolve().parents[1] / "singularities"

# Layer order; inside a layer, a module may import only those listed before it.
ORDER = [
    ["_version", "errors", "_exact", "_limits", "tables", "_result"],
    ["energy", "jets"],
    ["newton", "nondegeneracy"],
    ["rlct", "critical", "splitting", "normal_forms", "classify", "adjacency"],
    ["cli", "__init__", "__main__"],
]
RANK = {name: (layer, position) for layer, names in enumerate(ORDER) for position, name in enumerate(names)}
TOP = {"cli", "__init__", "__main__"}
NUMERIC_ONLY = {"numpy", "cffi", "ctypes"}


def _imports(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            yield (node.module or "").split(".")[0] or None, [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield "external:" + node.module.split(".")[0], []
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield "external:" + alias.name.split(".")[0], []


def _modules():
    return sorted(p for p in PACKAGE.glob("*.py"))


def test_every_module_has_a_layer():
    assert {p.stem for p in _modules()} <= set(RANK)


def test_imports_point_downward():
    for path in _modules():
        if path.stem in TOP:
            continue
        for target, names in _imports(path):
            if target is None:
                targets = names
            elif target.startswith("external:"):
                assert target.split(":")[1] not in NUMERIC_ONLY, f"{path.stem} imports {target}: numpy/C only in numeric/"
                continue
            else:
                targets = [target]
            for module in targets:
                assert RANK[module] < RANK[path.stem], f"{path.stem} imports {module}, which is not below it"


def test_every_module_declares_all_and_a_docstring():
    for path in _modules():
        if path.stem in {"__main__", "_version"}:
            continue
        tree = ast.parse(path.read_text())
        assert ast.get_docstring(tree), f"{path.stem} has no module docstring"
        names = {t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets if isinstance(t, ast.Name)}
        assert "__all__" in names, f"{path.stem} has no __all__"
