"""torus_critical_points() on whole lattices, against hand derivations; Poincare-Hopf indices by two routes.

Every expected point, value, type and index is derived in a comment.  With
c = cos k, s = sin k the gradient of -2t cos k is 2t sin k, so cosine bands
have their critical points where the sines vanish (plus any points where a
bracket vanishes, derived case by case).  The Morse sum is checked for every
lattice: on the torus the indices must add up to 0.
"""

import pytest
import sympy

from singularities import InputError
from singularities.errors import TimeLimitError
from singularities.local.normal_forms import normal_forms
from singularities.physics.dos import dos_asymptotics
from singularities.physics.torus import gradient_index, poincare_hopf_index, torus_critical_points
from singularities.physics.trig import torus_polynomial

pi = sympy.pi


def _summary(found):
    return [(p.point, p.value, p.label, p.morse_index, p.index) for p in found.points]


def _assert_morse_sum_zero(found):
    assert found.morse_sum == 0 and found.morse_check is True, found.morse_note


# ---------------------------------------------------------------------------
# square lattice


def test_square_lattice_nearest_neighbour():
    # f = -2(cos kx + cos ky): grad = (2 sin kx, 2 sin ky) = 0 at kx, ky in {0, pi}.
    # Hessian diag(2 cos kx, 2 cos ky): (0,0) minimum f = -4; (pi,0), (0,pi) saddles f = 0;
    # (pi,pi) maximum f = 4.  Indices +1, -1, -1, +1: sum 0.
    found = torus_critical_points("-2*cos(kx) - 2*cos(ky)")
    assert _summary(found) == [
        ((0, 0), -4, "A1", 0, 1),
        ((0, pi), 0, "A1", 1, -1),
        ((pi, 0), 0, "A1", 1, -1),
        ((pi, pi), 4, "A1", 2, 1),
    ]
    _assert_morse_sum_zero(found)
    assert (found.band_minimum, found.band_maximum) == (-4, 4)
    assert found.counts() == {"minimum": 1, "saddle": 2, "maximum": 1}
    assert found.components == () and found.conical_points == ()


def test_square_lattice_log_van_hove_at_zero():
    # At (pi, 0): g = 2 cos x - 2 cos y = -x^2 + y^2 + ..., a saddle with DOS -log|E| per unit
    # k-area (docs/conventions.md: L = -1).  Torus normalisation divides by (2 pi)^2, and the two
    # saddles add: rho ~ -(1/(2 pi^2)) log|E|, the classic square-lattice van Hove singularity.
    # At the minimum g = x^2 + y^2: a step pi, i.e. 1/(4 pi) on the torus.
    found = torus_critical_points("-2*cos(kx) - 2*cos(ky)")
    saddles = [p for p in found.points if p.value == 0]
    assert all(p.dos.log_power == 1 and p.dos.exponent == 0 for p in saddles)
    assert sympy.simplify(sum(p.dos.log_coefficient for p in saddles) + 1 / (2 * pi**2)) == 0
    minimum = found.points[0]
    assert minimum.dos.log_power == 0 and sympy.simplify(minimum.dos.c_plus - 1 / (4 * pi)) == 0
    assert minimum.dos.c_minus == 0 and minimum.dos.measure == "torus"
    assert found.van_hove_energies() == ((-4, ("A1",)), (0, ("A1", "A1")), (4, ("A1",)))


def test_square_lattice_with_next_nearest_hopping():
    # f = -2t(cx + cy) - 4tp cx cy with t = tp = 1.  grad = (2 sx (t + 2tp cy), 2 sy (t + 2tp cx)).
    # sx = sy = 0: the four points with kx, ky in {0, pi}.  The brackets vanish at
    # cx = cy = -t/(2tp) = -1/2 (then sx, sy != 0): kx, ky in {2pi/3, 4pi/3}.
    # Hessian: f_xx = 2 cx (t + 2tp cy), f_yy = 2 cy (t + 2tp cx), f_xy = -4 tp sx sy.
    #   (0,0): diag(6, 6) minimum, f = -4 - 4 = -8.   (pi,pi): diag(2, 2) minimum, f = 4 - 4 = 0.
    #   (0,pi), (pi,0): diag(-2, -6) maxima, f = 0 + 4 = 4.
    #   (+-2pi/3, +-2pi/3): f_xx = f_yy = 0, f_xy = -4 sx sy != 0: saddles, f = 2 - 1 = 1.
    # Morse: 2 - 4 + 2 = 0.
    found = torus_critical_points("-2*(cos(kx) + cos(ky)) - 4*cos(kx)*cos(ky)")
    p3, p43 = 2 * pi / 3, 4 * pi / 3
    assert _summary(found) == [
        ((0, 0), -8, "A1", 0, 1),
        ((pi, pi), 0, "A1", 0, 1),
        ((p3, p3), 1, "A1", 1, -1),
        ((p3, p43), 1, "A1", 1, -1),
        ((p43, p3), 1, "A1", 1, -1),
        ((p43, p43), 1, "A1", 1, -1),
        ((0, pi), 4, "A1", 2, 1),
        ((pi, 0), 4, "A1", 2, 1),
    ]
    _assert_morse_sum_zero(found)
    assert (found.band_minimum, found.band_maximum) == (-8, 4)


def test_saddles_at_irrational_angles_are_exact():
    # t = 1, tp = 2/3: cx = cy = -t/(2tp) = -3/4, not a rational multiple of pi.  There
    # f = -4(-3/4) - (8/3)(9/16) = 3 - 3/2 = 3/2; the four saddles have cos k = -3/4 exactly.
    found = torus_critical_points("-2*(cos(kx) + cos(ky)) - 8*cos(kx)*cos(ky)/3")
    saddles = [p for p in found.points if p.index == -1]
    assert len(saddles) == 4 and all(p.value == sympy.Rational(3, 2) for p in saddles)
    assert all(sympy.simplify(sympy.cos(k) + sympy.Rational(3, 4)) == 0 for p in saddles for k in p.point)
    _assert_morse_sum_zero(found)


def test_square_lattice_at_tp_half_t_has_critical_lines():
    # t = 1, tp = 1/2: f = -2(cx + cy) - 2 cx cy = 2 - 2(1 + cx)(1 + cy).  grad = (2 sx (1 + cy), 2 sy (1 + cx)):
    # zero on the whole lines ky = pi and kx = pi (value 2, the band top: f <= 2), and at the isolated
    # point sx = sy = 0, cx = cy = 1: (0,0), f = -6, a minimum.  Near kx = pi + u: f = 2 - u^2 (1 + cy) + ...,
    # a line of maxima (transverse inertia (0, 1)), DOS like a 1D band edge |E - 2|^(-1/2) below 2; the
    # transverse coefficient 1 + cy vanishes at the crossing (pi, pi).  Components: the Morse sum does not apply.
    found = torus_critical_points("-2*(cos(kx) + cos(ky)) - 2*cos(kx)*cos(ky)")
    assert _summary(found) == [((0, 0), -6, "A1", 0, 1)]
    assert sorted(c.description for c in found.components) == ["kx = pi", "ky = pi"]
    for line in found.components:
        assert line.value == 2 and line.real_dimension == 1 and line.transverse_inertia == (0, 1)
        assert line.dos_exponent == sympy.Rational(-1, 2) and "below the value" in line.dos_note
        assert "(pi, pi)" in line.dos_note
    assert found.morse_check is None and found.morse_sum is None and "does not apply" in found.morse_note
    assert (found.band_minimum, found.band_maximum) == (-6, 2)


def test_a_band_independent_of_one_variable_is_a_family_of_lines():
    # f = cos kx on the 2-torus: grad = (-sin kx, 0) vanishes on the lines kx = 0 (maxima, f = 1) and
    # kx = pi (minima, f = -1); each is non-degenerate transversally: 1D band edges, |E -+ 1|^(-1/2).
    found = torus_critical_points("cos(kx)", variables="kx,ky")
    assert found.points == ()
    lines = {c.description: c for c in found.components}
    assert set(lines) == {"kx = 0", "kx = pi"}
    assert lines["kx = 0"].value == 1 and lines["kx = 0"].transverse_inertia == (0, 1)
    assert lines["kx = pi"].value == -1 and lines["kx = pi"].transverse_inertia == (1, 0)
    assert all("non-degenerate at every real point" in c.dos_note for c in found.components)


# ---------------------------------------------------------------------------
# triangular and honeycomb lattices


def test_triangular_lattice_nearest_neighbour():
    # f = -2(cos k1 + cos k2 + cos(k1 - k2)) in lattice coordinates k_i = k . a_i.
    # Gamma (0,0): f = -6, Hessian 2[[2,-1],[-1,2]] positive: minimum.
    # M points (pi,0), (0,pi), (pi,pi): f = -2(-1 + 1 - 1) = 2; at (pi,0) Hessian
    #   [[2(c1 + c12), -2 c12], [-2 c12, 2(c2 + c12)]] = [[-4, 2], [2, 0]], det -4: saddles.
    # K, K' = (2pi/3, 4pi/3), (4pi/3, 2pi/3): all three cosines -1/2, f = 3, Hessian -[[2,-1],[-1,2]]: maxima.
    # Morse: 1 - 3 + 2 = 0.
    found = torus_critical_points("-2*(cos(k1) + cos(k2) + cos(k1 - k2))")
    assert _summary(found) == [
        ((0, 0), -6, "A1", 0, 1),
        ((0, pi), 2, "A1", 1, -1),
        ((pi, 0), 2, "A1", 1, -1),
        ((pi, pi), 2, "A1", 1, -1),
        ((2 * pi / 3, 4 * pi / 3), 3, "A1", 2, 1),
        ((4 * pi / 3, 2 * pi / 3), 3, "A1", 2, 1),
    ]
    _assert_morse_sum_zero(found)


@pytest.mark.slow
def test_triangular_lattice_with_second_neighbours_has_monkey_saddles_at_k():
    # Second neighbours a1 + a2, 2a2 - a1, 2a1 - a2 with hopping t2: their Hessian at K is
    # 2 t2 sum m m^T = t2 [[12,-6],[-6,12]], the nearest neighbours' is -t [[2,-1],[-1,2]]:
    # total (6 t2 - t)[[2,-1],[-1,2]], zero at t2 = t/6.  The cubic term at K comes from the nearest
    # neighbours only (sin(m.K) = 0 for the second ones): -(sqrt(3) t/2) x1 x2 (x1 - x2), three real lines:
    # D4- (monkey saddle), index -2, value 3t - 6 t2 = 2.  Gamma: f = -6 - 1 = -7, Hessian
    # (2t + 6t2)[[2,-1],[-1,2]]: minimum.  M: Hessian [[-4t + 4t2, 2t - 2t2], [2t - 2t2, -8 t2]],
    # det 4 (t - t2)(9 t2 - t) = 4 (5/6)(1/2) > 0, trace < 0: maxima, f = 2 + 1/3 = 7/3.
    # Morse: 1 + 3 - 2 - 2 = 0.  DOS at a D4 point: |E - 2|^(-1/3).
    found = torus_critical_points(
        "-2*(cos(k1) + cos(k2) + cos(k1 - k2)) - (cos(k1 + k2) + cos(2*k1 - k2) + cos(2*k2 - k1))/3"
    )
    assert [(p.point, p.value, p.label, p.index) for p in found.points] == [
        ((0, 0), -7, "A1", 1),
        ((2 * pi / 3, 4 * pi / 3), 2, "D4-", -2),
        ((4 * pi / 3, 2 * pi / 3), 2, "D4-", -2),
        ((0, pi), sympy.Rational(7, 3), "A1", 1),
        ((pi, 0), sympy.Rational(7, 3), "A1", 1),
        ((pi, pi), sympy.Rational(7, 3), "A1", 1),
    ]
    _assert_morse_sum_zero(found)
    assert all(p.dos.exponent == sympy.Rational(-1, 3) for p in found.points if p.label == "D4-")


@pytest.mark.parametrize("sign", [1, -1])
def test_honeycomb_bands_have_conical_points(sign):
    # Graphene: E = +-|1 + e^{i k1} + e^{i k2}| = +-sqrt(R), R = 3 + 2(cos k1 + cos k2 + cos(k1 - k2)).
    # R's critical points are those of the triangular band: Gamma (R = 9), M (R = 1), K, K' (R = 0).
    # Upper band: Gamma maximum 3, M saddles 1; K, K' are conical touchings at E = 0, not critical points.
    # Near K, R = k^T M k with M = Hessian(R)/2 = [[1, -1/2], [-1/2, 1]], det 3/4; per unit k-area
    # rho = 2 pi E / sqrt(det M) = 4 pi E / sqrt(3), on the torus / (2 pi)^2: E / (sqrt(3) pi) per cone.
    # Index of a cone: grad f is a positive multiple of +-grad R near K, so sign^2 * (+1) = 1.
    # Morse: upper 1 (max) - 3 + 2 = 0; lower: 1 (min) - 3 + 2 = 0.
    found = torus_critical_points(f"{sign}*sqrt(3 + 2*(cos(k1) + cos(k2) + cos(k1 - k2)))")
    expected = [((0, pi), sign, 1), ((pi, 0), sign, 1), ((pi, pi), sign, 1), ((0, 0), 3 * sign, 2 if sign > 0 else 0)]
    assert sorted((p.point, p.value, p.morse_index) for p in found.points) == sorted(expected, key=lambda e: e)
    cones = found.conical_points
    assert sorted(c.point for c in cones) == [(2 * pi / 3, 4 * pi / 3), (4 * pi / 3, 2 * pi / 3)]
    # Per band (issue 12): the upper band has no states below E = 0 near K, so C_- = 0 there and the
    # ratio C_+/C_- is oo; the lower band has C_+ = 0 and ratio 0.  Exponent 2d - 1 = 1 (d = 1 for a cone).
    for cone in cones:
        assert cone.value == 0 and cone.index == 1 and cone.touching == "conical" and cone.exponent == 1
        assert cone.matrix == sympy.Matrix([[1, -sympy.Rational(1, 2)], [-sympy.Rational(1, 2), 1]])
        assert sympy.simplify(cone.dos_coefficient - 1 / (sympy.sqrt(3) * pi)) == 0
        own, other = (cone.dos.c_plus, cone.dos.c_minus) if sign > 0 else (cone.dos.c_minus, cone.dos.c_plus)
        assert sympy.simplify(own - 1 / (sympy.sqrt(3) * pi)) == 0 and other == 0
        assert (
            cone.to_dict()["ratio"] == ("oo" if sign > 0 else "0")
            and cone.to_dict()["c_minus" if sign > 0 else "c_plus"] == "0"
        )
    _assert_morse_sum_zero(found)
    assert (found.band_minimum, found.band_maximum) == ((0, 3) if sign > 0 else (-3, 0))


def test_morse_points_of_a_square_root_band_take_the_exact_inertia(monkeypatch):
    # Upper honeycomb band: Gamma (maximum, 3) and the M points (saddles, 1) are Morse points of the band
    # (grad f = grad R / (2 sqrt R), Hessian = Hessian(R) / (2 sqrt R) at R > 0), so they are classified from
    # the solver's exact inertia without classify(); their DOS terms are those of dos_asymptotics at the
    # point (per unit k-area) divided by the torus area (2 pi)^2.
    import singularities.physics.torus_local as torus_local  # the home of the torus code's classify() calls

    calls = []
    classify = torus_local.classify
    monkeypatch.setattr(torus_local, "classify", lambda e, **k: calls.append(tuple(e.point)) or classify(e, **k))
    f = "sqrt(3 + 2*(cos(k1) + cos(k2) + cos(k1 - k2)))"
    found = torus_critical_points(f)
    assert calls == []
    assert sorted((p.point, p.label, p.morse_index, p.index) for p in found.points) == [
        ((0, 0), "A1", 2, 1),
        ((0, pi), "A1", 1, -1),
        ((pi, 0), "A1", 1, -1),
        ((pi, pi), "A1", 1, -1),
    ]
    for p in found.points:
        local = dos_asymptotics(f, p.point)
        assert (p.dos.exponent, p.dos.log_power) == (local.exponent, local.log_power)
        for torus_term, local_term in zip(
            (p.dos.c_plus, p.dos.c_minus, p.dos.log_coefficient), (local.c_plus, local.c_minus, local.log_coefficient)
        ):
            assert sympy.simplify(torus_term - local_term / (4 * pi**2)) == 0


def test_conical_dos_coefficient_of_a_square_root_band():
    # f = sqrt(2 + cos x + cos y): R = 0 only at (pi, pi), where R = (u^2 + v^2)/2 + ..., M = I/2, det 1/4:
    # rho = 2 pi E / (1/2) per unit area, / (2 pi)^2 on the torus: E / pi.
    found = torus_critical_points("sqrt(2 + cos(x) + cos(y))")
    (cone,) = found.conical_points
    assert cone.point == (pi, pi) and cone.dos_coefficient == 1 / pi
    _assert_morse_sum_zero(found)


def test_semi_dirac_touching_on_a_lattice():
    # Honeycomb with one bond doubled: f = 2 + e^{i k1} + e^{i k2},
    # R = |f|^2 = 6 + 4(cos k1 + cos k2) + 2 cos(k1 - k2) vanishes only at (pi, pi), where the two Dirac points
    # have merged.  With k = (pi + u, pi + v), s = u + v, a = u - v:
    # f = 2 - e^{iu} - e^{iv} = (s^2 + a^2)/4 - i s (1 - (s^2 + 3 a^2)/24) + ...,
    # so R = s^2 (unit) + (s^2 + a^2)^2/16 + ..., i.e. R ~ S^2 + a^4/16 after S = s (unit): A3+,
    # weights (1/2, 1/4), d = 3/4, band exponent 2d - 1 = 1/2 (not 1).
    # vol_uv = (1/2) vol_sa{s^2 + a^4/16 < t} = (1/2) 2 vol{s^2 + b^4 < t} (a = 2b) = V t^(3/4),
    # V = (2/3) sqrt(pi) Gamma(1/4)/Gamma(3/4); E = sqrt(R):
    # rho = (3/2) V E^(1/2) = sqrt(pi) Gamma(1/4)/Gamma(3/4) E^(1/2) per unit area, / (2 pi)^2 on the torus:
    # Gamma(1/4) / (4 pi^(3/2) Gamma(3/4)).  Above 0 only (C_- = 0).
    # Other points: R's saddles at (0, pi), (pi, 0) (R = 4, band 2) and maximum at 0 (R = 16, band 4);
    # Morse 1 - 2 + 1 = 0.
    found = torus_critical_points("sqrt(6 + 4*(cos(k1) + cos(k2)) + 2*cos(k1 - k2))")
    (touching,) = found.conical_points
    assert touching.point == (pi, pi) and touching.touching == "higher order" and touching.index == 1
    expected = sympy.gamma(sympy.Rational(1, 4)) / (4 * pi ** sympy.Rational(3, 2) * sympy.gamma(sympy.Rational(3, 4)))
    assert touching.exponent == sympy.Rational(1, 2) and touching.dos.c_minus == 0
    assert sympy.simplify(touching.dos.c_plus - expected) == 0 and touching.to_dict()["ratio"] == "oo"
    assert [(p.point, p.value) for p in found.points] == [((0, pi), 2), ((pi, 0), 2), ((0, 0), 4)]
    _assert_morse_sum_zero(found)


def test_quartic_touching_on_a_lattice():
    # R = (1 - cos x)^2 + (1 - cos y)^2 = x^4/4 + y^4/4 + ...: zero only at 0, a separable definite quartic, d = 1/2,
    # exponent 0 (a step).  V = vol{x^4 + y^4 < 4} = 2 vol{x^4 + y^4 < 1} = 2 * 4 Gamma(5/4)^2/Gamma(3/2)
    # = Gamma(1/4)^2/sqrt(pi); rho = 2 d V = V per unit area, Gamma(1/4)^2 / (4 pi^(5/2)) on the torus.
    expected = sympy.gamma(sympy.Rational(1, 4)) ** 2 / (4 * pi ** sympy.Rational(5, 2))
    local = dos_asymptotics("sqrt((1 - cos(x))**2 + (1 - cos(y))**2)").scaled(1 / (2 * pi) ** 2, "torus")
    assert (local.exponent, local.c_minus) == (0, 0) and sympy.simplify(local.c_plus - expected) == 0


@pytest.mark.slow
def test_quartic_touching_in_the_whole_torus_analysis():
    # As above, through torus_critical_points (the band's other points, (0, pi) and (pi, 0), are degenerate A3 points
    # whose prefactors need quadrature, hence slow).  The touching has index +1; Morse sum 0.
    found = torus_critical_points("sqrt((1 - cos(x))**2 + (1 - cos(y))**2)")
    (touching,) = found.conical_points
    assert touching.point == (0, 0) and touching.exponent == 0 and touching.dos.c_minus == 0
    assert (
        sympy.simplify(touching.dos.c_plus - sympy.gamma(sympy.Rational(1, 4)) ** 2 / (4 * pi ** sympy.Rational(5, 2)))
        == 0
    )
    _assert_morse_sum_zero(found)


def _semi_dirac_fit(grid):
    """rho(E)/sqrt(E) = A + B E fitted on E in [0.06, 0.3] from the tetrahedron DOS of the semi-Dirac band;
    returns A."""
    import numpy as np

    from singularities.numeric.dos_curve import dos_curve

    energies = np.linspace(0.06, 0.3, 9)
    curve = dos_curve("sqrt(6 + 4*(cos(k1) + cos(k2)) + 2*cos(k1 - k2))", energies=energies, grid=grid)
    return np.polynomial.polynomial.polyfit(energies, curve.rho / np.sqrt(energies), 1)[0]


@pytest.mark.parametrize("grid, tolerance", [(1024, 0.015), pytest.param(4096, 0.005, marks=pytest.mark.slow)])
def test_semi_dirac_prefactor_against_the_tetrahedron_dos(grid, tolerance):
    # The predicted C E^(1/2) (exponent and prefactor from R's principal part) against a direct DOS computation
    # (linear tetrahedron method on a grid, numeric/dos_curve.py).  rho/sqrt(E) = C + O(E) near 0, so the intercept of a
    # straight-line fit in E is C; a conical answer (rho ~ E) would make rho/sqrt(E) vanish at 0 instead.
    # Measured: intercept / C = 0.983 (grid 512), 0.993 (1024), 0.996 (2048), 0.998 (4096): the O(h) grid bias shrinks.
    touching = torus_critical_points("sqrt(6 + 4*(cos(k1) + cos(k2)) + 2*cos(k1 - k2))").conical_points[0]
    predicted = float(touching.dos.c_plus)
    assert abs(_semi_dirac_fit(grid) / predicted - 1) < tolerance


def test_torus_dos_does_not_depend_on_the_period_convention():
    # The torus-normalised DOS is invariant under k -> k P / (2 pi): with periods 1 and f(2 pi k), the saddles at
    # cos(2 pi k) = -3/4 (irrational angles, analysed through the translated function) must have the same log
    # coefficient as for periods 2 pi.  Hand value: at cos = -3/4, sin = +-sqrt(7)/4, f_xx = 2c + (8/3)c^2 = 0 and
    # f_xy = (8/3) s_x s_y = +-7/6, so sqrt|det(H/2)| = 7/12, L = -12/7 per unit area, -3/(7 pi^2) per d^2k/(2 pi)^2;
    # with periods 1, H scales by (2 pi)^2 per derivative pair and the cell volume is 1: again -3/(7 pi^2).
    wide = torus_critical_points("-2*(cos(kx) + cos(ky)) - 8*cos(kx)*cos(ky)/3")
    unit = torus_critical_points("-2*(cos(2*pi*kx) + cos(2*pi*ky)) - 8*cos(2*pi*kx)*cos(2*pi*ky)/3", periods="1,1")
    saddles = [
        [p.dos.log_coefficient for p in found.points if p.index == -1 and p.value == sympy.Rational(3, 2)]
        for found in (wide, unit)
    ]
    assert len(saddles[0]) == len(saddles[1]) == 4
    assert all(sympy.simplify(L + 3 / (7 * pi**2)) == 0 for L in saddles[0] + saddles[1])


# ---------------------------------------------------------------------------
# chain and cubic lattice


def test_chain():
    # f = -2 cos k: f' = 2 sin k: k = 0 (minimum, -2) and pi (maximum, 2); indices +1, -1.
    # Near 0, g = k^2 + ...: the 1D band edge rho = 1/(2 sqrt E) per unit length (C_+ = 1), i.e.
    # 1/(2 pi) on the circle of length 2 pi: the exact chain DOS 1/(pi sqrt(4 - E^2)) ~ 1/(2 pi sqrt(E + 2)).
    found = torus_critical_points("-2*cos(k)")
    assert _summary(found) == [((0,), -2, "A1", 0, 1), ((pi,), 2, "A1", 1, -1)]
    _assert_morse_sum_zero(found)
    bottom = found.points[0].dos
    assert bottom.exponent == sympy.Rational(-1, 2) and bottom.c_plus == 1 / (2 * pi) and bottom.c_minus == 0


def test_chain_with_quartic_band_bottom():
    # f = -2 cos k + cos(2k)/2 (t = 1, t2 = -1/4): f' = 2 sin k (1 - 2 cos k) ... = 2 sin k - sin 2k
    # = 2 sin k (1 - cos k): zero only at k = 0 and pi.  Near 0: -2(1 - k^2/2 + k^4/24) + (1 - 2k^2 + 2k^4/3)/2
    # = -3/2 + k^4/4: A3+ (index +1), DOS |E + 3/2|^(-3/4).  At pi: 2 - k^2 ... + 1/2: f = 5/2 - 2k^2 + ..., maximum.
    found = torus_critical_points("-2*cos(k) + cos(2*k)/2")
    assert _summary(found) == [
        ((0,), -sympy.Rational(3, 2), "A3+", None, 1),
        ((pi,), sympy.Rational(5, 2), "A1", 1, -1),
    ]
    _assert_morse_sum_zero(found)
    assert found.points[0].dos.exponent == sympy.Rational(-3, 4)


def test_mirror_images_of_degenerate_points_are_not_classified_twice(monkeypatch):
    # f = -2 cos k - cos 2k - cos(3k)/3 (the chain with t2 = 1/2, t3 = 1/6).  f' = 2 sin k + 2 sin 2k + sin 3k.
    # At k = 2pi/3: f' = sqrt3 - sqrt3 + 0 = 0, f'' = 2 cos k + 4 cos 2k + 3 cos 3k = -1 - 2 + 3 = 0,
    # f''' = -2 sin k - 8 sin 2k - 9 sin 3k = -sqrt3 + 4 sqrt3 = 3 sqrt3 != 0: a fold A2, index 0, DOS |E - c|^(-2/3)
    # on both sides; its mirror image k = 4pi/3 (f is even) has f''' = -3 sqrt3: A2 again.  f(2pi/3) = 1 + 1/2 - 1/3.
    # The mirror point is carried over from its twin (classified once) and must equal the direct computation.
    import singularities.physics.torus as torus
    import singularities.physics.torus_local as torus_local  # the home of the torus code's classify() calls

    f = "-2*cos(k) - cos(2*k) - cos(3*k)/3"
    calls = []
    classify = torus_local.classify
    monkeypatch.setattr(torus_local, "classify", lambda e, **k: calls.append(tuple(e.point)) or classify(e, **k))
    mirrored = torus_critical_points(f)
    assert [(p.point, p.value, p.label, p.index, p.dos.exponent) for p in mirrored.points if p.label == "A2"] == [
        ((2 * pi / 3,), sympy.Rational(7, 6), "A2", 0, sympy.Rational(-2, 3)),
        ((4 * pi / 3,), sympy.Rational(7, 6), "A2", 0, sympy.Rational(-2, 3)),
    ]
    folds = {(2 * pi / 3,), (4 * pi / 3,)}
    assert len([p for p in calls if p in folds]) == 1
    monkeypatch.setattr(torus, "_can_mirror", lambda twin, dos: False)
    calls.clear()
    direct = torus_critical_points(f)
    assert len([p for p in calls if p in folds]) == 2 and mirrored.to_dict() == direct.to_dict()
    _assert_morse_sum_zero(mirrored)


@pytest.mark.parametrize(
    "f",
    [
        "-2*cos(k) + cos(2*k)/2",
        "-2*(cos(k1) + cos(k2) + cos(k1 - k2)) - (cos(k1 + k2) + cos(2*k1 - k2) + cos(2*k2 - k1))/3",
        "-2*(cos(x) + cos(y) + cos(z)) - (cos(x)*cos(y) + cos(y)*cos(z) + cos(z)*cos(x))",
    ],
)
def test_derivatives_on_flint_are_those_of_the_circle_coordinates(f):
    # D_j = c_j d/ds_j - s_j d/dc_j (trig.TorusPolynomial.derivative, sympy diff and expand) is the
    # reference; the torus solver's FLINT derivatives must give the same expanded polynomials.
    import singularities.physics.torus as torus
    from singularities.algebra.backend import using

    t = torus_polynomial(f)
    gradient, hessian = torus._derivatives(t)
    assert gradient == t.gradient() and hessian == t.hessian()
    with using("sympy"):
        assert torus._derivatives(t) == (t.gradient(), t.hessian())


def test_cubic_lattice_has_all_four_morse_indices():
    # f = -2(cos x + cos y + cos z): critical where all sines vanish, the 8 corners of {0, pi}^3;
    # Hessian diag(2 cos x, 2 cos y, 2 cos z): Morse index = number of coordinates equal to pi.
    # M0 at f = -6, three M1 at -2, three M2 at 2, M3 at 6; indices 1 - 3 + 3 - 1 = 0.
    # Minimum: g = |x|^2, rho = 2 pi sqrt(E) per unit volume, / (2 pi)^3 on the torus: sqrt(E)/(4 pi^2).
    found = torus_critical_points("-2*(cos(x) + cos(y) + cos(z))")
    assert [(p.value, p.morse_index, p.index) for p in found.points] == (
        [(-6, 0, 1)] + [(-2, 1, -1)] * 3 + [(2, 2, 1)] * 3 + [(6, 3, -1)]
    )
    assert found.counts() == {"minimum": 1, "M1": 3, "M2": 3, "maximum": 1}
    _assert_morse_sum_zero(found)
    assert all(p.dos.exponent == sympy.Rational(1, 2) for p in found.points)
    assert sympy.simplify(found.points[0].dos.c_plus - 1 / (4 * pi**2)) == 0


def test_periods_other_than_two_pi():
    # f = -2 cos(2 pi x) with period 1: minimum at x = 0, maximum at x = 1/2.
    found = torus_critical_points("-2*cos(2*pi*x)", periods="1")
    assert _summary(found) == [((0,), -2, "A1", 0, 1), ((sympy.Rational(1, 2),), 2, "A1", 1, -1)]
    assert found.periods == (1,)


# ---------------------------------------------------------------------------
# invariants


SQUARE_TP = "-2*(cos(kx) + cos(ky)) - 4*cos(kx)*cos(ky)"


def test_shifting_the_zone_origin_shifts_the_points_only():
    # f(k + (pi/2, 0)): cos(kx + pi/2) = -sin(kx).  Every point moves by -pi/2 (mod 2 pi), values and types stay.
    plain = torus_critical_points(SQUARE_TP)
    shifted = torus_critical_points(SQUARE_TP.replace("cos(kx)", "cos(kx + pi/2)"))
    moved = {((x - pi / 2) % (2 * pi), y): (v, label) for (x, y), v, label, _, _ in _summary(plain)}
    assert {p.point: (p.value, p.label) for p in shifted.points} == moved
    _assert_morse_sum_zero(shifted)


def test_swapping_the_variables_swaps_the_coordinates():
    f = "-2*cos(kx) - cos(ky) - cos(kx)*cos(ky)/2"
    plain, swapped = torus_critical_points(f), torus_critical_points(f, variables="ky,kx")
    assert sorted((p.point[::-1], p.value, p.label) for p in swapped.points) == sorted(
        (p.point, p.value, p.label) for p in plain.points
    )
    _assert_morse_sum_zero(plain)


def test_json_is_one_object_with_exact_strings():
    data = torus_critical_points("-2*cos(k)").to_dict()
    assert data["kind"] == "torus_critical_points" and data["morse_sum"] == 0 and data["morse_check"] is True
    assert data["points"][1]["point"] == ["pi"] and data["points"][1]["value"] == "2"
    assert data["band_minimum"] == "-2" and data["periods"] == ["2*pi"]


# ---------------------------------------------------------------------------
# Poincare-Hopf indices: the signature formula against the count of sectors


# Index of grad h at 0 by hand.  In one variable, h = +-x^(k+1) has h' = +-(k+1) x^k: degree 0 when k is
# even, +-1 when k is odd.  In the plane, a gradient field has no elliptic sectors, so Bendixson's formula
# gives index = 1 - N/2 with N the number of sign changes of h on a small circle (2 per real branch
# through 0), and index 1 for a definite h.  Branches: D_k = x^2 y +- y^(k-1) = y (x^2 +- y^(k-2)):
# k odd -> y = 0 and one parabola, N = 4; k even -> + only y = 0 (N = 2), - three curves (N = 6).
# E6 one curve (2), E7 = x (x^2 + y^3) two (4), E8 one (2); X9 with L real lines N = 2L, definite 0+/0-;
# J10 with r real roots of the weighted cubic: r curves x = rho y^2, N = 2r.
SECTOR_INDEX = {
    "A1+": 1,
    "A1-": -1,
    "A2": 0,
    "A3+": 1,
    "A3-": -1,
    "A4": 0,
    "A5+": 1,
    "A5-": -1,
    "A6": 0,
    "A7+": 1,
    "A7-": -1,
    "A8": 0,
    "D4+": 0,
    "D4-": -2,
    "D5+": -1,
    "D5-": -1,
    "D6+": 0,
    "D6-": -2,
    "D7+": -1,
    "D7-": -1,
    "D8+": 0,
    "D8-": -2,
    "E6+": 0,
    "E6-": 0,
    "E7": -1,
    "E8": 0,
    "X9(4)": -3,
    "X9(2)": -1,
    "X9(0+)": 1,
    "X9(0-)": 1,
    "J10(1)": 0,
    "J10(3)": -2,
}
MODULI = {"X9(4)": -3, "X9(2)": 1, "X9(0+)": 1, "X9(0-)": 1, "J10(1)": 1, "J10(3)": 1}


@pytest.mark.parametrize("form", [f for f in normal_forms(8) if f.family != "P"], ids=lambda f: f.label)
def test_signature_index_matches_the_sector_count(form):
    expression = form.expression.xreplace({sympy.Symbol("a"): MODULI.get(form.label, 0)})
    variables = form.variables
    assert gradient_index([sympy.diff(expression, v) for v in variables], variables) == SECTOR_INDEX[form.label]


@pytest.mark.parametrize(
    "f, expected",
    [
        ("x**2 + y**2", 1),
        ("x**2 - y**2", -1),
        ("-x**2 - y**2", 1),
        ("x**2 + y**2 - z**2", -1),
        ("x**3 - 3*x*y**2", -2),
        ("x**2*y + y**3", 0),
        ("x**4 + y**2", 1),
        ("-x**4 + y**2", -1),
        ("x**3 + y**2", 0),
        ("x**2*y - y**4 - z**2", 1),
        ("x**4 - 3*x**2*y**2 + y**4", -3),
    ],
)
def test_index_of_a_classified_point(f, expected):
    # Morse: (-1)^(Morse index).  D5- with an extra -z^2: (-1) * (-1) = 1 (the degree is multiplicative).
    # x^4 - 3x^2y^2 + y^4 = (x^2 - (3+sqrt5)/2 y^2)(x^2 - (3-sqrt5)/2 y^2): four real lines, N = 8, index -3.
    assert poincare_hopf_index(sg_classify(f)) == expected


def sg_classify(f):
    from singularities import classify

    return classify(f)


def test_signature_refuses_maps_with_other_zeros():
    x, y = sympy.symbols("x y")
    with pytest.raises(InputError, match="only zero"):
        gradient_index([x * (x - 1), y], (x, y))


# ---------------------------------------------------------------------------
# input errors


@pytest.mark.parametrize(
    "f, message",
    [
        ("cos(k/2)", "not periodic with period 2\\*pi in k"),
        ("exp(cos(k))", "not a trigonometric polynomial"),
        ("cos(k**2)", "must be linear"),
        ("k + cos(k)", "not a trigonometric polynomial"),
        ("cos(k + pi/3)", "needs rational coefficients"),
    ],
)
def test_refuses_what_is_not_a_trigonometric_polynomial(f, message):
    with pytest.raises(InputError, match=message):
        torus_critical_points(f)


def test_a_parameter_needs_a_value():
    with pytest.raises(InputError, match="tune"):
        torus_critical_points("-2*t*cos(k)", parameters="t")


def test_periods_are_checked():
    with pytest.raises(InputError, match="one period per variable"):
        torus_critical_points("cos(x) + cos(y)", periods="2*pi")
    with pytest.raises(InputError, match="not positive"):
        torus_critical_points("cos(x)", periods="-1")
    with pytest.raises(InputError, match="not an exact number"):
        torus_critical_points("cos(x)", periods="0.5")


def test_even_powers_of_half_angles_are_periodic():
    # cos(k/2)^2 = (1 + cos k)/2 is 2 pi-periodic although cos(k/2) is not.
    T = torus_polynomial("cos(k/2)**2")
    assert sympy.simplify(T.to_trig(T.polynomial) - (1 + sympy.cos(sympy.Symbol("k"))) / 2) == 0


def test_a_dispersion_that_expands_for_minutes_stops_at_the_time_limit():
    # cos(k)^1000 expands into circle coordinates for about a minute; the limit must stop it (it used to be ignored).
    with pytest.raises(TimeLimitError):
        torus_critical_points("cos(k)**1000", timeout=1)
