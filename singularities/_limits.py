"""Time limits and progress reports shared by every long computation."""

import time

from .errors import TimeLimitError

__all__ = ["Deadline", "call_with_limit"]


class Deadline:
    """A wall-clock time limit, checked cooperatively between steps.

    Parameters
    ----------
    seconds : float or None
        The time allowed; ``None`` means no limit.
    progress : callable or None
        Called as ``progress(stage, done, total)`` at each :meth:`check`.

    Examples
    --------
    >>> from singularities._limits import Deadline
    >>> deadline = Deadline(None)
    >>> deadline.check("anything")  # never raises without a limit
    >>> deadline.remaining() is None
    True
    """

    def __init__(self, seconds=None, progress=None):
        if seconds is not None and not seconds > 0:
            raise ValueError(f"a time limit must be positive, got {seconds!r}")
        self.seconds = seconds
        self.progress = progress
        self._end = None if seconds is None else time.monotonic() + seconds

    @classmethod
    def coerce(cls, timeout):
        """Return ``timeout`` if it is a Deadline, else a new Deadline of that many seconds."""
        return timeout if isinstance(timeout, Deadline) else cls(timeout)

    def sub(self, seconds):
        """A Deadline of at most ``seconds`` that also ends when this one does (a budget for one step)."""
        remaining = self.remaining()
        limit = seconds if remaining is None else max(min(seconds, remaining), 1e-3)
        return Deadline(limit, self.progress)

    def remaining(self):
        """Seconds left, or ``None`` without a limit."""
        return None if self._end is None else self._end - time.monotonic()

    def expired(self):
        """Whether the limit has passed."""
        return self._end is not None and time.monotonic() > self._end

    def check(self, stage, done=None, total=None, partial=None):
        """Report progress, then raise :class:`TimeLimitError` if the limit has passed."""
        if self.progress is not None:
            self.progress(stage, done, total)
        if self.expired():
            raise TimeLimitError(stage, self.seconds, partial)


def _alarm_available():
    import signal
    import threading

    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def call_with_limit(deadline, stage, function, *args, **kwargs):
    """Run ``function(*args, **kwargs)``, interrupting it when ``deadline`` passes.

    Cooperative :meth:`Deadline.check` calls cannot stop one long library call
    (a Groebner basis, say).  In the main thread of a Unix process this sets
    an interval timer whose signal raises :class:`TimeLimitError` inside the
    call; elsewhere the call runs to its end and the deadline is checked after.
    """
    remaining = deadline.remaining()
    if remaining is None or not _alarm_available():
        result = function(*args, **kwargs)
        deadline.check(stage)
        return result
    if remaining <= 0:
        raise TimeLimitError(stage, deadline.seconds)
    import signal

    def _raise(signum, frame):
        raise TimeLimitError(stage, deadline.seconds)

    # An enclosing call_with_limit may have a timer running: fire no later than it, and
    # re-arm it afterwards, or the outer limit would be lost after this call returns.
    previous = signal.signal(signal.SIGALRM, _raise)
    outer, _ = signal.getitimer(signal.ITIMER_REAL)
    start = time.monotonic()
    signal.setitimer(signal.ITIMER_REAL, min(remaining, outer) if outer > 0 else remaining)
    try:
        return function(*args, **kwargs)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer > 0:
            signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - start), 1e-6))
