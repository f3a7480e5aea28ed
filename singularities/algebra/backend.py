"""The polynomial backend: sympy expressions at the boundary, FLINT polynomials inside.

Every exact polynomial computation that FLINT can do (expansion, composition of
jets, derivatives, Groebner bases, ranks of exact matrices) runs on
python-flint's ``fmpq_mpoly`` / ``fmpz_mpoly`` types; sympy stays at the
boundary (parsing, printing, results) and for what FLINT lacks (coefficients
outside QQ, symbolic parameters).  A computation converts its input once with
:func:`to_flint`, works on FLINT polynomials, and converts its answer once with
:func:`from_flint`.

The backend is selectable: ``"flint"`` (the default) or ``"sympy"``, the
pure-Python reference path kept for cross-checks and as the baseline of the
benchmarks.  Select it for a block with :func:`using`, or for a whole process
with the environment variable :data:`BACKEND_VARIABLE`; the two paths must give
identical answers (a reduced test suite runs both ways).
"""

import contextlib
import contextvars
import math
import os

import flint
import sympy

from ..errors import InputError

__all__ = [
    "BACKEND_VARIABLE",
    "BACKENDS",
    "backend",
    "using",
    "use_flint",
    "flint_context",
    "to_flint",
    "from_flint",
    "expression_from_terms",
    "flint_rational",
    "sympy_rational",
    "flint_from_terms",
    "polys_to_flint",
    "flint_terms",
    "NotRationalError",
]

#: The environment variable that selects the backend of a whole process.
BACKEND_VARIABLE = "SINGULARITIES_BACKEND"
#: The backends: FLINT (fast, the default) and sympy (the reference path).
BACKENDS = ("flint", "sympy")

_ORDERS = {"grevlex": "degrevlex", "degrevlex": "degrevlex", "lex": "lex", "grlex": "deglex", "deglex": "deglex"}


def _from_environment():
    name = os.environ.get(BACKEND_VARIABLE, "flint").strip().lower() or "flint"
    if name not in BACKENDS:
        raise InputError(f"{BACKEND_VARIABLE}={name!r} is not a backend: set it to one of {', '.join(BACKENDS)}")
    return name


_BACKEND = contextvars.ContextVar("singularities_backend", default=None)


def backend():
    """The name of the polynomial backend in force: ``"flint"`` or ``"sympy"``.

    Examples
    --------
    >>> from singularities.algebra.backend import backend, using
    >>> with using("sympy"):
    ...     backend()
    'sympy'
    """
    name = _BACKEND.get()
    return _from_environment() if name is None else name


def use_flint():
    """Whether exact polynomial work should run on FLINT (the backend in force is ``"flint"``)."""
    return backend() == "flint"


@contextlib.contextmanager
def using(name):
    """Run a block with the polynomial backend ``name`` (``"flint"`` or ``"sympy"``).

    Examples
    --------
    >>> from singularities.algebra.backend import backend, using
    >>> with using("sympy"):
    ...     inner = backend()
    >>> inner, backend() in ("flint", "sympy")
    ('sympy', True)
    """
    if name not in BACKENDS:
        raise InputError(f"{name!r} is not a backend: use one of {', '.join(BACKENDS)}")
    token = _BACKEND.set(name)
    try:
        yield
    finally:
        _BACKEND.reset(token)


class NotRationalError(ValueError):
    """An expression is not a polynomial with rational coefficients in the given variables."""


def flint_context(count, order="grevlex", kind="fmpq"):
    """The FLINT polynomial context in ``count`` variables (named x0, x1, ...) with a sympy order name.

    Examples
    --------
    >>> from singularities.algebra.backend import flint_context
    >>> flint_context(2).names()
    ('x0', 'x1')
    """
    ring = flint.fmpq_mpoly_ctx if kind == "fmpq" else flint.fmpz_mpoly_ctx
    return ring.get(tuple(f"x{i}" for i in range(max(count, 1))), _ORDERS[order])


def flint_rational(value):
    """A sympy or Python rational as an ``fmpq`` (NotRationalError otherwise)."""
    if isinstance(value, (int, flint.fmpz)):
        return flint.fmpq(value)
    if isinstance(value, flint.fmpq):
        return value
    if isinstance(value, sympy.Rational):
        return flint.fmpq(int(value.p), int(value.q))
    value = sympy.sympify(value)
    if not value.is_Rational:
        raise NotRationalError(f"{value} is not a rational number")
    return flint.fmpq(int(value.p), int(value.q))


def sympy_rational(value):
    """An ``fmpq`` / ``fmpz`` (or int) as a sympy Rational.

    Examples
    --------
    >>> import flint
    >>> from singularities.algebra.backend import sympy_rational
    >>> sympy_rational(flint.fmpq(-3, 4))
    -3/4
    """
    value = flint.fmpq(value)
    return sympy.Rational(int(value.p), int(value.q))


def flint_from_terms(terms, count, order="grevlex"):
    """The ``fmpq_mpoly`` in ``count`` variables with the terms ``{exponent: rational coefficient}``.

    Examples
    --------
    >>> from singularities.algebra.backend import flint_from_terms
    >>> flint_from_terms({(2, 0): sympy.Rational(1, 2), (0, 1): 3}, 2)
    1/2*x0^2 + 3*x1
    """
    return flint_context(count, order).from_dict({tuple(e): flint_rational(c) for e, c in terms.items()})


def to_flint(exprs, variables, order="grevlex", context=None):
    """(context, [fmpq_mpoly]) for sympy polynomials with rational coefficients in ``variables``.

    Raises NotRationalError when a coefficient is not rational (a parameter,
    an algebraic number) or an expression is not a polynomial in ``variables``.

    Examples
    --------
    >>> from singularities.algebra.backend import from_flint, to_flint
    >>> x, y = sympy.symbols("x y")
    >>> ctx, (p,) = to_flint([(x + y/2)**2], (x, y))
    >>> p
    x0^2 + x0*x1 + 1/4*x1^2
    >>> from_flint(p, (x, y))
    x**2 + x*y + y**2/4
    """
    variables = tuple(variables)
    context = context or flint_context(len(variables), order)
    out = []
    for expr in exprs:
        try:
            poly = expr if isinstance(expr, sympy.Poly) else sympy.Poly(expr, *variables) if variables else None
        except sympy.PolynomialError as error:
            raise NotRationalError(str(error)) from None
        if poly is None:
            out.append(context.from_dict({(0,): flint_rational(expr)}))
            continue
        if tuple(poly.gens) != variables:
            poly = sympy.Poly(poly.as_expr(), *variables)
        if not (poly.domain.is_QQ or poly.domain.is_ZZ):
            raise NotRationalError(f"coefficients in {poly.domain}, not QQ")
        terms = {m: flint_rational(c) for m, c in poly.terms()}
        out.append(context.from_dict(terms) if terms else context.from_dict({}))
    return context, out


def from_flint(p, variables):
    """The sympy expression of an ``fmpq_mpoly`` / ``fmpz_mpoly`` in ``variables`` (in the context's order).

    Built term by term (a third of the time of going through ``sympy.Poly``);
    sympy's canonical form makes the result independent of the construction.
    """
    return expression_from_terms({m: sympy_rational(c) for m, c in p.to_dict().items()}, variables)


def expression_from_terms(terms, variables):
    """The sympy expression of a term dict ``{exponents: coefficient}`` (one flattening Mul per term, one Add).

    Examples
    --------
    >>> from singularities.algebra.backend import expression_from_terms
    >>> x, y = sympy.symbols("x y")
    >>> expression_from_terms({(2, 0): sympy.Rational(1, 2), (0, 3): -1}, (x, y))
    x**2/2 - y**3
    """
    variables = tuple(variables)
    return sympy.Add(
        *(sympy.Mul(c, *(sympy.Pow(v, e) for v, e in zip(variables, monomial) if e)) for monomial, c in terms.items())
    )


def polys_to_flint(polys, order="grevlex"):
    """(context, [fmpz_mpoly]) for sympy Polys over ZZ or QQ in common generators, scaled to primitive integer ones.

    Scaling by a non-zero rational changes no ideal, so this is the input of
    FLINT's integer Groebner basis routines.  Raises NotRationalError for any
    other domain (parameters, algebraic numbers).

    Examples
    --------
    >>> from singularities.algebra.backend import polys_to_flint
    >>> x, y = sympy.symbols("x y")
    >>> polys_to_flint([sympy.Poly(x/2 - y/3, x, y)])[1]
    [3*x0 - 2*x1]
    """
    count = len(polys[0].gens) if polys else 1
    context = flint_context(count, order, kind="fmpz")
    out = []
    for poly in polys:
        if not (poly.domain.is_QQ or poly.domain.is_ZZ):
            raise NotRationalError(f"coefficients in {poly.domain}, not QQ")
        terms = poly.rep.to_dict()
        if poly.domain.is_QQ:
            scale = math.lcm(*(int(c.denominator) for c in terms.values()))
            terms = {m: int(c.numerator) * (scale // int(c.denominator)) for m, c in terms.items()}
        else:
            terms = {m: int(c) for m, c in terms.items()}
        p = context.from_dict(terms)
        content = p.content()
        out.append(p if content in (0, 1) else p // content)
    return context, out


def flint_terms(p, domain, monic=True):
    """{exponents: coefficient in the sympy ``domain`` (QQ or ZZ)} of an ``fmpz_mpoly``.

    With ``monic`` the polynomial is first divided by its leading coefficient
    (over QQ), or made primitive with a positive leading coefficient (over ZZ).

    Examples
    --------
    >>> from singularities.algebra.backend import flint_context, flint_terms
    >>> x0, x1 = flint_context(2, kind="fmpz").gens()
    >>> flint_terms(4*x0 - 6*x1, sympy.QQ) == {(1, 0): sympy.QQ(1), (0, 1): sympy.QQ(-3, 2)}
    True
    """
    terms = p.to_dict()
    if not monic or not terms:
        return {tuple(m): domain(int(c)) for m, c in terms.items()}
    lead = int(p.leading_coefficient())
    if domain.is_ZZ:
        scale = int(p.content()) * (1 if lead > 0 else -1)
        return {tuple(m): domain(int(c) // scale) for m, c in terms.items()}
    return {tuple(m): domain(int(c), lead) for m, c in terms.items()}
