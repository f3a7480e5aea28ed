"""Separated variables: sums of squares and products of parts in disjoint groups of variables.

Rules (docs/rlct.md#separated-variables): for a product the zeta function factorises, so lambda = min and
m adds over the parts at the minimum; for a sum of non-negative parts the state density is a convolution,
so lambda adds and m = sum m_j - (k - 1). Expected values are derived by hand from one-group facts
(x^2 y^2: (1/2, 2); z^4: (1/4, 1); a smooth hypersurface squared: (1/2, 1); u^2 + v^6: (1/2 + 1/6, 1)) and
compared with the blow-up search, which does not separate.
"""

import random

import pytest
import sympy

import singularities as sg
from singularities.thresholds.recheck import Progress, accepted

half = sympy.Rational(1, 2)


def test_sum_of_parts_adds_lambda():
    # (x y)^2: (1/2, 2); z^4: (1/4, 1); (u - v^2)^2 + v^6 = u'^2 + v^6: (1/2 + 1/6, 1).
    # lambda = 1/2 + 1/4 + 2/3 = 17/12, m = 2 + 1 + 1 - 2 = 2.
    g = "(x*y)**2 + z**4 + (u - v**2)**2 + v**6"
    result = sg.rlct(g)
    assert (result.threshold, result.multiplicity, result.method) == (sympy.Rational(17, 12), 2, "separation")
    search = sg.rlct(g, method="blowup", timeout=120)
    assert (search.threshold, search.multiplicity) == (result.threshold, result.multiplicity)


def test_sum_settles_what_the_search_leaves_as_a_bound():
    # Five parts: three x^2 y^2 (1/2, 2 each), (a2 - b2^2)^2 (1/2, 1), c^6 (1/6, 1):
    # lambda = 3/2 + 1/2 + 1/6 = 13/6, m = 2 + 2 + 2 + 1 + 1 - 4 = 4.
    result = sg.rlct("(x*y)**2 + (z*w)**2 + (a1*b1)**2 + (a2 - b2**2)**2 + c**6")
    assert (result.threshold, result.multiplicity, result.status.value) == (sympy.Rational(13, 6), 4, "proven")


@pytest.mark.parametrize(
    "g, expected",
    [
        # (y - x^2)^2 (1/2, 1) times (w^2 - z^3) (cusp: 1/2 + 1/3 = 5/6, 1): min 1/2, m = 1.
        ("(y - x**2)**2*(w**2 - z**3)", (half, 1)),
        # (y - x^2)^2 (1/2, 1) times (w - z^2)^2 (1/2, 1): both at the minimum, m = 2.
        ("(y - x**2)**2*(w - z**2)**2*(1 + x + w)", (half, 2)),
    ],
)
def test_product_of_parts_takes_the_minimum(g, expected):
    result = sg.rlct(g)
    assert (result.threshold, result.multiplicity) == expected and result.status.value == "proven"
    search = sg.rlct(g, method="blowup", timeout=120)
    if search.status.value == "proven":
        assert (search.threshold, search.multiplicity) == expected


def test_separation_is_invariant_under_changes_inside_each_group():
    # A random invertible linear change of (x, y) and of (u, v) separately keeps the groups disjoint and
    # each part's pair unchanged, so the answer 17/12, 2 stays.
    rng = random.Random(3)
    x, y, z, u, v = sympy.symbols("x y z u v")
    a, b = rng.randint(1, 5), rng.randint(1, 5)
    change = {x: x + a * y, y: y, u: u, v: v + b * u}
    g = ((x * y) ** 2 + z**4 + (u - v**2) ** 2 + v**6).xreplace(change)
    result = sg.rlct(g, variables=(x, y, z, u, v))
    assert (result.threshold, result.multiplicity) == (sympy.Rational(17, 12), 2)


def test_sign_changing_sums_are_not_separated():
    # x^2 - y^2 + z^2 is not a sum of squares: the sum rule does not apply (its lambda is 1, not 3/2).
    result = sg.rlct("x**2 - y**2 + z**2")
    assert result.method != "separation" and result.threshold == 1


def test_tampered_separation_is_caught():
    result = sg.rlct("(x*y)**2 + z**4 + (u - v**2)**2 + v**6")
    assert accepted(result, result.energy, None, Progress("auto"))
    certificate = result.certificate
    wrong_pair = type(result)(
        result.threshold + 1, result.multiplicity, result.status, result.method, certificate, result.energy
    )
    assert not accepted(wrong_pair, result.energy, None, Progress("auto"))
    as_product = type(certificate)("product", certificate.parts, certificate.groups, certificate.results, "")
    forged = type(result)(
        result.threshold, result.multiplicity, result.status, result.method, as_product, result.energy
    )
    assert not accepted(forged, result.energy, None, Progress("auto"))
