"""Published theorems as certified methods: reduced rank regression (Aoyagi and Watanabe 2005).

Expected values come from ``tests/rrr_oracle.py`` (an independent
transcription of the Main Theorem that imports nothing from the package) and,
for small sizes, from the blow-up search, which knows nothing of the theorem.
"""

import itertools
import random

import pytest
import sympy
from rrr_oracle import aoyagi_watanabe as oracle

import singularities as sg
from singularities.errors import MethodNotApplicableError
from singularities.models import reduced_rank_regression_loss
from singularities.thresholds.certificates import Status, TheoremCertificate
from singularities.thresholds.recheck import Progress, accepted
from singularities.thresholds.theorems import matrix_product_form

SIZES = [(M, N, H, r) for M, N, H in itertools.product(range(1, 4), repeat=3) for r in range(min(M, N, H) + 1)]


@pytest.mark.parametrize("M, N, H, r", SIZES)
def test_reduced_rank_regression_matches_the_main_theorem(M, N, H, r):
    result = sg.rlct(reduced_rank_regression_loss(M, N, H, r).energy, method="theorem")
    expected = oracle(M, N, H, r)
    assert (result.threshold, result.multiplicity) == (expected[0], expected[1])
    assert result.status is Status.PROVEN and result.method == "theorem"
    assert result.certificate.sizes["r"] == r


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
    for tampered in (
        TheoremCertificate(**{**_fields(certificate), "sizes": wrong_rank}),
        TheoremCertificate(**{**_fields(certificate), "target": ((2, 0), (0, 0))}),
        TheoremCertificate(**{**_fields(certificate), "scale": sympy.Integer(2)}),
    ):
        forged = type(result)(
            result.threshold, result.multiplicity, result.status, result.method, tampered, result.energy
        )
        assert not accepted(forged, result.energy, None, Progress("theorem"))


def _fields(certificate):
    return {name: getattr(certificate, name) for name in certificate.__dataclass_fields__}
