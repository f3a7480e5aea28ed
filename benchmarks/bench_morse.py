"""Benchmark: the Morse fast path of rlct (theorem Q at a full-rank Hessian) against Newton's method.

For a sum of n squares, rlct's auto mode settles lambda = n/2, m = 1 by
theorem Q once the exact Hessian has full rank; Newton's method enumerates
the 2^n - 1 faces of the polyhedron.  Both run in the same process, so the
ratio newton / auto is the figure to read (absolute times depend on the
shared, noisy machine).  Newton's method is timed up to n = --max-newton.

Run:  python benchmarks/bench_morse.py [--repeats N] [--max-newton N]
"""

import argparse

import sympy
from _timing import median_time

from singularities import rlct


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--max-newton", type=int, default=8)
    args = parser.parse_args()
    print(f"{'n':>3} {'auto (s)':>9} {'newton (s)':>11} {'newton/auto':>12}  pair")
    for n in (4, 6, 8, 12, 30):
        variables = sympy.symbols(f"x1:{n + 1}")
        g = sum(v**2 for v in variables)
        result = rlct(g, variables=variables)
        auto = median_time(lambda: rlct(g, variables=variables), args.repeats)
        if n <= args.max_newton:
            newton = median_time(lambda: rlct(g, variables=variables, method="newton"), 1)
            ratio = f"{newton / auto:12.1f}"
            newton_text = f"{newton:11.3f}"
        else:
            newton_text, ratio = f"{'(skipped)':>11}", f"{'':>12}"
        pair = f"({result.threshold}, {result.multiplicity}) {result.status.value} by {result.method}"
        print(f"{n:3d} {auto:9.3f} {newton_text} {ratio}  {pair}")


if __name__ == "__main__":
    main()
