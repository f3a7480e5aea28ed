"""Local density-of-states asymptotics at a critical point: exponent, log power, C_+ and C_-.

The point is classified; its principal part in adapted coordinates,
``sum d_i y_i^2 + core(z)`` with Jacobian J at the point (see
:class:`~singularities.local.classify.PrincipalPart`), is quasi-homogeneous with
weight sum d.  The singular part of rho is then that of the principal part
(docs/conventions.md#density-of-states), and its prefactors are read off the
oscillatory integral of the principal part (:mod:`singularities.physics.prefactors`:
closed forms in Gamma functions, else a level-set quadrature to
:data:`~singularities.physics.prefactors.DIGITS` digits).  The derivation is in docs/dos.md.

A band f = a + b sqrt(R) at a zero of R (a band touching) has the one-sided
term 2 d V |E - a|^(2d - 1) / |b|^(2d), with d and V = vol{R_0 < 1} from a
positive-definite quasi-homogeneous principal part R_0 of R (Morse, the
classification, or a single Newton facet), else "not determined"
(docs/dos.md#band-touchings).
"""

import dataclasses
from dataclasses import dataclass, field

import mpmath
import sympy

from .._exact import exact_string, parse_exact, point_text
from .._limits import Deadline, guard
from .._result import Result, from_dict, register
from ..algebra.realroots import exact_sign, hessian_inertia
from ..algebra.realzeros import Answer
from ..energy import Energy, as_energy
from ..errors import InputError, NotCriticalError, SingularitiesError, UndecidedSign
from ..jets import taylor_terms
from ..local.classify import Classification, PrincipalPart, classify
from ..local.critical import CriticalComponent, critical_points
from ..local.principal import adapted_residual
from ..local.splitting import residual_variables
from ..polyhedra.newton import polyhedron_from_terms
from ..polyhedra.nondegeneracy import nondegeneracy
from ..thresholds.certificates import Status
from ..thresholds.rlct import RLCT, principal_part_rlct, rlct
from .prefactors import DIGITS, oscillatory_integral, prefactors, tidy, unit_volume, vertex_prefactors

__all__ = ["DOSAsymptotic", "DOSTable", "dos_asymptotics", "dos_table", "square_root_band"]
NEWTON_ORDERS = (4, 6, 8, 12)  # jet orders tried for the Newton principal part of a radicand
_HALF = sympy.Rational(1, 2)


@register("dos_asymptotic")
@dataclass(frozen=True, slots=True)
class DOSAsymptotic(Result):
    """The leading singular term of the DOS at a critical point (docs/conventions.md#density-of-states).

    With c the critical value, the singular part of rho(E) is
    ``c_plus * (E - c)**exponent`` above c and ``c_minus * |E - c|**exponent``
    below c when the weight sum d is not an integer; for integer d it is
    ``log_coefficient * (E - c)**exponent * log|E - c|`` plus the jump terms
    (at a minimum ``c_minus = 0``, at a maximum ``c_plus = 0``, otherwise the
    jump is split symmetrically; only ``c_plus - (-1)**exponent * c_minus``
    is invariant, because (E - c)**exponent is smooth).

    Attributes
    ----------
    point, value : tuple, sympy.Expr
        The critical point and the critical value c.
    label : str or None
        The real type (e.g. "D4-"), None when not classified.
    weight_sum : sympy.Rational or None
        d, the sum of the quasi-homogeneous weights (1/2 per Morse variable).
    exponent : sympy.Rational or None
        The DOS exponent d - 1; None when the point is not classified.
    log_power : int or None
        1 when a logarithm leads (integer d with ``log_coefficient`` != 0), else 0.
    c_plus, c_minus, log_coefficient : sympy.Expr or None
        The prefactors (exact, or Floats with :data:`DIGITS` digits when
        ``exact`` is False); None when they could not be computed (``reason``).
    exact : bool
        Whether the prefactors are closed forms.
    opens : str
        "above", "below" (an extremum) or "both", as in :class:`Classification`.
    rlct : RLCT or None
        lambda and m of |g| at the point, from the same principal part.
    side_log_powers : tuple or None
        (p_+, p_-) for a germ without a quasi-homogeneous principal part
        whose Newton diagonal meets a vertex (docs/dos.md#newton-non-degenerate-germs):
        then ``c_plus`` and ``c_minus`` multiply
        ``|E - c|**exponent * log(1/|E - c|)**p`` with p = p_+ above and p_-
        below, ``log_power`` = max(p_+, p_-) and ``log_coefficient`` is 0.
    measure : str
        "lebesgue" (d^n k) or the torus normalisation the prefactors include.
    reason : str
        How the result was obtained, or why part of it is missing.
    """

    point: tuple
    value: sympy.Expr
    label: str
    weight_sum: sympy.Rational
    exponent: sympy.Rational
    log_power: int
    c_plus: sympy.Expr
    c_minus: sympy.Expr
    log_coefficient: sympy.Expr
    exact: bool
    rlct: RLCT = None
    opens: str = "both"
    measure: str = "lebesgue"
    reason: str = field(default="", repr=False)
    energy: Energy = field(default=None, repr=False)
    side_log_powers: tuple = None

    @property
    def ratio(self):
        """C_+/C_- (``sympy.oo`` when C_- = 0); None for integer d unless the point is an extremum."""
        if self.c_plus is None or self.c_minus is None:
            return None
        if self.side_log_powers is not None and len(set(self.side_log_powers)) == 2:
            return sympy.oo if self.side_log_powers[0] > self.side_log_powers[1] else sympy.Integer(0)
        if self.weight_sum.is_integer and (self.log_power or self.opens == "both"):
            return None
        if self.c_minus == 0:
            return sympy.oo if self.c_plus != 0 else None
        if self.c_plus == 0:
            return sympy.Integer(0)
        return tidy(self.c_plus / self.c_minus)

    def singular_part(self, energy, dps=15):
        """The leading singular term at the absolute energy E, as an mpmath number.

        Examples
        --------
        >>> a = sg.dos_asymptotics("x**2 + y**2 + z**2")
        >>> float(a.singular_part(sympy.Rational(1, 4)))   # 2*pi*sqrt(1/4)
        3.141592653589793
        """
        if self.c_plus is None:
            raise ValueError(f"no prefactors at this point: {self.reason}")
        with mpmath.workdps(dps):
            offset = mpmath.mpf(sympy.N(sympy.sympify(energy) - self.value, dps + 5))
            exponent, size = mpmath.mpf(sympy.Rational(self.exponent)), abs(offset)
            side = mpmath.mpf(sympy.N(self.c_plus if offset > 0 else self.c_minus, dps + 5))
            term = side * size**exponent
            if self.side_log_powers is not None:
                return term * mpmath.log(1 / size) ** self.side_log_powers[0 if offset > 0 else 1]
            if self.log_power:
                term += mpmath.mpf(sympy.N(self.log_coefficient, dps + 5)) * offset**exponent * mpmath.log(size)
            return +term

    @classmethod
    def not_determined(cls, point, value, label, opens, measure, reason, energy=None):
        """A result that says why the DOS at a point is not determined (no exponent, no prefactors)."""
        return cls(
            tuple(point), value, label, None, None, None, None, None, None, False, None, opens, measure, reason, energy
        )

    def scaled(self, factor, measure=None):
        """A copy with every prefactor multiplied by ``factor`` (e.g. 1/(2 pi)^n on a torus).

        Examples
        --------
        >>> a = sg.dos_asymptotics("x**2 - y**2").scaled(1 / (4 * sympy.pi**2), "torus")
        >>> a.log_coefficient, a.measure
        (-1/(4*pi**2), 'torus')
        """
        factor = sympy.sympify(factor)
        scale = lambda v: None if v is None else tidy(v * factor)  # noqa: E731
        return dataclasses.replace(
            self,
            c_plus=scale(self.c_plus),
            c_minus=scale(self.c_minus),
            log_coefficient=scale(self.log_coefficient),
            measure=measure or self.measure,
        )

    def to_rows(self):
        digits = lambda v: None if v is None else sympy.N(v, DIGITS)  # noqa: E731
        rows = [
            ("point", point_text(self.point)),
            ("critical value", self.value),
            ("type", self.label),
            ("weight sum d", self.weight_sum),
            ("DOS exponent d - 1", self.exponent),
            ("log power", self.log_power),
            ("log powers above, below", None if self.side_log_powers is None else str(self.side_log_powers)),
            ("C_+", self.c_plus),
            ("C_-", self.c_minus),
            ("ratio C_+/C_-", self.ratio),
            ("log coefficient L", self.log_coefficient if self.log_power and self.side_log_powers is None else None),
            ("C_+ (numeric)", digits(self.c_plus) if self.exact else None),
            ("C_- (numeric)", digits(self.c_minus) if self.exact else None),
            (
                "L (numeric)",
                digits(self.log_coefficient)
                if self.exact and self.log_power and self.side_log_powers is None
                else None,
            ),
            ("prefactors", None if self.c_plus is None else "exact" if self.exact else f"{DIGITS} significant digits"),
            ("measure", self.measure),
            (
                "RLCT lambda, m of |g|",
                None if self.rlct is None else f"{self.rlct.threshold}, {self.rlct.multiplicity}",
            ),
            ("reason", self.reason),
        ]
        return ("quantity", "value"), [r for r in rows if r[1] is not None]

    def to_dict(self):
        text = lambda v: None if v is None else exact_string(v)  # noqa: E731
        ratio = self.ratio
        return {
            "kind": "dos_asymptotic",
            "point": [exact_string(c) for c in self.point],
            "value": exact_string(self.value),
            "type": self.label,
            "weight_sum": text(self.weight_sum),
            "dos_exponent": text(self.exponent),
            "log_power": self.log_power,
            "c_plus": text(self.c_plus),
            "c_minus": text(self.c_minus),
            "ratio": None if ratio is None else "oo" if ratio == sympy.oo else text(ratio),
            "log_coefficient": text(self.log_coefficient),
            "exact": self.exact,
            "opens": self.opens,
            "measure": self.measure,
            "rlct": None if self.rlct is None else self.rlct.to_dict(),
            "reason": self.reason,
            "side_log_powers": None if self.side_log_powers is None else list(self.side_log_powers),
        }

    @classmethod
    def from_dict(cls, data):
        """Rebuild a result from :meth:`to_dict` output (the energy is not kept; inexact prefactors stay Floats)."""
        value = lambda k: None if data.get(k) is None else parse_exact(data[k], floats=not data["exact"])  # noqa: E731
        return cls(
            tuple(parse_exact(c) for c in data["point"]),
            parse_exact(data["value"]),
            data["type"],
            value("weight_sum"),
            value("dos_exponent"),
            data["log_power"],
            value("c_plus"),
            value("c_minus"),
            value("log_coefficient"),
            data["exact"],
            from_dict(data["rlct"]),
            data["opens"],
            data["measure"],
            data["reason"],
            None,
            None if data.get("side_log_powers") is None else tuple(data["side_log_powers"]),
        )


@register("dos")
@dataclass(frozen=True, slots=True)
class DOSTable(Result):
    """The DOS asymptotics at every critical point of a polynomial, and its non-isolated critical components."""

    points: tuple
    components: tuple = ()
    energy: Energy = field(default=None, repr=False)

    def to_rows(self):
        header = ("point", "value", "type", "DOS exponent", "log power", "C_+", "C_-", "ratio", "L", "lambda, m")
        rows = [
            (
                point_text(a.point),
                a.value,
                a.label,
                a.exponent,
                a.log_power,
                _short(a.c_plus),
                _short(a.c_minus),
                _short(a.ratio),
                _short(a.log_coefficient) if a.log_power and a.side_log_powers is None else None,
                None if a.rlct is None else f"{a.rlct.threshold}, {a.rlct.multiplicity}",
            )
            for a in self.points
        ]
        rows += [
            (f"component of dimension {k.dimension}", k.value, "non-isolated", None, None, None, None, None, None, None)
            for k in self.components
        ]
        return header, rows

    def to_dict(self):
        return {
            "kind": "dos",
            "points": [a.to_dict() for a in self.points],
            "components": [k.to_dict() for k in self.components],
            "morse_sum": None,
        }

    @classmethod
    def from_dict(cls, data):
        """Rebuild the table from :meth:`to_dict` output (the energy is not kept)."""
        return cls(
            tuple(DOSAsymptotic.from_dict(a) for a in data["points"]),
            tuple(CriticalComponent.from_dict(k) for k in data["components"]),
        )


def dos_table(f, *, variables=None, parameters=None, timeout=None):
    """:func:`dos_asymptotics` at every real critical point of a polynomial f on R^n.

    Examples
    --------
    >>> table = sg.dos_table("x**4 - 2*x**2 + y**2")
    >>> [(a.point, a.label, a.exponent, a.log_power) for a in table.points]
    [((-1, 0), 'A1', 0, 0), ((1, 0), 'A1', 0, 0), ((0, 0), 'A1', 0, 1)]
    """
    deadline = Deadline.coerce(timeout)
    energy = as_energy(f, variables=variables, parameters=parameters)
    found = critical_points(energy, timeout=deadline)
    points = tuple(_table_entry(energy.at(p.point), deadline) for p in found.points)
    return DOSTable(points, found.components, energy)


def dos_asymptotics(f, point=None, *, variables=None, parameters=None, classification=None, timeout=None):
    """The leading singular DOS term of f at a critical point: exponent, log power, C_+, C_-.

    Per unit k-volume (docs/conventions.md#density-of-states); use
    :meth:`DOSAsymptotic.scaled` for a torus normalisation.  A band
    f = a + b*sqrt(R) at a zero of R is a band touching, not a critical
    point; its DOS is one-sided (C_- = 0 for b > 0, C_+ = 0 for b < 0) with
    exponent 2d - 1, d the weight sum of R's principal part, or "not
    determined" when that part is not positive definite and quasi-homogeneous.

    Parameters
    ----------
    f : str, sympy.Expr or Energy
        A polynomial or analytic function.
    point : sequence or str, optional
        A critical point of f (default the origin).
    classification : Classification, optional
        The point's classification, when the caller has it already (one
        with a principal part, or one of a degenerate point that found no
        type); saves classifying twice.
    timeout : float, optional
        Time limit in seconds.

    Raises
    ------
    NotCriticalError
        If the point is not critical.

    Examples
    --------
    A 2D saddle: a logarithm on both sides, no jump.

    >>> a = sg.dos_asymptotics("x**2 - y**2")
    >>> a.exponent, a.log_power, a.log_coefficient, a.c_plus, a.c_minus
    (0, 1, -1, 0, 0)

    The monkey saddle (D4-): |E|^(-1/3), symmetric.

    >>> a = sg.dos_asymptotics("x**3 - 3*x*y**2")
    >>> a.exponent, a.ratio
    (-1/3, 1)

    A 3D saddle with one negative direction: a square root below the critical value only.

    >>> a = sg.dos_asymptotics("x**2 + y**2 - z**2")
    >>> a.exponent, a.c_plus, a.c_minus
    (1/2, 0, -2*pi)

    A band a + b*sqrt(R) at a zero of R (a band touching, docs/dos.md#band-touchings):
    states on one side only, the exponent from R's principal part.

    >>> a = sg.dos_asymptotics("-sqrt(x**2 + y**2)")       # lower Dirac cone
    >>> a.exponent, a.c_plus, a.c_minus, a.ratio
    (1, 0, 2*pi, 0)
    """
    deadline = Deadline.coerce(timeout)
    energy = as_energy(f, point, variables=variables, parameters=parameters)
    with guard(deadline, "the DOS asymptotics"):  # exact signs of algebraic numbers can be long (minimal polynomials)
        return _dos_asymptotics(energy, classification, deadline)


def _dos_asymptotics(energy, classification, deadline):
    band = square_root_band(energy)
    if band is not None and not energy.free_parameters and _radicand_vanishes(energy, band[2]):
        return _touching(energy, band, deadline)
    classification = _classification(energy, classification, deadline)
    part = classification.principal_part
    if part is None:
        newton = _newton_polygon_dos(classification, deadline)
        if newton is not None:
            return newton
        return _unknown(classification, f"not classified, so no principal part: {classification.reason}")
    d = part.weight_sum
    try:
        integral, exact, how = oscillatory_integral(part, timeout=deadline)
    except NotImplementedError as exc:
        return _withoutprefactors(classification, d, f"{_named(classification)}; exponent only: {exc}")
    c_plus, c_minus, log_coefficient = prefactors(integral, d, classification.opens)
    log_power = int(bool(d.is_integer and log_coefficient != 0))
    return DOSAsymptotic(
        classification.point,
        classification.value,
        classification.label,
        d,
        d - 1,
        log_power,
        c_plus,
        c_minus,
        log_coefficient,
        exact,
        principal_part_rlct(classification),
        classification.opens,
        "lebesgue",
        _reason(classification, how),
        energy,
    )


def _newton_polygon_dos(classification, deadline):
    """The DOS of a corank-2 germ without a core from its Newton polygon (docs/dos.md#newton-non-degenerate-germs).

    The T series (J_{10+k}, X_{9+k}, Y_{r,s}: x^2 y^2 at the vertex (2, 2))
    have no quasi-homogeneous principal part; their residual h (after the
    splitting lemma) gives exponent 1/t - 1 and one logarithm on the sides
    where the vertex monomial has its sign (:func:`vertex_prefactors`).  When
    the diagonal meets the interior of an edge whose polynomial h_e is not
    isolated (a monomial factor x^a y^b, a, b < t), rho ~ C_+- |E|^(1/t - 1)
    with the C_+- of h_e (finite: |h_e|^(-1/t) is integrable on the circle).
    Both need the jet to decide the polygon and every compact face to be
    real non-degenerate.  None when h has no Newton polygon.
    """
    if classification.corank != 2 or classification.energy is None or classification.milnor_number is None:
        return None
    variables, order = residual_variables(2), classification.milnor_number + 1
    if len(classification.energy.variables) != 2:  # Morse directions: h is the splitting's residual
        jet = classification.residual if classification.residual is not None else sympy.Integer(0)
    else:  # corank 2 in two variables: h is g itself, and its exact jet of order mu + 1 is taken here
        jet = sum(
            (
                c * variables[0] ** e[0] * variables[1] ** e[1]
                for e, c in taylor_terms(classification.energy, order, timeout=deadline).items()
            ),
            sympy.Integer(0),
        )
    residual, changes = adapted_residual(jet, variables, deadline, order=order)
    poly = sympy.Poly(residual, *variables)
    terms = {m: c for m, c in poly.terms() if c != 0 and sum(m) <= order}
    if not terms:
        return None
    polyhedron = polyhedron_from_terms(variables, terms, timeout=deadline)
    t, face = polyhedron.newton_distance, polyhedron.principal_face
    where = f"h after {', '.join(changes)}" if changes else "h"
    if face.dimension == 0:
        name = f"{classification.label}: Newton diagonal through the vertex x^{t}*y^{t} of {where}"
    else:
        name = f"{classification.label}: Newton diagonal through the edge {polyhedron.face_polynomial(face)} of {where}"
    problem = _vertex_problem(polyhedron, order, classification.inertia, deadline)
    if problem:
        return _unknown(classification, f"{name}; DOS not determined: {problem}")
    try:
        found = (
            vertex_prefactors(polyhedron, deadline) if face.dimension == 0 else _edge_prefactors(polyhedron, deadline)
        )
    except (NotImplementedError, ValueError, sympy.polys.polyerrors.PolynomialError) as exc:  # incl. UndecidedSign
        return _unknown(classification, f"{name}; DOS not determined: {exc}")
    c_plus, c_minus, powers, exact, how = found
    d = 1 / t
    threshold = None
    with deadline.attempt(
        "the RLCT from the Newton polyhedron", catch=(SingularitiesError, NotImplementedError, ValueError)
    ) as step:
        threshold = rlct(classification.energy, method="newton", timeout=step.deadline)
    if threshold is not None and threshold.status is not Status.PROVEN:
        threshold = None
    reason = (
        f"{name}, every compact face real non-degenerate: rho ~ C |E|^(1/t - 1) log^p(1/|E|) with t = {t}, "
        f"p = {powers[0]} above and {powers[1]} below; prefactors by {how}"
    )
    return DOSAsymptotic(
        classification.point,
        classification.value,
        classification.label,
        d,
        d - 1,
        max(powers),
        c_plus,
        c_minus,
        sympy.Integer(0),
        exact,
        threshold,
        classification.opens,
        "lebesgue",
        reason,
        classification.energy,
        None if face.dimension else powers,
    )


def _edge_prefactors(polyhedron, deadline):
    """(C_+, C_-, (0, 0), exact, how) from the edge polynomial h_e through the diagonal, as for a quasi-homogeneous
    core (the integral of exp(i h_e) converges: h_e vanishes to order < t on the axes)."""
    face = polyhedron.principal_face
    (facet,) = [polyhedron.facets[i] for i in face.facets]
    weights = tuple(sympy.Rational(k, facet.offset) for k in facet.normal)
    part = PrincipalPart((), polyhedron.face_polynomial(face), weights, sympy.Integer(1))
    integral, exact, how = oscillatory_integral(part, timeout=deadline)
    c_plus, c_minus, _ = prefactors(integral, part.weight_sum, "both")
    return c_plus, c_minus, (0, 0), exact, f"the edge polynomial: {how}"


def _vertex_problem(polyhedron, order, inertia, deadline):
    """Why the vertex rule does not apply ("" when it does)."""
    if inertia != (0, 0):
        return "Morse directions besides the corank-2 residual (the convolution with a one-sided log is not derived)"
    face = polyhedron.principal_face
    if face.dimension == 0:
        vertex = face.vertices[0]
        edges = [f for f in polyhedron.facets if f.evaluate(vertex) == f.offset]
        if len(edges) != 2 or not all(min(f.normal) > 0 for f in edges):
            return "an edge at the vertex is not compact"
    elif not face.compact:
        return "the diagonal meets a non-compact edge"
    undecided = [f for f in polyhedron.facets if min(f.normal) > 0 and (order + 1) * min(f.normal) <= f.offset]
    if undecided:
        return (
            f"the jet of order {order} does not decide the Newton polygon (terms above it could reach {undecided[0]})"
        )
    report = nondegeneracy(polyhedron, timeout=deadline)
    if report.weak is not Answer.YES:
        bad = next((c.polynomial for c in report.faces if c.weak is not Answer.YES), None)
        return f"real non-degeneracy is {report.weak.value} (face polynomial {bad})"
    return ""


def square_root_band(f, *, variables=None, parameters=None):
    """(a, b, R) when f = a + b*sqrt(R) with constants a and b != 0 and R depending on the variables, else None.

    The form of one band of a two-band model (graphene: a = 0, b = +-t,
    R = |1 + e^{i k1} + e^{i k2}|^2).  Where R > 0 the band is analytic; at a
    zero of R it has a band touching, analysed by :func:`dos_asymptotics`.

    Examples
    --------
    >>> from singularities.physics.dos import square_root_band
    >>> square_root_band("1 - 2*sqrt(x**2 + y**4)")
    (1, -2, x**2 + y**4)
    >>> square_root_band("x**2 + sqrt(1 + y)") is None
    True
    """
    energy = as_energy(f, variables=variables, parameters=parameters)
    roots = {p for p in energy.expr.atoms(sympy.Pow) if p.exp == _HALF and p.base.has(*energy.variables)}
    if len(roots) != 1:
        return None
    root = roots.pop()
    w = sympy.Dummy("w")
    linear = sympy.expand(energy.expr.xreplace({root: w}))
    if linear.has(*energy.variables) or not linear.is_polynomial(w) or sympy.degree(linear, w) != 1:
        return None
    return linear.xreplace({w: 0}), linear.coeff(w), root.base


# ---------------------------------------------------------------------------
# the classification at a point (Morse points straight from the exact Hessian)


def _classification(energy, given, deadline):
    """A classification with a principal part: the one given, the Morse part of the Hessian, or classify().

    A given classification of a degenerate point without a principal part
    (not classified, or a named germ with no quasi-homogeneous part, such as
    the T series) is final: classify() on the same point would find the same
    again, so it is not repeated.
    """
    if given is not None and (given.principal_part is not None or given.corank):
        return given
    if (given is not None and given.corank == 0) or (given is None and energy.is_polynomial()):
        try:
            morse = _morse_classification(energy, given)
        except UndecidedSign:
            morse = None
        if morse is not None:
            return morse
    renamed, back = _renamed(energy)
    found = classify(renamed, timeout=deadline)
    if renamed is energy:
        return found
    form = None if found.normal_form is None else found.normal_form.xreplace(back)
    return dataclasses.replace(found, energy=energy, normal_form=form)


def _morse_classification(energy, given=None):
    """A1 with principal part sum d_i y_i^2 from the exact Hessian (None if it is singular).

    A quadratic form with inertia (n_+, n_-) and |det| = D is congruent, by a
    map of determinant +-1, to D y_1^2 +- y_2^2 ... (signs by the inertia), so
    ``squares`` carry |det(H/2)| in the first entry and the Jacobian is 1.
    """
    at = dict(zip(energy.variables, energy.point))
    gradient = tuple(sympy.diff(energy.expr, v).xreplace(at) for v in energy.variables)
    if not all(_is_zero(c) for c in gradient):
        raise NotCriticalError(gradient, tuple(energy.point))
    hessian = sympy.hessian(energy.expr, energy.variables).xreplace(at) / 2
    n_plus, n_minus, rank = hessian_inertia(hessian)
    if rank < len(energy.variables):
        return None
    squares = [sympy.Integer(1)] * n_plus + [sympy.Integer(-1)] * n_minus
    squares[0] *= (-1) ** n_minus * _algebraic(hessian.det())  # |det|: the sign of det is (-1)^(n_-)
    part = PrincipalPart(tuple(squares), sympy.Integer(0), (), sympy.Integer(1))
    names = energy.variables
    form = sum(v**2 for v in names[:n_plus]) - sum(v**2 for v in names[n_plus:])
    opens = "above" if n_minus == 0 else "below" if n_plus == 0 else "both"
    value = given.value if given is not None else _algebraic(energy.expr.xreplace(at))
    return Classification(
        tuple(energy.point),
        value,
        "A",
        1,
        None,
        0,
        (n_plus, n_minus),
        1,
        0,
        form,
        (_HALF,) * len(names),
        None,
        opens,
        "corank 0: a Morse point (exact Hessian inertia)",
        sympy.Integer(0),
        energy,
        part,
    )


def _renamed(energy):
    """The energy in fresh variable names when a CRootOf coordinate is written in a variable's name, and the map back.

    sympy forbids a Poly in x whose coefficients contain CRootOf(p(x), i), and
    the CRootOf cache ignores the name of p's generator, so the variables are
    renamed instead of the algebraic numbers.
    """
    used = set().union(*(c.expr.free_symbols for c in _roots_of(energy.point)))
    if not used & set(energy.variables):
        return energy, {}
    taken = {s.name for s in used | energy.expr.free_symbols}
    names = [
        name for name in (f"u{i}" for i in range(1, 4 * len(energy.variables) + len(taken) + 2)) if name not in taken
    ]
    fresh = sympy.symbols(names[: len(energy.variables)])
    renamed = Energy(
        energy.expr.xreplace(dict(zip(energy.variables, fresh))), [str(v) for v in fresh], point=energy.point
    )
    return renamed, dict(zip(fresh, energy.variables))


def _roots_of(point):
    return set().union(*(sympy.sympify(c).atoms(sympy.CRootOf) for c in point))


def _algebraic(value):
    """A real algebraic number with CRootOf parts as a radical or one CRootOf of its minimal polynomial; else unchanged.

    The root of the minimal polynomial is the one within a quarter of the
    smallest root gap of ``value`` at 60 digits; if no single root is that
    close (it always is), ``value`` is returned as it came.
    """
    value = sympy.sympify(value)
    if not value.has(sympy.CRootOf):
        return value
    X = sympy.Symbol("x")
    try:
        minimal = sympy.minimal_polynomial(value, X, polys=True)
        roots = minimal.real_roots()
    except (NotImplementedError, sympy.polys.polyerrors.PolynomialError, sympy.polys.polyerrors.NotAlgebraic):
        return value
    if len(roots) <= 1:
        return roots[0] if roots else value
    numeric = [sympy.N(r, 60) for r in roots]
    gap = min(abs(a - b) for a, b in zip(numeric, numeric[1:]))
    target = sympy.N(value, 60)
    close = [r for r, v in zip(roots, numeric) if abs(v - target) < gap / 4]
    return close[0] if len(close) == 1 else value


def _is_zero(value):
    """Whether an exact real number is 0: expansion and sympy's sign, else its minimal
    polynomial (algebraic numbers)."""
    try:
        return exact_sign(value) == 0
    except UndecidedSign:
        X = sympy.Dummy("X")
        try:
            return sympy.minimal_polynomial(value, X) == X
        except (
            NotImplementedError,
            sympy.polys.polyerrors.PolynomialError,
            sympy.polys.polyerrors.NotAlgebraic,
        ) as exc:
            raise UndecidedSign(f"cannot decide whether {value} is 0") from exc


def _table_entry(energy, deadline):
    """dos_asymptotics at one critical point of dos_table; a point the exact algebra
    cannot handle is 'not determined'."""
    try:
        return dos_asymptotics(energy, timeout=deadline)
    except SingularitiesError:
        raise
    except Exception as exc:  # noqa: BLE001 - an algebraic point sympy cannot expand is reported, never a crash
        value = _algebraic(energy.expr.xreplace(dict(zip(energy.variables, energy.point))))
        reason = f"not determined: the exact jets at this algebraic point failed ({type(exc).__name__})"
        return DOSAsymptotic.not_determined(energy.point, value, "?", "both", "lebesgue", reason, energy)


# ---------------------------------------------------------------------------
# band touchings: f = a + b sqrt(R) at a zero of R


def _radicand_vanishes(energy, radicand):
    """Whether R(point) = 0 (InputError if R < 0 there: the band is not real)."""
    value = sympy.simplify(radicand.xreplace(dict(zip(energy.variables, energy.point))))
    if _is_zero(value):
        return True
    try:
        sign = exact_sign(value)
    except UndecidedSign:  # nonzero (its minimal polynomial is not x), so 50 digits settle the sign
        sign = 1 if sympy.N(value, 50) > 0 else -1
    if sign < 0:
        raise InputError(
            f"the radicand {radicand} is negative at the point (value {value}); a band a + b*sqrt(R) needs R >= 0"
        )
    return False


def _touching(energy, band, deadline):
    """The DOS of f = a + b sqrt(R) at a zero p of R (docs/dos.md#band-touchings).

    If R - 0 has a positive-definite quasi-homogeneous principal part with
    weight sum d and V = vol{R_0 < 1}, then vol{0 < b sqrt(R) < e} ~ V (e/|b|)^(2d),
    so the band's rho is 2 d V |E - a|^(2d - 1) / |b|^(2d) on the side sign(b)
    of a, and 0 on the other side.  C_R = d V is R's own C_+ at its minimum.
    """
    a, b, radicand = band
    side = exact_sign(b)
    inner = Energy(radicand, [str(v) for v in energy.variables], point=energy.point)
    found = _radicand_volume(inner, deadline)
    value = _algebraic(a)
    if isinstance(found, str):
        opens, reason = "above" if side > 0 else "below", f"band touching: DOS not determined ({found})"
        return DOSAsymptotic.not_determined(energy.point, value, "touching", opens, "lebesgue", reason, energy)
    d, c_radicand, exact, label, how = found
    coefficient = tidy(2 * c_radicand / sympy.Abs(b) ** (2 * d))
    c_plus, c_minus = (coefficient, sympy.Integer(0)) if side > 0 else (sympy.Integer(0), coefficient)
    reason = (
        f"band touching a + b*sqrt(R), R of type {label} at the point ({how}): rho = 2 C_R |E - a|^(2d - 1) / |b|^(2d) "
        f"with d = {d} and C_R = {sympy.sstr(c_radicand)} on the side of sign(b) only"
    )
    return DOSAsymptotic(
        tuple(energy.point),
        value,
        "cone" if label == "A1" else f"sqrt({label})",
        2 * d,
        2 * d - 1,
        0,
        c_plus,
        c_minus,
        sympy.Integer(0),
        exact,
        None,
        "above" if side > 0 else "below",
        "lebesgue",
        reason,
        energy,
    )


def _radicand_volume(inner, deadline):
    """(d, C_R, exact, label, how) for R at its zero, by the first route that applies; else the reason (a str)."""
    at = dict(zip(inner.variables, inner.point))
    if not all(_is_zero(sympy.diff(inner.expr, v).xreplace(at)) for v in inner.variables):
        raise InputError(
            "the radicand R has a nonzero gradient at its zero, so it changes sign there; "
            "a band a + b*sqrt(R) needs R >= 0 near the point"
        )
    morse = _morse_classification(inner)
    if morse is not None:
        if morse.opens != "above":
            raise InputError(
                "the radicand R changes sign at its zero; a band a + b*sqrt(R) needs R >= 0 near the point"
            )
        return _from_classification(morse, deadline) + ("A1", "Morse: R ~ k^T M k, a cone")
    classification = None
    with deadline.attempt("classifying R", catch=Exception) as step:  # the Newton route below does not need it
        classification = classify(inner, timeout=step.deadline)
    failure = f"R not classified ({step.failure})" if not step.ok else ""
    if classification is not None:
        part = classification.principal_part
        failure = f"R is {classification.label}, {classification.reason}"
        if part is not None and classification.opens == "above" and len(part.weights) <= 2:
            return _from_classification(classification, deadline) + (
                classification.label,
                "principal part in adapted coordinates",
            )
    newton = _newton_volume(inner, deadline)
    return newton if not isinstance(newton, str) else f"{failure}; Newton polyhedron: {newton}"


def _from_classification(classification, deadline):
    """(d, C_R, exact) of R at its minimum: C_R is R's C_+ (rho_R = C_R E^(d - 1))."""
    part = classification.principal_part
    integral, exact, _ = oscillatory_integral(part, timeout=deadline)
    c_plus, _, _ = prefactors(integral, part.weight_sum, "above")
    return part.weight_sum, c_plus, exact


def _newton_volume(inner, deadline):
    """(d, C_R, exact, label, how) from a single compact Newton facet of R with a positive-definite polynomial R_0.

    With axis vertices a_i e_i and w_i = 1/a_i, every exponent alpha of R
    with |alpha| > N has <w, alpha> > N min(w) >= 1 once the jet order N is
    at least max a_i (always: a_i <= N), so the jet decides the facet.  If
    every term of the jet has <w, alpha> >= 1 and R_0 (the terms with
    <w, alpha> = 1) is positive away from 0, then (1 - eps) R_0 <= R <=
    (1 + eps) R_0 near 0 and vol{R < t} = V t^d (1 + o(1)), V = vol{R_0 < 1}.
    """
    variables, n = inner.variables, len(inner.variables)
    for order in NEWTON_ORDERS:
        terms = taylor_terms(inner, order, timeout=deadline)
        axes = [min((e[i] for e in terms if e[i] == sum(e)), default=None) for i in range(n)]
        if all(a is not None for a in axes):
            break
    else:
        return (
            f"no pure power of every variable up to order {NEWTON_ORDERS[-1]} (not an isolated zero, or not convenient)"
        )
    weights = tuple(sympy.Rational(1, a) for a in axes)
    degree = {e: sum(w * k for w, k in zip(weights, e)) for e in terms}
    if any(value < 1 for value in degree.values()):
        return "more than one compact facet in these coordinates: the principal part is not quasi-homogeneous"
    principal = sum(c * sympy.Mul(*(v**k for v, k in zip(variables, e))) for e, c in terms.items() if degree[e] == 1)
    definite = _positive_definite(principal, variables, axes)
    if definite is not True:
        return f"the facet polynomial {principal} is {'not' if definite is False else 'not proven'} positive definite"
    volume = unit_volume(principal, variables, weights, deadline)
    if isinstance(volume, str):
        return volume
    d = sum(weights)
    return (
        d,
        tidy(d * volume[0]),
        volume[1],
        sympy.sstr(principal),
        f"Newton principal part, V = vol{{R_0 < 1}} by {volume[2]}",
    )


def _positive_definite(principal, variables, axes):
    """True if R_0 > 0 on R^n minus 0, False if not, None if undecided (exactly; quasi-homogeneous R_0)."""
    poly = sympy.Poly(principal, *variables)
    corners = [poly.coeff_monomial(v**a) for v, a in zip(variables, axes)]
    try:
        if any(a % 2 for a in axes) or any(exact_sign(c) <= 0 for c in corners):
            return False
        if len(poly.terms()) == len(variables) or len(variables) == 1:
            return True  # a sum of positive multiples of even powers
        if len(variables) > 2:
            return None
        x, y = variables  # scale x to +-1: R_0 > 0 iff R_0(+-1, y) has no real root (it is positive at y = 0)
        return all(sympy.Poly(principal.xreplace({x: s}), y).count_roots() == 0 for s in (1, -1))
    except (
        UndecidedSign,
        NotImplementedError,
        sympy.polys.polyerrors.PolynomialError,
        sympy.polys.polyerrors.DomainError,
    ):
        return None


def _short(value):
    """A compact exact value for tables: the expression if short, else 30 digits."""
    if value is None or isinstance(value, sympy.Float) or len(sympy.sstr(value)) <= 40:
        return value
    return sympy.N(value, DIGITS)


def _reason(classification, how):
    return f"{_named(classification)}, prefactors by {how}"


def _named(classification):
    """The principal part's description: the type, or the unnamed core with its weights (local/principal.py)."""
    if classification.family is not None or classification.principal_part is None:
        return f"{classification.label}: quasi-homogeneous principal part"
    part = classification.principal_part
    weights = ", ".join(map(sympy.sstr, part.weights))
    return f"{classification.label} (unnamed), quasi-homogeneous core {sympy.sstr(part.core)} with weights ({weights})"


def _unknown(classification, reason):
    return _partial(classification, None, reason)


def _withoutprefactors(classification, d, reason):
    return _partial(classification, d, reason)


def _partial(classification, d, reason):
    """A result without prefactors: the exponent when d is known, else nothing but the reason."""
    return DOSAsymptotic(
        classification.point,
        classification.value,
        classification.label,
        d,
        None if d is None else d - 1,
        None,
        None,
        None,
        None,
        False,
        None if d is None else principal_part_rlct(classification),
        classification.opens,
        "lebesgue",
        reason,
        classification.energy,
    )
