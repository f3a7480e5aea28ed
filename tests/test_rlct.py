"""rlct() against the catalogue of hand-derived truths (tests/catalogue.py).

Settled rows must come out PROVEN with the catalogue's lambda and m; no row
may ever come out PROVEN with a different value; a BOUND must bound the truth.
"""

import random

import pytest
import sympy
from catalogue import NEWTON_DATA_ONLY, TRUTHS, rational
from hypothesis import given, settings
from hypothesis import strategies as st

import singularities as sg
from singularities import Status

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


@pytest.mark.parametrize(
    "truth", [t for t in SETTLED if len(t.variables) <= 3 and t.sign_changing], ids=lambda t: t.name
)
def test_squaring_halves_lambda_and_keeps_m(truth):
    # K = f^2: |K|^s = |f|^(2s), so lambda_K = lambda_f / 2 with the same m.
    squared = sg.rlct(f"({truth.function})**2", variables=",".join(truth.variables), timeout=60)
    assert squared.status is Status.PROVEN
    assert squared.threshold == sympy.Rational(rational(truth.threshold)) / 2
    assert squared.multiplicity == truth.multiplicity


@pytest.mark.parametrize("truth", [t for t in SETTLED if len(t.variables) == 2], ids=lambda t: t.name)
@settings(max_examples=4, deadline=None)
@given(
    a=st.sampled_from([1, -1, 2, sympy.Rational(1, 3), -sympy.Rational(3, 2)]),
    b=st.sampled_from([1, -2, 3, sympy.Rational(2, 5)]),
    swap=st.booleans(),
)
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


@pytest.mark.slow  # 10+ s; the default run keeps the cheaper cases of this file
def test_product_of_three_real_lines_with_irrational_slopes_is_never_proven_wrong():
    # g = prod_i (x + r_i y + r_i^2 z) over the three real roots r_i of r^3 - 3r + 1
    # (the resultant Res_r(r^3 - 3r + 1, x + r y + r^2 z)).  The forms are
    # independent (Vandermonde), so g = u v w in linear coordinates: (1, 3).
    # The singular zeros of the face are real but sympy writes them with I.
    g = "x**3 + 6*x**2*z - 3*x*y**2 + 3*x*y*z + 9*x*z**2 - y**3 + 3*y*z**2 + z**3"
    r = sympy.Symbol("r")
    x, y, z = sympy.symbols("x y z")
    assert sympy.expand(sympy.resultant(r**3 - 3 * r + 1, x + r * y + r**2 * z, r) - sympy.sympify(g)) == 0
    result = sg.rlct(g, timeout=120)
    if result.status is Status.PROVEN:
        assert (result.threshold, result.multiplicity) == (1, 3)
    else:
        assert result.threshold >= 1


# --- theorem Q through the classification (docs/conventions.md#theorems-the-package-applies) ----


@pytest.mark.parametrize(
    "g, threshold, multiplicity",
    [
        # (y - x^2)^2 + x^5: u = y - x^2 (Jacobian 1) gives u^2 + x^5, definite, d = 1/2 + 1/5 (hand: catalogue row
        # degenerate_*; docs/conventions.md "Example of a bound")
        ("(y - x**2)**2 + x**5", sympy.Rational(7, 10), 1),
        # E6 in disguise: X = x + y (Jacobian 1) gives X^3 + y^4, lambda = 1/3 + 1/4 (catalogue E6 row), m = 1
        ("(x + y)**3 + y**4", sympy.Rational(7, 12), 1),
        # D6 in disguise: X = x + y gives X^2 y + y^5 + (higher weighted order): 1/2 + 1/(2*6 - 2) = 3/5
        ("(x + y)**2*y + y**5 + x**6", sympy.Rational(3, 5), 1),
    ],
)
def test_principal_part_settles_what_newton_leaves_bounded(g, threshold, multiplicity):
    assert sg.rlct(g, method="newton").status is not sg.Status.PROVEN
    result = sg.rlct(g)
    assert (result.status, result.threshold, result.multiplicity, result.method) == (
        sg.Status.PROVEN,
        threshold,
        multiplicity,
        "principal part",
    )
    again = sg.RLCT.from_dict(result.to_dict())
    assert again.certificate == result.certificate


def test_principal_part_method_refuses_what_it_cannot_classify():
    with pytest.raises(sg.MethodNotApplicableError):
        sg.rlct("x**2*y**2", method="principal part")


def test_auto_settles_by_blowups_what_newton_and_the_classification_leave_bounded():
    # (x - y^2)^3 + y^10: in X = x - y^2 (Jacobian 1) this is X^3 + y^10, beyond E14 and not named (J_(3,k)), so
    # Newton gives only a bound. The classification finds the unnamed quasi-homogeneous core X^3 + y^10 by the
    # shear x -> x + y^2 (local/principal.py), and theorem Q gives (by hand, [X] of tests/catalogue.py with
    # k = 3) lambda = 1/3 + 1/10 = 13/30 < 1, m = 1.
    assert sg.rlct("(x - y**2)**3 + y**10", method="newton").status is sg.Status.BOUND
    result = sg.rlct("(x - y**2)**3 + y**10")
    assert (result.status, result.threshold, result.multiplicity) == (sg.Status.PROVEN, sympy.Rational(13, 30), 1)
    # (x - y)^2 - z^3: the cusp u^2 - z^3 (u = x - y) along a line, not isolated, so no principal part; Newton's
    # face is degenerate. Only the blow-up search proves it: lambda = 1/2 + 1/3 = 5/6, m = 1.
    cusp = sg.rlct("(x - y)**2 - z**3")
    assert (cusp.status, cusp.threshold, cusp.multiplicity, cusp.method) == (
        sg.Status.PROVEN,
        sympy.Rational(5, 6),
        1,
        "blowup",
    )


# --- issue 12: no PROVEN answer without a passing re-check; time limits end with a bound -----------------

import dataclasses  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

from catalogue import TRUTHS as _ALL_TRUTHS  # noqa: E402
from regressions import truncating_strip_units  # noqa: E402

import singularities.thresholds.blowup as blowup  # noqa: E402
import singularities.thresholds.recheck as recheck_module  # noqa: E402
from singularities._limits import Deadline  # noqa: E402
from singularities.cli import main  # noqa: E402

RLCT_MODULE = sys.modules["singularities.thresholds.rlct"]


@pytest.mark.parametrize("method", ["auto", "blowup"])
def test_a_blowup_certificate_that_fails_its_recheck_is_never_proven(monkeypatch, method):
    # With the old unit division the search's ideal for (y/2 + z)^2 + x^2 is wrong; the certificate fails
    # recheck.  The truth is (1, 1) (tests/test_blowup.py, ISSUE_12_LOSSES), so any bound must be >= 1.
    monkeypatch.setattr(blowup, "_strip_units", truncating_strip_units)
    monkeypatch.setattr(RLCT_MODULE, "_separation_or", lambda fallback, *args: fallback)  # x is a part of its own
    result = sg.rlct("(y/2 + z)**2 + x**2", variables="x,y,z", method=method, timeout=60)
    assert result.status is Status.BOUND and result.multiplicity is None
    assert result.threshold >= 1
    assert "discarded" in result.certificate.reason and "re-check" in result.certificate.reason


def test_a_newton_certificate_with_a_wrong_polyhedron_is_discarded(monkeypatch):
    # Drop the x^2 term before the polyhedron is built: newton.py then sees y^4 alone (t = 4) and theorem N1
    # would claim (1/4, 1).  The LP re-check recomputes t = 4/3 from the true terms x^2 + y^4 (the diagonal meets
    # the edge x/2 + y/4 = 1 at t = 4/3).  Truth: A3, lambda = 1/2 + 1/4 = 3/4, m = 1.
    original = RLCT_MODULE.polyhedron_from_terms
    corrupt = lambda variables, terms, timeout=None: original(
        variables, {e: c for e, c in terms.items() if e != (2, 0)}, timeout=timeout
    )  # noqa: E731
    monkeypatch.setattr(RLCT_MODULE, "polyhedron_from_terms", corrupt)
    newton = sg.rlct("x**2 + y**4", method="newton")
    assert newton.status is Status.BOUND and newton.threshold == sympy.Rational(3, 4)  # the LP's 1/t, a valid bound
    assert "(t, c) = (4/3, 1), not (4, 1)" in newton.certificate.reason
    auto = sg.rlct("x**2 + y**4")  # the next method (theorem Q) proves the truth
    assert (auto.status, auto.threshold, auto.multiplicity) == (Status.PROVEN, sympy.Rational(3, 4), 1)


def test_a_principal_part_certificate_with_wrong_weights_is_discarded(monkeypatch):
    # (y - x^2)^2 + x^5 is A4: u^2 + x^5 with weights (1/5, 1/2), d = 7/10, sign-changing but d < 1: (7/10, 1).
    # Forge weight 1/4 for x (d = 3/4): u^2 + x^5 is then not quasi-homogeneous of degree 1.
    original = RLCT_MODULE.principal_part_rlct

    def forged(classification):
        result = original(classification)
        certificate = dataclasses.replace(
            result.certificate, weights=(sympy.Rational(1, 4), sympy.Rational(1, 2)), weight_sum=sympy.Rational(3, 4)
        )
        return dataclasses.replace(result, threshold=sympy.Rational(3, 4), certificate=certificate)

    monkeypatch.setattr(RLCT_MODULE, "principal_part_rlct", forged)
    alone = sg.rlct("(y - x**2)**2 + x**5", method="principal part")
    assert alone.status is Status.BOUND and alone.threshold >= sympy.Rational(7, 10)
    assert "not quasi-homogeneous" in alone.certificate.reason
    auto = sg.rlct("(y - x**2)**2 + x**5", timeout=60)
    assert auto.status is not Status.PROVEN or (auto.threshold, auto.multiplicity) == (sympy.Rational(7, 10), 1)


def test_lambda_infinity_is_never_proven(monkeypatch):
    # A search that returns a "complete" certificate with (oo, 0): impossible at a zero of g (lambda <= n/ord).
    def forged(result, *args):
        return None

    monkeypatch.setattr(recheck_module, "_recheck_resolution", forged)  # even if the re-check were fooled
    monkeypatch.setattr(blowup, "_strip_units", truncating_strip_units)
    monkeypatch.setattr(
        blowup, "_tidy_ideal", lambda strict: [sympy.Integer(1)] if any(s.is_number for s in strict) else strict
    )
    result = sg.rlct("(y/2 + z)**2 + x**2", variables="x,y,z", method="blowup")
    assert result.status is Status.BOUND and result.threshold.is_finite
    assert "impossible" in result.certificate.reason


@pytest.mark.parametrize("truth", _ALL_TRUTHS + NEWTON_DATA_ONLY, ids=lambda t: t.name)
def test_newton_data_by_exact_lp_match_the_catalogue(truth):
    # The re-check's own Newton distance and codimension (exact LPs, no code shared with newton.py) against the
    # catalogue's hand-derived t and c.
    from singularities.jets import local_terms

    energy = sg.Energy(truth.function, ",".join(truth.variables))
    t, c, _ = recheck_module._newton_data_by_lp(local_terms(energy), energy.variables)
    assert (t, c) == (sympy.Rational(rational(truth.newton_distance)), truth.codimension)


def test_principal_face_polynomial_by_lp():
    # x^2 + y^4 + x y^3: the diagonal meets the edge from (2, 0) to (0, 4) at t = 4/3; (1, 3) lies above that
    # edge (1/2 + 3/4 > 1), so the face polynomial is x^2 + y^4, and c = 1 (an edge).
    x, y = sympy.symbols("x y")
    t, c, face = recheck_module._newton_data_by_lp({(2, 0): 1, (0, 4): 1, (1, 3): 1}, (x, y))
    assert (t, c, face) == (sympy.Rational(4, 3), 1, x**2 + y**4)
    # x^2 y^2 + z^2... t = 1 at the vertex-free point (1, 1, 1) = ((2, 2, 0) + (0, 0, 2))/2 on an edge: c = 2.
    z = sympy.Symbol("z")
    assert recheck_module._newton_data_by_lp({(2, 2, 0): 1, (0, 0, 2): 1}, (x, y, z))[:2] == (1, 2)


def test_a_tiny_time_limit_gives_a_valid_bound_not_an_exception():
    # (w1 + ... + w8)^12 = L^12 with L linear: a smooth hypersurface with multiplicity 12, lambda = 1/12.
    # Expanding it (50388 terms) takes far longer than 0.5 s; the order at 0 is 12, so lambda <= n/ord = 8/12.
    g = "(w1 + w2 + w3 + w4 + w5 + w6 + w7 + w8)**12"
    start = time.monotonic()
    result = sg.rlct(g, timeout=0.5)
    assert time.monotonic() - start < 0.5 + 60  # generous: this guards against hangs, it is not a benchmark
    assert result.status is Status.BOUND and result.multiplicity is None
    assert result.threshold == sympy.Rational(2, 3) and result.threshold >= sympy.Rational(1, 12)
    assert "time limit of 0.5 s reached in" in result.certificate.reason


def test_a_time_limit_in_the_blowup_search_keeps_the_newton_bound(monkeypatch):
    # A search that never ends (it only checks the deadline).  (xy - 2x^2)^2 + z^2 has exponents (2,2,0),
    # (3,1,0), (4,0,0), (0,0,2); ((2,2,0) + (0,0,2))/2 = (1,1,1) gives t <= 1 and w = (1/4, 1/4, 1/2) has w.a = 1
    # on every exponent, so t = 1: lambda <= 1 (the truth is (1, 2)).
    def endless(g, variables=None, *, squares=None, timeout=None, max_depth=None):
        deadline = Deadline.coerce(timeout)
        while True:
            deadline.check("blow-up search")
            time.sleep(0.01)

    monkeypatch.setattr(RLCT_MODULE, "resolve", endless)
    monkeypatch.setattr(RLCT_MODULE, "_separation_or", lambda fallback, *args: fallback)  # z is a part of its own
    result = sg.rlct("(x*y - 2*x**2)**2 + z**2", variables="x,y,z", timeout=4)
    assert result.status is Status.BOUND and result.threshold == 1
    assert "time limit of 4 s reached in the blow-up search" in result.certificate.reason


def test_cli_renders_a_timed_out_rlct_as_a_bound(capsys):
    code = main(["rlct", "(w1 + w2 + w3 + w4 + w5 + w6 + w7 + w8)**12", "--timeout", "0.5", "--json"])
    out = capsys.readouterr().out
    assert code == 0
    import json

    data = json.loads(out)
    assert (data["status"], data["threshold"], data["multiplicity"]) == ("bound", "2/3", None)  # 8/12 >= 1/12
    assert "time limit of 0.5 s reached in" in data["certificate"]["reason"]


@pytest.mark.parametrize("g", ["(y/2 + z)**2 + x**2", "(w1 + w2 + w3 + w4 + w5 + w6 + w7 + w8)**12"])
def test_bound_results_round_trip_through_json(g):
    # A Newton bound (a degenerate face) and a time-limit bound (BoundCertificate).
    import json

    result = sg.rlct(g, method="newton", timeout=0.5 if "w1" in g else None)
    assert result.status is Status.BOUND
    assert sg.RLCT.from_dict(json.loads(result.to_json())) == result


def test_auto_mode_gives_newton_a_share_of_the_time(monkeypatch):
    # x_1^2 + ... + x_20^2 is positive definite and quasi-homogeneous with weights 1/2 ([QH] in tests/catalogue.py):
    # lambda = 20 * 1/2 = 10, m = 1.  Newton's non-degeneracy check walks 2^20 - 1 compact faces and cannot finish in
    # its (shrunk) share; theorem Q must then prove the pair instead of the time limit ending with a bound.
    from singularities._limits import BUDGETS

    monkeypatch.setattr(BUDGETS, "newton_share", 0.05)
    monkeypatch.setattr(BUDGETS, "min_newton", 0.5)
    squares = " + ".join(f"x{i}**2" for i in range(1, 21))
    result = sg.rlct(squares, timeout=60)
    assert (result.threshold, result.multiplicity, result.status) == (10, 1, Status.PROVEN)
    assert result.method == "principal part"


# ---------------------------------------------------------------------------------------------
# the Morse fast path: a full-rank Hessian is settled by theorem Q before any Newton polyhedron


def _random_linear_change(variables, seed):
    """A seeded invertible rational linear change of coordinates (unipotent upper times lower triangular)."""
    rng = random.Random(seed)
    n = len(variables)
    upper = sympy.Matrix(n, n, lambda i, j: 1 if i == j else (rng.randint(-2, 2) if j > i else 0))
    lower = sympy.Matrix(n, n, lambda i, j: 1 if i == j else (sympy.Rational(rng.randint(-3, 3), 2) if j < i else 0))
    return dict(zip(variables, (upper * lower) * sympy.Matrix(variables)))


@pytest.mark.parametrize("n", [5, 12])
def test_sum_of_squares_is_settled_at_once(n, monkeypatch):
    # K = x_1^2 + ... + x_n^2: weights 1/2 each, d = n/2, definite, so lambda = n/2 and m = 1 (theorem Q).
    # After an invertible linear change the Hessian stays positive definite: the same pair.
    import singularities.thresholds.rlct as rlct_module

    def no_newton(*args):
        raise AssertionError("a Morse point must not enter Newton's method (2^n - 1 faces)")

    monkeypatch.setattr(rlct_module, "_rlct_newton", no_newton)
    variables = sympy.symbols(f"x1:{n + 1}")
    plain = sum(v**2 for v in variables)
    disguised = sympy.expand(plain.xreplace(_random_linear_change(variables, seed=n)))
    for g in (plain, disguised):
        result = sg.rlct(g, variables=variables, timeout=60)
        assert (result.status, result.threshold, result.multiplicity) == (Status.PROVEN, sympy.Rational(n, 2), 1)
        assert result.method == "principal part"  # theorem Q, not the 2^n - 1 faces of Newton's method


@pytest.mark.parametrize(
    "g, expected",
    [
        # x^2 - y^2 = u v after a linear change; |u v| has lambda = 1 with m = 2 (the vertex (1, 1) of its polyhedron).
        ("x**2 - y**2", (1, 2)),
        # a sign-changing non-degenerate quadric in 4 variables: lambda = min(d, 1) = 1, m = 1 as d = 2 != 1.
        ("x**2 + y**2 + z**2 - w**2", (1, 1)),
        # Morse plus higher-order terms: the Morse lemma removes them; d = 1, definite: (1, 1).
        ("(x + y)**2 + (x - y)**2 + x**3", (1, 1)),
    ],
)
def test_morse_points_of_either_sign(g, expected):
    result = sg.rlct(g, timeout=60)
    assert (result.status, result.threshold, result.multiplicity) == (Status.PROVEN, *map(sympy.Integer, expected))


def test_morse_fast_path_keeps_the_input_errors():
    # the value at the point must be 0: the fast path must not hide NotZeroError
    with pytest.raises(sg.NotZeroError):
        sg.rlct("x**2 + y**2 + 1")


@pytest.mark.parametrize(
    "g, variables, axis",
    [
        # x^2 y^2 + x^4 lies in (x)^2: g and grad g vanish on the y-axis {x = 0}.
        ("x**2*y**2 + x**4", "x,y", "y-axis"),
        # (x y)^2 + (x z)^2: 2 squares of polynomials vanishing at 0 in 3 variables; their common zeros
        # contain the plane {x = 0} (dimension 2 >= 3 - 2), where grad g = 2 sum f_i grad f_i vanishes.
        ("(x*y)**2 + (x*z)**2", "x,y,z", "Krull"),
    ],
)
def test_non_isolated_points_are_recognised(g, variables, axis):
    reason = RLCT_MODULE._non_isolated_reason(sg.Energy(g, variables=variables))
    assert reason is not None and axis in reason


@pytest.mark.parametrize(
    "g, variables",
    [
        ("x**2 + y**3", "x,y"),  # A2: mu = 2, isolated
        ("x**2 + y**2", "x,y"),  # 2 squares in 2 variables: Morse, isolated
        ("x**2*y + y**4", "x,y"),  # D5: mu = 5, isolated (the y-axis test fails on y**4's degree in x)
        ("x**2 + y**2 + z**2", "x,y,z"),  # Morse in 3 variables
    ],
)
def test_isolated_points_are_never_called_non_isolated(g, variables):
    # a wrong "non-isolated" would skip theorem Q where it applies: these have finite Milnor numbers
    assert RLCT_MODULE._non_isolated_reason(sg.Energy(g, variables=variables)) is None


def test_rrr_skips_the_classification_of_its_non_isolated_point(monkeypatch):
    # RRR (M, N, H, r) = (2, 1, 2, 0): K = (b1 a11 + b2 a21)^2 + (b1 a12 + b2 a22)^2, 2 squares in 6 variables:
    # the point is not isolated (Krull), so theorem Q cannot apply and its Milnor number is never asked for.
    # Aoyagi-Watanabe, case 1 (N + r <= M + H, M + r <= N + H, H + r <= M + N), M + H + N + r = 5 odd:
    # lambda = (2*2*3 - 1 - 4 + 1)/8 = 1, m = 2 (tests/rrr_oracle.py).
    from singularities.models import reduced_rank_regression_loss

    def no_classification(*args, **kwargs):
        raise AssertionError("a non-isolated point must not be classified (its Milnor number is infinite)")

    monkeypatch.setattr(RLCT_MODULE, "classify", no_classification)
    result = sg.rlct(reduced_rank_regression_loss(2, 1, 2, 0).energy, timeout=120)
    assert (result.status, result.threshold, result.multiplicity) == (Status.PROVEN, sympy.Integer(1), 2)
