"""Benchmark: accuracy per CPU-second of each lambda estimator, against the exact lambda, in one run.

Estimators:

- ``multiscale``: :func:`volume_curve` (12 decades, nested weighted shells,
  12 streams) fitted by :func:`fit_scaling`; the budget is the number of
  samples.
- ``uniform``: the baseline, plain uniform sampling of the same box with the
  same number of samples (:func:`volume_samples`), fitted by the same
  :func:`fit_scaling` on the thresholds it can reach (at least 400 hits).  Its
  intervals come from 12 seeds, as for the multiscale run.
- ``posterior``: :func:`learning_coefficient` (32 MALA chains, n = 10^4,
  beta = 1/log n); the budget is the number of draws per chain.

Columns: ``cpu-s`` (``time.process_time``: all threads of this process),
``error`` = |estimate - lambda|, ``width`` of the 99% interval, ``ok`` whether
the interval contains lambda, ``decades`` of t reached (volume estimators),
and ``err*sqrt(cpu)``, the error times the square root of the CPU time, which
is roughly constant for a Monte Carlo estimator: smaller is better.  Exact
lambdas are those of tests/catalogue.py.

Run:  python benchmarks/bench_estimators.py [--quick]
"""

import argparse
import math
import time
import types
from fractions import Fraction

import numpy as np

from singularities.numeric.fit import fit_scaling
from singularities.numeric.multiscale import volume_curve
from singularities.numeric.posterior import learning_coefficient
from singularities.numeric.sampling import log_thresholds, volume_samples

VOLUME_CASES = {
    "A2 x^2+y^3": ("x**2 + y**3", Fraction(5, 6)),
    "E8 x^3+y^5": ("x**3 + y**5", Fraction(8, 15)),
    "D5 x^2y+y^4": ("x**2*y + y**4", Fraction(5, 8)),
    "x*y (m=2)": ("x*y", Fraction(1)),
}
POSTERIOR_CASES = {
    "w1^2+w2^4": ("w1**2 + w2**4", Fraction(3, 4)),
    "(w1^2+w2^2)^2": ("(w1**2 + w2**2)**2", Fraction(1, 2)),
    "w1^2+w2^2+w3^2": ("w1**2 + w2**2 + w3**2", Fraction(3, 2)),
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller budgets (CI)")
    args = parser.parse_args(argv)
    samples = (10**7, 10**8) if args.quick else (10**7, 10**8, 10**9)
    draws = (250, 1000) if args.quick else (250, 1000, 4000)
    print(
        f"{'estimator':10} {'case':16} {'budget':>8} {'cpu-s':>7} {'error':>9} {'width':>9} {'ok':>3} "
        f"{'decades':>7} {'err*sqrt(cpu)':>13}"
    )
    for label, (function, exact) in VOLUME_CASES.items():
        for budget in samples:
            _row("multiscale", label, budget, exact, lambda: _multiscale(function, budget))
            _row("uniform", label, budget, exact, lambda: _uniform(function, budget))
    for label, (function, exact) in POSTERIOR_CASES.items():
        for budget in draws:
            _row(
                "posterior",
                label,
                budget,
                exact,
                lambda: (learning_coefficient(function, draws=budget, seed=1).estimate, None),
            )
    return 0


def _multiscale(function, budget):
    curve = volume_curve(function, decades=12, samples=budget, seed=1)
    decades = math.log10(curve.thresholds[0] / curve.thresholds[-1])
    return fit_scaling(curve).threshold, decades


def _uniform(function, budget):
    """Plain uniform sampling, 12 seeds, thresholds down to where at least 400 samples (pooled) fall below."""
    thresholds = log_thresholds(1e-2, 1e-14, 49)
    runs = [volume_samples(function, thresholds, n_samples=budget // 12, seed=100 + s) for s in range(12)]
    pooled = np.sum([r.counts for r in runs], axis=0)
    keep = int(np.sum(pooled >= 400))
    if keep < 5:
        return None, 0.0
    volumes = np.array([r.volumes[:keep] for r in runs])
    curve = types.SimpleNamespace(
        thresholds=thresholds[:keep],
        scale=1.0,
        stream_volumes=volumes,
        stream_minus=np.zeros_like(volumes),
        covariance=np.diag(volumes.var(axis=0, ddof=1) / 12 + 1e-300) + 0.0,
        streams=12,
        n_samples=budget,
        seed=1,
        backend=runs[0].backend,
    )
    return fit_scaling(curve).threshold, math.log10(thresholds[0] / thresholds[keep - 1])


def _row(name, label, budget, exact, run):
    start = time.process_time()
    estimate, decades = run()
    cpu = time.process_time() - start
    if estimate is None:
        print(
            f"{name:10} {label:16} {budget:>8.0e} {cpu:7.2f} {'-':>9} {'-':>9} {'-':>3} "
            f"{decades or 0:7.1f} {'(too few hits)':>13}"
        )
        return
    error = abs(estimate.value - float(exact))
    ok = "yes" if estimate.contains(exact) else "NO"
    reach = "" if decades is None else f"{decades:7.1f}"
    print(
        f"{name:10} {label:16} {budget:>8.0e} {cpu:7.2f} {error:9.2e} {estimate.width:9.2e} {ok:>3} "
        f"{reach:>7} {error * math.sqrt(cpu):13.2e}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
