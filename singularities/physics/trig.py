"""Trigonometric polynomials on circles: f(k) on the torus as an exact polynomial F(c, s) in c_j = cos, s_j = sin.

A trigonometric polynomial f(k) with periods P_j is rewritten through its
exact Fourier series in the angles theta_j = 2 pi k_j / P_j and the
substitution c_j = cos(theta_j), s_j = sin(theta_j), c_j^2 + s_j^2 = 1, as a
polynomial F(c, s); D_j = c_j d/ds_j - s_j d/dc_j is d/dtheta_j.  The
critical points on the torus (:mod:`singularities.physics.torus`) are the
real solutions of D_j F = 0 on the circles.  Guide: docs/lattices.md.
"""

from functools import reduce

import sympy

from ..algebra.polys import groebner_basis
from ..algebra.realroots import exact_sign
from ..domain import parse_periods
from ..energy import Energy, as_energy
from ..errors import InputError, UndecidedSign

__all__ = ["TorusPolynomial", "torus_polynomial", "circle_angle"]


class TorusPolynomial:
    """f on the torus as a polynomial F(c, s) in c_j = cos(theta_j), s_j = sin(theta_j), theta_j = 2 pi k_j / P_j.

    Attributes
    ----------
    energy : Energy
        The input (parameters without a value stay symbolic in F).
    periods : tuple
        The exact period P_j of each variable.
    cos, sin : tuple of sympy.Symbol
        The unknowns c_j and s_j (real dummies).
    polynomial : sympy.Expr
        F, with F(cos theta, sin theta) = f(k).

    Examples
    --------
    >>> from singularities.physics.trig import torus_polynomial
    >>> T = torus_polynomial("-2*cos(kx) - 2*cos(ky) - 2*cos(kx)*cos(ky)")
    >>> T.to_trig(T.polynomial)
    -2*cos(kx)*cos(ky) - 2*cos(kx) - 2*cos(ky)
    >>> [T.to_trig(g) for g in T.gradient()]
    [2*sin(kx)*cos(ky) + 2*sin(kx), 2*sin(ky)*cos(kx) + 2*sin(ky)]
    """

    def __init__(self, energy, periods, cos, sin, polynomial):
        self.energy, self.periods, self.cos, self.sin, self.polynomial = energy, periods, cos, sin, polynomial

    @property
    def unknowns(self):
        """(c_1, ..., c_n, s_1, ..., s_n)."""
        return self.cos + self.sin

    @property
    def circles(self):
        """The equations c_j^2 + s_j^2 - 1."""
        return [c**2 + s**2 - 1 for c, s in zip(self.cos, self.sin)]

    def derivative(self, expr, j):
        """d/dtheta_j of a polynomial in (c, s): c_j dF/ds_j - s_j dF/dc_j."""
        c, s = self.cos[j], self.sin[j]
        return sympy.expand(c * sympy.diff(expr, s) - s * sympy.diff(expr, c))

    def gradient(self):
        """(dF/dtheta_j) as polynomials in (c, s)."""
        return [self.derivative(self.polynomial, j) for j in range(len(self.cos))]

    def hessian(self):
        """The Hessian d^2 F / dtheta_i dtheta_j as a sympy Matrix of polynomials in (c, s)."""
        gradient = self.gradient()
        n = len(gradient)
        return sympy.Matrix(n, n, lambda i, j: self.derivative(gradient[i], j))

    def angles(self, values):
        """The point k (in [0, P_j)) whose (cos, sin) are ``values`` = (c_1..c_n, s_1..s_n), exactly."""
        n = len(self.cos)
        return tuple(
            sympy.simplify(P * circle_angle(values[j], values[n + j]) / (2 * sympy.pi))
            for j, P in enumerate(self.periods)
        )

    def to_trig(self, expr):
        """A polynomial in (c, s) written back in the variables k: c_j -> cos(2 pi k_j / P_j)."""
        theta = [2 * sympy.pi * v / P for v, P in zip(self.energy.variables, self.periods)]
        replace = {c: sympy.cos(t) for c, t in zip(self.cos, theta)} | {
            s: sympy.sin(t) for s, t in zip(self.sin, theta)
        }
        return sympy.expand(expr).xreplace(replace)

    def is_circle(self, expr):
        """Whether ``expr`` is one of the circle equations c_j^2 + s_j^2 - 1."""
        return any(sympy.expand(expr - circle) == 0 for circle in self.circles)

    def translated(self, point, values, energy=None, band=None):
        """The energy at the point: ``energy`` (default f) itself at a point with
        coordinates in pi Q, else the translated function.

        Translated: g(x) = F(c0 cos t - s0 sin t, s0 cos t + c0 sin t) with
        t = 2 pi x / P (x in k units), with the exact (c0, s0) = ``values`` of the point, so the Taylor
        coefficients are polynomials in algebraic numbers instead of
        unsimplified values such as sin(3 acos(1/3)).  ``band`` = (a, b) wraps it as a + b sqrt(g).
        """
        energy = self.energy if energy is None else energy
        if all((2 * k / P).is_Rational for k, P in zip(point, self.periods)):
            return energy.at(point)
        n = len(self.cos)
        theta = [2 * sympy.pi * v / P for v, P in zip(energy.variables, self.periods)]
        moved = {}
        for j, t in enumerate(theta):
            c0, s0 = values[j], values[n + j]
            moved[self.cos[j]] = c0 * sympy.cos(t) - s0 * sympy.sin(t)
            moved[self.sin[j]] = s0 * sympy.cos(t) + c0 * sympy.sin(t)
        local = sympy.expand(self.polynomial.xreplace(moved))
        if band is not None:
            local = band[0] + band[1] * sympy.sqrt(local)
        return Energy(local, [str(v) for v in energy.variables])

    def subtorus_text(self, equations):
        """ "kx = pi" when the equations in (c, s) fix some coordinates and leave the others free, else ""."""
        basis = groebner_basis(equations, self.unknowns)
        fixed = []
        for j, v in enumerate(self.energy.variables):
            c, s = (basis.reduce(u)[1] for u in (self.cos[j], self.sin[j]))
            if not (c.free_symbols or s.free_symbols):
                fixed.append(
                    f"{v} = {sympy.sstr(sympy.simplify(self.periods[j] * circle_angle(c, s) / (2 * sympy.pi)))}"
                )
        remaining = [e for e in basis.exprs if not self._fixes_a_pair(e)]
        if not fixed or any(not self.is_circle(e) for e in remaining):
            return ""
        return ", ".join(fixed)

    def _fixes_a_pair(self, expr):
        return len(expr.free_symbols) == 1 and expr.free_symbols <= set(self.unknowns) and sympy.degree(expr) == 1


def torus_polynomial(f, *, variables=None, parameters=None, periods=None):
    """f as a polynomial in c_j = cos(theta_j), s_j = sin(theta_j), theta_j = 2 pi k_j / P_j.

    Parameters
    ----------
    f : str, sympy.Expr or Energy
        A trigonometric polynomial: sums and products of numbers, parameters
        and cos/sin of linear combinations of the variables.
    periods : sequence or str, optional
        The period of each variable (default 2 pi for every one).

    Raises
    ------
    InputError
        If f is not a trigonometric polynomial, not real, or not periodic with the periods.

    Examples
    --------
    >>> from singularities.physics.trig import torus_polynomial
    >>> T = torus_polynomial("cos(2*k)")
    >>> T.to_trig(T.polynomial)
    -sin(k)**2 + cos(k)**2
    >>> torus_polynomial("cos(k/2)")
    Traceback (most recent call last):
    ...
    singularities.errors.InputError: f is not periodic with period 2*pi in k: it contains the frequency 1/2,
    which is not a multiple of 1; give the periods (periods=...) or check the function
    """
    energy = as_energy(f, variables=variables, parameters=parameters)
    if not energy.variables:
        raise InputError("the function has no variables; give a function of the wave vector, e.g. -2*cos(k)")
    periods = parse_periods(periods, len(energy.variables)).values
    series = _fourier(energy.expr, energy.variables)
    cos = tuple(sympy.Dummy(f"c_{v}", real=True) for v in energy.variables)
    sin = tuple(sympy.Dummy(f"s_{v}", real=True) for v in energy.variables)
    polynomial = _real_polynomial(series, energy.variables, periods, cos, sin)
    return TorusPolynomial(energy, periods, cos, sin, polynomial)


def circle_angle(c, s):
    """The angle theta in [0, 2 pi) with cos theta = c, sin theta = s (exact).

    Examples
    --------
    >>> from singularities.physics.trig import circle_angle
    >>> circle_angle(0, -1), circle_angle(sympy.Rational(1, 3), -sympy.sqrt(8) / 3)
    (3*pi/2, -acos(1/3) + 2*pi)
    """
    c, s = sympy.sympify(c), sympy.sympify(s)
    if s == 0:
        return sympy.Integer(0) if c == 1 else sympy.pi
    try:
        positive = exact_sign(s) > 0
    except UndecidedSign:
        positive = sympy.N(s, 50) > 0
    base = sympy.acos(c)
    return base if positive else 2 * sympy.pi - base


# ---------------------------------------------------------------------------
# the Fourier series and F(c, s)


def _fourier(expr, variables):
    """{frequency vector: coefficient} with expr = sum over m of coefficient * exp(i m . k), exactly."""
    if not expr.has(*variables):
        return {(sympy.Integer(0),) * len(variables): expr}
    if expr.is_Add:
        return _combine([_fourier(a, variables) for a in expr.args])
    if expr.is_Mul:
        return reduce(_convolve, (_fourier(a, variables) for a in expr.args))
    if expr.is_Pow and expr.exp.is_Integer and expr.exp > 0:
        base = _fourier(expr.base, variables)
        return reduce(_convolve, [base] * int(expr.exp))
    if isinstance(expr, (sympy.cos, sympy.sin)):
        return _fourier_of_wave(expr, variables)
    raise InputError(
        f"{expr} is not a trigonometric polynomial in {', '.join(map(str, variables))}; "
        "the torus needs sums and products of cos and sin of linear combinations of the variables "
        "(a band a + b*sqrt(R) with R of that kind is also accepted)"
    )


def _fourier_of_wave(expr, variables):
    argument = sympy.expand(expr.args[0])
    poly = sympy.Poly(argument, *variables) if argument.is_polynomial(*variables) else None
    if poly is None or poly.total_degree() > 1:
        raise InputError(
            f"{expr}: the argument of cos/sin must be linear in {', '.join(map(str, variables))}, "
            "e.g. cos(kx - ky); write the dispersion as a trigonometric polynomial"
        )
    m = tuple(sympy.sympify(poly.coeff_monomial(v)) for v in variables)
    phase = argument - sum(a * v for a, v in zip(m, variables))
    if m[0].free_symbols or any(a.free_symbols for a in m) or phase.free_symbols:
        raise InputError(f"{expr}: frequencies and phases must be numbers; parameters may appear only as coefficients")
    e = sympy.cos(phase) + sympy.I * sympy.sin(phase)
    conj = sympy.cos(phase) - sympy.I * sympy.sin(phase)
    minus = tuple(-a for a in m)
    if isinstance(expr, sympy.cos):
        return _combine([{m: e / 2}, {minus: conj / 2}])
    return _combine([{m: e / (2 * sympy.I)}, {minus: -conj / (2 * sympy.I)}])


def _combine(series_list):
    total = {}
    for series in series_list:
        for m, c in series.items():
            total[m] = total.get(m, 0) + c
    return {m: c for m, c in ((m, sympy.expand(c)) for m, c in total.items()) if c != 0}


def _convolve(a, b):
    return _combine([{tuple(x + y for x, y in zip(m, n)): c * d} for m, c in a.items() for n, d in b.items()])


def _real_polynomial(series, variables, periods, cos, sin):
    """F(c, s) = sum_m c_m prod_j (c_j + i sign(m_j) s_j)^|m_j|, with theta-frequencies
    m_j = (k-frequency) P_j / (2 pi)."""
    j = sympy.Dummy("j")
    total = sympy.Integer(0)
    for frequency, coefficient in series.items():
        term = coefficient.xreplace({sympy.I: j})
        for v, a, P, c, s in zip(variables, frequency, periods, cos, sin):
            m = sympy.simplify(a * P / (2 * sympy.pi))
            if not m.is_Integer:
                raise InputError(
                    f"f is not periodic with period {P} in {v}: it contains the frequency {a}, which is not a "
                    f"multiple of {sympy.simplify(2 * sympy.pi / P)}; "
                    "give the periods (periods=...) or check the function"
                )
            term *= (c + (j if m > 0 else -j) * s) ** abs(int(m))
        total += sympy.expand(term)
    remainder = sympy.Poly(sympy.expand(total), j).rem(sympy.Poly(j**2 + 1, j))
    real, imaginary = remainder.coeff_monomial(1), remainder.coeff_monomial(j)
    if sympy.simplify(imaginary) != 0:
        raise InputError("f is not real; the dispersion must be a real function")
    return sympy.expand(real)
