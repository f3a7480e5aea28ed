"""Benchmark: every critical point of lattices with 1-3 neighbour shells on the torus, FLINT path against sympy path.

Each lattice is analysed twice in this process, once under ``using("sympy")``
(the pure-Python reference path, the baseline) and once with the backend in
force (FLINT by default); figures are CPU seconds (``time.process_time``, so
other load on the machine does not count) and the ratio FLINT / sympy.  The
two answers are compared (``to_dict``): they must be equal.  Tuning has its
own benchmark, bench_tune.py.

Run:  python benchmarks/bench_torus.py [--slow] [--only TEXT] [--timeout S]
(the issue-14 target, the triangular lattice at its K point:  --slow --only "at K")
"""

import argparse
import time

from singularities.algebra.backend import using
from singularities.errors import TimeLimitError
from singularities.physics.torus import torus_critical_points

TRIANGULAR_1 = "-2*(cos(k1) + cos(k2) + cos(k1 - k2))"
TRIANGULAR_2 = "(cos(k1 + k2) + cos(2*k1 - k2) + cos(2*k2 - k1))"
TRIANGULAR_3 = "(cos(2*k1) + cos(2*k2) + cos(2*k1 - 2*k2))"
LATTICES = [  # (name, shells, f)
    ("chain", 1, "-2*cos(k)"),
    ("chain, A3 bottom", 2, "-2*cos(k) + cos(2*k)/2"),
    ("chain, A2 folds", 3, "-2*cos(k) - cos(2*k) - cos(3*k)/3"),
    ("square", 1, "-2*cos(kx) - 2*cos(ky)"),
    ("square, tp = t", 2, "-2*(cos(kx) + cos(ky)) - 4*cos(kx)*cos(ky)"),
    ("square, tp = t/2 (lines)", 2, "-2*(cos(kx) + cos(ky)) - 2*cos(kx)*cos(ky)"),
    ("triangular", 1, TRIANGULAR_1),
    ("honeycomb, upper band", 1, "sqrt(3 + 2*(cos(k1) + cos(k2) + cos(k1 - k2)))"),
    ("cubic", 1, "-2*(cos(x) + cos(y) + cos(z))"),
]
SLOW_LATTICES = [
    ("square, tp = 1/4, tpp = 1/8", 3, "-2*(cos(kx) + cos(ky)) - cos(kx)*cos(ky) - (cos(2*kx) + cos(2*ky))/4"),
    ("triangular, t2 = t/6 (D4- at K)", 2, f"{TRIANGULAR_1} - {TRIANGULAR_2}/3"),
    ("triangular, t2 = t (6 saddles)", 2, f"{TRIANGULAR_1} - 2*{TRIANGULAR_2}"),
    ("triangular, t3 = -1/4", 3, f"{TRIANGULAR_1} + {TRIANGULAR_3}/2"),
    ("cubic, t2 = 1/4", 2, "-2*(cos(x) + cos(y) + cos(z)) - (cos(x)*cos(y) + cos(y)*cos(z) + cos(z)*cos(x))"),
]


def run(f, timeout):
    """(CPU seconds, to_dict of the answer, or the stage where the time limit stopped it)."""
    start = time.process_time()
    try:
        outcome = torus_critical_points(f, timeout=timeout).to_dict()
    except TimeLimitError as error:
        outcome = f"time limit ({error.stage})"
    return time.process_time() - start, outcome


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slow", action="store_true", help="also 2-3 shell lattices with degenerate points (minutes)")
    parser.add_argument("--only", default="", help="only the lattices whose name contains this text")
    parser.add_argument("--timeout", type=float, default=600.0, help="time limit per call, seconds (wall)")
    args = parser.parse_args(argv)
    print(f"{'torus_critical_points':34} {'shells':>6} {'sympy s':>8} {'flint s':>8} {'ratio':>6}  points  agree")
    total, base = 0.0, 0.0
    for name, shells, f in LATTICES + (SLOW_LATTICES if args.slow else []):
        if args.only not in name:
            continue
        with using("sympy"):
            baseline, expected = run(f, args.timeout)
        elapsed, found = run(f, args.timeout)
        total, base = total + elapsed, base + baseline
        points = len(found["points"]) if isinstance(found, dict) else found
        ratio = elapsed / baseline
        print(f"{name:34} {shells:6d} {baseline:8.2f} {elapsed:8.2f} {ratio:6.2f}  {points}  {found == expected}")
    print(f"{'total':34} {'':6} {base:8.2f} {total:8.2f} {total / base:6.2f}")
    print("\nCPU seconds; ratio = FLINT path / sympy path (using('sympy')) in the same run")


if __name__ == "__main__":
    main()
