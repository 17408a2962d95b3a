import math

import numpy as np
import pytest
import torch

from helpers.training import (
    DivergenceError,
    History,
    ensemble_minibatches,
    full_batch,
    minibatches,
    torch_update,
    train,
)


def quadratic_step(eta):
    def update(w, batch):
        A, b = batch
        r = A @ w - b
        return w - eta * A.T @ r, 0.5 * float(r @ r)

    return update


def test_gradient_descent_matches_closed_form_iterates():
    A = np.diag([1.0, 0.5])
    b = np.array([1.0, 1.0])
    w, h = train(quadratic_step(0.5), np.zeros(2), full_batch(A, b), 10, probes={"w": lambda w: w.copy()})
    # w_t = (I - (I - eta A^2)^t) A^-1 b for this diagonal A
    expected = (1 - (1 - 0.5 * np.diag(A) ** 2) ** 10) / np.diag(A)
    assert np.allclose(w, expected)
    assert h.steps == list(range(11)) and np.allclose(h["w"][-1], w)
    assert math.isnan(h["loss"][0]) and h["loss"][1] == pytest.approx(1.0)


def test_record_every_and_explicit_steps():
    A, b = np.eye(1), np.ones(1)
    _, h = train(quadratic_step(0.1), np.zeros(1), full_batch(A, b), 25, record_every=10)
    assert h.steps == [0, 10, 20, 25]
    _, h = train(quadratic_step(0.1), np.zeros(1), full_batch(A, b), 25, record_every=[3, 7])
    assert h.steps == [0, 3, 7, 25]
    with pytest.raises(ValueError, match="record_every steps must lie in"):
        train(quadratic_step(0.1), np.zeros(1), full_batch(A, b), 5, record_every=[9])
    with pytest.raises(ValueError, match="record_every must be >= 1"):
        train(quadratic_step(0.1), np.zeros(1), full_batch(A, b), 5, record_every=0)


def test_divergence_stops_with_a_message():
    A, b = np.eye(2) * 2.0, np.ones(2)
    with pytest.raises(DivergenceError, match=r"training diverged at step \d+.*Lower the step size") as info:
        train(quadratic_step(0.6), np.zeros(2), full_batch(A, b), 10_000)  # eta > 2 / 4
    assert info.value.step < 200


def test_nan_loss_is_divergence():
    with pytest.raises(DivergenceError, match="step 1"):
        train(lambda w, _: (w, float("nan")), 0.0, full_batch(), 3)


def test_stop_ends_early():
    _, h = train(quadratic_step(0.5), np.zeros(1), full_batch(np.eye(1), np.ones(1)), 1000,
                 stop=lambda w: abs(w[0] - 1) < 1e-6)
    assert h.stopped_early and h.steps[-1] < 1000


def test_bad_arguments_name_the_parameter():
    batches = full_batch(np.eye(1), np.ones(1))
    with pytest.raises(ValueError, match="steps must be a non-negative integer"):
        train(quadratic_step(0.1), np.zeros(1), batches, -1)
    with pytest.raises(ValueError, match="divergence_factor must be > 1"):
        train(quadratic_step(0.1), np.zeros(1), batches, 1, divergence_factor=0.5)
    with pytest.raises(ValueError, match="may not be named 'loss'"):
        train(quadratic_step(0.1), np.zeros(1), batches, 1, probes={"loss": len})
    with pytest.raises(KeyError, match="no probe named 'acc'"):
        History()["acc"]


def test_minibatches_visit_every_example_once_per_epoch():
    X, y = np.arange(12).reshape(6, 2), np.arange(6)
    stream = minibatches((X, y), 2, np.random.default_rng(0))
    epoch = [next(stream) for _ in range(3)]
    assert sorted(np.concatenate([b[1] for b in epoch]).tolist()) == list(range(6))
    for xb, yb in epoch:
        assert np.array_equal(xb[:, 0] // 2, yb)
    with pytest.raises(ValueError, match=r"batch_size must be an integer in \[1, 6\]"):
        next(minibatches((X, y), 7, np.random.default_rng(0)))
    with pytest.raises(ValueError, match="arrays must have one length"):
        next(minibatches((X, y[:3]), 2, np.random.default_rng(0)))


def test_minibatches_of_tensors():
    X = torch.arange(10.0).reshape(5, 2)
    xb, = next(minibatches((X,), 5, np.random.default_rng(0)))
    assert isinstance(xb, torch.Tensor) and sorted(xb[:, 0].tolist()) == [0, 2, 4, 6, 8]


def test_torch_update_takes_the_autograd_step():
    torch.manual_seed(0)
    model = torch.nn.Linear(3, 1)
    reference = torch.nn.Linear(3, 1)
    reference.load_state_dict(model.state_dict())
    X, y = torch.randn(8, 3), torch.randn(8, 1)
    loss_fn = torch.nn.functional.mse_loss
    train(torch_update(model, loss_fn, torch.optim.SGD(model.parameters(), lr=0.1)), model, full_batch(X, y), 1)
    loss = loss_fn(reference(X), y)
    loss.backward()
    with torch.no_grad():
        for p_ref, p in zip(reference.parameters(), model.parameters()):
            assert torch.allclose(p_ref - 0.1 * p_ref.grad, p)


def test_ensemble_minibatches_give_each_member_its_own_epoch():
    X, y = torch.arange(12.0).reshape(6, 2), torch.arange(6)
    stream = ensemble_minibatches((X, y), 2, np.random.default_rng(0), 3)
    epoch = [next(stream) for _ in range(3)]
    assert epoch[0][0].shape == (3, 2, 2) and epoch[0][1].shape == (3, 2)
    for member in range(3):
        assert sorted(torch.cat([b[1][member] for b in epoch]).tolist()) == list(range(6))
    orders = [torch.cat([b[1][m] for b in epoch]).tolist() for m in range(3)]
    assert len({tuple(o) for o in orders}) > 1  # not one shared order
    with pytest.raises(ValueError, match="n_models must be a positive integer"):
        next(ensemble_minibatches((X, y), 2, np.random.default_rng(0), 0))
