"""Published theorems as certified methods: reduced rank regression (Aoyagi and Watanabe 2005) and deep
linear networks (Aoyagi 2024).

Expected values come from ``tests/rrr_oracle.py`` (an independent
transcription of Aoyagi-Watanabe's Main Theorem that imports nothing from the
package), from the blow-up search, which knows nothing of either theorem, and
from the agreement of the two theorems' formulas (derived differently) on
two-factor networks.
"""

import itertools
import random

import pytest
import sympy
from rrr_oracle import aoyagi_watanabe as oracle
from rrr_oracle import deep_linear

import singularities as sg
from singularities.errors import MethodNotApplicableError
from singularities.models import deep_linear_network_loss, reduced_rank_regression_loss
from singularities.thresholds.certificates import Status, TheoremCertificate
from singularities.thresholds.recheck import Progress, accepted
from singularities.thresholds.theorems import aoyagi_deep_linear, matrix_product_form

SIZES = [(M, N, H, r) for M, N, H in itertools.product(range(1, 4), repeat=3) for r in range(min(M, N, H) + 1)]


@pytest.mark.parametrize("M, N, H, r", SIZES)
def test_reduced_rank_regression_matches_the_main_theorem(M, N, H, r):
    result = sg.rlct(reduced_rank_regression_loss(M, N, H, r).energy, method="theorem")
    expected = oracle(M, N, H, r)
    assert (result.threshold, result.multiplicity) == (expected[0], expected[1])
    assert result.status is Status.PROVEN and result.method == "theorem"
    assert result.certificate.sizes["r"] == r and result.certificate.name == "Aoyagi-Watanabe"


def test_the_deep_linear_formula_reduces_to_aoyagi_watanabe_on_two_factors():
    # Two different published formulas (Aoyagi 2024 Theorem 1 with L = 2; Aoyagi-Watanabe 2005) must agree.
    for M, N, H in itertools.product(range(1, 8), repeat=3):
        for r in range(min(M, N, H) + 1):
            assert aoyagi_deep_linear((M, H, N), r) == oracle(M, N, H, r), (M, N, H, r)


DEEP = [
    ((1, 1, 1, 1), 0),
    ((1, 1, 1, 1), 1),
    ((2, 1, 1, 2), 0),
    ((2, 1, 1, 2), 1),
    ((1, 2, 2, 1), 0),
    ((1, 1, 1, 1, 1), 0),
    ((2, 2, 1, 1), 1),
    ((1, 2, 1, 2), 1),
]


@pytest.mark.parametrize("widths, r", DEEP)
def test_deep_linear_theorem_agrees_with_the_blowup_search(widths, r):
    # By hand for (1, 1, 1, 1), r = 0: K = a^2 b^2 c^2, lambda = 1/2 with m = 3 (three normal crossings).
    energy = deep_linear_network_loss(widths, r).energy
    search = sg.rlct(energy, method="blowup", timeout=120)
    assert search.status is Status.PROVEN
    theorem = sg.rlct(energy, method="theorem")
    assert theorem.certificate.name == "Aoyagi" and theorem.certificate.sizes["widths"] == widths
    assert (theorem.threshold, theorem.multiplicity) == (search.threshold, search.multiplicity)


def test_deep_linear_networks_at_sizes_past_the_search():
    # 16 parameters, widths (2, 2, 2, 2, 2), r = 1: M_i = 1 each, S = all five, l = 4, s = 5, a = 1:
    # lambda = (1*4 - 1)/2 + 1*3/16 - 3*25/16 + 10/2 = 3/2 + 3/16 - 75/16 + 5 = 2, m = 1*3 + 1 = 4.
    result = sg.rlct(deep_linear_network_loss((2, 2, 2, 2, 2), 1).energy, timeout=60)
    assert (result.threshold, result.multiplicity, result.method) == (2, 4, "theorem")


@pytest.mark.parametrize("M, N, H, r", [(1, 1, 1, 0), (2, 1, 1, 0), (2, 2, 1, 0), (2, 2, 2, 0), (3, 1, 3, 0)])
def test_theorem_agrees_with_the_blowup_search(M, N, H, r):
    # The blow-up search proves (lambda, m) from charts alone: an independent computation.
    energy = reduced_rank_regression_loss(M, N, H, r).energy
    search = sg.rlct(energy, method="blowup", timeout=120)
    assert search.status is Status.PROVEN
    theorem = sg.rlct(energy, method="theorem")
    assert (theorem.threshold, theorem.multiplicity) == (search.threshold, search.multiplicity)


def test_auto_uses_the_theorem_on_sizes_the_search_cannot_finish():
    # (3, 3, 2, 1): 12 parameters; the search gives only the bound 7/2 in about 20 s; the theorem settles it.
    result = sg.rlct(reduced_rank_regression_loss(3, 3, 2, 1).energy, timeout=60)
    assert (result.threshold, result.multiplicity, result.method) == (sympy.Rational(7, 2), 2, "theorem")


def test_recognition_is_invariant_under_renaming_scaling_and_transposition():
    rng = random.Random(7)
    loss = reduced_rank_regression_loss(3, 2, 2, 1)
    names = list(loss.parameters)
    shuffled = names[:]
    rng.shuffle(shuffled)
    renamed = {v: sympy.Symbol(f"w{i}") for i, v in enumerate(shuffled)}
    expr = sympy.Rational(3, 2) * loss.expr.xreplace(renamed)  # q = 3/2 > 0 does not change lambda or m
    variables = [renamed[v] for v in names]
    result = sg.rlct(sympy.expand(expr), loss.true_parameters, variables=variables)
    assert (result.threshold, result.multiplicity) == oracle(3, 2, 2, 1)
    assert result.method == "theorem" and result.certificate.scale == sympy.Rational(3, 2)
    # The transposed problem (M, N) -> (N, M) has the same lambda: the theorem is symmetric.
    assert oracle(3, 2, 2, 1) == oracle(2, 3, 2, 1)


def test_generic_most_singular_true_point():
    # B0 = [B1, 0], A0 = [A1; 0] with B1 (N x r) and A1 (r x M) of rank r: the GL(H) orbit of the corner point.
    M, N, H, r = 3, 3, 2, 1
    B1, A1 = sympy.Matrix([[2], [-1], [3]]), sympy.Matrix([[1, 5, -2]])
    B0, A0 = B1.row_join(sympy.zeros(N, H - r)), A1.col_join(sympy.zeros(H - r, M))
    result = sg.rlct(reduced_rank_regression_loss(M, N, H, true_factors=(B0, A0)).energy)
    assert (result.threshold, result.multiplicity, result.method) == (*oracle(M, N, H, r), "theorem")


def test_no_claim_at_a_true_point_that_is_not_most_singular():
    # r = 0 with A0 != 0: K = ||B A||^2 near (B, A) = (0, A0) has a larger local RLCT than at the origin;
    # the theorem gives the global value only, so it must not be used here.
    M, N, H = 2, 2, 1
    B0, A0 = sympy.zeros(N, H), sympy.Matrix([[1, 0]])
    energy = reduced_rank_regression_loss(M, N, H, true_factors=(B0, A0)).energy
    with pytest.raises(MethodNotApplicableError, match="not a most singular"):
        sg.rlct(energy, method="theorem")
    # By hand: with a1 = 1 + u a unit, K = (b1^2 + b2^2)(a1^2 + a2^2) ~ b1^2 + b2^2: Morse in b, lambda = 1, m = 1.
    auto = sg.rlct(energy)
    assert (auto.threshold, auto.multiplicity) == (1, 1) and auto.method != "theorem"


def test_near_misses_get_no_theorem():
    a, b, c, d = sympy.symbols("a b c d")
    exact = sympy.expand((a * c + b * d - 1) ** 2)
    assert matrix_product_form(exact, (a, b, c, d)) is not None
    # One coefficient changed: no longer a square of a bilinear form.
    assert matrix_product_form(exact + a * b * c * d, (a, b, c, d)) is None
    # Two different products (two entries with their own variables) are not one matrix product.
    assert matrix_product_form(a**2 * c**2 + b**2 * d**2, (a, b, c, d)) is None
    # A non-identity input covariance: tr((B A) S (B A)^T) with S = [[2, 1], [1, 2]] (H = 1, N = 1, M = 2).
    x1, x2, y1 = sympy.symbols("x1 x2 y1")
    e1, e2 = y1 * x1, y1 * x2
    covariance = sympy.expand(2 * e1**2 + 2 * e1 * e2 + 2 * e2**2)
    assert matrix_product_form(covariance, (x1, x2, y1)) is None
    with pytest.raises(MethodNotApplicableError):
        sg.rlct(covariance, variables="x1, x2, y1", method="theorem")


def test_expanded_text_input_is_recognised():
    # ||B A||^2 for B = (b1, b2)^T, A = (a1, a2): K = (b1^2 + b2^2)(a1^2 + a2^2), typed out by hand.
    # Oracle: M = N = 2, H = 1, r = 0, case 1, M + N + H + r odd: lambda = (2*1*4 - 0 - 1 + 1)/8 = 1, m = 2.
    result = sg.rlct("a1**2*b1**2 + a1**2*b2**2 + a2**2*b1**2 + a2**2*b2**2", method="theorem")
    assert (result.threshold, result.multiplicity, result.method) == (1, 2, "theorem")
    assert oracle(2, 2, 1, 0) == (1, 2)


def test_certificate_round_trip_and_tampering_is_caught():
    result = sg.rlct(reduced_rank_regression_loss(2, 2, 2, 1).energy, method="theorem")
    certificate = result.certificate
    assert TheoremCertificate.from_dict(certificate.to_dict()) == certificate
    assert accepted(result, result.energy, None, Progress("theorem"))
    wrong_rank = {**certificate.sizes, "r": 0}
    swapped = tuple(reversed(certificate.factors))
    for tampered in (
        TheoremCertificate(**{**_fields(certificate), "sizes": wrong_rank}),
        TheoremCertificate(**{**_fields(certificate), "target": ((2, 0), (0, 0))}),
        TheoremCertificate(**{**_fields(certificate), "factors": swapped}),
        TheoremCertificate(**{**_fields(certificate), "scale": sympy.Integer(2)}),
    ):
        forged = type(result)(
            result.threshold, result.multiplicity, result.status, result.method, tampered, result.energy
        )
        assert not accepted(forged, result.energy, None, Progress("theorem"))


def _fields(certificate):
    return {name: getattr(certificate, name) for name in certificate.__dataclass_fields__}


def test_deep_linear_theorem_matches_an_oracle_written_from_the_paper():
    # tests/rrr_oracle.deep_linear transcribes Aoyagi (2024) Theorem 1 with a search over every subset; the package
    # takes the smallest prefix of the sorted M's. Every widths vector of 3-4 layers with widths <= 3 and r <= 2.
    for depth in (3, 4):
        for widths in itertools.product(range(1, 4), repeat=depth + 1):
            for r in range(min(2, *widths) + 1):
                assert aoyagi_deep_linear(widths, r) == deep_linear(widths, r), (widths, r)
    result = sg.rlct(deep_linear_network_loss((2, 3, 2, 3), 1).energy)
    assert (result.threshold, result.multiplicity) == deep_linear((2, 3, 2, 3), 1)
