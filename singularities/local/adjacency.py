"""Adjacencies of the simple and parabolic singularities (and witnessed ones beyond), a citation on every edge.

An edge u -> v of :func:`adjacency_graph` says that u deforms into v:
arbitrarily small perturbations of a germ of type u have a critical point of
type v (v is adjacent to u).  Only immediate adjacencies are edges; the rest
is the transitive closure (:func:`deforms_into`).  Types are taken over C,
without real forms: which real forms deform into which is not recorded.
Sources and the checks in tests/test_adjacency.py: docs/normal_forms.md#adjacency.

References
----------
Arnold 1972: Normal forms of functions near degenerate critical points, the
Weyl groups A_k, D_k, E_k and Lagrangian singularities, Funct. Anal. Appl. 6,
254-272.  Lyashko 1976: Decompositions of simple singularities of functions,
Funct. Anal. Appl. 10, 122-128.  Arnold 1974: Normal forms of functions in
neighbourhoods of degenerate critical points, Russian Math. Surveys 29:2,
10-50.  Gabrielov 1974: Dynkin diagrams of unimodal singularities, Funct.
Anal. Appl. 8, 192-196 (the Milnor lattice of P8, X9, J10 modulo its radical
is E6, E7, E8, so only root subsystems of these can split off).  Brieskorn
1979: Die Hierarchie der 1-modularen Singularitaeten, Manuscripta Math. 27,
183-219.  Arnold,
Gusein-Zade, Varchenko, Singularities of Differentiable Maps I (1985).
"""

from dataclasses import dataclass

import networkx as nx

from .._limits import Deadline, guard
from .._result import Result, register
from ..errors import InputError
from .normal_forms import normal_form, parse_label, real_forms, type_text

__all__ = ["Adjacency", "adjacency", "adjacency_graph", "deforms_into"]

_DYNKIN = "Dynkin subdiagram rule (Arnold 1972; Lyashko 1976)"
_PARABOLIC = "Arnold 1974; Arnold, Gusein-Zade, Varchenko I (1985)"
_WITNESS = "explicit deformation {witness} of {source} (tests/test_adjacency.py); lattice bound (Gabrielov 1974)"
_UNIMODAL_EDGES = (
    ("P8", "E6", _PARABOLIC),
    ("X9", "E7", _PARABOLIC),
    ("X9", "A7", _WITNESS.format(witness="(y - x**2)**2 - y**4", source="x**4 - y**4")),
    ("J10", "E8", _PARABOLIC),
    ("J10", "D8", _WITNESS.format(witness="x**3 - 3*x*y**2*(1 + y**2) + 2*y**3 + 3*y**5", source="x**3 - 3*x*y**4")),
    ("J10", "A8", _WITNESS.format(witness="x**3 - 3*x*(1 + 2*y**3) + 2 + 6*y**3 + 3*y**6", source="x**3 + 3*y**6")),
)

_BEYOND = (
    "explicit deformation {witness} of {source}: terms of weighted degree < 1 for {source}'s weights "
    "(tests/test_adjacency.py; Brieskorn 1979)"
)
_CHAIN = "T(p,q,r) -> T(p,q,r-1): {witness} at every small t != 0 (tests/test_adjacency.py; Brieskorn 1979)"
_BEYOND_EDGES = {
    "E12": ("J11", "x**3 + y**7 + x**2*y**2"),
    "E13": ("E12", "x**3 + x*y**5 + y**7"),
    "E14": ("E13", "x**3 + y**8 + x*y**5"),
    "Z11": ("X10", "x**3*y + y**5 + x**2*y**2"),
    "Z12": ("Z11", "x**3*y + x*y**4 + y**5"),
    "Z13": ("Z12", "x**3*y + y**6 + x*y**4"),
    "W12": ("Z11", "x**4 + y**5 + x**3*y"),
    "W13": ("W12", "x**4 + x*y**4 + y**5"),
    "Q10": ("P9", "x**3 + y**4 + y*z**2 + x*y*z"),
    "Q11": ("Q10", "x**3 + y**2*z + x*z**3 + z**4"),
    "Q12": ("Q11", "x**3 + y**5 + y*z**2 + x*y**3"),
    "S11": ("Q10", "x**4 + y**2*z + x*z**2 + y**3"),
    "S12": ("S11", "x**2*y + y**2*z + x*z**3 + z**4"),
    "U12": ("S11", "x**3 + y**3 + z**4 + (x + y)**2*z"),
}
"""Adjacencies of the unimodal types beyond X9, J10, P8 with an explicit deformation each (the source's normal
form at a = 0 plus terms of weighted degree < 1): immediate, since the Milnor numbers differ by 1.  Not every
adjacency of these types is listed, so below them :func:`deforms_into` is a subset (``Adjacency.complete`` is
False)."""
_T_SERIES = {"J": (10, "x**3 + x**2*y**2 + y**{r} + t*y**{s}"), "X": (9, "x**4 + x**2*y**2 + y**{r} + t*y**{s}")}
_T_SERIES["P"] = (8, "x**3 + y**3 + x*y*z + z**{r} + t*z**{s}")


@register("adjacency")
@dataclass(frozen=True, slots=True)
class Adjacency(Result):
    """The types a type deforms into (docs/normal_forms.md#adjacency).

    Attributes
    ----------
    label : str
        The type, without real form (e.g. "E8").
    deforms_into : tuple of str
        Every type it deforms into, sorted by (Milnor number, label).
    edges : tuple of (str, str, str)
        The immediate adjacencies (u, v, source) among ``label`` and
        ``deforms_into``: the Hasse diagram below ``label``.
    complete : bool
        False below a unimodal type beyond X9, J10, P8: only the adjacencies
        with an explicit deformation are known here, so ``deforms_into`` is a
        subset of the truth.
    """

    label: str
    deforms_into: tuple
    edges: tuple
    complete: bool = True

    def to_rows(self):
        return ("deforms", "into", "source"), [tuple(edge) for edge in self.edges]

    def to_dict(self):
        return {
            "kind": "adjacency",
            "label": self.label,
            "deforms_into": list(self.deforms_into),
            "edges": [{"from": u, "to": v, "source": source} for u, v, source in self.edges],
            "complete": self.complete,
        }

    @classmethod
    def from_dict(cls, data):
        """Rebuild the result from :meth:`to_dict` output."""
        edges = tuple((e["from"], e["to"], e["source"]) for e in data["edges"])
        return cls(data["label"], tuple(data["deforms_into"]), edges, data.get("complete", True))


def adjacency_graph(max_index=8, *, timeout=None):
    """The adjacency DiGraph of the simple types with Milnor number <= ``max_index`` and of X9, J10, P8.

    Nodes are type labels without real form ("A1", ..., "E8", "X9", "J10",
    "P8") with attributes ``milnor_number`` and ``modality``; an edge u -> v
    (attribute ``source``) says that u deforms into v, and only immediate
    adjacencies are edges.  A unimodal type is a node only when every simple
    type it is immediately adjacent to is (``max_index`` >= 8 for J10, >= 7
    for X9, >= 6 for P8).  No unimodal type here deforms into another: P8
    has corank 3 and mu 8 < 9, and J10 has a non-zero 3-jet, which stays
    non-zero nearby, while X9 needs a zero one.

    Examples
    --------
    >>> from singularities.local.adjacency import adjacency_graph
    >>> G = adjacency_graph()
    >>> sorted(G.successors("E7")), G.nodes["J10"]["milnor_number"]
    (['A6', 'D6', 'E6'], 10)
    """
    deadline = Deadline.coerce(timeout)
    graph = nx.DiGraph()
    for count, label in enumerate(_simple_types(max_index)):
        deadline.check("adjacency graph: types", count)
        # a simple type X_k has Milnor number k and modality 0 (Arnold 1972); no normal form needs building
        graph.add_node(label, milnor_number=int(label[1:]), modality=0)
    for count, (u, v) in enumerate(_simple_edges(max_index)):
        deadline.check("adjacency graph: edges", count)
        graph.add_edge(u, v, source=_DYNKIN)
    for u, v, source in _UNIMODAL_EDGES:
        if all(target in graph for w, target, _ in _UNIMODAL_EDGES if w == u):
            _add_node(graph, u)
            graph.add_edge(u, v, source=source)
    return graph


def deforms_into(label, max_index=8, *, timeout=None):
    """Every type that ``label`` deforms into, sorted by (Milnor number, label).

    A real-form suffix is ignored ("D4-" is read as "D4"); the graph grows
    beyond ``max_index`` when the label needs it.  Below a unimodal type
    beyond X9, J10, P8 (E12, Z11, J11, ...) only the adjacencies with an
    explicit deformation are known, so the answer is then a subset
    (:attr:`Adjacency.complete` is False).

    Raises
    ------
    ValueError
        For a label that is not a type of the table (docs/normal_forms.md).

    Examples
    --------
    >>> from singularities.local.adjacency import deforms_into
    >>> deforms_into("D5-")
    ('A1', 'A2', 'A3', 'A4', 'D4')
    """
    deadline = Deadline.coerce(timeout)
    with guard(deadline, "adjacencies"):
        type_label, graph = _graph_for(label, max_index, deadline)
        return _sorted(graph, nx.descendants(graph, type_label))


def adjacency(label, max_index=8, *, timeout=None):
    """:func:`deforms_into` with the immediate adjacencies and their sources, as a result object.

    The graph below A_k or D_k has about 2k nodes; ``timeout`` (seconds)
    bounds the time for a large k (``adjacency("A100000")`` takes seconds).

    Examples
    --------
    >>> from singularities.local.adjacency import adjacency
    >>> print(adjacency("D4+"))
    deforms  into  source
    -------  ----  --------------------------------------------------
    D4       A3    Dynkin subdiagram rule (Arnold 1972; Lyashko 1976)
    A3       A2    Dynkin subdiagram rule (Arnold 1972; Lyashko 1976)
    A2       A1    Dynkin subdiagram rule (Arnold 1972; Lyashko 1976)
    """
    deadline = Deadline.coerce(timeout)
    with guard(deadline, "adjacencies"):
        type_label, graph = _graph_for(label, max_index, deadline)
        below = _sorted(graph, nx.descendants(graph, type_label))
        deadline.check("adjacencies: sorting the edges")
        mu = {v: graph.nodes[v]["milnor_number"] for v in (type_label,) + below}
        edges = [(u, v, data["source"]) for u in mu for v, data in graph.adj[u].items() if v in mu]
        edges.sort(key=lambda e: (-mu[e[0]], e[0], -mu[e[1]], e[1]))
        return Adjacency(type_label, below, tuple(edges), not graph.graph.get("partial", False))


def _graph_for(label, max_index, deadline):
    family, index, real_form = parse_label(label)
    forms = real_forms(family, index)  # raises InputError for an unknown type
    if real_form is not None:
        normal_form(family, index, real_form)
    type_label = _node_label(family, index, real_form, forms)
    needed = 8 if forms[0].modality else index
    base = max(max_index, min(needed, 8))
    graph = adjacency_graph(base, timeout=deadline)
    _extend_chain(graph, family, base, needed, deadline)
    if type_label not in graph:
        _add_beyond(graph, type_label, deadline)
    return type_label, graph


def _add_beyond(graph, label, deadline):
    """Add ``label`` and the witnessed adjacencies below it (:data:`_BEYOND_EDGES`, the T series chains)."""
    stack = [label]
    while stack:
        u = stack.pop()
        deadline.check("adjacency graph: unimodal types", len(graph))
        targets = _y_targets(u) if u.startswith("Y[") else _t_targets(u) if u[0] in "RT" else [_beyond_target(u)]
        if None in targets and u != label and u in _SERIES_BOTTOMS:
            targets = []  # reached from its series: a node without tabulated edges below it (complete is False)
        if None in targets:
            raise InputError(f"the adjacencies of {label} are not tabulated; see docs/normal_forms.md#adjacency")
        if u not in graph:
            _add_node(graph, u)
        for v, source in targets:
            if v not in graph:
                _add_node(graph, v)
                stack.append(v)
            graph.add_edge(u, v, source=source)
    graph.graph["partial"] = True


def _y_targets(label):
    """Y(r,s) = T(2,4+r,4+s) -> T(2,3+r,4+s) and T(2,4+r,3+s): Y(r-1,s) / Y(r,s-1), or X_{9+k} = T(2,4,4+k) at 0.

    Witness: x^2 y^2 + x^(4+r) + y^(4+s) + t x^(3+r) (resp. t y^(3+s)): at small t != 0 the lower power takes
    over on its Newton edge (T(p,q,r) -> T(p,q,r-1), Brieskorn 1979; AGZV I, 16).
    """
    _, (r, s), _ = parse_label(label)
    targets = []
    for lowered, kept, power in ((r, s, "x**{p}"), (s, r, "y**{p}")):
        a, b = lowered - 1, kept
        name = f"X{9 + b}" if a == 0 else type_text("Y", (a, b))
        base = f"x**2*y**2 + x**{4 + r} + y**{4 + s}"
        witness = f"{base} + t*{power.format(p=3 + lowered)}"
        if all(name != t for t, _ in targets):
            targets.append((name, _T_CHAIN.format(witness=witness)))
    return targets


def _beyond_target(label):
    family, index, _ = parse_label(label)
    if isinstance(index, tuple):
        return _series_target(family, index)
    if label in _BEYOND_EDGES:
        target, witness = _BEYOND_EDGES[label]
        return target, _BEYOND.format(witness=witness, source=label)
    if family in _T_SERIES and index > _T_SERIES[family][0]:
        bottom, pattern = _T_SERIES[family]
        r = index - bottom + {"J": 6, "X": 4, "P": 3}[family]
        return f"{family}{index - 1}", _CHAIN.format(witness=pattern.format(r=r, s=r - 1))
    return None


# --- the bimodal series J[3,p], Z[1,p], W[1,p], W#[1,q]: each member deforms into the one below it ---------------
_SERIES_BOTTOMS = ("J[3,0]", "Z[1,0]", "W[1,0]")
_SERIES_CHAIN = (
    "explicit deformation {witness} of {source}: at every small t != 0 the lower term decides the step of the "
    "determinator, one Milnor number lower (tests/test_adjacency.py; AGZV I, 16.2)"
)
_SERIES_WITNESSES = {
    "J": "x**3 + x**2*y**3 + y**{top} + t*y**{low}",
    "Z": "x**3*y + x**2*y**3 + y**{top} + t*y**{low}",
    "W": "x**4 + x**2*y**3 + y**{top} + t*y**{low}",
}
_SERIES_BASE = {"J": 9, "Z": 7, "W": 6}


def _series_target(family, index):
    """J[3,p] -> J[3,p-1], Z[1,p] -> Z[1,p-1], W[1,p] -> W[1,p-1] (the vertex y^(base+p) lowered by one),
    W#[1,2r] -> W#[1,2r-1] -> W#[1,2r-2], W#[1,1] -> W[1,0]; None at J[3,0], Z[1,0], W[1,0]."""
    first, p = index
    if family in _SERIES_WITNESSES and p >= 1:
        top = _SERIES_BASE[family] + p
        witness = _SERIES_WITNESSES[family].format(top=top, low=top - 1)
        source = type_text(family, index)
        return type_text(family, (first, p - 1)), _SERIES_CHAIN.format(witness=witness, source=source)
    if family != "W#":
        return None
    r = (p + 1) // 2
    if p % 2 == 0:  # (x^2 + y^3)^2 + x^2 y^(3+r) + t x y^(4+r): order 11 + 2r < 12 + 2r on the cusp
        witness = f"(x**2 + y**3)**2 + x**2*y**{3 + r} + t*x*y**{4 + r}"
    else:  # (x^2 + y^3)^2 + x y^(4+r) + t x^2 y^(2+r): order 10 + 2r; for r = 1 the weighted part x^4 + (2 + t) ...
        witness = f"(x**2 + y**3)**2 + x*y**{4 + r} + t*x**2*y**{2 + r}"
    target = type_text("W", (1, 0)) if p == 1 else type_text("W#", (1, p - 1))
    return target, _SERIES_CHAIN.format(witness=witness, source=type_text("W#", index))


def _extend_chain(graph, family, base, index, deadline):
    """Add A_k (and D_k for a D label) for base < k <= index: all that lies below A_index or D_index.

    Below A_k lie only A_j, below D_k only D_j and A_j (Dynkin subdiagrams), so
    a label of large index does not need the whole graph up to its index.
    """
    for k in range(base + 1, index + 1):
        deadline.check("adjacency graph: a long chain", k, index)
        for name in ("A", "D") if family == "D" else ("A",):
            graph.add_node(f"{name}{k}", milnor_number=k, modality=0)
        graph.add_edge(f"A{k}", f"A{k - 1}", source=_DYNKIN)
        if family == "D":
            graph.add_edge(f"D{k}", f"D{k - 1}", source=_DYNKIN)
            graph.add_edge(f"D{k}", f"A{k - 1}", source=_DYNKIN)


def _simple_types(max_index):
    return (
        [f"A{k}" for k in range(1, max_index + 1)]
        + [f"D{k}" for k in range(4, max_index + 1)]
        + [f"E{k}" for k in (6, 7, 8) if k <= max_index]
    )


def _simple_edges(max_index):
    """The covering relations of Dynkin-subdiagram inclusion among A_k, D_k, E_k."""
    edges = [(f"A{k}", f"A{k - 1}") for k in range(2, max_index + 1)]
    edges += [(f"D{k}", f"D{k - 1}") for k in range(5, max_index + 1)]
    edges += [(f"D{k}", f"A{k - 1}") for k in range(4, max_index + 1)]
    for k in (6, 7, 8):
        if k <= max_index:
            edges += [(f"E{k}", f"{family}{k - 1}") for family in ("E", "D", "A") if (family, k) != ("E", 6)]
    return edges


def _add_node(graph, label):
    form = real_forms(label)[0]
    graph.add_node(label, milnor_number=form.milnor_number, modality=form.modality)


def _sorted(graph, labels):
    nodes = graph.nodes
    return tuple(sorted(labels, key=lambda v: (nodes[v]["milnor_number"], v)))


# R_(p,q) = T(3,p,q) and T(p,q,r) (corank 3): nodes keyed by the full label, R12(4,6) and R12(5,5) being different
# types with the same Milnor number.  An edge lowers one index by 1 (T(p,q,r) -> T(p,q,r-1), Brieskorn 1979;
# AGZV I, 16), each with its witness: a T(p,q,3) is R, a T(3,3,r) is P_{r+5}, and R's 3 lowered to 2 leaves
# corank 2: T(2,4,4+k) = X_{9+k}, T(2,4+r,4+s) = Y[r,s].
_T_WITNESS = "x**{p} + y**{q} + z**{r} + x*y*z"
_T_CHAIN = (
    "T(p,q,r) -> T(p,q,r-1), any index: {witness} at every small t != 0 (tests/test_classify_corank3_bimodal.py; "
    "Brieskorn 1979)"
)


def _node_label(family, index, real_form, forms):
    """The graph node of a label: the type, or for R and T the type with its indices (R12(4,6), R12(5,5))."""
    if family in ("R", "T"):
        return normal_form(family, index, real_form).label
    return forms[0].type


def _t_targets(label):
    """T(p,q,r) (R_(p,q) = T(3,p,q)) -> each T with one index lowered by 1, with its witness (module notes)."""
    _, _, indices = parse_label(label)
    triple = tuple(int(i) for i in indices.split(","))
    triple = (3, *triple) if label[0] == "R" else triple
    base = _T_WITNESS.format(p=triple[0], q=triple[1], r=triple[2])
    targets = []
    for position, power in enumerate(triple):
        lowered = tuple(sorted(triple[:position] + (power - 1,) + triple[position + 1 :]))
        name = _t_name(lowered)
        if name is None or any(name == t for t, _ in targets):
            continue
        witness = f"{base} + t*{'xyz'[position]}**{power - 1}"
        targets.append((name, _CHAIN.format(witness=witness)))
    return targets


def _t_name(triple):
    """The type of T(p,q,r), p <= q <= r, 1/p + 1/q + 1/r < 1 (None below the hyperbolic range: not an edge here)."""
    p, q, r = triple
    if p >= 4:
        return f"T{p + q + r - 1}({p},{q},{r})"
    if p == 3 and q >= 4:
        return f"R{p + q + r - 1}({q},{r})"
    if p == 3 and q == 3 and r >= 4:
        return f"P{p + q + r - 1}"
    if p == 2 and q == 4:
        return f"X{r + 5}"
    if p == 2 and q >= 5:
        return type_text("Y", (q - 4, r - 4))
    return None
