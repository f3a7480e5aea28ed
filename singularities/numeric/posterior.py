"""Tempered posterior chains at a point: the local learning coefficient lambda_hat and its beta scan.

The tempered posterior of SLT practice is p(w) ~ exp(-n beta K(w)) on a box
around w0 (a uniform prior localised at the point; K(w) = f(w) - f(w0)).  By
-d log Z / d log(n beta) with Z ~ C (n beta)^(-lambda) (log n beta)^(m-1),

    lambda_hat = n beta (E[K] - K(w0)) = lambda - (m - 1) / log(n beta) + ...,

so lambda_hat estimates lambda directly when m = 1 and is biased low by about
(m - 1)/log(n beta) otherwise (docs/conventions.md#the-real-log-canonical-threshold;
Watanabe 2009; Lau et al., "The local learning coefficient", 2023).  The
default beta is 1/log n.

Many chains run in parallel, vectorised in numpy; K and its gradient come
from one generated kernel (``straight_line([g, *grad])``: compiled C when a
compiler is found).  Each step is a Metropolis-adjusted Langevin (MALA) move
or, for half of the chains at random, a random-walk Metropolis move (the
mixture is still exact, and it keeps mixing in thin valleys where the Langevin
drift overshoots), with a diagonal preconditioner; during warm-up the step size is tuned to an
acceptance rate near 0.57 and the preconditioner to the posterior variances,
then both are frozen, so the draws after warm-up are an exact MCMC.  The
interval comes from the spread of the independent chains (Student t); the
diagnostics are the acceptance rate, the split R-hat over chains and the
effective sample size.  Guide: docs/verify.md.
"""

import math
from dataclasses import dataclass, field

import numpy as np
import sympy

from .._result import Result, register
from ..energy import as_energy
from ..errors import NumericError
from ..jets import local_expression
from .ckernel import kernel
from .codegen import straight_line
from .fit import NumericEstimate
from .multiscale import student_quantile
from .sampling import box_pairs, resolve_seed

__all__ = ["ChainDiagnostics", "LearningCoefficient", "beta_scan", "chain_estimate", "learning_coefficient"]

_TARGET_ACCEPTANCE = 0.574
_LANGEVIN_FRACTION = 0.5  # of the proposals; the others are random-walk Metropolis moves (see _Sampler.move)


@dataclass(frozen=True, slots=True)
class ChainDiagnostics:
    """``acceptance`` (mean MALA acceptance rate after warm-up), ``r_hat`` (split R-hat of n beta K over
    the chains; near 1 when they agree), ``ess`` (effective sample size of all draws), ``chains``, ``draws``
    per chain and the tuned ``step``."""

    acceptance: float
    r_hat: float
    ess: float
    chains: int
    draws: int
    step: float

    @property
    def healthy(self):
        """R-hat below 1.05, at least 100 effective draws and an acceptance rate between 0.2 and 0.95."""
        return self.r_hat < 1.05 and self.ess >= 100 and 0.2 <= self.acceptance <= 0.95


@register("learning_coefficient")
@dataclass(frozen=True, slots=True)
class LearningCoefficient(Result):
    """lambda_hat = n beta E[K] at inverse temperature ``beta`` and sample size ``n``, with chain diagnostics."""

    estimate: NumericEstimate
    n: float
    beta: float
    diagnostics: ChainDiagnostics = field(repr=False)

    def to_rows(self):
        e, d = self.estimate, self.diagnostics
        rows = [
            ("lambda_hat", f"{e.value:.5f}", f"[{e.interval[0]:.5f}, {e.interval[1]:.5f}]"),
            ("n, beta", f"{self.n:g}, {self.beta:.5g}", ""),
            ("acceptance", f"{d.acceptance:.3f}", ""),
            ("R-hat", f"{d.r_hat:.4f}", ""),
            ("ESS", f"{d.ess:.0f}", f"{d.chains} chains x {d.draws} draws"),
        ]
        return ("quantity", "value", f"interval ({e.level:g})"), rows

    def to_dict(self):
        d = self.diagnostics
        return {
            "kind": "learning_coefficient",
            "estimate": self.estimate.to_dict(),
            "n": self.n,
            "beta": self.beta,
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

    @classmethod
    def from_dict(cls, data):
        """Rebuild the estimate from :meth:`to_dict` output (``healthy`` is recomputed)."""
        d = data["diagnostics"]
        diagnostics = ChainDiagnostics(d["acceptance"], d["r_hat"], d["ess"], d["chains"], d["draws"], d["step"])
        return cls(NumericEstimate.from_dict(data["estimate"]), data["n"], data["beta"], diagnostics)


def learning_coefficient(
    f,
    point=None,
    *,
    n=10**4,
    beta=None,
    box=None,
    chains=32,
    draws=2000,
    warmup=1000,
    seed=None,
    level=0.99,
    variables=None,
    parameters=None,
    backend="auto",
):
    """Estimate lambda by tempered-posterior MALA chains: lambda_hat = n beta (E[K] - K(w0)).

    Parameters
    ----------
    f : str, sympy.Expr or Energy
        The loss K (its value at the point is subtracted).
    point : str or sequence, optional
        w0, default the origin.
    n : float
        The sample size; n beta sets the temperature.
    beta : float, optional
        Inverse temperature, default 1 / log n.
    box : pair or sequence of pairs, optional
        The prior's support around w0 (uniform), default ``(-1, 1)``.
    chains, draws, warmup : int
        Parallel chains, kept draws per chain, tuning steps per chain.
    seed : int, numpy Generator or None
    level : float
        Confidence level of the interval (Student t over chains).

    Returns
    -------
    LearningCoefficient

    Examples
    --------
    K = w1^2 + w2^4 has lambda = 1/2 + 1/4 (quasi-homogeneous, tests/catalogue.py sum_x2_y4):

    >>> from singularities.numeric.posterior import learning_coefficient
    >>> lc = learning_coefficient("w1**2 + w2**4", n=10**4, chains=16, draws=1000, seed=1, backend="numpy")
    >>> lc.estimate.contains(sympy.Rational(3, 4)), lc.diagnostics.healthy
    (True, True)
    """
    energy = as_energy(f, point, variables=variables, parameters=parameters)
    g = local_expression(energy, subtract_value=True, expand=True)
    names = [str(v) for v in energy.variables]
    program = straight_line([g] + [sympy.diff(g, v) for v in energy.variables], names)
    runner, region, seed = kernel(program, backend=backend), box_pairs(box, len(names)), resolve_seed(seed)
    beta = 1 / math.log(n) if beta is None else float(beta)
    if not (n > 1 and beta > 0 and chains >= 4 and draws >= 10 and warmup >= 10):
        raise NumericError(
            "need n > 1, beta > 0, chains >= 4, draws >= 10, warmup >= 10; "
            f"got {n}, {beta}, {chains}, {draws}, {warmup}"
        )
    sampler = _Sampler(runner, region, n * beta, np.random.default_rng([seed, 7]), int(chains))
    sampler.tune(int(warmup))
    energies, accepted = sampler.run(int(draws))
    method = f"tempered posterior MALA, n beta = {n * beta:.6g}"
    estimate, diagnostics = chain_estimate(
        "threshold", energies, accepted, sampler, level, seed, runner.backend, method
    )
    return LearningCoefficient(estimate, float(n), beta, diagnostics)


def beta_scan(f, point=None, *, n=10**4, betas=None, seed=None, **options):
    """lambda_hat(beta) = n beta E_beta[K] over inverse temperatures: the "spectroscope" curve.

    Its plateau is lambda (a drift like -(m - 1)/log(n beta) shows m > 1).
    ``betas`` default to 1/log n times 10^(-1 .. 1); every beta gets its own
    seed derived from ``seed``; the other options are those of
    :func:`learning_coefficient`.

    Returns
    -------
    tuple of LearningCoefficient

    Examples
    --------
    >>> from singularities.numeric.posterior import beta_scan
    >>> scan = beta_scan("w**2", n=10**4, betas=[0.05, 0.5], chains=8, draws=400, seed=2, backend="numpy")
    >>> [s.estimate.contains(sympy.Rational(1, 2)) for s in scan]
    [True, True]
    """
    betas = tuple(np.geomspace(0.1, 10, 5) / math.log(n)) if betas is None else tuple(float(b) for b in betas)
    seed = resolve_seed(seed)
    return tuple(
        learning_coefficient(f, point, n=n, beta=b, seed=_child_seed(seed, i), **options) for i, b in enumerate(betas)
    )


def chain_estimate(quantity, energies, accepted, sampler, level, seed, backend, method):
    """(NumericEstimate, ChainDiagnostics) of n beta K draws (chains x draws): Student t over the chain means."""
    chains, draws = energies.shape
    per_chain = energies.mean(axis=1)
    value, stderr = float(per_chain.mean()), float(per_chain.std(ddof=1) / math.sqrt(chains))
    half = student_quantile(level, chains - 1) * stderr
    estimate = NumericEstimate(
        quantity, value, (value - half, value + half), stderr, level, chains * draws, seed, backend, method
    )
    diagnostics = ChainDiagnostics(float(accepted), _split_r_hat(energies), _ess(energies), chains, draws, sampler.step)
    return estimate, diagnostics


class _Sampler:
    """Vectorised MALA over chains for U(w) = a K(w) with a uniform prior on the box."""

    def __init__(self, runner, region, a, rng, chains):
        self.runner, self.a, self.rng = runner, a, rng
        self.lo, self.hi = np.array([b[0] for b in region]), np.array([b[1] for b in region])
        dim = len(region)
        self.scale = np.ones(dim) * min(1.0, 1 / math.sqrt(a))  # preconditioner: standard deviations
        self.step = 0.5
        self.exits = 0.0  # proposals that left the box, summed as fractions of the chains (reset by run)
        self.w = self.rng.uniform(self.lo, self.hi, (chains, dim)) * min(1.0, 10 / math.sqrt(a))
        self.u, self.grad = self._evaluate(self.w)

    def _evaluate(self, w):
        values = self.runner.evaluate(w)
        return self.a * values[:, 0], self.a * values[:, 1:]

    def move(self):
        h, s = self.step, self.scale
        # Each chain takes a Langevin (MALA) or a plain random-walk proposal, chosen at random independently of
        # its state: both kernels leave the posterior invariant, so their mixture does.  The random walk keeps
        # the chains mixing where K grows faster than quadratically across a thin valley (w1^2 w2^4 near the
        # axis w1 = 0): there the Langevin drift overshoots, MALA almost never enters, and its estimate stays
        # biased low however long it runs.
        drift = 0.5 * h * h * s * s * (self.rng.random(len(self.w)) < _LANGEVIN_FRACTION)[:, None]
        mean = self.w - drift * self.grad
        proposal = mean + h * s * self.rng.standard_normal(self.w.shape)
        inside = np.all((proposal >= self.lo) & (proposal <= self.hi), axis=1)
        self.exits += 1.0 - inside.mean()
        safe = np.where(inside[:, None], proposal, self.w)
        u, grad = self._evaluate(safe)
        back = safe - drift * grad
        log_q_forward = -(((proposal - mean) / (h * s)) ** 2).sum(axis=1) / 2
        log_q_back = -(((self.w - back) / (h * s)) ** 2).sum(axis=1) / 2
        log_ratio = -(u - self.u) + log_q_back - log_q_forward
        accept = inside & np.isfinite(u) & (np.log(self.rng.random(len(u))) < log_ratio)
        self.w[accept], self.u[accept], self.grad[accept] = safe[accept], u[accept], grad[accept]
        return accept

    def tune(self, steps):
        history = []
        for i in range(steps):
            rate = self.move().mean()
            self.step *= math.exp((rate - _TARGET_ACCEPTANCE) / math.sqrt(i + 1))
            history.append(self.w.copy())
            if i + 1 in (steps // 4, steps // 2, 3 * steps // 4):  # re-estimate the preconditioner from recent draws
                recent = np.concatenate(history[len(history) // 2 :])
                self.scale = np.maximum(recent.std(axis=0), 1e-12)
                history = []

    def run(self, draws):
        energies = np.empty((len(self.w), draws))
        accepted, self.exits = 0.0, 0.0
        for i in range(draws):
            accepted += self.move().mean()
            energies[:, i] = self.u
        return energies, accepted / draws


def _split_r_hat(chains):
    """Split R-hat (Gelman et al., Bayesian Data Analysis, 3rd ed., section 11.4)."""
    half = chains.shape[1] // 2
    split = np.concatenate([chains[:, :half], chains[:, half : 2 * half]])
    within = split.var(axis=1, ddof=1).mean()
    between = half * split.mean(axis=1).var(ddof=1)
    pooled = (half - 1) / half * within + between / half
    return float(math.sqrt(pooled / within)) if within > 0 else math.inf


def _ess(chains):
    """Effective sample size from the chain-averaged autocorrelation, truncated by Geyer's initial positive sequence."""
    m, n = chains.shape
    centred = chains - chains.mean(axis=1, keepdims=True)
    spectrum = np.fft.rfft(centred, 2 * n, axis=1)
    acov = np.fft.irfft(spectrum * np.conj(spectrum), axis=1)[:, :n].mean(axis=0) / n
    if acov[0] <= 0:
        return float(m * n)
    rho = acov / acov[0]
    total = 0.0
    for k in range(0, n - 1, 2):
        pair = rho[k] + rho[k + 1]
        if pair <= 0:
            break
        total += pair
    return float(m * n / max(2 * total - 1, 1e-12))


def _child_seed(seed, i):
    return int(np.random.SeedSequence([seed, i]).generate_state(1, np.uint64)[0]) >> 1
