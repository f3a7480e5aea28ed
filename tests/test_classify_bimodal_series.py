"""The bimodal series of corank 2: J[3,p], Z[1,p], W[1,p], W#[1,q] (AGZV I, 16.2; classify.lib's pair labels).

Expected values are derived in the comments.  Milnor numbers: the p = 0 members are quasi-homogeneous,
mu = prod(1/w_i - 1) (Milnor-Orlik): J[3,0] x^3 + y^9, weights (1/3, 1/9): 2 * 8 = 16; Z[1,0] y (x^3 + y^6),
3a + b = 1, b = 1/7: (2/7, 1/7), (5/2) * 6 = 15; W[1,0] x^4 + y^6: 3 * 5 = 15.  The others follow Arnold's
table (mu(J[3,p]) = 16 + p, mu(Z[1,p]) = mu(W[1,p]) = 15 + p, mu(W#[1,q]) = 15 + q) and each is also checked
against an independent Milnor number (algebra.local_rings, the dimension of the local Milnor algebra).
Kouchnirenko for J[3,p] = x^3 + x^2 y^3 + y^(9+p): the polygon (3,0), (2,3), (0,9+p) has 2 V = 9 + 2 (9 + p),
so mu = 2V - 3 - (9 + p) + 1 = 16 + p.
"""

import random
import re

import pytest
import sympy
from test_classify_bimodal import _disguise, _triple  # the same 4-variable disguise and label triple

from singularities.algebra.local_rings import local_milnor_number
from singularities.errors import InputError
from singularities.local.adjacency import _series_target, adjacency, deforms_into
from singularities.local.classify import Classification, classify
from singularities.local.normal_forms import (
    MODULUS,
    SECOND_MODULUS,
    bimodal_series_normal_forms,
    milnor_number_from_weights,
    normal_form,
    parse_label,
)
from singularities.local.normal_forms import real_forms as real_forms_of
from singularities.physics.dos import dos_asymptotics
from singularities.reports.catalogue import catalogue

x, y, w, v = sympy.symbols("x y w v")
SERIES = bimodal_series_normal_forms(17)


def _arnold_mu(family, index):
    # AGZV I, 16.2: J_(3,p) 16 + p; Z_(1,p), W_(1,p) 15 + p; W#_(1,2q-1) 15 + 2q - 1, W#_(1,2q) 15 + 2q
    return {"J": 16, "Z": 15, "W": 15, "W#": 15}[family] + index[1]


def _specialised(form, b=-2):
    a = next(value for value in (1, -1, 3, -3) if form.admits(value))
    return form.expression.subs({MODULUS: a, SECOND_MODULUS: b})


def test_the_series_table_has_every_member_up_to_mu_16():
    # mu <= 16: J[3,0] (16), Z[1,0] (15), Z[1,1] (16), W[1,0] (15), W[1,1] (16), W#[1,1] (16)
    types = sorted({f.type for f in bimodal_series_normal_forms(16)})
    assert types == ["J[3,0]", "W#[1,1]", "W[1,0]", "W[1,1]", "Z[1,0]", "Z[1,1]"]


@pytest.mark.parametrize("form", SERIES, ids=lambda f: f.label)
def test_milnor_numbers_are_arnolds_and_the_algebras(form):
    assert (form.milnor_number, form.modality, form.corank) == (_arnold_mu(form.family, form.index), 2, 2)
    if form.weights is not None:  # the p = 0 members: Milnor-Orlik
        assert milnor_number_from_weights(form.weights) == form.milnor_number
    mu, _ = local_milnor_number(_specialised(form), (x, y), form.milnor_number + 2)
    assert mu == form.milnor_number


@pytest.mark.parametrize("form", SERIES, ids=lambda f: f.label)
def test_every_series_normal_form(form):
    c = classify(_specialised(form), variables=(x, y))
    assert _triple(c) == (form.family, form.index, form.real_form)
    assert (c.milnor_number, c.modality, c.corank) == (form.milnor_number, 2, 2)
    # the p = 0 members are semi-quasihomogeneous (a core with the table's weights); the others have two
    # Newton edges and no weights
    assert c.weights == form.weights and (c.principal_part is not None) == (form.weights is not None)


@pytest.mark.slow
@pytest.mark.parametrize("form", bimodal_series_normal_forms(20)[len(SERIES) :], ids=lambda f: f.label)
def test_every_series_normal_form_up_to_mu_20(form):
    c = classify(_specialised(form), variables=(x, y))
    assert _triple(c) == (form.family, form.index, form.real_form)
    assert c.milnor_number == _arnold_mu(form.family, form.index)


def _above(form, rng):
    """Three terms above the Newton polygon of the form: monomials of the form times x, y (or x^2 for W#)."""
    principal = _specialised(form)
    if form.family == "W#":
        # (x^2 + y^3)^2 + a m: on the cusp x = t^3, y = -t^2, x m, y m, x^2 m have a higher order than m
        monomials = [sympy.Poly(form.expression.coeff(MODULUS), x, y).as_expr()]
        factors = (x, y, x**2)
    else:
        monomials = sympy.Add.make_args(principal)
        factors = (x, y)
    return sum(rng.choice([-2, 1, 3]) * rng.choice(factors) * rng.choice(monomials) for _ in range(3))


@pytest.mark.parametrize("form", SERIES, ids=lambda f: f.label)
def test_terms_above_the_newton_polygon_keep_the_type(form):
    rng = random.Random(form.label)
    higher = _above(form, rng)
    if form.weights is not None:  # semi-quasihomogeneous: weighted degree > 1 (AGZV I, section 12)
        assert all(sum(e * wt for e, wt in zip(m, form.weights)) > 1 for m, _ in sympy.Poly(higher, x, y).terms())
    c = classify(_specialised(form) + higher, variables=(x, y))
    assert _triple(c) == (form.family, form.index, form.real_form)


@pytest.mark.parametrize(
    "g, label, modulus",
    [
        # J[3,0]: the modulus is the j-invariant of Z W(X, Z).  x^3 + y^9: Z (X^3 + Z^3) has the roots infinity and
        # the three cube roots of -1, an equianharmonic set: j = 0; X^3 + Z^3 has one real root: real form "1"
        ("x**3 + y**9", "J[3,0](1)", 0),
        # x^3 - x y^6: Z X (X - Z)(X + Z), roots infinity, 0, 1, -1: harmonic, j = 1728; three real roots
        ("x**3 - x*y**6", "J[3,0](3)", 1728),
        # Z[1,0]: y W(x, y^2), the same invariant of W: x^3 y + y^7 (W = X^3 + Z^3) and x^3 y - x y^5
        ("x**3*y + y**7", "Z[1,0](1)", 0),
        ("x**3*y - x*y**5", "Z[1,0](3)", 1728),
        # W[1,0]: modulus B^2 / (A C) of A x^4 + B x^2 y^3 + C y^6.  x^4 + 3 x^2 y^3 + y^6: 9; t^2 + 3 t + 1 has two
        # real roots (discriminant 5): "++2"
        ("x**4 + 3*x**2*y**3 + y**6", "W[1,0](++2)", 9),
        # x^4 + x^2 y^3 + y^6 = (x^2 + y^3/2)^2 + 3/4 y^6 > 0: "++0", modulus 1
        ("x**4 + x**2*y**3 + y**6", "W[1,0](++0)", 1),
        # -x^4 + x^2 y^3 + 2 y^6: signs -, +, modulus 1 / (-2)
        ("-x**4 + x**2*y**3 + 2*y**6", "W[1,0](-+)", sympy.Rational(-1, 2)),
    ],
)
def test_moduli_and_real_forms_of_the_quasi_homogeneous_members(g, label, modulus):
    c = classify(g, variables=(x, y))
    assert (c.label, c.modulus) == (label, modulus)


@pytest.mark.parametrize(
    "g, label",
    [
        # linear change x -> x + y of J[3,0](3): the line of the cube moves, the type and real form stay
        ("(x + y)**3 - (x + y)*y**6", "J[3,0](3)"),
        # E18's near miss (the cube (x + y^3)^3 broken): X^3 + 2 X^2 Z + 3 X Z^2 + Z^3 has discriminant
        # b^2 c^2 - 4 c^3 - 4 b^3 d - 27 d^2 + 18 b c d = 36 - 108 - 32 - 27 + 108 = -23 < 0 (one real root)
        ("x**3 + 2*x**2*y**3 + 3*x*y**6 + y**9 + y**10", "J[3,0](1)"),
        # J[3,p]: x^3 + x^2 y^3 + 2 x y^7 + y^11.  On the polar branch x = -y^4 - 3/2 y^5 - ... of dh/dx = 0,
        # h = -y^12 - 9/4 y^13 - ... (the y^11 terms cancel: x^2 y^3 + 2 x y^7 gives y^11 - 2 y^11): 9 + p = 12
        ("x**3 + x**2*y**3 + 2*x*y**7 + y**11", "J[3,3]"),
        # adding y^12 cancels the y^12 on the branch too: h = -9/4 y^13, p = 4 even, the sign of a is a real form
        # (a < 0: real branches x^2 ~ -a y^10 near the y axis)
        ("x**3 + x**2*y**3 + 2*x*y**7 + y**11 + y**12", "J[3,4]-"),
        # Z[1,p] after the shift x -> x + y^2 of the double root: y (x + y^2)^2 (x + 2 y^2) + y^9, p = 2, a > 0
        ("y*(x + y**2)**2*(x + 2*y**2) + y**9", "Z[1,2]+"),
        # W[1,p] with the x^2 y^3 coefficient negative: y -> -y turns it into x^4 + x^2 y^3 - y^7: a = -1 < 0
        ("x**4 - x**2*y**3 + y**7", "W[1,1](+-)"),
        # W#: the square of the cusp after x -> x + y: ((x + y)^2 + y^3)^2 + (x + y) y^5, q = 1
        ("((x + y)**2 + y**3)**2 + (x + y)*y**5", "W#[1,1]+"),
        # (x^2 + y^3)^2 + x^2 y^4 + 2 x y^6: on the cusp x^2 y^4 has order 14 and x y^6 order 15: W#[1,2] with
        # a = 1 > 0
        ("(x**2 + y**3)**2 + x**2*y**4 + 2*x*y**6", "W#[1,2](++)"),
    ],
)
def test_series_types_after_changes_and_cancellations(g, label):
    c = classify(g, variables=(x, y))
    assert c.label == label
    mu, _ = local_milnor_number(sympy.expand(sympy.sympify(g)), (x, y), 24)
    assert c.milnor_number == mu


def test_definite_real_forms_open_to_one_side():
    # x^4 + y^6 > 0 and (x^2 + y^3)^2 + x^2 y^4 > 0 away from 0 (x^2 y^4 >= 0, and both vanish only at 0)
    assert classify("x**4 + y**6", variables=(x, y)).opens == "above"
    assert classify("(x**2 + y**3)**2 + x**2*y**4", variables=(x, y)).opens == "above"
    # W#[1,4](++): (x^2 + y^3)^2 + x^2 y^5 is -t^16 < 0 on the cusp x = t^3, y = -t^2: both signs
    c = classify("(x**2 + y**3)**2 + x**2*y**5", variables=(x, y))
    assert (c.label, c.opens) == ("W#[1,4](++)", "both")
    # x^4 - 3 x^2 y^3 + y^6 vanishes on x^2 = t y^3, t = (3 +- sqrt 5)/2: both signs
    assert classify("x**4 - 3*x**2*y**3 + y**6", variables=(x, y)).opens == "both"


@pytest.mark.parametrize(
    "g, words",
    [
        # (x^2 + y^3)^2 and x^2 (x^2 + y^3) are singular along a curve: never a type
        ("(x**2 + y**3)**2", "non-isolated"),
        ("x**4 + x**2*y**3", "non-isolated"),
        ("x**3 + x**2*y**3", "non-isolated"),
        # beyond the series members' steps: x^3 + y^12 (E-side past E20), x^4 + x y^6 (past W18)
        ("x**3 + y**12", "beyond E20"),
        ("x**4 + x*y**6", "beyond W18"),
    ],
)
def test_near_misses_are_not_given_a_series_name(g, words):
    c = classify(g, variables=(x, y))
    assert c.family is None and words in c.reason


def test_labels_round_trip_and_do_not_clash_with_the_t_series():
    for form in SERIES:
        assert normal_form(form.label) == form and parse_label(form.label)[:2] == (form.family, form.index)
    # J16 is T(2,3,12) = J[2,6] (unimodal); J[3,0] also has mu 16 but is another type
    assert parse_label("J16(++)") == ("J", 16, "++") and parse_label("j[3,0](1)") == ("J", (3, 0), "1")
    assert normal_form("J16(++)").modality == 1 and normal_form("J[3,0](1)").modality == 2
    assert normal_form("W#[1,1]-").latex == "{W^{\\#}}_{1,1}^-"
    c = classify("(x**2 + y**3)**2 + x**2*y**4", variables=(x, y))
    again = Classification.from_dict(c.to_dict())
    assert (again.family, again.index, again.label) == ("W#", (1, 2), "W#[1,2](++)")


FAST_DISGUISED = ("W[1,0](+-)", "W#[1,1]-")


def _check_disguised(form, seed):
    g = _specialised(form)
    plain = classify(g, variables=(x, y))
    disguised, names = _disguise(g, random.Random(seed))
    c = classify(disguised, variables=names)
    assert _triple(c) == (form.family, form.index, form.real_form)
    assert c.inertia == (1, 1) and c.milnor_number == form.milnor_number
    assert c.modulus == plain.modulus  # the modulus is an invariant (None past the p = 0 members)


@pytest.mark.parametrize("label", FAST_DISGUISED)
def test_one_form_per_kind_survives_a_disguise(label):
    _check_disguised(normal_form(label), 0)


@pytest.mark.slow
@pytest.mark.parametrize("form", bimodal_series_normal_forms(17), ids=lambda f: f.label)
def test_every_series_form_survives_a_disguise(form):
    _check_disguised(form, 1)


# --- adjacencies along the series (local/adjacency.py): each edge has an explicit witness --------------------


@pytest.mark.parametrize(
    "label", ["J[3,1]", "J[3,2]", "Z[1,1]", "Z[1,3]", "W[1,1]", "W[1,2]", "W#[1,1]", "W#[1,2]", "W#[1,3]"]
)
@pytest.mark.parametrize("t", [sympy.Rational(1, 100), -sympy.Rational(1, 1000)])
def test_series_chain_witnesses(label, t):
    # the witness is the source's normal form (a = 1) plus t times a term of lower order on the step that decides
    # the index: a lower vertex y^(base+p-1) (J, Z, W), or a monomial of lower order on the cusp (W#); at t != 0
    # the origin is a critical point of the target type, one Milnor number lower (immediate: no type between)
    target, source = _series_target(*parse_label(label)[:2])
    witness = re.search(r"explicit deformation (.+?) of [JZW]", source).group(1)
    found = classify(sympy.sympify(witness).subs(sympy.Symbol("t"), t), variables=(x, y))
    assert found.type == target and found.milnor_number == normal_form(label + _any_form(label)).milnor_number - 1


def _any_form(label):
    form = real_forms_of(label)[0].real_form
    return "" if form is None else form if form in "+-" else f"({form})"


def test_series_adjacencies():
    assert deforms_into("J[3,2]+") == ("J[3,0]", "J[3,1]")
    result = adjacency("W#[1,2](++)")
    assert [e[:2] for e in result.edges] == [("W#[1,2]", "W#[1,1]"), ("W#[1,1]", "W[1,0]")]
    assert not result.complete  # J[3,0], Z[1,0], W[1,0] have no tabulated edges below them
    with pytest.raises(InputError, match="not tabulated"):
        adjacency("J[3,0](1)")


def test_w10_dos_exponent_and_rlct():
    # the reduced default case of the catalogue test below: x^4 - y^6 (W[1,0](+-)), d = 5/12, lambda = 5/12
    dos = dos_asymptotics("x**4 - y**6", variables=(x, y))
    assert (dos.label, dos.exponent) == ("W[1,0](+-)", sympy.Rational(-7, 12))
    assert (dos.rlct.threshold, dos.rlct.multiplicity) == (sympy.Rational(5, 12), 1)


@pytest.mark.slow
def test_catalogue_rows_of_w10():
    # W[1,0] has weights (1/4, 1/6): d = 5/12, so the DOS exponent is d - 1 = -7/12 and, with the principal part
    # non-degenerate, lambda = 1/t for the Newton distance t: 3 i + 2 j = 12 meets the diagonal at t = 12/5;
    # lambda = 5/12 < 1, m = 1.  The definite row (++0), x^4 + y^6 at a = 0, has no states below: C_- = 0.
    table = catalogue(1, families="W", max_mu=15, real_forms=True)
    rows = {e.form.label: e for e in table.entries if e.form.type == "W[1,0]"}
    assert sorted(rows) == sorted(f.label for f in bimodal_series_normal_forms(15) if f.type == "W[1,0]")
    for label, entry in rows.items():
        assert entry.classification.label == label and entry.classification.weights == (
            sympy.Rational(1, 4),
            sympy.Rational(1, 6),
        )
        assert entry.dos.exponent == sympy.Rational(-7, 12)
        assert (entry.dos.rlct.threshold, entry.dos.rlct.multiplicity) == (sympy.Rational(5, 12), 1)
    assert rows["W[1,0](++0)"].dos.c_minus == 0 and rows["W[1,0](++0)"].dos.c_plus > 0
