"""Ideals and sums of squares: K = f_1^2 + ... + f_r^2, its generators, Newton polyhedron and non-degeneracy.

For K = sum c_i f_i^2 (c_i > 0) the RLCT depends only on the ideal
I = (f_1, ..., f_r): near 0, K is squeezed between constant multiples of
sum f_i^2 for any generating set (docs/conventions.md#ideals-and-sums-of-squares).
The Newton polyhedron of I is the convex hull of the union of the supports
plus the orthant; Gamma_+(K) = 2 Gamma_+(I), and the face polynomial of K on
2 gamma is sum c_i (f_i)_gamma^2.  So K is strongly non-degenerate exactly when,
for every compact face gamma, the face parts (f_1)_gamma, ..., (f_r)_gamma have
no common zero in the real torus: the real form of the non-degeneracy of
ideals of Saia (J. Algebraic Geom. 5, 1996) and Bivia-Ausina (Math. Z. 2003),
where the complex torus is used.  Then theorem N1 gives lambda(K) = 1/t(K) =
1/(2 t(I)) and m = c.
"""

import sympy

from .._exact import parse_exact
from .._limits import Deadline
from .newton import polyhedron_from_terms
from .nondegeneracy import nondegeneracy

__all__ = ["sum_of_squares", "ideal_newton_polyhedron", "face_parts", "ideal_nondegeneracy"]


def sum_of_squares(g, variables):
    """The pairs (c_i, f_i) with g = sum c_i f_i^2 and rational c_i > 0, read off the expression tree, or None.

    A term counts as c f^2 when every factor is raised to an even power; a
    polynomial that is only a sum of squares after expansion is not detected.

    Examples
    --------
    >>> from singularities.polyhedra.ideals import sum_of_squares
    >>> x, y, z = sympy.symbols("x y z")
    >>> sum_of_squares((x*y)**2 + 3*(x*z)**2, (x, y, z))
    ((1, x*y), (3, x*z))
    >>> sum_of_squares(x**2 - y**2, (x, y)) is None
    True
    """
    terms = sympy.Add.make_args(parse_exact(g))
    pairs = []
    for term in terms:
        pair = _square_term(term, variables)
        if pair is None:
            return None
        pairs.append(pair)
    return tuple(pairs) if len(pairs) > 1 or pairs[0][1].free_symbols else None


def ideal_newton_polyhedron(generators, variables, *, timeout=None):
    """Gamma_+(I): the convex hull of the union of the generators' supports, plus the orthant.

    Examples
    --------
    >>> from singularities.polyhedra.ideals import ideal_newton_polyhedron
    >>> x, y = sympy.symbols("x y")
    >>> P = ideal_newton_polyhedron([x**2, y**3], (x, y))
    >>> P.vertices, P.newton_distance
    (((0, 3), (2, 0)), 6/5)
    """
    terms = {}
    for f in generators:
        for exponent, _ in sympy.Poly(sympy.expand(f), *variables).terms():
            terms[tuple(map(int, exponent))] = sympy.Integer(1)
    return polyhedron_from_terms(tuple(variables), terms, timeout=Deadline.coerce(timeout))


def face_parts(generators, variables, face):
    """The tuple ((f_1)_gamma, ..., (f_r)_gamma): the terms of each generator on the face.

    Examples
    --------
    >>> from singularities.polyhedra.ideals import face_parts, ideal_newton_polyhedron
    >>> x, y = sympy.symbols("x y")
    >>> P = ideal_newton_polyhedron([x**2 + x**3, x*y + y**4], (x, y))
    >>> face_parts([x**2 + x**3, x*y + y**4], (x, y), P.principal_face)  # the vertex (1, 1)
    (0, x*y)
    """
    points = set(face.points)
    parts = []
    for f in generators:
        poly = sympy.Poly(sympy.expand(f), *variables)
        parts.append(
            sum(
                (c * sympy.Mul(*(v**a for v, a in zip(variables, e))) for e, c in poly.terms() if tuple(e) in points),
                sympy.Integer(0),
            )
        )
    return tuple(parts)


def ideal_nondegeneracy(generators, variables, *, timeout=None):
    """Real non-degeneracy of the ideal (f_1, ..., f_r), decided as strong non-degeneracy of K = sum f_i^2.

    Returns the :class:`Nondegeneracy` report of K; its ``strong`` answer is
    YES exactly when no compact face's parts have a common real torus zero.

    Examples
    --------
    >>> from singularities.polyhedra.ideals import ideal_nondegeneracy
    >>> x, y, z = sympy.symbols("x y z")
    >>> ideal_nondegeneracy([x*y, x*z], (x, y, z)).strong
    <Answer.YES>
    >>> ideal_nondegeneracy([x - y, x**2], (x, y)).strong
    <Answer.NO>
    """
    deadline = Deadline.coerce(timeout)
    K = sympy.expand(sum(f**2 for f in generators))
    terms = {tuple(map(int, e)): c for e, c in sympy.Poly(K, *variables).terms()}
    return nondegeneracy(polyhedron_from_terms(tuple(variables), terms, timeout=deadline), timeout=deadline)


def _square_term(term, variables):
    coefficient, rest = term.as_independent(*variables, as_Add=False)
    if not (coefficient.is_Rational and coefficient > 0):
        return None
    root = sympy.Integer(1)
    for factor in sympy.Mul.make_args(rest):
        base, power = factor.as_base_exp()
        if not (power.is_Integer and power % 2 == 0):
            return None
        root *= base ** (power // 2)
    return coefficient, root
