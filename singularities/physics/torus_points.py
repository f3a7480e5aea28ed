"""What :func:`~singularities.physics.torus.torus_critical_points` returns: critical points, components and touchings.

:class:`TorusCriticalSet` holds every critical point of a trigonometric
polynomial in one period cell (:class:`TorusPoint`), the positive-dimensional
pieces of the critical set (:class:`TorusComponent`), the zeros of the radicand
of a square-root band (:class:`ConicalPoint`), the band edges and the
Poincare-Hopf sum.  The computation lives in :mod:`singularities.physics.torus`;
conventions: docs/conventions.md#density-of-states.
"""

from dataclasses import dataclass, field

import sympy

from .._exact import exact_string, point_text
from .._result import Result, from_dict, parse_field, register
from ..energy import Energy
from ..local.classify import Classification
from .dos import DOSAsymptotic

__all__ = [
    "TorusPoint",
    "TorusComponent",
    "TorusCrossing",
    "ConicalPoint",
    "TorusCriticalSet",
]


@register("torus_point")
@dataclass(frozen=True, slots=True)
class TorusPoint(Result):
    """One critical point of f in the period cell, with its type, index and DOS asymptotics.

    Attributes
    ----------
    point : tuple
        Exact coordinates k_j in [0, P_j): rational multiples of pi, or
        P/(2 pi) acos(c) with c algebraic.
    value : sympy.Expr
        The critical value f(point) (a van Hove energy), exact.
    classification : Classification or None
        Arnold's type through the Taylor jet (None when it could not be computed; see ``note``).
    index : int or None
        The Poincare-Hopf index of grad f at the point: (-1)^(Morse index)
        for a Morse point, see :func:`poincare_hopf_index` otherwise.
    dos : DOSAsymptotic or None
        The local DOS asymptotics from :mod:`singularities.physics.dos`, scaled to the
        torus normalisation (divided by the product of the periods).
    note : str
        What could not be computed, if anything.
    """

    point: tuple
    value: sympy.Expr
    classification: Classification = None
    index: int = None
    dos: object = field(default=None, repr=False)
    note: str = field(default="", repr=False)

    @property
    def label(self):
        """The type with its real form ("A1", "A3+", "D4-"), or "?" when unclassified."""
        return "?" if self.classification is None else self.classification.label

    @property
    def morse_index(self):
        """The Morse index of a non-degenerate point, else None."""
        return None if self.classification is None else self.classification.morse_index

    def to_rows(self):
        rows = [
            ("point", point_text(self.point)),
            ("value", self.value),
            ("type", self.label),
            ("Morse index", self.morse_index),
            ("Poincare-Hopf index", self.index),
            ("DOS exponent", _dos_field(self.dos, "exponent")),
            ("note", self.note or None),
        ]
        return ("quantity", "value"), rows

    def to_dict(self):
        c = self.classification
        data = {
            "kind": "torus_point",
            "point": [exact_string(x) for x in self.point],
            "value": exact_string(self.value),
            "type": None if c is None else c.type,
            "label": self.label,
            "real_form": None if c is None or c.normal_form is None else exact_string(c.normal_form),
            "corank": None if c is None else c.corank,
            "morse_index": self.morse_index,
            "inertia": None if c is None else list(c.inertia),
            "milnor_number": None if c is None else c.milnor_number,
            "index": self.index,
            "note": self.note,
            "classification": None if c is None else c.to_dict(),
        }
        if (
            self.dos is not None
        ):  # the flat keys of the CLI's dos contract (docs: DESIGN section 6), plus the whole record
            local = self.dos.to_dict()
            data.update(
                {
                    key: local.get(key)
                    for key in ("dos_exponent", "log_power", "c_plus", "c_minus", "ratio", "log_coefficient", "rlct")
                }
            )
            data["dos"] = local
        return data

    @classmethod
    def from_dict(cls, data):
        """Rebuild the point from :meth:`to_dict` output (classification and DOS without their energies)."""
        c, dos = data.get("classification"), data.get("dos")
        return cls(
            tuple(parse_field(x) for x in data["point"]),
            parse_field(data["value"]),
            None if c is None else Classification.from_dict(c),
            data["index"],
            None if dos is None else DOSAsymptotic.from_dict(dos),
            data["note"],
        )


@register("torus_component")
@dataclass(frozen=True, slots=True)
class TorusComponent:
    """A positive-dimensional piece of the critical set on the torus (a line or surface of critical points).

    Attributes
    ----------
    dimension : int
        Complex dimension of the piece in (c, s)-space (the real dimension on the
        torus when ``real_dimension`` says so).
    equations : tuple
        Trigonometric equations (each = 0) in the variables k.
    description : str
        "kx = pi" for a coordinate subtorus, else the equations.
    value : sympy.Expr or None
        f on the piece (None when it is not proven constant there).
    sample_point : tuple or None
        An exact point of the piece in k coordinates.
    real_dimension : int or None
        The dimension m of the real critical manifold near the sample point (None if not proven).
    transverse_inertia : tuple or None
        (n_plus, n_minus) of the Hessian at the sample point; its rank is n - m when the piece is non-degenerate there.
    dos_exponent : sympy.Rational or None
        The exponent (n - m)/2 - 1 of the DOS singularity from generic points of the piece.
    dos_note : str
        The DOS behaviour in words, including the points of the piece where the transverse Hessian degenerates.
    dos : DOSAsymptotic or None
        The piece's own DOS term (a Morse-Bott manifold): the transverse Morse
        term integrated over the piece, ``C = C_0 2^(k/2) int_C |det H_perp|^(-1/2) dtheta / (2 pi)^n``
        with k = n - m, C_0 the prefactor of the Morse normal form with the transverse
        inertia and H_perp the Hessian in the fixed angles (docs/lattices.md#critical-lines-and-surfaces);
        exact when det H_perp is constant on the piece, else 30 digits by mpmath quadrature
        (``exact`` False); prefactors None, with the reason, when det H_perp has a
        real zero on the piece (crossings: see :class:`TorusCrossing`) or the piece is not a
        coordinate subtorus.
    crossing_points : tuple
        The points of the piece where the transverse Hessian degenerates (lines cross there).
    """

    dimension: int
    equations: tuple
    description: str
    value: sympy.Expr = None
    sample_point: tuple = None
    real_dimension: int = None
    transverse_inertia: tuple = None
    dos_exponent: sympy.Expr = None
    dos_note: str = ""
    dos: object = field(default=None, repr=False)
    crossing_points: tuple = ()

    def to_dict(self):
        """JSON-safe form, exact values as sympy strings."""
        return {
            "kind": "torus_component",
            "dimension": self.dimension,
            "equations": [exact_string(e) for e in self.equations],
            "description": self.description,
            "value": None if self.value is None else exact_string(self.value),
            "sample_point": None if self.sample_point is None else [exact_string(c) for c in self.sample_point],
            "real_dimension": self.real_dimension,
            "transverse_inertia": None if self.transverse_inertia is None else list(self.transverse_inertia),
            "dos_exponent": None if self.dos_exponent is None else exact_string(self.dos_exponent),
            "dos_note": self.dos_note,
            "dos": None if self.dos is None else self.dos.to_dict(),
            "crossing_points": [[exact_string(c) for c in p] for p in self.crossing_points],
        }

    @classmethod
    def from_dict(cls, data):
        """Rebuild the component from :meth:`to_dict` output."""
        sample, inertia = data["sample_point"], data["transverse_inertia"]
        return cls(
            data["dimension"],
            tuple(parse_field(e) for e in data["equations"]),
            data["description"],
            parse_field(data["value"]),
            None if sample is None else tuple(parse_field(c) for c in sample),
            data["real_dimension"],
            None if inertia is None else tuple(inertia),
            parse_field(data["dos_exponent"]),
            data["dos_note"],
            None if data.get("dos") is None else DOSAsymptotic.from_dict(data["dos"]),
            tuple(tuple(parse_field(c) for c in p) for p in data.get("crossing_points", ())),
        )


@register("torus_crossing")
@dataclass(frozen=True, slots=True)
class TorusCrossing(Result):
    """A point where critical lines of f cross (the transverse Hessian of each line degenerates there).

    Near the critical value c the point contributes
    ``rho(E) ~ C_+- |E - c|**exponent * log(1/|E - c|)**log_power`` above (C_+) and
    below (C_-) c, in the torus normalisation (docs/conventions.md#density-of-states).
    This term dominates the lines' own terms near c (docs/lattices.md#critical-lines-and-surfaces):
    two lines of extrema crossing with principal part Q(y, z1 z2) (Q a definite quadratic form in
    q + 1 variables, matrix M) give exponent (q - 1)/2, log power 1 and
    C = pi^((q+1)/2) / (Gamma((q+1)/2) sqrt(det M)) on the extremum's side; three saddle lines
    crossing with principal part a z1 z2 z3 (n = 3) give exponent 0, log power 2, C_+ = C_- = 2/|a|
    (both before dividing by the torus volume).

    Attributes
    ----------
    point : tuple
        Exact coordinates.
    value : sympy.Expr
        c, the value of f on the lines.
    lines : tuple of str
        The descriptions of the lines through the point.
    principal_part : sympy.Expr or None
        The weighted principal part of f - c at the point (local coordinates = the variables).
    exponent, log_power : sympy.Rational, int or None
        The leading term's exponent and power of log(1/|E - c|); None when not determined.
    c_plus, c_minus : sympy.Expr or None
        Its coefficients above and below c (exact).
    note : str
        How the term was derived, or why it is not determined.
    """

    point: tuple
    value: sympy.Expr
    lines: tuple
    principal_part: sympy.Expr = None
    exponent: sympy.Expr = None
    log_power: int = None
    c_plus: sympy.Expr = None
    c_minus: sympy.Expr = None
    note: str = field(default="", repr=False)

    @property
    def label(self):
        """ "crossing of k lines"."""
        return f"crossing of {len(self.lines)} lines"

    def to_rows(self):
        rows = [
            ("point", point_text(self.point)),
            ("value", self.value),
            ("lines", "; ".join(self.lines)),
            ("principal part", self.principal_part),
            ("DOS exponent", self.exponent),
            ("log power", self.log_power),
            ("C_+", self.c_plus),
            ("C_-", self.c_minus),
            ("note", self.note or None),
        ]
        return ("quantity", "value"), rows

    def to_dict(self):
        text = lambda v: None if v is None else exact_string(v)  # noqa: E731
        return {
            "kind": "torus_crossing",
            "point": [exact_string(c) for c in self.point],
            "value": exact_string(self.value),
            "type": self.label,
            "lines": list(self.lines),
            "principal_part": text(self.principal_part),
            "dos_exponent": text(self.exponent),
            "log_power": self.log_power,
            "c_plus": text(self.c_plus),
            "c_minus": text(self.c_minus),
            "note": self.note,
        }

    @classmethod
    def from_dict(cls, data):
        """Rebuild the crossing from :meth:`to_dict` output."""
        return cls(
            tuple(parse_field(c) for c in data["point"]),
            parse_field(data["value"]),
            tuple(data["lines"]),
            parse_field(data["principal_part"]),
            parse_field(data["dos_exponent"]),
            data["log_power"],
            parse_field(data["c_plus"]),
            parse_field(data["c_minus"]),
            data["note"],
        )


@register("conical_point")
@dataclass(frozen=True, slots=True)
class ConicalPoint:
    """A zero of the radicand R of a band f = a + b sqrt(R): a band touching (a cone
    when R is Morse), not a critical point.

    The band exists on one side of the touching energy a only: above it
    for b > 0, below it for b < 0.  If R's principal part at the zero is
    positive definite and quasi-homogeneous with weight sum d (R ~ k^T M k
    for a cone, d = n/2; x^2 + y^4 for two merging Dirac points, d = 3/4;
    a definite quartic for three merged ones, d = 1/2), then
    rho(E) = C |E - a|^(2d - 1) on the band's side and 0 on the other
    (docs/dos.md#band-touchings), in the torus normalisation
    (docs/conventions.md#density-of-states).

    Attributes
    ----------
    point : tuple
        Exact coordinates.
    value : sympy.Expr
        The band energy a at the touching.
    matrix : sympy.Matrix
        M = Hessian(R)/2 at the point (in k coordinates); singular for a
        touching of higher order.
    index : int
        The Poincare-Hopf index of grad f at the touching: sign(b)^n (grad f is
        a positive multiple of sign(b) grad R, and R has an isolated minimum there).
    dos : DOSAsymptotic or None
        The band's DOS term there: exponent 2d - 1, ``c_plus`` and ``c_minus``
        (one of them 0), or no exponent and the reason when it is not determined.
    """

    point: tuple
    value: sympy.Expr
    matrix: sympy.Matrix = field(repr=False)
    index: int
    dos: object = field(default=None, repr=False)

    @property
    def touching(self):
        """ "conical" when M is non-singular (R is Morse at the zero), else "higher order"."""
        return "conical" if self.matrix.det() != 0 else "higher order"

    @property
    def label(self):
        """ "conical touching", or "touching" with R's type (e.g. "touching sqrt(A3+)")."""
        if self.touching == "conical":
            return "conical touching"
        return "touching" if self.dos is None or self.dos.label == "touching" else f"touching {self.dos.label}"

    @property
    def exponent(self):
        """The DOS exponent 2d - 1 (1 for a cone in 2D), None when not determined."""
        return None if self.dos is None else self.dos.exponent

    @property
    def dos_coefficient(self):
        """The band's own-side prefactor (C_+ for b > 0, C_- for b < 0); None when not determined."""
        if self.dos is None or self.dos.c_plus is None:
            return None
        return self.dos.c_plus if self.dos.opens == "above" else self.dos.c_minus

    def to_dict(self):
        """JSON-safe form, exact values as sympy strings, with the flat keys of the dos contract."""
        data = {
            "point": [exact_string(c) for c in self.point],
            "value": exact_string(self.value),
            "kind": "conical_point",
            "type": self.label,
            "touching": self.touching,
            "matrix": [[exact_string(e) for e in row] for row in self.matrix.tolist()],
            "dos_coefficient": None if self.dos_coefficient is None else exact_string(self.dos_coefficient),
            "index": self.index,
        }
        if self.dos is not None:
            local = self.dos.to_dict()
            data.update({key: local.get(key) for key in ("dos_exponent", "log_power", "c_plus", "c_minus", "ratio")})
            data["dos"] = local
        return data

    @classmethod
    def from_dict(cls, data):
        """Rebuild the touching from :meth:`to_dict` output."""
        dos = data.get("dos")
        return cls(
            tuple(parse_field(c) for c in data["point"]),
            parse_field(data["value"]),
            sympy.Matrix([[parse_field(e) for e in row] for row in data["matrix"]]),
            data["index"],
            None if dos is None else DOSAsymptotic.from_dict(dos),
        )


@register("torus_critical_points")
@dataclass(frozen=True, slots=True)
class TorusCriticalSet(Result):
    """Every critical point of f in one period cell, the components, conical points, band edges and the Morse sum.

    Attributes
    ----------
    points : tuple of TorusPoint
        Isolated critical points, sorted by value, then coordinates.
    components : tuple of TorusComponent
        Lines or surfaces of critical points.
    conical_points : tuple of ConicalPoint
        Zeros of the radicand of a square-root band.
    band_minimum, band_maximum : sympy.Expr or None
        min f and max f over the torus, exact (None when a component's value is unknown).
    morse_sum : int or None
        The sum of the Poincare-Hopf indices (points and conical points).
    morse_check : bool or None
        True when ``morse_sum`` equals 0, the Euler characteristic of the
        torus; False when it does not (reported, never hidden); None when the
        check does not apply (components, or an index not determined).
    morse_note : str
        Why, in words.
    periods : tuple
        The periods P_j.
    crossings : tuple of TorusCrossing
        Points where critical lines cross, with their DOS term.
    """

    points: tuple
    components: tuple
    conical_points: tuple
    band_minimum: sympy.Expr
    band_maximum: sympy.Expr
    morse_sum: int
    morse_check: bool
    morse_note: str
    periods: tuple
    energy: Energy = field(default=None, repr=False)
    crossings: tuple = ()

    def counts(self):
        """``{label: number of points}``, e.g. {"A1 (index 0)": 1, ...} for Morse points by Morse index.

        Examples
        --------
        >>> from singularities.physics.torus import torus_critical_points
        >>> torus_critical_points("-2*cos(kx) - 2*cos(ky)").counts()
        {'minimum': 1, 'saddle': 2, 'maximum': 1}
        """
        n = len(self.periods)
        counts = {}
        for p in self.points:
            m = p.morse_index
            name = (
                p.label
                if m is None
                else "minimum"
                if m == 0
                else "maximum"
                if m == n
                else "saddle"
                if n == 2
                else f"M{m}"
            )
            counts[name] = counts.get(name, 0) + 1
        return counts

    def van_hove_energies(self):
        """The distinct critical values with the types found there, in increasing order.

        Examples
        --------
        >>> from singularities.physics.torus import torus_critical_points
        >>> torus_critical_points("-2*cos(kx) - 2*cos(ky)").van_hove_energies()
        ((-4, ('A1',)), (0, ('A1', 'A1')), (4, ('A1',)))
        """
        levels = {}
        for p in self.points:
            levels.setdefault(p.value, []).append(p.label)
        for c in self.components:
            if c.value is not None:
                levels.setdefault(c.value, []).append(f"component of dimension {c.real_dimension or c.dimension}")
        return tuple((v, tuple(levels[v])) for v in sorted(levels, key=_numeric_key))

    def crossing_term(self, value):
        """The crossings' leading DOS term at the level ``value``: (exponent, log power, C_+, C_-), summed.

        rho(E) ~ C_+- |E - value|^exponent log(1/|E - value|)^(log power) from the crossing points on that
        level (the most singular of their terms, summed over the points that have it); None when the level has
        no crossing or one of them is not analysed.  Isolated points on the same level are listed separately.

        Examples
        --------
        >>> from singularities.physics.torus import torus_critical_points
        >>> torus_critical_points("(1 - cos(x))*(1 - cos(y))", variables="x,y").crossing_term(0)
        (-1/2, 1, 1/(2*pi**2), 0)
        """
        level = [c for c in self.crossings if c.value == value]
        if not level or any(c.exponent is None for c in level):
            return None
        exponent = min(c.exponent for c in level)
        power = max(c.log_power for c in level if c.exponent == exponent)
        leading = [c for c in level if (c.exponent, c.log_power) == (exponent, power)]
        return (
            exponent,
            power,
            sympy.simplify(sum(c.c_plus for c in leading)),
            sympy.simplify(sum(c.c_minus for c in leading)),
        )

    def to_rows(self):
        header = (
            "critical point",
            "value",
            "type",
            "Morse index",
            "PH index",
            "DOS exponent",
            "log power",
            "C_+",
            "C_-",
            "L",
        )
        rows = [
            (point_text(p.point), p.value, p.label, p.morse_index, p.index) + _dos_columns(p.dos) for p in self.points
        ]
        rows += [
            (c.description, c.value, f"component (dimension {c.real_dimension or c.dimension})", None, None)
            + (_dos_columns(c.dos) if c.dos is not None else (c.dos_exponent,) + (None,) * 4)
            for c in self.components
        ]
        rows += [
            (point_text(c.point), c.value, c.label, None, None, c.exponent, c.log_power)
            + tuple(_short(v) for v in (c.c_plus, c.c_minus))
            + (None,)
            for c in self.crossings
        ]
        rows += [
            (point_text(c.point), c.value, c.label, None, c.index) + _dos_columns(c.dos) for c in self.conical_points
        ]
        rows.append(("band edges", f"[{self.band_minimum}, {self.band_maximum}]") + (None,) * 8)
        rows.append(
            (
                "Morse sum",
                self.morse_sum,
                "ok" if self.morse_check else "not checked" if self.morse_check is None else "FAILED",
            )
            + (None,) * 7
        )
        return header, rows

    def to_dict(self):
        data = {
            "kind": "torus_critical_points",
            "points": [p.to_dict() for p in self.points],
            "components": [c.to_dict() for c in self.components],
            "conical_points": [c.to_dict() for c in self.conical_points],
            "band_minimum": None if self.band_minimum is None else exact_string(self.band_minimum),
            "band_maximum": None if self.band_maximum is None else exact_string(self.band_maximum),
            "morse_sum": self.morse_sum,
            "morse_check": self.morse_check,
            "morse_note": self.morse_note,
            "periods": [exact_string(P) for P in self.periods],
            "crossings": [c.to_dict() for c in self.crossings],
        }
        return self._with_input(data)

    @classmethod
    def from_dict(cls, data):
        """Rebuild the set from :meth:`to_dict` output."""
        return cls(
            tuple(TorusPoint.from_dict(p) for p in data["points"]),
            tuple(TorusComponent.from_dict(c) for c in data["components"]),
            tuple(ConicalPoint.from_dict(c) for c in data["conical_points"]),
            parse_field(data["band_minimum"]),
            parse_field(data["band_maximum"]),
            data["morse_sum"],
            data["morse_check"],
            data["morse_note"],
            tuple(parse_field(P) for P in data["periods"]),
            from_dict(data.get("input")),
            tuple(TorusCrossing.from_dict(c) for c in data.get("crossings", ())),
        )


# ---------------------------------------------------------------------------
# small helpers


def _numeric_key(value):
    return sympy.N(value, 50)


def _dos_columns(dos):
    """(exponent, log power, C_+, C_-, L) of a point's DOS term, compact: long closed forms as 30 digits."""
    if dos is None:
        return (None,) * 5
    short = _short
    return (
        dos.exponent,
        dos.log_power,
        short(dos.c_plus),
        short(dos.c_minus),
        short(dos.log_coefficient) if dos.log_power else None,
    )


def _short(value):
    """A long closed form as 30 digits, for the table."""
    return value if value is None or len(sympy.sstr(value)) <= 30 else sympy.N(value, 30)


def _dos_field(dos, name):
    return None if dos is None else getattr(dos, name, None)
