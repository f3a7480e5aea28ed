"""Benchmark: grid points per second of dos_curve (linear tetrahedron method) in 1D, 2D and 3D.

Each case is timed end to end (parse, periodicity check, grid evaluation,
the DOS on the fine grid and on the half grid, the error envelope).  The
baseline, measured in the same run on the same grid, is the time plain numpy
needs to evaluate the lambdified f on every grid point (a dense meshgrid, no
DOS at all); the ratio says how many such evaluations one DOS curve costs.
Absolute times depend on the (shared, noisy) machine.

Run:  python benchmarks/bench_dos_curve.py [--repeats N] [--bins B]
"""

import argparse
import math

import numpy as np
import sympy
from _timing import median_time

from singularities.numeric.dos_curve import dos_curve

CASES = {
    "1D chain": ("-2*cos(x)", "x", 32768),
    "2D square": ("-2*(cos(x) + cos(y)) - cos(x)*cos(y)/2", "x,y", 512),
    "3D simple cubic": ("-2*(cos(x) + cos(y) + cos(z)) + cos(x + y)/4", "x,y,z", 64),
}


def evaluate_on_grid(function, n, size):
    """Plain numpy: f at every point of the periodic size^n grid (dense coordinates)."""
    axis = np.arange(size) * (2 * math.pi / size)
    return function(*np.meshgrid(*([axis] * n), indexing="ij"))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--bins", type=int, default=400)
    args = parser.parse_args(argv)
    header = f"{'case':16} {'grid':>14} {'points':>9} {'eval s':>8} {'dos s':>8} {'ratio':>7} {'points/s':>10}"
    print(header)
    print("-" * len(header))
    for name, (text, names, size) in CASES.items():
        variables = sympy.symbols(names.replace(",", " "), seq=True)
        n = len(variables)
        function = sympy.lambdify(variables, sympy.sympify(text), "numpy")
        baseline = median_time(lambda: evaluate_on_grid(function, n, size), args.repeats)
        seconds = median_time(lambda: dos_curve(text, variables=names, grid=size, bins=args.bins), args.repeats)
        points = size**n
        print(
            f"{name:16} {' x '.join([str(size)] * n):>14} {points:9d} {baseline:8.4f} {seconds:8.3f} "
            f"{seconds / baseline:7.0f} {points / seconds:10.3g}"
        )
    print(
        f"\nratio = dos_curve time / time to evaluate f on the same grid with numpy (same run); {args.bins} energies;"
        "\npoints/s = grid points / dos_curve time (fine grid; the half grid and the error envelope included)."
    )


if __name__ == "__main__":
    main()
