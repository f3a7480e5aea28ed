"""The blow-up search that finishes more often, and rlct's auto mode keeping its best bound (issue 17)."""

import time

import sympy

import singularities as sg
from singularities.thresholds import rlct as rlct_module

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
    result = sg.rlct(DISGUISED_E12, method="auto", timeout=4)
    assert result.status is sg.Status.BOUND and result.threshold == R(5, 21)
    assert "time limit" in result.certificate.reason
