"""Hypothesis strategies for the fuzz suite: polynomials, losses, dispersions, malformed text, CLI options.

Every polynomial strategy returns a :class:`Poly` with the expression text and
what the invariant checks need to know about it (variables, order of
vanishing at the origin, degree), computed here from the exponents drawn,
not by the package.
"""

from dataclasses import dataclass

import sympy
from hypothesis import strategies as st

__all__ = [
    "Poly",
    "COEFFICIENTS",
    "polynomials",
    "losses",
    "dispersions",
    "malformed",
    "functions",
    "box_options",
    "point_options",
    "params_options",
    "timeout_options",
    "vars_options",
    "samples_options",
    "adjacency_types",
    "command_lines",
    "global_lines",
    "TIMEOUT",
    "COMMANDS",
]

NAMES = ("x", "y", "z", "w")
COEFFICIENTS = (
    1,
    -1,
    2,
    -2,
    3,
    -5,
    7,
    sympy.Rational(1, 2),
    sympy.Rational(-1, 3),
    sympy.Rational(2, 3),
    sympy.Rational(5, 7),
    sympy.Rational(-7, 4),
)


@dataclass(frozen=True)
class Poly:
    text: str  # the expression as the user would type it
    variables: tuple  # names in order
    order: int | None  # lowest total degree of a term (the order of vanishing at 0); None for 0 or unknown
    degree: int  # total degree
    nonnegative: bool  # True when built as a sum of squares (so K >= 0)


@st.composite
def monomials(draw, n, low, high):
    """An exponent vector in n variables with total degree in [low, high]."""
    total = draw(st.integers(low, high))
    exps = [0] * n
    for _ in range(total):
        exps[draw(st.integers(0, n - 1))] += 1
    return tuple(exps)


@st.composite
def polynomials(draw, max_vars=4, max_degree=8, vanish=True, min_vars=1):
    """A random polynomial with small rational coefficients; g(0) = 0 when ``vanish``."""
    n = draw(st.integers(min_vars, max_vars))
    names = NAMES[:n]
    terms = draw(
        st.lists(
            st.tuples(st.sampled_from(COEFFICIENTS), monomials(n, 1 if vanish else 0, max_degree)),
            min_size=1,
            max_size=5,
        )
    )
    symbols = sympy.symbols(names)
    expr = sympy.Add(*[c * sympy.Mul(*[s**e for s, e in zip(symbols, exps)]) for c, exps in terms])
    return _poly(draw, expr, names, symbols, nonnegative=False)


@st.composite
def losses(draw, max_vars=3):
    """K = p1^2 + p2^2 (+ ...) with random p_i of degree <= 4 vanishing at 0: K >= 0 of degree <= 8."""
    n = draw(st.integers(1, max_vars))
    names = NAMES[:n]
    symbols = sympy.symbols(names)
    squares = []
    for _ in range(draw(st.integers(1, 3))):
        terms = draw(st.lists(st.tuples(st.sampled_from(COEFFICIENTS), monomials(n, 1, 4)), min_size=1, max_size=3))
        squares.append(sympy.Add(*[c * sympy.Mul(*[s**e for s, e in zip(symbols, exps)]) for c, exps in terms]) ** 2)
    expr = sympy.Add(*squares)
    return _poly(draw, expr, names, symbols, nonnegative=True, keep_form=draw(st.booleans()))


def _poly(draw, expr, names, symbols, nonnegative, keep_form=False):
    expanded = sympy.expand(expr)
    if expanded == 0:
        return Poly("0", names, None, 0, nonnegative)
    p = sympy.Poly(expanded, *symbols)
    degrees = [sum(m) for m in p.monoms()]
    text = str(expr if keep_form else expanded)
    if draw(st.booleans()):
        text = text.replace("**", "^")
    return Poly(text, names, min(degrees), max(degrees), nonnegative)


@st.composite
def dispersions(draw, parameter=False):
    """A random trigonometric dispersion in 1-3 variables (a tight-binding band), optionally with a parameter t."""
    n = draw(st.integers(1, 3))
    names = ("kx", "ky", "kz")[:n]
    pieces = []
    for _ in range(draw(st.integers(1, 4))):
        c = draw(st.sampled_from(["1", "-2", "1/2", "-1/4", "3"] + (["t", "-t"] if parameter else [])))
        i, j = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
        k = draw(st.integers(1, 3))
        shape = draw(
            st.sampled_from(
                [
                    "cos({a})",
                    "cos({k}*{a})",
                    "cos({a})*cos({b})",
                    "sin({a})**2",
                    "cos({a} + {b})",
                    "sin({a})*sin({b})",
                    "cos({a} - {b})",
                ]
            )
        )
        pieces.append(f"{c}*" + shape.format(a=names[i], b=names[j], k=k))
    return " + ".join(pieces), names


# A hand-written corpus of inputs that have broken parsers and limits before (see issue 12).
MALFORMED = (
    "",
    " ",
    "x**2+(",
    "(x**2",
    "x**2)",
    "((x)",
    "x**",
    "**2",
    "x y",
    "x,,y",
    "x=1",
    "x**2 == 0",
    "x < 1",
    "foo(x)",
    "gamma(x)",
    "Abs(x)",
    "abs(x)",
    "floor(x)",
    "Piecewise((x, x > 0), (0, True))",
    "x**y",
    "0.5*x**2",
    "1e400*x**2",
    "1e-400*x**2",
    "nan*x",
    "x**2 + nan",
    "inf*x**2",
    "oo*x**2",
    "zoo*x",
    "I*x**2",
    "1j*x**2",
    "x**2 + 1j",
    "10**1000*x**2",
    "x**10**9",
    "9**9**9*x**2",
    "x**(10**20)",
    "2**2**2**2**2*x",
    "exp(exp(exp(exp(x))))",
    "sin(sin(sin(sin(sin(x)))))",
    "x**(1/2)",
    "sqrt(x)",
    "log(x)",
    "1/x",
    "x**-1",
    "x**pi",
    "pi*x**2",
    "E**x - 1 - x",
    "0",
    "1",
    "x",
    "x - x",
    "lambda: 0",
    "__import__('os').system('true')",
    "x.y",
    "x[0]",
    "{x}",
    "'x'",
    '"x"',
    "x\\y",
    "x # comment",
    "x @ y",
    "x!",
    "x ? y",
    "`x`",
    "x % y",
    "x & y",
    "x | y",
    "~x",
    "x << 2",
    "x**2;y**2",
    "x²+y²",
    "α**2 + β**2",
    "ｘ**2",
    "x\u200b**2",
    "x\x00**2",
    "x**2\n+y**2",
    "\tx**2",
    "∑x",
    "x**2 + y**2 + " * 5,
    "x" * 500,
    "(" * 200 + "x" + ")" * 200,
    "+".join(["x**2"] * 400),
    "*".join(["x"] * 300),
    "x**2 + y**2 " + "+ 0" * 300,
    "-x**2",
    "--x**2",
    "+x**2",
    "x**2 - y**2 + z**2 - w**2 + v**2 - u**2 + " + " + ".join(f"a{i}**2" for i in range(45)),
    "(x + y + z)**10",
    "(x + y)**40",
    "(x**2 + y**3 + 1)**9 - 1",
    "x**1000 + y**1000",
    "x**2*y**2/(1 + x**2)",
    "sin(x)/x",
    "cos(x)**(1/3)",
    "tan(pi/2 + x)",
    "x**2 + t",
    "x**2 + y**2 + 1e-30",
)


def malformed():
    """Text that is not a valid polynomial: the corpus, its mutations, and random unicode."""
    mutation = st.builds(
        _mutate,
        polynomials(max_vars=3, max_degree=5),
        st.integers(0, 10**6),
        st.sampled_from(
            [
                "(",
                ")",
                "**",
                "/0",
                "0.5",
                "1e400",
                "10**1000",
                "é",
                "∑",
                "\x00",
                ",",
                ";",
                "=",
                "__",
                "[",
                "]",
                "'",
                "\\",
                "#",
                "@",
                "!",
                "?",
                "%",
                "<",
                "==",
                "..",
                "1/0",
                "oo",
                "zoo",
                "nan",
                "I",
                "j",
                "x**x",
                "sin(",
                "exp(exp(x))",
            ]
        ),
    )
    return st.one_of(st.sampled_from(MALFORMED), mutation, st.text(max_size=30))


def _mutate(poly, where, insert):
    text = poly.text
    i = where % (len(text) + 1)
    return text[:i] + insert + text[i:]


def functions():
    """Any input a user might type: valid polynomials, losses, dispersions, malformed text."""
    return st.one_of(
        polynomials().map(lambda p: p.text),
        losses().map(lambda p: p.text),
        dispersions().map(lambda d: d[0]),
        malformed(),
    )


@st.composite
def _interval(draw):
    ends = [
        "-1",
        "1",
        "0",
        "1/2",
        "-1/3",
        "2",
        "pi",
        "-pi",
        "sqrt(2)",
        "0.5",
        "1e400",
        "10**1000",
        "oo",
        "-oo",
        "nan",
        "a",
        "",
        "1/0",
        "E",
        "-2*pi",
    ]
    return f"{draw(st.sampled_from(ends))}:{draw(st.sampled_from(ends))}"


def box_options():
    """--box values: intervals (valid, reversed, empty, irrational, huge, junk), per-variable forms."""
    per_variable = st.lists(
        st.tuples(st.sampled_from(["x", "y", "z", "w", "q", "", "x "]), _interval()), min_size=1, max_size=4
    ).map(lambda pairs: ",".join(f"{v}={i}" for v, i in pairs))
    return st.one_of(
        _interval(),
        per_variable,
        st.sampled_from(
            [
                "-1:1",
                "0:1",
                "-1:1,0:1",
                "1",
                ":",
                "x",
                "-1:1:2",
                "x=-1:1,x=0:1",
                "[-1,1]",
                "=-1:1",
                "x=",
                "pi:4",
                "-1e-30:1e-30",
                "0:0",
                "1:-1",
            ]
        ),
        st.text(max_size=12),
    )


def point_options():
    """--point values: exact, irrational, wrong length, junk."""
    coordinate = st.sampled_from(
        [
            "0",
            "1",
            "-1",
            "1/2",
            "pi",
            "-pi",
            "pi/2",
            "sqrt(2)",
            "2*pi/3",
            "0.5",
            "1e400",
            "10**1000",
            "oo",
            "nan",
            "I",
            "a",
            "",
            "CRootOf(x**5 - x - 1, 0)",
            "x",
            "1/0",
        ]
    )
    return st.one_of(st.lists(coordinate, min_size=0, max_size=5).map(",".join), st.text(max_size=12))


def params_options():
    """--params values: names with and without values, repeated, clashing with variables, junk."""
    item = st.sampled_from(
        [
            "t=1",
            "t=1/2",
            "t",
            "tp=-1",
            "t=",
            "=1",
            "t=abc",
            "t=1e400",
            "t=0.5",
            "x=1",
            "pi=3",
            "t=sqrt(2)",
            "t=oo",
            "t=I",
            "t=1,t=2",
            "lambda=1",
            "1t=2",
            "t==1",
        ]
    )
    return st.one_of(st.lists(item, min_size=1, max_size=3).map(",".join), st.text(max_size=12))


def timeout_options():
    """--timeout values: valid ones at most 2 s, and invalid ones (argparse must refuse them)."""
    return st.sampled_from(["0.05", "0.5", "1", "2", "0", "-1", "nan", "inf", "-inf", "1e30", "abc", "", "1e-9"])


def vars_options():
    """--vars values: orders, duplicates, missing and extra names, keywords, junk."""
    return st.one_of(
        st.sampled_from(
            [
                "x",
                "x,y",
                "y,x",
                "x,y,z",
                "x,x",
                "a",
                "x,y,z,w,v",
                "1x",
                "lambda",
                "pi",
                "",
                ",",
                "x y",
                "I",
                "E",
                "x,,y",
                "kx,ky",
                "t",
                "x;y",
                "é",
            ]
        ),
        st.text(max_size=8),
    )


def samples_options():
    """--samples values: tiny valid counts and invalid ones."""
    return st.sampled_from(["1000", "2000", "1e4", "0", "-5", "1e30", "inf", "nan", "1.5", "abc", "1"])


def adjacency_types():
    """Type names for ``adjacency``: valid, huge indices, junk."""
    return st.one_of(
        st.sampled_from(
            [
                "A1",
                "A2",
                "A3",
                "D4",
                "D5",
                "E6",
                "E7",
                "E8",
                "X9",
                "J10",
                "P8",
                "A100000",
                "D100000",
                "A10**9",
                "A-1",
                "A0",
                "D3",
                "E9",
                "X9(4)",
                "D4-",
                "A3+",
                "Z11",
                "A",
                "",
                "a3",
                "A1e9",
                "A99999999999999999999",
            ]
        ),
        st.text(max_size=8),
    )


# ---------------------------------------------------------------------------
# Whole command lines
# ---------------------------------------------------------------------------
TIMEOUT = 2.0
COMMANDS = ("rlct", "newton", "classify", "dos", "verify")
CONSTRAINTS = (
    "x + y <= 1",
    "x <= 1/2",
    "x <= 0.5",
    "x**2 + y**2 <= 1",
    "x >= 2",
    "x < 0",
    "x = 0",
    "z <= 1",
    "x <= pi",
    "q <= 1",
    "x <=",
    "1 <= 2",
    "x*y >= 0",
)


@st.composite
def command_lines(draw):
    """``(argv, limit)``: a command with a function and a random subset of the common options.

    ``limit`` is the time limit the command line asks for: its ``--timeout``
    when that is valid (always <= 2 s here), else 2 s (argparse refuses at once).
    """
    command = draw(st.sampled_from(COMMANDS))
    argv = [command, draw(functions())]
    options = {"--vars": vars_options(), "--point": point_options(), "--params": params_options()}
    if command == "verify":
        options |= {
            "--samples": samples_options(),
            "--box": box_options(),
            "--seed": st.sampled_from(["0", "7", "-1", "x"]),
        }
    if command == "dos":
        options |= {"--periods": st.sampled_from(["2*pi", "2*pi,2*pi", "1", "0", "-1", "pi,x", "oo"])}
    for option, values in options.items():
        if draw(st.integers(0, 3)) == 0:
            argv += [option, draw(values)] if draw(st.booleans()) else [f"{option}={draw(values)}"]
    for flag in ("--json", "--rationalize", "--torus") if command == "dos" else ("--json", "--rationalize"):
        if draw(st.integers(0, 3)) == 0:
            argv.append(flag)
    if command == "verify" and not any(a.startswith("--samples") for a in argv):
        argv += ["--samples", "2000"]
    timeout = draw(st.one_of(st.just(str(TIMEOUT)), st.just("1"), st.just("0.5"), timeout_options()))
    argv += ["--timeout", timeout]
    return argv, _valid_timeout(timeout) or TIMEOUT


def _valid_timeout(text):
    try:
        value = float(text)
    except ValueError:
        return None
    return value if 0 < value <= TIMEOUT else None


@st.composite
def global_lines(draw):
    """``rlct --global`` with a random loss (or any polynomial), box and constraints."""
    loss = draw(st.one_of(losses(), polynomials(max_vars=3)))
    box = draw(st.one_of(st.just("-1:1"), st.just("0:1"), box_options()))  # two valid boxes in three
    argv = ["rlct", loss.text, "--global", f"--box={box}", "--timeout", str(TIMEOUT)]
    for _ in range(draw(st.integers(0, 2))):
        argv.append(f"--constraint={draw(st.sampled_from(CONSTRAINTS))}")
    if draw(st.booleans()):
        argv.append("--json")
    return argv
