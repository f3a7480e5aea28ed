"""singularities: exact singularity analysis of energy functions.

Newton polyhedra, real non-degeneracy and real log canonical thresholds,
exact where they can be and honest where they cannot.  The mathematical
conventions are stated once, in docs/conventions.md.  The names below are
imported on first use (PEP 562), so that ``import singularities`` and
``singularities --version`` load neither sympy nor the engine.

Examples
--------
>>> import singularities as sg
>>> sg.rlct("x**2*y**2")
RLCT(threshold=1/2, multiplicity=2, status=<Status.PROVEN: 'proven'>, method='newton')
"""

import importlib
import importlib.util
import sys
import types

from ._version import __version__

_EXPORTS = {
    "energy": ["Energy"],
    "errors": [
        "InexactInputWarning", "InputError", "MethodNotApplicableError", "NotCriticalError", "NotZeroError",
        "MemoryLimitError", "NumericError", "NumericMismatchWarning", "SingularitiesError", "SingularitiesWarning",
        "TimeLimitError",
    "MemoryLimitError",
    "Truncation",
    "taylor_jet",
    ],
    "jets": ["Truncation", "taylor_jet"],
    "newton": ["Face", "Facet", "NewtonPolyhedron", "newton_polyhedron"],
    "nondegeneracy": ["Answer", "FaceCheck", "Nondegeneracy", "check_face", "nondegeneracy"],
    "ideals": ["face_parts", "ideal_newton_polyhedron", "ideal_nondegeneracy", "sum_of_squares"],
    "blowup": ["Chart", "RecheckError", "ResolutionCertificate", "recheck", "resolve"],
    "rlct": ["RLCT", "NewtonCertificate", "PrincipalPartCertificate", "Status", "rlct"],
    "critical": ["CriticalComponent", "CriticalPoint", "CriticalSet", "critical_point", "critical_points"],
    "splitting": ["Splitting", "milnor_number", "splitting"],
    "normal_forms": ["NormalForm", "normal_form", "normal_forms", "simple_normal_forms"],
    "classify": ["Classification", "Classifications", "PrincipalPart", "classify", "classify_critical_points"],
    "adjacency": ["Adjacency", "adjacency", "adjacency_graph", "deforms_into"],
    "dos": ["DOSAsymptotic", "DOSTable", "dos_asymptotics", "dos_table"],
    "torus": [
        "ConicalPoint", "TorusComponent", "TorusCriticalSet", "TorusPoint", "gradient_index",
        "poincare_hopf_index", "torus_critical_points",
    ],
    "tune": ["Degeneration", "Tuning", "tune"],
    "models": ["RegressionLoss", "reduced_rank_regression_loss", "regression_loss", "two_layer_network_loss"],
    "global_rlct": ["GlobalRLCT", "LocalRLCT", "global_rlct"],
    "catalogue": ["Catalogue", "CatalogueEntry", "catalogue"],
    "paper_tables": ["PaperTable", "load_spec", "paper_table", "render_table"],
}
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}  # public name -> its module

__all__ = [
    "Catalogue",
    "CatalogueEntry",
    "catalogue",
    "PaperTable",
    "load_spec",
    "paper_table",
    "render_table",
    "face_parts",
    "ideal_newton_polyhedron",
    "ideal_nondegeneracy",
    "sum_of_squares",
    "Chart",
    "RecheckError",
    "ResolutionCertificate",
    "recheck",
    "resolve",
    "PrincipalPartCertificate",
    "RegressionLoss",
    "regression_loss",
    "reduced_rank_regression_loss",
    "two_layer_network_loss",
    "GlobalRLCT",
    "LocalRLCT",
    "global_rlct",
    "torus_critical_points",
    "TorusCriticalSet",
    "TorusPoint",
    "TorusComponent",
    "ConicalPoint",
    "poincare_hopf_index",
    "gradient_index",
    "tune",
    "Tuning",
    "Degeneration",
    "DOSAsymptotic",
    "DOSTable",
    "dos_table",
    "PrincipalPart",
    "dos_asymptotics",
    "__version__",
    "Energy",
    "newton_polyhedron",
    "NewtonPolyhedron",
    "Face",
    "Facet",
    "nondegeneracy",
    "check_face",
    "Nondegeneracy",
    "FaceCheck",
    "Answer",
    "rlct",
    "RLCT",
    "NewtonCertificate",
    "Status",
    "critical_points",
    "critical_point",
    "CriticalSet",
    "CriticalPoint",
    "CriticalComponent",
    "splitting",
    "Splitting",
    "milnor_number",
    "normal_form",
    "normal_forms",
    "simple_normal_forms",
    "NormalForm",
    "classify",
    "Classification",
    "Classifications",
    "classify_critical_points",
    "adjacency",
    "adjacency_graph",
    "deforms_into",
    "Adjacency",
    "SingularitiesError",
    "InputError",
    "NotZeroError",
    "NotCriticalError",
    "TimeLimitError",
    "MethodNotApplicableError",
    "NumericError",
    "SingularitiesWarning",
    "InexactInputWarning",
    "NumericMismatchWarning",
]


def __getattr__(name):
    """Import a public name (or a submodule such as ``numeric``) on first use."""
    module = _MODULE_OF.get(name)
    if module is None:
        if importlib.util.find_spec(f"{__name__}.{name}") is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        return importlib.import_module(f".{name}", __name__)
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))


class _Package(types.ModuleType):
    """The package module: importing a submodule (``singularities.rlct``) must not hide the function ``rlct``."""

    def __setattr__(self, name, value):
        if name in _MODULE_OF and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
