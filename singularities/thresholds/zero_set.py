"""The zero set of K on one stratum of the support, piece by piece: Morse-Bott strata, special points, witnesses.

:func:`~singularities.thresholds.global_rlct.global_rlct` solves, on each
stratum of the support W, for the zeros of K; this module turns what the
solver returns into local pairs (:class:`~singularities.thresholds.boundary.LocalRLCT`).
A positive-dimensional piece C of codimension c is split into its real pieces
(sum c_i m_i^2 = 0 with c_i > 0 forces every m_i = 0), its Morse-Bott stratum
(C smooth and the Hessian of K of rank c: lambda = c/2, m = 1; R. Bott, Ann.
of Math. 60 (1954)) shown by one exact witness point inside the stratum, and
the special points where either condition fails, which get ``rlct()``.  A
special set of positive dimension gives only an upper bound along it.  Rules:
docs/slt.md#the-global-rlct.
"""

import itertools

import sympy

from .._exact import minors
from .._limits import BUDGETS, call_with_limit
from ..algebra.polys import groebner_basis, jacobian_gram, rank_form
from ..algebra.realroots import exact_sign, has_root_between
from ..algebra.realzeros import open_box_sign
from ..algebra.systems import slice_points
from ..errors import UndecidedSign
from ..local.critical import solve_system
from ..polyhedra.ideals import sum_of_squares
from .boundary import LocalRLCT, location_of, morse_bott_entry, point_entry, wedge_entry
from .certificates import Status

__all__ = []

WITNESS_FRACTIONS = (
    sympy.Rational(2, 3),
    sympy.Rational(1, 3),
    sympy.Rational(3, 4),
    sympy.Rational(1, 4),
    sympy.Rational(1, 2),
)
MAX_WITNESS_SLICES = 40


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
            return [point_entry(energy, support, stratum, {}, "isolated zero", deadline)]
        return []
    found = solve_system([k] + active + _fritz_john(k, active, free), free, timeout=deadline)
    entries = _points_entries(energy, support, stratum, free, found.points, "isolated zero", deadline)
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
        return all(
            exact_sign(g.xreplace(point)) > 0 for i, g in enumerate(support.constraints) if i not in stratum.active
        )
    except UndecidedSign:  # pragma: no cover - real algebraic coordinates compare exactly in practice
        return False


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
        bounded = _rank_bounded(energy, support, stratum, free, component, deadline)
        if bounded is not None:
            return entries + bounded
        sample = _full_point(energy, stratum, free, component.sample_point)
        return entries + [
            LocalRLCT(
                sample,
                "unresolved stratum",
                location_of(stratum, support),
                None,
                None,
                Status.UNKNOWN,
                "no smooth point of the piece with the Hessian rank of a Morse-Bott stratum was found inside the face",
                d,
            )
        ]
    return entries + [morse_bott_entry(energy, witness, rank, kind, location_of(stratum, support), d)]


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
    location, d = location_of(stratum, support), component.dimension
    unresolved = lambda why: [
        LocalRLCT(
            _full_point(energy, stratum, free, component.sample_point),
            "unresolved stratum",
            location,
            None,
            None,
            Status.UNKNOWN,
            why,
            d,
        )
    ]
    if _misses_face(component, free, support, stratum, deadline):
        return []
    if stratum.fixed or len(stratum.active) > 1:
        return unresolved(
            "a piece of the zero set on an edge or corner of the support (several active constraints) is not analysed"
        )
    variables, n = energy.variables, len(energy.variables)
    if not all(_vanishes_on(sympy.diff(energy.expr, v), component, free) for v in variables):
        return unresolved("grad K does not vanish along this piece of the zero set on the boundary; not analysed")
    g = support.constraints[stratum.active[0]]
    hessian = sympy.hessian(energy.expr, variables)
    gradient = sympy.Matrix([sympy.diff(g, v) for v in variables])
    for rank, transversal in (
        (n - d, sympy.expand((gradient.T * gradient)[0])),
        (n - d - 1, rank_form(hessian + gradient * gradient.T, n - d)),
    ):
        if rank <= 0 or _vanishes_on(rank_form(hessian, rank), component, free):
            continue
        forms = (rank_form(hessian, rank), _gram_form(component, free), transversal)
        special = solve_system(list(component.equations) + [sympy.expand(sympy.Mul(*forms))], free, timeout=deadline)
        entries = _points_entries(energy, support, stratum, free, special.points, "special point", deadline)
        for piece in special.components:
            entries += _special_stratum(energy, support, stratum, free, piece, deadline)
        witness = _witness(energy, support, stratum, free, component, forms, deadline)
        if witness is None:
            return entries + unresolved(
                "no point of the piece with the Morse-Bott and transversality conditions was found"
            )
        return entries + [wedge_entry(energy, witness, rank, location, d, rank == n - d)]
    return unresolved(
        "the Hessian rank along this piece of the zero set on the boundary is not that of a Morse-Bott stratum"
    )


def _points_entries(energy, support, stratum, free, points, kind, deadline):
    return [
        point_entry(energy, support, stratum, dict(zip(free, p.point)), kind, deadline)
        for p in points
        if _inside(dict(zip(free, p.point)), support, stratum)
    ]


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
    expanded = sympy.expand(expr)
    if not component.equations:
        return expanded == 0
    # the basis is over the domain sympy infers from the equations (ZZ for integer ones): divide out the
    # rational content first, so that a rational coefficient of expr does not fail to coerce
    numerator = sympy.fraction(sympy.factor_terms(expanded, clear=True))[0]
    return groebner_basis(component.equations, free, domain=None).reduce(sympy.expand(numerator))[1] == 0


def _special_stratum(energy, support, stratum, free, piece, deadline):
    """A positive-dimensional special set: rlct at one of its points gives only an upper bound along it."""
    pieces = _real_pieces(piece, free, deadline)
    if pieces is not None:
        entries = _points_entries(energy, support, stratum, free, pieces.points, "special point", deadline)
        return entries + [
            e for q in pieces.components for e in _special_stratum(energy, support, stratum, free, q, deadline)
        ]
    if _misses_face(piece, free, support, stratum, deadline):
        return []
    witness = _witness(energy, support, stratum, free, piece, (), deadline)
    location = location_of(stratum, support)
    if witness is None:
        sample = _full_point(energy, stratum, free, piece.sample_point)
        return [
            LocalRLCT(
                sample,
                "unresolved stratum",
                location,
                None,
                None,
                Status.UNKNOWN,
                "no point of this special set was found inside the face",
                piece.dimension,
            )
        ]
    entry = point_entry(energy, support, stratum, dict(zip(energy.variables, witness)), "special stratum", deadline)
    if entry.threshold is None or not entry.restricted:
        bounded = _rank_bounded(energy, support, stratum, free, piece, deadline)
        if bounded is not None:
            return bounded
        return [
            LocalRLCT(witness, "special stratum", location, None, None, Status.UNKNOWN, entry.rule, piece.dimension)
        ]
    rule = f"{entry.rule} at this point; the stratum is not proven equisingular, so lambda <= this value along it"
    return [LocalRLCT(witness, "special stratum", location, entry.threshold, None, Status.BOUND, rule, piece.dimension)]


def _rank_bounded(energy, support, stratum, free, piece, deadline):
    """Entries covering a piece by the Hessian rank of K along it, when K >= 0 everywhere (:func:`_nonnegative`);
    None otherwise.

    K >= 0 everywhere (a sum of squares), so at a zero z with Hessian rank r the
    splitting lemma gives K = Q(u) + h(v) near z with Q positive definite of
    rank r and h >= 0 of order >= 3; lambda adds over separated non-negative
    parts, so the full-space pair is (r/2, 1) when h = 0 and lambda > r/2
    otherwise.  Integrating over W near z only raises lambda or, at equal
    lambda, lowers m.  Hence at every point of the piece where the Hessian has
    rank >= r: lambda_W >= r/2, and m_W <= 1 when equal, which is the meaning
    of a full-space-only entry (``restricted`` False) with the pair (r/2, 1).
    The points of the piece where the rank drops below r are solved for and
    get their own entries (points: ``rlct()``; pieces: :func:`_special_stratum`).
    """
    if not _nonnegative(energy, deadline):
        return None
    hessian = sympy.hessian(energy.expr, energy.variables).xreplace(stratum.fixed)
    rank = next(
        (r for r in range(len(energy.variables), 0, -1) if not _vanishes_on(rank_form(hessian, r), piece, free)), 0
    )
    if rank == 0:
        return None
    form = rank_form(hessian, rank)
    drop = solve_system(list(piece.equations) + [form], free, timeout=deadline)
    if any(c.dimension >= piece.dimension for c in drop.components):
        return None  # the rank drops on a whole piece (the form vanishes on its real points): no progress
    entries = _points_entries(energy, support, stratum, free, drop.points, "special point", deadline)
    for part in drop.components:
        entries += _special_stratum(energy, support, stratum, free, part, deadline)
    witness = _witness(energy, support, stratum, free, piece, (form,), deadline)
    point = witness if witness is not None else _full_point(energy, stratum, free, piece.sample_point)
    rule = (
        f"lambda >= {sympy.sstr(sympy.Rational(rank, 2))}, with m = 1 if equal, at every point of this piece: "
        f"K >= 0 everywhere and its Hessian has rank >= {rank} there (splitting lemma, K = Q + h with h >= 0); "
        "the points where the rank drops are listed on their own"
    )
    location = location_of(stratum, support)
    return entries + [
        LocalRLCT(
            point,
            "Hessian-rank stratum",
            location,
            sympy.Rational(rank, 2),
            1,
            Status.PROVEN,
            rule,
            piece.dimension,
            False,
        )
    ]


def _nonnegative(energy, deadline):
    """Whether K >= 0 on all of R^n, read off K: a sum of squares c_i f_i^2 (c_i > 0), or c * prod p_j^(2 a_j)
    with c > 0 (every irreducible factor to an even power, as an expanded square shows once factored; the
    factorisation within BUDGETS.split, else False)."""
    if sum_of_squares(energy.expr, energy.variables) is not None:
        return True
    with deadline.attempt("factoring K", BUDGETS.split) as step:
        coefficient, factors = call_with_limit(
            step.deadline, "factoring K", sympy.factor_list, sympy.expand(energy.expr), *energy.variables
        )
    if not step.ok:
        return False
    return bool(factors) and coefficient > 0 and all(power % 2 == 0 for _, power in factors)


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
    stratum), one of its equations has a strict sign on the open face (algebra.realzeros.open_box_sign: the
    zero set meets the face's closure only on its boundary, e.g. a b = 1 at the corner of [0, 1]^2), or some
    coordinate is confined by an elimination polynomial to roots outside the open interval."""
    box = support.box
    if not component.equations:
        return False
    inactive = [
        sympy.expand(g.xreplace(stratum.fixed)) for i, g in enumerate(support.constraints) if i not in stratum.active
    ]
    if any(_vanishes_on(g, component, free) for g in inactive):
        return True
    if any(open_box_sign(g, free, box, deadline=deadline) != 0 for g in component.equations):
        return True  # one equation keeps a strict sign on the open face (exact Bernstein coefficients)
    for v in free:
        others = [w for w in free if w != v]
        basis = groebner_basis(
            component.equations,
            (*others, v),
            deadline,
            order="lex",
            stage="bounding a piece of the zero set",
            domain=None,
        )
        eliminant = [g for g in basis.exprs if g.free_symbols <= {v}]
        if eliminant and not has_root_between(sympy.Poly(eliminant[0], v), *box[v]):
            return True
    return False


def _witness(energy, support, stratum, free, component, forms, deadline):
    """A point of the piece inside the stratum where none of the forms vanishes (a Morse-Bott point)."""
    with deadline.attempt("a Morse-Bott point on the piece", BUDGETS.witness) as step:
        candidates = itertools.chain([component.sample_point], _slice_points(component, free, support, step.deadline))
        for candidate in candidates:
            if candidate is not None and _is_witness(dict(zip(free, candidate)), forms, support, stratum):
                return _full_point(energy, stratum, free, candidate)
    return None


def _slice_points(component, free, support, deadline):
    """Real points of the piece with d of the free coordinates fixed at interior rational
    values (algebra.systems.slice_points)."""
    box = support.box
    slices = (
        {v: box[v][0] + f * (box[v][1] - box[v][0]) for v, f in zip(chosen, fractions)}
        for fractions in itertools.product(WITNESS_FRACTIONS, repeat=component.dimension)
        for chosen in itertools.combinations(free, component.dimension)
    )
    found = slice_points(
        component.equations, free, itertools.islice(slices, MAX_WITNESS_SLICES), ordered=True, deadline=deadline
    )
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
