import numpy as np
import pytest

from helpers.datasets import gaussian_regression
from helpers.interpolation_risk import min_norm_risk_exact, min_norm_risk_limit, ridge_estimates


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
