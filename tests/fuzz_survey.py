"""Fuzz figures: run many generated inputs, count every outcome, group the failures (not a test).

The fuzz tests stop at their first failure; this script runs every example
of each stream to its end and prints, per stream and in total: runs, answers,
refusals, crashes (internal error / traceback / any other exit code), hangs
(killed at fuzzing.HARD_LIMIT), runs over the limit, bad JSON, wrong answers
(stream rlct-agreement: order bounds, PROVEN answers that disagree between
methods and transforms), and one reproducer per failure class. Run from the repository root::

    python tests/fuzz_survey.py --examples 40            # per stream
    python tests/fuzz_survey.py --examples 200 --stream cli-random

Examples are derandomized, so two runs on the same code draw the same inputs.
"""

import argparse
import collections
import re
import sys
import time
from pathlib import Path

# this checkout's package first (an installed singularities may point at another checkout), then tests/
sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parent)]

import fuzz_strategies as fs  # noqa: E402
from fuzzing import Outcome, api_problems, cli_problems, run_api, run_cli  # noqa: E402
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import singularities as sg  # noqa: E402


def _verify(*args, **kwargs):
    from singularities.numeric.verify import verify

    return verify(*args, **kwargs)


API = {
    "rlct": lambda text, names: sg.rlct(text, variables=names, timeout=fs.TIMEOUT),
    "classify": lambda text, names: sg.classify(text, variables=names, timeout=fs.TIMEOUT),
    "newton_polyhedron": lambda text, names: sg.newton_polyhedron(text, variables=names, timeout=fs.TIMEOUT),
    "dos_asymptotics": lambda text, names: sg.dos_asymptotics(text, variables=names, timeout=fs.TIMEOUT),
    "critical_points": lambda text, names: sg.critical_points(text, variables=names, timeout=fs.TIMEOUT),
    "global_rlct": lambda text, names: sg.global_rlct(text, variables=names, box="-1:1", timeout=fs.TIMEOUT),
    "verify": lambda text, names: _verify(text, variables=names, samples=2000, timeout=fs.TIMEOUT),
}
T = str(fs.TIMEOUT)
STREAMS = {
    "cli-random": fs.command_lines(),
    "cli-polynomials": st.builds(
        lambda p, c: ([c, p.text, "--vars", ",".join(p.variables), "--timeout", T], fs.TIMEOUT),
        fs.polynomials(),
        st.sampled_from(("rlct", "newton", "classify", "dos")),
    ),
    "cli-losses": st.builds(
        lambda p, c: ([c, p.text, "--timeout", T], fs.TIMEOUT),
        fs.losses(),
        st.sampled_from(("rlct", "newton", "classify", "dos")),
    ),
    "cli-malformed": st.builds(
        lambda text, c: ([c, text, "--timeout", T] + (["--samples", "2000"] if c == "verify" else []), fs.TIMEOUT),
        fs.malformed(),
        st.sampled_from(fs.COMMANDS),
    ),
    "cli-torus": st.builds(
        lambda d, j: (["dos", d[0], "--torus", "--vars", ",".join(d[1]), "--timeout", T] + j, fs.TIMEOUT),
        fs.dispersions(),
        st.sampled_from([[], ["--json"]]),
    ),
    "cli-tune": st.builds(
        lambda d, p: (["tune", d[0], "--params", p, "--vars", ",".join(d[1]), "--timeout", T], fs.TIMEOUT),
        fs.dispersions(parameter=True),
        st.sampled_from(["t", "t=1", "t=1/2", "t,u"]),
    ),
    "cli-global": st.builds(lambda argv: (argv, fs.TIMEOUT), fs.global_lines()),
    "cli-adjacency": st.builds(lambda name: (["adjacency", name], fs.TIMEOUT), fs.adjacency_types()),
    "api-polynomials": st.tuples(st.sampled_from(sorted(API)), st.one_of(fs.polynomials(), fs.losses())),
    "api-malformed": st.tuples(st.sampled_from(sorted(API)), fs.malformed()),
    # every rlct method and three transforms of a random polynomial: bounds and agreement of PROVEN answers
    "rlct-agreement": st.tuples(
        st.one_of(fs.polynomials(max_vars=3, max_degree=6), fs.losses(max_vars=3)), st.integers(0, 10**6)
    ),
}


def survey(stream, examples):
    """Run ``examples`` inputs of one stream; return a Counter of outcomes and {signature: (count, problem)}."""
    counts, classes = collections.Counter(), {}

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        phases=(Phase.explicit, Phase.generate),
        suppress_health_check=list(HealthCheck),
    )
    @given(case=STREAMS[stream])
    def run(case):
        outcome, problems = _run(stream, case)
        counts["runs"] += 1
        counts[outcome.kind] += 1
        counts["max seconds"] = max(counts["max seconds"], round(outcome.elapsed, 1))
        for problem in problems:
            kind = "over limit" if "over the limit" in problem else "bad json" if "JSON" in problem else outcome.kind
            if stream == "rlct-agreement":
                kind = "crash" if "crash after" in problem else "hang" if "hang after" in problem else "wrong"
            counts[f"problem: {kind}"] += 1
            signature = _signature(kind, problem)
            count, first = classes.get(signature, (0, problem))
            classes[signature] = (count + 1, first)

    run()
    return counts, classes


def _run(stream, case):
    if stream == "rlct-agreement":
        from test_metamorphic import _check_random_polynomial

        start = time.monotonic()
        try:
            _check_random_polynomial(*case)
            problems = []
        except AssertionError as exc:
            problems = [f"rlct-agreement({case[0].text!r}): " + " ".join(str(exc).split())[:800]]
        return Outcome("ok" if not problems else "wrong", time.monotonic() - start), problems
    if stream.startswith("api"):
        name, poly = case
        text, names = (poly, None) if isinstance(poly, str) else (poly.text, ",".join(poly.variables))
        outcome = run_api(API[name], text, names)
        return outcome, api_problems(f"{name}({text!r}, variables={names!r})", outcome, fs.TIMEOUT)
    argv, limit = case
    outcome = run_cli(argv)
    return outcome, cli_problems(argv, outcome, limit)


def _signature(kind, problem):
    """A failure class: the kind and the error text with numbers, quoted text and symbols blurred."""
    head, error = problem.split(": ", 1) if ": " in problem else ("", problem)
    head = head.split("(")[0] if "(" in head.split(" ")[0] else " ".join(head.split(" ")[:2])
    error = re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", error.splitlines()[0])
    error = re.sub(r"\d+(\.\d+)?", "N", error)
    if kind in ("over limit", "hang"):
        error = ""
    return f"{kind}: {head}: {error[:160]}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=40, help="examples per stream (default 40)")
    parser.add_argument("--stream", action="append", choices=sorted(STREAMS), help="only these streams (repeatable)")
    args = parser.parse_args(argv)
    totals, all_classes = collections.Counter(), {}
    for stream in args.stream or STREAMS:
        start = time.monotonic()
        counts, classes = survey(stream, args.examples)
        print(f"{stream}: {dict(counts)} in {time.monotonic() - start:.0f} s", flush=True)
        totals.update({k: v for k, v in counts.items() if k != "max seconds"})
        for signature, (count, first) in classes.items():
            old = all_classes.get(signature, (0, first))
            all_classes[signature] = (old[0] + count, old[1])
    print(f"\ntotal: {dict(totals)}")
    print(f"\n{len(all_classes)} failure classes (count, class, first reproducer):")
    for signature, (count, first) in sorted(all_classes.items(), key=lambda item: -item[1][0]):
        print(f"- {count} x {signature}\n    {first.splitlines()[0][:600]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
