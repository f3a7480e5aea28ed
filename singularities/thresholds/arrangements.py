"""Hyperplane arrangements: lambda and m of a product of linear forms from its intersection lattice.

docs/rlct.md#hyperplane-arrangements.  For g = u * prod_i l_i^(e_i) with
linear forms l_i through the point and a unit u, the wonderful model of De
Concini and Procesi (blow up the dense flats in increasing dimension) is a log
resolution defined over Q; the exceptional divisor of a dense flat W has
k_W + 1 = codim W and N_W = sum of e_i over the hyperplanes containing W, and
the divisors of a family of dense flats meet exactly when the family is nested.
Hence (Mustata, "Multiplier ideals of hyperplane arrangements", 2006; Teitler
2008 for the non-reduced case)

    lambda = min over dense flats W of codim W / N_W,

and m is the size of the largest nested family of dense flats attaining that
minimum.  A flat is dense when its hyperplanes form a connected matroid (they
do not split into two families of complementary ranks); a family of dense flats
is nested when the flat spanned by any two or more pairwise incomparable members
is not dense.  The divisors are real, so the real pair equals this one.
"""

from itertools import combinations

import flint
import sympy

from .._limits import Deadline

__all__ = ["Arrangement", "arrangement", "arrangement_rlct", "dense_flats"]

#: More hyperplanes than this are not enumerated (the lattice grows like 2^k).
MAX_HYPERPLANES = 12
#: With more minimising dense flats than this, m is not searched (the nested families grow like 2^k): no claim.
MAX_MINIMISERS = 12


class Arrangement:
    """The linear forms of g (normals as rows of rationals) and their exponents."""

    __slots__ = ("normals", "exponents", "_rows", "_ranks")

    def __init__(self, normals, exponents):
        self.normals, self.exponents = tuple(normals), tuple(exponents)
        self._rows = [[flint.fmpq(int(c.p), int(c.q)) for c in row] for row in self.normals]
        self._ranks = {}

    def rank(self, indices):
        """The rank of the normals of ``indices`` (exact, over Q; cached)."""
        key = tuple(sorted(set(indices)))
        if key not in self._ranks:
            self._ranks[key] = flint.fmpq_mat([self._rows[i] for i in key]).rank() if key else 0
        return self._ranks[key]

    def __repr__(self):
        return f"Arrangement({len(self.normals)} hyperplanes in {len(self.normals[0])} variables)"


def arrangement(g, variables):
    """g as u * prod l_i^(e_i) (linear forms through the origin, u a unit there), or None.

    Examples
    --------
    >>> from singularities.thresholds.arrangements import arrangement
    >>> x, y = sympy.symbols("x y")
    >>> sorted(arrangement(x**2*y*(x - y)*(3 + x), (x, y)).exponents)
    [1, 1, 2]
    >>> arrangement(x*y - 1, (x, y)) is None
    True
    """
    try:
        _, factors = sympy.factor_list(g, *variables)
    except sympy.PolynomialError:
        return None
    origin = {v: 0 for v in variables}
    normals, exponents = [], []
    for f, e in factors:
        if f.xreplace(origin) != 0:
            continue  # a unit at the origin
        poly = sympy.Poly(f, *variables)
        if poly.total_degree() != 1 or not poly.domain.is_QQ and not poly.domain.is_ZZ:
            return None
        normals.append(tuple(sympy.Rational(poly.coeff_monomial(v)) for v in variables))
        exponents.append(int(e))
    if not normals or len(normals) > MAX_HYPERPLANES:
        return None
    return Arrangement(normals, exponents)


def dense_flats(arr, deadline=None):
    """{flat: codimension} for every dense flat, a flat given by the sorted indices of its hyperplanes.

    Examples
    --------
    >>> from singularities.thresholds.arrangements import arrangement, dense_flats
    >>> x, y = sympy.symbols("x y")
    >>> dense_flats(arrangement(x*y*(x - y), (x, y)))
    {(0,): 1, (1,): 1, (2,): 1, (0, 1, 2): 2}
    """
    deadline = Deadline.coerce(deadline)
    k = len(arr.normals)
    flats = {}
    for size in range(1, k + 1):
        deadline.check("the intersection lattice")
        for subset in combinations(range(k), size):
            r = arr.rank(subset)
            closure = tuple(i for i in range(k) if arr.rank(subset + (i,)) == r)
            if closure not in flats:
                flats[closure] = r
    ordered = sorted(flats.items(), key=lambda item: (item[1], item[0]))
    return {flat: r for flat, r in ordered if _connected(arr, flat, r)}


def arrangement_rlct(arr, deadline=None):
    """(lambda, m, minimisers, nested) of |prod l_i^(e_i)| at the origin, or None when m is not searched.

    None when more than MAX_MINIMISERS dense flats attain the minimum.

    Examples
    --------
    >>> from singularities.thresholds.arrangements import arrangement, arrangement_rlct
    >>> x, y = sympy.symbols("x y")
    >>> arrangement_rlct(arrangement(x*y*(x - y), (x, y)))[:2]      # D4: 2/3
    (2/3, 1)
    >>> arrangement_rlct(arrangement(x**2 - y**2, (x, y)))[:2]      # two lines: normal crossings
    (1, 2)
    """
    deadline = Deadline.coerce(deadline)
    dense = dense_flats(arr, deadline)
    ratio = {flat: sympy.Rational(r, sum(arr.exponents[i] for i in flat)) for flat, r in dense.items()}
    threshold = min(ratio.values())
    minimisers = [flat for flat in dense if ratio[flat] == threshold]
    if len(minimisers) > MAX_MINIMISERS:
        return None
    best = _largest_nested(arr, minimisers, dense, deadline)
    return threshold, len(best), tuple(minimisers), best


def is_nested(arr, family, dense):
    """Whether no two or more pairwise incomparable members of the family span a dense flat together."""
    return all(_joins_apart(arr, family[:i], member, dense) for i, member in enumerate(family))


def _largest_nested(arr, minimisers, dense, deadline):
    """The largest nested family of the minimisers: depth-first, a nested family's subsets being nested."""
    best = ()

    def grow(family, start):
        nonlocal best
        if len(family) > len(best):
            best = family
        for i in range(start, len(minimisers)):
            if len(family) + len(minimisers) - i <= len(best):
                return
            deadline.check("the nested families of the intersection lattice")
            if _joins_apart(arr, family, minimisers[i], dense):
                grow(family + (minimisers[i],), i + 1)

    grow((), 0)
    return best


def _joins_apart(arr, family, member, dense):
    """Whether adding ``member`` to a nested family keeps it nested: every antichain through it spans no dense flat."""
    others = [f for f in family if not (set(f) <= set(member) or set(member) <= set(f))]
    for size in range(1, len(others) + 1):
        for chosen in combinations(others, size):
            if any(set(a) <= set(b) or set(b) <= set(a) for a, b in combinations(chosen, 2)):
                continue
            union = tuple(sorted(set(member).union(*chosen)))
            r = arr.rank(union)
            span = tuple(i for i in range(len(arr.normals)) if arr.rank(union + (i,)) == r)
            if span in dense:
                return False
    return True


def _connected(arr, flat, rank):
    """Whether the hyperplanes of the flat do not split into two families whose ranks add up to the flat's rank."""
    first, rest = flat[0], flat[1:]
    for size in range(0, len(rest)):
        for others in combinations(rest, size):
            part = (first,) + others
            complement = tuple(i for i in flat if i not in part)
            if complement and arr.rank(part) + arr.rank(complement) == rank:
                return False
    return True
