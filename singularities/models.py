"""Losses K(w) built from models: regression losses, reduced rank regression, two-layer networks.

For a regression model y = f(x, w) + noise with a true parameter w0, the
population loss is (up to the noise variance, which only rescales K and so
leaves lambda and m unchanged)

    K(w) = E_x[ |f(x, w) - f(x, w0)|^2 ],

summed over the outputs when f is vector valued.  Two input laws are
supported, each with independent coordinates: x ~ N(0, I)
(E[x^(2k)] = (2k - 1)!!, odd moments 0) and x uniform on a box
(E[x^k] = (u^(k+1) - l^(k+1)) / ((k + 1)(u - l)) on [l, u]).

If f is a polynomial in x, K is computed exactly from these moments.  An
analytic model (tanh, sigmoid, exp, ...) is expanded in a Taylor series in
the parameters around w0: with ``order=N`` the result is the jet K_N with
K = K_N + O(|w - w0|^(N + 1)), and it says so (``RegressionLoss.order``).
A jet is a statement about K_N, not about K; see docs/slt.md.
"""

from dataclasses import dataclass, field

import sympy

from ._exact import parse_exact, point_text
from ._limits import Deadline
from ._result import Result, parse_field, register
from .domain import box_text, parse_box, parse_symbols
from .energy import Energy, natural_key
from .errors import InputError
from .jets import Truncation, minimal_generators, monomial_ideal

__all__ = [
    "RegressionLoss",
    "deep_linear_network_loss",
    "regression_loss",
    "reduced_rank_regression_loss",
    "two_layer_network_loss",
    "moment",
    "DISTRIBUTIONS",
    "ACTIVATIONS",
]

DISTRIBUTIONS = ("gaussian", "uniform")
_z = sympy.Symbol("z")
ACTIVATIONS = {
    "tanh": sympy.tanh(_z),
    "sigmoid": 1 / (1 + sympy.exp(-_z)),
    "exp": sympy.exp(_z),
    "sin": sympy.sin(_z),
    "identity": _z,
    "square": _z**2,
}


@register("regression_loss")
@dataclass(frozen=True, slots=True)
class RegressionLoss(Result):
    """A loss K(w) = E_x[|f(x, w) - f(x, w0)|^2], exact or as a Taylor jet.

    Attributes
    ----------
    expr : sympy.Expr
        K(w), or its Taylor jet K_N when ``order`` is N.
    parameters : tuple of sympy.Symbol
        The parameters w, in order (the variables of K).
    true_parameters : tuple
        The true parameter w0, exact; K(w0) = 0.
    order : int or None
        None when ``expr`` is K exactly; N when K = expr + O(|w - w0|^(N + 1)).
    distribution : str
        "gaussian" (x ~ N(0, I)) or "uniform" (on ``box``).
    model : tuple of sympy.Expr
        The output components f_k(x, w).
    inputs : tuple of sympy.Symbol
        The inputs x.
    box : tuple of (lower, upper) or None
        The input box for the uniform law.
    """

    expr: sympy.Expr
    parameters: tuple
    true_parameters: tuple
    order: int = None
    distribution: str = "gaussian"
    model: tuple = field(default=(), repr=False)
    inputs: tuple = field(default=(), repr=False)
    box: tuple = field(default=None, repr=False)

    @property
    def exact(self):
        """Whether ``expr`` is K itself (not a truncated Taylor jet)."""
        return self.order is None

    @property
    def energy(self):
        """K as an :class:`Energy` in the parameters, with the true parameter as its point.

        For a jet (``order`` not None) the Energy is K_N with a
        :class:`~singularities.jets.Truncation`: K = K_N + R, R of order
        N + 1 in the monomial ideal :meth:`remainder_ideal`, and a way to
        recompute the jet to a higher order.  ``rlct`` answers for K from it
        (proven only with a sufficiency argument); for K_N as a polynomial of
        its own, use ``Energy(loss.expr, loss.parameters, point=loss.true_parameters)``.
        """
        if self.exact:
            return Energy(self.expr, self.parameters, point=self.true_parameters)
        truncation = Truncation(
            self.order, tuple(self.true_parameters), self.remainder_ideal(), recompute=self._jet_energy
        )
        return Energy(self.expr, self.parameters, point=self.true_parameters, truncation=truncation)

    def remainder_ideal(self):
        """Generators (exponents in w - w0) of a monomial ideal that contains K, hence K - K_N.

        r_k = f_k(x, w) - f_k(x, w0) lies in the ideal I_k that
        :func:`~singularities.jets.monomial_ideal` reads off f_k term by term
        (a term that does not vanish at w0 contributes the maximal ideal), so
        K = sum_k E_x[r_k^2] lies in sum_k I_k^2.

        Examples
        --------
        >>> from singularities.models import two_layer_network_loss
        >>> two_layer_network_loss(2, order=5).remainder_ideal()   # (a1 b1, a2 b2)^2
        ((2, 0, 2, 0), (1, 1, 1, 1), (0, 2, 0, 2))
        """
        generators = []
        for f in self.model:
            ideal = _residual_ideal(f, self.parameters, self.true_parameters)
            generators += [tuple(a + b for a, b in zip(g, h)) for g in ideal for h in ideal]
        return minimal_generators(generators)

    def _jet_energy(self, order):
        """The jet of another order of the same loss, as an Energy with its Truncation."""
        return regression_loss(
            self.model,
            self.parameters,
            self.true_parameters,
            self.inputs,
            distribution=self.distribution,
            box=self.box,
            order=order,
        ).energy

    def to_rows(self):
        law = "N(0, I)" if self.distribution == "gaussian" else "uniform on " + box_text(self.box)
        rows = [
            ("model f(x, w)", ", ".join(map(sympy.sstr, self.model))),
            ("inputs x", f"{', '.join(map(str, self.inputs))} ~ {law}"),
            ("true parameter w0", point_text(self.true_parameters)),
            ("K(w)" if self.exact else f"K(w), jet of order {self.order}", self.expr),
            ("exact", "yes" if self.exact else f"no: K = jet + O(|w - w0|^{self.order + 1})"),
        ]
        if not self.exact:
            rows.append(("K lies in the monomial ideal", _ideal_text(self.remainder_ideal(), self.parameters)))
        return ("quantity", "value"), rows

    @classmethod
    def from_dict(cls, data):
        """Rebuild the loss from :meth:`to_dict` output."""
        symbols = lambda names: tuple(sympy.Symbol(n) for n in names)  # noqa: E731
        box = data["box"]
        return cls(
            parse_field(data["function"]),
            symbols(data["variables"]),
            tuple(parse_field(c) for c in data["point"]),
            data["order"],
            data["distribution"],
            tuple(parse_field(f) for f in data["model"]),
            symbols(data["inputs"]),
            None if box is None else tuple((parse_field(lo), parse_field(hi)) for lo, hi in box),
        )

    def to_dict(self):
        return {
            "kind": "regression_loss",
            "function": sympy.sstr(self.expr),
            "variables": [str(p) for p in self.parameters],
            "point": [sympy.sstr(c) for c in self.true_parameters],
            "order": self.order,
            "exact": self.exact,
            "distribution": self.distribution,
            "model": [sympy.sstr(f) for f in self.model],
            "inputs": [str(x) for x in self.inputs],
            "box": None if self.box is None else [[sympy.sstr(lo), sympy.sstr(hi)] for lo, hi in self.box],
            "remainder_ideal": None if self.exact else [list(g) for g in self.remainder_ideal()],
        }


def regression_loss(
    model, parameters, true_parameters, inputs, *, distribution="gaussian", box=None, order=None, timeout=None
):
    """K(w) = E_x[|f(x, w) - f(x, w0)|^2] for a regression model, exactly or as a Taylor jet.

    Parameters
    ----------
    model : str, sympy.Expr or sequence of them
        f(x, w); a sequence gives a vector output (K sums over outputs).
    parameters : str or sequence
        The parameters w (``"a,b"``), in order.
    true_parameters : str, sequence or dict
        w0, exact (``"0,0"``, ``[0, 1/2]`` or ``{"a": 0, "b": 0}``).
    inputs : str or sequence
        The inputs x.
    distribution : {"gaussian", "uniform"}
        x ~ N(0, I), or x uniform on ``box`` (independent coordinates).
    box : str or sequence, optional
        For "uniform": ``"-1:1"`` (every input), ``"x=0:1,y=-1:1"`` or
        ``[(0, 1), (-1, 1)]``.  Default [-1, 1] for every input.
    order : int, optional
        For models that are not polynomial in x: the Taylor order N in
        w - w0; the result K_N satisfies K = K_N + O(|w - w0|^(N + 1)).
    timeout : float, optional
        Time limit in seconds.

    Returns
    -------
    RegressionLoss

    Raises
    ------
    InputError
        If f is not polynomial in x and no ``order`` is given, or if a Taylor
        coefficient of f in w is not polynomial in x (its moments then have
        no closed form).

    Examples
    --------
    >>> from singularities.models import regression_loss
    >>> loss = regression_loss("a*b*x", "a,b", "0,0", "x")
    >>> loss.expr, loss.exact
    (a**2*b**2, True)
    >>> regression_loss("a*x + b*x**2", "a,b", "0,0", "x", distribution="uniform", box="0:1").expr
    a**2/3 + a*b/2 + b**2/5
    >>> jet = regression_loss("a*tanh(b*x)", "a,b", "0,0", "x", order=6)
    >>> jet.expr, jet.order
    (-2*a**2*b**4 + a**2*b**2, 6)
    """
    deadline = Deadline.coerce(timeout)
    if distribution not in DISTRIBUTIONS:
        raise InputError(f"unknown distribution {distribution!r}; choose one of {', '.join(DISTRIBUTIONS)}")
    xs, ws = parse_symbols(inputs, "input"), parse_symbols(parameters, "parameter")
    if set(xs) & set(ws):
        raise InputError("a name is both an input and a parameter; give each name one role")
    w0 = _true_point(true_parameters, ws)
    outputs = _model(model, xs + ws)
    bounds = parse_box(box if box is not None else "-1:1", xs).bounds if distribution == "uniform" else None
    if order is None:
        residuals = [_exact_residual(f, xs, ws, w0) for f in outputs]
        expr = _expectation(sum(r**2 for r in residuals), xs, distribution, bounds, deadline)
    else:
        expr = _jet_loss(outputs, xs, ws, w0, _order(order), distribution, bounds, deadline)
    return RegressionLoss(expr, ws, w0, order, distribution, tuple(outputs), xs, bounds)


def reduced_rank_regression_loss(inputs, outputs, rank, true_rank=0, *, true_factors=None):
    """Reduced rank regression: K = ||B A - B0 A0||_F^2 with named matrix entries.

    The model is y = B A x + noise with A an H x M and B an N x H matrix
    (M inputs, N outputs, rank H); with x ~ N(0, I) the regression loss is
    exactly the squared Frobenius norm (E[x x^T] = I).  The entries are
    named ``a{i}_{j}`` = A[i, j] and ``b{i}_{j}`` = B[i, j] (1-based).

    Parameters
    ----------
    inputs, outputs, rank : int
        M, N and H.
    true_rank : int
        r <= H.  The true point is B0 = [[I_r, 0], [0, 0]] (N x H) and
        A0 = [[I_r, 0], [0, 0]] (H x M): the most singular true point, where
        Aoyagi and Watanabe's global lambda is attained.
    true_factors : (B0, A0), optional
        Other true factors (exact matrices), instead of ``true_rank``.

    Examples
    --------
    >>> from singularities.models import reduced_rank_regression_loss
    >>> loss = reduced_rank_regression_loss(2, 1, 1)
    >>> loss.parameters, loss.expr
    ((a1_1, a1_2, b1_1), a1_1**2*b1_1**2 + a1_2**2*b1_1**2)
    >>> reduced_rank_regression_loss(1, 1, 1, 1).true_parameters
    (1, 1)
    """
    M, N, H, r = (
        _positive_int(v, name)
        for v, name in ((inputs, "inputs"), (outputs, "outputs"), (rank, "rank"), (true_rank, "true_rank"))
    )
    if min(M, N, H) == 0:
        raise InputError("inputs, outputs and rank must be at least 1")
    if r > min(H, M, N):
        raise InputError(
            f"true_rank {r} exceeds min(rank, inputs, outputs) = {min(H, M, N)}; the true rank must be realisable"
        )
    A = sympy.Matrix(H, M, lambda i, j: sympy.Symbol(f"a{i + 1}_{j + 1}"))
    B = sympy.Matrix(N, H, lambda i, j: sympy.Symbol(f"b{i + 1}_{j + 1}"))
    B0, A0 = true_factors if true_factors is not None else (_corner_identity(N, H, r), _corner_identity(H, M, r))
    B0, A0 = sympy.Matrix(B0), sympy.Matrix(A0)
    if B0.shape != B.shape or A0.shape != A.shape:
        raise InputError(f"true_factors must have shapes {B.shape} and {A.shape}, got {B0.shape} and {A0.shape}")
    difference = [entry for entry in (sympy.expand(e) for e in B * A - B0 * A0) if entry != 0]
    expr = sympy.Add(*(entry**2 for entry in difference))  # kept a sum of squares: rlct reads the ideal of the entries
    ws = tuple(sorted(A.free_symbols | B.free_symbols, key=lambda s: natural_key(s.name)))
    at = {**dict(zip(A, A0)), **dict(zip(B, B0))}
    w0 = tuple(sympy.nsimplify(at[w]) for w in ws)
    xs = sympy.symbols(f"x1:{M + 1}")
    model = tuple(sympy.expand((B * A * sympy.Matrix(xs))[k]) for k in range(N))
    return RegressionLoss(expr, ws, w0, None, "gaussian", model, tuple(xs), None)


def deep_linear_network_loss(widths, true_rank=0, *, true_factors=None):
    """A deep linear network: K = ||W_L ... W_1 - C||_F^2 with named matrix entries.

    The model is y = W_L ... W_1 x + noise with W_l of size H_l x H_(l-1)
    for the widths (H_0, ..., H_L) (H_0 inputs, H_L outputs); with x ~ N(0, I)
    the regression loss is exactly the squared Frobenius norm.  The entries
    are named ``w{l}_{i}_{j}`` = W_l[i, j] (1-based).  Two widths' worth of
    layers (L = 2) is reduced rank regression with A = W_1, B = W_2.

    Parameters
    ----------
    widths : sequence of int
        (H_0, H_1, ..., H_L), L >= 1.
    true_rank : int
        r <= min(widths).  The true point has W_l0 = [[I_r, 0], [0, 0]] for
        every layer: the most singular true point, where Aoyagi's global
        lambda is attained.
    true_factors : sequence of matrices, optional
        Other true factors (W_1^0, ..., W_L^0), exact, instead of ``true_rank``.

    Examples
    --------
    >>> from singularities.models import deep_linear_network_loss
    >>> loss = deep_linear_network_loss((1, 1, 1, 1))
    >>> loss.parameters, loss.expr
    ((w1_1_1, w2_1_1, w3_1_1), w1_1_1**2*w2_1_1**2*w3_1_1**2)
    """
    widths = tuple(_positive_int(h, "width") for h in _sequence_of(widths, "widths"))
    r = _positive_int(true_rank, "true_rank")
    if len(widths) < 2 or min(widths) == 0:
        raise InputError("widths must be at least two positive integers (H_0 inputs, ..., H_L outputs)")
    if r > min(widths):
        raise InputError(f"true_rank {r} exceeds the smallest width {min(widths)}; the true rank must be realisable")
    layers = [
        sympy.Matrix(widths[l], widths[l - 1], lambda i, j, l=l: sympy.Symbol(f"w{l}_{i + 1}_{j + 1}"))
        for l in range(1, len(widths))
    ]
    if true_factors is None:
        true_layers = [_corner_identity(W.rows, W.cols, r) for W in layers]
    else:
        true_layers = [sympy.Matrix(W0) for W0 in true_factors]
        if [W0.shape for W0 in true_layers] != [W.shape for W in layers]:
            raise InputError(f"true_factors must have shapes {[W.shape for W in layers]}")
    product, true_product = layers[0], true_layers[0]
    for W, W0 in zip(layers[1:], true_layers[1:]):
        product, true_product = W * product, W0 * true_product
    difference = [entry for entry in (sympy.expand(e) for e in product - true_product) if entry != 0]
    expr = sympy.Add(*(entry**2 for entry in difference))
    ws = tuple(sorted(set().union(*(W.free_symbols for W in layers)), key=lambda s: natural_key(s.name)))
    at = {w: v for W, W0 in zip(layers, true_layers) for w, v in zip(W, W0)}
    w0 = tuple(sympy.nsimplify(at[w]) for w in ws)
    xs = sympy.symbols(f"x1:{widths[0] + 1}")
    model = tuple(sympy.expand((product * sympy.Matrix(xs))[k]) for k in range(widths[-1]))
    return RegressionLoss(expr, ws, w0, None, "gaussian", model, tuple(xs), None)


def _sequence_of(values, name):
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise InputError(f"{name} must be a sequence of integers such as (2, 3, 2)")
    return list(values)


def two_layer_network_loss(
    width,
    *,
    activation="tanh",
    inputs=1,
    true_parameters=None,
    distribution="gaussian",
    box=None,
    order=None,
    timeout=None,
):
    """The loss of f(x, w) = sum_j a_j * sigma(sum_i b_ji x_i), a two-layer network without biases.

    Parameters
    ----------
    width : int
        The number of hidden units H.
    activation : str or sympy.Expr
        A name in ``ACTIVATIONS`` ("tanh", "sigmoid", "exp", "sin",
        "identity", "square") or an expression in ``z``.
    inputs : int
        The input dimension; the weights are ``b{j}`` for one input and
        ``b{j}_{i}`` otherwise, the output weights ``a{j}``.
    true_parameters : sequence, optional
        w0 in the order of the parameters (a's, then b's); default all 0
        (the true function is 0).
    distribution, box, order, timeout
        As for :func:`regression_loss`; a non-polynomial activation needs ``order``.

    Examples
    --------
    >>> from singularities.models import two_layer_network_loss
    >>> two_layer_network_loss(1, order=5).expr
    a1**2*b1**2
    >>> two_layer_network_loss(1, activation="square").expr
    3*a1**2*b1**4
    """
    H, d = _positive_int(width, "width"), _positive_int(inputs, "inputs")
    if H == 0 or d == 0:
        raise InputError("width and inputs must be at least 1")
    sigma = _activation(activation)
    xs = sympy.symbols("x") if d == 1 else sympy.symbols(f"x1:{d + 1}")
    xs = (xs,) if d == 1 else tuple(xs)
    a = sympy.symbols(f"a1:{H + 1}")
    b = [[sympy.Symbol(f"b{j + 1}" if d == 1 else f"b{j + 1}_{i + 1}") for i in range(d)] for j in range(H)]
    f = sum(a[j] * sigma.xreplace({_z: sum(bji * x for bji, x in zip(b[j], xs))}) for j in range(H))
    ws = tuple(a) + tuple(w for row in b for w in row)
    w0 = true_parameters if true_parameters is not None else (0,) * len(ws)
    return regression_loss(f, ws, w0, xs, distribution=distribution, box=box, order=order, timeout=timeout)


def moment(exponents, distribution="gaussian", box=None):
    """E[x^e] for independent coordinates: N(0, 1) each, or uniform on the box.

    Examples
    --------
    >>> from singularities.models import moment
    >>> [moment((k,)) for k in range(7)]
    [1, 0, 1, 0, 3, 0, 15]
    >>> moment((2, 1), "uniform", [(0, 1), (0, 2)])
    1/3
    """
    if distribution == "gaussian":
        return sympy.Mul(*(0 if e % 2 else sympy.factorial2(e - 1) for e in exponents))
    bounds = [(parse_exact(lo), parse_exact(hi)) for lo, hi in box]
    return sympy.Mul(
        *((hi ** (e + 1) - lo ** (e + 1)) / ((e + 1) * (hi - lo)) for e, (lo, hi) in zip(exponents, bounds))
    )


def _true_point(values, ws):
    if isinstance(values, dict):
        values = {str(k): v for k, v in values.items()}
        missing = [w.name for w in ws if w.name not in values]
        if missing or len(values) != len(ws):
            raise InputError(f"true_parameters must give a value for each of {', '.join(w.name for w in ws)}")
        values = [values[w.name] for w in ws]
    return Energy(sympy.Integer(0), ws, point=values).point


def _model(model, names):
    items = [model] if isinstance(model, (str, sympy.Basic)) else list(model)
    if not items:
        raise InputError("the model has no output; give f(x, w) as an expression")
    return [Energy(f, names).expr for f in items]


def _exact_residual(f, xs, ws, w0):
    if not f.is_polynomial(*xs):
        raise InputError(
            f"the model {f} is not a polynomial in the inputs {', '.join(map(str, xs))}; "
            "pass order=N to expand it in the parameters (the loss is then a Taylor jet of order N)"
        )
    return f - f.xreplace(dict(zip(ws, w0)))


def _expectation(expr, xs, distribution, bounds, deadline):
    """E_x of a polynomial in x (coefficients may involve w), term by term from the moments."""
    poly = sympy.Poly(sympy.expand(expr), *xs)
    total = []
    for i, (exponents, coefficient) in enumerate(poly.terms()):
        if i % 64 == 0:
            deadline.check("moments of the inputs")
        total.append(coefficient * moment(exponents, distribution, bounds))
    return sympy.expand(sympy.Add(*total))


def _residual_ideal(f, ws, w0):
    """A monomial ideal (in w - w0) containing f(x, w) - f(x, w0): term by term, the maximal ideal for a term
    not vanishing at w0."""
    n = len(ws)
    maximal = tuple(tuple(int(i == j) for j in range(n)) for i in range(n))
    generators = []
    for term in sympy.Add.make_args(f):
        ideal = monomial_ideal(term, ws, w0)
        generators += maximal if ideal == ((0,) * n,) else ideal
    return minimal_generators(generators)


def _ideal_text(generators, ws):
    """(a1**2*b1**2, ...) in w - w0; (1) for the unit ideal."""
    monomials = ["*".join(str(w) if e == 1 else f"{w}**{e}" for w, e in zip(ws, g) if e) or "1" for g in generators]
    return "(" + ", ".join(monomials) + ") in w - w0"


def _jet_loss(outputs, xs, ws, w0, order, distribution, bounds, deadline):
    """The Taylor jet K_N of K in w - w0: E of the squared residual jet of order N - 1, truncated at N."""
    t = sympy.Dummy("t")
    shift = {w: c + t * w for w, c in zip(ws, w0)}
    square = 0
    for f in outputs:
        deadline.check("Taylor expansion of the model")
        residual = _series(f.xreplace(shift), t, order - 1) - f.xreplace(dict(zip(ws, w0)))
        residual = sympy.expand(residual)
        if not residual.is_polynomial(*xs):
            raise InputError(
                f"a Taylor coefficient of {f} at w0 is not polynomial in the inputs, "
                "so its moments have no closed form; "
                "choose a true parameter where the inner weights vanish, or a polynomial activation"
            )
        square += residual**2
    jet = _truncate(_expectation(square, xs, distribution, bounds, deadline), ws, order)
    back = {w: w - c for w, c in zip(ws, w0) if c != 0}
    return sympy.expand(jet.xreplace(back)) if back else jet


def _series(expr, t, degree):
    """The Taylor polynomial of expr in t up to t^degree (each additive term separately)."""
    terms = sympy.Add.make_args(sympy.expand(expr, deep=False))
    return sympy.Add(*(sympy.series(term, t, 0, degree + 1).removeO() for term in terms)).xreplace({t: 1})


def _truncate(expr, ws, order):
    poly = sympy.Poly(expr, *ws)
    return sympy.Add(
        *(c * sympy.Mul(*(w**e for w, e in zip(ws, exps))) for exps, c in poly.terms() if sum(exps) <= order)
    )


def _order(order):
    if isinstance(order, bool) or not isinstance(order, int) or order < 2:
        raise InputError(f"order must be an integer >= 2 (the Taylor order of K in w - w0), got {order!r}")
    return order


def _positive_int(value, name):
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError(f"{name} must be a non-negative integer, got {value!r}")
    return value


def _corner_identity(rows, columns, r):
    return sympy.Matrix(rows, columns, lambda i, j: 1 if i == j and i < r else 0)


def _activation(activation):
    if isinstance(activation, str) and activation in ACTIVATIONS:
        return ACTIVATIONS[activation]
    expr = Energy(activation, "z").expr if isinstance(activation, str) else sympy.sympify(activation)
    if expr.free_symbols - {_z}:
        raise InputError(
            f"the activation {activation!r} must be a function of z alone (or one of {', '.join(ACTIVATIONS)})"
        )
    return expr
