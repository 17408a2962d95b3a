import numpy as np
import pytest
import torch

from helpers.datasets import (
    digits,
    gaussian_regression,
    lms,
    quadrant_xor,
    shuffle_columns,
    slab_labels,
    stripes,
)


def test_digits_split_is_deterministic_stratified_and_scaled():
    a, b = digits(seed=1), digits(seed=1)
    assert torch.equal(a.X_train, b.X_train) and torch.equal(a.y_test, b.y_test)
    assert a.X_train.shape[1] == 64 and a.X_train.dtype == torch.float32
    assert len(a.X_train) + len(a.X_test) == 1797
    assert 0 <= a.X_train.min() and a.X_train.max() <= 1
    train_share = torch.bincount(a.y_train, minlength=10) / len(a.y_train)
    test_share = torch.bincount(a.y_test, minlength=10) / len(a.y_test)
    assert torch.allclose(train_share, test_share, atol=0.01)
    assert not torch.equal(digits(seed=2).y_train, a.y_train)


def test_digits_rejects_bad_arguments():
    with pytest.raises(ValueError, match=r"test_fraction must be a number in \(0, 1\)"):
        digits(test_fraction=1.0)
    with pytest.raises(ValueError, match=r"seed must be an integer in \[0, 4294967295\], got -1"):
        digits(seed=-1)


def test_gaussian_regression():
    rng = np.random.default_rng(0)
    data = gaussian_regression(30, 50, rng, signal_norm=2.0, noise=0.0)
    assert data.X.shape == (30, 50) and data.y.shape == (30,)
    assert np.isclose(np.linalg.norm(data.beta), 2.0)
    assert np.allclose(data.X @ data.beta, data.y)
    noisy = gaussian_regression(20000, 1, np.random.default_rng(1), signal_norm=0.0, noise=0.5)
    assert abs(noisy.y.std() - 0.5) < 0.01


@pytest.mark.parametrize(
    "kwargs,match",
    [({"n": 0}, "n must be"), ({"d": 2.5}, "d must be"), ({"noise": -1}, "noise must be")],
)
def test_gaussian_regression_bad_input(kwargs, match):
    args = {"n": 5, "d": 3, "rng": np.random.default_rng(0)} | kwargs
    with pytest.raises((TypeError, ValueError), match=match):
        gaussian_regression(**args)
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        gaussian_regression(5, 3, 0)


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
    with pytest.raises(
        ValueError,
        match="dims .one linear and at least one slab coordinate. must be an integer >= 2",
    ):
        lms(10, 1, 5, np.random.default_rng(0))


def test_quadrant_xor():
    X, y, q = quadrant_xor(40_000, [0.375, 0.125, 0.125, 0.375], np.random.default_rng(6))
    assert np.all(y == np.sign(X[:, 0] * X[:, 1]))
    assert np.bincount(q, minlength=4) / len(q) == pytest.approx(
        [0.375, 0.125, 0.125, 0.375], abs=0.01
    )
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


@pytest.mark.parametrize(
    "make",
    [
        lambda r: stripes(100, r),
        lambda r: lms(10, 3, 3, r),
        lambda r: quadrant_xor(10, [0.25] * 4, r),
    ],
)
def test_generators_want_a_numpy_generator_not_a_seed(make):
    with pytest.raises(
        TypeError,
        match=r"rng must be a numpy.random.Generator \(np.random.default_rng\(seed\)\), got int",
    ):
        make(42)
