"""Sweeps (reports/sweep.py, docs/sweep.md): Dask and serial give one table, the cache resumes, chunks merge exactly."""

import json

import pytest
import sympy

from singularities.cli import main
from singularities.errors import InputError, SingularitiesWarning
from singularities.numeric.sampling import volume_samples
from singularities.numeric.verify import verify
from singularities.reports import sweep as sweep_module
from singularities.reports.sweep import render_sweep, sample_chunks, sweep, sweep_tasks

SQUARE = "-2*t*(cos(kx) + cos(ky)) - 4*tp*cos(kx)*cos(ky)"
GRID = ["0", "1/10", "1/5"]
SQUARE_SPEC = {
    "function": SQUARE,
    "variables": "kx,ky",
    "parameters": {"t": "1"},
    "domain": "torus",
    "grid": {"tp": GRID},
    "columns": "point,value,type,log power,L",
    "timeout": 120,
}
SAMPLE_SPEC = {
    "function": "x**2 + y**4",
    "commands": ["sample"],
    "numeric": {"samples": 2 * 10**6, "chunks": 5, "seed": 11, "thresholds": [0.5, 0.05, 0.005]},
}


@pytest.fixture(scope="module")
def cluster():
    """A LocalCluster of 2 worker processes, shared by the tests that pass its address as the scheduler."""
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=40
    ) as local:
        yield local.scheduler_address


def _square_truths(tp):
    # E = -2 (cos kx + cos ky) - 4 t' cos kx cos ky (t = 1): at Gamma (0, 0) E = -4 - 4 t' (the bottom for
    # 0 <= t' < 1/2), at X (0, pi) and (pi, 0) E = -2 (1 - 1) - 4 t' (1)(-1) = 4 t' (the saddles: Morse index 1,
    # log power 1), at M (pi, pi) E = 4 - 4 t' (the top).  All four are Morse (A1) for t' < 1/2.
    tp = sympy.Rational(tp)
    return {
        (0, 0): (-4 - 4 * tp, 0),
        (0, sympy.pi): (4 * tp, 1),
        (sympy.pi, 0): (4 * tp, 1),
        (sympy.pi, sympy.pi): (4 - 4 * tp, 0),
    }


def test_two_dask_workers_give_the_serial_tables(cluster, tmp_path):
    """One cluster for both acceptance checks (a cluster's start and its workers' imports cost seconds)."""
    _check_square_lattice_grid(cluster, tmp_path)
    _check_chunked_sampling(cluster)


def _check_square_lattice_grid(cluster, tmp_path):
    serial = sweep(SQUARE_SPEC, scheduler="serial", cache=False)
    parallel = sweep(SQUARE_SPEC, scheduler=cluster, cache=tmp_path)
    assert parallel.tables == serial.tables  # same rows, same exact cells, same order
    assert dict(parallel.footer)["scheduler"].startswith("dask tcp://")
    table = serial.table("table")
    assert table.columns == ("tp", "point", "value", "type", "log power", "L")
    assert len(table.rows) == 4 * len(GRID)
    for tp, point, value, kind, log_power, coefficient in table.rows:
        expected_value, expected_log = _square_truths(tp)[tuple(point)]
        assert (value, kind, log_power) == (expected_value, "A1", expected_log)
        if tp == 0 and log_power == 1:
            # t' = 0: rho(E) ~ (1/(2 pi^2)) log(16/|E|) near E = 0 (the two saddles together; Economou,
            # Green's functions, the square lattice), so each saddle's coefficient of log|E| is -1/(4 pi^2).
            assert sympy.simplify(coefficient + 1 / (4 * sympy.pi**2)) == 0


def _check_chunked_sampling(cluster):
    # The sampler seeds work chunk j by (seed, j), so chunks 0-6, 7-13, ... drawn anywhere are the samples of
    # one run over chunks 0-30: the integer counts must agree exactly, serial or on two workers.
    tasks = sweep_tasks(SAMPLE_SPEC)
    total = sum(t["chunk"]["n_samples"] for t in tasks)
    assert len(tasks) == 5 and total == 31 * 65536
    thresholds = SAMPLE_SPEC["numeric"]["thresholds"]
    one_run = volume_samples("x**2 + y**4", thresholds, n_samples=total, seed=11, threads=1)
    tables = [sweep(SAMPLE_SPEC, scheduler=s, cache=False).table("sample") for s in ("serial", cluster)]
    assert tables[0] == tables[1]
    assert tables[0].columns == ("threshold", "count", "count g<0", "volume", "low", "high")
    assert [row[1] for row in tables[0].rows] == list(one_run.counts)
    assert [row[2] for row in tables[0].rows] == list(one_run.counts_minus) == [0, 0, 0]  # g = x^2 + y^4 >= 0
    parts = [sweep_module.from_dict(sweep_module.run_task(t)["result"]) for t in tasks]
    assert sweep_module._merged_samples(parts) == one_run  # every field: counts, n_samples, seed, first chunk 0


def test_cache_resume_does_no_work(tmp_path, monkeypatch):
    spec = {**SQUARE_SPEC, "grid": {"tp": GRID[:2]}}
    first = sweep(spec, scheduler="serial", cache=tmp_path)
    assert len(list(tmp_path.glob("*.json"))) == 2  # one file per task
    assert dict(first.footer)["tasks"].startswith("2 (0 from the cache)")

    def no_work(task, progress=None):
        raise AssertionError(f"ran {task['label']} again")

    monkeypatch.setattr(sweep_module, "run_task", no_work)
    again = sweep(spec, scheduler="auto", cache=tmp_path)  # "auto" would start a cluster if anything were left
    assert again.tables == first.tables
    assert dict(again.footer)["tasks"].startswith("2 (2 from the cache)")
    grown = {**spec, "grid": {"tp": GRID}}  # one more grid point: only it runs
    monkeypatch.undo()
    assert dict(sweep(grown, scheduler="serial", cache=tmp_path).footer)["tasks"].startswith("3 (2 from the cache)")


def test_a_new_version_misses_the_cache(tmp_path, monkeypatch):
    task = sweep_tasks(SQUARE_SPEC)[0]
    before = sweep_module.task_key(task)
    monkeypatch.setattr(sweep_module, "__version__", "0.0.0-other")
    assert sweep_module.task_key(task) != before


def test_grid_order_is_kept_and_repeated_values_run_once():
    # a product grid, the last name fastest; "1" listed twice is one task, where it first came
    tasks = sweep_tasks({"function": "x**2 + a*y**2 + b*z**2", "grid": {"a": ["1", "0", "1"], "b": ["2", "3"]}})
    assert [t["parameters"] for t in tasks] == ["a=1,b=2", "a=1,b=3", "a=0,b=2", "a=0,b=3"]


def test_sample_chunks_cover_the_work_chunks_once():
    # 10**6 samples are 16 work chunks of 65536 (rounded up: 15.26 -> 16); 3 parts of ceil(16/3) = 6, 6, 4.
    chunks = sample_chunks({"command": "sample", "numeric": {"samples": 10**6, "chunks": 3}})
    spans = [(c["chunk"]["first_chunk"], c["chunk"]["n_samples"] // 65536) for c in chunks]
    assert spans == [(0, 6), (6, 6), (12, 4)]


def test_chunked_verify_is_the_serial_verify():
    # verify's multi-scale run has 12 streams, stream r level j seeded by SeedSequence([seed, r, j]): three
    # chunks of 4 streams count exactly the samples of the one run, so every estimate and interval is equal.
    spec = {"function": "x**2 + y**4", "commands": ["verify"], "numeric": {"samples": 10**6, "chunks": 3, "seed": 5}}
    spec["numeric"]["decades"] = 6
    tasks = sweep_tasks(spec)
    assert [(t["chunk"]["first"], t["chunk"]["last"]) for t in tasks] == [(0, 4), (4, 8), (8, 12)]
    one_run = verify("x**2 + y**4", samples=10**6, seed=5, decades=6)
    table = sweep(spec, scheduler="serial", cache=False).table("verify")
    header, rows = one_run.to_rows()
    assert table.columns == tuple(header) and table.rows == tuple(tuple(map(sweep_module._plain, r)) for r in rows)
    # x^2 + y^4: lambda = 1/2 + 1/4 = 3/4 (Newton distance 4/3), m = 1; the threshold check passes
    assert table.rows[0][:2] == ("threshold", "3/4") and table.rows[0][-1] == "true"


def test_each_task_has_its_own_time_limit():
    # A 3D cubic-lattice tune does not finish in 0.05 s (it takes over 10 s): the row says it stopped.
    spec = {
        "function": "-2*t*(cos(x) + cos(y) + cos(z)) - 8*t3*cos(x)*cos(y)*cos(z)",
        "grid": {"t": ["1"]},
        "commands": ["tune"],
        "tune": "t3",
        "timeout": 0.05,
    }
    (row,) = sweep(spec, scheduler="serial", cache=False).table("tune").rows
    assert row == (1, row[1]) and row[1].startswith("stopped: time limit of 0.05 s")
    with pytest.raises(InputError, match="t is both tuned and given values"):
        sweep({**spec, "tune": "t"}, scheduler="serial", cache=False)


def test_the_sweep_time_limit_leaves_rows_not_computed():
    spec = {**SQUARE_SPEC, "grid": {"tp": [f"{i}/100" for i in range(40)]}, "total_timeout": 0.5}
    rows = sweep(spec, scheduler="serial", cache=False).table("table").rows
    notes = [row for row in rows if isinstance(row[-1], str) and row[-1].startswith("not computed")]
    assert notes and len(rows) < 4 * 40 + 1  # some points finished before the limit, the rest say so


@pytest.mark.parametrize(
    "spec, message",
    [
        ({"function": "x**2", "grid": {"t": []}}, "grid t: give a non-empty list"),
        ({"function": "x**2", "commands": ["fly"]}, "unknown sweep command 'fly'"),
        ({"function": "x**2", "gird": {}}, "unknown sweep spec key 'gird'"),
        ({"grid": {"t": ["1"]}}, "needs 'function'"),
        ({"function": "x**2 +", "grid": {"t": ["1"]}}, ""),
        ({"function": "x**2", "commands": ["tune"]}, "needs 'tune'"),
        ({"function": "x**2", "commands": ["sample"]}, "needs numeric 'thresholds'"),
        ({"function": "x**2", "grid": {"t": {"from": 0, "to": 1}}}, "needs 'from', 'to' and 'steps'"),
        ({"function": "x**2", "timeout": -1}, "'timeout' must be a positive number"),
    ],
)
def test_bad_spec_exits_2_with_one_line(spec, message, tmp_path, capsys):
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec))
    assert main(["sweep", str(path), "--no-cache", "--scheduler", "serial"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1 and message in captured.err


def test_missing_and_malformed_files_exit_2(tmp_path, capsys):
    assert main(["sweep", str(tmp_path / "nowhere.json"), "--no-cache"]) == 2
    assert "not found" in capsys.readouterr().err
    path = tmp_path / "spec.json"
    path.write_text("{not json")
    assert main(["sweep", str(path), "--no-cache"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_cli_renders_every_format(tmp_path, capsys):
    path = tmp_path / "spec.json"
    path.write_text(json.dumps({**SQUARE_SPEC, "grid": {"tp": ["1/10"]}, "title": "t' = 1/10"}))
    assert main(["sweep", str(path), "--scheduler", "serial", "--cache", str(tmp_path / "cache"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["kind"] == "sweep" and data["footer"]["scheduler"] == "serial, 1 worker"
    saddle = [row for row in data["tables"][0]["rows"] if row["point"] == ["0", "pi"]]
    assert saddle[0]["value"] == "2/5"  # 4 t' at t' = 1/10
    assert (
        main(["sweep", str(path), "--scheduler", "serial", "--cache", str(tmp_path / "cache"), "--format", "latex"])
        == 0
    )
    latex = capsys.readouterr().out
    assert r"\frac{2}{5}" in latex and "% spec hash: sha256 " in latex and "% title: t' = 1/10" in latex


def test_render_sweep_json_round_trips():
    result = sweep({**SQUARE_SPEC, "grid": {"tp": ["0"]}}, scheduler="serial", cache=False)
    data = json.loads(render_sweep(result, "json"))
    assert sweep_module.Sweep.from_dict(data).to_dict() == data


@pytest.mark.parametrize("scheduler", ["nonsense", "nonsense:x"])
def test_a_bad_scheduler_address_exits_2(scheduler, capsys):
    pytest.importorskip("dask.distributed")
    assert main(["sweep", "examples/sweep_square_lattice.json", "--no-cache", "--scheduler", scheduler]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and ("auto, serial, local" in err or "check the address" in err)


def test_a_yaml_spec(tmp_path):
    pytest.importorskip("yaml")
    path = tmp_path / "spec.yaml"
    path.write_text("function: x**3 + t*x\ngrid: {t: {from: -3, to: 0, steps: 2}}\ncommands: [classify]\n")
    rows = sweep(path, scheduler="serial", cache=False).table("classify").rows
    # x^3 + t x: at t = -3 critical points x = +-1 with values -+2 (two Morse points); at t = 0 an A2 at 0
    assert sorted((r[0], r[1], r[2], r[3]) for r in rows) == sorted(
        [(-3, "(1)", -2, "A1"), (-3, "(-1)", 2, "A1"), (0, "(0)", 0, "A2")]  # points as classify prints them
    )


def test_without_dask_the_sweep_runs_serially_and_says_so(monkeypatch):
    monkeypatch.setattr(sweep_module, "_distributed", lambda: None)  # as if dask were not installed
    spec = {"function": "x**2 + t*y**2", "grid": {"t": ["1"]}, "commands": ["rlct"]}
    with pytest.warns(SingularitiesWarning, match="runs serially.*singularities\\[sweep\\]"):
        result = sweep(spec, cache=False)
    assert dict(result.footer)["scheduler"] == "serial (dask not installed), 1 worker"
    (row,) = result.table("rlct").rows
    assert row[:3] == (1, 1, 1)  # x^2 + y^2: lambda = n/2 = 1, m = 1 (Morse)
    with pytest.raises(InputError, match="needs dask.distributed"):
        sweep(spec, scheduler="local", cache=False)
