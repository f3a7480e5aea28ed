"""The triangular-lattice DOS: a step at the band bottom, the logarithm of three M saddles, and the K maxima.

In lattice coordinates k_i = k . a_i the nearest-neighbour band is
E(k) = -2t (cos k1 + cos k2 + cos(k1 - k2)) (t = 1), measure d^2k/(2 pi)^2
(docs/lattices.md#triangular-lattice).  torus_critical_points finds a
minimum at Gamma (E = -6), three Morse saddles at the M points (E = 2) and
maxima at K and K' (E = 3), with the Morse sum 1 - 3 + 2 = 0.  Each saddle
(Hessian determinant -4 in these coordinates) contributes
-log|E - 2| / (4 pi^2), so near E = 2 rho ~ -(3 / (4 pi^2)) log|E - 2|; the
band-bottom step is sqrt(3)/(12 pi) (Hessian determinant 12) and each of K,
K' gives a step sqrt(3)/(6 pi) below E = 3.  The overlay is the predicted singular part plus a constant fitted to the
curve (see singularities.reports.plot.plot_dos).

With second-neighbour hopping the K point turns into a monkey saddle at
t2 = t/6 (examples/physics_monkey_saddle.py); the full run also finds that
value with tune.

Run:  python examples/physics_triangular_lattice.py [out.png] [--small]
"""

import argparse

import numpy as np
import sympy

from singularities.numeric.dos_curve import dos_curve
from singularities.physics.torus import torus_critical_points
from singularities.physics.tune import tune
from singularities.reports.plot import plot_dos

DISPERSION = "-2*(cos(k1) + cos(k2) + cos(k1 - k2))"
WITH_T2 = "-2*t*(cos(k1) + cos(k2) + cos(k1 - k2)) - 2*t2*(cos(k1 + k2) + cos(2*k1 - k2) + cos(2*k2 - k1))"
K_POINT = "2*pi/3,4*pi/3"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "file", nargs="?", default="triangular_lattice_dos.png", help="output image (default: %(default)s)"
    )
    parser.add_argument("--small", action="store_true", help="a coarse grid and no tuning, for a fast smoke run")
    args = parser.parse_args(argv)
    found = torus_critical_points(DISPERSION, variables="k1,k2")
    print(found)
    grid, bins = (128, 150) if args.small else (1024, 450)
    near = np.geomspace(5e-3 if args.small else 2e-4, 0.5, 25)
    midpoints = np.linspace(-6, 3, bins + 1)[:-1] + 4.5 / bins  # never exactly -6, 2 or 3
    energies = np.concatenate([midpoints, 2 - near, 2 + near])
    curve = dos_curve(DISPERSION, variables="k1,k2", energies=energies, grid=grid, timeout=300)
    predictions = [p.dos for p in found.points if p.dos is not None]
    plot_dos(curve, predictions, file=args.file)
    saddles = [p for p in predictions if p.value == 2]
    total = sympy.nsimplify(sum(p.log_coefficient for p in saddles))
    print(f"log coefficient at E = 2: {len(saddles)} saddles, together {total} = {float(total):.6f}")
    print(f"fitted constant at E = 2: {curve.offset(saddles):.4f}")
    if not args.small:
        print()
        print("second-neighbour hopping, tuned at K:")
        print(tune(WITH_T2, "t=1,t2", variables="k1,k2", point=K_POINT, torus=False, timeout=120))
    print(f"wrote {args.file}")


if __name__ == "__main__":
    main()
