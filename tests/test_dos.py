"""Local DOS asymptotics: exponents, log powers and both prefactors.

Truths used here, none of them produced by the code under test:

* the hand derivations of docs/conventions.md#density-of-states (1D band
  edge, 2D minimum, 2D saddle, 3D Morse points, the 4D saddle);
* an independent quadrature: for a quasi-homogeneous g(x, y) with weight sum
  d < 1, rho(E) = C_+- |E|^(d-1) holds exactly on R^2, so C_+ = rho(1) and
  C_- = rho(-1), and rho(E) is computed by the coarea formula
  rho(E) = integral dy sum_{x : g(x, y) = E} 1/|dg/dx| with mpmath
  (root finding in x, tanh-sinh in y split at the folds) -- a different
  formula from the Fourier / Gamma-function route of singularities.dos;
* invariances: a coordinate change with Jacobian J at the point divides the
  prefactors by |J|, and higher-order terms do not change them.
"""

import mpmath
import pytest
import sympy

import singularities as sg
from singularities.dos import DOSAsymptotic, dos_asymptotics

from catalogue import TRUTHS, rational

x, y = sympy.symbols("x y")
TOLERANCE = 1e-12


def polar_dos(g, weights, sign, dps=40):
    """rho(sign * 1) of a quasi-homogeneous g(x, y) with weight sum d < 1, by weighted polar coordinates.

    With x = r^w1 cos(t), y = r^w2 sin(t): dx dy = r^(d-1) (w1 cos^2 t + w2 sin^2 t) dr dt and
    g = r g(cos t, sin t), so rho(E) = |E|^(d-1) integral over {sign g(t) > 0} of
    (w1 cos^2 + w2 sin^2) |g(t)|^(-d) dt.  Zeros of g(t) are found by a sign scan and
    bisection; the quadrature is tanh-sinh between consecutive zeros.  Near a zero the
    integrand is |t - t0|^(-d), so rounding at 10^-dps costs about 10^(-dps (1 - d)):
    1e-13 for d <= 2/3 at 40 digits.
    """
    w1, w2 = (mpmath.mpf(sympy.Rational(w)) for w in weights)
    d = w1 + w2
    with mpmath.workdps(dps):
        h = sympy.lambdify((x, y), g, "mpmath")
        on_circle = lambda t: h(mpmath.cos(t), mpmath.sin(t))  # noqa: E731
        grid = [2 * mpmath.pi * (i + mpmath.mpf(1) / 7) / 1000 for i in range(1001)]
        zeros = [mpmath.findroot(on_circle, (a, b), solver="anderson")
                 for a, b in zip(grid, grid[1:]) if on_circle(a) * on_circle(b) < 0]
        cuts = [mpmath.mpf(0)] + zeros + [2 * mpmath.pi]
        total = mpmath.mpf(0)
        for a, b in zip(cuts, cuts[1:]):
            if sign * on_circle((a + b) / 2) > 0:
                total += mpmath.quad(lambda t: (w1 * mpmath.cos(t) ** 2 + w2 * mpmath.sin(t) ** 2) * abs(on_circle(t)) ** (-d), [a, b])
        return total


def morse_convolution_dos(h, coefficient, energy, dps=20):
    """rho(E) of h(x) + a y^2 (a > 0): integral over {h(x) < E} of dx / sqrt(a (E - h(x))).

    The DOS of a y^2 is 1/sqrt(a e) for e > 0, convolved with the level sets of h.
    """
    with mpmath.workdps(dps):
        f = sympy.lambdify(x, h, "mpmath")
        roots = sorted(mpmath.mpf(sympy.N(r, dps)) for r in set(sympy.Poly(h - energy, x).real_roots()))
        cuts = [-mpmath.inf] + roots + [mpmath.inf]
        total = mpmath.mpf(0)
        for a, b in zip(cuts, cuts[1:]):
            middle = (a + b) / 2 if mpmath.isfinite(a + b) else (b - 1 if a == -mpmath.inf else a + 1)
            if f(middle) < energy:
                total += mpmath.quad(lambda u: 1 / mpmath.sqrt(coefficient * (energy - f(u))), [a, b])
        return total


def coarea_dos(g, energy, dps=20):
    """rho(E) of g(x, y) on R^2 by the coarea formula: integral dy sum_{x: g = E} 1/|dg/dx|."""
    with mpmath.workdps(dps):
        level = sympy.Poly(sympy.expand(g - energy), x)
        coefficients = [sympy.lambdify(y, c, "mpmath") for c in level.all_coeffs()]
        slope = sympy.lambdify((x, y), sympy.diff(g, x), "mpmath")

        def integrand(v):
            roots = _roots([c(v) for c in coefficients], dps)
            real = [mpmath.re(r) for r in roots if abs(mpmath.im(r)) < mpmath.mpf(10) ** (-dps // 2)]
            slopes = [abs(slope(r, v)) for r in real]
            return sum(1 / s for s in slopes if s)  # a zero slope is a fold: measure zero in y

        folds = sympy.Poly(sympy.resultant(g - energy, sympy.diff(g, x), x), y)
        leading = sympy.Poly(level.all_coeffs()[0], y)
        cuts = {mpmath.mpf(s * 10**k) for s in (-1, 1) for k in range(-1, 4)}
        for poly in (folds, leading):
            if poly.degree() > 0:
                cuts |= {mpmath.mpf(sympy.N(r, dps)) for r in set(poly.real_roots())}
        return mpmath.quad(integrand, [-mpmath.inf] + sorted(cuts) + [mpmath.inf])


def _roots(coefficients, dps):
    """Roots of a polynomial, rescaled by the Fujiwara bound so that the iteration starts near them."""
    while coefficients and coefficients[0] == 0:
        coefficients = coefficients[1:]
    n = len(coefficients) - 1
    bound = 2 * max([abs(c / coefficients[0]) ** (mpmath.mpf(1) / i) for i, c in enumerate(coefficients) if i and c] + [mpmath.mpf(1)])
    scaled = [c * bound ** (n - i) / bound**n for i, c in enumerate(coefficients)]
    return [r * bound for r in mpmath.polyroots(scaled, maxsteps=400, extraprec=3 * dps)]


def assert_close(value, expected, tolerance=TOLERANCE):
    value, expected = complex(sympy.N(value, 30)), complex(expected)
    assert abs(value - expected) <= tolerance * max(1, abs(expected)), (value, expected)


# --- hand derivations (docs/conventions.md#density-of-states) ----------------------------------

def test_band_edge_1d():
    # delta(E - x^2) has roots +-sqrt(E), each with weight 1/(2 sqrt(E)): rho = E^(-1/2), E > 0 only
    a = dos_asymptotics("x**2")
    assert (a.exponent, a.log_power, a.c_plus, a.c_minus, a.ratio) == (sympy.Rational(-1, 2), 0, 1, 0, sympy.oo)


def test_band_top_1d():
    a = dos_asymptotics("-3*x**2")
    # x = +-sqrt(|E|/3), weight 1/(6|x|) each: rho = 1/sqrt(3|E|) below
    assert (a.c_plus, sympy.simplify(a.c_minus - 1 / sympy.sqrt(3))) == (0, 0)


def test_minimum_2d_is_a_step():
    # vol{x^2 + y^2 < E} = pi E, so rho jumps from 0 to pi; no logarithm
    a = dos_asymptotics("x**2 + y**2")
    assert (a.exponent, a.log_power, a.c_plus, a.c_minus, a.log_coefficient) == (0, 0, sympy.pi, 0, 0)


def test_anisotropic_minimum_2d():
    # vol{2 x^2 + 3 y^2 < E} = pi E / sqrt(6)
    a = dos_asymptotics("2*x**2 + 3*y**2 + x**3")
    assert sympy.simplify(a.c_plus - sympy.pi / sympy.sqrt(6)) == 0 and a.c_minus == 0


def test_saddle_2d_is_a_log_on_both_sides():
    # on [-1,1]^2, rho = 2 arccosh(1/sqrt|E|) = log(4/|E|) + o(1): L = -1, no jump
    a = dos_asymptotics("x**2 - y**2")
    assert (a.exponent, a.log_power, a.log_coefficient, a.c_plus, a.c_minus) == (0, 1, -1, 0, 0)
    assert a.ratio is None


def test_skew_saddle_2d():
    # x*y = ((x+y)^2 - (x-y)^2)/4: the map has |J| = 1/2 and the squares 1/4, so L = -(1/2) / sqrt(1/16) ... = -2
    a = dos_asymptotics("x*y")
    assert (a.log_power, a.log_coefficient) == (1, -2)


def test_minimum_3d():
    # vol{|k|^2 < E} = 4 pi E^(3/2) / 3: rho = 2 pi sqrt(E)
    a = dos_asymptotics("x**2 + y**2 + z**2")
    assert (a.exponent, a.c_plus, a.c_minus) == (sympy.Rational(1, 2), 2 * sympy.pi, 0)


def test_saddles_3d():
    # x^2 + y^2 - z^2: rho = 2 pi - 2 pi sqrt(max(0, -E)) on |z| <= 1; the other saddle is its negative
    one = dos_asymptotics("x**2 + y**2 - z**2")
    two = dos_asymptotics("x**2 - y**2 - z**2")
    assert (one.exponent, one.c_plus, one.c_minus) == (sympy.Rational(1, 2), 0, -2 * sympy.pi)
    assert (two.c_plus, two.c_minus) == (-2 * sympy.pi, 0)


def test_maximum_3d():
    a = dos_asymptotics("-x**2 - y**2 - z**2")
    assert (a.c_plus, a.c_minus) == (0, 2 * sympy.pi)


def test_saddle_4d_is_a_kink_without_log():
    # on the unit ball rho = (pi^2/2)(1 - |E|): singular part -(pi^2/2)|E| on both sides
    a = dos_asymptotics("x1**2 + x2**2 - x3**2 - x4**2")
    assert (a.exponent, a.log_power) == (1, 0)
    assert a.c_plus == a.c_minus == -sympy.pi**2 / 2


def test_rlct_view_matches_the_catalogue_and_differs_from_the_dos_exponent():
    # conventions: 3D saddle (1, 1) with exponent 1/2; 2D saddle (1, 2) with a log
    saddle3 = dos_asymptotics("x**2 + y**2 - z**2")
    saddle2 = dos_asymptotics("x**2 - y**2")
    assert (saddle3.rlct.threshold, saddle3.rlct.multiplicity, saddle3.exponent) == (1, 1, sympy.Rational(1, 2))
    assert (saddle2.rlct.threshold, saddle2.rlct.multiplicity) == (1, 2)


def _classifiable(row):
    """Catalogue rows at a critical point that the determinator classifies (isolated, corank <= 2)."""
    try:
        return sg.classify(row.function, variables=row.variables).principal_part is not None
    except sg.SingularitiesError:
        return False


@pytest.mark.parametrize("row", [r for r in TRUTHS if _classifiable(r)], ids=lambda r: r.name)
def test_rlct_of_the_principal_part_agrees_with_the_catalogue(row):
    # theorem Q (docs/conventions.md) against the hand-derived catalogue
    a = dos_asymptotics(row.function, variables=row.variables)
    assert (a.rlct.threshold, a.rlct.multiplicity) == (rational(row.threshold), row.multiplicity)


# --- every simple 2D type against the independent coarea quadrature ---------------------------

WEIGHTED_FORMS_2D = [
    # (g, weights): every simple 2D type with d <= 2/3, both real forms where there are two
    # (A_k with a Morse square, d up to 5/6, is checked by the convolution test below)
    ("x**2*y + y**3", (sympy.Rational(1, 3),) * 2), ("x**2*y - y**3", (sympy.Rational(1, 3),) * 2),
    ("x**2*y + y**4", (sympy.Rational(3, 8), sympy.Rational(1, 4))), ("x**2*y - y**4", (sympy.Rational(3, 8), sympy.Rational(1, 4))),
    ("x**2*y + y**5", (sympy.Rational(2, 5), sympy.Rational(1, 5))), ("x**2*y - y**5", (sympy.Rational(2, 5), sympy.Rational(1, 5))),
    ("x**2*y + y**6", (sympy.Rational(5, 12), sympy.Rational(1, 6))),
    ("x**3 + y**4", (sympy.Rational(1, 3), sympy.Rational(1, 4))), ("x**3 - y**4", (sympy.Rational(1, 3), sympy.Rational(1, 4))),
    ("x**3 + x*y**3", (sympy.Rational(1, 3), sympy.Rational(2, 9))),
    ("x**3 + y**5", (sympy.Rational(1, 3), sympy.Rational(1, 5))),
    # X9 and J10 (moduli: the numeric path of singularities.dos for the non-separable ones)
    ("x**4 + y**4", (sympy.Rational(1, 4),) * 2), ("x**4 - y**4", (sympy.Rational(1, 4),) * 2),
    ("x**4 + x**2*y**2 + y**4", (sympy.Rational(1, 4),) * 2), ("x**4 - 3*x**2*y**2 + y**4", (sympy.Rational(1, 4),) * 2),
    ("x**3 + x*y**4 + y**6", (sympy.Rational(1, 3), sympy.Rational(1, 6))),
]


@pytest.mark.parametrize("function, weights", WEIGHTED_FORMS_2D)
def test_prefactors_against_polar_quadrature(function, weights):
    g = sympy.sympify(function)
    a = dos_asymptotics(function)
    assert a.weight_sum == sum(weights) and a.exponent == a.weight_sum - 1
    assert_close(a.c_plus, polar_dos(g, weights, 1))
    assert_close(a.c_minus, polar_dos(g, weights, -1))


@pytest.mark.parametrize("h", ["x**3", "x**4", "-x**4", "x**5", "x**6", "x**7", "x**4 - x**5/7"])
@pytest.mark.parametrize("sign", [1, -1])
def test_a_k_with_a_morse_square_against_convolution(h, sign):
    # g = h(x) + sign*2*y^2 near 0: the principal part c x^(k+1) +- 2 y^2, convolved by hand above
    core = sympy.Poly(sympy.sympify(h), x).terms()[-1]
    principal = core[1] * x ** core[0][0]
    a = dos_asymptotics(f"{h} + {sign}*2*y**2")
    for energy, side in ((1, a.c_plus), (-1, a.c_minus)):
        # rho(E) = rho_{principal}(E) exactly for the quasi-homogeneous principal part (d < 1)
        flipped = -principal if sign < 0 else principal
        expected = morse_convolution_dos(flipped, 2, sign * energy)
        assert_close(side, expected)


@pytest.mark.slow
@pytest.mark.parametrize("function", ["x**3 + y**4", "x**2*y - y**4", "x**4 + x**2*y**2 + y**4"])
def test_prefactors_against_coarea_quadrature(function):
    # a third route: rho(+-1) by the coarea formula over the level curve (slow: root finding per point)
    g = sympy.sympify(function)
    a = dos_asymptotics(function)
    assert_close(a.c_plus, coarea_dos(g, 1), 1e-6)
    assert_close(a.c_minus, coarea_dos(g, -1), 1e-6)


@pytest.mark.parametrize("function, weights", [
    ("x**3 + y**2", (sympy.Rational(1, 3), sympy.Rational(1, 2))),
    ("x**2*y + y**4", (sympy.Rational(3, 8), sympy.Rational(1, 4))),
    ("x**3 + y**4", (sympy.Rational(1, 3), sympy.Rational(1, 4))),
    ("x**3 + x*y**3", (sympy.Rational(1, 3), sympy.Rational(2, 9))),
    ("x**3 + y**5", (sympy.Rational(1, 3), sympy.Rational(1, 5))),
])
def test_exponent_is_weight_sum_minus_one(function, weights):
    # scaling g(s^w x) = s g(x) gives rho(s E) = s^(d-1) rho(E)
    assert dos_asymptotics(function).exponent == sum(weights) - 1


# --- invariances ------------------------------------------------------------------------------

@pytest.mark.parametrize("normal, disguised, jacobian", [
    # x -> x + 2y (det 1) and higher-order terms: same prefactors
    ("x**3 + y**4", "(x + 2*y)**3 + y**4 + x**2*y**3", 1),
    # x -> 2x: prefactors divided by 2
    ("x**2*y - y**3", "4*x**2*y - y**3", 2),
    ("x**2*y + y**4", "x**2*y + y**4 + x**3*y + y**5", 1),
    ("x**3 + x*y**3", "x**3 + x*y**3 + y**5", 1),
    # E8 through a shear and a stretch: x -> x - y, y -> 3y (det 3)
    ("x**3 + y**5", "(x - y)**3 + 243*y**5", 3),
    # Morse directions with coefficients: z^2 -> 4 z^2 halves the prefactors
    ("x**3 + y**2 - z**2", "x**3 + y**2 - 4*z**2 + z*x**2", 2),
])
def test_coordinate_changes_divide_by_the_jacobian(normal, disguised, jacobian):
    a, b = dos_asymptotics(normal), dos_asymptotics(disguised)
    assert (a.exponent, a.log_power) == (b.exponent, b.log_power)
    assert_close(b.c_plus, complex(sympy.N(a.c_plus / jacobian, 30)))
    assert_close(b.c_minus, complex(sympy.N(a.c_minus / jacobian, 30)))


def test_point_away_from_origin():
    # (x - 1)^3 + (y + 2)^2 at (1, -2): the A2 prefactors of x^3 + y^2, critical value 5
    a = dos_asymptotics("(x - 1)**3 + (y + 2)**2 + 5", point=(1, -2))
    b = dos_asymptotics("x**3 + y**2")
    assert a.value == 5 and sympy.simplify(a.c_plus - b.c_plus) == 0


def test_odd_core_is_symmetric():
    # g(-x) = -g(x) maps {g = E} to {g = -E}: C_+ = C_-
    for function in ("x**3", "x**2*y - y**3", "x**3 + x*y**3", "x**3 + y**5", "x**5"):
        a = dos_asymptotics(function)
        assert sympy.simplify(a.c_plus - a.c_minus) == 0 and a.ratio == 1


def test_adding_a_square_convolves_with_a_step():
    # x^5 + y^2 + z^2: rho = pi * integral of rho(x^5) => C_+ = -C_- (d = 6/5)
    a = dos_asymptotics("x**5 + y**2 + z**2")
    assert sympy.simplify(a.c_plus + a.c_minus) == 0 and a.exponent == sympy.Rational(1, 5)


def test_log_case_from_a_parabolic_core():
    # x^4 + y^4 + z^2 is a minimum with d = 1: a step, no log; x^4 - y^4 + z^2 has a log
    minimum = dos_asymptotics("x**4 + y**4 + z**2")
    saddle = dos_asymptotics("x**4 - y**4 + z**2")
    assert (minimum.log_power, minimum.c_minus) == (0, 0)
    # the step is d * vol{x^4 + y^4 + z^2 < 1} with d = 1; Dirichlet's integral gives
    # vol{|x|^4 + |y|^4 + |z|^2 < 1} = 2^3 Gamma(5/4)^2 Gamma(3/2) / Gamma(2) = 4 sqrt(pi) Gamma(5/4)^2
    volume = 4 * sympy.sqrt(sympy.pi) * sympy.gamma(sympy.Rational(5, 4)) ** 2
    assert sympy.simplify(minimum.c_plus - volume) == 0
    assert saddle.log_power == 1 and saddle.rlct.multiplicity == 2


# --- results ---------------------------------------------------------------------------------

def test_round_trip_and_rendering():
    a = dos_asymptotics("x**3 + y**4")
    b = DOSAsymptotic.from_dict(a.to_dict())
    assert sympy.simplify(b.c_plus - a.c_plus) == 0 and sympy.simplify(b.c_minus - a.c_minus) == 0
    assert (b.exponent, b.label, b.opens) == (a.exponent, a.label, a.opens)
    assert a.to_dict()["dos_exponent"] == "-5/12"
    assert "C_+" in str(a) and "\\frac" in a._repr_latex_()


def test_scaled_for_a_torus():
    a = dos_asymptotics("x**2 - y**2").scaled(1 / (2 * sympy.pi) ** 2, "torus")
    assert a.log_coefficient == -1 / (4 * sympy.pi**2) and a.measure == "torus"


def test_singular_part_evaluates_both_sides():
    a = dos_asymptotics("x**3 + y**2")
    e = mpmath.mpf("1e-4")
    assert abs(a.singular_part(e) - mpmath.mpf(sympy.N(a.c_plus, 20)) * e ** (-mpmath.mpf(1) / 6)) < 1e-12
    assert abs(a.singular_part(-e) - mpmath.mpf(sympy.N(a.c_minus, 20)) * e ** (-mpmath.mpf(1) / 6)) < 1e-12


def test_unclassified_point_says_so():
    a = dos_asymptotics("x**2*y**2")
    assert a.exponent is None and a.c_plus is None and "not" in a.reason


def test_not_critical():
    with pytest.raises(sg.NotCriticalError):
        dos_asymptotics("x**2 + y", point=(0, 0))
