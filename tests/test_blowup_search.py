"""The blow-up search that finishes more often, and rlct's auto mode keeping its best bound (issue 17)."""

import json
import time
from dataclasses import replace

import pytest
import sympy

import singularities as sg
from singularities.errors import RecheckError
from singularities.thresholds import blowup as blowup_module
from singularities.thresholds import rlct as rlct_module
from singularities.thresholds.blowup import resolve
from singularities.thresholds.recheck import recheck
from singularities.thresholds.resolution import Operation, ResolutionCertificate

R = sympy.Rational

# f = (x + y^2)^3 + y^7 is E12 in disguise: x -> x - y^2 (Jacobian 1) gives x^3 + y^7, quasi-homogeneous with
# weights (1/3, 1/7) and an isolated critical point, so lambda(f) = d = 1/3 + 1/7 = 10/21 < 1 with m = 1
# (sign-changing, d < 1: theorem Q), and K = f^2 has lambda = 10/21 / 2 = 5/21, m = 1.  The Newton polygon
# of K in the given coordinates has t = 4 (vertices (6, 0) and (0, 12): t with t/6 + t/12 = 1), a bound 1/4 > 5/21.
DISGUISED_E12 = "((x + y**2)**3 + y**7)**2"


def test_auto_keeps_the_best_bound_of_every_method():
    result = sg.rlct(DISGUISED_E12, timeout=60)
    assert result.threshold == R(5, 21)
    assert result.status in (sg.Status.PROVEN, sg.Status.BOUND)
    assert result.status is not sg.Status.PROVEN or result.multiplicity == 1


def test_auto_returns_the_search_bound_when_the_limit_passes_after_it(monkeypatch):
    # the search finishes some charts, then the time limit passes: the answer must still carry the search's
    # re-checked bound 5/21 (not the Newton bound 1/4, not the order bound)
    search = rlct_module._blowup_search

    def slow_search(energy, deadline, progress):
        result = search(energy, deadline, progress)
        while not deadline.expired():
            time.sleep(0.05)
        return result

    monkeypatch.setattr(rlct_module, "_blowup_search", slow_search)
    result = sg.rlct(DISGUISED_E12, method="auto", timeout=3)
    assert result.threshold == R(5, 21)  # the search proves it (re-checked within the grace time) ...
    # ... and when the search only bounds lambda (one chart left open by a depth limit), the bound survives
    monkeypatch.setattr(blowup_module, "MAX_FACE_CHANGES", 0)
    monkeypatch.setattr(blowup_module, "MAX_RECENTRES", 0)
    result = sg.rlct(DISGUISED_E12, method="auto", timeout=3)
    assert result.status is sg.Status.BOUND and result.threshold == R(5, 21)
    assert "time limit" in result.certificate.reason


# ------------------------------------------------------------------------------------------------
# disguised curves: coordinate changes at the root, and charts with domains after blow-ups

# Each f is a quasi-homogeneous germ with an isolated critical point after a polynomial change with Jacobian 1
# (x -> x + r(y)); sign-changing with d = w1 + w2 < 1, so lambda_f = d, m = 1 (theorem Q), and K = f^2 has
# lambda = d / 2, m = 1.
DISGUISED = [
    ("((x - y**2)**2 + y**5)**2", R(7, 20), 1),  # A4 x^2 + y^5: d = 1/2 + 1/5 = 7/10
    ("((x + y**2)**3 + y**8)**2", R(11, 48), 1),  # x^3 + y^8: d = 1/3 + 1/8 = 11/24
    ("((x + y**3)**2 + y**7)**2", R(9, 28), 1),  # A6 x^2 + y^7: d = 1/2 + 1/7 = 9/14
    ("((x + y**2)**3 + y**7)**2", R(5, 21), 1),  # E12 x^3 + y^7: d = 10/21
    # x -> x + y^2 + y^3 + y^4 needs three face changes (one more than the search makes at the root): x^3 + y^13,
    # d = 1/3 + 1/13 = 16/39; after the blow-ups the bad point (0, 1) of a chart lies on a divisor
    ("(x - y**2 - y**3 - y**4)**3 + y**13", R(16, 39), 1),
    ("((x - y**2 - y**3 - y**4)**3 + y**13)**2", R(8, 39), 1),
    # (u^2 - y^5)(u + 2y + y^2) with u = x - y - y^2: the diagonal meets the Newton edge 5a + 2b = 12 (from
    # (2, 1) to (0, 6)) at t = 12/7; its polynomial 2y(u^2 - y^5) has no singular torus zero and 1/t < 1: N2
    ("((x - y - y**2)**2 - y**5)*(x + y)", R(7, 12), 1),
    # the ideal (x - y, xy - z^2) = (u, y^2 - z^2), u = x - y: u^2 gives (1/2, 1) and (y^2 - z^2)^2 gives (1/2, 2)
    # (the saddle has (1, 2)); lambda adds over disjoint variables and m = 1 + 2 - 1 = 2
    ("(x - y)**2 + (x*y - z**2)**2", R(1), 2),
]


@pytest.mark.parametrize("g, threshold, multiplicity", DISGUISED)
def test_disguised_curves_are_proven_by_the_search(g, threshold, multiplicity):
    result = sg.rlct(g, method="blowup", timeout=60)
    assert (result.threshold, result.multiplicity, result.status) == (threshold, multiplicity, sg.Status.PROVEN)
    assert recheck(result.certificate, result.certificate.function)


def _split_certificate():
    certificate = resolve("(x - y**2 - y**3 - y**4)**3 + y**13", "x,y")
    assert certificate.complete and (certificate.threshold, certificate.multiplicity) == (R(16, 39), 1)
    return certificate


def test_a_bad_point_on_a_divisor_splits_the_chart():
    # the chart with strict x y^4 - (y - 1)^3 (divisors x and y, fibre {x = 0} u {y = 0}) is bad at (0, 1) on the
    # divisor x = 0, and y is a divisor: it splits into the chart where y != 1 and the chart recentred at y = 1
    # (y -> y + 1) where the old y is non-zero, whose divisor y^9 and Jacobian y^3 become units
    certificate = _split_certificate()
    ops = {c.operation for c in certificate.charts}
    assert {Operation.RECENTRE, Operation.RESTRICTION} <= ops
    y = sympy.Symbol("y")
    recentred = next(c for c in certificate.charts if c.operation is Operation.RECENTRE)
    restricted = next(c for c in certificate.charts if c.operation is Operation.RESTRICTION)
    assert recentred.domain == (y + 1,) and restricted.domain == (y - 1,)
    assert recentred.monomial[1] == 0 and recentred.jacobian[1] == 0 and recentred.fiber == (("x",),)
    assert sympy.factor(recentred.unit) == (y + 1) ** 9  # e = 1: the old y^9 of G
    assert restricted.outcome == "unit"  # off y = 1 the strict transform misses the fibre
    again = ResolutionCertificate.from_dict(json.loads(json.dumps(certificate.to_dict())))
    assert again == certificate and recheck(again)


def test_recheck_refuses_a_split_that_does_not_cover():
    certificate = _split_certificate()
    y = sympy.Symbol("y")
    # the restriction moved to y != 2: the point y = 1 ... and y = 2 are left to the recentred chart alone
    charts = tuple(
        replace(c, domain=(y - 2,)) if c.operation is Operation.RESTRICTION else c for c in certificate.charts
    )
    with pytest.raises(RecheckError, match="same point"):
        recheck(replace(certificate, charts=charts))
    # the restriction dropped: the rest of the fibre is covered by no chart
    charts = tuple(c for c in certificate.charts if c.operation is not Operation.RESTRICTION)
    with pytest.raises(RecheckError):
        recheck(replace(certificate, charts=charts))
    # the recentred chart claims the whole line (no domain): its unit (y + 1)^9 vanishes on its fibre at y = -1
    charts = tuple(
        replace(c, domain=()) if c.domain and Operation.RECENTRE in [op for op, _ in c.path] else c
        for c in certificate.charts
    )
    with pytest.raises(RecheckError):
        recheck(replace(certificate, charts=charts))


def test_a_bad_point_with_two_coordinates_on_a_cone():
    # K = (x^2 + y^2 - 2z^2)^2 + (x - y)^4, homogeneous of degree 4.  Blow up the origin, chart z (x -> zx,
    # y -> zy, Jacobian z^2): K = z^4 ((x^2 + y^2 - 2)^2 + (x - y)^4), whose strict transform vanishes on the
    # divisor z = 0 only at (1, 1, 0) and (-1, -1, 0), two non-zero coordinates each.  There u = x^2 + y^2 - 2 and
    # v = x - y are coordinates (gradients (2, 2) and (1, -1)), the strict transform is u^2 + v^4 with
    # (1/2 + 1/4, 1) and the divisor z^4 with Jacobian z^2 gives (2 + 1)/4 = 3/4: a product of parts in the
    # disjoint coordinates z and (u, v), so lambda = 3/4 with m = 1 + 1 = 2; elsewhere on the divisor the strict
    # transform is a unit (3/4, 1), and the other charts are alike.  Truth (3/4, 2).
    result = sg.rlct("(x**2 + y**2 - 2*z**2)**2 + (x - y)**4", method="blowup", timeout=60)
    assert (result.threshold, result.multiplicity, result.status) == (R(3, 4), 2, sg.Status.PROVEN)


@pytest.mark.parametrize("order", ["x,y,z", "z,y,x", "y,z,x"])
@pytest.mark.parametrize("generators", [["x - y", "x*y - z**2"], ["x*y - z**2", "y - x"]])
def test_the_ideal_that_looped_finishes_in_every_order(order, generators):
    # (x - y, xy - z^2) = (u, y^2 - z^2) with u = x - y (see DISGUISED): (1, 2) whatever the variable order
    result = sg.rlct(generators, variables=order, method="blowup", timeout=60)
    assert (result.threshold, result.multiplicity, result.status) == (1, 2, sg.Status.PROVEN)
