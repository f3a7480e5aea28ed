"""Charts of a resolution by blow-ups, the certificate that holds their tree, and the rules of a valid chart.

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
Every chart stores the composite substitution and its ``path`` of steps from
the input, so the re-check (:mod:`singularities.thresholds.recheck`) recomputes
its pullback and Jacobian from the input alone.  The fibre of 0 in a chart is
stored as a union of coordinate subspaces {y_S = 0}; blow-ups along coordinate
centres and changes of non-fibre, non-divisor coordinates keep it so.

This module holds what both the search (:mod:`~singularities.thresholds.blowup`)
and the re-check need; the re-check never imports the search.
"""

from dataclasses import dataclass, field
from enum import Enum

import sympy

from .. import tables
from .._exact import parse_exact
from .._result import parse_field, register
from ..polyhedra.newton import polyhedron_from_terms
from ..polyhedra.nondegeneracy import nondegeneracy

__all__ = [
    "FINISHED",
    "Chart",
    "Operation",
    "ResolutionCertificate",
    "chart_polyhedron",
    "divisors",
    "fiber_pullback",
    "in_domain",
    "is_changeable",
    "is_root_like",
    "keeps_fiber",
    "leaves_value",
    "parse_function",
    "recentred_domains",
]

FINISHED = ("unit", "smooth", "newton")
"""The outcomes of a finished chart (docs/blowup.md)."""


class Operation(str, Enum):
    """How a chart comes from its parent: the input itself, a blow-up chart, a coordinate change, a translation."""

    ROOT = "root"
    BLOW_UP = "blow-up"
    CHANGE = "change"
    TRANSLATION = "translation"
    RECENTRE = "recentre"
    RESTRICTION = "restriction"


@register("chart")
@dataclass(frozen=True, slots=True)
class Chart:
    """One chart of a resolution: the substitution from the chart to the input's coordinates and what it gives.

    Attributes
    ----------
    path : tuple of (Operation, str)
        The steps from the input chart to this one, each with its variable:
        the chart variable y_i of a blow-up, or the coordinate a change or
        translation replaces.  ``()`` for the input chart.
    substitution : tuple of sympy.Expr
        phi: each original variable as a polynomial in the chart variables.
    jacobian : tuple of int
        h: det(D phi) = const * prod y_j^h_j.
    monomial : tuple of int
        k: G(phi(y)) ~ prod y_j^k_j * (strict transform).
    generators : tuple of sympy.Expr
        The strict transform (a generating set of its ideal when e = 2).
    fiber : tuple of tuple of str
        The real points of phi^-1(0): the union of the subspaces {y_S = 0}.
    centre : tuple of str
        For a blow-up chart: the coordinates of the centre {y_T = 0}.
    replacement : sympy.Expr or None
        For a change or translation: what replaces the chart's variable.
    outcome : str
        "refined" (has children), "unit" (the strict transform has no real
        zero on the fibre), "smooth" (smooth and transverse to the divisors on
        the fibre), "newton" (a chart around 0 with constant Jacobian on which
        G is strongly non-degenerate: theorem N1) or "open" (not finished).
    threshold, multiplicity : sympy.Rational, int or None
        The chart's contribution (lambda_C, m_C) for finished charts.
    unit : sympy.Expr
        A factor with no zero on the fibre in the domain that the pullback
        carries besides y^k and the strict transform.
    domain : tuple of sympy.Expr
        Polynomials, each non-zero at the chart origin: the chart stands for
        the open set where none vanishes (``()``: everywhere).  Made by the
        split at a bad point on a divisor (:func:`recentred_domains`).

    Examples
    --------
    >>> from singularities.thresholds.blowup import resolve
    >>> charts = resolve("x**2*y - y**3").charts    # D4: a change, then the blow-up of the origin
    >>> charts[1].name, charts[1].operation, charts[1].variable
    ('0~', <Operation.CHANGE: 'change'>, 'x')
    >>> charts[2].name, charts[2].operation, charts[2].centre, charts[2].parent == charts[1].path
    ('0~.x', <Operation.BLOW_UP: 'blow-up'>, ('x', 'y'), True)
    """

    path: tuple
    substitution: tuple
    jacobian: tuple
    monomial: tuple
    generators: tuple
    fiber: tuple
    centre: tuple = ()
    replacement: sympy.Expr = None
    outcome: str = "open"
    threshold: sympy.Rational = None
    multiplicity: int = None
    reason: str = field(default="", compare=False)
    unit: sympy.Expr = sympy.Integer(1)
    domain: tuple = ()

    @property
    def operation(self):
        """The step that made this chart from its parent (:class:`Operation`)."""
        return self.path[-1][0] if self.path else Operation.ROOT

    @property
    def variable(self):
        """The variable of that step (None for the input chart)."""
        return self.path[-1][1] if self.path else None

    @property
    def parent(self):
        """The parent's path (None for the input chart)."""
        return self.path[:-1] if self.path else None

    @property
    def name(self):
        """The path as text: "0" is the input, "0.x" its blow-up chart of x, "0.x~" a change or translation of that,
        "0.x@" a recentred chart and "0.x|" the same chart restricted (see :func:`recentred_domains`)."""
        marks = {Operation.RECENTRE: "@", Operation.RESTRICTION: "|"}
        return "0" + "".join(f".{v}" if op is Operation.BLOW_UP else marks.get(op, "~") for op, v in self.path)

    def step_text(self):
        """The step from the parent, in words."""
        if self.operation is Operation.ROOT:
            return "input"
        if self.operation is Operation.BLOW_UP:
            return f"blow up {{{', '.join(self.centre)} = 0}}, chart {self.variable}"
        if self.operation is Operation.RESTRICTION:
            return f"the parent where {sympy.sstr(self.domain[-1])} != 0"
        text = f"{self.variable} -> {sympy.sstr(self.replacement)}"
        return f"{text} where {sympy.sstr(self.domain[-1])} != 0" if self.operation is Operation.RECENTRE else text

    def to_dict(self):
        """JSON-safe form, exact values as strings; ``name`` is the path as text (read, never parsed back)."""
        return {
            "kind": "chart",
            "name": self.name,
            "path": [[op.value, v] for op, v in self.path],
            "operation": self.operation.value,
            "centre": list(self.centre),
            "replacement": None if self.replacement is None else sympy.sstr(self.replacement),
            "substitution": [sympy.sstr(s) for s in self.substitution],
            "jacobian": list(self.jacobian),
            "monomial": list(self.monomial),
            "generators": [sympy.sstr(g) for g in self.generators],
            "fiber": [list(s) for s in self.fiber],
            "outcome": self.outcome,
            "threshold": None if self.threshold is None else sympy.sstr(self.threshold),
            "multiplicity": self.multiplicity,
            "reason": self.reason,
            "unit": sympy.sstr(self.unit),
            "domain": [sympy.sstr(d) for d in self.domain],
        }

    @classmethod
    def from_dict(cls, data, variables=None):
        """Rebuild a chart from :meth:`to_dict` output, in the certificate's ``variables``
        (default: read from the text)."""
        names = {v.name: v for v in variables or ()}
        parse = (lambda text: sympy.sympify(text, locals=names, rational=True)) if variables else parse_field
        return cls(
            path=tuple((Operation(op), v) for op, v in data["path"]),
            substitution=tuple(parse(s) for s in data["substitution"]),
            jacobian=tuple(data["jacobian"]),
            monomial=tuple(data["monomial"]),
            generators=tuple(parse(g) for g in data["generators"]),
            fiber=tuple(tuple(s) for s in data["fiber"]),
            centre=tuple(data.get("centre", ())),
            replacement=None if data.get("replacement") is None else parse(data["replacement"]),
            outcome=data["outcome"],
            threshold=None if data["threshold"] is None else sympy.Rational(data["threshold"]),
            multiplicity=data["multiplicity"],
            reason=data.get("reason", ""),
            unit=parse(data.get("unit", "1")),
            domain=tuple(parse(d) for d in data.get("domain", ())),
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
    >>> from singularities.thresholds.blowup import resolve
    >>> from singularities.thresholds.recheck import recheck
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
        rows = [
            (
                "theorem",
                "B (resolution: every chart normal crossing on the fibre of 0)"
                if self.complete
                else "B, incomplete: lambda <= the smallest finished chart",
            ),
            (
                "G",
                "sum of squares " + " + ".join(f"{sympy.sstr(c)}*({sympy.sstr(f)})**2" for c, f in self.squares)
                if self.squares
                else sympy.sstr(self.function),
            ),
        ] + ([("reason", self.reason)] if self.reason else [])
        for c in self.charts:
            value = (
                "" if c.threshold is None else f" -> (lambda_C, m_C) = ({sympy.sstr(c.threshold)}, {c.multiplicity})"
            )
            rows.append(
                (
                    f"chart {c.name}",
                    f"{c.step_text()}; phi = ({', '.join(map(sympy.sstr, c.substitution))}); "
                    f"h = {_tuple_text(c.jacobian)}, k = {_tuple_text(c.monomial)}; strict: "
                    f"{', '.join(map(sympy.sstr, c.generators))}; {c.outcome}{value}",
                )
            )
        return ("quantity", "value"), rows

    def table(self):
        """(header, rows) with one row per chart, for :mod:`singularities.tables`."""
        header = ("chart", "step", "substitution", "h", "k", "strict transform", "outcome", "lambda_C, m_C")
        rows = []
        for c in self.charts:
            value = "" if c.threshold is None else f"{sympy.sstr(c.threshold)}, {c.multiplicity}"
            rows.append(
                (
                    c.name,
                    c.step_text(),
                    ", ".join(map(sympy.sstr, c.substitution)),
                    _tuple_text(c.jacobian),
                    _tuple_text(c.monomial),
                    ", ".join(map(sympy.sstr, c.generators)),
                    c.outcome,
                    value,
                )
            )
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
        parse = lambda text: sympy.sympify(text, locals=names, rational=True)
        return cls(
            variables,
            parse(data["function"]),
            tuple((sympy.Rational(c), parse(f)) for c, f in data["squares"]),
            tuple(Chart.from_dict(c, variables) for c in data["charts"]),
            None if data["threshold"] is None else sympy.Rational(data["threshold"]),
            data["multiplicity"],
            data["complete"],
            data.get("theorem", "B"),
            data.get("reason", ""),
        )


def parse_function(g):
    """G as a sympy expression: text through the exact reader (never eval'd), a number or expression as is.

    Examples
    --------
    >>> from singularities.thresholds.resolution import parse_function
    >>> parse_function("x**2/4 - y")
    x**2/4 - y
    """
    if isinstance(g, sympy.Basic):
        return g
    return parse_exact(g) if isinstance(g, str) else sympy.sympify(g, rational=True)


def is_root_like(chart, symbols):
    """Whether the chart is a polynomial automorphism of a neighbourhood of 0: fibre {0}, constant Jacobian.

    Examples
    --------
    >>> from singularities.thresholds.blowup import resolve
    >>> from singularities.thresholds.resolution import is_root_like
    >>> certificate = resolve("x**2*y - y**3")
    >>> [is_root_like(c, certificate.variables) for c in certificate.charts[:3]]   # input, change, blow-up chart
    [True, True, False]
    """
    return chart.fiber == (tuple(v.name for v in symbols),) and not any(chart.jacobian) and not chart.domain


def is_changeable(chart, l):
    """Whether coordinate l may be changed: it is no divisor (h_l = k_l = 0).

    Examples
    --------
    >>> from singularities.thresholds.blowup import resolve
    >>> from singularities.thresholds.resolution import is_changeable
    >>> root = resolve("x**2*y - y**3").charts[0]    # G = y (x**2 - y**2): the factor y is a divisor
    >>> is_changeable(root, 0), is_changeable(root, 1)
    (True, False)
    """
    return chart.jacobian[l] == 0 and chart.monomial[l] == 0


def keeps_fiber(chart, l, rest, symbols):
    """Whether changing y_l by r keeps each fibre subspace {y_S = 0}: r vanishes on it whenever l is in S.

    Examples
    --------
    >>> from singularities.thresholds.blowup import resolve
    >>> from singularities.thresholds.resolution import keeps_fiber
    >>> certificate = resolve("x**2 - y**2")
    >>> x, y = certificate.variables
    >>> keeps_fiber(certificate.charts[0], 1, x, (x, y)), keeps_fiber(certificate.charts[0], 1, x + 1, (x, y))
    (True, False)
    """
    name = symbols[l].name
    for component in chart.fiber:
        if name in component:
            zero = {v: 0 for v in symbols if v.name in component and v.name != name}
            if sympy.expand(rest.xreplace(zero)) != 0:
                return False
    return True


def fiber_pullback(fiber, centre, chart_variable):
    """Preimage of the union of {y_S = 0} in the chart of y_i of the blow-up along {y_T = 0}.

    If i is in S, y_i = 0 forces every y_T = 0: {y_i = 0, y_(S \\ T) = 0}.  If
    not, y_j y_i = 0 for j in S & T: {y_i = 0, y_(S \\ T) = 0} or {y_S = 0}.

    Examples
    --------
    >>> from singularities.thresholds.resolution import fiber_pullback
    >>> fiber_pullback((("x", "y", "z"),), ("x", "y"), "x")   # blow up the z-axis at the origin
    (('x', 'z'),)
    """
    pieces = set()
    for component in fiber:
        outside = set(component) - set(centre)
        pieces.add(frozenset(outside | {chart_variable}))
        if chart_variable not in component:
            pieces.add(frozenset(component))
    minimal = [p for p in pieces if not any(q < p for q in pieces)]
    return tuple(sorted(tuple(sorted(p)) for p in minimal))


def divisors(chart):
    """The indices j of the chart's divisors y_j = 0 (h_j or k_j non-zero).

    Examples
    --------
    >>> from singularities.thresholds.blowup import resolve
    >>> from singularities.thresholds.resolution import divisors
    >>> divisors(resolve("x**2*y - y**3").charts[2])   # x: the exceptional divisor, y: the factor y of G
    [0, 1]
    """
    return [j for j, (h, k) in enumerate(zip(chart.jacobian, chart.monomial)) if h or k]


def chart_polyhedron(chart, symbols, e, deadline):
    """(Newton polyhedron, non-degeneracy report) of G(phi(y)) on the chart (for theorem N1 on a chart around 0).

    The function is y^k * strict for e = 1 (G up to a constant), and the sum
    of the squares of y^(k/2) times the ideal's generators for e = 2.

    Examples
    --------
    >>> from singularities.thresholds.blowup import resolve
    >>> from singularities.thresholds.resolution import chart_polyhedron
    >>> certificate = resolve("x**2 + y**4")
    >>> polyhedron, report = chart_polyhedron(certificate.charts[0], certificate.variables, 1, None)
    >>> polyhedron.newton_distance, report.strong
    (4/3, <Answer.YES>)
    """
    monomial = sympy.Mul(*(v ** (k // e) for v, k in zip(symbols, chart.monomial)))
    total = (
        sympy.expand(monomial * chart.generators[0])
        if e == 1
        else sympy.expand(sum((monomial * g) ** 2 for g in chart.generators))
    )
    terms = {tuple(map(int, m)): c for m, c in sympy.Poly(total, *symbols).terms()}
    polyhedron = polyhedron_from_terms(symbols, terms, timeout=deadline)
    return polyhedron, nondegeneracy(polyhedron, timeout=deadline)


def recentred_domains(parent_domain, v, a):
    """The domains of the two charts that split a chart at a point with y_v = a != 0 (a a number).

    The *restriction* keeps the chart where y_v - a != 0; the *recentred*
    chart translates y_v -> y_v + a and keeps it where y_v + a != 0, i.e.
    where the parent's y_v is not 0.  Every parent point lies in one of them
    (y_v = a != 0 lies in the second), so their leaves cover the parent's
    fibre; in the recentred chart the parent's divisor y_v = 0 lies outside
    the domain, so y_v^k and the Jacobian's y_v^h become units there.  Each
    domain polynomial is non-zero at its chart's origin.

    Examples
    --------
    >>> from singularities.thresholds.resolution import recentred_domains
    >>> y = sympy.Symbol("y")
    >>> recentred_domains((), y, -1)
    ((y + 1,), (y - 1,))
    """
    restricted = tuple(parent_domain) + (sympy.expand(v - a),)
    moved = tuple(sympy.expand(d.xreplace({v: v + a})) for d in parent_domain) + (sympy.expand(v + a),)
    return restricted, moved


def in_domain(system, chart, symbols):
    """(system, variables) whose real zeros are those of ``system`` inside the chart's domain.

    Rabinowitsch's trick: one more variable t with t * prod(domain) = 1; the
    system is returned unchanged for a chart without a domain.

    Examples
    --------
    >>> from singularities.thresholds.resolution import Chart, in_domain
    >>> x, y = sympy.symbols("x y")
    >>> chart = Chart((), (x, y), (0, 0), (0, 0), (y,), (("x", "y"),), domain=(y + 1,))
    >>> in_domain([y], chart, (x, y))
    ([y, t_*y + t_ - 1], (x, y, t_))
    """
    if not chart.domain:
        return list(system), tuple(symbols)
    t = sympy.Symbol("t_")
    return list(system) + [sympy.expand(t * sympy.Mul(*chart.domain) - 1)], (*symbols, t)


def leaves_value(charts):
    """(lambda, m, complete) over the leaves: the smallest finished value and its largest m (m only when complete).

    Examples
    --------
    >>> from singularities.thresholds.blowup import resolve
    >>> from singularities.thresholds.resolution import leaves_value
    >>> leaves_value(resolve("x**2*y - y**3").charts)   # D4: 1/2 + 1/(2*4 - 2) = 2/3
    (2/3, 1, True)
    """
    leaves = [c for c in charts if c.outcome != "refined"]
    finished = [c for c in leaves if c.outcome in FINISHED and c.threshold is not None]
    complete = len(finished) == len(leaves)
    if not finished:
        return None, None, False
    threshold = min(c.threshold for c in finished)
    multiplicity = max(c.multiplicity for c in finished if c.threshold == threshold) if complete else None
    return threshold, multiplicity, complete


def _tuple_text(values):
    return "(" + ", ".join(map(str, values)) + ")"
