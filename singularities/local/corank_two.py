"""Arnold's determinator in corank 1 and 2: A_k, D_k, E, J, X, Y, Z, W and the exceptional families.

The residual h(x, y) of the splitting lemma is decided by its 3-jet (a cubic's factors), then its
4-jet and higher weighted jets, as in Arnold, Gusein-Zade, Varchenko vol. 1, sections 15-16 and
Singular's classify.lib / realclassify.lib; every decision is cross-checked against the exact Milnor
number (docs/classification.md).
"""

import sympy

from ..algebra.realroots import exact_sign
from .forms import (
    _SERIES_NOTE,
    _checked,
    _coefficient,
    _core,
    _determinant,
    _homogeneous_part,
    _linear_change,
    _not_classified,
    _poly,
    _quartic_real_form,
    _ring_element,
    _sign,
    _weights_of,
    binary_discriminant,
    j10_modulus,
    quartic_j_invariant,
)
from .splitting import compose_truncated, residual_variables

__all__ = ["corank_one", "corank_two"]


def corank_one(h, mu):
    x = residual_variables(1)[0]
    poly = _poly(h, x)
    degree = min(m[0] for m in poly.monoms())
    if degree != mu + 1:
        return None, None, None, None, f"inconsistent jets (order {degree}, mu {mu}); not classified", None
    leading = poly.coeff_monomial(x**degree)
    sign = exact_sign(leading)
    return (
        "A",
        mu,
        ("+" if sign > 0 else "-") if degree % 2 == 0 else None,
        None,
        f"corank 1, h = c*x^{degree} + ...: A{mu}",
        _core(leading * x**degree, (sympy.Rational(1, degree),), 1),
    )


def corank_two(h, mu, order):
    x, y = residual_variables(2)
    cubic = _homogeneous_part(h, (x, y), 3)
    if cubic != 0:
        return _cubic_branch(h, cubic, mu, order)
    quartic = _homogeneous_part(h, (x, y), 4)
    if quartic == 0:
        return _not_classified(f"corank 2, zero 4-jet (beyond the unimodal types), Milnor number {mu}")
    discriminant = binary_discriminant(quartic, x, y)
    if discriminant != 0 and mu == 9:
        return (
            "X",
            9,
            _quartic_real_form(quartic, x, y),
            quartic_j_invariant(quartic, x, y),
            "corank 2, zero 3-jet, quartic with distinct factors: X9",
            _core(quartic, (sympy.Rational(1, 4),) * 2, 1),
        )
    if discriminant != 0:
        return _not_classified(f"corank 2, quartic with distinct factors but Milnor number {mu} (X9 has 9)")
    return _repeated_quartic(h, quartic, mu, order)


def _repeated_quartic(h, quartic, mu, order):
    """Zero 3-jet, quartic with a repeated factor: l^2 q (X_{9+k}), l^3 m (Z11-13, Z17-19), l^4 (W12-13, W17-18),
    q^2 (Y[r,s], Y~_r)."""
    x, y = residual_variables(2)
    try:
        _, factors = sympy.sqf_list(quartic, x, y)
    except (sympy.PolynomialError, NotImplementedError):
        return _not_classified(f"corank 2, quartic with a repeated factor over a number field, Milnor number {mu}")
    highest, multiplicity = max(factors, key=lambda f: f[1])
    linear = sympy.Poly(highest, x, y).total_degree() == 1
    if multiplicity == 2 and linear:
        return _x_series(h, highest, mu, order)
    if multiplicity == 3:
        return _z_series(h, highest, sympy.cancel(quartic / highest**3), mu, order)
    if multiplicity == 4:
        return _w_series(h, highest, mu, order)
    return _y_series(h, highest, mu, order)


def _cubic_branch(h, cubic, mu, order):
    x, y = residual_variables(2)
    discriminant = binary_discriminant(cubic, x, y)
    if discriminant != 0:
        return _checked(
            "D",
            4,
            "-" if discriminant > 0 else "+",
            mu,
            f"corank 2, cubic with three distinct factors ({'three real' if discriminant > 0 else 'one real'}): D4",
            _core(cubic, (sympy.Rational(1, 3),) * 2, 1),
        )
    # the Hessian of a binary cubic vanishes iff the cubic is a cube; for l1^2 l2 it is a multiple of l1^2
    hessian = sympy.expand(cubic.diff(x, 2) * cubic.diff(y, 2) - cubic.diff(x, y) ** 2)
    if hessian == 0:
        return _e_series(h, cubic, mu, order)
    repeated = sympy.gcd_list([cubic, cubic.diff(x), cubic.diff(y)])
    if sympy.Poly(repeated, x, y).total_degree() != 1:  # gcd over an algebraic field may lose the factor
        repeated = sympy.expand(hessian.diff(x) if hessian.diff(x) != 0 else hessian.diff(y))
    return _d_series(h, cubic, repeated, mu, order)


def _d_series(h, cubic, double, mu, order):
    """j3 = X^2 Y: D_k with k - 1 the order of h on its polar curve dh/dX = 0, the sign its leading coefficient."""
    x, y = residual_variables(2)
    simple = sympy.cancel(cubic / double**2)
    jacobian = 1 / _determinant(double, simple)
    H = _ring_element(_linear_change(h, double, simple, order), (x, y))
    R = H.ring
    X, Y = R.gens
    derivative = H.diff(X)
    polar = R.zero
    for _ in range(order):
        rest = compose_truncated(derivative, {0: polar}, order) - 2 * polar * Y
        if any(m[1] == 0 for m in rest.monoms()):
            return (
                None,
                None,
                None,
                None,
                f"polar curve not a power series in these coordinates; not classified (mu {mu})",
                None,
            )
        updated = -_divide_by_y(rest) * R.domain.quo(R.domain.one, R.domain.convert(2))
        if updated == polar:
            break
        polar = updated
    reduced = compose_truncated(H, {0: polar}, order)
    if not reduced:
        return None, None, None, None, f"not classified: corank 2, D-type cubic, Milnor number {mu}", None
    degree = min(m[1] for m in reduced.monoms())
    leading = R.domain.to_sympy(reduced.coeff(Y**degree))
    sign = exact_sign(leading)
    core = _core(
        x**2 * y + leading * y**degree, (sympy.Rational(degree - 1, 2 * degree), sympy.Rational(1, degree)), jacobian
    )
    return _checked(
        "D",
        degree + 1,
        "+" if sign > 0 else "-",
        mu,
        f"corank 2, cubic x^2*y, h = +-y^{degree} on the polar curve",
        core,
    )


def _divide_by_y(p):
    """p / Y for a polynomial in (X, Y) whose terms all contain Y (after the polar substitution they do)."""
    return p.ring({(m[0], m[1] - 1): c for m, c in p.items() if m[1] >= 1})


def _e_series(h, cubic, mu, order):
    """j3 = c X^3: E6 (Y^4), E7 (X Y^3), E8 (Y^5), J10 (a non-degenerate weighted cubic), by the first nonzero term."""
    x, y = residual_variables(2)
    line = sympy.gcd_list([cubic.diff(x, 2), cubic.diff(x, y), cubic.diff(y, 2)])
    if sympy.Poly(line, x, y).total_degree() != 1:  # c l^3: every nonzero second derivative is a multiple of l
        line = sympy.expand(cubic.diff(x, 2) if cubic.diff(x, 2) != 0 else cubic.diff(y, 2))
    other = y if sympy.Poly(line, x, y).coeff_monomial(x) != 0 else x
    H = _poly(_linear_change(h, line, other, 6), x, y)
    coefficient = lambda i, j: H.coeff_monomial(x**i * y**j)  # noqa: E731
    core = lambda *monomials: _core(
        sum(coefficient(i, j) * x**i * y**j for i, j in ((3, 0),) + monomials),  # noqa: E731
        _weights_of(monomials[-1]),
        1 / _determinant(line, other),
    )
    if coefficient(0, 4) != 0:
        return _checked(
            "E",
            6,
            "+" if exact_sign(coefficient(0, 4)) > 0 else "-",
            mu,
            "corank 2, cubic x^3, y^4 term: E6",
            core((0, 4)),
        )
    if coefficient(1, 3) != 0:
        return _checked("E", 7, None, mu, "corank 2, cubic x^3, no y^4, x*y^3 term: E7", core((1, 3)))
    if coefficient(0, 5) != 0:
        return _checked("E", 8, None, mu, "corank 2, cubic x^3, no y^4 or x*y^3, y^5 term: E8", core((0, 5)))
    X, Z = sympy.symbols("X Z")
    weighted = (
        coefficient(3, 0) * X**3
        + coefficient(2, 2) * X**2 * Z
        + coefficient(1, 4) * X * Z**2
        + coefficient(0, 6) * Z**3
    )
    discriminant = binary_discriminant(weighted, X, Z)
    if discriminant != 0:
        family, index, real_form, _, reason, found = _checked(
            "J",
            10,
            "3" if discriminant > 0 else "1",
            mu,
            "corank 2, cubic x^3, weighted (1/3, 1/6) part non-degenerate: J10",
            core((2, 2), (1, 4), (0, 6)),
        )
        modulus = None if family is None else j10_modulus(weighted, X, Z)
        return family, index, real_form, modulus, reason, found
    return _beyond_j10(h, line, other, weighted, (X, Z), mu, order)


def _beyond_j10(h, line, other, weighted, symbols, mu, order):
    """Cubic c X^3 with a degenerate weighted (1/3, 1/6) part: a double root gives J_{10+k}, a triple one E12-14.

    The repeated root X = -q Y^2 of the weighted cubic (rational: a repeated
    root of a rational cubic is) is moved to X = 0 by X -> X - q Y^2, which
    keeps the weighted filtration (AGZV I, 16.2; classify.lib's determinator).
    """
    try:
        _, factors = sympy.sqf_list(weighted, *symbols)
    except (sympy.PolynomialError, NotImplementedError):
        return _not_classified(f"corank 2, cubic x^3 beyond J10 over a number field, Milnor number {mu}")
    root, multiplicity = max(factors, key=lambda f: f[1])
    if multiplicity == 1 or sympy.Poly(root, *symbols).total_degree() != 1:
        return _not_classified(f"corank 2, cubic x^3, degenerate weighted part not resolved, Milnor number {mu}")
    X, Z = symbols
    shift = root.coeff(Z) / root.coeff(X)
    H = _ring_element(_linear_change(h, line, other, order), residual_variables(2))
    R = H.ring
    H = compose_truncated(H, {0: R.gens[0] - R.domain.from_sympy(shift) * R.gens[1] ** 2}, order)
    jacobian = 1 / _determinant(line, other)
    if multiplicity == 2:
        return _j_series(H, mu, order)
    return _e_exceptional(H, mu, jacobian, order)


def _j_series(H, mu, order):
    """X^2 (b X + c Y^2) + ...: J_{10+k} with 6 + k the order of H on the branch of dH/dX = 0 tangent to X = 0."""
    c = _coefficient(H, 2, 2)
    degree, leading = _polar_restriction(H, 2, order)
    if degree is None or degree < 7:
        return _not_classified(f"corank 2, cubic x^3, weighted part with a double root; Milnor number {mu}")
    k = degree - 6
    real_form = _sign(c) + ("" if k % 2 else _sign(leading))
    reason = (
        f"corank 2, cubic x^3, weighted (1/3, 1/6) part x^2 (x +- y^2): J{10 + k} = T(2,3,{6 + k}), "
        f"h = c y^{degree} on the polar branch; {_SERIES_NOTE}"
    )
    return _checked("J", 10 + k, real_form, mu, reason, None)


def _e_exceptional(H, mu, jacobian, order):
    """Weighted part b X^3 only: E12 (Y^7), E13 (X Y^5), E14 (Y^8), each semi-quasihomogeneous (AGZV I, 16.2)."""
    b = _coefficient(H, 3, 0)
    for index, monomial, weights in (
        (12, (0, 7), (sympy.Rational(1, 3), sympy.Rational(1, 7))),
        (13, (1, 5), (sympy.Rational(1, 3), sympy.Rational(2, 15))),
        (14, (0, 8), (sympy.Rational(1, 3), sympy.Rational(1, 8))),
    ):
        value = _coefficient(H, *monomial)
        if value != 0:
            x, y = residual_variables(2)
            core = _core(b * x**3 + value * x ** monomial[0] * y ** monomial[1], weights, jacobian)
            real_form = _sign(value) if index == 14 else None
            reason = f"corank 2, cubic x^3, weighted cubic a cube, x^{monomial[0]}*y^{monomial[1]} term: E{index}"
            return _checked("E", index, real_form, mu, reason + "; modulus not computed", core)
    return _bimodal_cube(H, "E", (3, 0), 3, mu, jacobian, "cubic x^3, beyond E14", order)


def _x_series(h, double, mu, order):
    """Quartic l^2 q, q with distinct factors: X_{9+k} = T(2,4,4+k), 4 + k the order of h on its polar branch."""
    x, y = residual_variables(2)
    other = y if sympy.Poly(double, x, y).coeff_monomial(x) != 0 else x
    H = _poly(_linear_change(h, double, other, order), x, y)
    e, c = H.coeff_monomial(x**3 * y), H.coeff_monomial(x**2 * y**2)
    if c == 0:
        return _not_classified(f"corank 2, quartic with a double factor; Milnor number {mu}")
    H = _ring_element(_linear_change(H.as_expr(), x, y + e / (2 * c) * x, order), (x, y))
    degree, leading = _polar_restriction(H, 2, order)
    if degree is None or degree < 5:
        return _not_classified(f"corank 2, quartic with a double factor; Milnor number {mu}")
    k = degree - 4
    real_form = _sign(_coefficient(H, 4, 0)) + _sign(c) + ("" if k % 2 else _sign(leading))
    reason = (
        f"corank 2, zero 3-jet, quartic x^2 (+-x^2 +- y^2): X{9 + k} = T(2,4,{4 + k}), "
        f"h = c y^{degree} on the polar branch; {_SERIES_NOTE}"
    )
    return _checked("X", 9 + k, real_form, mu, reason, None)


def _y_series(h, double, mu, order):
    """Quartic c q^2, q a quadratic with distinct factors: Y(r,s) = T(2,4+r,4+s) (AGZV I, 16.2), mu = 9 + r + s.

    Real lines of q (rational): in coordinates X = l1, Y = l2, 4 + s is the
    order of h on the branch of dh/dX = 0 tangent to X = 0 and 4 + r the
    order on the branch of dh/dY = 0 tangent to Y = 0; both are computed and
    must add up with mu.  Complex-conjugate lines (q definite): conjugation
    swaps the two branches, so r = s = (mu - 9) / 2, the real form Y~_r.
    """
    x, y = residual_variables(2)
    quadratic = sympy.Poly(double, x, y)
    A, B, C = (quadratic.coeff_monomial(m) for m in (x**2, x * y, y**2))
    discriminant = B**2 - 4 * A * C
    c = sympy.cancel(_homogeneous_part(h, (x, y), 4) / double**2)
    if exact_sign(discriminant) < 0:
        if mu % 2 == 0 or mu < 11:
            return _not_classified(f"corank 2, quartic c q^2 with q definite but even Milnor number {mu}")
        r = (mu - 9) // 2
        reason = (
            f"corank 2, zero 3-jet, quartic c (x^2 + y^2)^2 up to a real linear change (complex-conjugate double "
            f"lines): Y~_{r}, r = (mu - 9)/2 since conjugation swaps the two branches; {_SERIES_NOTE}"
        )
        return _checked("Y", (r, r), "~" + _sign(c), mu, reason, None)
    factors = [f for f, _ in sympy.factor_list(double, x, y)[1]]
    if len(factors) != 2 or any(sympy.Poly(f, x, y).total_degree() != 1 for f in factors):
        return _not_classified(f"corank 2, quartic with two double lines that are irrational, Milnor number {mu}")
    first, second = factors
    along = []
    for X, Y in ((first, second), (second, first)):
        H = _ring_element(_linear_change(h, X, Y, order), (x, y))
        degree, leading = _polar_restriction(H, 2, order)
        if degree is None or degree < 5:
            return _not_classified(f"corank 2, quartic with two double lines; Milnor number {mu}")
        along.append((degree, _sign(leading)))
    b = _sign(_coefficient(H, 2, 2))
    (p, sign_p), (q, sign_q) = sorted(along)
    if p + q + 1 != mu:
        return _not_classified(f"corank 2, two double lines: branch orders {p}, {q} disagree with Milnor number {mu}")
    signs = [sign_p if p % 2 == 0 else "", sign_q if q % 2 == 0 else ""]
    if p == q:
        signs.sort()  # x <-> y: "-+" is "+-"
    reason = (
        f"corank 2, zero 3-jet, quartic x^2 y^2 (two real double lines): Y[{p - 4},{q - 4}] = T(2,{p},{q}), "
        f"h = c x^{p} and c' y^{q} on the two polar branches; {_SERIES_NOTE}"
    )
    return _checked("Y", (p - 4, q - 4), b + "".join(signs), mu, reason, None)


def _z_series(h, triple, simple, mu, order):
    """Quartic l^3 m: in coordinates X = l, Y = m, Z11 (Y^5), Z12 (X Y^4), Z13 (Y^6) (AGZV I, 16.2)."""
    x, y = residual_variables(2)
    H = _ring_element(_linear_change(h, triple, simple, order), (x, y))
    rows = (
        (11, (0, 5), (sympy.Rational(4, 15), sympy.Rational(1, 5))),
        (12, (1, 4), (sympy.Rational(3, 11), sympy.Rational(2, 11))),
        (13, (0, 6), (sympy.Rational(5, 18), sympy.Rational(1, 6))),
    )
    jacobian = 1 / _determinant(triple, simple)
    found = _exceptional(H, "Z", (3, 1), rows, 13, jacobian, mu)
    if found[0] is None and "beyond Z13" in found[4]:
        return _bimodal_cube(H, "Z", (3, 1), 2, mu, jacobian, "quartic of Z-type beyond Z13", order)
    return found


def _w_series(h, fourfold, mu, order):
    """Quartic c l^4: in coordinates X = l, W12 (Y^5, real form the sign of c), W13 (X Y^4) (AGZV I, 16.2)."""
    x, y = residual_variables(2)
    other = y if sympy.Poly(fourfold, x, y).coeff_monomial(x) != 0 else x
    H = _ring_element(_linear_change(h, fourfold, other, order), (x, y))
    rows = (
        (12, (0, 5), (sympy.Rational(1, 4), sympy.Rational(1, 5))),
        (13, (1, 4), (sympy.Rational(1, 4), sympy.Rational(3, 16))),
    )
    jacobian = 1 / _determinant(fourfold, other)
    found = _exceptional(H, "W", (4, 0), rows, None, jacobian, mu)
    if found[0] is None and "beyond W13" in found[4]:
        if _coefficient(H, 2, 3) != 0 or _coefficient(H, 0, 6) != 0:
            return _w_bimodal_series(H, mu, jacobian, order)
        return _exceptional(H, "W", (4, 0), _BIMODAL_ROWS["W"], None, jacobian, mu, modality=2)
    return found


_BIMODAL_ROWS = {
    "E": (
        (18, (0, 10), (sympy.Rational(1, 3), sympy.Rational(1, 10))),
        (19, (1, 7), (sympy.Rational(1, 3), sympy.Rational(2, 21))),
        (20, (0, 11), (sympy.Rational(1, 3), sympy.Rational(1, 11))),
    ),
    "Z": (
        (17, (0, 8), (sympy.Rational(7, 24), sympy.Rational(1, 8))),
        (18, (1, 6), (sympy.Rational(5, 17), sympy.Rational(2, 17))),
        (19, (0, 9), (sympy.Rational(8, 27), sympy.Rational(1, 9))),
    ),
    "W": (
        (17, (1, 5), (sympy.Rational(1, 4), sympy.Rational(3, 20))),
        (18, (0, 7), (sympy.Rational(1, 4), sympy.Rational(1, 7))),
    ),
}


_BIMODAL_SIGNED = {"E": 18, "Z": 17}


def _bimodal_cube(H, family, leading, step, mu, jacobian, beyond, order):
    """Past E14 / Z13: the weighted part x^i y^j W(X, Y^step) with W a binary cubic; a cube b (X + q Z)^3 is
    moved to b X^3 by X -> X - q Y^step (q rational: a triple root of a rational cubic is), then E18-20 /
    Z17-19 by the first nonzero monomial (AGZV I, 16.2; classify.lib's determinator).  Weights (1/3, 1/9)
    for E (x^3, x^2 y^3, x y^6, y^9), (2/7, 1/7) for Z (y times x^3, x^2 y^2, x y^4, y^6)."""
    i, j = leading
    b, c, d, e = (_coefficient(H, i - k, j + k * step) for k in range(4))
    q = c / (3 * b)
    if d != 3 * b * q**2 or e != b * q**3:
        return _bimodal_series(H, family, (b, c, d, e), step, mu, jacobian, beyond, order)
    R = H.ring
    X, Y = R.gens
    H = compose_truncated(H, {0: X - R.domain.from_sympy(q) * Y**step}, order)
    return _exceptional(H, family, leading, _BIMODAL_ROWS[family], _BIMODAL_SIGNED[family], jacobian, mu, modality=2)


def _exceptional(H, family, leading, rows, signed_index, jacobian, mu, modality=1):
    """The first nonzero monomial of ``rows`` decides the type; H is semi-quasihomogeneous for its weights."""
    x, y = residual_variables(2)
    b = _coefficient(H, *leading)
    for index, monomial, weights in rows:
        value = _coefficient(H, *monomial)
        if value == 0:
            continue
        principal = b * x ** leading[0] * y ** leading[1] + value * x ** monomial[0] * y ** monomial[1]
        if family == "W":
            real_form = _sign(b)
        else:
            real_form = _sign(value) if index == signed_index else None
        kind = "cubic x^3" if family == "E" else f"quartic {family}-type"
        reason = f"corank 2, {kind}, x^{monomial[0]}*y^{monomial[1]} term: {family}{index}"
        if modality == 2:
            reason = f"corank 2, {kind}, weighted part a power, x^{monomial[0]}*y^{monomial[1]} term: "
            reason += f"{family}{index} (bimodal); moduli not computed"
        else:
            reason += "; modulus not computed"
        return _checked(family, index, real_form, mu, reason, _core(principal, weights, jacobian))
    last = rows[-1][0]
    kind = "cubic x^3" if family == "E" else f"quartic of {family}-type"
    return _not_classified(f"corank 2, {kind} beyond {family}{last}, Milnor number {mu}")


def _polar_restriction(H, power, order):
    """(degree, leading coefficient) of H(X(Y), Y), X(Y) the branch of dH/dX = 0 with X = O(Y^(power + 1)).

    H = c X^2 Y^power + (terms whose X-derivative, on such a branch, is
    divisible by Y^power); solved as X = -(dH/dX - 2 c X Y^power) / (2 c Y^power)
    by fixed-point iteration on truncated power series.  (None, None) when
    the iteration leaves the power series or h vanishes on the branch to the jet order.
    """
    R = H.ring
    X, Y = R.gens
    c = H.coeff(X**2 * Y**power)
    derivative = H.diff(X)
    scale = R.domain.quo(R.domain.one, 2 * c)
    polar = R.zero
    for _ in range(order):
        rest = compose_truncated(derivative, {0: polar}, order) - 2 * c * polar * Y**power
        if any(m[1] < power for m in rest.monoms()):
            return None, None
        updated = -R({(0, m[1] - power): v for m, v in rest.items()}) * scale
        if updated == polar:
            break
        polar = updated
    reduced = compose_truncated(H, {0: polar}, order)
    if not reduced:
        return None, None
    degree = min(m[1] for m in reduced.monoms())
    return degree, R.domain.to_sympy(reduced.coeff(Y**degree))


# --- the bimodal series J[3,p], Z[1,p], W[1,p], W#[1,q] (AGZV I, 16.2; classify.lib's steps 10-12, 22-24, 29-32) ---
_SERIES_FAMILY = {"E": ("J", 3, 9), "Z": ("Z", 1, 7)}


def _bimodal_series(H, family, cubic, step, mu, jacobian, beyond, order):
    """Past E14 / Z13 with a weighted cubic W(X, Z), Z = Y^step, that is not a cube (b X^3 + c X^2 Z + ...).

    Distinct roots: J[3,0] (x^3 + ..., weights (1/3, 1/9)) or Z[1,0] (y W(x, y^2), weights (2/7, 1/7)), real form
    the number of real roots, modulus the j-invariant of Z W(X, Z) (the weight-preserving maps act on W as
    X -> a X + b Z, Z -> c Z, projective maps fixing Z = 0, as for J10).  A double root (rational) is moved to
    X = 0 by X -> X - s Y^step; then 9 + p (J) or 7 + p (Z) is the order of h on the polar branch of dh/dX = 0
    tangent to X = 0, as for J_(10+k).
    """
    name, first, base = _SERIES_FAMILY[family]
    X, Z = sympy.symbols("X Z")
    weighted = sum(value * X ** (3 - k) * Z**k for k, value in enumerate(cubic))
    discriminant = binary_discriminant(weighted, X, Z)
    if discriminant != 0:
        x, y = residual_variables(2)
        weights = (
            (sympy.Rational(1, 3), sympy.Rational(1, 9))
            if name == "J"
            else (sympy.Rational(2, 7), sympy.Rational(1, 7))
        )
        principal = weighted.xreplace({X: x, Z: y**step}) * (1 if name == "J" else y)
        real_form = "3" if exact_sign(discriminant) > 0 else "1"
        reason = (
            f"corank 2, {beyond}: weighted cubic W(X, Y^{step}) with distinct roots ({real_form} real): "
            f"{name}[{first},0] (bimodal); modulus the j-invariant of Z W(X, Z), second modulus not computed"
        )
        found = _checked(name, (first, 0), real_form, mu, reason, _core(principal, weights, jacobian))
        modulus = None if found[0] is None else j10_modulus(weighted, X, Z)
        return (*found[:3], modulus, *found[4:])
    try:
        _, factors = sympy.sqf_list(weighted, X, Z)
    except (sympy.PolynomialError, NotImplementedError):
        return _not_classified(f"corank 2, {beyond}: weighted cubic over a number field, Milnor number {mu}")
    root, multiplicity = max(factors, key=lambda f: f[1])
    if multiplicity != 2 or sympy.Poly(root, X, Z).total_degree() != 1:
        return _not_classified(f"corank 2, {beyond}: weighted cubic not resolved, Milnor number {mu}")
    R = H.ring
    shift = R.domain.from_sympy(root.coeff(Z) / root.coeff(X))
    H = compose_truncated(H, {0: R.gens[0] - shift * R.gens[1] ** step}, order)
    leading = (3, 0) if name == "J" else (3, 1)
    c = _coefficient(H, leading[0] - 1, leading[1] + step)
    degree, value = _polar_restriction(H, leading[1] + step, order)
    if degree is None or degree <= base:
        return _not_classified(f"corank 2, {beyond}: weighted cubic with a double root; Milnor number {mu}")
    p = degree - base
    real_form = None if p % 2 else _sign(value * exact_sign(c) ** degree)
    reason = (
        f"corank 2, {beyond}: weighted cubic with a double root, X^2 (b X + c Y^{step}): {name}[{first},{p}] "
        f"(bimodal), h = a y^{degree} on the polar branch; {_BIMODAL_NOTE}"
    )
    return _checked(name, (first, p), real_form, mu, reason, None)


_BIMODAL_NOTE = "two Newton edges: no quasi-homogeneous principal part; moduli not computed"


def _w_bimodal_series(H, mu, jacobian, order):
    """Past W13 with the weighted (1/4, 1/6) part A X^4 + B X^2 Y^3 + C Y^6 not a fourth power.

    C != 0 and B^2 != 4 A C: W[1,0], real form the signs of A, C and (when they agree) the number of real roots of
    A t^2 + B t + C (0 or 2: the real branches x^2 = t y^3), modulus B^2 / (A C) (x -> a x, y -> c y scale A, B, C
    by a^4, a^2 c^3, c^6: the only weight-preserving maps).  C = 0: W[1,p], 6 + p the order of h on the polar
    branch tangent to X = 0.  B^2 = 4 A C: W#[1,q], h restricted to the polar curve near the cusp X^2 + beta Y^3 = 0.
    """
    A, B, C = _coefficient(H, 4, 0), _coefficient(H, 2, 3), _coefficient(H, 0, 6)
    x, y = residual_variables(2)
    if C != 0 and B**2 != 4 * A * C:
        signs = _sign(A) + _sign(C)
        if signs in ("++", "--"):
            signs += "2" if exact_sign(B**2 - 4 * A * C) > 0 else "0"
        reason = (
            "corank 2, quartic of W-type beyond W13: weighted (1/4, 1/6) part A x^4 + B x^2 y^3 + C y^6 with "
            "distinct factors: W[1,0] (bimodal); modulus B^2/(A C), second modulus not computed"
        )
        core = _core(A * x**4 + B * x**2 * y**3 + C * y**6, (sympy.Rational(1, 4), sympy.Rational(1, 6)), jacobian)
        found = _checked("W", (1, 0), signs, mu, reason, core)
        return (*found[:3], None if found[0] is None else _exact_ratio(B**2, A * C), *found[4:])
    if C == 0:
        degree, value = _polar_restriction(H, 3, order)
        if degree is None or degree <= 6:
            return _not_classified(f"corank 2, quartic of W-type, weighted part x^2 (x^2 + y^3); Milnor number {mu}")
        p = degree - 6
        reason = (
            f"corank 2, quartic of W-type beyond W13: weighted part x^2 (A x^2 + B y^3): W[1,{p}] (bimodal), "
            f"h = a y^{degree} on the polar branch; {_BIMODAL_NOTE}"
        )
        return _checked("W", (1, p), _sign(A) + _sign(value * exact_sign(B) ** degree), mu, reason, None)
    return _w_sharp(H, A, B / (2 * A), mu, order)


def _exact_ratio(numerator, denominator):
    """numerator / denominator exactly: a Rational as it is, else with a rationalised denominator."""
    value = sympy.cancel(numerator / denominator)
    return value if value.is_Rational else sympy.radsimp(sympy.together(sympy.expand(value)))


def _w_sharp(H, A, beta, mu, order):
    """A (X^2 + beta Y^3)^2 + ...: W#[1,q] with 12 + q the order in t of h on the branch of dh/dX = 0 through the
    cusp X = beta^2 t^3, Y = -beta t^2 (W#[1,2r-1]: a x y^(4+r) has order 11 + 2r there, W#[1,2r]: a x^2 y^(3+r)
    has 12 + 2r).  The branch X = beta^2 t^3 + xi(t) solves dh/dX = 0 by Newton steps with the fixed derivative
    d^2h/dX^2 = 8 A beta^4 t^6 on the cusp; h's terms of weighted degree > 1 have t-order >= 13.
    """
    R = H.ring
    X, Y = R.gens
    K = R.domain
    bound = mu + 2  # t-order kept: 12 + q = mu - 3 is needed; unknown jet terms have t-order >= 2 (order + 1)
    cusp, along = K.from_sympy(beta**2) * Y**3, K.from_sympy(-beta) * Y**2
    derivative = H.diff(X)
    scale = K.quo(K.one, K.from_sympy(8 * A * beta**4))
    xi = R.zero
    for _ in range(bound):
        rest = compose_truncated(derivative, {0: cusp + xi, 1: along}, bound + 6)
        if any(m[1] < 6 for m in rest.monoms()):
            return _not_classified(f"corank 2, W-type, weighted part a square (x^2 + c y^3)^2; Milnor number {mu}")
        updated = xi - R({(0, m[1] - 6): v for m, v in rest.items()}) * scale
        if updated == xi:
            break
        xi = updated
    value = compose_truncated(H, {0: cusp + xi, 1: along}, bound)
    if not value:
        return _not_classified(f"corank 2, W-type, weighted part a square; h vanishes on its polar branch (mu {mu})")
    degree = min(m[1] for m in value.monoms())
    q = degree - 12
    if q < 1:
        return _not_classified(f"corank 2, W-type, weighted part a square; polar order {degree}, Milnor number {mu}")
    leading = K.to_sympy(value.coeff(Y**degree))
    real_form = _sign(A) + ("" if q % 2 else _sign(leading * (-1) ** (q // 2 + 1)))
    reason = (
        f"corank 2, quartic of W-type beyond W13: weighted part a square A (x^2 + c y^3)^2: W#[1,{q}] (bimodal), "
        f"h of order t^{degree} on the polar branch through the cusp x = c^2 t^3, y = -c t^2; {_BIMODAL_NOTE}"
    )
    return _checked("W#", (1, q), real_form, mu, reason, None)
