"""Arnold's determinator: normal forms, forms with higher terms, disguised forms, invariants, negative controls.

The expected types come from the normal-form table (singularities.local.normal_forms,
checked against the literature in tests/test_normal_forms.py), never from
classify's own output.
"""

import random

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import singularities as sg
from singularities.local.classify import classify, quartic_j_invariant, real_linear_factors
from singularities.local.normal_forms import simple_normal_forms

SIMPLE = simple_normal_forms(8)
x, y, z, w, v = sympy.symbols("x y z w v")


def _expected(form):
    return form.family, form.index, form.real_form


@pytest.mark.parametrize("form", SIMPLE, ids=lambda f: f.label)
def test_every_simple_normal_form(form):
    extra = [w, v][: 2 - form.corank] if form.corank < 2 else []
    g = form.expression + sum(u**2 for u in extra)
    c = classify(g, variables=tuple(form.variables) + tuple(extra))
    if form.family == "A" and form.index == 1:
        # One-variable Morse form +-x^2 plus w^2: corank 0, Morse index 0 or 1.
        assert (c.family, c.index, c.corank) == ("A", 1, 0)
        assert c.morse_index == (1 if form.real_form == "-" else 0)
        return
    assert (c.family, c.index, c.real_form_label) == _expected(form)
    assert c.milnor_number == form.milnor_number and c.modality == 0 and c.corank == form.corank


def _higher_terms(form, rng, count=3):
    """Monomials of weighted degree > 1 for the form's weights (a monomial of the form times one or two
    variables): they never change a semi-quasihomogeneous type (AGV I, section 12)."""
    monomials = sympy.Add.make_args(form.expression)
    terms = []
    for _ in range(count):
        factor = sympy.Mul(*(rng.choice(form.variables) for _ in range(rng.randint(1, 2))))
        terms.append(rng.choice([-2, -1, 1, 3]) * factor * rng.choice(monomials) / rng.choice([1, 2]))
    return sympy.Add(*terms)


@pytest.mark.parametrize("form", [f for f in SIMPLE if f.index > 1], ids=lambda f: f.label)
def test_higher_order_terms_do_not_change_the_type(form):
    rng = random.Random(form.label)
    c = classify(form.expression + _higher_terms(form, rng), variables=form.variables)
    assert (c.family, c.index, c.real_form_label) == _expected(form)


def _disguise(g, variables, rng, morse):
    """g plus +-Morse squares, then an invertible polynomial change of all coordinates (linear part unimodular)."""
    names = list(variables) + morse
    g = g + sum(s * u**2 for s, u in zip([1, -1, 1], morse))
    n = len(names)
    matrix = sympy.eye(n)
    for _ in range(3 if n > 1 else 0):
        i, j = rng.sample(range(n), 2)
        matrix = matrix * (
            sympy.eye(n) + rng.choice([-1, 1, 2]) * sympy.Matrix(n, n, lambda a, b: int((a, b) == (i, j)))
        )
    image = list(matrix * sympy.Matrix(names))
    image = [e + rng.choice([0, 1, -1]) * names[rng.randrange(n)] * names[rng.randrange(n)] for e in image]
    return sympy.expand(g.xreplace(dict(zip(names, image)))), names


def _check_disguised(form, seed, extra):
    rng = random.Random(seed)
    morse = [z, w, v][:extra] if form.corank == 1 else [w, v][:extra]
    g, names = _disguise(form.expression, form.variables, rng, morse)
    c = classify(g, variables=names)
    assert (c.family, c.index, c.real_form_label) == _expected(form)
    assert c.inertia == (sum(1 for s in [1, -1, 1][:extra] if s > 0), sum(1 for s in [1, -1, 1][:extra] if s < 0))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([f for f in SIMPLE if 1 < f.milnor_number <= 6]), st.integers(0, 10**6), st.integers(0, 2))
def test_classification_is_invariant_under_coordinate_changes(form, seed, extra):
    _check_disguised(form, seed, extra)


@pytest.mark.slow
@pytest.mark.parametrize("form", [f for f in SIMPLE if f.index > 1], ids=lambda f: f.label)
@pytest.mark.parametrize("seed", [0, 1])
def test_every_simple_type_survives_a_disguise(form, seed):
    _check_disguised(form, seed, 2)


@pytest.mark.parametrize(
    "g, real_form",
    [
        # x^4 + y^4: no real lines, positive definite.
        ("x**4 + y**4", "0+"),
        ("-x**4 - 3*y**4", "0-"),
        # x^4 - y^4 = (x - y)(x + y)(x^2 + y^2): two real lines.
        ("x**4 - y**4", "2"),
        # x y (x - y)(x + y): four real lines.
        ("x**3*y - x*y**3", "4"),
    ],
)
def test_x9_real_forms_count_real_lines(g, real_form):
    c = classify(g)
    assert (c.type, c.real_form_label, c.modality) == ("X9", real_form, 1)


def test_x9_modulus_is_a_coordinate_invariant():
    # The j-invariant of a binary quartic is unchanged by linear changes of coordinates.
    quartic = x**4 - 3 * x**2 * y**2 + 2 * y**4 + x * y**3
    moved = sympy.expand(quartic.xreplace({x: 2 * x + y, y: x - y}))
    assert quartic_j_invariant(quartic, x, y) == quartic_j_invariant(moved, x, y)
    assert classify(quartic).modulus == classify(moved + x**5).modulus
    # x^4 + y^4 has harmonic roots (j = 1728); x^4 - x y^3 equianharmonic (j = 0).
    assert quartic_j_invariant(x**4 + y**4, x, y) == 1728 and quartic_j_invariant(x**4 - x * y**3, x, y) == 0


def test_real_lines_helper():
    assert real_linear_factors(x**2 * y - y**3, x, y) == 3 and real_linear_factors(x**2 * y + y**3, x, y) == 1


@pytest.mark.parametrize(
    "g",
    [
        "x**2*y**2",  # non-isolated
        "x**4 + 2*x**2*y**2 + y**4",  # (x^2 + y^2)^2: quartic with repeated factors, mu infinite
        "x**2*y + y**9",  # D10: beyond the simple table up to 8 is fine, but must be D10 or not simple
        "x**4 + y**5",  # zero 3-jet, quartic x^4 with a repeated factor: beyond X9 (mu = 12)
        "x**3 + y**7",  # E12: corank 2, cubic x^3, not E6/E7/E8/J10
        "x**3 + x*y**5",  # J-series beyond J10? x^3 + x y^5: weighted (1/3,2/15): mu = 2*13/2 = 13 (E13)
        "x**4 + y**4 + z**4",  # corank 3 with zero 3-jet: not P8
    ],
)
def test_non_simple_points_never_get_a_simple_type(g):
    c = classify(g)
    assert c.family is None or c.modality != 0 or (c.family, c.index) == ("D", 10)
    if c.family is None:
        assert "not simple" in c.reason


def test_x3_plus_y7_is_not_simple_and_reports_mu():
    # x^3 + y^7 is quasi-homogeneous with weights (1/3, 1/7): mu = 2 * 6 = 12 (E12).
    c = classify("x**3 + y**7")
    assert c.family is None and c.milnor_number == 12


def test_non_critical_point_is_refused():
    with pytest.raises(sg.NotCriticalError, match="not critical"):
        classify("x**2 + y", point="0,0")


def test_monkey_saddle_at_a_shifted_point():
    # (x - 1)^3 - 3 (x - 1)(y + 2)^2 at (1, -2): a D4- point with value 0.
    c = classify("(x - 1)**3 - 3*(x - 1)*(y + 2)**2 + 5", point="1,-2")
    assert (c.label, c.value, c.normal_form) == ("D4-", 5, x**2 * y - y**3)


def test_opens_gives_the_side_of_a_definite_point():
    assert classify("x**4 + y**2").opens == "above"
    assert classify("-x**2 - y**4 - z**2").opens == "below"
    assert classify("x**4 - y**2").opens == "both"
    assert classify("x**3 + y**2").opens == "both"


def test_analytic_input():
    # 1 - cos(x) - y^2 / 2 ... at 0: x^2/2 - y^2/2 - x^4/24: a Morse saddle of index 1.
    assert classify("1 - cos(x) - y**2/2").morse_index == 1
    # cos(x) + cos(y) + cos(x + y) has a degenerate point? At (0, 0) it is a maximum (Morse index 2).
    assert classify("cos(x) + cos(y) + cos(x + y)").morse_index == 2
