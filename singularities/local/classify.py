"""Arnold's determinator over R: the type, real form and invariants of a critical point.

The point is split (splitting lemma) into Q(y) + h(z); the corank k and the
jets of h decide the type, and the exact Milnor number of h cross-checks
every decision (a type is only given when mu agrees).  Rules and sources:
docs/classification.md.
"""

import dataclasses
from dataclasses import dataclass, field

import sympy
from sympy.polys.rings import ring

from .._exact import point_text
from .._limits import Deadline, guard
from .._result import Result, parse_field, register
from ..algebra.backend import NotRationalError, flint_rational, from_flint, sympy_rational, to_flint, use_flint
from ..algebra.polys import groebner_basis
from ..algebra.realroots import count_real_roots, exact_sign
from ..energy import Energy, as_energy
from ..errors import SingularitiesError
from ..polyhedra.newton import polyhedron_from_terms
from .critical import CriticalComponent, critical_points
from .normal_forms import normal_form, parse_label, type_text
from .principal import adapted_principal_part, core_opens
from .splitting import compose_truncated, residual_variables, splitting

__all__ = [
    "Classification",
    "Classifications",
    "PrincipalPart",
    "classify",
    "classify_critical_points",
    "binary_discriminant",
    "j10_modulus",
    "quartic_j_invariant",
    "real_linear_factors",
]


@dataclass(frozen=True, slots=True)
class PrincipalPart:
    """g in adapted coordinates: sum d_i y_i^2 + core(z) + (terms of higher weighted degree).

    The coordinate change from the adapted coordinates (y, z) to the local
    coordinates of the point has Jacobian determinant ``jacobian`` at 0
    (the splitting lemma contributes 1).  ``core`` is quasi-homogeneous of
    degree 1 for ``weights`` with an isolated critical point, so it decides
    the leading singular terms (docs/conventions.md#density-of-states).

    Attributes
    ----------
    squares : tuple
        The coefficients d_i of the Morse part (exact).
    core : sympy.Expr
        The principal part of the residual h, in :func:`residual_variables`.
    weights : tuple
        The weights of the residual variables (empty for a Morse point).
    jacobian : sympy.Expr
        det D(phi)(0) of the map from adapted to original coordinates.
    """

    squares: tuple
    core: sympy.Expr
    weights: tuple
    jacobian: sympy.Expr

    @property
    def variables(self):
        """The residual variables of ``core``."""
        return residual_variables(len(self.weights))

    @property
    def weight_sum(self):
        """d = sum of all weights, 1/2 for each Morse variable."""
        return sum(self.weights, sympy.Rational(len(self.squares), 2))


@register("classification")
@dataclass(frozen=True, slots=True)
class Classification(Result):
    """The real type of a critical point (docs/classification.md).

    Attributes
    ----------
    family, index, real_form_label : str, int, str
        The type, e.g. ("D", 4, "-") for D4-; ``family`` is None when the
        point is beyond the implemented types ("not classified: ..." in ``reason``).
        ``real_form_label`` is the real form's name (``NormalForm.real_form``);
        the property :attr:`real_form` is the real normal form itself, as in JSON.
    corank : int
        n - rank of the Hessian.
    inertia : tuple of int
        (n_plus, n_minus) of the non-degenerate quadratic part Q.
    milnor_number, modality : int or None
        mu and the modality (None when not determined).
    normal_form : sympy.Expr or None
        The real normal form in the function's own variable names (adapted
        coordinates): corank variables first, then the Morse squares.
    weights : tuple or None
        Quasi-homogeneous weights of ``normal_form`` (1/2 for Morse variables).
    modulus : sympy.Expr or None
        The modulus of a unimodal type (X9: the j-invariant of the quartic;
        J10: :func:`j10_modulus`; None where it is not computed).
    opens : str
        "above" if g >= 0 near the point, "below" if g <= 0, else "both".
    """

    point: tuple
    value: sympy.Expr
    family: str
    index: int
    real_form_label: str
    corank: int
    inertia: tuple
    milnor_number: int
    modality: int
    normal_form: sympy.Expr
    weights: tuple
    modulus: sympy.Expr = None
    opens: str = "both"
    reason: str = field(default="", repr=False)
    residual: sympy.Expr = field(default=None, repr=False)
    energy: Energy = field(default=None, repr=False)
    principal_part: PrincipalPart = field(default=None, repr=False)

    @property
    def type(self):
        """The family and index, e.g. "D4" (None when not classified)."""
        return None if self.family is None else type_text(self.family, self.index)

    @property
    def label(self):
        """The type with its real form, e.g. "D4-"."""
        if self.family is None:
            return "not classified" if self.corank else "?"
        return self.type + (_form_suffix(self.real_form_label) if self.real_form_label else "")

    @property
    def real_form(self):
        """The real normal form (the JSON key ``real_form``): :attr:`normal_form`, e.g. x**2*y - y**3 for D4-."""
        return self.normal_form

    @property
    def morse_index(self):
        """The Morse index (number of negative Hessian eigenvalues) of a non-degenerate point, else None."""
        return self.inertia[1] if self.corank == 0 else None

    @property
    def is_simple(self):
        """Whether the type is an ADE type (modality 0)."""
        return self.modality == 0

    def to_rows(self):
        rows = [
            ("point", point_text(self.point)),
            ("value", self.value),
            ("type", self.label),
            ("normal form", self.normal_form),
            ("corank", self.corank),
            ("inertia of Q (n+, n-)", f"({self.inertia[0]}, {self.inertia[1]})"),
            ("Morse index", self.morse_index),
            ("Milnor number", self.milnor_number),
            ("modality", self.modality),
            ("weights", None if self.weights is None else ", ".join(map(sympy.sstr, self.weights))),
            ("modulus", self.modulus),
            ("opens", self.opens),
            ("reason", self.reason),
        ]
        return ("quantity", "value"), [r for r in rows if r[1] is not None or r[0] in ("Morse index",)]

    def to_dict(self):
        return {
            "kind": "classification",
            "point": [sympy.sstr(c) for c in self.point],
            "value": sympy.sstr(self.value),
            "type": self.type,
            "label": self.label,
            "real_form": None if self.real_form is None else sympy.sstr(self.real_form),
            "real_form_label": self.real_form_label,
            "corank": self.corank,
            "morse_index": self.morse_index,
            "inertia": list(self.inertia),
            "milnor_number": self.milnor_number,
            "modality": self.modality,
            "weights": None if self.weights is None else [sympy.sstr(w) for w in self.weights],
            "modulus": None if self.modulus is None else sympy.sstr(self.modulus),
            "opens": self.opens,
            "reason": self.reason,
        }

    @classmethod
    def from_dict(cls, data):
        """Rebuild the result from :meth:`to_dict` output (the residual, principal part and energy are not kept)."""
        family, index, _ = (None, None, None) if data["type"] is None else parse_label(data["type"])
        weights = data["weights"]
        return cls(
            tuple(parse_field(c) for c in data["point"]),
            parse_field(data["value"]),
            family,
            index,
            data["real_form_label"],
            data["corank"],
            tuple(data["inertia"]),
            data["milnor_number"],
            data["modality"],
            parse_field(data["real_form"]),
            None if weights is None else tuple(parse_field(w) for w in weights),
            parse_field(data["modulus"]),
            data["opens"],
            data["reason"],
        )


def classify(f, point=None, *, variables=None, parameters=None, timeout=None):
    """Classify the critical point ``point`` of f (default the origin) over R.

    Parameters
    ----------
    f : str, sympy.Expr or Energy
        A polynomial or analytic function.
    point : sequence or str, optional
        A critical point of f.
    timeout : float, optional
        Time limit in seconds.

    Raises
    ------
    NotCriticalError
        If the point is not critical.

    Examples
    --------
    >>> c = sg.classify("x**3 - 3*x*y**2")
    >>> c.label, c.milnor_number, c.normal_form
    ('D4-', 4, x**2*y - y**3)
    >>> sg.classify("x**2 + y**2 - z**2").morse_index
    1
    >>> sg.classify("x**4 + y**4 + x**2*y**3").label
    'X9(0+)'
    """
    deadline = Deadline.coerce(timeout)
    with guard(deadline, "classification"):
        energy = as_energy(f, point, variables=variables, parameters=parameters)
        split = splitting(energy, timeout=deadline)
        family, index, real_form, modulus, reason, core = _determine(split, deadline)
        result = _result(energy, split, family, index, real_form, modulus, reason)
        if core is None:
            return result
        if family is None:  # an unnamed core (local/principal.py): its exact sign decides where g opens
            result = dataclasses.replace(result, opens=core_opens(core[0], split.variables, split.inertia, deadline))
        return dataclasses.replace(result, principal_part=PrincipalPart(tuple(split.squares), *core))


@register("classify")
@dataclass(frozen=True, slots=True)
class Classifications(Result):
    """Every real critical point of f with its type, and the positive-dimensional critical components."""

    points: tuple
    components: tuple
    energy: Energy = field(default=None, repr=False)

    def to_rows(self):
        header = ("point", "value", "type", "normal form", "Milnor number", "Morse index")
        rows = [
            (
                point_text(c.point),
                c.value,
                c.label,
                c.normal_form,
                c.milnor_number,
                c.morse_index,
            )
            for c in self.points
        ]
        rows += [
            (
                f"component of dimension {k.dimension}",
                k.value,
                "non-isolated",
                ", ".join(map(sympy.sstr, k.equations)),
                None,
                None,
            )
            for k in self.components
        ]
        return header, rows

    def to_dict(self):
        return {
            "kind": "classify",
            "points": [c.to_dict() for c in self.points],
            "components": [k.to_dict() for k in self.components],
        }

    @classmethod
    def from_dict(cls, data):
        """Rebuild the result from :meth:`to_dict` output (the energy is not kept)."""
        return cls(
            tuple(Classification.from_dict(c) for c in data["points"]),
            tuple(CriticalComponent.from_dict(k) for k in data["components"]),
        )


def classify_critical_points(f, *, variables=None, parameters=None, timeout=None):
    """Find every real critical point of the polynomial f and classify each.

    Examples
    --------
    >>> result = sg.classify_critical_points("(x**2 - 1)**2 + y**2")
    >>> [(c.point, c.label, c.morse_index) for c in result.points]
    [((-1, 0), 'A1', 0), ((1, 0), 'A1', 0), ((0, 0), 'A1', 1)]
    """
    deadline = Deadline.coerce(timeout)
    with guard(deadline, "classifying the critical points"):
        energy = as_energy(f, variables=variables, parameters=parameters)
        found = critical_points(energy, timeout=deadline)
        points = tuple(_classify_point(energy, p, deadline) for p in found.points)
        return Classifications(points, found.components, energy)


def _classify_point(energy, point, deadline):
    if point.is_morse:
        split = _MorseSplit(tuple(point.inertia))
        return _result(energy.at(point.point), split, "A", 1, None, None, "corank 0: a Morse point")
    try:
        return classify(energy.at(point.point), timeout=deadline)
    except SingularitiesError:
        raise
    except Exception as exc:  # noqa: BLE001 - an algebraic point the exact jets cannot handle yet
        split = _MorseSplit(tuple(point.inertia), point.corank)
        return _result(
            energy.at(point.point),
            split,
            None,
            None,
            None,
            None,
            f"not classified: the jets at this algebraic point could not be computed exactly ({type(exc).__name__})",
        )


@dataclass(frozen=True)
class _MorseSplit:
    inertia: tuple
    corank: int = 0
    residual: sympy.Expr = sympy.Integer(0)
    milnor_number: int = None
    isolated: bool = None


def _determine(split, deadline):
    """(family, index, real form, modulus, reason) from the residual h; family None if not classified."""
    k, mu = split.corank, split.milnor_number
    if k == 0:
        return "A", 1, None, None, "corank 0: a Morse point", _core(0, (), 1)
    if mu is None or split.order < mu + 1:
        return None, None, None, None, _unknown_mu_reason(split), None
    if k == 1:
        return _corank_one(split.residual, mu)
    if k == 2:
        return _or_unnamed(_corank_two(split.residual, mu, split.order), split, deadline)
    if k == 3:
        return _or_unnamed(_corank_three(split.residual, mu, split.order), split, deadline)
    return _or_unnamed(
        (None, None, None, None, f"not classified: corank {k}, Milnor number {mu}", None), split, deadline
    )


def _corank_three(h, mu, order):
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


def _or_unnamed(found, split, deadline):
    """``found``, with the quasi-homogeneous core attached when no type was named (local/principal.py)."""
    if found[0] is not None or found[5] is not None:
        return found
    variables = split.variables
    core, weights, jacobian, why = adapted_principal_part(
        split.residual, variables, deadline, order=split.order, milnor=split.milnor_number
    )
    reason = found[4]
    if core is None or core_opens(core, variables, split.inertia, deadline) is None:
        return (*found[:4], reason, None)
    return (*found[:4], f"{reason}; {why}", _core(core, weights, jacobian))


def _unknown_mu_reason(split):
    k, isolated = split.corank, split.isolated
    if split.milnor_number is not None:
        mu = split.milnor_number
        return f"not classified: corank {k}, Milnor number {mu}; jets up to order {split.order} do not determine h"
    if isolated is False:
        return f"not classified: corank {k}, non-isolated critical point (Milnor number infinite)"
    if isolated:
        return f"not classified: corank {k}, isolated, Milnor number above {split.order - 1}"
    return f"not classified: corank {k}, Milnor number above {split.order - 1} or infinite (non-isolated)"


def _corank_one(h, mu):
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


def _corank_two(h, mu, order):
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


def _ring_element(expression, variables):
    poly = _poly(expression, *variables)
    domain = poly.domain.get_field()
    R, *_ = ring(",".join(map(str, variables)), domain)
    return R({m: domain.convert(c) for m, c in poly.terms()})


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


_SERIES_NOTE = "a hyperbolic T(p,q,r): no quasi-homogeneous principal part; modulus not computed"


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
            return _not_classified(
                f"corank 2, quartic of W-type beyond W13: weighted (1/4, 1/6) part not a fourth power "
                f"(W_(1,0), W_(1,p), W#_(1,p): not implemented), Milnor number {mu}"
            )
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
"""The 8 exceptional bimodal families of corank 2 (AGZV I, 16.2): (mu, monomial after the leading one, weights)."""
_BIMODAL_SIGNED = {"E": 18, "Z": 17}
_BIMODAL_SERIES = {"E": "J_(3,0), J_(3,p)", "Z": "Z_(1,0), Z_(1,p)"}


def _bimodal_cube(H, family, leading, step, mu, jacobian, beyond, order):
    """Past E14 / Z13: the weighted part x^i y^j W(X, Y^step) with W a binary cubic; a cube b (X + q Z)^3 is
    moved to b X^3 by X -> X - q Y^step (q rational: a triple root of a rational cubic is), then E18-20 /
    Z17-19 by the first nonzero monomial (AGZV I, 16.2; classify.lib's determinator).  Weights (1/3, 1/9)
    for E (x^3, x^2 y^3, x y^6, y^9), (2/7, 1/7) for Z (y times x^3, x^2 y^2, x y^4, y^6)."""
    i, j = leading
    b, c, d, e = (_coefficient(H, i - k, j + k * step) for k in range(4))
    q = c / (3 * b)
    if d != 3 * b * q**2 or e != b * q**3:
        series = _BIMODAL_SERIES[family]
        return _not_classified(
            f"corank 2, {beyond}: weighted cubic not a cube ({series}: not implemented), Milnor number {mu}"
        )
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
    >>> from singularities.local.classify import binary_discriminant
    >>> x, y = sympy.symbols("x y")
    >>> binary_discriminant(x**2*y - y**3, x, y), binary_discriminant(x**2*y + y**3, x, y)
    (4, -4)
    """
    poly = sympy.Poly(form, x, y)
    degree = poly.total_degree()
    shift = next(c for c in range(degree + 1) if form.xreplace({x: 1, y: c}) != 0)
    # y -> y + shift*x has determinant 1, so the binary discriminant is unchanged,
    # and it makes the x^degree coefficient F(1, shift) nonzero.
    moved = sympy.expand(form.xreplace({y: y + shift * x}))
    t = sympy.Dummy("t")
    return sympy.discriminant(moved.xreplace({x: t, y: 1}), t)


def quartic_j_invariant(form, x, y):
    """The j-invariant 1728 * 4 I^3 / (4 I^3 - J^2) of a binary quartic with distinct factors (the X9 modulus).

    Invariant under linear changes of coordinates.

    Examples
    --------
    >>> from singularities.local.classify import quartic_j_invariant
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
    >>> from singularities.local.classify import j10_modulus
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
    >>> from singularities.local.classify import real_linear_factors
    >>> x, y = sympy.symbols("x y")
    >>> real_linear_factors(x**4 - y**4, x, y), real_linear_factors(x*y**3 - x**3*y, x, y)
    (2, 4)
    """
    t = sympy.Dummy("t")
    poly = sympy.Poly(form, x, y)
    at_infinity = 1 if poly.coeff_monomial(x ** poly.total_degree()) == 0 else 0
    affine = sympy.Poly(form.xreplace({x: t, y: 1}), t, extension=True)
    return count_real_roots(affine, t) + at_infinity


def _result(energy, split, family, index, real_form, modulus, reason):
    value = _value(energy)
    n_plus, n_minus = split.inertia
    names = energy.variables
    if family is None:
        note = _newton_note(split) if split.milnor_number is not None or split.residual != 0 else ""
        return Classification(
            tuple(energy.point),
            value,
            None,
            None,
            None,
            split.corank,
            split.inertia,
            split.milnor_number,
            None,
            None,
            None,
            None,
            "both",
            reason + note,
            split.residual,
            energy,
        )
    if family == "A" and index == 1:
        core, core_weights, modality = sympy.Integer(0), (), 0
    else:
        form = normal_form(family, index, real_form)
        core = form.expression.xreplace(dict(zip(form.variables, names)))
        core_weights, modality = form.weights, form.modality
    morse = names[split.corank :]
    expression = core + sum(v**2 for v in morse[:n_plus]) - sum(v**2 for v in morse[n_plus:])
    # the T series X_{9+k}, J_{10+k} have no weights (two Newton edges): None
    weights = None if core_weights is None else tuple(core_weights) + (sympy.Rational(1, 2),) * (n_plus + n_minus)
    opens = _opens(family, index, real_form, n_plus, n_minus)
    return Classification(
        tuple(energy.point),
        value,
        family,
        index,
        real_form,
        split.corank,
        split.inertia,
        split.milnor_number if split.corank else 1,
        modality,
        expression,
        weights,
        modulus,
        opens,
        reason,
        split.residual,
        energy,
    )


def _value(energy):
    """f(p) exactly: one FLINT evaluation for a rational polynomial at a rational point, else Energy.value()."""
    if use_flint() and energy.is_polynomial():
        try:
            point = [flint_rational(c) for c in energy.point]
            _, (f,) = to_flint([energy.expr], energy.variables)
        except (NotRationalError, TypeError, ValueError):
            return energy.value()
        value = f(*point)
        return sympy_rational(value)
    return energy.value()


def _opens(family, index, real_form, n_plus, n_minus):
    core_sign = {("A", 1): 0}.get((family, index))
    if core_sign is None:
        # definite cores: A_k+- (k odd), X9(0+-), X_{9+k}(+++)/(---) (+-x^4 +- x^2 y^2 +- y^(4+k), 4 + k even)
        # Y: +x^2 y^2 + x^(4+r) + a y^(4+s), a > 0, both powers even; Y~+: (x^2 + y^2)^2 + a x^(4+r)
        positive = (family == "A" and index % 2 == 1 and real_form == "+") or (
            family in "XY" and real_form in ("0+", "+++", "~+")
        )
        negative = (family == "A" and index % 2 == 1 and real_form == "-") or (
            family in "XY" and real_form in ("0-", "---", "~-")
        )
        core_sign = 1 if positive else -1 if negative else None
    if core_sign is None:
        return "both"
    if core_sign >= 0 and n_minus == 0:
        return "above"
    if core_sign <= 0 and n_plus == 0:
        return "below"
    return "both"


def _newton_note(split):
    if split.residual == 0 or split.corank == 0:
        return ""
    variables = residual_variables(split.corank)
    terms = {tuple(m): c for m, c in _poly(split.residual, *variables).terms()}
    polyhedron = polyhedron_from_terms(variables, terms)
    principal = polyhedron.face_polynomial(polyhedron.principal_face)
    return f"; Newton distance of h: {polyhedron.newton_distance}, principal face {principal}"


def _form_suffix(real_form):
    return real_form if real_form in ("+", "-") else f"({real_form})"
