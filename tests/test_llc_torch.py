"""The torch adaptor of llc (numeric.torch_adaptor): the same estimate as the numpy path, and clear errors.

The tests that need PyTorch skip where it is not installed (it is an optional
extra, not installed in CI); the one that checks the message without torch
runs everywhere.  Expected values: y = a b x fitted to y = x has the smooth
true curve a b = 1 (codimension one), so lambda = 1/2; a regular model with
a positive definite Fisher information has lambda = d / 2.
"""

import sys

import numpy as np
import pytest

import singularities as sg
from singularities.errors import InputError
from singularities.numeric.llc import llc
from singularities.numeric.torch_adaptor import llc_torch

X = np.random.default_rng(0).standard_normal(1000)


def test_without_torch_the_error_says_how_to_install_it(monkeypatch):
    # A None entry in sys.modules makes "import torch" raise ImportError, as when torch is not installed.
    monkeypatch.setitem(sys.modules, "torch", None)
    with pytest.raises(InputError, match=r"pip install 'singularities\[torch\]'"):
        llc_torch(object(), (X, X), lambda output, target: 0.0)


def test_a_module_passed_to_llc_is_sent_to_llc_torch():
    torch = pytest.importorskip("torch")
    with pytest.raises(InputError, match="llc_torch"):
        llc(torch.nn.Linear(1, 1), [0.0, 0.0])


def _product_model(torch):
    class Product(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.a, self.b = torch.nn.Parameter(torch.ones(1)), torch.nn.Parameter(torch.ones(1))

        def forward(self, x):
            return self.a * self.b * x

    return Product()


def _product_loss(w, x, y):
    return np.mean((w[0] * w[1] * x - y) ** 2)


def _product_grad(w, x, y):
    r = 2 * (w[0] * w[1] * x - y) * x
    return np.array([np.mean(r * w[1]), np.mean(r * w[0])])


def test_torch_model_gives_the_numpy_estimate_with_the_same_seed():
    torch = pytest.importorskip("torch")
    # The same loss L_n(a, b) = mean((a b x - x)^2) in torch and in numpy, at the same w0 = (1, 1) and seed: the
    # chains see the same proposals, and only rounding separates the two paths.  lambda = 1/2 (a b = 1 is smooth).
    x = torch.from_numpy(X)
    model = _product_model(torch)
    ours = llc_torch(model, (x, x), torch.nn.MSELoss(), chains=8, draws=1000, warmup=500, seed=3)
    numpy = llc(_product_loss, [1.0, 1.0], (X, X), grad=_product_grad, chains=8, draws=1000, warmup=500, seed=3)
    assert ours.estimate.backend == "torch" and ours.gradient.startswith("torch.autograd")
    assert ours.loss_at_point == pytest.approx(numpy.loss_at_point, abs=1e-12) == 0.0
    assert ours.n == numpy.n == 1000 and ours.beta == numpy.beta
    tolerance = 3 * np.hypot(ours.estimate.stderr, numpy.estimate.stderr)
    assert abs(ours.estimate.value - numpy.estimate.value) < tolerance
    assert ours.estimate.contains(0.5) and numpy.estimate.contains(0.5) and ours.diagnostics.healthy
    # The user's model is not changed: still float32 parameters at (1, 1), in training mode.
    assert model.a.dtype == torch.float32 and model.a.item() == model.b.item() == 1.0 and model.training


def test_a_data_loader_gives_the_loss_of_all_the_data():
    torch = pytest.importorskip("torch")
    # Uneven batches (1000 = 3 x 300 + 100) are weighted by their size: L_n(w0) is the mean over all samples.
    x = torch.from_numpy(X)
    y = 2 * x  # at (a, b) = (1, 1) the residual is -x: L_n(w0) = mean(x^2)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=300, shuffle=True)
    result = llc_torch(_product_model(torch), loader, torch.nn.MSELoss(), chains=4, draws=20, warmup=10, seed=1)
    assert result.loss_at_point == pytest.approx(float(np.mean(X**2)), rel=1e-12)
    assert result.n == 1000
    # numpy arrays as the (inputs, targets) pair are one batch of 1000 samples, as tensors are.
    arrays = llc_torch(_product_model(torch), (X, 2 * X), torch.nn.MSELoss(), chains=4, draws=20, warmup=10, seed=1)
    assert arrays.n == 1000 and arrays.loss_at_point == pytest.approx(result.loss_at_point, rel=1e-12)


def _mlp(torch):
    # A 1-2-1 tanh network with float64 parameters W1 = (1, -2), b1 = (0.5, -0.3), W2 = (1, -1.5), b2 = 0.1.
    model = torch.nn.Sequential(torch.nn.Linear(1, 2), torch.nn.Tanh(), torch.nn.Linear(2, 1)).double()
    with torch.no_grad():
        for p, value in zip(model.parameters(), ([[1.0], [-2.0]], [0.5, -0.3], [[1.0, -1.5]], [0.1])):
            p.copy_(torch.tensor(value, dtype=torch.float64))
    return model


def _mlp_numpy(w, x, y):
    # The same network in numpy, with w in the order of model.parameters(): W1 (2), b1 (2), W2 (2), b2 (1).
    hidden = np.tanh(np.outer(x, w[0:2]) + w[2:4])
    return np.mean((hidden @ w[4:6] + w[6] - y) ** 2)


def test_the_flattened_mlp_loss_and_gradient_are_the_numpy_ones():
    torch = pytest.importorskip("torch")
    from singularities.numeric.torch_adaptor import _batches, _TorchLoss

    # The adaptor's L_n and gradient at random w equal the numpy network's loss and its central differences:
    # the parameters are flattened in model.parameters() order and the gradient is autograd's.
    x = X[:300]
    y = np.sin(x)
    batches = _batches(torch, (torch.from_numpy(x[:, None]), torch.from_numpy(y[:, None])))
    loss = _TorchLoss(torch, _mlp(torch), batches, torch.nn.MSELoss(), 300)
    assert loss.w0.tolist() == [1.0, -2.0, 0.5, -0.3, 1.0, -1.5, 0.1]
    rng = np.random.default_rng(4)
    for w in loss.w0 + rng.uniform(-0.5, 0.5, (3, 7)):
        value, gradient = loss(w)
        assert value == pytest.approx(_mlp_numpy(w, x, y), rel=1e-12)
        steps = np.eye(7) * 1e-6
        differences = [(_mlp_numpy(w + e, x, y) - _mlp_numpy(w - e, x, y)) / 2e-6 for e in steps]
        assert gradient == pytest.approx(np.array(differences), abs=1e-7)


def test_a_small_mlp_runs_and_agrees_with_the_numpy_path():
    torch = pytest.importorskip("torch")
    # The network fitted to its own outputs on 500 inputs; lambda there is not known in closed form at this n
    # (the network is sloppy), so the check is the numpy path on the same loss, same seed (central differences).
    model = _mlp(torch)
    x = torch.from_numpy(X[:500, None])
    with torch.no_grad():
        y = model(x)
    options = {"chains": 4, "draws": 150, "warmup": 100, "seed": 2, "radius": 0.5}
    ours = llc_torch(model, (x, y), torch.nn.MSELoss(), **options)
    numpy = llc(_mlp_numpy, _flat_parameters(model), (X[:500], y.numpy()[:, 0]), **options)
    assert len(ours.chain_means) == 4 and np.all(np.isfinite(ours.chain_means)) and ours.estimate.stderr > 0
    assert abs(ours.estimate.value - numpy.estimate.value) < 3 * np.hypot(ours.estimate.stderr, numpy.estimate.stderr)


def _flat_parameters(model):
    return np.concatenate([p.detach().numpy().ravel() for p in model.parameters()])


def test_wrong_shapes_and_kinds_are_input_errors():
    torch = pytest.importorskip("torch")
    model, mse = _product_model(torch), torch.nn.MSELoss()
    x = torch.from_numpy(X)
    with pytest.raises(InputError, match="differ in length"):
        llc_torch(model, (x, x[:10]), mse)
    with pytest.raises(InputError, match="check the shapes"):
        # A (1000, 3) output against a (1000,) target: torch refuses (a 3-by-1000 broadcast is not a sample loss).
        llc_torch(torch.nn.Linear(3, 3), (torch.randn(1000, 3), torch.randn(1000, 7)), mse)
    with pytest.raises(InputError, match="reduction='mean'"):
        llc_torch(model, (x, x), torch.nn.MSELoss(reduction="none"))
    with pytest.raises(InputError, match="torch.nn.Module"):
        llc_torch(lambda t: t, (x, x), mse)
    with pytest.raises(InputError, match="no trainable parameters"):
        llc_torch(model.requires_grad_(False), (x, x), mse)
    with pytest.raises(InputError, match="inputs, targets"):
        llc_torch(_product_model(torch), 3, mse)


def test_llc_torch_is_public():
    assert sg.llc_torch is llc_torch
