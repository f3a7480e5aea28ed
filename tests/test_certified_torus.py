"""The certified path for float amplitudes on the torus (singularities.physics.certified_torus)."""

import json
import math

import pytest
import sympy
from flint import arb

from singularities.cli import main
from singularities.errors import InputError, TimeLimitError
from singularities.physics.certified_torus import (
    CertifiedTorusPoints,
    certified_critical_points,
    has_float_coefficients,
)
from singularities.physics.torus import torus_critical_points

PI = arb.pi()


def _balls(point):
    return [arb(c) for c in point.point]


def _at(result, *exact):
    """The point of ``result`` whose enclosure contains the exact point ``exact`` (numbers as arb balls)."""
    hits = [p for p in result.points if all(b.overlaps(e) for b, e in zip(_balls(p), exact))]
    assert len(hits) == 1, (exact, [p.point for p in result.points])
    return hits[0]


def test_float_square_lattice_matches_exact_path():
    # -2cos x - 2cos y: grad = (2 sin x, 2 sin y) vanishes at sin x = sin y = 0: Gamma (min, E = -4),
    # X, X' (saddles, E = 0), M (max, E = 4); Hessian diag(2cos x, 2cos y).
    r = certified_critical_points("-2.0*cos(kx) - 2.0*cos(ky)")
    exact = torus_critical_points("-2*cos(kx) - 2*cos(ky)")
    assert r.complete and len(r.points) == len(exact.points) == 4
    for q in exact.points:
        point = [PI if c == sympy.pi else arb(0) for c in q.point]
        p = _at(r, *point)
        assert p.status == "Morse" and p.index == q.index
        assert arb(p.value).contains(arb(int(q.value)))
    assert r.morse_sum == 0


def test_next_nearest_hopping_point_three():
    # f = -2cos x - 2cos y + 4t' cos x cos y, t' = 0.3 (the double nearest 3/10).
    # f_x = sin x (2 - 4t' cos y), f_y = sin y (2 - 4t' cos x); for |t'| < 1/2, |1/(2t')| > 1, so the
    # second factors never vanish and the critical points are sin x = sin y = 0 only:
    # Gamma: E = -4 + 4t' = -2.8, Hessian (2 - 4t') I > 0: min.
    # X = (pi, 0): E = 2 - 2 - 4t' = -1.2, Hessian diag(2cos x - 4t' cos x cos y, 2cos y - 4t' cos x cos y)
    #   = diag(-2 + 4t', 2 + 4t') = diag(-0.8, 3.2): saddle (X' the same with the axes swapped).
    # M: E = 4 + 4t' = 5.2, Hessian -(2 + 4t') I: max.  Indices 1 - 1 - 1 + 1 = 0.
    r = certified_critical_points("-2*cos(x) - 2*cos(y) + 4*0.3*cos(x)*cos(y)")
    t = arb(0.3)  # the float itself, not 3/10
    assert r.complete and len(r.points) == 4 and r.morse_sum == 0
    cases = [
        ((0, 0), -4 + 4 * t, "A1 min"),
        ((PI, 0), -4 * t, "A1 saddle"),
        ((0, PI), -4 * t, "A1 saddle"),
        ((PI, PI), 4 + 4 * t, "A1 max"),
    ]
    for point, value, label in cases:
        p = _at(r, *[arb(c) for c in point])
        assert p.label == label and arb(p.value).overlaps(value)
    # the value is the float's, not 3/10's: E(Gamma) = -4 + 4*0.3 differs from -14/5 in the 17th digit
    assert not arb(_at(r, arb(0), arb(0)).value).contains(arb(-14) / 5)


def test_dos_prefactors_as_intervals():
    # Gamma of the square lattice: Hessian 2I, step 1/(2 pi sqrt(det H)) = 1/(4 pi) (torus normalisation
    # d^2k/(2pi)^2); saddle: 2/((2pi)^2 sqrt|det H|) = 1/(4 pi^2) times ln(1/|E - c|).
    r = certified_critical_points("-2.0*cos(x) - 2.0*cos(y)")
    step = _at(r, arb(0), arb(0)).dos
    assert step.startswith("step of") and arb(step.split("of ")[1].split(" for")[0]).contains(1 / (4 * PI))
    log = _at(r, PI, arb(0)).dos
    assert arb(log.split(" ln")[0]).contains(1 / (4 * PI**2))


def test_cubic_lattice_has_eight_morse_points():
    # -2(cos x + cos y + cos z): the 8 points with each coordinate 0 or pi, Morse index = number of pi's;
    # indices 1 - 3 + 3 - 1 = 0.  sqrt coefficient at the bottom: 4 sqrt2 pi/((2pi)^3 sqrt 8) = 1/(4 pi^2).
    r = certified_critical_points("-2.0*cos(x) - 2.0*cos(y) - 2.0*cos(z)")
    assert r.complete and len(r.points) == 8 and r.morse_sum == 0
    for corner in [(a, b, c) for a in (0, 1) for b in (0, 1) for c in (0, 1)]:
        p = _at(r, *[PI if c else arb(0) for c in corner])
        assert p.index == (-1) ** sum(corner)
        assert arb(p.value).contains(arb(-6 + 4 * sum(corner)))
    bottom = _at(r, arb(0), arb(0), arb(0)).dos
    assert arb(bottom.split("K = ")[1]).contains(1 / (4 * PI**2))


def test_near_quartic_point_is_reported_with_its_distance():
    # g(x) = -cos x + b cos 2x, b = 1/4 - 1e-12: g'(x) = sin x (1 - 4b cos x), and 1/(4b) > 1, so only
    # sin x = 0; g''(0) = 1 - 4b = 4e-12 (nearly degenerate); at b = 1/4, g = -3/4 + x^4/8 + ...: A3.
    # With -2cos y added: (0, 0) and (0, pi) are near the A3 points, (pi, *) are Morse (g''(pi) = -1 - 4b).
    r = certified_critical_points("-cos(x) + (0.25 - 1e-12)*cos(2*x) - 2.0*cos(y)")
    assert not r.complete and r.morse_sum is None and r.morse_note.startswith("not checked")
    near = [p for p in r.points if p.status == "near higher-order"]
    assert len(near) == 2
    for p in near:
        # the Hessian's small eigenvalue is 4e-12 at the point: delta = 2 |H v| is about 8e-12
        assert arb(p.delta) < 1e-10 and arb(p.epsilon) < 1e-10
        assert abs(float(arb(p.point[0]).mid())) < 1e-4
    assert sorted(p.label for p in r.points if p.status == "Morse") == ["A1 max", "A1 saddle"]


@pytest.mark.slow
def test_t_prime_just_below_one_half():
    # At t' = 1/2: f = -2cos x - 2cos y + 2cos x cos y is -2 on both lines cos y = 1 and cos x = 1, so
    # Gamma, X, X' lie on a cross of non-isolated critical points (the degenerate model), M is a Morse max
    # (E = 6).  At t' = 1/2 - 1e-12 the Hessian at X is diag(-4e-12, 4 - 4e-12): near that model.
    r = certified_critical_points("-2*cos(x) - 2*cos(y) + 4*(0.5 - 1e-12)*cos(x)*cos(y)")
    near = [p for p in r.points if p.status == "near higher-order"]
    assert len(near) == 1 and arb(near[0].delta) < 1e-8
    assert [p.label for p in r.points if p.status == "Morse"] == ["A1 max"]


def test_timeout_is_honoured():
    with pytest.raises(TimeLimitError):
        certified_critical_points("-2.0*cos(x) - 2.0*cos(y) - 2.0*cos(z) + 0.1*cos(x+y+z)", timeout=1e-6)


@pytest.mark.parametrize(
    "f",
    ["-2.0*cos(x) - nan*cos(y)", "-2.0*cos(x) - 1e400*cos(y)", "-2.0*cos(x) - oo*cos(y)", "-2.0*cos(x/3.0)", "0.5*x"],
)
def test_bad_input(f):
    with pytest.raises(InputError):
        certified_critical_points(f)


def test_float_expression_input_and_round_trip():
    x, y = sympy.symbols("x y")
    r = certified_critical_points(-2.0 * sympy.cos(x) - sympy.Float(0.5) * sympy.cos(y))
    assert r.complete and r.morse_sum == 0 and len(r.points) == 4
    assert CertifiedTorusPoints.from_dict(r.to_dict()) == r
    assert "A1 min" in str(r)
    with pytest.raises(InputError):
        certified_critical_points(-2.0 * sympy.cos(x) + sympy.Float("nan") * sympy.cos(y))


def test_has_float_coefficients():
    assert has_float_coefficients("-2*cos(x) - 0.5*cos(y)")
    assert not has_float_coefficients("-2*cos(x) - 1/2*cos(y)")


def test_dispatch_float_certified_exact_exact():
    # floats take the certified path; the same band with exact amplitudes keeps the exact one
    float_result = torus_critical_points("-2*cos(x) - 2*cos(y) + 4*0.25*cos(x)*cos(y)")
    exact_result = torus_critical_points("-2*cos(x) - 2*cos(y) + cos(x)*cos(y)")
    assert isinstance(float_result, CertifiedTorusPoints)
    assert not isinstance(exact_result, CertifiedTorusPoints)
    # 4*0.25 = 1 exactly in binary, so both describe t' = 1/4: Gamma at E = -4 + 1 = -3 in both
    gamma = _at(float_result, arb(0), arb(0))
    assert arb(gamma.value).contains(arb(-3)) and exact_result.band_minimum == -3


def test_cli_dos_torus_with_floats(capsys):
    code = main(["dos", "--torus", "-2*cos(x) - 2*cos(y) + 4*0.3*cos(x)*cos(y)", "--json"])
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert code == 0 and data["kind"] == "certified_torus_points" and data["morse_sum"] == 0
    code = main(["dos", "--torus", "-2*cos(x) - 1e400*cos(y)"])
    out, err = capsys.readouterr()
    assert code == 2 and len(err.strip().splitlines()) == 1 and "finite" in err


def test_off_symmetry_points_and_periods():
    # g(x) = -1.5 cos x - 0.5 cos 2x (1.5, 0.5 are exact doubles): g' = sin x (1.5 + 2 cos x), zero at
    # sin x = 0 and cos x = -3/4; g(0) = -2, g(pi) = 1, g(x*) = 1.125 - 0.5 (2*9/16 - 1) = 1.0625;
    # g'' = 1.5 cos x + 2 cos 2x = 3.5, 0.5, -0.875: min, min, max (x* twice: x* and 2 pi - x*).
    # Adding -2 cos y (min -2 at y = 0, max 2 at pi): 4 x 2 = 8 points, Morse sum
    # (1 + 1 - 1 - 1) + (-1 - 1 + 1 + 1) = 0.
    r = certified_critical_points("-1.5*cos(x) - 0.5*cos(2*x) - 2*cos(y)")
    assert r.complete and len(r.points) == 8 and r.morse_sum == 0
    star = arb(-0.75).acos()
    cases = [
        ((arb(0), arb(0)), -4, "A1 min"),
        ((PI, arb(0)), -1, "A1 min"),
        ((star, arb(0)), arb(-15) / 16, "A1 saddle"),
        ((2 * PI - star, arb(0)), arb(-15) / 16, "A1 saddle"),
        ((arb(0), PI), 0, "A1 saddle"),
        ((PI, PI), 3, "A1 saddle"),
        ((star, PI), arb(49) / 16, "A1 max"),
    ]
    for point, value, label in cases:
        p = _at(r, *point)
        assert p.label == label and arb(p.value).contains(arb(value))
    # periods 1: cos(2 pi x) has its points at 0 and 1/2; the 1D band bottom -2 cos(2 pi x) has
    # f'' = 8 pi^2, DOS sqrt(2)/(P sqrt f'') |E - c|^(-1/2) = 1/(2 pi) |E - c|^(-1/2) with P = 1
    one = certified_critical_points("-2.0*cos(2*pi*x)", periods="1")
    assert [p.label for p in one.points] == ["A1 min", "A1 max"] and one.morse_sum == 0
    assert arb(one.points[1].point[0]).contains(arb(0.5))
    assert arb(one.points[0].dos.split(" |E")[0]).contains(1 / (2 * PI))


def test_triangular_lattice_zero_diagonal_saddle():
    # f = -2(cos x + cos y + cos(x + y)): Gamma min (E = -6, Hessian [[4, 2], [2, 4]]); three saddles
    # (0, pi), (pi, 0), (pi, pi) at E = 2 -- at (pi, pi) the Hessian is [[0, 2], [2, 0]], whose leading
    # minor is 0, so its index comes from Descartes' rule on det(t + H) = t^2 - 4 (one negative root);
    # K, K' = (2pi/3, 2pi/3), (4pi/3, 4pi/3) maxima at E = 3 (Hessian [[-2, -1], [-1, -2]], det 3, so
    # the step is 1/(2 pi sqrt 3)).  Same points and indices as the exact path.
    r = certified_critical_points("-2.0*(cos(x) + cos(y) + cos(x + y))")
    exact = torus_critical_points("-2*(cos(x) + cos(y) + cos(x + y))")
    assert r.complete and r.morse_sum == 0 and len(r.points) == len(exact.points) == 6
    assert _at(r, PI, PI).label == "A1 saddle"
    k = _at(r, 2 * PI / 3, 2 * PI / 3)
    assert k.label == "A1 max" and arb(k.value).contains(arb(3))
    assert arb(k.dos.split("of ")[1].split(" for")[0]).contains(1 / (2 * PI * arb(3).sqrt()))
    assert sorted(p.index for p in r.points) == sorted(p.index for p in exact.points)


def test_cube_of_cosine_exactly_degenerate_points():
    # f = -2cos x - 2cos^3 y: f_y = 6 cos^2 y sin y vanishes at sin y = 0 (Morse: f_yy = 6cos^3 y = +-6)
    # and doubly at cos y = 0, where f_yy = 6cos^3 y - 12 cos y sin^2 y = 0: f = -+2 + 2(y - pi/2)^3 + ...,
    # an A2 (cusp) point, which no finite box certifies; the 4 of them are "near higher-order" with a
    # small delta, the 4 at y = 0, pi are Morse.  The powers are evaluated on balls containing 0
    # (arb's ** gives nan there): no Hessian entry may be nan.
    r = certified_critical_points("-2.0*cos(x) - 2.0*cos(y)**3")
    morse = [p for p in r.points if p.status == "Morse"]
    near = [p for p in r.points if p.status == "near higher-order"]
    assert len(morse) == 4 and len(near) == 4 and r.morse_sum is None
    assert all(arb(p.point[1]).overlaps(arb(0)) or arb(p.point[1]).overlaps(PI) for p in morse)
    assert all(abs(float(arb(p.point[1]).mid()) % math.pi - math.pi / 2) < 1e-3 for p in near)
    assert all(arb(p.delta) < 1e-10 for p in near)
    assert not any("nan" in h for p in r.points for row in p.hessian for h in row)


TRIANGULAR_T2 = "-2*(cos(x) + cos(y) + cos(x + y)) - 2*{tp}*(cos(x - y) + cos(2*x + y) + cos(x + 2*y))"


def _near(value, tolerance=1e-12):
    """An exact sympy number as a ball of radius ``tolerance`` (the float model differs from it by ~1e-17)."""
    return arb(str(sympy.N(value, 30)), tolerance)


@pytest.mark.parametrize(("decimal", "fraction"), [("0.123", "123/1000"), ("0.3", "3/10")])
def test_triangular_with_t_prime_matches_the_exact_model(decimal, fraction):
    # The independent truth is the exact path at the rational amplitude (docs/lattices.md): at t' = 123/1000
    # it has 12 points, Gamma (min, -6.738), 6 saddles (2.21797...), the 3 M maxima (2.246) and the
    # 2 K maxima (2.262); at 3/10 also 12 (Gamma, K minima, 6 saddles, M maxima).  The double 0.123 differs
    # from 123/1000 by ~1e-18, so every point and value agrees to ~1e-16, well inside the 1e-12 used here;
    # the certified balls are printed to 20 digits.  Every point is Morse: Morse sum 0 (Euler
    # characteristic of the torus).  Before the Krawczyk exclusion and the uniqueness regions the flat
    # ridge between K and M left 40 uncertified clusters at 0.123.
    r = certified_critical_points(TRIANGULAR_T2.format(tp=decimal))
    exact = torus_critical_points(TRIANGULAR_T2.format(tp=fraction))
    assert r.complete and r.morse_sum == 0 and len(r.points) == len(exact.points) == 12
    assert all(p.status == "Morse" for p in r.points)
    for q in exact.points:
        p = _at(r, *[_near(c) for c in q.point])
        assert p.index == q.index and arb(p.value).overlaps(_near(q.value))
        assert all(arb(c).rad() < 1e-15 for c in p.point)  # tight (20 digits printed), not the search boxes


def test_near_lifshitz_point_of_m_is_one_entry_each():
    # At M = (pi, 0) the Hessian determinant is -4(t' - 1)(9t' - 1) (hand computation from f_xx, f_xy,
    # f_yy at M): M is degenerate at t' = 1/9, where the 6 saddles of t' = 0.123 split off M (two each).
    # (t' = 1/8 is not degenerate: there only the K and M maxima have the same energy 9/4.)  The double
    # nearest 0.111111112 is 8.9e-10 above 1/9: det H(M) = -4(t' - 1)(9 t' - 1) ~ 2.8e-8 and
    # trace H(M) = -4 t' - 4, so the small eigenvalue is ~ -6.4e-9 (three zeros within ~1e-4 of M): each M
    # is ONE "near higher-order" entry with delta = 2 |H v| ~ 1.3e-8 (< 1e-6); Gamma and K stay Morse.
    r = certified_critical_points(TRIANGULAR_T2.format(tp="0.111111112"))
    near = [p for p in r.points if p.status == "near higher-order"]
    assert len(near) == 3 and not r.complete and r.morse_sum is None
    for p in near:
        assert arb(p.delta) < 1e-6 and arb(p.epsilon) < 1e-6
        # every M point is within 1e-3 of one of (pi, 0), (0, pi), (pi, pi) up to periods
        c = [float(arb(v).mid()) % (2 * math.pi) for v in p.point]
        assert sorted(round(v / math.pi) % 2 for v in c) in ([0, 1], [1, 1])
        assert all(min(abs(v - k * math.pi) for k in range(3)) < 1e-3 for v in c)
    assert sorted(p.label for p in r.points if p.status == "Morse") == ["A1 max", "A1 max", "A1 min"]


@pytest.mark.slow
def test_near_monkey_saddle_at_k_names_corank_two():
    # At K = (2pi/3, 2pi/3): det H = 3(6t' - 1)^2 and trace H = 24t' - 4, so at t' = 1/6 the Hessian is 0
    # (corank 2: the triangular lattice's higher-order point, D4 by the C3 symmetry).  At the double
    # nearest 0.166666665 (1.7e-9 below 1/6) the Hessian is ~1e-8 in norm: both K points are one
    # "near higher-order" entry each whose label gives the distance |H|_F to corank 2.
    r = certified_critical_points(TRIANGULAR_T2.format(tp="0.166666665"))
    near = [p for p in r.points if p.status == "near higher-order"]
    assert len(near) == 2 and all("corank 2" in p.label for p in near)
    assert all(arb(p.delta) < 1e-6 for p in near)


def test_descartes_inertia_counts_negative_eigenvalues():
    # H = diag(-1, 2, 3): det(t I + H) = (t - 1)(t + 2)(t + 3) = t^3 + 4t^2 + t - 6, one sign change: one
    # positive root t = 1, i.e. one negative eigenvalue -1 (the count once returned 2, the positive ones).
    from singularities.physics.certified_torus import _descartes_inertia

    H = [[arb(-1), arb(0), arb(0)], [arb(0), arb(2), arb(0)], [arb(0), arb(0), arb(3)]]
    assert _descartes_inertia(H) == 1
    # [[0, 2], [2, 0]] (eigenvalues +-2) and -I (two negative) in two variables
    assert _descartes_inertia([[arb(0), arb(2)], [arb(2), arb(0)]]) == 1
    assert _descartes_inertia([[arb(-1), arb(0)], [arb(0), arb(-1)]]) == 2
