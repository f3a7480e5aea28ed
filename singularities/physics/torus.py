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
from itertools import combinations, product

import sympy

from .._exact import point_text
from .._limits import BUDGETS, Deadline
from ..algebra.backend import from_flint, to_flint, use_flint
from ..algebra.polys import groebner_basis, normal_form_coordinates, standard_monomials
from ..algebra.realroots import exact_sign, hessian_inertia
from ..algebra.systems import slice_points
from ..domain import Periods
from ..energy import Energy, as_energy
from ..errors import InputError, SingularitiesError
from ..local.classify import Classification, classify
from ..local.critical import solve_system
from ..local.normal_forms import normal_form
from ..local.splitting import residual_variables
from ..thresholds.rlct import principal_part_rlct
from .certified_torus import certified_critical_points, has_float_coefficients
from .dos import DOSAsymptotic, dos_asymptotics, square_root_band
from .torus_points import ConicalPoint, TorusComponent, TorusCriticalSet, TorusPoint, _numeric_key
from .trig import torus_polynomial

__all__ = [
    "torus_critical_points",
    "poincare_hopf_index",
    "gradient_index",
]

SLICE_COSINES = (sympy.Integer(0), sympy.Rational(1, 2), sympy.Rational(-1, 2), sympy.Rational(3, 5))
SAMPLE_MODULI = (
    sympy.Integer(1),
    sympy.Integer(-3),
    sympy.Integer(3),
    sympy.Rational(1, 2),
    sympy.Integer(0),
    sympy.Integer(-1),
)


def torus_critical_points(f, *, variables=None, parameters=None, periods=None, dos=True, timeout=None):
    """Every critical point of a trigonometric dispersion f in one period cell, exactly, with the Morse-sum check.

    Parameters
    ----------
    f : str, sympy.Expr or Energy
        A trigonometric polynomial (every parameter needs a value), or a band
        a + b*sqrt(R) with R such a polynomial (two-band models).
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
    band = _square_root_band(energy)
    if band is not None:
        return _square_root_result(energy, band, periods, dos, deadline)
    torus = torus_polynomial(energy, periods=periods)
    points, components = _critical_set(torus, energy, dos, deadline)
    return _assemble(torus, energy, points, components, ())


def poincare_hopf_index(classification):
    """The index of grad f at a classified isolated critical point, exactly.

    For a Morse point it is (-1)^(Morse index).  Otherwise it is the index of
    the gradient of the real normal form (``classification.normal_form``,
    with an admissible modulus value), computed by :func:`gradient_index`; the
    index is a topological invariant of the germ, so the normal form's is
    the point's.  None when the point is not classified.

    Examples
    --------
    >>> from singularities.physics.torus import poincare_hopf_index
    >>> [poincare_hopf_index(sg.classify(f)) for f in ("x**2 - y**2", "x**3 - 3*x*y**2", "x**4 + y**2", "x**3 + y**2")]
    [-1, -2, 1, 0]
    """
    c = classification
    if c.family is None or c.family == "P":  # P8: its real forms are not distinguished yet, and their indices differ
        return None
    if c.corank == 0:
        return (-1) ** c.inertia[1]
    form = normal_form(c.family, c.index, c.real_form_label)
    expression = c.normal_form
    if form.modulus is not None:
        value = next((a for a in SAMPLE_MODULI if form.admits(a)), None)
        if value is None:  # pragma: no cover - every real form admits one of SAMPLE_MODULI
            return None
        expression = expression.xreplace({form.modulus: value})
    names = tuple(sorted(expression.free_symbols, key=lambda s: s.name))
    names = tuple(v for v in c.energy.variables if v in expression.free_symbols) if c.energy is not None else names
    if len(names) != len(c.point):
        return None
    return gradient_index([sympy.diff(expression, v) for v in names], names)


def gradient_index(components, variables):
    """The local degree at 0 of a polynomial map F: R^n -> R^n whose only complex zero is 0
    (Eisenbud-Levine-Khimshiashvili).

    Q = R[x]/(F) is then the local algebra at 0; with J = det DF and any
    linear functional phi on Q with phi(J) > 0, the index is the signature
    of the bilinear form (a, b) -> phi(a b) on Q (Eisenbud and Levine, Ann.
    Math. 106 (1977) 19-44; Khimshiashvili 1977).  Here phi is the
    coefficient of one standard monomial of the normal form of J, with the
    sign that makes phi(J) > 0; the signature is exact (rational Gram matrix).

    Raises
    ------
    InputError
        If F has a zero other than 0 or 0 is not an isolated zero.

    Examples
    --------
    >>> from singularities.physics.torus import gradient_index
    >>> x, y = sympy.symbols("x y")
    >>> gradient_index([3*x**2 - 3*y**2, -6*x*y], (x, y))  # grad of the monkey saddle
    -2
    >>> gradient_index([2*x*y, x**2 + 3*y**2], (x, y))  # grad of D4+ = x^2 y + y^3
    0
    """
    variables = tuple(variables)
    basis = groebner_basis([sympy.expand(c) for c in components], variables)
    standard = standard_monomials(basis, variables)
    if standard is None or any(basis.reduce(v ** len(standard))[1] != 0 for v in variables):
        raise InputError(
            "the map has a zero other than the origin (or a non-isolated zero); "
            "the signature formula needs 0 as its only zero"
        )
    jacobian = sympy.Matrix([[sympy.diff(c, v) for v in variables] for c in components]).det()
    coefficients = normal_form_coordinates(basis.reduce(sympy.expand(jacobian))[1], standard, variables)
    pivot = max((i for i, c in enumerate(coefficients) if c != 0), key=lambda i: sum(standard[i]))
    sign = 1 if coefficients[pivot] > 0 else -1
    monomials = [sympy.Mul(*(v**e for v, e in zip(variables, m))) for m in standard]
    gram = sympy.Matrix(
        len(standard),
        len(standard),
        lambda i, j: (
            sign * normal_form_coordinates(basis.reduce(monomials[i] * monomials[j])[1], standard, variables)[pivot]
        ),
    )
    n_plus, n_minus, _ = hessian_inertia(gram)
    return n_plus - n_minus


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
        twin = done.get(_mirror_key(torus, p.point)) if even else None
        point = _mirrored(torus, energy, p, twin) if _can_mirror(twin, dos) else None
        point = point or _torus_point(torus, energy, p, dos, deadline)
        done[tuple(p.point)] = point
        points.append(point)
    components = [_torus_component(torus, c, deadline) for c in found.components]
    return points, components


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


def _morse_classification(energy, point, value, inertia):
    """A1 with the exact inertia from the solver (as classify_critical_points does for Morse points)."""
    n_plus, n_minus = inertia
    names = energy.variables
    form = sum(v**2 for v in names[:n_plus]) - sum(v**2 for v in names[n_plus:])
    opens = "above" if n_minus == 0 else "below" if n_plus == 0 else "both"
    return Classification(
        point=point,
        value=value,
        family="A",
        index=1,
        real_form_label=None,
        corank=0,
        inertia=inertia,
        milnor_number=1,
        modality=0,
        normal_form=form,
        weights=(sympy.Rational(1, 2),) * len(names),
        opens=opens,
        reason="corank 0: a Morse point (exact Hessian inertia)",
        residual=sympy.Integer(0),
        energy=energy.at(point),
    )


def _classify(target, point, deadline):
    """classify() at the target, reported at ``point``; failures become a note."""
    # catch=Exception: an algebraic point the exact jets cannot handle is reported, not fatal
    with deadline.attempt("classifying a critical point", catch=Exception) as step:
        result = classify(target, timeout=step.deadline)
        return (result if tuple(target.point) == tuple(point) else replace(result, point=point)), ""
    if step.timed_out:
        return None, "not classified: the jet computation ran out of time"
    return None, f"not classified: the jets at this point could not be computed exactly ({step.failure})"


def _dos(target, point, periods, deadline, classification=None):
    """The local DOS in the torus normalisation (the target is a function of k - point
    in k units, see :meth:`TorusPolynomial.translated`)."""
    # catch=Exception: a DOS failure is a note on the point, never a crash of the torus analysis
    with deadline.attempt("the DOS asymptotics", catch=Exception) as step:
        local = dos_asymptotics(target, classification=classification, timeout=step.deadline)
        local = local.scaled(1 / Periods(tuple(periods)).volume, "torus")
        return (local if tuple(target.point) == tuple(point) else replace(local, point=point)), ""
    if step.timed_out:
        return None, "DOS asymptotics: time limit"
    return None, f"DOS asymptotics not computed ({step.failure})"


def _torus_component(torus, found, deadline):
    n = len(torus.periods)
    equations = tuple(
        e for e in (sympy.simplify(torus.to_trig(e)) for e in found.equations if not torus.is_circle(e)) if e != 0
    )
    sample = None if found.sample_point is None else torus.angles(found.sample_point)
    description = torus.subtorus_text(found.equations) or "{" + ", ".join(map(sympy.sstr, equations)) + "} = 0"
    inertia, exponent, note = None, None, "DOS not determined: no regular real sample point"
    m = found.real_dimension
    if found.sample_point is not None and m is not None:
        values, (n_plus, n_minus, rank) = _transversal_sample(torus, found, n - m, deadline)
        sample, inertia = torus.angles(values), (n_plus, n_minus)
        exponent, note = _component_dos(n, m, n_plus, n_minus, rank)
        note += _degenerate_points_note(torus, found, n - m, deadline)
    return TorusComponent(found.dimension, equations, description, found.value, sample, m, inertia, exponent, note)


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


def _degenerate_points_note(torus, found, codimension, deadline):
    """Where the transverse Hessian degenerates on the piece (rank < n - m), exactly; there the DOS is more singular."""
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
        return "; points where the transverse Hessian degenerates: not determined" + (
            " (time)" if step.timed_out else ""
        )
    if extra.components:
        return (
            "; the transverse Hessian degenerates on a positive-dimensional part of it: the DOS there is not analysed"
        )
    if not extra.points:
        return "; the transverse Hessian is non-degenerate at every real point of it"
    where = ", ".join(point_text(torus.angles(p.point)) for p in extra.points)
    return (
        f"; the transverse Hessian degenerates at {where}: there the DOS is more singular than the generic behaviour "
        "(e.g. two crossing lines of extrema, f - c ~ u^2 v^2, add a factor log(1/|E - c|)); not analysed further"
    )


def _assemble(torus, energy, points, components, conical):
    points = tuple(sorted(points, key=lambda p: (_numeric_key(p.value), *map(_numeric_key, p.point))))
    components = tuple(sorted(components, key=lambda c: (c.value is None, _numeric_key(c.value or 0), c.description)))
    conical = sorted(conical, key=lambda c: tuple(map(_numeric_key, c.point)))
    values = [p.value for p in points] + [c.value for c in conical]
    unknown = any(c.value is None for c in components)
    values += [c.value for c in components if c.value is not None]
    low = None if unknown or not values else min(values, key=_numeric_key)
    high = None if unknown or not values else max(values, key=_numeric_key)
    total, check, note = _morse(points, components, conical)
    return TorusCriticalSet(points, components, tuple(conical), low, high, total, check, note, torus.periods, energy)


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
