"""Tuning a lattice dispersion: the parameter values where a critical point turns
degenerate, and the higher-order conditions.

With c_j = cos(theta_j), s_j = sin(theta_j) (see :mod:`singularities.physics.torus`)
a critical point p of f on the torus is degenerate exactly when

    grad F = 0,  c_j^2 + s_j^2 = 1,  det Hess F = 0

has a solution.  Eliminating (c, s) from this system (an exact Groebner
elimination) leaves the *condition*: polynomials in the tuned parameters
whose zero set is where some critical point degenerates.  Two further
systems give the next strata: "corank 2" (every (n-1)-minor of the Hessian
vanishes: D4, X9, ... in two variables) and "A3" (a corank-1 point whose
cubic term along the kernel vanishes, D^3 F[v, v, v] = 0 with v any column
of adj(Hess), so A3 or worse).  Each condition is analysed at exact
representative parameter values: the whole torus is solved there, the
degenerate points are classified and the positive-dimensional critical
components that appear are reported with their DOS behaviour.  Guide and
worked lattices: docs/lattices.md.
"""

from dataclasses import dataclass, field
from itertools import combinations, product

import sympy
from sympy.polys.orderings import MonomialOrder, grevlex

from .._exact import exact_string, point_text
from .._limits import BUDGETS, Deadline, call_with_limit, guard
from .._result import Result, from_dict, parse_field, register
from ..algebra.backend import use_flint
from ..algebra.polys import flint_elimination, groebner_basis, is_unit, lex_basis, maximal_pieces, split_ideal
from ..energy import Energy, as_energy
from ..errors import InputError, SingularitiesError
from ..local.classify import classify
from ..local.critical import solve_system
from .dos import dos_asymptotics
from .torus import poincare_hopf_index, torus_critical_points
from .torus_points import TorusComponent, TorusPoint
from .trig import torus_polynomial

__all__ = ["Degeneration", "Tuning", "tune", "STRATA"]

STRATA = ("degenerate", "corank 2", "A3")
"""The strata searched: det Hess = 0; corank >= 2; corank 1 with vanishing cubic along the kernel (A3 or worse)."""

SLICE_VALUES = (sympy.Integer(1), sympy.Integer(2), sympy.Integer(-1), sympy.Rational(1, 2), sympy.Integer(3))

_BRANCHES = 64
"""At most this many factor branches (:func:`_branch_elimination`); further equations are kept whole."""


@register("degeneration")
@dataclass(frozen=True, slots=True)
class Degeneration(Result):
    """One stratum of parameter space where critical points degenerate, analysed at representative values.

    Attributes
    ----------
    stratum : str
        "degenerate" (det Hess = 0), "corank 2" or "A3" (see :data:`STRATA`).
    condition : tuple
        Exact polynomials in the tuned parameters; the stratum is where all vanish.
        Empty when the points are degenerate for every parameter value.
    relation : str
        The condition in words: "t2 = 1/6", "tp = t/2", ...
    values : tuple
        ((parameter, exact value), ...): the representative point of the
        stratum at which the torus was analysed.
    points : tuple of TorusPoint
        The degenerate isolated critical points there, classified, with index and DOS.
    components : tuple of TorusComponent
        Lines or surfaces of critical points there, with their DOS behaviour.
    morse_check : bool or None
        The Morse-sum check of the torus analysis at these values.
    note : str
        How the condition was found when not by one elimination, and anything not settled.
    """

    stratum: str
    condition: tuple
    relation: str
    values: tuple
    points: tuple = ()
    components: tuple = ()
    morse_check: bool = None
    note: str = field(default="", repr=False)

    def to_rows(self):
        rows = [("kind", self.stratum), ("condition", self.relation), ("analysed at", _values_text(self.values))]
        rows += [(f"point {point_text(p.point)}", f"{p.label}, value {sympy.sstr(p.value)}") for p in self.points]
        rows += [(f"component {c.description}", f"value {c.value}; {c.dos_note}") for c in self.components]
        rows += [("note", self.note)] if self.note else []
        return ("quantity", "value"), rows

    def to_dict(self):
        return {
            "kind": "degeneration",
            "stratum": self.stratum,
            "condition": [exact_string(c) for c in self.condition],
            "relation": self.relation,
            "values": {str(p): exact_string(v) for p, v in self.values},
            "points": [p.to_dict() for p in self.points],
            "components": [c.to_dict() for c in self.components],
            "morse_check": self.morse_check,
            "note": self.note,
        }

    @classmethod
    def from_dict(cls, data):
        """Rebuild the stratum from :meth:`to_dict` output."""
        values = tuple((sympy.Symbol(p), parse_field(v)) for p, v in data["values"].items())
        return cls(
            data["stratum"],
            tuple(parse_field(c) for c in data["condition"]),
            data["relation"],
            values,
            tuple(TorusPoint.from_dict(p) for p in data["points"]),
            tuple(TorusComponent.from_dict(c) for c in data["components"]),
            data["morse_check"],
            data["note"],
        )


@register("tune")
@dataclass(frozen=True, slots=True)
class Tuning(Result):
    """Every degeneration of the critical points of f as the parameters vary.

    Attributes
    ----------
    parameters : tuple of sympy.Symbol
        The tuned parameters (those given without a value).
    degenerations : tuple of Degeneration
        One entry per stratum and representative, ordered by kind.
    energy : Energy
        The input.
    """

    parameters: tuple
    degenerations: tuple
    energy: Energy = field(default=None, repr=False)

    def conditions(self, stratum="degenerate"):
        """The relations of one stratum (:data:`STRATA`), e.g. ``("t2 = -1/4", "t2 = 1/4")``."""
        if stratum not in STRATA:
            raise InputError(f"unknown stratum {stratum!r}; choose one of {', '.join(STRATA)}")
        seen = []
        for d in self.degenerations:
            if d.stratum == stratum and d.relation not in seen:
                seen.append(d.relation)
        return tuple(seen)

    def to_rows(self):
        header = ("kind", "condition", "analysed at", "degenerate points", "components")
        rows = [
            (
                d.stratum,
                d.relation,
                _values_text(d.values),
                "; ".join(f"{point_text(p.point)} {p.label}" for p in d.points) or None,
                "; ".join(f"{c.description} (value {c.value})" for c in d.components) or None,
            )
            for d in self.degenerations
        ]
        if not rows:
            rows = [("none", "no parameter value makes a critical point degenerate", None, None, None)]
        return header, rows

    def to_dict(self):
        data = {
            "kind": "tune",
            "parameters": [str(p) for p in self.parameters],
            "degenerations": [d.to_dict() for d in self.degenerations],
        }
        return self._with_input(data)

    @classmethod
    def from_dict(cls, data):
        """Rebuild the result from :meth:`to_dict` output."""
        return cls(
            tuple(sympy.Symbol(p) for p in data["parameters"]),
            tuple(Degeneration.from_dict(d) for d in data["degenerations"]),
            from_dict(data.get("input")),
        )


def tune(f, parameters, *, variables=None, point=None, periods=None, torus=True, timeout=None):
    """The parameter values where a critical point of the lattice dispersion f degenerates, and what happens there.

    Parameters
    ----------
    f : str or sympy.Expr
        A trigonometric polynomial (see :func:`~singularities.physics.torus.torus_critical_points`).
    parameters : str, dict or sequence
        The parameters, as for :class:`~singularities.energy.Energy`; those
        without a value are tuned (``"t,tp"``, or ``"t=1,tp"`` to fix t).
    point : sequence or str, optional
        Restrict to one point that is critical for every parameter value
        (a symmetry-pinned point such as (pi, 0) or the K point); much faster.
    periods : sequence or str, optional
        The periods (default 2*pi each).
    torus : bool
        Analyse the whole torus at each representative (components, Morse
        check); with False only the degenerate points are classified.
    timeout : float, optional
        Time limit in seconds.

    Returns
    -------
    Tuning

    Raises
    ------
    InputError
        If no parameter is left free, f is not a trigonometric polynomial,
        or ``point`` is not critical for all parameter values.

    Examples
    --------
    The chain with second-neighbour hopping: the band bottom turns quartic (A3+) at t2 = -t/4.

    >>> from singularities.physics.tune import tune
    >>> found = tune("-2*t*cos(k) - 2*t2*cos(2*k)", "t=1,t2")
    >>> found.conditions()
    ('t2 = -1/4', 't2 = 1/4')
    >>> [(d.relation, [(p.point, p.label) for p in d.points]) for d in found.degenerations if d.stratum == "degenerate"]
    [('t2 = -1/4', [((0,), 'A3+')]), ('t2 = 1/4', [((pi,), 'A3-')])]
    """
    deadline = Deadline.coerce(timeout)
    with guard(deadline, "tuning"):
        energy = as_energy(f, variables=variables, parameters=parameters)
        free = energy.free_parameters
        if not free:
            raise InputError(
                "no parameter is left free to tune; give at least one parameter without a value, e.g. 't=1,tp'"
            )
        polynomial = torus_polynomial(energy, periods=periods)
        at = None if point is None else _pinned(polynomial, energy, point)
        results, cache, first = [], {}, None
        systems = _systems(polynomial, at)
        for index, (kind, equations) in enumerate(systems):
            deadline.check(f"tuning: the {kind} stratum", index, len(systems))
            unknowns = () if at is not None else polynomial.unknowns
            # every stratum's ideal contains the first one's (det Hess is in the ideal of the (n-1)-minors):
            # the later strata start from its bases and, with one parameter, test only its factors
            if first is None and unknowns:
                first = {"bases": []}
                conditions = _conditions(equations, unknowns, free, deadline, first)
            else:
                conditions = _conditions(equations, unknowns, free, deadline, None, first)
            for done, (relation, generators, values, how) in enumerate(conditions):
                deadline.check(f"tuning: the points of the {kind} stratum", done, len(conditions))
                key = tuple(values)
                if key not in cache:
                    cache[key] = _analyse(energy, polynomial, values, at, torus, deadline)
                points, components, morse_check, note = cache[key]
                note = "; ".join(t for t in (how, note) if t)
                results.append(Degeneration(kind, generators, relation, key, points, components, morse_check, note))
        return Tuning(free, tuple(_without_repeats(results, free)), energy)


def _without_repeats(results, parameters):
    """Drop an isolated parameter point lying on a curve (or surface) of the same kind that shows the same types there.

    Elimination also projects complex critical points and embedded pieces,
    so a point of a stratum can be listed on its own; it is kept only when
    the degenerate points there have other types (e.g. A5 on a line of A3).
    """
    kept = []
    for d in results:
        larger = [
            e
            for e in results
            if e.stratum == d.stratum
            and e is not d
            and _on(d.values, e.condition)
            and _positive_dimensional(e.condition, parameters)
        ]
        same = any(_types(e) == _types(d) for e in larger)
        if not (d.condition and not _positive_dimensional(d.condition, parameters) and same):
            kept.append(d)
    return kept


def _on(values, condition):
    return bool(condition) and all(sympy.expand(g.xreplace(dict(values))) == 0 for g in condition)


def _types(degeneration):
    return (
        {(p.point, None if p.classification is None else p.classification.type) for p in degeneration.points},
        {c.description for c in degeneration.components},
    )


# ---------------------------------------------------------------------------
# the systems


def _pinned(polynomial, energy, point):
    """The (c, s) values of a point that is critical for every parameter value, else InputError."""
    point = energy.at(point).point
    theta = [2 * sympy.pi * k / P for k, P in zip(point, polynomial.periods)]
    values = {c: sympy.cos(t) for c, t in zip(polynomial.cos, theta)} | {
        s: sympy.sin(t) for s, t in zip(polynomial.sin, theta)
    }
    gradient = [sympy.simplify(g.xreplace(values)) for g in polynomial.gradient()]
    if any(g != 0 for g in gradient):
        raise InputError(
            f"the point {point_text(point)} is not critical for every parameter value (gradient {tuple(gradient)}); "
            "omit point= to search the whole torus"
        )
    return point, values


def _systems(polynomial, at):
    """(kind, equations) for the three strata; with a pinned point the equations are in the parameters only."""
    hessian = polynomial.hessian()
    n = hessian.rows
    base = [] if at is not None else polynomial.gradient() + polynomial.circles
    determinant = sympy.expand(hessian.det())
    systems = [("degenerate", base + [determinant])]
    if n >= 2:
        minors = [
            hessian.extract(list(r), list(c)).det()
            for r in combinations(range(n), n - 1)
            for c in combinations(range(n), n - 1)
        ]
        systems.append(("corank 2", base + [sympy.expand(m) for m in minors]))
    systems.append(("A3", base + [determinant] + _kernel_cubics(polynomial, hessian)))
    if at is not None:
        values = at[1]
        systems = [(kind, [sympy.expand(e.xreplace(values)) for e in equations]) for kind, equations in systems]
    return systems


def _rational(equations, parameters):
    """Each equation over Q, by its norm when its coefficients are algebraic (conjugate roots are filtered later)."""
    rational = []
    for e in equations:
        if e == 0:
            continue
        poly = sympy.Poly(e, *parameters, extension=True)
        rational.append((poly.norm() if poly.domain.is_Algebraic else poly).as_expr())
    return rational


def _holds(equations, values):
    """Whether the (possibly algebraic) equations vanish exactly at the parameter values."""
    return all(sympy.simplify(sympy.expand(e.xreplace(dict(values)))) == 0 for e in equations)


def _kernel_cubics(polynomial, hessian):
    """D^3 F[w, w, w] for every column w of adj(Hess): at a corank-1 point
    adj(Hess) = lambda v v^T, so these vanish iff the cubic along the kernel v does."""
    n = hessian.rows
    adjugate = hessian.adjugate() if n > 1 else sympy.Matrix([[1]])
    third = {}
    for i, j, k in product(range(n), repeat=3):
        key = tuple(sorted((i, j, k)))
        if key not in third:
            third[key] = polynomial.derivative(hessian[key[0], key[1]], key[2])
    cubics = []
    for column in range(n):
        w = adjugate[:, column]
        cubics.append(
            sympy.expand(
                sum(third[tuple(sorted((i, j, k)))] * w[i] * w[j] * w[k] for i, j, k in product(range(n), repeat=3))
            )
        )
    return [c for c in cubics if c != 0]


# ---------------------------------------------------------------------------
# elimination: conditions on the parameters


def _conditions(equations, unknowns, parameters, deadline, memo=None, outer=None):
    """(relation text, generators, representative values) for each real stratum of the projection to parameter space.

    ``memo``, a dict, receives the Groebner bases computed for the whole system
    (they lie in its ideal) and its elimination ideal; ``outer`` is such a
    memo of a system whose ideal this one contains (:func:`_elimination_inside`).
    """
    if outer is not None:
        eliminated = _elimination_inside(equations, unknowns, parameters, outer, deadline)
    else:
        eliminated = _elimination_ideal(equations, unknowns, parameters, deadline, memo and memo["bases"])
        if memo is not None:
            memo["eliminated"] = eliminated
    if eliminated is None:
        return [("every parameter value", (), tuple((p, sympy.Integer(1)) for p in parameters), "")]
    if not eliminated:
        return []
    if isinstance(eliminated, _Union):
        leaves, how = eliminated.pieces, eliminated.note
    else:
        leaves, how = split_ideal(eliminated, parameters, deadline), ""
    found = []
    for leaf in leaves:
        generators = tuple(_primitive(g, parameters) for g in leaf.exprs)
        for values in _representatives(generators, parameters, deadline):
            if unknowns or _holds(equations, values):
                found.append((_relation(generators, parameters, values), generators, values, how))
    return sorted(found, key=lambda item: [sympy.N(v, 30) for _, v in item[2]])


def _elimination_ideal(equations, unknowns, parameters, deadline, memo=None, branches=True):
    """Generators of (equations) intersected with Q[parameters]; None for the zero ideal, [] for the unit ideal.

    Exact, by the first route that applies: FGLM (zero-dimensional), charts
    (homogeneous in the parameters), FLINT's lex basis within its bounds, else,
    with several parameters on FLINT, the union over factor branches
    (:func:`_branch_elimination`, a :class:`_Union` with the same zero set) of
    ``branches`` (True: the equations themselves; False: no branching; a list:
    equations generating the same ideal, e.g. without the bases a memo added),
    else sympy's block order.
    """
    equations = [e for e in equations if e != 0]
    if not unknowns:
        return None if not equations else _rational(equations, parameters)
    variables = tuple(unknowns) + tuple(parameters)
    basis = groebner_basis(equations, variables, deadline, stage="Groebner basis of the degeneration system")
    if memo is not None:
        memo += basis.exprs
    if is_unit(basis):
        return []
    if _zero_dimensional(basis, variables):
        lex = lex_basis(basis.exprs, variables, deadline, "lex basis (FGLM)")
        return _free_of(lex.exprs, unknowns) or None
    if len(parameters) > 1 and all(_homogeneous(e, parameters) for e in equations):
        return _projective_elimination(equations, unknowns, parameters, deadline)
    eliminated = flint_elimination(equations, unknowns, parameters, deadline, "elimination of the coordinates")
    if eliminated is not None:
        return eliminated or None
    if branches and len(parameters) > 1 and use_flint() and _over_q(equations, variables):
        own = equations if branches is True else [e for e in branches if e != 0]
        return _branch_elimination(own, unknowns, parameters, deadline)
    order = _BlockOrder(len(unknowns))
    block = groebner_basis(equations, variables, deadline, order=order, stage="elimination of the coordinates")
    if memo is not None:
        memo += block.exprs
    return _free_of(block.exprs, unknowns) or None


@dataclass(frozen=True)
class _Union:
    """An elimination given as pieces of parameter space (Groebner bases) whose union is its zero set, and how."""

    pieces: list
    note: str

    def __bool__(self):
        return bool(self.pieces)


def _branch_elimination(equations, unknowns, parameters, deadline):
    """The projection of V(equations) to parameter space as the union of the projections of its factor branches.

    Each equation vanishes exactly where one of its distinct irreducible
    factors does (on the square lattice dF/dtheta_x = s_x P_x(c): the
    branches s_x = 0 and P_x = 0), so V is the union of the branches' zero
    sets; :func:`~singularities.algebra.polys.split_ideal` splits each branch
    without losing a point, every leaf is eliminated exactly
    (:func:`_elimination_ideal` without branching), and the closure of a
    projection of a finite union is the union of the closures.  So the pieces
    cover exactly the zero set of the whole elimination ideal (over C); a
    piece inside another (an intersection point of two branches' curves) is
    dropped, which loses no point.  None when some leaf projects onto every
    parameter value; a :class:`_Union` otherwise (empty: no parameter value).
    """
    variables = tuple(unknowns) + tuple(parameters)
    branches, count = _factor_branches(equations, variables, deadline)
    pieces = {}
    for branch in branches:
        for leaf in split_ideal(branch, variables, deadline):
            eliminated = _elimination_ideal(leaf.exprs, unknowns, parameters, deadline, branches=False)
            if eliminated is None:
                return None
            for piece in split_ideal(eliminated, parameters, deadline) if eliminated else ():
                pieces.setdefault(tuple(piece.exprs), piece)
    kept = maximal_pieces(list(pieces.values()), parameters, deadline, deadline.sub(BUDGETS.decompose))
    note = (
        f"condition: the union of exact eliminations over {len(branches)} branches of the {count} factored equations "
        "(every point of the degeneration set lies on one; pieces inside larger ones are not listed)"
    )
    return _Union(kept, note)


def _factor_branches(equations, variables, deadline):
    """(branches, how many equations factored): one equation list per choice of a distinct factor of each equation."""
    branches, count = [[]], 0
    for e in equations:
        _, factors = call_with_limit(deadline, "factoring the degeneration system", sympy.factor_list, e, *variables)
        factors = [f for f, _ in factors if f.free_symbols]  # V(f^m) = V(f): the distinct factors
        if not factors or len(branches) * len(factors) > _BRANCHES:
            factors = [e]
        count += len(factors) > 1
        branches = [b + [f] for b in branches for f in factors]
    return branches, count


def _over_q(equations, variables):
    return all(sympy.Poly(e, *variables).domain in (sympy.ZZ, sympy.QQ) for e in equations)


def _elimination_inside(equations, unknowns, parameters, outer, deadline):
    """The elimination ideal of a system whose ideal contains the outer one's, where only its radical matters.

    With one parameter t and an outer eliminant g(t) != 0, the projection of
    this system is a subset of the roots of g, and the conditions depend only
    on which irreducible factors q of g it meets (split_ideal keeps the
    distinct irreducible factors of an eliminant): q is kept exactly when
    equations + q has a common zero, a Groebner basis with t fixed to a root of
    q instead of an elimination over all t.  The roots of one q are conjugate
    and the system is rational, so it meets all of them or none.  Otherwise
    (more parameters, where embedded points matter, or no outer eliminant)
    the full elimination.
    """
    known = outer.get("eliminated")
    if not unknowns or len(parameters) != 1 or known is None:
        return _elimination_ideal(outer["bases"] + equations, unknowns, parameters, deadline, branches=equations)
    (t,) = parameters
    factors = [q for g in known for q, _ in sympy.factor_list(g, t)[1] if q.has(t)]
    variables = tuple(unknowns) + (t,)
    stage = "Groebner basis of the degeneration system at a root of the condition"
    equations = outer["bases"] + equations
    kept = [q for q in factors if not is_unit(groebner_basis(equations + [q], variables, deadline, stage=stage))]
    return [sympy.expand(sympy.Mul(*kept))] if kept else []


def _projective_elimination(equations, unknowns, parameters, deadline):
    """Elimination for equations homogeneous in the parameters (hoppings enter linearly): the charts p_i = 1, p_<i = 0.

    The chart p_1 = 1 gives the conditions with p_1 != 0, homogenised again; the
    next charts add the conditions inside p_1 = 0 that are not limits of those.
    """
    found = []
    for i, p in enumerate(parameters):
        fixed = {q: 0 for q in parameters[:i]} | {p: 1}
        chart = [sympy.expand(e.xreplace(fixed)) for e in equations]
        rest = parameters[i + 1 :]
        local = _elimination_ideal(chart, unknowns, rest, deadline) if rest else _chart_point(chart, unknowns, deadline)
        if local is None:
            if i == 0:
                return None
            local = []
            condition = list(parameters[:i])
            if not _inside_found(condition, found, parameters):
                found.append(condition)
            continue
        if not local:
            continue
        lifted = [sympy.Poly(g, p, *rest).homogenize(p).as_expr() if rest else g for g in local]
        condition = [q for q in parameters[:i]] + [g for g in lifted if g != 0]
        if not _inside_found(condition, found, parameters):
            found.append(condition)
    if not found:
        return []
    return [sympy.expand(sympy.Mul(*choice)) for choice in product(*found)]  # the product ideal: V is the union


def _chart_point(chart, unknowns, deadline):
    """All parameters fixed: [] when no degenerate point exists, None when one does."""
    basis = groebner_basis(chart, unknowns, deadline, stage="Groebner basis of the degeneration system")
    return [] if is_unit(basis) else None


def _inside_found(condition, found, parameters):
    if not found:
        return False
    basis = groebner_basis(condition, parameters)
    return any(all(basis.reduce(g)[1] == 0 for g in other) for other in found)


class _BlockOrder(MonomialOrder):
    """grevlex on the first ``size`` variables, ties broken by grevlex on the rest (an elimination order).

    The same order as sympy's ``ProductOrder((grevlex, first), (grevlex, rest))``
    with a flat key computed in one step (the key is called for every leading
    term in Buchberger's algorithm).
    """

    alias = "block"
    is_global = True
    is_default = False

    def __init__(self, size):
        self.size = size

    def __call__(self, monomial):
        first, rest = monomial[: self.size], monomial[self.size :]
        return (sum(first), tuple(-e for e in reversed(first)), sum(rest), tuple(-e for e in reversed(rest)))

    def __repr__(self):
        return f"_BlockOrder({self.size})"

    def __eq__(self, other):
        return isinstance(other, _BlockOrder) and other.size == self.size

    def __hash__(self):
        return hash((type(self), self.size))


def _zero_dimensional(basis, variables):
    leading = [sympy.Poly(p, *variables).monoms(order=grevlex)[0] for p in basis.exprs]
    return all(any(m[i] > 0 and sum(m) == m[i] for m in leading) for i in range(len(variables)))


def _homogeneous(expr, parameters):
    poly = sympy.Poly(expr, *parameters)
    return poly.is_homogeneous or poly.is_ground


def _free_of(exprs, unknowns):
    return [e for e in exprs if not (e.free_symbols & set(unknowns))]


def _primitive(expr, parameters):
    _, poly = sympy.Poly(expr, *parameters).clear_denoms()
    _, poly = poly.primitive()
    return (-poly if poly.LC() < 0 else poly).as_expr()


def _representatives(generators, parameters, deadline):
    """Exact real points of the stratum: all of them when it is finite, else one per slice of its free parameters."""
    found = solve_system(list(generators), parameters, timeout=deadline)
    if not found.components:
        return [tuple(zip(parameters, p.point)) for p in found.points]
    for size in range(1, len(parameters)):
        for free in combinations(range(len(parameters)), size):
            for values in product(SLICE_VALUES, repeat=size):
                fixed = {parameters[i]: v for i, v in zip(free, values)}
                rest = tuple(p for p in parameters if p not in fixed)
                sliced = [sympy.expand(g.xreplace(fixed)) for g in generators]
                if any(g.is_number and g != 0 for g in sliced):
                    continue
                part = solve_system([g for g in sliced if g != 0] or [sympy.Integer(0)], rest, timeout=deadline)
                if part.points and not part.components:
                    point = part.points[0].point
                    return [tuple((p, fixed[p] if p in fixed else point[rest.index(p)]) for p in parameters)]
    return []


def _relation(generators, parameters, values):
    """ "t2 = 1/4" for an isolated value, "tp = t/2" for a relation linear in one parameter, else "g = 0"."""
    if not _positive_dimensional(generators, parameters):
        return ", ".join(f"{p} = {sympy.sstr(v)}" for p, v in values)
    if len(generators) == 1:
        g = generators[0]
        for p in reversed(parameters):
            if sympy.degree(g, p) == 1 and not sympy.Poly(g, p).LC().free_symbols:
                return f"{p} = {sympy.sstr(sympy.solve(g, p)[0])}"
    return ", ".join(f"{sympy.sstr(g)} = 0" for g in generators)


def _positive_dimensional(generators, parameters):
    basis = groebner_basis(list(generators), parameters)
    return not _zero_dimensional(basis, parameters)


# ---------------------------------------------------------------------------
# analysis at the representative values


def _analyse(energy, polynomial, values, at, torus, deadline):
    """(points, components, morse_check, note) at the parameter values."""
    substituted = energy.expr.xreplace(dict(values))
    fixed = Energy(substituted, [str(v) for v in energy.variables])
    if not substituted.has(*energy.variables):
        return (), (), None, "f is constant at these values: every point is critical (trivial)"
    with deadline.attempt("the analysis at these values", catch=SingularitiesError) as step:
        if torus:
            result = torus_critical_points(fixed, periods=polynomial.periods, timeout=step.deadline)
            points = [p for p in result.points if p.classification is None or p.classification.corank > 0]
            if at is not None:
                points = [p for p in points if p.point == tuple(at[0])]
            return tuple(points), result.components, result.morse_check, ""
        return (_point_at(fixed, at[0] if at else None, polynomial.periods, step.deadline),), (), None, ""
    if step.timed_out:
        return (), (), None, "analysis at these values ran out of time"
    return (), (), None, f"analysis at these values failed: {step.error}"


def _point_at(fixed, point, periods, deadline):
    if point is None:
        raise InputError(
            "torus=False needs point=...; without a point the degenerate points come from the torus analysis"
        )
    classification = classify(fixed.at(point), timeout=deadline)
    index = poincare_hopf_index(classification)
    return _with_dos(fixed, TorusPoint(tuple(point), classification.value, classification, index), periods, deadline)


def _with_dos(fixed, p, periods, deadline):
    volume = sympy.Mul(*periods)
    dos, note = None, p.note
    with deadline.attempt(
        "the DOS asymptotics", catch=Exception
    ) as step:  # a DOS failure is a note, never a crash of the tuning
        dos = dos_asymptotics(fixed.at(p.point), timeout=step.deadline).scaled(1 / volume, "torus")
    if not step.ok:
        failure = (
            "DOS asymptotics: time limit"
            if step.timed_out
            else f"DOS asymptotics not computed ({type(step.error).__name__})"
        )
        note = "; ".join(t for t in (p.note, failure) if t)
    return TorusPoint(p.point, p.value, p.classification, p.index, dos, note)


def _values_text(values):
    return ", ".join(f"{p} = {sympy.sstr(v)}" for p, v in values)
