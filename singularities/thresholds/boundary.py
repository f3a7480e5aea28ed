"""Local RLCTs at the zeros of a loss K on a support W: one entry per point or stratum,
restricted to W at boundary points.

Conventions: docs/conventions.md#the-real-log-canonical-threshold; the rules
are stated in docs/slt.md#the-global-rlct, and
:func:`~singularities.thresholds.global_rlct.global_rlct` takes the minimum of
these entries.  At a zero on the boundary of W the zeta function integrates
over W only.  Each active constraint of the shape c*v + r (r free of v) is
made a coordinate by a polynomial change with constant Jacobian (an orthant
frame), so W becomes an orthant.  The local pair there equals the full-space
pair when K is even in the orthant coordinates, or (box faces only) when
``rlct()`` proved it by theorem N1; otherwise it is (1/t, c) of the Newton
polyhedron when every compact face polynomial has no zero in the torus part
of the orthant (the toric argument restricted to one orthant: S. Lin,
"Asymptotic approximation of marginal likelihood integrals", arXiv:1003.5338).
A definite minimum where W holds an open cone gets (n/2, 1).  Failing all
these, the full-space pair is kept as a bound: integrating over less can only
raise lambda (or lower m).  Along a Morse-Bott stratum (inside a face, or in a
curved boundary {g = 0}: a wedge or half a tube around the zero set) the pair
is (r/2, 1) with r the Hessian rank.
"""

from dataclasses import dataclass

import sympy

from .._exact import exact_string, linear_split, parse_exact, require_exact
from .._limits import BUDGETS
from .._result import register
from ..algebra.realroots import hessian_inertia
from ..algebra.realzeros import Answer
from ..energy import Energy
from ..errors import InputError
from ..polyhedra.newton import newton_polyhedron
from ..polyhedra.nondegeneracy import nondegeneracy
from .certificates import Status
from .rlct import rlct

__all__ = [
    "LocalRLCT",
    "Stratum",
    "local_budget",
    "location_of",
    "morse_bott_entry",
    "point_entry",
    "wedge_entry",
]


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
        return cls(
            tuple(parse_exact(c) for c in data["point"]),
            data["stratum"],
            data["location"],
            threshold,
            data["multiplicity"],
            Status(data["status"]),
            data["rule"],
            data["dimension"],
            data["restricted"],
        )


@dataclass(frozen=True)
class Stratum:
    """The points of W in the relative interior of a box face (``fixed``) where exactly ``active`` constraints are 0.

    Examples
    --------
    >>> from singularities.thresholds.boundary import Stratum
    >>> x, y = sympy.symbols("x y")
    >>> Stratum({x: 1}).free((x, y))
    (y,)
    """

    fixed: dict
    active: tuple = ()

    def free(self, variables):
        """The variables not fixed on this face."""
        return tuple(v for v in variables if v not in self.fixed)


def point_entry(energy, support, stratum, coordinates, kind, deadline):
    """The local pair at one zero, for the integral over W near it (the rules: the module docstring).

    ``coordinates`` are the free coordinates of the zero on the stratum;
    ``kind`` names the entry ("isolated zero", "special point", ...).  A local
    ``rlct`` that runs past its share of the time (:func:`local_budget`) or fails gives an UNKNOWN entry.

    Examples
    --------
    >>> from singularities._limits import Deadline
    >>> from singularities.domain import parse_support
    >>> from singularities.energy import as_energy
    >>> from singularities.thresholds.boundary import Stratum, point_entry
    >>> K = as_energy("x**3 + y**2")                    # on the half-plane x >= 0 of the box [0, 1]^2
    >>> x, y = K.variables
    >>> support = parse_support("0:1", (), K.variables)
    >>> entry = point_entry(K, support, Stratum({x: 0}), {y: 0}, "isolated zero", Deadline(None))
    >>> entry.threshold, entry.multiplicity, entry.restricted   # N1 on the orthant: 1/t = 1/3 + 1/2
    (5/6, 1, True)
    """
    point = tuple(stratum.fixed.get(v, coordinates.get(v)) for v in energy.variables)
    location = location_of(stratum, support)
    # catch=Exception: an exact step that cannot handle this (algebraic) point says so, never guesses
    budget = local_budget(deadline)
    with deadline.attempt("the local rlct", budget, catch=Exception) as step:
        result = rlct(energy.at(point), timeout=step.deadline)
    if step.timed_out:
        return LocalRLCT(point, kind, location, None, None, Status.UNKNOWN, f"rlct ran past its {budget:g} s share")
    if not step.ok:
        return LocalRLCT(
            point,
            kind,
            location,
            None,
            None,
            Status.UNKNOWN,
            f"the local rlct failed at this point ({step.failure}); please report this input",
        )
    rule = _rule(result)
    boundary = bool(stratum.fixed or stratum.active)
    if not boundary or result.status is not Status.PROVEN:
        return LocalRLCT(
            point, kind, location, result.threshold, result.multiplicity, result.status, rule, 0, not boundary
        )
    restricted = _restricted_pair(energy, support, stratum, point, rule, deadline)
    if restricted is not None:
        threshold, multiplicity, why = restricted
        return LocalRLCT(
            point,
            kind,
            location,
            result.threshold if threshold is None else threshold,
            result.multiplicity if multiplicity is None else multiplicity,
            Status.PROVEN,
            why,
        )
    return LocalRLCT(
        point,
        kind,
        location,
        result.threshold,
        result.multiplicity,
        result.status,
        f"{rule}; full-space pair only (restricting to the support can only raise lambda)",
        0,
        False,
    )


def local_budget(deadline):
    """Seconds for one local ``rlct()`` at a zero: BUDGETS.local_rlct_share of the time left under a limit, at least
    BUDGETS.local_rlct when that much is left (the points share the caller's deadline, no fixed cap);
    BUDGETS.local_rlct without a limit.

    Examples
    --------
    >>> from singularities._limits import BUDGETS, Deadline
    >>> from singularities.thresholds.boundary import local_budget
    >>> local_budget(Deadline(None)) == BUDGETS.local_rlct
    True
    >>> 290 < local_budget(Deadline(600)) <= 300
    True
    """
    remaining = deadline.remaining()
    if remaining is None:
        return BUDGETS.local_rlct
    return max(remaining * BUDGETS.local_rlct_share, min(remaining, BUDGETS.local_rlct))


def location_of(stratum, support):
    """Where the stratum lies, as text: "interior", or its box faces and active constraints ("x = 1, x + y = 1").

    Examples
    --------
    >>> from singularities.domain import parse_support
    >>> from singularities.thresholds.boundary import Stratum, location_of
    >>> x, y = sympy.symbols("x y")
    >>> location_of(Stratum({x: 1}, (0,)), parse_support("-1:1", "x + y <= 1", (x, y)))
    'x = 1, x + y = 1'
    """
    if not stratum.fixed and not stratum.active:
        return "interior"
    faces = [f"{v} = {sympy.sstr(c)}" for v, c in stratum.fixed.items()]
    return ", ".join(faces + [_boundary_text(support.texts[i]) for i in stratum.active])


def wedge_entry(energy, point, rank, location, d, inside):
    """The entry of a Morse-Bott piece on a curved boundary {g = 0}: (r/2, 1) when the
    Hessian is semi-definite, else unresolved.

    ``inside``: the zero set lies in the boundary (W holds a wedge around
    it), else it crosses the boundary (W holds half a tube around it).

    Examples
    --------
    >>> from singularities.energy import as_energy
    >>> from singularities.thresholds.boundary import wedge_entry
    >>> entry = wedge_entry(as_energy("(x**2 + y**2 - 1)**2", variables="x,y"), (1, 0), 1, "x**2 + y**2 = 1", 1, True)
    >>> entry.threshold, entry.multiplicity, entry.status.value       # one normal coordinate: lambda = 1/2
    (1/2, 1, 'proven')
    """
    n_plus, n_minus, _ = hessian_inertia(
        sympy.hessian(energy.expr, energy.variables).xreplace(dict(zip(energy.variables, point)))
    )
    if n_minus:
        return LocalRLCT(
            point,
            "unresolved stratum",
            location,
            None,
            None,
            Status.UNKNOWN,
            "the Hessian of K is indefinite along this piece of the zero set on the boundary; not analysed",
            d,
        )
    shape = (
        "a wedge around the zero set, which lies in the boundary"
        if inside
        else "half a tube around the zero set, which crosses the boundary"
    )
    rule = (
        f"Morse-Bott up to the boundary: K is a positive definite quadratic form in {rank} normal coordinates "
        "and W holds "
        f"{shape}: lambda = {rank}/2, m = 1"
    )
    return LocalRLCT(point, "Morse-Bott stratum", location, sympy.Rational(rank, 2), 1, Status.PROVEN, rule, d)


def morse_bott_entry(energy, point, rank, kind, location, d):
    """The entry of a Morse-Bott stratum of dimension d: (r/2, 1) with r the Hessian rank (InputError if K < 0 nearby).

    ``kind`` is "inside" (the zero set lies in the face) or "transverse" (it
    crosses the face).

    Examples
    --------
    >>> from singularities.energy import as_energy
    >>> from singularities.thresholds.boundary import morse_bott_entry
    >>> K = as_energy("y**2 + z**2", variables="x,y,z")     # the x-axis: two normal coordinates
    >>> morse_bott_entry(K, (1, 0, 0), 2, "inside", "interior", 1).threshold
    1
    """
    hessian = sympy.hessian(energy.expr, energy.variables).xreplace(dict(zip(energy.variables, point)))
    n_plus, n_minus, _ = hessian_inertia(hessian)
    if n_minus:
        raise InputError(
            f"K takes negative values near its zero ({', '.join(map(sympy.sstr, point))}); "
            "global_rlct needs K >= 0 near the box (a loss or KL divergence)"
        )
    where = "" if kind == "inside" else "; the zero set crosses the face transversally"
    rule = (
        f"Morse-Bott: near each point K is a positive definite quadratic form in {rank} normal coordinates, "
        f"lambda = {rank}/2, m = 1{where}"
    )
    return LocalRLCT(point, "Morse-Bott stratum", location, sympy.Rational(rank, 2), 1, Status.PROVEN, rule, d)


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
        return (
            sympy.Rational(n, 2),
            1,
            (f"the Hessian is positive definite and W contains an open cone at the point: vol{{K < t}} ~ t^({n}/2)"),
        )
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
    """(1/t, c) when no compact face polynomial of g vanishes on the torus part of the
    orthant {u_orthant >= 0}, else None.

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
    return n_plus == len(variables) and sympy.Matrix(
        [[sympy.diff(f, v) for v in variables] for f in normals]
    ).rank() == len(normals)


def _rule(result):
    theorem = getattr(result.certificate, "theorem", None)
    return f"rlct ({result.method}{', ' + theorem if theorem else ''})"


def _boundary_text(text):
    for sign in ("<=", ">=", "<", ">"):
        if sign in text:
            return text.replace(sign, "=", 1)
    return text  # pragma: no cover
