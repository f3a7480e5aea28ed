"""The two polynomial backends agree: a reduced but real part of the suite runs on the sympy path.

The default run computes on FLINT (python-flint, which also switches sympy to
flint ground types).  Here a selection of the suite (exact algebra, real zeros,
Newton data, classification, RLCTs, the torus quick cases) runs again in a
subprocess with ``SINGULARITIES_BACKEND=sympy`` and ``SYMPY_GROUND_TYPES=python``:
the same assertions must hold on the reference path and under sympy's
pure-Python ground types (where, for instance, a string monomial order works
that fails under flint ground types, and the other way round).  The whole suite
runs either way with ``SINGULARITIES_BACKEND=sympy python -m pytest``
(docs/testing.md).
"""

import os
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
#: Set in the subprocess, so that a run of the selection never starts this test again inside itself.
INNER = "SINGULARITIES_BACKENDS_INNER_RUN"
FILES = [
    "tests/test_algebra.py",
    "tests/test_realzeros.py",
    "tests/test_newton.py",
    "tests/test_classify.py",
    "tests/test_rlct.py",
    "tests/test_torus.py",
]
# The selection: every test of these files except the slowest ones (each over ~2 CPU-s on the sympy path,
# or comparing sympy with itself), and of the torus file the quick lattices only; about 30 CPU-s in all.
SELECTION = " and ".join(
    [
        "not lex_basis_is_the_same",
        "not invariant_under_coordinate_changes",
        "not irrational_slopes",
        "not unsettled_rows",
        "not scaling_and_permuting",
        "not squaring_halves",
        "not x9_modulus",
        "not j10_modulus_is_a_coordinate_invariant",
        "not x9_with_irrational_coefficients",
        "not time_limit_in_the_blowup",
        "not sum_of_squares_is_settled",
        "not (test_torus and not (square_lattice_nearest_neighbour or triangular_lattice_nearest_neighbour"
        " or chain_with_quartic or cubic_lattice))",
    ]
)

pytestmark = pytest.mark.skipif(os.environ.get(INNER) == "1", reason="already inside the two-backend run")


def _environment():
    env = dict(os.environ, SINGULARITIES_BACKEND="sympy", SYMPY_GROUND_TYPES="python", **{INNER: "1"})
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])
    return env


def test_the_subprocess_runs_the_sympy_path_with_python_ground_types():
    # The run below is only a cross-check if its settings reach the package: ask the child itself.
    code = (
        "from sympy.external.gmpy import GROUND_TYPES; from singularities.algebra.backend import backend; "
        "import singularities; print(GROUND_TYPES, backend(), singularities.__file__)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=_environment(), capture_output=True, text=True, timeout=120
    )
    ground_types, name, path = out.stdout.split()
    assert (ground_types, name) == ("python", "sympy")
    assert pathlib.Path(path).resolve().is_relative_to(ROOT)


def test_a_reduced_suite_passes_on_the_sympy_path():
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", *FILES]
    out = subprocess.run(
        [*command, "-k", SELECTION], cwd=ROOT, env=_environment(), capture_output=True, text=True, timeout=1200
    )
    assert out.returncode == 0, f"the sympy-path run failed:\n{out.stdout[-6000:]}\n{out.stderr[-2000:]}"
    assert " passed" in out.stdout and " failed" not in out.stdout
