"""Representation measures (helpers.representations) against known answers and references."""

import numpy as np
import pytest
import torch
from scipy.stats import ortho_group

from helpers.representations import (
    ablation_costs,
    linear_cka,
    neighbour_correlation,
    orientation_selectivity,
    participation_ratio,
    two_nn_dimension,
    window_mass,
)

rng = np.random.default_rng(0)


def hsic_cka(a, b):
    """CKA from its kernel definition (Gretton's HSIC with linear kernels): a reference."""
    n = len(a)
    H = np.eye(n) - 1 / n
    K, L = H @ a @ a.T @ H, H @ b @ b.T @ H
    return np.sum(K * L) / np.sqrt(np.sum(K * K) * np.sum(L * L))


def test_cka_is_invariant_to_rotation_and_isotropic_scaling():
    a = rng.standard_normal((200, 10))
    rotated = 3.0 * a @ ortho_group.rvs(10, random_state=1) + 5.0  # rotate, scale, shift
    assert linear_cka(a, rotated) == pytest.approx(1.0)
    assert linear_cka(a, a[:, :5]) < 1  # not invariant to dropping features


def test_cka_matches_its_kernel_definition_and_is_small_for_independent_features():
    a, b = rng.standard_normal((100, 8)), rng.standard_normal((100, 12))
    assert linear_cka(a, b) == pytest.approx(hsic_cka(a, b))
    wide_a, wide_b = rng.standard_normal((30, 50)), rng.standard_normal((30, 70))  # Gram form
    assert linear_cka(wide_a, wide_b) == pytest.approx(hsic_cka(wide_a, wide_b))
    assert linear_cka(a, b) < 0.3
    with pytest.raises(ValueError, match="one row per example: 100 vs 99"):
        linear_cka(a, b[:99])
    with pytest.raises(ValueError, match="2-d array"):
        linear_cka(a[:, 0], b)


def test_participation_ratio_counts_equal_directions():
    assert participation_ratio(rng.standard_normal((20000, 6))) == pytest.approx(6, rel=0.03)
    line = np.outer(rng.standard_normal(500), rng.standard_normal(4))
    assert participation_ratio(line) == pytest.approx(1.0)


@pytest.mark.parametrize("dimension", [2, 5])
def test_two_nn_recovers_the_dimension_of_a_flat_manifold(dimension):
    points = rng.standard_normal((2000, dimension)) @ rng.standard_normal((dimension, 30))
    assert two_nn_dimension(points) == pytest.approx(dimension, rel=0.15)


def test_two_nn_on_a_curved_manifold_and_bad_input():
    t = rng.uniform(0, 2 * np.pi, 2000)
    circle = np.c_[np.cos(t), np.sin(t), np.zeros((2000, 5))]
    assert two_nn_dimension(circle) == pytest.approx(1, rel=0.15)
    with pytest.raises(ValueError, match="at least 20 points"):
        two_nn_dimension(circle[:10])


def test_filter_measures_tell_noise_from_smooth_local_oriented_filters():
    noise = rng.standard_normal((50, 28, 28))
    yy, xx = np.mgrid[0:28, 0:28]
    blob = np.exp(-((yy - 10) ** 2 + (xx - 12) ** 2) / 8.0)[None]
    assert abs(neighbour_correlation(noise).mean()) < 0.05
    assert neighbour_correlation(blob)[0] > 0.8
    assert window_mass(np.ones((1, 28, 28)), 7)[0] == pytest.approx((7 / 28) ** 2)
    assert window_mass(blob, 7)[0] > 0.9 and window_mass(noise, 7).max() < 0.15
    bar = np.zeros((1, 8, 8))
    bar[0, :, 3:5] = 1.0  # a vertical bar
    isotropic = np.exp(-((np.mgrid[0:8, 0:8] - 3.5) ** 2).sum(0) / 4.0)[None]
    assert orientation_selectivity(bar)[0] > 0.6
    assert orientation_selectivity(isotropic)[0] < 0.1
    with pytest.raises(ValueError, match="size must be"):
        window_mass(noise, 30)


def test_ablation_costs_match_silencing_one_unit_by_hand():
    torch.manual_seed(0)
    layers = [
        (torch.randn(6, 5), torch.randn(5)),
        (torch.randn(5, 4), torch.randn(4)),
        (torch.randn(4, 3), torch.randn(3)),
    ]
    X, y = torch.randn(300, 6), torch.randint(0, 3, (300,))

    def accuracy(silence_layer=None, unit=None):
        h = X
        for i, (W, b) in enumerate(layers):
            h = h @ W + b
            if i < len(layers) - 1:
                h = torch.relu(h)
                if i == silence_layer:
                    h[:, unit] = 0
        return (h.argmax(-1) == y).float().mean().item()

    costs = ablation_costs(layers, X, y, chunk=2)
    assert [c.shape for c in costs] == [(5,), (4,)]
    for layer, layer_costs in enumerate(costs):
        for unit, cost in enumerate(layer_costs):
            assert cost == pytest.approx(accuracy() - accuracy(layer, unit), abs=1e-6)
