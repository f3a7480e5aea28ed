"""Time limits: cooperative deadlines and the interval timer of call_with_limit."""

import time

import pytest

from singularities._limits import Deadline, call_with_limit
from singularities.errors import TimeLimitError


def _busy(seconds):
    """Pure-Python work for ``seconds`` (interruptible only by a signal)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass
    return "finished"


def test_call_with_limit_interrupts_a_long_call():
    start = time.monotonic()
    with pytest.raises(TimeLimitError):
        call_with_limit(Deadline(0.2), "busy", _busy, 5)
    assert time.monotonic() - start < 2


def test_an_inner_limit_does_not_cancel_the_outer_one():
    # the outer call runs a short inner call_with_limit, then works on: the outer limit must still fire
    def outer_work():
        call_with_limit(Deadline(10), "inner", _busy, 0.01)
        return _busy(5)

    start = time.monotonic()
    with pytest.raises(TimeLimitError):
        call_with_limit(Deadline(0.3), "outer", outer_work)
    assert time.monotonic() - start < 2


def test_an_inner_call_stops_at_the_outer_limit():
    # the inner limit is generous, the outer one is not: the inner call is interrupted at the outer limit
    start = time.monotonic()
    with pytest.raises(TimeLimitError):
        call_with_limit(Deadline(0.3), "outer", lambda: call_with_limit(Deadline(10), "inner", _busy, 5))
    assert time.monotonic() - start < 2


def test_no_timer_is_left_behind():
    import signal

    call_with_limit(Deadline(5), "quick", _busy, 0.01)
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0
