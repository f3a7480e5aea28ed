"""Van Hove points of the square lattice seen through Newton polyhedra and the RLCT.

E(k) = -2 (cos kx + cos ky) has a minimum at Gamma = (0, 0) and saddles at
X = (pi, 0).  At each point g(k) = E(p + k) - E(p); the RLCT (lambda, m) of
|g| encodes vol{|E - E(p)| < eps} ~ C eps^lambda log(1/eps)^(m-1): the saddle's
m = 2 is the logarithm of the 2D van Hove singularity, the minimum's
lambda = 1, m = 1 the step at the band edge (docs/conventions.md).

Run:  python examples/physics_van_hove_newton.py
"""

import singularities as sg

DISPERSION = "-2*(cos(kx) + cos(ky))"
POINTS = {"Gamma (band bottom)": "0,0", "X (saddle)": "pi,0", "M (band top)": "pi,pi"}


def main():
    for name, point in POINTS.items():
        energy = sg.Energy(DISPERSION, "kx,ky", point=point)
        value = energy.value()
        local = sg.Energy(f"{DISPERSION} - ({value})", "kx,ky", point=point)
        result = sg.rlct(local)
        cert = result.certificate
        print(
            f"{name:20} E = {value!s:3}  lambda = {result.threshold}  m = {result.multiplicity}  "
            f"(t = {cert.newton_distance}, face {cert.face_polynomial}, theorem {cert.theorem})"
        )


if __name__ == "__main__":
    main()
