"""Benchmark: rlct (auto mode) of reduced rank regression and deep linear networks, FLINT path against sympy path.

Each model is a loss K = ||W_L ... W_1 - W0||^2 given as the sum of the
squares of the entries of the product minus the truth, in coordinates centred
at the true point (for two factors: reduced rank regression, the model
singularities.models.reduced_rank_regression_loss builds, with true rank r;
for more factors: a deep linear network with true product 0).  Each row runs
``rlct(K, timeout=T)`` twice in the same process, once with the FLINT backend
(the default) and once under ``using("sympy")`` (the reference path), and
prints both times, the ratio flint / sympy, both answers (they must agree),
and the value an independent source gives, where one is known:

* reduced rank regression: Aoyagi and Watanabe's formula (tests/rrr_oracle.py);
* a chain of width-1 layers W_L ... W_1 = w_L ... w_1 (scalars): K = (w_1 ... w_L)^2
  is a monomial, lambda = 1/2 and m = L (its Newton polyhedron);
* widths (M, 1, 1, N): W_3 W_2 W_1 = c b a^T, K = c^2 |a|^2 |b|^2, a product of
  functions of disjoint variables: lambda = min(1/2, M/2, N/2) and m = the
  number of factors attaining it.

Run:  python benchmarks/bench_rlct.py [--timeout SECONDS] [--all] [--flint-only]
(``--all`` adds the rows that do not finish in reasonable time on the sympy path.)
"""

import argparse
import pathlib
import sys
import time
from fractions import Fraction

import sympy
from sympy.core.cache import clear_cache

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from rrr_oracle import aoyagi_watanabe  # noqa: E402

import singularities as sg  # noqa: E402
from singularities.algebra.backend import using  # noqa: E402
from singularities.models import reduced_rank_regression_loss  # noqa: E402

RRR = [  # (M, N, H, r): M inputs, N outputs, rank H, true rank r; parameters H (M + N)
    (2, 2, 1, 0),
    (2, 2, 1, 1),
    (3, 3, 1, 1),
    (2, 1, 2, 0),
    (2, 1, 2, 1),
    (2, 2, 2, 0),
    (3, 1, 2, 0),
    (3, 2, 2, 0),
    (2, 1, 3, 0),
    (3, 1, 3, 0),
]
RRR_MORE = [(4, 4, 1, 0), (6, 6, 1, 1), (2, 2, 2, 1), (3, 3, 2, 0), (4, 2, 2, 0), (2, 2, 3, 0), (3, 2, 2, 1)]
DEEP = [  # layer widths (d_0, ..., d_L): W_k is d_k x d_(k-1); parameters sum d_(k-1) d_k
    (1, 1, 1, 1, 1, 1, 1),
    (3, 1, 1, 3),
    (2, 1, 1, 2, 1),
    (2, 2, 1, 2),
    (1, 2, 2, 1),
]
DEEP_MORE = [(2, 2, 2, 2), (1,) * 19, (3, 3, 3)]


def deep_linear_generators(widths):
    """The entries of W_L ... W_1 (true product 0) and the parameters, W_1's entries first."""
    matrices, variables = [], []
    for k in range(1, len(widths)):
        W = sympy.Matrix(widths[k], widths[k - 1], lambda i, j, k=k: sympy.Symbol(f"w{k}_{i + 1}{j + 1}"))
        matrices.append(W)
        variables += list(W)
    product = matrices[0]
    for W in matrices[1:]:
        product = W * product
    return [sympy.expand(e) for e in product if sympy.expand(e) != 0], variables


def deep_linear_truth(widths):
    """(lambda, m) from an independent argument (module docstring), or None."""
    layers = len(widths) - 1
    if all(d == 1 for d in widths):
        return Fraction(1, 2), layers
    if layers == 2:
        return aoyagi_watanabe(widths[0], widths[2], widths[1], 0)
    if layers == 3 and widths[1] == widths[2] == 1:
        parts = [Fraction(1, 2), Fraction(widths[0], 2), Fraction(widths[3], 2)]
        return min(parts), parts.count(min(parts))
    return None


def _timed(function, backend):
    clear_cache()  # sympy's expression cache would carry one path's work into the other's timing
    with using(backend):
        start = time.perf_counter()
        result = function()
        return result, time.perf_counter() - start


def _answer(result):
    if result.status is sg.Status.PROVEN:
        return f"({result.threshold}, {result.multiplicity})"
    return f"{result.status.value} <= {result.threshold}" if result.threshold is not None else result.status.value


def row(name, parameters, function, truth, flint_only):
    fast, fast_time = _timed(function, "flint")
    slow, slow_time = (None, None) if flint_only else _timed(function, "sympy")
    expected = "-" if truth is None else f"({truth[0]}, {truth[1]})"
    if truth is None or fast.status is not sg.Status.PROVEN:
        agree = "-"
    else:
        agree = "yes" if (fast.threshold, fast.multiplicity) == (sympy.Rational(str(truth[0])), truth[1]) else "NO"
    same = "-" if slow is None else ("yes" if (_answer(fast), fast.method) == (_answer(slow), slow.method) else "NO")
    return (
        name,
        parameters,
        f"{fast_time:.2f}",
        "-" if slow is None else f"{slow_time:.2f}",
        "-" if slow is None else f"{fast_time / slow_time:.2f}",
        _answer(fast),
        fast.method,
        same,
        expected,
        agree,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--all", action="store_true", help="add the rows that take long on the sympy path")
    parser.add_argument("--flint-only", action="store_true", help="skip the sympy path (no ratio)")
    args = parser.parse_args()
    header = ("model", "params", "flint s", "sympy s", "flint / sympy", "rlct", "method", "same", "truth", "agree")
    row("warm-up", 0, lambda: sg.rlct(["a*b", "a*c"], variables="a,b,c"), None, args.flint_only)
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for M, N, H, r in RRR + (RRR_MORE if args.all else []):
        loss = reduced_rank_regression_loss(M, N, H, r)
        cells = row(
            f"RRR {(M, N, H, r)}",
            len(loss.parameters),
            lambda loss=loss: sg.rlct(loss.energy, timeout=args.timeout),
            aoyagi_watanabe(M, N, H, r),
            args.flint_only,
        )
        print("| " + " | ".join(map(str, cells)) + " |", flush=True)
    for widths in DEEP + (DEEP_MORE if args.all else []):
        gens, variables = deep_linear_generators(widths)
        cells = row(
            f"deep linear {widths}",
            len(variables),
            lambda gens=gens, variables=variables: sg.rlct(gens, variables=variables, timeout=args.timeout),
            deep_linear_truth(widths),
            args.flint_only,
        )
        print("| " + " | ".join(map(str, cells)) + " |", flush=True)


if __name__ == "__main__":
    main()
