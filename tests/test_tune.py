"""tune() against hand derivations: where lattice critical points degenerate, and what they become.

Each expected condition, type and component is derived in a comment from the
gradient and Hessian of the trigonometric polynomial (c = cos k, s = sin k).
"""

import pytest
import sympy

from singularities import InputError
from singularities.physics.tune import tune

pi = sympy.pi


def _table(found, kind="degenerate"):
    """(relation, [(point, label)], sorted component descriptions) for one kind."""
    return [
        (d.relation, [(p.point, p.label) for p in d.points], sorted(c.description for c in d.components))
        for d in found.degenerations
        if d.stratum == kind
    ]


def test_chain_band_bottom_turns_quartic():
    # f = -2t cos k - 2t2 cos 2k, t = 1.  f' = 2 sin k (t + 4 t2 cos k).
    # k = 0: f'' = 2t + 8t2 = 0 at t2 = -t/4; then f = -2t(1 - k^2/2 + k^4/24) - 2t2(1 - 2k^2 + 2k^4/3)
    #   has k^4 coefficient -t/12 - 4t2/3 = -1/12 + 1/3 = 1/4 > 0: A3+ (DOS |E - E0|^(-3/4)).
    # k = pi: f'' = -2(t - 4t2) = 0 at t2 = t/4; k^4 coefficient t/12 - 4t2/3 = -1/4 < 0: A3-.
    # Other points (cos k = -t/(4 t2)): f'' = -8 t2 sin^2 k != 0, never degenerate.
    # Inversion symmetry kills the cubic at 0 and pi, so the A3 stratum is the same.
    found = tune("-2*t*cos(k) - 2*t2*cos(2*k)", "t=1,t2")
    assert _table(found) == [("t2 = -1/4", [((0,), "A3+")], []), ("t2 = 1/4", [((pi,), "A3-")], [])]
    assert _table(found, "A3") == _table(found)
    bottom = found.degenerations[0].points[0]
    assert bottom.index == 1 and bottom.dos.exponent == sympy.Rational(-3, 4)
    assert found.degenerations[0].morse_check is True
    assert found.conditions() == ("t2 = -1/4", "t2 = 1/4")


def test_square_lattice_degenerates_into_lines_not_points():
    # f = -2t(cx + cy) - 4tp cx cy: grad = (2 sx (t + 2tp cy), 2 sy (t + 2tp cx)).
    # Hessian at (pi, 0): diag(-2(t + 2tp), 2(t - 2tp)); at (0,0): 2(t + 2tp) I; at (pi,pi): -2(t - 2tp) I.
    # The off-symmetric saddles (cx = cy = -t/(2tp)) have f_xx = f_yy = 0, f_xy = -4 tp sx sy != 0:
    # never degenerate.  So the conditions are tp = +-t/2.  At tp = t/2, t + 2tp cx = t(1 + cx) and
    # grad = (2t sx (1 + cy), 2t sy (1 + cx)) vanishes on the whole lines kx = pi and ky = pi
    # (f = 2t there): the degenerate points (pi,0), (0,pi), (pi,pi) lie on a cross of critical lines,
    # not isolated higher-order points.  At tp = -t/2 likewise the lines kx = 0, ky = 0 (f = -2t).
    found = tune("-2*t*(cos(kx) + cos(ky)) - 4*tp*cos(kx)*cos(ky)", "t,tp")
    assert _table(found) == [("tp = -t/2", [], ["kx = 0", "ky = 0"]), ("tp = t/2", [], ["kx = pi", "ky = pi"])]
    top = [d for d in found.degenerations if d.relation == "tp = t/2"][0]
    assert dict(top.values) == {sympy.Symbol("t"): 1, sympy.Symbol("tp"): sympy.Rational(1, 2)}
    for line in top.components:
        # f = 2t - t u^2 (1 + cos ky) near kx = pi + u: a line of maxima, a 1D band edge in DOS.
        assert line.value == 2 and line.dos_exponent == sympy.Rational(-1, 2) and "below" in line.dos_note
    assert top.morse_check is None


def test_square_lattice_with_t_fixed_gives_values():
    found = tune("-2*t*(cos(kx) + cos(ky)) - 4*tp*cos(kx)*cos(ky)", "t=1,tp")
    assert found.conditions() == ("tp = -1/2", "tp = 1/2")


@pytest.mark.slow  # 10+ s; the default run keeps the cheaper cases of this file
def test_triangular_m_point_turns_a3():
    # f = -2t(c1 + c2 + c12) - 2t2 (cos(k1 + k2) + cos(2k1 - k2) + cos(2k2 - k1)), t = 1, at M = (pi, 0)
    # (critical for all t2: every sine vanishes).  Hessian [[-4t + 4t2, 2t - 2t2], [2t - 2t2, -8t2]],
    # det = 4 (t - t2)(9 t2 - t): degenerate at t2 = 1/9 and t2 = 1.  At t2 = 1/9 the Hessian is
    # (8/9)[[-4, 2], [2, -1]], kernel v = (1, 2), the other eigenvalue negative.  M is a TRIM, so g is even
    # and h(z) = g4(z v) + O(z^6): along k = M + s(1, 2), f = 4 cos s - 2 cos 2s - 2/9 + (4/9) cos 3s, whose
    # s^4 coefficient is (4 - 32 + 36)/24 = 1/3 > 0: A3+ with one negative square, index (+1)(-1) = -1.
    found = tune(
        "-2*t*(cos(k1) + cos(k2) + cos(k1 - k2)) - 2*t2*(cos(k1 + k2) + cos(2*k1 - k2) + cos(2*k2 - k1))",
        "t=1,t2",
        point="pi,0",
        torus=False,
    )
    assert [(r, pts) for r, pts, _ in _table(found)] == [
        ("t2 = 1/9", [((pi, 0), "A3+")]),
        ("t2 = 1", [((pi, 0), "A3-")]),
    ]
    assert found.degenerations[0].points[0].index == -1
    assert found.conditions("corank 2") == ()


@pytest.mark.slow
def test_triangular_k_point_needs_one_condition_for_a_monkey_saddle():
    # At K the Hessian is (6 t2 - t)[[2,-1],[-1,2]] (C3 symmetry makes it isotropic; see test_torus),
    # so the single condition t2 = t/6 makes it vanish entirely: corank 2, and the nearest-neighbour cubic
    # -(sqrt(3) t/2) x1 x2 (x1 - x2) has three real lines: D4-, DOS |E - 2|^(-1/3) on both sides.
    found = tune(
        "-2*t*(cos(k1) + cos(k2) + cos(k1 - k2)) - 2*t2*(cos(k1 + k2) + cos(2*k1 - k2) + cos(2*k2 - k1))",
        "t=1,t2",
        point="2*pi/3,4*pi/3",
        torus=False,
    )
    assert [(r, pts) for r, pts, _ in _table(found)] == [("t2 = 1/6", [((2 * pi / 3, 4 * pi / 3), "D4-")])]
    assert found.conditions("corank 2") == ("t2 = 1/6",)
    (point,) = found.degenerations[0].points
    assert point.index == -2 and point.dos.exponent == sympy.Rational(-1, 3) and point.dos.ratio == 1


@pytest.mark.slow
def test_triangular_lattice_whole_torus():
    # The whole torus adds Gamma: Hessian (2t + 6 t2)[[2,-1],[-1,2]] vanishes at t2 = -t/3 (corank 2; the
    # quartic there is isotropic, (3/16) t |x|^4, a repeated factor: beyond X9, reported as not simple),
    # besides K (t2 = 1/6, D4-) and M (t2 = 1/9, 1: A3).  At t2 = 1 six Morse saddles at cos k = 1/3, -7/9
    # appear as well, and the Morse sum there is still 0.
    found = tune(
        "-2*t*(cos(k1) + cos(k2) + cos(k1 - k2)) - 2*t2*(cos(k1 + k2) + cos(2*k1 - k2) + cos(2*k2 - k1))", "t=1,t2"
    )
    assert found.conditions() == ("t2 = -1/3", "t2 = 1/9", "t2 = 1/6", "t2 = 1")
    assert found.conditions("corank 2") == ("t2 = -1/3", "t2 = 1/6")
    labels = {d.relation: sorted({p.label for p in d.points}) for d in found.degenerations if d.stratum == "degenerate"}
    assert labels == {"t2 = -1/3": ["not classified"], "t2 = 1/9": ["A3+"], "t2 = 1/6": ["D4-"], "t2 = 1": ["A3-"]}
    assert all(d.morse_check for d in found.degenerations if d.relation != "t2 = -1/3")


@pytest.mark.slow
def test_chain_with_third_neighbours_reaches_a5():
    # f = -2 cos k - 2 t2 cos 2k - 2 t3 cos 3k.  f' = 2 sin k P(c), P(c) = 1 + 4 t2 c + 3 t3 (4c^2 - 1)
    # (sin 3k = sin k (4c^2 - 1)).  At 0: f''(0) = 2(1 + 4t2 + 9t3) -> t3 = -(1 + 4t2)/9; at pi:
    # f''(pi) = -2 + 8t2 - 18t3 -> t3 = (4t2 - 1)/9.  Off the symmetric points, f'' = -2 s^2 P'(c): a double
    # root of P, discriminant 16 (t2^2 + 9 t3^2 - 3 t3) = 0: a fold A2 (index 0), at t2 = 1/2, t3 = 1/6 at
    # c = -t2/(6 t3) = -1/2.  The quartic coefficient at 0 is -(1 + 16 t2 + 81 t3)/12: with f''(0) = 0 it
    # vanishes at t2 = -2/5, t3 = 1/15: A5 (further condition).  At pi the same at t2 = 2/5, t3 = 1/15.
    found = tune("-2*t*cos(k) - 2*t2*cos(2*k) - 2*t3*cos(3*k)", "t=1,t2,t3")
    assert found.conditions() == ("t2**2 + 9*t3**2 - 3*t3 = 0", "t3 = -4*t2/9 - 1/9", "t3 = 4*t2/9 - 1/9")
    a3 = _table(found, "A3")
    assert ("t2 = -2/5, t3 = 1/15", [((0,), "A5+")], []) in a3
    assert ("t2 = 2/5, t3 = 1/15", [((pi,), "A5-")], []) in a3
    fold = found.degenerations[0]
    assert [(p.point, p.label, p.index) for p in fold.points] == [((2 * pi / 3,), "A2", 0), ((4 * pi / 3,), "A2", 0)]


def test_degenerate_for_every_value():
    # f = -2t cos kx on the 2-torus never depends on ky: every critical point lies on a line kx = 0 or pi,
    # for every t; the elimination ideal is zero.
    found = tune("-2*t*cos(kx)", "t", variables="kx,ky")
    (first, *_) = found.degenerations
    assert first.relation == "every parameter value" and first.condition == ()
    assert sorted(c.description for c in first.components) == ["kx = 0", "kx = pi"]


def test_errors():
    with pytest.raises(InputError, match="no parameter is left free"):
        tune("-2*t*cos(k)", "t=1")
    with pytest.raises(InputError, match="not critical for every parameter value"):
        tune("-2*t*cos(k) - 2*t2*cos(2*k)", "t=1,t2", point="pi/2")


def test_json():
    data = tune("-2*t*cos(k) - 2*t2*cos(2*k)", "t=1,t2").to_dict()
    assert data["kind"] == "tune" and data["parameters"] == ["t2"]
    first = data["degenerations"][0]
    assert (
        first["relation"] == "t2 = -1/4" and first["values"] == {"t2": "-1/4"} and first["points"][0]["label"] == "A3+"
    )


def test_inner_strata_by_factors_agree_with_the_full_elimination(monkeypatch):
    # With one parameter the corank-2 and A3 strata lie inside the degenerate stratum's finite set (their ideals
    # contain its ideal), so they are found by testing the factors of its eliminant.  The full elimination of each
    # system must give the same tuning.  Square lattice, t = 1: degenerate at tp = +-1/2 (see above), where the
    # whole Hessian at the symmetric points vanishes (corank 2) and the lines make every stratum appear.
    import singularities.physics.tune as module

    f = "-2*t*(cos(kx) + cos(ky)) - 4*tp*cos(kx)*cos(ky)"
    by_factors = tune(f, "t=1,tp")
    assert by_factors.conditions("corank 2") == by_factors.conditions("A3") == ("tp = -1/2", "tp = 1/2")
    monkeypatch.setattr(
        module,
        "_elimination_inside",
        lambda eqs, unknowns, params, outer, deadline: module._elimination_ideal(eqs, unknowns, params, deadline),
    )
    assert tune(f, "t=1,tp").to_dict() == by_factors.to_dict()


@pytest.mark.slow
def test_triangular_lattice_with_third_neighbours():
    # f = -2(c1 + c2 + c12) - 2 t3 (cos 2k1 + cos 2k2 + cos(2k1 - 2k2)), t = 1.  -2 cos(a + x) has quadratic part
    # cos(a) x^2 and -2 t3 cos(2a + 2x) has 4 t3 cos(2a) x^2.  With Q1 = x1^2 + x2^2 + (x1 - x2)^2:
    # Gamma: (1 + 4 t3) Q1, zero at t3 = -1/4 (corank 2).  K = (2pi/3, 4pi/3): cos a = cos 2a = -1/2 for all three
    # waves, -(1/2 + 2 t3) Q1, zero at t3 = -1/4 as well (corank 2; K' is its mirror image).  M = (pi, 0):
    # Q = (8 t3 - 2) x1^2 + (2 - 8 t3) x1 x2 + 8 t3 x2^2, det(Q) = 48 t3^2 - 8 t3 - 1 = (12 t3 + 1)(4 t3 - 1): corank 1
    # at t3 = -1/12 and 1/4 (Q never vanishes entirely there: 8 t3 - 2 = 8 t3 = 0 is impossible).  The points at
    # M are TRIMs, so their cubic term vanishes: A3 or worse.  The cubic at K: -(1/3) sin(a) x^3 per nearest-neighbour
    # wave gives -(sqrt3/2) x1 x2 (x1 - x2), -(8/3) t3 sin(2a) x^3 per third-neighbour wave
    # gives 4 sqrt3 t3 x1 x2 (x1 - x2);
    # at t3 = -1/4 the sum -(3 sqrt3/2) x1 x2 (x1 - x2) has three distinct real lines: D4-.  The M points (and their
    # images (0, pi), (pi, pi) under the lattice's rotations) are degenerate at -1/12 and 1/4.  Off the symmetric
    # points a further fold value may
    # appear; at every value without critical lines the Poincare-Hopf sum must be 0.
    found = tune("-2*t*(cos(k1) + cos(k2) + cos(k1 - k2)) - 2*t3*(cos(2*k1) + cos(2*k2) + cos(2*k1 - 2*k2))", "t=1,t3")
    assert {"t3 = -1/4", "t3 = -1/12", "t3 = 1/4"} <= set(found.conditions())
    assert found.conditions("corank 2") == ("t3 = -1/4",)
    assert {"t3 = -1/12", "t3 = 1/4"} <= set(found.conditions("A3"))
    points = {
        d.relation: {p.point: p.label for p in d.points} for d in found.degenerations if d.stratum == "degenerate"
    }
    assert points["t3 = -1/4"][(2 * pi / 3, 4 * pi / 3)] == points["t3 = -1/4"][(4 * pi / 3, 2 * pi / 3)] == "D4-"
    assert {(0, pi), (pi, 0), (pi, pi)} <= set(points["t3 = -1/12"]) & set(points["t3 = 1/4"])
    assert all(d.morse_check for d in found.degenerations if d.relation != "t3 = -1/4" and not d.components)


# ---------------------------------------------------------------------------
# square lattice with t' and t'': the elimination by factor branches
#
# f = -2(cx + cy) - 4 tp cx cy - 2 tpp (cos 2kx + cos 2ky), t = 1.  With cos 2k = 2c^2 - 1,
# df/dkx = 2 sx Px, Px = 1 + 2 tp cy + 4 tpp cx, and df/dky = 2 sy Py, Py = 1 + 2 tp cx + 4 tpp cy.
# The critical set splits into four branches: (sx = 0 or Px = 0) and (sy = 0 or Py = 0).
#  * sx = sy = 0, the four TRIMs.  f is even in kx and in ky separately about each of them, so the Hessian is
#    diagonal: d2f/dkx2 = 2 cx Px, d2f/dky2 = 2 cy Py (at s = 0).
#      Gamma (0, 0):   2(1 + 2tp + 4tpp) I = 2 L_G I    -> corank 2 on L_G: 2tp + 4tpp + 1 = 0
#      M (pi, pi):    -2(1 - 2tp - 4tpp) I = 2 L_M I    -> corank 2 on L_M: 2tp + 4tpp - 1 = 0
#      X (pi, 0):   diag(-2(1 + 2tp - 4tpp), 2(1 - 2tp + 4tpp)) = diag(-2 L_X1, -2 L_X2) -> corank 1 on
#                                                          L_X1: 2tp - 4tpp + 1 = 0
#                                                          (kernel kx) and on L_X2: 2tp - 4tpp - 1 = 0 (kernel ky);
#      X' (0, pi) the same with kx and ky exchanged.  Never both at X: L_X1 - L_X2 = 2.
#  * Px = Py = 0 with s != 0: Px - Py = 2(2tpp - tp)(cx - cy), so cx = cy = c = -1/(2tp + 4tpp), where the
#    Hessian is -4 s^2 [[4tpp, 2tp], [2tp, 4tpp]] (Px = Py = 0), det = 16 s^4 (4tpp^2 - tp^2)... zero only at
#    s = 0 (a TRIM again) or tp = -2tpp (then Px = 0 = Py has no solution: their sum is 2); or tp = 2tpp, where
#    Px = Py = 1 + 4tpp (cx + cy) and the whole curve cx + cy = -1/(4 tpp) is critical: L_line: tp - 2tpp = 0
#    (real for |tpp| >= 1/8).
#  * sx = 0, Py = 0 (and the mirror): Hessian diag(2 cx Px, -8 tpp sy^2): degenerate only where Px = 0 too
#    (then cx = cy, a TRIM or the curve above) or sy = 0 (a TRIM).
# So the degenerate stratum is the five lines L_G, L_M, L_X1, L_X2, L_line.  Corank 2: the TRIMs on L_G, L_M
# (at X the two lines never meet; on the branches above the Hessian keeps an entry 4 tpp s^2 or 2tp s^2 != 0
# away from the TRIMs).  A3: at a TRIM every cubic term vanishes (f is even), so L_G, L_M, L_X1, L_X2 are A3
# or worse; along a curve of critical points f is constant, so the kernel (the tangent) has vanishing cubic too.
# The quartic along the kernel at X on L_X1: f(pi + u, 0) = 2(1 + 2tp) cos u - 2tpp cos 2u + const has u^4
# coefficient (1 + 2tp - 16 tpp)/12 = -tpp (with 1 + 2tp = 4 tpp): A3 except at tpp = 0, tp = -1/2, where the
# lines kx = 0, ky = 0 become critical (test_square_lattice_degenerates_into_lines_not_points): no A5 at X.
# The quartic at Gamma on L_G: -tpp (u^4 + v^4) - tp u^2 v^2 (X9, modulus tp/tpp; degenerate where tp = +-2tpp).

SQUARE_2 = "-2*t*(cos(kx) + cos(ky)) - 4*tp*cos(kx)*cos(ky) - 2*tpp*(cos(2*kx) + cos(2*ky))"
TP, TPP = sympy.symbols("tp tpp")
LINES = {
    "L_G": 2 * TP + 4 * TPP + 1,
    "L_M": 2 * TP + 4 * TPP - 1,
    "L_X1": 2 * TP - 4 * TPP + 1,
    "L_X2": 2 * TP - 4 * TPP - 1,
    "L_line": TP - 2 * TPP,
}


def _square_2_system(kind):
    from singularities.energy import as_energy
    from singularities.physics import tune as module
    from singularities.physics.trig import torus_polynomial

    energy = as_energy(SQUARE_2, parameters="t=1,tp,tpp")
    polynomial = torus_polynomial(energy)
    equations = dict(module._systems(polynomial, None))[kind]
    return equations, polynomial.unknowns, energy.free_parameters


def _in_ideal(g, basis, variables):
    """g reduces to 0 modulo the reduced Groebner basis (division on FLINT, independent of tune's code)."""
    import flint

    from singularities.algebra.backend import flint_context

    ring = flint_context(len(variables), "grevlex", kind="fmpz")

    def integer(p):
        _, poly = sympy.Poly(p, *variables).clear_denoms(convert=True)
        return ring.from_dict({m: int(c) for m, c in poly.as_dict().items()})

    vector = flint.fmpz_mpoly_vec([integer(b) for b in basis.exprs], ring)
    return integer(g).reduction_primitive_part(vector).is_zero()


def test_square_t_prime_t_double_prime_hessians_by_taylor_expansion():
    # The derivation above, checked by differentiating f itself at the TRIMs (not the (c, s) system tune uses).
    kx, ky = sympy.symbols("kx ky")
    f = sympy.sympify(SQUARE_2).subs(sympy.Symbol("t"), 1)

    def hessian(point):
        at = dict(zip((kx, ky), point))
        return [sympy.expand(sympy.diff(f, a, b).subs(at)) for a, b in ((kx, kx), (kx, ky), (ky, ky))]

    assert hessian((0, 0)) == [2 * LINES["L_G"], 0, 2 * LINES["L_G"]]
    assert hessian((pi, pi)) == [2 * LINES["L_M"], 0, 2 * LINES["L_M"]]
    assert hessian((pi, 0)) == [-2 * LINES["L_X1"], 0, -2 * LINES["L_X2"]]
    # the quartic along kx at X, on L_X1 (tp = 2 tpp - 1/2): -tpp
    on_x1 = {TP: 2 * TPP - sympy.Rational(1, 2)}
    assert sympy.expand(sympy.diff(f, kx, 4).subs({kx: pi, ky: 0}).subs(on_x1) / 24) == -TPP
    # on L_line every point of cos kx + cos ky = -1/(4 tpp) is critical
    c = sympy.Symbol("c")
    curve = {kx: sympy.acos(c), ky: sympy.acos(-1 / (4 * TPP) - c), TP: 2 * TPP}
    assert all(sympy.simplify(sympy.diff(f, v).subs(curve)) == 0 for v in (kx, ky))


def test_square_t_prime_t_double_prime_elimination_by_branches():
    # The factor branches of the degeneration system give exactly the five lines derived above; corank 2 the
    # two through Gamma and M.  Completeness, independently: (L_G L_M)^2 lies in the corank-2 ideal, so every
    # (complex) corank-2 point has parameters on L_G or L_M; and at parameter values off the five lines the
    # degeneration system has no solution at all (the Groebner basis with the values substituted is {1}).
    from singularities._limits import Deadline
    from singularities.algebra.polys import groebner_basis, is_unit
    from singularities.physics import tune as module

    equations, unknowns, parameters = _square_2_system("degenerate")
    union = module._branch_elimination(equations, unknowns, parameters, Deadline(120))
    pieces = {tuple(module._primitive(g, parameters) for g in piece.exprs) for piece in union.pieces}
    assert pieces == {(module._primitive(line, parameters),) for line in LINES.values()}
    assert "union of exact eliminations" in union.note
    for values in ({TP: sympy.Rational(1, 3), TPP: sympy.Rational(1, 5)}, {TP: -2, TPP: sympy.Rational(1, 7)}):
        fixed = [sympy.expand(e.xreplace(values)) for e in equations]
        assert is_unit(groebner_basis(fixed, unknowns))

    corank2, unknowns, parameters = _square_2_system("corank 2")  # fresh dummies: use this system's own
    conditions = module._conditions(corank2, unknowns, parameters, Deadline(120))
    assert [relation for relation, *_ in conditions] == ["tpp = -tp/2 - 1/4", "tpp = 1/4 - tp/2"]
    variables = tuple(unknowns) + tuple(parameters)
    basis = groebner_basis(corank2, variables)
    assert _in_ideal(sympy.expand((LINES["L_G"] * LINES["L_M"]) ** 2), basis, variables)


@pytest.mark.slow
def test_square_lattice_with_t_prime_and_t_double_prime_whole_torus():
    # The five lines (derivation above), analysed at tp = 1 (SLICE_VALUES first):
    #   L_G, tpp = -3/4: Gamma corank 2, quartic (3/4)(u^4 + v^4) - u^2 v^2, positive definite (as a quadratic in
    #     u^2, v^2 its discriminant 1 - 9/4 < 0): X9 with no real lines, a minimum: X9(0+), index +1.
    #   L_M, tpp = -1/4: M corank 2, quartic (1/4)(u^4 + v^4) - u^2 v^2 = 0 at u^2/v^2 = 2 +- sqrt 3 (both > 0):
    #     four real lines, eight sectors of alternating sign: X9(4), index 1 - 8/2 = -3.
    #   L_X2, tpp = 1/4: X kernel ky, f = f(X) - 2 u^2 - (1/4) v^4: a maximum, A3-, index +1 (X' the same).
    #   L_X1, tpp = 3/4: X kernel kx, f = f(X) + 2 v^2 - (3/4) u^4: A3-, index -1 (X' the same).
    #   L_line, tpp = 1/2: the critical curve cos kx + cos ky = -1/2 and no degenerate isolated point.
    # Completeness: (L_G L_M L_X1 L_X2 L_line)^4 lies in the ideal of the degeneration system, so no complex
    # degenerate point has parameters off the five lines (and the A3 ideal contains that ideal).
    from singularities.algebra.polys import groebner_basis

    found = tune(SQUARE_2, "t=1,tp,tpp")
    lines = ("tpp = -tp/2 - 1/4", "tpp = 1/4 - tp/2", "tpp = tp/2 - 1/4", "tpp = tp/2", "tpp = tp/2 + 1/4")
    assert found.conditions() == found.conditions("A3") == lines
    assert found.conditions("corank 2") == lines[:2]
    table = {r: (pts, comps) for r, pts, comps in _table(found)}
    assert table["tpp = -tp/2 - 1/4"] == ([((0, 0), "X9(0+)")], [])
    assert table["tpp = 1/4 - tp/2"] == ([((pi, pi), "X9(4)")], [])
    assert table["tpp = tp/2 - 1/4"] == ([((0, pi), "A3-"), ((pi, 0), "A3-")], [])
    assert table["tpp = tp/2 + 1/4"] == ([((0, pi), "A3-"), ((pi, 0), "A3-")], [])
    assert table["tpp = tp/2"][0] == [] and len(table["tpp = tp/2"][1]) == 1
    index = {(d.relation, p.point): p.index for d in found.degenerations for p in d.points}
    assert index[("tpp = -tp/2 - 1/4", (0, 0))] == 1 and index[("tpp = 1/4 - tp/2", (pi, pi))] == -3
    assert index[("tpp = tp/2 - 1/4", (pi, 0))] == 1 and index[("tpp = tp/2 + 1/4", (pi, 0))] == -1
    assert all("union of exact eliminations" in d.note for d in found.degenerations)
    assert all(d.morse_check for d in found.degenerations if not d.components)

    equations, unknowns, parameters = _square_2_system("degenerate")
    variables = tuple(unknowns) + tuple(parameters)
    product = sympy.expand(sympy.Mul(*LINES.values()) ** 4)
    assert _in_ideal(product, groebner_basis(equations, variables), variables)
