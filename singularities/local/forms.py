"""Jets and binary forms of a residual germ: the steps Arnold's determinator shares in every corank.

Coefficients, homogeneous parts and linear changes of the residual h, the discriminant and the
j-invariant of binary forms, and the checked constructors of a decision (``_checked`` compares a
type's Milnor number with the exact one; ``_not_classified`` states why no type is given).
"""

import functools

import sympy
from sympy.polys.rings import ring

from ..algebra.backend import NotRationalError, flint_rational, from_flint, to_flint, use_flint
from ..algebra.realroots import count_real_roots, exact_sign
from .normal_forms import normal_form
from .splitting import residual_variables

__all__ = ["binary_discriminant", "j10_modulus", "quartic_j_invariant", "real_linear_factors"]


def _linear_change_n(h, matrix, order):
    """h(matrix * v) as a Poly in the residual variables, truncated at ``order`` (FLINT when rational)."""
    variables = residual_variables(matrix.shape[0])
    images = [sum(matrix[i, j] * variables[j] for j in range(len(variables))) for i in range(len(variables))]
    if use_flint() and all(c.is_Rational for c in matrix):
        try:
            context, (p,) = to_flint([_poly(h, *variables)], variables)
            gens = context.gens()
            flint_images = [
                sum(flint_rational(matrix[i, j]) * gens[j] for j in range(len(gens))) for i in range(len(gens))
            ]
            moved = p.compose(*flint_images)
            kept = {m: c for m, c in zip(moved.monoms(), moved.coeffs()) if sum(m) <= order}
            return _poly(from_flint(context.from_dict(kept), variables), *variables)
        except NotRationalError:
            pass
    moved = _poly(sympy.expand(h.xreplace(dict(zip(variables, images)))), *variables)
    return sympy.Poly.from_dict({m: c for m, c in moved.terms() if sum(m) <= order}, *variables)


def _ring_element(expression, variables):
    poly = _poly(expression, *variables)
    domain = poly.domain.get_field()
    R = _ring(tuple(variables), domain)
    return R({m: domain.convert(c) for m, c in poly.terms()})


@functools.lru_cache(maxsize=64)
def _ring(variables, domain):
    """The sparse polynomial ring over ``domain`` (built once: a new ring compiles its monomial code)."""
    return ring(",".join(map(str, variables)), domain)[0]


_SERIES_NOTE = "a hyperbolic T(p,q,r): no quasi-homogeneous principal part; modulus not computed"


def _coefficient(H, i, j):
    """The coefficient of x^i y^j in a ring element H(x, y), as a sympy number."""
    X, Y = H.ring.gens
    return H.ring.domain.to_sympy(H.coeff(X**i * Y**j))


def _sign(value):
    return "+" if exact_sign(value) > 0 else "-"


def _not_classified(reason):
    return None, None, None, None, "not classified: " + reason, None


def _core(expression, weights, jacobian):
    return (
        sympy.expand(expression),
        tuple(weights),
        sympy.nsimplify(jacobian) if jacobian == 1 else sympy.radsimp(jacobian),
    )


def _weights_of(monomial):
    """Weights (1/3, w) making x^3 and x^i y^j both of degree 1."""
    i, j = monomial
    return sympy.Rational(1, 3), (1 - sympy.Rational(i, 3)) / j


def _determinant(first, second):
    """det of the coefficient matrix of two linear forms in the residual variables x, y."""
    x, y = residual_variables(2)
    return sympy.radsimp(first.diff(x) * second.diff(y) - first.diff(y) * second.diff(x))


def _checked(family, index, real_form, mu, reason, core):
    expected = normal_form(family, index, real_form).milnor_number
    if expected != mu:
        return (
            None,
            None,
            None,
            None,
            f"jets suggest {family}{index} but the Milnor number is {mu}; not classified",
            None,
        )
    return family, index, real_form, None, reason, core


def _linear_change(h, first, second, order):
    """h in coordinates X = first, Y = second (linear forms in x, y), truncated at ``order``."""
    x, y = residual_variables(2)
    matrix = sympy.Matrix([[first.diff(x), first.diff(y)], [second.diff(x), second.diff(y)]])
    return _linear_change_n(h, matrix.inv(), order).as_expr()


def _poly(expression, *variables):
    """sympy.Poly of an expression, without expanding it again when it is already a sum of monomials."""
    try:
        return sympy.Poly(expression, *variables, expand=False)
    except sympy.PolynomialError:
        return sympy.Poly(expression, *variables)


def _homogeneous_part(h, variables, degree):
    poly = _poly(h, *variables)
    return sympy.Add(
        *(c * sympy.Mul(*(v**e for v, e in zip(variables, m))) for m, c in poly.terms() if sum(m) == degree)
    )


def binary_discriminant(form, x, y):
    """The discriminant of a binary form (zero iff it has a repeated linear factor over C).

    For a cubic it is positive iff the three factors are real and distinct.

    Examples
    --------
    >>> from singularities.local.forms import binary_discriminant
    >>> x, y = sympy.symbols("x y")
    >>> binary_discriminant(x**2*y - y**3, x, y), binary_discriminant(x**2*y + y**3, x, y)
    (4, -4)
    """
    poly = sympy.Poly(form, x, y)
    degree = poly.total_degree()
    terms = poly.as_dict()
    if 2 <= degree <= 4 and all(sum(m) == degree for m in terms):  # the classical closed forms (binary forms)
        return sympy.expand(_BINARY_DISCRIMINANTS[degree](*(terms.get((degree - i, i), 0) for i in range(degree + 1))))
    shift = next(c for c in range(degree + 1) if form.xreplace({x: 1, y: c}) != 0)
    # y -> y + shift*x has determinant 1, so the binary discriminant is unchanged,
    # and it makes the x^degree coefficient F(1, shift) nonzero.
    moved = sympy.expand(form.xreplace({y: y + shift * x}))
    t = sympy.Dummy("t")
    return sympy.discriminant(moved.xreplace({x: t, y: 1}), t)


# Discriminants of a0 x^n + a1 x^(n-1) y + ... + an y^n, n = 2, 3, 4 (valid also when a0 = 0: the binary
# discriminant; equal to sympy.discriminant of the univariate polynomial when a0 != 0).
_BINARY_DISCRIMINANTS = {
    2: lambda a, b, c: b**2 - 4 * a * c,
    3: lambda a, b, c, d: b**2 * c**2 - 4 * a * c**3 - 4 * b**3 * d - 27 * a**2 * d**2 + 18 * a * b * c * d,
    4: lambda a, b, c, d, e: (
        256 * a**3 * e**3
        - 192 * a**2 * b * d * e**2
        - 128 * a**2 * c**2 * e**2
        + 144 * a**2 * c * d**2 * e
        - 27 * a**2 * d**4
        + 144 * a * b**2 * c * e**2
        - 6 * a * b**2 * d**2 * e
        - 80 * a * b * c**2 * d * e
        + 18 * a * b * c * d**3
        + 16 * a * c**4 * e
        - 4 * a * c**3 * d**2
        - 27 * b**4 * e**2
        + 18 * b**3 * c * d * e
        - 4 * b**3 * d**3
        - 4 * b**2 * c**3 * e
        + b**2 * c**2 * d**2
    ),
}


def quartic_j_invariant(form, x, y):
    """The j-invariant 1728 * 4 I^3 / (4 I^3 - J^2) of a binary quartic with distinct factors (the X9 modulus).

    Invariant under linear changes of coordinates.

    Examples
    --------
    >>> from singularities.local.forms import quartic_j_invariant
    >>> x, y = sympy.symbols("x y")
    >>> quartic_j_invariant(x**4 + y**4, x, y), quartic_j_invariant(x**4 - x*y**3, x, y)
    (1728, 0)
    """
    poly = sympy.Poly(form, x, y)
    a, b, c, d, e = (poly.coeff_monomial(x ** (4 - i) * y**i) for i in range(5))
    invariant_i = 12 * a * e - 3 * b * d + c**2
    invariant_j = 72 * a * c * e + 9 * b * c * d - 27 * a * d**2 - 27 * e * b**2 - 2 * c**3
    value = sympy.Rational(1728) * 4 * invariant_i**3 / (4 * invariant_i**3 - invariant_j**2)
    # exact: a Rational as it is, else its denominator rationalised (never nsimplify's numerical guess)
    return value if value.is_Rational else sympy.radsimp(sympy.together(sympy.expand(value)))


def j10_modulus(weighted, x, z):
    """The modulus of J10: the j-invariant of the binary quartic z * W(x, z), W the weighted cubic (z = y^2).

    The coordinate changes that keep the weights (1/3, 1/6) act on W as
    x -> a x + b z, z -> c^2 z: the projective maps that fix the point z = 0.
    So the three roots of W with that point are four points on the line up
    to projective maps, and their j-invariant is a complete invariant
    (AGZV I, 16.2; X9 uses the j-invariant of its quartic the same way).

    Examples
    --------
    >>> from singularities.local.forms import j10_modulus
    >>> x, z = sympy.symbols("x z")
    >>> j10_modulus(x**3 + z**3, x, z), j10_modulus(x**3 + x*z**2, x, z)
    (0, 1728)
    """
    return quartic_j_invariant(sympy.expand(z * weighted), x, z)


def _quartic_real_form(quartic, x, y):
    """ "4", "2" or "0+"/"0-": the number of real linear factors, with the sign when there is none."""
    lines = real_linear_factors(quartic, x, y)
    if lines:
        return str(lines)
    return "0+" if exact_sign(quartic.xreplace({x: 1, y: 0})) > 0 else "0-"


def real_linear_factors(form, x, y):
    """The number of distinct real linear factors of a binary form.

    Examples
    --------
    >>> from singularities.local.forms import real_linear_factors
    >>> x, y = sympy.symbols("x y")
    >>> real_linear_factors(x**4 - y**4, x, y), real_linear_factors(x*y**3 - x**3*y, x, y)
    (2, 4)
    """
    t = sympy.Dummy("t")
    poly = sympy.Poly(form, x, y)
    at_infinity = 1 if poly.coeff_monomial(x ** poly.total_degree()) == 0 else 0
    affine = sympy.Poly(form.xreplace({x: t, y: 1}), t, extension=True)
    return count_real_roots(affine, t) + at_infinity
