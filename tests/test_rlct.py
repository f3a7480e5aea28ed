"""rlct() against the catalogue of hand-derived truths (tests/catalogue.py).

Settled rows must come out PROVEN with the catalogue's lambda and m; no row
may ever come out PROVEN with a different value; a BOUND must bound the truth.
"""

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import singularities as sg
from singularities import Status

from catalogue import NEWTON_DATA_ONLY, TRUTHS, rational

SETTLED = [t for t in TRUTHS if t.newton_settles]
UNSETTLED = [t for t in TRUTHS if not t.newton_settles]


def _rlct(truth):
    return sg.rlct(truth.function, variables=",".join(truth.variables), timeout=60)


@pytest.mark.parametrize("truth", TRUTHS + NEWTON_DATA_ONLY, ids=lambda t: t.name)
def test_newton_data(truth):
    P = sg.newton_polyhedron(truth.function, variables=",".join(truth.variables))
    assert P.newton_distance == sympy.Rational(rational(truth.newton_distance))
    assert P.codimension == truth.codimension


@pytest.mark.parametrize("truth", SETTLED, ids=lambda t: t.name)
def test_settled_rows_are_proven_and_right(truth):
    result = _rlct(truth)
    assert result.status is Status.PROVEN, result.certificate.reason
    assert (result.threshold, result.multiplicity) == (sympy.Rational(rational(truth.threshold)), truth.multiplicity)


@pytest.mark.parametrize("truth", UNSETTLED, ids=lambda t: t.name)
def test_unsettled_rows_are_never_confidently_wrong(truth):
    result = _rlct(truth)
    expected = sympy.Rational(rational(truth.threshold))
    if result.status is Status.PROVEN:
        assert (result.threshold, result.multiplicity) == (expected, truth.multiplicity)
    else:
        assert result.status is Status.BOUND and result.multiplicity is None
        assert expected <= result.threshold


@pytest.mark.parametrize("truth", [t for t in SETTLED if len(t.variables) <= 3 and t.sign_changing], ids=lambda t: t.name)
def test_squaring_halves_lambda_and_keeps_m(truth):
    # K = f^2: |K|^s = |f|^(2s), so lambda_K = lambda_f / 2 with the same m.
    squared = sg.rlct(f"({truth.function})**2", variables=",".join(truth.variables), timeout=60)
    assert squared.status is Status.PROVEN
    assert squared.threshold == sympy.Rational(rational(truth.threshold)) / 2
    assert squared.multiplicity == truth.multiplicity


@pytest.mark.parametrize("truth", [t for t in SETTLED if len(t.variables) == 2], ids=lambda t: t.name)
@settings(max_examples=4, deadline=None)
@given(a=st.sampled_from([1, -1, 2, sympy.Rational(1, 3), -sympy.Rational(3, 2)]),
       b=st.sampled_from([1, -2, 3, sympy.Rational(2, 5)]), swap=st.booleans())
def test_rlct_is_invariant_under_scaling_and_permuting(truth, a, b, swap):
    x, y = sympy.symbols(truth.variables)
    g = sympy.sympify(truth.function, locals={"x": x, "y": y})
    changed = sympy.expand(g.xreplace({x: a * y, y: b * x} if swap else {x: a * x, y: b * y}))
    result = sg.rlct(changed, variables=truth.variables, timeout=60)
    assert result.status is Status.PROVEN
    assert (result.threshold, result.multiplicity) == (sympy.Rational(rational(truth.threshold)), truth.multiplicity)


@pytest.mark.parametrize("g", ["x**2*y**2", "x**2 - y**2", "(x**2 - y**2)**2", "(y - x**2)**2 + x**5", "t*x**2 + y**4"])
def test_json_round_trip(g):
    import json

    result = sg.rlct(g, parameters="t=2" if "t" in g else None)
    rebuilt = sg.RLCT.from_dict(json.loads(result.to_json()))
    assert rebuilt == result
    assert rebuilt.certificate == result.certificate


def test_bound_reports_no_multiplicity_and_refuses_free_energy():
    result = sg.rlct("(y - x**2)**2 + x**5", method="newton")
    assert result.multiplicity is None
    with pytest.raises(ValueError, match="bound"):
        result.free_energy_terms(100)


@pytest.mark.parametrize(
    "g, threshold, multiplicity",
    [
        # A positive definite quadratic form in 3 variables: vol{Q < e} = c e^(3/2).
        ("x**2 + x*y + y**2 + z**2", sympy.Rational(3, 2), 1),
        # An indefinite non-degenerate form in 3 variables (a 3D Morse saddle): lambda 1, m 1.
        ("x**2 + x*y + y**2 - z**2", 1, 1),
        # Weighted homogeneous, positive on R^3 minus 0 (AM-GM), weights 1/4 each: lambda 3/4.
        ("x**4 + y**4 + z**4 - x*y*z**2", sympy.Rational(3, 4), 1),
        # (x - sqrt(2) y)^2 = u^2 after u = x - sqrt(2) y: lambda 1/2, m 1.
        ("(x - sqrt(2)*y)**2", sympy.Rational(1, 2), 1),
        # x^2 + sqrt(2) x y + y^2 is positive definite (2 < 4): lambda 1, m 1.
        ("x**2 + sqrt(2)*x*y + y**2", 1, 1),
        # x^2 + sqrt(5) x y + y^2 is a product of two real independent lines: lambda 1, m 2.
        ("x**2 + sqrt(5)*x*y + y**2", 1, 2),
        # y^2 + (exp(x^18) - 1) = y^2 + x^18 + ...: lambda = 1/2 + 1/18 = 5/9.
        ("y**2 + exp(x**18) - 1", sympy.Rational(5, 9), 1),
        # A unit (1 + x) does not move the poles: (x + y)^2 (1 + x) ~ u^2: lambda 1/2, m 1.
        ("(x + y)**2*(1 + x)", sympy.Rational(1, 2), 1),
        # (x^2 - y^2)^2 (2 + y): lambda(x^2 - y^2)/2 = 1/2 with m 2 (from uv).
        ("(x**2 - y**2)**2*(2 + y)", sympy.Rational(1, 2), 2),
    ],
)
def test_further_hand_derived_cases(g, threshold, multiplicity):
    result = sg.rlct(g)
    assert result.status is Status.PROVEN
    assert (result.threshold, result.multiplicity) == (threshold, multiplicity)


def test_product_of_three_real_lines_with_irrational_slopes_is_never_proven_wrong():
    # g = prod_i (x + r_i y + r_i^2 z) over the three real roots r_i of r^3 - 3r + 1
    # (the resultant Res_r(r^3 - 3r + 1, x + r y + r^2 z)).  The forms are
    # independent (Vandermonde), so g = u v w in linear coordinates: (1, 3).
    # The singular zeros of the face are real but sympy writes them with I.
    g = "x**3 + 6*x**2*z - 3*x*y**2 + 3*x*y*z + 9*x*z**2 - y**3 + 3*y*z**2 + z**3"
    r = sympy.Symbol("r")
    x, y, z = sympy.symbols("x y z")
    assert sympy.expand(sympy.resultant(r**3 - 3*r + 1, x + r*y + r**2*z, r) - sympy.sympify(g)) == 0
    result = sg.rlct(g, timeout=120)
    if result.status is Status.PROVEN:
        assert (result.threshold, result.multiplicity) == (1, 3)
    else:
        assert result.threshold >= 1




# --- theorem Q through the classification (docs/conventions.md#theorems-the-package-applies) ----

@pytest.mark.parametrize("g, threshold, multiplicity", [
    # (y - x^2)^2 + x^5: u = y - x^2 (Jacobian 1) gives u^2 + x^5, definite, d = 1/2 + 1/5 (hand: catalogue row
    # degenerate_*; docs/conventions.md "Example of a bound")
    ("(y - x**2)**2 + x**5", sympy.Rational(7, 10), 1),
    # E6 in disguise: X = x + y (Jacobian 1) gives X^3 + y^4, lambda = 1/3 + 1/4 (catalogue E6 row), m = 1
    ("(x + y)**3 + y**4", sympy.Rational(7, 12), 1),
    # D6 in disguise: X = x + y gives X^2 y + y^5 + (higher weighted order): 1/2 + 1/(2*6 - 2) = 3/5
    ("(x + y)**2*y + y**5 + x**6", sympy.Rational(3, 5), 1),
])
def test_principal_part_settles_what_newton_leaves_bounded(g, threshold, multiplicity):
    assert sg.rlct(g, method="newton").status is not sg.Status.PROVEN
    result = sg.rlct(g)
    assert (result.status, result.threshold, result.multiplicity, result.method) == (sg.Status.PROVEN, threshold, multiplicity, "principal part")
    again = sg.RLCT.from_dict(result.to_dict())
    assert again.certificate == result.certificate


def test_principal_part_method_refuses_what_it_cannot_classify():
    with pytest.raises(sg.MethodNotApplicableError):
        sg.rlct("x**2*y**2", method="principal part")


def test_auto_settles_by_blowups_what_newton_and_the_classification_leave_bounded():
    # (x - y^2)^3 + y^7: in X = x - y^2 (Jacobian 1) this is X^3 + y^7 (E12, beyond the implemented types), so
    # Newton gives only a bound and theorem Q does not apply.  By hand ([X] of tests/catalogue.py with k = 3):
    # lambda = 1/3 + 1/7 = 10/21 < 1, m = 1.  The blow-up search (theorem B) proves it.
    assert sg.rlct("(x - y**2)**3 + y**7", method="newton").status is sg.Status.BOUND
    result = sg.rlct("(x - y**2)**3 + y**7")
    assert (result.status, result.threshold, result.multiplicity, result.method) == (
        sg.Status.PROVEN, sympy.Rational(10, 21), 1, "blowup")
