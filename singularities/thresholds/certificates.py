"""What each RLCT method checked and how much it proves: the status and the
certificates of Newton, theorem Q and a bound.

The resolution certificate of the blow-up search (theorem B) is
:class:`~singularities.thresholds.resolution.ResolutionCertificate`; every
certificate is re-checked (:mod:`~singularities.thresholds.recheck`) before a
result is called proven (docs/rlct.md#re-checked-certificates).
"""

from dataclasses import dataclass
from enum import Enum

import sympy

from .._exact import parse_exact
from .._result import from_dict, register
from ..algebra.realzeros import Answer
from ..polyhedra.newton import Face

__all__ = [
    "ArrangementCertificate",
    "BoundCertificate",
    "NewtonCertificate",
    "PrincipalPartCertificate",
    "SeparationCertificate",
    "Status",
    "TheoremCertificate",
]


class Status(str, Enum):
    """How much of an RLCT result is proven.

    ``PROVEN``: lambda and m both follow from a theorem whose hypotheses were
    checked exactly.  ``BOUND``: only lambda <= threshold is proven, and m is
    not reported.  ``UNKNOWN``: nothing beyond the certificate is proven.
    """

    PROVEN = "proven"
    BOUND = "bound"
    UNKNOWN = "unknown"

    def __repr__(self):
        return f"<Status.{self.name}: {self.value!r}>"


@register("newton_certificate")
@dataclass(frozen=True, slots=True)
class NewtonCertificate:
    """What the Newton method checked and which theorem it applied.

    ``theorem`` is "N1" (strong non-degeneracy), "N2" (weak non-degeneracy)
    or "upper bound" (lambda <= 1/t only), with "and P" when g = u * h^k
    (u a unit, u(0) != 0) was reduced to h; ``power`` is then k and
    ``reduced`` is h, and the Newton data are those of h.
    """

    newton_distance: sympy.Rational
    face: Face
    face_polynomial: sympy.Expr
    codimension: int
    strong: Answer
    weak: Answer
    principal_zero: Answer  # YES: no compact face inside tau has a real torus zero
    theorem: str
    reason: str
    power: int = 1
    reduced: sympy.Expr = None

    def to_rows(self):
        """``(header, rows)``: (quantity, value) rows for the result table."""
        rows = (
            [("reduced to", f"g = unit * ({sympy.sstr(self.reduced)})**{self.power}")]
            if self.reduced is not None
            else []
        )
        return ("quantity", "value"), rows + [
            ("theorem", self.theorem),
            ("Newton distance t", self.newton_distance),
            ("principal face", self.face_polynomial),
            ("codimension c", self.codimension),
            ("strong non-degeneracy", self.strong.value),
            ("weak non-degeneracy", self.weak.value),
            ("reason", self.reason),
        ]

    def to_dict(self):
        """JSON-safe form; ``principal_face_has_torus_zero`` answers whether g_tau vanishes in the real torus."""
        return {
            "kind": "newton_certificate",
            "newton_distance": sympy.sstr(self.newton_distance),
            "face": self.face.to_dict(),
            "face_polynomial": sympy.sstr(self.face_polynomial),
            "codimension": self.codimension,
            "nondegenerate": {"strong": self.strong.value, "weak": self.weak.value},
            "principal_face_has_torus_zero": _negate(self.principal_zero).value,
            "theorem": self.theorem,
            "reason": self.reason,
            "power": self.power,
            "reduced_function": None if self.reduced is None else sympy.sstr(self.reduced),
        }

    @classmethod
    def from_dict(cls, data):
        """Rebuild a certificate from :meth:`to_dict` output."""
        return cls(
            newton_distance=sympy.Rational(data["newton_distance"]),
            face=Face.from_dict(data["face"]),
            face_polynomial=parse_exact(data["face_polynomial"]),
            codimension=data["codimension"],
            strong=Answer(data["nondegenerate"]["strong"]),
            weak=Answer(data["nondegenerate"]["weak"]),
            principal_zero=_negate(Answer(data["principal_face_has_torus_zero"])),
            theorem=data["theorem"],
            reason=data["reason"],
            power=data["power"],
            reduced=None if data["reduced_function"] is None else parse_exact(data["reduced_function"]),
        )


@register("principal part")
@dataclass(frozen=True, slots=True)
class PrincipalPartCertificate:
    """Theorem Q: the classification found a quasi-homogeneous principal part
    (docs/conventions.md#theorems-the-package-applies).

    ``principal_part`` is sum d_i u_i^2 + core(x, y, ...) in adapted
    coordinates; ``weights`` are those of the core variables followed by 1/2
    for each u_i, and ``weight_sum`` is d.  ``definite`` says whether the
    principal part keeps one sign (then lambda = d, m = 1; otherwise
    lambda = min(d, 1) and m = 2 exactly when d = 1).
    """

    label: str
    principal_part: sympy.Expr
    weights: tuple
    weight_sum: sympy.Rational
    definite: bool
    theorem: str = "Q"
    reason: str = ""

    def to_rows(self):
        """``(header, rows)``: (quantity, value) rows for the result table."""
        return ("quantity", "value"), [
            ("theorem", self.theorem),
            ("type", self.label),
            ("principal part", self.principal_part),
            ("weights", ", ".join(map(sympy.sstr, self.weights))),
            ("weight sum d", self.weight_sum),
            ("definite", "yes" if self.definite else "no"),
            ("reason", self.reason),
        ]

    def to_dict(self):
        return {
            "kind": "principal part",
            "type": self.label,
            "principal_part": sympy.sstr(self.principal_part),
            "weights": [sympy.sstr(w) for w in self.weights],
            "weight_sum": sympy.sstr(self.weight_sum),
            "definite": self.definite,
            "theorem": self.theorem,
            "reason": self.reason,
        }

    @classmethod
    def from_dict(cls, data):
        """Rebuild a certificate from :meth:`to_dict` output."""
        return cls(
            data["type"],
            parse_exact(data["principal_part"]),
            tuple(sympy.Rational(w) for w in data["weights"]),
            sympy.Rational(data["weight_sum"]),
            data["definite"],
            data["theorem"],
            data["reason"],
        )


@register("theorem")
@dataclass(frozen=True, slots=True)
class TheoremCertificate:
    """A published theorem whose hypotheses were checked: the recognised form of the loss and the point's data.

    ``name`` and ``citation`` name the theorem; ``sizes`` holds its integer
    data (the widths H_0 (inputs), ..., H_L (outputs), the true rank r and,
    for reduced rank regression, the case); ``factors`` are the variable names
    of the matrices W_L, ..., W_1 (for reduced rank regression B, A),
    ``target`` the exact matrix C and ``scale`` q > 0, with
    K = q ||W_L ... W_1 - C||^2; ``reason`` says in one line what was checked.
    """

    name: str
    citation: str
    sizes: dict
    factors: tuple
    target: tuple
    scale: sympy.Rational
    reason: str = ""

    @property
    def theorem(self):
        """The theorem's short name."""
        return self.name

    def to_rows(self):
        """``(header, rows)``: (quantity, value) rows for the result table."""
        sizes = ", ".join(f"{k} = {v}" for k, v in self.sizes.items())
        names = [f"W{len(self.factors) - i}" for i in range(len(self.factors))]
        return ("quantity", "value"), [
            ("theorem", self.name),
            ("source", self.citation),
            ("data", sizes),
            *((name, _matrix_text(f)) for name, f in zip(names, self.factors)),
            ("C", _matrix_text(self.target)),
            ("reason", self.reason),
        ]

    def to_dict(self):
        return {
            "kind": "theorem",
            "theorem": self.name,
            "citation": self.citation,
            "sizes": {k: list(v) if isinstance(v, tuple) else v for k, v in self.sizes.items()},
            "factors": [[list(row) for row in f] for f in self.factors],
            "target": [[sympy.sstr(c) for c in row] for row in self.target],
            "scale": sympy.sstr(self.scale),
            "reason": self.reason,
        }

    @classmethod
    def from_dict(cls, data):
        """Rebuild a certificate from :meth:`to_dict` output."""
        return cls(
            data["theorem"],
            data["citation"],
            {k: tuple(v) if isinstance(v, list) else v for k, v in data["sizes"].items()},
            tuple(tuple(tuple(row) for row in f) for f in data["factors"]),
            tuple(tuple(sympy.Rational(c) for c in row) for row in data["target"]),
            sympy.Rational(data["scale"]),
            data["reason"],
        )


def _matrix_text(rows):
    return "[" + "; ".join(", ".join(map(str, row)) for row in rows) + "]"


@register("arrangement")
@dataclass(frozen=True, slots=True)
class ArrangementCertificate:
    """g = u * prod l_i^(e_i), a hyperplane arrangement: lambda and m from its dense flats (Mustata, Teitler).

    ``normals`` are the coefficient rows of the linear forms l_i (in the
    variables, centred at the point), ``exponents`` the e_i; ``minimisers``
    are the dense flats (as hyperplane indices) attaining min codim / N, and
    ``nested`` the largest nested family among them, whose size is m.
    """

    normals: tuple
    exponents: tuple
    minimisers: tuple
    nested: tuple
    reason: str = ""

    @property
    def theorem(self):
        """ "arrangement (Mustata-Teitler)"."""
        return "arrangement (Mustata-Teitler)"

    def to_rows(self):
        """``(header, rows)``: (quantity, value) rows for the result table."""
        forms = ", ".join(f"({', '.join(map(sympy.sstr, n))})^{e}" for n, e in zip(self.normals, self.exponents))
        return ("quantity", "value"), [
            ("theorem", self.theorem),
            ("linear forms (normals)^e", forms),
            ("minimising dense flats", "; ".join(str(list(f)) for f in self.minimisers)),
            ("largest nested family", "; ".join(str(list(f)) for f in self.nested)),
            ("reason", self.reason),
        ]

    def to_dict(self):
        return {
            "kind": "arrangement",
            "normals": [[sympy.sstr(c) for c in n] for n in self.normals],
            "exponents": list(self.exponents),
            "minimisers": [list(f) for f in self.minimisers],
            "nested": [list(f) for f in self.nested],
            "reason": self.reason,
        }

    @classmethod
    def from_dict(cls, data):
        """Rebuild a certificate from :meth:`to_dict` output."""
        return cls(
            tuple(tuple(sympy.Rational(c) for c in n) for n in data["normals"]),
            tuple(data["exponents"]),
            tuple(tuple(f) for f in data["minimisers"]),
            tuple(tuple(f) for f in data["nested"]),
            data["reason"],
        )


@register("separation")
@dataclass(frozen=True, slots=True)
class SeparationCertificate:
    """g is a sum of squares or a product of parts in disjoint groups of variables, each part settled on its own.

    ``kind`` is "sum" (lambda adds, m = sum m_j - (k - 1)) or "product"
    (lambda = min, m adds over the parts at the minimum); ``parts`` are the
    parts as polynomials in coordinates centred at the point, ``groups``
    their variable names, and ``results`` the parts' RLCT results with their
    own certificates (each re-checked again with the whole).
    """

    kind: str
    parts: tuple
    groups: tuple
    results: tuple
    reason: str = ""

    @property
    def theorem(self):
        """ "separation (sum)" or "separation (product)"."""
        return f"separation ({self.kind})"

    def to_rows(self):
        """``(header, rows)``: (quantity, value) rows for the result table."""
        rows = [("theorem", self.theorem)]
        for part, group, result in zip(self.parts, self.groups, self.results):
            pair = f"lambda = {result.threshold}, m = {result.multiplicity} ({result.method})"
            rows.append((f"part in {', '.join(group)}", f"{sympy.sstr(part)}: {pair}"))
        return ("quantity", "value"), rows + [("reason", self.reason)]

    def to_dict(self):
        return {
            "kind": "separation",
            "separation": self.kind,
            "parts": [sympy.sstr(p) for p in self.parts],
            "groups": [list(g) for g in self.groups],
            "results": [r.to_dict() for r in self.results],
            "reason": self.reason,
        }

    @classmethod
    def from_dict(cls, data):
        """Rebuild a certificate from :meth:`to_dict` output."""
        return cls(
            data["separation"],
            tuple(parse_exact(p) for p in data["parts"]),
            tuple(tuple(g) for g in data["groups"]),
            tuple(from_dict(r) for r in data["results"]),
            data["reason"],
        )


@register("bound")
@dataclass(frozen=True, slots=True)
class BoundCertificate:
    """Why only an upper bound, or nothing, is proven: the bound's argument and what stopped the methods.

    ``threshold`` is the proven bound (lambda <= threshold), or None when
    nothing is proven; ``argument`` proves the bound in one line, and
    ``reason`` says what kept lambda and m from being proven (a time limit,
    a certificate that failed its re-check).
    """

    threshold: sympy.Rational
    argument: str
    reason: str

    @property
    def theorem(self):
        """ "upper bound", or "none" without a bound."""
        return "none" if self.threshold is None else "upper bound"

    def to_rows(self):
        """``(header, rows)``: (quantity, value) rows for the result table."""
        return ("quantity", "value"), [("theorem", self.theorem), ("bound", self.argument), ("reason", self.reason)]

    def to_dict(self):
        return {
            "kind": "bound",
            "threshold": None if self.threshold is None else sympy.sstr(self.threshold),
            "argument": self.argument,
            "reason": self.reason,
            "theorem": self.theorem,
        }

    @classmethod
    def from_dict(cls, data):
        """Rebuild a certificate from :meth:`to_dict` output."""
        threshold = data.get("threshold")
        return cls(None if threshold is None else sympy.Rational(threshold), data["argument"], data["reason"])


def _negate(answer):
    return {Answer.YES: Answer.NO, Answer.NO: Answer.YES}.get(answer, Answer.UNDECIDED)
