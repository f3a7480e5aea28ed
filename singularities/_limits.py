"""Time and memory limits shared by every long computation: Deadline, step budgets, the watchdog guard.

A :class:`Deadline` is passed down between library functions (never bare
seconds); a step that may fail without failing the whole call runs under
:meth:`Deadline.attempt` with a budget from :data:`BUDGETS`, the one table of
named step budgets.  Two mechanisms enforce a limit (docs/limits.md):

* cooperative: :meth:`Deadline.check` between steps raises
  :class:`~singularities.errors.TimeLimitError` once the limit has passed, and
  :class:`~singularities.errors.MemoryLimitError` once the process's resident
  size has grown past the memory cap;
* enforced: inside :func:`guard` (and so inside :func:`call_with_limit`) a
  watchdog thread raises the same errors in the computing thread at its next
  Python bytecode, in any thread (it does not use ``SIGALRM``, which works only
  in the main thread).  It injects them with CPython's
  ``PyThreadState_SetAsyncExc`` through ``ctypes``: that is why ``ctypes``
  appears outside ``numeric/`` here (tests/test_layers.py names the exception).
  A single call into C that holds the interpreter lock (a long flint
  factorisation, say) is interrupted only when it returns.
"""

import copy
import os
import re
import sys
import threading
import time
from dataclasses import dataclass, fields

from .errors import InputError, MemoryLimitError, TimeLimitError

__all__ = [
    "Deadline",
    "Attempt",
    "StepBudgets",
    "BUDGETS",
    "call_with_limit",
    "guard",
    "memory_cap",
    "resident_bytes",
    "MEMORY_VARIABLE",
    "ProgressBar",
]

MEMORY_VARIABLE = "SINGULARITIES_MEMORY_LIMIT"
"""Environment variable with the memory cap: bytes with an optional K/M/G suffix (``4G``), or ``none``."""

DEFAULT_MEMORY_CAP = 8 * 2**30
"""The default memory cap (bytes a computation may add to the process's resident size), at most half the RAM."""

_REPEAT = 0.5  # seconds between re-injections while a guard stays past its limit (the error was swallowed)
_MEMORY_POLL = 0.1  # seconds between resident-size probes of the watchdog
_PROBE_INTERVAL = 0.05  # seconds between resident-size probes of Deadline.check
_BAR_WIDTH = 24  # characters of the progress bar between its | |


@dataclass(slots=True)
class StepBudgets:
    """The named step budgets: seconds (or shares of the time left) that one step may use before its caller falls back.

    A step budget never outlives the user's limit (:meth:`Deadline.sub`);
    when it runs out the caller takes its fallback (:meth:`Deadline.attempt`).
    Tests may change an entry with ``monkeypatch.setattr(BUDGETS, name, value)``.

    Examples
    --------
    >>> from singularities._limits import BUDGETS
    >>> BUDGETS.principal_part, BUDGETS.local_rlct
    (15.0, 30.0)
    """

    # thresholds/rlct.py
    newton: float = 60.0  # Newton's method in rlct's auto mode when the call has no time limit
    newton_share: float = (
        1 / 2
    )  # of the time left, for Newton's method in auto mode (theorem Q and blow-ups get the rest)
    min_newton: float = 5.0  # Newton's method in auto mode gets at least this much, when that much is left
    principal_part: float = (
        15.0  # the classification behind theorem Q (rlct's auto mode, and each jet in truncation.py)
    )
    blowup: float = 60.0  # the blow-up search in rlct's auto mode
    search_share: float = 2 / 3  # of a time limit, for the blow-up search alone; the rest re-checks its certificate
    split: float = 10.0  # factoring one factor of g into irreducible pieces (is g a power?)
    grace: float = 0.5  # after the user's limit has passed: computing the fallback bound n / ord_0 g
    # thresholds/truncation.py
    raise_order: float = 60.0  # raising the order of a Taylor jet, in total, when the call has no time limit
    # thresholds/global_rlct.py and thresholds/zero_set.py
    local_rlct: float = 30.0  # one local rlct() (or nondegeneracy()) call at a zero of K
    local_rlct_share: float = 1 / 2  # of the time left, for one local rlct() at a zero (global_rlct)
    witness: float = 10.0  # finding a Morse-Bott point on one component of the zero set
    # local/critical.py and physics/torus.py
    exact_solve: float = 60.0  # the exact solve of grad f = 0 before method="auto" turns to interval certificates
    decompose: float = 60.0  # splitting a positive-dimensional critical set into components
    sample_point: float = 10.0  # finding a (transversally non-degenerate) sample point on one component
    degenerate_points: float = (
        20.0  # solving for the points of a critical manifold where its transverse Hessian degenerates
    )
    # polyhedra/nondegeneracy.py
    face_solve: float = 10.0  # one exact solve deciding the real non-degeneracy of one face polynomial
    # thresholds/blowup.py
    chart_newton: float = 5.0  # the Newton data of one blow-up chart
    real_point: float = 5.0  # finding a real point on the zero set of one chart
    # numeric/
    newton_weights: float = 10.0  # the Newton weights that shape the sampling shells (else plain halving)
    compile: float = 300.0  # one run of the C compiler on a kernel
    compiler_version: float = 30.0  # asking the C compiler for its version

    def __str__(self):
        return "\n".join(f"{f.name}: {getattr(self, f.name):g}" for f in fields(self))


BUDGETS = StepBudgets()
"""The step budgets every module reads at call time (so a test's ``monkeypatch.setattr(BUDGETS, ...)`` reaches them)."""


class Deadline:
    """A wall-clock time limit and a memory cap, checked between steps and enforced by :func:`guard`.

    Parameters
    ----------
    seconds : float or None
        The time allowed (the user's limit, quoted by every message); ``None`` means no limit.
    progress : callable or None
        Called as ``progress(stage, done, total)`` at each :meth:`check`.
    memory : int, str or None, keyword-only
        Bytes the computation may add to the process's resident size (``"2G"``
        is accepted); ``None`` takes :func:`memory_cap`'s default, ``0`` or
        ``"none"`` switches the memory guard off.

    Examples
    --------
    >>> from singularities._limits import Deadline
    >>> deadline = Deadline(None)
    >>> deadline.check("anything")  # never raises without a limit
    >>> deadline.remaining() is None
    True
    >>> Deadline(60).sub(5).seconds  # a step budget still quotes the user's limit
    60
    """

    def __init__(self, seconds=None, progress=None, *, memory=None):
        if seconds is not None and not seconds > 0:
            raise InputError(
                f"a time limit must be a positive number of seconds, got {seconds!r}; pass timeout=None for no limit"
            )
        self.seconds = None if seconds == float("inf") else seconds
        self.step = None
        self.progress = progress
        self._end = None if self.seconds is None else time.monotonic() + self.seconds
        self.memory = memory_cap(memory)
        self._base = resident_bytes() if self.memory else None
        self._next_probe = 0.0

    @classmethod
    def coerce(cls, timeout):
        """Return ``timeout`` if it is a Deadline, else a new Deadline of that many seconds."""
        return timeout if isinstance(timeout, Deadline) else cls(timeout)

    def sub(self, seconds):
        """A Deadline of at most ``seconds`` that also ends when this one does (a budget for one step).

        Its errors quote the user's limit (``seconds`` of the root Deadline)
        and name the step budget when it was the step that ran out.
        """
        child = copy.copy(self)
        remaining = self.remaining()
        if remaining is None or seconds < remaining:
            child._end, child.step = time.monotonic() + seconds, seconds
        return child

    def attempt(self, stage, budget=None, *, catch=()):
        """A context manager that runs one step under ``budget`` and falls back when the step, not the call, fails.

        The body uses ``step.deadline`` (this Deadline, or :meth:`sub` of
        ``budget`` seconds) as its ``timeout=``.  When the body raises
        :class:`TimeLimitError` and this Deadline has not expired, the step's
        own budget ran out: the error is kept in ``step.error`` and execution
        continues after the ``with`` block, where ``step.ok`` is False.  Past
        this Deadline (the user's limit, or the caller's own budget) the
        error propagates.  Errors of the classes in ``catch`` are kept the
        same way; :class:`MemoryLimitError` always propagates.

        Parameters
        ----------
        stage : str
            What the step does (``step.stage``; for the fallback's note).
        budget : float, optional
            Seconds for the step (an entry of :data:`BUDGETS`); ``None``:
            the whole of this Deadline.
        catch : exception class or tuple, optional
            Further errors that make the step fall back.

        Returns
        -------
        Attempt

        Examples
        --------
        >>> from itertools import count
        >>> from singularities._limits import Deadline, call_with_limit
        >>> with Deadline(60).attempt("an endless step", 0.1) as step:
        ...     call_with_limit(step.deadline, "an endless step", next, (n for n in count() if n < 0))
        >>> step.ok, step.timed_out, step.error.seconds, step.error.step
        (False, True, 60, 0.1)
        >>> with Deadline(60).attempt("a failing step", catch=ArithmeticError) as step:
        ...     1 / 0
        >>> step.ok, step.failure
        (False, 'ZeroDivisionError: division by zero')
        """
        return Attempt(self, stage, budget, catch)

    def remaining(self):
        """Seconds left, or ``None`` without a limit."""
        return None if self._end is None else self._end - time.monotonic()

    def expired(self):
        """Whether the limit has passed."""
        return self._end is not None and time.monotonic() > self._end

    def check(self, stage, done=None, total=None, partial=None):
        """Report progress, then raise if the time limit has passed or memory use has grown past the cap.

        Raises
        ------
        TimeLimitError
            Past the time limit (or this step's budget).
        MemoryLimitError
            When the resident size exceeds the size at the start plus :attr:`memory`.
        """
        if self.progress is not None:
            self.progress(stage, done, total)
        if self.expired():
            raise self.time_error(stage, partial)
        if self.memory and time.monotonic() >= self._next_probe:
            self._next_probe = time.monotonic() + _PROBE_INTERVAL
            used = resident_bytes()
            if used is not None and self._base is not None and used - self._base > self.memory:
                raise MemoryLimitError(stage, used - self._base, self.memory, partial)

    def time_error(self, stage, partial=None):
        """The :class:`TimeLimitError` this Deadline raises at ``stage``."""
        return TimeLimitError(stage, self.seconds, partial, step=self.step)

    def memory_limit(self):
        """The resident size (bytes) past which the guard stops the computation, or ``None``."""
        return None if not self.memory or self._base is None else self._base + self.memory


class Attempt:
    """One step tried under its own budget (made by :meth:`Deadline.attempt`): its ``deadline``, then its outcome.

    Attributes
    ----------
    stage : str
        What the step does.
    deadline : Deadline
        The step's deadline, to pass to the step as ``timeout=``.
    error : Exception or None
        Why the step fell back; ``None`` while it has not.
    """

    __slots__ = ("stage", "deadline", "error", "_parent", "_catch")

    def __init__(self, parent, stage, budget=None, catch=()):
        self.stage, self._parent, self._catch, self.error = stage, parent, catch, None
        self.deadline = parent if budget is None else parent.sub(budget)

    @property
    def ok(self):
        """Whether the step finished (or has not failed yet)."""
        return self.error is None

    @property
    def timed_out(self):
        """Whether the step fell back because its own budget ran out."""
        return isinstance(self.error, TimeLimitError)

    @property
    def failure(self):
        """``"ErrorClass: message"`` of the error the step fell back on (for a note), or ``""``."""
        return "" if self.error is None else f"{type(self.error).__name__}: {self.error}"

    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback):
        if value is None or isinstance(value, MemoryLimitError):
            return False
        _forget_cut_guard(value)
        if isinstance(value, TimeLimitError):
            if self._parent.expired():
                return False  # the caller's limit, not the step's budget: stop the call
        elif not (self._catch and isinstance(value, self._catch)):
            return False
        self.error = value
        return True

    def __repr__(self):
        state = "ok" if self.ok else f"fell back ({type(self.error).__name__})"
        return f"<Attempt {self.stage!r}: {state}>"


class ProgressBar:
    """The progress reporter of :meth:`Deadline.check`: a bar redrawn in place on a terminal, else one line per update.

    Called as ``progress(stage, done, total)`` (the ``progress`` argument of
    :class:`Deadline`), it shows the stage as the docs name it, ``done/total``
    with a bar when the total is known, ``done`` alone when it is not, and the
    seconds since the start.  On a terminal (``stream.isatty()``) one line is
    redrawn at most ten times a second; elsewhere (a log file, ``--progress``
    with stderr redirected) a new line is written when the stage changes and
    at most once a second within a stage.  Writing never raises (a closed
    stream only silences it).  Our own 40 lines rather than tqdm: the stages
    nest and change while their totals come and go, which one tqdm bar per
    stage would show as a stack of abandoned bars, and it keeps the package
    free of one more dependency.

    Parameters
    ----------
    stream : file-like, optional
        Where to write (default ``sys.stderr``, looked up at each write).
    interval : float, optional
        Least seconds between two updates of one stage (default 0.1 on a terminal, 1 elsewhere).
    heartbeat : float, optional
        When set, a daemon thread repeats the last update (with the time) after
        this many seconds without one: a single long library call (a Groebner
        basis) sends no updates, and the user still sees the stage it is in.

    Examples
    --------
    >>> import io
    >>> from singularities._limits import Deadline, ProgressBar
    >>> stream = io.StringIO()
    >>> bar = ProgressBar(stream, interval=0)
    >>> Deadline(None, bar).check("sampling", 5, 10)
    >>> bar("critical points")
    >>> print(stream.getvalue(), end="")  # a StringIO is no terminal: lines, no bar
    singularities: sampling: 5/10 (0.0 s)
    singularities: critical points (0.0 s)
    >>> bar.tty = True
    >>> bar.line("sampling", 5, 10, 1.25)
    'sampling: |############------------| 5/10 (1.2 s)'
    """

    def __init__(self, stream=None, *, interval=None, heartbeat=None):
        self._stream, self.start = stream, time.monotonic()
        self.tty = _is_terminal(self.stream)
        self.interval = (0.1 if self.tty else 1.0) if interval is None else interval
        self._last, self._width, self._shown = (None, -float("inf")), 0, None
        self._lock, self._stop = threading.Lock(), threading.Event()
        if heartbeat:
            threading.Thread(target=self._beat, args=(heartbeat,), name="singularities-progress", daemon=True).start()

    @property
    def stream(self):
        return sys.stderr if self._stream is None else self._stream

    def __call__(self, stage, done=None, total=None):
        now = time.monotonic()
        if stage == self._last[0] and now - self._last[1] < self.interval:
            return
        self._last, self._shown = (stage, now), (stage, done, total)
        self._write(self.line(stage, done, total, now - self.start))

    def line(self, stage, done, total, seconds):
        """The text of one update (without the prefix); the bar itself only on a terminal."""
        if total:
            filled = round(_BAR_WIDTH * min(max(done or 0, 0) / total, 1))
            bar = f"|{'#' * filled}{'-' * (_BAR_WIDTH - filled)}| " if self.tty else ""
            return f"{stage}: {bar}{done or 0}/{total} ({seconds:.1f} s)"
        count = "" if done is None else f": {done}"
        return f"{stage}{count} ({seconds:.1f} s)"

    def close(self):
        """Stop the heartbeat and clear the redrawn line on a terminal (call before printing the result)."""
        self._stop.set()
        if self.tty and self._width:
            self._emit("\r" + " " * self._width + "\r")
            self._width = 0

    def _write(self, text):
        if self.tty:
            line = f"singularities: {text}"
            self._emit("\r" + line.ljust(self._width))
            self._width = len(line)
        else:
            self._emit(f"singularities: {text}\n")

    def _emit(self, text):
        with self._lock:  # the heartbeat thread writes too
            try:
                self.stream.write(text)
                self.stream.flush()
            except (OSError, ValueError):  # a closed or broken stream: progress is never worth an error
                pass

    def _beat(self, seconds):
        """Repeat the last update, with the time, while one long step (a Groebner basis, say) sends none."""
        while not self._stop.wait(seconds / 2):
            now = time.monotonic()
            if self._shown is not None and now - self._last[1] >= seconds and not self._stop.is_set():
                self._last = (self._last[0], now)
                self._write(self.line(*self._shown, now - self.start))


def guard(deadline, stage):
    """A context manager that enforces ``deadline`` on its body, in any thread.

    A watchdog thread raises :class:`TimeLimitError` (past the limit) or
    :class:`MemoryLimitError` (past the memory cap) in the thread that runs
    the body, at its next Python bytecode; it raises again every half second
    while the body goes on (library code that swallows the error does not
    escape).  Guards nest: each keeps its own limit, so an inner guard never
    outlives an outer one and the outer one still fires after the inner ends.
    Without CPython's ``ctypes.pythonapi`` the body runs unguarded and only
    the cooperative :meth:`Deadline.check` calls stop it.  Use it in a
    ``with`` statement: the guard is alive while the frame that entered it
    runs, so a guard whose exit was cut short (an error landing at the first
    bytecode of ``__exit__``) never fires into later code.

    Examples
    --------
    >>> from singularities._limits import Deadline, guard
    >>> with guard(Deadline(10), "a quick step"):
    ...     total = sum(range(1000))
    >>> total
    499500
    """
    return _Guard(deadline, stage)


def call_with_limit(deadline, stage, function, *args, **kwargs):
    """Run ``function(*args, **kwargs)`` under :func:`guard`, interrupting it when ``deadline`` passes.

    Cooperative :meth:`Deadline.check` calls cannot stop one long library
    call (a Groebner basis, say); the guard's watchdog can, in any thread.

    Examples
    --------
    >>> from singularities._limits import Deadline, call_with_limit
    >>> call_with_limit(Deadline(10), "adding", sum, [1, 2, 3])
    6
    """
    if deadline.expired():
        raise deadline.time_error(stage)
    with _Guard(deadline, stage):
        result = function(*args, **kwargs)
    return result


def memory_cap(value=None):
    """The memory cap in bytes (``None``: off) from ``value``, else the environment, else the default.

    ``value`` (or :data:`MEMORY_VARIABLE` in the environment) is a number of
    bytes with an optional K, M or G suffix, or ``none``/``0`` for no cap.
    The default is :data:`DEFAULT_MEMORY_CAP`, at most half the physical memory.

    Examples
    --------
    >>> from singularities._limits import memory_cap
    >>> memory_cap("2G")
    2147483648
    >>> memory_cap("none") is None
    True
    """
    if value is None:
        value = os.environ.get(MEMORY_VARIABLE)
    if value is None:
        physical = _physical_bytes()
        return DEFAULT_MEMORY_CAP if physical is None else min(DEFAULT_MEMORY_CAP, physical // 2)
    return _parse_bytes(value)


def resident_bytes():
    """The resident size of this process in bytes (``None`` where it cannot be read).

    Examples
    --------
    >>> from singularities._limits import resident_bytes
    >>> resident_bytes() is None or resident_bytes() > 0
    True
    """
    try:
        with open("/proc/self/statm", "rb") as handle:
            return int(handle.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return _peak_bytes()


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _peak_bytes():
    """The peak resident size (``resource``), where /proc is missing; ``None`` without it."""
    try:
        import resource
        import sys
    except ImportError:
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def _physical_bytes():
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None


def _parse_bytes(value):
    text = str(value).strip().lower()
    if text in ("none", "off", "0", ""):
        return None
    match = re.fullmatch(r"(\d+(?:\.\d*)?)\s*([kmgt]?)i?b?", text)
    if match is None or not float(match.group(1)) > 0:
        raise MemoryLimitError.bad_setting(value)
    return int(float(match.group(1)) * 1024 ** " kmgt".index(match.group(2) or " "))


# ----------------------------------------------------------------------------- the watchdog


class _TimeInterrupt(TimeLimitError):
    """What the watchdog injects past a time limit; filled from the guard that fired."""

    def __init__(self, *args, **kwargs):
        if args:
            super().__init__(*args, **kwargs)
            return
        fired = _WATCHDOG.pending.get(threading.get_ident())
        super().__init__(
            *((fired.stage, fired.deadline.seconds) if fired else ("a long step", None)),
            step=fired.deadline.step if fired else None,
        )

    def __reduce__(self):
        return TimeLimitError, (self.stage, self.seconds, self.partial, self.step)


class _MemoryInterrupt(MemoryLimitError):
    """What the watchdog injects past the memory cap; filled from the guard that fired."""

    def __init__(self, *args):
        if args:
            super().__init__(*args)
            return
        fired = _WATCHDOG.pending.get(threading.get_ident())
        used = None if fired is None or fired.used is None else fired.used - fired.deadline._base
        super().__init__(fired.stage if fired else "a long step", used, fired.deadline.memory if fired else None)

    def __reduce__(self):
        return MemoryLimitError, (self.stage, self.used, self.cap, self.partial)


class _HardStop(BaseException):
    """Injected when an error of the watchdog was swallowed (``except Exception``); the guard that fired converts it."""


for _class, _name in ((_TimeInterrupt, "TimeLimitError"), (_MemoryInterrupt, "MemoryLimitError")):
    _class.__name__ = _class.__qualname__ = _name  # tracebacks name the public error
    _class.__module__ = "singularities.errors"


class _Guard:
    """One guarded block: its thread, its Deadline and what the watchdog has done to it."""

    __slots__ = ("thread", "deadline", "stage", "end", "memory", "fired_at", "used", "frame")

    def __init__(self, deadline, stage):
        self.thread, self.deadline, self.stage = threading.get_ident(), deadline, stage
        self.end, self.memory = deadline._end, deadline.memory_limit()
        self.fired_at = self.used = self.frame = None

    def __enter__(self):
        if _SET_ASYNC_EXC is None or (self.end is None and self.memory is None):
            return self
        self.frame = sys._getframe(1)  # the frame that runs the with statement: the guard is alive while it is
        try:
            _WATCHDOG.add(self)
        except BaseException:
            _WATCHDOG.remove(self)
            raise
        return self

    def __exit__(self, kind, value, traceback):
        if value is not None:
            _forget_cut_guard(value)
        late = self._disarm()
        if late is not None and kind is None:
            value = late  # the body finished, but an error arrived while leaving
        if self.used is not None or isinstance(value, MemoryLimitError):
            _release_memory()
        if isinstance(value, _HardStop) and self.fired_at is None:
            stopped = _WATCHDOG.stopped.get(self.thread)
            if stopped is not None and stopped in _WATCHDOG.guards:
                raise value  # an outer guard's stop: that guard converts it
            # a stop for a guard whose own exit was interrupted (it is gone now): its limit has passed
            raise (self if stopped is None else stopped)._error() from None
        if self.fired_at is not None and not isinstance(value, (TimeLimitError, MemoryLimitError)):
            # the body swallowed the error (library code catching Exception) or failed because of it:
            # its result cannot be trusted, and the limit has passed anyway
            raise self._error() from (None if value is None or isinstance(value, _HardStop) else value)
        if value is late and late is not None:
            raise late
        return False

    def _disarm(self):
        """Leave the watchdog; return an error that arrived meanwhile (an outer guard's, or this one's)."""
        late = None
        while True:
            try:
                _WATCHDOG.remove(self)
                return late
            except (TimeLimitError, MemoryLimitError, _HardStop) as exc:
                late = exc

    def _error(self):
        if self.used is not None:
            return MemoryLimitError(self.stage, self.used - self.deadline._base, self.deadline.memory)
        return self.deadline.time_error(self.stage)

    def due(self, now, used):
        """The error class to raise now, or None."""
        if self.end is not None and now >= self.end:
            return _TimeInterrupt
        if self.memory is not None and used is not None and used > self.memory:
            self.used = used
            return _MemoryInterrupt
        return None


class _Watchdog:
    """One daemon thread per process that raises errors in threads whose guards have run out.

    The computing threads touch only C-level locks (a Python-level lock such
    as ``threading.Condition`` could be left held by an error arriving inside
    its ``__enter__``); ``wake`` is released to wake the watchdog early.
    """

    def __init__(self):
        self.lock, self.wake = threading.Lock(), threading.Lock()
        self.wake.acquire()
        self.guards, self.pending, self.stopped, self.thread = [], {}, {}, None
        self.wake_at = 0.0  # when the watchdog looks next (monotonic seconds); it is woken only for earlier work

    def add(self, guard):
        if self.thread is None:
            self._start()
        with self.lock:
            self.guards.append(guard)
            due = guard.end if guard.end is not None else float("inf")
            if guard.memory is not None:
                due = min(due, time.monotonic() + _MEMORY_POLL)
            if due >= self.wake_at:
                return  # the watchdog already looks at or before this guard's first due time
        try:
            self.wake.release()
        except RuntimeError:  # already awake
            pass

    def remove(self, guard):
        """Unregister ``guard`` and every guard its thread registered after it.

        Blocks in one thread nest, so a later guard of the same thread that is
        still registered is one whose ``__exit__`` was cut short (an error
        injected at its first bytecode): it must not fire again.
        """
        with self.lock:
            if guard in self.guards:
                index = self.guards.index(guard)
                self.guards[index:] = [g for g in self.guards[index + 1 :] if g.thread != guard.thread]
            if self.pending.get(guard.thread) is guard:
                _SET_ASYNC_EXC(guard.thread, None)  # an error injected but not yet raised: withdraw it
                del self.pending[guard.thread]

    def _start(self):
        with self.lock:
            if self.thread is not None:
                return
            self.thread = threading.Thread(target=self._run, name="singularities-watchdog", daemon=True)
        self.thread.start()

    def _run(self):
        while True:
            with self.lock:
                now = time.monotonic()
                wait = self._step(now)
                self.wake_at = float("inf") if wait is None else now + wait
            self.wake.acquire(timeout=-1 if wait is None else wait)
            with self.lock:
                self.wake_at = 0.0  # awake: every new guard is seen at the next step

    def _step(self, now):
        """Fire the guards that are due; return how long to sleep."""
        watch_memory = any(g.memory is not None for g in self.guards)
        used = resident_bytes() if watch_memory else None
        wait = _MEMORY_POLL if watch_memory else None
        frames = None
        for g in list(self.guards):
            error = g.due(now, used)
            if error is not None and not _alive(g, frames := frames or sys._current_frames()):
                self._forget(g)  # its block has ended although its exit did not run
                continue
            if error is None:
                if g.end is not None:
                    wait = g.end - now if wait is None else min(wait, g.end - now)
                continue
            if g.fired_at is None or now - g.fired_at >= _REPEAT:
                error = (
                    error if g.fired_at is None else _HardStop
                )  # swallowed once: now one that except Exception misses
                g.fired_at = now
                self.pending[g.thread] = g
                if error is _HardStop:
                    self.stopped[g.thread] = g
                if _SET_ASYNC_EXC(g.thread, error) == 0:  # the thread has gone
                    self._forget(g)
                    continue
            wait = _REPEAT if wait is None else min(wait, _REPEAT)
        return None if wait is None else min(max(wait, 1e-3), 3600.0)

    def _forget(self, guard):
        """Drop a guard whose block has ended (called with the lock held)."""
        self.guards.remove(guard)
        if self.pending.get(guard.thread) is guard:
            _SET_ASYNC_EXC(guard.thread, None)
            del self.pending[guard.thread]

    def reset(self):
        """After fork: the child has no watchdog thread and no guards of the parent's threads."""
        self.__init__()


def _is_terminal(stream):
    try:
        return bool(stream.isatty())
    except (AttributeError, OSError, ValueError):
        return False


def _forget_cut_guard(error):
    """Unregister the guard whose ``__exit__`` ``error`` cut short (injected at its first bytecode), if any.

    Such a guard's block is over but it was never removed; left registered it
    would fire again into whatever code its thread runs next.
    """
    tb = error.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is not None and tb.tb_frame.f_code.co_name == "__exit__":
        cut = tb.tb_frame.f_locals.get("self")
        if isinstance(cut, _Guard):
            _WATCHDOG.remove(cut)


def _alive(guard, frames):
    """Whether the frame that entered ``guard`` is still on its thread's stack."""
    frame = frames.get(guard.thread)
    while frame is not None:
        if frame is guard.frame:
            return True
        frame = frame.f_back
    return False


def _async_exc_setter():
    """``PyThreadState_SetAsyncExc`` as ``set(thread_id, exception_class_or_None) -> int``, or None."""
    try:
        import ctypes

        api = ("PyThreadState_SetAsyncExc", ctypes.pythonapi)
        inject = ctypes.PYFUNCTYPE(ctypes.c_int, ctypes.c_ulong, ctypes.py_object)(api)
        withdraw = ctypes.PYFUNCTYPE(ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p)(api)
    except (ImportError, AttributeError, OSError):
        return None
    return lambda thread, error: withdraw(thread, None) if error is None else inject(thread, error)


def _release_memory():
    """Hand freed memory back to the system after a memory-limit stop (glibc keeps it otherwise)."""
    import gc

    gc.collect()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (ImportError, OSError, AttributeError):
        pass


_SET_ASYNC_EXC = _async_exc_setter()
_WATCHDOG = _Watchdog()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_WATCHDOG.reset)
