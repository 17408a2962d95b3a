import numpy as np
import pytest
import torch

from helpers.reproducibility import pick_device, seed_everything, use_cpu_threads


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
    with pytest.raises(ValueError, match="seed must be an integer"):
        seed_everything(bad)


def test_pick_device():
    assert pick_device("cpu") == torch.device("cpu")
    assert pick_device("auto").type in {"cpu", "cuda", "mps"}
    with pytest.raises(ValueError, match=r"prefer must be one of \('auto', 'cpu', 'cuda', 'mps'\)"):
        pick_device("gpu")
    if not torch.cuda.is_available():
        with pytest.raises(RuntimeError, match="no CUDA device"):
            pick_device("cuda")


def test_use_cpu_threads_limits_torch_and_blas():
    from threadpoolctl import threadpool_info, threadpool_limits

    before = torch.get_num_threads()
    try:
        assert use_cpu_threads() == 1 and torch.get_num_threads() == 1
        assert all(pool["num_threads"] == 1 for pool in threadpool_info())
        assert use_cpu_threads(2) == 2 and torch.get_num_threads() == 2
        with pytest.raises(ValueError, match="n must be a positive integer"):
            use_cpu_threads(0)
    finally:
        torch.set_num_threads(before)
        threadpool_limits(None)
