"""Fused sampling kernels: generated C compiled once per user and loaded with ctypes, or a numpy fallback.

A kernel draws uniform points in a box (optionally minus an inner box), evaluates
``v = g(x) - value`` and, for thresholds ``t_1 > t_2 > ... > t_k``, counts the
points with ``|v| < t_j`` and, among them, those with ``v < 0``.  Both the
sublevel volumes ``vol{|g| < t}`` and two-sided histograms of ``g`` around a
critical value follow from these counts (:mod:`.sampling`).

The C kernel is one loop per work chunk: an in-kernel xoshiro256+ generator in
16 lanes (seeded by splitmix64 from ``(seed, chunk)``), the straight-line code
of :mod:`.codegen`, and the counters, with no temporary arrays; OpenMP spreads
the chunks over threads.  Chunk ``j`` always holds samples ``j*CHUNK`` to
``(j+1)*CHUNK - 1`` and depends only on ``(seed, j)``, so counts do not depend
on the number of threads.

Compilation uses ``$CC`` or the first of ``cc``, ``gcc``, ``clang`` with
``-O3 -march=native -fopenmp -fno-math-errno``, each dropped in turn if the
compiler refuses it; never ``-ffast-math``, which would flush subnormals in
the whole process.  cos and sin are the kernels' own branch-free polynomial
kernels (Cody-Waite reduction by fused multiply-adds, fdlibm's polynomials),
vectorised with the loop: at most :data:`TRIG_ERROR_ULP` ulp and 2^-52 in
absolute terms for |x| <= :data:`TRIG_LIMIT`; a block of 16 samples with an
argument beyond it (or infinite) is evaluated again with libm's scalar cos
and sin.  The check is skipped when interval arithmetic over the box bounds
every argument by ``TRIG_LIMIT / 2`` (:meth:`.codegen.Program.call_argument_bound`).  Each
|v| is ranked among the thresholds by comparisons with all of them, or from
20 thresholds on AVX-512 by groups of 8 (:func:`counting_scheme`; the same
counts), and a call uses one thread per 16 chunks (:func:`thread_count`).  The shared object is cached per user under
``_backend.cache_directory()``, keyed by the SHA-256 of the source, compiler
version, flags and CPU, and published atomically (temporary file, then
``os.replace``); a corrupted entry is detected by its recorded digest and
rebuilt; when the cache directory is unusable the kernels go to a temporary
directory (one warning per process).  Without a compiler, :class:`NumpyKernel`
computes the same counts with numpy's PCG64 (seeded from
``SeedSequence([seed, j])`` per chunk) and says ``backend="numpy"``; with
``backend="auto"`` this is announced once per process by a warning, unless
``SINGULARITIES_NO_COMPILER`` asked for it.

Do not fork the process (``multiprocessing`` with the fork start method)
after a C kernel has run: forking after OpenMP threads exist can hang the
child.  Use the spawn start method or threads.
"""

import ctypes
import hashlib
import os
import pathlib
import string
import subprocess
import tempfile
import warnings
from dataclasses import dataclass

import numpy as np

from .._limits import BUDGETS
from ..errors import InputError, NumericError, SingularitiesWarning
from ._backend import cpu_model, default_threads, find_compiler, usable_cache_directory, warn_once

__all__ = [
    "CHUNK",
    "LANES",
    "MAX_THRESHOLDS",
    "GROUPED_FROM",
    "CHUNKS_PER_THREAD",
    "TRIG_LIMIT",
    "TRIG_ERROR_ULP",
    "thread_count",
    "counting_scheme",
    "KernelCounts",
    "CKernel",
    "NumpyKernel",
    "kernel",
    "compile_kernel",
    "numpy_kernel",
]

CHUNK = 1 << 16  # samples per work chunk (the unit of seeding and of parallel work)
LANES = 16  # samples per SIMD block in C; sample counts are rounded up to a multiple of it
MAX_THRESHOLDS = 512
CHUNKS_PER_THREAD = 16  # thread_count: one OpenMP thread per this many chunks of a call
GROUPED_FROM = 20  # counting_scheme: the grouped counting from this many thresholds on (measured)
_GROUPED_UP_TO = 64
FLAGS = ("-O3", "-march=native", "-fopenmp", "-fno-math-errno")
TRIG_LIMIT = 2.0**20  # the kernels' own cos and sin for |x| <= this; libm's beyond (see the module docstring)
TRIG_ERROR_ULP = 2  # their stated maximum error in ulp (measured: 1.6), and in absolute terms 2**-52
_VECTOR_FUNCTIONS = ("cos", "sin")
_KERNEL_FUNCTIONS = {name: f"sg_{name}" for name in _VECTOR_FUNCTIONS}
_DROP_ORDER = (("-fopenmp",), ("-march=native",), ("-fno-math-errno",), ("-O3",))
_ABI = "singularities-kernel-4"
_NUMPY_BLOCK = 1 << 14
_PASSES_UP_TO = 8  # numpy counts with one pass per threshold up to this many, else sorts each block
_LOADED = {}


@dataclass(frozen=True, slots=True)
class KernelCounts:
    """Raw counts of one kernel run (see the module docstring).

    ``below[j]`` counts samples with ``|v| < t_j`` and ``below_minus[j]`` those
    of them with ``v < 0``; ``accepted`` is the number of samples in the
    region, ``negative`` / ``positive`` count ``v < 0`` / ``v >= 0`` over all
    of them (the rest were NaN).
    """

    below: tuple
    below_minus: tuple
    accepted: int
    negative: int
    positive: int
    drawn: int
    threads: int
    backend: str


class CKernel:
    """A compiled counting kernel for one program; build it with :func:`compile_kernel`.

    Attributes: ``program``, ``path`` (the cached shared object), ``flags``
    (those the compiler accepted), ``openmp`` (bool), ``from_cache`` (whether
    it was loaded without compiling) and ``backend == "c"``.
    """

    backend = "c"

    def __init__(self, program, library, path, from_cache):
        self.program, self.path, self.from_cache = program, path, from_cache
        self._function = library.sg_counts
        self._function.restype = ctypes.c_int
        self._function.argtypes = (
            [ctypes.c_uint64]
            + [ctypes.c_int64] * 4
            + [ctypes.c_void_p] * 4
            + [ctypes.c_int, ctypes.c_double, ctypes.c_void_p, ctypes.c_int]
            + [ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
        )
        self._evaluate = library.sg_evaluate
        self._evaluate.restype = None
        self._evaluate.argtypes = [ctypes.c_int64, ctypes.c_void_p, ctypes.c_void_p]
        library.sg_flags.restype = ctypes.c_char_p
        self.flags = tuple(library.sg_flags().decode().split())
        self.openmp = bool(library.sg_openmp())
        self.grouped = bool(library.sg_grouped())

    def evaluate(self, points):
        """The program's outputs at ``points`` (shape ``(m, n_inputs)``) as an array of shape ``(m, n_outputs)``."""
        points = _points(self.program, points)
        values = np.empty((len(points), len(self.program.outputs)))
        self._evaluate(len(points), _pointer(points), _pointer(values))
        return values

    def counts(
        self,
        lo,
        hi,
        thresholds,
        *,
        seed,
        n_samples,
        first_chunk=0,
        inner=None,
        value=0.0,
        threads=None,
        counting="auto",
    ):
        """Count ``n_samples`` uniform samples in the box ``[lo, hi)`` minus ``inner``, starting at chunk
        ``first_chunk``.

        Returns a :class:`KernelCounts`.  ``inner`` is ``None`` or a pair
        ``(inner_lo, inner_hi)``; ``threads`` caps the threads (default: all
        available CPUs), of which :func:`thread_count` uses one per
        :data:`CHUNKS_PER_THREAD` chunks.
        ``counting`` chooses how each |v| is ranked among the thresholds:
        ``"compare"``, ``"grouped"`` or ``"auto"`` (:func:`counting_scheme`);
        the counts are identical.
        """
        plan = _Plan.build(self.program, lo, hi, thresholds, seed, n_samples, first_chunk, inner)
        groups = _Groups.build(plan.thresholds, counting, self.grouped)
        used = thread_count(threads, plan.n_chunks) if self.openmp else 1
        width = 2 * plan.k + 3
        result = np.zeros((plan.n_chunks, width), dtype=np.int64)
        status = self._function(
            plan.seed,
            plan.first_chunk,
            plan.n_chunks,
            CHUNK // LANES,
            plan.last // LANES,
            *(_pointer(a) for a in (plan.lo, plan.width, plan.inner_lo, plan.inner_hi)),
            int(plan.has_inner),
            float(value),
            _pointer(plan.thresholds),
            plan.k,
            groups.groups,
            _pointer(groups.table),
            used,
            _pointer(result),
            int(not _trig_in_domain(self.program, plan)),
        )
        if status != 0:  # pragma: no cover - the kernel has no failure path today
            raise NumericError(f"the C kernel returned status {status}; rerun with backend='numpy'")
        return _counts(result.sum(axis=0), plan, used, "c")


class NumpyKernel:
    """The numpy fallback with the interface of :class:`CKernel` (single-threaded, ``backend == "numpy"``)."""

    backend = "numpy"
    openmp = False
    from_cache = False

    def __init__(self, program):
        self.program = program
        self._evaluate, self._n_work = program.numpy_function()

    def evaluate(self, points):
        """Same contract as :meth:`CKernel.evaluate`."""
        points = _points(self.program, points)
        values = np.empty((len(self.program.outputs), len(points)))
        work = [np.empty(len(points)) for _ in range(self._n_work)]
        self._evaluate([np.ascontiguousarray(c) for c in points.T], list(values), work)
        return values.T.copy()

    def counts(
        self,
        lo,
        hi,
        thresholds,
        *,
        seed,
        n_samples,
        first_chunk=0,
        inner=None,
        value=0.0,
        threads=None,
        counting="auto",
    ):
        """Same contract as :meth:`CKernel.counts`; the random stream differs (PCG64), so counts agree statistically.

        ``counting`` is accepted for the common interface: numpy always sorts or compares (see ``_threshold_counts``).
        """
        plan = _Plan.build(self.program, lo, hi, thresholds, seed, n_samples, first_chunk, inner)
        buffers = _NumpyBuffers(len(plan.lo), self._n_work, plan.k)
        total = np.zeros(2 * plan.k + 3, dtype=np.int64)
        for i in range(plan.n_chunks):
            size = plan.last if i == plan.n_chunks - 1 else CHUNK
            total += self._chunk(plan, plan.first_chunk + i, size, float(value), buffers)
        return _counts(total, plan, 1, "numpy")

    def _chunk(self, plan, chunk, size, value, buffers):
        generator = np.random.Generator(np.random.PCG64(np.random.SeedSequence([plan.seed, chunk])))
        total = np.zeros(2 * plan.k + 3, dtype=np.int64)
        for start in range(0, size, _NUMPY_BLOCK):
            total += self._block(plan, generator, min(_NUMPY_BLOCK, size - start), value, buffers)
        return total

    def _block(self, plan, generator, m, value, buffers):
        x = [b[:m] for b in buffers.x]
        for i, xi in enumerate(x):
            generator.random(out=xi)
            np.multiply(xi, plan.width[i], out=xi)
            np.add(xi, plan.lo[i], out=xi)
        v = buffers.v[:m]
        self._evaluate(x, [v], [w[:m] for w in buffers.work])
        np.subtract(v, value, out=v)
        accepted = m if not plan.has_inner else _reject_inner(plan, x, v, buffers.mask[:m])
        mask = buffers.mask[:m]
        negative = np.count_nonzero(np.less(v, 0.0, out=mask))
        positive = np.count_nonzero(np.greater_equal(v, 0.0, out=mask))
        below, at_most_minus = _threshold_counts(v, plan, buffers.a[:m], mask)
        return np.concatenate([below, negative - at_most_minus, [accepted, negative, positive]])


def kernel(program, *, backend="auto"):
    """A counting kernel for ``program``: compiled C when a compiler is found, else numpy.

    Parameters
    ----------
    program : codegen.Program
    backend : {"auto", "c", "numpy"}
        ``"c"`` raises :class:`NumericError` when no compiler is found.

    Examples
    --------
    >>> from singularities.numeric.codegen import straight_line
    >>> from singularities.numeric.ckernel import kernel
    >>> k = kernel(straight_line("x**2 + y**2"), backend="numpy")
    >>> counts = k.counts([-1, -1], [1, 1], [1.0], seed=1, n_samples=4096)
    >>> counts.backend, counts.drawn
    ('numpy', 4096)
    """
    if backend not in ("auto", "c", "numpy"):
        raise InputError(f"unknown backend {backend!r}; use 'auto', 'c' or 'numpy'")
    if backend == "numpy":
        return numpy_kernel(program)
    compiler = find_compiler()
    if compiler is None and backend == "c":
        raise NumericError(
            "no C compiler found for backend='c'; install gcc or clang, set CC to one, "
            "unset SINGULARITIES_NO_COMPILER, or use backend='numpy'"
        )
    if compiler is None:
        if os.environ.get("SINGULARITIES_NO_COMPILER", "").strip() in ("", "0"):
            warn_once(
                "no compiler",
                "no C compiler found (cc, gcc, clang or $CC): sampling uses the numpy backend, "
                "about 10-50 times slower; install gcc or clang, or set CC, for the compiled kernels",
            )
        return numpy_kernel(program)
    try:
        return compile_kernel(program, compiler=compiler)
    except NumericError as exc:
        if backend == "c":
            raise
        warnings.warn(f"using the numpy backend: {exc}", SingularitiesWarning, stacklevel=2)
        return numpy_kernel(program)


def numpy_kernel(program):
    """The numpy fallback kernel for ``program`` (see :class:`NumpyKernel`)."""
    return NumpyKernel(program)


def compile_kernel(program, *, compiler=None):
    """Compile (or load from the per-user cache) the C kernel of ``program``.

    Parameters
    ----------
    program : codegen.Program
    compiler : _backend.Compiler, optional
        Default: :func:`_backend.find_compiler`.

    Returns
    -------
    CKernel

    Raises
    ------
    NumericError
        If no compiler is found or it rejects the source even without the
        optional flags.
    """
    compiler = compiler or find_compiler()
    if compiler is None:
        raise NumericError("no C compiler found; install gcc or clang, or set CC, or use backend='numpy'")
    source, options = kernel_source(program), _options(program)
    key = hashlib.sha256(
        "\n".join(
            [_ABI, source, compiler.path, *compiler.arguments, compiler.version, " ".join(options), cpu_model()]
        ).encode()
    ).hexdigest()
    if key in _LOADED:
        return _LOADED[key]
    path = usable_cache_directory() / f"kernel-{key[:40]}.so"
    library, from_cache = _load_cached(path, key)
    if library is None:
        _build(compiler, source.replace("@KEY@", key), path, options)
        library = _load(path, key)
    _LOADED[key] = CKernel(program, library, path, from_cache)
    return _LOADED[key]


def kernel_source(program):
    """The C source of the counting kernel of ``program`` (``@KEY@`` stands for the cache key)."""
    n = len(program.inputs)
    trig = bool(_vector_calls(program))
    locals_ = "\n".join(
        f"  const double lo{i} = lo[{i}], w{i} = width[{i}], il{i} = ilo[{i}], ih{i} = ihi[{i}];" for i in range(n)
    )
    inside = " & ".join(f"(x{i} >= il{i}) & (x{i} < ih{i})" for i in range(n)) or "0"
    m = len(program.outputs)
    body = program.c_source(indent="      ", functions=_KERNEL_FUNCTIONS)
    point_inputs = "\n".join(f"      const double x{i} = in[{i}][l];" for i in range(n))
    stores = "\n".join(f"      res[{j}][l] = out{j};" for j in range(m))
    return string.Template(_TEMPLATE).substitute(
        locals=locals_,
        draws=_draws(n, split=trig),
        evaluate=_evaluate(program, body, trig),
        inside=inside,
        abi=_ABI,
        trig_limit=f"{TRIG_LIMIT!r}",
        n_inputs=max(n, 1),
        n_outputs=m,
        point_head="#pragma omp simd" + (" reduction(|:big)" if trig else ""),
        point_inputs=point_inputs,
        point_body=body,
        stores=stores,
        dispatch=_dispatch(trig),
        point_fallback=_fallback(program, point_inputs, stores) if trig else "",
    )


def thread_count(threads, n_chunks):
    """The OpenMP threads a call of ``n_chunks`` chunks uses: one per :data:`CHUNKS_PER_THREAD` chunks.

    Capped by ``threads`` (default: all available CPUs, see
    :func:`._backend.default_threads`), at least 1.  Below 16 chunks (2^20
    samples) per thread, starting the threads and their spin-wait at the
    closing barrier cost more CPU than the parallel run saves, most of all
    on a loaded machine: at load 9 on 2 cores, calls of 2 to 8 chunks on 2
    threads used 3 to 20 times the CPU of one thread and were slower in wall
    time too; calls of 64 chunks broke even in CPU and ran 1.7 times faster.
    The counts do not depend on the thread count.

    Examples
    --------
    >>> from singularities.numeric.ckernel import thread_count
    >>> thread_count(8, 4), thread_count(2, 64), thread_count(1, 1000)
    (1, 2, 1)
    """
    return max(1, min(threads or default_threads(), int(n_chunks) // CHUNKS_PER_THREAD))


def counting_scheme(thresholds, grouped=True):
    """``"grouped"`` or ``"compare"``: how the C kernel ranks |v| among these thresholds by default.

    ``"compare"`` compares |v| with every threshold: two vector operations per
    threshold and sample.  ``"grouped"`` (AVX-512 only: ``grouped`` says
    whether the kernel has it) compares |v| with every 8th threshold to find
    its group of 8, then exactly with the 8 thresholds of that group, looked
    up by a register permutation: about 2 k / 8 + 24 operations, so it pays
    from :data:`GROUPED_FROM` thresholds (measured) up to 64.  Both give the
    same integer counts (exact comparisons of the same values).

    Examples
    --------
    >>> from singularities.numeric.ckernel import counting_scheme
    >>> from singularities.numeric.sampling import log_thresholds
    >>> counting_scheme(log_thresholds(1, 1e-12, 49)), counting_scheme([1.0, 0.5])
    ('grouped', 'compare')
    """
    k = np.size(thresholds)
    return "grouped" if grouped and GROUPED_FROM <= k <= _GROUPED_UP_TO else "compare"


@dataclass(frozen=True)
class _Groups:
    """The thresholds in groups of 8 for the ``"grouped"`` counting (``groups == 0``: compare).

    ``table[m][g] = t[8 g + m]``, padded with 0.0 (no |v| is below it, and a
    NaN compares false with everything, as in the compare scheme).  For a
    lane with |v| = a, c = #{g >= 1 : a < t[8 g]} is its group (a prefix of
    the g, as t decreases), all 8 c thresholds before it are above a and
    those from 8 (c + 1) on are not, so #{j : a < t_j} = 8 c + #{m : a <
    t[8 c + m]}: the same integer as counting the comparisons one by one.
    """

    groups: int
    table: np.ndarray

    @classmethod
    def build(cls, thresholds, counting, available):
        if counting not in ("auto", "compare", "grouped"):
            raise InputError(f"unknown counting {counting!r}; use 'auto', 'compare' or 'grouped'")
        scheme = counting_scheme(thresholds, available) if counting == "auto" else counting
        if scheme == "grouped" and not (available and thresholds.size <= _GROUPED_UP_TO):
            raise NumericError(
                f"counting='grouped' needs an AVX-512 kernel and at most {_GROUPED_UP_TO} thresholds; "
                "use counting='auto'"
            )
        if scheme == "compare":
            return cls(0, np.zeros(64))
        padded = np.zeros(64)
        padded[: thresholds.size] = thresholds
        return cls(-(-thresholds.size // 8), np.ascontiguousarray(padded.reshape(8, 8).T))


@dataclass(frozen=True)
class _Plan:
    """Validated arguments of one kernel run, as contiguous arrays."""

    lo: np.ndarray
    width: np.ndarray
    inner_lo: np.ndarray
    inner_hi: np.ndarray
    has_inner: bool
    thresholds: np.ndarray
    seed: int
    first_chunk: int
    n_chunks: int
    last: int

    @property
    def k(self):
        return len(self.thresholds)

    @classmethod
    def build(cls, program, lo, hi, thresholds, seed, n_samples, first_chunk, inner):
        lo, hi = _box(program, lo, hi, "box")
        t = np.ascontiguousarray(thresholds, dtype=np.float64).ravel()
        if not 1 <= t.size <= MAX_THRESHOLDS or not np.all(t > 0) or not np.all(np.diff(t) < 0) or np.isnan(t).any():
            raise NumericError(
                f"thresholds must be 1 to {MAX_THRESHOLDS} positive numbers in strictly decreasing order; "
                f"got {t.size} of them: sort them with sorted(t, reverse=True) and drop duplicates"
            )
        ilo, ihi = _box(program, *inner, "inner box") if inner is not None else (lo.copy(), lo.copy())
        n = -(-int(n_samples) // LANES) * LANES
        if n <= 0 or int(first_chunk) < 0:
            raise NumericError(f"n_samples must be positive (got {n_samples}) and first_chunk >= 0; raise n_samples")
        n_chunks = -(-n // CHUNK)
        return cls(
            lo,
            hi - lo,
            ilo,
            ihi,
            inner is not None,
            t,
            int(seed) % (1 << 64),
            int(first_chunk),
            n_chunks,
            n - (n_chunks - 1) * CHUNK,
        )


class _NumpyBuffers:
    def __init__(self, n, n_work, k):
        self.x = [np.empty(_NUMPY_BLOCK) for _ in range(n)]
        self.work = [np.empty(_NUMPY_BLOCK) for _ in range(n_work)]
        self.v, self.a = np.empty(_NUMPY_BLOCK), np.empty(_NUMPY_BLOCK)
        self.mask = np.empty(_NUMPY_BLOCK, dtype=bool)


def _points(program, points):
    points = np.ascontiguousarray(points, dtype=np.float64)
    if points.ndim != 2 or points.shape[1] != len(program.inputs):
        raise NumericError(f"points must have shape (m, {len(program.inputs)}), one row per point; got {points.shape}")
    return points


def _threshold_counts(v, plan, scratch, mask):
    """``#{|v| < t_j}`` and ``#{v <= -t_j}``: a pass per threshold when few, else one sort (NaN sorts last)."""
    if plan.k <= _PASSES_UP_TO:
        a = np.abs(v, out=scratch)
        below = [np.count_nonzero(np.less(a, t, out=mask)) for t in plan.thresholds]
        at_most_minus = [np.count_nonzero(np.less_equal(v, -t, out=mask)) for t in plan.thresholds]
        return np.array(below), np.array(at_most_minus)
    np.copyto(scratch, v)
    scratch.sort()
    at_most_minus = np.searchsorted(scratch, -plan.thresholds, side="right")
    return np.searchsorted(scratch, plan.thresholds, side="left") - at_most_minus, at_most_minus


def _reject_inner(plan, x, v, mask):
    mask.fill(True)
    for i, xi in enumerate(x):
        mask &= xi >= plan.inner_lo[i]
        mask &= xi < plan.inner_hi[i]
    v[mask] = np.nan
    return len(v) - int(np.count_nonzero(mask))


def _box(program, lo, hi, what):
    lo = np.ascontiguousarray(lo, dtype=np.float64).ravel()
    hi = np.ascontiguousarray(hi, dtype=np.float64).ravel()
    n = len(program.inputs)
    if lo.shape != (n,) or hi.shape != (n,):
        raise NumericError(
            f"the {what} needs {n} lower and {n} upper bounds (one per variable); got {lo.size} and {hi.size}"
        )
    if not (np.all(np.isfinite(lo)) and np.all(np.isfinite(hi)) and np.all(lo < hi)):
        raise NumericError(
            f"the {what} must have finite bounds with lower < upper in every variable; got {lo} and {hi}"
        )
    return lo, hi


def _counts(total, plan, threads, backend):
    k = plan.k
    total = [int(c) for c in total]
    return KernelCounts(
        tuple(total[:k]),
        tuple(total[k : 2 * k]),
        total[2 * k],
        total[2 * k + 1],
        total[2 * k + 2],
        (plan.n_chunks - 1) * CHUNK + plan.last,
        threads,
        backend,
    )


def _pointer(array):
    return array.ctypes.data_as(ctypes.c_void_p)


def _load_cached(path, key):
    """Load a published entry if its digest checks out; remove it otherwise."""
    digest_path = path.with_suffix(".sha256")
    if not path.exists():
        return None, False
    try:
        recorded = digest_path.read_text().strip()
        if recorded != _digest(path):
            raise OSError("digest mismatch")
        return _load(path, key), True
    except (OSError, NumericError):
        for stale in (path, digest_path):
            stale.unlink(missing_ok=True)
        return None, False


def _load(path, key):
    try:
        library = ctypes.CDLL(str(path))
        library.sg_key.restype = ctypes.c_char_p
        loaded_key = library.sg_key().decode()
    except (OSError, AttributeError) as exc:
        raise NumericError(f"cannot load the kernel {path}: {exc}; delete the cache directory {path.parent}") from exc
    if loaded_key != key:
        raise NumericError(f"the kernel {path} belongs to another source; delete the cache directory {path.parent}")
    return library


def _options(program):
    """The optional flags for ``program``: :data:`FLAGS` (dropped one group at a time if refused)."""
    return FLAGS


def _vector_calls(program):
    return {name for name, _ in program.flops.calls} & set(_VECTOR_FUNCTIONS)


def _draws(n, split):
    """The head of the sampling loop: draw x0, x1, ... per lane (in a loop of their own before trig calls).

    With cos or sin in the program, the points of the block are drawn first
    into ``xs`` (so that the generator's state is not live across the
    polynomial evaluations) and the evaluation loop records in ``big``
    whether an argument left the kernels' domain (see :func:`_evaluate`).
    """
    head = "#pragma omp simd\n    for (int l = 0; l < SG_LANES; ++l) {\n      uint64_t r;\n"
    if not split:
        return head + "\n".join(
            f"      SG_NEXT(l, r); const double x{i} = lo{i} + w{i} * sg_unit(r);" for i in range(n)
        )
    first = "\n".join(f"      SG_NEXT(l, r); xs[{i}][l] = lo{i} + w{i} * sg_unit(r);" for i in range(n))
    return (
        f"    double xs[{max(n, 1)}][SG_LANES];\n    int64_t big = 0;\n{head}{first}\n    }}\n"
        f"#pragma omp simd reduction(|:big)\n    for (int l = 0; l < SG_LANES; ++l) {{\n{_loaded(n)}"
    )


def _trig_in_domain(program, plan):
    """Whether every cos and sin argument stays within TRIG_LIMIT / 2 over the sampled box (a margin for the
    rounding of the interval arithmetic), so that the kernel may skip the per-value domain check."""
    return program.call_argument_bound(plan.lo, plan.lo + plan.width, _VECTOR_FUNCTIONS) <= TRIG_LIMIT / 2


def _dispatch(trig):
    """sg_counts' calls of sg_chunk: a specialised copy per combination of ``has_inner`` and ``grouped``.

    Programs calling cos or sin get these copies without the domain check
    (``checked = 0``) and one generic copy with it, for the rare boxes where
    an argument may leave the domain: each copy of a trig kernel is large
    (measured: 1.3 s of compilation for five copies, 2.4 s for eight; 0.7 s
    for the four of the libmvec kernels before), and a generic
    ``has_inner`` costs 18% on the common path.
    """
    calls = [
        ("has_inner && grouped", "1, 1, 0"),
        ("has_inner", "1, 0, 0"),
        ("grouped", "0, 1, 0"),
        (None, "0, 0, 0"),
    ]
    if trig:
        calls.insert(0, ("checked", "has_inner, grouped, 1"))
    lines = []
    for number, (test, flags) in enumerate(calls):
        head = "else" if test is None else ("if" if number == 0 else "else if") + f" ({test})"
        lines.append(
            f"    {head}\n      sg_chunk({flags}, seed, chunk, blocks, lo, width, ilo, ihi, value, t, k, groups, "
            "groups_table, r);"
        )
    return "\n".join(lines)


def _loaded(n):
    return "\n".join(f"      const double x{i} = xs[{i}][l];" for i in range(n))


def _evaluate(program, body, trig):
    """The body of the sampling loop up to ``v = g - value``.

    With cos or sin: the block's values go to ``vv``; if any argument had
    |x| > TRIG_LIMIT (``big``), the whole block is evaluated again with libm's
    scalar cos and sin, then a second vectorised loop counts.
    """
    if not trig:
        return f"{body}\n      const double v = out0 - value;"
    n = len(program.inputs)
    libm = program.c_source(indent="        ")
    return (
        f"{body}\n      vv[l] = out0;\n    }}\n"
        "    if (__builtin_expect(big != 0, 0)) { /* an argument beyond TRIG_LIMIT: libm for the block */\n"
        "      for (int l = 0; l < SG_LANES; ++l) {\n"
        + "\n".join(f"        const double x{i} = xs[{i}][l];" for i in range(n))
        + f"\n{libm}\n        vv[l] = out0;\n      }}\n    }}\n"
        f"#pragma omp simd\n    for (int l = 0; l < SG_LANES; ++l) {{\n{_loaded(n)}\n"
        "      const double v = vv[l] - value;"
    )


def _fallback(program, point_inputs, stores):
    """sg_evaluate's recomputation of a block with libm's cos and sin (an argument beyond TRIG_LIMIT)."""
    return (
        "    if (__builtin_expect(big != 0, 0))\n      for (int l = 0; l < SG_LANES; ++l) {\n"
        + point_inputs
        + "\n"
        + program.c_source(indent="      ")
        + "\n"
        + stores
        + "\n      }"
    )


def _build(compiler, source, path, options):
    """Compile with the optional flags, dropping them a group at a time on failure; publish atomically."""
    directory = path.parent
    source_path = path.with_suffix(".c")
    _publish_text(source_path, source)
    flags, errors = list(options), []
    for drop in (None, *_DROP_ORDER):
        if drop is not None and not set(drop) <= set(flags):
            continue
        if drop is not None:
            flags = [f for f in flags if f not in drop]
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".build-", suffix=".so")
        os.close(handle)
        error = _compile(compiler, source_path, temporary, flags)
        if error is None:
            _publish_text(path.with_suffix(".sha256"), _digest(pathlib.Path(temporary)))
            os.replace(temporary, path)
            return
        os.unlink(temporary)
        errors.append(error)
    raise NumericError(
        f"the C compiler {compiler.path} failed on the kernel source {source_path}:\n{errors[-1]}\n"
        "set CC to a working C compiler, or SINGULARITIES_NO_COMPILER=1 to use the numpy backend"
    )


def _compile(compiler, source_path, output, flags):
    define = '-DSG_FLAGS="' + " ".join(flags) + '"'
    link = [f for f in flags if f.startswith(("-l", "-Wl,"))]  # after the source, for --as-needed linkers
    compile_ = [f for f in flags if f not in link]
    command = [*compiler.command, "-shared", "-fPIC", *compile_, define, "-o", output, str(source_path), *link, "-lm"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=BUDGETS.compile, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        return str(exc)
    return None if done.returncode == 0 else (done.stderr or done.stdout or f"exit status {done.returncode}")


def _publish_text(path, text):
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(handle, "w") as stream:
        stream.write(text)
    os.replace(temporary, path)


def _digest(path):
    return hashlib.sha256(pathlib.Path(path).read_bytes()).hexdigest()


_TEMPLATE = r"""/* Generated by singularities ($abi); do not edit: see singularities/numeric/ckernel.py. */
#include <math.h>
#include <stdint.h>
#include <string.h>

/* cos and sin for |x| <= SG_TRIG_LIMIT, branch-free so that the sampling loop stays vectorised (no -ffast-math):
   x = q pi/2 + r with q = nearest integer to x 2/pi (the magic-number rounding, whose low mantissa bits are q mod 4)
   and r = x - q C1 - q C2 - q C3 (Cody-Waite by fused multiply-adds: C1 + C2 + C3 = pi/2 within 2^-163; x - q C1
   is exact), then fdlibm's minimax polynomials on |r| <= pi/4 (__kernel_sin, __kernel_cos: below 2^-58 relative)
   and the quadrant's choice and sign.  At most 2 ulp, and within 2^-52 in absolute terms, over |x| <= 2^20
   (docs/numeric.md; measured: 1.6 ulp); beyond, and for infinities, the caller uses libm (the flag `big`). */
#define SG_TRIG_LIMIT $trig_limit
static inline double sg_trig(const double x, const uint64_t quadrant) { /* cos: quadrant 0; sin: 3 */
  const double magic = 0x1.8p52;
  const double m = fma(x, 0x1.45f306dc9c883p-1, magic);
  const double q = m - magic;
  uint64_t n;
  memcpy(&n, &m, sizeof n);
  n += quadrant;
  double r = fma(-q, 0x1.921fb54442d18p0, x);
  r = fma(-q, 0x1.1a62633145c07p-54, r);
  r = fma(-q, -0x1.f1976b7ed8fbcp-110, r);
  const double z = r * r;
  const double s = fma(r * z, fma(z, fma(z, fma(z, fma(z, fma(z, 1.58969099521155010221e-10,
      -2.50507602534068634195e-08), 2.75573137070700676789e-06), -1.98412698298579493134e-04),
      8.33333333332248946124e-03), -1.66666666666666324348e-01), r);
  const double c = fma(z * z, fma(z, fma(z, fma(z, fma(z, fma(z, -1.13596475577881948265e-11,
      2.08757232129817482790e-09), -2.75573143513906633035e-07), 2.48015872894767294178e-05),
      -1.38888888888741095749e-03), 4.16666666666666019037e-02), fma(-0.5, z, 1.0));
  const double v = (n & 1) ? s : c;
  uint64_t bits;
  memcpy(&bits, &v, sizeof bits);
  bits ^= ((n + 1) & 2) << 62; /* quadrants 1 and 2 of cos change its sign */
  double result;
  memcpy(&result, &bits, sizeof result);
  return result;
}
/* In the sampling loops: the value; `big` records an argument beyond the domain or infinite (NaN stays NaN). */
#define sg_cos(x) (big |= checked & (fabs(x) > SG_TRIG_LIMIT), sg_trig((x), 0))
#define sg_sin(x) (big |= checked & (fabs(x) > SG_TRIG_LIMIT), sg_trig((x), 3))

#define SG_LANES 16

const char *sg_key(void) { return "@KEY@"; }
const char *sg_flags(void) { return SG_FLAGS; }
int sg_openmp(void) {
#ifdef _OPENMP
  return 1;
#else
  return 0;
#endif
}

static inline uint64_t sg_rotl(const uint64_t x, const int k) { return (x << k) | (x >> (64 - k)); }

static inline uint64_t sg_mix(uint64_t z) { /* splitmix64 finaliser */
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static inline double sg_unit(const uint64_t r) { /* the top 52 bits as a double in [0, 1) */
  const uint64_t bits = (r >> 12) | 0x3FF0000000000000ULL;
  double d;
  memcpy(&d, &bits, sizeof d);
  return d - 1.0;
}

/* xoshiro256+ (Blackman and Vigna), one generator per lane; its top 53 bits are what sg_unit uses. */
#define SG_NEXT(l, r) do { \
    r = s0[l] + s3[l]; \
    const uint64_t t_ = s1[l] << 17; \
    s2[l] ^= s0[l]; s3[l] ^= s1[l]; s1[l] ^= s2[l]; s0[l] ^= s3[l]; s2[l] ^= t_; \
    s3[l] = sg_rotl(s3[l], 45); \
  } while (0)

#if defined(__AVX512F__)
#include <immintrin.h>
int sg_grouped(void) { return 1; }
/* The rank #{j : a < t_j} of 8 lanes with the thresholds in groups of 8 (see _Groups in ckernel.py):
   table[m][g] = t[8 g + m] (0.0 as padding, which no a is below).  The group c of a lane is the number of
   g >= 1 with a < t[8 g] (a prefix, as t decreases); all 8 c thresholds before it are above a, and a is
   compared exactly with the 8 of its group, looked up in a register (a permutation, no memory gather). */
static inline __m512i sg_rank8(const __m512d a, const __m512d *table, const int groups) {
  const __m512i one = _mm512_set1_epi64(1);
  __m512i c = _mm512_setzero_si512();
  for (int g = 1; g < groups; ++g) {
    const __m512d tg = _mm512_set1_pd(table[0][g]);
    c = _mm512_mask_add_epi64(c, _mm512_cmp_pd_mask(a, tg, _CMP_LT_OQ), c, one);
  }
  __m512i rank = _mm512_slli_epi64(c, 3);
  for (int m = 0; m < 8; ++m) {
    const __m512d tm = _mm512_permutexvar_pd(c, table[m]);
    rank = _mm512_mask_add_epi64(rank, _mm512_cmp_pd_mask(a, tm, _CMP_LT_OQ), rank, one);
  }
  return rank;
}
#else
int sg_grouped(void) { return 0; }
#endif

static inline __attribute__((always_inline)) void sg_chunk(
    const int has_inner, const int grouped, const int checked, const uint64_t seed, const uint64_t chunk,
    const int64_t blocks,
    const double *lo, const double *width, const double *ilo, const double *ihi,
    const double value, const double *t, const int k, const int groups, const double *groups_table,
    int64_t *res) {
  uint64_t s0[SG_LANES], s1[SG_LANES], s2[SG_LANES], s3[SG_LANES];
  uint64_t z = sg_mix(seed ^ sg_mix(chunk + 0x9e3779b97f4a7c15ULL));
  for (int l = 0; l < SG_LANES; ++l) {
    s0[l] = sg_mix(z += 0x9e3779b97f4a7c15ULL);
    s1[l] = sg_mix(z += 0x9e3779b97f4a7c15ULL);
    s2[l] = sg_mix(z += 0x9e3779b97f4a7c15ULL);
    s3[l] = sg_mix(z += 0x9e3779b97f4a7c15ULL);
  }
  /* bins[b][l]: samples of lane l with b = (number of thresholds above |v|) + (k + 1) * (v < 0) */
  int32_t bins[2 * (k + 1)][SG_LANES];
  memset(bins, 0, sizeof bins);
  int32_t accepted[SG_LANES], positive[SG_LANES];
  memset(accepted, 0, sizeof accepted);
  memset(positive, 0, sizeof positive);
$locals
#if defined(__AVX512F__)
  __m512d table[8];
  if (grouped)
    for (int m = 0; m < 8; ++m) table[m] = _mm512_loadu_pd(groups_table + 8 * m);
#endif
  for (int64_t b = 0; b < blocks; ++b) {
    double a[SG_LANES], vv[SG_LANES];
    int64_t bin[SG_LANES];
$draws
$evaluate
      const int64_t ok = 1 - (has_inner & $inside); /* branch-free, so the loop stays vectorised */
      bin[l] = ((v < 0.0) & ok) * (k + 1);
      a[l] = ok ? fabs(v) : INFINITY;
      accepted[l] += ok;
      positive[l] += (v >= 0.0) & ok;
    }
#if defined(__AVX512F__)
    if (grouped) {
      for (int h = 0; h < SG_LANES; h += 8) {
        const __m512i rank = sg_rank8(_mm512_loadu_pd(a + h), table, groups);
        _mm512_storeu_si512(bin + h, _mm512_add_epi64(_mm512_loadu_si512(bin + h), rank));
      }
    } else
#endif
    { /* branch-free over all thresholds: an early exit costs more in mispredictions than it saves */
      for (int j = 0; j < k; ++j) {
        const double tj = t[j];
#pragma omp simd
        for (int l = 0; l < SG_LANES; ++l) bin[l] = a[l] < tj ? bin[l] + 1 : bin[l];
      }
    }
    for (int l = 0; l < SG_LANES; ++l) bins[bin[l]][l] += 1;
  }
  int64_t below = 0, minus = 0, negative = 0;
  for (int j = k; j >= 0; --j) { /* res[j - 1] = samples with at least j thresholds above |v| */
    int64_t plus_j = 0, minus_j = 0;
    for (int l = 0; l < SG_LANES; ++l) { plus_j += bins[j][l]; minus_j += bins[k + 1 + j][l]; }
    below += plus_j + minus_j;
    minus += minus_j;
    negative += minus_j;
    if (j > 0) {
      res[j - 1] = below;
      res[k + j - 1] = minus;
    }
  }
  int64_t sa = 0, sp = 0;
  for (int l = 0; l < SG_LANES; ++l) { sa += accepted[l]; sp += positive[l]; }
  res[2 * k] = sa;
  res[2 * k + 1] = negative;
  res[2 * k + 2] = sp;
}

/* Blocks of SG_LANES points through the same vectorised code as the counting loop (the last block padded). */
void sg_evaluate(const int64_t n, const double *points, double *values) {
  const int checked = 1;
  double in[$n_inputs][SG_LANES], res[$n_outputs][SG_LANES];
  for (int64_t i0 = 0; i0 < n; i0 += SG_LANES) {
    const int64_t m = n - i0 < SG_LANES ? n - i0 : SG_LANES;
    for (int l = 0; l < SG_LANES; ++l)
      for (int d = 0; d < $n_inputs; ++d) in[d][l] = points[(i0 + (l < m ? l : m - 1)) * $n_inputs + d];
    int64_t big = 0;
$point_head
    for (int l = 0; l < SG_LANES; ++l) {
$point_inputs
$point_body
$stores
    }
$point_fallback
    for (int64_t l = 0; l < m; ++l)
      for (int j = 0; j < $n_outputs; ++j) values[(i0 + l) * $n_outputs + j] = res[j][l];
  }
}

int sg_counts(const uint64_t seed, const int64_t first_chunk, const int64_t n_chunks,
              const int64_t chunk_blocks, const int64_t last_blocks,
              const double *lo, const double *width, const double *ilo, const double *ihi,
              const int has_inner, const double value, const double *t, const int k,
              const int groups, const double *groups_table, const int threads, int64_t *res, const int checked) {
  const int grouped = groups > 0;
  const int64_t stride = 2 * (int64_t)k + 3;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (int64_t i = 0; i < n_chunks; ++i) {
    const int64_t blocks = i == n_chunks - 1 ? last_blocks : chunk_blocks;
    const uint64_t chunk = (uint64_t)(first_chunk + i);
    int64_t *r = res + i * stride;
$dispatch
  }
  return 0;
}
"""
