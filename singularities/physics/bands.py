"""Critical points of every band of a Bloch matrix H(k) on the Brillouin-zone torus, and the band touchings.

The bands are the roots E of the characteristic polynomial P(E, k) = det(E - H(k)),
written exactly as a polynomial in E and the circle coordinates c_j = cos(theta_j),
s_j = sin(theta_j) (:mod:`singularities.physics.trig`), reduced modulo
c_j^2 + s_j^2 = 1.  Energies E_0 with P(E_0, k) = 0 for every k are flat bands
(non-isolated critical sets); they are divided out.  The critical points of a
non-degenerate band are the real solutions of P = 0, dP/dtheta_j = 0 with
dP/dE != 0 (implicit function theorem: dE/dk_j = -P_j / P_E); solutions with
dP/dE = 0 (a multiple root in E) are band touchings.  Both are solved exactly by
:func:`singularities.local.critical.solve_system`.  Each point gets its band number
(1 for the lowest band) from the exact inertia of H(k_0) - E_0, its type from the
Hessian -P_jk / P_E (Morse) or from the Taylor jet of the implicit band of an order
that its Milnor number makes sufficient (finite determinacy; the truncation is
recorded), and its DOS in the torus normalisation per band (each band's DOS
integrates to 1).  A touching's kind comes from the discriminant of the two
touching branches.  Conventions: docs/conventions.md#density-of-states; guide:
docs/lattices.md#bloch-matrices-and-band-touchings.
"""

from dataclasses import dataclass, field, replace

import mpmath
import sympy
from flint import arb, ctx

from .._exact import exact_string, point_text
from .._limits import Deadline, guard
from .._result import Result, parse_field, register
from ..algebra.realroots import exact_sign, hessian_inertia, real_roots
from ..algebra.realzeros import Answer, is_valid_certificate, no_zero_in_unit_box, real_point
from ..domain import Periods, parse_periods
from ..energy import Energy, _parse_parameters, _parse_text, natural_key
from ..errors import InputError, SingularitiesError, TimeLimitError
from ..lattices import TightBinding
from ..local.classify import Classification
from ..local.critical import solve_system
from .certified_torus import (
    MAX_UNCERTIFIED,
    PRECISION,
    CertifiedPoint,
    _compile,
    _compile_many,
    _descartes_inertia,
    _distinct,
    _hull,
    _inertia,
    _morse_label,
    _newton,
    _read,
    _reduced,
    _text,
    _zeros,
)
from .certified_torus import _dos_text as _certified_dos
from .dos import DOSAsymptotic
from .torus_local import _classify, _dos, _morse_classification, poincare_hopf_index
from .torus_points import ConicalPoint, TorusComponent, TorusPoint, _numeric_key
from .trig import TorusPolynomial, _fourier

__all__ = [
    "BandPoint",
    "BandTouching",
    "BandComponent",
    "BandSummary",
    "BandCriticalSet",
    "CertifiedBandSet",
    "band_critical_points",
    "certified_band_points",
    "has_float_amplitudes",
    "characteristic_polynomial",
    "shifted_square_root_band",
    "square_root_band_points",
]

BAND_FLOOR_BITS = 7  # the (E, k) search floor in k: cell / 2**7, then small clusters are refined
ENERGY_FLOOR_BITS = 11  # ... and in E: the Gershgorin range / 2**11 (bands close in energy over large areas)
MAX_JET_ORDER = 10  # the largest Taylor order of an implicit band tried for a degenerate point
GENERIC_COSINES = (sympy.Rational(3, 5), sympy.Rational(5, 13), sympy.Rational(-7, 25))


def band_critical_points(H, variables=None, *, parameters=None, periods=None, dos=True, timeout=None):
    """Every critical point of every band of a Hermitian Bloch matrix H(k), and its band touchings, exactly.

    Parameters
    ----------
    H : sympy.Matrix or str
        A Hermitian matrix (or the text ``"Matrix([[...], [...]])"``) whose
        entries are trigonometric polynomials in the variables: sums of exact
        numbers times products of cos, sin and exp(I*(m . k)).
    variables : sequence or str, optional
        The wave-vector components, in order (default: every free symbol that
        is not a parameter, sorted by name).
    parameters : str or dict, optional
        Values of the hopping parameters, e.g. ``"t=1,tp=1/3"``.
    periods : sequence or str, optional
        The period of each variable; default 2*pi.
    dos : bool
        Attach the local DOS asymptotics per band (torus normalisation: each
        band's DOS integrates to 1).
    timeout : float, optional
        Time limit in seconds.

    Returns
    -------
    BandCriticalSet

    Raises
    ------
    InputError
        If H is not square and Hermitian, an entry is not a trigonometric
        polynomial with exact coefficients, or a parameter has no value.
    TimeLimitError
        If the time limit passes.

    Examples
    --------
    >>> from singularities.physics.bands import band_critical_points
    >>> graphene = band_critical_points(
    ...     "Matrix([[0, 1 + exp(-I*k1) + exp(-I*k2)], [1 + exp(I*k1) + exp(I*k2), 0]])", dos=False)
    >>> [(t.point, t.value, t.kind, t.bands) for t in graphene.touchings]
    [((2*pi/3, 4*pi/3), 0, 'conical', (1, 2)), ((4*pi/3, 2*pi/3), 0, 'conical', (1, 2))]
    >>> [(b.band, b.minimum, b.maximum, b.morse_sum) for b in graphene.bands]
    [(1, -3, 0, 0), (2, 0, 3, 0)]
    """
    deadline = Deadline.coerce(timeout)
    if has_float_amplitudes(H):
        return certified_band_points(H, variables, parameters=parameters, periods=periods, timeout=deadline)
    if isinstance(H, TightBinding):
        H, variables = H.hamiltonian(), variables or H.variables
    with guard(deadline, "critical points of the bands"):
        model = characteristic_polynomial(H, variables, parameters=parameters, periods=periods)
        points, touchings, components = _solve(model, dos, deadline)
        return _assemble(model, points, touchings, components)


def characteristic_polynomial(H, variables=None, *, parameters=None, periods=None):
    """P(E, k) = det(E - H(k)) as an exact polynomial in E and the circle coordinates (a :class:`BlochPolynomial`).

    Examples
    --------
    >>> from singularities.physics.bands import characteristic_polynomial
    >>> model = characteristic_polynomial("Matrix([[0, 1 + exp(-I*k)], [1 + exp(I*k), 0]])")
    >>> model.to_trig(model.polynomial)
    E**2 - 2*cos(k) - 2
    """
    matrix, variables = _read_matrix(H, variables, parameters)
    periods = parse_periods(periods, len(variables)).values
    return BlochPolynomial(matrix, variables, periods)


def shifted_square_root_band(energy):
    """(d0, b, R) when the band is d0(k) + b*sqrt(R(k)) with d0 depending on k and a constant b != 0, else None.

    Examples
    --------
    >>> from singularities.energy import Energy
    >>> from singularities.physics.bands import shifted_square_root_band
    >>> shifted_square_root_band(Energy("cos(k1) - sqrt(3 + 2*cos(k1))"))
    (cos(k1), -1, 2*cos(k1) + 3)
    >>> shifted_square_root_band(Energy("1 + sqrt(3 + 2*cos(k1))")) is None
    True
    """
    roots = {p for p in energy.expr.atoms(sympy.Pow) if p.exp == sympy.Rational(1, 2) and p.base.has(*energy.variables)}
    if len(roots) != 1:
        return None
    root = roots.pop()
    w = sympy.Dummy("w")
    linear = sympy.expand(energy.expr.xreplace({root: w}))
    if not linear.is_polynomial(w) or sympy.degree(linear, w) != 1:
        return None
    d0, b = linear.coeff(w, 0), linear.coeff(w, 1)
    if b.has(*energy.variables) or b == 0 or not d0.has(*energy.variables):
        return None
    return d0, b, root.base


def square_root_band_points(energy, band, *, periods=None, dos=True, timeout=None):
    """The critical points, components and touchings of one band d0(k) + b*sqrt(R(k)), as the torus code reports them.

    The band is a root of P(E, k) = (E - d0)^2 - b^2 R, the two-band model's
    characteristic polynomial; its points are those of band 2 (b > 0) or band 1
    (b < 0) of :func:`band_critical_points`' solver, and the zeros of R are the
    touchings (a tilted cone when grad d0 != 0 there).  Returns (points,
    components, conical points) of :class:`TorusPoint`, :class:`TorusComponent`
    and :class:`ConicalPoint` for :func:`~singularities.physics.torus.torus_critical_points`.

    Examples
    --------
    >>> from singularities.energy import Energy
    >>> from singularities.physics.bands import shifted_square_root_band, square_root_band_points
    >>> f = Energy("(cos(k1) + cos(k2) + cos(k1 - k2))/5 + sqrt(3 + 2*(cos(k1) + cos(k2) + cos(k1 - k2)))")
    >>> points, components, conical = square_root_band_points(f, shifted_square_root_band(f), dos=False)
    >>> sorted((p.value, p.label) for p in points), sorted(c.value for c in conical)
    ([(4/5, 'A1'), (4/5, 'A1'), (4/5, 'A1'), (18/5, 'A1')], [-3/10, -3/10])
    """
    d0, b, radicand = band
    periods = parse_periods(periods, len(energy.variables)).values
    deadline = Deadline.coerce(timeout)
    with guard(deadline, "critical points of a square-root band"):
        model = _SquareRootModel(d0, b, radicand, energy.variables, periods)
        points, touchings, components = _solve(model, dos, deadline)
    mine = 2 if exact_sign(b) > 0 else 1
    torus_points = [
        TorusPoint(
            p.point, p.value, p.classification, p.index, p.dos, "; ".join(t for t in (p.note, p.truncation) if t)
        )
        for p in points
        if p.band == mine
    ]
    conical = [_conical_point(t, mine, b) for t in touchings]
    pieces = [
        TorusComponent(c.dimension or 0, (), c.description, c.value, None, c.dimension, None, None, c.note)
        for c in components
    ]
    return torus_points, pieces, conical


class BlochPolynomial:
    """H(k) and P(E, k) = det(E - H(k)) as polynomials in E, c_j = cos(theta_j), s_j = sin(theta_j).

    Attributes
    ----------
    matrix : sympy.Matrix
        The input H(k) (parameters substituted).
    variables, periods : tuple
        The wave-vector components and their periods.
    cos, sin : tuple of sympy.Symbol
        The circle coordinates (real dummies); theta_j = 2 pi k_j / P_j.
    real, imaginary : sympy.Matrix
        H = real + i imaginary, entries real polynomials in (c, s).
    polynomial : sympy.Expr
        P(E, c, s), reduced modulo c_j^2 + s_j^2 = 1 (degree <= 1 in each s_j).
    energy_symbol : sympy.Symbol
        E.
    """

    def __init__(self, matrix, variables, periods):
        self._circles(variables, periods)
        self.matrix, self.size = matrix, matrix.rows
        self.real, self.imaginary = _split_matrix(matrix, self)
        self.polynomial = self.reduce(_determinant(self))
        self.dispersive = self.polynomial

    def _circles(self, variables, periods):
        self.variables, self.periods = tuple(variables), tuple(periods)
        self.cos = tuple(sympy.Dummy(f"c_{v}", real=True) for v in self.variables)
        self.sin = tuple(sympy.Dummy(f"s_{v}", real=True) for v in self.variables)
        self.energy_symbol = sympy.Symbol("E", real=True)
        self.flat = ()  # (E0, multiplicity) of the flat bands, set by _flat_bands
        self.torus = TorusPolynomial(Energy("0", [str(v) for v in self.variables]), self.periods, self.cos, self.sin, 0)

    @property
    def unknowns(self):
        """(E, c_1, ..., c_n, s_1, ..., s_n)."""
        return (self.energy_symbol,) + self.cos + self.sin

    def reduce(self, expr):
        """The normal form modulo the circles: s_j^2 -> 1 - c_j^2."""
        expr = sympy.expand(expr)
        for c, s in zip(self.cos, self.sin):
            expr = sympy.expand(sympy.rem(expr, s**2 + c**2 - 1, s)) if expr.has(s) else expr
        return expr

    def derivative(self, expr, j):
        """d/dtheta_j of a polynomial in (E, c, s)."""
        return self.torus.derivative(expr, j)

    def equations(self):
        """P = 0, dP/dtheta_j = 0 and the circles, for the dispersive part of P."""
        p = self.dispersive
        return [p] + [self.derivative(p, j) for j in range(len(self.cos))] + self.torus.circles

    def band_hessian(self):
        """-P_E times the angle Hessian of P: at a critical point of a simple band, a positive multiple of the
        band's Hessian -P_jk / P_E (so it has the band's inertia)."""
        p, n = self.dispersive, len(self.cos)
        gradient = [self.derivative(p, j) for j in range(n)]
        scale = -sympy.diff(p, self.energy_symbol)
        return sympy.Matrix(n, n, lambda i, j: sympy.expand(scale * self.derivative(gradient[i], j)))

    def at(self, values):
        """(E0, (c0, s0) values, k0) from a solution (E0, c0..., s0...)."""
        return values[0], tuple(values[1:]), self.torus.angles(tuple(values[1:]))

    def to_trig(self, expr):
        """A polynomial in (E, c, s) written back in the variables k."""
        return sympy.expand(self.torus.to_trig(expr))

    def bands_at(self, circle_values, energy):
        """(number of eigenvalues of H(k0) below E0, multiplicity of E0), exactly (Sylvester inertia of the
        real symmetric form [[Re, -Im], [Im, Re]] of H(k0) - E0, which doubles every eigenvalue)."""
        at = dict(zip(self.cos + self.sin, circle_values))
        m = self.size
        shift = energy * sympy.eye(m)
        re = self.real.xreplace(at) - shift
        im = self.imaginary.xreplace(at)
        block = sympy.BlockMatrix([[re, -im], [im, re]]).as_explicit().applyfunc(sympy.simplify)
        _, n_minus, rank = hessian_inertia(block)
        return n_minus // 2, (2 * m - rank) // 2

    def local(self, expr, circle_values, energy, order):
        """G(e, x) = expr(E0 + e, k0 + x) as a polynomial in e and x (x in k units), truncated at x-degree ``order``."""
        n = len(self.cos)
        x = tuple(sympy.Dummy(f"x{j}") for j in range(n))
        e = sympy.Dummy("e")
        moved = {self.energy_symbol: energy + e}
        for j in range(n):
            t = 2 * sympy.pi * x[j] / self.periods[j]
            cos_t, sin_t = _taylor_cos(t, order), _taylor_sin(t, order)
            c0, s0 = circle_values[j], circle_values[n + j]
            moved[self.cos[j]] = c0 * cos_t - s0 * sin_t
            moved[self.sin[j]] = s0 * cos_t + c0 * sin_t
        local = sympy.expand(_truncate(sympy.expand(expr.xreplace(moved)), x, order))
        return local, e, x


class _SquareRootModel(BlochPolynomial):
    """P = (E - d0)^2 - b^2 R for the two bands d0 +- |b| sqrt(R) of one band d0 + b sqrt(R)."""

    def __init__(self, d0, b, radicand, variables, periods):
        self._circles(variables, periods)
        self.matrix, self.size = None, 2
        self.centre = self.reduce(_entry_polynomial(d0, self))
        inner = self.reduce(_entry_polynomial(radicand, self))
        self.polynomial = self.reduce((self.energy_symbol - self.centre) ** 2 - b**2 * inner)
        self.dispersive = self.polynomial

    def bands_at(self, circle_values, energy):
        """Band 2 where E0 > d0(k0), band 1 where E0 < d0(k0), both where E0 = d0(k0) (R = 0)."""
        centre = self.centre.xreplace(dict(zip(self.cos + self.sin, circle_values)))
        sign = exact_sign(sympy.simplify(energy - centre))
        return (0, 2) if sign == 0 else (1, 1) if sign > 0 else (0, 1)


# ---------------------------------------------------------------------------
# results


@register("band_point")
@dataclass(frozen=True, slots=True)
class BandPoint(Result):
    """A critical point of one band: band number, exact k and E, type, Poincare-Hopf index, DOS.

    Attributes
    ----------
    band : int
        The band number, 1 for the lowest (the position of E among the sorted
        eigenvalues of H(k), decided exactly).
    point, value, classification, index, dos, note
        As in :class:`~singularities.physics.torus_points.TorusPoint`; ``dos``
        is in the torus normalisation of one band.
    truncation : str
        Empty for a Morse point (its Hessian decides); otherwise which Taylor jet
        of the implicit band was classified and why that jet determines the type.
    """

    band: int
    point: tuple
    value: sympy.Expr
    classification: Classification = None
    index: int = None
    dos: object = field(default=None, repr=False)
    note: str = field(default="", repr=False)
    truncation: str = field(default="", repr=False)

    @property
    def label(self):
        """The type ("A1", "A3+", ...) or "?"."""
        return "?" if self.classification is None else self.classification.label

    @property
    def morse_index(self):
        return None if self.classification is None else self.classification.morse_index

    def _torus_point(self):
        return TorusPoint(self.point, self.value, self.classification, self.index, self.dos, self.note)

    def to_rows(self):
        header, rows = self._torus_point().to_rows()
        return header, [("band", self.band)] + rows + ([("truncation", self.truncation)] if self.truncation else [])

    def to_dict(self):
        data = self._torus_point().to_dict()
        data.update({"kind": "band_point", "band": self.band, "truncation": self.truncation})
        return data

    @classmethod
    def from_dict(cls, data):
        p = TorusPoint.from_dict(data)
        return cls(data["band"], p.point, p.value, p.classification, p.index, p.dos, p.note, data["truncation"])


@register("band_touching")
@dataclass(frozen=True, slots=True)
class BandTouching(Result):
    """A point where two or more bands meet (a multiple root E of P(., k)).

    Attributes
    ----------
    point, value : tuple, sympy.Expr
        Exact k and the common energy E_0.
    bands : tuple of int
        The band numbers that meet.
    kind : str
        "conical" (the discriminant's quadratic part is positive definite: a
        Dirac cone), "semi-Dirac" (linear in one direction, quadratic in the
        other: the discriminant is of type A3+), "quadratic" (the two branches
        differ at second order), "triple point" (a triple root), or
        "undetermined" (``note`` says why).
    matrix : sympy.Matrix or None
        For a two-band touching, M with (E_+ - E_-)^2 / 4 = x^T M x + ... (x in k units).
    tilt : tuple or None
        w with (E_+ + E_-)/2 - E_0 = w . x + ... (a tilted cone for w != 0).
    indices : tuple
        The Poincare-Hopf index of each band at the point (None when not determined).
    dos : tuple
        One :class:`DOSAsymptotic` (or None) per band, torus normalisation of one band.
    note : str
    """

    point: tuple
    value: sympy.Expr
    bands: tuple
    kind: str
    matrix: sympy.Matrix = field(default=None, repr=False)
    tilt: tuple = field(default=None, repr=False)
    indices: tuple = field(default=(), repr=False)
    dos: tuple = field(default=(), repr=False)
    note: str = field(default="", repr=False)

    def to_rows(self):
        rows = [("point", point_text(self.point)), ("value", self.value), ("bands", self.bands), ("kind", self.kind)]
        rows += [(f"DOS band {b}", _dos_text(d)) for b, d in zip(self.bands, self.dos)]
        return ("quantity", "value"), rows + ([("note", self.note)] if self.note else [])

    def to_dict(self):
        return {
            "kind": "band_touching",
            "point": [exact_string(c) for c in self.point],
            "value": exact_string(self.value),
            "bands": list(self.bands),
            "touching": self.kind,
            "matrix": None if self.matrix is None else [[exact_string(e) for e in r] for r in self.matrix.tolist()],
            "tilt": None if self.tilt is None else [exact_string(w) for w in self.tilt],
            "indices": list(self.indices),
            "dos": [None if d is None else d.to_dict() for d in self.dos],
            "note": self.note,
        }

    @classmethod
    def from_dict(cls, data):
        m, w = data["matrix"], data["tilt"]
        return cls(
            tuple(parse_field(c) for c in data["point"]),
            parse_field(data["value"]),
            tuple(data["bands"]),
            data["touching"],
            None if m is None else sympy.Matrix([[parse_field(e) for e in r] for r in m]),
            None if w is None else tuple(parse_field(c) for c in w),
            tuple(data["indices"]),
            tuple(None if d is None else DOSAsymptotic.from_dict(d) for d in data["dos"]),
            data["note"],
        )


@register("band_component")
@dataclass(frozen=True, slots=True)
class BandComponent(Result):
    """A non-isolated critical set: a flat band, or a positive-dimensional solution set of the band equations."""

    description: str
    value: sympy.Expr = None
    bands: tuple = ()
    dimension: int = None
    note: str = field(default="", repr=False)

    def to_rows(self):
        rows = [("component", self.description), ("value", self.value), ("bands", self.bands), ("note", self.note)]
        return ("quantity", "value"), rows

    def to_dict(self):
        return {
            "kind": "band_component",
            "description": self.description,
            "value": None if self.value is None else exact_string(self.value),
            "bands": list(self.bands),
            "dimension": self.dimension,
            "note": self.note,
        }

    @classmethod
    def from_dict(cls, data):
        return cls(
            data["description"], parse_field(data["value"]), tuple(data["bands"]), data["dimension"], data["note"]
        )


@register("band_summary")
@dataclass(frozen=True, slots=True)
class BandSummary(Result):
    """One band: its edges (exact minimum and maximum), its Poincare-Hopf sum and whether the sum check applies."""

    band: int
    minimum: sympy.Expr
    maximum: sympy.Expr
    morse_sum: int = None
    morse_check: bool = None
    note: str = field(default="", repr=False)

    def to_rows(self):
        rows = [
            ("band", self.band),
            ("minimum", self.minimum),
            ("maximum", self.maximum),
            ("Morse sum", self.morse_sum),
        ]
        return ("quantity", "value"), rows + [("note", self.note)]

    def to_dict(self):
        text = lambda v: None if v is None else exact_string(v)  # noqa: E731
        return {
            "kind": "band_summary",
            "band": self.band,
            "minimum": text(self.minimum),
            "maximum": text(self.maximum),
            "morse_sum": self.morse_sum,
            "morse_check": self.morse_check,
            "note": self.note,
        }

    @classmethod
    def from_dict(cls, data):
        return cls(
            data["band"],
            parse_field(data["minimum"]),
            parse_field(data["maximum"]),
            data["morse_sum"],
            data["morse_check"],
            data["note"],
        )


@register("band_critical_points")
@dataclass(frozen=True, slots=True)
class BandCriticalSet(Result):
    """Every critical point of every band, the band touchings, flat bands and other components, per-band summaries.

    Attributes
    ----------
    points : tuple of BandPoint
        Sorted by band, value, coordinates.
    touchings : tuple of BandTouching
    components : tuple of BandComponent
        Flat bands and positive-dimensional pieces (not analysed further).
    bands : tuple of BandSummary
        One per band: edges and Morse sum (0 for a band that touches no other, by Poincare-Hopf).
    periods : tuple
    matrix : sympy.Matrix
        The input H(k) (provenance).
    """

    points: tuple
    touchings: tuple
    components: tuple
    bands: tuple
    periods: tuple
    matrix: sympy.Matrix = field(default=None, repr=False)

    def band(self, number):
        """The points of band ``number``."""
        return tuple(p for p in self.points if p.band == number)

    def to_rows(self):
        header = ("band", "point", "value", "type", "PH index", "DOS exponent", "C_+", "C_-", "L")
        rows = [(p.band, point_text(p.point), p.value, p.label, p.index) + _dos_columns(p.dos) for p in self.points]
        for t in self.touchings:
            for b, i, d in zip(t.bands, t.indices or (None,) * len(t.bands), t.dos or (None,) * len(t.bands)):
                rows.append((b, point_text(t.point), t.value, f"{t.kind} touching", i) + _dos_columns(d))
        rows += [
            (",".join(map(str, c.bands)), c.description, c.value, "component", None) + (None,) * 4
            for c in self.components
        ]
        for b in self.bands:
            check = "ok" if b.morse_check else "not checked" if b.morse_check is None else "FAILED"
            rows.append(
                (b.band, "band edges", f"[{b.minimum}, {b.maximum}]", f"Morse sum {b.morse_sum} ({check})", None)
                + (None,) * 4
            )
        return header, rows

    def to_dict(self):
        data = {
            "kind": "band_critical_points",
            "points": [p.to_dict() for p in self.points],
            "touchings": [t.to_dict() for t in self.touchings],
            "components": [c.to_dict() for c in self.components],
            "bands": [b.to_dict() for b in self.bands],
            "periods": [exact_string(P) for P in self.periods],
        }
        if self.matrix is not None:
            data["input"] = {"matrix": [[exact_string(e) for e in r] for r in self.matrix.tolist()]}
        return data

    @classmethod
    def from_dict(cls, data):
        matrix = (data.get("input") or {}).get("matrix")
        return cls(
            tuple(BandPoint.from_dict(p) for p in data["points"]),
            tuple(BandTouching.from_dict(t) for t in data["touchings"]),
            tuple(BandComponent.from_dict(c) for c in data["components"]),
            tuple(BandSummary.from_dict(b) for b in data["bands"]),
            tuple(parse_field(P) for P in data["periods"]),
            None if matrix is None else sympy.Matrix([[parse_field(e) for e in r] for r in matrix]),
        )


# ---------------------------------------------------------------------------
# input: the matrix and P(E, c, s)


def _read_matrix(H, variables, parameters):
    """(Matrix with parameter values substituted, variables)."""
    values = _parse_parameters(parameters, True)
    names = (
        None
        if variables is None
        else [v.strip() for v in (variables.split(",") if isinstance(variables, str) else map(str, variables))]
    )
    declared = set(names or ()) | {s.name for s in values}
    if isinstance(H, str):
        rows = _matrix_rows(H)
        matrix = sympy.Matrix([[_parse_text(e, declared, True, "matrix entry") for e in row] for row in rows])
    else:
        try:
            matrix = sympy.Matrix(H)
        except (TypeError, ValueError, sympy.SympifyError) as exc:
            raise InputError(
                f"cannot read {H!r} as a matrix ({exc}); give a sympy Matrix or 'Matrix([[...]])'"
            ) from exc
    if not matrix.is_square or matrix.rows == 0:
        raise InputError(f"the Bloch matrix is {matrix.rows}x{matrix.cols}; give a square Hermitian matrix")
    if any(matrix.atoms(sympy.Float)):
        raise InputError("the matrix has a float entry; write exact numbers (e.g. 3/10 for 0.3)")
    missing = [s for s, v in values.items() if v is None]
    if missing:
        raise InputError(f"parameter {missing[0]} has no value; give values (e.g. parameters='{missing[0]}=1')")
    matrix = matrix.xreplace({s: v for s, v in values.items()})
    free = set().union(*(e.free_symbols for e in matrix)) - set(values)
    if names is None:
        waves = set().union(*(f.args[0].free_symbols for f in matrix.atoms(sympy.cos, sympy.sin, sympy.exp)))
        symbols = tuple(sorted(free & waves, key=lambda s: natural_key(s.name)))
        loose = sorted(map(str, free - waves))
        if loose:
            raise InputError(
                f"{loose[0]} appears only as a coefficient and has no value; give it (parameters='{loose[0]}=1', "
                "CLI --params) or list the variables"
            )
    else:
        symbols = tuple(sympy.Symbol(n) for n in names)
        unknown = free - set(symbols)
        if unknown:
            raise InputError(f"unknown symbol {', '.join(sorted(map(str, unknown)))}: give its value with parameters=")
    if not symbols:
        raise InputError("the matrix has no wave-vector variables; give entries depending on k, e.g. exp(I*k)")
    return matrix, symbols


def _matrix_rows(text):
    """The entry texts of "Matrix([[a, b], [c, d]])" or "[[a, b], [c, d]]", split at top-level commas."""
    body = text.strip()
    if body.startswith("Matrix(") and body.endswith(")"):
        body = body[len("Matrix(") : -1].strip()
    if not (body.startswith("[") and body.endswith("]")):
        raise InputError("give the matrix as Matrix([[a, b], [c, d]]) (a list of rows)")
    rows = [r.strip() for r in _split(body[1:-1])]
    if not rows or any(not (r.startswith("[") and r.endswith("]")) for r in rows):
        raise InputError("give the matrix as Matrix([[a, b], [c, d]]): every row in brackets")
    entries = [[e.strip() for e in _split(r[1:-1])] for r in rows]
    if len({len(r) for r in entries}) != 1:
        raise InputError("the rows of the matrix have different lengths; give a square matrix")
    return entries


def _split(text):
    """Split at commas outside brackets and parentheses."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += ch in "(["
        depth -= ch in ")]"
        if depth < 0:
            raise InputError("unbalanced brackets in the matrix; check the parentheses")
        if ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    if depth != 0:
        raise InputError("unbalanced brackets in the matrix; check the parentheses")
    return parts + [text[start:]]


def _split_matrix(matrix, model):
    """(Re H, Im H) as matrices of real polynomials in (c, s); InputError unless H is Hermitian."""
    j = sympy.Dummy("j")
    m = matrix.rows
    re, im = sympy.zeros(m, m), sympy.zeros(m, m)
    for a in range(m):
        for b in range(m):
            entry = _entry_polynomial(matrix[a, b], model).xreplace({sympy.I: j})
            rest = sympy.Poly(sympy.expand(entry), j).rem(sympy.Poly(j**2 + 1, j))
            re[a, b], im[a, b] = (model.reduce(rest.coeff_monomial(u)) for u in (1, j))
    if any(
        sympy.expand(re[a, b] - re[b, a]) != 0 or sympy.expand(im[a, b] + im[b, a]) != 0
        for a in range(m)
        for b in range(a, m)
    ):
        raise InputError(
            "the Bloch matrix is not Hermitian (H[j, i] must be the conjugate of H[i, j]); check the entries"
        )
    return re, im


def _entry_polynomial(entry, model):
    """An entry (cos, sin, exp(I*m.k)) as a polynomial in (c, s) with Gaussian-rational coefficients."""
    entry = sympy.sympify(entry)
    for wave in entry.atoms(sympy.exp):
        if sympy.expand(wave.args[0] / sympy.I).has(sympy.I):
            raise InputError(f"matrix entry {entry}: {wave} is not a Bloch phase; write exp(I*(m . k)) with real m")
    entry = entry.rewrite(sympy.cos) if entry.has(sympy.exp) else entry
    try:
        series = _fourier(sympy.expand(entry), model.variables)
    except InputError as exc:
        raise InputError(f"matrix entry {entry}: {exc}") from exc
    total = sympy.Integer(0)
    for frequency, coefficient in series.items():
        if coefficient.free_symbols or coefficient.has(sympy.Float):
            raise InputError(f"matrix entry {entry}: the coefficient {coefficient} is not an exact number")
        term = coefficient
        for v, a, P, c, s in zip(model.variables, frequency, model.periods, model.cos, model.sin):
            mj = sympy.simplify(a * P / (2 * sympy.pi))
            if not mj.is_Integer:
                raise InputError(f"matrix entry {entry} is not periodic with period {P} in {v}; give the periods")
            term *= (c + (sympy.I if mj > 0 else -sympy.I) * s) ** abs(int(mj))
        total += sympy.expand(term)
    return total


def _determinant(model):
    """det(E - H) from the real 2m x 2m form: det(E - H)^2 = det(E - [[Re, -Im], [Im, Re]]); computed directly
    on the complex matrix instead (Berkowitz), and its imaginary part checked to vanish."""
    j = sympy.Dummy("j")
    m = model.real.rows
    h = model.real + j * model.imaginary
    det = (model.energy_symbol * sympy.eye(m) - h).det(method="berkowitz")
    rest = sympy.Poly(sympy.expand(det), j).rem(sympy.Poly(j**2 + 1, j))
    if model.reduce(rest.coeff_monomial(j)) != 0:  # pragma: no cover - a Hermitian matrix has a real determinant
        raise InputError("det(E - H) is not real: the matrix is not Hermitian; check the entries")
    return rest.coeff_monomial(1)


def _require_rational(model):
    poly = sympy.Poly(model.polynomial, *model.unknowns)
    irrational = next((c for c in poly.coeffs() if not c.is_Rational), None)
    if irrational is not None:
        raise InputError(
            f"det(E - H) has the coefficient {irrational}, which is not rational; the exact solver needs rational "
            "amplitudes (phases other than multiples of pi/2 bring in such values): rescale or shift the variables"
        )


def _flat_bands(model):
    """[(E0, multiplicity)] of flat bands: the real roots of the gcd g(E) of P's coefficients in (c, s);
    P is replaced by P / g (the dispersive part)."""
    E = model.energy_symbol
    poly = sympy.Poly(model.polynomial, *(model.cos + model.sin))
    g = sympy.Integer(0)
    for coefficient in poly.coeffs():
        g = sympy.gcd(g, coefficient)
    g = sympy.Poly(g, E)
    if g.degree() <= 0:
        return []
    model.dispersive = sympy.expand(sympy.cancel(model.polynomial / g.as_expr()))
    found = []
    for factor, multiplicity in sympy.factor_list(g.as_expr(), E)[1]:
        for root in real_roots(sympy.Poly(factor, E)):
            found.append((root.expr(), multiplicity))
    model.flat = tuple(found)
    return found


# ---------------------------------------------------------------------------
# solving: every solution of P = 0, grad P = 0 is a band point or a touching


def _solve(model, dos, deadline):
    """(band points, touchings, components) of the model."""
    _require_rational(model)
    flat = _flat_bands(model)
    found = solve_system(
        model.equations(), model.unknowns, value=model.energy_symbol, matrix=model.band_hessian(), timeout=deadline
    )
    points, touchings = [], []
    for p in found.points:
        _place(model, flat, p, dos, deadline, points, touchings)
    pieces = [_component(model, c, deadline) for c in found.components]
    components = [_flat_component(model, e, m) for e, m in flat] + [c for c in pieces if c is not None]
    return points, touchings, components


def _conical_point(touching, band, b):
    """A touching of the two bands d0 +- |b| sqrt(R) as the torus code's ConicalPoint of one of them
    (its matrix Hessian(R)/2 = M / b^2)."""
    n = len(touching.point)
    matrix = sympy.zeros(n, n) if touching.matrix is None else (touching.matrix / b**2).applyfunc(sympy.simplify)
    at = touching.bands.index(band) if band in touching.bands else None
    index = None if at is None or not touching.indices else touching.indices[at]
    local = None if at is None or not touching.dos else touching.dos[at]
    return ConicalPoint(touching.point, touching.value, matrix, index, local)


# ---------------------------------------------------------------------------
# one solution: a band point or a touching


def _place(model, flat, found, dos, deadline, points, touchings):
    energy, values, k = model.at(found.point)
    below, multiplicity = model.bands_at(values, energy)
    derivative = sympy.diff(model.dispersive, model.energy_symbol)
    simple = exact_sign(sympy.simplify(derivative.xreplace(dict(zip(model.unknowns, found.point))))) != 0
    on_flat = any(exact_sign(energy - e) == 0 for e, _ in flat)
    point = None
    if simple:
        band = below + 1 if multiplicity == 1 or found.inertia[0] == 0 else below + multiplicity
        point = _band_point(model, found, band, k, energy, values, dos, deadline)
        if multiplicity > 1:
            point = replace(point, note="; ".join(t for t in (point.note, "touches a flat band here") if t))
        points.append(point)
    if multiplicity > 1 or on_flat:
        touchings.append(_touching(model, k, energy, values, (below, multiplicity), point, dos, deadline))


def _band_point(model, found, band, k, energy, values, dos, deadline):
    n = len(k)
    x = tuple(sympy.Symbol(str(v)) for v in model.variables)
    if found.hessian_rank == n:
        jet = _implicit_jet(model, values, energy, 2)
        target = Energy(jet, [str(v) for v in x])
        origin = (sympy.Integer(0),) * n
        classification = replace(_morse_classification(target, origin, energy, found.inertia), point=k)
        index, note, truncation = (-1) ** found.inertia[1], "", ""
    else:
        target, classification, note, truncation = _degenerate(model, values, energy, k, deadline)
        index = None if classification is None else poincare_hopf_index(classification)
    local, dos_note = (None, "")
    if dos and classification is not None:
        local, dos_note = _dos(target, k, model.periods, deadline, replace(classification, point=target.point))
    text = "; ".join(t for t in (note, dos_note) if t)
    return BandPoint(band, k, energy, classification, index, local, text, truncation)


def _degenerate(model, values, energy, k, deadline):
    """Classify the Taylor jet of the implicit band, raising the order until it is at least mu + 1."""
    names = [str(v) for v in model.variables]
    order = 4
    while True:
        jet = _implicit_jet(model, values, energy, order)
        target = Energy(jet, names)
        classification, note = _classify(target, target.point, deadline)
        mu = None if classification is None else classification.milnor_number
        if mu is not None and mu + 1 <= order:
            text = (
                f"the type is that of the Taylor jet of order {order} of the implicit band E(k) (P(E, k) = 0): "
                f"the Milnor number {mu} makes every germ with that jet equivalent to it (finite determinacy, "
                f"order mu + 1 = {mu + 1} <= {order}); the DOS term uses the same jet "
                "(it contains the principal part)"
            )
            return target, replace(classification, point=k), note, text
        if mu is None or mu + 1 > MAX_JET_ORDER or classification.family is None and mu + 1 <= order:
            why = note or "the jet is not finitely determined within the orders tried"
            return target, None, f"not classified: {why} (jet of order {order} of the implicit band)", ""
        order = mu + 1


def _implicit_jet(model, values, energy, order):
    """E0 + the Taylor polynomial of order ``order`` of the band through (k0, E0) (P(E, k) = 0 solved for E), in
    the variables (x = k - k0, k units)."""
    local, e, x = model.local(model.dispersive, values, energy, order)
    a = local.coeff(e, 1).xreplace({v: 0 for v in x})
    phi = sympy.Integer(0)
    for _ in range(order):
        phi = _truncate(sympy.expand(phi - local.xreplace({e: phi}) / a), x, order)
    names = [sympy.Symbol(str(v)) for v in model.variables]
    return sympy.expand(energy + phi.xreplace(dict(zip(x, names))))


# ---------------------------------------------------------------------------
# touchings


def _touching(model, k, energy, values, position, point, dos, deadline):
    """The touching of the bands ``position`` = (bands below, multiplicity) at (k0, E0), with its kind and DOS."""
    below, multiplicity = position
    bands = tuple(range(below + 1, below + multiplicity + 1))
    flat = sum(m for e, m in model.flat if exact_sign(energy - e) == 0)
    if multiplicity - flat == 2 and flat:  # flat band(s) through a touching of two dispersive bands
        outer = (bands[0], bands[-1])
        pair = _two_branches(model, model.dispersive, (k, energy, values), outer, dos, deadline)
        kind = "triple point" if multiplicity == 3 else f"{multiplicity}-fold point"
        note = f"the flat band(s) at E0 pass through a {pair.kind} touching of bands {outer[0]} and {outer[1]}"
        indices = tuple(pair.indices[outer.index(b)] if b in outer else None for b in bands)
        local = tuple(pair.dos[outer.index(b)] if b in outer else None for b in bands)
        return BandTouching(k, energy, bands, kind, pair.matrix, pair.tilt, indices, local, note)
    if multiplicity >= 3:
        note = f"a {multiplicity}-fold root of P(., k): the local kind is not analysed beyond its multiplicity"
        kind = "triple point" if multiplicity == 3 else f"{multiplicity}-fold point"
        return BandTouching(k, energy, bands, kind, None, None, (None,) * len(bands), (None,) * len(bands), note)
    touching = _two_branches(model, model.polynomial, (k, energy, values), bands, dos, deadline)
    if touching.kind == "quadratic" and point is not None:
        touching = replace(touching, indices=tuple(point.index if bb == point.band else None for bb in bands))
    return touching


def _two_branches(model, polynomial, at, bands, dos, deadline):
    """The touching of two branches of ``polynomial`` = 0 (a double root in E) from Delta = B^2 - 4AC."""
    k, energy, values = at
    local, e, x = model.local(polynomial, values, energy, 4)
    a0 = local.coeff(e, 2).xreplace({v: 0 for v in x})
    b = local.coeff(e, 1)
    c = local.coeff(e, 0)
    discriminant = _truncate(sympy.expand(b**2 - 4 * local.coeff(e, 2) * c), x, 4)
    kind, matrix, tilt, note = _touching_kind(discriminant, b, a0, x, deadline)
    if kind == "semi-Dirac":
        indices, local_dos = _semi_dirac_dos(discriminant, b, a0, x, (k, energy), model, dos, deadline)
        if indices[0] is None:
            note += "; index and DOS not determined: the mean of the branches has terms up to order 2 (a tilt)"
    else:
        indices, local_dos = _touching_dos(kind, matrix, tilt, k, energy, bands, model, dos)
    return BandTouching(k, energy, bands, kind, matrix, tilt, indices, local_dos, note)


def _touching_kind(discriminant, b, a0, x, deadline):
    """The kind from the lowest homogeneous part of the discriminant Delta = B^2 - 4AC of the two branches."""
    n = len(x)
    quadratic = _homogeneous(discriminant, x, 2)
    if quadratic != 0:
        m = sympy.hessian(quadratic, x) / (8 * a0**2)
        m = m.applyfunc(sympy.simplify)
        tilt = tuple(sympy.simplify(-_homogeneous(b, x, 1).coeff(v) / (2 * a0)) for v in x)
        n_plus, n_minus, rank = hessian_inertia(m)
        if n_minus:  # pragma: no cover - Hermitian branches are real: Delta >= 0
            return "undetermined", m, tilt, "the discriminant is indefinite (the branches would be complex)"
        if rank == n:
            return "conical", m, tilt, ""
        if _is_semi_dirac(discriminant, x, deadline):
            return "semi-Dirac", m, tilt, "linear in one direction, quadratic in the other (discriminant of type A3+)"
        return "undetermined", m, tilt, "the discriminant's quadratic part is degenerate and it is not of type A3+"
    if _homogeneous(discriminant, x, 3) == 0 and _homogeneous(discriminant, x, 4) != 0:
        return "quadratic", None, None, "the two branches separate at second order (the discriminant starts at order 4)"
    return "undetermined", None, None, "the discriminant vanishes to order 4: the branches agree beyond second order"


def _is_semi_dirac(discriminant, x, deadline):
    """Whether the discriminant is of type A3+ (x^2 + y^4 up to a change of coordinates): a semi-Dirac point."""
    from ..local.classify import classify  # noqa: PLC0415 - used only here

    names = [sympy.Symbol(f"u{j}") for j in range(len(x))]
    try:
        c = classify(Energy(discriminant.xreplace(dict(zip(x, names))), [str(v) for v in names]), timeout=deadline)
    except TimeLimitError:
        raise
    except SingularitiesError:  # not classified: the kind stays undetermined, with the reason
        return False
    return c.family == "A" and c.index == 3 and c.opens == "above"


def _touching_dos(kind, matrix, tilt, k, energy, bands, model, dos):
    """Indices and the per-band DOS at a two-band touching; a cone gets its closed form (docs/lattices.md)."""
    none = (None,) * len(bands)
    if kind != "conical" or len(bands) != 2:
        return none, none
    n = len(k)
    u2 = sympy.simplify((sympy.Matrix([tilt]) * matrix.inv() * sympy.Matrix(tilt))[0, 0])
    if exact_sign(u2 - 1) >= 0:
        return none, none
    indices = ((-1) ** n, 1)
    if not dos:
        return indices, none
    # volume {w.x + sqrt(x^T M x) < e} = V_n e^n / (sqrt(det M) (1 - w^T M^-1 w)^((n+1)/2)), V_n the unit ball
    ball = sympy.pi ** sympy.Rational(n, 2) / sympy.gamma(sympy.Rational(n, 2) + 1)
    volume = Periods(tuple(model.periods)).volume
    coefficient = sympy.simplify(n * ball / (sympy.sqrt(matrix.det()) * (1 - u2) ** sympy.Rational(n + 1, 2) * volume))
    reason = (
        "one band of a conical touching: rho = C |E - E0|^(n-1) on its side, "
        "C = n V_n / (vol sqrt(det M) (1 - w^T M^-1 w)^((n+1)/2))"
    )
    zero = sympy.Integer(0)
    make = lambda plus, minus, opens: DOSAsymptotic(  # noqa: E731
        k,
        energy,
        "conical touching",
        sympy.Integer(n),
        sympy.Integer(n - 1),
        0,
        plus,
        minus,
        None,
        True,
        None,
        opens,
        "torus",
        reason,
    )
    return indices, (make(zero, coefficient, "below"), make(coefficient, zero, "above"))


def _semi_dirac_dos(discriminant, b, a0, x, at, model, dos, deadline):
    """Indices and DOS of the two branches E0 +- sqrt(Delta) / (2 |A0|) when the branches' mean -B/(2A) has no
    terms up to order 2 (else it competes with sqrt(Delta) along the soft direction: not determined)."""
    k, energy = at
    if _truncate(sympy.expand(b), x, 2) != 0:
        return (None, None), (None, None)
    n = len(k)
    indices = ((-1) ** n, 1)
    if not dos:
        return indices, (None, None)
    names = [str(v) for v in model.variables]
    radicand = discriminant.xreplace(dict(zip(x, map(sympy.Symbol, names))))
    half = 1 / (2 * abs(a0))
    branches = []
    for sign in (-1, 1):
        target = Energy(energy + sign * half * sympy.sqrt(radicand), names)
        local, _ = _dos(target, k, model.periods, deadline)
        branches.append(local)
    return indices, tuple(branches)


# ---------------------------------------------------------------------------
# components and assembly


def _flat_component(model, energy, multiplicity):
    values = _generic_point(model, energy)
    bands = ()
    if values is not None:
        below, mult = model.bands_at(values, energy)
        bands = tuple(range(below + 1, below + mult + 1))
    note = (
        f"a flat band (multiplicity {multiplicity}): every k is critical, a non-isolated critical set of "
        "dimension n; its DOS is a delta peak of weight 1 per band at E0 (torus normalisation); "
        "crossings of other bands with it along curves are not searched"
    )
    return BandComponent(f"flat band E = {sympy.sstr(energy)}", energy, bands, len(model.variables), note)


def _generic_point(model, energy):
    n = len(model.cos)
    for c in GENERIC_COSINES:
        s = sympy.sqrt(1 - c**2)
        values = (c,) * n + (s,) * n
        p = model.dispersive.xreplace({model.energy_symbol: energy, **dict(zip(model.cos + model.sin, values))})
        if sympy.simplify(p) != 0:
            return values
    return None


def _component(model, found, deadline):
    """A positive-dimensional piece as a record; None when it has no real point (a re-verified certificate)."""
    if found.sample_point is None:
        if any(_impossible_on_torus(e, model) for e in found.equations):
            return None
        answer, certificate = real_point(found.equations, model.unknowns, deadline=deadline)
        if answer is Answer.NO and is_valid_certificate(certificate, found.equations, model.unknowns):
            return None
    equations = [model.to_trig(e) for e in found.equations if not model.torus.is_circle(e)]
    text = "{" + ", ".join(sympy.sstr(e) for e in equations) + "} = 0"
    note = (
        "a positive-dimensional set of solutions of P = 0, grad P = 0 (a band degenerate along a set, or a "
        "line of critical points or touchings): not analysed further"
    )
    return BandComponent(text, None, (), found.real_dimension, note)


def _impossible_on_torus(equation, model):
    """No zero where every |c_j|, |s_j| <= 1 (algebra.realzeros.no_zero_in_unit_box; E absent)."""
    return not equation.has(model.energy_symbol) and no_zero_in_unit_box(equation, model.cos + model.sin)


def _assemble(model, points, touchings, components):
    key = lambda p: (p.band, _numeric_key(p.value), *map(_numeric_key, p.point))  # noqa: E731
    points = tuple(sorted(points, key=key))
    touchings = tuple(sorted(touchings, key=lambda t: (_numeric_key(t.value), *map(_numeric_key, t.point))))
    components = tuple(components)
    summaries = tuple(_summary(b, points, touchings, components) for b in range(1, model.size + 1))
    return BandCriticalSet(points, touchings, components, summaries, model.periods, model.matrix)


def _summary(band, points, touchings, components):
    mine = [p for p in points if p.band == band]
    where = {tuple(p.point) for p in mine}
    met = [
        (t, t.indices[t.bands.index(band)] if t.indices else None)
        for t in touchings
        if band in t.bands and tuple(t.point) not in where  # a smooth band's own point carries its index
    ]
    flat = [c for c in components if band in c.bands]
    values = [p.value for p in mine] + [t.value for t, _ in met] + [c.value for c in flat if c.value is not None]
    unknown = any(c.value is None or not c.bands for c in components)
    components = [c for c in components if not c.bands]  # flat bands concern their own bands only
    low = None if unknown or not values else min(values, key=_numeric_key)
    high = None if unknown or not values else max(values, key=_numeric_key)
    indices = [p.index for p in mine] + [i for _, i in met]
    total = sum(indices) if indices and all(i is not None for i in indices) else None
    if flat:
        return BandSummary(band, low, high, None, None, "a flat band: every point is critical")
    if components:
        return BandSummary(band, low, high, total, None, "positive-dimensional critical pieces: not checked")
    if total is None:
        return BandSummary(
            band, low, high, None, None, "an index is not determined (a point or touching not classified); not checked"
        )
    ok = total == 0
    note = (
        "the indices of the band's critical points and touchings sum to 0, the Euler characteristic of the torus"
        if ok
        else f"the indices sum to {total}, not 0: a point is missing or an index is wrong; please report"
    )
    return BandSummary(band, low, high, total, ok, note)


# ---------------------------------------------------------------------------
# small helpers


def _taylor_cos(t, order):
    return sum((-1) ** i * t ** (2 * i) / sympy.factorial(2 * i) for i in range(order // 2 + 1))


def _taylor_sin(t, order):
    return sum((-1) ** i * t ** (2 * i + 1) / sympy.factorial(2 * i + 1) for i in range((order + 1) // 2))


def _truncate(expr, x, order):
    """The terms of total degree <= order in x."""
    if expr == 0:
        return expr
    poly = sympy.Poly(expr, *x)
    return sympy.Add(*(c * sympy.Mul(*(v**e for v, e in zip(x, m))) for m, c in poly.terms() if sum(m) <= order))


def _homogeneous(expr, x, degree):
    if expr == 0:
        return sympy.Integer(0)
    poly = sympy.Poly(sympy.expand(expr), *x)
    return sympy.expand(
        sympy.Add(*(c * sympy.Mul(*(v**e for v, e in zip(x, m))) for m, c in poly.terms() if sum(m) == degree))
    )


def _dos_columns(dos):
    if dos is None:
        return (None,) * 4
    short = lambda v: v if v is None or len(sympy.sstr(v)) <= 30 else sympy.N(v, 30)  # noqa: E731
    return (dos.exponent, short(dos.c_plus), short(dos.c_minus), short(dos.log_coefficient) if dos.log_power else None)


def _dos_text(dos):
    if dos is None or dos.exponent is None:
        return "not determined"
    return f"exponent {dos.exponent}, C_+ = {dos.c_plus}, C_- = {dos.c_minus}"


# ---------------------------------------------------------------------------
# float amplitudes: the certified path (arb balls and Krawczyk boxes in (E, k))


@register("certified_band_points")
@dataclass(frozen=True, slots=True)
class CertifiedBandSet(Result):
    """The critical points of every band of a Bloch matrix with float amplitudes, each in a certified box.

    Attributes
    ----------
    points : tuple of CertifiedPoint
        Certified band points (``bands`` = (b,)): a unique zero of P, grad_k P in
        a box of (E, k) with dP/dE != 0, Morse with certified Hessian signs.
    touchings : tuple of CertifiedPoint
        Clusters of uncertified boxes, status "touching or near-touching" (with
        ``delta``: a Hermitian change of H(k) of norm <= delta makes the two bands
        meet at ``point``) or "near higher-order".
    flat : tuple of (str, int)
        Flat bands (energy, multiplicity), found exactly.
    complete : bool
        Whether every box of the search was discarded or certified.
    morse_sums : tuple
        Per band, the sum of the Poincare-Hopf indices of its points when the
        band is complete, touches nothing and is not flat (it must be 0); else None.
    note : str
    boxes : int
    """

    points: tuple
    touchings: tuple
    flat: tuple
    complete: bool
    morse_sums: tuple
    note: str
    boxes: int

    def band(self, number):
        """The certified points of band ``number``."""
        return tuple(p for p in self.points if p.bands == (number,))

    def to_rows(self):
        header = ("band", "point", "E", "status", "type", "index", "DOS")
        rows = [
            (",".join(map(str, p.bands)), ", ".join(p.point), p.value, p.status, p.label, p.index, p.dos)
            for p in self.points + self.touchings
        ]
        rows += [("flat", "every k", e, "flat band", f"multiplicity {m}", None, None) for e, m in self.flat]
        rows += [(b + 1, "Morse sum", s, None, None, None, None) for b, s in enumerate(self.morse_sums)]
        return header, rows

    def to_dict(self):
        return {
            "kind": "certified_band_points",
            "points": [p.to_dict() for p in self.points],
            "touchings": [p.to_dict() for p in self.touchings],
            "flat": [[e, m] for e, m in self.flat],
            "complete": self.complete,
            "morse_sums": list(self.morse_sums),
            "note": self.note,
            "boxes": self.boxes,
        }

    @classmethod
    def from_dict(cls, data):
        return cls(
            tuple(CertifiedPoint.from_dict(p) for p in data["points"]),
            tuple(CertifiedPoint.from_dict(p) for p in data["touchings"]),
            tuple((e, m) for e, m in data["flat"]),
            data["complete"],
            tuple(data["morse_sums"]),
            data["note"],
            data["boxes"],
        )

    def __repr__(self):
        return (
            f"CertifiedBandSet({len(self.points)} points, {len(self.touchings)} touchings, "
            f"complete={self.complete}, morse_sums={self.morse_sums})"
        )


def certified_band_points(H, variables=None, *, parameters=None, periods=None, timeout=None):
    """Every critical point of every band of a Bloch matrix with float amplitudes, certified with arb balls.

    The floats are taken as the exact binary numbers they are.  P(E, k) =
    det(E - H(k)) is formed exactly; flat bands (roots of the gcd of its
    coefficients) are divided out exactly.  The critical points of the bands
    are the zeros of the square system P = 0, dP/dk_j = 0 in (E, k): its
    Jacobian there is block triangular with diagonal dP/dE and the k-Hessian
    of P, so a zero that Krawczyk certifies (Jacobian regular in the box) is a
    Morse point of a simple band, with band Hessian -P_kk / P_E.  Its band
    number is the count of eigenvalues of H(k0) below E0, certified by
    Descartes' rule on the characteristic polynomial of the real form of
    H(k0) - mu just below and above E0.  Boxes that stay uncertified (band
    touchings, where dP/dE = 0, and near-degenerate points) are grouped and
    reported with a rigorous distance.  Guide: docs/lattices.md#float-bloch-matrices.

    Parameters
    ----------
    H : sympy.Matrix, TightBinding or str
        A Hermitian Bloch matrix whose entries may have float amplitudes.
    variables, parameters, periods, timeout
        As for :func:`band_critical_points`.

    Returns
    -------
    CertifiedBandSet

    Raises
    ------
    InputError
        If H is not a Hermitian trigonometric Bloch matrix, or an amplitude is not finite.
    TimeLimitError
        If the time limit passes.

    Examples
    --------
    >>> from singularities.physics.bands import certified_band_points
    >>> chain = certified_band_points("Matrix([[0.5, 1.0 + exp(-I*k)], [1.0 + exp(I*k), -0.5]])")
    >>> [(p.bands, p.label) for p in chain.points], chain.morse_sums
    ([((1,), 'A1 min'), ((1,), 'A1 max'), ((2,), 'A1 min'), ((2,), 'A1 max')], (0, 0))
    """
    deadline = Deadline.coerce(timeout)
    saved = ctx.prec
    ctx.prec = PRECISION
    try:
        with guard(deadline, "certified critical points of the bands"):
            model = _float_model(H, variables, parameters, periods)
            flat = _flat_bands(model)
            problem = _BandProblem(model, [e for e, _ in flat])
            certified, clusters, boxes, gave_up = _zeros(
                problem,
                problem.start,
                problem.periods,
                deadline,
                bits=[ENERGY_FLOOR_BITS] + [BAND_FLOOR_BITS] * (problem.n - 1),
            )
            kept, ambiguous = _distinct(certified, problem.periods)
            points = [_certified_band_point(problem, X, K) for X, K in kept]
            touchings = [_near_touching(problem, cluster) for cluster in clusters]
            return _certified_set(model, flat, points, touchings, boxes, gave_up, ambiguous)
    finally:
        ctx.prec = saved


def has_float_amplitudes(H):
    """Whether a Bloch matrix (sympy Matrix, TightBinding or nested lists) has a float entry."""
    if isinstance(H, TightBinding):
        return not H.exact
    if isinstance(H, str):
        return False  # text is read exactly: decimals are the exact numbers they denote
    try:
        return bool(sympy.Matrix(H).atoms(sympy.Float))
    except (TypeError, ValueError, sympy.SympifyError):
        return False


def _float_model(H, variables, parameters, periods):
    """The BlochPolynomial of H with every float replaced by the exact rational it is."""
    if isinstance(H, TightBinding):
        variables = variables or H.variables
        H = H.hamiltonian()
    if isinstance(H, str):
        names = variables.replace(",", " ").split() if isinstance(variables, str) else variables
        H = [[_read_float_text(e, names) for e in row] for row in _matrix_rows(H)]
    try:
        matrix = sympy.Matrix(H)
    except (TypeError, ValueError, sympy.SympifyError) as exc:
        raise InputError(f"cannot read {H!r} as a matrix ({exc}); give a sympy Matrix or a TightBinding") from exc
    exact = {}
    for number in matrix.atoms(sympy.Float):
        if not number.is_finite:
            raise InputError(f"the amplitude {number} is not finite; give finite float amplitudes")
        exact[number] = sympy.Rational(number)  # the exact binary value of the double
    return characteristic_polynomial(matrix.xreplace(exact), variables, parameters=parameters, periods=periods)


def _read_float_text(entry, names):
    """A matrix entry read from text with each decimal taken as the double it denotes (its exact binary value)."""
    return _read(entry, [str(v) for v in names or ()])[0]


class _BandProblem:
    """F = (P, dP/dk_j) and its Jacobian in (E, k) as ball functions; H(k) itself; the search box."""

    def __init__(self, model, flat=()):
        self.flat = tuple(flat)
        E, ks = model.energy_symbol, model.variables
        unknowns = (E,) + tuple(ks)
        polynomial = model.to_trig(model.dispersive)
        functions = [polynomial] + [sympy.diff(polynomial, k) for k in ks]
        self.n, self.size, self.dimension = len(unknowns), model.size, len(ks)
        self._grad = _compile_many(functions, unknowns)
        self._hess = _compile_many([sympy.diff(g, u) for g in functions for u in unknowns], unknowns)
        self.energy_derivative = _compile(sympy.diff(polynomial, E), unknowns)
        self.entries = [
            (_compile(model.to_trig(model.real[a, b]), ks), _compile(model.to_trig(model.imaginary[a, b]), ks))
            for a in range(model.size)
            for b in range(model.size)
        ]
        self.period_balls = [_compile(sympy.sympify(P), ())([]) for P in model.periods]
        bound = _gershgorin(model) + sympy.Rational(1, 4)
        self.start = [arb(-0.0123, float(bound))] + [
            arb(-0.0625 + float(p.upper()) / 2, float(p.upper()) / 2 * (1 + 2**-20)) for p in self.period_balls
        ]
        self.periods = [None] + self.period_balls

    def grad(self, x):
        return self._grad(x)

    def hess(self, x):
        flat, n = self._hess(x), self.n
        return [flat[i * n : (i + 1) * n] for i in range(n)]

    def real_form(self, k, mu):
        """The real symmetric 2m x 2m form [[Re, -Im], [Im, Re]] of H(k) - mu (every eigenvalue doubled)."""
        m = self.size
        re = [[self.entries[a * m + b][0](k) - (mu if a == b else 0) for b in range(m)] for a in range(m)]
        im = [[self.entries[a * m + b][1](k) for b in range(m)] for a in range(m)]
        top = [re[a] + [-x for x in im[a]] for a in range(m)]
        bottom = [im[a] + re[a] for a in range(m)]
        return top + bottom

    def below(self, k, mu):
        """The number of eigenvalues of H(k) below mu for every k in the balls, or None when not certified."""
        count = _descartes_inertia(self.real_form(k, arb(mu)))
        return None if count is None else count // 2


def _gershgorin(model):
    """A rational bound on every eigenvalue of H(k): the largest row sum of the entries' coefficient sizes."""
    rows = []
    for a in range(model.size):
        total = sympy.Integer(0)
        for b in range(model.size):
            for part in (model.real[a, b], model.imaginary[a, b]):
                if part != 0:
                    total += sum(abs(c) for c in sympy.Poly(part, *(model.cos + model.sin)).coeffs())
        rows.append(total)
    return max(rows)


def _band_number(problem, k, energy):
    """((band,), "") with band = 1 + the eigenvalues of H(k) below E0, certified on both sides of the ball E0.

    When the counts leave several bands (an eigenvalue of H(k0) within 1e-20
    of E0, as where a band meets a flat band), the possible band numbers and
    the reason; ((), reason) when no count is certified.
    """
    counts = None
    for gap in (1e-3, 1e-6, 1e-10, 1e-20):
        low, high = float(energy.lower()) - gap, float(energy.upper()) + gap
        below, up_to = problem.below(k, low), problem.below(k, high)
        if below is not None and up_to is not None:
            if up_to - below == 1:
                return (below + 1,), ""
            counts = (below, up_to, gap)
    if counts is None:
        return (), "band number not certified"
    below, up_to, gap = counts
    flat = [e for e in problem.flat if arb(energy.lower()) - gap <= arb(str(sympy.N(e, 40))) <= energy.upper() + gap]
    where = (
        f"at the flat band E = {flat[0]} or within {gap:g} of it"
        if flat
        else f"{up_to - below} eigenvalues within {gap:g}"
    )
    return tuple(range(below + 1, up_to + 1)), f"bands {below + 1}-{up_to}: {where}"


def _certified_band_point(problem, X, K):
    energy, k = K[0], K[1:]
    scale = problem.energy_derivative(K)
    full = problem.hess(K)
    hessian = [[-full[i][j] / scale for j in range(1, problem.n)] for i in range(1, problem.n)]
    negative = _inertia(hessian)
    bands, why = _band_number(problem, k, energy)
    shape = _BandShape(problem)
    if negative is None:
        status, label, index, dos = "critical", "A1 (Hessian signs not certified)", None, "not given: Hessian signs"
    else:
        status, label, index = "Morse", _morse_label(negative, len(k)), (-1) ** negative
        dos = _certified_dos(shape, hessian, negative)
    return CertifiedPoint(
        tuple(_text(c) for c in _reduced(shape, k)),
        tuple(_text(x, 8) for x in X),
        _text(energy),
        tuple(tuple(_text(h, 12) for h in row) for row in hessian),
        status,
        f"{label} ({why})" if why else label,
        index,
        dos,
        bands=bands,
    )


class _BandShape:
    """The k part of a band problem, as the torus helpers (_reduced, _dos_text) expect it."""

    def __init__(self, problem):
        self.n, self.period_balls = problem.dimension, problem.period_balls


def _near_touching(problem, cluster):
    """A cluster of uncertified boxes: the two nearest eigenvalues of H(k) at its best point, their gap bounded.

    At the best point (E, k), eigenvalues lambda_i <= lambda_(i+1) of H(k) on
    either side of E are enclosed by Descartes counts at mu_1 < mu_2: two
    eigenvalues in [mu_1, mu_2] prove gap <= mu_2 - mu_1, and the Hermitian
    change (gap/2)(v_i v_i* - v_(i+1) v_(i+1)*) of norm gap/2 makes them meet.
    """
    centres = [[arb(b.mid()) for b in box] for box in cluster]
    best = min(centres, key=lambda c: float(sum((g * g for g in problem.grad(c)), arb(0)).upper()))
    guess = _newton(problem, [float(b.mid()) for b in best], steps=100)
    if guess is not None and any(all(b.contains(arb(g)) for b, g in zip(box, guess)) for box in cluster):
        best = [arb(g) for g in guess]
    energy, k = best[0], best[1:]
    pair = _closest_pair(problem, k, float(energy.mid()))
    hull = [_hull(cluster, i) for i in range(problem.n)]
    shape = _BandShape(problem)
    point = tuple(_text(c) for c in _reduced(shape, k))
    box = tuple(_text(x, 8) for x in hull)
    if pair is None:
        label = f"not certified: {len(cluster)} boxes; no two eigenvalues of H(k) enclosed near E"
        return CertifiedPoint(point, box, _text(energy), (), "near higher-order", label, None, "not given")
    bands, delta = pair
    label = (
        f"touching or near-touching of bands {bands[0]} and {bands[1]}: a Hermitian change of H(k) of norm "
        f"<= delta = {_text(delta, 3)} makes them meet here; {len(cluster)} uncertified boxes"
    )
    return CertifiedPoint(
        point,
        box,
        _text(energy),
        (),
        "touching or near-touching",
        label,
        None,
        "not given",
        None,
        _text(delta, 3),
        bands,
    )


def _closest_pair(problem, k, energy):
    """((i, i + 1), delta): bands i, i + 1 of H(k) within 2 delta of each other near ``energy``; or None."""
    values = _approximate_eigenvalues(problem, k)
    order = sorted(range(len(values) - 1), key=lambda i: abs(values[i] + values[i + 1] - 2 * energy))
    for i in order[:2]:
        for slack in (1e-25, 1e-15, 1e-8, 1e-4):
            margin = slack * (1 + abs(values[i]))
            low, high = values[i] - margin, values[i + 1] + margin
            below, up_to = problem.below(k, low), problem.below(k, high)
            if below is not None and up_to is not None and below <= i and up_to >= i + 2:
                return (i + 1, i + 2), (arb(high) - arb(low)) / 2
    return None


def _approximate_eigenvalues(problem, k):
    with mpmath.workprec(PRECISION):
        form = mpmath.matrix([[float(e.mid()) for e in row] for row in problem.real_form(k, arb(0))])
        values = sorted(float(v) for v in mpmath.eigsy(form)[0])
    return values[::2]  # the real form doubles every eigenvalue


def _certified_set(model, flat, points, touchings, boxes, gave_up, ambiguous):
    complete = not touchings and not gave_up and not ambiguous
    flat_bands = _flat_band_numbers(model, flat)
    sums = []
    for b in range(1, model.size + 1):
        mine = [p for p in points if p.bands == (b,)]
        touched = any(b in t.bands or not t.bands for t in touchings) or any(not p.bands for p in points)
        settled = not gave_up and not ambiguous and not touched and b not in flat_bands
        sums.append(sum(p.index for p in mine) if settled and all(p.index is not None for p in mine) else None)
    reasons = [
        "a touching, a flat band or an uncertified cluster concerns the band" if None in sums else "",
        f"more than {MAX_UNCERTIFIED} boxes stayed uncertified; the list may be incomplete" if gave_up else "",
        f"{ambiguous} pair(s) of certified boxes may hold the same zero" if ambiguous else "",
    ]
    note = "; ".join(r for r in reasons if r) or "every band's indices sum to 0, the Euler characteristic of the torus"
    flat_text = tuple((exact_string(e), int(m)) for e, m in flat)
    return CertifiedBandSet(
        tuple(sorted(points, key=lambda p: (p.bands, float(arb(p.value).mid())))),
        tuple(touchings),
        flat_text,
        complete,
        tuple(sums),
        note,
        boxes,
    )


def _flat_band_numbers(model, flat):
    """The band numbers that a flat band may occupy somewhere (every band, to be safe, when there is one)."""
    return set(range(1, model.size + 1)) if flat else set()
