"""Benchmark: rlct of reduced rank regression for every size with up to 18 parameters and true ranks 0-2.

For each (M, N, H, r) with H (M + N) <= MAX_PARAMETERS: ``rlct(loss.energy)`` in
auto mode (the published theorem, Newton's method, theorem Q, the blow-up
search), its status and method, and whether (lambda, m) equals Aoyagi and
Watanabe's formula as transcribed independently in tests/rrr_oracle.py.
Times are CPU seconds of this process (``time.process_time``), with the ratio
to a baseline measured in the same run: the time sympy needs to expand the
loss into a Poly (the cost of merely reading K).

Run:  python benchmarks/bench_rlct_models.py [--timeout SECONDS] [--max-parameters P]
"""

import argparse
import pathlib
import statistics
import sys
import time

import sympy

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # this checkout's package, and the oracle

from rrr_oracle import aoyagi_watanabe  # noqa: E402

import singularities as sg  # noqa: E402
from singularities.models import reduced_rank_regression_loss  # noqa: E402

MAX_PARAMETERS = 18


def sizes(max_parameters):
    """Every (M, N, H, r) with H (M + N) <= max_parameters, r <= min(2, M, N, H)."""
    found = []
    for H in range(1, max_parameters + 1):
        for M in range(1, max_parameters + 1):
            for N in range(1, max_parameters + 1):
                if H * (M + N) <= max_parameters:
                    found += [(M, N, H, r) for r in range(min(2, M, N, H) + 1)]
    return sorted(found, key=lambda s: (s[2] * (s[0] + s[1]), s))


def run(size, timeout):
    """(seconds, baseline seconds, result) for one size."""
    loss = reduced_rank_regression_loss(*size)
    start = time.process_time()
    sympy.Poly(sympy.expand(loss.expr), *loss.parameters)
    baseline = time.process_time() - start
    start = time.process_time()
    result = sg.rlct(loss.energy, timeout=timeout)
    return time.process_time() - start, baseline, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--max-parameters", type=int, default=MAX_PARAMETERS)
    args = parser.parse_args()
    print(f"{'M,N,H,r':>9} {'params':>6} {'s':>7} {'ratio':>8} {'status':>7} {'method':>8} {'lambda,m':>9} oracle")
    times, proven, right = [], 0, 0
    all_sizes = sizes(args.max_parameters)
    for size in all_sizes:
        seconds, baseline, result = run(size, args.timeout)
        expected = aoyagi_watanabe(*size)
        agrees = (result.threshold, result.multiplicity) == expected
        proven += result.status.value == "proven"
        right += agrees and result.status.value == "proven"
        times.append(seconds)
        pair = f"{result.threshold},{result.multiplicity}"
        M, N, H, r = size
        print(
            f"{M},{N},{H},{r:>1}".rjust(9),
            f"{H * (M + N):>6} {seconds:7.2f} {seconds / max(baseline, 1e-6):8.1f} {result.status.value:>7}"
            f" {result.method:>8} {pair:>9} {'=' if agrees else 'differs: ' + str(expected)}",
        )
    print(
        f"\n{len(all_sizes)} sizes: {proven} proven, {right} proven and equal to the formula; "
        f"median {statistics.median(times):.2f} s, max {max(times):.2f} s"
    )


if __name__ == "__main__":
    main()
