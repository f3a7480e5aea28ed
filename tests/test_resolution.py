"""The tree of charts as data (singularities/thresholds/resolution.py): paths of Operation steps, and the
re-check's hold on them.

The expected pairs are derived by hand in the comments; the structural
assertions are invariants of any valid tree (every chart but the input has a
refined parent in the certificate; the charts of one blow-up share one centre
and are one per centre variable), never a record of one run's output.
"""

import json
from dataclasses import replace

import pytest
import sympy

from singularities.errors import RecheckError, TimeLimitError
from singularities.thresholds import blowup
from singularities.thresholds.blowup import resolve
from singularities.thresholds.recheck import recheck
from singularities.thresholds.resolution import Chart, Operation, ResolutionCertificate

# (G, lambda, m) derived by hand:
#  x^2 - y^2: two transverse lines, (1, 2) (docs/conventions.md, the saddle row);
#  x^2 y - y^3 = y (x - y)(x + y): D4, 1/2 + 1/(2*4 - 2) = 2/3, m = 1 (tests/catalogue.py);
#  (y - x)^2 y^3 + x^7: a deeper tree (changes, then blow-ups) for the structural checks only (None: no pair asserted).
TREES = [("x**2 - y**2", 1, 2), ("x**2*y - y**3", sympy.Rational(2, 3), 1), ("(y - x)**2*y**3 + x**7", None, None)]


@pytest.mark.parametrize("g, threshold, multiplicity", TREES)
def test_every_chart_hangs_from_a_refined_parent_of_the_certificate(g, threshold, multiplicity):
    certificate = resolve(g)
    by_path = {c.path: c for c in certificate.charts}
    assert len(by_path) == len(certificate.charts)  # one chart per path
    assert [c.path for c in certificate.charts if c.operation is Operation.ROOT] == [()]
    for chart in certificate.charts:
        if chart.path:
            assert by_path[chart.parent].outcome == "refined"
        children = [c for c in certificate.charts if c.path and c.parent == chart.path]
        assert (chart.outcome == "refined") == bool(children)
        if children and children[0].operation is Operation.BLOW_UP:
            # the charts of one blow-up: one centre, one chart per centre variable
            assert {c.centre for c in children} == {children[0].centre}
            assert sorted(c.variable for c in children) == sorted(children[0].centre)
        elif children:
            assert len(children) == 1 and children[0].replacement is not None
    if threshold is not None:
        assert (certificate.threshold, certificate.multiplicity, certificate.complete) == (
            threshold,
            multiplicity,
            True,
        )


def test_the_tree_survives_json_and_its_names_spell_the_path():
    certificate = resolve("x**2*y - y**3")
    text = json.dumps(certificate.to_dict())
    again = ResolutionCertificate.from_dict(json.loads(text))
    assert again == certificate and [c.path for c in again.charts] == [c.path for c in certificate.charts]
    for data, chart in zip(json.loads(text)["charts"], certificate.charts):
        assert data["path"] == [[op.value, v] for op, v in chart.path]
        # the name is the path as text: "." before a blow-up chart's variable, "~" for a change or translation
        assert data["name"] == "0" + "".join("." + v if op == "blow-up" else "~" for op, v in data["path"])
        assert Chart.from_dict(data, certificate.variables) == chart


def _forged(g, operation, **changes):
    """The certificate of g with its first chart of the given operation changed; the charts below it follow
    a new path."""
    certificate = resolve(g)
    charts = list(certificate.charts)
    index = next(i for i, c in enumerate(charts) if c.operation is operation)
    old, charts[index] = charts[index].path, replace(charts[index], **changes)
    for i, chart in enumerate(charts):
        if i != index and chart.path[: len(old)] == old:  # the subtree stays attached to the changed chart
            charts[i] = replace(chart, path=charts[index].path + chart.path[len(old) :])
    return replace(certificate, charts=tuple(charts)), charts[index]


def test_recheck_refuses_a_chart_moved_under_another_parent():
    chart = next(c for c in resolve("x**2*y - y**3").charts if c.operation is Operation.BLOW_UP)
    certificate, _ = _forged(
        "x**2*y - y**3", Operation.BLOW_UP, path=((Operation.CHANGE, "y"),) + chart.path
    )  # no such parent
    # the old parent lost a blow-up child, and the moved chart has no parent: whichever is checked first fails
    with pytest.raises(RecheckError, match="parent is missing|not one chart per centre variable"):
        recheck(certificate)


def test_recheck_refuses_a_change_labelled_a_translation():
    # x^2 - y^2 is straightened by x -> x + y (docs/blowup.md): not of the form x -> x + a with a a number
    plain = next(c for c in resolve("x**2 - y**2").charts if c.operation is Operation.CHANGE)
    assert not (plain.replacement - sympy.Symbol(plain.variable)).is_number
    certificate, _ = _forged(
        "x**2 - y**2", Operation.CHANGE, path=plain.parent + ((Operation.TRANSLATION, plain.variable),)
    )
    with pytest.raises(RecheckError, match="translation"):
        recheck(certificate)


def test_recheck_refuses_a_blow_up_chart_outside_its_centre():
    chart = next(c for c in resolve("x**2*y - y**3").charts if c.operation is Operation.BLOW_UP)
    certificate, _ = _forged(
        "x**2*y - y**3", Operation.BLOW_UP, centre=tuple(v for v in chart.centre if v != chart.variable)
    )
    with pytest.raises(RecheckError):
        recheck(certificate)


def test_a_chart_newton_step_that_runs_out_of_its_budget_falls_back(monkeypatch):
    # The Newton data of every chart "run out" of BUDGETS.chart_newton (the overall limit has not passed), so theorem N1
    # is never applied on a chart: the search must still finish by other means.  x^2 - y^2 = (x - y)(x + y): two
    # changes make the factors the coordinates, G = c x y on that chart with constant Jacobian; the divisors {x = 0}
    # and {y = 0} (h = 0, k = 1) each give (0 + 1)/1 = 1 and cross at the origin, and the strict transform is a unit:
    # (1, 2).  The truth (the saddle row of docs/conventions.md).
    def out_of_budget(chart, symbols, e, deadline):
        raise TimeLimitError("the Newton data of a chart", None, step=5.0)

    monkeypatch.setattr(blowup, "chart_polyhedron", out_of_budget)
    certificate = resolve("x**2 - y**2", timeout=120)
    assert all(c.outcome != "newton" for c in certificate.charts)
    assert (certificate.threshold, certificate.multiplicity, certificate.complete) == (1, 2, True)
    assert recheck(certificate, "x**2 - y**2")


def test_the_overall_limit_is_not_a_chart_budget(monkeypatch):
    # Past the call's own limit the Newton step does not fall back: the search stops and the chart stays open.
    def past_the_limit(chart, symbols, e, deadline):
        raise TimeLimitError("the Newton data of a chart", 1.0)

    monkeypatch.setattr(blowup, "chart_polyhedron", past_the_limit)
    monkeypatch.setattr(blowup.Deadline, "expired", lambda self: True)
    certificate = resolve("x**2 + y**4")
    assert not certificate.complete and certificate.threshold is None
    assert all(c.outcome == "open" and c.reason == "time limit" for c in certificate.charts)
