"""Published RLCT theorems as certified methods: reduced rank regression (Aoyagi and Watanabe 2005)
and deep linear networks (Aoyagi 2024).

docs/rlct.md#published-theorems.  A theorem applies only when the loss IS the
theorem's loss: the polynomial is recognised structurally (its monomials
reveal the parameter matrices), and the recognised form is checked by an
exact expansion, K = q ||W_L ... W_1 - C||_F^2 with q > 0, before anything
is claimed; a loss that only resembles one gets no theorem.  The certificate
records the matrices, the sizes, the ranks at the point and the case of the
theorem, and :mod:`~singularities.thresholds.recheck` re-verifies all of it
from the input.
"""

import re
from collections import defaultdict

import sympy

from .._limits import Deadline
from ..algebra.backend import NotRationalError, to_flint
from .certificates import TheoremCertificate

__all__ = [
    "MatrixProduct",
    "aoyagi_watanabe",
    "aoyagi_deep_linear",
    "matrix_product_form",
    "matrix_product_rlct",
    "point_hypotheses",
    "theorem_value",
]

#: The citation every reduced-rank-regression certificate carries.
AOYAGI_WATANABE = (
    "M. Aoyagi and S. Watanabe, Stochastic complexities of reduced rank regression in Bayesian estimation, "
    "Neural Networks 18 (2005) 924-933, Main Theorem"
)
#: The citation of the deep-linear-network theorem.
AOYAGI_2024 = (
    "M. Aoyagi, Consideration on the learning efficiency of multiple-layered neural networks with linear units, "
    "Neural Networks 172 (2024) 106132, Theorem 1"
)


class MatrixProduct:
    """A loss recognised as K = scale * ||W_L ... W_1 - C||_F^2, the W_l matrices of distinct variables.

    Attributes
    ----------
    factors : tuple of tuple of tuple of sympy.Symbol
        The rows of W_L, ..., W_1 (for reduced rank regression B, A).
    target : tuple of tuple of sympy.Rational
        The rows of C.
    scale : sympy.Rational
        q > 0.
    """

    __slots__ = ("factors", "target", "scale")

    def __init__(self, factors, target, scale):
        self.factors, self.target, self.scale = factors, target, scale

    @property
    def widths(self):
        """(H_0, ..., H_L): inputs, the inner dimensions, outputs."""
        return (len(self.factors[-1][0]),) + tuple(len(f) for f in reversed(self.factors))

    def product(self):
        """W_L ... W_1 as a sympy Matrix."""
        result = sympy.Matrix(self.factors[0])
        for f in self.factors[1:]:
            result = result * sympy.Matrix(f)
        return result

    def expression(self):
        """scale * ||W_L ... W_1 - C||^2, expanded."""
        return sympy.expand(self.scale * sum(e**2 for e in self.product() - sympy.Matrix(self.target)))

    def __repr__(self):
        return f"MatrixProduct(widths={self.widths}, scale={self.scale})"


def aoyagi_watanabe(M, N, H, r):
    """(lambda, m, case) of reduced rank regression by Aoyagi and Watanabe's Main Theorem.

    M inputs, N outputs, inner dimension H, true rank r <= min(M, N, H).

    Examples
    --------
    >>> from singularities.thresholds.theorems import aoyagi_watanabe
    >>> aoyagi_watanabe(1, 1, 1, 0)   # K = a^2 b^2
    (1/2, 2, 1)
    >>> aoyagi_watanabe(3, 2, 1, 0)   # K = |b|^2 |a|^2: lambda = min(N, M) / 2
    (1, 1, 1)
    """
    if N + r <= M + H and M + r <= N + H and H + r <= M + N:
        base = 2 * (H + r) * (M + N) - (M - N) ** 2 - (H + r) ** 2
        even = (M + H + N + r) % 2 == 0
        return sympy.Rational(base if even else base + 1, 8), 1 if even else 2, 1
    if M + H < N + r:
        return sympy.Rational(H * M - H * r + N * r, 2), 1, 2
    if N + H < M + r:
        return sympy.Rational(H * N - H * r + M * r, 2), 1, 3
    return sympy.Rational(M * N, 2), 1, 4


def aoyagi_deep_linear(widths, r):
    """(lambda, m) of a deep linear network by Aoyagi's Theorem 1 (2024).

    widths (H_0, ..., H_L), true rank r <= min(widths).  With M_i = H_i - r,
    take the smallest set S of the M_i (the first l + 1 in increasing order)
    with max S < min of the rest, sum S >= l max S and sum S < l min of the
    rest; with s = sum S, a = s - (ceil(s / l) - 1) l:
    lambda = (r (H_0 + H_L) - r^2) / 2 + a (l - a) / (4 l) - (l - 1) s^2 / (4 l)
    + (1/2) sum_{i < j in S} M_i M_j and m = a (l - a) + 1.

    Examples
    --------
    >>> from singularities.thresholds.theorems import aoyagi_deep_linear
    >>> aoyagi_deep_linear((1, 1, 1, 1), 0)     # K = a^2 b^2 c^2
    (1/2, 3)
    >>> aoyagi_deep_linear((2, 1, 2), 0)        # reduced rank regression M = N = 2, H = 1
    (1, 2)
    """
    M = sorted(h - r for h in widths)
    for size in range(2, len(M) + 1):
        chosen, rest = M[:size], M[size:]
        l, total = size - 1, sum(M[:size])
        if rest and not chosen[-1] < rest[0]:
            continue
        if total >= l * chosen[-1] and (not rest or total < l * rest[0]):
            break
    else:  # pragma: no cover - the whole list always qualifies
        raise AssertionError(f"no admissible set for {widths}, r = {r}")
    a = total - (-(-total // l) - 1) * l
    pairs = sum(chosen[i] * chosen[j] for i in range(size) for j in range(i + 1, size))
    threshold = (
        sympy.Rational(r * (widths[0] + widths[-1]) - r * r, 2)
        + sympy.Rational(a * (l - a), 4 * l)
        - sympy.Rational((l - 1) * total * total, 4 * l)
        + sympy.Rational(pairs, 2)
    )
    return threshold, a * (l - a) + 1


def matrix_product_form(expr, variables):
    """K as scale * ||W_L ... W_1 - C||_F^2 in the given variables, or None (with no claim) when it is not one.

    Two factors (K = q ||B A - C||^2) are read off the monomials whatever
    the variable names: the quartic terms b^2 a^2 (coefficient q) join each
    entry of B to the entries of A it multiplies, one complete bipartite graph
    per column of B (row of A); the cross terms 2 q b_ih a_hj b_ik a_kj (same
    output i, same input j) match rows and columns across the inner index;
    the quadratic terms -2 q c_ij b_ih a_hj give C.  Three or more factors are
    proposed from the names ``w{l}_{i}_{j}`` that
    :func:`~singularities.models.deep_linear_network_loss` uses.  Either
    candidate is accepted only if its expansion equals K exactly.

    Examples
    --------
    >>> from singularities.thresholds.theorems import matrix_product_form
    >>> a, b, c, d = sympy.symbols("a b c d")
    >>> matrix_product_form(sympy.expand((a*c + b*d - 1)**2), (a, b, c, d))
    MatrixProduct(widths=(1, 2, 1), scale=1)
    >>> matrix_product_form(a**2*c**2 + b**2*d**2, (a, b, c, d)) is None   # two entries, not one product
    True
    """
    named = _layer_names(variables)
    layers = len({l for l, _, _ in named}) if named else 2
    if _degree_bound(sympy.sympify(expr), set(variables)) != 2 * layers:  # before any expansion
        return None
    try:
        _, (poly,) = to_flint([expr], variables)
    except NotRationalError:
        return None
    degree = poly.total_degree()
    if poly == 0 or degree != 2 * layers:
        return None
    terms = {tuple(m): sympy.Rational(int(c.p), int(c.q)) for m, c in poly.to_dict().items()}
    candidate = _two_factors(terms, variables) if degree == 4 else None
    candidate = candidate or (_named_layers(named, terms, variables) if named is not None else None)
    if candidate is None:
        return None
    _, (expected,) = to_flint([candidate.expression()], variables)
    return candidate if expected == poly else None


def matrix_product_rlct(energy, deadline=None):
    """The theorem's certificate for K = q ||W_L ... W_1 - C||^2 at a most singular true point, or (None, reason).

    Two factors: Aoyagi and Watanabe (2005); three or more: Aoyagi (2024).
    The theorems' lambda is the global one over the true parameters; it is
    the local RLCT at every true point where each factor has rank r = rank C
    (one orbit of W_l -> g_l W_l g_(l-1)^-1, g_l in GL(H_l) for the inner
    layers, which keeps K; every other true point has a local pair at least
    as large).  At other true points the theorem does not give the local
    value and nothing is claimed.

    Returns
    -------
    (TheoremCertificate, "") or (None, reason)
        lambda and m follow from the certificate: :func:`theorem_value`.

    Examples
    --------
    >>> from singularities.models import reduced_rank_regression_loss
    >>> from singularities.thresholds.theorems import matrix_product_rlct, theorem_value
    >>> certificate, _ = matrix_product_rlct(reduced_rank_regression_loss(3, 3, 2, 1).energy)
    >>> certificate.name, certificate.sizes, theorem_value(certificate)
    ('Aoyagi-Watanabe', {'widths': (3, 2, 3), 'r': 1, 'case': 1}, (7/2, 2))
    """
    deadline = Deadline.coerce(deadline)
    deadline.check("recognising a matrix product")
    form = matrix_product_form(energy.expr, energy.variables)
    if form is None:
        return None, "not of the form q ||W_L ... W_1 - C||^2 in matrices of distinct variables"
    r, reason = point_hypotheses(form, dict(zip(energy.variables, energy.point)))
    if r is None:
        return None, reason
    widths = form.widths
    names = tuple(tuple(tuple(str(v) for v in row) for row in f) for f in form.factors)
    shapes = " ".join(f"{len(f)}x{len(f[0])}" for f in form.factors)
    checked = (
        f"K = {form.scale} ||product of {len(widths) - 1} matrices ({shapes}) - C||^2; every factor has "
        f"rank {r} = rank C at the point (a most singular true point)"
    )
    if len(widths) == 3:
        M, H, N = widths
        case = aoyagi_watanabe(M, N, H, r)[2]
        sizes = {"widths": widths, "r": r, "case": case}
        return TheoremCertificate(
            "Aoyagi-Watanabe", AOYAGI_WATANABE, sizes, names, form.target, form.scale, f"{checked}; case {case}"
        ), ""
    sizes = {"widths": widths, "r": r}
    return TheoremCertificate("Aoyagi", AOYAGI_2024, sizes, names, form.target, form.scale, checked), ""


def theorem_value(certificate):
    """(lambda, m) that the certificate's theorem states for its data.

    Examples
    --------
    >>> from singularities.thresholds.certificates import TheoremCertificate
    >>> from singularities.thresholds.theorems import theorem_value
    >>> theorem_value(TheoremCertificate("Aoyagi-Watanabe", "", {"widths": (2, 1, 2), "r": 0}, (), (), 1))
    (1, 2)
    """
    widths, r = tuple(certificate.sizes["widths"]), certificate.sizes["r"]
    if certificate.name == "Aoyagi-Watanabe" and len(widths) == 3:
        M, H, N = widths
        return aoyagi_watanabe(M, N, H, r)[:2]
    if certificate.name == "Aoyagi":
        return aoyagi_deep_linear(widths, r)
    raise ValueError(f"unknown theorem {certificate.name!r} for widths {widths}")


def point_hypotheses(form, point):
    """(r, "") when the factors multiply to C at the point and each has rank r = rank C, else (None, reason)."""
    values = [sympy.Matrix(f).xreplace(point) for f in form.factors]
    product = values[0]
    for value in values[1:]:
        product = product * value
    C = sympy.Matrix(form.target)
    if product != C:
        return None, "the point is not a true parameter (the product of the factors is not C there)"
    r, ranks = C.rank(), [value.rank() for value in values]
    if any(rank != r for rank in ranks):
        return None, (
            f"the factors have ranks {ranks} at the point, rank C = {r}: not a most singular true point, "
            "where the theorem gives the local RLCT"
        )
    return r, ""


def _two_factors(terms, variables):
    """B and A read off the monomials of a quartic (degrees 4, 2, 0), or None."""
    if any(sum(m) not in (0, 2, 4) for m in terms):
        return None
    n = len(variables)
    squares = {}
    for m, c in terms.items():
        if sum(m) == 4 and sorted(m)[-2:] == [2, 2]:
            squares[tuple(i for i in range(n) if m[i])] = c
    if not squares or len(set(squares.values())) != 1:
        return None
    scale = next(iter(squares.values()))
    return _candidate(terms, squares, scale, variables) if scale > 0 else None


_LAYER_NAME = re.compile(r"^w(\d+)_(\d+)_(\d+)$")


def _degree_bound(expr, variables):
    """An upper bound for the total degree of a polynomial expression, read from its tree; None if not one."""
    if expr.is_Symbol:
        return 1 if expr in variables else (None if expr.is_real is False else 0)
    if expr.is_Number:
        return 0
    if expr.is_Add or expr.is_Mul:
        degrees = [_degree_bound(a, variables) for a in expr.args]
        if None in degrees:
            return None
        return max(degrees) if expr.is_Add else sum(degrees)
    if expr.is_Pow and expr.exp.is_Integer and expr.exp >= 0:
        base = _degree_bound(expr.base, variables)
        return None if base is None else base * int(expr.exp)
    return None if expr.free_symbols & variables else 0


def _layer_names(variables):
    """{(l, i, j): variable} when every variable is named w{l}_{i}_{j}, else None."""
    entries = {}
    for v in variables:
        match = _LAYER_NAME.match(v.name)
        if match is None:
            return None
        entries[tuple(int(g) for g in match.groups())] = v
    return entries


def _named_layers(entries, terms, variables):
    """W_L, ..., W_1 from the names w{l}_{i}_{j} (every entry present), with C and q from K's terms, or None."""
    layers = sorted({l for l, _, _ in entries})
    if layers != list(range(1, len(layers) + 1)) or len(layers) < 2:
        return None
    factors = []
    for l in reversed(layers):
        rows = max(i for k, i, _ in entries if k == l)
        columns = max(j for k, _, j in entries if k == l)
        matrix = [[entries.get((l, i, j)) for j in range(1, columns + 1)] for i in range(1, rows + 1)]
        if any(v is None for row in matrix for v in row):
            return None
        factors.append(tuple(map(tuple, matrix)))
    if any(len(factors[k][0]) != len(factors[k + 1]) for k in range(len(factors) - 1)):
        return None
    return _with_target(factors, terms, variables)


def _with_target(factors, terms, variables):
    """q from a top-degree square term and C from the terms of degree L: K = q ||P - C||^2, or None."""
    path = [f[0][0] for f in factors]
    monomial = tuple(2 * sum(1 for p in path if p == v) for v in variables)
    scale = terms.get(monomial)
    if scale is None or not scale > 0:
        return None
    product = MatrixProduct(tuple(factors), (), scale).product()
    target = []
    for row in range(product.rows):
        values = []
        for column in range(product.cols):
            entry = sympy.Poly(product[row, column], *variables)
            monomial, coefficient = entry.terms()[0]
            values.append(-terms.get(tuple(monomial), 0) / (2 * scale * coefficient))
        target.append(tuple(values))
    return MatrixProduct(tuple(factors), tuple(target), scale)


def _candidate(terms, squares, scale, variables):
    """B, A, C read off the monomials, or None; no claim until the caller's expansion check."""
    graph = defaultdict(set)
    for i, j in squares:
        graph[i].add(j)
        graph[j].add(i)
    components = _bipartite_components(graph)
    if components is None:
        return None
    together = _cooccurrence(terms)
    first = components[0]
    rows, columns = first
    N, M = len(rows), len(columns)
    if any(sorted((len(p), len(q))) != sorted((N, M)) for p, q in components):
        return None
    left, right = [[variables[i]] for i in rows], [[variables[j] for j in columns]]
    for part, other in components[1:]:
        oriented = _orient(part, other, rows, columns, together)
        if oriented is None:
            return None
        b, a = oriented
        for i, row in enumerate(rows):
            left[i].append(variables[_partner(row, b, together)])
        right.append([variables[_partner(column, a, together)] for column in columns])
    if any(squares.get(tuple(sorted(_index(variables, u, v)))) != scale for u, v in _pairs(left, right)):
        return None
    target = _target(terms, left, right, scale, variables)
    if target is None:
        return None
    return MatrixProduct((tuple(map(tuple, left)), tuple(map(tuple, right))), target, scale)


def _bipartite_components(graph):
    """[(part, other)] of each connected component, each complete bipartite, or None."""
    seen, components = set(), []
    for start in sorted(graph):
        if start in seen:
            continue
        colour, queue = {start: 0}, [start]
        for v in queue:
            for w in graph[v]:
                if w not in colour:
                    colour[w] = 1 - colour[v]
                    queue.append(w)
                elif colour[w] == colour[v]:
                    return None
        seen |= set(colour)
        part = sorted(v for v in colour if colour[v] == 0)
        other = sorted(v for v in colour if colour[v] == 1)
        if any(graph[v] != set(other) for v in part):
            return None
        # B's entries after A's in the variable order (models.py names them a.., b..): the first
        # component's part with the later variables is read as a column of B; the transpose is the same theorem.
        components.append((other, part))
    return components


def _cooccurrence(terms):
    """How often two variables appear together in a square-free quartic monomial."""
    together = defaultdict(int)
    for m in terms:
        support = [i for i, e in enumerate(m) if e]
        if sum(m) == 4 and len(support) == 4:
            for i in support:
                for j in support:
                    if i != j:
                        together[i, j] += 1
    return together


def _orient(part, other, rows, columns, together):
    """(B part, A part) of a later component: a row of B meets one B entry of each column and all its A row."""
    for b, a in ((part, other), (other, part)):
        if len(b) != len(rows) or len(a) != len(columns):
            continue
        if all(sum(1 for v in b if together[row, v]) == 1 for row in rows) or len(columns) == 1 == len(rows):
            return b, a
    return None


def _partner(vertex, candidates, together):
    """The candidate that shares an output (input) index with the vertex: it meets it most often."""
    return max(candidates, key=lambda v: (together[vertex, v], -v))


def _pairs(left, right):
    return ((b, a) for row in left for h, b in enumerate(row) for a in right[h])


def _index(variables, *symbols):
    return [variables.index(s) for s in symbols]


def _target(terms, left, right, scale, variables):
    """C from the quadratic terms -2 q c_ij b_ih a_hj, the same c_ij for every h, or None."""
    n = len(variables)
    target = []
    for row in left:
        values = []
        for j in range(len(right[0])):
            found = set()
            for h, b in enumerate(row):
                m = [0] * n
                for i in _index(variables, b, right[h][j]):
                    m[i] += 1
                found.add(-terms.get(tuple(m), 0) / (2 * scale))
            if len(found) != 1:
                return None
            values.append(sympy.Rational(found.pop()))
        target.append(tuple(values))
    return tuple(target)
