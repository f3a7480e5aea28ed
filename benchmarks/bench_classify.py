"""Benchmark: classify every normal form of the table, plain and disguised.

Disguise: extra Morse squares and a random invertible polynomial change of
all coordinates (as in tests/test_classify.py).  Figures are medians over
repeats, reported as ratios against a baseline measured in the same run on
the same input: sympy's exact Hessian of the function at the origin and its
rank (the least any classifier must do).

Run:  python benchmarks/bench_classify.py [--repeats N] [--max-index K]
"""

import argparse
import pathlib
import random
import sys

import sympy
from _timing import median_time

from singularities import classify, normal_forms

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "tests"))
from test_classify import _disguise  # noqa: E402

W, V = sympy.symbols("w v")


def hessian_rank(g, names):
    return sympy.hessian(g, names).subs({n: 0 for n in names}).rank()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--max-index", type=int, default=8)
    parser.add_argument(
        "--unimodal-disguised",
        action="store_true",
        help="also disguise X9, J10, P8 (slow: about 90 s each, jets of order 10 in 4 variables)",
    )
    args = parser.parse_args(argv)
    print(f"{'type':8} {'plain s':>9} {'ratio':>7} {'disguised s':>12} {'ratio':>7}  result")
    totals = [0.0, 0.0, 0.0, 0.0]
    for form in normal_forms(args.max_index):
        if form.index == 1:
            continue
        plain = form.expression
        if form.modulus is not None:
            value = next(
                c
                for c in (sympy.Rational(1), sympy.Rational(-3), sympy.Rational(3), sympy.Rational(1, 2))
                if form.admits(c)
            )
            plain = form.expression.xreplace({form.modulus: value})
        names = list(form.variables)
        base_plain = median_time(lambda: hessian_rank(plain, names), args.repeats)
        t_plain = median_time(lambda: classify(plain, variables=names), args.repeats)
        if form.modality and not args.unimodal_disguised:
            print(
                f"{form.label:8} {t_plain:9.3f} {t_plain / base_plain:7.1f} {'(skipped)':>12} {'':>7}  "
                f"{classify(plain, variables=names).label}"
            )
            totals[0] += t_plain
            totals[1] += base_plain
            continue
        disguised, all_names = _disguise(plain, form.variables, random.Random(0), [W, V])
        base_disguised = median_time(lambda: hessian_rank(disguised, all_names), args.repeats)
        t_disguised = median_time(lambda: classify(disguised, variables=all_names), 1)
        label = classify(disguised, variables=all_names).label
        totals = [totals[0] + t_plain, totals[1] + base_plain, totals[2] + t_disguised, totals[3] + base_disguised]
        print(
            f"{form.label:8} {t_plain:9.3f} {t_plain / base_plain:7.1f} "
            f"{t_disguised:12.3f} {t_disguised / base_disguised:7.1f}  {label}"
        )
    print(f"{'total':8} {totals[0]:9.3f} {totals[0] / totals[1]:7.1f} {totals[2]:12.3f} {totals[2] / totals[3]:7.1f}")
    print("\nratio = classify time / time for sympy's Hessian and its rank on the same input (same run)")


if __name__ == "__main__":
    main()
