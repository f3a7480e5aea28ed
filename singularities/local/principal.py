"""The quasi-homogeneous principal part of a residual h, whatever its name: core h_0, weights and exact sign.

h (after the splitting lemma) is semi-quasi-homogeneous when a compact facet
of its Newton polyhedron, ``<w, alpha> = 1``, gives weights w such that every
term of h has w-degree >= 1 and the facet polynomial h_0 (the terms of degree
exactly 1) has an isolated critical point at 0.  Then h is right-equivalent to
h_0 plus terms of w-degree > 1 and mu(h) = mu(h_0) = prod(1/w_i - 1)
(Arnold, Gusein-Zade, Varchenko, vol. 1, sections 12.1-12.3, Milnor-Orlik);
both equalities are checked exactly here.  The DOS exponent, prefactors and
the RLCT by theorem Q then follow from h_0 (docs/dos.md#unnamed-cores).
"""

import itertools

import sympy

from .._limits import Deadline
from ..algebra.polys import groebner_basis, standard_monomials
from ..algebra.realroots import exact_sign
from ..algebra.realzeros import Answer, real_point
from ..errors import UndecidedSign
from ..polyhedra.newton import polyhedron_from_terms

__all__ = ["adapted_principal_part", "adapted_residual", "core_sign", "core_opens", "quasi_homogeneous_part"]
MAX_CHANGES = 6  # coordinate changes tried by adapted_principal_part before it gives up


def quasi_homogeneous_part(h, variables, deadline=None, *, order=None, milnor=None):
    """(core h_0, weights, reason) when h is semi-quasi-homogeneous, else (None, None, reason).

    Parameters
    ----------
    h : sympy.Expr
        A polynomial with zero 2-jet (the residual of the splitting lemma).
    variables : tuple of sympy.Symbol
        Its variables.
    deadline : Deadline or float, optional
        Time limit.
    order : int, optional
        The jet order of h when h is a truncation (terms above ``order`` are
        unknown); a facet is used only if every unknown term has w-degree > 1,
        i.e. ``order * min(w) >= 1``.
    milnor : int, optional
        mu(h) when known: h_0 is accepted only if mu(h_0) equals it.

    Examples
    --------
    >>> from singularities.local.principal import quasi_homogeneous_part
    >>> x, y = sympy.symbols("x y")
    >>> quasi_homogeneous_part(x**4 - y**6 + x**3*y**2, (x, y))[:2]     # x^3 y^2 has degree 3/4 + 1/3 > 1
    (x**4 - y**6, (1/4, 1/6))
    >>> quasi_homogeneous_part(x**2*y**2 + x**6 + y**6, (x, y))[0] is None  # x^2 y^2: not isolated
    True
    """
    deadline = Deadline.coerce(deadline)
    poly = sympy.Poly(sympy.expand(h), *variables)
    terms = {tuple(map(int, m)): c for m, c in poly.terms() if c != 0}
    if not terms or min(map(sum, terms)) < 3:
        return None, None, "h has a nonzero 2-jet or is zero"
    polyhedron = polyhedron_from_terms(variables, terms, timeout=deadline)
    failures = []
    for weights in _candidate_weights(polyhedron):
        deadline.check("quasi-homogeneous principal part")
        try:
            found = _facet_core(terms, variables, weights, order, milnor, deadline)
        except (NotImplementedError, sympy.polys.polyerrors.BasePolynomialError) as exc:
            found = f"weights {_text(weights)}: the Groebner basis of grad h_0 failed ({type(exc).__name__})"
        if isinstance(found, str):
            failures.append(found)
            continue
        return found, weights, f"semi-quasi-homogeneous: core {found} with weights {_text(weights)}"
    return (
        None,
        None,
        "no compact Newton facet gives a core with an isolated critical point"
        + (f" ({'; '.join(failures[:2])})" if failures else ""),
    )


def adapted_principal_part(h, variables, deadline=None, *, order=None, milnor=None):
    """(core h_0, weights, jacobian, reason): :func:`quasi_homogeneous_part` after Arnold's determinator changes.

    When no compact facet of h in the given coordinates has an isolated
    facet polynomial, the facet polynomial of the first compact facet that
    has a repeated non-monomial factor l^j (j >= 2) is made a coordinate
    line: for weights with w_x = m w_y (m a positive integer) and
    l = x - c y^m, the change x -> x + c y^m (x - c y and y -> y - c x when the
    weights are equal, a shear of determinant 1; y -> y + c x^m symmetrically),
    then the search is repeated (at most :data:`MAX_CHANGES` changes).  Each
    change is a polynomial map of determinant 1 at 0, so mu, the DOS exponent
    and the prefactors are those of the new h; ``jacobian`` is the product of
    the determinants (1 for these shears).  A change never lowers the degree
    of a monomial, so a jet of order N stays correct to order N.  A repeated
    factor with an irrational or complex root is reported as what is missing.
    Two variables only (corank 2); otherwise the same as quasi_homogeneous_part.

    Examples
    --------
    >>> from singularities.local.principal import adapted_principal_part
    >>> x, y = sympy.symbols("x y")
    >>> adapted_principal_part(sympy.expand((x + y)**4 - y**6), (x, y), milnor=15)[:3]   # x -> x - y
    (x**4 - y**6, (1/4, 1/6), 1)
    """
    deadline = Deadline.coerce(deadline)
    h, changes = sympy.expand(h), []
    for _ in range(MAX_CHANGES + 1):
        core, weights, reason = quasi_homogeneous_part(h, variables, deadline, order=order, milnor=milnor)
        if core is not None or len(variables) != 2:
            done = f" after {', '.join(changes)}" if changes and core is not None else ""
            return core, weights, (None if core is None else sympy.Integer(1)), reason + done
        change = _determinator_change(h, variables, deadline)
        if isinstance(change, str):
            return None, None, None, f"{reason}; no coordinate change found: {change}"
        h, text = change
        h = _truncated(h, variables, order)
        changes.append(text)
    return None, None, None, f"{reason}; no core after {MAX_CHANGES} coordinate changes ({', '.join(changes)})"


def adapted_residual(h, variables, deadline=None, *, order=None):
    """(h in new coordinates, the changes made): the shears of :func:`adapted_principal_part` until no compact facet
    polynomial has a repeated non-monomial factor with a rational line (two variables; otherwise h unchanged).

    The Newton rules of the DOS (docs/dos.md#newton-non-degenerate-germs) need
    every compact face polynomial without a singular zero in the real torus;
    in two variables a singular zero is a repeated factor, and the shears move
    the rational ones onto the coordinate lines (determinant 1 at 0).

    Examples
    --------
    >>> from singularities.local.principal import adapted_residual
    >>> x, y = sympy.symbols("x y")
    >>> h, changes = adapted_residual(sympy.expand(x**2*(x + y)**2 + y**5), (x, y))   # y -> y - x keeps x^2
    >>> changes, sympy.Poly(h, x, y).coeff_monomial(x**2*y**2), sympy.Poly(h, x, y).coeff_monomial(x**4)
    (('y -> -x + y',), 1, 0)
    """
    deadline = Deadline.coerce(deadline)
    h, changes = sympy.expand(h), []
    if len(variables) != 2:
        return h, ()
    for _ in range(MAX_CHANGES):
        change = _determinator_change(h, variables, deadline)
        if isinstance(change, str):
            break
        h, text = change
        h = _truncated(h, variables, order)
        changes.append(text)
    return h, tuple(changes)


def core_sign(core, variables, deadline=None):
    """+1 / -1 if the quasi-homogeneous core is positive / negative away from 0, 0 if it changes sign, None: undecided.

    A quasi-homogeneous h_0 with an isolated critical point is definite iff
    it has no real zero on the unit sphere: a zero x != 0 lies on the orbit
    s -> s^w x of zeros, and if h_0 kept one sign near it, it would be a
    critical point (a non-isolated one, the whole orbit).

    Examples
    --------
    >>> from singularities.local.principal import core_sign
    >>> x, y, z = sympy.symbols("x y z")
    >>> core_sign(x**4 + y**4 + z**4, (x, y, z)), core_sign(x**4 - y**6, (x, y)), core_sign(-x**2*y - y**3, (x, y))
    (1, 0, 0)
    """
    key = (sympy.expand(core), tuple(variables))
    if key not in _SIGNS:
        sign = _core_sign(*key, Deadline.coerce(deadline))
        if sign is None:
            return None
        if len(_SIGNS) > 1024:
            _SIGNS.clear()
        _SIGNS[key] = sign
    return _SIGNS[key]


def core_opens(core, variables, inertia, deadline=None):
    """ "above", "below" or "both" for g = Q(y) + core(z) with Q of inertia (n_+, n_-); None if the sign is undecided.

    Examples
    --------
    >>> from singularities.local.principal import core_opens
    >>> x, y = sympy.symbols("x y")
    >>> core_opens(x**4 + y**6, (x, y), (1, 0)), core_opens(x**4 + y**6, (x, y), (0, 1))
    ('above', 'both')
    """
    sign = core_sign(core, variables, deadline)
    if sign is None:
        return None
    n_plus, n_minus = inertia
    if sign > 0 and n_minus == 0:
        return "above"
    if sign < 0 and n_plus == 0:
        return "below"
    return "both"


def _candidate_weights(polyhedron):
    """Weights normal/offset of the compact facets, the facets meeting the diagonal first."""
    t = polyhedron.newton_distance
    compact = [f for f in polyhedron.facets if all(a > 0 for a in f.normal)]
    compact.sort(key=lambda f: t * sum(f.normal) != f.offset)
    return [tuple(sympy.Rational(a, f.offset) for a in f.normal) for f in compact]


def _facet_core(terms, variables, weights, order, milnor, deadline):
    """h_0 for these weights, or why it does not qualify (a str)."""
    if order is not None and order * min(weights) < 1:
        return f"weights {_text(weights)}: terms above the jet order {order} could reach degree 1"
    expected = sympy.Mul(*(1 / w - 1 for w in weights))
    if not expected.is_integer:
        return f"weights {_text(weights)}: prod(1/w_i - 1) = {expected} is not an integer, so h_0 is not isolated"
    if milnor is not None and expected != milnor:
        return f"weights {_text(weights)}: mu(h_0) would be {expected}, but mu(h) = {milnor}"
    degree = {m: sum(w * e for w, e in zip(weights, m)) for m in terms}
    if any(value < 1 for value in degree.values()):
        return f"weights {_text(weights)}: a term of degree below 1"
    core = sympy.Add(
        *(c * sympy.Mul(*(v**e for v, e in zip(variables, m))) for m, c in terms.items() if degree[m] == 1)
    )
    if _global_milnor_number(core, variables, deadline) != expected:
        return f"the facet polynomial {core} has no isolated critical point of Milnor number {expected}"
    return core


def _global_milnor_number(core, variables, deadline):
    """dim Q[z]/(grad h_0), or None if infinite.  For a quasi-homogeneous h_0 the critical set is invariant under
    z -> s^w z, so a finite one is {0} and this is the local mu(h_0) at 0 (no truncation by m^s needed)."""
    gradient = [sympy.expand(core.diff(v)) for v in variables]
    basis = groebner_basis(gradient, variables, deadline, stage="the Milnor number of the core", domain=None)
    standard = standard_monomials(basis, variables)
    return None if standard is None else len(standard)


_SIGNS = {}  # (core, variables) -> decided sign: the classification and the DOS ask about one core twice


def _core_sign(core, variables, deadline):
    signs = _sample_signs(core, variables)
    if {1, -1} <= signs:
        return 0
    sign = 1 if 1 in signs else -1
    try:
        if _sum_of_even_powers(core, variables, sign):
            return sign
        if len(variables) <= 2:
            return sign if _no_zero_in_charts(core, variables) else 0
    except (UndecidedSign, NotImplementedError, sympy.polys.polyerrors.BasePolynomialError):
        return None
    if not all(c.is_Rational for c in sympy.Poly(core, *variables).coeffs()):
        return None
    if len(variables) == 3:
        return sign if _no_zero_in_three_charts(core, variables) else 0
    try:
        answer, _ = real_point([core, sum(v**2 for v in variables) - 1], variables, deadline=deadline)
    except (NotImplementedError, sympy.polys.polyerrors.BasePolynomialError):
        return None
    return {Answer.NO: sign, Answer.YES: 0}.get(answer)


def _sample_signs(core, variables):
    """Signs of the core at the points of {-2, ..., 2}^n (at most 3125), exactly."""
    signs = set()
    for point in itertools.islice(itertools.product((1, -1, 2, -2, 0), repeat=len(variables)), 3125):
        value = core.xreplace(dict(zip(variables, point)))
        if value != 0:
            signs.add(exact_sign(value))
        if {1, -1} <= signs:
            break
    return signs


def _sum_of_even_powers(core, variables, sign):
    """Whether sign * core is a sum of positive multiples of even monomials with every variable's pure power present."""
    poly = sympy.Poly(core, *variables)
    if any(any(e % 2 for e in m) or exact_sign(sign * c) <= 0 for m, c in poly.terms()):
        return False
    return all(any(m[i] and sum(m) == m[i] for m in poly.monoms()) for i in range(len(variables)))


def _no_zero_in_charts(core, variables):
    """Whether a core in one or two variables has no real zero away from 0 (exact: univariate root counts).

    By quasi-homogeneity every point with x != 0 scales to x = +-1; the points
    with x = 0 are (0, y), where the core is c y^b.
    """
    if len(variables) == 1:
        return True  # c x^a with a critical point at 0 only: nonzero away from 0
    x, y = variables
    on_axis = sympy.Poly(core.xreplace({x: 0}), y)
    if on_axis.is_zero:
        return False
    return all(sympy.Poly(core.xreplace({x: s}), y).count_roots() == 0 for s in (1, -1))


def _determinator_change(h, variables, deadline):
    """(h after one shear, its description) that makes a repeated factor of a facet polynomial a coordinate line;
    else why none applies (a str)."""
    terms = {tuple(map(int, m)): c for m, c in sympy.Poly(h, *variables).terms() if c != 0}
    polyhedron = polyhedron_from_terms(variables, terms, timeout=deadline)
    x, y = variables
    why = "no compact facet polynomial has a repeated non-monomial factor"
    for weights in _candidate_weights(polyhedron):
        deadline.check("quasi-homogeneous principal part: a coordinate change")
        facet = sympy.Add(
            *(c * x ** m[0] * y ** m[1] for m, c in terms.items() if weights[0] * m[0] + weights[1] * m[1] == 1)
        )
        try:
            _, factors = sympy.factor_list(facet, x, y)
        except (sympy.polys.polyerrors.PolynomialError, NotImplementedError):
            why = f"the facet polynomial {facet} could not be factored"
            continue
        repeated = [f for f, j in factors if j >= 2 and len(sympy.Poly(f, x, y).terms()) > 1]
        if not repeated:
            continue
        shear = _shear(repeated[0], x, y, weights, facet)
        if isinstance(shear, str):
            why = shear
            continue
        old, new = shear
        return sympy.expand(h.xreplace({old: new})), f"{old} -> {new}"
    return why


def _shear(factor, x, y, weights, facet=None):
    """(variable, its image) with factor(image) a multiple of the variable: factor = a x + b y^m or a y + b x^m."""
    poly = sympy.Poly(factor, x, y)
    pairs = [(x, y, weights[0], weights[1]), (y, x, weights[1], weights[0])]
    if facet is not None and sympy.Poly(facet, x, y).terms_gcd()[0][0] > 0:
        pairs.reverse()  # x divides the facet polynomial: shear y, which keeps that factor
    for u, v, wu, wv in pairs:
        m = wu / wv
        if not m.is_integer:
            continue
        a, b = poly.coeff_monomial(u), poly.coeff_monomial(v ** int(m))
        if a != 0 and b != 0 and len(poly.terms()) == 2:
            return u, u - b / a * v ** int(m)
    return (
        f"the repeated factor {factor} of a facet polynomial is not a line u - c v^m over Q "
        "(its roots are irrational or complex: the change needs a number field, not implemented)"
    )


def _truncated(h, variables, order):
    if order is None:
        return h
    poly = sympy.Poly(h, *variables)
    return sympy.Add(
        *(c * sympy.Mul(*(v**e for v, e in zip(variables, m))) for m, c in poly.terms() if sum(m) <= order)
    )


def _no_zero_in_three_charts(core, variables):
    """Whether a rational quasi-homogeneous core in three variables with an isolated critical point has no real zero
    away from 0 (exact).

    Every point with z != 0 scales to z = +-1, the others lie in the plane
    z = 0 (two variables, :func:`_no_zero_in_charts`).  A real zero with
    z = +-1 is a smooth point of the curve p(x, y) = core(x, y, +-1) = 0
    (a singular one would be a critical point of the core, by Euler's
    relation), so the curve projects onto an interval of x or of y with
    interior, and a rational sample between the real roots of the leading
    coefficient times the discriminant finds it.
    """
    x, y, z = variables
    if not _no_zero_in_charts(sympy.expand(core.xreplace({z: 0})), (x, y)):
        return False
    for s in (1, -1):
        curve = sympy.expand(core.xreplace({z: s}))
        if _curve_has_real_point(curve, x, y) or _curve_has_real_point(curve, y, x):
            return False
    return True


def _curve_has_real_point(curve, x, y):
    """Whether p(x, y) = 0 has a real point with x in an open cell of the projection to x (exact root counts)."""
    poly = sympy.Poly(curve, y)
    if poly.degree() <= 0:
        return sympy.Poly(curve, x).count_roots() > 0 if curve.has(x) else curve == 0
    critical = sympy.Poly(sympy.expand(poly.LC() * sympy.discriminant(curve, y)), x)
    roots = sorted(set(critical.real_roots())) if critical.degree() > 0 else []
    samples = [sympy.floor(roots[0]) - 1, sympy.ceiling(roots[-1]) + 1] if roots else [sympy.Integer(0)]
    samples += [_rational_between(a, b) for a, b in zip(roots, roots[1:])]
    return any(sympy.Poly(curve.xreplace({x: r}), y).count_roots() > 0 for r in samples)


def _rational_between(left, right):
    digits = 20
    while True:
        guess = sympy.nsimplify(sympy.N((left + right) / 2, digits), rational=True)
        if left < guess < right:
            return guess
        digits *= 2


def _text(weights):
    return "(" + ", ".join(map(sympy.sstr, weights)) + ")"
