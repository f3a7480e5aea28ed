"""The protocol every result object follows: dict/JSON, rows, text, LaTeX."""

import json

from . import tables

__all__ = ["Result"]


class Result:
    """Mixin for frozen result dataclasses.

    A subclass defines ``to_rows()`` returning ``(header, rows)`` and
    ``to_dict()`` returning a JSON-safe dict with a ``"kind"`` key and exact
    values as strings; text, Markdown, LaTeX and JSON follow from these.
    """

    __slots__ = ()

    def to_rows(self):  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def to_dict(self):  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def to_json(self, **kwargs):
        """The result as one JSON object (see :meth:`to_dict`)."""
        return json.dumps(self.to_dict(), **kwargs)

    def to_markdown(self):
        """The result as a Markdown table."""
        return tables.markdown(*self.to_rows())

    def to_latex(self):
        """The result as a LaTeX ``array``."""
        return tables.latex(*self.to_rows())

    def __str__(self):
        return tables.text(*self.to_rows())

    def _repr_latex_(self):
        return "$\\displaystyle " + self.to_latex() + "$"
