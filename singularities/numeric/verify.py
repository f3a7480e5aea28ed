"""Each exact prediction beside its numeric estimate: verify(f) -> Verification, one row per quantity.

The predictions come from :func:`~singularities.thresholds.rlct.rlct` (lambda, m) and, at
a critical point, from :func:`~singularities.physics.dos.dos_asymptotics` (the DOS
exponent d - 1, C_+, C_- and C_+/C_-).  The estimates come from one
multi-scale run (:func:`.multiscale.volume_curve`) fitted by :mod:`.fit`.  A
row passes when the exact value lies in the estimate's interval at ``level``;
a row that fails issues :class:`~singularities.errors.NumericMismatchWarning`
and says ``passed: false``, never silence.  Everything is reproducible from
``seed``.  Guide: docs/verify.md.
"""

import math
import warnings
from dataclasses import dataclass, field

import sympy

from .._exact import exact_string
from .._limits import Deadline
from .._result import Result, parse_field, register
from ..domain import parse_box
from ..energy import as_energy
from ..errors import InputError, NotCriticalError, NumericMismatchWarning, SingularitiesError
from ..physics.dos import dos_asymptotics
from ..thresholds.rlct import Status, rlct
from .fit import NumericEstimate, fit_dos, fit_scaling, multiplicity_test
from .multiscale import volume_curve
from .sampling import check_samples

__all__ = ["Check", "Verification", "verify", "sampling_window", "DEFAULT_SAMPLES"]

DEFAULT_SAMPLES = 2 * 10**8


@register("check")
@dataclass(frozen=True, slots=True)
class Check:
    """One quantity: the exact ``predicted`` value, the numeric ``estimate`` (a NumericEstimate or an int)
    and whether it passed.

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
        measured = self.estimate.to_dict() if isinstance(self.estimate, NumericEstimate) else None
        return {
            "kind": "check",
            "quantity": self.quantity,
            "predicted": None if self.predicted is None else exact_string(self.predicted),
            "relation": self.relation,
            "estimate": _json_number(self.value),
            "interval": [_json_number(x) for x in self.interval],
            "passed": _json_verdict(self.passed),
            "note": self.note,
            "measurement": measured,
        }

    @classmethod
    def from_dict(cls, data):
        """Rebuild the row from :meth:`to_dict` output (an estimate with its interval when it had one)."""
        measured = data.get("measurement")
        estimate = data["estimate"] if measured is None else NumericEstimate.from_dict(measured)
        return cls(
            data["quantity"],
            parse_field(data["predicted"]),
            estimate,
            tuple(data["interval"]),
            data["passed"],
            data["relation"],
            data["note"],
        )


@register("verification")
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
        rows = [
            (
                c.quantity,
                None if c.predicted is None else f"{c.relation} {exact_string(c.predicted)}".lstrip("= "),
                _number(c.value),
                f"[{_number(c.interval[0])}, {_number(c.interval[1])}]",
                _verdict_text(c),
            )
            for c in self.checks
        ]
        return header, rows

    def to_dict(self):
        return {
            "kind": "verification",
            "checks": [c.to_dict() for c in self.checks],
            "seed": int(self.seed),
            "n_samples": int(self.n_samples),
            "backend": self.backend,
            "level": float(self.level),
            "passed": bool(self.passed),
        }

    @classmethod
    def from_dict(cls, data):
        """Rebuild the verification from :meth:`to_dict` output (``passed`` is recomputed from the rows)."""
        return cls(
            tuple(Check.from_dict(c) for c in data["checks"]),
            data["seed"],
            data["n_samples"],
            data["backend"],
            data["level"],
        )


def verify(
    f,
    point=None,
    *,
    variables=None,
    parameters=None,
    samples=None,
    seed=0,
    level=0.99,
    box=None,
    decades=12,
    backend="auto",
    timeout=None,
    weights=None,
    counts=None,
):
    """Check the exact predictions for f at a point against a seeded multi-scale sampling run.

    Parameters
    ----------
    f : str, sympy.Expr or Energy
    point : sequence or str, optional
        Default the origin.  The RLCT needs f(point) = 0 after shifting;
        the DOS rows need a critical point.
    samples : int, optional
        Samples over all streams (default :data:`DEFAULT_SAMPLES`; at most
        :data:`.sampling.MAX_SAMPLES`, else :class:`~singularities.errors.InputError`).
    seed : int
        Reproduces the run.
    level : float
        Confidence level of every interval, in (0, 1).  A threshold row
        passes when its interval (sampling and model error, see
        :func:`.fit.fit_scaling`) contains the prediction, or, for a proven
        bound, when the lower end is at most the bound (one-sided).  The
        multiplicity row is :func:`.fit.multiplicity_test`: ``passed`` is
        None ("inconclusive") when the data do not resolve the predicted top
        log power.
    box : str, sequence or Box, optional
        The sampling box in the variables' own coordinates, as for
        :func:`~singularities.thresholds.global_rlct.global_rlct` (docs/conventions.md#domains);
        it must contain the point.  Default: the point -1 to +1 in every variable.
    decades, backend, timeout
        As for :func:`.multiscale.volume_curve`.
    timeout : float or Deadline, optional
        One limit for the whole check: the sampling run and the exact
        predictions share it.  Past it, :class:`~singularities.errors.TimeLimitError`.
    weights, counts : optional
        As for :func:`.multiscale.volume_curve`: the shells' weights, and the
        counts of a run sampled elsewhere in parts (:func:`.multiscale.stream_counts`;
        a sweep's chunked ``verify``, docs/sweep.md).

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
    samples, level = check_samples(DEFAULT_SAMPLES if samples is None else samples), _level(level)
    deadline = Deadline.coerce(timeout)
    curve = volume_curve(
        energy,
        box=sampling_window(box, energy),
        decades=decades,
        samples=samples,
        seed=seed,
        backend=backend,
        timeout=deadline,
        weights=weights,
        counts=counts,
    )
    checks = _rlct_checks(energy, curve, level, deadline) + _dos_checks(energy, curve, level, deadline)
    for check in checks:
        if check.passed is False:
            warnings.warn(
                f"{check.quantity}: predicted {check.relation} {exact_string(check.predicted)}, "
                f"measured {_number(check.value)} in {check.interval} at level {level}; "
                f"rerun with another seed or more samples to tell chance from a wrong prediction",
                NumericMismatchWarning,
                stacklevel=2,
            )
    return Verification(tuple(checks), curve.seed, curve.n_samples, curve.backend, level, curve.cpu_seconds)


def sampling_window(box, energy):
    """The box (variables' own coordinates) as float (lo, hi) displacements from the energy's point, for the samplers.

    None stays None (the samplers' default window, -1 to +1 in every displacement).

    Examples
    --------
    >>> from singularities.numeric.verify import sampling_window
    >>> sampling_window("x=0:2,y=-1:1", sg.Energy("x**2 + y**2", point="1,0"))
    ((-1.0, 1.0), (-1.0, 1.0))
    """
    if box is None:
        return None
    return tuple((float(lo), float(hi)) for lo, hi in parse_box(box, energy.variables).window(energy.point))


def _rlct_checks(energy, curve, level, deadline):
    result = rlct(energy, timeout=deadline)
    threshold, m = result.threshold, int(result.multiplicity)
    if result.status is Status.PROVEN and threshold.is_finite and m >= 1:
        t = fit_scaling(curve, level=level, multiplicity=m, expected=threshold).threshold
        test = multiplicity_test(curve, m, level=level, expected=threshold)
        return [
            Check(
                "threshold",
                threshold,
                t,
                t.interval,
                _verdict(t, threshold),
                note=_short(t) or f"fitted with the predicted log power (log 1/t)^{m - 1}",
            ),
            Check("multiplicity", sympy.Integer(m), test.low, (test.low, test.high), test.passed, note=test.note),
        ]
    free = fit_scaling(curve, level=level)
    t, m_interval = free.threshold, tuple(free.multiplicity_interval)
    m_row = Check("multiplicity", None, free.multiplicity, m_interval, None, note="no prediction")
    if result.status is Status.BOUND and threshold.is_finite:
        low = fit_scaling(
            curve, level=level, multiplicity=1
        ).threshold  # no log power: the lowest lambda of the log models
        passed = None if _short(low) else bool(low.interval[0] <= threshold)
        return [
            Check(
                "threshold",
                threshold,
                low,
                low.interval,
                passed,
                "<=",
                _short(low)
                or "only an upper bound is proven; one-sided check of the fit without log terms, "
                "whose lambda is the lowest of the log models",
            ),
            m_row,
        ]
    return [Check("threshold", None, t, t.interval, None, note="no prediction"), m_row]


def _dos_checks(energy, curve, level, deadline):
    with deadline.attempt("the DOS prediction", catch=SingularitiesError) as step:  # the limit of verify propagates
        prediction = dos_asymptotics(energy, timeout=step.deadline)
    if isinstance(step.error, NotCriticalError):
        return []
    if not step.ok:
        return [Check("dos_exponent", None, None, (None, None), None, note=str(step.error))]
    if prediction.exponent is None or prediction.log_power or prediction.weight_sum.is_integer:
        return []
    fit = fit_dos(curve, level=level)
    rows = [
        ("dos_exponent", prediction.exponent, fit.exponent),
        ("c_plus", prediction.c_plus, fit.c_plus),
        ("c_minus", prediction.c_minus, fit.c_minus),
    ]
    ratio = prediction.ratio
    if ratio is not None and ratio != sympy.oo and fit.ratio is not None:
        rows.append(("ratio", ratio, fit.ratio))
    return [
        Check(name, exact, e, e.interval, _verdict(e, exact), note=_short(e))
        for name, exact, e in rows
        if exact is not None
    ]


def _verdict(estimate, exact):
    """Whether the interval contains the exact value; None when the interval is unbounded (model error unknown)."""
    return None if _short(estimate) else bool(estimate.contains(exact))


def _short(estimate):
    """The note for an estimate whose model error could not be assessed (too few thresholds), else ''."""
    if math.isfinite(estimate.bias):
        return ""
    return (
        "inconclusive: the curve has too few thresholds to assess the model error; "
        "raise samples (more decades) or lower decades' top"
    )


def _verdict_text(check):
    if check.passed is None:
        return "-" if check.predicted is None else "inconclusive"
    return str(bool(check.passed)).lower()


def _level(level):
    try:
        value = float(level)
    except (TypeError, ValueError):
        value = math.nan
    if not 0 < value < 1:
        raise InputError(
            f"level={level!r} must be a confidence level strictly between 0 and 1, e.g. 0.99; pass another level"
        )
    return value


def _number(value):
    if value is None:
        return "-"
    return value if isinstance(value, (int, sympy.Integer)) else f"{float(value):.6g}"


def _json_number(value):
    """A float that JSON can carry (None for NaN and infinities), or an int for integers."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, (int, sympy.Integer)):
        return int(value)
    value = float(value)
    return value if math.isfinite(value) else None


def _json_verdict(passed):
    return None if passed is None else bool(passed)
