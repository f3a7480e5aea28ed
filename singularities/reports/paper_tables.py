"""Tables for papers: every critical point of the listed energy functions, the columns chosen, a reproducibility footer.

A *spec* lists energy functions, each with its variables, parameters,
domain (R^n or a torus) and optionally the points and the quantities to
report; it is a dict, a JSON or YAML file, or a single expression.
:func:`paper_table` runs the engine (classification, DOS asymptotics, the
RLCT by theorem Q, and optionally the numeric check) and returns a
:class:`PaperTable`; :func:`render_table` prints it, or a
:class:`~singularities.reports.catalogue.Catalogue`, as LaTeX (booktabs, exact
values through sympy's LaTeX printer), Markdown, CSV, JSON or text, each with
its footer (package version, options, seeds where numerics ran).  Guide:
docs/tables.md.
"""

import json
import pathlib
from dataclasses import dataclass

import sympy

from .. import tables
from .._exact import exact_string, point_text
from .._limits import Deadline, guard
from .._result import Result, parse_field, register
from .._version import __version__
from ..energy import Energy
from ..errors import InputError, SingularitiesError, TimeLimitError
from ..local.classify import classify, classify_critical_points
from ..physics.dos import dos_asymptotics
from ..physics.torus import torus_critical_points
from ..thresholds.rlct import Status, rlct
from .catalogue import COLUMNS, LATEX_HEADERS, SLT_COLUMNS, LatexCell, display_rows, json_value, parse_columns

__all__ = [
    "PaperTable",
    "paper_table",
    "load_spec",
    "command_line_spec",
    "render_table",
    "booktabs",
    "FORMATS",
    "DEFAULT_COLUMNS",
    "NUMERIC_DEFAULTS",
]

FORMATS = ("text", "latex", "markdown", "csv", "json")

DEFAULT_COLUMNS = tuple(c for c in COLUMNS if c not in ("modality", "weights", "numeric check") + SLT_COLUMNS)
"""The columns when neither the call, the spec nor its functions name any."""

NUMERIC_DEFAULTS = {"seed": 0, "samples": 10**8, "decades": 12, "level": 0.99}
"""Options of the "numeric check" column (:func:`singularities.numeric.verify.verify`); a spec's "numeric"
overrides them."""

_ENTRY_KEYS = ("function", "name", "variables", "parameters", "domain", "periods", "point", "points", "columns")
_SPEC_KEYS = ("title", "columns", "timeout", "numeric", "functions")
_DOS_COLUMNS = {"lambda", "m", "DOS exponent", "log power", "L", "C_+", "C_-", "ratio", *SLT_COLUMNS}


@register("paper_table")
@dataclass(frozen=True, slots=True)
class PaperTable(Result):
    """A table of critical points with the chosen columns and its reproducibility footer.

    Attributes
    ----------
    columns : tuple of str
        Column names (:data:`singularities.reports.catalogue.COLUMNS`, plus
        "function" first when the spec lists several functions).
    rows : tuple of tuple
        Exact values (sympy), None where a value does not exist or was not asked for.
    footer : tuple of (str, str)
        Version, input, options, one line per function, conventions and the
        numeric runs' seeds.
    title : str
        The spec's title ("" if none).
    """

    columns: tuple
    rows: tuple
    footer: tuple
    title: str = ""

    def to_rows(self, grouped=True):
        """``(header, rows)`` for display; with ``grouped``, points that agree in every other column share a row.

        Such a row lists its points and their number, e.g. ``(0, pi), (pi, 0) (2)`` (the two saddles of
        the square lattice).  The agreement is of the computed columns, not a proven symmetry; CSV, JSON
        and the DataFrame list every point.
        """
        return self.columns, display_rows(_grouped(self.columns, self.rows) if grouped else self.rows)

    def to_dataframe(self):
        """One row per point (not grouped): see :meth:`singularities._result.Result.to_dataframe`."""
        return tables.dataframe(*self.to_rows(grouped=False))

    def to_dict(self):
        return {
            "kind": "paper_table",
            "title": self.title,
            "columns": list(self.columns),
            "rows": [_json_row(self.columns, row) for row in self.rows],
            "footer": dict(self.footer),
        }

    @classmethod
    def from_dict(cls, data):
        """Rebuild the table from :meth:`to_dict` output: cells keep their JSON values (exact values as strings)."""
        columns = tuple(data["columns"])
        rows = tuple(
            tuple(_cell(row.get("point_text") if c == "point" else None, row[c]) for c in columns)
            for row in data["rows"]
        )
        return cls(columns, rows, tuple(data["footer"].items()), data["title"])


def _grouped(columns, rows):
    """Rows whose cells agree except the point merged into one, the point cell listing the points and their number."""
    if "point" not in columns:
        return rows
    at = columns.index("point")
    groups = {}
    for row in rows:
        point = row[at]
        key = (row[:at] + row[at + 1 :]) if isinstance(point, sympy.Tuple) else (id(row),)
        groups.setdefault(key, []).append(row)
    return [group[0] if len(group) == 1 else _group_row(group, at) for group in groups.values()]


def _group_row(group, at):
    points = [row[at] for row in group]
    text = ", ".join("(" + ", ".join(map(sympy.sstr, p)) + ")" for p in points) + f" ({len(points)})"
    latex = r",\ ".join("(" + ", ".join(map(sympy.latex, p)) + ")" for p in points) + rf"\ ({len(points)})"
    return group[0][:at] + (LatexCell(text, latex),) + group[0][at + 1 :]


def _json_row(columns, row):
    """A row as JSON, one type per column: a text in the point column (a component, a note) goes under "point_text"."""
    data = {c: json_value(v, c) for c, v in zip(columns, row)}
    if isinstance(data.get("point"), str):
        data["point_text"], data["point"] = data["point"], None
    return data


def _cell(component, value):
    if component is not None:
        return component
    return sympy.Tuple(*(parse_field(v) for v in value)) if isinstance(value, list) else value


def paper_table(spec, *, columns=None, timeout=None, numeric=None, default_timeout=None):
    """The table that a spec asks for: one row per critical point of each function.

    Parameters
    ----------
    spec : dict, list, str or pathlib.Path
        A spec (see docs/tables.md): a dict with "functions" (a list of
        entries) and optionally "title", "columns", "timeout", "numeric"; a
        single entry (a dict with "function"); a list of entries; the path of
        a .json, .yaml or .yml file holding one of these; or one expression.
        An entry has "function" and optionally "name", "variables",
        "parameters", "domain" ("R^n" or "torus"), "periods", "point" or
        "points", and "columns" (the quantities to report for it).
    columns : str or sequence, optional
        The columns, overriding the spec's (see :data:`singularities.reports.catalogue.COLUMNS`).
    timeout : float or Deadline, optional
        Time limit in seconds for the whole table (default: the spec's "timeout", else ``default_timeout``).
        When it passes, the functions not finished get one row each saying
        so and the footer names the limit; when no function was finished,
        :class:`~singularities.errors.TimeLimitError` is raised, with that
        table as its ``partial``.
    default_timeout : float, optional
        The limit when neither ``timeout`` nor the spec gives one (the CLI passes its default; None: no limit).
    numeric : dict, optional
        Options of the "numeric check" column ("seed", "samples", "decades",
        "level"), overriding the spec's "numeric" and :data:`NUMERIC_DEFAULTS`.

    Returns
    -------
    PaperTable

    Raises
    ------
    InputError
        For a malformed spec, naming the key to fix.
    TimeLimitError
        When the time limit passes before the first function is finished.

    Examples
    --------
    >>> from singularities.reports.paper_tables import paper_table
    >>> table = paper_table("x**3 - 3*x*y**2", columns="type,lambda,m,DOS exponent,ratio")
    >>> print(table)
    type  lambda  m  DOS exponent  ratio
    ----  ------  -  ------------  -----
    D4-   2/3     1  -1/3          1
    >>> table.footer[0][1].startswith("singularities")
    True
    """
    source, data = _source(spec)
    options = _spec_options(data)
    entries = _entries(data)
    chosen = _columns(columns, options.get("columns"), entries)
    spec_timeout = _seconds(options.get("timeout"))
    deadline = Deadline.coerce(
        timeout if timeout is not None else spec_timeout if spec_timeout is not None else default_timeout
    )
    numeric = _numeric_options(options.get("numeric"), numeric)
    runs = []
    finished, stopped = _table_rows(entries, chosen, numeric, runs, deadline)
    rows = [row for rows in finished for row in rows]
    if stopped is not None:
        rows += [_not_computed_row(entry, chosen, deadline) for entry in entries[len(finished) :]]
    if len(entries) > 1:
        chosen = ("function",) + chosen
    else:
        rows = [row[1:] for row in rows]
    footer = _footer(source, chosen, deadline, entries, numeric, runs)
    if stopped is not None:
        footer += (("time limit", _stopped_text(stopped, len(finished) + 1, len(entries))),)
    table = PaperTable(chosen, tuple(rows), footer, str(options.get("title", "")))
    if stopped is not None and not finished:
        raise TimeLimitError(stopped.stage, stopped.seconds, table, stopped.step) from stopped
    return table


def load_spec(path):
    """The spec held in a .json, .yaml or .yml file (YAML needs PyYAML: ``pip install pyyaml``).

    Raises
    ------
    InputError
        If the file is missing, unreadable, or not JSON/YAML.

    Examples
    --------
    >>> import json, pathlib, tempfile
    >>> from singularities.reports.paper_tables import load_spec
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "spec.json"
    >>> _ = path.write_text(json.dumps({"functions": [{"function": "x**2 + y**3"}]}))
    >>> load_spec(path)
    {'functions': [{'function': 'x**2 + y**3'}]}
    """
    path = pathlib.Path(path)
    if not _is_file(path):
        raise InputError(f"spec file {str(path)!r} not found; give the path of a .json/.yaml file, or one expression")
    text = path.read_text()
    if path.suffix.lower() in (".yaml", ".yml"):
        return _load_yaml(text, path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path.name} is not valid JSON (line {exc.lineno}: {exc.msg}); fix it, or use a .yaml file"
        ) from exc


def command_line_spec(text, *, variables=None, parameters=None, point=None, torus=False, periods=None):
    """What ``singularities table INPUT`` reads: a spec file's path, or a one-function spec built from the options.

    ``--vars``, ``--params``, ``--point``, ``--torus`` and ``--periods``
    describe a single expression; with a spec file they belong in the file.

    Raises
    ------
    InputError
        If options are given together with a spec file.

    Examples
    --------
    >>> from singularities.reports.paper_tables import command_line_spec
    >>> command_line_spec("-2*(cos(kx) + cos(ky))", torus=True)
    {'function': '-2*(cos(kx) + cos(ky))', 'domain': 'torus'}
    >>> command_line_spec("examples/paper_table_van_hove.json")
    'examples/paper_table_van_hove.json'
    """
    options = {
        "variables": variables,
        "parameters": parameters,
        "point": point,
        "domain": "torus" if torus or periods else None,
        "periods": periods,
    }
    given = {key: value for key, value in options.items() if value is not None}
    if not _looks_like_file(text):
        return {"function": text.strip(), **given}
    if given:
        flags = {
            "variables": "--vars",
            "parameters": "--params",
            "point": "--point",
            "domain": "--torus",
            "periods": "--periods",
        }
        raise InputError(
            f"{', '.join(flags[k] for k in given)} describe(s) one expression; for the spec file {text} "
            f"write {', '.join(repr(k) for k in given)} into the file instead"
        )
    return text


def render_table(table, format="text"):
    """A table (PaperTable or Catalogue) with its footer, as text, LaTeX (booktabs), Markdown, CSV or JSON.

    Examples
    --------
    >>> from singularities.reports.paper_tables import paper_table, render_table
    >>> table = paper_table("x**2*y - y**3", columns="type,lambda,DOS exponent")
    >>> print(render_table(table, "latex").split("\\n% generated by")[0])
    % requires \\usepackage{booktabs}
    \\begingroup\\renewcommand{\\arraystretch}{1.3}
    \\begin{tabular}{lll}
    \\toprule
    type & $\\lambda$ & DOS exponent \\\\
    \\midrule
    $D_4^-$ & $\\frac{2}{3}$ & $- \\frac{1}{3}$ \\\\
    \\bottomrule
    \\end{tabular}
    \\endgroup
    """
    if format == "json":
        return tables.json_text(table.to_dict(), indent=2)
    header, rows = (
        table.to_rows(grouped=False) if format == "csv" and isinstance(table, PaperTable) else table.to_rows()
    )
    title, footer = getattr(table, "title", ""), table.footer
    if format == "latex":
        return booktabs(header, rows, footer, title)
    renderer = {"text": tables.text, "markdown": tables.markdown, "csv": tables.csv}.get(format)
    if renderer is None:
        raise InputError(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}")
    if format == "markdown":
        rows = [tuple(_markdown_cell(c) for c in row) for row in rows]
    return _with_footer(renderer(header, rows), format, footer, title)


def booktabs(header, rows, footer=(), title=""):
    r"""A LaTeX ``tabular`` with booktabs rules; sympy values and type labels in math mode, the footer as comments.

    Examples
    --------
    >>> import sympy
    >>> from singularities.reports.paper_tables import booktabs
    >>> print(booktabs(("g", "lambda"), [(sympy.sympify("x**2 - y**2"), 1)], (("generated by", "hand"),)))
    % requires \usepackage{booktabs}
    \begingroup\renewcommand{\arraystretch}{1.3}
    \begin{tabular}{ll}
    \toprule
    g & $\lambda$ \\
    \midrule
    $x^{2} - y^{2}$ & $1$ \\
    \bottomrule
    \end{tabular}
    \endgroup
    % generated by: hand
    """
    lines = [f"% {_comment(title)}"] if title else []
    lines += [
        r"% requires \usepackage{booktabs}",
        r"\begingroup\renewcommand{\arraystretch}{1.3}",
        r"\begin{tabular}{" + "l" * len(header) + "}",
        r"\toprule",
        " & ".join(LATEX_HEADERS.get(h, _latex_text(h)) for h in header) + r" \\",
        r"\midrule",
    ]
    lines += [" & ".join(_latex_cell(c) for c in row) + r" \\" for row in rows]
    lines += [r"\bottomrule", r"\end{tabular}", r"\endgroup"]
    lines += [f"% {key}: {_comment(value)}" for key, value in footer]
    return "\n".join(lines)


def _source(spec):
    """(description of the input for the footer, spec data)."""
    if isinstance(spec, pathlib.Path) or (isinstance(spec, str) and _looks_like_file(spec)):
        return f"file {pathlib.Path(spec).name}", load_spec(spec)
    if isinstance(spec, str):
        return "expression", {"function": spec}
    if isinstance(spec, dict) and "function" in spec:
        return "expression", spec
    if isinstance(spec, (dict, list, tuple)):
        return "spec", spec
    raise InputError(
        f"a spec is a dict, a list of entries, a .json/.yaml path or an expression, not {type(spec).__name__}"
    )


def _looks_like_file(text):
    return text.strip().lower().endswith((".json", ".yaml", ".yml")) or _is_file(text)


def _is_file(path):
    """Path.is_file that says False for names the system cannot look up (too long, NUL bytes)."""
    try:
        return pathlib.Path(path).is_file()
    except (OSError, ValueError):
        return False


def _load_yaml(text, path):
    try:
        import yaml
    except ImportError:
        raise InputError(f"reading {path.name} needs PyYAML: pip install pyyaml (or write the spec as .json)") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InputError(f"{path.name} is not valid YAML: {exc}") from exc


def _spec_options(data):
    if isinstance(data, dict) and "functions" in data:
        _check_keys(data, _SPEC_KEYS, "the spec")
        return {key: data[key] for key in _SPEC_KEYS if key in data and key != "functions"}
    return {}


def _seconds(value):
    if value is None:
        return None
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = -1.0
    if not seconds > 0:
        raise InputError(f"the spec's 'timeout' must be a positive number of seconds, not {value!r}")
    return seconds


def _numeric_options(from_spec, explicit):
    merged = {**NUMERIC_DEFAULTS, **(from_spec or {}), **(explicit or {})}
    unknown = sorted(set(merged) - set(NUMERIC_DEFAULTS))
    if unknown:
        raise InputError(
            f"unknown numeric option(s) {', '.join(map(repr, unknown))}; allowed: {', '.join(NUMERIC_DEFAULTS)}"
        )
    return merged


def _entries(data):
    items = data["functions"] if isinstance(data, dict) and "functions" in data else data
    items = [items] if isinstance(items, dict) else items
    if not isinstance(items, (list, tuple)) or not items:
        raise InputError("the spec lists no functions; give 'functions': [{'function': 'x**2 + y**3'}, ...]")
    for number, item in enumerate(items, 1):
        if not isinstance(item, dict) or "function" not in item:
            raise InputError(
                f"function {number} of the spec has no 'function' key; write e.g. {{'function': 'x**2 + y**3'}}"
            )
        _check_keys(item, _ENTRY_KEYS, f"function {number} ({item['function']})")
    return [dict(item) for item in items]


def _check_keys(data, allowed, where):
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise InputError(f"{where} has unknown key(s) {', '.join(map(repr, unknown))}; allowed: {', '.join(allowed)}")


def _columns(explicit, from_spec, entries):
    if explicit is not None or from_spec is not None:
        return _parsed(explicit if explicit is not None else from_spec)
    asked = {c for entry in entries for c in _parsed(entry.get("columns", ()), allow_empty=True)}
    return tuple(c for c in COLUMNS if c in asked) or DEFAULT_COLUMNS


def _parsed(columns, allow_empty=False):
    if allow_empty and not columns:
        return ()
    try:
        return parse_columns(columns)
    except ValueError as exc:
        raise InputError(str(exc)) from None


def _energy(entry):
    parameters = entry.get("parameters")
    if isinstance(parameters, dict):
        parameters = {k: v if isinstance(v, float) or v is None else str(v) for k, v in parameters.items()}
    return Energy(str(entry["function"]), entry.get("variables"), parameters=parameters)


def _on_torus(entry):
    domain = str(entry.get("domain") or ("torus" if entry.get("periods") else "R^n")).strip().lower()
    if domain not in ("torus", "r^n", "rn", "euclidean", "local"):
        raise InputError(f"unknown domain {entry.get('domain')!r} for {entry['function']}; write 'R^n' or 'torus'")
    return domain == "torus"


def _points(entry):
    if "point" in entry and "points" in entry:
        raise InputError(f"{entry['function']}: give 'point' or 'points', not both")
    if "point" in entry:
        return [entry["point"]]
    return list(entry["points"]) if "points" in entry else None


def _table_rows(entries, columns, numeric, runs, deadline):
    """(the rows of each function finished, the TimeLimitError that stopped the table or None)."""
    finished = []
    try:
        with guard(deadline, "the table"):
            for index, entry in enumerate(entries):
                deadline.check("the table's functions", index, len(entries))
                finished.append(_entry_rows(entry, columns, numeric, runs, deadline))
    except TimeLimitError as exc:  # outside the guard: the table's own limit, never a step's (those fall back inside)
        return finished, exc
    return finished, None


def _not_computed_row(entry, columns, deadline):
    """The one row of a function that the table's time limit stopped before it was finished."""
    note = f"not computed: the table's time limit ({_limit_text(deadline.seconds)}) was reached"
    return (_name(entry, _energy(entry)), note) + (None,) * (len(columns) - 1)


def _stopped_text(error, first, total):
    rows = f"function {first}" if first == total else f"functions {first} to {total}"
    return (
        f"the table's limit ({_limit_text(error.seconds)}) was reached during {error.stage} in function {first}; "
        f"{rows} not computed: raise the limit with timeout=... (CLI: --timeout SECONDS)"
    )


def _limit_text(seconds):
    return "none" if seconds is None else f"{seconds:g} s"


def _name(entry, energy):
    return entry.get("name") or energy.expr


def _entry_rows(entry, columns, numeric, runs, deadline):
    """Rows (first cell: the function's name) for one spec entry."""
    energy, wanted = _energy(entry), set(_parsed(entry.get("columns", ()), allow_empty=True)) or set(columns)
    name = _name(entry, energy)
    records = (
        _torus_records(energy, entry, deadline) if _on_torus(entry) else _plane_records(energy, entry, wanted, deadline)
    )
    rows = []
    for record in records:
        if "numeric check" in wanted and record.get("check_point") is not None:
            record["numeric check"] = _numeric_check(energy, record, numeric, runs, deadline)
        rows.append((name,) + tuple(record.get(c) if c in wanted else None for c in columns))
    return rows


def _plane_records(energy, entry, wanted, deadline):
    points = _points(entry)
    if points is None:
        found = classify_critical_points(energy, timeout=deadline)
        classifications, components = found.points, found.components
    else:
        classifications, components = [classify(energy.at(p), timeout=deadline) for p in points], ()
    needs_dos = bool(wanted & _DOS_COLUMNS)
    records = [_point_record(energy, c, needs_dos, deadline) for c in classifications]
    return records + [
        _component_record(", ".join(map(sympy.sstr, k.equations)) + " = 0", k.value, k.dimension, None)
        for k in components
    ]


def _point_record(energy, classification, needs_dos, deadline):
    c = classification
    record = {
        "point": sympy.Tuple(*c.point),
        "value": c.value,
        "type": LatexCell(c.label),
        "normal form": c.normal_form,
        "mu": c.milnor_number,
        "modality": c.modality,
        "weights": None if c.weights is None else sympy.Tuple(*c.weights),
        "check_point": c.point,
    }
    if needs_dos:
        dos = dos_asymptotics(energy.at(c.point), classification=c, timeout=deadline) if c.family is not None else None
        record.update(_dos_values(dos))
        if dos is None or dos.rlct is None:
            record.update(_rlct_values(energy, c, deadline))
    return record


def _dos_values(dos):
    if dos is None:
        return {}
    values = {
        "DOS exponent": dos.exponent,
        "log power": dos.log_power,
        "C_+": dos.c_plus,
        "C_-": dos.c_minus,
        "ratio": dos.ratio,
        "L": dos.log_coefficient if dos.log_power else None,
    }
    if dos.rlct is not None:
        values.update(_slt_values(dos.rlct))
    return values


def _slt_values(result):
    """lambda, m and the SLT columns of an RLCT: its status, the theorem that proved it, the free energy F_n."""
    proven = result.status is Status.PROVEN
    return {
        "lambda": result.threshold,
        "m": result.multiplicity,
        "status": result.status.value,
        "theorem": getattr(result.certificate, "theorem", None),
        "F_n": result.free_energy() if proven else None,
    }


def _rlct_values(energy, classification, deadline):
    """lambda and m of |f - c| at an unclassified point from rlct() (None unless proven)."""
    shifted = Energy(energy.expr - classification.value, energy.variables, point=classification.point)
    with deadline.attempt("the rlct at the point", catch=SingularitiesError) as step:  # the table's limit propagates
        result = rlct(shifted, timeout=step.deadline)
    return _slt_values(result) if step.ok and result.status is Status.PROVEN else {}


def _torus_records(energy, entry, deadline):
    found = torus_critical_points(energy, periods=entry.get("periods"), timeout=deadline)
    points, periods = found.points, found.periods
    selected = _points(entry)
    if selected is not None:
        points = [_torus_point(found, energy.at(p).point, periods) for p in selected]
    records = []
    for p in points:
        c = p.classification
        record = {"point": sympy.Tuple(*p.point), "value": p.value, "type": LatexCell(p.label), "check_point": p.point}
        if c is not None:
            record.update(
                {
                    "normal form": c.normal_form,
                    "mu": c.milnor_number,
                    "modality": c.modality,
                    "weights": None if c.weights is None else sympy.Tuple(*c.weights),
                }
            )
        record.update(_dos_values(p.dos))
        records.append(record)
    if selected is None:
        records += [
            _component_record(k.description, k.value, k.real_dimension or k.dimension, k.dos_exponent)
            for k in found.components
        ]
        records += [
            {"point": sympy.Tuple(*k.point), "value": k.value, "type": k.label, **_dos_values(k.dos)}
            for k in found.conical_points
        ]
    return records


def _torus_point(found, point, periods):
    for p in found.points:
        if all(sympy.simplify((a - b) / P).is_integer for a, b, P in zip(p.point, point, periods)):
            return p
    listed = ", ".join(point_text(p.point) for p in found.points)
    raise InputError(
        f"({', '.join(map(sympy.sstr, point))}) is not an isolated critical point on the torus; "
        f"the critical points are {listed or 'none'}"
    )


def _component_record(description, value, dimension, exponent):
    return {
        "point": description,
        "value": value,
        "type": f"component (dimension {dimension})",
        "DOS exponent": exponent,
    }


def _numeric_check(energy, record, numeric, runs, deadline):
    """verify() at the point on f - c; the summary cell, with the run recorded for the footer."""
    deadline.check("numeric check")
    from ..numeric.verify import verify  # lazy: numpy and the compiler only when a numeric column is asked for

    shifted = Energy(energy.expr - record["value"], energy.variables, point=record["check_point"])
    options = {k: numeric[k] for k in ("seed", "samples", "decades", "level")}
    with deadline.attempt("the numeric check", catch=SingularitiesError) as step:  # the table's limit propagates
        result = verify(shifted, timeout=step.deadline, **options)
    if not step.ok:
        runs.append(f"{point_text(record['check_point'])}: not run ({type(step.error).__name__})")
        return f"not run: {type(step.error).__name__}"
    checked = [c for c in result.checks if c.passed is not None]
    passed = sum(1 for c in checked if c.passed)
    runs.append(
        f"{point_text(record['check_point'])}: seed {result.seed}, {result.n_samples} samples, backend {result.backend}"
    )
    return f"{'passed' if passed == len(checked) else 'FAILED'} {passed}/{len(checked)}"


def _footer(source, columns, deadline, entries, numeric, runs):
    limit = _limit_text(deadline.seconds)
    rows = [
        ("generated by", f"singularities {__version__} (sympy {sympy.__version__})"),
        ("input", source),
        ("options", f"columns {', '.join(columns)}; time limit {limit}"),
    ]
    rows += [
        (f"function {i}" if len(entries) > 1 else "function", _describe(entry)) for i, entry in enumerate(entries, 1)
    ]
    rows.append(
        (
            "conventions",
            "docs/conventions.md; DOS per unit k-volume on R^n, per band per unit cell "
            "(d^n k/(2 pi)^n) on a torus; lambda, m of |f - c| at the point",
        )
    )
    if runs:
        settings = ", ".join(f"{k} {numeric[k]}" for k in ("seed", "samples", "decades", "level"))
        rows.append(("numeric check", f"singularities.numeric.verify ({settings}); " + "; ".join(runs)))
    return tuple(rows)


def _describe(entry):
    energy = _energy(entry)
    parts = [
        entry.get("name", ""),
        f"f = {exact_string(energy.expr)}",
        "variables " + ", ".join(map(str, energy.variables)),
    ]
    if energy.parameters:
        parts.append(
            "parameters "
            + ", ".join(f"{s} = {'free' if v is None else exact_string(v)}" for s, v in energy.parameters.items())
        )
    domain = "torus" if _on_torus(entry) else "R^n"
    if entry.get("periods"):
        domain += f" (periods {entry['periods']})"
    parts.append(f"domain {domain}")
    if _points(entry) is not None:
        parts.append("points " + "; ".join(map(str, _points(entry))))
    return ", ".join(p for p in parts if p)


def _with_footer(body, format, footer, title):
    if format == "csv":
        head = [f"# {title}"] if title else []
        return "\n".join(head + [body] + [f"# {key}: {value}" for key, value in footer])
    if format == "markdown":
        head = [f"**{title}**", ""] if title else []
        return "\n".join(head + [body, ""] + [f"- {key}: {value}".replace("*", "\\*") for key, value in footer])
    head = [title, ""] if title else []
    return "\n".join(head + [body, ""] + [f"{key}: {value}" for key, value in footer])


def _markdown_cell(cell):
    """Sympy syntax with ``*`` as a code span, so that ``x**2`` is not read as emphasis."""
    text = sympy.sstr(cell) if isinstance(cell, sympy.Basic) else cell
    return f"`{text}`" if isinstance(text, str) and "*" in text else cell


def _latex_cell(cell):
    if cell is None:
        return "--"
    latex = getattr(cell, "latex", None)
    if latex:
        return f"${latex}$"
    if isinstance(cell, bool):
        return _latex_text(str(cell).lower())
    if isinstance(cell, int):
        return f"${cell}$"
    if isinstance(cell, sympy.Basic):
        return f"${tables.latex_expr(cell)}$"
    formula = tables.asymptotic_latex(str(cell))
    return f"${formula}$" if formula is not None else _latex_text(str(cell))


_TEXT_ESCAPES = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def _latex_text(text):
    return "".join(_TEXT_ESCAPES.get(char, char) for char in str(text))


def _comment(text):
    return " ".join(str(text).split())
