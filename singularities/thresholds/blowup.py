"""Resolution search by blow-ups in charts, with a certificate that an independent function re-checks.

The RLCT of |G| at 0 (docs/conventions.md#resolution-by-blow-ups) is read off a
map phi from charts to the original coordinates on which G is a monomial times
a "good" strict transform, G(phi(y)) ~ y^k * (strict), with Jacobian
det(D phi) = const * y^h.  Each chart divisor y_j = 0 gives the candidate pole
-(h_j + 1)/k_j; a strict transform that is smooth of codimension c and meets the
divisors transversally gives -c/e (e = 2 for a sum of squares G = sum f_i^2,
whose strict transform is an ideal; e = 1 for a single function).  lambda is
the smallest candidate over the fibre of 0 in every chart, and m the largest
number of candidates attaining it at one point.

Charts keep the original variable names: a blow-up along {y_T = 0} in the chart
of y_i substitutes y_j -> y_i * y_j for j in T \\ {i}; a coordinate change
substitutes y_l -> (y_l - r)/c (r free of y_l), a translation y_l -> y_l + a.
Every chart stores the composite substitution, so :func:`recheck` recomputes
its pullback and Jacobian from the input alone.  The fibre of 0 in a chart is
stored as a union of coordinate subspaces {y_S = 0}; blow-ups along coordinate
centres and changes of non-fibre, non-divisor coordinates keep it so.
"""

from dataclasses import dataclass, field, replace
from itertools import combinations

import sympy

from .._exact import linear_split, minors, parse_exact
from .._limits import Deadline, call_with_limit
from .._result import parse_field, register
from .. import tables
from ..algebra.realzeros import Answer, is_valid_certificate, real_point
from ..errors import InputError, TimeLimitError
from ..errors import RecheckError
from ..polyhedra.newton import polyhedron_from_terms
from ..polyhedra.nondegeneracy import nondegeneracy

__all__ = ["Chart", "ResolutionCertificate", "resolve", "recheck"]

MAX_DEPTH = 40
FINISHED = ("unit", "smooth", "newton")
MAX_FACE_CHANGES = 2
NEWTON_SECONDS = 5.0
MAX_CHARTS = 400


@register("chart")
@dataclass(frozen=True, slots=True)
class Chart:
    """One chart of a resolution: the substitution from the chart to the input's coordinates and what it gives.

    Attributes
    ----------
    name : str
        Path in the tree: "0" is the input, "0.x" its blow-up chart of x,
        "0.x~" a coordinate change of it.
    substitution : tuple of sympy.Expr
        phi: each original variable as a polynomial in the chart variables.
    operation : tuple
        How this chart comes from its parent: ("root",), ("blow-up", centre
        names, chart name) or ("change", variable name, replacement).
    jacobian : tuple of int
        h: det(D phi) = const * prod y_j^h_j.
    monomial : tuple of int
        k: G(phi(y)) ~ prod y_j^k_j * (strict transform).
    generators : tuple of sympy.Expr
        The strict transform (a generating set of its ideal when e = 2).
    fiber : tuple of tuple of str
        The real points of phi^-1(0): the union of the subspaces {y_S = 0}.
    outcome : str
        "refined" (has children), "unit" (the strict transform has no real
        zero on the fibre), "smooth" (smooth and transverse to the divisors on
        the fibre), "newton" (a chart around 0 with constant Jacobian on which
        G is strongly non-degenerate: theorem N1) or "open" (not finished).
    threshold, multiplicity : sympy.Rational, int or None
        The chart's contribution (lambda_C, m_C) for finished charts.
    """

    name: str
    substitution: tuple
    operation: tuple
    jacobian: tuple
    monomial: tuple
    generators: tuple
    fiber: tuple
    outcome: str = "open"
    threshold: sympy.Rational = None
    multiplicity: int = None
    reason: str = field(default="", compare=False)
    unit: sympy.Expr = sympy.Integer(1)

    def to_dict(self):
        """JSON-safe form, exact values as strings."""
        return {
            "kind": "chart",
            "name": self.name,
            "substitution": [sympy.sstr(s) for s in self.substitution],
            "operation": [sympy.sstr(o) if isinstance(o, sympy.Basic) else (list(o) if isinstance(o, tuple) else o) for o in self.operation],
            "jacobian": list(self.jacobian),
            "monomial": list(self.monomial),
            "generators": [sympy.sstr(g) for g in self.generators],
            "fiber": [list(s) for s in self.fiber],
            "outcome": self.outcome,
            "threshold": None if self.threshold is None else sympy.sstr(self.threshold),
            "multiplicity": self.multiplicity,
            "reason": self.reason,
            "unit": sympy.sstr(self.unit),
        }

    @classmethod
    def from_dict(cls, data, variables=None):
        """Rebuild a chart from :meth:`to_dict` output, in the certificate's ``variables`` (default: read from the text)."""
        names = {v.name: v for v in variables or ()}
        parse = (lambda text: sympy.sympify(text, locals=names, rational=True)) if variables else parse_field  # noqa: E731
        operation = tuple(data["operation"])
        if operation[0] == "blow-up":
            operation = ("blow-up", tuple(operation[1]), operation[2])
        elif operation[0] == "change":
            operation = ("change", operation[1], parse(operation[2]))
        return cls(
            data["name"], tuple(parse(s) for s in data["substitution"]), operation, tuple(data["jacobian"]),
            tuple(data["monomial"]), tuple(parse(g) for g in data["generators"]), tuple(tuple(s) for s in data["fiber"]),
            data["outcome"], None if data["threshold"] is None else sympy.Rational(data["threshold"]),
            data["multiplicity"], data.get("reason", ""), parse(data.get("unit", "1")),
        )


@register("resolution")
@dataclass(frozen=True, slots=True)
class ResolutionCertificate:
    """The tree of charts of a resolution of G at 0, with the (lambda, m) it proves.

    ``function`` is G; when ``squares`` is not empty, G = sum c_i f_i^2 with
    ``squares`` = ((c_1, f_1), ...), c_i > 0, and the strict transforms are
    ideals (e = 2).  ``complete`` says whether every chart is finished; then
    ``threshold`` and ``multiplicity`` are lambda and m, otherwise
    ``threshold`` is the smallest finished chart's value, an upper bound.

    Examples
    --------
    >>> from singularities.thresholds.blowup import resolve, recheck
    >>> certificate = resolve("x**2 - y**2")
    >>> certificate.threshold, certificate.multiplicity, certificate.complete
    (1, 2, True)
    >>> recheck(certificate, "x**2 - y**2")
    True
    """

    variables: tuple
    function: sympy.Expr
    squares: tuple
    charts: tuple
    threshold: sympy.Rational
    multiplicity: int
    complete: bool
    theorem: str = "B"
    reason: str = field(default="", compare=False)

    @property
    def exponent(self):
        """e: 2 when G is treated as a sum of squares (an ideal), 1 for a single function."""
        return 2 if self.squares else 1

    @property
    def leaves(self):
        """The charts that are not refined further."""
        return tuple(c for c in self.charts if c.outcome != "refined")

    def to_rows(self):
        """``(header, rows)``: (quantity, value) rows for the result table: the theorem, then one row per chart."""
        rows = [("theorem", "B (resolution: every chart normal crossing on the fibre of 0)" if self.complete
                 else "B, incomplete: lambda <= the smallest finished chart"),
                ("G", "sum of squares " + " + ".join(f"{sympy.sstr(c)}*({sympy.sstr(f)})**2" for c, f in self.squares)
                 if self.squares else sympy.sstr(self.function))] + ([("reason", self.reason)] if self.reason else [])
        for c in self.charts:
            value = "" if c.threshold is None else f" -> (lambda_C, m_C) = ({sympy.sstr(c.threshold)}, {c.multiplicity})"
            rows.append((f"chart {c.name}", f"{_operation_text(c.operation)}; phi = ({', '.join(map(sympy.sstr, c.substitution))}); "
                         f"h = {_tuple_text(c.jacobian)}, k = {_tuple_text(c.monomial)}; strict: "
                         f"{', '.join(map(sympy.sstr, c.generators))}; {c.outcome}{value}"))
        return ("quantity", "value"), rows

    def table(self):
        """(header, rows) with one row per chart, for :mod:`singularities.tables`."""
        header = ("chart", "step", "substitution", "h", "k", "strict transform", "outcome", "lambda_C, m_C")
        rows = []
        for c in self.charts:
            value = "" if c.threshold is None else f"{sympy.sstr(c.threshold)}, {c.multiplicity}"
            rows.append((c.name, _operation_text(c.operation), ", ".join(map(sympy.sstr, c.substitution)),
                         _tuple_text(c.jacobian), _tuple_text(c.monomial), ", ".join(map(sympy.sstr, c.generators)),
                         c.outcome, value))
        return header, rows

    def __str__(self):
        return tables.text(*self.table())

    def to_dict(self):
        """JSON-safe form; :meth:`from_dict` rebuilds it."""
        return {
            "kind": "resolution",
            "variables": [v.name for v in self.variables],
            "function": sympy.sstr(self.function),
            "squares": [[sympy.sstr(c), sympy.sstr(f)] for c, f in self.squares],
            "charts": [c.to_dict() for c in self.charts],
            "threshold": None if self.threshold is None else sympy.sstr(self.threshold),
            "multiplicity": self.multiplicity,
            "complete": self.complete,
            "theorem": self.theorem,
            "reason": self.reason,
        }

    @classmethod
    def from_dict(cls, data):
        """Rebuild a certificate from :meth:`to_dict` output."""
        variables = tuple(sympy.Symbol(name) for name in data["variables"])
        names = {v.name: v for v in variables}
        parse = lambda text: sympy.sympify(text, locals=names, rational=True)  # noqa: E731
        return cls(
            variables, parse(data["function"]), tuple((sympy.Rational(c), parse(f)) for c, f in data["squares"]),
            tuple(Chart.from_dict(c, variables) for c in data["charts"]),
            None if data["threshold"] is None else sympy.Rational(data["threshold"]), data["multiplicity"],
            data["complete"], data.get("theorem", "B"), data.get("reason", ""),
        )


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
        except TimeLimitError:
            chart, children = replace(chart, outcome="open", reason="time limit"), ()
        charts.append(chart)
        stack.extend((child, depth + 1) for child in reversed(children))
    threshold, multiplicity, complete = _combine(charts)
    return ResolutionCertificate(symbols, root.function, root.squares, tuple(charts), threshold, multiplicity, complete)


def recheck(certificate, g=None, *, timeout=None):
    """Re-check a resolution certificate from scratch; True, or :class:`RecheckError` naming the failed step.

    For every chart this recomputes, from the input G and the chart's
    substitution alone: the Jacobian determinant (= const * y^h), the pullback
    (= y^(k/e) times the strict ideal, compared as ideals of Q[y], or
    const * y^k * strict for e = 1), that the fibre subspaces lie in phi^-1(0);
    for refined charts that the children are exactly the charts of the stated
    blow-up or change and that the fibre follows; for finished charts the
    finishing claim (no real zero, or smooth and transverse) and (lambda_C,
    m_C); and finally (lambda, m) as min and max over the leaves.  The
    finishing claims rest on "no real zero" answers of
    :func:`~singularities.algebra.realzeros.real_point`; each counts only
    after its certificate (a polynomial of the ideal without real zero) passes
    :func:`~singularities.algebra.realzeros.is_valid_certificate`: ideal
    membership by another Groebner algorithm and order, Sturm's theorem, a
    sum-of-squares identity.

    Examples
    --------
    >>> from singularities.thresholds.blowup import resolve, recheck
    >>> recheck(resolve("x**2*y - y**3"), "x**2*y - y**3")
    True
    """
    deadline = Deadline.coerce(timeout)
    symbols, function = certificate.variables, certificate.function
    if g is not None and sympy.expand(_parse(g, symbols) - function) != 0:
        raise RecheckError("input", "the certificate is for another function")
    e = certificate.exponent
    originals = _recheck_root(certificate, symbols)
    by_name = {c.name: c for c in certificate.charts}
    for chart in certificate.charts:
        deadline.check("re-checking the charts")
        _recheck_chart(chart, certificate, originals, symbols, e, by_name, deadline)
    threshold, multiplicity, complete = _combine(certificate.charts)
    if complete and not (threshold.is_finite and multiplicity >= 1):
        raise RecheckError("all", f"the leaves give ({threshold}, {multiplicity}), impossible at a zero of G: some chart must carry a pole")
    if (threshold, multiplicity, complete) != (certificate.threshold, certificate.multiplicity, certificate.complete):
        raise RecheckError("all", f"the leaves give ({threshold}, {multiplicity}, complete={complete}), "
                                  f"not ({certificate.threshold}, {certificate.multiplicity}, complete={certificate.complete})")
    return True


# ----------------------------------------------------------------------------------------------
# the search


@dataclass(frozen=True)
class _Root:
    """The input read once: variables, G, e (2 for a sum of squares, else 1), the squares ((c_i, f_i), ...) and the generators."""

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
        names = variables or sorted({s.name for _, f in pairs for s in _parse(f, None).free_symbols})
        symbols = tuple(sympy.Symbol(str(v)) for v in names)
        pairs = tuple((c, _parse(f, symbols)) for c, f in pairs)
        if any(c <= 0 for c, _ in pairs):
            raise InputError("the coefficients of a sum of squares must be positive rationals")
        function = sympy.Add(*(c * f**2 for c, f in pairs)) if g is None else _parse(g, symbols)
        if sympy.expand(function - sum(c * f**2 for c, f in pairs)) != 0:
            raise InputError("g is not the sum of squares given; pass squares with g = sum c_i f_i**2")
        generators, e = tuple(f for _, f in pairs), 2
    else:
        expr = _parse(g, None if variables is None else tuple(sympy.Symbol(str(v)) for v in variables))
        names = variables or sorted(s.name for s in expr.free_symbols)
        symbols = tuple(sympy.Symbol(str(v)) for v in names)
        function, generators, e, pairs = _parse(g, symbols), (_parse(g, symbols),), 1, ()
    if not all(f.is_polynomial(*symbols) for f in generators):
        raise InputError("the blow-up search needs a polynomial; expand analytic input to a jet first")
    if sympy.expand(function).xreplace({v: 0 for v in symbols}) != 0:
        raise InputError("G does not vanish at the origin; translate the point to 0 first")
    return _Root(symbols, function, e, pairs, generators)


def _root_chart(root):
    symbols, n = root.symbols, len(root.symbols)
    chart = Chart("0", symbols, ("root",), (0,) * n, (0,) * n, (), (tuple(v.name for v in symbols),))
    return _with_generators(chart, root.generators, symbols, root.exponent)


def _with_generators(chart, generators, symbols, e):
    """Expand, drop zeros, take out the common monomial (into k, times e) and normalise a unit ideal."""
    polys = [sympy.Poly(sympy.expand(g), *symbols) for g in generators]
    polys = [p for p in polys if not p.is_zero]
    if not polys:
        raise InputError("the function is identically zero")
    common = [min(min(m[j] for m in p.monoms()) for p in polys) for j in range(len(symbols))]
    divisor = sympy.Mul(*(v**a for v, a in zip(symbols, common)))
    strict = [sympy.expand(sympy.cancel(p.as_expr() / divisor)) for p in polys]
    unit = chart.unit
    if e == 2:
        strict, unit = _strip_units(strict, chart.fiber, symbols, unit)
        strict = _drop_multiples(_tidy_ideal(strict))
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
        coefficient, factors = sympy.factor_list(g, *symbols)
        kept = sympy.Rational(coefficient)  # the content may be a fraction: never truncate it
        for factor, power in factors:
            if _is_unit_on(factor, fiber, symbols):
                unit = sympy.expand(unit * factor**power)
            else:
                kept *= factor**power
        result.append(sympy.expand(kept))
    return result, unit


def _is_unit_on(factor, fiber, symbols):
    """Whether the polynomial restricts to a non-zero constant on every fibre subspace (and is not constant)."""
    if factor.is_number:
        return False
    for component in fiber:
        restricted = sympy.expand(factor.xreplace({v: 0 for v in symbols if v.name in component}))
        if not restricted.is_number or restricted == 0:
            return False
    return True


def _drop_multiples(strict):
    """Remove generators that are polynomial multiples of another generator (the ideal is unchanged)."""
    kept = list(strict)
    for g in list(kept):
        if any(h != g and not h.is_number and sympy.div(g, h)[1] == 0 for h in kept):
            kept.remove(g)
    return kept


def _tidy_ideal(strict):
    """Generators up to sign and scale, without repeats; [1] for the unit ideal.  A zero generator adds nothing."""
    strict = [s for s in strict if s != 0]
    if not strict:
        raise InputError("the ideal is zero: the function vanishes identically")
    if any(s.is_number for s in strict):
        return [sympy.Integer(1)]
    strict = [sympy.expand(s / sympy.Poly(s).LC()) for s in strict]
    unique = []
    for s in strict:
        if not any(sympy.expand(s - u) == 0 or sympy.expand(s + u) == 0 for u in unique):
            unique.append(s)
    return unique


def _advance(chart, symbols, e, may_refine, deadline):
    """Finish the chart, or refine it: (chart with its outcome, children)."""
    straightened = _straighten(chart, symbols, e) if e == 2 and may_refine else None
    if straightened is not None:
        return replace(chart, outcome="refined", reason="a generator is a coordinate up to a triangular change"), (straightened,)
    factored = _straighten_factor(chart, symbols, e) if may_refine else None
    if factored is not None:
        return replace(chart, outcome="refined", reason="a factor of a generator is a coordinate up to a triangular change"), (factored,)
    if e == 1 and _root_like(chart, symbols) and chart.name.count("~") <= MAX_FACE_CHANGES:
        may_change = may_refine and chart.name.count("~") < MAX_FACE_CHANGES
        newton, child = _newton_or_face_change(chart, symbols, e, deadline, may_change)
        if newton is not None:
            return newton, ()
        if child is not None:
            return replace(chart, outcome="refined", reason="straighten a linear factor of a degenerate face polynomial"), (child,)
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
    moved = _translate_to_bad_point(chart, symbols, e, deadline)
    if moved is None:
        return replace(chart, reason="the strict transform is singular away from the chart origin at a point that cannot be translated"), ()
    return replace(chart, outcome="refined", reason="translate a bad point to the origin"), (moved,)


def _straighten(chart, symbols, e):
    """A generator c*y_l + r (y_l a non-divisor, non-fibre-breaking coordinate) becomes the coordinate y_l."""
    if len(chart.generators) == 1 and chart.generators[0] == 1:
        return None
    for index, g in enumerate(chart.generators):
        for l, v in enumerate(symbols):
            if _is_coordinate(g, v, chart.generators) or not _changeable(chart, l, symbols):
                continue
            coefficient, rest = linear_split(g, v)
            if coefficient is None or rest.xreplace({s: 0 for s in symbols}) != 0:
                continue
            if not _keeps_fiber(chart, l, rest, symbols):
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
    factorisations = [sympy.factor_list(g, *symbols)[1] for g in chart.generators if not g.is_number]
    straight = {factor for factors in factorisations for factor, _ in factors if factor in symbols}
    for factors in factorisations:
        for factor, _ in factors:
            for l, v in enumerate(symbols):
                if not _changeable(chart, l, symbols) or v in straight:
                    continue
                coefficient, rest = linear_split(factor, v)
                if coefficient is None or rest == 0 or rest.xreplace({s: 0 for s in symbols}) != 0:
                    continue
                if _keeps_fiber(chart, l, rest, symbols):
                    return _change(chart, v, sympy.expand((v - rest) / coefficient), symbols, e)
    return None


def _root_like(chart, symbols):
    """The chart is a polynomial automorphism of a neighbourhood of 0: fibre {0}, constant Jacobian."""
    return chart.fiber == (tuple(v.name for v in symbols),) and not any(chart.jacobian)


def _total(chart, symbols, e):
    """G(phi(y)) up to a constant (e = 1), or the sum of squares of the ideal's generators times y^(k/2) (e = 2)."""
    monomial = sympy.Mul(*(v**(k // e) for v, k in zip(symbols, chart.monomial)))
    return sympy.expand(monomial * chart.generators[0]) if e == 1 else sympy.expand(sum((monomial * g)**2 for g in chart.generators))


def _newton_data(chart, symbols, e, deadline):
    terms = {tuple(map(int, m)): c for m, c in sympy.Poly(_total(chart, symbols, e), *symbols).terms()}
    polyhedron = polyhedron_from_terms(symbols, terms, timeout=deadline)
    return polyhedron, nondegeneracy(polyhedron, timeout=deadline)


def _newton_or_face_change(chart, symbols, e, deadline, may_change):
    """Theorem N1 on a chart around 0 (finished chart, None), or a change straightening a face's linear factor (None, child)."""
    try:
        polyhedron, report = _newton_data(chart, symbols, e, deadline.sub(NEWTON_SECONDS))
    except TimeLimitError:
        if deadline.expired():
            raise
        return None, None
    if report.strong is Answer.YES:
        return replace(chart, outcome="newton", threshold=1 / polyhedron.newton_distance, multiplicity=polyhedron.codimension,
                       reason="strongly non-degenerate in these coordinates: theorem N1"), None
    for check in report.faces if may_change else ():
        if check.strong is Answer.YES:
            continue
        factors = [factor for factor, _ in sympy.factor_list(check.polynomial, *symbols)[1]]
        for factor in factors:
            for l, v in enumerate(symbols):
                if v in factors:  # a straight factor: changing v would bend it (see _straighten_factor)
                    continue
                coefficient, rest = linear_split(factor, v)
                if coefficient is not None and rest != 0 and rest.xreplace({w: 0 for w in symbols}) == 0 and _changeable(chart, l, symbols):
                    return None, _change(chart, v, sympy.expand((v - rest) / coefficient), symbols, e)
    return None, None


def _coordinate_ideal(chart, symbols):
    """Whether the generators are distinct non-divisor coordinates (then smooth and transverse everywhere)."""
    divisors = {symbols[j] for j in _divisors(chart)}
    gens = chart.generators
    return len(set(gens)) == len(gens) and all(g in symbols and g not in divisors for g in gens)


def _is_coordinate(g, v, generators):
    """g is the variable v and v appears in no other generator (already straight)."""
    return g == v and not any(v in h.free_symbols for h in generators if h != g)


def _changeable(chart, l, symbols):
    return chart.jacobian[l] == 0 and chart.monomial[l] == 0


def _keeps_fiber(chart, l, rest, symbols):
    """Changing y_l by r keeps each fibre subspace {y_S = 0}: r vanishes on it whenever l is in S."""
    name = symbols[l].name
    for component in chart.fiber:
        if name in component:
            zero = {v: 0 for v in symbols if v.name in component and v.name != name}
            if sympy.expand(rest.xreplace(zero)) != 0:
                return False
    return True


def _change(chart, v, replacement, symbols, e, reduce_by=None):
    substitution = tuple(sympy.expand(s.xreplace({v: replacement})) for s in chart.substitution)
    generators = [sympy.expand(g.xreplace({v: replacement})) for g in chart.generators]
    if reduce_by is not None:
        generators = [g if _is_straight(g, v) else sympy.expand(g.xreplace({v: 0})) for g in generators]
        generators = [v] + [g for g in generators if not _is_straight(g, v)]
    child = replace(chart, name=chart.name + "~", substitution=substitution, operation=("change", v.name, replacement),
                    outcome="open", threshold=None, multiplicity=None, reason="", monomial=chart.monomial,
                    unit=sympy.expand(chart.unit.xreplace({v: replacement})))
    base = replace(child, monomial=chart.monomial)
    return _with_generators(base, generators, symbols, e)


def _is_straight(g, v):
    ratio = sympy.cancel(g / v)
    return ratio.is_number and ratio != 0


def _blow_up(chart, centre, i, symbols, e):
    """The chart of y_i of the blow-up along {y_T = 0}: y_j -> y_i y_j for j in T \\ {i}."""
    vi = symbols[i]
    mapping = {symbols[j]: vi * symbols[j] for j in centre if j != i}
    substitution = tuple(sympy.expand(s.xreplace(mapping)) for s in chart.substitution)
    jacobian = list(_monomial_pullback(chart.jacobian, centre, i))
    jacobian[i] += len(centre) - 1
    names = tuple(symbols[j].name for j in centre)
    child = Chart(f"{chart.name}.{vi.name}", substitution, ("blow-up", names, vi.name), tuple(jacobian),
                  _monomial_pullback(chart.monomial, centre, i), (), _fiber_pullback(chart.fiber, names, vi.name),
                  unit=sympy.expand(chart.unit.xreplace(mapping)))
    return _with_generators(child, [g.xreplace(mapping) for g in chart.generators], symbols, e)


def _monomial_pullback(exponents, centre, i):
    """Exponents of prod y_j^a_j after y_j -> y_i y_j (j in T \\ {i}): a_i becomes the sum over T."""
    result = list(exponents)
    result[i] = sum(exponents[j] for j in centre)
    return tuple(result)


def _fiber_pullback(fiber, centre, chart_variable):
    """Preimage of the union of {y_S = 0} in the chart of y_i of the blow-up along {y_T = 0}.

    If i is in S, y_i = 0 forces every y_T = 0: {y_i = 0, y_(S \\ T) = 0}.  If
    not, y_j y_i = 0 for j in S & T: {y_i = 0, y_(S \\ T) = 0} or {y_S = 0}.
    """
    pieces = set()
    for component in fiber:
        outside = set(component) - set(centre)
        pieces.add(frozenset(outside | {chart_variable}))
        if chart_variable not in component:
            pieces.add(frozenset(component))
    minimal = [p for p in pieces if not any(q < p for q in pieces)]
    return tuple(sorted(tuple(sorted(p)) for p in minimal))


def _centre(chart, symbols):
    """The smallest coordinate subspace {y_T = 0}, |T| >= 2, on which every generator vanishes (then max order)."""
    n = len(symbols)
    for size in range(2, n + 1):
        found = [T for T in combinations(range(n), size) if _vanishes_on(chart.generators, T, symbols)]
        if found:
            return max(found, key=lambda T: _order(chart.generators, T, symbols))
    return tuple(range(n))


def _vanishes_on(generators, T, symbols):
    zero = {symbols[j]: 0 for j in T}
    return all(sympy.expand(g.xreplace(zero)) == 0 for g in generators)


def _order(generators, T, symbols):
    return min(min(sum(m[j] for j in T) for m in sympy.Poly(g, *symbols).monoms()) for g in generators)


# ----------------------------------------------------------------------------------------------
# finishing a chart


def _divisors(chart):
    return [j for j, (h, k) in enumerate(zip(chart.jacobian, chart.monomial)) if h or k]


def _bad_systems(chart, symbols):
    """Systems whose real solutions on the fibre are the points where the strict transform is not normal crossing.

    For a fibre component S and divisors D (outside S): strict = 0, y_S = y_D = 0,
    and every c x c minor of its Jacobian in the directions that are not divisors
    through the point vanishes.  The re-check builds the same systems with its
    own code (:func:`_recheck_bad_systems`); keep the two in step.
    """
    divisors = _divisors(chart)
    gens = list(chart.generators)
    if _coordinate_ideal(chart, symbols):
        return
    for component in chart.fiber:
        on = {j for j, v in enumerate(symbols) if v.name in component}
        rest = [j for j in divisors if j not in on]
        for size in range(len(rest) + 1):
            for extra in combinations(rest, size):
                fixed = on | set(extra)
                directions = [symbols[j] for j in range(len(symbols)) if not (j in fixed and j in divisors)]
                yield [symbols[j] for j in sorted(fixed)] + gens + _minors(gens, directions)


def _minors(gens, directions):
    c = len(gens)
    if c > len(directions):
        return []
    matrix = sympy.Matrix([[sympy.diff(g, v) for v in directions] for g in gens])
    return minors(matrix, c)


def _finish(chart, symbols, e, deadline):
    """The chart with outcome "unit" or "smooth" and its (lambda_C, m_C), or None when it is not normal crossing."""
    for system in _bad_systems(chart, symbols):
        answer, _ = real_point(system, symbols, deadline=deadline)
        if answer is not Answer.NO:
            return None
    value = _chart_value(chart, symbols, e, deadline)
    if value is None:
        return replace(chart, reason="normal crossing, but whether the strict transform meets the divisors is undecided")
    threshold, multiplicity, present = value
    outcome = "smooth" if present else "unit"
    reason = ("the strict transform is smooth and transverse to the divisors on the fibre" if present
              else "the strict transform has no real zero on the fibre")
    return replace(chart, outcome=outcome, threshold=threshold, multiplicity=multiplicity, reason=reason)


def _chart_value(chart, symbols, e, deadline):
    """(lambda_C, m_C, strict present) of a normal-crossing chart, or None if a real-zero question is undecided."""
    ratios = {j: sympy.Rational(chart.jacobian[j] + 1, chart.monomial[j]) for j in range(len(symbols)) if chart.monomial[j] > 0}
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


def _meets(chart, symbols, divisors, deadline):
    """Whether the strict transform has a real zero on the fibre lying on all the given divisors."""
    answers = []
    for component in chart.fiber:
        fixed = [v for j, v in enumerate(symbols) if v.name in component or j in divisors]
        answers.append(real_point(list(chart.generators) + fixed, symbols, deadline=deadline)[0])
    if Answer.YES in answers:
        return Answer.YES
    return Answer.UNDECIDED if Answer.UNDECIDED in answers else Answer.NO


def _bad_at_origin(chart, symbols):
    origin = {v: 0 for v in symbols}
    if any(g.xreplace(origin) != 0 for g in chart.generators):
        return False
    divisors = set(_divisors(chart))
    directions = [v for j, v in enumerate(symbols) if j not in divisors]
    matrix = sympy.Matrix([[sympy.diff(g, v).xreplace(origin) for v in directions] for g in chart.generators])
    return matrix.rank() < len(chart.generators)


def _translate_to_bad_point(chart, symbols, e, deadline):
    """Move a rational real bad point on the fibre to the origin by translating free coordinates."""
    for system in _bad_systems(chart, symbols):
        answer, witness = real_point(system, symbols, deadline=deadline)
        if answer is not Answer.YES or witness is None:
            continue
        moves = [(symbols[j], a) for j, a in enumerate(witness) if a != 0]
        if len(moves) != 1 or not moves[0][1].is_Rational:
            continue
        if not all(_changeable(chart, symbols.index(v), symbols) and not any(v.name in s for s in chart.fiber) for v, _ in moves):
            continue
        v, a = moves[0]
        return _change(chart, v, v + a, symbols, e)
    return None


def _combine(charts):
    leaves = [c for c in charts if c.outcome != "refined"]
    finished = [c for c in leaves if c.outcome in FINISHED and c.threshold is not None]
    complete = len(finished) == len(leaves)
    if not finished:
        return None, None, False
    threshold = min(c.threshold for c in finished)
    multiplicity = max(c.multiplicity for c in finished if c.threshold == threshold) if complete else None
    return threshold, multiplicity, complete


# ----------------------------------------------------------------------------------------------
# re-checking


def _recheck_root(certificate, symbols):
    function = certificate.function
    if certificate.squares:
        if any(c <= 0 for c, _ in certificate.squares):
            raise RecheckError("0", "a coefficient of the sum of squares is not positive")
        if sympy.expand(function - sum(c * f**2 for c, f in certificate.squares)) != 0:
            raise RecheckError("0", "G is not the stated sum of squares")
        return tuple(f for _, f in certificate.squares)
    return (function,)


def _recheck_chart(chart, certificate, originals, symbols, e, by_name, deadline):
    fail = lambda step: RecheckError(chart.name, step)  # noqa: E731
    phi = dict(zip(symbols, chart.substitution))
    _recheck_jacobian(chart, symbols, fail)
    _recheck_pullback(chart, originals, phi, symbols, e, fail, deadline)
    for component in chart.fiber:
        zero = {v: 0 for v in symbols if v.name in component}
        if any(sympy.expand(s.xreplace(zero)) != 0 for s in chart.substitution):
            raise fail(f"the fibre subspace {{{', '.join(component)} = 0}} is not mapped to 0")
    if chart.operation[0] == "root":
        if chart.substitution != symbols or chart.fiber != (tuple(v.name for v in symbols),):
            raise fail("the root chart is not the identity with fibre {0}")
    else:
        _recheck_parent(chart, by_name, symbols, fail)
    if chart.outcome == "refined":
        _recheck_children(chart, certificate, symbols, fail)
    elif chart.outcome == "newton":
        _recheck_newton(chart, symbols, e, fail, deadline)
    elif chart.outcome in FINISHED:
        _recheck_finish(chart, symbols, e, fail, deadline)


def _recheck_jacobian(chart, symbols, fail):
    determinant = sympy.expand(sympy.Matrix([[sympy.diff(s, v) for v in symbols] for s in chart.substitution]).det(method="berkowitz"))
    monomial = sympy.Mul(*(v**h for v, h in zip(symbols, chart.jacobian)))
    ratio = sympy.cancel(determinant / monomial)
    if not ratio.is_number or ratio == 0:
        raise fail(f"det(D phi) = {determinant} is not a constant times y^h with h = {chart.jacobian}")


def _recheck_pullback(chart, originals, phi, symbols, e, fail, deadline):
    half = [k // e for k in chart.monomial]
    if any(k % e for k in chart.monomial):
        raise fail(f"k = {chart.monomial} is not divisible by e = {e}")
    monomial = sympy.Mul(*(v**a for v, a in zip(symbols, half)))
    pulled = [sympy.expand(f.xreplace(phi)) for f in originals]
    total = [sympy.expand(monomial * g) for g in chart.generators]
    if e == 1:
        ratio = sympy.cancel(pulled[0] / total[0])
        if not ratio.is_number or ratio == 0 or chart.unit != 1:
            raise fail(f"G(phi) is not a constant times y^k * strict (k = {chart.monomial})")
        return
    for component in chart.fiber:
        restricted = sympy.expand(chart.unit.xreplace({v: 0 for v in symbols if v.name in component}))
        if not restricted.is_number or restricted == 0:
            raise fail(f"the unit {chart.unit} is not a non-zero constant on the fibre subspace {{{', '.join(component)} = 0}}")
    if not _same_ideal(pulled, total, symbols, deadline, chart.unit):
        raise fail(f"the pulled-back ideal is not y^(k/2) times the strict ideal (k = {chart.monomial}) near the fibre")


def _same_ideal(first, second, symbols, deadline, unit=1):
    """Whether unit * (each generator of one) lies in the ideal of the other, both ways: equal ideals where unit != 0."""
    for a, b in ((first, second), (second, first)):
        a = [p for p in a if p != 0]
        basis = call_with_limit(deadline, "Groebner basis (re-check)", sympy.groebner, a, *symbols, order="grevlex", domain="QQ")
        if not all(basis.contains(sympy.expand(unit * p)) for p in b):
            return False
    return True


def _recheck_parent(chart, by_name, symbols, fail):
    parent = by_name.get(chart.name.rsplit(".", 1)[0] if chart.operation[0] == "blow-up" else chart.name[:-1])
    if parent is None or parent.outcome != "refined":
        raise fail("its parent is missing or not refined")
    if chart.operation[0] == "blow-up":
        centre, name = chart.operation[1], chart.operation[2]
        i = [v.name for v in symbols].index(name)
        vi = symbols[i]
        mapping = {v: vi * v for v in symbols if v.name in centre and v != vi}
        expected_fiber = _fiber_pullback(parent.fiber, centre, name)
    else:
        v = sympy.Symbol(chart.operation[1])
        replacement = chart.operation[2]
        coefficient, rest = linear_split(replacement, v) if replacement != v else (1, sympy.Integer(0))
        if coefficient is None:
            raise fail("the change is not y_l -> c*y_l + r with c a non-zero constant and r free of y_l")
        l = symbols.index(v)
        if not _changeable(parent, l, symbols):
            raise fail("the change moves a divisor coordinate")
        fibre_variable = any(v.name in s for s in parent.fiber)
        if fibre_variable and not _keeps_fiber(parent, l, sympy.expand(-rest / coefficient), symbols):
            raise fail("the change does not keep the fibre subspaces")
        mapping, expected_fiber = {v: replacement}, parent.fiber
    if chart.fiber != expected_fiber:
        raise fail(f"the fibre should be {expected_fiber}")
    for s, t in zip(parent.substitution, chart.substitution):
        if sympy.expand(s.xreplace(mapping) - t) != 0:
            raise fail("the substitution is not the parent's composed with the stated step")


def _recheck_children(chart, certificate, symbols, fail):
    children = [c for c in certificate.charts if c.name != chart.name and (
        c.name.rsplit(".", 1)[0] == chart.name and c.operation[0] == "blow-up" or c.name == chart.name + "~")]
    if not children:
        raise fail("a refined chart has no children")
    kinds = {c.operation[0] for c in children}
    if kinds == {"blow-up"}:
        centres = {c.operation[1] for c in children}
        if len(centres) != 1 or sorted(c.operation[2] for c in children) != sorted(next(iter(centres))):
            raise fail("the blow-up children are not one chart per centre variable")
        if len(next(iter(centres))) < 2:
            raise fail("a blow-up centre needs at least two coordinates")
    elif not (kinds == {"change"} and len(children) == 1):
        raise fail("children must be all the charts of one blow-up, or one change")


def _recheck_newton(chart, symbols, e, fail, deadline):
    if not _root_like(chart, symbols):
        raise fail("theorem N1 is only applied on charts with fibre {0} and constant Jacobian")
    polyhedron, report = _newton_data(chart, symbols, e, deadline)
    if report.strong is not Answer.YES:
        raise fail("the chart is not strongly non-degenerate")
    if (1 / polyhedron.newton_distance, polyhedron.codimension) != (chart.threshold, chart.multiplicity):
        raise fail(f"N1 gives (1/t, c) = ({1 / polyhedron.newton_distance}, {polyhedron.codimension})")


def _recheck_finish(chart, symbols, e, fail, deadline):
    """The finishing claim of a chart: every bad system has no real zero, and (lambda_C, m_C) follows.

    The bad systems are rebuilt here, and each "no real zero" answer of
    ``real_point`` counts only once its certificate passes
    ``is_valid_certificate``, which shares no decision code with the search.
    """
    for system in _recheck_bad_systems(chart, symbols):
        if _checked(system, symbols, fail, deadline) is not Answer.NO:
            raise fail("the strict transform is not shown normal crossing on the fibre")
    value = _recheck_value(chart, symbols, e, fail, deadline)
    if value != (chart.threshold, chart.multiplicity):
        raise fail(f"the chart gives {value}, not ({chart.threshold}, {chart.multiplicity})")


def _recheck_bad_systems(chart, symbols):
    """The systems of :func:`_bad_systems`, built again: the minors are Berkowitz determinants of the Jacobian's columns.

    No shortcut for coordinate generators: there a minor is +-1 and the
    system is a unit.
    """
    divisors = [j for j, (h, k) in enumerate(zip(chart.jacobian, chart.monomial)) if h or k]
    generators = sympy.Matrix(chart.generators)
    for component in chart.fiber:
        on = {j for j, v in enumerate(symbols) if v.name in component}
        others = [j for j in divisors if j not in on]
        for extra in (set(s) for size in range(len(others) + 1) for s in combinations(others, size)):
            fixed = on | extra
            directions = [v for j, v in enumerate(symbols) if not (j in fixed and j in divisors)]
            yield [symbols[j] for j in sorted(fixed)] + list(chart.generators) + _recheck_minors(generators, directions)


def _recheck_minors(generators, directions):
    """The maximal minors of the Jacobian matrix of the generators in the given directions (none if too few)."""
    if len(directions) < len(generators):
        return []
    jacobian = generators.jacobian(directions)
    return [sympy.expand(jacobian[:, list(cols)].det(method="berkowitz")) for cols in combinations(range(len(directions)), len(generators))]


def _recheck_value(chart, symbols, e, fail, deadline):
    """(lambda_C, m_C): the smallest of (h_j + 1)/k_j and, if the strict transform meets the fibre, c/e; m_C those attaining it."""
    ratios = {j: sympy.Rational(h + 1, k) for j, (h, k) in enumerate(zip(chart.jacobian, chart.monomial)) if k > 0}
    strict = sympy.Rational(len(chart.generators), e)
    present = _recheck_meets(chart, symbols, (), fail, deadline)
    candidates = list(ratios.values()) + ([strict] if present else [])
    if not candidates:
        return sympy.oo, 0
    threshold = min(candidates)
    poles = tuple(j for j, r in ratios.items() if r == threshold)
    if present and strict == threshold:
        return threshold, (len(poles) + _recheck_meets(chart, symbols, poles, fail, deadline)) if poles else 1
    return threshold, len(poles)


def _recheck_meets(chart, symbols, divisors, fail, deadline):
    """Whether the strict transform has a real zero on the fibre and on the given divisors; a "no" must be certified."""
    answers = [_checked(list(chart.generators) + [v for j, v in enumerate(symbols) if v.name in component or j in divisors],
                        symbols, fail, deadline) for component in chart.fiber]
    if Answer.YES in answers:
        return True
    if Answer.UNDECIDED in answers:
        raise fail("whether the strict transform meets the fibre is undecided")
    return False


def _checked(system, symbols, fail, deadline):
    """real_point's answer for the system, a NO only after its certificate is verified."""
    answer, evidence = real_point(system, symbols, deadline=deadline)
    if answer is Answer.NO and not is_valid_certificate(evidence, system, symbols, deadline=deadline):
        raise fail(f"the certificate {evidence} of no real zero of a system does not verify")
    return answer


# ----------------------------------------------------------------------------------------------
# text


def _parse(g, symbols):
    if isinstance(g, sympy.Basic):
        return g
    return parse_exact(g) if isinstance(g, str) else sympy.sympify(g, rational=True)  # text is never eval'd


def _operation_text(operation):
    if operation[0] == "root":
        return "input"
    if operation[0] == "blow-up":
        return f"blow up {{{', '.join(operation[1])} = 0}}, chart {operation[2]}"
    return f"{operation[1]} -> {sympy.sstr(operation[2])}"


def _tuple_text(values):
    return "(" + ", ".join(map(str, values)) + ")"
