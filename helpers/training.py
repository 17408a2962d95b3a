"""The book's one training loop, and what feeds it.

Every chapter trains through ``train``: it passes the update rule (so the rule
itself can stand in the chapter, e.g. the SGD step of linear regression), the
initial state, a stream of batches, and the probes it wants recorded.
"""

from __future__ import annotations

import itertools
import math
import numbers
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from helpers.checks import integer, number, numpy_generator


class DivergenceError(FloatingPointError):
    """Training diverged: the loss became non-finite or grew by ``divergence_factor``."""

    def __init__(self, step: int, loss: float, start_loss: float):
        self.step, self.loss, self.start_loss = step, loss, start_loss
        super().__init__(
            f"training diverged at step {step}: loss {loss:.3g}, up from {start_loss:.3g}. "
            "Lower the step size (for a quadratic loss, gradient descent needs "
            "step size < 2 / largest eigenvalue of the Hessian)."
        )


class BatchesExhausted(RuntimeError):
    """The stream of batches ended before ``steps`` updates were taken."""


@dataclass
class History:
    """What ``train`` recorded: ``steps`` (an int array) and one array per probe (plus 'loss').

    ``history["name"]`` has the recorded steps as its first axis; ``history.at(step)`` is
    the index of a recorded step; ``history.first_step("name", level)`` says when a probe
    first reached a level (NaN where it never did).
    """

    _steps: list[int] = field(default_factory=list)
    records: dict[str, list] = field(default_factory=dict)
    stopped_early: bool = False

    @property
    def steps(self) -> np.ndarray:
        return np.asarray(self._steps, dtype=int)

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self.records:
            raise KeyError(f"no probe named {name!r}; recorded: {sorted(self.records)}")
        return np.asarray(self.records[name])

    def __contains__(self, name: str) -> bool:
        return name in self.records

    def at(self, step: int) -> int:
        """The index of recorded step ``step`` (an error if it was not recorded)."""
        found = np.flatnonzero(self.steps == step)
        if len(found) == 0:
            raise ValueError(
                f"step {step} was not recorded; recorded steps run "
                f"{self.steps[0]}..{self.steps[-1]} ({len(self.steps)} records): "
                "pick one of history.steps or record it (record_every)"
            )
        return int(found[0])

    def first_step(self, name: str, level: float, *, below: bool = False) -> np.ndarray:
        """The first recorded step at which probe ``name`` is >= ``level`` (or <= with
        below=True), separately for every entry of a probe with several values (e.g. one
        per ensemble member); NaN where the level is never reached. See ``first_step``."""
        return first_step(self.steps, self[name], level, below=below)

    def latest(self, name: str) -> Any:
        """The last value recorded for probe ``name`` (what a stopping rule looks at)."""
        if name not in self.records:
            raise KeyError(f"no probe named {name!r}; recorded: {sorted(self.records)}")
        return self.records[name][-1]

    def _append(self, step: int, values: dict[str, Any]) -> None:
        self._steps.append(step)
        for name, value in values.items():
            self.records.setdefault(name, []).append(value)


def first_step(steps, values, level: float, *, below: bool = False) -> np.ndarray:
    """The first of ``steps`` at which ``values`` (steps first, any shape after) is >= ``level``
    (or <= with below=True), for every entry; NaN where the level is never reached, so a
    level that is never reached can never pass for step 0 (``np.argmax`` alone would)."""
    steps, values = np.asarray(steps), np.asarray(values, dtype=float)
    if len(steps) != len(values):
        raise ValueError(f"values has {len(values)} records but steps has {len(steps)}")
    reached = values <= level if below else values >= level
    first = np.argmax(reached, axis=0)
    return np.where(reached.any(axis=0), steps[first], np.nan)


def quiet() -> bool:
    """True in builds and tests (DNL_QUIET=1): no progress bars there."""
    return os.environ.get("DNL_QUIET", "") not in ("", "0")


def _record_steps(steps: int, record_every: int | Sequence[int]) -> set[int]:
    if isinstance(record_every, (numbers.Number, np.bool_)):
        every = integer(record_every, "record_every (an integer >= 1, or a list of steps)")
        chosen = set(range(0, steps + 1, every))
    else:
        chosen = {integer(s, "each step of record_every", low=0) for s in record_every}
        if any(s > steps for s in chosen):
            raise ValueError(
                f"record_every steps must lie in [0, steps={steps}], got {sorted(chosen)}"
            )
    return chosen | {0, steps}


def train(
    update: Callable[[Any, Any], tuple[Any, float]],
    state: Any,
    batches: Iterable,
    steps: int,
    *,
    probes: dict[str, Callable[[Any], Any]] | None = None,
    record_every: int | Sequence[int] = 1,
    stop: Callable[[History], bool] | None = None,
    divergence_factor: float = 1e6,
    progress: bool | None = None,
) -> tuple[Any, History]:
    """Run ``steps`` updates ``state, loss = update(state, batch)``; return (state, history).

    probes: name -> function of the state, evaluated at step 0 (before training),
        every ``record_every`` steps (or at the listed steps) and at the end.
        The loss of the latest batch is recorded as 'loss' (NaN at step 0).
    stop: a function of the history, checked right after each record; True ends training
        early. It reads what the probes just measured (``history.latest("accuracy")``), so
        nothing is computed twice.
    divergence_factor: a loss that is not finite, or above this factor times the
        first loss, raises DivergenceError with the step and a hint.
    progress: a progress bar; default: shown unless DNL_QUIET is set (builds, tests).
    """
    steps = integer(steps, "steps", low=0)
    divergence_factor = number(divergence_factor, "divergence_factor", low=1, open_low=True)
    probes = dict(probes or {})
    if "loss" in probes:
        raise ValueError("probes may not be named 'loss': the loop records the loss itself")
    record_at = _record_steps(steps, record_every)
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
            try:
                batch = next(stream)
            except StopIteration:
                raise BatchesExhausted(
                    f"batches ran out after {step - 1} of steps={steps} updates: pass an endless "
                    "stream (minibatches, full_batch) or fewer steps"
                ) from None
            state, loss = update(state, batch)
            loss = float(loss)
            if start_loss is None:
                start_loss = loss
            if not math.isfinite(loss) or loss > divergence_factor * max(start_loss, 1e-300):
                raise DivergenceError(step, loss, start_loss)
            if bar is not None:
                bar.update()
            if step in record_at:
                record(step, loss)
                if stop is not None and stop(history):
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
    batch_size = integer(batch_size, "batch_size", low=1, high=n)
    rng = numpy_generator(rng)
    while True:
        order = rng.permutation(n)
        for start in range(0, n - batch_size + 1, batch_size):
            idx = order[start : start + batch_size]
            yield tuple(a[_index_for(a, idx)] for a in arrays)


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
