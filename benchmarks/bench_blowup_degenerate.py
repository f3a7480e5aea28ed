"""Benchmark: degenerate losses that need coordinate changes, through the blow-up search and through rlct's auto mode.

Each case is a plane-curve germ f in disguise (a polynomial change of coordinates with Jacobian 1 turns it into a
quasi-homogeneous germ with an isolated critical point, or a Newton non-degenerate one), given as f or as K = f^2,
or an ideal whose value follows from a hand derivation; the truth column is derived in the comment of each row.
For each: the status and (lambda, m) of ``rlct(..., method="blowup")`` and of ``rlct(...)`` (auto), their CPU
seconds (``time.process_time``), and whether the answer is the truth.  A proven answer that differs from the
truth is an error of the package and is flagged "WRONG".

Run:  python benchmarks/bench_blowup_degenerate.py [--timeout SECONDS] [--methods blowup,auto]
"""

import argparse
import pathlib
import sys
import time

import sympy

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]  # this checkout's package

import singularities as sg  # noqa: E402

R = sympy.Rational

# (g, lambda, m).  f sign-changing with quasi-homogeneous core of weights (w1, w2) and an isolated critical point:
# lambda_f = min(1, w1 + w2), m = 1 (theorem Q; d < 1 in every row); K = f^2 halves lambda, same m.
CASES = [
    ("(x + y**2)**3 + y**7", R(10, 21), 1),  # x -> x - y^2: E12 x^3 + y^7, d = 1/3 + 1/7
    ("((x + y**2)**3 + y**7)**2", R(5, 21), 1),  # its square: 10/21 / 2 (issue 17: auto gave 1/4)
    ("((x - y**2)**2 + y**5)**2", R(7, 20), 1),  # A4 x^2 + y^5, d = 7/10, squared
    ("((x + y**2)**3 + y**8)**2", R(11, 48), 1),  # x^3 + y^8, d = 11/24, squared
    ("((x + y + y**2)**2 - y**3)**2", R(5, 12), 1),  # A2 x^2 - y^3, d = 5/6, squared
    ("((x + y**3)**2 + y**7)**2", R(9, 28), 1),  # A6 x^2 + y^7, d = 9/14, squared
    ("((x - y**2)**3 + (x - y**2)*y**5)**2", R(7, 30), 1),  # E13 x^3 + x y^5, weights (1/3, 2/15), squared
    ("(x - y**2 - y**3 - y**4)**3 + y**13", R(16, 39), 1),  # three face changes: x^3 + y^13, d = 16/39
    ("((x - y**2 - y**3 - y**4)**3 + y**13)**2", R(8, 39), 1),  # its square
    ("(x - y**2 - y**3)**2 + y**7", R(9, 14), 1),  # two face changes: A6, d = 9/14 (K >= 0 here, f = K)
    # (u^2 - y^5)(u + 2y + y^2), u = x - y - y^2: Newton edge 5a + 2b = 12 hit by the diagonal at t = 12/7, face
    # polynomial 2y(u^2 - y^5) without singular torus zeros, 1/t < 1: N2 gives (7/12, 1)
    ("((x - y - y**2)**2 - y**5)*(x + y)", R(7, 12), 1),
    ("(x + y**2)**2 + y**6", R(2, 3), 1),  # ideal (u, y^3): 1/2 + 1/6
    ("(x - y**2)**4 + y**6", R(5, 12), 1),  # u^4 + y^6 non-degenerate: 1/4 + 1/6
    # ideal (x - y, xy - z^2) = (u, y^2 - z^2) with u = x - y: u^2 gives (1/2, 1), (y^2 - z^2)^2 gives (1/2, 2)
    # (the saddle y^2 - z^2 has (1, 2)); lambda adds, m = 1 + 2 - 1 = 2
    ("(x - y)**2 + (x*y - z**2)**2", R(1), 2),
    # a cone: after the point blow-up (chart z) K = z^4 ((x^2 + y^2 - 2)^2 + (x - y)^4), the strict transform u^2 + v^4
    # at (1, 1, 0) (two non-zero coordinates) crossing z^4 with Jacobian z^2: min(3/4, 1/2 + 1/4), m = 1 + 1
    ("(x**2 + y**2 - 2*z**2)**2 + (x - y)**4", R(3, 4), 2),
]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--methods", default="blowup,auto")
    args = parser.parse_args(argv)
    methods = args.methods.split(",")
    print("| g | truth | " + " | ".join(f"{m} | {m} s" for m in methods) + " |")
    print("|---|---|" + "---|---|" * len(methods))
    totals = {m: 0 for m in methods}
    for g, threshold, multiplicity in CASES:
        cells = []
        for method in methods:
            start = time.process_time()
            result = sg.rlct(g, method=method, timeout=args.timeout)
            seconds = time.process_time() - start
            proven = result.status is sg.Status.PROVEN
            right = (result.threshold, result.multiplicity) == (threshold, multiplicity)
            totals[method] += proven and right
            mark = "" if not proven else (" ok" if right else " WRONG")
            text = f"{result.status.value} ({result.threshold}, {result.multiplicity}){mark}"
            cells.append(f"{text} | {seconds:.2f}")
        print(f"| `{g}` | ({threshold}, {multiplicity}) | " + " | ".join(cells) + " |", flush=True)
    print("\nproven and right: " + ", ".join(f"{m} {totals[m]}/{len(CASES)}" for m in methods))


if __name__ == "__main__":
    main()
