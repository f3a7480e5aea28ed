"""Multi-scale estimates of vol{|g| < t} over many decades of t, from shells of nested weighted boxes.

Plain uniform sampling of a box B sees |g| < t with probability about
t^lambda, so it reaches a few decades of t.  Here B is cut into nested boxes

    B_j = s^(j w) B = {(s^(j w_1) x_1, ..., s^(j w_n) x_n) : x in B},  j = 0, ..., J,

scaled towards the point with weights w (by default the Newton weights of g:
the normal of the principal face, scaled so that w . e = 1 on it, hence
sum w = 1/t, docs/conventions.md#newton-polyhedra).  Shell S_j = B_j - B_(j+1)
is sampled uniformly (the kernels' ``exclude=`` box) and so is the core B_J.
Every sample is counted against every threshold, so

    V(t) = sum_j vol(S_j) * #{x in S_j : |g(x)| < t} / #(samples in S_j)

is an unbiased estimate of vol{x in B : |g(x)| < t} for every t, whatever the
weights: they only decide where the samples go.  When g is quasi-homogeneous
with these weights, the fraction of S_j with |g| < s^j u does not depend on j,
so every decade of t costs the same number of samples: the cost grows like
log(1/t).  The same counts split by the sign of g give vol{0 <= g < t} and
vol{-t < g < 0}, the integrated two-sided DOS.

The run is repeated over ``streams`` independent random streams (stream r,
level j seeded by ``SeedSequence([seed, r, j])``); their spread gives the
intervals (:mod:`.fit`).  Conventions: docs/conventions.md; guide: docs/verify.md.
"""

import math
import statistics
import threading
import time
import warnings
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor
from concurrent.futures import wait as futures_wait
from dataclasses import dataclass, field

import mpmath
import numpy as np

from .._limits import BUDGETS, Deadline
from .._result import Result, register
from ..energy import as_energy
from ..errors import NumericError
from ..errors import SingularitiesWarning as NumericWarning
from ..jets import local_expression
from ..polyhedra.newton import newton_polyhedron
from ._backend import default_threads
from .ckernel import CHUNK, MAX_THRESHOLDS, kernel, thread_count
from .codegen import straight_line
from .sampling import box_pairs, check_samples, resolve_seed

__all__ = ["VolumeCurve", "volume_curve", "stream_counts", "newton_weights", "student_quantile"]

_PILOT = 4096
_SHELL_VOLUME_RATIO = 0.25  # vol(B_(j+1)) / vol(B_j)
_TAIL_HITS = 200  # pooled hits needed before a shell's power-law tail is used
_TAIL_POOLED_Z = 4.0  # pooled z of the tail slopes above which a group of tails is not used
_RARE_HITS = 50  # fewer pooled hits than this in a raw shell are rare events
_POLL = 0.1  # seconds between checks while concurrent streams run


@register("volume_curve")
@dataclass(frozen=True, slots=True)
class VolumeCurve(Result):
    """Multi-scale estimates of V(t) = vol{x in box : |g(x)| < t} (see the module docstring).

    ``thresholds`` decrease; ``stream_volumes[r][k]`` is stream r's estimate of
    V(t_k) and ``stream_minus[r][k]`` of vol{-t_k < g < 0}.  ``covariance`` is
    the binomial covariance matrix of the mean curve ``volumes`` (computed from
    the pooled counts; used as fit weights).  ``scale`` is the median of |g| on
    the box, ``weights`` and ``ratio`` (s) define the nested boxes, ``levels``
    is J + 1.  ``n_samples`` counts the samples of all streams, ``seed``
    reproduces the run on the same ``backend``.
    """

    thresholds: tuple
    volumes: tuple
    stream_volumes: tuple = field(repr=False)
    stream_minus: tuple = field(repr=False)
    covariance: tuple = field(repr=False)
    weights: tuple
    ratio: float
    levels: int
    scale: float
    n_samples: int
    seed: int
    backend: str
    threads: int = field(repr=False)
    box: tuple = field(repr=False)
    cpu_seconds: float = field(repr=False, compare=False)

    @property
    def streams(self):
        """The number of independent streams."""
        return len(self.stream_volumes)

    @property
    def volumes_minus(self):
        """Mean estimates of vol{-t < g < 0}."""
        return tuple(float(v) for v in np.mean(self.stream_minus, axis=0))

    @property
    def volumes_plus(self):
        """Mean estimates of vol{0 <= g < t}."""
        return tuple(v - m for v, m in zip(self.volumes, self.volumes_minus))

    def volume_intervals(self, level=0.95):
        """Student-t intervals ``(low, high)`` of each V(t_k) from the spread of the streams.

        Examples
        --------
        >>> from singularities.numeric.multiscale import volume_curve
        >>> c = volume_curve("x**2 + y**2", decades=4, samples=2 * 10**5, seed=1, backend="numpy")
        >>> all(lo < 3.14159 * t < hi for t, (lo, hi) in zip(c.thresholds, c.volume_intervals(0.999)))
        True
        """
        data = np.asarray(self.stream_volumes)
        half = student_quantile(level, self.streams - 1) * data.std(axis=0, ddof=1) / math.sqrt(self.streams)
        return tuple((float(v - h), float(v + h)) for v, h in zip(data.mean(axis=0), half))

    def local_exponents(self, level=0.95):
        """The local exponent d log V / d log t between neighbouring thresholds, with jackknife intervals.

        Returns a tuple of ``(t, exponent, low, high)`` with t the geometric
        mean of the two thresholds; the plateau is lambda, and the slow drift
        -(m - 1)/log(1/t) shows the multiplicity (docs/verify.md).
        """
        data = np.log(np.maximum(np.asarray(self.stream_volumes), 1e-300))
        t = np.log(self.thresholds)
        rows = []
        for k in range(len(t) - 1):
            slope = lambda d: float(np.log(np.exp(d[:, k]).mean() / np.exp(d[:, k + 1]).mean()) / (t[k] - t[k + 1]))  # noqa: E731
            value, stderr = slope(data), _jackknife(data, slope)
            half = student_quantile(level, self.streams - 1) * stderr
            rows.append((float(math.exp((t[k] + t[k + 1]) / 2)), value, value - half, value + half))
        return tuple(rows)

    def to_rows(self):
        header = ("threshold", "volume", "low", "high", "local exponent")
        exponents = [e[1] for e in self.local_exponents()] + [None]
        rows = [
            (f"{t:.4g}", f"{v:.6g}", f"{lo:.6g}", f"{hi:.6g}", None if e is None else f"{e:.4f}")
            for t, v, (lo, hi), e in zip(self.thresholds, self.volumes, self.volume_intervals(), exponents)
        ]
        return header, rows

    def to_dict(self):
        return {
            "kind": "volume_curve",
            "thresholds": list(self.thresholds),
            "volumes": list(self.volumes),
            "volumes_minus": list(self.volumes_minus),
            "intervals": [list(i) for i in self.volume_intervals()],
            "weights": list(self.weights),
            "ratio": self.ratio,
            "levels": self.levels,
            "scale": self.scale,
            "streams": self.streams,
            "n_samples": self.n_samples,
            "seed": self.seed,
            "backend": self.backend,
            "threads": self.threads,
            "box": [list(b) for b in self.box],
            "cpu_seconds": self.cpu_seconds,
            "stream_volumes": [list(s) for s in self.stream_volumes],
            "stream_minus": [list(s) for s in self.stream_minus],
            "covariance": [list(row) for row in self.covariance],
        }

    @classmethod
    def from_dict(cls, data):
        """Rebuild the curve from :meth:`to_dict` output (the derived means and intervals are recomputed)."""
        rows = lambda key: tuple(tuple(r) for r in data[key])  # noqa: E731
        return cls(
            tuple(data["thresholds"]),
            tuple(data["volumes"]),
            rows("stream_volumes"),
            rows("stream_minus"),
            rows("covariance"),
            tuple(data["weights"]),
            data["ratio"],
            data["levels"],
            data["scale"],
            data["n_samples"],
            data["seed"],
            data["backend"],
            data["threads"],
            rows("box"),
            data["cpu_seconds"],
        )


def volume_curve(
    function,
    point=None,
    *,
    box=None,
    variables=None,
    parameters=None,
    decades=12,
    per_decade=4,
    top=None,
    weights=None,
    streams=12,
    samples=10**8,
    seed=None,
    threads=None,
    backend="auto",
    timeout=None,
    counts=None,
):
    """Estimate V(t) = vol{x in box : |g(x)| < t} for t over ``decades`` decades, by nested shells.

    Parameters
    ----------
    function : str, sympy.Expr or Energy
        f; the sampled function is g(x) = f(p + x) - f(p).
    point : str or sequence, optional
        p, default the origin.
    box : pair or sequence of pairs, optional
        The region in the displacement x (default ``(-1, 1)`` in every
        variable); it must contain 0.
    decades, per_decade : int
        Thresholds ``top * 10**(-i / per_decade)`` for i = 0 .. decades * per_decade
        (per_decade >= 2).
    top : float, optional
        The largest threshold; default 1/100 of the median of |g| on the box.
    weights : sequence of float, optional
        Shrinking weights of the nested boxes; default :func:`newton_weights`.
    streams : int
        Independent repetitions (at least 4); intervals come from their spread.
    samples : int
        Samples over all streams and shells, 1 to :data:`.sampling.MAX_SAMPLES`
        (else :class:`~singularities.errors.InputError`).
    seed : int, numpy Generator or None
        Reproduces the run (``None``: a fresh one, recorded).
    threads, backend, timeout
        As for :func:`.sampling.volume_samples`.  When the per-shell calls are
        too small for OpenMP (:func:`.ckernel.thread_count`), the streams run
        concurrently instead, on up to ``threads`` threads (default: all
        CPUs) each running one kernel call at a time; the result does not
        depend on it.
    counts : list, optional
        The counts of every stream, from :func:`stream_counts` (the parts
        joined in stream order): the curve is assembled from them instead of
        sampling (the same options must be passed, with the parts' weights).

    Returns
    -------
    VolumeCurve

    Examples
    --------
    vol{|x y| < t} on [-1, 1]^2 is 4 t (1 + log(1/t)), down to t = 1e-10:

    >>> from singularities.numeric.multiscale import volume_curve
    >>> c = volume_curve("x*y", top=0.01, decades=8, per_decade=2, samples=2 * 10**7, seed=2, backend="numpy")
    >>> t, (low, high) = c.thresholds[-1], c.volume_intervals(0.999)[-1]
    >>> round(t, 12), low < 4 * t * (1 + math.log(1 / t)) < high
    (1e-10, True)
    """
    setup = _Setup(function, point, box, variables, parameters, timeout)
    setup.plan_run(
        decades=decades,
        per_decade=per_decade,
        top=top,
        weights=weights,
        streams=streams,
        samples=samples,
        backend=backend,
        seed=seed,
    )
    start = time.process_time()
    if counts is None:
        runner, plan, thresholds, seed, per_call = (
            setup.runner,
            setup.plan,
            setup.thresholds,
            setup.seed,
            setup.per_call,
        )
        counts, workers = _streams(runner, plan, thresholds, seed, int(streams), per_call, threads, setup.deadline)
    else:
        counts, workers = _given_counts(counts, int(streams), setup.plan.levels), 1
    cpu = time.process_time() - start
    return _curve(counts, setup.plan, setup.thresholds, setup.scale, setup.seed, setup.runner, workers, cpu)


def stream_counts(
    function,
    point=None,
    *,
    first,
    last,
    box=None,
    variables=None,
    parameters=None,
    decades=12,
    per_decade=4,
    top=None,
    weights=None,
    streams=12,
    samples=10**8,
    seed=None,
    threads=None,
    backend="auto",
    timeout=None,
):
    """The integer counts of streams ``first`` .. ``last - 1`` of :func:`volume_curve`'s run, and its plan.

    Stream r, level j is seeded by ``SeedSequence([seed, r, j])``, so the
    streams of one run can be counted anywhere (other processes, other
    machines) and handed back to ``volume_curve(..., counts=...)``, which
    then gives the curve of the run that counted them all.  Pass explicit
    ``weights`` (those of the returned plan): the default Newton weights
    fall back to plain halving when their step budget runs out, which would
    make two parts sample different shells.

    Returns
    -------
    dict
        ``"counts"``: per stream, per level ``[accepted, below, below_minus,
        threads]`` (integers); ``"plan"``: the ``weights``, ``scale``,
        ``thresholds`` and ``levels`` that the parts must share.

    Examples
    --------
    >>> from singularities.numeric.multiscale import stream_counts, volume_curve
    >>> options = dict(decades=4, samples=4 * 10**5, seed=3, streams=4, weights=(0.5, 0.5), backend="numpy")
    >>> parts = [stream_counts("x**2 + y**2", first=a, last=a + 2, **options) for a in (0, 2)]
    >>> curve = volume_curve("x**2 + y**2", counts=parts[0]["counts"] + parts[1]["counts"], **options)
    >>> curve == volume_curve("x**2 + y**2", **options)
    True
    """
    setup = _Setup(function, point, box, variables, parameters, timeout)
    setup.plan_run(
        decades=decades,
        per_decade=per_decade,
        top=top,
        weights=weights,
        streams=streams,
        samples=samples,
        backend=backend,
        seed=seed,
    )
    if not 0 <= int(first) < int(last) <= int(streams):
        raise NumericError(f"streams {first} to {last} are not a range of 0 .. {streams}; give 0 <= first < last")
    rows = [
        _stream(setup.runner, setup.plan, setup.thresholds, setup.seed, r, setup.per_call, threads, setup.deadline)
        for r in range(int(first), int(last))
    ]
    plan = {"weights": list(setup.plan.weights), "scale": setup.scale, "thresholds": list(setup.thresholds)}
    plan["levels"] = setup.plan.levels
    cells = [[[int(c[0]), list(map(int, c[1])), list(map(int, c[2])), int(c[3])] for c in row] for row in rows]
    return {"counts": cells, "plan": plan}


def newton_weights(function, point=None, *, variables=None, parameters=None, timeout=None):
    """Weights w >= 0 with w . e >= 1 on the Newton polyhedron of g and sum w = 1/t (t the Newton distance).

    The mean of ``normal / offset`` over the facets containing the principal
    face; for a quasi-homogeneous g these are its weights.  ``timeout``
    (seconds or a Deadline) bounds the Newton polyhedron.

    Examples
    --------
    >>> from singularities.numeric.multiscale import newton_weights
    >>> newton_weights("x**3 + y**5"), newton_weights("x*y")
    ((0.3333333333333333, 0.2), (0.5, 0.5))
    """
    polyhedron = newton_polyhedron(function, point, variables=variables, parameters=parameters, timeout=timeout)
    facets = [polyhedron.facets[i] for i in polyhedron.principal_face.facets]
    return tuple(float(sum(f.normal[i] / f.offset for f in facets) / len(facets)) for i in range(polyhedron.dimension))


def student_quantile(level, dof):
    """The two-sided Student-t quantile: P(|T| <= q) = level for T with ``dof`` degrees of freedom.

    Examples
    --------
    >>> from singularities.numeric.multiscale import student_quantile
    >>> round(student_quantile(0.95, 10), 4)
    2.2281
    """
    if dof <= 0:
        return math.inf
    target = 0.5 + level / 2
    cdf = lambda x: 1 - 0.5 * mpmath.betainc(dof / 2, 0.5, 0, dof / (dof + x * x), regularized=True)  # noqa: E731
    guess = statistics.NormalDist().inv_cdf(target)
    return float(mpmath.findroot(lambda x: cdf(x) - target, guess * (1 + 1.5 / dof)))


class _Setup:
    """What one run of volume_curve fixes before sampling: kernel, scale, weights, thresholds, shells, calls."""

    def __init__(self, function, point, box, variables, parameters, timeout):
        self.energy = as_energy(function, point, variables=variables, parameters=parameters)
        self.deadline = Deadline.coerce(timeout)
        self.region = box_pairs(box, len(self.energy.variables))
        if any(not lo <= 0.0 <= hi for lo, hi in self.region):
            raise NumericError(
                f"the box {self.region} must contain the point (0 in every displacement); move the box or the point"
            )

    def plan_run(self, *, decades, per_decade, top, weights, streams, samples, backend, seed):
        samples, self.seed = check_samples(samples), resolve_seed(seed)
        if int(streams) < 4:
            raise NumericError(f"need at least 4 independent streams for intervals; got streams={streams}")
        variables = [str(v) for v in self.energy.variables]
        expression = local_expression(self.energy, subtract_value=True, expand=True)
        self.runner = kernel(straight_line(expression, variables), backend=backend)
        self.scale = _scale(self.runner, self.region, self.seed)
        w = _weights(weights, self.energy, len(variables), self.deadline)
        self.thresholds = _thresholds(top, self.scale, decades, per_decade)
        ratio = _SHELL_VOLUME_RATIO ** (1 / sum(w))
        levels = max(1, math.ceil(math.log(self.thresholds[-1] / self.scale) / math.log(ratio))) + 1
        self.plan = _Shells(self.region, w, ratio, levels)
        self.per_call = max(16, int(samples) // (int(streams) * levels))


def _given_counts(counts, streams, levels):
    """Counts handed to volume_curve, checked against the run's shape (one row per stream, one cell per level)."""
    if len(counts) != streams or any(len(row) != levels for row in counts):
        raise NumericError(
            f"counts for {len(counts)} streams were given, the run has {streams} streams of {levels} levels; "
            "join the parts of stream_counts in stream order, with the same options"
        )
    return [[(c[0], tuple(c[1]), tuple(c[2]), c[3]) for c in row] for row in counts]


class _Shells:
    """The nested boxes B_j = s^(j w) B: volumes, and the (box, excluded box) sampled at level j."""

    def __init__(self, region, weights, ratio, levels):
        self.region, self.weights, self.ratio, self.levels = region, weights, ratio, levels

    def box(self, j):
        return tuple(
            (lo * self.ratio ** (j * w), hi * self.ratio ** (j * w)) for (lo, hi), w in zip(self.region, self.weights)
        )

    def volume(self, j):
        """vol(S_j), or vol(B_J) for the core j = J."""
        outer = math.prod(hi - lo for lo, hi in self.box(j))
        return outer if j == self.levels - 1 else outer - math.prod(hi - lo for lo, hi in self.box(j + 1))

    def call(self, j):
        outer = self.box(j)
        lo, hi = [b[0] for b in outer], [b[1] for b in outer]
        if j == self.levels - 1:
            return lo, hi, None
        inner = self.box(j + 1)
        return lo, hi, ([b[0] for b in inner], [b[1] for b in inner])


def _streams(runner, plan, thresholds, seed, streams, per_call, threads, deadline):
    """Counts of every stream, and the concurrent streams: several when the calls are too small for OpenMP.

    The kernel call releases the GIL, so streams in Python threads run in
    parallel without OpenMP's fork, join and spin-wait per call; each stream
    keeps its own seeds, so the counts are those of the sequential run.
    """
    chunks = -(-per_call // CHUNK)
    workers = 1
    if runner.backend == "c" and thread_count(threads, chunks) == 1:
        workers = max(1, min(streams, threads or default_threads()))
    if workers == 1:
        return [_stream(runner, plan, thresholds, seed, r, per_call, threads, deadline) for r in range(streams)], 1
    stop = threading.Event()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [
            pool.submit(_stream, runner, plan, thresholds, seed, r, per_call, 1, deadline, stop) for r in range(streams)
        ]
        try:
            pending = set(futures)
            while pending:  # short waits: a watchdog's asynchronous TimeLimitError reaches this thread
                done, pending = futures_wait(pending, timeout=_POLL, return_when=FIRST_EXCEPTION)
                for future in done:
                    future.result()  # a stream's error (a time limit, an empty shell) at once
            return [f.result() for f in futures], workers
        finally:
            stop.set()  # on an error (a time limit, an empty shell), the other streams stop at their next call


def _stream(runner, plan, thresholds, seed, r, per_call, threads, deadline, stop=None):
    """Counts (accepted, below[k], below_minus[k], threads) per level for stream r."""
    rows = []
    for j in range(plan.levels):
        if stop is not None and stop.is_set():
            return rows
        lo, hi, inner = plan.call(j)
        stream_seed = int(np.random.SeedSequence([seed, r, j]).generate_state(1, np.uint64)[0]) >> 1
        c = runner.counts(lo, hi, thresholds, seed=stream_seed, n_samples=per_call, inner=inner, threads=threads)
        if c.accepted == 0:
            raise NumericError(f"no sample fell in shell {j}; raise samples (now {per_call} per shell)")
        rows.append((c.accepted, c.below, c.below_minus, c.threads))
        deadline.check("multi-scale sampling", r * plan.levels + j + 1)
    return rows


def _curve(counts, plan, thresholds, scale, seed, runner, threads, cpu):
    volumes = np.array([plan.volume(j) for j in range(plan.levels)])
    accepted = np.array([[row[0] for row in stream] for stream in counts], dtype=float)  # (R, J)
    below = np.array([[row[1] for row in stream] for stream in counts], dtype=float)  # (R, J, K)
    minus = np.array([[row[2] for row in stream] for stream in counts], dtype=float)
    index, factor = _tails(below.sum(axis=0), np.asarray(thresholds), plan, scale)
    keep = _reliable(below.sum(axis=0), accepted.sum(axis=0), index, volumes)
    if keep < 5:
        raise NumericError(
            f"rare hits in the outer shells dominate V(t) from t = {thresholds[keep]:.3g} on; "
            f"raise samples (now {int(accepted.sum())}) or lower top"
        )
    if keep < len(thresholds):
        warnings.warn(
            f"V(t) is estimated only down to t = {thresholds[keep - 1]:.3g} (not {thresholds[-1]:.3g}): "
            f"below, rare hits in the outer shells dominate; raise samples for more decades",
            NumericWarning,
            stacklevel=3,
        )
    thresholds, below, minus, index, factor = (
        thresholds[:keep],
        below[:, :, :keep],
        minus[:, :, :keep],
        index[:, :keep],
        factor[:, :keep],
    )
    estimate = lambda c: np.einsum(
        "j,rjk,jk->rk", volumes, np.take_along_axis(c, index[None], 2) / accepted[:, :, None], factor
    )  # noqa: E731
    per_stream, per_stream_minus = estimate(below), estimate(minus)
    covariance = _covariance(volumes, below.sum(axis=0), accepted.sum(axis=0), index, factor)
    used = max(threads, max(row[3] for stream in counts for row in stream))
    return VolumeCurve(
        tuple(float(t) for t in thresholds),
        tuple(float(v) for v in per_stream.mean(axis=0)),
        tuple(map(tuple, per_stream.tolist())),
        tuple(map(tuple, per_stream_minus.tolist())),
        tuple(map(tuple, covariance.tolist())),
        tuple(plan.weights),
        plan.ratio,
        plan.levels,
        scale,
        int(accepted.sum()),
        seed,
        runner.backend,
        int(used),
        plan.region,
        cpu,
    )


def _tails(pooled, thresholds, plan, scale):
    """Which count stands for V_j(t_k), and the factor applied: the power-law tail of each outer shell.

    Away from the point the zero set of g is smooth (or a Morse-Bott minimum),
    so a shell's volume vol{x in S_j : |g| < t} is c_j t^e_j with e_j in
    {1/2, 1, 3/2, 2} once t is far below the scale u_(j+1) = s^(j+1) * scale of
    the shell's inner box.  Below the smallest threshold t_ref with
    :data:`_TAIL_HITS` pooled hits and t_ref <= u_(j+1) / 100, the count at t_ref is carried down as (t / t_ref)^e_j;
    e_j is the measured slope over (up to) the decade above t_ref, rounded to a
    half-integer, and the tail is used only if the measured slope is within
    0.1 of it and the counts one decade lower agree (within 5 sigma).

    Where the zero set is itself singular away from the point (normal
    crossings, as for (x y)^2 + (z w)^2), a shell's tail is c_j t^e_j (log 1/t)^k:
    its slope is e_j - k / L, a few hundredths below the half-integer, too little
    to see in one shell but the same in every shell (they are scaled copies).
    So the slopes' deviations from their half-integers, in units of their
    binomial standard errors, are pooled over the shells with the same e_j;
    if the pooled deviation exceeds :data:`_TAIL_POOLED_Z`, none of those tails
    is used.  Otherwise, and in the core, the raw counts are used (see
    :func:`_reliable`).
    """
    levels, k = pooled.shape
    index = np.tile(np.arange(k), (levels, 1))
    factor = np.ones((levels, k))
    tails = [tail for j in range(levels - 1) if (tail := _tail(pooled, thresholds, plan, scale, j)) is not None]
    for rounded in {tail[2] for tail in tails}:
        group = [tail for tail in tails if tail[2] == rounded]
        if abs(sum(tail[3] for tail in group)) / math.sqrt(len(group)) > _TAIL_POOLED_Z:
            continue  # a log factor (or another systematic departure) in these tails: raw counts only
        for j, ref, _, _ in group:
            index[j, ref + 1 :] = ref
            factor[j, ref + 1 :] = (thresholds[ref + 1 :] / thresholds[ref]) ** rounded
    return index, factor


def _tail(pooled, thresholds, plan, scale, j):
    """(j, t_ref index, rounded exponent, z of the slope) for a usable tail of shell j, or None."""
    k = pooled.shape[1]
    step = int(round(1 / math.log10(thresholds[0] / thresholds[1])))  # thresholds per decade
    ref = _tail_start(pooled[j], thresholds, plan.ratio ** (j + 1) * scale)
    if ref is None:
        return None
    up = ref - min(step, ref)
    baseline = math.log(thresholds[up] / thresholds[ref])
    exponent = math.log(pooled[j, up] / pooled[j, ref]) / baseline
    rounded = round(2 * exponent) / 2
    if not 0 < rounded <= 2 or abs(exponent - rounded) > 0.1:
        return None
    check = min(ref + step, k - 1)
    predicted = pooled[j, ref] * (thresholds[check] / thresholds[ref]) ** rounded
    if abs(pooled[j, check] - predicted) > 5 * math.sqrt(predicted) + 3:
        return None
    stderr = math.sqrt(max(1 / pooled[j, ref] - 1 / pooled[j, up], 1e-12)) / baseline  # nested binomial counts
    return j, ref, rounded, (exponent - rounded) / stderr


def _tail_start(counts, thresholds, inner_scale):
    """The last threshold index with enough hits, at most 1/100 of the inner box's scale, with two thresholds
    above it."""
    enough = np.nonzero((counts >= _TAIL_HITS) & (thresholds <= inner_scale / 100))[0]
    if enough.size == 0 or enough[-1] < 2 or enough[-1] == len(thresholds) - 1:
        return None
    return int(enough[-1])


def _reliable(pooled, accepted, index, volumes):
    """How many leading thresholds are not dominated by rare hits.

    At t_k, the shells counted raw (no tail) with fewer than :data:`_RARE_HITS`
    pooled hits are rare events: their mean is unbiased but its spread is too skewed
    for the intervals.  Thresholds where those shells (with one hit added)
    could make up 5% of V(t_k) are dropped, with all smaller ones (counts only
    fall as t falls, so the first such threshold ends the reliable range).
    """
    raw = (index == np.arange(pooled.shape[1])[None, :]) & (pooled < _RARE_HITS)
    raw[-1] = False  # the core holds the singular point; its counts are never rare at its own scale
    rare = np.einsum("j,jk->k", volumes / accepted, np.where(raw & (pooled > 0), pooled + 1, 0))
    total = np.einsum("j,jk->k", volumes / accepted, np.take_along_axis(pooled, index, 1))
    bad = np.nonzero(rare > 0.05 * total)[0]
    return pooled.shape[1] if bad.size == 0 else int(bad[0])


def _covariance(volumes, below, accepted, index, factor):
    """Binomial covariance of the mean curve from the pooled counts of each level.

    The events |g| < t_k are nested, so per sample Cov(1_k, 1_l) = p_min(k,l) - p_k p_l;
    tails reuse the count at t_ref with their factors; the mean of the streams
    uses all ``accepted[j]`` samples of level j.
    """
    p = below / accepted[:, None]  # (J, K); a shell without hits adds no variance (the fits add a relative floor)
    p = np.take_along_axis(p, index, 1)
    inner = (
        (np.minimum(p[:, :, None], p[:, None, :]) - p[:, :, None] * p[:, None, :])
        * factor[:, :, None]
        * factor[:, None, :]
    )
    return np.einsum("j,jkl->kl", volumes**2 / accepted, inner)


def _scale(runner, region, seed):
    generator = np.random.default_rng([seed, 2**32 - 1])
    lo, hi = np.array([b[0] for b in region]), np.array([b[1] for b in region])
    values = np.abs(runner.evaluate(lo + (hi - lo) * generator.random((_PILOT, len(region))))[:, 0])
    scale = float(np.median(values[np.isfinite(values)])) if np.isfinite(values).any() else 0.0
    if not scale > 0:
        raise NumericError(
            "g vanishes (or is not finite) on most of the box; choose a box where g varies, or pass top="
        )
    return scale


def _weights(weights, energy, n, deadline):
    if weights is None:
        # any failure of the exact side, or its step budget running out: fall back to plain halving
        with deadline.attempt("the Newton weights", BUDGETS.newton_weights, catch=Exception) as step:
            weights = newton_weights(energy, timeout=step.deadline)
        if not step.ok:
            weights = (1.0 / n,) * n
    w = tuple(float(x) for x in weights)
    if len(w) != n or any(not x >= 0 for x in w) or sum(w) <= 0:
        raise NumericError(f"weights must be {n} non-negative numbers with a positive sum; got {weights!r}")
    return w


def _thresholds(top, scale, decades, per_decade):
    top = 0.01 * scale if top is None else float(top)
    count = int(decades) * int(per_decade) + 1
    if int(per_decade) < 2:
        raise NumericError(
            f"per_decade={per_decade}: the shell tails need at least 2 thresholds per decade; raise per_decade"
        )
    if not top > 0 or not 2 <= count <= MAX_THRESHOLDS:
        raise NumericError(
            f"need top > 0 and 2 to {MAX_THRESHOLDS} thresholds; got top={top}, "
            f"decades * per_decade + 1 = {count}: lower decades or per_decade"
        )
    return tuple(float(top * 10.0 ** (-i / int(per_decade))) for i in range(count))


def _jackknife(data, statistic):
    """Delete-one jackknife standard error of ``statistic`` over the rows (streams) of ``data``."""
    r = len(data)
    values = np.array([statistic(np.delete(data, i, axis=0)) for i in range(r)])
    return float(math.sqrt((r - 1) / r * ((values - values.mean()) ** 2).sum()))
