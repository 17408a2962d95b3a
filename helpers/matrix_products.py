"""Deep linear networks as products of matrices: the product, balanced factors, the end-to-end
velocity.

A depth-N linear network is a product B = W_N ... W_1 of matrices (the "factors").
Every function it computes is linear, but gradient descent on the factors moves B
along a different path than gradient descent on B itself. The update rule and the chain
rule for each factor's gradient stand in the chapter on deep linear networks.

All functions accept a leading batch axis (``(..., rows, cols)``), so several
independent problems train as one array program.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from helpers.checks import array, integer, number, numpy_generator, symmetric


def _check_depth(depth) -> int:
    return integer(depth, "depth")


def _check_factors(factors: Sequence[np.ndarray]) -> list[np.ndarray]:
    if isinstance(factors, np.ndarray) and factors.ndim == 2:
        raise TypeError("factors must be a list of matrices [W_1, ..., W_N], got one matrix")
    if not isinstance(factors, (list, tuple, np.ndarray)):
        raise TypeError(f"factors must be a list of matrices, got {type(factors).__name__}")
    factors = [array(W, f"factors[{j}]", ndim=tuple(range(2, 33))) for j, W in enumerate(factors)]
    if not factors:
        raise ValueError("factors must hold at least one matrix W_1 (first) ... W_N (last)")
    for j in range(1, len(factors)):
        if factors[j].shape[-1] != factors[j - 1].shape[-2]:
            raise ValueError(
                f"factors[{j}] has {factors[j].shape[-1]} columns but factors[{j - 1}] has "
                f"{factors[j - 1].shape[-2]} rows: W_{j + 1} W_{j} is not defined"
            )
    return factors


def end_to_end(factors: Sequence[np.ndarray]) -> np.ndarray:
    """The product B = W_N ... W_1 of ``factors`` = [W_1, ..., W_N] (W_1 acts first)."""
    factors = _check_factors(factors)
    B = factors[0]
    for W in factors[1:]:
        B = W @ B
    return B


def balanced_factors(
    B: np.ndarray, depth: int, rng: np.random.Generator | None = None
) -> list[np.ndarray]:
    """Factors W_1..W_N of a square ``B`` that are balanced: W_{j+1}^T W_{j+1} = W_j W_j^T.

    With B = U S V^T: W_1 = Q_1 S^(1/N) V^T, W_j = Q_j S^(1/N) Q_{j-1}^T, W_N = U S^(1/N) Q_{N-1}^T,
    with random orthogonal Q_j drawn from ``rng`` (identity if rng is None).
    """
    depth = _check_depth(depth)
    B = np.asarray(array(B, "B"), dtype=float)
    if rng is not None:
        numpy_generator(rng)
    if B.ndim != 2 or B.shape[0] != B.shape[1]:
        raise ValueError(f"B must be a square matrix, got shape {B.shape}")
    U, s, Vt = np.linalg.svd(B)
    root = np.diag(s ** (1.0 / depth))
    d = B.shape[0]
    Qs = [Vt.T]
    for _ in range(depth - 1):
        Qs.append(
            np.linalg.qr(numpy_generator(rng).standard_normal((d, d)))[0]
            if rng is not None
            else np.eye(d)
        )
    Qs.append(U)
    return [Qs[j + 1] @ root @ Qs[j].T for j in range(depth)]


def psd_power(A: np.ndarray, power: float) -> np.ndarray:
    """A^power (power >= 0; A^0 = I) for a symmetric positive semi-definite A, whose
    eigenvalues below 0 (rounding) are clipped to 0. A matrix that is not symmetric, or
    has an eigenvalue below -1e-6 times its largest (more than rounding), is refused."""
    A = np.asarray(array(A, "A", ndim=tuple(range(2, 33))), dtype=float)
    if A.shape[-1] != A.shape[-2]:
        raise ValueError(f"A must be square, got shape {A.shape}")
    power = number(power, "power")
    if not power >= 0:
        raise ValueError(f"power must be >= 0, got {power!r}")
    symmetric(A, "A")
    lam, Q = np.linalg.eigh((A + np.swapaxes(A, -1, -2)) / 2)
    if lam.size and lam.min() < -1e-6 * max(np.abs(lam).max(), 1e-300):
        raise ValueError(f"A must be positive semi-definite, got an eigenvalue {lam.min():.3g}")
    return _psd_power_of(lam, Q, power)


def _psd_power(A: np.ndarray, power: float) -> np.ndarray:
    """psd_power without the checks, for matrices PSD by construction (B B^T)."""
    lam, Q = np.linalg.eigh((A + np.swapaxes(A, -1, -2)) / 2)
    return _psd_power_of(lam, Q, power)


def _psd_power_of(lam: np.ndarray, Q: np.ndarray, power: float) -> np.ndarray:
    return (Q * np.clip(lam, 0.0, None)[..., None, :] ** power) @ np.swapaxes(Q, -1, -2)


def end_to_end_velocity(B: np.ndarray, grad_B: np.ndarray, depth: int) -> np.ndarray:
    """dB/dt under gradient flow on balanced depth-N factors (Arora, Cohen, Hazan 2018):

    dB/dt = - sum_{j=1..N} (B B^T)^((j-1)/N)  grad_B  (B^T B)^((N-j)/N).
    """
    depth = _check_depth(depth)
    B = np.asarray(array(B, "B", ndim=tuple(range(2, 33))), dtype=float)
    G = np.asarray(array(grad_B, "grad_B", shape=B.shape), dtype=float)
    BBt, BtB = B @ np.swapaxes(B, -1, -2), np.swapaxes(B, -1, -2) @ B
    return -sum(
        _psd_power(BBt, (j - 1) / depth) @ G @ _psd_power(BtB, (depth - j) / depth)
        for j in range(1, depth + 1)
    )
