"""Benchmark: rlct of reduced rank regression (up to 18 parameters) and deep linear networks (up to 12), ranks 0-2.

For each (M, N, H, r) with H (M + N) <= MAX_PARAMETERS: ``rlct(loss.energy)`` in
auto mode (the published theorem, Newton's method, theorem Q, the blow-up
search), its status and method, and whether (lambda, m) equals Aoyagi and
Watanabe's formula as transcribed independently in tests/rrr_oracle.py.
Times are CPU seconds of this process (``time.process_time``), with the ratio
to a baseline measured in the same run: the time sympy needs to expand the
loss into a Poly (the cost of merely reading K).  Deep linear networks (three or
more factors, every widths vector with at most DEEP_PARAMETERS parameters) are
timed the same way (widths up to MAX_WIDTH, at most MAX_LAYERS layers); their last column compares with the
blow-up search's answer where it proves one within 10 s for at most CHECK_PARAMETERS
parameters (an independent computation), else "-".

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
from singularities.models import deep_linear_network_loss, reduced_rank_regression_loss  # noqa: E402

MAX_PARAMETERS = 18
DEEP_PARAMETERS = 12
MAX_WIDTH = 3
MAX_LAYERS = 4
CHECK_PARAMETERS = 8


def sizes(max_parameters):
    """Every (M, N, H, r) with H (M + N) <= max_parameters, r <= min(2, M, N, H)."""
    found = []
    for H in range(1, max_parameters + 1):
        for M in range(1, max_parameters + 1):
            for N in range(1, max_parameters + 1):
                if H * (M + N) <= max_parameters:
                    found += [(M, N, H, r) for r in range(min(2, M, N, H) + 1)]
    return sorted(found, key=lambda s: (s[2] * (s[0] + s[1]), s))


def deep_widths(max_parameters):
    """Every widths vector (H_0, ..., H_L), 3 <= L <= MAX_LAYERS, widths <= MAX_WIDTH,
    sum H_(l-1) H_l <= max_parameters, with r <= min(2, widths)."""
    found, frontier = [], [(h0, h1) for h0 in range(1, MAX_WIDTH + 1) for h1 in range(1, MAX_WIDTH + 1)]
    while frontier:
        grown = []
        for widths in frontier:
            for h in range(1, MAX_WIDTH + 1):
                longer = widths + (h,)
                if len(longer) <= MAX_LAYERS + 1 and sum(a * b for a, b in zip(longer, longer[1:])) <= max_parameters:
                    grown.append(longer)
                    if len(longer) > 3:
                        found += [(longer, r) for r in range(min(2, *longer) + 1)]
        frontier = grown
    return sorted(found, key=lambda item: (sum(a * b for a, b in zip(item[0], item[0][1:])), item))


def run(size, timeout, loss=None):
    """(seconds, baseline seconds, result) for one size."""
    loss = loss or reduced_rank_regression_loss(*size)
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
    parser.add_argument("--deep-parameters", type=int, default=DEEP_PARAMETERS)
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
    deep(args)


def deep(args):
    """The deep linear networks' table and summary."""
    print(f"\n{'widths':>16} {'r':>2} {'params':>6} {'s':>7} {'status':>7} {'method':>8} {'lambda,m':>9} blow-up")
    cases, times, proven, checked = deep_widths(args.deep_parameters), [], 0, 0
    for widths, r in cases:
        loss = deep_linear_network_loss(widths, r)
        seconds, _, result = run(None, args.timeout, loss)
        times.append(seconds)
        proven += result.status.value == "proven"
        search = sg.rlct(loss.energy, method="blowup", timeout=min(args.timeout, 10))
        same = "-"
        if search.status.value == "proven":
            same = (
                "=" if (search.threshold, search.multiplicity) == (result.threshold, result.multiplicity) else "differs"
            )
            checked += same == "="
        pair = f"{result.threshold},{result.multiplicity}"
        print(
            f"{str(widths):>16} {r:>2} {len(loss.parameters):>6} {seconds:7.2f} {result.status.value:>7}"
            f" {result.method:>8} {pair:>9} {same}"
        )
    print(
        f"\n{len(cases)} deep linear networks: {proven} proven, {checked} equal to a proven blow-up answer; "
        f"median {statistics.median(times):.2f} s, max {max(times):.2f} s"
    )


if __name__ == "__main__":
    main()
