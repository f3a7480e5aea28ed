"""Each exact prediction beside its numeric estimate: verify(f) -> Verification, one row per quantity.

The predictions come from :func:`~singularities.rlct.rlct` (lambda, m) and, at
a critical point, from :func:`~singularities.dos.dos_asymptotics` (the DOS
exponent d - 1, C_+, C_- and C_+/C_-).  The estimates come from one
multi-scale run (:func:`.multiscale.volume_curve`) fitted by :mod:`.fit`.  A
row passes when the exact value lies in the estimate's interval at ``level``;
a row that fails issues :class:`~singularities.errors.NumericMismatchWarning`
and says ``passed: false``, never silence.  Everything is reproducible from
``seed``.  Guide: docs/verify.md.
"""

import warnings
from dataclasses import dataclass, field

import sympy

from .._exact import exact_string
from .._result import Result
from ..dos import dos_asymptotics
from ..energy import as_energy
from ..errors import NotCriticalError, NumericMismatchWarning, SingularitiesError
from ..rlct import Status, rlct
from .fit import fit_dos, fit_scaling
from .multiscale import volume_curve

__all__ = ["Check", "Verification", "verify", "verification_rows", "DEFAULT_SAMPLES"]

DEFAULT_SAMPLES = 2 * 10**8


@dataclass(frozen=True, slots=True)
class Check:
    """One quantity: the exact ``predicted`` value, the numeric ``estimate`` (a NumericEstimate or an int) and whether it passed.

    ``interval`` is the estimate's interval; ``relation`` is "=" or "<="
    (an RLCT that is only a proven bound); ``passed`` is None when there is
    no prediction to check.
    """

    quantity: str
    predicted: object
    estimate: object
    interval: tuple
    passed: object
    relation: str = "="
    note: str = ""

    @property
    def value(self):
        """The estimate as a number."""
        return getattr(self.estimate, "value", self.estimate)

    def to_dict(self):
        return {"quantity": self.quantity, "predicted": None if self.predicted is None else exact_string(self.predicted),
                "relation": self.relation, "estimate": self.value, "interval": list(self.interval),
                "passed": self.passed, "note": self.note}


@dataclass(frozen=True, slots=True)
class Verification(Result):
    """The rows of :func:`verify` with the run's ``seed``, ``n_samples``, ``backend`` and ``level``.

    ``passed`` is True when every checked row passed.
    """

    checks: tuple
    seed: int
    n_samples: int
    backend: str
    level: float
    cpu_seconds: float = field(default=0.0, repr=False, compare=False)

    @property
    def passed(self):
        """Whether every row with a prediction passed."""
        return all(c.passed is not False for c in self.checks)

    def to_rows(self):
        header = ("quantity", "predicted", "estimate", f"interval ({self.level:g})", "passed")
        rows = [(c.quantity, None if c.predicted is None else f"{c.relation} {exact_string(c.predicted)}".lstrip("= "),
                 _number(c.value), f"[{_number(c.interval[0])}, {_number(c.interval[1])}]",
                 "-" if c.passed is None else str(c.passed).lower()) for c in self.checks]
        return header, rows

    def to_dict(self):
        return {"kind": "verification", "checks": [c.to_dict() for c in self.checks], "seed": self.seed,
                "n_samples": self.n_samples, "backend": self.backend, "level": self.level, "passed": self.passed}


def verify(f, point=None, *, variables=None, parameters=None, samples=None, seed=0, level=0.99, box=None,
           decades=12, backend="auto", timeout=None):
    """Check the exact predictions for f at a point against a seeded multi-scale sampling run.

    Parameters
    ----------
    f : str, sympy.Expr or Energy
    point : sequence or str, optional
        Default the origin.  The RLCT needs f(point) = 0 after shifting;
        the DOS rows need a critical point.
    samples : int, optional
        Samples over all streams (default :data:`DEFAULT_SAMPLES`).
    seed : int
        Reproduces the run.
    level : float
        Confidence level of every interval.
    box, decades, backend, timeout
        As for :func:`.multiscale.volume_curve`.

    Returns
    -------
    Verification

    Examples
    --------
    >>> from singularities.numeric.verify import verify
    >>> v = verify("x**2 + y**4", samples=10**7, decades=8, seed=1)
    >>> [(c.quantity, c.passed) for c in v.checks]
    [('threshold', True), ('multiplicity', True), ('dos_exponent', True), ('c_plus', True), ('c_minus', True)]
    """
    energy = as_energy(f, point, variables=variables, parameters=parameters)
    curve = volume_curve(energy, box=box, decades=decades, samples=samples or DEFAULT_SAMPLES, seed=seed,
                         backend=backend, timeout=timeout)
    checks = _rlct_checks(energy, fit_scaling(curve, level=level), timeout) + _dos_checks(energy, curve, level, timeout)
    for check in checks:
        if check.passed is False:
            warnings.warn(f"{check.quantity}: predicted {check.relation} {exact_string(check.predicted)}, "
                          f"measured {_number(check.value)} in {check.interval} at level {level}; "
                          f"rerun with another seed or more samples to tell chance from a wrong prediction",
                          NumericMismatchWarning, stacklevel=2)
    return Verification(tuple(checks), curve.seed, curve.n_samples, curve.backend, level, curve.cpu_seconds)


def verification_rows(f, point=None, **options):
    """``(header, rows)`` of :func:`verify`, for the command line (``singularities verify``).

    Examples
    --------
    >>> from singularities.numeric.verify import verification_rows
    >>> header, rows = verification_rows("x**2", samples=10**6, decades=6, seed=2)
    >>> header[:3], rows[0][:2]
    (('quantity', 'predicted', 'estimate'), ('threshold', '1/2'))
    """
    return verify(f, point, **options).to_rows()


def _rlct_checks(energy, fit, timeout):
    result = rlct(energy, timeout=timeout)
    t, m = fit.threshold, fit.multiplicity
    m_interval = tuple(fit.multiplicity_interval)
    if result.status is Status.PROVEN:
        return [Check("threshold", result.threshold, t, t.interval, t.contains(result.threshold)),
                Check("multiplicity", sympy.Integer(result.multiplicity), m, m_interval,
                      m_interval[0] <= result.multiplicity <= m_interval[1])]
    if result.status is Status.BOUND:
        return [Check("threshold", result.threshold, t, t.interval, t.interval[0] <= result.threshold, "<=",
                      "only an upper bound is proven"), Check("multiplicity", None, m, m_interval, None)]
    return [Check("threshold", None, t, t.interval, None, note="no prediction"),
            Check("multiplicity", None, m, m_interval, None, note="no prediction")]


def _dos_checks(energy, curve, level, timeout):
    try:
        prediction = dos_asymptotics(energy, timeout=timeout)
    except NotCriticalError:
        return []
    except SingularitiesError as exc:
        return [Check("dos_exponent", None, float("nan"), (float("nan"),) * 2, None, note=str(exc))]
    if prediction.exponent is None or prediction.log_power or prediction.weight_sum.is_integer:
        return []
    fit = fit_dos(curve, level=level)
    rows = [("dos_exponent", prediction.exponent, fit.exponent), ("c_plus", prediction.c_plus, fit.c_plus),
            ("c_minus", prediction.c_minus, fit.c_minus)]
    ratio = prediction.ratio
    if ratio is not None and ratio != sympy.oo and fit.ratio is not None:
        rows.append(("ratio", ratio, fit.ratio))
    return [Check(name, exact, e, e.interval, e.contains(exact)) for name, exact, e in rows if exact is not None]


def _number(value):
    return value if isinstance(value, (int, sympy.Integer)) else f"{float(value):.6g}"
