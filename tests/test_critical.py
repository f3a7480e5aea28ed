"""critical_points(), critical_point() and hessian_inertia() against hand-derived answers.

Every expected point, value and inertia below is derived in a comment from
grad f = 0 and the Hessian by hand, not copied from a run.
"""

import json
import math
from itertools import product

import mpmath
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from singularities import Energy, InputError, MethodNotApplicableError, NotCriticalError, NumericError, TimeLimitError
from singularities._limits import Deadline
from singularities.algebra import systems
from singularities.algebra.backend import using
from singularities.algebra.realroots import hessian_inertia
from singularities.local.critical import CriticalPoint, CriticalSet, critical_point, critical_points

x, y, z = sympy.symbols("x y z")
X = sympy.Symbol("x")  # the generator sympy prints inside CRootOf


def _summary(found):
    """(point, value, hessian_rank, corank, inertia) per point, in the result's order."""
    return [(p.point, p.value, p.hessian_rank, p.corank, p.inertia) for p in found.points]


# ---------------------------------------------------------------------------
# the worked examples


def test_monkey_saddle_has_one_totally_degenerate_point():
    # f = x^3 - 3xy^2: f_x = 3(x^2 - y^2), f_y = -6xy.  f_y = 0 gives x = 0 or y = 0, and then
    # f_x = 0 forces the other coordinate to 0: only (0, 0), where f = 0.  Every second
    # derivative (6x, -6y, -6x) vanishes there: Hessian 0, rank 0, corank 2, inertia (0, 0).
    found = critical_points("x**3 - 3*x*y**2")
    assert _summary(found) == [((0, 0), 0, 0, 2, (0, 0))]
    assert found.components == ()
    assert found.points[0].certificate == "exact" and not found.points[0].is_morse


def test_double_well_has_two_minima_and_a_saddle():
    # f = (x^2 - 1)^2 + y^2: f_x = 4x(x^2 - 1), f_y = 2y, so x in {-1, 0, 1}, y = 0.
    # f(+-1, 0) = 0, f(0, 0) = 1.  Hessian diag(12x^2 - 4, 2): at x = +-1 diag(8, 2) (minimum),
    # at 0 diag(-4, 2) (saddle, Morse index 1).  Sorted by value, then coordinates.
    found = critical_points("(x**2 - 1)**2 + y**2")
    assert _summary(found) == [
        ((-1, 0), 0, 2, 0, (2, 0)),
        ((1, 0), 0, 2, 0, (2, 0)),
        ((0, 0), 1, 2, 0, (1, 1)),
    ]
    assert [p.morse_index for p in found.points] == [0, 0, 1]
    assert found.morse_counts() == {0: 2, 1: 1}


def test_paraboloid_has_one_minimum():
    # f = x^2 + y^2: gradient (2x, 2y) vanishes only at 0; Hessian 2I is positive definite.
    found = critical_points("x**2 + y**2")
    assert _summary(found) == [((0, 0), 0, 2, 0, (2, 0))]
    assert found.points[0].is_morse and found.points[0].morse_index == 0


def test_x4_minus_y2_has_corank_one():
    # f = x^4 - y^2: gradient (4x^3, -2y) vanishes only at 0.  Hessian diag(12x^2, -2) = diag(0, -2):
    # rank 1, corank 1, one negative eigenvalue.
    found = critical_points("x**4 - y**2")
    assert _summary(found) == [((0, 0), 0, 1, 1, (0, 1))]


def test_mexican_hat_has_a_circle_of_minima_and_a_maximum():
    # f = (x^2 + y^2 - 1)^2: grad f = 4(x^2 + y^2 - 1)(x, y) vanishes on the circle r = 1 (f = 0
    # there) and at the origin (f = 1).  At 0, f = 1 - 2(x^2 + y^2) + ..., Hessian -4I: a maximum,
    # Morse index 2.  The circle is a real curve (dimension 1), regular at any of its points.
    found = critical_points("(x**2 + y**2 - 1)**2")
    assert _summary(found) == [((0, 0), 1, 2, 0, (0, 2))]
    (circle,) = found.components
    assert circle.dimension == 1 and circle.real_dimension == 1 and circle.decomposed
    assert circle.equations == (x**2 + y**2 - 1,)
    assert circle.value == 0
    a, b = circle.sample_point
    assert a**2 + b**2 - 1 == 0  # verified by substitution


def test_cubic_has_irrational_points():
    # f = x^3 - x + y^2: f_x = 3x^2 - 1, f_y = 2y, so x = +-1/sqrt(3) = +-sqrt(3)/3, y = 0.
    # f = x(x^2 - 1) = x(1/3 - 1) = -2x/3: value -2 sqrt(3)/9 at x = sqrt(3)/3 and +2 sqrt(3)/9
    # at -sqrt(3)/3.  Hessian diag(6x, 2): minimum at +sqrt(3)/3, saddle (index 1) at -sqrt(3)/3.
    s = sympy.sqrt(3)
    found = critical_points("x**3 - x + y**2")
    assert _summary(found) == [
        ((s / 3, 0), -2 * s / 9, 2, 0, (2, 0)),
        ((-s / 3, 0), 2 * s / 9, 2, 0, (1, 1)),
    ]
    assert all(p.point[0].is_real for p in found.points)


def test_folium_has_a_saddle_and_a_minimum():
    # f = x^3 + y^3 - 3xy: f_x = 3(x^2 - y) = 0 and f_y = 3(y^2 - x) = 0 give y = x^2 and
    # x^4 = x, so x in {0, 1} over R (x^2 + x + 1 has no real root): points (0, 0) and (1, 1).
    # f(1, 1) = -1, f(0, 0) = 0.  Hessian [[6x, -3], [-3, 6y]]: [[6, -3], [-3, 6]] (det 27 > 0,
    # trace > 0: minimum) and [[0, -3], [-3, 0]] (det -9 < 0: saddle).
    found = critical_points("x**3 + y**3 - 3*x*y")
    assert _summary(found) == [((1, 1), -1, 2, 0, (2, 0)), ((0, 0), 0, 2, 0, (1, 1))]


def test_casus_irreducibilis_points_are_all_found_and_certified():
    # f = x^4/4 - 3x^2/2 + x + y^2: f_x = x^3 - 3x + 1 (discriminant 81 > 0: three real roots
    # r0 < r1 < r2, whose Cardano radicals involve i), f_y = 2y.  Hessian diag(3x^2 - 3, 2):
    # p(x) = x^3 - 3x + 1 has p(-2) = -1, p(-1) = 3, p(0) = 1, p(1) = -1, p(2) = 3, so
    # r0 in (-2, -1), r1 in (0, 1), r2 in (1, 2); 3r^2 - 3 > 0 at r0 and r2 (minima), < 0 at r1 (saddle).
    # With r^3 = 3r - 1: f(r) = (3r^2 - r)/4 - 3r^2/2 + r = 3(r - r^2)/4.
    found = critical_points("x**4/4 - 3*x**2/2 + x + y**2")
    roots = [sympy.CRootOf(X**3 - 3 * X + 1, k) for k in range(3)]
    by_point = {p.point: p for p in found.points}
    assert set(by_point) == {(r, 0) for r in roots}
    for r, inertia in zip(roots, [(2, 0), (1, 1), (2, 0)]):
        p = by_point[(r, 0)]
        assert p.certificate == "exact" and p.inertia == inertia and p.is_morse
        assert sympy.minimal_polynomial(p.value - sympy.Rational(3, 4) * (r - r**2), X) == X
    values = [sympy.N(p.value, 30) for p in found.points]
    assert values == sorted(values)


def test_casus_irreducibilis_with_interval_certificates():
    # The same three points, each proven to be the only critical point in a small box by
    # the Krawczyk test; coordinates are the same exact CRootOf numbers.
    found = critical_points("x**4/4 - 3*x**2/2 + x + y**2", method="interval")
    roots = [sympy.CRootOf(X**3 - 3 * X + 1, k) for k in range(3)]
    assert {p.point for p in found.points} == {(r, 0) for r in roots}
    assert {p.certificate for p in found.points} == {"interval"}
    assert sorted(p.inertia for p in found.points) == [(1, 1), (2, 0), (2, 0)]
    for p in found.points:
        r = p.point[0]
        assert abs(sympy.N(p.value - sympy.Rational(3, 4) * (r - r**2), 40)) < 1e-35


def test_complex_only_critical_points_give_an_empty_set():
    # f = x^3 + 3x + y^2: f_x = 3(x^2 + 1) > 0 on R, so there is no real critical point
    # (the two complex ones, x = +-i, are dropped because they are proven non-real).
    found = critical_points("x**3 + 3*x + y**2")
    assert found.points == () and found.components == ()
    assert "no real critical point" in str(found)


def test_non_critical_point_is_refused():
    # f = x^2 + y at (0, 0): grad f = (2x, 1) = (0, 1) != 0.
    with pytest.raises(NotCriticalError) as info:
        critical_point("x**2 + y", (0, 0))
    assert info.value.gradient == (0, 1)
    assert info.value.point == (0, 0)


def test_nearly_critical_irrational_point_is_refused():
    # f = x^3 - x has f' = 3x^2 - 1, which vanishes at sqrt(3)/3 but not at sqrt(3)/3 + 10^-30.
    with pytest.raises(NotCriticalError):
        critical_point("x**3 - x", ["sqrt(3)/3 + 1/10**30"])
    assert critical_point("x**3 - x", ["sqrt(3)/3"]).inertia == (1, 0)


def test_time_limit():
    f = "x**5*y + 3*y**4*z**2 - 7*x**3*z**3 + 2*x*y*z**4 + z**6 + x**6 + y**6 - 11*x*y**2 + 5*y*z - 13*x"
    with pytest.raises(TimeLimitError) as info:
        critical_points(f, timeout=0.5)
    assert info.value.seconds == 0.5


# ---------------------------------------------------------------------------
# more positive-dimensional sets


def test_sphere_of_minima_and_the_maximum_inside():
    # (x^2 + y^2 + z^2 - 1)^2: as in 2D, a sphere (dimension 2) with f = 0 and the origin with
    # f = 1 and Hessian -4I (Morse index 3).
    found = critical_points("(x**2 + y**2 + z**2 - 1)**2")
    assert _summary(found) == [((0, 0, 0), 1, 3, 0, (0, 3))]
    (sphere,) = found.components
    assert (sphere.dimension, sphere.real_dimension, sphere.value) == (2, 2, 0)


def test_complex_curve_with_a_single_real_point_is_not_called_a_real_curve():
    # (x^2 + y^2)^2: grad = 4(x^2 + y^2)(x, y) vanishes on the complex curve x^2 + y^2 = 0, whose
    # only real point is 0, a singular point of the curve (Jacobian (2x, 2y) = 0 there).  The
    # component keeps its complex dimension 1 but the real dimension is not claimed.
    found = critical_points("(x**2 + y**2)**2")
    assert found.points == ()
    (component,) = found.components
    assert component.dimension == 1 and component.real_dimension is None
    assert component.sample_point == (0, 0) and component.value == 0


def test_hyperbola_of_minima_and_saddle_at_origin():
    # (xy - 1)^2: grad = 2(xy - 1)(y, x); zero on xy = 1 (value 0) and at (0, 0), where
    # f = 1 - 2xy + x^2 y^2 has Hessian [[0, -2], [-2, 0]]: a saddle with value 1.
    found = critical_points("(x*y - 1)**2")
    assert _summary(found) == [((0, 0), 1, 2, 0, (1, 1))]
    assert [c.equations for c in found.components] == [(x * y - 1,)]


def test_crossing_lines_are_separate_components():
    # x^2 (y^2 - 1)^2 + z^2: grad = (2x(y^2 - 1)^2, 4x^2 y (y^2 - 1), 2z) vanishes when z = 0 and
    # (x = 0 or y = +-1): three lines, all with f = 0, no isolated point.
    found = critical_points("x**2*(y**2 - 1)**2 + z**2")
    assert found.points == ()
    assert {c.equations for c in found.components} == {(x, z), (y - 1, z), (y + 1, z)}
    assert all(c.value == 0 and c.real_dimension == 1 for c in found.components)


def test_constant_function_is_critical_everywhere():
    found = critical_points(Energy("3", "x,y"))
    (everything,) = found.components
    assert (everything.dimension, everything.equations, everything.value) == (2, (), 3)
    assert "all of R^2" in str(found)


def test_points_on_a_component_are_not_reported_twice():
    # (x^2 - 1)^2 (y^2 - 1)^2: grad vanishes on the four lines x = +-1, y = +-1 (f = 0) and
    # at (0, 0) (f = 1, Hessian diag(-4, -4): a maximum); the crossings such as (1, 1) lie on
    # the lines and are not isolated points.
    found = critical_points("(x**2 - 1)**2*(y**2 - 1)**2")
    assert _summary(found) == [((0, 0), 1, 2, 0, (0, 2))]
    assert len(found.components) == 4


def test_cylinder_swallows_the_non_radical_piece():
    # z (x^2 + y^2 - 1)^2 with a = x^2 + y^2 - 1: grad = (4xza, 4yza, a^2), and a^2 = 0 forces
    # a = 0, where the rest vanishes too: the critical set is the cylinder a = 0 (f = 0 on it).
    # Splitting also meets pieces such as {z = 0, a^2 = 0} inside it, which must not be reported.
    found = critical_points("z*(x**2 + y**2 - 1)**2")
    assert found.points == ()
    (cylinder,) = found.components
    assert (cylinder.dimension, cylinder.equations, cylinder.value) == (2, (x**2 + y**2 - 1,), 0)


def test_embedded_curve_found_by_the_radical_test():
    # f = b a^2 with b = -x - y - z - 1, a = 2x^2 - xy + xz + y^2 + 2y - 1: grad f = a (a grad b + 2b grad a),
    # so the surface a = 0 is critical; the curve a = b = 0 also solves a grad b + 2 b grad a = 0 but
    # lies in the surface.  Its piece of the splitting is not radical (a is only in its radical), so
    # only the Rabinowitsch test shows it is inside.  Any isolated point must solve grad f = 0 off a = 0.
    f = "(-x - y - z - 1)*(2*x**2 - x*y + x*z + y**2 + 2*y - 1)**2"
    found = critical_points(f)
    (surface,) = found.components
    a = 2 * x**2 - x * y + x * z + y**2 + 2 * y - 1
    assert surface.equations == (a,) and surface.real_dimension == 2
    energy = sympy.sympify(f)
    for p in found.points:
        at = dict(zip((x, y, z), p.point))
        assert all(sympy.diff(energy, v).subs(at) == 0 for v in (x, y, z)) and a.subs(at) != 0


def test_complex_component_without_real_points_is_dropped():
    # (x^2 + 1)^2 y^2: grad = (4x(x^2 + 1) y^2, 2(x^2 + 1)^2 y).  Over C the lines x = +-i are
    # critical, but x^2 + 1 has no real root; over R only the line y = 0 (f = 0) remains.
    found = critical_points("(x**2 + 1)**2*y**2")
    assert found.points == ()
    assert [(c.equations, c.value, c.real_dimension) for c in found.components] == [((y,), 0, 1)]


def test_undecomposed_set_is_reported_whole(monkeypatch):
    # When splitting runs out of its budget, the whole basis is one component: nothing is lost.
    def too_slow(*args):
        raise TimeLimitError("splitting the critical set", 1.0)

    monkeypatch.setattr(systems, "split_ideal", too_slow)
    found = critical_points("(x**2 + y**2 - 1)**2")
    (whole,) = found.components
    assert not whole.decomposed and found.points == ()
    assert whole.sample_point is not None


# ---------------------------------------------------------------------------
# certificates and methods


@pytest.mark.parametrize(
    "f",
    [
        "(x**2 - 1)**2 + y**2",
        "x**3 + y**3 - 3*x*y",
        "x**3 - x + y**2",
        "x**4 + y**4 + z**4 - x*y*z + x**2 - y**2 + z",
        "(x**2 - 1)*(y**2 - 2) + x*y",
    ],
)
def test_exact_and_interval_methods_agree(f):
    exact = critical_points(f, method="exact")
    interval = critical_points(f, method="interval")
    assert {p.point for p in exact.points} == {p.point for p in interval.points}
    inertia = {p.point: p.inertia for p in exact.points}
    for p in interval.points:
        assert p.inertia == inertia[p.point]
        assert p.certificate == "interval"


def test_auto_turns_to_interval_certificates_when_the_exact_budget_runs_out(monkeypatch):
    def too_slow(*args):
        raise TimeLimitError("solving grad f = 0 (lex basis)", 1.0)

    monkeypatch.setattr(systems, "_zero_dimensional_points", too_slow)
    found = critical_points("(x**2 - 1)**2 + y**2")
    assert [p.certificate for p in found.points] == ["interval"] * 3
    assert _summary(found)[2] == ((0, 0), 1, 2, 0, (1, 1))


def test_interval_method_refuses_to_guess_at_a_degenerate_point():
    # At the monkey saddle's only critical point the Hessian is 0: the Krawczyk test cannot
    # prove it and the gradient does not exclude it, so the answer is an error, not a drop.
    with pytest.raises(NumericError, match="neither prove nor exclude"):
        critical_points("x**3 - 3*x*y**2", method="interval")


def test_interval_method_needs_finitely_many_points():
    with pytest.raises(MethodNotApplicableError):
        critical_points("(x**2 + y**2 - 1)**2", method="interval")


def test_unknown_method():
    with pytest.raises(MethodNotApplicableError):
        critical_points("x**2", method="newton")


def test_non_radical_system_is_made_radical():
    # (x^2, y^2) has the single zero (0, 0) with multiplicity 4 and no separating shape basis
    # until the square-free eliminants x and y are added.
    (orbit,) = systems.orbits([x**2, y**2], (x, y), Deadline(None))
    (root,) = orbit.real_roots()
    assert (orbit.number(x, root), orbit.number(y, root)) == (0, 0)


def _orbit_data(found):
    """Each orbit as (monic q, h_i) coefficient lists: the lex basis of I + (u - form) fixes both."""
    return sorted(
        (tuple(o.q.monic().all_coeffs()), tuple(tuple(h.all_coeffs()) for h in o.coordinates.values())) for o in found
    )


@pytest.mark.parametrize(
    "equations",
    [
        [x**2 - 2, y * (y - 1)],
        [x**2, y**2],  # non-radical: the plain forms fail, the radical (x, y) is in shape position
        [3 * x**2 - 3 * y**2, -6 * x * y],  # grad of the monkey saddle: (0, 0) with multiplicity 4
        [x * y - 1, x**2 + y**2 + z**2 - 4, z**3 - x],
        [(x**2 - 2) ** 2 * (x - 1), y**2 - x],
    ],
)
def test_orbits_on_flint_are_those_of_the_lex_bases(equations, monkeypatch):
    # The Krylov test (1, u, ..., u^(D-1) a basis of QQ[x]/I) holds exactly when the reduced lex basis of
    # I + (u - form) is x_i - h_i(u), g(u); that basis is unique, so the FLINT path (multiplication
    # matrices) must return the orbits the sympy backend's lex bases give, form for form.
    with using("sympy"):
        expected = _orbit_data(systems.orbits(equations, (x, y, z)[: _count(equations)], Deadline(None)))

    def no_lex_basis(*args, **kwargs):
        raise AssertionError("the FLINT shape search computed a lex basis")

    monkeypatch.setattr(systems, "lex_basis", no_lex_basis)
    monkeypatch.setattr(systems, "eliminant", no_lex_basis)
    assert _orbit_data(systems.orbits(equations, (x, y, z)[: _count(equations)], Deadline(None))) == expected


def _count(equations):
    return 3 if any(e.has(z) for e in equations) else 2


def test_value_polynomial_is_the_resultant_up_to_a_constant():
    # prod over the roots r of q of (X - a(r)) is both res_u(q(u), X - a(u)) / lc(q)^... and the characteristic
    # polynomial of multiplication by a in QQ[u]/(q): the two paths give it up to a constant factor.
    (orbit,) = systems.orbits([x**3 - x - 1, y - x**2 + 2 * x], (x, y), Deadline(None))
    a = orbit.reduce(x**2 * y - 3 * y + 1)
    flint_polynomial = orbit._value_polynomial(a).monic()
    with using("sympy"):
        sympy_polynomial = orbit._value_polynomial(a).monic()
    assert flint_polynomial.all_coeffs() == sympy_polynomial.all_coeffs() and flint_polynomial.degree() == 3


@pytest.mark.parametrize(
    "f",
    [
        "x**3 - 3*x*y**2",
        "x**4/4 - x**2 + y**3/3 - y",
        "(x**2 - 1)**2*(x**2 - 2) + y**4 - y**2",
        "x**2*y - y**3 + (x**2 + y**2)**3",
    ],
)
def test_the_whole_ideal_on_flint_gives_the_points_of_the_leaves(f, monkeypatch):
    # A zero-dimensional system is solved at once on FLINT (one quotient QQ[x]/I); leaf by leaf after
    # split_ideal (the path when FLINT gives up, and the sympy backend's) the points, values and inertia
    # are the same: each coordinate is a root of an irreducible factor of its eliminant either way.
    whole = _summary(critical_points(f))
    monkeypatch.setattr(systems, "MAX_FLINT_SHAPE_DIMENSION", 0)  # every quotient too large: leaves, lex bases
    assert _summary(critical_points(f)) == whole
    with using("sympy"):
        assert _summary(critical_points(f)) == whole


def test_the_whole_ideal_of_a_degenerate_point_is_made_radical():
    # grad(x^2 y - y^3 + (x^2 + y^2)^3): near 0 the cubic dominates (D4-: three real lines), so 0 is an
    # isolated critical point of multiplicity mu = 4 with Hessian 0: rank 0, inertia (0, 0), value 0.
    # The quotient is not radical, so the whole ideal is solved through its radical.
    found = critical_points("x**2*y - y**3 + (x**2 + y**2)**3")
    origin = [p for p in found.points if p.point == (0, 0)]
    assert [(p.value, p.hessian_rank, p.inertia) for p in origin] == [(0, 0, (0, 0))]


# ---------------------------------------------------------------------------
# input


@pytest.mark.parametrize(
    "f, kwargs, message",
    [
        ("cos(x) + y**2", {}, "need a polynomial"),
        ("sqrt(2)*x**2 + y**2", {}, "rational coefficients"),
        ("t*x**2 + y**2", {"parameters": "t"}, "parameter t has no value"),
    ],
)
def test_input_errors(f, kwargs, message):
    with pytest.raises(InputError, match=message):
        critical_points(f, **kwargs)


def test_parameters_are_substituted():
    # t = -1: f = -x^2 + y^2, a saddle at 0.
    found = critical_points("t*x**2 + y**2", parameters="t=-1")
    assert _summary(found) == [((0, 0), 0, 2, 0, (1, 1))]


def test_variables_fix_the_order():
    # f = (y - 1)^2 + x^2 with variables (y, x): the point is (y, x) = (1, 0).
    found = critical_points("(y - 1)**2 + x**2", variables="y,x")
    assert found.points[0].point == (1, 0)


# ---------------------------------------------------------------------------
# critical_point and hessian_inertia


def test_critical_point_at_an_algebraic_point():
    # The middle root r1 of x^3 - 3x + 1 is a saddle of x^4/4 - 3x^2/2 + x + y^2 (see above);
    # critical_point gives the same canonical value as critical_points.
    r = sympy.CRootOf(X**3 - 3 * X + 1, 1)
    p = critical_point("x**4/4 - 3*x**2/2 + x + y**2", (r, 0))
    q = next(q for q in critical_points("x**4/4 - 3*x**2/2 + x + y**2").points if q.point == (r, 0))
    assert p == q


def test_critical_point_of_a_dispersion():
    # E = -2(cos kx + cos ky) at (pi, 0): gradient (2 sin kx, 2 sin ky) = 0; Hessian
    # diag(2 cos kx, 2 cos ky) = diag(-2, 2): a saddle (van Hove point) with E = 0.
    p = critical_point("-2*cos(x) - 2*cos(y)", "pi, 0")
    assert (p.value, p.inertia, p.corank) == (0, (1, 1), 0)


@pytest.mark.parametrize(
    "entries, expected",
    [
        ([[2, 1], [1, 2]], (2, 0, 2)),  # eigenvalues 1, 3
        ([[1, 2], [2, 1]], (1, 1, 2)),  # eigenvalues -1, 3
        ([[0, 0], [0, 0]], (0, 0, 0)),
        ([[1, "sqrt(2)"], ["sqrt(2)", 2]], (1, 0, 1)),  # det = 2 - 2 = 0, trace 3
        ([["sqrt(2)", 1], [1, "sqrt(2)/2"]], (1, 0, 1)),  # det = 1 - 1 = 0
        ([["sqrt(2) - 1", 0], [0, "1 - sqrt(3)"]], (1, 1, 2)),
        ([[1, 0, 0], [0, -1, 0], [0, 0, 0]], (1, 1, 2)),
    ],
)
def test_hessian_inertia(entries, expected):
    matrix = sympy.Matrix([[sympy.sympify(e) for e in row] for row in entries])
    assert hessian_inertia(matrix) == expected


def test_hessian_inertia_with_crootof_entries():
    # r1 ~ 0.347 is the middle root of x^3 - 3x + 1: 3 r1^2 - 3 < 0 and r1 - 1/3 > 0 (p(1/3) = 1/27 > 0
    # and p decreases through r1 on (0, 1), so r1 > 1/3).
    r = sympy.CRootOf(X**3 - 3 * X + 1, 1)
    assert hessian_inertia(sympy.diag(3 * r**2 - 3, r - sympy.Rational(1, 3))) == (1, 1, 2)


def test_hessian_inertia_refuses_non_symmetric():
    with pytest.raises(InputError, match="not symmetric"):
        hessian_inertia(sympy.Matrix([[1, 2], [0, 1]]))


# ---------------------------------------------------------------------------
# result protocol


def test_json_contract():
    found = critical_points("(x**2 + y**2 - 1)**2")
    data = json.loads(found.to_json())
    assert data["kind"] == "critical_points"
    assert data["points"] == [
        {
            "point": ["0", "0"],
            "point_float": [0.0, 0.0],  # the JSON document gives each exact number's float beside it
            "value": "1",
            "value_float": 1.0,
            "hessian_rank": 2,
            "corank": 0,
            "morse_index": 2,
            "inertia": [0, 2],
            "certificate": "exact",
        }
    ]
    (component,) = data["components"]
    assert component["dimension"] == 1 and component["equations"] == ["x**2 + y**2 - 1"]
    assert component["value"] == "0" and len(component["sample_point"]) == 2


@pytest.mark.parametrize("f", ["x**4/4 - 3*x**2/2 + x + y**2", "(x**2 + y**2)**2", "x**3 - x + y**2"])
def test_round_trip(f):
    found = critical_points(f)
    assert CriticalSet.from_dict(json.loads(found.to_json())) == found


def test_single_point_protocol():
    p = critical_point("x**2 - y**2", (0, 0))
    assert p.to_dict()["kind"] == "critical_point"
    assert CriticalPoint.from_dict(p.to_dict()) == p
    assert "Morse index" in str(p) and "\\begin{array}" in p._repr_latex_()


def test_rows_and_text():
    found = critical_points("(x**2 + y**2 - 1)**2")
    header, rows = found.to_rows()
    assert header[:5] == ("critical point", "value", "rank", "corank", "Morse index")
    assert rows[0][:5] == ("(0, 0)", 1, 2, 0, 2)
    assert rows[1][0].startswith("{x**2 + y**2 - 1} = 0 (dimension 1")
    assert "x**2 + y**2 - 1" in found.to_markdown()


def test_numeric_coordinates():
    p = critical_points("x**3 - x + y**2").points[0]
    with mpmath.workdps(50):
        a, b = p.numeric(50)
        assert abs(a - mpmath.sqrt(3) / 3) < mpmath.mpf(10) ** -45 and b == 0


def test_inexact_fields_are_refused():
    with pytest.raises(TypeError):
        CriticalPoint((sympy.Float(0.5),), 0, 1, 0, (1, 0), "exact")


# ---------------------------------------------------------------------------
# property: separated sums of one-dimensional Morse polynomials


def _morse_polynomial(roots, sign, complex_factor, t):
    """p with p' = sign * prod(t - a) * (t^2 + b)^e: its real critical points are the roots a.

    p''(a_j) = sign * prod_{k != j}(a_j - a_k) * (a_j^2 + b)^e, whose sign is
    sign * (-1)^(number of roots above a_j): the minima and maxima alternate.
    """
    derivative = sign * sympy.Mul(*[(t - a) for a in roots])
    if complex_factor:
        derivative *= t**2 + complex_factor
    return sympy.integrate(sympy.expand(derivative), t)


_one_variable = st.tuples(
    st.lists(st.fractions(min_value=-3, max_value=3, max_denominator=2), min_size=1, max_size=3, unique=True),
    st.sampled_from([1, -1]),
    st.sampled_from([0, 0, 1, 2]),
)


@given(st.lists(_one_variable, min_size=1, max_size=3).filter(lambda vs: math.prod(len(v[0]) for v in vs) <= 12))
@settings(max_examples=15, deadline=None)
def test_morse_counts_of_separated_sums(specs):
    # f = sum_i p_i(x_i): grad f = (p_1'(x_1), ..., p_n'(x_n)), so the real critical points are
    # the products of the roots of each p_i', f is the sum of the p_i there, and the Hessian is
    # diag(p_i''(x_i)).  The Morse index of a point counts the i with p_i'' < 0, so the number of
    # points of index m is the coefficient of s^m in prod_i (#minima_i + #maxima_i * s).
    variables = sympy.symbols(f"x1:{len(specs) + 1}")
    polys, local = [], []
    for (roots, sign, b), t in zip(specs, variables):
        roots = sorted(sympy.Rational(r.numerator, r.denominator) for r in roots)
        polys.append(_morse_polynomial(roots, sign, b, t))
        # sign of p''(a_j) = sign * (-1)^(number of roots above a_j)
        local.append([(a, sign * (-1) ** (len(roots) - 1 - j)) for j, a in enumerate(roots)])
    f = sum(polys)
    found = critical_points(f, variables=variables, timeout=120)
    expected = {}
    for choice in product(*local):
        point = tuple(a for a, _ in choice)
        value = sum(p.subs(t, a) for p, t, a in zip(polys, variables, point))
        expected[point] = (value, sum(1 for _, s in choice if s < 0))
    assert {p.point: (p.value, p.morse_index) for p in found.points} == expected
    assert all(p.is_morse and p.certificate == "exact" for p in found.points)
    s = sympy.Symbol("s")
    generating = sympy.Mul(
        *[sum(1 for _, sign in l if sign > 0) + sum(1 for _, sign in l if sign < 0) * s for l in local]
    )
    counts = sympy.Poly(generating, s)
    assert found.morse_counts() == {m: int(c) for (m,), c in counts.terms() if c}
