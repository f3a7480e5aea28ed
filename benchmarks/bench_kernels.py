"""Benchmark: samples per CPU-second of the fused C kernel and of the numpy backend, in the same run.

For each function g the counting sampler draws uniform points in [-1, 1]^n
and counts |g| < t_j for k log-spaced thresholds (1 down to 1e-4; k = 16 by
default, ``--thresholds 49`` is what ``volume_curve`` uses by default), and
g < 0 below each.  Reported per case:

- ``C/cpu-s``: samples per CPU-second of the C kernel on one thread
  (``time.process_time``, which sums the CPU time of all threads of the
  process, so the figure is per core and does not depend on the load of the
  other cores); ``C all/wall-s``: the same run on all threads, per wall second;
- ``numpy/cpu-s``: the numpy backend (single-threaded), and ``ratio`` = C / numpy
  (target >= 8);
- ``ops``: the op-count model per sample: 12 lane-operations per coordinate
  (xoshiro256+: 8 integer operations; conversion to a double in the box: 4),
  the exact flops of g, 22 per cos or sin (the vector operations on the main
  path of glibc 2.36's AVX-512 ``_ZGVeN8v_cos``: reduction, degree-14
  polynomial, sign; the kernels' own cos/sin, ``ckernel.sg_trig``, take 28:
  22 floating-point and 6 integer or mask operations, and the model keeps the
  smaller count, so the kernels' choice cannot raise "achieved"), the counting
  (``compare``: 2 per threshold, compare and add; ``grouped``, from
  ``ckernel.GROUPED_FROM`` thresholds on AVX-512: 2 per group boundary, 3 per
  threshold of the group of 8 (permute, compare, add) and 2; the ``count``
  column says which ran) and 6 for the bookkeeping (subtract the value, |g|,
  sign, bin);
  ``bound`` = clock x lanes x ``--issue`` vector operations per cycle (default
  4, the vector ALUs of a Zen 4/5 or recent Intel core) / ops, with lanes = 8
  doubles for AVX-512 (4 for AVX2); ``achieved`` = C/cpu-s / bound.
- The clock is *measured* (a chain of dependent integer adds, one per cycle,
  timed in C; the median of repeats), not read from ``/proc/cpuinfo``,
  whose "cpu MHz" is the nominal clock and can be far below the boost clock
  the kernel runs at; the nominal figure is printed beside it.

The machine is shared, so figures are medians of repeats and the ratio is
measured within one run.  Compilation happens before timing (it is cached per
user after the first run).

Run from the checkout (else the installed package is measured):
      PYTHONPATH=. python benchmarks/bench_kernels.py [--quick] [--repeats N] [--thresholds K] [--issue W] [--only TEXT]
"""

import argparse
import ctypes
import pathlib
import platform
import statistics
import subprocess
import tempfile
import time

import sympy

from singularities.numeric._backend import cpu_model, default_threads, find_compiler
from singularities.numeric.ckernel import compile_kernel, counting_scheme, numpy_kernel
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
    "square t, t' (trig)": "-2*cos(x) - 2*cos(y) - 2*cos(x)*cos(y)",
    "cubic t (trig)": "-2*cos(x) - 2*cos(y) - 2*cos(z)",
    "triangular (trig)": "-2*cos(x) - 4*cos(x/2)*cos(sqrt(3)*y/2)",
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer samples and repeats (a smoke test)")
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument("--thresholds", type=int, default=16)
    parser.add_argument("--only", default="", help="run only the cases whose name contains this text")
    parser.add_argument("--issue", type=int, default=4, help="vector operations per cycle in the op-count bound")
    args = parser.parse_args(argv)
    repeats = args.repeats or (1 if args.quick else 5)
    c_samples, numpy_samples = (2 * 10**7, 10**6) if args.quick else (2 * 10**8, 10**7)
    if find_compiler() is None:
        raise SystemExit("no C compiler found: this benchmark compares the C kernel with numpy")
    thresholds = log_thresholds(1, 1e-4, args.thresholds)
    nominal, clock, lanes = _nominal_clock_hz(), _measured_clock_hz(), _lanes()
    print(
        f"CPU: {cpu_model().split('|')[0].strip()}, measured {clock / 1e9:.2f} GHz "
        f"(nominal {nominal / 1e9:.2f} GHz), {lanes} double lanes, "
        f"{default_threads()} threads; {len(thresholds)} thresholds; medians of {repeats}"
    )
    header = (
        f"{'case':22} {'n':>2} {'flops':>5} {'C/cpu-s':>9} {'C all/wall-s':>12} {'numpy/cpu-s':>11} "
        f"{'ratio':>6} {'count':>8} {'ops':>5} {'bound':>9} {'achieved':>8}"
    )
    print(header)
    print("-" * len(header))
    for name, expression in CASES.items():
        if args.only not in name:
            continue
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
    scheme = counting_scheme(thresholds, c.grouped)
    ops = 12 * n + program.flops.total + _call_ops(program) + _counting_ops(len(thresholds), scheme) + 6
    bound = vector_ops_per_second * lanes / ops
    return (
        f"{name:22} {n:2d} {program.flops.total:5d} {c_rate:9.3g} {wall_rate:12.3g} {numpy_rate:11.3g} "
        f"{c_rate / numpy_rate:6.1f} {scheme:>8} {ops:5d} {bound:9.3g} {c_rate / bound:8.2f}"
    )


def _counting_ops(k, scheme):
    """Lane-operations per sample of ranking |g| among k thresholds (see the module docstring)."""
    return 2 * (-(-k // 8) - 1) + 3 * 8 + 2 if scheme == "grouped" else 2 * k


def _rate(runner, n, thresholds, n_samples, repeats, threads, clock=time.process_time):
    runner.counts([-1.0] * n, [1.0] * n, thresholds, seed=repeats, n_samples=1 << 16, threads=threads)  # warm up
    rates = []
    for seed in range(repeats):
        start = clock()
        counts = runner.counts([-1.0] * n, [1.0] * n, thresholds, seed=seed, n_samples=n_samples, threads=threads)
        rates.append(counts.drawn / (clock() - start))
    return statistics.median(rates)


def _call_ops(program):
    """Lane-operations of the function calls: 22 per cos or sin (see the module docstring), 30 for others."""
    return sum((22 if name in ("cos", "sin") else 30) * count for name, count in program.flops.calls)


def _nominal_clock_hz():
    try:
        lines = pathlib.Path("/proc/cpuinfo").read_text().splitlines()
        return max(float(line.split(":")[1]) for line in lines if line.startswith("cpu MHz")) * 1e6
    except (OSError, ValueError):
        return 2.5e9


_SPIN = r"""
#include <stdint.h>
int64_t sg_spin(int64_t n) { /* 16 dependent adds per iteration: 16 cycles */
  int64_t x = 0;
  for (int64_t i = 0; i < n; ++i)
    __asm__ volatile(
        "add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\t"
        "add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\t"
        "add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\t"
        "add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0"
        : "+r"(x));
  return x;
}
"""


def _measured_clock_hz(repeats=7, iterations=10**7):
    """Cycles per second of one core: a timed chain of dependent adds (x86-64 only; else the nominal clock)."""
    compiler = find_compiler()
    if platform.machine() not in ("x86_64", "AMD64") or compiler is None:
        return _nominal_clock_hz()
    with tempfile.TemporaryDirectory() as directory:
        source, library = pathlib.Path(directory) / "spin.c", pathlib.Path(directory) / "spin.so"
        source.write_text(_SPIN)
        subprocess.run([*compiler.command, "-O2", "-shared", "-fPIC", "-o", str(library), str(source)], check=True)
        spin = ctypes.CDLL(str(library)).sg_spin
        spin.argtypes, spin.restype = [ctypes.c_int64], ctypes.c_int64
        spin(iterations // 10)  # wake the core up to its running clock
        rates = []
        for _ in range(repeats):
            start = time.process_time()
            spin(iterations)
            rates.append(16 * iterations / (time.process_time() - start))
    return statistics.median(rates)


def _lanes():
    flags = cpu_model()
    return 8 if " avx512f" in flags else 4 if " avx2" in flags else 2


if __name__ == "__main__":
    main()
