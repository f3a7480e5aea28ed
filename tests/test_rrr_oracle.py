"""Tests of the reduced-rank-regression oracle (tests/rrr_oracle.py) and of rlct against it.

The formula is checked on cases derived by hand, independently of the
package; then ``rlct`` at the most singular true point is compared with it
on every small case it settles within its time limit.
"""

import itertools
from fractions import Fraction

import pytest
import sympy
from rrr_oracle import aoyagi_watanabe, rrr_case

from singularities.models import reduced_rank_regression_loss
from singularities.thresholds.rlct import Status, rlct

SMALL = [(M, N, H, r) for M, N, H in itertools.product(range(1, 5), repeat=3) for r in range(0, min(H, M, N) + 1)]


def test_cases_are_exclusive_and_exhaustive():
    for M, N, H, r in itertools.product(range(1, 9), repeat=4):
        if r > min(H, M, N):
            continue
        conditions = [
            N + r <= M + H and M + r <= N + H and H + r <= M + N,
            M + H < N + r,
            N + H < M + r,
            M + N < H + r,
        ]
        assert sum(conditions) == 1, (M, N, H, r)
        assert rrr_case(M, N, H, r) == conditions.index(True) + 1


@pytest.mark.parametrize("M,N", [(M, N) for M in range(1, 7) for N in range(1, 7)])
def test_rank_one_true_zero(M, N):
    # H = 1, r = 0: K = |b|^2 |a|^2 with b in R^N, a in R^M.  In polar
    # coordinates b = s u, a = t v the volume element is s^(N-1) t^(M-1) ds dt
    # (times the spheres), and K = s^2 t^2, so int K^z = int s^(2z+N-1) t^(2z+M-1):
    # poles at -N/2 and -M/2.  lambda = min(M, N)/2, of order 2 when M = N.
    assert aoyagi_watanabe(M, N, 1, 0) == (Fraction(min(M, N), 2), 2 if M == N else 1)


@pytest.mark.parametrize(
    "M,N,H", [(M, N, H) for M in range(1, 6) for N in range(1, 6) for H in range(1, min(M, N) + 1)]
)
def test_true_rank_equal_to_model_rank_is_regular(M, N, H):
    # r = H: near the true point the zero set {BA = B0 A0} is the orbit of
    # GL(H), a manifold of dimension H^2, and K is Morse-Bott (the map
    # (B, A) -> BA is a submersion onto the rank-H matrices, of dimension
    # H(M + N) - H^2).  So lambda = (H(M + N) - H^2)/2, m = 1.
    assert aoyagi_watanabe(M, N, H, H) == (Fraction(H * (M + N) - H * H, 2), 1)


@pytest.mark.parametrize("M,N,H,r", [c for c in SMALL if c[2] + c[3] > c[0] + c[1]])
def test_overparametrised_is_the_full_matrix_space(M, N, H, r):
    # M + N < H + r: the formula gives MN/2, half the dimension of the space of
    # products BA (all N x M matrices), as for a regular model in C = BA.
    assert aoyagi_watanabe(M, N, H, r) == (Fraction(M * N, 2), 1)


def test_symmetric_in_inputs_and_outputs():
    # Transposing (BA)^T = A^T B^T swaps the roles of M and N.
    for M, N, H, r in SMALL:
        assert aoyagi_watanabe(M, N, H, r) == aoyagi_watanabe(N, M, H, r)


def test_lambda_is_at_most_half_the_dimension():
    # lambda <= d/2 for every model, with d = H(M + N) parameters.
    for M, N, H, r in SMALL:
        assert aoyagi_watanabe(M, N, H, r)[0] <= Fraction(H * (M + N), 2)


def test_rejects_unrealisable_true_rank():
    with pytest.raises(ValueError, match="true rank"):
        aoyagi_watanabe(2, 2, 1, 2)
    with pytest.raises(ValueError, match="positive"):
        aoyagi_watanabe(0, 2, 1, 0)


# rlct against the oracle.  Only the cases with few parameters are fast
# enough for the default run.  A PROVEN answer must equal the oracle; a BOUND
# is a proven upper bound, so it must be >= the oracle's lambda.
FAST = [(1, 1, 1, 0), (2, 1, 1, 0), (1, 2, 1, 0), (1, 1, 1, 1), (2, 2, 1, 0), (3, 1, 1, 0), (2, 2, 1, 1), (2, 1, 2, 1)]
SLOW = [(3, 2, 1, 0), (3, 3, 1, 0), (2, 1, 2, 0), (2, 2, 2, 0)]


def _compare(M, N, H, r, timeout):
    loss = reduced_rank_regression_loss(M, N, H, r)
    result = rlct(loss.energy, timeout=timeout)
    expected = aoyagi_watanabe(M, N, H, r)
    if result.status is Status.PROVEN:
        assert (result.threshold, result.multiplicity) == (sympy.Rational(*_pair(expected[0])), expected[1])
        return True
    if result.status is Status.BOUND:
        assert result.threshold >= sympy.Rational(*_pair(expected[0]))
    return False


def _pair(fraction):
    return fraction.numerator, fraction.denominator


@pytest.mark.parametrize("M,N,H,r", FAST)
def test_rlct_agrees_with_aoyagi_watanabe(M, N, H, r):
    assert _compare(M, N, H, r, timeout=20), "rlct did not settle a case it settled before"


@pytest.mark.slow
@pytest.mark.parametrize("M,N,H,r", SLOW)
def test_rlct_agrees_with_aoyagi_watanabe_when_it_finishes(M, N, H, r):
    try:
        settled = _compare(M, N, H, r, timeout=60)
    except TimeoutError:
        pytest.skip("rlct did not finish within 60 s")
    if not settled:
        pytest.skip("rlct did not settle this case (status bound or unknown); nothing to compare")
