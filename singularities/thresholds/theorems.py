"""Published RLCT theorems as certified methods: reduced rank regression (Aoyagi and Watanabe 2005).

docs/rlct.md#published-theorems.  A theorem applies only when the loss IS the
theorem's loss: the polynomial is recognised structurally (its monomials
reveal the parameter matrices), and the recognised form is checked by an
exact expansion, K = q ||B A - C||_F^2 with q > 0, before anything is
claimed; a loss that only resembles one gets no theorem.  The certificate
records the matrices, the sizes, the ranks at the point and the case of the
theorem, and :mod:`~singularities.thresholds.recheck` re-verifies all of it
from the input.
"""

from collections import defaultdict

import sympy

from .._limits import Deadline
from .certificates import TheoremCertificate

__all__ = [
    "MatrixProduct",
    "aoyagi_watanabe",
    "matrix_product_form",
    "point_hypotheses",
    "reduced_rank_regression_rlct",
    "theorem_value",
]

#: The citation every reduced-rank-regression certificate carries.
AOYAGI_WATANABE = (
    "M. Aoyagi and S. Watanabe, Stochastic complexities of reduced rank regression in Bayesian estimation, "
    "Neural Networks 18 (2005) 924-933, Main Theorem"
)


class MatrixProduct:
    """A loss recognised as K = scale * ||B A - C||_F^2: B (N x H) and A (H x M) matrices of distinct variables.

    Attributes
    ----------
    left, right : tuple of tuple of sympy.Symbol
        The rows of B and of A.
    target : tuple of tuple of sympy.Rational
        The rows of C.
    scale : sympy.Rational
        q > 0.
    """

    __slots__ = ("left", "right", "target", "scale")

    def __init__(self, left, right, target, scale):
        self.left, self.right, self.target, self.scale = left, right, target, scale

    @property
    def sizes(self):
        """(M, N, H): inputs, outputs, inner dimension."""
        return len(self.right[0]), len(self.left), len(self.right)

    def expression(self):
        """scale * ||B A - C||^2, expanded."""
        B, A, C = sympy.Matrix(self.left), sympy.Matrix(self.right), sympy.Matrix(self.target)
        return sympy.expand(self.scale * sum(e**2 for e in B * A - C))

    def __repr__(self):
        M, N, H = self.sizes
        return f"MatrixProduct(M={M}, N={N}, H={H}, scale={self.scale})"


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


def matrix_product_form(expr, variables):
    """K as scale * ||B A - C||_F^2 in the given variables, or None (with no claim) when it is not one.

    The quartic terms b^2 a^2 (coefficient q) join each entry of B to the
    entries of A it multiplies: one complete bipartite graph per column of
    B (row of A).  The cross terms 2 q b_ih a_hj b_ik a_kj (same output i,
    same input j) match the rows and columns across the inner index, and
    the quadratic terms -2 q c_ij b_ih a_hj give C.  The candidate is
    accepted only if its expansion equals K exactly.

    Examples
    --------
    >>> from singularities.thresholds.theorems import matrix_product_form
    >>> a, b, c, d = sympy.symbols("a b c d")
    >>> matrix_product_form(sympy.expand((a*c + b*d - 1)**2), (a, b, c, d))
    MatrixProduct(M=1, N=1, H=2, scale=1)
    >>> matrix_product_form(a**2*c**2 + b**2*d**2, (a, b, c, d)) is None   # two entries, not one product
    True
    """
    try:
        poly = sympy.Poly(sympy.expand(expr), *variables, domain=sympy.QQ)
    except (sympy.PolynomialError, sympy.CoercionFailed):
        return None
    terms = dict(poly.terms())
    if not terms or any(sum(m) not in (0, 2, 4) for m in terms):
        return None
    n = len(variables)
    squares = {}
    for m, c in terms.items():
        if sum(m) == 4 and sorted(m)[-2:] == [2, 2]:
            squares[tuple(i for i in range(n) if m[i])] = c
    if not squares or len(set(squares.values())) != 1:
        return None
    scale = next(iter(squares.values()))
    if scale <= 0:
        return None
    candidate = _candidate(terms, squares, scale, variables)
    if candidate is None or sympy.expand(candidate.expression() - poly.as_expr()) != 0:
        return None
    return candidate


def reduced_rank_regression_rlct(energy, deadline=None):
    """Aoyagi and Watanabe's certificate for K = q ||B A - C||^2 at a most singular true point, or (None, reason).

    The theorem's lambda is the global one over the true parameters; it is
    the local RLCT at every true point (B0, A0) with rank B0 = rank A0 =
    rank C (one orbit of A -> g A, B -> B g^-1, g in GL(H), which keeps K;
    every other true point has a larger or equal local pair).  At other
    true points the theorem does not give the local value and nothing is
    claimed.

    Returns
    -------
    (TheoremCertificate, "") or (None, reason)
        lambda and m follow from the certificate: :func:`theorem_value`.

    Examples
    --------
    >>> from singularities.models import reduced_rank_regression_loss
    >>> from singularities.thresholds.theorems import reduced_rank_regression_rlct, theorem_value
    >>> loss = reduced_rank_regression_loss(3, 3, 2, 1)
    >>> certificate, _ = reduced_rank_regression_rlct(loss.energy)
    >>> certificate.sizes, theorem_value(certificate)
    ({'M': 3, 'N': 3, 'H': 2, 'r': 1, 'case': 1}, (3, 1))
    """
    deadline = Deadline.coerce(deadline)
    deadline.check("recognising a matrix product")
    form = matrix_product_form(energy.expr, energy.variables)
    if form is None:
        return None, "not of the form q ||B A - C||^2 in matrices of distinct variables"
    point = dict(zip(energy.variables, energy.point))
    hypotheses = point_hypotheses(form, point)
    if hypotheses[0] is None:
        return None, hypotheses[1]
    M, N, H = form.sizes
    r = hypotheses[0]
    case = aoyagi_watanabe(M, N, H, r)[2]
    certificate = TheoremCertificate(
        "Aoyagi-Watanabe",
        AOYAGI_WATANABE,
        {"M": M, "N": N, "H": H, "r": r, "case": case},
        tuple(tuple(str(v) for v in row) for row in form.left),
        tuple(tuple(str(v) for v in row) for row in form.right),
        form.target,
        form.scale,
        f"K = {form.scale} ||B A - C||^2 with B {N} x {H}, A {H} x {M}; at the point rank B0 = rank A0 = "
        f"rank C = {r} (a most singular true point); case {case} of the Main Theorem",
    )
    return certificate, ""


def theorem_value(certificate):
    """(lambda, m) that the certificate's theorem states for its data.

    Examples
    --------
    >>> from singularities.thresholds.certificates import TheoremCertificate
    >>> from singularities.thresholds.theorems import theorem_value
    >>> theorem_value(TheoremCertificate("Aoyagi-Watanabe", "", {"M": 2, "N": 2, "H": 1, "r": 0}, (), (), (), 1))
    (1, 2)
    """
    if certificate.name != "Aoyagi-Watanabe":
        raise ValueError(f"unknown theorem {certificate.name!r}")
    sizes = certificate.sizes
    return aoyagi_watanabe(sizes["M"], sizes["N"], sizes["H"], sizes["r"])[:2]


def point_hypotheses(form, point):
    """(r, "") when B0 A0 = C and rank B0 = rank A0 = rank C = r at the point, else (None, reason)."""
    B0 = sympy.Matrix(form.left).subs(point)
    A0 = sympy.Matrix(form.right).subs(point)
    C = sympy.Matrix(form.target)
    if B0 * A0 != C:
        return None, "the point is not a true parameter (B0 A0 != C)"
    r, ranks = C.rank(), (B0.rank(), A0.rank())
    if ranks != (r, r):
        return None, (
            f"the point has rank B0 = {ranks[0]}, rank A0 = {ranks[1]} > rank C = {r}: not a most singular "
            "true point, where the theorem gives the local RLCT"
        )
    return r, ""


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
    return MatrixProduct(tuple(map(tuple, left)), tuple(map(tuple, right)), target, scale)


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
