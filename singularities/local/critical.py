"""Critical points of a polynomial energy on R^n: exact, certified real, with components.

The critical set {grad f = 0} is split into pieces by factoring the generators
of the gradient ideal.  A piece with finitely many points is solved exactly
through a separating linear form u (the shape lemma: every coordinate is a
rational polynomial in u, and u runs over the roots of one rational
polynomial), so reality is decided by exact real-root isolation.  A piece of
positive dimension is reported as a component with an exact sample point.
When the exact solve runs out of its budget, every real critical point is
certified instead by an interval Krawczyk test inside isolating boxes.
Critical point and critical value: docs/conventions.md#functions-points-and-variables;
Hessian rank, corank, inertia, Morse index, certificates and limitations:
docs/critical_points.md.
"""

import contextlib
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations, islice, product

import mpmath
import sympy

from .._exact import exact_string, parse_exact, require_exact
from .._limits import Deadline, call_with_limit, guard
from .._result import Result, from_dict, register
from ..energy import Energy, as_energy
from ..errors import InputError, MethodNotApplicableError, NumericError, NotCriticalError, TimeLimitError, UnknownMethodError
from ..jets import require_analytic_at_point

__all__ = [
    "CriticalPoint",
    "CriticalComponent",
    "CriticalSet",
    "critical_points",
    "critical_point",
    "hessian_inertia",
    "solve_system",
    "split_ideal",
    "METHODS",
    "CERTIFICATES",
]

METHODS = ("auto", "exact", "interval")
CERTIFICATES = ("exact", "interval")
EXACT_SECONDS = 60.0  # budget of the exact solve before method="auto" turns to interval certificates
DECOMPOSE_SECONDS = 60.0  # budget for splitting a positive-dimensional critical set
SAMPLE_SECONDS = 10.0  # budget for finding a sample point on one component
SAMPLE_VALUES = (0, 1, -1, 2, -2, 3, -3, sympy.Rational(1, 2), sympy.Rational(-1, 2))
MAX_SLICES = 40
PLAIN_SEPARATING_FORMS = 3  # forms tried before the ideal is made radical
MAX_SEPARATING_FORMS = 12
MAX_REFINEMENTS = 60  # bisections of an isolating box before an interval cell is undecided
MAX_SIGN_REFINEMENTS = 2000
INTERVAL_BITS = 113


@register("critical_point")
@dataclass(frozen=True, slots=True)
class CriticalPoint(Result):
    """A real critical point p of f, with its exact critical value and Hessian inertia.

    Attributes
    ----------
    point : tuple
        Exact real coordinates in variable order: rationals, real radicals,
        or ``CRootOf`` (real algebraic numbers given by a polynomial and the
        index of the root in increasing order).
    value : sympy.Expr
        The critical value c = f(p), exact.
    hessian_rank : int
        Rank of the Hessian matrix of f at p.
    corank : int
        n - rank; 0 for a Morse point.
    inertia : tuple
        (n_plus, n_minus), the numbers of positive and negative Hessian
        eigenvalues (Sylvester's inertia, decided exactly).
    certificate : str
        ``"exact"``: found by exact algebra, reality decided by exact
        real-root isolation; ``"interval"``: a unique critical point in a
        small box proven by the interval Krawczyk test (docs/critical_points.md).

    Examples
    --------
    >>> from singularities.local.critical import critical_point
    >>> p = critical_point("x**2 - y**2", (0, 0))
    >>> p.morse_index, p.is_morse, p.inertia
    (1, True, (1, 1))
    """

    point: tuple
    value: sympy.Expr
    hessian_rank: int
    corank: int
    inertia: tuple
    certificate: str

    def __post_init__(self):
        require_exact(self.point, "point")
        require_exact(self.value, "value")
        if self.certificate not in CERTIFICATES:
            raise InputError(f"certificate must be one of {', '.join(CERTIFICATES)}, got {self.certificate!r}")

    @property
    def morse_index(self):
        """The Morse index: the number n_minus of negative Hessian eigenvalues."""
        return self.inertia[1]

    @property
    def is_morse(self):
        """Whether the Hessian is non-degenerate (corank 0)."""
        return self.corank == 0

    def numeric(self, dps=30):
        """The coordinates as mpmath ``mpf`` numbers with ``dps`` digits.

        Examples
        --------
        >>> import mpmath
        >>> from singularities.local.critical import critical_point
        >>> x, y = critical_point("x**3 - x + y**2", "sqrt(3)/3, 0").numeric(40)
        >>> mpmath.nstr(x, 30), y
        ('0.577350269189625764509148780502', mpf('0.0'))
        """
        with mpmath.workdps(dps):
            return tuple(mpmath.mpf(sympy.N(c, dps)) for c in self.point)

    def to_rows(self):
        rows = [
            ("point", _point_text(self.point)),
            ("critical value", self.value),
            ("Hessian rank", self.hessian_rank),
            ("corank", self.corank),
            ("inertia (n+, n-)", f"({self.inertia[0]}, {self.inertia[1]})"),
            ("Morse index", self.morse_index),
            ("certificate", self.certificate),
        ]
        return ("quantity", "value"), rows

    def to_dict(self):
        return {"kind": "critical_point", **_point_dict(self)}

    @classmethod
    def from_dict(cls, data):
        """Rebuild a point from :meth:`to_dict` output (or an entry of a set's ``"points"``)."""
        return cls(
            point=tuple(parse_exact(c) for c in data["point"]),
            value=parse_exact(data["value"]),
            hessian_rank=data["hessian_rank"],
            corank=data["corank"],
            inertia=tuple(data["inertia"]),
            certificate=data["certificate"],
        )


@register("critical_component")
@dataclass(frozen=True, slots=True)
class CriticalComponent:
    """A positive-dimensional piece of the critical set, {equations = 0}.

    Attributes
    ----------
    dimension : int
        Dimension of the (complex) algebraic set defined by ``equations``.
    equations : tuple
        Polynomials whose common zeros form the piece.  It is found by
        factoring, so it may still be a union of several irreducible components.
    sample_point : tuple or None
        An exact real point of the piece, verified by exact substitution; None
        if none was found.
    value : sympy.Expr or None
        f on the piece when f - value reduces to 0 modulo the equations, else None.
    real_dimension : int or None
        ``dimension`` when the sample point is a regular point (the Jacobian
        of the equations has rank n - dimension there), so the real critical
        set is a manifold of that dimension near it; None when not proven
        (for x**2 + y**2 the only real point is the singular point 0).
    decomposed : bool
        False when the splitting ran out of time: the equations are then the
        whole Groebner basis and the piece is the entire critical set.
    """

    dimension: int
    equations: tuple
    sample_point: tuple = None
    value: sympy.Expr = None
    real_dimension: int = None
    decomposed: bool = True

    def __post_init__(self):
        require_exact(self.equations, "equations")
        require_exact(self.sample_point or (), "sample_point")

    def to_dict(self):
        """JSON-safe form, exact values as sympy strings."""
        return {
            "kind": "critical_component",
            "dimension": self.dimension,
            "equations": [exact_string(e) for e in self.equations],
            "sample_point": None if self.sample_point is None else [exact_string(c) for c in self.sample_point],
            "value": None if self.value is None else exact_string(self.value),
            "real_dimension": self.real_dimension,
            "decomposed": self.decomposed,
        }

    @classmethod
    def from_dict(cls, data):
        """Rebuild a component from :meth:`to_dict` output."""
        sample = data.get("sample_point")
        return cls(
            dimension=data["dimension"],
            equations=tuple(parse_exact(e) for e in data["equations"]),
            sample_point=None if sample is None else tuple(parse_exact(c) for c in sample),
            value=None if data.get("value") is None else parse_exact(data["value"]),
            real_dimension=data.get("real_dimension"),
            decomposed=data.get("decomposed", True),
        )


@register("critical_points")
@dataclass(frozen=True, slots=True)
class CriticalSet(Result):
    """All real critical points of f: isolated points and positive-dimensional components.

    Attributes
    ----------
    points : tuple of CriticalPoint
        Isolated real critical points, sorted by critical value, then by coordinates.
    components : tuple of CriticalComponent
        Pieces of dimension >= 1 (empty when grad f = 0 has finitely many solutions).
    energy : Energy
        The input.
    """

    points: tuple
    components: tuple
    energy: Energy = field(repr=False, default=None)

    def morse_counts(self):
        """``{Morse index: number of Morse points}`` over the isolated points.

        Examples
        --------
        >>> from singularities.local.critical import critical_points
        >>> critical_points("(x**2 - 1)**2 + y**2").morse_counts()
        {0: 2, 1: 1}
        """
        counts = {}
        for p in self.points:
            if p.is_morse:
                counts[p.morse_index] = counts.get(p.morse_index, 0) + 1
        return dict(sorted(counts.items()))

    def to_rows(self):
        header = ("critical point", "value", "rank", "corank", "Morse index", "certificate")
        rows = [(_point_text(p.point), p.value, p.hessian_rank, p.corank, p.morse_index, p.certificate) for p in self.points]
        rows += [(_component_text(c), c.value, None, None, None, None) for c in self.components]
        if not rows:
            rows = [("no real critical point", None, None, None, None, None)]
        return header, rows

    def to_dict(self):
        data = {
            "kind": "critical_points",
            "points": [_point_dict(p) for p in self.points],
            "components": [c.to_dict() for c in self.components],
        }
        if self.energy is not None:
            data["input"] = self.energy.to_dict()
        return data

    @classmethod
    def from_dict(cls, data):
        """Rebuild the set from :meth:`to_dict` output.

        Examples
        --------
        >>> from singularities.local.critical import CriticalSet, critical_points
        >>> found = critical_points("(x**2 + y**2 - 1)**2")
        >>> CriticalSet.from_dict(found.to_dict()) == found
        True
        """
        return cls(
            points=tuple(CriticalPoint.from_dict(p) for p in data["points"]),
            components=tuple(CriticalComponent.from_dict(c) for c in data["components"]),
            energy=from_dict(data.get("input")),
        )


def critical_points(f, *, variables=None, parameters=None, method="auto", timeout=None):
    """All real critical points of a polynomial f on R^n, exactly.

    Parameters
    ----------
    f : str, sympy.Expr or Energy
        A polynomial with rational coefficients (after parameter values are substituted).
    variables : str or sequence, optional
        Variable order (docs/conventions.md#functions-points-and-variables).
    parameters : str or dict, optional
        Parameter values; every parameter needs one.
    method : {"auto", "exact", "interval"}
        "exact" solves grad f = 0 exactly; "interval" certifies each real
        point by the Krawczyk test (finitely many points only); "auto" tries
        "exact" for up to ``EXACT_SECONDS`` and then turns to "interval".
    timeout : float, optional
        Time limit in seconds for the whole computation.

    Returns
    -------
    CriticalSet
        Isolated points (exact coordinates, value, rank, inertia, certificate)
        and positive-dimensional components.

    Raises
    ------
    InputError
        If f is not a polynomial with rational coefficients or a parameter has no value.
    NumericError
        If the interval method meets a candidate it can neither prove nor
        exclude (a degenerate critical point); never a silent drop.
    TimeLimitError
        If the time limit passes.

    Examples
    --------
    >>> from singularities.local.critical import critical_points
    >>> found = critical_points("(x**2 - 1)**2 + y**2")
    >>> [(p.point, p.value, p.morse_index) for p in found.points]
    [((-1, 0), 0, 0), ((1, 0), 0, 0), ((0, 0), 1, 1)]
    >>> circle = critical_points("(x**2 + y**2 - 1)**2")
    >>> circle.components[0].equations, circle.components[0].value
    ((x**2 + y**2 - 1,), 0)
    >>> circle.points[0].point, circle.points[0].morse_index
    ((0, 0), 2)
    """
    if method not in METHODS:
        raise UnknownMethodError(method, METHODS)
    deadline = Deadline.coerce(timeout)
    with guard(deadline, "critical points"):
        energy, system = _polynomial_system(f, variables, parameters)
        if all(g.is_zero for g in system.gradient):
            return CriticalSet((), (_whole_space(system),), energy)
        basis = _groebner(system.gradient, system.variables, deadline, "grevlex", "Groebner basis of the gradient ideal")
        if _is_unit(basis):
            return CriticalSet((), (), energy)
        if _dimension(basis, system.variables)[0] == 0:
            return CriticalSet(_sorted(_isolated_points(system, basis, method, deadline)), (), energy)
        if method == "interval":
            raise MethodNotApplicableError("interval", "the critical set is positive-dimensional; use method='auto' or 'exact'")
        points, components = _critical_set(system, basis, deadline)
        return CriticalSet(_sorted(points), components, energy)


def solve_system(equations, variables, *, value=0, matrix=None, timeout=None):
    """Every real solution of a polynomial system over QQ, exactly: the general form of :func:`critical_points`.

    The equations take the place of the gradient: zero-dimensional pieces
    give exact isolated points and positive-dimensional pieces give
    components, exactly as in docs/critical_points.md.  Each point carries
    the exact value of the polynomial ``value`` there and the inertia of the
    symmetric polynomial ``matrix`` there (default: none, which reads as
    the zero matrix: inertia (0, 0)).

    Parameters
    ----------
    equations : sequence of sympy.Expr
        Polynomials with rational coefficients in ``variables``.
    variables : sequence of sympy.Symbol
    value : sympy.Expr
        A polynomial evaluated exactly at each solution (the point's ``value``).
    matrix : sympy.Matrix, optional
        A symmetric matrix of polynomials; its inertia at each solution gives
        the point's ``inertia``, ``hessian_rank`` and ``corank``.
    timeout : float or Deadline, optional

    Examples
    --------
    >>> from singularities.local.critical import solve_system
    >>> c, s = sympy.symbols("c s")
    >>> found = solve_system([s, c**2 + s**2 - 1], (c, s), value=c)
    >>> [(p.point, p.value) for p in found.points]
    [((-1, 0), -1), ((1, 0), 1)]
    """
    deadline = Deadline.coerce(timeout)
    with guard(deadline, "solving a polynomial system"):
        variables = tuple(variables)
        system = _System.general(equations, variables, value, matrix)
        if all(g.is_zero for g in system.gradient):
            return CriticalSet((), (_whole_space(system),), None)
        basis = _groebner(system.gradient, variables, deadline, "grevlex", "Groebner basis of the system")
        if _is_unit(basis):
            return CriticalSet((), (), None)
        if _dimension(basis, variables)[0] == 0:
            return CriticalSet(_sorted(_isolated_points(system, basis, "exact", deadline)), (), None)
        points, components = _critical_set(system, basis, deadline)
        return CriticalSet(_sorted(points), components, None)


def split_ideal(equations, variables, *, timeout=None):
    """The ideal of ``equations`` split along the factors of its generators (docs/critical_points.md#components).

    Returns Groebner bases (grevlex) whose zero sets together make up the
    zero set of the equations; each has irreducible, square-free generators.

    Examples
    --------
    >>> from singularities.local.critical import split_ideal
    >>> x, y = sympy.symbols("x y")
    >>> sorted(sympy.sstr(b.exprs) for b in split_ideal([x*y, x*(x - 1)], (x, y)))
    ['[x - 1, y]', '[x]']
    """
    return _split(list(equations), tuple(variables), Deadline.coerce(timeout))


def critical_point(f, point, *, variables=None, parameters=None):
    """The critical point of f at a given point, after checking grad f(point) = 0 exactly.

    Unlike :func:`critical_points`, f may be any function analytic at the
    point (a trigonometric dispersion at (pi, 0), say).

    Raises
    ------
    NotCriticalError
        If the gradient does not vanish at the point; it carries the gradient.

    Examples
    --------
    >>> from singularities.local.critical import critical_point
    >>> critical_point("x**4 - y**2", (0, 0))
    CriticalPoint(point=(0, 0), value=0, hessian_rank=1, corank=1, inertia=(0, 1), certificate='exact')
    >>> critical_point("-2*cos(x) - 2*cos(y)", "pi, 0").inertia
    (1, 1)
    >>> critical_point("x**2 + y", (0, 0))
    Traceback (most recent call last):
    ...
    singularities.errors.NotCriticalError: the point (0, 0) is not critical: the gradient there is (0, 1); omit the point to search for all critical points
    """
    energy = as_energy(f, point, variables=variables, parameters=parameters)
    _require_values(energy)
    if not energy.is_polynomial():
        require_analytic_at_point(energy)
    at = dict(zip(energy.variables, energy.point))
    gradient = tuple(sympy.simplify(sympy.diff(energy.expr, v).xreplace(at)) for v in energy.variables)
    if any(_sign_of_number(g) != 0 for g in gradient):
        raise NotCriticalError(gradient, tuple(energy.point))
    hessian = sympy.hessian(energy.expr, energy.variables).xreplace(at)
    n_plus, n_minus, rank = hessian_inertia(hessian)
    n = len(energy.variables)
    return CriticalPoint(tuple(energy.point), _canonical(energy.value()), rank, n - rank, (n_plus, n_minus), "exact")


def hessian_inertia(matrix):
    """Sylvester's inertia (n_plus, n_minus, rank) of a real symmetric matrix with exact entries.

    The characteristic polynomial of a real symmetric matrix has only real
    roots, so Descartes' rule of signs counts its positive roots exactly; the
    power of t dividing it is the nullity.  Each coefficient's sign is decided
    exactly through its minimal polynomial (see docs/critical_points.md).

    Examples
    --------
    >>> from singularities.local.critical import hessian_inertia
    >>> hessian_inertia(sympy.Matrix([[2, 1], [1, 2]]))
    (2, 0, 2)
    >>> hessian_inertia(sympy.Matrix([[1, sympy.sqrt(2)], [sympy.sqrt(2), 2]]))
    (1, 0, 1)
    """
    matrix = sympy.Matrix(matrix)
    if not matrix.is_square:
        raise InputError(f"a Hessian is square; got a {matrix.rows}x{matrix.cols} matrix")
    if any(_sign_of_number(e) != 0 for e in (matrix - matrix.T)):
        raise InputError("the matrix is not symmetric; inertia is defined here for symmetric matrices")
    t = sympy.Dummy("t")
    coefficients = matrix.charpoly(t).all_coeffs()
    return _inertia_from_signs([_sign_of_number(sympy.expand(c)) for c in coefficients])


# ---------------------------------------------------------------------------
# input


class _System:
    """f as a rational polynomial, with its gradient and Hessian."""

    def __init__(self, poly, variables, gradient=None, hessian=None):
        self.poly, self.variables = poly, variables
        self.gradient = [poly.diff(v) for v in variables] if gradient is None else gradient
        self.hessian = [[g.diff(v) for v in variables] for g in self.gradient] if hessian is None else hessian
        self.charpoly = _charpoly_coefficients([[h.as_expr() for h in row] for row in self.hessian])

    @classmethod
    def general(cls, equations, variables, value, matrix):
        """A system whose equations play the gradient's part (no interval method: the matrix need not be their Jacobian)."""
        def poly(expr, what):
            p = sympy.Poly(expr, *variables)
            if not (p.domain.is_ZZ or p.domain.is_QQ):
                raise InputError(f"{what} {expr} does not have rational coefficients in {', '.join(map(str, variables))}; "
                                 "substitute exact rational parameter values first")
            return p.set_domain(sympy.QQ)

        gradient = [poly(e, "equation") for e in equations]
        if matrix is None:
            matrix = sympy.zeros(len(variables), len(variables))
        rows = sympy.Matrix(matrix).tolist()
        hessian = [[poly(h, "matrix entry") for h in row] for row in rows]
        return cls(poly(value, "value"), variables, gradient, hessian)

    @property
    def expr(self):
        return self.poly.as_expr()


def _polynomial_system(f, variables, parameters):
    energy = as_energy(f, variables=variables, parameters=parameters)
    _require_values(energy)
    if not energy.is_polynomial():
        raise InputError(
            f"critical points need a polynomial; {energy.expr} is not a polynomial in "
            f"{', '.join(map(str, energy.variables))}; use critical_point(f, point) to check a known point"
        )
    poly = sympy.Poly(energy.expr, *energy.variables)
    if not (poly.domain.is_ZZ or poly.domain.is_QQ):
        irrational = next(c for c in poly.coeffs() if not c.is_Rational)
        raise InputError(
            f"critical points need rational coefficients; {irrational} is not rational; "
            "use critical_point(f, point) to check a known point"
        )
    return energy, _System(poly.set_domain(sympy.QQ), energy.variables)


def _require_values(energy):
    if not energy.variables:
        raise InputError("the function has no variables; give a function of at least one variable")
    if energy.free_parameters:
        names = ", ".join(map(str, energy.free_parameters))
        raise InputError(f"parameter {names} has no value; critical points need values, e.g. parameters='{energy.free_parameters[0]}=1'")


def _whole_space(system):
    n = len(system.variables)
    origin = (sympy.Integer(0),) * n
    return CriticalComponent(n, (), origin, system.poly.as_expr(), n, True)


# ---------------------------------------------------------------------------
# Groebner bases, dimension, splitting


def _groebner(polys, variables, deadline, order, stage):
    exprs = [p.as_expr() if isinstance(p, sympy.Poly) else p for p in polys]
    return call_with_limit(deadline, stage, sympy.groebner, exprs, *variables, order=order, domain=sympy.QQ)


def _lex_basis(exprs, variables, deadline, stage):
    """The lex basis of a zero-dimensional ideal, through grevlex and FGLM (much faster than lex Buchberger)."""
    basis = _groebner(exprs, variables, deadline, "grevlex", stage)
    return basis if _is_unit(basis) else call_with_limit(deadline, stage, basis.fglm, "lex")


def _is_unit(basis):
    return list(basis.exprs) == [1]


def _dimension(basis, variables):
    """(dimension, a maximal independent set of variable indices) from the leading monomials."""
    n = len(variables)
    leading = [p.monoms(order=basis.order)[0] for p in basis.polys]
    pure = {i for e in leading for i in range(n) if e[i] > 0 and sum(e) == e[i]}
    if len(pure) == n:  # a pure power of every variable leads: zero-dimensional (no walk over the 2^n subsets)
        return 0, ()
    for size in range(n, -1, -1):
        for subset in combinations(range(n), size):
            if all(any(e[i] > 0 for i in range(n) if i not in subset) for e in leading):
                return size, subset
    return -1, ()  # pragma: no cover - only for the unit ideal, which callers exclude


def _split(exprs, variables, deadline):
    """Leaves of the splitting tree: ideals whose generators are irreducible and square-free.

    V(I) is the union of V(I + a) over the factors a of any generator, so
    splitting loses no point; each step strictly enlarges the ideal, so the
    tree is finite.  A leaf may still be reducible (docs/critical_points.md).
    """
    stack, seen, leaves = [list(exprs)], set(), []
    while stack:
        deadline.check("splitting the critical set")
        basis = _groebner(stack.pop(), variables, deadline, "grevlex", "splitting the critical set")
        key = tuple(basis.exprs)
        if _is_unit(basis) or key in seen:
            continue
        seen.add(key)
        pieces = _factors_of_a_generator(basis, variables, deadline)
        if pieces is None:
            leaves.append(basis)
        else:
            stack += [list(basis.exprs) + [piece] for piece in pieces]
    return leaves


def _factors_of_a_generator(basis, variables, deadline):
    """The distinct irreducible factors of the first generator that is not irreducible and square-free."""
    for generator in basis.exprs:
        _, factors = call_with_limit(deadline, "factoring the gradient ideal", sympy.factor_list, generator, *variables)
        pieces = [f for f, _ in factors if f.free_symbols]
        if len(pieces) > 1 or any(m > 1 for _, m in factors):
            return pieces
    return None


def _inside(basis, other, variables, budget, deadline):
    """Whether V(basis) lies inside V(other): every generator of ``other`` is in the radical of ``basis``.

    A generator b is in the radical when it reduces to 0, or when
    basis + (1 - t b) is the unit ideal (Rabinowitsch).  Undecided within the
    budget counts as "not inside", so a component is never dropped on a guess.
    """
    t = sympy.Dummy("t")
    for b in other.exprs:
        if basis.reduce(b)[1] == 0:
            continue
        try:
            test = _groebner(list(basis.exprs) + [1 - t * b], (*variables, t), budget, "grevlex", "comparing components")
        except TimeLimitError:
            if deadline.expired():
                raise
            return False
        if not _is_unit(test):
            return False
    return True


def _maximal(leaves, variables, deadline):
    """Drop leaves whose zero set lies inside another leaf's (of the same zero set, keep the first)."""
    budget = deadline.sub(SAMPLE_SECONDS)
    kept = []
    for i, leaf in enumerate(leaves):
        inside = any(j != i and _inside(leaf, other, variables, budget, deadline)
                     and not (j > i and _inside(other, leaf, variables, budget, deadline))
                     for j, other in enumerate(leaves))
        if not inside:
            kept.append(leaf)
    return kept


# ---------------------------------------------------------------------------
# exact solution of zero-dimensional pieces


class _NotSeparated(Exception):
    """No separating linear form was found among the forms tried."""


class _Orbit:
    """Conjugate common zeros x = h(u), q(u) = 0 with q irreducible over QQ.

    ``coordinates`` maps each variable to a Poly in u of degree < deg q;
    ``axes`` maps it to the real roots of its square-free eliminant, among
    which every real coordinate value is found exactly.
    """

    __slots__ = ("q", "coordinates", "axes", "_powers", "_values")

    def __init__(self, q, coordinates, axes):
        self.q, self.coordinates, self.axes, self._powers, self._values = q, coordinates, axes, {}, {}

    def reduce(self, expr):
        """expr at the orbit, as a Poly in u of degree < deg q (arithmetic modulo q)."""
        variables = tuple(self.coordinates)
        poly = sympy.Poly(expr, *variables, domain=sympy.QQ)
        total = sympy.Poly(0, self.q.gen, domain=sympy.QQ)
        for exponent, c in poly.terms():
            term = sympy.Poly(c, self.q.gen, domain=sympy.QQ)
            for v, e in zip(variables, exponent):
                if e:
                    term = (term * self._power(v, e)).rem(self.q)
            total += term
        return total

    def _power(self, v, e):
        powers = self._powers.setdefault(v, [sympy.Poly(1, self.q.gen, domain=sympy.QQ)])
        while len(powers) <= e:
            powers.append((powers[-1] * self.coordinates[v]).rem(self.q))
        return powers[e]

    def vanishes(self, exprs):
        return all(self.reduce(e).is_zero for e in exprs)

    def real_roots(self):
        return _real_roots(self.q)

    def number(self, v, root):
        """The exact real value of coordinate v at the real root of q."""
        return _number(self.coordinates[v], root, self.axes[v])

    def value(self, expr, root):
        """The exact real value of a polynomial at the point; its minimal polynomial divides res_u(q(u), X - a(u))."""
        a = self.reduce(expr)
        if a.degree() <= 0:
            return _number(a, root, ())
        if expr not in self._values:
            X = sympy.Dummy("X")
            resultant = sympy.resultant(self.q.as_expr(), X - a.as_expr(), self.q.gen)
            self._values[expr] = _real_roots(sympy.Poly(resultant, X, domain=sympy.QQ))
        return _number(a, root, self._values[expr])

    def inertia(self, coefficients, root):
        """(n_plus, n_minus, rank) from characteristic-polynomial coefficients (polynomials in x)."""
        return _inertia_from_signs([root.sign(self.reduce(c)) for c in coefficients])


def _orbits(polys, variables, deadline):
    """The common zeros of a zero-dimensional system as Galois orbits (shape lemma).

    For a linear form u taking distinct values at the zeros, the lex basis
    of I + (u - form) is x_i - h_i(u), g(u) when I is radical, and often
    also when it is not; then the zeros are x = h(u), sqf(g)(u) = 0.  If no
    form of the first few gives that shape, I is made radical by adding the
    square-free eliminant of every variable (Seidenberg's lemma) and the
    forms are tried again.
    """
    exprs = [p.as_expr() if isinstance(p, sympy.Poly) else p for p in polys]
    axes = _Axes(exprs, variables, deadline)
    shape = _find_shape(exprs, variables, PLAIN_SEPARATING_FORMS, deadline)
    if shape is None:
        radical = exprs + [axes.eliminant(v) for v in variables]
        shape = _find_shape(radical, variables, MAX_SEPARATING_FORMS, deadline)
    if shape is None:
        raise _NotSeparated()
    g, h = shape
    _, factors = call_with_limit(deadline, "factoring the eliminant", sympy.factor_list, g)
    return [_orbit(sympy.Poly(q, g.gen, domain=sympy.QQ), h, axes) for q, _ in factors if q.has(g.gen)]


def _find_shape(exprs, variables, tries, deadline):
    """(g, {x_i: h_i}) from the first of ``tries`` linear forms whose lex basis has the shape x_i - h_i(u), g(u)."""
    u = sympy.Dummy("u")
    for weights in islice(_separating_forms(len(variables)), tries):
        form = sum(w * v for w, v in zip(weights, variables))
        basis = _lex_basis(exprs + [u - form], (*variables, u), deadline, "solving grad f = 0 (lex basis)")
        shape = _shape(basis, variables, u)
        if shape is not None:
            return shape
    return None


class _Axes(dict):
    """variable -> real roots of its square-free eliminant, computed on first use."""

    def __init__(self, exprs, variables, deadline):
        super().__init__()
        self.exprs, self.variables, self.deadline, self._eliminants = exprs, variables, deadline, {}

    def eliminant(self, v):
        if v not in self._eliminants:
            self._eliminants[v] = sympy.sqf_part(_eliminant(self.exprs, self.variables, v, self.deadline))
        return self._eliminants[v]

    def __missing__(self, v):
        self[v] = _real_roots(sympy.Poly(self.eliminant(v), v, domain=sympy.QQ))
        return self[v]


def _orbit(q, h, axes):
    return _Orbit(q, {v: sympy.Poly(expr, q.gen, domain=sympy.QQ).rem(q) for v, expr in h.items()}, axes)


def _eliminant(exprs, variables, variable, deadline):
    others = [v for v in variables if v != variable]
    basis = _lex_basis(exprs, (*others, variable), deadline, f"eliminant in {variable}")
    return next(e for e in reversed(basis.exprs) if e.free_symbols <= {variable})


def _separating_forms(n):
    yield (0,) * (n - 1) + (1,)
    k = 1
    while True:
        yield tuple(k ** (n - 1 - i) for i in range(n))
        k += 1


def _shape(basis, variables, u):
    """(g, {x_i: h_i}) if the lex basis is x_i - h_i(u), g(u); else None."""
    exprs = list(basis.exprs)
    if len(exprs) != len(variables) + 1 or not exprs[-1].free_symbols <= {u}:
        return None
    h = {}
    for v, e in zip(variables, exprs):
        poly = sympy.Poly(e, v)
        if poly.degree() != 1 or not (e.free_symbols - {v}) <= {u} or poly.LC().free_symbols:
            return None
        h[v] = sympy.expand(-poly.TC() / poly.LC())
    return sympy.Poly(exprs[-1], u, domain=sympy.QQ), h


def _exact_points(system, leaves, components, deadline):
    """Real points of zero-dimensional leaves that do not lie on a component, without repeats."""
    points = {}
    for leaf in leaves:
        for orbit in _orbits(leaf.exprs, system.variables, deadline):
            if any(orbit.vanishes(c.exprs) for c in components):
                continue
            for root in orbit.real_roots():
                deadline.check("exact critical points")
                point = _exact_point(system, orbit, root)
                points.setdefault(point.point, point)
    return list(points.values())


def _exact_point(system, orbit, root):
    coordinates = tuple(orbit.number(v, root) for v in system.variables)
    n_plus, n_minus, rank = orbit.inertia(system.charpoly, root)
    value = orbit.value(system.expr, root)
    return CriticalPoint(coordinates, value, rank, len(system.hessian) - rank, (n_plus, n_minus), "exact")


def _isolated_points(system, basis, method, deadline):
    if method == "interval":
        return _interval_points(system, deadline)
    budget = deadline if method == "exact" else deadline.sub(EXACT_SECONDS)
    try:
        return _exact_points(system, _split(basis.exprs, system.variables, budget), (), budget)
    except (TimeLimitError, _NotSeparated) as exc:
        if method == "exact" and isinstance(exc, _NotSeparated):
            reason = f"no separating linear form among the first {MAX_SEPARATING_FORMS}; use method='interval'"
            raise MethodNotApplicableError("exact", reason) from exc
        if method == "exact" or deadline.expired():
            raise
        return _interval_points(system, deadline)


# ---------------------------------------------------------------------------
# positive-dimensional critical sets


def _critical_set(system, basis, deadline):
    try:
        leaves = _split(basis.exprs, system.variables, deadline.sub(DECOMPOSE_SECONDS))
    except TimeLimitError:
        if deadline.expired():
            raise
        return [], (_component(system, basis, deadline, decomposed=False),)
    leaves = [leaf for leaf in leaves if not _without_real_points(leaf)]
    dimensions = [_dimension(leaf, system.variables)[0] for leaf in leaves]
    positive = _maximal([leaf for leaf, d in zip(leaves, dimensions) if d > 0], system.variables, deadline)
    isolated = [leaf for leaf, d in zip(leaves, dimensions) if d == 0]
    components = tuple(sorted((_component(system, leaf, deadline) for leaf in positive), key=_component_key))
    try:
        return _exact_points(system, isolated, positive, deadline), components
    except _NotSeparated as exc:  # pragma: no cover - needs more than MAX_SEPARATING_FORMS bad linear forms
        raise MethodNotApplicableError("exact", f"no separating linear form among the first {MAX_SEPARATING_FORMS}") from exc


def _without_real_points(basis):
    """Whether a generator in one variable has no real root, which proves V(basis) has no real point."""
    return any(len(e.free_symbols) == 1 and sympy.Poly(e).count_roots() == 0 for e in basis.exprs)


def _component_key(component):
    return -component.dimension, [sympy.default_sort_key(e) for e in component.equations]


def _component(system, basis, deadline, decomposed=True):
    dimension, independent = _dimension(basis, system.variables)
    sample, regular = _sample_point(system, basis, independent, deadline)
    remainder = basis.reduce(system.expr)[1]
    return CriticalComponent(
        dimension=dimension,
        equations=tuple(_primitive(e, system.variables) for e in basis.exprs),
        sample_point=sample,
        value=remainder if not remainder.free_symbols else None,
        real_dimension=dimension if regular else None,
        decomposed=decomposed,
    )


def _primitive(expr, variables):
    """An integer multiple of expr with coprime integer coefficients and positive leading coefficient."""
    _, poly = sympy.Poly(expr, *variables).clear_denoms()
    _, poly = poly.primitive()
    return (-poly if poly.LC() < 0 else poly).as_expr()


def _sample_point(system, basis, independent, deadline):
    """(point, regular): a real point of V(basis) from slices fixing the independent variables.

    Regular points (Jacobian rank n - dimension) are preferred; they prove the
    real dimension.  Searching is bounded by ``SAMPLE_SECONDS``.
    """
    budget, fallback = deadline.sub(SAMPLE_SECONDS), None
    gram = _gram_charpoly(basis, system.variables)
    rank = len(system.variables) - len(independent)
    try:
        for values in islice(product(SAMPLE_VALUES, repeat=len(independent)), MAX_SLICES):
            for point, point_rank in _slice_points(system, basis, independent, values, gram, budget):
                if point_rank == rank:
                    return point, True
                fallback = fallback or point
    except _NotSeparated:  # pragma: no cover - a slice the shape lemma could not solve ends the search
        pass
    except TimeLimitError:
        if deadline.expired():
            raise
    return fallback, False


def _gram_charpoly(basis, variables):
    """Characteristic-polynomial coefficients of J^T J (J the Jacobian of the equations); rank J = rank J^T J at real points."""
    jacobian = sympy.Matrix([[sympy.diff(e, v) for v in variables] for e in basis.exprs])
    return _charpoly_coefficients(jacobian.T * jacobian)


def _slice_points(system, basis, independent, values, gram, deadline):
    """(point, Jacobian rank) for each real point of V(basis) with the independent variables fixed."""
    variables = system.variables
    fixed = {variables[i]: sympy.sympify(c) for i, c in zip(independent, values)}
    rest = [v for v in variables if v not in fixed]
    sliced = [e for e in (sympy.expand(e.xreplace(fixed)) for e in basis.exprs) if e != 0]
    if not rest or not sliced:
        return
    slice_basis = _groebner(sliced, rest, deadline, "grevlex", "slicing a component")
    if _is_unit(slice_basis) or _dimension(slice_basis, rest)[0] != 0:
        return
    for part in _orbits(slice_basis.exprs, rest, deadline):
        constants = {v: sympy.Poly(c, part.q.gen, domain=sympy.QQ) for v, c in fixed.items()}
        orbit = _Orbit(part.q, {**constants, **part.coordinates}, part.axes)
        if not orbit.vanishes(basis.exprs):  # pragma: no cover - the exact algebra guarantees it
            continue
        for root in orbit.real_roots():
            point = tuple(fixed[v] if v in fixed else orbit.number(v, root) for v in variables)
            yield point, orbit.inertia(gram, root)[2]


def _charpoly_coefficients(matrix):
    """Coefficients of det(t I - M) from t^n down to t^0, as expressions in the entries' symbols."""
    t = sympy.Dummy("t")
    return [sympy.expand(c) for c in sympy.Matrix(matrix).charpoly(t).all_coeffs()]


# ---------------------------------------------------------------------------
# real algebraic numbers


def _real_roots(poly):
    """The real roots of a rational univariate polynomial, with pairwise disjoint isolating intervals."""
    roots = []
    for q, _ in sympy.factor_list(poly)[1]:
        q = sympy.Poly(q, poly.gen, domain=sympy.QQ)
        if q.degree() == 1:
            r = _fraction(-q.TC() / q.LC())
            roots.append(_RealRoot(q, 0, r - 1, r + 1))
            continue
        intervals = sorted((_fraction(a), _fraction(b)) for (a, b), _ in q.intervals())
        roots += [_RealRoot(q, j, a, b) for j, (a, b) in enumerate(intervals)]
    return _separate(roots)


def _separate(roots):
    while True:
        roots.sort(key=lambda r: r.lo)
        touching = [(a, b) for a, b in zip(roots, roots[1:]) if a.hi >= b.lo]
        if not touching:
            return roots
        for a, b in touching:
            a.refine()
            b.refine()


class _RealRoot:
    """A real root of an irreducible rational polynomial q, held in a shrinking isolating interval.

    ``index`` is its position among the real roots of q in increasing order
    (the ``CRootOf`` index); for degree 1 the root is ``rational`` and the
    interval is a neighbourhood of it.
    """

    __slots__ = ("q", "index", "lo", "hi", "rational", "_coefficients")

    def __init__(self, q, index, lo, hi):
        self.q, self.index, self.lo, self.hi = q, index, lo, hi
        self._coefficients = [_fraction(c) for c in q.all_coeffs()]
        self.rational = -self._coefficients[1] / self._coefficients[0] if q.degree() == 1 else None

    def refine(self):
        """Halve the interval."""
        if self.rational is not None:
            quarter = (self.hi - self.lo) / 4
            self.lo, self.hi = self.rational - quarter, self.rational + quarter
            return
        middle = (self.lo + self.hi) / 2
        if _sign(_horner(self._coefficients, middle)) == _sign(_horner(self._coefficients, self.lo)):
            self.lo = middle
        else:
            self.hi = middle

    def enclosure(self, poly):
        """An interval (lo, hi) of rationals containing poly(root), by interval Horner."""
        return _interval_horner([_fraction(c) for c in poly.all_coeffs()], self.lo, self.hi)

    def sign(self, poly):
        """The exact sign of poly(root) for a Poly reduced modulo q (zero only if poly is 0)."""
        if poly.is_zero:
            return 0
        for _ in range(MAX_SIGN_REFINEMENTS):
            lo, hi = self.enclosure(poly)
            if lo > 0 or hi < 0:
                return 1 if lo > 0 else -1
            self.refine()
        raise NumericError(  # pragma: no cover
            f"the sign of a nonzero algebraic number was not settled after {MAX_SIGN_REFINEMENTS} bisections; report this input"
        )

    def expr(self):
        """The root as an exact sympy number: rational, real radical or CRootOf."""
        if self.rational is not None:
            return sympy.Rational(self.rational.numerator, self.rational.denominator)
        x = sympy.Symbol("x")
        return sympy.rootof(sympy.Poly(self.q.as_expr().xreplace({self.q.gen: x}), x), self.index, radicals=True)


def _number(poly, root, candidates):
    """The exact value a(r) of a Poly a in u (reduced modulo q) at the real root r of q.

    ``candidates`` are the real roots, with disjoint isolating intervals, of
    a rational polynomial vanishing at a(r) (the coordinate's eliminant).  A
    non-constant a gives an irrational a(r), which lies inside exactly one of
    those intervals; r's interval is shrunk until the enclosure of a(r) does too.
    """
    if poly.degree() <= 0:
        return sympy.Rational(poly.LC()) if not poly.is_zero else sympy.Integer(0)
    return _match(lambda: root.enclosure(poly), root.refine, candidates)


def _match(enclosure, refine, candidates):
    """The candidate whose isolating interval contains the shrinking ``enclosure()``, as an exact number."""
    for _ in range(MAX_SIGN_REFINEMENTS):
        lo, hi = enclosure()
        inside = [c for c in candidates if not (c.hi < lo or hi < c.lo)]
        if len(inside) == 1 and inside[0].lo < lo and hi < inside[0].hi:
            return inside[0].expr()
        if not inside:
            break
        refine()
    raise NumericError("an algebraic number could not be matched to a root of its eliminant; report this input")  # pragma: no cover


def _inertia_from_signs(signs):
    """(n_plus, n_minus, rank) from the signs of the characteristic polynomial's coefficients.

    ``signs`` run from t^n down to t^0.  All roots are real, so Descartes'
    rule is exact: positive roots = sign changes; zero roots = trailing zeros.
    """
    n = len(signs) - 1
    nullity = 0
    while nullity < n and signs[n - nullity] == 0:
        nullity += 1
    nonzero = [s for s in signs if s != 0]
    n_plus = sum(1 for a, b in zip(nonzero, nonzero[1:]) if a != b)
    return n_plus, n - nullity - n_plus, n - nullity


def _sign_of_number(value):
    """The exact sign of a real constant expression.

    Rational: direct.  Algebraic: 0 exactly when the minimal polynomial is X;
    otherwise the real roots of the minimal polynomial are isolated, and if
    they do not all share one sign, the root equal to the value is located by
    precision-tracked evaluation.  Otherwise sympy's assumptions decide, or
    NumericError says the sign is out of reach.
    """
    value = sympy.sympify(value)
    if value.is_Rational:
        return int(sympy.sign(value))
    roots = _minimal_roots(value)
    if roots is None:
        return _assumed_sign(value)
    signs = {_root_sign(r) for r in roots}
    return signs.pop() if len(signs) == 1 else _root_sign(_located_root(value, roots))


def _canonical(value):
    """A real algebraic number containing CRootOf as one CRootOf of its minimal polynomial; others unchanged."""
    value = sympy.sympify(value)
    roots = _minimal_roots(value) if value.has(sympy.CRootOf) else None
    if roots is None:
        return value
    return (roots[0] if len(roots) == 1 else _located_root(value, roots)).expr()


def _minimal_roots(value):
    """The real roots of the minimal polynomial of ``value``, or None if it is not algebraic."""
    X = sympy.Dummy("X")
    try:
        minimal = sympy.minimal_polynomial(value, X, polys=True)
    except (sympy.polys.polyerrors.NotAlgebraic, NotImplementedError, sympy.polys.polyerrors.PolynomialError):
        return None
    roots = _real_roots(minimal)
    if not roots:
        raise NumericError(f"{value} is not a real number; a Hessian or gradient entry must be real")
    return roots


def _root_sign(root):
    if root.rational is not None:
        return _sign(root.rational)
    while root.lo < 0 < root.hi:
        root.refine()
    return 1 if root.lo >= 0 else -1


def _located_root(value, roots):
    """The root (of disjoint isolating intervals) equal to ``value``, located by sympy's precision-tracked evaluation."""
    for digits in (30, 60, 120, 240):
        approx = sympy.N(value, digits)
        if not approx.is_Number:
            break
        centre = _fraction(sympy.Rational(approx))
        radius = Fraction(1, 10 ** (digits - 5)) * (1 + abs(centre))
        for r in roots:
            while r.hi - r.lo > radius:
                r.refine()
        inside = [r for r in roots if not (r.hi < centre - radius or centre + radius < r.lo)]
        if len(inside) == 1:
            return inside[0]
    raise NumericError(f"{value} could not be located among the roots of its minimal polynomial; simplify the input")  # pragma: no cover


def _assumed_sign(value):
    simplified = sympy.simplify(value)
    if simplified.is_zero:
        return 0
    if simplified.is_positive:
        return 1
    if simplified.is_negative:
        return -1
    raise NumericError(f"the sign of {value} (not an algebraic number) is not decided exactly; give a point with algebraic coordinates")


def _fraction(value):
    value = sympy.Rational(value)
    return Fraction(int(value.p), int(value.q))


def _sign(x):
    return (x > 0) - (x < 0)


def _horner(coefficients, x):
    total = Fraction(0)
    for c in coefficients:
        total = total * x + c
    return total


def _interval_horner(coefficients, lo, hi):
    a = b = Fraction(0)
    for c in coefficients:
        products = (a * lo, a * hi, b * lo, b * hi)
        a, b = min(products) + c, max(products) + c
    return a, b


# ---------------------------------------------------------------------------
# interval certificates (Krawczyk)


def _interval_points(system, deadline):
    """Every real critical point of a zero-dimensional gradient ideal, certified by the Krawczyk test.

    Each coordinate of a real critical point is a real root of that
    variable's eliminant, so the points lie in the grid of isolating
    intervals.  Every grid box is bisected until the gradient provably has no
    zero in it (interval evaluation) or exactly one (Krawczyk); a box that
    stays undecided holds a degenerate candidate, and NumericError reports it.
    """
    exprs = [g.as_expr() for g in system.gradient]
    axes = []
    for v in system.variables:
        eliminant = sympy.Poly(_eliminant(exprs, system.variables, v, deadline), v, domain=sympy.QQ)
        axes.append(_real_roots(sympy.Poly(sympy.sqf_part(eliminant.as_expr()), v)))
    points, undecided = [], []
    with _interval_precision(INTERVAL_BITS):
        for cell in product(*axes):
            deadline.check("interval certificates")
            verdict = _decide_cell(system, cell)
            if verdict == "point":
                points.append(_interval_point(system, cell))
            elif verdict == "undecided":
                undecided.append(tuple(r.expr() for r in cell))
    if undecided:
        raise NumericError(
            f"the interval test could neither prove nor exclude a critical point at {_point_text(undecided[0])} "
            f"({len(undecided)} such candidate(s), probably degenerate critical points); use method='exact'"
        )
    return points


def _decide_cell(system, cell):
    for _ in range(MAX_REFINEMENTS):
        box = [(r.lo, r.hi) for r in cell]
        if _excluded(system, box):
            return "empty"
        if _krawczyk(system, box):
            return "point"
        for r in cell:
            r.refine()
    return "undecided"


def _interval_point(system, cell):
    coordinates = tuple(r.expr() for r in cell)
    middle = {v: sympy.Rational((r.lo + r.hi) / 2) for v, r in zip(system.variables, cell)}
    hessian = sympy.Matrix([[h.as_expr().xreplace(middle) for h in row] for row in system.hessian])
    n_plus, n_minus, rank = hessian_inertia(hessian)  # constant on the box: Krawczyk proved every Hessian in it regular
    value = system.expr.xreplace(dict(zip(system.variables, coordinates)))
    return CriticalPoint(coordinates, value, rank, len(coordinates) - rank, (n_plus, n_minus), "interval")


@contextlib.contextmanager
def _interval_precision(bits):
    saved = mpmath.iv.prec
    mpmath.iv.prec = bits
    try:
        yield
    finally:
        mpmath.iv.prec = saved


def _iv(x):
    return mpmath.iv.mpf(x.numerator) / mpmath.iv.mpf(x.denominator)


def _iv_box(lo, hi):
    return mpmath.iv.mpf([_iv(lo).a, _iv(hi).b])


def _iv_poly(poly, box):
    total = mpmath.iv.mpf(0)
    for exponent, c in poly.terms():
        term = _iv(_fraction(c))
        for x, e in zip(box, exponent):
            if e:
                term = term * x ** int(e)
        total = total + term
    return total


def _excluded(system, box):
    X = [_iv_box(lo, hi) for lo, hi in box]
    values = [_iv_poly(g, X) for g in system.gradient]
    return any(v.a > 0 or v.b < 0 for v in values)


def _krawczyk(system, box):
    """Whether K(X) = m - Y grad(m) + (I - Y H(X))(X - m) lies inside the interior of X.

    Then grad f has exactly one zero in X, and every Hessian in X is regular.
    """
    n = len(box)
    X = [_iv_box(lo, hi) for lo, hi in box]
    M = [_iv((lo + hi) / 2) for lo, hi in box]
    Y = _approximate_inverse([[_iv_poly(h, M).mid for h in row] for row in system.hessian])
    if Y is None:
        return False
    F = [_iv_poly(g, M) for g in system.gradient]
    H = [[_iv_poly(h, X) for h in row] for row in system.hessian]
    for i in range(n):
        k = M[i] - sum((Y[i][j] * F[j] for j in range(n)), mpmath.iv.mpf(0))
        for j in range(n):
            c = (1 if i == j else 0) - sum((Y[i][l] * H[l][j] for l in range(n)), mpmath.iv.mpf(0))
            k = k + c * (X[j] - M[j])
        if not (k.a > X[i].a and k.b < X[i].b):
            return False
    return True


def _approximate_inverse(matrix):
    with mpmath.workprec(INTERVAL_BITS):
        try:
            inverse = mpmath.inverse(mpmath.matrix([[mpmath.mpf(e.a) for e in row] for row in matrix]))
        except ZeroDivisionError:
            return None
        return [[mpmath.iv.mpf(inverse[i, j]) for j in range(inverse.cols)] for i in range(inverse.rows)]


# ---------------------------------------------------------------------------
# presentation


def _sorted(points):
    def key(p):
        return (sympy.N(p.value, 30), *(sympy.N(c, 30) for c in p.point))

    return tuple(sorted(points, key=key))


def _point_text(point):
    return "(" + ", ".join(sympy.sstr(c) for c in point) + ")"


def _point_dict(p):
    return {
        "point": [exact_string(c) for c in p.point],
        "value": exact_string(p.value),
        "hessian_rank": p.hessian_rank,
        "corank": p.corank,
        "morse_index": p.morse_index,
        "inertia": list(p.inertia),
        "certificate": p.certificate,
    }


def _component_text(component):
    if not component.equations:
        return f"all of R^{component.dimension} (f is constant)"
    equations = ", ".join(sympy.sstr(e) for e in component.equations)
    sample = "" if component.sample_point is None else f", e.g. {_point_text(component.sample_point)}"
    return f"{{{equations}}} = 0 (dimension {component.dimension}{sample})"
