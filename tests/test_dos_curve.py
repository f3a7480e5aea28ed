"""DOS curves on the torus against closed forms derived independently of the code.

Truths (measure d^nk/(2 pi)^n, docs/conventions.md#density-of-states):
- chain -2 cos k: rho = 1/(pi sqrt(4 - E^2)) (two roots k, each weight 1/(2 pi |2 sin k|));
- square lattice: rho = K(k)/(2 pi^2) with modulus k = sqrt(1 - E^2/16); mpmath.ellipk takes the
  parameter m = k^2, and K(k) = pi / (2 agm(1, k')) with k' = |E|/4 (checked below);
- simple cubic: rho_3(E) = (1/pi) int_0^pi rho_2(E + 2 cos q) dq (the z band convolved with the
  square lattice), and near the bottom f = -6 + |k|^2 - sum k_i^4/12 + ..., so
  rho ~ (2 pi sqrt(E + 6) / (2 pi)^3) (1 + (E + 6)/8) = sqrt(E + 6)/(4 pi^2) (1 + (E + 6)/8).
"""

import importlib
import json
import math

import mpmath
import numpy as np
import pytest
import sympy

from singularities.errors import InputError, MethodNotApplicableError, NumericError, TimeLimitError
from singularities.numeric.dos_curve import DOSCurve, dos_curve

module = importlib.import_module("singularities.numeric.dos_curve")  # the module, not the function of the same name

SQUARE = "-2*(cos(x) + cos(y))"
CUBIC = "-2*(cos(x) + cos(y) + cos(z))"


def chain_dos(energy):
    return 1 / (math.pi * math.sqrt(4 - energy**2))


def square_dos(energy):
    return float(mpmath.ellipk(1 - mpmath.mpf(energy) ** 2 / 16)) / (2 * math.pi**2)


def _square_dos_agm(energy):
    return 1 / (4 * mpmath.pi * mpmath.agm(1, abs(energy) / 4)) if 0 < abs(energy) < 4 else 0


def cubic_dos(energy):
    breaks = {mpmath.mpf(0), mpmath.pi}
    for level in (-4, 0, 4):
        cosine = mpmath.mpf(level - energy) / 2
        if -1 < cosine < 1:
            breaks.add(mpmath.acos(cosine))
    integral = mpmath.quad(lambda q: _square_dos_agm(energy + 2 * mpmath.cos(q)), sorted(breaks))
    return float(integral / mpmath.pi)


class Saddles:
    """Stand-in prediction: L log|E - c| (the protocol of singularities.physics.dos.DOSAsymptotic)."""

    def __init__(self, value, log_coefficient):
        self.value, self.exponent, self.log_power = sympy.sympify(value), sympy.Integer(0), 1
        self.log_coefficient = log_coefficient

    def singular_part(self, energy):
        return self.log_coefficient * math.log(abs(energy - float(self.value)))


class Edge:
    """Stand-in prediction: c_plus (E - c)^a above c, nothing below."""

    def __init__(self, value, exponent, c_plus):
        self.value, self.exponent, self.log_power, self.c_plus = (
            sympy.sympify(value),
            sympy.Rational(exponent),
            0,
            c_plus,
        )

    def singular_part(self, energy):
        offset = energy - float(self.value)
        return self.c_plus * offset ** float(self.exponent) if offset > 0 else 0.0


def covered(curve, truth, keep):
    deviation = np.abs(curve.rho - np.array([truth(e) for e in curve.energies]))
    return deviation[keep], curve.error[keep]


def test_truths_agree():
    # the elliptic-K convention: ellipk(m) with m = k^2 equals pi/(2 agm(1, k'))
    for energy in (0.01, 1.3, 3.7):
        assert square_dos(energy) == pytest.approx(float(_square_dos_agm(energy)), rel=1e-12)
    # near E = 0: K ~ log(4/k') = log(16/|E|) (the agm form keeps the digits ellipk loses at m ~ 1)
    assert float(_square_dos_agm(1e-6)) == pytest.approx(math.log(16e6) / (2 * math.pi**2), rel=1e-9)
    # simple cubic: the band-bottom expansion
    for gap in (0.01, 0.1):
        assert cubic_dos(-6 + gap) == pytest.approx(math.sqrt(gap) / (4 * math.pi**2) * (1 + gap / 8), rel=gap**2)


def test_chain_matches_closed_form_within_error():
    curve = dos_curve("-2*cos(k)", grid=2048)
    deviation, error = covered(curve, chain_dos, np.abs(curve.energies) < 1.99)
    assert np.all(deviation <= error)
    inner = np.abs(curve.energies) < 1.9
    assert np.all(np.abs(curve.rho - [chain_dos(e) for e in curve.energies])[inner] < 0.005 * curve.rho[inner])
    assert np.median(error) < 5e-4  # first order in 1D: the linear interpolant's DOS is a staircase
    assert (curve.band_bottom, curve.band_top) == (-2.0, 2.0)


def test_square_lattice_matches_elliptic_k_within_error():
    near = np.geomspace(1e-3, 0.5, 12)
    curve = dos_curve(SQUARE, grid=512, energies=np.concatenate([-near, near, np.linspace(-3.99, 3.99, 81)]))
    deviation, error = covered(curve, square_dos, np.abs(curve.energies) >= 1e-3)
    assert np.all(deviation <= error)
    regular = (np.abs(curve.energies) >= 0.05) & (np.abs(curve.energies) <= 3.9)
    assert np.max((curve.error / curve.rho)[regular]) < 0.01


def test_square_lattice_log_singularity():
    energies = np.array([-1e-2, -1e-3, 1e-3, 1e-2])
    curve = dos_curve(SQUARE, grid=512, energies=energies)
    expected = np.log(16 / np.abs(energies)) / (2 * math.pi**2)
    assert np.all(np.abs(curve.rho - expected) <= curve.error + 1e-5)


@pytest.mark.parametrize("f, grid", [("-2*cos(k)", 1024), (SQUARE, 256), (CUBIC, 24)])
def test_normalisation_one_state_per_cell(f, grid):
    n = len(sympy.sympify(f).free_symbols)
    edge = 2.0 * n
    curve = dos_curve(f, grid=grid, energies=[-edge - 1, -edge, edge, edge + 1])
    assert curve.integrated == pytest.approx([0, 0, 1, 1], abs=1e-12)
    assert list(curve.rho[[0, -1]]) == [0, 0]
    assert "integral of rho dE = 1" in curve.normalisation


def test_integrated_dos_is_the_integral_of_rho():
    curve = dos_curve(SQUARE + " + cos(x + y)/3", grid=128, bins=2000)
    steps = np.diff(curve.energies)
    trapezoid = np.cumsum((curve.rho[1:] + curve.rho[:-1]) / 2 * steps)
    assert np.allclose(curve.integrated[1:] - curve.integrated[0], trapezoid, atol=2e-3)
    assert curve.integrated[0] == pytest.approx(0, abs=1e-3) and curve.integrated[-1] == pytest.approx(1, abs=1e-3)


def test_tetrahedron_formulas_are_consistent():
    # rho is dN/dE for a generic (non-symmetric) 3D dispersion, and N(top) = 1
    f = CUBIC + " + cos(x - 2*z)/2 + sin(y)/3"
    delta = 1e-5
    energies = (np.array([-4.0, -1.3, 0.2, 2.5])[:, None] + [-delta, 0, delta]).ravel()
    curve = dos_curve(f, grid=16, energies=energies)
    below, middle, above = curve.integrated[0::3], curve.rho[1::3], curve.integrated[2::3]
    assert (above - below) / (2 * delta) == pytest.approx(middle, rel=1e-4)


def test_simple_cubic_matches_convolution_within_error():
    energies = [-5.9, -5.0, -3.0, -2.05, -1.95, -0.7, 0.0, 1.0, 2.1, 4.6, 5.95]
    curve = dos_curve(CUBIC, grid=32, energies=energies)
    deviation, error = covered(curve, cubic_dos, slice(None))
    assert np.all(deviation <= error)
    assert (curve.band_bottom, curve.band_top) == (-6.0, 6.0)


def test_simple_cubic_band_bottom_asymptote():
    gaps = np.array([0.1, 0.2, 0.4])
    curve = dos_curve(CUBIC, grid=96, energies=-6 + gaps)
    asymptote = np.sqrt(gaps) / (4 * math.pi**2) * (1 + gaps / 8)
    assert np.all(np.abs(curve.rho - asymptote) <= curve.error + 0.003 * asymptote)


def test_general_periods_and_parameters():
    scaled = dos_curve("-2*t*cos(2*pi*k)", parameters="t=1", periods=1, grid=1024, energies=[0.5, 1.5])
    plain = dos_curve("-2*cos(k)", grid=1024, energies=[0.5, 1.5])
    assert np.allclose(scaled.rho, plain.rho, rtol=1e-9)
    assert "d^1k/(1)" in scaled.normalisation
    mixed = dos_curve("-2*cos(x) - 2*cos(y/2)", periods="2*pi,4*pi", grid=256, energies=[0.7])
    assert mixed.rho[0] == pytest.approx(square_dos(0.7), abs=mixed.error[0] + 1e-12)


def test_energies_are_sorted_and_defaults_are_bin_midpoints():
    curve = dos_curve("-2*cos(k)", grid=64, energies=[1.0, -1.0, 0.0])
    assert list(curve.energies) == [-1.0, 0.0, 1.0]
    default = dos_curve("-2*cos(k)", grid=64, bins=4)
    assert list(default.energies) == [-1.5, -0.5, 0.5, 1.5]
    with pytest.raises(ValueError):
        curve.rho[0] = 1.0


@pytest.mark.parametrize(
    "f, options, message",
    [
        ("cos(w) + cos(x) + cos(y) + cos(z)", {}, "1, 2 or 3 variables"),
        ("-2*t*cos(k)", {"parameters": ["t"]}, "has no value"),
        ("k**2", {}, "not periodic"),
        ("cos(k)", {"periods": "pi"}, "not periodic"),
        ("cos(k)", {"grid": 101}, "even"),
        ("cos(k)", {"periods": "-1"}, "positive"),
        ("cos(k)**2 + sin(k)**2", {}, "constant"),
    ],
)
def test_refusals_say_what_to_do(f, options, message):
    with pytest.raises(InputError, match=message):
        dos_curve(f, **options)


def test_other_errors():
    with pytest.raises(MethodNotApplicableError):
        dos_curve("cos(k)", method="histogram")
    with pytest.raises(NumericError, match="not finite"):
        dos_curve("1/sin(k)", grid=64)
    with pytest.raises(TimeLimitError):
        dos_curve(SQUARE, grid=256, timeout=1e-9)


def test_chunking_does_not_change_the_result(monkeypatch):
    reference = dos_curve(SQUARE + " + cos(x - y)/4", grid=64, bins=50)
    monkeypatch.setattr(module, "_SIMPLICES_PER_CHUNK", 100)
    monkeypatch.setattr(module, "_PAIRS_PER_BLOCK", 37)
    monkeypatch.setattr(module, "_POINTS_PER_CHUNK", 70)
    chunked = dos_curve(SQUARE + " + cos(x - y)/4", grid=64, bins=50)
    assert np.allclose(chunked.rho, reference.rho, rtol=1e-12, atol=0)
    assert np.allclose(chunked.error, reference.error, rtol=1e-12, atol=1e-15)


def test_result_protocol():
    curve = dos_curve("-2*cos(k)", grid=64, bins=8)
    data = json.loads(curve.to_json())
    assert data["kind"] == "dos_curve" and data["band_edges"] == [-2.0, 2.0] and data["periods"] == ["2*pi"]
    assert len(data["rho"]) == len(data["error"]) == 8
    rebuilt = DOSCurve.from_dict(data)
    assert np.array_equal(rebuilt.rho, curve.rho) and rebuilt.energy == curve.energy
    assert "band bottom" in str(curve) and repr(curve).startswith("DOSCurve(band_bottom=-2.0")


def test_offset_recovers_the_smooth_constant():
    curve = dos_curve(
        SQUARE, grid=512, energies=np.concatenate([-np.geomspace(0.04, 0.4, 20), np.geomspace(0.04, 0.4, 20)])
    )
    saddles = [Saddles(0, -1 / (4 * math.pi**2)), Saddles(0, -1 / (4 * math.pi**2))]
    assert curve.offset(saddles) == pytest.approx(math.log(16) / (2 * math.pi**2), abs=2e-3)


def test_plot_smoke(tmp_path):
    pytest.importorskip("matplotlib")
    from singularities.reports.plot import plot_dos

    near = np.geomspace(1e-3, 0.5, 10)
    curve = dos_curve(SQUARE, grid=128, energies=np.concatenate([-near, near, np.linspace(-3.95, 3.95, 60)]))
    predictions = [Saddles(0, -1 / (4 * math.pi**2)), Saddles(0, -1 / (4 * math.pi**2)), Edge(-4, 0, 1 / (4 * math.pi))]
    path = tmp_path / "dos.png"
    ax = plot_dos(curve, predictions, file=path)
    assert path.stat().st_size > 10_000
    assert len(ax.child_axes) == 2  # two insets at E = 0, none for the step
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("log|E|" in text and "smooth part" in text for text in labels)


def test_plot_without_matplotlib_says_how_to_install(monkeypatch):
    import builtins

    from singularities.reports import plot

    real_import = builtins.__import__

    def refuse(name, *args, **kwargs):
        if name.startswith("matplotlib"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", refuse)
    with pytest.raises(InputError, match=r"pip install 'singularities\[plot\]'"):
        plot.plot_dos(dos_curve("-2*cos(k)", grid=16, bins=4))


# --- several bands: Bloch matrices ------------------------------------------------------------------
#
# Honeycomb, hopping -1, reduced coordinates k1, k2 (periods 2 pi): H = [[0, h], [conj h, 0]],
# h = -(1 + e^{i k1} + e^{i k2}), bands -+|h|, |h|^2 = 3 + 2 cos k1 + 2 cos k2 + 2 cos(k1 - k2).
# Dirac points K, K' = +-(2 pi/3, -2 pi/3): there h ~ -i (w q1 + conj(w) q2), w = e^{2 pi i/3}, so
# |h|^2 ~ q^T M q with M = [[1, -1/2], [-1/2, 1]], det M = 3/4.  Area of {|h| < E} near one point:
# pi E^2 / sqrt(det M); two points, measure d^2k/(2 pi)^2: N_upper(E) = 2 pi E^2 / ((2 pi)^2 sqrt(3)/2),
# rho_upper(E) = 2 E / (sqrt(3) pi) for small E > 0 (in Cartesian units: A_c / (pi v_F^2) with
# A_c = 3 sqrt(3) a^2 / 2, v_F = 3 a / 2: the same number).
# The whole upper band (Hobson and Nierenberg, Phys. Rev. 89, 662 (1953); Castro Neto et al., Rev. Mod.
# Phys. 81, 109 (2009) eq. (14), divided by 2 to one state per band per cell), e = E in (0, 3):
#   Z0 = (1 + e)^2 - (e^2 - 1)^2/4, Z1 = 4 e;
#   rho = (2 e / pi^2) K(sqrt(Z1/Z0)) / sqrt(Z0) for e < 1,  (2 e / pi^2) K(sqrt(Z0/Z1)) / sqrt(Z1) for e > 1,
# with the complementary parameters 1 - Z1/Z0 = (1 - e)^2 (1 - (1 + e)^2/4)/Z0 (and the mirror) for the
# agm form of K.  test_honeycomb_truths_agree checks that it integrates to 1 and has the slope above.
# Kagome, hopping -1: the line graph of the honeycomb lattice, A_kagome = B^T B - 2 (B the site-bond
# incidence matrix), and B^T B has the nonzero spectrum of B B^T = 3 + A_honeycomb = 3 +- |h|, plus a
# kernel: H = -A has the flat band E = 2 and the bands -1 -+ |h|, so rho_kagome(E) = rho_honeycomb(E + 1).

K1, K2 = sympy.symbols("k1 k2")
_H = -(1 + sympy.exp(sympy.I * K1) + sympy.exp(sympy.I * K2))
HONEYCOMB = sympy.Matrix([[0, _H], [sympy.conjugate(_H), 0]])
_AB, _AC, _BC = (
    -(1 + sympy.exp(-sympy.I * K1)),
    -(1 + sympy.exp(-sympy.I * K2)),
    -(1 + sympy.exp(sympy.I * (K1 - K2))),
)
KAGOME = sympy.Matrix([[0, _AB, _AC], [sympy.conjugate(_AB), 0, _BC], [sympy.conjugate(_AC), sympy.conjugate(_BC), 0]])
DIRAC_SLOPE = 2 / (math.sqrt(3) * math.pi)


def _agm_k(complementary):
    return mpmath.pi / (2 * mpmath.agm(1, mpmath.sqrt(complementary)))


def honeycomb_dos(energy):
    """One band's rho at |E| (the bands are mirror images), 0 outside (0, 3)."""
    e = mpmath.mpf(abs(energy))
    if not 0 < e < 3 or e == 1:
        return 0.0 if not 0 < e < 3 else math.inf
    z0, z1 = (1 + e) ** 2 - (e**2 - 1) ** 2 / 4, 4 * e
    if e < 1:
        return float(2 * e / mpmath.pi**2 * _agm_k((1 - e) ** 2 * (1 - (1 + e) ** 2 / 4) / z0) / mpmath.sqrt(z0))
    return float(2 * e / mpmath.pi**2 * _agm_k((e - 1) ** 2 * ((1 + e) ** 2 / 4 - 1) / z1) / mpmath.sqrt(z1))


def test_honeycomb_truths_agree():
    total = mpmath.quad(lambda e: honeycomb_dos(e) if e != 1 else 0, [0, 0.5, 1, 2, 3])
    assert float(total) == pytest.approx(1, abs=1e-10)
    assert honeycomb_dos(1e-4) / 1e-4 == pytest.approx(DIRAC_SLOPE, rel=1e-6)


def test_honeycomb_two_bands_match_closed_form_within_error():
    # grid 384 = 3 * 128 (and its half 192) contains K = (2 pi/3, 4 pi/3): the band edges at 0 are on the grid
    upper = np.array([0.05, 0.1, 0.3, 0.6, 0.9, 1.1, 1.5, 2.0, 2.5, 2.95])
    curve = dos_curve(HONEYCOMB, grid=384, energies=np.concatenate([-upper, upper]))
    assert curve.n_bands == 2 and curve.hamiltonian == HONEYCOMB
    assert curve.band_edges[0][0] == pytest.approx(-3) and curve.band_edges[1][1] == pytest.approx(3)
    assert abs(curve.band_edges[1][0]) < 1e-12  # the Dirac points on the grid
    truth = np.array([honeycomb_dos(e) for e in curve.energies])
    for band, side in ((0, curve.energies < 0), (1, curve.energies > 0)):
        deviation = np.abs(curve.band_rho[band] - np.where(side, truth, 0))
        assert np.all(deviation <= curve.band_error[band])
    assert np.all(np.abs(curve.rho - truth) <= curve.error)
    regular = (np.abs(np.abs(curve.energies) - 1) > 0.2) & (np.abs(curve.energies) > 0.2)
    assert np.max((curve.error / curve.rho)[regular]) < 0.02


def test_honeycomb_linear_dos_near_the_dirac_point():
    # rho_upper = (2 / (sqrt 3 pi)) E (1 + O(E^2)); the closed form gives the relative correction 0.34 E^2
    energies = np.array([0.03, 0.06, 0.12])
    curve = dos_curve(HONEYCOMB, grid=384, energies=energies)
    slope = curve.band_rho[1] / energies
    assert np.all(np.abs(slope - DIRAC_SLOPE) <= curve.band_error[1] / energies + 0.5 * energies**2 * DIRAC_SLOPE)
    assert np.all(curve.band_rho[0] == 0)  # the lower band ends at E = 0
    # the particle-hole mirror: rho(-E) = rho(E) band by band
    mirror = dos_curve(HONEYCOMB, grid=384, energies=-energies)
    assert np.allclose(mirror.band_rho[0][::-1], curve.band_rho[1], rtol=1e-9)


def test_total_integral_is_the_number_of_bands():
    honeycomb = dos_curve(HONEYCOMB, grid=96, energies=[-4, -3, 0, 3, 4])
    assert honeycomb.integrated == pytest.approx([0, 0, 1, 2, 2], abs=1e-9)
    assert honeycomb.band_integrated[:, -1] == pytest.approx([1, 1], abs=1e-12)
    assert "of the total 2" in honeycomb.normalisation
    # integral of rho over E (trapezoid on a fine energy grid) = 2
    dense = dos_curve(HONEYCOMB, grid=96, bins=3000)
    assert np.trapezoid(dense.rho, dense.energies) == pytest.approx(2, abs=5e-3)


def test_kagome_flat_band_and_the_honeycomb_bands():
    energies = np.array([-3.5, -2.5, -1.5, -0.5, 0.5, 1.5])
    curve = dos_curve(KAGOME, grid=192, energies=np.concatenate([energies, [1.99, 2.0, 2.5]]))
    assert curve.n_bands == 3
    assert curve.flat_bands == (pytest.approx(2.0, abs=1e-12),)
    assert curve.band_edges[2][0] == curve.band_edges[2][1]
    assert list(curve.band_rho[2]) == [0] * 9  # a delta function, not a density
    # the delta's weight 1 is in N: N jumps to 3 at E = 2, where the dispersive bands end; just below,
    # N(1.99) = 2 - (integral of rho over (1.99, 2)) = 2 - 0.01 rho(1.995) to O(0.01^2)
    assert curve.integrated[-3] == pytest.approx(2 - 0.01 * honeycomb_dos(2.995), abs=1e-4)
    assert curve.integrated[-2:] == pytest.approx([3, 3])
    truth = np.array([honeycomb_dos(e + 1) for e in energies])
    assert np.all(np.abs(curve.rho[:6] - truth) <= curve.error[:6])


def test_a_one_by_one_matrix_is_the_scalar_path():
    x, y = sympy.symbols("x y")
    matrix = dos_curve(sympy.Matrix([[-2 * (sympy.cos(x) + sympy.cos(y))]]), grid=64, energies=[-1, 0.5])
    scalar = dos_curve(SQUARE, grid=64, energies=[-1, 0.5])
    assert np.array_equal(matrix.rho, scalar.rho) and np.array_equal(matrix.error, scalar.error)
    assert matrix.n_bands == 1 and matrix.energy == scalar.energy


class _Model:
    """A stand-in tight-binding model: what dos_curve reads (hamiltonian() and variables)."""

    variables = (K1, K2)

    def __init__(self, t):
        self.t = t

    def hamiltonian(self):
        return HONEYCOMB * self.t


def test_a_model_with_a_hamiltonian_and_parameters():
    from_model = dos_curve(_Model(sympy.Symbol("t")), parameters="t=0.5", grid=48, energies=[0.25, 1.0])
    plain = dos_curve(HONEYCOMB, grid=48, energies=[0.5, 2.0])
    # E -> E/2 when H -> H/2: rho_{H/2}(E) = 2 rho_H(2E)
    assert np.allclose(from_model.rho, 2 * plain.rho, rtol=1e-12)
    both = dos_curve(HONEYCOMB * sympy.Symbol("t"), parameters={"t": 2}, grid=48, energies=[1.0, 4.0])
    assert np.allclose(both.rho, plain.rho / 2, rtol=1e-12)


def test_band_view_and_round_trip():
    curve = dos_curve(HONEYCOMB, grid=48, bins=20)
    upper = curve.band(1)
    assert upper.n_bands == 1 and upper.band_index == 1 and np.array_equal(upper.rho, curve.band_rho[1])
    assert (upper.band_bottom, upper.band_top) == curve.band_edges[1]
    assert "integral of rho dE = 1" in upper.normalisation
    data = json.loads(curve.to_json())
    assert len(data["bands"]["rho"]) == 2 and data["hamiltonian"][0][0] == "0"
    rebuilt = DOSCurve.from_dict(data)
    assert np.array_equal(rebuilt.band_rho, curve.band_rho) and rebuilt.band_edges == curve.band_edges
    assert sympy.simplify(rebuilt.hamiltonian - HONEYCOMB) == sympy.zeros(2, 2)
    assert "band 1" in str(curve)
    with pytest.raises(InputError, match="from 0 to 1"):
        curve.band(2)


@pytest.mark.parametrize(
    "matrix, options, message",
    [
        (sympy.Matrix([[sympy.cos(K1), 1], [2, 0]]), {}, "not Hermitian"),
        (sympy.Matrix([[sympy.cos(K1), sympy.I], [sympy.I, 0]]), {}, "not Hermitian"),
        (sympy.Matrix([[sympy.cos(K1), 1]]), {}, "not square"),
        (HONEYCOMB * sympy.Symbol("t"), {"variables": "k1,k2"}, "has no value"),
        (HONEYCOMB, {"parameters": "t"}, "has no value"),
        (sympy.Matrix([[K1, 0], [0, -K1]]), {}, "not periodic"),
        (sympy.Matrix([[1, 0], [0, 2]]) + 0 * K1 * sympy.eye(2), {"variables": "k1"}, "constant"),
    ],
)
def test_matrix_refusals_say_what_to_do(matrix, options, message):
    with pytest.raises(InputError, match=message):
        dos_curve(matrix, grid=16, **options)


def test_three_dimensional_bands_by_tetrahedra():
    # H = diag(f, -f) with f the simple cubic band (symmetric: f and -f have the same DOS): the sorted bands
    # are -|f| and |f|, so rho_1(E) = rho_f(E) + rho_f(-E) = 2 rho_cubic(E) for E > 0 (a kink along f = 0
    # inside the band, which the linear tetrahedra follow), rho_0 its mirror, and the total is 2 rho_cubic
    x, y, z = sympy.symbols("x y z")
    f = -2 * (sympy.cos(x) + sympy.cos(y) + sympy.cos(z))
    energies = [-5.0, -1.0, 1.0, 3.0]
    curve = dos_curve(sympy.diag(f, -f), grid=32, energies=energies)
    truth = np.array([2 * cubic_dos(e) for e in energies])
    assert np.all(np.abs(curve.rho - truth) <= curve.error)
    assert np.all(curve.band_rho[0][2:] == 0) and np.all(curve.band_rho[1][:2] == 0)
    assert curve.band_edges == ((-6.0, 0.0), (0.0, 6.0))
