"""Paper tables: golden LaTeX / Markdown / CSV renderings whose numbers are checked against hand derivations.

Truths used here, none of them printed by the code under test:

* lambda and m from tests/catalogue.py (sum_x2_y2 for a 2D minimum,
  saddle_x2_minus_y2 for a 2D saddle, D4_monkey_x2y_minus_y3, and for 1D
  x^2 and x^4 the monomials [MON]: 1/2 and 1/4);
* DOS prefactors derived by hand in docs/conventions.md#density-of-states
  and below: a 2D minimum a x^2 + b y^2 has C_+ = pi/sqrt(ab); the saddle
  a x^2 - b y^2 has L = -1/sqrt(ab); on the torus everything is divided by
  (2 pi)^n; a 1D minimum c k^4 has vol{c k^4 < E} = 2 (E/c)^(1/4), so
  C_+ = (1/2) c^(-1/4); the monkey saddle's C_+ = C_- come from the
  independent polar quadrature of tests/test_dos.py.
"""

import csv
import io
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys

import pytest
import sympy
from catalogue import by_name, rational
from test_dos import polar_dos

import singularities as sg
from singularities.errors import InputError
from singularities.reports.paper_tables import (
    FORMATS,
    booktabs,
    command_line_spec,
    load_spec,
    paper_table,
    render_table,
)

HERE = pathlib.Path(__file__).parent
GOLDEN = HERE / "golden"
EXAMPLE = HERE.parent / "examples" / "paper_table_van_hove.json"
EXTENSIONS = {"latex": "tex", "markdown": "md", "csv": "csv"}
REGENERATE = os.environ.get("SINGULARITIES_REGENERATE_GOLDEN") == "1"
pi = sympy.pi


# --- helpers shared with tests/test_catalogue_table.py -------------------------------------------


def normalised(text):
    """The rendering with the package and sympy versions replaced, so that a release does not change a golden file."""
    return text.replace(
        f"singularities {sg.__version__} (sympy {sympy.__version__})", "singularities VERSION (sympy VERSION)"
    )


def check_golden(name, text):
    """Compare with tests/golden/<name> (written instead when SINGULARITIES_REGENERATE_GOLDEN=1)."""
    path = GOLDEN / name
    if REGENERATE:
        path.write_text(normalised(text) + "\n")
    assert normalised(text) + "\n" == path.read_text(), f"{name} differs from the golden file"


def csv_rows(text):
    """{first cell: {column: cell}} from a CSV rendering (footer lines start with '#')."""
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    return list(csv.DictReader(io.StringIO(body)))


def check_latex_structure(text):
    """Balanced environments, booktabs rules in order, and the same number of cells in every row."""
    lines = [line for line in text.splitlines() if not line.startswith("%")]
    assert re.findall(r"\\begin\{(\w+)\}", text) == ["tabular"] and re.findall(r"\\end\{(\w+)\}", text) == ["tabular"]
    assert text.count(r"\begingroup") == text.count(r"\endgroup") == 1
    rules = [line for line in lines if line in (r"\toprule", r"\midrule", r"\bottomrule")]
    assert rules == [r"\toprule", r"\midrule", r"\bottomrule"]
    columns = len(re.search(r"\\begin\{tabular\}\{(l+)\}", text).group(1))
    rows = [line for line in lines if line.endswith(r"\\")]
    assert len(rows) >= 2
    for row in rows:
        assert len(re.findall(r"(?<!\\)&", row)) == columns - 1, row
        assert row.count("$") % 2 == 0 and row.count("{") == row.count("}"), row


def compile_latex(text, tmp_path):
    """pdflatex on a minimal document holding the table; returns the log (skips without a TeX engine)."""
    engine = shutil.which("pdflatex") or shutil.which("lualatex")
    if engine is None:
        pytest.skip("no pdflatex/lualatex on this machine; the structural check ran instead")
    document = (
        "\\documentclass{article}\n\\usepackage{booktabs}\n\\begin{document}\n\\tiny\n" + text + "\n\\end{document}\n"
    )
    (tmp_path / "table.tex").write_text(document)
    run = subprocess.run(
        [engine, "-interaction=nonstopmode", "-halt-on-error", "table.tex"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout[-2000:]
    assert (tmp_path / "table.pdf").stat().st_size > 0
    return run.stdout


def close(cell, expected, tolerance=1e-9):
    """A table cell (exact in sympy syntax, or 10 digits) equals the expected number."""
    value = sympy.N(sympy.sympify(cell), 30)
    return abs(value - sympy.N(expected, 30)) <= tolerance * max(1, abs(sympy.N(expected, 30)))


# --- the tables --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def van_hove():
    return paper_table(EXAMPLE)


@pytest.fixture(scope="module")
def double_well():
    return paper_table("x**4 - 2*x**2 + y**2")


@pytest.mark.parametrize("format", ["latex", "markdown", "csv"])
def test_van_hove_golden(van_hove, format):
    check_golden(f"paper_van_hove.{EXTENSIONS[format]}", render_table(van_hove, format))


@pytest.mark.parametrize("format", ["latex", "markdown", "csv"])
def test_double_well_golden(double_well, format):
    check_golden(f"paper_double_well.{EXTENSIONS[format]}", render_table(double_well, format))


def test_van_hove_numbers_are_the_hand_derived_ones():
    rows = csv_rows((GOLDEN / "paper_van_hove.csv").read_text())
    by_point = {(r["function"], r["point"]): r for r in rows}
    minimum, saddle = by_name("sum_x2_y2"), by_name("saddle_x2_minus_y2")
    # square lattice: g = kx^2 + ky^2 at Gamma, so C_+ = pi / (2 pi)^2; the saddles give L = -1/(2 pi)^2 each
    gamma, x_point, m_point = (by_point[("square lattice", p)] for p in ("(0, 0)", "(pi, 0)", "(pi, pi)"))
    assert (gamma["value"], gamma["type"], gamma["lambda"], gamma["m"]) == (
        "-4",
        "A1",
        minimum.threshold,
        str(minimum.multiplicity),
    )
    assert close(gamma["C_+"], 1 / (4 * pi)) and gamma["C_-"] == "0" and gamma["ratio"] == "oo"
    assert (x_point["lambda"], x_point["m"], x_point["log power"]) == (saddle.threshold, str(saddle.multiplicity), "1")
    assert close(x_point["L"], -1 / (4 * pi**2)) and x_point["C_+"] == x_point["C_-"] == "0"
    assert m_point["value"] == "4" and close(m_point["C_-"], 1 / (4 * pi)) and m_point["C_+"] == "0"
    # chain: -2 cos k + cos(2k)/2 = -3/2 + k^4/4 + O(k^6): A3+, lambda(x^4) = 1/4 [MON],
    # C_+ = (1/2)(1/4)^(-1/4) / (2 pi) (mu = 3: the subscript of A3 is its Milnor number, dim R[k]/(k^3))
    bottom = by_point[("chain, t2 = -t/4", "(0)")]
    assert (bottom["type"], bottom["mu"], bottom["lambda"], bottom["m"], bottom["DOS exponent"]) == (
        "A3+",
        "3",
        "1/4",
        "1",
        "-3/4",
    )
    assert close(bottom["value"], sympy.Rational(-3, 2)) and close(bottom["C_+"], sympy.sqrt(2) / (4 * pi))
    # its top at pi: 2 cos u + cos(2u)/2 = 5/2 - 2 u^2 + ...: rho = 1/sqrt(2|E|) below, so C_- = (sqrt(2)/2) / (2 pi)
    top = by_point[("chain, t2 = -t/4", "(pi)")]
    assert (top["value"], top["lambda"], top["C_+"]) == ("5/2", by_name("monomial_x2").threshold, "0")
    assert close(top["C_-"], sympy.sqrt(2) / (4 * pi))
    # monkey saddle (D4-): lambda, m from the catalogue; C_+- by the polar quadrature of tests/test_dos.py
    monkey = by_point[("monkey saddle", "(0, 0)")]
    truth = by_name("D4_monkey_x2y_minus_y3")
    x, y = sympy.symbols("x y")
    third = (sympy.Rational(1, 3),) * 2
    assert (monkey["type"], monkey["mu"], monkey["lambda"], monkey["m"]) == (
        "D4-",
        "4",
        truth.threshold,
        str(truth.multiplicity),
    )
    assert rational(monkey["DOS exponent"]) == rational(truth.threshold) - 1
    assert close(monkey["C_+"], polar_dos(x**3 - 3 * x * y**2, third, 1), 1e-12)
    assert close(monkey["C_-"], polar_dos(x**3 - 3 * x * y**2, third, -1), 1e-12) and monkey["ratio"] == "1"


def test_double_well_numbers_are_the_hand_derived_ones():
    rows = {r["point"]: r for r in csv_rows((GOLDEN / "paper_double_well.csv").read_text())}
    assert set(rows) == {"(-1, 0)", "(1, 0)", "(0, 0)"}
    minimum, saddle = by_name("sum_x2_y2"), by_name("saddle_x2_minus_y2")
    for point in ("(-1, 0)", "(1, 0)"):  # g = 4 u^2 + y^2 + ...: C_+ = pi / sqrt(4)
        row = rows[point]
        assert (row["value"], row["lambda"], row["m"]) == ("-1", minimum.threshold, str(minimum.multiplicity))
        assert close(row["C_+"], pi / 2) and row["C_-"] == "0"
    row = rows["(0, 0)"]  # g = -2 x^2 + y^2 + ...: L = -1/sqrt(2)
    assert (row["value"], row["lambda"], row["m"], row["log power"]) == (
        "0",
        saddle.threshold,
        str(saddle.multiplicity),
        "1",
    )
    assert close(row["L"], -1 / sympy.sqrt(2))


def test_example_output_is_current(van_hove):
    shown = (HERE.parent / "examples" / "paper_table_van_hove.tex").read_text()
    assert normalised(shown) == normalised(render_table(van_hove, "latex") + "\n")


# --- LaTeX -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["paper_van_hove.tex", "paper_double_well.tex"])
def test_latex_structure(name):
    check_latex_structure((GOLDEN / name).read_text())


def test_latex_compiles(van_hove, double_well, tmp_path):
    text = render_table(van_hove, "latex") + "\n\n\\bigskip\n\n" + render_table(double_well, "latex")
    log = compile_latex(text, tmp_path)
    assert "Undefined control sequence" not in log


def test_latex_typesets_exact_values_and_labels(van_hove):
    text = render_table(van_hove, "latex")
    assert r"$A_3^+$" in text and r"$D_4^-$" in text and r"$- \frac{3}{4}$" in text and r"$\frac{1}{4 \pi}$" in text


def test_latex_escapes_text():
    text = booktabs(("name",), [("50% of a_b & c#",)])
    assert r"50\% of a\_b \& c\#" in text


# --- columns, options, footer ------------------------------------------------------------------


def test_columns_are_chosen_and_aliases_work():
    table = paper_table("x**3 + y**4", columns="Type, threshold, multiplicity, dos_exponent")
    assert table.columns == ("type", "lambda", "m", "DOS exponent")
    assert table.rows == (("E6+", sympy.Rational(7, 12), 1, sympy.Rational(-5, 12)),)


def test_entry_columns_are_merged_and_others_left_empty():
    table = paper_table(
        {
            "functions": [
                {"function": "x**2 + y**3", "columns": ["type", "mu"]},
                {"function": "x**2*y + y**4", "columns": ["type", "lambda"]},
            ]
        }
    )
    assert table.columns == ("function", "type", "mu", "lambda")
    (a2_row, d5_row) = table.rows
    assert (a2_row[1:], d5_row[1:]) == (("A2", 2, None), ("D5+", None, sympy.Rational(5, 8)))


def test_footer_names_version_input_options_and_functions(double_well):
    footer = dict(double_well.footer)
    assert footer["generated by"].startswith(f"singularities {sg.__version__}")
    assert footer["input"] == "expression" and "time limit none" in footer["options"]
    assert footer["function"] == "f = x**4 - 2*x**2 + y**2, variables x, y, domain R^n"
    assert "numeric check" not in footer  # no numerics ran


def test_numeric_check_column_records_the_seed():
    spec = {"numeric": {"seed": 3, "samples": 10**7}, "functions": [{"function": "x**3 + y**4"}]}
    table = paper_table(spec, columns="type,numeric check")
    assert table.rows == (("E6+", "passed 6/6"),)
    footer = dict(table.footer)["numeric check"]
    assert "seed 3" in footer and "(0, 0): seed 3" in footer


def test_points_and_torus_points():
    local = paper_table({"function": "x**4 - 2*x**2 + y**2", "point": [1, 0]}, columns="point,type,lambda")
    assert local.rows == ((sympy.Tuple(1, 0), "A1", 1),)
    lattice = paper_table(
        {"function": "-2*(cos(kx) + cos(ky))", "domain": "torus", "points": [["pi", 0], [0, "3*pi"]]}, columns="point,m"
    )
    assert lattice.rows == ((sympy.Tuple(pi, 0), 2), (sympy.Tuple(0, pi), 2))


def test_torus_components_get_rows():
    table = paper_table(
        command_line_spec("-2*(cos(kx) + cos(ky)) - 2*cos(kx)*cos(ky)", torus=True), columns="point,type,DOS exponent"
    )
    assert ("kx = pi", "component (dimension 1)", sympy.Rational(-1, 2)) in table.rows


def test_json_is_exact_and_complete(van_hove):
    data = json.loads(render_table(van_hove, "json"))
    assert data["kind"] == "paper_table" and data["columns"][0] == "function"
    monkey = data["rows"][-1]
    assert (
        monkey["C_+"] == "sqrt(pi)*gamma(1/6)/(3*gamma(2/3))"
        and monkey["lambda"] == "2/3"
        and monkey["point"] == ["0", "0"]
    )
    assert data["footer"]["input"] == "file paper_table_van_hove.json"


def test_every_format_renders(double_well):
    for format in FORMATS:
        assert render_table(double_well, format)
    with pytest.raises(ValueError, match="choose one of"):
        render_table(double_well, "html")


# --- specs and their errors --------------------------------------------------------------------


@pytest.mark.parametrize(
    "spec, message",
    [
        ({"functions": [{"function": "x**2", "colour": "red"}]}, "unknown key(s) 'colour'"),
        ({"functions": [{"name": "no function"}]}, "has no 'function' key"),
        ({"functions": []}, "lists no functions"),
        ({"function": "x**2 + y**2", "domain": "sphere"}, "unknown domain"),
        ({"function": "x**2 + y**2", "point": [0, 0], "points": [[0, 0]]}, "not both"),
        (
            {"function": "-2*(cos(kx) + cos(ky))", "domain": "torus", "point": ["pi/2", 0]},
            "not an isolated critical point",
        ),
        ({"function": "x**2 + 0.5*y**2"}, "write 1/2"),
        ({"timeout": "soon", "functions": [{"function": "x**2"}]}, "positive number of seconds"),
    ],
)
def test_bad_specs_say_what_to_fix(spec, message):
    with pytest.raises(sg.SingularitiesError, match=re.escape(message)):
        paper_table(spec)


def test_unknown_column():
    with pytest.raises(InputError, match="unknown column 'colour'; choose from point, value"):
        paper_table("x**2 + y**3", columns="type,colour")


def test_missing_and_broken_files(tmp_path):
    with pytest.raises(InputError, match="not found"):
        paper_table(str(tmp_path / "missing.json"))
    broken = tmp_path / "broken.json"
    broken.write_text("{functions: ")
    with pytest.raises(InputError, match="not valid JSON"):
        load_spec(broken)


def test_command_line_options_belong_to_one_expression():
    assert command_line_spec("x**2 + t*y**4", parameters="t=2", point="0,0") == {
        "function": "x**2 + t*y**4",
        "parameters": "t=2",
        "point": "0,0",
    }
    with pytest.raises(InputError, match="into the file instead"):
        command_line_spec(str(EXAMPLE), torus=True)


def test_numeric_options_are_checked():
    with pytest.raises(InputError, match="unknown numeric option"):
        paper_table("x**2", columns="type", numeric={"sead": 1})


def test_yaml_without_pyyaml_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "yaml", None)
    path = tmp_path / "spec.yaml"
    path.write_text("function: x**2 + y**3\n")
    with pytest.raises(InputError, match="pip install pyyaml"):
        paper_table(path)


def test_yaml_spec(tmp_path):
    pytest.importorskip("yaml")
    path = tmp_path / "spec.yml"
    path.write_text("title: A2\nfunctions:\n  - function: x**2 + y**3\n    columns: [type, lambda]\n")
    table = paper_table(path)
    assert (table.title, table.columns, table.rows) == ("A2", ("type", "lambda"), (("A2", sympy.Rational(5, 6)),))


# --- the command line (cli.py wires `table`; skipped until it does) ------------------------------


def _cli_has(command):
    from singularities.cli import build_parser

    subparsers = next(a for a in build_parser()._actions if a.dest == "command")
    return command in subparsers.choices


@pytest.mark.skipif(not _cli_has("table"), reason="cli.py has no 'table' subcommand yet")
@pytest.mark.parametrize("format", ["latex", "markdown", "csv"])
def test_cli_table_matches_the_golden_files(capsys, format):
    from singularities.cli import main

    assert main(["table", str(EXAMPLE), "--format", format]) == 0
    check_golden(f"paper_van_hove.{EXTENSIONS[format]}", capsys.readouterr().out.rstrip("\n"))


@pytest.mark.skipif(not _cli_has("table"), reason="cli.py has no 'table' subcommand yet")
def test_cli_table_of_one_expression(capsys):
    from singularities.cli import main

    assert main(["table", "x**4 - 2*x**2 + y**2", "--format", "csv"]) == 0
    # the CLI always sets a limit (TABLE_TIMEOUT when neither --timeout nor the spec gives one); the footer says so
    out = capsys.readouterr().out.rstrip("\n")
    assert "time limit 600 s" in out
    check_golden("paper_double_well.csv", out.replace("time limit 600 s", "time limit none"))
    assert main(["table", "x**2 + y**2", "--columns", "type,colour"]) == 2
    assert "unknown column" in capsys.readouterr().err
