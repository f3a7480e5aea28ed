"""Exact real algebra (layer 1): polynomials, real roots, exact signs, real solutions of systems.

It knows no ``Energy`` and no result class; everything above imports it.
"""

__all__ = []
