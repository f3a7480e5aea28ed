"""Diagrams: Newton polyhedra and the adjacency diagram of singularity types.

Needs the ``plot`` extra (matplotlib), imported inside the functions only, as
in :mod:`singularities.reports.plot` (whose figure, saving and file checks
these functions share).  Every function returns the figure and saves it when
``file=`` is given.  Guide: docs/plots.md.

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
from .plot import _axes, _save

__all__ = ["plot_newton", "plot_adjacency"]


def plot_newton(polyhedron, point=None, *, variables=None, parameters=None, ax=None, file=None):
    """Draw the Newton polyhedron Gamma_+ (2 or 3 variables) with the diagonal ray and the principal face.

    The support of g is shown as dots (vertices of Gamma_+ filled), the
    boundary of Gamma_+ (truncated to a box in 3D), the diagonal s (1, ..., 1)
    and its first point (t, ..., t) in Gamma_+, t the Newton distance.  The
    principal face, the smallest face containing (t, ..., t), is drawn in red;
    a box states t, 1/t, the codimension c of the face and its polynomial.  1/t
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
        Draw into these axes (3D axes for 3 variables); default a new figure.
    file : str or path, optional
        Save the figure there.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    InputError
        If matplotlib is missing or g does not have 2 or 3 variables.

    Examples
    --------
    >>> from singularities.reports.diagrams import plot_newton
    >>> figure = plot_newton("x**2 + y**4 + x*y**3", file="newton.png")  # doctest: +SKIP
    """
    polyhedron = _as_polyhedron(polyhedron, point, variables, parameters)
    if polyhedron.dimension not in (2, 3):
        raise InputError(
            f"plot_newton draws 2 or 3 variables; this polyhedron has {polyhedron.dimension} "
            f"({', '.join(map(str, polyhedron.variables))})"
        )
    draw = _newton_2d if polyhedron.dimension == 2 else _newton_3d
    figure = draw(polyhedron, ax)
    _save(figure, file)
    return figure


def plot_adjacency(types=None, *, max_index=8, ax=None, file=None):
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
        Draw into these axes; default a new figure.
    file : str or path, optional
        Save the figure there.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    InputError
        If matplotlib is missing or a label is not a known type.

    Examples
    --------
    >>> from singularities.reports.diagrams import plot_adjacency
    >>> figure = plot_adjacency(["E7", "D4-"], file="adjacency.png")  # doctest: +SKIP
    """
    graph, marked = _adjacency_subgraph(types, max_index)
    figure, ax = _axes(ax, (7.5, 1.2 + 0.62 * max(mu for _, mu in graph.nodes(data="milnor_number"))))
    positions = {v: (_COLUMNS.get(v[0], 3), mu) for v, mu in graph.nodes(data="milnor_number")}
    for u, v, source in graph.edges(data="source"):
        _draw_arrow(ax, positions[u], positions[v], _EDGE_STYLES[_edge_kind(source)])
    for node, (x, y) in positions.items():
        _draw_type(ax, node, x, y, node in marked, graph.nodes[node]["modality"])
    _adjacency_frame(ax, positions, graph, marked)
    _save(figure, file)
    return figure


# --- Newton polyhedra -------------------------------------------------------


def _as_polyhedron(source, point, variables, parameters):
    if isinstance(source, NewtonPolyhedron):
        return source
    if isinstance(getattr(source, "polyhedron", None), NewtonPolyhedron):
        return source.polyhedron
    return newton_polyhedron(source, point, variables=variables, parameters=parameters)


def _newton_2d(polyhedron, ax):
    figure, ax = _axes(ax, (7, 6.4))
    t, face = float(polyhedron.newton_distance), polyhedron.principal_face
    bound = math.ceil(max([t] + [c for v in polyhedron.vertices for c in v])) + 1.5
    vertices = sorted(polyhedron.vertices, key=lambda v: (v[0], -v[1]))
    boundary = [(vertices[0][0], bound)] + vertices + [(bound, vertices[-1][1])]
    ax.fill(*zip(*(boundary + [(bound, bound)])), color="tab:blue", alpha=0.13, lw=0, label=r"$\Gamma_+$")
    ax.plot(*zip(*boundary), color="tab:blue", lw=1.3)
    _draw_support(ax, polyhedron, bound)
    ax.plot([0, bound], [0, bound], "--", color="0.35", lw=1, label="diagonal (s, s)")
    if face.dimension == 0:
        ax.plot(*face.vertices[0], "o", ms=15, mfc="none", mec="tab:red", mew=2.2, label="principal face (a vertex)")
    else:
        ax.plot(
            *zip(*_face_corners(face, bound)), color="tab:red", lw=3.2, solid_capstyle="round", label="principal face"
        )
    ax.plot([t], [t], "*", color="tab:red", ms=14, mec="k", mew=0.6, zorder=5, label="(t, t)")
    ax.annotate(
        f"(t, t), t = {sympy.sstr(polyhedron.newton_distance)}",
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
    ax.set_xlabel(f"exponent of {polyhedron.variables[0]}")
    ax.set_ylabel(f"exponent of {polyhedron.variables[1]}")
    ax.set_title(f"Newton polygon of g = {_polynomial_text(polyhedron)}", fontsize="medium")
    _newton_notes(ax, polyhedron, below=-0.09)
    return figure


def _newton_3d(polyhedron, ax):
    figure, ax = _axes(ax, (8, 7.2), projection="3d")
    from mpl_toolkits.mplot3d.art3d import Poly3DCollection

    t, principal = float(polyhedron.newton_distance), polyhedron.principal_face
    bound = math.ceil(max([t] + [c for v in polyhedron.vertices for c in v])) + 1
    ax.computed_zorder = False  # draw in call order: faces, then edges, then points, so the highlights stay visible
    for face in polyhedron.faces():
        corners = _face_corners(face, bound)
        is_principal = face == principal
        if face.dimension == 2:
            colour, alpha = ("tab:red", 0.55) if is_principal else ("tab:blue", 0.2 if face.compact else 0.09)
            label = "principal face" if is_principal else None
            ax.add_collection3d(
                Poly3DCollection([corners], facecolor=colour, alpha=alpha, edgecolor="none", label=label)
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
    ax.plot([0, bound], [0, bound], [0, bound], "--", color="0.35", lw=1, label="diagonal (s, s, s)")
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
        label=f"(t, t, t), t = {sympy.sstr(polyhedron.newton_distance)}",
    )
    for axis, setter in enumerate((ax.set_xlabel, ax.set_ylabel, ax.set_zlabel)):
        setter(f"exponent of {polyhedron.variables[axis]}")
    for axis in (ax.xaxis, ax.yaxis, ax.zaxis):
        axis.set_ticks(range(bound + 1))
    ax.set_xlim(0, bound)
    ax.set_ylim(0, bound)
    ax.set_zlim(0, bound)
    ax.view_init(elev=_VIEW[0], azim=_VIEW[1])
    ax.set_title(f"Newton polyhedron of g = {_polynomial_text(polyhedron)}", fontsize="medium")
    _newton_notes(ax, polyhedron, below=0.0)
    return figure


def _newton_notes(ax, polyhedron, below):
    """The legend and the summary box under the axes."""
    legend = ax.legend(loc="upper center", bbox_to_anchor=(0.5, below), ncol=3, fontsize="small", frameon=False)
    ax.annotate(
        _newton_summary(polyhedron),
        xy=(0.5, 0),
        xycoords=legend,
        xytext=(0, -6),
        textcoords="offset points",
        ha="center",
        va="top",
        fontsize="small",
        bbox=dict(boxstyle="round", fc="white", ec="0.6"),
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
    polynomial = sympy.sstr(polyhedron.face_polynomial(face))
    return (
        f"Newton distance t = {sympy.sstr(t)},  1/t = {sympy.sstr(1 / t)};  "
        f"principal face: dimension {face.dimension}, {kind}, codimension c = {polyhedron.codimension}\n"
        f"face polynomial: {_shorten(polynomial, 60)}\n"
        f"lambda = 1/t and m = c when g is non-degenerate (docs/conventions.md#newton-polyhedra; singularities rlct)"
    )


def _polynomial_text(polyhedron):
    terms = sympy.Add(
        *(c * sympy.Mul(*(v**e for v, e in zip(polyhedron.variables, exponent))) for exponent, c in polyhedron.terms)
    )
    return _shorten(sympy.sstr(terms), 60)


def _shorten(text, width):
    return text if len(text) <= width else text[: width - 3] + "..."


# --- adjacency ----------------------------------------------------------------

_COLUMNS = {"A": 0, "D": 1, "E": 2}
_FAMILY_NAMES = ("A_k", "D_k", "E_k", "unimodal")
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


def _adjacency_frame(ax, positions, graph, marked):
    columns = sorted({x for x, _ in positions.values()})
    rows = sorted({y for _, y in positions.values()})
    ax.set_xlim(min(columns) - 0.6, max(columns) + 0.6)
    ax.set_ylim(min(rows) - 0.7, max(rows) + 0.7)
    ax.set_yticks(rows)
    ax.set_ylabel("Milnor number mu")
    ax.set_xticks(columns)
    ax.set_xticklabels([_FAMILY_NAMES[c] for c in columns])
    ax.xaxis.tick_top()
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    ax.grid(True, axis="y", alpha=0.2)
    used = {_edge_kind(source) for _, _, source in graph.edges(data="source")}
    handles = [_legend_line(ax, _EDGE_STYLES[key]) for key in _EDGE_STYLES if key in used]
    what = "the highlighted types and all they deform into" if marked else "the simple types and P8, X9, J10"
    ax.set_title(f"Adjacencies of {what}\n(an arrow u -> v: u deforms into v)", fontsize="medium", pad=24)
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.02), fontsize="small", frameon=False)


def _legend_line(ax, style):
    from matplotlib.lines import Line2D

    return Line2D([], [], color=style["color"], ls=style["ls"], label=style["label"])
