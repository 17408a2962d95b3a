import numpy as np
import pytest
import torch
from scipy.linalg import fractional_matrix_power

from helpers.matrix_products import (
    balanced_factors,
    end_to_end,
    end_to_end_velocity,
    psd_power,
)


def test_end_to_end_multiplies_in_order_and_checks_shapes():
    rng = np.random.default_rng(0)
    W1, W2, W3 = (
        rng.standard_normal((3, 4)),
        rng.standard_normal((5, 3)),
        rng.standard_normal((2, 5)),
    )
    assert np.allclose(end_to_end([W1, W2, W3]), W3 @ W2 @ W1)
    with pytest.raises(ValueError, match="W_2 W_1 is not defined"):
        end_to_end([W1, W1])
    with pytest.raises(ValueError, match="at least one matrix"):
        end_to_end([])


@pytest.mark.parametrize("depth", [1, 2, 3, 5])
def test_balanced_factors_multiply_to_B_and_are_balanced(depth):
    rng = np.random.default_rng(2)
    B = rng.standard_normal((4, 4))
    factors = balanced_factors(B, depth, rng)
    assert np.allclose(end_to_end(factors), B)
    for lower, upper in zip(factors, factors[1:]):
        assert np.allclose(upper.T @ upper, lower @ lower.T)
    with pytest.raises(ValueError, match="depth must be an integer >= 1"):
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
