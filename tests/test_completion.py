import numpy as np
import pytest

from helpers.completion import (
    NotConverged,
    effective_rank,
    low_rank_matrix,
    min_nuclear_norm_completion,
    observation_mask,
    singular_value_threshold,
)


def test_effective_rank():
    assert effective_rank(np.diag([3.0, 3.0, 0.0])) == pytest.approx(2.0)
    assert effective_rank(np.eye(5)) == pytest.approx(5.0)
    assert effective_rank(np.zeros((3, 3))) == 0.0
    s = np.array([4.0, 1.0])
    p = s / s.sum()
    assert effective_rank(np.diag(s)) == pytest.approx(np.exp(-(p * np.log(p)).sum()))
    batch = effective_rank(np.stack([np.eye(3), np.diag([1.0, 0, 0])]))
    assert np.allclose(batch, [3.0, 1.0])


def test_low_rank_matrix_and_mask():
    rng = np.random.default_rng(6)
    M = low_rank_matrix(20, 3, rng, frobenius=7.0)
    assert np.linalg.matrix_rank(M) == 3 and np.linalg.norm(M) == pytest.approx(7.0)
    assert np.linalg.norm(low_rank_matrix(10, 1, rng)) == pytest.approx(10.0)
    mask = observation_mask((5, 6), 11, rng)
    assert mask.shape == (5, 6) and mask.sum() == 11
    with pytest.raises(ValueError, match=r"rank must be an integer in \[1, 4\]"):
        low_rank_matrix(4, 5, rng)
    with pytest.raises(ValueError, match=r"n_observed must be an integer in \[1, 30\]"):
        observation_mask((5, 6), 31, rng)


def test_singular_value_threshold_is_the_nuclear_norm_prox():
    # prox minimizes tau ||Z||_* + 1/2 ||Z - A||^2: no random perturbation does better
    rng = np.random.default_rng(7)
    A, tau = rng.standard_normal((5, 4)), 0.8
    Z = singular_value_threshold(A, tau)
    objective = lambda Z: (
        tau * np.linalg.svd(Z, compute_uv=False).sum() + 0.5 * np.sum((Z - A) ** 2)
    )
    best = objective(Z)
    for _ in range(200):
        assert objective(Z + 1e-3 * rng.standard_normal(Z.shape)) >= best - 1e-12


def test_min_nuclear_norm_completion_is_certified_optimal():
    # weak duality: for a dual matrix D supported on the mask with spectral norm <= 1,
    # every completion X has ||X||_* >= <D, X> = <D, M> (D vanishes off the mask). The ADMM
    # dual attains the bound, so the returned Z is optimal.
    rng = np.random.default_rng(8)
    M = low_rank_matrix(12, 2, rng, frobenius=12.0)
    mask = observation_mask(M.shape, 80, rng)
    with pytest.warns(NotConverged):  # tol 1e-10 is out of reach: the certificate tells how good
        Z, dual = min_nuclear_norm_completion(M, mask, iterations=5000, tol=1e-10)
    assert np.abs(Z - M)[mask].max() < 1e-5  # feasible
    assert np.abs(dual[~mask]).max() < 1e-5  # supported on the mask
    dual = np.where(mask, dual, 0.0)
    spectral = np.linalg.norm(dual, 2)
    lower_bound = np.sum(dual * M) / spectral
    nuclear = np.linalg.svd(Z, compute_uv=False).sum()
    assert nuclear - lower_bound < 1e-4 * nuclear


def test_min_nuclear_norm_completion_known_answers():
    M = np.array([[0.0, 1.0], [1.0, 0.0]])
    mask = np.array([[False, True], [True, True]])
    Z, _ = min_nuclear_norm_completion(M, mask)
    assert Z[0, 0] == pytest.approx(0.0, abs=1e-4)  # ||[[x, 1], [1, 0]]||_* = sqrt(x^2 + 4)
    full = np.random.default_rng(9).standard_normal((4, 4))
    assert np.allclose(min_nuclear_norm_completion(full, np.ones((4, 4), bool))[0], full, atol=1e-5)
    with pytest.raises(ValueError, match="one shape"):
        min_nuclear_norm_completion(full, np.ones((3, 3), bool))
    with pytest.raises(ValueError, match=r"rho must be a number in \(0, inf\)"):
        min_nuclear_norm_completion(full, np.ones((4, 4), bool), rho=0)


def test_min_nuclear_norm_completion_warns_at_its_iteration_cap():
    rng = np.random.default_rng(5)
    M = low_rank_matrix(12, 2, rng)
    mask = observation_mask(M.shape, 70, rng)
    with pytest.warns(NotConverged, match="iterations"):
        min_nuclear_norm_completion(M, mask, iterations=3)
    with pytest.raises(TypeError, match="iterations must be an integer"):
        min_nuclear_norm_completion(M, mask, iterations=2.5)


def test_masks_shapes_and_nan_are_checked():
    from helpers.completion import min_nuclear_norm_completion, observation_mask

    with pytest.raises(TypeError, match="mask must be a boolean array"):
        min_nuclear_norm_completion(np.eye(2), np.full((2, 2), 0.5))
    with pytest.raises(ValueError, match="each size in shape"):
        observation_mask((3, -3), 2, np.random.default_rng(0))
    observed = np.array([[1.0, np.nan], [0.0, 1.0]])  # NaN off the mask is never read
    min_nuclear_norm_completion(observed, ~np.isnan(observed), iterations=5)
    with pytest.raises(ValueError, match="observed must be finite where mask is True"):
        min_nuclear_norm_completion(observed, np.ones((2, 2), bool))
