"""Text, Markdown, LaTeX, HTML, CSV and JSON tables from ``(header, rows)``; knows no result classes.

A cell is a string, a number or a sympy expression.  Text, Markdown and CSV
show sympy expressions in sympy syntax (``1/2``); LaTeX and HTML typeset
them.  In LaTeX and HTML a text cell's symbols are typeset too: Greek names
(``lambda`` as λ), subscripts (``F_n``, ``C_+``, ``k_x``), a letter in
brackets (``(m)``), and an asymptotic expansion in sympy syntax (a text
holding ``O_p(...)`` or ``o(...)``, such as the free energy F_n) becomes the
formula.  A str cell with a ``latex`` attribute (a type label such as
``D4-``) is shown as that LaTeX.
"""

import csv as _csv
import html as _html
import io
import json
import math
import re

import sympy
from sympy.printing.precedence import PRECEDENCE
from sympy.printing.str import StrPrinter

from ._exact import parse_exact
from .errors import InputError

__all__ = [
    "text",
    "markdown",
    "latex",
    "html",
    "csv",
    "dataframe",
    "json_text",
    "json_form",
    "json_plain",
    "render",
    "latex_expr",
    "asymptotic_latex",
    "FORMATS",
    "FLOAT_SUFFIX",
    "SHARED",
    "EXACT_KEYS",
    "GREEK",
]

FORMATS = ("text", "markdown", "latex", "csv", "json")

SHARED = "same_as_parent"
"""In a JSON document, the fields a nested result has in common with the result holding it (not repeated)."""

FLOAT_SUFFIX = "_float"
"""A JSON key, CSV or DataFrame column ending in this holds the float value of the exact one it follows."""

EXACT_KEYS = frozenset(
    (
        *"threshold value point weights weight_sum newton_distance dos_exponent c_plus c_minus ratio".split(),
        *"log_coefficient modulus predicted centre scale tilt unit periods band_minimum band_maximum".split(),
        *"minimum maximum dos_coefficient sample_point witness squares matrix values".split(),
        *("lambda", "L", "C_+", "C_-", "DOS exponent", "DOS_exponent"),  # table rows: the column names
    )
)
"""Keys of ``to_dict()`` output whose values are exact numbers in sympy syntax (or lists of them): the JSON
document gives their floats.  tests/test_results_roundtrip.py checks that every key holding such a value is here."""

_GREEK_NAMES = "alpha beta gamma delta epsilon zeta eta theta kappa lambda mu nu xi pi rho sigma tau phi chi psi omega"
GREEK = {name: (char, "\\" + name) for name, char in zip(_GREEK_NAMES.split(), "αβγδεζηθκλμνξπρστφχψω")}
"""Greek letter names that a text cell may spell out: ``{name: (unicode, LaTeX)}``."""


def text(header, rows):
    """A plain-text table with aligned columns.

    Examples
    --------
    >>> import sympy
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
    >>> import sympy
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
    r"""A LaTeX ``array`` (usable in math mode, so also in notebooks); symbols in text cells typeset.

    Examples
    --------
    >>> import sympy
    >>> from singularities import tables
    >>> print(tables.latex(("quantity", "value"), [("threshold (lambda)", sympy.Rational(1, 2))]))
    \begin{array}{ll}
    \text{quantity} & \text{value} \\ \hline
    \text{threshold (}\lambda\text{)} & \frac{1}{2} \\
    \end{array}
    """
    lines = [r"\begin{array}{" + "l" * len(header) + "}"]
    lines.append(" & ".join(_tex(c) for c in header) + r" \\ \hline")
    lines += [" & ".join(_tex(c) for c in row) + r" \\" for row in rows]
    lines.append(r"\end{array}")
    return "\n".join(lines)


def html(header, rows):
    """An HTML ``<table>`` (the notebook view): Greek letters, sub- and superscripts, formulas typeset.

    Examples
    --------
    >>> import sympy
    >>> from singularities import tables
    >>> print(tables.html(("quantity", "value"), [("threshold (lambda)", sympy.sqrt(2) / 2)]))
    <table class="singularities">
    <thead><tr><th style="text-align:left">quantity</th><th style="text-align:left">value</th></tr></thead>
    <tbody>
    <tr><td style="text-align:left">threshold (λ)</td><td style="text-align:left">√2/2</td></tr>
    </tbody>
    </table>
    """
    cell = '<{0} style="text-align:left">{1}</{0}>'
    lines = ['<table class="singularities">']
    lines.append("<thead><tr>" + "".join(cell.format("th", _html_cell(c)) for c in header) + "</tr></thead>")
    lines.append("<tbody>")
    lines += ["<tr>" + "".join(cell.format("td", _html_cell(c)) for c in row) + "</tr>" for row in rows]
    lines += ["</tbody>", "</table>"]
    return "\n".join(lines)


def csv(header, rows):
    """A CSV table (RFC 4180 quoting, ``\\n`` line ends); an empty cell stands for a missing value.

    Numbers are numbers: integers and decimals as they are; a column with
    exact non-integer values (``2/3``, ``pi/2``) keeps them in sympy syntax
    and gets a ``<name>_float`` column beside it with their decimal values
    (empty where a cell is not a real number, ``inf`` for ``oo``).

    Examples
    --------
    >>> import sympy
    >>> from singularities import tables
    >>> print(tables.csv(("type", "lambda", "C_+"), [("D4-", sympy.Rational(2, 3), None), ("A1, min", 1, sympy.pi)]))
    type,lambda,lambda_float,C_+,C_+_float
    D4-,2/3,0.6666666666666666,,
    "A1, min",1,1.0,pi,3.141592653589793
    """
    header, rows = _with_float_columns(header, rows)
    buffer = io.StringIO()
    writer = _csv.writer(buffer, lineterminator="\n")
    writer.writerow([_plain(c) for c in header])
    writer.writerows([["" if c is None else _plain(c) for c in row] for row in rows])
    return buffer.getvalue().rstrip("\n")


def dataframe(header, rows):
    """A pandas ``DataFrame``: exact values as strings, each numeric column with a ``<name>_float`` column beside it.

    A column of integers stays an integer column; a column holding other
    real numbers keeps their exact strings (sympy syntax) and gets the float
    column (NaN where a cell is not a real number).  pandas is optional.

    Raises
    ------
    InputError
        If pandas is not installed.

    Examples
    --------
    >>> import sympy
    >>> from singularities import tables
    >>> frame = tables.dataframe(("type", "lambda", "m"), [("A2", sympy.Rational(5, 6), 1)])
    >>> list(frame.columns), frame["lambda_float"].tolist(), frame["m"].dtype
    (['type', 'lambda', 'lambda_float', 'm'], [0.8333333333333334], Int64Dtype())
    """
    try:
        import pandas
    except ImportError:
        raise InputError(
            "to_dataframe() needs pandas, which is not installed; install pandas (pip install pandas)"
        ) from None
    header, rows = _with_float_columns(header, rows, frame=True)
    columns = {}
    for index, name in enumerate(header):
        columns[name] = _frame_column(pandas, [row[index] for row in rows])
    return pandas.DataFrame(columns)


def json_form(data):
    """The JSON document of a ``to_dict()``: floats beside exact numbers, no block repeated inside its parent.

    Two changes, both undone by :func:`json_plain`:

    - a key in :data:`EXACT_KEYS` holding an exact number in sympy syntax
      (or a list of them) gets a ``<key>_float`` key right after it: the
      float, or null where the value is absent, not real or infinite
      (``"lambda": "5/21", "lambda_float": 0.238...``);
    - a nested result (a dict with a ``"kind"``) drops each field equal to
      the same field of the result holding it and lists those names under
      ``"same_as_parent"`` (a torus point's DOS block does not repeat the
      point, the exponents and the RLCT printed just above it).

    The dicts keyed by the user's names (``"parameters"``, ``"values"``) are
    left alone; a ``"values"`` dict of exact numbers gets ``"values_float"``.

    Examples
    --------
    >>> from singularities import tables
    >>> tables.json_form({"kind": "rlct", "threshold": "5/21", "multiplicity": 1})
    {'kind': 'rlct', 'threshold': '5/21', 'threshold_float': 0.23809523809523808, 'multiplicity': 1}
    >>> tables.json_form({"kind": "p", "value": "-4", "dos": {"kind": "d", "value": "-4", "exact": True}})["dos"]
    {'kind': 'd', 'same_as_parent': ['value'], 'exact': True}
    """
    if isinstance(data, list):
        return [json_form(item) for item in data]
    if not isinstance(data, dict):
        return data
    out = {}
    for key, value in data.items():
        out[key] = value if key in _NAMED else json_form(_without_shared(value, data))
        if key in EXACT_KEYS and not (isinstance(value, float) or _floats(value) or _result_dict(value)):
            out[key + FLOAT_SUFFIX] = _json_float(value)
    return out


def json_plain(data):
    """The ``to_dict()`` that :func:`json_form` made ``data`` from: companions dropped, shared fields put back.

    Examples
    --------
    >>> from singularities import tables
    >>> data = {"kind": "p", "value": "-4", "dos": {"kind": "d", "value": "-4", "exact": True}}
    >>> tables.json_plain(tables.json_form(data)) == data
    True
    """
    if isinstance(data, list):
        return [json_plain(item) for item in data]
    if not isinstance(data, dict):
        return data
    resolved = {}
    for key, value in data.items():
        if key.endswith(FLOAT_SUFFIX) and key[: -len(FLOAT_SUFFIX)] in data:
            continue
        resolved[key] = value if key in _NAMED else json_plain(_with_shared(value, data))
    return resolved


def json_text(data, **kwargs):
    """One JSON object: :func:`json_form` of ``data`` dumped with ``json.dumps(..., **kwargs)``."""
    return json.dumps(json_form(data), **kwargs)


def render(result, format="text"):
    """Render any object with ``to_rows()`` and ``to_dict()`` in one of :data:`FORMATS`."""
    if format == "json":
        return json_text(result.to_dict(), indent=2)
    renderer = {"text": text, "markdown": markdown, "latex": latex, "csv": csv}.get(format)
    if renderer is None:
        raise InputError(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}")
    return renderer(*result.to_rows())


def latex_expr(expr):
    r"""sympy's LaTeX of ``expr``, with wave-vector names subscripted: ``kx`` is typeset :math:`k_x`.

    A name of one letter followed by ``x``, ``y`` or ``z`` (``kx``, ``qy``)
    is read as that letter with a subscript.

    Examples
    --------
    >>> import sympy
    >>> from singularities import tables
    >>> tables.latex_expr(sympy.sympify("kx**2 - ky**2") / 2)
    '\\frac{k_{x}^{2}}{2} - \\frac{k_{y}^{2}}{2}'
    """
    names = {s: f"{s.name[0]}_{{{s.name[1]}}}" for s in expr.free_symbols if _WAVE_VECTOR.match(s.name)}
    return sympy.latex(expr, symbol_names=names)


def asymptotic_latex(text):
    r"""The LaTeX of an asymptotic expansion written in sympy syntax (``n*L_n + log(n)/2 + O_p(1)``), else None.

    This is how a free energy F_n or a generalisation error E[G_n] printed
    as text is typeset: ``log(n)`` as :math:`\log n`, ``O_p(1)`` as :math:`O_p(1)`.

    Examples
    --------
    >>> from singularities import tables
    >>> tables.asymptotic_latex("n*L_n + log(n)/2 - log(log(n)) + O_p(1)")
    'n L_n + \\frac{\\log n}{2} - \\log\\log n + O_p\\left(1\\right)'
    >>> tables.asymptotic_latex("proven") is None
    True
    """
    if not _ASYMPTOTIC.search(text):
        return None
    formula = _asymptotic(text)
    return None if formula is None else _formula_latex(formula)


_NAMED = ("parameters", "values")  # dicts keyed by the user's names: never read as results or fields

_WAVE_VECTOR = re.compile(r"^[A-Za-z][xyz]$")
_SYMBOL_TOKEN = re.compile(
    r"E\[G_n\]"  # the generalisation error
    r"|\b(?:[A-Za-z]|" + "|".join(GREEK) + r")_(?:\{[^}]*\}|[A-Za-z0-9]+|[+-])"  # a subscript: F_n, C_+, lambda_C
    r"|\b(?:" + "|".join(GREEK) + r")\b"  # a Greek letter by name
    r"|(?<=\()[A-Za-z](?=\))"  # a letter in brackets: (m)
)
_BALL = re.compile(r"\[\s*([-+]?[\d.]+(?:[eE][-+]?\d+)?)\s*\+/-\s*[\d.]+(?:[eE][-+]?\d+)?\s*\]")
_DECIMAL = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")
_ASYMPTOTIC = re.compile(r"\bO_p\(|\bo\(")


def _plain(cell):
    if cell is None:
        return "-"
    if isinstance(cell, sympy.Basic):
        return sympy.sstr(cell)
    return str(cell)


def _tex(cell):
    if cell is None:
        return "-"
    if isinstance(cell, str) and getattr(cell, "latex", None):
        return cell.latex
    if isinstance(cell, sympy.Basic):
        return latex_expr(cell)
    if isinstance(cell, int) and not isinstance(cell, bool):
        return str(cell)
    return _text_latex(str(cell))


def _text_latex(string):
    """A text cell in LaTeX math mode: words in ``\\text{}``, its symbols and formulas typeset."""
    formula = asymptotic_latex(string)
    if formula is not None:
        return formula
    parts = []
    for is_symbol, piece in _split_symbols(string):
        parts.append(_symbol_latex(piece) if is_symbol else r"\text{" + _escape(piece) + "}")
    return "".join(parts)


def _html_cell(cell):
    if cell is None:
        return "-"
    if isinstance(cell, str) and getattr(cell, "latex", None):
        return _latex_label_html(cell.latex) or _text_html(cell)
    if isinstance(cell, sympy.Basic):
        return _HtmlPrinter().doprint(cell)
    if isinstance(cell, str):
        return _text_html(cell)
    return _html.escape(str(cell))


def _text_html(string):
    if _ASYMPTOTIC.search(string):
        formula = _asymptotic(string)
        if formula is not None:
            return " ".join(_term_html(sign, term) for sign, term in formula).lstrip("+ ")
    return "".join(_symbol_html(p) if s else _html.escape(p) for s, p in _split_symbols(string))


def _split_symbols(string):
    """``[(is_symbol, piece), ...]`` covering ``string``: the symbol tokens and the text between them."""
    pieces, start = [], 0
    for match in _SYMBOL_TOKEN.finditer(string):
        if match.start() > start:
            pieces.append((False, string[start : match.start()]))
        pieces.append((True, match.group()))
        start = match.end()
    if start < len(string):
        pieces.append((False, string[start:]))
    return pieces


def _symbol_latex(token):
    if token in GREEK:
        return GREEK[token][1]
    if token == "E[G_n]":
        return r"\mathbb{E}[G_n]"
    base, _, index = token.partition("_")
    base = GREEK[base][1] if base in GREEK else base
    return base + ("_{" + index.strip("{}") + "}" if index else "")


def _symbol_html(token):
    if token in GREEK:
        return GREEK[token][0]
    if token == "E[G_n]":
        return "E[G<sub>n</sub>]"
    base, _, index = token.partition("_")
    index = index.strip("{}").replace("-", "−")
    base = GREEK[base][0] if base in GREEK else f"<i>{_html.escape(base)}</i>"
    return base + (f"<sub>{_html.escape(index)}</sub>" if index else "")


def _latex_label_html(label):
    """The HTML of a type label's LaTeX (``D_4^-``, ``J_{10}^{(1)}``): sub- and superscripts; None if not a label."""
    match = re.fullmatch(r"([A-Za-z]+)(?:_(\{[^}]*\}|\w))?(?:\^(\{.*\}|[^{}]))?", label)
    if match is None:
        return None
    base, sub, sup = (g.strip("{}") if g else g for g in match.groups())
    text = _html.escape(base)
    text += f"<sub>{_html.escape(sub)}</sub>" if sub else ""
    return text + (f"<sup>{_html.escape(sup.replace('-', '−'))}</sup>" if sup else "")


def _asymptotic(string):
    """An expansion such as ``n*L_n + log(n)/2 - log(log(n)) + O_p(1)`` as ``[(sign, term), ...]``, or None."""
    text = string.strip()
    first, text = ("-", text[1:].lstrip()) if text.startswith("-") else ("+", text)
    pieces = re.split(r"\s+([+-])\s+", text)
    pairs = zip([first, *pieces[1::2]], pieces[0::2])
    parsed = []
    for sign, term in pairs:
        order = re.fullmatch(r"(O_p|o)\((.*)\)", term)
        try:
            value = parse_exact(order.group(2) if order else term)
        except InputError:
            return None
        parsed.append((sign, (order.group(1), value) if order else value))
    return parsed


def _formula_latex(formula):
    parts = []
    for sign, term in formula:
        if isinstance(term, tuple):
            body = ("O_p" if term[0] == "O_p" else "o") + r"\left(" + sympy.latex(term[1]) + r"\right)"
        else:
            body = _log_latex(term)
        parts.append(f" {sign} {body}")
    return "".join(parts).strip().removeprefix("+ ")


def _log_latex(term):
    """A term in n, L_n, log(n) and log(log(n)) in LaTeX, the logarithms written \\log n and \\log\\log n."""
    term, names = _log_symbols(term)
    return sympy.latex(term, symbol_names={s: latex for s, (latex, _) in names.items()})


def _log_symbols(term):
    """``term`` with log(log(n)), log(n) and L_n as symbols that sort after n, and ``{symbol: (LaTeX, HTML)}``."""
    n = sympy.Symbol("n")
    loglog, log, loss = sympy.Symbol("zz_loglog"), sympy.Symbol("zz_log"), sympy.Symbol("zz_L")
    term = term.subs(sympy.log(sympy.log(n)), loglog).subs(sympy.log(n), log).subs(sympy.Symbol("L_n"), loss)
    return term, {
        loglog: (r"\log\log n", "log log <i>n</i>"),
        log: (r"\log n", "log <i>n</i>"),
        loss: ("L_n", "<i>L</i><sub>n</sub>"),
    }


def _term_html(sign, term):
    sign = {"-": "−", "+": "+"}[sign]
    if isinstance(term, tuple):
        name = "<i>O</i><sub>p</sub>" if term[0] == "O_p" else "<i>o</i>"
        return f"{sign} {name}({_HtmlPrinter().doprint(term[1])})"
    term, names = _log_symbols(term)
    printer = _HtmlPrinter()
    printer.names = {s.name: html for s, (_, html) in names.items()}
    return f"{sign} {printer.doprint(term)}"


class _HtmlPrinter(StrPrinter):
    """sympy's str printer with HTML: x<sup>2</sup>, √2, π, ∞, Γ, subscripted names, · for products."""

    _FUNCTIONS = {"gamma": "Γ", "log": "log", "exp": "exp"}
    names = {}  # symbol name -> HTML, for names printed otherwise

    def _print_Symbol(self, expr):
        name = expr.name
        if name in self.names:
            return self.names[name]
        if name in GREEK:
            return GREEK[name][0]
        base, _, index = name.partition("_")
        if not index and _WAVE_VECTOR.match(name):
            base, index = name[0], name[1]
        base = GREEK[base][0] if base in GREEK else _html.escape(base)
        return base + (f"<sub>{_html.escape(index)}</sub>" if index else "")

    def _print_Relational(self, expr):
        operator = {"==": "=", "<=": "≤", ">=": "≥", "!=": "≠"}.get(expr.rel_op, expr.rel_op)
        return f"{self._print(expr.lhs)} {_html.escape(operator)} {self._print(expr.rhs)}"

    def _print_Pow(self, expr, rational=False):
        base, exponent = expr.args
        if exponent is sympy.S.Half:
            return "√" + self.parenthesize(base, PRECEDENCE["Pow"])
        if exponent.is_Rational and exponent.is_negative:
            return (
                "1/" + self.parenthesize(base**-exponent, PRECEDENCE["Mul"])
                if exponent != -1
                else "1/" + self.parenthesize(base, PRECEDENCE["Pow"])
            )
        return self.parenthesize(base, PRECEDENCE["Pow"]) + "<sup>" + self._print(exponent) + "</sup>"

    def _print_Mul(self, expr):
        return super()._print_Mul(expr).replace("*", "\N{MIDDLE DOT}")

    def _print_Function(self, expr):
        name = self._FUNCTIONS.get(expr.func.__name__, _html.escape(expr.func.__name__))
        return name + "(" + ", ".join(self._print(a) for a in expr.args) + ")"

    def _print_Pi(self, expr):
        return "π"

    def _print_Infinity(self, expr):
        return "∞"

    def _print_NegativeInfinity(self, expr):
        return "−∞"

    def _print_ImaginaryUnit(self, expr):
        return "<i>i</i>"


def _escape(string):
    for char, replacement in (("\\", r"\backslash "), ("_", r"\_"), ("&", r"\&"), ("%", r"\%"), ("#", r"\#")):
        string = string.replace(char, replacement)
    return string


def _with_float_columns(header, rows, frame=False):
    """``(header, rows)`` with a ``<name>_float`` column after each column that needs one.

    In CSV a column needs one when it holds exact non-integer numbers
    (``2/3``, ``pi``); in a DataFrame when it holds numbers and is not
    already a column of integers or of floats (a "value" column of text and numbers).
    """
    rows = [tuple(row) for row in rows]
    new_header, columns = [], []
    for index, name in enumerate(header):
        values = [row[index] for row in rows]
        new_header.append(name)
        columns.append(values)
        if _frame_needs_floats(values) if frame else any(_needs_float(v) for v in values):
            new_header.append(f"{name}{FLOAT_SUFFIX}")
            columns.append([_float(_number(v)) for v in values])
    return tuple(new_header), [tuple(column[i] for column in columns) for i in range(len(rows))]


def _frame_column(pandas, values):
    """A pandas array: Int64 for integers, float64 for floats (NaN where missing), else strings in sympy syntax."""
    given = [v for v in values if v is not None]
    if given and all(_is_integer(v) for v in given):
        return pandas.array([None if v is None else int(v) for v in values], dtype="Int64")
    if given and all(isinstance(v, float) for v in given):
        return pandas.array([math.nan if v is None else v for v in values], dtype="float64")
    return pandas.array([None if v is None else _plain(v) for v in values], dtype="object")


def _needs_float(cell):
    """Whether a cell is a real number that a CSV reader cannot read as a number (``2/3``, ``pi``, ``oo``)."""
    number = _number(cell)
    if number is None or isinstance(cell, (int, float)) or isinstance(number, (sympy.Integer, sympy.Float)):
        return False
    return not (isinstance(cell, str) and _DECIMAL.fullmatch(cell.strip()))


def _frame_needs_floats(values):
    given = [v for v in values if v is not None]
    typed = all(_is_integer(v) for v in given) or all(isinstance(v, float) for v in given)
    return bool(given) and not typed and any(_number(v) is not None for v in given)


def _number(cell):
    """The real sympy number a cell holds (exact or not), or None (text, expressions in variables, complex)."""
    if cell is None or isinstance(cell, bool):
        return None
    if isinstance(cell, (int, float)):
        return sympy.sympify(cell)
    if isinstance(cell, str):
        if getattr(cell, "latex", None) or not re.search(r"\d|pi|oo", cell):
            return None
        ball = _BALL.fullmatch(cell.strip())
        if ball:  # an arb ball "[mid +/- rad]" (a certified value): its midpoint
            return sympy.Float(ball.group(1), 20)
        try:
            cell = parse_exact(cell)
        except InputError:
            return None
    if isinstance(cell, sympy.Basic) and cell.is_number and cell.is_extended_real:
        return cell
    return None


def _is_integer(cell):
    if isinstance(cell, bool):
        return False
    return isinstance(cell, (int, sympy.Integer))


def _float(number):
    """The float of a real sympy number (None for None; ``inf`` for ``oo``)."""
    if number is None:
        return None
    if not number.is_finite:
        return math.inf if number.is_extended_positive else -math.inf
    try:
        return float(sympy.N(number, 17))
    except (TypeError, ValueError, OverflowError):  # no numeric value sympy can give (e.g. an unevaluated bound)
        return None


def _without_shared(child, parent):
    """A nested result without the fields equal to its parent's, named under "same_as_parent"."""
    if not (isinstance(child, dict) and "kind" in child):
        return child
    shared = [k for k, v in child.items() if k not in ("kind", SHARED) and k in parent and parent[k] == v]
    if not shared:
        return child
    kept = {k: v for k, v in child.items() if k not in shared}
    return {"kind": kept.pop("kind"), SHARED: shared, **kept}


def _with_shared(child, parent):
    """A nested result with its "same_as_parent" fields copied back from its parent (resolved there first)."""
    if not (isinstance(child, dict) and SHARED in child):
        return child
    restored = {k: v for k, v in child.items() if k != SHARED}
    shared = child[SHARED]
    if not isinstance(shared, list) or not all(isinstance(key, str) for key in shared):
        raise InputError(
            f'"{SHARED}" must be a list of field names, not {shared!r}; pass the JSON as the package wrote it'
        )
    for key in shared:
        if not isinstance(parent, dict) or key not in parent:
            raise InputError(
                f"a nested {child.get('kind')!r} shares {key!r} with a parent that has none; "
                "pass the JSON as the package wrote it"
            )
        restored[key] = _with_shared(parent[key], parent)
    return restored


def _result_dict(value):
    return isinstance(value, dict) and "kind" in value


def _floats(value):
    return isinstance(value, list) and bool(value) and all(isinstance(v, float) or _floats(v) for v in value)


def _json_float(value):
    """The float of a JSON value: a number string, an int, or a list of them (None where not a finite real)."""
    if isinstance(value, list):
        return [_json_float(item) for item in value]
    if isinstance(value, dict):
        return {key: _json_float(item) for key, item in value.items()}
    number = _number(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else None
    if number is None or not number.is_finite:
        return None
    result = _float(number)
    return result if result is not None and math.isfinite(result) else None  # JSON has no Infinity
