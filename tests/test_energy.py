"""The input layer: parsing, variable order, parameters, points, and every class of bad input."""

import pickle
import warnings

import pytest
import sympy

import singularities as sg
from singularities.errors import InputError, NotZeroError, TimeLimitError

x, y, z = sympy.symbols("x y z")


def test_string_and_expression_agree():
    assert sg.Energy("x**4 - y**2").expr == sg.Energy(x**4 - y**2).expr


def test_caret_means_power():
    assert sg.Energy("x^3 + y^2").expr == x**3 + y**2


def test_variable_order_is_natural():
    assert [str(v) for v in sg.Energy("w10*w2 + w1 + b").variables] == ["b", "w1", "w2", "w10"]


def test_given_variables_keep_their_order_and_may_be_absent_from_f():
    assert sg.Energy("x**2", "y,x").variables == (y, x)


def test_parameters_with_and_without_values():
    energy = sg.Energy("t*x**2 + tp*y**2", parameters="t=1/2,tp")
    assert energy.expr == x**2 / 2 + sympy.Symbol("tp") * y**2
    assert energy.variables == (x, y)
    assert [str(p) for p in energy.free_parameters] == ["tp"]


def test_parameter_values_can_be_exact_irrationals():
    assert sg.Energy("t*x**2", parameters={"t": "sqrt(2)"}).expr == sympy.sqrt(2) * x**2


def test_point_with_exact_coordinates_and_value():
    energy = sg.Energy("cos(kx) + cos(ky)", point="pi,0")
    assert energy.point == (sympy.pi, 0)
    assert energy.value() == 0


def test_e_and_pi_are_constants():
    assert sg.Energy("x**2 + pi*y**2").variables == (x, y)


def test_rationalize_on_request_warns():
    with pytest.warns(sg.InexactInputWarning, match="0.5 -> 1/2"):
        energy = sg.Energy("x**2 + 0.5*y**2", exact=False)
    assert energy.expr == x**2 + y**2 / 2


@pytest.mark.parametrize(
    "text, message",
    [
        ("x**2 +", "cannot parse"),
        ("sin(x", "unbalanced brackets"),
        ("x $ y", "unexpected character"),
        ("foo(x) + y", "unknown function foo"),
        ("abs(x) + y**2", "abs is not analytic"),
        ("Max(x, y)", "Max is not analytic"),
        ("floor(x) + y", "floor is not analytic"),
        ("sign(x)*y", "sign is not analytic"),
        ("x**2 + 0.5*y**2", "coefficient 0.5 is a float; write 1/2"),
        ("x + I*y", "complex"),
        ("lambda*x", "Python keyword"),
        ("x < y", "condition or equation"),
        ("", "empty"),
        ("x.real", "attribute access"),
    ],
)
def test_bad_text_is_refused_with_a_message(text, message):
    with pytest.raises(InputError, match=message):
        sg.Energy(text)


@pytest.mark.parametrize("text", ["sqrt(x) + y", "log(1 + x) + y + log(x)", "x**y", "1/x + y", "tan(x + pi/2)"])
def test_functions_not_analytic_at_the_point_are_refused(text):
    with pytest.raises(InputError, match="not (real-)?analytic at the point"):
        sg.rlct(text)


def test_analytic_non_polynomial_input_is_expanded():
    # 1 - cos(x) + y^2 = x^2/2 + y^2 + O(x^4): lambda = 1/2 + 1/2 = 1, m = 1.
    result = sg.rlct("1 - cos(x) + y**2")
    assert (result.threshold, result.multiplicity) == (1, 1)
    # sqrt(1 + x) - 1 = x/2 + ...: a smooth zero, lambda = 1.
    assert sg.rlct("sqrt(1 + x) - 1 + y**2").threshold == 1


def test_non_analytic_sympy_expression_is_refused():
    with pytest.raises(InputError, match="Abs is not analytic"):
        sg.Energy(sympy.Abs(x) + y)


def test_unknown_symbol_with_given_variables():
    with pytest.raises(InputError, match="unknown symbol q.*--params"):
        sg.Energy("x**2 + q*y", "x,y")


def test_point_of_wrong_length_and_float_point():
    with pytest.raises(InputError, match="2 variable"):
        sg.Energy("x**2 + y**2", point="0")
    with pytest.raises(InputError, match="float"):
        sg.Energy("x**2 + y**2", point="0.5,0")


def test_rlct_requires_a_zero():
    with pytest.raises(NotZeroError, match="not 0.*subtract the value"):
        sg.rlct("x**2 + y**2 + 1")


def test_free_parameters_need_values_for_rlct():
    with pytest.raises(InputError, match="has no value"):
        sg.rlct("t*x**2 + y**2", parameters="t")


def test_time_limit_is_enforced_on_large_input():
    # (w1 + ... + w8)**12 has C(19, 7) = 50388 terms: far more than 0.5 s of work.
    big = "(" + " + ".join(f"w{i}" for i in range(1, 9)) + ")**12"
    with pytest.raises(TimeLimitError, match="time limit of 0.5 s"):
        sg.newton_polyhedron(big, timeout=0.5)
    # rlct never ends with nothing: a valid bound (g has order 12 in 8 variables: lambda <= 8/12) or UNKNOWN,
    # with the user's limit quoted.
    result = sg.rlct(big, timeout=0.5)
    assert result.status in (sg.Status.BOUND, sg.Status.UNKNOWN)
    assert result.status is sg.Status.UNKNOWN or result.threshold <= sympy.Rational(8, 12)
    assert "time limit of 0.5 s" in result.certificate.reason


def test_errors_pickle_with_their_data():
    error = NotZeroError(sympy.Integer(1), (0, 0))
    clone = pickle.loads(pickle.dumps(error))
    assert (clone.value, clone.point, str(clone)) == (error.value, error.point, str(error))
    limit = pickle.loads(pickle.dumps(TimeLimitError("facets", 2.0)))
    assert limit.stage == "facets" and "2 s" in str(limit)


def test_errors_are_builtin_exceptions_too():
    assert issubclass(InputError, ValueError) and issubclass(TimeLimitError, TimeoutError)


def test_no_warning_for_exact_input():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sg.Energy("x**2/2 + y**2")


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: sg.rlct("E"), "no variables"),
        (lambda: sg.Energy("x**2 # note"), "comment"),
        (lambda: sg.Energy("t*x**2 + y", "t,x,y", parameters="t=1"), "both a variable and a parameter"),
    ],
)
def test_further_bad_input(call, message):
    with pytest.raises(InputError, match=message):
        call()


# --- the reader: no eval, sizes bounded before evaluation (issue 12, "Crashes on valid input") -------------


def test_long_sums_and_products_are_read_without_recursion():
    # n equal terms add up to n times the term; a product of n factors x is x**n (no RecursionError)
    assert sg.Energy(" + ".join(["x**2"] * 5000)).expr == 5000 * x**2
    assert sg.Energy("*".join(["x"] * 3000)).expr == x**3000
    # x - x - ... - x with 1001 terms: x - 1000 x = -999 x
    assert sg.Energy(" - ".join(["x"] * 1001)).expr == -999 * x


@pytest.mark.parametrize(
    "text, expected",
    [
        ("-x**2", -(x**2)),  # unary minus binds looser than ** (Python, and the usual -x^2)
        ("2**-1*x", x / 2),  # a signed exponent
        ("2**3**2*x", 512 * x),  # ** is right-associative: 2**(3**2) = 2**9
        ("x/2/3", x / 6),  # / is left-associative
        ("x^2 - y^3", x**2 - y**3),  # ^ means power
        ("x**2 \u2212 y**2", x**2 - y**2),  # the Unicode minus sign of typeset papers
        ("- - x", x),
        ("10**1999*x", 10**1999 * x),  # 2000 digits: the largest number allowed
    ],
)
def test_reader_follows_python_precedence(text, expected):
    assert sg.Energy(text).expr == expected


@pytest.mark.parametrize(
    "text, message",
    [
        ("9**9**9*x**2", "more than 2000 digits"),  # 9**387420489 has 369693100 digits
        ("10**2000*x", "more than 2000 digits"),  # 2001 digits
        ("1" * 5000 + "*x", "5000 digits"),
        ("x**10**9", "exponent 1000000000 .* beyond 10000"),
        ("x**(10**9/3)", "beyond 10000"),
        ("root(2, 1/10**9)*x", "more than 2000 digits"),  # root(2, 1/n) = 2**n
        ("exp(10**9*log(2))*x", "beyond 10000"),  # sympy turns exp(c*log(2)) into 2**c
        ("1e400*x**2", r"coefficient 1e400 is a float; write 10\*\*400"),
        ("1j*x**2", "imaginary"),
        ("exp(" * 61 + "x" + ")" * 61, "more than 60 deep"),
        ("x**" * 100 + "x", "tower of more than 60 powers"),  # sympy would recurse through the nested powers
        ("x\u00b2 + y**2", "superscript"),  # NFKC would read x² as the name x2
        ("2x + y", r"write 2\*x"),
        ("sin(x, y)", "sin takes 1 argument"),
        ("__import__('os')", "unexpected"),
    ],
)
def test_reader_refuses_what_would_hang_or_mislead(text, message):
    with pytest.raises(InputError, match=message):
        sg.Energy(text)


def test_rationalize_reads_the_decimal_as_written():
    # 1e400 denotes 10**400 exactly; 0.1 denotes 1/10 (not the binary float 0.1000000000000000055...)
    with pytest.warns(sg.InexactInputWarning, match=r"1e400 -> 10\*\*400"):
        assert sg.Energy("1e400*x**2 + 0.1*y**2", exact=False).expr == 10**400 * x**2 + y**2 / 10


def test_nesting_below_the_limit_is_fine():
    assert sg.Energy("(" * 50 + "x" + ")" * 50 + "**2").expr == x**2


def test_text_is_never_evaluated_as_python(tmp_path):
    from singularities.domain import parse_box
    from singularities.energy import parse_relation

    marker = tmp_path / "ran"
    code = f"__import__('pathlib').Path({str(marker)!r}).touch()"
    with pytest.raises(InputError):
        sg.global_rlct("x**2", box="-1:1", constraints=f"{code} <= 1")
    with pytest.raises(InputError):
        parse_box(f"{code}:1", "x")
    with pytest.raises(InputError):
        parse_relation(f"x <= {code}", "x")
    with pytest.raises(InputError):
        sg.torus_critical_points("cos(x)", periods=code)
    assert not marker.exists()


def test_parse_exact_reads_back_what_exact_string_prints():
    from singularities._exact import exact_string, parse_exact

    root = sympy.CRootOf(x**5 - x - 1, 0)  # the real root of a quintic with no radical form
    for value in (
        sympy.Rational(-7, 12),
        sympy.sqrt(2) / 3,
        sympy.pi**2,
        sympy.oo,
        root,
        1 - sympy.cos(sympy.Rational(1, 3)),
    ):
        assert parse_exact(exact_string(value)) == value
    assert parse_exact("0.25") == sympy.Rational(1, 4)


def test_constraints_follow_the_float_rule():
    from singularities.energy import parse_relation

    assert parse_relation("x + y <= 1", "x,y") == sympy.Le(x + y, 1)
    with pytest.raises(InputError, match="constraint 0.5 is a float; write 1/2"):
        parse_relation("x <= 0.5", "x")
    with pytest.warns(sg.InexactInputWarning, match="0.5 -> 1/2"):
        assert parse_relation("x <= 0.5", "x", exact=False) == sympy.Le(x, sympy.Rational(1, 2))
    with pytest.raises(InputError, match="not an inequality"):
        parse_relation("x = 1", "x")


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: sg.Energy("x", variables=123), "variables must be a string or a sequence"),
        (lambda: sg.Energy("t*x", parameters=5), "parameters must be a string or a sequence"),
        (lambda: sg.Energy("x**2", point=5), "the point must be a string or a sequence"),
    ],
)
def test_options_of_the_wrong_type_are_input_errors(call, message):
    with pytest.raises(InputError, match=message):
        call()


def test_a_lone_dot_is_an_input_error_in_every_reader():
    # "." passes the number tokenizer but is no number: parse_exact (used by from_dict) raised a raw TypeError.
    from singularities._exact import parse_exact

    with pytest.raises(InputError, match="not a number"):
        parse_exact("1 + .")
