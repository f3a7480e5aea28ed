"""Trigonometric dispersions with float amplitudes: every critical point on the torus, certified with arb balls.

A float amplitude is taken as the exact binary number it is: ``0.3`` means
5404319552844595 / 2**54, the double nearest 3/10, and nothing is replaced by
a nearby simple fraction.  The dispersion f and its derivatives are evaluated
over boxes with python-flint's arb balls (rigorous enclosures, cos and sin
included).  The period cell is subdivided: a box where some component of
grad f provably has no zero is discarded (:func:`~singularities.algebra.intervals.ball_excluded`);
on the others the Krawczyk test (:func:`~singularities.algebra.intervals.krawczyk_balls`)
proves that grad f has exactly one zero in the box and that the Hessian is
regular throughout it; the rest is bisected down to a size floor.  Working
with the angles themselves (not circle coordinates c, s with c^2 + s^2 = 1)
keeps the system square (n equations, n unknowns), which Krawczyk needs, and
arb's cos/sin enclosures are rigorous.

A certified point's Hessian is an interval matrix; when its leading principal
minors have certified signs (Sylvester), the point is Morse with a proven
index, and its DOS term uses the Hessian determinant as an interval.  A box
that reaches the floor uncertified is reported as "near higher-order": at a
point m of it, |grad f(m)| <= epsilon and the Hessian has a singular value <= delta/2,
so a change of f by a linear term of gradient norm <= epsilon and a quadratic term of
Hessian norm <= delta makes m a degenerate critical point (corank >= 1: A2 or
higher, or non-isolated).  Guide: docs/lattices.md#float-amplitudes.
"""

import itertools
import math
from dataclasses import dataclass

import mpmath
import sympy
from flint import arb, arb_mat, ctx, fmpq

from .._exact import read_expression
from .._limits import Deadline
from .._result import Result, register
from ..algebra.intervals import ball_excluded, krawczyk_balls, krawczyk_excluded, krawczyk_image
from ..domain import parse_periods
from ..energy import _normalize, _refuse_bad_tokens, _resolver
from ..errors import InputError

__all__ = ["CertifiedPoint", "CertifiedTorusPoints", "certified_critical_points", "has_float_coefficients"]

PRECISION = 128  # bits of the arb balls
FLOOR_BITS = 9  # boxes are bisected down to period / 2**FLOOR_BITS
REFINE_BITS = 5  # a cluster's hull is searched again down to hull / 2**REFINE_BITS
REFINE_DEPTH = 2  # at most this many nested refinements
REFINE_BOXES = 64  # only clusters of at most this many boxes are refined (not critical curves)
MAX_UNCERTIFIED = 4000  # leaf boxes at the floor before the search gives up (a near-critical surface)


def has_float_coefficients(f):
    """Whether ``f`` (text or sympy expression) contains a float number.

    Examples
    --------
    >>> from singularities.physics.certified_torus import has_float_coefficients
    >>> has_float_coefficients("-2*cos(x) - 0.6*cos(y)"), has_float_coefficients("-2*cos(x) - 3/5*cos(y)")
    (True, False)
    """
    if isinstance(f, str):
        seen = []
        try:
            _read(f, None, seen)
        except InputError:
            pass  # a float that is not finite counts: the certified path then says what is wrong
        return bool(seen)
    return isinstance(f, sympy.Basic) and bool(f.atoms(sympy.Float))


@register("certified_point")
@dataclass(frozen=True, slots=True)
class CertifiedPoint:
    """One critical point of a float dispersion with its certificate (all numbers are arb balls as text).

    ``status`` is "Morse" (existence, uniqueness in ``box`` and the Hessian
    signs certified), "critical" (existence and uniqueness certified, signs
    not), or "near higher-order" (not certified down to the floor; ``delta``
    and ``epsilon`` bound the change of f that makes ``point`` degenerate).
    For a band of a Bloch matrix (:func:`~singularities.physics.bands.certified_band_points`)
    ``bands`` holds the band number(s) and the status may also be "touching
    or near-touching" (``delta`` bounds the change of H(k) that makes two bands meet).
    """

    point: tuple
    box: tuple
    value: str
    hessian: tuple
    status: str
    label: str
    index: int | None
    dos: str
    epsilon: str | None = None
    delta: str | None = None
    bands: tuple = ()

    def to_dict(self):
        """The point as JSON-safe data (balls as text)."""
        return {
            "kind": "certified_point",
            "point": list(self.point),
            "box": list(self.box),
            "value": self.value,
            "hessian": [list(row) for row in self.hessian],
            "status": self.status,
            "label": self.label,
            "index": self.index,
            "dos": self.dos,
            "epsilon": self.epsilon,
            "delta": self.delta,
            "bands": list(self.bands),
        }

    @classmethod
    def from_dict(cls, data):
        """Rebuild the point from :meth:`to_dict` output."""
        return cls(
            tuple(data["point"]),
            tuple(data["box"]),
            data["value"],
            tuple(tuple(row) for row in data["hessian"]),
            data["status"],
            data["label"],
            data["index"],
            data["dos"],
            data.get("epsilon"),
            data.get("delta"),
            tuple(data.get("bands", ())),
        )


@register("certified_torus_points")
@dataclass(frozen=True, slots=True)
class CertifiedTorusPoints(Result):
    """Every critical point of a float trigonometric dispersion in one period cell, with certificates.

    ``complete`` says whether every box of the cell was either discarded or
    certified (then ``points`` are all the critical points); ``morse_sum`` is
    the sum of the Poincare-Hopf indices when every point is certified Morse
    (it must be 0, the Euler characteristic of the torus), else None with
    ``morse_note`` saying why it was not checked.
    """

    function: str
    variables: tuple
    periods: tuple
    points: tuple
    complete: bool
    morse_sum: int | None
    morse_note: str
    boxes: int

    def to_rows(self):
        """Header and rows: one row per point."""
        header = ("point", "E", "status", "type", "index", "DOS")
        rows = [(", ".join(p.point), p.value, p.status, p.label, p.index, p.dos) for p in self.points]
        return header, rows

    def to_dict(self):
        """The result as JSON-safe data."""
        return {
            "kind": "certified_torus_points",
            "function": self.function,
            "variables": list(self.variables),
            "periods": list(self.periods),
            "points": [p.to_dict() for p in self.points],
            "complete": self.complete,
            "morse_sum": self.morse_sum,
            "morse_note": self.morse_note,
            "boxes": self.boxes,
        }

    @classmethod
    def from_dict(cls, data):
        """Rebuild the result from :meth:`to_dict` output."""
        return cls(
            data["function"],
            tuple(data["variables"]),
            tuple(data["periods"]),
            tuple(CertifiedPoint.from_dict(p) for p in data["points"]),
            data["complete"],
            data["morse_sum"],
            data["morse_note"],
            data["boxes"],
        )

    def __repr__(self):
        return (
            f"CertifiedTorusPoints({len(self.points)} points, complete={self.complete}, "
            f"morse_sum={self.morse_sum}, boxes={self.boxes})"
        )


def certified_critical_points(f, variables=None, *, periods=None, timeout=None):
    """Every critical point of a trigonometric dispersion with float amplitudes, each in a certified box.

    Parameters
    ----------
    f : str or sympy.Expr
        A polynomial in cos and sin of integer multiples of 2 pi k_j / P_j;
        float amplitudes are read as the exact binary numbers they are.
    variables : str or sequence, optional
        The momenta; default the free symbols in name order.
    periods : sequence or str, optional
        The period P_j of each variable; default 2*pi.
    timeout : float, optional
        Time limit in seconds.

    Returns
    -------
    CertifiedTorusPoints

    Raises
    ------
    InputError
        If f is not such a trigonometric polynomial, or a number is NaN or infinite.
    TimeLimitError
        If the time limit passes (the message names the stage).

    Examples
    --------
    >>> from singularities.physics.certified_torus import certified_critical_points
    >>> r = certified_critical_points("-2.0*cos(x) - 2.0*cos(y) - 1.2*cos(x)*cos(y)")
    >>> [(p.label, p.index) for p in r.points], r.morse_sum, r.complete
    ([('A1 min', 1), ('A1 saddle', -1), ('A1 saddle', -1), ('A1 max', 1)], 0, True)
    """
    deadline = Deadline.coerce(timeout)
    saved = ctx.prec
    ctx.prec = PRECISION
    try:
        problem = _Problem(f, variables, periods)
        return _search(problem, deadline)
    finally:
        ctx.prec = saved


class _Problem:
    """The dispersion compiled to ball functions: value, gradient, Hessian; the period cell."""

    def __init__(self, f, variables, periods):
        expr, self.text = _expression(f)
        self.variables = _variables(expr, variables)
        n = len(self.variables)
        self.periods = parse_periods(periods, n).values
        _check_trigonometric(expr, self.variables, self.periods)
        self.n = n
        gradient = [sympy.diff(expr, v) for v in self.variables]
        self.value = _compile(expr, self.variables)
        self._gradient = _compile_many(gradient, self.variables)
        self._hessian = _compile_many([sympy.diff(g, v) for g in gradient for v in self.variables], self.variables)
        self.period_balls = [_compile(sympy.sympify(p), ())([]) for p in self.periods]

    def grad(self, x):
        return self._gradient(x)

    def hess(self, x):
        flat, n = self._hessian(x), self.n
        return [flat[i * n : (i + 1) * n] for i in range(n)]


def _read(text, declared, floats=None):
    floats = [] if floats is None else floats

    def decimal(token):
        floats.append(token)
        value = float(token.replace("_", ""))
        if not math.isfinite(value):
            raise InputError(f"the number {token} is not finite as a double; give a finite amplitude")
        return sympy.Rational(value)  # the exact binary value of the double

    text = _normalize(text)
    if not text:
        raise InputError("the function is empty; give an expression such as -2.0*cos(x) - 2.0*cos(y)")
    _refuse_bad_tokens(text)
    resolver = _resolver(set(declared or ()))
    return read_expression(text, resolver, decimal=decimal, what="function"), floats


def _expression(f):
    if isinstance(f, str):
        expr = _read(f, None)[0]
        text = f.strip()
    else:
        try:
            expr = sympy.sympify(f)
        except (sympy.SympifyError, TypeError) as exc:
            raise InputError(f"cannot read {f!r} as a function: {exc}; give an expression in cos and sin") from exc
        text = str(expr)
        replacements = {}
        for number in expr.atoms(sympy.Float):
            if not number.is_finite:
                raise InputError(f"the amplitude {number} is not finite; give finite float amplitudes")
            replacements[number] = sympy.Rational(number)  # the exact value of the float
        expr = expr.xreplace(replacements)
    if expr.has(sympy.nan, sympy.oo, -sympy.oo, sympy.zoo):
        raise InputError("the function contains infinity or nan; give finite float amplitudes")
    if expr.has(sympy.I):
        raise InputError("the function has complex coefficients (I); the band energy must be real")
    return expr, text


def _variables(expr, variables):
    if variables is None:
        return tuple(sorted(expr.free_symbols, key=lambda s: s.name))
    names = variables.replace(",", " ").split() if isinstance(variables, str) else [str(v) for v in variables]
    symbols = tuple(sympy.Symbol(name) for name in names)
    extra = expr.free_symbols - set(symbols)
    if extra:
        raise InputError(f"{', '.join(sorted(map(str, extra)))} has no value; give every amplitude a number")
    return symbols


def _check_trigonometric(expr, variables, periods):
    if not variables:
        raise InputError("the function has no variables; give a band such as -2.0*cos(x) - 2.0*cos(y)")
    atoms = expr.atoms(sympy.cos, sympy.sin)
    for atom in atoms:
        argument = sympy.expand(atom.args[0])
        for v, period in zip(variables, periods):
            c = argument.coeff(v)
            if not (c * period / (2 * sympy.pi)).is_integer:
                raise InputError(
                    f"{atom} is not periodic with period {period} in {v}; "
                    f"give cos/sin of integer multiples of 2*pi*{v}/P"
                )
        if argument.free_symbols - set(variables):
            raise InputError(f"{atom}: unknown symbol in the argument; give every amplitude a number")
    dummies = {atom: sympy.Dummy() for atom in atoms}
    body = expr.xreplace(dummies)
    outside = sorted(map(str, body.free_symbols & set(variables)))
    if outside:
        raise InputError(
            f"{', '.join(outside)} appears outside cos/sin; give a trigonometric polynomial "
            "(an amplitude needs a number: a band with free parameters takes the exact path)"
        )
    if not body.is_polynomial(*dummies.values()):
        raise InputError("f is not a polynomial in cos and sin of the momenta; give a trigonometric polynomial")


def _compile(expr, variables):
    """expr as a function of a list of arb balls (rigorous: exact rationals, pi, cos, sin, integer powers)."""
    position = {v: i for i, v in enumerate(variables)}

    def build(e):
        if e in position:
            i = position[e]
            return lambda x: x[i]
        if e.is_Rational:
            ball = arb(fmpq(int(e.p), int(e.q)))
            return lambda x: ball
        if e is sympy.pi:
            return lambda x: arb.pi()
        if isinstance(e, (sympy.cos, sympy.sin)):
            inner = build(e.args[0])
            return (lambda x: inner(x).cos()) if isinstance(e, sympy.cos) else (lambda x: inner(x).sin())
        if e.is_Add or e.is_Mul:
            parts = [build(a) for a in e.args]
            if e.is_Add:
                return lambda x: sum((p(x) for p in parts), arb(0))
            return lambda x: math.prod((p(x) for p in parts), start=arb(1))
        if e.is_Pow and e.exp.is_Integer and e.exp >= 0:
            base, power = build(e.base), int(e.exp)
            return lambda x: _power(base(x), power)
        raise InputError(f"cannot evaluate {e} with interval arithmetic; give a polynomial in cos and sin")

    return build(sympy.sympify(expr))


def _compile_many(exprs, variables):
    """Several expressions as one function of a list of arb balls, returning their list of balls.

    Each distinct cos/sin is evaluated once per call, and each expression is
    a polynomial (exact rational coefficients) in the variables and those
    cos/sin values, evaluated term by term with shared powers; an expression
    that is not such a polynomial falls back to :func:`_compile`.
    """
    exprs = [sympy.sympify(e) for e in exprs]
    atoms = sorted(set().union(*(e.atoms(sympy.cos, sympy.sin) for e in exprs)), key=sympy.default_sort_key)
    arguments = [_compile(a.args[0], variables) for a in atoms]
    kinds = [isinstance(a, sympy.cos) for a in atoms]
    dummies = [sympy.Dummy() for _ in atoms]
    gens = list(variables) + dummies
    swap = dict(zip(atoms, dummies))
    monomials, programs = {(0,) * len(gens): 0}, []
    for e in exprs:
        try:
            poly = sympy.Poly(e.xreplace(swap), *gens, domain="QQ") if gens else None
        except (sympy.PolynomialError, sympy.CoercionFailed):
            poly = None
        if poly is None:
            programs.append(_compile(e, variables))
            continue
        terms = []
        for monomial, c in poly.terms():
            terms.append((arb(fmpq(int(c.numerator), int(c.denominator))), _monomial_slot(monomial, monomials)))
        programs.append(terms)
    steps = sorted(((slot, parent, g) for slot, parent, g in _monomial_steps(monomials)), key=lambda t: t[0])

    def evaluate(x):
        values = list(x) + [(a(x).cos() if cosine else a(x).sin()) for a, cosine in zip(arguments, kinds)]
        table = [arb(1)] * len(monomials)
        for slot, parent, g in steps:
            table[slot] = table[parent] * values[g]
        out = []
        for program in programs:
            if callable(program):
                out.append(program(x))
            else:
                out.append(sum((c * table[slot] for c, slot in program), arb(0)))
        return out

    return evaluate


def _monomial_slot(monomial, monomials):
    """The slot of an exponent vector in ``monomials`` (added with every monomial it is built from)."""
    if monomial not in monomials:
        g = max(i for i, k in enumerate(monomial) if k)
        parent = monomial[:g] + (monomial[g] - 1,) + monomial[g + 1 :]
        _monomial_slot(parent, monomials)
        monomials[monomial] = len(monomials)
    return monomials[monomial]


def _monomial_steps(monomials):
    """(slot, parent slot, generator) for every monomial but 1: its value is the parent's times the generator."""
    for monomial, slot in monomials.items():
        if any(monomial):
            g = max(i for i, k in enumerate(monomial) if k)
            parent = monomial[:g] + (monomial[g] - 1,) + monomial[g + 1 :]
            yield slot, monomials[parent], g


def _power(ball, k):
    """ball**k by repeated multiplication (arb's ** gives nan on a ball that contains 0)."""
    result = arb(1)
    while k:
        if k & 1:
            result *= ball
        ball, k = ball * ball, k >> 1
    return result


def _search(problem, deadline):
    offset = -0.0625  # the cell starts just below 0 so that symmetric points sit inside boxes, not on their faces
    widths = [float(p.upper()) * (1 + 2**-20) for p in problem.period_balls]
    start = [arb(offset + w / 2, w / 2) for w in widths]
    certified, clusters, boxes, gave_up = _zeros(problem, start, problem.period_balls, deadline)
    if gave_up:
        return _give_up(problem, certified, boxes)
    deadline.check("certified torus classification")
    points, ambiguous = _distinct(certified, problem.period_balls)
    return _assemble(problem, points, clusters, boxes, ambiguous)


def _zeros(problem, start, periods, deadline, *, bits=FLOOR_BITS, depth=0, regions=None):
    """(certified (X, K) pairs, clusters of uncertified boxes, boxes visited, gave up) for F = problem.grad.

    ``start`` is the box searched (a list of balls); ``periods[i]`` is the
    period ball of coordinate i, or None when it is not periodic.  Boxes are
    bisected down to width / 2**bits (one number, or one per coordinate); a box is dropped when it provably
    holds no zero or lies in a certified zero's uniqueness region.  A small
    cluster of uncertified boxes that no single Krawczyk box covers is searched
    again inside its hull with a finer floor (adaptive refinement, at most
    REFINE_DEPTH times), so that nearby zeros are separated and only the boxes
    around a genuinely degenerate zero remain.
    """
    n = problem.n
    widths = [2 * float(b.rad()) for b in start]
    floors = [w * 2.0**-b for w, b in zip(widths, [bits] * n if isinstance(bits, int) else bits)]
    stack = [list(start)]
    certified, uncertified, boxes = [], [], 0
    regions = [] if regions is None else regions
    while stack:
        deadline.check("certified search", partial=f"{len(certified)} points certified")
        box = stack.pop()
        boxes += 1
        if _inside_regions(box, regions, periods):
            continue
        image = _image_unless_excluded(problem, box)
        if image is False:
            continue
        found = _certify(problem, box, widths, image)
        if found is not None:
            certified.append(found)
            regions.append(_uniqueness_region(problem, *found))
            continue
        radii = [float(b.rad()) for b in box]
        if all(2 * r <= f for r, f in zip(radii, floors)):
            uncertified.append(box)
            if len(uncertified) > MAX_UNCERTIFIED:
                return certified, [], boxes, True
            continue
        j = max(range(n), key=lambda i: radii[i] / widths[i])
        stack.extend(_halves(box, j))
    deadline.check("certified search: clusters")
    uncertified = [box for box in uncertified if not _inside_regions(box, regions, periods)]
    clusters = []
    for cluster in _clusters(uncertified, start, periods):
        deadline.check("certified search: clusters")
        found = _certify_cluster(problem, cluster, regions)
        if found is not None:
            certified.append(found)
            continue
        hull = [_hull(cluster, i) for i in range(n)]
        small = len(cluster) <= REFINE_BOXES and all(2 * float(h.rad()) <= w / 8 for h, w in zip(hull, widths))
        if depth >= REFINE_DEPTH or not small:
            clusters.append(cluster)
            continue
        inner = [arb(h.mid(), float(h.rad()) * (1 + 2**-10)) for h in hull]
        more, rest, visited, gave_up = _zeros(
            problem, inner, [None] * n, deadline, bits=REFINE_BITS, depth=depth + 1, regions=regions
        )
        boxes += visited
        if gave_up:
            return certified + more, [], boxes, True
        certified += more
        clusters += rest if more else [cluster]  # nothing separated: the cluster stays one entry
    return certified, clusters, boxes, False


def _image_unless_excluded(problem, box):
    """False when the box provably holds no zero of F (a component, its mean-value form, or Krawczyk), else the
    Krawczyk image of the box (None when J(m) is singular).  F and J are evaluated twice each."""
    if ball_excluded(problem.grad(box)):
        return False
    mid = [arb(b.mid()) for b in box]
    values, H = problem.grad(mid), problem.hess(box)
    centred = [v + sum((h * (b - m) for h, b, m in zip(row, box, mid)), arb(0)) for v, row in zip(values, H)]
    if ball_excluded(centred):
        return False
    image = krawczyk_image(problem.grad, problem.hess, box, values=values, jacobian_box=H)
    return False if krawczyk_excluded(image, box) else image


def _uniqueness_region(problem, X, K, steps=12):
    """The largest box found around a certified zero where Krawczyk still proves it unique (epsilon-inflation).

    The zero's box X is grown about the enclosure K's midpoint, doubling the
    radius while the Krawczyk image of the grown box lies in its interior; the
    last such box holds no other zero, so a box inside it can be dropped.
    """
    best = X
    radii = [max(float(x.rad()), float(k.rad())) for x, k in zip(X, K)]
    centre = [float(k.mid()) for k in K]
    for _ in range(steps):
        radii = [2 * r for r in radii]
        trial = [arb(c, r) for c, r in zip(centre, radii)]
        if krawczyk_balls(problem.grad, problem.hess, trial) is None:
            break
        best = trial
    return best


def _inside_regions(box, regions, periods):
    """Whether the box lies, up to the period lattice, inside one certified zero's uniqueness region."""
    return any(_shifted_box(box, region, periods) for region in regions)


def _shifted_box(box, region, periods):
    for shifts in _shifts(periods):
        if all(r.contains(b + s) for b, r, s in zip(box, region, shifts)):
            return True
    return False


def _shifts(periods):
    """Every shift by -1, 0 or 1 period in the periodic coordinates (0 in the others), as balls."""
    options = [(arb(0),) if p is None else (-p, arb(0), p) for p in periods]
    return itertools.product(*options)


def _certify_cluster(problem, cluster, regions):
    """(X, K) for a cluster of uncertified boxes that one Krawczyk box around a Newton point covers; or None.

    Newton's method from the cluster's best box gives a guess; boxes about it
    are grown (epsilon-inflation) until one both passes Krawczyk and contains
    every box of the cluster, which then holds exactly one zero: the cluster's.
    """
    hull = [_hull(cluster, i) for i in range(problem.n)]
    guess = _best_guess(problem, cluster)
    if guess is None:
        return None
    reach = [max(abs(float(h.upper()) - g), abs(float(h.lower()) - g)) for h, g in zip(hull, guess)]
    radii = [max(r, 2.0**-40) * 1.0001 for r in reach]
    for _ in range(4):
        X = [arb(g, r) for g, r in zip(guess, radii)]
        image = krawczyk_balls(problem.grad, problem.hess, X)
        if image is not None:
            regions.append(X)
            return X, _tighten(problem, X, image)
        radii = [2 * r for r in radii]
    return None


def _best_guess(problem, cluster):
    """Newton's method from the box centre of the cluster with the smallest gradient (None if it fails)."""
    centres = [[arb(b.mid()) for b in box] for box in cluster]
    best = min(centres, key=lambda c: float(sum((g * g for g in problem.grad(c)), arb(0)).upper()))
    return _newton(problem, [float(b.mid()) for b in best], steps=200)


def _halves(box, j):
    mid, rad = float(box[j].mid()), float(box[j].rad())
    lower, upper = list(box), list(box)
    lower[j], upper[j] = arb(mid - rad / 2, rad / 2), arb(mid + rad / 2, rad / 2)
    return [upper, lower]


def _certify(problem, box, widths, image):
    """(X, K): a box X containing ``box`` where Krawczyk proves one zero, and its tight enclosure K; or None.

    ``image`` is the Krawczyk image of ``box`` (or None).
    """
    step = None if image is None else [float(k.mid()) for k in image]  # one Newton step from the midpoint
    if image is not None and not all(k.is_finite() and b.contains_interior(k) for k, b in zip(image, box)):
        image = None
    if image is None:
        if any(not w / 2**FLOOR_BITS < float(b.rad()) <= w / 64 for b, w in zip(box, widths)):
            return None
        if step is None or not all(abs(g - float(b.mid())) <= 3 * float(b.rad()) for b, g in zip(box, step)):
            return None  # the first Newton step already leaves: no zero close enough to try
        guess = _newton(problem, [float(b.mid()) for b in box])
        if guess is None or not all(abs(g - float(b.mid())) <= 3 * float(b.rad()) for b, g in zip(box, guess)):
            return None  # a zero just across a face is still taken: X below contains the box
        radii = [float(b.rad()) / 4 for b in box]
        X = [b.union(arb(g, r)) for b, g, r in zip(box, guess, radii)]
        image = krawczyk_balls(problem.grad, problem.hess, X)
        if image is None:
            return None
        box = X
    return box, _tighten(problem, box, image)


def _tighten(problem, X, K):
    """A narrower enclosure of the unique zero in X: Krawczyk on a small box about a Newton point, inside X.

    The small box lies in X, where the zero is unique, so its Krawczyk image
    encloses that same zero.  When Newton's method or the small box fails,
    the image K is iterated instead (each step still encloses the zero).
    """
    guess = _newton(problem, [float(k.mid()) for k in K])
    if guess is not None:
        for scale in (1e-12, 1e-8, 1e-5):
            small = [arb(g, scale * max(1.0, abs(g))) for g in guess]
            if all(x.contains(b) for x, b in zip(X, small)):
                image = krawczyk_balls(problem.grad, problem.hess, small)
                if image is not None:
                    K = image
                    break
    for _ in range(3):
        nxt = krawczyk_balls(problem.grad, problem.hess, K)
        if nxt is None:
            break
        K = nxt
    return K


def _newton(problem, x, steps=10):
    point = list(x)
    with mpmath.workprec(PRECISION):
        for _ in range(steps):
            balls = [arb(p) for p in point]
            g = mpmath.matrix([float(v.mid()) for v in problem.grad(balls)])
            H = mpmath.matrix([[float(h.mid()) for h in row] for row in problem.hess(balls)])
            try:
                step = mpmath.lu_solve(H, g)
            except ZeroDivisionError:
                return None
            point = [p - float(s) for p, s in zip(point, step)]
            if max(abs(float(s)) for s in step) < 1e-15:
                break
    return point if all(math.isfinite(p) for p in point) else None


def _distinct(certified, periods):
    """The certified zeros up to the period lattice, and how many pairs could not be told apart.

    A zero whose enclosure, shifted by periods, lies in another certified box
    is that box's unique zero (merged).  An enclosure that only overlaps
    another box leaves the question open (counted; the result is then not complete).
    """
    kept, ambiguous = [], 0
    for X, K in certified:
        if any(_shifted(K, X2, periods, "contains") or _shifted(K2, X, periods, "contains") for X2, K2 in kept):
            continue
        ambiguous += sum(1 for X2, _ in kept if _shifted(K, X2, periods, "overlaps"))
        kept.append((X, K))
    return kept, ambiguous


def _shifted(K, X, periods, test):
    for shifts in _shifts(periods):
        if all(getattr(x, test)(k + s) for k, x, s in zip(K, X, shifts)):
            return True
    return False


def _clusters(boxes, start, periods):
    """Uncertified leaf boxes (all of the floor size) grouped into clusters of touching boxes, periodically."""
    if not boxes:
        return []
    sizes = [2 * float(b.rad()) for b in boxes[0]]
    lows = [float(b.mid()) - float(b.rad()) for b in start]
    counts = [round(2 * float(b.rad()) / s) if p is not None else None for b, s, p in zip(start, sizes, periods)]
    cell = {tuple(round((float(b.mid()) - lo) / s - 0.5) for b, lo, s in zip(box, lows, sizes)): box for box in boxes}
    parent = {key: key for key in cell}

    def root(key):
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for key in cell:
        for step in itertools.product((-1, 0, 1), repeat=len(key)):
            other = tuple(k + d if c is None else (k + d) % c for k, d, c in zip(key, step, counts))
            if other in cell:
                parent[root(key)] = root(other)
    groups = {}
    for key, box in cell.items():
        groups.setdefault(root(key), []).append(box)
    return list(groups.values())


def _hull(boxes, i):
    ball = boxes[0][i]
    for b in boxes[1:]:
        ball = ball.union(b[i])
    return ball


def _assemble(problem, certified, clusters, boxes, ambiguous=0):
    cells = [(_reduced(problem, K), X, K) for X, K in certified]
    points = [_certified_point(problem, p, X, K) for p, X, K in cells]
    points += [_near_point(problem, cluster) for cluster in clusters]
    points.sort(key=lambda p: (float(arb(p.value).mid()), p.point))
    complete = not clusters and not ambiguous
    if complete and all(p.status == "Morse" for p in points):
        morse_sum = sum(p.index for p in points)
        note = "sum of (-1)^(Morse index) over the certified points; 0 = Euler characteristic of the torus"
    else:
        morse_sum = None
        if clusters:
            reason = "boxes near a degenerate point were not certified"
        elif ambiguous:
            reason = f"{ambiguous} pair(s) of certified boxes may hold the same zero (not decided)"
        else:
            reason = "a Hessian sign is not certified"
        note = f"not checked: {reason}"
    return CertifiedTorusPoints(
        problem.text,
        tuple(map(str, problem.variables)),
        tuple(map(str, problem.periods)),
        tuple(points),
        complete,
        morse_sum,
        note,
        boxes,
    )


def _give_up(problem, certified, boxes):
    points = [
        _certified_point(problem, _reduced(problem, K), X, K) for X, K in _distinct(certified, problem.period_balls)[0]
    ]
    return CertifiedTorusPoints(
        problem.text,
        tuple(map(str, problem.variables)),
        tuple(map(str, problem.periods)),
        tuple(points),
        False,
        None,
        f"not checked: more than {MAX_UNCERTIFIED} boxes stayed uncertified (a non-isolated critical set?); "
        "the listed points are certified, the list may be incomplete",
        boxes,
    )


def _reduced(problem, K):
    """The enclosure moved into [-P/16, 15 P/16) per coordinate (by a whole period), as text."""
    shifted = []
    for k, p in zip(K, problem.period_balls):
        m = float(k.mid())
        turns = math.floor((m + float(p.mid()) / 16) / float(p.mid()))
        shifted.append(k - turns * p)
    return shifted


def _text(ball, digits=20):
    return ball.str(digits, radius=True)


def _certified_point(problem, K, X, tight):
    del tight
    hessian = problem.hess(K)
    value = problem.value(K)
    inertia = _inertia(hessian)
    if inertia is None:
        status, label, index, dos = "critical", "A1 (Hessian signs not certified)", None, "not given: Hessian signs"
    else:
        negative = inertia
        status, label = "Morse", _morse_label(negative, problem.n)
        index = (-1) ** negative
        dos = _dos_text(problem, hessian, negative)
    return CertifiedPoint(
        tuple(_text(k) for k in K),
        tuple(_text(x, 8) for x in X),
        _text(value),
        tuple(tuple(_text(h, 12) for h in row) for row in hessian),
        status,
        label,
        index,
        dos,
    )


def _inertia(hessian):
    """The number of negative eigenvalues when some ordering's leading principal minors have certified signs."""
    n = len(hessian)
    for order in itertools.permutations(range(n)):
        minors = [arb_mat([[hessian[i][j] for j in order[:m]] for i in order[:m]]).det() for m in range(1, n + 1)]
        if all(d.is_finite() and not d.contains(0) for d in minors):
            signs = [1] + [1 if d > 0 else -1 for d in minors]
            return sum(1 for a, b in zip(signs, signs[1:]) if a != b)
    return _descartes_inertia(hessian)


def _descartes_inertia(hessian):
    """Negative eigenvalues by Descartes' rule on det(t I + H) (exact for a real-rooted polynomial), or None.

    The symmetric Hessian's characteristic polynomial has only real roots, so
    the sign changes of the coefficients of q(t) = det(t I + H) count the
    negative eigenvalues exactly.  A coefficient whose ball contains 0 may
    take any sign (or vanish); the count is certified when every choice gives
    the same number, and the constant term (det H) excludes 0.
    """
    n = len(hessian)
    coefficients = arb_mat([[-h for h in row] for row in hessian]).charpoly().coeffs()
    q = list(coefficients)  # det(t I + H): its positive roots t = -lambda are the negative eigenvalues of H
    if len(q) != n + 1 or q[0].contains(0) or not all(c.is_finite() for c in q):
        return None
    options = [[1] if c > 0 else [-1] if c < 0 else [-1, 0, 1] for c in q]
    counts = set()
    for signs in itertools.product(*options):
        nonzero = [x for x in signs if x]
        counts.add(sum(1 for a, b in zip(nonzero, nonzero[1:]) if a != b))
    return counts.pop() if len(counts) == 1 else None


def _morse_label(negative, n):
    if negative == 0:
        return "A1 min"
    if negative == n:
        return "A1 max"
    return "A1 saddle" if n == 2 else f"A1 saddle (index {negative})"


def _dos_text(problem, hessian, negative):
    """The DOS term of a Morse point (torus normalisation d^n k / prod P_j), its coefficient as a ball."""
    n = problem.n
    volume = math.prod(problem.period_balls, start=arb(1))
    det = arb_mat(hessian).det()
    root = (det if det > 0 else -det).sqrt()
    if n == 1:
        c = arb(2).sqrt() / (volume * root)
        side = "E > c" if negative == 0 else "E < c"
        return f"{_text(c, 10)} |E - c|^(-1/2) for {side}"
    if n == 2:
        if negative == 1:
            return f"{_text(2 / (volume * root), 10)} ln(1/|E - c|) on both sides"
        side = "E > c" if negative == 0 else "E < c"
        return f"step of {_text(2 * arb.pi() / (volume * root), 10)} for {side}"
    if n == 3:
        k = 4 * arb(2).sqrt() * arb.pi() / (volume * root)
        terms = {
            0: "+K sqrt(E - c) for E > c",
            1: "-K sqrt(c - E) for E < c",
            2: "-K sqrt(E - c) for E > c",
            3: "+K sqrt(c - E) for E < c",
        }
        return f"{terms[negative]}, K = {_text(k, 10)}"
    return "not given: only 1, 2 and 3 dimensions"


def _corank_two(hessian, small=1e-6):
    """In two variables, the distance to a corank-2 point (Hessian 0: D4 or higher) when it is below ``small``.

    Subtracting the quadratic form of H itself makes the Hessian 0, so a
    change of Hessian norm |H|_F (Frobenius, a rigorous ball) reaches corank 2.
    """
    if len(hessian) != 2:
        return ""
    norm = sum((h * h for row in hessian for h in row), arb(0)).sqrt()
    if not norm < small:
        return ""
    return f"; within |H|_F = {_text(norm, 3)} of corank 2 (D4 or higher)"


def _near_point(problem, cluster):
    """Uncertified boxes: distance (epsilon, delta) to a degenerate critical point at its best point."""
    hull = [_hull(cluster, i) for i in range(problem.n)]
    centres = [[arb(b.mid()) for b in box] for box in cluster]
    best = min(centres, key=lambda c: float(sum((g * g for g in problem.grad(c)), arb(0)).upper()))
    guess = [float(b.mid()) for b in best]
    refined = _newton(problem, guess, steps=200)
    if refined is not None and any(all(b.contains(arb(g)) for b, g in zip(box, refined)) for box in cluster):
        guess = refined
    m = [arb(g) for g in guess]
    gradient = problem.grad(m)
    epsilon = sum((g * g for g in gradient), arb(0)).sqrt()
    hessian = problem.hess(m)
    with mpmath.workprec(PRECISION):
        values, vectors = mpmath.eigsy(mpmath.matrix([[float(h.mid()) for h in row] for row in hessian]))
        smallest = min(range(problem.n), key=lambda i: abs(values[i]))
        v = [arb(float(vectors[i, smallest])) for i in range(problem.n)]
    norm = sum((x * x for x in v), arb(0)).sqrt()
    w = [sum((hessian[i][j] * v[j] for j in range(problem.n)), arb(0)) for i in range(problem.n)]
    delta = 2 * sum((x * x for x in w), arb(0)).sqrt() / norm
    corank = "corank-1 degenerate (A2 or higher, or a non-isolated critical set)" + _corank_two(hessian)
    return CertifiedPoint(
        tuple(_text(x) for x in m),
        tuple(_text(x, 8) for x in hull),
        _text(problem.value(m)),
        tuple(tuple(_text(h, 12) for h in row) for row in hessian),
        "near higher-order",
        f"within delta = {_text(delta, 3)} of {corank}; {len(cluster)} uncertified boxes",
        None,
        "not given: the point is not certified",
        _text(epsilon, 3),
        _text(delta, 3),
    )
