"""Trigonometric dispersions on the Brillouin-zone torus: every critical point, exactly, and the Morse-sum check.

A trigonometric polynomial f(k) with periods P_j is rewritten as a
polynomial F(c, s) in c_j = cos(theta_j), s_j = sin(theta_j), theta_j = 2 pi k_j / P_j
(:mod:`singularities.physics.trig`).  The critical points are the real solutions of
D_j F = 0 (D_j = c_j d/ds_j - s_j d/dc_j is d/dtheta_j) on the circles,
solved exactly by :func:`singularities.local.critical.solve_system`; each point is
classified through its Taylor jet and carries its Poincare-Hopf index.  The
indices sum to the Euler characteristic of the torus, 0, and the result says
whether they do (never hidden).  A band sqrt(R) of a two-band model is
analytic except at the zeros of R, reported as band touchings with the
band's one-sided DOS (linear at a cone; the exponent 2d - 1 from R's
principal part at a touching of higher order).  Conventions: docs/conventions.md (DOS on the torus:
docs/conventions.md#density-of-states); guide: docs/lattices.md.
"""

from dataclasses import replace
from functools import lru_cache
from itertools import combinations, product

import mpmath
import sympy

from .._exact import point_text
from .._limits import BUDGETS, Deadline, guard
from ..algebra.backend import from_flint, to_flint, use_flint
from ..algebra.polys import groebner_basis
from ..algebra.realroots import exact_sign, hessian_inertia
from ..algebra.realzeros import Answer, is_valid_certificate, no_zero_in_unit_box, real_point
from ..algebra.systems import slice_points
from ..domain import Periods
from ..energy import Energy, as_energy
from ..errors import InputError, SingularitiesError
from ..jets import taylor_terms
from ..local.critical import solve_system
from ..local.splitting import residual_variables
from ..thresholds.rlct import principal_part_rlct
from .bands import shifted_square_root_band, square_root_band_points
from .certified_torus import certified_critical_points, has_float_coefficients
from .dos import DOSAsymptotic, dos_asymptotics, square_root_band
from .prefactors import DIGITS
from .torus_local import _classify, _dos, _morse_classification, gradient_index, poincare_hopf_index
from .torus_points import ConicalPoint, TorusComponent, TorusCriticalSet, TorusCrossing, TorusPoint, _numeric_key
from .trig import torus_polynomial

__all__ = [
    "torus_critical_points",
    "poincare_hopf_index",
    "gradient_index",
]

SLICE_COSINES = (sympy.Integer(0), sympy.Rational(1, 2), sympy.Rational(-1, 2), sympy.Rational(3, 5))


#: What a crossing term rests on (docs/lattices.md#critical-lines-and-surfaces), said in every crossing note.
CROSSING_CAVEAT = (
    "the leading term of the principal part; that the higher weighted terms change only lower orders is "
    "argued, not proven in general (checked by Monte Carlo for fcc and bcc, docs/lattices.md)"
)


def torus_critical_points(f, *, variables=None, parameters=None, periods=None, dos=True, timeout=None):
    """Every critical point of a trigonometric dispersion f in one period cell, exactly, with the Morse-sum check.

    Parameters
    ----------
    f : str, sympy.Expr or Energy
        A trigonometric polynomial (every parameter needs a value), or a band
        a + b*sqrt(R) with R such a polynomial (two-band models; a may be a
        trigonometric polynomial too, b a constant).
    variables, parameters : optional
        As for :class:`~singularities.energy.Energy`.
    periods : sequence or str, optional
        The period of each variable; default 2*pi for every one.
    dos : bool
        Attach the local DOS asymptotics to every point (torus normalisation).
    timeout : float, optional
        Time limit in seconds.

    Returns
    -------
    TorusCriticalSet

    Raises
    ------
    InputError
        If f is not a (square root of a) trigonometric polynomial with
        rational coefficients periodic with the periods, or a parameter has no value.
    TimeLimitError
        If the time limit passes.

    Notes
    -----
    With float amplitudes (and no ``parameters``) the result is the certified
    numeric one of :func:`~singularities.physics.certified_torus.certified_critical_points`
    (a :class:`~singularities.physics.certified_torus.CertifiedTorusPoints`).

    Examples
    --------
    >>> from singularities.physics.torus import torus_critical_points
    >>> square = torus_critical_points("-2*cos(kx) - 2*cos(ky)")
    >>> [(p.point, p.value, p.label, p.index) for p in square.points]
    [((0, 0), -4, 'A1', 1), ((0, pi), 0, 'A1', -1), ((pi, 0), 0, 'A1', -1), ((pi, pi), 4, 'A1', 1)]
    >>> square.morse_sum, square.morse_check, (square.band_minimum, square.band_maximum)
    (0, True, (-4, 4))
    """
    deadline = Deadline.coerce(timeout)
    if parameters is None and has_float_coefficients(f):  # float amplitudes: the certified numeric path
        return certified_critical_points(f, variables, periods=periods, timeout=deadline)
    energy = as_energy(f, variables=variables, parameters=parameters)
    if energy.free_parameters:
        names = ", ".join(map(str, energy.free_parameters))
        raise InputError(
            f"parameter {names} has no value; give values (e.g. parameters='{energy.free_parameters[0]}=1') "
            "or use tune() to find the values where points degenerate"
        )
    shifted = shifted_square_root_band(energy)
    if shifted is not None:  # d0(k) + b*sqrt(R): a root of (E - d0)^2 - b^2 R, solved by physics/bands.py
        found = square_root_band_points(energy, shifted, periods=periods, dos=dos, timeout=deadline)
        inner = torus_polynomial(Energy(shifted[2], [str(v) for v in energy.variables]), periods=periods)
        return _assemble(inner, energy, *found[:2], found[2])
    band = _square_root_band(energy)
    if band is not None:
        return _square_root_result(energy, band, periods, dos, deadline)
    with guard(deadline, "writing the dispersion on circles"):  # cos(k)**1000 expands for minutes
        torus = torus_polynomial(energy, periods=periods)
    points, components, crossings = _critical_set(torus, energy, dos, deadline)
    return _assemble(torus, energy, points, components, (), crossings)


# ---------------------------------------------------------------------------
# input: Fourier series, periods, square-root bands


def _square_root_band(energy):
    """(a, b, R) for a band a + b*sqrt(R); None without square roots of functions of k; InputError for other forms."""
    band = square_root_band(energy)
    roots = [p for p in energy.expr.atoms(sympy.Pow) if p.exp == sympy.Rational(1, 2) and p.base.has(*energy.variables)]
    if band is None and roots:
        raise InputError(
            f"f is not one band a + b*sqrt(R) with constants a, b (it has {len(roots)} square root(s) of "
            f"functions of k); give one band as a + b*sqrt({roots[0].base})"
        )
    return band


# ---------------------------------------------------------------------------
# solving and assembling


def _gradient_zeros(torus, deadline):
    """The real solutions of grad F = 0 on the circles c_j^2 + s_j^2 = 1, with F's value and Hessian there."""
    _require_rational(torus)
    gradient, hessian = _derivatives(torus)
    equations = gradient + torus.circles
    return solve_system(equations, torus.unknowns, value=torus.polynomial, matrix=hessian, timeout=deadline)


def _derivatives(torus):
    """(gradient, Hessian) of F in the angles, D_j = c_j d/ds_j - s_j d/dc_j: on FLINT (F has rational
    coefficients here), converted back once; the same expanded polynomials as ``torus.gradient()`` and
    ``torus.hessian()``."""
    n = len(torus.cos)
    if not use_flint():
        gradient = torus.gradient()
        return gradient, sympy.Matrix(n, n, lambda i, j: torus.derivative(gradient[i], j))
    _, (polynomial,) = to_flint([torus.polynomial], torus.unknowns)
    c, s = polynomial.context().gens()[:n], polynomial.context().gens()[n:]

    def derivative(p, j):
        return c[j] * p.derivative(n + j) - s[j] * p.derivative(j)

    gradient = [derivative(polynomial, j) for j in range(n)]
    hessian = [[from_flint(derivative(g, j), torus.unknowns) for j in range(n)] for g in gradient]
    return [from_flint(g, torus.unknowns) for g in gradient], sympy.Matrix(hessian)


def _critical_set(torus, energy, dos, deadline):
    """(points, components) of f: the real solutions of grad F = 0 on the circles.

    When f is even (f(-k) = f(k): F(c, -s) = F(c, s)), the germ at -p is the
    germ at p composed with x -> -x, so a classified degenerate point's type,
    index and DOS are carried over to its mirror image instead of being
    computed twice (:func:`_mirrored`).
    """
    found = _gradient_zeros(torus, deadline)
    even = _is_even(torus)
    done, points = {}, []
    for p in found.points:
        deadline.check("classifying the critical points on the torus", len(points), len(found.points))
        twin = done.get(_mirror_key(torus, p.point)) if even else None
        point = _mirrored(torus, energy, p, twin) if _can_mirror(twin, dos) else None
        point = point or _torus_point(torus, energy, p, dos, deadline)
        done[tuple(p.point)] = point
        points.append(point)
    pieces = [(c, *_torus_piece(torus, c, deadline, dos)) for c in found.components]
    components = [component for _, component, _ in pieces]
    crossings = _crossings(torus, energy, pieces, deadline) if dos else ()
    return points, components, crossings


def _is_even(torus):
    """Whether f(-k) = f(k): F(c, -s) = F(c, s) exactly."""
    flipped = torus.polynomial.xreplace({s: -s for s in torus.sin})
    return sympy.expand(flipped - torus.polynomial) == 0


def _mirror_key(torus, values):
    """The (c, s) values of -p from those of p: (c, -s)."""
    n = len(torus.cos)
    return tuple(values[:n]) + tuple(-v for v in values[n:])


def _can_mirror(twin, dos):
    """A twin whose classification found a type (its reason is coordinate-free text) and, if asked, its DOS."""
    return (
        twin is not None
        and twin.classification is not None
        and twin.classification.family is not None
        and twin.classification.corank > 0
        and (twin.dos is not None or not dos)
    )


def _mirrored(torus, energy, found, twin):
    """The point -p from its classified twin p.

    g_{-p}(x) = f(-p + x) = f(p - x) = g_p(-x): the linear change x -> -x
    (|det| = 1) preserves the type, real form, Milnor number, inertia,
    modulus and the DOS prefactors, and the index (deg(-id)^2 = 1).  The
    twin's principal part and residual carry over in the adapted
    coordinates with x -> -x applied (core(-x), residual(-x)); the RLCT
    certificate is rebuilt from them and re-checked against g_{-p}.  None
    when that re-check fails (the caller then computes the point afresh).
    """
    point = torus.angles(found.point)
    target = torus.translated(point, found.point, energy)
    c = twin.classification
    flip = {v: -v for v in residual_variables(c.corank)}
    part = c.principal_part
    part = None if part is None else replace(part, core=sympy.expand(part.core.xreplace(flip)))
    residual = None if c.residual is None else sympy.expand(c.residual.xreplace(flip))
    classification = replace(c, point=point, energy=target, principal_part=part, residual=residual)
    local = twin.dos
    if local is not None:
        rlct = None if local.rlct is None else principal_part_rlct(classification)  # re-checked against g_{-p}
        if local.rlct is not None and rlct is None:
            return None
        local = replace(local, point=point, energy=target, rlct=rlct)
    return TorusPoint(point, twin.value, classification, twin.index, local, twin.note)


def _require_rational(torus):
    poly = sympy.Poly(torus.polynomial, *torus.unknowns)
    if not (poly.domain.is_ZZ or poly.domain.is_QQ):
        irrational = next(c for c in poly.coeffs() if not c.is_Rational)
        raise InputError(
            f"the exact torus solver needs rational coefficients in cos and sin; {irrational} is not rational "
            "(phases other than multiples of pi/2 bring in cos/sin values such as sqrt(3)/2); "
            "shift the variables to remove the phase, or check one point with classify(f, point)"
        )


def _torus_point(torus, energy, found, dos, deadline):
    point = torus.angles(found.point)
    value = found.value
    n_plus, n_minus = found.inertia
    # the solver's corank counts the 2n circle coordinates (cos, sin); the Hessian is n x n in the angles
    if found.hessian_rank == len(torus.cos):
        classification = _morse_classification(energy, point, value, (n_plus, n_minus))
        note = ""
    else:
        classification, note = _classify(torus.translated(point, found.point, energy), point, deadline)
    index = None if classification is None else poincare_hopf_index(classification)
    local, dos_note = (
        _dos(torus.translated(point, found.point, energy), point, torus.periods, deadline, classification)
        if dos
        else (None, "")
    )
    return TorusPoint(point, value, classification, index, local, "; ".join(n for n in (note, dos_note) if n))


def _torus_component(torus, found, deadline, dos=False):
    return _torus_piece(torus, found, deadline, dos)[0]


def _torus_piece(torus, found, deadline, dos=True):
    """(TorusComponent, the (c, s) values of its crossing points or None); the piece's own DOS term if ``dos``."""
    n = len(torus.periods)
    equations = tuple(
        e for e in (sympy.simplify(torus.to_trig(e)) for e in found.equations if not torus.is_circle(e)) if e != 0
    )
    sample = None if found.sample_point is None else torus.angles(found.sample_point)
    description = torus.subtorus_text(found.equations) or "{" + ", ".join(map(sympy.sstr, equations)) + "} = 0"
    inertia, exponent, note = None, None, "DOS not determined: no regular real sample point"
    local, degenerate = None, None
    m = found.real_dimension
    if found.sample_point is not None and m is not None:
        values, (n_plus, n_minus, rank) = _transversal_sample(torus, found, n - m, deadline)
        sample, inertia = torus.angles(values), (n_plus, n_minus)
        exponent, note = _component_dos(n, m, n_plus, n_minus, rank)
        degenerate, extra = _degenerate_points(torus, found, n - m, deadline)
        note += extra
        if dos and rank == n - m and m < n:  # m = n: a flat band, no transverse directions
            local = _piece_dos(torus, found, (sample, found.value, description), inertia, degenerate, deadline)
    crossings = tuple(torus.angles(p) for p in degenerate or ())
    component = TorusComponent(
        found.dimension, equations, description, found.value, sample, m, inertia, exponent, note, local, crossings
    )
    return component, degenerate


def _transversal_sample(torus, found, codimension, deadline):
    """A real point of the piece where the Hessian has rank n - m (the piece is non-degenerate there), if one is found.

    Tries the solver's sample point, then slices c_j = a of the piece for m
    of the coordinates (algebra.systems.slice_points); returns the sample
    point and its inertia otherwise.
    """
    hessian = torus.hessian()

    def inertia(values):
        return hessian_inertia(hessian.xreplace(dict(zip(torus.unknowns, values))).applyfunc(sympy.simplify))

    first = inertia(found.sample_point)
    if first[2] == codimension:
        return found.sample_point, first
    m = len(torus.cos) - codimension
    slices = (
        {torus.cos[j]: a for j, a in zip(pairs, values)}
        for pairs in combinations(range(len(torus.cos)), m)
        for values in product(SLICE_COSINES, repeat=m)
    )
    with deadline.attempt("a transversally non-degenerate sample point", BUDGETS.sample_point) as step:
        for point, _ in slice_points(found.equations, torus.unknowns, slices, ordered=True, deadline=step.deadline):
            candidate = inertia(point)
            if candidate[2] == codimension:
                return point, candidate
    return found.sample_point, first


def _component_dos(n, m, n_plus, n_minus, rank):
    """The DOS of a critical manifold of dimension m with non-degenerate transverse Hessian:
    like a Morse point in n - m variables."""
    if rank != n - m:
        return (
            None,
            f"the Hessian at the sample point has rank {rank}, not {n - m}: "
            "the piece is degenerate transversally; DOS not determined",
        )
    exponent = sympy.Rational(n - m, 2) - 1
    side = "above the value" if n_minus == 0 else "below the value" if n_plus == 0 else "on both sides"
    kind = "a |E - c|^(" + sympy.sstr(exponent) + ") singularity"
    if exponent == 0:
        kind = "a step" if n_minus == 0 or n_plus == 0 else "a logarithm -log|E - c|"
    elif exponent.is_integer and exponent > 0:
        kind = f"a |E - c|^{exponent} kink" + (" with a logarithm" if n_plus and n_minus else "")
    text = (
        f"generic points of this {m}-dimensional critical manifold act like a Morse point in the {n - m} transverse "
        f"variable(s) (transverse inertia ({n_plus}, {n_minus})): {kind} {side}"
    )
    return exponent, text


def _degenerate_points(torus, found, codimension, deadline):
    """(points, note): the (c, s) values of the real points of the piece where the transverse Hessian
    degenerates (rank < n - m), exactly (None when not determined); there the DOS is more singular."""
    hessian = torus.hessian()
    minors = {
        sympy.expand(hessian.extract(list(r), list(c)).det())
        for r in combinations(range(hessian.rows), codimension)
        for c in combinations(range(hessian.cols), codimension)
    }
    with deadline.attempt(
        "where the transverse Hessian degenerates", BUDGETS.degenerate_points, catch=SingularitiesError
    ) as step:
        extra = solve_system(
            list(found.equations) + [m for m in minors if m != 0], torus.unknowns, timeout=step.deadline
        )
    if not step.ok:
        return None, "; points where the transverse Hessian degenerates: not determined" + (
            " (time)" if step.timed_out else ""
        )
    if extra.components:
        return None, (
            "; the transverse Hessian degenerates on a positive-dimensional part of it: the DOS there is not analysed"
        )
    if not extra.points:
        return (), "; the transverse Hessian is non-degenerate at every real point of it"
    points = tuple(tuple(p.point) for p in extra.points)
    where = ", ".join(point_text(torus.angles(p)) for p in points)
    return points, (
        f"; the transverse Hessian degenerates at {where}: the integral of |det H_perp|^(-1/2) along the piece "
        "diverges there and the crossing points carry the leading DOS term (see crossings)"
    )


# ---------------------------------------------------------------------------
# Morse-Bott pieces and their crossings (docs/lattices.md#critical-lines-and-surfaces)


def _piece_dos(torus, found, where, inertia, degenerate, deadline):
    """:func:`_morse_bott_dos`, with a failure or its time limit as the reason on the record (never a crash)."""
    # catch=Exception: a prefactor that cannot be computed is reported on the piece, the analysis goes on
    with deadline.attempt("the DOS prefactor of a critical piece", catch=Exception) as step:
        return _morse_bott_dos(torus, found, where, inertia, degenerate, step.deadline)
    why = "time limit" if step.timed_out else f"{step.failure}"
    return _undetermined_piece(where, inertia, f"prefactor not computed ({why})")


def _morse_bott_dos(torus, found, where, inertia, degenerate, deadline):
    """The piece's own DOS term: the transverse Morse term integrated over the piece, or why not.

    On a coordinate subtorus C (the angles theta_j, j in J, fixed; m free),
    f - c = (1/2) x^T H_perp(theta_free) x + O(|x|^3) in the fixed angles x, so
    rho = (2 pi)^(-n) int_C C_0 |det(H_perp / 2)|^(-1/2) d^m theta (C_0: the prefactors of
    the Morse normal form with the transverse inertia, docs/conventions.md#density-of-states),
    as long as det H_perp has no real zero on C (algebra.realzeros, certificate re-checked).
    """
    sample, value, description = where
    n = len(torus.cos)
    k = sum(inertia)
    fixed = _fixed_angles(torus, found.equations)
    if fixed is None or n - len(fixed) != found.real_dimension:
        return _undetermined_piece(where, inertia, "the piece is not a coordinate subtorus: prefactor not computed")
    if degenerate:
        return _undetermined_piece(
            where,
            inertia,
            "det H_perp vanishes on the piece (crossing points): the integral of |det H_perp|^(-1/2) diverges "
            "there; the crossing terms lead",
        )
    determinant, free = _transverse_determinant(torus, fixed)
    circles = [torus.cos[j] ** 2 + torus.sin[j] ** 2 - 1 for j in free]
    unknowns = tuple(torus.cos[j] for j in free) + tuple(torus.sin[j] for j in free)
    if not no_zero_in_unit_box(determinant, unknowns):
        answer, certificate = real_point([determinant] + circles, unknowns, deadline=deadline)
        if answer is not Answer.NO or not is_valid_certificate(certificate, [determinant] + circles, unknowns):
            return _undetermined_piece(where, inertia, "det H_perp was not proven free of zeros on the piece")
    reduced = groebner_basis(circles, unknowns).reduce(determinant)[1] if circles else determinant
    if not reduced.free_symbols:
        integral, exact = (2 * sympy.pi) ** len(free) / sympy.sqrt(abs(reduced)), True
        how = "exact: det H_perp = " + sympy.sstr(reduced) + " is constant on the piece"
    else:
        (integral, digits), exact = _quadrature(determinant, free, torus, deadline), False
        how = f"int |det H_perp|^(-1/2) by mpmath quadrature ({digits} digits)"
    factor = 2 ** sympy.Rational(k, 2) * integral / (2 * sympy.pi) ** n
    base = _morse_normal_form_dos(*inertia)
    local = base.scaled(factor, "torus")
    return replace(
        local,
        point=sample,
        value=value,
        label=f"Morse-Bott {description}",
        exact=exact and base.exact,
        energy=None,  # the normal form's energy is not this piece's: kept off the record
        reason=(
            f"transverse Morse term x int over the piece ({how}); det H_perp has no real zero on it "
            "(certified: algebra.realzeros, or a constant term larger than the other coefficients together)"
        ),
    )


def _undetermined_piece(where, inertia, reason):
    """The piece's exponent and log power (those of the transverse Morse form) without prefactors, and why."""
    sample, value, description = where
    base = _morse_normal_form_dos(*inertia)
    return DOSAsymptotic(
        tuple(sample),
        value,
        f"Morse-Bott {description}",
        base.weight_sum,
        base.exponent,
        base.log_power,
        None,
        None,
        None,
        False,
        None,
        base.opens,
        "torus",
        reason,
    )


def _fixed_angles(torus, equations):
    """{j: (c_j, s_j)} for the angles the piece fixes, when every other angle is free (a coordinate subtorus)."""
    basis = groebner_basis(list(equations), torus.unknowns)
    fixed = {}
    for j in range(len(torus.cos)):
        c, s = (basis.reduce(u)[1] for u in (torus.cos[j], torus.sin[j]))
        if not (c.free_symbols or s.free_symbols):
            fixed[j] = (c, s)
    if not torus.subtorus_text(equations):
        return None
    return fixed


def _transverse_determinant(torus, fixed):
    """(det H_perp, free indices): the Hessian in the fixed angles, on the piece, as a polynomial in the free (c, s)."""
    rows = sorted(fixed)
    at = {torus.cos[j]: fixed[j][0] for j in rows} | {torus.sin[j]: fixed[j][1] for j in rows}
    block = torus.hessian().extract(rows, rows).xreplace(at)
    free = [j for j in range(len(torus.cos)) if j not in fixed]
    return sympy.expand(block.det()), free


def _quadrature(determinant, free, torus, deadline):
    """(int over the free angles in [0, 2 pi)^m of |det|^(-1/2), its number of correct digits), m <= 2.

    The integrand is analytic and periodic (det has no zero), so tanh-sinh on [0, 2 pi] converges fast;
    the digits are those of mpmath's error estimate, at most DIGITS."""
    if len(free) > 2:
        raise NotImplementedError("quadrature over a critical piece of dimension > 2")
    names = [torus.cos[j] for j in free] + [torus.sin[j] for j in free]
    with mpmath.workdps(DIGITS + 10):
        function = sympy.lambdify(names, determinant, "mpmath")

        def integrand(*t):
            deadline.check("the quadrature along a critical piece")
            return 1 / mpmath.sqrt(abs(function(*[mpmath.cos(a) for a in t], *[mpmath.sin(a) for a in t])))

        value, error = mpmath.quad(integrand, *([[0, 2 * mpmath.pi]] * len(free)), error=True)
        digits = DIGITS if error == 0 else int(min(DIGITS, max(0, -mpmath.log10(error / abs(value)) - 2)))
        return sympy.Float(mpmath.nstr(value, DIGITS + 2), max(digits, 1)), digits


@lru_cache(maxsize=16)
def _morse_normal_form_dos(n_plus, n_minus):
    """The DOS term of y_1^2 + ... - y_k^2 (Lebesgue measure): C_0 of the Morse normal form with that inertia."""
    names = [f"y{i}" for i in range(1, n_plus + n_minus + 1)]
    form = sum(sympy.Symbol(v) ** 2 for v in names[:n_plus]) - sum(sympy.Symbol(v) ** 2 for v in names[n_plus:])
    return dos_asymptotics(Energy(form, names))


def _crossings(torus, energy, pieces, deadline):
    """The crossing points of the pieces (where their transverse Hessians degenerate), each with its DOS term."""
    through, values = {}, {}
    for found, component, degenerate in pieces:
        if not degenerate:
            continue
        fixed = _fixed_angles(torus, found.equations)
        free = None if fixed is None else tuple(j for j in range(len(torus.cos)) if j not in fixed)
        for point, value in zip(component.crossing_points, degenerate):
            through.setdefault(point, []).append((component, free))
            values[point] = value
    return tuple(
        _safe_crossing(torus, energy, point, values[point], lines, deadline)
        for point, lines in sorted(through.items(), key=lambda item: tuple(map(_numeric_key, item[0])))
    )


def _safe_crossing(torus, energy, point, values, lines, deadline):
    """:func:`_crossing`, with a failure or its time limit as the note (never a crash)."""
    # catch=Exception: a jet that cannot be computed leaves the crossing unanalysed, with the reason
    with deadline.attempt("the DOS term of a crossing", catch=Exception) as step:
        return _crossing(torus, energy, point, values, lines, step.deadline)
    why = "time limit" if step.timed_out else f"{step.failure}"
    names = tuple(c.description for c, _ in lines)
    return TorusCrossing(point, lines[0][0].value, names, note=f"not analysed ({why})")


def _crossing(torus, energy, point, values, lines, deadline):
    """The DOS term of a crossing point from the weighted principal part of f - c there."""
    value = lines[0][0].value
    names = tuple(c.description for c, _ in lines)
    frees = [free for _, free in lines]
    if values is None or any(free is None or len(free) != 1 for free in frees) or len(set(frees)) != len(frees):
        return TorusCrossing(point, value, names, note="not analysed: the crossing lines are not coordinate lines")
    z = sorted(free[0] for free in frees)
    target = torus.translated(point, values, energy)
    jet = taylor_terms(target, 4, timeout=deadline)
    variables = energy.variables
    y = [j for j in range(len(variables)) if j not in z]
    volume = Periods(tuple(torus.periods)).volume
    if len(z) == 2:
        return _two_line_crossing(point, value, names, jet, variables, y, z, volume)
    if len(z) == 3 and not y:
        return _three_line_crossing(point, value, names, jet, variables, z, volume)
    return TorusCrossing(point, value, names, note=f"not analysed: {len(z)} lines cross in {len(variables)} variables")


def _two_line_crossing(point, value, names, jet, variables, y, z, volume):
    """Two lines of extrema: principal part Q(y, p), p = z1 z2, weights 1/2 (y) and 1/4 (z).

    Integrating out y and p = z1 z2 for fixed z1 (Q definite, matrix M, q = len(y)):
    vol{0 < Q < delta} has delta-derivative K_q delta^((q-1)/2) / sqrt(det M) per unit log-length of z1,
    K_q = pi^((q+1)/2) / Gamma((q+1)/2), and z1 runs over sqrt(delta) < |z1| < 1 (dz1/|z1|):
    a factor ln(1/delta)."""
    weight = {j: sympy.Rational(1, 2) for j in y} | {j: sympy.Rational(1, 4) for j in z}
    q = len(y)
    matrix = sympy.zeros(q + 1, q + 1)
    principal = 0
    for exponents, coefficient in jet.items():
        degree = sum(weight[j] * e for j, e in enumerate(exponents))
        if degree < 1 and coefficient != 0:
            return TorusCrossing(point, value, names, note="not analysed: terms below the weighted principal part")
        if degree != 1 or coefficient == 0:
            continue
        principal += coefficient * sympy.Mul(*(v**e for v, e in zip(variables, exponents)))
        slots = [i for i, j in enumerate(y) for _ in range(exponents[j])] + [q] * exponents[z[0]]
        if exponents[z[0]] != exponents[z[1]] or len(slots) != 2:
            return TorusCrossing(point, value, names, note="not analysed: the principal part is not Q(y, z1 z2)")
        a, b = slots
        matrix[a, b] += coefficient if a == b else coefficient / 2
        matrix[b, a] += 0 if a == b else coefficient / 2
    n_plus, n_minus, rank = hessian_inertia(matrix)
    if rank != q + 1 or (n_plus and n_minus):
        return TorusCrossing(
            point, value, names, principal, note="not analysed: the principal part Q(y, z1 z2) is not definite"
        )
    k = sympy.Rational(q + 1, 2)
    coefficient = sympy.pi**k / sympy.gamma(k) / sympy.sqrt(abs(matrix.det())) / volume
    c_plus, c_minus = (coefficient, sympy.Integer(0)) if n_minus == 0 else (sympy.Integer(0), coefficient)
    note = (
        "two lines of extrema cross: principal part Q(y, z1 z2) (weights 1/2, 1/4, 1/4), "
        "rho ~ pi^((q+1)/2)/(Gamma((q+1)/2) sqrt(det M)) |E - c|^((q-1)/2) ln(1/|E - c|) on one side, "
        f"divided by the cell volume; {CROSSING_CAVEAT}"
    )
    return TorusCrossing(point, value, names, principal, sympy.Rational(q - 1, 2), 1, c_plus, c_minus, note)


def _three_line_crossing(point, value, names, jet, variables, z, volume):
    """Three saddle lines crossing in 3D: principal part a z1 z2 z3 (weights 1/3).

    rho(E) = int delta(E - a z1 z2 z3) = (1/|a|) int dz1 dz2 / |z1 z2| over |z1 z2| > |E/a|, |z_i| < 1:
    4 times the area (1/2) ln^2(1/|E|) of a triangle in (ln z1, ln z2), so 2/|a| ln^2(1/|E - c|) on both sides."""
    third = sympy.Rational(1, 3)
    principal, a = 0, None
    for exponents, coefficient in jet.items():
        degree = third * sum(exponents)
        if coefficient == 0 or degree > 1:
            continue
        principal += coefficient * sympy.Mul(*(v**e for v, e in zip(variables, exponents)))
        if degree < 1 or any(exponents[j] != 1 for j in z):
            return TorusCrossing(point, value, names, note="not analysed: the principal part is not a z1 z2 z3")
        a = coefficient
    if a is None:
        return TorusCrossing(point, value, names, note="not analysed: no cubic principal part")
    coefficient = 2 / abs(a) / volume
    note = (
        "three saddle lines cross: principal part a z1 z2 z3, rho ~ (2/|a|) ln^2(1/|E - c|) on both sides, "
        f"divided by the cell volume; {CROSSING_CAVEAT}"
    )
    return TorusCrossing(point, value, names, principal, sympy.Integer(0), 2, coefficient, coefficient, note)


def _assemble(torus, energy, points, components, conical, crossings=()):
    points = tuple(sorted(points, key=lambda p: (_numeric_key(p.value), *map(_numeric_key, p.point))))
    components = tuple(sorted(components, key=lambda c: (c.value is None, _numeric_key(c.value or 0), c.description)))
    conical = sorted(conical, key=lambda c: tuple(map(_numeric_key, c.point)))
    values = [p.value for p in points] + [c.value for c in conical]
    unknown = any(c.value is None for c in components)
    values += [c.value for c in components if c.value is not None]
    low = None if unknown or not values else min(values, key=_numeric_key)
    high = None if unknown or not values else max(values, key=_numeric_key)
    total, check, note = _morse(points, components, conical)
    return TorusCriticalSet(
        points, components, tuple(conical), low, high, total, check, note, torus.periods, energy, tuple(crossings)
    )


def _morse(points, components, conical):
    indices = [p.index for p in points] + [c.index for c in conical]
    known = [i for i in indices if i is not None]
    total = sum(known) if len(known) == len(indices) else None
    if components:
        return (
            None,
            None,
            (
                "the critical set has positive-dimensional components, so the Poincare-Hopf sum over "
                "isolated points does not apply; not checked"
            ),
        )
    if total is None:
        missing = [point_text(p.point) for p in points if p.index is None]
        return None, None, f"the index at {', '.join(missing)} is not determined (point not classified); not checked"
    if total == 0:
        return 0, True, "the indices sum to 0, the Euler characteristic of the torus"
    return (
        total,
        False,
        (
            f"the indices sum to {total}, not 0 (the Euler characteristic of the torus): a critical point is "
            "missing or an index is wrong; please report this input"
        ),
    )


# ---------------------------------------------------------------------------
# square-root bands


def _square_root_result(energy, band, periods, dos, deadline):
    a, b, radicand = band
    sign = exact_sign(b)
    inner = Energy(radicand, [str(v) for v in energy.variables])
    with guard(deadline, "writing the radicand on circles"):
        torus = torus_polynomial(inner, periods=periods)
    found = _gradient_zeros(torus, deadline)
    n = len(energy.variables)
    points, conical, components = [], [], []
    for p in found.points:
        r = exact_sign(p.value)
        if r < 0:
            raise InputError(
                f"the radicand {radicand} is negative at a critical point (value {p.value}); "
                "a band sqrt(R) needs R >= 0 everywhere"
            )
        if r == 0:
            conical.append(_conical_point(torus, energy, inner, p, (a, b), n, dos, deadline))
        else:
            points.append(_band_point(torus, energy, p, a, b, sign, n, dos, deadline))
    for c in found.components:
        component = _torus_component(torus, c, deadline)
        value = None if component.value is None else sympy.simplify(a + b * sympy.sqrt(component.value))
        note = (
            component.dos_note
            if component.value != 0
            else (
                "a positive-dimensional zero set of the radicand (a nodal line/surface): "
                "not a conical point; DOS not analysed"
            )
        )
        components.append(
            TorusComponent(
                component.dimension,
                component.equations,
                component.description,
                value,
                component.sample_point,
                component.real_dimension,
                None,
                None,
                note,
            )
        )
    return _assemble(torus, energy, points, components, conical)


def _band_point(torus, energy, found, a, b, sign, n, dos, deadline):
    point = torus.angles(found.point)
    value = sympy.simplify(a + b * sympy.sqrt(found.value))
    n_plus, n_minus = found.inertia if sign > 0 else found.inertia[::-1]
    morse = found.hessian_rank == len(torus.cos)  # the solver's corank counts the 2n circle coordinates
    if morse:
        classification, note = _morse_classification(energy, point, value, (n_plus, n_minus)), ""
    else:
        classification, note = _classify(torus.translated(point, found.point, energy, (a, b)), point, deadline)
    radicand_type = _classify(torus.translated(point, found.point), point, deadline)[0] if not morse else None
    if morse:
        index = (-1) ** n_minus
    else:  # grad f = b grad R / (2 sqrt R): the index is sign(b)^n times that of grad R
        index_r = None if radicand_type is None else poincare_hopf_index(radicand_type)
        index = None if index_r is None else sign**n * index_r
    target = torus.translated(point, found.point, energy, (a, b))
    local, dos_note = _dos(target, point, torus.periods, deadline, classification) if dos else (None, "")
    return TorusPoint(point, value, classification, index, local, "; ".join(t for t in (note, dos_note) if t))


def _conical_point(torus, energy, inner, found, band, n, dos, deadline):
    """The touching at a zero of R: M = Hessian(R)/2, the index sign(b)^n and the band's one-sided DOS term."""
    a, b = band
    point = torus.angles(found.point)
    at = dict(zip(inner.variables, point))
    matrix = (sympy.hessian(inner.expr, inner.variables).xreplace(at) / 2).applyfunc(sympy.simplify)
    local = None
    if dos:
        target = torus.translated(point, found.point, energy, (a, b))
        local, note = _dos(target, point, torus.periods, deadline)
        if local is None:  # keep the reason on the record: never a silent gap
            local = _undetermined_touching(point, a, b, note)
    return ConicalPoint(point, sympy.simplify(a), matrix, exact_sign(b) ** n, local)


def _undetermined_touching(point, a, b, note):
    opens = "above" if exact_sign(b) > 0 else "below"
    return DOSAsymptotic.not_determined(point, sympy.simplify(a), "touching", opens, "torus", note)
