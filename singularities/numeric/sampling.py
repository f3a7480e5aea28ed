"""Seeded uniform sampling of sublevel volumes vol{|g| < t} and of two-sided histograms of g.

Both samplers draw uniform points x in a box around the point p (optionally
minus an inner box, for shells), evaluate g(x) = f(p + x) - c with c = f(p)
(docs/conventions.md#functions-points-and-variables) in a fused kernel
(:mod:`.ckernel`), and count, for thresholds t_1 > t_2 > ... > t_k, the
samples with |g| < t_j and those of them with g < 0.  The same counts give

- the volumes vol{x in region : |g(x)| < t_j} (binomial estimates with
  Wilson intervals), whose scaling in t is C t^lambda (log 1/t)^(m-1)
  (docs/conventions.md#the-real-log-canonical-threshold);
- the histogram of g - c on each side of the critical value, in bins
  [t_{j+1}, t_j) of |g - c| (docs/conventions.md, DOS).

Samples are reproducible: chunk j of a run uses the seed pair (seed, j), so
counts do not depend on the number of threads, and a run can be extended by
starting at a later chunk (``first_chunk``).
"""

import math
import numbers
import secrets
import statistics
from dataclasses import dataclass, field

import numpy as np
import sympy

from .._limits import Deadline
from .._result import Result, register
from ..energy import as_energy
from ..errors import InputError, NumericError
from ..jets import local_expression
from .ckernel import CHUNK, kernel
from .codegen import straight_line

__all__ = [
    "Samples",
    "volume_samples",
    "histogram_samples",
    "log_thresholds",
    "box_pairs",
    "resolve_seed",
    "check_samples",
    "MAX_SAMPLES",
]

MAX_SAMPLES = 10**12  # the largest sample count accepted (about an hour of the C kernel on a few cores)
_BATCH_CHUNKS = 64


@register("samples")
@dataclass(frozen=True, slots=True)
class Samples(Result):
    """Counts from uniform samples of g in a region (see the module docstring).

    ``counts[j]`` is the number of samples with |g| < t_j (``thresholds[j]``,
    decreasing) and ``counts_minus[j]`` the number of them with g < 0;
    ``n_samples`` samples fell in the region, of volume ``volume``.  The
    run is reproduced by ``seed``, ``first_chunk`` and ``n_samples``
    (rounded up to a multiple of 16) on the same ``backend``.
    """

    thresholds: tuple
    counts: tuple
    counts_minus: tuple
    n_samples: int
    n_minus: int
    n_plus: int
    volume: float
    seed: int
    backend: str
    threads: int
    box: tuple = field(default=(), repr=False)
    exclude: tuple = field(default=None, repr=False)
    first_chunk: int = field(default=0, repr=False)

    @property
    def counts_plus(self):
        """Samples with 0 <= g < t_j."""
        return tuple(c - m for c, m in zip(self.counts, self.counts_minus))

    @property
    def fractions(self):
        """counts / n_samples."""
        return tuple(c / self.n_samples for c in self.counts)

    @property
    def volumes(self):
        """Estimates of vol{x in region : |g(x)| < t_j}."""
        return tuple(self.volume * f for f in self.fractions)

    def volume_intervals(self, level=0.95):
        """Wilson score intervals ``(low, high)`` for each volume at confidence ``level``.

        Examples
        --------
        >>> from singularities.numeric.sampling import Samples
        >>> s = Samples((1.0,), (50,), (0,), 100, 0, 100, 4.0, 1, "numpy", 1)
        >>> [round(v, 3) for v in s.volume_intervals()[0]]
        [1.615, 2.385]
        """
        z = statistics.NormalDist().inv_cdf(0.5 + level / 2)
        return tuple(tuple(self.volume * b for b in _wilson(c, self.n_samples, z)) for c in self.counts)

    def histogram(self):
        """``(edges, plus, minus)``: bins ``[edges[i], edges[i+1])`` of |g| with counts for g >= 0 and g < 0.

        ``edges`` is ``(0, t_k, ..., t_1)``; samples with |g| >= t_1 are not binned.
        """
        edges = (0.0,) + self.thresholds[::-1]
        return edges, _differences(self.counts_plus), _differences(self.counts_minus)

    def to_rows(self):
        header = ("threshold", "count", "count g<0", "volume", "low", "high")
        rows = [
            (f"{t:.6g}", c, m, f"{v:.6g}", f"{lo:.6g}", f"{hi:.6g}")
            for t, c, m, v, (lo, hi) in zip(
                self.thresholds, self.counts, self.counts_minus, self.volumes, self.volume_intervals()
            )
        ]
        return header, rows

    def to_dict(self):
        return {
            "kind": "samples",
            "thresholds": list(self.thresholds),
            "counts": list(self.counts),
            "counts_minus": list(self.counts_minus),
            "n_samples": self.n_samples,
            "n_minus": self.n_minus,
            "n_plus": self.n_plus,
            "volume": self.volume,
            "volumes": list(self.volumes),
            "intervals": [list(i) for i in self.volume_intervals()],
            "seed": self.seed,
            "backend": self.backend,
            "threads": self.threads,
            "box": [list(b) for b in self.box],
            "exclude": None if self.exclude is None else [list(b) for b in self.exclude],
            "first_chunk": self.first_chunk,
        }

    @classmethod
    def from_dict(cls, data):
        """Rebuild the counts from :meth:`to_dict` output (volumes and intervals are recomputed)."""
        pairs = lambda key: None if data[key] is None else tuple(tuple(b) for b in data[key])  # noqa: E731
        return cls(
            tuple(data["thresholds"]),
            tuple(data["counts"]),
            tuple(data["counts_minus"]),
            data["n_samples"],
            data["n_minus"],
            data["n_plus"],
            data["volume"],
            data["seed"],
            data["backend"],
            data["threads"],
            pairs("box"),
            pairs("exclude"),
            data["first_chunk"],
        )


def volume_samples(
    function,
    thresholds,
    point=None,
    *,
    box=None,
    exclude=None,
    variables=None,
    parameters=None,
    n_samples=10**6,
    seed=None,
    threads=None,
    backend="auto",
    first_chunk=0,
    timeout=None,
):
    """Count uniform samples with |g(x)| < t_j in a box around the point: estimates of vol{|g| < t}.

    Parameters
    ----------
    function : str, sympy.Expr or Energy
        f; the sampled function is g(x) = f(p + x) - f(p).
    thresholds : sequence of float
        t_1 > t_2 > ... > t_k > 0 (at most 512); see :func:`log_thresholds`.
    point : str or sequence, optional
        p, default the origin (or the Energy's point).
    box : pair or sequence of pairs, optional
        The region in the displacement x, one ``(low, high)`` per variable
        or one pair for all; default ``(-1, 1)``.
    exclude : pair or sequence of pairs, optional
        An inner box removed from the region (a shell); samples falling in
        it are rejected and not counted in ``n_samples``.
    n_samples : int
        Samples drawn (rounded up to a multiple of 16).
    seed : int, numpy Generator or None
        The run's seed (``None``: a fresh random one, recorded in the result).
    threads : int, optional
        At most this many threads for the C backend (default: all available
        CPUs); a kernel call uses one per 2^20 samples
        (:func:`.ckernel.thread_count`).  The counts do not depend on it.
    backend : {"auto", "c", "numpy"}
    first_chunk : int
        Start at this work chunk of 65536 samples (to extend an earlier run).
    timeout : float, optional
        Seconds; raises :class:`TimeLimitError` carrying the partial Samples.

    Returns
    -------
    Samples

    Examples
    --------
    vol{x^2 + y^2 < t} = pi t for t <= 1:

    >>> from singularities.numeric.sampling import volume_samples
    >>> s = volume_samples("x**2 + y**2", [0.5], n_samples=10**5, seed=1, backend="numpy")
    >>> low, high = s.volume_intervals(0.999)[0]
    >>> low < 3.14159 / 2 < high
    True
    """
    n_samples = check_samples(n_samples, "n_samples")
    energy = as_energy(function, point, variables=variables, parameters=parameters)
    g = local_expression(energy, subtract_value=True, expand=True)
    return _run(g, energy.variables, thresholds, box, exclude, n_samples, seed, threads, backend, first_chunk, timeout)


def histogram_samples(function, edges, point=None, **options):
    """Two-sided histogram of g(x) = f(p + x) - f(p): counts in bins of |g| between ``edges``, for g >= 0 and g < 0.

    ``edges`` are increasing positive bin edges e_1 < ... < e_k (log-spaced
    for a DOS: :func:`log_thresholds` reversed); the other options are those of
    :func:`volume_samples`.  Read the bins with :meth:`Samples.histogram`.

    Examples
    --------
    The Morse saddle x^2 - y^2 is symmetric under g -> -g:

    >>> from singularities.numeric.sampling import histogram_samples
    >>> s = histogram_samples("x**2 - y**2", [0.25, 0.5, 1.0], n_samples=10**5, seed=2, backend="numpy")
    >>> edges, plus, minus = s.histogram()
    >>> edges
    (0.0, 0.25, 0.5, 1.0)
    >>> abs(sum(plus) - sum(minus)) < 4 * (sum(plus) + sum(minus)) ** 0.5
    True
    """
    edges = tuple(float(e) for e in edges)
    if any(b <= a for a, b in zip(edges, edges[1:])):
        raise NumericError(f"histogram edges must increase strictly; got {edges}: sort them and drop duplicates")
    return volume_samples(function, edges[::-1], point, **options)


def log_thresholds(largest, smallest, count):
    """``count`` thresholds from ``largest`` down to ``smallest``, evenly spaced in log t.

    Examples
    --------
    >>> from singularities.numeric.sampling import log_thresholds
    >>> log_thresholds(1, 1e-2, 3)
    (1.0, 0.1, 0.01)
    """
    if not 0 < smallest < largest or count < 2:
        raise NumericError(f"need 0 < smallest < largest and count >= 2; got {smallest}, {largest}, {count}")
    return tuple(float(t) for t in np.geomspace(largest, smallest, int(count)))


def box_pairs(box, n, what="box"):
    """The region as one ``(low, high)`` float pair per variable (``box`` as in :func:`volume_samples`).

    Examples
    --------
    >>> from singularities.numeric.sampling import box_pairs
    >>> box_pairs((-1, 2), 2)
    ((-1.0, 2.0), (-1.0, 2.0))
    """
    return _region(box, n, what)


def check_samples(value, name="samples"):
    """``value`` as a positive int of at most :data:`MAX_SAMPLES`, or :class:`InputError` naming the option.

    Integral floats are accepted (``1e8``); NaN, infinities, fractions,
    booleans and values above the maximum are not.

    Examples
    --------
    >>> from singularities.numeric.sampling import check_samples
    >>> check_samples(1e8)
    100000000
    >>> check_samples(float("inf"))
    Traceback (most recent call last):
    ...
    singularities.errors.InputError: samples=inf must be a whole number from 1 to 10**12; pass for example samples=10**8
    """
    number = None
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        number = int(value)
    elif isinstance(value, (float, numbers.Rational, sympy.Basic)) and not isinstance(value, bool):
        try:
            as_float = float(value)
        except (TypeError, ValueError):
            as_float = math.nan
        if math.isfinite(as_float) and as_float == int(as_float):
            number = int(as_float)
    if number is None or not 1 <= number <= MAX_SAMPLES:
        raise InputError(
            f"{name}={value!r} must be a whole number from 1 to 10**{round(math.log10(MAX_SAMPLES))}; "
            f"pass for example {name}=10**8"
        )
    return number


def resolve_seed(seed):
    """The integer seed a run records: ``seed`` itself, one drawn from a Generator, or a fresh one for None."""
    return _seed(seed)


def _run(g, variables, thresholds, box, exclude, n_samples, seed, threads, backend, first_chunk, timeout):
    n = len(variables)
    region, inner = _region(box, n, "box"), (None if exclude is None else _region(exclude, n, "exclude"))
    seed = _seed(seed)
    program = straight_line(g, [str(v) for v in variables])
    runner = kernel(program, backend=backend)
    lo, hi = [b[0] for b in region], [b[1] for b in region]
    inner_pair = None if inner is None else ([b[0] for b in inner], [b[1] for b in inner])
    deadline = Deadline.coerce(timeout)
    partial, remaining, chunk = None, int(n_samples), int(first_chunk)
    while remaining > 0:
        size = min(remaining, _BATCH_CHUNKS * CHUNK)
        counts = runner.counts(
            lo, hi, thresholds, seed=seed, n_samples=size, first_chunk=chunk, inner=inner_pair, threads=threads
        )
        partial = _samples(counts, partial, thresholds, region, inner, seed, first_chunk)
        remaining, chunk = remaining - size, chunk + _BATCH_CHUNKS
        deadline.check("sampling", int(n_samples) - remaining, int(n_samples), partial)
    if partial.n_samples == 0:
        raise NumericError("no sample fell in the region (the excluded box covers it); shrink exclude or enlarge box")
    return partial


def _samples(counts, previous, thresholds, region, inner, seed, first_chunk):
    if previous is not None:
        add = lambda a, b: tuple(x + y for x, y in zip(a, b))  # noqa: E731
        below, minus = add(previous.counts, counts.below), add(previous.counts_minus, counts.below_minus)
        accepted, n_minus, n_plus = (
            previous.n_samples + counts.accepted,
            previous.n_minus + counts.negative,
            previous.n_plus + counts.positive,
        )
    else:
        below, minus, accepted, n_minus, n_plus = (
            counts.below,
            counts.below_minus,
            counts.accepted,
            counts.negative,
            counts.positive,
        )
    return Samples(
        tuple(float(t) for t in thresholds),
        below,
        minus,
        accepted,
        n_minus,
        n_plus,
        _volume(region, inner),
        seed,
        counts.backend,
        counts.threads,
        region,
        inner,
        first_chunk,
    )


def _region(box, n, what):
    if box is None:
        return ((-1.0, 1.0),) * n
    items = list(box)
    if len(items) == 2 and all(isinstance(b, (int, float, sympy.Basic)) for b in items):
        items = [tuple(items)] * n
    if len(items) != n or any(len(b) != 2 for b in items):
        raise NumericError(f"{what} needs one (low, high) pair per variable ({n}) or a single pair; got {box!r}")
    pairs = tuple((float(lo), float(hi)) for lo, hi in items)
    if not all(math.isfinite(lo) and math.isfinite(hi) and lo < hi for lo, hi in pairs):
        raise NumericError(f"every {what} interval needs finite low < high; got {box!r}")
    return pairs


def _volume(region, inner):
    total = math.prod(hi - lo for lo, hi in region)
    if inner is None:
        return total
    overlap = math.prod(max(0.0, min(hi, ih) - max(lo, il)) for (lo, hi), (il, ih) in zip(region, inner))
    return total - overlap


def _seed(seed):
    if seed is None:
        return secrets.randbits(63)
    if isinstance(seed, np.random.Generator):
        return int(seed.integers(0, 2**63))
    if isinstance(seed, (int, np.integer)) and seed >= 0:
        return int(seed)
    raise NumericError(f"seed must be a non-negative int, a numpy Generator or None; got {seed!r}")


def _wilson(count, n, z):
    p = count / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    low = 0.0 if count == 0 else max(0.0, centre - half)
    return low, 1.0 if count == n else min(1.0, centre + half)


def _differences(cumulative):
    """Bin counts from counts below decreasing thresholds, innermost bin first."""
    inner_first = cumulative[::-1]
    return (inner_first[0],) + tuple(b - a for a, b in zip(inner_first, inner_first[1:]))
