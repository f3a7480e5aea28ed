"""Local quotients by exact linear algebra (algebra.local_rings) and the Milnor numbers built on them.

Expected values are hand derivations: for a quasi-homogeneous h with weights w_i,
mu = prod (1/w_i - 1) (Milnor-Orlik); for a monomial ideal the quotient counts the
monomials outside it; non-isolated examples have a curve of critical points.
"""

import random

import pytest
import sympy

import singularities as sg
from singularities.algebra.backend import to_flint, using
from singularities.algebra.local_rings import (
    common_factor_at_origin,
    isolated_zero,
    local_milnor_number,
    local_quotient_dimension,
    max_degree,
    quotient_dimensions,
)
from singularities.local.splitting import splitting

x, y, z, w, v = sympy.symbols("x y z w v")


def test_quotient_dimensions_of_a_monomial_ideal():
    # C[x, y]/(x^3, x*y, y^4) + m^s: the standard monomials are 1, x, x^2, y, y^2, y^3 (6 of them),
    # so d_s counts those of degree < s: 1, 3, 5, 6, 6.
    assert quotient_dimensions([x**3, x * y, y**4], (x, y), 5) == (1, 3, 5, 6, 6)
    # Without the ideal, every monomial of degree < 4 in 3 variables: C(3 + 3, 3) = 20.
    assert local_quotient_dimension([], (x, y, z), 4) == 20


def test_only_the_local_part_counts():
    # (x - 1) * x^2 is a unit times x^2 at 0: the local quotient is C{x}/(x^2), of dimension 2,
    # although the global quotient C[x]/((x-1) x^2) has dimension 3.
    assert local_milnor_number(sympy.integrate((x - 1) * x**2, x), (x,), 6) == (2, 2)


@pytest.mark.parametrize("a, b", [(3, 4), (3, 5), (2, 31), (5, 7), (3, 10), (4, 9)])
def test_milnor_number_of_a_brieskorn_curve(a, b):
    # x^a + y^b: J = (x^(a-1), y^(b-1)), a complete intersection of monomials: mu = (a - 1)(b - 1).
    # m^s lies in J from s = a + b - 3 on, so the ranks below degree a + b - 1 show d_s = d_(s+1).
    mu, _ = local_milnor_number(x**a + y**b, (x, y), a + b - 1)
    assert mu == (a - 1) * (b - 1)


@pytest.mark.parametrize("k", [4, 9, 17, 20])
def test_milnor_number_of_the_d_series(k):
    # x^2 y + y^k is D_(k+1): weights ((k-1)/(2k), 1/k), so mu = (2k/(k-1) - 1)(k - 1) = k + 1;
    # the first s with d_s = d_(s+1) is at most mu, so degree k + 3 suffices.
    assert local_milnor_number(x**2 * y + y**k, (x, y), k + 3)[0] == k + 1


def test_milnor_number_in_three_variables_beyond_the_old_cap():
    # x^3 + y^3 + z^5: weights (1/3, 1/3, 1/5), mu = 2 * 2 * 4 = 16 (the old corank-3 cap was mu < 10).
    assert local_milnor_number(x**3 + y**3 + z**5, (x, y, z), max_degree(3))[0] == 16


def test_algebraic_coefficients_take_the_number_field_path():
    # sqrt(2) * x^3 + y^4 is E6 up to scaling: mu = 2 * 3 = 6.
    assert local_milnor_number(sympy.sqrt(2) * x**3 + y**4 + x * y**3, (x, y), 8)[0] == 6


@pytest.mark.parametrize(
    "h, variables",
    [
        (x**2 * y**2, (x, y)),  # critical along both axes
        ((x**2 - y**3) ** 2, (x, y)),  # critical along the cusp x^2 = y^3
        (x * y * z, (x, y, z)),  # critical along the three axes
    ],
)
def test_non_isolated_germs_never_get_a_finite_milnor_number(h, variables):
    gradient = [h.diff(u) for u in variables]
    assert local_milnor_number(h, variables, 10)[0] is None
    assert isolated_zero(to_flint(gradient, variables)[1]) is False
    result = splitting(h, variables=[str(u) for u in variables])
    assert (result.milnor_number, result.isolated) == (None, False)
    assert "non-isolated" in sg.classify(h, variables=variables).reason


def test_isolatedness_certificates():
    # grad(x^3 + y^4) = (3x^2, 4y^3) vanishes only at 0; grad(x^2 y^2) shares the factor x*y.
    flint_gradient = to_flint([3 * x**2, 4 * y**3], (x, y))[1]
    assert isolated_zero(flint_gradient) is True and common_factor_at_origin(flint_gradient) is False
    assert common_factor_at_origin(to_flint([2 * x * y**2, 2 * x**2 * y], (x, y))[1]) is True
    # (x^2 + y^2)^2 is non-isolated over C (the lines x = +-i y), although its real zero is a point.
    gradient = [sympy.diff((x**2 + y**2) ** 2, u) for u in (x, y)]
    assert common_factor_at_origin(to_flint(gradient, (x, y))[1]) is True


def _moved(g, variables, seed):
    """g after an invertible polynomial change of coordinates (unimodular linear part plus quadratic terms)."""
    rng = random.Random(seed)
    n = len(variables)
    image = list(variables)
    for _ in range(3):
        i, j = rng.sample(range(n), 2)
        image[i] = image[i] + rng.choice([-1, 1, 2]) * image[j]
    image = [e + rng.choice([0, 1, -1]) * rng.choice(variables) * rng.choice(variables) for e in image]
    return sympy.expand(g.xreplace(dict(zip(variables, image))))


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("g, mu", [(x**3 + y**7, 12), (x**2 * y + y**12, 13), (x**4 + y**6, 15)])
def test_milnor_number_is_a_coordinate_invariant(g, mu, seed):
    # mu is invariant under local diffeomorphisms; the values are (a-1)(b-1) and k + 1 as above,
    # x^4 + y^6: 3 * 5 = 15.  Two Morse squares do not change mu (splitting lemma).
    moved = _moved(g + w**2 - v**2, [x, y, w, v], seed)
    assert sg.classify(moved, variables=(x, y, w, v)).milnor_number == mu


def test_types_beyond_the_old_caps():
    # x^31 + y^2: A30 (mu = 30 > the old corank-1 cap 23); x^2 y + y^20: D21 (mu = 21 > 15).
    assert (sg.classify("x**31 + y**2").label, sg.classify("x**31 + y**2").milnor_number) == ("A30", 30)
    c = sg.classify("x**2*y + y**20 + w**2", variables=("x", "y", "w"))
    assert (c.type, c.milnor_number) == ("D21", 21)


@pytest.mark.parametrize("g", ["x**3 + y**5 + x**2*y**2", "x**2*y + y**6 - z**2", "x**4 + y**4 + x**2*y**2 + z**2"])
def test_flint_and_sympy_paths_agree(g):
    fast = splitting(g)
    with using("sympy"):
        reference = splitting(g)
    assert (fast.milnor_number, fast.corank, fast.inertia, fast.residual) == (
        reference.milnor_number,
        reference.corank,
        reference.inertia,
        reference.residual,
    )


@pytest.mark.parametrize(
    "f, point",
    [("x**3*y - 2*x*y**2 + y**4/3 + 5", "1,-2"), ("(x - 1/2)**4 + x*y*z - z**3", "1/2,0,3"), ("x**2 + y", "0,0")],
)
def test_polynomial_jets_agree_on_both_backends(f, point):
    # The translated polynomial f(p + x) - f(p) is the same whichever backend expands it.
    from singularities.jets import taylor_terms

    energy = sg.Energy(f, point=point)
    fast = taylor_terms(energy, 3)
    with using("sympy"):
        reference = taylor_terms(energy, 3)
    assert fast == reference and list(fast) == list(reference)
