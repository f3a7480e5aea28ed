"""Benchmark: our llc (tempered-posterior MALA) against devinterp's SGLD at equal CPU time, on losses of known lambda.

Losses (w0 = 0, a uniform prior on the box [-1, 1]^d, n beta = n / log n with n = 10^4 unless --n):

- ``w1^2 w2^4``: one monomial, Newton distance 4 (the point (4, 4) on the facet x2 = 4): lambda = 1/4, m = 1.
- ``(w1^2+w2^2)^2``: homogeneous of degree 4 in 2 variables, zero only at 0: lambda = 2/4 = 1/2, m = 1.
- ``RRR 2x2x2 r=0``: K = ||B A||^2 with A, B 2 x 2 (8 parameters), true rank 0.  Aoyagi-Watanabe (2005),
  case N + r <= M + H, M + r <= N + H, H + r <= M + N with M + H + N + r = 6 even:
  lambda = (2 (H + r)(M + N) - (M - N)^2 - (H + r)^2) / 8 = (16 - 0 - 4) / 8 = 3/2, m = 1
  (``sg.rlct`` proves the same value; the script checks it when --check-rlct is given).
- ``regular d=3``: K = w1^2 + w2^2 + w3^2: lambda = d/2 = 3/2, m = 1.

At a finite n beta even an exact sampler estimates lambda_eff = n beta E[K] under exp(-n beta K) on the box,
not lambda: the column ``lambda_eff`` gives it where a quadrature is cheap (the 2-D losses; the regular loss is
d times a 1-D integral), so a sampler's own error can be told from the estimator's bias.

Estimators, each run with 8 chains and 10 seeds:

- ``ours``: :func:`singularities.numeric.llc.llc` with the loss and its gradient as numpy callables
  (draws and warm-up per chain set by --draws and --warmup).
- ``devinterp sgld lr=...``: devinterp's sampler (``devinterp.optim.SGMCMC.sgld``, the one its ``llc()`` uses,
  with ``bounding_box_size`` = the box) on a torch module whose loss is K, in a plain loop over steps (no data
  loading, no zarr writing: the sampler's own cost).  lambda_hat per chain = n beta (mean K over the steps -
  K(w0)), as devinterp's ``compute_llc``.  The number of steps is set so that each run takes the CPU time
  that ``ours`` took on the same case and seed (measured on a short calibration run).  Three learning rates:
  devinterp's README value 1e-3 and two smaller ones.
- ``devinterp llc()`` (with --pipeline): devinterp 2.0's own entry point, ``devinterp.slt.llc.llc``, on a
  one-token dataset and a ``loss_fn`` that returns K for every token (its per-token loss protocol), same
  budget rule, lr 1e-4.

The interval of every estimator is Student t over its 8 chains at level 0.99.  Columns: ``cpu-s`` (mean
``time.process_time`` per run), ``|err|`` (mean |lambda_hat - lambda|), ``rmse``, ``cover`` (runs whose
interval contains lambda), ``cover_eff`` (... contains lambda_eff), ``width`` (mean interval width).

Run (from the repository root; the editable install makes this checkout the one imported):
      python -m venv .venv-bench && .venv-bench/bin/pip install -e . devinterp
      .venv-bench/bin/python benchmarks/bench_llc.py [--quick] [--pipeline]
Without devinterp the devinterp rows are skipped (with a note) and ``ours`` still runs.
"""

import argparse
import math
import time
import warnings
from dataclasses import dataclass
from fractions import Fraction

import mpmath
import numpy as np

from singularities.numeric.llc import llc
from singularities.numeric.multiscale import student_quantile

LEVEL = 0.99
CHAINS = 8
RADIUS = 1.0
LEARNING_RATES = (1e-3, 1e-4, 1e-5)


@dataclass(frozen=True)
class Case:
    name: str
    dim: int
    threshold: Fraction
    loss: object  # numpy: K(w)
    grad: object  # numpy: grad K(w)
    torch_loss: object  # torch: K(w) for a 1-D tensor w
    effective: object = None  # n beta -> lambda_eff (exact n beta E[K] on the box), or None


def _monomial(w):
    return w[0] ** 2 * w[1] ** 4


def _monomial_grad(w):
    return np.array([2 * w[0] * w[1] ** 4, 4 * w[0] ** 2 * w[1] ** 3])


def _circle(w):
    return (w[0] ** 2 + w[1] ** 2) ** 2


def _circle_grad(w):
    return 4 * (w[0] ** 2 + w[1] ** 2) * np.asarray(w[:2])


def _rrr(w):
    a, b = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    return float(np.sum((b @ a) ** 2)) if isinstance(w, np.ndarray) else ((b @ a) ** 2).sum()


def _rrr_grad(w):
    a, b = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    product = b @ a
    return np.concatenate([(2 * b.T @ product).ravel(), (2 * product @ a.T).ravel()])


def _regular(w):
    return (w**2).sum()


def _regular_grad(w):
    return 2 * np.asarray(w)


def _effective_2d(function):
    """n beta -> n beta E[K] under exp(-n beta K) on [-1, 1]^2 by quadrature (K even in each variable)."""

    def effective(a):
        cuts = [0, 0.01, 0.1, 1]
        z = mpmath.quad(lambda x, y: mpmath.exp(-a * function(x, y)), cuts, cuts)
        moment = mpmath.quad(lambda x, y: a * function(x, y) * mpmath.exp(-a * function(x, y)), cuts, cuts)
        return float(moment / z)

    return effective


def _effective_regular(dim):
    """d times the 1-D value a E[x^2] under exp(-a x^2) on [-1, 1] (closed form through erf)."""

    def effective(a):
        # int_0^1 x^2 e^{-a x^2} dx = (z - e^{-a}) / (2 a) by parts, with z = int_0^1 e^{-a x^2} dx
        z = math.sqrt(math.pi) * math.erf(math.sqrt(a)) / (2 * math.sqrt(a))
        return dim * (z - math.exp(-a)) / (2 * z)

    return effective


CASES = [
    Case(
        "w1^2 w2^4",
        2,
        Fraction(1, 4),
        _monomial,
        _monomial_grad,
        _monomial,
        _effective_2d(lambda x, y: x**2 * y**4),
    ),
    Case(
        "(w1^2+w2^2)^2",
        2,
        Fraction(1, 2),
        _circle,
        _circle_grad,
        _circle,
        _effective_2d(lambda x, y: (x**2 + y**2) ** 2),
    ),
    Case("RRR 2x2x2 r=0", 8, Fraction(3, 2), _rrr, _rrr_grad, _rrr),
    Case("regular d=3", 3, Fraction(3, 2), _regular, _regular_grad, _regular, _effective_regular(3)),
]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 seeds and short chains (a smoke run)")
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--n", type=int, default=10**4, help="sample size: n beta = n / log n")
    parser.add_argument("--draws", type=int, default=4000)
    parser.add_argument("--warmup", type=int, default=1000)
    parser.add_argument("--pipeline", action="store_true", help="also run devinterp's llc() entry point")
    parser.add_argument("--check-rlct", action="store_true", help="prove the RRR lambda with sg.rlct first")
    parser.add_argument("--cases", default=None, help="comma-separated case numbers (1-based), default all")
    args = parser.parse_args(argv)
    seeds = 3 if args.quick else args.seeds
    draws, warmup = (500, 250) if args.quick else (args.draws, args.warmup)
    if args.check_rlct:
        _check_rrr()
    devinterp = _devinterp()
    nbeta = args.n / math.log(args.n)
    chosen = CASES if args.cases is None else [CASES[int(i) - 1] for i in args.cases.split(",")]
    print(f"n = {args.n}, n beta = {nbeta:.1f}, {CHAINS} chains, {seeds} seeds, level {LEVEL}, box [-1, 1]^d")
    print(
        f"{'case':15} {'lambda':>6} {'l_eff':>6} {'estimator':24} {'cpu-s':>6} {'|err|':>7} {'rmse':>7} "
        f"{'cover':>6} {'cov_eff':>7} {'width':>7}"
    )
    for case in chosen:
        effective = case.effective(nbeta) if case.effective else None
        runs = _run_case(case, args.n, nbeta, seeds, draws, warmup, devinterp, args.pipeline)
        for name, results in runs.items():
            print(_row(case, effective, name, results), flush=True)
    if devinterp is None:
        print("devinterp is not installed: its rows were skipped (pip install devinterp in the benchmark's venv)")


def _run_case(case, n, nbeta, seeds, draws, warmup, devinterp, pipeline):
    runs = {"ours (MALA)": []}
    for seed in range(1, seeds + 1):
        start = time.process_time()
        result = llc(
            case.loss,
            np.zeros(case.dim),
            n=n,
            grad=case.grad,
            radius=RADIUS,
            chains=CHAINS,
            draws=draws,
            warmup=warmup,
            seed=seed,
            level=LEVEL,
        )
        cpu = time.process_time() - start
        runs["ours (MALA)"].append((result.estimate.value, result.estimate.interval, cpu))
        if devinterp is None:
            continue
        for lr in LEARNING_RATES:
            runs.setdefault(f"devinterp sgld lr={lr:g}", []).append(_sgld_run(devinterp, case, nbeta, lr, cpu, seed))
        if pipeline:
            runs.setdefault("devinterp llc() lr=1e-4", []).append(
                _pipeline_run(devinterp, case, nbeta, 1e-4, cpu, seed)
            )
    return runs


def _row(case, effective, name, results):
    values = np.array([r[0] for r in results])
    truth = float(case.threshold)
    errors = np.abs(values - truth)
    cover = sum(lo <= truth <= hi for _, (lo, hi), _ in results)
    cover_eff = "-" if effective is None else str(sum(lo <= effective <= hi for _, (lo, hi), _ in results))
    width = np.mean([hi - lo for _, (lo, hi), _ in results])
    cpu = np.mean([r[2] for r in results])
    eff = "-" if effective is None else f"{effective:.4f}"
    return (
        f"{case.name:15} {str(case.threshold):>6} {eff:>6} {name:24} {cpu:6.2f} {errors.mean():7.4f} "
        f"{math.sqrt(np.mean(errors**2)):7.4f} {cover:>3}/{len(results):<2} {cover_eff:>4}/{len(results):<2} "
        f"{width:7.4f}"
    )


def _interval(per_chain):
    per_chain = np.asarray(per_chain, dtype=float)
    mean = float(per_chain.mean())
    if not np.all(np.isfinite(per_chain)):
        return mean, (-math.inf, math.inf)
    half = student_quantile(LEVEL, len(per_chain) - 1) * per_chain.std(ddof=1) / math.sqrt(len(per_chain))
    return mean, (mean - half, mean + half)


def _devinterp():
    """(torch, SGMCMC, llc entry point, Dataset) or None when devinterp is not installed."""
    try:
        import torch
        from datasets import Dataset
        from devinterp.optim import SGMCMC
        from devinterp.slt.llc import llc as devinterp_llc
    except ImportError:
        return None
    torch.set_num_threads(1)
    return torch, SGMCMC, devinterp_llc, Dataset


def _module(torch, case):
    class Loss(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.w = torch.nn.Parameter(torch.zeros(case.dim))

        def forward(self, *_):
            return case.torch_loss(self.w)

    return Loss()


def _sgld_chain(devinterp, case, nbeta, lr, steps, seed):
    """One chain of devinterp's SGLD from w0 = 0: n beta (mean K over the steps - K(w0))."""
    torch, sgmcmc = devinterp[0], devinterp[1]
    torch.manual_seed(seed)
    model = _module(torch, case)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        optimizer = sgmcmc.sgld(model.parameters(), lr=lr, nbeta=nbeta, bounding_box_size=RADIUS)
    total = 0.0
    for _ in range(steps):
        optimizer.zero_grad()
        loss = model()
        loss.backward()
        optimizer.step()
        total += float(loss.detach())
    return nbeta * total / steps


def _sgld_run(devinterp, case, nbeta, lr, cpu, seed):
    """CHAINS chains whose total CPU time matches ``cpu``: the step count comes from a 200-step calibration."""
    start = time.process_time()
    _sgld_chain(devinterp, case, nbeta, lr, 200, 10**6 + seed)
    per_step = (time.process_time() - start) / 200
    steps = max(50, int((cpu - (time.process_time() - start)) / (CHAINS * per_step)))
    per_chain = [_sgld_chain(devinterp, case, nbeta, lr, steps, 1000 * seed + c) for c in range(CHAINS)]
    mean, interval = _interval(per_chain)
    return mean, interval, time.process_time() - start


def _pipeline_run(devinterp, case, nbeta, lr, cpu, seed):
    """devinterp.slt.llc.llc on a one-token dataset whose per-token loss is K, with a matched step count."""
    torch, _, devinterp_llc, dataset_class = devinterp
    data = dataset_class.from_dict({"input_ids": [[0, 0]] * 64}).with_format("torch")

    def loss_fn(model, input_ids):
        return model().expand(input_ids.shape[0], input_ids.shape[1] - 1)

    def run(draws, init_seed):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = devinterp_llc(
                _module(torch, case),
                data,
                {},
                lr=lr,
                n_beta=nbeta,
                num_chains=CHAINS,
                num_draws=draws,
                batch_size=1,
                loss_fn=loss_fn,
                bounding_box_size=RADIUS,
                init_seed=init_seed,
            )
        return result["llc_per_chain"].values

    start = time.process_time()
    run(50, 10**6 + seed)
    per_draw = (time.process_time() - start) / 50
    draws = max(50, int((cpu - (time.process_time() - start)) / per_draw))
    mean, interval = _interval(run(draws, 100 * seed))
    return mean, interval, time.process_time() - start


def _check_rrr():
    import singularities as sg
    from singularities.models import reduced_rank_regression_loss

    exact = sg.rlct(reduced_rank_regression_loss(2, 2, 2).energy)
    print(f"sg.rlct of RRR (M, N, H) = (2, 2, 2), r = 0: {exact.threshold}, m = {exact.multiplicity}, {exact.status}")


if __name__ == "__main__":
    main()
