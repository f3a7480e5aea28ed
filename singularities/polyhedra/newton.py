"""Newton polyhedra: vertices, facets, faces, face polynomials and the Newton distance.

Conventions: docs/conventions.md#newton-polyhedra.  Everything is exact: the
facets are found by the double description method in integer arithmetic.
"""

from dataclasses import dataclass, field
from functools import reduce
from math import gcd

import networkx as nx
import sympy

from .._exact import parse_exact
from .._limits import Deadline, guard
from .._result import Result, register
from ..energy import as_energy
from ..jets import local_terms

__all__ = ["Facet", "Face", "NewtonPolyhedron", "newton_polyhedron", "polyhedron_from_terms"]


@dataclass(frozen=True, slots=True)
class Facet:
    """The facet ``normal . x >= offset`` of Gamma_+, with ``normal`` >= 0 a primitive integer vector."""

    normal: tuple
    offset: int

    def __repr__(self):
        terms = " + ".join(f"{a}*x{i + 1}" if a != 1 else f"x{i + 1}" for i, a in enumerate(self.normal) if a)
        return f"Facet({terms} >= {self.offset})"

    def evaluate(self, point):
        """The value ``normal . point``."""
        return sum(a * x for a, x in zip(self.normal, point))


@register("face")
@dataclass(frozen=True, slots=True)
class Face:
    """A face of Gamma_+: its vertices, its recession directions and the support points on it.

    ``facets`` holds the indices of the facets that contain the face; the
    face is compact exactly when it has no recession directions.
    """

    vertices: tuple
    directions: tuple
    points: tuple
    facets: tuple
    dimension: int

    @property
    def compact(self):
        """Whether the face is bounded (no recession direction)."""
        return not self.directions

    def __repr__(self):
        kind = "compact" if self.compact else f"directions={list(self.directions)}"
        return f"Face(dimension={self.dimension}, vertices={list(self.vertices)}, {kind})"

    def to_dict(self):
        """JSON-safe description of the face."""
        return {
            "kind": "face",
            "dimension": self.dimension,
            "compact": self.compact,
            "vertices": [list(v) for v in self.vertices],
            "directions": list(self.directions),
            "points": [list(p) for p in self.points],
            "facets": list(self.facets),
        }

    @classmethod
    def from_dict(cls, data):
        """Rebuild a face from :meth:`to_dict` output."""
        return cls(
            vertices=tuple(tuple(v) for v in data["vertices"]),
            directions=tuple(data["directions"]),
            points=tuple(tuple(p) for p in data["points"]),
            facets=tuple(data["facets"]),
            dimension=data["dimension"],
        )


@register("newton_polyhedron")
@dataclass(frozen=True, slots=True)
class NewtonPolyhedron(Result):
    """The Newton polyhedron Gamma_+(g) of g at a point (docs/conventions.md#newton-polyhedra).

    Attributes
    ----------
    variables : tuple of sympy.Symbol
        The coordinates, in order.
    terms : tuple of (exponent, coefficient)
        The support of g with its exact coefficients.
    vertices : tuple of tuple of int
        The vertices of Gamma_+.
    facets : tuple of Facet
        Its facets, as integer inequalities.
    newton_distance : sympy.Rational
        t, the smallest t with (t, ..., t) in Gamma_+.
    principal_face : Face
        tau, the smallest face containing (t, ..., t).
    codimension : int
        The codimension c of ``principal_face`` in R^n.
    """

    variables: tuple
    terms: tuple = field(repr=False)
    vertices: tuple
    facets: tuple = field(repr=False)
    newton_distance: sympy.Rational
    principal_face: Face = field(repr=False)
    codimension: int

    @property
    def dimension(self):
        """The number of variables n."""
        return len(self.variables)

    def faces(self, *, timeout=None):
        """All faces of Gamma_+, lowest dimension first.

        Examples
        --------
        >>> [f.dimension for f in sg.newton_polyhedron("x*y").faces()]
        [0, 1, 1]
        """
        support = tuple(e for e, _ in self.terms)
        return _faces(self.vertices, self.facets, support, self.dimension, Deadline.coerce(timeout))

    def compact_faces(self, *, timeout=None):
        """The compact faces, lowest dimension first (the non-compact ones are never built)."""
        support = tuple(e for e, _ in self.terms)
        return _faces(self.vertices, self.facets, support, self.dimension, Deadline.coerce(timeout), compact_only=True)

    def face_polynomial(self, face):
        """The face polynomial g_gamma: the terms of g whose exponents lie on ``face``.

        Examples
        --------
        >>> P = sg.newton_polyhedron("x**2 + y**4 + x*y**3")
        >>> P.face_polynomial(P.principal_face)
        x**2 + y**4
        """
        points = set(face.points)
        return sympy.Add(*(c * _monomial(self.variables, e) for e, c in self.terms if e in points))

    def face_lattice(self, *, timeout=None):
        """The face lattice as a :class:`networkx.DiGraph`: an edge F -> G when G is a facet of F.

        Nodes are indices into :meth:`faces`, with attributes ``face`` and ``dimension``.

        Examples
        --------
        >>> G = sg.newton_polyhedron("x**2 + y**2").face_lattice()
        >>> sorted(d for _, d in G.nodes(data="dimension"))
        [0, 0, 1, 1, 1]
        """
        graph = nx.DiGraph()
        faces = self.faces(timeout=timeout)
        for index, face in enumerate(faces):
            graph.add_node(index, face=face, dimension=face.dimension)
        for i, big in enumerate(faces):
            for j, small in enumerate(faces):
                if small.dimension == big.dimension - 1 and _contains(big, small):
                    graph.add_edge(i, j)
        return graph

    def to_rows(self):
        header = ("quantity", "value")
        rows = [
            ("variables", ", ".join(map(str, self.variables))),
            ("vertices", " ".join(_tuple_text(v) for v in self.vertices)),
            ("facets", "; ".join(_facet_text(f, self.variables) for f in self.facets if f.offset > 0)),
            ("Newton distance t", self.newton_distance),
            ("principal face", _face_text(self.principal_face)),
            ("face polynomial", self.face_polynomial(self.principal_face)),
            ("codimension c", self.codimension),
        ]
        return header, rows

    @classmethod
    def from_dict(cls, data):
        """Rebuild the polyhedron from the terms in :meth:`to_dict` output (recomputing, so re-checking, the rest)."""
        variables = tuple(sympy.Symbol(v) for v in data["variables"])
        terms = {tuple(e): parse_exact(c) for e, c in data["terms"]}
        return polyhedron_from_terms(variables, terms)

    def to_dict(self):
        return {
            "kind": "newton_polyhedron",
            "variables": [str(v) for v in self.variables],
            "terms": [[list(e), sympy.sstr(c)] for e, c in self.terms],
            "vertices": [list(v) for v in self.vertices],
            "facets": [{"normal": list(f.normal), "offset": f.offset} for f in self.facets],
            "newton_distance": sympy.sstr(self.newton_distance),
            "face": {
                **self.principal_face.to_dict(),
                "polynomial": sympy.sstr(self.face_polynomial(self.principal_face)),
            },
            "codimension": self.codimension,
        }


def newton_polyhedron(g, point=None, *, variables=None, parameters=None, timeout=None):
    """The Newton polyhedron of g at ``point`` (translate, expand, take the support).

    Parameters
    ----------
    g : str, sympy.Expr or Energy
        The function; it must vanish at the point.
    point : sequence or str, optional
        Default the origin (or the Energy's point).
    variables : str or sequence, optional
        Variable order (docs/conventions.md#functions-points-and-variables).
    parameters : str or dict, optional
        Parameter values, as for :class:`Energy`.
    timeout : float, optional
        Time limit in seconds.

    Raises
    ------
    NotZeroError
        If g does not vanish at the point.
    TimeLimitError
        If the time limit passes.

    Examples
    --------
    >>> P = sg.newton_polyhedron("x**2*y**2")
    >>> P
    NewtonPolyhedron(variables=(x, y), vertices=((2, 2),), newton_distance=2, codimension=2)
    >>> sg.newton_polyhedron("x**2 + y**4").newton_distance
    4/3
    """
    deadline = Deadline.coerce(timeout)
    with guard(deadline, "Newton polyhedron"):
        energy = as_energy(g, point, variables=variables, parameters=parameters)
        terms = local_terms(energy, timeout=deadline)
        return polyhedron_from_terms(energy.variables, terms, timeout=deadline)


def polyhedron_from_terms(variables, terms, *, timeout=None):
    """The Newton polyhedron of the polynomial with ``terms`` ``{exponent: coefficient}``.

    Examples
    --------
    >>> from singularities.polyhedra.newton import polyhedron_from_terms
    >>> polyhedron_from_terms(sympy.symbols("x y"), {(3, 0): 1, (1, 1): 2, (0, 3): 1}).newton_distance
    1
    """
    deadline = Deadline.coerce(timeout)
    with guard(deadline, "Newton polyhedron"):
        n = len(variables)
        support = tuple(terms)
        minimal = _minimal_points(support)
        facets = _facets(minimal, n, deadline)
        vertices = tuple(
            sorted(v for v in minimal if _rank([f.normal for f in facets if f.evaluate(v) == f.offset]) == n)
        )
        distance = max(sympy.Rational(f.offset, sum(f.normal)) for f in facets)
        tight = [i for i, f in enumerate(facets) if distance * sum(f.normal) == f.offset]
        principal = _intersection(tight, vertices, facets, support, n)
        return NewtonPolyhedron(
            variables=tuple(variables),
            terms=tuple(terms.items()),
            vertices=vertices,
            facets=facets,
            newton_distance=distance,
            principal_face=principal,
            codimension=n - principal.dimension,
        )


def _minimal_points(points):
    """Drop duplicates and points that dominate another point coordinatewise (they lie in its orthant)."""
    unique = sorted(set(points), key=lambda p: (sum(p), p))
    kept = []
    for p in unique:
        if not any(all(a <= b for a, b in zip(q, p)) for q in kept):
            kept.append(p)
    return kept


def _facets(points, n, deadline):
    """Facets of conv(points) + R^n_+ by the double description method on its homogenisation.

    The cone {(y0, a) : a >= 0, y0 + a.v >= 0 for every point v} is the set of
    valid inequalities a.x >= -y0; its extreme rays with a != 0 are the facets.
    """
    rows = [(0,) + tuple(int(i == j) for j in range(n)) for i in range(n)]
    rows += [(1,) + tuple(p) for p in points]
    first = points[0]
    rays = [(-first[i],) + tuple(int(i == j) for j in range(n)) for i in range(n)] + [(1,) + (0,) * n]
    zero_sets = [_zero_set(r, rows[: n + 1]) for r in rays]
    for k in range(n + 1, len(rows)):
        deadline.check("facets of the Newton polyhedron", k, len(rows))
        rays, zero_sets = _add_constraint(rows[k], k, rays, zero_sets, n + 1)
    facets = [Facet(tuple(r[1:]), -r[0]) for r in rays if any(r[1:])]
    return tuple(sorted(facets, key=lambda f: (-f.offset, f.normal)))


def _add_constraint(row, index, rays, zero_sets, d):
    values = [_dot(row, r) for r in rays]
    positive = [i for i, v in enumerate(values) if v > 0]
    negative = [i for i, v in enumerate(values) if v < 0]
    new_rays = [r for r, v in zip(rays, values) if v >= 0]
    new_sets = [z | (1 << index if v == 0 else 0) for z, v in zip(zero_sets, values) if v >= 0]
    for p in positive:
        for q in negative:
            common = zero_sets[p] & zero_sets[q]
            if common.bit_count() < d - 2 or not _adjacent(common, p, q, zero_sets):
                continue
            ray = _primitive(tuple(values[p] * b - values[q] * a for a, b in zip(rays[p], rays[q])))
            new_rays.append(ray)
            new_sets.append(common | (1 << index))
    return new_rays, new_sets


def _adjacent(common, p, q, zero_sets):
    return not any(s & common == common for i, s in enumerate(zero_sets) if i != p and i != q)


def _zero_set(ray, rows):
    return sum(1 << i for i, row in enumerate(rows) if _dot(row, ray) == 0)


def _faces(vertices, facets, support, n, deadline, compact_only=False):
    """All faces (or only the compact ones), found by intersecting faces with facets; a face is a bitmask of
    its vertices and directions.

    Bit i < len(vertices) stands for vertex i, bit len(vertices) + k for the direction e_k.
    """
    shift = len(vertices)
    masks = [_facet_mask(f, vertices, shift) for f in facets]
    seen, frontier = set(), set(masks)
    while frontier:
        deadline.check("faces of the Newton polyhedron", len(seen))
        seen |= frontier
        frontier = {face & m for face in frontier for m in masks if face & m != face and face & ((1 << shift) - 1)}
        frontier = {f for f in frontier if f & ((1 << shift) - 1)} - seen
    point_sets = [frozenset(p for p in support if f.evaluate(p) == f.offset) for f in facets]
    if compact_only:  # a compact face has no recession direction
        seen = {mask for mask in seen if not mask >> shift}
    faces = [_face_from_mask(mask, vertices, masks, point_sets, n) for mask in seen]
    return tuple(sorted(faces, key=lambda f: (f.dimension, f.vertices, f.directions)))


def _facet_mask(facet, vertices, shift):
    mask = sum(1 << i for i, v in enumerate(vertices) if facet.evaluate(v) == facet.offset)
    return mask | sum(1 << (shift + k) for k, a in enumerate(facet.normal) if a == 0)


def _face_from_mask(mask, vertices, masks, point_sets, n):
    shift = len(vertices)
    on_face = [v for i, v in enumerate(vertices) if mask >> i & 1]
    directions = tuple(k for k in range(n) if mask >> (shift + k) & 1)
    containing = tuple(j for j, m in enumerate(masks) if m & mask == mask)
    points = tuple(sorted(frozenset.intersection(*(point_sets[j] for j in containing))))
    return Face(tuple(on_face), directions, points, containing, _face_dimension(on_face, directions, n))


def _face_dimension(on_face, directions, n):
    spanning = [tuple(a - b for a, b in zip(v, on_face[0])) for v in on_face[1:]]
    spanning += [tuple(int(i == k) for k in range(n)) for i in directions]
    return _rank(spanning)


def _intersection(facet_indices, vertices, facets, support, n):
    """The face cut out by the given facets (which must meet)."""
    chosen = [facets[j] for j in facet_indices]
    on_face = [v for v in vertices if all(f.evaluate(v) == f.offset for f in chosen)]
    directions = tuple(k for k in range(n) if all(f.normal[k] == 0 for f in chosen))
    containing = tuple(
        j
        for j, f in enumerate(facets)
        if all(f.evaluate(v) == f.offset for v in on_face) and all(f.normal[k] == 0 for k in directions)
    )
    points = tuple(sorted(p for p in support if all(facets[j].evaluate(p) == facets[j].offset for j in containing)))
    return Face(tuple(on_face), directions, points, containing, _face_dimension(on_face, directions, n))


def _contains(big, small):
    return set(small.vertices) <= set(big.vertices) and set(small.directions) <= set(big.directions)


def _rank(vectors):
    """Rank of integer vectors by fraction-free elimination."""
    rows = [list(v) for v in vectors if any(v)]
    rank = 0
    columns = len(rows[0]) if rows else 0
    for column in range(columns):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][column]), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        top = rows[rank]
        for r in range(rank + 1, len(rows)):
            factor = rows[r][column]
            if factor:
                rows[r] = [top[column] * x - factor * y for x, y in zip(rows[r], top)]
        rank += 1
    return rank


def _dot(u, v):
    return sum(a * b for a, b in zip(u, v))


def _primitive(vector):
    divisor = reduce(gcd, vector)
    return tuple(x // divisor for x in vector) if divisor > 1 else vector


def _monomial(variables, exponent):
    return sympy.Mul(*(v**e for v, e in zip(variables, exponent)))


def _tuple_text(values):
    return "(" + ", ".join(map(str, values)) + ")"


def _facet_text(facet, variables):
    terms = [f"{a}*{v}" if a != 1 else str(v) for a, v in zip(facet.normal, variables) if a]
    return " + ".join(terms) + f" >= {facet.offset}"


def _face_text(face):
    kind = "compact" if face.compact else "non-compact"
    return f"dimension {face.dimension}, {kind}, vertices " + " ".join(_tuple_text(v) for v in face.vertices)
