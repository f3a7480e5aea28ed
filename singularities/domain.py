"""The domain of a computation, parsed once: the box, the torus periods, polynomial constraints, the verify window.

One name, one meaning (docs/conventions.md#domains):

* a **box** is a compact region in the variables' own coordinates, one
  exact interval per variable: the prior support of ``global_rlct`` (CLI
  ``rlct --global --box``), the sampling region of ``verify`` (CLI ``verify
  --box``, which must contain the point), the input box of a uniform
  regression law;
* the **window** of a sampler is the same region in the displacement
  x = k - p from the point p (``Box.window``); the numeric samplers work in it;
* **periods** P_j make the variables periodic (a torus, k_j ~ k_j + P_j);
* a **constraint** is a polynomial inequality g >= 0 that cuts a support
  out of a box.

Every bound is exact (sympy numbers, read without ``eval``); bad input is an
:class:`~singularities.errors.InputError` whose one line says what to write.
"""

from dataclasses import dataclass
from functools import reduce
from operator import mul

import sympy

from ._exact import parse_exact, point_text
from .algebra.realroots import exact_sign
from .energy import parse_number, parse_relation
from .errors import InputError

__all__ = [
    "Box",
    "Periods",
    "Constraint",
    "Support",
    "parse_box",
    "parse_periods",
    "parse_constraint",
    "parse_support",
    "parse_symbols",
    "box_text",
]


@dataclass(frozen=True, slots=True)
class Box:
    """A compact box in the variables' own coordinates: one exact interval [lo, hi] per variable.

    Attributes
    ----------
    variables : tuple of sympy.Symbol
        The variables, in order.
    bounds : tuple of (lo, hi)
        Exact bounds with lo < hi, one pair per variable.

    Examples
    --------
    >>> from singularities.domain import parse_box
    >>> box = parse_box("x=0:1/2,y=-1:1", "x,y")
    >>> box.bounds, str(box)
    (((0, 1/2), (-1, 1)), '[0, 1/2] x [-1, 1]')
    >>> box[sympy.Symbol("y")]
    (-1, 1)
    >>> box.window((sympy.Rational(1, 4), 0))
    ((-1/4, 1/4), (-1, 1))
    """

    variables: tuple
    bounds: tuple

    def __getitem__(self, variable):
        """The interval (lo, hi) of one variable."""
        return self.bounds[self.variables.index(variable)]

    def __str__(self):
        return box_text(self.bounds)

    def window(self, point):
        """The box in the displacement x = k - point, as exact (lo - p, hi - p) pairs;
        InputError if the point is outside."""
        point = tuple(sympy.sympify(c) for c in point)
        if len(point) != len(self.bounds):
            raise InputError(
                f"the point has {len(point)} coordinate(s) but the box has {len(self.bounds)} interval(s); "
                "give one coordinate per variable"
            )
        if not all(exact_sign(c - lo) >= 0 and exact_sign(hi - c) >= 0 for c, (lo, hi) in zip(point, self.bounds)):
            where = point_text(point)
            raise InputError(
                f"the point {where} is outside the box {self}; the box is in the variables' own coordinates, "
                "so give a box that contains the point (e.g. each coordinate -1:+1 around it)"
            )
        return tuple((lo - c, hi - c) for c, (lo, hi) in zip(point, self.bounds))

    def require_rational(self, who):
        """InputError naming ``who`` (e.g. "--global") when a bound is irrational, with a rational bound near it."""
        for bound in (b for pair in self.bounds for b in pair):
            if not bound.is_Rational:
                near = sympy.Rational(str(sympy.N(bound, 6)))
                raise InputError(
                    f"{who} needs rational box bounds, and {bound} is irrational; "
                    f"give a rational bound near it, e.g. {near}"
                )
        return self


@dataclass(frozen=True, slots=True)
class Periods:
    """The exact positive period P_j of each variable of a torus (k_j ~ k_j + P_j).

    Examples
    --------
    >>> from singularities.domain import parse_periods
    >>> parse_periods("2*pi,4*pi", 2).values, parse_periods(None, 2).volume
    ((2*pi, 4*pi), 4*pi**2)
    """

    values: tuple

    @property
    def volume(self):
        """The volume prod P_j of one period cell."""
        return reduce(mul, self.values, sympy.Integer(1))


@dataclass(frozen=True, slots=True)
class Constraint:
    """One polynomial inequality as g >= 0 (``polynomial`` is g), with the text it was read from.

    Examples
    --------
    >>> from singularities.domain import parse_constraint
    >>> parse_constraint("x**2 + y**2 <= 1", "x,y")
    Constraint(polynomial=-x**2 - y**2 + 1, text='x**2 + y**2 <= 1')
    """

    polynomial: sympy.Expr
    text: str


@dataclass(frozen=True, slots=True)
class Support:
    """W = box ∩ {g_i >= 0}: a box and polynomial constraints g_i with rational coefficients.

    Attributes
    ----------
    box : Box
    constraints : tuple of sympy.Expr
        The polynomials g_i.
    texts : tuple of str
        The inequalities as written.
    """

    box: Box
    constraints: tuple = ()
    texts: tuple = ()

    @property
    def variables(self):
        """The box's variables."""
        return self.box.variables

    @property
    def bounds(self):
        """The box's exact (lo, hi) pairs."""
        return self.box.bounds


def parse_box(box, variables):
    """A :class:`Box` from ``"-1:1"`` (every variable), ``"x=0:1,y=-1:1"``, a dict, pairs, or one (lo, hi) pair for all.

    Raises
    ------
    InputError
        If an interval is unreadable, empty or not exact, or the intervals do not match the variables.

    Examples
    --------
    >>> from singularities.domain import parse_box
    >>> parse_box("-1:1", "x,y").bounds
    ((-1, 1), (-1, 1))
    >>> parse_box("y=0:1/2,x=-1:1", "x,y").bounds
    ((-1, 1), (0, 1/2))
    >>> parse_box("0:0.5", "x")
    Traceback (most recent call last):
    ...
    singularities.errors.InputError: cannot read the interval ['0', '0.5'] (box bound 0.5 is a float; write 1/2);
    write exact bounds such as -1:1 or 0:1/2
    """
    symbols = parse_symbols(variables)
    names = [s.name for s in symbols]
    if isinstance(box, Box):
        if [s.name for s in box.variables] != names:
            raise InputError(
                f"the box is over {', '.join(map(str, box.variables))}, not {', '.join(names)}; "
                "give one interval per variable of the function"
            )
        return Box(symbols, box.bounds)
    pairs = _pairs(box, names)
    if len(pairs) != len(names):
        raise InputError(
            f"the box has {len(pairs)} interval(s) but there are {len(names)} variable(s); "
            "give one per variable or one for all"
        )
    return Box(symbols, tuple(_interval(p) for p in pairs))


def parse_periods(periods, n):
    """:class:`Periods` from ``"2*pi,1"``, a sequence, a number (one variable) or None
    (2 pi for each of the n variables).

    Raises
    ------
    InputError
        If the count is not n, or a period is unreadable, inexact or not positive.

    Examples
    --------
    >>> from singularities.domain import parse_periods
    >>> parse_periods("2*pi", 2)
    Traceback (most recent call last):
    ...
    singularities.errors.InputError: 1 period(s) given for 2 variable(s);
    give one period per variable, in variable order
    """
    if isinstance(periods, Periods):
        periods = periods.values
    if periods is None:
        return Periods((2 * sympy.pi,) * n)
    items = periods.split(",") if isinstance(periods, str) else list(periods) if _is_sequence(periods) else [periods]
    if len(items) != n:
        raise InputError(
            f"{len(items)} period(s) given for {n} variable(s); give one period per variable, in variable order"
        )
    values = tuple(_exact_period(p) for p in items)
    for P in values:
        if not P.is_positive:
            raise InputError(f"the period {P} is not positive; give positive exact periods such as 2*pi")
    return Periods(values)


def parse_constraint(constraint, variables, *, exact=True):
    """A :class:`Constraint` g >= 0 from one inequality (text or sympy relation),
    e.g. "x**2 + y**2 <= 1" -> 1 - x**2 - y**2.

    Raises
    ------
    InputError
        If it is not a non-constant polynomial inequality with rational coefficients in the variables.
    """
    if isinstance(constraint, Constraint):
        return constraint
    symbols = parse_symbols(variables)
    try:
        relation = (
            parse_relation(constraint, [s.name for s in symbols], exact=exact)
            if isinstance(constraint, str)
            else constraint
        )
    except (sympy.SympifyError, SyntaxError, TypeError) as exc:
        raise InputError(f"cannot read the constraint {constraint!r}: {exc}; write e.g. 'x + y <= 1'") from None
    if isinstance(relation, (sympy.LessThan, sympy.StrictLessThan)):
        g = relation.rhs - relation.lhs
    elif isinstance(relation, (sympy.GreaterThan, sympy.StrictGreaterThan)):
        g = relation.lhs - relation.rhs
    else:
        raise InputError(
            f"the constraint {constraint!r} is not an inequality; write it with <= or >=, e.g. 'x**2 + y**2 <= 1' "
            "(an equation would give the prior no volume)"
        )
    g = sympy.expand(g)
    unknown = sorted(s.name for s in g.free_symbols if s not in symbols)
    if unknown:
        raise InputError(
            f"the constraint {constraint!r} uses {', '.join(unknown)}, which is not a variable of K "
            f"({', '.join(v.name for v in symbols)}); list every parameter with variables='x,y' (CLI: --vars x,y)"
        )
    if g.is_number or not g.is_polynomial(*symbols) or not all(c.is_Rational for c in sympy.Poly(g, *symbols).coeffs()):
        raise InputError(
            f"the constraint {constraint!r} must be a non-constant polynomial inequality with rational coefficients"
        )
    return Constraint(g, sympy.sstr(relation))


def parse_support(box, constraints, variables):
    """The :class:`Support` box ∩ {constraints}: one constraint or a sequence of them (text, relation or Constraint).

    Examples
    --------
    >>> from singularities.domain import parse_support
    >>> W = parse_support("0:1", "x + y <= 1", "x,y")
    >>> W.bounds, W.constraints, W.texts
    (((0, 1), (0, 1)), (-x - y + 1,), ('x + y <= 1',))
    """
    if isinstance(constraints, (str, sympy.Basic, Constraint)):
        constraints = [constraints]
    parsed = [parse_constraint(c, variables) for c in constraints]
    return Support(parse_box(box, variables), tuple(c.polynomial for c in parsed), tuple(c.text for c in parsed))


def parse_symbols(names, what="variable"):
    """The names as a tuple of sympy Symbols, from ``"x,y"`` or a sequence of names or Symbols (each once).

    Examples
    --------
    >>> from singularities.domain import parse_symbols
    >>> parse_symbols("x, w1")
    (x, w1)
    >>> parse_symbols("x,x", "input")
    Traceback (most recent call last):
    ...
    singularities.errors.InputError: the inputs repeat a name; list each once
    """
    if isinstance(names, str):
        names = [n.strip() for n in names.split(",") if n.strip()]
    symbols = tuple(n if isinstance(n, sympy.Symbol) else sympy.Symbol(str(n).strip()) for n in names)
    for s in symbols:
        if not s.name.isidentifier():
            raise InputError(f"{s.name!r} is not a valid {what} name; use names such as x, w1, a1_2")
    if len(set(symbols)) != len(symbols):
        raise InputError(f"the {what}s repeat a name; list each once")
    return symbols


def box_text(bounds):
    """``"[lo, hi] x [lo, hi]"`` for exact (lo, hi) pairs."""
    return " x ".join(f"[{sympy.sstr(lo)}, {sympy.sstr(hi)}]" for lo, hi in bounds)


# ---------------------------------------------------------------------------
# helpers


def _pairs(box, names):
    """The box spec as one raw interval per variable, in variable order."""
    if isinstance(box, str):
        items = [part.strip() for part in box.split(",") if part.strip()]
        if len(items) == 1 and "=" not in items[0]:
            return [items[0]] * len(names)
        box = dict(item.split("=", 1) for item in items) if all("=" in item for item in items) else items
    if isinstance(box, dict):
        box = {str(k).strip(): v for k, v in box.items()}
        if set(box) - set(names) or len(box) != len(names):
            raise InputError(
                f"the box must give one interval for every variable ({', '.join(names)}; "
                f"got {', '.join(sorted(box))}); "
                "if the function does not use every variable, list them all with variables=... (CLI: --vars)"
            )
        return [box[n] for n in names]
    pairs = list(box) if _is_sequence(box) else [box]
    if len(pairs) == 2 and not any(_is_sequence(p) or (isinstance(p, str) and ":" in p) for p in pairs):
        return [tuple(pairs)] * len(names)  # one (lo, hi) pair for every variable
    return pairs


def _interval(pair):
    if isinstance(pair, str):
        if ":" not in pair:
            raise InputError(f"interval {pair!r} is not of the form lower:upper, e.g. -1:1")
        pair = pair.split(":", 1)
    try:
        lo, hi = (parse_number(str(v).strip(), "box bound") for v in pair)  # without eval
    except (sympy.SympifyError, TypeError, ValueError) as exc:
        raise InputError(
            f"cannot read the interval {pair!r} ({exc}); write exact bounds such as -1:1 or 0:1/2"
        ) from exc
    if any(v.atoms(sympy.Float) for v in (lo, hi)) or not (lo.is_real and hi.is_real):
        raise InputError(f"interval {pair!r} needs exact real bounds such as -1:1 or 0:1/2")
    if not bool(lo < hi):
        raise InputError(f"interval {lo}:{hi} is empty; give lower < upper")
    return lo, hi


def _exact_period(text):
    try:
        value = parse_exact(text, floats=True) if isinstance(text, str) else sympy.sympify(text)  # text without eval
    except (sympy.SympifyError, TypeError, SyntaxError) as exc:
        raise InputError(f"cannot read the period {text!r}; give exact periods such as 2*pi or 1") from exc
    if isinstance(text, float) or value.free_symbols or value.has(sympy.Float):
        raise InputError(
            f"the period {text} is not an exact number; give exact periods such as 2*pi or 1 (write 1/2, not 0.5)"
        )
    return value


def _is_sequence(value):
    return isinstance(value, (list, tuple))
