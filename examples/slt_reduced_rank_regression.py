"""Reduced rank regression: rlct and global_rlct against Aoyagi and Watanabe (2005).

Run: python examples/slt_reduced_rank_regression.py  (a few seconds)
"""

import sympy

from singularities.models import reduced_rank_regression_loss
from singularities.thresholds.global_rlct import global_rlct
from singularities.thresholds.rlct import rlct


def aoyagi_watanabe(M, N, H, r):
    """Main Theorem of Aoyagi and Watanabe, Neural Networks 18 (2005) 924-933 (see tests/rrr_oracle.py)."""
    if N + r <= M + H and M + r <= N + H and H + r <= M + N:
        base = 2 * (H + r) * (M + N) - (M - N) ** 2 - (H + r) ** 2
        odd = (M + H + N + r) % 2
        return sympy.Rational(base + odd, 8), 1 + odd
    if M + H < N + r:
        return sympy.Rational(H * M - H * r + N * r, 2), 1
    if N + H < M + r:
        return sympy.Rational(H * N - H * r + M * r, 2), 1
    return sympy.Rational(M * N, 2), 1


def main():
    print("M N H r | rlct at the true point | global over [-2,2]^d | Aoyagi-Watanabe")
    for M, N, H, r in [(1, 1, 1, 0), (2, 1, 1, 0), (2, 2, 1, 0), (1, 1, 1, 1)]:
        loss = reduced_rank_regression_loss(M, N, H, r)
        local = rlct(loss.energy, timeout=30)
        overall = global_rlct(loss, box="-2:2", timeout=60)
        print(
            f"{M} {N} {H} {r} | ({local.threshold}, {local.multiplicity}) {local.status.value:6} | "
            f"({overall.threshold}, {overall.multiplicity}) {overall.status.value:6} | {aoyagi_watanabe(M, N, H, r)}"
        )
    print()
    print(global_rlct(reduced_rank_regression_loss(2, 2, 1, 0), box="-2:2"))


if __name__ == "__main__":
    main()
