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

from helpers.checks import integer, torch_generator


def hypercube(d: int) -> np.ndarray:
    """All 2^d points of {-1, +1}^d as rows, in the index convention above. (2^d, d) int8."""
    d = integer(d, "d", low=1, high=24)
    bits = (np.arange(2**d)[:, None] >> np.arange(d)) & 1
    return (1 - 2 * bits).astype(np.int8)


def parity(X, subset: Sequence[int]):
    """chi_I(x) = prod_{i in I} x_i for each row of X (NumPy array or torch tensor of +-1)."""
    subset = list(subset)
    if any(not 0 <= i < X.shape[-1] for i in subset):
        raise ValueError(f"subset must index the {X.shape[-1]} columns of X, got {subset}")
    if isinstance(X, torch.Tensor):
        return X[..., subset].prod(-1)
    return np.prod(X[..., subset], axis=-1)


def subset_mask(subset: Sequence[int]) -> int:
    """The index J of subset I in walsh_hadamard's output."""
    return int(sum(1 << i for i in set(subset)))


def walsh_hadamard(a: np.ndarray) -> np.ndarray:
    """Unnormalized fast Walsh-Hadamard transform along axis 0 (length 2^d), in O(d 2^d).

    Equal to scipy.linalg.hadamard(2^d) @ a; divide by 2^d for the parity
    coefficients E_x[a(x) chi_I(x)].
    """
    a = np.array(a, dtype=float, copy=True)
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
    return torch.randint(0, 2, tuple(shape), generator=generator).float() * 2 - 1
