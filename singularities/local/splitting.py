"""The splitting lemma: g ~ Q(y) + h(z) at a critical point, exactly, and the local Milnor number.

At a critical point of corank k, completing squares in the Hessian gives
coordinates in which g = sum d_i y_i^2 + (higher terms); solving dg/dy = 0
for y = Y(z) order by order and restricting, h(z) = g(Y(z), z) is the
residual in the k kernel variables (Arnold-Gusein-Zade-Varchenko vol. I,
section 11.4).  Everything is exact (sparse polynomials over Q or a number
field); the jet order is raised until it is at least mu(h) + 1, which makes
the jet determine h (finite determinacy, ibid. section 6.3).
"""

from dataclasses import dataclass, field
from itertools import combinations_with_replacement

import sympy
from sympy.polys.constructor import construct_domain
from sympy.polys.rings import ring

from .._limits import Deadline, call_with_limit, guard
from .._result import Result, parse_field, register
from ..algebra.backend import expression_from_terms, flint_from_terms, sympy_rational, use_flint
from ..algebra.local_rings import (
    MAX_COLUMNS,
    column_count,
    common_factor_at_origin,
    isolated_zero,
    local_milnor_number,
    max_degree,
)
from ..algebra.polys import groebner_basis, standard_monomials
from ..algebra.realroots import exact_sign
from ..energy import Energy, as_energy
from ..errors import InputError, NotCriticalError, UndecidedSign
from ..jets import taylor_terms

__all__ = ["Splitting", "splitting", "milnor_number", "residual_variables", "compose_truncated", "MAX_ORDER"]

#: The highest jet order of a residual: the jet determines h when mu < MAX_ORDER (A_k up to k = 99).
MAX_ORDER = 100
_EVERY_ORDER = 10**9  # a jet order above the degree of any polynomial: all its terms

#: The sympy reference path's caps (today's: exact below mu = 16 in corank 2, 10 in corank 3).
MAX_ORDER_BY_CORANK = {1: 24, 2: 16, 3: 10}


@register("splitting")
@dataclass(frozen=True, slots=True)
class Splitting(Result):
    """g ~ Q(y) + h(z) at a critical point (docs/classification.md#the-splitting-lemma).

    Attributes
    ----------
    inertia : tuple of int
        (n_plus, n_minus) of the non-degenerate quadratic part Q.
    corank : int
        k, the number of residual variables.
    residual : sympy.Expr
        The jet of h (zero 2-jet) in :func:`residual_variables` ``(k)``.
    order : int
        The jet order of ``residual``.
    milnor_number : int or None
        mu(h) = mu(g) exactly, or None when not found (above ``order - 1``,
        or infinite when ``isolated`` is False).  The jet of order ``order``
        determines h when ``order >= mu + 1`` (finite determinacy).
    squares : tuple
        The coefficients d_i of Q = sum d_i y_i^2 (exact).  Every coordinate
        change of the lemma has Jacobian determinant 1 at the point, so
        prod |d_i| = |det Hess_y g| / 2^(n-k) enters volumes and DOS prefactors.
    isolated : bool or None
        Whether the critical point is isolated (mu finite): True when mu is
        known or isolatedness was proven, False when a curve of critical
        points through it was found (mu infinite), None when undecided.
    """

    inertia: tuple
    corank: int
    residual: sympy.Expr
    order: int
    milnor_number: int
    squares: tuple = ()
    isolated: bool = None
    energy: Energy = field(default=None, repr=False)

    @property
    def variables(self):
        """The residual variables x, y, z (or z1, z2, ... beyond three)."""
        return residual_variables(self.corank)

    def to_rows(self):
        return ("quantity", "value"), [
            ("inertia of Q (n+, n-)", f"({self.inertia[0]}, {self.inertia[1]})"),
            ("corank", self.corank),
            ("residual h", self.residual),
            ("jet order", self.order),
            ("Milnor number", self.milnor_number),
        ]

    def to_dict(self):
        return {
            "kind": "splitting",
            "inertia": list(self.inertia),
            "corank": self.corank,
            "residual": sympy.sstr(self.residual),
            "residual_variables": [str(v) for v in self.variables],
            "order": self.order,
            "milnor_number": self.milnor_number,
            "squares": [sympy.sstr(d) for d in self.squares],
            "isolated": self.isolated,
        }

    @classmethod
    def from_dict(cls, data):
        """Rebuild the result from :meth:`to_dict` output (the energy is not kept)."""
        return cls(
            tuple(data["inertia"]),
            data["corank"],
            parse_field(data["residual"]),
            data["order"],
            data["milnor_number"],
            tuple(parse_field(d) for d in data["squares"]),
            data.get("isolated"),
        )


def residual_variables(k):
    """The names of the k residual variables: x, y, z, then z1, z2, ...

    Examples
    --------
    >>> from singularities.local.splitting import residual_variables
    >>> residual_variables(2)
    (x, y)
    """
    names = "x y z".split() if k <= 3 else [f"z{i}" for i in range(1, k + 1)]
    return tuple(sympy.Symbol(n) for n in names[:k])


def splitting(f, point=None, *, variables=None, parameters=None, order=None, timeout=None):
    """Split g(x) = f(p + x) - f(p) at a critical point p into Q(y) + h(z).

    Parameters
    ----------
    f : str, sympy.Expr or Energy
        A polynomial or analytic function.
    point : sequence or str, optional
        The critical point (default the origin).
    order : int, optional
        A fixed jet order for h; by default it is raised until it is at
        least mu + 1 (or :data:`MAX_ORDER` is reached).
    timeout : float, optional
        Time limit in seconds.

    Raises
    ------
    NotCriticalError
        If grad f(p) != 0.

    Examples
    --------
    >>> s = sg.splitting("x**4 - y**2 + x**2*y")
    >>> s.inertia, s.corank, s.residual, s.milnor_number
    ((0, 1), 1, 5*x**4/4, 3)
    """
    deadline = Deadline.coerce(timeout)
    with guard(deadline, "splitting lemma"):
        energy = as_energy(f, point, variables=variables, parameters=parameters)
        if not use_flint():
            return _splitting_reference(energy, order, deadline)
        return _splitting_local(energy, order, deadline)


def _splitting_local(energy, order, deadline):
    """The splitting with mu by exact linear algebra (algebra.local_rings), each jet order computed once.

    The jet order N starts at 4 (or ``order``); mu is read off the ranks
    below degree N (they need only the N-jet of h).  When mu is found and
    N < mu + 1 the jet is recomputed once at mu + 1 (finite determinacy);
    when it is not, N grows by half up to the corank's cap.  A proven
    non-isolated point stops at once.
    """
    jet_order, mu, isolated, cache, saturated = order or 4, None, None, {}, False
    while True:
        terms = _jet_terms(energy, jet_order, cache, deadline)
        _require_critical(terms, energy)
        squares, residual, h_terms = _split(terms, len(energy.variables), jet_order, deadline, cache)
        inertia, corank = _inertia(squares, len(energy.variables))
        if corank and isolated is None:
            isolated = _isolated(cache.get("full"), len(energy.variables), deadline)
        limit = _order_limit(corank)
        if mu is None and corank and isolated is not False:
            mu, _ = local_milnor_number(h_terms, residual_variables(corank), min(jet_order, limit), timeout=deadline)
        mu = 0 if not corank else mu
        if mu is not None and order is None and jet_order < max(4, mu + 1) <= MAX_ORDER:
            jet_order = max(4, mu + 1)
            continue
        if mu is None and isolated is None and order is None and not saturated:
            isolated, saturated = _isolated_by_saturation(cache.get("full"), len(energy.variables), deadline), True
        if order is not None or mu is not None or isolated is False or jet_order >= limit:
            isolated = True if mu is not None else isolated
            return Splitting(inertia, corank, residual, jet_order, mu, squares, isolated, energy)
        jet_order = min(limit, jet_order + max(2, jet_order // 2))


def _splitting_reference(energy, order, deadline):
    """Today's loop on sympy (the reference path): jet orders 4, 8, 16, mu by Groebner bases of J + m^s."""
    jet_order = order or 4
    while True:
        terms = taylor_terms(energy, jet_order, timeout=deadline)
        _require_critical(terms, energy)
        squares, residual, _ = _split(terms, len(energy.variables), jet_order, deadline)
        inertia, corank = _inertia(squares, len(energy.variables))
        mu = milnor_number(residual, residual_variables(corank), bound=jet_order, timeout=deadline)
        settled = mu is not None and jet_order >= mu + 1
        limit = MAX_ORDER_BY_CORANK.get(corank, 6)
        if order is not None or settled or jet_order >= limit:
            return Splitting(inertia, corank, residual, jet_order, mu if settled else None, squares, None, energy)
        jet_order = min(limit, mu + 1 if mu is not None else 2 * jet_order)


def _inertia(squares, n):
    signs = [_sign(d) for d in squares]
    inertia = (signs.count(1), signs.count(-1))
    return inertia, n - sum(inertia)


def _order_limit(corank):
    """The highest jet order for a residual in ``corank`` variables: one exact echelon form stays bounded."""
    return min(MAX_ORDER, max_degree(corank)) if corank else 4


def _require_critical(terms, energy):
    gradient = tuple(
        terms.get(tuple(int(i == j) for j in range(len(energy.variables))), sympy.Integer(0))
        for i in range(len(energy.variables))
    )
    if any(c != 0 for c in gradient):
        raise NotCriticalError(gradient, tuple(energy.point))


def _jet_terms(energy, order, cache, deadline):
    """taylor_terms at ``order``; a polynomial is expanded once and its jets are read off the cached terms."""
    if "full" not in cache:
        if not energy.is_polynomial():
            return taylor_terms(energy, order, timeout=deadline)
        cache["full"] = taylor_terms(energy, _EVERY_ORDER, timeout=deadline)
    return {e: c for e, c in cache["full"].items() if sum(e) <= order}


def _isolated(terms, n, deadline):
    """False when the partial derivatives of the polynomial g share a factor vanishing at 0, else None.

    That factor's zero set is a hypersurface of critical points through the
    point (n >= 2), so the point is not isolated and mu is infinite.
    """
    if terms is None or n < 2 or not all(c.is_Rational for c in terms.values()):
        return None
    deadline.check("splitting lemma: isolatedness")
    g = flint_from_terms(terms, n)
    return False if common_factor_at_origin(g.derivative(i) for i in range(n)) else None


def _isolated_by_saturation(terms, n, deadline):
    """isolated_zero of the gradient of the polynomial g (True, False or None), within its limits."""
    if terms is None or not all(c.is_Rational for c in terms.values()):
        return None
    g = flint_from_terms(terms, n)
    return isolated_zero([g.derivative(i) for i in range(n)], timeout=deadline)


def _split(terms, n, order, deadline, cache=None):
    """(squares d_i, h, terms of h) from the jet terms of g (no constant or linear terms).

    On FLINT (``fmpq_mpoly``, converted once) when the coefficients are
    rational and the backend is ``"flint"``; otherwise on sympy's sparse
    polynomials over Q or a number field.
    """
    if use_flint() and all(c.is_Rational for c in terms.values()):
        return _split_flint(terms, n, order, deadline, {} if cache is None else cache)
    return _split_sympy(terms, n, order, deadline)


def _split_flint(terms, n, order, deadline, cache):
    """On FLINT; the solution Y(z) of a lower jet order (in ``cache``) starts the iteration at a higher one."""
    g = flint_from_terms(terms, n)
    g, squares, kernel = _complete_squares_flint(g, deadline)
    start = cache.get("solution")
    h, cache["solution"] = _eliminate_flint(g, squares, order, deadline, start)
    return (tuple(sympy_rational(d) for d in squares.values()), *_residual_flint(h, kernel))


def _complete_squares_flint(g, deadline):
    """As :func:`_complete_squares`, on an ``fmpq_mpoly`` (linear substitutions keep the degree)."""
    gens = g.context().gens()
    n, remaining, squares = len(gens), list(range(len(gens))), {}
    while True:
        deadline.check("splitting lemma: completing squares")
        quadratic = {m: c for m, c in zip(g.monoms(), g.coeffs()) if sum(m) == 2}
        pivot = next((i for i in remaining if quadratic.get(_unit(i, 2, n))), None)
        images = list(gens)
        if pivot is None:
            pair = next(((i, j) for i in remaining for j in remaining if i < j and quadratic.get(_pair(i, j, n))), None)
            if pair is None:
                return g, squares, remaining
            images[pair[1]] = gens[pair[1]] + gens[pair[0]]
            g = g.compose(*images)
            continue
        a = quadratic[_unit(pivot, 2, n)]
        linear = sum((quadratic.get(_pair(pivot, j, n), 0) * gens[j] for j in remaining if j != pivot), 0 * gens[0])
        images[pivot] = gens[pivot] - linear * (1 / (2 * a))
        g = g.compose(*images)
        squares[pivot] = a
        remaining.remove(pivot)


def _eliminate_flint(g, squares, order, deadline, start=None):
    """(h, (order, Y)) with h(z) = g(Y(z), z), dg/dy_i(Y(z), z) = 0; the fixed-point iteration gains one order per step.

    Y vanishes to order 2, so after t steps it is right below degree t + 2:
    step t works modulo degree t + 3 only, and the last steps at ``order``
    stop at the fixed point (the exact truncated solution).  A solution
    ``start`` = (N, Y) of the N-jet of the same g (same squares) is right
    below degree N, so it starts at step N - 2.
    """
    if not squares:
        return g, None
    zero = 0 * g
    values, first = {i: zero for i in squares}, 0
    if start is not None and start[1].keys() == squares.keys() and start[0] <= order:
        values, first = dict(start[1]), max(0, start[0] - 2)
    derivatives = {i: _grouped(g.derivative(i), squares) for i in squares}
    halves = {i: 1 / (2 * d) for i, d in squares.items()}
    for step in range(first, 2 * order + 2):
        deadline.check("splitting lemma: eliminating the Morse variables")
        level = min(order, step + 2)
        updated = {
            i: _truncate_flint(values[i], level) - _compose_flint(derivatives[i], values, level) * halves[i]
            for i in squares
        }
        if level == order and updated == values:
            break
        values = updated
    return _compose_flint(_grouped(g, squares), values, order), (order, values)


def _grouped(p, replaced):
    """p as [(exponents in the replaced variables, the coefficient polynomial in the others)]."""
    ctx, indices = p.context(), sorted(replaced)
    groups = {}
    for e, c in zip(p.monoms(), p.coeffs()):
        rest = tuple(0 if i in replaced else x for i, x in enumerate(e))
        groups.setdefault(tuple(e[i] for i in indices), {})[rest] = c
    return ctx, indices, [(exponents, ctx.from_dict(part)) for exponents, part in groups.items()]


def _compose_flint(grouped, values, level):
    """p (as :func:`_grouped`) with variable i replaced by values[i] (of order >= 1), truncated at degree ``level``.

    Each product of powers of the values is formed once per group of terms.
    """
    ctx, indices, groups = grouped
    powers = {i: [ctx.from_dict({(0,) * ctx.nvars(): 1})] for i in indices}
    result = ctx.from_dict({})
    for exponents, part in groups:
        if sum(exponents) > level:
            continue
        term = part
        for i, k in zip(indices, exponents):
            while len(powers[i]) <= k:
                powers[i].append(_truncate_flint(powers[i][-1] * values[i], level))
            if k:
                term = term * powers[i][k]
        result += term
    return _truncate_flint(result, level)


def _truncate_flint(p, level):
    if p.total_degree() <= level:
        return p
    return p.context().from_dict({m: c for m, c in zip(p.monoms(), p.coeffs()) if sum(m) <= level})


def _residual_flint(h, kernel):
    names = residual_variables(len(kernel))
    terms = {}
    for monomial, c in zip(h.monoms(), h.coeffs()):
        if not any(monomial[i] for i in range(len(monomial)) if i not in kernel):
            terms[tuple(monomial[i] for i in kernel)] = sympy_rational(c)
    return expression_from_terms(terms, names), terms


def _split_sympy(terms, n, order, deadline):
    domain, coefficients = construct_domain(list(terms.values()) or [sympy.Integer(0)], extension=True)
    field_domain = domain.get_field()
    coefficients = [field_domain.convert_from(c, domain) for c in coefficients]
    domain = field_domain
    names = [f"t{i}" for i in range(n)]
    R, *gens = ring(",".join(names), domain) if n > 1 else (lambda r: (r[0], r[1]))(ring(names[0], domain))
    g = R.zero
    for exponent, c in zip(terms, coefficients):
        g += R({exponent: c})
    g, squares, kernel = _complete_squares(R, gens, g, order, deadline)
    h = _eliminate(R, gens, g, squares, order, deadline)
    residual = _to_residual(h, domain, kernel)
    variables = residual_variables(len(kernel))
    h_terms = dict(sympy.Poly(residual, *variables).terms()) if variables and residual != 0 else {}
    return tuple(domain.to_sympy(d) for d in squares.values()), residual, h_terms


def _complete_squares(R, gens, g, order, deadline):
    """Linear substitutions making the quadratic part sum d_i t_i^2 over the non-kernel variables."""
    remaining, squares = list(range(len(gens))), {}
    while True:
        deadline.check("splitting lemma: completing squares")
        quadratic = {m: c for m, c in g.items() if sum(m) == 2}
        pivot = next((i for i in remaining if quadratic.get(_unit(i, 2, len(gens)))), None)
        if pivot is None:
            pair = next(
                ((i, j) for i in remaining for j in remaining if i < j and quadratic.get(_pair(i, j, len(gens)))), None
            )
            if pair is None:
                return g, squares, remaining
            i, j = pair
            g = _truncate(g.compose(gens[j], gens[j] + gens[i]), order)
            continue
        a = quadratic[_unit(pivot, 2, len(gens))]
        linear = sum((quadratic.get(_pair(pivot, j, len(gens)), 0) * gens[j] for j in remaining if j != pivot), R.zero)
        g = _truncate(g.compose(gens[pivot], gens[pivot] - linear * R.domain.quo(R.domain.one, 2 * a)), order)
        squares[pivot] = a
        remaining.remove(pivot)


def _eliminate(R, gens, g, squares, order, deadline):
    """h(z) = g(Y(z), z) where dg/dy_i(Y(z), z) = 0, by fixed-point iteration on truncated series."""
    if not squares:
        return g
    values = {i: R.zero for i in squares}
    derivatives = {i: g.diff(gens[i]) for i in squares}
    for _ in range(order):
        deadline.check("splitting lemma: eliminating the Morse variables")
        updated = {
            i: values[i] - compose_truncated(derivatives[i], values, order) * R.domain.quo(R.domain.one, 2 * d)
            for i, d in squares.items()
        }
        if updated == values:
            break
        values = updated
    return compose_truncated(g, values, order)


def compose_truncated(p, values, order):
    """p with the variables of index i replaced by values[i], truncated at total degree ``order`` throughout."""
    R = p.ring
    powers = {i: [R.one] for i in values}
    result = R.zero
    for monomial, coefficient in p.items():
        term = R({tuple(0 if i in values else e for i, e in enumerate(monomial)): coefficient})
        for i, e in enumerate(monomial):
            if i in values and e:
                while len(powers[i]) <= e:
                    powers[i].append(_truncate(powers[i][-1] * values[i], order))
                term = _truncate(term * powers[i][e], order)
                if not term:
                    break
        result += term
    return result


def _to_residual(h, domain, kernel):
    names = residual_variables(len(kernel))
    expression = sympy.Integer(0)
    for monomial, c in h.items():
        if any(monomial[i] for i in range(len(monomial)) if i not in kernel):
            continue
        expression += domain.to_sympy(c) * sympy.Mul(*(v ** monomial[i] for v, i in zip(names, kernel)))
    return sympy.expand(expression)


def milnor_number(h, variables, *, bound=None, timeout=None):
    """The local Milnor number mu = dim C[[z]]/(dh/dz_1, ..., dh/dz_k) of h at 0, exactly.

    Computed as dim C[z]/(J + m^s) for s = bound + 1 and bound + 2: the
    dimension increases with s, and once two consecutive values agree it
    equals the local mu (Nakayama's lemma); every mu <= bound has
    stabilised by then.  Returns None otherwise (mu > bound, or a
    non-isolated critical point).

    Examples
    --------
    >>> from singularities.local.splitting import milnor_number
    >>> x, y = sympy.symbols("x y")
    >>> milnor_number(x**3 + y**4, (x, y)), milnor_number(x**2*y + y**5, (x, y))
    (6, 6)
    >>> milnor_number(x**2*y**2, (x, y)) is None  # non-isolated
    True
    """
    deadline = Deadline.coerce(timeout)
    if not variables:
        return 0
    s = (bound or 12) + 1
    if use_flint() and column_count(len(variables), s + 1) <= MAX_COLUMNS:
        # the same criterion by exact ranks: d_s = d_(s+1) for some s <= bound + 1
        return local_milnor_number(sympy.expand(h), variables, s + 1, timeout=deadline)[0]
    gradient = [sympy.expand(h.diff(v)) for v in variables]
    first = call_with_limit(deadline, "Milnor number", _quotient_dimension, gradient, variables, s)
    second = call_with_limit(deadline, "Milnor number", _quotient_dimension, gradient, variables, s + 1)
    return first if first == second else None


def _quotient_dimension(gradient, variables, s):
    """dim C[z]/(J + m^s) on the reference path: the standard monomials of its Groebner basis (finite: m^s is in it)."""
    power = [sympy.Mul(*m) for m in combinations_with_replacement(variables, s)]
    basis = groebner_basis([p for p in gradient if p != 0] + power, variables, domain=None)
    return len(standard_monomials(basis, variables))


def _truncate(p, order):
    return p.ring({m: c for m, c in p.items() if sum(m) <= order})


def _unit(i, power, n):
    return tuple(power if j == i else 0 for j in range(n))


def _pair(i, j, n):
    return tuple(1 if k in (i, j) else 0 for k in range(n))


def _sign(value):
    try:
        return exact_sign(value)
    except UndecidedSign as exc:
        raise InputError(f"{exc} exactly; give the point with simpler coordinates") from exc
