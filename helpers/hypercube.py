"""The hypercube {-1, +1}^d, its parities and their fast transform (Fourier analysis of
Boolean functions).

Index convention: input number ``i`` (0 <= i < 2^d) has x_j = (-1)^(bit j of i), and a
subset I of coordinates is numbered by the bit mask J with bit j set for j in I. Then
``walsh_hadamard(a)[J] = sum_x a(x) chi_I(x)``: the transform lists every parity
coefficient of a function given by its values on all 2^d inputs.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch

from helpers.checks import array, integer, torch_generator


def hypercube(d: int) -> np.ndarray:
    """All 2^d points of {-1, +1}^d as rows, in the index convention above. (2^d, d) int8."""
    d = integer(d, "d", low=1, high=24)
    bits = (np.arange(2**d)[:, None] >> np.arange(d)) & 1
    return (1 - 2 * bits).astype(np.int8)


def parity(X, subset: Sequence[int]):
    """chi_I(x) = prod_{i in I} x_i for each row of X (NumPy array or torch tensor of +-1).
    ``subset``: distinct column indices (a repeated one is refused, as subset_mask does)."""
    values = array(X, "X", ndim=tuple(range(1, 33)))
    if values.size and not np.all(np.abs(values) == 1):
        raise ValueError("X must hold +-1 entries (points of the hypercube {-1, +1}^d)")
    subset = _subset(subset)
    if any(not 0 <= i < X.shape[-1] for i in subset):
        raise ValueError(f"subset must index the {X.shape[-1]} columns of X, got {subset}")
    if isinstance(X, torch.Tensor):
        return X[..., subset].prod(-1)
    return np.prod(X[..., subset], axis=-1)


def _subset(subset) -> list[int]:
    if isinstance(subset, (str, bytes)) or not hasattr(subset, "__iter__"):
        raise TypeError(f"subset must be a list of column indices, got {subset!r}")
    subset = [integer(i, "each index of subset", low=0) for i in subset]
    if len(set(subset)) != len(subset):
        raise ValueError(f"subset must list distinct coordinates, got {subset}")
    return subset


def subset_mask(subset: Sequence[int]) -> int:
    """The index J of subset I in walsh_hadamard's output (distinct indices >= 0)."""
    return int(sum(1 << i for i in _subset(subset)))


def walsh_hadamard(a: np.ndarray) -> np.ndarray:
    """Unnormalized fast Walsh-Hadamard transform along axis 0 (length 2^d), in O(d 2^d).

    Equal to scipy.linalg.hadamard(2^d) @ a; divide by 2^d for the parity
    coefficients E_x[a(x) chi_I(x)].
    """
    a = np.array(array(a, "a", ndim=tuple(range(1, 33))), dtype=float, copy=True)
    n = a.shape[0]
    if n < 1 or n & (n - 1):
        raise ValueError(f"the length along axis 0 must be a power of 2, got {n}")
    h = 1
    while h < n:
        view = a.reshape(n // (2 * h), 2, h, *a.shape[1:])  # pairs of blocks h apart
        top, bottom = view[:, 0].copy(), view[:, 1]
        view[:, 0] += bottom
        view[:, 1] = top - bottom
        h *= 2
    return a


def random_signs(shape, generator: torch.Generator) -> torch.Tensor:
    """Uniform +-1 entries (float32) drawn from ``generator``: fresh samples of the hypercube."""
    generator = torch_generator(generator)
    if isinstance(shape, (int, np.integer)):
        shape = (shape,)
    if not isinstance(shape, (tuple, list, torch.Size)):
        raise TypeError(f"shape must be a tuple of sizes, got {shape!r}")
    shape = tuple(integer(s, "each size in shape", low=0) for s in shape)
    return torch.randint(0, 2, tuple(shape), generator=generator).float() * 2 - 1
