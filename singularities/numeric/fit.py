"""Exponent fits with confidence intervals: lambda and m from V(t), two-sided DOS exponents and prefactors.

Every fit is a generalised least-squares fit of a multi-scale curve
(:class:`.multiscale.VolumeCurve`) with the binomial covariance of the counts
as weights, profiled over the exponent (the other coefficients enter
linearly).  Intervals account for two errors.  Sampling error: the fit is
repeated with each stream left out (delete-one jackknife), giving
t_(R-1) * stderr with Student's t for R streams, so the weights affect only
the efficiency.  Model error (the finite-scale bias of a truncated
expansion): the fit is repeated on sub-windows of the scales (top quarter,
top half, bottom quarter dropped) and the largest change is added as
``bias``; a flat chi2 valley of the exponent (the exponent trading off
against log coefficients over a short window) widens the interval to the
whole valley; a curve too short for any sub-window has an unbounded
interval (its model error is unknown).  The exponent must be the leading
one: fits in which the u^lambda terms make up less than half of V at the
smallest threshold are discarded.

Models (u = t / scale, L = log(1/u); docs/conventions.md#the-real-log-canonical-threshold):

- scaling: V(t) = u^lambda (a_0 + a_1 L + ... + a_(m-1) L^(m-1)) + sum_mu c_mu u^mu, with
  correction exponents mu (default 1 and 2: the smooth part of the zero set and
  the box) kept only when mu >= lambda + gap, since a term u^mu with mu = lambda is the
  same as a log power.  m is chosen by likelihood-ratio tests of m against m + 1:
  a further power of L is added only on strong evidence (p < LOG_EVIDENCE = 1e-4)
  and when its coefficient is positive beyond its jackknife interval, because a
  slight misfit of the corrections must not read as a logarithm.  To check a
  prediction, fit lambda with the predicted m (``multiplicity=``, ``expected=``)
  and test m with :func:`multiplicity_test`.
- two-sided DOS: vol{0 <= g < t} = A_+ u^d + ... and vol{-t < g < 0} = A_- u^d + ...,
  with the same d and the smooth-DOS terms u^mu (mu = 1, 2) on each side; the
  singular DOS term is C_+- |E|^(d-1) with C_+- = d A_+- / scale^d.

The fits are honest only in the asymptotic window: the curve must start
below the scale where the box matters (``volume_curve``'s default ``top``),
and corrections closer than ``gap`` to the exponent are not separated from it.
"""

import dataclasses
import math
import statistics
from dataclasses import dataclass, field

import mpmath
import numpy as np

from .._result import Result, register
from ..errors import NumericError
from .multiscale import student_quantile

__all__ = [
    "NumericEstimate",
    "ScalingFit",
    "DOSFit",
    "MultiplicityTest",
    "fit_scaling",
    "multiplicity_test",
    "fit_dos",
    "student_quantile",
]

_GRID = 241
_VALLEY_STEP = 0.005  # step of the walk along a flat chi2 valley of lambda
LOG_EVIDENCE = 1e-4  # p-value below which a further log power is accepted
_RELATIVE_FLOOR = 1e-6  # fraction of the mean variance added to the diagonal (the tails make it near-singular)


@register("numeric_estimate")
@dataclass(frozen=True, slots=True)
class NumericEstimate(Result):
    """A measured number with its interval at confidence ``level`` and how to reproduce it.

    ``stderr`` is the standard error, ``interval`` the two-sided interval,
    ``n_samples``, ``seed`` and ``backend`` identify the run, ``method`` says
    how the number was obtained.  ``bias`` is the model-error allowance
    included in ``interval`` (the spread of the fit across scale windows,
    see :func:`fit_scaling`): the half-width is t * stderr + bias.

    Examples
    --------
    >>> from singularities.numeric.fit import NumericEstimate
    >>> e = NumericEstimate("threshold", 0.501, (0.49, 0.51), 0.003, 0.99, 10**6, 1, "c", "volume scaling")
    >>> e.contains(sympy.Rational(1, 2)), e.width
    (True, 0.020000000000000018)
    """

    quantity: str
    value: float
    interval: tuple
    stderr: float
    level: float
    n_samples: int
    seed: int
    backend: str
    method: str
    bias: float = 0.0

    @property
    def width(self):
        """high - low."""
        return self.interval[1] - self.interval[0]

    def contains(self, exact):
        """Whether the interval contains the exact value (any real number sympy or float can give)."""
        value = float(exact)
        return self.interval[0] <= value <= self.interval[1]

    def to_rows(self):
        return ("quantity", "value", "low", "high", "stderr", "level", "n_samples", "seed", "backend", "method"), [
            (
                self.quantity,
                f"{self.value:.6g}",
                f"{self.interval[0]:.6g}",
                f"{self.interval[1]:.6g}",
                f"{self.stderr:.3g}",
                self.level,
                self.n_samples,
                self.seed,
                self.backend,
                self.method,
            )
        ]

    def to_dict(self):
        return {
            "kind": "numeric_estimate",
            "quantity": self.quantity,
            "value": self.value,
            "interval": list(self.interval),
            "stderr": self.stderr,
            "level": self.level,
            "n_samples": self.n_samples,
            "seed": self.seed,
            "backend": self.backend,
            "method": self.method,
            "bias": self.bias,
        }

    @classmethod
    def from_dict(cls, data):
        """Rebuild the estimate from :meth:`to_dict` output (None stays None)."""
        if data is None:
            return None
        return cls(
            data["quantity"],
            data["value"],
            tuple(data["interval"]),
            data["stderr"],
            data["level"],
            data["n_samples"],
            data["seed"],
            data["backend"],
            data["method"],
            data["bias"],
        )


@register("scaling_fit")
@dataclass(frozen=True, slots=True)
class ScalingFit(Result):
    """lambda and m fitted to V(t) ~ C t^lambda log(1/t)^(m-1) (see the module docstring).

    ``threshold`` is the estimate of lambda; ``multiplicity`` the selected m and
    ``multiplicity_interval`` the range (low, high) of m not rejected against
    it at the level; ``log_tests[i]`` is the p-value of the test "m = i + 1
    suffices" against m = i + 2 (small: the extra log power is needed).
    ``corrections`` are the correction exponents of the selected model,
    ``chi2`` / ``dof`` its goodness of fit with the binomial covariance.
    """

    threshold: NumericEstimate
    multiplicity: int
    multiplicity_interval: tuple
    log_tests: tuple
    corrections: tuple
    chi2: float
    dof: int
    window: tuple = field(repr=False)

    def to_rows(self):
        t = self.threshold
        rows = [
            ("threshold (lambda)", f"{t.value:.5f}", f"[{t.interval[0]:.5f}, {t.interval[1]:.5f}]"),
            (
                "multiplicity (m)",
                self.multiplicity,
                f"[{self.multiplicity_interval[0]}, {self.multiplicity_interval[1]}]",
            ),
            ("log tests p", ", ".join(f"{p:.3g}" for p in self.log_tests), ""),
            ("chi2 / dof", f"{self.chi2:.1f} / {self.dof}", ""),
            ("window t", f"{self.window[0]:.3g} .. {self.window[1]:.3g}", ""),
        ]
        return ("quantity", "estimate", f"interval ({t.level:g})"), rows

    def to_dict(self):
        return {
            "kind": "scaling_fit",
            "threshold": self.threshold.to_dict(),
            "multiplicity": self.multiplicity,
            "multiplicity_interval": list(self.multiplicity_interval),
            "log_tests": list(self.log_tests),
            "corrections": list(self.corrections),
            "chi2": self.chi2,
            "dof": self.dof,
            "window": list(self.window),
        }

    @classmethod
    def from_dict(cls, data):
        """Rebuild the fit from :meth:`to_dict` output."""
        return cls(
            NumericEstimate.from_dict(data["threshold"]),
            data["multiplicity"],
            tuple(data["multiplicity_interval"]),
            tuple(data["log_tests"]),
            tuple(data["corrections"]),
            data["chi2"],
            data["dof"],
            tuple(data["window"]),
        )


@register("dos_fit")
@dataclass(frozen=True, slots=True)
class DOSFit(Result):
    """The singular DOS term C_+- |E - c|^(d-1) fitted on both sides (see the module docstring).

    ``exponent`` estimates d - 1, ``c_plus`` / ``c_minus`` the prefactors
    (per unit volume of the displacement, as docs/conventions.md#density-of-states)
    and ``ratio`` C_+/C_- (None when C_- is compatible with 0).
    """

    exponent: NumericEstimate
    c_plus: NumericEstimate
    c_minus: NumericEstimate
    ratio: NumericEstimate
    chi2: float
    dof: int

    def to_rows(self):
        items = [
            ("DOS exponent d - 1", self.exponent),
            ("C_+", self.c_plus),
            ("C_-", self.c_minus),
            ("C_+/C_-", self.ratio),
        ]
        rows = [
            (name, f"{e.value:.6g}", f"[{e.interval[0]:.6g}, {e.interval[1]:.6g}]")
            for name, e in items
            if e is not None
        ]
        return ("quantity", "estimate", f"interval ({self.exponent.level:g})"), rows

    def to_dict(self):
        value = lambda e: None if e is None else e.to_dict()  # noqa: E731
        return {
            "kind": "dos_fit",
            "exponent": value(self.exponent),
            "c_plus": value(self.c_plus),
            "c_minus": value(self.c_minus),
            "ratio": value(self.ratio),
            "chi2": self.chi2,
            "dof": self.dof,
        }

    @classmethod
    def from_dict(cls, data):
        """Rebuild the fit from :meth:`to_dict` output."""
        estimate = NumericEstimate.from_dict
        return cls(
            estimate(data["exponent"]),
            estimate(data["c_plus"]),
            estimate(data["c_minus"]),
            estimate(data["ratio"]),
            data["chi2"],
            data["dof"],
        )


def fit_scaling(
    curve, *, level=0.99, multiplicity=None, max_multiplicity=3, corrections=(1, 2), gap=0.05, expected=None
):
    """Fit lambda and m to a :class:`.multiscale.VolumeCurve`, with intervals for sampling and model error.

    Parameters
    ----------
    curve : VolumeCurve
    level : float
        Confidence level of the interval of lambda and of the tests that choose m.
    multiplicity : int, optional
        Fix m (the number of log powers is m - 1) instead of choosing it.
    max_multiplicity : int
        The largest m considered.
    corrections : sequence of float
        Exponents of the correction terms u^mu (see the module docstring).
    gap : float
        A correction is used only when mu >= lambda + gap.
    expected : number, optional
        A predicted lambda (for example a proven RLCT): the corrections are
        then chosen once, for it, so the fitted lambda (still free) never
        sits on a cut where a correction is dropped.

    Returns
    -------
    ScalingFit
        The interval of lambda is value +- (t * stderr + bias): stderr is the
        jackknife over the streams, bias the largest change of the fitted
        lambda when the top or bottom of the scale window is dropped (the
        finite-scale error of the model).  It is widened to every lambda
        whose chi2 is as close to the minimum as the jackknife interval's
        ends are: when lambda trades off against the log coefficients over a
        short window (a second, distant minimum), the interval says so.

    Examples
    --------
    vol{x^2 + y^4 < t} = C t^(3/4) exactly:

    >>> from singularities.numeric.multiscale import volume_curve
    >>> from singularities.numeric.fit import fit_scaling
    >>> c = volume_curve("x**2 + y**4", decades=8, samples=2 * 10**6, seed=3, backend="numpy")
    >>> fit = fit_scaling(c)
    >>> fit.threshold.contains(sympy.Rational(3, 4)), fit.multiplicity, fit.threshold.width < 0.03
    (True, 1, True)
    """
    data = _Data.from_curve(curve)
    model = lambda m: _Model(m, corrections, gap, expected)  # noqa: E731
    candidates = range(1, int(max_multiplicity) + 1) if multiplicity is None else [int(multiplicity)]
    fits = {m: _profile(data, data.y, model(m)) for m in candidates}
    if multiplicity is None:
        m, tests, low = _select(fits, level, lambda k: _log_needed(data, fits, model(k), level))
    else:
        m, tests, low = int(multiplicity), (), int(multiplicity)
    value, chi2, segment = fits[m]
    jack = [_profile(data, y, model(m), segment)[0] for y in data.leave_one_out()]
    bias = _window_bias(data, model(m), value, segment)
    estimate = _estimate("threshold", value, _jackknife_stderr(jack), level, curve, f"volume scaling, m = {m}", bias)
    kept = tuple(model(m).kept((segment[0] + segment[1]) / 2))
    dof = len(data.y) - m - len(kept) - 1
    flat = _flat_valley(data, model(m), value, chi2, segment, level, estimate.stderr, dof)
    flat += _across_cut(data, model(m), value, segment)
    estimate = dataclasses.replace(
        estimate, interval=(float(min(estimate.interval[0], *flat)), float(max(estimate.interval[1], *flat)))
    )
    return ScalingFit(estimate, m, (low, m), tests, kept, chi2, dof, (curve.thresholds[0], curve.thresholds[-1]))


def multiplicity_test(
    curve, multiplicity, *, level=0.99, max_multiplicity=3, corrections=(1, 2), gap=0.05, expected=None
):
    """Test a predicted multiplicity m against the log powers a volume curve shows.

    V(t) ~ C t^lambda (log 1/t)^(m-1): the data can show that more log powers
    are needed (m is then too small: ``passed`` False) or that the top power
    (log 1/t)^(m-1) is present (``passed`` True); a log power that the data
    do not resolve can never be excluded, so a prediction above what the
    data show is "inconclusive" (``passed`` None), never a mismatch.  lambda
    is free in every model; a further power of L is needed when the
    likelihood-ratio p < LOG_EVIDENCE and its coefficient is positive beyond
    its jackknife interval at ``level``.

    Parameters
    ----------
    curve : VolumeCurve
    multiplicity : int
        The predicted m.
    level, max_multiplicity, corrections, gap, expected
        As for :func:`fit_scaling`.

    Returns
    -------
    MultiplicityTest

    Examples
    --------
    vol{|x y| < t} = 4 t (1 + log 1/t): m = 2; m = 1 lacks the logarithm.

    >>> from singularities.numeric.multiscale import volume_curve
    >>> from singularities.numeric.fit import multiplicity_test
    >>> c = volume_curve("x*y", top=1e-2, decades=8, per_decade=2, samples=10**7, seed=3, backend="numpy")
    >>> multiplicity_test(c, 2, expected=1).passed, multiplicity_test(c, 1, expected=1).passed
    (True, False)
    """
    m0 = int(multiplicity)
    if m0 < 1:
        raise NumericError(f"multiplicity must be a positive integer; got {multiplicity!r}")
    data = _Data.from_curve(curve)
    model = lambda m: _Model(m, corrections, gap, expected)  # noqa: E731
    top = max(int(max_multiplicity), m0 + 1)
    fits = {m: _profile(data, data.y, model(m)) for m in range(1, top + 1)}
    needed = [
        _log_needed(data, fits, model(k + 1), level) and _chi2_survival(fits[k][1] - fits[k + 1][1], 1) < LOG_EVIDENCE
        for k in range(1, top)
    ]
    low = next((k for k in range(1, top) if not needed[k - 1]), top)
    seen = m0 == 1 or _log_needed(data, fits, model(m0), level)
    passed = False if m0 < low else (True if seen else None)
    note = {
        False: f"the data need m >= {low} (a further power of log 1/t); the prediction {m0} is too small",
        True: f"the top log power (log 1/t)^{m0 - 1} is resolved and no further one is needed",
        None: f"the data show m >= {low}; the top log power (log 1/t)^{m0 - 1} is not resolved at this "
        f"sample size: inconclusive (raise samples or decades)",
    }[passed]
    return MultiplicityTest(m0, low, top, passed, note)


@register("multiplicity_test")
@dataclass(frozen=True, slots=True)
class MultiplicityTest(Result):
    """The verdict of :func:`multiplicity_test` on a predicted m.

    ``low`` is the smallest m the data do not reject (the true m is at least
    ``low`` at the level); ``high`` the largest m examined; ``passed`` is
    True (m consistent, its top log power resolved), False (more log powers
    are needed) or None (inconclusive); ``note`` says which.
    """

    multiplicity: int
    low: int
    high: int
    passed: object
    note: str

    def to_rows(self):
        return ("multiplicity", "data show m >=", "passed", "note"), [
            (self.multiplicity, self.low, "-" if self.passed is None else str(self.passed).lower(), self.note)
        ]

    def to_dict(self):
        return {
            "kind": "multiplicity_test",
            "multiplicity": self.multiplicity,
            "low": self.low,
            "high": self.high,
            "passed": self.passed,
            "note": self.note,
        }

    @classmethod
    def from_dict(cls, data):
        """Rebuild the verdict from :meth:`to_dict` output."""
        return cls(data["multiplicity"], data["low"], data["high"], data["passed"], data["note"])


def fit_dos(curve, *, level=0.99, corrections=(1, 2), gap=0.05):
    """Fit the two-sided singular DOS term to the signed counts of a :class:`.multiscale.VolumeCurve`.

    Intervals are value +- (t * stderr + bias) as for :func:`fit_scaling`.

    Returns
    -------
    DOSFit

    Examples
    --------
    E8, x^3 + y^5: rho ~ C_+- |E|^(-7/15) on both sides, with C_+ = C_- (x, y -> -x, -y turns g into -g):

    >>> from singularities.numeric.multiscale import volume_curve
    >>> from singularities.numeric.fit import fit_dos
    >>> c = volume_curve("x**3 + y**5", decades=8, samples=4 * 10**6, seed=4, backend="numpy")
    >>> d = fit_dos(c)
    >>> d.exponent.contains(-sympy.Rational(7, 15)), d.ratio.contains(1)
    (True, True)
    """
    data = _Data.from_curve(curve, signed=True)
    model = _Model(0, corrections, gap, None, two_sided=True)
    value, chi2, segment = _profile(data, data.y, model)
    replicates = data.leave_one_out()
    jack = [_profile(data, y, model, segment)[0] for y in replicates]
    prefactors = [_dos_prefactors(data, y, d, model) for y, d in zip(replicates, jack)]
    c_plus_value, c_minus_value = _dos_prefactors(data, data.y, value, model)
    shifts = _window_values(data, model, segment, lambda w, d: (d, *_dos_prefactors(w, w.y, d, model)))
    bias = [
        max((abs(s[i] - v) for s in shifts), default=math.inf)
        for i, v in enumerate((value, c_plus_value, c_minus_value))
    ]
    est = lambda name, v, errs, b: _estimate(name, v, _jackknife_stderr(errs), level, curve, "two-sided DOS fit", b)  # noqa: E731
    c_plus = est("c_plus", c_plus_value, [a for a, _ in prefactors], bias[1])
    c_minus = est("c_minus", c_minus_value, [b for _, b in prefactors], bias[2])
    ratio = None
    if c_minus.interval[0] > 0 or c_minus.interval[1] < 0:
        ratios = [s[1] / s[2] for s in shifts if s[2] != 0]
        ratio_bias = max((abs(r - c_plus_value / c_minus_value) for r in ratios), default=math.inf)
        ratio = est("ratio", c_plus_value / c_minus_value, [a / b for a, b in prefactors], ratio_bias)
    exponent = est("dos_exponent", value - 1, [j - 1 for j in jack], bias[0])
    return DOSFit(exponent, c_plus, c_minus, ratio, chi2, 2 * len(data.u) - 1 - 2 * (1 + len(corrections)))


class _Data:
    """Thresholds in units of the scale, the mean curve, its whitening matrix, and the streams.

    ``relative`` is the covariance divided by ``reference`` (outer product),
    where ``reference`` > 0 is the curve itself, or the total volume for the
    signed curves (a side may be empty at an extremum).  Signed data stack
    the two sides, so ``sides`` is 2 and each side holds ``len(u) // 2`` points.
    """

    def __init__(self, u, streams, relative, reference, scale, sides=1):
        self.u, self.streams, self.scale, self.sides = u, streams, scale, sides
        self.relative, self.reference = relative, reference
        self.y = streams.mean(axis=0)
        self.log = np.log(1 / u)
        relative = relative + (_RELATIVE_FLOOR * np.mean(np.diag(relative)) + 1e-12) * np.eye(len(u))
        self.whiten = np.linalg.inv(np.linalg.cholesky(relative)) / reference[None, :]

    @classmethod
    def from_curve(cls, curve, signed=False):
        u = np.asarray(curve.thresholds) / curve.scale
        total, minus = np.asarray(curve.stream_volumes), np.asarray(curve.stream_minus)
        y = total.mean(axis=0)
        usable = y > 0
        if usable.sum() < 5:
            raise NumericError("fewer than 5 thresholds have samples below them; raise samples or lower decades")
        u, y, total, minus = u[usable], y[usable], total[:, usable], minus[:, usable]
        relative = np.asarray(curve.covariance)[np.ix_(usable, usable)] / np.outer(y, y)
        if not signed:
            return cls(u, total, relative, y, curve.scale)
        fractions = [np.clip((total - minus).mean(axis=0) / y, 0, 1), np.clip(minus.mean(axis=0) / y, 0, 1)]
        blocks = [relative * np.sqrt(np.outer(f, f)) for f in fractions]
        zero = np.zeros_like(relative)
        signed_relative = np.block([[blocks[0], zero], [zero, blocks[1]]])
        return cls(
            np.r_[u, u],
            np.concatenate([total - minus, minus], axis=1),
            signed_relative,
            np.r_[y, y],
            curve.scale,
            sides=2,
        )

    @property
    def points(self):
        """Thresholds per side."""
        return len(self.u) // self.sides

    def window(self, first, stop):
        """The same data restricted to the thresholds ``first`` to ``stop - 1`` (on each side)."""
        k = self.points
        index = np.concatenate([np.arange(first, stop) + side * k for side in range(self.sides)])
        return _Data(
            self.u[index],
            self.streams[:, index],
            self.relative[np.ix_(index, index)],
            self.reference[index],
            self.scale,
            self.sides,
        )

    def leave_one_out(self):
        r = len(self.streams)
        total = self.streams.sum(axis=0)
        return [(total - self.streams[i]) / (r - 1) for i in range(r)]


class _Model:
    """V = u^e (a_0 + ... + a_(m-1) L^(m-1)) + sum_mu c_mu u^mu, or the two-sided DOS model (m = 0).

    Without ``expected`` a correction mu is kept when mu >= e + gap (two-sided:
    |mu - e| >= gap), so the kept set changes at cuts (:meth:`segments`);
    with it the set is chosen once, mu >= expected + gap.
    """

    def __init__(self, m, corrections, gap, expected, two_sided=False):
        self.m, self.corrections, self.gap, self.two_sided = m, tuple(corrections), gap, two_sided
        self.fixed = None if expected is None else [mu for mu in corrections if mu >= float(expected) + gap]

    def kept(self, exponent):
        if self.fixed is not None:
            return self.fixed
        if self.two_sided:
            return [mu for mu in self.corrections if abs(mu - exponent) >= self.gap]
        return [mu for mu in self.corrections if mu >= exponent + self.gap]

    def basis(self, data, exponent):
        u, log, kept = data.u, data.log, self.kept(exponent)
        if self.two_sided:
            half = len(u) // 2
            side = [np.r_[np.ones(half), np.zeros(half)], np.r_[np.zeros(half), np.ones(half)]]
            columns = [s * u**exponent for s in side] + [s * u**mu for mu in kept for s in side]
        else:
            columns = [u**exponent * log**i for i in range(self.m)] + [u**mu for mu in kept]
        return np.array(columns).T

    def segments(self, upper):
        """Intervals of the exponent on which the set of kept corrections does not change."""
        if self.fixed is not None:
            return [(0.01, upper)]
        signs = (-1, 1) if self.two_sided else (-1,)
        cuts = sorted({mu + s * self.gap for mu in self.corrections for s in signs})
        edges = [0.01] + [c for c in cuts if 0.01 < c < upper] + [upper]
        return [(a, b) for a, b in zip(edges, edges[1:]) if b - a > 1e-9]


def _chi2(data, y, exponent, model):
    design = data.whiten @ model.basis(data, exponent)
    target = data.whiten @ y
    coefficients, *_ = np.linalg.lstsq(design, target, rcond=None)
    residual = target - design @ coefficients
    return float(residual @ residual), coefficients


def _dominant_chi2(data, y, exponent, model):
    """chi2, or inf when the u^e terms do not make up half of the fitted V at the smallest threshold.

    lambda is the *leading* exponent: a fit that puts the volume into a
    correction u^mu (a_i near 0, lambda then free) does not measure it.
    """
    chi2, coefficients = _chi2(data, y, exponent, model)
    if model.two_sided:
        return chi2
    last = np.argmin(data.u)
    leading = sum(coefficients[i] * data.log[last] ** i for i in range(model.m)) * data.u[last] ** exponent
    total = float(model.basis(data, exponent)[last] @ coefficients)
    return chi2 if total > 0 and leading >= 0.5 * total else math.inf


def _profile(data, y, model, segment=None):
    """(best exponent, chi2, segment) over the segments (or within the given one)."""
    upper = 4.0
    segments = [segment] if segment is not None else model.segments(upper)
    best, fallback = None, None
    for objective in (_dominant_chi2, lambda *args: _chi2(*args)[0]):
        function = lambda e: objective(data, y, e, model)  # noqa: E731
        for low, high in segments:
            value, chi2 = _minimise(function, low, high)
            if not math.isfinite(chi2):
                continue
            at_cut = segment is None and ((low > 0.01 and value - low < 1e-6) or (high < upper and high - value < 1e-6))
            if fallback is None or chi2 < fallback[1]:
                fallback = (value, chi2, (low, high))
            if not at_cut and (best is None or chi2 < best[1]):  # a minimum on a cut is an artefact of dropping a term
                best = (value, chi2, (low, high))
        if best or fallback:
            break
    value, _, chosen = best or fallback
    return value, _chi2(data, y, value, model)[0], chosen


def _flat_valley(data, model, value, chi2, segment, level, stderr, dof):
    """The hull of the lambdas in ``segment`` whose chi2 is within the level's allowance of the minimum.

    The allowance is the larger of the profile-likelihood one (the level's
    quantile of chi2 with one degree of freedom, times chi2 / dof when the
    fit is worse than the binomial covariance says) and the jackknife's
    (q^2 * stderr^2 * chi2''/2, which makes the valley of a quadratic well the
    jackknife interval itself).  A second, distant minimum almost as deep
    (lambda trading off against log coefficients) widens the interval to it.
    """
    h = max(stderr, 1e-4)
    curvature = (_chi2(data, data.y, value + h, model)[0] + _chi2(data, data.y, value - h, model)[0] - 2 * chi2) / h**2
    jackknife = student_quantile(level, len(data.streams) - 1) ** 2 * stderr**2 * max(curvature, 0.0) / 2
    binomial = statistics.NormalDist().inv_cdf(0.5 + level / 2) ** 2 * max(1.0, chi2 / max(dof, 1))
    allowance = max(jackknife, binomial)
    grid = np.arange(segment[0], segment[1] + 1e-12, _VALLEY_STEP)
    inside = [x for x in grid if _chi2(data, data.y, x, model)[0] <= chi2 + allowance]
    return min([value, *inside]), max([value, *inside])


def _across_cut(data, model, value, segment):
    """When the fit sits on a cut (where a correction is dropped), the best exponent of every segment; else nothing.

    A minimum on a cut is an artefact of the change of model, not a
    measurement (the jackknife replicates all sit on it, so their spread is
    0): the interval must reach the fits on both sides, and beyond.
    """
    upper = 4.0
    cuts = {edge for s in model.segments(upper) for edge in s if 0.01 < edge < upper}
    if model.fixed is not None or not any(abs(value - c) < 1e-6 for c in cuts):
        return ()
    return tuple(_profile(data, data.y, model, s)[0] for s in model.segments(upper))


def _window_values(data, model, segment, statistic):
    """``statistic(window, exponent)`` on sub-windows: the top quarter, the top half and the bottom quarter dropped."""
    k, values = data.points, []
    for first, stop in ((k // 4, k), (k // 2, k), (0, k - k // 4)):
        if stop - first < _parameters(model) + 3:
            continue
        window = data.window(first, stop)
        values.append(statistic(window, _profile(window, window.y, model, segment)[0]))
    return values


def _window_bias(data, model, value, segment):
    """The largest change of the fitted exponent over the sub-windows (the finite-scale model error).

    inf when the curve is too short for any sub-window to fit the model: the
    model error is then unknown, and so is the interval.
    """
    shifts = _window_values(data, model, segment, lambda window, exponent: exponent)
    return max((abs(s - value) for s in shifts), default=math.inf)


def _parameters(model):
    """The number of fitted parameters: the exponent, the log coefficients (or the two sides) and the corrections."""
    corrections = len(model.fixed) if model.fixed is not None else len(model.corrections)
    return 1 + (2 if model.two_sided else model.m) + (2 if model.two_sided else 1) * corrections


def _minimise(function, low, high):
    """Grid search on [low, high], then golden-section refinement around the three lowest local minima of the grid.

    Precise data make the chi2 well of the exponent narrower than the grid
    spacing, so every local minimum of the grid is refined, not only the lowest.
    """
    grid = np.linspace(low, high, max(5, int(_GRID * (high - low) / 4) + 5))
    values = np.array([function(x) for x in grid])
    if not np.isfinite(values).any():
        return float(grid[0]), math.inf
    padded = np.r_[np.inf, values, np.inf]
    minima = [
        i
        for i in range(len(grid))
        if np.isfinite(values[i]) and padded[i + 1] <= padded[i] and padded[i + 1] <= padded[i + 2]
    ]
    best = (float(grid[int(np.argmin(values))]), float(values.min()))
    for i in sorted(minima, key=lambda i: values[i])[:3]:
        x, fx = _golden(function, grid[max(i - 1, 0)], grid[min(i + 1, len(grid) - 1)])
        if fx < best[1]:
            best = (x, fx)
    return best


def _golden(function, a, b):
    ratio = (math.sqrt(5) - 1) / 2
    c, d = b - ratio * (b - a), a + ratio * (b - a)
    fc, fd = function(c), function(d)
    for _ in range(50):
        if fc < fd:
            b, d, fd = d, c, fc
            c = b - ratio * (b - a)
            fc = function(c)
        else:
            a, c, fc = c, d, fd
            d = a + ratio * (b - a)
            fd = function(d)
    return (c, fc) if fc < fd else (d, fd)


def _select(fits, level, needed):
    """m by likelihood-ratio tests: the smallest m that m + 1 does not improve.

    m + 1 improves when the test "m suffices" has p < LOG_EVIDENCE (binomial
    chi2) and the leading log coefficient of m + 1 is positive beyond its
    jackknife interval over the streams (``needed(m + 1)``), so a misfit of
    the corrections or of the weights cannot pass for a logarithm.  The
    interval of m runs from the smallest m not rejected against the chosen
    one at ``level`` up to the chosen m.
    """
    ms = sorted(fits)
    tests = tuple(_chi2_survival(fits[a][1] - fits[b][1], 1) for a, b in zip(ms, ms[1:]))
    chosen = next((m for m, p, b in zip(ms, tests, ms[1:]) if p >= LOG_EVIDENCE or not needed(b)), ms[-1])
    low = next(m for m in ms if m == chosen or _chi2_survival(fits[m][1] - fits[chosen][1], chosen - m) >= 1 - level)
    return chosen, tests, low


def _log_needed(data, fits, model, level):
    """Whether the coefficient of u^lambda L^(m-1) is positive beyond its jackknife interval (m = model.m >= 2)."""
    m = model.m
    value, _, segment = fits[m]
    leading = lambda y, e: _chi2(data, y, e, model)[1][m - 1]  # noqa: E731
    replicates = data.leave_one_out()
    jack = [leading(y, _profile(data, y, model, segment)[0]) for y in replicates]
    return leading(data.y, value) > student_quantile(level, len(replicates) - 1) * _jackknife_stderr(jack)


def _dos_prefactors(data, y, exponent, model):
    """(C_+, C_-) = d (A_+, A_-) / scale^d for the weight sum d = ``exponent``."""
    _, coefficients = _chi2(data, y, exponent, model)
    unit = exponent / data.scale**exponent
    return float(coefficients[0]) * unit, float(coefficients[1]) * unit


def _chi2_survival(x, dof):
    return float(mpmath.gammainc(dof / 2, max(x, 0) / 2, regularized=True))


def _jackknife_stderr(values):
    values = np.asarray(values, dtype=float)
    r = len(values)
    return float(math.sqrt((r - 1) / r * ((values - values.mean()) ** 2).sum()))


def _estimate(quantity, value, stderr, level, curve, method, bias=0.0):
    half = student_quantile(level, curve.streams - 1) * stderr + bias
    return NumericEstimate(
        quantity,
        float(value),
        (float(value - half), float(value + half)),
        stderr,
        level,
        curve.n_samples,
        curve.seed,
        curve.backend,
        method,
        float(bias),
    )
