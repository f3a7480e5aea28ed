"""A one-hidden-unit tanh network: its loss jet, local RLCT and asymptotics.

f(x, w) = a tanh(b x), x ~ N(0, 1), true function 0 (w0 = (0, 0)).
K(a, b) = a^2 E[tanh(b x)^2] = a^2 b^2 - 2 a^2 b^4 + ...  =  a^2 b^2 u(b), u(0) = 1,
so lambda = 1/2 and m = 2.

Run: python examples/slt_two_layer_network.py  (about a second)
"""

import sympy

from singularities.energy import Energy
from singularities.models import two_layer_network_loss
from singularities.thresholds.global_rlct import global_rlct
from singularities.thresholds.rlct import rlct


def main():
    jet = two_layer_network_loss(1, order=5)  # K_5 = a1^2 b1^2; order 7 adds -2 a1^2 b1^4, negative for b1^2 > 1/2
    print(jet)
    print()
    local = rlct(jet.energy)
    print(f"rlct of the jet at w0: lambda = {local.threshold}, m = {local.multiplicity} ({local.status.value})")
    # A jet describes K only near w0: over a box, study the polynomial K_5 itself, and say so.
    overall = global_rlct(Energy(jet.expr, jet.energy.variables), box="-1:1")
    print("global RLCT of the polynomial K_5 (the jet, not K) over the box [-1, 1]^2:")
    print(overall)
    n = sympy.Symbol("n")
    print()
    print("free energy terms:", overall.free_energy_terms(n))
    print("generalisation error at n = 1000:", overall.generalization_error(1000))
    print()
    two = two_layer_network_loss(2, order=5)
    print("two hidden units, jet of order 5:", two.expr)


if __name__ == "__main__":
    main()
