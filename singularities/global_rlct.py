"""The global RLCT of a loss K >= 0 over a compact box: its zero set, the local RLCTs along it, the minimum.

Conventions: docs/conventions.md#the-real-log-canonical-threshold (global
RLCT, free energy, generalisation error); the rules applied at each kind of
point are stated in docs/slt.md#the-global-rlct.  In short:

* The support W is a box.  Every zero z of K in W lies in the relative
  interior of exactly one face F of the box, and since K >= 0 on W it is a
  minimum of K restricted to F, so grad_F K(z) = 0.  Each face is searched
  with the exact solver of :mod:`singularities.critical` on {K = 0, grad_F K = 0}.
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
* At a zero on the boundary of the box the zeta function integrates over
  the box only (an orthant, after translating and reflecting).  The local
  pair there equals the full-space pair when K is even in the coordinates
  fixed by the face, or when ``rlct()`` proved it by theorem N1; otherwise
  it is (1/t, c) of the Newton polyhedron when every compact face
  polynomial has no zero in the torus part of the orthant (the same toric
  argument restricted to one orthant: S. Lin, "Asymptotic approximation of
  marginal likelihood integrals", arXiv:1003.5338).  Failing all three, the
  full-space pair is kept as a bound: integrating over less can only raise
  lambda (or lower m).

K is assumed >= 0 on a neighbourhood of the box (true of every loss
E[(f - f0)^2] and every KL divergence); a Hessian with a negative
eigenvalue at a zero is reported as an error.
"""

import itertools
from dataclasses import dataclass, field

import sympy

from ._exact import UndecidedSign, exact_sign, exact_string, parse_exact, require_exact
from ._limits import Deadline
from ._result import Result
from .critical import hessian_inertia, solve_system
from .energy import Energy, as_energy
from .errors import InputError, TimeLimitError
from .jets import local_expression
from .models import RegressionLoss, box_bounds
from .newton import newton_polyhedron
from .nondegeneracy import Answer, nondegeneracy
from .rlct import Status, free_energy_terms, rlct

__all__ = ["GlobalRLCT", "LocalRLCT", "global_rlct", "POINT_SECONDS"]

POINT_SECONDS = 30.0  # budget of one local rlct() call
WITNESS_SECONDS = 10.0  # budget for finding a Morse-Bott point on one component
WITNESS_FRACTIONS = (sympy.Rational(2, 3), sympy.Rational(1, 3), sympy.Rational(3, 4), sympy.Rational(1, 4), sympy.Rational(1, 2))
MAX_WITNESS_SLICES = 40


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
        "interior", or the face of the box, e.g. "x = 1".
    threshold, multiplicity, status
        The local pair for the integral over the box near the point.
    rule : str
        The rule or theorem that gave the pair.
    dimension : int
        Dimension of the stratum this entry stands for (0 for a point).
    restricted : bool
        True when the pair is that of the integral over the box; False when
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


@dataclass(frozen=True, slots=True)
class GlobalRLCT(Result):
    """The global RLCT lambda and multiplicity m of K over a compact box (docs/conventions.md#the-real-log-canonical-threshold).

    lambda is the minimum of the local thresholds over the zero set of K in
    the box, and m the largest multiplicity among the points attaining it.
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
    """

    threshold: sympy.Rational
    multiplicity: int
    status: Status
    points: tuple = field(repr=False)
    box: tuple = field(repr=False)
    reason: str = field(repr=False, default="")
    energy: Energy = field(repr=False, default=None)

    def free_energy_terms(self, n):
        """lambda log n - (m - 1) log log n: the singular terms of F_n = n L_n(w0) + ... (PROVEN only).

        Examples
        --------
        >>> from singularities.global_rlct import global_rlct
        >>> global_rlct("x**2*y**2", box="-1:1").free_energy_terms(sympy.Symbol("n"))
        log(n)/2 - log(log(n))
        """
        self._require_proven("the free energy terms")
        return free_energy_terms(self.threshold, self.multiplicity, n)

    def generalization_error(self, n):
        """lambda / n, the leading term of the Bayes generalisation error E[G_n] (PROVEN only).

        Examples
        --------
        >>> from singularities.global_rlct import global_rlct
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
            ("support", " x ".join(f"[{sympy.sstr(lo)}, {sympy.sstr(hi)}]" for lo, hi in self.box)),
            ("free energy F_n", free),
            ("generalisation error E[G_n]", error),
            ("reason", self.reason),
        ]
        rows += [(_entry_label(e), _entry_value(e)) for e in self.points]
        return ("quantity", "value"), rows

    def to_dict(self):
        free, error = self.asymptotics()
        data = {
            "kind": "global_rlct",
            "threshold": None if self.threshold is None else exact_string(self.threshold),
            "multiplicity": self.multiplicity,
            "status": self.status.value,
            "box": [[exact_string(lo), exact_string(hi)] for lo, hi in self.box],
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
        >>> from singularities.global_rlct import GlobalRLCT, global_rlct
        >>> result = global_rlct("(x - y)**2", box="-1:1")
        >>> GlobalRLCT.from_dict(result.to_dict()) == result
        True
        """
        source = data.get("input")
        return cls(
            threshold=None if data["threshold"] is None else sympy.Rational(data["threshold"]),
            multiplicity=data["multiplicity"],
            status=Status(data["status"]),
            points=tuple(LocalRLCT.from_dict(e) for e in data["points"]),
            box=tuple((parse_exact(lo), parse_exact(hi)) for lo, hi in data["box"]),
            reason=data["reason"],
            energy=None if source is None else Energy.from_dict(source),
        )


def global_rlct(K, *, box=None, variables=None, parameters=None, timeout=None):
    """The global RLCT (lambda, m) of a polynomial loss K >= 0 over a box, with the local pairs along its zero set.

    Parameters
    ----------
    K : str, sympy.Expr, Energy or RegressionLoss
        A polynomial with rational coefficients, >= 0 near the box.  A
        Taylor jet (``RegressionLoss`` with an ``order``) is refused: pass
        ``loss.energy`` to study the jet itself.
    box : str or sequence
        The compact support: ``"-1:1"`` (every variable), ``"x=0:1,y=-1:1"``,
        or (lower, upper) pairs in variable order.  Required.
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
        If K is not a polynomial, has no zero in the box, takes negative
        values near a zero, or no box is given.
    TimeLimitError
        If the time limit passes.

    Examples
    --------
    >>> from singularities.global_rlct import global_rlct
    >>> result = global_rlct("x**2*y**2", box="-1:1")
    >>> result.threshold, result.multiplicity, result.status.value
    (1/2, 2, 'proven')
    >>> [(e.point, e.stratum, e.threshold, e.multiplicity) for e in result.points if e.location == "interior"]
    [((0, 0), 'special point', 1/2, 2), ((0, 1/3), 'Morse-Bott stratum', 1/2, 1), ((1/3, 0), 'Morse-Bott stratum', 1/2, 1)]
    >>> global_rlct("x**2 + y**4", box="0:1").threshold        # a zero at a corner
    3/4
    """
    deadline = Deadline.coerce(timeout)
    energy = _polynomial_energy(K, variables, parameters)
    if box is None:
        raise InputError("the global RLCT needs a compact support; give box='-1:1' or box='x=-1:1,y=0:2' (CLI: --box)")
    bounds = box_bounds(box, energy.variables)
    faces = list(_faces(energy.variables, bounds))
    entries = []
    for index, fixed in enumerate(faces):
        deadline.check("zeros on the faces of the box", index, len(faces))
        entries += _face_entries(energy, bounds, fixed, deadline)
    if not entries:
        raise InputError("K has no zero in the box; the RLCT is taken on the zero set of K - min K: "
                         "subtract the minimum of K over the box, or enlarge the box")
    return _combine(tuple(_sorted(_unique(entries))), energy, bounds)


# ---------------------------------------------------------------------------
# faces and zeros


def _polynomial_energy(K, variables, parameters):
    if isinstance(K, RegressionLoss):
        if not K.exact:
            raise InputError(f"K is a Taylor jet of order {K.order}, not the loss itself; pass loss.energy to study the jet "
                             "(the answers then hold for the jet), or use a polynomial model for an exact K")
        K = K.energy
    energy = as_energy(K, variables=variables, parameters=parameters)
    if energy.free_parameters:
        raise InputError(f"parameter {energy.free_parameters[0]} has no value; give every parameter a value")
    if not energy.is_polynomial():
        raise InputError("global_rlct needs a polynomial K; expand an analytic loss into a polynomial first")
    if not energy.variables:
        raise InputError("K has no variables; give a function of the parameters")
    return energy.at([0] * len(energy.variables))


def _faces(variables, bounds):
    """Each face of the box as {fixed variable: bound}, the interior ({}) first."""
    choices = [(None, lo, hi) for lo, hi in bounds]
    for pick in sorted(itertools.product(range(3), repeat=len(variables)), key=lambda p: sum(1 for c in p if c)):
        yield {v: choices[i][c] for i, (v, c) in enumerate(zip(variables, pick)) if c}


def _face_entries(energy, bounds, fixed, deadline):
    variables = energy.variables
    free = tuple(v for v in variables if v not in fixed)
    k = sympy.expand(energy.expr.xreplace(fixed))
    if not free:
        return [_point_entry(energy, bounds, fixed, {}, "isolated zero", deadline)] if k == 0 else []
    found = solve_system([k] + [sympy.diff(k, v) for v in free], free, timeout=deadline)
    entries = []
    for point in found.points:
        coordinates = dict(zip(free, point.point))
        if _inside(coordinates, bounds, variables):
            entries.append(_point_entry(energy, bounds, fixed, coordinates, "isolated zero", deadline))
    for component in found.components:
        entries += _component_entries(energy, bounds, fixed, free, component, deadline)
    return entries


def _inside(coordinates, bounds, variables):
    """Whether every free coordinate lies strictly between its bounds."""
    box = dict(zip(variables, bounds))
    try:
        return all(exact_sign(c - box[v][0]) > 0 and exact_sign(box[v][1] - c) > 0 for v, c in coordinates.items())
    except UndecidedSign:  # pragma: no cover - real algebraic coordinates compare exactly in practice
        return False


# ---------------------------------------------------------------------------
# points


def _point_entry(energy, bounds, fixed, coordinates, stratum, deadline):
    """The local pair at one zero, for the integral over the box near it."""
    point = tuple(fixed.get(v, coordinates.get(v)) for v in energy.variables)
    location = _location(fixed)
    try:
        result = rlct(energy.at(point), timeout=deadline.sub(POINT_SECONDS))
    except TimeLimitError:
        if deadline.expired():
            raise
        return LocalRLCT(point, stratum, location, None, None, Status.UNKNOWN, f"rlct ran past {POINT_SECONDS:g} s")
    rule = _rule(result)
    if not fixed or result.status is not Status.PROVEN:
        return LocalRLCT(point, stratum, location, result.threshold, result.multiplicity, result.status, rule, 0, not fixed)
    if "N1" in rule or _even_in(energy, point, fixed):
        why = "theorem N1 holds on every orthant" if "N1" in rule else "K is even in the coordinates fixed by the face"
        return LocalRLCT(point, stratum, location, result.threshold, result.multiplicity, result.status, f"{rule}; {why}")
    orthant = _orthant_newton(energy, point, fixed, bounds, deadline)
    if orthant is not None:
        return LocalRLCT(point, stratum, location, orthant[0], orthant[1], Status.PROVEN,
                         "theorem N1 on the orthant of the box: no compact face polynomial vanishes there")
    return LocalRLCT(point, stratum, location, result.threshold, result.multiplicity, result.status,
                     f"{rule}; full-space pair only (the box can only raise lambda)", 0, False)


def _rule(result):
    theorem = getattr(result.certificate, "theorem", None)
    return f"rlct ({result.method}{', ' + theorem if theorem else ''})"


def _location(fixed):
    return "interior" if not fixed else ", ".join(f"{v} = {sympy.sstr(c)}" for v, c in fixed.items())


def _even_in(energy, point, fixed):
    """Whether g(x) = K(point + x) is even in each coordinate fixed by the face."""
    g = sympy.expand(local_expression(energy.at(point)))
    return all(sympy.expand(g - g.xreplace({v: -v})) == 0 for v in fixed)


def _orthant_newton(energy, point, fixed, bounds, deadline):
    """(1/t, c) when no compact face polynomial of g vanishes on the torus part of the box's orthant, else None.

    The orthant is x_j >= 0 for a lower bound and x_j <= 0 (reflected to
    x_j >= 0) for an upper bound; x_j = u_j^2 turns "no zero with x_j > 0"
    into "no zero with u_j != 0", the ordinary strong test.
    """
    box = dict(zip(energy.variables, bounds))
    g = sympy.expand(local_expression(energy.at(point)))
    reflected = g.xreplace({v: -v for v, c in fixed.items() if c == box[v][1]})
    squared = sympy.expand(reflected.xreplace({v: v**2 for v in fixed}))
    report = nondegeneracy(Energy(squared, energy.variables), timeout=deadline.sub(POINT_SECONDS))
    if report.strong is not Answer.YES:
        return None
    polyhedron = newton_polyhedron(Energy(reflected, energy.variables), timeout=deadline)
    return 1 / polyhedron.newton_distance, polyhedron.codimension


# ---------------------------------------------------------------------------
# positive-dimensional pieces


def _component_entries(energy, bounds, fixed, free, component, deadline, depth=0):
    """The Morse-Bott stratum of one piece (lambda = r/2, m = 1) and its special points."""
    pieces = _real_pieces(component, free, deadline) if depth < 2 else None
    if pieces is not None:
        entries = [_point_entry(energy, bounds, fixed, dict(zip(free, p.point)), "isolated zero", deadline)
                   for p in pieces.points if _inside(dict(zip(free, p.point)), bounds, energy.variables)]
        for piece in pieces.components:
            entries += _component_entries(energy, bounds, fixed, free, piece, deadline, depth + 1)
        return entries
    if _misses_face(component, free, bounds, energy.variables, deadline):
        return []
    rank, rank_form, kind = _morse_bott_rank(energy, fixed, free, component)
    d = component.dimension
    gram_form = _rank_form(_jacobian_gram(component.equations, free), len(free) - d) if component.equations else sympy.Integer(1)
    special = solve_system(list(component.equations) + [sympy.expand(rank_form * gram_form)], free, timeout=deadline)
    entries = [_point_entry(energy, bounds, fixed, dict(zip(free, p.point)), "special point", deadline)
               for p in special.points if _inside(dict(zip(free, p.point)), bounds, energy.variables)]
    for piece in special.components:
        entries += _special_stratum(energy, bounds, fixed, free, piece, deadline)
    witness = _witness(energy, bounds, fixed, free, component, (rank_form, gram_form), deadline)
    if witness is None:
        sample = _full_point(energy, fixed, free, component.sample_point)
        return entries + [LocalRLCT(sample, "unresolved stratum", _location(fixed), None, None, Status.UNKNOWN,
                                    "no smooth point of the piece with the Hessian rank of a Morse-Bott stratum was found inside the face", d)]
    return entries + [_morse_bott_entry(energy, witness, rank, kind, _location(fixed), d)]


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
    inside = _rank_form(hessian, n - d)
    if k == 0 or not _vanishes_on(inside, component, free):
        return n - d, inside, "inside"
    r = n - d - k
    if r <= 0 or not _vanishes_on(_rank_form(hessian, r + 1), component, free):
        return n - d, inside, "inside"
    positions = [energy.variables.index(v) for v in free]
    block = hessian.extract(positions, positions)
    return r, _rank_form(block, r), "transverse"


def _vanishes_on(expr, component, free):
    if not component.equations:
        return sympy.expand(expr) == 0
    return sympy.groebner(component.equations, *free, order="grevlex").reduce(sympy.expand(expr))[1] == 0


def _special_stratum(energy, bounds, fixed, free, piece, deadline):
    """A positive-dimensional special set: rlct at one of its points gives only an upper bound along it."""
    pieces = _real_pieces(piece, free, deadline)
    if pieces is not None:
        entries = [_point_entry(energy, bounds, fixed, dict(zip(free, p.point)), "special point", deadline)
                   for p in pieces.points if _inside(dict(zip(free, p.point)), bounds, energy.variables)]
        return entries + [e for q in pieces.components for e in _special_stratum(energy, bounds, fixed, free, q, deadline)]
    if _misses_face(piece, free, bounds, energy.variables, deadline):
        return []
    witness = _witness(energy, bounds, fixed, free, piece, (), deadline)
    location = _location(fixed)
    if witness is None:
        sample = _full_point(energy, fixed, free, piece.sample_point)
        return [LocalRLCT(sample, "unresolved stratum", location, None, None, Status.UNKNOWN,
                          "no point of this special set was found inside the face", piece.dimension)]
    entry = _point_entry(energy, bounds, fixed, dict(zip(energy.variables, witness)), "special stratum", deadline)
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


def _misses_face(component, free, bounds, variables, deadline):
    """Whether some coordinate is confined by an elimination polynomial to roots outside the open interval."""
    box = dict(zip(variables, bounds))
    if not component.equations:
        return False
    for v in free:
        others = [w for w in free if w != v]
        basis = sympy.groebner(component.equations, *others, v, order="lex")
        deadline.check("bounding a piece of the zero set")
        eliminant = [g for g in basis.exprs if g.free_symbols <= {v}]
        if eliminant and not _root_inside(sympy.Poly(eliminant[0], v), *box[v]):
            return True
    return False


def _root_inside(poly, lo, hi):
    if poly.degree() <= 0:
        return poly.is_zero
    return any(exact_sign(r - lo) > 0 and exact_sign(hi - r) > 0 for r in sympy.real_roots(poly))


def _morse_bott_entry(energy, point, rank, kind, location, d):
    hessian = sympy.hessian(energy.expr, energy.variables).xreplace(dict(zip(energy.variables, point)))
    n_plus, n_minus, _ = hessian_inertia(hessian)
    if n_minus:
        raise InputError(f"K takes negative values near its zero ({', '.join(map(sympy.sstr, point))}); "
                         "global_rlct needs K >= 0 near the box (a loss or KL divergence)")
    where = "" if kind == "inside" else "; the zero set crosses the face transversally"
    rule = f"Morse-Bott: near each point K is a positive definite quadratic form in {rank} normal coordinates, lambda = {rank}/2, m = 1{where}"
    return LocalRLCT(point, "Morse-Bott stratum", location, sympy.Rational(rank, 2), 1, Status.PROVEN, rule, d)


def _rank_form(matrix, size):
    """A polynomial whose real zeros are where the symmetric PSD ``matrix`` has rank < ``size``: e_size of its eigenvalues."""
    if size <= 0:
        return sympy.Integer(1)
    t = sympy.Dummy("t")
    coefficients = sympy.Matrix(matrix).charpoly(t).all_coeffs()
    return sympy.expand((-1) ** size * coefficients[size])


def _jacobian_gram(equations, free):
    """J^T J for the Jacobian J of the equations: at real points its rank is rank J."""
    jacobian = sympy.Matrix([[sympy.diff(e, v) for v in free] for e in equations])
    return jacobian.T * jacobian


def _witness(energy, bounds, fixed, free, component, forms, deadline):
    """A point of the piece strictly inside the face where neither rank form vanishes (a Morse-Bott point)."""
    budget = deadline.sub(WITNESS_SECONDS)
    candidates = itertools.chain([component.sample_point], _slice_points(component, free, bounds, energy.variables, budget))
    try:
        for candidate in candidates:
            if candidate is not None and _is_witness(dict(zip(free, candidate)), forms, bounds, energy.variables):
                return _full_point(energy, fixed, free, candidate)
    except TimeLimitError:
        if deadline.expired():
            raise
    return None


def _slice_points(component, free, bounds, variables, deadline):
    """Real points of the piece with d of the free coordinates fixed at interior rational values."""
    d, box = component.dimension, dict(zip(variables, bounds))
    slices = 0
    for fractions in itertools.product(WITNESS_FRACTIONS, repeat=d):
        for chosen in itertools.combinations(free, d):
            slices += 1
            if slices > MAX_WITNESS_SLICES:
                return
            values = {v: box[v][0] + f * (box[v][1] - box[v][0]) for v, f in zip(chosen, fractions)}
            rest = tuple(v for v in free if v not in values)
            equations = [e for e in (sympy.expand(e.xreplace(values)) for e in component.equations) if e != 0]
            if not rest:
                if not equations:
                    yield tuple(values[v] for v in free)
                continue
            if not equations:
                continue
            for p in solve_system(equations, rest, timeout=deadline).points:
                found = {**values, **dict(zip(rest, p.point))}
                yield tuple(found[v] for v in free)


def _is_witness(coordinates, forms, bounds, variables):
    if not _inside(coordinates, bounds, variables):
        return False
    try:
        return all(exact_sign(f.xreplace(coordinates)) != 0 for f in forms)
    except UndecidedSign:  # pragma: no cover
        return False


def _full_point(energy, fixed, free, coordinates):
    if coordinates is None:
        return ()
    values = dict(zip(free, coordinates))
    return tuple(fixed.get(v, values.get(v)) for v in energy.variables)


# ---------------------------------------------------------------------------
# the minimum


def _combine(entries, energy, bounds):
    exact = [e for e in entries if e.status is Status.PROVEN and e.restricted]
    if exact:
        threshold = min(e.threshold for e in exact)
        multiplicity = max(e.multiplicity for e in exact if e.threshold == threshold)
        open_entries = [e for e in entries if e not in exact and not _harmless(e, threshold, multiplicity)]
        if not open_entries:
            where = ", ".join(_point_text(e.point) for e in exact if e.threshold == threshold and e.multiplicity == multiplicity)
            reason = f"minimum over {len(entries)} points and strata of the zero set, attained at {where}"
            return GlobalRLCT(threshold, multiplicity, Status.PROVEN, entries, bounds, reason, energy)
    uppers = [e.threshold for e in exact] + [e.threshold for e in entries if e.status is Status.BOUND and e.restricted]
    unsettled = len([e for e in entries if e not in exact])
    if uppers:
        reason = f"{unsettled} local pair(s) not settled; only lambda <= min of the settled thresholds and bounds is proven"
        return GlobalRLCT(min(uppers), None, Status.BOUND, entries, bounds, reason, energy)
    return GlobalRLCT(None, None, Status.UNKNOWN, entries, bounds, "no local pair on the zero set was settled", energy)


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
