import numpy as np
import pytest
import torch

from helpers.data import digits, gaussian_regression


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


def test_digits_rejects_bad_fraction():
    with pytest.raises(ValueError, match="test_fraction must be in"):
        digits(test_fraction=1.0)


def test_gaussian_regression():
    rng = np.random.default_rng(0)
    data = gaussian_regression(30, 50, rng, signal_norm=2.0, noise=0.0)
    assert data.X.shape == (30, 50) and data.y.shape == (30,)
    assert np.isclose(np.linalg.norm(data.beta), 2.0)
    assert np.allclose(data.X @ data.beta, data.y)
    noisy = gaussian_regression(20000, 1, np.random.default_rng(1), signal_norm=0.0, noise=0.5)
    assert abs(noisy.y.std() - 0.5) < 0.01


@pytest.mark.parametrize("kwargs,match", [({"n": 0}, "n must be"), ({"d": 2.5}, "d must be"), ({"noise": -1}, "noise must be")])
def test_gaussian_regression_bad_input(kwargs, match):
    args = {"n": 5, "d": 3, "rng": np.random.default_rng(0)} | kwargs
    with pytest.raises(ValueError, match=match):
        gaussian_regression(**args)
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        gaussian_regression(5, 3, 0)
