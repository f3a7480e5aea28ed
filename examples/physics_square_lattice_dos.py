"""The square-lattice DOS with its predicted van Hove logarithm and band-edge steps overlaid.

E(k) = -2 (cos kx + cos ky) (t = 1) on the torus, measure d^2k/(2 pi)^2
(docs/conventions.md#density-of-states).  The curve comes from the linear
triangle method (singularities.numeric.dos_curve); the predictions from
singularities.physics.dos at the four critical points: saddles at (pi, 0) and
(0, pi) with E = 0, each contributing -log|E| / (2 pi)^2, so that near E = 0

    rho(E) ~ (1 / (2 pi^2)) log(16 / |E|)          (exact: K(sqrt(1 - E^2/16)) / (2 pi^2)),

and steps of 1/(4 pi) at the band edges E = -4 (minimum at Gamma) and E = 4
(maximum at M).  The overlay is the predicted singular part plus a constant
fitted to the curve; for the logarithm that constant should be
log(16) / (2 pi^2) = 0.14046.

Run:  python examples/physics_square_lattice_dos.py [out.png] [--small]
"""

import argparse
import math

import numpy as np
import sympy

from singularities.numeric.dos_curve import dos_curve
from singularities.physics.dos import dos_asymptotics
from singularities.reports.plot import plot_dos

DISPERSION = "-2*(cos(kx) + cos(ky))"
POINTS = ("0,0", "pi,0", "0,pi", "pi,pi")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", default="square_lattice_dos.png", help="output image (default: %(default)s)")
    parser.add_argument("--small", action="store_true", help="a coarse grid for a fast smoke run")
    args = parser.parse_args(argv)
    grid, bins = (128, 120) if args.small else (1024, 400)
    near = np.geomspace(2e-4 if not args.small else 5e-3, 0.6, 30)
    midpoints = np.linspace(-4, 4, bins + 1)[:-1] + 4 / bins  # never exactly the critical values -4, 0, 4
    energies = np.concatenate([midpoints, -near, near])
    curve = dos_curve(DISPERSION, variables="kx,ky", energies=energies, grid=grid, timeout=300)
    torus = 1 / (4 * sympy.pi**2)
    predictions = [dos_asymptotics(DISPERSION, point, variables="kx,ky").scaled(torus, "torus") for point in POINTS]
    plot_dos(curve, predictions, file=args.file)
    saddles = [p for p in predictions if p.value == 0]
    offset = curve.offset(saddles)
    print(curve)
    print(
        f"log coefficient at E = 0: {len(saddles)} saddles x {sympy.sstr(saddles[0].log_coefficient)} "
        f"= {float(sum(p.log_coefficient for p in saddles)):.6f} (exact -1/(2 pi^2) = {-1 / (2 * math.pi**2):.6f})"
    )
    print(f"fitted constant at E = 0: {offset:.5f} (exact log(16)/(2 pi^2) = {math.log(16) / (2 * math.pi**2):.5f})")
    print(f"wrote {args.file}")


if __name__ == "__main__":
    main()
