"""The full density of states rho(E) of a dispersion on a torus, by the linear tetrahedron method.

f is evaluated on a periodic grid of N_1 x ... x N_n points; every grid cell
is cut into n! simplices (segments in 1D, triangles in 2D, tetrahedra in 3D;
the Kuhn triangulation along the main diagonal), f is interpolated linearly
on each simplex, and the density of states of that piecewise-linear
interpolant is evaluated *exactly* at each requested energy (the measure of
its level set, Lehmann-Taut / Bloechl formulas).  There is no histogram and
no broadening: away from critical values the result converges as O(h^2) in
the grid spacing h in 2D and 3D, and as O(h) in 1D (where the interpolant's
DOS is a staircase; hence the finer default grid).

Normalisation (docs/conventions.md#density-of-states): the measure is
d^n k / prod(periods), (2 pi)^-n d^n k on the torus (R / 2 pi Z)^n, so that
the integral of rho over E is 1 (one state per band per unit cell).

Precision: the same computation on the grid with every second point
(N/2 per axis, no new evaluations of f) gives rho_{N/2}.  For an error
decreasing like h^p with p >= 1, d = |rho_N - rho_{N/2}| bounds the error of
rho_N, but d oscillates: where a level set is tangent to the grid, rows of
grid points share nearly one energy, and rho_N carries a sawtooth whose
period is the local energy step of the grid.  So the reported ``error`` at E
is the larger of d(E) and the smaller of the maxima of d over one window
below and one above E (the window spans two local periods; only one side
faces a nearby critical value, so the estimate does not reach across it).
On the chain, square and simple cubic lattices this covered the exact
deviation at every tested energy with |E - c| >= 1e-3 (typically 2-5 times
larger than it).  Within the grid's energy resolution of a critical value c
(about |f''| h^2) the interpolant smooths the singularity, and the estimate
is only an order of magnitude.
"""

import itertools
import math
from dataclasses import dataclass, field

import numpy as np
import sympy

from .._exact import parse_exact
from .._limits import Deadline
from .._result import Result, from_dict, parse_field, register
from ..energy import Energy, as_energy
from ..errors import InputError, NumericError, UnknownMethodError

__all__ = ["DOSCurve", "dos_curve", "METHODS", "DEFAULT_GRID", "MAX_GRID_POINTS"]

METHODS = ("tetrahedron",)
DEFAULT_GRID = {1: 32768, 2: 512, 3: 64}
MAX_GRID_POINTS = 2**25
_SIMPLICES_PER_CHUNK = 2**18
_PAIRS_PER_BLOCK = 2**21
_POINTS_PER_CHUNK = 2**20
_PROBES = 8
_SHAPES = {1: "segments", 2: "triangles", 3: "tetrahedra"}


@register("dos_curve")
@dataclass(frozen=True, slots=True, eq=False)
class DOSCurve(Result):
    """The density of states rho(E) of a band on a grid of energies, with an error estimate.

    Arrays are read-only numpy arrays of the same length, sorted by energy.

    Attributes
    ----------
    energies : numpy.ndarray
        The energies E, ascending.
    rho : numpy.ndarray
        rho(E) of the piecewise-linear interpolant on the finest grid.
    error : numpy.ndarray
        The error estimate |rho_N - rho_{N/2}| at each energy (see the module docstring).
    integrated : numpy.ndarray
        The integrated density of states N(E) = measure of {f <= E}, in [0, 1].
    band_bottom, band_top : float
        The minimum and maximum of f on the grid (for a grid through the
        extrema, the exact band edges).
    grid : tuple of int
        Grid points per variable.
    method : str
        "tetrahedron" (linear segments, triangles or tetrahedra by dimension).
    normalisation : str
        The k-space measure in words.
    periods : tuple of sympy.Expr
        The period of each variable.
    energy : Energy
        The input (provenance).
    """

    energies: np.ndarray = field(repr=False)
    rho: np.ndarray = field(repr=False)
    error: np.ndarray = field(repr=False)
    integrated: np.ndarray = field(repr=False)
    band_bottom: float
    band_top: float
    grid: tuple
    method: str
    normalisation: str = field(repr=False)
    periods: tuple = field(repr=False)
    energy: Energy = field(default=None, repr=False)

    def offset(self, predictions, *, window=None):
        """The constant b that best matches rho ~ (sum of singular parts) + b near their critical value.

        Parameters
        ----------
        predictions : sequence
            Objects with ``value`` (the critical value c, the same for all)
            and ``singular_part(E)`` (a float), e.g. ``DOSAsymptotic``.
        window : float, optional
            Use the energies with window/10 <= |E - c| <= window; default
            5 % of the band width.

        Returns
        -------
        float
            The median of rho(E) - sum singular_part(E) over those energies.
        """
        center = float(predictions[0].value)
        window = 0.05 * (self.band_top - self.band_bottom) if window is None else window
        distance = np.abs(self.energies - center)
        chosen = (distance >= window / 10) & (distance <= window)
        if chosen.sum() < 2:
            chosen = (distance > 0) & (distance <= window)
        if not chosen.any():
            raise NumericError(
                f"no energies within {window:g} of E = {center:g}; pass energies near the critical value to dos_curve"
            )
        energies = self.energies[chosen]
        singular = np.array([sum(float(p.singular_part(e)) for p in predictions) for e in energies])
        return float(np.median(self.rho[chosen] - singular))

    def to_rows(self):
        worst = int(np.argmax(self.error)) if len(self.error) else 0
        relative = self.error / np.maximum(np.abs(self.rho), 1e-300)
        rows = [
            ("band bottom (grid minimum)", f"{self.band_bottom:.10g}"),
            ("band top (grid maximum)", f"{self.band_top:.10g}"),
            ("grid", " x ".join(map(str, self.grid))),
            ("method", f"linear {_SHAPES[len(self.grid)]} (exact level-set measure)"),
            ("normalisation", self.normalisation),
            ("energies", f"{len(self.energies)} from {self.energies[0]:.6g} to {self.energies[-1]:.6g}"),
            ("largest rho", f"{self.rho.max():.6g}"),
            ("median relative error", f"{np.median(relative):.2g}"),
            ("largest error estimate", f"{self.error[worst]:.2g} at E = {self.energies[worst]:.6g}"),
        ]
        return ("quantity", "value"), rows

    def to_dict(self):
        data = {
            "kind": "dos_curve",
            "energies": self.energies.tolist(),
            "rho": self.rho.tolist(),
            "error": self.error.tolist(),
            "integrated": self.integrated.tolist(),
            "band_edges": [self.band_bottom, self.band_top],
            "grid": list(self.grid),
            "method": self.method,
            "normalisation": self.normalisation,
            "periods": [sympy.sstr(p) for p in self.periods],
        }
        return self._with_input(data)

    @classmethod
    def from_dict(cls, data):
        """Rebuild the curve from :meth:`to_dict` output."""
        return cls(
            energies=_frozen(data["energies"]),
            rho=_frozen(data["rho"]),
            error=_frozen(data["error"]),
            integrated=_frozen(data["integrated"]),
            band_bottom=data["band_edges"][0],
            band_top=data["band_edges"][1],
            grid=tuple(data["grid"]),
            method=data["method"],
            normalisation=data["normalisation"],
            periods=tuple(parse_field(p) for p in data["periods"]),
            energy=from_dict(data.get("input")),
        )


def dos_curve(
    f,
    *,
    variables=None,
    parameters=None,
    periods=None,
    energies=None,
    bins=400,
    grid=None,
    method="tetrahedron",
    timeout=None,
):
    """The density of states rho(E) of a periodic dispersion, with an error estimate per energy.

    Parameters
    ----------
    f : str, sympy.Expr or Energy
        A real dispersion, periodic in each of its 1, 2 or 3 variables.
    variables : str or sequence, optional
        Variable order (default: natural order of the free symbols).
    parameters : str or dict, optional
        Parameter values, as for :class:`Energy`; every parameter needs a value.
    periods : number, str or sequence, optional
        The period of each variable (one value for all); default 2*pi.
    energies : array_like, optional
        Where to evaluate rho (sorted in the result).  Default: the
        midpoints of ``bins`` equal bins between the band edges.
    bins : int
        Number of default energies.
    grid : int or sequence of int, optional
        Grid points per variable, even; default 32768 (1D), 512 (2D), 64 (3D).
    method : {"tetrahedron"}
        Linear interpolation on simplices with the exact level-set measure.
    timeout : float, optional
        Time limit in seconds.

    Returns
    -------
    DOSCurve
        rho with ``error`` = |rho_N - rho_{N/2}|, the integrated DOS, band edges
        and the measure (docs/conventions.md#density-of-states).

    Raises
    ------
    InputError
        For more than 3 variables, free parameters, a non-periodic or constant
        f, or a bad grid.
    NumericError
        If f is not finite on the grid.
    TimeLimitError
        If the time limit passes.

    Examples
    --------
    The chain -2 cos k has rho(E) = 1 / (pi sqrt(4 - E^2)): 0.159155 at E = 0
    and 0.183776 at E = 1.

    >>> from singularities.numeric.dos_curve import dos_curve
    >>> curve = dos_curve("-2*cos(k)", energies=[0, 1])
    >>> curve
    DOSCurve(band_bottom=-2.0, band_top=2.0, grid=(32768,), method='tetrahedron')
    >>> [f"{r:.6f} +- {e:.0e}" for r, e in zip(curve.rho, curve.error)]
    ['0.159155 +- 3e-09', '0.183773 +- 1e-05']
    """
    if method not in METHODS:
        raise UnknownMethodError(method, METHODS)
    deadline = Deadline.coerce(timeout)
    energy = _periodic_energy(f, variables, parameters)
    spans = _periods(periods, len(energy.variables))
    shape = _grid(grid, len(energy.variables))
    function = _vectorised(energy)
    _require_periodic(function, energy.variables, spans)
    values = _evaluate(function, shape, spans, deadline)
    bottom, top = float(values.min()), float(values.max())
    if top - bottom <= 1e-12 * (1 + abs(bottom)):
        raise InputError(
            f"f is constant (E = {bottom:g}) on the grid: its DOS is a delta function; give a dispersive band"
        )
    points = _energies(energies, bins, bottom, top)
    coarse = values[(slice(None, None, 2),) * values.ndim]
    steps = _probe_steps(points, coarse)
    probes = _probes(points, steps)
    rho, integrated = _grid_dos(values, probes, deadline)
    rough, _ = _grid_dos(coarse, probes, deadline)
    inside = (probes > bottom) & (probes < top)
    error = _envelope(probes[inside], np.abs(rho - rough)[inside], points, _PROBES * steps)
    keep = np.searchsorted(probes, points)
    rho, integrated = rho[keep], integrated[keep]
    return DOSCurve(
        energies=_frozen(points),
        rho=_frozen(rho),
        error=_frozen(error),
        integrated=_frozen(integrated),
        band_bottom=bottom,
        band_top=top,
        grid=shape,
        method=method,
        normalisation=_normalisation(spans),
        periods=spans,
        energy=energy,
    )


def _periodic_energy(f, variables, parameters):
    energy = as_energy(f, variables=variables, parameters=parameters)
    n = len(energy.variables)
    if energy.free_parameters:
        names = ", ".join(map(str, energy.free_parameters))
        raise InputError(
            f"parameter {names} has no value; a DOS curve needs numbers: give e.g. parameters='{names.split(',')[0]}=1'"
        )
    if not 1 <= n <= 3:
        raise InputError(
            f"dos_curve handles 1, 2 or 3 variables, not {n}: the grid grows as N^n; "
            "for more variables sample the DOS (numeric sampling) instead"
        )
    return energy


def _periods(periods, n):
    if periods is None:
        return (2 * sympy.pi,) * n
    items = periods.split(",") if isinstance(periods, str) else (list(periods) if np.iterable(periods) else [periods])
    if len(items) == 1:
        items = items * n
    if len(items) != n:
        raise InputError(f"{len(items)} periods for {n} variables; give one period per variable, or one for all")
    spans = []
    for item in items:
        try:
            value = (
                parse_exact(item, floats=True) if isinstance(item, str) else sympy.sympify(item)
            )  # text without eval
        except (sympy.SympifyError, TypeError) as exc:
            raise InputError(f"cannot read the period {item!r}; give a positive number such as 2*pi") from exc
        if value.free_symbols or not value.is_positive:
            raise InputError(f"the period {item!r} is not a positive number; give e.g. 2*pi or 1")
        spans.append(value)
    return tuple(spans)


def _grid(grid, n):
    sizes = [DEFAULT_GRID[n]] * n if grid is None else ([grid] * n if np.ndim(grid) == 0 else list(grid))
    if len(sizes) != n or any(int(s) != s or s < 4 or s % 2 for s in sizes):
        raise InputError(
            f"grid {grid!r} is not {n} even integer(s) >= 4; the error estimate uses every second point, "
            "so give e.g. grid=512"
        )
    sizes = tuple(int(s) for s in sizes)
    if math.prod(sizes) > MAX_GRID_POINTS:
        raise InputError(
            f"grid {' x '.join(map(str, sizes))} has more than {MAX_GRID_POINTS} points; use a coarser grid"
        )
    return sizes


def _vectorised(energy):
    function = sympy.lambdify(energy.variables, energy.expr, modules="numpy")

    def evaluate(*coordinates):
        with np.errstate(all="ignore"):
            values = np.asarray(function(*coordinates), dtype=float)
        return np.broadcast_to(values, np.broadcast_shapes(*(np.shape(c) for c in coordinates)))

    return evaluate


def _require_periodic(function, variables, spans):
    rng = np.random.default_rng(0)
    widths = np.array([float(p) for p in spans])
    points = rng.random((8, len(spans))) * widths
    base = function(*points.T)
    for axis, (variable, width) in enumerate(zip(variables, widths)):
        shifted = points.copy()
        shifted[:, axis] += width
        change = np.max(np.abs(function(*shifted.T) - base))
        if not change <= 1e-9 * (1 + np.max(np.abs(base))):
            raise InputError(
                f"f is not periodic in {variable} with period {sympy.sstr(spans[axis])}: it changes by {change:.3g} "
                f"under {variable} -> {variable} + {sympy.sstr(spans[axis])}; pass the right periods=... "
                "(CLI: --periods) or a periodic dispersion"
            )


def _evaluate(function, shape, spans, deadline):
    """f on the periodic grid k_i = j * period_i / N_i, evaluated in slabs along the first axis."""
    axes = [np.arange(size) * (float(span) / size) for size, span in zip(shape, spans)]
    values = np.empty(shape)
    rows = max(1, _POINTS_PER_CHUNK // math.prod(shape[1:]))
    for start in range(0, shape[0], rows):
        stop = min(shape[0], start + rows)
        coordinates = np.meshgrid(axes[0][start:stop], *axes[1:], indexing="ij", sparse=True)
        values[start:stop] = function(*coordinates)
        deadline.check("evaluating f on the grid", stop, shape[0])
    if not np.all(np.isfinite(values)):
        where = np.unravel_index(np.argmin(np.isfinite(values)), shape)
        point = ", ".join(f"{axes[i][j]:.6g}" for i, j in enumerate(where))
        raise NumericError(
            f"f is not finite at the grid point ({point}); a dispersion must be finite on the whole torus"
        )
    return values


def _energies(energies, bins, bottom, top):
    if energies is None:
        if int(bins) != bins or bins < 1:
            raise InputError(f"bins = {bins!r} is not a positive integer; give e.g. bins=400")
        edges = np.linspace(bottom, top, int(bins) + 1)
        return (edges[:-1] + edges[1:]) / 2
    points = np.sort(np.asarray(energies, dtype=float).ravel())
    if points.size == 0 or not np.all(np.isfinite(points)):
        raise InputError("energies must be a non-empty sequence of finite numbers")
    return points


def _probe_steps(points, coarse):
    """Per energy, a probe step of about a quarter of the coarse grid's local energy resolution.

    The local resolution at E is the 10 % quantile, over the coarse grid points
    with f within ``spacing``/2 of E, of the largest change of f to a neighbour
    (the period of the mesh sawtooth in rho is about that); ``spacing`` is its
    largest value anywhere.  Steps are ``spacing`` / 2^k with k in 2..6, so
    that probes of nearby energies fall on shared lattices.
    """
    jumps = np.max([np.abs(np.roll(coarse, -1, axis=axis) - coarse) for axis in range(coarse.ndim)], axis=0).ravel()
    order = np.argsort(coarse, axis=None)
    levels, jumps = coarse.ravel()[order], jumps[order]
    spacing = float(jumps.max())
    low = np.searchsorted(levels, points - spacing / 2)
    high = np.searchsorted(levels, points + spacing / 2)
    local = np.array([np.quantile(jumps[a:b], 0.1) if b > a else spacing for a, b in zip(low, high)])
    with np.errstate(divide="ignore"):
        power = np.clip(np.ceil(np.log2(4 * spacing / local)), 2, 6)
    return spacing / 2**power


def _probes(points, steps):
    """The energies plus, where they are sparser than that, lattice points at their step within _PROBES steps."""
    lattice = (np.round(points[:, None] / steps[:, None]) + np.arange(-_PROBES, _PROBES + 1)) * steps[:, None]
    lattice, spread = lattice.ravel(), np.repeat(steps, 2 * _PROBES + 1)
    position = np.searchsorted(points, lattice)
    before = np.abs(lattice - points[np.clip(position - 1, 0, points.size - 1)])
    after = np.abs(lattice - points[np.clip(position, 0, points.size - 1)])
    return np.unique(np.concatenate([points, lattice[np.minimum(before, after) >= spread / 2]]))


def _envelope(probes, difference, points, windows):
    """error(E) = max(|d(E)|, the smaller of the largest |d| within ``window`` below and above E).

    ``probes`` are the energies strictly inside the band (outside it d = 0
    tells nothing); a side without probes is left out, and energies outside
    the band get error 0 (rho = 0 there exactly).

    d = rho_N - rho_{N/2} has the sawtooth of the mesh (period <= spacing), so
    its value at one energy can vanish by accident; the one-sided maxima
    catch the sawtooth's amplitude without reaching across a nearby
    singularity (only one side faces it).
    """
    at = np.searchsorted(probes, points, side="left")
    after = np.searchsorted(probes, points, side="right")
    low = np.searchsorted(probes, points - windows, side="left")
    high = np.searchsorted(probes, points + windows, side="right")
    error = np.zeros(points.size)
    for i, (first, middle, end, last) in enumerate(zip(low, at, after, high)):
        sides = [difference[first:middle], difference[end:last]]
        maxima = [side.max() for side in sides if side.size]
        own = difference[middle:end].max(initial=0.0)
        error[i] = max(own, min(maxima, default=0.0))
    return error


def _grid_dos(values, energies, deadline):
    """rho and N at ``energies`` (sorted) for the linear interpolant of the periodic grid ``values``."""
    n = values.ndim
    weight = 1.0 / (math.factorial(n) * values.size)
    density, partial = np.zeros(energies.size), np.zeros(energies.size)
    complete = np.zeros(energies.size + 1)
    rows = max(1, _SIMPLICES_PER_CHUNK // (math.factorial(n) * math.prod(values.shape[1:])))
    for start in range(0, values.shape[0], rows):
        stop = min(values.shape[0], start + rows)
        corners = np.sort(_simplices(values, start, stop), axis=1)
        chunk_density, chunk_partial = _accumulate(corners, energies, deadline)
        density += chunk_density
        partial += chunk_partial
        complete += np.bincount(np.searchsorted(energies, corners[:, -1], side="left"), minlength=energies.size + 1)
        deadline.check("tetrahedron sums", stop, values.shape[0])
    return weight * density, weight * (partial + np.cumsum(complete)[:-1])


def _simplices(values, start, stop):
    """The (n+1) corner values of the n! Kuhn simplices of the cells whose first index is in [start, stop)."""
    n = values.ndim
    slab = values[np.arange(start, stop + 1) % values.shape[0]]
    corner = {}
    for offset in itertools.product((0, 1), repeat=n):
        block = slab[offset[0] : offset[0] + stop - start]
        for axis in range(1, n):
            if offset[axis]:
                block = np.roll(block, -1, axis=axis)
        corner[offset] = block.ravel()
    paths = []
    for order in itertools.permutations(range(n)):
        vertex, path = [0] * n, [corner[(0,) * n]]
        for axis in order:
            vertex[axis] = 1
            path.append(corner[tuple(vertex)])
        paths.append(np.stack(path, axis=1))
    return np.concatenate(paths)


def _accumulate(corners, energies, deadline):
    """Sums over simplices (sorted corner values, unit volume) of the DOS and of the partial N at each energy.

    Only the (simplex, energy) pairs with e_min < E < e_max are formed, in
    blocks of at most ``_PAIRS_PER_BLOCK`` pairs to bound the memory.
    """
    low = np.searchsorted(energies, corners[:, 0], side="right")
    counts = np.maximum(np.searchsorted(energies, corners[:, -1], side="left") - low, 0)
    density, partial = np.zeros(energies.size), np.zeros(energies.size)
    for block in _blocks(counts):
        repeats = counts[block]
        simplex = np.repeat(np.arange(block.start, block.stop), repeats)
        if simplex.size == 0:
            continue
        index = low[simplex] + np.arange(simplex.size) - np.repeat(np.cumsum(repeats) - repeats, repeats)
        d, m = _LEVEL_SET[corners.shape[1] - 1](corners[simplex].T, energies[index])
        density += np.bincount(index, weights=d, minlength=energies.size)
        partial += np.bincount(index, weights=m, minlength=energies.size)
        deadline.check("tetrahedron sums")
    return density, partial


def _blocks(counts):
    """Slices of consecutive simplices with at most ``_PAIRS_PER_BLOCK`` pairs each (at least one simplex)."""
    ends = np.cumsum(counts)
    start = 0
    while start < counts.size:
        base = ends[start - 1] if start else 0
        stop = max(start + 1, int(np.searchsorted(ends, base + _PAIRS_PER_BLOCK, side="right")))
        yield slice(start, stop)
        start = stop


def _segment(e, energy):
    e1, e2 = e
    return 1 / (e2 - e1), (energy - e1) / (e2 - e1)


def _triangle(e, energy):
    e1, e2, e3 = e
    with np.errstate(divide="ignore", invalid="ignore"):
        lower = energy < e2
        d_low = 2 * (energy - e1) / ((e2 - e1) * (e3 - e1))
        d_high = 2 * (e3 - energy) / ((e3 - e1) * (e3 - e2))
        m_low = (energy - e1) ** 2 / ((e2 - e1) * (e3 - e1))
        m_high = 1 - (e3 - energy) ** 2 / ((e3 - e1) * (e3 - e2))
    return np.where(lower, d_low, d_high), np.where(lower, m_low, m_high)


def _tetrahedron(e, energy):
    e1, e2, e3, e4 = e
    density, measure = np.empty_like(energy), np.empty_like(energy)
    first, third = energy < e2, energy >= e3
    second = ~(first | third)
    for branch, mask in ((_tetrahedron_first, first), (_tetrahedron_second, second), (_tetrahedron_third, third)):
        if mask.any():
            density[mask], measure[mask] = branch(e1[mask], e2[mask], e3[mask], e4[mask], energy[mask])
    return density, measure


def _tetrahedron_first(e1, e2, e3, e4, energy):
    x, scale = energy - e1, (e2 - e1) * (e3 - e1) * (e4 - e1)
    return 3 * x**2 / scale, x**3 / scale


def _tetrahedron_second(e1, e2, e3, e4, energy):
    e21, e31, e41, e32, e42 = e2 - e1, e3 - e1, e4 - e1, e3 - e2, e4 - e2
    x, ratio, scale = energy - e2, (e31 + e42) / (e32 * e42), e31 * e41
    return (3 * e21 + 6 * x - 3 * ratio * x**2) / scale, (e21**2 + 3 * e21 * x + 3 * x**2 - ratio * x**3) / scale


def _tetrahedron_third(e1, e2, e3, e4, energy):
    x, scale = e4 - energy, (e4 - e1) * (e4 - e2) * (e4 - e3)
    return 3 * x**2 / scale, 1 - x**3 / scale


_LEVEL_SET = {1: _segment, 2: _triangle, 3: _tetrahedron}


def _normalisation(spans):
    n = len(spans)
    if all(p == 2 * sympy.pi for p in spans):
        measure = f"d^{n}k/(2*pi)^{n}" if n > 1 else "dk/(2*pi)"
    else:
        measure = f"d^{n}k/({'*'.join(sympy.sstr(p) for p in spans)})"
    return f"{measure}: integral of rho dE = 1 (one state per band per unit cell)"


def _frozen(values):
    array = np.array(values, dtype=float)
    array.flags.writeable = False
    return array
