import numpy as np
import pytest
import torch
from scipy.linalg import fractional_matrix_power

from helpers.deep_linear import (
    balanced_factors,
    effective_rank,
    end_to_end,
    end_to_end_velocity,
    factor_gradients,
    low_rank_matrix,
    min_nuclear_norm_completion,
    observation_mask,
    psd_power,
    singular_value_threshold,
)


def test_end_to_end_multiplies_in_order_and_checks_shapes():
    rng = np.random.default_rng(0)
    W1, W2, W3 = rng.standard_normal((3, 4)), rng.standard_normal((5, 3)), rng.standard_normal((2, 5))
    assert np.allclose(end_to_end([W1, W2, W3]), W3 @ W2 @ W1)
    with pytest.raises(ValueError, match="W_2 W_1 is not defined"):
        end_to_end([W1, W1])
    with pytest.raises(ValueError, match="at least one matrix"):
        end_to_end([])


@pytest.mark.parametrize("depth", [1, 2, 3, 4])
def test_factor_gradients_match_autograd(depth):
    rng = np.random.default_rng(depth)
    shapes = [(3, 5)] + [(3, 3)] * (depth - 2) + [(4, 3)] if depth > 1 else [(4, 5)]
    factors = [rng.standard_normal(s) for s in shapes]
    target = rng.standard_normal((4, 5))
    tensors = [torch.tensor(W, requires_grad=True) for W in factors]
    B = tensors[0]
    for W in tensors[1:]:
        B = W @ B
    loss = 0.5 * ((B - torch.tensor(target)) ** 2).sum() + (B**3).sum()
    loss.backward()
    B_np = end_to_end(factors)
    grads = factor_gradients(factors, B_np - target + 3 * B_np**2)
    for g, t in zip(grads, tensors):
        assert np.allclose(g, t.grad.numpy(), rtol=1e-10, atol=1e-10)


def test_factor_gradients_work_on_a_batch_axis():
    rng = np.random.default_rng(1)
    factors = [rng.standard_normal((6, 3, 3)) for _ in range(3)]
    G = rng.standard_normal((6, 3, 3))
    batched = factor_gradients(factors, G)
    for k in range(6):
        single = factor_gradients([W[k] for W in factors], G[k])
        for a, b in zip(batched, single):
            assert np.allclose(a[k], b)


@pytest.mark.parametrize("depth", [1, 2, 3, 5])
def test_balanced_factors_multiply_to_B_and_are_balanced(depth):
    rng = np.random.default_rng(2)
    B = rng.standard_normal((4, 4))
    factors = balanced_factors(B, depth, rng)
    assert np.allclose(end_to_end(factors), B)
    for lower, upper in zip(factors, factors[1:]):
        assert np.allclose(upper.T @ upper, lower @ lower.T)
    with pytest.raises(ValueError, match="depth must be a positive integer"):
        balanced_factors(B, 0)
    with pytest.raises(ValueError, match="B must be a square matrix"):
        balanced_factors(np.ones((2, 3)), 2)


def test_psd_power_matches_scipy():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((5, 5))
    A = X @ X.T
    for p in (0.5, 1 / 3, 2 / 3, 1.0):
        assert np.allclose(psd_power(A, p), np.real(fractional_matrix_power(A, p)))
    assert np.allclose(psd_power(A, 0.0), np.eye(5))


@pytest.mark.parametrize("depth", [1, 2, 3])
def test_end_to_end_velocity_is_the_limit_of_small_factor_steps(depth):
    # an independent check: a small step of gradient descent on balanced factors, by autograd
    rng = np.random.default_rng(4)
    B = rng.standard_normal((3, 3))
    Y = rng.standard_normal((3, 3))
    tensors = [torch.tensor(W, requires_grad=True) for W in balanced_factors(B, depth, rng)]
    P = tensors[0]
    for W in tensors[1:]:
        P = W @ P
    (0.5 * ((P - torch.tensor(Y)) ** 2).sum()).backward()
    eta = 1e-7
    stepped = [(W - eta * W.grad).detach().numpy() for W in tensors]
    velocity = (end_to_end(stepped) - B) / eta
    predicted = end_to_end_velocity(B, B - Y, depth)
    assert np.linalg.norm(velocity - predicted) / np.linalg.norm(predicted) < 1e-5


def test_end_to_end_velocity_depth_one_is_plain_gradient_descent():
    rng = np.random.default_rng(5)
    B, G = rng.standard_normal((2, 4, 4))
    assert np.allclose(end_to_end_velocity(B, G, 1), -G)


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
    with pytest.raises(ValueError, match=r"rank must be an integer in \[1, size=4\]"):
        low_rank_matrix(4, 5, rng)
    with pytest.raises(ValueError, match=r"n_observed must be an integer in \[1, 30\]"):
        observation_mask((5, 6), 31, rng)


def test_singular_value_threshold_is_the_nuclear_norm_prox():
    # prox minimizes tau ||Z||_* + 1/2 ||Z - A||^2: no random perturbation does better
    rng = np.random.default_rng(7)
    A, tau = rng.standard_normal((5, 4)), 0.8
    Z = singular_value_threshold(A, tau)
    objective = lambda Z: tau * np.linalg.svd(Z, compute_uv=False).sum() + 0.5 * np.sum((Z - A) ** 2)
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
    with pytest.raises(ValueError, match="rho must be > 0"):
        min_nuclear_norm_completion(full, np.ones((4, 4), bool), rho=0)
