"""Benchmark: time to a resolution certificate for reduced rank regression of growing size.

K = ||B A - B0 A0||^2 with A of size H x M and B of size N x H, true rank r
(B0 = [[I_r, 0], [0, 0]], A0 likewise, the most singular true point), given
as its generators (the entries of B A - B0 A0 in coordinates centred at the
true point).  For each size: the wall time of the
blow-up search (`rlct(..., method="blowup")`, which includes the re-check of its
certificate), the time of `recheck` on its
certificate, the number of charts, whether it finished, the answer against
Aoyagi and Watanabe's formula (tests/rrr_oracle.py), and the ratio of the
search time to a baseline measured in the same run: the time sympy needs to
expand the loss sum_ij (B A)_ij^2 into a Poly (the cost of merely reading K).
The search runs twice in the same process: with the FLINT backend (the
default; its times are the "search s" column) and under ``using("sympy")``
(the reference path): "flint / sympy" is the ratio of the two search times,
and "same" says whether the two certificates are equal (they must be, when
either path proves the answer; "-" when both stop at the time limit, at
different charts).  Times are CPU seconds of this process (``time.process_time``:
the ratios stay meaningful on a loaded machine); the time limit is wall-clock.

Run:  python benchmarks/bench_blowup.py [--timeout SECONDS] [--flint-only] [--sizes 2,2,2 3,2,2,1 ...]  (M,N,H[,r])
"""

import argparse
import pathlib
import sys
import time

import sympy
from sympy.core.cache import clear_cache

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # this checkout's package, and the oracle

from rrr_oracle import aoyagi_watanabe  # noqa: E402

import singularities as sg  # noqa: E402
from singularities.algebra.backend import using  # noqa: E402
from singularities.thresholds.recheck import recheck  # noqa: E402

SIZES = [
    (1, 1, 2, 0),
    (2, 1, 2, 0),
    (2, 2, 2, 0),
    (3, 1, 2, 0),
    (3, 2, 2, 0),
    (2, 3, 2, 0),
    (3, 3, 2, 0),
    (3, 1, 3, 0),
    (2, 2, 3, 0),
    (4, 2, 2, 0),
    (2, 2, 1, 1),
    (2, 1, 2, 1),
    (2, 2, 2, 1),
    (3, 2, 2, 1),
    (3, 3, 2, 1),
]


def generators(M, N, H, r=0):
    """The entries of B A - B0 A0 around the true point, and the variables (A's entries, then B's)."""
    A = sympy.Matrix(H, M, lambda i, j: sympy.Symbol(f"a{i + 1}{j + 1}"))
    B = sympy.Matrix(N, H, lambda i, j: sympy.Symbol(f"b{i + 1}{j + 1}"))
    A0 = sympy.Matrix(H, M, lambda i, j: 1 if i == j < r else 0)
    B0 = sympy.Matrix(N, H, lambda i, j: 1 if i == j < r else 0)
    return [sympy.expand(e) for e in (B0 + B) * (A0 + A) - B0 * A0], list(A) + list(B)


def _search(gens, variables, timeout, backend):
    clear_cache()  # sympy's expression cache would carry one path's work into the other's timing
    with using(backend):
        start = time.process_time()
        result = sg.rlct(gens, variables=variables, method="blowup", timeout=timeout)
        return result, time.process_time() - start


def _same(result, reference):
    """Whether both paths built the same certificate ("-" when either stopped at its limit: at different charts)."""
    if reference is None or sg.Status.PROVEN not in (result.status, reference.status):
        return "-"
    return "yes" if reference.certificate == result.certificate else "NO"


def run(size, timeout, flint_only=False):
    gens, variables = generators(*size)
    start = time.process_time()
    sympy.Poly(sympy.expand(sum(g**2 for g in gens)), *variables)
    baseline = time.process_time() - start
    result, search = _search(gens, variables, timeout, "flint")
    reference, reference_time = (None, None) if flint_only else _search(gens, variables, timeout, "sympy")
    start = time.process_time()
    checked = result.status is sg.Status.PROVEN and recheck(result.certificate)
    check = time.process_time() - start
    expected = aoyagi_watanabe(*size)
    answer = (
        f"({result.threshold}, {result.multiplicity})"
        if result.status is sg.Status.PROVEN
        else (f"{result.status.value} <= {result.threshold}" if result.threshold is not None else result.status.value)
    )
    agree = (
        "yes"
        if (result.threshold, result.multiplicity)
        == (sympy.Rational(expected[0].numerator, expected[0].denominator), expected[1])
        else ("-" if result.status is not sg.Status.PROVEN else "NO")
    )
    return (
        f"{size}",
        len(variables),
        f"{search:.2f}",
        "-" if reference is None else f"{reference_time:.2f}",
        "-" if reference is None else f"{search / reference_time:.2f}",
        _same(result, reference),
        f"{check:.2f}" if checked else "-",
        len(getattr(result.certificate, "charts", ())),
        answer,
        f"({expected[0]}, {expected[1]})",
        agree,
        f"{search / baseline:.0f}",
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--sizes", nargs="*", default=None, help="M,N,H triples")
    parser.add_argument("--flint-only", action="store_true", help="skip the sympy reference path (no ratio)")
    args = parser.parse_args()
    sizes = (
        [tuple(map(int, s.split(","))) + (0,) * (4 - len(s.split(","))) for s in args.sizes] if args.sizes else SIZES
    )
    header = (
        "(M, N, H, r)",
        "vars",
        "search s",
        "sympy search s",
        "flint / sympy",
        "same",
        "recheck s",
        "charts",
        "rlct",
        "Aoyagi-Watanabe",
        "agree",
        "search / expand K",
    )
    run((1, 1, 1, 0), args.timeout)  # warm-up: imports and first calls stay out of the table
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for size in sizes:
        print("| " + " | ".join(map(str, run(size, args.timeout, args.flint_only))) + " |", flush=True)


if __name__ == "__main__":
    main()
