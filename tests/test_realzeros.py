"""Real zeros of polynomial systems (singularities/algebra/realzeros.py): witnesses, certificates and their checker.

Every expected answer is derived by hand in a comment: a sum of squares plus a
constant, a root count by hand, an explicit point substituted.  Each YES
witness is checked here by exact substitution, each NO certificate by
``is_valid_certificate``, and tampered certificates must be refused.
"""

from dataclasses import replace

import pytest
import sympy

from singularities._limits import Deadline
from singularities.algebra import realzeros
from singularities.algebra.realzeros import (
    Answer,
    NoRealZero,
    is_valid_certificate,
    open_box_sign,
    real_point,
    torus_zeros,
)

X, Y, Z = sympy.symbols("x y z")


def _is_real_zero(point, system, variables):
    values = dict(zip(variables, point))
    return all(sympy.sympify(a).is_real for a in point) and all(sympy.simplify(p.subs(values)) == 0 for p in system)


# --- the named cases ---------------------------------------------------------------------------------


def test_sum_of_squares_plus_one_has_no_real_zero_and_the_checker_accepts_why():
    # x^2 + y^2 + 1 >= 1 > 0 on R^2; the certificate is the identity x^2 + y^2 + 1 = 1 + 1*x^2 + 1*y^2.
    system = [X**2 + Y**2 + 1]
    answer, certificate = real_point(system, (X, Y))
    assert answer is Answer.NO and certificate.kind == "definite"
    assert sympy.expand(certificate.constant + sum(a * l**2 for a, l in certificate.squares) - system[0]) == 0
    assert is_valid_certificate(certificate, system, (X, Y))


def test_x2_minus_2y2_has_a_witness():
    # x^2 - 2y^2 vanishes at the origin (and on the lines x = +-sqrt(2) y); on y = 1 only at x = +-sqrt(2).
    answer, witness = real_point([X**2 - 2 * Y**2], (X, Y))
    assert answer is Answer.YES and _is_real_zero(witness, [X**2 - 2 * Y**2], (X, Y))
    system = [X**2 - 2 * Y**2, Y - 1]
    answer, witness = real_point(system, (X, Y))
    assert answer is Answer.YES and _is_real_zero(witness, system, (X, Y))
    assert witness[1] == 1 and witness[0] ** 2 == 2


def test_a_system_whose_only_real_zero_is_irrational():
    # x^3 = 2 has the one real root 2^(1/3) (the other two are 2^(1/3) times the complex cube roots of 1), and
    # x y = 1 then gives y = 2^(-1/3): the only real zero, irrational in both coordinates.
    system = [X**3 - 2, X * Y - 1]
    answer, witness = real_point(system, (X, Y))
    assert answer is Answer.YES and _is_real_zero(witness, system, (X, Y))
    assert sympy.simplify(witness[0] - sympy.cbrt(2)) == 0 and sympy.simplify(witness[1] - 1 / sympy.cbrt(2)) == 0


def test_tampered_certificates_are_refused():
    system = [X**2 + Y**2 + 1]
    _, certificate = real_point(system, (X, Y))
    assert is_valid_certificate(certificate, system, (X, Y))
    # 2 + x^2 + y^2 is not x^2 + y^2 + 1: the identity fails.
    assert not is_valid_certificate(replace(certificate, constant=sympy.Integer(2)), system, (X, Y))
    # 1 - x^2 + y^2 is not x^2 + y^2 + 1, and the signs differ anyway.
    assert not is_valid_certificate(replace(certificate, squares=((-1, X), (1, Y))), system, (X, Y))
    # The same certificate for x^2 + y^2 - 1 (the unit circle, which has real zeros): x^2 + y^2 + 1 is not in its ideal.
    assert not is_valid_certificate(certificate, [X**2 + Y**2 - 1], (X, Y))
    # An eliminant certificate: x^2 + 1 is in (x^2 + 1, y - x) and has no real root; x^2 - 1 has the roots +-1.
    system = [X**2 + 1, Y - X]
    answer, certificate = real_point(system, (X, Y))
    assert answer is Answer.NO and is_valid_certificate(certificate, system, (X, Y))
    assert not is_valid_certificate(replace(certificate, polynomial=X**2 - 1), system, (X, Y))
    assert not is_valid_certificate(replace(certificate, kind="unknown"), system, (X, Y))
    assert not is_valid_certificate(("eliminant", X**2 + 1), system, (X, Y))  # not a certificate object


def test_the_checker_does_not_use_the_search(monkeypatch):
    # With every decision step of the search broken, a certificate still checks: the checker has its own code.
    system = [X**2 + Y**2 + 1, X * Y - 1]
    _, certificate = real_point(system, (X, Y))
    for name in [
        "_one_polynomial",
        "_univariate_zero",
        "_quadratic_zero",
        "_completed_squares",
        "_eliminant_certificate",
        "_solved_point",
        "real_point",
    ]:
        monkeypatch.setattr(realzeros, name, _broken)
    assert is_valid_certificate(certificate, system, (X, Y))


def _broken(*args, **kwargs):
    raise AssertionError("the checker called the search")


# --- the eliminant test, one for both callers ----------------------------------------------------------


def test_an_eliminant_decides_a_positive_dimensional_ideal():
    # (x^2 + 1, z (y - 1)): the complex zeros form two lines, the ideal is not zero-dimensional, yet its
    # intersection with Q[x] is (x^2 + 1), without a real root: no real zero.  On the torus the same holds
    # (z != 0 forces y = 1), where the earlier torus test stopped at "not zero-dimensional".
    deadline = Deadline(None)
    for torus in (False, True):
        certificate = realzeros._eliminant_certificate([X**2 + 1, Z * (Y - 1)], (X, Y, Z), deadline, 10, torus=torus)
        assert certificate.kind == "eliminant" and sympy.expand(certificate.polynomial - (X**2 + 1)) == 0
    # x y = 1 and x = 0 have no common zero even over C: the lex basis is {1}.
    certificate = realzeros._eliminant_certificate([X * Y - 1, X], (X, Y), deadline, 10)
    assert certificate.kind == "groebner"


def test_an_eliminant_with_real_roots_proves_nothing():
    # x^2 = 2, y = x: real zeros (+-sqrt 2, +-sqrt 2); every eliminant has real roots.
    assert realzeros._eliminant_certificate([X**2 - 2, Y - X], (X, Y), Deadline(None), 10) is None


def test_the_torus_ignores_zeros_with_a_zero_coordinate():
    # x (x^2 + y^2 + 1) and y: the real zeros all have x = 0 or y = 0 (here (0, 0)): none in the torus, where
    # y = 0 is excluded at once (a unit after saturation).
    certificate = realzeros._eliminant_certificate([X * (X**2 + Y**2 + 1), Y], (X, Y), Deadline(None), 10, torus=True)
    assert certificate is not None and certificate.kind == "groebner"


# --- zeros of one polynomial in the real torus ------------------------------------------------------------


@pytest.mark.parametrize(
    "q, variables, zero, singular",
    [
        (X**2 - Y**2, (X, Y), Answer.YES, Answer.NO),  # lines x = +-y; gradient (2x, -2y) != 0 there
        ((X - Y) ** 2, (X, Y), Answer.YES, Answer.YES),  # double line x = y
        (X**2 + X * Y + Y**2, (X, Y), Answer.NO, Answer.NO),  # (x + y/2)^2 + 3y^2/4 > 0 off the origin
        (X**2 + Y**2 - Z**2, (X, Y, Z), Answer.YES, Answer.NO),  # (1, 1, sqrt 2); gradient 0 only at 0
        (X**2 - 2, (X,), Answer.YES, Answer.NO),  # simple roots +-sqrt 2
        ((X - 1) ** 2 * (X + 2), (X,), Answer.YES, Answer.YES),  # double root 1
        (X**2 + 1, (X,), Answer.NO, Answer.NO),  # no real root
        (X * (X - 1), (X,), Answer.YES, Answer.NO),  # the root 0 is outside the torus, 1 is simple
        (sympy.sqrt(2) * X**2 - 1, (X,), Answer.YES, Answer.NO),  # x^2 = 1/sqrt 2: two simple real roots
        (X**2 + sympy.sqrt(2), (X,), Answer.NO, Answer.NO),  # x^2 = -sqrt 2 < 0
    ],
)
def test_torus_zeros(q, variables, zero, singular):
    result = torus_zeros(sympy.expand(q), variables)
    assert (result.zero, result.singular) == (zero, singular)
    if result.witness is not None:
        assert all(a != 0 for a in result.witness) and _is_real_zero(result.witness, [q], variables)


def test_answers_negate():
    # The strong test of non-degeneracy answers "no torus zero", the negation of torus_zeros' "a torus zero".
    assert [a.negated() for a in Answer] == [Answer.NO, Answer.YES, Answer.UNDECIDED]


# --- moved from tests/test_blowup.py with real_point --------------------------------------------------------


def test_real_point_answers():
    x, y, z = sympy.symbols("x y z")
    assert real_point([x**2 + y**2 + 1], (x, y))[0] is Answer.NO  # a positive quadratic
    assert real_point([(x - y) ** 2 + 1, z], (x, y, z))[0] is Answer.NO  # positive on the plane z = 0
    assert real_point([x**2 + y**2 - 1], (x, y))[0] is Answer.YES  # the unit circle
    assert real_point([x - 1, y - 2], (x, y)) == (Answer.YES, (1, 2))
    assert real_point([x, x - 1], (x, y))[0] is Answer.NO  # inconsistent


@pytest.mark.parametrize(
    "system, variables",
    [
        ([X**2 + 1, Y - X], (X, Y)),  # y = x, x^2 = -1: the zeros (i, i), (-i, -i) only
        ([X**2 + Y**2 + 1, X * Y - 1], (X, Y)),  # x^2 + y^2 + 1 >= 1; complex zeros: x^4 + x^2 + 1 = 0, y = 1/x
        ([X**2 + Y**2 + 1, X * Y - 1, Z], (X, Y, Z)),  # the same on the plane z = 0
        ([X**2 + 1, Z * (Y - 1)], (X, Y, Z)),  # x^2 + 1 >= 1; the complex zeros form two lines (not finitely many)
        ([(X + Y) ** 2 + 1], (X, Y)),  # >= 1: semidefinite Hessian, the linear part is 0 along its kernel
        ([-((X + Y) ** 2) - 1], (X, Y)),  # <= -1
        ([X**2 + X * Y + Y**2 + 1], (X, Y)),  # (x + y/2)^2 + 3y^2/4 + 1 >= 1
        ([X, X - 1], (X, Y)),  # x = 0 and x = 1
    ],
)
def test_real_point_says_no_with_a_certificate_the_recheck_verifies(system, variables):
    answer, certificate = real_point(system, variables)
    assert answer is Answer.NO
    assert is_valid_certificate(certificate, system, variables, deadline=Deadline.coerce(None))


def test_real_point_is_not_fooled_by_an_incomplete_solve():
    # 3x^2 y - x = x (3xy - 1): on x y = 1/3, 3y^4 - 2x^3 + 3 = 0 becomes g(x) = -162x^7 + 243x^4 + 3 = 0 (times
    # 81x^4 / 27), and g(0) = 3 > 0 > g(2) = -20736 + 3888 + 3: a real zero with 0 < x < 2.  sympy.solve returns
    # only the four complex zeros on x = 0 (3y^4 + 3 = 0), which the earlier NO test took for all of them.
    system = [3 * X**2 * Y - X, 3 * Y**4 - 2 * X**3 + 3]
    answer, witness = real_point(system, (X, Y))
    assert answer is not Answer.NO
    assert answer is Answer.UNDECIDED or witness is None or _is_real_zero(witness, system, (X, Y))


@pytest.mark.parametrize(
    "system",
    [
        [X**2 - 2, Y**2 - 3],  # (+-sqrt 2, +-sqrt 3)
        [X**2 - 2, Y - X],  # (+-sqrt 2, +-sqrt 2)
        [X**2 - 2, X * Y - 1],  # (+-sqrt 2, +-1/sqrt 2)
        [X**3 - 2 * X + 5, Y],  # a cubic has a real root (this one of discriminant < 0 just one)
    ],
)
def test_real_point_finds_irrational_real_zeros(system):
    answer, witness = real_point(system, (X, Y))
    assert answer is Answer.YES and _is_real_zero(witness, system, (X, Y))


@pytest.mark.parametrize(
    "p, has_zero",
    [
        (X**2 + Y, True),  # y = -x^2; semidefinite Hessian, the linear part y lies along its kernel
        (X**2 + 1, False),  # >= 1; the kernel direction y does not appear
        ((X + Y) ** 2 + 1, False),  # >= 1 along the kernel direction (1, -1)
        ((X + Y) ** 2 + X - Y, True),  # x - y is linear along the kernel (1, -1): 0 at the origin
        ((X + Y) ** 2 + X - Y + 1, True),  # x + y = 0, x - y = -1: (-1/2, 1/2)
        (X * Y + 1, True),  # indefinite: x = 1, y = -1
        (-((X - 1) ** 2) - Y**2 - 1, False),  # <= -1
    ],
)
def test_quadratic_zero_on_semidefinite_hessians(p, has_zero):
    answer, _ = realzeros._quadratic_zero(sympy.expand(p), [X, Y], (X, Y))
    assert answer is (Answer.YES if has_zero else Answer.NO)
    assert real_point([p], (X, Y))[0] is (Answer.YES if has_zero else Answer.NO)


def test_the_recheck_rejects_false_certificates():
    deadline = Deadline.coerce(None)
    system = [X**2 + 1, Y - X]
    assert not is_valid_certificate(
        NoRealZero("eliminant", X**2 - 2, X), system, (X, Y), deadline=deadline
    )  # real roots +-sqrt 2
    assert not is_valid_certificate(
        NoRealZero("eliminant", X**2 + 2, X), system, (X, Y), deadline=deadline
    )  # not in the ideal
    assert not is_valid_certificate(
        NoRealZero("groebner", sympy.Integer(1)), [X**2 - 2], (X, Y), deadline=deadline
    )  # 1 not in (x^2 - 2)
    # x^2 + y^2 - 1 = -1 + x^2 + y^2 is a true identity, but the constant and the squares differ in sign: not definite.
    assert not is_valid_certificate(
        NoRealZero("definite", X**2 + Y**2 - 1, squares=((1, X), (1, Y)), constant=-1),
        [X**2 + Y**2 - 1],
        (X, Y),
        deadline=deadline,
    )
    assert not is_valid_certificate(NoRealZero("unit", sympy.Integer(0)), [X, X - 1], (X, Y), deadline=deadline)


@pytest.mark.parametrize(
    "q, count",
    [
        (X**2 - 2, 2),
        (X**2 + 1, 0),
        ((X - 1) ** 2 * (X + 2), 2),
        (X**3 - 2 * X + 5, 1),
        (X**4 + X**2 + 1, 0),
        (X**5 - X, 3),
        (sympy.Integer(3), 0),
    ],
)
def test_sturm_count_of_distinct_real_roots(q, count):
    # x^5 - x = x (x - 1)(x + 1)(x^2 + 1); x^4 + x^2 + 1 = (x^2 + x + 1)(x^2 - x + 1), both of negative discriminant.
    assert realzeros._sturm_count(sympy.expand(q), X) == count


@pytest.mark.parametrize(
    "q, positive",
    [
        (X**2 + X * Y + Y**2 + 1, True),
        ((X + Y) ** 2 + 1, True),
        (X**2 + Y**2, False),
        (X**2 + Y, False),
        (X * Y + 1, False),
        (X**2 - 2 * X + 2, True),  # (x - 1)^2 + 1
    ],
)
def test_completing_squares(q, positive):
    assert (realzeros._completed_squares(sympy.expand(q), (X, Y)) is not None) is positive


def test_the_checker_keeps_sympy_f5b_on_the_flint_backend(monkeypatch):
    # The certificate checker must not share the search's Groebner code: under the FLINT backend the search
    # computes on FLINT, and the checker still proves membership with sympy's F5B (FLINT switched off here).
    from singularities.algebra import polys
    from singularities.algebra.backend import using

    # y = x and x y = -1 give x^2 + 1 = 0: the eliminant x^2 + 1 (no real root: x^2 + 1 >= 1) is not one of
    # the generators, so the checker needs a Groebner basis to see that it lies in the ideal.
    system = [Y - X, X * Y + 1]
    with using("flint"):
        answer, certificate = real_point(system, (X, Y))
        monkeypatch.setattr(polys, "_flint_groebner", lambda *args: pytest.fail("the checker reached FLINT"))
        assert answer is Answer.NO and sympy.expand(certificate.polynomial - (X**2 + 1)) == 0
        assert is_valid_certificate(certificate, system, (X, Y))


def test_open_box_sign_by_bernstein_coefficients():
    a, b, c = sympy.symbols("a b c")
    unit = {a: (0, 1), b: (0, 1), c: (0, 1)}
    # 1 - a b = (1 - a) + a (1 - b) > 0 on the open square; it vanishes at the corner (1, 1) only.
    assert open_box_sign(a * b - 1, (a, b), unit) == -1
    # a b c - 1 < 0 inside the cube; a^2 + b^2 - 2 < 0 inside the square (= 0 only at the corner).
    assert open_box_sign(a * b * c - 1, (a, b, c), unit) == -1
    assert open_box_sign(a**2 + b**2 - 2, (a, b), unit) == -1
    # Zeros inside: a b = 1/4 at (1/2, 1/2); a + b = 1 along a diagonal. No sign is claimed.
    assert open_box_sign(a * b - sympy.Rational(1, 4), (a, b), unit) == 0
    assert open_box_sign(a + b - 1, (a, b), unit) == 0
    # Another box: x^2 - 2 on (1, 2) changes sign at sqrt(2); on (2, 3) it is positive.
    assert open_box_sign(a**2 - 2, (a,), {a: (1, 2)}) == 0
    assert open_box_sign(a**2 - 2, (a,), {a: (2, 3)}) == 1
