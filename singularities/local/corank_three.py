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
from .normal_forms import type_text
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
    return _beyond_q12(H, mu, order, inverse * shift)


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
    return _beyond_s12(H, mu, order, inverse * shift)


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
    return _beyond_u12(H, mu, inverse)


def _p_series(h, cubic, point, factors, mu, order):
    """Nodal cubic: coordinates with the node at (0:0:1), C = Z q(X, Y) + c(X, Y) with q non-degenerate;
    P_{8+k} = T(3,3,3+k) with 3 + k the order of h on the curve dh/dX = dh/dY = 0 (a power series in Z)."""
    degree, leading = _node_degree(h, point, order)
    if degree is None or degree < 4:
        return _not_classified(f"corank 3, nodal cubic, Milnor number {mu}")
    k = degree - 3
    reason = f"corank 3, nodal cubic, h = c z^{degree} on the curve dh/dx = dh/dy = 0: P{8 + k} = T(3,3,{degree})"
    real = _t_real_form_note((3, 3), [(degree, leading)])
    return _checked("P", 8 + k, None, mu, f"{reason}; {real}; {_SERIES_NOTE}", None)


def _t_series(h, cubic, mu, order, family):
    """Conic and transversal line (two nodes, R_(p,q) = T(3,p,q)) or three lines in general position (three nodes,
    T(p,q,r)): at each node, as for P_{8+k}, the order of h on the curve through it (AGZV I, 16.2: the index of
    T(p,q,r) at the corresponding node of the cubic); the indices go, sorted, into the real-form slot."""
    variables = residual_variables(3)
    nodes = _singular_points(cubic, variables)
    count = 2 if family == "R" else 3
    if len(nodes) != count:
        return _not_classified(f"corank 3, {_cubic_name(count, ())}: a node is not rational, Milnor number {mu}")
    restrictions = [_node_degree(h, node, order) for node in nodes]
    degrees = [d for d, _ in restrictions]
    if any(d is None or d < 4 for d in degrees):
        return _not_classified(
            f"corank 3, {_cubic_name(count, ())}: jets do not settle the indices, Milnor number {mu}"
        )
    indices = sorted(degrees) if family == "T" else [3, *sorted(degrees)]
    label = ",".join(map(str, indices[1:] if family == "R" else indices))
    name = "T(" + ",".join(map(str, indices)) + ")"
    reason = f"corank 3, {count} nodes, h = c z^d on the curve through each node (d = {label}): {name}"
    real = _t_real_form_note((3,) if family == "R" else (), restrictions)
    return _checked(family, sum(indices) - 1, label, mu, f"{reason}; {real}; {_SERIES_NOTE}", None)


def _t_real_form_note(fixed, restrictions):
    """The real form of T(p,q,r) (derived, docs/normal_forms.md#corank-3; not yet in the label), as a sentence.

    x y z + b x^p + c y^q + d z^r: a flip of x changes the signs of x y z and, for p odd, of b; so when some
    index is even the classes are the signs of the even-power terms, each the sign of h on the curve through
    its node (intrinsic: h keeps it along the branch), and when all are odd the product of the four signs,
    not computed here.  The 3s of R and P are odd; their branches are not nodal curves.
    """
    even = sorted((d, _sign(c)) for d, c in restrictions if d % 2 == 0)
    if not even:
        return (
            "real forms: two (all indices odd: the sign of the product of the four Newton coefficients), not computed"
        )
    signs = ", ".join(f"{s}t^{d}" for d, s in even)
    return f"real form (derived, not yet in the label): h = {signs} along the branches of even index"


def _node_degree(h, point, order):
    """The order of h on the curve dh/dX = dh/dY = 0 through the node ``point`` of C = {j3 h = 0} (coordinates
    with the node at (0:0:1), C = Z q(X, Y) + c(X, Y), q non-degenerate) and its leading coefficient; (None, None)
    if it does not settle."""
    variables = residual_variables(3)
    forms = _frame(point)
    forms = sympy.Matrix.vstack(forms[0, :], forms[2, :], forms[1, :])  # the node is (0:0:1)
    moved, inverse = _in_frame(_homogeneous_part(h, variables, 3), forms, variables)
    X, Y, Z = variables
    cone = sympy.Poly(moved.coeff(Z, 1), X, Y)
    hessian = [[2 * cone.coeff_monomial(X**2), cone.coeff_monomial(X * Y)]]
    hessian.append([cone.coeff_monomial(X * Y), 2 * cone.coeff_monomial(Y**2)])
    if sympy.Matrix(hessian).det() == 0:
        return None, None
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
            return None, None
        gx, gy = (R({(0, 0, m[2] - 1): c for m, c in rest.items()}) for rest in rests)
        updated = (-(inverse[0][0] * gx + inverse[0][1] * gy), -(inverse[1][0] * gx + inverse[1][1] * gy))
        if updated == (xs, ys):
            break
        xs, ys = updated
    reduced = compose_truncated(H, {0: xs, 1: ys}, order)
    if not reduced:
        return None, None
    degree = min(m[2] for m in reduced.monoms())
    return degree, R.domain.to_sympy(reduced.coeff(Z**degree))


_CUBIC_BRANCHES = {"P": _p_series, "Q": _q_series, "S": _s_series, "U": _u_series}


def _semi_quasihomogeneous(family, index, H, weights, mu, matrix, cubic_name, real_form, modality=1):
    """The type when no term of H has weighted degree < 1 (else not classified); the principal part is the core.

    ``real_form`` is the class of the principal part under the weight-preserving linear maps (the sign data
    computed by the caller; docs/normal_forms.md#corank-3)."""
    variables = residual_variables(3)
    degree = lambda m: sum(e * w for e, w in zip(m, weights))  # noqa: E731
    if any(degree(m) < 1 for m, c in H.terms() if c):
        return _not_classified(f"corank 3, {cubic_name}: terms below the {family}{index} diagonal remain (mu {mu})")
    principal = sum(c * sympy.Mul(*(v**e for v, e in zip(variables, m))) for m, c in H.terms() if degree(m) == 1)
    name = type_text(family, index)
    reason = f"corank 3, {cubic_name}, semi-quasihomogeneous for weights {tuple(map(str, weights))}: {name}"
    if modality == 2:
        reason += " (bimodal); moduli not computed"
    return _checked(family, index, real_form, mu, reason, _core(principal, weights, matrix.det()))


# The bimodal families of corank 3 (AGZV I, 16.2): past Q12, S12 and U12 the residual is brought to the coordinates of
# Arnold's normal forms by completing squares and shifting repeated roots (exact substitutions, linear part the
# identity, so the Jacobian of the core is unchanged); the first weighted jet that is not degenerate decides the
# type.  A series member Q[2,p], S[1,p], S#[1,q], U[1,q] is named by the degeneration of that jet (a double root,
# a root meeting the special point) and its second index p = mu - 14 is read from the exact Milnor number, as
# classify.lib does (step 65: "Q[k, Mu - (6k + 2)]"); its real forms are not distinguished.
_BIMODAL_NOTE = "moduli not computed"


def _beyond_q12(H, mu, order, matrix):
    """Past Q12 (H = a X^3 + b Y Z^2 + ...): complete b Y Z^2 + c Y^3 Z, then the binary cubic
    C(X, T) = a X^3 + e X^2 T + f X T^2 + g T^3 (T = Y^2, weights (1/3, 1/6, 5/12)): distinct roots Q[2,0],
    a double root Q[2,p], a triple root (moved to X = 0) Q16, Q17, Q18 (classify.lib steps 59-65)."""
    G = _ring_element(H.as_expr(), residual_variables(3))
    G = _complete_z(G, 3, order)
    a, e, f, g = (_coefficient3(G, (3 - i, 2 * i, 0)) for i in range(4))
    s = sympy.Dummy("s")
    cubic = sympy.Poly(a * s**3 + e * s**2 + f * s + g, s)
    discriminant = cubic.discriminant()
    if discriminant != 0:
        weights = (sympy.Rational(1, 3), sympy.Rational(1, 6), sympy.Rational(5, 12))
        real_form = "3" if exact_sign(discriminant) > 0 else "1"
        return _semi_quasihomogeneous(
            "Q",
            (2, 0),
            _as_poly(G),
            weights,
            mu,
            matrix,
            "cuspidal cubic, weighted cubic with distinct roots",
            real_form,
            modality=2,
        )
    root, multiplicity = max(sympy.sqf_list(cubic)[1], key=lambda item: item[1])
    if multiplicity == 2:
        return _series("Q", mu, "cuspidal cubic, weighted cubic X^3 + ... (T = y^2) with a double root")
    R = G.ring
    X, Y, _ = R.gens
    shift = R.domain.from_sympy(-root.as_expr().subs(s, 0) / root.LC())  # the triple root s0 = X / T
    G = _complete_z(compose_truncated(G, {0: X + shift * Y**2}, order), 4, order)
    R_ = sympy.Rational
    rows = (
        (16, (0, 7, 0), (R_(1, 3), R_(1, 7), R_(3, 7))),
        (17, (1, 5, 0), (R_(1, 3), R_(2, 15), R_(13, 30))),
        (18, (0, 8, 0), (R_(1, 3), R_(1, 8), R_(7, 16))),
    )
    b = _coefficient3(G, (0, 1, 2))
    for index, monomial, weights in rows:
        value = _coefficient3(G, monomial)
        if value != 0:
            # sign classes (Z/2)^3 modulo the flips: Q16 sign(b d), Q17 sign(a b c), Q18 sign(d) (module notes)
            sign = _sign({16: b * value, 17: a * b * value, 18: value}[index])
            name = "cuspidal cubic, weighted cubic a cube"
            return _semi_quasihomogeneous("Q", index, _as_poly(G), weights, mu, matrix, name, sign, modality=2)
    return _not_classified(f"corank 3, cuspidal cubic, beyond Q18 (Q_(3,0)...), Milnor number {mu}")


def _beyond_s12(H, mu, order, matrix):
    """Past S12 (H = a X^2 Z + b Y Z^2 + ...): remove e X^2 Y^2 by Z -> Z - (e/a) Y^2, then c Y^3 Z and d Y^5
    (weights (3/10, 1/5, 2/5)) decide: d (c^2 - 4 b d) != 0 S[1,0]; a double root of b Z^2 + c Z T + d T^2
    S[1,p]; d = 0 (a root at Z = 0, the line of a X^2 Z) S#[1,q]; c = d = 0 S16 (X Y^4), S17 (Y^6)."""
    G = _ring_element(H.as_expr(), residual_variables(3))
    R = G.ring
    X, Y, Z = R.gens
    a, e = G.coeff(X**2 * Z), G.coeff(X**2 * Y**2)
    G = compose_truncated(G, {2: Z - R.domain.quo(e, a) * Y**2}, order)
    b, c, d = (_coefficient3(G, m) for m in ((0, 1, 2), (0, 3, 1), (0, 5, 0)))
    name = "conic and tangent line"
    if d != 0 and c**2 != 4 * b * d:
        weights = (sympy.Rational(3, 10), sympy.Rational(1, 5), sympy.Rational(2, 5))
        return _semi_quasihomogeneous("S", (1, 0), _as_poly(G), weights, mu, matrix, name, _sign(b * d), modality=2)
    if d != 0:
        return _series("S", mu, f"{name}, b z^2 + c z y^2 + d y^4 a square")
    if c != 0:
        return _series("S#", mu, f"{name}, b z^2 + c z y^2 + d y^4 divisible by z (d = 0)")
    R_ = sympy.Rational
    rows = ((16, (1, 4, 0), (R_(5, 17), R_(3, 17), R_(7, 17))), (17, (0, 6, 0), (R_(7, 24), R_(1, 6), R_(5, 12))))
    for index, monomial, weights in rows:
        value = _coefficient3(G, monomial)
        if value != 0:
            sign = _sign(value) if index == 17 else None  # S17: the sign of y^6 (no flip changes it); S16: none
            return _semi_quasihomogeneous("S", index, _as_poly(G), weights, mu, matrix, name, sign, modality=2)
    return _not_classified(f"corank 3, conic and tangent line, beyond S17 (S_(2,0)...), Milnor number {mu}")


def _beyond_u12(H, mu, matrix):
    """Past U12 (H = c(X, Y) + ..., no Z^4): Z^3 L(X, Y) with weights (1/3, 1/3, 2/9): L's root off the three
    lines U[1,0], on one of them U[1,q]; L = 0 and Z^5: U16 (weights (1/3, 1/3, 1/5))."""
    X, Y, Z = residual_variables(3)
    cubic = _homogeneous_part(H.as_expr().xreplace({Z: 0}), (X, Y), 3)
    lines = str(real_linear_factors(cubic, X, Y))  # 1 or 3 (C is three distinct lines)
    p, q = H.coeff_monomial(X * Z**3), H.coeff_monomial(Y * Z**3)
    name = "concurrent lines"
    if p != 0 or q != 0:
        if cubic.xreplace({X: q, Y: -p}) != 0:  # the root (q : -p) of L = p X + q Y is on no line of C
            weights = (sympy.Rational(1, 3), sympy.Rational(1, 3), sympy.Rational(2, 9))
            return _semi_quasihomogeneous("U", (1, 0), H, weights, mu, matrix, name, lines, modality=2)
        return _series("U", mu, f"{name}, z^3 L(x, y) with L vanishing on a line of the cubic")
    if H.coeff_monomial(Z**5) != 0:
        weights = (sympy.Rational(1, 3), sympy.Rational(1, 3), sympy.Rational(1, 5))
        return _semi_quasihomogeneous("U", 16, H, weights, mu, matrix, name, lines, modality=2)
    return _not_classified(f"corank 3, three concurrent lines, beyond U16 (U_(2,0)...), Milnor number {mu}")


def _series(family, mu, reason):
    """Q[2,p], S[1,p], S#[1,q], U[1,q] with p = mu - 14 >= 1 (classify.lib's rule); real forms not distinguished."""
    first = {"Q": 2, "S": 1, "S#": 1, "U": 1}[family]
    if mu <= 14:
        return _not_classified(f"corank 3, {reason}, but Milnor number {mu} <= 14")
    name = type_text(family, (first, mu - 14))
    reason = f"corank 3, {reason}: {name}, second index mu - 14; real forms not distinguished; {_BIMODAL_NOTE}"
    return _checked(family, (first, mu - 14), None, mu, reason, None)


def _complete_z(G, power, order):
    """b Y Z^2 + c Y^k Z = b Y (Z + c Y^(k-1) / 2b)^2 - ... for k = 3, ..., ``power``: Z -> Z - c Y^(k-1) / 2b."""
    R = G.ring
    X, Y, Z = R.gens
    b = G.coeff(Y * Z**2)
    for k in range(3, power + 1):
        c = G.coeff(Y**k * Z)
        if c:
            G = compose_truncated(G, {2: Z - R.domain.quo(c, 2 * b) * Y ** (k - 1)}, order)
    return G


def _coefficient3(G, monomial):
    X, Y, Z = G.ring.gens
    return G.ring.domain.to_sympy(G.coeff(X ** monomial[0] * Y ** monomial[1] * Z ** monomial[2]))


def _as_poly(G):
    variables = residual_variables(3)
    return sympy.Poly.from_dict({m: G.ring.domain.to_sympy(c) for m, c in G.items()} or {(0, 0, 0): 0}, *variables)
