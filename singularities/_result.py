"""The protocol every result object follows: dict/JSON, rows, text, LaTeX, HTML, DataFrame; one registry of kinds."""

import functools

from . import tables
from ._exact import parse_exact
from .errors import InputError

__all__ = ["Result", "register", "from_dict", "registered", "parse_field", "dict_rows"]

_KINDS = {}  # the "kind" key of to_dict() -> the class whose from_dict rebuilds it


class Result:
    """Mixin for frozen result dataclasses.

    A subclass defines ``to_rows()`` returning ``(header, rows)`` and
    ``to_dict()`` returning a JSON-safe dict with a ``"kind"`` key and exact
    values as strings; text, Markdown, LaTeX, HTML (the notebook view), a
    pandas DataFrame and JSON follow from these (:mod:`singularities.tables`).
    ``from_dict`` (a classmethod, registered with :func:`register`) rebuilds it.
    A registered class that does not derive from ``Result`` gets these views
    from :func:`register`, and rows from its ``to_dict()`` when it has no ``to_rows``.
    """

    __slots__ = ()

    def to_rows(self):  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def to_dict(self):  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def _with_input(self, data):
        """``data`` with the input energy under "input" (when the result keeps it), for ``to_dict``."""
        if getattr(self, "energy", None) is not None:
            data["input"] = self.energy.to_dict()
        return data

    def to_json(self, **kwargs):
        """The result as one JSON object: :meth:`to_dict` with the float of each exact number beside it.

        ``"threshold": "1/2"`` is followed by ``"threshold_float": 0.5``
        (null where the value is absent, not real or infinite); see
        :func:`singularities.tables.json_form`.  ``from_dict`` ignores the floats.
        """
        return tables.json_text(self.to_dict(), **kwargs)

    def to_markdown(self):
        """The result as a Markdown table."""
        return tables.markdown(*self.to_rows())

    def to_latex(self):
        """The result as a LaTeX ``array``."""
        return tables.latex(*self.to_rows())

    def to_dataframe(self):
        """The rows as a pandas DataFrame: exact values as strings, with a float column beside each numeric one.

        pandas is optional: without it this raises :class:`~singularities.errors.InputError`.

        Examples
        --------
        >>> import singularities as sg
        >>> frame = sg.rlct("x**2 + y**4").to_dataframe()
        >>> frame["quantity"][0], frame["value"][0], frame["value_float"].tolist()[:2]
        ('threshold (lambda)', '3/4', [0.75, 1.0])
        """
        return tables.dataframe(*self.to_rows())

    def __str__(self):
        return tables.text(*self.to_rows())

    def _repr_latex_(self):
        return "$\\displaystyle " + self.to_latex() + "$"

    def _repr_html_(self):
        return tables.html(*self.to_rows())


def dict_rows(data):
    """``(header, rows)`` of a ``to_dict()``: one row per field, nested results by their kind, for results without rows.

    Examples
    --------
    >>> from singularities._result import dict_rows
    >>> dict_rows({"kind": "face", "dimension": 0, "vertices": [[2, 2]], "check": {"kind": "face_check"}})
    (('field', 'value'), [('dimension', 0), ('vertices', '((2, 2))'), ('check', 'face_check')])
    """
    rows = [(key, _summary(value)) for key, value in data.items() if key not in ("kind", "input")]
    return ("field", "value"), rows


_VIEWS = ("to_json", "to_markdown", "to_latex", "to_dataframe", "_repr_latex_", "_repr_html_")


def register(kind):
    """Class decorator: ``to_dict()`` of the class carries ``"kind": kind`` and :func:`from_dict` rebuilds it.

    Put it above ``@dataclass`` (a slotted dataclass is a new class); each kind names one class.
    """

    def decorate(cls):
        if _KINDS.get(kind, cls) is not cls:
            raise TypeError(f"result kind {kind!r} is taken by {_KINDS[kind].__qualname__}")
        _KINDS[kind] = cls
        if "from_dict" in vars(cls):  # each class reads its JSON document (json.loads(to_json())) as its to_dict()
            cls.from_dict = _reading_documents(vars(cls)["from_dict"])
        if not issubclass(cls, Result):  # the same views, from the one implementation in Result
            for name in _VIEWS:
                if name not in vars(cls):
                    setattr(cls, name, getattr(Result, name))
            if not hasattr(cls, "to_rows"):
                cls.to_rows = _rows_of_dict
        return cls

    return decorate


def from_dict(data):
    """Rebuild any result (or part of one) from its ``to_dict()`` output, by its ``"kind"`` key.

    Examples
    --------
    >>> import singularities as sg
    >>> from singularities._result import from_dict
    >>> r = sg.rlct("x**2*y**2")
    >>> from_dict(r.to_dict()) == r
    True
    """
    if data is None:
        return None
    kind = data.get("kind") if isinstance(data, dict) else None
    _load_result_modules(until=kind)
    if kind not in _KINDS:
        raise InputError(
            f"unknown result kind {kind!r}; pass the output of a result's to_dict(), whose kind is one of "
            + ", ".join(sorted(_KINDS))
        )
    return _KINDS[kind].from_dict(data)


def parse_field(text):
    """A value of a ``to_dict()`` read back: None stays None, an exact string becomes its sympy value (no ``eval``).

    Examples
    --------
    >>> from singularities._result import parse_field
    >>> parse_field("sqrt(2)/3"), parse_field(None)
    (sqrt(2)/3, None)
    """
    return None if text is None else parse_exact(text)


def registered():
    """``{kind: class}`` for every result kind (all result modules imported)."""
    _load_result_modules()
    return dict(_KINDS)


def _reading_documents(method):
    """A ``from_dict`` classmethod that first undoes :func:`singularities.tables.json_form` (floats, shared fields)."""
    read = method.__func__

    @functools.wraps(read)
    def from_dict(cls, data, *args, **kwargs):
        return read(cls, tables.json_plain(data) if isinstance(data, dict) else data, *args, **kwargs)

    return classmethod(from_dict)


def _rows_of_dict(result):
    """``to_rows`` of a registered class without one: its ``to_dict()`` field by field."""
    return dict_rows(result.to_dict())


def _summary(value):
    """A ``to_dict()`` value as one table cell: exact strings as they are, nested results by kind, lists as tuples."""
    if isinstance(value, dict):
        return value.get("label") or value.get("kind") or ", ".join(f"{k}: {_summary(v)}" for k, v in value.items())
    if isinstance(value, list):
        if value and all(isinstance(v, dict) for v in value):
            return f"{len(value)} x {_summary(value[0]) if len({v.get('kind') for v in value}) == 1 else 'results'}"
        return "(" + ", ".join(str(_summary(v)) for v in value) + ")"
    return value


def _load_result_modules(until=None):
    """Import the modules that define results (they register on import), numeric last, until ``until`` is known."""
    import importlib

    for name in _RESULT_MODULES:
        if until is not None and until in _KINDS:
            return
        importlib.import_module(f"singularities.{name}")


# Where results are defined, by name only (imported on demand, never at import time: L0 depends on no layer above).
_RESULT_MODULES = (
    "energy",
    "jets",
    "models",
    "polyhedra.newton",
    "polyhedra.nondegeneracy",
    "local.critical",
    "local.splitting",
    "local.normal_forms",
    "local.classify",
    "local.adjacency",
    "thresholds.certificates",
    "thresholds.resolution",
    "thresholds.rlct",
    "thresholds.truncation",
    "thresholds.boundary",
    "thresholds.global_rlct",
    "physics.dos",
    "physics.torus_points",
    "physics.tune",
    "reports.catalogue",
    "reports.paper_tables",
    "numeric.sampling",
    "numeric.multiscale",
    "numeric.fit",
    "numeric.posterior",
    "numeric.dos_curve",
    "numeric.verify",
)
