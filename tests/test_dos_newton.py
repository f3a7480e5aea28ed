"""DOS of germs without a quasi-homogeneous principal part (Newton vertex rule) and of disguised cores (issue 15).

Truths used here, derived by hand (docs/dos.md#newton-non-degenerate-germs), none printed by the code:

* vertex rule: if the Newton diagonal of h(x, y) meets the vertex (t, t) with coefficient c and edge normals
  a, b, then in the quadrants where c x^t y^t > 0, vol{0 < h < E} = kappa |c|^(-1/t) E^(1/t) log(1/E) / t
  + O(E^(1/t)) with kappa = |a_1/|a| - b_1/|b||, so rho ~ N kappa |c|^(-1/t) t^(-2) E^(1/t - 1) log(1/E);
* one-sided edge volumes by hand (a substitution x = v^m s that makes the edge polynomial v^k (1 - s^2));
* the change of variables formula: rho of g o A is rho of g divided by |det A|.

The independent numbers come from a volume quadrature written here with numpy: for each y on a logarithmic
grid, the x-set {0 < s h(x, y) < E} from the real roots of h(., y) and h(., y) - s E.
"""

import numpy as np
import pytest
import sympy

import singularities as sg
from singularities.physics.dos import DOSAsymptotic

R = sympy.Rational
x, y = sympy.symbols("x y")


def _volume(h, energy, side, n=5000, q_max=60.0):
    """vol{(x, y) in [-1, 1]^2 : 0 < side h < energy}, by roots in x and the trapezoid rule in q = -log|y|."""
    poly = sympy.Poly(h, x)
    columns = [sympy.lambdify(y, c, "numpy") for c in poly.all_coeffs()]
    q = np.linspace(0.0, q_max, n)
    total = 0.0
    for sign in (1, -1):
        widths = []
        for value in sign * np.exp(-q):
            coefficients = np.array([float(c(value)) for c in columns])
            widths.append(_x_measure(coefficients, energy, side))
        total += np.trapezoid(np.array(widths) * np.exp(-q), q)
    return total


def _x_measure(coefficients, energy, side):
    cuts = [-1.0, 1.0]
    for shift in (0.0, side * energy):
        shifted = coefficients.copy()
        shifted[-1] -= shift
        cuts += [r.real for r in np.roots(shifted) if abs(r.imag) <= 1e-9 * max(1.0, abs(r.real)) and -1 < r.real < 1]
    cuts = np.sort(np.array(cuts))
    middle = (cuts[1:] + cuts[:-1]) / 2
    values = side * np.polyval(coefficients, middle)
    return float(np.sum(np.diff(cuts)[(values > 0) & (values < energy)]))


def _log_slope(h, side, t, energies=(1e-16, 1e-24)):
    """The coefficient A in vol / E^(1/t) = A log(1/E) + B + o(1), from two energies."""
    first, second = (_volume(h, e, side) / e ** (1 / t) for e in energies)
    return (second - first) / np.log(energies[0] / energies[1])


# ---------------------------------------------------------------------------
# the vertex rule: exact values (hand derivations)


def test_j11_sign_pair_exact():
    # J11+- = x^3 +- x^2 y^2 + y^7: vertices (3, 0), (2, 2), (0, 7); edges through (2, 2) have normals (2, 1)
    # (2*3 = 2*2 + 2 = 6) and (5, 2) (5*2 + 2*2 = 14 = 2*7), so t = 2 and kappa = |2/3 - 5/7| = 1/21;
    # rho on the side of sign(c) = 4 kappa / t^2 E^(-1/2) log(1/E) = (1/21) E^(-1/2) log(1/E).
    # The other side: edge x^3 + x^2 y^2 < 0 (x = -u, y = u^(1/2) s: vol = (2 pi / 3) sqrt(E)) and edge
    # x^2 y^2 + y^7 < 0 (y = -v, x = v^(5/2) s: vol = (2 pi / 7) sqrt(E)); C = d vol / sqrt(E) = 10 pi / 21.
    plus = sg.dos_asymptotics("x**3 + x**2*y**2 + y**7")
    minus = sg.dos_asymptotics("x**3 - x**2*y**2 + y**7")
    assert (plus.label, plus.exponent, plus.log_power, plus.side_log_powers) == ("J11+", R(-1, 2), 1, (1, 0))
    assert plus.c_plus == R(1, 21) and abs(plus.c_minus - sympy.N(10 * sympy.pi / 21, 40)) < 1e-25
    assert plus.ratio == sympy.oo  # the logarithm above wins as E -> 0
    assert (minus.label, minus.side_log_powers, minus.c_minus, minus.ratio) == ("J11-", (0, 1), R(1, 21), 0)
    # the RLCT of the same Newton data (Varchenko): lambda = 1/t = exponent + 1, m = codim = top log power + 1
    assert (plus.rlct.threshold, plus.rlct.multiplicity) == (R(1, 2), 2)
    assert abs(minus.c_plus - sympy.N(10 * sympy.pi / 21, 40)) < 1e-25


def test_x10_and_x2y2_plus_sextics_exact():
    # X10 = x^4 + x^2 y^2 + y^5: normals (1, 1) (offset 4) and (3, 2) (offset 10) at (2, 2): kappa = |1/2 - 3/5|
    # = 1/10, C_+ = 4 kappa / 4 = 1/10; below only the edge x^2 y^2 + y^5 (y = -v, x = v^(3/2) s:
    # vol = (2 pi / 5) sqrt(E)), C_- = pi / 5.
    a = sg.dos_asymptotics("x**4 + x**2*y**2 + y**5")
    assert a.c_plus == R(1, 10) and abs(a.c_minus - sympy.N(sympy.pi / 5, 40)) < 1e-25
    # x^2 y^2 + x^6 + y^6 >= 0: normals (1, 2), (2, 1), kappa = 1/3, C_+ = 1/3, and nothing below (C_- = 0 exactly).
    b = sg.dos_asymptotics("x**2*y**2 + x**6 + y**6")
    assert (b.exponent, b.c_plus, b.c_minus, b.exact, b.label) == (R(-1, 2), R(1, 3), 0, True, "Y[2,2](+++)")
    # the coefficient c of the vertex enters as |c|^(-1/t): 4 x^2 y^2 halves C_+ (x -> x/2 is not the same germ)
    c = sg.dos_asymptotics("4*x**2*y**2 + x**6 + y**6")
    assert c.c_plus == R(1, 6)


def test_odd_vertex_gives_logarithms_on_both_sides():
    # x^3 y^3 + x^7 + y^7: vertex (3, 3), normals (3, 4) and (4, 3): kappa = 1/7, two quadrants of each sign:
    # C_+- = 2 kappa / 9 = 2/63, ratio 1, exponent 1/3 - 1.
    a = sg.dos_asymptotics("x**3*y**3 + x**7 + y**7")
    assert (a.exponent, a.side_log_powers, a.c_plus, a.c_minus, a.ratio) == (R(-2, 3), (1, 1), R(2, 63), R(2, 63), 1)


def test_degenerate_edge_or_morse_squares_give_nothing_confident():
    # (x^2 - 2 y^2)^2 + x^5: the diagonal meets the edge (4, 0)-(0, 4) whose polynomial (x^2 - 2 y^2)^2 has the
    # singular torus zeros x = +-sqrt(2) y; no rational shear removes them, so nothing is claimed.
    a = sg.dos_asymptotics("(x**2 - 2*y**2)**2 + x**5")
    assert a.exponent is None and a.c_plus is None and "real non-degeneracy is no" in a.reason
    # J11 plus a Morse square: the convolution with a one-sided logarithm is not derived, so no exponent.
    b = sg.dos_asymptotics("x**3 + x**2*y**2 + y**7 + z**2")
    assert b.exponent is None and b.c_plus is None and "Morse" in b.reason


def test_degenerate_vertex_edge_made_non_degenerate_by_a_shear():
    # x^2 (x + y)^2 + y^5: the edge (4, 0)-(2, 2) carries x^2 (x + y)^2 (a singular zero x = -y in the torus).
    # y -> y - x (determinant 1) gives x^2 y^2 + (y - x)^5, whose polygon (5, 0), (2, 2), (0, 5) has normals
    # (2, 3) and (3, 2) at the vertex: kappa = 1/5, C_+ = 4 kappa / 4 = 1/5; below, the edges -x^5 + x^2 y^2 and
    # x^2 y^2 + y^5 give pi/5 each (as for X10), C_- = 2 pi / 5.  Checked also on the original germ by quadrature.
    h = x**2 * (x + y) ** 2 + y**5
    a = sg.dos_asymptotics(h)
    assert (a.exponent, a.side_log_powers, a.c_plus) == (R(-1, 2), (1, 0), R(1, 5)) and "y -> -x + y" in a.reason
    assert abs(a.c_minus - sympy.N(2 * sympy.pi / 5, 40)) < 1e-25
    assert _log_slope(sympy.expand(h), 1, 2) == pytest.approx(2 / 5, rel=1e-2)


def test_side_log_powers_round_trip_and_singular_part():
    a = sg.dos_asymptotics("x**2*y**2 + x**6 + y**6")
    again = DOSAsymptotic.from_dict(a.to_dict())
    assert again.side_log_powers == (1, 0) and again.c_plus == a.c_plus and again.ratio == sympy.oo
    # singular_part above: C_+ E^(-1/2) log(1/E) at E = 1/100: (1/3) * 10 * log(100)
    assert abs(float(a.singular_part(R(1, 100))) - 10 / 3 * np.log(100)) < 1e-12
    assert float(a.singular_part(R(-1, 100))) == 0.0
    assert "log powers above, below" in str(a)


# ---------------------------------------------------------------------------
# the vertex rule against the independent volume quadrature


def test_j11_against_volume_quadrature():
    # vol / sqrt(E) = t C log(1/E) + B: the slope between E = 1e-16 and 1e-24 must be t C_+ = 2/21 within 1%
    # (the next terms are E^(1/6) smaller); below, vol / sqrt(E) -> C_- / d = 20 pi / 21.
    h = x**3 + x**2 * y**2 + y**7
    assert _log_slope(h, 1, 2) == pytest.approx(2 / 21, rel=1e-2)
    assert _volume(h, 1e-24, -1) / 1e-12 == pytest.approx(20 * np.pi / 21, rel=5e-3)


def test_x10_minus_against_volume_quadrature():
    # X10(+-) = x^4 - x^2 y^2 + y^5: the log is below, with t C_- = 2 * 1/10; above vol / sqrt(E) -> C_+ / d.
    a = sg.dos_asymptotics("x**4 - x**2*y**2 + y**5")
    assert a.side_log_powers == (0, 1) and a.c_minus == R(1, 10)
    assert _log_slope(x**4 - x**2 * y**2 + y**5, -1, 2) == pytest.approx(2 * float(a.c_minus), rel=1e-2)
    assert _volume(x**4 - x**2 * y**2 + y**5, 1e-24, 1) / 1e-12 == pytest.approx(2 * float(a.c_plus), rel=1e-2)


def test_sextic_vertex_against_volume_quadrature():
    # x^2 y^2 + x^6 + y^6: vol / sqrt(E) has the slope t C_+ = 2/3 in log(1/E).
    assert _log_slope(x**2 * y**2 + x**6 + y**6, 1, 2) == pytest.approx(2 / 3, rel=1e-2)


def _extrapolated(h, side, d, delta, energies=(1e-18, 1e-24), n=8000):
    """lim vol / E^d from two energies, for vol / E^d = V (1 - A E^delta + ...) (Richardson, delta known)."""
    first, second = (_volume(h, e, side, n=n) / e**d for e in energies)
    q = (energies[1] / energies[0]) ** delta
    return (second - q * first) / (1 - q)


def test_edge_through_the_diagonal_with_a_monomial_factor():
    # x^3 y^2 + y^6 + x^7: the diagonal meets the edge (3, 2)-(0, 6) (4a + 3b = 18) at t = 18/7, inside it; the edge
    # polynomial y^2 (x^3 + y^4) is not isolated, so there is no core, but rho ~ C_+- |E|^(7/18 - 1) with the C_+- of
    # the edge polynomial.  The next exponent comes from the edge (3, 2)-(7, 0) (normal (1, 2), offset 7): 3/7, so
    # vol / E^(7/18) = (C/d)(1 - A E^(3/7 - 7/18) + ...), extrapolated from two energies.
    h = x**3 * y**2 + y**6 + x**7
    a = sg.dos_asymptotics(h)
    d = R(7, 18)
    assert (a.exponent, a.log_power, a.side_log_powers) == (d - 1, 0, None) and "edge" in a.reason
    delta = 3 / 7 - 7 / 18
    assert _extrapolated(h, 1, 7 / 18, delta, n=3000) == pytest.approx(float(a.c_plus / d), rel=1e-2)
    assert _extrapolated(h, -1, 7 / 18, delta, n=3000) == pytest.approx(float(a.c_minus / d), rel=1e-2)


@pytest.mark.slow
def test_definite_edge_against_volume_quadrature():
    # x^4 y^2 + x^2 y^4 + x^8 + y^8 >= 0: diagonal at (3, 3) inside the edge (4, 2)-(2, 4), d = 1/3; the next
    # exponent 3/8 (edges with normals (1, 2) and (2, 1), offset 8), so delta = 1/24.
    h = x**4 * y**2 + x**2 * y**4 + x**8 + y**8
    a = sg.dos_asymptotics(h)
    assert (a.exponent, a.c_minus) == (R(-2, 3), 0)
    assert _extrapolated(h, 1, 1 / 3, 1 / 24) == pytest.approx(float(a.c_plus) * 3, rel=1e-2)


# ---------------------------------------------------------------------------
# cores in coordinates where they do not split (Arnold's determinator shears)


def _transformed(expression, matrix, shift=0):
    a, b, c, d = matrix
    return sympy.expand(expression.xreplace({x: a * x + b * y + shift, y: c * x + d * y}))


@pytest.mark.parametrize(
    "matrix, shift",
    [((1, 1, 0, 1), 0), ((2, 3, 1, 1), 0), ((R(1, 2), -1, 1, 3), 0), ((1, 1, 0, 1), y**2)],
)
def test_sextic_saddle_in_other_coordinates(matrix, shift):
    # g = x^4 - y^6 (d = 1/4 + 1/6 = 5/12): g o A has the same exponent and log power, and C_+- divided by
    # |det A| (change of variables); a polynomial shift x -> x + y^2 has Jacobian 1 at 0.
    base = sg.dos_asymptotics("x**4 - y**6")
    g = _transformed(x**4 - y**6, matrix, shift)
    a = sg.dos_asymptotics(g)
    det = abs(matrix[0] * matrix[3] - matrix[1] * matrix[2])
    assert (a.exponent, a.log_power, a.rlct.threshold) == (R(-7, 12), 0, R(5, 12))
    assert abs(sympy.N(a.c_plus - base.c_plus / det, 30)) < 1e-20
    assert abs(sympy.N(a.c_minus - base.c_minus / det, 30)) < 1e-20


def test_issue_example_and_what_is_missing():
    # (x + y)^4 - y^6 is x^4 - y^6 after x -> x - y (issue 15): d = 5/12.  x^4 - y^6 is Arnold's W_{1,0}
    # (weights (1/4, 1/6), mu = 3 * 5 = 15), so the determinator names it W[1,0] with its real form.
    a = sg.dos_asymptotics("(x + y)**4 - y**6")
    c = sg.classify("(x + y)**4 - y**6")
    assert a.exponent == R(-7, 12) and (c.family, c.index, c.milnor_number) == ("W", (1, 0), 15)
    # (x^2 - 2 y^2)^2 + x^5: the repeated factor x^2 - 2 y^2 needs sqrt(2); nothing is claimed and the reason says so
    c = sg.classify("(x**2 - 2*y**2)**2 + x**5")
    assert c.principal_part is None


@pytest.mark.parametrize("image", [x + y, x + y + y**2, 2 * x - y])
def test_e12_in_other_coordinates(image):
    # E12 = x^3 + y^7 (weights 1/3, 1/7, d = 10/21): with x -> image (determinant 1, 1 and 2) the exponent
    # -11/21 stays and C_+- divide by |det| (change of variables).
    base = sg.dos_asymptotics("x**3 + y**7")
    a = sg.dos_asymptotics(sympy.expand(image**3 + y**7))
    det = abs(sympy.Poly(image, x, y).coeff_monomial(x))
    assert (a.label, a.exponent, a.log_power) == ("E12", R(-11, 21), 0)
    assert abs(sympy.N(a.c_plus - base.c_plus / det, 25)) < 1e-20 and abs(a.ratio - base.ratio) < 1e-20


def test_c6_sextic_and_quartic_in_other_coordinates():
    # Re (x + i y)^6 (d = 1/3, ratio 1) under a linear map: exponent and ratio unchanged, C scaled by 1/|det|.
    sextic = x**6 - 15 * x**4 * y**2 + 15 * x**2 * y**4 - y**6  # Re (x + i y)^6
    base = sg.dos_asymptotics(sextic)
    a = sg.dos_asymptotics(_transformed(sextic, (1, 2, -1, 1)) + x**7)
    # ratio 1: the linear map commutes with the rotation by pi/6 conjugated, which maps the sextic to its negative
    assert a.exponent == R(-2, 3) and abs(a.ratio - 1) < 1e-25
    assert abs(sympy.N(a.c_plus - base.c_plus / 3, 25)) < 1e-20


def test_three_variable_quartic_disguised():
    # x^4 + y^4 + z^4 (d = 3/4, C_+ = Gamma(1/4)^3 / (8 Gamma(3/4)) by Dirichlet) after x -> x + y^2, z -> z + x y
    # (Jacobian 1): the cross terms have degree > 1 for the weights (1/4, 1/4, 1/4), so the same C_+, nothing below.
    z = sympy.Symbol("z")
    g = sympy.expand((x + y**2) ** 4 + y**4 + (z + x * y) ** 4)
    a = sg.dos_asymptotics(g)
    assert (a.exponent, a.log_power, a.opens, a.c_minus) == (R(-1, 4), 0, "above", 0)
    assert a.c_plus == sympy.gamma(R(1, 4)) ** 3 / (8 * sympy.gamma(R(3, 4)))
    # after the unimodular linear map (x, y, z) -> (x + y, y + z, z) the core (x + y)^4 + (y + z)^4 + z^4 is not
    # separable; its sign is decided exactly (no real zero on the charts z = +-1, z = 0), so the exponent -1/4,
    # "above" and lambda = d = 3/4 (definite, theorem Q) are invariant; its prefactor has no quadrature here.
    b = sg.dos_asymptotics(sympy.expand((x + y) ** 4 + (y + z) ** 4 + z**4))
    assert (b.exponent, b.opens, b.rlct.threshold, b.rlct.multiplicity) == (R(-1, 4), "above", R(3, 4), 1)
    assert b.c_plus is None and "exponent only" in b.reason
    # a sign-changing quartic form: x^4 + y^4 - z^4 in disguise opens both ways
    c = sg.dos_asymptotics(sympy.expand((x + y) ** 4 + y**4 - (y + z) ** 4))
    assert (c.exponent, c.opens) == (R(-1, 4), "both")
