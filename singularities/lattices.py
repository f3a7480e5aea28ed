"""Tight-binding models: orbitals, lattice vectors and hoppings, read from Python, a Bloch matrix or a file.

A model has ``n`` orbitals in a unit cell of a ``d``-dimensional lattice
(``d`` = 1, 2 or 3) and hoppings t_ij(R) = <i, 0| H |j, R> from orbital i in
the home cell to orbital j in the cell at the integer lattice vector R.  Its
Bloch matrix is, in the periodic gauge (orbital positions play no part),

    H_ij(k) = sum_R t_ij(R) exp(i k.R),    k.R = k1 R1 + ... + kd Rd,

with k in reduced coordinates, each of period 2 pi (docs/conventions.md,
docs/lattices.md).  Hermiticity is t_ji(-R) = conj(t_ij(R)); on-site energies
are the hoppings with i = j and R = 0.  Parameters (symbols such as ``t``)
are real.

Amplitudes are exact (``1/2``, ``sqrt(3)``, symbols) or floats.  Floats are
kept as floats (``exact=False``), never rationalised behind the user's back.

Readers: :meth:`TightBinding.from_hoppings`, :meth:`TightBinding.from_matrix`,
:func:`read_model` (the small text format of docs/lattices.md, or a Wannier90
``*_hr.dat`` file); writer: :func:`write_hr`.
"""

import itertools
import math
import pathlib
import re

import sympy
from sympy.polys.matrices import DomainMatrix

from ._exact import exact_string, read_expression
from ._result import register
from .errors import InputError, MethodNotApplicableError

__all__ = ["TightBinding", "read_model", "write_hr"]

MAX_ORBITALS = 64  # orbitals of one model: beyond this the exact characteristic polynomial is out of reach
MAX_RANGE = 1000  # |R_a| of a hopping: cos(1000 k) is already far beyond any physical model
_RESERVED = {"E", "k1", "k2", "k3", "kx", "ky", "kz"}  # the energy and wave-vector names cannot be parameters
_FLOAT_TOLERANCE = 1e-9  # relative tolerance of the Hermiticity check when amplitudes are floats
_DEFAULT_K = ("k1", "k2", "k3")
_HERMITIAN_MODES = ("complete", "check")


@register("tight_binding")
class TightBinding:
    """An immutable tight-binding model: orbitals, lattice, hoppings t_ij(R).

    Build one with :meth:`from_hoppings`, :meth:`from_matrix` or
    :func:`read_model`.  ``hoppings`` is the completed list (both directions
    of every bond), sorted, as tuples ``(i, j, R, amplitude)``.

    Attributes
    ----------
    n_orbitals, dimension : int
    hoppings : tuple of (int, int, tuple of int, sympy.Expr)
    variables : tuple of sympy.Symbol
        The wave-vector components k1, k2, k3 (first ``dimension`` of them).
    parameters : tuple of sympy.Symbol
        The free (real) symbols of the amplitudes.
    exact : bool
        False when an amplitude is a float.
    names, positions, lattice : tuple or None

    Examples
    --------
    >>> from singularities.lattices import TightBinding
    >>> chain = TightBinding.from_hoppings(1, [(0, 0, (1,), "-t")])
    >>> chain
    TightBinding(1 orbital, dimension 1, 2 hoppings, parameters (t,), exact)
    >>> chain.hamiltonian()
    Matrix([[-2*t*cos(k1)]])
    """

    __slots__ = (
        "n_orbitals",
        "dimension",
        "hoppings",
        "variables",
        "parameters",
        "exact",
        "names",
        "positions",
        "lattice",
    )

    def __init__(self, n_orbitals, dimension, hoppings, *, variables=None, names=None, positions=None, lattice=None):
        set_ = object.__setattr__
        set_(self, "n_orbitals", n_orbitals)
        set_(self, "dimension", dimension)
        set_(self, "hoppings", tuple(sorted(hoppings, key=lambda h: (h[0], h[1], h[2]))))
        set_(self, "variables", tuple(variables or sympy.symbols(_DEFAULT_K[:dimension])))
        amplitudes = [h[3] for h in self.hoppings]
        symbols = set().union(*(a.free_symbols for a in amplitudes)) if amplitudes else set()
        set_(self, "parameters", tuple(sorted(symbols, key=lambda s: s.name)))
        set_(self, "exact", not any(a.atoms(sympy.Float) for a in amplitudes))
        set_(self, "names", None if names is None else tuple(names))
        set_(self, "positions", None if positions is None else tuple(tuple(p) for p in positions))
        set_(self, "lattice", None if lattice is None else tuple(tuple(v) for v in lattice))

    def __setattr__(self, name, value):
        raise AttributeError(f"TightBinding is immutable; build a new one (cannot set {name})")

    def __eq__(self, other):
        return isinstance(other, TightBinding) and self._key() == other._key()

    def __hash__(self):
        return hash(self._key())

    def _key(self):
        return (
            self.n_orbitals,
            self.dimension,
            self.hoppings,
            self.variables,
            self.names,
            self.positions,
            self.lattice,
        )

    def __repr__(self):
        orbitals = f"{self.n_orbitals} orbital" + ("s" if self.n_orbitals != 1 else "")
        parameters = f", parameters ({', '.join(p.name for p in self.parameters)},)" if self.parameters else ""
        return (
            f"TightBinding({orbitals}, dimension {self.dimension}, {len(self.hoppings)} hoppings{parameters}, "
            f"{'exact' if self.exact else 'float amplitudes'})"
        )

    # ------------------------------------------------------------------ constructors

    @classmethod
    def from_hoppings(
        cls,
        n_orbitals,
        hoppings,
        *,
        dimension=None,
        names=None,
        positions=None,
        parameters=None,
        lattice=None,
        hermitian="complete",
    ):
        """A model from a list of hoppings ``(i, j, R, amplitude)``.

        Parameters
        ----------
        n_orbitals : int
            Orbitals per unit cell, numbered from 0.
        hoppings : iterable of (int, int, tuple of int, amplitude)
            t_ij(R) = <i, 0| H |j, R>.  An amplitude is a number (int,
            Fraction, sympy value; a float is kept as a float), or text read
            exactly (``"1/2"``, ``"-sqrt(3)*t"``; a decimal such as ``"0.3"``
            is a float).  Names in the text are real parameters.
        dimension : int, optional
            1, 2 or 3; default: the length of the first R.
        names, positions, lattice : optional
            Orbital names, orbital positions (reduced coordinates) and the
            lattice vectors (rows); recorded, not used by the Bloch matrix
            (periodic gauge).
        parameters : iterable of str or Symbol, optional
            Names that must be read as parameters (all other names are too;
            a listed name that no amplitude uses is an error).
        hermitian : {"complete", "check"}
            "complete": a hopping given in one direction gets its conjugate
            t_ji(-R) = conj(t_ij(R)); given in both, they must agree.
            "check": every reverse hopping must be given and agree.

        Raises
        ------
        InputError
            Non-integer R, orbital out of range, a hopping given twice, a
            mismatched or missing reverse hopping, a NaN or infinite amplitude.

        Examples
        --------
        >>> from singularities.lattices import TightBinding
        >>> honeycomb = TightBinding.from_hoppings(2, [(0, 1, (0, 0), 1), (0, 1, (-1, 0), 1), (0, 1, (0, -1), 1)])
        >>> honeycomb.hamiltonian()[0, 1]
        -I*sin(k1) - I*sin(k2) + cos(k1) + cos(k2) + 1
        >>> TightBinding.from_hoppings(2, [(0, 1, (0, 0), 1)], hermitian="check")
        Traceback (most recent call last):
        ...
        singularities.errors.InputError: hopping (0, 1, R=(0, 0)) has no reverse hopping (1, 0, R=(0, 0)), so the model
        is not Hermitian; give it with the conjugate amplitude or use hermitian="complete"
        """
        n_orbitals = _check_count(n_orbitals)
        try:
            hoppings = list(hoppings)
        except TypeError:
            raise InputError(f"hoppings ({hoppings!r}) is not a list; give a list of (i, j, R, amplitude)") from None
        if dimension is None:
            dimension = len(_entry(hoppings[0], 0)[2]) if hoppings else 1
        dimension = _check_dimension(dimension)
        read = [_read_hopping(h, n_orbitals, dimension, number) for number, h in enumerate(hoppings)]
        table = _hermitian_table(read, hermitian)
        if parameters is not None:
            used = {s.name for _, amplitude in table.items() for s in amplitude.free_symbols}
            for name in parameters:
                if str(name) not in used:
                    raise InputError(f"parameter {name} appears in no amplitude; remove it from parameters or use it")
        _check_metadata(n_orbitals, dimension, names, positions, lattice)
        positions = None if positions is None else [[_coordinate(x, "a position") for x in p] for p in positions]
        lattice = None if lattice is None else [[_coordinate(x, "a lattice vector") for x in v] for v in lattice]
        entries = [(i, j, R, amplitude) for (i, j, R), amplitude in table.items()]
        return cls(n_orbitals, dimension, entries, names=names, positions=positions, lattice=lattice)

    @classmethod
    def from_matrix(cls, H, k=None, *, names=None, positions=None, lattice=None):
        """A model from its Bloch matrix H(k), read back into hoppings (exact Fourier coefficients).

        Parameters
        ----------
        H : sympy.Matrix or nested list
            Square, Hermitian; entries sums of ``c*exp(I*(k.R))``, ``cos`` and
            ``sin`` of integer combinations of the k components.
        k : sequence of symbols or str, optional
            The wave-vector components; default the symbols named k1, k2, k3
            (or kx, ky, kz) that occur in H.

        Raises
        ------
        InputError
            A non-square or non-Hermitian matrix, an entry that is not such a
            trigonometric sum (``cos(k1/2)`` has a non-integer R).

        Examples
        --------
        >>> from singularities.lattices import TightBinding
        >>> k1, k2 = sympy.symbols("k1 k2")
        >>> f = 1 + sympy.exp(-sympy.I * k1) + sympy.exp(-sympy.I * k2)
        >>> model = TightBinding.from_matrix(sympy.Matrix([[0, f], [sympy.conjugate(f), 0]]), [k1, k2])
        >>> [h[:3] for h in model.hoppings]
        [(0, 1, (-1, 0)), (0, 1, (0, -1)), (0, 1, (0, 0)), (1, 0, (0, 0)), (1, 0, (0, 1)), (1, 0, (1, 0))]
        """
        H = _as_matrix(H)
        ks = _k_symbols(H, k)
        dimension = _check_dimension(len(ks))
        n = H.rows
        real_k = [sympy.Dummy(f"k{a}", real=True) for a in range(1, dimension + 1)]
        real = {s: sympy.Dummy(s.name, real=True) for s in H.free_symbols - set(ks)}  # parameters are real
        plain = {d: sympy.Symbol(s.name) for s, d in real.items()}
        bloch = H.xreplace({**dict(zip(ks, real_k)), **real})
        hoppings = []
        for i, j in itertools.product(range(n), repeat=2):
            for R, amplitude in _fourier(bloch[i, j], real_k, (i, j), H[i, j]).items():
                hoppings.append((i, j, R, amplitude.xreplace(plain)))
        build = _with_advice(cls.from_hoppings, "give a Hermitian matrix, H[j, i] = conjugate(H[i, j])")
        return build(
            n, hoppings, dimension=dimension, hermitian="check", names=names, positions=positions, lattice=lattice
        )

    # ------------------------------------------------------------------ outputs

    def hamiltonian(self, k=None):
        """The Bloch matrix H(k) (sympy Matrix in cos/sin of integer combinations of k).

        ``k`` replaces the default symbols :attr:`variables` (same length).

        Examples
        --------
        >>> from singularities.lattices import TightBinding
        >>> square = TightBinding.from_hoppings(1, [(0, 0, (1, 0), -1), (0, 0, (0, 1), -1)])
        >>> square.hamiltonian()
        Matrix([[-2*cos(k1) - 2*cos(k2)]])
        """
        H = sympy.zeros(self.n_orbitals, self.n_orbitals)
        for (i, j), table in self._entries().items():
            H[i, j] = _trig(table, self.variables)
        return H if k is None else H.subs(dict(zip(self.variables, self._k(k))), simultaneous=True)

    def characteristic_polynomial(self, E=None, k=None):
        """det(E - H(k)), expanded: a polynomial in E with real trigonometric coefficients.

        Computed division-free (Berkowitz) on Laurent polynomials in
        z_a = exp(i k_a) and 1/z_a: O(n^4) products of Laurent polynomials,
        whose sizes grow with the number of lattice vectors of the hoppings;
        n <= 4 orbitals with nearest and next-nearest hoppings take well under
        a second.  Each coefficient is then written in cos/sin of integer
        combinations of k (the terms of +R and -R paired), so that the result is
        exact and real for a Hermitian model.

        Examples
        --------
        >>> from singularities.lattices import TightBinding
        >>> honeycomb = TightBinding.from_hoppings(2, [(0, 1, (0, 0), 1), (0, 1, (-1, 0), 1), (0, 1, (0, -1), 1)])
        >>> honeycomb.characteristic_polynomial()
        E**2 - 2*cos(k1) - 2*cos(k2) - 2*cos(k1 - k2) - 3
        """
        if self.n_orbitals > MAX_ORBITALS:
            raise InputError(
                f"the model has {self.n_orbitals} orbitals, more than {MAX_ORBITALS}; give a smaller model"
            )
        E = sympy.Symbol("E") if E is None else (sympy.Symbol(E) if isinstance(E, str) else E)
        zs = sympy.symbols(f"_z1:{self.dimension + 1}")
        ws = sympy.symbols(f"_w1:{self.dimension + 1}")
        H = sympy.zeros(self.n_orbitals, self.n_orbitals)
        for (i, j), table in self._entries().items():
            H[i, j] = sum((a * _laurent_monomial(R, zs, ws) for R, a in table.items()), sympy.S.Zero)
        coefficients = DomainMatrix.from_Matrix(H).charpoly()
        domain = DomainMatrix.from_Matrix(H).domain
        result = sympy.S.Zero
        degree = len(coefficients) - 1
        for power, c in enumerate(coefficients):
            table = _laurent_table(sympy.expand(domain.to_sympy(c)), zs, ws)
            result += _trig(table, self.variables) * E ** (degree - power)
        result = sympy.expand(result)
        return result if k is None else result.subs(dict(zip(self.variables, self._k(k))), simultaneous=True)

    def bands(self):
        """Closed-form bands: 1 orbital, the dispersion; 2 orbitals, d0 + sqrt(R) and d0 - sqrt(R).

        d0 = (H00 + H11)/2 and R = ((H00 - H11)/2)^2 + |H01|^2, each a real
        trigonometric polynomial in k (|H01|^2 is computed exactly, +R and -R
        terms paired).  The expressions are what ``torus_critical_points``
        reads (``str()`` of each).

        Raises
        ------
        MethodNotApplicableError
            For 3 or more orbitals (no closed form in general): use
            :meth:`characteristic_polynomial`.

        Examples
        --------
        >>> from singularities.lattices import TightBinding
        >>> chain = TightBinding.from_hoppings(2, [(0, 1, (0,), 1), (0, 1, (-1,), 1), (0, 0, (0,), 1)])
        >>> chain.bands()
        (1/2 - sqrt(2*cos(k1) + 9/4), sqrt(2*cos(k1) + 9/4) + 1/2)
        """
        entries = self._entries()
        if self.n_orbitals == 1:
            return (_trig(entries.get((0, 0), {}), self.variables),)
        if self.n_orbitals != 2:
            raise MethodNotApplicableError(
                "bands",
                f"a {self.n_orbitals}-orbital model has no closed-form bands in general; "
                "use model.characteristic_polynomial() for its bands as roots",
            )
        h00, h11 = entries.get((0, 0), {}), entries.get((1, 1), {})
        h01, h10 = entries.get((0, 1), {}), entries.get((1, 0), {})
        half = sympy.Rational(1, 2)
        d0 = _laurent_add(h00, h11, half, half)
        dz = _laurent_add(h00, h11, half, -half)
        R = _laurent_add(_laurent_mul(dz, dz), _laurent_mul(h01, h10), 1, 1)
        center, radicand = _trig(d0, self.variables), _trig(R, self.variables)
        return (center - sympy.sqrt(radicand), center + sympy.sqrt(radicand))

    def substitute(self, parameters):
        """The model with parameter values substituted (``{"t": 1, "tp": "1/2"}`` or ``{t: 0.3}``).

        Examples
        --------
        >>> from singularities.lattices import TightBinding
        >>> chain = TightBinding.from_hoppings(1, [(0, 0, (1,), "-t")])
        >>> chain.substitute({"t": "1/2"}).hamiltonian()
        Matrix([[-cos(k1)]])
        >>> chain.substitute({"t": 0.5}).exact
        False
        """
        by_name = {p.name: p for p in self.parameters}
        values = {}
        for name, value in dict(parameters).items():
            symbol = by_name.get(str(name))
            if symbol is None:
                known = ", ".join(by_name) or "none"
                raise InputError(f"the model has no parameter {name} (parameters: {known}); give one of those")
            values[symbol] = _amplitude(value, f"the value of {name}")
        hoppings = [(i, j, R, sympy.expand(a.subs(values))) for i, j, R, a in self.hoppings]
        hoppings = [h for h in hoppings if h[3] != 0]
        return TightBinding(
            self.n_orbitals, self.dimension, hoppings, names=self.names, positions=self.positions, lattice=self.lattice
        )

    def to_dict(self):
        """A JSON-safe dict (amplitudes as exact strings; floats keep 17 digits); :meth:`from_dict` inverts it."""
        return {
            "kind": "tight_binding",
            "n_orbitals": self.n_orbitals,
            "dimension": self.dimension,
            "hoppings": [[i, j, list(R), _amplitude_text(a)] for i, j, R, a in self.hoppings],
            "variables": [v.name for v in self.variables],
            "exact": self.exact,
            "names": None if self.names is None else list(self.names),
            "positions": None if self.positions is None else [[exact_string(x) for x in p] for p in self.positions],
            "lattice": None if self.lattice is None else [[exact_string(x) for x in v] for v in self.lattice],
        }

    @classmethod
    def from_dict(cls, data):
        """Rebuild a model from :meth:`to_dict` output.

        Examples
        --------
        >>> from singularities.lattices import TightBinding
        >>> chain = TightBinding.from_hoppings(1, [(0, 0, (1,), 0.25)])
        >>> TightBinding.from_dict(chain.to_dict()) == chain
        True
        """
        hoppings = [
            (i, j, tuple(R), _read_amplitude_text(a, f"amplitude {a!r}", exact=False))
            for i, j, R, a in data["hoppings"]
        ]
        exact_list = lambda rows: (
            None
            if rows is None
            else [[_read_amplitude_text(x, "a coordinate", exact=True) for x in row] for row in rows]
        )  # noqa: E731
        model = cls.from_hoppings(
            data["n_orbitals"],
            hoppings,
            dimension=data["dimension"],
            names=data.get("names"),
            positions=exact_list(data.get("positions")),
            lattice=exact_list(data.get("lattice")),
            hermitian="check",
        )
        variables = sympy.symbols(data.get("variables", _DEFAULT_K[: model.dimension]))
        if not isinstance(variables, (tuple, list)):
            variables = (variables,)
        return cls(
            model.n_orbitals,
            model.dimension,
            model.hoppings,
            variables=variables,
            names=model.names,
            positions=model.positions,
            lattice=model.lattice,
        )

    # ------------------------------------------------------------------ helpers

    def _entries(self):
        """{(i, j): {R: amplitude}}."""
        entries = {}
        for i, j, R, a in self.hoppings:
            entries.setdefault((i, j), {})[R] = a
        return entries

    def _k(self, k):
        k = [sympy.Symbol(v) if isinstance(v, str) else v for v in k]
        if len(k) != self.dimension:
            raise InputError(
                f"k has {len(k)} components but the model has dimension {self.dimension}; give {self.dimension}"
            )
        return k


def read_model(source, *, exact=False):
    """A :class:`TightBinding` model from a file or its text: the format of docs/lattices.md or Wannier90 ``*_hr.dat``.

    The text format: ``#`` starts a comment; the first line is
    ``orbitals N dimension d``; an optional line ``names A B ...``; then one
    hopping per line ``i j R1 .. Rd amplitude`` (orbitals numbered from 0;
    the amplitude is the rest of the line: exact text, a symbol expression,
    or a decimal, which is a float).  Hoppings given in one direction are
    completed by their conjugates.

    A Wannier90 ``_hr.dat`` file (recognised by its second and third lines,
    num_wann and nrpts): t_mn(R) = (Re + i Im) / (degeneracy of R), orbitals
    m - 1, n - 1; the dimension is 3, or 2 (1) when every R3 (and R2) is 0.
    Its values are floats (``exact=False``); with ``exact=True`` every value
    must be a decimal of at most 15 significant digits and is read as the
    rational it denotes (so ``0.333333`` is 333333/1000000, not 1/3).

    Raises
    ------
    InputError
        An unreadable line (with its number), wrong num_wann or nrpts counts,
        non-integer R, an orbital out of range, a non-Hermitian hopping table.

    Examples
    --------
    >>> from singularities.lattices import read_model
    >>> model = read_model('''
    ... orbitals 2 dimension 2   # honeycomb
    ... 0 1  0  0  t
    ... 0 1 -1  0  t
    ... 0 1  0 -1  t
    ... ''')
    >>> model
    TightBinding(2 orbitals, dimension 2, 6 hoppings, parameters (t,), exact)
    """
    text = _source_text(source)
    lines = text.splitlines()
    content = [(n, _strip(line)) for n, line in enumerate(lines, 1)]
    content = [(n, line) for n, line in content if line]
    if not content:
        raise InputError(
            "the model text is empty; give a header 'orbitals N dimension d' and hoppings, or a Wannier90 _hr.dat file"
        )
    if content[0][1].split()[0].lower() == "orbitals":
        return _read_text_format(content, exact)
    return _read_hr(lines, exact)


def write_hr(model, path=None, *, header="written by singularities"):
    """Write ``model`` as a Wannier90 ``_hr.dat`` file (degeneracies 1; R padded to 3 components).

    Rows run over R (sorted), then n, then m fastest, as Wannier90 writes
    them; values with 15 decimals.  Returns the text (and writes it to
    ``path`` when given).

    Raises
    ------
    InputError
        When an amplitude has a parameter (substitute values first).

    Examples
    --------
    >>> from singularities.lattices import TightBinding, write_hr, read_model
    >>> chain = TightBinding.from_hoppings(1, [(0, 0, (1,), -1)])
    >>> print(write_hr(chain))  # doctest: +NORMALIZE_WHITESPACE
    written by singularities
    1
    3
    1 1 1
    -1 0 0 1 1 -1.000000000000000 0.000000000000000
     0 0 0 1 1  0.000000000000000 0.000000000000000
     1 0 0 1 1 -1.000000000000000 0.000000000000000
    >>> read_model(write_hr(chain), exact=True) == chain
    True
    """
    if model.parameters:
        names = ", ".join(p.name for p in model.parameters)
        raise InputError(f"the model has parameters ({names}); substitute values first (model.substitute)")
    entries = {(i, j, R): a for i, j, R, a in model.hoppings}
    vectors = sorted({R for _, _, R, _ in model.hoppings} | {(0,) * model.dimension})
    n = model.n_orbitals
    rows = [header.replace("\n", " "), str(n), str(len(vectors))]
    weights = ["1"] * len(vectors)
    rows += ["".join(f"{w:>5}" for w in weights[i : i + 15]) for i in range(0, len(weights), 15)]
    for R in vectors:
        padded = tuple(R) + (0,) * (3 - len(R))
        for col, row in itertools.product(range(n), range(n)):
            value = complex(sympy.N(entries.get((row, col, R), 0), 17))
            rows.append(
                "".join(f"{c:5d}" for c in (*padded, row + 1, col + 1)) + f"{value.real:22.15f}{value.imag:22.15f}"
            )
    text = "\n".join(rows) + "\n"
    if path is not None:
        pathlib.Path(path).write_text(text)
    return text


# ---------------------------------------------------------------------- reading amplitudes and hoppings


def _amplitude(value, what):
    """An amplitude as a sympy value: exact text read exactly (decimals as Floats), floats as Floats."""
    if isinstance(value, str):
        return _read_amplitude_text(value, what, exact=False)
    if isinstance(value, bool):
        raise InputError(f"{what} is {value!r}, not a number; give a number or an expression")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InputError(f"{what} is {value}; give a finite number")
        return sympy.Float(value)
    if isinstance(value, complex):
        return _amplitude(value.real, what) + sympy.I * _amplitude(value.imag, what)
    if isinstance(value, sympy.Number):
        return _check_finite(value, what)
    try:
        result = sympy.sympify(value, rational=False, strict=True)
    except (sympy.SympifyError, TypeError) as error:
        raise InputError(f"{what} ({value!r}) is not a number or expression; give one such as 1/2 or t") from error
    return _normal(_check_names(_plain_symbols(_check_finite(result, what)), what))


def _read_amplitude_text(text, what, *, exact):
    def decimal(token):
        try:
            return sympy.Rational(token) if exact else sympy.Float(token)
        except (TypeError, ValueError):
            raise InputError(f"{token!r} is not a number; give a decimal such as 0.5") from None

    try:
        result = read_expression(str(text), _resolve_name, decimal=decimal, what="amplitude")
    except InputError as error:
        raise InputError(f"{what}: {error}") from None
    return _normal(_check_names(_check_finite(result, what), what))


def _check_names(value, what):
    reserved = sorted(s.name for s in value.free_symbols if s.name in _RESERVED)
    if reserved:
        raise InputError(
            f"{what} uses {reserved[0]}, the name of the energy or a wave-vector component; rename the parameter"
        )
    return value


def _resolve_name(name, called):
    if called:
        function = getattr(sympy, name, None)
        if name in ("sqrt", "exp", "cos", "sin", "conjugate", "re", "im", "Abs"):
            return function
        raise InputError(f"unknown function {name}(...); use sqrt, exp, cos, sin")
    constants = {"I": sympy.I, "pi": sympy.pi}
    if name in constants:
        return constants[name]
    if name in ("nan", "oo", "inf", "zoo"):
        raise InputError(f"the amplitude {name} is not a finite number; give a finite number")
    return sympy.Symbol(name)


def _check_finite(value, what):
    if not isinstance(value, sympy.Basic) or not isinstance(value, sympy.Expr):
        raise InputError(f"{what} ({value!r}) is not a number or expression; give one such as 1/2 or t")
    if value.has(sympy.nan, sympy.oo, -sympy.oo, sympy.zoo) or any(
        not math.isfinite(float(f)) for f in value.atoms(sympy.Float)
    ):
        raise InputError(f"{what} is {value}, not finite; give a finite number")
    return value


def _plain_symbols(value):
    """Free symbols replaced by plain symbols of the same name (``t`` whatever assumptions it was made with)."""
    return value.xreplace({s: sympy.Symbol(s.name) for s in value.free_symbols if s != sympy.Symbol(s.name)})


def _as_real(function, value):
    """``function(value)`` with the free symbols (parameters) taken as real."""
    forward = {s: sympy.Dummy(s.name, real=True) for s in value.free_symbols}
    backward = {d: s for s, d in forward.items()}
    return function(value.xreplace(forward)).xreplace(backward)


def _entry(hopping, number):
    try:
        i, j, R, amplitude = hopping
    except (TypeError, ValueError):
        raise InputError(f"hopping {number} ({hopping!r}) is not (i, j, R, amplitude); give four entries") from None
    R = (R,) if isinstance(R, int) else R
    try:
        R = tuple(R)
    except TypeError:
        raise InputError(f"hopping {number}: R = {R!r} is not a tuple of integers; give R as (R1, ..., Rd)") from None
    return i, j, R, amplitude


def _integer(value, what):
    if isinstance(value, bool):
        raise InputError(f"{what} is {value!r}, not an integer; give an integer")
    if isinstance(value, int):
        return value
    if isinstance(value, sympy.Integer):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise InputError(f"{what} is {value!r}, not an integer; give an integer")


def _read_hopping(hopping, n_orbitals, dimension, number):
    i, j, R, amplitude = _entry(hopping, number)
    i, j = _integer(i, f"hopping {number}: orbital i"), _integer(j, f"hopping {number}: orbital j")
    for index in (i, j):
        if not 0 <= index < n_orbitals:
            raise InputError(
                f"hopping {number}: orbital {index} is out of range for {n_orbitals} orbitals; "
                f"number them 0 to {n_orbitals - 1}"
            )
    if len(R) != dimension:
        raise InputError(
            f"hopping {number}: R = {R} has {len(R)} components, the model dimension is {dimension}; give {dimension}"
        )
    R = tuple(_integer(c, f"hopping {number}: component of R = {R}") for c in R)
    if any(abs(c) > MAX_RANGE for c in R):
        raise InputError(
            f"hopping {number}: R = {R} has a component beyond {MAX_RANGE}; give hoppings of shorter range"
        )
    return i, j, R, _amplitude(amplitude, f"hopping {number} ({i}, {j}, R={R}) amplitude")


def _hermitian_table(read, mode):
    if mode not in _HERMITIAN_MODES:
        raise InputError(f"hermitian={mode!r} is not one of {_HERMITIAN_MODES}; give one of them")
    given = {}
    for i, j, R, amplitude in read:
        key = (i, j, R)
        if key in given:
            raise InputError(f"hopping ({i}, {j}, R={_r(R)}) is given twice; give it once (sum the amplitudes)")
        given[key] = amplitude
    table = {}
    for (i, j, R), amplitude in given.items():
        reverse = (j, i, tuple(-c for c in R))
        conjugate = sympy.expand(amplitude.conjugate() if amplitude.is_number else _as_real(sympy.conjugate, amplitude))
        if reverse in given:
            if not _same(given[reverse], conjugate):
                raise InputError(
                    f"hopping ({i}, {j}, R={_r(R)}) = {amplitude} but its reverse "
                    f"({reverse[0]}, {reverse[1]}, R={_r(reverse[2])}) = {given[reverse]} is not its conjugate, "
                    "so the model is not Hermitian; fix one of them"
                )
        elif mode == "check":
            raise InputError(
                f"hopping ({i}, {j}, R={_r(R)}) has no reverse hopping ({j}, {i}, R={_r(reverse[2])}), so the model is "
                'not Hermitian; give it with the conjugate amplitude or use hermitian="complete"'
            )
        table.setdefault((i, j, R), amplitude)  # the first direction seen wins: the table is exactly Hermitian
        table.setdefault(reverse, conjugate)
    return {key: a for key, a in table.items() if a != 0}


def _with_advice(function, advice, prefix=""):
    """``function`` whose InputError ends with ``advice`` instead of its own (and starts with ``prefix``)."""

    def call(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except InputError as error:
            raise InputError(prefix + str(error).rsplit(";", 1)[0] + "; " + advice) from None

    return call


def _normal(value):
    """Exponentials and trigonometric values of numbers written as a + i b (exp(I*pi/3) = 1/2 + sqrt(3)*I/2)."""
    if value.has(sympy.exp, sympy.cos, sympy.sin):
        return sympy.expand(_as_real(sympy.expand_complex, value))
    return sympy.expand(value) if value.has(sympy.I) else value


def _coordinate(value, what):
    if isinstance(value, str):
        return _read_amplitude_text(value, what, exact=True)
    return _amplitude(value, what)


def _r(R):
    return "(" + ", ".join(str(c) for c in R) + ")"


def _same(a, b):
    difference = sympy.expand(a - b)
    if difference == 0:
        return True
    if difference.free_symbols:
        return sympy.simplify(difference) == 0
    if difference.atoms(sympy.Float) or a.atoms(sympy.Float) or b.atoms(sympy.Float):
        scale = max(1.0, abs(complex(sympy.N(a))), abs(complex(sympy.N(b))))
        return abs(complex(sympy.N(difference))) <= _FLOAT_TOLERANCE * scale
    return sympy.simplify(difference) == 0


def _check_count(n):
    n = _integer(n, "the number of orbitals")
    if not 1 <= n <= MAX_ORBITALS:
        raise InputError(f"the number of orbitals is {n}; give 1 to {MAX_ORBITALS}")
    return n


def _check_dimension(d):
    d = _integer(d, "the dimension")
    if d not in (1, 2, 3):
        raise InputError(f"the dimension is {d}; give 1, 2 or 3")
    return d


def _check_metadata(n, d, names, positions, lattice):
    try:
        _check_sizes(n, d, names, positions, lattice)
    except TypeError:
        raise InputError(
            "names, positions or lattice is not a list; give lists (positions and vectors as tuples)"
        ) from None


def _check_sizes(n, d, names, positions, lattice):
    if names is not None and len(names) != n:
        raise InputError(f"{len(names)} names for {n} orbitals; give one name per orbital")
    if positions is not None and (len(positions) != n or any(len(p) != d for p in positions)):
        raise InputError(f"positions must be {n} points with {d} coordinates each; give one position per orbital")
    if lattice is not None and len(lattice) != d:
        raise InputError(f"{len(lattice)} lattice vectors for dimension {d}; give {d} vectors")


# ---------------------------------------------------------------------- Bloch matrices and Laurent polynomials


def _trig(table, ks):
    """sum_R c_R exp(i k.R) in cos/sin: +R and -R paired, (c_R + c_-R) cos(k.R) + i (c_R - c_-R) sin(k.R)."""
    result = sympy.S.Zero
    for R, c in table.items():
        minus = tuple(-x for x in R)
        if not any(R):
            result += c
        elif _leading_positive(R):
            other = table.get(minus, sympy.S.Zero)
            phase = sum((r * k for r, k in zip(R, ks)), sympy.S.Zero)
            result += sympy.expand(c + other) * sympy.cos(phase) + sympy.expand(sympy.I * (c - other)) * sympy.sin(
                phase
            )
        elif minus not in table:
            phase = sum((r * k for r, k in zip(minus, ks)), sympy.S.Zero)
            result += c * sympy.cos(phase) - sympy.I * c * sympy.sin(phase)
    return sympy.expand(result)


def _leading_positive(R):
    return next(x for x in R if x) > 0


def _laurent_monomial(R, zs, ws):
    term = sympy.S.One
    for r, z, w in zip(R, zs, ws):
        term *= z**r if r > 0 else w ** (-r)
    return term


def _laurent_table(expr, zs, ws):
    """{R: coefficient} of a polynomial in z and w = 1/z."""
    if expr == 0:
        return {}
    table = {}
    poly = sympy.Poly(expr, *zs, *ws)
    d = len(zs)
    for monom, coefficient in poly.terms():
        R = tuple(monom[a] - monom[d + a] for a in range(d))
        table[R] = table.get(R, sympy.S.Zero) + coefficient
    return {R: sympy.expand(c) for R, c in table.items() if sympy.expand(c) != 0}


def _laurent_add(a, b, x, y):
    table = {R: x * c for R, c in a.items()}
    for R, c in b.items():
        table[R] = table.get(R, sympy.S.Zero) + y * c
    return {R: sympy.expand(c) for R, c in table.items() if sympy.expand(c) != 0}


def _laurent_mul(a, b):
    table = {}
    for (R, c), (S, e) in itertools.product(a.items(), b.items()):
        key = tuple(r + s for r, s in zip(R, S))
        table[key] = table.get(key, sympy.S.Zero) + c * e
    return {R: sympy.expand(c) for R, c in table.items() if sympy.expand(c) != 0}


def _as_matrix(H):
    if isinstance(H, str):
        raise InputError("H is text; give a sympy Matrix (or a nested list) of the Bloch Hamiltonian")
    try:
        H = sympy.Matrix(H)
    except (TypeError, ValueError, sympy.SympifyError) as error:
        raise InputError(f"H cannot be read as a matrix ({error}); give a square sympy Matrix") from None
    if H.rows != H.cols or H.rows == 0:
        raise InputError(f"H is {H.rows} x {H.cols}; give a square Bloch matrix")
    if H.rows > MAX_ORBITALS:
        raise InputError(f"H has {H.rows} orbitals, more than {MAX_ORBITALS}; give a smaller model")
    return H


def _k_symbols(H, k):
    if k is not None:
        k = [k] if isinstance(k, (str, sympy.Symbol)) else list(k)
        return [sympy.Symbol(v) if isinstance(v, str) else v for v in k]
    names = {s.name: s for s in H.free_symbols}
    for family in (("k1", "k2", "k3"), ("kx", "ky", "kz")):
        found = [names[n] for n in family if n in names]
        if found:
            return found
    raise InputError(
        "H has no wave-vector symbols k1, k2, k3 (or kx, ky, kz); pass k=[...] with its wave-vector symbols"
    )


def _fourier(entry, ks, where, shown):
    """{R: c} with entry = sum_R c exp(i k.R), exact; InputError when the entry is not such a sum.

    cos and sin are rewritten as exponentials; each exp(i k.R + c) becomes exp(c) z^R (z_a = exp(i k_a),
    negative powers as w_a = 1/z_a), and the result, which must then be a polynomial in z and w, is
    expanded once as a sparse polynomial.
    """
    fail = (
        f"entry H[{where[0]}, {where[1]}] = {_short(shown)} is not a sum of c*exp(I*k.R), cos(k.R), sin(k.R) "
        "with integer R; write it as such a sum"
    )
    zs = sympy.symbols(f"_z1:{len(ks) + 1}")
    ws = sympy.symbols(f"_w1:{len(ks) + 1}")
    rewritten = sympy.sympify(entry).rewrite(sympy.exp)
    replace = {}
    for atom in rewritten.atoms(sympy.exp):
        if not atom.free_symbols & set(ks):
            continue
        argument = sympy.expand(atom.exp)
        R = [sympy.expand(argument.coeff(k) / sympy.I) for k in ks]
        rest = sympy.expand(argument - sum((sympy.I * r * k for r, k in zip(R, ks)), sympy.S.Zero))
        if rest.free_symbols & set(ks) or not all(r.is_integer for r in R):
            raise InputError(fail)
        replace[atom] = sympy.exp(rest) * _laurent_monomial([int(r) for r in R], zs, ws)
    polynomial = rewritten.xreplace(replace)
    if polynomial.free_symbols & set(ks):
        raise InputError(fail)
    try:
        table = _laurent_table(polynomial, zs, ws)
    except sympy.PolynomialError:
        raise InputError(fail) from None
    if any(c.free_symbols & set(zs + ws) for c in table.values()):
        raise InputError(fail)
    return table


def _short(expr, limit=60):
    text = str(expr)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _amplitude_text(a):
    """Exact text; Floats with 17 significant digits so that a float round-trips."""
    if not a.atoms(sympy.Float):
        return exact_string(a)
    return sympy.sstr(a.xreplace({f: sympy.Float(repr(float(f)), 17) for f in a.atoms(sympy.Float)}), full_prec=False)


# ---------------------------------------------------------------------- files


def _source_text(source):
    if isinstance(source, pathlib.Path) or (
        isinstance(source, str) and "\n" not in source and pathlib.Path(source).is_file()
    ):
        try:
            return pathlib.Path(source).read_text()
        except (OSError, UnicodeDecodeError) as error:
            raise InputError(f"cannot read {source}: {error.__class__.__name__}; give a readable text file") from None
    if not isinstance(source, str):
        raise InputError(
            f"read_model takes a path or the text of a model, not {type(source).__name__}; give one of those"
        )
    if "\n" not in source:
        raise InputError(f"no file {source!r}; give an existing path or the text of the model")
    return source


def _strip(line):
    return line.split("#", 1)[0].strip()


def _read_text_format(content, exact):
    number, header = content[0]
    words = header.split()
    if len(words) != 4 or words[0].lower() != "orbitals" or words[2].lower() != "dimension":
        raise InputError(f"line {number}: {header!r} is not 'orbitals N dimension d'; write the header as such")
    try:
        n, d = int(words[1]), int(words[3])
    except ValueError:
        raise InputError(f"line {number}: {header!r} has a non-integer count; write 'orbitals N dimension d'") from None
    n, d = _check_count(n), _check_dimension(d)
    names, hoppings, numbers = None, [], []
    fields = " ".join(f"R{a}" for a in range(1, d + 1))
    for number, line in content[1:]:
        words = line.split()
        if words[0].lower() == "names":
            names = words[1:]
            if len(names) != n:
                raise InputError(f"line {number}: {len(names)} names for {n} orbitals; give one name per orbital")
            continue
        if len(words) < 3 + d:
            raise InputError(f"line {number}: {line!r} is not 'i j {fields} amplitude'; give {3 + d} fields")
        try:
            i, j, *R = (int(w) for w in words[: 2 + d])
        except ValueError:
            raise InputError(
                f"line {number}: {line!r} has a non-integer orbital or R; give integers i j {fields}"
            ) from None
        try:
            amplitude = _read_amplitude_text(" ".join(words[2 + d :]), f"line {number}: amplitude", exact=exact)
        except InputError as error:
            raise InputError(str(error) if str(error).startswith("line") else f"line {number}: {error}") from None
        hoppings.append((i, j, tuple(R), amplitude))
        numbers.append(number)
    try:
        return TightBinding.from_hoppings(n, hoppings, dimension=d, names=names)
    except InputError as error:
        match = re.match(r"hopping (\d+)", str(error))
        if match:
            raise InputError(f"line {numbers[int(match.group(1))]}: {error}") from None
        raise


_DECIMAL = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)$")


def _read_hr(lines, exact):
    def integer_line(index, what):
        if index >= len(lines):
            raise InputError(f"the _hr.dat file ends before line {index + 1} ({what}); give a complete file")
        words = lines[index].split()
        if len(words) != 1 or not re.fullmatch(r"[+-]?\d+", words[0]):
            raise InputError(
                f"line {index + 1}: {lines[index].strip()!r} is not {what}; "
                "give a Wannier90 _hr.dat file or a model with the header 'orbitals N dimension d'"
            )
        return int(words[0])

    num_wann = integer_line(1, "num_wann (an integer)")
    nrpts = integer_line(2, "nrpts (an integer)")
    if not 1 <= num_wann <= MAX_ORBITALS or nrpts < 1:
        raise InputError(
            f"line 2-3: num_wann = {num_wann}, nrpts = {nrpts}; give 1 <= num_wann <= {MAX_ORBITALS} and nrpts >= 1"
        )
    weights, index = [], 3
    while len(weights) < nrpts:
        if index >= len(lines):
            raise InputError(
                f"the _hr.dat file ends after {len(weights)} of {nrpts} degeneracies; give a complete file"
            )
        try:
            weights += [int(w) for w in lines[index].split()]
        except ValueError:
            raise InputError(
                f"line {index + 1}: {lines[index].strip()!r} is not a line of degeneracies; give integers, 15 per line"
            ) from None
        index += 1
    if len(weights) != nrpts or any(w < 1 for w in weights):
        raise InputError(
            f"line {index}: {len(weights)} degeneracies (some < 1?) for nrpts = {nrpts}; give nrpts positive integers"
        )
    rows = [(n, line.split()) for n, line in enumerate(lines[index:], index + 1) if line.strip()]
    expected = nrpts * num_wann**2
    if len(rows) != expected:
        raise InputError(
            f"the _hr.dat file has {len(rows)} rows of H(R), expected nrpts * num_wann^2 = {expected}; "
            "give a complete file"
        )
    hoppings, seen, vectors = [], set(), []
    for n, words in rows:
        if len(words) != 7:
            raise InputError(f"line {n}: {' '.join(words)!r} is not 'R1 R2 R3 m n Re Im'; give 7 fields")
        try:
            R = tuple(int(w) for w in words[:3])
            m, col = int(words[3]), int(words[4])
        except ValueError:
            raise InputError(
                f"line {n}: R or the orbital indices are not integers; give 'R1 R2 R3 m n Re Im'"
            ) from None
        if not (1 <= m <= num_wann and 1 <= col <= num_wann):
            raise InputError(f"line {n}: orbital index ({m}, {col}) outside 1..{num_wann}; fix the row or num_wann")
        if R not in vectors:
            vectors.append(R)
        if len(vectors) > nrpts:
            raise InputError(f"line {n}: more than nrpts = {nrpts} lattice vectors R; fix nrpts or the rows")
        if (R, m, col) in seen:
            raise InputError(f"line {n}: H_{m}{col}(R={_r(R)}) is given twice; give each once")
        seen.add((R, m, col))
        weight = weights[vectors.index(R)]
        value = (_hr_value(words[5], n, exact) + sympy.I * _hr_value(words[6], n, exact)) / weight
        if value != 0:
            hoppings.append((m - 1, col - 1, R, sympy.expand(value)))
    dimension = 3 if any(h[2][2] for h in hoppings) else (2 if any(h[2][1] for h in hoppings) else 1)
    hoppings = [(i, j, R[:dimension], a) for i, j, R, a in hoppings]
    build = _with_advice(TightBinding.from_hoppings, "fix the file", prefix="the _hr.dat file: ")
    return build(num_wann, hoppings, dimension=dimension, hermitian="check")


def _hr_value(word, n, exact):
    try:
        value = float(word)
    except ValueError:
        raise InputError(f"line {n}: {word!r} is not a number; give Re and Im as decimals") from None
    if not math.isfinite(value):
        raise InputError(f"line {n}: the value {word} is not finite; give finite numbers")
    if not exact:
        return value
    if not _DECIMAL.match(word) or len(word.lstrip("+-").replace(".", "").strip("0")) > 15:
        raise InputError(
            f"line {n}: {word!r} is not a decimal of at most 15 significant digits; read the file with exact=False"
        )
    return sympy.Rational(word)
