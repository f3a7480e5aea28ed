"""Local expansions: translate an energy to its point and read off its terms.

For a polynomial the terms are exact and complete.  For an analytic function
the Taylor jet is raised until the Newton polyhedron closes: once the jet of
order N holds a pure power x_i^(a_i) with a_i <= N in every variable, every
monomial of degree > N lies strictly inside Gamma_+ of those powers (its
exponent e has sum(e_i/a_i) >= |e|/max(a_i) > 1), so no higher term can touch
a compact face (docs/conventions.md#newton-polyhedra).
"""

from dataclasses import dataclass, field
from math import comb

import sympy
from sympy.polys.constructor import construct_domain
from sympy.polys.orderings import grlex

from ._limits import Deadline, call_with_limit, guard
from ._result import parse_field, register
from .algebra.backend import NotRationalError, flint_rational, sympy_rational, to_flint, use_flint
from .energy import Energy
from .errors import InputError, MethodNotApplicableError, NotZeroError

__all__ = [
    "Truncation",
    "local_expression",
    "local_terms",
    "taylor_terms",
    "taylor_jet",
    "monomial_ideal",
    "minimal_generators",
    "require_analytic_at_point",
    "MAX_JET_ORDER",
]

MAX_JET_ORDER = 24
#: The most terms a translated polynomial may have for the one-call FLINT expansion (beyond it: sympy, interruptible).
MAX_FLINT_TERMS = 200_000


@register("truncation")
@dataclass(frozen=True)
class Truncation:
    """What a Taylor jet omits: K = K_N + R near ``centre``, R a series in the monomial ideal J of degree >= N + 1.

    Attributes
    ----------
    order : int
        N: the jet K_N holds every Taylor term of K of total degree <= N
        in w - centre, exactly; the remainder R is O(|w - centre|^(N + 1)).
    centre : tuple
        The point w0 of the expansion.
    ideal : tuple of exponent tuples
        Generators of a monomial ideal J in w - centre that contains K (so
        every monomial of R lies in J); ``((0, ..., 0),)`` (J = (1)) when
        nothing beyond the order is known.
    recompute : callable or None
        ``recompute(M)`` returns the jet of order M as an Energy (with its own
        Truncation); None when the analytic K is not known.

    Examples
    --------
    >>> from singularities.jets import Truncation
    >>> t = Truncation(2, (0, 0), ((2, 0), (0, 6)))
    >>> t.remainder_order, t.remainder_points()
    (3, ((3, 0), (2, 1), (0, 6)))
    """

    order: int
    centre: tuple
    ideal: tuple = None
    recompute: object = field(default=None, compare=False, repr=False)

    def __post_init__(self):
        if self.ideal is None:
            object.__setattr__(self, "ideal", ((0,) * len(self.centre),))

    def __repr__(self):
        return f"Truncation(order={self.order}, remainder O(|w - w0|^{self.remainder_order}))"

    @property
    def remainder_order(self):
        """N + 1: the remainder K - K_N is O(|w - w0|^(N + 1))."""
        return self.order + 1

    def remainder_points(self):
        """Exponents whose Newton polyhedron is Gamma_+ of J ∩ m^(N + 1), the monomials K - K_N can have.

        For a generator g of J with |g| <= N + 1, the monomials of J ∩ m^(N + 1)
        above g are g + mu with |mu| >= N + 1 - |g| = d; their Newton
        polyhedron is that of the simplex conv{g + d e_i}, so the n points
        g + d e_i stand for all of them (and a generator of degree > N + 1
        stands for itself).  A convex set contains every monomial of
        J ∩ m^(N + 1) exactly when it contains these points and is closed upwards.
        """
        degree, points = self.remainder_order, set()
        for g in self.ideal:
            missing = degree - sum(g)
            if missing <= 0:
                points.add(tuple(g))
                continue
            for i in range(len(g)):
                points.add(tuple(e + missing * (j == i) for j, e in enumerate(g)))
        return tuple(sorted(points, key=lambda e: (sum(e), tuple(-x for x in e))))

    def to_dict(self):
        """JSON-safe form (without ``recompute``)."""
        return {
            "kind": "truncation",
            "order": self.order,
            "remainder_order": self.remainder_order,
            "centre": [sympy.sstr(c) for c in self.centre],
            "ideal": [list(g) for g in self.ideal],
        }

    @classmethod
    def from_dict(cls, data):
        """Rebuild from :meth:`to_dict` output (without ``recompute``)."""
        return cls(data["order"], tuple(parse_field(c) for c in data["centre"]), tuple(tuple(g) for g in data["ideal"]))


def local_expression(energy, *, subtract_value=False, expand=False):
    """g(x) = f(p + x), minus f(p) when ``subtract_value`` (docs/conventions.md#functions-points-and-variables).

    With ``expand``, a polynomial g shifted to p != 0 is expanded, so that the
    constant f(p) cancels exactly (what a compiled kernel evaluating g near 0 needs).

    Examples
    --------
    >>> from singularities.jets import local_expression
    >>> local_expression(sg.Energy("x**2 + y", point="1,0"), subtract_value=True)
    y + (x + 1)**2 - 1
    >>> local_expression(sg.Energy("(x - 1)**2 + y**3 + 2", point="1,0"), subtract_value=True, expand=True)
    x**2 + y**3
    """
    shift = {v: v + p for v, p in zip(energy.variables, energy.point) if p != 0}
    g = energy.expr.xreplace(shift) if shift else energy.expr
    g = g - energy.value() if subtract_value else g
    return sympy.expand(g) if expand and shift and g.is_polynomial(*energy.variables) else g


def local_terms(energy, *, require_zero=True, timeout=None):
    """The terms of g at the point as a dict ``{exponent tuple: exact coefficient}``.

    Parameters
    ----------
    energy : Energy
        The function and point.
    require_zero : bool
        Raise :class:`NotZeroError` unless f(point) = 0.
    timeout : float or Deadline, optional
        Time limit for the expansion.

    Examples
    --------
    >>> from singularities.jets import local_terms
    >>> local_terms(sg.Energy("x**2 - y**2 + x*y**3"))
    {(2, 0): 1, (0, 2): -1, (1, 3): 1}
    >>> local_terms(sg.Energy("1 - cos(x) + y**2"))
    {(2, 0): 1/2, (0, 2): 1, (4, 0): -1/24}
    """
    deadline = Deadline.coerce(timeout)
    _require_numeric_parameters(energy)
    if not energy.variables:
        raise InputError("the function has no variables; give a function of at least one variable")
    if not energy.is_polynomial():
        with guard(deadline, "checking analyticity at the point"):  # exact values of exp(exp(...)) can be huge
            require_analytic_at_point(energy)
    value = energy.value()
    if require_zero and value != 0:
        raise NotZeroError(value, tuple(energy.point))
    g = local_expression(energy)
    if energy.is_polynomial():
        terms = call_with_limit(deadline, "expanding the polynomial", _polynomial_terms, g, energy.variables)
    else:
        terms = _closed_jet(g, energy.variables, deadline)
    return dict(sorted(terms.items(), key=_graded_order))


def _graded_order(item):
    exponent = item[0]
    return sum(exponent), tuple(-e for e in exponent)


def taylor_terms(energy, order, *, subtract_value=True, timeout=None):
    """The Taylor jet of order ``order`` of g(x) = f(p + x) - f(p) as ``{exponent: coefficient}``.

    Examples
    --------
    >>> from singularities.jets import taylor_terms
    >>> taylor_terms(sg.Energy("cos(x) + y**3", point="pi,0"), 4)
    {(2, 0): 1/2, (0, 3): 1, (4, 0): -1/24}
    """
    deadline = Deadline.coerce(timeout)
    if not energy.variables:
        raise InputError("the function has no variables; give a function of at least one variable")
    _require_numeric_parameters(energy)
    terms = _flint_terms(energy, subtract_value) if use_flint() and energy.is_polynomial() else None
    if terms is not None:
        deadline.check("expanding the polynomial")
    elif energy.is_polynomial():
        g = local_expression(energy, subtract_value=subtract_value)
        terms = call_with_limit(deadline, "expanding the polynomial", _polynomial_terms_or_empty, g, energy.variables)
    else:
        g = local_expression(energy, subtract_value=subtract_value)
        require_analytic_at_point(energy)
        terms = _jet(g, energy.variables, order, deadline)
    return dict(sorted(((e, c) for e, c in terms.items() if sum(e) <= order), key=_graded_order))


def taylor_jet(energy, order, *, timeout=None):
    """The Taylor jet of order N of f at its point, as an Energy that records the truncation.

    The result is the polynomial K_N (f(p) subtracted, so K_N(p) = 0) with a
    :class:`Truncation`: K = K_N + O(|w - p|^(N + 1)), the remainder in the
    monomial ideal :func:`monomial_ideal` finds, and a ``recompute`` that
    expands f again to another order.  ``rlct`` of it answers for f, not for
    K_N: proven only with a sufficiency argument, else a bound (docs/slt.md).

    Examples
    --------
    >>> from singularities.jets import taylor_jet
    >>> jet = taylor_jet(sg.Energy("x**2 + y**6"), 4)
    >>> jet.expr, jet.truncation.remainder_order
    (x**2, 5)
    >>> result = sg.rlct(jet)   # x**2 alone does not determine lambda: the jet is raised to order 6
    >>> result.threshold, result.status.value, result.certificate.order
    (2/3, 'proven', 6)
    """
    deadline = Deadline.coerce(timeout)
    terms = taylor_terms(energy, order, timeout=deadline)
    variables, point = energy.variables, energy.point
    expr = sympy.Add(
        *(c * sympy.Mul(*((v - p) ** k for v, p, k in zip(variables, point, e))) for e, c in terms.items())
    )
    local = local_expression(energy, subtract_value=True)
    ideal = monomial_ideal(local, variables)
    truncation = Truncation(
        order, tuple(point), ideal, recompute=lambda higher: taylor_jet(energy, higher, timeout=timeout)
    )
    return Energy(sympy.expand(expr), [str(v) for v in variables], point=point, truncation=truncation)


def monomial_ideal(expr, variables, centre=None):
    """Generators of a monomial ideal in w - centre that contains the germ of ``expr`` at ``centre``.

    A sound over-approximation read off the expression tree: a variable
    with centre 0 lies in (w_i), sums lie in the sum of the ideals, products
    in the product, and phi(u) in I^k when u lies in the proper ideal I and
    phi vanishes to order k at 0 (tanh(b*x) lies in (b)); anything else is
    the unit ideal ``((0, ..., 0),)``.  An empty tuple is the zero ideal.

    Examples
    --------
    >>> from singularities.jets import monomial_ideal
    >>> a, b, x = sympy.symbols("a b x")
    >>> monomial_ideal(a * sympy.tanh(b * x) + a**2, (a, b))
    ((2, 0), (1, 1))
    >>> monomial_ideal(sympy.cos(b), (a, b))
    ((0, 0),)
    """
    n = len(variables)
    centre = tuple(centre) if centre is not None else (0,) * n
    index = {v: i for i, v in enumerate(variables)}
    unit = ((0,) * n,)
    return _ideal_of(sympy.sympify(expr), index, centre, unit)


def minimal_generators(generators):
    """The minimal generators of a monomial ideal given by exponent tuples (multiples of another are dropped).

    Examples
    --------
    >>> from singularities.jets import minimal_generators
    >>> minimal_generators([(2, 0), (1, 1), (2, 1), (0, 3), (1, 1)])
    ((2, 0), (1, 1), (0, 3))
    """
    kept = []
    for g in sorted(set(generators), key=lambda e: (sum(e), e)):
        if not any(all(a <= b for a, b in zip(h, g)) for h in kept):
            kept.append(g)
    return tuple(sorted(kept, key=lambda e: (sum(e), tuple(-x for x in e))))


def _ideal_of(node, index, centre, unit):
    if node.is_Number:
        return () if node == 0 else unit
    if node.is_Symbol:
        i = index.get(node)
        return unit if i is None or centre[i] != 0 else (tuple(int(j == i) for j in range(len(unit[0]))),)
    if node.is_Add:
        return minimal_generators(g for arg in node.args for g in _ideal_of(arg, index, centre, unit))
    if node.is_Mul:
        ideal = unit
        for arg in node.args:
            ideal = _product(ideal, _ideal_of(arg, index, centre, unit), unit)
        return ideal
    if node.is_Pow and node.exp.is_Integer and node.exp >= 0:
        return _power(_ideal_of(node.base, index, centre, unit), int(node.exp), unit)
    if isinstance(node, sympy.Function) and len(node.args) == 1:
        inner = _ideal_of(node.args[0], index, centre, unit)
        return unit if inner == unit else _power(inner, _vanishing_order(node.func), unit)
    return unit


def _vanishing_order(func, limit=6):
    """The order k of the zero of phi at 0 (phi(u) = u^k psi(u)), at most ``limit``; 0 when phi(0) != 0 or unknown."""
    z = sympy.Dummy("z")
    try:
        series = sympy.series(func(z), z, 0, limit + 1).removeO()
        poly = sympy.Poly(series, z)
    except Exception:  # noqa: BLE001 - an unknown expansion only weakens the bound to the unit ideal
        return 0
    powers = [m[0] for m, c in poly.terms() if c != 0]
    return min(powers) if powers else limit


def _product(left, right, unit):
    if left == unit:
        return right
    if right == unit:
        return left
    return minimal_generators(tuple(a + b for a, b in zip(g, h)) for g in left for h in right)


def _power(ideal, k, unit):
    result = unit
    for _ in range(k):
        result = _product(result, ideal, unit)
        if len(result) > 200:
            return unit  # too many generators to be useful; the unit ideal is always sound
    return result


def _polynomial_terms_or_empty(g, variables):
    return _polynomial_terms(g, variables) if sympy.expand(g) != 0 else {}


def require_analytic_at_point(energy):
    """Raise :class:`InputError` if a power, root, logarithm or pole breaks analyticity at the point.

    Checks every power with an exponent that is not a non-negative integer
    (its base must not vanish, and must be positive for a non-integer
    exponent) and every function value (finite and real) at the point.

    Examples
    --------
    >>> from singularities.jets import require_analytic_at_point
    >>> require_analytic_at_point(sg.Energy("sqrt(1 + x) - 1"))
    >>> require_analytic_at_point(sg.Energy("sqrt(x**2 + y**2)"))
    Traceback (most recent call last):
    ...
    singularities.errors.InputError: sqrt(x**2 + y**2) is not analytic at the point (0, 0):
    the base x**2 + y**2 vanishes there; give a function analytic at the point
    """
    g = local_expression(energy)
    origin = {v: 0 for v in energy.variables}
    where = f"at the point ({', '.join(map(sympy.sstr, energy.point))})"
    for node in sympy.preorder_traversal(g):
        try:
            _check_node(node, origin, where, energy)
        except (OverflowError, RecursionError) as exc:  # e.g. exp(exp(exp(...))): its value overflows any evaluation
            raise InputError(
                f"the value of {_shifted(node, energy)} {where} is too large to check exactly ({exc}); "
                "give a function with moderate values near the point"
            ) from exc


def _check_node(node, origin, where, energy):
    if isinstance(node, sympy.Pow) and not (node.exp.is_Integer and node.exp >= 0):
        _check_power(node, origin, where, energy)
    elif isinstance(node, (sympy.Function, sympy.Pow)):
        value = sympy.simplify(node.xreplace(origin))
        if value.has(sympy.zoo, sympy.oo, -sympy.oo, sympy.nan) or value.is_real is False:
            raise InputError(
                f"{_shifted(node, energy)} is not analytic {where} (its value there is {value}); "
                "give a function analytic at the point"
            )
    if isinstance(node, sympy.log) and not sympy.simplify(node.args[0].xreplace(origin)).is_positive:
        raise InputError(
            f"{_shifted(node, energy)} is not analytic {where}: log needs a positive argument; "
            "give a function analytic at the point"
        )


def _check_power(node, origin, where, energy):
    base = sympy.simplify(node.base.xreplace(origin))
    shown, shown_base = _shifted(node, energy), _shifted(node.base, energy)
    if base == 0:
        raise InputError(
            f"{shown} is not analytic {where}: the base {shown_base} vanishes there; "
            "give a function analytic at the point"
        )
    if not node.exp.is_Integer and not base.is_positive:
        raise InputError(
            f"{shown} is not real-analytic {where}: the base {shown_base} is not positive there; "
            "give a function analytic at the point"
        )


def _shifted(node, energy):
    """The subexpression in the user's coordinates (undo the translation to the point)."""
    back = {v: v - p for v, p in zip(energy.variables, energy.point) if p != 0}
    return sympy.simplify(node.xreplace(back)) if back else node


def _flint_terms(energy, subtract_value):
    """The terms of f(p + x) (minus f(p)) by one FLINT translation, or None when FLINT cannot take f or p.

    A polynomial with rational coefficients at a rational point; the size of
    the translate (at most C(n + d, n) terms) is bounded by :data:`MAX_FLINT_TERMS`
    so that the one uninterruptible call stays short.
    """
    try:
        shift = [flint_rational(c) for c in energy.point]
        context, (f,) = to_flint([energy.expr], energy.variables)
    except (NotRationalError, TypeError, ValueError):
        return None
    n, degree = len(energy.variables), max(f.total_degree(), 0)
    if any(shift) and comb(n + degree, n) > MAX_FLINT_TERMS:
        return None
    gens = context.gens()
    moved = f.compose(*(g + c for g, c in zip(gens, shift))) if any(shift) else f
    origin = (0,) * n
    return {
        tuple(int(e) for e in m): sympy_rational(c)
        for m, c in zip(moved.monoms(), moved.coeffs())
        if not (subtract_value and tuple(m) == origin)
    }


def _require_numeric_parameters(energy):
    if energy.free_parameters:
        names = ", ".join(map(str, energy.free_parameters))
        raise InputError(f"parameter {names} has no value; give values, e.g. --params {energy.free_parameters[0]}=1")


def _polynomial_terms(g, variables):
    poly = sympy.Poly(sympy.expand(g), *variables)
    terms = {}
    for exponent, coefficient in poly.terms():
        coefficient = sympy.nsimplify(coefficient) if coefficient.has(sympy.Float) else coefficient
        if not _is_zero(coefficient):
            terms[tuple(int(e) for e in exponent)] = (
                sympy.simplify(coefficient) if not coefficient.is_Rational else coefficient
            )
    if not terms:
        raise InputError("the function is identically zero; the RLCT and Newton polyhedron need a nonzero function")
    return terms


def _closed_jet(g, variables, deadline):
    for order in _jet_orders():
        deadline.check(f"Taylor jet of order {order}")
        terms = _jet(g, variables, order, deadline)
        powers = [
            min((e[i] for e in terms if sum(e) == e[i] and e[i] > 0), default=None) for i in range(len(variables))
        ]
        if all(p is not None and p <= order for p in powers):
            return {e: c for e, c in terms.items() if sum(e) <= order}
    raise MethodNotApplicableError(
        "newton",
        f"the Taylor jet of order {MAX_JET_ORDER} has no pure power of every variable, so the Newton "
        "polyhedron of this analytic function does not close; give a polynomial model of the function",
    )


def _jet_orders():
    order = 4
    while order < MAX_JET_ORDER:
        yield order
        order *= 2
    yield MAX_JET_ORDER


def _jet(g, variables, order, deadline):
    if use_flint():  # the fast path; under using("sympy") the series path below stays the reference
        terms = call_with_limit(deadline, f"Taylor jet of order {order}", _trig_jet, g, variables, order)
        if terms is not None:
            return terms
    s = sympy.Dummy("s")
    scaled = g.xreplace({v: s * v for v in variables})
    series = call_with_limit(
        deadline, f"Taylor jet of order {order}", lambda: sympy.series(scaled, s, 0, order + 1).removeO()
    )
    return _polynomial_terms_or_empty(series.subs(s, 1), variables)


def _is_zero(coefficient):
    if coefficient.is_Rational:
        return coefficient == 0
    return sympy.simplify(coefficient) == 0


def _trig_jet(g, variables, order):
    """The Taylor jet of order ``order`` at 0 of a polynomial in x and cos/sin of affine forms of x, without ``series``.

    cos(c + L(x)) = cos c * C(L) - sin c * S(L) and sin(c + L(x)) = sin c * C(L)
    + cos c * S(L), with C, S the Taylor polynomials of cos and sin (L is
    linear, so L^j is homogeneous of degree j and C, S are exact up to the
    order); the products are truncated at the order in a sympy ring over the
    field of the coefficients and the exact values cos c, sin c (QQ or a
    number field from ``construct_domain(extension=True)``).  Returns None
    when ``g`` is not of that shape or its numbers are not algebraic (then
    the caller takes the ``series`` path).
    """
    shape = _trig_shape(g, variables)
    if shape is None:
        return None
    polynomial, atoms = shape
    numbers = list(polynomial.values())
    for _, linear, constant in atoms:
        numbers += [*linear, sympy.cos(constant), sympy.sin(constant)]
    if any(n.has(sympy.Function, sympy.NumberSymbol, sympy.Float) for n in numbers):
        return None  # cos(1/2), pi, a float: not in a number field
    try:
        domain, values = construct_domain(numbers, extension=True)
    except (sympy.PolynomialError, NotImplementedError, ValueError, TypeError):
        return None
    if not (domain.is_QQ or domain.is_ZZ or domain.is_AlgebraicField):
        return None
    field = domain if domain.is_Field else domain.get_field()
    values = iter([v if field is domain else field.convert_from(v, domain) for v in values])
    ring, *gens = sympy.polys.rings.ring([f"x{i}" for i in range(len(variables))], field, grlex)
    coefficients = {e: next(values) for e in polynomial}
    series = []
    for kind, _, _ in atoms:
        form = sum((ring.ground_new(next(values)) * x for x in gens), ring.zero)
        cos_c, sin_c = next(values), next(values)
        series.append(_shifted_trig(kind, form, cos_c, sin_c, ring, order))
    jet = _evaluate(coefficients, series, gens, ring, order)
    terms = {}
    for exponent, coefficient in jet.items():
        value = field.to_sympy(coefficient)
        terms[tuple(int(e) for e in exponent)] = value if value.is_Rational else sympy.simplify(value)
    return terms


def _trig_shape(g, variables):
    """(terms of g as a polynomial in [atoms..., variables...], [(kind, linear coefficients, constant)]) or None.

    The atoms are the cos/sin of affine forms c + sum a_i x_i with numeric c
    and a_i; None when ``g`` has any other function, symbol or power.
    """
    atoms = sorted({node for node in sympy.preorder_traversal(g) if isinstance(node, (sympy.cos, sympy.sin))}, key=str)
    if not atoms:
        return None
    described = []
    for atom in atoms:
        argument = sympy.expand(atom.args[0])
        linear = [argument.coeff(v) for v in variables]
        constant = sympy.expand(argument - sum(a * v for a, v in zip(linear, variables)))
        if any(not a.is_number for a in linear) or not constant.is_number:
            return None
        described.append((sympy.cos if isinstance(atom, sympy.cos) else sympy.sin, linear, constant))
    dummies = [sympy.Dummy(f"t{i}") for i in range(len(atoms))]
    replaced = g.xreplace(dict(zip(atoms, dummies)))
    generators = (*dummies, *variables)
    if not replaced.free_symbols <= set(generators) or not replaced.is_polynomial(*generators):
        return None
    if any(isinstance(node, sympy.Function) for node in sympy.preorder_traversal(replaced)):
        return None
    try:
        polynomial = sympy.Poly(replaced, *generators).as_dict(native=False)
    except sympy.PolynomialError:
        return None
    return polynomial, described


def _truncated(p, order):
    """p without its terms of total degree > ``order``."""
    return p.ring({m: c for m, c in p.items() if sum(m) <= order})


def _shifted_trig(kind, form, cos_c, sin_c, ring, order):
    """The jet of order ``order`` of cos(c + L) or sin(c + L), L = ``form`` linear, from cos c and sin c."""
    even, odd, power, factorial = ring.zero, ring.zero, ring.one, 1
    for j in range(order + 1):
        if j:
            power, factorial = power * form, factorial * j
        term = power * ring.domain.convert((-1) ** (j // 2)) / ring.domain.convert(factorial)
        if j % 2:
            odd += term
        else:
            even += term
    if kind is sympy.cos:
        return even * cos_c - odd * sin_c
    return even * sin_c + odd * cos_c


def _evaluate(coefficients, series, gens, ring, order):
    """sum of c * prod(series[i]^e_i) * prod(x_j^f_j) over the terms, truncated at ``order`` after each product."""
    count, powers, total = len(series), {}, ring.zero
    for exponent, coefficient in coefficients.items():
        term = ring.ground_new(coefficient)
        for i, e in enumerate(exponent):
            if e:
                base = series[i] if i < count else gens[i - count]
                term = _truncated(term * _power_of(powers, i, e, base, order), order)
        total += term
    return _truncated(total, order)


def _power_of(cache, index, e, base, order):
    key = (index, e)
    if key not in cache:
        cache[key] = base if e == 1 else _truncated(_power_of(cache, index, e - 1, base, order) * base, order)
    return cache[key]
