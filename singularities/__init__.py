"""singularities: exact singularity analysis of energy functions.

Newton polyhedra, real non-degeneracy and real log canonical thresholds,
exact where they can be and honest where they cannot.  The mathematical
conventions are stated once, in docs/conventions.md.

Examples
--------
>>> import singularities as sg
>>> sg.rlct("x**2*y**2")
RLCT(threshold=1/2, multiplicity=2, status=<Status.PROVEN: 'proven'>, method='newton')
"""

from ._version import __version__
from .energy import Energy
from .errors import (
    InexactInputWarning,
    InputError,
    MethodNotApplicableError,
    NotCriticalError,
    NotZeroError,
    NumericError,
    NumericMismatchWarning,
    SingularitiesError,
    SingularitiesWarning,
    TimeLimitError,
)
from .newton import Face, Facet, NewtonPolyhedron, newton_polyhedron
from .nondegeneracy import Answer, FaceCheck, Nondegeneracy, check_face, nondegeneracy
from .ideals import face_parts, ideal_newton_polyhedron, ideal_nondegeneracy, sum_of_squares
from .blowup import Chart, RecheckError, ResolutionCertificate, recheck, resolve
from .rlct import RLCT, NewtonCertificate, PrincipalPartCertificate, Status, rlct
from .critical import CriticalComponent, CriticalPoint, CriticalSet, critical_point, critical_points
from .splitting import Splitting, milnor_number, splitting
from .normal_forms import NormalForm, normal_form, normal_forms, simple_normal_forms
from .classify import Classification, Classifications, PrincipalPart, classify, classify_critical_points
from .adjacency import Adjacency, adjacency, adjacency_graph, deforms_into
from .dos import DOSAsymptotic, DOSTable, dos_asymptotics, dos_table
from .torus import (
    ConicalPoint,
    TorusComponent,
    TorusCriticalSet,
    TorusPoint,
    gradient_index,
    poincare_hopf_index,
    torus_critical_points,
)
from .tune import Degeneration, Tuning, tune
from .models import RegressionLoss, reduced_rank_regression_loss, regression_loss, two_layer_network_loss
from .global_rlct import GlobalRLCT, LocalRLCT, global_rlct
from .catalogue import Catalogue, CatalogueEntry, catalogue
from .paper_tables import PaperTable, load_spec, paper_table, render_table

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
