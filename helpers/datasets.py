"""Every data set of the book, in one place: scikit-learn's bundled handwritten digits, the
10,000 real MNIST digits vendored with the book, and the synthetic sets the chapters draw.

Nothing here touches the network: the digits ship with scikit-learn, MNIST's 10,000 with
the book (helpers/data), and the synthetic sets are drawn from the generator the caller
passes. The synthetic classification sets return float32 NumPy arrays X (n, dims) and
labels y in {-1, +1} (float32).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

import numpy as np
import torch

from helpers.checks import array, integer, number, numpy_generator, probability


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

    test_fraction = number(
        test_fraction, "test_fraction", low=0, high=1, open_low=True, open_high=True
    )
    seed = integer(seed, "seed", low=0, high=2**32 - 1)
    X, y = load_digits(return_X_y=True)
    X_tr, X_te, y_tr, y_te = train_test_split(
        X / 16.0, y, test_size=test_fraction, random_state=seed, stratify=y
    )
    as_x = lambda a: torch.as_tensor(a, dtype=torch.float32)  # noqa: E731
    as_y = lambda a: torch.as_tensor(a, dtype=torch.int64)  # noqa: E731
    return Split(as_x(X_tr), as_y(y_tr), as_x(X_te), as_y(y_te))


def mnist(n_train: int = 8000, n_test: int = 2000, seed: int = 0) -> Split:
    """Real MNIST, offline: a stratified split of the 10,000 digits vendored with the book
    (``helpers.mnist.vendored_mnist``; the first 10,000 of MNIST's training set), drawn from
    ``seed``. X: float32 (n, 784), pixels in [0, 1] (reshape to (n, 1, 28, 28) for a CNN);
    y: int64 labels 0-9. For the full 70,000, see ``helpers.mnist.load_mnist`` (downloads).
    """
    from sklearn.model_selection import train_test_split

    from helpers.mnist import vendored_mnist

    n_train = integer(n_train, "n_train", low=10, high=9990)
    n_test = integer(n_test, "n_test", low=10, high=10000 - n_train)
    seed = integer(seed, "seed", low=0, high=2**32 - 1)
    images, labels = vendored_mnist()
    X_tr, X_te, y_tr, y_te = train_test_split(
        images.reshape(len(images), -1),
        labels,
        train_size=n_train,
        test_size=n_test,
        random_state=seed,
        stratify=labels,
    )
    as_x = lambda a: torch.as_tensor(a, dtype=torch.float32) / 255  # noqa: E731
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
    ``signal_norm``, y = X beta + noise * N(0, 1). Used in the minimum-norm chapter."""
    n, d = integer(n, "n"), integer(d, "d")
    signal_norm = number(signal_norm, "signal_norm", low=0)
    noise = number(noise, "noise", low=0)
    rng = numpy_generator(rng)
    X = rng.standard_normal((n, d))
    direction = rng.standard_normal(d)
    beta = signal_norm * direction / np.linalg.norm(direction)
    y = X @ beta + noise * rng.standard_normal(n)
    return Regression(X, y, beta)


QUADRANT_SIGNS = np.array([[1, 1], [-1, 1], [-1, -1], [1, -1]])  # quadrants I, II, III, IV


def stripes(n: int, rng: np.random.Generator, flipped: tuple[float, float] = (0.6, 0.8)):
    """x uniform on [-1, 1]^2; y = sign(x1), except on the two stripes a < |x1| < b
    (``flipped`` = (a, b)), where the label is flipped. The half-plane x1 > 0 is right on a
    fraction 1 - (b - a) of the inputs; the stripes take a network with more than one kink."""
    n, rng = integer(n, "n"), numpy_generator(rng)
    if not isinstance(flipped, (tuple, list)) or len(flipped) != 2:
        raise TypeError(f"flipped must be a pair (a, b) with 0 < a < b <= 1, got {flipped!r}")
    a = number(flipped[0], "flipped[0] (a, with 0 < a < b <= 1)")
    b = number(flipped[1], "flipped[1] (b, with 0 < a < b <= 1)")
    if not 0 < a < b <= 1:
        raise ValueError(f"flipped must be (a, b) with 0 < a < b <= 1, got {flipped!r}")
    X = rng.uniform(-1, 1, size=(n, 2))
    inside = (np.abs(X[:, 0]) > a) & (np.abs(X[:, 0]) < b)
    y = np.where(X[:, 0] >= 0, 1.0, -1.0) * np.where(inside, -1.0, 1.0)
    return X.astype(np.float32), y.astype(np.float32)


def slab_labels(slabs: int) -> np.ndarray:
    """The label of each of ``slabs`` slabs over [-1, 1] (left to right): +1 for the middle
    slab, alternating outward. Needs an odd number of slabs >= 3."""
    slabs = integer(slabs, "slabs", low=3)
    if slabs % 2 == 0:
        raise ValueError(f"slabs must be an odd integer >= 3, got {slabs!r}")
    middle = slabs // 2
    return np.array([1.0 if (j - middle) % 2 == 0 else -1.0 for j in range(slabs)])


def lms(
    n: int,
    dims: int,
    slabs: int,
    rng: np.random.Generator,
    *,
    flip: float = 0.0,
    margin: float = 0.1,
):
    """Shah et al. (2020)'s LMS-k data: coordinate 0 is Linear, the other ``dims - 1`` are
    k-Slab coordinates, and each alone determines the label.

    Linear: x0 = y * U(margin, 1), except that on a fraction ``flip`` of the examples its
    sign disagrees with y (then it is right only on 1 - flip). Slabs: [-1, 1] cut into
    ``slabs`` equal slabs of alternating label (slab_labels); a coordinate is drawn uniformly
    from a slab of the example's label, away from the slab's edges by margin/2 of its width.
    """
    n, rng = integer(n, "n"), numpy_generator(rng)
    dims = integer(dims, "dims (one linear and at least one slab coordinate)", low=2)
    labels = slab_labels(slabs)
    flip = probability(flip, "flip", high=0.5)
    margin = probability(margin, "margin", high=0.99)
    y = rng.choice([-1.0, 1.0], size=n)
    linear_sign = np.where(rng.random(n) < flip, -y, y)
    X = np.empty((n, dims))
    X[:, 0] = linear_sign * rng.uniform(margin, 1, size=n)
    width = 2.0 / len(labels)
    for label in (-1.0, 1.0):
        rows = np.flatnonzero(y == label)
        slab = rng.choice(np.flatnonzero(labels == label), size=(len(rows), dims - 1))
        offset = width * (margin / 2 + (1 - margin) * rng.random((len(rows), dims - 1)))
        X[rows, 1:] = -1 + slab * width + offset
    return X.astype(np.float32), y.astype(np.float32)


def quadrant_xor(
    n: int, weights: Sequence[float], rng: np.random.Generator, *, margin: float = 0.05
):
    """XOR of the signs: y = sign(x1 * x2), with quadrant q (I, II, III, IV) drawn with
    probability ``weights[q]`` and |x1|, |x2| uniform on [margin, 1]. Returns X, y and the
    quadrant index of every example. With weights (3/8, 1/8, 1/8, 3/8) the half-plane
    x2 > 0 is right on 3/4 of the examples."""
    n, rng = integer(n, "n"), numpy_generator(rng)
    weights = np.asarray(array(weights, "weights", finite=False), dtype=float)
    if weights.shape != (4,) or (weights < 0).any() or not np.isclose(weights.sum(), 1.0):
        raise ValueError(
            "weights must be 4 non-negative numbers summing to 1 (quadrants I-IV), "
            f"got {weights.tolist()!r}"
        )
    margin = probability(margin, "margin", high=0.99)
    quadrant = rng.choice(4, size=n, p=weights)
    X = rng.uniform(margin, 1, size=(n, 2)) * QUADRANT_SIGNS[quadrant]
    y = np.sign(X[:, 0] * X[:, 1])
    return X.astype(np.float32), y.astype(np.float32), quadrant


def shuffle_columns(X, columns: Iterable[int], rng: np.random.Generator):
    """A copy of X with each listed column permuted across examples independently: the
    column keeps its distribution but loses its relation to the label (Shah et al.'s
    S-randomization). Works on NumPy arrays and torch tensors."""
    rng = numpy_generator(rng)
    if not isinstance(X, torch.Tensor):
        array(X, "X", ndim=2)
    elif X.dim() != 2:
        raise ValueError(f"X must have 2 dimensions (examples, columns), got {tuple(X.shape)}")
    if isinstance(columns, (str, bytes)) or not hasattr(columns, "__iter__"):
        raise TypeError(f"columns must be a list of column indices, got {columns!r}")
    columns = [integer(c, "each of columns", low=None) for c in columns]
    X = X.clone() if isinstance(X, torch.Tensor) else np.array(X, copy=True)
    for c in list(columns):
        if not -X.shape[1] <= c < X.shape[1]:
            raise ValueError(f"columns must index the {X.shape[1]} columns of X, got {c}")
        order = rng.permutation(X.shape[0])
        X[:, c] = X[torch.from_numpy(order) if isinstance(X, torch.Tensor) else order, c]
    return X
