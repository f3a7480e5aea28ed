"""Bloch matrices with float amplitudes: the certified band path (physics/bands.py, certified_band_points).

Every expected value comes from the exact path on the same model with the rational amplitudes (an
independent computation: Groebner bases and exact inertia), or from a closed form derived below.
"""

import json

import pytest
import sympy
from flint import arb

from singularities.errors import InputError
from singularities.lattices import TightBinding
from singularities.physics.bands import (
    BandCriticalSet,
    CertifiedBandSet,
    band_critical_points,
    certified_band_points,
)

PI = arb.pi()
k1, k2 = sympy.symbols("k1 k2")


def _near(value, tolerance=1e-12):
    """An exact sympy number as a ball of radius ``tolerance``."""
    return arb(str(sympy.N(value, 30)), tolerance)


def _match(result, exact_point, band):
    """The certified point of ``band`` whose enclosure meets the exact point (within 1e-12)."""
    hits = [
        p
        for p in result.points
        if p.bands == (band,) and all(arb(c).overlaps(_near(e)) for c, e in zip(p.point, exact_point.point))
    ]
    assert len(hits) == 1, (exact_point.point, band)
    return hits[0]


def test_two_band_chain_closed_form():
    # H = [[m, 1 + e^{-ik}], [1 + e^{ik}, -m]], m = 0.5 (an exact double): E = +-sqrt(m^2 + 2 + 2 cos k).
    # k = 0: +-sqrt(4.25) (band 1 min, band 2 max); k = pi: +-1/2 (band 1 max, band 2 min).
    # Upper band at 0: E'' = -1/sqrt(4.25), so the 1D edge term sqrt(2)/(2 pi sqrt|E''|) |E - c|^(-1/2).
    r = certified_band_points("Matrix([[0.5, 1.0 + exp(-I*k)], [1.0 + exp(I*k), -0.5]])")
    assert r.complete and r.morse_sums == (0, 0) and not r.touchings
    got = [(p.bands, p.label, float(arb(p.value).mid())) for p in r.points]
    root = 4.25**0.5
    assert [(b, label) for b, label, _ in got] == [
        ((1,), "A1 min"),
        ((1,), "A1 max"),
        ((2,), "A1 min"),
        ((2,), "A1 max"),
    ]
    assert [v for _, _, v in got] == pytest.approx([-root, -0.5, 0.5, root], abs=1e-15)
    top = r.points[3]
    coefficient = arb(2).sqrt() / (2 * PI * (1 / arb(4.25).sqrt()).sqrt())
    assert arb(top.dos.split(" |E")[0]).overlaps(coefficient)


def _kagome(t):
    hoppings = [(0, 1, (0, 0), t), (0, 1, (-1, 0), t), (0, 2, (0, 0), t), (0, 2, (0, -1), t)]
    return TightBinding.from_hoppings(3, hoppings + [(1, 2, (0, 0), t), (1, 2, (1, -1), t)])


def test_kagome_float_against_the_hand_derivation():
    # kagome with t = -1.0 (exact as a double): bands -1 -+ |f| and the flat band 2, |f|^2 = 3 + 2 cos k1 +
    # 2 cos k2 + 2 cos(k1 - k2) (tests/test_bands.py, where the exact path confirms it).  |f| = 3 at Gamma,
    # 1 at the three M points (one cosine +1, two -1), 0 at K, K'.  Band 1 = -1 - |f|: Gamma min -4, M
    # saddles -2; band 2 = -1 + |f|: M saddles 0 and its maximum 2 at Gamma, where it meets the flat band (the
    # certified path cannot tell E0 = 2 from E0 = 2 +- 1e-6 and says "bands 2-3"); the Dirac points K, K'
    # at E = -1 are touchings of bands 1 and 2.  Morse points: |f| has Morse critical points there.
    r = band_critical_points(_kagome(-1.0))
    assert isinstance(r, CertifiedBandSet) and r.flat == (("2", 1),)
    m_points = [(0, PI), (PI, 0), (PI, PI)]
    expected = [((1,), (0, 0), -4, "A1 min")] + [((1,), m, -2, "A1 saddle") for m in m_points]
    expected += [((2,), m, 0, "A1 saddle") for m in m_points]
    for bands, point, value, label in expected:
        hits = [
            p for p in r.points if p.bands == bands and all(arb(c).overlaps(arb(e)) for c, e in zip(p.point, point))
        ]
        assert len(hits) == 1 and hits[0].label == label and arb(hits[0].value).overlaps(arb(value))
    (top,) = [p for p in r.points if len(p.bands) != 1]
    assert top.bands == (2, 3) and "flat band E = 2" in top.label and arb(top.value).overlaps(_near(2))
    assert len(r.points) == 1 + 1 + 3 + 3
    cones = sorted(r.touchings, key=lambda t: float(arb(t.point[0]).mid()))
    assert [t.bands for t in cones] == [(1, 2), (1, 2)]
    for t, K in zip(cones, [(2 * PI / 3, 4 * PI / 3), (4 * PI / 3, 2 * PI / 3)]):
        assert all(arb(c).overlaps(arb(k.mid(), 1e-6)) for c, k in zip(t.point, K))
        assert arb(t.value).overlaps(arb(-1, 1e-6)) and arb(t.delta) < 1e-6
    assert not r.complete and r.morse_sums == (None, None, None)


@pytest.mark.slow
def test_honeycomb_with_next_nearest_hopping_float_matches_the_exact_model():
    # t = 1.0, t' = 0.1 as doubles against the exact path with t' = 1/10 (tests/test_bands.py derives it:
    # Gamma -12/5 and 18/5, M -6/5 and 4/5, conical touchings at K, K' at -3/10).  0.1 differs from 1/10
    # by 5.6e-18, so values agree to ~1e-16, inside the 1e-12 used.
    d0 = 2 * sympy.Float(0.1) * (sympy.cos(k1) + sympy.cos(k2) + sympy.cos(k1 - k2))
    f = 1.0 * (1 + sympy.exp(-sympy.I * k1) + sympy.exp(-sympy.I * k2))
    g = 1.0 * (1 + sympy.exp(sympy.I * k1) + sympy.exp(sympy.I * k2))
    r = band_critical_points(sympy.Matrix([[d0, f], [g, d0]]))
    exact = band_critical_points(
        "Matrix([[2*tp*(cos(k1) + cos(k2) + cos(k1 - k2)), 1 + exp(-I*k1) + exp(-I*k2)], "
        "[1 + exp(I*k1) + exp(I*k2), 2*tp*(cos(k1) + cos(k2) + cos(k1 - k2))]])",
        parameters="tp=1/10",
    )
    assert len(r.points) == len(exact.points) == 8
    for q in exact.points:
        p = _match(r, q, q.band)
        assert arb(p.value).overlaps(_near(q.value)) and p.index == q.index and p.status == "Morse"
    assert len(r.touchings) == 2 and all(t.bands == (1, 2) for t in r.touchings)
    assert all(arb(t.value).overlaps(arb(-0.3, 1e-6)) for t in r.touchings)
    # the M saddle of band 1: the certified coefficient of ln(1/|E - c|), 2/((2 pi)^2 sqrt|det H|), is -L of the
    # exact path (its term is L ln|E - c|, L = -5/(8 pi^2) here)
    m = next(q for q in exact.band(1) if q.point == (sympy.pi, sympy.pi))
    p = _match(r, m, 1)
    assert arb(p.dos.split(" ln")[0]).overlaps(_near(-m.dos.log_coefficient, 1e-9))


def test_float_dispatch_and_round_trip():
    # a TightBinding with exact amplitudes keeps the exact path; floats take the certified one
    chain = TightBinding.from_hoppings(1, [(0, 0, (1,), 1.0)])  # E = 2 cos k: min -2 at pi, max 2 at 0
    r = band_critical_points(chain)
    assert isinstance(r, CertifiedBandSet) and r.morse_sums == (0,)
    assert [(p.label, float(arb(p.value).mid())) for p in r.points] == [("A1 min", -2.0), ("A1 max", 2.0)]
    assert isinstance(band_critical_points(TightBinding.from_hoppings(1, [(0, 0, (1,), 1)])), BandCriticalSet)
    again = CertifiedBandSet.from_dict(json.loads(json.dumps(r.to_dict())))
    assert again == r and "A1 min" in str(r)


@pytest.mark.parametrize(
    "H",
    [
        sympy.Matrix([[sympy.Float("nan") * sympy.cos(k1), 1], [1, 0]]),
        sympy.Matrix([[0, 1.0 + sympy.exp(-sympy.I * k1)], [2.0 + sympy.exp(sympy.I * k1), 0]]),  # not Hermitian
        "Matrix([[0.5*cos(k1), 1e400], [1e400, 0]])",
    ],
)
def test_bad_float_matrices(H):
    with pytest.raises(InputError):
        certified_band_points(H)
