"""Interval arithmetic: rational Horner enclosures, and the Krawczyk existence-and-uniqueness test for boxes.

Rational intervals (``fractions.Fraction`` end points) enclose a polynomial's
values over an interval exactly (:func:`interval_horner`).  For systems,
mpmath's outward-rounded interval arithmetic (``mpmath.iv``) evaluates
polynomials over boxes: :func:`excluded` proves a box holds no zero of
F, and :func:`krawczyk` proves it holds exactly one and that every Jacobian in
it is regular (docs/critical_points.md#certificates).  For functions that are not
polynomials (trigonometric dispersions with float amplitudes), python-flint's
arb balls carry the same two tests: :func:`ball_excluded` and
:func:`krawczyk_balls` take the functions as callables on lists of balls, so
any rigorous ball evaluation (arb's cos and sin are) can be certified.
"""

import contextlib
from fractions import Fraction

import mpmath
import sympy
from flint import arb, arb_mat

__all__ = [
    "INTERVAL_BITS",
    "to_fraction",
    "interval_horner",
    "interval_precision",
    "excluded",
    "krawczyk",
    "ball_excluded",
    "krawczyk_balls",
    "krawczyk_image",
    "krawczyk_excluded",
]

INTERVAL_BITS = 113  # working precision of interval boxes (quadruple precision)


def to_fraction(value):
    """A rational sympy (or Python) number as a ``Fraction``.

    Examples
    --------
    >>> from singularities.algebra.intervals import to_fraction
    >>> to_fraction(sympy.Rational(-3, 4))
    Fraction(-3, 4)
    """
    value = sympy.Rational(value)
    return Fraction(int(value.p), int(value.q))


def interval_horner(coefficients, lo, hi):
    """An interval (a, b) of rationals containing p(x) for every x in [lo, hi], by interval Horner.

    ``coefficients`` run from the leading one down to the constant.

    Examples
    --------
    >>> from singularities.algebra.intervals import interval_horner
    >>> interval_horner([1, 0, -2], Fraction(1), Fraction(2))  # x^2 - 2 on [1, 2] lies in [-1, 2]
    (Fraction(-1, 1), Fraction(2, 1))
    """
    a = b = Fraction(0)
    for c in coefficients:
        products = (a * lo, a * hi, b * lo, b * hi)
        a, b = min(products) + c, max(products) + c
    return a, b


@contextlib.contextmanager
def interval_precision(bits=INTERVAL_BITS):
    """Run a block with mpmath's interval precision set to ``bits``, restored afterwards.

    Examples
    --------
    >>> import mpmath
    >>> from singularities.algebra.intervals import interval_precision
    >>> with interval_precision(200):
    ...     mpmath.iv.prec
    200
    """
    saved = mpmath.iv.prec
    mpmath.iv.prec = bits
    try:
        yield
    finally:
        mpmath.iv.prec = saved


def excluded(functions, box):
    """Whether some polynomial of ``functions`` (sympy Polys over QQ) provably has no zero on the box.

    ``box`` is a sequence of rational (lo, hi) pairs, one per variable.

    Examples
    --------
    >>> from singularities.algebra.intervals import excluded
    >>> x = sympy.Symbol("x")
    >>> f = [sympy.Poly(x**2 - 2, x, domain="QQ")]
    >>> excluded(f, [(Fraction(2), Fraction(3))]), excluded(f, [(Fraction(1), Fraction(2))])
    (True, False)
    """
    X = [_iv_box(lo, hi) for lo, hi in box]
    values = [_iv_poly(g, X) for g in functions]
    return any(v.a > 0 or v.b < 0 for v in values)


def krawczyk(functions, jacobian, box):
    """Whether K(X) = m - Y F(m) + (I - Y J(X))(X - m) lies inside the interior of the box X.

    Then F has exactly one zero in X, and every Jacobian J in X is regular
    (Krawczyk 1969; Moore 1977).  ``functions`` are n Polys over QQ,
    ``jacobian`` their n x n matrix of partial derivatives (Polys), ``box``
    n rational (lo, hi) pairs.

    Examples
    --------
    >>> from singularities.algebra.intervals import krawczyk
    >>> x = sympy.Symbol("x")
    >>> f = sympy.Poly(x**2 - 2, x, domain="QQ")
    >>> krawczyk([f], [[f.diff(x)]], [(Fraction(7, 5), Fraction(3, 2))])  # sqrt 2 = 1.414...
    True
    >>> krawczyk([f], [[f.diff(x)]], [(Fraction(3, 2), Fraction(8, 5))])
    False
    """
    n = len(box)
    X = [_iv_box(lo, hi) for lo, hi in box]
    M = [_iv((lo + hi) / 2) for lo, hi in box]
    Y = _approximate_inverse([[_iv_poly(h, M).mid for h in row] for row in jacobian])
    if Y is None:
        return False
    F = [_iv_poly(g, M) for g in functions]
    H = [[_iv_poly(h, X) for h in row] for row in jacobian]
    for i in range(n):
        k = M[i] - sum((Y[i][j] * F[j] for j in range(n)), mpmath.iv.mpf(0))
        for j in range(n):
            c = (1 if i == j else 0) - sum((Y[i][m] * H[m][j] for m in range(n)), mpmath.iv.mpf(0))
            k = k + c * (X[j] - M[j])
        if not (k.a > X[i].a and k.b < X[i].b):
            return False
    return True


def ball_excluded(values):
    """Whether some ball of ``values`` (flint ``arb``) provably excludes 0.

    ``values`` are enclosures of the functions over a box, so a True answer
    proves that the box holds no common zero.

    Examples
    --------
    >>> from flint import arb
    >>> from singularities.algebra.intervals import ball_excluded
    >>> ball_excluded([arb(1, 0.5), arb(0, 1)]), ball_excluded([arb(0, 1)]), ball_excluded([arb("nan")])
    (True, False, False)
    """
    return any(v.is_finite() and not v.contains(0) for v in values)  # a nan ball excludes nothing


def krawczyk_balls(function, jacobian, box):
    """The Krawczyk image of a box of balls when it lies inside the box's interior, else None.

    ``box`` is a list of n ``arb`` balls X; ``function(balls)`` returns n balls
    enclosing F, ``jacobian(balls)`` the n x n balls enclosing its Jacobian,
    both rigorous for every point of their arguments.  With m the midpoint and
    Y an (approximate, exact-as-used) inverse of J(m), K = m - Y F(m) +
    (I - Y J(X))(X - m); K inside the interior of X proves that F has exactly
    one zero in X, that it lies in K, and that every Jacobian in X is regular
    (Krawczyk 1969; Moore 1977).  Y need not be accurate: it is taken as the
    exact matrix of its midpoints.

    Examples
    --------
    >>> from flint import arb
    >>> from singularities.algebra.intervals import krawczyk_balls
    >>> def f(x):
    ...     return [x[0] ** 2 - 2]
    >>> def df(x):
    ...     return [[2 * x[0]]]
    >>> k = krawczyk_balls(f, df, [arb(1.4, 0.05)])  # sqrt 2 = 1.414...
    >>> k is not None and k[0].contains(arb(2).sqrt())
    True
    >>> krawczyk_balls(f, df, [arb(1.55, 0.05)]) is None
    True
    """
    image = krawczyk_image(function, jacobian, box)
    if image is None or not all(k.is_finite() and b.contains_interior(k) for k, b in zip(image, box)):
        return None
    return image


def krawczyk_image(function, jacobian, box, *, values=None, jacobian_box=None):
    """The Krawczyk image K(X) of a box of balls (a list of n ``arb``), or None when J(m) is not invertible.

    K = m - Y F(m) + (I - Y J(X))(X - m) with m the midpoint and Y the exact
    matrix of midpoints of an approximate inverse of J(m).  Every zero of F
    in X lies in K (Krawczyk 1969), so a coordinate where K and X are
    disjoint proves that X holds no zero (:func:`krawczyk_excluded`); K in
    the interior of X proves exactly one (:func:`krawczyk_balls`).

    Examples
    --------
    >>> from flint import arb
    >>> from singularities.algebra.intervals import krawczyk_image
    >>> k = krawczyk_image(lambda x: [x[0] ** 2 - 2], lambda x: [[2 * x[0]]], [arb(1.4, 0.05)])
    >>> k[0].contains(arb(2).sqrt())
    True
    """
    n = len(box)
    mid = [arb(b.mid()) for b in box]
    try:
        inverse = arb_mat([[e.mid() for e in row] for row in jacobian(mid)]).inv()
    except ZeroDivisionError:
        return None
    Y = [[inverse[i, j].mid() for j in range(n)] for i in range(n)]
    if not all(e.is_finite() for row in Y for e in row):
        return None
    values = function(mid) if values is None else values
    H = jacobian(box) if jacobian_box is None else jacobian_box
    image = []
    for i in range(n):
        k = mid[i] - sum((Y[i][j] * values[j] for j in range(n)), arb(0))
        for j in range(n):
            c = (1 if i == j else 0) - sum((Y[i][m] * H[m][j] for m in range(n)), arb(0))
            k += c * (box[j] - mid[j])
        image.append(k)
    return image


def krawczyk_excluded(image, box):
    """Whether a Krawczyk image (:func:`krawczyk_image`) proves that the box holds no zero.

    Every zero in the box lies in the image, so an image that misses the box
    in some coordinate leaves no room for one.  A nan or infinite ball
    proves nothing.

    Examples
    --------
    >>> from flint import arb
    >>> from singularities.algebra.intervals import krawczyk_excluded, krawczyk_image
    >>> def f(x):
    ...     return [x[0] ** 2 - 2]
    >>> def df(x):
    ...     return [[2 * x[0]]]
    >>> box = [arb(1.6, 0.05)]  # sqrt 2 = 1.414... lies outside [1.55, 1.65]
    >>> krawczyk_excluded(krawczyk_image(f, df, box), box)
    True
    >>> box = [arb(1.4, 0.05)]
    >>> krawczyk_excluded(krawczyk_image(f, df, box), box)
    False
    """
    if image is None:
        return False
    return any(k.is_finite() and not k.overlaps(b) for k, b in zip(image, box))


def _iv(x):
    return mpmath.iv.mpf(x.numerator) / mpmath.iv.mpf(x.denominator)


def _iv_box(lo, hi):
    return mpmath.iv.mpf([_iv(lo).a, _iv(hi).b])


def _iv_poly(poly, box):
    total = mpmath.iv.mpf(0)
    for exponent, c in poly.terms():
        term = _iv(to_fraction(c))
        for x, e in zip(box, exponent):
            if e:
                term = term * x ** int(e)
        total = total + term
    return total


def _approximate_inverse(matrix):
    with mpmath.workprec(INTERVAL_BITS):
        try:
            inverse = mpmath.inverse(mpmath.matrix([[mpmath.mpf(e.a) for e in row] for row in matrix]))
        except ZeroDivisionError:
            return None
        return [[mpmath.iv.mpf(inverse[i, j]) for j in range(inverse.cols)] for i in range(inverse.rows)]
