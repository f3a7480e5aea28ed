"""When a Taylor jet K_N determines the RLCT of the analytic K it truncates, and the bound when it does not.

A loss built from a Taylor jet (``models``, :func:`~singularities.jets.taylor_jet`)
is K = K_N + R with R of order N + 1 in a monomial ideal J (the energy's
:class:`~singularities.jets.Truncation`).  An answer computed for the
polynomial K_N is an answer for K only with a sufficiency argument, checked
exactly here (docs/slt.md#taylor-jets-and-what-they-prove):

* Newton (theorems N1, N2): every monomial of R lies in Gamma_+(K_N).  None
  of them lies on a compact face, since a compact face is the convex hull of
  exponents of K_N, all of total degree <= N, and total degree is linear.
  So K has the Newton polyhedron and the compact face polynomials of K_N,
  and N1 / N2 give K the same (lambda, m).
* Principal part (theorem Q): (N + 1) * min(weights) > 1.  The coordinate
  change phi of the certificate fixes 0, so R o phi is still O(|w|^(N + 1)),
  of weighted order >= (N + 1) * min(weights) > 1: K o phi has the principal
  part of K_N o phi.  (This is also the determinacy order of that part.)
* Anything else (theorem P on the jet, blow-up charts of the jet): not lifted
  to K.

Otherwise the jet is recomputed to higher orders (when the energy knows its
analytic K) until an argument holds; failing that the answer is the bound
lambda <= 1/t of Gamma_+(K_N) with the monomials of J ∩ m^(N + 1) added,
which holds for K whatever R is (see :func:`jet_bound`).
"""

from dataclasses import dataclass, replace

import sympy

from .._limits import BUDGETS, Deadline
from .._result import from_dict, register
from ..energy import Energy
from ..errors import InputError, MethodNotApplicableError, NotCriticalError, TimeLimitError
from ..jets import MAX_JET_ORDER, local_terms
from ..polyhedra.newton import polyhedron_from_terms

__all__ = ["JetCertificate", "jet_rlct", "jet_sufficiency", "jet_bound", "MAX_RAISED_ORDER"]

MAX_RAISED_ORDER = 16  # the jet is recomputed up to this order (or MAX_JET_ORDER if it starts higher)


@register("jet")
@dataclass(frozen=True, slots=True)
class JetCertificate:
    """How an RLCT of a Taylor jet K_N was turned into a statement about K = K_N + O(|w - w0|^(N + 1)).

    Attributes
    ----------
    order : int
        N, the order of the jet the answer comes from.
    sufficient : bool
        Whether the jet determines (lambda, m) of K (then the result is
        PROVEN for K); otherwise the result is the bound of :func:`jet_bound`.
    argument : str
        "newton", "principal part" or "bound".
    reason : str
        The check that was made, or why none holds.
    certificate : object
        The certificate of the method applied to K_N (None for a bound).
    jet_answer : str
        What the method found for K_N itself (for the reader; not about K).
    """

    order: int
    sufficient: bool
    argument: str
    reason: str
    certificate: object = None
    jet_answer: str = ""

    def to_rows(self):
        """``(header, rows)``: (quantity, value) rows for the result table."""
        rows = [
            ("input", f"Taylor jet K_{self.order}: K = K_{self.order} + O(|w - w0|^{self.order + 1})"),
            ("jet determines K's RLCT", "yes" if self.sufficient else "no"),
            ("jet argument", self.reason),
        ]
        if self.jet_answer:
            rows.append(("answer for the jet alone", self.jet_answer))
        return ("quantity", "value"), rows + (self.certificate.to_rows()[1] if self.certificate is not None else [])

    def to_dict(self):
        return {
            "kind": "jet",
            "order": self.order,
            "remainder_order": self.order + 1,
            "sufficient": self.sufficient,
            "argument": self.argument,
            "reason": self.reason,
            "jet_answer": self.jet_answer,
            "certificate": None if self.certificate is None else self.certificate.to_dict(),
        }

    @classmethod
    def from_dict(cls, data):
        """Rebuild from :meth:`to_dict` (the inner certificate through :func:`singularities._result.from_dict`)."""
        return cls(
            data["order"],
            data["sufficient"],
            data["argument"],
            data["reason"],
            from_dict(data.get("certificate")),
            data.get("jet_answer", ""),
        )


def jet_rlct(energy, solve, *, method="auto", timeout=None):
    """The RLCT of K from its truncated jet: proven with a sufficiency argument, else a bound valid for K.

    Parameters
    ----------
    energy : Energy
        The jet K_N, with ``energy.truncation`` set.
    solve : callable
        ``solve(jet, method, deadline)`` returns the RLCT of the polynomial
        ``jet`` (an Energy without truncation) by ``method`` ("newton",
        "principal part" or "blowup"); ``rlct`` passes itself.
    method : {"auto", "newton", "principal part", "blowup"}
        As for ``rlct``; "auto" tries Newton, then the principal part.
        Blow-up certificates of a jet are never lifted to K, so "blowup" gives
        the jet's answer for information and the bound for K.
    timeout : float or Deadline, optional
        Time limit.  Raising the order stops when it passes (then the best
        bound so far is returned).

    Returns
    -------
    RLCT
        Status PROVEN with a :class:`JetCertificate` when an argument holds,
        else BOUND (lambda <= the bound of :func:`jet_bound`), m None.

    Examples
    --------
    >>> from singularities.models import two_layer_network_loss
    >>> result = sg.rlct(two_layer_network_loss(1, order=5).energy)   # a1 tanh(b1 x): K = a1^2 b1^2 u(b1)
    >>> result.threshold, result.multiplicity, result.status.value, result.certificate.argument
    (1/2, 2, 'proven', 'newton')
    """
    deadline = Deadline.coerce(timeout)
    _require_centre(energy)
    raising = deadline.sub(BUDGETS.raise_order) if deadline.remaining() is None else deadline
    jet, best, last = energy, None, None
    while True:
        try:
            if sympy.expand(jet.expr) != 0:
                outcome = _try_methods(jet, solve, method, deadline)
                if outcome[1].sufficient:
                    return _proven(outcome, energy)
                bound = jet_bound(jet) + (jet.truncation.order,)
                last, best = outcome, (bound if best is None or bound[0] < best[0] else best)
            following = _next_order(jet, method, last)
            if following is None or raising.expired():
                break
            jet = jet.truncation.recompute(following)
        except TimeLimitError:
            if last is None:
                raise
            break  # the time limit passed while raising the order: the bound so far holds for K
    return _bounded(energy, best, last, _newton_settled(jet, method))


def jet_sufficiency(jet, result):
    """Whether ``result`` (an RLCT of the polynomial K_N) holds for K = K_N + R (R as ``jet.truncation`` says).

    Returns
    -------
    (bool, str, str)
        (sufficient, argument, reason).

    Examples
    --------
    >>> from singularities.jets import taylor_jet
    >>> jet = taylor_jet(sg.Energy("x**2 + y**6"), 6)
    >>> jet_sufficiency(jet, sg.rlct(sg.Energy(jet.expr, "x,y")))[:2]
    (True, 'newton')
    """
    if result.status.value != "proven":
        return (
            False,
            "none",
            f"the jet's own answer is only {'a bound' if result.status.value == 'bound' else 'unknown'}",
        )
    if result.method == "newton":
        return _newton_sufficiency(jet, result.certificate)
    if result.method == "principal part":
        return _weight_sufficiency(jet, result.certificate)
    return (
        False,
        "none",
        f"a {result.method} certificate of K_N is not lifted to K (the omitted terms may change every chart)",
    )


def jet_bound(jet):
    """(threshold, reason): lambda(K) <= 1/t(P), P = Gamma_+ of K_N and of the monomials of J ∩ m^(N + 1).

    Near w0, K - K_N = sum_g w^g h_g over the minimal generators g of
    J ∩ m^(N + 1) (h_g bounded), so |K| <= |K_N| + C sum_g |w^g|.  Hence
    vol{|K| < s} >= vol{|K_N| + C sum_g |w^g| < s} and lambda(K) <=
    lambda(|K_N| + sum_g |w^g|) = 2 lambda(K_N^2 + sum_g w^(2g)) <= 2/t' with
    t' the Newton distance of that polynomial (the Newton bound holds for
    every analytic function).  Its support lies in 2P, so t' >= 2 t(P) and
    lambda(K) <= 1/t(P).  P is computed from K_N and ``Truncation.remainder_points``.

    Examples
    --------
    >>> from singularities.jets import taylor_jet
    >>> jet_bound(taylor_jet(sg.Energy("x**2 + y**6"), 4))[0]   # x**2 and the remainder (x^2, y^6) ∩ m^5
    2/3
    """
    truncation = jet.truncation
    terms = {} if sympy.expand(jet.expr) == 0 else dict(local_terms(jet))
    for g in truncation.remainder_points():
        terms.setdefault(g, 1)
    polyhedron = polyhedron_from_terms(jet.variables, terms)
    threshold = 1 / polyhedron.newton_distance
    reason = (
        f"the jet of order {truncation.order} does not determine the RLCT; lambda <= 1/t = {threshold} for "
        f"Gamma_+(K_{truncation.order}) with the omitted monomials (degree >= {truncation.remainder_order}) added"
    )
    return threshold, reason


def _require_centre(energy):
    truncation = energy.truncation
    if tuple(energy.point) != tuple(truncation.centre):
        centre = ", ".join(map(sympy.sstr, truncation.centre))
        raise InputError(
            f"the energy is a Taylor jet of K at ({centre}) and says nothing about K elsewhere; ask at that point, "
            "or expand K at the new point"
        )


def _try_methods(jet, solve, method, deadline):
    """(result for K_N, verdict, jet) of the first method whose answer is sufficient, else of the first one tried.

    Newton always answers for a non-zero polynomial; the principal part and
    the blow-up search may not apply, which only means that they prove nothing here.
    """
    plain = Energy(jet.expr, [str(v) for v in jet.variables], point=jet.point)
    outcome = None
    for how in _methods(method, plain):
        if how == "newton":  # Newton always answers: its failure is the call's
            result = solve(plain, how, deadline)
        else:
            budget = BUDGETS.principal_part if how == "principal part" else None
            with deadline.attempt(
                f"the {how} method on the jet", budget, catch=(MethodNotApplicableError, NotCriticalError)
            ) as step:
                result = solve(plain, how, step.deadline)
            if not step.ok:
                continue
        verdict = _Verdict(*jet_sufficiency(jet, result))
        if verdict.sufficient:
            return result, verdict, jet
        if outcome is None or how == "principal part":  # a classified type says which order would suffice
            outcome = (result, verdict, jet)
    if outcome is None:
        raise MethodNotApplicableError(method, "no method answered for the jet")
    return outcome


def _methods(method, plain):
    if method == "auto":
        return ("newton", "principal part") if _corank(plain) <= 3 else ("newton",)
    return (method,)


def _corank(energy):
    """n - rank of the Hessian of K_N at the point (the classification handles corank <= 3 only)."""
    variables, point = energy.variables, dict(zip(energy.variables, energy.point))
    hessian = sympy.hessian(energy.expr, variables).xreplace(point)
    return len(variables) - hessian.rank()


@dataclass(frozen=True, slots=True)
class _Verdict:
    sufficient: bool
    argument: str
    reason: str


def _newton_sufficiency(jet, certificate):
    if certificate.reduced is not None:
        return (
            False,
            "none",
            (
                f"theorem P was applied to K_N = unit * h**{certificate.power}; the omitted terms need not keep "
                "that form"
            ),
        )
    polyhedron, outside = _polyhedron_determined(jet)
    order = jet.truncation.order
    if polyhedron.newton_distance != certificate.newton_distance:
        return False, "none", "the recomputed Newton polyhedron of K_N disagrees with the certificate"
    if outside is not None:
        monomial = "*".join(str(v) if e == 1 else f"{v}**{e}" for v, e in zip(jet.variables, outside) if e) or "1"
        return (
            False,
            "none",
            (
                f"the omitted monomial {monomial} (degree {sum(outside)}) lies outside Gamma_+(K_{order}), "
                "so K may have another Newton polyhedron"
            ),
        )
    return (
        True,
        "newton",
        (
            f"theorem {certificate.theorem} for K: every omitted monomial (degree >= {order + 1}, in the "
            f"ideal {_ideal_text(jet)}) lies in Gamma_+(K_{order}) and none on a compact face "
            f"(those have degree <= {order}), so K has the same Newton polyhedron and face polynomials"
        ),
    )


def _polyhedron_determined(jet):
    """(Gamma_+(K_N), None) if every omitted monomial lies in it, else (Gamma_+(K_N), the first one outside).

    Gamma_+(K_N) is convex and closed upwards, so it holds every monomial of
    J ∩ m^(N + 1) once it holds the points of ``Truncation.remainder_points``.
    """
    polyhedron = polyhedron_from_terms(jet.variables, local_terms(jet))
    for exponent in jet.truncation.remainder_points():
        if any(f.evaluate(exponent) < f.offset for f in polyhedron.facets):
            return polyhedron, exponent
    return polyhedron, None


def _weight_sufficiency(jet, certificate):
    order = jet.truncation.order
    smallest = min(certificate.weights)
    if (order + 1) * smallest > 1:
        return (
            True,
            "principal part",
            (
                f"theorem Q for K: the omitted terms have order >= {order + 1} after any coordinate change "
                f"fixing w0, so weighted order >= {order + 1} * {smallest} > 1: K has the principal part "
                f"of K_{order} ({certificate.label})"
            ),
        )
    needed = int(1 / smallest)  # the smallest N with (N + 1) * smallest > 1
    return (
        False,
        "none",
        (
            f"{certificate.label} has weight {smallest}: terms of degree {order + 1} can have weighted order "
            f"<= 1, so the type needs the jet of order {needed}"
        ),
    )


def _next_order(jet, method, last):
    """The next order to try, or None: no analytic K known, the cap reached, or no order can help.

    No order helps a blow-up answer (never lifted), nor Newton's method once
    K_N already has K's Newton polyhedron and face polynomials (then K_M has
    the same ones for every M >= N) while the classification cannot apply
    (corank > 3: the Hessian of K is that of K_N).
    """
    truncation = jet.truncation
    cap = max(MAX_RAISED_ORDER, min(truncation.order, MAX_JET_ORDER))
    if truncation.recompute is None or truncation.order >= cap or method == "blowup":
        return None
    if last is not None and last[2] is jet and _newton_settled(jet, method):
        return None
    following = truncation.order + max(1, truncation.order // 4)
    if last is not None and last[0].method == "principal part" and last[2] is jet:
        following = max(following, int(1 / min(last[0].certificate.weights)))
    return min(following, cap)


def _newton_settled(jet, method):
    if method not in ("auto", "newton") or sympy.expand(jet.expr) == 0:
        return False
    plain = Energy(jet.expr, [str(v) for v in jet.variables], point=jet.point)
    return (method == "newton" or _corank(plain) > 3) and _polyhedron_determined(jet)[1] is None


def _ideal_text(jet):
    ideal = jet.truncation.ideal
    if ideal == ((0,) * len(jet.variables),):
        return "(1)"
    monomials = [
        "*".join(str(v) if e == 1 else f"{v}**{e}" for v, e in zip(jet.variables, g) if e) or "1" for g in ideal
    ]
    return "(" + ", ".join(monomials) + ")"


def _proven(outcome, energy):
    result, verdict, jet = outcome
    certificate = JetCertificate(jet.truncation.order, True, verdict.argument, verdict.reason, result.certificate)
    return replace(result, certificate=certificate, energy=energy)


def _bounded(energy, best, last, settled):
    if last is None:
        raise InputError(
            f"the Taylor jet of order {energy.truncation.order} is zero up to the highest order tried; "
            "give a higher order (order=N)"
        )
    result, verdict, jet = last
    threshold, reason, order = best
    tried = energy.truncation.order, jet.truncation.order
    orders = f"order {tried[0]}" if tried[0] == tried[1] else f"orders {tried[0]} to {tried[1]}"
    why = f"no sufficiency argument holds at {orders} (at order {tried[1]}: {verdict.reason}); {reason}"
    if settled:
        why += (
            "; K already has the Newton polyhedron and face polynomials of this jet and the corank exceeds 3, "
            "so no higher order gives Newton's method or the classification an argument"
        )
    certificate = JetCertificate(order, False, "bound", why, None, f"order {tried[1]}: {_answer_text(result)}")
    status = type(result.status)("bound")
    return replace(
        result,
        threshold=threshold,
        multiplicity=None,
        status=status,
        method="newton",
        certificate=certificate,
        energy=energy,
    )


def _answer_text(result):
    if result.status.value == "proven":
        return f"lambda = {result.threshold}, m = {result.multiplicity} ({result.method}; a statement about K_N only)"
    return f"{result.status.value}: lambda <= {result.threshold} ({result.method}; about K_N only)"
