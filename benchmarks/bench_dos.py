"""Benchmark: local DOS asymptotics (exponent, C_+, C_-) for every simple 2D type and the unimodal cores.

For each function the time of ``dos_asymptotics`` is reported as a ratio
against ``classify`` on the same input in the same run (the classification is
the step every DOS computation starts with, so the ratio is the price of the
prefactors).  The closed-form (Gamma function) path and the 30-digit
quadrature path (X9, J10 with general moduli) are listed separately.

Run:  python benchmarks/bench_dos.py [--repeats N]
"""

import argparse

from _timing import median_time

from singularities import classify, dos_asymptotics

CASES = [
    "x**3 + y**2",
    "x**5 - y**2",
    "x**7 + y**2",
    "x**2*y - y**3",
    "x**2*y + y**4",
    "x**2*y - y**5",
    "x**3 + y**4",
    "x**3 + x*y**3",
    "x**3 + y**5",
    "(x + 2*y)**3 + y**4 + x**2*y**3",
    "x**4 + y**4 + z**2 - w**2",
    "x**4 + x**2*y**2 + y**4",
    "x**4 - 3*x**2*y**2 + y**4",
    "x**3 + x*y**4 + y**6",
]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"{'function':34} {'type':8} {'path':10} {'classify s':>10} {'dos s':>8} {'ratio':>6}")
    for function in CASES:
        base = median_time(lambda: classify(function), args.repeats)
        result = dos_asymptotics(function)
        elapsed = median_time(lambda: dos_asymptotics(function), args.repeats)
        path = "closed" if result.exact else "quadrature"
        print(f"{function:34} {result.label:8} {path:10} {base:10.3f} {elapsed:8.3f} {elapsed / base:6.2f}")


if __name__ == "__main__":
    main()
