import numpy as np
import pytest

from helpers.datasets import gaussian_regression
from helpers.interpolation_risk import (
    min_norm_risk_exact,
    min_norm_risk_limit,
    partial_features_risk,
    ridge_estimates,
)


def test_ridge_estimates_against_the_normal_equations():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((20, 30)), rng.standard_normal(20)
    W = ridge_estimates(X, y, [0.0, 0.1, 2.0])
    assert np.allclose(W[0], np.linalg.pinv(X) @ y)
    for lam, w in zip([0.1, 2.0], W[1:]):
        assert np.allclose(w, np.linalg.solve(X.T @ X + 20 * lam * np.eye(30), X.T @ y))
    Y = np.stack([y, 2 * y], axis=1)
    assert np.allclose(ridge_estimates(X, Y, [0.1])[0, :, 1], 2 * W[1])
    with pytest.raises(ValueError, match="penalties must be >= 0"):
        ridge_estimates(X, y, [-1.0])


@pytest.mark.parametrize("shape", [(40, 40), (60, 25), (25, 60)])
def test_ridge_estimates_match_pinv_square_tall_wide_and_rank_deficient(shape):
    rng = np.random.default_rng(shape[1])
    X, y = rng.standard_normal(shape), rng.standard_normal(shape[0])
    assert np.allclose(ridge_estimates(X, y, [0.0])[0], np.linalg.pinv(X) @ y, rtol=1e-6)
    doubled = np.hstack([X, X[:, :5]])  # repeated columns: X^T X is singular when tall
    assert np.allclose(ridge_estimates(doubled, y, [0.0])[0], np.linalg.pinv(doubled) @ y)


@pytest.mark.parametrize("d", [10, 60])
def test_exact_risk_matches_monte_carlo(d):
    n, r, sigma, trials = 30, 1.0, 0.5, 4000
    rng = np.random.default_rng(d)
    risks = []
    for _ in range(trials):
        X, y, beta = gaussian_regression(n, d, rng, signal_norm=r, noise=sigma)
        risks.append(np.sum((np.linalg.pinv(X) @ y - beta) ** 2))
    risks = np.array(risks)
    standard_error = risks.std() / np.sqrt(trials)
    assert abs(risks.mean() - min_norm_risk_exact(n, d, r, sigma)) < 4 * standard_error


def test_exact_risk_tends_to_the_limit():
    n = 100_000
    for gamma in (0.3, 0.7, 1.5, 4.0):
        exact = min_norm_risk_exact(n, gamma * n, 1.0, 0.5)
        assert exact == pytest.approx(min_norm_risk_limit(gamma, 1.0, 0.5), rel=1e-3)
    assert np.isinf(min_norm_risk_exact(100, 100, 1.0, 0.5)) and np.isinf(
        min_norm_risk_limit(1.0, 1.0, 0.5)
    )


@pytest.mark.parametrize("p", [5, 14, 30, 60])
def test_partial_features_risk_matches_monte_carlo(p):
    # the learner sees the first p of 60 features with decaying coefficients
    n, sigma, trials = 20, 0.3, 4000
    beta = 1 / np.arange(1, 61)
    rng = np.random.default_rng(p)
    risks = []
    for _ in range(trials):
        X = rng.standard_normal((n, len(beta)))
        y = X @ beta + sigma * rng.standard_normal(n)
        w = np.linalg.pinv(X[:, :p]) @ y
        risks.append(np.sum((w - beta[:p]) ** 2) + np.sum(beta[p:] ** 2) + sigma**2)
    risks = np.array(risks)
    expected = partial_features_risk(n, p, beta, sigma)
    assert abs(risks.mean() - expected) < 4 * risks.std() / np.sqrt(trials)


def test_partial_features_risk_with_every_feature_is_the_isotropic_formula():
    rng = np.random.default_rng(0)
    beta = rng.standard_normal(50)
    r = np.linalg.norm(beta)
    for n in (20, 80):
        excess = partial_features_risk(n, 50, beta, 0.5) - 0.25
        assert excess == pytest.approx(min_norm_risk_exact(n, 50, r, 0.5))
    assert np.isinf(partial_features_risk(50, [49, 50, 51][:2], beta, 0.5)).all()
    with pytest.raises(ValueError, match="p must be whole numbers of features in \\[1, 50\\]"):
        partial_features_risk(20, 51, beta, 0.5)
    with pytest.raises(ValueError, match="beta must be a non-empty vector"):
        partial_features_risk(20, 5, np.ones((2, 2)), 0.5)


def test_sizes_and_noise_are_checked():
    from helpers.interpolation_risk import min_norm_risk_exact, ridge_estimates

    with pytest.raises(ValueError, match=r"d must be .* entries in \[1, inf\)"):
        min_norm_risk_exact(10, -3, 1, 0.5)
    with pytest.raises(ValueError, match="d must be whole numbers"):
        min_norm_risk_exact(10, 2.5, 1, 0.5)
    with pytest.raises(ValueError, match="noise must be .* entries in"):
        min_norm_risk_exact(10, 3, 1, -0.5)
    with pytest.raises(ValueError, match="X and y must have one row per example"):
        ridge_estimates(np.eye(3), np.ones(4), [0.0])
