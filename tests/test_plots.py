"""Smoke tests of the plots: files written, and the artists that carry the meaning are where they should be."""

import builtins

import numpy as np
import pytest
import sympy

import singularities as sg
from singularities.errors import InputError
from singularities.reports import diagrams, plot


@pytest.fixture
def mpl():
    return pytest.importorskip("matplotlib")


def _lines(ax, **properties):
    return [line for line in ax.get_lines() if all(getattr(line, f"get_{k}")() == v for k, v in properties.items())]


def test_newton_2d_marks_the_principal_edge_the_diagonal_and_t(mpl, tmp_path):
    figure = diagrams.plot_newton("x**2 + y**4 + x*y**3", file=tmp_path / "newton.png")
    assert (tmp_path / "newton.png").stat().st_size > 0
    ax = figure.axes[0]
    face = {tuple(p) for line in _lines(ax, label="principal face") for p in line.get_xydata()}
    assert face == {(0.0, 4.0), (2.0, 0.0)}
    (diagonal,) = _lines(ax, label="diagonal (s, s)")
    assert np.allclose(diagonal.get_xdata(), diagonal.get_ydata())
    (star,) = _lines(ax, label="(t, t)")
    assert np.allclose(star.get_xydata(), [[4 / 3, 4 / 3]])
    assert any("t = 4/3,  1/t = 3/4" in t.get_text() for t in ax.texts)


def test_newton_2d_vertex_face_and_noncompact_face(mpl):
    ax = diagrams.plot_newton("x**2*y**2").axes[0]
    (ring,) = _lines(ax, label="principal face (a vertex)")
    assert np.allclose(ring.get_xydata(), [[2, 2]])
    ax = diagrams.plot_newton("x**2", variables="x,y").axes[0]
    (face,) = _lines(ax, label="principal face")
    xs, ys = face.get_xdata(), face.get_ydata()
    assert set(xs) == {2.0} and min(ys) == 0 and max(ys) > 2  # the ray x = 2, cut off at the box


def test_newton_accepts_a_polyhedron_or_a_nondegeneracy_result(mpl):
    polyhedron = sg.newton_polyhedron("x**3 - 3*x*y**2")
    assert diagrams.plot_newton(polyhedron).axes
    assert diagrams.plot_newton(sg.nondegeneracy(polyhedron)).axes


def test_newton_3d_fills_the_principal_face(mpl, tmp_path):
    from mpl_toolkits.mplot3d.art3d import Poly3DCollection

    figure = diagrams.plot_newton("x**2 + y**4 + z**6", file=tmp_path / "newton3d.png")
    ax = figure.axes[0]
    faces = [c for c in ax.collections if isinstance(c, Poly3DCollection) and c.get_label() == "principal face"]
    assert len(faces) == 1
    assert _lines(ax, label="diagonal (s, s, s)")
    assert (tmp_path / "newton3d.png").stat().st_size > 0


def test_newton_refuses_four_variables(mpl):
    with pytest.raises(InputError, match="2 or 3 variables"):
        diagrams.plot_newton("x**2 + y**2 + z**2 + w**2")


def test_adjacency_draws_every_node_and_edge(mpl, tmp_path):
    graph = sg.adjacency_graph()
    figure = diagrams.plot_adjacency(file=tmp_path / "adjacency.png")
    ax = figure.axes[0]
    labels = {t.get_text() for t in ax.texts if t.get_text()}
    arrows = [t for t in ax.texts if not t.get_text()]
    assert labels == set(graph.nodes)
    assert len(arrows) == graph.number_of_edges()
    assert (tmp_path / "adjacency.png").stat().st_size > 0


def test_adjacency_of_chosen_types_highlights_them(mpl):
    ax = diagrams.plot_adjacency(["D4-", "A5"]).axes[0]
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
    figure = plot.plot_spectroscope(_ExactCurve(), [sg.rlct("x*y")], file=tmp_path / "spectroscope.png")
    ax = figure.axes[0]
    assert ax.get_xscale() == "log"
    (plateau,) = [
        line for line in ax.get_lines() if line.get_label().startswith("predicted plateau lambda = 1 (m = 2)")
    ]
    assert np.allclose(plateau.get_ydata(), 1)
    (trend,) = [line for line in ax.get_lines() if line.get_label().startswith("lambda - (m - 1)/log(1/t)")]
    t = trend.get_xdata()
    assert np.allclose(trend.get_ydata(), 1 - 1 / np.log(1 / t))
    assert ax.get_legend().get_texts()[0].get_text().startswith("d log V / d log t")
    assert (tmp_path / "spectroscope.png").stat().st_size > 0


def test_spectroscope_reads_pairs_numbers_and_bounds(mpl):
    bound = sg.RLCT(sympy.Rational(2, 3), None, sg.Status.BOUND, "newton")
    predictions = [(sympy.Rational(1, 2), 1), 0.75, bound]
    ax = plot.plot_spectroscope(_curve("x**2 + y**2"), predictions).axes[0]
    labels = [line.get_label() for line in ax.get_lines()]
    assert "predicted plateau lambda = 1/2 (m = 1)" in labels
    assert "predicted plateau lambda = 3/4" in labels
    assert "proven upper bound: lambda <= 2/3" in labels


def test_dos_insets_follow_the_chosen_values(mpl):
    from singularities.numeric.dos_curve import dos_curve

    curve = dos_curve("-2*(cos(kx) + cos(ky))", energies=np.linspace(-3.9, 3.9, 60), grid=64)
    torus = 1 / (4 * sympy.pi**2)
    predictions = [
        sg.dos_asymptotics("-2*(cos(kx) + cos(ky))", p, variables="kx,ky").scaled(torus, "torus")
        for p in ("0,0", "pi,0", "0,pi", "pi,pi")
    ]
    insets = lambda **options: plot.plot_dos(curve, predictions, **options).axes[0].child_axes  # noqa: E731
    assert [a.get_title() for a in insets()] == ["E < 0", "E > 0"]  # the logarithm at E = 0, both sides
    assert insets(insets=False) == []
    assert [a.get_title() for a in insets(insets=[-4])] == ["E > -4"]  # the band-bottom step lives above -4 only


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
