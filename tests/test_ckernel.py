"""Kernels: per-user cache, corrupted entries, flag fallback, hidden compiler, thread independence, C vs numpy."""

import os
import stat
import sys
import warnings

import mpmath
import numpy as np
import pytest
from scipy import stats

from singularities.errors import InputError, NumericError, SingularitiesWarning
from singularities.numeric import _backend, ckernel
from singularities.numeric.ckernel import CHUNK, NumpyKernel, compile_kernel, kernel, numpy_kernel
from singularities.numeric.codegen import straight_line

needs_compiler = pytest.mark.skipif(_backend.find_compiler() is None, reason="no C compiler")
THRESHOLDS = [1.0, 0.3, 0.1, 0.03, 0.01]


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """A fresh cache directory and an empty in-process table, restored afterwards."""
    monkeypatch.setenv("SINGULARITIES_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(ckernel, "_LOADED", {})
    return tmp_path / "cache"


def _program(text="x**4 - y**2"):
    return straight_line(text)


@needs_compiler
def test_second_compile_is_a_cache_hit(cache, monkeypatch):
    first = compile_kernel(_program())
    assert not first.from_cache and first.path.parent == cache
    monkeypatch.setattr(ckernel, "_LOADED", {})
    monkeypatch.setattr(ckernel, "_compile", lambda *a: pytest.fail("recompiled despite a cache entry"))
    second = compile_kernel(_program())
    assert second.from_cache and second.path == first.path


@needs_compiler
def test_cache_key_changes_with_the_source(cache):
    assert compile_kernel(_program("x**2")).path != compile_kernel(_program("x**3")).path


@needs_compiler
@pytest.mark.parametrize("damage", ["garbage", "truncate", "digest"])
def test_corrupted_cache_entry_is_rebuilt(cache, monkeypatch, damage):
    path = compile_kernel(_program("x**2 + y**6")).path
    # Damage a new inode, as another process or the disk would: writing into the mapped file would crash us.
    if damage == "garbage":
        _replace(path, b"not a shared object")
    elif damage == "truncate":
        _replace(path, path.read_bytes()[:100])
    else:
        path.with_suffix(".sha256").unlink()
    monkeypatch.setattr(ckernel, "_LOADED", {})
    rebuilt = compile_kernel(_program("x**2 + y**6"))
    assert not rebuilt.from_cache
    assert rebuilt.counts([-1, -1], [1, 1], [2.5], seed=0, n_samples=160).below == (160,)


def _replace(path, content):
    temporary = path.with_name(".damaged")
    temporary.write_bytes(content)
    os.replace(temporary, path)


@needs_compiler
def test_cache_publishes_no_temporary_files(cache):
    compile_kernel(_program("x**5 + y"))
    assert not [p for p in cache.iterdir() if p.name.startswith(".")]


def _fake_compiler(tmp_path, refuse):
    """A wrapper around the real compiler that fails whenever ``refuse`` is among its arguments."""
    real = _backend.find_compiler()
    script = tmp_path / "fakecc"
    script.write_text(
        f"#!{sys.executable}\nimport os, sys\n"
        f"if {refuse!r} in sys.argv[1:]:\n    sys.exit('unsupported option {refuse}')\n"
        f"os.execv({real.path!r}, [{real.path!r}] + sys.argv[1:])\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


@needs_compiler
def test_refused_flag_is_dropped_and_the_kernel_still_works(cache, tmp_path, monkeypatch):
    monkeypatch.setenv("CC", _fake_compiler(tmp_path, "-fopenmp"))
    built = compile_kernel(_program("x**2 + 3*y**2"))
    assert "-fopenmp" not in built.flags and "-O3" in built.flags and not built.openmp
    counts = built.counts([-1, -1], [1, 1], THRESHOLDS, seed=1, n_samples=3 * CHUNK, threads=2)
    assert counts.threads == 1 and counts.accepted == 3 * CHUNK


@needs_compiler
def test_a_compiler_that_always_fails_falls_back_to_numpy_with_a_warning(cache, tmp_path, monkeypatch):
    monkeypatch.setenv("CC", _fake_compiler(tmp_path, "-shared"))
    with pytest.raises(NumericError, match="SINGULARITIES_NO_COMPILER"):
        compile_kernel(_program())
    with pytest.warns(SingularitiesWarning, match="numpy backend"):
        assert isinstance(kernel(_program()), NumpyKernel)


@pytest.mark.parametrize("env", [{"SINGULARITIES_NO_COMPILER": "1"}, {"CC": "/nonexistent/cc"}])
def test_hidden_compiler_selects_numpy(monkeypatch, env):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert _backend.find_compiler() is None
    chosen = kernel(_program())
    assert isinstance(chosen, NumpyKernel) and chosen.backend == "numpy"
    assert chosen.counts([-1, -1], [1, 1], THRESHOLDS, seed=3, n_samples=1000).backend == "numpy"
    with pytest.raises(NumericError, match="backend='numpy'"):
        kernel(_program(), backend="c")


def test_cache_directory_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("SINGULARITIES_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert _backend.cache_directory() == tmp_path / "singularities"
    monkeypatch.setenv("SINGULARITIES_CACHE", str(tmp_path / "other"))
    assert _backend.cache_directory() == tmp_path / "other"


@needs_compiler
def test_counts_do_not_depend_on_the_thread_count():
    c = compile_kernel(_program())
    n = 2 * ckernel.CHUNKS_PER_THREAD * CHUNK + 1000  # enough chunks for two threads
    one = c.counts([-1, -1], [1, 1], THRESHOLDS, seed=11, n_samples=n, threads=1)
    two = c.counts([-1, -1], [1, 1], THRESHOLDS, seed=11, n_samples=n, threads=2)
    assert one.threads == 1 and two.threads == (2 if c.openmp else 1)
    assert (one.below, one.below_minus, one.accepted, one.negative) == (
        two.below,
        two.below_minus,
        two.accepted,
        two.negative,
    )
    assert one.drawn == n + 8  # rounded up to a multiple of 16


def test_thread_count_follows_the_work_size():
    # one thread per CHUNKS_PER_THREAD chunks, capped by the request, never 0
    per = ckernel.CHUNKS_PER_THREAD
    assert ckernel.thread_count(4, 1) == 1
    assert ckernel.thread_count(4, 2 * per - 1) == 1
    assert ckernel.thread_count(4, 2 * per) == 2
    assert ckernel.thread_count(4, 100 * per) == 4
    assert ckernel.thread_count(1, 100 * per) == 1


@needs_compiler
@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize(
    "text, box, inner",
    [
        ("x**4 - y**2", (-1, 1), None),
        ("x**3 + y**5", (-1, 1), ((-0.25, -0.5), (0.25, 0.5))),  # a shell: rejected samples count nowhere
        ("sqrt(x) - y**2", (-1, 1), None),  # NaN for x < 0: below no threshold
        ("cos(x) - cos(y)", (-2, 2), None),
    ],
)
def test_grouped_counting_gives_the_same_counts_as_comparing_every_threshold(text, box, inner, seed):
    c = compile_kernel(straight_line(text))
    if not c.grouped:
        pytest.skip("the grouped counting needs AVX-512")
    # log-spaced (as volume_curve), exact powers of two (binade edges), thresholds beyond the values, one group
    # padded with 0.0 (k = 50, not a multiple of 8), and the largest k the grouped scheme takes
    sets = [
        np.geomspace(1.0, 1e-12, 49),
        2.0 ** -np.arange(0, 64, 1.5),
        np.geomspace(1e3, 1e-300, 50),
        np.geomspace(2.0, 2.0**-20, 64),
    ]
    lo, hi = [box[0]] * 2, [box[1]] * 2
    for t in sets:
        both = [
            c.counts(lo, hi, t, seed=seed, n_samples=3 * CHUNK + 48, inner=inner, threads=1, counting=scheme)
            for scheme in ("compare", "grouped")
        ]
        assert both[0] == both[1]
        assert both[0].below[0] > 0 and list(both[0].below) == sorted(both[0].below, reverse=True)


def test_counting_scheme_rule():
    assert ckernel.counting_scheme(np.geomspace(1, 1e-12, 49)) == "grouped"
    assert ckernel.counting_scheme(np.geomspace(1, 1e-12, 49), grouped=False) == "compare"
    assert ckernel.counting_scheme(np.geomspace(1, 1e-4, ckernel.GROUPED_FROM - 1)) == "compare"
    assert ckernel.counting_scheme(np.geomspace(1, 1e-30, 65)) == "compare"  # more than 8 groups of 8


@needs_compiler
def test_unknown_counting_is_refused():
    with pytest.raises(InputError, match="counting"):
        compile_kernel(_program()).counts([-1, -1], [1, 1], [1.0], seed=1, n_samples=16, counting="sort")


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_a_run_split_at_a_chunk_boundary_equals_one_run(backend):
    if backend == "c" and _backend.find_compiler() is None:
        pytest.skip("no C compiler")
    k = kernel(_program(), backend=backend)
    whole = k.counts([-1, -1], [1, 1], THRESHOLDS, seed=5, n_samples=3 * CHUNK)
    head = k.counts([-1, -1], [1, 1], THRESHOLDS, seed=5, n_samples=CHUNK)
    tail = k.counts([-1, -1], [1, 1], THRESHOLDS, seed=5, n_samples=2 * CHUNK, first_chunk=1)
    assert whole.below == tuple(a + b for a, b in zip(head.below, tail.below))
    assert whole.negative == head.negative + tail.negative


@pytest.mark.parametrize("backend", ["c", "numpy"])
def test_counts_are_consistent(backend):
    if backend == "c" and _backend.find_compiler() is None:
        pytest.skip("no C compiler")
    counts = kernel(_program("x**3 - y"), backend=backend).counts([-1, -1], [1, 1], THRESHOLDS, seed=2, n_samples=10**5)
    assert counts.accepted == counts.drawn == counts.negative + counts.positive
    assert list(counts.below) == sorted(counts.below, reverse=True)
    assert all(0 <= m <= b for m, b in zip(counts.below_minus, counts.below))


@needs_compiler
def test_c_and_numpy_backends_agree_statistically():
    """Chi-square test of homogeneity on the two-sided bin counts, at level 0.001 (fixed seeds)."""
    program = _program()
    table = []
    for k in (compile_kernel(program), numpy_kernel(program)):
        c = k.counts([-1, -1], [1, 1], THRESHOLDS, seed=7, n_samples=4 * 10**5)
        plus = np.array(c.below) - np.array(c.below_minus)
        bins = np.concatenate([-np.diff(np.append(plus, 0)), -np.diff(np.append(c.below_minus, 0))])
        table.append(np.append(bins, c.accepted - c.below[0]))
    table = np.array(table)
    table = table[:, table.sum(axis=0) > 0]  # |x^4 - y^2| < 1 on the box: the outermost bin is empty
    assert table.shape[1] >= 9
    assert stats.chi2_contingency(table)[1] > 1e-3


@needs_compiler
def test_inner_box_rejection_agrees_between_backends():
    program = _program("x**2 + y**2")
    results = [
        k.counts([-1, -1], [1, 1], [0.5], seed=9, n_samples=2 * 10**5, inner=([-0.5, -0.5], [0.5, 0.5]))
        for k in (compile_kernel(program), numpy_kernel(program))
    ]
    for r in results:  # a quarter of the box is rejected; P(x^2 + y^2 < 1/2 outside) = (pi/2 - 1) / 3
        assert abs(r.accepted / r.drawn - 0.75) < 0.01
        assert abs(r.below[0] / r.accepted - (np.pi / 2 - 1) / 3) < 0.01


def test_invalid_thresholds_and_boxes_name_the_fix():
    k = numpy_kernel(_program())
    with pytest.raises(NumericError, match="decreasing"):
        k.counts([-1, -1], [1, 1], [0.1, 1.0], seed=0, n_samples=100)
    with pytest.raises(NumericError, match="lower < upper"):
        k.counts([1, -1], [-1, 1], [1.0], seed=0, n_samples=100)
    with pytest.raises(NumericError, match="one per variable"):
        k.counts([-1], [1], [1.0], seed=0, n_samples=100)


def test_environment_thread_cap(monkeypatch):
    monkeypatch.setenv("SINGULARITIES_THREADS", "1")
    assert _backend.default_threads() == 1
    assert os.cpu_count() >= 1


def test_no_compiler_warns_once_per_process(monkeypatch):
    """Issue 12: without a compiler the numpy fallback is announced once (and not when it was asked for)."""
    monkeypatch.setenv("CC", "/nonexistent/cc")
    monkeypatch.setattr(_backend, "_WARNED", set())
    with pytest.warns(SingularitiesWarning, match="no C compiler found.*install gcc or clang"):
        kernel(_program())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        kernel(_program("x**2 + y**2"))  # the second time: silent
        monkeypatch.setenv("SINGULARITIES_NO_COMPILER", "1")
        monkeypatch.setattr(_backend, "_WARNED", set())
        kernel(_program())  # hidden on purpose: silent


@pytest.mark.parametrize("variable", ["SINGULARITIES_CACHE", "XDG_CACHE_HOME"])
def test_unusable_cache_directory_falls_back_to_a_temporary_one(tmp_path, monkeypatch, variable):
    """Issue 12: a cache variable pointing at a file must not crash; kernels go to a temporary directory,
    one warning."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.delenv("SINGULARITIES_CACHE", raising=False)
    monkeypatch.setenv(variable, str(blocker))
    monkeypatch.setattr(_backend, "_WARNED", set())
    with pytest.warns(SingularitiesWarning, match="not usable.*SINGULARITIES_CACHE"):
        directory = _backend.usable_cache_directory()
    assert directory.is_dir() and blocker not in directory.parents
    if _backend.find_compiler() is not None:
        monkeypatch.setattr(ckernel, "_LOADED", {})
        compiled = compile_kernel(_program("x**3 - y**2"))
        assert compiled.path.parent == directory
        assert (
            compiled.counts([-1, -1], [1, 1], THRESHOLDS, seed=1, n_samples=1000).accepted == 1008
        )  # rounded up to 16-lane blocks


def _ulp_errors(values, exact):
    """|value - exact| in units of the spacing of doubles at the exact value (exact: mpmath numbers)."""
    errors = []
    for value, truth in zip(values, exact):
        nearest = float(truth)
        spacing = np.spacing(abs(nearest)) if nearest != 0 else np.finfo(float).smallest_subnormal
        errors.append(float(abs(mpmath.mpf(float(value)) - truth) / spacing))
    return np.array(errors)


def _trig_points():
    """Uniform points over a few periods, the multiples of pi/2 up to 64 pi and their neighbours, large arguments."""
    rng = np.random.default_rng(5)
    quarters = np.array([float(mpmath.pi * q / 2) for q in range(-128, 129)])
    edges = np.concatenate([quarters, np.nextafter(quarters, np.inf), np.nextafter(quarters, -np.inf)])
    large = np.concatenate(
        [np.geomspace(10.0, 1e300, 300), -np.geomspace(1e3, 1e22, 50), 2.0 ** np.arange(20, 1000, 37)]
    )
    return np.concatenate([rng.uniform(-20, 20, 2000), edges, large, [0.0, -0.0, 1e-300, 5e-324]])


@needs_compiler
def test_kernel_cos_and_sin_are_within_the_stated_ulp_of_the_exact_values():
    # The kernels' own cos/sin (Cody-Waite reduction, fdlibm polynomials) are stated to be within
    # TRIG_ERROR_ULP = 2 ulp and 2^-52 in absolute terms for |x| <= TRIG_LIMIT = 2^20; beyond, libm's
    # (at most 1 ulp on x86-64).  Checked against 40-digit mpmath values (exact argument reduction, so
    # large arguments and the zeros of cos and sin at multiples of pi/2 are real tests).
    c = compile_kernel(straight_line(["cos(x)", "sin(x)"], ["x"]))
    assert "sg_trig(" in ckernel.kernel_source(c.program) and "-lmvec" not in c.flags
    x = _trig_points()
    values = c.evaluate(x[:, None])
    with mpmath.workdps(40):
        exact_cos = [mpmath.cos(mpmath.mpf(float(v))) for v in x]
        exact_sin = [mpmath.sin(mpmath.mpf(float(v))) for v in x]
        for column, exact in ((0, exact_cos), (1, exact_sin)):
            assert _ulp_errors(values[:, column], exact).max() <= ckernel.TRIG_ERROR_ULP
            absolute = [float(abs(mpmath.mpf(float(v)) - e)) for v, e in zip(values[:, column], exact)]
            assert max(absolute) <= 2.0**-52


@needs_compiler
def test_kernel_cos_and_sin_agree_with_numpy_on_many_points():
    # numpy's own cos/sin are within 4 ulp (its SIMD paths), the kernels' within 2: 6 ulp apart at most
    c = compile_kernel(straight_line(["cos(x)", "sin(x)"], ["x"]))
    rng = np.random.default_rng(6)
    x = np.concatenate([rng.uniform(-4 * np.pi, 4 * np.pi, 200_000), rng.uniform(-1e6, 1e6, 50_000), _trig_points()])
    values = c.evaluate(x[:, None])
    for column, reference in ((0, np.cos(x)), (1, np.sin(x))):
        spacing = np.spacing(np.maximum(np.abs(reference), np.finfo(float).tiny))
        assert np.max(np.abs(values[:, column] - reference) / spacing) <= 6


@needs_compiler
def test_arguments_beyond_the_trig_domain_take_libm_for_their_block():
    # A block of 16 points with one argument above TRIG_LIMIT is evaluated with libm's cos and sin (<= 1 ulp,
    # scalar, as Python's math module), the others with the polynomial kernel; inf and NaN give NaN.
    import math

    c = compile_kernel(straight_line(["cos(x)", "sin(x)"], ["x"]))
    small = np.linspace(-3.0, 3.0, 15)
    for big in (ckernel.TRIG_LIMIT * (1 + 2**-40), 1e300, -7e6):
        x = np.concatenate([small, [big], small])
        values = c.evaluate(x[:, None])
        assert values[15, 0] == math.cos(big) and values[15, 1] == math.sin(big)
        assert np.array_equal(values[:15, 0], [math.cos(v) for v in small])  # the same block: libm too
    values = c.evaluate(np.array([[np.inf], [-np.inf], [np.nan], [1.0]]))
    assert np.isnan(values[:3]).all() and abs(values[3, 0] - math.cos(1.0)) <= 2 * np.spacing(math.cos(1.0))


# The square lattice with t' (docs/physics.md): E = -2 cos x - 2 cos y - 2 cos x cos y.
SQUARE = "-2*cos(x) - 2*cos(y) - 2*cos(x)*cos(y)"
# |E_kernel - E_numpy|: each cos differs by at most 2^-52 (kernel, absolute) + 4 ulp <= 2^-51 (numpy) =
# 3 * 2^-52, and |dE/dcos x| = |2 + 2 cos y| <= 4 (same for y): 24 * 2^-52.  Each of the 5 operations rounds
# a value of modulus <= 8 (|E| <= 6), by at most 2^-50, in each of the two computations: 10 * 2^-50 =
# 40 * 2^-52 (a contraction into an FMA only removes roundings).  Total 64 * 2^-52 = 2^-46.
SQUARE_BOUND = 2.0**-46


def _square_points(rng):
    """1e6 points: uniform over the torus and beyond, period boundaries, large arguments (both sides of 2^20)."""
    quarters = np.array([float(mpmath.pi * q / 2) for q in range(-2000, 2001)])
    edges = np.concatenate([quarters, np.nextafter(quarters, np.inf), np.nextafter(quarters, -np.inf)])
    axis = np.concatenate(
        [
            rng.uniform(-4, 4, 700_000),
            rng.uniform(-1e6, 1e6, 150_000),
            rng.uniform(ckernel.TRIG_LIMIT - 100, ckernel.TRIG_LIMIT + 100, 20_000),
            edges,
        ]
    )
    other = np.concatenate([rng.permutation(axis), rng.permutation(axis)])
    both = np.concatenate([axis, rng.permutation(axis)])
    return np.stack([both[:1_000_000], other[:1_000_000]], axis=1)


@needs_compiler
def test_a_lattice_dispersion_agrees_with_numpy_within_its_stated_bound():
    program = straight_line(SQUARE)
    points = _square_points(np.random.default_rng(11))
    kernel_values = compile_kernel(program).evaluate(points)[:, 0]
    numpy_values = numpy_kernel(program).evaluate(points)[:, 0]
    difference = np.abs(kernel_values - numpy_values)
    assert len(points) == 1_000_000 and np.max(difference) <= SQUARE_BOUND


def _xoshiro_points(seed, n_chunks, lo, width):
    """The C kernel's points for chunks 0 .. n_chunks - 1: splitmix64 seeding, xoshiro256+ in 16 lanes (ckernel)."""
    golden, mask = np.uint64(0x9E3779B97F4A7C15), np.uint64(0x3FF0000000000000)

    def mix(z):
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))

    with np.errstate(over="ignore"):
        chunks = np.arange(n_chunks, dtype=np.uint64)
        z = mix(np.uint64(seed) ^ mix(chunks + golden))[:, None] + golden * np.arange(1, 65, dtype=np.uint64)
        state = mix(z).reshape(n_chunks, 16, 4)  # s0[l], s1[l], s2[l], s3[l] in the order the kernel draws them
        s0, s1, s2, s3 = (state[:, :, i].copy() for i in range(4))
        n, blocks = len(lo), CHUNK // 16
        x = np.empty((n, blocks, n_chunks, 16))
        for b in range(blocks):
            for i in range(n):
                r = s0 + s3
                t = s1 << np.uint64(17)
                s2 ^= s0
                s3 ^= s1
                s1 ^= s2
                s0 ^= s3
                s2 ^= t
                s3 = (s3 << np.uint64(45)) | (s3 >> np.uint64(19))
                x[i, b] = lo[i] + width[i] * (((r >> np.uint64(12)) | mask).view(np.float64) - 1.0)
    return x.reshape(n, -1).T


def _counts_from_values(v, thresholds):
    below = [int(np.count_nonzero(np.abs(v) < t)) for t in thresholds]
    minus = [int(np.count_nonzero((np.abs(v) < t) & (v < 0))) for t in thresholds]
    return below, minus


@needs_compiler
@pytest.mark.parametrize(("seed", "value", "lo"), [(1, 0.0, -4.0), (7, 2.0, -4.0), (3, -1.5, 2.0**20 - 4)])
def test_lattice_counts_agree_with_numpy_except_within_the_bound_of_a_threshold(seed, value, lo):
    # The same points as the C kernel (its generator replayed in numpy; the box width 8 makes lo + 8 u exact
    # in both), E by numpy's cos: every count may differ only by samples whose E is within SQUARE_BOUND of a
    # threshold (or of the value, for the sign); each sample classified differently must be such a sample.
    # lo = 2^20 - 4 puts part of the box beyond TRIG_LIMIT (libm's cos for those blocks).
    program = straight_line(SQUARE)
    compiled = compile_kernel(program)
    thresholds = np.geomspace(1.0, 1e-4, 16)
    n_chunks = 4
    points = _xoshiro_points(seed, n_chunks, [lo, lo], [8.0, 8.0])
    counts = compiled.counts([lo, lo], [lo + 8, lo + 8], thresholds, seed=seed, n_samples=n_chunks * CHUNK, value=value)
    v_kernel = compiled.evaluate(points)[:, 0] - value
    v_numpy = numpy_kernel(program).evaluate(points)[:, 0] - value
    assert (list(counts.below), list(counts.below_minus)) == _counts_from_values(v_kernel, thresholds)
    assert counts.negative == np.count_nonzero(v_kernel < 0) and counts.accepted == len(points)
    near = np.min(np.abs(np.abs(v_numpy)[:, None] - thresholds[None, :]), axis=1) <= SQUARE_BOUND
    near |= np.abs(v_numpy) <= SQUARE_BOUND
    rank = lambda v: np.sum(np.abs(v)[:, None] < thresholds[None, :], axis=1) + 100 * (v < 0)  # noqa: E731
    flipped = rank(v_kernel) != rank(v_numpy)
    assert np.all(near[flipped])  # every sample classified differently is within the bound of a threshold
    below, minus = _counts_from_values(v_numpy, thresholds)
    assert all(abs(a - b) <= np.count_nonzero(near) for a, b in zip(counts.below + counts.below_minus, below + minus))
    assert counts.below[0] > 1000  # the thresholds are really crossed


@needs_compiler
@pytest.mark.parametrize("inner", [None, ((-0.5, -1.0), (0.5, 1.0))])
@pytest.mark.parametrize("tail_blocks", [0, 1, 5, 4095])
def test_kernels_with_vector_calls_count_the_same_samples(inner, tail_blocks):
    # x + cos(y)^2 + sin(y)^2 - 1 equals x up to a few ulps, and both programs draw (x, y) from the same
    # generators: the trig kernel (points drawn in a loop of their own, vector cos/sin) must count exactly
    # the samples of the plain one (an x within 1e-15 of a threshold or of 0 has probability ~1e-15 each).
    plain = compile_kernel(straight_line("x", ["x", "y"]))
    trig = compile_kernel(straight_line("x + cos(y)**2 + sin(y)**2 - 1", ["x", "y"]))
    assert "xs[1][l]" in ckernel.kernel_source(trig.program)  # the split drawing loop
    n = 2 * CHUNK + 16 * tail_blocks
    lo, hi, t = [-1.0, -3.0], [1.0, 3.0], [0.9, 0.5, 0.25, 0.1, 0.01]
    a, b = (c.counts(lo, hi, t, seed=4, n_samples=n, inner=inner, threads=1) for c in (plain, trig))
    assert (a.below, a.below_minus, a.accepted, a.negative, a.positive) == (
        b.below,
        b.below_minus,
        b.accepted,
        b.negative,
        b.positive,
    )
    assert a.accepted == (n if inner is None else a.accepted) and a.below[0] > 0


@needs_compiler
def test_the_domain_check_is_skipped_only_where_interval_bounds_allow_it_and_changes_no_count(monkeypatch):
    # Over [-4, 4]^2 every argument of SQUARE is within 4 <= TRIG_LIMIT / 2 (interval arithmetic), so the
    # kernel skips the per-value check; forcing the check must give the same counts (no value leaves the domain).
    program = straight_line(SQUARE)
    compiled = compile_kernel(program)
    assert program.call_argument_bound([-4, -4], [4, 4]) == 4.0
    assert straight_line("cos(x/y)").call_argument_bound([-1, -1], [1, 1]) == np.inf  # 1/y unbounded near 0
    thresholds = np.geomspace(1.0, 1e-4, 16)
    options = {"seed": 2, "n_samples": 3 * CHUNK, "value": 1.0}
    skipped = compiled.counts([-4, -4], [4, 4], thresholds, **options)
    monkeypatch.setattr(ckernel, "_trig_in_domain", lambda program, plan: False)
    checked = compiled.counts([-4, -4], [4, 4], thresholds, **options)
    assert skipped == checked and skipped.below[0] > 0
