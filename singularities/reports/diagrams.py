"""Diagrams: Newton polyhedra and the adjacency diagram of singularity types.

Needs the ``plot`` extra (matplotlib), imported inside the functions only.
Every function follows the contract of :mod:`singularities.reports.figures`:
``ax=`` draws into the given Axes, otherwise a new pyplot figure; legends and
notes inside the axes; ``title=``, ``xlabel=``, ``ylabel=``; ``file=`` saves;
the Axes is returned.  Guide: docs/plots.md.

:func:`plot_newton`: Gamma_+ in 2 or 3 variables with the diagonal ray, the
point (t, ..., t) and the principal face highlighted.

:func:`plot_adjacency`: the adjacency DiGraph of
:func:`singularities.local.adjacency.adjacency_graph`, one row per Milnor number and
one column per family (A, D, E, unimodal), arrows pointing from a type to
the types it deforms into.
"""

import math

import numpy as np
import sympy

from ..errors import InputError
from ..local.adjacency import adjacency, adjacency_graph
from ..polyhedra.newton import NewtonPolyhedron, newton_polyhedron
from .figures import axes_for, expression_text, finish, symbol_latex

__all__ = ["plot_newton", "plot_adjacency"]


def plot_newton(
    polyhedron,
    point=None,
    *,
    variables=None,
    parameters=None,
    ax=None,
    file=None,
    title=None,
    label=None,
    xlabel=None,
    ylabel=None,
):
    """Draw the Newton polyhedron Gamma_+ (2 or 3 variables) with the diagonal ray and the principal face.

    The support of g is shown as dots (vertices of Gamma_+ filled), the
    boundary of Gamma_+ (truncated to a box in 3D), the diagonal s (1, ..., 1)
    and its first point (t, ..., t) in Gamma_+, t the Newton distance.  The
    principal face, the smallest face containing (t, ..., t), is drawn in red;
    a note in the axes states t, 1/t, the codimension c of the face and its polynomial.  1/t
    is the RLCT only under the non-degeneracy conditions of
    docs/conventions.md#newton-polyhedra (see ``singularities rlct``).

    Parameters
    ----------
    polyhedron : NewtonPolyhedron, Nondegeneracy, str, sympy.Expr or Energy
        A polyhedron (or a result holding one as ``.polyhedron``), or a
        function g whose polyhedron at ``point`` is computed.
    point, variables, parameters
        As for :func:`singularities.polyhedra.newton.newton_polyhedron` (function input only).
    ax : matplotlib.axes.Axes, optional
        Draw into these axes (3D axes for 3 variables); default new axes on
        a new pyplot figure.
    file : str or path, optional
        Save the figure there.
    title, xlabel, ylabel : str, optional
        Replace the default title and axis labels (the exponents of the
        variables, in LaTeX: "exponent of $k_{x}$").
    label : str, optional
        The legend entry of Gamma_+ (2 variables).

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    InputError
        If matplotlib is missing or g does not have 2 or 3 variables.

    Examples
    --------
    >>> from singularities.reports.diagrams import plot_newton
    >>> ax = plot_newton("x**2 + y**4 + x*y**3", file="newton.png")  # doctest: +SKIP
    """
    polyhedron = _as_polyhedron(polyhedron, point, variables, parameters)
    if polyhedron.dimension not in (2, 3):
        raise InputError(
            f"plot_newton draws 2 or 3 variables; this polyhedron has {polyhedron.dimension} "
            f"({', '.join(map(str, polyhedron.variables))})"
        )
    if ax is not None and (getattr(ax, "name", "") == "3d") != (polyhedron.dimension == 3):
        needed = "3D axes: fig.add_subplot(projection='3d')" if polyhedron.dimension == 3 else "2D axes"
        raise InputError(f"plot_newton draws {polyhedron.dimension} variables on {needed}; pass such axes as ax=")
    draw = _newton_2d if polyhedron.dimension == 2 else _newton_3d
    ax = draw(polyhedron, ax, label)
    names = [symbol_latex(v) for v in polyhedron.variables]
    shape = "polygon" if polyhedron.dimension == 2 else "polyhedron"
    default_title = f"Newton {shape} of {_polynomial_text(polyhedron)}"
    if polyhedron.dimension == 3:
        ax.set_zlabel(f"exponent of ${names[2]}$")
    defaults = (default_title, f"exponent of ${names[0]}$", f"exponent of ${names[1]}$")
    return finish(ax, title=title, xlabel=xlabel, ylabel=ylabel, file=file, defaults=defaults)


def plot_adjacency(types=None, *, max_index=8, ax=None, file=None, title=None, xlabel=None, ylabel=None):
    """Draw the adjacency diagram of singularity types: rows by Milnor number, columns by family.

    An arrow u -> v says that u deforms into v (v is adjacent to u); only the
    immediate adjacencies of :func:`singularities.local.adjacency.adjacency_graph`
    are drawn.  Solid arrows follow the Dynkin subdiagram rule, dashed ones
    are Arnold's unimodal adjacencies, dotted ones rest on an explicit
    deformation (their sources: ``singularities adjacency TYPE``).

    Parameters
    ----------
    types : str or sequence of str, optional
        Draw only these types and what they deform into, and highlight them
        (a real-form suffix is ignored: "D4-" is D4).  Default: the whole
        graph up to ``max_index``, with P8, X9 and J10.
    max_index : int
        The largest Milnor number of the simple types in the full graph.
    ax : matplotlib.axes.Axes, optional
        Draw into these axes; default new axes on a new pyplot figure.
    file : str or path, optional
        Save the figure there.
    title, xlabel, ylabel : str, optional
        Replace the default title, x label (none: the families label the
        columns) and y label (the Milnor number).

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    InputError
        If matplotlib is missing or a label is not a known type.

    Examples
    --------
    >>> from singularities.reports.diagrams import plot_adjacency
    >>> ax = plot_adjacency(["E7", "D4-"], file="adjacency.png")  # doctest: +SKIP
    """
    graph, marked = _adjacency_subgraph(types, max_index)
    ax = axes_for(ax, (7.5, 1.2 + 0.62 * max(mu for _, mu in graph.nodes(data="milnor_number"))))
    positions = {v: (_COLUMNS.get(v[0], 3), mu) for v, mu in graph.nodes(data="milnor_number")}
    for u, v, source in graph.edges(data="source"):
        _draw_arrow(ax, positions[u], positions[v], _EDGE_STYLES[_edge_kind(source)])
    for node, (x, y) in positions.items():
        _draw_type(ax, node, x, y, node in marked, graph.nodes[node]["modality"])
    _adjacency_frame(ax, positions, graph)
    what = "the highlighted types and all they deform into" if marked else "the simple types and P8, X9, J10"
    defaults = (f"Adjacencies of {what}\n(an arrow $u \\to v$: $u$ deforms into $v$)", "", r"Milnor number $\mu$")
    return finish(ax, title=title, xlabel=xlabel, ylabel=ylabel, file=file, defaults=defaults)


# --- Newton polyhedra -------------------------------------------------------


def _as_polyhedron(source, point, variables, parameters):
    if isinstance(source, NewtonPolyhedron):
        return source
    if isinstance(getattr(source, "polyhedron", None), NewtonPolyhedron):
        return source.polyhedron
    return newton_polyhedron(source, point, variables=variables, parameters=parameters)


def _newton_2d(polyhedron, ax, label=None):
    ax = axes_for(ax, (7, 6.4))
    t, face = float(polyhedron.newton_distance), polyhedron.principal_face
    bound = math.ceil(max([t] + [c for v in polyhedron.vertices for c in v])) + 1.5
    vertices = sorted(polyhedron.vertices, key=lambda v: (v[0], -v[1]))
    boundary = [(vertices[0][0], bound)] + vertices + [(bound, vertices[-1][1])]
    region = label or r"$\Gamma_+$"
    ax.fill(*zip(*(boundary + [(bound, bound)])), color="tab:blue", alpha=0.13, lw=0, label=region)
    ax.plot(*zip(*boundary), color="tab:blue", lw=1.3)
    _draw_support(ax, polyhedron, bound)
    ax.plot([0, bound], [0, bound], "--", color="0.35", lw=1, label="diagonal $(s, s)$")
    if face.dimension == 0:
        ax.plot(*face.vertices[0], "o", ms=15, mfc="none", mec="tab:red", mew=2.2, label="principal face (a vertex)")
    else:
        ax.plot(
            *zip(*_face_corners(face, bound)), color="tab:red", lw=3.2, solid_capstyle="round", label="principal face"
        )
    ax.plot([t], [t], "*", color="tab:red", ms=14, mec="k", mew=0.6, zorder=5, label="$(t, t)$")
    ax.annotate(
        f"$(t, t)$, $t = {sympy.latex(polyhedron.newton_distance)}$",
        (t, t),
        xytext=(12, -16),
        textcoords="offset points",
        fontsize="small",
    )
    ax.set_xlim(-0.2, bound)
    ax.set_ylim(-0.2, bound)
    ax.set_aspect("equal")
    ax.set_xticks(range(int(bound) + 1))
    ax.set_yticks(range(int(bound) + 1))
    ax.grid(True, alpha=0.25)
    _newton_notes(ax, polyhedron, "best")
    return ax


def _newton_3d(polyhedron, ax, label=None):
    ax = axes_for(ax, (8, 7.2), projection="3d")
    from mpl_toolkits.mplot3d.art3d import Poly3DCollection

    t, principal = float(polyhedron.newton_distance), polyhedron.principal_face
    bound = math.ceil(max([t] + [c for v in polyhedron.vertices for c in v])) + 1
    ax.computed_zorder = False  # draw in call order: faces, then edges, then points, so the highlights stay visible
    for face in polyhedron.faces():
        corners = _face_corners(face, bound)
        is_principal = face == principal
        if face.dimension == 2:
            colour, alpha = ("tab:red", 0.55) if is_principal else ("tab:blue", 0.2 if face.compact else 0.09)
            face_label = "principal face" if is_principal else None
            ax.add_collection3d(
                Poly3DCollection([corners], facecolor=colour, alpha=alpha, edgecolor="none", label=face_label)
            )
        elif face.dimension == 1:
            style = (
                dict(color="tab:red", lw=3.2, label="principal face")
                if is_principal
                else dict(color="tab:blue", lw=1.1)
            )
            ax.plot(*zip(*corners), **style)
    if principal.dimension == 0:
        ax.scatter(
            *zip(*principal.vertices),
            s=260,
            facecolors="none",
            edgecolors="tab:red",
            linewidths=2.2,
            label="principal face (a vertex)",
        )
    _draw_support(ax, polyhedron, bound)
    ax.plot([0, bound], [0, bound], [0, bound], "--", color="0.35", lw=1, label="diagonal $(s, s, s)$")
    ax.scatter(
        [t],
        [t],
        [t],
        marker="*",
        s=220,
        color="tab:red",
        edgecolors="k",
        linewidths=0.6,
        depthshade=False,
        label=f"$(t, t, t)$, $t = {sympy.latex(polyhedron.newton_distance)}$",
    )
    for axis in (ax.xaxis, ax.yaxis, ax.zaxis):
        axis.set_ticks(range(bound + 1))
    ax.set_xlim(0, bound)
    ax.set_ylim(0, bound)
    ax.set_zlim(0, bound)
    ax.view_init(elev=_VIEW[0], azim=_VIEW[1])
    _newton_notes(ax, polyhedron, "upper left")
    return ax


def _newton_notes(ax, polyhedron, where):
    """The legend inside the axes, headed by the summary (t, 1/t, the principal face and its polynomial)."""
    ax.legend(
        loc=where,
        title=_newton_summary(polyhedron),
        title_fontsize="x-small",
        fontsize="x-small",
        framealpha=0.9,
        alignment="left",
    )


_VIEW = (20, -115)  # elevation, azimuth: the diagonal and the compact faces are seen at an angle, not edge-on


def _draw_support(ax, polyhedron, bound):
    """The exponents of g: vertices of Gamma_+ filled, the other support points hollow (those inside the box)."""
    vertices = set(polyhedron.vertices)
    others = [e for e, _ in polyhedron.terms if e not in vertices and max(e) <= bound]
    if others:
        ax.scatter(*zip(*others), s=22, facecolors="white", edgecolors="0.3", zorder=4, label="other exponents of g")
    ax.scatter(*zip(*sorted(vertices)), s=30, color="k", zorder=4, label=r"vertices of $\Gamma_+$")


def _face_corners(face, bound):
    """The corners of the face cut off at x_k <= bound, in cyclic order (a non-compact face runs to the box)."""
    corners = set()
    for vertex in face.vertices:
        for raised in range(2 ** len(face.directions)):
            corner = list(vertex)
            for bit, k in enumerate(face.directions):
                if raised >> bit & 1:
                    corner[k] = bound
            corners.add(tuple(float(c) for c in corner))
    return _cyclic(sorted(corners))


def _cyclic(points):
    """Points of a convex polygon (or a segment) in R^n, ordered around their centre."""
    if len(points) <= 2:
        return points
    array = np.array(points)
    centred = array - array.mean(axis=0)
    basis = np.linalg.svd(centred)[2][:2]
    plane = centred @ basis.T
    return [points[i] for i in np.argsort(np.arctan2(plane[:, 1], plane[:, 0]))]


def _newton_summary(polyhedron):
    t, face = polyhedron.newton_distance, polyhedron.principal_face
    kind = "compact" if face.compact else "non-compact"
    polynomial = expression_text(polyhedron.face_polynomial(face), 40)
    return (
        f"$t = {sympy.latex(t)}$, $1/t = {sympy.latex(1 / t)}$; principal face: dimension {face.dimension}, {kind},\n"
        f"codimension $c = {polyhedron.codimension}$, polynomial {polynomial}\n"
        "$\\lambda = 1/t$, $m = c$ if g is non-degenerate (docs/conventions.md)"
    )


def _polynomial_text(polyhedron):
    terms = sympy.Add(
        *(c * sympy.Mul(*(v**e for v, e in zip(polyhedron.variables, exponent))) for exponent, c in polyhedron.terms)
    )
    text = expression_text(terms, 60)
    return f"$g = {text[1:]}" if text.startswith("$") else f"g = {text}"


# --- adjacency ----------------------------------------------------------------

_COLUMNS = {"A": 0, "D": 1, "E": 2}
_FAMILY_NAMES = ("$A_k$", "$D_k$", "$E_k$", "unimodal")
_EDGE_STYLES = {
    "Dynkin": dict(ls="-", color="0.35", label="Dynkin subdiagram rule (Arnold 1972; Lyashko 1976)"),
    "Arnold": dict(ls="--", color="tab:purple", label="unimodal adjacency (Arnold 1974)"),
    "explicit": dict(ls=":", color="tab:green", label="explicit deformation (tests/test_adjacency.py)"),
}


def _adjacency_subgraph(types, max_index):
    """The graph to draw and the set of highlighted types."""
    if types is None:
        return adjacency_graph(max_index), set()
    labels = [types] if isinstance(types, str) else list(types)
    try:
        found = [adjacency(label, max_index) for label in labels]
    except ValueError as exc:
        raise InputError(str(exc)) from exc
    keep = {a.label for a in found} | {v for a in found for v in a.deforms_into}
    size = max([max_index] + [int("".join(c for c in v if c.isdigit())) for v in keep])
    return adjacency_graph(max(size, 8)).subgraph(keep), {a.label for a in found}


def _edge_kind(source):
    """The first key of :data:`_EDGE_STYLES` named in an edge's source ("Dynkin" also names Arnold 1972)."""
    return next(key for key in _EDGE_STYLES if key in source)


def _draw_arrow(ax, start, end, style):
    ax.annotate(
        "",
        xy=end,
        xytext=start,
        arrowprops=dict(
            arrowstyle="-|>", color=style["color"], ls=style["ls"], lw=1.1, shrinkA=13, shrinkB=13, mutation_scale=11
        ),
    )


def _draw_type(ax, label, x, y, marked, modality):
    face = "tab:orange" if marked else "#dde8f5" if not modality else "#efe0f5"
    ax.text(
        x,
        y,
        label,
        ha="center",
        va="center",
        fontsize="medium",
        fontweight="bold" if marked else "normal",
        bbox=dict(boxstyle="round,pad=0.35", fc=face, ec="0.3"),
        zorder=3,
    )


def _adjacency_frame(ax, positions, graph):
    columns = sorted({x for x, _ in positions.values()})
    rows = sorted({y for _, y in positions.values()})
    ax.set_xlim(min(columns) - 0.6, max(columns) + 0.6)
    ax.set_ylim(min(rows) - 0.7, max(rows) + 0.7)
    ax.set_yticks(rows)
    ax.set_xticks(columns)
    ax.set_xticklabels([_FAMILY_NAMES[c] for c in columns])
    ax.xaxis.tick_top()
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    ax.grid(True, axis="y", alpha=0.2)
    used = {_edge_kind(source) for _, _, source in graph.edges(data="source")}
    handles = [_legend_line(ax, _EDGE_STYLES[key]) for key in _EDGE_STYLES if key in used]
    ax.legend(
        handles=handles, loc="lower right", fontsize="x-small", framealpha=0.9
    )  # empty: D, E and unimodal start at mu = 4


def _legend_line(ax, style):
    from matplotlib.lines import Line2D

    return Line2D([], [], color=style["color"], ls=style["ls"], label=style["label"])
