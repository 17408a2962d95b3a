import math

import numpy as np
import pytest
import torch

from helpers.training import (
    BatchesExhausted,
    DivergenceError,
    History,
    first_step,
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
    w, h = train(
        quadratic_step(0.5), np.zeros(2), full_batch(A, b), 10, probes={"w": lambda w: w.copy()}
    )
    # w_t = (I - (I - eta A^2)^t) A^-1 b for this diagonal A
    expected = (1 - (1 - 0.5 * np.diag(A) ** 2) ** 10) / np.diag(A)
    assert np.allclose(w, expected)
    assert h.steps.tolist() == list(range(11)) and np.allclose(h["w"][-1], w)
    assert math.isnan(h["loss"][0]) and h["loss"][1] == pytest.approx(1.0)


def test_record_every_and_explicit_steps():
    A, b = np.eye(1), np.ones(1)
    _, h = train(quadratic_step(0.1), np.zeros(1), full_batch(A, b), 25, record_every=10)
    assert h.steps.tolist() == [0, 10, 20, 25]
    _, h = train(quadratic_step(0.1), np.zeros(1), full_batch(A, b), 25, record_every=[3, 7])
    assert h.steps.tolist() == [0, 3, 7, 25]
    with pytest.raises(ValueError, match="record_every steps must lie in"):
        train(quadratic_step(0.1), np.zeros(1), full_batch(A, b), 5, record_every=[9])
    with pytest.raises(
        ValueError,
        match=r"record_every .an integer >= 1, or a list of steps. must be an integer >= 1, got 0",
    ):
        train(quadratic_step(0.1), np.zeros(1), full_batch(A, b), 5, record_every=0)


def test_divergence_stops_with_a_message():
    A, b = np.eye(2) * 2.0, np.ones(2)
    with pytest.raises(
        DivergenceError, match=r"training diverged at step \d+.*Lower the step size"
    ) as info:
        train(quadratic_step(0.6), np.zeros(2), full_batch(A, b), 10_000)  # eta > 2 / 4
    assert info.value.step < 200


def test_nan_loss_is_divergence():
    with pytest.raises(DivergenceError, match="step 1"):
        train(lambda w, _: (w, float("nan")), 0.0, full_batch(), 3)


def test_stop_ends_early():
    _, h = train(
        quadratic_step(0.5),
        np.zeros(1),
        full_batch(np.eye(1), np.ones(1)),
        1000,
        probes={"w": lambda w: w[0]},
        stop=lambda history: abs(history.latest("w") - 1) < 1e-6,
    )
    assert h.stopped_early and h.steps[-1] < 1000


def test_bad_arguments_name_the_parameter():
    batches = full_batch(np.eye(1), np.ones(1))
    with pytest.raises(ValueError, match="steps must be an integer >= 0, got -1"):
        train(quadratic_step(0.1), np.zeros(1), batches, -1)
    with pytest.raises(ValueError, match=r"divergence_factor must be a number in \(1, inf\)"):
        train(quadratic_step(0.1), np.zeros(1), batches, 1, divergence_factor=0.5)
    with pytest.raises(ValueError, match="may not be named 'loss'"):
        train(quadratic_step(0.1), np.zeros(1), batches, 1, probes={"loss": len})
    with pytest.raises(KeyError, match="no probe named 'acc'"):
        History()["acc"]
    with pytest.raises(KeyError, match="no probe named 'acc'"):
        History().latest("acc")


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
    (xb,) = next(minibatches((X,), 5, np.random.default_rng(0)))
    assert isinstance(xb, torch.Tensor) and sorted(xb[:, 0].tolist()) == [0, 2, 4, 6, 8]


def test_torch_update_takes_the_autograd_step():
    torch.manual_seed(0)
    model = torch.nn.Linear(3, 1)
    reference = torch.nn.Linear(3, 1)
    reference.load_state_dict(model.state_dict())
    X, y = torch.randn(8, 3), torch.randn(8, 1)
    loss_fn = torch.nn.functional.mse_loss
    train(
        torch_update(model, loss_fn, torch.optim.SGD(model.parameters(), lr=0.1)),
        model,
        full_batch(X, y),
        1,
    )
    loss = loss_fn(reference(X), y)
    loss.backward()
    with torch.no_grad():
        for p_ref, p in zip(reference.parameters(), model.parameters()):
            assert torch.allclose(p_ref - 0.1 * p_ref.grad, p)


def test_a_finite_stream_of_batches_is_a_clear_error():
    two = [(np.eye(1), np.ones(1))] * 2
    with pytest.raises(BatchesExhausted, match=r"batches ran out after 2 of steps=5 updates"):
        train(quadratic_step(0.1), np.zeros(1), two, 5)


@pytest.mark.parametrize("every", [2.5, 0, "10", [3, -1]])
def test_bad_record_every_names_the_parameter(every):
    with pytest.raises((TypeError, ValueError), match="record_every"):
        train(
            quadratic_step(0.1),
            np.zeros(1),
            full_batch(np.eye(1), np.ones(1)),
            5,
            record_every=every,
        )
    # numpy integers are integers
    _, h = train(
        quadratic_step(0.1),
        np.zeros(1),
        full_batch(np.eye(1), np.ones(1)),
        4,
        record_every=np.int64(2),
    )
    assert h.steps.tolist() == [0, 2, 4]


def test_history_first_step_and_at():
    _, h = train(
        quadratic_step(0.5),
        np.zeros(2),
        full_batch(np.diag([1.0, 0.01]), np.ones(2)),
        20,
        probes={"w": lambda w: w.copy()},
        record_every=2,
    )
    assert isinstance(h.steps, np.ndarray) and h.steps.dtype.kind == "i"
    first = h.first_step("w", 0.9)  # coordinate 0 converges fast, coordinate 1 never gets to 0.9
    assert first[0] == h.steps[np.argmax(h["w"][:, 0] >= 0.9)] and np.isnan(first[1])
    assert np.isnan(h.first_step("loss", 1e9))  # a level never reached is NaN, not step 0
    assert h.first_step("loss", 0.51, below=True) > 0
    assert h.at(4) == 2 and np.allclose(h["w"][h.at(20)], h["w"][-1])
    with pytest.raises(ValueError, match="step 3 was not recorded"):
        h.at(3)


def test_first_step_of_any_curve():
    steps = np.array([0, 10, 20, 30])
    curves = np.array([[0.1, 0.0], [0.5, 0.2], [0.95, 0.3], [0.99, 0.4]])
    assert first_step(steps, curves, 0.9)[0] == 20 and np.isnan(first_step(steps, curves, 0.9)[1])
    assert first_step(steps, curves[:, 1], 0.05, below=True) == 0
    with pytest.raises(ValueError, match="values has 3 records but steps has 4"):
        first_step(steps, curves[:3], 0.5)


def _linear_digits_run(lr, steps=300, **options):
    from helpers.datasets import digits

    split = digits()
    torch.manual_seed(0)
    model = torch.nn.Linear(64, 10)
    update = torch_update(
        model, torch.nn.functional.cross_entropy, torch.optim.SGD(model.parameters(), lr=lr)
    )
    batches = minibatches((split.X_train, split.y_train), 32, np.random.default_rng(0))
    return train(update, model, batches, steps, probes={"w": lambda m: 0.0}, **options)


def test_a_large_step_that_never_overflows_is_a_divergence():
    # lr 1e3 on a linear model: losses swing between 0 and ~1900x the first and stay finite;
    # the 20-loss median rises far above divergence_factor ** (1/3) = 100x the first loss
    with pytest.raises(DivergenceError, match="median of the last 20 losses") as info:
        _linear_digits_run(1e3)
    assert info.value.step < 300 and info.value.loss > 100 * info.value.start_loss
    history = info.value.history  # what was recorded until then comes back with the error
    assert isinstance(history, History) and len(history.steps) >= 1
    assert history.steps[-1] < info.value.step and "w" in history
    _, h = _linear_digits_run(0.1)  # the same run at a normal step size: no divergence
    assert not h.stopped_early and h.steps[-1] == 300


def test_divergence_error_carries_the_history():
    A, b = np.eye(2) * 2.0, np.ones(2)
    with pytest.raises(DivergenceError) as info:
        train(quadratic_step(0.6), np.zeros(2), full_batch(A, b), 10_000, probes={"w": sum})
    h = info.value.history
    assert h.steps[0] == 0 and h.steps[-1] == info.value.step - 1
    assert len(h["w"]) == len(h.steps)


def test_a_raised_divergence_factor_lets_a_slow_growth_run():
    # the min-norm chapter runs eta = 1.03 * 2 / lambda_max for 100 steps at factor 1e30
    A, b = np.eye(1), np.ones(1)
    _, h = train(quadratic_step(2.06), np.zeros(1), full_batch(A, b), 100, divergence_factor=1e30)
    assert h.steps[-1] == 100


def test_train_refuses_bad_arguments_by_name():
    ok = (quadratic_step(0.1), np.zeros(1), full_batch(np.eye(1), np.ones(1)), 3)
    with pytest.raises(TypeError, match="update must be a function"):
        train(3, *ok[1:])
    with pytest.raises(TypeError, match="stop .* must be a function"):
        train(*ok, stop=True)
    with pytest.raises(TypeError, match="probes must be a dict"):
        train(*ok, probes=[len])
    with pytest.raises(TypeError, match=r"probes\['a'\] must be a function"):
        train(*ok, probes={"a": 1})
    with pytest.raises(TypeError, match="batches must be an iterable"):
        train(ok[0], ok[1], 5, 3)
    with pytest.raises(TypeError, match=r"update must return a pair \(state, loss\)"):
        train(lambda w, b: (w, 1.0, 2.0), *ok[1:])
    with pytest.raises(TypeError, match="with a number for the loss"):
        train(lambda w, b: (w, "x"), *ok[1:])


def test_minibatches_refuses_one_array_at_the_call():
    with pytest.raises(TypeError, match=r"arrays must be a non-empty list or tuple"):
        minibatches(np.zeros((4, 2)), 2, np.random.default_rng(0))  # not at the first batch


def test_an_infinite_divergence_factor_stops_only_on_a_loss_that_is_not_finite():
    # a run watched while it diverges (min_norm's control above 2 / lambda_max)
    grow = lambda state, batch: (state * 2.0, state * 2.0)  # the loss doubles every step
    state, history = train(grow, 1.0, full_batch(np.zeros(1)), 900, divergence_factor=math.inf)
    assert state == 2.0**900 and len(history.steps) == 901
    with pytest.raises(DivergenceError):
        train(grow, 1.0, full_batch(np.zeros(1)), 1100, divergence_factor=math.inf)  # overflow
    with pytest.raises(DivergenceError):
        train(grow, 1.0, full_batch(np.zeros(1)), 900)  # the default stops it early
