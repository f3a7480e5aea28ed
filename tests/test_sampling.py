"""Samplers against exact volumes, on both backends; reproducibility; hidden compiler; shells; histograms."""

import json
import math

import numpy as np
import pytest

import singularities as sg
from singularities.errors import NumericError, TimeLimitError
from singularities.jets import local_expression
from singularities.numeric import _backend
from singularities.numeric.sampling import Samples, histogram_samples, log_thresholds, volume_samples

BACKENDS = [
    "numpy",
    pytest.param("c", marks=pytest.mark.skipif(_backend.find_compiler() is None, reason="no C compiler")),
]
LEVEL = 0.999  # each check fails with probability about 1e-3 for a random seed; the seeds are fixed
SIZE = {"c": 2 * 10**6, "numpy": 4 * 10**5}


def _assert_within(samples, exact):
    for t, (low, high), value in zip(samples.thresholds, samples.volume_intervals(LEVEL), exact):
        assert low <= value <= high, (t, low, high, value)


@pytest.mark.parametrize("backend", BACKENDS)
def test_disc_volume_is_pi_t(backend):
    """vol{x^2 + y^2 < t} = pi t while the disc of radius sqrt(t) <= 1 fits in [-1, 1]^2."""
    s = volume_samples("x**2 + y**2", [1.0, 0.3, 0.1, 0.01], n_samples=SIZE[backend], seed=1, backend=backend)
    assert s.backend == backend and s.volume == 4.0
    _assert_within(s, [math.pi * t for t in s.thresholds])


@pytest.mark.parametrize("backend", BACKENDS)
def test_product_volume_is_4t_1_plus_log(backend):
    """vol{|xy| < t} on [-1, 1]^2 is 4 t (1 + log(1/t)) for 0 < t <= 1.

    On [0, 1]^2: xy < t holds for all y when x <= t, and for y < t/x when x > t, so the
    volume is t + integral_t^1 t/x dx = t + t log(1/t); the four quadrants give the factor 4.
    """
    s = volume_samples("x*y", [1.0, 0.1, 0.01, 0.001], n_samples=SIZE[backend], seed=2, backend=backend)
    _assert_within(s, [4 * t * (1 + math.log(1 / t)) for t in s.thresholds])


@pytest.mark.parametrize("backend", BACKENDS)
def test_shell_volume(backend):
    """Disc of area pi/2 minus the square [-1/2, 1/2]^2, which lies inside it: pi/2 - 1."""
    s = volume_samples("x**2 + y**2", [0.5], exclude=(-0.5, 0.5), n_samples=SIZE[backend], seed=3, backend=backend)
    assert s.volume == 3.0 and abs(s.n_samples / SIZE[backend] - 0.75) < 0.01  # the rest fell in the hole
    _assert_within(s, [math.pi / 2 - 1])


@pytest.mark.parametrize("backend", BACKENDS)
def test_histogram_of_a_coordinate_is_flat_on_both_sides(backend):
    """g = x on [-1, 1]: P(t_{j+1} <= g < t_j) = P(-t_j < g <= -t_{j+1}) = (t_j - t_{j+1}) / 2."""
    edges = [0.25, 0.5, 0.75]
    s = histogram_samples("x", edges, n_samples=SIZE[backend], seed=4, backend=backend)
    bounds, plus, minus = s.histogram()
    assert bounds == (0.0, 0.25, 0.5, 0.75)
    for counts in (plus, minus):
        for count in counts:
            assert abs(count / s.n_samples - 0.125) < 4 * math.sqrt(0.125 * 0.875 / s.n_samples)
    assert s.n_minus + s.n_plus == s.n_samples


@pytest.mark.parametrize("backend", BACKENDS)
def test_point_and_critical_value_are_subtracted(backend):
    shifted = volume_samples("(x - 1)**2 + y**2 + 3", [0.1], point="1,0", n_samples=10**5, seed=5, backend=backend)
    origin = volume_samples("x**2 + y**2", [0.1], n_samples=10**5, seed=5, backend=backend)
    assert shifted.counts == origin.counts


def test_shifted_function_cancels_the_value_exactly():
    assert (
        local_expression(sg.Energy("x**2 + 1/3", point="0"), subtract_value=True, expand=True) == sg.Energy("x**2").expr
    )
    torus = local_expression(sg.Energy("-2*cos(x) - 2*cos(y)", point="pi,0"), subtract_value=True, expand=True)
    assert torus.subs({"x": 0, "y": 0}) == 0


def test_samples_do_not_depend_on_the_thread_count():
    if _backend.find_compiler() is None:
        pytest.skip("no C compiler")
    runs = [
        volume_samples("x**3 + y**5", log_thresholds(1, 1e-3, 7), n_samples=4 * 10**5, seed=6, threads=t, backend="c")
        for t in (1, 2)
    ]
    assert runs[0].counts == runs[1].counts and runs[0].counts_minus == runs[1].counts_minus


def test_hidden_compiler_runs_on_numpy(monkeypatch):
    monkeypatch.setenv("SINGULARITIES_NO_COMPILER", "1")
    s = volume_samples("x**2 + y**2", [0.5], n_samples=10**5, seed=7)
    assert s.backend == "numpy" and s.threads == 1
    _assert_within(s, [math.pi / 2])


def test_seed_is_recorded_and_reproduces_the_run():
    first = volume_samples("x**2 - y**4", [0.1], n_samples=10**4, backend="numpy")
    again = volume_samples("x**2 - y**4", [0.1], n_samples=10**4, seed=first.seed, backend="numpy")
    assert first.counts == again.counts
    generator = np.random.default_rng(0)
    assert volume_samples("x", [0.5], n_samples=16, seed=generator, backend="numpy").seed >= 0


def test_result_protocol():
    s = volume_samples("x**2 + y**2", [0.5, 0.1], n_samples=10**4, seed=8, backend="numpy")
    data = json.loads(s.to_json())
    assert data["kind"] == "samples" and data["counts"] == list(s.counts) and data["backend"] == "numpy"
    assert "threshold" in str(s)
    assert "volume" in repr(s) and "box" not in repr(s)


def test_timeout_raises_with_the_partial_samples():
    with pytest.raises(TimeLimitError) as caught:
        volume_samples("x**2 + y**2", [0.5], n_samples=10**9, seed=9, backend="numpy", timeout=0.05)
    assert isinstance(caught.value.partial, Samples) and 0 < caught.value.partial.n_samples < 10**9


@pytest.mark.parametrize(
    "bad, match",
    [
        ({"box": [(-1, 1)]}, "one \\(low, high\\) pair"),
        ({"box": (1, -1)}, "low < high"),
        ({"seed": -1}, "seed"),
        ({"exclude": (-2, 2)}, "no sample fell"),
    ],
)
def test_bad_arguments_name_the_fix(bad, match):
    with pytest.raises(NumericError, match=match):
        volume_samples("x**2 + y**2", [0.5], n_samples=1000, backend="numpy", **bad)


def test_histogram_edges_must_increase():
    with pytest.raises(NumericError, match="increase"):
        histogram_samples("x", [0.5, 0.25], n_samples=100, backend="numpy")


@pytest.mark.parametrize("backend", BACKENDS)
def test_ball_volume_in_three_dimensions(backend):
    """vol{x^2 + y^2 + z^2 < t} = (4 pi / 3) t^(3/2) for t <= 1: RLCT 3/2."""
    s = volume_samples(
        "x**2 + y**2 + z**2", log_thresholds(1, 1e-3, 4), n_samples=5 * SIZE[backend], seed=10, backend=backend
    )
    _assert_within(s, [4 * math.pi / 3 * t**1.5 for t in s.thresholds])


@pytest.mark.slow
def test_c_backend_is_at_least_eight_times_numpy():
    """The acceptance ratio on x^4 - y^2 with 16 thresholds, CPU time, same run (noisy on a shared machine)."""
    if _backend.find_compiler() is None:
        pytest.skip("no C compiler")
    import time

    rates = {}
    for backend, n in (("c", 10**8), ("numpy", 5 * 10**6)):
        volume_samples("x**4 - y**2", [0.5], n_samples=10**4, seed=0, backend=backend)  # compile outside the timing
        start = time.process_time()
        s = volume_samples("x**4 - y**2", log_thresholds(1, 1e-4, 16), n_samples=n, seed=1, threads=1, backend=backend)
        rates[backend] = s.n_samples / (time.process_time() - start)
    assert rates["c"] >= 8 * rates["numpy"], rates
