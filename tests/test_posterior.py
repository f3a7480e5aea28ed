"""Tempered-posterior chains recover lambda for SLT toy losses (truths from tests/catalogue.py), with diagnostics."""

import math

import pytest
import sympy
from catalogue import by_name, rational

from singularities.errors import NumericError
from singularities.numeric.posterior import beta_scan, learning_coefficient

# Each loss has m = 1 and a quasi-homogeneous K with an isolated zero, so Z(a) = C a^(-lambda) up to
# exponentially small terms on the box and n beta E[K] = lambda exactly (see the posterior module docstring).
LOSSES = {
    "regular 1-parameter model K = w^2": ("w**2", "monomial_x2"),
    "K = w1^2 + w2^4": ("w1**2 + w2**4", "sum_x2_y4"),
    "K = (w1^2 + w2^2)^2, i.e. y = (w1^2 + w2^2) x": ("(w1**2 + w2**2)**2", "power_x2_y2_sq"),
    "regular 3-parameter model": ("w1**2 + w2**2 + w3**2", "sum_x2_y2_z2"),
}


@pytest.mark.parametrize("label", list(LOSSES))
def test_recovers_lambda(label):
    loss, name = LOSSES[label]
    lc = learning_coefficient(loss, n=10**4, seed=41)
    d = lc.diagnostics
    assert lc.estimate.contains(rational(by_name(name).threshold)), (label, lc.estimate)
    assert d.healthy and d.r_hat < 1.02 and 0.4 < d.acceptance < 0.75 and d.chains == 32
    assert lc.beta == pytest.approx(1 / math.log(10**4))


def test_multiplicity_two_biases_low():
    """(w1 w2)^2 has (1/2, 2) (catalogue square_xy): lambda_hat = 1/2 - 1/log(n beta) + ..., below 1/2."""
    lc = learning_coefficient("(w1*w2)**2", n=10**4, seed=42)
    a = 10**4 / math.log(10**4)
    assert lc.estimate.interval[1] < 0.5 and abs(lc.estimate.value - (0.5 - 1 / math.log(a))) < 0.05


def test_reproducible_from_the_seed():
    a = learning_coefficient("w1**2 + w2**4", n=10**3, chains=8, draws=200, warmup=200, seed=43, backend="numpy")
    b = learning_coefficient("w1**2 + w2**4", n=10**3, chains=8, draws=200, warmup=200, seed=43, backend="numpy")
    assert a == b and a.estimate.seed == 43 and a.to_dict()["diagnostics"]["chains"] == 8


def test_beta_scan_plateau():
    """K = w^2: n beta E[K] = 1/2 at every temperature (Gaussian integral)."""
    scan = beta_scan("w**2", n=10**4, chains=16, draws=1000, seed=44)
    assert len(scan) == 5 and all(s.estimate.contains(sympy.Rational(1, 2)) for s in scan)
    assert sorted(s.beta for s in scan) == [s.beta for s in scan]


def test_bad_options():
    with pytest.raises(NumericError, match="chains"):
        learning_coefficient("w**2", chains=2)
