"""The honeycomb (graphene) upper band: Dirac cones at E = 0, three M saddles at E = 1, the maximum at E = 3.

The bands are +-sqrt(R), R = |1 + e^{i k1} + e^{i k2}|^2 =
3 + 2 (cos k1 + cos k2 + cos(k1 - k2)) in lattice coordinates, t = 1,
measure d^2k/(2 pi)^2 per band (docs/lattices.md#honeycomb-lattice-graphene).
torus_critical_points finds the Morse points of the upper band (three
saddles at the M points, E = 1, and the maximum at Gamma, E = 3) and the
two conical touchings K, K' at E = 0, which are not critical points: there
rho(E) = |E| / (sqrt(3) pi) per cone (a linear DOS, the hallmark of
graphene), so 2 E / (sqrt(3) pi) in all.  The overlay adds the predicted
singular terms: the cones' linear term, the saddles' logarithm and the step
at the top.  The lower band is the mirror image, E -> -E.

Run:  python examples/physics_honeycomb.py [out.png] [--small]
"""

import argparse
from dataclasses import dataclass

import numpy as np
import sympy

from singularities.numeric.dos_curve import dos_curve
from singularities.physics.torus import torus_critical_points
from singularities.reports.plot import plot_dos

UPPER = "sqrt(3 + 2*(cos(k1) + cos(k2) + cos(k1 - k2)))"


@dataclass
class ConeTerm:
    """The DOS term of a conical touching in the form plot_dos reads: coefficient * |E - value|."""

    value: sympy.Expr
    coefficient: sympy.Expr
    exponent: int = 1
    log_power: int = 0

    def singular_part(self, energy):
        return float(self.coefficient) * abs(float(energy) - float(self.value))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", default="honeycomb_dos.png", help="output image (default: %(default)s)")
    parser.add_argument("--small", action="store_true", help="a coarse grid for a fast smoke run")
    args = parser.parse_args(argv)
    found = torus_critical_points(UPPER, variables="k1,k2")
    print(found)
    cones = [ConeTerm(c.value, c.dos_coefficient) for c in found.conical_points]
    print("conical points:", [(c.point, c.value, c.dos_coefficient) for c in found.conical_points])
    print(
        f"linear DOS at E = 0: {len(cones)} cones x {cones[0].coefficient} = "
        f"{float(sum(c.coefficient for c in cones)):.6f} per unit E"
    )
    grid, bins = (128, 150) if args.small else (1024, 450)
    near = np.geomspace(5e-3 if args.small else 2e-4, 0.4, 25)
    midpoints = np.linspace(0, 3, bins + 1)[:-1] + 1.5 / bins
    energies = np.concatenate([midpoints, 1 - near, 1 + near])
    curve = dos_curve(UPPER, variables="k1,k2", energies=energies, grid=grid, timeout=300)
    plot_dos(curve, [p.dos for p in found.points if p.dos is not None] + cones, file=args.file)
    slope = np.polyfit(curve.energies[curve.energies < 0.15], curve.rho[curve.energies < 0.15], 1)[0]
    print(f"measured slope of rho near E = 0: {slope:.4f} (predicted {2 / (np.sqrt(3) * np.pi):.4f})")
    print(f"wrote {args.file}")


if __name__ == "__main__":
    main()
