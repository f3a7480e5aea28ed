"""Shared timing helper for the benchmarks: median wall time over repeats."""

import statistics
import time


def median_time(function, repeats):
    """Median of ``repeats`` wall-clock timings of ``function()`` in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
