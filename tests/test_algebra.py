"""The exact real-algebra kernel (singularities/algebra/) against hand-derived truths.

Every expected root, sign, inertia, solution and box below is derived in a
comment from first principles, not copied from a run.
"""

import ast
import pathlib
import pickle
import random
from fractions import Fraction

import pytest
import sympy

from singularities._limits import Deadline
from singularities.algebra import polys as polys_module
from singularities.algebra.backend import using
from singularities.algebra.intervals import excluded, interval_horner, krawczyk
from singularities.algebra.polys import (
    dimension,
    eliminant,
    groebner_basis,
    is_unit,
    lex_basis,
    normal_form_coordinates,
    primitive,
    rank_form,
    resultant,
    split_ideal,
    standard_monomials,
)
from singularities.algebra.realroots import (
    exact_sign,
    has_root_between,
    hessian_inertia,
    inertia_from_signs,
    real_roots,
)
from singularities.algebra.systems import PolynomialSystem, real_solutions, slice_points
from singularities.errors import SingularitiesError, TimeLimitError, UndecidedSign

x, y, z = sympy.symbols("x y z")
SQRT2 = sympy.sqrt(2)
# The plastic number rho, the only real root of x^3 - x - 1: the discriminant -4(-1)^3 - 27(-1)^2 = -23 < 0
# leaves one real root; f(13/10) = 2.197 - 2.3 = -0.103 < 0 < f(4/3) = 64/27 - 63/27 = 1/27, so 1.3 < rho < 4/3.
RHO = sympy.CRootOf(x**3 - x - 1, 0)


# ---------------------------------------------------------------------------
# real roots and exact signs


def test_real_roots_of_a_product_in_increasing_order():
    # (x^2 - 2)(x^3 - x - 1) has the real roots -sqrt 2, rho and sqrt 2; rho < 4/3 < 1.414... < sqrt 2.
    roots = real_roots(sympy.Poly((x**2 - 2) * (x**3 - x - 1), x))
    assert [r.expr() for r in roots] == [-SQRT2, RHO, SQRT2]
    for r in roots:  # each interval isolates its root: the exact value lies inside it
        assert exact_sign(r.expr() - sympy.Rational(r.lo)) >= 0 and exact_sign(sympy.Rational(r.hi) - r.expr()) >= 0
    assert all(a.hi < b.lo for a, b in zip(roots, roots[1:]))  # pairwise disjoint


def test_real_root_signs_and_comparison():
    (rho,) = real_roots(sympy.Poly(x**3 - x - 1, x))
    sqrt2 = real_roots(sympy.Poly(x**2 - 2, x))[1]
    # rho^2 < (4/3)^2 = 16/9 < 2, so rho^2 - 2 < 0; rho - 13/10 > 0 (header comment).
    assert rho.sign(sympy.Poly(x**2 - 2, x)) == -1
    assert rho.sign(sympy.Poly(x - sympy.Rational(13, 10), x)) == 1
    assert rho.compare(sqrt2) == -1 and sqrt2.compare(rho) == 1 and rho.compare(rho) == 0


@pytest.mark.parametrize(
    "value, expected",
    [
        # 1.4142^2 = 1.99996164 < 2 < 2.00024449 = 1.4143^2
        (SQRT2 - sympy.Rational(14142, 10000), 1),
        (SQRT2 - sympy.Rational(14143, 10000), -1),
        # (sqrt 2 + sqrt 3)^2 = 5 + 2 sqrt 6: a zero that evaluation alone cannot prove
        (SQRT2 + sympy.sqrt(3) - sympy.sqrt(5 + 2 * sympy.sqrt(6)), 0),
        # header comment: 13/10 < rho < 4/3
        (RHO - sympy.Rational(4, 3), -1),
        (RHO - sympy.Rational(13, 10), 1),
        # rho^3 - rho - 1 = 0 exactly
        (RHO**3 - RHO - 1, 0),
        # pi = 3.14159265... < 355/113 = 3.14159292...
        (sympy.pi - sympy.Rational(355, 113), -1),
        (sympy.Rational(-7, 3), -1),
        (sympy.Integer(0), 0),
    ],
)
def test_exact_sign(value, expected):
    assert exact_sign(value) == expected


@pytest.mark.parametrize(
    "a, b",
    [
        (2, Fraction(3, 2)),
        (3, Fraction(7, 4)),
        (5, Fraction(9, 4)),
        (7, Fraction(8, 3)),
        (9, Fraction(3)),
    ],
)
def test_exact_sign_of_a_square_root_minus_a_rational_agrees_with_squaring(a, b):
    # For b > 0: sign(sqrt(a) - b) = sign(a - b^2), decided in the rationals (sqrt 9 - 3 = 0).
    expected = (a > b**2) - (a < b**2)
    assert exact_sign(sympy.sqrt(a) - sympy.Rational(b.numerator, b.denominator)) == expected


def test_a_non_real_number_has_no_sign():
    # i is not real: an error under the package's root that is also a ValueError, and it pickles.
    with pytest.raises(UndecidedSign, match="not a real number") as caught:
        exact_sign(sympy.I + 1)
    assert isinstance(caught.value, SingularitiesError) and isinstance(caught.value, ValueError)
    assert str(pickle.loads(pickle.dumps(caught.value))) == str(caught.value)


def test_a_symbolic_value_has_a_sign_only_through_its_assumptions():
    # p > 0 by assumption decides p; x + 1 depends on x and is refused, not guessed.
    assert exact_sign(sympy.Symbol("p", positive=True)) == 1
    with pytest.raises(UndecidedSign, match="depends on x"):
        exact_sign(x + 1)


def test_has_root_between():
    # x^2 - 2 has the roots +-1.414...: one in (1, 2), none in (3/2, 2); the plastic number lies in (13/10, 4/3).
    assert has_root_between(sympy.Poly(x**2 - 2, x), 1, 2)
    assert not has_root_between(sympy.Poly(x**2 - 2, x), sympy.Rational(3, 2), 2)
    assert has_root_between(sympy.Poly(x**3 - x - 1, x), sympy.Rational(13, 10), sympy.Rational(4, 3))


# ---------------------------------------------------------------------------
# inertia


@pytest.mark.parametrize(
    "matrix, expected",
    [
        # eigenvalues +1 and -1
        ([[0, 1], [1, 0]], (1, 1, 2)),
        # diagonal: one positive, one negative, one zero
        ([[1, 0, 0], [0, -2, 0], [0, 0, 0]], (1, 1, 2)),
        # the path Laplacian has eigenvalues 2 - sqrt 2, 2, 2 + sqrt 2, all positive
        ([[2, -1, 0], [-1, 2, -1], [0, -1, 2]], (3, 0, 3)),
        # rank one with trace 2: eigenvalues 0 and 2
        ([[1, 1], [1, 1]], (1, 0, 1)),
        # determinant 2 - 2 = 0 and trace 3: eigenvalues 0 and 3
        ([[1, SQRT2], [SQRT2, 2]], (1, 0, 1)),
        # eigenvalues rho - sqrt 2 < 0 (rho < 4/3 < sqrt 2) and rho + sqrt 2 > 0
        ([[RHO, SQRT2], [SQRT2, RHO]], (1, 1, 2)),
    ],
)
def test_hessian_inertia(matrix, expected):
    assert hessian_inertia(sympy.Matrix(matrix)) == expected


def test_inertia_from_signs_counts_by_descartes():
    # det(t I - diag(1, -1, 0)) = t^3 - t: coefficient signs (1, 0, -1, 0), one change, one trailing zero.
    assert inertia_from_signs([1, 0, -1, 0]) == (1, 1, 2)


# ---------------------------------------------------------------------------
# polynomial ideals


def test_dimension_unit_and_eliminant():
    # (x y) is a pair of lines: dimension 1; (x, y) is the origin: dimension 0; (x, x - 1) has no zero.
    assert dimension(groebner_basis([x * y], (x, y)), (x, y))[0] == 1
    assert dimension(groebner_basis([x, y], (x, y)), (x, y))[0] == 0
    assert is_unit(groebner_basis([x, x - 1], (x, y)))
    # x^2 + y^2 = 5, x y = 2: y = 2/x gives x^2 + 4/x^2 = 5, i.e. x^4 - 5 x^2 + 4 = (x^2 - 1)(x^2 - 4).
    assert sympy.factor(eliminant([x**2 + y**2 - 5, x * y - 2], (x, y), x)) == sympy.factor((x**2 - 1) * (x**2 - 4))


# ---------------------------------------------------------------------------
# Groebner bases on FLINT and on sympy: the reduced basis is unique, so the two must agree exactly


def _random_ideal(seed):
    """A seeded random ideal: 2-4 generators of degree <= 4 in 2-3 variables, small rational coefficients."""
    rng = random.Random(seed)
    variables = (x, y, z)[: rng.choice((2, 3))]
    polys = []
    for _ in range(rng.randint(2, 4)):
        terms = rng.randint(2, 5)
        monomials = [tuple(rng.randint(0, 3) for _ in variables) for _ in range(terms)]
        polys.append(
            sum(
                sympy.Rational(rng.randint(-9, 9), rng.randint(1, 4)) * sympy.Mul(*(v**e for v, e in zip(variables, m)))
                for m in monomials
            )
        )
    return polys, variables


def _is_reduced(basis):
    """The defining properties of a reduced Groebner basis over QQ, checked term by term (no Buchberger code):
    every element monic, and no term of any element divisible by the leading monomial of another."""
    leading = [p.monoms(order=basis.order)[0] for p in basis.polys]
    for i, p in enumerate(basis.polys):
        if p.coeffs(order=basis.order)[0] != 1:
            return False
        for j, lead in enumerate(leading):
            if j != i and any(all(a >= b for a, b in zip(m, lead)) for m in p.monoms()):
                return False
    return True


# (seed 7 in lex: sympy's lex Buchberger takes ~45 s, so that case runs with -m slow)
@pytest.mark.parametrize(
    "seed, order",
    [
        pytest.param(seed, order, marks=[pytest.mark.slow] if (seed, order) == (7, "lex") else [])
        for seed in range(12)
        for order in ("grevlex", "lex", "grlex")
    ],
)
def test_groebner_basis_is_the_same_on_flint_and_sympy(seed, order):
    # Reduced Groebner bases are unique (Cox-Little-O'Shea, Prop. 2.7.6): any correct computation gives the
    # same basis; the FLINT path must return it with the same normalisation, order of elements and domain.
    polys, variables = _random_ideal(seed)
    flint_basis = groebner_basis(polys, variables, order=order)
    with using("sympy"):
        sympy_basis = groebner_basis(polys, variables, order=order)
    assert flint_basis.exprs == sympy_basis.exprs and flint_basis.domain == sympy_basis.domain
    assert flint_basis == sympy_basis and _is_reduced(flint_basis)
    # every generator lies in the ideal: it reduces to zero modulo the basis
    assert all(flint_basis.contains(p) for p in polys)


def test_groebner_basis_of_jacobian_ideals_by_hand():
    # E8 = x^3 + y^5: J = (3x^2, 5y^4), a monomial ideal, so its reduced basis is {x^2, y^4}; in grevlex the
    # degree-4 monomial y^4 leads x^2 (sympy lists leading monomials in decreasing order).
    assert groebner_basis([3 * x**2, 5 * y**4], (x, y)).exprs == [y**4, x**2]
    # D4^- = x^2 y - y^3: J = (2xy, x^2 - 3y^2).  S(2xy, x^2 - 3y^2) gives y (x^2 - 3y^2) - x (xy) = -3y^3,
    # so the reduced grevlex basis is {y^3, x^2 - 3 y^2, x y}; the monomials outside (y^3, x^2, x y) are
    # 1, x, y, y^2: dim Q[x, y]/J = 4 = mu(D4).
    basis = groebner_basis([2 * x * y, x**2 - 3 * y**2], (x, y))
    assert basis.exprs == [y**3, x**2 - 3 * y**2, x * y]
    assert sorted(standard_monomials(basis, (x, y))) == [(0, 0), (0, 1), (0, 2), (1, 0)]
    # The same ideal after the linear change x -> x + y keeps its colength: mu is a coordinate invariant.
    moved = [e.subs(x, x + y, simultaneous=True) for e in (2 * x * y, x**2 - 3 * y**2)]
    assert len(standard_monomials(groebner_basis(moved, (x, y)), (x, y))) == 4


def test_groebner_basis_with_algebraic_coefficients_under_the_default_domain():
    # The default domain is QQ; sqrt(2) is not in it. Both backends take the domain sympy infers instead
    # of raising CoercionFailed. By hand: y**2 = 1 and x**2 = sqrt(2)*y give x**4 = 2*y**2 = 2, so x**4 - 2
    # lies in the ideal and x - 1 does not (x = 1 forces y = 1/sqrt(2), and then y**2 != 1).
    for name in ("flint", "sympy"):
        with using(name):
            basis = groebner_basis([x**2 - SQRT2 * y, y**2 - 1], (x, y))
        assert basis.contains(x**4 - 2)
        assert not basis.contains(x - 1)


def test_groebner_basis_on_flint_does_not_call_sympy(monkeypatch):
    # A rational ideal in a supported order never reaches sympy.groebner on the FLINT backend.
    def refuse(*args, **kwargs):
        raise AssertionError("sympy.groebner was called")

    monkeypatch.setattr(sympy, "groebner", refuse)
    with using("flint"):
        basis = groebner_basis([x**2 + y**2 - 5, x * y - 2], (x, y), order="lex")
    # x = 2/y turns x^2 + y^2 = 5 into y^4 - 5 y^2 + 4 = 0; multiplying that by x and using x y = 2 gives
    # 2 y^3 - 10 y + 4 x = 0, i.e. x = (5 y - y^3)/2: the reduced lex basis (x > y) is
    # {x + y^3/2 - 5 y/2, y^4 - 5 y^2 + 4}.
    assert basis.exprs == [x + y**3 / 2 - 5 * y / 2, y**4 - 5 * y**2 + 4]


def test_groebner_basis_falls_back_to_sympy(monkeypatch):
    a = sympy.Symbol("a")
    # Outside QQ: a parameter (domain ZZ[a]) and an algebraic coefficient (EX): sympy's basis, as before.
    for polys, options in (([x**2 - a, x * y - 1], {"domain": None}), ([x**2 - SQRT2 * y], {"domain": None})):
        with using("sympy"):
            expected = groebner_basis(polys, (x, y), **options)
        assert groebner_basis(polys, (x, y), **options) == expected
    # A slice that hits its bounds (here: every slice is empty) hands the ideal to sympy: the same basis.
    polys = [x**3 - 2 * x * y, x**2 * y - 2 * y**2 + x]
    expected = groebner_basis(polys, (x, y))
    monkeypatch.setattr(polys_module, "FLINT_SLICES", ((0, 0, 0),))
    assert groebner_basis(polys, (x, y)) == expected
    # Over ZZ (no domain given, integer input) both paths clear denominators: primitive, positive leading term.
    assert groebner_basis([2 * x + 4 * y, 3 * x - 6], (x, y), domain=None).exprs == [x - 2, y + 1]


def test_groebner_basis_from_flint_supports_fglm_reduce_and_dimension():
    # x^2 + y^2 = 5, x y = 2 (above): FGLM of the grevlex basis is the lex basis computed directly.
    polys = [x**2 + y**2 - 5, x * y - 2]
    with using("flint"):
        grevlex = groebner_basis(polys, (x, y))
    assert grevlex.fglm("lex").exprs == groebner_basis(polys, (x, y), order="lex").exprs
    assert grevlex.reduce(x**2 * y)[1] == 2 * x  # x^2 y = x (x y) = 2x modulo the ideal
    assert dimension(grevlex, (x, y)) == (0, ())


@pytest.mark.parametrize("seed", range(10))
def test_lex_basis_is_the_same_on_flint_and_sympy(seed):
    # The reduced lex basis is unique: FLINT's direct lex run and sympy's grevlex + FGLM must agree (on a
    # positive-dimensional ideal both refuse alike: FGLM needs dimension 0).
    rng = random.Random(seed)
    variables = (x, y, z)[: rng.choice((2, 3))]
    polys = [
        sum(rng.randint(-3, 3) * v ** rng.randint(0, 2) * w ** rng.randint(0, 2) for v in variables for w in variables)
        + rng.randint(-3, 3)
        for _ in variables
    ]
    outcomes = []
    for name in ("flint", "sympy"):
        with using(name):
            try:
                outcomes.append(lex_basis(polys, variables))
            except NotImplementedError:
                outcomes.append("positive-dimensional")
    assert outcomes[0] == outcomes[1]
    if outcomes[0] != "positive-dimensional":
        assert outcomes[0].exprs == outcomes[1].exprs and _is_reduced(outcomes[0])


def test_lex_basis_on_flint_needs_no_fglm(monkeypatch):
    # x^2 + y^2 = 5, x y = 2 (above): FLINT computes the lex basis itself, without sympy's FGLM.
    def refuse(*args, **kwargs):
        raise AssertionError("FGLM was called")

    monkeypatch.setattr(sympy.GroebnerBasis, "fglm", refuse)
    with using("flint"):
        assert lex_basis([x**2 + y**2 - 5, x * y - 2], (x, y)).exprs == [x + y**3 / 2 - 5 * y / 2, y**4 - 5 * y**2 + 4]


def test_resultant_by_hand_and_on_both_backends():
    # res_x(p, q) = lc(p)^deg q * prod of q(r) over the roots r of p.  For p = x^2 - y (roots r1, r2 with
    # r1 + r2 = 0, r1 r2 = -y) and q = x - 1: (r1 - 1)(r2 - 1) = r1 r2 - (r1 + r2) + 1 = 1 - y.
    assert sympy.expand(resultant(x**2 - y, x - 1, x, (x, y)) - (1 - y)) == 0
    # res_x(x^2 + 1, y - x^2) = (y - i^2)(y - (-i)^2) = (y + 1)^2 (roots +-i of x^2 + 1).
    assert sympy.expand(resultant(x**2 + 1, y - x**2, x, (x, y)) - (y + 1) ** 2) == 0
    # The resultant is det of the Sylvester matrix: FLINT and sympy must give the same polynomial.
    rng = random.Random(3)
    for _ in range(10):
        q = x**7 + sum(sympy.Rational(rng.randint(-9, 9), rng.randint(1, 5)) * x**k for k in range(7))
        a = sum(sympy.Rational(rng.randint(-9, 9), rng.randint(1, 5)) * x**k for k in range(6))
        with using("sympy"):
            expected = resultant(q, y - a, x, (x, y))
        assert sympy.expand(resultant(q, y - a, x, (x, y)) - expected) == 0


def test_groebner_basis_stops_at_the_deadline():
    deadline = Deadline(1)
    deadline._end = 0.0  # already past
    with pytest.raises(TimeLimitError):
        groebner_basis([x**2 - y, y**2 - x], (x, y), deadline)


def test_split_ideal_keeps_every_point():
    # V(x y, x (x - 1)) = {x = 0} u {(1, 0)}: the two leaves.
    leaves = split_ideal([x * y, x * (x - 1)], (x, y), Deadline(None))
    assert {tuple(leaf.exprs) for leaf in leaves} == {(x,), (x - 1, y)}


def test_quotient_basis_and_coordinates():
    # Q[x, y]/(x^2, y^2) has the basis 1, y, x, x y (dimension 4, the Milnor number of x^3 + y^3).
    basis = groebner_basis([x**2, y**2], (x, y))
    standard = standard_monomials(basis, (x, y))
    assert sorted(standard) == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert normal_form_coordinates(3 * x * y - 2, standard, (x, y)) == [-2, 0, 0, 3]
    # (x y) has infinitely many standard monomials (x^k): None
    assert standard_monomials(groebner_basis([x * y], (x, y)), (x, y)) is None


def test_rank_form_and_primitive():
    # diag(a, b): e_1 = a + b, e_2 = a b.
    a, b = sympy.symbols("a b")
    assert rank_form(sympy.diag(a, b), 1) == a + b and rank_form(sympy.diag(a, b), 2) == a * b
    assert primitive(-x / 2 + y / 3, (x, y)) == 3 * x - 2 * y


# ---------------------------------------------------------------------------
# intervals


def test_krawczyk_encloses_sqrt2():
    # [7/5, 3/2] = [1.4, 1.5] contains sqrt 2 = 1.41421...; Newton's contraction proves one zero there.
    f = sympy.Poly(x**2 - 2, x, domain="QQ")
    box = [(Fraction(7, 5), Fraction(3, 2))]
    assert krawczyk([f], [[f.diff(x)]], box) and not excluded([f], box)
    # [3/2, 8/5]: x^2 - 2 >= 1/4 > 0 there, so the box is excluded and not certified.
    far = [(Fraction(3, 2), Fraction(8, 5))]
    assert excluded([f], far) and not krawczyk([f], [[f.diff(x)]], far)


def test_krawczyk_in_two_variables():
    # F = (x^2 + y^2 - 2, x - y) has the simple zero (1, 1) (Jacobian [[2, 2], [1, -1]], det -4).
    F = [sympy.Poly(x**2 + y**2 - 2, x, y, domain="QQ"), sympy.Poly(x - y, x, y, domain="QQ")]
    J = [[g.diff(v) for v in (x, y)] for g in F]
    assert krawczyk(F, J, [(Fraction(9, 10), Fraction(11, 10))] * 2)


def test_interval_horner_encloses_the_range():
    # On [1, 2], x^2 - 2 ranges over [-1, 2]; Horner's enclosure contains that range.
    lo, hi = interval_horner([1, 0, -2], Fraction(1), Fraction(2))
    assert lo <= -1 and hi >= 2


# ---------------------------------------------------------------------------
# systems


def test_real_solutions_of_a_system_with_four_real_points():
    # x^2 + y^2 = 5, x y = 2: (x + y)^2 = 9 and (x - y)^2 = 1, so {x, y} = {1, 2} or {-1, -2};
    # the value x + y is 3 or -3.
    system = PolynomialSystem.general([x**2 + y**2 - 5, x * y - 2], (x, y), value=x + y)
    points, components = real_solutions(system)
    assert components == ()
    assert {(p.point, p.value) for p in points} == {((1, 2), 3), ((2, 1), 3), ((-1, -2), -3), ((-2, -1), -3)}


def test_real_solutions_drop_complex_ones():
    # x^2 = 2, y^2 = x: four complex solutions, real only for x = sqrt 2, y = +-2^(1/4).
    points, _ = real_solutions(PolynomialSystem.general([x**2 - 2, y**2 - x], (x, y)))
    root = sympy.root(2, 4)
    assert {p.point for p in points} == {(SQRT2, root), (SQRT2, -root)}
    # x^2 + 1 = 0 has no real solution at all.
    assert real_solutions(PolynomialSystem.general([x**2 + 1, y], (x, y)))[0] == []


def test_inertia_of_the_matrix_at_each_solution():
    # The Hessian of x^3 - 3x + y^2 is diag(6x, 2); its critical points x = +-1, y = 0 give diag(6, 2) and diag(-6, 2).
    system = PolynomialSystem.of_function(sympy.Poly(x**3 - 3 * x + y**2, x, y, domain="QQ"), (x, y))
    points, _ = real_solutions(system)
    assert {(p.point, p.inertia, p.rank) for p in points} == {((1, 0), (2, 0), 2), ((-1, 0), (1, 1), 2)}


def test_a_component_sample_satisfies_the_equations_exactly():
    # x^2 + y^2 + z^2 = 1 and x = y: a circle (dimension 1), smooth everywhere (Jacobian rank 2).
    equations = [x**2 + y**2 + z**2 - 1, x - y]
    points, (circle,) = real_solutions(PolynomialSystem.general(equations, (x, y, z)))
    assert points == [] and circle.dimension == 1 and circle.real_dimension == 1
    at = dict(zip((x, y, z), circle.sample_point))
    assert all(sympy.expand(e.xreplace(at)) == 0 for e in equations)


def test_slice_points_lie_on_their_slice_and_the_set():
    # The unit circle cut by x = 0 and x = 3/5: (0, +-1) and (3/5, +-4/5) (a 3-4-5 triangle).
    found = [p for p, _ in slice_points([x**2 + y**2 - 1], (x, y), [{x: 0}, {x: sympy.Rational(3, 5)}], ordered=True)]
    assert found == [
        (0, -1),
        (0, 1),
        (sympy.Rational(3, 5), sympy.Rational(-4, 5)),
        (sympy.Rational(3, 5), sympy.Rational(4, 5)),
    ]
    # A slice through no real point (x = 2) and one with an irrational value are skipped, not guessed.
    assert list(slice_points([x**2 + y**2 - 1], (x, y), [{x: 2}, {x: SQRT2 / 2}])) == []


# ---------------------------------------------------------------------------
# one home for Groebner bases

PACKAGE = pathlib.Path(__file__).resolve().parents[1] / "singularities"
# Modules still calling sympy's groebner directly while their owners route them through algebra.polys in
# parallel (issue 14): the lead empties this list after merging those branches.


def _direct_groebner_calls(path):
    """Lines where a module uses sympy's groebner / GroebnerBasis itself (``sympy.groebner``, or imported by name)."""
    tree = ast.parse(path.read_text())
    names = {"groebner", "GroebnerBasis"}
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in names:
            lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sympy"):
            lines += [node.lineno for alias in node.names if alias.name in names]
    return lines


def test_groebner_bases_have_one_home():
    # Every Groebner basis outside algebra/polys.py goes through algebra.polys.groebner_basis / lex_basis (FLINT
    # when it can, one Deadline, the backend switch): no module calls sympy's groebner directly.
    offenders = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative == "algebra/polys.py":
            continue
        lines = _direct_groebner_calls(path)
        if lines:
            offenders[relative] = lines
    assert not offenders, f"direct sympy.groebner calls (use algebra.polys.groebner_basis): {offenders}"
    # the scan sees a call: the one home itself calls sympy.groebner
    assert _direct_groebner_calls(PACKAGE / "algebra" / "polys.py")


def _zero_dimensional_ideal(seed):
    """A seeded ideal v^top + (terms of degree < top) for each variable v, in 2-4 variables.

    In every degree order v^top leads each generator; pairwise coprime leading monomials make the generators
    a Groebner basis (Buchberger's first criterion), so the ideal is zero-dimensional with top^n standard
    monomials (9, 27 or 16): a real FGLM walk.
    """
    rng = random.Random(seed)
    variables = sympy.symbols("x y z w")[: rng.choice((2, 3, 3, 4))]
    top = 2 if len(variables) == 4 else 3

    def tail():
        monomials = [sympy.Mul(*rng.sample(variables, rng.randint(0, top - 1))) for _ in range(4)]
        return sum(sympy.Rational(rng.randint(-5, 5), rng.randint(1, 3)) * m for m in monomials)

    return [v**top + tail() for v in variables], variables


@pytest.mark.parametrize("seed", range(12))
def test_fglm_on_flint_is_sympys_fglm(seed):
    # Reduced Groebner bases are unique: FGLM on FLINT must return exactly the basis of sympy's independent FGLM
    # (same GroebnerBasis type, order, generators, domain), which sympy's lex Buchberger confirms.
    polys, variables = _zero_dimensional_ideal(seed)
    with using("flint"):
        grevlex = groebner_basis(polys, variables)
    assert grevlex.is_zero_dimensional
    ours = polys_module._flint_fglm(grevlex, variables, Deadline(None), "test")
    theirs = grevlex.fglm("lex")
    assert type(ours) is type(theirs) and ours == theirs
    assert ours.exprs == theirs.exprs and ours.order == theirs.order and ours.gens == theirs.gens
    assert [p.domain for p in ours.polys] == [p.domain for p in theirs.polys]
    if seed < 3:
        assert ours.exprs == sympy.groebner(polys, *variables, order="lex").exprs


def test_lex_basis_through_fglm_on_flint(monkeypatch):
    # FLINT's lex slices refused and sympy's FGLM forbidden: lex_basis must still find the basis of
    # x^2 + y^2 = 5, x y = 2 by hand: the points (+-1, +-2), (+-2, +-1) with x = 2/y, y^4 - 5 y^2 + 4 =
    # (y^2 - 1)(y^2 - 4), and x = 2/y = -(y^3 - 5 y)/2 on those roots (y = 1: 2; y = 2: 1).
    original = polys_module._flint_groebner

    def no_lex(exprs, variables, options, deadline, stage):
        return None if options["order"] == "lex" else original(exprs, variables, options, deadline, stage)

    def refuse(*args, **kwargs):
        raise AssertionError("sympy's FGLM was called")

    monkeypatch.setattr(polys_module, "_flint_groebner", no_lex)
    monkeypatch.setattr(sympy.GroebnerBasis, "fglm", refuse)
    with using("flint"):
        assert lex_basis([x**2 + y**2 - 5, x * y - 2], (x, y)).exprs == [x + y**3 / 2 - 5 * y / 2, y**4 - 5 * y**2 + 4]


def test_lex_basis_keeps_sympys_fglm_on_the_sympy_backend(monkeypatch):
    # The reference path stays reachable: under using("sympy") the FLINT FGLM is never called.
    def refuse(*args, **kwargs):
        raise AssertionError("FLINT's FGLM was called")

    monkeypatch.setattr(polys_module, "_flint_fglm", refuse)
    with using("sympy"):
        assert lex_basis([x**2 + y**2 - 5, x * y - 2], (x, y)).exprs == [x + y**3 / 2 - 5 * y / 2, y**4 - 5 * y**2 + 4]


def test_fglm_on_flint_survives_unlucky_primes(monkeypatch):
    # With the primes 2, 3, 5 the modular walk meets denominators divisible by p and dependencies that hold
    # only mod p; the exact check must then refuse (None), never return another basis, and lex_basis must
    # fall back to sympy's FGLM: the answer is the same as with the default primes.
    monkeypatch.setattr(polys_module, "_FGLM_PRIMES", (2, 3, 5))
    refused = 0
    for seed in range(12):
        polys, variables = _zero_dimensional_ideal(seed)
        with using("flint"):
            grevlex = groebner_basis(polys, variables)
        ours = polys_module._flint_fglm(grevlex, variables, Deadline(None), "test")
        refused += ours is None
        assert ours is None or ours.exprs == grevlex.fglm("lex").exprs
    assert refused > 0


def test_fglm_on_flint_refuses_what_it_cannot_take():
    # Not zero-dimensional (the line x = y), or coefficients outside QQ: None, so lex_basis uses sympy's FGLM
    # (which raises NotImplementedError for the line, as before).
    a = sympy.Symbol("a")
    with using("flint"):
        line = groebner_basis([x - y], (x, y))
        assert polys_module._flint_fglm(line, (x, y), Deadline(None), "test") is None
        with pytest.raises(NotImplementedError):
            lex_basis([x - y], (x, y))
    parametric = sympy.groebner([x**2 - a, y - x], x, y, order="grevlex")
    assert polys_module._flint_fglm(parametric, (x, y), Deadline(None), "test") is None


def test_fglm_on_flint_stops_at_the_deadline():
    # An expired deadline stops FGLM between two FLINT calls with a TimeLimitError naming the stage.
    from singularities.errors import TimeLimitError

    polys, variables = _zero_dimensional_ideal(0)
    with using("flint"):
        grevlex = groebner_basis(polys, variables)
    with pytest.raises(TimeLimitError, match="lex test"):
        polys_module._flint_fglm(grevlex, variables, Deadline(1e-9), "lex test")
