"""Real non-degeneracy of Newton polyhedra: the strong and weak tests, face by face.

Conventions: docs/conventions.md#non-degeneracy-over-the-reals.  Every answer is
yes, no or undecided; undecided is never treated as yes.
"""

import itertools
from dataclasses import dataclass, field

import sympy

from .._limits import Deadline, guard
from .._result import Result, parse_field, register
from ..algebra.realzeros import Answer, is_nonsingular_on_complex_torus, torus_zeros
from .newton import Face, NewtonPolyhedron, newton_polyhedron

__all__ = ["FaceCheck", "Nondegeneracy", "nondegeneracy", "check_face"]


@register("face_check")
@dataclass(frozen=True, slots=True)
class FaceCheck:
    """The two tests on one face polynomial g_gamma.

    ``strong`` answers "g_gamma has no zero in the real torus", ``weak``
    answers "g_gamma has no singular zero there"; ``witness`` is an exact
    torus point where g_gamma vanishes, when one was found.
    """

    face: Face = field(repr=False)
    polynomial: sympy.Expr
    strong: Answer
    weak: Answer
    reason: str = field(repr=False, default="")
    witness: tuple = field(repr=False, default=None)

    def to_dict(self):
        """JSON-safe form."""
        return {
            "kind": "face_check",
            "polynomial": sympy.sstr(self.polynomial),
            "dimension": self.face.dimension,
            "strong": self.strong.value,
            "weak": self.weak.value,
            "reason": self.reason,
            "witness": None if self.witness is None else [sympy.sstr(c) for c in self.witness],
            "face": self.face.to_dict(),
        }

    @classmethod
    def from_dict(cls, data):
        """Rebuild the check from :meth:`to_dict` output."""
        witness = data["witness"]
        return cls(
            Face.from_dict(data["face"]),
            parse_field(data["polynomial"]),
            Answer(data["strong"]),
            Answer(data["weak"]),
            data["reason"],
            None if witness is None else tuple(parse_field(c) for c in witness),
        )


@register("newton")
@dataclass(frozen=True, slots=True)
class Nondegeneracy(Result):
    """Strong and weak real non-degeneracy of g over all compact faces of Gamma_+(g).

    Examples
    --------
    >>> report = sg.nondegeneracy("x**2 - y**2")
    >>> report.strong, report.weak
    (<Answer.NO>, <Answer.YES>)
    """

    polyhedron: NewtonPolyhedron = field(repr=False)
    strong: Answer
    weak: Answer
    faces: tuple = field(repr=False)
    complete: bool = field(repr=False, default=True)

    def to_rows(self):
        header, rows = self.polyhedron.to_rows()
        rows = list(rows) + [("strong non-degeneracy", self.strong.value), ("weak non-degeneracy", self.weak.value)]
        rows += [
            (f"  face {sympy.sstr(c.polynomial)}", f"strong {c.strong.value}, weak {c.weak.value}: {c.reason}")
            for c in self.faces
            if c.face.dimension > 0
        ]
        return header, rows

    def to_dict(self):
        data = self.polyhedron.to_dict()
        data["kind"] = "newton"
        data["nondegenerate"] = {"strong": self.strong.value, "weak": self.weak.value}
        data["faces"] = [c.to_dict() for c in self.faces]
        data["all_faces_checked"] = self.complete
        return data

    @classmethod
    def from_dict(cls, data):
        """Rebuild the report from :meth:`to_dict` output (the polyhedron is recomputed from the terms)."""
        answers = data["nondegenerate"]
        return cls(
            NewtonPolyhedron.from_dict(data),
            Answer(answers["strong"]),
            Answer(answers["weak"]),
            tuple(FaceCheck.from_dict(c) for c in data["faces"]),
            data["all_faces_checked"],
        )


def nondegeneracy(g, point=None, *, variables=None, parameters=None, stop_on_failure=False, timeout=None):
    """Run the strong and weak real non-degeneracy tests on every compact face.

    Parameters
    ----------
    g : str, sympy.Expr, Energy or NewtonPolyhedron
        The function (vanishing at the point) or its Newton polyhedron.
    point, variables, parameters : optional
        As for :func:`newton_polyhedron`.
    stop_on_failure : bool
        Stop at the first face with a singular torus zero (both tests then
        answer NO); ``faces`` holds the faces checked so far and
        ``complete`` is False.
    timeout : float, optional
        Time limit in seconds.

    Returns
    -------
    Nondegeneracy
        The overall answers (``NO`` if any face fails, else ``UNDECIDED``
        if any face is undecided, else ``YES``) and the per-face checks.

    Examples
    --------
    >>> sg.nondegeneracy("x**2 + y**4").strong
    <Answer.YES>
    >>> sg.nondegeneracy("(x - y)**2 + y**3").weak
    <Answer.NO>
    """
    deadline = Deadline.coerce(timeout)
    with guard(deadline, "non-degeneracy"):
        polyhedron = (
            g
            if isinstance(g, NewtonPolyhedron)
            else newton_polyhedron(g, point, variables=variables, parameters=parameters, timeout=deadline)
        )
        faces = polyhedron.compact_faces(timeout=deadline)
        checks = []
        for index, face in enumerate(faces):
            deadline.check("non-degeneracy of the compact faces", index, len(faces))
            checks.append(check_face(polyhedron, face, timeout=deadline))
            if stop_on_failure and checks[-1].weak is Answer.NO:
                break
        complete = len(checks) == len(faces)
        return Nondegeneracy(
            polyhedron,
            Answer.all_of(c.strong for c in checks),
            Answer.all_of(c.weak for c in checks),
            tuple(checks),
            complete,
        )


def check_face(polyhedron, face, *, timeout=None):
    """Decide whether the face polynomial g_gamma has a zero, and a singular zero, in the real torus.

    The face polynomial is quasi-homogeneous for the normals of the facets
    through the face, so the torus action lets us fix c = codim(face)
    coordinates to +-1 (a slice meeting every orbit) and test polynomials in
    dim(face) variables: exactly by real root counting in one variable, by
    orthant positivity, fibre root counting and Groebner bases in more.

    Examples
    --------
    >>> P = sg.newton_polyhedron("x**3 + y**3")
    >>> check = sg.check_face(P, P.principal_face)
    >>> check.strong, check.weak, check.witness
    (<Answer.NO>, <Answer.YES>, (1, -1))
    """
    deadline = Deadline.coerce(timeout)
    with guard(deadline, "non-degeneracy of a face"):
        polynomial = polyhedron.face_polynomial(face)
        if len(face.points) == 1:
            return FaceCheck(face, polynomial, Answer.YES, Answer.YES, "a monomial has no zero in the torus")
        if face.dimension >= 2 and _definite_even(polynomial, polyhedron.variables):  # slicing costs 2^codim solves
            return FaceCheck(
                face,
                polynomial,
                Answer.YES,
                Answer.YES,
                "even monomials with coefficients of one sign: each term is non-zero of that sign on the torus",
            )
        with deadline.attempt("the slices of a face") as step:
            return _check_slices(polyhedron, face, polynomial, step.deadline)
        return FaceCheck(face, polynomial, Answer.UNDECIDED, Answer.UNDECIDED, "an exact step ran out of time")


def _definite_even(polynomial, variables):
    """Whether every term is c * x^a with every a_i even and every c of one sign (then no zero in the real torus)."""
    terms = sympy.Poly(polynomial, *variables).terms()
    signs = {sympy.sign(c) for _, c in terms}
    return len(signs) == 1 and all(c.is_Rational for _, c in terms) and all(e % 2 == 0 for m, _ in terms for e in m)


def _check_slices(polyhedron, face, polynomial, deadline):
    variables = polyhedron.variables
    fixed = _slice_coordinates(polyhedron, face)
    free = tuple(v for i, v in enumerate(variables) if i not in fixed)
    one = sympy.expand(polynomial.xreplace({variables[i]: 1 for i in fixed}))
    weak_complex = is_nonsingular_on_complex_torus(one, free, deadline=deadline)
    strong, weak, reasons, witness = [], [], [], None
    terms, answers = _slice_terms(polynomial, variables, fixed), {}
    for signs in itertools.product((1, -1), repeat=len(fixed)):
        deadline.check("non-degeneracy of a face")
        substitution = {variables[i]: s for i, s in zip(fixed, signs)}
        key = _slice_key(terms, signs)  # the slice polynomial's terms: equal keys, equal polynomials, equal answers
        if key not in answers:
            q = sympy.expand(polynomial.xreplace(substitution))
            answers[key] = _slice_answers(q, free, weak_complex, deadline)
        zero, singular, reason, point = answers[key]
        strong.append(zero)
        weak.append(singular)
        reasons.append(reason)
        if point is not None and witness is None:
            witness = _lift(point, free, substitution, variables)
    strong_answer, weak_answer = Answer.all_of(strong), Answer.all_of(weak)
    if weak_answer is Answer.NO:
        strong_answer = Answer.NO
    return FaceCheck(face, polynomial, strong_answer, weak_answer, "; ".join(dict.fromkeys(reasons)), witness)


def _slice_terms(polynomial, variables, fixed):
    """The terms of g_gamma as (coefficient, exponents of the fixed coordinates, exponents of the free ones)."""
    fixed = set(fixed)
    terms = []
    for monomial, c in sympy.Poly(polynomial, *variables).terms():
        on = tuple(e for i, e in enumerate(monomial) if i in fixed)
        off = tuple(e for i, e in enumerate(monomial) if i not in fixed)
        terms.append((c, on, off))
    return terms


def _slice_key(terms, signs):
    """The slice polynomial for the given signs of the fixed coordinates, as a hashable sorted term list.

    Slices whose polynomials coincide (common when the fixed coordinates appear
    with even exponents) are solved once: 2^codim slices collapse to few.
    """
    collected = {}
    for c, on, off in terms:
        sign = 1
        for s, e in zip(signs, on):
            if s < 0 and e % 2:
                sign = -sign
        collected[off] = collected.get(off, 0) + sign * c
    return tuple(sorted((m, c) for m, c in collected.items() if c != 0))


def _slice_coordinates(polyhedron, face):
    """Indices S of c coordinates whose columns of the face's normal matrix are independent."""
    normals = [polyhedron.facets[j].normal for j in face.facets]
    codimension = polyhedron.dimension - face.dimension
    for columns in itertools.combinations(range(polyhedron.dimension), codimension):
        matrix = sympy.Matrix([[a[k] for k in columns] for a in normals])
        if matrix.rank() == codimension:
            return columns
    raise AssertionError("the normals of a face span its normal space")  # pragma: no cover


def _lift(point, free, substitution, variables):
    values = dict(substitution)
    values.update(zip(free, point))
    return tuple(sympy.sympify(values[v]) for v in variables)


def _slice_answers(q, free, weak_complex, deadline):
    """(zero?, singular zero?, reason, witness) for one slice polynomial q; answers are "no such zero"."""
    if q == 0:
        return (
            Answer.NO,
            Answer.NO,
            "the face polynomial vanishes on a whole slice",
            tuple(sympy.Integer(1) for _ in free),
        )
    if not free:
        return Answer.YES, Answer.YES, "constant on the slice", None
    zeros = torus_zeros(q, free, deadline=deadline, nonsingular_over_c=weak_complex)
    return zeros.zero.negated(), zeros.singular.negated(), zeros.reason, zeros.witness
