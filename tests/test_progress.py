"""Progress on stderr (docs/limits.md#progress): within 2 s on a long command, a bar on a terminal, quiet otherwise."""

import io
import os
import pty
import re
import subprocess
import sys
import threading
import time

import pytest

from singularities._limits import Deadline, ProgressBar
from singularities.cli import main

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The cubic lattice's tune spends over 10 s in one Groebner basis (measured: "Groebner basis of the
# degeneration system" for 12 s before the next stage): a job longer than 5 s with a long silent library call.
LONG_JOB = [
    "tune",
    "-2*t*(cos(x) + cos(y) + cos(z)) - 8*t3*cos(x)*cos(y)*cos(z)",
    "--params",
    "t=1,t3",
    "--timeout",
    "5.5",
]


class _Reader(threading.Thread):
    """Collects (seconds since start, text) for every line or redraw (split at \\n and \\r) read from fd."""

    def __init__(self, fd, start):
        super().__init__(daemon=True)
        self.fd, self.origin, self.updates = fd, start, []

    def run(self):
        buffer, since = "", None  # the text not yet ended by \r or \n, and when its first byte arrived
        while True:
            try:
                data = os.read(self.fd, 4096)
            except OSError:  # the pty's other side closed
                break
            if not data:
                break
            now = time.monotonic() - self.origin
            for piece in re.split(r"([\r\n])", data.decode(errors="replace")):
                if piece in ("\r", "\n"):
                    if buffer.strip():
                        self.updates.append((since, buffer.strip()))
                    buffer, since = "", None
                elif piece:
                    buffer, since = buffer + piece, now if since is None else since
        if buffer.strip():
            self.updates.append((since, buffer.strip()))


def _run(argv, terminal):
    """Start the CLI with stderr on a pseudo-terminal or a pipe; return (process, reader)."""
    start = time.monotonic()
    if terminal:
        leader, follower = pty.openpty()
        process = subprocess.Popen(
            [sys.executable, "-m", "singularities", *argv], cwd=ROOT, stdout=subprocess.PIPE, stderr=follower
        )
        os.close(follower)
        reader = _Reader(leader, start)
    else:
        process = subprocess.Popen(
            [sys.executable, "-m", "singularities", *argv], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        reader = _Reader(process.stderr.fileno(), start)
    reader.start()
    return process, reader


def _progress(updates):
    return [(t, text) for t, text in updates if text.startswith("singularities: ") and "error" not in text]


@pytest.mark.parametrize("terminal", [True, pytest.param(False, marks=pytest.mark.slow)])
def test_long_job_reports_within_2_s(terminal):
    """On a terminal by default, with --progress on a pipe: news at the start of the work and every 2 s after.

    The first line is written as soon as the command line is parsed, before any computation (its time is
    "(0.0 s)", counted from the bar's start); the wall-clock time before it is Python's start and the package
    import, which on a loaded machine varies by seconds and is no part of the computation.  From that line on,
    the test reads the timestamps of every update (split at \\r and \\n) up to the error line of the time limit.
    """
    process, reader = _run(LONG_JOB if terminal else LONG_JOB + ["--progress"], terminal=terminal)
    process.wait(timeout=120)
    reader.join(timeout=10)
    updates = _progress(reader.updates)
    assert process.returncode == 2  # the 5.5 s limit stops it: exit 2, one error line
    end, last = reader.updates[-1]
    assert last.startswith("singularities: error: time limit of 5.5 s")
    assert updates and updates[0][1] == "singularities: starting tune (0.0 s)"
    times = [t for t, _ in updates]
    assert end - times[0] > 5.0  # a job that ran longer than 5 s after its first line
    gaps = [b - a for a, b in zip(times, times[1:] + [end])]
    assert max(gaps) < 2.0, updates  # never 2 s without news, up to the error line
    assert any("Groebner basis of the degeneration system" in text for _, text in updates)  # the docs' stage name
    if terminal:
        assert any(re.search(r"\(\d+\.\d s\)$", text) for _, text in updates[1:])  # redrawn with the time


def test_quiet_and_redirected_stderr_stay_silent():
    process, reader = _run(["rlct", "x**2*y**2", "--quiet"], terminal=True)
    process.wait(timeout=60)
    reader.join(timeout=10)
    assert process.returncode == 0 and reader.updates == []
    result = subprocess.run(
        [sys.executable, "-m", "singularities", "rlct", "x**2*y**2"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0 and result.stderr == ""  # not a terminal, no --progress: nothing


def test_progress_and_quiet_exclude_each_other(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["rlct", "x**2", "--progress", "--quiet"])
    assert stop.value.code == 2 and "not allowed with argument" in capsys.readouterr().err


def test_bar_shows_stages_without_a_total_and_counts_with_one():
    stream = io.StringIO()
    bar = ProgressBar(stream, interval=0)
    deadline = Deadline(None, bar)
    deadline.check("Groebner basis of the system")
    deadline.check("sampling", 3, 4)
    deadline.sub(5).check("a step", 1)  # a step budget keeps the reporter
    lines = stream.getvalue().splitlines()
    assert [re.sub(r" \(\d+\.\d s\)$", "", line) for line in lines] == [
        "singularities: Groebner basis of the system",
        "singularities: sampling: 3/4",
        "singularities: a step: 1",
    ]
    bar.tty = True
    assert bar.line("sampling", 3, 4, 0.0).startswith("sampling: |" + "#" * 18 + "-" * 6 + "| 3/4")  # 24 * 3/4 = 18


def test_heartbeat_repeats_the_stage_during_a_silent_step():
    stream = io.StringIO()
    bar = ProgressBar(stream, heartbeat=0.2)
    bar("one long Groebner basis")
    time.sleep(0.7)  # no update from the computation: the heartbeat writes at 0.2 s and later
    bar.close()
    lines = stream.getvalue().splitlines()
    assert len(lines) >= 2 and all(line.startswith("singularities: one long Groebner basis (") for line in lines)
    count = len(lines)
    time.sleep(0.3)
    assert len(stream.getvalue().splitlines()) == count  # closed: the heartbeat has stopped


def test_a_broken_stream_never_raises():
    stream = io.StringIO()
    stream.close()
    ProgressBar(stream, interval=0)("sampling", 1, 2)  # no ValueError: progress is never worth an error


@pytest.mark.parametrize("terminal", [True, False])
def test_the_bar_is_cleared_before_the_result(terminal):
    stream = io.StringIO()
    bar = ProgressBar(stream, interval=0)
    bar.tty = terminal
    bar("sampling", 1, 2)
    bar.close()
    text = stream.getvalue()
    assert text.endswith("\r") if terminal else text.endswith("\n")
