"""Tight-binding models (singularities/lattices.py): hoppings, Bloch matrices, files, bands.

Convention (docs/lattices.md#tight-binding-models): t_ij(R) = <i, 0| H |j, R>,
H_ij(k) = sum_R t_ij(R) exp(i k.R) with k in reduced coordinates.  Every expected value
below is derived by hand in a comment, or computed independently with numpy from the
hopping list (never from the module's own output).
"""

import math
import random

import numpy as np
import pytest
import sympy
from sympy import I, Matrix, conjugate, cos, exp, sin

from singularities.errors import InputError, MethodNotApplicableError
from singularities.lattices import TightBinding, read_model, write_hr

k1, k2, k3 = sympy.symbols("k1 k2 k3")
t, tp, E = sympy.symbols("t tp E")

HONEYCOMB = [(0, 1, (0, 0), "t"), (0, 1, (-1, 0), "t"), (0, 1, (0, -1), "t")]
# Kagome, sites A = 0, B = a1/2, C = a2/2; nearest neighbours of A: B at +-a1/2 (cells 0 and -a1),
# C at +-a2/2 (cells 0 and -a2); B-C bonds at +-(a1 - a2)/2 (cells 0 and a1 - a2).  Amplitude -t.
KAGOME = [
    (0, 1, (0, 0), "-t"),
    (0, 1, (-1, 0), "-t"),
    (0, 2, (0, 0), "-t"),
    (0, 2, (0, -1), "-t"),
    (1, 2, (0, 0), "-t"),
    (1, 2, (1, -1), "-t"),
]


def _numeric_bloch(hoppings, n, k):
    """H(k) summed directly from a completed hopping list with numpy: sum_R t exp(i k.R)."""
    H = np.zeros((n, n), dtype=complex)
    for i, j, R, amplitude in hoppings:
        H[i, j] += complex(amplitude) * np.exp(1j * np.dot(k, R))
    return H


def _random_k(d, rng):
    return [rng.uniform(-math.pi, math.pi) for _ in range(d)]


def test_square_lattice():
    # t e^{i k1} + t e^{-i k1} = 2 t cos k1: the square band with hopping -t is -2t (cos k1 + cos k2)
    square = TightBinding.from_hoppings(1, [(0, 0, (1, 0), "-t"), (0, 0, (0, 1), "-t")])
    assert square.dimension == 2 and square.variables == (k1, k2) and square.parameters == (t,)
    assert square.hamiltonian() == Matrix([[-2 * t * cos(k1) - 2 * t * cos(k2)]])
    # 1 x 1: det(E - H) = E + 2t (cos k1 + cos k2)
    assert sympy.expand(square.characteristic_polynomial() - (E + 2 * t * (cos(k1) + cos(k2)))) == 0
    assert square.bands() == (-2 * t * cos(k1) - 2 * t * cos(k2),)
    assert square.exact and len(square.hoppings) == 4  # completed by the reverse hoppings
    # the symbols are plain sympy symbols: a user's k1, t substitute (at k = 0 the band is -4t)
    assert square.hamiltonian().subs({k1: 0, k2: 0, t: 1}) == Matrix([[-4]])
    real_t = sympy.Symbol("t", real=True)  # a parameter made with assumptions is the same parameter t
    assert TightBinding.from_hoppings(1, [(0, 0, (1, 0), -real_t), (0, 0, (0, 1), -t)]).parameters == (t,)


def test_simple_cubic_3d():
    # the simple cubic band: -2t (cos k1 + cos k2 + cos k3)
    cubic = TightBinding.from_hoppings(1, [(0, 0, R, "-t") for R in [(1, 0, 0), (0, 1, 0), (0, 0, 1)]])
    assert cubic.variables == (k1, k2, k3)
    assert sympy.expand(cubic.bands()[0] + 2 * t * (cos(k1) + cos(k2) + cos(k3))) == 0


def test_honeycomb_bands_and_characteristic_polynomial():
    honeycomb = TightBinding.from_hoppings(2, HONEYCOMB)
    f = 1 + exp(-I * k1) + exp(-I * k2)
    # H_01 = t f, H_10 = conj(H_01); |f|^2 = 3 + 2 cos k1 + 2 cos k2 + 2 cos(k1 - k2)
    assert sympy.expand((honeycomb.hamiltonian()[0, 1] - t * f).rewrite(exp)) == 0
    modulus = 3 + 2 * cos(k1) + 2 * cos(k2) + 2 * cos(k1 - k2)
    assert sympy.expand(honeycomb.characteristic_polynomial() - (E**2 - t**2 * modulus)) == 0
    lower, upper = honeycomb.bands()
    assert sympy.expand(lower + upper) == 0  # d0 = 0
    assert sympy.expand(upper**2 - t**2 * modulus) == 0


def test_honeycomb_bands_match_eigvalsh_at_random_k():
    # bands = +- t |1 + e^{i k1} + e^{i k2}|, compared with numpy's eigenvalues of the hand-summed H(k)
    honeycomb = TightBinding.from_hoppings(2, HONEYCOMB).substitute({"t": "13/10"})
    bands = [sympy.lambdify((k1, k2), b, "math") for b in honeycomb.bands()]
    rng = random.Random(16)
    for _ in range(20):
        k = _random_k(2, rng)
        expected = sorted(
            [
                -1.3 * abs(1 + np.exp(1j * k[0]) + np.exp(1j * k[1])),
                1.3 * abs(1 + np.exp(1j * k[0]) + np.exp(1j * k[1])),
            ]
        )
        numeric = np.linalg.eigvalsh(_numeric_bloch(honeycomb.hoppings, 2, k))
        assert np.allclose(numeric, expected, atol=1e-12)
        assert np.allclose([b(*k) for b in bands], expected, atol=1e-12)


def test_honeycomb_with_next_nearest_hopping():
    # A-A and B-B hoppings tp at +-a1, +-a2, +-(a1 - a2): d0 = 2 tp (cos k1 + cos k2 + cos(k1 - k2))
    nnn = HONEYCOMB + [(o, o, R, "tp") for o in (0, 1) for R in [(1, 0), (0, 1), (1, -1)]]
    model = TightBinding.from_hoppings(2, nnn)
    assert model.parameters == (t, tp)
    lower, upper = model.bands()
    d0 = 2 * tp * (cos(k1) + cos(k2) + cos(k1 - k2))
    assert sympy.expand((lower + upper) / 2 - d0) == 0
    assert sympy.expand(((upper - lower) / 2) ** 2 - t**2 * (3 + 2 * cos(k1) + 2 * cos(k2) + 2 * cos(k1 - k2))) == 0
    numeric = model.substitute({"t": 1, "tp": "-1/5"})
    rng = random.Random(7)
    for _ in range(10):
        k = _random_k(2, rng)
        values = [float(b.subs({k1: k[0], k2: k[1]})) for b in numeric.bands()]
        assert np.allclose(np.linalg.eigvalsh(_numeric_bloch(numeric.hoppings, 2, k)), values, atol=1e-12)


def test_kagome_flat_band_factor():
    # The kagome lattice is the line graph of the honeycomb lattice: A_kagome = B^T B - 2 with B the
    # 2 x 3 Bloch incidence matrix, so B^T B (rank <= 2) has an eigenvalue 0 and A has -2 for every k;
    # the other two are the nonzero eigenvalues of B B^T = 3 + A_honeycomb minus 2, i.e. 1 +- |f|.
    # With amplitude -t, H = -t A: a flat band E = 2t and E = -t -+ t|f|, so
    # det(E - H) = (E - 2t) (E^2 + 2tE - 2t^2 (1 + cos k1 + cos k2 + cos(k1 - k2))).
    kagome = TightBinding.from_hoppings(3, KAGOME)
    P = kagome.characteristic_polynomial()
    assert sympy.expand(P.subs(E, 2 * t)) == 0
    quotient, remainder = sympy.div(sympy.Poly(P, E), sympy.Poly(E - 2 * t, E))
    assert remainder.is_zero
    expected = E**2 + 2 * t * E - 2 * t**2 * (1 + cos(k1) + cos(k2) + cos(k1 - k2))
    assert sympy.expand(quotient.as_expr() - expected) == 0
    assert not P.has(I)  # real coefficients
    with pytest.raises(MethodNotApplicableError, match="characteristic_polynomial"):
        kagome.bands()
    numeric = kagome.substitute({"t": 1})
    rng = random.Random(3)
    for _ in range(10):
        k = _random_k(2, rng)
        eigenvalues = np.linalg.eigvalsh(_numeric_bloch(numeric.hoppings, 3, k))
        assert np.isclose(eigenvalues.max(), 2.0, atol=1e-12)  # the flat band is the top band for t = 1
        f = abs(1 + np.exp(1j * k[0]) + np.exp(1j * k[1]))
        assert np.allclose(sorted(eigenvalues), sorted([2.0, -1 - f, -1 + f]), atol=1e-12)


def test_from_matrix_agrees_with_from_hoppings():
    f = 1 + exp(-I * k1) + exp(-I * k2)
    honeycomb = TightBinding.from_matrix(Matrix([[0, t * f], [t * conjugate(f), 0]]), [k1, k2])
    assert honeycomb == TightBinding.from_hoppings(2, HONEYCOMB)
    # the kagome Bloch matrix as users write it, in cos/sin: -t(1 + e^{-ik1}) = -t(1 + cos k1 - i sin k1)
    a, b, c = (
        -t * (1 + cos(k1) - I * sin(k1)),
        -t * (1 + cos(k2) - I * sin(k2)),
        -t * (1 + cos(k1 - k2) + I * sin(k1 - k2)),
    )
    H = Matrix([[0, a, b], [conjugate(a), 0, c], [conjugate(b), conjugate(c), 0]])
    kagome = TightBinding.from_matrix(H)  # k found by name
    assert kagome == TightBinding.from_hoppings(3, KAGOME)
    # and back: the Bloch matrix of the model equals H, where t and k are real (conjugate(t) stays unevaluated
    # for a plain symbol t, so H is evaluated with real stand-ins)
    real = {s: sympy.Dummy(s.name, real=True) for s in (t, k1, k2)}
    H = H.xreplace(real).xreplace({d: s for s, d in real.items()})
    assert (kagome.hamiltonian() - H).applyfunc(lambda x: sympy.expand(x.rewrite(exp))) == sympy.zeros(3, 3)


def test_from_matrix_other_names_and_products():
    kx, ky = sympy.symbols("kx ky")
    # cos kx cos ky = (cos(kx + ky) + cos(kx - ky))/2: four hoppings 1/4 at (+-1, +-1)
    model = TightBinding.from_matrix(Matrix([[cos(kx) * cos(ky)]]))
    assert {(h[2], h[3]) for h in model.hoppings} == {((a, b), sympy.Rational(1, 4)) for a in (1, -1) for b in (1, -1)}


def test_hermitian_completion_and_check():
    one_way = TightBinding.from_hoppings(2, [(0, 1, (1,), "1 + I"), (0, 0, (0,), "1/2")])
    both = TightBinding.from_hoppings(
        2, [(0, 1, (1,), "1 + I"), (1, 0, (-1,), "1 - I"), (0, 0, (0,), "1/2")], hermitian="check"
    )
    assert one_way == both
    # t_10(-1) = conj(1 + i) = 1 - i; H_01 = (1 + i) e^{ik} and H_10 its conjugate
    assert dict(((i, j, R), a) for i, j, R, a in one_way.hoppings)[(1, 0, (-1,))] == 1 - I
    H = one_way.hamiltonian()
    real_k = sympy.Symbol("k", real=True)
    assert sympy.expand((H[0, 1] - conjugate(H[1, 0])).subs(k1, real_k).rewrite(exp)) == 0
    with pytest.raises(InputError, match=r"hopping \(0, 1, R=\(1\)\) = 1 \+ I but its reverse .* is not its conjugate"):
        TightBinding.from_hoppings(2, [(0, 1, (1,), "1 + I"), (1, 0, (-1,), "1 + I")])
    with pytest.raises(
        InputError, match=r"has no reverse hopping \(1, 0, R=\(-1\)\), so the model is not Hermitian; give it"
    ):
        TightBinding.from_hoppings(2, [(0, 1, (1,), 1)], hermitian="check")
    with pytest.raises(InputError, match=r"on-site|not its conjugate"):
        TightBinding.from_hoppings(1, [(0, 0, (0,), "I")])  # a complex on-site energy is not Hermitian


def test_complex_hopping_gives_real_characteristic_polynomial():
    # Haldane-like phases on A-A (e^{i pi/3}) and B-B (e^{-i pi/3}); det(E - H) of a Hermitian H is real
    haldane = HONEYCOMB + [(0, 0, (1, 0), "tp*exp(I*pi/3)"), (1, 1, (1, 0), "tp*exp(-I*pi/3)")]
    P = TightBinding.from_hoppings(2, haldane).characteristic_polynomial()
    assert not P.has(I)
    # H_00 = tp (e^{i pi/3} e^{ik1} + c.c.) = 2 tp cos(k1 + pi/3) = tp cos k1 - sqrt(3) tp sin k1
    H = TightBinding.from_hoppings(2, haldane).hamiltonian()
    assert sympy.expand(H[0, 0] - (tp * cos(k1) - sympy.sqrt(3) * tp * sin(k1))) == 0


def test_float_amplitudes_are_kept_as_floats():
    model = TightBinding.from_hoppings(1, [(0, 0, (1, 0), -1), (0, 0, (0, 1), 0.3)])
    assert model.exact is False and "float amplitudes" in repr(model)
    entry = model.hamiltonian()[0, 0]
    assert entry.atoms(sympy.Float) == {sympy.Float(0.6)}  # 2 * 0.3, never 3/5
    assert not any(isinstance(a, sympy.Rational) and a.q == 10 for a in entry.atoms(sympy.Rational))
    assert TightBinding.from_dict(model.to_dict()) == model
    text = read_model("orbitals 1 dimension 1\n0 0 1 0.3\n")
    assert text.exact is False and text.hoppings[0][3] == sympy.Float(0.3)
    assert read_model("orbitals 1 dimension 1\n0 0 1 0.3\n", exact=True).hoppings[0][3] == sympy.Rational(3, 10)


def test_float_hermiticity_tolerance():
    # floats agree up to a relative 1e-9 (rounding in a fit or a file); the first direction given wins,
    # so the stored table is exactly Hermitian; a difference of 1e-3 is a non-Hermitian model
    close = TightBinding.from_hoppings(2, [(0, 1, (1,), 0.3), (1, 0, (-1,), 0.3 + 1e-14)], hermitian="check")
    table = {(i, j, R): a for i, j, R, a in close.hoppings}
    assert table[(1, 0, (-1,))] == table[(0, 1, (1,))] == sympy.Float(0.3)
    with pytest.raises(InputError, match="not Hermitian; fix one of them$"):
        TightBinding.from_hoppings(2, [(0, 1, (1,), 0.3), (1, 0, (-1,), 0.301)])


def test_substitute_to_dict_and_repr():
    model = TightBinding.from_hoppings(2, HONEYCOMB, names=["A", "B"], positions=[(0, 0), ("1/3", "1/3")])
    assert repr(model) == "TightBinding(2 orbitals, dimension 2, 6 hoppings, parameters (t,), exact)"
    data = model.to_dict()
    assert data["kind"] == "tight_binding" and data["hoppings"][0] == [0, 1, [-1, 0], "t"]
    again = TightBinding.from_dict(data)
    assert again == model and again.positions[1] == (sympy.Rational(1, 3), sympy.Rational(1, 3))
    half = model.substitute({"t": "1/2"})
    assert half.parameters == () and all(h[3] == sympy.Rational(1, 2) for h in half.hoppings)
    with pytest.raises(InputError, match="has no parameter u .*give one of those"):
        model.substitute({"u": 1})


def test_text_format_and_line_numbers(tmp_path):
    text = """# kagome, nearest neighbours
orbitals 3 dimension 2
names A B C
0 1  0  0  -t
0 1 -1  0  -t
0 2  0  0  -t   # A-C
0 2  0 -1  -t
1 2  0  0  -t
1 2  1 -1  -t
"""
    path = tmp_path / "kagome.tb"
    path.write_text(text)
    model = read_model(path)
    assert model == TightBinding.from_hoppings(3, KAGOME, names=["A", "B", "C"])
    assert read_model(str(path)) == model
    with pytest.raises(InputError, match=r"^line 4: .*non-integer orbital or R"):
        read_model("orbitals 2 dimension 1\n\n# comment\n0 1 x 1\n")
    with pytest.raises(InputError, match=r"^line 2: .*give 4 fields"):
        read_model("orbitals 2 dimension 1\n0 1\n")
    with pytest.raises(InputError, match=r"^line 3: hopping 1: orbital 2 is out of range for 2 orbitals"):
        read_model("orbitals 2 dimension 1\n0 1 0 1\n0 2 0 1\n")
    with pytest.raises(InputError, match=r"^line 1: .*'orbitals N dimension d'"):
        read_model("orbitals 2\n0 1 0 1\n")
    with pytest.raises(InputError, match=r"^line 2: amplitude"):
        read_model("orbitals 1 dimension 1\n0 0 1 1/\n")


def _graphene_hr_by_hand():
    """A graphene _hr.dat written line by line after the Wannier90 user guide (files chapter):
    a header line, num_wann, nrpts, the nrpts degeneracies 15 per line, then num_wann^2 * nrpts rows
    'R1 R2 R3 m n Re Im' with m running fastest.  t = -2.7 eV on the bonds R = 0, -a1, -a2 (A -> B)
    and their reverses; the home cell R = 0 is given degeneracy 2, so its values are doubled."""
    rows = [" written on 08Dec2026 at 00:00:00 ", "           2", "           5", "    1    1    2    1    1"]
    cells = [(-1, 0), (0, -1), (0, 0), (0, 1), (1, 0)]
    for R in cells:
        for n in (1, 2):
            for m in (1, 2):
                # t_AB(R) = -2.7 for R in {0, -a1, -a2}; t_BA(R) = -2.7 for R in {0, a1, a2}
                bond = (
                    (m, n) == (1, 2)
                    and R in [(0, 0), (-1, 0), (0, -1)]
                    or (m, n) == (2, 1)
                    and R in [(0, 0), (1, 0), (0, 1)]
                )
                value = -2.7 * (2 if R == (0, 0) else 1) if bond else 0.0
                rows.append(f"{R[0]:5d}{R[1]:5d}{0:5d}{m:5d}{n:5d}{value:12.6f}{0.0:12.6f}")
    return "\n".join(rows) + "\n"


def test_wannier_hr_by_hand_and_round_trip(tmp_path):
    path = tmp_path / "graphene_hr.dat"
    path.write_text(_graphene_hr_by_hand())
    graphene = read_model(path)
    assert graphene.dimension == 2 and not graphene.exact  # every R3 = 0: a 2D model
    expected = TightBinding.from_hoppings(2, [(0, 1, R, -2.7) for R in [(0, 0), (-1, 0), (0, -1)]])
    assert graphene == expected  # the R = 0 values divided by their degeneracy 2
    exact = read_model(path, exact=True)
    assert exact == TightBinding.from_hoppings(2, [(0, 1, R, "-27/10") for R in [(0, 0), (-1, 0), (0, -1)]])
    # writer -> reader, for graphene and kagome
    out = tmp_path / "out_hr.dat"
    write_hr(exact, out)
    assert read_model(out, exact=True) == exact
    assert read_model(out) == graphene
    kagome = TightBinding.from_hoppings(3, KAGOME).substitute({"t": "1/4"})
    assert read_model(write_hr(kagome), exact=True) == kagome
    lines = write_hr(kagome).splitlines()
    assert lines[1].split() == ["3"] and int(lines[2]) == 7  # R in {0, +-a1, +-a2, +-(a1 - a2)}
    assert len(lines) == 3 + 1 + 7 * 9


def test_wannier_degeneracies_fifteen_per_line():
    # a chain with 17 cells R = -8..8: the degeneracies take two lines (15 + 2); t_R = 1/(|R| + 1) for R != 0
    chain = TightBinding.from_hoppings(1, [(0, 0, (r,), sympy.Rational(1, r + 1)) for r in range(1, 9)])
    lines = write_hr(chain).splitlines()
    assert lines[2].strip() == "17" and len(lines[3].split()) == 15 and len(lines[4].split()) == 2
    assert read_model("\n".join(lines), exact=False).dimension == 1
    assert np.isclose(
        float(read_model("\n".join(lines)).hamiltonian()[0, 0].subs(k1, 0)), 2 * sum(1 / (r + 1) for r in range(1, 9))
    )


def test_wannier_errors():
    good = _graphene_hr_by_hand().splitlines()
    with pytest.raises(InputError, match="expected nrpts \\* num_wann\\^2 = 20; give a complete file"):
        read_model("\n".join(good[:-1]))  # truncated
    with pytest.raises(InputError, match="^line 2: .*not num_wann"):
        read_model("\n".join([good[0], "two", *good[2:]]))
    wrong_count = "\n".join([good[0], "           3", *good[2:]])
    with pytest.raises(InputError, match="expected nrpts \\* num_wann\\^2 = 45"):
        read_model(wrong_count)
    bad_value = list(good)
    bad_value[6] = bad_value[6][:-12] + "         nan"
    with pytest.raises(InputError, match="^line 7: the value nan is not finite"):
        read_model("\n".join(bad_value))
    nonhermitian = list(good)
    nonhermitian[5] = nonhermitian[5][:-24] + f"{-1.0:12.6f}{0.0:12.6f}"  # t_AB(-a1) changed, its reverse not
    with pytest.raises(InputError, match="not Hermitian"):
        read_model("\n".join(nonhermitian))
    long_decimal = "\n".join(good).replace("-2.700000", "-2.70000000000000001")
    with pytest.raises(InputError, match="at most 15 significant digits; read the file with exact=False"):
        read_model(long_decimal, exact=True)
    with pytest.raises(InputError, match=r"parameters \(t\); substitute values first"):
        write_hr(TightBinding.from_hoppings(2, HONEYCOMB))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: TightBinding.from_hoppings(1, [(0, 0, (sympy.Rational(1, 2), 0), 1)]),
            r"component of R .* not an integer; give an integer$",
        ),
        (lambda: TightBinding.from_hoppings(1, [(0, 0, (0.5,), 1)]), r"not an integer; give an integer$"),
        (
            lambda: TightBinding.from_hoppings(2, [(0, 2, (1,), 1)]),
            r"orbital 2 is out of range for 2 orbitals; number them 0 to 1$",
        ),
        (lambda: TightBinding.from_hoppings(1, [(0, 0, (1,), float("nan"))]), r"is nan; give a finite number$"),
        (lambda: TightBinding.from_hoppings(1, [(0, 0, (1,), "nan")]), r"give a finite number$"),
        (lambda: TightBinding.from_hoppings(1, [(0, 0, (1,), 1), (0, 0, (1,), 2)]), r"given twice; give it once"),
        (
            lambda: TightBinding.from_hoppings(1, [(0, 0, (1, 0, 0, 0), 1)], dimension=4),
            r"dimension is 4; give 1, 2 or 3$",
        ),
        (
            lambda: TightBinding.from_hoppings(1, [(0, 0, (1,), 1)], dimension=2),
            r"has 1 components, the model dimension is 2; give 2$",
        ),
        (lambda: TightBinding.from_hoppings(0, []), r"number of orbitals is 0; give 1 to 64$"),
        (
            lambda: TightBinding.from_hoppings(2, [(0, 1, (1,), 1)], names=["A"]),
            r"1 names for 2 orbitals; give one name per orbital$",
        ),
        (lambda: TightBinding.from_hoppings(1, [(0, 0, (1,), 1)], hermitian="yes"), r"hermitian='yes' is not one of"),
        (
            lambda: TightBinding.from_matrix(Matrix([[0, 1], [2, 0]]), [k1]),
            r"is not its conjugate, so the model is not Hermitian; give a Hermitian matrix, H\[j, i\] = "
            r"conjugate\(H\[i, j\]\)$",
        ),
        (lambda: TightBinding.from_matrix(Matrix([[0, exp(I * k1)], [exp(I * k1), 0]])), r"not Hermitian"),
        (lambda: TightBinding.from_matrix(Matrix([[cos(k1 / 2)]])), r"with integer R; write it as such a sum$"),
        (lambda: TightBinding.from_matrix(Matrix([[k1**2]])), r"with integer R; write it as such a sum$"),
        (lambda: TightBinding.from_matrix(Matrix([[1, 0]]), [k1]), r"H is 1 x 2; give a square Bloch matrix$"),
        (lambda: TightBinding.from_matrix(Matrix([[t]])), r"pass k=\[...\] with its wave-vector symbols$"),
        (
            lambda: read_model("no_such_file.tb"),
            r"no file 'no_such_file.tb'; give an existing path or the text of the model$",
        ),
        (lambda: read_model("\n# nothing\n"), r"the model text is empty"),
        (lambda: read_model("orbitals 1 dimension 1\n0 0 1 -.t\n"), r"^line 2: .*'\.' is not a number"),
        (
            lambda: TightBinding.from_hoppings(1, [(0, 0, (1,), "E")]),
            r"uses E, the name of the energy .*; rename the parameter$",
        ),
        (lambda: TightBinding.from_hoppings(1, [(0, 0, (1,), k1)]), r"uses k1, .*; rename the parameter$"),
        (lambda: TightBinding.from_hoppings(1, [(0, 0, (10**6,), 1)]), r"beyond 1000; give hoppings of shorter range$"),
        (lambda: TightBinding.from_hoppings(1, 5), r"not a list; give a list of \(i, j, R, amplitude\)$"),
        (lambda: TightBinding.from_hoppings(1, [(0, 0, (1,), "1")]).hamiltonian([k1, k2]), r"k has 2 components"),
    ],
)
def test_error_messages(call, message):
    with pytest.raises(InputError, match=message) as error:
        call()
    assert "\n" not in str(error.value) and ";" in str(error.value)  # one line, ending with what to do
