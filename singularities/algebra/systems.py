"""Real solutions of polynomial systems over QQ: exact isolated points, components, and the one slicing sampler.

A system {F = 0} is split into pieces by factoring the generators of its
ideal.  A piece with finitely many points is solved exactly through a
separating linear form u (the shape lemma: every coordinate is a rational
polynomial in u, and u runs over the roots of one rational polynomial), so
reality is decided by exact real-root isolation.  A piece of positive
dimension is a component with an exact sample point, found by
:func:`slice_points`, the one sampler that fixes some coordinates at rational
values and solves the rest.  When the exact solve runs out of its budget,
every real solution can be certified instead by the interval Krawczyk test
inside isolating boxes (docs/critical_points.md).  Results are plain tuples:
``local.critical`` turns them into result objects.
"""

from collections import namedtuple
from itertools import islice, product

import flint
import sympy

from .._limits import BUDGETS, Deadline, call_with_limit, guard
from ..errors import InputError, MethodNotApplicableError, NumericError
from .backend import NotRationalError, flint_rational, polys_to_flint, sympy_rational, use_flint
from .intervals import excluded, interval_precision, krawczyk
from .polys import (  # _staircase, _multiplication_matrices: FGLM's quotient basis and matrices, reused
    FLINT_SLICES,
    _multiplication_matrices,
    _staircase,
    charpoly_coefficients,
    dimension,
    eliminant,
    groebner_basis,
    is_unit,
    jacobian_gram,
    lex_basis,
    maximal_pieces,
    primitive,
    resultant,
    split_ideal,
)
from .realroots import (
    MAX_SIGN_REFINEMENTS,
    hessian_inertia,
    inertia_from_signs,
    real_roots,
)

__all__ = [
    "PolynomialSystem",
    "Solution",
    "Component",
    "real_solutions",
    "orbits",
    "slice_points",
    "MAX_SEPARATING_FORMS",
]

SAMPLE_VALUES = (0, 1, -1, 2, -2, 3, -3, sympy.Rational(1, 2), sympy.Rational(-1, 2))
MAX_SLICES = 40
PLAIN_SEPARATING_FORMS = 3  # forms tried before the ideal is made radical
MAX_SEPARATING_FORMS = 12
MAX_REFINEMENTS = 60  # bisections of an isolating box before an interval cell is undecided

Solution = namedtuple("Solution", "point value rank inertia certificate")
Solution.__doc__ = (
    """An isolated real solution: exact point, value, rank and (n_plus, n_minus) of the matrix, certificate."""
)
Component = namedtuple("Component", "dimension equations sample_point value real_dimension decomposed")
Component.__doc__ = """A positive-dimensional piece: the fields of ``local.critical.CriticalComponent``."""


class PolynomialSystem:
    """Equations F = 0 over QQ, a polynomial ``value`` and a symmetric polynomial ``matrix`` evaluated at solutions.

    For critical points F is the gradient of f, ``value`` is f and ``matrix``
    its Hessian (which is then the Jacobian of F, as the interval method needs).

    Examples
    --------
    >>> from singularities.algebra.systems import PolynomialSystem
    >>> x, y = sympy.symbols("x y")
    >>> system = PolynomialSystem.of_function(sympy.Poly(x**2 - y**2, x, y, domain="QQ"), (x, y))
    >>> [g.as_expr() for g in system.equations]
    [2*x, -2*y]
    """

    def __init__(self, poly, variables, equations=None, matrix=None):
        self.poly, self.variables = poly, tuple(variables)
        self.equations = [poly.diff(v) for v in variables] if equations is None else equations
        self.matrix = [[g.diff(v) for v in variables] for g in self.equations] if matrix is None else matrix
        self.charpoly = charpoly_coefficients([[h.as_expr() for h in row] for row in self.matrix])
        self._charpoly_polys = None

    @classmethod
    def of_function(cls, poly, variables):
        """The critical-point system of a rational polynomial f: grad f = 0, value f, matrix the Hessian."""
        return cls(poly, variables)

    @classmethod
    def general(cls, equations, variables, value=0, matrix=None):
        """A system whose equations play the gradient's part (no interval method: the matrix need not be
        their Jacobian)."""
        variables = tuple(variables)

        def poly(expr, what):
            p = sympy.Poly(expr, *variables)
            if not (p.domain.is_ZZ or p.domain.is_QQ):
                raise InputError(
                    f"{what} {expr} does not have rational coefficients in {', '.join(map(str, variables))}; "
                    "substitute exact rational parameter values first"
                )
            return p.set_domain(sympy.QQ)

        equations = [poly(e, "equation") for e in equations]
        rows = sympy.Matrix(sympy.zeros(len(variables), len(variables)) if matrix is None else matrix).tolist()
        return cls(poly(value, "value"), variables, equations, [[poly(h, "matrix entry") for h in row] for row in rows])

    @property
    def expr(self):
        return self.poly.as_expr()

    @property
    def charpoly_polys(self):
        """The characteristic-polynomial coefficients as Polys in the variables (converted once)."""
        if self._charpoly_polys is None:
            self._charpoly_polys = [sympy.Poly(c, *self.variables, domain=sympy.QQ) for c in self.charpoly]
        return self._charpoly_polys


def real_solutions(system, *, method="exact", deadline=None):
    """(isolated solutions, components) of the system over R, exactly (docs/critical_points.md).

    Parameters
    ----------
    system : PolynomialSystem
    method : {"exact", "interval", "auto"}
        "interval" certifies each real point by the Krawczyk test (finitely
        many points only); "auto" tries "exact" for ``BUDGETS.exact_solve`` seconds first.
    deadline : Deadline or float, optional

    Returns
    -------
    (list of Solution, tuple of Component)
        Unsorted solutions; components sorted by decreasing dimension.

    Examples
    --------
    >>> from singularities.algebra.systems import PolynomialSystem, real_solutions
    >>> x, y = sympy.symbols("x y")
    >>> points, components = real_solutions(PolynomialSystem.general([x**2 - 2, y*(y - 1)], (x, y), value=x*y))
    >>> sorted((p.point, p.value) for p in points)
    [((-sqrt(2), 0), 0), ((-sqrt(2), 1), -sqrt(2)), ((sqrt(2), 0), 0), ((sqrt(2), 1), sqrt(2))]
    """
    deadline, variables = Deadline.coerce(deadline), system.variables
    if all(g.is_zero for g in system.equations):
        n = len(variables)
        return [], (Component(n, (), (sympy.Integer(0),) * n, system.expr, n, True),)
    basis = groebner_basis(system.equations, variables, deadline, stage="Groebner basis of the system")
    if is_unit(basis):
        return [], ()
    if dimension(basis, variables)[0] == 0:
        return _isolated_points(system, basis, method, deadline), ()
    if method == "interval":
        raise MethodNotApplicableError(
            "interval", "the critical set is positive-dimensional; use method='auto' or 'exact'"
        )
    return _solution_set(system, basis, deadline)


def orbits(polys, variables, deadline=None):
    """The common zeros of a zero-dimensional system as Galois orbits x = h(u), q(u) = 0 (shape lemma).

    For a linear form u taking distinct values at the zeros, the lex basis
    of I + (u - form) is x_i - h_i(u), g(u) when I is radical, and often
    also when it is not; then the zeros are x = h(u), sqf(g)(u) = 0.  If no
    form of the first few gives that shape, I is made radical by adding the
    square-free eliminant of every variable (Seidenberg's lemma) and the
    forms are tried again.

    Examples
    --------
    >>> from singularities.algebra.systems import orbits
    >>> x, y = sympy.symbols("x y")
    >>> (orbit,) = orbits([x**2 - 2, y - x], (x, y))
    >>> [(orbit.number(x, r), orbit.number(y, r)) for r in orbit.real_roots()]
    [(-sqrt(2), -sqrt(2)), (sqrt(2), sqrt(2))]
    """
    deadline = Deadline.coerce(deadline)
    exprs = [p.as_expr() if isinstance(p, sympy.Poly) else p for p in polys]
    if use_flint():
        found = _flint_orbits(exprs, variables, deadline)
        if found is not None:
            return found
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


def slice_points(equations, variables, slices, *, matrix=None, ordered=False, deadline=None):
    """Real points of {equations = 0} on slices that fix some coordinates: the one slicing sampler.

    For each ``{variable: rational value}`` of ``slices`` the remaining
    coordinates are solved exactly (zero-dimensional slices only), so every
    point yielded satisfies the equations exactly.  Yields
    ``(point, (n_plus, n_minus, rank))`` with the full point in variable
    order and the inertia of the symmetric polynomial ``matrix`` there
    ((0, 0, 0) without one).  Within a slice, points come in the solver's
    order, or in increasing order of their coordinates when ``ordered``.

    Examples
    --------
    >>> from singularities.algebra.systems import slice_points
    >>> x, y = sympy.symbols("x y")
    >>> list(slice_points([x**2 + y**2 - 1], (x, y), [{x: 0}, {x: sympy.Rational(3, 5)}], ordered=True))
    [((0, -1), (0, 0, 0)), ((0, 1), (0, 0, 0)), ((3/5, -4/5), (0, 0, 0)), ((3/5, 4/5), (0, 0, 0))]
    """
    deadline, variables = Deadline.coerce(deadline), tuple(variables)
    matrix = sympy.zeros(len(variables), len(variables)) if matrix is None else sympy.Matrix(matrix)
    for values in slices:
        values = {v: sympy.sympify(c) for v, c in values.items()}
        deadline.check("slicing a component")
        try:
            with guard(deadline, "slicing a component"):
                found = _slice(equations, variables, values, matrix.xreplace(values), deadline)
        except _NotSeparated:  # pragma: no cover - a slice the shape lemma could not solve is skipped
            continue
        yield from sorted(found, key=lambda p: [sympy.N(c, 30) for c in p[0]]) if ordered else found


# ---------------------------------------------------------------------------
# exact solution of zero-dimensional pieces


class _NotSeparated(Exception):
    """No separating linear form was found among the forms tried."""


class _Orbit:
    """Conjugate common zeros x = h(u), q(u) = 0 with q irreducible over QQ.

    ``coordinates`` maps each variable to a Poly in u of degree < deg q;
    ``axes`` maps it to the real roots of its square-free eliminant, among
    which every real coordinate value is found exactly.  Reductions are
    remembered: the real roots of one orbit share them.
    """

    __slots__ = ("q", "coordinates", "axes", "_powers", "_values", "_reduced")

    def __init__(self, q, coordinates, axes):
        self.q, self.coordinates, self.axes, self._powers, self._values = q, coordinates, axes, {}, {}
        self._reduced = {}

    def reduce(self, expr):
        """expr (an expression, or a Poly in the coordinates' variables) at the orbit, as a Poly in u of
        degree < deg q (arithmetic modulo q)."""
        if expr not in self._reduced:
            self._reduced[expr] = self._reduce(expr)
        return self._reduced[expr]

    def _reduce(self, expr):
        variables = tuple(self.coordinates)
        if isinstance(expr, sympy.Poly) and expr.gens == variables:
            poly = expr
        else:
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
        return real_roots(self.q)

    def number(self, v, root):
        """The exact real value of coordinate v at the real root of q."""
        return _number(self.coordinates[v], root, self.axes[v])

    def value(self, expr, root):
        """The exact real value of a polynomial at the point; its minimal polynomial divides res_u(q(u), X - a(u))."""
        a = self.reduce(expr)
        if a.degree() <= 0:
            return _number(a, root, ())
        if expr not in self._values:
            self._values[expr] = real_roots(self._value_polynomial(a))
        return _number(a, root, self._values[expr])

    def _value_polynomial(self, a):
        """A rational polynomial vanishing at a(r) for every root r of q: res_u(q(u), X - a(u)), or on FLINT the
        characteristic polynomial of multiplication by a in QQ[u]/(q) (the same polynomial up to a constant
        factor: both are prod (X - a(r)) over the roots r of q, scaled)."""
        X = sympy.Dummy("X")
        if not use_flint():
            values = resultant(self.q.as_expr(), X - a.as_expr(), self.q.gen, (self.q.gen, X))
            return sympy.Poly(values, X, domain=sympy.QQ)
        q, column = _flint_poly(self.q), _flint_poly(a)
        size, u, columns = q.degree(), flint.fmpq_poly([0, 1]), []
        for _ in range(size):  # column j: a * u^j modulo q
            columns.append(column.coeffs() + [0] * (size - len(column.coeffs())))
            column = (column * u) % q
        matrix = flint.fmpq_mat(size, size, [columns[j][i] for i in range(size) for j in range(size)])
        return _sympy_poly(matrix.charpoly(), X)

    def inertia(self, coefficients, root):
        """(n_plus, n_minus, rank) from characteristic-polynomial coefficients (polynomials in x)."""
        return inertia_from_signs([root.sign(self.reduce(c)) for c in coefficients])


def _find_shape(exprs, variables, tries, deadline):
    """(g, {x_i: h_i}) from the first of ``tries`` linear forms whose lex basis has the shape x_i - h_i(u), g(u)."""
    u = sympy.Dummy("u")
    for weights in islice(_separating_forms(len(variables)), tries):
        form = sum(w * v for w, v in zip(weights, variables))
        basis = lex_basis(exprs + [u - form], (*variables, u), deadline, "solving grad f = 0 (lex basis)")
        shape = _shape(basis, variables, u)
        if shape is not None:
            return shape
    return None


class _Axes(dict):
    """variable -> real roots of its square-free eliminant, computed on first use (on FLINT given a ``leaf``)."""

    def __init__(self, exprs, variables, deadline, leaf=None):
        super().__init__()
        self.exprs, self.variables, self.deadline, self.leaf, self._eliminants = exprs, variables, deadline, leaf, {}

    def eliminant(self, v):
        if v not in self._eliminants:
            self._eliminants[v] = self._flint_eliminant(v)
        if self._eliminants[v] is None:
            self._eliminants[v] = sympy.sqf_part(eliminant(self.exprs, self.variables, v, self.deadline))
        return self._eliminants[v]

    def _flint_eliminant(self, v):
        if self.leaf is None:
            return None
        try:
            return _sympy_poly(self.leaf.eliminant(self.variables.index(v)), v).as_expr()
        except _FlintGaveUp:
            return None

    def __missing__(self, v):
        self[v] = real_roots(sympy.Poly(self.eliminant(v), v, domain=sympy.QQ))
        return self[v]


def _orbit(q, h, axes):
    return _Orbit(q, {v: sympy.Poly(expr, q.gen, domain=sympy.QQ).rem(q) for v, expr in h.items()}, axes)


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


# ---------------------------------------------------------------------------
# the shape lemma on FLINT: multiplication matrices instead of lex bases

#: The largest dim QQ[x]/I that the FLINT shape search takes: its one uninterruptible call, the exact solve with
#: the D x D Krylov matrix, takes about 0.15 CPU s at D = 64 and 1 s at D = 81 (dense random systems); larger
#: quotients go through split_ideal and lex bases (polys.lex_basis) as before.
MAX_FLINT_SHAPE_DIMENSION = 64


class _FlintGaveUp(Exception):
    """FLINT cannot take the leaf (a basis past its bounds, a quotient too large): the lex-basis path takes over."""


def _flint_orbits(exprs, variables, deadline):
    """:func:`orbits` on FLINT, or None when FLINT cannot (coefficients outside QQ, bounds).

    In A = QQ[x]/I (dimension D) a linear form u gives the shape
    x_i = h_i(u), g(u) = 0 exactly when 1, u, ..., u^(D-1) are a basis of A,
    that is when the Krylov matrix K = [1, M_u 1, ..., M_u^(D-1) 1] of the
    multiplication matrix M_u is invertible; then g is the minimal polynomial
    of M_u and h_i solves K h_i = x_i.  That is the lex basis of
    I + (u - form) being x_i - h_i(u), g(u), so the same forms succeed as on
    the lex-basis path, with the same g and h_i (the reduced basis is unique),
    and the square-free eliminant of x_i is that of M_(x_i)'s minimal polynomial.
    """
    try:
        leaf = _FlintQuotient.of(exprs, variables, deadline)
        shape = leaf.shape(PLAIN_SEPARATING_FORMS, deadline)
        if shape is None:
            radical = _FlintQuotient(leaf.context, leaf.radical_generators(), deadline)
            shape = radical.shape(MAX_SEPARATING_FORMS, deadline)
    except (NotRationalError, _FlintGaveUp):
        return None
    if shape is None:
        raise _NotSeparated()
    g, h = shape
    axes, u = _Axes(exprs, variables, deadline, leaf), sympy.Dummy("u")
    orbits = []
    for q, _ in g.factor()[1]:
        if q.degree() > 0:
            coordinates = {v: _sympy_poly(hi % q, u) for v, hi in zip(variables, h)}
            orbits.append(_Orbit(_sympy_poly(q, u), coordinates, axes))
    return orbits


class _FlintQuotient:
    """QQ[x]/I for a zero-dimensional I over QQ: its grevlex basis (``fmpz_mpoly``) and multiplication matrices."""

    def __init__(self, context, generators, deadline):
        self.context, self.n = context, context.nvars()
        self.basis = _flint_basis(generators, context, deadline)
        leading = [tuple(p.monoms()[0]) for p in self.basis]
        pure = {i for m in leading for i in range(self.n) if m[i] == sum(m) > 0}
        if len(pure) < self.n:  # not zero-dimensional: no finite staircase
            raise _FlintGaveUp()
        self.standard = _staircase(leading, self.n)
        if not 0 < len(self.standard) <= MAX_FLINT_SHAPE_DIMENSION:
            raise _FlintGaveUp()
        stage = "solving grad f = 0 (multiplication matrices)"
        self.matrices = _multiplication_matrices(self.basis, self.standard, self.n, deadline, stage)
        self._eliminants = {}

    @classmethod
    def of(cls, exprs, variables, deadline):
        """The quotient by the ideal of sympy polynomials (NotRationalError unless they are over QQ)."""
        try:
            polys = [sympy.Poly(e, *variables) for e in exprs]
        except sympy.PolynomialError as error:
            raise NotRationalError(str(error)) from None
        return cls(*polys_to_flint(polys, "grevlex"), deadline)

    def shape(self, tries, deadline):
        """(g, [h_i]) as ``fmpq_poly`` from the first of ``tries`` forms whose Krylov matrix is invertible."""
        size = len(self.standard)
        unit = flint.fmpq_mat(size, 1, [1] + [0] * (size - 1))
        coordinates = [m * unit for m in self.matrices]  # x_i on the standard monomials
        for weights in islice(_separating_forms(self.n), tries):
            deadline.check("solving grad f = 0 (separating form)")
            form = flint.fmpq_mat(size, size)
            for w, m in zip(weights, self.matrices):
                form = form + m * w if w else form
            columns = [unit]
            for _ in range(size):
                columns.append(form * columns[-1])
            krylov = _columns(columns[:size])
            if not _invertible(krylov):
                continue
            solved = krylov.solve(_columns([columns[size], *coordinates]))
            g = flint.fmpq_poly([-solved[k, 0] for k in range(size)] + [1])
            h = [flint.fmpq_poly([solved[k, i] for k in range(size)]) for i in range(1, self.n + 1)]
            return g, h
        return None

    def eliminant(self, i):
        """The square-free part of the generator of I ∩ QQ[x_i] (the minimal polynomial of M_(x_i))."""
        if i not in self._eliminants:
            _, factors = self.matrices[i].minpoly().factor_squarefree()
            self._eliminants[i] = _product(f for f, _ in factors)
        return self._eliminants[i]

    def radical_generators(self):
        """Generators of the radical of I (Seidenberg: I plus the square-free eliminant of every variable)."""
        eliminants = []
        for i in range(self.n):
            coefficients = self.eliminant(i).numer().coeffs()
            exponents = ((0,) * i + (e,) + (0,) * (self.n - 1 - i) for e in range(len(coefficients)))
            eliminants.append(self.context.from_dict({m: c for m, c in zip(exponents, coefficients) if c}))
        return [*self.basis, *eliminants]


def _flint_basis(generators, context, deadline):
    """The reduced Groebner basis (the context's order) of ``fmpz_mpoly`` generators, in the bounded slices of
    ``polys.FLINT_SLICES``."""
    vector = flint.fmpz_mpoly_vec(generators, context)
    count, length = len(generators), max(len(p) for p in generators)
    bits = int(max(abs(c) for p in generators for c in p.coeffs())).bit_length()
    for a, b, c in FLINT_SLICES:
        deadline.check("solving grad f = 0 (Groebner basis)")
        basis, done = vector.buchberger_naive(limits=(a * count + 16, b * length + 64, c * bits + 128))
        if done:
            deadline.check("solving grad f = 0 (Groebner basis)")
            return [p for p in basis.autoreduction(groebner=True) if not p.is_zero()]
    raise _FlintGaveUp()


def _invertible(matrix):
    """Whether a square fmpq_mat is invertible: a full rank modulo a prime proves it, else the exact rank decides."""
    numerators, denominator = matrix.numer_denom()
    prime = 2**61 - 1
    if int(denominator) % prime and flint.nmod_mat(numerators, prime).rank() == matrix.nrows():
        return True
    return matrix.rank() == matrix.nrows()


def _columns(vectors):
    """The fmpq_mat whose columns are the given column vectors."""
    rows = len(vectors[0].entries())
    return flint.fmpq_mat(rows, len(vectors), [v[r, 0] for r in range(rows) for v in vectors])


def _product(polys):
    total = flint.fmpq_poly([1])
    for p in polys:
        total *= p
    return total


def _flint_poly(poly):
    """A sympy Poly in one variable over QQ as an ``fmpq_poly``."""
    return flint.fmpq_poly([flint_rational(c) for c in reversed(poly.all_coeffs())])


def _sympy_poly(p, u):
    """An ``fmpq_poly`` as a sympy Poly in u over QQ."""
    return sympy.Poly.from_list([sympy_rational(c) for c in reversed(p.coeffs())], u, domain=sympy.QQ)


def _number(poly, root, candidates):
    """The exact value a(r) of a Poly a in u (reduced modulo q) at the real root r of q.

    ``candidates`` are the real roots, with disjoint isolating intervals, of
    a rational polynomial vanishing at a(r) (the coordinate's eliminant).  A
    non-constant a gives an irrational a(r), which lies inside exactly one of
    those intervals; r's interval is shrunk until the enclosure of a(r) does too.
    """
    if poly.degree() <= 0:
        return sympy.Rational(poly.LC()) if not poly.is_zero else sympy.Integer(0)
    for _ in range(MAX_SIGN_REFINEMENTS):
        lo, hi = root.enclosure(poly)
        inside = [c for c in candidates if not (c.hi < lo or hi < c.lo)]
        if len(inside) == 1 and inside[0].lo < lo and hi < inside[0].hi:
            return inside[0].expr()
        if not inside:
            break
        root.refine()
    raise NumericError(  # pragma: no cover
        "an algebraic number could not be matched to a root of its eliminant; report this input"
    )


def _exact_points(system, leaves, components, deadline):
    """Real points of zero-dimensional leaves that do not lie on a component, without repeats."""
    points = {}
    for leaf in leaves:
        found = orbits(leaf.exprs, system.variables, deadline)
        _orbit_points(system, [o for o in found if not any(o.vanishes(c.exprs) for c in components)], points, deadline)
    return list(points.values())


def _orbit_points(system, found, points, deadline):
    """Add the real points of the orbits to ``points`` (coordinates -> Solution); leaves may share points:
    each is finished once."""
    for orbit in found:
        for root in orbit.real_roots():
            deadline.check("exact critical points")
            coordinates = tuple(orbit.number(v, root) for v in system.variables)
            if coordinates not in points:
                points[coordinates] = _exact_point(system, orbit, root, coordinates)
    return points


def _exact_point(system, orbit, root, coordinates):
    n_plus, n_minus, rank = orbit.inertia(system.charpoly_polys, root)
    return Solution(coordinates, orbit.value(system.poly, root), rank, (n_plus, n_minus), "exact")


def _zero_dimensional_points(system, basis, deadline):
    """The real points of a zero-dimensional system, exactly.

    On FLINT the whole ideal is solved at once when a separating form is
    found for it (no factoring into leaves: the multiplication matrices of
    QQ[x]/I are small); otherwise, and on the sympy backend, leaf by leaf
    after :func:`~singularities.algebra.polys.split_ideal`.  Both give the
    same points, each coordinate a root of its eliminant's irreducible factor.
    """
    if use_flint():
        try:
            whole = _flint_orbits(basis.polys, system.variables, deadline)
        except _NotSeparated:
            whole = None
        if whole is not None:
            return list(_orbit_points(system, whole, {}, deadline).values())
    return _exact_points(system, split_ideal(basis.exprs, system.variables, deadline), (), deadline)


def _isolated_points(system, basis, method, deadline):
    if method == "interval":
        return _interval_points(system, deadline)
    if method == "exact":
        try:
            return _zero_dimensional_points(system, basis, deadline)
        except _NotSeparated as exc:
            reason = f"no separating linear form among the first {MAX_SEPARATING_FORMS}; use method='interval'"
            raise MethodNotApplicableError("exact", reason) from exc
    with deadline.attempt("the exact solve", BUDGETS.exact_solve, catch=_NotSeparated) as step:
        return _zero_dimensional_points(system, basis, step.deadline)
    return _interval_points(system, deadline)


def _slice(equations, variables, values, matrix, deadline):
    """[(point, inertia)] for the real points of one slice (empty unless the slice is zero-dimensional)."""
    rest = tuple(v for v in variables if v not in values)
    sliced = [e for e in (sympy.expand(sympy.sympify(e).xreplace(values)) for e in equations) if e != 0]
    if not rest:
        return [] if sliced else [(tuple(values[v] for v in variables), hessian_inertia(matrix))]
    if not sliced or not all(c.is_Rational for c in values.values()):
        return []  # nothing to solve, or an irrational slice value (the orbits need QQ): the slice is skipped
    basis = groebner_basis(sliced, rest, deadline, stage="slicing a component")
    if is_unit(basis) or dimension(basis, rest)[0] != 0:
        return []
    charpoly = charpoly_coefficients(matrix)
    found = []
    for part in orbits(basis.exprs, rest, deadline):
        constants = {v: sympy.Poly(c, part.q.gen, domain=sympy.QQ) for v, c in values.items()}
        orbit = _Orbit(part.q, {**constants, **part.coordinates}, part.axes)
        for root in orbit.real_roots():
            point = tuple(values[v] if v in values else orbit.number(v, root) for v in variables)
            found.append((point, orbit.inertia(charpoly, root)))
    return found


# ---------------------------------------------------------------------------
# interval certificates (Krawczyk)


def _interval_points(system, deadline):
    """Every real solution of a zero-dimensional system F = grad f, certified by the Krawczyk test.

    Each coordinate of a real solution is a real root of that variable's
    eliminant, so the points lie in the grid of isolating intervals.  Every
    grid box is bisected until F provably has no zero in it (interval
    evaluation) or exactly one (Krawczyk); a box that stays undecided holds a
    degenerate candidate, and NumericError reports it.
    """
    exprs = [g.as_expr() for g in system.equations]
    axes = []
    for v in system.variables:
        polynomial = sympy.Poly(eliminant(exprs, system.variables, v, deadline), v, domain=sympy.QQ)
        axes.append(real_roots(sympy.Poly(sympy.sqf_part(polynomial.as_expr()), v)))
    points, undecided = [], []
    with interval_precision():
        for cell in product(*axes):
            deadline.check("interval certificates")
            verdict = _decide_cell(system, cell)
            if verdict == "point":
                points.append(_interval_point(system, cell))
            elif verdict == "undecided":
                undecided.append(tuple(r.expr() for r in cell))
    if undecided:
        where = "(" + ", ".join(sympy.sstr(c) for c in undecided[0]) + ")"
        raise NumericError(
            f"the interval test could neither prove nor exclude a critical point at {where} "
            f"({len(undecided)} such candidate(s), probably degenerate critical points); use method='exact'"
        )
    return points


def _decide_cell(system, cell):
    for _ in range(MAX_REFINEMENTS):
        box = [(r.lo, r.hi) for r in cell]
        if excluded(system.equations, box):
            return "empty"
        if krawczyk(system.equations, system.matrix, box):
            return "point"
        for r in cell:
            r.refine()
    return "undecided"


def _interval_point(system, cell):
    coordinates = tuple(r.expr() for r in cell)
    middle = {v: sympy.Rational((r.lo + r.hi) / 2) for v, r in zip(system.variables, cell)}
    hessian = sympy.Matrix([[h.as_expr().xreplace(middle) for h in row] for row in system.matrix])
    n_plus, n_minus, rank = hessian_inertia(hessian)  # constant on the box: Krawczyk proved every Hessian in it regular
    value = system.expr.xreplace(dict(zip(system.variables, coordinates)))
    return Solution(coordinates, value, rank, (n_plus, n_minus), "interval")


# ---------------------------------------------------------------------------
# positive-dimensional solution sets


def _solution_set(system, basis, deadline):
    with deadline.attempt("splitting the solution set", BUDGETS.decompose) as step:
        leaves = split_ideal(basis.exprs, system.variables, step.deadline)
    if not step.ok:
        return [], (_component(system, basis, deadline, decomposed=False),)
    leaves = [leaf for leaf in leaves if not _without_real_points(leaf)]
    dimensions = [dimension(leaf, system.variables)[0] for leaf in leaves]
    positive = [leaf for leaf, d in zip(leaves, dimensions) if d > 0]
    positive = maximal_pieces(positive, system.variables, deadline, deadline.sub(BUDGETS.sample_point))
    isolated = [leaf for leaf, d in zip(leaves, dimensions) if d == 0]
    components = tuple(sorted((_component(system, leaf, deadline) for leaf in positive), key=_component_key))
    try:
        return _exact_points(system, isolated, positive, deadline), components
    except _NotSeparated as exc:  # pragma: no cover - needs more than MAX_SEPARATING_FORMS bad linear forms
        raise MethodNotApplicableError(
            "exact", f"no separating linear form among the first {MAX_SEPARATING_FORMS}"
        ) from exc


def _without_real_points(basis):
    """Whether a generator in one variable has no real root, which proves V(basis) has no real point."""
    return any(len(e.free_symbols) == 1 and sympy.Poly(e).count_roots() == 0 for e in basis.exprs)


def _component_key(component):
    return -component.dimension, [sympy.default_sort_key(e) for e in component.equations]


def _component(system, basis, deadline, decomposed=True):
    size, independent = dimension(basis, system.variables)
    sample, regular = _sample_point(system.variables, basis, independent, deadline)
    remainder = basis.reduce(system.expr)[1]
    return Component(
        dimension=size,
        equations=tuple(primitive(e, system.variables) for e in basis.exprs),
        sample_point=sample,
        value=remainder if not remainder.free_symbols else None,
        real_dimension=size if regular else None,
        decomposed=decomposed,
    )


def _sample_point(variables, basis, independent, deadline):
    """(point, regular): a real point of V(basis) from slices fixing the independent variables.

    Regular points (Jacobian rank n - dimension) are preferred; they prove the
    real dimension.  Searching is bounded by ``BUDGETS.sample_point``.
    """
    fallback = None
    fixed = [variables[i] for i in independent]
    slices = (dict(zip(fixed, values)) for values in islice(product(SAMPLE_VALUES, repeat=len(fixed)), MAX_SLICES))
    gram = jacobian_gram(basis.exprs, variables)
    with deadline.attempt("a sample point on a component", BUDGETS.sample_point) as step:
        for point, (_, _, rank) in slice_points(basis.exprs, variables, slices, matrix=gram, deadline=step.deadline):
            if rank == len(variables) - len(fixed):
                return point, True
            fallback = fallback or point
    return fallback, False
