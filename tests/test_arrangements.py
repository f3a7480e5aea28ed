"""Hyperplane arrangements: lambda = min codim W / N_W over dense flats, m = the largest nested family at the minimum.

Every expected pair is derived by hand from the intersection lattice (the derivation in each comment), and
checked against an independent method where one settles the germ (the classification's D4, normal crossings).
"""

import random

import pytest
import sympy

import singularities as sg
from singularities.thresholds.arrangements import arrangement, arrangement_rlct
from singularities.thresholds.recheck import Progress, accepted

x, y, z, w = sympy.symbols("x y z w")
R = sympy.Rational

CASES = [
    # Three lines through 0 in the plane: the origin is dense (3 lines, rank 2): 2/3; lines 1/1. D4: (2/3, 1).
    (x * y * (x - y), (x, y), (R(2, 3), 1)),
    # Two lines: the origin is not dense (rank 1 + 1 = 2), the lines give 1 and 1, nested: (1, 2).
    (x**2 - y**2, (x, y), (1, 2)),
    # x^2 y (x - y)^3: lines 1/2, 1, 1/3; origin dense, 2/6 = 1/3; {x - y, origin} is a chain: (1/3, 2).
    (x**2 * y * (x - y) ** 3, (x, y), (R(1, 3), 2)),
    # Four generic planes in 3-space: the origin is dense, 3/4; no line lies on three planes: (3/4, 1).
    (x * y * z * (x + y + z), (x, y, z), (R(3, 4), 1)),
    # x, y, x - y, x + y meet in the z-axis (dense, 2/4); with z and x + y + z the origin is dense, 3/6;
    # the line {x + y = 0, z = 0} lies on x + y, z, x + y + z (dense, 2/3). Minimum 1/2 at the z-axis and the
    # origin, a chain: (1/2, 2).
    (x * y * (x - y) * (x + y) * z * (x + y + z), (x, y, z), (R(1, 2), 2)),
    # The braid arrangement A3 (x_i - x_j, rank 3): triple flats x_i = x_j = x_k give 2/3, the line of all
    # equal coordinates 3/6: (1/2, 1).
    ((x - y) * (x - z) * (y - z) * (x - w) * (y - w) * (z - w), (x, y, z, w), (R(1, 2), 1)),
]


@pytest.mark.parametrize("g, variables, expected", CASES)
def test_arrangement_pairs_by_hand(g, variables, expected):
    assert arrangement_rlct(arrangement(g, variables))[:2] == expected


def test_d4_agrees_with_the_classification():
    # x y (x - y) is D4; theorem Q gives lambda = 1/3 + 1/3 = 2/3 from the weights (1/3, 1/3), m = 1.
    principal = sg.rlct("x*y*(x - y)", method="principal part")
    assert (principal.threshold, principal.multiplicity) == (R(2, 3), 1)


@pytest.mark.parametrize("g, variables, expected", CASES[4:])
def test_rlct_proves_arrangements_newton_leaves_as_bounds(g, variables, expected):
    result = sg.rlct(g, variables=variables)
    assert (result.threshold, result.multiplicity, result.status.value) == (*expected, "proven")
    assert result.method == "arrangement"


def test_invariant_under_a_linear_change_of_coordinates():
    rng = random.Random(5)
    g, variables, expected = CASES[4]
    while True:
        matrix = sympy.Matrix(3, 3, lambda i, j: rng.randint(-3, 3))
        if matrix.det() != 0:
            break
    change = dict(zip(variables, matrix * sympy.Matrix(variables)))
    moved = sympy.expand(g.xreplace(change))
    assert arrangement_rlct(arrangement(moved, variables))[:2] == expected
    result = sg.rlct(moved, variables=variables)
    assert (result.threshold, result.multiplicity) == expected


def test_not_an_arrangement():
    assert arrangement(x * y - z**2, (x, y, z)) is None  # a cone, not a product of linear forms
    assert arrangement(x * (y - x**2), (x, y)) is None


def test_tampered_arrangement_certificates_are_caught():
    result = sg.rlct(CASES[4][0], variables=CASES[4][1])
    assert accepted(result, result.energy, None, Progress("auto"))
    certificate = result.certificate
    fewer = type(certificate)(
        certificate.normals, certificate.exponents, certificate.minimisers[:1], certificate.nested[:1], ""
    )
    wrong_m = type(result)(result.threshold, 1, result.status, result.method, fewer, result.energy)
    assert not accepted(wrong_m, result.energy, None, Progress("auto"))
    wrong_lambda = type(result)(R(2, 3), result.multiplicity, result.status, result.method, certificate, result.energy)
    assert not accepted(wrong_lambda, result.energy, None, Progress("auto"))


def test_many_tied_flats_end_within_the_time_limit():
    # x^2 prod (y_i (x + y_i)) for five pencils: 32 dense flats tie at 1/2 (the line x and every join of pencils);
    # the truth is (1/2, 6) (blow up the origin: k pencils become k - 1 plus one divisor). Too many minimisers for
    # the nested-family search: no arrangement claim, and rlct must still return within its limit.
    ys = sympy.symbols("y1:6")
    g = x**2 * sympy.Mul(*(v * (x + v) for v in ys))
    assert arrangement_rlct(arrangement(g, (x, *ys))) is None
    result = sg.rlct(g, variables=(x, *ys), timeout=5)
    if result.status.value == "proven":
        assert (result.threshold, result.multiplicity) == (R(1, 2), 6)
    else:  # a bound is an upper bound: never below the truth
        assert result.threshold is None or result.threshold >= R(1, 2)
