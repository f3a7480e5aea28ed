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

Several bands: for a Hermitian Bloch matrix H(k) (a sympy Matrix, or a model
whose ``hamiltonian()`` gives one) the eigenvalues e_1(k) <= ... <= e_n(k) are
computed on the grid with ``numpy.linalg.eigvalsh`` (one batched call per
slab of grid points), and each sorted band is treated as above: its own
linear-simplex DOS and its own error estimate; the total is their sum (the
error estimates add).  A sorted band is continuous but not smooth where two
bands touch (a Dirac point), which the linear interpolant follows like any
other kink.  A band that is constant on the grid (a flat band, e.g. the
kagome lattice's) has rho_b = delta(E - E_b): its weight 1 is in the
integrated DOS N_b(E), and ``flat_bands`` lists its energy.  Each band
carries one state per unit cell, so the total integrates to the number of
bands.  The formulas are those of G. Lehmann and M. Taut, phys. stat. sol.
(b) 54, 469 (1972) (the linear triangle and tetrahedron DOS) and P. E.
Bloechl, O. Jepsen and O. K. Andersen, Phys. Rev. B 49, 16223 (1994) (the
integrated weights of the linear tetrahedron method, without their
correction term).
"""

import itertools
import math
from dataclasses import dataclass, field

import numpy as np
import sympy

from .._exact import parse_exact
from .._limits import Deadline
from .._result import Result, from_dict, parse_field, register
from ..energy import Energy, as_energy, natural_key
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
_FLAT = 1e-10
"""A band whose width on the grid is below this (relative to its energies) is flat: a delta function."""
_HERMITIAN = 1e-9


@register("dos_curve")
@dataclass(frozen=True, slots=True, eq=False)
class DOSCurve(Result):
    """The density of states rho(E) of one or several bands on a grid of energies, with an error estimate.

    Arrays are read-only numpy arrays of the same length, sorted by energy.
    For several bands ``rho``, ``error`` and ``integrated`` are the totals
    (sums over the bands) and the ``band_*`` arrays hold one row per band.

    Attributes
    ----------
    energies : numpy.ndarray
        The energies E, ascending.
    rho : numpy.ndarray
        rho(E) of the piecewise-linear interpolant on the finest grid (summed over bands).
    error : numpy.ndarray
        The error estimate |rho_N - rho_{N/2}| at each energy (see the module
        docstring; summed over bands).
    integrated : numpy.ndarray
        The integrated density of states N(E) = measure of {f <= E}, in
        [0, number of bands] (flat bands included as steps).
    band_bottom, band_top : float
        The minimum and maximum of the bands on the grid (for a grid through the
        extrema, the exact band edges).
    grid : tuple of int
        Grid points per variable.
    method : str
        "tetrahedron" (linear segments, triangles or tetrahedra by dimension).
    normalisation : str
        The k-space measure in words.
    periods : tuple of sympy.Expr
        The period of each variable.
    energy : Energy or None
        The input dispersion (provenance); None for a Bloch matrix.
    band_rho, band_error, band_integrated : numpy.ndarray
        Shape (bands, energies): rho_b, its error estimate and N_b per band b,
        bands in ascending order of energy (0 is the lowest).
    band_edges : tuple
        ((bottom, top), ...) per band on the grid; bottom == top for a flat band.
    hamiltonian : sympy.Matrix or None
        The Bloch matrix H(k) with the parameter values substituted (provenance).
    band_index : int or None
        For a curve returned by :meth:`band`: which band of the original it is.
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
    band_rho: np.ndarray = field(default=None, repr=False)
    band_error: np.ndarray = field(default=None, repr=False)
    band_integrated: np.ndarray = field(default=None, repr=False)
    band_edges: tuple = field(default=None, repr=False)
    hamiltonian: sympy.Matrix = field(default=None, repr=False)
    band_index: int = field(default=None, repr=False)

    def __post_init__(self):
        if self.band_rho is None:  # one band: its rows are the totals
            for name, total in (
                ("band_rho", self.rho),
                ("band_error", self.error),
                ("band_integrated", self.integrated),
            ):
                object.__setattr__(self, name, _frozen(np.asarray(total)[None, :]))
        if self.band_edges is None:
            object.__setattr__(self, "band_edges", ((self.band_bottom, self.band_top),))

    @property
    def n_bands(self):
        """The number of bands (rows of ``band_rho``)."""
        return len(self.band_edges)

    @property
    def flat_bands(self):
        """The energies E_b of the flat bands (rho_b = delta(E - E_b), weight 1), in band order."""
        return tuple(bottom for bottom, top in self.band_edges if bottom == top)

    def band(self, index):
        """Band ``index`` (0 = lowest) as a one-band :class:`DOSCurve`, for plots and :meth:`offset`.

        Raises
        ------
        InputError
            If there is no such band.
        """
        if not (isinstance(index, (int, np.integer)) and -self.n_bands <= index < self.n_bands):
            raise InputError(f"band {index!r} does not exist; give an index from 0 to {self.n_bands - 1}")
        index = int(index) % self.n_bands
        bottom, top = self.band_edges[index]
        return DOSCurve(
            energies=self.energies,
            rho=self.band_rho[index],
            error=self.band_error[index],
            integrated=self.band_integrated[index],
            band_bottom=bottom,
            band_top=top,
            grid=self.grid,
            method=self.method,
            normalisation=_normalisation(self.periods),
            periods=self.periods,
            energy=self.energy,
            hamiltonian=self.hamiltonian,
            band_index=index,
        )

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
        ]
        if self.n_bands > 1:
            rows += [
                (f"band {b}", f"{lo:.10g} to {hi:.10g}" + (" (flat: a delta function)" if lo == hi else ""))
                for b, (lo, hi) in enumerate(self.band_edges)
            ]
        rows += [
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
        if self.n_bands > 1:
            data["bands"] = {
                "rho": self.band_rho.tolist(),
                "error": self.band_error.tolist(),
                "integrated": self.band_integrated.tolist(),
                "edges": [list(edges) for edges in self.band_edges],
            }
        if self.hamiltonian is not None:
            data["hamiltonian"] = [[sympy.sstr(entry) for entry in row] for row in self.hamiltonian.tolist()]
        if self.band_index is not None:
            data["band_index"] = self.band_index
        return self._with_input(data)

    @classmethod
    def from_dict(cls, data):
        """Rebuild the curve from :meth:`to_dict` output."""
        bands = data.get("bands")
        matrix = data.get("hamiltonian")
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
            band_rho=None if bands is None else _frozen(bands["rho"]),
            band_error=None if bands is None else _frozen(bands["error"]),
            band_integrated=None if bands is None else _frozen(bands["integrated"]),
            band_edges=None if bands is None else tuple(tuple(e) for e in bands["edges"]),
            hamiltonian=None
            if matrix is None
            else sympy.Matrix([[parse_exact(e, floats=True) for e in row] for row in matrix]),
            band_index=data.get("band_index"),
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
    """The density of states rho(E) of a periodic dispersion or Bloch matrix, with an error estimate per energy.

    Parameters
    ----------
    f : str, sympy.Expr, Energy, sympy.Matrix or model
        A real dispersion, periodic in each of its 1, 2 or 3 variables; or a
        Hermitian Bloch matrix H(k) (entries in cos, sin, exp(I k.R)); or a
        tight-binding model, anything with a ``hamiltonian()`` method that
        returns such a matrix (and ``variables``, the k symbols).
    variables : str or sequence, optional
        Variable order (default: the model's variables, else the natural
        order of the free symbols).
    parameters : str or dict, optional
        Parameter values, as for :class:`Energy` (for a matrix, floats are
        accepted too); every parameter needs a value.
    periods : number, str or sequence, optional
        The period of each variable (one value for all); default 2*pi.
    energies : array_like, optional
        Where to evaluate rho (sorted in the result).  Default: the
        midpoints of ``bins`` equal bins between the lowest and highest band edge.
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
        and the measure (docs/conventions.md#density-of-states); for a matrix
        also each band's rho_b, error and N_b (``band_rho``, ``band(b)``).

    Raises
    ------
    InputError
        For more than 3 variables, free parameters, a non-periodic or constant
        f, a matrix that is not square or not Hermitian, or a bad grid.
    NumericError
        If f (or H) is not finite on the grid.
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

    Two bands +-|1 + exp(I k)| (the chain with two sites per cell, both
    hoppings -1) fill [-2, 2] like the chain above, with the energies
    halved in density: each band holds one state, the total two.

    >>> import sympy
    >>> k = sympy.Symbol("k")
    >>> h = -(1 + sympy.exp(sympy.I * k))
    >>> pair = dos_curve(sympy.Matrix([[0, h], [sympy.conjugate(h), 0]]), grid=4096, energies=[1, 3])
    >>> pair.n_bands, [round(float(n), 6) for n in pair.integrated]
    (2, [1.333333, 2.0])
    """
    if method not in METHODS:
        raise UnknownMethodError(method, METHODS)
    deadline = Deadline.coerce(timeout)
    source = _source(f, variables, parameters)
    spans = _periods(periods, len(source.variables))
    shape = _grid(grid, len(source.variables))
    _require_periodic(source.function, source.variables, spans)
    values = _evaluate(source.function, shape, spans, deadline, source.bands)
    edges = _band_edges(values)
    if all(bottom == top for bottom, top in edges):
        raise InputError(
            f"f is constant (E = {edges[0][0]:g}) on the grid: its DOS is a delta function; give a dispersive band"
        )
    points = _energies(energies, bins, min(e[0] for e in edges), max(e[1] for e in edges))
    rows = [_band_curve(values[..., b], edge, points, deadline) for b, edge in enumerate(edges)]
    rho, error, integrated = (np.array(column) for column in zip(*rows))
    return DOSCurve(
        energies=_frozen(points),
        rho=_frozen(rho.sum(axis=0)),
        error=_frozen(error.sum(axis=0)),
        integrated=_frozen(integrated.sum(axis=0)),
        band_bottom=min(e[0] for e in edges),
        band_top=max(e[1] for e in edges),
        grid=shape,
        method=method,
        normalisation=_normalisation(spans, len(edges)),
        periods=spans,
        energy=source.energy,
        band_rho=_frozen(rho),
        band_error=_frozen(error),
        band_integrated=_frozen(integrated),
        band_edges=tuple(edges),
        hamiltonian=source.matrix,
    )


def _band_curve(values, edges, points, deadline):
    """(rho, error, N) of one band at ``points``: the linear-simplex sums on the grid and on every second point."""
    bottom, top = edges
    if bottom == top:  # a flat band: rho = delta(E - bottom), all its weight in N
        return np.zeros(points.size), np.zeros(points.size), (points >= bottom).astype(float)
    coarse = values[(slice(None, None, 2),) * values.ndim]
    steps = _probe_steps(points, coarse)
    probes = _probes(points, steps)
    rho, integrated = _grid_dos(values, probes, deadline)
    rough, _ = _grid_dos(coarse, probes, deadline)
    inside = (probes > bottom) & (probes < top)
    error = _envelope(probes[inside], np.abs(rho - rough)[inside], points, _PROBES * steps)
    keep = np.searchsorted(probes, points)
    return rho[keep], error, integrated[keep]


def _band_edges(values):
    """(bottom, top) of each band (last axis); a band flat to rounding gets bottom == top (its mean)."""
    edges = []
    for b in range(values.shape[-1]):
        bottom, top = float(values[..., b].min()), float(values[..., b].max())
        if top - bottom <= _FLAT * (1 + abs(bottom) + abs(top)):
            bottom = top = float(values[..., b].mean())
        edges.append((bottom, top))
    return edges


@dataclass(frozen=True)
class _Source:
    """What the grid needs of the input: a vectorised function with ``bands`` values per point, and provenance."""

    function: object
    variables: tuple
    bands: int
    energy: Energy = None
    matrix: sympy.Matrix = None


def _source(f, variables, parameters):
    """A scalar dispersion, or a Bloch matrix (sympy Matrix, or a model's ``hamiltonian()``), ready for the grid."""
    matrix = _bloch_matrix(f)
    if matrix is None:
        energy = _periodic_energy(f, variables, parameters)
        return _Source(_vectorised(energy), energy.variables, 1, energy=energy)
    if variables is None:
        variables = getattr(f, "variables", None)
    matrix, symbols = _matrix_with_values(matrix, variables, parameters)
    if matrix.shape == (1, 1):  # one band: the scalar path, with its checks and provenance
        energy = _periodic_energy(matrix[0, 0], [str(s) for s in symbols], None)
        return _Source(_vectorised(energy), energy.variables, 1, energy=energy)
    function = _matrix_function(matrix, symbols)
    _require_hermitian(function, len(symbols))
    return _Source(_eigenvalues(function), symbols, matrix.rows, matrix=matrix)


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


def _bloch_matrix(f):
    """The sympy Matrix of a matrix input or of a model's ``hamiltonian()``, else None (a scalar dispersion)."""
    if callable(getattr(f, "hamiltonian", None)):
        f = f.hamiltonian()
        if not isinstance(f, sympy.MatrixBase):
            raise InputError(
                f"the model's hamiltonian() gave {type(f).__name__}, not a sympy Matrix; pass the Bloch matrix itself"
            )
    if isinstance(f, sympy.MatrixBase):
        if not f.is_square or f.rows == 0:
            raise InputError(f"the Bloch matrix is {f.rows} x {f.cols}, not square; give H(k) as an n x n matrix")
        return sympy.ImmutableMatrix(f)
    return None


def _matrix_with_values(matrix, variables, parameters):
    """H with the parameter values substituted, and the k symbols in order; InputError for a free symbol."""
    values = _parameter_values(parameters)
    matrix = matrix.xreplace(values) if values else matrix
    free = sorted(matrix.free_symbols, key=lambda s: natural_key(s.name))
    if variables is None:
        symbols = tuple(free)
    else:
        names = variables.split(",") if isinstance(variables, str) else list(variables)
        symbols = tuple(sympy.Symbol(str(v).strip()) for v in names)
    extra = [s for s in free if s not in symbols]
    if extra:
        names = ", ".join(map(str, extra))
        raise InputError(
            f"parameter {names} of the Bloch matrix has no value; a DOS curve needs numbers: "
            f"give e.g. parameters='{extra[0]}=1'"
        )
    if not 1 <= len(symbols) <= 3:
        raise InputError(
            f"dos_curve handles 1, 2 or 3 variables, not {len(symbols)}: name the k variables with variables=..."
        )
    return matrix, symbols


def _parameter_values(parameters):
    """{Symbol: number} from "t=1,tp=0.3" or a dict; floats are fine here (the curve is numeric anyway)."""
    if parameters is None:
        return {}
    pairs = (
        parameters.items()
        if isinstance(parameters, dict)
        else ((item.split("=", 1) + [None])[:2] for item in str(parameters).split(",") if item.strip())
    )
    values = {}
    for name, value in pairs:
        if value is None:
            raise InputError(f"parameter {str(name).strip()} has no value; give e.g. parameters='{name}=1'")
        try:
            number = parse_exact(value, floats=True) if isinstance(value, str) else sympy.sympify(value)
        except (sympy.SympifyError, TypeError, InputError) as exc:
            raise InputError(f"cannot read the value {value!r} of parameter {name}; give a number such as 1/2") from exc
        if number.free_symbols or not number.is_real:
            raise InputError(f"parameter {name} = {value!r} is not a real number; give e.g. {name}=1/2")
        values[sympy.Symbol(str(name).strip())] = number
    return values


def _matrix_function(matrix, symbols):
    """A numpy function of the k arrays giving H(k) with shape (..., n, n), complex."""
    n = matrix.rows
    entries = {(i, j): sympy.lambdify(symbols, matrix[i, j], modules="numpy") for i in range(n) for j in range(n)}

    def evaluate(*coordinates):
        shape = np.broadcast_shapes(*(np.shape(c) for c in coordinates))
        result = np.empty(shape + (n, n), dtype=complex)
        with np.errstate(all="ignore"):
            for (i, j), entry in entries.items():
                result[..., i, j] = entry(*coordinates)
        return result

    return evaluate


def _require_hermitian(function, n_variables):
    """H(k) = H(k)^dagger at random k, to rounding; InputError naming the entry that is not."""
    rng = np.random.default_rng(1)
    points = rng.random((8, n_variables)) * 2 * np.pi
    h = function(*points.T)
    difference = np.abs(h - np.conj(np.swapaxes(h, -1, -2)))
    scale = 1 + np.max(np.abs(h[np.isfinite(h)]), initial=0.0)
    if not np.all(difference <= _HERMITIAN * scale):
        sample, i, j = np.unravel_index(np.argmax(np.where(np.isfinite(difference), difference, np.inf)), h.shape)
        gap = h[sample, i, j] - np.conj(h[sample, j, i])
        raise InputError(
            f"the Bloch matrix is not Hermitian: H[{i},{j}] - conj(H[{j},{i}]) = {gap:.3g} "
            f"at k = ({', '.join(f'{x:.3g}' for x in points[sample])}); give a Hermitian H(k) (H[j,i] = conj(H[i,j]))"
        )


def _eigenvalues(function):
    """The sorted eigenvalues of the Hermitian H(k), shape (..., n); NaN where H is not finite."""

    def evaluate(*coordinates):
        h = function(*coordinates)
        finite = np.all(np.isfinite(h), axis=(-1, -2))
        h[~finite] = 0
        values = np.linalg.eigvalsh(h)
        values[~finite] = np.nan
        return values

    return evaluate


def _evaluate(function, shape, spans, deadline, bands=1):
    """f on the periodic grid k_i = j * period_i / N_i, shape ``shape + (bands,)``, evaluated in slabs along axis 0."""
    axes = [np.arange(size) * (float(span) / size) for size, span in zip(shape, spans)]
    values = np.empty(shape + (bands,))
    rows = max(1, _POINTS_PER_CHUNK // (bands * math.prod(shape[1:])))
    for start in range(0, shape[0], rows):
        stop = min(shape[0], start + rows)
        coordinates = np.meshgrid(axes[0][start:stop], *axes[1:], indexing="ij", sparse=True)
        slab = function(*coordinates)
        values[start:stop] = slab if bands > 1 else slab[..., None]
        deadline.check("evaluating f on the grid", stop, shape[0])
    if not np.all(np.isfinite(values)):
        where = np.unravel_index(np.argmin(np.isfinite(values)), values.shape)[:-1]
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


def _normalisation(spans, bands=1):
    n = len(spans)
    if all(p == 2 * sympy.pi for p in spans):
        measure = f"d^{n}k/(2*pi)^{n}" if n > 1 else "dk/(2*pi)"
    else:
        measure = f"d^{n}k/({'*'.join(sympy.sstr(p) for p in spans)})"
    if bands == 1:
        return f"{measure}: integral of rho dE = 1 (one state per band per unit cell)"
    return (
        f"{measure}: integral of rho_b dE = 1 for each band b, of the total {bands} (one state per band per unit cell)"
    )


def _frozen(values):
    array = np.array(values, dtype=float)
    array.flags.writeable = False
    return array
