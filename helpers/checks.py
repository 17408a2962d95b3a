"""Argument checks shared by every helper: one message format, naming the parameter and
what it may be, so that a student's typo fails at the call rather than deep inside."""

from __future__ import annotations

import numbers

import numpy as np


def integer(value, name: str, *, low: int | None = 1, high: int | None = None) -> int:
    """``value`` as an int in [low, high] (either bound None: open). Python and NumPy integers
    are accepted; bools, floats and strings are not."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer{_range(low, high)}, got {value!r}")
    value = int(value)
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(f"{name} must be an integer{_range(low, high)}, got {value!r}")
    return value


def number(
    value,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    open_low: bool = False,
    open_high: bool = False,
) -> float:
    """``value`` as a finite float in the interval given by low/high (closed unless open_*)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{name} must be a number{_interval(low, high, open_low, open_high)}, got {value!r}"
        )
    value = float(value)
    bad = not np.isfinite(value)
    bad |= low is not None and (value <= low if open_low else value < low)
    bad |= high is not None and (value >= high if open_high else value > high)
    if bad:
        raise ValueError(
            f"{name} must be a number{_interval(low, high, open_low, open_high)}, got {value!r}"
        )
    return value


def probability(value, name: str, *, high: float = 1.0) -> float:
    """A number in [0, high] (a fraction, a noise rate)."""
    return number(value, name, low=0.0, high=high)


def numpy_generator(value, name: str = "rng") -> np.random.Generator:
    """A numpy.random.Generator (make one with np.random.default_rng(seed))."""
    if not isinstance(value, np.random.Generator):
        raise TypeError(
            f"{name} must be a numpy.random.Generator (np.random.default_rng(seed)), "
            f"got {type(value).__name__}"
        )
    return value


def torch_generator(value, name: str = "generator"):
    """A torch.Generator (make one with torch.Generator().manual_seed(seed))."""
    import torch

    if not isinstance(value, torch.Generator):
        raise TypeError(
            f"{name} must be a torch.Generator (torch.Generator().manual_seed(seed)), "
            f"got {type(value).__name__}"
        )
    return value


def one_of(value, name: str, allowed) -> object:
    """``value`` if it is one of ``allowed``."""
    if value not in allowed:
        raise ValueError(f"{name} must be one of {list(allowed)}, got {value!r}")
    return value


def _range(low, high) -> str:
    if low is not None and high is not None:
        return f" in [{low}, {high}]"
    if low is not None:
        return f" >= {low}"
    return f" <= {high}" if high is not None else ""


def _interval(low, high, open_low, open_high) -> str:
    if low is None and high is None:
        return ""
    left = "(" if open_low or low is None else "["
    right = ")" if open_high or high is None else "]"
    lo = "-inf" if low is None else f"{low:g}"
    hi = "inf" if high is None else f"{high:g}"
    return f" in {left}{lo}, {hi}{right}"
