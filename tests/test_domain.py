"""Tests of singularities.domain: every domain option parsed once, with exact bounds (hand-checked values)."""

import pytest
import sympy

import singularities as sg
from singularities.cli import main
from singularities.domain import (
    Box,
    Constraint,
    parse_box,
    parse_constraint,
    parse_periods,
    parse_support,
)
from singularities.errors import InputError
from singularities.numeric.verify import sampling_window

x, y = sympy.symbols("x y")


def test_box_bounds_forms():
    assert parse_box("-1:1", ["x", "y"]).bounds == ((-1, 1), (-1, 1))
    assert parse_box({"y": "0:1", "x": (-2, 2)}, ["x", "y"]).bounds == ((-2, 2), (0, 1))
    assert parse_box("0:1/2", "x").bounds == ((0, sympy.Rational(1, 2)),)
    with pytest.raises(InputError, match="empty"):
        parse_box("1:0", "x")
    with pytest.raises(InputError, match="exact"):
        parse_box("0:0.5", "x")


def test_one_pair_is_every_variable_and_a_box_is_kept():
    # (0, 1) is one interval, repeated for x and y; ((0, 1), (2, 3)) are two
    assert parse_box((0, 1), "x,y").bounds == ((0, 1), (0, 1))
    assert parse_box(((0, 1), (2, 3)), "x,y").bounds == ((0, 1), (2, 3))
    box = parse_box("x=0:1,y=2:3", "x,y")
    assert parse_box(box, (x, y)) == box and box[y] == (2, 3)
    with pytest.raises(InputError, match="not x, z"):
        parse_box(box, "x,z")
    with pytest.raises(InputError, match="every variable"):
        parse_box("x=0:1", "x,y")
    with pytest.raises(InputError, match="2 interval"):
        parse_box(["0:1", "0:1"], "x")


def test_the_window_is_the_box_minus_the_point():
    # [0, 1/2] x [-1, 1] seen from (1/4, 0): x - 1/4 in [-1/4, 1/4], y - 0 in [-1, 1]
    box = parse_box("x=0:1/2,y=-1:1", "x,y")
    assert box.window((sympy.Rational(1, 4), 0)) == ((-sympy.Rational(1, 4), sympy.Rational(1, 4)), (-1, 1))
    # the box is closed: a corner is inside, with a one-sided window
    assert box.window((0, 1)) == ((0, sympy.Rational(1, 2)), (-2, 0))
    # an algebraic point stays exact: [0, 2] - sqrt(2) = [-sqrt(2), 2 - sqrt(2)]
    assert parse_box("0:2", "x").window((sympy.sqrt(2),)) == ((-sympy.sqrt(2), 2 - sympy.sqrt(2)),)
    with pytest.raises(InputError, match="outside the box"):
        box.window((1, 0))
    with pytest.raises(InputError, match="one coordinate per variable"):
        box.window((0,))


def test_irrational_bounds_are_refused_where_rational_ones_are_needed():
    assert parse_box("-1:1/3", "x").require_rational("--global").bounds == ((-1, sympy.Rational(1, 3)),)
    # pi = 3.14159265..., so 6 significant digits give 3.14159
    with pytest.raises(
        InputError, match="--global needs rational box bounds, and pi is irrational; .* e.g. 314159/100000"
    ):
        parse_box("pi:4", "x").require_rational("--global")


def test_periods():
    assert parse_periods(None, 3).values == (2 * sympy.pi,) * 3
    periods = parse_periods("2*pi, 4*pi", 2)
    assert periods.values == (2 * sympy.pi, 4 * sympy.pi) and periods.volume == 8 * sympy.pi**2
    assert parse_periods(1, 1).values == (1,) and parse_periods(periods, 2) == periods
    with pytest.raises(InputError, match="one period per variable"):
        parse_periods("2*pi", 2)
    with pytest.raises(InputError, match="not positive"):
        parse_periods("-1", 1)
    with pytest.raises(InputError, match="not an exact number"):
        parse_periods("0.5", 1)
    with pytest.raises(InputError, match="not an exact number"):
        parse_periods([0.5], 1)
    with pytest.raises(InputError, match="not an exact number"):
        parse_periods("a", 1)


def test_constraints_become_g_at_least_zero():
    # x**2 + y**2 <= 1 is 1 - x**2 - y**2 >= 0; y >= x is y - x >= 0
    assert parse_constraint("x**2 + y**2 <= 1", "x,y") == Constraint(1 - x**2 - y**2, "x**2 + y**2 <= 1")
    assert parse_constraint("y >= x", "x,y").polynomial == y - x
    assert parse_constraint(sympy.Le(x, 1), (x,)).polynomial == 1 - x
    with pytest.raises(InputError, match="not an inequality"):
        parse_constraint("x = 1", "x")
    with pytest.raises(InputError, match="uses z"):
        parse_constraint("x + z <= 1", "x,y")
    with pytest.raises(InputError, match="rational coefficients"):
        parse_constraint("sqrt(2)*x <= 1", "x")
    with pytest.raises(InputError, match="write 1/2"):
        parse_constraint("x <= 0.5", "x")


def test_a_support_parses_once_and_accepts_parsed_parts():
    # the triangle 0 <= x, y <= 1, x + y <= 1: box [0, 1]^2 and g = 1 - x - y
    W = parse_support("0:1", ["x + y <= 1"], "x,y")
    assert W.bounds == ((0, 1), (0, 1)) and W.constraints == (1 - x - y,) and W.texts == ("x + y <= 1",)
    again = parse_support(Box((x, y), W.bounds), parse_constraint("x + y <= 1", "x,y"), (x, y))
    assert again == W and W.variables == (x, y)


def test_the_verify_window_is_the_box_around_the_point():
    # the box [0, 2] in x's own coordinates seen from the point 1 is the displacement window [-1, 1]
    assert sampling_window("0:2", sg.Energy("(x - 1)**2", point="1")) == ((-1.0, 1.0),)
    assert sampling_window(None, sg.Energy("x**2")) is None


def test_cli_verify_box_is_in_the_variables_coordinates(capsys):
    # the point 2 is not in [-1, 1]: the same box as rlct --global's, so it is refused before any sampling
    assert main(["verify", "(x - 2)**2", "--point", "2", "--box=-1:1", "--samples", "1e6"]) == 2
    err = capsys.readouterr().err
    assert "outside the box [-1, 1]" in err and err.count("\n") == 1
