"""The exact SLT answers of issue 6 against the independent numeric estimator (multi-scale sampling).

Each exact (lambda, m) below is a hand derivation or a literature value, and
`rlct` proves it (tests/test_blowup.py, tests/test_rlct.py).  Here the
multi-scale volume estimate of vol{|K| < t} must contain lambda in its
interval and choose the same m (about one CPU-second per model with the C kernels).
"""

import pytest
import sympy

from singularities import rlct
from singularities.numeric.verify import verify

MODELS = [
    # (K, lambda, m, source)
    ("x**2*y**2", sympy.Rational(1, 2), 2, "Watanabe 2009, normal crossing x^2 y^2"),
    ("(x*y)**2 + (x*z)**2", sympy.Rational(1, 2), 1, "hand: x^2 (y^2 + z^2), the x-direction dominates"),
    ("x**2", sympy.Rational(1, 2), 1, "a line of minima in (x, y): K = x^2 in two variables"),
    ("a**2*b**2", sympy.Rational(1, 2), 2, "one-hidden-unit tanh network E[(a tanh(b x))^2] ~ a^2 b^2 E[x^2]"),
    (
        "(b1*a1 + b2*a2)**2",
        sympy.Rational(1, 2),
        1,
        "reduced rank regression M = N = 1, H = 2, r = 0 (Aoyagi-Watanabe 2005)",
    ),
    ("x**2 - y**2", 1, 2, "the saddle: N2 / coordinate change"),
]


@pytest.mark.parametrize("loss, threshold, multiplicity, source", MODELS, ids=[m[0] for m in MODELS])
def test_numeric_estimate_agrees_with_the_exact_rlct(loss, threshold, multiplicity, source):
    variables = "x,y" if loss == "x**2" else None
    exact = rlct(loss, variables=variables)
    assert (exact.threshold, exact.multiplicity) == (threshold, multiplicity)
    check = verify(loss, variables=variables, samples=2 * 10**8, seed=11)
    rows = {c.quantity: c for c in check.checks}
    assert (
        rows["threshold"].passed and rows["threshold"].interval[0] <= float(threshold) <= rows["threshold"].interval[1]
    )
    assert rows["multiplicity"].passed, (source, rows["multiplicity"])
