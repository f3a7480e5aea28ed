"""Straight-line code from sympy expressions: common subexpressions, addition-chain powers, exact flop counts.

An expression (or several, e.g. a function and its gradient) is lowered to a
:class:`Program`: a list of three-address instructions in static single
assignment form over double-precision operands.  Shared subexpressions are
computed once (``sympy.cse`` plus structural hashing), integer powers become
products along a shortest addition chain (powers of one base share their
intermediate products), and numbers become float literals.  The program
prints as C statements (for the fused kernels of :mod:`.ckernel`) or as a
numpy function writing into preallocated buffers (the fallback backend).

Flops are counted exactly from the instructions: one per addition,
subtraction, multiplication and division; a negation is a sign flip and is
not counted; calls to ``sqrt``, ``cos``, ... are counted separately.
"""

from dataclasses import dataclass
from functools import cache

import numpy as np
import sympy

from ..energy import as_energy
from ..errors import InputError

__all__ = ["FlopCount", "Instruction", "Program", "straight_line", "addition_chain"]

_C_FUNCTIONS = {
    sympy.sin: "sin",
    sympy.cos: "cos",
    sympy.tan: "tan",
    sympy.asin: "asin",
    sympy.acos: "acos",
    sympy.atan: "atan",
    sympy.sinh: "sinh",
    sympy.cosh: "cosh",
    sympy.tanh: "tanh",
    sympy.asinh: "asinh",
    sympy.acosh: "acosh",
    sympy.atanh: "atanh",
    sympy.exp: "exp",
    sympy.log: "log",
    sympy.erf: "erf",
}
_NUMPY_NAMES = {
    "sin": "sin",
    "cos": "cos",
    "tan": "tan",
    "asin": "arcsin",
    "acos": "arccos",
    "atan": "arctan",
    "sinh": "sinh",
    "cosh": "cosh",
    "tanh": "tanh",
    "asinh": "arcsinh",
    "acosh": "arccosh",
    "atanh": "arctanh",
    "exp": "exp",
    "log": "log",
    "sqrt": "sqrt",
    "pow": "power",
}
_SYMBOLS = {"add": "+", "sub": "-", "mul": "*", "div": "/"}
_NUMPY_BINARY = {"add": "add", "sub": "subtract", "mul": "multiply", "div": "divide"}
_LARGEST_SHORTEST_CHAIN = 1024


@dataclass(frozen=True, slots=True)
class FlopCount:
    """Exact operation counts of a straight-line program.

    ``total`` (the flops) is additions + multiplications + divisions;
    subtractions count as additions, negations are free, and function
    calls (``sqrt``, ``cos``, ``pow``, ...) are listed in ``calls``.
    """

    additions: int
    multiplications: int
    divisions: int
    calls: tuple = ()

    @property
    def total(self):
        """Additions + multiplications + divisions."""
        return self.additions + self.multiplications + self.divisions


@dataclass(frozen=True, slots=True)
class Instruction:
    """``target = op(*args)``; args are operand names (str) or float literals.

    ``op`` is ``add``, ``sub``, ``mul``, ``div``, ``neg``, ``copy`` or
    ``call:<name>`` (a C math function of one argument, or ``pow`` of two).
    """

    target: str
    op: str
    args: tuple


@dataclass(frozen=True, slots=True)
class Program:
    """A straight-line program computing ``outputs`` from ``inputs`` (see :func:`straight_line`)."""

    inputs: tuple
    instructions: tuple
    outputs: tuple
    expressions: tuple

    @property
    def flops(self):
        """The exact :class:`FlopCount` of the instructions."""
        return _count(self.instructions)

    def c_source(self, names=None, indent="    ", functions=None):
        """C statements declaring ``const double`` temporaries and assigning ``out0, out1, ...``.

        ``names`` maps input names to C expressions (default: the names);
        ``functions`` maps C math function names to the names to call
        (default: the names; the kernels call ``sg_cos`` and ``sg_sin``).
        """
        rename = dict(names or {})
        calls = dict(functions or {})
        lines = [f"{indent}const double {i.target} = {_c_expression(i, rename, calls)};" for i in self.instructions]
        lines += [f"{indent}const double out{k} = {_c_operand(o, rename)};" for k, o in enumerate(self.outputs)]
        return "\n".join(lines)

    def numpy_source(self, name="evaluate"):
        """Source of ``name(x, out, work)``: writes output k into ``out[k]`` using scratch arrays ``work``."""
        slots, count = _allocate(self)
        lines = [f"def {name}(x, out, work):"]
        lines += [f"    {v} = x[{k}]" for k, v in enumerate(self.inputs)]
        for instruction in self.instructions:
            lines.append("    " + _numpy_statement(instruction, slots))
        for k, operand in enumerate(self.outputs):
            if slots.get(operand) != f"out[{k}]":
                lines.append("    " + _numpy_output(k, operand, slots))
        lines.append("    return out")
        return "\n".join(lines) + "\n", count

    def numpy_function(self):
        """``(function, n_work)``: the compiled :meth:`numpy_source` and how many scratch arrays it needs."""
        source, count = self.numpy_source()
        namespace = {"np": np}
        exec(compile(source, "<singularities.numeric.codegen>", "exec"), namespace)  # noqa: S102 - our own code
        return namespace["evaluate"], count

    def call_argument_bound(self, lo, hi, functions=("cos", "sin")):
        """An upper bound of |argument| of every call to ``functions`` for inputs in the box ``[lo, hi]``.

        Interval arithmetic over the instructions (in double precision; the
        caller keeps a margin for rounding): cos and sin give [-1, 1], sqrt
        its monotone image; a division by an interval containing 0 and every
        other function give an unbounded interval, so the bound is ``inf``
        whenever it is not known.  0.0 when there is no such call.

        Examples
        --------
        >>> from singularities.numeric.codegen import straight_line
        >>> straight_line("cos(3*x) + sin(x*y)").call_argument_bound([-1, -2], [1, 2])
        3.0
        """
        values = {name: (float(a), float(b)) for name, a, b in zip(self.inputs, lo, hi)}
        bound = 0.0
        for instruction in self.instructions:
            args = [(a, a) if isinstance(a, float) else values[a] for a in instruction.args]
            if instruction.op[5:] in functions:
                bound = max(bound, abs(args[0][0]), abs(args[0][1]))
            values[instruction.target] = _interval(instruction.op, args)
        return bound if np.isfinite(bound) else np.inf

    def evaluate(self, point):
        """Evaluate in double precision at one point (a sequence of floats), in the instruction order.

        Examples
        --------
        >>> from singularities.numeric.codegen import straight_line
        >>> straight_line("x**4 - y**2").evaluate([2.0, 3.0])
        (7.0,)
        """
        values = {name: float(v) for name, v in zip(self.inputs, point)}
        for instruction in self.instructions:
            values[instruction.target] = _apply(instruction, values)
        return tuple(_value(o, values) for o in self.outputs)


def straight_line(expressions, variables=None):
    """Lower sympy expressions to a :class:`Program` (cse, addition-chain powers, float literals).

    Parameters
    ----------
    expressions : str, sympy.Expr, Energy or sequence of them
        The outputs, in order (e.g. a function and its gradient).
    variables : sequence of str or Symbol, optional
        The inputs, in order; default the variables of the first expression
        (docs/conventions.md#functions-points-and-variables).  They are
        renamed ``x0, x1, ...`` in the program.

    Returns
    -------
    Program

    Raises
    ------
    InputError
        If a symbol is not among the variables (a parameter without a
        value) or a function has no C equivalent.

    Examples
    --------
    >>> from singularities.numeric.codegen import straight_line
    >>> program = straight_line("x**4 - y**2")
    >>> print(program.c_source())
        const double e0 = x0 * x0;
        const double e1 = e0 * e0;
        const double e2 = x1 * x1;
        const double e3 = e1 - e2;
        const double out0 = e3;
    >>> program.flops.total
    4
    """
    exprs, symbols = _expressions(expressions, variables)
    builder = _Builder({s: f"x{k}" for k, s in enumerate(symbols)})
    replacements, reduced = sympy.cse(exprs, symbols=sympy.numbered_symbols("_cse"), order="none")
    for symbol, value in replacements:
        builder.names[symbol] = builder.lower(value)
    outputs = tuple(builder.lower(e) for e in reduced)
    inputs = tuple(f"x{k}" for k in range(len(symbols)))
    return Program(inputs, tuple(builder.instructions), outputs, tuple(exprs))


@cache
def addition_chain(n):
    """A shortest addition chain ``(1, ..., n)``: each entry is the sum of two earlier ones.

    Found by iterative deepening for ``n <= 1024`` (star chains, optimal
    below 12509); larger ``n`` use the binary method.

    Examples
    --------
    >>> from singularities.numeric.codegen import addition_chain
    >>> addition_chain(15)
    (1, 2, 4, 5, 10, 15)
    >>> len(addition_chain(4)) - 1  # multiplications for x**4
    2
    """
    if n < 1:
        raise ValueError(f"an addition chain needs n >= 1, got {n}")
    if n > _LARGEST_SHORTEST_CHAIN:
        return _binary_chain(n)
    length = max(n.bit_length() - 1, 0)
    while True:
        chain = _search_chain([1], n, length)
        if chain is not None:
            return tuple(chain)
        length += 1


class _Builder:
    """Emits instructions, reusing identical operations and powers of one base."""

    def __init__(self, names):
        self.names = dict(names)
        self.instructions = []
        self.memo = {}
        self.powers = {}

    def emit(self, op, *args):
        key = (op, args if op not in ("add", "mul") else tuple(sorted(args, key=repr)))
        if key not in self.memo:
            target = f"e{len(self.instructions)}"
            self.instructions.append(Instruction(target, op, tuple(args)))
            self.memo[key] = target
        return self.memo[key]

    def lower(self, expr):
        if expr in self.names:
            return self.names[expr]
        if expr.is_Symbol:
            raise InputError(f"symbol {expr} has no value; list it as a variable or give the parameter a value")
        if not expr.free_symbols:
            return _literal(expr)
        if expr.is_Add:
            return self._add(expr)
        if expr.is_Mul:
            return self._mul(expr)
        if expr.is_Pow:
            return self._pow(expr.base, expr.exp)
        if expr.func in _C_FUNCTIONS:
            return self.emit(f"call:{_C_FUNCTIONS[expr.func]}", self.lower(expr.args[0]))
        raise InputError(
            f"cannot generate code for {expr.func.__name__}; write it with + - * / ** and elementary functions"
        )

    def _add(self, expr):
        signed = [self._signed_term(term) for term in expr.as_ordered_terms()]
        signed.sort(key=lambda pair: pair[0])  # positive terms first
        negative, result = signed[0]
        if negative:
            result = self.emit("neg", result)
        for negative, operand in signed[1:]:
            result = self.emit("sub" if negative else "add", result, operand)
        return result

    def _signed_term(self, term):
        coefficient, rest = term.as_coeff_Mul()
        if coefficient.is_negative:
            return True, self.lower(-term)
        return False, self.lower(term)

    def _mul(self, expr):
        coefficient, rest = expr.as_coeff_Mul()
        numerator, denominator, powers = [], [], {}
        for factor in sympy.Mul.make_args(rest):
            base, exponent = factor.as_base_exp()
            if exponent.is_Integer and exponent < 0:
                denominator.append(self._pow(base, -exponent))
            elif exponent.is_Integer and exponent > 1:
                powers.setdefault(int(exponent), []).append(base)
            else:
                numerator.append(self.lower(factor))
        for exponent, bases in powers.items():  # a**2*c**2 -> (a*c)**2 unless a**2 is known
            numerator += self._common_power(bases, exponent)
        if coefficient == -1:
            result = self.emit("neg", self._product(numerator))
        else:
            result = self._product(([] if coefficient == 1 else [_literal(coefficient)]) + numerator)
        if denominator:
            result = self.emit("div", result, self._product(denominator))
        return result

    def _common_power(self, bases, exponent):
        operands = [self.lower(b) for b in bases]
        known = [o for o in operands if exponent in self.powers.get(o, {})]
        fresh = [o for o in operands if o not in known]
        result = [self._integer_power(o, exponent) for o in known]
        if fresh:
            result.append(self._integer_power(self._product(fresh), exponent))
        return result

    def _product(self, operands):
        if not operands:
            return 1.0
        result = operands[0]
        for operand in operands[1:]:
            result = self.emit("mul", result, operand)
        return result

    def _pow(self, base, exponent):
        if exponent.is_Integer and exponent > 0:
            return self._integer_power(self.lower(base), int(exponent))
        if exponent.is_Integer:
            return self.emit("div", 1.0, self._integer_power(self.lower(base), int(-exponent)))
        if exponent == sympy.Rational(1, 2):
            return self.emit("call:sqrt", self.lower(base))
        if exponent == sympy.Rational(-1, 2):
            return self.emit("div", 1.0, self.emit("call:sqrt", self.lower(base)))
        return self.emit("call:pow", self.lower(base), self.lower(exponent))

    def _integer_power(self, base, n):
        known = self.powers.setdefault(base, {1: base})
        pairs = [k for k in known if n - k in known]
        if n not in known and pairs:
            known[n] = self.emit("mul", known[max(pairs)], known[n - max(pairs)])
        if n in known:
            return known[n]
        for entry in addition_chain(n)[1:]:
            if entry not in known:
                left = max(k for k in known if entry - k in known)
                known[entry] = self.emit("mul", known[left], known[entry - left])
        return known[n]


def _expressions(expressions, variables):
    items = (
        [expressions]
        if isinstance(expressions, (str, sympy.Basic)) or hasattr(expressions, "expr")
        else list(expressions)
    )
    energies = [as_energy(items[0], variables=variables)] if variables is not None else [as_energy(items[0])]
    symbols = energies[0].variables
    names = [str(s) for s in symbols]
    exprs = [energies[0].expr] + [as_energy(item, variables=names).expr for item in items[1:]]
    return [sympy.sympify(e) for e in exprs], symbols


def _search_chain(chain, n, length):
    last = chain[-1]
    if last == n:
        return chain
    if len(chain) > length or last << (length + 1 - len(chain)) < n:
        return None
    for i in range(len(chain) - 1, -1, -1):
        candidate = last + chain[i]
        if candidate <= n:
            found = _search_chain(chain + [candidate], n, length)
            if found is not None:
                return found
    return None


def _binary_chain(n):
    chain = [1]
    for bit in bin(n)[3:]:
        chain.append(chain[-1] * 2)
        if bit == "1":
            chain.append(chain[-1] + 1)
    return tuple(chain)


def _literal(expr):
    value = float(sympy.N(expr, 20))
    if not np.isfinite(value):
        raise InputError(f"the constant {expr} is not a finite real number")
    return value


def _count(instructions):
    counts = {"add": 0, "sub": 0, "mul": 0, "div": 0}
    calls = {}
    for instruction in instructions:
        if instruction.op in counts:
            counts[instruction.op] += 1
        elif instruction.op.startswith("call:"):
            name = instruction.op[5:]
            calls[name] = calls.get(name, 0) + 1
    return FlopCount(counts["add"] + counts["sub"], counts["mul"], counts["div"], tuple(sorted(calls.items())))


def _c_operand(operand, rename):
    if isinstance(operand, float):
        return f"({operand!r})"
    return rename.get(operand, operand)


def _c_expression(instruction, rename, calls):
    args = [_c_operand(a, rename) for a in instruction.args]
    if instruction.op in _SYMBOLS:
        return f"{args[0]} {_SYMBOLS[instruction.op]} {args[1]}"
    if instruction.op == "neg":
        return f"-{args[0]}"
    name = instruction.op[5:]
    return f"{calls.get(name, name)}({', '.join(args)})"


def _apply(instruction, values):
    args = [_value(a, values) for a in instruction.args]
    op = instruction.op
    if op in _SYMBOLS:
        return {
            "add": lambda a, b: a + b,
            "sub": lambda a, b: a - b,
            "mul": lambda a, b: a * b,
            "div": lambda a, b: a / b,
        }[op](*args)
    if op == "neg":
        return -args[0]
    name = _NUMPY_NAMES.get(op[5:])
    if name is None:
        raise InputError(f"{op[5:]} has no numpy equivalent; use the C backend")
    return float(getattr(np, name)(*args))


_UNBOUNDED = (-np.inf, np.inf)


def _interval(op, args):
    """The interval image of ``op`` on the argument intervals (unbounded when unknown or NaN)."""
    if op in ("add", "sub", "mul"):
        (a, b), (c, d) = args
        with np.errstate(all="ignore"):
            ends = {"add": (a + c, b + d), "sub": (a - d, b - c), "mul": (a * c, a * d, b * c, b * d)}[op]
        return _UNBOUNDED if any(np.isnan(e) for e in ends) else (min(ends), max(ends))
    if op == "div":
        (a, b), (c, d) = args
        return _interval("mul", [(a, b), (1.0 / d, 1.0 / c)]) if c > 0 or d < 0 else _UNBOUNDED
    if op == "neg":
        return (-args[0][1], -args[0][0])
    if op == "copy":
        return args[0]
    if op in ("call:cos", "call:sin"):
        return (-1.0, 1.0)
    if op == "call:sqrt" and args[0][0] >= 0:
        return (float(np.sqrt(args[0][0])), float(np.sqrt(args[0][1])))
    return _UNBOUNDED


def _value(operand, values):
    return operand if isinstance(operand, float) else values[operand]


def _allocate(program):
    """Name the array each temporary is written to: ``out[k]`` for outputs, else a reused ``work[i]``.

    A linear scan over the instructions frees a scratch array after the last
    use of its value, so the fallback touches few arrays (they stay in cache).
    """
    last_use = {}
    for position, instruction in enumerate(program.instructions):
        for arg in instruction.args:
            if isinstance(arg, str):
                last_use[arg] = position
    outputs = {}
    for k, operand in enumerate(program.outputs):
        if isinstance(operand, str) and operand not in outputs and operand not in program.inputs:
            outputs[operand] = f"out[{k}]"
    slots, free, count = {}, [], 0
    for position, instruction in enumerate(program.instructions):
        for arg in {a for a in instruction.args if isinstance(a, str)}:
            if slots.get(arg, "").startswith("work") and last_use.get(arg) == position and arg not in outputs:
                free.append(slots[arg])
        if instruction.target in outputs:
            slots[instruction.target] = outputs[instruction.target]
        elif free:
            slots[instruction.target] = free.pop()
        else:
            slots[instruction.target], count = f"work[{count}]", count + 1
    return slots, count


def _numpy_statement(instruction, slots):
    args = [repr(a) if isinstance(a, float) else slots.get(a, a) for a in instruction.args]
    target = slots[instruction.target]
    if instruction.op in _NUMPY_BINARY:
        return f"np.{_NUMPY_BINARY[instruction.op]}({args[0]}, {args[1]}, out={target})"
    if instruction.op == "neg":
        return f"np.negative({args[0]}, out={target})"
    name = _NUMPY_NAMES.get(instruction.op[5:])
    if name is None:
        raise InputError(f"{instruction.op[5:]} has no numpy ufunc; install a C compiler to use the C backend")
    return f"np.{name}({', '.join(args)}, out={target})"


def _numpy_output(k, operand, slots):
    if isinstance(operand, float):
        return f"out[{k}].fill({operand!r})"
    return f"np.copyto(out[{k}], {slots.get(operand, operand)})"
