"""Plots of a DOS curve with the predicted singular terms overlaid (needs the ``plot`` extra, matplotlib).

matplotlib is imported inside the functions only, so the package works
without it; a missing matplotlib raises :class:`InputError` saying how to
install it.  Figures are built with ``matplotlib.figure.Figure`` (no pyplot
state, no GUI backend).

A *prediction* is any object with ``value`` (the exact critical value c),
``exponent`` (the DOS exponent d - 1, a sympy Rational), ``log_power`` (0 or
1) and ``singular_part(E)`` (the float value of the leading singular term at
the absolute energy E), such as ``singularities.dos.DOSAsymptotic``.
Predictions with the same critical value are added.  The smooth part of
rho is not predicted, so the overlay is (sum of singular parts) + b with the
constant b fitted to the curve near c (:meth:`DOSCurve.offset`); the legend
says so.
"""

import numpy as np
import sympy

from ..errors import InputError

__all__ = ["plot_dos"]

_INSET_SLOTS = (((0.09, 0.56, 0.27, 0.36), (0.69, 0.56, 0.27, 0.36)), ((0.09, 0.1, 0.27, 0.36), (0.69, 0.1, 0.27, 0.36)))
_SHAPES = {1: "segments", 2: "triangles", 3: "tetrahedra"}
_COLOURS = ("tab:red", "tab:blue", "tab:green", "tab:purple", "tab:orange")


def plot_dos(curve, predictions=(), *, ax=None, file=None, insets=True):
    """Plot rho(E) with its error band and each predicted singular term overlaid near its critical value.

    Parameters
    ----------
    curve : DOSCurve
        From :func:`~singularities.numeric.dos_curve.dos_curve`.
    predictions : sequence
        Predicted singular terms (see the module docstring); those sharing a
        critical value are summed.
    ax : matplotlib.axes.Axes, optional
        Draw into these axes; default a new figure.
    file : str or path, optional
        Save the figure there (the format follows the suffix, e.g. ``.png``).
    insets : bool
        Add insets against |E - c| on a log axis, below and above each
        critical value with a divergent or non-integer-power term (at most two
        such values).

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    InputError
        If matplotlib is not installed.

    Examples
    --------
    >>> from singularities.numeric.dos_curve import dos_curve
    >>> from singularities.numeric.plot import plot_dos
    >>> figure = plot_dos(dos_curve("-2*cos(k)", grid=256, bins=50))  # doctest: +SKIP
    """
    figure, ax = _axes(ax)
    _draw_curve(ax, curve)
    slots = iter(_INSET_SLOTS)
    for colour, group in zip(_cycle(_COLOURS), _groups(predictions)):
        offset = curve.offset(group)
        _draw_prediction(ax, curve, group, offset, colour)
        slot = next(slots, None) if insets and _shows_power_law(group) else None
        if slot is not None:
            for side, box in zip((-1, 1), slot):
                _draw_inset(ax, curve, group, offset, colour, side, box)
    ax.set_xlabel("E")
    ax.set_ylabel(r"$\rho(E)$  (states per unit energy per unit cell)")
    ax.set_title(f"DOS of {_function(curve)}, grid {' x '.join(map(str, curve.grid))}", fontsize="medium")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), fontsize="small", frameon=False)
    if file is not None:
        figure.savefig(file, dpi=130, bbox_inches="tight")
    return figure


def _matplotlib_figure():
    try:
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise InputError(
            "plots need matplotlib, which is not installed; install the plot extra: "
            "pip install 'singularities[plot]' (or pip install matplotlib)"
        ) from exc
    return Figure


def _axes(ax):
    if ax is not None:
        return ax.figure, ax
    figure = _matplotlib_figure()(figsize=(9, 6.2))
    return figure, figure.add_subplot()


def _draw_curve(ax, curve):
    energies, rho, error = curve.energies, curve.rho, curve.error
    ax.fill_between(energies, rho - error, rho + error, color="0.75", lw=0, label="error estimate (grid N against N/2, see dos_curve)")
    ax.plot(energies, rho, color="k", lw=1, label=f"rho(E), linear {_SHAPES[len(curve.grid)]} ({curve.normalisation})")
    top = np.max(rho)
    ax.set_ylim(0, 1.12 * top if top > 0 else 1)
    ax.set_xlim(min(energies[0], curve.band_bottom), max(energies[-1], curve.band_top))


def _draw_prediction(ax, curve, group, offset, colour):
    center = float(group[0].value)
    energies = _overlay_energies(curve, center, 0.15 if _shows_power_law(group) else 0.06)
    values = np.array([_singular(group, e) + offset for e in energies])
    label = f"{_describe(group)} + fitted constant {offset:.4g}"
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
    inset.tick_params(labelsize="x-small")


def _overlay_energies(curve, center, fraction):
    window = fraction * (curve.band_top - curve.band_bottom)
    distances = np.abs(curve.energies - center)
    nearest = max(distances[distances > 0].min(initial=window * 1e-3), window * 1e-6)
    offsets = np.geomspace(nearest, window, 200)
    energies = np.concatenate([center - offsets[::-1], center + offsets])
    return energies[(energies >= curve.energies[0]) & (energies <= curve.energies[-1])]


def _groups(predictions):
    """Predictions grouped by critical value (exact comparison), in order of value."""
    groups = {}
    for prediction in predictions:
        key = next((k for k in groups if sympy.simplify(k - prediction.value) == 0), prediction.value)
        groups.setdefault(key, []).append(prediction)
    return [groups[k] for k in sorted(groups, key=float)]


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
    return "f" if curve.energy is None else sympy.sstr(curve.energy.expr)


def _cycle(items):
    while True:
        yield from items
