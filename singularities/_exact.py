"""Exactness guards: every value a result stores is an exact sympy number or expression."""

from fractions import Fraction

import sympy

__all__ = ["to_rational", "require_exact", "exact_string", "parse_exact", "exact_sign", "UndecidedSign", "minors", "linear_split"]


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
    if isinstance(value, float) or (
        isinstance(value, sympy.Basic) and value.has(sympy.Float)
    ):
        raise TypeError(f"{name} = {value} is not exact")


def exact_string(value):
    """Render an exact value in sympy syntax: ``"1/2"``, ``"sqrt(2)"``, ``"oo"``.

    Examples
    --------
    >>> from singularities._exact import exact_string
    >>> exact_string(sympy.Rational(7, 12)), exact_string(sympy.sqrt(2))
    ('7/12', 'sqrt(2)')
    """
    return sympy.sstr(sympy.sympify(value))


def parse_exact(text):
    """Inverse of :func:`exact_string`: a sympy number or expression from its string."""
    return sympy.sympify(text, rational=True)


class UndecidedSign(ValueError):
    """sympy could not decide the sign of an exact number."""


def exact_sign(value):
    """The sign -1, 0 or 1 of an exact real number; :class:`UndecidedSign` if sympy cannot decide it.

    Examples
    --------
    >>> from singularities._exact import exact_sign
    >>> exact_sign(1 - sympy.sqrt(2)), exact_sign(sympy.Integer(0))
    (-1, 0)
    """
    value = sympy.expand(sympy.sympify(value))
    if value == 0:
        return 0
    if value.is_positive:
        return 1
    if value.is_negative:
        return -1
    raise UndecidedSign(f"cannot decide the sign of {value}")


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
