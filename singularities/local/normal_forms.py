"""Arnold's normal forms over R: ADE, the unimodal types of corank 2 and P8, with mu, modality, weights, real forms.

The module is data only.

Every entry is exact (sympy), cites its source, and is checked in
tests/test_normal_forms.py against independent computations (weighted
degrees, the Milnor-Orlik formula, the dimension of the Milnor algebra, real
linear factors).  Real forms are taken up to right equivalence over R, so g
and -g may be different forms (A3+ = x^4 is not A3- = -x^4); they are the
classes of the corank part of the function, the Morse squares are left out
(docs/normal_forms.md).
"""

import re
from dataclasses import dataclass, field
from functools import cache, reduce
from operator import mul

import sympy

from .._exact import exact_string, require_exact, to_rational
from .._result import Result, register
from ..errors import InputError

__all__ = [
    "NormalForm",
    "normal_form",
    "real_forms",
    "simple_normal_forms",
    "normal_forms",
    "unimodal_normal_forms",
    "milnor_number_from_weights",
    "parse_label",
    "type_text",
    "y_normal_forms",
    "MODULUS",
    "SECOND_MODULUS",
    "bimodal_normal_forms",
    "bimodal_series_normal_forms",
    "series_sign",
    "corank_three_bimodal_normal_forms",
]

MODULUS = sympy.Symbol("a")
"""The modulus ``a`` of the unimodal families (X9, J10, P8, the exceptional families, the T series)."""

SECOND_MODULUS = sympy.Symbol("b")
"""The second modulus ``b`` of the bimodal exceptional families: principal part + (a + b y) * monomial."""

_X, _Y, _Z = sympy.symbols("x y z")
_AGZV = "Arnold, Gusein-Zade, Varchenko, Singularities of Differentiable Maps I (Birkhauser 1985)"
_SIMPLE = f"{_AGZV}, sections 15-17 (real forms: section 17); Arnold, Funct. Anal. Appl. 6 (1972) 254-272"
_UNIMODAL = f"{_AGZV}, sections 15-17; Arnold, Russian Math. Surveys 29:2 (1974) 10-50"
_J10_REAL = (
    f"{_UNIMODAL}; real forms x^3 + a x^2 y^2 +- x y^4 as in Boehm, Marais, Steenpass, "
    "The classification of real singularities using Singular III (arXiv:1512.09028)"
)
_EXCEPTIONAL = (
    f"{_AGZV}, section 16.2 (the 14 exceptional families; corank 2: E12-14, Z11-13, W12-13); real forms "
    "as in Boehm, Marais, Steenpass, The classification of real singularities using Singular III "
    "(arXiv:1512.09028) and realclassify.lib"
)
_SERIES = (
    f"{_AGZV}, sections 15.1 and 16.2 (T(2,3,6+k) = J(10+k), T(2,4,4+k) = X(9+k)); real forms by the signs "
    "of the Newton-polygon coefficients as in realclassify.lib (Boehm, Marais, Steenpass, arXiv:1512.09028)"
)
_BIMODAL = (
    f"{_AGZV}, section 16.2 (the 8 exceptional bimodal families of corank 2: E18-20, Z17-19, W17-18); real "
    "forms by the sign of an even power, as for the unimodal exceptional families"
)
_LABEL = re.compile(r"^\s*([A-Za-z])(\d+)\s*(?:([+-])|\(([^()]*)\))?\s*$")
_PAIR_LABEL = re.compile(
    r"^\s*(Y|J|Z|W#|W)\s*\[\s*(\d+)\s*,\s*(\d+)\s*\]\s*(?:([+-])|\(([^()]*)\))?\s*$", re.IGNORECASE
)
_Y_SERIES = (
    f"{_AGZV}, sections 15.1 and 16.2 (Y(r,s) = T(2,4+r,4+s), mu = 9 + r + s; Y~_r, the real form with "
    "complex-conjugate double lines (x^2 + y^2)^2 + a x^(4+r), mu = 9 + 2r); real forms by the signs of the "
    "Newton-polygon coefficients as in realclassify.lib, caseYrs (Boehm, Marais, Steenpass, arXiv:1512.09028)"
)
_CONDITION = re.compile(r"^(.+?)\s*(<=|>=|!=|<|>)\s*(.+)$")


@register("normal_form")
@dataclass(frozen=True, slots=True)
class NormalForm(Result):
    """One real normal form of Arnold's tables (docs/normal_forms.md).

    Attributes
    ----------
    family : str
        "A", "D", "E", "X", "J", "Z", "W" or "P".
    index : int or tuple
        The Milnor number for every family but A1 and Y (k of A_k, D_k, E_k,
        Z_k, W_k; 9 + k for X_{9+k} = T(2,4,4+k), 10 + k for
        J_{10+k} = T(2,3,6+k); 8 for P8); the pair (r, s), r <= s, for
        Y[r,s] = T(2,4+r,4+s); the pairs (3, p), (1, p), (1, p), (1, q) of
        the bimodal series J[3,p], Z[1,p], W[1,p], W#[1,q] (family "W#").
    real_form : str or None
        "+"/"-" (A_k with k odd, D_k, E6, E14, Z13, W12, W13, Q10-12, S11;
        J_{10+k}: the sign of x^2 y^2), "1+", "1-", "3+", "3-" (U12: real
        lines of the cubic and the sign of z^4), the indices "p,q" (R_(p,q))
        and "p,q,r" (T(p,q,r)), "4", "2", "0+", "0-" (X9: real lines of the
        quartic), "1", "3" (J10: real roots of the weighted cubic), "++",
        "+-", ... (X_{9+k}: the signs of x^4 and x^2 y^2, then of ``a``
        when 4 + k is even; J_{10+k} with k even: the signs of x^2 y^2 and
        ``a``; Y[r,s]: the sign of x^2 y^2, then of x^(4+r) and of ``a``
        when their powers are even; "~+", "~-" for Y~_r); None when the
        type has a single real form.
    expression : sympy.Expr
        The normal form in the corank variables x (A), x, y (D, E, X, J, Z,
        W) or x, y, z (P8); the modulus is the Symbol ``a``.
    milnor_number : int
        mu, the dimension of the Milnor algebra.
    modality : int
        0 for ADE, 1 for the unimodal types.
    weights : tuple of sympy.Rational or None
        w_i with principal(s^w_1 x, s^w_2 y, ...) = s * principal, where
        principal is the expression at a = 0 (the modulus term of an
        exceptional family has weighted degree > 1); None for the T series
        X_{9+k}, J_{10+k}, whose Newton polygon has two edges (no weights).
    corank : int
        The corank n - rank(Hessian) of the germ: the number of variables,
        except for A1 (a Morse point, corank 0, written +-x^2).
    condition : str
        The condition on the modulus ``a`` ("" if none), clauses joined by
        " and "; :meth:`admits` evaluates it.
    source : str
        The citation.
    """

    family: str
    index: int
    real_form: str
    expression: sympy.Expr
    milnor_number: int
    modality: int
    weights: tuple = field(repr=False)
    corank: int = field(repr=False)
    condition: str = field(default="", repr=False)
    source: str = field(default="", repr=False)

    def __post_init__(self):
        require_exact(self.expression, "expression")
        if self.weights is not None:
            require_exact(self.weights, "weights")

    @property
    def is_quasi_homogeneous(self):
        """Whether the form has weights (False for the T series X_{9+k}, J_{10+k})."""
        return self.weights is not None

    @property
    def type(self):
        """The family and index without the real form, e.g. "D4" or "Y[1,2]"."""
        return type_text(self.family, self.index)

    @property
    def label(self):
        """The type with its real form: "A3+", "D4-", "E7", "X9(4)", "J10(1)", "P8"."""
        if self.real_form is None:
            return self.type
        return self.type + (self.real_form if self.real_form in ("+", "-") else f"({self.real_form})")

    @property
    def latex(self):
        """The label in LaTeX: "A_3^+", "E_7", "X_9^{(4)}", "J_{10}^{(1)}"."""
        index = _latex_index(self.index, self.family)
        family = self.family.replace("#", "^{\\#}") if "#" in self.family else self.family
        family = "{" + family + "}" if "#" in self.family else family
        if self.real_form is None:
            return f"{family}_{index}"
        sup = self.real_form if self.real_form in ("+", "-") else "{(" + self.real_form + ")}"
        return f"{family}_{index}^{sup}"

    @property
    def variables(self):
        """The variables of :attr:`expression`, without the modulus: (x,), (x, y) or (x, y, z)."""
        return (_X, _Y, _Z)[: max(self.corank, 1)]

    @property
    def modulus(self):
        """The modulus Symbol ``a`` for the unimodal families, else None."""
        return MODULUS if MODULUS in self.expression.free_symbols else None

    def admits(self, value):
        """Whether the modulus value satisfies :attr:`condition` (always True without a modulus).

        Examples
        --------
        >>> from singularities.local.normal_forms import normal_form
        >>> X9 = normal_form("X9(4)")
        >>> X9.condition, X9.admits(-3), X9.admits(0)
        ('a < -2', True, False)
        """
        if not self.condition:
            return True
        value = to_rational(value) if not isinstance(value, sympy.Basic) else value
        return all(_clause_holds(clause, value) for clause in self.condition.split(" and "))

    def to_rows(self):
        rows = [
            ("type", self.label),
            ("normal form", self.expression),
            ("condition", self.condition or None),
            ("Milnor number (mu)", self.milnor_number),
            ("modality", self.modality),
            ("weights", None if self.weights is None else ", ".join(exact_string(w) for w in self.weights)),
            ("corank", self.corank),
            ("source", self.source),
        ]
        return ("quantity", "value"), [row for row in rows if row[1] is not None]

    def to_dict(self):
        return {
            "kind": "normal_form",
            "type": self.type,
            "label": self.label,
            "family": self.family,
            "index": self.index,
            "real_form": self.real_form,
            "expression": exact_string(self.expression),
            "variables": [str(v) for v in self.variables],
            "condition": self.condition,
            "milnor_number": self.milnor_number,
            "modality": self.modality,
            "weights": None if self.weights is None else [exact_string(w) for w in self.weights],
            "corank": self.corank,
            "source": self.source,
        }

    @classmethod
    def from_dict(cls, data):
        """The table entry named by :meth:`to_dict` output."""
        index = data["index"]
        return normal_form(data["family"], tuple(index) if isinstance(index, list) else index, data["real_form"])


def normal_form(family, index=None, real_form=None):
    """The normal form of one type and real form, e.g. ``normal_form("D", 4, "-")`` or ``normal_form("D4-")``.

    Parameters
    ----------
    family : str
        "A", "D", "E", "X", "J" or "P"; or a whole label such as "D4-" or
        "X9(0+)" when ``index`` is omitted.
    index : int or tuple, optional
        k of A_k, D_k, E_k; 9, 10, 8 for X9, J10, P8; the pair (r, s) of
        Y(r,s) = T(2,4+r,4+s), e.g. ``normal_form("Y", (1, 2), "++")``.
    real_form : str, optional
        Required when the type has more than one real form (see :func:`real_forms`).

    Raises
    ------
    InputError
        For an unknown type or real form, or a missing real form (a ``ValueError``).

    Examples
    --------
    >>> from singularities.local.normal_forms import normal_form
    >>> normal_form("D", 4, "-")
    NormalForm(family='D', index=4, real_form='-', expression=x**2*y - y**3, milnor_number=4, modality=0)
    >>> normal_form("J10(3)").expression
    a*x**2*y**2 + x**3 - x*y**4
    """
    if index is None:
        family, index, label_form = parse_label(family)
        real_form = label_form if real_form is None else real_form
    forms = real_forms(family, index)
    if real_form is None and len(forms) == 1:
        return forms[0]
    for form in forms:
        if form.real_form == real_form:
            return form
    choices = ", ".join(repr(f.real_form) for f in forms)
    if real_form is None:
        raise InputError(f"{family}{index} has the real forms {choices}; pass one of them as real_form")
    raise InputError(f"{family}{index} has no real form {real_form!r}; choose one of {choices}")


def real_forms(family, index=None):
    """All real forms of one type, in table order.

    Examples
    --------
    >>> from singularities.local.normal_forms import real_forms
    >>> [f.label for f in real_forms("X", 9)]
    ['X9(4)', 'X9(2)', 'X9(0+)', 'X9(0-)']
    >>> [f.label for f in real_forms("A4")]
    ['A4']
    """
    if index is None:
        family, index, _ = parse_label(family)
    if isinstance(family, str) and family.upper() == "Y":
        return _forms("Y", _pair(index))
    if isinstance(family, str) and family.upper() in _CORANK3_SERIES and isinstance(index, (tuple, list)):
        return _forms(family.upper(), _corank3_pair(family.upper(), index))
    if isinstance(family, str) and isinstance(index, (tuple, list)):
        return _forms(family.upper(), _series_pair(family.upper(), index))
    if not isinstance(family, str) or isinstance(index, bool) or not isinstance(index, int):
        raise InputError(f"a type is a family letter and an integer index, not {family!r}, {index!r}")
    return _forms(family.upper(), index)


def simple_normal_forms(max_index=8):
    """Every real form of the simple (ADE) types with Milnor number at most ``max_index``.

    Ordered A, D, E, then by index and real form: A1..A_max, D4..D_max, and
    E6, E7, E8 (those with k <= max_index).

    Examples
    --------
    >>> from singularities.local.normal_forms import simple_normal_forms
    >>> [f.label for f in simple_normal_forms(4)]
    ['A1+', 'A1-', 'A2', 'A3+', 'A3-', 'A4', 'D4+', 'D4-']
    """
    types = [("A", k) for k in range(1, max_index + 1)]
    types += [("D", k) for k in range(4, max_index + 1)]
    types += [("E", k) for k in (6, 7, 8) if k <= max_index]
    return tuple(form for family, k in types for form in _forms(family, k))


def normal_forms(max_index=8):
    """:func:`simple_normal_forms` followed by every real form of X9, J10 and P8 (always included).

    Examples
    --------
    >>> from singularities.local.normal_forms import normal_forms
    >>> [f.label for f in normal_forms()][-7:]
    ['X9(4)', 'X9(2)', 'X9(0+)', 'X9(0-)', 'J10(1)', 'J10(3)', 'P8']
    """
    return simple_normal_forms(max_index) + _forms("X", 9) + _forms("J", 10) + _forms("P", 8)


def unimodal_normal_forms(max_index=16):
    """Every real form of the implemented unimodal types with Milnor number at most ``max_index`` (P8 always).

    X9, J10, the exceptional families E12-14, Z11-13, W12-13, the T series
    X_{9+k} = T(2,4,4+k), J_{10+k} = T(2,3,6+k), then the corank-3 types
    P8, P_{8+k} = T(3,3,3+k) (real forms not distinguished), Q10-12, S11-12,
    U12 with their real forms, R_(p,q) = T(3,p,q) and T(p,q,r) (indices in
    the real-form slot), ordered by family and index.

    Examples
    --------
    >>> from singularities.local.normal_forms import unimodal_normal_forms
    >>> [f.label for f in unimodal_normal_forms(12) if f.family in "EZW"]
    ['E12', 'Z11', 'Z12', 'W12+', 'W12-']
    >>> [f.label for f in unimodal_normal_forms(11) if f.family == "J"]
    ['J10(1)', 'J10(3)', 'J11+', 'J11-']
    """
    types = [("X", k) for k in range(9, max_index + 1)] + [("J", k) for k in range(10, max_index + 1)]
    types += [(f, k) for f, k in (("E", 12), ("E", 13), ("E", 14), ("Z", 11), ("Z", 12), ("Z", 13))]
    types += [("W", 12), ("W", 13)] + [("P", k) for k in range(8, max_index + 1)]
    types += [("Q", 10), ("Q", 11), ("Q", 12), ("S", 11), ("S", 12), ("U", 12)]
    types += [("R", k) for k in range(10, max_index + 1)] + [("T", k) for k in range(11, max_index + 1)]
    return tuple(form for family, k in types if k <= max_index or (family, k) == ("P", 8) for form in _forms(family, k))


def bimodal_normal_forms(max_index=20):
    """Every real form of the 8 exceptional bimodal families of corank 2 with Milnor number <= ``max_index``.

    E18, E19, E20, Z17, Z18, Z19, W17, W18 (AGZV I, 16.2): a
    quasi-homogeneous principal part plus (a + b y) times one monomial of
    weighted degree > 1; the signs of an even power are the real forms (E18,
    Z17, W17, W18), as for E14, Z13, W12, W13.

    Examples
    --------
    >>> from singularities.local.normal_forms import bimodal_normal_forms
    >>> [f.label for f in bimodal_normal_forms(18)]
    ['E18+', 'E18-', 'Z17+', 'Z17-', 'Z18', 'W17+', 'W17-', 'W18+', 'W18-']
    >>> bimodal_normal_forms(17)[0].expression
    a*x*y**6 + b*x*y**7 + x**3*y + y**8
    """
    keys = sorted(_BIMODAL_ROWS, key=lambda key: ("EZW".index(key[0]), key[1]))
    return tuple(form for family, k in keys if k <= max_index for form in _forms(family, k))


def bimodal_series_normal_forms(max_index=16):
    """Every real form of the bimodal series of corank 2 with Milnor number <= ``max_index`` (AGZV I, 16.2).

    J[3,0] (mu 16) and J[3,p] (16 + p), Z[1,0] (15) and Z[1,p] (15 + p),
    W[1,0] (15) and W[1,p] (15 + p), W#[1,q] (15 + q), in the pair
    notation of Singular's classify.lib.  The p = 0 members are
    semi-quasihomogeneous with one modulus ``a`` in the principal part and
    ``b`` above it; the others have two Newton edges (no weights) and
    (a + b y) times the vertex monomial.

    Examples
    --------
    >>> from singularities.local.normal_forms import bimodal_series_normal_forms
    >>> [f.label for f in bimodal_series_normal_forms(15)]
    ['Z[1,0](1)', 'Z[1,0](3)', 'W[1,0](++0)', 'W[1,0](++2)', 'W[1,0](--0)', 'W[1,0](--2)', 'W[1,0](+-)', 'W[1,0](-+)']
    >>> normal_form("J[3,0](3)").expression
    a*x**2*y**3 + b*x**2*y**4 + x**3 - x*y**6
    """
    types = [("J", (3, p)) for p in range(max_index - 15)] + [("Z", (1, p)) for p in range(max_index - 14)]
    types += [("W", (1, p)) for p in range(max_index - 14)] + [("W#", (1, q)) for q in range(1, max_index - 14)]
    return tuple(form for family, pair in types for form in _forms(family, pair))


def corank_three_bimodal_normal_forms(max_index=18):
    """Every real form of the bimodal families of corank 3 with Milnor number <= ``max_index`` (AGZV I, 16.2).

    The series Q[2,p] = Q_(2,p) (mu 14 + p), S[1,p] (14 + p), S#[1,q]
    (14 + q, q >= 1) and U[1,q] (14 + q), and the exceptional Q16, Q17,
    Q18, S16, S17, U16, ordered by family (Q, S, S#, U), then Milnor number.
    The moduli are a + b y (Arnold's a0 + a1 y).  Real forms: derived from
    the weight-preserving real diagonal maps (docs/normal_forms.md#corank-3);
    the series members with p, q > 0 have no real forms distinguished.

    Examples
    --------
    >>> from singularities.local.normal_forms import corank_three_bimodal_normal_forms
    >>> [f.label for f in corank_three_bimodal_normal_forms(15)]
    ['Q[2,0](1)', 'Q[2,0](3)', 'Q[2,1]', 'S[1,0]+', 'S[1,0]-', 'S[1,1]', 'S#[1,1]', 'U[1,0](1)', 'U[1,0](3)', 'U[1,1]']
    >>> normal_form("Q16+").expression
    a*x*y**5 + b*x*y**6 + x**3 + y**7 + y*z**2
    """
    types = []
    for family, first in _CORANK3_SERIES.items():
        lowest = 1 if family == "S#" else 0
        types += [(family, (first, p)) for p in range(lowest, max_index - 13)]
        types += [(f, k) for f, k in _CORANK3_BIMODAL_ROWS if f == family and k <= max_index]
    return tuple(form for family, index in types for form in _forms(family, index))


def y_normal_forms(max_index=16):
    """Every real form of Y(r,s) = T(2,4+r,4+s), 1 <= r <= s, with Milnor number 9 + r + s <= ``max_index``.

    Ordered by Milnor number, then r.  Y(r,r) includes the real forms
    Y~_r ("~+", "~-"): +-(x^2 + y^2)^2 + a x^(4+r), whose double lines are
    complex conjugate (over C the same type as Y(r,r)).

    Examples
    --------
    >>> from singularities.local.normal_forms import y_normal_forms
    >>> [f.label for f in y_normal_forms(11)]
    ['Y[1,1]+', 'Y[1,1]-', 'Y[1,1](~+)', 'Y[1,1](~-)']
    >>> y_normal_forms(12)[-1].milnor_number
    12
    """
    pairs = [(r, mu - 9 - r) for mu in range(11, max_index + 1) for r in range(1, (mu - 9) // 2 + 1)]
    return tuple(form for pair in pairs for form in _forms("Y", pair))


def milnor_number_from_weights(weights):
    """mu = prod(1/w_i - 1) for a quasi-homogeneous isolated singularity with weights w_i (Milnor-Orlik).

    Examples
    --------
    >>> from singularities.local.normal_forms import milnor_number_from_weights
    >>> milnor_number_from_weights(["1/3", "1/4"])  # E6
    6
    """
    rationals = [to_rational(w) for w in weights]
    if not rationals or any(not 0 < w < 1 for w in rationals):
        raise ValueError(f"weights must lie strictly between 0 and 1, got {[exact_string(w) for w in rationals]}")
    return reduce(mul, (1 / w - 1 for w in rationals), sympy.Integer(1))


def parse_label(label):
    """(family, index, real_form) from a label such as "A3+", "D4-", "E7", "X9(0+)", "J10(1)" or "P8".

    Only the syntax is checked here; :func:`normal_form` checks that the type exists.

    Examples
    --------
    >>> from singularities.local.normal_forms import parse_label
    >>> parse_label("D4-"), parse_label("X9(0+)"), parse_label("E7")
    (('D', 4, '-'), ('X', 9, '0+'), ('E', 7, None))
    >>> parse_label("Y[1,2](+-)")
    ('Y', (1, 2), '+-')
    """
    pair = _PAIR_LABEL.match(label) if isinstance(label, str) else None
    if pair is not None:
        family, r, s, sign, form = pair.groups()
        return family.upper(), (int(r), int(s)), sign or form
    series = _CORANK3_PAIR_LABEL.match(label) if isinstance(label, str) else None
    if series is not None:
        family, k, p, sign, form = series.groups()
        return family.upper(), (int(k), int(p)), sign or form
    match = _LABEL.match(label) if isinstance(label, str) else None
    if match is None:
        raise InputError(
            f"cannot read {label!r} as a type label; write e.g. 'A3', 'D4-', 'E7', 'X9(0+)', 'J10(1)', 'E14+', "
            "'Y[1,2](+-)' or 'P8'"
        )
    family, index, sign, form = match.groups()
    return family.upper(), int(index), sign or form


@cache
def _forms(family, index):
    pair = isinstance(index, tuple) and family in _SERIES_BUILDERS  # J[3,p], Z[1,p], W[1,p], W#[1,q]
    builder = _SERIES_BUILDERS[family] if pair else _BUILDERS.get(family)
    forms = builder(index) if builder is not None else ()
    if not forms:
        raise InputError(
            f"unknown type {family}{index}; the table has A_k (k >= 1), D_k (k >= 4), E6, E7, E8, X9, J10 and P8, "
            "and beyond them E12-14, X_k (k >= 10), J_k (k >= 11), P_k (k >= 9), Z11-13, W12-13, Q10-12, S11-12, U12, "
            "R_k (k >= 10) and T_k (k >= 11) with their indices, e.g. 'R12(5,5)', "
            "Y[r,s] (1 <= r <= s), E18-20, Z17-19, W17-18, J[3,p], Z[1,p], W[1,p] (p >= 0), W#[1,q] (q >= 1), "
            "Q[2,p], S[1,p], U[1,q] (p, q >= 0), S#[1,q] (q >= 1), Q16-18, S16-17 and U16"
        )
    return forms


def _a_forms(k):
    if k < 1:
        return ()
    weights = (sympy.Rational(1, k + 1),)
    corank = 0 if k == 1 else 1
    if k % 2 == 0:
        return (NormalForm("A", k, None, _X ** (k + 1), k, 0, weights, corank, "", _SIMPLE),)
    return tuple(NormalForm("A", k, s, sign * _X ** (k + 1), k, 0, weights, corank, "", _SIMPLE) for s, sign in _SIGNS)


def _d_forms(k):
    if k < 4:
        return ()
    weights = (sympy.Rational(k - 2, 2 * (k - 1)), sympy.Rational(1, k - 1))
    return tuple(
        NormalForm("D", k, s, _X**2 * _Y + sign * _Y ** (k - 1), k, 0, weights, 2, "", _SIMPLE) for s, sign in _SIGNS
    )


def _e_forms(k):
    third = sympy.Rational(1, 3)
    if k == 6:
        weights = (third, sympy.Rational(1, 4))
        return tuple(NormalForm("E", 6, s, _X**3 + sign * _Y**4, 6, 0, weights, 2, "", _SIMPLE) for s, sign in _SIGNS)
    if k == 7:
        return (NormalForm("E", 7, None, _X**3 + _X * _Y**3, 7, 0, (third, sympy.Rational(2, 9)), 2, "", _SIMPLE),)
    if k == 8:
        return (NormalForm("E", 8, None, _X**3 + _Y**5, 8, 0, (third, sympy.Rational(1, 5)), 2, "", _SIMPLE),)
    return _exceptional_forms("E", k)


def _exceptional_forms(family, k):
    """The exceptional unimodal families of corank 2 (AGZV I, 16.2): principal part + a * (one monomial above it)."""
    rows = _EXCEPTIONAL_ROWS.get((family, k))
    if rows is None:
        return _bimodal_forms(family, k)
    weights, forms = rows
    a = MODULUS
    return tuple(
        NormalForm(family, k, s, principal + a * modulus_term, k, 1, weights, len(weights), "", _EXCEPTIONAL)
        for s, principal, modulus_term in forms
    )


def _bimodal_forms(family, k):
    """The exceptional bimodal families (AGZV I, 16.2): principal part + (a + b y) * (one monomial above it)."""
    rows = _BIMODAL_ROWS.get((family, k))
    if rows is None:
        return ()
    weights, forms = rows
    moduli = MODULUS + SECOND_MODULUS * _Y
    return tuple(
        NormalForm(family, k, s, principal + sympy.expand(moduli * term), k, 2, weights, 2, "", _BIMODAL)
        for s, principal, term in forms
    )


def _z_forms(k):
    return _exceptional_forms("Z", k)


def _w_forms(k):
    return _exceptional_forms("W", k)


def _q_forms(k):
    return (
        _corank3_bimodal("Q", k)
        if isinstance(k, tuple) or ("Q", k) in _CORANK3_BIMODAL_ROWS
        else _exceptional_forms("Q", k)
    )


def _s_forms(k):
    return (
        _corank3_bimodal("S", k)
        if isinstance(k, tuple) or ("S", k) in _CORANK3_BIMODAL_ROWS
        else _exceptional_forms("S", k)
    )


def _u_forms(k):
    return (
        _corank3_bimodal("U", k)
        if isinstance(k, tuple) or ("U", k) in _CORANK3_BIMODAL_ROWS
        else _exceptional_forms("U", k)
    )


def _x_forms(k):
    """X9 = T(2,4,4): the real forms by the real lines of the binary quartic (four, two, none: definite +-)."""
    if k > 9:
        return _x_series(k - 9)
    if k != 9:
        return ()
    a, quarter = MODULUS, sympy.Rational(1, 4)
    quartic = _X**4 + a * _X**2 * _Y**2 + _Y**4
    rows = (
        ("4", quartic, "a < -2"),
        ("2", _X**4 + a * _X**2 * _Y**2 - _Y**4, ""),
        ("0+", quartic, "a > -2 and a != 2"),
        ("0-", -quartic, "a > -2 and a != 2"),
    )
    return tuple(NormalForm("X", 9, s, e, 9, 1, (quarter, quarter), 2, c, _UNIMODAL) for s, e, c in rows)


def _j_forms(k):
    """J10 = J(2,0): x^3 + a x^2 y^2 +- x y^4, by the real roots of the cubic X^3 + a X^2 Y +- X Y^2 (Y = y^2).

    The complex normal form x^3 + a x^2 y^2 + y^6 does not exhaust the real
    germs (x^3 + x y^4 is not R-equivalent to any member), so the real forms
    use x y^4 instead of y^6 (see the module notes in docs/normal_forms.md).
    """
    if k > 10:
        return _j_series(k - 10)
    if k != 10:
        return ()
    a, weights = MODULUS, (sympy.Rational(1, 3), sympy.Rational(1, 6))
    rows = (
        ("1", _X**3 + a * _X**2 * _Y**2 + _X * _Y**4, "a**2 < 4"),
        ("3", _X**3 + a * _X**2 * _Y**2 - _X * _Y**4, ""),
    )
    return tuple(NormalForm("J", 10, s, e, 10, 1, weights, 2, c, _J10_REAL) for s, e, c in rows)


def _x_series(k):
    """X_{9+k} = T(2,4,4+k): +-x^4 +- x^2 y^2 + a y^(4+k), a != 0; the sign of a is a real invariant when 4 + k is even.

    The zero set has real branches x^2 = -(a/c) y^(2+k/2) exactly when
    c a < 0 (c the x^2 y^2 coefficient), so for even 4 + k the sign of a
    counts branches and cannot change; for odd 4 + k, y -> -y flips it.
    """
    a, tail = MODULUS, _Y ** (4 + k)
    rows = []
    for s0, b0 in _SIGNS:
        for s1, b1 in _SIGNS:
            principal = b0 * _X**4 + b1 * _X**2 * _Y**2
            if k % 2:
                rows.append((s0 + s1, principal + a * tail, "a != 0"))
            else:
                rows += [(s0 + s1 + sa, principal + a * tail, f"a {'>' if sa == '+' else '<'} 0") for sa, _ in _SIGNS]
    return tuple(NormalForm("X", 9 + k, s, e, 9 + k, 1, None, 2, c, _SERIES) for s, e, c in rows)


def _j_series(k):
    """J_{10+k} = T(2,3,6+k): x^3 +- x^2 y^2 + a y^(6+k), a != 0; the sign of a is a real invariant when k is even."""
    a, tail = MODULUS, _Y ** (6 + k)
    rows = []
    for s1, b1 in _SIGNS:
        principal = _X**3 + b1 * _X**2 * _Y**2
        if k % 2:
            rows.append((s1, principal + a * tail, "a != 0"))
        else:
            rows += [(s1 + sa, principal + a * tail, f"a {'>' if sa == '+' else '<'} 0") for sa, _ in _SIGNS]
    return tuple(NormalForm("J", 10 + k, s, e, 10 + k, 1, None, 2, c, _SERIES) for s, e, c in rows)


def _y_forms(pair):
    """Y(r,s) = T(2,4+r,4+s): +-x^2 y^2 + d x^(4+r) + a y^(4+s), r <= s; Y~_r: +-(x^2 + y^2)^2 + a x^(4+r) (r = s).

    Right equivalence over R: x -> l x, y -> m y scales the three
    coefficients by l^2 m^2, l^(4+r), m^(4+s), so |x^2 y^2| = |d| = 1 and
    ``a`` is the modulus.  The sign of x^2 y^2 (the sign of the 4-jet off its
    lines) is invariant; the sign of d (of a) is invariant when 4 + r (4 + s)
    is even, since the zero set has real branches y^2 = -d x^(2+r) near the
    line y = 0 exactly when d and x^2 y^2 have opposite signs; for an odd power
    x -> -x (y -> -y) flips it.  For r = s, x <-> y swaps d and a, so "+-"
    stands for "-+" too.  Y~_r: in u = x + i y, v = x - i y the form is
    u^2 v^2 + (a/2^(4+r)) (u^(4+r) + v^(4+r)) modulo terms above the Newton
    polygon, and a rotation turns the phase of the u^(4+r) coefficient
    freely, so a > 0 and only the sign of the quartic is a real invariant.
    """
    r, s = pair
    p, q, a = 4 + r, 4 + s, MODULUS
    rows = []
    for sb, b in _SIGNS:
        signs_d = _SIGNS if p % 2 == 0 else (("", 1),)
        for sd, d in signs_d:
            signs_a = (("+", "a > 0"), ("-", "a < 0")) if q % 2 == 0 else (("", "a != 0"),)
            for sa, condition in signs_a:
                if r == s and sd == "-" and sa == "+":
                    continue  # x <-> y: the same real form as "+-"
                rows.append((sb + sd + sa, b * _X**2 * _Y**2 + d * _X**p + a * _Y**q, condition))
        if r == s:
            rows.append(("~" + sb, sympy.expand(b * (_X**2 + _Y**2) ** 2) + a * _X**p, "a > 0"))
    rows.sort(key=lambda row: row[0].startswith("~"))
    return tuple(NormalForm("Y", (r, s), f, e, 9 + r + s, 1, None, 2, c, _Y_SERIES) for f, e, c in rows)


def _pair(index):
    """(r, s) with 1 <= r <= s from an index pair, or InputError."""
    valid = isinstance(index, (tuple, list)) and len(index) == 2
    valid = valid and all(isinstance(i, int) and not isinstance(i, bool) and i >= 1 for i in index)
    if not valid:
        raise InputError(f"Y(r,s) takes a pair of integers r, s >= 1 as its index, not {index!r}; e.g. (1, 2)")
    return tuple(sorted(index))


def type_text(family, index):
    """The type name of a family and index: "D4", "X10"; "Y[1,2]" for the pair index of Y(r,s).

    Examples
    --------
    >>> from singularities.local.normal_forms import type_text
    >>> type_text("E", 12), type_text("Y", (2, 1))
    ('E12', 'Y[1,2]')
    """
    if isinstance(index, (tuple, list)):
        r, s = sorted(index) if family == "Y" else index
        return f"{family}[{r},{s}]"
    return f"{family}{index}"


def _latex_index(index, family="Y"):
    if isinstance(index, (tuple, list)):
        return "{" + ",".join(map(str, sorted(index) if family == "Y" else index)) + "}"
    return str(index) if index < 10 else "{" + str(index) + "}"


def _p_forms(k):
    """P8 = T(3,3,3), the cone over a smooth plane cubic, and P_{8+k} = T(3,3,3+k); real forms not distinguished yet."""
    if k > 8:
        expression = _X**3 + _Y**3 + _Z ** (k - 5) + MODULUS * _X * _Y * _Z
        return (NormalForm("P", k, None, expression, k, 1, None, 3, "a != 0", _SERIES),)
    if k != 8:
        return ()
    third = sympy.Rational(1, 3)
    expression = _X**3 + _Y**3 + _Z**3 + MODULUS * _X * _Y * _Z
    return (NormalForm("P", 8, None, expression, 8, 1, (third, third, third), 3, "a**3 + 27 != 0", _UNIMODAL),)


def _r_forms(mu):
    """R_(p,q) = T(3,p,q), 4 <= p <= q: x^3 + y^p + z^q + a x y z, mu = p + q + 2; the indices are the "real form"."""
    pairs = [(p, mu - 2 - p) for p in range(4, mu) if p <= mu - 2 - p]
    return tuple(_t_form("R", mu, (3, p, q)) for p, q in pairs)


def _t_forms(mu):
    """T(p,q,r), 4 <= p <= q <= r: x^p + y^q + z^r + a x y z, mu = p + q + r - 1 (AGZV I, 16.2)."""
    triples = [(p, q, mu + 1 - p - q) for p in range(4, mu) for q in range(p, mu) if q <= mu + 1 - p - q]
    return tuple(_t_form("T", mu, triple) for triple in triples)


def _t_form(family, mu, indices):
    p, q, r = indices
    label = ",".join(map(str, indices[1:] if family == "R" else indices))
    expression = _X**p + _Y**q + _Z**r + MODULUS * _X * _Y * _Z
    return NormalForm(family, mu, label, expression, mu, 1, None, 3, "a != 0", _SERIES)


_SIGNS = (("+", 1), ("-", -1))
_BUILDERS = {
    "R": _r_forms,
    "T": _t_forms,
    "A": _a_forms,
    "D": _d_forms,
    "E": _e_forms,
    "X": _x_forms,
    "J": _j_forms,
    "Z": _z_forms,
    "W": _w_forms,
    "Q": _q_forms,
    "S": _s_forms,
    "U": _u_forms,
    "P": _p_forms,
    "Y": _y_forms,
    "S#": lambda k: _corank3_bimodal("S#", k),
}
_R = sympy.Rational
# (family, mu): (weights of the principal part, ((real form, principal part, modulus monomial), ...)).
_EXCEPTIONAL_ROWS = {
    ("E", 12): ((_R(1, 3), _R(1, 7)), ((None, _X**3 + _Y**7, _X * _Y**5),)),
    ("E", 13): ((_R(1, 3), _R(2, 15)), ((None, _X**3 + _X * _Y**5, _Y**8),)),
    ("E", 14): ((_R(1, 3), _R(1, 8)), tuple((s, _X**3 + b * _Y**8, _X * _Y**6) for s, b in _SIGNS)),
    ("Z", 11): ((_R(4, 15), _R(1, 5)), ((None, _X**3 * _Y + _Y**5, _X * _Y**4),)),
    ("Z", 12): ((_R(3, 11), _R(2, 11)), ((None, _X**3 * _Y + _X * _Y**4, _X**2 * _Y**3),)),
    ("Z", 13): ((_R(5, 18), _R(1, 6)), tuple((s, _X**3 * _Y + b * _Y**6, _X * _Y**5) for s, b in _SIGNS)),
    ("W", 12): ((_R(1, 4), _R(1, 5)), tuple((s, b * _X**4 + _Y**5, _X**2 * _Y**3) for s, b in _SIGNS)),
    ("W", 13): ((_R(1, 4), _R(3, 16)), tuple((s, b * _X**4 + _X * _Y**4, _Y**6) for s, b in _SIGNS)),
    # corank 3 (AGZV I, 16.2; the first row is Arnold's complex normal form).  Real forms: the classes of the principal
    # part under the weight-preserving linear maps (docs/normal_forms.md#corank-3): the sign of y^4 (Q10, S11: of x^4),
    # of x z^3 (Q11), of the discriminant 4 b d - c^2 of y (b z^2 + c y^2 z + d y^4) (Q12); S12 has one real form
    ("Q", 10): (
        (_R(1, 3), _R(1, 4), _R(3, 8)),
        tuple((s, _X**3 + b * _Y**4 + _Y * _Z**2, _X * _Y**3) for s, b in _SIGNS),
    ),
    ("Q", 11): (
        (_R(1, 3), _R(7, 18), _R(2, 9)),
        tuple((s, _X**3 + _Y**2 * _Z + b * _X * _Z**3, _Z**5) for s, b in _SIGNS),
    ),
    ("Q", 12): (
        (_R(1, 3), _R(1, 5), _R(2, 5)),
        tuple((s, _X**3 + b * _Y**5 + _Y * _Z**2, _X * _Y**4) for s, b in _SIGNS),
    ),
    ("S", 11): (
        (_R(1, 4), _R(5, 16), _R(3, 8)),
        tuple((s, b * _X**4 + _Y**2 * _Z + _X * _Z**2, _X**3 * _Z) for s, b in _SIGNS),
    ),
    ("S", 12): ((_R(4, 13), _R(5, 13), _R(3, 13)), ((None, _X**2 * _Y + _Y**2 * _Z + _X * _Z**3, _Z**5),)),
    # U12: the binary cubic c(x, y) with one or three real lines, and the sign of z^4; the modulus monomial is one
    # outside the Jacobian ideal (x y z^2 lies in it for x^2 y - y^3, so x^2 z^2 there)
    ("U", 12): (
        (_R(1, 3), _R(1, 3), _R(1, 4)),
        (
            ("1+", _X**3 + _Y**3 + _Z**4, _X * _Y * _Z**2),
            ("1-", _X**3 + _Y**3 - _Z**4, _X * _Y * _Z**2),
            ("3+", _X**2 * _Y - _Y**3 + _Z**4, _X**2 * _Z**2),
            ("3-", _X**2 * _Y - _Y**3 - _Z**4, _X**2 * _Z**2),
        ),
    ),
}


# (family, mu): the 8 exceptional bimodal families of corank 2 (AGZV I, 16.2), as _EXCEPTIONAL_ROWS.
_BIMODAL_ROWS = {
    ("E", 18): ((_R(1, 3), _R(1, 10)), tuple((s, _X**3 + b * _Y**10, _X * _Y**7) for s, b in _SIGNS)),
    ("E", 19): ((_R(1, 3), _R(2, 21)), ((None, _X**3 + _X * _Y**7, _Y**11),)),
    ("E", 20): ((_R(1, 3), _R(1, 11)), ((None, _X**3 + _Y**11, _X * _Y**8),)),
    ("Z", 17): ((_R(7, 24), _R(1, 8)), tuple((s, _X**3 * _Y + b * _Y**8, _X * _Y**6) for s, b in _SIGNS)),
    ("Z", 18): ((_R(5, 17), _R(2, 17)), ((None, _X**3 * _Y + _X * _Y**6, _Y**9),)),
    ("Z", 19): ((_R(8, 27), _R(1, 9)), ((None, _X**3 * _Y + _Y**9, _X * _Y**7),)),
    ("W", 17): ((_R(1, 4), _R(3, 20)), tuple((s, b * _X**4 + _X * _Y**5, _Y**7) for s, b in _SIGNS)),
    ("W", 18): ((_R(1, 4), _R(1, 7)), tuple((s, b * _X**4 + _Y**7, _X**2 * _Y**4) for s, b in _SIGNS)),
}


# --- the bimodal series of corank 2 (AGZV I, 16.2; pair indices as classify.lib's J[k,r], Z[1,r], W[1,r], W#[1,q]) ---
_SERIES_FIRST = {"J": 3, "Z": 1, "W": 1, "W#": 1}
_BIMODAL_SERIES = (
    f"{_AGZV}, section 16.2 (the bimodal series J_(3,p), Z_(1,p), W_(1,p), W#_(1,q)); moduli as a0 + a1 y in "
    "Singular's arnoldclassify.lib (Boehm, Marais, Pfister, arXiv:1604.04774); real forms derived in "
    "docs/normal_forms.md#bimodal-series (the signs the weight-preserving real maps cannot change, and the "
    "number of real branches)"
)


def _series_pair(family, index):
    """(k, p) of J[3,p], Z[1,p], W[1,p] (p >= 0), W#[1,q] (q >= 1), or InputError."""
    first = _SERIES_FIRST.get(family)
    valid = first is not None and len(index) == 2
    valid = valid and all(isinstance(i, int) and not isinstance(i, bool) for i in index)
    valid = valid and index[0] == first and index[1] >= (1 if family == "W#" else 0)
    if not valid:
        raise InputError(
            f"unknown type {family}{list(index)}; the pair-indexed series are Y[r,s], J[3,p], Z[1,p], W[1,p] "
            "(p >= 0) and W#[1,q] (q >= 1); write e.g. 'J[3,0]' or 'W#[1,1]'"
        )
    return tuple(index)


def _series_form(family, pair, rows, weights, mu):
    moduli = MODULUS + SECOND_MODULUS * _Y
    return tuple(
        NormalForm(family, pair, s or None, sympy.expand(e.subs(_M, moduli)), mu, 2, weights, 2, c, _BIMODAL_SERIES)
        for s, e, c in rows
    )


def _j3_forms(pair):
    """J[3,0]: x^3 + a x^2 y^3 +- x y^6 + b x^2 y^4 by the real roots of the weighted cubic (as J10); J[3,p]:
    x^3 + x^2 y^3 + (a + b y) y^(9+p), the sign of a a real form when p is even (real branches iff a < 0)."""
    p = pair[1]
    if p == 0:
        cubic = _X**3 + MODULUS * _X**2 * _Y**3 + SECOND_MODULUS * _X**2 * _Y**4
        rows = (("1", cubic + _X * _Y**6, "a**2 < 4"), ("3", cubic - _X * _Y**6, ""))
        return tuple(
            NormalForm("J", pair, f, e, 16, 2, (_R(1, 3), _R(1, 9)), 2, c, _BIMODAL_SERIES) for f, e, c in rows
        )
    return _series_form("J", pair, _vertex_rows(_X**3 + _X**2 * _Y**3, _Y ** (9 + p), p % 2 == 0), None, 16 + p)


def _z1_forms(pair):
    """Z[1,0]: x^3 y + a x^2 y^3 +- x y^5 + b x^2 y^4 (y times a weighted cubic, real roots 1 or 3); Z[1,p]:
    x^3 y + x^2 y^3 + (a + b y) y^(7+p)."""
    p = pair[1]
    if p == 0:
        cubic = _X**3 * _Y + MODULUS * _X**2 * _Y**3 + SECOND_MODULUS * _X**2 * _Y**4
        rows = (("1", cubic + _X * _Y**5, "a**2 < 4"), ("3", cubic - _X * _Y**5, ""))
        return tuple(
            NormalForm("Z", pair, f, e, 15, 2, (_R(2, 7), _R(1, 7)), 2, c, _BIMODAL_SERIES) for f, e, c in rows
        )
    return _series_form("Z", pair, _vertex_rows(_X**3 * _Y + _X**2 * _Y**3, _Y ** (7 + p), p % 2 == 0), None, 15 + p)


def _w1_forms(pair):
    """W[1,0]: +-x^4 + (a + b y) x^2 y^3 +- y^6 (signs of x^4, y^6, then 0 or 2 real branches); W[1,p]:
    +-x^4 + x^2 y^3 + (a + b y) y^(6+p) (signs of x^4 and a)."""
    p = pair[1]
    middle = _M * _X**2 * _Y**3
    if p == 0:
        rows = (
            ("++0", _X**4 + middle + _Y**6, "a**2 < 4"),
            ("++2", _X**4 + middle + _Y**6, "a**2 > 4"),
            ("--0", -(_X**4) + middle - _Y**6, "a**2 < 4"),
            ("--2", -(_X**4) + middle - _Y**6, "a**2 > 4"),
            ("+-", _X**4 + middle - _Y**6, ""),
            ("-+", -(_X**4) + middle + _Y**6, ""),
        )
        return _series_form("W", pair, rows, (_R(1, 4), _R(1, 6)), 15)
    rows = []
    for s0, b0 in _SIGNS:
        rows += [(s0 + s, e, c) for s, e, c in _vertex_rows(b0 * _X**4 + _X**2 * _Y**3, _Y ** (6 + p), True)]
    return _series_form("W", pair, tuple(rows), None, 15 + p)


def _w1_sharp_forms(pair):
    """W#[1,2r-1]: +-(x^2 + y^3)^2 + (a + b y) x y^(4+r); W#[1,2r]: +-(x^2 + y^3)^2 + (a + b y) x^2 y^(3+r)
    (signs of the square, and of a when the index is even)."""
    q = pair[1]
    r = (q + 1) // 2
    term = _X * _Y ** (4 + r) if q % 2 else _X**2 * _Y ** (3 + r)
    rows = []
    for s0, b0 in _SIGNS:
        square = b0 * (_X**2 + _Y**3) ** 2
        rows += [(s0 + s, e, c) for s, e, c in _vertex_rows(square, term, q % 2 == 0)]
    return _series_form("W#", pair, tuple(rows), None, 15 + q)


def _vertex_rows(principal, vertex, signed):
    """(real form, principal + a * vertex, condition): the sign of a as a real form when ``signed``."""
    if signed:
        return (("+", principal + _M * vertex, "a > 0"), ("-", principal + _M * vertex, "a < 0"))
    return (("", principal + _M * vertex, "a != 0"),)


def series_sign(family, index, real_form):
    """+1 / -1 when every germ of this bimodal-series real form is positive / negative definite, else None.

    W[1,0](++0), (--0): A X^2 + a X Z + C Z^2 (X = x^2, Z = y^3) definite; W#[1,2r]: +-(x^2 + y^3)^2 + a x^2 y^(3+r)
    has the value a (-1)^(r+1) t^(12+2r) on the cusp x = t^3, y = -t^2 and x^2 y^(3+r) >= 0 off it exactly when
    r is odd, so the germ is definite when sign(a) (-1)^(r+1) is the sign of the square.

    Examples
    --------
    >>> from singularities.local.normal_forms import series_sign
    >>> series_sign("W", (1, 0), "++0"), series_sign("W#", (1, 2), "--"), series_sign("W#", (1, 4), "++")
    (1, -1, None)
    """
    if family == "W" and index == (1, 0) and real_form in ("++0", "--0"):
        return 1 if real_form[0] == "+" else -1
    if family == "W#" and index[1] % 2 == 0 and real_form is not None:
        r = index[1] // 2
        square, a = (1 if sign == "+" else -1 for sign in real_form)
        return square if a * (-1) ** (r + 1) == square else None
    return None


_M = sympy.Symbol("_moduli")
_SERIES_BUILDERS = {"J": _j3_forms, "Z": _z1_forms, "W": _w1_forms, "W#": _w1_sharp_forms}


def _clause_holds(clause, value):
    left, operator, right = _CONDITION.match(clause).groups()
    difference = sympy.sympify(left, locals={"a": MODULUS}) - sympy.sympify(right, locals={"a": MODULUS})
    difference = difference.subs(MODULUS, value)
    if operator == "!=":
        return difference != 0
    sign = {
        "<": lambda d: d.is_negative,
        ">": lambda d: d.is_positive,
        "<=": lambda d: d.is_nonpositive,
        ">=": lambda d: d.is_nonnegative,
    }[operator](difference)
    return bool(sign)


# The bimodal families of corank 3 (AGZV I, 16.2): the series Q_(2,p), S_(1,p), S#_(1,q), U_(1,q) with pair labels
# "Q[2,p]", "S[1,p]", "S#[1,q]", "U[1,q]" (the first index is Arnold's k; mu = 14 + p), and Q16-18, S16-17, U16.
_CORANK3_SERIES = {"Q": 2, "S": 1, "S#": 1, "U": 1}
_CORANK3_PAIR_LABEL = re.compile(
    r"^\s*(Q|S#|S|U)\s*\[\s*(\d+)\s*,\s*(\d+)\s*\]\s*(?:([+-])|\(([^()]*)\))?\s*$", re.IGNORECASE
)
_CORANK3_BIMODAL = (
    f"{_AGZV}, section 16.2 (the bimodal families of corank 3: Q_(2,p), S_(1,p), S#_(1,q), U_(1,q), Q16-18, "
    "S16-17, U16, moduli a = a0 + a1 y); the normal forms as in Singular's classify.lib (NFlist); real forms derived "
    "from the weight-preserving real diagonal maps (docs/normal_forms.md#corank-3), not taken from a published table"
)
# (family, mu): (weights, ((real form, principal part, monomial multiplied by the moduli a + b y), ...)).
_CORANK3_BIMODAL_ROWS = {
    ("Q", 16): (
        (_R(1, 3), _R(1, 7), _R(3, 7)),
        tuple((s, _X**3 + _Y * _Z**2 + b * _Y**7, _X * _Y**5) for s, b in _SIGNS),
    ),
    ("Q", 17): (
        (_R(1, 3), _R(2, 15), _R(13, 30)),
        tuple((s, _X**3 + _Y * _Z**2 + b * _X * _Y**5, _Y**8) for s, b in _SIGNS),
    ),
    ("Q", 18): (
        (_R(1, 3), _R(1, 8), _R(7, 16)),
        tuple((s, _X**3 + _Y * _Z**2 + b * _Y**8, _X * _Y**6) for s, b in _SIGNS),
    ),
    ("S", 16): ((_R(5, 17), _R(3, 17), _R(7, 17)), ((None, _X**2 * _Z + _Y * _Z**2 + _X * _Y**4, _Y**6),)),
    ("S", 17): (
        (_R(7, 24), _R(1, 6), _R(5, 12)),
        tuple((s, _X**2 * _Z + _Y * _Z**2 + b * _Y**6, _Z * _Y**4) for s, b in _SIGNS),
    ),
    ("U", 16): (
        (_R(1, 3), _R(1, 5), _R(1, 3)),
        (("1", _X**3 + _X * _Z**2 + _Y**5, _X**2 * _Y**2), ("3", _X**3 - _X * _Z**2 + _Y**5, _X**2 * _Y**2)),
    ),
}


def _corank3_pair(family, index):
    """(k, p) for the series Q[2,p], S[1,p], S#[1,q] (q >= 1), U[1,q]; InputError otherwise."""
    first, lowest = _CORANK3_SERIES[family], 1 if family == "S#" else 0
    valid = isinstance(index, (tuple, list)) and len(index) == 2
    valid = valid and all(isinstance(i, int) and not isinstance(i, bool) for i in index)
    if not valid or index[0] != first or index[1] < lowest:
        raise InputError(
            f"{family}[k,p] is implemented for k = {first} and p >= {lowest} (the bimodal members), not {index!r}; "
            f"e.g. {family}[{first},{lowest}]"
        )
    return tuple(index)


def _corank3_bimodal(family, index):
    """The normal forms of one bimodal type of corank 3: a series member (pair index) or an exceptional family."""
    moduli = MODULUS + SECOND_MODULUS * _Y
    if not isinstance(index, tuple):
        weights, rows = _CORANK3_BIMODAL_ROWS.get((family, index), (None, ()))
        conditions = [""] * len(rows)
    else:
        weights, rows, conditions = _corank3_series_rows(family, index[1])
        index = (_CORANK3_SERIES[family], index[1])
    mu = index if isinstance(index, int) else 14 + index[1]
    return tuple(
        NormalForm(family, index, s, principal + sympy.expand(moduli * term), mu, 2, weights, 3, c, _CORANK3_BIMODAL)
        for (s, principal, term), c in zip(rows, conditions)
    )


def _corank3_series_rows(family, p):
    """(weights, rows, conditions) of Q[2,p], S[1,p], S#[1,q], U[1,q] (AGZV I, 16.2; classify.lib's NFlist).

    p = 0 (quasi-homogeneous): Q[2,0] by the real roots of the binary cubic X^3 + a X^2 T +- X T^2 (T = y^2) as
    J10; S[1,0] by the sign of y^5 once x^2 z and y z^2 are +1 (a y-flip changes y z^2, y^3 z, y^5, a z-flip x^2 z
    and y^3 z: the product of the signs of y z^2 and y^5 stays); U[1,0] by the real lines of the cubic.
    """
    x, y, z = _X, _Y, _Z
    if p == 0:
        return {
            "Q": (
                (_R(1, 3), _R(1, 6), _R(5, 12)),
                (("1", x**3 + y * z**2 + x * y**4, x**2 * y**2), ("3", x**3 + y * z**2 - x * y**4, x**2 * y**2)),
                ("a**2 < 4", ""),
            ),
            "S": (
                (_R(3, 10), _R(1, 5), _R(2, 5)),
                (("+", x**2 * z + y * z**2 + y**5, z * y**3), ("-", x**2 * z + y * z**2 - y**5, z * y**3)),
                ("a**2 != 4", ""),
            ),
            "U": (
                (_R(1, 3), _R(2, 9), _R(1, 3)),
                (("1", x**3 + x * z**2 + x * y**3, y**3 * z), ("3", x**3 - x * z**2 + x * y**3, y**3 * z)),
                ("a != 0", "a*(a**2 - 1) != 0"),
            ),
        }[family]
    r = (p + 1) // 2
    principal, term = {
        "Q": (x**3 + y * z**2 + x**2 * y**2, y ** (6 + p)),
        "S": (x**2 * z + y * z**2 + x**2 * y**2, y ** (5 + p)),
        "S#": (x**2 * z + y * z**2 + z * y**3, x * y ** (3 + r) if p % 2 else x**2 * y ** (2 + r)),
        "U": (x**3 + x * z**2 + x * y**3, y ** (1 + r) * z**2 if p % 2 else y ** (3 + r) * z),
    }[family]
    return None, ((None, principal, term),), ("a != 0",)
