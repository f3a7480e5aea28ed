"""Local DOS asymptotics: exponents, log powers and both prefactors.

Truths used here, none of them produced by the code under test:

* the hand derivations of docs/conventions.md#density-of-states (1D band
  edge, 2D minimum, 2D saddle, 3D Morse points, the 4D saddle);
* an independent quadrature: for a quasi-homogeneous g(x, y) with weight sum
  d < 1, rho(E) = C_+- |E|^(d-1) holds exactly on R^2, so C_+ = rho(1) and
  C_- = rho(-1), and rho(E) is computed by the coarea formula
  rho(E) = integral dy sum_{x : g(x, y) = E} 1/|dg/dx| with mpmath
  (root finding in x, tanh-sinh in y split at the folds) -- a different
  formula from the Fourier / Gamma-function route of singularities.physics.dos;
* invariances: a coordinate change with Jacobian J at the point divides the
  prefactors by |J|, and higher-order terms do not change them.
"""

import mpmath
import pytest
import sympy
from catalogue import TRUTHS, rational

import singularities as sg
from singularities.physics.dos import DOSAsymptotic, dos_asymptotics

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
        zeros = [
            mpmath.findroot(on_circle, (a, b), solver="anderson")
            for a, b in zip(grid, grid[1:])
            if on_circle(a) * on_circle(b) < 0
        ]
        cuts = [mpmath.mpf(0)] + zeros + [2 * mpmath.pi]
        total = mpmath.mpf(0)
        for a, b in zip(cuts, cuts[1:]):
            if sign * on_circle((a + b) / 2) > 0:
                total += mpmath.quad(
                    lambda t: (w1 * mpmath.cos(t) ** 2 + w2 * mpmath.sin(t) ** 2) * abs(on_circle(t)) ** (-d), [a, b]
                )
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
    bound = 2 * max(
        [abs(c / coefficients[0]) ** (mpmath.mpf(1) / i) for i, c in enumerate(coefficients) if i and c]
        + [mpmath.mpf(1)]
    )
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
    assert a.c_plus == a.c_minus == -(sympy.pi**2) / 2


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
    ("x**2*y + y**3", (sympy.Rational(1, 3),) * 2),
    ("x**2*y - y**3", (sympy.Rational(1, 3),) * 2),
    ("x**2*y + y**4", (sympy.Rational(3, 8), sympy.Rational(1, 4))),
    ("x**2*y - y**4", (sympy.Rational(3, 8), sympy.Rational(1, 4))),
    ("x**2*y + y**5", (sympy.Rational(2, 5), sympy.Rational(1, 5))),
    ("x**2*y - y**5", (sympy.Rational(2, 5), sympy.Rational(1, 5))),
    ("x**2*y + y**6", (sympy.Rational(5, 12), sympy.Rational(1, 6))),
    ("x**3 + y**4", (sympy.Rational(1, 3), sympy.Rational(1, 4))),
    ("x**3 - y**4", (sympy.Rational(1, 3), sympy.Rational(1, 4))),
    ("x**3 + x*y**3", (sympy.Rational(1, 3), sympy.Rational(2, 9))),
    ("x**3 + y**5", (sympy.Rational(1, 3), sympy.Rational(1, 5))),
    # X9 and J10 (moduli: the numeric path of singularities.physics.dos for the non-separable ones)
    ("x**4 + y**4", (sympy.Rational(1, 4),) * 2),
    ("x**4 - y**4", (sympy.Rational(1, 4),) * 2),
    ("x**4 + x**2*y**2 + y**4", (sympy.Rational(1, 4),) * 2),
    ("x**4 - 3*x**2*y**2 + y**4", (sympy.Rational(1, 4),) * 2),
    ("x**3 + x*y**4 + y**6", (sympy.Rational(1, 3), sympy.Rational(1, 6))),
    # unnamed cores (local/principal.py): the sextic saddle and the C6-symmetric Re (x + i y)^6
    ("x**4 - y**6", (sympy.Rational(1, 4), sympy.Rational(1, 6))),
    ("x**6 - 15*x**4*y**2 + 15*x**2*y**4 - y**6", (sympy.Rational(1, 6),) * 2),
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


@pytest.mark.parametrize(
    "function, weights",
    [
        ("x**3 + y**2", (sympy.Rational(1, 3), sympy.Rational(1, 2))),
        ("x**2*y + y**4", (sympy.Rational(3, 8), sympy.Rational(1, 4))),
        ("x**3 + y**4", (sympy.Rational(1, 3), sympy.Rational(1, 4))),
        ("x**3 + x*y**3", (sympy.Rational(1, 3), sympy.Rational(2, 9))),
        ("x**3 + y**5", (sympy.Rational(1, 3), sympy.Rational(1, 5))),
    ],
)
def test_exponent_is_weight_sum_minus_one(function, weights):
    # scaling g(s^w x) = s g(x) gives rho(s E) = s^(d-1) rho(E)
    assert dos_asymptotics(function).exponent == sum(weights) - 1


# --- invariances ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "normal, disguised, jacobian",
    [
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
    ],
)
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
    # a non-singular Hessian does not make a point critical: grad(x^2 + y^2 + x) = (1, 0) at 0
    with pytest.raises(sg.NotCriticalError):
        dos_asymptotics("x**2 + y**2 + x")


# ---------------------------------------------------------------------------
# band touchings: f = a + b*sqrt(R) at a zero of R (docs/dos.md#band-touchings)
#
# vol{0 < b sqrt(R) < e} = vol{R < (e/|b|)^2}; for R with a positive-definite quasi-homogeneous
# principal part of weight sum d this is V (e/|b|)^(2d), V = vol{R_0 < 1}, so the band's DOS is
# 2 d V e^(2d - 1) / |b|^(2d) on the side sign(b) of a, and exactly 0 on the other side (the band
# has no states there near the touching).  Each V below is derived by hand.

GAMMA = sympy.gamma
Q = sympy.Rational


@pytest.mark.parametrize("v", [1, 3])
def test_dirac_cone_is_one_sided(v):
    # E = v |k|: vol{v|k| < e} = pi e^2 / v^2, rho = 2 pi e / v^2 per unit k-area above 0, nothing below;
    # per d^2k/(2 pi)^2 that is e / (2 pi v^2), the textbook graphene DOS per cone.
    upper = dos_asymptotics(f"{v}*sqrt(x**2 + y**2)")
    assert (upper.exponent, upper.log_power, upper.c_plus, upper.c_minus) == (1, 0, 2 * sympy.pi / v**2, 0)
    assert upper.ratio == sympy.oo and upper.to_dict()["ratio"] == "oo" and upper.label == "cone"
    assert upper.scaled(1 / (2 * sympy.pi) ** 2).c_plus == 1 / (2 * sympy.pi * v**2)
    # the lower band -v|k|: the mirror image, states only below the touching
    lower = dos_asymptotics(f"-{v}*sqrt(x**2 + y**2)")
    assert (lower.c_plus, lower.c_minus, lower.ratio) == (0, 2 * sympy.pi / v**2, 0)
    assert lower.to_dict()["ratio"] == "0"


def test_anisotropic_cone_with_offset():
    # E = 1 + 2 sqrt(x^2 + 4 y^2): vol{x^2 + 4 y^2 < e^2/4} = pi (e^2/4) / 2 = pi e^2 / 8, rho = pi e / 4 above E = 1.
    a = dos_asymptotics("1 + 2*sqrt(x**2 + 4*y**2)")
    assert (a.value, a.exponent, a.c_plus, a.c_minus) == (1, 1, sympy.pi / 4, 0)


def test_three_dimensional_cone():
    # E = |k| in 3D (a Weyl cone): vol{|k| < e} = 4 pi e^3 / 3, rho = 4 pi e^2.
    a = dos_asymptotics("sqrt(x**2 + y**2 + z**2)")
    assert (a.exponent, a.c_plus, a.c_minus) == (2, 4 * sympy.pi, 0)


def test_semi_dirac_touching_has_exponent_one_half():
    # Two Dirac points merging: R = x^2 + y^4, weights (1/2, 1/4), d = 3/4, band exponent 2d - 1 = 1/2
    # (not the cone's 1).
    # V = vol{x^2 + y^4 < 1} = 4 int_0^1 sqrt(1 - y^4) dy = B(1/4, 3/2) = Gamma(1/4) Gamma(3/2) / Gamma(7/4)
    #   = (2/3) sqrt(pi) Gamma(1/4) / Gamma(3/4).
    # E = 1 - 2 sqrt(R): below 1 only; vol{2 sqrt(R) < e} = V (e/2)^(3/2), rho = (3/2) V e^(1/2) / 2^(3/2)
    #   = sqrt(pi) Gamma(1/4) / (2^(3/2) Gamma(3/4)) e^(1/2).
    a = dos_asymptotics("1 - 2*sqrt(x**2 + y**4)")
    expected = sympy.sqrt(sympy.pi) * GAMMA(Q(1, 4)) / (2 * sympy.sqrt(2) * GAMMA(Q(3, 4)))
    assert (a.value, a.weight_sum, a.exponent, a.log_power, a.c_plus) == (1, Q(3, 2), Q(1, 2), 0, 0)
    assert sympy.simplify(a.c_minus - expected) == 0 and a.ratio == 0 and a.exact


def test_semi_dirac_with_a_mixed_term():
    # R = x^2 + x y^2 + y^4 = (x + y^2/2)^2 + (3/4) y^4: the shear has Jacobian 1 and y -> (4/3)^(1/4) y
    # gives V = (4/3)^(1/4) (2/3) sqrt(pi) Gamma(1/4) / Gamma(3/4); band sqrt(R): rho = (3/2) V e^(1/2).
    a = dos_asymptotics("sqrt(x**2 + x*y**2 + y**4)")
    expected = Q(3, 2) * (Q(4, 3)) ** Q(1, 4) * Q(2, 3) * sympy.sqrt(sympy.pi) * GAMMA(Q(1, 4)) / GAMMA(Q(3, 4))
    assert a.exponent == Q(1, 2) and a.c_minus == 0
    assert abs(sympy.N(a.c_plus - expected, 30)) < 1e-25


def test_isotropic_quartic_touching_is_a_step():
    # Three Dirac points merged into a quadratic band touching: R = (x^2 + y^2)^2 + x^5 (the quintic lies above
    # the Newton facet of weights (1/4, 1/4)).  sqrt(R_0) = x^2 + y^2, vol{x^2 + y^2 < e} = pi e: a step pi,
    # exponent 2d - 1 = 0.  (classify cannot reduce (x^2 + y^2)^2, which has complex double lines; the
    # Newton route with the ball volume V = vol{(x^2 + y^2)^2 < 1} = pi applies.)
    a = dos_asymptotics("sqrt((x**2 + y**2)**2 + x**5)")
    assert (a.exponent, a.log_power, a.c_plus, a.c_minus, a.ratio) == (0, 0, sympy.pi, 0, sympy.oo)


def test_separable_quartic_touching():
    # R = x^4 + y^4: V = 4 Gamma(5/4)^2 / Gamma(3/2) = Gamma(1/4)^2 / (2 sqrt(pi)); d = 1/2, rho = 2 d V = V.
    a = dos_asymptotics("sqrt(x**4 + y**4)")
    assert a.exponent == 0 and sympy.simplify(a.c_plus - GAMMA(Q(1, 4)) ** 2 / (2 * sympy.sqrt(sympy.pi))) == 0


def test_non_separable_quartic_touching_against_polar_quadrature():
    # R = x^4 + x^2 y^2 + y^4 (positive definite, not separable):
    # V = vol{R < 1} = (1/2) int_0^2pi R(cos t, sin t)^(-1/2) dt in ordinary polar coordinates
    # (R homogeneous of degree 4); d = 1/2, so rho = V.
    a = dos_asymptotics("sqrt(x**4 + x**2*y**2 + y**4)")
    with mpmath.workdps(40):
        volume = (
            mpmath.quad(
                lambda t: (mpmath.cos(t) ** 4 + mpmath.cos(t) ** 2 * mpmath.sin(t) ** 2 + mpmath.sin(t) ** 4) ** -0.5,
                [0, mpmath.pi / 2, mpmath.pi, 3 * mpmath.pi / 2, 2 * mpmath.pi],
            )
            / 2
        )
        assert abs(mpmath.mpf(sympy.N(a.c_plus, 35)) - volume) < mpmath.mpf(10) ** -25
    assert a.exponent == 0 and a.c_minus == 0


def test_square_root_of_a_square_is_the_analytic_band():
    # sqrt(q^2) = q for q = x^2 + x y + 2 y^2 > 0: the touching route (R = q^2, Newton facet of weights (1/4, 1/4),
    # V = vol{q^2 < 1} = pi / sqrt(det M), M = [[1, 1/2], [1/2, 2]], det 7/4; rho = 2 d V = V) must give the step of
    # the analytic band q, pi / sqrt(7/4) = 2 pi / sqrt(7), computed by the Morse route.
    touching = dos_asymptotics("sqrt((x**2 + x*y + 2*y**2)**2)")
    bottom = dos_asymptotics("x**2 + x*y + 2*y**2")
    assert touching.exponent == bottom.exponent == 0 and touching.c_minus == bottom.c_minus == 0
    assert (
        sympy.simplify(touching.c_plus - 2 * sympy.pi / sympy.sqrt(7))
        == 0
        == sympy.simplify(bottom.c_plus - touching.c_plus)
    )


def test_touching_without_a_power_law_is_not_determined():
    # R = x^2 y^2 + x^6 + y^6: the Newton polyhedron has two compact facets meeting at (2, 2) on the diagonal,
    # so vol{R < t} ~ C t^(1/2) log(1/t): no power law, and no conical answer may be printed.
    a = dos_asymptotics("sqrt(x**2*y**2 + x**6 + y**6)")
    assert a.exponent is None and a.c_plus is None and a.c_minus is None and "not determined" in a.reason


@pytest.mark.parametrize("band", ["sqrt(x)", "sqrt(x**2 - y**2)"])
def test_radicand_changing_sign_is_refused(band):
    # sqrt(R) is real near a zero of R only if R >= 0 there: R = x and R = x^2 - y^2 change sign.
    with pytest.raises(sg.InputError, match="R >= 0"):
        dos_asymptotics(band)


def test_band_away_from_its_touching_is_analytic():
    # f = 1 + sqrt(1 + x^2 + y^2) at 0: R = 1 > 0, so f is analytic: f - 2 = (x^2 + y^2)/2 + ..., a 2D minimum
    # g = k^T M k with M = I/2: vol{g < E} = pi E / sqrt(det M) = 2 pi E, a step 2 pi.
    a = dos_asymptotics("1 + sqrt(1 + x**2 + y**2)")
    assert (a.label, a.exponent, a.c_plus, a.c_minus) == ("A1", 0, 2 * sympy.pi, 0)


# ---------------------------------------------------------------------------
# critical points with CRootOf coordinates (issue 12: PolynomialError "contains an element of the set of generators")


def _real_root(coefficients, guess):
    with mpmath.workdps(40):
        return mpmath.findroot(lambda t: mpmath.polyval(coefficients, t), guess)


def test_dos_at_a_crootof_morse_point():
    # f = x^4/4 - x^2/2 - x + y^2: grad = (x^3 - x - 1, 2y), one real critical point (r, 0), r^3 = r + 1 (r ~ 1.3247,
    # no real radicals offered by sympy: CRootOf).  Hessian/2 = diag((3 r^2 - 1)/2, 1), positive: a 2D minimum with
    # step pi / sqrt(det) (vol{k^T M k < E} = pi E / sqrt(det M)).  Value r^4/4 - r^2/2 - r.
    root = sympy.CRootOf(x**3 - x - 1, 0)
    for a in (
        dos_asymptotics("x**4/4 - x**2/2 - x + y**2", point=(root, 0)),
        sg.dos_table("x**4/4 - x**2/2 - x + y**2").points[0],
    ):
        assert a.point == (root, 0) and a.label == "A1" and a.exponent == 0 and a.c_minus == 0
        with mpmath.workdps(40):
            r = _real_root([1, 0, -1, -1], 1.3)
            assert abs(mpmath.mpf(sympy.N(a.c_plus, 35)) - mpmath.pi / mpmath.sqrt((3 * r**2 - 1) / 2)) < 1e-25
            assert abs(mpmath.mpf(sympy.N(a.value, 35)) - (r**4 / 4 - r**2 / 2 - r)) < 1e-25


def _issue_12_minimum(guess):
    """The minimum of x^4 - 3x^2y^2 + y^4 + x^2y^3 near (guess, 0.8) by Newton's method, and
    pi / sqrt(det(H/2)) there."""
    f = x**4 - 3 * x**2 * y**2 + y**4 + x**2 * y**3
    gradient = [sympy.lambdify((x, y), sympy.diff(f, v), "mpmath") for v in (x, y)]
    hessian = sympy.lambdify((x, y), sympy.hessian(f, (x, y)) / 2, "mpmath")
    with mpmath.workdps(40):
        point = mpmath.findroot(lambda u, v: [g(u, v) for g in gradient], (guess, 0.8))
        return point, mpmath.pi / mpmath.sqrt(mpmath.det(mpmath.matrix(hessian(*point))))


def test_dos_at_a_crootof_point_of_the_issue_12_input():
    # The point of x^4 - 3x^2y^2 + y^4 + x^2y^3 with x = the smaller real root of 27 x^4 + 270 x^2 - 200 (negative),
    # y = 5/2 - sqrt(105)/6, where the DOS crashed (PolynomialError).  It is a 2D minimum: step pi / sqrt(det(H/2)),
    # H evaluated at the point found by Newton's method from (-0.8, 0.8), independently of the package.
    point = (sympy.CRootOf(27 * x**4 + 270 * x**2 - 200, 0), Q(5, 2) - sympy.sqrt(105) / 6)
    a = dos_asymptotics("x**4 - 3*x**2*y**2 + y**4 + x**2*y**3", point=point)
    assert (a.label, a.exponent, a.c_minus, a.ratio) == ("A1", 0, 0, sympy.oo)
    with mpmath.workdps(40):
        found, expected = _issue_12_minimum(-0.8)
        assert abs(mpmath.mpf(sympy.N(point[0], 35)) - found[0]) < 1e-25
        assert abs(mpmath.mpf(sympy.N(a.c_plus, 35)) - expected) < 1e-25


@pytest.mark.slow
def test_dos_table_and_cli_on_the_issue_12_input():
    # f = x^4 - 3x^2y^2 + y^4 + x^2y^3: an X9 point at 0 and two minima with CRootOf x-coordinates
    # (x^2 a root of 27 u^2 + 270 u - 200, y = 5/2 - sqrt(105)/6), each a step pi / sqrt(det(H/2)) as above.
    from singularities.cli import main

    f = x**4 - 3 * x**2 * y**2 + y**4 + x**2 * y**3
    table = sg.dos_table(str(f))
    minima = [a for a in table.points if a.label == "A1"]
    assert len(minima) == 2 and all(a.exponent == 0 and a.c_minus == 0 and a.ratio == sympy.oo for a in minima)
    with mpmath.workdps(40):
        for a, guess in zip(sorted(minima, key=lambda a: sympy.N(a.point[0])), (-0.8, 0.8)):
            found, expected = _issue_12_minimum(guess)
            assert abs(mpmath.mpf(sympy.N(a.point[0], 35)) - found[0]) < 1e-25
            assert abs(mpmath.mpf(sympy.N(a.c_plus, 35)) - expected) < 1e-25
    assert main(["dos", str(f)]) == 0


def test_dos_at_a_degenerate_crootof_point():
    # f = (x^3 - x - 1)^2 + y^4: at (r, 0), r^3 = r + 1, g = p'(r)^2 u^2 + y^4 + ... (p = x^3 - x - 1, no u y terms):
    # A3+ with weights (1/2, 1/4), d = 3/4.  vol{a u^2 + y^4 < t} = t^(3/4) V / sqrt(a),
    # V = (2/3) sqrt(pi) Gamma(1/4)/Gamma(3/4),
    # so C_+ = (3/4) V / |p'(r)| = sqrt(pi) Gamma(1/4) / (2 Gamma(3/4) |3 r^2 - 1|), C_- = 0.
    # The default run checks the point itself; the whole table (two more A3 points at x = +-1/sqrt(3)) is slow.
    _check_degenerate_crootof_point(
        dos_asymptotics("(x**3 - x - 1)**2 + y**4", point=(sympy.CRootOf(x**3 - x - 1, 0), 0))
    )


@pytest.mark.slow
def test_dos_table_at_a_degenerate_crootof_point_whole_table():
    table = sg.dos_table("(x**3 - x - 1)**2 + y**4")
    (a,) = [a for a in table.points if a.point[0].has(sympy.CRootOf)]
    _check_degenerate_crootof_point(a)


def _check_degenerate_crootof_point(a):
    assert (a.label, a.exponent, a.c_minus) == ("A3+", Q(-1, 4), 0)
    with mpmath.workdps(40):
        r = _real_root([1, 0, -1, -1], 1.3)
        expected = mpmath.sqrt(mpmath.pi) * mpmath.gamma(0.25) / (2 * mpmath.gamma(0.75) * abs(3 * r**2 - 1))
        assert abs(mpmath.mpf(sympy.N(a.c_plus, 35)) - expected) < 1e-25


def test_dos_table_reports_a_point_the_exact_algebra_cannot_handle(monkeypatch):
    # If the exact jets at a degenerate point fail inside sympy (as CRootOf coordinates did, issue 12), the table
    # keeps the point with "not determined" and no numbers instead of crashing.  (x^2 - 1)^2 + y^4 has critical
    # points (+-1, 0) (g = 4u^2 + y^4) and (0, 0) (g = -2x^2 + y^4): all degenerate, so every entry goes
    # through classify.
    import singularities.physics.dos as dos

    def failing(*args, **kwargs):
        raise sympy.PolynomialError("simulated failure of the exact jets")

    monkeypatch.setattr(dos, "classify", failing)
    table = sg.dos_table("(x**2 - 1)**2 + y**4")
    assert len(table.points) == 3
    assert all(a.exponent is None and a.c_plus is None and "not determined" in a.reason for a in table.points)
    assert "not determined" in str(table.points[0]) and table.to_dict()["points"][0]["dos_exponent"] is None


def test_a_given_classification_without_a_principal_part_is_not_repeated(monkeypatch):
    # x^2 y^2 + x^6 + y^6 has a zero 3-jet and a 4-jet x^2 y^2 with two double factors: Y[2,2] = T(2,6,6), a
    # hyperbolic germ with two Newton edges, so no principal part; its DOS comes from the Newton vertex (2, 2)
    # (exponent 1/t - 1 = -1/2, see tests/test_dos_newton.py).  The answer with the caller's classification
    # must be the one dos_asymptotics finds on its own, and classify() must not run a second time.
    f = "x**2*y**2 + x**6 + y**6"
    alone = dos_asymptotics(f)
    given = sg.classify(f)
    assert given.label == "Y[2,2](+++)" and given.principal_part is None
    monkeypatch.setattr("singularities.physics.dos.classify", lambda *a, **k: pytest.fail("classified twice"))
    reused = dos_asymptotics(f, classification=given)
    assert reused.to_dict() == alone.to_dict() and reused.exponent == sympy.Rational(-1, 2)
    assert "Newton diagonal through the vertex" in reused.reason


# ---------------------------------------------------------------------------
# unnamed quasi-homogeneous cores and cores in three variables (issue 15)


def test_sextic_saddle_exponent_and_ratio():
    # x^4 - y^6: d = 1/4 + 1/6 = 5/12, exponent -7/12.  integral exp(i a u^p) du has phase sgn(a)/(2p), so
    # I = |I| e^(i pi (1/8 - 1/12)) = |I| e^(i pi/24), and C_+ : C_- = sin(pi (1/24 + d/2)) : sin(pi (d/2 - 1/24))
    # = sin(pi/4) : sin(pi/6) = sqrt(2).
    a = dos_asymptotics("x**4 - y**6")
    assert (a.weight_sum, a.exponent, a.log_power) == (sympy.Rational(5, 12), sympy.Rational(-7, 12), 0)
    assert sympy.simplify(a.ratio - sympy.sqrt(2)) == 0 and a.exact
    assert (a.rlct.threshold, a.rlct.multiplicity) == (sympy.Rational(5, 12), 1)


def test_c6_sextic_is_symmetric_with_a_beta_function_prefactor():
    # Re z^6 = r^6 cos(6 t): vol{0 < g < E} = (E^(1/3)/2) integral over {cos 6t > 0} of cos(6t)^(-1/3) dt
    # = (E^(1/3)/2) B(1/2, 1/3) (six lobes of (1/6) integral_{-pi/2}^{pi/2} cos^(-1/3)), so
    # C_+ = (1/3)(1/2) B(1/2, 1/3) = sqrt(pi) Gamma(1/3) / (6 Gamma(5/6)).  The rotation by pi/6 maps g to -g,
    # so C_- = C_+ (ratio 1).
    a = dos_asymptotics("x**6 - 15*x**4*y**2 + 15*x**2*y**4 - y**6")
    expected = sympy.sqrt(sympy.pi) * sympy.gamma(sympy.Rational(1, 3)) / (6 * sympy.gamma(sympy.Rational(5, 6)))
    assert a.exponent == sympy.Rational(-2, 3) and a.log_power == 0
    assert abs(sympy.N(a.c_plus - expected, 40)) < 1e-25 and abs(sympy.N(a.c_minus - expected, 40)) < 1e-25
    assert abs(sympy.N(a.ratio - 1, 40)) < 1e-25
    assert (a.rlct.threshold, a.rlct.multiplicity) == (sympy.Rational(1, 3), 1)


def test_quartic_minimum_3d_closed_form_and_monte_carlo():
    # vol{x^4 + y^4 + z^4 < E} = V E^(3/4), V = 8 Gamma(5/4)^3 / Gamma(7/4) (Dirichlet), so rho = (3/4) V E^(-1/4)
    # above 0 and nothing below.
    a = dos_asymptotics("x**4 + y**4 + z**4")
    volume = 8 * sympy.gamma(sympy.Rational(5, 4)) ** 3 / sympy.gamma(sympy.Rational(7, 4))
    assert (a.exponent, a.log_power, a.opens, a.exact) == (sympy.Rational(-1, 4), 0, "above", True)
    assert sympy.simplify(a.c_plus - sympy.Rational(3, 4) * volume) == 0 and a.c_minus == 0
    assert (a.rlct.threshold, a.rlct.multiplicity) == (sympy.Rational(3, 4), 1)
    # Monte Carlo: the fraction of [-1, 1]^3 with x^4 + y^4 + z^4 < 1 is V/8 ~ 0.81; with 4e5 points its standard
    # error is 8 * sqrt(0.81 * 0.19 / 4e5) ~ 0.005, so 0.03 is six standard errors.
    import numpy as np

    points = np.random.default_rng(15).uniform(-1, 1, size=(400_000, 3))
    estimate = 8 * np.mean(np.sum(points**4, axis=1) < 1)
    assert abs(estimate - float(a.c_plus / sympy.Rational(3, 4))) < 0.03


def test_quartic_saddle_3d_ratio():
    # x^4 + y^4 - z^4: I has phase 1/8 + 1/8 - 1/8 = 1/8, d = 3/4, so C_+ : C_- = sin(pi (1/8 + 3/8)) :
    # sin(pi (3/8 - 1/8)) = 1 : sqrt(2)/2, ratio sqrt(2); the magnitude is that of the minimum (same |I|).
    a = dos_asymptotics("x**4 + y**4 - z**4")
    minimum = dos_asymptotics("x**4 + y**4 + z**4")
    assert a.opens == "both" and sympy.simplify(a.ratio - sympy.sqrt(2)) == 0
    assert sympy.simplify(a.c_plus - minimum.c_plus * sympy.sqrt(2)) == 0


def test_p8_fermat_cubic_has_a_log_term():
    # x^3 + y^3 + z^3 (P8): d = 1.  integral exp(i u^3) du = 2 Gamma(4/3) cos(pi/6) = sqrt(3) Gamma(1/3)/3 is
    # real, so I = 3 sqrt(3) Gamma(1/3)^3 / 27 is real: I = -pi L + i J gives L = -I/pi, J = 0 (no jump).
    a = dos_asymptotics("x**3 + y**3 + z**3")
    expected = -sympy.sqrt(3) * sympy.gamma(sympy.Rational(1, 3)) ** 3 / (9 * sympy.pi)
    assert (a.exponent, a.log_power, a.c_plus, a.c_minus) == (0, 1, 0, 0)
    assert sympy.simplify(a.log_coefficient - expected) == 0
    assert (a.rlct.threshold, a.rlct.multiplicity) == (1, 2)
    # An independent route (docs/dos.md#ternary-cubics): L = -(1/3) integral over S^2 of delta(g)
    # = -(2/3) integral over R^2 of delta(u^3 + v^3 + 1) du dv = -(2/3) integral du / (3 |1 + u^3|^(2/3)).
    with mpmath.workdps(30):
        line = mpmath.quad(lambda u: 1 / (3 * abs(1 + u**3) ** (mpmath.mpf(2) / 3)), [-mpmath.inf, -1, mpmath.inf])
        # the |1 + u^3|^(-2/3) end at u = -1 costs tanh-sinh about a third of the digits: 1e-9 is ample
        assert abs(-2 * line / 3 - mpmath.mpf(sympy.N(expected, 30))) < 1e-9


def test_ternary_cubic_quadrature_against_the_closed_form():
    # The line-integral quadrature used for non-separable P8 cores, run on the Fermat cubic, whose
    # I = 3 sqrt(3) Gamma(1/3)^3 / 27 is known in closed form (previous test).
    from singularities._limits import Deadline
    from singularities.physics.prefactors import _ternary_cubic_integral

    z = sympy.Symbol("z")
    ((value, phase),), exact, how = _ternary_cubic_integral(x**3 + y**3 + z**3, (x, y, z), Deadline.coerce(None))
    expected = 3 * sympy.sqrt(3) * sympy.gamma(sympy.Rational(1, 3)) ** 3 / 27
    assert phase == 0 and not exact and "two precisions" in how
    assert abs(sympy.N(value - expected, 40)) < 1e-28


def sphere_delta_monte_carlo(g, n, epsilon, seed):
    """integral over S^2 of delta(g) ~ area{|g| < epsilon} / (2 epsilon), by uniform points on the sphere.

    g is smooth on the sphere with a smooth zero curve, so the bias is O(epsilon^2); the standard error is
    sqrt(p (1 - p) / n) * 4 pi / (2 epsilon) with p the fraction inside.
    """
    import numpy as np

    points = np.random.default_rng(seed).normal(size=(n, 3))
    points /= np.linalg.norm(points, axis=1)[:, None]
    inside = np.abs(g(*points.T)) < epsilon
    p = inside.mean()
    return 4 * np.pi * p / (2 * epsilon), 4 * np.pi * np.sqrt(p * (1 - p) / n) / (2 * epsilon)


@pytest.mark.slow
@pytest.mark.parametrize(
    "function, g",
    [
        ("y**2*z - x**3 + x*z**2", lambda x, y, z: y**2 * z - x**3 + x * z**2),  # two real components (an oval)
        ("x**2*y + y**3 + z**3", lambda x, y, z: x**2 * y + y**3 + z**3),  # one real component
    ],
)
def test_p8_real_forms_by_quadrature_against_monte_carlo(function, g):
    # Non-separable P8 cores: L = -(1/3) integral over S^2 of delta(g) (the odd cubic has no principal value
    # part); Monte Carlo on the sphere with epsilon = 0.01 and 2e6 points: a few tenths of a percent.
    a = dos_asymptotics(function)
    assert a.label == "P8" and (a.exponent, a.log_power, a.c_plus, a.c_minus) == (0, 1, 0, 0) and not a.exact
    estimate, error = sphere_delta_monte_carlo(g, 2_000_000, 0.01, 8)
    assert abs(float(a.log_coefficient) + estimate / 3) < 5 * error / 3 + 1e-3 * estimate


def test_non_separable_quartic_in_three_variables_gives_the_exponent_only():
    # x^4 + y^4 + z^4 + x^2 y^2: homogeneous of degree 4 in 3 variables, d = 3/4, definite (every term >= 0);
    # no closed form or quadrature is implemented for it, so the prefactors are absent and the reason says so.
    a = dos_asymptotics("x**4 + y**4 + z**4 + x**2*y**2")
    assert (a.exponent, a.opens, a.c_plus, a.c_minus) == (sympy.Rational(-1, 4), "above", None, None)
    assert "exponent only" in a.reason and (a.rlct.threshold, a.rlct.multiplicity) == (sympy.Rational(3, 4), 1)
