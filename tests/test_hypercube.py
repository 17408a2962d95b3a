import itertools

import numpy as np
import pytest
import torch
from scipy.linalg import hadamard

from helpers.hypercube import hypercube, parity, random_signs, subset_mask, walsh_hadamard


def test_walsh_hadamard_equals_the_hadamard_matrix():
    a = np.random.default_rng(0).standard_normal((16, 3))
    assert np.allclose(walsh_hadamard(a), hadamard(16) @ a)
    with pytest.raises(ValueError, match="power of 2"):
        walsh_hadamard(np.ones(6))


def test_transform_lists_parity_coefficients_by_brute_force():
    d = 4
    X = hypercube(d)
    values = np.random.default_rng(1).standard_normal(2**d)
    coefficients = walsh_hadamard(values) / 2**d
    for size in range(d + 1):
        for subset in itertools.combinations(range(d), size):
            assert coefficients[subset_mask(subset)] == pytest.approx(
                np.mean(values * parity(X, subset))
            )


def test_hypercube_and_parity():
    X = hypercube(3)
    assert X.shape == (8, 3) and set(np.unique(X)) == {-1, 1}
    assert len({tuple(r) for r in X}) == 8 and (X[0] == 1).all()
    assert np.array_equal(parity(X, []), np.ones(8))
    T = torch.tensor(X, dtype=torch.float32)
    assert np.array_equal(parity(T, [0, 2]).numpy(), parity(X, [0, 2]))
    with pytest.raises(ValueError, match="d must be an integer in"):
        hypercube(0)
    with pytest.raises(ValueError, match="subset must index the 3 columns"):
        parity(X, [3])


def test_random_signs():
    s = random_signs((1000, 5), torch.Generator().manual_seed(0))
    assert set(s.unique().tolist()) == {-1.0, 1.0} and abs(s.mean().item()) < 0.05
    with pytest.raises(TypeError, match="generator must be a torch.Generator"):
        random_signs((2,), 0)


def test_subsets_and_points_are_checked():
    import pytest

    from helpers.hypercube import hypercube, parity, subset_mask

    X = hypercube(3)
    for fn in (lambda s: parity(X, s), subset_mask):
        with pytest.raises(ValueError, match="subset must list distinct coordinates"):
            fn([0, 0])
    with pytest.raises(ValueError, match=r"X must hold \+-1 entries"):
        parity(np.zeros((2, 3)), [0])
