"""The DOS prefactors C_+, C_- and L from a quasi-homogeneous principal part: oscillatory integrals and unit volumes.

For the principal part ``sum d_i y_i^2 + core(z)`` of a critical point
(Jacobian J), the oscillatory integral

    I = integral of exp(i * g0(x)) dx = |J| * prod_i sqrt(pi/|d_i|) e^{i pi sgn(d_i)/4} * I_core

is a sum of phasors m e^{i pi phase} (:func:`oscillatory_integral`), and
the prefactors are read off it (:func:`prefactors`): the Fourier transform
of C_+ E_+^(d-1) + C_- E_-^(d-1) at xi = 1 is
Gamma(d) (C_+ e^{i pi d/2} + C_- e^{-i pi d/2}), and that of
L E^(N-1) log|E| + (J/2) E^(N-1) sgn(E) for integer d = N is
(N-1)! i^(N-1) (-pi L + i J).  ``I_core`` is a product of Gamma functions
for the normal-form shapes (one power, two separate powers, the chain
a u^p v^r + b v^q of the D and E7 types, binary cubics through their
discriminant); otherwise it comes from the level-set integral
C_+- = integral over the circle of (w1 cos^2 + w2 sin^2) core_+-^(-d) dtheta,
evaluated with mpmath to :data:`DIGITS` significant digits.  For a band
touching, :func:`unit_volume` gives V = vol{R_0 < 1} of a positive-definite
quasi-homogeneous R_0.  The derivation is in docs/dos.md.
"""

import functools

import mpmath
import sympy

from .._limits import Deadline
from ..algebra.realroots import exact_sign
from ..local.critical import hessian_inertia
from ..local.forms import binary_discriminant

__all__ = ["oscillatory_integral", "prefactors", "side_integrals", "unit_volume", "vertex_prefactors", "tidy", "DIGITS"]

DIGITS = 30


def oscillatory_integral(part, *, timeout=None):
    """I = integral of exp(i g0) over R^n for the principal part g0 of a point, as phasors.

    Returns ``(phasors, exact, how)`` where ``phasors`` is a tuple of
    (modulus, phase) pairs with I = sum modulus * exp(i pi phase), modulus
    real and phase rational, ``exact`` says whether the moduli are
    closed forms (else Floats with :data:`DIGITS` digits) and ``how`` names
    the method.

    Raises
    ------
    NotImplementedError
        For a core with no closed form and no quadrature here (a
        non-separable core in three variables other than a ternary cubic,
        any non-separable core in four or more); the message says which.

    Examples
    --------
    >>> from singularities.physics.prefactors import oscillatory_integral
    >>> oscillatory_integral(sg.classify("x**2 + y**2").principal_part)[:2]
    (((pi, 1/2),), True)
    """
    deadline = Deadline.coerce(timeout)
    morse = (
        (
            sympy.Abs(part.jacobian) * sympy.Mul(*(sympy.sqrt(sympy.pi / sympy.Abs(c)) for c in part.squares)),
            sum((sympy.Rational(exact_sign(c), 4) for c in part.squares), sympy.Integer(0)),
        ),
    )
    core, exact, how = _core_integral(part.core, part.variables, part.weights, deadline)
    return tuple((tidy(m1 * m2), p1 + p2) for m1, p1 in morse for m2, p2 in core), exact, how


def prefactors(phasors, d, opens):
    """(C_+, C_-, L) from I = sum m e^(i pi phase) and the weight sum d (derivation in docs/dos.md).

    Non-integer d: C_+ e^(i pi d/2) + C_- e^(-i pi d/2) = I/Gamma(d), so
    C_+ = sum m sin(pi (phase + d/2)) / (Gamma(d) sin(pi d)) and
    C_- = sum m sin(pi (d/2 - phase)) / (Gamma(d) sin(pi d)).
    Integer d = N: I = (N-1)! i^(N-1) (-pi L + i J) with J = C_+ - (-1)^(N-1) C_-.
    ``opens`` ("above", "below" or "both") says where an integer-d jump goes.

    Examples
    --------
    The band edge x^2: I = sqrt(pi) e^(i pi/4), d = 1/2, and rho = E^(-1/2) above 0
    (vol{x^2 < E} = 2 sqrt(E)):

    >>> from singularities.physics.prefactors import prefactors
    >>> prefactors(((sympy.sqrt(sympy.pi), sympy.Rational(1, 4)),), sympy.Rational(1, 2), "above")
    (1, 0, 0)
    """
    if not d.is_integer:
        denominator = sympy.gamma(d) * sympy.sin(sympy.pi * d)
        c_plus = sum(m * sympy.sin(sympy.pi * (p + d / 2)) for m, p in phasors) / denominator
        c_minus = sum(m * sympy.sin(sympy.pi * (d / 2 - p)) for m, p in phasors) / denominator
        return tidy(c_plus), tidy(c_minus), sympy.Integer(0)
    n = int(d)
    # divide I by (n-1)! i^(n-1): the phases drop by (n-1)/2
    real = sum(m * sympy.cos(sympy.pi * (p - sympy.Rational(n - 1, 2))) for m, p in phasors) / sympy.factorial(n - 1)
    imaginary = sum(m * sympy.sin(sympy.pi * (p - sympy.Rational(n - 1, 2))) for m, p in phasors) / sympy.factorial(
        n - 1
    )
    log_coefficient, jump = tidy(-real / sympy.pi), tidy(imaginary)
    if opens == "above":
        return jump, sympy.Integer(0), log_coefficient
    if opens == "below":
        return sympy.Integer(0), tidy((-1) ** n * jump), log_coefficient
    return tidy(jump / 2), tidy((-1) ** n * jump / 2), log_coefficient


def unit_volume(principal, variables, weights, deadline=None):
    """(V, exact, how) with V = vol{R_0 < 1} for a positive-definite quasi-homogeneous R_0; else the reason (a str).

    Examples
    --------
    The unit disc has area pi:

    >>> from singularities.physics.prefactors import unit_volume
    >>> x, y = sympy.symbols("x y")
    >>> unit_volume(x**2 + y**2, (x, y), (sympy.Rational(1, 2),) * 2)[:2]
    (pi, True)
    """
    deadline = Deadline.coerce(deadline)
    n, d = len(variables), sum(weights)
    poly = sympy.Poly(principal, *variables)
    if (
        len(poly.terms()) == n
    ):  # sum c_i x_i^(a_i): Dirichlet's integral 2^n prod Gamma(1 + 1/a_i) c_i^(-1/a_i) / Gamma(1 + d)
        volume = 2**n * sympy.Mul(
            *(sympy.gamma(1 + w) * c ** (-w) for c, w in zip(_corner_coefficients(poly, weights), weights))
        )
        return tidy(volume / sympy.gamma(1 + d)), True, "Dirichlet's integral (Gamma functions)"
    power = _quadratic_power(principal, variables, weights)
    if power is not None:
        return power, True, "a power of a quadratic form (ball volume)"
    if n == 2:
        return _quadrature_volume(principal, variables, weights, deadline)
    return f"no closed form or quadrature for a facet polynomial in {n} variables that is not separable"


def vertex_prefactors(polyhedron, deadline=None):
    """(C_+, C_-, (p_+, p_-), exact, how) for a 2-variable g whose Newton diagonal meets a vertex (t, t).

    rho(E) ~ C_s |E|^(1/t - 1) log^(p_s)(1/|E|) on the side s = sign(E)
    (docs/dos.md#newton-non-degenerate-germs), for g real non-degenerate
    (every compact face polynomial without a singular zero in the real
    torus; the caller checks it) with both edges at the vertex compact.  In
    logarithmic coordinates p = -log|x|, q = -log|y| the vertex monomial
    c x^t y^t dominates in the normal cone of the vertex, spanned by the
    normals a, b of its two edges; the slice p + q = s of that cone has
    length kappa s, kappa = |a_1/|a| - b_1/|b||, so in each quadrant where
    c x^t y^t has the sign s, vol{0 < s g < E} = kappa |c|^(-1/t) E^(1/t)
    log(1/E)/t + O(E^(1/t)), and rho_s = N_s kappa |c|^(-1/t) t^(-2)
    E^(1/t - 1) log(1/E) with N_s quadrants (4 or 0 for even t, 2 and 2 for
    odd t).  On a side without quadrants (even t, s = -sign c) only the
    two edges contribute, each C_s(g_edge) of :func:`side_integrals` (its
    arcs of sign s stay away from the vertex direction, where g_edge has
    the sign of c), with no logarithm.

    Examples
    --------
    >>> from singularities.physics.prefactors import vertex_prefactors
    >>> from singularities.polyhedra.newton import polyhedron_from_terms
    >>> x, y = sympy.symbols("x y")
    >>> P = polyhedron_from_terms((x, y), {(2, 2): 1, (6, 0): 1, (0, 6): 1})   # x^2 y^2 + x^6 + y^6
    >>> vertex_prefactors(P)[:4]    # edge normals (1, 2), (2, 1): kappa = 2/3 - 1/3, C_+ = 4 kappa / t^2
    (1/3, 0, (1, 0), True)
    """
    deadline = Deadline.coerce(deadline)
    vertex = polyhedron.principal_face.vertices[0]
    t = vertex[0]
    c = dict(polyhedron.terms)[vertex]
    edges = [f for f in polyhedron.facets if f.evaluate(vertex) == f.offset]
    a, b = (f.normal for f in edges)
    kappa = abs(sympy.Rational(a[0], sum(a)) - sympy.Rational(b[0], sum(b)))
    leading = tidy(kappa * sympy.Abs(c) ** sympy.Rational(-1, t) / t**2)
    sign = exact_sign(c)
    if t % 2:
        return tidy(2 * leading), tidy(2 * leading), (1, 1), True, "the vertex monomial in log coordinates"
    other, exact = sympy.Integer(0), True
    x, y = polyhedron.variables
    for facet in edges:
        weights = tuple(sympy.Rational(k, facet.offset) for k in facet.normal)
        edge = sympy.Add(*(k * x ** e[0] * y ** e[1] for e, k in polyhedron.terms if facet.evaluate(e) == facet.offset))
        value = side_integrals(edge, (x, y), weights, deadline, signs=(-sign,))[-sign]
        if value != 0:
            other, exact = other + sympy.Float(value, DIGITS + 5), False
    other = tidy(other)
    how = "the vertex monomial in log coordinates" + ("" if exact else f"; the edges by quadrature, {DIGITS} digits")
    return (leading * 4, other, (1, 0), exact, how) if sign > 0 else (other, leading * 4, (0, 1), exact, how)


def tidy(value):
    """A prefactor in its final form: simplified when short, Floats rounded to :data:`DIGITS` digits.

    A product r * b_1^e_1 * ... * pi^k (rationals r, e_i, k; pairwise coprime
    integers b_i > 1) is already in the form ``sympy.simplify`` returns, and is
    returned as it is; other short values are simplified once per process.

    Examples
    --------
    >>> from singularities.physics.prefactors import tidy
    >>> tidy(sympy.sqrt(8) / 2), tidy(sympy.Float("0.5", 40) * sympy.sqrt(2))
    (sqrt(2), 0.707106781186547524400844362105)
    """
    if isinstance(value, sympy.Float) or value.has(sympy.Float):
        return sympy.Float(sympy.N(value, DIGITS + 5), DIGITS)
    if _is_radical_monomial(value):
        return value
    return _simplified(value) if value.count_ops() < 60 else value


@functools.lru_cache(maxsize=4096)
def _simplified(value):
    """sympy.simplify(value), once per value in a process (the same prefactors recur across points and lattices)."""
    return sympy.simplify(value)


def _is_radical_monomial(value):
    """Whether value is r * b_1^e_1 * ... * pi^k with rationals r, e_i, k and pairwise coprime integers b_i > 1.

    sympy's automatic evaluation merges equal bases and equal exponents; with
    coprime bases nothing is left for ``simplify`` (bases with a common factor,
    2^(5/6) * 6^(1/3), are rewritten by it and are not taken here).
    """
    bases = []
    for factor in sympy.Mul.make_args(value):
        if factor.is_Rational or factor is sympy.pi:
            continue
        if not (factor.is_Pow and factor.exp.is_Rational):
            return False
        if factor.base is sympy.pi:
            continue
        if not (factor.base.is_Integer and factor.base > 1):
            return False
        bases.append(int(factor.base))
    return all(sympy.igcd(a, b) == 1 for i, a in enumerate(bases) for b in bases[i + 1 :])


def _corner_coefficients(poly, weights):
    return [poly.coeff_monomial(v ** int(1 / w)) for v, w in zip(poly.gens, weights)]


def _quadratic_power(principal, variables, weights):
    """vol{c q^m < 1} = V_n c^(-n/(2m)) / sqrt(det Q) when R_0 = c q^m, q = x^T Q x positive definite; else None."""
    if len(set(weights)) != 1 or (1 / weights[0]) % 2:
        return None
    m = int(1 / weights[0]) // 2
    constant, factors = sympy.factor_list(principal, *variables)
    if len(factors) != 1 or factors[0][1] != m or sympy.Poly(factors[0][0], *variables).total_degree() != 2:
        return None
    quadratic = sympy.hessian(factors[0][0], variables) / 2
    if hessian_inertia(quadratic)[:2] != (len(variables), 0):
        quadratic, constant = -quadratic, constant * (-1) ** m
    if hessian_inertia(quadratic)[:2] != (len(variables), 0) or exact_sign(constant) <= 0:
        return None
    n = len(variables)
    ball = sympy.pi ** sympy.Rational(n, 2) / sympy.gamma(sympy.Rational(n, 2) + 1)
    return tidy(ball * constant ** sympy.Rational(-n, 2 * m) / sympy.sqrt(quadratic.det()))


def _quadrature_volume(principal, variables, weights, deadline):
    """(V, False, how): V = (1/d) integral_0^(2 pi) (w1 cos^2 t + w2 sin^2 t) R_0(cos t, sin t)^(-d) dt,
    to DIGITS digits.

    In x = r^w1 cos t, y = r^w2 sin t, dx dy = r^(d-1) (w1 cos^2 t + w2 sin^2 t) dr dt
    and R_0 = r R_0(cos t, sin t); the integrand is smooth and periodic (R_0 > 0).
    """
    deadline.check("DOS prefactors: quadrature over the unit level set of R_0")
    x, y = variables
    with mpmath.workdps(DIGITS + 15):
        h = sympy.lambdify((x, y), principal, "mpmath")
        w1, w2, d = (mpmath.mpf(sympy.Rational(w)) for w in (*weights, sum(weights)))
        integrand = lambda t: (
            (w1 * mpmath.cos(t) ** 2 + w2 * mpmath.sin(t) ** 2) * h(mpmath.cos(t), mpmath.sin(t)) ** (-d)
        )  # noqa: E731
        value, error = mpmath.quad(integrand, mpmath.linspace(0, 2 * mpmath.pi, 9), error=True)
        if not error < mpmath.mpf(10) ** (-DIGITS - 3) * abs(value):
            return (
                f"the quadrature for vol{{R_0 < 1}} did not reach {DIGITS} digits "
                f"(error estimate {mpmath.nstr(error, 3)})"
            )
        return sympy.Float(value / d, DIGITS), False, f"tanh-sinh quadrature over the level set, {DIGITS} digits"


# ---------------------------------------------------------------------------
# integral of exp(i core) by closed forms


def _core_integral(core, variables, weights, deadline):
    """(phasors, exact, how) of integral exp(i core) over R^k, by the first rule that applies."""
    if not variables:
        return ((sympy.Integer(1), sympy.Integer(0)),), True, "closed form (Gamma functions)"
    terms = sympy.Add.make_args(core)
    if len(variables) == 1:
        return _power_integral(*_coefficient_and_powers(terms[0], variables)), True, "closed form (Gamma functions)"
    rules = (_separable, _chain, _binary_cubic) if len(variables) == 2 else (_separable,)
    for rule in rules:
        found = rule(terms, variables)
        if found is not None:
            return found, True, "closed form (Gamma functions)"
    if len(variables) == 2:
        return _level_set_integral(core, variables, weights, deadline), False, f"level-set quadrature, {DIGITS} digits"
    if len(variables) == 3 and _is_ternary_cubic(core, variables):
        return _ternary_cubic_integral(core, variables, deadline)
    raise NotImplementedError(
        f"no closed form or quadrature for the non-separable core {core} in {len(variables)} variables "
        "(implemented: separable cores, two-variable cores, ternary cubics)"
    )


def _coefficient_and_powers(term, variables):
    ((powers, coefficient),) = sympy.Poly(term, *variables).terms()
    return coefficient, powers


def _power_integral(coefficient, powers):
    """integral of exp(i a u^p) du: 2 Gamma(1 + 1/p) |a|^(-1/p) times e^(i pi sgn(a)/(2p)) (p even)
    or cos(pi/(2p)) (p odd)."""
    p = max(powers)
    modulus = 2 * sympy.gamma(1 + sympy.Rational(1, p)) * sympy.Abs(coefficient) ** sympy.Rational(-1, p)
    if p % 2:
        return ((modulus * sympy.cos(sympy.pi / (2 * p)), sympy.Integer(0)),)
    return ((modulus, sympy.Rational(exact_sign(coefficient), 2 * p)),)


def _separable(terms, variables):
    """sum a_i u_i^(p_i), one pure power of each variable: the product of one-variable integrals.

    The integral of exp(i sum a_i u_i^p_i) over R^k factorises; each factor is
    :func:`_power_integral`.  (For the volume: vol{sum |x_i|^(k_i) < 1} =
    prod 2 Gamma(1 + 1/k_i) / Gamma(1 + sum 1/k_i), Dirichlet.)
    """
    if len(terms) != len(variables):
        return None
    pairs = [_coefficient_and_powers(t, variables) for t in terms]
    owners = [tuple(i for i, e in enumerate(powers) if e) for _, powers in pairs]
    if any(len(o) != 1 for o in owners) or len(set(owners)) != len(variables):
        return None
    phasors = ((sympy.Integer(1), sympy.Integer(0)),)
    for a, powers in pairs:
        phasors = tuple((m1 * m2, p1 + p2) for m1, p1 in phasors for m2, p2 in _power_integral(a, powers))
    return tuple((tidy(m), p) for m, p in phasors)


def _chain(terms, variables):
    """a u^p v^r + b v^q (u only in the first term, 0 < r < p): inner Fresnel-type integral over u, then Mellin in v.

    integral exp(i a v^r u^p) du = 2 Gamma(1+1/p) |a v^r|^(-1/p) phase(sgn(a v^r)), and
    integral_0^oo v^(s-1) exp(i b v^q) dv = Gamma(s/q)/q |b|^(-s/q) e^(i pi s sgn(b)/(2q)), s = 1 - r/p.
    """
    if len(terms) != 2:
        return None
    pair = [_coefficient_and_powers(t, variables) for t in terms]
    for (a, (p, r)), (b, (u_power, q)) in (pair, pair[::-1]):
        if u_power == 0 and p >= 2 and 0 < r < p and q > 0:
            return _chain_phasors(a, p, r, b, q)
    for (a, (r, p)), (b, (q, v_power)) in (pair, pair[::-1]):
        if v_power == 0 and p >= 2 and 0 < r < p and q > 0:
            return _chain_phasors(a, p, r, b, q)
    return None


def _chain_phasors(a, p, r, b, q):
    s = 1 - sympy.Rational(r, p)
    inner = 2 * sympy.gamma(1 + sympy.Rational(1, p)) * sympy.Abs(a) ** sympy.Rational(-1, p)
    mellin = sympy.gamma(s / q) / q * sympy.Abs(b) ** (-s / q)
    phasors = []
    for side in (1, -1):  # v > 0 and v < 0 (v = -w)
        inner_sign, outer_sign = exact_sign(a) * side**r, exact_sign(b) * side**q
        inner_phase = sympy.Integer(0) if p % 2 else sympy.Rational(inner_sign, 2 * p)
        inner_modulus = inner * (sympy.cos(sympy.pi / (2 * p)) if p % 2 else 1)
        phasors.append((tidy(inner_modulus * mellin), inner_phase + s * outer_sign / (2 * q)))
    return tuple(phasors)


def _binary_cubic(terms, variables):
    """A binary cubic with discriminant D != 0 is GL2(R)-equivalent to x^2 y -+ y^3, so I scales as |D/4|^(-1/6)."""
    x, y = variables
    cubic = sympy.Add(*terms)
    if sympy.Poly(cubic, x, y).homogeneous_order() != 3:
        return None
    discriminant = binary_discriminant(cubic, x, y)
    if discriminant == 0:
        return None
    normal = x**2 * y - exact_sign(discriminant) * y**3
    factor = sympy.Abs(discriminant / 4) ** sympy.Rational(-1, 6)
    return tuple((tidy(m * factor), p) for m, p in _chain(sympy.Add.make_args(normal), variables))


# ---------------------------------------------------------------------------
# ternary cubics (P8): a line integral over the real cubic curve


def _is_ternary_cubic(core, variables):
    poly = sympy.Poly(core, *variables)
    return poly.is_homogeneous and poly.total_degree() == 3 and all(c.is_Rational for c in poly.coeffs())


def _ternary_cubic_integral(core, variables, deadline):
    """((I, 0),), False, how: I = (2 pi / 3) * integral over R^2 of delta(h(u, v, 1)) du dv for a cubic cone h.

    For h homogeneous of degree k in three variables with d = 3/k, polar
    coordinates give I = (Gamma(d)/k) e^(i pi d/2) integral over S^2 of
    (h + i0)^(-d).  For k = 3 (d = 1), (h + i0)^(-1) = PV 1/h - i pi delta(h);
    the principal value vanishes (h is odd: h(-x) = -h(x)), so I is real:
    I = (pi/3) integral over S^2 of delta(h) = (2 pi/3) integral over R^2 of
    delta(h(u, v, 1)) du dv (the chart z = 1 covers each antipodal pair once,
    and delta(h) dS is homogeneous of degree -3, so the chart carries no
    weight).  The inner integral is sum over the real roots v_j of
    h(u, ., 1) of 1/|dh/dv|; the outer one runs over the intervals between
    the real roots of the discriminant in u (tanh-sinh handles the
    |u - u_0|^(-1/2) ends), at two working precisions that must agree to
    :data:`DIGITS` digits.  Checked against x^3 + y^3 + z^3, where I is the
    cube of the one-variable integral (tests/test_dos.py).
    """
    cubic, u, discriminant = _cubic_chart(core, variables)
    breaks = sorted(discriminant.real_roots()) if discriminant.degree() > 0 else []
    # complex roots of the discriminant near the axis make sharp peaks: split the intervals at their real parts
    near = [sympy.re(r) for r in discriminant.nroots(n=30) if not r.is_real] if discriminant.degree() > 0 else []
    values = []
    for precision in (2 * DIGITS + 15, 2 * DIGITS + 35):
        deadline.check("DOS prefactors: line integral over the real cubic curve")
        values.append(_curve_integral(cubic, u, breaks, near, precision, deadline))
    with mpmath.workdps(2 * DIGITS):
        if not abs(values[0] - values[1]) < mpmath.mpf(10) ** (-DIGITS - 2) * abs(values[1]):
            raise NotImplementedError(
                f"the line integral over the cubic curve did not reach {DIGITS} digits at two precisions "
                f"({mpmath.nstr(values[0], 12)} vs {mpmath.nstr(values[1], 12)})"
            )
        value = 2 * mpmath.pi / 3 * values[1]
        how = f"line integral over the real cubic curve (tanh-sinh, two precisions agree to {DIGITS} digits)"
        return ((sympy.Float(value, DIGITS), sympy.Integer(0)),), False, how


def _cubic_chart(core, variables):
    """(p(v) in Q[u][v], u, disc_v p) with p = h(u + a v, v, 1 + c v): a unimodular change with p of degree 3 in v
    and a square-free discriminant (the vertical lines touch the curve simply: no flex tangents among them)."""
    x, y, z = variables
    u, v = sympy.symbols("u v")
    shears = [(a, c) for a in range(-3, 4) for c in range(-3, 4)] + [
        (sympy.Rational(p, q), sympy.Rational(r, t)) for p, q, r, t in ((3, 7, 2, 5), (5, 11, -4, 9), (-7, 13, 3, 17))
    ]
    for a, c in shears:
        if core.xreplace({x: a, y: 1, z: c}) == 0:  # the coefficient of v^3
            continue
        cubic = sympy.Poly(sympy.expand(core.xreplace({x: u + a * v, y: v, z: 1 + c * v})), v)
        discriminant = sympy.Poly(sympy.discriminant(cubic.as_expr(), v), u)
        if discriminant.is_zero:
            raise NotImplementedError(f"the cubic curve {core} = 0 is singular (the core is not isolated)")
        if sympy.degree(sympy.gcd(discriminant, discriminant.diff(u)), u) <= 0:
            return cubic, u, discriminant
    raise NotImplementedError(f"no chart with simple vertical tangents found for {core}")


def _curve_integral(cubic, u, breaks, near, precision, deadline):
    """integral over u in R of sum_j 1/|p_u'(v_j)| over the real roots v_j of p_u, at ``precision`` digits.

    ``breaks`` are the real roots of the discriminant (ends of the intervals
    with a fixed number of real roots), ``near`` the real parts of its other
    roots (extra subdivision points).  Raises NotImplementedError when
    tanh-sinh's own error estimate on a piece is above 10^-(DIGITS + 2).
    """
    coefficients = [sympy.Poly(c, u) for c in cubic.all_coeffs()]
    derivative = [sympy.Poly(c, u) for c in cubic.diff().all_coeffs()]
    edges = [None] + list(breaks) + [None]
    total = 0
    with mpmath.workdps(precision):
        for left, right in zip(edges, edges[1:]):
            deadline.check("DOS prefactors: line integral over the real cubic curve")
            inside = _rational_between(left, right)
            count = len(set(sympy.Poly(cubic.as_expr().xreplace({u: inside}), cubic.gen).real_roots()))
            integrand = _root_sum(coefficients, derivative, count)
            low = -mpmath.inf if left is None else mpmath.mpf(sympy.N(left, precision + 10))
            high = mpmath.inf if right is None else mpmath.mpf(sympy.N(right, precision + 10))
            inner = sorted(mpmath.mpf(sympy.N(c, precision)) for c in near)
            points = [low] + [c for c in inner if low < c < high] + [high]
            value, error = mpmath.quad(integrand, points, error=True, maxdegree=10)
            if not error < mpmath.mpf(10) ** (-DIGITS - 2) * max(1, abs(value)):
                estimate = mpmath.nstr(error, 3)
                raise NotImplementedError(f"tanh-sinh on the cubic curve did not reach {DIGITS} digits ({estimate})")
            total += value
        return +total


def _rational_between(left, right):
    """A rational number strictly between two real algebraic numbers (None: -oo or +oo)."""
    if left is None and right is None:
        return sympy.Integer(0)
    if left is None or right is None:
        known = right if left is None else left
        return sympy.floor(known) - 1 if left is None else sympy.ceiling(known) + 1
    digits = 20
    while True:
        guess = sympy.nsimplify(sympy.N((left + right) / 2, digits), rational=True)
        if left < guess < right:
            return guess
        digits *= 2


def _root_sum(coefficients, derivative, count):
    """u -> sum of 1/|p_u'(v)| over the ``count`` (1 or 3) real roots v of the cubic p_u."""
    exact = [[mpmath.mpf(sympy.Rational(c)) for c in p.all_coeffs()] for p in coefficients]
    slope = [[mpmath.mpf(sympy.Rational(c)) for c in p.all_coeffs()] for p in derivative]

    def integrand(t):
        cubic = [mpmath.polyval(c, t) for c in exact]
        d = [mpmath.polyval(c, t) for c in slope]
        slopes = [abs(mpmath.polyval(d, r)) for r in _cubic_real_roots(cubic, d, count)]
        # a zero slope: t is within the working precision of a breakpoint (a double root), where the
        # node's weight times |t - t_0|^(-1/2) is below 10^(-precision/2), far under the target
        return sum(1 / m for m in slopes) if all(slopes) else mpmath.mpf(0)

    return integrand


def _cubic_real_roots(cubic, derivative, count):
    """The real roots of a v^3 + b v^2 + c v + e (a != 0): trigonometric or Cardano's formula, then Newton steps."""
    a, b, c, e = cubic
    b, c, e = b / a, c / a, e / a
    p, q = c - b**2 / 3, 2 * b**3 / 27 - b * c / 3 + e
    if count == 3 and p < 0:
        m = 2 * mpmath.sqrt(-p / 3)
        argument = max(-1, min(1, 3 * q / (p * m)))
        theta = mpmath.acos(argument) / 3
        roots = [m * mpmath.cos(theta - 2 * mpmath.pi * k / 3) - b / 3 for k in range(3)]
    else:
        # the one real root of t^3 + p t + q, in Cardano's cancellation-free form t = A - p / (3 A)
        root = mpmath.sqrt(max(0, q**2 / 4 + p**3 / 27))
        big = -mpmath.sign(q) * mpmath.cbrt(abs(q) / 2 + root) if q != 0 else mpmath.mpf(0)
        roots = [(big - p / (3 * big) if big != 0 else big) - b / 3]
    polished = []
    for r in roots:
        for _ in range(3):
            slope = mpmath.polyval(derivative, r)
            if slope == 0:
                break
            r -= mpmath.polyval(cubic, r) / slope
        polished.append(r)
    return polished


# ---------------------------------------------------------------------------
# quadrature over the level set


def _level_set_integral(core, variables, weights, deadline):
    """C_+- of a two-variable quasi-homogeneous core with d < 1 by quadrature over the circle, as phasors."""
    d = sum(weights)
    sides = side_integrals(core, variables, weights, deadline)
    with mpmath.workdps(DIGITS + 10):
        gamma = mpmath.gamma(mpmath.mpf(sympy.Rational(d)))
        return tuple((sympy.Float(gamma * sides[s], DIGITS), s * d / 2) for s in (1, -1))


def side_integrals(core, variables, weights, deadline=None, signs=(1, -1)):
    """{s: C_s} with C_s = integral over {s core(cos t, sin t) > 0} of (w1 cos^2 t + w2 sin^2 t) |core|^(-d) dt.

    For a quasi-homogeneous core of degree 1 (weights w, d = w1 + w2 < 1),
    C_s = d vol{0 < s core < 1}: the coefficient of |E|^(d - 1) in its DOS on
    the side s (docs/dos.md, step 3).  Only the arcs of the requested signs
    are integrated, so a side whose integral diverges (a zero of order >= 1/d
    on the circle, e.g. the x^2 y^2 of a T-series edge) can be left out.
    mpmath values with :data:`DIGITS` + 5 correct digits; a side without an
    arc is exactly 0.

    Examples
    --------
    >>> from singularities.physics.prefactors import side_integrals
    >>> x, y = sympy.symbols("x y")
    >>> sides = side_integrals(x**4 + y**4, (x, y), (sympy.Rational(1, 4),) * 2)
    >>> dirichlet = 4 * sympy.gamma(sympy.Rational(5, 4)) ** 2 / sympy.gamma(sympy.Rational(3, 2))  # vol{x^4 + y^4 < 1}
    >>> abs(sides[1] - sympy.N(dirichlet / 2, 40)) < 1e-30, sides[-1]         # C_+ = d vol, nothing below
    (True, 0)
    """
    deadline = Deadline.coerce(deadline)
    d = sum(weights)
    if d >= 1:
        raise ValueError(f"level-set quadrature needs weight sum d < 1, got {d}")
    x, y = variables
    # near a zero t0 of order j the integrand is ~ |t - t0|^(-j d); evaluating it with absolute error 10^-p
    # spoils the region |t - t0| < 10^-p, which carries 10^(-p (1 - j d)) of the integral
    try:
        order = max((j for f, j in sympy.sqf_list(core, x, y)[1] if j * d < 1), default=1)
    except (sympy.polys.polyerrors.PolynomialError, NotImplementedError):
        order = 1
    precision = int(sympy.ceiling((DIGITS + 5) / (1 - order * d))) + 10
    with mpmath.workdps(precision):
        h = sympy.lambdify((x, y), core, "mpmath")
        w1, w2 = (mpmath.mpf(sympy.Rational(w)) for w in weights)
        cuts = _circle_zeros(core, x, y, precision)
        sides = {s: mpmath.mpf(0) for s in signs}
        for start, end in zip(cuts, cuts[1:] + [cuts[0] + 2 * mpmath.pi]):
            deadline.check("DOS prefactors: quadrature over the level set")
            sign = 1 if h(mpmath.cos((start + end) / 2), mpmath.sin((start + end) / 2)) > 0 else -1
            if sign not in sides:
                continue
            integrand = lambda t: (
                (w1 * mpmath.cos(t) ** 2 + w2 * mpmath.sin(t) ** 2)
                * abs(h(mpmath.cos(t), mpmath.sin(t))) ** (-mpmath.mpf(sympy.Rational(d)))
            )  # noqa: E731
            sides[sign] += mpmath.quad(integrand, [start, end])
        return {s: (+v if v else sympy.Integer(0)) for s, v in sides.items()}


def _circle_zeros(core, x, y, precision):
    """The zeros of core(cos t, sin t) in [0, 2 pi), sorted (via t -> tan(theta/2), real roots isolated exactly)."""
    t = sympy.Symbol("t")
    numerator = sympy.together(core.subs({x: (1 - t**2) / (1 + t**2), y: 2 * t / (1 + t**2)})).as_numer_denom()[0]
    zeros = [
        2 * mpmath.atan(mpmath.mpf(sympy.N(r, precision + 10)))
        for r in _real_roots(sympy.Poly(numerator, t), precision)
    ]
    if core.subs({x: -1, y: 0}) == 0:
        zeros.append(mpmath.pi)
    zeros = sorted(z % (2 * mpmath.pi) for z in zeros)
    return zeros or [mpmath.mpf(0)]


def _real_roots(poly, precision):
    """Distinct real roots: exact isolation over Q, else numeric roots of the square-free part."""
    squarefree = sympy.Poly(sympy.quo(poly, sympy.gcd(poly, poly.diff())), poly.gen)
    if squarefree.domain.is_QQ or squarefree.domain.is_ZZ:
        return squarefree.real_roots()
    roots = squarefree.nroots(n=precision + 10, maxsteps=500)
    return [sympy.re(r) for r in roots if abs(sympy.im(r)) < sympy.Float(10) ** (-precision)]
