"""The import rule of docs/architecture.md: modules import only from lower layers."""

import ast
import pathlib

PACKAGE = pathlib.Path(__file__).resolve().parents[1] / "singularities"

# Layer order; inside a layer, a module may import only those listed before it.
ORDER = [
    ["_version", "errors", "_exact", "_limits", "tables", "_result"],
    ["energy", "jets", "models"],
    ["newton", "nondegeneracy"],
    ["critical", "splitting", "normal_forms", "classify", "ideals", "blowup", "truncation", "rlct", "adjacency"],
    ["dos", "torus", "tune", "global_rlct", "catalogue"],
    ["numeric"],
    ["paper_tables"],
    ["cli", "__init__", "__main__"],
]
# Modules of the numeric/ subpackage, in their internal order; together they form the layer "numeric".
NUMERIC_ORDER = ["_backend", "codegen", "ckernel", "sampling", "multiscale", "fit", "posterior", "dos_curve", "plot", "verify"]
RANK = {name: (layer, position) for layer, names in enumerate(ORDER) for position, name in enumerate(names)}
TOP = {"cli", "__init__", "__main__"}
NUMERIC_ONLY = {"numpy", "cffi", "ctypes"}
# The one exception: _limits calls CPython's PyThreadState_SetAsyncExc through ctypes, so that its watchdog can
# stop a computation in any thread (SIGALRM works only in the main thread); docs/architecture.md, docs/limits.md.
CTYPES_ALLOWED = {"_limits"}


def _imports(path):
    """(level, module, names) for each import; level 0 is an external package."""
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            yield node.level, (node.module or "").split(".")[0] or None, [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield 0, alias.name.split(".")[0], []


def _modules():
    return sorted(PACKAGE.glob("*.py")) + sorted((PACKAGE / "numeric").glob("*.py"))


def _in_numeric(path):
    return path.parent.name == "numeric"


def _rank(path):
    """(layer, position); numeric/ modules share the numeric layer, ordered by NUMERIC_ORDER."""
    if not _in_numeric(path):
        return RANK.get(path.stem)
    if path.stem == "__init__":
        return (RANK["numeric"][0], len(NUMERIC_ORDER))
    return (RANK["numeric"][0], NUMERIC_ORDER.index(path.stem)) if path.stem in NUMERIC_ORDER else None


def _target_ranks(path, level, module, names):
    """Ranks of the modules named by one relative import in ``path``."""
    inside = _in_numeric(path) and level == 1
    targets = names if module is None else [module]
    for target in targets:
        if inside:
            yield target, (RANK["numeric"][0], NUMERIC_ORDER.index(target))
        else:
            yield target, RANK[target]


def test_every_module_has_a_layer():
    for path in _modules():
        assert _rank(path) is not None, f"{path.name} in {path.parent.name} has no layer"


def test_imports_point_downward():
    for path in _modules():
        top = path.stem in TOP and not _in_numeric(path)
        for level, module, names in _imports(path):
            if level == 0:
                allowed = module == "ctypes" and path.stem in CTYPES_ALLOWED and not _in_numeric(path)
                assert _in_numeric(path) or top or allowed or module not in NUMERIC_ONLY, f"{path.stem} imports {module}: numpy/C only in numeric/"
                continue
            if top:
                continue
            for target, rank in _target_ranks(path, level, module, names):
                assert rank < _rank(path), f"{path.parent.name}/{path.stem} imports {target}, which is not below it"


def test_every_module_declares_all_and_a_docstring():
    for path in _modules():
        if path.stem in {"__main__", "_version"}:
            continue
        tree = ast.parse(path.read_text())
        assert ast.get_docstring(tree), f"{path.stem} has no module docstring"
        names = {t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets if isinstance(t, ast.Name)}
        assert "__all__" in names, f"{path.stem} has no __all__"
