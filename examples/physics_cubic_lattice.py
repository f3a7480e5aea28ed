"""The simple cubic lattice: eight Morse points, four van Hove energies, square-root kinks in the DOS.

E(k) = -2t (cos x + cos y + cos z) (t = 1) on the 3-torus, measure
d^3k/(2 pi)^3 (docs/lattices.md#cubic-lattice).  torus_critical_points finds
the minimum at Gamma (E = -6), three M1 saddles at E = -2, three M2 saddles
at E = 2 and the maximum at R (E = 6); 1 - 3 + 3 - 1 = 0.  In 3D every Morse
point gives a |E - c|^(1/2) term, on one side (C_+ above an M1 saddle and the
minimum, C_- below an M2 saddle and the maximum); d = 3/2 is not an integer,
so the singular part is a power law whose side and prefactor the insets show:
|rho - b| against |E - c| on log-log axes near E = -2, slope 1/2 on the side
where the term lives (b the fitted smooth value at c).

Run:  python examples/physics_cubic_lattice.py [out.png] [--small]
"""

import argparse

import numpy as np

from singularities.numeric.dos_curve import dos_curve
from singularities.physics.torus import torus_critical_points
from singularities.reports.plot import plot_dos

DISPERSION = "-2*(cos(x) + cos(y) + cos(z))"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", default="cubic_lattice_dos.png", help="output image (default: %(default)s)")
    parser.add_argument("--small", action="store_true", help="a coarse grid for a fast smoke run")
    args = parser.parse_args(argv)
    found = torus_critical_points(DISPERSION, variables="x,y,z")
    print(found)
    print("counts:", found.counts(), " Morse sum:", found.morse_sum)
    grid, bins = (32, 120) if args.small else (128, 300)
    near = np.geomspace(2e-2 if args.small else 3e-3, 1.0, 16)
    midpoints = np.linspace(-6, 6, bins + 1)[:-1] + 6 / bins
    energies = np.concatenate([midpoints, -2 - near, -2 + near])
    curve = dos_curve(DISPERSION, variables="x,y,z", energies=energies, grid=grid, timeout=300)
    lower_saddles = [p.dos for p in found.points if p.value == -2]
    others = [p.dos for p in found.points if p.value != -2]
    plot_dos(curve, lower_saddles + others, file=args.file)
    c_plus = sum(p.c_plus for p in lower_saddles)
    print(f"at E = -2: C_+ = {c_plus} = {float(c_plus):.5f} (3 saddles), C_- = {sum(p.c_minus for p in lower_saddles)}")
    print(f"wrote {args.file}")


if __name__ == "__main__":
    main()
