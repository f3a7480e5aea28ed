"""The engine-generated catalogue: golden renderings, and every number in them checked against hand derivations.

The golden files are compared byte for byte with what the engine prints; the
numbers in them are then checked, cell by cell, against truths that the code
under test did not produce:

* lambda and m: the rows of tests/catalogue.py (the same function up to sign
  and a permutation of the variables, checked below), else the hand
  derivations in :func:`hand_rlct` (the methods [X], [BL], [QH], [ADE] of
  tests/catalogue.py);
* mu: Arnold's subscript is the Milnor number (A_k, D_k, E_k: k; X9: 9;
  J10: 10; P8: 8); modality 0 for ADE, 1 for X9, J10, P8;
* weights: every monomial of the printed normal form has weighted degree 1;
* DOS exponent d - 1 with d the sum of those weights, and = lambda - 1 when
  lambda < 1 (docs/conventions.md: lambda = d for an extremum or d < 1);
* C_+, C_-, ratio: the 2D minimum and saddle of docs/conventions.md; A_k
  plus a square by the convolution formula and the two-variable cores by the
  polar quadrature of tests/test_dos.py (independent of singularities.physics.dos).
"""

import itertools
import json
import re

import pytest
import sympy
from catalogue import by_name, rational
from test_dos import morse_convolution_dos, polar_dos
from test_paper_tables import (
    EXTENSIONS,
    GOLDEN,
    _cli_has,
    check_golden,
    check_latex_structure,
    close,
    compile_latex,
    csv_rows,
)

from singularities.reports.catalogue import CATALOGUE_COLUMNS, Catalogue, catalogue, label_latex, parse_columns
from singularities.reports.paper_tables import render_table

x, y, z = sympy.symbols("x y z")

# catalogue row -> tests/catalogue.py row holding the same function up to sign and a permutation of x, y
TRUTH_OF = {
    "A1+": "sum_x2_y2",
    "A1-": "saddle_x2_minus_y2",
    "A2": "A2_x2_plus_y3",
    "A3+": "sum_x2_y4",
    "A3-": "A3_x4_minus_y2",
    "A4": "A4_x2_plus_y5",
    "A5+": "sum_x2_y6",
    "D4+": "D4_x2y_plus_y3",
    "D4-": "D4_monkey_x2y_minus_y3",
    "D5+": "D5_x2y_plus_y4",
    "D6+": "D6_x2y_plus_y5",
    "E6+": "E6_x3_plus_y4",
    "E7": "E7_x3_plus_xy3",
    "E8": "E8_x3_plus_y5",
}
FAMILY_ORDER = "ADEXJP"
TYPES_UP_TO_8 = 8 + 5 + 3 + 3  # A1..A8, D4..D8, E6..E8, X9, J10, P8


def hand_rlct(label):
    """(lambda, m) of a catalogue row in two variables, derived by hand (tests/catalogue.py methods)."""
    family, k = label[0], int(re.match(r"[A-Z](\d+)", label).group(1))
    if family == "A":  # [X] in x: 1/2 (the square) + lambda(x^(k+1)) = 1/2 + 1/(k+1) < 1; [ADE]
        return sympy.Rational(1, 2) + sympy.Rational(1, k + 1), 1
    if family == "D":  # [X] in x: |y|^s |x^2 +- y^(k-2)|^s gives |y|^(s + (k-2)(s + 1/2)): pole -1/2 - 1/(2k-2); [ADE]
        return sympy.Rational(1, 2) + sympy.Rational(1, 2 * k - 2), 1
    if family == "E":  # [ADE] (E6: 1/3 + 1/4 by [X] with k = 3)
        return {6: sympy.Rational(7, 12), 7: sympy.Rational(5, 9), 8: sympy.Rational(8, 15)}[k], 1
    if family == "X":  # [BL] homogeneous quartic, every real factor simple: min(2/4, 1) = 1/2 and 2/4 != 1, so m = 1
        return sympy.Rational(1, 2), 1
    if (
        family == "J"
    ):  # [X] in x for x^3 +- x y^4 = x (x^2 +- y^4): |x|^s |x^2 +- y^4|^s, x = y^2 u: |y|^(6s + 2), pole -1/2
        return sympy.Rational(1, 2), 1
    # P8: a cubic cone in 3 variables: one blow-up gives the exceptional pole -3/3 = -1 and the smooth strict
    # transform (a cone over a smooth real cubic curve) the pole -1, crossing it: order 2
    return sympy.Integer(1), 2


def same_up_to_sign_and_permutation(expression, function):
    target = sympy.expand(sympy.sympify(function))
    symbols = sorted(expression.free_symbols | target.free_symbols, key=str)
    return any(
        sympy.expand(sign * expression.xreplace(dict(zip(symbols, order)))) == target
        for order in itertools.permutations(symbols)
        for sign in (1, -1)
    )


@pytest.fixture(scope="module")
def full():
    return catalogue(8, real_forms=True)


@pytest.fixture(scope="module")
def golden_rows():
    return {row["type"]: row for row in csv_rows((GOLDEN / "catalogue_real_forms.csv").read_text())}


# --- golden renderings --------------------------------------------------------------------------


@pytest.mark.parametrize("format", ["latex", "markdown", "csv"])
def test_golden(full, format):
    check_golden(f"catalogue_real_forms.{EXTENSIONS[format]}", render_table(full, format))


def test_rows_are_every_real_form_in_table_order(golden_rows):
    labels = list(golden_rows)
    assert labels[:3] == ["A1+", "A1-", "A2"] and labels[-7:] == [
        "X9(4)",
        "X9(2)",
        "X9(0+)",
        "X9(0-)",
        "J10(1)",
        "J10(3)",
        "P8",
    ]
    assert (
        sorted(labels, key=lambda label: (FAMILY_ORDER.index(label[0]), int(re.match(r"\w(\d+)", label).group(1))))
        == labels
    )
    assert len(labels) == 33


# --- the numbers in the golden file against the truths ---------------------------------------


def test_rows_match_their_catalogue_truths(golden_rows):
    for label, name in TRUTH_OF.items():
        row, truth = golden_rows[label], by_name(name)
        assert same_up_to_sign_and_permutation(sympy.sympify(row["normal form"]), truth.function), (label, name)
        assert (row["lambda"], row["m"]) == (truth.threshold, str(truth.multiplicity)), label


def test_every_row_against_the_hand_derivations(golden_rows):
    for label, row in golden_rows.items():
        if label in ("A1+", "A1-"):
            continue  # in TRUTH_OF
        assert (rational(row["lambda"]), int(row["m"])) == hand_rlct(label), label


def test_milnor_number_modality_and_weights(golden_rows):
    for label, row in golden_rows.items():
        index = int(re.match(r"[A-Z](\d+)", label).group(1))
        assert int(row["mu"]) == index and int(row["modality"]) == (label[0] in "XJP"), label
        weights = [sympy.Rational(w.strip()) for w in row["weights"].strip("()").split(",")]
        expression = sympy.sympify(row["normal form"])
        variables = sorted(expression.free_symbols, key=str)
        for monomial in sympy.Poly(expression, *variables).monoms():
            assert sum(w * e for w, e in zip(weights, monomial)) == 1, (label, monomial)
        exponent = rational(row["DOS exponent"])
        assert exponent == sum(weights) - 1, label
        if rational(row["lambda"]) < 1:
            assert exponent == rational(row["lambda"]) - 1, label


def test_morse_prefactors_from_the_conventions(golden_rows):
    minimum, saddle = golden_rows["A1+"], golden_rows["A1-"]
    # x^2 + y^2: a step pi above; -x^2 + y^2: -log|E| on both sides, L = -1, no jump
    assert close(minimum["C_+"], sympy.pi) and (minimum["C_-"], minimum["ratio"], minimum["log power"]) == (
        "0",
        "oo",
        "0",
    )
    assert (saddle["log power"], saddle["L"], saddle["C_+"], saddle["C_-"], saddle["ratio"]) == (
        "1",
        "-1",
        "0",
        "0",
        "",
    )


def test_a_k_prefactors_by_convolution(golden_rows):
    # x^(k+1) + y^2 or -x^(k+1) + y^2: rho(E) = integral over {h(x) < E} of dx / sqrt(E - h(x)), exact for d < 1
    for label, row in golden_rows.items():
        if label[0] != "A" or label.startswith("A1"):
            continue
        h = sympy.sympify(row["normal form"]) - y**2
        expected = {side: morse_convolution_dos(h, 1, side) for side in (1, -1)}
        _check_prefactors(label, row, expected[1], expected[-1])


@pytest.mark.slow  # 10+ s; the default run keeps the cheaper cases of this file
def test_two_variable_cores_by_polar_quadrature(golden_rows):
    for label, row in golden_rows.items():
        if label[0] not in "DEXJ":
            continue
        g = sympy.sympify(row["normal form"])
        weights = [sympy.Rational(w.strip()) for w in row["weights"].strip("()").split(",")]
        _check_prefactors(label, row, polar_dos(g, weights, 1, dps=30), polar_dos(g, weights, -1, dps=30))


def test_p8_has_a_log_term(golden_rows):
    # x^3 + y^3 + z^3: d = 1; integral exp(i u^3) du = sqrt(3) Gamma(1/3)/3 is real, so I = -pi L is real:
    # L = -sqrt(3) Gamma(1/3)^3 / (9 pi) ~ -1.1777591668569666, no jump (docs/conventions.md#density-of-states)
    row = golden_rows["P8"]
    assert (row["DOS exponent"], row["log power"], row["C_+"], row["C_-"], row["ratio"]) == ("0", "1", "0", "0", "")
    assert close(row["L"], -1.1777591668569666, 1e-12)


def _check_prefactors(label, row, c_plus, c_minus):
    for cell, expected in ((row["C_+"], c_plus), (row["C_-"], c_minus)):
        assert close(cell, expected, 1e-9) if expected else cell == "0", (label, cell, expected)
    if c_minus == 0:
        assert row["ratio"] == ("oo" if c_plus else ""), label
    else:
        assert close(row["ratio"], c_plus / c_minus, 1e-9), label


# --- the object, its options and its LaTeX ------------------------------------------------------


def test_every_row_is_classified_as_its_normal_form(full):
    assert all(entry.agrees for entry in full.entries)
    assert "engine disagrees" not in dict(full.footer)


def test_json_keeps_exact_values(full):
    # every number but a count is an exact string, so that a column has one JSON type ("-1" beside "-sqrt(3)*...")
    data = json.loads(render_table(full, "json"))
    entries = {entry["label"]: entry for entry in data["entries"]}
    assert data["kind"] == "catalogue" and len(entries) == 33
    assert entries["A3+"]["C_+"] == "sqrt(pi)*gamma(1/4)/(2*gamma(3/4))" and entries["E6+"]["lambda"] == "7/12"
    assert entries["X9(4)"]["modulus"] == "-3" and entries["X9(4)"]["exact_prefactors"] is False
    assert entries["A1-"]["L"] == "-1" and entries["P8"]["L"] == "-sqrt(3)*gamma(1/3)**3/(9*pi)"


def test_one_row_per_type_without_real_forms(full):
    table = catalogue(8)
    assert len(table.entries) == TYPES_UP_TO_8
    assert [e.label for e in table.entries][:4] == ["A1+", "A2", "A3+", "A4"]
    assert "--real-forms" not in dict(table.footer)["command"]


def test_dimension_three_against_the_catalogue():
    table = catalogue(2, families="A", dimension=3)
    rows = {e.label: e.values() for e in table.entries}
    for label, name in (("A1+", "sum_x2_y2_z2"), ("A2", "x2_y2_plus_z3")):
        truth = by_name(name)
        assert same_up_to_sign_and_permutation(rows[label]["normal form"], truth.function)
        assert (rows[label]["lambda"], rows[label]["m"]) == (rational(truth.threshold), truth.multiplicity)
    assert rows["A1+"]["C_+"] == 2 * sympy.pi  # 3D minimum, docs/conventions.md


def test_options_are_checked():
    with pytest.raises(ValueError, match="unknown family 'K'"):
        catalogue(4, families="AK")
    with pytest.raises(ValueError, match="max_mu must be a positive integer"):
        catalogue(4, max_mu=0)
    with pytest.raises(ValueError, match="max_k must be a positive integer"):
        catalogue(0)
    with pytest.raises(ValueError, match="unknown column 'point'"):
        catalogue(4, columns="type,point")
    assert parse_columns("c_plus, C-, Milnor number", CATALOGUE_COLUMNS) == ("C_+", "C_-", "mu")


def test_latex_structure_and_labels():
    text = (GOLDEN / "catalogue_real_forms.tex").read_text()
    check_latex_structure(text)
    labels = re.findall(r"^\$([A-Z]_[^$]*)\$ &", text, flags=re.M)
    assert labels[:3] == ["A_1^+", "A_1^-", "A_2"] and labels[-3:] == ["J_{10}^{(1)}", "J_{10}^{(3)}", "P_8"]
    assert label_latex("X9(0-)") == "X_9^{(0-)}"
    assert r"$\frac{7}{12}$" in text and r"$\mu$" in text


def test_latex_compiles(full, tmp_path):
    compile_latex(render_table(full, "latex"), tmp_path)


# --- the command line (cli.py wires `catalogue`; skipped until it does) --------------------------


@pytest.mark.skipif(not _cli_has("catalogue"), reason="cli.py has no 'catalogue' subcommand yet")
def test_cli_catalogue_matches_the_golden_file(full, capsys):
    from singularities.cli import main

    assert main(["catalogue", "--real-forms", "--format", "csv"]) == 0
    check_golden("catalogue_real_forms.csv", capsys.readouterr().out.rstrip("\n"))


@pytest.mark.skipif(not _cli_has("catalogue"), reason="cli.py has no 'catalogue' subcommand yet")
def test_cli_catalogue_latex_prints_the_full_table(full, capsys):
    from singularities.cli import main

    assert main(["catalogue", "--format", "latex"]) == 0
    out = capsys.readouterr().out
    check_latex_structure(out)
    assert len(re.findall(r"^\$[A-Z]_", out, flags=re.M)) == TYPES_UP_TO_8


def test_unimodal_rows_with_max_mu():
    # E12 = x^3 + y^7 (a = 0): weights 1/3, 1/7, d = 10/21; sign-changing, so lambda = d, m = 1 (theorem Q) and the
    # DOS exponent is d - 1 = -11/21; (x, y) -> (-x, -y) maps g to -g, so C_+ = C_- (ratio 1).
    # W12+ = x^4 + y^5: weights 1/4, 1/5, d = 9/20, exponent -11/20, and no symmetry between the sides.
    table = catalogue(1, families="EW", max_mu=12)
    rows = {e.label: e.values() for e in table.entries}
    assert list(rows) == ["E12", "W12+"] and all(e.agrees for e in table.entries)
    third, seventh = sympy.Rational(1, 3), sympy.Rational(1, 7)
    e12 = rows["E12"]
    assert (e12["mu"], e12["modality"], e12["weights"]) == (12, 1, sympy.Tuple(third, seventh))
    assert (e12["lambda"], e12["m"], e12["DOS exponent"], e12["ratio"]) == (
        third + seventh,
        1,
        third + seventh - 1,
        1,
    )
    assert (rows["W12+"]["lambda"], rows["W12+"]["DOS exponent"]) == (sympy.Rational(9, 20), -sympy.Rational(11, 20))
    assert "--max-mu 12" in dict(table.footer)["command"]
    assert Catalogue.from_dict(json.loads(render_table(table, "json"))).max_mu == 12


def test_t_series_rows_have_no_principal_part():
    # J11 = T(2,3,7): x^3 + x^2 y^2 + a y^7, two Newton edges, so no quasi-homogeneous principal part and no
    # weights; the engine names it (mu 11 = 2 + 3 + 7 - 1). Its Newton diagonal meets the vertex x^2 y^2
    # (t = 2), so the Newton route gives lambda = 1/t = 1/2 and the DOS exponent 1/t - 1 = -1/2 (docs/dos.md).
    table = catalogue(1, families="J", max_mu=11)
    rows = {e.label: e for e in table.entries}
    assert list(rows) == ["J10(1)", "J11+"]
    j11 = rows["J11+"].values()
    half = sympy.Rational(1, 2)
    assert rows["J11+"].agrees and (j11["mu"], j11["weights"], j11["lambda"], j11["DOS exponent"]) == (
        11,
        None,
        half,
        -half,
    )
