"""The adjacency graph against independent oracles.

Simple types: X deforms into Y iff the Dynkin diagram of Y is a subdiagram
of that of X (Grothendieck, Lyashko); the diagrams are built here as trees
T(p, q, r) and compared by subgraph isomorphism, independently of the edge
list in singularities/adjacency.py.  Parabolic types: the simple types
adjacent to P8, X9, J10 are those whose diagrams embed in the extended
diagrams E6~ = T(3,3,3), E7~ = T(2,4,4), E8~ = T(2,3,6) (necessity: the
Milnor lattice modulo its radical is E6, E7, E8; sufficiency of the maximal
ones: the explicit deformations checked below).
"""

import json
import re

import networkx as nx
import pytest
import sympy
from networkx.algorithms.isomorphism import GraphMatcher

from singularities.local.adjacency import (
    _BEYOND_EDGES,
    Adjacency,
    _beyond_target,
    _y_targets,
    adjacency,
    adjacency_graph,
    deforms_into,
)
from singularities.local.classify import classify
from singularities.local.normal_forms import MODULUS, parse_label, real_forms

x, y = sympy.symbols("x y")
UNIMODAL = ("X9", "J10", "P8")


def _tree(p, q, r):
    """The star T(p, q, r): a centre with arms of p - 1, q - 1 and r - 1 further nodes."""
    tree, count = nx.Graph(), 1
    tree.add_node(0)
    for arm in (p, q, r):
        previous = 0
        for _ in range(arm - 1):
            tree.add_edge(previous, count)
            previous, count = count, count + 1
    return tree


def _diagram(label):
    family, index = label[0], int(label[1:])
    if label in UNIMODAL:
        return _tree(*{"P8": (3, 3, 3), "X9": (2, 4, 4), "J10": (2, 3, 6)}[label])  # the extended diagrams
    arms = {"A": (1, 1, index), "D": (2, 2, index - 2), "E": (2, 3, index - 3)}[family]
    return _tree(*arms)


def _embeds(small, large):
    return GraphMatcher(_diagram(large), _diagram(small)).subgraph_is_isomorphic()


@pytest.mark.parametrize("max_index", [5, 6, 7, 8, 10])
def test_simple_closure_is_the_dynkin_subdiagram_order(max_index):
    graph = adjacency_graph(max_index)
    simple = [v for v in graph if v not in UNIMODAL]
    assert all(_diagram(v).number_of_nodes() == graph.nodes[v]["milnor_number"] for v in simple)
    for large in simple:
        below = nx.descendants(graph, large)
        for small in simple:
            if small != large:
                assert (small in below) == _embeds(small, large), (large, small)


@pytest.mark.parametrize("max_index", [8, 10])
@pytest.mark.parametrize("label", UNIMODAL)
def test_parabolic_types_deform_into_the_subdiagrams_of_their_extended_diagram(label, max_index):
    graph = adjacency_graph(max_index)
    below = nx.descendants(graph, label)
    expected = {v for v in graph if v not in UNIMODAL and _embeds(v, label)}
    assert below == expected
    assert not below & set(UNIMODAL)


def test_graph_is_acyclic_and_every_edge_lowers_mu_and_keeps_modality():
    graph = adjacency_graph(10)
    assert nx.is_directed_acyclic_graph(graph)
    for u, v, source in graph.edges(data="source"):
        assert graph.nodes[u]["milnor_number"] > graph.nodes[v]["milnor_number"]
        assert graph.nodes[u]["modality"] >= graph.nodes[v]["modality"]
        assert source


def test_edges_are_immediate():
    graph = adjacency_graph(10)
    assert nx.transitive_reduction(graph).edges == graph.edges


def test_node_attributes_come_from_the_normal_forms():
    graph = adjacency_graph()
    simple = {f"A{k}" for k in range(1, 9)} | {f"D{k}" for k in range(4, 9)} | {"E6", "E7", "E8"}
    assert set(graph) == simple | set(UNIMODAL)
    for label, data in graph.nodes(data=True):
        for form in real_forms(label):
            assert (data["milnor_number"], data["modality"]) == (form.milnor_number, form.modality)


def test_every_simple_type_deforms_into_a1():
    for label in adjacency_graph(10):
        if label != "A1":
            assert "A1" in deforms_into(label, 10)
    assert deforms_into("A1+") == ()


def test_e8_deforms_into_everything_of_its_diagram():
    below = deforms_into("E8")
    assert {"E7", "E6", "D7", "D6", "D5", "D4", "A7"} <= set(below)
    assert {f"A{k}" for k in range(1, 8)} <= set(below)
    assert "A8" not in below and "D8" not in below
    mu = [real_forms(v)[0].milnor_number for v in below]
    assert mu == sorted(mu)


def test_real_form_suffixes_are_stripped():
    assert deforms_into("D4-") == deforms_into("D4+") == deforms_into("D4") == ("A1", "A2", "A3")
    assert deforms_into("X9(0+)") == deforms_into("X9")
    assert deforms_into("A12") == tuple(f"A{k}" for k in range(1, 12))


@pytest.mark.parametrize(
    "label, message",
    [
        ("Q13", "unknown type"),
        ("D3", "unknown type"),
        ("E9", "unknown type"),
        ("D4*", "cannot read"),
        ("X9(5)", "no real form"),
        ("A0", "unknown type"),
    ],
)
def test_unknown_labels_are_refused(label, message):
    with pytest.raises(ValueError, match=message):
        deforms_into(label)
    with pytest.raises(ValueError, match=message):
        adjacency(label)


def test_adjacency_result():
    result = adjacency("E6-")
    assert result.label == "E6" and result.deforms_into == deforms_into("E6")
    assert ("E6", "D5") in {(u, v) for u, v, _ in result.edges} and ("E6", "A5") in {(u, v) for u, v, _ in result.edges}
    assert {v for _, v, _ in result.edges} == set(result.deforms_into)
    data = json.loads(result.to_json())
    assert data["kind"] == "adjacency" and data["deforms_into"][0] == "A1"
    assert Adjacency.from_dict(data) == result
    assert str(result).splitlines()[0].split() == ["deforms", "into", "source"]


# Members of the unfoldings: (function, its point, the type it deforms from, the type it has at the point).
WITNESSES = [
    ((y - x**2) ** 2 - y**4, (0, 0), "X9", "A7"),
    (x**3 + x * y**3 + x**4, (0, 0), "X9", "E7"),
    (x**3 - 3 * x * y**2 * (1 + y**2) + 2 * y**3 + 3 * y**5, (0, 0), "J10", "D8"),
    (x**3 - 3 * x * (1 + 2 * y**3) + 2 + 6 * y**3 + 3 * y**6, (1, 0), "J10", "A8"),
    (x**3 + y**5 + y**6, (0, 0), "J10", "E8"),
    ((x + y**2) ** 2 + x**3, (0, 0), "E6", "A5"),
]
WEIGHTS = {
    "X9": (sympy.Rational(1, 4), sympy.Rational(1, 4)),
    "J10": (sympy.Rational(1, 3), sympy.Rational(1, 6)),
    "E6": (sympy.Rational(1, 3), sympy.Rational(1, 4)),
}


_SHEAR = sympy.Rational(3, 7)


def _local_milnor_number(f, shear=_SHEAR):
    """mu of f at the origin = intersection number of f_x, f_y there, as the y-order of a resultant.

    After the shear y -> y + c*x both partials have constant leading coefficients
    in x, and the origin is their only common zero on y = 0, so the order of
    Res_x(f_x, f_y) at y = 0 is the local intersection number (Fulton, Algebraic Curves, 1.6).
    """
    g = sympy.expand(f.subs(y, y + shear * x))
    gx, gy = (sympy.Poly(g.diff(v), x) for v in (x, y))
    assert all(p.LC().is_number and p.LC() != 0 for p in (gx, gy))
    common = sympy.gcd(gx.as_expr().subs(y, 0), gy.as_expr().subs(y, 0))
    assert sympy.Poly(common, x).monoms() == [(sympy.Poly(common, x).degree(),)]  # c * x^m: only the origin
    resultant = sympy.Poly(sympy.resultant(gx.as_expr(), gy.as_expr(), x), y)
    return min(m[0] for m in resultant.monoms())


def _local_type(f):
    """A_k, D_k or E_k of f at the origin, from the corank, the cubic part and mu (Arnold's determinator)."""
    mu = _local_milnor_number(f)
    poly = sympy.Poly(f, x, y)
    assert poly.coeff_monomial(1) == 0 and poly.coeff_monomial(x) == 0 and poly.coeff_monomial(y) == 0
    rank = sympy.hessian(f, (x, y)).subs({x: 0, y: 0}).rank()
    if rank == 1:
        return f"A{mu}"
    assert rank == 0
    cubic = sum(c * x**i * y**j for (i, j), c in poly.terms() if i + j == 3)
    multiplicities = tuple(sorted(e for _, e in sympy.factor_list(cubic)[1]))
    return {(1, 2): "D", (3,): "E"}[multiplicities] + str(mu)  # a double line: D_mu; a triple line: E_mu


@pytest.mark.parametrize("f, point, source, target", WITNESSES, ids=[f"{w[2]}->{w[3]}" for w in WITNESSES])
def test_explicit_deformations(f, point, source, target):
    # f's quasi-homogeneous principal part is of type ``source``, every other term has weighted degree < 1,
    # so s * f(s^-w1 x, s^-w2 y) -> principal part as s -> 0 while keeping a ``target`` point near 0.
    w = WEIGHTS[source]
    degree = lambda m: m[0] * w[0] + m[1] * w[1]  # noqa: E731
    terms = sympy.Poly(f, x, y).terms()
    assert all(degree(m) <= 1 for m, _ in terms)
    principal = sum(c * x**i * y**j for (i, j), c in terms if degree((i, j)) == 1)
    assert _local_milnor_number(principal) == real_forms(source)[0].milnor_number  # isolated, so of type source
    local = sympy.expand(f.subs({x: x + point[0], y: y + point[1]}, simultaneous=True))
    assert _local_type(local - local.subs({x: 0, y: 0})) == target
    assert target in deforms_into(source)


# --- beyond the parabolic types: witnessed adjacencies ------------------------------------------------------


@pytest.mark.parametrize("source", sorted(_BEYOND_EDGES))
def test_each_exceptional_witness_deforms_the_normal_form_into_the_target(source):
    # the witness is the source's normal form at a = 0 plus monomials of weighted degree < 1 for its
    # weights, so s^-1 f(s^w x) = principal part + sum s^(deg - 1) monomial: arbitrarily small perturbations of
    # the source have the witness's critical point at 0; its type (classified) is the target, one mu lower
    target, witness = _BEYOND_EDGES[source]
    form = real_forms(source)[0]
    principal = form.expression.subs(MODULUS, 0)
    extra = sympy.expand(sympy.sympify(witness) - principal)
    monomials = sympy.Poly(extra, *form.variables).monoms()
    assert monomials and all(sum(e * w for e, w in zip(m, form.weights)) < 1 for m in monomials)
    found = classify(witness, variables=form.variables)
    assert found.type == target and found.milnor_number == form.milnor_number - 1


@pytest.mark.parametrize("label", ["J11", "J13", "X10", "X12", "P9", "P11"])
@pytest.mark.parametrize("t", [sympy.Rational(1, 100), -sympy.Rational(1, 1000)])
def test_t_series_chain_witnesses(label, t):
    # T(p,q,r) + t * (the monomial of T(p,q,r-1)): at small t != 0 the point is T(p,q,r-1)
    target, source = _beyond_target(label)
    witness = re.search(r": (.+) at every small", source).group(1)
    found = classify(sympy.sympify(witness).subs(sympy.Symbol("t"), t))
    assert found.type == target and found.milnor_number == int(label[1:]) - 1


def test_adjacency_beyond_is_marked_incomplete():
    result = adjacency("E13")
    assert not result.complete and result.to_dict()["complete"] is False
    assert ("E13", "E12") == result.edges[0][:2] and "J10" in result.deforms_into and "E8" in result.deforms_into
    assert adjacency("J10").complete
    assert Adjacency.from_dict(result.to_dict()) == result
    assert deforms_into("U12")[-3:] == ("P9", "Q10", "S11")


# --- Y(r,s) = T(2,4+r,4+s) ----------------------------------------------------------------------------------


@pytest.mark.parametrize("label", ["Y[1,1]", "Y[1,2]", "Y[2,2]", "Y[2,3]"])
@pytest.mark.parametrize("t", [sympy.Rational(1, 100), -sympy.Rational(1, 1000)])
def test_y_chain_witnesses(label, t):
    # x^2 y^2 + x^(4+r) + y^(4+s) + t x^(3+r): for t != 0 the vertex (3+r, 0) replaces (4+r, 0) on the Newton
    # polygon, so the germ is T(2,3+r,4+s) (Y(r-1,s), or X_{9+s} = T(2,4,4+s) when r = 1), mu one lower
    # (mu(T(p,q,r)) = p + q + r - 1); likewise for y.  Each witness is classified independently here.
    targets = _y_targets(label)
    _, (r, s), _ = parse_label(label)
    assert len(targets) == (1 if r == s else 2)  # for r = s, lowering r or s gives the same type
    for target, source in targets:
        witness = re.search(r": (.+) at every small", source).group(1)
        found = classify(sympy.sympify(witness).subs(sympy.Symbol("t"), t), variables=sympy.symbols("x y"))
        assert found.type == target and found.milnor_number == 9 + r + s - 1


def test_y_adjacencies():
    # Y(1,1) = T(2,5,5) -> T(2,4,5) = X10 -> X9; Y(2,2) -> Y(1,2) -> Y(1,1) and X11 (AGZV I, 16; Brieskorn 1979)
    assert deforms_into("Y[1,1]+")[-2:] == ("X9", "X10")
    below = deforms_into("Y[2,2](~+)")
    assert {"Y[1,2]", "Y[1,1]", "X11", "X10", "X9", "E7"} <= set(below) and "Y[2,2]" not in below
    result = adjacency("Y[2,3]")
    assert not result.complete
    assert [e[1] for e in result.edges if e[0] == "Y[2,3]"] == ["Y[1,3]", "Y[2,2]"]
    assert all(e[2] for e in result.edges)  # a source on every edge
