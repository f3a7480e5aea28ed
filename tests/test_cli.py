"""The command line: exit codes, one-line errors, JSON exactness, golden tables."""

import json
import pathlib
import subprocess
import sys

import pytest
import sympy

from singularities import __version__
from singularities.cli import main

GOLDEN = pathlib.Path(__file__).parent / "golden"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_rlct_x2y2_prints_lambda_and_m(capsys):
    # x^2 y^2: vol{|x^2 y^2| < e} ~ C e^(1/2) log(1/e), so lambda = 1/2, m = 2.
    code, out, err = run(capsys, "rlct", "x**2*y**2")
    assert code == 0 and err == ""
    rows = dict(
        line.split(None, 1) if "  " not in line else [s.strip() for s in line.split("  ", 1)]
        for line in out.splitlines()[2:]
    )
    assert rows["threshold (lambda)"] == "1/2"
    assert rows["multiplicity (m)"] == "2"
    assert rows["status"] == "proven"


def test_rlct_json_is_exact(capsys):
    code, out, _ = run(capsys, "rlct", "x**2*y**2", "--json")
    data = json.loads(out)
    assert code == 0
    assert (data["threshold"], data["multiplicity"], data["status"], data["method"]) == ("1/2", 2, "proven", "newton")
    assert data["certificate"]["newton_distance"] == "2"


def test_newton_json_contract(capsys):
    code, out, _ = run(capsys, "newton", "x**2 + y**4", "--json")
    data = json.loads(out)
    assert code == 0
    assert data["newton_distance"] == "4/3" and data["codimension"] == 1
    assert data["nondegenerate"] == {"strong": "yes", "weak": "yes"}
    assert data["face"]["polynomial"] == "x**2 + y**4"


@pytest.mark.parametrize(
    "argv, message",
    [
        (["rlct", "x**2 +"], "cannot parse"),
        (["rlct", "foo(x) + y**2"], "unknown function foo"),
        (["rlct", "abs(x) + y**2"], "abs is not analytic"),
        (["rlct", "x**2 + 0.5*y**2"], "write 1/2"),
        (["rlct", "x**2 + y**2 + 1"], "not 0"),
        (["rlct", "x**2 + q*y**2", "--vars", "x,y"], "unknown symbol q"),
        (["newton", "x**2 + y**2", "--point", "1"], "coordinate"),
        (
            ["newton", "(w1 + w2 + w3 + w4 + w5 + w6 + w7 + w8)**12", "--timeout", "0.5"],
            "time limit",
        ),  # rlct answers a bound: tests/test_rlct.py
    ],
)
def test_bad_input_exits_2_with_one_line(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("singularities: error: ") and message in err


def test_rationalize_warns_and_succeeds(capsys):
    code, out, err = run(capsys, "rlct", "x**2 + 0.5*y**2", "--rationalize", "--json")
    assert code == 0 and json.loads(out)["threshold"] == "1"
    assert "warning" in err and "0.5 -> 1/2" in err


def test_parameters_and_point(capsys):
    code, out, _ = run(capsys, "rlct", "t*(x - 1)**2 + y**4", "--params", "t=3", "--point", "1,0", "--json")
    assert code == 0 and json.loads(out)["threshold"] == "3/4"


def test_version_and_help(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0 and __version__ in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["rlct", "--help"])
    assert 'singularities rlct "x**2*y**2"' in capsys.readouterr().out


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["frobnicate"])
    assert exit_info.value.code == 2


@pytest.mark.parametrize(
    "name, argv",
    [
        ("rlct_x2y2.txt", ["rlct", "x**2*y**2"]),
        ("rlct_x2y2.tex", ["rlct", "x**2*y**2", "--format", "latex"]),
        ("newton_x2_y4.txt", ["newton", "x**2 + y**4"]),
    ],
)
def test_golden_tables(capsys, name, argv):
    code, out, _ = run(capsys, *argv)
    assert code == 0
    assert out == (GOLDEN / name).read_text()


def test_golden_numbers_come_from_the_catalogue():
    from catalogue import by_name

    truth = by_name("monomial_x2y2")
    text = (GOLDEN / "rlct_x2y2.txt").read_text()
    assert f"threshold (lambda)     {truth.threshold}\n" in text
    assert f"multiplicity (m)       {truth.multiplicity}\n" in text
    assert f"Newton distance t      {truth.newton_distance}\n" in text
    assert f"codimension c          {truth.codimension}\n" in text
    # F_n = n L_n + lambda log n - (m - 1) log log n (docs/conventions.md), from the catalogue's lambda and m
    n = sympy.Symbol("n")
    lam = sympy.Rational(truth.threshold)
    log_terms = sympy.sstr(lam * sympy.log(n) - (truth.multiplicity - 1) * sympy.log(sympy.log(n)))
    assert f"free energy F_n        n*L_n + {log_terms} + O_p(1)\n" in text
    assert f"generalisation E[G_n]  {sympy.sstr(lam / n)} + o(1/n)\n" in text


def test_python_dash_m_entry_point():
    result = subprocess.run(
        [sys.executable, "-m", "singularities", "rlct", "x*y", "--json"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert json.loads(result.stdout)["multiplicity"] == 2


def test_progress_goes_to_stderr(capsys):
    code, out, err = run(capsys, "rlct", "x**2 + x*y + y**2 + z**2", "--progress", "--json")
    assert code == 0 and json.loads(out)["threshold"] == "3/2"
    assert "singularities: non-degeneracy of the compact faces: 0/" in err


def test_function_with_a_leading_minus(capsys):
    # -2 (cos kx + cos ky) at X = (pi, 0) is a saddle with value 0: lambda 1, m 2.
    code, out, _ = run(capsys, "rlct", "-2*(cos(kx) + cos(ky))", "--point", "pi,0", "--json")
    assert code == 0 and (json.loads(out)["threshold"], json.loads(out)["multiplicity"]) == ("1", 2)


def test_full_width_letters_are_normalised(capsys):
    code, out, _ = run(capsys, "rlct", "\uff58**2", "--json")
    assert code == 0 and json.loads(out)["threshold"] == "1/2"


@pytest.mark.parametrize(
    "argv, message",
    [
        (["rlct", "x**2", "--timeout", "inf"], "time limit must be between"),
        (["rlct", "t*x**2", "--params", "t=1,t=2"], None),
    ],
)
def test_more_bad_options(capsys, argv, message):
    if message is None:
        code, _, err = run(capsys, *argv)
        assert code == 2 and "given twice" in err
    else:
        with pytest.raises(SystemExit) as exit_info:
            main(argv)
        assert exit_info.value.code == 2 and message in capsys.readouterr().err


def test_classify_monkey_saddle(capsys):
    # x^3 - 3 x y^2 = x (x - sqrt(3) y)(x + sqrt(3) y): three real lines through 0, the D4- monkey saddle.
    code, out, _ = run(capsys, "classify", "x**3 - 3*x*y**2", "--json")
    data = json.loads(out)
    assert code == 0 and data["components"] == []
    (point,) = data["points"]
    assert (point["type"], point["real_form"], point["milnor_number"], point["corank"]) == ("D4", "x**2*y - y**3", 4, 2)
    assert point["point"] == ["0", "0"] and point["morse_index"] is None


def test_classify_double_well(capsys):
    # (x^2 - 1)^2 + y^2: minima at (+-1, 0) with value 0, a saddle at (0, 0) with value 1.
    code, out, _ = run(capsys, "classify", "(x**2 - 1)**2 + y**2", "--json")
    points = {tuple(p["point"]): (p["value"], p["type"], p["morse_index"]) for p in json.loads(out)["points"]}
    assert points == {("-1", "0"): ("0", "A1", 0), ("1", "0"): ("0", "A1", 0), ("0", "0"): ("1", "A1", 1)}


def test_classify_circle_of_minima_is_a_component(capsys):
    code, out, _ = run(capsys, "classify", "(x**2 + y**2 - 1)**2", "--json")
    data = json.loads(out)
    assert [c["dimension"] for c in data["components"]] == [1]
    assert [p["point"] for p in data["points"]] == [["0", "0"]]


def test_classify_at_a_non_critical_point(capsys):
    code, _, err = run(capsys, "classify", "x**2 + y", "--point", "0,0")
    assert code == 2 and "not critical" in err


def test_adjacency_view(capsys):
    code, out, _ = run(capsys, "adjacency", "E6", "--json")
    assert code == 0 and set(json.loads(out)["deforms_into"]) >= {"D5", "A5", "D4", "A1"}
    code, _, err = run(capsys, "adjacency", "Q7")
    assert code == 2 and "unknown type" in err


def test_dos_saddle_json_contract(capsys):
    # x^2 - y^2: rho ~ -log|E| on both sides (docs/conventions.md), RLCT (1, 2)
    code, out, _ = run(capsys, "dos", "x**2 - y**2", "--point", "0,0", "--json")
    data = json.loads(out)
    assert code == 0
    assert (data["dos_exponent"], data["log_power"], data["log_coefficient"], data["c_plus"], data["c_minus"]) == (
        "0",
        1,
        "-1",
        "0",
        "0",
    )
    assert (data["rlct"]["threshold"], data["rlct"]["multiplicity"]) == ("1", 2)


def test_dos_all_points_of_a_double_well(capsys):
    # (x^2 - 1)^2 + y^2: minima at (+-1, 0) with Hessian diag(8, 2): a step pi/sqrt(4*1) = pi/2;
    # the saddle at (0, 0) has g = -2 x^2 + y^2: L = -1/sqrt(2)
    code, out, _ = run(capsys, "dos", "(x**2 - 1)**2 + y**2", "--json")
    points = {tuple(p["point"]): p for p in json.loads(out)["points"]}
    assert points[("1", "0")]["c_plus"] == "pi/2" and points[("1", "0")]["ratio"] == "oo"
    assert points[("0", "0")]["log_coefficient"] == "-sqrt(2)/2"


@pytest.mark.parametrize(
    "argv, message",
    [
        (["dos", "x**2", "--plot", "a.png"], "add --torus"),
        (["dos", "x**2", "--torus", "--point", "0"], "leave out --point"),
        (["dos", "x**2 + y", "--point", "0,0"], "not critical"),
    ],
)
def test_dos_bad_options(capsys, argv, message):
    code, _, err = run(capsys, *argv)
    assert code == 2 and message in err and err.count("\n") == 1


def test_dos_on_the_square_lattice_torus(capsys):
    # -2(cos kx + cos ky): minimum (0,0) at -4, saddles (pi,0), (0,pi) at 0, maximum (pi,pi) at 4 (docs/conventions.md);
    # each saddle g = kx'^2 - ky'^2 + ... gives L = -1 per unit k-volume, divided by (2 pi)^2
    code, out, _ = run(capsys, "dos", "-2*(cos(kx) + cos(ky))", "--torus", "--json")
    data = json.loads(out)
    assert code == 0 and data["morse_sum"] == 0 and data["morse_check"] is True
    saddles = [p for p in data["points"] if p["value"] == "0"]
    assert len(saddles) == 2 and {p["log_coefficient"] for p in saddles} == {"-1/(4*pi**2)"}


def test_tune_the_chain_with_second_neighbour_hopping(capsys):
    # -2t cos k - 2 t2 cos 2k at k = 0: f'' = 2t + 8 t2 vanishes at t2 = -t/4 (the band bottom turns quartic)
    code, out, _ = run(capsys, "tune", "-2*t*cos(k) - 2*t2*cos(2*k)", "--params", "t,t2", "--point", "0", "--json")
    assert code == 0 and "t2 = -t/4" in out


def test_verify_reports_every_prediction(capsys):
    # the prediction for x^3 + y^4 (E6): lambda = 7/12, m = 1 (catalogue); all rows must pass
    code, out, _ = run(capsys, "verify", "x**3 + y**4", "--samples", "2e7", "--seed", "1", "--json")
    data = json.loads(out)
    rows = {c["quantity"]: c for c in data["checks"]}
    assert code == 0 and rows["threshold"]["predicted"] == "7/12" and rows["threshold"]["passed"] is True
    assert data["seed"] == 1 and data["backend"] in ("c", "numpy")


@pytest.mark.parametrize(
    "argv, message",
    [
        (["verify", "x**2", "--box", "1:0"], "is empty"),
        (["verify", "x**2 + y**2", "--box", "x=-1:1"], "every variable"),
        (["verify", "x**2", "--samples", "0.5"], "positive integer"),
        (["tune", "a*x**2", "--params", "a=1"], "tune"),
        (["tune", "a*x**2", "--params", "b"], "does not appear"),
    ],
)
def test_verify_and_tune_bad_options(capsys, argv, message):
    try:
        code, _, err = run(capsys, *argv)
    except SystemExit as exc:  # argparse rejects some values itself (exit 2, usage on stderr)
        code, err = exc.code, capsys.readouterr().err
    assert code == 2 and message in err


def test_global_rlct_over_a_box(capsys):
    # x^2 y^2 on [-1, 1]^2: zero set = the two axes; generic axis points (1/2, 1), the crossing (1/2, 2) (catalogue row)
    code, out, _ = run(capsys, "rlct", "x**2*y**2", "--global", "--box=-1:1", "--json")
    data = json.loads(out)
    assert code == 0 and (data["threshold"], data["multiplicity"], data["status"]) == ("1/2", 2, "proven")


def test_global_rlct_over_a_semialgebraic_support(capsys):
    # K = x on {x >= y^2}: vol{x < t} ∩ W = (4/3) t^(3/2), so (3/2, 1)
    code, out, _ = run(
        capsys, "rlct", "x", "--vars", "x,y", "--global", "--box=-1:1", "--constraint", "x >= y**2", "--json"
    )
    data = json.loads(out)
    assert code == 0 and (data["threshold"], data["multiplicity"], data["constraints"]) == ("3/2", 1, ["x >= y**2"])


@pytest.mark.parametrize(
    "argv, message",
    [
        (["rlct", "x**2", "--global"], "needs the prior support"),
        (["rlct", "x**2", "--box=-1:1"], "add --global"),
        (["rlct", "x**2", "--constraint", "x <= 1"], "add --global"),
        (["rlct", "x + y", "--global", "--box=-1:1"], "< 0 at (-1, -1)"),
        (["rlct", "x**2", "--global", "--box=-1:1", "--constraint", "x = 1"], "constraint"),
    ],
)
def test_global_rlct_bad_options(capsys, argv, message):
    code, _, err = run(capsys, *argv)
    assert code == 2 and message in err


# --- hostile input (issue 12): exit 2, one line on stderr, no traceback, no hang ---------------------------


def _one_line_exit_2(capsys, argv):
    """Run main in-process; argparse errors raise SystemExit, the library's errors return 2."""
    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    assert code == 2 and out == "", (code, out, err)
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    return err


@pytest.mark.parametrize(
    "argv, message",
    [
        (["rlct", "9**9**9*x**2"], "more than 2000 digits"),
        (["rlct", "x**10**9"], "beyond 10000"),
        (["rlct", "1" * 5000 + "*x**2"], "5000 digits"),
        (["rlct", "1e400*x**2"], r"write 10**400"),
        (["rlct", "1j*x**2"], "imaginary"),
        (["rlct", "exp(" * 200 + "x" + ")" * 200], "more than 60 deep"),
        (["rlct", "x\u00b2"], "superscript"),
        (["rlct", ""], "empty"),
        (["rlct", "x**2", "--point", "0,0"], "2 coordinate(s)"),
        (["rlct", "t*x**2", "--params", "tp=1"], "parameter tp does not appear"),
        (["table", "t*x**2", "--params", "tp=1"], "parameter tp does not appear"),
        (["rlct", "x**2", "--timeout", "0"], "time limit must be between"),
        (["rlct", "x**2", "--timeout", "-1"], "time limit must be between"),
        (["rlct", "x**2", "--timeout", "nan"], "time limit must be between"),
        (["rlct", "x**2", "--method", "magic"], "invalid choice"),
        (["verify", "x**2", "--samples", "1e30"], "up to 1e+12"),
        (["verify", "x**2", "--samples", "inf"], "up to 1e+12"),
        (["verify", "x**2", "--samples", "many"], "not a number of samples"),
        (["verify", "x**2", "--seed", "-1"], "non-negative"),
        (["rlct", "x**2", "--global", "--box=-1:1", "--constraint", "x <= 0.5"], "write 1/2"),
        (["rlct", "x**2", "--global", "--box=pi:4"], "rational box bounds"),
        (["rlct", "x**2 + sqrt(2)*y**2", "--global", "--box=-1:1"], "rational coefficients"),
        (["rlct", "x**2", "--global", "--box=-1:1", "--constraint", "__import__('os').getcwd() <= 1"], "constraint"),
        (["verify", "x**2", "--box=__import__('os').getcwd():1"], "interval"),
        (["dos", "cos(x)", "--torus", "--periods", "__import__('os')"], "unexpected"),
        (
            ["dos", "-2*(cos(kx) + cos(ky))", "--torus", "--plot", "/nonexistent-folder/dos.png"],
            "folder does not exist",
        ),
        (["newton", "x**2 + y**4", "--plot", "/nonexistent-folder/newton.png"], "folder does not exist"),
    ],
)
def test_hostile_input_exits_2_with_one_line(capsys, argv, message):
    assert message in _one_line_exit_2(capsys, argv)


def test_constraint_with_a_float_is_rationalised_on_request(capsys):
    # K = x^2 on [-1, 1] cut by x <= 1/2: the only zero is the interior point 0, a Morse zero in 1D: (1/2, 1)
    code, out, err = run(
        capsys, "rlct", "x**2", "--global", "--box=-1:1", "--constraint", "x <= 0.5", "--rationalize", "--json"
    )
    data = json.loads(out)
    assert code == 0 and (data["threshold"], data["multiplicity"]) == ("1/2", 1)
    assert "0.5 -> 1/2" in err and data["constraints"] == ["x <= 1/2"]


def test_option_values_may_start_with_a_minus(capsys):
    # --box -1:1 (no '='): x^2 y^2 on [-1, 1]^2 has global (1/2, 2) at the crossing of the axes (catalogue)
    code, out, _ = run(capsys, "rlct", "x**2*y**2", "--global", "--box", "-1:1", "--json")
    assert code == 0 and (json.loads(out)["threshold"], json.loads(out)["multiplicity"]) == ("1/2", 2)
    # --point -1: x^2 - 1 at x = -1 is a simple zero, lambda = 1, m = 1
    code, out, _ = run(capsys, "rlct", "x**2 - 1", "--point", "-1", "--json")
    assert code == 0 and json.loads(out)["threshold"] == "1"


def test_a_long_sum_is_a_function(capsys):
    # 3000 copies of x**2 + y**2 is 3000 (x^2 + y^2): a 2D Morse minimum, lambda = 1, m = 1
    code, out, _ = run(capsys, "rlct", " + ".join(["x**2 + y**2"] * 3000), "--json")
    assert code == 0 and (json.loads(out)["threshold"], json.loads(out)["multiplicity"]) == ("1", 1)


def test_table_argument_longer_than_a_file_name_is_an_expression(capsys):
    # 200 copies of x**2 plus y**2: one critical point, the origin, a minimum (A1)
    code, out, err = run(capsys, "table", " + ".join(["x**2"] * 200) + " + y**2", "--columns", "point,type", "--json")
    assert code == 0, err
    assert [row["type"] for row in json.loads(out)["rows"]] == ["A1"]


@pytest.mark.parametrize(
    "argv",
    [
        ["rlct", "9**9**9*x**2"],
        ["rlct", "x**10**9"],
        ["rlct", "exp(" * 200 + "x" + ")" * 200],
        ["rlct", "+".join(["x**2"] * 5000)],
        ["verify", "x**2", "--samples", "inf"],
    ],
)
def test_parse_time_cases_end_quickly_in_a_subprocess(argv):
    # a hang guard, not a benchmark: each of these used to run past any limit or crash with a traceback
    result = subprocess.run(
        [sys.executable, "-m", "singularities", *argv], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode in (0, 2) and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 1


def test_version_does_not_import_the_engine():
    # -X importtime lists every module imported; --version must not load sympy (0.5 s) or the engine
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "singularities", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0 and result.stdout.strip() == f"singularities {__version__}"
    assert "sympy" not in result.stderr and "singularities.energy" not in result.stderr


def test_lazy_package_keeps_functions_named_like_their_modules():
    import singularities as sg
    import singularities.thresholds.rlct  # noqa: F401 - importing the submodule must not replace the function

    assert callable(sg.rlct) and sg.rlct("x**2*y**2").threshold == sympy.Rational(1, 2)


def test_plot_without_matplotlib_is_refused_before_computing(capsys, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *args: None if name == "matplotlib" else real(name, *args)
    )
    # the torus analysis of a 3D cubic lattice takes seconds; the refusal must come first, from the options alone
    err = _one_line_exit_2(capsys, ["dos", "-2*(cos(x) + cos(y) + cos(z))", "--torus", "--plot", "dos.png"])
    assert "pip install 'singularities[plot]'" in err


def test_an_unknown_backend_is_exit_2_with_one_line(capsys, monkeypatch):
    # SINGULARITIES_BACKEND selects the polynomial backend (flint or sympy): anything else is bad input
    monkeypatch.setenv("SINGULARITIES_BACKEND", "bogus")
    for argv in (["classify", "x**3 + y**4"], ["rlct", "x**2"]):  # rlct of x**2 is Newton's method alone
        code, out, err = run(capsys, *argv)
        assert code == 2 and out == ""
        assert err.count("\n") == 1 and "SINGULARITIES_BACKEND='bogus'" in err and "flint, sympy" in err


def test_the_sympy_backend_gives_the_same_table(capsys, monkeypatch):
    # E6: x^3 + y^4 has mu = (3 - 1)(4 - 1) = 6 on either path
    code, flint_out, _ = run(capsys, "classify", "x**3 + y**4")
    monkeypatch.setenv("SINGULARITIES_BACKEND", "sympy")
    code_sympy, sympy_out, _ = run(capsys, "classify", "x**3 + y**4")
    assert code == code_sympy == 0 and flint_out == sympy_out and "E6" in flint_out
