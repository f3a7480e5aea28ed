"""Losses that separate into parts in disjoint groups of variables: sums of squares and products.

docs/rlct.md#separated-variables.  Two rules, both exact:

- a product g = g_1(x) g_2(y) ... of factors in disjoint variables has the
  zeta function int |g|^z = prod_j int |g_j|^z, so lambda = min_j lambda_j
  and m is the sum of the m_j over the parts that attain the minimum (a
  factor that does not vanish at the point is a unit and drops out);
- a sum K = K_1(x) + K_2(y) + ... of non-negative parts (here: sums of
  squares, read off the expression) has the state density of a sum of
  independent variables, the convolution of the parts' densities
  v_j(t) ~ c_j t^(lambda_j - 1) (-log t)^(m_j - 1); so lambda = sum_j lambda_j
  and m = sum_j m_j - (k - 1) for k parts.

This module finds the parts and combines the parts' pairs; ``rlct`` computes
each part's pair by its own methods, and the certificate
(:class:`~singularities.thresholds.certificates.SeparationCertificate`) keeps the
parts' results with their certificates for the re-check.
"""

import sympy

from ..polyhedra.ideals import sum_of_squares

__all__ = ["combine", "product_parts", "sum_parts"]


def sum_parts(g, variables):
    """The non-negative parts of g in disjoint variable groups (each a sum of squares), or None (< 2 groups).

    Examples
    --------
    >>> from singularities.thresholds.separation import sum_parts
    >>> x, y, z = sympy.symbols("x y z")
    >>> sum_parts((x*y)**2 + x**4 + z**6, (x, y, z))
    ((x**4 + x**2*y**2, (x, y)), (z**6, (z,)))
    """
    pairs = sum_of_squares(g, variables)
    if pairs is None:
        return None
    groups = _groups([f for _, f in pairs], variables)
    if len(groups) < 2:
        return None
    return tuple((sympy.Add(*(c * f**2 for c, f in pairs if f.free_symbols & set(group))), group) for group in groups)


def product_parts(g, variables):
    """The factors of g vanishing at the origin, grouped into disjoint variable groups, or None (< 2 groups).

    A factor that does not vanish at the origin is a unit there and drops out.

    Examples
    --------
    >>> from singularities.thresholds.separation import product_parts
    >>> x, y, z = sympy.symbols("x y z")
    >>> product_parts(x**2*(y - z)**3*(1 + x), (x, y, z))
    ((x**2, (x,)), ((y - z)**3, (y, z)))
    """
    try:
        _, factors = sympy.factor_list(g, *variables)
    except sympy.PolynomialError:
        return None
    origin = {v: 0 for v in variables}
    factors = [(f, e) for f, e in factors if f.free_symbols & set(variables) and f.xreplace(origin) == 0]
    groups = _groups([f for f, _ in factors], variables)
    if len(groups) < 2:
        return None
    return tuple((sympy.Mul(*(f**e for f, e in factors if f.free_symbols & set(g))), g) for g in groups)


def combine(kind, pairs):
    """(lambda, m) of the whole from the parts' (lambda_j, m_j): "sum" or "product".

    Examples
    --------
    >>> from singularities.thresholds.separation import combine
    >>> half = sympy.Rational(1, 2)
    >>> combine("sum", [(half, 1), (half, 2)]), combine("product", [(half, 1), (half, 2), (1, 1)])
    ((1, 2), (1/2, 3))
    """
    if kind == "sum":
        return sum(t for t, _ in pairs), sum(m for _, m in pairs) - (len(pairs) - 1)
    if kind == "product":
        threshold = min(t for t, _ in pairs)
        return threshold, sum(m for t, m in pairs if t == threshold)
    raise ValueError(f"unknown separation {kind!r}")


def _groups(functions, variables):
    """The connected groups of variables, two variables joined when a function involves both (in input order)."""
    parent = {v: v for v in variables}

    def root(v):
        while parent[v] != v:
            parent[v] = parent[parent[v]]
            v = parent[v]
        return v

    used = set()
    for f in functions:
        present = [v for v in variables if v in f.free_symbols]
        used.update(present)
        for v in present[1:]:
            parent[root(v)] = root(present[0])
    groups = {}
    for v in variables:
        if v in used:
            groups.setdefault(root(v), []).append(v)
    return [tuple(g) for g in groups.values()]
