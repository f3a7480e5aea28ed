"""Straight-line code generation: values against exact sympy, hand-counted flops, addition chains."""

import random

import numpy as np
import pytest
import sympy

from singularities.errors import InputError
from singularities.numeric._backend import find_compiler
from singularities.numeric.ckernel import compile_kernel, numpy_kernel
from singularities.numeric.codegen import addition_chain, straight_line

EXPRESSIONS = [
    "x**4 - y**2",
    "x**3 + y**5",
    "(a*b - c*d)**2 + (a*c)**2",
    "x**15 - 3*x**7*y + y**2/7",
    "(x + y)**2 + (x + y)**3 - 5",
    "x/(1 + y**2) - x**(-2)",
    "-x - y",
    "cos(x) + cos(y) - sqrt(2)*x*y",
    "exp(x - y) + sqrt(1 + x**2) - log(2 + y)",
]

# (expression, additions, multiplications, divisions): counted by hand from the cheapest evaluation.
HAND_COUNTS = [
    ("x**4 - y**2", 1, 3, 0),  # x2 = x*x, x4 = x2*x2, y2 = y*y, x4 - y2
    ("x**3 + y**5", 1, 5, 0),  # x2, x3 = x2*x; y2, y4, y5 = y4*y; one addition
    ("(a*b - c*d)**2 + (a*c)**2", 2, 5, 0),  # ab, cd, ab-cd, square; ac, square; the sum
    ("x**2 + y**2", 1, 2, 0),
    ("x**15", 0, 5, 0),  # a shortest chain: 1, 2, 4, 5, 10, 15
    ("3*x*y", 0, 2, 0),
    ("x/y", 0, 0, 1),
    ("-x - y", 1, 0, 0),  # negation is a sign flip, not a flop
    ("(x + y)**2 + (x + y)**3", 2, 2, 0),  # s = x + y once; s2 = s*s, s3 = s2*s; s2 + s3
    ("x**2*y**2", 0, 2, 0),  # (x*y)**2
]

# Lengths of shortest addition chains l(n), n = 1..32 (OEIS A003313).
SHORTEST = [0, 1, 2, 2, 3, 3, 4, 3, 4, 4, 5, 4, 5, 5, 5, 4, 5, 5, 6, 5, 6, 6, 6, 5, 6, 6, 6, 6, 7, 6, 7, 5]


def _random_points(n, count, seed):
    rng = random.Random(seed)
    return [[sympy.Rational(rng.randint(-40, 40), rng.randint(20, 40)) for _ in range(n)] for _ in range(count)]


def _exact_and_scale(expr, symbols, point):
    """The exact value and a magnitude bounding the rounding error (sum of |terms| for polynomials)."""
    values = dict(zip(symbols, point))
    exact = sympy.N(expr.subs(values), 30)
    if expr.is_polynomial(*symbols):
        poly = sympy.Poly(sympy.expand(expr), *symbols)
        scale = sum(abs(c) * sympy.Mul(*(abs(v) ** e for v, e in zip(point, m))) for m, c in poly.terms())
    else:
        scale = abs(exact)
    return float(exact), max(float(scale), 1.0)


@pytest.mark.parametrize("text", EXPRESSIONS)
def test_generated_code_matches_sympy_at_random_rational_points(text):
    program = straight_line(text)
    symbols = sympy.sympify(text).free_symbols
    symbols = sorted(symbols, key=lambda s: s.name)
    expr = program.expressions[0]
    points = _random_points(len(symbols), 12, seed=len(text))
    floats = np.array([[float(c) for c in p] for p in points])
    backends = [numpy_kernel(program).evaluate(floats)[:, 0]]
    if find_compiler() is not None:
        backends.append(compile_kernel(program).evaluate(floats)[:, 0])
    for k, point in enumerate(points):
        exact, scale = _exact_and_scale(expr, symbols, point)
        values = [program.evaluate(floats[k])[0]] + [b[k] for b in backends]
        for value in values:
            assert abs(value - exact) <= 1e-13 * scale, (text, point, value, exact)


@pytest.mark.parametrize("text, additions, multiplications, divisions", HAND_COUNTS)
def test_flop_counts_equal_hand_counts(text, additions, multiplications, divisions):
    flops = straight_line(text).flops
    assert (flops.additions, flops.multiplications, flops.divisions) == (additions, multiplications, divisions)
    assert flops.total == additions + multiplications + divisions


def test_function_calls_are_counted_apart_from_flops():
    flops = straight_line("cos(x) + cos(y) + sqrt(x)").flops
    assert dict(flops.calls) == {"cos": 2, "sqrt": 1}
    assert flops.total == 2


@pytest.mark.parametrize("n", range(1, 33))
def test_addition_chains_are_valid_and_shortest(n):
    chain = addition_chain(n)
    assert chain[0] == 1 and chain[-1] == n
    for k, entry in enumerate(chain[1:], start=1):
        assert any(entry - a in chain[:k] for a in chain[:k])
    assert len(chain) - 1 == SHORTEST[n - 1]


def test_large_powers_use_the_binary_method():
    chain = addition_chain(5000)
    assert chain[-1] == 5000 and len(chain) - 1 <= 2 * (5000).bit_length()


def test_instruction_count_equals_flops_plus_negations_and_calls():
    program = straight_line("-(x**3) + x**6 - cos(y)")
    ops = [i.op for i in program.instructions]
    assert len(ops) == program.flops.total + ops.count("neg") + sum(n for _, n in program.flops.calls)


def test_several_outputs_share_subexpressions():
    x, y = sympy.symbols("x y")
    f = (x + y) ** 3
    program = straight_line([f, sympy.diff(f, x)], ["x", "y"])
    assert len(program.outputs) == 2
    assert program.evaluate([1.0, 2.0]) == (27.0, 27.0)
    assert [i.op for i in program.instructions].count("add") == 1


def test_unknown_symbol_is_an_input_error():
    with pytest.raises(InputError, match="t"):
        straight_line("x + t", ["x"])


def test_numpy_source_reuses_scratch_arrays():
    program = straight_line("x**8 + y**8 + z**8")
    _, work = program.numpy_source()
    assert work <= 3 < len(program.instructions)  # one array per term, not one per instruction
