"""Real algebraic numbers: isolated real roots, the one exact sign of a real number, inertia of symmetric matrices.

A :class:`RealRoot` is a real root of an irreducible rational polynomial held
in a shrinking isolating interval with rational end points; the sign of any
rational polynomial at it is settled by interval Horner evaluation after
enough bisections (the value is nonzero unless the polynomial is 0 modulo q).
:func:`exact_sign` decides the sign of any exact real number: sympy's
precision-tracked evaluation first, then, for algebraic numbers, the real
roots of the minimal polynomial (which settles 0 exactly).  Inertia follows
from exact signs through Descartes' rule (docs/critical_points.md).
"""

from fractions import Fraction

import sympy

from ..errors import InputError, NumericError, UndecidedSign
from .intervals import interval_horner, to_fraction

__all__ = [
    "RealRoot",
    "real_roots",
    "number_field_real_root",
    "count_real_roots",
    "exact_sign",
    "canonical",
    "has_root_between",
    "hessian_inertia",
    "inertia_from_signs",
    "MAX_SIGN_REFINEMENTS",
]

MAX_SIGN_REFINEMENTS = 2000  # bisections of an isolating interval before a sign is reported unsettled


class RealRoot:
    """A real root of an irreducible rational polynomial q, held in a shrinking isolating interval [lo, hi].

    ``index`` is its position among the real roots of q in increasing order
    (the ``CRootOf`` index); for degree 1 the root is ``rational`` and the
    interval is a neighbourhood of it.

    Examples
    --------
    >>> from singularities.algebra.realroots import real_roots
    >>> x = sympy.Symbol("x")
    >>> (r,) = real_roots(sympy.Poly(x**3 - x - 1, x))
    >>> r.expr(), r.sign(sympy.Poly(x - sympy.Rational(4, 3), x))  # the plastic number 1.3247... < 4/3
    (CRootOf(x**3 - x - 1, 0), -1)
    """

    __slots__ = ("q", "index", "lo", "hi", "rational", "_coefficients")

    def __init__(self, q, index, lo, hi):
        self.q, self.index, self.lo, self.hi = q, index, lo, hi
        self._coefficients = [to_fraction(c) for c in q.all_coeffs()]
        self.rational = -self._coefficients[1] / self._coefficients[0] if q.degree() == 1 else None

    def refine(self):
        """Halve the interval."""
        if self.rational is not None:
            quarter = (self.hi - self.lo) / 4
            self.lo, self.hi = self.rational - quarter, self.rational + quarter
            return
        middle = (self.lo + self.hi) / 2
        if _sign(_horner(self._coefficients, middle)) == _sign(_horner(self._coefficients, self.lo)):
            self.lo = middle
        else:
            self.hi = middle

    def enclosure(self, poly):
        """An interval (lo, hi) of rationals containing poly(root), by interval Horner."""
        return interval_horner([to_fraction(c) for c in poly.all_coeffs()], self.lo, self.hi)

    def sign(self, poly):
        """The exact sign of poly(root) for a univariate Poly reduced modulo q (zero only if poly is 0)."""
        if poly.is_zero:
            return 0
        for _ in range(MAX_SIGN_REFINEMENTS):
            lo, hi = self.enclosure(poly)
            if lo > 0 or hi < 0:
                return 1 if lo > 0 else -1
            self.refine()
        raise NumericError(  # pragma: no cover
            f"the sign of a nonzero algebraic number was not settled after {MAX_SIGN_REFINEMENTS} bisections; "
            "report this input"
        )

    def compare(self, other):
        """-1, 0 or 1 as this root is below, equal to or above another RealRoot (exactly).

        Roots of different irreducible polynomials differ, so refining both
        intervals until they are disjoint settles the order.
        """
        if self.q == other.q and self.index == other.index:
            return 0
        if self.rational is not None and other.rational is not None:
            return _sign(self.rational - other.rational)
        while not (self.hi < other.lo or other.hi < self.lo):
            self.refine()
            other.refine()
        return -1 if self.hi < other.lo else 1

    def expr(self):
        """The root as an exact sympy number: rational, real radical or CRootOf (in the symbol x)."""
        if self.rational is not None:
            return sympy.Rational(self.rational.numerator, self.rational.denominator)
        x = sympy.Symbol("x")
        return sympy.rootof(sympy.Poly(self.q.as_expr().xreplace({self.q.gen: x}), x), self.index, radicals=True)


def real_roots(poly):
    """The distinct real roots of a rational univariate Poly as :class:`RealRoot` objects with disjoint intervals.

    Sorted by their isolating intervals, so in increasing order.

    Examples
    --------
    >>> from singularities.algebra.realroots import real_roots
    >>> x = sympy.Symbol("x")
    >>> [r.expr() for r in real_roots(sympy.Poly((x**2 - 2)*(x**3 - x - 1), x))]
    [-sqrt(2), CRootOf(x**3 - x - 1, 0), sqrt(2)]
    """
    roots = []
    for q, _ in sympy.factor_list(poly)[1]:
        q = sympy.Poly(q, poly.gen, domain=sympy.QQ)
        if q.degree() == 1:
            r = to_fraction(-q.TC() / q.LC())
            roots.append(RealRoot(q, 0, r - 1, r + 1))
            continue
        intervals = sorted((to_fraction(a), to_fraction(b)) for (a, b), _ in q.intervals())
        roots += [RealRoot(q, j, a, b) for j, (a, b) in enumerate(intervals)]
    return _separate(roots)


def exact_sign(value):
    """The sign -1, 0 or 1 of an exact real number, proven; :class:`~singularities.errors.UndecidedSign` otherwise.

    Rationals directly; then sympy's precision-tracked evaluation (which
    returns no answer rather than a wrong one); then, for an algebraic
    number, the real roots of its minimal polynomial: 0 exactly when that
    polynomial is X, one sign when all its real roots share it, else the root
    equal to the value is located by evaluation to growing precision.  A
    number that is not algebraic goes through ``simplify`` and sympy's
    assumptions once more.

    Raises
    ------
    UndecidedSign
        If the sign is out of reach, the value is not a real number, or it
        holds free symbols whose assumptions do not settle the sign.

    Examples
    --------
    >>> from singularities.algebra.realroots import exact_sign
    >>> exact_sign(sympy.sqrt(2) - sympy.Rational(14142, 10000)), exact_sign(sympy.Integer(0))
    (1, 0)
    >>> exact_sign(sympy.sqrt(2) + sympy.sqrt(3) - sympy.sqrt(5 + 2*sympy.sqrt(6)))  # a zero in disguise
    0
    """
    value = sympy.sympify(value)
    if value.is_Rational:
        return int(sympy.sign(value))
    expanded = sympy.expand(value)
    if expanded.is_Rational:
        return int(sympy.sign(expanded))
    if expanded.is_positive:
        return 1
    if expanded.is_negative:
        return -1
    if expanded.free_symbols:
        raise UndecidedSign(
            f"the sign of {value} depends on {', '.join(sorted(map(str, expanded.free_symbols)))}; "
            "substitute values for the symbols first"
        )
    roots = _minimal_roots(value)
    if roots is None:
        return _assumed_sign(value)
    signs = {_root_sign(r) for r in roots}
    return signs.pop() if len(signs) == 1 else _root_sign(_located_root(value, roots))


def number_field_real_root(poly, t):
    """An isolating interval of a nonzero real root of the square-free ``poly`` (coefficients in Q or a
    number field), or None.

    The real roots of ``poly`` lie among those of its norm (a rational
    polynomial); an isolating interval of the norm holds a root of ``poly``
    exactly when ``poly`` changes sign across it (or vanishes at a rational end).

    Examples
    --------
    >>> import sympy
    >>> from singularities.algebra.realroots import number_field_real_root
    >>> t = sympy.Symbol("t")
    >>> lo, hi = number_field_real_root(sympy.Poly(t - sympy.sqrt(2), t, extension=True), t)
    >>> bool(lo < sympy.sqrt(2) < hi)
    True
    >>> number_field_real_root(sympy.Poly(t**2 + sympy.sqrt(2), t, extension=True), t) is None
    True
    """
    if poly.degree() <= 0:
        return None
    norm = sympy.Poly(poly.norm().as_expr(), t) if not poly.domain.is_QQ and not poly.domain.is_ZZ else poly
    norm = sympy.Poly(sympy.sqf_part(norm.as_expr()), t)
    for (left, right), _ in norm.intervals():
        left, right = sympy.Rational(left), sympy.Rational(right)
        if left == right:
            if left != 0 and exact_sign(poly.as_expr().xreplace({t: left})) == 0:
                return (left, right)
            continue
        if exact_sign(poly.as_expr().xreplace({t: left})) * exact_sign(poly.as_expr().xreplace({t: right})) < 0:
            return (left, right)
    return None


def count_real_roots(poly, t):
    """The number of distinct real roots of a univariate ``poly`` with coefficients in Q or a real number field.

    Over a number field the square-free part's real roots are simple and lie
    among the real roots of its norm (a rational polynomial); an isolating
    interval of the norm holds one of them exactly when the square-free part
    changes sign across it (or vanishes at its rational point).

    Examples
    --------
    >>> import sympy
    >>> from singularities.algebra.realroots import count_real_roots
    >>> t = sympy.Symbol("t")
    >>> count_real_roots(sympy.Poly((t**2 - 2)**2 * (t + 1), t), t)
    3
    >>> count_real_roots(sympy.Poly(t**4 + sympy.sqrt(2)*t**2 + 1, t, extension=True), t)
    0
    >>> count_real_roots(sympy.Poly(t**2 - sympy.sqrt(2), t, extension=True), t)
    2
    """
    if poly.degree() <= 0:
        return 0
    if poly.domain.is_QQ or poly.domain.is_ZZ:
        return len(real_roots(poly))
    square_free = sympy.Poly(sympy.sqf_part(poly.as_expr(), t, extension=True), t, extension=True)
    norm = sympy.Poly(sympy.sqf_part(sympy.Poly(square_free.norm().as_expr(), t).as_expr()), t)
    count = 0
    for (left, right), _ in norm.intervals():
        left, right = sympy.Rational(left), sympy.Rational(right)
        ends = [exact_sign(square_free.as_expr().xreplace({t: end})) for end in (left, right)]
        count += ends[0] == 0 if left == right else ends[0] * ends[1] < 0
    return count


def canonical(value):
    """A real algebraic number containing CRootOf as one CRootOf (or radical) of its minimal polynomial;
    others unchanged.

    Examples
    --------
    >>> from singularities.algebra.realroots import canonical
    >>> x = sympy.Symbol("x")
    >>> canonical(sympy.CRootOf(x**3 - 2, 0) ** 3)
    2
    """
    value = sympy.sympify(value)
    roots = _minimal_roots(value) if value.has(sympy.CRootOf) else None
    if roots is None:
        return value
    return (roots[0] if len(roots) == 1 else _located_root(value, roots)).expr()


def has_root_between(poly, lo, hi):
    """Whether the univariate Poly has a real root strictly between the exact numbers lo and hi (the zero Poly has).

    Examples
    --------
    >>> from singularities.algebra.realroots import has_root_between
    >>> x = sympy.Symbol("x")
    >>> has_root_between(sympy.Poly(x**2 - 2, x), 1, 2), has_root_between(sympy.Poly(x**2 - 2, x), 2, 3)
    (True, False)
    """
    if poly.degree() <= 0:
        return poly.is_zero
    return any(exact_sign(r - lo) > 0 and exact_sign(hi - r) > 0 for r in sympy.real_roots(poly))


def hessian_inertia(matrix):
    """Sylvester's inertia (n_plus, n_minus, rank) of a real symmetric matrix with exact entries.

    The characteristic polynomial of a real symmetric matrix has only real
    roots, so Descartes' rule of signs counts its positive roots exactly; the
    power of t dividing it is the nullity.  Each coefficient's sign is
    decided by :func:`exact_sign` (see docs/critical_points.md).

    Examples
    --------
    >>> from singularities.algebra.realroots import hessian_inertia
    >>> hessian_inertia(sympy.Matrix([[2, 1], [1, 2]]))
    (2, 0, 2)
    >>> hessian_inertia(sympy.Matrix([[1, sympy.sqrt(2)], [sympy.sqrt(2), 2]]))
    (1, 0, 1)
    """
    matrix = sympy.Matrix(matrix)
    if not matrix.is_square:
        raise InputError(f"a Hessian is square; got a {matrix.rows}x{matrix.cols} matrix")
    if any(exact_sign(e) != 0 for e in (matrix - matrix.T)):
        raise InputError("the matrix is not symmetric; inertia is defined here for symmetric matrices")
    t = sympy.Dummy("t")
    coefficients = matrix.charpoly(t).all_coeffs()
    return inertia_from_signs([exact_sign(sympy.expand(c)) for c in coefficients])


def inertia_from_signs(signs):
    """(n_plus, n_minus, rank) of a symmetric matrix from the signs of its characteristic polynomial's coefficients.

    ``signs`` run from t^n down to t^0.  All roots are real, so Descartes'
    rule is exact: positive roots = sign changes; zero roots = trailing zeros.

    Examples
    --------
    >>> from singularities.algebra.realroots import inertia_from_signs
    >>> inertia_from_signs([1, 0, -1, 0])  # t^3 - t: eigenvalues 1, -1, 0
    (1, 1, 2)
    """
    n = len(signs) - 1
    nullity = 0
    while nullity < n and signs[n - nullity] == 0:
        nullity += 1
    nonzero = [s for s in signs if s != 0]
    n_plus = sum(1 for a, b in zip(nonzero, nonzero[1:]) if a != b)
    return n_plus, n - nullity - n_plus, n - nullity


def _separate(roots):
    while True:
        roots.sort(key=lambda r: r.lo)
        touching = [(a, b) for a, b in zip(roots, roots[1:]) if a.hi >= b.lo]
        if not touching:
            return roots
        for a, b in touching:
            a.refine()
            b.refine()


def _minimal_roots(value):
    """The real roots of the minimal polynomial of ``value``, or None if it is not algebraic."""
    X = sympy.Dummy("X")
    try:
        minimal = sympy.minimal_polynomial(value, X, polys=True)
    except (
        sympy.polys.polyerrors.NotAlgebraic,
        NotImplementedError,
        sympy.polys.polyerrors.PolynomialError,
        sympy.polys.polyerrors.CoercionFailed,
    ):
        return None
    roots = real_roots(minimal)
    if not roots:
        raise UndecidedSign(
            f"{value} is not a real number; give real values (a Hessian or gradient entry must be real)"
        )
    return roots


def _root_sign(root):
    if root.rational is not None:
        return _sign(root.rational)
    while root.lo < 0 < root.hi:
        root.refine()
    return 1 if root.lo >= 0 else -1


def _located_root(value, roots):
    """The root (of disjoint isolating intervals) equal to ``value``, located by sympy's precision-tracked
    evaluation."""
    for digits in (30, 60, 120, 240):
        approx = sympy.N(value, digits)
        if not approx.is_Number:
            break
        centre = to_fraction(sympy.Rational(approx))
        radius = Fraction(1, 10 ** (digits - 5)) * (1 + abs(centre))
        for r in roots:
            while r.hi - r.lo > radius:
                r.refine()
        inside = [r for r in roots if not (r.hi < centre - radius or centre + radius < r.lo)]
        if len(inside) == 1:
            return inside[0]
    raise UndecidedSign(  # pragma: no cover
        f"{value} could not be located among the roots of its minimal polynomial; simplify the input"
    )


def _assumed_sign(value):
    simplified = sympy.simplify(value)
    if simplified.is_zero:
        return 0
    if simplified.is_positive:
        return 1
    if simplified.is_negative:
        return -1
    raise UndecidedSign(
        f"the sign of {value} (not an algebraic number) is not decided exactly; give exact algebraic values"
    )


def _sign(x):
    return (x > 0) - (x < 0)


def _horner(coefficients, x):
    total = Fraction(0)
    for c in coefficients:
        total = total * x + c
    return total
