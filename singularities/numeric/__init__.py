"""Numeric checks of the exact predictions: the only place for numpy arrays and compiled C.

Everything here is a measurement with a stated precision (an interval, a
standard error, the number of samples, the seed and the backend); the exact
side of the package never imports it.  Guides: docs/numeric.md (kernels and
samplers), docs/verify.md (estimators with intervals and ``verify``),
docs/dos_curve.md (the DOS of a lattice dispersion).
"""

from .ckernel import compile_kernel, kernel
from .codegen import FlopCount, Program, straight_line
from .dos_curve import DOSCurve, dos_curve
from .fit import DOSFit, MultiplicityTest, NumericEstimate, ScalingFit, fit_dos, fit_scaling, multiplicity_test
from .llc import LLCEstimate, llc
from .multiscale import VolumeCurve, newton_weights, volume_curve
from .posterior import ChainDiagnostics, LearningCoefficient, beta_scan, learning_coefficient
from .sampling import Samples, histogram_samples, log_thresholds, volume_samples
from .torch_adaptor import llc_torch
from .verify import Check, Verification, verify

__all__ = [
    # Kernels: sympy -> straight-line C or numpy, compiled once and cached
    "FlopCount",
    "Program",
    "straight_line",
    "compile_kernel",
    "kernel",
    # Samplers: seeded counts of |g| < t in a box
    "Samples",
    "histogram_samples",
    "log_thresholds",
    "volume_samples",
    # The volume V(t) over many scales, and fits of lambda, m and the DOS term with intervals
    "VolumeCurve",
    "volume_curve",
    "newton_weights",
    "NumericEstimate",
    "ScalingFit",
    "DOSFit",
    "MultiplicityTest",
    "fit_scaling",
    "fit_dos",
    "multiplicity_test",
    # The tempered posterior: the local learning coefficient
    "ChainDiagnostics",
    "LearningCoefficient",
    "learning_coefficient",
    "beta_scan",
    "LLCEstimate",
    "llc",
    "llc_torch",
    # The DOS rho(E) of a lattice dispersion
    "DOSCurve",
    "dos_curve",
    # Every exact prediction checked against one sampling run
    "Check",
    "Verification",
    "verify",
]
