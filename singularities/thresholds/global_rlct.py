"""The global RLCT of a loss K >= 0 over a compact support: its zero set, the local RLCTs along it, the minimum.

Conventions: docs/conventions.md#the-real-log-canonical-threshold (global
RLCT, free energy, generalisation error); the rules applied at each kind of
point are stated in docs/slt.md#the-global-rlct.  In short:

* The support W is a box, or a box cut by polynomial inequalities g_i >= 0.
  Every zero z of K in W lies in exactly one stratum: the relative interior
  of a face F of the box where exactly the constraints A vanish.  Since
  K >= 0 on W, z minimises K on W, so (Fritz John) every (|A| + 1)-minor of
  grad_F K, grad_F g_A vanishes (grad_F K = 0 when A is empty).  Each stratum
  is searched with the exact solver of :mod:`singularities.local.critical`.
* An isolated zero gets ``rlct()`` at that point.
* A positive-dimensional piece C (dimension d, codimension c = n - d) is
  split into its *Morse-Bott stratum*, where C is smooth and the Hessian of
  K has rank c, and the finitely many special points where either fails.
  On the Morse-Bott stratum K is, near each point, a non-degenerate
  quadratic form in c normal coordinates (Morse-Bott lemma: R. Bott, Ann.
  of Math. 60 (1954); A. Banyaga and D. Hurtubise, Expo. Math. 22 (2004)),
  so lambda = c/2 and m = 1 (docs/conventions.md, the x^2 + y^2 + z^2 row).
  The special points get ``rlct()``.  A special set of positive dimension
  is not stratified further: the answer is then not proven.
* At a zero on the boundary of W the zeta function integrates over W only:
  the local pair there is restricted to W by the rules of
  :mod:`~singularities.thresholds.boundary` (orthant frames, wedges, cones).

K is assumed >= 0 on W (true of every loss E[(f - f0)^2] and every KL
divergence); negative values found on a test grid, or a Hessian with a
negative eigenvalue at a Morse-Bott point, are reported as errors.
"""

import itertools
from dataclasses import dataclass, field
from fractions import Fraction

import sympy

from .._exact import exact_string, parse_exact, point_text
from .._limits import Deadline, guard
from .._result import Result, from_dict, register
from ..domain import box_text, parse_support
from ..energy import Energy, as_energy
from ..errors import InputError, MemoryLimitError, TimeLimitError
from ..models import RegressionLoss
from .boundary import LocalRLCT, Stratum
from .certificates import Status
from .rlct import free_energy_terms
from .zero_set import _stratum_entries

__all__ = ["GlobalRLCT", "LocalRLCT", "global_rlct"]


@register("global_rlct")
@dataclass(frozen=True, slots=True)
class GlobalRLCT(Result):
    """The global RLCT lambda and multiplicity m of K over a compact support
    (docs/conventions.md#the-real-log-canonical-threshold).

    lambda is the minimum of the local thresholds over the zero set of K in
    W, and m the largest multiplicity among the points attaining it.
    ``status`` is PROVEN only when every local pair that could attain the
    minimum is proven; BOUND means only lambda <= ``threshold`` is proven
    (``multiplicity`` None); UNKNOWN means no bound is proven.

    Attributes
    ----------
    threshold : sympy.Rational or None
    multiplicity : int or None
    status : Status
    points : tuple of LocalRLCT
        One entry per isolated zero, special point and stratum.
    box : tuple of (lower, upper)
    reason : str
    energy : Energy
    constraints : tuple of str
        The inequalities that cut the support out of the box (empty: the box).
    """

    threshold: sympy.Rational
    multiplicity: int
    status: Status
    points: tuple = field(repr=False)
    box: tuple = field(repr=False)
    reason: str = field(repr=False, default="")
    energy: Energy = field(repr=False, default=None)
    constraints: tuple = field(repr=False, default=())

    def free_energy_terms(self, n):
        """lambda log n - (m - 1) log log n: the singular terms of F_n = n L_n(w0) + ... (PROVEN only).

        Examples
        --------
        >>> from singularities.thresholds.global_rlct import global_rlct
        >>> global_rlct("x**2*y**2", box="-1:1").free_energy_terms(sympy.Symbol("n"))
        log(n)/2 - log(log(n))
        """
        self._require_proven("the free energy terms")
        return free_energy_terms(self.threshold, self.multiplicity, n)

    def generalization_error(self, n):
        """lambda / n, the leading term of the Bayes generalisation error E[G_n] (PROVEN only).

        Examples
        --------
        >>> from singularities.thresholds.global_rlct import global_rlct
        >>> global_rlct("x**2*y**2", box="-1:1").generalization_error(100)
        1/200
        """
        self._require_proven("the generalisation error")
        return self.threshold / sympy.sympify(n)

    def asymptotics(self):
        """The free energy and generalisation error asymptotics as text (or why they are not given)."""
        if self.status is not Status.PROVEN:
            return ("not given: lambda and m are not both proven", "not given: lambda is not proven")
        n = sympy.Symbol("n")
        free = sympy.sstr(self.free_energy_terms(n))
        return (f"n*L_n(w0) + {free} + O_p(1)", f"{sympy.sstr(self.generalization_error(n))} + o(1/n)")

    def _require_proven(self, what):
        if self.status is not Status.PROVEN:
            raise ValueError(f"the global RLCT is only {self.status.value}; {what} need proven lambda and m")

    def to_rows(self):
        threshold = ("<= " + sympy.sstr(self.threshold)) if self.status is Status.BOUND else self.threshold
        free, error = self.asymptotics()
        rows = [
            ("global threshold (lambda)", threshold),
            ("multiplicity (m)", self.multiplicity),
            ("status", self.status.value),
            ("support", self.support_text()),
            ("free energy F_n", free),
            ("generalisation error E[G_n]", error),
            ("reason", self.reason),
        ]
        rows += [(_entry_label(e), _entry_value(e)) for e in self.points]
        return ("quantity", "value"), rows

    def support_text(self):
        """The support as text: the box, then the constraints."""
        box = box_text(self.box)
        return box if not self.constraints else f"{box} with {', '.join(self.constraints)}"

    def to_dict(self):
        free, error = self.asymptotics()
        data = {
            "kind": "global_rlct",
            "threshold": None if self.threshold is None else exact_string(self.threshold),
            "multiplicity": self.multiplicity,
            "status": self.status.value,
            "box": [[exact_string(lo), exact_string(hi)] for lo, hi in self.box],
            "constraints": list(self.constraints),
            "free_energy": free,
            "generalization_error": error,
            "reason": self.reason,
            "points": [e.to_dict() for e in self.points],
        }
        return self._with_input(data)

    @classmethod
    def from_dict(cls, data):
        """Rebuild the result from :meth:`to_dict` output.

        Examples
        --------
        >>> from singularities.thresholds.global_rlct import GlobalRLCT, global_rlct
        >>> result = global_rlct("(x - y)**2", box="-1:1")
        >>> GlobalRLCT.from_dict(result.to_dict()) == result
        True
        """
        return cls(
            threshold=None if data["threshold"] is None else sympy.Rational(data["threshold"]),
            multiplicity=data["multiplicity"],
            status=Status(data["status"]),
            points=tuple(LocalRLCT.from_dict(e) for e in data["points"]),
            box=tuple((parse_exact(lo), parse_exact(hi)) for lo, hi in data["box"]),
            reason=data["reason"],
            energy=from_dict(data.get("input")),
            constraints=tuple(data.get("constraints", ())),
        )


def global_rlct(K, *, box=None, constraints=(), variables=None, parameters=None, timeout=None):
    """The global RLCT (lambda, m) of a polynomial loss K >= 0 over a compact support,
    with the local pairs along its zero set.

    The support is W = box ∩ {every constraint holds}: a box, or a compact
    semi-algebraic set cut out of one by polynomial inequalities.

    Parameters
    ----------
    K : str, sympy.Expr, Energy or RegressionLoss
        A polynomial with rational coefficients, >= 0 on the support.  A
        Taylor jet (``RegressionLoss`` with an ``order``) is refused: pass
        ``Energy(loss.expr, loss.parameters)`` to study the jet itself.
    box : str, sequence or Box
        The bounding box in the variables' own coordinates (what ``box``
        means everywhere, docs/conventions.md#domains): ``"-1:1"`` (every
        variable), ``"x=0:1,y=-1:1"``, (lower, upper) pairs in variable
        order, or a :class:`~singularities.domain.Box`.  Required.
    constraints : str or sequence of str, optional
        Polynomial inequalities with rational coefficients that cut W out of
        the box, e.g. ``"x + y <= 1"`` or ``["x**2 + y**2 <= 1", "y >= x"]``
        (strict and non-strict inequalities give the same W up to measure zero).
    variables, parameters : optional
        As for :class:`Energy`; every parameter needs a value.
    timeout : float, optional
        Time limit in seconds for the whole computation.

    Returns
    -------
    GlobalRLCT
        The minimum, its multiplicity, the status, the local pairs, and the
        free energy and generalisation error asymptotics (when proven).

    Raises
    ------
    InputError
        If K is not a polynomial, has no zero in W, is negative somewhere in
        W (found on a grid of test points, or near a zero), a constraint is
        not a polynomial inequality, or no box is given.
    TimeLimitError
        If the time limit passes.

    Examples
    --------
    >>> from singularities.thresholds.global_rlct import global_rlct
    >>> result = global_rlct("x**2*y**2", box="-1:1")
    >>> result.threshold, result.multiplicity, result.status.value
    (1/2, 2, 'proven')
    >>> [(e.point, e.stratum, e.threshold, e.multiplicity) for e in result.points if e.location == "interior"]
    [((0, 0), 'special point', 1/2, 2), ((0, 1/3), 'Morse-Bott stratum', 1/2, 1),
     ((1/3, 0), 'Morse-Bott stratum', 1/2, 1)]
    >>> global_rlct("x**2 + y**4", box="0:1").threshold        # a zero at a corner
    3/4
    >>> global_rlct("x**2 + y**2", box="0:1", constraints="x + y <= 1").threshold  # the corner of a triangle
    1
    """
    deadline = Deadline.coerce(timeout)
    energy = _polynomial_energy(K, variables, parameters)
    if box is None:
        raise InputError(
            "the global RLCT needs a compact support; give box='-1:1' or box='x=-1:1,y=0:2' (CLI: --box), "
            "and constraints=... (CLI: --constraint) to cut a semi-algebraic set out of it"
        )
    support = parse_support(box, constraints, energy.variables)
    entries, progress = [], {"visited": 0, "pruned": 0}
    try:
        with guard(deadline, "the global RLCT"):
            _refute_negative_values(energy, support, deadline=deadline)
            for stratum in _strata(support, energy, deadline, progress):
                entries += _stratum_entries(energy, support, stratum, deadline)
    except (TimeLimitError, MemoryLimitError) as exc:
        return _stopped(entries, energy, support, exc, progress)
    if not entries:
        raise InputError(
            "K has no zero in the support; the RLCT is taken on the zero set of K - min K: "
            "subtract the minimum of K over the support, or enlarge the support"
        )
    return _combine(tuple(_sorted(_unique(entries))), energy, support)


def _stopped(entries, energy, support, exc, progress):
    """The honest answer when the time limit or the memory cap stops the search: a bound
    from the zeros found, or UNKNOWN.

    The global lambda is the minimum over every zero, so a proven local pair
    found so far bounds it from above; strata not visited may hold smaller ones.
    """
    result = _combine(tuple(_sorted(_unique(entries))), energy, support) if entries else None
    total = 3 ** len(support.variables) * 2 ** len(support.constraints)
    where = (
        f"{exc} (after {progress['visited']} strata visited and {progress['pruned']} box faces pruned "
        f"of {total} strata)"
    )
    if result is None or result.threshold is None:
        return GlobalRLCT(
            None,
            None,
            Status.UNKNOWN,
            tuple(_sorted(_unique(entries))),
            support.bounds,
            f"no local pair settled: {where}",
            energy,
            support.texts,
        )
    return GlobalRLCT(
        result.threshold,
        None,
        Status.BOUND,
        result.points,
        support.bounds,
        f"only lambda <= {sympy.sstr(result.threshold)} is proven, from the zeros found before the stop: {where}",
        energy,
        support.texts,
    )


# ---------------------------------------------------------------------------
# the support


def _strata(support, energy, deadline, progress):
    """Every (box face, active constraint set) where K may vanish, lazily, the interior first.

    The 3^n faces are never listed: a depth-first walk fixes variables in
    increasing order, and a face on which K > 0 (a sound interval bound,
    :func:`_positive_on_face`) is skipped with every face below it (they lie
    in its closure).  ``progress`` counts the strata visited and the faces pruned.
    """
    total = 3 ** len(support.variables) * 2 ** len(support.constraints)
    for fixed in _faces(support.variables, support.bounds, energy, progress):
        for size in range(len(support.constraints) + 1):
            for active in itertools.combinations(range(len(support.constraints)), size):
                deadline.check("zeros on the strata of the support", progress["visited"], total)
                progress["visited"] += 1
                yield Stratum(fixed, active)


def _refute_negative_values(energy, support, per_axis=5, budget=200_000, deadline=None):
    """Raise InputError at a test point of W where K < 0 (a grid of each box; a sound
    refutation, not a proof of K >= 0)."""
    poly = sympy.Poly(energy.expr, *energy.variables)
    if not all(c.is_Rational for c in poly.coeffs()) or not all(b.is_Rational for pair in support.bounds for b in pair):
        # the grid uses rational arithmetic; irrational data skip this sanity check (it proves nothing either way)
        return
    terms = [(Fraction(int(c.p), int(c.q)), m) for m, c in poly.terms()]
    n = len(energy.variables)
    steps = per_axis if len(terms) * per_axis**n <= budget else 3 if len(terms) * 3**n <= budget else 0
    if steps == 0:
        return
    axes = [
        [
            Fraction(int(lo.p), int(lo.q)) + Fraction(j, steps - 1) * Fraction(int((hi - lo).p), int((hi - lo).q))
            for j in range(steps)
        ]
        for lo, hi in support.bounds
    ]
    constraints = [
        [(Fraction(int(c.p), int(c.q)), m) for m, c in sympy.Poly(g, *energy.variables).terms()]
        for g in support.constraints
    ]
    for count, point in enumerate(itertools.product(*axes)):
        if deadline is not None and count % 1000 == 0:
            deadline.check("testing K >= 0 on a grid")
        if all(_evaluate(g, point) >= 0 for g in constraints) and _evaluate(terms, point) < 0:
            text = ", ".join(str(c) for c in point)
            raise InputError(
                f"K = {_evaluate(terms, point)} < 0 at ({text}) in the support; global_rlct needs K >= 0 on the "
                "support (a loss or a KL divergence): check the sign of K, or shrink the support"
            )


def _evaluate(terms, point):
    total = Fraction(0)
    for c, exponents in terms:
        value = c
        for x, e in zip(point, exponents):
            if e:
                value *= x**e
        total += value
    return total


# ---------------------------------------------------------------------------
# faces and zeros


def _polynomial_energy(K, variables, parameters):
    if isinstance(K, RegressionLoss):
        if not K.exact:
            raise InputError(
                f"K is a Taylor jet of order {K.order}, not the loss itself; pass Energy(loss.expr, loss.parameters) "
                "to study the jet as a polynomial (the answers then hold for the jet), "
                "or use a polynomial model for an exact K"
            )
        K = K.energy
    energy = as_energy(K, variables=variables, parameters=parameters)
    if energy.truncation is not None:  # a jet describes K only near its centre (truncation.py)
        raise InputError(
            f"K is a Taylor jet of order {energy.truncation.order}, which describes the loss only near its centre; "
            "use rlct "
            "there, or pass Energy(jet.expr, variables) to study the jet as a polynomial"
        )
    if energy.free_parameters:
        raise InputError(f"parameter {energy.free_parameters[0]} has no value; give every parameter a value")
    if not energy.is_polynomial():
        raise InputError("global_rlct needs a polynomial K; expand an analytic loss into a polynomial first")
    if not energy.variables:
        raise InputError("K has no variables; give a function of the parameters")
    irrational = [c for c in sympy.Poly(energy.expr, *energy.variables).coeffs() if not c.is_Rational]
    if irrational:
        raise InputError(
            f"global_rlct needs rational coefficients, and K has the coefficient {sympy.sstr(irrational[0])}; "
            "rescale a variable to make it rational (y -> c*y changes neither lambda nor m), "
            "or use rlct at a point"
        )
    return energy.at([0] * len(energy.variables))


def _faces(variables, bounds, energy=None, progress=None):
    """Each face of the box where K may vanish, as {fixed variable: bound}: the interior ({}) first, then depth first.

    Without ``energy`` every face is listed; with it, faces on which K is
    positive (with all the faces below them) are left out and counted in
    ``progress["pruned"]``.
    """
    stack = [({}, 0)]
    while stack:
        fixed, start = stack.pop()
        if energy is not None and _positive_on_face(energy, bounds, fixed):
            if progress is not None:
                progress["pruned"] += 1
            continue
        yield fixed
        for i in range(len(variables) - 1, start - 1, -1):
            for bound in (bounds[i][1], bounds[i][0]):
                stack.append(({**fixed, variables[i]: bound}, i + 1))


def _positive_on_face(energy, bounds, fixed):
    """Whether K > 0 on the closed face, by a sound interval bound (term by term; False means "not shown")."""
    box = {v: (lo, hi) for v, (lo, hi) in zip(energy.variables, bounds)}
    box.update({v: (c, c) for v, c in fixed.items()})
    lower = 0
    for monomial, coefficient in sympy.Poly(energy.expr, *energy.variables).terms():
        lo, hi = sympy.Integer(1), sympy.Integer(1)
        for v, e in zip(energy.variables, monomial):
            if e:
                lo, hi = _interval_product((lo, hi), _power_range(box[v], e))
        lower += coefficient * (lo if coefficient > 0 else hi)
    return lower > 0


def _power_range(interval, e):
    lo, hi = interval
    ends = (lo**e, hi**e)
    if e % 2 == 0 and lo < 0 < hi:
        return sympy.Integer(0), max(ends)
    return min(ends), max(ends)


def _interval_product(a, b):
    products = [x * y for x in a for y in b]
    return min(products), max(products)


# ---------------------------------------------------------------------------
# the minimum


def _combine(entries, energy, support):
    exact = [e for e in entries if e.status is Status.PROVEN and e.restricted]
    if exact:
        threshold = min(e.threshold for e in exact)
        multiplicity = max(e.multiplicity for e in exact if e.threshold == threshold)
        open_entries = [e for e in entries if e not in exact and not _harmless(e, threshold, multiplicity)]
        if not open_entries:
            where = ", ".join(
                point_text(e.point) for e in exact if e.threshold == threshold and e.multiplicity == multiplicity
            )
            reason = f"minimum over {len(entries)} points and strata of the zero set, attained at {where}"
            return GlobalRLCT(
                threshold, multiplicity, Status.PROVEN, entries, support.bounds, reason, energy, support.texts
            )
    uppers = [e.threshold for e in exact] + [e.threshold for e in entries if e.status is Status.BOUND and e.restricted]
    unsettled = len([e for e in entries if e not in exact])
    if uppers:
        reason = (
            f"{unsettled} local pair(s) not settled; only lambda <= min of the settled thresholds and bounds is proven"
        )
        return GlobalRLCT(min(uppers), None, Status.BOUND, entries, support.bounds, reason, energy, support.texts)
    return GlobalRLCT(
        None,
        None,
        Status.UNKNOWN,
        entries,
        support.bounds,
        "no local pair on the zero set was settled",
        energy,
        support.texts,
    )


def _harmless(entry, threshold, multiplicity):
    """Whether a full-space-only boundary pair cannot beat (threshold, multiplicity)."""
    if entry.status is not Status.PROVEN or entry.restricted:
        return False
    return entry.threshold > threshold or (entry.threshold == threshold and entry.multiplicity <= multiplicity)


def _unique(entries):
    """One entry per (point, location): a special point shared by two pieces is listed once."""
    seen = {}
    for entry in entries:
        seen.setdefault((entry.point, entry.location, entry.dimension), entry)
    return list(seen.values())


def _sorted(entries):
    return sorted(
        entries,
        key=lambda e: (e.location != "interior", e.location, e.dimension, [sympy.default_sort_key(c) for c in e.point]),
    )


def _entry_label(entry):
    where = "interior" if entry.location == "interior" else f"boundary {entry.location}"
    return f"{entry.stratum} {point_text(entry.point)}, {where}"


def _entry_value(entry):
    if entry.threshold is None:
        return f"{entry.status.value}: {entry.rule}"
    pair = f"lambda {sympy.sstr(entry.threshold)}, m {entry.multiplicity}"
    if entry.status is Status.BOUND:
        pair = f"lambda <= {sympy.sstr(entry.threshold)}"
    elif not entry.restricted:  # only bounds the pair on W from below: lambda_W >= it, m_W <= it at equality
        pair = f"lambda >= {sympy.sstr(entry.threshold)} (m <= {entry.multiplicity} if equal)"
    return f"{pair}, {entry.status.value}: {entry.rule}"
