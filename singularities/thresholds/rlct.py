"""The real log canonical threshold lambda and its multiplicity m, with a certificate.

Conventions and the theorems applied: docs/conventions.md#the-real-log-canonical-threshold
and docs/conventions.md#theorems-the-package-applies.  ``rlct`` is the one
dispatcher over methods (Newton polyhedra, the classification's principal
part, the blow-up search); no answer is PROVEN before its certificate passes
an independent re-check (docs/rlct.md#re-checked-certificates), and a time
limit ends with the best bound proven so far, never with nothing.
"""

from dataclasses import dataclass, field, replace
from math import gcd

import sympy

from .._exact import parse_exact, require_exact
from .._limits import BUDGETS, Deadline, call_with_limit
from .._result import Result, from_dict, register
from ..algebra.realroots import hessian_inertia
from ..algebra.realzeros import Answer
from ..energy import Energy, as_energy
from ..errors import (
    MethodNotApplicableError,
    NotCriticalError,
    NotZeroError,
    TimeLimitError,
    UnknownMethodError,
)
from ..jets import local_expression, local_terms
from ..local.classify import classify
from ..polyhedra.ideals import sum_of_squares
from ..polyhedra.newton import polyhedron_from_terms
from ..polyhedra.nondegeneracy import nondegeneracy
from .arrangements import arrangement, arrangement_rlct
from .blowup import resolve
from .certificates import (
    ArrangementCertificate,
    BoundCertificate,
    NewtonCertificate,
    PrincipalPartCertificate,
    SeparationCertificate,
    Status,
)
from .recheck import Progress, accepted, polynomial_terms, principal_part_failure
from .separation import combine, product_parts, sum_parts
from .theorems import matrix_product_rlct, theorem_value
from .truncation import jet_rlct

__all__ = ["METHODS", "RLCT", "free_energy_terms", "principal_part_rlct", "rlct"]

METHODS = ("auto", "theorem", "newton", "principal part", "blowup")


@register("rlct")
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
        The method that produced the result ("newton", "principal part", "blowup").
    certificate : NewtonCertificate, PrincipalPartCertificate, ResolutionCertificate or BoundCertificate
        The data a reader needs to re-check the result (a BoundCertificate
        when only a bound, or nothing, is proven: its argument and the reason).
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
            (
                "threshold (lambda)",
                ("<= " + sympy.sstr(self.threshold)) if self.status is Status.BOUND else self.threshold,
            ),
            ("multiplicity (m)", self.multiplicity),
            ("status", self.status.value),
            ("method", self.method),
        ]
        if self.status is Status.PROVEN:
            rows += [("free energy F_n", self.free_energy()), ("generalisation E[G_n]", self.generalization_error())]
        if self.certificate is not None:
            rows += self.certificate.to_rows()[1]
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
        return self._with_input(data)

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
        return cls(
            threshold=None if data["threshold"] is None else sympy.Rational(data["threshold"]),
            multiplicity=data["multiplicity"],
            status=Status(data["status"]),
            method=data["method"],
            certificate=from_dict(certificate),
            energy=from_dict(data.get("input")),
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
    method : {"auto", "theorem", "newton", "principal part", "blowup"}
        "theorem" applies a published theorem whose hypotheses it checks
        (reduced rank regression and deep linear networks,
        K = q ||W_L ... W_1 - C||^2 recognised from the polynomial: Aoyagi and
        Watanabe 2005, Aoyagi 2024; docs/rlct.md#published-theorems).
        "auto" tries that theorem, then Newton's method, then (at a critical point) the
        classification's quasi-homogeneous principal part (theorem Q), then
        for polynomials the blow-up search (theorem B) within the remaining
        time; "blowup" runs only the search, whose certificate is a tree of
        charts (:class:`~singularities.thresholds.blowup.ResolutionCertificate`).
    timeout : float, optional
        Time limit in seconds.

    Returns
    -------
    RLCT
        Exact lambda and m with status PROVEN, or an upper bound with status
        BOUND when no theorem applies or time runs out (UNKNOWN when nothing
        is proven); never a guess.

    Raises
    ------
    NotZeroError
        If g does not vanish at the point.

    Notes
    -----
    No answer is PROVEN before its certificate passes an independent
    re-check (docs/rlct.md#re-checked-certificates); a certificate that fails
    is discarded and the reason says so.  When the time limit passes, the
    result is the best bound proven so far (lambda <= 1/t from the Newton
    polyhedron, else lambda <= n / ord_0 g) with status BOUND, or UNKNOWN,
    and the reason "time limit of T s reached in <stage>": never an exception.

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
        raise UnknownMethodError(method, METHODS)
    deadline = Deadline.coerce(timeout)
    energy = as_energy(_sum_of_squares_input(g), point, variables=variables, parameters=parameters)
    progress = Progress(method)
    runner = {
        "auto": _rlct_auto,
        "theorem": _rlct_theorem,
        "newton": _rlct_newton,
        "principal part": _rlct_principal_part,
        "blowup": _rlct_blowup,
    }[method]
    try:
        if (
            energy.truncation is not None
        ):  # a Taylor jet K_N of K: proven for K only with a sufficiency argument (truncation.py)
            return jet_rlct(
                energy, lambda jet, how, limit: rlct(jet, method=how, timeout=limit), method=method, timeout=deadline
            )
        return runner(energy, deadline, progress)
    except TimeLimitError as exc:
        return _bound_result(energy, progress, _time_limit_text(deadline, progress, exc))


def free_energy_terms(threshold, multiplicity, n):
    """lambda log n - (m - 1) log log n, the singular terms of the Bayes free energy F_n (docs/conventions.md).

    Examples
    --------
    >>> from singularities.thresholds.rlct import free_energy_terms
    >>> free_energy_terms(sympy.Rational(1, 2), 2, sympy.Symbol("n"))
    log(n)/2 - log(log(n))
    """
    n = sympy.sympify(n)
    return threshold * sympy.log(n) - (multiplicity - 1) * sympy.log(sympy.log(n))


def principal_part_rlct(classification):
    """lambda and m of |g| from a classified critical point's principal part (theorem Q), or None.

    None also when the certificate fails its re-check
    (:func:`~singularities.thresholds.recheck.principal_part_failure`).

    Examples
    --------
    >>> from singularities.thresholds.rlct import principal_part_rlct
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
    sign_rule = "definite, so lambda = d" if definite else "sign-changing, so lambda = min(d, 1)"
    name = classification.label if classification.family is not None else f"{classification.label} (unnamed core)"
    reason = (
        f"{name}: g = (quasi-homogeneous part of degree 1 with isolated critical point) + higher "
        f"weighted order in adapted coordinates; {sign_rule}"
    )
    certificate = PrincipalPartCertificate(classification.label, expression, weights, d, definite, "Q", reason)
    result = RLCT(threshold, multiplicity, Status.PROVEN, "principal part", certificate, classification.energy)
    return None if principal_part_failure(result, classification.energy) else result


def _rlct_auto(energy, deadline, progress):
    """A published theorem, Newton's method, separated variables, then theorem Q, then the blow-up search:
    the first re-checked PROVEN answer, else the best bound.

    With fewer than MORSE_SHORTCUT_VARIABLES variables Newton's method goes first (its certificate
    says more, and it costs little there) and the theorem follows it.

    Newton's method gets a share of the time (its face enumeration is
    exponential in the number of variables: a sum of 30 squares is settled
    at once by theorem Q, never by the 2^30 - 1 faces).
    """
    large = len(energy.variables) >= MORSE_SHORTCUT_VARIABLES
    result = _theorem_or(None, energy, deadline, progress) if large else None
    if result is not None:
        return _with_notes(result, progress)
    if large and _is_morse_point(energy, deadline):
        result = _principal_part_or(None, energy, deadline, progress)
        if result is not None:
            return _with_notes(result, progress)
    with deadline.attempt("Newton's method", _newton_budget(deadline)) as step:
        result = _rlct_newton(energy, step.deadline, progress)
    if step.timed_out:
        result = _bound_result(energy, progress, "Newton's method ran out of its share of the time")
    if result.status is not Status.PROVEN and not large:
        result = _theorem_or(result, energy, deadline, progress)
    if result.status is not Status.PROVEN:
        result = _separation_or(result, energy, deadline, progress)
    if result.status is not Status.PROVEN:
        result = _arrangement_or(result, energy, deadline, progress)
    if result.status is not Status.PROVEN:
        result = _principal_part_or(result, energy, deadline, progress)
    if result.status is not Status.PROVEN:
        result = _blowup_or(result, energy, deadline, progress)
    return _with_notes(result, progress)


MORSE_SHORTCUT_VARIABLES = 5
"""From this many variables on, rlct's auto mode tries a published theorem, then settles a Morse point by
theorem Q, before Newton's method:
the polyhedron of a sum of n squares has 2^n - 1 faces, while below it Newton's richer certificate (t, the face)
costs little."""


def _is_morse_point(energy, deadline):
    """Whether g has a critical point with a Hessian of full rank at the point (decided exactly; False if undecided).

    Then g is A1 after the Morse lemma, and theorem Q gives lambda and m at
    once (n/2 and 1 when the Hessian is definite); the classification that
    proves it costs one Hessian.
    """
    g = local_expression(energy)
    zero = {v: 0 for v in energy.variables}
    try:
        if g.xreplace(zero) != 0 or any(sympy.diff(g, v).xreplace(zero) != 0 for v in energy.variables):
            return False
        hessian = sympy.hessian(g, energy.variables).xreplace(zero)
        _, _, rank = call_with_limit(deadline, "the Hessian at the point", hessian_inertia, hessian)
    except (TypeError, ValueError, ArithmeticError):  # incl. UndecidedSign and InputError; a time limit propagates
        return False
    return rank == len(energy.variables)


def _newton_budget(deadline):
    """Seconds for Newton's method: BUDGETS.newton_share of the time left (BUDGETS.newton
    without a limit), at least BUDGETS.min_newton."""
    remaining = deadline.remaining()
    if remaining is None:
        return BUDGETS.newton
    return max(remaining * BUDGETS.newton_share, min(remaining, BUDGETS.min_newton))


def _rlct_theorem(energy, deadline, progress):
    """A published theorem (thresholds.theorems); MethodNotApplicableError with the reason when none applies."""
    progress.enter("theorem", "recognising the loss")
    certificate, reason = (
        matrix_product_rlct(energy, deadline) if energy.is_polynomial() else (None, "not a polynomial")
    )
    if certificate is None:
        raise MethodNotApplicableError(
            "theorem",
            f"{reason} (implemented: reduced rank regression and deep linear networks); use method='auto'",
        )
    result = RLCT(*theorem_value(certificate), Status.PROVEN, "theorem", certificate, energy)
    return result if accepted(result, energy, deadline, progress) else _bound_result(energy, progress)


def _theorem_or(fallback, energy, deadline, progress):
    """The theorem's re-checked result when one applies, else ``fallback`` (recognition costs one expansion)."""
    if not energy.is_polynomial() or energy.free_parameters:
        return fallback
    certificate, _ = matrix_product_rlct(energy, deadline)
    if certificate is None:
        return fallback
    progress.enter("theorem", "recognising the loss")
    result = RLCT(*theorem_value(certificate), Status.PROVEN, "theorem", certificate, energy)
    return result if accepted(result, energy, deadline, progress) else fallback


def _arrangement_or(fallback, energy, deadline, progress):
    """lambda and m of a product of linear forms from its dense flats (thresholds.arrangements), else ``fallback``."""
    if not energy.is_polynomial() or energy.free_parameters:
        return fallback
    arr = call_with_limit(
        deadline, "an arrangement: factoring g", arrangement, local_expression(energy), energy.variables
    )
    if arr is None:
        return fallback
    progress.enter("arrangement", "the intersection lattice")
    found = arrangement_rlct(arr, deadline)
    if found is None:
        return fallback
    threshold, multiplicity, minimisers, nested = found
    reason = (
        f"g = unit * product of {len(arr.normals)} linear forms; lambda = min codim W / N_W over dense flats W "
        f"(Mustata 2006, Teitler 2008), m = the largest nested family at the minimum"
    )
    certificate = ArrangementCertificate(arr.normals, arr.exponents, minimisers, nested, reason)
    result = RLCT(threshold, multiplicity, Status.PROVEN, "arrangement", certificate, energy)
    return result if accepted(result, energy, deadline, progress) else fallback


def _separation_or(fallback, energy, deadline, progress):
    """g as a sum of squares or a product of parts in disjoint variables, each part proven by rlct, else ``fallback``.

    Each part runs the whole auto mode on its own variables (fewer variables:
    a smaller Newton polyhedron, a shallower blow-up search); the parts'
    pairs combine by :func:`~singularities.thresholds.separation.combine`.
    """
    if not energy.is_polynomial() or energy.free_parameters:
        return fallback
    g = local_expression(energy)
    kind, parts = "sum", sum_parts(g, energy.variables)
    if parts is None:
        kind, parts = (
            "product",
            call_with_limit(deadline, "separated variables: factoring g", product_parts, g, energy.variables),
        )
    if parts is None:
        return fallback
    progress.enter("separation", f"the {len(parts)} parts of a {kind} in disjoint variables")
    results = []
    for part, group in parts:
        result = rlct(part, variables=group, timeout=deadline)
        if result.status is not Status.PROVEN:
            return fallback
        results.append(result)
    threshold, multiplicity = combine(kind, [(r.threshold, r.multiplicity) for r in results])
    groups = tuple(tuple(str(v) for v in group) for _, group in parts)
    rule = "lambda adds, m = sum m_j - (k - 1)" if kind == "sum" else "lambda = min, m adds at the minimum"
    reason = f"g is a {kind} of {len(parts)} parts in disjoint variables ({rule})"
    certificate = SeparationCertificate(kind, tuple(p for p, _ in parts), groups, tuple(results), reason)
    result = RLCT(threshold, multiplicity, Status.PROVEN, "separation", certificate, energy)
    return result if accepted(result, energy, deadline, progress) else fallback


def _rlct_principal_part(energy, deadline, progress):
    """Theorem Q through the classification; MethodNotApplicableError when the point is not classified."""
    progress.enter("principal part", "the classification")
    result = principal_part_rlct(classify(energy, timeout=deadline))
    if result is None:
        raise MethodNotApplicableError(
            "principal part", "the point is not classified (beyond the implemented types, or not isolated)"
        )
    return result if accepted(result, energy, deadline, progress) else _bound_result(energy, progress)


def _principal_part_or(fallback, energy, deadline, progress):
    """Theorem Q when g is critical at the point and classifiable within BUDGETS.principal_part, else ``fallback``.

    Theorem Q needs an isolated critical point (a semi-quasi-homogeneous g has
    the finite Milnor number of its principal part), so a point that
    :func:`_non_isolated_reason` proves non-isolated skips the classification
    (whose Milnor number would not terminate there).
    """
    progress.enter("principal part", "the classification")
    if _non_isolated_reason(energy, progress.terms) is not None:
        return fallback
    with deadline.attempt("the classification", BUDGETS.principal_part, catch=NotCriticalError) as step:
        classification = classify(energy, timeout=step.deadline)
    if not step.ok:
        return fallback
    result = principal_part_rlct(classification)
    return result if result is not None and accepted(result, energy, deadline, progress) else fallback


def _non_isolated_reason(energy, terms=None):
    """Why the complex critical locus of the polynomial g through the point has positive dimension, or None.

    Two sufficient tests, each exact and cheap:

    * g = sum c_i f_i^2 (read off the expression) with r < n generators: the
      f_i vanish at the point (g does, and c_i > 0 with real f_i(p)), so by
      Krull's height theorem every component of V(f_1, ..., f_r) through the
      point has dimension >= n - r >= 1, and grad g = 2 sum c_i f_i grad f_i
      vanishes on it;
    * every monomial of g has degree >= 2 in the variables other than one
      x_j: then g and grad g vanish on the x_j-axis (``terms``: g's terms at
      the point, if already expanded).

    Examples
    --------
    >>> from singularities.thresholds.rlct import _non_isolated_reason
    >>> _non_isolated_reason(sg.Energy("x**2*y**2 + x**4"))
    'every monomial of g has degree >= 2 in the variables other than y: grad g vanishes on the y-axis'
    >>> _non_isolated_reason(sg.Energy("x**2 + y**3")) is None
    True
    """
    if not energy.is_polynomial() or energy.free_parameters:
        return None
    variables, g = energy.variables, local_expression(energy)
    squares = sum_of_squares(g, variables)
    origin = {v: 0 for v in variables}
    if squares and len(squares) < len(variables) and all(sympy.expand(f.xreplace(origin)) == 0 for _, f in squares):
        return (
            f"g is a sum of {len(squares)} < {len(variables)} squares of polynomials vanishing at the point: "
            "their common zeros, where grad g vanishes, have positive dimension (Krull)"
        )
    monomials = list(terms) if terms else sympy.Poly(g, *variables).monoms()
    for j, v in enumerate(variables):
        if all(sum(e) - e[j] >= 2 for e in monomials):
            return (
                f"every monomial of g has degree >= 2 in the variables other than {v}: grad g vanishes on the {v}-axis"
            )
    return None


def _rlct_blowup(energy, deadline, progress):
    """Theorem B: the blow-up search on the polynomial g (an ideal when g is a sum of squares).

    PROVEN when every chart is finished; otherwise BOUND by the smallest
    finished chart (lambda <= lambda_C).  Either only once the certificate
    passes :func:`~singularities.thresholds.recheck.recheck`; else the best other bound.
    """
    remaining = deadline.remaining()
    search = deadline if remaining is None else deadline.sub(remaining * BUDGETS.search_share)
    result = _blowup_search(energy, search, progress)
    if result.threshold is None:
        if deadline.expired():
            deadline.check("blow-up search")
        return _bound_result(energy, progress, _open_charts_text(result.certificate))
    if not accepted(result, energy, deadline, progress):
        return _bound_result(energy, progress)
    return _with_notes(result, progress)


def _blowup_or(fallback, energy, deadline, progress):
    """The blow-up search within BUDGETS.blowup when it proves (lambda, m) and re-checks, else ``fallback``;
    a bound from its finished charts below every bound proven so far is re-checked and kept (also when the
    fallback is UNKNOWN, and within BUDGETS.grace when the limit passes right after the search)."""
    if not energy.is_polynomial() or energy.free_parameters:
        return fallback
    result = _blowup_search(energy, deadline.sub(BUDGETS.blowup), progress)
    if deadline.expired():
        kept = _past_the_limit(result, energy, progress)
        if kept is not None:
            return kept
        deadline.check("blow-up search")
    if result.status is Status.PROVEN:
        return result if accepted(result, energy, deadline, progress) else fallback
    if fallback.status is Status.PROVEN or not _improves(result, progress):
        return fallback
    return _bound_result(energy, progress) if accepted(result, energy, deadline, progress) else fallback


def _improves(result, progress):
    """Whether a BOUND result's threshold is below every upper bound proven so far (then it is worth re-checking)."""
    if result.status is not Status.BOUND or result.threshold is None:
        return False
    return progress.bound is None or result.threshold < progress.bound[0]


def _past_the_limit(result, energy, progress):
    """Past the time limit, what a finished search still gives within BUDGETS.grace (a fresh clock): its PROVEN
    result once re-checked, or else its re-checked bound kept in ``progress`` (None then), so that the answer on
    timeout is the best of every method tried, never a lost one."""
    if result.status is not Status.PROVEN and not _improves(result, progress):
        return None
    with Deadline(None).attempt("re-checking the blow-up certificate", BUDGETS.grace) as step:
        if accepted(result, energy, step.deadline, progress) and result.status is Status.PROVEN:
            return _with_notes(result, progress)
    return None


def _blowup_search(energy, deadline, progress):
    """The blow-up search's result, not yet re-checked."""
    if not energy.is_polynomial() or energy.free_parameters:
        raise MethodNotApplicableError("blowup", "the blow-up search needs a polynomial with numeric coefficients")
    progress.enter("blowup", "the blow-up search")
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


def _open_charts_text(certificate):
    open_charts = [c for c in certificate.leaves if c.outcome == "open"]
    why = sorted({c.reason for c in open_charts if c.reason})
    return f"the blow-up search finished no chart ({len(open_charts)} open: {'; '.join(why) or 'not settled'})"


def _sum_of_squares_input(g):
    """A list of generators [f_1, ..., f_r] becomes the unexpanded sum f_1**2 + ... + f_r**2."""
    if not isinstance(g, (list, tuple)):
        return g
    terms = [parse_exact(f) if isinstance(f, str) else f for f in g]
    return sympy.Add(*(f**2 for f in terms), evaluate=False)


def _rlct_newton(energy, deadline, progress):
    """Newton's method on g; if it cannot settle g = u * h^k (u a unit), on h (theorem P);
    PROVEN only once re-checked."""
    progress.enter("newton", "expanding g at the point")
    terms = progress.terms = local_terms(energy, timeout=deadline)
    progress.add_bound(*_order_bound(terms, len(energy.variables)), source="order")
    result = _newton_result(energy, terms, deadline, progress)
    if result.status is not Status.PROVEN:
        progress.enter("newton", "factoring g (theorem P)")
        power, reduced = _power_reduction(energy, deadline)
        if reduced is not None:
            reduced_result = _newton_result(
                energy, polynomial_terms(reduced, energy.variables), deadline, progress, power, reduced
            )
            result = reduced_result if reduced_result.status is Status.PROVEN else result
    if result.status is Status.PROVEN and not accepted(result, energy, deadline, progress):
        return _bound_result(energy, progress)
    return result


def _newton_result(energy, terms, deadline, progress, power=1, reduced=None):
    progress.enter("newton", "the Newton polyhedron")
    polyhedron = polyhedron_from_terms(energy.variables, terms, timeout=deadline)
    if reduced is None and energy.is_polynomial():
        progress.add_bound(
            1 / polyhedron.newton_distance,
            f"the Newton polyhedron of g has t = {polyhedron.newton_distance}, and lambda <= 1/t always",
            source="newton",
        )
    progress.enter("newton", "the non-degeneracy check")
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
            return (
                sympy.Integer(1),
                1,
                Status.PROVEN,
                "N2",
                "weakly non-degenerate, 1/t > 1, real zeros in the torus: lambda = 1, m = 1",
            )
        return (
            inverse,
            None,
            Status.BOUND,
            "N2",
            "weakly non-degenerate with 1/t > 1 but torus zeros undecided: lambda is 1 or 1/t",
        )
    if no_zero_in_tau is Answer.YES:
        return (
            inverse,
            c,
            Status.PROVEN,
            "N2",
            "weakly non-degenerate, 1/t = 1, no compact face in tau has a torus zero: lambda = 1, m = c",
        )
    if no_zero_in_tau is Answer.NO:
        return (
            inverse,
            c + 1,
            Status.PROVEN,
            "N2",
            "weakly non-degenerate, 1/t = 1, a compact face in tau has real torus zeros: lambda = 1, m = c + 1",
        )
    return (
        inverse,
        None,
        Status.BOUND,
        "N2",
        "weakly non-degenerate with 1/t = 1: lambda = 1 exactly, but m (c or c + 1) is not settled",
    )


def _bound(inverse, report):
    regular_zero = any(ch.strong is Answer.NO and ch.weak is Answer.YES for ch in report.faces)
    threshold = min(inverse, sympy.Integer(1)) if regular_zero else inverse
    why = (
        "a compact face polynomial has a singular torus zero"
        if report.weak is Answer.NO
        else "non-degeneracy is undecided"
    )
    extra = " and g changes sign (lambda <= 1)" if regular_zero and inverse > 1 else ""
    return (
        threshold,
        None,
        Status.BOUND,
        "upper bound",
        f"{why}: only lambda <= 1/t is proven{extra}; the value needs a coordinate change or blow-ups",
    )


def _power_reduction(energy, deadline):
    """(k, h) with g = u * h^k, u(0) != 0 and k maximal, for polynomial g; (1, None) when h would be g.

    Units u (factors not vanishing at the point) do not change the poles of
    the zeta function, so they are dropped (docs/conventions.md#theorems-the-package-applies).
    """
    if not energy.is_polynomial():
        return 1, None
    variables = energy.variables
    origin = {v: 0 for v in variables}
    _, factors = call_with_limit(
        deadline, "square-free factorisation of g", sympy.sqf_list, local_expression(energy), *variables
    )
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
    with deadline.attempt("factoring g", BUDGETS.split) as step:
        _, pieces = call_with_limit(step.deadline, "factoring g", sympy.factor_list, factor, *variables)
    return pieces if step.ok else [(factor, 1)]


# ----------------------------------------------------------------------------------------------
# answers when no method proves lambda and m


def _bound_result(energy, progress, reason=None):
    """BOUND by the best upper bound proven so far (else n / ord_0 g), UNKNOWN without one; the reason says why."""
    if progress.bound is None:
        progress.add_bound(*_grace_order_bound(energy), source="order")
    why = "; ".join(([reason] if reason else []) + progress.discarded) or "no method proved lambda and m"
    if progress.bound is None:
        return RLCT(
            None, None, Status.UNKNOWN, progress.method, BoundCertificate(None, "nothing is proven", why), energy
        )
    threshold, argument = progress.bound
    return RLCT(threshold, None, Status.BOUND, progress.method, BoundCertificate(threshold, argument, why), energy)


def _with_notes(result, progress):
    """``result`` with the discarded certificates named in its certificate's reason."""
    certificate = result.certificate
    if not progress.discarded or not hasattr(certificate, "reason") or isinstance(certificate, BoundCertificate):
        return result  # a BoundCertificate names them already
    notes = "; ".join(filter(None, [certificate.reason] + progress.discarded))
    return replace(result, certificate=replace(certificate, reason=notes))


def _time_limit_text(deadline, progress, exc):
    stage = progress.stage if not exc.stage or exc.stage in progress.stage else f"{progress.stage} ({exc.stage})"
    if deadline.seconds is None:
        return f"a step's time budget ran out in {stage}"
    return f"time limit of {deadline.seconds:g} s reached in {stage}"


def _order_bound(terms, n, exact=True):
    """(n / d, argument) with d = ord_0 g, the lowest total degree of g's terms (exact for a Taylor jet too).

    |g| <= C |x|^d near the point, so vol{|g| < t} >= c t^(n/d) and lambda <= n/d;
    a lower bound d for the order (``exact`` False) gives a weaker valid bound.
    """
    if not terms:
        return None, ""
    d = min(sum(e) for e in terms)
    has = "order" if exact else "order at least"
    return (
        sympy.Rational(n, d),
        f"g has {has} {d} at the point: |g| <= C |x|^{d}, "
        f"so vol{{|g| < t}} >= c t^({n}/{d}) and lambda <= {sympy.Rational(n, d)}",
    )


def _grace_order_bound(energy):
    """:func:`_order_bound` within BUDGETS.grace (the limit may have passed already); (None, "") if nothing is found.

    The order is read off the expression tree first (a lower bound: sums may
    cancel), then from the expansion when that fits in the grace time.
    """
    n, low = len(energy.variables), _order_from_tree(energy)
    best = _order_bound({(low,): 1}, n, exact=False) if low > 0 else (None, "")
    with Deadline(None).attempt(
        "the order of g at the point", BUDGETS.grace
    ) as step:  # a fresh clock: the limit has passed
        if energy.is_polynomial():
            return _order_bound(local_terms(energy, timeout=step.deadline), n)
        if low == 0 and call_with_limit(step.deadline, "the value at the point", energy.value) == 0:
            return sympy.Integer(n), f"g vanishes at the point: |g| <= C |x|, so lambda <= n = {n}"
    return best


def _order_from_tree(energy):
    """A lower bound for ord_p g from the expression tree alone: sums take the minimum,
    products add, powers multiply."""
    at_zero = {v for v, p in zip(energy.variables, energy.point) if p == 0}
    orders = {}
    try:
        for node in sympy.postorder_traversal(energy.expr):
            orders[node] = _node_order(node, orders, at_zero)
    except RecursionError:
        return 0
    return orders.get(energy.expr, 0)


def _node_order(node, orders, at_zero):
    if node in at_zero:
        return 1
    if node.is_Add:
        return min(orders.get(a, 0) for a in node.args)
    if node.is_Mul:
        return sum(orders.get(a, 0) for a in node.args)
    if node.is_Pow and node.exp.is_Integer and node.exp > 0:
        return int(node.exp) * orders.get(node.base, 0)
    return 0
