"""Benchmark: the hot exact operations of issue 14 on FLINT against sympy, in the same run.

Each row times one operation on sympy (the reference path) and on python-flint,
on the same input in the same process; read the ratios sympy / FLINT ("ratio":
the FLINT operation alone; "+conv": with the conversions) as absolute times
depend on the shared, noisy machine.  "FLINT + conversion" adds the
conversion of the input from sympy (``algebra.backend.to_flint``, once per
computation) and of the answer back, as a computation of the package pays it;
the Groebner rows run ``algebra.polys.groebner_basis`` end to end on both
backends (``backend.using``).  Every row checks that the two answers agree.

Rows: expanding a D8 germ with three Morse variables composed with a random
polynomial change of coordinates, and its 9-jet; ||B A||^2 for 3 x 3 matrices
of symbols; reduced Groebner bases of Jacobian ideals of seeded random quartics
and quintics in three variables; a resultant of two bivariate polynomials;
factoring a 729-term polynomial; real-root isolation of a degree-60 polynomial.

sympy caches expansions: every sympy-side call starts from a cleared cache.

Run:  PYTHONPATH=. python benchmarks/bench_algebra.py [--repeats N]
"""

import argparse
import random

import flint
import sympy
from _timing import median_time
from sympy.core.cache import clear_cache

from singularities.algebra.backend import from_flint, to_flint, using
from singularities.algebra.polys import groebner_basis


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"{'operation':<44} {'sympy (s)':>10} {'FLINT (s)':>10} {'+conv (s)':>10} {'ratio':>7} {'+conv':>7}")
    for name, sympy_side, flint_side, convert_side in _rows():
        assert _agree(sympy_side(), convert_side()), f"{name}: the two backends disagree"
        slow = median_time(lambda: (clear_cache(), sympy_side()), args.repeats)
        fast = median_time(flint_side, args.repeats)
        whole = median_time(convert_side, args.repeats)
        print(f"{name:<44} {slow:10.4f} {fast:10.5f} {whole:10.5f} {slow / fast:7.0f} {slow / whole:7.0f}")


def _rows():
    yield _composed_d8()
    yield _composed_d8(jet=9)
    yield _ba_norm()
    for degree, seed in ((4, 1), (4, 2), (5, 3)):
        yield _jacobian_groebner(degree, seed)
    yield _resultant()
    yield _factor_729()
    yield _real_roots_60()


def _composed_d8(jet=None):
    """D8 = x^2 y + y^7 plus u1^2 + u2^2 + u3^2, after x -> x + y^2 + u1 u2, y -> y + x u3 - u2^2, u1 -> u1 + x y."""
    x, y, u1, u2, u3 = variables = sympy.symbols("x y u1 u2 u3")
    germ = x**2 * y + y**7 + u1**2 + u2**2 + u3**2
    change = {x: x + y**2 + u1 * u2, y: y + x * u3 - u2**2, u1: u1 + x * y}
    composed = germ.xreplace(change)

    def truncate(expr):
        poly = sympy.Poly(expr, *variables)
        return (
            poly if jet is None else sympy.Poly.from_dict({m: c for m, c in poly.terms() if sum(m) <= jet}, *variables)
        )

    def on_sympy():
        return truncate(sympy.expand(composed))

    context, (flint_germ, *images) = to_flint([germ, *[change.get(v, v) for v in variables]], variables)

    def on_flint():
        result = flint_germ.compose(*images)
        return (
            result if jet is None else context.from_dict({m: c for m, c in result.to_dict().items() if sum(m) <= jet})
        )

    def with_conversion():
        _, (g, *vs) = to_flint([germ, *[change.get(v, v) for v in variables]], variables)
        result = g.compose(*vs)
        if jet is not None:
            result = context.from_dict({m: c for m, c in result.to_dict().items() if sum(m) <= jet})
        return from_flint(result, variables)

    name = "expand composed D8 + 3 Morse" if jet is None else f"{jet}-jet of the composed D8 + 3 Morse"
    return name, on_sympy, on_flint, with_conversion


def _ba_norm():
    """||B A||^2 = sum of the squared entries of B A for 3 x 3 matrices of 18 symbols."""
    b = sympy.Matrix(3, 3, sympy.symbols("b0:9"))
    a = sympy.Matrix(3, 3, sympy.symbols("a0:9"))
    variables = tuple(b) + tuple(a)

    def on_sympy():
        return sympy.expand(sum(e**2 for e in b * a))

    context, gens = to_flint(list(variables), variables)
    fb, fa = gens[:9], gens[9:]

    def product_norm(fb, fa):
        entries = [sum(fb[3 * i + k] * fa[3 * k + j] for k in range(3)) for i in range(3) for j in range(3)]
        return sum(e * e for e in entries)

    def on_flint():
        return product_norm(fb, fa)

    def with_conversion():
        _, g = to_flint(list(variables), variables)
        return from_flint(product_norm(g[:9], g[9:]), variables)

    return "||B A||^2, 3x3x3", on_sympy, on_flint, with_conversion


def _jacobian_groebner(degree, seed):
    """The reduced grevlex basis of the Jacobian ideal of a seeded random polynomial in three variables."""
    rng = random.Random(seed)
    variables = sympy.symbols("x y z")
    monomials = [m for m in _exponents(3, degree) if 2 <= sum(m)]
    f = sum(rng.randint(-5, 5) * sympy.Mul(*(v**e for v, e in zip(variables, m))) for m in rng.sample(monomials, 9))
    jacobian = [sympy.diff(f, v) for v in variables]

    def on_sympy():
        with using("sympy"):
            return groebner_basis(jacobian, variables).exprs

    def on_flint():
        return groebner_basis(jacobian, variables).exprs

    return f"Groebner, Jacobian ideal, degree {degree} (#{seed})", on_sympy, on_flint, on_flint


def _resultant():
    """Res_x of two random bivariate polynomials of degree 6 (the eliminant of a curve pair)."""
    rng = random.Random(7)
    x, y = variables = sympy.symbols("x y")
    p, q = (
        sum(rng.randint(-9, 9) * x**i * y**j for i in range(7) for j in range(7 - i) if rng.random() < 0.7)
        for _ in range(2)
    )

    def on_sympy():
        return sympy.resultant(p, q, x)

    _, (fp, fq) = to_flint([p, q], variables)

    def on_flint():
        return fp.resultant(fq, "x0")

    def with_conversion():
        _, (a, b) = to_flint([p, q], variables)
        return from_flint(a.resultant(b, "x0"), variables)

    return "resultant of two degree-6 curves", on_sympy, on_flint, with_conversion


def _factor_729():
    """Factoring g h for g, h dense of degree 4 in each of x, y, z (the product has 9^3 = 729 terms)."""
    rng = random.Random(5)
    variables = sympy.symbols("x y z")
    g, h = (
        sum(
            rng.randint(1, 9) * sympy.Mul(*(v**e for v, e in zip(variables, m)))
            for m in _exponents(3, 12)
            if max(m) <= 4
        )
        for _ in range(2)
    )
    product = sympy.expand(g * h)
    assert len(sympy.Poly(product, *variables).terms()) == 729

    def on_sympy():
        return sympy.factor_list(product, *variables)[1]

    _, (fp,) = to_flint([product], variables, order="lex")

    def on_flint():
        return fp.factor()

    def with_conversion():
        _, (p,) = to_flint([product], variables, order="lex")
        return [(from_flint(f, variables), k) for f, k in p.factor()[1]]

    return "factor a 729-term polynomial", on_sympy, on_flint, with_conversion


def _real_roots_60():
    """Isolating the real roots of a degree-60 integer polynomial (a product of 30 quadratics, plus 1)."""
    rng = random.Random(11)
    t = sympy.Symbol("t")
    quadratics = [t**2 - rng.randint(1, 400) for _ in range(10)] + [t**2 + rng.randint(1, 400) for _ in range(20)]
    poly = sympy.Poly(sympy.expand(sympy.Mul(*quadratics)) + 1, t)

    def on_sympy():
        return len(poly.intervals())

    coefficients = [int(c) for c in reversed(poly.all_coeffs())]
    fpoly = flint.fmpz_poly(coefficients)

    def on_flint():
        return fpoly.complex_roots()

    def with_conversion():
        roots = flint.fmpz_poly([int(c) for c in reversed(poly.all_coeffs())]).complex_roots()
        # arb lists the real roots of an integer polynomial first, with an imaginary part exactly 0
        return sum(1 for r, _ in roots if r.imag == 0)

    return "real roots, degree 60", on_sympy, on_flint, with_conversion


def _agree(expected, got):
    """Whether two answers agree: polynomial expressions by their difference, anything else by equality."""
    if isinstance(expected, sympy.Expr):
        return sympy.expand(expected - got) == 0
    if isinstance(expected, list) and expected and isinstance(expected[0], tuple):  # factors, up to constants
        return _factor_key(expected) == _factor_key(got)
    return expected == got


def _factor_key(factors):
    """The factors as sorted (primitive integer polynomial, multiplicity): FLINT's are monic, sympy's primitive."""
    return sorted((sympy.sstr(sympy.Poly(f).clear_denoms()[1].primitive()[1].as_expr()), k) for f, k in factors)


def _exponents(count, degree):
    if count == 0:
        yield ()
        return
    for first in range(degree + 1):
        for rest in _exponents(count - 1, degree - first):
            yield (first, *rest)


if __name__ == "__main__":
    main()
