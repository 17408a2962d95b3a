import math

import numpy as np
import pytest
import torch
from sklearn.metrics import mutual_info_score

from helpers.information import conditional_mutual_information, entropy, mutual_information, performance_explained
from helpers.simplicity import lms, quadrant_xor, shuffle_columns, slab_labels, stripes
from helpers.training import stacked_minibatches


# ---------------------------------------------------------------- information measures
def test_entropy_of_known_distributions():
    assert entropy([0, 1, 0, 1]) == pytest.approx(1.0)
    assert entropy([3, 3, 3]) == pytest.approx(0.0)
    assert entropy([0, 1, 2, 3]) == pytest.approx(2.0)
    assert entropy([0, 0, 1, 1], [0, 1, 0, 1]) == pytest.approx(2.0)  # joint of two fair bits


def test_mutual_information_matches_scikit_learn():
    rng = np.random.default_rng(0)
    for _ in range(5):
        a = rng.integers(0, 3, 500)
        b = np.where(rng.random(500) < 0.7, a, rng.integers(0, 3, 500))
        assert mutual_information(a, b) == pytest.approx(mutual_info_score(a, b) / math.log(2), abs=1e-12)


def test_conditional_mutual_information_is_the_average_over_groups():
    rng = np.random.default_rng(1)
    z = rng.integers(0, 2, 800)
    y = rng.integers(0, 2, 800)
    x = np.where(rng.random(800) < 0.5 + 0.3 * z, y, 1 - y)
    by_group = sum(np.mean(z == g) * mutual_info_score(x[z == g], y[z == g]) / math.log(2) for g in (0, 1))
    assert conditional_mutual_information(x, y, z) == pytest.approx(by_group, abs=1e-12)


def test_performance_explained_limits():
    rng = np.random.default_rng(2)
    y = rng.integers(0, 2, 1000)
    L = np.where(rng.random(1000) < 0.85, y, 1 - y)
    same = performance_explained(L, y, L)  # F = L: all of F's information is L's
    assert same["I(F;Y|L)"] == pytest.approx(0.0, abs=1e-12) and same["mu"] == pytest.approx(same["I(L;Y)"])
    perfect = performance_explained(y, y, L)  # F = Y: it knows H(Y|L) beyond L
    assert perfect["I(F;Y|L)"] == pytest.approx(entropy(y, L) - entropy(L))
    with pytest.raises(ValueError, match="one length"):
        mutual_information([0, 1], [0, 1, 1])
    with pytest.raises(ValueError, match="at least one sample"):
        entropy([])


# ---------------------------------------------------------------- data sets
def test_stripes_labels_and_half_plane_share():
    X, y = stripes(20_000, np.random.default_rng(3))
    assert X.dtype == np.float32 and set(np.unique(y)) == {-1.0, 1.0}
    half_plane = np.where(X[:, 0] >= 0, 1.0, -1.0)
    assert np.mean(half_plane == y) == pytest.approx(0.8, abs=0.01)
    inside = (np.abs(X[:, 0]) > 0.6) & (np.abs(X[:, 0]) < 0.8)
    assert (y[inside] != half_plane[inside]).all() and (y[~inside] == half_plane[~inside]).all()
    with pytest.raises(ValueError, match="flipped must be"):
        stripes(10, np.random.default_rng(0), flipped=(0.8, 0.6))


def test_slab_labels_alternate_from_the_middle():
    assert slab_labels(3).tolist() == [-1, 1, -1]
    assert slab_labels(5).tolist() == [1, -1, 1, -1, 1]
    with pytest.raises(ValueError, match="odd integer >= 3"):
        slab_labels(4)


@pytest.mark.parametrize("slabs", [3, 5, 7])
def test_lms_every_coordinate_determines_the_label(slabs):
    X, y = lms(3000, 6, slabs, np.random.default_rng(4))
    assert X.shape == (3000, 6) and np.all(np.abs(X) <= 1)
    assert np.all(np.sign(X[:, 0]) == y) and np.all(np.abs(X[:, 0]) >= 0.1)
    labels = slab_labels(slabs)
    slab = np.clip(((X[:, 1:] + 1) / (2 / slabs)).astype(int), 0, slabs - 1)
    assert np.all(labels[slab] == y[:, None])  # every slab coordinate lies in a slab of its label
    assert abs(np.mean(y)) < 0.05


def test_lms_flip_breaks_only_the_linear_coordinate():
    X, y = lms(20_000, 4, 5, np.random.default_rng(5), flip=0.1)
    assert np.mean(np.sign(X[:, 0]) != y) == pytest.approx(0.1, abs=0.01)
    slab = np.clip(((X[:, 1:] + 1) / 0.4).astype(int), 0, 4)
    assert np.all(slab_labels(5)[slab] == y[:, None])
    with pytest.raises(ValueError, match=r"flip must be a number in \[0, 0.5\]"):
        lms(10, 4, 5, np.random.default_rng(0), flip=0.7)
    with pytest.raises(ValueError, match="dims must be an integer >= 2"):
        lms(10, 1, 5, np.random.default_rng(0))


def test_quadrant_xor():
    X, y, q = quadrant_xor(40_000, [0.375, 0.125, 0.125, 0.375], np.random.default_rng(6))
    assert np.all(y == np.sign(X[:, 0] * X[:, 1]))
    assert np.bincount(q, minlength=4) / len(q) == pytest.approx([0.375, 0.125, 0.125, 0.375], abs=0.01)
    assert np.mean(np.where(X[:, 1] > 0, 1.0, -1.0) == y) == pytest.approx(0.75, abs=0.01)
    Xu, yu, _ = quadrant_xor(40_000, [0.25] * 4, np.random.default_rng(7))
    assert np.mean(np.where(Xu[:, 1] > 0, 1.0, -1.0) == yu) == pytest.approx(0.5, abs=0.01)
    with pytest.raises(ValueError, match="summing to 1"):
        quadrant_xor(10, [0.5, 0.5, 0.5, 0.5], np.random.default_rng(0))


def test_shuffle_columns_keeps_distribution_and_breaks_relation():
    rng = np.random.default_rng(8)
    X, y = lms(5000, 3, 5, rng)
    shuffled = shuffle_columns(X, [0], rng)
    assert np.array_equal(np.sort(shuffled[:, 0]), np.sort(X[:, 0]))
    assert np.array_equal(shuffled[:, 1:], X[:, 1:]) and not np.array_equal(shuffled, X)
    assert np.mean(np.sign(shuffled[:, 0]) == y) == pytest.approx(0.5, abs=0.03)
    T = torch.as_tensor(X)
    shuffled_T = shuffle_columns(T, [1, 2], rng)
    assert torch.equal(shuffled_T[:, 0], T[:, 0]) and isinstance(shuffled_T, torch.Tensor)
    with pytest.raises(ValueError, match="columns must index the 3 columns"):
        shuffle_columns(X, [3], rng)


def test_stacked_minibatches_give_each_member_its_own_data():
    rng = np.random.default_rng(9)
    X = torch.arange(2 * 6, dtype=torch.float32).reshape(2, 6, 1)  # member 0: 0..5, member 1: 6..11
    y = X[..., 0] * 10
    batches = stacked_minibatches((X, y), 3, rng)
    seen = [set(), set()]
    for _ in range(2):  # one epoch
        xb, yb = next(batches)
        assert xb.shape == (2, 3, 1) and torch.equal(yb, xb[..., 0] * 10)
        for m in range(2):
            seen[m] |= set(xb[m, :, 0].tolist())
    assert seen == [set(range(6)), set(range(6, 12))]
    with pytest.raises(ValueError, match="share a shape"):
        next(stacked_minibatches((X, y[:1]), 3, rng))
