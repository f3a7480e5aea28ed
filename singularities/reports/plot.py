"""Plots: the DOS with its predicted singular terms and the spectroscope curve; the figure helpers every plot shares.

Needs the ``plot`` extra (matplotlib).  matplotlib is imported inside the
functions only, so the package works without it; a missing matplotlib raises
:class:`InputError` saying how to install it.  Figures are built with
``matplotlib.figure.Figure`` (no pyplot state, no GUI backend).  Every
function returns the figure and saves it when ``file=`` is given.  Call
:func:`require_matplotlib` and :func:`check_plot_file` *before* a long
computation (the command line does): a missing extra or a file in a folder
that does not exist is an :class:`InputError` at once, not after the work.
Folders are never created.  Newton polyhedra and the adjacency diagram:
:mod:`singularities.reports.diagrams`.  Guide: docs/plots.md.

:func:`plot_dos`: a *prediction* is any object with ``value`` (the exact critical value c),
``exponent`` (the DOS exponent d - 1, a sympy Rational), ``log_power`` (0 or
1) and ``singular_part(E)`` (the float value of the leading singular term at
the absolute energy E), such as ``singularities.physics.dos.DOSAsymptotic``.
Predictions with the same critical value are added.  The smooth part of
rho is not predicted, so the overlay is (sum of singular parts) + b with the
constant b fitted to the curve near c (:meth:`DOSCurve.offset`); the legend
says so.

:func:`plot_spectroscope`: the local exponent d log V / d log t of a
:class:`~.multiscale.VolumeCurve` against t, with the predicted plateau
lambda and, for m > 1, the leading log-corrected expectation
lambda - (m - 1)/log(1/t).

:func:`plot_phase_diagram`: the strata of a two-parameter :func:`~singularities.physics.tune.tune`
result in the parameter plane: each curve is the real zero set of its exact
defining polynomial (one contour at level 0 per irreducible factor over Q,
traced on a fine grid: the equation is exact, only its drawing is sampled),
each isolated stratum a marker at its exact point, labelled with the
equation and the types found at the representative values (the small dot
on each curve), where ``tune`` analysed the torus.
"""

import itertools
import math
import os
import pathlib

import numpy as np
import sympy

from ..errors import InputError

__all__ = ["plot_dos", "plot_phase_diagram", "plot_spectroscope", "require_matplotlib", "check_plot_file"]

_INSTALL = (
    "install the plot extra: pip install 'singularities[plot]' (pip install -e \".[plot]\" in a checkout), "
    "or pip install matplotlib"
)

_INSET_SLOTS = tuple(
    (x, y, 0.27, 0.36) for y in (0.56, 0.1) for x in (0.08, 0.38, 0.69)
)  # (x, y, width, height) in axes fractions
_SHAPES = {1: "segments", 2: "triangles", 3: "tetrahedra"}
_COLOURS = ("tab:red", "tab:blue", "tab:green", "tab:purple", "tab:orange")
_PHASE_COLOURS = ("tab:red", "tab:blue", "tab:green", "tab:purple", "tab:orange", "tab:brown", "tab:cyan")
_BAND_COLOURS = ("tab:cyan", "tab:olive", "tab:brown", "tab:pink", "tab:gray")


def plot_dos(curve, predictions=(), *, ax=None, file=None, insets=True):
    """Plot rho(E) with its error band (per band too) and each predicted singular term overlaid near its critical value.

    Parameters
    ----------
    curve : DOSCurve
        From :func:`~singularities.numeric.dos_curve.dos_curve`; for several
        bands the total is black and every band has its own colour.
    predictions : sequence
        Predicted singular terms (see the module docstring); those sharing a
        critical value (and band) are summed.  A prediction belongs to band b
        (0 = lowest) when given as a pair ``(b, prediction)`` or when it has
        an integer attribute ``band``: it is then compared with that band's
        curve rho_b, its constant fitted there.  Untagged predictions are
        compared with the total.
    ax : matplotlib.axes.Axes, optional
        Draw into these axes; default a new figure.
    file : str or path, optional
        Save the figure there (the format follows the suffix, e.g. ``.png``).
    insets : bool or sequence of numbers
        Add insets against |E - c| on a log axis, below and above a critical
        value c (on each side where the predicted term is not zero): True for
        the first two values with a divergent or non-integer-power term, or
        the critical values to show.  The insets go where they hide least of
        the curve.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    InputError
        If matplotlib is not installed, or a prediction names a band the
        curve does not have (or a flat band, whose DOS is a delta function).

    Examples
    --------
    >>> from singularities.numeric.dos_curve import dos_curve
    >>> from singularities.reports.plot import plot_dos
    >>> figure = plot_dos(dos_curve("-2*cos(k)", grid=256, bins=50))  # doctest: +SKIP
    """
    figure, ax = _axes(ax)
    _draw_curve(ax, curve)
    groups, used = _groups(_tagged(predictions, curve)), []
    shown = _inset_groups(groups, insets)
    for colour, (band, group) in zip(_cycle(_COLOURS), groups):
        reference = curve if band is None else curve.band(band)
        gaps = _gaps(float(group[0].value), [float(g[0].value) for b, g in groups if b == band])
        width = reference.band_top - reference.band_bottom
        offset = reference.offset(group, window=min(0.05 * width, min(gaps) / 2))
        _draw_prediction(ax, reference, group, offset, colour, gaps, _band_text(band))
        if any(group is g for _, g in shown):
            sides = _sides(reference, group)
            boxes = _inset_boxes(ax, curve, float(group[0].value), len(sides), used)
            used += boxes
            for side, box in zip(sides, boxes):
                _draw_inset(ax, reference, group, offset, colour, side, box)
    ax.set_xlabel("E")
    ax.set_ylabel(_rho_label(curve))
    ax.set_title(f"DOS of {_function(curve)}, grid {' x '.join(map(str, curve.grid))}", fontsize="medium")
    _legend_inside(ax, curve, used)
    _save(figure, file)
    return figure


def plot_spectroscope(curve, predictions=(), *, level=0.95, title=None, ax=None, file=None):
    """Plot the local exponent d log V / d log t of a volume curve against t, with the predicted plateaus.

    V(t) = vol{|g| < t} ~ C t^lambda (log 1/t)^(m-1), so the local exponent
    tends to lambda as t -> 0: a plateau at lambda when m = 1, and a slow
    approach from below, lambda - (m - 1)/log(1/t) to leading order, when
    m > 1 (lower-order terms of V shift that curve; it shows the trend, not
    a fit).  The points are :meth:`VolumeCurve.local_exponents` with their
    jackknife intervals at ``level``.

    Parameters
    ----------
    curve : VolumeCurve
        From :func:`~singularities.numeric.multiscale.volume_curve`.
    predictions : sequence
        Each an RLCT result (``threshold``, ``multiplicity``, ``status``; a
        "bound" is drawn as an upper bound, "unknown" is skipped), an object
        with an ``rlct`` attribute (e.g. a DOSAsymptotic), a pair
        ``(lambda, m)`` or a number lambda.
    level : float
        Confidence level of the error bars.
    title : str, optional
        Default names the box and the number of samples.
    ax : matplotlib.axes.Axes, optional
        Draw into these axes; default a new figure.
    file : str or path, optional
        Save the figure there.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from singularities.numeric.multiscale import volume_curve
    >>> from singularities.reports.plot import plot_spectroscope
    >>> curve = volume_curve("x*y", decades=6, samples=10**6, seed=1)  # doctest: +SKIP
    >>> figure = plot_spectroscope(curve, [(1, 2)], file="spectroscope.png")  # doctest: +SKIP
    """
    rows = np.array(curve.local_exponents(level))
    if len(rows) < 1:
        raise InputError("the volume curve has fewer than two thresholds; raise decades or samples")
    figure, ax = _axes(ax, (8, 5.2))
    t, value, low, high = rows.T
    ax.errorbar(
        t,
        value,
        yerr=[value - low, high - value],
        fmt="o",
        ms=3.5,
        color="k",
        elinewidth=0.8,
        capsize=2,
        label=f"d log V / d log t between neighbouring t ({level:g} jackknife intervals, {curve.streams} streams)",
    )
    levels = [float(v) for v in value]
    for colour, (threshold, m, bound) in zip(_cycle(_COLOURS), _plateaus(predictions)):
        levels.append(float(threshold))
        _draw_plateau(ax, t, threshold, m, bound, colour)
    ax.set_xscale("log")
    ax.set_xlim(t.min() / 1.6, t.max() * 1.6)
    ax.set_ylim(min(levels + list(low)) - 0.08, max(levels + list(high)) + 0.08)
    ax.set_xlabel("t (threshold on |g|; the singular point is at t -> 0, on the left)")
    ax.set_ylabel("local exponent  d log V / d log t")
    ax.set_title(
        title
        or f"spectroscope: V(t) = vol{{|g| < t}} on the box {_box_text(curve.box)}, "
        f"{curve.n_samples:.2g} samples ({curve.backend})",
        fontsize="medium",
    )
    ax.grid(True, which="major", alpha=0.3)
    _data_first_legend(ax)
    _save(figure, file)
    return figure


def require_matplotlib():
    """Check that the ``plot`` extra (matplotlib) is importable; cheap, for callers to run before computing.

    Raises
    ------
    InputError
        If matplotlib is missing, saying how to install the extra.

    Examples
    --------
    >>> from singularities.reports.plot import require_matplotlib
    >>> require_matplotlib()  # doctest: +SKIP
    """
    try:
        import matplotlib.figure  # noqa: F401
    except ImportError as exc:
        raise InputError(f"plots need matplotlib, which is not installed; {_INSTALL}") from exc


def check_plot_file(file):
    """Check, before any work, that a plot can be written to ``file``: its folder exists and is writable.

    Folders are not created (a typo should not make directories).

    Raises
    ------
    InputError
        If the folder is missing, is not a folder or is not writable, or
        ``file`` is an existing folder.

    Examples
    --------
    >>> from singularities.reports.plot import check_plot_file
    >>> check_plot_file("no/such/folder/dos.png")
    Traceback (most recent call last):
    ...
    singularities.errors.InputError: cannot write the plot no/such/folder/dos.png: the folder no/such/folder
    does not exist; create it (mkdir -p no/such/folder) or choose another path
    """
    if hasattr(file, "write"):
        return
    path = pathlib.Path(os.fspath(file))
    folder = path.parent
    if path.is_dir():
        problem = "it is a folder; add a file name such as plot.png"
    elif not folder.exists():
        problem = f"the folder {folder} does not exist; create it (mkdir -p {folder}) or choose another path"
    elif not folder.is_dir():
        problem = f"{folder} is not a folder; choose another path"
    elif not os.access(folder, os.W_OK):
        problem = f"the folder {folder} is not writable; choose another path"
    else:
        return
    raise InputError(f"cannot write the plot {file}: {problem}")


def _matplotlib_figure():
    require_matplotlib()
    from matplotlib.figure import Figure

    return Figure


def _axes(ax, size=(9, 6.2), projection=None):
    if ax is not None:
        return ax.figure, ax
    figure = _matplotlib_figure()(figsize=size)
    return figure, figure.add_subplot(projection=projection)


def _save(figure, file):
    if file is None:
        return
    check_plot_file(file)
    try:
        figure.savefig(file, dpi=130, bbox_inches="tight")
    except (OSError, ValueError) as exc:
        raise InputError(
            f"cannot write the plot {file}: {exc}; choose a writable path ending in .png, .pdf or .svg"
        ) from exc


def _draw_curve(ax, curve):
    energies, rho, error = curve.energies, curve.rho, curve.error
    several = curve.n_bands > 1
    ax.fill_between(
        energies,
        rho - error,
        rho + error,
        color="0.75",
        lw=0,
        label="error estimate (grid N against N/2)",
    )
    name = "total rho(E)" if several else "rho(E)"
    ax.plot(energies, rho, color="k", lw=1, label=f"{name}, linear {_SHAPES[len(curve.grid)]}")
    if several:
        _draw_bands(ax, curve)
    top = np.max(rho)
    ax.set_ylim(0, 1.12 * top if top > 0 else 1)
    low, high = min(energies[0], curve.band_bottom), max(energies[-1], curve.band_top)
    margin = 0.03 * (high - low) if curve.flat_bands else 0.0  # a flat band at an edge stays visible
    ax.set_xlim(low - margin, high + margin)


def _draw_bands(ax, curve):
    """Each band's rho_b with its error band, in its own colour; a flat band as a vertical arrow (a delta)."""
    for band, colour in zip(range(curve.n_bands), _cycle(_BAND_COLOURS)):
        bottom, top = curve.band_edges[band]
        if bottom == top:
            ax.axvline(bottom, color=colour, lw=2.2, label=f"band {band}: flat, delta(E - {bottom:.6g}), weight 1")
            continue
        rho, error = curve.band_rho[band], curve.band_error[band]
        ax.fill_between(curve.energies, rho - error, rho + error, color=colour, alpha=0.25, lw=0)
        ax.plot(curve.energies, rho, color=colour, lw=1.1, label=f"band {band}: rho_{band}(E)")


def _rho_label(curve):
    """The y label with the torus normalisation (one state per band per unit cell)."""
    measure = curve.normalisation.split(":")[0]
    each = r"$\int\rho_b\,dE = 1$ per band" if curve.n_bands > 1 else r"$\int\rho\,dE = 1$"
    return f"$\\rho(E)$, states per unit energy per unit cell\n(measure {measure}: {each})"


def _draw_prediction(ax, curve, group, offset, colour, gaps, band_text=""):
    center = float(group[0].value)
    energies = _overlay_energies(curve, center, 0.15 if _shows_power_law(group) else 0.06, gaps)
    values = np.array([_singular(group, e) + offset for e in energies])
    label = f"{band_text}{_describe(group)}\n  + fitted constant {offset:.4g}"
    for side in (energies < center, energies > center):
        ax.plot(energies[side], values[side], "--", color=colour, lw=1.6, label=label)
        label = None
    ax.axvline(center, color=colour, lw=0.6, ls=":")


def _draw_inset(ax, curve, group, offset, colour, side, box):
    center = float(group[0].value)
    distance = side * (curve.energies - center)
    window = 0.25 * (curve.band_top - curve.band_bottom)
    chosen = (distance > 0) & (distance <= window)
    if chosen.sum() < 3:
        return
    logarithmic = any(p.log_power for p in group)
    near = np.geomspace(distance[chosen].min(), distance[chosen].max(), 100)
    singular = np.array([_singular(group, center + side * d) for d in near])
    if not np.any(singular):
        return
    inset = ax.inset_axes(box)
    data, model = curve.rho[chosen], singular + offset
    if not logarithmic and float(group[0].exponent) > 0:
        data, model = np.abs(data - offset), np.abs(singular)
    inset.errorbar(distance[chosen], data, yerr=curve.error[chosen], fmt=".", ms=2.5, color="k", elinewidth=0.6)
    inset.plot(near, model, "--", color=colour, lw=1.4)
    inset.set_xscale("log")
    if not logarithmic:
        inset.set_yscale("log")
    inset.set_title(f"E {'<' if side < 0 else '>'} {sympy.sstr(group[0].value)}", fontsize="x-small", pad=2)
    inset.set_xlabel(f"|{_shifted(group[0].value)}|", fontsize="x-small", labelpad=1)
    inset.tick_params(which="both", labelsize="x-small")


def _inset_groups(groups, insets):
    if insets is True:  # the first two critical values; one when bands share the figure (it is busy enough)
        several = len({b for b, _ in groups}) > 1
        return [(b, g) for b, g in groups if _shows_power_law(g)][: 1 if several else 2]
    if not insets:
        return []
    return [(b, g) for b, g in groups if any(abs(float(g[0].value) - float(v)) < 1e-9 for v in insets)]


def _sides(curve, group):
    """The sides (-1 below, 1 above) of the critical value where the predicted term is not zero."""
    center, step = float(group[0].value), 1e-3 * (curve.band_top - curve.band_bottom)
    return [side for side in (-1, 1) if _singular(group, center + side * step) != 0]


def _inset_boxes(ax, curve, center, count, used):
    """``count`` free inset slots, left to right, that cover the fewest curve points and not the line E = c."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    points = np.column_stack([(curve.energies - x0) / (x1 - x0), (curve.rho - y0) / (y1 - y0)])
    where = (center - x0) / (x1 - x0)

    def cost(boxes):
        inside = sum(int(np.sum(_inside(points, box))) for box in boxes)
        blocked = any(box[0] <= where <= box[0] + box[2] for box in boxes) or any(
            _overlap(a, b) for a in boxes for b in used
        )
        return inside + (10**6 if blocked else 0)

    options = [c for c in itertools.combinations(_INSET_SLOTS, count) if len({b[0] for b in c}) == count]
    return sorted(min(options, key=cost), key=lambda box: box[0]) if options else []


def _legend_inside(ax, curve, used):
    """The legend inside the axes: in the free inset slot hiding the fewest curve points, else matplotlib's best."""
    free = [box for box in _INSET_SLOTS if not any(_overlap(box, u) for u in used)]
    if not used or not free:
        ax.legend(loc="best", fontsize="x-small", framealpha=0.85)
        return
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    points = np.column_stack([(curve.energies - x0) / (x1 - x0), (curve.rho - y0) / (y1 - y0)])
    x, y, width, height = min(free, key=lambda b: int(np.sum(_inside(points, b))))
    vertical, anchor_y = ("upper", 0.99) if y > 0.3 else ("lower", 0.01)
    horizontal, anchor_x = {0: ("left", 0.01), 1: ("center", 0.5), 2: ("right", 0.99)}[int(3 * (x + width / 2))]
    ax.legend(
        loc=f"{vertical} {horizontal}" if horizontal != "center" else f"{vertical} center",
        bbox_to_anchor=(anchor_x, anchor_y),
        bbox_transform=ax.transAxes,
        fontsize="x-small",
        framealpha=0.85,
    )


def _inside(points, box):
    x, y, width, height = box
    return (points[:, 0] >= x) & (points[:, 0] <= x + width) & (points[:, 1] >= y) & (points[:, 1] <= y + height)


def _overlap(a, b):
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _overlay_energies(curve, center, fraction, gaps=(np.inf, np.inf)):
    """Energies on both sides of c, up to ``fraction`` of the band width and half-way to the next critical value."""
    window = fraction * (curve.band_top - curve.band_bottom)
    distances = np.abs(curve.energies - center)
    nearest = max(distances[distances > 0].min(initial=window * 1e-3), window * 1e-6)
    below, above = (np.geomspace(nearest, max(min(window, gap / 2), nearest), 200) for gap in gaps)
    energies = np.concatenate([center - below[::-1], center + above])
    return energies[(energies >= curve.energies[0]) & (energies <= curve.energies[-1])]


def _gaps(center, centers):
    """Distances from c to the nearest other critical value below and above it (inf if none)."""
    below = [center - c for c in centers if c < center]
    above = [c - center for c in centers if c > center]
    return min(below, default=np.inf), min(above, default=np.inf)


def _tagged(predictions, curve):
    """(band or None, prediction) pairs: from ``(b, prediction)`` or a ``band`` attribute; bands checked."""
    tagged = []
    for item in predictions:
        band, prediction = item if isinstance(item, tuple) and len(item) == 2 else (getattr(item, "band", None), item)
        if band is not None and curve.n_bands == 1 and band == 0:
            band = None  # the one band is the total
        if band is not None:
            if not (isinstance(band, (int, np.integer)) and 0 <= band < curve.n_bands):
                raise InputError(
                    f"a prediction is tagged with band {band!r}, but the curve has bands 0 to {curve.n_bands - 1}; "
                    "tag it with one of those (0 = lowest)"
                )
            if curve.band_edges[band][0] == curve.band_edges[band][1]:
                raise InputError(
                    f"band {band} is flat (a delta function at E = {curve.band_edges[band][0]:.6g}); "
                    "it has no asymptote to overlay: tag the prediction with a dispersive band"
                )
            band = int(band)
        tagged.append((band, prediction))
    return tagged


def _groups(tagged):
    """(band, predictions) grouped by band and critical value (exact comparison), in order of value."""
    groups = {}
    for band, prediction in tagged:
        key = next(
            (k for k in groups if k[0] == band and sympy.simplify(k[1] - prediction.value) == 0),
            (band, prediction.value),
        )
        groups.setdefault(key, []).append(prediction)
    ordered = sorted(groups, key=lambda k: (float(k[1]), -1 if k[0] is None else k[0]))
    return [(k[0], groups[k]) for k in ordered]


def _band_text(band):
    return "" if band is None else f"band {band}: "


def _singular(group, energy):
    return sum(float(p.singular_part(float(energy))) for p in group)


def _shows_power_law(group):
    return any(p.log_power for p in group) or not sympy.Rational(group[0].exponent).is_integer


def _describe(group):
    c, shifted = sympy.sstr(group[0].value), _shifted(group[0].value)
    exponent = sympy.Rational(group[0].exponent)
    term = f"|{shifted}|^({exponent})" if exponent != 0 else "step"
    if any(p.log_power for p in group):
        term = f"log|{shifted}|" if exponent == 0 else f"{term} log|{shifted}|"
    count = f"{len(group)} points" if len(group) > 1 else "1 point"
    return f"predicted {term} at E = {c} ({count})"


def _shifted(value):
    """E - c as text: "E" for c = 0, "E + 2" for c = -2."""
    value = sympy.sympify(value)
    if value == 0:
        return "E"
    return f"E + {sympy.sstr(-value)}" if value.could_extract_minus_sign() else f"E - {sympy.sstr(value)}"


def _function(curve):
    if curve.energy is not None:
        return sympy.sstr(curve.energy.expr)
    return "f" if curve.hamiltonian is None else f"a {curve.n_bands}-band Bloch matrix H(k)"


def _cycle(items):
    while True:
        yield from items


# --- phase diagram ------------------------------------------------------------


def plot_phase_diagram(degenerations, ranges=None, *, parameters=None, ax=None, file=None, resolution=401):
    """Draw the strata of a two-parameter tuning in the parameter plane, labelled by the types found on them.

    Parameters
    ----------
    degenerations : Tuning or sequence of Degeneration
        From :func:`~singularities.physics.tune.tune` (or its ``degenerations``).
        Strata with the same defining equation (e.g. "degenerate" and "A3"
        on one line) are drawn once, their kinds listed together.
    ranges : dict or pair of pairs, optional
        ``{"tp": (-1, 1), "tpp": (-1, 1)}`` or ``((x_lo, x_hi), (y_lo, y_hi))``;
        default: a square around 0 holding every representative point.
    parameters : sequence of two names, optional
        The horizontal and vertical parameter; default the tuned parameters
        (a ``Tuning``'s, else the symbols of the conditions, in name order).
    ax : matplotlib.axes.Axes, optional
        Draw into these axes; default a new figure.
    file : str or path, optional
        Save the figure there.
    resolution : int
        Grid points per axis on which each curve is traced.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    InputError
        If the strata do not live in a plane of two parameters, or a range
        is not an increasing pair of numbers.

    Examples
    --------
    >>> from singularities.physics.tune import tune
    >>> from singularities.reports.plot import plot_phase_diagram
    >>> found = tune("-2*t*(cos(kx) + cos(ky)) - 4*tp*cos(kx)*cos(ky)", "t,tp")  # doctest: +SKIP
    >>> figure = plot_phase_diagram(found, {"t": (-1, 1), "tp": (-1, 1)}, file="phases.png")  # doctest: +SKIP
    """
    items = tuple(getattr(degenerations, "degenerations", degenerations))
    x, y = _phase_parameters(degenerations, items, parameters)
    box = _phase_ranges(ranges, (x, y), items)
    figure, ax = _axes(ax, (8, 6.5))
    everywhere = []
    for colour, (key, members) in zip(_cycle(_PHASE_COLOURS), _strata(items, (x, y))):
        label = _stratum_label(members, key, (x, y))
        if key is None:
            everywhere.append(label)
        elif isinstance(key, tuple):
            _draw_phase_point(ax, key, box, colour, label)
        else:
            _draw_phase_curve(ax, key, (x, y), box, resolution, colour, label)
            _draw_representative(ax, members[0].values, (x, y), box, colour)
    ax.set_xlim(*box[0])
    ax.set_ylim(*box[1])
    ax.set_xlabel(f"${_parameter_latex(x)}$")
    ax.set_ylabel(f"${_parameter_latex(y)}$")
    fixed = _fixed_text(degenerations, (x, y))
    ax.set_title(
        "degeneration strata of the critical points" + (f" ({fixed})" if fixed else "") + "; types found at the dots",
        fontsize="medium",
    )
    for row, text in enumerate(everywhere):
        ax.text(0.01, 0.01 + 0.04 * row, f"for every value: {text}", transform=ax.transAxes, fontsize="x-small")
    ax.grid(True, alpha=0.25)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="best", fontsize="x-small", framealpha=0.85)
    _save(figure, file)
    return figure


def _phase_parameters(source, items, parameters):
    """The two parameter symbols of the plane (horizontal, vertical)."""
    if parameters is not None:
        names = parameters.split(",") if isinstance(parameters, str) else list(parameters)
        symbols = tuple(sympy.Symbol(str(n).strip()) for n in names)
    elif getattr(source, "parameters", None):
        symbols = tuple(source.parameters)
    else:
        found = set().union(*(g.free_symbols for d in items for g in d.condition))
        symbols = tuple(sorted(found, key=lambda s: s.name))
    if len(symbols) != 2:
        names = ", ".join(map(str, symbols)) or "none"
        raise InputError(
            f"a phase diagram needs two tuned parameters, not {len(symbols)} ({names}); "
            "tune two parameters (fix the others, e.g. 't=1,tp,tpp') or pass parameters=('tp', 'tpp')"
        )
    return symbols


def _phase_ranges(ranges, symbols, items):
    """((x_lo, x_hi), (y_lo, y_hi)) as floats; default a square around 0 holding the representative points."""
    if ranges is None:
        values = [abs(float(v)) for d in items for p, v in d.values if p in symbols]
        half = max([1.0] + [1.25 * v for v in values])
        return ((-half, half), (-half, half))
    pairs = [ranges.get(str(s), ranges.get(s)) for s in symbols] if isinstance(ranges, dict) else list(ranges)
    box = []
    for symbol, pair in zip(symbols, pairs):
        try:
            low, high = (float(sympy.sympify(v)) for v in pair)
        except (TypeError, ValueError, sympy.SympifyError):
            low = high = None
        if low is None or not low < high:
            raise InputError(
                f"the range of {symbol} is {pair!r}, not an increasing pair of numbers; "
                f"give e.g. {{'{symbol}': (-1, 1)}}"
            )
        box.append((low, high))
    if len(box) != 2:
        raise InputError("give a range for each of the two parameters, e.g. {'tp': (-1, 1), 'tpp': (-1, 1)}")
    return tuple(box)


def _strata(items, symbols):
    """[(key, [Degeneration, ...])] with key the curve's square-free polynomial, the point's values, or None."""
    groups = []
    for d in items:
        key = _stratum_key(d, symbols)
        for existing, members in groups:
            if _same_key(existing, key):
                members.append(d)
                break
        else:
            groups.append((key, [d]))
    return groups


def _stratum_key(degeneration, symbols):
    if not degeneration.condition:
        return None
    common = sympy.Integer(0)
    for g in degeneration.condition:
        common = sympy.gcd(common, sympy.expand(g))
    if common.free_symbols & set(symbols) and not common.free_symbols - set(symbols):
        factors = [f for f, _ in sympy.factor_list(common, *symbols)[1]]
        return sympy.expand(sympy.Mul(*factors))  # square-free: every factor once
    values = dict(degeneration.values)
    return tuple(values[s] for s in symbols)


def _same_key(a, b):
    if a is None or b is None or isinstance(a, tuple) or isinstance(b, tuple):
        return a == b
    return sympy.expand(a * sympy.Poly(b).LC() - b * sympy.Poly(a).LC()) == 0


def _stratum_label(members, key, symbols):
    kinds = ", ".join(dict.fromkeys(d.stratum for d in members))
    types = _types_text(members[0])
    if key is None:
        return f"{kinds}: {types}"
    equation = _equation_latex(key, symbols) if not isinstance(key, tuple) else _point_latex(key, symbols)
    return f"${equation}$ [{kinds}]: {types}"


def _types_text(degeneration):
    """The types at the representative values: "X9 at (0, 0); A3- at (pi, 0)", components named."""
    seen = {}
    for p in degeneration.points:
        seen.setdefault(p.label, []).append(_point_text(p.point))
    parts = [f"{label} at {', '.join(where)}" for label, where in seen.items()]
    shapes = {1: "line", 2: "surface"}
    parts += [
        f"critical {shapes.get(getattr(c, 'dimension', None), 'set')} {getattr(c, 'description', '')}".rstrip()
        for c in degeneration.components
    ]
    return "; ".join(parts) or "no degenerate isolated point"


def _point_text(point):
    return "(" + ", ".join(sympy.sstr(c) for c in point) + ")"


def _equation_latex(polynomial, symbols):
    """y = (solution) when the polynomial is linear in the vertical parameter, else x = ..., else p = 0."""
    names = {s: _parameter_latex(s) for s in symbols}
    for symbol in reversed(symbols):
        if sympy.degree(polynomial, symbol) == 1 and not sympy.Poly(polynomial, symbol).LC().free_symbols:
            (solution,) = sympy.solve(polynomial, symbol)
            return sympy.latex(sympy.Eq(symbol, solution, evaluate=False), symbol_names=names)
    return sympy.latex(sympy.Eq(polynomial, 0, evaluate=False), symbol_names=names)


def _point_latex(values, symbols):
    names = {s: _parameter_latex(s) for s in symbols}
    return ", ".join(sympy.latex(sympy.Eq(s, v, evaluate=False), symbol_names=names) for s, v in zip(symbols, values))


def _parameter_latex(symbol):
    """t' for tp, t'' for tpp (a one-letter name followed by p's), else sympy's LaTeX (t3 -> t_{3})."""
    name = str(symbol)
    stem = name.rstrip("p")
    if len(stem) == 1 and len(name) > 1:
        return stem + "'" * (len(name) - 1)
    return sympy.latex(sympy.Symbol(name))


def _draw_phase_curve(ax, polynomial, symbols, box, resolution, colour, label):
    """The real zero set of each irreducible factor, traced as the level-0 contour on a grid over the box."""
    from contourpy import contour_generator

    xs, ys = np.linspace(*box[0], resolution), np.linspace(*box[1], resolution)
    gx, gy = np.meshgrid(xs, ys)
    for factor, _ in sympy.factor_list(polynomial, *symbols)[1]:
        values = np.broadcast_to(np.asarray(sympy.lambdify(symbols, factor, "numpy")(gx, gy), dtype=float), gx.shape)
        for segment in contour_generator(gx, gy, values).lines(0.0):
            ax.plot(segment[:, 0], segment[:, 1], color=colour, lw=1.8, label=label)
            label = None


def _draw_phase_point(ax, values, box, colour, label):
    x, y = (float(v) for v in values)
    if box[0][0] <= x <= box[0][1] and box[1][0] <= y <= box[1][1]:
        ax.plot([x], [y], "o", ms=7, color=colour, label=label)


def _draw_representative(ax, values, symbols, box, colour):
    values = dict(values)
    if all(s in values for s in symbols):
        x, y = (float(values[s]) for s in symbols)
        if box[0][0] <= x <= box[0][1] and box[1][0] <= y <= box[1][1]:
            ax.plot([x], [y], ".", ms=6, color=colour)


def _fixed_text(source, symbols):
    """The fixed parameter values of a Tuning's input ("t = 1"), else ""."""
    energy = getattr(source, "energy", None)
    fixed = {p: v for p, v in getattr(energy, "parameters", {}).items() if v is not None and p not in symbols}
    return ", ".join(f"{p} = {sympy.sstr(v)}" for p, v in fixed.items())


# --- spectroscope -------------------------------------------------------------


def _plateaus(predictions):
    """(lambda, m or None, is_bound) for each prediction that gives a number."""
    for prediction in predictions:
        if getattr(prediction, "threshold", None) is None and getattr(prediction, "rlct", None) is not None:
            prediction = prediction.rlct
        if isinstance(prediction, (tuple, list)):
            yield sympy.nsimplify(prediction[0]), int(prediction[1]), False
        elif hasattr(prediction, "threshold"):
            status = getattr(getattr(prediction, "status", None), "value", "proven")
            if status != "unknown" and prediction.threshold is not None:
                yield prediction.threshold, prediction.multiplicity, status == "bound"
        else:
            yield sympy.nsimplify(prediction), None, False


def _draw_plateau(ax, t, exact, m, bound, colour):
    threshold, name = float(exact), sympy.sstr(exact)
    if bound:
        ax.axhline(threshold, color=colour, ls="-.", lw=1.4, label=f"proven upper bound: lambda <= {name}")
        return
    ax.axhline(
        threshold,
        color=colour,
        ls="--",
        lw=1.6,
        label=f"predicted plateau lambda = {name}" + (f" (m = {m})" if m else ""),
    )
    if m and m > 1:
        grid = np.geomspace(t.min(), min(t.max(), math.exp(-1)), 200)
        ax.plot(
            grid,
            threshold - (m - 1) / np.log(1 / grid),
            ":",
            color=colour,
            lw=1.6,
            label=f"lambda - (m - 1)/log(1/t), m = {m}: the leading log correction (trend only)",
        )


def _data_first_legend(ax):
    handles, labels = ax.get_legend_handles_labels()
    order = sorted(range(len(labels)), key=lambda i: not labels[i].startswith("d log V"))
    ax.legend(
        [handles[i] for i in order],
        [labels[i] for i in order],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.13),
        fontsize="small",
        frameon=False,
    )


def _box_text(box):
    sides = {f"[{lo:g}, {hi:g}]" for lo, hi in box}
    return f"{sides.pop()}^{len(box)}" if len(sides) == 1 else " x ".join(f"[{lo:g}, {hi:g}]" for lo, hi in box)
