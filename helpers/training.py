"""The book's one training loop, and what feeds it.

Every chapter trains through ``train``: it passes the update rule (so the rule
itself can stand in the chapter, e.g. the SGD step of linear regression), the
initial state, a stream of batches, and the probes it wants recorded.
"""

from __future__ import annotations

import itertools
import math
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np


class DivergenceError(FloatingPointError):
    """Training diverged: the loss became non-finite or grew by ``divergence_factor``."""

    def __init__(self, step: int, loss: float, start_loss: float):
        self.step, self.loss, self.start_loss = step, loss, start_loss
        super().__init__(
            f"training diverged at step {step}: loss {loss:.3g}, up from {start_loss:.3g}. "
            "Lower the step size (for a quadratic loss, gradient descent needs "
            "step size < 2 / largest eigenvalue of the Hessian)."
        )


@dataclass
class History:
    """What ``train`` recorded: ``steps`` and one list per probe (plus 'loss')."""

    steps: list[int] = field(default_factory=list)
    records: dict[str, list] = field(default_factory=dict)
    stopped_early: bool = False

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self.records:
            raise KeyError(f"no probe named {name!r}; recorded: {sorted(self.records)}")
        return np.asarray(self.records[name])

    def __contains__(self, name: str) -> bool:
        return name in self.records

    def _append(self, step: int, values: dict[str, Any]) -> None:
        self.steps.append(step)
        for name, value in values.items():
            self.records.setdefault(name, []).append(value)


def quiet() -> bool:
    """True in builds and tests (DNL_QUIET=1): no progress bars there."""
    return os.environ.get("DNL_QUIET", "") not in ("", "0")


def _record_steps(steps: int, record_every: int | Sequence[int]) -> set[int]:
    if isinstance(record_every, (int, np.integer)) and not isinstance(record_every, bool):
        if record_every < 1:
            raise ValueError(f"record_every must be >= 1, got {record_every!r}")
        chosen = set(range(0, steps + 1, int(record_every)))
    else:
        chosen = {int(s) for s in record_every}
        if any(s < 0 or s > steps for s in chosen):
            raise ValueError(f"record_every steps must lie in [0, steps={steps}], got {sorted(chosen)}")
    return chosen | {0, steps}


def train(
    update: Callable[[Any, Any], tuple[Any, float]],
    state: Any,
    batches: Iterable,
    steps: int,
    *,
    probes: dict[str, Callable[[Any], Any]] | None = None,
    record_every: int | Sequence[int] = 1,
    stop: Callable[[Any], bool] | None = None,
    divergence_factor: float = 1e6,
    progress: bool | None = None,
) -> tuple[Any, History]:
    """Run ``steps`` updates ``state, loss = update(state, batch)``; return (state, history).

    probes: name -> function of the state, evaluated at step 0 (before training),
        every ``record_every`` steps (or at the listed steps) and at the end.
        The loss of the latest batch is recorded as 'loss' (NaN at step 0).
    stop: a function of the state, checked at record steps; True ends training early.
    divergence_factor: a loss that is not finite, or above this factor times the
        first loss, raises DivergenceError with the step and a hint.
    progress: a progress bar; default: shown unless DNL_QUIET is set (builds, tests).
    """
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"steps must be a non-negative integer, got {steps!r}")
    if not divergence_factor > 1:
        raise ValueError(f"divergence_factor must be > 1, got {divergence_factor!r}")
    probes = dict(probes or {})
    if "loss" in probes:
        raise ValueError("probes may not be named 'loss': the loop records the loss itself")
    record_at = _record_steps(int(steps), record_every)
    history = History()
    bar = None
    if progress if progress is not None else not quiet():
        from tqdm.auto import tqdm

        bar = tqdm(total=steps, leave=False)

    def record(step: int, loss: float) -> None:
        history._append(step, {"loss": loss, **{k: f(state) for k, f in probes.items()}})

    record(0, math.nan)
    stream = iter(batches)
    start_loss = None
    try:
        for step in range(1, steps + 1):
            state, loss = update(state, next(stream))
            loss = float(loss)
            if start_loss is None:
                start_loss = loss
            if not math.isfinite(loss) or loss > divergence_factor * max(start_loss, 1e-300):
                raise DivergenceError(step, loss, start_loss)
            if bar is not None:
                bar.update()
            if step in record_at:
                record(step, loss)
                if stop is not None and stop(state):
                    history.stopped_early = step < steps
                    break
    finally:
        if bar is not None:
            bar.close()
    return state, history


def minibatches(arrays: Sequence, batch_size: int, rng: np.random.Generator) -> Iterator[tuple]:
    """Endless minibatches of ``arrays`` (all of one length n), reshuffled every epoch
    with ``rng``. Works for NumPy arrays and torch tensors alike."""
    n = len(arrays[0])
    if any(len(a) != n for a in arrays):
        raise ValueError(f"arrays must have one length, got {[len(a) for a in arrays]}")
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or not 1 <= batch_size <= n:
        raise ValueError(f"batch_size must be an integer in [1, {n}], got {batch_size!r}")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    while True:
        order = rng.permutation(n)
        for start in range(0, n - batch_size + 1, batch_size):
            idx = order[start : start + batch_size]
            yield tuple(a[_index_for(a, idx)] for a in arrays)


def ensemble_minibatches(arrays: Sequence, batch_size: int, rng: np.random.Generator, n_models: int) -> Iterator[tuple]:
    """Minibatches for ``n_models`` ensemble members at once, each member with its own
    order of the data: yields tensors stacked as (n_models, batch_size, ...)."""
    if isinstance(n_models, bool) or not isinstance(n_models, (int, np.integer)) or n_models < 1:
        raise ValueError(f"n_models must be a positive integer, got {n_models!r}")
    return _stacked([minibatches(arrays, batch_size, rng) for _ in range(n_models)])


def stacked_minibatches(arrays: Sequence, batch_size: int, rng: np.random.Generator) -> Iterator[tuple]:
    """Minibatches for ensemble members that each train on their OWN data set: every array
    has shape (n_models, n, ...); yields tensors (n_models, batch_size, ...), each member
    drawing from its own slice in its own order."""
    import torch

    arrays = [torch.as_tensor(a) for a in arrays]
    if not arrays or any(a.dim() < 2 for a in arrays) or len({tuple(a.shape[:2]) for a in arrays}) != 1:
        raise ValueError(f"arrays must share a shape (n_models, n, ...), got {[tuple(a.shape) for a in arrays]}")
    return _stacked([minibatches([a[m] for a in arrays], batch_size, rng) for m in range(arrays[0].shape[0])])


def _stacked(streams: list[Iterator[tuple]]) -> Iterator[tuple]:
    """One batch from each member's stream, stacked along a new leading (member) axis."""
    import torch

    while True:
        parts = [next(s) for s in streams]
        yield tuple(torch.stack(column) for column in zip(*parts))


def _index_for(array, idx: np.ndarray):
    if type(array).__module__.startswith("torch"):
        import torch

        return torch.from_numpy(idx).to(array.device)
    return idx


def full_batch(*arrays) -> Iterator[tuple]:
    """The whole data set as every batch (gradient descent rather than SGD)."""
    return itertools.repeat(tuple(arrays))


def torch_update(model, loss_fn: Callable, optimizer) -> Callable:
    """An ``update`` for ``train`` that takes one optimizer step of ``model`` on a batch (X, y)."""

    def update(state, batch):
        X, y = batch
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(state(X), y)
        loss.backward()
        optimizer.step()
        return state, loss.item()

    return update
