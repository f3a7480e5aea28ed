"""Aoyagi and Watanabe's closed formula for the RLCT of reduced rank regression: an independent oracle.

Source: M. Aoyagi and S. Watanabe, "Stochastic complexities of reduced rank
regression in Bayesian estimation", Neural Networks 18 (2005) 924-933,
Main Theorem.  The model is y = B A x + noise with A an H x M and B an
N x H matrix: M is the input dimension, N the output dimension, H the
model rank (the number of hidden units) and r <= H the rank of the true
product B0 A0.  The KL divergence is, up to a constant factor that does not
change the poles, K = ||B A - B0 A0||^2 (for inputs with identity
covariance), and the largest pole -lambda of int K^z phi dw over a
neighbourhood of the true parameters (prior phi > 0 there) has order m:

Case 1.  N + r <= M + H,  M + r <= N + H  and  H + r <= M + N:
    (a) M + H + N + r even:
        lambda = (2(H + r)(M + N) - (M - N)^2 - (H + r)^2) / 8,      m = 1;
    (b) M + H + N + r odd:
        lambda = (2(H + r)(M + N) - (M - N)^2 - (H + r)^2 + 1) / 8,  m = 2.
Case 2.  M + H < N + r:   lambda = (H M - H r + N r) / 2,  m = 1.
Case 3.  N + H < M + r:   lambda = (H N - H r + M r) / 2,  m = 1.
Case 4.  M + N < H + r:   lambda = M N / 2,               m = 1.

The four cases are exclusive and exhaustive for 0 <= r <= H (see
``test_rrr_oracle.py``).  This module imports nothing from the package, so
that it stays independent of the code it checks.  The lambda above is the
global one over the zero set {B A = B0 A0}; it is attained at the most
singular true point, e.g. B0 = [[I_r, 0], [0, 0]], A0 = [[I_r, 0], [0, 0]],
which is where ``singularities.models.reduced_rank_regression_loss`` puts
the true parameter.
"""

from fractions import Fraction
from itertools import combinations

__all__ = ["aoyagi_watanabe", "deep_linear", "rrr_case"]


def rrr_case(M, N, H, r):
    """The case number (1, 2, 3 or 4) of the Main Theorem for (M, N, H, r).

    Examples
    --------
    >>> rrr_case(2, 2, 1, 0), rrr_case(1, 5, 1, 0), rrr_case(5, 1, 1, 0), rrr_case(1, 1, 3, 1)
    (1, 2, 3, 4)
    """
    _check(M, N, H, r)
    if N + r <= M + H and M + r <= N + H and H + r <= M + N:
        return 1
    if M + H < N + r:
        return 2
    if N + H < M + r:
        return 3
    if M + N < H + r:
        return 4
    raise AssertionError(f"no case of the Main Theorem applies to {(M, N, H, r)}")  # pragma: no cover


def aoyagi_watanabe(M, N, H, r=0):
    """(lambda, m) of reduced rank regression: M inputs, N outputs, rank H, true rank r.

    Examples
    --------
    >>> aoyagi_watanabe(1, 1, 1, 0)     # K = a^2 b^2
    (Fraction(1, 2), 2)
    >>> aoyagi_watanabe(3, 2, 1, 0)     # K = |b|^2 |a|^2, b in R^2, a in R^3
    (Fraction(1, 1), 1)
    """
    case = rrr_case(M, N, H, r)
    if case == 1:
        base = 2 * (H + r) * (M + N) - (M - N) ** 2 - (H + r) ** 2
        if (M + H + N + r) % 2 == 0:
            return Fraction(base, 8), 1
        return Fraction(base + 1, 8), 2
    if case == 2:
        return Fraction(H * M - H * r + N * r, 2), 1
    if case == 3:
        return Fraction(H * N - H * r + M * r, 2), 1
    return Fraction(M * N, 2), 1


def deep_linear(widths, r=0):
    """(lambda, m) of a deep linear network by Aoyagi (2024), Theorem 1, transcribed from the paper.

    Source: M. Aoyagi, "Consideration on the learning efficiency of multiple-layered neural networks with linear
    units", Neural Networks 172 (2024) 106132.  Widths H^(1) (inputs), ..., H^(N+1) (outputs), true rank r,
    M^(s) = H^(s) - r.  There is a unique subset S of the indices, of size l + 1, with
        max_(s in S) M^(s) < min_(k not in S) M^(k),
        sum_(s in S) M^(s) >= l max_(s in S) M^(s),
        sum_(s in S) M^(s) < l min_(k not in S) M^(k),
    and with M = ceil(sum_S M^(s) / l), a = sum_S M^(s) - (M - 1) l:
        lambda = (-r^2 + r (H^(1) + H^(N+1))) / 2 + a (l - a) / (4 l)
                 - l (l - 1) / 4 (sum_S M^(s) / l)^2 + (1/2) sum_(s < t in S) M^(s) M^(t),
        m = a (l - a) + 1.
    Every subset is tried (no ordering shortcut), so that this stays a transcription.

    Examples
    --------
    >>> deep_linear((1, 1, 1, 1))     # K = a^2 b^2 c^2
    (Fraction(1, 2), 3)
    """
    widths = list(widths)
    values = [h - r for h in widths]
    found = []
    indices = range(len(values))
    for size in range(2, len(values) + 1):
        for subset in combinations(indices, size):
            rest = [values[k] for k in indices if k not in subset]
            chosen = [values[s] for s in subset]
            l = size - 1
            if rest and not max(chosen) < min(rest):
                continue
            if sum(chosen) >= l * max(chosen) and (not rest or sum(chosen) < l * min(rest)):
                found.append(chosen)
    if not found:
        raise AssertionError(f"no admissible subset for {widths}, r = {r}")  # pragma: no cover
    chosen = found[0]
    l, total = len(chosen) - 1, sum(chosen)
    big_m = -(-total // l)
    a = total - (big_m - 1) * l
    pairs = sum(chosen[i] * chosen[j] for i in range(len(chosen)) for j in range(i + 1, len(chosen)))
    value = (
        Fraction(-(r**2) + r * (widths[0] + widths[-1]), 2)
        + Fraction(a * (l - a), 4 * l)
        - Fraction(l * (l - 1), 4) * Fraction(total, l) ** 2
        + Fraction(pairs, 2)
    )
    return value, a * (l - a) + 1


def _check(M, N, H, r):
    for name, value in (("M", M), ("N", N), ("H", H)):
        if not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    if not isinstance(r, int) or not 0 <= r <= min(H, M, N):
        raise ValueError(f"the true rank r must satisfy 0 <= r <= min(H, M, N), got {r!r}")
