"""The monkey saddle D4-: local model x^3 - 3 x y^2 and the triangular lattice tuned to t2 = t/6.

Local model.  g = x^3 - 3 x y^2 = Re (x + i y)^3 is quasi-homogeneous with
weights (1/3, 1/3), so d = 2/3: the DOS diverges as |E|^(-1/3) on both
sides with C_+ = C_- (g(-x, y) = -g), the RLCT of |g| is lambda = 2/3 with
m = 1 (the Newton polygon: t = 3/2, 1/t = 2/3; g is only weakly
non-degenerate, its face polynomial vanishes on three real lines), and the
spectroscope curve of V(t) = vol{|g| < t} sits on a plateau at 2/3.

Lattice.  With second-neighbour hopping t2 the triangular band
-2t (cos k1 + cos k2 + cos(k1 - k2)) - 2 t2 (cos(k1 + k2) + cos(2 k1 - k2) + cos(2 k2 - k1))
has a vanishing Hessian at K, K' for t2 = t/6 (tune finds it:
examples/physics_triangular_lattice.py), and the cubic term there is a
monkey saddle: rho ~ C |E - 2|^(-1/3) on both sides, C from the principal
part at K (docs/lattices.md#triangular-lattice).  The other points are the
minimum at Gamma (E = -7) and maxima at the three M points (E = 7/3).

Writes FILE (the lattice DOS with the predicted terms), and FILE with the
suffixes _newton and _spectroscope before the extension.

Run:  python examples/physics_monkey_saddle.py [out.png] [--small]
"""

import argparse
import dataclasses
import pathlib

import numpy as np
import sympy

import singularities as sg
from singularities.numeric.dos_curve import dos_curve
from singularities.numeric.multiscale import volume_curve
from singularities.physics.dos import dos_asymptotics
from singularities.reports.diagrams import plot_newton
from singularities.reports.plot import plot_dos, plot_spectroscope

LOCAL = "x**3 - 3*x*y**2"
TUNED = "-2*(cos(k1) + cos(k2) + cos(k1 - k2)) - (cos(k1 + k2) + cos(2*k1 - k2) + cos(2*k2 - k1))/3"
POINTS = {"Gamma": "0,0", "K": "2*pi/3,4*pi/3", "K'": "4*pi/3,2*pi/3", "M1": "0,pi", "M2": "pi,0", "M3": "pi,pi"}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", default="monkey_saddle.png", help="output image (default: %(default)s)")
    parser.add_argument("--small", action="store_true", help="fewer samples and a coarse grid, for a fast smoke run")
    args = parser.parse_args(argv)
    path = pathlib.Path(args.file)
    local_model(path, args.small)
    lattice(path, args.small)


def local_model(path, small):
    """Type, RLCT, DOS prefactors, Newton polygon and spectroscope of x^3 - 3 x y^2."""
    print(sg.classify(LOCAL))
    result = sg.rlct(LOCAL)
    print(
        f"RLCT: lambda = {result.threshold}, m = {result.multiplicity} "
        f"({result.status.value}, theorem {result.certificate.theorem})"
    )
    dos = dos_asymptotics(LOCAL)
    print(f"DOS: exponent {dos.exponent}, C_+ = {dos.c_plus} = {float(dos.c_plus):.6f}, C_+/C_- = {dos.ratio}")
    plot_newton(LOCAL, file=_suffixed(path, "newton"))
    curve = volume_curve(LOCAL, decades=6 if small else 10, samples=10**7 if small else 10**8, seed=1)
    plot_spectroscope(
        curve, [result], title=f"spectroscope of g = {LOCAL} on [-1, 1]^2", file=_suffixed(path, "spectroscope")
    )
    print(f"wrote {_suffixed(path, 'newton')} and {_suffixed(path, 'spectroscope')}")


def lattice(path, small):
    """The DOS of the tuned triangular band with the predicted terms of all six critical points."""
    torus = 1 / (4 * sympy.pi**2)
    predictions = []
    for name, point in POINTS.items():
        if name == "K'":  # f is even, K' = -K: the germ at K' is g_K(-x), and x -> -x keeps volumes, so the same DOS
            predictions.append(dataclasses.replace(predictions[-1], point=tuple(sympy.sympify(point.split(",")))))
            continue
        predictions.append(dos_asymptotics(TUNED, point, variables="k1,k2").scaled(torus, "torus"))
    for name, p in zip(POINTS, predictions):
        print(
            f"{name:6} E = {p.value!s:5} {p.label:4} exponent {p.exponent!s:5} "
            f"C_+ = {sympy.N(p.c_plus, 6)}  C_- = {sympy.N(p.c_minus, 6)}"
        )
    grid, bins = (192, 150) if small else (1536, 450)
    near = np.geomspace(1e-2 if small else 5e-4, 0.3, 20)
    low, high = -7, sympy.Rational(7, 3)
    midpoints = np.linspace(low, float(high), bins + 1)[:-1] + (float(high) - low) / (2 * bins)
    energies = np.concatenate([midpoints, 2 - near, 2 + near])
    curve = dos_curve(TUNED, variables="k1,k2", energies=energies[energies < float(high)], grid=grid, timeout=300)
    plot_dos(curve, predictions, file=path, insets=[2])
    print(f"wrote {path}")


def _suffixed(path, suffix):
    return path.with_name(f"{path.stem}_{suffix}{path.suffix}")


if __name__ == "__main__":
    main()
