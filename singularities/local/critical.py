"""Critical points of a polynomial energy on R^n: exact, certified real, with components.

The critical set {grad f = 0} is the real solution set of the gradient system,
solved by ``algebra.systems`` (shape lemma and exact real-root isolation for
finitely many points, interval Krawczyk certificates when the exact solve runs
out of its budget, components with exact sample points); this module turns
those plain solutions into result objects.
Critical point and critical value: docs/conventions.md#functions-points-and-variables;
Hessian rank, corank, inertia, Morse index, certificates and limitations:
docs/critical_points.md.
"""

from dataclasses import dataclass, field

import mpmath
import sympy

from .._exact import exact_string, parse_exact, point_text, require_exact
from .._limits import Deadline, guard
from .._result import Result, from_dict, register
from ..algebra.realroots import canonical, exact_sign, hessian_inertia
from ..algebra.systems import PolynomialSystem, real_solutions
from ..energy import Energy, as_energy
from ..errors import InputError, NotCriticalError, UnknownMethodError
from ..jets import require_analytic_at_point

__all__ = [
    "CriticalPoint",
    "CriticalComponent",
    "CriticalSet",
    "critical_points",
    "critical_point",
    "solve_system",
    "METHODS",
    "CERTIFICATES",
]

METHODS = ("auto", "exact", "interval")
CERTIFICATES = ("exact", "interval")


@register("critical_point")
@dataclass(frozen=True, slots=True)
class CriticalPoint(Result):
    """A real critical point p of f, with its exact critical value and Hessian inertia.

    Attributes
    ----------
    point : tuple
        Exact real coordinates in variable order: rationals, real radicals,
        or ``CRootOf`` (real algebraic numbers given by a polynomial and the
        index of the root in increasing order).
    value : sympy.Expr
        The critical value c = f(p), exact.
    hessian_rank : int
        Rank of the Hessian matrix of f at p.
    corank : int
        n - rank; 0 for a Morse point.
    inertia : tuple
        (n_plus, n_minus), the numbers of positive and negative Hessian
        eigenvalues (Sylvester's inertia, decided exactly).
    certificate : str
        ``"exact"``: found by exact algebra, reality decided by exact
        real-root isolation; ``"interval"``: a unique critical point in a
        small box proven by the interval Krawczyk test (docs/critical_points.md).

    Examples
    --------
    >>> from singularities.local.critical import critical_point
    >>> p = critical_point("x**2 - y**2", (0, 0))
    >>> p.morse_index, p.is_morse, p.inertia
    (1, True, (1, 1))
    """

    point: tuple
    value: sympy.Expr
    hessian_rank: int
    corank: int
    inertia: tuple
    certificate: str

    def __post_init__(self):
        require_exact(self.point, "point")
        require_exact(self.value, "value")
        if self.certificate not in CERTIFICATES:
            raise InputError(f"certificate must be one of {', '.join(CERTIFICATES)}, got {self.certificate!r}")

    @property
    def morse_index(self):
        """The Morse index: the number n_minus of negative Hessian eigenvalues."""
        return self.inertia[1]

    @property
    def is_morse(self):
        """Whether the Hessian is non-degenerate (corank 0)."""
        return self.corank == 0

    def numeric(self, dps=30):
        """The coordinates as mpmath ``mpf`` numbers with ``dps`` digits.

        Examples
        --------
        >>> import mpmath
        >>> from singularities.local.critical import critical_point
        >>> x, y = critical_point("x**3 - x + y**2", "sqrt(3)/3, 0").numeric(40)
        >>> mpmath.nstr(x, 30), y
        ('0.577350269189625764509148780502', mpf('0.0'))
        """
        with mpmath.workdps(dps):
            return tuple(mpmath.mpf(sympy.N(c, dps)) for c in self.point)

    def to_rows(self):
        rows = [
            ("point", point_text(self.point)),
            ("critical value", self.value),
            ("Hessian rank", self.hessian_rank),
            ("corank", self.corank),
            ("inertia (n+, n-)", f"({self.inertia[0]}, {self.inertia[1]})"),
            ("Morse index", self.morse_index),
            ("certificate", self.certificate),
        ]
        return ("quantity", "value"), rows

    def to_dict(self):
        return {"kind": "critical_point", **_point_dict(self)}

    @classmethod
    def from_dict(cls, data):
        """Rebuild a point from :meth:`to_dict` output (or an entry of a set's ``"points"``)."""
        return cls(
            point=tuple(parse_exact(c) for c in data["point"]),
            value=parse_exact(data["value"]),
            hessian_rank=data["hessian_rank"],
            corank=data["corank"],
            inertia=tuple(data["inertia"]),
            certificate=data["certificate"],
        )


@register("critical_component")
@dataclass(frozen=True, slots=True)
class CriticalComponent:
    """A positive-dimensional piece of the critical set, {equations = 0}.

    Attributes
    ----------
    dimension : int
        Dimension of the (complex) algebraic set defined by ``equations``.
    equations : tuple
        Polynomials whose common zeros form the piece.  It is found by
        factoring, so it may still be a union of several irreducible components.
    sample_point : tuple or None
        An exact real point of the piece, verified by exact substitution; None
        if none was found.
    value : sympy.Expr or None
        f on the piece when f - value reduces to 0 modulo the equations, else None.
    real_dimension : int or None
        ``dimension`` when the sample point is a regular point (the Jacobian
        of the equations has rank n - dimension there), so the real critical
        set is a manifold of that dimension near it; None when not proven
        (for x**2 + y**2 the only real point is the singular point 0).
    decomposed : bool
        False when the splitting ran out of time: the equations are then the
        whole Groebner basis and the piece is the entire critical set.
    """

    dimension: int
    equations: tuple
    sample_point: tuple = None
    value: sympy.Expr = None
    real_dimension: int = None
    decomposed: bool = True

    def __post_init__(self):
        require_exact(self.equations, "equations")
        require_exact(self.sample_point or (), "sample_point")

    def to_dict(self):
        """JSON-safe form, exact values as sympy strings."""
        return {
            "kind": "critical_component",
            "dimension": self.dimension,
            "equations": [exact_string(e) for e in self.equations],
            "sample_point": None if self.sample_point is None else [exact_string(c) for c in self.sample_point],
            "value": None if self.value is None else exact_string(self.value),
            "real_dimension": self.real_dimension,
            "decomposed": self.decomposed,
        }

    @classmethod
    def from_dict(cls, data):
        """Rebuild a component from :meth:`to_dict` output."""
        sample = data.get("sample_point")
        return cls(
            dimension=data["dimension"],
            equations=tuple(parse_exact(e) for e in data["equations"]),
            sample_point=None if sample is None else tuple(parse_exact(c) for c in sample),
            value=None if data.get("value") is None else parse_exact(data["value"]),
            real_dimension=data.get("real_dimension"),
            decomposed=data.get("decomposed", True),
        )


@register("critical_points")
@dataclass(frozen=True, slots=True)
class CriticalSet(Result):
    """All real critical points of f: isolated points and positive-dimensional components.

    Attributes
    ----------
    points : tuple of CriticalPoint
        Isolated real critical points, sorted by critical value, then by coordinates.
    components : tuple of CriticalComponent
        Pieces of dimension >= 1 (empty when grad f = 0 has finitely many solutions).
    energy : Energy
        The input.
    """

    points: tuple
    components: tuple
    energy: Energy = field(repr=False, default=None)

    def morse_counts(self):
        """``{Morse index: number of Morse points}`` over the isolated points.

        Examples
        --------
        >>> from singularities.local.critical import critical_points
        >>> critical_points("(x**2 - 1)**2 + y**2").morse_counts()
        {0: 2, 1: 1}
        """
        counts = {}
        for p in self.points:
            if p.is_morse:
                counts[p.morse_index] = counts.get(p.morse_index, 0) + 1
        return dict(sorted(counts.items()))

    def to_rows(self):
        header = ("critical point", "value", "rank", "corank", "Morse index", "certificate")
        rows = [
            (point_text(p.point), p.value, p.hessian_rank, p.corank, p.morse_index, p.certificate) for p in self.points
        ]
        rows += [(_component_text(c), c.value, None, None, None, None) for c in self.components]
        if not rows:
            rows = [("no real critical point", None, None, None, None, None)]
        return header, rows

    def to_dict(self):
        data = {
            "kind": "critical_points",
            "points": [_point_dict(p) for p in self.points],
            "components": [c.to_dict() for c in self.components],
        }
        return self._with_input(data)

    @classmethod
    def from_dict(cls, data):
        """Rebuild the set from :meth:`to_dict` output.

        Examples
        --------
        >>> from singularities.local.critical import CriticalSet, critical_points
        >>> found = critical_points("(x**2 + y**2 - 1)**2")
        >>> CriticalSet.from_dict(found.to_dict()) == found
        True
        """
        return cls(
            points=tuple(CriticalPoint.from_dict(p) for p in data["points"]),
            components=tuple(CriticalComponent.from_dict(c) for c in data["components"]),
            energy=from_dict(data.get("input")),
        )


def critical_points(f, *, variables=None, parameters=None, method="auto", timeout=None):
    """All real critical points of a polynomial f on R^n, exactly.

    Parameters
    ----------
    f : str, sympy.Expr or Energy
        A polynomial with rational coefficients (after parameter values are substituted).
    variables : str or sequence, optional
        Variable order (docs/conventions.md#functions-points-and-variables).
    parameters : str or dict, optional
        Parameter values; every parameter needs one.
    method : {"auto", "exact", "interval"}
        "exact" solves grad f = 0 exactly; "interval" certifies each real
        point by the Krawczyk test (finitely many points only); "auto" tries
        "exact" for up to ``BUDGETS.exact_solve`` seconds (``_limits.BUDGETS``) and then turns to "interval".
    timeout : float, optional
        Time limit in seconds for the whole computation.

    Returns
    -------
    CriticalSet
        Isolated points (exact coordinates, value, rank, inertia, certificate)
        and positive-dimensional components.

    Raises
    ------
    InputError
        If f is not a polynomial with rational coefficients or a parameter has no value.
    NumericError
        If the interval method meets a candidate it can neither prove nor
        exclude (a degenerate critical point); never a silent drop.
    TimeLimitError
        If the time limit passes.

    Examples
    --------
    >>> from singularities.local.critical import critical_points
    >>> found = critical_points("(x**2 - 1)**2 + y**2")
    >>> [(p.point, p.value, p.morse_index) for p in found.points]
    [((-1, 0), 0, 0), ((1, 0), 0, 0), ((0, 0), 1, 1)]
    >>> circle = critical_points("(x**2 + y**2 - 1)**2")
    >>> circle.components[0].equations, circle.components[0].value
    ((x**2 + y**2 - 1,), 0)
    >>> circle.points[0].point, circle.points[0].morse_index
    ((0, 0), 2)
    """
    if method not in METHODS:
        raise UnknownMethodError(method, METHODS)
    deadline = Deadline.coerce(timeout)
    with guard(deadline, "critical points"):
        energy, system = _polynomial_system(f, variables, parameters)
        return _critical_set(real_solutions(system, method=method, deadline=deadline), energy)


def solve_system(equations, variables, *, value=0, matrix=None, timeout=None):
    """Every real solution of a polynomial system over QQ, exactly: the general form of :func:`critical_points`.

    The equations take the place of the gradient: zero-dimensional pieces
    give exact isolated points and positive-dimensional pieces give
    components, exactly as in docs/critical_points.md.  Each point carries
    the exact value of the polynomial ``value`` there and the inertia of the
    symmetric polynomial ``matrix`` there (default: none, which reads as
    the zero matrix: inertia (0, 0)).

    Parameters
    ----------
    equations : sequence of sympy.Expr
        Polynomials with rational coefficients in ``variables``.
    variables : sequence of sympy.Symbol
    value : sympy.Expr
        A polynomial evaluated exactly at each solution (the point's ``value``).
    matrix : sympy.Matrix, optional
        A symmetric matrix of polynomials; its inertia at each solution gives
        the point's ``inertia``, ``hessian_rank`` and ``corank``.
    timeout : float or Deadline, optional

    Examples
    --------
    >>> from singularities.local.critical import solve_system
    >>> c, s = sympy.symbols("c s")
    >>> found = solve_system([s, c**2 + s**2 - 1], (c, s), value=c)
    >>> [(p.point, p.value) for p in found.points]
    [((-1, 0), -1), ((1, 0), 1)]
    """
    deadline = Deadline.coerce(timeout)
    with guard(deadline, "solving a polynomial system"):
        system = PolynomialSystem.general(equations, variables, value, matrix)
        return _critical_set(real_solutions(system, method="exact", deadline=deadline), None)


def critical_point(f, point, *, variables=None, parameters=None):
    """The critical point of f at a given point, after checking grad f(point) = 0 exactly.

    Unlike :func:`critical_points`, f may be any function analytic at the
    point (a trigonometric dispersion at (pi, 0), say).

    Raises
    ------
    NotCriticalError
        If the gradient does not vanish at the point; it carries the gradient.

    Examples
    --------
    >>> from singularities.local.critical import critical_point
    >>> critical_point("x**4 - y**2", (0, 0))
    CriticalPoint(point=(0, 0), value=0, hessian_rank=1, corank=1, inertia=(0, 1), certificate='exact')
    >>> critical_point("-2*cos(x) - 2*cos(y)", "pi, 0").inertia
    (1, 1)
    >>> critical_point("x**2 + y", (0, 0))
    Traceback (most recent call last):
    ...
    singularities.errors.NotCriticalError: the point (0, 0) is not critical: the gradient there is (0, 1);
    omit the point to search for all critical points
    """
    energy = as_energy(f, point, variables=variables, parameters=parameters)
    _require_values(energy)
    if not energy.is_polynomial():
        require_analytic_at_point(energy)
    at = dict(zip(energy.variables, energy.point))
    gradient = tuple(sympy.simplify(sympy.diff(energy.expr, v).xreplace(at)) for v in energy.variables)
    if any(exact_sign(g) != 0 for g in gradient):
        raise NotCriticalError(gradient, tuple(energy.point))
    hessian = sympy.hessian(energy.expr, energy.variables).xreplace(at)
    n_plus, n_minus, rank = hessian_inertia(hessian)
    n = len(energy.variables)
    return CriticalPoint(tuple(energy.point), canonical(energy.value()), rank, n - rank, (n_plus, n_minus), "exact")


# ---------------------------------------------------------------------------
# input


def _polynomial_system(f, variables, parameters):
    energy = as_energy(f, variables=variables, parameters=parameters)
    _require_values(energy)
    if not energy.is_polynomial():
        raise InputError(
            f"critical points need a polynomial; {energy.expr} is not a polynomial in "
            f"{', '.join(map(str, energy.variables))}; use critical_point(f, point) to check a known point"
        )
    poly = sympy.Poly(energy.expr, *energy.variables)
    if not (poly.domain.is_ZZ or poly.domain.is_QQ):
        irrational = next(c for c in poly.coeffs() if not c.is_Rational)
        raise InputError(
            f"critical points need rational coefficients; {irrational} is not rational; "
            "use critical_point(f, point) to check a known point"
        )
    return energy, PolynomialSystem.of_function(poly.set_domain(sympy.QQ), energy.variables)


def _require_values(energy):
    if not energy.variables:
        raise InputError("the function has no variables; give a function of at least one variable")
    if energy.free_parameters:
        names = ", ".join(map(str, energy.free_parameters))
        raise InputError(
            f"parameter {names} has no value; critical points need values, "
            f"e.g. parameters='{energy.free_parameters[0]}=1'"
        )


def _critical_set(solved, energy):
    """The CriticalSet of plain (solutions, components) from ``algebra.systems.real_solutions``."""
    points, components = solved
    points = [CriticalPoint(p.point, p.value, p.rank, len(p.point) - p.rank, p.inertia, p.certificate) for p in points]
    return CriticalSet(_sorted(points), tuple(CriticalComponent(*c) for c in components), energy)


# ---------------------------------------------------------------------------
# presentation


def _sorted(points):
    def key(p):
        return (sympy.N(p.value, 30), *(sympy.N(c, 30) for c in p.point))

    return tuple(sorted(points, key=key))


def _point_dict(p):
    return {
        "point": [exact_string(c) for c in p.point],
        "value": exact_string(p.value),
        "hessian_rank": p.hessian_rank,
        "corank": p.corank,
        "morse_index": p.morse_index,
        "inertia": list(p.inertia),
        "certificate": p.certificate,
    }


def _component_text(component):
    if not component.equations:
        return f"all of R^{component.dimension} (f is constant)"
    equations = ", ".join(sympy.sstr(e) for e in component.equations)
    sample = "" if component.sample_point is None else f", e.g. {point_text(component.sample_point)}"
    return f"{{{equations}}} = 0 (dimension {component.dimension}{sample})"
