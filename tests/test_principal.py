"""The quasi-homogeneous core of an unnamed germ (local/principal.py) and what follows from it.

Truths used here, derived by hand (none printed by the code under test):

* weights of a facet through the exponents a e_1 and b e_2 are (1/a, 1/b); a
  term x^i y^j lies above it iff i/a + j/b > 1;
* Milnor-Orlik: a quasi-homogeneous h_0 with an isolated critical point has
  mu = prod(1/w_i - 1), and a semi-quasi-homogeneous h has mu(h) = mu(h_0);
* theorem Q (docs/conventions.md#rlct): lambda = d for a definite principal
  part, min(d, 1) otherwise, m = 2 iff d = 1 and it changes sign;
* signs: a sum of positive multiples of even powers is positive definite;
  a polynomial that takes both signs at sample points is indefinite.
"""

import pytest
import sympy

import singularities as sg
from singularities.local.principal import adapted_principal_part, core_opens, core_sign, quasi_homogeneous_part
from singularities.thresholds.recheck import principal_part_failure
from singularities.thresholds.rlct import principal_part_rlct

x, y, z = sympy.symbols("x y z")
R = sympy.Rational


def test_facet_of_a_sextic_saddle_with_a_term_above_it():
    # x^4 - y^6: facet through (4, 0), (0, 6), weights (1/4, 1/6); x^3 y^2 has degree 3/4 + 2/6 = 13/12 > 1.
    # mu(h_0) = (4 - 1)(6 - 1) = 15.
    core, weights, _ = quasi_homogeneous_part(x**4 - y**6 + x**3 * y**2, (x, y), milnor=15)
    assert core == x**4 - y**6 and weights == (R(1, 4), R(1, 6))


def test_non_convenient_core():
    # x^3 + x y^3 (E7): 3 w1 = 1 and w1 + 3 w2 = 1, so w = (1/3, 2/9); y^10 has degree 20/9 > 1;
    # mu = (3 - 1)(9/2 - 1) = 7.
    core, weights, _ = quasi_homogeneous_part(x**3 + x * y**3 + y**10, (x, y), milnor=7)
    assert core == x**3 + x * y**3 and weights == (R(1, 3), R(2, 9))


def test_non_isolated_facet_polynomial_is_refused():
    # x^2 y^2 + x^6 + y^6: both compact facets carry x^2 y^2, whose critical set contains the axes.
    core, weights, reason = quasi_homogeneous_part(x**2 * y**2 + x**6 + y**6, (x, y))
    assert core is None and weights is None and "isolated" in reason


def test_linear_disguise_is_not_seen_in_these_coordinates():
    # (x + y)^4 - y^6: the only compact facet is (4, 0)-(0, 4) with h_0 = (x + y)^4, not isolated; the core
    # exists only after a coordinate change, so quasi_homogeneous_part claims nothing.
    assert quasi_homogeneous_part(sympy.expand((x + y) ** 4 - y**6), (x, y))[0] is None


def test_determinator_shears_find_the_core():
    # x -> x - y turns (x + y)^4 - y^6 into x^4 - y^6 (weights (1/4, 1/6), mu = 3 * 5 = 15), determinant 1.
    core, weights, jacobian, reason = adapted_principal_part(sympy.expand((x + y) ** 4 - y**6), (x, y), milnor=15)
    assert (core, weights, jacobian) == (x**4 - y**6, (R(1, 4), R(1, 6)), 1) and "x -> x - y" in reason
    # (x - 3 y^2)^4 - y^9 + x y^7: the facet through (4, 0), (0, 8) carries (x - 3 y^2)^4 (weights 1/4, 1/8);
    # x -> x + 3 y^2 leaves x^4 - y^9 + (x + 3 y^2) y^7 = x^4 + 2 y^9 + x y^7, and x y^7 has degree 1/4 + 7/9 > 1.
    core, weights, _, _ = adapted_principal_part(sympy.expand((x - 3 * y**2) ** 4 - y**9 + x * y**7), (x, y))
    assert (core, weights) == (x**4 + 2 * y**9, (R(1, 4), R(1, 9)))
    # (2x + 3y)^4 - y^6: x -> x - 3y/2 (determinant 1) gives 16 x^4 - y^6
    assert adapted_principal_part(sympy.expand((2 * x + 3 * y) ** 4 - y**6), (x, y))[0] == 16 * x**4 - y**6
    # (x^2 - 2 y^2)^2 + x^5: the repeated factor needs sqrt(2); nothing is claimed and the reason says what is missing
    core, _, _, reason = adapted_principal_part(sympy.expand((x**2 - 2 * y**2) ** 2 + x**5), (x, y))
    assert core is None and "irrational or complex" in reason


def test_three_variable_sign_by_charts():
    # (x + y)^4 + (y + z)^4 + z^4 is positive away from 0 (a sum of fourth powers of independent forms);
    # x^4 + y^4 - z^4 and x^4 + y^4 + z^4 - 3 x^2 y z change sign (the latter: -0.166 at (1.1, 1, 1), 0.298 at
    # (1, 1.1, 1.1), so sample points may miss it but the charts do not).
    assert core_sign(sympy.expand((x + y) ** 4 + (y + z) ** 4 + z**4), (x, y, z)) == 1
    assert core_sign(x**4 + y**4 - z**4, (x, y, z)) == 0
    assert core_sign(x**4 + y**4 + z**4 - 3 * x**2 * y * z, (x, y, z)) == 0


def test_truncated_jet_and_milnor_mismatch_are_refused():
    # order 5 with w2 = 1/6: a term y^6 beyond the jet could have degree exactly 1, so the jet does not decide.
    assert quasi_homogeneous_part(x**4, (x, y), order=5)[0] is None
    assert quasi_homogeneous_part(x**4 - y**6, (x, y), order=5)[0] is None
    # mu(h_0) = 15, so a claimed mu(h) = 14 contradicts Arnold's mu(h) = mu(h_0)
    assert quasi_homogeneous_part(x**4 - y**6, (x, y), milnor=14)[0] is None


def test_disguised_by_a_curved_coordinate_change():
    # x -> x + y^2 in x^4 - y^6: the new terms 4x^3y^2, 6x^2y^4, 4xy^6, y^8 all have degree > 1 for (1/4, 1/6).
    h = sympy.expand((x + y**2) ** 4 - y**6)
    core, weights, _ = quasi_homogeneous_part(h, (x, y), milnor=15)
    assert core == x**4 - y**6 and weights == (R(1, 4), R(1, 6))


@pytest.mark.parametrize(
    "core, variables, sign",
    [
        (x**4 + y**4 + z**4, (x, y, z), 1),  # a sum of even powers
        (-(x**4) - y**6, (x, y), -1),
        (x**4 - y**6, (x, y), 0),  # (1, 0) and (0, 1) give both signs
        (x**4 + x**2 * y**2 + y**4 + z**4, (x, y, z), 1),  # every term >= 0 and the pure powers vanish only at 0
        (x**4 - x**2 * y**2 + y**4, (x, y), 1),  # t^2 - t + 1 > 0 for t = x^2/y^2
        (x**4 + y**4 + z**4 - 3 * x**2 * y**2, (x, y, z), 0),  # (1, 1, 0): -1 < 0 < 1: (1, 0, 0)
        (x**2 * y - y**3, (x, y), 0),  # odd
    ],
)
def test_core_sign(core, variables, sign):
    assert core_sign(core, variables) == sign


def test_opens_with_morse_squares():
    # a positive core with a negative square changes sign; with positive squares it opens above
    assert core_opens(x**4 + y**6, (x, y), (2, 0)) == "above"
    assert core_opens(-(x**4) - y**6, (x, y), (0, 1)) == "below"
    assert core_opens(x**4 + y**6, (x, y), (1, 1)) == "both"
    assert core_opens(x**4 - y**6, (x, y), (1, 0)) == "both"


SEXTIC_C6 = "x**6 - 15*x**4*y**2 + 15*x**2*y**4 - y**6"  # Re (x + i y)^6

# (function, weights of the core, opens, lambda, m): lambda and m by theorem Q from d = sum of weights (+1/2 per
# Morse square).  x^4 - y^6: d = 5/12, indefinite.  C6 sextic: d = 1/3, indefinite (Re z^6 changes sign).
# x^4 + y^4 + z^4: d = 3/4, definite.  x^4 + y^6 + w^2: d = 1/4 + 1/6 + 1/2 = 11/12, definite.
# x^4 + y^4 + z^4 - w^2: d = 5/4 > 1, indefinite: lambda = 1, m = 1.  -x^4 - y^6 - w^2: d = 11/12, definite
# (below).
UNNAMED = [
    ("x**4 - y**6", (R(1, 4), R(1, 6)), "both", R(5, 12), 1),
    (SEXTIC_C6, (R(1, 6), R(1, 6)), "both", R(1, 3), 1),
    ("x**4 + y**4 + z**4", (R(1, 4),) * 3, "above", R(3, 4), 1),
    ("x**4 + y**6 + w**2", (R(1, 4), R(1, 6)), "above", R(11, 12), 1),
    ("-x**4 - y**6 - w**2", (R(1, 4), R(1, 6)), "below", R(11, 12), 1),
    ("x**4 + y**4 + z**4 - w**2", (R(1, 4),) * 3, "both", sympy.Integer(1), 1),
]


@pytest.mark.parametrize("function, weights, opens, threshold, multiplicity", UNNAMED)
def test_unnamed_core_gives_opens_and_theorem_q(function, weights, opens, threshold, multiplicity):
    c = sg.classify(function)
    assert c.principal_part is not None and tuple(c.principal_part.weights) == weights
    assert c.opens == opens
    result = principal_part_rlct(c)
    assert (result.threshold, result.multiplicity) == (threshold, multiplicity)
    assert principal_part_failure(result, c.energy) is None


def test_unnamed_core_rlct_agrees_with_newton():
    # The face polynomial x^4 - y^6 vanishes on the torus, but only at smooth zeros (weakly non-degenerate), so
    # Newton's 1/t = 1/(12/5) = 5/12 < 1 is lambda (docs/conventions.md#newton-polyhedra); theorem Q must agree.
    assert (
        principal_part_rlct(sg.classify("x**4 - y**6")).threshold
        == 1 / sg.newton_polyhedron("x**4 - y**6").newton_distance
    )


def test_higher_terms_do_not_change_the_core():
    # x^4 - y^6 + x^3 y^2 + y^7 and with a Morse square: the same core, the same weights.
    c = sg.classify("x**4 - y**6 + x**3*y**2 + y**7 + w**2")
    assert c.principal_part.core == x**4 - y**6 and c.principal_part.squares == (1,)
    assert c.milnor_number == 15  # (4 - 1)(6 - 1)


def test_non_semi_quasi_homogeneous_germ_stays_without_core():
    # Y[2,2] = T(2,6,6): two Newton edges, no quasi-homogeneous principal part
    c = sg.classify("x**2*y**2 + x**6 + y**6")
    assert c.principal_part is None and c.type == "Y[2,2]"
