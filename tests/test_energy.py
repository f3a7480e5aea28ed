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
    big = "(" + " + ".join(f"w{i}" for i in range(1, 9)) + ")**40"
    with pytest.raises(TimeLimitError, match="time limit"):
        sg.rlct(big, timeout=0.5)


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


@pytest.mark.parametrize("call, message", [
    (lambda: sg.rlct("E"), "no variables"),
    (lambda: sg.Energy("x**2 # note"), "comment"),
    (lambda: sg.Energy("t*x**2 + y", "t,x,y", parameters="t=1"), "both a variable and a parameter"),
])
def test_further_bad_input(call, message):
    with pytest.raises(InputError, match=message):
        call()
