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

# Public names by topic: the module each one lives in (imported on first use).
_EXPORTS = {
    # Input: energies, jets and losses from models
    "energy": ["Energy"],
    "jets": ["Truncation", "taylor_jet"],
    "models": [
        "RegressionLoss",
        "deep_linear_network_loss",
        "reduced_rank_regression_loss",
        "regression_loss",
        "two_layer_network_loss",
    ],
    "lattices": ["TightBinding", "read_model", "write_hr"],
    # Newton polyhedra and non-degeneracy
    "polyhedra.newton": ["Face", "Facet", "NewtonPolyhedron", "newton_polyhedron"],
    "algebra.realzeros": ["Answer"],
    "polyhedra.nondegeneracy": ["FaceCheck", "Nondegeneracy", "check_face", "nondegeneracy"],
    "polyhedra.ideals": ["face_parts", "ideal_newton_polyhedron", "ideal_nondegeneracy", "sum_of_squares"],
    # Local analysis: critical points, splitting, normal forms, classification, adjacency
    "local.critical": ["CriticalComponent", "CriticalPoint", "CriticalSet", "critical_point", "critical_points"],
    "local.splitting": ["Splitting", "milnor_number", "splitting"],
    "local.normal_forms": ["NormalForm", "normal_form", "normal_forms", "simple_normal_forms"],
    "local.classify": ["Classification", "Classifications", "PrincipalPart", "classify", "classify_critical_points"],
    "local.adjacency": ["Adjacency", "adjacency", "adjacency_graph", "deforms_into"],
    # Real log canonical thresholds
    "thresholds.rlct": ["RLCT", "rlct"],
    "thresholds.certificates": ["NewtonCertificate", "PrincipalPartCertificate", "Status", "TheoremCertificate"],
    "thresholds.resolution": ["Chart", "ResolutionCertificate"],
    "thresholds.blowup": ["resolve"],
    "thresholds.recheck": ["recheck"],
    "thresholds.boundary": ["LocalRLCT"],
    "thresholds.global_rlct": ["GlobalRLCT", "global_rlct"],
    # Band dispersions: DOS asymptotics, lattices, tuning
    "physics.dos": ["DOSAsymptotic", "DOSTable", "dos_asymptotics", "dos_table"],
    "physics.torus_points": ["ConicalPoint", "TorusComponent", "TorusCriticalSet", "TorusCrossing", "TorusPoint"],
    "physics.torus": ["gradient_index", "poincare_hopf_index", "torus_critical_points"],
    "physics.bands": [
        "BandComponent",
        "BandCriticalSet",
        "BandPoint",
        "BandSummary",
        "BandTouching",
        "CertifiedBandSet",
        "band_critical_points",
        "certified_band_points",
        "characteristic_polynomial",
    ],
    "physics.certified_torus": ["CertifiedPoint", "CertifiedTorusPoints", "certified_critical_points"],
    "physics.tune": ["Degeneration", "Tuning", "tune"],
    # Models over data: the local learning coefficient of a loss given as a Python callable or a PyTorch model
    "numeric.llc": ["LLCEstimate", "llc"],
    "numeric.torch_adaptor": ["llc_torch"],
    # Reports: catalogue, tables for papers, plots
    "reports.catalogue": ["Catalogue", "CatalogueEntry", "catalogue"],
    "reports.paper_tables": ["PaperTable", "load_spec", "paper_table", "render_table"],
    "reports.plot": ["check_plot_file", "plot_dos", "plot_phase_diagram", "plot_spectroscope"],
    "reports.diagrams": ["plot_adjacency", "plot_newton"],
    "reports.sweep": ["Sweep", "render_sweep", "sweep"],
    # Errors and warnings
    "errors": [
        "InexactInputWarning",
        "InputError",
        "MemoryLimitError",
        "MethodNotApplicableError",
        "NotCriticalError",
        "NotZeroError",
        "NumericError",
        "NumericMismatchWarning",
        "RecheckError",
        "SingularitiesError",
        "SingularitiesWarning",
        "TimeLimitError",
        "UndecidedSign",
        "UnknownMethodError",
    ],
}
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}  # public name -> its module

__all__ = ["__version__"] + [name for names in _EXPORTS.values() for name in names]


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
    """The package module: importing a submodule (``singularities.thresholds.rlct``) must not hide
    the function ``rlct``."""

    def __setattr__(self, name, value):
        if name in _MODULE_OF and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
