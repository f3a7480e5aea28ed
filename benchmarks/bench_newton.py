"""Benchmark: Newton polyhedra of typical inputs (up to 8 variables, a few hundred monomials).

Figures are medians over repeats, reported as ratios against a baseline
measured in the same run on the same input: the time sympy needs to expand
the input into a Poly and list its terms (the cost of merely reading the
polynomial).  Absolute times are shown too, to check the "well under a
second" target, but they depend on the (shared, noisy) machine.

Run:  python benchmarks/bench_newton.py [--repeats N]
"""

import argparse
import random
import time

import sympy
from _timing import median_time

from singularities import nondegeneracy, rlct
from singularities.polyhedra.newton import polyhedron_from_terms


def random_polynomial(n, count, low, high, seed):
    """A seeded random polynomial in n variables with `count` monomials of degree low..high."""
    rng = random.Random(seed)
    variables = sympy.symbols(f"x1:{n + 1}")
    terms = {}
    while len(terms) < count:
        exponent = [0] * n
        for _ in range(rng.randint(low, high)):
            exponent[rng.randrange(n)] += 1
        terms[tuple(exponent)] = rng.choice([-3, -2, -1, 1, 2, 3])
    return variables, sympy.Add(*(c * sympy.Mul(*(v**e for v, e in zip(variables, ex))) for ex, c in terms.items()))


def reduced_rank_regression():
    """K = ||B A - B0 A0||^2 for 2x2 matrices with B0 A0 of rank 1, at the true parameter (A0, B0)."""
    a, b = sympy.symbols("a1:5"), sympy.symbols("b1:5")
    a0, b0 = sympy.Matrix([[1, 0], [0, 0]]), sympy.Matrix([[1, 0], [0, 0]])
    shift = dict(zip(a, a0)) | dict(zip(b, b0))
    product = sympy.Matrix(2, 2, [b[i] + shift[b[i]] for i in range(4)]) * sympy.Matrix(
        2, 2, [a[i] + shift[a[i]] for i in range(4)]
    )
    K = sum(e**2 for e in (product - b0 * a0))
    return a + b, sympy.expand(K)


CASES = {
    "E6 + Morse, 4 vars": (sympy.symbols("x y z w"), sympy.sympify("x**3 + y**4 + z**2 + w**2 + x*y**3")),
    "RRR 2x2 loss, 8 vars": reduced_rank_regression(),
    "random 6 vars, 200 terms": random_polynomial(6, 200, 2, 6, seed=1),
    "random 8 vars, 200 terms": random_polynomial(8, 200, 2, 6, seed=1),
    "random 8 vars, 300 terms deg 4-8": random_polynomial(8, 300, 4, 8, seed=2),
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    header = (
        f"{'input':34} {'terms':>5} {'facets':>6} {'faces':>6} {'read s':>8} {'poly s':>8} {'ratio':>6} "
        f"{'faces s':>8} {'ratio':>6} {'nondeg s':>9}"
    )
    print(header)
    print("-" * len(header))
    for name, (variables, g) in CASES.items():

        def read():
            return dict(sympy.Poly(g, *variables).terms())

        raw = read()
        terms = {tuple(map(int, e)): c for e, c in raw.items()}
        baseline = median_time(read, args.repeats)
        polyhedron = polyhedron_from_terms(variables, terms)
        build = median_time(lambda: polyhedron_from_terms(variables, terms), args.repeats)
        faces = polyhedron.faces()
        enumerate_faces = median_time(polyhedron.faces, max(1, args.repeats // 2))
        compact = sum(1 for f in faces if f.compact and f.dimension > 0)
        if compact <= 60:
            start = time.perf_counter()
            nondegeneracy(polyhedron, timeout=60)
            nondeg = f"{time.perf_counter() - start:9.3f}"
        else:
            nondeg = f"{'(' + str(compact) + ' faces)':>9}"
        print(
            f"{name:34} {len(terms):5d} {len(polyhedron.facets):6d} {len(faces):6d} {baseline:8.4f} {build:8.4f} "
            f"{build / baseline:6.2f} {enumerate_faces:8.4f} {enumerate_faces / baseline:6.2f} {nondeg}"
        )
    print(
        "\nratio = time / time to read the same polynomial into sympy (same run); "
        "'poly' = vertices, facets, Newton distance, principal face; 'faces' = the whole face lattice."
    )
    print("\nrlct() end to end (parse, expand, polyhedron, non-degeneracy, theorem):")
    for name in ("E6 + Morse, 4 vars", "RRR 2x2 loss, 8 vars"):
        variables, g = CASES[name]
        baseline = median_time(lambda: sympy.Poly(g, *variables).terms(), args.repeats)
        seconds = median_time(lambda: rlct(g, variables=variables, timeout=120), max(1, args.repeats // 2))
        result = rlct(g, variables=variables, timeout=120)
        print(f"  {name:30} {seconds:8.3f} s  ratio {seconds / baseline:9.0f}  -> {result!r}")


if __name__ == "__main__":
    main()
