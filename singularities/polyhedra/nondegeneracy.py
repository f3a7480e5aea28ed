"""Real non-degeneracy of Newton polyhedra: the strong and weak tests, face by face.

Conventions: docs/conventions.md#non-degeneracy-over-the-reals.  Every answer is
yes, no or undecided; undecided is never treated as yes.
"""

import itertools
from dataclasses import dataclass, field
from enum import Enum

import sympy

from .._exact import UndecidedSign, exact_sign
from .._limits import Deadline, call_with_limit, guard
from .._result import Result, parse_field, register
from ..errors import TimeLimitError
from .newton import Face, NewtonPolyhedron, newton_polyhedron

__all__ = ["Answer", "FaceCheck", "Nondegeneracy", "nondegeneracy", "check_face"]

SOLVE_SECONDS = 10.0
FIBRES = 60

_SAMPLES = tuple(sympy.Rational(p, q) for p, q in ((1, 1), (2, 1), (1, 2), (3, 1), (1, 3), (3, 2), (2, 3), (5, 1), (1, 5)))


class Answer(str, Enum):
    """The answer of an exact test: ``YES``, ``NO`` or ``UNDECIDED``."""

    YES = "yes"
    NO = "no"
    UNDECIDED = "undecided"

    def __repr__(self):
        return f"<Answer.{self.name}>"

    @classmethod
    def all_of(cls, answers):
        """The conjunction: NO if any answer is NO, else UNDECIDED if any is, else YES."""
        answers = list(answers)
        if cls.NO in answers:
            return cls.NO
        return cls.UNDECIDED if cls.UNDECIDED in answers else cls.YES


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
        return cls(Face.from_dict(data["face"]), parse_field(data["polynomial"]), Answer(data["strong"]), Answer(data["weak"]),
                   data["reason"], None if witness is None else tuple(parse_field(c) for c in witness))


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
        rows += [(f"  face {sympy.sstr(c.polynomial)}", f"strong {c.strong.value}, weak {c.weak.value}: {c.reason}")
                 for c in self.faces if c.face.dimension > 0]
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
        return cls(NewtonPolyhedron.from_dict(data), Answer(answers["strong"]), Answer(answers["weak"]),
                   tuple(FaceCheck.from_dict(c) for c in data["faces"]), data["all_faces_checked"])


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
        polyhedron = g if isinstance(g, NewtonPolyhedron) else newton_polyhedron(g, point, variables=variables, parameters=parameters, timeout=deadline)
        faces = polyhedron.compact_faces(timeout=deadline)
        checks = []
        for index, face in enumerate(faces):
            deadline.check("non-degeneracy of the compact faces", index, len(faces))
            checks.append(check_face(polyhedron, face, timeout=deadline))
            if stop_on_failure and checks[-1].weak is Answer.NO:
                break
        complete = len(checks) == len(faces)
        return Nondegeneracy(polyhedron, Answer.all_of(c.strong for c in checks), Answer.all_of(c.weak for c in checks), tuple(checks), complete)


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
            return FaceCheck(face, polynomial, Answer.YES, Answer.YES,
                             "even monomials with coefficients of one sign: each term is non-zero of that sign on the torus")
        try:
            return _check_slices(polyhedron, face, polynomial, deadline)
        except TimeLimitError:
            if deadline.expired():
                raise
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
    weak_complex = _no_complex_singular_zero(polynomial, variables, fixed, free, deadline)
    strong, weak, reasons, witness = [], [], [], None
    for signs in itertools.product((1, -1), repeat=len(fixed)):
        deadline.check("non-degeneracy of a face")
        substitution = {variables[i]: s for i, s in zip(fixed, signs)}
        q = sympy.expand(polynomial.xreplace(substitution))
        zero, singular, reason, point = _slice_answers(q, free, weak_complex, deadline)
        strong.append(zero)
        weak.append(singular)
        reasons.append(reason)
        if point is not None and witness is None:
            witness = _lift(point, free, substitution, variables)
    strong_answer, weak_answer = Answer.all_of(strong), Answer.all_of(weak)
    if weak_answer is Answer.NO:
        strong_answer = Answer.NO
    return FaceCheck(face, polynomial, strong_answer, weak_answer, "; ".join(dict.fromkeys(reasons)), witness)


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
        return Answer.NO, Answer.NO, "the face polynomial vanishes on a whole slice", tuple(sympy.Integer(1) for _ in free)
    if not free:
        return Answer.YES, Answer.YES, "constant on the slice", None
    if not all(c.is_Rational for c in sympy.Poly(q, *free).coeffs()):
        if len(free) == 1:
            return _univariate_algebraic(q, free[0], deadline)
        return _positive_or_undecided(q, free, "coefficients are not rational")
    if len(free) == 1:
        return _univariate(q, free[0], deadline)
    return _multivariate(q, free, weak_complex, deadline)


def _univariate_algebraic(q, t, deadline):
    """The univariate test over a number field, through the rational norm.

    The real roots of q lie among those of its norm N(q) (the product of the
    conjugates, a rational polynomial).  Each isolating interval of N(q)
    holds one of its roots; the square-free part of q, whose roots are all
    simple, vanishes there exactly when it changes sign across the interval.
    """
    try:
        poly = sympy.Poly(q, t, extension=True)
        _, poly = poly.terms_gcd()
        poly = sympy.Poly(poly.as_expr(), t, extension=True)
        multiple = sympy.gcd(poly, poly.diff(t))
        simple_part = sympy.div(poly, multiple)[0]
        zero = call_with_limit(deadline.sub(SOLVE_SECONDS), "real roots over a number field", _algebraic_real_root, simple_part, t)
        repeated = _algebraic_real_root(multiple, t) if multiple.degree() > 0 else None
    except (TimeLimitError, sympy.PolynomialError, NotImplementedError, UndecidedSign) as exc:
        if isinstance(exc, TimeLimitError) and deadline.expired():
            raise
        return Answer.UNDECIDED, Answer.UNDECIDED, "algebraic coefficients: roots not decided", None
    if repeated is not None:
        return Answer.NO, Answer.NO, "a multiple real root (a singular zero), over a number field", None
    if zero is not None:
        return Answer.NO, Answer.YES, "simple real roots only (regular zeros), over a number field", None
    return Answer.YES, Answer.YES, "no real root in one variable (norm and sign test over a number field)", None


def _algebraic_real_root(poly, t):
    """An isolating interval of a nonzero real root of the square-free ``poly``, or None."""
    if poly.degree() <= 0:
        return None
    norm = sympy.Poly(poly.norm().as_expr(), t) if not poly.domain.is_QQ and not poly.domain.is_ZZ else poly
    norm = sympy.Poly(sympy.sqf_part(norm.as_expr()), t)
    for (left, right), _ in norm.intervals():
        left, right = sympy.Rational(left), sympy.Rational(right)
        if left == right:
            if left != 0 and exact_sign(poly.as_expr().xreplace({t: left})) == 0:
                return (left, right)
            continue
        if exact_sign(poly.as_expr().xreplace({t: left})) * exact_sign(poly.as_expr().xreplace({t: right})) < 0:
            return (left, right)
    return None


def _univariate(q, t, deadline):
    poly = sympy.Poly(q, t)
    _, poly = poly.terms_gcd()
    poly = sympy.Poly(poly.as_expr(), t)
    roots = call_with_limit(deadline, "real roots of a face polynomial", poly.real_roots)
    nonzero = [r for r in roots if r != 0]
    if not nonzero:
        return Answer.YES, Answer.YES, "no real root in one variable (exact root count)", None
    square_free = sympy.gcd(poly, poly.diff(t))
    multiple = [r for r in call_with_limit(deadline, "multiple roots", sympy.Poly(square_free, t).real_roots) if r != 0] if square_free.degree() > 0 else []
    witness = ((multiple or nonzero)[0],)
    if multiple:
        return Answer.NO, Answer.NO, "a multiple real root (a singular zero)", witness
    return Answer.NO, Answer.YES, "simple real roots only (regular zeros)", witness


def _multivariate(q, free, weak_complex, deadline):
    if weak_complex:
        singular, singular_reason, singular_witness = Answer.YES, "no singular zero even over C (Groebner basis 1)", None
    else:
        singular, singular_reason, singular_witness = _real_singular_zero(q, free, deadline)
    if singular is Answer.NO:
        return Answer.NO, Answer.NO, singular_reason, singular_witness
    zero, reason, witness = _find_zero(q, free, deadline)
    if zero is Answer.UNDECIDED and len(free) == 2:
        zero, reason, witness = _plane_zero(q, free, singular, deadline)
    if zero is Answer.NO:
        return Answer.NO, singular, f"{reason}; {singular_reason}", witness
    return zero, singular, f"{reason}; {singular_reason}", None


def _plane_zero(q, free, singular, deadline):
    """Decide a real torus zero of q(u, v) by a cylindrical decomposition over u.

    Over each open interval between the real roots of
    u * lc_v(q) * disc_v(q) * q(u, 0) the number of nonzero real roots in v
    is constant, so one rational sample per interval finds every zero curve
    that projects onto an interval; a zero set over a single u is either a
    line u = a (a root of the content) or a set of isolated, hence singular,
    zeros, which ``singular`` YES excludes.
    """
    u, v = free
    try:
        projection, content = call_with_limit(deadline.sub(SOLVE_SECONDS), "projecting a face polynomial", _projection, q, u, v)
    except TimeLimitError:
        if deadline.expired():
            raise
        return Answer.UNDECIDED, "the plane decomposition ran out of time", None
    line = [r for r in content.real_roots() if r != 0] if content.degree() > 0 else []
    if line:
        return Answer.NO, "vanishes on a whole line u = const", (line[0], sympy.Integer(1))
    for sample in _interval_samples(projection):
        deadline.check("plane decomposition of a face polynomial")
        fibre = sympy.Poly(q.xreplace({u: sample}), v)
        _, fibre = fibre.terms_gcd()
        roots = [r for r in sympy.Poly(fibre.as_expr(), v).real_roots() if r != 0] if fibre.as_expr().has(v) else []
        if roots:
            return Answer.NO, "a real zero found by plane decomposition", (sample, roots[0])
    if singular is Answer.YES:
        return Answer.YES, "no real torus zero (exact plane decomposition)", None
    return Answer.UNDECIDED, "no zero curve; isolated singular zeros not excluded", None


def _projection(q, u, v):
    poly = sympy.Poly(q, v)
    content = sympy.Poly(sympy.gcd_list(poly.all_coeffs()), u)
    factors = [u, poly.LC(), sympy.Poly(q.xreplace({v: 0}), u).as_expr()]
    if poly.degree() > 1:
        factors.append(sympy.discriminant(poly.as_expr(), v))
    projection = sympy.Poly(sympy.Mul(*[f for f in factors if f != 0]), u)
    return projection, content


def _interval_samples(projection):
    """A rational point in each open interval between the real roots of ``projection``."""
    intervals = [interval for interval, _ in projection.intervals()]
    if not intervals:
        return [sympy.Integer(1), sympy.Integer(-1)]
    samples = [sympy.Rational(intervals[0][0]) - 1]
    for (_, right), (left, _) in zip(intervals, intervals[1:]):
        samples.append((sympy.Rational(right) + sympy.Rational(left)) / 2)
    samples.append(sympy.Rational(intervals[-1][1]) + 1)
    return [s for s in samples if s != 0]


def _find_zero(q, free, deadline):
    """Prove q > 0 or q < 0 orthant by orthant, or find a torus zero on a rational fibre."""
    if all(_orthant_definite(q, free, signs) for signs in itertools.product((1, -1), repeat=len(free))):
        return Answer.YES, "same-sign coefficients on every orthant", None
    last = free[-1]
    for values in itertools.islice(_sample_points(len(free) - 1), FIBRES):
        deadline.check("searching a torus zero")
        fibre = sympy.Poly(q.xreplace(dict(zip(free[:-1], values))), last)
        if fibre.is_zero:
            return Answer.NO, "vanishes on a rational fibre", tuple(values) + (sympy.Integer(1),)
        _, reduced = fibre.terms_gcd()
        roots = [r for r in sympy.Poly(reduced.as_expr(), last).real_roots() if r != 0] if reduced.degree() > 0 else []
        if roots:
            return Answer.NO, "a real zero on a rational fibre", tuple(values) + (roots[0],)
    return Answer.UNDECIDED, "no zero found and no positivity certificate", None


def _orthant_definite(q, free, signs):
    coefficients = sympy.Poly(q.xreplace({v: s * v for v, s in zip(free, signs)}), *free).coeffs()
    return all(c > 0 for c in coefficients) or all(c < 0 for c in coefficients)


def _sample_points(dimension):
    signed = [s * v for v in _SAMPLES for s in (1, -1)]
    return itertools.product(signed, repeat=dimension)


def _no_complex_singular_zero(polynomial, variables, fixed, free, deadline):
    """True when g_gamma = grad g_gamma = 0 has no solution in the complex torus (Groebner basis is 1)."""
    if not free:
        return False
    q = sympy.expand(polynomial.xreplace({variables[i]: 1 for i in fixed}))
    if q == 0 or not all(c.is_Rational for c in sympy.Poly(q, *free).coeffs()):
        return False
    u = sympy.Dummy("u")
    system = [q] + [q.diff(v) for v in free] + [1 - u * sympy.Mul(*free)]
    try:
        basis = call_with_limit(deadline.sub(SOLVE_SECONDS), "Groebner basis of the singular locus", sympy.groebner, system, u, *free, order="grevlex")
    except TimeLimitError:
        if deadline.expired():
            raise
        return False
    return list(basis.exprs) == [1]


def _real_singular_zero(q, free, deadline):
    """Search the real singular zeros of q in the torus exactly; (answer "none", reason, witness).

    A repeated factor with a real torus zero gives one at once (sums of
    squares and powers); otherwise the singular system is solved exactly
    within a budget of ``SOLVE_SECONDS``.
    """
    _, factors = call_with_limit(deadline, "factoring a face polynomial", sympy.factor_list, q, *free)
    for factor, multiplicity in factors:
        if multiplicity > 1 and any(factor.has(v) for v in free):
            zero, _, witness = _find_zero(sympy.expand(factor), free, deadline)
            if zero is Answer.NO:
                return Answer.NO, "a repeated factor with a real torus zero (a singular zero)", witness
    system = [q] + [q.diff(v) for v in free]
    try:
        witness = _solved_witness(system, free, deadline)
        if witness is not None:
            return Answer.NO, "a real singular zero in the torus", witness
        excluded = _eliminant_without_real_roots(system, free, deadline)
    except (NotImplementedError, TimeLimitError, ValueError, sympy.PolynomialError) as exc:
        if isinstance(exc, TimeLimitError) and deadline.expired():
            raise
        return Answer.UNDECIDED, "the singular locus could not be decided exactly", None
    if excluded is not None:
        return Answer.YES, f"no real singular zero in the torus: the eliminant in {excluded} has no nonzero real root", None
    return Answer.UNDECIDED, "singular zeros exist over C and none was shown real or excluded", None


def _solved_witness(system, free, deadline):
    """A provably real torus point of the singular locus from an exact solution, or None."""
    solutions = call_with_limit(deadline.sub(SOLVE_SECONDS), "solving for singular zeros", sympy.solve, system, list(free), dict=True)
    for solution in solutions:
        point = _real_torus_point(solution, free, system)
        if point is not None:
            return point
    return None


def _eliminant_without_real_roots(system, free, deadline):
    """A variable whose eliminant (on the torus) has no nonzero real root, proving no real solution; else None.

    Only a zero-dimensional saturated ideal has univariate eliminants; the
    answer None means "not proven", never "there is a real solution".
    """
    u = sympy.Dummy("u")
    saturated = list(system) + [1 - u * sympy.Mul(*free)]
    for variable in free:
        others = [v for v in free if v != variable]
        basis = call_with_limit(deadline.sub(SOLVE_SECONDS), "eliminants of the singular locus",
                                sympy.groebner, saturated, u, *others, variable, order="lex")
        if list(basis.exprs) == [1]:
            return variable
        if not basis.is_zero_dimensional:
            return None
        eliminant = next(sympy.Poly(e, variable) for e in reversed(basis.exprs) if e.free_symbols <= {variable})
        if not [r for r in eliminant.real_roots() if r != 0]:
            return variable
    return None


def _real_torus_point(solution, free, system):
    """Substitute sample values for free parameters; keep a point only if it is provably real, nonzero and a solution."""
    for values in itertools.islice(_sample_points(len(free)), 50):
        trial = dict(zip(free, values))
        point = tuple(sympy.sympify(solution.get(v, trial[v])).xreplace(trial) for v in free)
        provable = all(c.is_real is True and c.is_zero is False for c in point)
        if provable and all(sympy.simplify(e.xreplace(dict(zip(free, point)))) == 0 for e in system):
            return point
        if all(v in solution for v in free):
            return None
    return None


def _positive_or_undecided(q, free, why):
    if all(_orthant_definite(q, free, signs) for signs in itertools.product((1, -1), repeat=len(free))):
        return Answer.YES, Answer.YES, "same-sign coefficients on every orthant", None
    return Answer.UNDECIDED, Answer.UNDECIDED, f"{why}; exact tests not available", None
