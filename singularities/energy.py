"""The energy function: an exact expression, its variables, parameters and a point.

Variables that are not given are the free symbols that are not parameters,
in natural order (docs/conventions.md#functions-points-and-variables).
"""

import io
import keyword
import math
import re
import tokenize
import unicodedata
import warnings

import sympy

from ._exact import _quote, checked_power, read_expression
from ._result import from_dict, register
from .errors import InexactInputWarning, InputError

__all__ = ["Energy", "as_energy", "natural_key", "parse_number", "parse_relation"]

ANALYTIC_FUNCTIONS = {
    name: getattr(sympy, name)
    for name in (
        "sin cos tan cot sec csc sinh cosh tanh coth asin acos atan asinh acosh atanh exp log sqrt cbrt root erf"
    ).split()
}
ANALYTIC_FUNCTIONS["ln"] = sympy.log
CONSTANTS = {"pi": sympy.pi, "E": sympy.E, "I": sympy.I, "oo": sympy.oo}
NON_ANALYTIC = set(
    "abs Abs sign Max Min max min floor ceiling ceil frac re im arg conjugate "
    "Heaviside DiracDelta Piecewise Mod mod round".split()
)
_NON_ANALYTIC_CLASSES = (
    sympy.Abs,
    sympy.sign,
    sympy.Max,
    sympy.Min,
    sympy.floor,
    sympy.ceiling,
    sympy.frac,
    sympy.re,
    sympy.im,
    sympy.arg,
    sympy.conjugate,
    sympy.Heaviside,
    sympy.DiracDelta,
    sympy.Piecewise,
    sympy.Mod,
)


@register("energy")
class Energy:
    """An exact real energy function f of named variables, with parameters and a point.

    Parameters
    ----------
    function : str or sympy.Expr
        The function, e.g. ``"x**4 - y**2"``; ``^`` also means power.
    variables : str or sequence, optional
        Variable names in order (``"x,y"``).  Default: the free symbols that
        are not parameters, in natural order (``w2`` before ``w10``).
    parameters : str, dict or sequence, optional
        Parameter symbols, each with an optional exact value:
        ``"t=1,tp=1/2"``, ``{"t": 1}``, ``["t", "tp"]``.  Valued parameters
        are substituted; the others stay symbolic.
    point : str or sequence, optional
        Coordinates of the point of interest in variable order (``"0,pi"``);
        default the origin.
    exact : bool
        If False, float coefficients are converted to rationals (with an
        :class:`InexactInputWarning`) instead of refused.
    truncation : jets.Truncation, optional
        Set when ``function`` is a Taylor jet K_N of an analytic K (models,
        :func:`~singularities.jets.taylor_jet`): what the jet omits, which
        ``rlct`` checks before it calls an answer proven (docs/slt.md).

    Raises
    ------
    InputError
        For syntax errors, unknown functions or symbols, non-analytic or
        complex input, float coefficients, and malformed points.

    Examples
    --------
    >>> f = sg.Energy("x**4 - y**2")
    >>> f.variables
    (x, y)
    >>> sg.Energy("x^2 + t*y^2", parameters="t=1/2").expr
    x**2 + y**2/2
    >>> sg.Energy("x**2 + 0.5*y**2")
    Traceback (most recent call last):
    ...
    singularities.errors.InputError: coefficient 0.5 is a float; write 1/2, or use sg.Energy(f, exact=False)
    (CLI: --rationalize) to convert floats
    """

    def __init__(self, function, variables=None, *, parameters=None, point=None, exact=True, truncation=None):
        self.parameters = _parse_parameters(parameters, exact)
        names = _names(variables) if variables is not None else None
        raw = _parse_function(function, exact, set(names or ()) | {s.name for s in self.parameters})
        values = {s: v for s, v in self.parameters.items() if v is not None}
        self.expr = raw.subs(values) if values else raw
        self.variables = _variables(raw, names, self.parameters)
        self.point = _parse_point(point, len(self.variables), exact)
        self.truncation = truncation

    def __repr__(self):
        text = f"Energy({sympy.sstr(self.expr)!r}, variables={','.join(map(str, self.variables))!r}"
        if self.parameters:
            text += f", parameters={_format_parameters(self.parameters)!r}"
        if any(c != 0 for c in self.point):
            text += f", point={','.join(map(sympy.sstr, self.point))!r}"
        if self.truncation is not None:
            text += f", truncation={self.truncation!r}"
        return text + ")"

    @property
    def free_parameters(self):
        """The parameters without a value, in the order given."""
        return tuple(s for s, v in self.parameters.items() if v is None)

    def at(self, point):
        """The same energy with another point of interest."""
        clone = object.__new__(Energy)
        clone.parameters, clone.expr, clone.variables = self.parameters, self.expr, self.variables
        clone.point = _parse_point(point, len(self.variables), True)
        clone.truncation = self.truncation  # a jet stays a jet (of K at its own centre)
        return clone

    def value(self):
        """The exact value f(point).

        Examples
        --------
        >>> sg.Energy("x**2 + y", point="1,2").value()
        3
        """
        return sympy.simplify(self.expr.subs(dict(zip(self.variables, self.point))))

    def is_polynomial(self):
        """Whether f is a polynomial in its variables (parameters may appear anywhere)."""
        return self.expr.is_polynomial(*self.variables)

    def __eq__(self, other):
        if not isinstance(other, Energy):
            return NotImplemented
        return (self.expr, self.variables, self.parameters, self.point) == (
            other.expr,
            other.variables,
            other.parameters,
            other.point,
        )

    def __hash__(self):
        return hash((self.expr, self.variables, self.point))

    @classmethod
    def from_dict(cls, data):
        """Rebuild an Energy from :meth:`to_dict` output (a jet's Truncation without its ``recompute``)."""
        parameters = {name: value for name, value in data["parameters"].items()}
        return cls(
            data["function"],
            data["variables"],
            parameters=parameters or None,
            point=data["point"],
            truncation=from_dict(data.get("truncation")),
        )

    def to_dict(self):
        """The input as JSON-safe data (exact values as strings)."""
        data = {
            "kind": "energy",
            "function": sympy.sstr(self.expr),
            "variables": [str(v) for v in self.variables],
            "parameters": {str(s): (None if v is None else sympy.sstr(v)) for s, v in self.parameters.items()},
            "point": [sympy.sstr(c) for c in self.point],
        }
        if self.truncation is not None:
            data["truncation"] = self.truncation.to_dict()
        return data


def as_energy(function, point=None, *, variables=None, parameters=None):
    """Return ``function`` as an :class:`Energy` (an Energy passes through, with ``point`` if given)."""
    if isinstance(function, Energy):
        if variables is not None or parameters is not None:
            raise InputError("pass variables and parameters to Energy(...), not alongside an Energy")
        return function if point is None else function.at(point)
    return Energy(function, variables, parameters=parameters, point=point)


def natural_key(name):
    """Sort key comparing runs of digits as numbers: ``w2`` before ``w10``.

    Examples
    --------
    >>> from singularities.energy import natural_key
    >>> sorted(["w10", "x", "w2"], key=natural_key)
    ['w2', 'w10', 'x']
    """
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", str(name)) if part]


def parse_number(value, what="value", *, exact=True):
    """An exact real number from text such as ``"1/2"``, ``"pi"`` or ``"sqrt(2)"``, read without ``eval``.

    Raises
    ------
    InputError
        If the text is not a finite exact real number (a decimal needs ``exact=False``).

    Examples
    --------
    >>> from singularities.energy import parse_number
    >>> parse_number("-pi/2", "box bound")
    -pi/2
    >>> parse_number("0.5", "box bound")
    Traceback (most recent call last):
    ...
    singularities.errors.InputError: box bound 0.5 is a float; write 1/2
    """
    value = _exact_number(value, what, exact)
    if not value.is_real:
        raise InputError(f"{what} = {value} is not a real number; give an exact real value such as 1/2 or pi")
    return value


def parse_relation(text, variables, *, exact=True):
    """A polynomial inequality such as ``"x + y <= 1"`` over the given variables, read without ``eval``.

    Examples
    --------
    >>> from singularities.energy import parse_relation
    >>> parse_relation("x**2 + y**2 <= 1/4", "x,y")
    x**2 + y**2 <= 1/4
    """
    names = _names(variables) if isinstance(variables, str) else [str(v) for v in variables]
    text = _normalize(text)
    if not text:
        raise InputError("the constraint is empty; give an inequality such as x + y <= 1")
    converted, resolve = [], _resolver(set(names))

    def resolve_relation(name, called):
        if called and name in ("Eq", "Ne", "Le", "Ge", "Lt", "Gt"):
            raise InputError(
                f"the constraint {text!r} is not an inequality written with <= or >=; write e.g. 'x + y <= 1'"
            )
        return resolve(name, called)

    try:
        relation = read_expression(
            text,
            resolve_relation,
            decimal=_decimal_reader(exact, converted, "constraint"),
            relations=True,
            what="constraint",
        )
    except InputError as exc:
        raise InputError(f"cannot read the constraint: {exc}") from None
    if converted:
        warnings.warn(
            f"converted float coefficients to rationals ({', '.join(converted)})", InexactInputWarning, stacklevel=2
        )
    return relation


def _names(variables):
    if isinstance(variables, str):
        items = [v.strip() for v in variables.split(",")]
    else:
        items = [str(v).strip() for v in _sequence(variables, "variables", "'x,y' or ['x', 'y']")]
    for item in items:
        if not item.isidentifier() or keyword.iskeyword(item):
            raise InputError(f"{item!r} is not a valid variable name; use names such as x, y, kx, w1")
    if len(set(items)) != len(items):
        raise InputError(f"variables {', '.join(items)} repeat a name; list each variable once")
    return items


def _parse_function(function, exact, declared):
    if isinstance(function, str):
        expr = _parse_text(function, declared, exact)
    else:
        try:
            expr = sympy.sympify(function)
        except (sympy.SympifyError, TypeError) as exc:
            raise InputError(f"cannot read {function!r} as a function: {exc}") from exc
        _refuse_non_analytic(expr)
    return _require_real_exact(expr, exact)


def _parse_text(text, declared, exact=True, what="function"):
    text = _normalize(text)
    if not text:
        raise InputError(f"the {what} is empty; give an expression such as x**4 - y**2")
    _refuse_bad_tokens(text)
    converted = []
    noun = "coefficient" if what in ("function", "point coordinate") or what.startswith("parameter") else what
    expr = read_expression(text, _resolver(declared), decimal=_decimal_reader(exact, converted, noun), what=what)
    if converted:
        warnings.warn(
            f"converted float coefficients to rationals ({', '.join(converted)})", InexactInputWarning, stacklevel=5
        )
    return expr


def _normalize(text):
    """NFKC-normalised text; refuses superscript and subscript digits, which NFKC would turn into names (x² -> x2)."""
    marks = sorted({c for c in text if unicodedata.decomposition(c).startswith(("<super>", "<sub>"))})
    if marks:
        raise InputError(
            f"{' '.join(marks)} is a superscript or subscript; write powers with ** (x**2 for x²) "
            "and indices as plain letters and digits (w1)"
        )
    return unicodedata.normalize("NFKC", text).replace("\u2212", "-").strip()


def _resolver(declared):
    """resolve(name, called) for :func:`read_expression`: symbols, constants and the analytic functions."""

    def resolve(name, called):
        if name in declared and not called:
            return sympy.Symbol(name)
        if name in NON_ANALYTIC and called:
            raise InputError(
                f"{name} is not analytic; the energy must be analytic near the point "
                "(write a smooth function, e.g. x**2 instead of abs(x)**2)"
            )
        if name in ANALYTIC_FUNCTIONS and called:
            return _checked_function(name)
        if name in CONSTANTS and not called:
            return CONSTANTS[name]
        if called:
            raise InputError(
                f"unknown function {name}(...); known: {', '.join(sorted(ANALYTIC_FUNCTIONS))} "
                f"(for a product write {name}*(...))"
            )
        return sympy.Symbol(name)

    return resolve


_ARITY = {"root": (2, 2), "log": (1, 2)}


def _checked_function(name):
    """The analytic function ``name`` with its number of arguments checked and no hidden huge powers."""
    low, high = _ARITY.get(name, (1, 1))

    def apply(*arguments):
        if not low <= len(arguments) <= high:
            count = f"{low}" if low == high else f"{low} or {high}"
            raise InputError(
                f"{name} takes {count} argument(s), not {len(arguments)}; e.g. {name}({'x, 3' if low == 2 else 'x'})"
            )
        if name == "root":
            return checked_power(arguments[0], 1 / arguments[1])
        if name == "exp" and arguments[0].has(sympy.log):  # exp(c*log(b)) evaluates to b**c
            checked_power(sympy.Symbol("b"), arguments[0].as_coeff_Mul()[0])
        return ANALYTIC_FUNCTIONS[name](*arguments)

    return apply


def _decimal_reader(exact, converted, noun="coefficient"):
    """decimal(token) for :func:`read_expression`: refuse a float, or convert it to the rational it denotes."""

    def decimal(token):
        value = sympy.Rational(token.replace("_", ""))
        if exact and noun == "coefficient":
            raise InputError(
                f"coefficient {token} is a float; write {_fraction_text(token, value)}, "
                "or use sg.Energy(f, exact=False) (CLI: --rationalize) to convert floats"
            )
        if exact:
            raise InputError(f"{noun} {token} is a float; write {_fraction_text(token, value)}")
        converted.append(f"{token} -> {_fraction_text(token, value)}")
        return value

    return decimal


def _fraction_text(token, value):
    text = sympy.sstr(value)
    if len(text) <= 24:
        return text
    mantissa, _, exponent = token.lower().replace("_", "").partition("e")
    power = int(exponent or 0)
    power = f"10**{power}" if power >= 0 else f"10**({power})"
    factor = sympy.sstr(sympy.Rational(mantissa))
    return power if factor == "1" else f"{factor}*{power}"


_RELATION = "a condition or equation is not a function; give an expression such as x**2 - y**2 (for f = g write f - g)"
_FORBIDDEN_OPERATORS = {
    "==": _RELATION,
    "!=": _RELATION,
    "<": _RELATION,
    ">": _RELATION,
    "<=": _RELATION,
    ">=": _RELATION,
    "=": "'=' is not allowed in a function; for f = g write f - g",
    ".": "attribute access with '.' is not allowed; write the function with operators and known functions",
    ";": "';' is not allowed; give one expression",
    ":": "':' is not allowed; give one expression",
    "[": "brackets [ ] are not allowed; use ( )",
    "{": "braces { } are not allowed; use ( )",
    "@": "'@' is not allowed; use * for products",
    "%": "'%' (remainder) is not analytic",
    "//": "'//' (floor division) is not analytic; use /",
}


def _refuse_bad_tokens(text):
    """Refuse keywords, comments, stray characters and forbidden operators, each with a message of its own."""
    try:
        tokens = [
            t
            for t in tokenize.generate_tokens(io.StringIO(text).readline)
            if t.type not in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER)
        ]
    except (tokenize.TokenError, SyntaxError, IndentationError) as exc:
        raise InputError(
            f"cannot parse {_quote(text)}: {_syntax_message(exc)}; check the brackets and operators"
        ) from exc
    for token in tokens:
        if token.type == tokenize.COMMENT:
            raise InputError(f"cannot parse {_quote(text)}: '#' starts a comment; remove it")
        if token.type == tokenize.NAME and keyword.iskeyword(token.string):
            raise InputError(f"{token.string!r} is a Python keyword and cannot name a variable; rename it")
        if token.type == tokenize.ERRORTOKEN and not token.string.isspace():
            raise InputError(f"cannot parse {_quote(text)}: unexpected character {token.string!r}")
        if token.type == tokenize.OP and token.string in _FORBIDDEN_OPERATORS:
            raise InputError(f"cannot parse {_quote(text)}: {_FORBIDDEN_OPERATORS[token.string]}")


def _syntax_message(exc):
    if isinstance(exc, tokenize.TokenError):
        return "unbalanced brackets"
    return exc.msg if isinstance(exc, SyntaxError) and exc.msg else (str(exc) or type(exc).__name__)


def _refuse_non_analytic(expr):
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, _NON_ANALYTIC_CLASSES):
            raise InputError(f"{type(node).__name__} is not analytic; the energy must be analytic near the point")
        if isinstance(node, (sympy.logic.boolalg.Boolean, sympy.core.relational.Relational)) and not isinstance(
            node, sympy.Symbol
        ):
            raise InputError(f"{node} is a condition, not a function; give an expression such as x**2 - y**2")
        if isinstance(node, sympy.core.function.AppliedUndef):
            raise InputError(f"unknown function {node.func}(...); give an explicit expression")


def _require_real_exact(expr, exact):
    if not isinstance(expr, sympy.Expr):
        raise InputError(f"{expr} is not an algebraic expression; give a function such as x**2 - y**2")
    if expr.has(sympy.I):
        raise InputError("the function has complex coefficients (I); the energy must be real")
    if expr.has(sympy.oo, -sympy.oo, sympy.zoo, sympy.nan):
        raise InputError("the function contains infinity or nan; give a finite expression")
    floats = sorted(expr.atoms(sympy.Float), key=lambda f: str(f))
    if floats and exact:
        raise InputError(
            f"coefficient {_short(floats[0])} is a float; write {_rational(floats[0])}, "
            "or use sg.Energy(f, exact=False) (CLI: --rationalize) to convert floats"
        )
    if floats:
        conversions = ", ".join(f"{_short(f)} -> {_rational(f)}" for f in floats)
        warnings.warn(
            f"converted float coefficients to rationals ({conversions})",
            InexactInputWarning,
            stacklevel=4,
        )
        expr = expr.xreplace({f: _rational(f) for f in floats})
    return expr


def _short(number):
    value = float(number)
    return repr(value) if math.isfinite(value) else sympy.sstr(number)


def _rational(number):
    value = float(number)
    return sympy.Rational(repr(value)) if math.isfinite(value) else sympy.Rational(str(number))


def _parse_parameters(parameters, exact):
    if parameters is None:
        return {}
    if isinstance(parameters, str):
        items = [p for p in (part.strip() for part in parameters.split(",")) if p]
        pairs = [(p.split("=", 1) + [None])[:2] for p in items]
    elif isinstance(parameters, dict):
        pairs = list(parameters.items())
    else:
        pairs = [(p, None) for p in _sequence(parameters, "parameters", "'t=1,tp=1/2' or {'t': 1}")]
    result = {}
    for name, value in pairs:
        name = str(name).strip()
        if sympy.Symbol(name) in result:
            raise InputError(f"parameter {name} is given twice; give each parameter once")
        if not name.isidentifier() or keyword.iskeyword(name):
            raise InputError(f"{name!r} is not a valid parameter name; write parameters as t=1,tp=1/2")
        result[sympy.Symbol(name)] = None if value is None else _exact_number(value, f"parameter {name}", exact)
    return result


def _format_parameters(parameters):
    return ",".join(str(s) if v is None else f"{s}={sympy.sstr(v)}" for s, v in parameters.items())


def _exact_number(value, what, exact=True):
    if isinstance(value, str):
        if not value.strip():
            raise InputError(f"{what} is empty; give an exact value such as 1/2 or pi")
        value = _parse_text(value, set(), exact, what)
    value = _require_real_exact(sympy.sympify(value), exact)
    if value.free_symbols:
        raise InputError(f"{what} = {value} is not a number; give an exact value such as 1/2 or pi")
    return value


def _sequence(value, what, example):
    """``list(value)``, or an InputError that says how to write it."""
    try:
        return list(value)
    except TypeError:
        raise InputError(f"{what} must be a string or a sequence, e.g. {example}; got {value!r}") from None


def _variables(expr, names, parameters):
    free = {s for s in expr.free_symbols if s not in parameters}
    if names is None:
        return tuple(sorted(free, key=lambda s: natural_key(s.name)))
    symbols = tuple(sympy.Symbol(n) for n in names)
    both = [str(s) for s in symbols if s in parameters]
    if both:
        raise InputError(f"{', '.join(both)} is both a variable and a parameter; declare it as one of them")
    unknown = free - set(symbols)
    if unknown:
        listed = ", ".join(sorted(map(str, unknown), key=natural_key))
        raise InputError(
            f"unknown symbol {listed}: not among the variables {', '.join(names)}; "
            "add it to the variables (--vars) or declare it a parameter (--params)"
        )
    return symbols


def _parse_point(point, dimension, exact):
    if point is None:
        return (sympy.Integer(0),) * dimension
    items = point.split(",") if isinstance(point, str) else _sequence(point, "the point", "'0,pi' or [0, 'pi']")
    if len(items) != dimension:
        raise InputError(
            f"the point has {len(items)} coordinate(s) but there are {dimension} variable(s); "
            "give one coordinate per variable, in variable order"
        )
    return tuple(_exact_number(c, "point coordinate", exact) for c in items)
