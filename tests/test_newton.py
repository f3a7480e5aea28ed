"""Newton polyhedra against hand derivations, an independent LP, and invariance properties."""

from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import singularities as sg
from singularities.polyhedra.newton import polyhedron_from_terms

scipy_optimize = pytest.importorskip("scipy.optimize")

X = sympy.symbols("x1:5")


def test_x2_plus_y4_by_hand():
    # Gamma_+ = conv{(2,0),(0,4)} + R^2_+; the edge lies on 2*x + y = 4, so
    # (t, t) meets it at 3t = 4.
    P = sg.newton_polyhedron("x**2 + y**4")
    assert P.vertices == ((0, 4), (2, 0))
    assert {(f.normal, f.offset) for f in P.facets} == {((2, 1), 4), ((1, 0), 0), ((0, 1), 0)}
    assert P.newton_distance == sympy.Rational(4, 3)
    assert P.codimension == 1
    assert P.face_polynomial(P.principal_face) == sympy.sympify("x**2 + y**4")


def test_monomial_is_a_shifted_orthant():
    # x^a y^b z^c: Gamma_+ = (a,b,c) + R^3_+, t = max(a,b,c), and the diagonal
    # point lies on the facets x_i >= a_i with a_i = t.
    P = sg.newton_polyhedron("x**2*y**3*z**3")
    assert P.vertices == ((2, 3, 3),)
    assert P.newton_distance == 3
    assert P.codimension == 2


def test_interior_term_does_not_change_the_polyhedron():
    P = sg.newton_polyhedron("x**2 + y**4 + x*y**3")
    assert P.vertices == ((0, 4), (2, 0)) and P.newton_distance == sympy.Rational(4, 3)
    assert P.face_polynomial(P.principal_face) == sympy.sympify("x**2 + y**4")


def test_translation_to_the_point():
    # (x-1)^2 + (y-2)^4 at (1, 2) is x^2 + y^4 at the origin.
    P = sg.newton_polyhedron("(x - 1)**2 + (y - 2)**4", point="1,2")
    assert P.newton_distance == sympy.Rational(4, 3)


def test_sphere_face_lattice():
    # conv{2e1, 2e2, 2e3} + R^3_+: compact: 3 vertices, 3 edges, 1 triangle;
    # non-compact: 3 rays from the vertices and 3 quarter-planes.
    P = sg.newton_polyhedron("x**2 + y**2 + z**2")
    faces = P.faces()
    counts = {}
    for face in faces:
        counts[(face.dimension, face.compact)] = counts.get((face.dimension, face.compact), 0) + 1
    assert counts == {(0, True): 3, (1, True): 3, (1, False): 3, (2, True): 1, (2, False): 3}
    lattice = P.face_lattice()
    triangle = next(i for i, f in enumerate(faces) if f.dimension == 2 and f.compact)
    assert lattice.out_degree(triangle) == 3
    for i, face in enumerate(faces):
        if face.dimension == 1:
            assert lattice.out_degree(i) == (2 if face.compact else 1)


def test_face_polynomial_of_every_compact_edge():
    P = sg.newton_polyhedron("x**2*y - y**3 + x**5")
    edges = [P.face_polynomial(f) for f in P.compact_faces() if f.dimension == 1]
    assert edges == [sympy.sympify("x**2*y - y**3"), sympy.sympify("x**5 + x**2*y")]


def test_facets_are_valid_and_tight():
    P = sg.newton_polyhedron("x**3 + x*y*z + y**4 + z**5 + x**2*z**2")
    support = [e for e, _ in P.terms]
    for facet in P.facets:
        assert all(facet.evaluate(p) >= facet.offset for p in support)
        assert sum(1 for v in P.vertices if facet.evaluate(v) == facet.offset) >= 1


def lp_newton_distance(points):
    """min t with sum l_i p_i <= t componentwise, sum l_i = 1, l >= 0 (floating LP, an independent oracle)."""
    n = len(points[0])
    m = len(points)
    cost = [0.0] * m + [1.0]
    upper = [[p[k] for p in points] + [-1.0] for k in range(n)]
    equality = [[1.0] * m + [0.0]]
    result = scipy_optimize.linprog(
        cost, A_ub=upper, b_ub=[0.0] * n, A_eq=equality, b_eq=[1.0], bounds=[(0, None)] * (m + 1), method="highs"
    )
    assert result.status == 0
    return result.fun


exponents = st.lists(st.tuples(*[st.integers(0, 6)] * 3).filter(any), min_size=1, max_size=12, unique=True)


@settings(max_examples=60, deadline=None)
@given(exponents)
def test_newton_distance_matches_an_independent_lp(points):
    P = polyhedron_from_terms(X[:3], {p: 1 for p in points})
    assert abs(float(P.newton_distance) - lp_newton_distance(points)) < 1e-7


def _data(P):
    return P.newton_distance, P.codimension, len(P.vertices), len(P.facets)


@settings(max_examples=40, deadline=None)
@given(exponents, st.permutations(range(3)))
def test_permuting_variables_permutes_the_polyhedron(points, permutation):
    P = polyhedron_from_terms(X[:3], {p: 1 for p in points})
    Q = polyhedron_from_terms(X[:3], {tuple(p[i] for i in permutation): 1 for p in points})
    assert _data(P) == _data(Q)
    assert sorted(Q.vertices) == sorted(tuple(v[i] for i in permutation) for v in P.vertices)


@settings(max_examples=30, deadline=None)
@given(exponents, st.lists(st.fractions().filter(lambda q: q != 0), min_size=3, max_size=3))
def test_scaling_variables_keeps_the_newton_data(points, scales):
    scale = {v: sympy.Rational(q.numerator, q.denominator) * v for v, q in zip(X[:3], scales)}
    g = sum(sympy.Mul(*(v**e for v, e in zip(X[:3], p))) for p in points)
    P = sg.newton_polyhedron(g, variables=X[:3])
    Q = sg.newton_polyhedron(sympy.expand(g.xreplace(scale)), variables=X[:3])
    assert _data(P) == _data(Q) and P.vertices == Q.vertices


@settings(max_examples=40, deadline=None)
@given(exponents, st.lists(st.tuples(*[st.integers(0, 3)] * 3), min_size=1, max_size=4), st.integers(0, 11))
def test_monomials_strictly_inside_change_nothing(points, shifts, which):
    P = polyhedron_from_terms(X[:3], {p: 1 for p in points})
    base = P.vertices[which % len(P.vertices)]
    # base + s with s >= 0 nonzero lies in Gamma_+; adding (1,1,1) puts it strictly inside.
    inside = {tuple(b + s + 1 for b, s in zip(base, shift)): 3 for shift in shifts}
    Q = polyhedron_from_terms(X[:3], {**inside, **{p: 1 for p in points}})
    assert _data(P) == _data(Q) and P.vertices == Q.vertices
    assert Q.face_polynomial(Q.principal_face) == P.face_polynomial(P.principal_face)


def test_eight_variables_reduced_rank_regression():
    # K = ||B A||^2 for 2x2 matrices at the origin: every monomial has degree 4
    # and (1,...,1) * t lies on the facet sum(x) >= 4, so t = 1/2.
    a = sympy.symbols("a1:5")
    b = sympy.symbols("b1:5")
    product = sympy.Matrix(2, 2, b) * sympy.Matrix(2, 2, a)
    K = sympy.expand(sum(e**2 for e in product))
    P = sg.newton_polyhedron(K, variables=a + b)
    assert P.newton_distance == Fraction(1, 2)


def test_polyhedron_round_trip_through_json():
    import json

    P = sg.newton_polyhedron("x**3 + x*y*z + y**4 + z**5 + x**2*z**2")
    assert sg.NewtonPolyhedron.from_dict(json.loads(P.to_json())) == P


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(*[st.integers(0, 5)] * 5).filter(any), min_size=1, max_size=40, unique=True))
def test_newton_distance_matches_lp_in_five_variables(points):
    variables = sympy.symbols("y1:6")
    P = polyhedron_from_terms(variables, {p: 1 for p in points})
    assert abs(float(P.newton_distance) - lp_newton_distance(points)) < 1e-7
    # every vertex is a support point, and every facet is valid on the support
    assert set(P.vertices) <= set(points)
    assert all(f.evaluate(p) >= f.offset for f in P.facets for p in points)


def test_a_face_with_many_equal_slices_is_decided_as_before():
    # K = (a1 b1)^2 + (a2 b1)^2 + (a3 b1)^2 (RRR with M = 3, N = H = 1): every exponent is even, so the 2^codim sign
    # slices of a face all give the same polynomial and are solved once.  K = b1^2 (a1^2 + a2^2 + a3^2) has no zero
    # in the real torus on any face (sums of even monomials with positive coefficients), so it is strongly
    # non-degenerate: lambda = 1/t, m = codim.  Every exponent has e_b1 = 2, so t = 2, and (2, 2, 2, 2) lies on the
    # facet {e_b1 = 2} only (e_a1 + e_a2 + e_a3 = 6 > 2 there): codimension 1.  So (1/2, 1), as the product of
    # b1^2 (lambda 1/2) and a1^2 + a2^2 + a3^2 (lambda 3/2) in disjoint variables gives: the smaller, m = 1.
    report = sg.nondegeneracy("(a1*b1)**2 + (a2*b1)**2 + (a3*b1)**2", variables="a1,a2,a3,b1")
    assert report.strong is sg.Answer.YES and report.weak is sg.Answer.YES
    result = sg.rlct("(a1*b1)**2 + (a2*b1)**2 + (a3*b1)**2", variables="a1,a2,a3,b1", method="newton")
    assert (result.threshold, result.multiplicity) == (sympy.Rational(1, 2), 1)


@pytest.mark.parametrize(
    "g, variables",
    [
        ("x**2*y**2 + x**5 + y**7 + x*y*z**3 + z**9", "x,y,z"),
        ("(a1*b1 + a2*b2)**2 + (a1*b3 + a2*b4)**2", "a1,a2,b1,b2,b3,b4"),
        ("x**3 + y**3", "x,y"),
    ],
)
def test_compact_faces_are_the_bounded_faces(g, variables):
    # compact_faces builds only the faces without a recession direction: by definition the bounded ones of faces()
    polyhedron = sg.newton_polyhedron(g, variables=variables)
    assert polyhedron.compact_faces() == tuple(f for f in polyhedron.faces() if not f.directions)
