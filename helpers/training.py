"""The book's one training loop, and what feeds it.

Every chapter trains through ``train``: it passes the update rule (so the rule
itself can stand in the chapter, e.g. the SGD step of linear regression), the
initial state, a stream of batches, and the probes it wants recorded.
"""

from __future__ import annotations

import collections
import itertools
import math
import numbers
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from helpers.checks import array, function, integer, number, numpy_generator

SUSTAINED_WINDOW = 20  # losses whose median the sustained-divergence rule reads


class DivergenceError(FloatingPointError):
    """Training diverged: the loss became non-finite or grew by ``divergence_factor``, or
    the median of the last SUSTAINED_WINDOW losses stayed above divergence_factor ** (1/3)
    times the first loss (see ``train``).

    Attributes: ``step`` (the update whose loss diverged), ``loss`` (that loss, or the
    median for the sustained rule), ``start_loss`` (the first loss) and ``history``: the
    History recorded up to the last record before the divergence (its probes and losses),
    so that a stopped run can still be plotted and inspected.
    """

    def __init__(
        self,
        step: int,
        loss: float,
        start_loss: float,
        history: History | None = None,
        *,
        sustained: bool = False,
    ):
        self.step, self.loss, self.start_loss = step, loss, start_loss
        self.history = history if history is not None else History()
        what = f"the median of the last {SUSTAINED_WINDOW} losses" if sustained else "loss"
        super().__init__(
            f"training diverged at step {step}: {what} {loss:.3g}, up from {start_loss:.3g}. "
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
        """The index of recorded step ``step`` (an error if it was not recorded). A float
        that is a whole number is accepted (``first_step`` returns floats, NaN for never)."""
        if isinstance(step, numbers.Real) and not isinstance(step, numbers.Integral):
            if not (math.isfinite(step) and step == int(step)):
                raise ValueError(f"step must be a recorded step (an integer >= 0), got {step!r}")
            step = int(step)
        step = integer(step, "step", low=0)
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
    steps = array(steps, "steps", ndim=1)
    values = np.asarray(array(values, "values", finite=False, ndim=tuple(range(1, 33))), float)
    level = number(level, "level")
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
    divergence_factor: a loss that is not finite (NaN or inf), or above this factor times
        the first loss, raises DivergenceError with the step, a hint and the history so far
        (``error.history``). So does a loss that stays high without exploding: the median of
        the last 20 losses above divergence_factor ** (1/3) times the first loss (100 for
        the default 1e6). Measured on the digits (minibatches of 32, 400 steps): a linear
        model at SGD lr 1e3 swings between 0 and 1900x its first loss and never overflows,
        its 20-loss median reaching 660x; the same runs at lr <= 1 and Adam at lr <= 0.1,
        and trained networks trained on (SGD lr <= 1, Adam lr <= 0.01, where a first loss
        of 0.07 makes every later loss look large), stayed below 12x, most below 2x.
        ``math.inf`` stops only on a loss that is not finite (to watch a run diverge).
    progress: a progress bar; default: shown unless DNL_QUIET is set (builds, tests).
    update, probes (name -> function) and stop are checked to be functions, batches to be
    iterable, and update to return a pair (state, loss) with a number for the loss.
    """
    update = function(update, "update")
    steps = integer(steps, "steps", low=0)
    if divergence_factor != math.inf:  # inf: stop only on a loss that is not finite
        divergence_factor = number(divergence_factor, "divergence_factor", low=1, open_low=True)
    if probes is not None and not isinstance(probes, dict):
        raise TypeError(
            "probes must be a dict of name -> function of the state (e.g. "
            f"{{'accuracy': accuracy(X, y)}}), got {type(probes).__name__}"
        )
    probes = dict(probes or {})
    for name, probe in probes.items():
        function(probe, f"probes[{name!r}]")
    if stop is not None:
        function(stop, "stop (a function of the history, or None)")
    if progress is not None and not isinstance(progress, (bool, np.bool_)):
        raise TypeError(f"progress must be True, False or None, got {progress!r}")
    try:
        stream = iter(batches)
    except TypeError:
        raise TypeError(
            "batches must be an iterable of batches (minibatches(...), full_batch(...)), "
            f"got {type(batches).__name__}"
        ) from None
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
    start_loss = None
    sustained_factor = divergence_factor ** (1 / 3)
    recent: collections.deque = collections.deque(maxlen=SUSTAINED_WINDOW)
    try:
        for step in range(1, steps + 1):
            try:
                batch = next(stream)
            except StopIteration:
                raise BatchesExhausted(
                    f"batches ran out after {step - 1} of steps={steps} updates: pass an endless "
                    "stream (minibatches, full_batch) or fewer steps"
                ) from None
            state, loss = _state_and_loss(update(state, batch), step)
            if start_loss is None:
                start_loss = loss
            reference = max(start_loss, 1e-300) if math.isfinite(start_loss) else math.nan
            if not math.isfinite(loss) or loss > divergence_factor * reference:
                raise DivergenceError(step, loss, start_loss, history)
            recent.append(loss)
            if len(recent) == SUSTAINED_WINDOW and loss > sustained_factor * reference:
                median = float(np.median(recent))  # read only when the loss itself is high
                if median > sustained_factor * reference:
                    raise DivergenceError(step, median, start_loss, history, sustained=True)
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


def _state_and_loss(result, step: int) -> tuple[Any, float]:
    if not isinstance(result, tuple) or len(result) != 2:
        got = f"a tuple of {len(result)}" if isinstance(result, tuple) else type(result).__name__
        raise TypeError(f"update must return a pair (state, loss), got {got} at step {step}")
    state, loss = result
    try:
        if isinstance(loss, (bool, np.bool_, str, bytes)):
            raise TypeError
        loss = float(loss)
    except (TypeError, ValueError):
        raise TypeError(
            f"update must return (state, loss) with a number for the loss, got a loss of "
            f"type {type(loss).__name__} at step {step} (a one-element tensor: loss.item())"
        ) from None
    return state, loss


def minibatches(arrays: Sequence, batch_size: int, rng: np.random.Generator) -> Iterator[tuple]:
    """Endless minibatches of ``arrays`` (a list or tuple of arrays, all of one length n),
    reshuffled every epoch with ``rng``. Works for NumPy arrays and torch tensors alike."""
    if not isinstance(arrays, (list, tuple)) or not arrays:
        raise TypeError(
            "arrays must be a non-empty list or tuple of arrays of one length, e.g. (X, y) "
            f"(one array: [X]), got {type(arrays).__name__}"
        )
    for k, a in enumerate(arrays):
        if not hasattr(a, "shape") or len(a.shape) == 0:
            raise TypeError(
                f"arrays[{k}] must be a NumPy array or torch tensor with a first axis, got "
                f"{type(a).__name__}: convert it with np.asarray(a) or torch.as_tensor(a)"
            )
    n = len(arrays[0])
    if any(len(a) != n for a in arrays):
        raise ValueError(f"arrays must have one length, got {[len(a) for a in arrays]}")
    batch_size = integer(batch_size, "batch_size", low=1, high=n)
    rng = numpy_generator(rng)
    return _minibatches(arrays, n, batch_size, rng)  # checked now, not at the first batch


def _minibatches(arrays, n: int, batch_size: int, rng: np.random.Generator) -> Iterator[tuple]:
    while True:
        order = rng.permutation(n)
        for start in range(0, n - batch_size + 1, batch_size):
            idx = order[start : start + batch_size]
            yield tuple(a[_index_for(a, idx)] for a in arrays)


def _index_for(data, idx: np.ndarray):
    if type(data).__module__.startswith("torch"):
        import torch

        return torch.from_numpy(idx).to(data.device)
    return idx


def full_batch(*arrays) -> Iterator[tuple]:
    """The whole data set as every batch (gradient descent rather than SGD)."""
    return itertools.repeat(tuple(arrays))


def torch_update(model, loss_fn: Callable, optimizer) -> Callable:
    """An ``update`` for ``train`` that takes one optimizer step of ``model`` on a batch (X, y)."""
    function(model, "model (a torch.nn.Module)")
    function(loss_fn, "loss_fn")
    if not (hasattr(optimizer, "zero_grad") and hasattr(optimizer, "step")):
        raise TypeError(
            "optimizer must be an optimizer with zero_grad and step "
            "(helpers.optim.SGD(model.parameters(), lr=...), or torch.optim's), "
            f"got {type(optimizer).__name__}"
        )

    def update(state, batch):
        X, y = batch
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(state(X), y)
        loss.backward()
        optimizer.step()
        return state, loss.item()

    return update
