"""The catalogue of implemented singularity types, every invariant computed by the engine from the normal forms.

Each row starts from one entry of :mod:`singularities.local.normal_forms` (the
table of Arnold's normal forms, data only) and runs the engine on that
function: :func:`~singularities.local.classify.classify` gives the type, mu,
modality and weights, :func:`~singularities.physics.dos.dos_asymptotics` the DOS
exponent, log power, C_+, C_- and their ratio, and theorem Q
(:func:`~singularities.thresholds.rlct.principal_part_rlct`) lambda and m.  No invariant
is typed in here; tests/test_catalogue_table.py holds the result against the
hand-derived truths of tests/catalogue.py.

The normal forms are stabilised to ``dimension`` variables by adding
``+ y**2`` (and ``+ z**2`` ...) so that A_k reads as a 2D dispersion
(x^(k+1) + y^2); a form with more variables (P8) keeps its own.  A modulus
``a`` (X9, J10, P8) takes the first of :data:`MODULUS_CANDIDATES` that the
real form admits.  The column vocabulary shared with
:mod:`singularities.reports.paper_tables` is defined here (:data:`COLUMNS`).
"""

import re
from dataclasses import dataclass, field

import sympy

from .._exact import exact_string
from .._limits import Deadline, guard
from .._result import Result, parse_field, register
from .._version import __version__
from ..errors import InputError
from ..local.classify import Classification, classify
from ..local.normal_forms import (
    MODULUS,
    SECOND_MODULUS,
    NormalForm,
    bimodal_normal_forms,
    bimodal_series_normal_forms,
    corank_three_bimodal_normal_forms,
    normal_form,
    normal_forms,
    parse_label,
    unimodal_normal_forms,
    y_normal_forms,
)
from ..physics.dos import DOSAsymptotic, dos_asymptotics

__all__ = [
    "Catalogue",
    "CatalogueEntry",
    "catalogue",
    "COLUMNS",
    "CATALOGUE_COLUMNS",
    "SLT_COLUMNS",
    "MODULUS_CANDIDATES",
    "FAMILIES",
    "ALL_FAMILIES",
    "parse_columns",
    "label_latex",
    "LatexCell",
    "json_value",
    "INTEGER_COLUMNS",
    "display_rows",
    "LATEX_HEADERS",
    "EXACT_LENGTH",
    "DIGITS",
]

COLUMNS = (
    "point",
    "value",
    "type",
    "normal form",
    "mu",
    "modality",
    "weights",
    "lambda",
    "m",
    "status",
    "theorem",
    "F_n",
    "DOS exponent",
    "log power",
    "L",
    "C_+",
    "C_-",
    "ratio",
    "numeric check",
)
"""Every column a table can have (``--columns`` picks from these).

"L" is the coefficient of the logarithm, (E - c)^(d-1) log|E - c|, shown
when the log power is 1 (docs/conventions.md#density-of-states).  The SLT
columns (:data:`SLT_COLUMNS`) say how lambda and m are known: the status of
the RLCT, the theorem that proved it, and the free energy F_n it implies.
"""

SLT_COLUMNS = ("status", "theorem", "F_n")
"""The columns of a table whose rows are RLCTs: status, theorem and the free energy F_n (docs/slt.md)."""

CATALOGUE_COLUMNS = tuple(c for c in COLUMNS if c not in ("point", "value", "numeric check") + SLT_COLUMNS)
"""The columns of :func:`catalogue` (the point is the origin and the value 0 in every row)."""

FAMILIES = "ADEXJP"
"""The families of the default table (the simple types, X9, J10, P8), in table order."""

ALL_FAMILIES = "ADEXJYZWPQSURT"
"""Every implemented family, in table order (Y, Z, W, Q, S, U, R, T and E12-14, X_{9+k}, J_{10+k}, P_{8+k}
with ``max_mu``)."""

MODULUS_CANDIDATES = (0, -3, 1, 3)
"""Values tried, in order, for the modulus ``a`` of a unimodal normal form."""

LATEX_HEADERS = {
    "mu": r"$\mu$",
    "lambda": r"$\lambda$",
    "m": "$m$",
    "C_+": "$C_+$",
    "C_-": "$C_-$",
    "ratio": "$C_+/C_-$",
    "L": "$L$",
    "F_n": "$F_n$",
}
"""LaTeX headers that differ from the plain column names."""

INTEGER_COLUMNS = ("mu", "modality", "m", "log power")
"""Columns of counts: ints in JSON (every other number is an exact string)."""

EXACT_LENGTH = 40
"""A column with a closed form longer than this (in sympy syntax) is shown with :data:`DIGITS` digits."""

DIGITS = 10
"""Significant digits of the numbers in a column that is not shown exactly (JSON keeps every value exact)."""

_ANALYSED = {}  # (NormalForm, dimension) -> CatalogueEntry: the inputs are fixed table data, so once per process

_ALIASES = {
    "milnornumber": "mu",
    "threshold": "lambda",
    "rlct": "lambda",
    "multiplicity": "m",
    "exponent": "DOS exponent",
    "dosexponent": "DOS exponent",
    "logpower": "log power",
    "cplus": "C_+",
    "c+": "C_+",
    "cminus": "C_-",
    "c-": "C_-",
    "prefactorratio": "ratio",
    "check": "numeric check",
    "numeric": "numeric check",
    "verify": "numeric check",
    "normalform": "normal form",
    "criticalvalue": "value",
    "label": "type",
    "logcoefficient": "L",
    "freeenergy": "F_n",
    "rlctstatus": "status",
}


@register("catalogue_entry")
@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    """One real normal form and what the engine computed for it.

    Attributes
    ----------
    form : NormalForm
        The table entry the row starts from (its label names the row).
    expression : sympy.Expr
        The function analysed: the normal form with the modulus value, plus
        the stabilising Morse squares.
    modulus : sympy.Rational or None
        The value given to the modulus ``a`` (None without one).
    classification : Classification
        The engine's classification of ``expression`` at the origin.
    dos : DOSAsymptotic
        The engine's DOS asymptotics there; ``dos.rlct`` is lambda and m (theorem Q).
    """

    form: NormalForm
    expression: sympy.Expr
    modulus: sympy.Expr
    classification: Classification = field(repr=False)
    dos: DOSAsymptotic = field(repr=False)

    @property
    def label(self):
        """The row's label, e.g. "D4-" (from the normal-form table)."""
        return self.form.label

    @property
    def agrees(self):
        """Whether the engine classified ``expression`` as the form it came from (A1: the type only)."""
        found = self.classification.label
        return found == self.form.type if self.form.type == "A1" else found == self.form.label

    def values(self):
        """``{column: exact value}`` for :data:`CATALOGUE_COLUMNS` (None where the engine has no value)."""
        c, a = self.classification, self.dos
        rlct = a.rlct
        return {
            "point": sympy.Tuple(*c.point),
            "value": c.value,
            "type": self.label,
            "normal form": self.expression,
            "mu": c.milnor_number,
            "modality": c.modality,
            "weights": None if c.weights is None else sympy.Tuple(*c.weights),
            "lambda": None if rlct is None else rlct.threshold,
            "m": None if rlct is None else rlct.multiplicity,
            "DOS exponent": a.exponent,
            "log power": a.log_power,
            "L": a.log_coefficient if a.log_power else None,
            "C_+": a.c_plus,
            "C_-": a.c_minus,
            "ratio": a.ratio,
        }

    def to_dict(self):
        """JSON-safe: exact values as strings in sympy syntax."""
        data = {
            "kind": "catalogue_entry",
            **{key.replace(" ", "_"): json_value(value, key) for key, value in self.values().items()},
        }
        data.update(
            {
                "label": self.label,
                "classified_as": self.classification.label,
                "agrees": self.agrees,
                "modulus": None if self.modulus is None else exact_string(self.modulus),
                "exact_prefactors": self.dos.exact,
                "reason": self.dos.reason,
                "classification": self.classification.to_dict(),
                "dos": self.dos.to_dict(),
            }
        )
        return data

    @classmethod
    def from_dict(cls, data):
        """Rebuild the row from :meth:`to_dict` output (classification and DOS without their energies)."""
        return cls(
            normal_form(*parse_label(data["label"])),
            parse_field(data["normal_form"]),
            parse_field(data["modulus"]),
            Classification.from_dict(data["classification"]),
            DOSAsymptotic.from_dict(data["dos"]),
        )


@register("catalogue")
@dataclass(frozen=True, slots=True)
class Catalogue(Result):
    """The engine-generated table of normal forms (see :func:`catalogue`).

    Attributes
    ----------
    entries : tuple of CatalogueEntry
    max_k : int
        The largest index of the A and D series included.
    real_forms : bool
        Whether every real form has a row (else the first of each type).
    dimension : int
        The number of variables the forms were stabilised to.
    columns : tuple of str
        The columns shown (from :data:`CATALOGUE_COLUMNS`).
    families : str
        The family letters included.
    max_mu : int or None
        The largest Milnor number of the unimodal types beyond X9, J10, P8
        (None: those types are not listed).
    """

    entries: tuple
    max_k: int
    real_forms: bool
    dimension: int
    columns: tuple = CATALOGUE_COLUMNS
    families: str = FAMILIES
    max_mu: int = None

    @property
    def footer(self):
        """The reproducibility footer: ``((key, text), ...)``."""
        moduli = ", ".join(f"{e.label}: a = {exact_string(e.modulus)}" for e in self.entries if e.modulus is not None)
        disagreements = [f"{e.label} (engine: {e.classification.label})" for e in self.entries if not e.agrees]
        rows = [
            ("generated by", f"singularities {__version__} (sympy {sympy.__version__})"),
            ("command", _command(self)),
            (
                "computed",
                "type, mu, modality, weights by classify(); DOS exponent, log power, C_+, C_-, ratio by "
                "dos_asymptotics(); lambda, m by theorem Q on the principal part",
            ),
            (
                "forms",
                f"Arnold's real normal forms stabilised to {self.dimension} variables with + squares"
                + (f"; moduli {moduli}" if moduli else ""),
            ),
            ("conventions", "docs/conventions.md; DOS per unit k-volume (Lebesgue measure)"),
        ]
        if disagreements:
            rows.append(("engine disagrees", ", ".join(disagreements)))
        return tuple(rows)

    def to_rows(self):
        rows = []
        for entry in self.entries:
            values = entry.values()
            values["type"] = LatexCell(entry.label, entry.form.latex)
            rows.append(tuple(values[c] for c in self.columns))
        return self.columns, display_rows(rows)

    def to_dict(self):
        return {
            "kind": "catalogue",
            "max_k": self.max_k,
            "real_forms": self.real_forms,
            "dimension": self.dimension,
            "families": self.families,
            "columns": list(self.columns),
            "max_mu": self.max_mu,
            "entries": [e.to_dict() for e in self.entries],
            "footer": dict(self.footer),
        }

    @classmethod
    def from_dict(cls, data):
        """Rebuild the table from :meth:`to_dict` output (the footer is recomputed)."""
        return cls(
            tuple(CatalogueEntry.from_dict(e) for e in data["entries"]),
            data["max_k"],
            data["real_forms"],
            data["dimension"],
            tuple(data["columns"]),
            data["families"],
            data.get("max_mu"),
        )


def catalogue(max_k=8, *, real_forms=False, dimension=2, families=None, columns=None, timeout=None, max_mu=None):
    """Every implemented type (A_k and D_k up to ``max_k``, E6-E8, X9, J10, P8, and with ``max_mu`` the
    unimodal types beyond them) with its invariants, computed by the engine.

    Parameters
    ----------
    max_k : int
        The largest k of A_k and D_k (E_k are included when k <= max_k; X9,
        J10 and P8 always).
    real_forms : bool
        One row per real form (A3+, A3-, D4+, D4-, X9(4), ...) instead of
        the first real form of each type.  The labels name the real form
        of the corank part (A1- is -x^2, so -x**2 + y**2 in two variables).
    dimension : int
        Add Morse squares ``+ y**2, ...`` up to this many variables (default 2).
    families : str, optional
        Only these family letters, e.g. "ADE" for the simple types (default:
        ADEXJP, and every letter of :data:`ALL_FAMILIES` with ``max_mu``).
    columns : sequence or str, optional
        Columns from :data:`CATALOGUE_COLUMNS` (see :func:`parse_columns`).
    timeout : float, optional
        Time limit in seconds for the whole table.
    max_mu : int, optional
        Also list the unimodal types beyond X9, J10 and P8 with Milnor
        number at most ``max_mu``: E12-14, Z11-13, W12-13, Q10-12, S11-12,
        U12 and the T series X_{9+k}, J_{10+k}, P_{8+k}
        (:func:`~singularities.local.normal_forms.unimodal_normal_forms`).
        The T series have no quasi-homogeneous principal part, so their DOS
        and RLCT columns are empty; the corank-3 types have no prefactors yet.

    Returns
    -------
    Catalogue

    Examples
    --------
    >>> from singularities.reports.catalogue import catalogue
    >>> table = catalogue(5, real_forms=True, families="AD", columns="type,normal form,mu,lambda,m,DOS exponent,ratio")
    >>> print(table)
    type  normal form    mu  lambda  m  DOS exponent  ratio
    ----  -------------  --  ------  -  ------------  ------------
    A1+   x**2 + y**2    1   1       1  0             oo
    A1-   -x**2 + y**2   1   1       2  0             -
    A2    x**3 + y**2    2   5/6     1  -1/6          1.732050808
    A3+   x**4 + y**2    3   3/4     1  -1/4          oo
    A3-   -x**4 + y**2   3   3/4     1  -1/4          1.414213562
    A4    x**5 + y**2    4   7/10    1  -3/10         3.077683537
    A5+   x**6 + y**2    5   2/3     1  -1/3          oo
    A5-   -x**6 + y**2   5   2/3     1  -1/3          2
    D4+   x**2*y + y**3  4   2/3     1  -1/3          1
    D4-   x**2*y - y**3  4   2/3     1  -1/3          1
    D5+   x**2*y + y**4  5   5/8     1  -3/8          1.306562965
    D5-   x**2*y - y**4  5   5/8     1  -3/8          0.7653668647

    The ratio column holds a closed form too long for a table cell (A4:
    C_+/C_- = 2*sqrt(sqrt(5) + 5)/(-sqrt(2) + sqrt(10))), so it is shown
    with 10 digits throughout; ``to_dict()`` keeps every value exact.
    """
    if not isinstance(max_k, int) or max_k < 1:
        raise InputError(f"max_k must be a positive integer, got {max_k!r}")
    if not isinstance(dimension, int) or dimension < 1:
        raise InputError(f"dimension must be a positive integer, got {dimension!r}")
    if max_mu is not None and (not isinstance(max_mu, int) or isinstance(max_mu, bool) or max_mu < 1):
        raise InputError(f"max_mu must be a positive integer, got {max_mu!r}")
    chosen = parse_columns(columns, allowed=CATALOGUE_COLUMNS) if columns is not None else CATALOGUE_COLUMNS
    letters = _families(families, max_mu)
    deadline = Deadline.coerce(timeout)
    with guard(deadline, "the catalogue"):  # building the forms of a large max_k is itself long work
        forms = _forms(max_k, real_forms, max_mu)
        entries = tuple(_entry(form, dimension, deadline) for form in forms if form.family[0] in letters)
    return Catalogue(entries, max_k, bool(real_forms), dimension, chosen, letters, max_mu)


def parse_columns(columns, allowed=COLUMNS):
    """Canonical column names from a comma-separated string or a sequence; case, spaces and ``_`` do not matter.

    Aliases: "milnor number" for mu, "threshold" for lambda, "multiplicity"
    for m, "c_plus"/"C+" for C_+, "check" for "numeric check", ...

    Raises
    ------
    InputError
        For an unknown column, naming the allowed ones (a ValueError).

    Examples
    --------
    >>> from singularities.reports.catalogue import parse_columns
    >>> parse_columns("Type, threshold, multiplicity, c_plus, dos_exponent")
    ('type', 'lambda', 'm', 'C_+', 'DOS exponent')
    """
    names = [c.strip() for c in columns.split(",")] if isinstance(columns, str) else list(columns)
    keys = {_key(c): c for c in allowed}
    chosen = []
    for name in names:
        key = _key(name)
        canonical = keys.get(key) or (_ALIASES.get(key) if _ALIASES.get(key) in allowed else None)
        if canonical is None:
            raise InputError(f"unknown column {name!r}; choose from {', '.join(allowed)}")
        chosen.append(canonical)
    if not chosen:
        raise InputError(f"no columns given; choose from {', '.join(allowed)}")
    return tuple(chosen)


def label_latex(label):
    r"""The LaTeX form of a type label: "D4-" -> ``D_4^-``, "X9(0+)" -> ``X_9^{(0+)}``, "J10" -> ``J_{10}``.

    None for labels that are not types ("not classified", "?").

    Examples
    --------
    >>> from singularities.reports.catalogue import label_latex
    >>> label_latex("D4-"), label_latex("A1"), label_latex("X9(0+)")
    ('D_4^-', 'A_1', 'X_9^{(0+)}')
    """
    try:
        family, index, real_form = parse_label(label)
    except ValueError:
        return None
    if isinstance(index, tuple):  # Y[r,s] and the bimodal series J[3,p], Z[1,p], W[1,p], W#[1,q]
        index_text = "{" + ",".join(map(str, index)) + "}"
    else:
        index_text = str(index) if index < 10 else "{" + str(index) + "}"
    family = "{" + family.replace("#", "^{\\#}") + "}" if "#" in family else family  # S#: '#' is special in TeX
    if real_form is None:
        return f"{family}_{index_text}"
    return f"{family}_{index_text}^" + (real_form if real_form in ("+", "-") else "{(" + real_form + ")}")


def display_rows(rows):
    """Table cells from rows of exact values, one rule per column.

    A column whose numbers are all rational, or short closed forms (at most
    :data:`EXACT_LENGTH` characters in sympy syntax), is shown exactly;
    otherwise its irrational numbers are shown with :data:`DIGITS`
    significant digits, so that a column never mixes the two styles.
    Expressions in the variables (normal forms), strings and ``oo`` are
    never changed; tuples (points, weights) become :class:`LatexCell`.

    Examples
    --------
    >>> import sympy
    >>> from singularities.reports.catalogue import display_rows
    >>> long = (sympy.sqrt(3 * sympy.pi) * sympy.gamma(sympy.Rational(1, 7))
    ...         / (1 + sympy.sqrt(5)) / sympy.gamma(sympy.Rational(2, 7)))
    >>> display_rows([(sympy.Rational(7, 12), sympy.pi), (1, long), (2, 0)])
    [(7/12, 3.141592654), (1, 1.972614568), (2, 0)]
    """
    rows = [tuple(_tuple_cell(v) if isinstance(v, sympy.Tuple) else v for v in row) for row in rows]
    columns = list(zip(*rows))
    numeric = [any(_needs_digits(v) for v in column) for column in columns]
    return [tuple(_digits(v) if n else v for v, n in zip(row, numeric)) for row in rows]


class LatexCell(str):
    """A table cell (a str) that knows its LaTeX form: the booktabs renderer typesets ``.latex`` in math mode.

    Without ``latex`` the text is read as a type label (:func:`label_latex`).

    Examples
    --------
    >>> from singularities.reports.catalogue import LatexCell
    >>> label = LatexCell("J10(1)")
    >>> label, label.latex
    ('J10(1)', 'J_{10}^{(1)}')
    """

    def __new__(cls, text, latex=None):
        label = super().__new__(cls, text)
        label.latex = latex if latex is not None else label_latex(text)
        return label


def json_value(value, column=None):
    """A JSON-safe cell of one type per column: counts as ints, every other number as an exact string.

    The columns of :data:`INTEGER_COLUMNS` hold ints; in any other column a
    number is a string in sympy syntax (``"0"``, ``"2/3"``), so that a column
    never mixes JSON types.  None, bools and text stay as they are; tuples
    (points, weights) become lists of strings.

    Examples
    --------
    >>> import sympy
    >>> from singularities.reports.catalogue import json_value
    >>> json_value(sympy.Integer(0), "lambda"), json_value(sympy.Integer(1), "m"), json_value(None, "L")
    ('0', 1, None)
    """
    if value is None or isinstance(value, (bool, str)):
        return value
    if column in INTEGER_COLUMNS and isinstance(value, (int, sympy.Integer)):
        return int(value)
    if isinstance(value, sympy.Tuple):
        return [exact_string(v) for v in value]
    return exact_string(sympy.sympify(value))


def _families(families, max_mu=None):
    if families is None:
        return FAMILIES if max_mu is None else ALL_FAMILIES
    letters = "".join(sorted({str(f).upper() for f in families if str(f).strip(", ")}, key=_family_order))
    if not letters:
        raise InputError(f"families must be letters from {ALL_FAMILIES}, e.g. 'ADE'")
    return letters


def _family_order(letter):
    if letter not in ALL_FAMILIES:
        raise InputError(
            f"unknown family {letter!r}; choose letters from {ALL_FAMILIES} (e.g. 'ADE' for the simple types)"
        )
    return ALL_FAMILIES.index(letter)


def _forms(max_k, real_forms, max_mu):
    """The table's normal forms in family order: every real form, or the first of each type."""
    forms = normal_forms(max_k)
    if max_mu is not None:
        labels = {f.label for f in forms}
        extra = unimodal_normal_forms(max_mu) + y_normal_forms(max_mu) + bimodal_normal_forms(max_mu)
        extra += bimodal_series_normal_forms(max_mu)  # J[3,p], Z[1,p], W[1,p], W#[1,q]: family letter J, Z, W
        extra += corank_three_bimodal_normal_forms(max_mu)  # Q[2,p], S[1,p], S#[1,q], U[1,q], Q16-18, S16-17, U16
        forms += tuple(f for f in extra if f.label not in labels)
        forms = tuple(sorted(forms, key=lambda f: ALL_FAMILIES.index(f.family[0])))  # stable; W# with W, S# with S
    return forms if real_forms else tuple(_first_forms(forms))


def _first_forms(forms):
    seen = set()
    for form in forms:
        if form.type not in seen:
            seen.add(form.type)
            yield form


def _entry(form, dimension, deadline):
    """The engine's analysis of one form, computed once per process (the inputs are fixed table data)."""
    key = (form, dimension)
    if key not in _ANALYSED:
        _ANALYSED[key] = _analyse(form, dimension, deadline)
    return _ANALYSED[key]


def _analyse(form, dimension, deadline):
    modulus = _modulus_value(form)
    expression = form.expression if modulus is None else form.expression.xreplace({MODULUS: modulus})
    expression = expression.xreplace({SECOND_MODULUS: 0})  # the bimodal families: (a + b y) * monomial, b = 0
    expression = expression + sum(s**2 for s in _squares(len(form.variables), dimension))
    variables = form.variables + _squares(len(form.variables), dimension)
    deadline.check(f"catalogue: {form.label}")
    classification = classify(expression, variables=variables, timeout=deadline)
    dos = dos_asymptotics(expression, variables=variables, classification=classification, timeout=deadline)
    return CatalogueEntry(form, expression, modulus, classification, dos)


def _modulus_value(form):
    if form.modulus is None:
        return None
    for value in MODULUS_CANDIDATES:
        if form.admits(value):
            return sympy.Integer(value)
    raise ValueError(f"no value in {MODULUS_CANDIDATES} satisfies {form.label}'s condition {form.condition!r}")


def _squares(n_form, dimension):
    """The stabilising variables y, z, w, v, ... after the form's own x, (y, (z))."""
    names = ("y", "z", "w", "v", "u", "s", "t")
    extra = max(dimension - n_form, 0)
    if n_form + extra > len(names) + 1:
        raise InputError(f"dimension {dimension} is more than this catalogue supports ({len(names) + 1})")
    return tuple(sympy.Symbol(n) for n in names[n_form - 1 : n_form - 1 + extra])


def _command(table):
    parts = ["singularities catalogue", f"--max-k {table.max_k}"]
    if table.real_forms:
        parts.append("--real-forms")
    if table.dimension != 2:
        parts.append(f"--dimension {table.dimension}")
    if table.families != (FAMILIES if table.max_mu is None else ALL_FAMILIES):
        parts.append(f"--families {table.families}")
    if table.max_mu is not None:
        parts.append(f"--max-mu {table.max_mu}")
    if table.columns != CATALOGUE_COLUMNS:
        parts.append('--columns "' + ",".join(table.columns) + '"')
    return " ".join(parts)


def _key(name):
    return re.sub(r"[\s_]+", "", str(name)).lower()


def _tuple_cell(values):
    """(a, b) in sympy syntax and in LaTeX; a 1-tuple is written (a)."""
    return LatexCell("(" + ", ".join(map(sympy.sstr, values)) + ")", "(" + ", ".join(map(sympy.latex, values)) + ")")


def _is_irrational_number(value):
    return (
        isinstance(value, sympy.Expr)
        and value.is_number
        and not value.is_Rational
        and value not in (sympy.oo, -sympy.oo)
    )


def _needs_digits(value):
    return _is_irrational_number(value) and (value.has(sympy.Float) or len(sympy.sstr(value)) > EXACT_LENGTH)


def _digits(value):
    return sympy.Float(sympy.N(value, DIGITS + 5), DIGITS) if _is_irrational_number(value) else value
