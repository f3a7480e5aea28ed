"""Ideals and sums of squares (singularities/ideals.py): detection, Newton polyhedra, non-degeneracy, rlct.

Expected values are derived by hand in the comments.
"""

import pytest
import sympy

import singularities as sg
from singularities.algebra.realzeros import Answer
from singularities.polyhedra.ideals import face_parts, ideal_newton_polyhedron, ideal_nondegeneracy, sum_of_squares

x, y, z = sympy.symbols("x y z")


def test_sum_of_squares_reads_the_expression_tree():
    assert sum_of_squares((x * y) ** 2 + (x * z) ** 2, (x, y, z)) == ((1, x * y), (1, x * z))
    assert set(sum_of_squares(2 * x**2 * y**4 + (x - y) ** 2, (x, y))) == {(2, x * y**2), (1, x - y)}
    assert sum_of_squares(x**2 - y**2, (x, y)) is None  # a negative coefficient
    assert sum_of_squares(x**3 + y**2, (x, y)) is None  # an odd power
    assert sum_of_squares(x**2 + 2 * x * y + y**2, (x, y)) is None  # a square only after factoring: not read


@pytest.mark.parametrize(
    "generators, distance",
    [
        # (x^2, y^3): Gamma_+(I) has the edge (2,0)-(0,3) on 3a + 2b = 6; the diagonal meets it at t = 6/5.
        ([x**2, y**3], sympy.Rational(6, 5)),
        # (xy, xz): vertices (1,1,0), (1,0,1); the facet a >= 1 holds (1,1,1)?
        # (t,t,t) needs t >= 1 and t + t >= 1: t = 1.
        ([x * y, x * z], 1),
    ],
)
def test_ideal_polyhedron_is_half_that_of_the_sum_of_squares(generators, distance):
    variables = tuple(sorted(set().union(*(g.free_symbols for g in generators)), key=str))
    P = ideal_newton_polyhedron(generators, variables)
    assert P.newton_distance == distance
    K = sg.newton_polyhedron(sympy.expand(sum(g**2 for g in generators)), variables=variables)
    assert K.newton_distance == 2 * distance  # Gamma_+(K) = 2 Gamma_+(I)
    assert K.codimension == P.codimension


def test_face_parts():
    # Supports of (x^2 + x^3, xy + y^4): (2,0), (3,0), (1,1), (0,4).  Gamma_+ has the edges (2,0)-(1,1) on a + b = 2
    # and (1,1)-(0,4) on 3a + b = 4; the diagonal meets a + b = 2 at (1,1), a vertex: parts (0, xy) there.
    generators = [x**2 + x**3, x * y + y**4]
    P = ideal_newton_polyhedron(generators, (x, y))
    assert face_parts(generators, (x, y), P.principal_face) == (0, x * y)
    edge = next(f for f in P.compact_faces() if set(f.points) == {(2, 0), (1, 1)})
    assert face_parts(generators, (x, y), edge) == (x**2, x * y)


def test_ideal_nondegeneracy():
    # (xy, xz): faces give x*y, x*z or both; x = 0 is not in the torus: no common torus zero, YES.
    assert ideal_nondegeneracy([x * y, x * z], (x, y, z)).strong is Answer.YES
    # (x - y, x^2): the face part x - y (edge (1,0)-(0,1)) alone vanishes at x = y != 0: NO.
    assert ideal_nondegeneracy([x - y, x**2], (x, y)).strong is Answer.NO
    # (x^2 - y^2, x y): on the edge both parts vanish only at x = y = 0: YES.
    assert ideal_nondegeneracy([x**2 - y**2, x * y], (x, y)).strong is Answer.YES


def test_rlct_of_an_ideal_given_as_a_list():
    # K = (x^2 - y^2)^2 + (xy)^2 = (x^2 + y^2)^2 - x^2 y^2 ... it is between (x^2+y^2)^2/4 and (x^2+y^2)^2:
    # lambda = 1/2 (of (x^2+y^2)^2: [POW] of x^2 + y^2 (1, 1)), m = 1.
    result = sg.rlct(["x**2 - y**2", "x*y"])
    assert (result.status, result.threshold, result.multiplicity) == (sg.Status.PROVEN, sympy.Rational(1, 2), 1)
    # The ideal (x - y, z) in 3 variables: K = (x - y)^2 + z^2 = u^2 + z^2 with y free: (1, 1).
    blown = sg.rlct(["x - y", "z"], variables="x,y,z", method="blowup")
    assert (blown.threshold, blown.multiplicity) == (1, 1)
    assert blown.certificate.squares == ((1, x - y), (1, z))


def test_sum_of_squares_input_is_detected_by_the_blowup_method():
    # x^2 (y - z)^2 + x^2 w^2 = x^2 ((y - z)^2 + w^2): x^2 gives -1/2; the ideal (y - z, w) gives -1: (1/2, 1).
    result = sg.rlct("(x*(y - z))**2 + (x*w)**2", variables="x,y,z,w", method="blowup")
    assert (result.threshold, result.multiplicity, result.status) == (sympy.Rational(1, 2), 1, sg.Status.PROVEN)
    assert result.certificate.exponent == 2
