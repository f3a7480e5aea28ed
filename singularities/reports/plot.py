"""Plots: the DOS with its predicted singular terms, the spectroscope curve and the phase diagram of a tuning.

Needs the ``plot`` extra (matplotlib).  matplotlib is imported inside the
functions only, so the package works without it; a missing matplotlib raises
:class:`InputError` saying how to install it.  Every function follows the
contract of :mod:`singularities.reports.figures` (the one home of the helpers
every plot shares): ``ax=`` draws into the given Axes, otherwise a new pyplot
figure (shown inline in Jupyter); legends and insets inside the axes; LaTeX
labels; ``title=``, ``xlabel=``, ``ylabel=`` (and ``label=`` for the data);
``file=`` saves; the Axes is returned.  Call :func:`require_matplotlib` and
:func:`check_plot_file` *before* a long computation (the command line does):
a missing extra or a file in a folder that does not exist is an
:class:`InputError` at once, not after the work.  Folders are never created.
Newton polyhedra and the adjacency diagram: :mod:`singularities.reports.diagrams`.
Guide: docs/plots.md.

:func:`plot_dos`: a *prediction* is any object with ``value`` (the exact critical value c),
``exponent`` (the DOS exponent d - 1, a sympy Rational), ``log_power`` (0 or
1) and ``singular_part(E)`` (the float value of the leading singular term at
the absolute energy E), such as ``singularities.physics.dos.DOSAsymptotic``.
Predictions with the same critical value are added.  The smooth part of
rho is not predicted, so the overlay is (sum of singular parts) + b + a x + q x^2
with x = E - c, the smooth part fitted to the curve near c by weighted least
squares on the largest window |x| <= w (up to half-way to the next critical
value) on which the overlay agrees with the curve within its error estimate.
At a band edge rho vanishes on the far side, so its smooth part vanishes at
c: b = 0 there and only a and q are fitted (a step of a wrong height then
shows).  The legend gives b and w, and says so when even the smallest window
does not agree.

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
from typing import NamedTuple

import numpy as np
import sympy

from ..errors import InputError
from .figures import (
    axes_for,
    check_plot_file,
    cycle,
    expression_text,
    finish,
    renderer_of,
    require_matplotlib,
    symbol_latex,
)

__all__ = ["plot_dos", "plot_phase_diagram", "plot_spectroscope", "require_matplotlib", "check_plot_file"]

_INSET_SLOTS = tuple(
    (x, y, 0.27, 0.36) for y in (0.56, 0.1) for x in (0.08, 0.38, 0.69)
)  # (x, y, width, height) in axes fractions
_SHAPES = {1: "segments", 2: "triangles", 3: "tetrahedra"}
_COLOURS = ("tab:red", "tab:blue", "tab:green", "tab:purple", "tab:orange")
_PHASE_COLOURS = ("tab:red", "tab:blue", "tab:green", "tab:purple", "tab:orange", "tab:brown", "tab:cyan")
_BAND_COLOURS = ("tab:cyan", "tab:olive", "tab:brown", "tab:pink", "tab:gray")
_LEGEND_PLACES = (
    "upper left",
    "upper right",
    "lower left",
    "lower right",
    "upper center",
    "lower center",
    "center left",
    "center right",
)
_FIT_POINTS = 3  # energies on each side of c that the smallest fit window holds
_EDGE = 1e-3  # a critical value within this fraction of the band width of an edge is that edge


class SmoothFit(NamedTuple):
    """The smooth part b + a x + q x^2 (x = E - c) fitted on |x| <= window; ``agrees`` within the error estimate."""

    center: float
    coefficients: tuple  # (b, a, q)
    window: float
    agrees: bool
    edge: bool

    def __call__(self, energies):
        x = np.asarray(energies, dtype=float) - self.center
        b, a, q = self.coefficients
        return b + a * x + q * x**2


def plot_dos(
    curve,
    predictions=(),
    *,
    ax=None,
    file=None,
    insets=True,
    title=None,
    label=None,
    xlabel=None,
    ylabel=None,
):
    r"""Plot rho(E) with its error band (per band too) and each predicted singular term overlaid near its value.

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
        curve rho_b, its smooth part fitted there.  Untagged predictions are
        compared with the total.
    ax : matplotlib.axes.Axes, optional
        Draw into these axes; default new axes on a new pyplot figure.
    file : str or path, optional
        Save the figure there (the format follows the suffix, e.g. ``.png``).
    insets : bool or sequence of numbers
        Add insets against |E - c| on a log axis, below and above a critical
        value c (on each side where the predicted term is not zero): True for
        the first two values with a divergent or non-integer-power term, or
        the critical values to show.  The insets go where they hide least of
        the curve.
    title, xlabel, ylabel : str, optional
        Replace the default title ("DOS of f, grid ..."), x label (``$E$``)
        and y label (:math:`\rho(E)` with the normalisation).
    label : str, optional
        The legend entry of the curve (default :math:`\rho(E)` and the method).

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    InputError
        If matplotlib is not installed, or a prediction names a band the
        curve does not have (or a flat band, whose DOS is a delta function).

    Examples
    --------
    >>> from singularities.numeric.dos_curve import dos_curve
    >>> from singularities.reports.plot import plot_dos
    >>> ax = plot_dos(dos_curve("-2*cos(k)", grid=256, bins=50))  # doctest: +SKIP
    """
    ax = axes_for(ax)
    _draw_curve(ax, curve, label)
    groups, used = _groups(_tagged(predictions, curve)), []
    shown = _inset_groups(groups, insets)
    for colour, (band, group) in zip(cycle(_COLOURS), groups):
        reference = curve if band is None else curve.band(band)
        gaps = _gaps(float(group[0].value), [float(g[0].value) for b, g in groups if b == band])
        fit = _smooth_fit(reference, group, gaps)
        _draw_prediction(ax, reference, group, fit, colour, gaps, _band_text(band))
        if any(group is g for _, g in shown):
            sides = _sides(reference, group)
            boxes = _inset_boxes(ax, curve, float(group[0].value), len(sides), used)
            used += boxes
            for side, box in zip(sides, boxes):
                _draw_inset(ax, reference, group, fit, colour, side, box)
    _legend_inside(ax, used)
    defaults = (f"DOS of {_function(curve)}, grid {' x '.join(map(str, curve.grid))}", "$E$", _rho_label(curve))
    return finish(ax, title=title, xlabel=xlabel, ylabel=ylabel, file=file, defaults=defaults)


def _smooth_fit(curve, group, gaps=(np.inf, np.inf)):
    """The smooth part b + a x + q x^2 (x = E - c) of rho near the critical value c of ``group``, fitted to the curve.

    The residual rho(E) - (sum of the singular parts) is fitted by least
    squares weighted by 1/error(E) on |E - c| <= w, for growing windows w
    from the smallest that holds three energies on each side (one side at a
    band edge) to half-way to the next critical value (at most 15 % of the
    band width); the largest w on which every fitted energy agrees with the
    curve within the error estimate is kept (``agrees`` is False when even
    the smallest does not: the prediction or the curve is off there).  At a
    band edge (rho = 0 beyond c) the smooth part vanishes at c, so b = 0 and
    only a and q are fitted.
    """
    center = float(group[0].value)
    width = curve.band_top - curve.band_bottom
    edge = center <= curve.band_bottom + _EDGE * width or center >= curve.band_top - _EDGE * width
    x, residual, error = _fit_data(curve, group, center, gaps, edge)
    windows = _fit_windows(x, edge) or ([float(np.max(np.abs(x)))] if len(x) else [])  # a coarse curve: all
    if not windows:
        raise InputError(
            f"the DOS curve has no energies near E = {center:g}; "
            "pass more energies near the critical value to dos_curve (bins= or energies=)"
        )
    best = None
    for window in windows:
        inside = np.abs(x) <= window
        coefficients = _weighted_quadratic(x[inside], residual[inside], error[inside], edge)
        fit = SmoothFit(center, coefficients, float(window), False, edge)
        agrees = bool(np.all(np.abs(residual[inside] - fit(center + x[inside])) <= error[inside]))
        if best is not None and not agrees:
            break
        best = fit._replace(agrees=agrees)
        if not agrees:
            break
    return best


def plot_spectroscope(
    curve,
    predictions=(),
    *,
    level=0.95,
    title=None,
    label=None,
    xlabel=None,
    ylabel=None,
    ax=None,
    file=None,
):
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
    title, xlabel, ylabel : str, optional
        Replace the default title (the box and the number of samples) and
        axis labels.
    label : str, optional
        The legend entry of the measured points.
    ax : matplotlib.axes.Axes, optional
        Draw into these axes; default new axes on a new pyplot figure.
    file : str or path, optional
        Save the figure there.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from singularities.numeric.multiscale import volume_curve
    >>> from singularities.reports.plot import plot_spectroscope
    >>> curve = volume_curve("x*y", decades=6, samples=10**6, seed=1)  # doctest: +SKIP
    >>> ax = plot_spectroscope(curve, [(1, 2)], file="spectroscope.png")  # doctest: +SKIP
    """
    rows = np.array(curve.local_exponents(level))
    if len(rows) < 1:
        raise InputError("the volume curve has fewer than two thresholds; raise decades or samples")
    ax = axes_for(ax, (8, 5.2))
    t, value, low, high = rows.T
    points = ax.errorbar(
        t,
        value,
        yerr=[value - low, high - value],
        fmt="o",
        ms=3.5,
        color="k",
        elinewidth=0.8,
        capsize=2,
        label=label or rf"$d\log V/d\log t$ ({100 * level:g} % jackknife intervals, {curve.streams} streams)",
    )
    levels = [float(v) for v in value]
    for colour, (threshold, m, bound) in zip(cycle(_COLOURS), _plateaus(predictions)):
        levels.append(float(threshold))
        _draw_plateau(ax, t, threshold, m, bound, colour)
    bottom, top = min(levels + list(low)), max(levels + list(high))
    ax.set_xscale("log")
    ax.set_xlim(t.min() / 1.6, t.max() * 1.6)
    ax.set_ylim(bottom - 0.08, top + 0.08 + 0.45 * (top - bottom + 0.16))  # room for the legend above the points
    ax.grid(True, which="major", alpha=0.3)
    handles, labels = ax.get_legend_handles_labels()
    order = sorted(range(len(labels)), key=lambda i: handles[i] is not points)
    ax.legend([handles[i] for i in order], [labels[i] for i in order], loc="upper right", fontsize="small")
    defaults = (
        rf"spectroscope: $V(t) = \mathrm{{vol}}\{{|g| < t\}}$ on {_box_text(curve.box)}, "
        f"{curve.n_samples:.2g} samples ({curve.backend})",
        r"$t$ (threshold on $|g|$; the singular point is at $t \to 0$, on the left)",
        r"local exponent $d\log V/d\log t$",
    )
    return finish(ax, title=title, xlabel=xlabel, ylabel=ylabel, file=file, defaults=defaults)


def _fit_data(curve, group, center, gaps, edge):
    """(E - c, rho - singular part, error) at the curve's energies that a fit near c may use."""
    width = curve.band_top - curve.band_bottom
    x = curve.energies - center
    reach_below, reach_above = (min(0.15 * width, gap / 2) for gap in gaps)
    usable = ((x < 0) & (x >= -reach_below)) | ((x > 0) & (x <= reach_above))
    if edge:  # only the inside of the band: beyond the edge rho = 0
        usable &= x > 0 if center <= curve.band_bottom + _EDGE * width else x < 0
    singular = np.array([_singular(group, e) for e in curve.energies[usable]])
    finite = np.isfinite(singular)
    floor = 1e-9 * max(float(np.max(np.abs(curve.rho))), 1e-300)
    error = np.maximum(curve.error[usable], floor)
    return x[usable][finite], (curve.rho[usable] - singular)[finite], error[finite]


def _fit_windows(x, edge):
    """The candidate windows |E - c| <= w, smallest first: from three energies on each side with data."""
    sides = [np.sort(np.abs(x[x < 0])), np.sort(x[x > 0])]
    sides = [side for side in sides if len(side)]
    if not sides or any(len(side) < _FIT_POINTS for side in sides):
        return []
    smallest = max(side[_FIT_POINTS - 1] for side in sides)
    distances = np.unique(np.abs(x))
    return list(distances[distances >= smallest])


def _weighted_quadratic(x, residual, error, edge):
    """(b, a, q) minimising sum ((residual - b - a x - q x^2) / error)^2; b = 0 at a band edge."""
    weights = 1 / error
    powers = (1, 2) if edge else (0, 1, 2)
    design = np.column_stack([weights * x**k for k in powers])
    solution, *_ = np.linalg.lstsq(design, weights * residual, rcond=None)
    return tuple(float(c) for c in ((0.0, *solution) if edge else solution))


def _draw_curve(ax, curve, label=None):
    energies, rho, error = curve.energies, curve.rho, curve.error
    several = curve.n_bands > 1
    ax.fill_between(
        energies,
        rho - error,
        rho + error,
        color="0.75",
        lw=0,
        label=r"error estimate ($N$ against $N/2$ grid)",
    )
    name = r"total $\rho(E)$" if several else r"$\rho(E)$"
    ax.plot(energies, rho, color="k", lw=1, label=label or f"{name}, linear {_SHAPES[len(curve.grid)]}")
    if several:
        _draw_bands(ax, curve)
    top = np.max(rho)
    ax.set_ylim(0, 1.12 * top if top > 0 else 1)
    low, high = min(energies[0], curve.band_bottom), max(energies[-1], curve.band_top)
    margin = 0.03 * (high - low) if curve.flat_bands else 0.0  # a flat band at an edge stays visible
    ax.set_xlim(low - margin, high + margin)


def _draw_bands(ax, curve):
    """Each band's rho_b with its error band, in its own colour; a flat band as a vertical line (a delta)."""
    for band, colour in zip(range(curve.n_bands), cycle(_BAND_COLOURS)):
        bottom, top = curve.band_edges[band]
        if bottom == top:
            ax.axvline(bottom, color=colour, lw=2.2, label=rf"band {band}: flat, $\delta(E - {bottom:.6g})$, weight 1")
            continue
        rho, error = curve.band_rho[band], curve.band_error[band]
        ax.fill_between(curve.energies, rho - error, rho + error, color=colour, alpha=0.25, lw=0)
        ax.plot(curve.energies, rho, color=colour, lw=1.1, label=rf"band {band}: $\rho_{band}(E)$")


def _rho_label(curve):
    """The y label with the torus normalisation (one state per band per unit cell, no spin factor)."""
    each = r"$\int\rho_b\,dE = 1$ per band" if curve.n_bands > 1 else r"$\int\rho\,dE = 1$"
    return (
        r"$\rho(E)$, states per unit energy per unit cell"
        f"\n(measure ${_measure_latex(curve.periods)}$, no spin factor: {each})"
    )


def _measure_latex(periods):
    """d^n k over the cell volume: d^2k/(2\\pi)^2 on the standard torus."""
    n = len(periods)
    element = "dk" if n == 1 else f"d^{n}k"
    if all(sympy.simplify(p - 2 * sympy.pi) == 0 for p in periods):
        return element + (r"/(2\pi)" if n == 1 else rf"/(2\pi)^{n}")
    return element + "/(" + r" \cdot ".join(sympy.latex(sympy.sympify(p)) for p in periods) + ")"


def _draw_prediction(ax, curve, group, fit, colour, gaps, band_text=""):
    center = float(group[0].value)
    energies = _overlay_energies(curve, center, fit, gaps)
    values = np.array([_singular(group, e) for e in energies]) + fit(energies)
    label = f"{band_text}{_describe(group)}\n{_fit_text(fit)}"
    below = energies < center  # one line, broken at c (NaN), so that the legend entry is the whole overlay
    energies = np.concatenate([energies[below], [np.nan], energies[~below]])
    values = np.concatenate([values[below], [np.nan], values[~below]])
    ax.plot(energies, values, "--", color=colour, lw=1.6, label=label)
    ax.axvline(center, color=colour, lw=0.6, ls=":")


def _fit_text(fit):
    """The fitted smooth part in the legend: "+ fitted b + a x + q x^2, b = 0.19, on |E - E_c| <= 0.18"."""
    if fit.edge:
        smooth = "$a x + q x^2$ ($b = 0$: band edge)"
    else:
        smooth = f"$b + a x + q x^2$, $b = {fit.coefficients[0]:.4g}$,"
    text = f"  + fitted smooth part {smooth} on $|x| = |E - E_c| \\leq {fit.window:.3g}$"
    return text if fit.agrees else text + "\n  (does not agree within the error estimate there)"


def _draw_inset(ax, curve, group, fit, colour, side, box):
    center = float(group[0].value)
    distance = side * (curve.energies - center)
    window = 0.25 * (curve.band_top - curve.band_bottom)
    chosen = (distance > 0) & (distance <= window)
    if chosen.sum() < 3:
        return
    logarithmic = any(p.log_power for p in group)
    near = np.geomspace(distance[chosen].min(), distance[chosen].max(), 60)
    singular = np.array([_singular(group, center + side * d) for d in near])
    if not np.any(singular):
        return
    inset = ax.inset_axes(box)
    data, model = curve.rho[chosen], singular + fit(center + side * near)
    if not logarithmic and float(group[0].exponent) > 0:  # a vanishing power: the singular part alone
        data, model = np.abs(data - fit(curve.energies[chosen])), np.abs(singular)
    inset.errorbar(distance[chosen], data, yerr=curve.error[chosen], fmt=".", ms=2.5, color="k", elinewidth=0.6)
    inset.plot(near, model, "--", color=colour, lw=1.4)
    inset.axvline(fit.window, color=colour, lw=0.6, ls=":")
    inset.set_xscale("log")
    if not logarithmic:
        inset.set_yscale("log")
    _major_labels_only(inset)
    inset.set_title(f"$E {'<' if side < 0 else '>'} {sympy.latex(group[0].value)}$", fontsize="x-small", pad=2)
    inset.set_xlabel(f"$|{_shifted(group[0].value)}|$", fontsize="x-small", labelpad=1)
    inset.tick_params(which="both", labelsize="x-small")


def _major_labels_only(inset):
    """No labels on the minor ticks of log axes (in a small inset they run into each other)."""
    from matplotlib.ticker import NullFormatter

    for axis in (inset.xaxis, inset.yaxis):
        axis.set_minor_formatter(NullFormatter())


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


def _legend_inside(ax, used):
    """The legend inside the axes, clear of the insets, where it hides the fewest points of the curves drawn."""
    options = dict(fontsize="x-small", framealpha=0.85)
    renderer = renderer_of(ax)
    if not used or renderer is None:
        ax.legend(loc="best", **options)
        return
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    drawn = np.concatenate([line.get_xydata() for line in ax.get_lines() if len(line.get_xydata()) > 2])
    points = np.column_stack([(drawn[:, 0] - x0) / (x1 - x0), (drawn[:, 1] - y0) / (y1 - y0)])  # curves, overlays

    def cost(place):
        box = ax.legend(loc=place, **options).get_window_extent(renderer).transformed(ax.transAxes.inverted())
        box = (box.x0, box.y0, box.width, box.height)
        return any(_overlap(box, u) for u in used), int(np.sum(_inside(points, box)))

    ax.legend(loc=min(_LEGEND_PLACES, key=cost), **options)


def _inside(points, box):
    x, y, width, height = box
    return (points[:, 0] >= x) & (points[:, 0] <= x + width) & (points[:, 1] >= y) & (points[:, 1] <= y + height)


def _overlap(a, b):
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _overlay_energies(curve, center, fit, gaps):
    """Energies on both sides of c (inside only at a band edge) within the fit window.

    The curve's own energies there are included, so the overlay can be read off at them.
    """
    width = curve.band_top - curve.band_bottom
    distances = np.abs(curve.energies - center)
    nearest = max(distances[distances > 0].min(initial=fit.window), fit.window * 1e-6)
    pieces = []
    for side, gap in zip((-1, 1), gaps):
        if fit.edge and side * (center - (curve.band_bottom + curve.band_top) / 2) > 0:
            continue  # beyond the band edge rho = 0: nothing to overlay
        reach = max(min(fit.window, 0.15 * width, gap / 2), nearest)
        own = side * (curve.energies - center)
        pieces += [center + side * np.geomspace(nearest, reach, 100), curve.energies[(own > 0) & (own <= reach)]]
    energies = np.unique(np.concatenate(pieces)) if pieces else np.array([])
    return energies[(energies >= curve.energies[0]) & (energies <= curve.energies[-1]) & (energies != center)]


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
    c, shifted = sympy.latex(group[0].value), _shifted(group[0].value)
    exponent = sympy.Rational(group[0].exponent)
    term = f"$|{shifted}|^{{{sympy.latex(exponent)}}}$" if exponent != 0 else "step"
    if any(p.log_power for p in group):
        term = f"$\\log|{shifted}|$" if exponent == 0 else term[:-1] + f"\\log|{shifted}|$"
    count = f"{len(group)} points" if len(group) > 1 else "1 point"
    return f"predicted {term} at $E_c = {c}$ ({count})"


def _shifted(value):
    """E - c in LaTeX: "E" for c = 0, "E + 2" for c = -2."""
    value = sympy.sympify(value)
    if value == 0:
        return "E"
    return f"E + {sympy.latex(-value)}" if value.could_extract_minus_sign() else f"E - {sympy.latex(value)}"


def _function(curve):
    if curve.energy is not None:
        return expression_text(curve.energy.expr, 70)
    return "f" if curve.hamiltonian is None else f"a {curve.n_bands}-band Bloch matrix $H(k)$"


# --- phase diagram ------------------------------------------------------------


def plot_phase_diagram(
    degenerations,
    ranges=None,
    *,
    parameters=None,
    ax=None,
    file=None,
    resolution=401,
    title=None,
    xlabel=None,
    ylabel=None,
):
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
        Draw into these axes; default new axes on a new pyplot figure.
    file : str or path, optional
        Save the figure there.
    resolution : int
        Grid points per axis on which each curve is traced.
    title, xlabel, ylabel : str, optional
        Replace the default title and axis labels (the parameters in LaTeX:
        tp as t', tpp as t'').

    Returns
    -------
    matplotlib.axes.Axes

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
    >>> ax = plot_phase_diagram(found, {"t": (-1, 1), "tp": (-1, 1)}, file="phases.png")  # doctest: +SKIP
    """
    items = tuple(getattr(degenerations, "degenerations", degenerations))
    x, y = _phase_parameters(degenerations, items, parameters)
    box = _phase_ranges(ranges, (x, y), items)
    ax = axes_for(ax, (8, 6.5))
    everywhere = []
    for colour, (key, members) in zip(cycle(_PHASE_COLOURS), _strata(items, (x, y))):
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
    fixed = _fixed_text(degenerations, (x, y))
    default_title = (
        "degeneration strata of the critical points" + (f" ({fixed})" if fixed else "") + "; types found at the dots"
    )
    for row, text in enumerate(everywhere):
        ax.text(0.01, 0.01 + 0.04 * row, f"for every value: {text}", transform=ax.transAxes, fontsize="x-small")
    ax.grid(True, alpha=0.25)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="best", fontsize="x-small", framealpha=0.85)
    defaults = (default_title, f"${symbol_latex(x)}$", f"${symbol_latex(y)}$")
    return finish(ax, title=title, xlabel=xlabel, ylabel=ylabel, file=file, defaults=defaults)


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
    names = {s: symbol_latex(s) for s in symbols}
    for symbol in reversed(symbols):
        if sympy.degree(polynomial, symbol) == 1 and not sympy.Poly(polynomial, symbol).LC().free_symbols:
            (solution,) = sympy.solve(polynomial, symbol)
            return sympy.latex(sympy.Eq(symbol, solution, evaluate=False), symbol_names=names)
    return sympy.latex(sympy.Eq(polynomial, 0, evaluate=False), symbol_names=names)


def _point_latex(values, symbols):
    names = {s: symbol_latex(s) for s in symbols}
    return ", ".join(sympy.latex(sympy.Eq(s, v, evaluate=False), symbol_names=names) for s, v in zip(symbols, values))


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
    return ", ".join(f"${symbol_latex(p)} = {sympy.latex(v)}$" for p, v in fixed.items())


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
    threshold, name = float(exact), sympy.latex(sympy.sympify(exact))
    if bound:
        ax.axhline(threshold, color=colour, ls="-.", lw=1.4, label=f"proven upper bound: $\\lambda \\leq {name}$")
        return
    ax.axhline(
        threshold,
        color=colour,
        ls="--",
        lw=1.6,
        label=f"predicted plateau $\\lambda = {name}$" + (f" ($m = {m}$)" if m else ""),
    )
    if m and m > 1:
        grid = np.geomspace(t.min(), min(t.max(), math.exp(-1)), 200)
        ax.plot(
            grid,
            threshold - (m - 1) / np.log(1 / grid),
            ":",
            color=colour,
            lw=1.6,
            label=f"$\\lambda - (m - 1)/\\log(1/t)$, $m = {m}$: the leading log correction (trend only)",
        )


def _box_text(box):
    """The box in LaTeX: $[-1, 1]^2$, or the sides multiplied."""
    sides = {f"[{lo:g}, {hi:g}]" for lo, hi in box}
    if len(sides) == 1:
        return f"${sides.pop()}^{len(box)}$"
    return "$" + r" \times ".join(f"[{lo:g}, {hi:g}]" for lo, hi in box) + "$"
