"""Benchmark: every critical point of the lattice examples on the torus, and tuning.

Figures are medians over repeats, reported as ratios against a baseline
measured in the same run on the same input: sympy's exact Hessian of f at
the origin and its rank (the least any analysis of one point must do).

Run:  python benchmarks/bench_torus.py [--repeats N] [--slow]
"""

import argparse

import sympy
from _timing import median_time

from singularities.energy import Energy
from singularities.physics.torus import torus_critical_points
from singularities.physics.tune import tune

LATTICES = [
    ("chain", "-2*cos(k)"),
    ("chain, A3 bottom", "-2*cos(k) + cos(2*k)/2"),
    ("square", "-2*cos(kx) - 2*cos(ky)"),
    ("square, tp = t", "-2*(cos(kx) + cos(ky)) - 4*cos(kx)*cos(ky)"),
    ("square, tp = t/2 (lines)", "-2*(cos(kx) + cos(ky)) - 2*cos(kx)*cos(ky)"),
    ("triangular", "-2*(cos(k1) + cos(k2) + cos(k1 - k2))"),
    ("honeycomb, upper band", "sqrt(3 + 2*(cos(k1) + cos(k2) + cos(k1 - k2)))"),
    ("cubic", "-2*(cos(x) + cos(y) + cos(z))"),
]
SLOW_LATTICES = [
    (
        "triangular, t2 = t/6 (D4-)",
        "-2*(cos(k1) + cos(k2) + cos(k1 - k2)) - (cos(k1 + k2) + cos(2*k1 - k2) + cos(2*k2 - k1))/3",
    ),
    (
        "triangular, t2 = t (6 saddles)",
        "-2*(cos(k1) + cos(k2) + cos(k1 - k2)) - 2*(cos(k1 + k2) + cos(2*k1 - k2) + cos(2*k2 - k1))",
    ),
]
TUNINGS = [
    ("chain t2", "-2*t*cos(k) - 2*t2*cos(2*k)", "t=1,t2", {}),
    ("square t, tp", "-2*t*(cos(kx) + cos(ky)) - 4*tp*cos(kx)*cos(ky)", "t,tp", {}),
    (
        "triangular M point",
        "-2*t*(cos(k1) + cos(k2) + cos(k1 - k2)) - 2*t2*(cos(k1 + k2) + cos(2*k1 - k2) + cos(2*k2 - k1))",
        "t=1,t2",
        {"point": "pi,0", "torus": False},
    ),
]
SLOW_TUNINGS = [
    ("chain t2, t3", "-2*t*cos(k) - 2*t2*cos(2*k) - 2*t3*cos(3*k)", "t=1,t2,t3", {}),
    ("triangular K point", TUNINGS[2][1], "t=1,t2", {"point": "2*pi/3,4*pi/3", "torus": False}),
]


def hessian_rank(f, parameters=None):
    energy = Energy(f, parameters=parameters)
    origin = {v: 0 for v in energy.variables}
    expr = energy.expr.xreplace({p: 1 for p in energy.free_parameters})
    return sympy.hessian(expr, energy.variables).xreplace(origin).rank()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--slow", action="store_true", help="also the D4 lattices and two-parameter tunings (minutes)")
    args = parser.parse_args(argv)
    print(f"{'torus_critical_points':32} {'time s':>8} {'ratio':>8}  points  Morse sum")
    total, base = 0.0, 0.0
    for name, f in LATTICES + (SLOW_LATTICES if args.slow else []):
        baseline = median_time(lambda: hessian_rank(f), args.repeats)
        repeats = args.repeats if (name, f) in LATTICES else 1
        elapsed = median_time(lambda: torus_critical_points(f), repeats)
        found = torus_critical_points(f)
        total, base = total + elapsed, base + baseline
        print(f"{name:32} {elapsed:8.3f} {elapsed / baseline:8.0f}  {len(found.points):6d}  {found.morse_sum}")
    print(f"{'total':32} {total:8.3f} {total / base:8.0f}")
    print(f"\n{'tune':32} {'time s':>8} {'ratio':>8}  conditions")
    for name, f, parameters, options in TUNINGS + (SLOW_TUNINGS if args.slow else []):
        baseline = median_time(lambda: hessian_rank(f, parameters), args.repeats)
        elapsed = median_time(lambda: tune(f, parameters, **options), 1)
        conditions = ", ".join(tune(f, parameters, **options).conditions())
        print(f"{name:32} {elapsed:8.3f} {elapsed / baseline:8.0f}  {conditions}")
    print("\nratio = time / time for sympy's exact Hessian of f at the origin and its rank (same run)")


if __name__ == "__main__":
    main()
