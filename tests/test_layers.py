"""The import rules of docs/architecture.md: folders are layers, and imports point down.

A module's layer is its folder (or, for the files at the top of the package, the group it belongs
to).  A module imports only from lower layers or from its own folder; inside a folder the imports
form no cycle.  Named "never" rules state the few boundaries that matter most on their own.
"""

import ast
import pathlib

import networkx as nx

PACKAGE = pathlib.Path(__file__).resolve().parents[1] / "singularities"

# Layers from the bottom; a folder name stands for every module in it.
LAYERS = [
    ["_version", "errors", "_exact", "_limits", "tables", "_result"],  # L0 foundations
    ["algebra"],  # L1 exact real algebra
    ["energy", "domain", "jets", "models", "lattices"],  # L2 input
    ["polyhedra"],  # L3 Newton polyhedra
    ["local"],  # L4 local analysis at a point
    ["thresholds"],  # L5 RLCTs
    ["physics"],  # L6 band dispersions
    ["numeric"],  # L7 measurements
    ["reports"],  # L8 catalogue, tables, plots
    ["cli", "__init__", "__main__"],  # L9 the entry points
]
LEVEL = {unit: level for level, units in enumerate(LAYERS) for unit in units}
FOLDERS = {unit for units in LAYERS for unit in units if (PACKAGE / unit).is_dir()}
TOP = {"cli", "__init__", "__main__"}
# numpy and C belong to measurements and plots.  The one exception: _limits calls CPython's
# PyThreadState_SetAsyncExc through ctypes, so that its watchdog can stop a computation in any thread
# (SIGALRM works only in the main thread); docs/architecture.md, docs/limits.md.
NUMERIC_ONLY = {"numpy", "cffi", "ctypes"}
NUMERIC_ALLOWED = {"numeric", "reports"}
CTYPES_ALLOWED = {"_limits"}

# Named "never" rules: (importer prefix, imported prefix, why).
NEVER = [
    (
        "thresholds.recheck",
        "thresholds.blowup",
        "the re-check of a certificate must not share code with the search that made it",
    ),
    ("algebra", "energy", "exact real algebra knows no Energy"),
    ("algebra", "_result", "exact real algebra returns plain values, not results"),
    *[
        (lower, upper, "the exact side never depends on measurements or reports")
        for lower in [
            "_version",
            "errors",
            "_exact",
            "_limits",
            "tables",
            "_result",
            "algebra",
            "energy",
            "domain",
            "jets",
            "models",
            "lattices",
            "polyhedra",
            "local",
            "thresholds",
            "physics",
        ]
        for upper in ["numeric", "reports"]
    ],
    ("numeric", "reports", "measurements never import their renderers"),
]


def _modules():
    """Every module of the package as (path, dotted name inside the package)."""
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] == "__init__" and len(parts) > 1:
            parts = parts[:-1]
        yield path, ".".join(parts)


def _unit(name):
    """The layer unit of a dotted module name: its folder, or itself at the top."""
    return name.split(".")[0]


def _package_of(path):
    parts = list(path.relative_to(PACKAGE).parent.parts)
    return parts


def _imports(path):
    """(external name or None, [dotted package modules]) for each import of ``path``."""
    tree = ast.parse(path.read_text())
    package = _package_of(path)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 0:
                yield (node.module or "").split(".")[0], []
                continue
            base = package[: len(package) - (node.level - 1)]
            if node.module:
                yield None, [".".join(base + node.module.split("."))]
            else:
                yield None, [".".join(base + [alias.name]) for alias in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0], []


def _internal_edges():
    for path, name in _modules():
        for external, targets in _imports(path):
            if external is None:
                for target in targets:
                    yield path, name, target


def test_every_module_has_a_layer():
    for _path, name in _modules():
        assert _unit(name) in LEVEL, f"{name} has no layer: add it (or its folder) to LAYERS and docs/architecture.md"


def test_imports_point_down_or_stay_in_their_folder():
    for _path, name, target in _internal_edges():
        if _unit(name) in TOP:
            continue
        mine, theirs = LEVEL[_unit(name)], LEVEL[_unit(target)]
        same_folder = _unit(name) == _unit(target) and _unit(name) in FOLDERS
        assert (
            theirs < mine
            or same_folder
            or (theirs == mine and LAYERS[mine].index(_unit(target)) < LAYERS[mine].index(_unit(name)))
        ), f"{name} imports {target}, which is not below it"


def test_no_cycles_inside_a_folder():
    graph = nx.DiGraph()
    for _path, name, target in _internal_edges():
        if _unit(name) == _unit(target) and _unit(name) in FOLDERS and name != _unit(name):
            graph.add_edge(name, target)
    cycles = list(nx.simple_cycles(graph))
    assert not cycles, f"import cycles inside a folder: {cycles}"


def test_never_rules():
    for _path, name, target in _internal_edges():
        for importer, imported, why in NEVER:
            if (name == importer or name.startswith(importer + ".")) and (
                target == imported or target.startswith(imported + ".")
            ):
                raise AssertionError(f"{name} imports {target}: never ({why})")


def test_numpy_and_c_only_in_measurements():
    for path, name in _modules():
        unit = _unit(name)
        for external, _ in _imports(path):
            if external in NUMERIC_ONLY and unit not in TOP | NUMERIC_ALLOWED:
                assert external == "ctypes" and unit in CTYPES_ALLOWED, (
                    f"{name} imports {external}: numpy/C only in numeric/ and reports/"
                )


def test_every_module_declares_all_and_a_docstring():
    for path, name in _modules():
        if path.stem in {"__main__", "_version"}:
            continue
        tree = ast.parse(path.read_text())
        assert ast.get_docstring(tree), f"{name} has no module docstring"
        names = {
            t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets if isinstance(t, ast.Name)
        }
        assert "__all__" in names, f"{name} has no __all__"


def test_the_rules_see_the_package():
    """The walk finds the folders and their imports (a rule over nothing would pass for nothing)."""
    names = {name for _, name in _modules()}
    assert {"local.critical", "local.principal", "thresholds.rlct", "numeric.verify", "reports.plot"} <= names
    edges = {(name, target) for _, name, target in _internal_edges()}
    assert ("thresholds.rlct", "local.classify") in edges
    assert ("local.classify", "local.principal") in edges  # the unnamed quasi-homogeneous core, below classify
