"""Text, Markdown, LaTeX and CSV tables from ``(header, rows)``; knows no result classes.

A cell is a string, a number or a sympy expression.  Text, Markdown and CSV
show sympy expressions in sympy syntax (``1/2``), LaTeX shows them typeset.
"""

import csv as _csv
import io
import json

import sympy

from .errors import InputError

__all__ = ["text", "markdown", "latex", "csv", "render", "FORMATS"]

FORMATS = ("text", "markdown", "latex", "csv", "json")


def text(header, rows):
    """A plain-text table with aligned columns.

    Examples
    --------
    >>> from singularities import tables
    >>> print(tables.text(("quantity", "value"), [("threshold", sympy.Rational(1, 2))]))
    quantity   value
    ---------  -----
    threshold  1/2
    """
    cells = [[_plain(c) for c in header]] + [[_plain(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown(header, rows):
    """A GitHub-flavoured Markdown table.

    Examples
    --------
    >>> from singularities import tables
    >>> print(tables.markdown(("a", "b"), [(1, sympy.sqrt(2))]))
    | a | b |
    |---|---|
    | 1 | sqrt(2) |
    """
    lines = ["| " + " | ".join(_plain(c) for c in header) + " |"]
    lines.append("|" + "|".join("---" for _ in header) + "|")
    lines += ["| " + " | ".join(_plain(c).replace("|", "\\|") for c in row) + " |" for row in rows]
    return "\n".join(lines)


def latex(header, rows):
    r"""A LaTeX ``array`` (usable in math mode, so also in notebooks).

    Examples
    --------
    >>> from singularities import tables
    >>> print(tables.latex(("quantity", "value"), [("threshold", sympy.Rational(1, 2))]))
    \begin{array}{ll}
    \text{quantity} & \text{value} \\ \hline
    \text{threshold} & \frac{1}{2} \\
    \end{array}
    """
    lines = [r"\begin{array}{" + "l" * len(header) + "}"]
    lines.append(" & ".join(_tex(c) for c in header) + r" \\ \hline")
    lines += [" & ".join(_tex(c) for c in row) + r" \\" for row in rows]
    lines.append(r"\end{array}")
    return "\n".join(lines)


def csv(header, rows):
    """A CSV table (RFC 4180 quoting, ``\\n`` line ends); an empty cell stands for a missing value.

    Examples
    --------
    >>> from singularities import tables
    >>> print(tables.csv(("type", "lambda", "C_+"), [("D4-", sympy.Rational(2, 3), None), ("A1, min", 1, sympy.pi)]))
    type,lambda,C_+
    D4-,2/3,
    "A1, min",1,pi
    """
    buffer = io.StringIO()
    writer = _csv.writer(buffer, lineterminator="\n")
    writer.writerow([_plain(c) for c in header])
    writer.writerows([["" if c is None else _plain(c) for c in row] for row in rows])
    return buffer.getvalue().rstrip("\n")


def render(result, format="text"):
    """Render any object with ``to_rows()`` and ``to_dict()`` in one of :data:`FORMATS`."""
    if format == "json":
        return json.dumps(result.to_dict(), indent=2)
    renderer = {"text": text, "markdown": markdown, "latex": latex, "csv": csv}.get(format)
    if renderer is None:
        raise InputError(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}")
    return renderer(*result.to_rows())


def _plain(cell):
    if cell is None:
        return "-"
    if isinstance(cell, sympy.Basic):
        return sympy.sstr(cell)
    return str(cell)


def _tex(cell):
    if cell is None:
        return "-"
    if isinstance(cell, sympy.Basic):
        return sympy.latex(cell)
    if isinstance(cell, bool) or not isinstance(cell, (int, str)):
        return r"\text{" + _escape(str(cell)) + "}"
    if isinstance(cell, int):
        return str(cell)
    return r"\text{" + _escape(cell) + "}"


def _escape(string):
    for char, replacement in (("\\", r"\backslash "), ("_", r"\_"), ("&", r"\&"), ("%", r"\%"), ("#", r"\#")):
        string = string.replace(char, replacement)
    return string
