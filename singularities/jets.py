"""Local expansions: translate an energy to its point and read off its terms.

For a polynomial the terms are exact and complete.  For an analytic function
the Taylor jet is raised until the Newton polyhedron closes: once the jet of
order N holds a pure power x_i^(a_i) with a_i <= N in every variable, every
monomial of degree > N lies strictly inside Gamma_+ of those powers (its
exponent e has sum(e_i/a_i) >= |e|/max(a_i) > 1), so no higher term can touch
a compact face (docs/conventions.md#newton-polyhedra).
"""

import sympy

from ._limits import Deadline, call_with_limit
from .errors import InputError, MethodNotApplicableError, NotZeroError

__all__ = ["local_expression", "local_terms", "taylor_terms", "require_analytic_at_point", "MAX_JET_ORDER"]

MAX_JET_ORDER = 24


def local_expression(energy, *, subtract_value=False):
    """g(x) = f(p + x), minus f(p) when ``subtract_value`` (docs/conventions.md#functions-points-and-variables).

    Examples
    --------
    >>> from singularities.jets import local_expression
    >>> local_expression(sg.Energy("x**2 + y", point="1,0"), subtract_value=True)
    y + (x + 1)**2 - 1
    """
    shift = {v: v + p for v, p in zip(energy.variables, energy.point) if p != 0}
    g = energy.expr.xreplace(shift) if shift else energy.expr
    return g - energy.value() if subtract_value else g


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
    g = local_expression(energy, subtract_value=subtract_value)
    if energy.is_polynomial():
        terms = call_with_limit(deadline, "expanding the polynomial", _polynomial_terms_or_empty, g, energy.variables)
    else:
        require_analytic_at_point(energy)
        terms = _jet(g, energy.variables, order, deadline)
    return dict(sorted(((e, c) for e, c in terms.items() if sum(e) <= order), key=_graded_order))


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
    singularities.errors.InputError: sqrt(x**2 + y**2) is not analytic at the point (0, 0): the base x**2 + y**2 vanishes there; give a function analytic at the point
    """
    g = local_expression(energy)
    origin = {v: 0 for v in energy.variables}
    where = f"at the point ({', '.join(map(sympy.sstr, energy.point))})"
    for node in sympy.preorder_traversal(g):
        if isinstance(node, sympy.Pow) and not (node.exp.is_Integer and node.exp >= 0):
            _check_power(node, origin, where, energy)
        elif isinstance(node, (sympy.Function, sympy.Pow)):
            value = sympy.simplify(node.xreplace(origin))
            if value.has(sympy.zoo, sympy.oo, -sympy.oo, sympy.nan) or value.is_real is False:
                raise InputError(f"{_shifted(node, energy)} is not analytic {where} (its value there is {value}); give a function analytic at the point")
        if isinstance(node, sympy.log) and not sympy.simplify(node.args[0].xreplace(origin)).is_positive:
            raise InputError(f"{_shifted(node, energy)} is not analytic {where}: log needs a positive argument; give a function analytic at the point")


def _check_power(node, origin, where, energy):
    base = sympy.simplify(node.base.xreplace(origin))
    shown, shown_base = _shifted(node, energy), _shifted(node.base, energy)
    if base == 0:
        raise InputError(f"{shown} is not analytic {where}: the base {shown_base} vanishes there; give a function analytic at the point")
    if not node.exp.is_Integer and not base.is_positive:
        raise InputError(f"{shown} is not real-analytic {where}: the base {shown_base} is not positive there; give a function analytic at the point")


def _shifted(node, energy):
    """The subexpression in the user's coordinates (undo the translation to the point)."""
    back = {v: v - p for v, p in zip(energy.variables, energy.point) if p != 0}
    return sympy.simplify(node.xreplace(back)) if back else node


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
            terms[tuple(int(e) for e in exponent)] = sympy.simplify(coefficient) if not coefficient.is_Rational else coefficient
    if not terms:
        raise InputError("the function is identically zero; the RLCT and Newton polyhedron need a nonzero function")
    return terms


def _closed_jet(g, variables, deadline):
    for order in _jet_orders():
        deadline.check(f"Taylor jet of order {order}")
        terms = _jet(g, variables, order, deadline)
        powers = [min((e[i] for e in terms if sum(e) == e[i] and e[i] > 0), default=None) for i in range(len(variables))]
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
    s = sympy.Dummy("s")
    scaled = g.xreplace({v: s * v for v in variables})
    series = call_with_limit(deadline, f"Taylor jet of order {order}", lambda: sympy.series(scaled, s, 0, order + 1).removeO())
    return _polynomial_terms_or_empty(series.subs(s, 1), variables)


def _is_zero(coefficient):
    if coefficient.is_Rational:
        return coefficient == 0
    return sympy.simplify(coefficient) == 0
