import numpy as np
import pytest
import torch

from helpers.reproducibility import initialize, seed_everything, use_cpu_threads


def test_same_seed_same_draws_from_every_generator():
    a, b = seed_everything(7), seed_everything(7)
    assert np.array_equal(a.numpy.standard_normal(5), b.numpy.standard_normal(5))
    assert torch.equal(torch.randn(5, generator=a.torch), torch.randn(5, generator=b.torch))


def test_global_generators_are_seeded_too():
    seed_everything(3)
    first = (np.random.rand(), torch.rand(1).item())
    seed_everything(3)
    assert first == (np.random.rand(), torch.rand(1).item())


@pytest.mark.parametrize("bad", [-1, 2**32, 1.5, "0", True, None])
def test_bad_seed_names_the_parameter(bad):
    with pytest.raises((TypeError, ValueError), match="seed must be an integer"):
        seed_everything(bad)


def test_initialize_draws_from_the_generator_as_torch_would():
    def make():
        return torch.nn.Sequential(
            torch.nn.Conv2d(1, 4, 3), torch.nn.Flatten(), torch.nn.Linear(36, 2)
        )

    a = initialize(make(), torch.Generator().manual_seed(5))
    b = initialize(make(), torch.Generator().manual_seed(5))
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))
    conv, linear = a[0], a[2]
    assert conv.weight.abs().max() <= 1 / 3 and linear.weight.abs().max() <= 1 / 6  # 1/sqrt(fan_in)
    assert conv.weight.std() > 0.6 * (1 / 3) / 3**0.5  # uniform on +-1/3, not all zero
    with pytest.raises(TypeError, match="generator must be a torch.Generator"):
        initialize(make(), 5)


def test_use_cpu_threads_limits_torch_and_blas():
    from threadpoolctl import threadpool_info, threadpool_limits

    before = torch.get_num_threads()
    try:
        assert use_cpu_threads() == 1 and torch.get_num_threads() == 1
        assert all(pool["num_threads"] == 1 for pool in threadpool_info())
        assert use_cpu_threads(2) == 2 and torch.get_num_threads() == 2
        with pytest.raises(
            ValueError,
            match="n .a positive integer, or None for every core. must be an integer >= 1",
        ):
            use_cpu_threads(0)
    finally:
        torch.set_num_threads(before)
        threadpool_limits(None)
