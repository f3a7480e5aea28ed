"""Exponent fits with confidence intervals: lambda and m from V(t), two-sided DOS exponents and prefactors.

Every fit is a generalised least-squares fit of a multi-scale curve
(:class:`.multiscale.VolumeCurve`) with the binomial covariance of the counts
as weights, profiled over the exponent (the other coefficients enter
linearly).  Intervals come from the independent streams: the fit is repeated
with each stream left out (delete-one jackknife) and the interval is
value +- t_(R-1) * stderr with Student's t for R streams, so the weights
affect only the efficiency, never the coverage.

Models (u = t / scale, L = log(1/u); docs/conventions.md#the-real-log-canonical-threshold):

- scaling: V(t) = u^lambda (a_0 + a_1 L + ... + a_(m-1) L^(m-1)) + sum_mu c_mu u^mu, with
  correction exponents mu (default 1 and 2: the smooth part of the zero set and
  the box) kept only when mu >= lambda + gap, since a term u^mu with mu = lambda is the
  same as a log power.  m is chosen by likelihood-ratio tests of m against m + 1:
  a further power of L is added only on strong evidence (p < LOG_EVIDENCE = 1e-4)
  and when its coefficient is non-zero beyond its jackknife interval, because a
  slight misfit of the corrections must not read as a logarithm.
- two-sided DOS: vol{0 <= g < t} = A_+ u^d + ... and vol{-t < g < 0} = A_- u^d + ...,
  with the same d and the smooth-DOS terms u^mu (mu = 1, 2) on each side; the
  singular DOS term is C_+- |E|^(d-1) with C_+- = d A_+- / scale^d.

The fits are honest only in the asymptotic window: the curve must start
below the scale where the box matters (``volume_curve``'s default ``top``),
and corrections closer than ``gap`` to the exponent are not separated from it.
"""

import math
from dataclasses import dataclass, field

import mpmath
import numpy as np

from .._result import Result
from ..errors import NumericError
from .multiscale import student_quantile

__all__ = ["NumericEstimate", "ScalingFit", "DOSFit", "fit_scaling", "fit_dos", "student_quantile"]

_GRID = 241
LOG_EVIDENCE = 1e-4  # p-value below which a further log power is accepted
_RELATIVE_FLOOR = 1e-6  # fraction of the mean variance added to the diagonal (the tails make it near-singular)


@dataclass(frozen=True, slots=True)
class NumericEstimate(Result):
    """A measured number with its interval at confidence ``level`` and how to reproduce it.

    ``stderr`` is the standard error, ``interval`` the two-sided interval,
    ``n_samples``, ``seed`` and ``backend`` identify the run, ``method`` says
    how the number was obtained.

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
            (self.quantity, f"{self.value:.6g}", f"{self.interval[0]:.6g}", f"{self.interval[1]:.6g}",
             f"{self.stderr:.3g}", self.level, self.n_samples, self.seed, self.backend, self.method)]

    def to_dict(self):
        return {"kind": "numeric_estimate", "quantity": self.quantity, "value": self.value,
                "interval": list(self.interval), "stderr": self.stderr, "level": self.level,
                "n_samples": self.n_samples, "seed": self.seed, "backend": self.backend, "method": self.method}


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
        rows = [("threshold (lambda)", f"{t.value:.5f}", f"[{t.interval[0]:.5f}, {t.interval[1]:.5f}]"),
                ("multiplicity (m)", self.multiplicity, f"[{self.multiplicity_interval[0]}, {self.multiplicity_interval[1]}]"),
                ("log tests p", ", ".join(f"{p:.3g}" for p in self.log_tests), ""),
                ("chi2 / dof", f"{self.chi2:.1f} / {self.dof}", ""),
                ("window t", f"{self.window[0]:.3g} .. {self.window[1]:.3g}", "")]
        return ("quantity", "estimate", f"interval ({t.level:g})"), rows

    def to_dict(self):
        return {"kind": "scaling_fit", "threshold": self.threshold.to_dict(), "multiplicity": self.multiplicity,
                "multiplicity_interval": list(self.multiplicity_interval), "log_tests": list(self.log_tests),
                "corrections": list(self.corrections), "chi2": self.chi2, "dof": self.dof, "window": list(self.window)}


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
        items = [("DOS exponent d - 1", self.exponent), ("C_+", self.c_plus), ("C_-", self.c_minus), ("C_+/C_-", self.ratio)]
        rows = [(name, f"{e.value:.6g}", f"[{e.interval[0]:.6g}, {e.interval[1]:.6g}]") for name, e in items if e is not None]
        return ("quantity", "estimate", f"interval ({self.exponent.level:g})"), rows

    def to_dict(self):
        value = lambda e: None if e is None else e.to_dict()  # noqa: E731
        return {"kind": "dos_fit", "exponent": value(self.exponent), "c_plus": value(self.c_plus),
                "c_minus": value(self.c_minus), "ratio": value(self.ratio), "chi2": self.chi2, "dof": self.dof}


def fit_scaling(curve, *, level=0.99, multiplicity=None, max_multiplicity=3, corrections=(1, 2), gap=0.05):
    """Fit lambda and m to a :class:`.multiscale.VolumeCurve`, with jackknife intervals over its streams.

    Parameters
    ----------
    curve : VolumeCurve
    level : float
        Confidence level of the interval of lambda and of the tests that choose m.
    multiplicity : int, optional
        Fix m instead of choosing it.
    max_multiplicity : int
        The largest m considered.
    corrections : sequence of float
        Exponents of the correction terms u^mu (see the module docstring).
    gap : float
        A correction is used only when mu >= lambda + gap.

    Returns
    -------
    ScalingFit

    Examples
    --------
    vol{x^2 + y^4 < t} = C t^(3/4) exactly:

    >>> from singularities.numeric.multiscale import volume_curve
    >>> from singularities.numeric.fit import fit_scaling
    >>> c = volume_curve("x**2 + y**4", decades=8, samples=2 * 10**6, seed=3, backend="numpy")
    >>> fit = fit_scaling(c)
    >>> fit.threshold.contains(sympy.Rational(3, 4)), fit.multiplicity, fit.threshold.width < 0.02
    (True, 1, True)
    """
    data = _Data.from_curve(curve)
    candidates = range(1, int(max_multiplicity) + 1) if multiplicity is None else [int(multiplicity)]
    fits = {m: _profile(data, data.y, m, corrections, gap) for m in candidates}
    significant = lambda k: _leading_log_significant(data, fits, k, corrections, gap, level)  # noqa: E731
    m, tests, low = _select(fits, level, significant) if multiplicity is None else (int(multiplicity), (), int(multiplicity))
    value, chi2, segment = fits[m]
    jack = [_profile(data, y, m, corrections, gap, segment)[0] for y in data.leave_one_out()]
    estimate = _estimate("threshold", value, _jackknife_stderr(jack), level, curve, f"volume scaling, m = {m}")
    kept = tuple(mu for mu in corrections if mu >= segment[1] + gap - 1e-12)
    return ScalingFit(estimate, m, (low, m), tests, kept, chi2, len(data.y) - m - len(kept) - 1,
                      (curve.thresholds[0], curve.thresholds[-1]))


def fit_dos(curve, *, level=0.99, corrections=(1, 2), gap=0.05):
    """Fit the two-sided singular DOS term to the signed counts of a :class:`.multiscale.VolumeCurve`.

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
    value, chi2, segment = _profile(data, data.y, 0, corrections, gap, two_sided=True)
    replicates = data.leave_one_out()
    jack = [_profile(data, y, 0, corrections, gap, segment, two_sided=True)[0] for y in replicates]
    prefactors = [_dos_prefactors(data, y, d, corrections, gap) for y, d in zip(replicates, jack)]
    c_plus_value, c_minus_value = _dos_prefactors(data, data.y, value, corrections, gap)
    est = lambda name, v, errs, method: _estimate(name, v, _jackknife_stderr(errs), level, curve, method)  # noqa: E731
    c_plus = est("c_plus", c_plus_value, [a for a, _ in prefactors], "two-sided DOS fit")
    c_minus = est("c_minus", c_minus_value, [b for _, b in prefactors], "two-sided DOS fit")
    ratio = None
    if c_minus.interval[0] > 0 or c_minus.interval[1] < 0:
        ratio = est("ratio", c_plus_value / c_minus_value, [a / b for a, b in prefactors], "two-sided DOS fit")
    exponent = est("dos_exponent", value - 1, [j - 1 for j in jack], "two-sided DOS fit")
    return DOSFit(exponent, c_plus, c_minus, ratio, chi2, 2 * len(data.u) - 1 - 2 * (1 + len(corrections)))


class _Data:
    """Thresholds in units of the scale, the mean curve, its whitening matrix, and the streams.

    ``relative`` is the covariance divided by ``reference`` (outer product),
    where ``reference`` > 0 is the curve itself, or the total volume for the
    signed curves (a side may be empty at an extremum).
    """

    def __init__(self, u, streams, relative, reference, scale):
        self.u, self.streams, self.scale = u, streams, scale
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
        return cls(np.r_[u, u], np.concatenate([total - minus, minus], axis=1), signed_relative, np.r_[y, y], curve.scale)

    def leave_one_out(self):
        r = len(self.streams)
        total = self.streams.sum(axis=0)
        return [(total - self.streams[i]) / (r - 1) for i in range(r)]


def _basis(data, exponent, m, corrections, gap, two_sided=False):
    u, log = data.u, data.log
    kept = [mu for mu in corrections if (abs(mu - exponent) >= gap if two_sided else mu >= exponent + gap)]
    if two_sided:
        half = len(u) // 2
        side = [np.r_[np.ones(half), np.zeros(half)], np.r_[np.zeros(half), np.ones(half)]]
        columns = [s * u**exponent for s in side] + [s * u**mu for mu in kept for s in side]
    else:
        columns = [u**exponent * log**i for i in range(m)] + [u**mu for mu in kept]
    return np.array(columns).T


def _chi2(data, y, exponent, m, corrections, gap, two_sided=False):
    design = data.whiten @ _basis(data, exponent, m, corrections, gap, two_sided)
    target = data.whiten @ y
    coefficients, *_ = np.linalg.lstsq(design, target, rcond=None)
    residual = target - design @ coefficients
    return float(residual @ residual), coefficients


def _segments(corrections, gap, two_sided, upper):
    """Intervals of the exponent on which the set of kept corrections does not change."""
    cuts = sorted({mu + s * gap for mu in corrections for s in ((-1, 1) if two_sided else (-1,))})
    edges = [0.01] + [c for c in cuts if 0.01 < c < upper] + [upper]
    return [(a, b) for a, b in zip(edges, edges[1:]) if b - a > 1e-9]


def _profile(data, y, m, corrections, gap, segment=None, two_sided=False):
    """(best exponent, chi2, segment) over the segments (or within the given one)."""
    upper = 4.0
    segments = [segment] if segment is not None else _segments(corrections, gap, two_sided, upper)
    best, fallback = None, None
    for low, high in segments:
        value, chi2 = _minimise(lambda e: _chi2(data, y, e, m, corrections, gap, two_sided)[0], low, high)
        at_cut = segment is None and ((low > 0.01 and value - low < 1e-6) or (high < upper and high - value < 1e-6))
        if fallback is None or chi2 < fallback[1]:
            fallback = (value, chi2, (low, high))
        if not at_cut and (best is None or chi2 < best[1]):  # a minimum on a cut is an artefact of dropping a term
            best = (value, chi2, (low, high))
    return best or fallback


def _minimise(function, low, high):
    """Grid search on [low, high], then golden-section refinement around the three lowest local minima of the grid.

    Precise data make the chi2 well of the exponent narrower than the grid
    spacing, so every local minimum of the grid is refined, not only the lowest.
    """
    grid = np.linspace(low, high, max(5, int(_GRID * (high - low) / 4) + 5))
    values = np.array([function(x) for x in grid])
    padded = np.r_[np.inf, values, np.inf]
    minima = [i for i in range(len(grid)) if padded[i + 1] <= padded[i] and padded[i + 1] <= padded[i + 2]]
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


def _select(fits, level, significant):
    """m by likelihood-ratio tests: the smallest m that m + 1 does not improve.

    m + 1 improves when the test "m suffices" has p < LOG_EVIDENCE (binomial
    chi2) and the leading log coefficient of m + 1 differs from 0 by more than
    its jackknife interval over the streams (``significant(m + 1)``), so a
    misfit of the corrections or of the weights cannot pass for a logarithm.
    The interval of m runs from the smallest m not rejected against the
    chosen one at ``level`` up to the chosen m.
    """
    ms = sorted(fits)
    tests = tuple(_chi2_survival(fits[a][1] - fits[b][1], 1) for a, b in zip(ms, ms[1:]))
    chosen = next((m for m, p, b in zip(ms, tests, ms[1:]) if p >= LOG_EVIDENCE or not significant(b)), ms[-1])
    low = next(m for m in ms if m == chosen or _chi2_survival(fits[m][1] - fits[chosen][1], chosen - m) >= 1 - level)
    return chosen, tests, low


def _leading_log_significant(data, fits, m, corrections, gap, level):
    """Whether the coefficient of u^lambda L^(m-1) differs from 0 beyond its jackknife interval."""
    value, _, segment = fits[m]
    leading = lambda y, e: _chi2(data, y, e, m, corrections, gap)[1][m - 1]  # noqa: E731
    replicates = data.leave_one_out()
    jack = [leading(y, _profile(data, y, m, corrections, gap, segment)[0]) for y in replicates]
    return abs(leading(data.y, value)) > student_quantile(level, len(replicates) - 1) * _jackknife_stderr(jack)


def _dos_prefactors(data, y, exponent, corrections, gap):
    """(C_+, C_-) = d (A_+, A_-) / scale^d for the weight sum d = ``exponent``."""
    _, coefficients = _chi2(data, y, exponent, 0, corrections, gap, True)
    unit = exponent / data.scale**exponent
    return float(coefficients[0]) * unit, float(coefficients[1]) * unit


def _chi2_survival(x, dof):
    return float(mpmath.gammainc(dof / 2, max(x, 0) / 2, regularized=True))


def _jackknife_stderr(values):
    values = np.asarray(values, dtype=float)
    r = len(values)
    return float(math.sqrt((r - 1) / r * ((values - values.mean()) ** 2).sum()))


def _estimate(quantity, value, stderr, level, curve, method):
    half = student_quantile(level, curve.streams - 1) * stderr
    return NumericEstimate(quantity, float(value), (float(value - half), float(value + half)), stderr, level,
                           curve.n_samples, curve.seed, curve.backend, method)
