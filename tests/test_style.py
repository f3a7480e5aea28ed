"""The code style is part of the build: ruff's lint and format checks pass (configuration in pyproject.toml).

ruff comes with the test extra (pinned to one minor version, so that a new
release cannot change the formatting under a passing checkout).
"""

import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
PATHS = ["singularities", "tests", "benchmarks", "examples", "docs/generate_reference.py"]


def _ruff(*args):
    pytest.importorskip("ruff", reason="ruff comes with the test extra: pip install -e '.[test]'")
    return subprocess.run([sys.executable, "-m", "ruff", *args, *PATHS], cwd=ROOT, capture_output=True, text=True)


def test_lint():
    result = _ruff("check", "--no-cache")
    assert result.returncode == 0, f"ruff check found problems (fix them, or run ruff check --fix):\n{result.stdout}"


def test_format():
    result = _ruff("format", "--check", "--no-cache")
    assert result.returncode == 0, f"run: ruff format {' '.join(PATHS)}\n{result.stdout}"
