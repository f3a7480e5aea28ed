"""The local learning coefficient of models over data (numeric.llc), calibrated against exact RLCTs.

Every expected lambda is known independently: regular models (lambda = d / 2),
a smooth curve of true parameters (codimension one: lambda = 1/2), and reduced
rank regression, whose lambda the package proves exactly (Aoyagi-Watanabe,
re-checked) from the symbolic loss of the same model.  Seeds are fixed, so the
tests are deterministic; the intervals are 99 % Student-t intervals over chains.
"""

import json
import time

import mpmath
import numpy as np
import pytest

import singularities as sg
from singularities._limits import Deadline
from singularities.errors import InputError, NumericError, TimeLimitError
from singularities.models import reduced_rank_regression_loss
from singularities.numeric.llc import LLCEstimate, llc
from singularities.numeric.posterior import learning_coefficient

X = np.random.default_rng(0).standard_normal(1000)


def _product_loss(w, x, y):
    return np.mean((w[0] * w[1] * x - y) ** 2)


def _product_grad(w, x, y):
    r = 2 * (w[0] * w[1] * x - y) * x
    return np.array([np.mean(r * w[1]), np.mean(r * w[0])])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_smooth_curve_of_true_parameters_has_lambda_one_half(seed):
    # y = a b x fitted to y = x: the true set a b = 1 is a smooth curve in R^2 (codimension 1): lambda = 1/2, m = 1.
    result = llc(_product_loss, [1.0, 1.0], (X, X), grad=_product_grad, chains=8, draws=1000, warmup=500, seed=seed)
    assert result.estimate.contains(0.5) and result.diagnostics.healthy


def test_finite_differences_without_a_gradient():
    result = llc(_product_loss, [1.0, 1.0], (X, X), chains=8, draws=1000, warmup=500, seed=4)
    assert result.gradient.startswith("central differences")
    assert result.estimate.contains(0.5) and result.diagnostics.healthy


def _mlp(w, x, y):
    # One tanh unit, y = c tanh(a x): a numpy model with two parameters.
    a, c = w
    return np.mean((c * np.tanh(a * x) - y) ** 2)


def _mlp_grad(w, x, y):
    a, c = w
    t = np.tanh(a * x)
    r = 2 * (c * t - y)
    return np.array([np.mean(r * c * (1 - t * t) * x), np.mean(r * t)])


def test_regular_network_point_has_lambda_half_the_dimension():
    # The true function tanh(x) at (a, c) = (1, 1): the Fisher information is positive definite, lambda = 2/2 = 1.
    y = np.tanh(X)
    result = llc(_mlp, [1.0, 1.0], (X, y), grad=_mlp_grad, chains=8, draws=1000, warmup=500, seed=5, radius=1.5)
    assert result.estimate.contains(1.0) and result.diagnostics.healthy
    assert result.box_exits <= 0.01


def test_a_box_that_truncates_the_posterior_says_so():
    # At n beta = 1000 / log 1000 the posterior along c a = const is wider than 0.5 (c tanh(a x) ~ c a x to first
    # order): a box of radius 0.5 cuts it, lambda_hat falls below 1, and the result must say why.
    y = np.tanh(X)
    result = llc(_mlp, [1.0, 1.0], (X, y), grad=_mlp_grad, chains=8, draws=1000, warmup=500, seed=5, radius=0.5)
    assert result.box_exits > 0.01 and "truncates" in result.box_note
    assert result.estimate.interval[1] < 1.0


def _rrr_loss(w, x, y):
    # y = B A x with A (1 x 3) = w[:3], B (2 x 1) = w[3:]; x rows are samples.
    prediction = np.outer(x @ w[:3], w[3:])
    return np.mean(np.sum((prediction - y) ** 2, axis=1))


def _rrr_grad(w, x, y):
    a, b = w[:3], w[3:]
    s = x @ a
    r = 2 * (np.outer(s, b) - y)  # n x 2
    grad_a = (r @ b)[:, None] * x
    grad_b = r * s[:, None]
    return np.concatenate([grad_a.mean(axis=0), grad_b.mean(axis=0)])


def test_reduced_rank_regression_over_data_is_calibrated_by_the_exact_rlct():
    # The same model symbolically: K = ||B A||^2 with M = 3, N = 2, H = 1, r = 0 (the data covariance is near the
    # identity and does not change lambda). rlct proves lambda exactly (Aoyagi-Watanabe, re-checked): 1, with m = 1.
    exact = sg.rlct(reduced_rank_regression_loss(3, 2, 1).energy)
    assert (exact.threshold, exact.multiplicity, exact.status.value) == (1, 1, "proven")
    x = np.random.default_rng(1).standard_normal((2000, 3))
    y = np.zeros((2000, 2))
    # The zero set {B A = 0} is a cone that reaches the box, so at a finite n beta the tempered posterior on the
    # box estimates a lambda_eff below lambda.  K is homogeneous of degree 4 in (A, B): a box of radius R is the
    # unit box at n beta R^4, so R = 3 puts n beta = 263 at 81 x 263 ~ 21000, where that bias is small.
    result = llc(_rrr_loss, np.zeros(5), (x, y), grad=_rrr_grad, chains=8, draws=1500, warmup=600, seed=6, radius=3)
    assert result.estimate.contains(float(exact.threshold)) and result.diagnostics.healthy


def test_round_trip_and_devinterp_names():
    result = llc(_product_loss, [1.0, 1.0], (X, X), grad=_product_grad, chains=4, draws=100, warmup=50, seed=7)
    data = json.loads(json.dumps(result.to_dict()))
    assert {"llc/mean", "llc/std", "loss/trace", "llc-chain/0", "llc-chain/3"} <= set(data)
    assert data["llc/mean"] == pytest.approx(np.mean(result.chain_means))
    assert LLCEstimate.from_dict(data) == result
    assert len(result.trace) <= 200


def test_bad_input_is_an_input_error():
    with pytest.raises(InputError, match="callable"):
        llc("w**2", [0.0], n=100)
    with pytest.raises(InputError, match="different lengths"):
        llc(_product_loss, [1.0, 1.0], (X, X[:10]))
    with pytest.raises(InputError, match="give n"):
        llc(lambda w: w[0] ** 2, [0.0])
    with pytest.raises(InputError, match="finite"):
        llc(lambda w: w[0] ** 2, [np.nan], n=100)
    with pytest.raises(NumericError, match="loss at w0"):
        llc(lambda w: np.log(w[0]), [0.0], n=100)


def test_time_limit_is_honoured():
    with pytest.raises(TimeLimitError):
        llc(_product_loss, [1.0, 1.0], (X, X), chains=8, draws=10**6, warmup=10**5, timeout=0.5)


def test_a_chain_that_starts_where_the_loss_is_not_finite_restarts_at_the_point():
    # The loss is NaN for a > 1.3, inside the default box around (1, 1): a chain drawn there would never move.
    def loss(w, x, y):
        return np.nan if w[0] > 1.3 else _product_loss(w, x, y)

    result = llc(loss, [1.0, 1.0], (X, X), chains=4, draws=200, warmup=100, seed=1)
    assert np.isfinite(result.estimate.value) and all(np.isfinite(result.chain_means))


def test_options_and_outputs_of_the_wrong_kind_are_input_errors():
    for options in ({"radius": float("inf")}, {"beta": float("inf")}, {"level": 1.5}, {"level": 0}):
        with pytest.raises(InputError):
            llc(_product_loss, [1.0, 1.0], (X, X), **options)
    with pytest.raises(InputError, match="one number"):
        llc(lambda w, x, y: w * 0.0, [1.0, 1.0], (X, X))
    with pytest.raises(InputError, match="one per w_i"):
        llc(_product_loss, [1.0, 1.0], (X, X), grad=lambda w, x, y: np.zeros(3))


def test_progress_is_reported_at_least_every_second_even_inside_a_slow_step():
    # The first 8 loss calls sleep 0.3 s, so the first two sampler steps (4 chains each) take 1.2 s: the progress
    # reports must still come at most a second apart, count the steps, and reach warmup + draws.
    calls, reports = [0], []

    def slow_loss(w, x, y):
        calls[0] += 1
        if calls[0] <= 8:
            time.sleep(0.3)
        return _product_loss(w, x, y)

    deadline = Deadline(None, lambda stage, done, total: reports.append((time.monotonic(), stage, done, total)))
    start = time.monotonic()
    llc(slow_loss, [1.0, 1.0], (X, X), grad=_product_grad, chains=4, draws=20, warmup=10, seed=1, timeout=deadline)
    times = [start] + [t for t, *_ in reports]
    assert max(b - a for a, b in zip(times, times[1:])) < 1.0
    assert all(stage.startswith("llc: MALA steps of 4 chains") and total == 30 for _, stage, _, total in reports)
    assert [done for *_, done, _ in reports] == sorted(done for *_, done, _ in reports)
    assert reports[-1][2] == 30


def test_the_chains_reach_the_finite_temperature_value_of_a_loss_with_a_thin_valley():
    # K = w1^2 w2^4 on [-1, 1]^2 at a = n beta = 10^4 / log 10^4.  The exact a E[K] under exp(-a K): integrating
    # over w2 first with c = a w1^2, int_0^1 e^(-c y^4) dy = c^(-1/4) gamma(1/4, c) / 4 and
    # int_0^1 c y^4 e^(-c y^4) dy = c^(-1/4) gamma(5/4, c) / 4, so lambda_eff is a ratio of two 1-D integrals
    # (0.22673; lambda = 1/4 itself is reached only as a -> oo).  Plain MALA stalls outside the thin valley
    # around w1 = 0 (its drift overshoots there) and stayed near 0.207, five standard errors low.
    a = mpmath.mpf(10**4) / mpmath.log(10**4)
    cuts = [0, 1e-4, 1e-2, 0.1, 1]
    moment = mpmath.quad(lambda x: (a * x**2) ** -0.25 * mpmath.gammainc(mpmath.mpf(5) / 4, 0, a * x**2), cuts)
    mass = mpmath.quad(lambda x: (a * x**2) ** -0.25 * mpmath.gammainc(mpmath.mpf(1) / 4, 0, a * x**2), cuts)
    effective = float(moment / mass)
    assert effective == pytest.approx(0.22673, abs=1e-5)
    result = learning_coefficient("w1**2*w2**4", n=10**4, chains=32, draws=20000, warmup=2000, seed=1, backend="numpy")
    assert abs(result.estimate.value - effective) < 3 * result.estimate.stderr
