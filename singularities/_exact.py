"""Exactness guards, and the one safe reader of expressions typed by a user or stored in JSON.

Every value a result stores is an exact sympy number or expression.  Text is
never passed to ``eval`` (sympy's ``sympify`` and ``parse_expr`` evaluate it as
Python): :func:`read_expression` is a small recursive-descent reader of
numbers, names, calls, ``+ - * / ** ^`` and brackets that refuses, before any
evaluation, what would hang or crash: numbers of more than ``MAX_DIGITS``
digits, exponents beyond ``MAX_EXPONENT``, brackets nested deeper than
``MAX_DEPTH``.  Sums and products of any length are read with loops, not
recursion.
"""

import io
import keyword
import math
import tokenize
from fractions import Fraction

import sympy

from .errors import InputError

__all__ = [
    "to_rational",
    "require_exact",
    "exact_string",
    "point_text",
    "parse_exact",
    "read_expression",
    "checked_power",
    "minors",
    "linear_split",
    "MAX_DIGITS",
    "MAX_EXPONENT",
    "MAX_DEPTH",
]

MAX_DIGITS = 2000  # digits of any number in the input (10**1999 passes, 10**2000 does not)
MAX_EXPONENT = 10_000  # |p| and q of an exponent p/q of a non-trivial base
MAX_DEPTH = 60  # brackets and calls nested inside each other
MAX_LENGTH = 1_000_000  # characters of one expression
_MAX_BITS = int(MAX_DIGITS * 3.3219280948873626)  # log2(10) bits per digit


def to_rational(value):
    """Return ``value`` as a :class:`sympy.Rational`, refusing floats.

    Examples
    --------
    >>> from singularities._exact import to_rational
    >>> to_rational("3/4")
    3/4
    >>> to_rational(Fraction(1, 2))
    1/2
    """
    if isinstance(value, float) or isinstance(value, sympy.Float):
        raise TypeError(f"{value!r} is a float; give it as an exact rational such as 1/2")
    if isinstance(value, Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    result = sympy.Rational(value) if not isinstance(value, sympy.Basic) else value
    if not result.is_Rational:
        raise TypeError(f"{value!r} is not a rational number")
    return result


def require_exact(value, name="value"):
    """Raise ``TypeError`` if ``value`` (or any atom of it) is a float.

    Examples
    --------
    >>> from singularities._exact import require_exact
    >>> require_exact(sympy.sqrt(2) / 3)
    >>> require_exact(sympy.Float(0.5))
    Traceback (most recent call last):
    ...
    TypeError: value = 0.500000000000000 is not exact
    """
    if isinstance(value, (tuple, list)):
        for item in value:
            require_exact(item, name)
        return
    if isinstance(value, float) or (isinstance(value, sympy.Basic) and value.has(sympy.Float)):
        raise TypeError(f"{name} = {value} is not exact")


def point_text(point):
    """A point as text, ``(c_1, c_2, ...)``, each coordinate in sympy's string form.

    Examples
    --------
    >>> from singularities._exact import point_text
    >>> point_text((sympy.Rational(1, 2), sympy.sqrt(2)))
    '(1/2, sqrt(2))'
    """
    return "(" + ", ".join(sympy.sstr(c) for c in point) + ")"


def exact_string(value):
    """Render an exact value in sympy syntax: ``"1/2"``, ``"sqrt(2)"``, ``"oo"``.

    Examples
    --------
    >>> from singularities._exact import exact_string
    >>> exact_string(sympy.Rational(7, 12)), exact_string(sympy.sqrt(2))
    ('7/12', 'sqrt(2)')
    """
    return sympy.sstr(sympy.sympify(value))


def parse_exact(text, *, floats=False):
    """Inverse of :func:`exact_string`: a sympy number or expression from its string, read without ``eval``.

    Decimals are read as the rationals they denote (as sympy Floats with
    ``floats=True``, for callers that refuse them with a message of their
    own); names of sympy functions (``sqrt``, ``CRootOf``, ``exp``, ...) are
    functions, other names symbols.

    Examples
    --------
    >>> from singularities._exact import parse_exact
    >>> parse_exact("sqrt(2)/3"), parse_exact("0.25"), parse_exact("-oo")
    (sqrt(2)/3, 1/4, -oo)
    """
    if not isinstance(text, str):
        return sympy.sympify(text, rational=True)
    return read_expression(text, _sympy_name, decimal=sympy.Float if floats else sympy.Rational)


def read_expression(text, resolve, *, decimal=None, relations=False, what="expression"):
    """Read ``text`` as a sympy expression without ``eval``, refusing sizes that would hang.

    Parameters
    ----------
    text : str
        Numbers, names, calls ``f(a, b)``, brackets and ``+ - * / ** ^`` (``^``
        is a power); with ``relations``, one ``<=, >=, <, >`` or ``==`` at the top.
    resolve : callable
        ``resolve(name, called)`` returns the sympy object (symbol, constant or
        function) for a name, or raises :class:`InputError`.
    decimal : callable, optional
        ``decimal(token)`` returns the value of a decimal literal such as
        ``"0.5"`` or ``"1e400"`` (or raises); default: refuse decimals.
    what : str
        What the text is, for messages ("function", "constraint", ...).

    Raises
    ------
    InputError
        For syntax errors, complex literals, numbers longer than ``MAX_DIGITS``
        digits, exponents beyond ``MAX_EXPONENT`` and nesting deeper than ``MAX_DEPTH``.

    Examples
    --------
    >>> from singularities._exact import read_expression
    >>> read_expression("2^3 - x**2/4", lambda name, called: sympy.Symbol(name))
    8 - x**2/4
    >>> read_expression("9**9**9", lambda name, called: sympy.Symbol(name))
    Traceback (most recent call last):
    ...
    singularities.errors.InputError: the expression has a power with more than 2000 digits (9**387420489);
    give smaller numbers
    """
    if len(text) > MAX_LENGTH:
        raise InputError(f"the {what} has {len(text)} characters, more than {MAX_LENGTH}; give a shorter {what}")
    reader = _Reader(text, resolve, decimal, what)
    result = reader.relation() if relations else reader.expression()
    reader.finish()
    _require_small_numbers(result, what)
    return result


def minors(matrix, size):
    """Every size x size minor of a polynomial matrix, taken from its first ``size`` rows, expanded.

    The determinants are computed fraction-free over the polynomial ring
    (sympy's DomainMatrix), which is orders of magnitude faster than
    ``Matrix.det()`` on matrices of multivariate polynomials.

    Examples
    --------
    >>> from singularities._exact import minors
    >>> x, y = sympy.symbols("x y")
    >>> minors(sympy.Matrix([[x, y, 1], [y, x, 2]]), 2)
    [x**2 - y**2, 2*x - y, -x + 2*y]
    """
    from itertools import combinations

    from sympy.polys.matrices import DomainMatrix

    rows = list(range(size))
    result = []
    for columns in combinations(range(matrix.cols), size):
        block = DomainMatrix.from_Matrix(matrix.extract(rows, list(columns)))
        result.append(sympy.expand(block.domain.to_sympy(block.det())))
    return result


def linear_split(expression, variable):
    """(c, r) with expression = c*variable + r, c a non-zero number and r free of the variable; else (None, None).

    Examples
    --------
    >>> from singularities._exact import linear_split
    >>> x, y = sympy.symbols("x y")
    >>> linear_split(2*x + y**2, x), linear_split(x*y + 1, x)
    ((2, y**2), (None, None))
    """
    poly = sympy.Poly(expression, variable)
    if poly.degree() != 1:
        return None, None
    coefficient, rest = poly.all_coeffs()
    return (coefficient, rest) if coefficient.is_number and coefficient != 0 else (None, None)


_SYMPY_EXTRAS = {
    "sqrt": sympy.sqrt,
    "cbrt": sympy.cbrt,
    "root": sympy.root,
    "Rational": sympy.Rational,
    "Integer": sympy.Integer,
    "CRootOf": sympy.CRootOf,
    "RootOf": sympy.CRootOf,
    "rootof": sympy.rootof,
}
_SYMPY_CONSTANTS = {"pi": sympy.pi, "E": sympy.E, "I": sympy.I, "oo": sympy.oo, "zoo": sympy.zoo, "nan": sympy.nan}


def _sympy_name(name, called):
    """Names in sympy's printed output: sympy functions when called, constants, else symbols."""
    if called:
        function = _SYMPY_EXTRAS.get(name, getattr(sympy, name, None))
        if function in _SYMPY_EXTRAS.values() or (isinstance(function, type) and issubclass(function, sympy.Function)):
            return function
        raise InputError(f"unknown function {name}(...) in {name!r}; only sympy functions can be read back")
    return _SYMPY_CONSTANTS.get(name) or sympy.Symbol(name)


_RELATIONS = {"<=": sympy.Le, ">=": sympy.Ge, "<": sympy.Lt, ">": sympy.Gt, "==": sympy.Eq}
_POWER = ("**", "^")


class _Reader:
    """Recursive descent over Python tokens; loops for sums, products and power towers."""

    def __init__(self, text, resolve, decimal, what):
        self.text, self.resolve, self.decimal, self.what = text, resolve, decimal, what
        self.tokens = _tokens(text, what)
        self.position, self.depth = 0, 0

    def peek(self):
        return self.tokens[self.position] if self.position < len(self.tokens) else ""

    def take(self):
        token = self.peek()
        self.position += 1
        return token

    def fail(self, reason):
        raise InputError(f"cannot parse {_quote(self.text)}: {reason}; check the brackets and operators")

    def finish(self):
        if self.position < len(self.tokens):
            token = self.peek()
            after = self.tokens[self.position - 1] if self.position else ""
            if token == ",":
                self.fail("',' outside a call; give one expression")
            if token == ")":
                self.fail("unbalanced brackets")
            self.fail(f"missing operator between {after!r} and {token!r} (write {after}*{token} for a product)")

    def relation(self):
        left = self.expression()
        if self.peek() == "=":
            raise InputError(
                f"{_quote(self.text)} is not an inequality ('=' is an equation); write it with <= or >=, "
                "e.g. 'x + y <= 1'"
            )
        if self.peek() not in _RELATIONS:
            return left
        operator = self.take()
        right = self.expression()
        if self.peek() in _RELATIONS:
            self.fail("chained comparisons are not allowed; give one inequality")
        return _RELATIONS[operator](left, right, evaluate=False)

    def expression(self):
        terms = [self.term()]
        while self.peek() in ("+", "-"):
            sign = self.take()
            term = self.term()
            terms.append(term if sign == "+" else -term)
        return terms[0] if len(terms) == 1 else sympy.Add(*terms)

    def term(self):
        factors = [self.unary()]
        while self.peek() in ("*", "/"):
            operator = self.take()
            factor = self.unary()
            factors.append(factor if operator == "*" else self.power_of(factor, sympy.Integer(-1)))
        return factors[0] if len(factors) == 1 else sympy.Mul(*factors)

    def unary(self):
        negative = False
        while self.peek() in ("+", "-"):
            negative ^= self.take() == "-"
        value = self.power()
        return -value if negative else value

    def power(self):
        operands = [(False, self.atom())]
        while self.peek() in _POWER:
            self.take()
            negative = False
            while self.peek() in ("+", "-"):
                negative ^= self.take() == "-"
            operands.append((negative, self.atom()))
            if len(operands) > MAX_DEPTH:
                raise InputError(f"the {self.what} has a tower of more than {MAX_DEPTH} powers; simplify it")
        result = None
        for negative, base in reversed(operands):
            value = base if result is None else self.power_of(base, result)
            result = -value if negative else value
        return result

    def power_of(self, base, exponent):
        return checked_power(base, exponent, self.what)

    def atom(self):
        token = self.take()
        if token == "(":
            value = self.nested(self.expression)
            if self.take() != ")":
                self.fail("unbalanced brackets")
            return value
        if token and (token[0].isdigit() or token[0] == "."):
            return self.number(token)
        if token.isidentifier() and not keyword.iskeyword(token):
            return self.name(token)
        if token == "":
            self.fail("the expression ends too early")
        self.fail(f"unexpected {token!r}")

    def nested(self, read):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise InputError(
                f"the {self.what} nests brackets or functions more than {MAX_DEPTH} deep; "
                "simplify it or expand the inner part"
            )
        try:
            return read()
        finally:
            self.depth -= 1

    def name(self, token):
        if self.peek() != "(":
            return self.resolve(token, False)
        function = self.resolve(token, True)
        self.take()
        arguments = self.nested(self.arguments)
        try:
            return function(*arguments)
        except InputError:
            raise
        except (TypeError, ValueError, ArithmeticError) as exc:
            raise InputError(
                f"cannot apply {token} to {len(arguments)} argument(s) in {_quote(self.text)}: {exc}; "
                "check the arguments"
            ) from None

    def arguments(self):
        values = []
        if self.peek() == ")":
            self.take()
            return values
        while True:
            values.append(self.expression())
            token = self.take()
            if token == ")":
                return values
            if token != ",":
                self.fail("unbalanced brackets")

    def number(self, token):
        text = token.replace("_", "")
        if text[-1] in "jJ":
            raise InputError(f"{token} is an imaginary number; the {self.what} must be real (write it without j)")
        if text.isdigit() or text[:2].lower() in ("0x", "0o", "0b"):
            digits = len(text.lstrip("0")) if text.isdigit() else len(text) // 3
            if digits > MAX_DIGITS:
                raise InputError(
                    f"the {self.what} has a number with {digits} digits, more than {MAX_DIGITS}; give smaller numbers"
                )
            try:
                return sympy.Integer(int(text, 0) if not text.isdigit() else int(text))
            except ValueError:
                self.fail(f"{token!r} is not a number")
        mantissa, _, exponent = text.lower().partition("e")
        if exponent and abs(int(exponent)) > MAX_DIGITS or len(mantissa) > MAX_DIGITS:
            raise InputError(
                f"the {self.what} has a number {_quote(token, 20)} with more than {MAX_DIGITS} digits; "
                "give smaller numbers"
            )
        if self.decimal is None:
            raise InputError(f"{token} is a decimal number; write it as an exact fraction such as 1/2")
        if not any(c.isdigit() for c in mantissa):
            self.fail(f"{token!r} is not a number")
        return self.decimal(token)


def _tokens(text, what):
    """Python tokens of ``text`` as strings (names, numbers, operators)."""
    try:
        tokens = tokenize.generate_tokens(io.StringIO(text).readline)
        result = []
        for token in tokens:
            if token.type in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER, tokenize.INDENT, tokenize.DEDENT):
                continue
            if token.type in (tokenize.ERRORTOKEN, tokenize.COMMENT, tokenize.STRING) and not token.string.isspace():
                raise InputError(
                    f"cannot parse {_quote(text)}: unexpected {token.string!r}; "
                    f"write the {what} with numbers, names, brackets and + - * / **"
                )
            if not token.string.isspace():
                result.append(token.string)
        return result
    except (tokenize.TokenError, SyntaxError) as exc:
        raise InputError(f"cannot parse {_quote(text)}: unbalanced brackets; check the brackets and operators") from exc


def checked_power(base, exponent, what="expression"):
    """``base**exponent``, refused (:class:`InputError`) if evaluating it would take huge time or memory.

    Refused: a number with more than ``MAX_DIGITS`` digits, or an exponent p/q
    with |p| or q beyond ``MAX_EXPONENT`` on any other base than 0, 1 and -1.

    Examples
    --------
    >>> from singularities._exact import checked_power
    >>> checked_power(sympy.Integer(2), sympy.Integer(10))
    1024
    >>> checked_power(sympy.Symbol("x"), sympy.Integer(10**9))
    Traceback (most recent call last):
    ...
    singularities.errors.InputError: the exponent 1000000000 in the expression is beyond 10000; give a smaller exponent
    """
    base, exponent = sympy.sympify(base), sympy.sympify(exponent)
    _check_power(base, exponent, what)
    return sympy.Pow(base, exponent)


def _check_power(base, exponent, what):
    if not exponent.is_Rational or base in (0, 1, -1):
        return
    p, q = abs(int(exponent.p)), int(exponent.q)
    if base.is_Rational:
        digits = max(math.log10(abs(int(base.p))), math.log10(int(base.q)))  # of the larger of numerator, denominator
        if q > MAX_EXPONENT or p * digits >= MAX_DIGITS * q:
            raise InputError(
                f"the {what} has a power with more than {MAX_DIGITS} digits ({_shorten(sympy.sstr(base), 20)}**"
                f"{_shorten(sympy.sstr(exponent), 20)}); give smaller numbers"
            )
    elif p > MAX_EXPONENT or q > MAX_EXPONENT:
        raise InputError(
            f"the exponent {_shorten(sympy.sstr(exponent), 20)} in the {what} is beyond {MAX_EXPONENT}; "
            "give a smaller exponent"
        )


def _require_small_numbers(expr, what):
    if not isinstance(expr, sympy.Basic):
        return
    for number in expr.atoms(sympy.Rational):
        if max(int(number.p).bit_length(), int(number.q).bit_length()) > _MAX_BITS:
            raise InputError(f"the {what} has a number with more than {MAX_DIGITS} digits; give smaller numbers")


def _quote(text, limit=60):
    """``repr(text)``, shortened to about ``limit`` characters for messages."""
    return repr(_shorten(text, limit))


def _shorten(text, limit=60):
    return text if len(text) <= limit else text[: limit - 15] + " ... " + text[-10:]
