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
    figure = plot_dos(curve, predictions, file=path)
    assert path.stat().st_size > 10_000
    assert len(figure.axes[0].child_axes) == 2  # two insets at E = 0, none for the step
    labels = [t.get_text() for t in figure.axes[0].get_legend().get_texts()]
    assert any("log|E|" in text and "fitted constant" in text for text in labels)


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
