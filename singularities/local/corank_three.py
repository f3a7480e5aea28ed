"""Arnold's determinator in corank 3: P, Q, R, S, T and U, from the cubic's real components.

The residual h(x, y, z) is decided by its 3-jet (a plane cubic: its singular points and lines) and
weighted higher jets, as in Arnold, Gusein-Zade, Varchenko vol. 1, section 17; every decision is
cross-checked against the exact Milnor number (docs/classification.md).
"""

import sympy

from ..algebra.polys import groebner_basis
from ..algebra.realroots import exact_sign
from .forms import (
    _SERIES_NOTE,
    _checked,
    _core,
    _homogeneous_part,
    _linear_change_n,
    _not_classified,
    _poly,
    _ring_element,
    _sign,
    real_linear_factors,
)
from .splitting import compose_truncated, residual_variables

__all__ = ["corank_three"]


def corank_three(h, mu, order):
    """Corank 3 by the plane cubic curve C = {j3 h = 0} (AGZV I, 16.2): smooth P8, nodal P_{8+k}, cuspidal
    Q10-12, conic + transversal line R_(p,q), conic + tangent line S11-12, three lines T(p,q,r), three concurrent
    lines U12; cubics with a multiple component are not classified."""
    variables = residual_variables(3)
    cubic = _homogeneous_part(h, variables, 3)
    if cubic == 0:
        return _not_classified(f"corank 3, zero 3-jet, Milnor number {mu}")
    if mu == 8:
        components = _real_components(cubic, variables)
        return _checked(
            "P",
            8,
            None,
            mu,
            f"corank 3 with mu = 8: a non-degenerate cubic, P8 = T(3,3,3); the real cubic curve has {components}"
            " connected component" + ("s" if components == 2 else "") + " (real forms not yet in the labels)",
            _core(cubic, (sympy.Rational(1, 3),) * 3, 1),
        )
    if not all(c.is_Rational for c in _poly(cubic, *variables).coeffs()):
        return _not_classified(f"corank 3, cubic with irrational coefficients, Milnor number {mu}")
    length = _singular_length(cubic, variables)
    factors = [f for f, _ in sympy.factor_list(cubic)[1]]
    kind = _CUBIC_KINDS.get((length, len(factors) == 1 and sympy.Poly(factors[0], *variables).total_degree() == 3))
    if kind == "S" and _conic_is_degenerate(factors, variables):
        kind = "T"
    if kind in ("R", "T"):
        return _t_series(h, cubic, mu, order, kind)
    if kind is None:
        return _not_classified(f"corank 3, {_cubic_name(length, factors)}, Milnor number {mu}")
    point = _singular_point(cubic, variables)
    return _CUBIC_BRANCHES[kind](h, cubic, point, factors, mu, order)


def _real_components(cubic, variables):
    """1 or 2: the connected components of the real points of a smooth plane cubic C.

    Sylvester's formula: the 6 x 6 determinant of the coefficients (in the quadratic monomials) of dC/dx_i
    and of the partial derivatives of the Jacobian J = det(d^2 C / dx_i dx_j) is a constant times the
    discriminant of C, an invariant of degree 12 and weight 12: its sign is unchanged by real linear maps and
    by C -> -C, so it is constant on each of the two rigid-isotopy classes of smooth real cubics.  It is
    positive on x^3 + y^3 + z^3 - 6 x y z (an oval and an odd branch) and negative on x^3 + y^3 + z^3
    (an odd branch only).
    """
    gradient = [sympy.expand(cubic.diff(v)) for v in variables]
    jacobian = sympy.Matrix(3, 3, lambda i, j: gradient[i].diff(variables[j])).det()
    rows = gradient + [sympy.expand(jacobian.diff(v)) for v in variables]
    x, y, z = variables
    monomials = (x**2, y**2, z**2, x * y, x * z, y * z)
    matrix = sympy.Matrix([[_poly(r, *variables).coeff_monomial(m) for m in monomials] for r in rows])
    return 2 if exact_sign(matrix.det()) > 0 else 1


# (length of the singular scheme of C, C irreducible over Q) -> series.  Lengths: node 1, cusp 2, two nodes 2,
# tacnode 3, three nodes 3, ordinary triple point 4 (the Tjurina numbers of A1, A2, A3, D4); a cubic irreducible
# over Q but reducible over C is three conjugate lines (length 3 or 4).
_CUBIC_KINDS = {
    (1, True): "P",
    (2, True): "Q",
    (2, False): "R",
    (3, False): "S",
    (3, True): "T",
    (4, True): "U",
    (4, False): "U",
}


def _cubic_name(length, factors):
    if length is None:
        return "cubic with a multiple component (V, O series: not implemented)"
    return {
        2: "conic and a transversal line",
        3: "three lines in general position",
    }.get(length, f"cubic with singular scheme of length {length}")


def _singular_length(cubic, variables):
    """The length of the scheme {grad C = 0} in P^2 (the Hilbert polynomial of Q[x,y,z]/(dC)); None if a curve."""
    basis = groebner_basis([cubic.diff(v) for v in variables], variables)
    leading = [sympy.Poly(p, *variables).monoms(order=sympy.polys.orderings.grevlex)[0] for p in basis.exprs]

    def count(degree):
        return sum(
            1
            for i in range(degree + 1)
            for j in range(degree + 1 - i)
            if not any(all(e >= l for e, l in zip((i, j, degree - i - j), m)) for m in leading)
        )

    values = count(8), count(9)
    return values[0] if values[0] == values[1] else None


def _conic_is_degenerate(factors, variables):
    conics = [f for f in factors if sympy.Poly(f, *variables).total_degree() == 2]
    return not conics or sympy.hessian(conics[0], variables).det() == 0


def _singular_point(cubic, variables):
    """The unique singular point of C (rational, as Galois-invariant), as a coordinate vector."""
    points = _singular_points(cubic, variables)
    if points:
        return points[0]
    raise ValueError("no rational singular point")


def _frame(point, third=None):
    """Linear forms (X, Y, Z) (rows of a matrix) with X(p) = Z(p) = 0, Y(p) = 1; Z = ``third`` if given."""
    vectors = [sympy.Matrix([[int(i == j) for j in range(3)]]) for i in range(3)]
    vanishing = [sympy.Matrix(point).cross(e.T).T for e in vectors]
    vanishing = [v for v in vanishing if any(v)]
    z_form = third if third is not None else vanishing[0]
    x_form = next(v for v in vanishing if sympy.Matrix.vstack(v, z_form).rank() == 2)
    y_form = next(e for e, c in zip(vectors, point) if c != 0) / next(c for c in point if c != 0)
    return sympy.Matrix.vstack(x_form, y_form, z_form)


def _in_frame(cubic, forms, variables):
    """C in the coordinates (X, Y, Z) = forms * (x, y, z): the map old = forms^(-1) new."""
    inverse = forms.inv()
    old = inverse * sympy.Matrix(variables)
    return sympy.expand(cubic.xreplace(dict(zip(variables, old)))), inverse


def _q_series(h, cubic, point, factors, mu, order):
    """Cuspidal cubic: coordinates with C = a X^3 + b Y Z^2 (cusp (0:1:0), cuspidal tangent Z = 0), then the
    first of Y^4 (Q10), X Y^3 (Q11), Y^5 after completing b Y Z^2 + c Y^3 Z (Q12)."""
    variables = residual_variables(3)
    X, Y, Z = variables
    moved, _ = _in_frame(cubic, _frame(point), variables)
    cone = sympy.expand(moved.coeff(Y, 1))
    tangent = sympy.gcd(cone, cone.diff(X) if cone.diff(X) != 0 else cone.diff(Z))
    forms = _frame(point, sympy.Matrix([[tangent.coeff(X), 0, tangent.coeff(Z)]]) * _frame(point))
    moved, inverse = _in_frame(cubic, forms, variables)
    a, e = moved.coeff(X, 3), moved.coeff(X, 2).coeff(Z, 1)
    shift = sympy.Matrix([[1, 0, -e / (3 * a)], [0, 1, 0], [0, 0, 1]])
    moved = sympy.expand(moved.xreplace({X: X - e / (3 * a) * Z}))
    b = moved.coeff(Y, 1).coeff(Z, 2)
    f, g = moved.coeff(X, 1).coeff(Z, 2), moved.coeff(Z, 3).coeff(X, 0).coeff(Y, 0)
    shift = shift * sympy.Matrix([[1, 0, 0], [-f / b, 1, -g / b], [0, 0, 1]])
    H = _linear_change_n(h, inverse * shift, order)
    R = sympy.Rational
    rows = (
        (10, (0, 4, 0), (R(1, 3), R(1, 4), R(3, 8))),
        (11, (1, 3, 0), (R(1, 3), R(2, 9), R(7, 18))),
        (12, (0, 5, 0), (R(1, 3), R(1, 5), R(2, 5))),
    )
    for index, monomial, weights in rows:
        value = H.coeff_monomial(X ** monomial[0] * Y ** monomial[1])
        if index == 12:  # b Y Z^2 + c Y^3 Z + d Y^5 = b Y (Z + c Y^2 / 2b)^2 + (d - c^2 / 4b) Y^5
            value -= H.coeff_monomial(Y**3 * Z) ** 2 / (4 * b)
        if value != 0:
            sign = _sign({10: value, 11: H.coeff_monomial(X**3) * b * value, 12: b * value}[index])
            return _semi_quasihomogeneous("Q", index, H, weights, mu, inverse * shift, "cuspidal cubic", sign)
    return _not_classified(f"corank 3, cuspidal cubic, beyond Q12 (Q_(k,i)), Milnor number {mu}")


def _s_series(h, cubic, point, factors, mu, order):
    """Conic q and tangent line l: coordinates with C = a X^2 Z + b Y Z^2 (Z = l, tangency (0:1:0)), then the first
    of Y^4 (S11), X Y^3 (S12)."""
    variables = residual_variables(3)
    X, Y, Z = variables
    line = next(f for f in factors if sympy.Poly(f, *variables).total_degree() == 1)
    forms = _frame(point, sympy.Matrix([[line.coeff(v) for v in variables]]))
    moved, inverse = _in_frame(cubic, forms, variables)
    b = moved.coeff(Y, 1).coeff(Z, 2)
    e, f = moved.coeff(X, 1).coeff(Z, 2), moved.coeff(Z, 3).coeff(X, 0).coeff(Y, 0)
    shift = sympy.Matrix([[1, 0, 0], [-e / b, 1, -f / b], [0, 0, 1]])
    H = _linear_change_n(h, inverse * shift, order)
    R = sympy.Rational
    for index, monomial, weights in (
        (11, (0, 4), (R(5, 16), R(1, 4), R(3, 8))),
        (12, (1, 3), (R(4, 13), R(3, 13), R(5, 13))),
    ):
        value = H.coeff_monomial(X ** monomial[0] * Y ** monomial[1])
        if value != 0:
            sign = _sign(value) if index == 11 else None
            return _semi_quasihomogeneous("S", index, H, weights, mu, inverse * shift, "conic and tangent line", sign)
    return _not_classified(f"corank 3, conic and tangent line, beyond S12 (S_(1,0)...), Milnor number {mu}")


def _u_series(h, cubic, point, factors, mu, order):
    """Three concurrent lines: coordinates with the triple point (0:0:1), C = c(X, Y); U12 if Z^4 appears."""
    variables = residual_variables(3)
    X, Y, Z = variables
    forms = _frame(point)
    forms = sympy.Matrix.vstack(forms[0, :], forms[2, :], forms[1, :])  # (X, Z, Y) -> the point is (0:0:1)
    _, inverse = _in_frame(cubic, forms, variables)
    H = _linear_change_n(h, inverse, order)
    if H.coeff_monomial(Z**4) != 0:
        third = sympy.Rational(1, 3)
        cubic = _homogeneous_part(H.as_expr().xreplace({Z: 0}), (X, Y), 3)
        lines = real_linear_factors(cubic, X, Y)  # 1 or 3 real lines, distinct (C is three lines)
        sign = f"{lines}{_sign(H.coeff_monomial(Z**4))}"
        weights = (third, third, sympy.Rational(1, 4))
        return _semi_quasihomogeneous("U", 12, H, weights, mu, inverse, "concurrent lines", sign)
    return _not_classified(f"corank 3, three concurrent lines, beyond U12 (U_(1,0)...), Milnor number {mu}")


def _p_series(h, cubic, point, factors, mu, order):
    """Nodal cubic: coordinates with the node at (0:0:1), C = Z q(X, Y) + c(X, Y) with q non-degenerate;
    P_{8+k} = T(3,3,3+k) with 3 + k the order of h on the curve dh/dX = dh/dY = 0 (a power series in Z)."""
    degree = _node_degree(h, point, order)
    if degree is None or degree < 4:
        return _not_classified(f"corank 3, nodal cubic, Milnor number {mu}")
    k = degree - 3
    reason = f"corank 3, nodal cubic, h = c z^{degree} on the curve dh/dx = dh/dy = 0: P{8 + k} = T(3,3,{degree})"
    return _checked("P", 8 + k, None, mu, reason + "; real forms not distinguished; " + _SERIES_NOTE, None)


def _t_series(h, cubic, mu, order, family):
    """Conic and transversal line (two nodes, R_(p,q) = T(3,p,q)) or three lines in general position (three nodes,
    T(p,q,r)): at each node, as for P_{8+k}, the order of h on the curve through it (AGZV I, 16.2: the index of
    T(p,q,r) at the corresponding node of the cubic); the indices go, sorted, into the real-form slot."""
    variables = residual_variables(3)
    nodes = _singular_points(cubic, variables)
    count = 2 if family == "R" else 3
    if len(nodes) != count:
        return _not_classified(f"corank 3, {_cubic_name(count, ())}: a node is not rational, Milnor number {mu}")
    degrees = [_node_degree(h, node, order) for node in nodes]
    if any(d is None or d < 4 for d in degrees):
        return _not_classified(
            f"corank 3, {_cubic_name(count, ())}: jets do not settle the indices, Milnor number {mu}"
        )
    indices = sorted(degrees) if family == "T" else [3, *sorted(degrees)]
    label = ",".join(map(str, indices[1:] if family == "R" else indices))
    name = "T(" + ",".join(map(str, indices)) + ")"
    reason = f"corank 3, {count} nodes, h = c z^d on the curve through each node (d = {label}): {name}"
    return _checked(
        family, sum(indices) - 1, label, mu, reason + "; real forms not distinguished; " + _SERIES_NOTE, None
    )


def _node_degree(h, point, order):
    """The order of h on the curve dh/dX = dh/dY = 0 through the node ``point`` of C = {j3 h = 0} (coordinates
    with the node at (0:0:1), C = Z q(X, Y) + c(X, Y), q non-degenerate); None if it does not settle."""
    variables = residual_variables(3)
    forms = _frame(point)
    forms = sympy.Matrix.vstack(forms[0, :], forms[2, :], forms[1, :])  # the node is (0:0:1)
    moved, inverse = _in_frame(_homogeneous_part(h, variables, 3), forms, variables)
    X, Y, Z = variables
    cone = sympy.Poly(moved.coeff(Z, 1), X, Y)
    hessian = [[2 * cone.coeff_monomial(X**2), cone.coeff_monomial(X * Y)]]
    hessian.append([cone.coeff_monomial(X * Y), 2 * cone.coeff_monomial(Y**2)])
    if sympy.Matrix(hessian).det() == 0:
        return None
    H = _ring_element(_linear_change_n(h, inverse, order).as_expr(), variables)
    return _nodal_restriction(H, sympy.Matrix(hessian), order)


def _singular_points(cubic, variables):
    """The rational singular points of C, one coordinate vector each (normalised by the last nonzero entry)."""
    x, y, z = variables
    gradient = [cubic.diff(v) for v in variables]
    one, zero = sympy.Integer(1), sympy.Integer(0)
    points = []
    for fixed in ({z: one}, {y: one, z: zero}, {x: one, y: zero, z: zero}):
        free = [v for v in variables if v not in fixed]
        equations = [g.xreplace(fixed) for g in gradient]
        solutions = sympy.solve(equations, free, dict=True) if free else ([{}] if not any(equations) else [])
        for solution in solutions:
            point = [fixed.get(v, solution.get(v)) for v in variables]
            if all(c is not None and c.is_Rational for c in point):
                points.append(sympy.Matrix(point))
    return points


def _nodal_restriction(H, hessian, order):
    """The order of H(X(Z), Y(Z), Z) on the solution of dH/dX = dH/dY = 0, where H = Z q(X, Y) + ... and
    ``hessian`` is the (invertible) Hessian of q; fixed-point iteration on truncated power series in Z."""
    R = H.ring
    X, Y, Z = R.gens
    inverse = [[R.domain.from_sympy(c) for c in row] for row in hessian.inv().tolist()]
    first = [R.domain.from_sympy(c) for c in hessian.row(0)]
    second = [R.domain.from_sympy(c) for c in hessian.row(1)]
    derivatives = (H.diff(X), H.diff(Y))
    xs, ys = R.zero, R.zero
    for _ in range(order):
        values = {0: xs, 1: ys}
        rests = (
            compose_truncated(derivatives[0], values, order) - Z * (first[0] * xs + first[1] * ys),
            compose_truncated(derivatives[1], values, order) - Z * (second[0] * xs + second[1] * ys),
        )
        if any(m[0] or m[1] or m[2] < 1 for rest in rests for m in rest.monoms()):
            return None
        gx, gy = (R({(0, 0, m[2] - 1): c for m, c in rest.items()}) for rest in rests)
        updated = (-(inverse[0][0] * gx + inverse[0][1] * gy), -(inverse[1][0] * gx + inverse[1][1] * gy))
        if updated == (xs, ys):
            break
        xs, ys = updated
    reduced = compose_truncated(H, {0: xs, 1: ys}, order)
    return min(m[2] for m in reduced.monoms()) if reduced else None


_CUBIC_BRANCHES = {"P": _p_series, "Q": _q_series, "S": _s_series, "U": _u_series}


def _semi_quasihomogeneous(family, index, H, weights, mu, matrix, cubic_name, real_form):
    """The type when no term of H has weighted degree < 1 (else not classified); the principal part is the core.

    ``real_form`` is the class of the principal part under the weight-preserving linear maps (the sign data
    computed by the caller; docs/normal_forms.md#corank-3)."""
    variables = residual_variables(3)
    degree = lambda m: sum(e * w for e, w in zip(m, weights))  # noqa: E731
    if any(degree(m) < 1 for m, c in H.terms() if c):
        return _not_classified(f"corank 3, {cubic_name}: terms below the {family}{index} diagonal remain (mu {mu})")
    principal = sum(c * sympy.Mul(*(v**e for v, e in zip(variables, m))) for m, c in H.terms() if degree(m) == 1)
    reason = f"corank 3, {cubic_name}, semi-quasihomogeneous for weights {tuple(map(str, weights))}: {family}{index}"
    return _checked(family, index, real_form, mu, reason, _core(principal, weights, matrix.det()))
