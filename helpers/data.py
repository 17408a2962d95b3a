"""The book's data: scikit-learn's bundled handwritten digits and synthetic sets.

Nothing here touches the network: the digits ship with scikit-learn, and the
synthetic sets are drawn from a generator the caller passes.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import torch


class Split(NamedTuple):
    """A train/test split; X has shape (n, features), y shape (n,)."""

    X_train: torch.Tensor
    y_train: torch.Tensor
    X_test: torch.Tensor
    y_test: torch.Tensor


def digits(test_fraction: float = 0.25, seed: int = 0) -> Split:
    """The 1,797 8x8 handwritten digits (UCI, bundled with scikit-learn), pixels in [0, 1].

    X: float32 (n, 64); y: int64 labels 0-9. The split is stratified by class and
    drawn from ``seed``, so two calls with one seed give the same split.
    """
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must be in (0, 1), got {test_fraction!r}")
    X, y = load_digits(return_X_y=True)
    X_tr, X_te, y_tr, y_te = train_test_split(
        X / 16.0, y, test_size=test_fraction, random_state=seed, stratify=y
    )
    as_x = lambda a: torch.as_tensor(a, dtype=torch.float32)  # noqa: E731
    as_y = lambda a: torch.as_tensor(a, dtype=torch.int64)  # noqa: E731
    return Split(as_x(X_tr), as_y(y_tr), as_x(X_te), as_y(y_te))


class Regression(NamedTuple):
    """Linear-regression data y = X beta + noise. X (n, d), y (n,), beta (d,)."""

    X: np.ndarray
    y: np.ndarray
    beta: np.ndarray


def gaussian_regression(
    n: int, d: int, rng: np.random.Generator, *, signal_norm: float = 1.0, noise: float = 0.0
) -> Regression:
    """Isotropic Gaussian design: x ~ N(0, I_d), beta uniform on the sphere of radius
    ``signal_norm``, y = X beta + noise * N(0, 1). Used in the minimum-norm chapter.
    """
    for name, value in (("n", n), ("d", d)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    if signal_norm < 0 or noise < 0:
        raise ValueError(f"signal_norm and noise must be >= 0, got {signal_norm!r}, {noise!r}")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    X = rng.standard_normal((n, d))
    direction = rng.standard_normal(d)
    beta = signal_norm * direction / np.linalg.norm(direction)
    y = X @ beta + noise * rng.standard_normal(n)
    return Regression(X, y, beta)
