"""Critical points of every band of a Bloch matrix (physics/bands.py): each expected value derived by hand below."""

import pytest
import sympy

from singularities.errors import InputError, TimeLimitError
from singularities.physics.bands import BandCriticalSet, band_critical_points
from singularities.physics.torus import torus_critical_points

pi, sqrt = sympy.pi, sympy.sqrt
# graphene in reduced coordinates: f(k) = 1 + e^{i k1} + e^{i k2}, bands E = +-|f|,
# |f|^2 = 3 + 2 cos k1 + 2 cos k2 + 2 cos(k1 - k2)
GRAPHENE = "Matrix([[0, 1 + exp(-I*k1) + exp(-I*k2)], [1 + exp(I*k1) + exp(I*k2), 0]])"
# the same with next-nearest hopping: d0 = 2 t' (cos k1 + cos k2 + cos(k1 - k2)) on the diagonal
NNN = (
    "Matrix([[2*tp*(cos(k1) + cos(k2) + cos(k1 - k2)), 1 + exp(-I*k1) + exp(-I*k2)], "
    "[1 + exp(I*k1) + exp(I*k2), 2*tp*(cos(k1) + cos(k2) + cos(k1 - k2))]])"
)
# kagome with hopping -1 (sublattices A, B, C): eigenvalues -1 +- |f| and the flat band 2
KAGOME = (
    "Matrix([[0, -1 - exp(-I*k1), -1 - exp(-I*k2)], [-1 - exp(I*k1), 0, -1 - exp(I*(k1 - k2))], "
    "[-1 - exp(I*k2), -1 - exp(-I*(k1 - k2)), 0]])"
)
# semi-Dirac: d = (1 - cos kx, sin ky), E = +-sqrt((1 - cos kx)^2 + sin(ky)^2) ~ +-sqrt(ky^2 + kx^4/4) at (0, 0)
SEMI_DIRAC = "Matrix([[0, 1 - cos(kx) - I*sin(ky)], [1 - cos(kx) + I*sin(ky), 0]])"
K, K2 = (2 * pi / 3, 4 * pi / 3), (4 * pi / 3, 2 * pi / 3)
M_POINTS = {(0, pi), (pi, 0), (pi, pi)}


@pytest.fixture(scope="module")
def graphene():
    return band_critical_points(GRAPHENE)


def _points(result, band):
    return {(p.point, p.value, p.label, p.index) for p in result.band(band)}


def test_a_one_by_one_matrix_is_the_scalar_band():
    # the 1x1 Bloch matrix [e(k)] has the one band e(k): the same points, types, indices and DOS as the torus code
    bands = band_critical_points("Matrix([[-2*cos(kx) - 2*cos(ky)]])")
    torus = torus_critical_points("-2*cos(kx) - 2*cos(ky)")
    assert [(p.point, p.value, p.label, p.index) for p in bands.points] == [
        (p.point, p.value, p.label, p.index) for p in torus.points
    ]
    for b, t in zip(bands.points, torus.points):
        assert (b.dos.c_plus, b.dos.c_minus, b.dos.log_coefficient) == (
            t.dos.c_plus,
            t.dos.c_minus,
            t.dos.log_coefficient,
        )
    assert (bands.bands[0].minimum, bands.bands[0].maximum, bands.bands[0].morse_sum) == (-4, 4, 0)


def test_graphene_dirac_cones_saddles_and_edges(graphene):
    # |f| = 0 exactly at K = (2pi/3, 4pi/3) and K' (1 + w + w^2 = 0, w = e^{2 pi i/3}): two conical touchings at E = 0
    assert [(t.point, t.value, t.kind, t.bands) for t in graphene.touchings] == [
        (K, 0, "conical", (1, 2)),
        (K2, 0, "conical", (1, 2)),
    ]
    # M points: |f|^2 = 3 - 2 + 2 - 2 = 1 at (pi, 0) etc.: saddles (index -1) at E = -1 in band 1 and E = 1 in band 2;
    # Gamma: |f| = 3, the band edges -3 and 3
    assert _points(graphene, 1) == {((0, 0), -3, "A1", 1)} | {(m, -1, "A1", -1) for m in M_POINTS}
    assert _points(graphene, 2) == {((0, 0), 3, "A1", 1)} | {(m, 1, "A1", -1) for m in M_POINTS}
    # Poincare-Hopf per band: extremum at Gamma (+1), two cones (+1 each: the vertex is an extremum), three saddles
    assert [(b.minimum, b.maximum, b.morse_sum, b.morse_check) for b in graphene.bands] == [
        (-3, 0, 0, True),
        (0, 3, 0, True),
    ]


def test_graphene_cone_dos_per_band(graphene):
    # near K, |f|^2 = x^T M x with M = Hessian(|f|^2)/2 = [[1, -1/2], [-1/2, 1]], det M = 3/4.  The upper band
    # E = sqrt(x^T M x) has area {E < e} = pi e^2 / sqrt(det M); rho = d/de area / (2 pi)^2 = e / (2 pi sqrt(det M))
    # = e / (sqrt(3) pi) per cone and band.  (Check: two cones give 2|E|/(sqrt(3) pi) per cell, the graphene
    # A_c |E| / (pi v_F^2) with A_c = 3 sqrt(3)/2, v_F = 3/2.)
    touching = graphene.touchings[0]
    assert touching.matrix == sympy.Matrix([[1, -sympy.Rational(1, 2)], [-sympy.Rational(1, 2), 1]])
    lower, upper = touching.dos
    assert upper.exponent == 1 and upper.c_minus == 0
    assert sympy.simplify(upper.c_plus - 1 / (sqrt(3) * pi)) == 0
    assert lower.c_plus == 0 and sympy.simplify(lower.c_minus - 1 / (sqrt(3) * pi)) == 0


def test_graphene_saddle_dos_agrees_with_the_square_root_band(graphene):
    # band 2 is sqrt(|f|^2): the torus code's square-root band path is an independent computation of the same DOS
    torus = torus_critical_points("sqrt(3 + 2*cos(k1) + 2*cos(k2) + 2*cos(k1 - k2))")
    expected = {p.point: p.dos.log_coefficient for p in torus.points if p.point in M_POINTS}
    got = {p.point: p.dos.log_coefficient for p in graphene.band(2) if p.point in M_POINTS}
    assert set(got) == M_POINTS
    assert all(sympy.simplify(got[m] - expected[m]) == 0 for m in M_POINTS)


def test_honeycomb_with_next_nearest_hopping():
    # E = d0 +- |f|, d0 = 2t'(cos k1 + cos k2 + cos(k1 - k2)), t' = 1/10:
    # Gamma: d0 = 6t' = 3/5, |f| = 3 -> -12/5, 18/5; M: d0 = -2t' = -1/5, |f| = 1 -> -6/5, 4/5;
    # K, K': d0 = -3t' = -3/10, |f| = 0 -> conical touchings at -3/10 (grad d0 = 0 there: no tilt)
    result = band_critical_points(NNN, parameters="tp=1/10", dos=False)
    r = sympy.Rational
    assert _points(result, 1) == {((0, 0), r(-12, 5), "A1", 1)} | {(m, r(-6, 5), "A1", -1) for m in M_POINTS}
    assert _points(result, 2) == {((0, 0), r(18, 5), "A1", 1)} | {(m, r(4, 5), "A1", -1) for m in M_POINTS}
    assert [(t.point, t.value, t.kind) for t in result.touchings] == [
        (K, r(-3, 10), "conical"),
        (K2, r(-3, 10), "conical"),
    ]
    assert all(w == 0 for w in result.touchings[0].tilt)
    assert [(b.minimum, b.maximum, b.morse_sum, b.morse_check) for b in result.bands] == [
        (r(-12, 5), r(-3, 10), 0, True),
        (r(-3, 10), r(18, 5), 0, True),
    ]


def test_kagome_flat_band_and_its_quadratic_touching():
    # kagome = -1 +- |f| and 2: Gamma -4, 2 (and the flat 2); M: -2, 0; K: the cone of graphene shifted to -1
    result = band_critical_points(KAGOME, dos=False)
    (flat,) = result.components
    assert (flat.value, flat.bands, flat.dimension) == (2, (3,), 2)  # a non-isolated critical set: the whole torus
    kinds = [(t.point, t.value, t.kind, t.bands) for t in result.touchings]
    assert kinds == [(K, -1, "conical", (1, 2)), (K2, -1, "conical", (1, 2)), ((0, 0), 2, "quadratic", (2, 3))]
    assert _points(result, 1) == {((0, 0), -4, "A1", 1)} | {(m, -2, "A1", -1) for m in M_POINTS}
    # band 2: -1 + |f| has its maximum 2 at Gamma, where it touches the flat band quadratically
    assert _points(result, 2) == {((0, 0), 2, "A1", 1)} | {(m, 0, "A1", -1) for m in M_POINTS}
    assert [(b.minimum, b.maximum, b.morse_sum) for b in result.bands[:2]] == [(-4, -1, 0), (-1, 2, 0)]
    assert (result.bands[2].minimum, result.bands[2].maximum, result.bands[2].morse_check) == (2, 2, None)


def test_semi_dirac_touchings_and_degenerate_band_points():
    result = band_critical_points(SEMI_DIRAC)
    assert [(t.point, t.value, t.kind) for t in result.touchings] == [
        ((0, 0), 0, "semi-Dirac"),
        ((0, pi), 0, "semi-Dirac"),
    ]
    # upper band e = sqrt(ky^2 + kx^4/4): with kx = sqrt(2) u, area {e < E} = sqrt(2) E^(3/2) B(1/4, 3/2)
    # (area {y^2 + u^4 < R} = R^(3/4) * 4 int_0^1 sqrt(1 - v^4) dv = R^(3/4) B(1/4, 3/2)), so
    # rho = (3/2) sqrt(2) B E^(1/2) / (2 pi)^2 = sqrt(2) Gamma(1/4) / (4 pi^(3/2) Gamma(3/4)) E^(1/2)
    upper = result.touchings[0].dos[1]
    expected = (
        sqrt(2)
        * sympy.gamma(sympy.Rational(1, 4))
        / (4 * pi ** sympy.Rational(3, 2) * sympy.gamma(sympy.Rational(3, 4)))
    )
    assert upper.exponent == sympy.Rational(1, 2) and upper.c_minus == 0
    assert sympy.simplify(upper.c_plus - expected) == 0
    # at (0, pi/2): E^2 = 1 - y^2 + x^4/4 + ..., so E - 1 = -y^2/2 + x^4/8: A3 with residual +x^4 (A3+; a
    # degenerate saddle: index -1 as for -y^2 + x^4),
    # found through the jet of the implicit band with its truncation recorded
    a3 = [p for p in result.band(2) if p.point == (0, pi / 2)][0]
    assert (a3.value, a3.label, a3.index) == (1, "A3+", -1)
    assert "finite determinacy" in a3.truncation
    # per band: 2 cone-like minima (+2), saddles at (pi, 0), (pi, pi) (-2), the A3 points (-2), maxima sqrt(5) (+2)
    assert [(b.minimum, b.maximum, b.morse_sum) for b in result.bands] == [(-sqrt(5), 0, 0), (0, sqrt(5), 0)]


def test_unitary_equivalent_matrices_give_the_same_points(graphene):
    # U H U^dagger with U = diag(1, e^{i k1}) (a gauge phase) and the orbital swap have the same bands
    gauge = (
        "Matrix([[0, exp(-I*k1) + exp(-2*I*k1) + exp(-I*(k1 + k2))], [exp(I*k1) + exp(2*I*k1) + exp(I*(k1 + k2)), 0]])"
    )
    swapped = "Matrix([[0, 1 + exp(I*k1) + exp(I*k2)], [1 + exp(-I*k1) + exp(-I*k2), 0]])"
    key = lambda r: (  # noqa: E731
        sorted((p.band, p.point, p.value, p.label, p.index) for p in r.points),
        [(t.point, t.value, t.kind, t.bands) for t in r.touchings],
    )
    for other in (gauge, swapped):
        assert key(band_critical_points(other, dos=False)) == key(graphene)


def test_lieb_triple_point():
    # Lieb lattice: eigenvalues 0 (flat) and +-sqrt(4 + 2 cos kx + 2 cos ky); at M = (pi, pi) all three meet.
    # There 4 - 2 cos x - 2 cos y = x^2 + y^2 + ...: the outer bands form an untilted cone with M = I, so
    # rho = e / (2 pi sqrt(det M)) = e / (2 pi) per band; Gamma: +-2 sqrt(2) (extrema), X: +-2 (saddles).
    lieb = "Matrix([[0, 1 + exp(-I*kx), 1 + exp(-I*ky)], [1 + exp(I*kx), 0, 0], [1 + exp(I*ky), 0, 0]])"
    result = band_critical_points(lieb)
    (triple,) = result.touchings
    assert (triple.point, triple.value, triple.kind, triple.bands) == ((pi, pi), 0, "triple point", (1, 2, 3))
    assert triple.matrix == sympy.eye(2) and triple.indices == (1, None, 1)
    assert (triple.dos[0].c_minus, triple.dos[2].c_plus, triple.dos[1]) == (1 / (2 * pi), 1 / (2 * pi), None)
    assert _points(result, 1) == {((0, 0), -2 * sqrt(2), "A1", 1), ((0, pi), -2, "A1", -1), ((pi, 0), -2, "A1", -1)}
    assert [(b.minimum, b.maximum, b.morse_sum) for b in result.bands] == [
        (-2 * sqrt(2), 0, 0),
        (0, 0, None),
        (0, 2 * sqrt(2), 0),
    ]


def test_two_flat_bands_are_components_not_points():
    # H = [[0, e^{-ik}], [e^{ik}, 0]] has eigenvalues +-1 for every k: two flat bands, no isolated point
    result = band_critical_points("Matrix([[0, exp(-I*k)], [exp(I*k), 0]])", dos=False)
    assert result.points == () and result.touchings == ()
    assert sorted((c.value, c.bands) for c in result.components) == [(-1, (1,)), (1, (2,))]


def test_a_time_limit_is_an_error_not_a_hang():
    with pytest.raises(TimeLimitError):
        band_critical_points("Matrix([[cos(k)**1000]])", timeout=1)


def test_round_trip(graphene):
    again = BandCriticalSet.from_dict(graphene.to_dict())
    assert again.to_dict() == graphene.to_dict()


@pytest.mark.parametrize(
    ("matrix", "message"),
    [
        ("Matrix([[0, exp(I*k)], [exp(I*k), 0]])", "not Hermitian"),
        ("Matrix([[cos(k), 1]])", "square"),
        ("Matrix([[0.5*cos(k)]])", "float"),
        ("Matrix([[t*cos(k)]])", "has no value"),
        ("Matrix([[cos(k/2)]])", "periodic"),
        ("Matrix([[abs(k)]])", "not analytic"),
        ("[[cos(k), 1], [1]", "brackets"),
        ("Matrix([[exp(k)]])", "not a Bloch phase"),
        ("Matrix([[sqrt(2)*cos(k)]])", "not rational"),
    ],
)
def test_bad_input_is_one_line(matrix, message):
    with pytest.raises(InputError, match=message):
        band_critical_points(matrix)


def test_a_tilted_cone():
    # H = d0 + sin(kx) sigma_x + sin(ky) sigma_y with d0 = sin(kx)/2: cones at (0, 0), (0, pi), (pi, 0), (pi, pi)
    # with M = I (|d|^2 = x^2 + y^2 + ...) and tilt w = grad d0 = (+-1/2, 0), so u^2 = w^T M^-1 w = 1/4.
    # The region {w.x + |x| < e} is an ellipse of area pi e^2 / (1 - u^2)^(3/2), so per band
    # rho = 2 pi e / ((2 pi)^2 (3/4)^(3/2)) = 4 sqrt(3) / (9 pi) e.
    result = band_critical_points("Matrix([[sin(kx)/2, sin(kx) - I*sin(ky)], [sin(kx) + I*sin(ky), sin(kx)/2]])")
    assert [(t.point, t.kind, t.tilt) for t in result.touchings] == [
        ((0, 0), "conical", (sympy.Rational(1, 2), 0)),
        ((0, pi), "conical", (sympy.Rational(1, 2), 0)),
        ((pi, 0), "conical", (-sympy.Rational(1, 2), 0)),
        ((pi, pi), "conical", (-sympy.Rational(1, 2), 0)),
    ]
    for t in result.touchings:
        lower, upper = t.dos
        assert sympy.simplify(upper.c_plus - 4 * sqrt(3) / (9 * pi)) == 0 and upper.c_minus == 0
        assert sympy.simplify(lower.c_minus - 4 * sqrt(3) / (9 * pi)) == 0 and lower.c_plus == 0
    assert [b.morse_sum for b in result.bands] == [0, 0]


@pytest.mark.slow  # about 6 s alone, over 10 s on a loaded machine; docs/lattices.md runs a reduced case (dos=False)
def test_a_band_with_k_dependent_d0_through_the_torus_code():
    # torus_critical_points accepts d0(k) + sqrt(R) (honeycomb with t' = 1/10, upper band) through P = (E - d0)^2 - R.
    # The saddle's log coefficient is checked against the Hessian of the explicit band at M = (pi, 0):
    # L = -1/(2 pi^2 sqrt|det H|) on the torus (square lattice: H = diag(2, -2), L = -1/(4 pi^2)).
    k1, k2 = sympy.symbols("k1 k2")
    band = (sympy.cos(k1) + sympy.cos(k2) + sympy.cos(k1 - k2)) / 5 + sqrt(
        3 + 2 * (sympy.cos(k1) + sympy.cos(k2) + sympy.cos(k1 - k2))
    )
    found = torus_critical_points(band)
    assert [(p.point, p.value, p.label) for p in found.points] == [
        ((0, pi), sympy.Rational(4, 5), "A1"),
        ((pi, 0), sympy.Rational(4, 5), "A1"),
        ((pi, pi), sympy.Rational(4, 5), "A1"),
        ((0, 0), sympy.Rational(18, 5), "A1"),
    ]
    assert [(c.point, c.value, c.touching, c.index) for c in found.conical_points] == [
        (K, -sympy.Rational(3, 10), "conical", 1),
        (K2, -sympy.Rational(3, 10), "conical", 1),
    ]
    assert (found.morse_sum, found.band_minimum, found.band_maximum) == (
        0,
        -sympy.Rational(3, 10),
        sympy.Rational(18, 5),
    )
    hessian = sympy.hessian(band, (k1, k2)).subs({k1: pi, k2: 0}).applyfunc(sympy.simplify)
    expected = -1 / (2 * pi**2 * sqrt(abs(hessian.det())))
    saddle = [p for p in found.points if p.point == (pi, 0)][0]
    assert sympy.simplify(saddle.dos.log_coefficient - expected) == 0
