import numpy as np
import pytest
from scipy import integrate, stats

from helpers.random_matrices import (
    condition_number_nonzero,
    ks_distance,
    marchenko_pastur_atom,
    marchenko_pastur_cdf,
    marchenko_pastur_density,
    marchenko_pastur_edges,
)


@pytest.mark.parametrize("gamma", [0.1, 0.5, 1.0, 2.0, 5.0])
def test_density_and_atom_make_a_distribution(gamma):
    lo, hi = marchenko_pastur_edges(gamma)
    mass, _ = integrate.quad(lambda x: marchenko_pastur_density(x, gamma), lo, hi, limit=200)
    assert mass + marchenko_pastur_atom(gamma) == pytest.approx(1.0, abs=1e-6)
    mean, _ = integrate.quad(lambda x: x * marchenko_pastur_density(x, gamma), lo, hi, limit=200)
    assert mean == pytest.approx(1.0, abs=1e-6)  # E[lambda] = tr(X^T X / n) / d = 1


@pytest.mark.parametrize("gamma", [0.25, 1.0, 3.0])
def test_cdf_matches_numerical_integration_of_the_density(gamma):
    lo, hi = marchenko_pastur_edges(gamma)
    xs = np.linspace(lo, hi, 9)[1:-1]
    quad = [
        marchenko_pastur_atom(gamma)
        + integrate.quad(lambda t: marchenko_pastur_density(t, gamma), lo, x, limit=200)[0]
        for x in xs
    ]
    assert np.allclose(marchenko_pastur_cdf(xs, gamma), quad, atol=1e-7)
    assert marchenko_pastur_cdf(-1.0, gamma) == 0 and marchenko_pastur_cdf(
        hi + 1, gamma
    ) == pytest.approx(1.0)


def test_law_matches_a_large_random_matrix():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((2000, 1000))
    ev = np.linalg.eigvalsh(X.T @ X / 2000)
    assert ks_distance(ev, lambda x: marchenko_pastur_cdf(x, 0.5)) < 0.01


def test_ks_distance_agrees_with_scipy_for_a_continuous_law():
    sample = np.random.default_rng(1).standard_normal(300)
    assert ks_distance(sample, stats.norm.cdf) == pytest.approx(
        stats.kstest(sample, "norm").statistic, abs=1e-12
    )


def test_ks_distance_handles_an_atom():
    # half exact zeros, half uniform on (0, 1]: the law is 0.5 delta_0 + 0.5 U(0, 1)
    sample = np.r_[np.zeros(500), (np.arange(500) + 0.5) / 500]
    law = lambda x: np.where(x < 0, 0.0, 0.5 + 0.5 * np.clip(x, 0, 1))  # noqa: E731
    assert ks_distance(sample, law) < 0.002


def test_condition_number_and_bad_gamma():
    assert condition_number_nonzero(0.25) == pytest.approx(9.0)  # (1.5 / 0.5)^2
    assert condition_number_nonzero(1.0) == np.inf
    with pytest.raises(ValueError, match="gamma must be a positive number"):
        marchenko_pastur_edges(0)
