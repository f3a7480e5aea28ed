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
* At a zero on the boundary of W the zeta function integrates over W only.
  Each active constraint of the shape c*v + r (r free of v) is made a
  coordinate by a polynomial change with constant Jacobian, so W becomes an
  orthant.  The local pair there equals the full-space pair when K is even
  in the orthant coordinates, or (box faces only) when ``rlct()`` proved it
  by theorem N1; otherwise it is (1/t, c) of the Newton polyhedron when every
  compact face polynomial has no zero in the torus part of the orthant (the
  toric argument restricted to one orthant: S. Lin, "Asymptotic
  approximation of marginal likelihood integrals", arXiv:1003.5338).  A
  definite minimum where W holds an open cone gets (n/2, 1).  Failing all
  these, the full-space pair is kept as a bound: integrating over less can
  only raise lambda (or lower m).

K is assumed >= 0 on W (true of every loss E[(f - f0)^2] and every KL
divergence); negative values found on a test grid, or a Hessian with a
negative eigenvalue at a Morse-Bott point, are reported as errors.
"""

import itertools
from fractions import Fraction
from dataclasses import dataclass, field

import sympy

from .._exact import exact_string, linear_split, minors, parse_exact, require_exact
from .._limits import BUDGETS, Deadline, guard
from .._result import Result
from ..algebra.polys import jacobian_gram, rank_form
from ..algebra.realroots import exact_sign, has_root_between, hessian_inertia
from ..algebra.systems import slice_points
from ..local.critical import solve_system
from ..domain import box_text, parse_support
from ..energy import Energy, as_energy
from ..errors import InputError, MemoryLimitError, TimeLimitError, UndecidedSign
from ..models import RegressionLoss
from .._result import from_dict, register
from ..polyhedra.newton import newton_polyhedron
from ..algebra.realzeros import Answer
from ..polyhedra.nondegeneracy import nondegeneracy
from .rlct import Status, free_energy_terms, rlct

__all__ = ["GlobalRLCT", "LocalRLCT", "global_rlct"]

WITNESS_FRACTIONS = (sympy.Rational(2, 3), sympy.Rational(1, 3), sympy.Rational(3, 4), sympy.Rational(1, 4), sympy.Rational(1, 2))
MAX_WITNESS_SLICES = 40


@register("local_rlct")
@dataclass(frozen=True, slots=True)
class LocalRLCT:
    """The local (lambda, m) at one point of the zero set, or along one stratum of it.

    Attributes
    ----------
    point : tuple
        Exact coordinates (for a stratum: one point of it, a witness).
    stratum : str
        "isolated zero", "special point" (singular point of the zero set, or
        where the Hessian rank drops), "Morse-Bott stratum" (dimension
        ``dimension``), or "unresolved stratum".
    location : str
        "interior", or the boundary stratum: box faces and active
        constraints, e.g. "x = 1" or "x = 0, x + y = 1".
    threshold, multiplicity, status
        The local pair for the integral over W near the point.
    rule : str
        The rule or theorem that gave the pair.
    dimension : int
        Dimension of the stratum this entry stands for (0 for a point).
    restricted : bool
        True when the pair is that of the integral over W; False when
        only the full-space pair is known at a boundary point (then the true
        local pair has lambda at least as large, or equal lambda with m at
        most as large).
    """

    point: tuple
    stratum: str
    location: str
    threshold: sympy.Rational
    multiplicity: int
    status: Status
    rule: str
    dimension: int = 0
    restricted: bool = True

    def __post_init__(self):
        require_exact(self.point, "point")

    def to_dict(self):
        """JSON-safe form."""
        return {
            "kind": "local_rlct",
            "point": [exact_string(c) for c in self.point],
            "stratum": self.stratum,
            "location": self.location,
            "threshold": None if self.threshold is None else exact_string(self.threshold),
            "multiplicity": self.multiplicity,
            "status": self.status.value,
            "rule": self.rule,
            "dimension": self.dimension,
            "restricted": self.restricted,
        }

    @classmethod
    def from_dict(cls, data):
        """Rebuild an entry from :meth:`to_dict` output."""
        threshold = None if data["threshold"] is None else sympy.Rational(data["threshold"])
        return cls(tuple(parse_exact(c) for c in data["point"]), data["stratum"], data["location"], threshold,
                   data["multiplicity"], Status(data["status"]), data["rule"], data["dimension"], data["restricted"])


@register("global_rlct")
@dataclass(frozen=True, slots=True)
class GlobalRLCT(Result):
    """The global RLCT lambda and multiplicity m of K over a compact support (docs/conventions.md#the-real-log-canonical-threshold).

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
        if self.energy is not None:
            data["input"] = self.energy.to_dict()
        return data

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
    """The global RLCT (lambda, m) of a polynomial loss K >= 0 over a compact support, with the local pairs along its zero set.

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
    [((0, 0), 'special point', 1/2, 2), ((0, 1/3), 'Morse-Bott stratum', 1/2, 1), ((1/3, 0), 'Morse-Bott stratum', 1/2, 1)]
    >>> global_rlct("x**2 + y**4", box="0:1").threshold        # a zero at a corner
    3/4
    >>> global_rlct("x**2 + y**2", box="0:1", constraints="x + y <= 1").threshold  # the corner of a triangle
    1
    """
    deadline = Deadline.coerce(timeout)
    energy = _polynomial_energy(K, variables, parameters)
    if box is None:
        raise InputError("the global RLCT needs a compact support; give box='-1:1' or box='x=-1:1,y=0:2' (CLI: --box), "
                         "and constraints=... (CLI: --constraint) to cut a semi-algebraic set out of it")
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
        raise InputError("K has no zero in the support; the RLCT is taken on the zero set of K - min K: "
                         "subtract the minimum of K over the support, or enlarge the support")
    return _combine(tuple(_sorted(_unique(entries))), energy, support)


def _stopped(entries, energy, support, exc, progress):
    """The honest answer when the time limit or the memory cap stops the search: a bound from the zeros found, or UNKNOWN.

    The global lambda is the minimum over every zero, so a proven local pair
    found so far bounds it from above; strata not visited may hold smaller ones.
    """
    result = _combine(tuple(_sorted(_unique(entries))), energy, support) if entries else None
    total = 3 ** len(support.variables) * 2 ** len(support.constraints)
    where = (f"{exc} (after {progress['visited']} strata visited and {progress['pruned']} box faces pruned "
             f"of {total} strata)")
    if result is None or result.threshold is None:
        return GlobalRLCT(None, None, Status.UNKNOWN, tuple(_sorted(_unique(entries))), support.bounds,
                          f"no local pair settled: {where}", energy, support.texts)
    return GlobalRLCT(result.threshold, None, Status.BOUND, result.points, support.bounds,
                      f"only lambda <= {sympy.sstr(result.threshold)} is proven, from the zeros found before the stop: {where}",
                      energy, support.texts)


# ---------------------------------------------------------------------------
# the support


@dataclass(frozen=True)
class _Stratum:
    """The points of W in the relative interior of a box face (``fixed``) where exactly ``active`` constraints are 0."""

    fixed: dict
    active: tuple = ()

    def free(self, variables):
        return tuple(v for v in variables if v not in self.fixed)


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
                yield _Stratum(fixed, active)


def _refute_negative_values(energy, support, per_axis=5, budget=200_000, deadline=None):
    """Raise InputError at a test point of W where K < 0 (a grid of each box; a sound refutation, not a proof of K >= 0)."""
    poly = sympy.Poly(energy.expr, *energy.variables)
    if not all(c.is_Rational for c in poly.coeffs()) or not all(b.is_Rational for pair in support.bounds for b in pair):
        return  # the grid uses rational arithmetic; irrational data skip this sanity check (it proves nothing either way)
    terms = [(Fraction(int(c.p), int(c.q)), m) for m, c in poly.terms()]
    n = len(energy.variables)
    steps = per_axis if len(terms) * per_axis**n <= budget else 3 if len(terms) * 3**n <= budget else 0
    if steps == 0:
        return
    axes = [[Fraction(int(lo.p), int(lo.q)) + Fraction(j, steps - 1) * Fraction(int((hi - lo).p), int((hi - lo).q))
             for j in range(steps)] for lo, hi in support.bounds]
    constraints = [[(Fraction(int(c.p), int(c.q)), m) for m, c in sympy.Poly(g, *energy.variables).terms()] for g in support.constraints]
    for count, point in enumerate(itertools.product(*axes)):
        if deadline is not None and count % 1000 == 0:
            deadline.check("testing K >= 0 on a grid")
        if all(_evaluate(g, point) >= 0 for g in constraints) and _evaluate(terms, point) < 0:
            text = ", ".join(str(c) for c in point)
            raise InputError(f"K = {_evaluate(terms, point)} < 0 at ({text}) in the support; global_rlct needs K >= 0 on the "
                             "support (a loss or a KL divergence): check the sign of K, or shrink the support")


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
            raise InputError(f"K is a Taylor jet of order {K.order}, not the loss itself; pass Energy(loss.expr, loss.parameters) "
                             "to study the jet as a polynomial (the answers then hold for the jet), or use a polynomial model for an exact K")
        K = K.energy
    energy = as_energy(K, variables=variables, parameters=parameters)
    if energy.truncation is not None:  # a jet describes K only near its centre (truncation.py)
        raise InputError(f"K is a Taylor jet of order {energy.truncation.order}, which describes the loss only near its centre; use rlct "
                         "there, or pass Energy(jet.expr, variables) to study the jet as a polynomial")
    if energy.free_parameters:
        raise InputError(f"parameter {energy.free_parameters[0]} has no value; give every parameter a value")
    if not energy.is_polynomial():
        raise InputError("global_rlct needs a polynomial K; expand an analytic loss into a polynomial first")
    if not energy.variables:
        raise InputError("K has no variables; give a function of the parameters")
    irrational = [c for c in sympy.Poly(energy.expr, *energy.variables).coeffs() if not c.is_Rational]
    if irrational:
        raise InputError(f"global_rlct needs rational coefficients, and K has the coefficient {sympy.sstr(irrational[0])}; "
                         "rescale a variable to make it rational (y -> c*y changes neither lambda nor m), "
                         "or use rlct at a point")
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


def _stratum_entries(energy, support, stratum, deadline):
    """The zeros of K on one stratum: {K = 0, g_A = 0} and the Fritz John condition rank [grad K; grad g_A] <= |A|.

    A zero z of K in W minimises K on W, so (Fritz John) some non-trivial
    combination mu_0 grad K - sum mu_i grad g_i vanishes at z, along the face:
    every (|A| + 1)-minor of the gradients is 0.  With no active constraint
    this is grad_F K = 0.
    """
    free = stratum.free(energy.variables)
    k = sympy.expand(energy.expr.xreplace(stratum.fixed))
    active = [sympy.expand(support.constraints[i].xreplace(stratum.fixed)) for i in stratum.active]
    if not free:
        if k == 0 and all(g == 0 for g in active) and _inside({}, support, stratum):
            return [_point_entry(energy, support, stratum, {}, "isolated zero", deadline)]
        return []
    found = solve_system([k] + active + _fritz_john(k, active, free), free, timeout=deadline)
    entries = [_point_entry(energy, support, stratum, dict(zip(free, p.point)), "isolated zero", deadline)
               for p in found.points if _inside(dict(zip(free, p.point)), support, stratum)]
    for component in found.components:
        if stratum.active:
            entries += _boundary_component_entries(energy, support, stratum, free, component, deadline)
        else:
            entries += _component_entries(energy, support, stratum, free, component, deadline)
    return entries


def _fritz_john(k, active, free):
    rows = [[sympy.diff(f, v) for v in free] for f in [k] + active]
    size = len(rows)
    if size > len(free):
        return []
    return minors(sympy.Matrix(rows), size)


def _inside(coordinates, support, stratum):
    """Whether a point lies in the stratum: free coordinates strictly inside the box, inactive constraints > 0."""
    box = support.box
    point = {**stratum.fixed, **coordinates}
    try:
        if not all(exact_sign(c - box[v][0]) > 0 and exact_sign(box[v][1] - c) > 0 for v, c in coordinates.items()):
            return False
        return all(exact_sign(g.xreplace(point)) > 0 for i, g in enumerate(support.constraints) if i not in stratum.active)
    except UndecidedSign:  # pragma: no cover - real algebraic coordinates compare exactly in practice
        return False


# ---------------------------------------------------------------------------
# points


def _point_entry(energy, support, stratum, coordinates, kind, deadline):
    """The local pair at one zero, for the integral over W near it."""
    point = tuple(stratum.fixed.get(v, coordinates.get(v)) for v in energy.variables)
    location = _location(stratum, support)
    # catch=Exception: an exact step that cannot handle this (algebraic) point says so, never guesses
    with deadline.attempt("the local rlct", BUDGETS.local_rlct, catch=Exception) as step:
        result = rlct(energy.at(point), timeout=step.deadline)
    if step.timed_out:
        return LocalRLCT(point, kind, location, None, None, Status.UNKNOWN, f"rlct ran past {BUDGETS.local_rlct:g} s")
    if not step.ok:
        return LocalRLCT(point, kind, location, None, None, Status.UNKNOWN, f"the local rlct failed at this point ({step.failure}); "
                         "please report this input")
    rule = _rule(result)
    boundary = bool(stratum.fixed or stratum.active)
    if not boundary or result.status is not Status.PROVEN:
        return LocalRLCT(point, kind, location, result.threshold, result.multiplicity, result.status, rule, 0, not boundary)
    restricted = _restricted_pair(energy, support, stratum, point, rule, deadline)
    if restricted is not None:
        threshold, multiplicity, why = restricted
        return LocalRLCT(point, kind, location, result.threshold if threshold is None else threshold,
                         result.multiplicity if multiplicity is None else multiplicity, Status.PROVEN, why)
    return LocalRLCT(point, kind, location, result.threshold, result.multiplicity, result.status,
                     f"{rule}; full-space pair only (restricting to the support can only raise lambda)", 0, False)


def _restricted_pair(energy, support, stratum, point, rule, deadline):
    """(lambda, m, why) for the integral over W near a boundary zero (lambda, m None: the full-space pair), or None."""
    forms = _active_forms(energy.variables, support, stratum)
    if not stratum.active and "N1" in rule:
        return None, None, f"{rule}; theorem N1 holds on every orthant"
    frame = _orthant_frame(energy, point, forms)
    if frame is not None:
        g, orthant = frame
        if all(sympy.expand(g - g.xreplace({u: -u})) == 0 for u in orthant):
            return None, None, f"{rule}; K is even in the coordinates normal to the active faces"
        pair = _orthant_newton(g, energy.variables, orthant, deadline)
        if pair is not None:
            return (*pair, "theorem N1 on the orthant of the support: no compact face polynomial vanishes there")
    if _morse_cone(energy, point, forms):
        n = len(energy.variables)
        return sympy.Rational(n, 2), 1, ("the Hessian is positive definite and W contains an open cone at the point: "
                                         f"vol{{K < t}} ~ t^({n}/2)")
    return None


def _active_forms(variables, support, stratum):
    """The polynomials l >= 0 on W that vanish at a point of the stratum: x - lo, hi - x, and the active g_i."""
    box = support.box
    faces = [v - box[v][0] if c == box[v][0] else box[v][1] - v for v, c in stratum.fixed.items()]
    return faces + [support.constraints[i] for i in stratum.active]


def _orthant_frame(energy, point, forms):
    """(g, orthant): coordinates in which W is the orthant {u_j >= 0, u_j in orthant} near the point, and K there.

    Translate the point to 0, then make each active form a coordinate in
    turn: a form c*v + r (c a non-zero number, r free of v, v not yet used)
    becomes v by the substitution v -> (v - r)/c.  The composite is a
    polynomial automorphism with constant Jacobian, so the local pair of the
    integral over W is that of g over the orthant.  None when some form is
    not of that shape (W is not an orthant in such coordinates).
    """
    variables = energy.variables
    shift = {v: v + c for v, c in zip(variables, point)}
    g = sympy.expand(energy.expr.xreplace(shift))
    remaining = [sympy.expand(f.xreplace(shift)) for f in _distinct_forms(forms, variables)]
    orthant = []
    while remaining:
        form = remaining.pop(0)
        step = _straightening_variable(form, variables, orthant)
        if step is None:
            return None
        v, coefficient, rest = step
        substitution = {v: (v - rest) / coefficient}
        g = sympy.expand(g.xreplace(substitution))
        remaining = [sympy.expand(f.xreplace(substitution)) for f in remaining]
        orthant.append(v)
    return g, tuple(orthant)


def _straightening_variable(form, variables, used):
    """(v, c, r) with form = c*v + r for the first unused variable v that allows it, else None."""
    for v in variables:
        if v not in used:
            coefficient, rest = linear_split(form, v)
            if coefficient is not None:
                return v, coefficient, rest
    return None


def _distinct_forms(forms, variables):
    """The forms with positive multiples of earlier ones removed (a constraint repeating a box face)."""
    kept = []
    for form in forms:
        if not any(sympy.cancel(form / other).is_positive for other in kept):
            kept.append(form)
    return kept


def _orthant_newton(g, variables, orthant, deadline):
    """(1/t, c) when no compact face polynomial of g vanishes on the torus part of the orthant {u_orthant >= 0}, else None.

    u_j = s_j^2 turns "no zero with u_j > 0" into "no zero with s_j != 0",
    the ordinary strong test (S. Lin, arXiv:1003.5338, the toric argument on
    one orthant).
    """
    squared = sympy.expand(g.xreplace({u: u**2 for u in orthant}))
    with deadline.attempt("non-degeneracy on the orthant", BUDGETS.local_rlct) as step:
        report = nondegeneracy(Energy(squared, variables), timeout=step.deadline)
    if not step.ok or report.strong is not Answer.YES:
        return None
    polyhedron = newton_polyhedron(Energy(g, variables), timeout=deadline)
    return 1 / polyhedron.newton_distance, polyhedron.codimension


def _morse_cone(energy, point, forms):
    """K has a positive definite Hessian at the zero and W contains an open cone there (independent active normals)."""
    variables = energy.variables
    at = dict(zip(variables, point))
    if any(sympy.diff(energy.expr, v).xreplace(at) != 0 for v in variables):
        return False
    n_plus, _, _ = hessian_inertia(sympy.hessian(energy.expr, variables).xreplace(at))
    normals = _distinct_forms([sum(sympy.diff(f, v).xreplace(at) * v for v in variables) for f in forms], variables)
    return n_plus == len(variables) and sympy.Matrix([[sympy.diff(f, v) for v in variables] for f in normals]).rank() == len(normals)


def _rule(result):
    theorem = getattr(result.certificate, "theorem", None)
    return f"rlct ({result.method}{', ' + theorem if theorem else ''})"


def _location(stratum, support):
    if not stratum.fixed and not stratum.active:
        return "interior"
    faces = [f"{v} = {sympy.sstr(c)}" for v, c in stratum.fixed.items()]
    return ", ".join(faces + [_boundary_text(support.texts[i]) for i in stratum.active])


def _boundary_text(text):
    for sign in ("<=", ">=", "<", ">"):
        if sign in text:
            return text.replace(sign, "=", 1)
    return text  # pragma: no cover


# ---------------------------------------------------------------------------
# positive-dimensional pieces


def _component_entries(energy, support, stratum, free, component, deadline, depth=0):
    """The Morse-Bott stratum of one piece (lambda = r/2, m = 1) and its special points."""
    pieces = _real_pieces(component, free, deadline) if depth < 2 else None
    if pieces is not None:
        entries = _points_entries(energy, support, stratum, free, pieces.points, "isolated zero", deadline)
        for piece in pieces.components:
            entries += _component_entries(energy, support, stratum, free, piece, deadline, depth + 1)
        return entries
    if _misses_face(component, free, support, stratum, deadline):
        return []
    rank, hessian_form, kind = _morse_bott_rank(energy, stratum.fixed, free, component)
    d = component.dimension
    gram_form = _gram_form(component, free)
    special = solve_system(list(component.equations) + [sympy.expand(hessian_form * gram_form)], free, timeout=deadline)
    entries = _points_entries(energy, support, stratum, free, special.points, "special point", deadline)
    for piece in special.components:
        entries += _special_stratum(energy, support, stratum, free, piece, deadline)
    witness = _witness(energy, support, stratum, free, component, (hessian_form, gram_form), deadline)
    if witness is None:
        sample = _full_point(energy, stratum, free, component.sample_point)
        return entries + [LocalRLCT(sample, "unresolved stratum", _location(stratum, support), None, None, Status.UNKNOWN,
                                    "no smooth point of the piece with the Hessian rank of a Morse-Bott stratum was found inside the face", d)]
    return entries + [_morse_bott_entry(energy, witness, rank, kind, _location(stratum, support), d)]


def _boundary_component_entries(energy, support, stratum, free, component, deadline):
    """A piece of the zero set on a curved or slanted boundary {g = 0} of W (one active constraint, no box face).

    At a point z of the piece P where grad K = 0 along P and the Hessian H of K
    is positive semi-definite of rank r, K is Morse-Bott along the zero set C
    through z (C = P when r = n - dim P, or C crosses {g = 0} when
    r = n - dim P - 1).  W near z then holds a wedge around C (grad g(z) != 0
    is normal to C, first case) or half of a tube around C (grad g not in the
    range of H, second case), so vol{K < t} ~ t^(r/2): lambda = r/2, m = 1.
    The points of P where these conditions fail are special points.
    """
    location, d = _location(stratum, support), component.dimension
    unresolved = lambda why: [LocalRLCT(_full_point(energy, stratum, free, component.sample_point), "unresolved stratum",  # noqa: E731
                                        location, None, None, Status.UNKNOWN, why, d)]
    if _misses_face(component, free, support, stratum, deadline):
        return []
    if stratum.fixed or len(stratum.active) > 1:
        return unresolved("a piece of the zero set on an edge or corner of the support (several active constraints) is not analysed")
    variables, n = energy.variables, len(energy.variables)
    if not all(_vanishes_on(sympy.diff(energy.expr, v), component, free) for v in variables):
        return unresolved("grad K does not vanish along this piece of the zero set on the boundary; not analysed")
    g = support.constraints[stratum.active[0]]
    hessian = sympy.hessian(energy.expr, variables)
    gradient = sympy.Matrix([sympy.diff(g, v) for v in variables])
    for rank, transversal in ((n - d, sympy.expand((gradient.T * gradient)[0])), (n - d - 1, rank_form(hessian + gradient * gradient.T, n - d))):
        if rank <= 0 or _vanishes_on(rank_form(hessian, rank), component, free):
            continue
        forms = (rank_form(hessian, rank), _gram_form(component, free), transversal)
        special = solve_system(list(component.equations) + [sympy.expand(sympy.Mul(*forms))], free, timeout=deadline)
        entries = _points_entries(energy, support, stratum, free, special.points, "special point", deadline)
        for piece in special.components:
            entries += _special_stratum(energy, support, stratum, free, piece, deadline)
        witness = _witness(energy, support, stratum, free, component, forms, deadline)
        if witness is None:
            return entries + unresolved("no point of the piece with the Morse-Bott and transversality conditions was found")
        return entries + [_wedge_entry(energy, witness, rank, location, d, rank == n - d)]
    return unresolved("the Hessian rank along this piece of the zero set on the boundary is not that of a Morse-Bott stratum")


def _wedge_entry(energy, point, rank, location, d, inside):
    n_plus, n_minus, _ = hessian_inertia(sympy.hessian(energy.expr, energy.variables).xreplace(dict(zip(energy.variables, point))))
    if n_minus:
        return LocalRLCT(point, "unresolved stratum", location, None, None, Status.UNKNOWN,
                         "the Hessian of K is indefinite along this piece of the zero set on the boundary; not analysed", d)
    shape = "a wedge around the zero set, which lies in the boundary" if inside else "half a tube around the zero set, which crosses the boundary"
    rule = (f"Morse-Bott up to the boundary: K is a positive definite quadratic form in {rank} normal coordinates and W holds "
            f"{shape}: lambda = {rank}/2, m = 1")
    return LocalRLCT(point, "Morse-Bott stratum", location, sympy.Rational(rank, 2), 1, Status.PROVEN, rule, d)


def _points_entries(energy, support, stratum, free, points, kind, deadline):
    return [_point_entry(energy, support, stratum, dict(zip(free, p.point)), kind, deadline)
            for p in points if _inside(dict(zip(free, p.point)), support, stratum)]


def _gram_form(component, free):
    """A polynomial vanishing where the piece is singular (its equations' Jacobian drops rank)."""
    if not component.equations:
        return sympy.Integer(1)
    return rank_form(jacobian_gram(component.equations, free), len(free) - component.dimension)


def _morse_bott_rank(energy, fixed, free, component):
    """(r, form, kind): the Hessian rank r of a Morse-Bott stratum along the piece and the form whose zeros break it.

    Inside the face, or on a face that contains the zero set near the piece,
    r = n - d.  When the zero set crosses a boundary face transversally it has
    dimension d + k (k fixed coordinates): then r = n - d - k, the Hessian has
    rank r on the piece (checked modulo its equations), and the block H_FF
    of the free coordinates has rank r too, which is transversality:
    ker H + T F = R^n exactly when rank H_FF = rank H.
    """
    n, d, k = len(energy.variables), component.dimension, len(fixed)
    hessian = sympy.hessian(energy.expr, energy.variables).xreplace(fixed)
    inside = rank_form(hessian, n - d)
    if k == 0 or not _vanishes_on(inside, component, free):
        return n - d, inside, "inside"
    r = n - d - k
    if r <= 0 or not _vanishes_on(rank_form(hessian, r + 1), component, free):
        return n - d, inside, "inside"
    positions = [energy.variables.index(v) for v in free]
    block = hessian.extract(positions, positions)
    return r, rank_form(block, r), "transverse"


def _vanishes_on(expr, component, free):
    if not component.equations:
        return sympy.expand(expr) == 0
    return sympy.groebner(component.equations, *free, order="grevlex").reduce(sympy.expand(expr))[1] == 0


def _special_stratum(energy, support, stratum, free, piece, deadline):
    """A positive-dimensional special set: rlct at one of its points gives only an upper bound along it."""
    pieces = _real_pieces(piece, free, deadline)
    if pieces is not None:
        entries = _points_entries(energy, support, stratum, free, pieces.points, "special point", deadline)
        return entries + [e for q in pieces.components for e in _special_stratum(energy, support, stratum, free, q, deadline)]
    if _misses_face(piece, free, support, stratum, deadline):
        return []
    witness = _witness(energy, support, stratum, free, piece, (), deadline)
    location = _location(stratum, support)
    if witness is None:
        sample = _full_point(energy, stratum, free, piece.sample_point)
        return [LocalRLCT(sample, "unresolved stratum", location, None, None, Status.UNKNOWN,
                          "no point of this special set was found inside the face", piece.dimension)]
    entry = _point_entry(energy, support, stratum, dict(zip(energy.variables, witness)), "special stratum", deadline)
    if entry.threshold is None or not entry.restricted:
        return [LocalRLCT(witness, "special stratum", location, None, None, Status.UNKNOWN, entry.rule, piece.dimension)]
    rule = f"{entry.rule} at this point; the stratum is not proven equisingular, so lambda <= this value along it"
    return [LocalRLCT(witness, "special stratum", location, entry.threshold, None, Status.BOUND, rule, piece.dimension)]


def _real_pieces(component, free, deadline):
    """Re-split a piece whose equations contain a sum of even monomials with positive coefficients, else None.

    Over R, sum c_i m_i^2 = 0 with c_i > 0 forces every m_i = 0 (y^2 + z^2 = 0
    is the line y = z = 0), so the real points lie on a smaller set.
    """
    replaced, changed = [], False
    for e in component.equations:
        roots = _square_monomials(e, free)
        changed = changed or roots is not None
        replaced += roots if roots is not None else [e]
    if not changed:
        return None
    return solve_system(replaced, free, timeout=deadline)


def _square_monomials(expr, free):
    poly = sympy.Poly(expr, *free)
    terms = poly.terms()
    if len(terms) < 2 or any(c <= 0 or any(e % 2 for e in exps) for exps, c in terms):
        return None
    return [sympy.Mul(*(v ** (e // 2) for v, e in zip(free, exps))) for exps, _ in terms]


def _misses_face(component, free, support, stratum, deadline):
    """Whether the piece misses the stratum: an inactive constraint vanishes on it (it lies on another
    stratum), or some coordinate is confined by an elimination polynomial to roots outside the open interval."""
    box = support.box
    if not component.equations:
        return False
    inactive = [sympy.expand(g.xreplace(stratum.fixed)) for i, g in enumerate(support.constraints) if i not in stratum.active]
    if any(_vanishes_on(g, component, free) for g in inactive):
        return True
    for v in free:
        others = [w for w in free if w != v]
        basis = sympy.groebner(component.equations, *others, v, order="lex")
        deadline.check("bounding a piece of the zero set")
        eliminant = [g for g in basis.exprs if g.free_symbols <= {v}]
        if eliminant and not has_root_between(sympy.Poly(eliminant[0], v), *box[v]):
            return True
    return False


def _morse_bott_entry(energy, point, rank, kind, location, d):
    hessian = sympy.hessian(energy.expr, energy.variables).xreplace(dict(zip(energy.variables, point)))
    n_plus, n_minus, _ = hessian_inertia(hessian)
    if n_minus:
        raise InputError(f"K takes negative values near its zero ({', '.join(map(sympy.sstr, point))}); "
                         "global_rlct needs K >= 0 near the box (a loss or KL divergence)")
    where = "" if kind == "inside" else "; the zero set crosses the face transversally"
    rule = f"Morse-Bott: near each point K is a positive definite quadratic form in {rank} normal coordinates, lambda = {rank}/2, m = 1{where}"
    return LocalRLCT(point, "Morse-Bott stratum", location, sympy.Rational(rank, 2), 1, Status.PROVEN, rule, d)


def _witness(energy, support, stratum, free, component, forms, deadline):
    """A point of the piece inside the stratum where none of the forms vanishes (a Morse-Bott point)."""
    with deadline.attempt("a Morse-Bott point on the piece", BUDGETS.witness) as step:
        candidates = itertools.chain([component.sample_point], _slice_points(component, free, support, step.deadline))
        for candidate in candidates:
            if candidate is not None and _is_witness(dict(zip(free, candidate)), forms, support, stratum):
                return _full_point(energy, stratum, free, candidate)
    return None


def _slice_points(component, free, support, deadline):
    """Real points of the piece with d of the free coordinates fixed at interior rational values (algebra.systems.slice_points)."""
    box = support.box
    slices = ({v: box[v][0] + f * (box[v][1] - box[v][0]) for v, f in zip(chosen, fractions)}
              for fractions in itertools.product(WITNESS_FRACTIONS, repeat=component.dimension)
              for chosen in itertools.combinations(free, component.dimension))
    found = slice_points(component.equations, free, itertools.islice(slices, MAX_WITNESS_SLICES), ordered=True, deadline=deadline)
    return (point for point, _ in found)


def _is_witness(coordinates, forms, support, stratum):
    if not _inside(coordinates, support, stratum):
        return False
    point = {**stratum.fixed, **coordinates}
    try:
        return all(exact_sign(f.xreplace(point)) != 0 for f in forms)
    except UndecidedSign:  # pragma: no cover
        return False


def _full_point(energy, stratum, free, coordinates):
    if coordinates is None:
        return ()
    values = dict(zip(free, coordinates))
    return tuple(stratum.fixed.get(v, values.get(v)) for v in energy.variables)


# ---------------------------------------------------------------------------
# the minimum


def _combine(entries, energy, support):
    exact = [e for e in entries if e.status is Status.PROVEN and e.restricted]
    if exact:
        threshold = min(e.threshold for e in exact)
        multiplicity = max(e.multiplicity for e in exact if e.threshold == threshold)
        open_entries = [e for e in entries if e not in exact and not _harmless(e, threshold, multiplicity)]
        if not open_entries:
            where = ", ".join(_point_text(e.point) for e in exact if e.threshold == threshold and e.multiplicity == multiplicity)
            reason = f"minimum over {len(entries)} points and strata of the zero set, attained at {where}"
            return GlobalRLCT(threshold, multiplicity, Status.PROVEN, entries, support.bounds, reason, energy, support.texts)
    uppers = [e.threshold for e in exact] + [e.threshold for e in entries if e.status is Status.BOUND and e.restricted]
    unsettled = len([e for e in entries if e not in exact])
    if uppers:
        reason = f"{unsettled} local pair(s) not settled; only lambda <= min of the settled thresholds and bounds is proven"
        return GlobalRLCT(min(uppers), None, Status.BOUND, entries, support.bounds, reason, energy, support.texts)
    return GlobalRLCT(None, None, Status.UNKNOWN, entries, support.bounds, "no local pair on the zero set was settled", energy, support.texts)


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
    return sorted(entries, key=lambda e: (e.location != "interior", e.location, e.dimension, [sympy.default_sort_key(c) for c in e.point]))


def _point_text(point):
    return "(" + ", ".join(sympy.sstr(c) for c in point) + ")"


def _entry_label(entry):
    where = "interior" if entry.location == "interior" else f"boundary {entry.location}"
    return f"{entry.stratum} {_point_text(entry.point)}, {where}"


def _entry_value(entry):
    if entry.threshold is None:
        return f"{entry.status.value}: {entry.rule}"
    pair = f"lambda {sympy.sstr(entry.threshold)}, m {entry.multiplicity}"
    if entry.status is Status.BOUND:
        pair = f"lambda <= {sympy.sstr(entry.threshold)}"
    return f"{pair}, {entry.status.value}: {entry.rule}"
