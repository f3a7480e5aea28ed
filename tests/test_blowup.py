"""The blow-up search (singularities/thresholds/blowup.py) against hand-derived truths, and its re-checker (recheck.py).

Every expected value below is derived by hand in a comment or comes from the
catalogue (tests/catalogue.py) or Aoyagi and Watanabe's formula
(tests/rrr_oracle.py), never from a run of the code.
"""

import json
from dataclasses import replace

import pytest
import sympy
from catalogue import TRUTHS, rational
from regressions import truncating_strip_units
from rrr_oracle import aoyagi_watanabe

import singularities as sg
import singularities.thresholds.blowup as blowup
import singularities.thresholds.recheck as recheck_module
from singularities.algebra.realzeros import Answer, NoRealZero
from singularities.errors import RecheckError
from singularities.thresholds.blowup import resolve
from singularities.thresholds.recheck import recheck
from singularities.thresholds.resolution import Operation, ResolutionCertificate

UNSETTLED = [t for t in TRUTHS if not t.newton_settles]


def _proven(g, threshold, multiplicity, **kwargs):
    result = sg.rlct(g, method="blowup", timeout=60, **kwargs)
    assert result.status is sg.Status.PROVEN, str(result)
    assert (result.threshold, result.multiplicity) == (sympy.Rational(threshold), multiplicity)
    assert recheck(result.certificate)
    return result


# --- x^2 - y^2 and disguises: (1, 2) ------------------------------------------------------------


@pytest.mark.parametrize(
    "g",
    [
        "x**2 - y**2",
        # (x + y^3)^2 - (y + x^2)^2 = (u - v)(u + v) with u = x + y^3, v = y + x^2, a local analytic change with
        # Jacobian 1 at 0: the pair of transverse smooth curves u = +-v, i.e. uv in coordinates: (1, 2).
        "(x + y**3)**2 - (y + x**2)**2",
        # x y with x -> x + y^2, y -> y + x^3 (Jacobian 1 at 0): again two transverse smooth curves: (1, 2).
        "(x + y**2)*(y + x**3)",
        # x^2 - y^2 rotated by 45 degrees and bent: 2 X Y with X = x - y^2, Y = y: (1, 2).
        "2*(x - y**2)*y",
    ],
)
def test_saddle_and_disguises_are_proven_with_a_certificate_that_rechecks(g):
    result = _proven(g, 1, 2)
    assert recheck(result.certificate, g)
    assert len(result.certificate.charts) >= 1


def test_saddle_is_settled_by_a_coordinate_change():
    # x^2 - y^2 = (x - y)(x + y): straighten the linear factors; the chart is then x*y up to a constant.
    certificate = _proven("x**2 - y**2", 1, 2).certificate
    assert any(c.operation is Operation.CHANGE for c in certificate.charts)
    assert all(c.operation is not Operation.BLOW_UP for c in certificate.charts)


# --- the catalogue rows Newton does not settle ---------------------------------------------------


@pytest.mark.parametrize("truth", UNSETTLED, ids=lambda t: t.name)
def test_unsettled_catalogue_rows_are_now_proven(truth):
    expected = (sympy.Rational(rational(truth.threshold)), truth.multiplicity)
    result = sg.rlct(truth.function, variables=",".join(truth.variables), timeout=60)
    assert result.status is sg.Status.PROVEN
    assert (result.threshold, result.multiplicity) == expected
    blown = sg.rlct(truth.function, variables=",".join(truth.variables), method="blowup", timeout=60)
    assert (blown.status, blown.threshold, blown.multiplicity) == (sg.Status.PROVEN,) + expected
    assert recheck(blown.certificate, blown.certificate.function)


# --- SLT toy models ------------------------------------------------------------------------------


def test_slt_toy_x2y2():
    # Watanabe, "Algebraic Geometry and Statistical Learning Theory" (CUP 2009), the standard normal-crossing
    # example K = a^2 b^2: int |a|^(2z) |b|^(2z) = (1/(2z + 1))^2, a double pole at -1/2: (1/2, 2).
    _proven("x**2*y**2", "1/2", 2)


def test_slt_toy_xy_squared_plus_xz_squared():
    # K = (xy)^2 + (xz)^2 = x^2 (y^2 + z^2): x^2 gives the pole -1/2 (simple); y^2 + z^2 gives -1 (vol ~ t).
    # The poles differ, so (1/2, 1).  As the ideal (xy, xz) = x (y, z): the same.
    _proven("(x*y)**2 + (x*z)**2", "1/2", 1)
    _proven(["x*y", "x*z"], "1/2", 1, variables="x,y,z")


def test_slt_toy_line_of_minima():
    # K = x^2 on R^2: the minima form the line x = 0 (a non-isolated zero set, Watanabe 2009, ch. 1 examples);
    # vol{x^2 < t} ~ 2 sqrt(t) * (length in y): (1/2, 1).
    _proven("x**2", "1/2", 1, variables="x,y")


def test_slt_toy_one_hidden_unit_tanh_network():
    # f(x; a, b) = a tanh(b x) with inputs x = +-1 (equal weights) and true function 0 (Watanabe 2009,
    # Aoyagi 2005): K(a, b) = E_x[(a tanh(b x))^2] = a^2 tanh(b)^2 = a^2 b^2 U(b) with U(0) = 1 > 0 a unit, so
    # (lambda, m) is that of a^2 b^2: (1/2, 2).  The blow-up search needs a polynomial: T = b - b^3/3 + 2 b^5/15
    # (the Taylor polynomial of tanh) has the same structure a^2 b^2 * (unit).
    _proven("a**2*(b - b**3/3 + 2*b**5/15)**2", "1/2", 2, variables="a,b")


# --- reduced rank regression against Aoyagi and Watanabe (2005) --------------------------------


def _rrr_generators(M, N, H):
    A = sympy.Matrix(H, M, lambda i, j: sympy.Symbol(f"a{i + 1}{j + 1}"))
    B = sympy.Matrix(N, H, lambda i, j: sympy.Symbol(f"b{i + 1}{j + 1}"))
    return [sympy.expand(entry) for entry in B * A], list(A) + list(B)


FAST_RRR = [(1, 1, 1), (2, 1, 1), (2, 2, 1), (1, 1, 2), (2, 1, 2), (1, 2, 2), (2, 2, 2), (3, 1, 2), (3, 1, 3)]
SLOW_RRR = [(3, 2, 2), (2, 3, 2), (3, 3, 2), (4, 2, 2)]


@pytest.mark.parametrize("size", FAST_RRR + [pytest.param(s, marks=pytest.mark.slow) for s in SLOW_RRR], ids=str)
def test_reduced_rank_regression_agrees_with_aoyagi_watanabe(size):
    # K = ||B A||^2 at the origin (true rank r = 0): the zero set {BA = 0} is a cone (K(sA, sB) = s^4 K), so the
    # local RLCT at 0 is the global one of the Main Theorem.
    generators, variables = _rrr_generators(*size)
    threshold, multiplicity = aoyagi_watanabe(*size, 0)
    result = sg.rlct(generators, variables=variables, method="blowup", timeout=120)
    assert result.status is sg.Status.PROVEN
    assert (result.threshold, result.multiplicity) == (
        sympy.Rational(threshold.numerator, threshold.denominator),
        multiplicity,
    )
    assert recheck(result.certificate)


# --- the certificate ------------------------------------------------------------------------------


def test_recheck_detects_a_tampered_jacobian_exponent():
    certificate = resolve("x**2*y - y**3")
    index = next(i for i, c in enumerate(certificate.charts) if any(c.jacobian))
    chart = certificate.charts[index]
    bad = chart.__class__(
        **{**{f: getattr(chart, f) for f in chart.__slots__}, "jacobian": (chart.jacobian[0] + 1,) + chart.jacobian[1:]}
    )
    tampered = ResolutionCertificate(
        **{**_fields(certificate), "charts": certificate.charts[:index] + (bad,) + certificate.charts[index + 1 :]}
    )
    with pytest.raises(RecheckError, match="det"):
        recheck(tampered)


def test_recheck_detects_a_wrong_answer_and_a_missing_chart():
    certificate = resolve("x**2*y - y**3")  # three real lines through 0: D4, (2/3, 1)
    assert (certificate.threshold, certificate.multiplicity) == (sympy.Rational(2, 3), 1)
    with pytest.raises(RecheckError):
        recheck(ResolutionCertificate(**{**_fields(certificate), "threshold": sympy.Rational(1, 2)}))
    with pytest.raises(RecheckError, match="one chart per centre"):
        recheck(ResolutionCertificate(**{**_fields(certificate), "charts": certificate.charts[:-1]}))
    with pytest.raises(RecheckError, match="another function"):
        recheck(certificate, "x**2*y + y**3")


def test_certificate_round_trips_through_json_and_still_rechecks():
    result = sg.rlct("x**2*y - y**3", method="blowup")
    again = sg.RLCT.from_dict(json.loads(result.to_json()))
    assert again == result and again.certificate == result.certificate
    assert recheck(again.certificate, "x**2*y - y**3")
    assert "chart 0" in str(result) and "blow up" in str(result.certificate)


def test_a_time_limit_never_gives_a_proven_guess():
    # (3, 3, 2) needs about 0.5 CPU-s on FLINT: 0.05 s stops it (the (2, 2, 2) search now sometimes ends in 0.05 s)
    generators, variables = _rrr_generators(3, 3, 2)
    result = sg.rlct(generators, variables=variables, method="blowup", timeout=0.05)
    assert result.status is not sg.Status.PROVEN
    assert result.multiplicity is None


def test_blowup_refuses_non_polynomials():
    with pytest.raises(sg.MethodNotApplicableError):
        sg.rlct("x**2 - sin(y)**2", method="blowup")


# --- pieces ------------------------------------------------------------------------------------------


def test_recheck_does_not_use_the_search_bad_systems(monkeypatch):
    # With the search's bad-point test switched off, the root chart of the ideal (x^2 - y^3) is called smooth with
    # c/e = 1/2; but the cusp is singular at 0 (the true value is half of 5/6, 5/12).  The re-check builds its own
    # systems and finds the singular point.
    monkeypatch.setattr(blowup, "_bad_systems", lambda chart, symbols: iter(()))
    monkeypatch.setattr(blowup, "_bad_at_origin", lambda chart, symbols: False)
    certificate = resolve("(x**2 - y**3)**2", squares=[(1, "x**2 - y**3")])
    assert certificate.threshold == sympy.Rational(1, 2)
    with pytest.raises(RecheckError, match="not shown normal crossing"):
        recheck(certificate)


def test_recheck_refuses_no_answers_whose_certificate_fails(monkeypatch):
    # A real_point that answers NO to everything: the strict transform of x^2 y - y^3 = y (x - y)(x + y) meets the
    # exceptional divisor of the blow-up of 0 at three points, so some NO is false and its certificate cannot verify.
    forged = lambda polys, variables, deadline=None: (Answer.NO, NoRealZero("groebner", sympy.Integer(1)))  # noqa: E731
    monkeypatch.setattr(blowup, "real_point", forged)
    monkeypatch.setattr(recheck_module, "real_point", forged)
    with pytest.raises(RecheckError, match="does not verify"):
        recheck(resolve("x**2*y - y**3"))


def test_fibre_of_a_blow_up_chart():
    # Blow up {x = y = 0} at the origin (fibre: the point): in the chart of x (x -> x, y -> x y) the fibre is
    # {x = 0}, the Jacobian is x, and G = x^3 * (strict) for this cubic after the change x -> x + y.
    certificate = resolve("x**2*y - y**3")
    chart = next(c for c in certificate.charts if c.operation is Operation.BLOW_UP and c.variable == "x")
    assert chart.fiber == (("x",),)
    assert chart.jacobian == (1, 0) and chart.monomial[0] == 3


def _fields(certificate):
    return {f: getattr(certificate, f) for f in certificate.__slots__}


# --- units near the fibre ---------------------------------------------------------------------


def test_units_are_divided_out_of_the_ideal():
    # ((1 + x^2 + y) y, (2 + x) x): near 0 both cofactors are units, so the ideal is (x, y) there:
    # smooth of codimension 2, lambda = 2/2 = 1, m = 1.  The unit is recorded and survives JSON.
    result = _proven(["(1 + x**2 + y)*y", "(2 + x)*x"], 1, 1)
    root = result.certificate.charts[0]
    assert sympy.expand(root.unit.xreplace({sympy.Symbol("x"): 0, sympy.Symbol("y"): 0})) == 2
    again = ResolutionCertificate.from_dict(json.loads(json.dumps(result.certificate.to_dict())))
    assert again.charts == result.certificate.charts and recheck(again)


def test_rrr_at_a_true_point_of_rank_one():
    # M = N = 2, H = 1, r = 1 at B0 = (1, 0)^T, A0 = (1, 0): the entries of BA - B0A0 are
    # (1+b1)(1+a1) - 1, (1+b1) a2, b2 (1+a1), b2 a2; near 0 the ideal is (a1 + b1 + a1 b1, a2, b2),
    # smooth of codimension 3: (3/2, 1), which is Aoyagi and Watanabe's value for (2, 2, 1, 1).
    a1, a2, b1, b2 = sympy.symbols("a1 a2 b1 b2")
    generators = [(1 + b1) * (1 + a1) - 1, (1 + b1) * a2, b2 * (1 + a1), b2 * a2]
    lam, m = aoyagi_watanabe(2, 2, 1, 1)
    _proven(generators, sympy.Rational(lam.numerator, lam.denominator), m, variables=(a1, a2, b1, b2))


def test_recheck_refuses_a_unit_that_vanishes_on_the_fibre():
    certificate = resolve("((1 + x)*y)**2 + ((2 + x)*x)**2", squares=[(1, "(1 + x)*y"), (1, "(2 + x)*x")])
    forged = sympy.Symbol("x") * certificate.charts[0].unit
    bad = ResolutionCertificate(
        **{**_fields(certificate), "charts": (replace(certificate.charts[0], unit=forged),) + certificate.charts[1:]}
    )
    with pytest.raises(RecheckError, match="unit"):
        recheck(bad)


# --- issue 12: losses the unit division got wrong ---------------------------------------------------
#
# Each truth is derived by hand:
# (y/2 + z)^2 + x^2: with u = y/2 + z (a linear change), K = x^2 + u^2; the ideal (x, u) is smooth of
#   codimension 2, vol{x^2 + u^2 < t} ~ pi t times a length: (1, 1).
# (xy - 2x^2)^2 + z^2 = x^2 v^2 + z^2 with v = y - 2x (Jacobian 1).  For K1(w1) + K2(w2) >= 0 in disjoint
#   variables lambda = lambda1 + lambda2 and m = m1 + m2 - 1 (Watanabe 2009, sec. 7.1); x^2 v^2 has (1/2, 2)
#   (double pole at -1/2), z^2 has (1/2, 1): (1, 2).
# (xy - 2x^2)^2 + z^4 = x^2 v^2 + z^4: (1/2, 2) and (1/4, 1) give (3/4, 2).
# (x^2 - 3xy)^2 + (xy^2)^2 = x^2 ((x - 3y)^2 + y^4); with u = x - 3y, K = (u + 3y)^2 (u^2 + y^4).  Blow up 0:
#   chart u = y s: K = y^4 (s + 3)^2 (s^2 + y^2), Jacobian y.  At s = -3, w = s + 3: y^4 w^2 * unit, poles
#   (1 + 1)/4 = 1/2 and 1/2 cross: (1/2, 2).  At s = 0: 9 y^4 (s^2 + y^2); blowing up (s, y), chart y = s r:
#   s^6 r^4 (1 + r^2) with Jacobian s^2 r: poles 3/6 = 1/2 and 2/4 = 1/2 cross: (1/2, 2); chart s = y q:
#   y^6 (q^2 + 1), Jacobian y^2: (1/2, 1).  Chart y = u s': u^4 (1 + 3 s')^2 (1 + u^2 s'^4), Jacobian u: the
#   same point s' = -1/3 again (1/2, 2).  No pole above -1/2: (1/2, 2).
ISSUE_12_LOSSES = [
    ("(y/2 + z)**2 + x**2", "x,y,z", 1, 1),
    ("(x*y - 2*x**2)**2 + z**2", "x,y,z", 1, 2),
    ("(x*y - 2*x**2)**2 + z**4", "x,y,z", "3/4", 2),
    ("(x**2 - 3*x*y)**2 + (x*y**2)**2", "x,y", "1/2", 2),
]


def _truth(threshold, multiplicity):
    return sympy.Rational(threshold), multiplicity


@pytest.mark.parametrize("g, variables, threshold, multiplicity", ISSUE_12_LOSSES, ids=lambda v: str(v))
@pytest.mark.parametrize("method", ["blowup", "auto"])
def test_issue_12_losses_are_proven_right(g, variables, threshold, multiplicity, method):
    result = sg.rlct(g, variables=variables, method=method, timeout=60)
    assert (result.status, result.threshold, result.multiplicity) == (sg.Status.PROVEN,) + _truth(
        threshold, multiplicity
    )
    if result.method == "blowup":
        assert recheck(result.certificate, result.certificate.function)


@pytest.mark.parametrize("g, variables, threshold, multiplicity", ISSUE_12_LOSSES, ids=lambda v: str(v))
def test_issue_12_losses_expanded(g, variables, threshold, multiplicity):
    # The same polynomials expanded: no sum of squares is visible, so the search works on G itself (e = 1).
    expanded = sympy.expand(sympy.sympify(g))
    result = sg.rlct(expanded, variables=variables, method="blowup", timeout=60)
    assert (result.status, result.threshold, result.multiplicity) == (sg.Status.PROVEN,) + _truth(
        threshold, multiplicity
    )


def _invertible_rational_matrix(n, rng):
    while True:
        matrix = sympy.Matrix(n, n, lambda i, j: sympy.Rational(rng.randint(-3, 3), rng.randint(1, 3)))
        if matrix.det() != 0:
            return matrix


@pytest.mark.parametrize("g, variables, threshold, multiplicity", ISSUE_12_LOSSES, ids=lambda v: str(v))
@pytest.mark.parametrize("seed", [1, 2])
def test_issue_12_losses_under_linear_changes_and_permutations(g, variables, threshold, multiplicity, seed):
    # (lambda, m) is invariant under an invertible linear change of the variables (an analytic isomorphism of
    # neighbourhoods of 0, constant Jacobian) and in particular under permutations.
    import random

    symbols = sympy.symbols(variables.replace(",", " "))
    expression = sympy.sympify(g, locals={s.name: s for s in symbols})
    matrix = _invertible_rational_matrix(len(symbols), random.Random(seed))
    changed = expression.xreplace(dict(zip(symbols, matrix * sympy.Matrix(symbols))))
    permuted = expression.xreplace(dict(zip(symbols, symbols[seed:] + symbols[:seed])))
    for h in (changed, permuted):
        result = sg.rlct(h, variables=symbols, method="blowup", timeout=60)
        assert (result.status, result.threshold, result.multiplicity) == (sg.Status.PROVEN,) + _truth(
            threshold, multiplicity
        )


def test_strip_units_keeps_a_rational_content():
    # x^2/4 + x y/4 = (1/4) x (x + y): near the fibre {0} no factor is a unit, and the content 1/4 must survive
    # (it was truncated to 0 by sympy.Integer, which made the ideal the unit ideal).
    x, y = sympy.symbols("x y")
    strict, unit = blowup._strip_units([x**2 / 4 + x * y / 4], (("x", "y"),), (x, y), sympy.Integer(1))
    assert unit == 1 and sympy.expand(strict[0] - (x**2 + x * y) / 4) == 0
    # (1 + y) x / 3 on the fibre {x = 0}: 1 + y is not constant there, so it is kept; on {x = y = 0} it is a unit.
    kept, _ = blowup._strip_units([(1 + y) * x / 3], (("x",),), (x, y), sympy.Integer(1))
    assert sympy.expand(kept[0] - (1 + y) * x / 3) == 0
    kept, unit = blowup._strip_units([(1 + y) * x / 3], (("x", "y"),), (x, y), sympy.Integer(1))
    assert sympy.expand(kept[0] - x / 3) == 0 and unit == 1 + y


def test_a_zero_generator_is_not_the_unit_ideal():
    x, y = sympy.symbols("x y")
    assert blowup._tidy_ideal([sympy.Integer(0), 2 * x]) == [x]  # (0, 2x) = (x)
    assert blowup._tidy_ideal([x, sympy.Rational(1, 3)]) == [sympy.Integer(1)]  # a non-zero constant: unit ideal


def test_straightening_a_factor_does_not_cycle():
    # The ideal (z, x^2 - x y): the factor x - y must become a coordinate without bending the factor x
    # (x -> x + y turned x (x - y) into (x + y) x and back, forever).  After y -> x - y the ideal is (z, x y):
    # (1/2, 2) for x^2 y^2 plus (1/2, 1) for z^2 in disjoint variables: (1, 2).
    certificate = resolve(None, "x,y,z", squares=[(1, "z"), (1, "x**2 - x*y")])
    assert (certificate.threshold, certificate.multiplicity, certificate.complete) == (1, 2, True)
    assert len(certificate.charts) < 10 and recheck(certificate)


def _old_tidy_ideal(strict):
    """The tidy step before the fix: a zero generator counted as a constant, so as the unit ideal."""
    if any(s.is_number for s in strict):
        return [sympy.Integer(1)]
    return blowup._tidy_ideal(strict)


def test_recheck_refuses_the_old_unit_ideal_certificate(monkeypatch):
    # The old steps collapse (y/2 + z, x) to the unit ideal: a "complete" certificate with (oo, 0).  Both the
    # ideal comparison of chart 0 and the final "no pole at a zero of G" check reject it.
    monkeypatch.setattr(blowup, "_strip_units", truncating_strip_units)
    monkeypatch.setattr(blowup, "_tidy_ideal", _old_tidy_ideal)
    certificate = resolve(None, "x,y,z", squares=[(1, "y/2 + z"), (1, "x")])
    assert certificate.complete and certificate.threshold == sympy.oo
    with pytest.raises(RecheckError):
        recheck(certificate)
    monkeypatch.setattr(recheck_module, "_recheck_chart", lambda *args: None)  # even with every chart waved through
    with pytest.raises(RecheckError, match="impossible at a zero"):
        recheck(certificate)


_X, _Y, _Z = sympy.symbols("x y z")


@pytest.mark.parametrize(
    "g",
    [
        -2 * _X**2 * _Y + 4 * _X * _Y**2,  # content -2 and a negative lex-leading coefficient: -2 * x * y * (x - 2y)
        sympy.expand((_X - _Y) ** 3 * (3 * _X + _Z) / 4),  # rational content 1/4 and a repeated factor
        sympy.expand((_Y**2 - _X) * (_X * _Z + 1) * (2 * _Z - _Y)),  # three factors of different shapes: sympy's order
        _X**2 + _Y**2,  # irreducible over QQ
        3 * _X**2 * _Z,  # a monomial: its variables, in sympy's order (z before x here)
        -_Y,  # a coordinate with a negative sign: content -1
    ],
)
def test_flint_factor_list_is_sympys(g):
    # the search takes the first factor of a list: the FLINT factorisation must give sympy's list exactly
    from singularities.algebra.backend import using

    with using("flint"):
        assert blowup._factor_list(g, (_X, _Y, _Z)) == sympy.factor_list(g, _X, _Y, _Z)


@pytest.mark.parametrize(
    "generators, variables",
    [
        # RRR (M, N, H) = (2, 1, 2), true rank 0: the entries of B A
        (["a11*b1 + a21*b2", "a12*b1 + a22*b2"], "a11,a12,a21,a22,b1,b2"),
        # a degenerate face straightened by a change, then blow-ups
        (["(y - x**2)", "x**3"], "x,y"),
    ],
)
def test_the_flint_path_builds_the_same_certificate(generators, variables):
    # the FLINT path is an implementation detail: every chart (substitution, generators, unit, outcome) must be equal
    from singularities.algebra.backend import using

    certificates = []
    for name in ("sympy", "flint"):
        with using(name):
            certificates.append(sg.rlct(generators, variables=variables, method="blowup", timeout=120).certificate)
    assert certificates[0] == certificates[1]


def test_the_recheck_minors_agree_on_both_backends():
    # the maximal minors of a Jacobian, by hand: for (x + 2y, 3x) the one 2x2 minor is 1*0 - 2*3 = -6; for
    # (x*y, x**2 - y**3) in directions (x, y): y*(-3y^2) - x*2x = -3y^3 - 2x^2; Bareiss on FLINT must give these
    # exactly as Berkowitz on sympy does
    from singularities.algebra.backend import using

    x, y = sympy.symbols("x y")
    cases = [
        (sympy.Matrix([x + 2 * y, 3 * x]), [x, y], [-6]),
        (sympy.Matrix([x * y, x**2 - y**3]), [x, y], [-3 * y**3 - 2 * x**2]),
        (sympy.Matrix([x * y]), [x, y], [y, x]),
    ]
    for generators, directions, expected in cases:
        for name in ("flint", "sympy"):
            with using(name):
                assert recheck_module._recheck_minors(generators, directions) == expected


# --- the re-check's exact ideal membership on FLINT (algebra.polys.ideal_contains) -------------------


def _flint(*expressions):
    from singularities.algebra.backend import to_flint

    x, y = sympy.symbols("x y")
    return to_flint(list(expressions), (x, y))[1]


@pytest.mark.parametrize(
    "generators, members, expected",
    [
        # the unit ideal: a non-zero constant generator contains everything
        (["x", "3"], ["x + y", "y**5 - 1"], [True, True]),
        # principal: x**2*y - x = x*(x*y - 1) is a multiple; x is not (x = 1 at the zero (1, 1) of x*y - 1)
        (["x*y - 1"], ["x**2*y - x", "x"], [True, False]),
        # monomial ideal (x**2, x*y): x**3 + x*y**2 = x*x**2 + y*(x*y); y**2 and x have a term in no multiple
        (["x**2", "x*y"], ["x**3 + x*y**2", "y**2", "x**2*y + 3*x*y", "x"], [True, False, True, False]),
        # a Groebner basis is needed: y**2 - x = -y*(x**2 - y) + x*(x*y - 1) and x**3 - 1 = x*(x**2 - y) + (x*y - 1);
        # x + y is 2 at the common zero (1, 1), so it is not in the ideal
        (["x**2 - y", "x*y - 1"], ["y**2 - x", "x**3 - 1", "x + y", "0"], [True, True, False, True]),
        # the zero ideal contains only 0
        (["0"], ["0", "x"], [True, False]),
    ],
)
def test_ideal_contains_by_hand(generators, members, expected):
    from singularities.algebra.polys import ideal_contains

    polys = _flint(*(sympy.sympify(p) for p in generators + members))
    assert ideal_contains(polys[: len(generators)], polys[len(generators) :]) == expected


def test_the_flint_recheck_refuses_a_tampered_strict_ideal():
    # (a11 b1 + a21 b2, a12 b1 + a22 b2): RRR (2, 1, 2), rank 0.  Replacing a chart's strict transform by another
    # ideal must fail the pullback comparison on both backends; the untampered certificate passes on both.
    from singularities.algebra.backend import using

    generators, variables = _rrr_generators(2, 1, 2)
    certificate = sg.rlct(generators, variables=variables, method="blowup", timeout=60).certificate
    index = next(i for i, c in enumerate(certificate.charts) if c.generators != (1,) and len(c.generators) >= 1)
    chart = certificate.charts[index]
    bad_generators = (chart.generators[0] + certificate.variables[0] ** 3,) + chart.generators[1:]
    bad = ResolutionCertificate(
        **{
            **_fields(certificate),
            "charts": certificate.charts[:index]
            + (replace(chart, generators=bad_generators),)
            + certificate.charts[index + 1 :],
        }
    )
    for name in ("flint", "sympy"):
        with using(name):
            assert recheck(certificate)
            with pytest.raises(RecheckError, match="pulled-back ideal"):
                recheck(bad)


def test_the_flint_recheck_refuses_a_wrong_substitution():
    # D4 = x^2 y - y^3: a chart whose substitution is not its parent's composed with its step fails on both paths
    from singularities.algebra.backend import using

    certificate = resolve("x**2*y - y**3")
    index = next(i for i, c in enumerate(certificate.charts) if c.operation is Operation.BLOW_UP)
    chart = certificate.charts[index]
    x = certificate.variables[0]
    bad = ResolutionCertificate(
        **{
            **_fields(certificate),
            "charts": certificate.charts[:index]
            + (replace(chart, substitution=(chart.substitution[0] + x**2,) + chart.substitution[1:]),)
            + certificate.charts[index + 1 :],
        }
    )
    for name in ("flint", "sympy"):
        with using(name):
            with pytest.raises(RecheckError):
                recheck(bad)


def test_recheck_of_an_incomplete_certificate_verifies_the_chart_giving_its_bound():
    # (x^2 - y^3)(x^3 - y^2) searched to depth 2: chart 0.x.x is y -> x^2 y (two blow-ups in the x chart), where
    # G = x^5 (1 - x^4 y^3)(1 - x y^2) with Jacobian x^2: a unit strict transform on {x = 0}, lambda_C = (2+1)/5 = 3/5.
    # Other charts stay open, so the certificate states only lambda <= 3/5 (the true value is 1/2, m = 1).
    certificate = resolve("(x**2 - y**3)*(x**3 - y**2)", max_depth=2)
    assert not certificate.complete and certificate.threshold == sympy.Rational(3, 5)
    assert recheck(certificate)
    index = next(i for i, c in enumerate(certificate.charts) if c.threshold == certificate.threshold)
    chart = certificate.charts[index]
    charts = lambda bad: certificate.charts[:index] + (bad,) + certificate.charts[index + 1 :]  # noqa: E731
    smaller = ResolutionCertificate(
        **{
            **_fields(certificate),
            "charts": charts(replace(chart, threshold=sympy.Rational(1, 2))),
            "threshold": sympy.Rational(1, 2),
        }
    )
    with pytest.raises(RecheckError, match="gives"):
        recheck(smaller)
    wrong_jacobian = ResolutionCertificate(
        **{**_fields(certificate), "charts": charts(replace(chart, jacobian=(chart.jacobian[0] + 1, 0)))}
    )
    with pytest.raises(RecheckError, match="det"):
        recheck(wrong_jacobian)


def test_the_jacobian_of_a_monomial_map_by_its_exponent_matrix():
    # det D(y^a_1, ..., y^a_n) = prod c_i * det(A) * y^(sum a_i - 1), by hand:
    # (x, x y): det [[1, 0], [y, x]] = x, h = (1, 0); (2 x^2 y, y): det [[4 x y, 2 x^2], [0, 1]] = 4 x y, h = (1, 1);
    # (x y, x y): the rows of A agree, det D phi = x y - x y = 0
    x, y = sympy.symbols("x y")
    for phi, expected in [([x, x * y], (1, 0)), ([2 * x**2 * y, y], (1, 1)), ([x * y, x * y], None)]:
        assert recheck_module._monomial_map_jacobian(_flint(*phi), 2) == expected
