"""Strong and weak real non-degeneracy against hand-checked face polynomials and invariants."""

import random

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import singularities as sg
from singularities import Answer

YES, NO, UNDECIDED = Answer.YES, Answer.NO, Answer.UNDECIDED


@pytest.mark.parametrize(
    "g, strong, weak",
    [
        # x^2 + y^4: edge x^2 + y^4 > 0 on the torus.
        ("x**2 + y**4", YES, YES),
        # x^2 - y^2 = (x - y)(x + y): torus zeros on x = +-y, gradient (2x, -2y) != 0 there.
        ("x**2 - y**2", NO, YES),
        # (x - y)^2 + y^3: edge (x - y)^2 vanishes doubly on x = y.
        ("(x - y)**2 + y**3", NO, NO),
        # monkey saddle x^3 - 3xy^2 = x(x - sqrt3 y)(x + sqrt3 y): simple real lines.
        ("x**3 - 3*x*y**2", NO, YES),
        # (x^2 - y^2)^2: double zeros on x = +-y.
        ("(x**2 - y**2)**2", NO, NO),
        ("x**2 + y**2 + z**2", YES, YES),
        # cone x^2 + y^2 - z^2: zeros with x, y, z != 0, gradient nonzero there.
        ("x**2 + y**2 - z**2", NO, YES),
        # x*y*z: a single vertex, a monomial.
        ("x*y*z", YES, YES),
        # x^2 + x*y + y^2 is positive definite (discriminant -3).
        ("x**2 + x*y + y**2", YES, YES),
        # x^4 + y^6 + x^2*y^2 ... all even with positive coefficients.
        ("x**4 + x**2*y**2 + y**6", YES, YES),
    ],
)
def test_hand_checked_answers(g, strong, weak):
    report = sg.nondegeneracy(g)
    assert (report.strong, report.weak) == (strong, weak)


def test_a_face_positive_on_the_torus_but_not_on_its_closure():
    # (x - y)^2 + z^2 vanishes only where z = 0, outside the torus: strong YES;
    # its edge (x - y)^2 has singular zeros on x = y: weak NO overall.
    report = sg.nondegeneracy("x**2 - 2*x*y + y**2 + z**2")
    face = next(c for c in report.faces if c.face.dimension == 2)
    assert (face.strong, face.weak) == (YES, YES)
    assert report.weak is NO


def test_witnesses_are_exact_torus_zeros():
    for g in ["x**2 - y**2", "x**3 - 3*x*y**2", "x**2 + y**2 - z**2", "(x - y)**2 + y**3", "x*y - z**2"]:
        report = sg.nondegeneracy(g)
        variables = report.polyhedron.variables
        for check in report.faces:
            if check.witness is not None:
                point = dict(zip(variables, check.witness))
                assert all(c != 0 and c.is_real for c in check.witness)
                assert sympy.simplify(check.polynomial.xreplace(point)) == 0


def test_strong_yes_faces_keep_one_sign_on_each_orthant():
    rng = random.Random(5)
    for g in ["x**2 + y**4", "x**2 + x*y + y**2", "x**4 + x**2*y**2 + y**6", "x**2 + y**2 + z**2"]:
        report = sg.nondegeneracy(g)
        variables = report.polyhedron.variables
        for check in report.faces:
            assert check.strong is YES
            for signs in [(1, 1, 1), (1, -1, 1), (-1, 1, -1), (-1, -1, -1)]:
                values = [
                    check.polynomial.xreplace(
                        {
                            v: s * sympy.Rational(rng.randint(1, 99), rng.randint(1, 99))
                            for v, s in zip(variables, signs)
                        }
                    )
                    for _ in range(20)
                ]
                assert all(v > 0 for v in values) or all(v < 0 for v in values)


small_polynomials = st.dictionaries(
    st.tuples(st.integers(0, 4), st.integers(0, 4)).filter(lambda e: sum(e) >= 2),
    st.integers(-3, 3).filter(bool),
    min_size=1,
    max_size=5,
)


@settings(max_examples=40, deadline=None)
@given(
    small_polynomials,
    st.sampled_from([1, 2, -1, sympy.Rational(1, 3), -sympy.Rational(5, 2)]),
    st.sampled_from([1, 3, -2, sympy.Rational(2, 7)]),
)
def test_answers_are_invariant_under_scaling_variables(terms, a, b):
    x, y = sympy.symbols("x y")
    g = sum(c * x**i * y**j for (i, j), c in terms.items())
    scaled = sympy.expand(g.xreplace({x: a * x, y: b * y}))
    first = sg.nondegeneracy(g, variables="x,y")
    second = sg.nondegeneracy(scaled, variables="x,y")
    assert (first.strong, first.weak) == (second.strong, second.weak)


@settings(max_examples=40, deadline=None)
@given(small_polynomials)
def test_two_variable_answers_are_always_decided(terms):
    # Compact faces in two variables are vertices and edges; the edge test is a
    # one-variable real root count, so nothing may stay undecided.
    x, y = sympy.symbols("x y")
    report = sg.nondegeneracy(sum(c * x**i * y**j for (i, j), c in terms.items()), variables="x,y")
    assert UNDECIDED not in (report.strong, report.weak)


@pytest.mark.parametrize(
    "g, strong",
    [
        # x^2 + xy + y^2 + z^2 is positive definite (leading minors 1, 3/4, 3/4): no torus zero.
        ("x**2 + x*y + y**2 + z**2", YES),
        # By AM-GM, x y z^2 <= (x^4 + y^4 + 2 z^4)/4 < x^4 + y^4 + z^4 on the torus.
        ("x**4 + y**4 + z**4 - x*y*z**2", YES),
        # x^2 + xy + y^2 - z^2 vanishes at (1, 1, sqrt(3)), in the torus.
        ("x**2 + x*y + y**2 - z**2", NO),
        # x^2 + y^2 + z^2 - 3yz vanishes at (1, 1, 1).
        ("x**2 - 3*y*z + z**2 + y**2", NO),
    ],
)
def test_two_dimensional_faces_are_decided_exactly(g, strong):
    report = sg.nondegeneracy(g)
    top = next(c for c in report.faces if c.face.dimension == 2)
    assert top.strong is strong and top.weak is YES
