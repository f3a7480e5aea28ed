"""Benchmark: a 20-point t' grid of the square lattice as a sweep, 2 local Dask workers against serial.

The sweep is the van Hove table (every critical point on the torus with its
type and DOS columns) at t' = 0, 1/40, ..., 19/40 (t = 1), the issue-18
acceptance case; ``--tpp`` adds a fixed third-neighbour hopping t'' (heavier
tasks: the critical points leave the symmetry points).  The serial run is in
this process; the Dask run uses a LocalCluster of ``--workers`` processes
with one thread each, whose start (and the workers' import of the package)
is timed on its own.  Both runs use no cache.  Printed: wall seconds of each,
the speed-up serial / Dask (with and without the cluster's start), and
whether the merged tables are equal (they must be); then both once more
("again": the processes' sympy caches are warm, the steady state of a long
sweep).

Run:  python benchmarks/bench_sweep.py [--workers 2] [--points 20] [--tpp 1/10]
"""

import argparse
import os
import pathlib
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's package, here and (by spawn) in the workers

from singularities.reports.sweep import sweep  # noqa: E402

SQUARE = "-2*t*(cos(kx) + cos(ky)) - 4*tp*cos(kx)*cos(ky)"
THIRD = " - 2*tpp*(cos(2*kx) + cos(2*ky))"


def spec(points, tpp):
    function, parameters = (SQUARE, {"t": "1"}) if tpp is None else (SQUARE + THIRD, {"t": "1", "tpp": tpp})
    return {
        "function": function,
        "variables": "kx,ky",
        "parameters": parameters,
        "domain": "torus",
        "grid": {"tp": [f"{i}/{2 * points}" for i in range(points)]},  # 0 <= t' < 1/2: no line of critical points
        "columns": "point,value,type,DOS exponent,log power,L,C_+,C_-",
        "timeout": 300,
    }


def _warm():
    import singularities.reports.sweep  # noqa: F401


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2, help="worker processes of the local cluster (default 2)")
    parser.add_argument("--points", type=int, default=20, help="grid points of t' (default 20)")
    parser.add_argument("--tpp", help="a fixed t'' (e.g. 1/10) for heavier tasks")
    args = parser.parse_args(argv)
    import dask.distributed

    grid = spec(args.points, args.tpp)
    start = time.perf_counter()
    serial = sweep(grid, scheduler="serial", cache=False)
    serial_s = time.perf_counter() - start
    start = time.perf_counter()
    with (
        dask.distributed.LocalCluster(
            n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=40
        ) as cluster,
        dask.distributed.Client(cluster) as client,
    ):
        client.run(_warm)  # the workers' import of the package belongs to the start
        start_s = time.perf_counter() - start
        start = time.perf_counter()
        parallel = sweep(grid, scheduler=cluster.scheduler_address, cache=False)
        parallel_s = time.perf_counter() - start
        start = time.perf_counter()
        sweep(grid, scheduler=cluster.scheduler_address, cache=False)  # warm workers (their sympy caches filled)
        warm_parallel_s = time.perf_counter() - start
    start = time.perf_counter()
    sweep(grid, scheduler="serial", cache=False)
    warm_serial_s = time.perf_counter() - start
    same = "yes" if parallel.tables == serial.tables else "NO"
    rows = len(serial.tables[0].rows)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"square lattice, {args.points} t' points{'' if args.tpp is None else f', tpp = {args.tpp}'}: {rows} rows")
    print(f"{os.cpu_count()} CPUs, load average {load} (other processes share the CPUs: speed-ups shrink)")
    print(
        f"{'':6} {'serial s':>9} {'cluster start s':>16} {'dask s':>7} {'speed-up':>9} {'incl. start':>12}  same table"
    )
    print(
        f"{'first':6} {serial_s:9.2f} {start_s:16.2f} {parallel_s:7.2f} {serial_s / parallel_s:9.2f} "
        f"{serial_s / (parallel_s + start_s):12.2f}  {same}"
    )
    print(f"{'again':6} {warm_serial_s:9.2f} {'':16} {warm_parallel_s:7.2f} {warm_serial_s / warm_parallel_s:9.2f}")


if __name__ == "__main__":
    main()
