"""Non-isolated critical sets on tori: Morse-Bott lines and surfaces, and crossing lines (issue 16, item 4).

Torus normalisation throughout (docs/conventions.md#density-of-states): rho(E) =
(2 pi)^(-n) int delta(E - f(theta)) d^n theta, so int rho dE = 1.  A Morse-Bott piece C
of dimension m, fixed angles x (k = n - m of them), f - c = (1/2) x^T H_perp x + ...:
a Morse point in k variables at every point of C, so its prefactor is the Morse normal
form's C_0 times |det(H_perp / 2)|^(-1/2), integrated over C and divided by (2 pi)^n.
Every expected value below is derived in its comment; the crossing terms are also checked
by Monte Carlo with a tolerance from the sample's standard error.
"""

import mpmath
import numpy as np
import pytest
import sympy

from singularities.physics.torus import torus_critical_points
from singularities.physics.torus_points import TorusComponent, TorusCriticalSet, TorusCrossing

pi = sympy.pi


def _pieces(found):
    return {c.description: c for c in found.components}


# ---------------------------------------------------------------------------
# Morse-Bott pieces without crossings


def test_2d_lines_are_the_1d_chain():
    # f = -2 cos x on T^2: critical lines x = 0 (value -2) and x = pi (value 2), y free.
    # The DOS is that of the 1D chain, rho(E) = 1/(pi sqrt(4 - E^2)) (y integrates out);
    # near E = -2: 4 - E^2 = (2 - E)(2 + E) ~ 4 (E + 2), so rho ~ 1/(2 pi) (E + 2)^(-1/2),
    # and the same below E = 2.  Morse-Bott: k = 1, C_0 = 1 for y^2, H_perp = 2 cos x = +-2,
    # C = 1 * sqrt(2) * (2 pi / sqrt 2) / (2 pi)^2 = 1/(2 pi): the two routes agree.
    found = torus_critical_points("-2*cos(x)", variables="x,y")
    lines = _pieces(found)
    assert set(lines) == {"x = 0", "x = pi"}
    bottom, top = lines["x = 0"].dos, lines["x = pi"].dos
    assert (bottom.exponent, bottom.log_power, bottom.exact) == (sympy.Rational(-1, 2), 0, True)
    assert (bottom.c_plus, bottom.c_minus) == (1 / (2 * pi), 0)
    assert (top.c_plus, top.c_minus) == (0, 1 / (2 * pi))
    assert lines["x = 0"].crossing_points == () and found.crossings == ()
    # the exact chain DOS at E = -2 + 1e-8 against the leading term (relative error O(E + 2))
    e = mpmath.mpf("1e-8")
    exact = 1 / (mpmath.pi * mpmath.sqrt(4 - (e - 2) ** 2))
    assert abs(bottom.singular_part(sympy.Integer(-2) + sympy.Rational(1, 10**8)) / exact - 1) < 1e-7


def test_3d_lines_without_crossings_are_the_square_lattice():
    # f = -2 cos x - 2 cos y on T^3: four lines (x, y in {0, pi}, z free), det H_perp = +-4 constant.
    # Minimum line: f + 4 ~ x^2 + y^2, step C_0 = pi (docs/conventions.md), 2^(2/2) |det|^(-1/2) = 1,
    # length 2 pi: C_+ = pi * 2 pi / (2 pi)^3 = 1/(4 pi), the square-lattice band-bottom step.
    # Saddle lines: f ~ +-(x^2 - y^2), L_0 = -1: L = -2 pi / (2 pi)^3 = -1/(4 pi^2) each; the two
    # add to -1/(2 pi^2), the square lattice's rho ~ (1/(2 pi^2)) log(1/|E|).
    found = torus_critical_points("-2*cos(x) - 2*cos(y)", variables="x,y,z")
    lines = _pieces(found)
    assert set(lines) == {"x = 0, y = 0", "x = 0, y = pi", "x = pi, y = 0", "x = pi, y = pi"}
    low = lines["x = 0, y = 0"].dos
    assert (low.exponent, low.log_power, low.c_plus, low.c_minus) == (0, 0, 1 / (4 * pi), 0)
    saddles = [lines["x = 0, y = pi"].dos, lines["x = pi, y = 0"].dos]
    assert all(s.log_power == 1 and s.exponent == 0 for s in saddles)
    assert sympy.simplify(sum(s.log_coefficient for s in saddles) + 1 / (2 * pi**2)) == 0
    high = lines["x = pi, y = pi"].dos
    assert (high.c_plus, high.c_minus) == (0, 1 / (4 * pi))
    assert all(c.crossing_points == () for c in found.components) and found.crossings == ()


def test_3d_surface_is_the_1d_chain():
    # f = -2 cos x on T^3: planes x = 0 and x = pi; k = 1, C_0 = 1, det = +-2,
    # area (2 pi)^2: C = sqrt(2) (2 pi)^2 / sqrt(2) / (2 pi)^3 = 1/(2 pi), as for the chain.
    found = torus_critical_points("-2*cos(x)", variables="x,y,z")
    planes = _pieces(found)
    assert all(c.real_dimension == 2 for c in found.components)
    plane = planes["x = 0"].dos
    assert (plane.exponent, plane.c_plus, plane.c_minus) == (sympy.Rational(-1, 2), 1 / (2 * pi), 0)


def test_varying_transverse_hessian_is_integrated_to_30_digits():
    # f = -2 cos x - 2 cos y + (1 - cos x) cos z: on x = 0 the last term and its gradient vanish,
    # so x = 0, y in {0, pi} are critical lines with value -4 and 0.  On x = y = 0:
    # H_perp = diag(2 + cos z, 2), det = 2 (2 + cos z) > 0 (a minimum line).
    # C_+ = pi * 2^(2/2) * int_0^(2 pi) dz / sqrt(2 (2 + cos z)) / (2 pi)^3, and
    # int_0^(2 pi) (a + b cos t)^(-1/2) dt = 4 K(m) / sqrt(a + b), m = 2b/(a + b) (Gradshteyn 2.571),
    # here a = 2, b = 1: 4 K(2/3) / sqrt(3).  The saddle line x = 0, y = pi has H_perp = diag(2 + cos z, -2):
    # L = -1 * 2 * the same integral / sqrt(2) / (2 pi)^3.
    found = torus_critical_points("-2*cos(x) - 2*cos(y) + (1 - cos(x))*cos(z)", variables="x,y,z")
    lines = _pieces(found)
    with mpmath.workdps(40):
        integral = 4 * mpmath.ellipk(mpmath.mpf(2) / 3) / mpmath.sqrt(3) / mpmath.sqrt(2)
        expected_step = mpmath.pi * 2 * integral / (2 * mpmath.pi) ** 3
        low = lines["x = 0, y = 0"].dos
        assert low.exact is False and "30 digits" in low.reason
        assert abs(mpmath.mpf(str(low.c_plus)) - expected_step) < mpmath.mpf(10) ** -27
        saddle = lines["x = 0, y = pi"].dos
        assert saddle.log_power == 1
        assert (
            abs(mpmath.mpf(str(saddle.log_coefficient)) + 2 * integral / (2 * mpmath.pi) ** 3) < mpmath.mpf(10) ** -27
        )


@pytest.mark.slow
def test_varying_transverse_hessian_on_a_surface():
    # f = -2 cos x + (1 - cos x) cos y cos z: the plane x = 0 is critical with value -2 and
    # H_perp = 2 + cos y cos z >= 1 (a minimum surface).  C_+ = 1 * sqrt(2) * I / (2 pi)^3 with
    # I = int int (2 + cos y cos z)^(-1/2) dy dz; the integrand is analytic and periodic, so the
    # trapezoidal rule with 64 x 64 nodes is exact to far more than 25 digits (an independent route).
    found = torus_critical_points("-2*cos(x) + (1 - cos(x))*cos(y)*cos(z)", variables="x,y,z")
    (plane,) = found.components
    with mpmath.workdps(40):
        nodes = [2 * mpmath.pi * j / 64 for j in range(64)]
        cosines = [mpmath.cos(t) for t in nodes]
        integral = sum(1 / mpmath.sqrt(2 + a * b) for a in cosines for b in cosines) * (2 * mpmath.pi / 64) ** 2
        expected = mpmath.sqrt(2) * integral / (2 * mpmath.pi) ** 3
        assert plane.dos.exact is False and plane.dos.c_minus == 0
        assert abs(mpmath.mpf(str(plane.dos.c_plus)) - expected) < mpmath.mpf(10) ** -25


# ---------------------------------------------------------------------------
# crossings


def test_2d_crossing_of_two_lines_of_minima():
    # f = (1 - cos x)(1 - cos y) >= 0 vanishes on the lines x = 0 and y = 0, which cross at the origin with
    # f ~ x^2 y^2 / 4 (q = 0 variables y, M = (1/4)).  vol{|x y| < 2 sqrt(delta)} in |x|, |y| < 1 is
    # 8 sqrt(delta) (1 + ln(1/(2 sqrt(delta)))) = 4 sqrt(delta) ln(1/delta) + O(sqrt(delta)), so
    # rho ~ 2 delta^(-1/2) ln(1/delta); over (2 pi)^2: 1/(2 pi^2) E^(-1/2) ln(1/E) above 0, nothing below.
    found = torus_critical_points("(1 - cos(x))*(1 - cos(y))", variables="x,y")
    (crossing,) = found.crossings
    assert crossing.point == (0, 0) and sorted(crossing.lines) == ["x = 0", "y = 0"]
    assert (crossing.exponent, crossing.log_power) == (sympy.Rational(-1, 2), 1)
    assert (crossing.c_plus, crossing.c_minus) == (1 / (2 * pi**2), 0)
    assert all(c.crossing_points == ((0, 0),) for c in found.components)


@pytest.fixture(scope="module")
def fcc():
    return torus_critical_points("-4*(cos(x)*cos(y) + cos(y)*cos(z) + cos(z)*cos(x))", variables="x,y,z")


def test_fcc_band_top_crossings(fcc):
    # With a = cos x, b = -cos y, c = -cos z near (0, pi, pi): 4 - f = 8 alpha (1 - (beta + gamma)/2) + 4 beta gamma,
    # alpha = 1 - cos x ~ x^2/2 (beta, gamma likewise in y - pi, z - pi): the lines x = 0, y = pi and x = 0, z = pi
    # cross there with 4 - f ~ 4 x^2 + v^2 w^2.  Integrating out x and p = v w (weights 1/2, 1/4, 1/4):
    # vol{4 x^2 + p^2 < delta}' = pi / sqrt(4 * 1) = pi/2 per unit of int dv/|v|, and sqrt(delta) < |v| < 1 gives
    # ln(1/delta): rho ~ (pi/2) ln(1/(4 - E)) per crossing.  Six such points (the mixed corners of {0, pi}^3),
    # divided by (2 pi)^3: 6 (pi/2) / (8 pi^3) = 3/(8 pi^2), the known fcc band-top logarithm.
    assert len(fcc.components) == 6 and len(fcc.crossings) == 6
    assert all(len(c.crossing_points) == 2 and c.dos.c_plus is None for c in fcc.components)
    assert all(c.exponent == 0 and c.log_power == 1 and c.c_plus == 0 for c in fcc.crossings)
    assert all(len(c.lines) == 2 and c.value == 4 for c in fcc.crossings)
    assert sympy.simplify(sum(c.c_minus for c in fcc.crossings) - 3 / (8 * pi**2)) == 0
    assert fcc.crossing_term(4) == (0, 1, 0, 3 / (8 * pi**2)) and fcc.crossing_term(0) is None
    assert fcc.band_maximum == 4


@pytest.mark.slow  # 10+ s; the default run keeps the cheaper cases of this file
def test_bcc_zero_energy_triple_crossings():
    # Near (pi/2, pi/2, pi/2): cos(pi/2 + u) = -sin u ~ -u, so f ~ -8 (-u)(-v)(-w) = 8 u v w, the crossing of the
    # three lines cos x = cos y = 0 etc.  rho of a u v w: (1/|a|) int du dv / |u v| over |u v| > |E/a|, |u|, |v| < 1,
    # four quadrants times the triangle area (1/2) ln^2(1/|E|) in (ln u, ln v): (2/|a|) ln^2(1/|E|) = (1/4) ln^2.
    # Eight such points over (2 pi)^3: 2/(8 pi^3) = 1/(4 pi^3) on both sides.  (Independent route: cos x is
    # arcsine-distributed, E|cos x|^(s-1) = Gamma(s/2)/(sqrt(pi) Gamma((s+1)/2)) ~ 2/(pi s), so the Mellin
    # transform of |uvw| has (2/pi)^3 / s^3 at s = 0, i.e. density (4/pi^3) ln^2(1/t); halved per sign and
    # rescaled by 8: the same.)
    bcc = torus_critical_points("-8*cos(x)*cos(y)*cos(z)", variables="x,y,z")  # one test: the solve takes seconds
    assert len(bcc.components) == 12 and len(bcc.crossings) == 8
    assert all(c.dos.log_power == 1 and c.dos.c_plus is None for c in bcc.components)  # saddle lines, cut by crossings
    assert all(c.exponent == 0 and c.log_power == 2 and len(c.lines) == 3 for c in bcc.crossings)
    assert sympy.simplify(sum(c.c_plus for c in bcc.crossings) - 1 / (4 * pi**3)) == 0
    assert all(c.c_plus == c.c_minus for c in bcc.crossings)
    assert bcc.crossing_term(0) == (0, 2, 1 / (4 * pi**3), 1 / (4 * pi**3))
    _check_bcc_monte_carlo(float(sum(c.c_plus for c in bcc.crossings)))


def _fcc_conditional(delta, cy, cz):
    """P(4 - f < delta | y, z): f = -4 (cos x a + b), a = cos y + cos z, b = cos y cos z, cos x arcsine-distributed."""
    a, b = cy + cz, cy * cz
    r = -(1 - delta / 4) - b  # 4 - f < delta  <=>  cos x * a < r
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.clip(r / a, -1, 1)
    return np.where(a > 0, 1 - np.arccos(t) / np.pi, np.arccos(t) / np.pi)


def test_fcc_monte_carlo(fcc):
    # F(delta) = vol{4 - f < delta}/(2 pi)^3 = A delta ln(1/delta) + (A + B) delta + o(delta) when
    # rho = A ln(1/(4 - E)) + B + o(1); so (F(d1)/d1 - F(d2)/d2) / ln(d2/d1) -> A.  x is integrated exactly
    # (conditional probability), (y, z) by Monte Carlo; the tolerance is 4 standard errors of the estimator.
    rng = np.random.default_rng(16)
    n = 1_000_000
    cy, cz = np.cos(rng.uniform(0, 2 * np.pi, (2, n)))
    d1, d2 = 0.1, 0.01
    sample = (_fcc_conditional(d1, cy, cz) / d1 - _fcc_conditional(d2, cy, cz) / d2) / np.log(d2 / d1)
    estimate, error = sample.mean(), sample.std() / np.sqrt(n)
    predicted = float(sum(c.c_minus for c in fcc.crossings))
    assert error < 0.1 * predicted  # the check can tell a factor 2 apart
    assert abs(estimate - predicted) < 4 * error


def _check_bcc_monte_carlo(predicted):
    # F(delta) = P(|f| < delta) = 2 int_0^delta (A ln^2 + B ln + C) = 2 delta (A L^2 + (2A + B) L + const),
    # L = ln(1/delta): F/(2 delta) is a quadratic in L whose L^2 coefficient is A; three deltas solve for it.
    # |f| < delta given (y, z): |cos x| < delta / (8 |cos y cos z|), probability (2/pi) arcsin(min(1, .)).
    rng = np.random.default_rng(16)
    n = 1_000_000
    cy, cz = np.cos(rng.uniform(0, 2 * np.pi, (2, n)))
    deltas = np.array([1e-1, 1e-2, 1e-3])
    logs = np.log(1 / deltas)
    weights = np.linalg.inv(np.vstack([logs**2, logs, np.ones(3)]).T)[0]
    with np.errstate(divide="ignore"):
        values = [2 / np.pi * np.arcsin(np.minimum(1, d / (8 * np.abs(cy * cz)))) / (2 * d) for d in deltas]
    sample = sum(w * v for w, v in zip(weights, values))
    estimate, error = sample.mean(), sample.std() / np.sqrt(n)
    assert error < 0.2 * predicted
    assert abs(estimate - predicted) < 4 * error


def test_tables_and_round_trip(fcc):
    # the component rows show the piece's exponent and log power, the crossing rows their coefficients
    header, rows = fcc.to_rows()
    crossing_rows = [r for r in rows if r[2] == "crossing of 2 lines"]
    assert len(crossing_rows) == 6 and all(r[6] == 1 for r in crossing_rows)
    again = TorusCriticalSet.from_dict(fcc.to_dict())
    assert again.crossings == fcc.crossings
    assert [c.crossing_points for c in again.components] == [c.crossing_points for c in fcc.components]
    assert TorusCrossing.from_dict(fcc.crossings[0].to_dict()) == fcc.crossings[0]
    line = torus_critical_points("-2*cos(x)", variables="x,y").components[0]
    assert TorusComponent.from_dict(line.to_dict()).dos.c_plus == line.dos.c_plus


def test_a_constant_band_is_one_flat_piece_without_a_morse_bott_term():
    # cos(kx - kx) = 1: the whole torus is critical, there is no transverse direction, so no Morse-Bott term (the
    # DOS is a delta function at E = 1/2); found by the CLI fuzzer (it crashed in the Hessian of zero variables).
    result = torus_critical_points("1/2*cos(kx - kx)", variables="kx")
    assert [c.dimension for c in result.components] == [1] and result.components[0].dos is None
