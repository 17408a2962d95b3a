import numpy as np
import pytest

from helpers.modular import (
    fourier_concentration,
    frequency_power,
    modular_addition,
    power_concentration,
)


def test_split_is_disjoint_and_covers_every_fact_once():
    split = modular_addition(7, 0.4, np.random.default_rng(0))
    train = {tuple(x) for x in split.pairs_train.tolist()}
    test = {tuple(x) for x in split.pairs_test.tolist()}
    assert not train & test and len(train | test) == 49 and len(train) == round(0.4 * 49)
    for pairs, y in [(split.pairs_train, split.y_train), (split.pairs_test, split.y_test)]:
        assert ((pairs[:, 0] + pairs[:, 1]) % 7 == y).all()
    again = modular_addition(7, 0.4, np.random.default_rng(0))
    assert (again.pairs_train == split.pairs_train).all()


@pytest.mark.parametrize(
    "kwargs,error,match",
    [
        ({"p": 0}, ValueError, "p must be an integer >= 2"),
        ({"p": 5.0}, TypeError, "p must be an integer"),
        ({"train_fraction": 1.0}, ValueError, r"train_fraction must be a number in \(0, 1\)"),
        ({"train_fraction": 0}, ValueError, r"train_fraction must be a number in \(0, 1\)"),
        ({"rng": 3}, TypeError, "rng must be a numpy.random.Generator"),
    ],
)
def test_bad_input_names_the_parameter(kwargs, error, match):
    args = {"p": 7, "train_fraction": 0.5, "rng": np.random.default_rng(0)} | kwargs
    with pytest.raises(error, match=match):
        modular_addition(**args)


def test_fourier_concentration_of_waves_and_noise():
    p, rng = 31, np.random.default_rng(1)
    a = np.arange(p)[:, None]
    waves = np.concatenate([np.cos(2 * np.pi * 4 * a / p), np.sin(2 * np.pi * 11 * a / p)], axis=1)
    assert fourier_concentration(waves @ rng.standard_normal((2, 16)), top=2) == pytest.approx(1.0)
    power = frequency_power(waves)
    assert np.flatnonzero(power > 1e-9).tolist() == [3, 10]  # frequencies 4 and 11
    noise = fourier_concentration(rng.standard_normal((200, p, 64)), top=5)  # 200 draws
    assert 5 / 15 - 0.05 < noise.mean() < 5 / 15 + 0.1  # about top / (p // 2) = 5/15
    constant = np.ones((p, 3)) + 1e-3 * waves[:, :1]
    assert fourier_concentration(constant, top=1) == pytest.approx(1.0)  # the mean is left out
    assert power_concentration(frequency_power(waves), top=2) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="top must be an integer in"):
        fourier_concentration(waves, top=16)


def test_modular_mlp_members_are_independent_networks():
    import torch

    from helpers.modular import ModularMLP

    model = ModularMLP(3, 7, 4, 5, torch.Generator().manual_seed(0))
    pairs = torch.tensor([[0, 1], [3, 6], [2, 2]])
    logits = model(pairs)
    assert logits.shape == (3, 3, 7)
    # member 1 by hand: embed, concatenate, hidden ReLU layer, read-out
    x = torch.cat([model.embedding[1, pairs[:, 0]], model.embedding[1, pairs[:, 1]]], dim=-1)
    by_hand = torch.relu(x @ model.w1[1] + model.b1[1]) @ model.w2[1] + model.b2[1]
    assert torch.allclose(logits[1], by_hand, atol=1e-6)
    loss = logits[0].sum()
    loss.backward()
    assert model.w1.grad[1:].abs().max() == 0  # member 0's output depends on member 0 only
    effective = model.effective_embedding()
    assert effective.shape == (3, 7, 5)
    assert np.allclose(
        effective[2], (model.embedding[2] @ model.w1[2, :4]).detach().numpy(), atol=1e-6
    )
    with pytest.raises(ValueError, match=r"pairs must have shape \(n, 2\)"):
        model(torch.tensor([1, 2, 3]))
    with pytest.raises(TypeError, match="generator must be a torch.Generator"):
        ModularMLP(2, 7, 4, 5, 0)
