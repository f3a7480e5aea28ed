"""The local learning coefficient of a model over data: ``llc`` for a loss given as a Python callable.

SLT practice (Lau, Furman, Wang, Murfet, Wei, "The local learning coefficient",
2023) estimates the learning coefficient at a parameter w0 of a model trained
on n data points by the tempered posterior p(w) ~ exp(-n beta L_n(w)) localised
near w0:

    lambda_hat = n beta (E[L_n(w)] - L_n(w0)),   beta = 1 / log n,

which is lambda - (m - 1) / log(n beta) + ... when w0 is a minimum of the
population loss (docs/verify.md#local-learning-coefficients).  The draws come
from the same vectorised Metropolis-adjusted Langevin chains as
:func:`~singularities.numeric.posterior.learning_coefficient` (step size and
diagonal preconditioner tuned during warm-up, then frozen: an exact MCMC), on
the loss the user gives: ``loss(w, *data)`` on numpy arrays, with its gradient
``grad(w, *data)`` or, without one, central differences.  The localisation is
a uniform prior on the box w0 + [-radius, radius]^d.  The interval is Student
t over independent chains; R-hat, the effective sample size and the
acceptance rate say whether to trust it.
"""

import math
import time
from dataclasses import dataclass, field

import numpy as np

from .._limits import Deadline
from .._result import Result, register
from ..errors import InputError, NumericError
from .fit import NumericEstimate
from .posterior import ChainDiagnostics, _Sampler, chain_estimate
from .sampling import resolve_seed

__all__ = ["LLCEstimate", "llc", "sample_llc"]

#: Above this fraction of proposals leaving the box, the result says that the box truncates the posterior.
BOX_EXIT_WARNING = 0.01
#: Points kept of the mean trace n beta (L_n(w) - L_n(w0)) per draw (thinned evenly).
TRACE_POINTS = 200
#: Seconds between progress reports (and deadline checks) inside one sampler step.
PROGRESS_INTERVAL = 0.25


@register("llc")
@dataclass(frozen=True, slots=True)
class LLCEstimate(Result):
    """lambda_hat = n beta (E[L_n] - L_n(w0)) of a loss over data, with its chains' diagnostics.

    Attributes
    ----------
    estimate : NumericEstimate
        lambda_hat with its interval (Student t over chains).
    n, beta : float
        The sample size and the inverse temperature.
    chain_means : tuple of float
        lambda_hat of each chain.
    loss_at_point : float
        L_n(w0).
    gradient : str
        "given" or the finite-difference rule used.
    box_exits : float
        The fraction of proposals after warm-up that left the localising box:
        above BOX_EXIT_WARNING the box truncates the posterior and lambda_hat
        is biased low (give a larger ``radius``).
    trace : tuple of float
        n beta (L_n(w) - L_n(w0)) averaged over chains, thinned to at most
        TRACE_POINTS draws (the trace plot).
    diagnostics : ChainDiagnostics
    """

    estimate: NumericEstimate
    n: float
    beta: float
    chain_means: tuple
    loss_at_point: float
    gradient: str
    box_exits: float
    trace: tuple = field(repr=False)
    diagnostics: ChainDiagnostics = field(repr=False)

    def to_rows(self):
        e, d = self.estimate, self.diagnostics
        rows = [
            ("llc (lambda_hat)", f"{e.value:.5f}", f"[{e.interval[0]:.5f}, {e.interval[1]:.5f}]"),
            ("n, beta", f"{self.n:g}, {self.beta:.5g}", ""),
            ("L_n(w0)", f"{self.loss_at_point:.6g}", ""),
            ("gradient", self.gradient, ""),
            ("box exits", f"{self.box_exits:.4f}", self.box_note),
            ("acceptance", f"{d.acceptance:.3f}", ""),
            ("R-hat", f"{d.r_hat:.4f}", "healthy" if d.healthy else "not healthy: run longer or adjust radius"),
            ("ESS", f"{d.ess:.0f}", f"{d.chains} chains x {d.draws} draws"),
        ]
        return ("quantity", "value", f"interval ({e.level:g})"), rows

    @property
    def box_note(self):
        """What the box-exit rate means for the estimate."""
        if self.box_exits > BOX_EXIT_WARNING:
            return "the box truncates the posterior: lambda_hat is biased low; give a larger radius"
        return "the box does not truncate the posterior"

    def to_dict(self):
        """JSON-safe data; the ``llc/mean``, ``llc/std``, ``llc-chain/i`` and ``loss/trace`` keys follow devinterp."""
        d = self.diagnostics
        data = {
            "kind": "llc",
            "estimate": self.estimate.to_dict(),
            "n": self.n,
            "beta": self.beta,
            "loss_at_point": self.loss_at_point,
            "gradient": self.gradient,
            "box_exits": self.box_exits,
            "llc/mean": self.estimate.value,
            "llc/std": float(np.std(self.chain_means, ddof=1)),
            "loss/trace": list(self.trace),
            "diagnostics": {
                "acceptance": d.acceptance,
                "r_hat": d.r_hat,
                "ess": d.ess,
                "chains": d.chains,
                "draws": d.draws,
                "step": d.step,
                "healthy": d.healthy,
            },
        }
        data.update({f"llc-chain/{i}": value for i, value in enumerate(self.chain_means)})
        return data

    @classmethod
    def from_dict(cls, data):
        """Rebuild the estimate from :meth:`to_dict` output (``healthy`` is recomputed)."""
        d = data["diagnostics"]
        diagnostics = ChainDiagnostics(d["acceptance"], d["r_hat"], d["ess"], d["chains"], d["draws"], d["step"])
        chains = tuple(data[f"llc-chain/{i}"] for i in range(d["chains"]))
        return cls(
            NumericEstimate.from_dict(data["estimate"]),
            data["n"],
            data["beta"],
            chains,
            data["loss_at_point"],
            data["gradient"],
            data["box_exits"],
            tuple(data["loss/trace"]),
            diagnostics,
        )


def llc(
    loss,
    w0,
    data=(),
    *,
    n=None,
    grad=None,
    beta=None,
    radius=1.0,
    chains=8,
    draws=1000,
    warmup=500,
    seed=None,
    level=0.99,
    timeout=None,
):
    """Estimate the local learning coefficient of a loss over data at w0 by tempered-posterior MALA chains.

    Parameters
    ----------
    loss : callable
        ``loss(w, *data) -> float``: the empirical loss L_n at a parameter
        vector w (a 1-D numpy array), e.g. the mean squared error of a model
        over the data.
    w0 : sequence of float
        The parameter (a trained model's), where lambda is estimated.
    data : tuple of numpy arrays, optional
        Passed to ``loss`` and ``grad`` after w; its first axis is the sample
        (n = its length unless ``n`` is given).
    n : int, optional
        The sample size; required when ``data`` is empty.
    grad : callable, optional
        ``grad(w, *data) -> array``: the gradient of L_n.  Without it, central
        differences with step 1e-5 (max(1, |w_i|)) (2 d loss calls per step).
    beta : float, optional
        Inverse temperature, default 1 / log n.
    radius : float
        Half-width of the localising box around w0.
    chains, draws, warmup : int
        Independent chains, kept draws per chain, tuning steps per chain.
    seed : int, numpy Generator or None
    level : float
        Confidence level of the interval.
    timeout : float, optional
        Time limit in seconds.

    Returns
    -------
    LLCEstimate

    Raises
    ------
    InputError
        If the loss is not callable, w0 is not a finite vector, or the data
        disagree on their length.
    NumericError
        If L_n(w0) or its gradient is not finite.
    TimeLimitError
        If the time limit passes.

    Examples
    --------
    The model y = a b x fitted to y = x: its true parameters form the smooth
    curve a b = 1, so lambda = 1/2 (codimension one) with m = 1:

    >>> import numpy as np
    >>> from singularities.numeric.llc import llc
    >>> x = np.random.default_rng(0).standard_normal(1000)
    >>> loss = lambda w, x, y: np.mean((w[0] * w[1] * x - y) ** 2)
    >>> result = llc(loss, [1.0, 1.0], (x, x), chains=8, draws=1000, warmup=500, seed=1)
    >>> result.estimate.contains(0.5), result.diagnostics.healthy
    (True, True)
    """
    if _is_torch_module(loss):
        raise InputError("loss is a torch.nn.Module; call sg.llc_torch(model, data, criterion) for a PyTorch model")
    deadline = Deadline.coerce(timeout)
    w0, data = _point(w0), _data(data)
    n = _sample_size(n, data)
    if not callable(loss) or (grad is not None and not callable(grad)):
        raise InputError("loss (and grad, if given) must be callables loss(w, *data); pass a function")
    beta = _beta(n, beta, radius, level, chains, draws, warmup)
    rule = "given" if grad is not None else "central differences, step 1e-5 max(1, |w_i|)"
    value_and_grad = _NumpyLoss(loss, grad, data)
    runner = _Runner(value_and_grad, w0, deadline, rule, "numpy callable", int(warmup) + int(draws))
    return sample_llc(runner, n, beta, radius, chains, draws, warmup, seed, level)


def sample_llc(runner, n, beta, radius, chains, draws, warmup, seed, level):
    """The MALA core shared by :func:`llc` and the torch adaptor: tune, draw, and summarise the chains.

    ``runner`` is a :class:`_Runner` around the loss (whatever computes it);
    the other arguments are those of :func:`llc`, already checked.
    """
    seed = resolve_seed(seed)
    region = tuple((-float(radius), float(radius)) for _ in runner.w0)
    sampler = _Sampler(runner, region, n * beta, np.random.default_rng([seed, 11]), int(chains))
    _restart_at_point(sampler)
    sampler.tune(int(warmup))
    energies, accepted = sampler.run(int(draws))
    method = f"tempered posterior MALA, n beta = {n * beta:.6g}, box radius {radius:g}"
    estimate, diagnostics = chain_estimate("llc", energies, accepted, sampler, level, seed, runner.backend, method)
    step = max(1, energies.shape[1] // TRACE_POINTS)
    trace = tuple(float(v) for v in energies.mean(axis=0)[::step])
    exits = sampler.exits / int(draws)
    chain_means = tuple(float(v) for v in energies.mean(axis=1))
    return LLCEstimate(estimate, float(n), beta, chain_means, runner.base, runner.rule, exits, trace, diagnostics)


def _beta(n, beta, radius, level, chains, draws, warmup):
    """The inverse temperature (default 1 / log n), after checking the sampler's options."""
    beta = 1 / math.log(n) if beta is None else float(beta)
    finite = all(math.isfinite(float(v)) for v in (beta, radius, level))
    if not (finite and beta > 0 and radius > 0 and 0 < level < 1 and chains >= 4 and draws >= 10 and warmup >= 10):
        raise InputError(
            f"need finite beta > 0, radius > 0, 0 < level < 1, chains >= 4, draws >= 10, warmup >= 10; got "
            f"{beta}, {radius}, {level}, {chains}, {draws}, {warmup}: change these options"
        )
    return beta


def _restart_at_point(sampler):
    """Chains whose random start has a non-finite loss start at w0 instead (a chain at NaN never moves)."""
    bad = ~(np.isfinite(sampler.u) & np.all(np.isfinite(sampler.grad), axis=1))
    if bad.any():
        sampler.w[bad] = 0.0
        sampler.u[bad], sampler.grad[bad] = sampler._evaluate(sampler.w[bad])


class _Runner:
    """The sampler's kernel for a loss outside the package: rows [L_n(w0 + u) - L_n(w0), grad] for each chain's u.

    ``value_and_grad(w) -> (L_n(w), gradient)`` computes the loss (numpy or
    torch); ``steps`` (warm-up plus draws) is the total the progress reports
    count to.  The deadline is checked, with progress, at every sampler step
    and every PROGRESS_INTERVAL seconds inside one step.
    """

    def __init__(self, value_and_grad, w0, deadline, rule, backend, steps):
        self.value_and_grad, self.w0, self.deadline = value_and_grad, w0, deadline
        self.rule, self.backend, self.total, self.done = rule, backend, int(steps), 0
        self._next_report = 0.0
        base, gradient = value_and_grad(w0)
        if not math.isfinite(base):
            raise NumericError(f"the loss at w0 is {base}; give a w0 where the loss is finite")
        if not np.all(np.isfinite(gradient)):
            raise NumericError("the gradient at w0 is not finite; check grad or the loss near w0")
        self.base = base

    def evaluate(self, u):
        stage = f"llc: MALA steps of {len(u)} chains in parallel"
        self._report(stage, force=True)
        rows = np.empty((len(u), 1 + len(self.w0)))
        for k, shift in enumerate(u):
            self._report(stage)
            value, gradient = self.value_and_grad(self.w0 + shift)
            rows[k, 0], rows[k, 1:] = value - self.base, gradient
        self.done += 1
        return rows

    def _report(self, stage, force=False):
        now = time.monotonic()
        if force or now >= self._next_report:
            self._next_report = now + PROGRESS_INTERVAL
            self.deadline.check(stage, min(self.done, self.total), self.total)


class _NumpyLoss:
    """``value_and_grad`` of a numpy loss ``loss(w, *data)``, its gradient ``grad`` or central differences."""

    def __init__(self, loss, grad, data):
        self.loss, self.grad, self.data = loss, grad, data

    def __call__(self, w):
        return self._value(w), self._gradient(w)

    def _value(self, w):
        value = np.asarray(self.loss(w, *self.data), dtype=float)
        if value.size != 1:
            raise InputError(f"the loss returned an array of shape {value.shape}; return one number, e.g. the mean")
        return float(value.reshape(()))

    def _gradient(self, w):
        if self.grad is not None:
            gradient = np.asarray(self.grad(w, *self.data), dtype=float)
            if gradient.size != len(w):
                raise InputError(f"grad returned {gradient.size} numbers for {len(w)} parameters; return one per w_i")
            return gradient.reshape(len(w))
        steps = 1e-5 * np.maximum(1.0, np.abs(w))
        out = np.empty(len(w))
        for i, h in enumerate(steps):
            e = np.zeros(len(w))
            e[i] = h
            out[i] = (self._value(w + e) - self._value(w - e)) / (2 * h)
        return out


def _is_torch_module(value):
    """Whether ``value`` is a torch.nn.Module (without importing torch)."""
    return any(f"{c.__module__}.{c.__qualname__}" == "torch.nn.modules.module.Module" for c in type(value).__mro__)


def _point(w0):
    try:
        w = np.asarray(w0, dtype=float)
    except (TypeError, ValueError):
        raise InputError("w0 must be a sequence of numbers (the parameter vector); pass e.g. [0.0, 1.5]") from None
    if w.ndim != 1 or len(w) == 0 or not np.all(np.isfinite(w)):
        raise InputError("w0 must be a non-empty 1-D vector of finite numbers; flatten the parameters")
    return w


def _data(data):
    data = tuple(data) if isinstance(data, (tuple, list)) else (data,)
    arrays = tuple(np.asarray(a) for a in data)
    lengths = {len(a) for a in arrays if a.ndim > 0}
    if len(lengths) > 1:
        raise InputError(f"the data arrays have different lengths {sorted(lengths)}; pass samples along axis 0")
    return arrays


def _sample_size(n, data):
    if n is None:
        if not data or data[0].ndim == 0:
            raise InputError("give n (the number of samples) when no data arrays are passed")
        n = len(data[0])
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise InputError(f"n must be an integer >= 2, got {n!r}")
    return int(n)
