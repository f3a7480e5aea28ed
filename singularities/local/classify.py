"""Arnold's determinator over R: the type, real form and invariants of a critical point.

The point is split (splitting lemma) into Q(y) + h(z); the corank k and the
jets of h decide the type, and the exact Milnor number of h cross-checks
every decision (a type is only given when mu agrees).  Rules and sources:
docs/classification.md.
"""

import dataclasses
from dataclasses import dataclass, field

import sympy

from .._exact import point_text
from .._limits import Deadline, guard
from .._result import Result, parse_field, register
from ..algebra.backend import NotRationalError, flint_rational, sympy_rational, to_flint, use_flint
from ..energy import Energy, as_energy
from ..errors import SingularitiesError
from ..polyhedra.newton import polyhedron_from_terms
from .corank_three import corank_three
from .corank_two import corank_one, corank_two
from .critical import CriticalComponent, critical_points
from .forms import _core, _poly
from .normal_forms import normal_form, parse_label, series_sign, type_text
from .principal import adapted_principal_part, core_opens
from .splitting import residual_variables, splitting

__all__ = [
    "Classification",
    "Classifications",
    "PrincipalPart",
    "classify",
    "classify_critical_points",
]


"""Arnold's determinator over R: the type, real form and invariants of a critical point.

The point is split (splitting lemma) into Q(y) + h(z); the corank k and the
jets of h decide the type, and the exact Milnor number of h cross-checks
every decision (a type is only given when mu agrees).  Rules and sources:
docs/classification.md.
"""


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
        return corank_one(split.residual, mu)
    if k == 2:
        return _or_unnamed(corank_two(split.residual, mu, split.order), split, deadline)
    if k == 3:
        return _or_unnamed(corank_three(split.residual, mu, split.order), split, deadline)
    return _or_unnamed(
        (None, None, None, None, f"not classified: corank {k}, Milnor number {mu}", None), split, deadline
    )


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


"""The 8 exceptional bimodal families of corank 2 (AGZV I, 16.2): (mu, monomial after the leading one, weights)."""


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
        if isinstance(index, tuple) and family != "Y":  # the bimodal series (normal_forms.series_sign)
            core_sign = series_sign(family, index, real_form)
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
