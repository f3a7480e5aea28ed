"""The blow-up search: a resolution of G at 0 by blow-ups and coordinate changes, in charts.

What a chart is, the certificate and the rules of a valid chart live in
:mod:`~singularities.thresholds.resolution` (docs/conventions.md#resolution-by-blow-ups);
the certificate this search returns is re-checked by
:mod:`~singularities.thresholds.recheck`, which shares no code with it.
"""

from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import combinations

import flint
import sympy
from flint.utils.flint_exceptions import DomainError
from sympy.polys.polyutils import _sort_gens

from .._exact import linear_split, minors
from .._limits import BUDGETS, Deadline, call_with_limit
from ..algebra.backend import (
    flint_from_terms,
    flint_rational,
    sympy_rational,
    use_flint,
)
from ..algebra.realzeros import Answer, real_point
from ..errors import InputError, TimeLimitError
from .resolution import (
    Chart,
    Operation,
    ResolutionCertificate,
    chart_polyhedron,
    divisors,
    fiber_pullback,
    in_domain,
    is_changeable,
    is_root_like,
    keeps_fiber,
    leaves_value,
    parse_function,
    recentred_domains,
)

__all__ = [
    "MAX_CHARTS",
    "MAX_DEPTH",
    "MAX_FACE_CHANGES",
    "MAX_RECENTRES",
    "MAX_SPLIT_GENERATORS",
    "MAX_TRANSLATIONS",
    "resolve",
]

MAX_DEPTH = 40  # steps along one branch
MAX_FACE_CHANGES = 2  # coordinate changes that straighten a degenerate face, along one branch
MAX_TRANSLATIONS = 2  # translations of a bad point to the origin, along one branch (see _advance)
MAX_RECENTRES = 6  # splits at bad points on divisors (recentred or restricted charts), along one branch
MAX_SPLIT_GENERATORS = 2  # ... made only on charts whose strict ideal has at most this many generators
MAX_CHARTS = 400


def resolve(g, variables=None, *, squares=None, timeout=None, max_depth=MAX_DEPTH):
    """Search for a resolution of the polynomial G at the origin by blow-ups and coordinate changes.

    Parameters
    ----------
    g : str or sympy.Expr
        A polynomial G with G(0) = 0 (already translated to the point).
    variables : str or sequence of str or Symbol, optional
        Variable order ("x,y,z" or a sequence); default the free symbols, sorted by name.
    squares : sequence of (c, f) pairs, optional
        G = sum c_i f_i^2 with rational c_i > 0: the strict transforms are
        then ideals (f_1, ..., f_r), which lets the search reduce generators.
    timeout : float or Deadline, optional
        Time limit; when it passes, the charts still open stay "open" and the
        certificate is incomplete (never a guess).
    max_depth : int
        Largest number of steps along one branch.

    Returns
    -------
    ResolutionCertificate

    Examples
    --------
    >>> from singularities.thresholds.blowup import resolve
    >>> c = resolve("(x - y)**2 + z**2")
    >>> c.threshold, c.multiplicity, c.complete
    (1, 1, True)
    >>> resolve("x**2 + y**2", squares=[(1, "x"), (1, "y")]).threshold  # the ideal (x, y)
    1
    """
    deadline = Deadline.coerce(timeout)
    root = _root(g, variables, squares)
    symbols, e = root.symbols, root.exponent
    charts, stack = [], [(_root_chart(root), 0)]
    while stack:
        chart, depth = stack.pop()
        try:
            deadline.check("blow-up search", len(charts))
            chart, children = _advance(chart, symbols, e, depth < max_depth and len(charts) < MAX_CHARTS, deadline)
        except TimeLimitError:  # the limit ends the search, not the call: the charts left stay open (never a guess)
            chart, children = replace(chart, outcome="open", reason="time limit"), ()
        charts.append(chart)
        stack.extend((child, depth + 1) for child in reversed(children))
    threshold, multiplicity, complete = leaves_value(charts)
    return ResolutionCertificate(symbols, root.function, root.squares, tuple(charts), threshold, multiplicity, complete)


# ----------------------------------------------------------------------------------------------
# the search


@dataclass(frozen=True)
class _Root:
    """The input read once: variables, G, e (2 for a sum of squares, else 1), the squares
    ((c_i, f_i), ...) and the generators."""

    symbols: tuple
    function: sympy.Expr
    exponent: int
    squares: tuple
    generators: tuple


def _root(g, variables, squares):
    if isinstance(variables, str):
        variables = [name.strip() for name in variables.replace(",", " ").split()]
    if squares:
        pairs = [(sympy.Rational(c), f) for c, f in squares]
        names = variables or sorted({s.name for _, f in pairs for s in parse_function(f).free_symbols})
        symbols = tuple(sympy.Symbol(str(v)) for v in names)
        pairs = tuple((c, parse_function(f)) for c, f in pairs)
        if any(c <= 0 for c, _ in pairs):
            raise InputError("the coefficients of a sum of squares must be positive rationals")
        function = sympy.Add(*(c * f**2 for c, f in pairs)) if g is None else parse_function(g)
        if sympy.expand(function - sum(c * f**2 for c, f in pairs)) != 0:
            raise InputError("g is not the sum of squares given; pass squares with g = sum c_i f_i**2")
        generators, e = tuple(f for _, f in pairs), 2
    else:
        expr = parse_function(g)
        names = variables or sorted(s.name for s in expr.free_symbols)
        symbols = tuple(sympy.Symbol(str(v)) for v in names)
        function, generators, e, pairs = expr, (expr,), 1, ()
    if not all(f.is_polynomial(*symbols) for f in generators):
        raise InputError("the blow-up search needs a polynomial; expand analytic input to a jet first")
    if sympy.expand(function).xreplace({v: 0 for v in symbols}) != 0:
        raise InputError("G does not vanish at the origin; translate the point to 0 first")
    return _Root(symbols, function, e, pairs, generators)


def _root_chart(root):
    symbols, n = root.symbols, len(root.symbols)
    chart = Chart(
        path=(),
        substitution=symbols,
        jacobian=(0,) * n,
        monomial=(0,) * n,
        generators=(),
        fiber=(tuple(v.name for v in symbols),),
    )
    return _with_generators(chart, root.generators, symbols, root.exponent)


def _with_generators(chart, generators, symbols, e):
    """Expand, drop zeros, take out the common monomial (into k, times e) and normalise a unit ideal."""
    if use_flint():  # term dictionaries read off the expressions, no dense sympy Poly
        polys = [t for t in (_term_dict(g, symbols) for g in generators) if t]
        monoms = [list(t) for t in polys]
    else:
        polys = [p for p in (sympy.Poly(sympy.expand(g), *symbols) for g in generators) if not p.is_zero]
        monoms = [p.monoms() for p in polys]
    if not polys:
        raise InputError("the function is identically zero")
    common = [min(min(m[j] for m in ms) for ms in monoms) for j in range(len(symbols))]
    strict = [_divide_by_monomial(p, common, symbols) for p in polys]
    unit = chart.unit
    if e == 2:
        strict, unit = _strip_units(strict, chart.fiber, symbols, unit)
        strict = _drop_multiples(_tidy_ideal(strict), symbols)
    monomial = tuple(k + e * a for k, a in zip(chart.monomial, common))
    return replace(chart, monomial=monomial, generators=tuple(strict), unit=unit)


def _strip_units(strict, fiber, symbols, unit):
    """Divide each generator by its factors that are units near the fibre; multiply them into ``unit``.

    A factor whose restriction to every fibre subspace {y_S = 0} is a non-zero
    constant has no zero near any fibre point, so the ideal near the fibre is
    unchanged without it (the ideal of the chart is then that of the local
    ring where ``unit`` is invertible; :func:`recheck` verifies both).
    """
    result = []
    for g in strict:
        coefficient, factors = _factor_list(g, symbols)
        units = [_is_unit_on(factor, fiber, symbols) for factor, _ in factors]
        if use_flint() and not any(units):  # nothing to divide out: g itself, expanded (its memoised terms)
            result.append(_expression(_term_dict(g, symbols), symbols))
            continue
        kept = sympy.Rational(coefficient)  # the content may be a fraction: never truncate it
        for (factor, power), is_unit in zip(factors, units):
            if is_unit:
                unit = sympy.expand(unit * factor**power)
            else:
                kept *= factor**power
        result.append(sympy.expand(kept))
    return result, unit


def _is_unit_on(factor, fiber, symbols):
    """Whether the polynomial restricts to a non-zero constant on every fibre subspace (and is not constant)."""
    if factor.is_number:
        return False
    if use_flint() and (factor.is_Add or _is_monomial(factor)):  # read off the terms: the part free of y_S
        terms = _term_dict(factor, symbols)
        for component in fiber:
            on = [j for j, v in enumerate(symbols) if v.name in component]
            if [m for m in terms if not any(m[j] for j in on)] != [(0,) * len(symbols)]:
                return False
        return True
    for component in fiber:
        restricted = sympy.expand(factor.xreplace({v: 0 for v in symbols if v.name in component}))
        if not restricted.is_number or restricted == 0:
            return False
    return True


def _drop_multiples(strict, symbols=None):
    """Remove generators that are polynomial multiples of another generator (the ideal is unchanged)."""
    kept = list(strict)
    divides = _flint_divides(kept, symbols) if symbols is not None and use_flint() else None
    for g in list(kept):
        if divides is not None and divides is not False:
            multiple = any(h != g and not h.is_number and divides(h, g) for h in kept)
        else:
            multiple = any(h != g and not h.is_number and sympy.div(g, h)[1] == 0 for h in kept)
        if multiple:
            kept.remove(g)
    return kept


def _tidy_ideal(strict):
    """Generators up to sign and scale, without repeats; [1] for the unit ideal.  A zero generator adds nothing."""
    strict = [s for s in strict if s != 0]
    if not strict:
        raise InputError("the ideal is zero: the function vanishes identically")
    if any(s.is_number for s in strict):
        return [sympy.Integer(1)]
    if use_flint():  # expanded canonical forms: equal polynomials are equal expressions
        strict = [_monic(s) for s in strict]
        unique = []
        for s in strict:
            if not any(s == u or s == -u for u in unique):
                unique.append(s)
        return unique
    strict = [sympy.expand(s / sympy.Poly(s).LC()) for s in strict]
    unique = []
    for s in strict:
        if not any(sympy.expand(s - u) == 0 or sympy.expand(s + u) == 0 for u in unique):
            unique.append(s)
    return unique


def _monic(expression):
    """The expanded polynomial divided by :func:`_leading_coefficient` (itself when that is 1)."""
    lc = _leading_coefficient(expression)
    return expression if lc == 1 else sympy.expand(expression / lc)


def _leading_coefficient(expression):
    """``sympy.Poly(expression).LC()`` read off the terms: lex order of the generators sympy would choose."""
    if not (expression.is_Add or _is_monomial(expression)):
        return sympy.Poly(expression).LC()
    gens = _sort_gens(list(expression.free_symbols))
    best = None
    for term in sympy.Add.make_args(expression):
        coefficient, monomial = term.as_coeff_Mul()
        powers = monomial.as_powers_dict()
        key = tuple(int(powers.get(v, 0)) for v in gens)
        if best is None or key > best[0]:
            best = (key, coefficient)
    return best[1]


def _advance(chart, symbols, e, may_refine, deadline):
    """Finish the chart, or refine it: (chart with its outcome, children)."""
    straightened = _straighten(chart, symbols, e) if e == 2 and may_refine else None
    if straightened is not None:
        return replace(chart, outcome="refined", reason="a generator is a coordinate up to a triangular change"), (
            straightened,
        )
    factored = _straighten_factor(chart, symbols, e) if may_refine else None
    if factored is not None:
        return replace(
            chart, outcome="refined", reason="a factor of a generator is a coordinate up to a triangular change"
        ), (factored,)
    principal = e == 1 or (len(chart.generators) == 1 and not chart.generators[0].is_number)  # K = c y^k f^2
    if principal and is_root_like(chart, symbols) and _changes(chart) <= MAX_FACE_CHANGES:
        may_change = may_refine and _changes(chart) < MAX_FACE_CHANGES
        newton, child = _newton_or_face_change(chart, symbols, e, deadline, may_change)
        if newton is not None:
            return newton, ()
        if child is not None:
            return replace(
                chart, outcome="refined", reason="straighten a linear factor of a degenerate face polynomial"
            ), (child,)
    origin_bad = _bad_at_origin(chart, symbols)
    finished = None if origin_bad else _finish(chart, symbols, e, deadline)
    if finished is not None:
        return finished, ()
    if not may_refine:
        return replace(chart, reason="search depth or chart limit reached"), ()
    if origin_bad:
        centre = _centre(chart, symbols)
        children = tuple(_blow_up(chart, centre, i, symbols, e) for i in centre)
        return replace(chart, outcome="refined", reason="blow-up of a singular point of the strict transform"), children
    may_translate = _translations(chart) < MAX_TRANSLATIONS
    # splits only for ideals with few generators: on larger ones (reduced rank regression at true rank >= 1)
    # they multiplied the charts and made the re-check's ideal comparisons slow
    may_recentre = _recentres(chart) < MAX_RECENTRES and len(chart.generators) <= MAX_SPLIT_GENERATORS
    if not (may_translate or may_recentre):
        # translate, blow up, translate, ... can go on without end (a generator (1 + y_i) y_j + ... needs the
        # rational change y_j -> y_j / (1 + y_i), which charts do not make): the chart stays open, never a guess
        return replace(chart, reason="translation limit reached along this branch"), ()
    moved = _translate_to_bad_point(chart, symbols, e, deadline, may_translate, may_recentre)
    if moved is None:
        return replace(
            chart,
            reason="the strict transform is singular away from the chart origin at a point that cannot be translated",
        ), ()
    if len(moved) == 2:
        return replace(
            chart, outcome="refined", reason="split at a bad point on a divisor: recentre it, restrict the rest"
        ), moved
    return replace(chart, outcome="refined", reason="translate a bad point to the origin"), moved


def _straighten(chart, symbols, e):
    """A generator c*y_l + r (y_l a non-divisor, non-fibre-breaking coordinate) becomes the coordinate y_l."""
    if len(chart.generators) == 1 and chart.generators[0] == 1:
        return None
    for _index, g in enumerate(chart.generators):
        for l, v in enumerate(symbols):
            if (
                _is_coordinate(g, v, chart.generators)
                or not is_changeable(chart, l)
                or not _may_be_linear(g, l, symbols)
            ):
                continue
            coefficient, rest = _linear_split(g, v)
            if coefficient is None or rest.xreplace({s: 0 for s in symbols}) != 0:
                continue
            if not keeps_fiber(chart, l, rest, symbols):
                continue
            replacement = sympy.expand((v - rest) / coefficient)
            return _change(chart, v, replacement, symbols, e, reduce_by=v)
    return None


def _straighten_factor(chart, symbols, e):
    """An irreducible factor c*y_l + r (r != 0, r(0) = 0, r free of y_l) of a generator becomes y_l.

    y_l must not itself be a factor of a generator: changing it would bend
    that straight factor (x (x - y) with x -> x + y gives (x + y) x, and back
    again without end); y -> x - y instead gives x y.
    """
    factorisations = [_factor_list(g, symbols)[1] for g in chart.generators if not g.is_number]
    straight = {factor for factors in factorisations for factor, _ in factors if factor in symbols}
    for factors in factorisations:
        for factor, _ in factors:
            for l, v in enumerate(symbols):
                if not is_changeable(chart, l) or v in straight or not _may_be_linear(factor, l, symbols):
                    continue
                coefficient, rest = _linear_split(factor, v)
                if coefficient is None or rest == 0 or rest.xreplace({s: 0 for s in symbols}) != 0:
                    continue
                if keeps_fiber(chart, l, rest, symbols):
                    return _change(chart, v, sympy.expand((v - rest) / coefficient), symbols, e)
    return None


def _newton_or_face_change(chart, symbols, e, deadline, may_change):
    """Theorem N1 on a chart around 0 (finished chart, None), or a change straightening
    a face's linear factor (None, child)."""
    with deadline.attempt("the Newton data of a chart", BUDGETS.chart_newton) as step:
        polyhedron, report = chart_polyhedron(chart, symbols, e, step.deadline)
    if not step.ok:
        return None, None
    if report.strong is Answer.YES:
        return replace(
            chart,
            outcome="newton",
            threshold=1 / polyhedron.newton_distance,
            multiplicity=polyhedron.codimension,
            reason="strongly non-degenerate in these coordinates: theorem N1",
        ), None
    for check in report.faces if may_change else ():
        if check.strong is Answer.YES:
            continue
        factors = [factor for factor, _ in _factor_list(check.polynomial, symbols)[1]]
        for factor in factors:
            for l, v in enumerate(symbols):
                if v in factors:  # a straight factor: changing v would bend it (see _straighten_factor)
                    continue
                coefficient, rest = _linear_split(factor, v)
                if (
                    coefficient is not None
                    and rest != 0
                    and rest.xreplace({w: 0 for w in symbols}) == 0
                    and is_changeable(chart, l)
                ):
                    return None, _change(chart, v, sympy.expand((v - rest) / coefficient), symbols, e)
    return None, None


def _translations(chart):
    """The translations along the chart's path."""
    return sum(op is Operation.TRANSLATION for op, _ in chart.path)


def _recentres(chart):
    """The splits at bad points on divisors (recentred or restricted charts) along the chart's path."""
    return sum(op in (Operation.RECENTRE, Operation.RESTRICTION) for op, _ in chart.path)


def _changes(chart):
    """The coordinate changes and translations along the chart's path."""
    return sum(op is not Operation.BLOW_UP for op, _ in chart.path)


def _coordinate_ideal(chart, symbols):
    """Whether the generators are distinct non-divisor coordinates (then smooth and transverse everywhere)."""
    crossing = {symbols[j] for j in divisors(chart)}
    gens = chart.generators
    return len(set(gens)) == len(gens) and all(g in symbols and g not in crossing for g in gens)


def _is_coordinate(g, v, generators):
    """g is the variable v and v appears in no other generator (already straight)."""
    return g == v and not any(v in h.free_symbols for h in generators if h != g)


def _change(chart, v, replacement, symbols, e, reduce_by=None, operation=Operation.CHANGE):
    """The child chart of the change (or translation) y_v -> replacement; ``reduce_by`` v:
    v is a generator, reduce the others by it."""
    substitution = tuple(_substitute(s, v, replacement, symbols) for s in chart.substitution)
    generators = [_substitute(g, v, replacement, symbols) for g in chart.generators]
    if reduce_by is not None:
        generators = [g if _is_straight(g, v) else _substitute(g, v, sympy.Integer(0), symbols) for g in generators]
        generators = [v] + [g for g in generators if not _is_straight(g, v)]
    child = replace(
        chart,
        path=chart.path + ((operation, v.name),),
        substitution=substitution,
        centre=(),
        replacement=replacement,
        outcome="open",
        threshold=None,
        multiplicity=None,
        reason="",
        unit=_substitute(chart.unit, v, replacement, symbols),
        domain=tuple(_substitute(d, v, replacement, symbols) for d in chart.domain),
    )
    return _with_generators(child, generators, symbols, e)


def _substitute(expression, v, replacement, symbols=None):
    """The expanded image of an expanded polynomial under v -> replacement (untouched when free of v, fast path;
    composed on FLINT when ``symbols`` are given and both are over QQ)."""
    if use_flint() and v not in expression.free_symbols:
        return expression  # already expanded: expand would return an equal expression
    if use_flint() and symbols is not None:
        p, image = _flint_poly(expression, symbols), _flint_poly(replacement, symbols)
        if p is not None and image is not None:
            gens = [image if w == v else x for w, x in zip(symbols, p.context().gens())]
            composed = p.compose(*gens)
            return _expression({m: sympy_rational(c) for m, c in composed.to_dict().items()}, symbols)
    return sympy.expand(expression.xreplace({v: replacement}))


def _is_straight(g, v):
    if use_flint():  # an expanded polynomial is c*v exactly when its canonical form reads so (as the quotient says)
        coefficient, rest = g.as_coeff_Mul()
        return rest == v and coefficient != 0
    ratio = sympy.cancel(g / v)
    return ratio.is_number and ratio != 0


def _blow_up(chart, centre, i, symbols, e):
    """The chart of y_i of the blow-up along {y_T = 0}: y_j -> y_i y_j for j in T \\ {i}."""
    vi = symbols[i]
    mapping = {symbols[j]: vi * symbols[j] for j in centre if j != i}
    substitution = tuple(_monomial_substitution(s, mapping) for s in chart.substitution)
    jacobian = list(_monomial_pullback(chart.jacobian, centre, i))
    jacobian[i] += len(centre) - 1
    names = tuple(symbols[j].name for j in centre)
    child = Chart(
        path=chart.path + ((Operation.BLOW_UP, vi.name),),
        substitution=substitution,
        jacobian=tuple(jacobian),
        monomial=_monomial_pullback(chart.monomial, centre, i),
        generators=(),
        fiber=fiber_pullback(chart.fiber, names, vi.name),
        centre=names,
        unit=_monomial_substitution(chart.unit, mapping),
        domain=tuple(_monomial_substitution(d, mapping) for d in chart.domain),
    )
    return _with_generators(child, [g.xreplace(mapping) for g in chart.generators], symbols, e)


def _monomial_substitution(expression, mapping):
    """The expanded image of an expanded polynomial under y_j -> y_i y_j.

    The map is injective on monomials, so the image of an expanded
    polynomial is expanded already: on the fast path no ``expand`` is run
    (sympy's evaluation of the products gives the same canonical terms).
    """
    image = expression.xreplace(mapping)
    return image if use_flint() else sympy.expand(image)


def _monomial_pullback(exponents, centre, i):
    """Exponents of prod y_j^a_j after y_j -> y_i y_j (j in T \\ {i}): a_i becomes the sum over T."""
    result = list(exponents)
    result[i] = sum(exponents[j] for j in centre)
    return tuple(result)


def _centre(chart, symbols):
    """The smallest coordinate subspace {y_T = 0}, |T| >= 2, on which every generator vanishes (then max order)."""
    n = len(symbols)
    if use_flint():  # {y_T = 0} lies in the zero set iff T meets the support of every term: bit masks, read once
        supports = _supports(chart.generators, symbols)
        vanishes = lambda T: supports is not None and all(mask & sum(1 << j for j in T) for mask in supports)  # noqa: E731
    else:
        vanishes = lambda T: _vanishes_on(chart.generators, T, symbols)  # noqa: E731
    for size in range(2, n + 1):
        found = [T for T in combinations(range(n), size) if vanishes(T)]
        if found:
            return max(found, key=lambda T: _order(chart.generators, T, symbols))
    return tuple(range(n))


def _supports(generators, symbols):
    """The distinct supports of the generators' terms as bit masks (bit j: y_j divides the term); None when a
    generator is zero (as :func:`_vanishes_on` reads it: a zero generator vanishes nowhere on the fast path)."""
    masks = set()
    for g in generators:
        terms = _term_dict(g, symbols)
        if not terms:
            return None
        masks.update(sum(1 << j for j, a in enumerate(m) if a) for m in terms)
    return masks


def _vanishes_on(generators, T, symbols):
    if use_flint():  # an expanded polynomial vanishes on {y_T = 0} iff each of its (distinct) terms has a y_T factor
        return all(
            _term_dict(g, symbols) and all(any(m[j] for j in T) for m in _term_dict(g, symbols)) for g in generators
        )
    zero = {symbols[j]: 0 for j in T}
    return all(sympy.expand(g.xreplace(zero)) == 0 for g in generators)


def _order(generators, T, symbols):
    if use_flint():  # the same minimum, read off the terms of the expanded generators
        return min(sum(m[j] for j in T) for g in generators for m in _term_dict(g, symbols) or [(0,) * len(symbols)])
    return min(min(sum(m[j] for j in T) for m in sympy.Poly(g, *symbols).monoms()) for g in generators)


# ----------------------------------------------------------------------------------------------
# finishing a chart


def _bad_systems(chart, symbols):
    """Systems whose real solutions on the fibre are the points where the strict transform is not normal crossing.

    For a fibre component S and divisors D (outside S): strict = 0, y_S = y_D = 0,
    and every c x c minor of its Jacobian in the directions that are not divisors
    through the point vanishes.  The re-check builds the same systems with its
    own code (:func:`_recheck_bad_systems`); keep the two in step.
    """
    crossing = divisors(chart)
    gens = list(chart.generators)
    if _coordinate_ideal(chart, symbols):
        return
    for component in chart.fiber:
        on = {j for j, v in enumerate(symbols) if v.name in component}
        rest = [j for j in crossing if j not in on]
        for size in range(len(rest) + 1):
            for extra in combinations(rest, size):
                fixed = on | set(extra)
                directions = [symbols[j] for j in range(len(symbols)) if not (j in fixed and j in crossing)]
                yield (
                    [symbols[j] for j in sorted(fixed)]
                    + _restricted(gens, symbols, fixed)
                    + _minors(gens, directions, symbols, fixed)
                )


def _restricted(polys, symbols, fixed):
    """The expanded polynomials on {y_fixed = 0} (real_point substitutes the same zeros first: the same system,
    read before its polynomials are expanded)."""
    if use_flint():
        return [_expression(_drop_terms(_term_dict(p, symbols), fixed), symbols) for p in polys]
    zero = {symbols[j]: 0 for j in fixed}
    return [sympy.expand(p.xreplace(zero)) for p in polys]


def _drop_terms(terms, fixed):
    """The terms with no factor y_j, j in ``fixed``."""
    return {m: c for m, c in terms.items() if not any(m[j] for j in fixed)}


def _minors(gens, directions, symbols, fixed=()):
    """Every c x c minor of the Jacobian of the c generators in ``directions``, expanded (FLINT when it can),
    restricted to {y_fixed = 0}."""
    c = len(gens)
    if c > len(directions):
        return []
    if use_flint():
        found = _flint_minors(tuple(gens), tuple(directions), tuple(symbols))
        if found is not None:
            return [
                _expression({m: sympy_rational(v) for m, v in _drop_terms(p.to_dict(), fixed).items()}, symbols)
                for p in found
            ]
    matrix = sympy.Matrix([[sympy.diff(g, v) for v in directions] for g in gens])
    return _restricted(minors(matrix, c), symbols, fixed) if fixed else minors(matrix, c)


@lru_cache(maxsize=64)
def _flint_minors(gens, directions, symbols):
    """The minors of :func:`_minors` in the same order, by cofactor expansion on FLINT polynomials.

    The expansion along the last row shares the minors of the first rows
    between column sets (memoised), so all C(m, c) minors cost about
    sum_r C(m, r) products; cached per chart, as :func:`_finish` and
    :func:`_translate_to_bad_point` ask for the same systems.
    """
    polys = [_flint_poly(g, symbols) for g in gens]
    if any(p is None for p in polys):
        return None
    columns = [symbols.index(v) for v in directions]
    jacobian = [[p.derivative(j) for j in columns] for p in polys]
    memo = {(): None}

    def det(chosen):  # the minor of the first len(chosen) rows in the columns ``chosen`` (increasing)
        if chosen in memo:
            return memo[chosen]
        row, total = len(chosen) - 1, None
        for k, column in enumerate(chosen):
            rest = chosen[:k] + chosen[k + 1 :]
            entry = jacobian[row][column]
            if entry.is_zero():
                continue
            term = entry if not rest else entry * det(rest)
            if (row + k) % 2:
                term = -term
            total = term if total is None else total + term
        memo[chosen] = total if total is not None else jacobian[0][0] * 0
        return memo[chosen]

    return tuple(det(chosen) for chosen in combinations(range(len(columns)), len(gens)))


def _finish(chart, symbols, e, deadline):
    """The chart with outcome "unit" or "smooth" and its (lambda_C, m_C), or None when it is not normal crossing."""
    for system in _bad_systems(chart, symbols):
        answer, _ = real_point(*in_domain(system, chart, symbols), deadline=deadline)
        if answer is not Answer.NO:
            return None
    value = _chart_value(chart, symbols, e, deadline)
    if value is None:
        return replace(
            chart, reason="normal crossing, but whether the strict transform meets the divisors is undecided"
        )
    threshold, multiplicity, present = value
    outcome = "smooth" if present else "unit"
    reason = (
        "the strict transform is smooth and transverse to the divisors on the fibre"
        if present
        else "the strict transform has no real zero on the fibre"
    )
    return replace(chart, outcome=outcome, threshold=threshold, multiplicity=multiplicity, reason=reason)


def _chart_value(chart, symbols, e, deadline):
    """(lambda_C, m_C, strict present) of a normal-crossing chart, or None if a real-zero question is undecided."""
    ratios = {
        j: sympy.Rational(chart.jacobian[j] + 1, chart.monomial[j])
        for j in range(len(symbols))
        if chart.monomial[j] > 0
    }
    strict = sympy.Rational(len(chart.generators), e)
    present = _meets(chart, symbols, (), deadline)
    if present is Answer.UNDECIDED:
        return None
    candidates = list(ratios.values()) + ([strict] if present is Answer.YES else [])
    if not candidates:
        return sympy.oo, 0, present is Answer.YES
    threshold = min(candidates)
    J = tuple(j for j, r in ratios.items() if r == threshold)
    if present is Answer.YES and strict == threshold:
        together = _meets(chart, symbols, J, deadline)
        if together is Answer.UNDECIDED:
            return None
        return threshold, len(J) + (1 if together is Answer.YES else 0) if J else 1, True
    return threshold, len(J), present is Answer.YES


def _meets(chart, symbols, through, deadline):
    """Whether the strict transform has a real zero on the fibre lying on all the given divisors."""
    answers = []
    for component in chart.fiber:
        on = {j for j, v in enumerate(symbols) if v.name in component or j in through}
        system = _restricted(chart.generators, symbols, on) + [symbols[j] for j in sorted(on)]
        answers.append(real_point(*in_domain(system, chart, symbols), deadline=deadline)[0])
    if Answer.YES in answers:
        return Answer.YES
    return Answer.UNDECIDED if Answer.UNDECIDED in answers else Answer.NO


def _bad_at_origin(chart, symbols):
    if use_flint():  # G(0) and the gradient at 0 are the constant and linear terms
        return _bad_at_origin_from_terms(chart, symbols)
    origin = {v: 0 for v in symbols}
    if any(g.xreplace(origin) != 0 for g in chart.generators):
        return False
    crossing = set(divisors(chart))
    directions = [v for j, v in enumerate(symbols) if j not in crossing]
    matrix = sympy.Matrix([[sympy.diff(g, v).xreplace(origin) for v in directions] for g in chart.generators])
    return matrix.rank() < len(chart.generators)


def _bad_at_origin_from_terms(chart, symbols):
    n = len(symbols)
    terms = [_term_dict(g, symbols) for g in chart.generators]
    if any(t.get((0,) * n, 0) != 0 for t in terms):
        return False
    crossing = set(divisors(chart))
    units = [tuple(int(i == j) for i in range(n)) for j in range(n) if j not in crossing]
    if not units:
        return len(chart.generators) > 0
    entries = [flint_rational(t.get(u, 0)) for t in terms for u in units]
    return flint.fmpq_mat(len(terms), len(units), entries).rank() < len(chart.generators)


def _translate_to_bad_point(chart, symbols, e, deadline, may_translate=True, may_recentre=True):
    """Children that move a rational real bad point on the fibre (in the domain) to the origin, or None.

    Each step moves one rational coordinate y_v = a != 0 of the point: a free
    coordinate (no divisor, in no fibre subspace) is translated (one child),
    else a divisor or fibre coordinate splits the chart (:func:`_recentre`: two
    children); a point with several such coordinates is reached in several steps.
    """
    with deadline.attempt("a real bad point to translate", BUDGETS.real_point) as step:
        for system in _bad_systems(chart, symbols):
            answer, witness = real_point(*in_domain(system, chart, symbols), deadline=step.deadline)
            if answer is not Answer.YES or witness is None:
                continue
            moves = [(j, a) for j, a in enumerate(witness[: len(symbols)]) if a != 0]
            if not moves or not all(a.is_Rational for _, a in moves):
                continue
            free = [(l, a) for l, a in moves if is_changeable(chart, l) and not _in_fibre(chart, symbols[l])]
            if free and may_translate:  # one coordinate at a time: the child finds the point again, one step closer
                (l, a), v = free[0], symbols[free[0][0]]
                return (_change(chart, v, v + a, symbols, e, operation=Operation.TRANSLATION),)
            if len(free) < len(moves) and may_recentre:
                l, a = next(move for move in moves if move not in free)
                return _recentre(chart, l, a, symbols, e, step.deadline)
    return None  # none found within BUDGETS.real_point: the chart stays open


def _in_fibre(chart, v):
    """Whether the coordinate v is one of the coordinates that vanish on some fibre subspace."""
    return any(v.name in component for component in chart.fiber)


def _recentre(chart, l, a, symbols, e, deadline):
    """(the chart restricted to y_l != a, the chart recentred at y_l = a) (resolution.recentred_domains).

    In the recentred chart y_l -> y_l + a, the parent's divisor y_l = 0 lies
    outside the domain: its k_l and h_l become 0 and (y_l + a)^(k_l / e) goes
    into the unit; the fibre subspaces through y_l = 0 lie outside the domain too.
    """
    v = symbols[l]
    restricted, moved = recentred_domains(chart.domain, v, a)
    keep = replace(
        chart,
        path=chart.path + ((Operation.RESTRICTION, v.name),),
        centre=(),
        replacement=None,
        outcome="open",
        threshold=None,
        multiplicity=None,
        reason="",
        domain=restricted,
    )
    monomial, jacobian = list(chart.monomial), list(chart.jacobian)
    power, monomial[l], jacobian[l] = chart.monomial[l] // e, 0, 0
    # (v + a)^power times the unit can be a large expansion: under the step's limit (the chart then stays open)
    unit = call_with_limit(
        deadline, "recentring a chart", sympy.expand, _substitute(chart.unit, v, v + a, symbols) * (v + a) ** power
    )
    child = replace(
        chart,
        path=chart.path + ((Operation.RECENTRE, v.name),),
        substitution=tuple(_substitute(s, v, v + a, symbols) for s in chart.substitution),
        jacobian=tuple(jacobian),
        monomial=tuple(monomial),
        fiber=tuple(component for component in chart.fiber if v.name not in component),
        centre=(),
        replacement=v + a,
        outcome="open",
        threshold=None,
        multiplicity=None,
        reason="",
        unit=unit,
        domain=moved,
    )
    generators = [_substitute(g, v, v + a, symbols) for g in chart.generators]
    return keep, _with_generators(child, generators, symbols, e)


# ----------------------------------------------------------------------------------------------
# polynomial arithmetic: FLINT under the default backend, sympy under ``using("sympy")``; the
# results are the same sympy expressions either way (tests/test_blowup.py compares whole certificates)


def _divide_by_monomial(poly, exponents, symbols):
    """The expanded expression of ``poly`` (a Poly, or a term dictionary on the fast path) divided by the
    monomial prod symbols**exponents (it divides)."""
    if not use_flint():
        divisor = sympy.Mul(*(v**a for v, a in zip(symbols, exponents)))
        return sympy.expand(sympy.cancel(poly.as_expr() / divisor))
    return _expression({tuple(m - a for m, a in zip(monomial, exponents)): c for monomial, c in poly.items()}, symbols)


@lru_cache(maxsize=8192)
def _term_dict(expression, symbols):
    """{exponents: rational coefficient} of a polynomial; read off the terms when it is expanded (else by Poly).

    Memoised (charts share generators with their parents): the dictionary is read, never changed.
    """
    index = {v: i for i, v in enumerate(symbols)}
    terms = {}
    for term in sympy.Add.make_args(expression):
        coefficient, monomial = term.as_coeff_Mul()
        exponents = [0] * len(symbols)
        for factor in sympy.Mul.make_args(monomial):
            base, power = factor.as_base_exp()
            if factor == 1:
                continue
            if base not in index or not (power.is_Integer and power > 0) or not coefficient.is_Rational:
                return _poly_terms(expression, symbols)
            exponents[index[base]] += int(power)
        key = tuple(exponents)
        if key in terms:  # not in expanded form
            return _poly_terms(expression, symbols)
        if coefficient != 0:
            terms[key] = coefficient
    return terms


def _poly_terms(expression, symbols):
    return {tuple(m): c for m, c in sympy.Poly(expression, *symbols).terms() if c != 0}


def _expression(terms, symbols):
    """The expression of a term dictionary, built as ``Poly.as_expr`` builds it (the same canonical form)."""
    result = []
    for monomial, coefficient in terms.items():
        factors = [coefficient] + [sympy.Pow(v, k) for v, k in zip(symbols, monomial) if k]
        result.append(sympy.Mul(*factors))
    return sympy.Add(*result)


def _may_be_linear(expression, l, symbols):
    """False when the expanded polynomial is surely not c*y_l + r with r free of y_l (read off its exponents);
    a cheap filter before :func:`_linear_split`."""
    if not use_flint():
        return True
    return l in _linear_candidates(expression, symbols)


@lru_cache(maxsize=8192)
def _linear_candidates(expression, symbols):
    """The l for which y_l has degree 1 in exactly one term of the polynomial, y_l itself (else True: not read)."""
    if not (expression.is_Add or _is_monomial(expression)):
        return range(len(symbols))
    terms, n = _term_dict(expression, symbols), len(symbols)
    candidates = set()
    for l in range(n):
        linear = tuple(int(j == l) for j in range(n))
        if linear in terms and all(m == linear or not m[l] for m in terms):
            candidates.add(l)
    return frozenset(candidates)


def _linear_split(expression, variable):
    """:func:`~singularities._exact.linear_split` (the same pair), read off the terms of an expanded polynomial."""
    if not use_flint() or not (expression.is_Add or _is_monomial(expression)):
        return linear_split(expression, variable)
    coefficient, rest = None, []
    for term in sympy.Add.make_args(expression):
        c, monomial = term.as_coeff_Mul()
        degree = sympy.sympify(monomial.as_powers_dict().get(variable, 0) if variable in monomial.free_symbols else 0)
        if not (c.is_Rational and degree.is_Integer and degree >= 0):
            return linear_split(expression, variable)  # not a plain rational term: the general reader
        if degree == 0:
            rest.append(term)
        elif degree == 1 and monomial == variable and coefficient is None:
            coefficient = c
        else:  # degree >= 2 in v, or v times other variables: not c*v + r with a number c
            return None, None
    if coefficient is None:
        return None, None
    return coefficient, sympy.Add(*rest)


def _is_monomial(expression):
    """Whether the expression is c * x_1**e_1 * ... with c rational and e_i positive integers (a single term)."""
    coefficient, rest = expression.as_coeff_Mul()
    if not coefficient.is_Rational:
        return False
    for factor in sympy.Mul.make_args(rest):
        base, power = factor.as_base_exp()
        if not (base.is_Symbol and power.is_Integer and power > 0):
            return False
    return True


def _factor_list(g, symbols):
    """``sympy.factor_list(g, *symbols)``, computed by FLINT for an expanded polynomial over QQ.

    The factors are normalised as sympy normalises them (primitive over ZZ,
    positive leading coefficient in lex order of ``symbols``) and sorted by
    sympy's own key, so that the search takes the same factor first.
    """
    if not use_flint() or not (g.is_Add or _is_monomial(g)) or g.is_number:
        return sympy.factor_list(g, *symbols)
    return _flint_factor_list(g, symbols)


@lru_cache(maxsize=4096)
def _flint_factor_list(g, symbols):
    """:func:`_factor_list` on FLINT, memoised (charts share generators with their parents; the result is only read)."""
    terms = _term_dict(g, symbols)
    if any(not c.is_Rational for c in terms.values()):
        return sympy.factor_list(g, *symbols)
    p = flint_from_terms(terms, len(symbols))
    constant, factors = p.factor()
    coefficient = sympy_rational(constant)
    normalised = []
    for factor, power in factors:
        scale, terms = _primitive_terms(factor.to_dict())
        coefficient /= scale**power
        normalised.append((terms, int(power)))
    keys = [(1 + max(m[0] for m in terms), len(symbols), power) for terms, power in normalised]
    if len(set(keys)) < len(keys):  # a tie: sympy's key compares the dense representations
        domain = sympy.ZZ
        polys = [(sympy.Poly.from_dict(terms, *symbols, domain=domain), power) for terms, power in normalised]
        keys = [_factor_key(item, len(symbols)) for item in polys]
    order = sorted(range(len(normalised)), key=keys.__getitem__)
    return coefficient, [(_expression(normalised[i][0], symbols), normalised[i][1]) for i in order]


def _primitive_terms(terms):
    """(s, terms / s) with terms / s integer, primitive, positive lex-leading coefficient (sympy's normal form)."""
    from math import gcd, lcm

    values = list(terms.values())
    denominator = lcm(*(int(c.q) for c in values))
    numerators = [int(c.p) * (denominator // int(c.q)) for c in values]
    content = gcd(*numerators)
    if numerators[list(terms).index(max(terms))] < 0:
        content = -content
    scale = sympy.Rational(content, denominator)
    return scale, {tuple(m): sympy.Integer(n // content) for m, n in zip(terms, numerators)}


def _factor_key(item, count):
    """sympy's sort key of (factor, power) pairs in ``factor_list`` (polytools._sorted_factors, method "factor")."""
    poly, power = item
    rep = poly.rep.to_list()
    return (len(rep), count, power, str(poly.domain), rep)


@lru_cache(maxsize=4096)
def _flint_poly(expression, symbols):
    """The ``fmpq_mpoly`` of a polynomial over QQ (from its memoised terms), or None (a coefficient not rational)."""
    terms = _term_dict(expression, symbols)
    if any(not c.is_Rational for c in terms.values()):
        return None
    return flint_from_terms(terms, len(symbols))


def _flint_divides(generators, symbols):
    """``divides(h, g)``: whether h divides g, by exact division on FLINT; False when a generator is not over QQ."""
    polys = [_flint_poly(g, tuple(symbols)) for g in generators]
    if any(p is None for p in polys):
        return False
    table = dict(zip(generators, polys))

    def divides(h, g):
        try:
            table[g] / table[h]
        except (ZeroDivisionError, DomainError):  # DomainError: the division is not exact
            return False
        return True

    return divides
