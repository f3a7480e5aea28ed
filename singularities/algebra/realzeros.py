"""Whether polynomials have a common real zero: a witness point, a certificate that none exists, or undecided.

Two questions live here, each with one home:

* :func:`real_point` -- do polynomials with rational coefficients have a common
  zero in R^n?  YES comes with an exact witness point when one is at hand, NO
  with a :class:`NoRealZero` certificate (a polynomial q of their ideal and the
  reason q has no real zero), otherwise UNDECIDED.  :func:`is_valid_certificate`
  re-verifies such a certificate with code the search does not use (ideal
  membership by another Groebner algorithm and order, Sturm's theorem, the
  expansion of a sum-of-squares identity), so that a wrong NO is caught.
* :func:`torus_zeros` -- does one polynomial have a zero, and a singular zero,
  in the real torus (R \\ {0})^n?  This is the question of real
  non-degeneracy of a face polynomial (docs/conventions.md#non-degeneracy-over-the-reals).

Both use the same eliminant test (:func:`_eliminant_certificate`): a real
common zero projects to a real root of every eliminant, so an eliminant
without real roots proves that there is none.  Every answer is exact;
UNDECIDED is never treated as either YES or NO.
"""

import itertools
import math
from dataclasses import dataclass, field
from enum import Enum

import sympy

from .._limits import BUDGETS, Deadline, call_with_limit
from ..errors import UndecidedSign
from .polys import groebner_basis
from .realroots import number_field_real_root

__all__ = [
    "FIBRES",
    "Answer",
    "NoRealZero",
    "TorusZeros",
    "is_nonsingular_on_complex_torus",
    "is_valid_certificate",
    "no_zero_in_unit_box",
    "open_box_sign",
    "real_point",
    "torus_zeros",
]

FIBRES = 60  # rational fibres searched for a torus zero

_SAMPLES = (0, 1, -1, 2, -2, sympy.Rational(1, 2), -3)
_TORUS_SAMPLES = tuple(
    s * sympy.Rational(p, q)
    for p, q in ((1, 1), (2, 1), (1, 2), (3, 1), (1, 3), (3, 2), (2, 3), (5, 1), (1, 5))
    for s in (1, -1)
)
_TRIALS = 50  # parameter values tried per solution of sympy.solve


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

    def negated(self):
        """The answer to the opposite question: YES and NO swap, UNDECIDED stays."""
        return {Answer.YES: Answer.NO, Answer.NO: Answer.YES}.get(self, Answer.UNDECIDED)


@dataclass(frozen=True, slots=True)
class NoRealZero:
    """A certificate that polynomials have no common real zero: a polynomial q of their ideal without real zero.

    Attributes
    ----------
    kind : str
        Why q has no real zero: ``"unit"`` (q is a non-zero constant among the
        polynomials), ``"groebner"`` (q = 1: the reduced Groebner basis is
        {1}), ``"eliminant"`` (q lies in Q[v] for the one variable
        ``variable`` and has no real root, by Sturm's theorem) or
        ``"definite"`` (q = constant + sum a_i * l_i**2 with the constant
        and every a_i non-zero of one sign).
    polynomial : sympy.Expr
        q.
    variable : sympy.Symbol or None
        v for an eliminant.
    squares : tuple of (a_i, l_i)
        The squares of a definite q.
    constant : sympy.Rational or None
        The constant of a definite q.
    """

    kind: str
    polynomial: sympy.Expr
    variable: sympy.Symbol = field(default=None, repr=False)
    squares: tuple = field(default=(), repr=False)
    constant: sympy.Expr = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class TorusZeros:
    """Whether one polynomial has a zero, and a singular zero, in the real torus (R \\ {0})^n.

    ``zero`` and ``singular`` answer "q vanishes somewhere in the torus" and
    "q and its gradient vanish together somewhere in the torus"; ``witness``
    is an exact torus point where q vanishes, when one was found.
    """

    zero: Answer
    singular: Answer
    reason: str
    witness: tuple = None


def real_point(polynomials, variables, *, deadline=None):
    """Whether the polynomials have a common real zero: (Answer, witness or certificate).

    Exact tests only.  YES comes with a witness point (a tuple of exact
    coordinates, one per variable) when one is at hand (the origin, a root in
    one variable, a solved system whose solution checks by substitution), else
    with None (a sign change, an indefinite quadratic).  NO comes with a
    :class:`NoRealZero` certificate, which :func:`is_valid_certificate`
    verifies by other means.  UNDECIDED, with None, when neither is
    established.

    Parameters
    ----------
    polynomials : sequence of sympy.Expr
        Polynomials with rational coefficients in ``variables``.
    variables : tuple of sympy.Symbol
        The coordinates, in the order of the witness.
    deadline : Deadline or float, optional
        Time limit; a step that exhausts its own budget leaves the answer
        UNDECIDED, the overall limit raises :class:`~singularities.errors.TimeLimitError`.

    Examples
    --------
    >>> from singularities.algebra.realzeros import real_point
    >>> x, y = sympy.symbols("x y")
    >>> real_point([x**2 + y**2 + 1], (x, y))
    (<Answer.NO>, NoRealZero(kind='definite', polynomial=x**2 + y**2 + 1))
    >>> real_point([x**2 + 1, y - x], (x, y))       # complex zeros (i, i) and (-i, -i) only
    (<Answer.NO>, NoRealZero(kind='eliminant', polynomial=x**2 + 1))
    >>> real_point([x**2 - 2, y - 1], (x, y))
    (<Answer.YES>, (-sqrt(2), 1))
    """
    deadline = Deadline.coerce(deadline)
    polys = [p for p in (sympy.expand(q) for q in polynomials) if p != 0]
    zero = {p: 0 for p in polys if p in variables}
    if zero:
        polys = [q for q in (sympy.expand(p.xreplace(zero)) for p in polys) if q != 0]
    if not polys or all(p.xreplace({v: 0 for v in variables}) == 0 for p in polys):
        return Answer.YES, tuple(sympy.Integer(0) for _ in variables)
    constant = next((p for p in polys if p.is_number), None)
    if constant is not None:
        return Answer.NO, NoRealZero("unit", constant)
    free = sorted(set().union(*(p.free_symbols for p in polys)) & set(variables), key=lambda v: v.name)
    if len(polys) == 1:
        answer = _one_polynomial(polys[0], free, variables)
        if answer[0] is not Answer.UNDECIDED:
            return answer
    basis = groebner_basis(polys, free, deadline, stage="Groebner basis", domain=None)
    if list(basis.exprs) == [1]:
        return Answer.NO, NoRealZero("groebner", sympy.Integer(1))
    if len(free) == 1:
        return _univariate_zero(basis.exprs, free[0], variables)
    certificate = _eliminant_certificate(list(basis.exprs), free, deadline, BUDGETS.real_point)
    if certificate is not None:
        return Answer.NO, certificate
    point = _solved_point(list(basis.exprs), free, deadline, BUDGETS.real_point)
    if point is None:
        return Answer.UNDECIDED, None
    return Answer.YES, tuple(point.get(w, sympy.Integer(0)) for w in variables)


def is_valid_certificate(certificate, polynomials, variables, *, deadline=None):
    """Whether ``certificate`` proves that the polynomials have no common real zero, checked without the search's code.

    Membership of q: q is one of the polynomials, or lies in their ideal by a
    lex Groebner basis from sympy's F5B algorithm on every backend (the search
    uses Buchberger's algorithm in grevlex, on FLINT or sympy).  No real zero of q: a non-zero constant; one
    variable and no real root by Sturm's theorem (sign changes of the Sturm
    sequence at -oo and +oo); or the identity q = constant + sum a_i l_i**2,
    expanded, with the constant and every a_i non-zero of one sign.

    Examples
    --------
    >>> from singularities.algebra.realzeros import NoRealZero, is_valid_certificate, real_point
    >>> x, y = sympy.symbols("x y")
    >>> system = [x**2 + 1, y - x]
    >>> is_valid_certificate(real_point(system, (x, y))[1], system, (x, y))
    True
    >>> is_valid_certificate(NoRealZero("eliminant", x**2 - 2, x), system, (x, y))  # x^2 - 2 has real roots
    False
    """
    deadline = Deadline.coerce(deadline)
    if not isinstance(certificate, NoRealZero):
        return False
    q = sympy.expand(certificate.polynomial)
    if certificate.kind in ("unit", "groebner"):
        never_zero = q.is_number and q.is_zero is False
    elif certificate.kind == "eliminant":
        never_zero = len(q.free_symbols) == 1 and _sturm_count(q, *q.free_symbols) == 0
    elif certificate.kind == "definite":
        never_zero = _is_definite_identity(q, certificate.constant, certificate.squares)
    else:
        never_zero = False
    return never_zero and _in_ideal(q, polynomials, variables, deadline)


def torus_zeros(q, variables, *, deadline=None, nonsingular_over_c=False):
    """Whether q has a zero, and a singular zero, in the real torus (R \\ {0})^n.

    One variable: exact real roots (over a number field through the rational
    norm).  More: orthant positivity, exact solutions of the singular system
    and the eliminant test for its singular zeros, real roots on rational
    fibres, and in two variables a cylindrical decomposition.

    Parameters
    ----------
    q : sympy.Expr
        A polynomial in ``variables`` (rational or algebraic coefficients).
    variables : tuple of sympy.Symbol
    deadline : Deadline or float, optional
    nonsingular_over_c : bool
        The caller has shown that q has no singular zero even in the complex
        torus (:func:`is_nonsingular_on_complex_torus`).

    Returns
    -------
    TorusZeros

    Examples
    --------
    >>> from singularities.algebra.realzeros import torus_zeros
    >>> x, y = sympy.symbols("x y")
    >>> torus_zeros(x**2 - y**2, (x, y))     # the lines x = +-y, gradient (2x, -2y) != 0 there
    TorusZeros(zero=<Answer.YES>, singular=<Answer.NO>, reason=..., witness=(1, -1))
    >>> torus_zeros((x - 1)**2 * (x + 2), (x,)).singular
    <Answer.YES>
    """
    deadline = Deadline.coerce(deadline)
    free = tuple(variables)
    if q == 0:
        return TorusZeros(Answer.YES, Answer.YES, "vanishes identically", tuple(sympy.Integer(1) for _ in free))
    if not free or q.is_number:
        return TorusZeros(Answer.NO, Answer.NO, "a non-zero constant")
    if not all(c.is_Rational for c in sympy.Poly(q, *free).coeffs()):
        if len(free) == 1:
            return _univariate_algebraic(q, free[0], deadline)
        return _orthant_answer(q, free, "coefficients are not rational")
    if len(free) == 1:
        return _univariate(q, free[0], deadline)
    return _multivariate(q, free, nonsingular_over_c, deadline)


def is_nonsingular_on_complex_torus(q, variables, *, deadline=None):
    """True when q = grad q = 0 has no solution in the complex torus (C*)^n: the saturated Groebner basis is {1}.

    False means "not shown" (a solution exists, q has irrational
    coefficients, or the step ran out of its budget), never "singular".

    Examples
    --------
    >>> from singularities.algebra.realzeros import is_nonsingular_on_complex_torus
    >>> x, y = sympy.symbols("x y")
    >>> is_nonsingular_on_complex_torus(x**2 - y**2, (x, y))     # singular only at 0, outside the torus
    True
    >>> is_nonsingular_on_complex_torus((x - y)**2, (x, y))       # singular along x = y
    False
    """
    deadline = Deadline.coerce(deadline)
    q = sympy.expand(q)
    if not variables or q == 0 or not all(c.is_Rational for c in sympy.Poly(q, *variables).coeffs()):
        return False
    u = sympy.Dummy("u")
    system = [q] + [q.diff(v) for v in variables] + [1 - u * sympy.Mul(*variables)]
    with deadline.attempt("Groebner basis of the singular locus", BUDGETS.face_solve) as step:
        basis = groebner_basis(system, (u, *variables), step.deadline, stage=step.stage, domain=None)
    return step.ok and list(basis.exprs) == [1]


# ----------------------------------------------------------------------------------------------
# one home for the eliminant test and for solving for a witness


def _eliminant_certificate(polys, free, deadline, seconds, *, torus=False):
    """A :class:`NoRealZero` from an eliminant without real roots, or None ("not shown", never "a zero exists").

    A real common zero projects to a real root of every eliminant.  The
    eliminant in v generates the ideal's intersection with Q[v]: the element
    of the reduced lex basis with v last that lies in Q[v] (none when the
    intersection is 0, for instance along a curve: then the next variable is
    tried).  With ``torus`` the ideal is first saturated by the product of
    the variables (a new variable u with u * prod(free) = 1 goes first), so
    only torus zeros count; the eliminant then has no root 0.  A lex basis
    {1} gives the certificate "groebner".  All lex bases share ``seconds``.
    """
    system, first = list(polys), []
    if torus:
        first = [sympy.Dummy("u")]
        system.append(1 - first[0] * sympy.Mul(*free))
    budget = deadline.sub(seconds)
    for v in free:
        order = first + [w for w in free if w != v] + [v]
        with deadline.attempt("eliminant") as step:
            lex = groebner_basis(system, order, budget, order="lex", stage="eliminant", domain=None)
        if not step.ok:
            return None
        if list(lex.exprs) == [1]:
            return NoRealZero("groebner", sympy.Integer(1))
        q = next((b for b in lex.exprs if b.free_symbols <= {v}), None)
        if q is None:
            continue
        poly = sympy.Poly(q, v)
        if (poly.domain.is_ZZ or poly.domain.is_QQ) and poly.count_roots() == 0:
            return NoRealZero("eliminant", q, v)
    return None


def _solved_point(system, free, deadline, seconds, *, torus=False):
    """A real point {v: value} of the system from sympy.solve, checked by substitution, or None (never "no zero").

    Free parameters of a solution take sample values (non-zero ones with
    ``torus``, where every coordinate must also be provably non-zero).
    """
    with deadline.attempt(
        "solving for a real point", seconds, catch=(NotImplementedError, ValueError, sympy.PolynomialError)
    ) as step:
        solutions = call_with_limit(step.deadline, step.stage, sympy.solve, list(system), list(free), dict=True)
    if not step.ok:
        return None
    samples = _TORUS_SAMPLES if torus else _SAMPLES
    for solution in solutions:
        parameters = [v for v in free if v not in solution]
        for values in itertools.islice(itertools.product(samples, repeat=len(parameters)), _TRIALS):
            trial = {v: sympy.sympify(a) for v, a in zip(parameters, values)}
            point = {v: sympy.sympify(solution.get(v, trial.get(v))).xreplace(trial) for v in free}
            real = all(a.is_real is True and (a.is_zero is False or not torus) for a in point.values())
            if real and all(sympy.simplify(p.xreplace(point)) == 0 for p in system):
                return point
    return None


# ----------------------------------------------------------------------------------------------
# real_point's search


def _one_polynomial(p, free, variables):
    if len(free) == 1:
        return _univariate_zero([p], free[0], variables)
    if sympy.Poly(p, *free).total_degree() <= 2:
        return _quadratic_zero(p, free, variables)
    witness = _sign_change(p, free)
    return (Answer.YES, None) if witness else (Answer.UNDECIDED, None)


def _univariate_zero(polys, v, variables):
    """The polynomials in v alone: their gcd generates the ideal; NO when it has no real root."""
    common = polys[0]
    for p in polys[1:]:
        common = sympy.gcd(common, p)
    poly = sympy.Poly(common, v)
    if poly.degree() <= 0:
        return Answer.NO, NoRealZero("groebner", sympy.Integer(1))
    if not (poly.domain.is_ZZ or poly.domain.is_QQ):
        return Answer.UNDECIDED, None
    if poly.count_roots() == 0:
        return Answer.NO, NoRealZero("eliminant", poly.as_expr(), v)
    root = poly.real_roots()[0]
    return Answer.YES, tuple(root if w == v else sympy.Integer(0) for w in variables)


def _quadratic_zero(p, free, variables):
    """A polynomial of degree <= 2 has a real zero iff it is not bounded away from 0 on one side.

    With Hessian H, p(x) = x.H.x/2 + b.x + c and gradient H x + b.  An
    indefinite H takes both signs.  For a semidefinite H, either b has a
    component along the kernel of H (no critical point: p is linear and
    unbounded along that direction, so takes every value) or p attains its
    extreme value at every critical point.  A NO carries p completed to squares.
    """
    hessian = sympy.hessian(p, free)
    if hessian.is_zero_matrix:
        return Answer.YES, None  # linear and not constant
    positive, negative = hessian.is_positive_semidefinite, hessian.is_negative_semidefinite
    if positive is False and negative is False:
        return Answer.YES, None
    if not (positive or negative):
        return Answer.UNDECIDED, None
    critical = sympy.linsolve([sympy.diff(p, v) for v in free], *free)
    if critical == sympy.EmptySet:
        return Answer.YES, None
    point = dict(zip(free, next(iter(critical))))
    extreme = sympy.expand(p.xreplace(point).xreplace({v: 0 for v in free}))
    extreme = extreme if positive else -extreme
    if extreme.is_positive is False:
        return Answer.YES, None
    squares = _completed_squares(p if positive else -p, free) if extreme.is_positive else None
    if squares is None:
        return Answer.UNDECIDED, None
    sign = 1 if positive else -1
    constant, pairs = squares
    return Answer.NO, NoRealZero(
        "definite", p, squares=tuple((sign * a, l) for a, l in pairs), constant=sign * constant
    )


def _completed_squares(q, variables):
    """(c, ((a_1, l_1), ...)) with q = c + sum a_i l_i^2, every a_i > 0 and c > 0, by completing squares; else None.

    q = a v^2 + b v + r with a > 0 a number and b, r free of v is
    a (v + b/(2a))^2 + (r - b^2/(4a)); a v of degree 1 or above 2 fails.
    """
    q, squares = sympy.expand(q), []
    for v in variables:
        poly = sympy.Poly(q, v)
        if poly.degree() <= 0:
            continue
        if poly.degree() != 2:
            return None
        a, b, r = poly.all_coeffs()
        if not (a.is_number and a.is_positive):
            return None
        squares.append((a, sympy.expand(v + b / (2 * a))))
        q = sympy.expand(r - b**2 / (4 * a))
    return (q, tuple(squares)) if q.is_number and q.is_positive is True else None


def _sign_change(p, free):
    signs = set()
    for count, values in enumerate(itertools.product(_SAMPLES, repeat=len(free))):
        if count > 400:
            break
        s = sympy.sign(p.xreplace(dict(zip(free, values))))
        signs.add(s)
        if s == 0 or {1, -1} <= signs:
            return True
    return False


# ----------------------------------------------------------------------------------------------
# the checker: shares no decision code with the search above


def _in_ideal(q, system, symbols, deadline):
    polys = [p for p in (sympy.expand(s) for s in system) if p != 0]
    if q in polys:
        return True
    if not polys:
        return False
    # sympy's F5B in lex on every backend: independent of the search's Buchberger / FLINT grevlex bases
    basis = groebner_basis(
        polys, symbols, deadline, order="lex", stage="Groebner basis (re-check)", domain=None, method="f5b"
    )
    return basis.contains(q)


def _sturm_count(q, v):
    """The number of distinct real roots of q in v (rational coefficients, else None): sign changes of its
    Sturm sequence at -oo minus at +oo."""
    poly = sympy.Poly(q, v)
    if poly.is_zero or not (poly.domain.is_ZZ or poly.domain.is_QQ):
        return None
    sequence = [poly.to_field(), poly.to_field().diff(v)]
    while not sequence[-1].is_zero:
        sequence.append(-sequence[-2].rem(sequence[-1]))
    return _sign_changes(sequence[:-1], -1) - _sign_changes(sequence[:-1], 1)


def _sign_changes(sequence, at):
    """Sign changes along the polynomials' values at at*oo (at = +-1): the sign of p there is sign(lc) * at**deg."""
    signs = [sympy.sign(p.LC()) * at ** p.degree() for p in sequence]
    return sum(a != b for a, b in itertools.pairwise(signs))


def _is_definite_identity(q, constant, squares):
    """Whether q = constant + sum a_i l_i^2 expands to an identity, with the constant and every a_i rational,
    non-zero, of one sign."""
    coefficients = [constant] + [a for a, _ in squares]
    if not all(isinstance(c, sympy.Basic) and c.is_Rational and c != 0 for c in coefficients):
        return False
    if len({c > 0 for c in coefficients}) != 1:
        return False
    return sympy.expand(q - constant - sum(a * l**2 for a, l in squares)) == 0


# ----------------------------------------------------------------------------------------------
# zeros of one polynomial in the real torus


def _univariate_algebraic(q, t, deadline):
    """The univariate test over a number field, through the rational norm.

    The real roots of q lie among those of its norm N(q) (the product of the
    conjugates, a rational polynomial).  Each isolating interval of N(q)
    holds one of its roots; the square-free part of q, whose roots are all
    simple, vanishes there exactly when it changes sign across the interval.
    """
    with deadline.attempt(
        "real roots over a number field", catch=(sympy.PolynomialError, NotImplementedError, UndecidedSign)
    ) as step:
        poly = sympy.Poly(q, t, extension=True)
        _, poly = poly.terms_gcd()
        poly = sympy.Poly(poly.as_expr(), t, extension=True)
        multiple = sympy.gcd(poly, poly.diff(t))
        simple_part = sympy.div(poly, multiple)[0]
        zero = call_with_limit(deadline.sub(BUDGETS.face_solve), step.stage, number_field_real_root, simple_part, t)
        repeated = number_field_real_root(multiple, t) if multiple.degree() > 0 else None
    if not step.ok:
        return TorusZeros(Answer.UNDECIDED, Answer.UNDECIDED, "algebraic coefficients: roots not decided")
    if repeated is not None:
        return TorusZeros(Answer.YES, Answer.YES, "a multiple real root (a singular zero), over a number field")
    if zero is not None:
        return TorusZeros(Answer.YES, Answer.NO, "simple real roots only (regular zeros), over a number field")
    return TorusZeros(Answer.NO, Answer.NO, "no real root in one variable (norm and sign test over a number field)")


def _univariate(q, t, deadline):
    poly = sympy.Poly(q, t)
    _, poly = poly.terms_gcd()
    poly = sympy.Poly(poly.as_expr(), t)
    roots = call_with_limit(deadline, "real roots of a face polynomial", poly.real_roots)
    nonzero = [r for r in roots if r != 0]
    if not nonzero:
        return TorusZeros(Answer.NO, Answer.NO, "no real root in one variable (exact root count)")
    square_free = sympy.gcd(poly, poly.diff(t))
    multiple = (
        [r for r in call_with_limit(deadline, "multiple roots", sympy.Poly(square_free, t).real_roots) if r != 0]
        if square_free.degree() > 0
        else []
    )
    witness = ((multiple or nonzero)[0],)
    if multiple:
        return TorusZeros(Answer.YES, Answer.YES, "a multiple real root (a singular zero)", witness)
    return TorusZeros(Answer.YES, Answer.NO, "simple real roots only (regular zeros)", witness)


def _multivariate(q, free, nonsingular_over_c, deadline):
    if nonsingular_over_c:
        singular, singular_reason, singular_witness = Answer.NO, "no singular zero even over C (Groebner basis 1)", None
    else:
        singular, singular_reason, singular_witness = _real_singular_zero(q, free, deadline)
    if singular is Answer.YES:
        return TorusZeros(Answer.YES, Answer.YES, singular_reason, singular_witness)
    zero, reason, witness = _find_zero(q, free, deadline)
    if zero is Answer.UNDECIDED and len(free) == 2:
        zero, reason, witness = _plane_zero(q, free, singular, deadline)
    return TorusZeros(zero, singular, f"{reason}; {singular_reason}", witness if zero is Answer.YES else None)


def _plane_zero(q, free, singular, deadline):
    """Decide a real torus zero of q(u, v) by a cylindrical decomposition over u.

    Over each open interval between the real roots of
    u * lc_v(q) * disc_v(q) * q(u, 0) the number of nonzero real roots in v
    is constant, so one rational sample per interval finds every zero curve
    that projects onto an interval; a zero set over a single u is either a
    line u = a (a root of the content) or a set of isolated, hence singular,
    zeros, which ``singular`` NO excludes.
    """
    u, v = free
    with deadline.attempt("projecting a face polynomial", BUDGETS.face_solve) as step:
        projection, content = call_with_limit(step.deadline, step.stage, _projection, q, u, v)
    if not step.ok:
        return Answer.UNDECIDED, "the plane decomposition ran out of time", None
    line = [r for r in content.real_roots() if r != 0] if content.degree() > 0 else []
    if line:
        return Answer.YES, "vanishes on a whole line u = const", (line[0], sympy.Integer(1))
    for sample in _interval_samples(projection):
        deadline.check("plane decomposition of a face polynomial")
        fibre = sympy.Poly(q.xreplace({u: sample}), v)
        _, fibre = fibre.terms_gcd()
        roots = [r for r in sympy.Poly(fibre.as_expr(), v).real_roots() if r != 0] if fibre.as_expr().has(v) else []
        if roots:
            return Answer.YES, "a real zero found by plane decomposition", (sample, roots[0])
    if singular is Answer.NO:
        return Answer.NO, "no real torus zero (exact plane decomposition)", None
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
    for (_, right), (left, _) in itertools.pairwise(intervals):
        samples.append((sympy.Rational(right) + sympy.Rational(left)) / 2)
    samples.append(sympy.Rational(intervals[-1][1]) + 1)
    return [s for s in samples if s != 0]


def _find_zero(q, free, deadline):
    """Show q > 0 or q < 0 orthant by orthant (NO), or find a torus zero on a rational fibre (YES)."""
    if _orthant_definite(q, free):
        return Answer.NO, "same-sign coefficients on every orthant", None
    last = free[-1]
    for values in itertools.islice(itertools.product(_TORUS_SAMPLES, repeat=len(free) - 1), FIBRES):
        deadline.check("searching a torus zero")
        fibre = sympy.Poly(q.xreplace(dict(zip(free[:-1], values))), last)
        if fibre.is_zero:
            return Answer.YES, "vanishes on a rational fibre", tuple(values) + (sympy.Integer(1),)
        _, reduced = fibre.terms_gcd()
        roots = [r for r in sympy.Poly(reduced.as_expr(), last).real_roots() if r != 0] if reduced.degree() > 0 else []
        if roots:
            return Answer.YES, "a real zero on a rational fibre", tuple(values) + (roots[0],)
    return Answer.UNDECIDED, "no zero found and no positivity certificate", None


def _orthant_definite(q, free):
    """Whether on every orthant q has coefficients of one sign (in the signed variables): q != 0 on the torus."""
    for signs in itertools.product((1, -1), repeat=len(free)):
        coefficients = sympy.Poly(q.xreplace({v: s * v for v, s in zip(free, signs)}), *free).coeffs()
        if not (all(c > 0 for c in coefficients) or all(c < 0 for c in coefficients)):
            return False
    return True


def _orthant_answer(q, free, why):
    if _orthant_definite(q, free):
        return TorusZeros(Answer.NO, Answer.NO, "same-sign coefficients on every orthant")
    return TorusZeros(Answer.UNDECIDED, Answer.UNDECIDED, f"{why}; exact tests not available")


def _real_singular_zero(q, free, deadline):
    """Whether q has a real singular zero in the torus: (answer, reason, witness).

    A repeated factor with a real torus zero gives one at once (sums of
    squares and powers); otherwise the singular system is solved exactly, and
    failing a witness the eliminant test may exclude it, each step within a
    budget of ``BUDGETS.face_solve`` per variable.
    """
    _, factors = call_with_limit(deadline, "factoring a face polynomial", sympy.factor_list, q, *free)
    for factor, multiplicity in factors:
        if multiplicity > 1 and any(factor.has(v) for v in free):
            zero, _, witness = _find_zero(sympy.expand(factor), free, deadline)
            if zero is Answer.YES:
                return Answer.YES, "a repeated factor with a real torus zero (a singular zero)", witness
    system = [q] + [q.diff(v) for v in free]
    try:
        point = _solved_point(system, free, deadline, BUDGETS.face_solve, torus=True)
        if point is not None:
            return Answer.YES, "a real singular zero in the torus", tuple(point[v] for v in free)
        excluded = _eliminant_certificate(system, free, deadline, BUDGETS.face_solve * len(free), torus=True)
    except (NotImplementedError, ValueError, sympy.PolynomialError):
        return Answer.UNDECIDED, "the singular locus could not be decided exactly", None
    if excluded is not None and excluded.kind == "groebner":
        return Answer.NO, "no singular zero in the torus even over C (Groebner basis 1)", None
    if excluded is not None:
        return (
            Answer.NO,
            f"no real singular zero in the torus: the eliminant in {excluded.variable} has no real root",
            None,
        )
    return Answer.UNDECIDED, "singular zeros exist over C and none was shown real or excluded", None


#: At most this many Bernstein coefficients (the product of the degrees plus one) are computed.
MAX_BERNSTEIN_COEFFICIENTS = 20000


def open_box_sign(f, variables, box, *, deadline=None):
    """+1 or -1 when f keeps that strict sign on the open box, proven by its Bernstein coefficients; else 0.

    On the box prod [low_v, high_v], f = sum b_a B_a in the tensor Bernstein
    basis of its degrees in each variable; every B_a is positive on the open
    box, so b_a >= 0 for all a, not all zero, gives f > 0 there (and
    b_a <= 0 gives f < 0).  The coefficients are exact rationals.  A zero of
    f on the closed box's boundary is allowed: 1 - a b on [0, 1]^2 has the
    coefficients 1, 1, 1, 0 and vanishes at the corner only.

    Examples
    --------
    >>> from singularities.algebra.realzeros import open_box_sign
    >>> a, b = sympy.symbols("a b")
    >>> open_box_sign(a*b - 1, (a, b), {a: (0, 1), b: (0, 1)})
    -1
    >>> open_box_sign(a*b - sympy.Rational(1, 4), (a, b), {a: (0, 1), b: (0, 1)})
    0
    """
    deadline = Deadline.coerce(deadline)
    f = sympy.expand(f)
    if f == 0:
        return 0
    scaled = sympy.Poly(
        f.xreplace({v: box[v][0] + (box[v][1] - box[v][0]) * v for v in variables}), *variables, domain=sympy.QQ
    )
    degrees = scaled.degree_list()
    if math.prod(d + 1 for d in degrees) > MAX_BERNSTEIN_COEFFICIENTS:
        return 0
    coefficients = {m: sympy.Rational(c) for m, c in scaled.terms()}
    for axis, degree in enumerate(degrees):
        deadline.check("Bernstein coefficients")
        coefficients = _bernstein_axis(coefficients, axis, degree)
    values = [c for c in coefficients.values() if c != 0]
    if values and all(c > 0 for c in values):
        return 1
    if values and all(c < 0 for c in values):
        return -1
    return 0


def _bernstein_axis(coefficients, axis, degree):
    """Power basis -> Bernstein basis of ``degree`` on [0, 1] along one axis: b_i = sum_(j<=i) C(i,j)/C(d,j) a_j."""
    result = {}
    for monomial, a in coefficients.items():
        j = monomial[axis]
        for i in range(j, degree + 1):
            key = monomial[:axis] + (i,) + monomial[axis + 1 :]
            result[key] = result.get(key, 0) + a * sympy.Rational(math.comb(i, j), math.comb(degree, j))
    return result


def no_zero_in_unit_box(polynomial, variables):
    """Whether |constant term| > sum of |other coefficients|: then p has no zero with every |v| <= 1.

    On the torus every cosine and sine lies in [-1, 1], so this settles "no real point" for a circle system
    by the triangle inequality alone (2 + c_y c_z has none; real_point can leave it undecided).

    Examples
    --------
    >>> from singularities.algebra.realzeros import no_zero_in_unit_box
    >>> c, s = sympy.symbols("c s")
    >>> no_zero_in_unit_box(2 + c*s, (c, s)), no_zero_in_unit_box(1 + c*s, (c, s))
    (True, False)
    """
    poly = sympy.Poly(polynomial, *variables)
    constant = poly.coeff_monomial(1)
    rest = sum(abs(c) for m, c in poly.terms() if any(m))
    return constant != 0 and abs(constant) > rest
