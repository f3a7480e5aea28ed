"""Benchmark: samples per CPU-second of the fused C kernel and of the numpy backend, in the same run.

For each polynomial g the counting sampler draws uniform points in [-1, 1]^n
and counts |g| < t_j for 16 log-spaced thresholds (1 down to 1e-4, a typical
volume-scaling run), and g < 0 below each.  Reported per case:

- ``C/cpu-s``: samples per CPU-second of the C kernel on one thread
  (``time.process_time``, which sums the CPU time of all threads of the
  process, so the figure is per core and does not depend on the load of the
  other cores); ``C all/wall-s``: the same run on all threads, per wall second;
- ``numpy/cpu-s``: the numpy backend (single-threaded), and ``ratio`` = C / numpy
  (target >= 8);
- ``ops``: the op-count model per sample: 12 lane-operations per coordinate
  (xoshiro256+: 8 integer operations; conversion to a double in the box: 4),
  the exact flops of g, 2 per threshold (compare, add) and 6 for the
  bookkeeping (subtract the value, |g|, sign, bin); ``bound`` = clock x lanes x
  ``--issue`` vector operations per cycle (default 4, the vector ALUs of a
  Zen 4/5 or recent Intel core) / ops, with lanes = 8 doubles for AVX-512 (4
  for AVX2); ``achieved`` = C/cpu-s / bound.  The scalar histogram increment (one
  per sample) is not in the model, so ``achieved`` near 1 means the loop runs
  at the throughput the model allows.

The machine is shared, so figures are medians of repeats and the ratio is
measured within one run.  Compilation happens before timing (it is cached per
user after the first run).

Run:  python benchmarks/bench_kernels.py [--quick] [--repeats N] [--thresholds K] [--issue W]
"""

import argparse
import pathlib
import statistics
import time

import sympy

from singularities.numeric._backend import cpu_model, default_threads, find_compiler
from singularities.numeric.ckernel import compile_kernel, numpy_kernel
from singularities.numeric.codegen import straight_line
from singularities.numeric.sampling import log_thresholds


def reduced_rank_regression():
    """||B A - B0 A0||_F^2 with B 3x2, A 2x3 (12 variables) and B0 A0 of rank 1."""
    b, a = sympy.symbols("b1:7"), sympy.symbols("a1:7")
    product = sympy.Matrix(3, 2, b) * sympy.Matrix(2, 3, a)
    truth = sympy.Matrix([1, 2, 0]) * sympy.Matrix([[1, -1, 1]])
    return sum(e**2 for e in product - truth)


CASES = {
    "x^4 - y^2": "x**4 - y**2",
    "x^3 + y^5": "x**3 + y**5",
    "(ab - cd)^2 + (ac)^2": "(a*b - c*d)**2 + (a*c)**2",
    "RRR 3x2x3 (12 vars)": reduced_rank_regression(),
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer samples and repeats (a smoke test)")
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument("--thresholds", type=int, default=16)
    parser.add_argument("--issue", type=int, default=4, help="vector operations per cycle in the op-count bound")
    args = parser.parse_args(argv)
    repeats = args.repeats or (1 if args.quick else 5)
    c_samples, numpy_samples = (2 * 10**7, 10**6) if args.quick else (2 * 10**8, 10**7)
    if find_compiler() is None:
        raise SystemExit("no C compiler found: this benchmark compares the C kernel with numpy")
    thresholds = log_thresholds(1, 1e-4, args.thresholds)
    clock, lanes = _clock_hz(), _lanes()
    print(
        f"CPU: {cpu_model().split('|')[0].strip()}, {clock / 1e9:.2f} GHz, {lanes} double lanes, "
        f"{default_threads()} threads; {len(thresholds)} thresholds; medians of {repeats}"
    )
    header = (
        f"{'case':22} {'n':>2} {'flops':>5} {'C/cpu-s':>9} {'C all/wall-s':>12} {'numpy/cpu-s':>11} "
        f"{'ratio':>6} {'ops':>5} {'bound':>9} {'achieved':>8}"
    )
    print(header)
    print("-" * len(header))
    for name, expression in CASES.items():
        print(
            _row(
                name,
                straight_line(expression),
                thresholds,
                c_samples,
                numpy_samples,
                repeats,
                clock * args.issue,
                lanes,
            ),
            flush=True,
        )


def _row(name, program, thresholds, c_samples, numpy_samples, repeats, vector_ops_per_second, lanes):
    n = len(program.inputs)
    c, fallback = compile_kernel(program), numpy_kernel(program)
    c_rate = _rate(c, n, thresholds, c_samples, repeats, threads=1)
    wall_rate = _rate(c, n, thresholds, c_samples, repeats, threads=default_threads(), clock=time.perf_counter)
    numpy_rate = _rate(fallback, n, thresholds, numpy_samples, repeats, threads=1)
    ops = 12 * n + program.flops.total + 2 * len(thresholds) + 6
    bound = vector_ops_per_second * lanes / ops
    return (
        f"{name:22} {n:2d} {program.flops.total:5d} {c_rate:9.3g} {wall_rate:12.3g} {numpy_rate:11.3g} "
        f"{c_rate / numpy_rate:6.1f} {ops:5d} {bound:9.3g} {c_rate / bound:8.2f}"
    )


def _rate(runner, n, thresholds, n_samples, repeats, threads, clock=time.process_time):
    runner.counts([-1.0] * n, [1.0] * n, thresholds, seed=repeats, n_samples=1 << 16, threads=threads)  # warm up
    rates = []
    for seed in range(repeats):
        start = clock()
        counts = runner.counts([-1.0] * n, [1.0] * n, thresholds, seed=seed, n_samples=n_samples, threads=threads)
        rates.append(counts.drawn / (clock() - start))
    return statistics.median(rates)


def _clock_hz():
    try:
        lines = pathlib.Path("/proc/cpuinfo").read_text().splitlines()
        return max(float(line.split(":")[1]) for line in lines if line.startswith("cpu MHz")) * 1e6
    except (OSError, ValueError):
        return 2.5e9


def _lanes():
    flags = cpu_model()
    return 8 if " avx512f" in flags else 4 if " avx2" in flags else 2


if __name__ == "__main__":
    main()
