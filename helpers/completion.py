"""Matrix completion: low-rank targets, observation masks, the rank of a solution and the
convex baseline (the completion of least nuclear norm, by ADMM)."""

from __future__ import annotations

import warnings

import numpy as np

from helpers.checks import array, integer, number, numpy_generator


class NotConverged(RuntimeWarning):
    """An iterative solver stopped at its iteration cap before reaching its tolerance."""


def effective_rank(M: np.ndarray) -> np.ndarray:
    """Effective rank (Roy & Vetterli 2007): exp of the entropy of the normalised singular values.

    Equals r for a matrix with r equal non-zero singular values; 0 for the zero matrix.
    """
    M = array(M, "M", ndim=tuple(range(2, 33)), non_empty=True)
    s = np.linalg.svd(np.asarray(M, dtype=float), compute_uv=False)
    total = s.sum(axis=-1, keepdims=True)
    p = np.divide(s, total, out=np.zeros_like(s), where=total > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        entropy = -np.sum(np.where(p > 0, p * np.log(p), 0.0), axis=-1)
    return np.where(total[..., 0] > 0, np.exp(entropy), 0.0)


def low_rank_matrix(
    size: int, rank: int, rng: np.random.Generator, frobenius: float | None = None
) -> np.ndarray:
    """A random size x size matrix of the given rank: U V^T with Gaussian U, V (size x rank),
    rescaled to Frobenius norm ``frobenius`` (default: size)."""
    size = integer(size, "size")
    rank = integer(rank, "rank", low=1, high=size)
    rng = numpy_generator(rng)
    if frobenius is not None:
        frobenius = number(frobenius, "frobenius (None: size)", low=0, open_low=True)
    M = rng.standard_normal((size, rank)) @ rng.standard_normal((rank, size))
    return M * ((size if frobenius is None else frobenius) / np.linalg.norm(M))


def observation_mask(
    shape: tuple[int, int], n_observed: int, rng: np.random.Generator
) -> np.ndarray:
    """A boolean mask with ``n_observed`` entries True, chosen uniformly without replacement."""
    if not isinstance(shape, (tuple, list)) or len(shape) != 2:
        raise TypeError(f"shape must be a pair (rows, columns), got {shape!r}")
    shape = tuple(integer(s, "each size in shape (rows, columns)") for s in shape)
    total = int(np.prod(shape))
    n_observed = integer(n_observed, "n_observed", low=1, high=total)
    rng = numpy_generator(rng)
    mask = np.zeros(total, dtype=bool)
    mask[rng.choice(total, size=n_observed, replace=False)] = True
    return mask.reshape(shape)


def singular_value_threshold(A: np.ndarray, tau: float) -> np.ndarray:
    """The proximal step of tau * nuclear norm: shrink every singular value of A by tau."""
    A = array(A, "A", ndim=2, non_empty=True)
    tau = number(tau, "tau", low=0)
    U, s, Vt = np.linalg.svd(A, full_matrices=False)
    return (U * np.maximum(s - tau, 0.0)) @ Vt


def min_nuclear_norm_completion(
    observed: np.ndarray,
    mask: np.ndarray,
    *,
    rho: float = 1.0,
    iterations: int = 2000,
    tol: float = 1e-7,
) -> tuple[np.ndarray, np.ndarray]:
    """The matrix of least nuclear norm that agrees with ``observed`` where ``mask`` is True.

    ADMM on  min ||Z||_*  s.t.  X = Z,  X agrees with the observations:
        X <- observed on the mask, Z - U elsewhere;  Z <- SVT(X + U, 1/rho);  U <- U + X - Z.
    Returns (Z, dual): ``dual`` = rho * U is supported on the mask and, at the optimum, a
    subgradient of the nuclear norm at Z (spectral norm <= 1, <dual, Z> = ||Z||_*), which
    certifies optimality (see the tests). Stops when ||X - Z|| and the change of Z are
    below tol * ||observed||; if ``iterations`` run out first, warns with NotConverged
    (the result is then only approximate: raise ``iterations`` or loosen ``tol``).
    """
    observed = np.asarray(array(observed, "observed", finite=False), dtype=float)
    mask = array(mask, "mask", kind="bool")  # a 0/1 or 0.5 mask is refused, not cast
    if observed.shape != mask.shape or observed.ndim != 2:
        raise ValueError(
            "observed and mask must be matrices of one shape, "
            f"got {observed.shape} and {mask.shape}"
        )
    if not np.isfinite(observed[mask]).all():  # entries off the mask are never read
        raise ValueError("observed must be finite where mask is True, got a NaN or inf there")
    rho = number(rho, "rho", low=0, open_low=True)
    iterations = integer(iterations, "iterations")
    tol = number(tol, "tol", low=0, open_low=True)
    scale = max(np.linalg.norm(observed[mask]), 1e-300)
    Z = np.where(mask, observed, 0.0)
    U = np.zeros_like(Z)
    done = False
    for _ in range(iterations):
        X = np.where(mask, observed, Z - U)
        Z_new = singular_value_threshold(X + U, 1.0 / rho)
        U = U + X - Z_new
        done = np.linalg.norm(X - Z_new) < tol * scale and np.linalg.norm(Z_new - Z) < tol * scale
        Z = Z_new
        if done:
            break
    if not done:
        gap = np.linalg.norm(X - Z) / scale
        warnings.warn(
            f"min_nuclear_norm_completion stopped at its cap of {iterations} iterations with "
            f"|X - Z| / |observed| = {gap:.1e} > tol = {tol:g}: raise iterations or loosen tol",
            NotConverged,
            stacklevel=2,
        )
    return Z, rho * U
