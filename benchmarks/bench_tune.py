"""Benchmark: tune() on the lattices of docs/lattices.md, FLINT path against the sympy path in the same run.

Each case runs twice in this process, once under ``using("sympy")`` (the
pure-Python reference path, the baseline) and once with the backend in
force (FLINT by default); the figure is CPU seconds (``time.process_time``,
so other load on the machine does not count) and the ratio FLINT / sympy.
A case that reaches the time limit prints the stage it stopped in (a sympy
baseline that stopped is named after the FLINT outcome, and the ratio is then
an upper bound).  The conditions found by the two paths are compared: they
must be equal.

Run:  python benchmarks/bench_tune.py [--timeout S] [--only NAME ...] [--flint-only]
"""

import argparse
import time

from singularities.algebra.backend import using
from singularities.errors import TimeLimitError
from singularities.physics.tune import STRATA, tune

SQUARE = "-2*t*(cos(kx) + cos(ky)) - 4*tp*cos(kx)*cos(ky)"
TRIANGULAR_2 = "-2*t*(cos(k1) + cos(k2) + cos(k1 - k2)) - 2*t2*(cos(k1 + k2) + cos(2*k1 - k2) + cos(2*k2 - k1))"
CASES = [
    ("square (t')", SQUARE, "t=1,tp"),
    ("square (t', t'')", SQUARE + " - 2*tpp*(cos(2*kx) + cos(2*ky))", "t=1,tp,tpp"),
    (
        "triangular (t3)",
        "-2*t*(cos(k1) + cos(k2) + cos(k1 - k2)) - 2*t3*(cos(2*k1) + cos(2*k2) + cos(2*k1 - 2*k2))",
        "t=1,t3",
    ),
    ("cubic (t3)", "-2*t*(cos(x) + cos(y) + cos(z)) - 8*t3*cos(x)*cos(y)*cos(z)", "t=1,t3"),
    ("triangular K (t2)", TRIANGULAR_2, "t=1,t2", {"point": "2*pi/3,4*pi/3", "torus": False}),
    ("triangular M (t2)", TRIANGULAR_2, "t=1,t2", {"point": "pi,0", "torus": False}),
]


def run(f, parameters, timeout, options):
    """(CPU seconds, conditions per stratum or the stage where the time limit stopped it)."""
    start = time.process_time()
    try:
        found = tune(f, parameters, timeout=timeout, **options)
        outcome = tuple(found.conditions(s) for s in STRATA)
    except TimeLimitError as error:
        outcome = f"time limit ({error.stage})"
    return time.process_time() - start, outcome


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=120.0, help="time limit per call, seconds (wall)")
    parser.add_argument("--only", nargs="*", help="run only the cases whose name starts with one of these")
    parser.add_argument("--flint-only", action="store_true", help="skip the sympy baseline")
    args = parser.parse_args(argv)
    print(f"{'tune':20} {'sympy s':>8} {'flint s':>8} {'ratio':>6}  conditions (degenerate; corank 2; A3)")
    for name, f, parameters, *options in CASES:
        options = options[0] if options else {}
        if args.only and not any(name.startswith(o) for o in args.only):
            continue
        if args.flint_only:
            base, expected = float("nan"), None
        else:
            with using("sympy"):
                base, expected = run(f, parameters, args.timeout, options)
        elapsed, outcome = run(f, parameters, args.timeout, options)
        agree = "" if expected is None or expected == outcome or isinstance(expected, str) else "  DIFFERENT"
        agree += f"  (sympy: {expected})" if isinstance(expected, str) else ""
        print(f"{name:20} {base:8.2f} {elapsed:8.2f} {elapsed / base:6.2f}  {outcome}{agree}", flush=True)
    print("\nCPU seconds; ratio = FLINT path / sympy path (using('sympy')) in the same run")


if __name__ == "__main__":
    main()
