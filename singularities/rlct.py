"""The real log canonical threshold lambda and its multiplicity m, with a certificate.

Conventions and the theorems applied: docs/conventions.md#the-real-log-canonical-threshold
and docs/conventions.md#theorems-the-package-applies.  ``rlct`` is the one
dispatcher over methods; this version has the Newton-polyhedron method, and
it says plainly when that method cannot settle a case.
"""

from dataclasses import dataclass, field
from enum import Enum
from math import gcd

import sympy

from ._exact import parse_exact, require_exact
from ._limits import Deadline, call_with_limit
from ._result import Result
from .energy import Energy, as_energy
from .classify import classify
from .errors import MethodNotApplicableError, NotCriticalError, NotZeroError, TimeLimitError
from .jets import local_expression, local_terms
from .newton import Face, polyhedron_from_terms
from .nondegeneracy import Answer, nondegeneracy
from .ideals import sum_of_squares
from .blowup import ResolutionCertificate, resolve
from .truncation import JetCertificate, jet_rlct

__all__ = ["Status", "NewtonCertificate", "PrincipalPartCertificate", "RLCT", "rlct", "principal_part_rlct", "free_energy_terms", "METHODS"]

METHODS = ("auto", "newton", "principal part", "blowup")
SPLIT_SECONDS = 10.0
CLASSIFY_SECONDS = 15.0
BLOWUP_SECONDS = 60.0


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
        """(quantity, value) rows for the result table."""
        rows = [("reduced to", f"g = unit * ({sympy.sstr(self.reduced)})**{self.power}")] if self.reduced is not None else []
        return rows + [
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
            "kind": "newton",
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
            face_polynomial=sympy.sympify(data["face_polynomial"], rational=True),
            codimension=data["codimension"],
            strong=Answer(data["nondegenerate"]["strong"]),
            weak=Answer(data["nondegenerate"]["weak"]),
            principal_zero=_negate(Answer(data["principal_face_has_torus_zero"])),
            theorem=data["theorem"],
            reason=data["reason"],
            power=data["power"],
            reduced=None if data["reduced_function"] is None else sympy.sympify(data["reduced_function"], rational=True),
        )


@dataclass(frozen=True, slots=True)
class PrincipalPartCertificate:
    """Theorem Q: the classification found a quasi-homogeneous principal part (docs/conventions.md#theorems-the-package-applies).

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
        """(quantity, value) rows for the result table."""
        return [
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
        return cls(data["type"], parse_exact(data["principal_part"]), tuple(sympy.Rational(w) for w in data["weights"]),
                   sympy.Rational(data["weight_sum"]), data["definite"], data["theorem"], data["reason"])


@dataclass(frozen=True, slots=True)
class RLCT(Result):
    """Real log canonical threshold lambda and multiplicity m of |g| at a point.

    See docs/conventions.md#the-real-log-canonical-threshold.  With status
    ``BOUND``, ``threshold`` is a proven upper bound for lambda and
    ``multiplicity`` is None.

    Attributes
    ----------
    threshold : sympy.Rational
        lambda (or its upper bound).
    multiplicity : int or None
        m, the order of the pole -lambda.
    status : Status
        PROVEN, BOUND or UNKNOWN.
    method : str
        The method that produced the result ("newton").
    certificate : NewtonCertificate
        The data a reader needs to re-check the result.
    """

    threshold: sympy.Rational
    multiplicity: int
    status: Status
    method: str
    certificate: NewtonCertificate = field(default=None, repr=False)
    energy: Energy = field(default=None, repr=False)

    def __post_init__(self):
        require_exact(self.threshold, "threshold")

    def free_energy_terms(self, n):
        """lambda log n - (m - 1) log log n, the first singular terms of F_n (PROVEN results only).

        Examples
        --------
        >>> sg.rlct("x**2*y**2").free_energy_terms(sympy.Symbol("n"))
        log(n)/2 - log(log(n))
        """
        if self.status is not Status.PROVEN:
            raise ValueError(f"the RLCT is only {self.status.value}; the free energy terms need proven lambda and m")
        return free_energy_terms(self.threshold, self.multiplicity, n)

    def free_energy(self, n="n"):
        """The Bayes free energy F_n = n L_n + lambda log n - (m - 1) log log n + O_p(1), as text (PROVEN only).

        Examples
        --------
        >>> sg.rlct("x**2*y**2").free_energy()
        'n*L_n + log(n)/2 - log(log(n)) + O_p(1)'
        """
        return f"{n}*L_n + {sympy.sstr(self.free_energy_terms(sympy.Symbol(n)))} + O_p(1)"

    def generalization_error(self, n="n"):
        """The Bayes generalisation error E[G_n] = lambda / n + o(1/n), as text (PROVEN only).

        Examples
        --------
        >>> sg.rlct("x**2 + y**4").generalization_error()
        '3/(4*n) + o(1/n)'
        """
        if self.status is not Status.PROVEN:
            raise ValueError(f"the RLCT is only {self.status.value}; the generalisation error needs a proven lambda")
        return f"{sympy.sstr(self.threshold / sympy.Symbol(n))} + o(1/{n})"

    def to_rows(self):
        rows = [
            ("threshold (lambda)", ("<= " + sympy.sstr(self.threshold)) if self.status is Status.BOUND else self.threshold),
            ("multiplicity (m)", self.multiplicity),
            ("status", self.status.value),
            ("method", self.method),
        ]
        if self.status is Status.PROVEN:
            rows += [("free energy F_n", self.free_energy()), ("generalisation E[G_n]", self.generalization_error())]
        if self.certificate is not None:
            rows += self.certificate.to_rows()
        return ("quantity", "value"), rows

    def to_dict(self):
        data = {
            "kind": "rlct",
            "threshold": None if self.threshold is None else sympy.sstr(self.threshold),
            "multiplicity": self.multiplicity,
            "status": self.status.value,
            "method": self.method,
            "certificate": None if self.certificate is None else self.certificate.to_dict(),
        }
        if self.status is Status.PROVEN:
            data["free_energy"] = self.free_energy()
            data["generalization_error"] = self.generalization_error()
        if self.energy is not None:
            data["input"] = self.energy.to_dict()
        return data

    @classmethod
    def from_dict(cls, data):
        """Rebuild the result from :meth:`to_dict` output.

        Examples
        --------
        >>> result = sg.rlct("x**2 - y**2")
        >>> sg.RLCT.from_dict(result.to_dict()) == result
        True
        """
        certificate = data.get("certificate")
        source = data.get("input")
        energy = None if source is None else Energy.from_dict(source)
        return cls(
            threshold=None if data["threshold"] is None else sympy.Rational(data["threshold"]),
            multiplicity=data["multiplicity"],
            status=Status(data["status"]),
            method=data["method"],
            certificate=_certificate_from_dict(certificate),
            energy=energy,
        )


def rlct(g, point=None, *, variables=None, parameters=None, method="auto", timeout=None):
    """The RLCT lambda and multiplicity m of |g| at a zero of g.

    Parameters
    ----------
    g : str, sympy.Expr, Energy, or a list of str / sympy.Expr
        A real analytic function vanishing at the point (a loss K >= 0, or a
        sign-changing g: see docs/conventions.md#the-real-log-canonical-threshold).
        A list [f_1, ..., f_r] means K = f_1^2 + ... + f_r^2, treated as the
        ideal (f_1, ..., f_r) by the blow-up search
        (docs/conventions.md#ideals-and-sums-of-squares).
    point : sequence or str, optional
        The zero of g; default the origin.
    variables : str or sequence, optional
        Variable order.
    parameters : str or dict, optional
        Parameter values, as for :class:`Energy`.
    method : {"auto", "newton", "principal part", "blowup"}
        "auto" tries Newton's method, then (at a critical point) the
        classification's quasi-homogeneous principal part (theorem Q), then
        for polynomials the blow-up search (theorem B) within the remaining
        time; "blowup" runs only the search, whose certificate is a tree of
        charts (:class:`~singularities.blowup.ResolutionCertificate`).
    timeout : float, optional
        Time limit in seconds.

    Returns
    -------
    RLCT
        Exact lambda and m with status PROVEN, or an upper bound with status
        BOUND when no theorem applies; never a guess.

    Raises
    ------
    NotZeroError
        If g does not vanish at the point.
    TimeLimitError
        If the time limit passes.

    Examples
    --------
    >>> sg.rlct("x**2*y**2")
    RLCT(threshold=1/2, multiplicity=2, status=<Status.PROVEN: 'proven'>, method='newton')
    >>> sg.rlct("x**2 - y**2")  # sign-changing: regular real zeros add a pole at -1
    RLCT(threshold=1, multiplicity=2, status=<Status.PROVEN: 'proven'>, method='newton')
    >>> sg.rlct("(y - x**2)**2 + x**5")  # degenerate face; the classification (A4) settles it
    RLCT(threshold=7/10, multiplicity=1, status=<Status.PROVEN: 'proven'>, method='principal part')
    >>> sg.rlct("(y - x**2)**2 + x**5", method="newton").status  # Newton alone: only a bound
    <Status.BOUND: 'bound'>
    """
    if method not in METHODS:
        raise MethodNotApplicableError(method, f"unknown method; choose one of {', '.join(METHODS)}")
    deadline = Deadline.coerce(timeout)
    energy = as_energy(_sum_of_squares_input(g), point, variables=variables, parameters=parameters)
    if energy.truncation is not None:  # a Taylor jet K_N of K: proven for K only with a sufficiency argument (truncation.py)
        return jet_rlct(energy, lambda jet, how, limit: rlct(jet, method=how, timeout=limit), method=method, timeout=deadline)
    if method == "principal part":
        return _rlct_principal_part(energy, deadline)
    if method == "blowup":
        return _rlct_blowup(energy, deadline)
    result = _rlct_newton(energy, deadline)
    if method == "newton" or result.status is Status.PROVEN:
        return result
    result = _principal_part_or(result, energy, deadline)
    return result if result.status is Status.PROVEN else _blowup_or(result, energy, deadline)


def free_energy_terms(threshold, multiplicity, n):
    """lambda log n - (m - 1) log log n, the singular terms of the Bayes free energy F_n (docs/conventions.md).

    Examples
    --------
    >>> from singularities.rlct import free_energy_terms
    >>> free_energy_terms(sympy.Rational(1, 2), 2, sympy.Symbol("n"))
    log(n)/2 - log(log(n))
    """
    n = sympy.sympify(n)
    return threshold * sympy.log(n) - (multiplicity - 1) * sympy.log(sympy.log(n))


def principal_part_rlct(classification):
    """lambda and m of |g| from a classified critical point's principal part (theorem Q), or None.

    Examples
    --------
    >>> from singularities.rlct import principal_part_rlct
    >>> principal_part_rlct(sg.classify("x**3 + y**4"))
    RLCT(threshold=7/12, multiplicity=1, status=<Status.PROVEN: 'proven'>, method='principal part')
    """
    part = classification.principal_part
    if part is None:
        return None
    d, definite = part.weight_sum, classification.opens in ("above", "below")
    threshold, multiplicity = (d, 1) if definite else (min(d, sympy.Integer(1)), 2 if d == 1 else 1)
    morse = sympy.symbols(f"u1:{len(part.squares) + 1}")
    expression = part.core + sum(c * u**2 for c, u in zip(part.squares, morse))
    weights = tuple(part.weights) + (sympy.Rational(1, 2),) * len(part.squares)
    reason = (f"{classification.label}: g = (quasi-homogeneous part of degree 1 with isolated critical point) + higher "
              f"weighted order in adapted coordinates; {'definite, so lambda = d' if definite else 'sign-changing, so lambda = min(d, 1)'}")
    certificate = PrincipalPartCertificate(classification.label, expression, weights, d, definite, "Q", reason)
    return RLCT(threshold, multiplicity, Status.PROVEN, "principal part", certificate, classification.energy)


def _rlct_principal_part(energy, deadline):
    """Theorem Q through the classification; MethodNotApplicableError when the point is not classified."""
    result = principal_part_rlct(classify(energy, timeout=deadline))
    if result is None:
        raise MethodNotApplicableError("principal part", "the point is not classified (not simple beyond X9/J10/P8, or not isolated)")
    return result


def _principal_part_or(fallback, energy, deadline):
    """Theorem Q when g is critical at the point and classifiable within CLASSIFY_SECONDS, else ``fallback``."""
    try:
        classification = classify(energy, timeout=deadline.sub(CLASSIFY_SECONDS))
    except NotCriticalError:
        return fallback
    except TimeLimitError:
        if deadline.expired():
            raise
        return fallback
    return principal_part_rlct(classification) or fallback


def _rlct_blowup(energy, deadline):
    """Theorem B: the blow-up search on the polynomial g (an ideal when g is a sum of squares).

    PROVEN when every chart is finished; otherwise BOUND by the smallest
    finished chart (lambda <= lambda_C), or UNKNOWN when no chart finished.
    """
    if not energy.is_polynomial() or energy.free_parameters:
        raise MethodNotApplicableError("blowup", "the blow-up search needs a polynomial with numeric coefficients")
    g = local_expression(energy, subtract_value=False)
    if energy.value() != 0:
        raise NotZeroError(energy.value(), tuple(energy.point))
    variables = energy.variables
    squares = sum_of_squares(g, variables)
    certificate = resolve(g, variables, squares=squares, timeout=deadline)
    if certificate.complete:
        return RLCT(certificate.threshold, certificate.multiplicity, Status.PROVEN, "blowup", certificate, energy)
    status = Status.BOUND if certificate.threshold is not None else Status.UNKNOWN
    return RLCT(certificate.threshold, None, status, "blowup", certificate, energy)


def _blowup_or(fallback, energy, deadline):
    """The blow-up search within BLOWUP_SECONDS when it proves (lambda, m), else ``fallback``."""
    if not energy.is_polynomial() or energy.free_parameters:
        return fallback
    result = _rlct_blowup(energy, deadline.sub(BLOWUP_SECONDS))
    if deadline.expired():
        deadline.check("blow-up search")
    return result if result.status is Status.PROVEN else fallback


def _sum_of_squares_input(g):
    """A list of generators [f_1, ..., f_r] becomes the unexpanded sum f_1**2 + ... + f_r**2."""
    if not isinstance(g, (list, tuple)):
        return g
    terms = [sympy.sympify(f, rational=True) if isinstance(f, str) else f for f in g]
    return sympy.Add(*(f**2 for f in terms), evaluate=False)


def _certificate_from_dict(data):
    if data is None:
        return None
    kind = data.get("kind", "newton")
    if kind == "jet":
        return JetCertificate.from_dict(data, _certificate_from_dict)
    classes = {"principal part": PrincipalPartCertificate, "resolution": ResolutionCertificate}
    return classes.get(kind, NewtonCertificate).from_dict(data)


def _rlct_newton(energy, deadline):
    """Newton's method on g; if it cannot settle g = u * h^k (u a unit), on h (theorem P)."""
    result = _newton_result(energy, local_terms(energy, timeout=deadline), deadline)
    if result.status is Status.PROVEN:
        return result
    power, reduced = _power_reduction(energy, deadline)
    if reduced is None:
        return result
    reduced_result = _newton_result(energy, _polynomial_terms(reduced, energy.variables), deadline, power, reduced)
    return reduced_result if reduced_result.status is Status.PROVEN else result


def _newton_result(energy, terms, deadline, power=1, reduced=None):
    polyhedron = polyhedron_from_terms(energy.variables, terms, timeout=deadline)
    report = nondegeneracy(polyhedron, stop_on_failure=True, timeout=deadline)
    tau = polyhedron.principal_face
    threshold, multiplicity, status, theorem, reason = _decide(polyhedron, report, _principal_zero(report, tau))
    if reduced is not None:
        reason = f"for h with g = unit * h**{power}: {reason}; theorem P divides lambda by {power}, m unchanged"
    certificate = NewtonCertificate(
        newton_distance=polyhedron.newton_distance,
        face=tau,
        face_polynomial=polyhedron.face_polynomial(tau),
        codimension=polyhedron.codimension,
        strong=report.strong,
        weak=report.weak,
        principal_zero=_principal_zero(report, tau),
        theorem=theorem if reduced is None else f"{theorem} and P",
        reason=reason,
        power=power,
        reduced=reduced,
    )
    return RLCT(threshold / power, multiplicity, status, "newton", certificate, energy)


def _principal_zero(report, tau):
    """Whether no compact face inside tau has a real torus zero (YES: none; NO: one has)."""
    answer = Answer.all_of(c.strong for c in report.faces if set(c.face.vertices) <= set(tau.vertices))
    return answer if report.complete or answer is Answer.NO else Answer.UNDECIDED


def _decide(polyhedron, report, no_zero_in_tau):
    """Apply theorems N1 and N2 (docs/conventions.md#theorems-the-package-applies).

    ``no_zero_in_tau`` answers whether no compact face inside the principal
    face tau has a real torus zero; it decides m when 1/t = 1.
    """
    inverse, c = 1 / polyhedron.newton_distance, polyhedron.codimension
    if report.strong is Answer.YES:
        return inverse, c, Status.PROVEN, "N1", "strongly non-degenerate: lambda = 1/t, m = c"
    if report.weak is not Answer.YES:
        return _bound(inverse, report)
    if inverse < 1:
        return inverse, c, Status.PROVEN, "N2", "weakly non-degenerate with 1/t < 1: lambda = 1/t, m = c"
    if inverse > 1:
        if report.strong is Answer.NO:
            return sympy.Integer(1), 1, Status.PROVEN, "N2", "weakly non-degenerate, 1/t > 1, real zeros in the torus: lambda = 1, m = 1"
        return inverse, None, Status.BOUND, "N2", "weakly non-degenerate with 1/t > 1 but torus zeros undecided: lambda is 1 or 1/t"
    if no_zero_in_tau is Answer.YES:
        return inverse, c, Status.PROVEN, "N2", "weakly non-degenerate, 1/t = 1, no compact face in tau has a torus zero: lambda = 1, m = c"
    if no_zero_in_tau is Answer.NO:
        return inverse, c + 1, Status.PROVEN, "N2", "weakly non-degenerate, 1/t = 1, a compact face in tau has real torus zeros: lambda = 1, m = c + 1"
    return inverse, None, Status.BOUND, "N2", "weakly non-degenerate with 1/t = 1: lambda = 1 exactly, but m (c or c + 1) is not settled"


def _bound(inverse, report):
    regular_zero = any(ch.strong is Answer.NO and ch.weak is Answer.YES for ch in report.faces)
    threshold = min(inverse, sympy.Integer(1)) if regular_zero else inverse
    why = "a compact face polynomial has a singular torus zero" if report.weak is Answer.NO else "non-degeneracy is undecided"
    extra = " and g changes sign (lambda <= 1)" if regular_zero and inverse > 1 else ""
    return threshold, None, Status.BOUND, "upper bound", f"{why}: only lambda <= 1/t is proven{extra}; the value needs a coordinate change or blow-ups"


def _power_reduction(energy, deadline):
    """(k, h) with g = u * h^k, u(0) != 0 and k maximal, for polynomial g; (1, None) when h would be g.

    Units u (factors not vanishing at the point) do not change the poles of
    the zeta function, so they are dropped (docs/conventions.md#theorems-the-package-applies).
    """
    if not energy.is_polynomial():
        return 1, None
    variables = energy.variables
    origin = {v: 0 for v in variables}
    _, factors = call_with_limit(deadline, "square-free factorisation of g", sympy.sqf_list, local_expression(energy), *variables)
    vanishing, dropped = [], False
    for factor, multiplicity in factors:
        for piece, times in _split_units(factor, variables, deadline):
            if piece.xreplace(origin) == 0:
                vanishing.append((piece, multiplicity * times))
            else:
                dropped = True
    k = 0
    for _, multiplicity in vanishing:
        k = gcd(k, multiplicity)
    if k <= 1 and not dropped:
        return 1, None
    return k, sympy.Mul(*(f ** (m // k) for f, m in vanishing))


def _split_units(factor, variables, deadline):
    """Irreducible pieces of a factor vanishing at 0 (within a short budget), else the factor itself."""
    if factor.xreplace({v: 0 for v in variables}) != 0:
        return [(factor, 1)]
    try:
        _, pieces = call_with_limit(deadline.sub(SPLIT_SECONDS), "factoring g", sympy.factor_list, factor, *variables)
    except TimeLimitError:
        if deadline.expired():
            raise
        return [(factor, 1)]
    return pieces


def _polynomial_terms(h, variables):
    poly = sympy.Poly(sympy.expand(h), *variables)
    return {tuple(map(int, e)): c for e, c in poly.terms() if c != 0}


def _negate(answer):
    return {Answer.YES: Answer.NO, Answer.NO: Answer.YES}.get(answer, Answer.UNDECIDED)
