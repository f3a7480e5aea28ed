"""The normal-form table against independent computations.

Weighted degrees, the Milnor-Orlik formula, the dimension of the Milnor
algebra Q[x]/(grad f) (Groebner basis, standard monomials), the rank of the
Hessian and the real linear factors of the leading forms are recomputed here
from the expressions alone, never read from the table.
"""

import itertools
import json
import re
from types import SimpleNamespace

import pytest
import sympy

from singularities.local.normal_forms import (
    MODULUS,
    SECOND_MODULUS,
    NormalForm,
    bimodal_normal_forms,
    milnor_number_from_weights,
    normal_form,
    normal_forms,
    parse_label,
    real_forms,
    simple_normal_forms,
    unimodal_normal_forms,
    y_normal_forms,
)

ALL = normal_forms()
# The unimodal corank-2 types beyond X9 and J10 (up to mu = 14): the exceptional families, with weights,
# and the T series X_{9+k}, J_{10+k}, without weights (two Newton edges).
BEYOND = tuple(f for f in unimodal_normal_forms(14) if f.label not in {g.label for g in ALL})
EXCEPTIONAL = tuple(f for f in BEYOND if f.is_quasi_homogeneous)
SERIES = tuple(f for f in BEYOND if not f.is_quasi_homogeneous and f.corank == 2)
# A modulus value inside each form's condition, chosen away from special values.
SAMPLE = {"X9(4)": -3, "X9(2)": sympy.Rational(1, 2), "X9(0+)": 1, "X9(0-)": 1, "J10(1)": 1, "J10(3)": 3, "P8": 1}


def _specialised(form):
    return form.expression.subs(MODULUS, SAMPLE.get(form.label, 0))


def _milnor_algebra_dimension(f, variables):
    """dim Q[variables]/(grad f): count the monomials outside the leading-term ideal of a Groebner basis."""
    basis = sympy.groebner([f.diff(v) for v in variables], *variables, order="grevlex")
    leading = [sympy.Poly(g, *variables).monoms(order=sympy.polys.orderings.grevlex)[0] for g in basis.exprs]
    bounds = []
    for i in range(len(variables)):
        pure = [m[i] for m in leading if all(e == 0 for j, e in enumerate(m) if j != i)]
        assert pure, "the Milnor algebra is infinite-dimensional"
        bounds.append(min(pure))
    standard = [
        m
        for m in itertools.product(*(range(b) for b in bounds))
        if not any(all(e >= l for e, l in zip(m, lead)) for lead in leading)
    ]
    return len(standard)


def _real_lines(form, x, y):
    """Distinct real linear factors of a binary form: real roots of form(t, 1), plus y if it divides."""
    t = sympy.Symbol("t")
    affine = sympy.Poly(form.subs({x: t, y: 1}), t)
    at_infinity = sympy.Poly(form, x, y).coeff_monomial(x ** sympy.Poly(form, x, y).total_degree()) == 0
    return len(set(affine.real_roots())) + int(at_infinity)


@pytest.mark.parametrize("form", ALL, ids=lambda f: f.label)
def test_expression_is_quasi_homogeneous_of_degree_one(form):
    poly = sympy.Poly(form.expression, *form.variables)
    for exponents in poly.monoms():
        assert sum(e * w for e, w in zip(exponents, form.weights)) == 1, exponents


@pytest.mark.parametrize("form", ALL, ids=lambda f: f.label)
def test_milnor_number_agrees_with_the_weights(form):
    assert form.milnor_number == milnor_number_from_weights(form.weights)


@pytest.mark.parametrize("form", ALL, ids=lambda f: f.label)
def test_milnor_number_is_the_dimension_of_the_milnor_algebra(form):
    # quasi-homogeneous: the origin is the only critical point, so the global dimension is the local mu
    assert form.admits(SAMPLE.get(form.label, 0))
    assert _milnor_algebra_dimension(_specialised(form), form.variables) == form.milnor_number


@pytest.mark.parametrize("form", ALL + BEYOND, ids=lambda f: f.label)
def test_corank_is_that_of_the_hessian(form):
    hessian = sympy.hessian(_specialised(form), form.variables).subs({v: 0 for v in form.variables})
    assert form.corank == len(form.variables) - hessian.rank()


@pytest.mark.parametrize("form", ALL + BEYOND, ids=lambda f: f.label)
def test_modality(form):
    simple = form.family in "ADE" and form.index <= 8
    assert form.modality == (0 if simple else 1)
    assert (form.modulus is None) == (form.modality == 0)


# Arnold's table of the 14 exceptional unimodal families, corank 2 part (AGZV I, section 16.2; Arnold,
# Russian Math. Surveys 29:2 (1974), table of the exceptional families): normal form, Milnor number.
_ARNOLD_EXCEPTIONAL = {
    "E12": ("x**3 + y**7 + a*x*y**5", 12),
    "E13": ("x**3 + x*y**5 + a*y**8", 13),
    "E14": ("x**3 + y**8 + a*x*y**6", 14),
    "Z11": ("x**3*y + y**5 + a*x*y**4", 11),
    "Z12": ("x**3*y + x*y**4 + a*x**2*y**3", 12),
    "Z13": ("x**3*y + y**6 + a*x*y**5", 13),
    "W12": ("x**4 + y**5 + a*x**2*y**3", 12),
    "W13": ("x**4 + x*y**4 + a*y**6", 13),
    # corank 3
    "Q10": ("x**3 + y**4 + y*z**2 + a*x*y**3", 10),
    "Q11": ("x**3 + y**2*z + x*z**3 + a*z**5", 11),
    "Q12": ("x**3 + y**5 + y*z**2 + a*x*y**4", 12),
    "S11": ("x**4 + y**2*z + x*z**2 + a*x**3*z", 11),
    "S12": ("x**2*y + y**2*z + x*z**3 + a*z**5", 12),
    "U12": ("x**3 + y**3 + z**4 + a*x*y*z**2", 12),
}


@pytest.mark.parametrize("label", sorted(_ARNOLD_EXCEPTIONAL))
def test_exceptional_families_match_arnolds_table(label):
    expression, mu = _ARNOLD_EXCEPTIONAL[label]
    forms = real_forms(label)
    # the first real form is Arnold's complex normal form; the others differ by the sign of one even power
    assert forms[0].expression == sympy.sympify(expression) and forms[0].milnor_number == mu
    assert all(f.milnor_number == mu and f.modality == 1 for f in forms)


@pytest.mark.parametrize("form", EXCEPTIONAL, ids=lambda f: f.label)
def test_exceptional_principal_part_has_degree_one_and_the_modulus_term_lies_above(form):
    principal = form.expression.subs(MODULUS, 0)
    for exponents in sympy.Poly(principal, *form.variables).monoms():
        assert sum(e * w for e, w in zip(exponents, form.weights)) == 1, exponents
    modulus_term = sympy.Poly(form.expression.coeff(MODULUS), *form.variables)
    ((exponents, _),) = modulus_term.terms()
    assert sum(e * w for e, w in zip(exponents, form.weights)) > 1
    # Milnor-Orlik and the dimension of the Milnor algebra of the quasi-homogeneous principal part
    assert form.milnor_number == milnor_number_from_weights(form.weights)
    assert _milnor_algebra_dimension(principal, form.variables) == form.milnor_number


def _kouchnirenko(form, a):
    """mu = 2 V - p - q + 1 (Kouchnirenko 1976) for a convenient Newton non-degenerate f(x, y), V the area under
    the Newton polygon, p, q its intercepts; computed from the exponents alone (the lower convex hull)."""
    x, y = form.variables
    points = sorted(sympy.Poly(form.expression.subs(MODULUS, a), x, y).monoms())
    hull = []
    for p in points:
        while len(hull) >= 2:
            (x1, y1), (x2, y2) = hull[-2], hull[-1]
            if (x2 - x1) * (p[1] - y1) - (y2 - y1) * (p[0] - x1) <= 0:
                hull.pop()
            else:
                break
        hull.append(p)
    vertices = [v for v in hull if v[0] == 0][:1] + [v for v in hull if v[0] > 0]
    area = sympy.Rational(0)
    for (x1, y1), (x2, y2) in zip(vertices, vertices[1:]):
        area += sympy.Rational((x2 - x1) * (y1 + y2), 2)  # trapezoid under each edge
    p, q = vertices[-1][0], vertices[0][1]
    assert vertices[-1][1] == 0 and vertices[0][0] == 0, "not convenient"
    return 2 * area - p - q + 1, vertices


@pytest.mark.parametrize("form", SERIES, ids=lambda f: f.label)
def test_t_series_milnor_number_by_kouchnirenko(form):
    # X_{9+k}: +-x^4 +- x^2 y^2 + a y^(4+k), J_{10+k}: x^3 +- x^2 y^2 + a y^(6+k).  The Newton polygon has the two
    # edges through x^2 y^2; each face polynomial is a binomial with nonzero coefficients, so f is Newton
    # non-degenerate and Kouchnirenko's formula gives mu (AGZV I, 16.2: mu(T(p,q,r)) = p + q + r - 1).
    a = 1 if form.admits(1) else -1
    mu, vertices = _kouchnirenko(form, a)
    k = form.index - (9 if form.family == "X" else 10)
    p, q, r = (2, 4, 4 + k) if form.family == "X" else (2, 3, 6 + k)
    assert mu == form.milnor_number == p + q + r - 1
    assert len(vertices) == 3 and vertices[1] == (2, 2)
    assert sympy.Rational(1, p) + sympy.Rational(1, q) + sympy.Rational(1, r) < 1  # hyperbolic


@pytest.mark.parametrize("k", [1, 2, 5])
def test_p_series_is_t_333k(k):
    # P_{8+k} = T(3,3,3+k) = x^3 + y^3 + z^(3+k) + a x y z, a != 0: mu = p + q + r - 1 = 8 + k (AGZV I, 16.2)
    form = normal_form("P", 8 + k)
    x, y, z = form.variables
    assert form.expression == x**3 + y**3 + z ** (3 + k) + MODULUS * x * y * z
    assert form.milnor_number == 3 + 3 + (3 + k) - 1 and form.corank == 3 and form.weights is None
    assert not form.admits(0) and form.admits(1)


def test_real_forms_of_the_t_series_and_the_signed_exceptional_families():
    # the sign of a is a real invariant exactly when the power of y in the modulus term is even (AGZV I, 17;
    # realclassify.lib: X[mu]++ ... and J[mu]+-), and E14, Z13, W12, W13 carry the sign of an even power
    assert [f.label for f in real_forms("J11")] == ["J11+", "J11-"]
    assert [f.label for f in real_forms("J12")] == ["J12(++)", "J12(+-)", "J12(-+)", "J12(--)"]
    assert len(real_forms("X10")) == 4 and len(real_forms("X11")) == 8
    assert normal_form("X11(+-+)").admits(1) and not normal_form("X11(+-+)").admits(-1)
    for label in ("E14", "Z13", "W12", "W13"):
        assert [f.real_form for f in real_forms(label)] == ["+", "-"]
    for label in ("E12", "E13", "Z11", "Z12"):
        assert [f.real_form for f in real_forms(label)] == [None]


def test_d4_real_forms_count_real_lines():
    x, y = normal_form("D4+").variables
    assert _real_lines(normal_form("D4-").expression, x, y) == 3  # x^2 y - y^3: the monkey saddle
    assert _real_lines(normal_form("D4+").expression, x, y) == 1
    assert sympy.factor_list(normal_form("D4-").expression)[1] == [(y, 1), (x - y, 1), (x + y, 1)]


@pytest.mark.parametrize("label, lines", [("X9(4)", 4), ("X9(2)", 2), ("X9(0+)", 0), ("X9(0-)", 0)])
@pytest.mark.parametrize("which", [0, 1])
def test_x9_real_forms_have_their_number_of_real_lines(label, lines, which):
    form = normal_form(label)
    a = {"X9(4)": [-3, -sympy.Rational(5, 2)], "X9(2)": [0, 7], "X9(0+)": [0, 5], "X9(0-)": [-1, 3]}[label][which]
    assert form.admits(a)
    x, y = form.variables
    quartic = form.expression.subs(MODULUS, a)
    assert _real_lines(quartic, x, y) == lines
    if label.startswith("X9(0"):
        assert sympy.sign(quartic.subs({x: 1, y: 0})) == (1 if label == "X9(0+)" else -1)


@pytest.mark.parametrize("label, roots, a", [("J10(1)", 1, 0), ("J10(1)", 1, 1), ("J10(3)", 3, 0), ("J10(3)", 3, -5)])
def test_j10_real_forms_count_real_roots_of_the_weighted_cubic(label, roots, a):
    form = normal_form(label)
    x, y = form.variables
    big_y = sympy.Symbol("Y")
    cubic = sympy.expand(form.expression.subs(MODULUS, a).subs(y**2, big_y))
    assert cubic.free_symbols <= {x, big_y}
    assert _real_lines(cubic, x, big_y) == roots


def test_modulus_conditions():
    assert not normal_form("X9(4)").admits(-2) and normal_form("X9(4)").admits(-3)
    assert not normal_form("X9(0+)").admits(2) and not normal_form("X9(0+)").admits(-2)
    assert normal_form("J10(1)").admits(sympy.Rational(3, 2)) and not normal_form("J10(1)").admits(2)
    assert not normal_form("P8").admits(-3) and normal_form("P8").admits(0)
    assert normal_form("E7").admits(5)


def test_a_k_with_k_even_has_one_real_form_and_odd_two():
    for k in range(1, 12):
        labels = [f.label for f in real_forms("A", k)]
        assert labels == ([f"A{k}"] if k % 2 == 0 else [f"A{k}+", f"A{k}-"])
    x = sympy.Symbol("x")
    assert normal_form("A", 4).expression == x**5
    assert normal_form("A", 4).expression.subs(x, -x) == -(x**5)  # so x^5 ~ -x^5


@pytest.mark.parametrize(
    "label, latex",
    [
        ("A1+", "A_1^+"),
        ("A2", "A_2"),
        ("A3+", "A_3^+"),
        ("D4-", "D_4^-"),
        ("E6+", "E_6^+"),
        ("E7", "E_7"),
        ("E8", "E_8"),
        ("X9(4)", "X_9^{(4)}"),
        ("X9(0-)", "X_9^{(0-)}"),
        ("J10(1)", "J_{10}^{(1)}"),
        ("P8", "P_8"),
        ("A10", "A_{10}"),
        ("D11+", "D_{11}^+"),
        ("E14-", "E_{14}^-"),
        ("Z11", "Z_{11}"),
        ("X11(+-+)", "X_{11}^{(+-+)}"),
        ("J11+", "J_{11}^+"),
        ("Y[1,2](+-)", "Y_{1,2}^{(+-)}"),
        ("Y[1,1](~+)", "Y_{1,1}^{(~+)}"),
        ("Y[1,3]-", "Y_{1,3}^-"),
    ],
)
def test_labels_and_latex(label, latex):
    form = normal_form(label)
    assert (form.label, form.latex) == (label, latex)
    assert normal_form(*parse_label(label)) == form


def test_simple_normal_forms_order_and_content():
    labels = [f.label for f in simple_normal_forms()]
    assert labels == [
        "A1+",
        "A1-",
        "A2",
        "A3+",
        "A3-",
        "A4",
        "A5+",
        "A5-",
        "A6",
        "A7+",
        "A7-",
        "A8",
        "D4+",
        "D4-",
        "D5+",
        "D5-",
        "D6+",
        "D6-",
        "D7+",
        "D7-",
        "D8+",
        "D8-",
        "E6+",
        "E6-",
        "E7",
        "E8",
    ]
    unimodal = ["X9(4)", "X9(2)", "X9(0+)", "X9(0-)", "J10(1)", "J10(3)", "P8"]
    assert [f.label for f in normal_forms()] == labels + unimodal
    types = list(dict.fromkeys(f.type for f in simple_normal_forms(10)))
    assert types == [f"A{k}" for k in range(1, 11)] + [f"D{k}" for k in range(4, 11)] + ["E6", "E7", "E8"]
    assert not any(f.family == "E" for f in simple_normal_forms(5))


def test_expressions_and_weights_from_the_literature():
    x, y, z = sympy.symbols("x y z")
    a = sympy.Symbol("a")
    assert normal_form("D", 6, "+").expression == x**2 * y + y**5
    assert normal_form("D", 6, "+").weights == (sympy.Rational(2, 5), sympy.Rational(1, 5))
    assert normal_form("E", 7).expression == x**3 + x * y**3
    assert normal_form("P", 8).expression == x**3 + y**3 + z**3 + a * x * y * z
    assert normal_form("X9(2)").expression == x**4 + a * x**2 * y**2 - y**4


@pytest.mark.parametrize(
    "args, message",
    [
        (("Q", 13), "unknown type Q13"),
        (("U", 11), "unknown type U11"),
        (("D", 3), "unknown type D3"),
        (("A", 0), "unknown type A0"),
        (("E", 9), "unknown type E9"),
        (("E", 15), "unknown type E15"),
        (("Z", 14), "unknown type Z14"),
        (("W", 11), "unknown type W11"),
        (("A", 3), "real forms '+', '-'"),
        (("D", 4, "0"), "no real form '0'"),
        (("X9(5)",), "no real form '5'"),
        (("A3*",), "cannot read"),
        ((7,), "cannot read"),
        (("Y", (0, 2)), "pair of integers r, s >= 1"),
        (("Y", 12), "pair of integers r, s >= 1"),
        (("Y[1,2]",), "real forms '++', '+-', '-+', '--'"),
        (("Y[1,2](~+)",), "no real form '~+'"),
    ],
)
def test_unknown_types_and_real_forms_are_refused(args, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        normal_form(*args)


def test_milnor_number_from_weights_refuses_bad_weights():
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        milnor_number_from_weights([1, "1/2"])
    with pytest.raises(TypeError):
        milnor_number_from_weights([0.5])


@pytest.mark.parametrize("form", ALL + BEYOND, ids=lambda f: f.label)
def test_result_protocol(form):
    data = json.loads(form.to_json())
    assert data["kind"] == "normal_form" and data["label"] == form.label
    assert sympy.sympify(data["expression"]) == form.expression
    assert NormalForm.from_dict(data) == form
    assert form.label in str(form) and form.to_latex().startswith(r"\begin{array}")


def test_floats_are_refused():
    with pytest.raises(TypeError):
        NormalForm("A", 2, None, sympy.Float(1.5) * sympy.Symbol("x") ** 3, 2, 0, (sympy.Rational(1, 3),), 1)


Y_FORMS = y_normal_forms(13)


@pytest.mark.parametrize("form", [f for f in Y_FORMS if "~" not in f.real_form], ids=lambda f: f.label)
def test_y_milnor_number_by_kouchnirenko(form):
    # Y(r,s): +-x^2 y^2 + d x^(4+r) + a y^(4+s): two Newton edges through (2,2), binomial face polynomials with
    # nonzero coefficients, so Kouchnirenko applies; mu(T(2,4+r,4+s)) = 2 + (4+r) + (4+s) - 1 (AGZV I, 16.2)
    r, s = form.index
    mu, vertices = _kouchnirenko(form, 1 if form.admits(1) else -1)
    assert mu == form.milnor_number == 9 + r + s
    assert vertices == [(0, 4 + s), (2, 2), (4 + r, 0)]


@pytest.mark.parametrize("form", [f for f in Y_FORMS if "~" in f.real_form], ids=lambda f: f.label)
def test_y_tilde_milnor_number_in_complex_coordinates(form):
    # Y~_r: +-(x^2 + y^2)^2 + a x^(4+r) is not Newton non-degenerate in x, y (the face (x^2 + y^2)^2), and the
    # Milnor algebra of the whole plane counts the other critical points too.  In u = x + i y, v = x - i y (a
    # linear change over C keeps the local mu) it is +-u^2 v^2 + a 2^-(4+r) (u + v)^(4+r): the lower Newton
    # polygon is (0, 4+r), (2, 2), (4+r, 0) with binomial faces, so Kouchnirenko gives mu = 9 + 2 r
    u, v = sympy.symbols("u v")
    x, y = form.variables
    r, _ = form.index
    moved = sympy.expand(form.expression.xreplace({x: (u + v) / 2, y: (u - v) / (2 * sympy.I)}))
    mu, vertices = _kouchnirenko(SimpleNamespace(expression=moved, variables=(u, v)), 1)
    assert mu == form.milnor_number == 9 + 2 * r
    assert vertices == [(0, 4 + r), (2, 2), (4 + r, 0)]


def test_y_real_forms():
    # the sign of x^2 y^2 always; the sign of x^(4+r) / y^(4+s) only for an even power; for r = s the two lines
    # are swapped by x <-> y, so "+-" and "-+" are one form; Y~_r (complex-conjugate lines) only for r = s
    assert [f.real_form for f in real_forms("Y[1,1]")] == ["+", "-", "~+", "~-"]
    assert [f.real_form for f in real_forms("Y[1,2]")] == ["++", "+-", "-+", "--"]
    assert [f.real_form for f in real_forms("Y[1,3]")] == ["+", "-"]
    assert [f.real_form for f in real_forms("Y[2,2]")] == ["+++", "++-", "+--", "-++", "-+-", "---", "~+", "~-"]
    assert len(real_forms("Y[2,4]")) == 8 and len(real_forms("Y[2,3]")) == 4
    x, y = sympy.symbols("x y")
    a = sympy.Symbol("a")
    assert normal_form("Y", (2, 1), "+-") == normal_form("Y[1,2](+-)")
    assert normal_form("Y[1,2](+-)").expression == x**2 * y**2 + x**5 + a * y**6
    assert normal_form("Y[1,2](+-)").admits(-1) and not normal_form("Y[1,2](+-)").admits(1)
    assert normal_form("Y[2,2](~-)").expression == -((x**2 + y**2) ** 2).expand() + a * x**6
    assert all(f.weights is None and f.modality == 1 and f.corank == 2 for f in Y_FORMS)


@pytest.mark.parametrize("form", Y_FORMS, ids=lambda f: f.label)
def test_y_result_protocol(form):
    data = json.loads(form.to_json())
    assert data["label"] == form.label and NormalForm.from_dict(data) == form


BIMODAL = bimodal_normal_forms()


@pytest.mark.parametrize("form", BIMODAL, ids=lambda f: f.label)
def test_bimodal_principal_part_degree_one_and_the_moduli_terms_above(form):
    # principal part quasi-homogeneous of degree 1; the moduli terms a m and b y m have weighted degree > 1;
    # mu = prod(1/w - 1) (Milnor-Orlik) equals the dimension of the Milnor algebra of the principal part
    # (quasi-homogeneous: the only critical point is 0) and the tabulated mu (AGZV I, 16.2: E18..W18)
    principal = form.expression.subs({MODULUS: 0, SECOND_MODULUS: 0})
    degree = lambda m: sum(e * w for e, w in zip(m, form.weights))  # noqa: E731
    assert all(degree(m) == 1 for m in sympy.Poly(principal, *form.variables).monoms())
    moduli = sympy.expand(form.expression - principal)
    a_part = sympy.Poly(moduli.coeff(MODULUS), *form.variables).monoms()
    b_part = sympy.Poly(moduli.coeff(SECOND_MODULUS), *form.variables).monoms()
    assert len(a_part) == len(b_part) == 1 and degree(a_part[0]) > 1
    assert b_part[0] == (a_part[0][0], a_part[0][1] + 1)  # (a + b y) * monomial
    assert form.milnor_number == milnor_number_from_weights(form.weights) == form.index
    assert _milnor_algebra_dimension(principal, form.variables) == form.milnor_number
    assert form.modality == 2 and form.corank == 2


def test_bimodal_real_forms():
    # an even power's sign is invariant (x -> l x, y -> m y scale by l^even > 0 or m^even > 0); the other sign
    # is flipped by x -> -x or y -> -y: E18 (y^10), Z17 (y^8), W17, W18 (x^4) have two real forms
    assert [f.label for f in BIMODAL] == [
        "E18+", "E18-", "E19", "E20", "Z17+", "Z17-", "Z18", "Z19", "W17+", "W17-", "W18+", "W18-",
    ]  # fmt: skip
    assert NormalForm.from_dict(normal_form("W18-").to_dict()) == normal_form("W18-")
