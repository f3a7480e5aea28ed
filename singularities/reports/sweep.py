"""Parameter sweeps: a spec's commands on every grid point, on Dask or serially, cached per task, merged into tables.

A *sweep spec* (a dict, or a .json / .yaml file) names the energy function(s)
with their fixed parameters and domain, a ``grid`` (or a list of ``points``)
of parameter values, and the ``commands`` to run at each: ``table`` (the rows
of :func:`~singularities.reports.paper_tables.paper_table`), ``classify``,
``dos``, ``rlct``, ``tune``, ``verify``, and ``sample`` (a sampling run split
into seeded chunks).  :func:`sweep` turns the spec into independent tasks
(:func:`sweep_tasks`), runs them on a Dask cluster (a local one by default,
an existing one by its address) or serially, keeps each task's result in an
on-disk cache keyed by the task and the package version (a re-run resumes),
and merges them into one table per command with a reproducibility footer
(:class:`Sweep`, rendered by :func:`render_sweep` through the paper-table
renderers).  Guide: docs/sweep.md.
"""

import hashlib
import json
import math
import os
import pathlib
import time
import warnings
from dataclasses import dataclass, replace

import sympy

from .._exact import exact_string, parse_exact
from .._limits import Deadline, ProgressBar, guard
from .._result import Result, from_dict, register
from .._version import __version__
from ..energy import Energy
from ..errors import InputError, SingularitiesError, SingularitiesWarning, TimeLimitError
from .catalogue import LatexCell, json_value
from .paper_tables import PaperTable, load_spec, paper_table, render_table

__all__ = [
    "Sweep",
    "sweep",
    "sweep_tasks",
    "run_task",
    "task_key",
    "sample_chunks",
    "render_sweep",
    "COMMANDS",
    "CACHE_VARIABLE",
]

COMMANDS = ("table", "classify", "dos", "rlct", "tune", "verify", "sample")
"""The commands a sweep spec may run at each grid point."""

CACHE_VARIABLE = "SINGULARITIES_SWEEP_CACHE"
"""Environment variable with the default cache folder (else ``~/.cache/singularities/sweep``)."""

DEFAULT_TASK_TIMEOUT = 120.0  # seconds for one task when the spec gives no "timeout"
_SPEC_KEYS = (
    "title",
    "function",
    "functions",
    "name",
    "variables",
    "parameters",
    "domain",
    "periods",
    "point",
    "grid",
    "points",
    "commands",
    "columns",
    "tune",
    "numeric",
    "timeout",
    "total_timeout",
)
_NUMERIC_KEYS = ("samples", "seed", "chunks", "thresholds", "box", "decades", "level")  # docs/sweep.md
_TEXT_COLUMNS = ("type", "numeric check", "function")
_WORK_CHUNK = 1 << 16  # samples per work chunk of the sampler (numeric.ckernel.CHUNK): the unit of seeding
_CONNECT = "10s"  # how long to try to reach a Dask scheduler
_VERIFY_STREAMS = 12  # the independent streams of verify's multi-scale run (volume_curve's default): its chunks


@register("sweep")
@dataclass(frozen=True, slots=True)
class Sweep(Result):
    """The merged tables of a sweep, one per command, and the sweep's reproducibility footer.

    Attributes
    ----------
    tables : tuple of PaperTable
        One per command, titled by the command; the first columns are the
        swept parameters (and "function" when the spec lists several).
    footer : tuple of (str, str)
        Version, spec hash, date, scheduler and workers, tasks run and cached, conventions.
    title : str
        The spec's title ("" if none).
    """

    tables: tuple
    footer: tuple
    title: str = ""

    def table(self, command):
        """The merged table of one command."""
        for table in self.tables:
            if table.title == command:
                return table
        raise InputError(f"the sweep ran no {command!r}; choose one of {', '.join(t.title for t in self.tables)}")

    def to_rows(self):
        return self.tables[0].to_rows() if self.tables else ((), [])

    def to_dict(self):
        return {
            "kind": "sweep",
            "title": self.title,
            "tables": [table.to_dict() for table in self.tables],
            "footer": dict(self.footer),
        }

    @classmethod
    def from_dict(cls, data):
        """Rebuild from :meth:`to_dict` output (cells as the tables' ``from_dict`` reads them)."""
        return cls(tuple(PaperTable.from_dict(t) for t in data["tables"]), tuple(data["footer"].items()), data["title"])


def sweep(spec, *, scheduler="auto", workers=None, cache=True, timeout=None, progress=None):
    """Run the commands of a sweep spec on every grid point and merge the results into one table per command.

    Parameters
    ----------
    spec : dict, str or pathlib.Path
        The spec (docs/sweep.md), or the path of a .json / .yaml / .yml file holding it.
    scheduler : str or None
        ``"auto"`` (default): a Dask ``LocalCluster`` of ``workers`` processes
        when ``dask.distributed`` is installed, else serial (with a warning
        that says so); ``"serial"``: in this process; ``"local"``: a
        LocalCluster (an error without Dask); any other string: the address
        of an existing Dask scheduler (``"tcp://10.0.0.1:8786"``).
    workers : int, optional
        Processes of the local cluster (default: the CPUs, at most the tasks).
    cache : bool, str or pathlib.Path
        ``True``: the folder in :data:`CACHE_VARIABLE`, else
        ``~/.cache/singularities/sweep``; a path: that folder; ``False``: no
        cache.  A task whose result is cached is not run again.
    timeout : float, optional
        Seconds for the whole sweep (default: the spec's "total_timeout",
        else none).  Each task has its own limit, the spec's "timeout"
        (default 120 s), never more than what is left of the sweep's; a task
        not finished in time gets a row saying so.
    progress : callable or bool, optional
        Called as ``progress("sweep tasks", done, total)`` as tasks finish
        (and with each task's own stages when the sweep runs serially);
        ``True``: a :class:`~singularities._limits.ProgressBar` on stderr.

    Returns
    -------
    Sweep

    Raises
    ------
    InputError
        For a malformed spec (naming the key to fix), or ``scheduler="local"`` without Dask.

    Examples
    --------
    The saddles of the square lattice at t' = 0 and t' = 1/10 (van Hove energy 4 t'):

    >>> from singularities.reports.sweep import sweep
    >>> result = sweep({"function": "-2*(cos(kx) + cos(ky)) - 4*tp*cos(kx)*cos(ky)", "domain": "torus",
    ...                 "grid": {"tp": ["0", "1/10"]}, "columns": "point,value,type"},
    ...                scheduler="serial", cache=False)
    >>> print(result.table("table"))
    tp    point                 value  type
    ----  --------------------  -----  ----
    0     (0, 0)                -4     A1
    0     (0, pi), (pi, 0) (2)  0      A1
    0     (pi, pi)              4      A1
    1/10  (0, 0)                -22/5  A1
    1/10  (0, pi), (pi, 0) (2)  2/5    A1
    1/10  (pi, pi)              18/5   A1
    """
    data, source = _load(spec)
    tasks = sweep_tasks(data)
    total = _seconds(timeout if timeout is not None else data.get("total_timeout"), "total_timeout")
    bar = ProgressBar(heartbeat=1.0) if progress is True else None
    deadline, folder = Deadline(total, bar or progress or None), _cache_folder(cache)
    outcomes, cached = _cached(tasks, folder)
    try:
        name, count = _run(tasks, outcomes, scheduler, workers, deadline, folder)
    finally:
        if bar is not None:
            bar.close()  # also on an error: its heartbeat must not outlive the call
    footer = _footer(data, source, tasks, cached, name, count, deadline)
    return Sweep(_merge(data, tasks, outcomes), footer, str(data.get("title", "")))


def sweep_tasks(spec):
    """The independent tasks of a sweep spec: JSON-safe dicts, one per function, grid point and command (and chunk).

    Examples
    --------
    >>> from singularities.reports.sweep import sweep_tasks
    >>> tasks = sweep_tasks({"function": "x**4 + t*x**2", "grid": {"t": {"from": "-1", "to": "1", "steps": 3}},
    ...                      "commands": ["rlct"]})
    >>> [(t["label"], t["parameters"]) for t in tasks]
    [({'t': '-1'}, 't=-1'), ({'t': '0'}, 't=0'), ({'t': '1'}, 't=1')]
    """
    data, _ = _load(spec)
    commands = _commands(data.get("commands", ["table"]))
    if "tune" in commands:
        _require_tuned(data)
    if "sample" in commands and not (data.get("numeric") or {}).get("thresholds"):
        raise InputError("the sample command needs numeric 'thresholds': decreasing t_1 > ... > 0, e.g. [0.1, 0.01]")
    timeout = _seconds(data.get("timeout", DEFAULT_TASK_TIMEOUT), "timeout")
    tasks = []
    for entry in _functions(data):
        for label in _grid(data):
            base = _base_task(data, entry, label, timeout)
            _energy(base)  # a bad expression, variable list or parameter is bad input now, not a failed row later
            for command in commands:
                task = {**base, "command": command}
                tasks += _chunks(task)
    return list({task_key(t): t for t in tasks}.values())  # a value listed twice runs once, where it came first


def run_task(task, progress=None):
    """Run one task (in a worker or here) under its own time limit: ``{"result": to_dict}`` or ``{"error": text}``.

    Only this package's errors become ``"error"`` entries (a time limit, bad
    input met at one grid point); anything else propagates.  ``progress``
    receives the task's own stages (``Deadline``'s ``progress``).

    Examples
    --------
    >>> from singularities.reports.sweep import run_task, sweep_tasks
    >>> task = sweep_tasks({"function": "x**2*y**2", "commands": ["rlct"]})[0]
    >>> run_task(task)["result"]["threshold"]
    '1/2'
    """
    deadline, start = Deadline(task["timeout"], progress), time.monotonic()
    try:
        with guard(deadline, f"sweep task {task['command']}"):
            result = _COMMAND_RUNNERS[task["command"]](task, deadline)
    except TimeLimitError as exc:
        return {"error": f"stopped: {exc}", "seconds": time.monotonic() - start}
    except SingularitiesError as exc:
        return {"error": f"{type(exc).__name__}: {exc}", "seconds": time.monotonic() - start}
    data = result if isinstance(result, dict) else result.to_dict()  # a chunk's counts are a plain dict
    return {"result": data, "seconds": time.monotonic() - start}


def task_key(task):
    """The cache key of a task: SHA-256 of its canonical JSON and the package version (a new version recomputes).

    Examples
    --------
    >>> from singularities.reports.sweep import task_key
    >>> task_key({"command": "rlct", "function": "x**2"}) == task_key({"function": "x**2", "command": "rlct"})
    True
    """
    text = json.dumps(task, sort_keys=True, separators=(",", ":")) + "\n" + __version__
    return hashlib.sha256(text.encode()).hexdigest()


def sample_chunks(task):
    """A ``sample`` task split into seeded chunks whose counts add up to those of one serial run.

    The sampler seeds its work chunk j (65536 samples) by the pair
    (seed, j) (:mod:`singularities.numeric.sampling`), so chunk tasks that
    cover the work chunks ``first_chunk .. first_chunk + n_samples/65536 - 1``
    draw exactly the samples of one run over all of them, whatever runs them
    where.  ``samples`` is rounded up to a whole number of work chunks.

    Examples
    --------
    >>> from singularities.reports.sweep import sample_chunks
    >>> chunks = sample_chunks({"command": "sample", "numeric": {"samples": 10**6, "chunks": 3, "seed": 7}})
    >>> [(c["chunk"]["first_chunk"], c["chunk"]["n_samples"] // 65536) for c in chunks]
    [(0, 6), (6, 6), (12, 4)]
    """
    numeric = task.get("numeric", {})
    work = max(1, -(-int(float(numeric.get("samples", 10**6))) // _WORK_CHUNK))
    parts = max(1, min(int(numeric.get("chunks", 1)), work))
    size = -(-work // parts)
    starts = range(0, work, size)
    return [
        {
            **task,
            "chunk": {"index": i, "of": len(starts), "first_chunk": s, "n_samples": min(size, work - s) * _WORK_CHUNK},
        }
        for i, s in enumerate(starts)
    ]


def _chunks(task):
    """A task, or its chunks: a sample run by work chunks, a verify run (numeric.chunks > 1) by streams."""
    if task["command"] == "sample":
        return sample_chunks(task)
    parts = int(task.get("numeric", {}).get("chunks", 1))
    if task["command"] != "verify" or parts <= 1:
        return [task]
    size = -(-_VERIFY_STREAMS // min(parts, _VERIFY_STREAMS))
    starts = range(0, _VERIFY_STREAMS, size)
    return [
        {**task, "chunk": {"index": i, "of": len(starts), "first": a, "last": min(a + size, _VERIFY_STREAMS)}}
        for i, a in enumerate(starts)
    ]


def render_sweep(result, format="text"):
    """Every table of a :class:`Sweep`, then its footer, as text, LaTeX, Markdown, CSV or JSON.

    Examples
    --------
    >>> from singularities.reports.sweep import render_sweep, sweep
    >>> result = sweep({"function": "x**3 + t*x", "grid": {"t": ["-3", "0"]}, "commands": ["classify"]},
    ...                scheduler="serial", cache=False)
    >>> print(render_sweep(result, "markdown"))  # doctest: +ELLIPSIS
    **classify**
    <BLANKLINE>
    | t | point | value | type | normal form | Milnor number | Morse index |
    |---|---|---|---|---|---|---|
    | -3 | (1) | -2 | A1 | `x**2` | 1 | 0 |
    | -3 | (-1) | 2 | A1 | `-x**2` | 1 | 1 |
    | 0 | (0) | 0 | A2 | `x**3` | 2 | - |
    <BLANKLINE>
    <BLANKLINE>
    - generated by: singularities ...
    """
    if format == "json":
        return json.dumps(result.to_dict(), indent=2)
    if format not in _FOOTER_LINE:
        raise InputError(f"unknown format {format!r}; choose one of text, latex, markdown, csv, json")
    line = _FOOTER_LINE[format]
    head = [line("title", result.title)] if result.title else []
    footer = "\n".join(line(key, value) for key, value in result.footer)
    return "\n\n".join(head + [render_table(table, format).rstrip("\n") for table in result.tables] + [footer])


_FOOTER_LINE = {
    "text": lambda key, value: f"{key}: {value}",
    "markdown": lambda key, value: f"- {key}: {value}".replace("*", "\\*"),
    "csv": lambda key, value: f"# {key}: {value}",
    "latex": lambda key, value: f"% {key}: {value}",
}


def _load(spec):
    """(spec dict, description for the footer) from a dict or a file."""
    if isinstance(spec, (str, pathlib.Path)):
        if not pathlib.Path(spec).is_file():
            raise InputError(f"sweep spec file {str(spec)!r} not found; give the path of a .json, .yaml or .yml file")
        data, source = load_spec(spec), f"file {pathlib.Path(spec).name}"
    else:
        data, source = spec, "dict"
    if not isinstance(data, dict):
        raise InputError(
            f"a sweep spec is a mapping with 'function' and 'grid', got {type(data).__name__}; see docs/sweep.md"
        )
    unknown = [k for k in data if k not in _SPEC_KEYS]
    if unknown:
        raise InputError(f"unknown sweep spec key {unknown[0]!r}; use only {', '.join(_SPEC_KEYS)} (docs/sweep.md)")
    if ("function" in data) == ("functions" in data):
        raise InputError("a sweep spec needs 'function' (one expression) or 'functions' (a list), not both or neither")
    return data, source


def _commands(commands):
    commands = [commands] if isinstance(commands, str) else commands
    if not isinstance(commands, list) or not commands:
        raise InputError(f"'commands' is a non-empty list from {', '.join(COMMANDS)}, e.g. [\"table\"]")
    for command in commands:
        if command not in COMMANDS:
            raise InputError(f"unknown sweep command {command!r}; choose from {', '.join(COMMANDS)}")
    return list(dict.fromkeys(commands))


def _functions(data):
    """[(name, expression)], one per function of the spec."""
    items = data["functions"] if "functions" in data else [data["function"]]
    if not isinstance(items, list) or not items:
        raise InputError("'functions' is a non-empty list of expressions or {name, function} mappings")
    entries = []
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("function"), str):
            entries.append((str(item.get("name", "")), item["function"]))
        elif isinstance(item, str) and item.strip():
            entries.append(("", item))
        else:
            raise InputError(f'cannot read the function {item!r}; give an expression string such as "x**2 + t*y**2"')
    return entries


def _grid(data):
    """The parameter points: dicts {name: exact string}, in the order of the grid (last name fastest)."""
    if "grid" in data and "points" in data:
        raise InputError("give 'grid' (values per parameter) or 'points' (a list of parameter sets), not both")
    if "points" in data:
        points = data["points"]
        if not isinstance(points, list) or not all(isinstance(p, dict) for p in points):
            raise InputError('\'points\' is a list of mappings such as [{"tp": "1/10"}]')
        return [{str(k): _exact_text(v, k) for k, v in p.items()} for p in points] or [{}]
    grid = data.get("grid", {})
    if not isinstance(grid, dict):
        raise InputError("'grid' maps each parameter to a list of values or {from, to, steps}")
    points = [{}]
    for name, values in grid.items():
        points = [{**p, str(name): v} for p in points for v in _values(name, values)]
    return points


def _values(name, values):
    if isinstance(values, dict):
        try:
            low, high, steps = (parse_exact(str(values[k]), floats=True) for k in ("from", "to", "steps"))
        except KeyError as exc:
            raise InputError(
                f"grid {name}: a range needs 'from', 'to' and 'steps', e.g. {{from: 0, to: 1/2, steps: 6}}"
            ) from exc
        if not (steps.is_Integer and steps >= 1):
            raise InputError(f"grid {name}: 'steps' must be a positive integer, got {steps}")
        step = 0 if steps == 1 else (high - low) / (steps - 1)
        return [exact_string(sympy.nsimplify(low + i * step)) for i in range(int(steps))]
    if not isinstance(values, list) or not values:
        raise InputError(f'grid {name}: give a non-empty list of values, e.g. ["0", "1/10"], or {{from, to, steps}}')
    return [_exact_text(v, name) for v in values]


def _exact_text(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, str, float)):
        raise InputError(f'parameter {name}: cannot read the value {value!r}; write an exact number such as "1/10"')
    try:
        return exact_string(parse_exact(str(value), floats=True))
    except SingularitiesError as exc:
        raise InputError(
            f'parameter {name}: cannot read {value!r} ({exc}); write an exact number such as "1/10"'
        ) from exc


def _base_task(data, entry, label, timeout):
    name, function = entry
    fixed = _fixed_parameters(data.get("parameters"))
    parameters = ",".join(f"{k}={v}" for k, v in {**fixed, **label}.items())
    task = {
        "function": function,
        "name": name,
        "label": label,
        "parameters": parameters,
        "timeout": timeout,
    }
    for key in ("variables", "domain", "periods", "point", "columns", "tune"):
        if data.get(key) is not None:
            task[key] = data[key] if isinstance(data[key], (str, int, float)) else json.loads(json.dumps(data[key]))
    numeric = data.get("numeric", {})
    if not isinstance(numeric, dict) or any(k not in _NUMERIC_KEYS for k in numeric):
        raise InputError(f"'numeric' maps some of {', '.join(_NUMERIC_KEYS)} to values, e.g. {{samples: 1e8, seed: 0}}")
    if numeric:
        task["numeric"] = json.loads(json.dumps(numeric))
    return task


def _fixed_parameters(parameters):
    if parameters is None:
        return {}
    if isinstance(parameters, str):
        pairs = [p.split("=", 1) for p in parameters.split(",") if p.strip()]
        if any(len(p) != 2 for p in pairs):
            raise InputError(f'cannot read parameters {parameters!r}; write name=value pairs such as "t=1,tpp=0"')
        return {k.strip(): _exact_text(v.strip(), k.strip()) for k, v in pairs}
    if isinstance(parameters, dict):
        return {str(k): _exact_text(v, k) for k, v in parameters.items()}
    raise InputError(f'cannot read parameters {parameters!r}; write a mapping such as {{t: 1}} or "t=1"')


def _require_tuned(data):
    """The tune command's 'tune' names parameters that neither the grid nor 'parameters' fixes."""
    tuned = data.get("tune")
    if not isinstance(tuned, str) or not tuned.strip():
        raise InputError('the tune command needs \'tune\': the parameters to tune, e.g. "tp" or "tp,tpp"')
    fixed = set(_fixed_parameters(data.get("parameters"))) | {n for point in _grid(data) for n in point}
    clash = [name.strip() for name in tuned.split(",") if name.strip() in fixed]
    if clash:
        raise InputError(f"{clash[0]} is both tuned and given values; take it out of 'tune' or out of the grid")


def _seconds(value, key):
    if value is None:
        return None
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = float("nan")
    if not seconds > 0 or math.isinf(seconds):
        raise InputError(f"'{key}' must be a positive number of seconds, got {value!r}")
    return seconds


# --- the commands, as run in a worker -------------------------------------------------------------------------


def _energy(task):
    return Energy(
        task["function"], task.get("variables"), parameters=task["parameters"] or None, point=task.get("point")
    )


def _on_torus(task):
    return task.get("domain") == "torus" or task.get("periods") is not None


def _run_table(task, deadline):
    entry = {key: task[key] for key in ("function", "variables", "periods", "point") if task.get(key) is not None}
    entry["parameters"] = task["parameters"] or None
    entry = {k: v for k, v in entry.items() if v is not None}
    if _on_torus(task):
        entry["domain"] = "torus"
    numeric = {k: v for k, v in task.get("numeric", {}).items() if k in ("seed", "samples", "decades", "level")}
    return paper_table(entry, columns=task.get("columns"), timeout=deadline, numeric=numeric or None)


def _run_classify(task, deadline):
    from ..local.classify import classify_critical_points
    from ..physics.torus import torus_critical_points

    if _on_torus(task):
        return torus_critical_points(_energy(task), periods=task.get("periods"), dos=False, timeout=deadline)
    return classify_critical_points(_energy(task), timeout=deadline)


def _run_dos(task, deadline):
    from ..physics.dos import dos_table
    from ..physics.torus import torus_critical_points

    if _on_torus(task):
        return torus_critical_points(_energy(task), periods=task.get("periods"), timeout=deadline)
    return dos_table(_energy(task), timeout=deadline)


def _run_rlct(task, deadline):
    from ..thresholds.rlct import rlct

    return rlct(_energy(task), timeout=deadline)


def _run_tune(task, deadline):
    from ..physics.tune import tune

    tuned = task.get("tune")
    if not tuned:
        raise InputError("the tune command needs 'tune': the parameters to tune, e.g. \"tp\"")
    parameters = ",".join(p for p in (task["parameters"], tuned) if p)
    return tune(
        task["function"], parameters, variables=task.get("variables"), periods=task.get("periods"), timeout=deadline
    )


def _run_verify(task, deadline, **merged):
    from ..numeric.multiscale import stream_counts
    from ..numeric.verify import DEFAULT_SAMPLES, sampling_window, verify

    numeric, energy = task.get("numeric", {}), _energy(task)
    options = {k: numeric[k] for k in ("seed", "decades") if k in numeric}
    options["samples"] = int(float(numeric.get("samples", DEFAULT_SAMPLES)))
    if "chunk" not in task or merged:  # the whole run, or the merge of its chunks' counts
        extra = {"level": numeric["level"]} if "level" in numeric else {}
        return verify(energy, box=numeric.get("box"), timeout=deadline, **options, **extra, **merged)
    options.setdefault("seed", 0)  # verify's default seed
    first, last = task["chunk"]["first"], task["chunk"]["last"]
    box = sampling_window(numeric.get("box"), energy)
    return stream_counts(energy, first=first, last=last, box=box, threads=1, timeout=deadline, **options)


def _run_sample(task, deadline):
    from ..numeric.sampling import volume_samples

    numeric, chunk = task.get("numeric", {}), task["chunk"]
    thresholds = numeric.get("thresholds")
    if not thresholds:
        raise InputError(
            "the sample command needs numeric 'thresholds': decreasing t_1 > t_2 > ... > 0, e.g. [0.1, 0.01]"
        )
    return volume_samples(
        _energy(task),
        [float(t) for t in thresholds],
        box=numeric.get("box"),
        n_samples=chunk["n_samples"],
        first_chunk=chunk["first_chunk"],
        seed=int(numeric.get("seed", 0)),
        threads=1,
        timeout=deadline,
    )


_COMMAND_RUNNERS = {
    "table": _run_table,
    "classify": _run_classify,
    "dos": _run_dos,
    "rlct": _run_rlct,
    "tune": _run_tune,
    "verify": _run_verify,
    "sample": _run_sample,
}


# --- running: serial or on Dask -------------------------------------------------------------------------------


def _run(tasks, outcomes, scheduler, workers, deadline, folder):
    """Run the tasks not in ``outcomes`` (filling it, and the cache); return (the scheduler's name, workers)."""
    todo = [t for t in tasks if task_key(t) not in outcomes]
    deadline.check("sweep tasks", len(outcomes), len(tasks))
    if todo and scheduler != "serial":
        deadline.check("loading dask.distributed")  # its import takes seconds
    name, count, run = _runner(scheduler, workers, len(todo))
    for task, outcome in run(todo, deadline, len(outcomes), len(tasks)):
        outcomes[task_key(task)] = outcome
        if folder is not None and "result" in outcome:
            _store(folder, task, outcome)
    return name, count


def _runner(scheduler, workers, count):
    """(scheduler's name for the footer, number of workers, run(tasks, deadline, done, total) -> iterator)."""
    if scheduler == "serial" or count == 0:
        return "serial", 1, _run_serial
    distributed = _distributed()
    if distributed is None:
        if scheduler == "auto":
            warnings.warn(
                "dask.distributed is not installed: the sweep runs serially in this process; "
                "pip install 'singularities[sweep]' for parallel workers",
                SingularitiesWarning,
                stacklevel=3,
            )
            return "serial (dask not installed)", 1, _run_serial
        raise InputError("this scheduler needs dask.distributed: pip install 'singularities[sweep]', or use serial")
    if scheduler in ("auto", "local"):
        n = max(1, min(int(workers or os.cpu_count() or 1), count))
        return "dask LocalCluster", n, lambda *a: _run_dask(distributed, None, n, *a)
    if not isinstance(scheduler, str) or ":" not in scheduler:
        raise InputError(
            f"scheduler must be auto, serial, local or a Dask scheduler's address such as tcp://10.0.0.5:8786, "
            f"got {scheduler!r}"
        )
    return f"dask {scheduler}", None, lambda *a: _run_dask(distributed, scheduler, None, *a)


def _distributed():
    try:
        import dask.distributed
    except ImportError:
        return None
    return dask.distributed


def _run_serial(tasks, deadline, done, total):
    for task in tasks:
        if deadline.expired():
            return
        yield task, run_task(_limited(task, deadline), deadline.progress)
        done += 1
        try:
            deadline.check("sweep tasks", done, total)
        except TimeLimitError:  # the sweep's own limit: the tasks left get rows saying so
            return


def _run_dask(distributed, address, workers, tasks, deadline, done, total):
    cluster = None
    if address is None:
        deadline.check(f"starting a local Dask cluster of {workers} workers")
        cluster = distributed.LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=40
        )
    try:
        with distributed.Client(cluster if cluster is not None else address, timeout=_CONNECT) as client:
            deadline.check("sweep tasks", done, total)
            futures = {client.submit(run_task, _limited(t, deadline), pure=False): t for t in tasks}
            try:
                for future in distributed.as_completed(futures, timeout=deadline.remaining()):
                    yield futures[future], future.result()
                    done += 1
                    deadline.check("sweep tasks", done, total)
            except (TimeoutError, TimeLimitError, distributed.TimeoutError):
                client.cancel(list(futures))
    except (OSError, ValueError) as exc:  # no scheduler there (a connection timeout is an OSError), a bad address
        raise InputError(
            f"cannot reach the Dask scheduler {address!r} ({exc}); check the address, or use serial"
        ) from exc
    finally:
        if cluster is not None:
            cluster.close()


def _limited(task, deadline):
    """The task with its time limit cut to what is left of the sweep's."""
    left = deadline.remaining()
    return task if left is None or left >= task["timeout"] else {**task, "timeout": max(left, 0.01)}


# --- the cache ------------------------------------------------------------------------------------------------


def _cache_folder(cache):
    if cache is False or cache is None:
        return None
    folder = pathlib.Path(
        cache
        if cache is not True
        else os.environ.get(CACHE_VARIABLE) or pathlib.Path.home() / ".cache" / "singularities" / "sweep"
    ).expanduser()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            f"cannot create the sweep cache folder {str(folder)!r} ({exc.strerror}); pass another cache="
        ) from exc
    return folder


def _cached(tasks, folder):
    """({key: outcome} of the tasks found in the cache, how many)."""
    outcomes = {}
    if folder is not None:
        for task in tasks:
            path = folder / f"{task_key(task)}.json"
            try:
                record = json.loads(path.read_text())
            except (OSError, ValueError):
                continue
            if record.get("task") == task and "result" in record:
                outcomes[task_key(task)] = {"result": record["result"], "seconds": record.get("seconds", 0.0)}
    return outcomes, len(outcomes)


def _store(folder, task, outcome):
    path = folder / f"{task_key(task)}.json"
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        temporary.write_text(json.dumps({"task": task, "version": __version__, **outcome}))
        os.replace(temporary, path)
    except OSError as exc:
        warnings.warn(
            f"could not write the sweep cache file {path} ({exc.strerror})", SingularitiesWarning, stacklevel=4
        )


# --- merging --------------------------------------------------------------------------------------------------


def _merge(data, tasks, outcomes):
    """One PaperTable per command, rows in the order of the tasks, columns the union of the tasks' columns."""
    names = list(dict.fromkeys(name for t in tasks for name in t["label"]))
    several = len({(t["name"], t["function"]) for t in tasks}) > 1
    lead = (["function"] if several else []) + names
    tables = []
    for command in dict.fromkeys(t["command"] for t in tasks):
        own = [t for t in tasks if t["command"] == command]
        columns, records = {}, []
        for group in _groups(own):
            first = group[0]
            prefix = ([first["name"] or first["function"]] if several else []) + [
                _json_cell("", first["label"].get(n)) for n in names
            ]
            header, body = _task_rows(command, group, outcomes)
            columns.update(dict.fromkeys(header))
            records += [(prefix, dict(zip(header, row))) for row in body]
        order = tuple(columns)
        rows = tuple(tuple(prefix) + tuple(record.get(c) for c in order) for prefix, record in records)
        tables.append(PaperTable(tuple(lead) + order, rows, (), command))
    return tuple(tables)


def _groups(tasks):
    """The tasks in order, the chunks of one run together."""
    groups = {}
    for task in tasks:
        key = task_key({k: v for k, v in task.items() if k != "chunk"})
        groups.setdefault(key, []).append(task)
    return list(groups.values())


def _task_rows(command, group, outcomes):
    """(columns, rows) of one task, or of one run's chunks merged (a sample run's counts, a verify run's streams)."""
    found = [outcomes.get(task_key(t)) for t in group]
    missing = [o for o in found if o is None or "result" not in o]
    if missing:
        note = "not computed: the sweep's time limit was reached" if missing[0] is None else missing[0]["error"]
        return ("note",), [(note,)]
    if command == "table":
        data = found[0]["result"]
        return tuple(data["columns"]), [tuple(_json_cell(c, row[c]) for c in data["columns"]) for row in data["rows"]]
    if command == "sample":
        result = _merged_samples([from_dict(o["result"]) for o in found])
    elif command == "verify" and "chunk" in group[0]:
        result = _merged_verification(group[0], [o["result"] for o in found])
        if isinstance(result, str):
            return ("note",), [(result,)]
    else:
        result = from_dict(found[0]["result"])
    header, rows = result.to_rows()
    if tuple(header) == ("quantity", "value"):  # one result as a column of quantities: one row of the sweep
        header, rows = tuple(str(r[0]) for r in rows), [tuple(r[1] for r in rows)]
    if not rows:
        return ("note",), [("none found (an empty result)",)]
    return tuple(header), [tuple(_plain(cell) for cell in row) for row in rows]


def _merged_samples(parts):
    """One Samples from its chunks: the counts are integers, so they add exactly."""
    add = lambda *rows: tuple(sum(values) for values in zip(*rows))  # noqa: E731
    first = min(parts, key=lambda s: s.first_chunk)
    return replace(
        first,
        counts=add(*(s.counts for s in parts)),
        counts_minus=add(*(s.counts_minus for s in parts)),
        n_samples=sum(s.n_samples for s in parts),
        n_minus=sum(s.n_minus for s in parts),
        n_plus=sum(s.n_plus for s in parts),
        threads=max(s.threads for s in parts),
    )


def _merged_verification(task, parts):
    """verify() on the counts of all the chunks (in stream order), or the note saying why it could not run."""
    plans = [part["plan"] for part in parts]
    if any(plan != plans[0] for plan in plans):
        return "not merged: the chunks sampled different shells (a Newton-weights step ran out of time); run again"
    counts = [row for part in parts for row in part["counts"]]
    try:
        deadline = Deadline(task["timeout"])
        with guard(deadline, "merging a chunked verify"):
            return _run_verify(task, deadline, weights=tuple(plans[0]["weights"]), counts=counts)
    except SingularitiesError as exc:
        return f"not merged: {type(exc).__name__}: {exc}"


def _json_cell(column, value):
    """A table cell read back from JSON: exact strings become sympy values, lists tuples, type labels LatexCells."""
    if isinstance(value, list):
        return sympy.Tuple(*(_json_cell(column, v) for v in value))
    if not isinstance(value, str):
        return value
    if column == "type":
        return LatexCell(value)
    if column in _TEXT_COLUMNS:
        return value
    try:
        return parse_exact(value)
    except SingularitiesError:
        return value


def _plain(cell):
    """A display cell of another result's to_rows(), as a table cell that survives JSON."""
    if cell is None or isinstance(cell, (bool, int, str, sympy.Basic)):
        return cell
    return str(cell)


def _footer(data, source, tasks, cached, scheduler, workers, deadline):
    spec_hash = hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:16]
    limit = "none" if deadline.seconds is None else f"{deadline.seconds:g} s"
    per_task = f"{tasks[0]['timeout']:g} s" if tasks else "none"
    rows = [
        ("generated by", f"singularities {__version__} (sympy {sympy.__version__})"),
        ("input", source),
        ("spec hash", f"sha256 {spec_hash}"),
        ("date", time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())),
        ("scheduler", scheduler if workers is None else f"{scheduler}, {workers} worker{'s' * (workers != 1)}"),
        ("tasks", f"{len(tasks)} ({cached} from the cache); time limit per task {per_task}, for the sweep {limit}"),
        ("conventions", "docs/conventions.md; docs/sweep.md for the tasks and the cache"),
    ]
    numeric = data.get("numeric")
    if numeric:
        rows.insert(
            5,
            (
                "numeric",
                ", ".join(f"{k} {json_value(v) if not isinstance(v, list) else v}" for k, v in numeric.items()),
            ),
        )
    return tuple(rows)
