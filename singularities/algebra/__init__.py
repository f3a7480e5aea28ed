"""Exact real algebra (layer 1): polynomials, real roots, exact signs, real solutions of systems.

It knows no ``Energy`` and no result class; everything above imports it, and
it imports only the foundations (``errors``, ``_exact``, ``_limits``) and
external packages.  Import from the modules:

``polys``
    Ideals over QQ: Groebner bases under a Deadline, dimension, eliminants,
    splitting along factors, maximal pieces, primitive parts, rank and Gram
    forms, standard monomials of a zero-dimensional quotient.
``intervals``
    Rational Horner enclosures; the exclusion and Krawczyk tests on boxes.
``realroots``
    ``RealRoot`` (an isolated real root, refinable, compared exactly),
    ``real_roots``, the one ``exact_sign`` of a real number, inertia of a
    symmetric matrix from exact signs.
``systems``
    Real solutions of a polynomial system (shape lemma, Galois orbits,
    interval certificates), components with exact sample points, and the one
    slicing sampler ``slice_points``.
"""

__all__ = []
