"""Smoke tests of the plots: files written, and the artists that carry the meaning are where they should be."""

import builtins
import sys

import numpy as np
import pytest
import sympy

import singularities as sg
from singularities.errors import InputError
from singularities.reports import diagrams, plot


@pytest.fixture
def mpl():
    return pytest.importorskip("matplotlib")


@pytest.fixture(autouse=True)
def _close_figures():
    """The plots make pyplot figures when no ax is given; close them after each test."""
    yield
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


def _lines(ax, **properties):
    return [line for line in ax.get_lines() if all(getattr(line, f"get_{k}")() == v for k, v in properties.items())]


def test_newton_2d_marks_the_principal_edge_the_diagonal_and_t(mpl, tmp_path):
    ax = diagrams.plot_newton("x**2 + y**4 + x*y**3", file=tmp_path / "newton.png")
    assert (tmp_path / "newton.png").stat().st_size > 0
    face = {tuple(p) for line in _lines(ax, label="principal face") for p in line.get_xydata()}
    assert face == {(0.0, 4.0), (2.0, 0.0)}
    (diagonal,) = _lines(ax, label="diagonal $(s, s)$")
    assert np.allclose(diagonal.get_xdata(), diagonal.get_ydata())
    (star,) = _lines(ax, label="$(t, t)$")
    assert np.allclose(star.get_xydata(), [[4 / 3, 4 / 3]])
    # x^2 + y^4: the diagonal meets the edge x/2 + y/4 = 1 at s = 4/3
    summary = ax.get_legend().get_title().get_text()
    assert r"$t = \frac{4}{3}$, $1/t = \frac{3}{4}$" in summary and "codimension $c = 1$" in summary


def test_newton_2d_vertex_face_and_noncompact_face(mpl):
    ax = diagrams.plot_newton("x**2*y**2")
    (ring,) = _lines(ax, label="principal face (a vertex)")
    assert np.allclose(ring.get_xydata(), [[2, 2]])
    ax = diagrams.plot_newton("x**2", variables="x,y")
    (face,) = _lines(ax, label="principal face")
    xs, ys = face.get_xdata(), face.get_ydata()
    assert set(xs) == {2.0} and min(ys) == 0 and max(ys) > 2  # the ray x = 2, cut off at the box


def test_newton_accepts_a_polyhedron_or_a_nondegeneracy_result(mpl):
    polyhedron = sg.newton_polyhedron("x**3 - 3*x*y**2")
    assert diagrams.plot_newton(polyhedron).get_lines()
    assert diagrams.plot_newton(sg.nondegeneracy(polyhedron)).get_lines()


def test_newton_3d_fills_the_principal_face(mpl, tmp_path):
    from mpl_toolkits.mplot3d.art3d import Poly3DCollection

    ax = diagrams.plot_newton("x**2 + y**4 + z**6", file=tmp_path / "newton3d.png")
    faces = [c for c in ax.collections if isinstance(c, Poly3DCollection) and c.get_label() == "principal face"]
    assert len(faces) == 1
    assert _lines(ax, label="diagonal $(s, s, s)$")
    assert (tmp_path / "newton3d.png").stat().st_size > 0


def test_newton_refuses_four_variables(mpl):
    with pytest.raises(InputError, match="2 or 3 variables"):
        diagrams.plot_newton("x**2 + y**2 + z**2 + w**2")


def test_adjacency_draws_every_node_and_edge(mpl, tmp_path):
    graph = sg.adjacency_graph()
    ax = diagrams.plot_adjacency(file=tmp_path / "adjacency.png")
    labels = {t.get_text() for t in ax.texts if t.get_text()}
    arrows = [t for t in ax.texts if not t.get_text()]
    assert labels == set(graph.nodes)
    assert len(arrows) == graph.number_of_edges()
    assert (tmp_path / "adjacency.png").stat().st_size > 0


def test_adjacency_of_chosen_types_highlights_them(mpl):
    ax = diagrams.plot_adjacency(["D4-", "A5"])
    boxes = {t.get_text(): t.get_bbox_patch().get_facecolor() for t in ax.texts if t.get_text()}
    assert set(boxes) == {"A1", "A2", "A3", "A4", "A5", "D4"}
    orange = mpl.colors.to_rgba("tab:orange")
    assert {k for k, c in boxes.items() if c == orange} == {"A5", "D4"}
    with pytest.raises(InputError):
        diagrams.plot_adjacency("Q7")


class _ExactCurve:
    """What plot_spectroscope reads of a VolumeCurve, from the exact vol{|x y| < t} = 4 t (1 + log(1/t))
    on [-1, 1]^2."""

    streams, box, n_samples, backend = 12, ((-1.0, 1.0), (-1.0, 1.0)), 0, "exact"

    def local_exponents(self, level=0.95):
        t = np.geomspace(1e-2, 1e-8, 13)
        log_v = np.log(4 * t * (1 + np.log(1 / t)))
        slopes = np.diff(log_v) / np.diff(np.log(t))
        middles = np.sqrt(t[1:] * t[:-1])
        return tuple((m, s, s - 0.01, s + 0.01) for m, s in zip(middles, slopes))


def _curve(function):
    from singularities.numeric.multiscale import volume_curve

    return volume_curve(function, decades=5, samples=10**6, seed=3, backend="numpy")


def test_spectroscope_plateau_at_the_predicted_lambda(mpl, tmp_path):
    ax = plot.plot_spectroscope(_ExactCurve(), [sg.rlct("x*y")], file=tmp_path / "spectroscope.png")
    assert ax.get_xscale() == "log"
    (plateau,) = [
        line for line in ax.get_lines() if line.get_label().startswith(r"predicted plateau $\lambda = 1$ ($m = 2$)")
    ]
    assert np.allclose(plateau.get_ydata(), 1)
    (trend,) = [line for line in ax.get_lines() if line.get_label().startswith(r"$\lambda - (m - 1)/\log(1/t)$")]
    t = trend.get_xdata()
    assert np.allclose(trend.get_ydata(), 1 - 1 / np.log(1 / t))
    assert ax.get_legend().get_texts()[0].get_text().startswith(r"$d\log V/d\log t$")
    assert (tmp_path / "spectroscope.png").stat().st_size > 0


def test_spectroscope_reads_pairs_numbers_and_bounds(mpl):
    bound = sg.RLCT(sympy.Rational(2, 3), None, sg.Status.BOUND, "newton")
    predictions = [(sympy.Rational(1, 2), 1), 0.75, bound]
    ax = plot.plot_spectroscope(_curve("x**2 + y**2"), predictions)
    labels = [line.get_label() for line in ax.get_lines()]
    assert r"predicted plateau $\lambda = \frac{1}{2}$ ($m = 1$)" in labels
    assert r"predicted plateau $\lambda = \frac{3}{4}$" in labels
    assert r"proven upper bound: $\lambda \leq \frac{2}{3}$" in labels


def test_dos_insets_follow_the_chosen_values(mpl):
    from singularities.numeric.dos_curve import dos_curve

    curve = dos_curve("-2*(cos(kx) + cos(ky))", energies=np.linspace(-3.9, 3.9, 60), grid=64)
    torus = 1 / (4 * sympy.pi**2)
    predictions = [
        sg.dos_asymptotics("-2*(cos(kx) + cos(ky))", p, variables="kx,ky").scaled(torus, "torus")
        for p in ("0,0", "pi,0", "0,pi", "pi,pi")
    ]
    insets = lambda **options: plot.plot_dos(curve, predictions, **options).child_axes  # noqa: E731
    assert [a.get_title() for a in insets()] == ["$E < 0$", "$E > 0$"]  # the logarithm at E = 0, both sides
    assert insets(insets=False) == []
    assert [a.get_title() for a in insets(insets=[-4])] == ["$E > -4$"]  # the band-bottom step lives above -4 only


@pytest.fixture
def no_matplotlib(monkeypatch):
    """Imports of matplotlib fail, as on a machine without the plot extra."""
    real_import = builtins.__import__

    def without_matplotlib(name, *args, **kwargs):
        if name.startswith("matplotlib"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_matplotlib)


def test_missing_matplotlib_says_how_to_install(no_matplotlib):
    with pytest.raises(InputError, match=r'pip install -e "\.\[plot\]"'):
        diagrams.plot_adjacency()


def test_require_matplotlib_is_cheap_and_says_how_to_install(no_matplotlib):
    """Issue 12: the CLI checks the plot extra before computing; without it, InputError naming the extra."""
    with pytest.raises(InputError, match=r"pip install 'singularities\[plot\]'"):
        plot.require_matplotlib()


def test_plot_path_in_a_missing_folder_is_an_input_error(tmp_path):
    """Issue 12: a plot path in a missing folder: InputError saying to create it (folders are never created)."""
    missing = tmp_path / "no" / "such" / "dos.png"
    with pytest.raises(InputError, match="does not exist; create it"):
        plot.check_plot_file(missing)
    with pytest.raises(InputError, match="is a folder"):
        plot.check_plot_file(tmp_path)
    plot.check_plot_file(tmp_path / "ok.png")  # an existing, writable folder: fine
    assert not missing.parent.exists()


def test_saving_into_a_missing_folder_is_an_input_error(mpl, tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        diagrams.plot_adjacency(["D4"], file=tmp_path / "missing" / "a.png")


# --- several bands ---------------------------------------------------------------------------------
# Honeycomb, hopping -1 (tests/test_dos_curve.py derives its DOS): the upper band has three M saddles at
# E = 1.  From the closed form, near e = 1 the complementary modulus is k' ~ |1 - e|^(3/2) / 2, so
# rho ~ (2/pi^2)(1/2) log(1/k') ~ -(3/(2 pi^2)) log|E - 1|: each saddle -1/(2 pi^2) log|E - 1|, on both
# sides; the lower band has the mirror image at E = -1.


class _Saddle:
    """Stand-in for DOSAsymptotic: L log|E - c| (value, exponent, log_power, singular_part)."""

    def __init__(self, value, band=None):
        self.value, self.exponent, self.log_power, self.band = sympy.Integer(value), sympy.Integer(0), 1, band

    def singular_part(self, energy):
        return -1 / (2 * np.pi**2) * np.log(abs(energy - float(self.value)))


def _honeycomb():
    from singularities.numeric.dos_curve import dos_curve

    k1, k2 = sympy.symbols("k1 k2")
    h = -(1 + sympy.exp(sympy.I * k1) + sympy.exp(sympy.I * k2))
    return dos_curve(sympy.Matrix([[0, h], [sympy.conjugate(h), 0]]), grid=96, bins=300)


def test_dos_per_band_curves_and_tagged_predictions(mpl, tmp_path):
    curve = _honeycomb()
    from matplotlib.figure import Figure

    figure = Figure(figsize=(14, 5))
    left, right = figure.subplots(1, 2)
    predictions = [_Saddle(1, band=1)] * 3 + [(0, _Saddle(-1))] * 3  # a band attribute, and a (band, prediction) pair
    assert plot.plot_dos(curve, predictions, ax=right, file=tmp_path / "bands.png") is right
    assert not left.get_lines() and (tmp_path / "bands.png").stat().st_size > 10_000
    labels = [line.get_label() for line in right.get_lines()]
    assert r"band 0: $\rho_0(E)$" in labels and r"band 1: $\rho_1(E)$" in labels
    (band_0,) = _lines(right, label=r"band 0: $\rho_0(E)$")
    assert np.array_equal(band_0.get_ydata(), curve.band_rho[0])
    upper = [text for text in labels if text.startswith("band 1: predicted $\\log|E - 1|$ at $E_c = 1$ (3 points)\n")]
    assert len(upper) == 1
    # the overlay is compared with band 1's curve, and the three saddles' log (derived above) agrees with it
    assert "does not agree" not in upper[0]
    (overlay,) = [line for line in right.get_lines() if line.get_label() == upper[0]]
    on_curve = np.isin(curve.energies, overlay.get_xdata())
    assert on_curve.sum() >= 3
    values = dict(zip(overlay.get_xdata(), overlay.get_ydata()))
    deviation = np.abs([values[e] for e in curve.energies[on_curve]] - curve.band_rho[1][on_curve])
    assert np.all(deviation <= curve.band_error[1][on_curve])
    assert r"d^2k/(2\pi)^2" in right.get_ylabel() and "per band" in right.get_ylabel()
    figure.draw_without_rendering()
    legend, frame = right.get_legend().get_window_extent(), right.get_window_extent()
    assert frame.x0 <= legend.x0 and legend.x1 <= frame.x1 and frame.y0 <= legend.y0 and legend.y1 <= frame.y1


def test_dos_flat_band_is_a_delta_and_bad_tags_are_refused(mpl):
    from singularities.numeric.dos_curve import dos_curve

    k1, k2 = sympy.symbols("k1 k2")
    ab, ac, bc = (-(1 + sympy.exp(e)) for e in (-sympy.I * k1, -sympy.I * k2, sympy.I * (k1 - k2)))
    kagome = sympy.Matrix([[0, ab, ac], [sympy.conjugate(ab), 0, bc], [sympy.conjugate(ac), sympy.conjugate(bc), 0]])
    curve = dos_curve(kagome, grid=48, bins=100)
    ax = plot.plot_dos(curve)
    (flat,) = [line for line in ax.get_lines() if line.get_label().startswith(r"band 2: flat, $\delta(E - 2)$")]
    assert np.allclose(flat.get_xdata(), 2)  # the kagome flat band at E = 2t (hopping -t, t = 1)
    assert ax.get_xlim()[1] > 2.05  # at the edge of the spectrum, but inside the axes
    with pytest.raises(InputError, match="bands 0 to 2"):
        plot.plot_dos(curve, [(3, _Saddle(1))])
    with pytest.raises(InputError, match="band 2 is flat"):
        plot.plot_dos(curve, [_Saddle(2, band=2)])


# --- phase diagram ---------------------------------------------------------------------------------
# Square lattice, t = 1, f = -2(cos kx + cos ky) - 4 tp cos kx cos ky - 2 tpp (cos 2kx + cos 2ky)
# (derivation in tests/test_tune.py): df/dkx = 2 sin kx (1 + 2 tp cos ky + 4 tpp cos kx), and the Hessians at
# the TRIMs are Gamma 2(1 + 2tp + 4tpp) I, M -2(1 - 2tp - 4tpp) I, X diag(-2(1 + 2tp - 4tpp), 2(1 - 2tp + 4tpp)),
# so the five lines in the (tp, tpp) plane, with the types at tp = 1 (germs from the same derivation):
#   L_G    1 + 2tp + 4tpp = 0  (tpp = -3/4): Gamma, (3/4)(u^4 + v^4) - u^2 v^2, corank 2 (X9);
#   L_M    1 - 2tp - 4tpp = 0  (tpp = -1/4): M, (1/4)(u^4 + v^4) - u^2 v^2, corank 2 (X9);
#   L_X2   1 - 2tp + 4tpp = 0  (tpp = 1/4):  X and X', -2u^2 - v^4/4 (A3-);
#   L_X1   1 + 2tp - 4tpp = 0  (tpp = 3/4):  X and X', 2v^2 - (3/4)u^4 (A3-);
#   L_line tp - 2tpp = 0       (tpp = 1/2):  the curve cos kx + cos ky = -1/2 of critical points.
# The Degenerations are built here from these exact data (tune itself takes about 15 CPU s: the slow test below).

TP, TPP = sympy.symbols("tp tpp")
PI = sympy.pi


def _square_strata():
    from singularities.physics.torus_points import TorusComponent, TorusPoint
    from singularities.physics.tune import Degeneration

    def points(germ, *where):
        kind = sg.classify(germ, variables="u,v")  # the type of the hand-derived germ
        return tuple(TorusPoint(p, sympy.Integer(0), kind) for p in where)

    gamma = points("(3*u**4 + 3*v**4)/4 - u**2*v**2", (0, 0))
    m = points("(u**4 + v**4)/4 - u**2*v**2", (PI, PI))
    maxima = points("-2*u**2 - v**4/4", (PI, 0), (0, PI))
    saddles = points("2*v**2 - 3*u**4/4", (PI, 0), (0, PI))
    curve = (TorusComponent(1, (), "cos(kx) + cos(ky) = -1/2", sympy.Integer(2)),)
    rows = [
        ("degenerate", 1 + 2 * TP + 4 * TPP, "tpp = -tp/2 - 1/4", -sympy.Rational(3, 4), gamma, ()),
        ("corank 2", 1 + 2 * TP + 4 * TPP, "tpp = -tp/2 - 1/4", -sympy.Rational(3, 4), gamma, ()),
        ("degenerate", 1 - 2 * TP - 4 * TPP, "tpp = 1/4 - tp/2", -sympy.Rational(1, 4), m, ()),
        ("degenerate", 1 - 2 * TP + 4 * TPP, "tpp = tp/2 - 1/4", sympy.Rational(1, 4), maxima, ()),
        ("degenerate", TP - 2 * TPP, "tpp = tp/2", sympy.Rational(1, 2), (), curve),
        ("degenerate", 1 + 2 * TP - 4 * TPP, "tpp = tp/2 + 1/4", sympy.Rational(3, 4), saddles, ()),
        ("A3", 2 * (1 + 2 * TP - 4 * TPP), "tpp = tp/2 + 1/4", sympy.Rational(3, 4), saddles, ()),  # same line
    ]
    return [
        Degeneration(kind, (g,), relation, ((TP, sympy.Integer(1)), (TPP, v)), pts, comps)
        for kind, g, relation, v, pts, comps in rows
    ]


LINES = {  # the exact equations, each zero on its drawn line
    "G": 1 + 2 * TP + 4 * TPP,
    "M": 1 - 2 * TP - 4 * TPP,
    "X2": 1 - 2 * TP + 4 * TPP,
    "X1": 1 + 2 * TP - 4 * TPP,
    "line": TP - 2 * TPP,
}


def _five_lines(ax):
    drawn = [line for line in ax.get_lines() if line.get_linestyle() == "-" and len(line.get_xdata()) > 2]
    found = {}
    for line in drawn:
        xy = line.get_xydata()
        for name, g in LINES.items():
            values = sympy.lambdify((TP, TPP), g)(xy[:, 0], xy[:, 1])
            if np.max(np.abs(values)) < 1e-9:
                found.setdefault(name, []).append(line)
    return drawn, found


def test_phase_diagram_draws_the_five_lines_of_the_square_lattice(mpl, tmp_path):
    strata = _square_strata()
    ax = plot.plot_phase_diagram(strata, {"tp": (-1.5, 1.5), "tpp": (-1, 1)}, file=tmp_path / "phase.png")
    assert (tmp_path / "phase.png").stat().st_size > 10_000
    drawn, found = _five_lines(ax)
    assert set(found) == set(LINES) and all(len(v) == 1 for v in found.values())
    assert len(drawn) == 5  # the A3 and corank-2 strata lie on lines already drawn: not drawn twice
    for line in drawn:  # each line crosses the whole box (they are straight lines through it)
        xs = line.get_xdata()
        assert xs.min() < -1 + 1e-6 or xs.max() > 1 - 1e-6
    labels = {line.get_label() for line in drawn}
    assert any("X9" in text and "(0, 0)" in text and "degenerate, corank 2" in text for text in labels)
    assert any("A3-" in text and "(pi, 0), (0, pi)" in text and "degenerate, A3" in text for text in labels)
    assert any("critical line cos(kx) + cos(ky) = -1/2" in text for text in labels)
    assert any(r"t'' = \frac{t'}{2}$" in text for text in labels)  # LaTeX, with t' and t''
    assert ax.get_xlabel() == "$t'$" and ax.get_ylabel() == "$t''$"
    assert ax.get_xlim() == (-1.5, 1.5) and ax.get_ylim() == (-1, 1)
    # the representative points (tp = 1) are marked on their lines
    dots = {tuple(line.get_xydata()[0]) for line in ax.get_lines() if line.get_marker() == "."}
    assert dots == {(1.0, -0.75), (1.0, -0.25), (1.0, 0.25), (1.0, 0.5), (1.0, 0.75)}


def test_phase_diagram_points_ax_and_refusals(mpl):
    from singularities.physics.tune import Degeneration

    point = Degeneration(
        "degenerate", (TP - 1, TPP + sympy.Rational(1, 2)), "tp = 1, tpp = -1/2", ((TP, 1), (TPP, -0.5))
    )
    from matplotlib.figure import Figure

    figure = Figure()
    ax = figure.add_subplot()
    assert plot.plot_phase_diagram([point], ((-2, 2), (-2, 2)), ax=ax) is ax
    (marker,) = [line for line in ax.get_lines() if line.get_marker() == "o"]
    assert np.allclose(marker.get_xydata(), [[1, -0.5]])
    with pytest.raises(InputError, match="two tuned parameters"):
        plot.plot_phase_diagram([point], parameters=("tp",))
    with pytest.raises(InputError, match="increasing pair"):
        plot.plot_phase_diagram([point], {"tp": (1, -1), "tpp": (0, 1)})


@pytest.mark.slow
def test_phase_diagram_of_tune_itself(mpl):
    """The same five lines from tune (about 15 CPU s): the exact strata are those derived above."""
    from singularities.physics.tune import tune

    f = "-2*t*(cos(kx) + cos(ky)) - 4*tp*cos(kx)*cos(ky) - 2*tpp*(cos(2*kx) + cos(2*ky))"
    ax = plot.plot_phase_diagram(tune(f, "t=1,tp,tpp"), {"tp": (-1.5, 1.5), "tpp": (-1, 1)})
    drawn, found = _five_lines(ax)
    assert set(found) == set(LINES) and len(drawn) == 5
    assert "$t = 1$" in ax.get_title()


def test_tune_plot_on_the_command_line(mpl, tmp_path, capsys):
    """CLI: tune --plot FILE writes the phase diagram (square lattice t, tp: the lines tp = +-t/2, a few s)."""
    from singularities.cli import main

    f = "-2*t*(cos(kx)+cos(ky)) - 4*tp*cos(kx)*cos(ky)"
    path = tmp_path / "phase.png"
    assert main(["tune", f, "--params", "t,tp", "--plot", str(path), "--ranges", "t=-1:1,tp=-1:1"]) == 0
    assert path.stat().st_size > 10_000 and "wrote" in capsys.readouterr().err
    assert main(["tune", "-2*t*cos(k) - 2*t2*cos(2*k)", "--params", "t=1,t2", "--plot", str(path)]) == 2
    assert "two tuned parameters, not 1" in capsys.readouterr().err
    assert main(["tune", f, "--params", "t,tp", "--plot", str(path), "--ranges", "t=1"]) == 2
    assert "cannot read the range 't=1'" in capsys.readouterr().err
