"""Independent re-checks of every certificate kind, before any RLCT is called proven.

docs/rlct.md#re-checked-certificates.  A Newton certificate is re-verified by
exact LPs that share no code with :mod:`~singularities.polyhedra.newton`; a
principal-part certificate (theorem Q) by its weights, an isolated critical
point and its sign at sample points; a resolution certificate (theorem B) by
:func:`recheck`, which recomputes every chart from the input alone and counts a
"no real zero" answer only once its certificate verifies.  This module never
imports the search that made a resolution certificate
(:mod:`~singularities.thresholds.blowup`; tests/test_layers.py).
"""

import math
import re
from itertools import combinations, product

import flint
import sympy
from flint.utils.flint_exceptions import DomainError
from sympy.solvers.simplex import linprog

from .._exact import linear_split
from .._limits import Deadline, call_with_limit
from ..algebra.backend import NotRationalError, flint_context, flint_rational, from_flint, to_flint, use_flint
from ..algebra.polys import groebner_basis, ideal_contains
from ..algebra.realzeros import Answer, is_valid_certificate, real_point
from ..errors import RecheckError
from ..jets import local_expression, local_terms
from ..local.splitting import residual_variables
from ..polyhedra.ideals import sum_of_squares
from .certificates import (
    ArrangementCertificate,
    NewtonCertificate,
    PrincipalPartCertificate,
    SeparationCertificate,
    Status,
    TheoremCertificate,
)
from .resolution import (
    FINISHED,
    Operation,
    ResolutionCertificate,
    chart_polyhedron,
    fiber_pullback,
    in_domain,
    is_changeable,
    is_root_like,
    keeps_fiber,
    leaves_value,
    parse_function,
)
from .separation import combine
from .theorems import theorem_value

__all__ = ["Progress", "accepted", "polynomial_terms", "principal_part_failure", "recheck"]


def recheck(certificate, g=None, *, timeout=None):
    """Re-check a resolution certificate from scratch; True, or :class:`RecheckError` naming the failed step.

    For every chart this recomputes, from the input G and the chart's
    substitution alone: the Jacobian determinant (= const * y^h), the pullback
    (= y^(k/e) times the strict ideal, compared as ideals of Q[y], or
    const * y^k * strict for e = 1), that the fibre subspaces lie in phi^-1(0);
    for refined charts that the children are exactly the charts of the stated
    blow-up or change and that the fibre follows; for finished charts the
    finishing claim (no real zero, or smooth and transverse) and (lambda_C,
    m_C); and finally (lambda, m) as min and max over the leaves.  The
    finishing claims rest on "no real zero" answers of
    :func:`~singularities.algebra.realzeros.real_point`; each counts only
    after its certificate (a polynomial of the ideal without real zero) passes
    :func:`~singularities.algebra.realzeros.is_valid_certificate`: ideal
    membership by another Groebner algorithm and order, Sturm's theorem, a
    sum-of-squares identity.  An incomplete certificate only states the bound
    lambda <= lambda_C of its smallest finished chart C, which holds for any
    one valid chart: there C is re-checked in full, and of its ancestors only
    that each chart's map is its parent's composed with the stated step (C's
    own Jacobian and pullback are recomputed from the input).

    Examples
    --------
    >>> from singularities.thresholds.blowup import resolve
    >>> from singularities.thresholds.recheck import recheck
    >>> recheck(resolve("x**2*y - y**3"), "x**2*y - y**3")
    True
    """
    deadline = Deadline.coerce(timeout)
    symbols, function = certificate.variables, certificate.function
    if g is not None and sympy.expand(parse_function(g) - function) != 0:
        raise RecheckError("input", "the certificate is for another function")
    e = certificate.exponent
    originals = _recheck_root(certificate, symbols)
    by_path = {c.path: c for c in certificate.charts}
    exact = _Flint(symbols, originals) if use_flint() else None
    checks = [(c, True) for c in certificate.charts] if certificate.complete else _bound_charts(certificate)
    for chart, full in checks:
        deadline.check("re-checking the charts")
        _recheck_chart(chart, certificate, originals, symbols, e, by_path, deadline, exact, full)
    threshold, multiplicity, complete = leaves_value(certificate.charts)
    if complete and not (threshold.is_finite and multiplicity >= 1):
        raise RecheckError(
            "all",
            f"the leaves give ({threshold}, {multiplicity}), impossible at a zero of G: some chart must carry a pole",
        )
    if (threshold, multiplicity, complete) != (certificate.threshold, certificate.multiplicity, certificate.complete):
        raise RecheckError(
            "all",
            f"the leaves give ({threshold}, {multiplicity}, complete={complete}), "
            f"not ({certificate.threshold}, {certificate.multiplicity}, complete={certificate.complete})",
        )
    return True


def accepted(result, energy, deadline, progress):
    """Whether an RLCT result passes the sanity checks and its certificate's independent
    re-check; a failure is recorded.

    ``progress`` is the caller's record (:func:`~singularities.thresholds.rlct.rlct`'s):
    the re-check enters its stage there, adds the bounds it proves on the
    way (an exact LP's 1/t) and notes why a certificate is discarded.

    Examples
    --------
    >>> from singularities.thresholds.recheck import Progress, accepted
    >>> result = sg.rlct("x**2 - y**2")
    >>> accepted(result, result.energy, None, Progress("auto"))
    True
    """
    progress.enter(result.method, f"re-checking the {result.method} certificate")
    recheckers = {
        NewtonCertificate: _recheck_newton,
        PrincipalPartCertificate: _recheck_principal_part,
        ResolutionCertificate: _recheck_resolution,
        TheoremCertificate: _recheck_theorem,
        SeparationCertificate: _recheck_separation,
        ArrangementCertificate: _recheck_arrangement,
    }
    deadline = Deadline.coerce(deadline)
    failure = _implausible(result, energy, progress) or recheckers[type(result.certificate)](
        result, energy, deadline, progress
    )
    if failure:
        progress.discard(f"the {result.method} certificate was discarded: {failure}")
        return False
    if result.status is Status.BOUND:
        progress.add_bound(result.threshold, f"the {result.method} certificate (re-checked) bounds lambda")
    return True


def principal_part_failure(result, energy, deadline=None):
    """What fails in a theorem Q result's re-check (:func:`accepted`), or None when it holds.

    Examples
    --------
    >>> from dataclasses import replace
    >>> from singularities.thresholds.recheck import principal_part_failure
    >>> from singularities.thresholds.rlct import principal_part_rlct
    >>> result = principal_part_rlct(sg.classify("x**3 + y**4"))    # E6: d = 1/3 + 1/4
    >>> principal_part_failure(result, result.energy) is None
    True
    >>> principal_part_failure(replace(result, threshold=sympy.Rational(1, 2)), result.energy)
    'theorem Q gives (7/12, 1), not (1/2, 1)'
    """
    return _recheck_principal_part(result, energy, Deadline.coerce(deadline), None)


def polynomial_terms(h, variables):
    """{exponent tuple: coefficient} of the polynomial h, zero terms left out.

    Examples
    --------
    >>> from singularities.thresholds.recheck import polynomial_terms
    >>> x, y = sympy.symbols("x y")
    >>> polynomial_terms(x**2*y - 3*y, (x, y))
    {(2, 1): 1, (0, 1): -3}
    """
    poly = sympy.Poly(sympy.expand(h), *variables)
    return {tuple(map(int, e)): c for e, c in poly.terms() if c != 0}


class Progress:
    """What an rlct call knows so far: the method and stage running, the upper bounds
    proven, the certificates discarded.

    :func:`accepted` writes into it; :func:`~singularities.thresholds.rlct.rlct`
    turns it into a BOUND or UNKNOWN answer when no method proves lambda and m.

    Examples
    --------
    >>> from singularities.thresholds.recheck import Progress
    >>> progress = Progress("auto")
    >>> progress.add_bound(sympy.Rational(1, 2), "lambda <= 1/t")
    >>> progress.method, progress.bound
    ('newton', (1/2, 'lambda <= 1/t'))
    """

    def __init__(self, method):
        self.method = "newton" if method == "auto" else method
        self.stage = "reading the input"
        self.bounds = {}  # source -> (threshold, argument)
        self.discarded = []
        self.terms = None  # g's terms at the point, once expanded

    @property
    def bound(self):
        """(threshold, argument): the smallest proven upper bound for lambda, or None."""
        return min(self.bounds.values(), key=lambda b: b[0], default=None)

    def enter(self, method, stage):
        """Record that ``method`` is now at ``stage`` (for the reason of a time limit)."""
        self.method, self.stage = method, stage

    def add_bound(self, threshold, argument, source=None):
        """Record lambda <= threshold (proven by ``argument``); a later bound from the same source replaces it."""
        if threshold is not None:
            self.bounds[source or argument] = (threshold, argument)

    def discard(self, why):
        """Record why a certificate was discarded."""
        self.discarded.append(why)


# ----------------------------------------------------------------------------------------------
# RLCT results (Newton, theorem Q, the gate)


def _implausible(result, energy, progress):
    """What makes the pair impossible at a zero of g, or None: lambda = oo, m = 0, or lambda above a proven bound."""
    threshold, n = result.threshold, len(energy.variables)
    if threshold is None or threshold.is_finite is not True or not threshold > 0:
        return f"lambda = {threshold} at a zero of g is impossible (lambda <= n / ord_0 g)"
    if result.status is not Status.PROVEN:
        return None
    if result.multiplicity is None or not 1 <= result.multiplicity <= n:
        return f"m = {result.multiplicity} is impossible (1 <= m <= n = {n})"
    bound = progress.bound
    if bound is not None and threshold > bound[0]:
        return f"lambda = {threshold} exceeds the proven bound {bound[0]} ({bound[1]})"
    return None


def _recheck_resolution(result, energy, deadline, progress):
    """The blow-up certificate through :func:`recheck`; None when it holds."""
    try:
        recheck(result.certificate, local_expression(energy, subtract_value=False), timeout=deadline)
    except RecheckError as exc:
        return f"its re-check failed ({exc})"
    return None


def _recheck_theorem(result, energy, deadline, progress):
    """None when the theorem's hypotheses re-verify from the input, else what failed.

    Without the recogniser: the recorded factors are matrices of distinct
    variables of g whose shapes chain to the recorded widths,
    K = q ||W_L ... W_1 - C||^2 holds as an identity of FLINT polynomials, the
    factors multiply to C at the point and each has rank r = rank C there, and
    (lambda, m) is the theorem's value for the recorded widths and rank.
    """
    certificate = result.certificate
    names = {str(v): v for v in energy.variables}
    entries = [name for f in certificate.factors for row in f for name in row]
    if len(set(entries)) != len(entries) or not set(entries) <= set(names):
        return "the factors are not made of distinct variables of g"
    factors = [sympy.Matrix([[names[n] for n in row] for row in f]) for f in certificate.factors]
    widths = (factors[-1].cols,) + tuple(f.rows for f in reversed(factors))
    if any(factors[k].cols != factors[k + 1].rows for k in range(len(factors) - 1)):
        return "the factors do not chain"
    C = sympy.Matrix(certificate.target)
    if widths != tuple(certificate.sizes["widths"]) or C.shape != (widths[-1], widths[0]):
        return "the recorded widths are not those of the factors and C"
    if not certificate.scale > 0:
        return "the scale is not positive"
    product = factors[0]
    for f in factors[1:]:
        product = product * f
    deadline.check("re-checking the theorem's form")
    if not _is_zero_polynomial(certificate.scale * sum(e**2 for e in product - C) - energy.expr, energy.variables):
        return "K is not q ||W_L ... W_1 - C||^2"
    at = dict(zip(energy.variables, energy.point))
    values = [f.xreplace(at) for f in factors]
    value = values[0]
    for v in values[1:]:
        value = value * v
    r = C.rank()
    if value != C or any(v.rank() != r for v in values) or r != certificate.sizes["r"]:
        return "the point is not a most singular true point of the recorded rank"
    if (result.threshold, result.multiplicity) != theorem_value(certificate):
        return "(lambda, m) is not the theorem's value for these sizes"
    return None


def _recheck_separation(result, energy, deadline, progress):
    """None when the separation re-verifies, else what failed.

    The groups are disjoint sets of g's variables and each part lives in its
    group; for a sum, g (centred at the point) equals the sum of the parts and
    each part is a sum of squares with positive coefficients; for a product,
    the parts divide g exactly with a quotient that does not vanish at the
    point (a unit); each part's own result passes this gate again; and
    (lambda, m) follows from the parts' pairs by the rule of the kind.
    """
    certificate = result.certificate
    names = {str(v): v for v in energy.variables}
    flat = [name for group in certificate.groups for name in group]
    if len(set(flat)) != len(flat) or not set(flat) <= set(names):
        return "the groups are not disjoint sets of variables of g"
    groups = [{names[n] for n in group} for group in certificate.groups]
    if any(not part.free_symbols <= group for part, group in zip(certificate.parts, groups)):
        return "a part uses variables outside its group"
    g = local_expression(energy)
    if certificate.kind == "sum":
        if any(sum_of_squares(part, energy.variables) is None for part in certificate.parts):
            return "a part of the sum is not a sum of squares"
        if not _is_zero_polynomial(g - sum(certificate.parts), energy.variables):
            return "g is not the sum of the parts"
    elif certificate.kind == "product":
        quotient, remainder = sympy.div(g, sympy.Mul(*certificate.parts), *energy.variables)
        if remainder != 0 or quotient.xreplace({v: 0 for v in energy.variables}) == 0:
            return "the parts do not divide g up to a unit"
    else:
        return f"unknown separation {certificate.kind!r}"
    for part_result in certificate.results:
        if part_result.status is not Status.PROVEN or not accepted(
            part_result, part_result.energy, deadline, Progress(part_result.method)
        ):
            return "a part's result does not re-check"
    pairs = [(r.threshold, r.multiplicity) for r in certificate.results]
    if (result.threshold, result.multiplicity) != combine(certificate.kind, pairs):
        return "(lambda, m) does not follow from the parts"
    return None


def _recheck_arrangement(result, energy, deadline, progress):
    """None when the arrangement certificate re-verifies, else what failed.

    Without thresholds.arrangements (which works with FLINT ranks and
    closures): g is divided exactly by prod l_i^(e_i) with a quotient that
    does not vanish at the point; every subset of hyperplanes gives its flat
    as sympy's nullspace and the hyperplanes vanishing on it; a flat is dense
    when no split of its hyperplanes has ranks adding up to its codimension;
    the minimum of codim / N over dense flats must be lambda, the recorded
    minimisers must be exactly the flats attaining it, and the recorded
    nested family (pairwise incomparable members never span a dense flat)
    must have m members, with no nested family among the minimisers larger.
    """
    certificate = result.certificate
    xs = energy.variables
    forms = [sum(c * v for c, v in zip(n, xs)) for n in certificate.normals]
    product = sympy.Mul(*(f**e for f, e in zip(forms, certificate.exponents)))
    quotient, remainder = sympy.div(local_expression(energy), product, *xs)
    if remainder != 0 or quotient.xreplace({v: 0 for v in xs}) == 0:
        return "g is not a unit times the product of the linear forms"
    rows = [sympy.Matrix([list(n)]) for n in certificate.normals]
    k = len(rows)

    def flat_of(indices):
        stacked = sympy.Matrix.vstack(*(rows[i] for i in indices))
        basis = stacked.nullspace()
        members = tuple(i for i in range(k) if all((rows[i] * b)[0] == 0 for b in basis))
        return members, len(xs) - len(basis)

    def codim(indices):
        return sympy.Matrix.vstack(*(rows[i] for i in indices)).rank() if indices else 0

    flats = {}
    for size in range(1, k + 1):
        for subset in combinations(range(k), size):
            deadline.check("re-checking the intersection lattice")
            members, c = flat_of(subset)
            flats[members] = c
    dense = {
        f: c
        for f, c in flats.items()
        if all(
            codim(part) + codim(tuple(i for i in f if i not in part)) != c
            for size in range(1, len(f))
            for part in combinations(f, size)
        )
    }
    ratio = {f: sympy.Rational(c, sum(certificate.exponents[i] for i in f)) for f, c in dense.items()}
    if min(ratio.values()) != result.threshold:
        return "lambda is not the minimum of codim / N over the dense flats"
    minimisers = {f for f in dense if ratio[f] == result.threshold}
    if minimisers != set(certificate.minimisers) or not set(certificate.nested) <= minimisers:
        return "the minimising dense flats are not the recorded ones"

    if len(minimisers) > 12:
        return "too many minimising flats to re-check the nested families"

    def nested(family):
        for size in range(2, len(family) + 1):
            for members in combinations(family, size):
                deadline.check("re-checking the nested families")
                if all(not (set(a) <= set(b) or set(b) <= set(a)) for a, b in combinations(members, 2)):
                    if flat_of(tuple(sorted(set().union(*members))))[0] in dense:
                        return False
        return True

    if len(certificate.nested) != result.multiplicity or not nested(certificate.nested):
        return "the recorded family is not nested or m is not its size"
    if any(nested(f) for f in combinations(sorted(minimisers), result.multiplicity + 1)):
        return "a larger nested family attains the minimum"
    return None


def _is_zero_polynomial(p, variables):
    """Whether p expands to 0: FLINT over QQ when it can, else sympy."""
    try:
        _, (flint_p,) = to_flint([p], variables)
        return flint_p == 0
    except NotRationalError:
        return sympy.expand(p) == 0


def _recheck_newton(result, energy, deadline, progress):
    """None when the Newton certificate re-verifies without newton.py, else what failed.

    t is recomputed by an exact LP, c as the dimension of the normal cone of
    Gamma_+ at (t, ..., t), the principal face polynomial from a normal in
    that cone's relative interior; the theorem's (lambda, m) from the
    certificate's answers; and for theorem P that h^k divides g with a
    quotient that does not vanish at the point.
    """
    certificate, variables = result.certificate, energy.variables
    if certificate.reduced is not None:
        failure = _recheck_reduction(certificate, energy, deadline)
        if failure:
            return failure
        terms = polynomial_terms(certificate.reduced, variables)
    else:
        terms = progress.terms if progress.terms is not None else local_terms(energy, timeout=deadline)
    t, c, face = call_with_limit(deadline, "re-checking the Newton data", _newton_data_by_lp, terms, variables)
    if certificate.reduced is None and energy.is_polynomial():
        progress.add_bound(
            1 / t, f"the Newton polyhedron of g has t = {t} (exact LP), and lambda <= 1/t always", source="newton"
        )
    if (t, c) != (certificate.newton_distance, certificate.codimension):
        return f"an exact LP gives (t, c) = ({t}, {c}), not ({certificate.newton_distance}, {certificate.codimension})"
    if sympy.expand(face - certificate.face_polynomial) != 0:
        return f"the principal face polynomial is {face}, not {certificate.face_polynomial}"
    pair = _theorem_pair(certificate)
    if pair != (result.threshold * certificate.power, result.multiplicity):
        stated = (result.threshold * certificate.power, result.multiplicity)
        return f"theorem {certificate.theorem} with these answers gives {pair}, not ({stated[0]}, {stated[1]})"
    return None


def _theorem_pair(certificate):
    """(lambda, m) of h that theorems N1/N2 give from the certificate's t, c and answers; None when neither applies."""
    inverse, c = 1 / certificate.newton_distance, certificate.codimension
    theorem = certificate.theorem.removesuffix(" and P")
    if theorem == "N1" and certificate.strong is Answer.YES:
        return inverse, c
    if theorem != "N2" or certificate.weak is not Answer.YES:
        return None
    if inverse != 1:
        return (inverse, c) if inverse < 1 else ((sympy.Integer(1), 1) if certificate.strong is Answer.NO else None)
    return {Answer.YES: (inverse, c), Answer.NO: (inverse, c + 1)}.get(certificate.principal_zero)


def _recheck_reduction(certificate, energy, deadline):
    """None when g = u * h^k with u a polynomial and u(0) != 0 (theorem P), else what failed."""
    variables = energy.variables
    g = sympy.Poly(local_expression(energy), *variables)
    power = sympy.Poly(certificate.reduced, *variables) ** certificate.power
    quotient, remainder = call_with_limit(deadline, "re-checking g = u * h**k", g.div, power)
    if not remainder.is_zero or quotient.eval(dict.fromkeys(variables, 0)) == 0:
        return f"g is not a unit times ({certificate.reduced})**{certificate.power}"
    return None


def _newton_data_by_lp(terms, variables):
    """(t, c, face polynomial) of Gamma_+ of the terms by exact LPs (sympy's simplex), sharing no code with newton.py.

    t = max over w >= 0, sum w = 1, of min over exponents a of w.a (LP duality
    with the smallest t such that (t, ..., t) lies in Gamma_+).  The inner
    normals at p = (t, ..., t) form the cone C = {w : w >= 0, w.(a - p) >= 0};
    c = dim C = n - rank of its implicit equalities, found by one LP that
    maximises the slacks; a normal w* with every other slack positive lies in
    C's relative interior and exposes the smallest face containing p.
    """
    n = len(variables)
    points = _undominated(list(terms))
    objective = sympy.Matrix([0] * n + [-1])
    rows = sympy.Matrix([[-a for a in p] + [1] for p in points])
    value, _ = linprog(
        objective,
        rows,
        sympy.zeros(len(points), 1),
        sympy.Matrix([[1] * n + [0]]),
        sympy.Matrix([1]),
        [(0, None)] * n + [(None, None)],
    )
    t = -value
    cone = [tuple(int(i == j) for i in range(n)) for j in range(n)] + [tuple(a - t for a in p) for p in points]
    slack = sympy.Matrix([[-r for r in row] + [int(i == k) for i in range(len(cone))] for k, row in enumerate(cone)])
    _, solution = linprog(
        sympy.Matrix([0] * n + [-1] * len(cone)),
        slack,
        sympy.zeros(len(cone), 1),
        bounds=[(None, None)] * n + [(0, 1)] * len(cone),
    )
    normal, slacks = solution[:n], solution[n:]
    implicit = [row for row, s in zip(cone, slacks) if s == 0]
    c = n - (sympy.Matrix(implicit).rank() if implicit else 0)
    level = t * sum(normal)
    face = sympy.Add(
        *(
            coefficient * sympy.Mul(*(v**e for v, e in zip(variables, a)))
            for a, coefficient in terms.items()
            if sum(w * e for w, e in zip(normal, a)) == level
        )
    )
    return t, c, face


def _undominated(points):
    """The exponents not above another one coordinatewise (Gamma_+ is their hull plus the orthant)."""
    unique = set(points)
    return [p for p in unique if not any(q != p and all(b <= a for a, b in zip(p, q)) for q in unique)]


def _recheck_principal_part(result, energy, deadline, progress):
    """None when the principal part is quasi-homogeneous of degree 1 with the stated
    weights and the pair follows, else what failed.

    Also re-checked: the weight sum, weight 1/2 for each Morse variable u_i,
    an isolated critical point (the gradient ideal is zero-dimensional), and
    the sign claim against sample points (a sign-changing part must show
    both signs; a definite one must not).
    """
    certificate = result.certificate
    part, weights = certificate.principal_part, certificate.weights
    morse = sorted((s for s in part.free_symbols if re.fullmatch(r"u\d+", s.name)), key=lambda s: int(s.name[1:]))
    variables = residual_variables(len(weights) - len(morse)) + tuple(morse)
    if not part.free_symbols <= set(variables) or any(
        w != sympy.Rational(1, 2) for w in weights[len(variables) - len(morse) :]
    ):
        return "the principal part's variables do not match the weights (core, then u_i of weight 1/2)"
    named, roots = _named_roots(part)
    if any(sum(w * e for w, e in zip(weights, m)) != 1 for m in sympy.Poly(named, *variables).monoms()):
        return f"{part} is not quasi-homogeneous of degree 1 for the weights {weights}"
    if sum(weights) != certificate.weight_sum:
        return f"the weights sum to {sum(weights)}, not {certificate.weight_sum}"
    gradient = [sympy.diff(named, v) for v in variables] + [sympy.minimal_polynomial(r, c) for c, r in roots.items()]
    basis = groebner_basis(
        gradient, (*variables, *roots), deadline, stage="re-checking the principal part", domain=None
    )
    if not basis.is_zero_dimensional:
        return f"{part} has a non-isolated critical point"
    signs = _sample_signs(named, variables, roots)
    if certificate.definite == ({1, -1} <= signs):
        return f"{part} is {'not definite' if certificate.definite else 'not shown to change sign at sample points'}"
    d = certificate.weight_sum
    pair = (d, 1) if certificate.definite else (min(d, sympy.Integer(1)), 2 if d == 1 else 1)
    if pair != (result.threshold, result.multiplicity):
        return f"theorem Q gives {pair}, not ({result.threshold}, {result.multiplicity})"
    return None


def _sample_signs(expression, variables, roots=None, limit=3000):
    """The signs of the polynomial at points of {-2, ..., 2}^n (at most ``limit`` of them);
    ``roots`` as from :func:`_named_roots`."""
    values = (0, 1, -1, 2, -2)
    terms = sympy.Poly(expression, *variables).terms()
    if not roots and all(c.is_Rational for _, c in terms):
        # exact in Python integers (coefficients times their positive common denominator: the same signs)
        scale = math.lcm(*(int(c.q) for _, c in terms)) if terms else 1
        terms = [(tuple((i, e) for i, e in enumerate(m) if e), int(c * scale)) for m, c in terms]
        value = lambda point: sum(c * math.prod(point[i] ** e for i, e in m) for m, c in terms)  # noqa: E731
    else:
        value = lambda point: expression.xreplace(dict(zip(variables, point))).xreplace(roots or {})  # noqa: E731
    signs = set()
    for count, point in enumerate(product(values, repeat=len(variables))):
        if count >= limit or {1, -1} <= signs:
            break
        signs.add(sympy.sign(value(point)))
    return signs


def _named_roots(expression):
    """(expression with each CRootOf replaced by a fresh symbol c, {c: root}).

    A CRootOf carries its polynomial in a variable (often x) that would clash
    with the polynomial's own variables.  With a symbol per root, a
    coefficient that vanishes at the root may look non-zero (the re-check then
    fails: a safe direction), and "isolated" is decided for the ideal with the
    roots' minimal polynomials added (zero-dimensional there implies isolated
    at every root, this one included).
    """
    roots = {
        sympy.Dummy(f"c{i}"): r
        for i, r in enumerate(sorted(expression.atoms(sympy.CRootOf), key=sympy.default_sort_key))
    }
    return expression.xreplace({r: c for c, r in roots.items()}), roots


# ----------------------------------------------------------------------------------------------
# resolution certificates (theorem B)


def _bound_charts(certificate):
    """[(chart, full check)]: a finished chart whose value is the incomplete certificate's bound (full) and its
    ancestors (the chain of steps only); all charts in full when there is none."""
    best = min(
        (
            c
            for c in certificate.charts
            if c.outcome in FINISHED and c.threshold is not None and c.threshold == certificate.threshold
        ),
        key=lambda c: (len(c.domain), len(c.path)),  # the cheapest to re-check: no domain, fewest steps
        default=None,
    )
    if best is None:
        return [(c, True) for c in certificate.charts]
    ancestors = {best.path[:k] for k in range(len(best.path) + 1)}
    return [(c, c.path == best.path) for c in certificate.charts if c.path in ancestors]


def _recheck_root(certificate, symbols):
    function = certificate.function
    if certificate.squares:
        if any(c <= 0 for c, _ in certificate.squares):
            raise RecheckError("0", "a coefficient of the sum of squares is not positive")
        if sympy.expand(function - sum(c * f**2 for c, f in certificate.squares)) != 0:
            raise RecheckError("0", "G is not the stated sum of squares")
        return tuple(f for _, f in certificate.squares)
    return (function,)


class _Flint:
    """The certificate's polynomials on FLINT (grevlex over QQ), each read once; None for one that is not over QQ
    (that chart is then re-checked on sympy).

    A fast path only: every claim is decided exactly either way (tests/test_blowup.py runs the
    re-check on both backends).
    """

    def __init__(self, symbols, originals):
        self.symbols = symbols
        self.context = flint_context(len(symbols))
        self.index = {v: i for i, v in enumerate(symbols)}
        self.originals = self.read_all(originals)
        self.substitutions = {}

    def read(self, expression):
        """The ``fmpq_mpoly`` of a polynomial over QQ (its terms read directly when expanded), or None."""
        terms, n = {}, len(self.symbols)
        for term in sympy.Add.make_args(expression):
            coefficient, monomial = term.as_coeff_Mul()
            exponents = [0] * n
            for factor in sympy.Mul.make_args(monomial):
                if factor == 1:
                    continue
                base, power = factor.as_base_exp()
                if base not in self.index or not (power.is_Integer and power > 0):
                    return self._read_by_poly(expression)
                exponents[self.index[base]] += int(power)
            key = tuple(exponents)
            if key in terms or not coefficient.is_Rational:
                return self._read_by_poly(expression)
            if coefficient != 0:
                terms[key] = flint_rational(coefficient)
        return self.context.from_dict(terms)

    def _read_by_poly(self, expression):
        try:
            return to_flint([expression], self.symbols, context=self.context)[1][0]
        except NotRationalError:
            return None

    def read_all(self, expressions):
        """[fmpq_mpoly] of the expressions, or None when one is not a polynomial over QQ."""
        polys = [self.read(p) for p in expressions]
        return None if any(p is None for p in polys) else polys

    def substitution(self, chart):
        """phi of the chart on FLINT (read once per chart), or None."""
        if chart.path not in self.substitutions:
            self.substitutions[chart.path] = self.read_all(chart.substitution)
        return self.substitutions[chart.path]

    def monomial(self, exponents):
        return self.context.from_dict({tuple(exponents): 1})


def _recheck_chart(chart, certificate, originals, symbols, e, by_path, deadline, exact=None, full=True):
    """Every claim of the chart; with ``full`` False (an ancestor of the chart giving an incomplete
    certificate's bound) only its place in the chain: its map, fibre, parent and children."""
    fail = lambda step: RecheckError(chart.name, step)
    phi = dict(zip(symbols, chart.substitution))
    exact = exact if exact is not None and exact.originals is not None and exact.substitution(chart) else None
    if full:
        _recheck_jacobian(chart, symbols, fail, exact)
        _recheck_pullback(chart, originals, phi, symbols, e, fail, deadline, exact)
    for component in chart.fiber:
        if not _maps_to_zero(chart, component, symbols, exact):
            raise fail(f"the fibre subspace {{{', '.join(component)} = 0}} is not mapped to 0")
    if not chart.fiber:
        raise fail("the chart has an empty fibre: its divisors' values would be counted for no point")
    if any(sympy.expand(d).xreplace({v: 0 for v in symbols}) == 0 for d in chart.domain):
        raise fail("a domain polynomial vanishes at the chart's origin")
    if chart.operation is Operation.ROOT:
        if chart.substitution != symbols or chart.fiber != (tuple(v.name for v in symbols),):
            raise fail("the root chart is not the identity with fibre {0}")
    else:
        _recheck_parent(chart, by_path, symbols, fail, exact)
    if chart.outcome == "refined":
        _recheck_children(chart, certificate, symbols, fail)
    elif not full:
        raise fail("an ancestor of the chart giving the bound is not refined")
    elif chart.outcome == "newton":
        _recheck_chart_newton(chart, symbols, e, fail, deadline)
    elif chart.outcome in FINISHED:
        _recheck_finish(chart, symbols, e, fail, deadline, exact)


def _maps_to_zero(chart, component, symbols, exact):
    """Whether phi maps the fibre subspace {y_S = 0} to 0: every term of every phi_i has a factor y_j, j in S."""
    if exact is not None:
        on = [j for j, v in enumerate(symbols) if v.name in component]
        return all(any(m[j] for j in on) for p in exact.substitution(chart) for m in p.monoms())
    zero = {v: 0 for v in symbols if v.name in component}
    return all(sympy.expand(s.xreplace(zero)) == 0 for s in chart.substitution)


def _recheck_jacobian(chart, symbols, fail, exact=None):
    if exact is not None:  # Bareiss on FLINT: det(D phi) must be a single term c * y^h
        phi, n = exact.substitution(chart), len(symbols)
        if all(len(p) == 1 for p in phi) and _monomial_map_jacobian(phi, n) == tuple(chart.jacobian):
            return
        determinant = _bareiss([[p.derivative(j) for j in range(n)] for p in phi])
        terms = determinant.to_dict()
        if len(terms) == 1 and tuple(next(iter(terms))) == tuple(chart.jacobian):
            return
        if chart.domain and _is_domain_unit(from_flint(determinant, symbols), chart, symbols, chart.jacobian):
            return
        raise fail(
            f"det(D phi) = {from_flint(determinant, symbols)} is not a constant times y^h with h = {chart.jacobian}"
        )
    determinant = sympy.expand(
        sympy.Matrix([[sympy.diff(s, v) for v in symbols] for s in chart.substitution]).det(method="berkowitz")
    )
    monomial = sympy.Mul(*(v**h for v, h in zip(symbols, chart.jacobian)))
    ratio = sympy.cancel(determinant / monomial)
    if (not ratio.is_number or ratio == 0) and not _is_domain_unit(determinant, chart, symbols, chart.jacobian):
        raise fail(f"det(D phi) = {determinant} is not a constant times y^h with h = {chart.jacobian}")


def _monomial_map_jacobian(phi, n):
    """h with det(D phi) = c * y^h, c != 0, for a monomial map phi_i = c_i y^(a_i); None when det(D phi) = 0.

    d(y^(a_i))/dy_j = a_ij y^(a_i) / y_j, so det(D phi) = prod c_i * det(A) * y^(sum_i a_i - (1, ..., 1)).
    """
    rows = [p.monoms()[0] for p in phi]
    if flint.fmpz_mat(n, n, [int(a) for row in rows for a in row]).det() == 0:
        return None
    return tuple(sum(row[j] for row in rows) - 1 for j in range(n))


def _recheck_pullback(chart, originals, phi, symbols, e, fail, deadline, exact=None):
    half = [k // e for k in chart.monomial]
    if any(k % e for k in chart.monomial):
        raise fail(f"k = {chart.monomial} is not divisible by e = {e}")
    generators = exact.read_all(chart.generators) if exact is not None else None
    unit = exact.read(chart.unit) if generators is not None else None
    if unit is not None:
        _recheck_pullback_flint(chart, exact, generators, unit, half, e, fail, deadline)
        return
    monomial = sympy.Mul(*(v**a for v, a in zip(symbols, half)))
    pulled = [sympy.expand(f.xreplace(phi)) for f in originals]
    total = [sympy.expand(monomial * g) for g in chart.generators]
    if e == 1:
        _recheck_unit(chart, symbols, fail)
        ratio = sympy.cancel(pulled[0] / sympy.expand(total[0] * chart.unit))
        if not ratio.is_number or ratio == 0:
            raise fail(f"G(phi) is not a constant times unit * y^k * strict (k = {chart.monomial})")
        return
    _recheck_unit(chart, symbols, fail)
    if not _same_ideal(pulled, total, symbols, deadline, chart.unit):
        raise fail(f"the pulled-back ideal is not y^(k/2) times the strict ideal (k = {chart.monomial}) near the fibre")


def _recheck_pullback_flint(chart, exact, generators, unit, half, e, fail, deadline):
    """:func:`_recheck_pullback` on FLINT: f_i(phi) by composition, the ideals compared by :func:`_same_ideal_flint`."""
    phi = exact.substitution(chart)
    pulled = [f.compose(*phi, ctx=exact.context) for f in exact.originals]
    monomial = exact.monomial(half)
    if e == 1:
        _recheck_unit(chart, exact.symbols, fail)
        total, image = monomial * generators[0] * unit, pulled[0]
        if (
            total.is_zero()
            or image.is_zero()
            or image * total.leading_coefficient() != total * image.leading_coefficient()
        ):
            raise fail(f"G(phi) is not a constant times unit * y^k * strict (k = {chart.monomial})")
        return
    _recheck_unit(chart, exact.symbols, fail)
    if not _same_ideal_flint(pulled, generators, monomial, unit, deadline):
        raise fail(f"the pulled-back ideal is not y^(k/2) times the strict ideal (k = {chart.monomial}) near the fibre")


def _same_ideal_flint(pulled, strict, monomial, unit, deadline):
    """Whether unit * (P) lies in y^a (S) and unit * y^a (S) in (P) (:func:`_same_ideal` with
    second = y^a * S), decided on FLINT.

    Q[y] is a domain, so unit * p lies in y^a (S) iff y^a divides unit * p and the
    quotient lies in (S); and when y^a divides every p, (P) = y^a (P / y^a) and
    unit * y^a * s lies in (P) iff unit * s lies in (P / y^a).  Membership by
    :func:`~singularities.algebra.polys.ideal_contains` (a direct test or one
    Groebner basis per side); past its bounds, :func:`_same_ideal` on sympy.
    """
    stage = "ideal membership (re-check)"
    quotients = [_exact_quotient(unit * p, monomial) for p in pulled]
    if any(q is None for q in quotients):
        return False  # every element of y^a (S) is divisible by y^a
    divided = [_exact_quotient(p, monomial) for p in pulled]
    if all(q is not None for q in divided):
        targets, ideal = [unit * s for s in strict], divided
    else:
        targets, ideal = [unit * monomial * s for s in strict], pulled
    first = ideal_contains(strict, quotients, deadline, stage)
    if first is not None and not all(first):
        return False
    second = ideal_contains(ideal, targets, deadline, stage)
    if first is None or second is None:
        symbols = [sympy.Symbol(name) for name in monomial.context().names()]
        return _same_ideal(
            [from_flint(p, symbols) for p in pulled],
            [from_flint(monomial * s, symbols) for s in strict],
            symbols,
            deadline,
            from_flint(unit, symbols),
        )
    return all(second)


def _exact_quotient(p, divisor):
    """p / divisor on FLINT when the division is exact, else None."""
    try:
        return p / divisor
    except DomainError:
        return None


def _recheck_unit(chart, symbols, fail):
    """The unit has no zero on the fibre in the domain: after dividing out the domain polynomials, a non-zero
    constant on every fibre subspace."""
    unit = _without_domain(chart.unit, chart, symbols) if chart.domain else chart.unit
    for component in chart.fiber:
        restricted = sympy.expand(unit.xreplace({v: 0 for v in symbols if v.name in component}))
        if not restricted.is_number or restricted == 0:
            raise fail(
                f"the unit {chart.unit} is not a non-zero constant on the fibre subspace {{{', '.join(component)} = 0}}"
            )


def _without_domain(p, chart, symbols):
    """p divided by each domain polynomial of the chart as often as it divides exactly (sympy's division)."""
    p = sympy.Poly(sympy.expand(p), *symbols)
    for d in chart.domain:
        d = sympy.Poly(sympy.expand(d), *symbols)
        while not p.is_zero and d.total_degree() > 0:
            quotient, remainder = p.div(d)
            if not remainder.is_zero:
                break
            p = quotient
    return p.as_expr()


def _is_domain_unit(p, chart, symbols, exponents):
    """Whether p = c * y^exponents * (a product of the chart's domain polynomials), c a non-zero number."""
    monomial = sympy.Poly(sympy.Mul(*(v**h for v, h in zip(symbols, exponents))), *symbols)
    quotient, remainder = sympy.Poly(sympy.expand(p), *symbols).div(monomial)
    if not remainder.is_zero:
        return False
    rest = _without_domain(quotient.as_expr(), chart, symbols)
    return rest.is_number and rest != 0


def _same_ideal(first, second, symbols, deadline, unit=1):
    """Whether unit * (each generator of one) lies in the ideal of the other, both ways:
    equal ideals where unit != 0."""
    for a, b in ((first, second), (second, first)):
        a = [p for p in a if p != 0]
        basis = groebner_basis(a, symbols, deadline, stage="Groebner basis (re-check)")
        if not all(basis.contains(sympy.expand(unit * p)) for p in b):
            return False
    return True


def _recheck_parent(chart, by_path, symbols, fail, exact=None):
    parent = by_path.get(chart.parent)
    if parent is None or parent.outcome != "refined":
        raise fail("its parent is missing or not refined")
    if chart.operation is Operation.BLOW_UP:
        centre, name = chart.centre, chart.variable
        if name not in centre or not set(centre) <= {v.name for v in symbols}:
            raise fail("the chart variable of a blow-up is not a coordinate of its centre")
        i = [v.name for v in symbols].index(name)
        vi = symbols[i]
        mapping = {v: vi * v for v in symbols if v.name in centre and v != vi}
        expected_fiber = fiber_pullback(parent.fiber, centre, name)
    elif chart.operation in (Operation.RECENTRE, Operation.RESTRICTION):
        mapping, expected_fiber = _recheck_split(parent, chart, symbols, fail)
    else:
        v = sympy.Symbol(chart.variable)
        replacement = chart.replacement
        if v not in symbols or replacement is None:
            raise fail("a change names no coordinate or no replacement")
        coefficient, rest = linear_split(replacement, v) if replacement != v else (1, sympy.Integer(0))
        if coefficient is None:
            raise fail("the change is not y_l -> c*y_l + r with c a non-zero constant and r free of y_l")
        if chart.operation is Operation.TRANSLATION and (coefficient != 1 or not rest.is_number):
            raise fail("the translation is not y_l -> y_l + a with a a number")
        l = symbols.index(v)
        if not is_changeable(parent, l):
            raise fail("the change moves a divisor coordinate")
        fibre_variable = any(v.name in s for s in parent.fiber)
        if fibre_variable and not keeps_fiber(parent, l, sympy.expand(-rest / coefficient), symbols):
            raise fail("the change does not keep the fibre subspaces")
        mapping, expected_fiber = {v: replacement}, parent.fiber
    if chart.fiber != expected_fiber:
        raise fail(f"the fibre should be {expected_fiber}")
    inherited = [sympy.expand(d.xreplace(mapping)) for d in parent.domain]
    own = 1 if chart.operation in (Operation.RECENTRE, Operation.RESTRICTION) else 0
    if len(chart.domain) != len(inherited) + own or any(
        sympy.expand(d - e) != 0 for d, e in zip(chart.domain, inherited)
    ):
        raise fail("the domain is not the parent's carried through the step")
    if exact is not None and _composes_flint(parent, chart, mapping, exact):
        return
    for s, t in zip(parent.substitution, chart.substitution):
        if sympy.expand(s.xreplace(mapping) - t) != 0:
            raise fail("the substitution is not the parent's composed with the stated step")


def _recheck_split(parent, chart, symbols, fail):
    """(mapping, expected fibre) of one chart of a split at y_v = a != 0 (resolution.recentred_domains):
    the restriction keeps phi and the fibre and adds y_v - a to the domain; the recentred chart translates
    y_v -> y_v + a, adds y_v + a (the parent's y_v != 0) and drops the fibre subspaces through y_v = 0."""
    v = sympy.Symbol(chart.variable)
    if v not in symbols or not chart.domain:
        raise fail("a split names no coordinate or no domain")
    a = _split_value(chart, v)
    if a is None:
        raise fail("the split's point is not y_v = a with a a non-zero number")
    if chart.operation is Operation.RESTRICTION:
        return {}, parent.fiber
    if chart.replacement is None or sympy.expand(chart.replacement - v - a) != 0:
        raise fail("the recentred chart does not translate y_v -> y_v + a")
    return {v: v + a}, tuple(component for component in parent.fiber if v.name not in component)


def _split_value(chart, v):
    """a from the chart's own domain polynomial (y_v - a for a restriction, y_v + a for a recentred chart)."""
    if not chart.domain:
        return None
    coefficient, rest = linear_split(sympy.expand(chart.domain[-1]), v)
    if coefficient != 1 or rest is None or not rest.is_number or rest == 0:
        return None
    return -rest if chart.operation is Operation.RESTRICTION else rest


def _composes_flint(parent, chart, mapping, exact):
    """Whether the chart's phi is the parent's composed with the step (on FLINT); False when a
    polynomial is not over QQ (the caller then compares on sympy, which gives the verdict)."""
    outer = exact.substitution(parent)
    images = exact.read_all([mapping.get(v, v) for v in exact.symbols])
    if outer is None or images is None:
        return False
    return all(s.compose(*images, ctx=exact.context) == t for s, t in zip(outer, exact.substitution(chart)))


def _recheck_children(chart, certificate, symbols, fail):
    children = [c for c in certificate.charts if c.parent == chart.path]
    if not children:
        raise fail("a refined chart has no children")
    kinds = {c.operation for c in children}
    if kinds == {Operation.BLOW_UP}:
        centres = {c.centre for c in children}
        if len(centres) != 1 or sorted(c.variable for c in children) != sorted(next(iter(centres))):
            raise fail("the blow-up children are not one chart per centre variable")
        if len(next(iter(centres))) < 2:
            raise fail("a blow-up centre needs at least two coordinates")
    elif kinds == {Operation.RECENTRE, Operation.RESTRICTION} and len(children) == 2:
        v = sympy.Symbol(children[0].variable)
        values = {_split_value(c, v) for c in children}
        if children[0].variable != children[1].variable or len(values) != 1 or None in values:
            raise fail("the two charts of a split are not at the same point")
    elif not (kinds <= {Operation.CHANGE, Operation.TRANSLATION} and len(children) == 1):
        raise fail("children must be all the charts of one blow-up, one change, or the two charts of a split")


def _recheck_chart_newton(chart, symbols, e, fail, deadline):
    if not is_root_like(chart, symbols):
        raise fail("theorem N1 is only applied on charts with fibre {0} and constant Jacobian")
    polyhedron, report = chart_polyhedron(chart, symbols, e, deadline)
    if report.strong is not Answer.YES:
        raise fail("the chart is not strongly non-degenerate")
    if (1 / polyhedron.newton_distance, polyhedron.codimension) != (chart.threshold, chart.multiplicity):
        raise fail(f"N1 gives (1/t, c) = ({1 / polyhedron.newton_distance}, {polyhedron.codimension})")


def _recheck_finish(chart, symbols, e, fail, deadline, exact=None):
    """The finishing claim of a chart: every bad system has no real zero, and (lambda_C, m_C) follows.

    The bad systems are rebuilt here, and each "no real zero" answer of
    ``real_point`` counts only once its certificate passes
    ``is_valid_certificate``, which shares no decision code with the search.
    """
    for system in _recheck_bad_systems(chart, symbols, exact):
        if _checked(*in_domain(system, chart, symbols), fail, deadline) is not Answer.NO:
            raise fail("the strict transform is not shown normal crossing on the fibre")
    value = _recheck_value(chart, symbols, e, fail, deadline)
    if value != (chart.threshold, chart.multiplicity):
        raise fail(f"the chart gives {value}, not ({chart.threshold}, {chart.multiplicity})")


def _recheck_bad_systems(chart, symbols, exact=None):
    """The systems of :func:`_bad_systems`, built again: the minors are Berkowitz
    determinants of the Jacobian's columns.

    No shortcut for coordinate generators: there a minor is +-1 and the
    system is a unit.
    """
    divisors = [j for j, (h, k) in enumerate(zip(chart.jacobian, chart.monomial)) if h or k]
    generators = sympy.Matrix(chart.generators)
    polys = exact.read_all(chart.generators) if exact is not None else None
    for component in chart.fiber:
        on = {j for j, v in enumerate(symbols) if v.name in component}
        others = [j for j in divisors if j not in on]
        for extra in (set(s) for size in range(len(others) + 1) for s in combinations(others, size)):
            fixed = on | extra
            directions = [v for j, v in enumerate(symbols) if not (j in fixed and j in divisors)]
            if polys:  # on FLINT, the polynomials on {y_fixed = 0}: the same ideal with y_fixed, and smaller
                restricted = [from_flint(_off(p, fixed), symbols) for p in polys]
            else:
                restricted = list(chart.generators)
            yield (
                [symbols[j] for j in sorted(fixed)]
                + restricted
                + _recheck_minors(generators, directions, polys and (exact, polys), fixed)
            )


def _off(p, fixed):
    """The FLINT polynomial p on {y_fixed = 0}: its terms with no factor y_j, j in ``fixed``."""
    return p.context().from_dict({m: c for m, c in p.to_dict().items() if not any(m[j] for j in fixed)})


def _recheck_minors(generators, directions, flint_generators=None, fixed=()):
    """The maximal minors of the Jacobian matrix of the generators in the given directions (none if too few).

    ``flint_generators``: (:class:`_Flint`, the generators on FLINT), read once per chart; then the
    minors are restricted to {y_fixed = 0} (the system also holds y_fixed: the same ideal).
    """
    if len(directions) < len(generators):
        return []
    columns = list(combinations(range(len(directions)), len(generators)))
    if flint_generators:
        exact, polys = flint_generators
        rows = [[p.derivative(exact.index[v]) for v in directions] for p in polys]
        return [
            from_flint(_off(_bareiss([[row[j] for j in cols] for row in rows]), fixed), exact.symbols)
            for cols in columns
        ]
    jacobian = generators.jacobian(directions)
    fast = _bareiss_minors(jacobian, columns) if use_flint() else None
    if fast is not None:
        return fast
    return [sympy.expand(jacobian[:, list(cols)].det(method="berkowitz")) for cols in columns]


def _bareiss_minors(jacobian, columns):
    """The same minors by Bareiss's fraction-free elimination on FLINT polynomials (None if not over QQ).

    (Another algorithm than the search's cofactor expansion: the re-check shares no code with it.)
    """
    variables = sorted(jacobian.free_symbols, key=str)
    try:
        _, entries = to_flint(list(jacobian), variables)
    except NotRationalError:
        return None
    rows = [entries[i * jacobian.cols : (i + 1) * jacobian.cols] for i in range(jacobian.rows)]
    return [from_flint(_bareiss([[row[j] for j in cols] for row in rows]), variables) for cols in columns]


def _bareiss(matrix):
    """The determinant of a square matrix of FLINT polynomials (fraction-free Gaussian elimination)."""
    size, sign, previous = len(matrix), 1, None
    for k in range(size - 1):
        pivot = next((i for i in range(k, size) if not matrix[i][k].is_zero()), None)
        if pivot is None:
            return matrix[0][0] * 0
        if pivot != k:
            matrix[k], matrix[pivot], sign = matrix[pivot], matrix[k], -sign
        for i in range(k + 1, size):
            for j in range(k + 1, size):
                value = matrix[i][j] * matrix[k][k] - matrix[i][k] * matrix[k][j]
                matrix[i][j] = value if previous is None else value / previous  # exact (Sylvester's identity)
        previous = matrix[k][k]
    return matrix[-1][-1] if sign > 0 else -matrix[-1][-1]


def _recheck_value(chart, symbols, e, fail, deadline):
    """(lambda_C, m_C): the smallest of (h_j + 1)/k_j and, if the strict transform meets
    the fibre, c/e; m_C those attaining it."""
    ratios = {j: sympy.Rational(h + 1, k) for j, (h, k) in enumerate(zip(chart.jacobian, chart.monomial)) if k > 0}
    strict = sympy.Rational(len(chart.generators), e)
    present = _recheck_meets(chart, symbols, (), fail, deadline)
    candidates = list(ratios.values()) + ([strict] if present else [])
    if not candidates:
        return sympy.oo, 0
    threshold = min(candidates)
    poles = tuple(j for j, r in ratios.items() if r == threshold)
    if present and strict == threshold:
        return threshold, (len(poles) + _recheck_meets(chart, symbols, poles, fail, deadline)) if poles else 1
    return threshold, len(poles)


def _recheck_meets(chart, symbols, divisors, fail, deadline):
    """Whether the strict transform has a real zero on the fibre and on the given divisors; a "no" must be certified."""
    answers = [
        _checked(
            *in_domain(
                list(chart.generators) + [v for j, v in enumerate(symbols) if v.name in component or j in divisors],
                chart,
                symbols,
            ),
            fail,
            deadline,
        )
        for component in chart.fiber
    ]
    if Answer.YES in answers:
        return True
    if Answer.UNDECIDED in answers:
        raise fail("whether the strict transform meets the fibre is undecided")
    return False


def _checked(system, symbols, fail, deadline):
    """real_point's answer for the system, a NO only after its certificate is verified."""
    answer, evidence = real_point(system, symbols, deadline=deadline)
    if answer is Answer.NO and not is_valid_certificate(evidence, system, symbols, deadline=deadline):
        raise fail(f"the certificate {evidence} of no real zero of a system does not verify")
    return answer
