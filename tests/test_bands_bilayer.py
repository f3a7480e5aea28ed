"""Bernal bilayer graphene with trigonal warping: the Lifshitz points near K (physics/bands.py, float path).

McCann & Koshino, Rep. Prog. Phys. 76, 056503 (2013), section 4.3: with the skew hopping gamma3 the
low-energy bands near each valley touch at one central and three satellite Dirac points, and the
Fermi-line topology changes (Lifshitz transition) at the energy scale
eps_L = gamma1 (gamma3/gamma0)^2 / 4 of the saddle points between them.  The independent check here
is numpy: eigh on H(k), Hellmann-Feynman gradients and Newton's method (with these amplitudes it gives
the six saddles of bands 2 and 3 at -+0.0039603960 (eps_L = 0.004) and the eight Dirac points at E = 0).
The package does not reach this yet (strict xfail: it fails loudly once it passes, so that the marker is removed).
"""

import numpy as np
import pytest
import sympy
from flint import arb

from singularities.physics.bands import CertifiedBandSet, band_critical_points

G0, G1, G3 = 1.0, 0.4, 0.2  # gamma0, gamma1, gamma3 (doubles: the same numbers in numpy and in the path)
K_POINTS = [np.array([2 * np.pi / 3, 4 * np.pi / 3]), np.array([4 * np.pi / 3, 2 * np.pi / 3])]


def _bloch_matrix():
    # basis A1, B1, A2, B2; f = 1 + e^{i k1} + e^{i k2}; B1-A2 dimer (gamma1), A1-B2 skew (gamma3)
    k1, k2 = sympy.symbols("k1 k2")
    f = 1 + sympy.exp(sympy.I * k1) + sympy.exp(sympy.I * k2)
    fc = 1 + sympy.exp(-sympy.I * k1) + sympy.exp(-sympy.I * k2)
    g0, g1, g3 = (sympy.Float(g) for g in (G0, G1, G3))
    return sympy.Matrix([[0, g0 * fc, 0, g3 * f], [g0 * f, 0, g1, 0], [0, g1, 0, g0 * fc], [g3 * fc, 0, g0 * f, 0]])


def _h(k):
    f = 1 + np.exp(1j * k[0]) + np.exp(1j * k[1])
    fc = np.conj(f)
    return np.array([[0, G0 * fc, 0, G3 * f], [G0 * f, 0, G1, 0], [0, G1, 0, G0 * fc], [G3 * fc, 0, G0 * f, 0]])


def _gradient(k, band):
    """dE_band/dk by Hellmann-Feynman, and E_band (0-based band index)."""
    w, v = np.linalg.eigh(_h(k))
    u, out = v[:, band], []
    for j in range(2):
        df = 1j * np.exp(1j * k[j])
        dfc = np.conj(df)
        dh = np.array([[0, G0 * dfc, 0, G3 * df], [G0 * df, 0, 0, 0], [0, 0, 0, G0 * dfc], [G3 * dfc, 0, G0 * df, 0]])
        out.append(np.real(u.conj() @ dh @ u))
    return np.array(out), w[band]


def _numeric_critical_points(band):
    """Critical points of one band within 0.3 of K, K' with |E| < 0.1: Newton from a grid (central differences)."""
    found = []
    for K in K_POINTS:
        for a in np.linspace(-0.15, 0.15, 13):
            for b in np.linspace(-0.15, 0.15, 13):
                k = K + [a, b]
                for _ in range(50):
                    g, _ = _gradient(k, band)
                    h = 1e-6
                    J = np.array(
                        [(_gradient(k + h * e, band)[0] - _gradient(k - h * e, band)[0]) / (2 * h) for e in np.eye(2)]
                    )
                    try:
                        step = np.linalg.solve(J.T, g)
                    except np.linalg.LinAlgError:
                        break
                    k = k - step
                    if np.linalg.norm(step) < 1e-13:
                        break
                g, e = _gradient(k, band)
                if np.linalg.norm(g) < 1e-10 and np.linalg.norm(k - K) < 0.3 and abs(e) < 0.1:
                    if not any(np.linalg.norm(k - q) < 1e-7 for q, _, _ in found):
                        found.append((k, e, np.linalg.det(J)))
    return found


def _dirac_points():
    """The zeros of det H near K, K': det H = |g0^2 f^2 - g1 g3 f*|^2 (factor the 4x4 determinant with f, f* as
    symbols), so f = 0 (central) or f = (g1 g3 / g0^2) w^j, w = e^{2 pi i / 3} (three satellites); each solved
    for k by Newton's method on f(k) = target."""
    points = []
    for K in K_POINTS:
        for target in [0] + [G1 * G3 / G0**2 * np.exp(2j * np.pi * j / 3) for j in range(3)]:
            best = None
            for start in [K + 0.1 * np.array([np.cos(t), np.sin(t)]) for t in np.linspace(0, 2 * np.pi, 12)] + [K]:
                k = start.copy()
                for _ in range(60):
                    f = 1 + np.exp(1j * k[0]) + np.exp(1j * k[1]) - target
                    J = np.array(
                        [
                            [np.real(1j * np.exp(1j * k[j])) for j in range(2)],
                            [np.imag(1j * np.exp(1j * k[j])) for j in range(2)],
                        ]
                    )
                    k = k - np.linalg.solve(J, [np.real(f), np.imag(f)])
                if abs(1 + np.exp(1j * k[0]) + np.exp(1j * k[1]) - target) < 1e-12 and np.linalg.norm(k - K) < 0.3:
                    best = k
                    break
            points.append(best)
    return points


def _close(ball_text, value, tolerance):
    return abs(float(arb(ball_text).mid()) - value) < tolerance


@pytest.mark.slow
@pytest.mark.xfail(
    strict=True,
    reason="not reached yet: the exact path passes its 1500 s limit; the float path gives up after 4000 "
    "uncertified floor boxes (about 40 CPU s) where bands 2 and 3 stay close in energy around K",
)
def test_bilayer_lifshitz_points_near_k():
    r = band_critical_points(_bloch_matrix())
    assert isinstance(r, CertifiedBandSet)
    # 1. the four Dirac points per valley: touchings of bands 2 and 3 at E = 0 (chiral model, no gamma4)
    dirac = _dirac_points()
    assert all(k is not None for k in dirac) and len(dirac) == 8
    near_zero = [t for t in r.touchings if t.status == "touching or near-touching"]
    assert len(near_zero) == 8 and all(t.bands == (2, 3) for t in near_zero)
    for t in near_zero:
        k = np.array([float(arb(c).mid()) for c in t.point]) % (2 * np.pi)
        assert min(np.linalg.norm(k - q) for q in dirac) < 1e-6
        assert _close(t.value, 0.0, 1e-6) and arb(t.delta) < 1e-6
    # 2. the saddles between them (van Hove points of the Lifshitz transition): 3 per valley in bands 2 and 3,
    # at -+ eps; each certified one matches a numpy critical point, and eps is close to McCann-Koshino's scale
    eps_l = G1 * (G3 / G0) ** 2 / 4  # 0.004
    for band in (2, 3):
        numeric = [(k, e) for k, e, det in _numeric_critical_points(band - 1) if det < 0]
        assert len(numeric) == 6
        mine = [p for p in r.band(band) if abs(float(arb(p.value).mid())) < 0.1]
        assert len(mine) == 6 and all(p.label == "A1 saddle" for p in mine)
        for p in mine:
            k = np.array([float(arb(c).mid()) for c in p.point]) % (2 * np.pi)
            (match,) = [e for q, e in numeric if np.linalg.norm(q - k) < 1e-8]
            assert _close(p.value, match, 1e-10)
            assert abs(abs(match) - eps_l) < 0.05 * eps_l  # leading order: numerically 0.0039604 vs 0.004
            assert (match > 0) == (band == 3)
    # 3. the outer bands touch nothing: their Morse sums are checked
    assert r.morse_sums[0] == 0 and r.morse_sums[3] == 0
