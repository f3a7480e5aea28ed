"""The renderers of singularities.tables: HTML and LaTeX typesetting, CSV numbers, DataFrames, the JSON document.

Expected values are derived by hand in the comments (docs/conventions.md for
F_n and the RLCT of a monomial); none is copied from a previous run.
"""

import csv
import io
import json
import sys

import pytest
import sympy

import singularities as sg
from singularities import tables
from singularities._result import from_dict
from singularities.errors import InputError
from singularities.reports.paper_tables import paper_table, render_table

n = sympy.Symbol("n")


# ---- HTML and LaTeX: Greek letters, subscripts, formulas -----------------------------------------------------------


def test_the_rlct_of_x2y2_in_html():
    # x^2 y^2: Newton distance t = 2 at the vertex (2, 2) (codimension 2), so lambda = 1/2, m = 2 and
    # F_n = n L_n + (1/2) log n - (2 - 1) log log n + O_p(1) (docs/conventions.md).
    html = sg.rlct("x**2*y**2")._repr_html_()
    assert html.startswith('<table class="singularities">') and html.endswith("</table>")
    assert "<td" in html and "\\text" not in html and "lambda" not in html
    assert '<td style="text-align:left">threshold (λ)</td><td style="text-align:left">1/2</td>' in html
    assert "multiplicity (<i>m</i>)" in html and "free energy <i>F</i><sub>n</sub>" in html
    assert "n·<i>L</i><sub>n</sub> + log <i>n</i>/2 − log log <i>n</i> + <i>O</i><sub>p</sub>(1)" in html
    assert "1/(2·n) + <i>o</i>(1/n)" in html  # E[G_n] = lambda / n + o(1/n)
    assert "x<sup>2</sup>·y<sup>2</sup>" in html  # the principal face


def test_the_rlct_of_x2y2_in_latex_names_no_symbol_in_words():
    latex = sg.rlct("x**2*y**2")._repr_latex_()
    assert latex.startswith("$\\displaystyle \\begin{array}")
    assert r"\text{threshold (}\lambda\text{)} & \frac{1}{2}" in latex
    assert r"\text{free energy }F_{n} & n L_n + \frac{\log n}{2} - \log\log n + O_p\left(1\right)" in latex
    assert r"\mathbb{E}[G_n] & \frac{1}{2 n} + o\left(\frac{1}{n}\right)" in latex
    assert "lambda" not in latex.replace(r"\lambda", "") and r"F\_n" not in latex


@pytest.mark.parametrize(
    "text, latex",
    [
        # lambda = 3/4, m = 1: no log log term
        ("n*L_n + 3*log(n)/4 + O_p(1)", r"n L_n + \frac{3 \log n}{4} + O_p\left(1\right)"),
        # lambda = 1, m = 3: - (3 - 1) log log n
        ("n*L_n + log(n) - 2*log(log(n)) + O_p(1)", r"n L_n + \log n - 2 \log\log n + O_p\left(1\right)"),
        ("3/(4*n) + o(1/n)", r"\frac{3}{4 n} + o\left(\frac{1}{n}\right)"),
        ("proven", None),
        ("not given: lambda is not proven", None),
    ],
)
def test_asymptotic_expansions_are_typeset(text, latex):
    assert tables.asymptotic_latex(text) == latex


@pytest.mark.parametrize(
    "expression, html",
    [
        ("sqrt(2)/2", "√2/2"),
        ("x**2*y - y**3", "x<sup>2</sup>·y - y<sup>3</sup>"),
        ("-oo", "−∞"),
        ("1/(4*pi)", "1/(4·π)"),
        ("sqrt(pi)*gamma(1/4)/(2*gamma(3/4))", "√π·Γ(1/4)/(2·Γ(3/4))"),
        ("kx**2 - ky**2", "k<sub>x</sub><sup>2</sup> - k<sub>y</sub><sup>2</sup>"),
        ("(x + 1)**2", "(x + 1)<sup>2</sup>"),
        ("x < y", "x &lt; y"),
        ("lambda_1 + mu", "λ<sub>1</sub> + μ"),
    ],
)
def test_exact_values_in_html(expression, html):
    assert tables.html(("v",), [(sympy.sympify(expression),)]).splitlines()[3] == (
        f'<tr><td style="text-align:left">{html}</td></tr>'
    )


def test_text_is_escaped_in_html():
    assert "a &lt;b&gt; &amp; c" in tables.html(("t",), [("a <b> & c",)])


def test_wave_vectors_are_subscripted_in_latex():
    assert tables.latex_expr(sympy.sympify("kx**2 - ky**2")) == r"k_{x}^{2} - k_{y}^{2}"
    assert tables.latex_expr(sympy.sympify("x**2 + k**4")) == r"k^{4} + x^{2}"  # no subscript to invent


def test_every_registered_kind_has_the_views():
    from singularities._result import registered

    for kind, cls in registered().items():
        for view in ("_repr_html_", "_repr_latex_", "to_dataframe", "to_json", "to_rows"):
            assert callable(getattr(cls, view, None)), (kind, view)


# ---- CSV: numeric columns are numbers ------------------------------------------------------------------------------


def test_csv_numbers_are_numbers():
    # lambda of D4- is 2/3 (1/2 + 1/(2k - 2) with k = 4), of A1 is 1; C_+ = pi is a closed form.
    text = tables.csv(
        ("type", "lambda", "m", "C_+"),
        [("D4-", sympy.Rational(2, 3), 1, None), ("A1", 1, 2, sympy.pi)],
    )
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == ["type", "lambda", "lambda_float", "m", "C_+", "C_+_float"]
    assert [float(r["lambda_float"]) for r in rows] == [2 / 3, 1.0]
    assert [int(r["m"]) for r in rows] == [1, 2] and float(rows[1]["C_+_float"]) == pytest.approx(3.141592653589793)
    assert rows[0]["C_+"] == rows[0]["C_+_float"] == ""  # missing stays empty
    assert '"' not in text.splitlines()[1]  # nothing numeric is quoted


def test_infinity_is_inf_in_csv_and_null_in_json():
    text = tables.csv(("ratio",), [(sympy.oo,), (sympy.Rational(1, 2),)])
    assert text.splitlines() == ["ratio,ratio_float", "oo,inf", "1/2,0.5"]
    assert tables.json_form({"ratio": "oo"}) == {"ratio": "oo", "ratio_float": None}
    # 10^400 is finite but beyond a double: null, never the non-JSON Infinity
    assert json.loads(tables.json_text({"value": "10**400"}), parse_constant=pytest.fail)["value_float"] is None


# ---- DataFrame -------------------------------------------------------------------------------------------------------


def test_dataframe_keeps_exact_strings_beside_floats():
    pytest.importorskip("pandas")
    # A_2 in two variables: x^3 + y^2, weights 1/3, 1/2, lambda = d = 5/6, m = 1
    frame = tables.dataframe(("type", "lambda", "m"), [("A2", sympy.Rational(5, 6), 1), ("A1", 1, 2)])
    assert list(frame.columns) == ["type", "lambda", "lambda_float", "m"]
    assert frame["lambda"].tolist() == ["5/6", "1"] and frame["lambda_float"].tolist() == [5 / 6, 1.0]
    assert str(frame["m"].dtype) == "Int64" and frame["m"].tolist() == [1, 2]


def test_result_to_dataframe():
    pytest.importorskip("pandas")
    # x^2 + y^4: t = 4/3 (the diagonal meets the edge 2 -- 4 at 1/(1/2 + 1/4)), so lambda = 3/4, m = 1
    frame = sg.rlct("x**2 + y**4").to_dataframe()
    values = dict(zip(frame["quantity"], frame["value_float"]))
    assert values["threshold (lambda)"] == 0.75 and values["multiplicity (m)"] == 1.0


def test_dataframe_without_pandas_is_an_input_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now raises ImportError
    with pytest.raises(InputError, match=r"install pandas"):
        sg.rlct("x**2").to_dataframe()


# ---- the JSON document -----------------------------------------------------------------------------------------------


def test_json_form_and_plain_are_inverse_on_nested_results():
    data = {
        "kind": "p",
        "point": ["0", "pi"],
        "value": "0",
        "rlct": {"kind": "rlct", "threshold": "1", "multiplicity": 2},
        "dos": {
            "kind": "d",
            "point": ["0", "pi"],
            "value": "0",
            "rlct": {"kind": "rlct", "threshold": "1", "multiplicity": 2},
            "exact": True,
        },
        "parameters": {"value": "1/2"},  # user names: never touched
    }
    document = tables.json_form(data)
    assert document["point_float"] == [0.0, pytest.approx(3.141592653589793)] and document["value_float"] == 0.0
    assert document["dos"] == {"kind": "d", "same_as_parent": ["point", "value", "rlct"], "exact": True}
    assert document["parameters"] == {"value": "1/2"}
    assert tables.json_plain(document) == data
    assert tables.json_plain(data) == data  # a plain dict is its own plain form


@pytest.mark.parametrize("shared", [["value"], "value", [1]])
def test_a_malformed_shared_list_is_an_input_error(shared):
    with pytest.raises(InputError, match="pass the JSON as the package wrote it"):
        tables.json_plain({"kind": "p", "dos": {"kind": "d", "same_as_parent": shared}})


def test_class_from_dict_reads_the_document():
    result = sg.dos_asymptotics("x**3 + y**4")
    document = json.loads(result.to_json())
    # E6: weights 1/3, 1/4, d = 7/12, DOS exponent d - 1 = -5/12
    assert (document["dos_exponent"], document["dos_exponent_float"]) == ("-5/12", -5 / 12)
    assert type(result).from_dict(document).to_dict() == result.to_dict() == from_dict(document).to_dict()


# ---- paper tables: grouped points, SLT columns ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def square_lattice():
    # -2 cos kx - 2 cos ky: grad = (2 sin kx, 2 sin ky) vanishes at kx, ky in {0, pi}: the minimum (0, 0) at -4, the
    # saddles (0, pi) and (pi, 0) at 0 (exchanged by kx <-> ky, so every other column agrees), the maximum at 4.
    return paper_table({"function": "-2*cos(kx) - 2*cos(ky)", "domain": "torus"}, columns="point,value,type,lambda,m")


def test_equivalent_points_share_a_row(square_lattice):
    _, rows = square_lattice.to_rows()
    assert [str(row[0]) for row in rows] == ["(0, 0)", "(0, pi), (pi, 0) (2)", "(pi, pi)"]
    assert [row[1] for row in rows] == [-4, 0, 4]
    latex = render_table(square_lattice, "latex")
    assert r"$(0, \pi),\ (\pi, 0)\ (2)$ & $0$ & $A_1$" in latex
    assert "(0, π), (π, 0) (2)" in square_lattice._repr_html_()


def test_machine_formats_list_every_point(square_lattice):
    rows = list(csv.DictReader(io.StringIO(render_table(square_lattice, "csv").split("\n#")[0])))
    assert [r["point"] for r in rows] == ["(0, 0)", "(0, pi)", "(pi, 0)", "(pi, pi)"]
    assert len(json.loads(render_table(square_lattice, "json"))["rows"]) == 4


def test_slt_columns_of_a_degenerate_point():
    # x^2 y^2 + x^6 + y^6: the diagonal meets Gamma_+ at the vertex (2, 2), t = 2, codimension 2, and the face
    # polynomial x^2 y^2 has no zero in the real torus: lambda = 1/2, m = 2 by theorem N1, and
    # F_n = n L_n + (1/2) log n - log log n + O_p(1).
    table = paper_table({"function": "x**2*y**2 + x**6 + y**6", "point": [0, 0]}, columns="lambda,m,status,theorem,F_n")
    (row,) = table.rows
    expected_f = n * sympy.Symbol("L_n") + sympy.log(n) / 2 - sympy.log(sympy.log(n))
    assert row[:4] == (sympy.Rational(1, 2), 2, "proven", "N1")
    assert sympy.sympify(row[4].replace("O_p(1)", "0"), locals={"L_n": sympy.Symbol("L_n")}) == expected_f
    latex = render_table(table, "latex")
    assert r"$\lambda$ & $m$ & status & theorem & $F_n$" in latex
    assert r"$n L_n + \frac{\log n}{2} - \log\log n + O_p\left(1\right)$" in latex


def test_table_json_has_one_type_per_column():
    # value 0 and lambda 1 are exact numbers like 5/6: strings; m is a count: an int
    data = json.loads(render_table(paper_table("x**3 + y**2 + z**2", columns="value,lambda,m"), "json"))
    (row,) = data["rows"]
    assert (row["value"], row["lambda"], row["m"]) == ("0", "1", 1)  # A2 with two squares: d = 4/3, lambda = 1


def test_a_component_row_keeps_the_point_column_a_list():
    # (x^2 + y^2 - 1)^2: grad = 4 (x^2 + y^2 - 1) (x, y) vanishes at the origin (value 1) and on the unit circle
    # (value 0), a curve of critical points: its row has text where a point would be.
    table = paper_table("(x**2 + y**2 - 1)**2", columns="point,value")
    data = json.loads(render_table(table, "json"))
    assert [(r["point"], r.get("point_text"), r["value"]) for r in data["rows"]] == [
        (["0", "0"], None, "1"),
        (None, "x**2 + y**2 - 1 = 0", "0"),
    ]
    assert from_dict(data).rows[1][0] == "x**2 + y**2 - 1 = 0"
