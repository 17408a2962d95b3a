"""Many small MLPs trained as one batched model: the book's one way to train several
networks at once (seeds, settings), with its batches, losses and probes.

``train_ensemble`` is the entry point: layer sizes, loss, batches, steps, step size,
generator and probes in, (model, history) out, through the book's one training loop.

Training M networks one after another in a Python loop pays the per-step overhead M
times; stacking their weights and using batched matrix products pays it once. Measured on
the book's 2-core machine (one torch thread, 64-128-128-10 MLPs on the digits, batch 64,
300 SGD steps): 8 members 0.53 s batched vs 1.41 s in a loop (2.6x); 32 members 2.1 s vs
6.1 s (2.9x).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence

import numpy as np
import torch
import torch.nn.functional as F

from helpers.checks import (
    array,
    class_labels,
    function,
    integer,
    number,
    one_of,
    tensor,
    torch_generator,
)
from helpers.optim import SGD, Adam, AdamW
from helpers.training import History, minibatches, torch_update, train


class MLPEnsemble(torch.nn.Module):
    """M independent ReLU MLPs of layer widths ``sizes``, e.g. (64, 128, 10).

    forward: x of shape (batch, in) (every member sees the same batch) or
    (M, batch, in) (each member its own batch) -> (M, batch, out).
    Each member is initialised as torch.nn.Linear would be, from ``generator``.
    """

    def __init__(self, n_models: int, sizes: Sequence[int], generator: torch.Generator):
        super().__init__()
        n_models = integer(n_models, "n_models")
        if not isinstance(sizes, (list, tuple, range)):
            raise TypeError(
                f"sizes must be a list of >= 2 layer widths, e.g. (64, 128, 10), got {sizes!r}"
            )
        if len(sizes) < 2:
            raise ValueError(f"sizes must list >= 2 positive layer widths, got {sizes!r}")
        sizes = tuple(integer(s, "every layer width in sizes") for s in sizes)
        generator = torch_generator(generator)
        self.n_models, self.sizes = n_models, sizes
        self.weights = torch.nn.ParameterList()
        self.biases = torch.nn.ParameterList()
        for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
            bound = 1.0 / math.sqrt(fan_in)  # nn.Linear's default for weight and bias
            w = torch.empty(n_models, fan_in, fan_out).uniform_(-bound, bound, generator=generator)
            b = torch.empty(n_models, 1, fan_out).uniform_(-bound, bound, generator=generator)
            self.weights.append(torch.nn.Parameter(w))
            self.biases.append(torch.nn.Parameter(b))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        tensor(x, "x", kind="float", ndim=(2, 3))
        if x.dim() == 2:
            x = x.expand(self.n_models, *x.shape)  # (M, batch, in), no copy
        if x.dim() != 3 or x.shape[0] != self.n_models or x.shape[-1] != self.sizes[0]:
            raise ValueError(
                f"x must have shape (batch, {self.sizes[0]}) or "
                f"({self.n_models}, batch, {self.sizes[0]}), got {tuple(x.shape)}"
            )
        last = len(self.weights) - 1
        for i, (w, b) in enumerate(zip(self.weights, self.biases)):
            x = torch.baddbmm(b, x, w)  # (M, batch, fan_out)
            if i < last:
                x = torch.relu(x)
        return x

    def member(self, i: int) -> torch.nn.Sequential:
        """Member ``i`` as an ordinary nn.Sequential holding a copy of its weights."""
        i = integer(i, "i", low=0, high=self.n_models - 1)
        layers: list[torch.nn.Module] = []
        for j, (w, b) in enumerate(zip(self.weights, self.biases)):
            linear = torch.nn.Linear(w.shape[1], w.shape[2])
            with torch.no_grad():
                linear.weight.copy_(w[i].T)
                linear.bias.copy_(b[i, 0])
            layers += [linear, torch.nn.ReLU()] if j < len(self.weights) - 1 else [linear]
        return torch.nn.Sequential(*layers)


def _one_output(out: torch.Tensor) -> torch.Tensor:
    return out.squeeze(-1) if out.shape[-1] == 1 else out


def _cross_entropy(out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """F.cross_entropy, its targets checked first: class labels in [0, classes) (or class
    probabilities of the outputs' shape), so a float or out-of-range label is named."""
    if not (y.dtype.is_floating_point and y.shape == out.shape):
        class_labels(y, "targets (class labels)", out.shape[-1])
    return F.cross_entropy(out, y)


# Losses by name; labels are classes (cross_entropy) or +-1 / real targets (the others).
LOSSES: dict[str, Callable] = {
    "cross_entropy": _cross_entropy,
    "soft_margin": lambda out, y: F.soft_margin_loss(_one_output(out), y),  # log(1 + e^-yf)
    "hinge": lambda out, y: torch.clamp(1 - y * _one_output(out), min=0).mean(),
    "square": lambda out, y: ((_one_output(out) - y) ** 2).mean(),
}
OPTIMIZERS = {"sgd": SGD, "adam": Adam, "adamw": AdamW}  # torch.optim's updates (helpers.optim)


def ensemble_loss(loss_fn, outputs: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Sum over members of each member's mean loss, so that every member gets exactly
    the gradient it would get alone. outputs (M, batch, out); targets (batch,) or (M, batch).
    ``loss_fn`` must average over rows (reduction='mean', torch's default)."""
    function(loss_fn, "loss_fn")
    tensor(outputs, "outputs", kind="floating", ndim=3)
    tensor(targets, "targets", kind=None, ndim=(1, 2))
    if targets.shape[-1] != outputs.shape[1] or (
        targets.dim() == 2 and targets.shape[0] != outputs.shape[0]
    ):
        raise ValueError(
            f"targets must have shape (batch,) or (M, batch) with batch={outputs.shape[1]}, "
            f"M={outputs.shape[0]} as outputs {tuple(outputs.shape)}, got {tuple(targets.shape)}"
        )
    M = outputs.shape[0]
    if targets.dim() == outputs.dim() - 2:
        targets = targets.expand(M, *targets.shape)
    # a mean over all M*batch rows, times M, is the sum of the M per-member means
    return M * loss_fn(outputs.flatten(0, 1), targets.flatten(0, 1))


def train_ensemble(
    sizes: Sequence[int],
    batches: Iterable,
    steps: int,
    *,
    n_models: int,
    generator: torch.Generator,
    lr: float,
    loss: str | Callable = "cross_entropy",
    optimizer: str = "sgd",
    probes: dict[str, Callable] | None = None,
    record_every: int | Sequence[int] = 1,
    stop: Callable | None = None,
    divergence_factor: float = 1e6,
    **optimizer_options,
) -> tuple[MLPEnsemble, History]:
    """Train ``n_models`` MLPs of layer widths ``sizes`` at once; return (model, history).

    batches: (X, y) with X of shape (batch, in) (all members see it) or (M, batch, in)
        (each its own: ensemble_minibatches, stacked_minibatches).
    loss: a name in LOSSES or a function (outputs, targets) -> mean loss.
    optimizer: 'sgd', 'adam' or 'adamw'; optimizer_options (weight_decay, momentum,
        betas) go to it. probes, record_every, stop, divergence_factor: as for ``train``.
    """
    if not isinstance(loss, str):
        function(loss, f"loss (one of {list(LOSSES)} or a function)")
    loss_fn = LOSSES[one_of(loss, "loss", LOSSES)] if isinstance(loss, str) else loss
    lr = number(lr, "lr", low=0, open_low=True)
    model = MLPEnsemble(n_models, sizes, generator)
    opt = OPTIMIZERS[one_of(optimizer, "optimizer", OPTIMIZERS)](
        model.parameters(), lr=lr, **optimizer_options
    )
    update = torch_update(model, lambda out, t: ensemble_loss(loss_fn, out, t), opt)
    return train(
        update,
        model,
        batches,
        steps,
        probes=probes,
        record_every=record_every,
        stop=stop,
        divergence_factor=divergence_factor,
    )


# -- batches: one stream per member, stacked -------------------------------------------


def ensemble_minibatches(arrays: Sequence, batch_size: int, rng, n_models: int) -> Iterator[tuple]:
    """Minibatches for ``n_models`` ensemble members at once, each member with its own
    order of the data: yields tensors stacked as (n_models, batch_size, ...)."""
    n_models = integer(n_models, "n_models")
    return _stacked([minibatches(arrays, batch_size, rng) for _ in range(n_models)])


def stacked_minibatches(arrays: Sequence, batch_size: int, rng) -> Iterator[tuple]:
    """Minibatches for ensemble members that each train on their OWN data set: every array
    has shape (n_models, n, ...); yields tensors (n_models, batch_size, ...), each member
    drawing from its own slice in its own order. NumPy arrays are accepted (as_tensor)."""
    if not isinstance(arrays, (list, tuple)):
        raise TypeError(
            "arrays must be a list or tuple of arrays (n_models, n, ...), e.g. (X, y), "
            f"got {type(arrays).__name__}"
        )
    arrays = [torch.as_tensor(a) for a in arrays]
    if (
        not arrays
        or any(a.dim() < 2 for a in arrays)
        or len({tuple(a.shape[:2]) for a in arrays}) != 1
    ):
        raise ValueError(
            f"arrays must share a shape (n_models, n, ...), got {[tuple(a.shape) for a in arrays]}"
        )
    return _stacked(
        [minibatches([a[m] for a in arrays], batch_size, rng) for m in range(arrays[0].shape[0])]
    )


def _stacked(streams: list[Iterator[tuple]]) -> Iterator[tuple]:
    """One batch from each member's stream, stacked along a new leading (member) axis."""
    while True:
        parts = [next(s) for s in streams]
        yield tuple(torch.stack(column) for column in zip(*parts))


# -- probes: functions of the model, recorded by the training loop ----------------------


def predict(model, X: torch.Tensor) -> torch.Tensor:
    """Every member's predicted label on every row of X, (M, n): the class of the largest
    output, or the sign (+-1) of a single output."""
    function(model, "model")
    tensor(X, "X", kind=None)
    with torch.no_grad():
        out = model(X)
    if out.shape[-1] == 1:
        return torch.where(out[..., 0] > 0, 1.0, -1.0)
    return out.argmax(-1)


def correct(X: torch.Tensor, labels) -> Callable:
    """A probe: which rows of X each member labels as ``labels`` says, (M, n) booleans.
    ``labels`` (n,), or (M, n) when every member has its own: a tensor or a NumPy array
    (kept lenient: the chapters pass both), n the examples of X (its first axis, or its
    second for X of shape (M, n, in))."""
    tensor(X, "X", kind=None, ndim=(1, 2, 3, 4, 5))
    array(labels, "labels", ndim=(1, 2), non_empty=True)
    labels = torch.as_tensor(labels)
    n = X.shape[1] if X.dim() == 3 else X.shape[0]
    if labels.shape[-1] != n:
        raise ValueError(
            f"X and labels must have one row per example: X {tuple(X.shape)} has {n} examples, "
            f"labels {tuple(labels.shape)} has {labels.shape[-1]}"
        )
    return lambda model: (predict(model, X) == labels).numpy()


def accuracy(X: torch.Tensor, labels) -> Callable:
    """A probe: each member's accuracy on (X, labels), (M,)."""
    right = correct(X, labels)
    return lambda model: right(model).mean(-1)


def agreement(X: torch.Tensor, reference) -> Callable:
    """A probe: how often each member agrees with a reference classifier's labels on X, (M,):
    the accuracy against ``reference`` instead of the true labels."""
    return accuracy(X, reference)


def outputs(X: torch.Tensor) -> Callable:
    """A probe: every member's outputs on X, (M, n, out) as a NumPy array."""
    tensor(X, "X", kind=None)

    def probe(model):
        with torch.no_grad():
            return model(X).numpy()

    return probe


def group_means(values, group_size: int) -> np.ndarray:
    """Means over consecutive blocks of ``group_size`` members (e.g. the members trained on
    one setting): values (..., M) -> (..., M // group_size)."""
    values = array(values, "values", finite=False, ndim=tuple(range(1, 33)))
    group_size = integer(group_size, "group_size")
    if values.shape[-1] % group_size:
        raise ValueError(
            f"the last axis ({values.shape[-1]}) must be a multiple of group_size={group_size}"
        )
    return values.reshape(*values.shape[:-1], -1, group_size).mean(-1)
