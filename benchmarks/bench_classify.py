"""Benchmark: classify every normal form of the table, plain and disguised, on FLINT against sympy.

Disguise: two extra Morse squares and a random invertible polynomial change of
all coordinates (as in tests/test_classify.py).  Figures are CPU seconds
(medians over repeats, sympy's cache cleared before each call) of the default
path (FLINT: splitting on ``fmpq_mpoly``, Milnor numbers by exact ranks in
algebra.local_rings) and of the reference path in the same run
(``using("sympy")``: sympy rings and Groebner bases of J + m^s at jet orders
4, 8, 16); ``ratio`` is FLINT / sympy.  Both labels are printed
and must agree.

The sympy path on the disguised unimodal germs takes 20 s (X9) to minutes (J10,
P8) each; it is timed only with --full-reference, so that the default run stays
near two minutes.

With --unimodal MU the unimodal types past X9, J10, P8 up to Milnor number MU
(E12-14, Z11-13, W12-13, Q10-12, S11-12, U12, the T series, Y[r,s] and Y~_r, and the
 bimodal E18-20, Z17-19, W17-18, the bimodal series J[3,p], Z[1,p], W[1,p], W#[1,q] and, in corank 3,
 Q[2,p], S[1,p], S#[1,q], U[1,q], Q16-18, S16-17, U16 when MU
reaches them; issue 15) are
timed too, and the summary gives the median plain time and the slowest
disguised germ of the whole table (targets: <= 10 ms and <= 2 s).

Run:  python benchmarks/bench_classify.py [--repeats N] [--max-index K] [--no-sympy] [--plain-only]
      [--types A,B] [--full-reference] [--unimodal MU]
"""

import argparse
import pathlib
import random
import re
import statistics
import sys
import time

import sympy
from sympy.core.cache import clear_cache

from singularities import classify, normal_forms
from singularities.algebra.backend import using
from singularities.local.normal_forms import (
    SECOND_MODULUS,
    bimodal_normal_forms,
    bimodal_series_normal_forms,
    corank_three_bimodal_normal_forms,
    unimodal_normal_forms,
    y_normal_forms,
)

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "tests"))
from test_classify import _disguise  # noqa: E402

W, V = sympy.symbols("w v")


def cpu_time(function, repeats):
    """Median CPU seconds of ``repeats`` calls and the last result (sympy's cache cleared before each)."""
    times = []
    for _ in range(repeats):
        clear_cache()
        start = time.process_time()
        result = function()
        times.append(time.process_time() - start)
    return statistics.median(times), result


def measure(g, names, repeats, reference):
    """(flint seconds, sympy seconds or None, flint label, sympy label or None)."""
    fast, found = cpu_time(lambda: classify(g, variables=names), repeats)
    if not reference:
        return fast, None, found.label, None
    with using("sympy"):
        slow, expected = cpu_time(lambda: classify(g, variables=names), 1)
    return fast, slow, found.label, expected.label


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--max-index", type=int, default=8)
    parser.add_argument("--no-sympy", action="store_true", help="skip the sympy reference path")
    parser.add_argument("--plain-only", action="store_true", help="skip the disguised germs")
    parser.add_argument("--types", default="", help="only these labels, comma separated (e.g. J10(3),P8)")
    parser.add_argument(
        "--full-reference",
        action="store_true",
        help="also time the sympy path on disguised unimodal germs (20 s to several minutes each)",
    )
    parser.add_argument("--unimodal", type=int, default=0, help="also the unimodal types up to this Milnor number")
    args = parser.parse_args(argv)
    print(f"{'type':8} {'germ':10} {'flint s':>8} {'sympy s':>8} {'ratio':>7}  labels")
    totals = {"flint": 0.0, "sympy": 0.0}
    times = {"plain": [], "disguised": []}
    for form in _forms(args):
        if form.index == 1 or (args.types and form.label not in re.split(r",(?![^\[]*\])", args.types)):
            continue
        plain = _plain(form)
        cases = [("plain", plain, list(form.variables))]
        if not args.plain_only:
            cases.append(("disguised", *_disguise(plain, form.variables, random.Random(0), [W, V])))
        for kind, g, names in cases:
            reference = not args.no_sympy and (kind == "plain" or not form.modality or args.full_reference)
            fast, slow, label, expected = measure(g, names, args.repeats, reference)
            totals["flint"] += fast
            totals["sympy"] += slow or 0.0
            times[kind].append((fast, form.label))
            ratio = f"{fast / slow:7.3f}" if slow else f"{'':>7}"
            labels = label if expected in (None, label) else f"{label} != sympy {expected}"
            print(f"{form.label:8} {kind:10} {fast:8.3f} {slow or float('nan'):8.3f} {ratio}  {labels}", flush=True)
    ratio = totals["flint"] / totals["sympy"] if totals["sympy"] else float("nan")
    print(f"{'total':8} {'':10} {totals['flint']:8.3f} {totals['sympy']:8.3f} {ratio:7.3f}")
    print("\nratio = FLINT path / sympy reference path (using('sympy')), CPU seconds in the same run")
    if times["plain"]:
        print(f"median plain germ: {1000 * statistics.median(t for t, _ in times['plain']):.1f} ms (FLINT)")
    if times["disguised"]:
        worst = max(times["disguised"])
        print(f"slowest disguised germ: {worst[1]} {worst[0]:.2f} s (FLINT)")


def _forms(args):
    """The normal forms to time: the table up to --max-index, then the unimodal ones up to --unimodal."""
    forms = list(normal_forms(args.max_index))
    seen = {form.label for form in forms}
    if args.unimodal:
        extra = (
            unimodal_normal_forms(args.unimodal) + y_normal_forms(args.unimodal) + bimodal_normal_forms(args.unimodal)
        )
        extra += bimodal_series_normal_forms(args.unimodal)
        extra += corank_three_bimodal_normal_forms(args.unimodal)  # Q[2,p], S[1,p], S#[1,q], U[1,q], Q16-U16
        forms += [form for form in extra if form.label not in seen]
    return forms


def _plain(form):
    """The normal form, with a value of its modulus that the real form admits."""
    if form.modulus is None:
        return form.expression
    value = next(
        c for c in (sympy.Rational(1), sympy.Rational(-3), sympy.Rational(3), sympy.Rational(1, 2)) if form.admits(c)
    )
    return form.expression.xreplace({form.modulus: value, SECOND_MODULUS: 1})


if __name__ == "__main__":
    main()
