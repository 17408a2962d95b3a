"""Risk of the minimum-norm interpolator and of ridge regression (chapter: minimum-norm solutions).

Setting: x ~ N(0, I_d), y = x^T beta + eps, ||beta|| = r, Var(eps) = sigma^2, n training
points, gamma = d / n. For such x the excess test risk of an estimate w is
E[(x^T (w - beta))^2] = ||w - beta||^2. The exact finite-n expectations are Theorem 1 of
Belkin, Hsu, Xu (2020), "Two models of double descent for weak features"; the proportional
limit (and much more) is in Hastie, Montanari, Rosset, Tibshirani (2022).
"""

from __future__ import annotations

import numpy as np

from helpers.checks import array, integer, number


def min_norm_risk_limit(gamma, signal_norm: float, noise: float) -> np.ndarray:
    """The n, d -> infinity limit at d/n = gamma:
    sigma^2 gamma / (1 - gamma) for gamma < 1; r^2 (1 - 1/gamma) + sigma^2 / (gamma - 1)
    for gamma > 1; infinite at gamma = 1 (when sigma > 0)."""
    gamma = np.asarray(array(gamma, "gamma"), dtype=float)
    if np.any(gamma <= 0):
        raise ValueError("gamma must be positive")
    r2 = number(signal_norm, "signal_norm", low=0) ** 2
    s2 = number(noise, "noise", low=0) ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        under = s2 * gamma / (1 - gamma)
        over = r2 * (1 - 1 / gamma) + s2 / (gamma - 1)
    return np.where(gamma < 1, under, np.where(gamma > 1, over, np.inf))


def min_norm_risk_exact(n: int, d, signal_norm, noise) -> np.ndarray:
    """The exact expected risk at finite n for Gaussian X:
    sigma^2 d / (n - d - 1) for d <= n - 2; r^2 (1 - n/d) + sigma^2 n / (d - n - 1) for
    d >= n + 2; infinite for n - 1 <= d <= n + 1 (the expectation does not exist).
    ``signal_norm`` and ``noise`` may be arrays that broadcast with ``d``."""
    n = integer(n, "n")
    d = np.asarray(array(d, "d", low=1), dtype=float)
    if np.any(d != np.round(d)):
        raise ValueError(f"d must be whole numbers of features >= 1, got {d}")
    signal_norm = array(signal_norm, "signal_norm", low=0)
    noise = array(noise, "noise", low=0)
    try:
        np.broadcast_shapes(d.shape, signal_norm.shape, noise.shape)
    except ValueError:
        raise ValueError(
            f"d, signal_norm and noise must broadcast, got shapes {d.shape}, "
            f"{signal_norm.shape} and {noise.shape}"
        ) from None
    r2, s2 = np.asarray(signal_norm, dtype=float) ** 2, np.asarray(noise, dtype=float) ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        under = s2 * d / (n - d - 1)
        over = r2 * (1 - n / d) + s2 * n / (d - n - 1)
    return np.where(d <= n - 2, under, np.where(d >= n + 2, over, np.inf))


def partial_features_risk(n: int, p, beta: np.ndarray, noise: float) -> np.ndarray:
    """Expected test risk E[(y - x^T w)^2] of least squares / least norm on the FIRST p of
    the D = len(beta) features (Belkin, Hsu, Xu 2020, Theorem 1), x ~ N(0, I_D):
    the features left out act as extra noise of variance ||beta_{>p}||^2, so with
    s^2 = sigma^2 + ||beta_{>p}||^2:  s^2 (n - 1) / (n - p - 1) for p <= n - 2;
    ||beta_{<=p}||^2 (1 - n/p) + s^2 (1 + n / (p - n - 1)) for p >= n + 2; infinite for
    n - 1 <= p <= n + 1. Includes the noise sigma^2 itself (the risk of w = 0 is
    ||beta||^2 + sigma^2)."""
    n = integer(n, "n")
    noise = number(noise, "noise", low=0)
    beta = np.asarray(array(beta, "beta"), dtype=float)
    if beta.ndim != 1 or len(beta) == 0:
        raise ValueError(f"beta must be a non-empty vector, got shape {beta.shape}")
    p = array(p, "p")
    if np.any(p < 1) or np.any(p > len(beta)) or np.any(p != np.round(p)):
        raise ValueError(f"p must be whole numbers of features in [1, {len(beta)}], got {p}")
    p = p.astype(int)
    seen = np.cumsum(beta**2)[p - 1]
    extra = np.clip(float(noise) ** 2 + np.sum(beta**2) - seen, 0, None)  # noise + left out
    # the isotropic problem on p features with signal ||beta_{<=p}|| and noise `extra`,
    # plus the irreducible `extra` of a fresh example
    return extra + min_norm_risk_exact(n, p, np.sqrt(seen), np.sqrt(extra))


def ridge_estimates(X: np.ndarray, y: np.ndarray, penalties) -> np.ndarray:
    """Ridge solutions argmin ||Xw - y||^2 / n + lam ||w||^2 for every lam in ``penalties``.

    X (n, d), y (n,) -> (len(penalties), d); y (n, k) -> (len(penalties), d, k).
    lam = 0 gives the minimum-norm least-squares solution pinv(X) y. One eigendecomposition
    of the smaller Gram matrix serves every lam (2.5x faster than an SVD of X here): with
    X X^T = U diag(e) U^T (d >= n), w = X^T U diag(1 / (e + n lam)) U^T y; with
    X^T X = V diag(e) V^T (d < n), w = V diag(1 / (e + n lam)) V^T X^T y. Directions with
    e below max(e) * max(n, d) * eps (round-off of the Gram matrix) are dropped, as pinv does.
    """
    penalties = np.atleast_1d(np.asarray(array(penalties, "penalties"), dtype=float))
    if np.any(penalties < 0):
        raise ValueError(f"penalties must be >= 0, got {penalties}")
    X = array(X, "X", ndim=2, non_empty=True)
    y = array(y, "y", ndim=(1, 2))
    if len(X) != len(y):
        raise ValueError(f"X and y must have one row per example: {len(X)} vs {len(y)}")
    n, d = X.shape
    wide = d >= n
    e, Q = np.linalg.eigh(X @ X.T if wide else X.T @ X)  # ascending eigenvalues
    keep = e > e[-1] * max(n, d) * np.finfo(float).eps
    e, Q = e[keep], Q[:, keep]
    inverse = 1.0 / (e + n * penalties[:, None])  # (len(penalties), rank)
    # w = A diag(inverse) b: A = X^T Q, b = Q^T y (wide); A = Q, b = Q^T X^T y (tall)
    A, b = (X.T @ Q, Q.T @ y) if wide else (Q, Q.T @ (X.T @ y))
    if b.ndim == 1:
        return (inverse * b) @ A.T  # (len(penalties), d)
    return A @ (inverse[:, :, None] * b)  # (len(penalties), d, k)
