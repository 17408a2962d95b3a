"""Synthetic data sets for the simplicity-bias chapter, and the randomization test.

Every generator returns float32 NumPy arrays X (n, dims) and labels y in {-1, +1}
(float32), drawn from the ``rng`` it is given.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

QUADRANT_SIGNS = np.array([[1, 1], [-1, 1], [-1, -1], [1, -1]])  # quadrants I, II, III, IV


def _check_n(n) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    return int(n)


def _check_fraction(value, name: str, upper: float = 1.0) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating)) or not 0 <= value <= upper:
        raise ValueError(f"{name} must be a number in [0, {upper:g}], got {value!r}")
    return float(value)


def stripes(n: int, rng: np.random.Generator, flipped: tuple[float, float] = (0.6, 0.8)):
    """x uniform on [-1, 1]^2; y = sign(x1), except on the two stripes a < |x1| < b
    (``flipped`` = (a, b)), where the label is flipped. The half-plane x1 > 0 is right on a
    fraction 1 - (b - a) of the inputs; the stripes take a network with more than one kink."""
    n = _check_n(n)
    a, b = flipped
    if not 0 < a < b <= 1:
        raise ValueError(f"flipped must be (a, b) with 0 < a < b <= 1, got {flipped!r}")
    X = rng.uniform(-1, 1, size=(n, 2))
    inside = (np.abs(X[:, 0]) > a) & (np.abs(X[:, 0]) < b)
    y = np.where(X[:, 0] >= 0, 1.0, -1.0) * np.where(inside, -1.0, 1.0)
    return X.astype(np.float32), y.astype(np.float32)


def slab_labels(slabs: int) -> np.ndarray:
    """The label of each of ``slabs`` slabs over [-1, 1] (left to right): +1 for the middle
    slab, alternating outward. Needs an odd number of slabs >= 3."""
    if isinstance(slabs, bool) or not isinstance(slabs, (int, np.integer)) or slabs < 3 or slabs % 2 == 0:
        raise ValueError(f"slabs must be an odd integer >= 3, got {slabs!r}")
    middle = slabs // 2
    return np.array([1.0 if (j - middle) % 2 == 0 else -1.0 for j in range(slabs)])


def lms(n: int, dims: int, slabs: int, rng: np.random.Generator, *, flip: float = 0.0, margin: float = 0.1):
    """Shah et al. (2020)'s LMS-k data: coordinate 0 is Linear, the other ``dims - 1`` are
    k-Slab coordinates, and each alone determines the label.

    Linear: x0 = y * U(margin, 1), except that on a fraction ``flip`` of the examples its
    sign disagrees with y (then it is right only on 1 - flip). Slabs: [-1, 1] cut into
    ``slabs`` equal slabs of alternating label (slab_labels); a coordinate is drawn uniformly
    from a slab of the example's label, away from the slab's edges by margin/2 of its width.
    """
    n = _check_n(n)
    if isinstance(dims, bool) or not isinstance(dims, (int, np.integer)) or dims < 2:
        raise ValueError(f"dims must be an integer >= 2 (one linear and at least one slab coordinate), got {dims!r}")
    labels = slab_labels(slabs)
    flip = _check_fraction(flip, "flip", 0.5)
    margin = _check_fraction(margin, "margin", 0.99)
    y = rng.choice([-1.0, 1.0], size=n)
    linear_sign = np.where(rng.random(n) < flip, -y, y)
    X = np.empty((n, dims))
    X[:, 0] = linear_sign * rng.uniform(margin, 1, size=n)
    width = 2.0 / slabs
    for label in (-1.0, 1.0):
        rows = np.flatnonzero(y == label)
        slab = rng.choice(np.flatnonzero(labels == label), size=(len(rows), dims - 1))
        offset = width * (margin / 2 + (1 - margin) * rng.random((len(rows), dims - 1)))
        X[rows, 1:] = -1 + slab * width + offset
    return X.astype(np.float32), y.astype(np.float32)


def quadrant_xor(n: int, weights: Sequence[float], rng: np.random.Generator, *, margin: float = 0.05):
    """XOR of the signs: y = sign(x1 * x2), with quadrant q (I, II, III, IV) drawn with
    probability ``weights[q]`` and |x1|, |x2| uniform on [margin, 1]. Returns X, y and the
    quadrant index of every example. With weights (3/8, 1/8, 1/8, 3/8) the half-plane
    x2 > 0 is right on 3/4 of the examples; with equal weights no half-plane is."""
    n = _check_n(n)
    weights = np.asarray(weights, dtype=float)
    if weights.shape != (4,) or (weights < 0).any() or not np.isclose(weights.sum(), 1.0):
        raise ValueError(f"weights must be 4 non-negative numbers summing to 1 (quadrants I-IV), got {weights.tolist()!r}")
    margin = _check_fraction(margin, "margin", 0.99)
    quadrant = rng.choice(4, size=n, p=weights)
    X = rng.uniform(margin, 1, size=(n, 2)) * QUADRANT_SIGNS[quadrant]
    y = np.sign(X[:, 0] * X[:, 1])
    return X.astype(np.float32), y.astype(np.float32), quadrant


def shuffle_columns(X, columns: Iterable[int], rng: np.random.Generator):
    """A copy of X with each listed column permuted across examples independently: the
    column keeps its distribution but loses its relation to the label (Shah et al.'s
    S-randomization). Works on NumPy arrays and torch tensors."""
    X = X.clone() if hasattr(X, "clone") else np.array(X, copy=True)
    columns = list(columns)
    for c in columns:
        if not -X.shape[1] <= c < X.shape[1]:
            raise ValueError(f"columns must index the {X.shape[1]} columns of X, got {c}")
        order = rng.permutation(X.shape[0])
        if hasattr(X, "clone"):
            import torch

            order = torch.from_numpy(order)
        X[:, c] = X[order, c]
    return X
