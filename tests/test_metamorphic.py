"""Metamorphic tests: answers that must not change, or must change in a known way, under transformations.

Truths come from tests/catalogue.py (derived by hand). For each row and a few
seeded random transformations, the package's answer for the transformed
function must match what the transformation does to the truth:

- a permutation, a positive rational scaling, or an invertible rational
  linear change of the variables is an analytic change of coordinates with
  constant non-zero Jacobian, so |g o phi|^s integrates to |det|^-1 times the
  same zeta function: (lambda, m) unchanged; the real type is a class under
  real coordinate changes, so it is unchanged as well;
- c*K with c > 0: |cK|^s = c^s |K|^s has the same poles: (lambda, m) and, as
  c*g ~ g o (scaling), the type unchanged (c^(1/d) scalings for weighted forms);
- K(x) + K2(y) in disjoint variables with K, K2 >= 0: lambda1 + lambda2 and
  m1 + m2 - 1 (Watanabe, "Algebraic Geometry and Statistical Learning Theory",
  2009, Remark 7.2; the volume of {K + K2 < t} is the convolution of the two
  volume functions, whose Mellin transforms multiply);
- K + s^2 with s a new variable: see ``_with_square`` (the catalogue's [X]).

Comparison rule (the brief of issue 12): a PROVEN answer must equal the truth;
a BOUND is an upper bound and must be >= the true lambda; UNKNOWN says
nothing. Where the Newton-polyhedron theorem settles a row, permuting and
scaling the variables or multiplying by c > 0 keeps it settled (the Newton
polyhedron is permuted, the face polynomials' torus zeros are scaled), so
those answers must also be PROVEN. Every call runs in a forked child
(tests/fuzzing.py) so that a hang fails one test, not the run.
"""

import functools
import itertools
import random
from collections import namedtuple
from fractions import Fraction

import pytest
import sympy
from catalogue import TRUTHS, by_name, rational
from fuzz_strategies import losses, polynomials
from fuzzing import rlct_bound_problems, run_api
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import singularities as sg

TIMEOUT = 10
HARD_LIMIT = 40
METHODS = ("auto", "newton", "principal part", "blowup")
MORE_SEEDS = (1, 2, 3, 4, 5)
SMALL = [t for t in TRUTHS if len(t.variables) <= 3]
# The default run covers these rows (every kind of row: monomials, definite forms, squares, saddles, ADE,
# degenerate in the given coordinates); the rest run with -m slow.
DEFAULT_ROWS = {
    "monomial_x2y2",
    "monomial_xyz",
    "monomial_x3y3z2",
    "sum_x2_y4",
    "sum_x2_y2_z2",
    "sum_x2_y4_z4",
    "power_x2_y2_sq",
    "sum_x2y2_z2",
    "square_x2_minus_y2",
    "square_x_plus_y2",
    "square_x_minus_y",
    "saddle_x2_minus_y2",
    "morse_3d",
    "x2_y2_plus_z3",
    "D4_monkey_x2y_minus_y3",
    "D5_x2y_plus_y4",
    "E6_x3_plus_y4",
    "E7_x3_plus_xy3",
    "A4_x2_plus_y5",
    "quartic_x3y_plus_xy3",
    "x2_minus_y2z2",
    "x_times_unit",
    "degenerate_x_minus_y_sq_plus_x3",
    "degenerate_y_minus_x2_sq_plus_x5",
    "degenerate_x_minus_y_sq_minus_z2",
    "degenerate_x_times_y_minus_z_sq",
}


def rows(truths, default=lambda truth: truth.name in DEFAULT_ROWS):
    """pytest params, one per row; rows outside the default run are marked slow."""
    return [pytest.param(t, id=t.name, marks=() if default(t) else pytest.mark.slow) for t in truths]


POSITIVE = tuple(sympy.Rational(a) for a in ("1/3", "1/2", "2", "3", "3/2", "5/4", "7"))
NONNEGATIVE = [t for t in SMALL if not t.sign_changing]

# Types of catalogue rows with an isolated critical point at 0, derived by hand
# (splitting lemma, then the determinator of docs/classification.md):
KNOWN_TYPES = {
    "monomial_x2": "A1",  # x^2
    "monomial_x3": "A2",  # x^3
    "sum_x2_y2": "A1",  # non-degenerate Hessian
    "sum_x2_y4": "A3",  # x^2 + y^4: corank 1, h = y^4
    "sum_x2_y6": "A5",  # h = y^6
    "sum_x2_y2_z2": "A1",
    "sum_x2_y4_z4": "X9",  # x^2 split off, h = y^4 + z^4: zero 3-jet, quartic with distinct factors
    "saddle_x2_minus_y2": "A1",
    "morse_xy_minus_z2": "A1",  # Hessian of signature (1, 2)
    "morse_3d": "A1",
    "x2_y2_plus_z3": "A2",  # corank 1, h = z^3
    "D4_x3_plus_y3": "D4",  # cubic (x + y)(x^2 - xy + y^2): three distinct factors
    "D4_x2y_plus_xy2": "D4",  # xy(x + y)
    "A2_cusp_x3_minus_y2": "A2",
    "A2_x2_plus_y3": "A2",
    "A2_x2_minus_y3": "A2",
    "A3_x4_minus_y2": "A3",
    "A4_x2_plus_y5": "A4",
    "D4_monkey_x2y_minus_y3": "D4",
    "D4_x2y_plus_y3": "D4",
    "D4_x3_minus_3xy2": "D4",
    "D5_x2y_plus_y4": "D5",  # cubic x^2 y (a double factor), polar curve x = 0 gives y^4: k - 1 = 4
    "D6_x2y_plus_y5": "D6",
    "E6_x3_plus_y4": "E6",
    "E7_x3_plus_xy3": "E7",
    "E8_x3_plus_y5": "E8",
    "quartic_x3y_plus_xy3": "X9",  # zero 3-jet, xy(x^2 + y^2): four distinct factors
    "x2_minus_y4_minus_z4": "X9",  # h = -(y^4 + z^4)
    "degenerate_x_minus_y_sq_plus_x3": "A2",  # u = x - y: u^2 + x^3
    "degenerate_expanded_x_minus_y_sq_plus_y3": "A2",
    "degenerate_x_minus_y_sq_plus_y4": "A3",
    "degenerate_y_minus_x2_sq_plus_x5": "A4",  # u = y - x^2: u^2 + x^5
    "degenerate_y_minus_x2_sq_plus_x6": "A5",
}
TYPED = [by_name(name) for name in KNOWN_TYPES]


# ---------------------------------------------------------------------------
# Transformations (exact, seeded)
# ---------------------------------------------------------------------------
def _symbols(truth):
    return sympy.symbols(truth.variables)


def _expr(truth):
    symbols = _symbols(truth)
    return sympy.sympify(truth.function, locals=dict(zip(truth.variables, symbols))), symbols


def permuted(truth, rng):
    g, symbols = _expr(truth)
    order = list(symbols)
    while len(order) > 1 and order == list(symbols):
        rng.shuffle(order)
    return sympy.expand(g.xreplace(dict(zip(symbols, order))))


def scaled(truth, rng):
    g, symbols = _expr(truth)
    return sympy.expand(g.xreplace({s: rng.choice(POSITIVE) * s for s in symbols}))


def linear_change(truth, rng):
    """g(A x) for a random invertible integer matrix A with entries in [-2, 2]."""
    g, symbols = _expr(truth)
    n = len(symbols)
    while True:
        A = sympy.Matrix(n, n, lambda i, j: rng.randint(-2, 2))
        if A.det() != 0:
            break
    images = A * sympy.Matrix(symbols)
    return sympy.expand(g.xreplace(dict(zip(symbols, images))))


def multiplied(truth, rng):
    g, _ = _expr(truth)
    return rng.choice((sympy.Rational(1, 7), 2, sympy.Rational(5, 3), 100, sympy.Rational(1, 1000))) * g


Row = namedtuple("Row", "function variables name")  # a function to transform, like a catalogue row
TRANSFORMS = {"permutation": permuted, "scaling": scaled, "linear": linear_change, "multiple": multiplied}
KEEPS_NEWTON = {"permutation", "scaling", "multiple"}


# ---------------------------------------------------------------------------
# Calls (forked, with a hard limit) and the comparison rule
# ---------------------------------------------------------------------------
def _rlct_summary(result):
    return result.status.value, str(result.threshold), result.multiplicity, result.method


@functools.cache
def rlct_answer(g, variables, method="auto"):
    """(status, threshold, m, method) of rlct in a child; None after an honest refusal (the time limit, or a
    method named explicitly that does not apply); an AssertionError for a crash, a hang or another refusal."""
    outcome = run_api(
        lambda: sg.rlct(g, variables=variables, method=method, timeout=TIMEOUT),
        summary=_rlct_summary,
        hard_limit=HARD_LIMIT,
    )
    where = f"rlct({str(g)!r}, variables={variables!r}, method={method!r})"
    honest = {"TimeLimitError"} | ({"MethodNotApplicableError", "NotCriticalError"} if method != "auto" else set())
    if outcome.kind == "refused" and outcome.error.split(":")[0] in honest:
        return None
    assert outcome.kind == "ok", f"{where}: {outcome}"
    return outcome.value


def assert_agrees(answer, threshold, multiplicity, where, must_prove=False):
    """The comparison rule: PROVEN equals the truth, BOUND >= the true lambda, UNKNOWN says nothing."""
    if answer is None:
        assert not must_prove, f"{where}: no answer where the Newton theorem settles the row"
        return
    status, value, m, method = answer
    truth = (sympy.Rational(threshold), multiplicity)
    if status == "proven":
        assert (sympy.sympify(value), m) == truth, f"{where}: PROVEN ({value}, {m}) by {method}, truth {truth}"
    elif status == "bound":
        assert sympy.sympify(value) >= truth[0], f"{where}: BOUND {value} below the true lambda {truth[0]}"
    else:
        assert status == "unknown", f"{where}: status {status!r}"
    assert not must_prove or status == "proven", f"{where}: {status} ({value}, {m}) where the Newton theorem settles it"


def _id(truth):
    return truth.name


# ---------------------------------------------------------------------------
# RLCT under changes of variables and c*K
# ---------------------------------------------------------------------------
def _quick(truth, transform):
    """In the default run: default rows, and linear changes only in two variables (3D ones often hit the limit)."""
    return truth.name in DEFAULT_ROWS and (transform != "linear" or len(truth.variables) <= 2)


def row_transforms(truths):
    return [
        pytest.param(t, name, id=f"{t.name}-{name}", marks=() if _quick(t, name) else pytest.mark.slow)
        for t in truths
        for name in sorted(TRANSFORMS)
    ]


@pytest.mark.parametrize("truth, transform", row_transforms(SMALL))
def test_rlct_under_transformations(truth, transform, seed=0):
    g = TRANSFORMS[transform](truth, random.Random(f"{truth.name}/{transform}/{seed}"))
    answer = rlct_answer(g, truth.variables)
    must_prove = truth.newton_settles and transform in KEEPS_NEWTON
    assert_agrees(
        answer, rational(truth.threshold), truth.multiplicity, f"{transform} of {truth.name}: {g}", must_prove
    )


@pytest.mark.slow
@pytest.mark.parametrize("seed", MORE_SEEDS)
@pytest.mark.parametrize("transform", sorted(TRANSFORMS))
@pytest.mark.parametrize("truth", TRUTHS, ids=_id)
def test_rlct_under_transformations_more_seeds(truth, transform, seed):
    g = TRANSFORMS[transform](truth, random.Random(f"{truth.name}/{transform}/{seed}"))
    answer = rlct_answer(g, truth.variables)
    must_prove = truth.newton_settles and transform in KEEPS_NEWTON
    assert_agrees(
        answer, rational(truth.threshold), truth.multiplicity, f"{transform} of {truth.name}: {g}", must_prove
    )


@pytest.mark.parametrize("truth", rows(SMALL))
def test_rlct_methods_never_disagree(truth):
    # Every method's PROVEN answer must be the truth (so no two disagree); a BOUND must bound it.
    for method in METHODS:
        answer = rlct_answer(truth.function, truth.variables, method)
        assert_agrees(answer, rational(truth.threshold), truth.multiplicity, f"{truth.name} by {method}")


def _check_methods_after_a_linear_change(truth):
    g = linear_change(truth, random.Random(f"{truth.name}/methods"))
    for method in METHODS:
        answer = rlct_answer(g, truth.variables, method)
        assert_agrees(answer, rational(truth.threshold), truth.multiplicity, f"{truth.name} as {g} by {method}")


@pytest.mark.parametrize("truth", rows(TRUTHS, lambda t: t.name in DEFAULT_ROWS and len(t.variables) <= 2))
def test_rlct_methods_never_disagree_after_a_linear_change(truth):
    _check_methods_after_a_linear_change(truth)


# ---------------------------------------------------------------------------
# Adding a square in a new variable, and disjoint sums
# ---------------------------------------------------------------------------
def _with_square(truth):
    """(lambda, m) of g + s^2 for a new variable s, from the catalogue's [X] with k = 2 and q = g.

    lambda(s^2 + q) = 1/2 + lambda(q) with the same m when that is < 1. For q >= 0
    this holds always (sum rule with s^2 = (1/2, 1)). When q takes negative
    values (sign_changing), B_- adds a simple pole at -1: at 1/2 + lambda(q) = 1
    the orders add (m + 1); above 1 the pole at -1 alone leads: (1, 1).
    """
    lam = rational(truth.threshold)
    if not truth.sign_changing or lam + Fraction(1, 2) < 1:
        return lam + Fraction(1, 2), truth.multiplicity
    if lam + Fraction(1, 2) == 1:
        return Fraction(1), truth.multiplicity + 1
    return Fraction(1), 1


@pytest.mark.parametrize("truth", rows(SMALL))
def test_adding_a_square_in_a_new_variable(truth):
    g, _ = _expr(truth)
    s = sympy.Symbol("s")
    threshold, multiplicity = _with_square(truth)
    answer = rlct_answer(g + s**2, truth.variables + ("s",))
    assert_agrees(answer, threshold, multiplicity, f"{truth.function} + s**2")


FRESH = ("u", "v", "r")
PAIRS = [
    (a, b)
    for a, b in itertools.combinations_with_replacement(NONNEGATIVE, 2)
    if len(a.variables) + len(b.variables) <= 4
]
DEFAULT_PAIRS = random.Random("pairs").sample(PAIRS, 6)


def _disjoint_sum(first, second):
    g1, _ = _expr(first)
    g2, symbols = _expr(second)
    fresh = sympy.symbols(FRESH[: len(symbols)])
    return g1 + g2.xreplace(dict(zip(symbols, fresh))), first.variables + FRESH[: len(symbols)]


def _check_disjoint_sum(first, second):
    # Watanabe's sum rule for K1, K2 >= 0 in disjoint variables: (l1 + l2, m1 + m2 - 1)
    g, variables = _disjoint_sum(first, second)
    threshold = rational(first.threshold) + rational(second.threshold)
    multiplicity = first.multiplicity + second.multiplicity - 1
    assert_agrees(rlct_answer(g, variables), threshold, multiplicity, f"{first.name} + {second.name}: {g}")


@pytest.mark.parametrize(
    "first, second",
    [
        pytest.param(a, b, id=f"{a.name}+{b.name}", marks=() if (a, b) in DEFAULT_PAIRS else pytest.mark.slow)
        for a, b in PAIRS
    ],
)
def test_disjoint_sum_of_nonnegative_functions(first, second):
    _check_disjoint_sum(first, second)


def test_nonnegative_rows_are_nonnegative():
    # precondition of the sum rule: every row marked not sign-changing is >= 0 (checked on a grid of rationals)
    grid = [sympy.Rational(p, 3) for p in range(-4, 5)]
    for truth in NONNEGATIVE:
        g, symbols = _expr(truth)
        f = sympy.lambdify(symbols, g, modules=[{"Abs": abs}])
        assert all(f(*point) >= 0 for point in itertools.product(grid, repeat=len(symbols))), truth.name


# ---------------------------------------------------------------------------
# Global RLCT of quasi-homogeneous K >= 0 equals the local one at 0
# ---------------------------------------------------------------------------
def _weights(truth):
    """Weights w with <a, w> = 1 for every exponent a of g (min-norm exact solution), or None.

    For such g, g(s^w x) = s g(x); variables not in g are translations. Every
    zero p of g is then carried towards 0 (or along a free direction) with its
    local (lambda, m) unchanged, and (lambda_0, m_0) is the worst over a
    neighbourhood of 0; a boundary point of the box sees less of g's zero set
    (larger lambda or smaller m). So the global answer over [-1, 1]^n is
    (lambda_0, m_0).
    """
    g, symbols = _expr(truth)
    poly = sympy.Poly(sympy.expand(g), *symbols)
    A = sympy.Matrix(poly.monoms())
    w = A.pinv() * sympy.ones(A.rows, 1)
    present = [any(row[i] for row in poly.monoms()) for i in range(len(symbols))]
    if A * w != sympy.ones(A.rows, 1) or any(wi <= 0 for wi, p in zip(w, present) if p):
        return None
    return tuple(w)


QH_NONNEGATIVE = [t for t in NONNEGATIVE if _weights(t) is not None]


@pytest.mark.parametrize("truth", rows(QH_NONNEGATIVE, lambda t: t.name in DEFAULT_ROWS or t.name.startswith("square")))
def test_global_rlct_of_quasi_homogeneous_nonnegative_rows(truth):
    outcome = run_api(
        lambda: sg.global_rlct(truth.function, variables=truth.variables, box="-1:1", timeout=TIMEOUT),
        summary=lambda r: (r.status.value, str(r.threshold), r.multiplicity, "global"),
        hard_limit=HARD_LIMIT,
    )
    if outcome.kind == "refused" and outcome.error.startswith("TimeLimitError"):
        return
    assert outcome.kind == "ok", f"global_rlct({truth.function}): {outcome}"
    assert_agrees(outcome.value, rational(truth.threshold), truth.multiplicity, f"global {truth.name}")


# ---------------------------------------------------------------------------
# The real type under the same transformations
# ---------------------------------------------------------------------------
def _type_summary(c):
    family = None if c.family is None else f"{c.family}{c.index}"
    return family, c.real_form_label, tuple(int(i) for i in c.inertia)


@functools.cache
def type_answer(g, variables):
    """(type, real form, inertia) from classify in a child; None when it stops at the time limit."""
    outcome = run_api(
        lambda: sg.classify(g, variables=variables, timeout=TIMEOUT), summary=_type_summary, hard_limit=HARD_LIMIT
    )
    if outcome.kind == "refused" and outcome.error.startswith("TimeLimitError"):
        return None
    assert outcome.kind == "ok", f"classify({str(g)!r}, variables={variables!r}): {outcome}"
    return outcome.value


@pytest.mark.parametrize("truth", TYPED, ids=_id)
def test_type_of_the_row(truth):
    answer = type_answer(truth.function, truth.variables)
    assert answer is not None and answer[0] == KNOWN_TYPES[truth.name], (truth.function, answer)


@pytest.mark.parametrize("truth, transform", row_transforms(TYPED))
def test_type_under_transformations(truth, transform):
    # type, real form and inertia of the quadratic part are invariants of real coordinate changes and of c > 0
    original = type_answer(truth.function, truth.variables)
    g = TRANSFORMS[transform](truth, random.Random(f"{truth.name}/{transform}/type"))
    changed = type_answer(g, truth.variables)
    if changed is None:  # stopped at the time limit: no answer, nothing to compare
        return
    assert changed[0] == KNOWN_TYPES[truth.name], f"{transform} of {truth.name}: {g} classified {changed}"
    assert changed == original, f"{transform} of {truth.name}: {g} classified {changed}, the original {original}"


@pytest.mark.parametrize("truth", rows(TYPED))
def test_type_after_adding_a_square(truth):
    # splitting lemma: g + s^2 has the same residual part h, so the same type and real form; inertia gains a +
    family, real_form, (plus, minus) = type_answer(truth.function, truth.variables)
    g, _ = _expr(truth)
    changed = type_answer(g + sympy.Symbol("s") ** 2, truth.variables + ("s",))
    assert changed is None or changed == (KNOWN_TYPES[truth.name], real_form, (plus + 1, minus)), (
        truth.function,
        changed,
    )


# ---------------------------------------------------------------------------
# The confidently wrong answers of issue 12, under every method and a few transformations
# ---------------------------------------------------------------------------
ISSUE_TRUTHS = [
    # u = y/2 + z (Jacobian 1 with y kept): u^2 + x^2 with y free: vol{u^2 + x^2 < t} = pi t * length: (1, 1)
    ("(y/2 + z)**2 + x**2", ("x", "y", "z"), "1", 1),
    # x y - 2 x^2 = x v with v = y - 2x: x^2 v^2 + z^2, the catalogue's sum_x2y2_z2: (1, 2)
    ("(x*y - 2*x**2)**2 + z**2", ("x", "y", "z"), "1", 2),
    # x^2 v^2 (1/2, 2) + z^4 (1/4, 1) in disjoint variables, both >= 0: sum rule (3/4, 2 + 1 - 1)
    ("(x*y - 2*x**2)**2 + z**4", ("x", "y", "z"), "3/4", 2),
    # K = x^2 ((x - 3y)^2 + y^4). Blow up the origin. Chart x = x1 y: K = y^4 x1^2 ((x1 - 3)^2 + y^2),
    # Jacobian |y|: at x1 = 0 the factor (x1 - 3)^2 + y^2 is a unit, so |y|^(4s+1) |x1|^(2s) has poles
    # -2/4 and -1/2 that meet: (1/2, 2). At x1 = 3 (v = x1 - 3): y^4 (v^2 + y^2); blowing up v = v1 y gives
    # |y|^(6s+2): -1/2 simple; y = y1 v gives |y1|^(4s+1) |v|^(6s+2): -1/2 twice, m = 2. Chart y = y2 x
    # is the same up to units. Every pole is <= -1/2, and -1/2 has order 2: (1/2, 2).
    ("(x**2 - 3*x*y)**2 + (x*y**2)**2", ("x", "y"), "1/2", 2),
]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("g, variables, threshold, multiplicity", ISSUE_TRUTHS, ids=[t[0] for t in ISSUE_TRUTHS])
def test_issue_cases_are_never_confidently_wrong(g, variables, threshold, multiplicity, method):
    answer = rlct_answer(g, variables, method)
    assert_agrees(answer, Fraction(threshold), multiplicity, f"{g} by {method}")


@pytest.mark.parametrize("transform", ["swap", "scaling", pytest.param("linear", marks=pytest.mark.slow)])
@pytest.mark.parametrize("g, variables, threshold, multiplicity", ISSUE_TRUTHS, ids=[t[0] for t in ISSUE_TRUTHS])
def test_issue_cases_under_transformations(g, variables, threshold, multiplicity, transform):
    truth = Row(g, variables, g)
    rng = random.Random(f"{g}/{transform}")
    changed = permuted(truth, rng) if transform == "swap" else TRANSFORMS[transform](truth, rng)
    assert_agrees(rlct_answer(changed, variables), Fraction(threshold), multiplicity, f"{transform}: {changed}")


# ---------------------------------------------------------------------------
# An analytic model: the answer must not depend on the jet order
# ---------------------------------------------------------------------------
def _network_answer(width, order):
    from singularities.models import two_layer_network_loss

    outcome = run_api(
        lambda: sg.rlct(two_layer_network_loss(width, order=order).energy, timeout=TIMEOUT * 3),
        summary=_rlct_summary,
        hard_limit=HARD_LIMIT * 2,
    )
    if outcome.kind == "refused" and outcome.error.startswith("TimeLimitError"):
        return None
    assert outcome.kind == "ok", f"two_layer_network_loss({width}, order={order}): {outcome}"
    return outcome.value


@pytest.mark.parametrize("order", [5, pytest.param(7, marks=pytest.mark.slow)])  # order 7 takes ~20 s
@pytest.mark.parametrize(
    "width, threshold, multiplicity",
    [
        # Aoyagi's formula for tanh networks with one input and a zero true function: i the largest integer
        # with i^2 <= H, lambda = (H + i^2 + i) / (4i + 2), m = 2 if i^2 = H else 1 (Aoyagi, "Learning
        # coefficient in Bayesian estimation of restricted Boltzmann machine"/ Watanabe 2009, section 7.8).
        # H = 1: K ~ a1^2 b1^2, (1/2, 2) by [MON] as well. H = 2: i = 1, (2 + 1 + 1)/6 = 2/3, m = 1.
        (1, "1/2", 2),
        (2, "2/3", 1),
    ],
)
def test_network_rlct_does_not_depend_on_the_jet_order(width, threshold, multiplicity, order):
    answer = _network_answer(width, order)
    assert_agrees(answer, Fraction(threshold), multiplicity, f"tanh network H={width}, jet order {order}")


# ---------------------------------------------------------------------------
# Random polynomials: no truth known, but no two PROVEN answers may disagree
# ---------------------------------------------------------------------------
_HYPOTHESIS = dict(
    deadline=None,
    derandomize=True,
    database=None,
    phases=(Phase.explicit, Phase.generate),
    suppress_health_check=list(HealthCheck),
)


def _check_random_polynomial(poly, seed):
    """Every method on g, and the default method on a permutation, a scaling and c*g of it: the PROVEN
    answers must coincide, each BOUND must be >= the proven lambda, and all obey the order bounds."""
    row = Row(poly.text, poly.variables, poly.text)
    rng = random.Random(seed)
    calls = [(poly.text, method) for method in METHODS]
    calls += [(TRANSFORMS[name](row, rng), "auto") for name in ("permutation", "scaling", "multiple")]
    answers = [(g, method, rlct_answer(g, poly.variables, method)) for g, method in calls]
    answers = [(g, method, a) for g, method, a in answers if a is not None]
    for g, method, answer in answers:
        problems = rlct_bound_problems(poly, answer)
        assert not problems, f"{g} by {method}: {problems}"
    proven = {(sympy.sympify(a[1]), a[2]) for _, _, a in answers if a[0] == "proven"}
    assert len(proven) <= 1, f"PROVEN answers disagree: {[(str(g), m, a) for g, m, a in answers]}"
    for g, method, answer in answers:
        if proven and answer[0] == "bound":
            assert sympy.sympify(answer[1]) >= next(iter(proven))[0], f"{g} by {method}: {answer} below {proven}"


@settings(max_examples=6, **_HYPOTHESIS)
@given(poly=st.one_of(polynomials(max_vars=3, max_degree=6), losses(max_vars=3)), seed=st.integers(0, 10**6))
def test_random_polynomials_proven_answers_agree(poly, seed):
    _check_random_polynomial(poly, seed)


@pytest.mark.slow
@settings(max_examples=150, **_HYPOTHESIS)
@given(poly=st.one_of(polynomials(max_vars=3, max_degree=6), losses(max_vars=3)), seed=st.integers(0, 10**6))
def test_random_polynomials_proven_answers_agree_long(poly, seed):
    _check_random_polynomial(poly, seed)
