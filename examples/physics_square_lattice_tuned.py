"""The square lattice with next-nearest hopping tuned to tp = t/2, where its band top degenerates.

E(k) = -2t (cos kx + cos ky) - 4 tp cos kx cos ky (t = 1), measure
d^2k/(2 pi)^2.  tune finds the parameter values where a critical point turns
degenerate: tp = +-t/2 (docs/lattices.md#tuning-to-higher-order-points).
The square lattice has no isolated higher-order point: at tp = 1/2 the
saddles at X = (pi, 0), (0, pi) merge with the maximum M = (pi, pi) into
two lines of maxima, kx = pi and ky = pi, at E = 2, and the DOS exponent of
each line is -1/2 (torus_critical_points reports them as components).

The logarithmic van Hove singularity of the untuned lattice becomes a power
law.  Where the lines cross the transverse Hessian vanishes and a logarithm
multiplies it; by hand (not computed by the library): with kx = pi + u,
ky = pi + v, exactly f = 2 - 2 a b with a = 1 - cos u, b = 1 - cos v; a has
density 1/(pi sqrt(a (2 - a))) on [0, 2], and integrating delta(eps - 2 a b)
gives, with eps = 2 - E,

    rho(2 - eps) = eps^(-1/2) [ log(1/eps) / (2 sqrt(2) pi^2) + O(1) ].

The figure: left, rho(E) with the predicted step at the band bottom (E = -6)
overlaid (plot_dos); right, rho sqrt(eps) against log(1/eps), a straight line
of slope 1/(2 sqrt(2) pi^2) = 0.0358 (intercept fitted).

Run:  python examples/physics_square_lattice_tuned.py [out.png] [--small]
"""

import argparse
import math

import numpy as np

from singularities.numeric.dos_curve import dos_curve
from singularities.physics.torus import torus_critical_points
from singularities.physics.tune import tune
from singularities.reports.plot import plot_dos

FAMILY = "-2*t*(cos(kx) + cos(ky)) - 4*tp*cos(kx)*cos(ky)"
TUNED = "-2*(cos(kx) + cos(ky)) - 2*cos(kx)*cos(ky)"  # t = 1, tp = 1/2
SLOPE = 1 / (2 * math.sqrt(2) * math.pi**2)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "file", nargs="?", default="square_lattice_tuned.png", help="output image (default: %(default)s)"
    )
    parser.add_argument("--small", action="store_true", help="a coarse grid for a fast smoke run")
    args = parser.parse_args(argv)
    found = tune(FAMILY, "t=1,tp", timeout=120)
    print(found)
    print([d.relation for d in found.degenerations if d.stratum == "degenerate"])
    tuned = torus_critical_points(TUNED, variables="kx,ky")
    print(tuned)
    grid, bins = (256, 160) if args.small else (2048, 400)
    eps = np.geomspace(3e-3 if args.small else 2e-4, 0.3, 20)
    midpoints = np.linspace(-6, 2, bins + 1)[:-1] + 4 / bins
    curve = dos_curve(TUNED, variables="kx,ky", energies=np.concatenate([midpoints, 2 - eps]), grid=grid, timeout=300)
    figure = _figure(curve, [p.dos for p in tuned.points if p.dos is not None], eps)
    figure.savefig(args.file, dpi=120, bbox_inches="tight")
    print(f"wrote {args.file}")


def _figure(curve, predictions, eps):
    from matplotlib.figure import Figure

    figure = Figure(figsize=(15, 6.2))
    left, right = figure.subplots(1, 2, gridspec_kw={"width_ratios": (1.5, 1)})
    plot_dos(curve, predictions, ax=left)
    left.set_ylim(0, 1.6)
    left.set_title(
        "DOS at tp = t/2 (rho diverges at the band top E = 2; the top of the peak is cut)", fontsize="medium"
    )
    chosen = np.isin(curve.energies, 2 - eps)
    x = np.log(1 / (2 - curve.energies[chosen]))
    y = curve.rho[chosen] * np.sqrt(2 - curve.energies[chosen])
    intercept = float(np.mean(y - SLOPE * x))
    right.errorbar(
        x,
        y,
        yerr=curve.error[chosen] * np.sqrt(2 - curve.energies[chosen]),
        fmt="o",
        ms=3.5,
        color="k",
        label="rho(E) sqrt(2 - E), linear triangles",
    )
    right.plot(
        x,
        intercept + SLOPE * x,
        "--",
        color="tab:red",
        label=f"slope 1/(2 sqrt(2) pi^2) = {SLOPE:.4f} (by hand), intercept fitted = {intercept:.3f}",
    )
    right.set_xlabel("log(1/(2 - E))")
    right.set_ylabel("rho(E) sqrt(2 - E)")
    right.set_title("two crossing lines of maxima: (2 - E)^(-1/2) log(1/(2 - E))", fontsize="medium")
    right.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), fontsize="small", frameon=False)
    right.grid(True, alpha=0.3)
    print(f"rho sqrt(2 - E) against log(1/(2 - E)): slope {np.polyfit(x, y, 1)[0]:.4f} fitted, {SLOPE:.4f} by hand")
    return figure


if __name__ == "__main__":
    main()
