"""The local learning coefficient of a PyTorch model over data: ``llc_torch``, the torch adaptor of ``llc``.

The model's trainable parameters are flattened into one numpy vector w (in
the order of ``model.parameters()``), the empirical loss

    L_n(w) = (1/n) sum over batches of |batch| * criterion(model(inputs), targets)

and its gradient come from one forward and one backward pass over all the
data in float64 (torch.autograd), and the same MALA chains as
:func:`~singularities.numeric.llc.llc` sample exp(-n beta (L_n(w) - L_n(w0)))
on the box w0 + [-radius, radius]^d.  The loss is the full-data loss at every
step (an exact MCMC), not a minibatch estimate.  torch is an optional extra
(``pip install 'singularities[torch]'``), imported only when this function
runs.
"""

import copy

import numpy as np

from .._limits import Deadline
from ..errors import InputError
from .llc import _beta, _Runner, sample_llc

__all__ = ["llc_torch"]

_INSTALL = "install the torch extra: pip install 'singularities[torch]'"


def llc_torch(
    model,
    data,
    criterion,
    *,
    beta=None,
    radius=1.0,
    chains=8,
    draws=1000,
    warmup=500,
    seed=None,
    level=0.99,
    timeout=None,
):
    """Estimate the local learning coefficient of a PyTorch model at its current parameters over data.

    Parameters
    ----------
    model : torch.nn.Module
        The trained model; w0 is its current trainable parameters.  It is not
        changed: a float64 copy in ``eval()`` mode is sampled (dropout off,
        batch-norm statistics fixed).
    data : pair of tensors or iterable of pairs
        ``(inputs, targets)`` with the samples along axis 0, or a data loader
        (any iterable of ``(inputs, targets)`` batches, read once and kept:
        every step uses all of the data).  n is the number of samples.
    criterion : callable
        ``criterion(model(inputs), targets)``: the mean loss over a batch (a
        ``torch.nn`` loss with ``reduction="mean"``, e.g. ``torch.nn.MSELoss()``).
    beta : float, optional
        Inverse temperature, default 1 / log n.
    radius : float
        Half-width of the localising box around w0.
    chains, draws, warmup : int
        Independent chains, kept draws per chain, tuning steps per chain.
    seed : int, numpy Generator or None
    level : float
        Confidence level of the interval (Student t over chains).
    timeout : float or Deadline, optional
        Time limit in seconds.

    Returns
    -------
    LLCEstimate
        As for :func:`~singularities.numeric.llc.llc`; ``estimate.backend`` is "torch".

    Raises
    ------
    InputError
        If torch is not installed, the model has no trainable parameters, the
        data are not (inputs, targets) pairs of one length, or the model's
        output does not fit the criterion (the message quotes torch's).
    NumericError
        If L_n(w0) or its gradient is not finite.
    TimeLimitError
        If the time limit passes.

    Examples
    --------
    The model y = a b x fitted to y = x (the true set a b = 1 is a smooth curve: lambda = 1/2):

    >>> import torch  # doctest: +SKIP
    >>> class Product(torch.nn.Module):  # doctest: +SKIP
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.a, self.b = torch.nn.Parameter(torch.ones(1)), torch.nn.Parameter(torch.ones(1))
    ...     def forward(self, x):
    ...         return self.a * self.b * x
    >>> x = torch.randn(1000, generator=torch.Generator().manual_seed(0))  # doctest: +SKIP
    >>> result = sg.llc_torch(Product(), (x, x), torch.nn.MSELoss(), seed=1)  # doctest: +SKIP
    >>> result.estimate.contains(0.5)  # doctest: +SKIP
    True
    """
    torch = _import_torch()
    deadline = Deadline.coerce(timeout)
    if not isinstance(model, torch.nn.Module):
        raise InputError(f"model must be a torch.nn.Module, got {type(model).__name__}; pass the network itself")
    if not callable(criterion):
        raise InputError("criterion must be a callable criterion(output, target), e.g. torch.nn.MSELoss()")
    batches = _batches(torch, data)
    n = sum(len(inputs) for inputs, _ in batches)
    if n < 2:
        raise InputError(f"the data hold {n} sample(s); pass at least two (inputs, targets) samples")
    beta = _beta(n, beta, radius, level, chains, draws, warmup)
    loss = _TorchLoss(torch, model, batches, criterion, n)
    runner = _Runner(loss, loss.w0, deadline, "torch.autograd (float64)", "torch", int(warmup) + int(draws))
    return sample_llc(runner, n, beta, radius, chains, draws, warmup, seed, level)


class _TorchLoss:
    """``value_and_grad(w)`` of L_n for a float64 copy of the model: one forward and backward pass over the data."""

    def __init__(self, torch, model, batches, criterion, n):
        self.torch, self.criterion, self.batches, self.n = torch, criterion, batches, n
        self.model = copy.deepcopy(model).double().eval()
        self.params = [p for p in self.model.parameters() if p.requires_grad]
        if not self.params:
            raise InputError("the model has no trainable parameters; set requires_grad on the ones to sample")
        with torch.no_grad():
            self.w0 = torch.nn.utils.parameters_to_vector(self.params).numpy().copy()

    def __call__(self, w):
        torch = self.torch
        with torch.no_grad():
            torch.nn.utils.vector_to_parameters(torch.from_numpy(np.asarray(w, dtype=np.float64)), self.params)
        for p in self.params:
            p.grad = None
        total = torch.zeros((), dtype=torch.float64)
        for inputs, targets in self.batches:
            total = total + self._batch_loss(inputs, targets) * (len(inputs) / self.n)
        if not total.requires_grad:
            raise InputError("the loss does not depend on the model's parameters; pass the model's criterion")
        gradients = torch.autograd.grad(total, self.params, allow_unused=True)
        flat = [torch.zeros_like(p) if g is None else g for p, g in zip(self.params, gradients)]
        return float(total.detach()), torch.cat([g.reshape(-1) for g in flat]).numpy()

    def _batch_loss(self, inputs, targets):
        try:
            value = self.criterion(self.model(inputs), targets)
        except (RuntimeError, ValueError, TypeError, IndexError) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise InputError(
                f"the model or criterion failed on the data: {first}; check the shapes of inputs and targets"
            ) from None
        if not isinstance(value, self.torch.Tensor) or value.numel() != 1:
            shape = tuple(value.shape) if isinstance(value, self.torch.Tensor) else type(value).__name__
            raise InputError(f"the criterion returned {shape}, not one number; use reduction='mean'")
        return value.reshape(())


def _batches(torch, data):
    """The data as a list of float64 (inputs, targets) batches, checked for one length per batch."""
    if isinstance(data, tuple) and len(data) == 2 and all(hasattr(d, "shape") for d in data):
        data = [data]  # one (inputs, targets) pair of tensors or arrays
    try:
        batches = [tuple(batch) for batch in data]
    except TypeError:
        raise InputError(
            f"data must be an (inputs, targets) pair of tensors or a data loader, got {type(data).__name__}"
        ) from None
    out = []
    for batch in batches:
        if len(batch) != 2:
            raise InputError(f"a batch has {len(batch)} parts; each batch must be (inputs, targets)")
        inputs, targets = (_tensor(torch, part) for part in batch)
        if inputs.ndim == 0 or targets.ndim == 0 or len(inputs) != len(targets):
            raise InputError(
                f"inputs of shape {tuple(inputs.shape)} and targets of shape {tuple(targets.shape)} differ in "
                "length; pass samples along axis 0 of both"
            )
        out.append((inputs, targets))
    if not out:
        raise InputError("the data are empty; pass (inputs, targets) with at least two samples")
    return out


def _tensor(torch, value):
    tensor = value if isinstance(value, torch.Tensor) else torch.as_tensor(np.asarray(value))
    return tensor.detach().double() if tensor.is_floating_point() else tensor.detach()


def _import_torch():
    try:
        import torch
    except ImportError:
        raise InputError(f"llc_torch needs PyTorch, which is not installed; {_INSTALL}") from None
    return torch
