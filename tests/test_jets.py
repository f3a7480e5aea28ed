"""Taylor jets of trigonometric dispersions at algebraic points: the fast path agrees with sympy's series."""

import pytest
import sympy

from singularities._limits import Deadline
from singularities.algebra.backend import using
from singularities.energy import Energy
from singularities.errors import TimeLimitError
from singularities.jets import _trig_jet, local_expression, local_terms, taylor_terms

TRIANGULAR_1 = "-2*(cos(k1) + cos(k2) + cos(k1 - k2))"
TRIANGULAR_2 = "(cos(k1 + k2) + cos(2*k1 - k2) + cos(2*k2 - k1))"
CUBIC_T2 = "-2*(cos(x) + cos(y) + cos(z)) - (cos(x)*cos(y) + cos(y)*cos(z) + cos(z)*cos(x))"

# (function, point, order): lattices at rational points, pi/2 multiples, 2 pi/3-type points (values in QQ(sqrt 3)),
# pi/4 and pi/5 (sqrt 2, sqrt 5 and nested radicals), products and powers of cos/sin of linear forms.
CASES = [
    (f"{TRIANGULAR_1} - {TRIANGULAR_2}/3", "4*pi/3,2*pi/3", 5),
    (f"{TRIANGULAR_1} - {TRIANGULAR_2}/3", "2*pi/3,4*pi/3", 6),
    (f"{TRIANGULAR_1} - 2*{TRIANGULAR_2}", "pi,0", 6),
    (TRIANGULAR_1, "0,0", 6),
    (TRIANGULAR_1, "2*pi/3,-2*pi/3", 6),
    ("-2*(cos(kx) + cos(ky)) - 4*cos(kx)*cos(ky)", "pi/2,pi", 6),
    ("-2*(cos(kx) + cos(ky)) - cos(kx)*cos(ky) - (cos(2*kx) + cos(2*ky))/4", "pi,pi", 8),
    ("cos(2*k1 - k2)*sin(k1) + cos(k1 - k2)**2", "pi/3,pi/6", 5),
    ("cos(x)*sin(y) + sqrt(2)*cos(x + y)", "pi/4,pi/6", 5),
    ("cos(x)*sin(y) + cos(x + y)", "pi/5,0", 4),
    ("x**2*sin(x - y) + cos(y)**3", "0,pi/2", 6),
    (CUBIC_T2, "pi/3,pi/2,2*pi/3", 5),
]


@pytest.mark.parametrize("function, point, order", CASES)
def test_trig_jet_equals_the_series_path(function, point, order):
    # The reference is sympy's series of the same function (the path under using("sympy")): the terms, their
    # order and the exact form of every coefficient must be identical.
    energy = Energy(function, point=point)
    fast = taylor_terms(energy, order)
    with using("sympy"):
        slow = taylor_terms(energy, order)
    assert fast == slow
    assert list(fast) == list(slow)
    g = local_expression(energy, subtract_value=True)
    assert _trig_jet(g, energy.variables, order) is not None  # the fast path did answer


def test_triangular_lattice_jet_at_k_by_hand():
    # f = -2 (cos k1 + cos k2 + cos(k1 - k2)) at K = (2 pi/3, -2 pi/3): the three phases are 2 pi/3, -2 pi/3, 4 pi/3,
    # all with cos = -1/2, and sin = sqrt3/2, -sqrt3/2, -sqrt3/2.  -2 cos(c + u) = -2 cos c + 2 sin c u + cos c u^2
    # - sin c u^3 / 3 + ...: the linear terms cancel (sqrt3 - sqrt3), the quadratic part is
    # -(x^2 + y^2 + (x - y)^2)/2 = -x^2 + x y - y^2, and the cubic part is
    # -(sqrt3/6) x^3 + (sqrt3/6) y^3 + (sqrt3/6) (x - y)^3 = (sqrt3/2)(x y^2 - x^2 y).
    s3 = sympy.sqrt(3)
    expected = {(2, 0): -1, (1, 1): 1, (0, 2): -1, (2, 1): -s3 / 2, (1, 2): s3 / 2}
    assert taylor_terms(Energy(TRIANGULAR_1, point="2*pi/3,-2*pi/3"), 3) == expected


def test_cos_at_pi_over_three_by_hand():
    # cos(pi/3 + x) = cos(pi/3) cos x - sin(pi/3) sin x = 1/2 - (sqrt3/2) x - x^2/4 + (sqrt3/12) x^3 + x^4/48 + ...
    s3 = sympy.sqrt(3)
    expected = {(1,): -s3 / 2, (2,): sympy.Rational(-1, 4), (3,): s3 / 12, (4,): sympy.Rational(1, 48)}
    assert taylor_terms(Energy("cos(x)", point="pi/3"), 4) == expected
    # local_terms raises the order until the Newton polyhedron closes; 1 - cos x at 0 = x^2/2 - x^4/24 + ...
    assert local_terms(Energy("1 - cos(x) + y**2")) == {
        (2, 0): sympy.Rational(1, 2),
        (0, 2): 1,
        (4, 0): -sympy.Rational(1, 24),
    }


@pytest.mark.parametrize(
    "function, point",
    [
        ("cos(x) + y**2", "1,0"),  # cos(1), sin(1) are transcendental: not in a number field
        ("cos(x*y) + x**2", "0,0"),  # not an affine argument
        ("exp(x) + cos(y)", "0,0"),  # another function
        ("cos(cos(x)) + y**2", "0,0"),  # nested
        ("x**2 + y**2", "0,0"),  # no cos/sin at all
    ],
)
def test_other_shapes_take_the_series_path(function, point):
    # Outside the shape the fast path declines (None) and taylor_terms answers exactly as the series path does.
    energy = Energy(function, point=point)
    g = local_expression(energy, subtract_value=True)
    assert _trig_jet(g, energy.variables, 3) is None
    fast = taylor_terms(energy, 3)
    with using("sympy"):
        assert fast == taylor_terms(energy, 3)


def test_cos_at_one_is_kept_exact():
    # cos(1 + x) = cos 1 - sin(1) x - cos(1) x^2 / 2 + sin(1) x^3 / 6 + ...: the transcendental values stay symbolic.
    one = sympy.Integer(1)
    expected = {(1, 0): -sympy.sin(one), (2, 0): -sympy.cos(one) / 2, (0, 2): 1, (3, 0): sympy.sin(one) / 6}
    terms = taylor_terms(Energy("cos(x) + y**2", point="1,0"), 3)
    assert set(terms) == set(expected)
    assert all(sympy.simplify(terms[e] - expected[e]) == 0 for e in expected)


def test_trig_jet_honours_the_time_limit():
    # An expired deadline stops the expansion before it starts (the fast path runs under call_with_limit).
    deadline = Deadline(1e-9)
    while not deadline.expired():
        pass
    with pytest.raises(TimeLimitError):
        taylor_terms(Energy(CUBIC_T2, point="pi/3,pi/2,2*pi/3"), 24, timeout=deadline)
