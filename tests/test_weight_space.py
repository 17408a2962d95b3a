import numpy as np
import pytest
import torch

from helpers.ensembles import MLPEnsemble
from helpers.weight_space import (
    activation_matching,
    barrier,
    ensemble_of,
    hidden_activations,
    interpolate,
    member_weights,
    path_losses,
    permute,
    weight_matching,
)


def two_networks(sizes=(5, 16, 12, 3), seed=0):
    model = MLPEnsemble(2, sizes, torch.Generator().manual_seed(seed))
    return model, member_weights(model, 0), member_weights(model, 1)


def random_perms(network, rng):
    return [rng.permutation(W.shape[1]) for W, _ in network[:-1]]


def test_members_round_trip_through_an_ensemble():
    model, a, b = two_networks()
    X = torch.randn(9, 5)
    assert torch.allclose(ensemble_of([a, b])(X), model(X))


def test_permuting_hidden_units_leaves_the_function_unchanged():
    _, a, _ = two_networks()
    perms = random_perms(a, np.random.default_rng(1))
    X = torch.randn(20, 5)
    permuted = permute(a, perms)
    assert torch.allclose(ensemble_of([permuted])(X), ensemble_of([a])(X), atol=1e-6)
    assert not torch.allclose(permuted[0][0], a[0][0])  # the weights did move
    with pytest.raises(ValueError, match=r"perms must hold one permutation per hidden layer \(2\)"):
        permute(a, perms[:1])


@pytest.mark.parametrize("match", ["activations", "weights"])
def test_matching_recovers_a_known_permutation(match):
    _, a, _ = two_networks(seed=3)
    rng = np.random.default_rng(4)
    b = permute(a, random_perms(a, rng))  # a in a scrambled order
    if match == "activations":
        found = activation_matching(a, b, torch.randn(500, 5))
    else:
        found = weight_matching(a, b, rng)
    realigned = permute(b, found)
    for (Wa, ba), (Wr, br) in zip(a, realigned):
        assert torch.equal(Wa, Wr) and torch.equal(ba, br)


def test_barrier_of_a_network_with_itself_is_zero_and_of_a_bump_is_its_height():
    _, a, _ = two_networks()
    X, y = torch.randn(30, 5), torch.randint(0, 3, (30,))
    losses, errors = path_losses(a, a, X, y, np.linspace(0, 1, 5))
    assert np.allclose(losses, losses[0]) and barrier(losses) == 0.0
    # over the line from 1.0 to 1.6 (at alpha 1/3: 1.2): a bump of 3.0 - 1.2
    assert barrier([1.0, 3.0, 2.0, 1.6]) == pytest.approx(1.8)
    assert barrier([2.0, 1.0, 0.5]) == 0.0  # never above the line between its ends
    assert barrier([0.0, 1.0, 0.0], alphas=[0.0, 0.25, 1.0]) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="losses must be the loss at >= 2 points"):
        barrier([1.0])


def test_path_losses_agree_with_the_batched_model():
    _, a, b = two_networks()
    X, y = torch.randn(40, 5), torch.randint(0, 3, (40,))
    alphas = [0.0, 0.3, 1.0]
    losses, errors = path_losses(a, b, X, y, alphas)
    with torch.no_grad():
        logits = ensemble_of([interpolate(a, b, al) for al in alphas])(X)
    expected = [torch.nn.functional.cross_entropy(out, y).item() for out in logits]
    assert np.allclose(losses, expected, atol=1e-6)
    assert np.allclose(errors, (logits.argmax(-1) != y).float().mean(1).numpy())


def test_interpolation_and_activations():
    _, a, b = two_networks()
    mid = interpolate(a, b, 0.5)
    assert torch.allclose(mid[1][0], (a[1][0] + b[1][0]) / 2)
    acts = hidden_activations(a, torch.randn(7, 5))
    assert [tuple(x.shape) for x in acts] == [(7, 16), (7, 12)] and all(
        (x >= 0).all() for x in acts
    )


def test_networks_of_different_shapes_are_a_clear_error():
    _, a, _ = two_networks()
    _, c, _ = two_networks(sizes=(5, 8, 12, 3))
    with pytest.raises(ValueError, match="networks a and b must have the same layer shapes"):
        interpolate(a, c, 0.5)
    with pytest.raises(ValueError, match="networks a and b must have the same layer shapes"):
        activation_matching(a, c, torch.randn(4, 5))
    with pytest.raises(ValueError, match=r"networks networks\[0\] and networks\[1\]"):
        ensemble_of([a, c])


def _bad_net():
    from helpers.ensembles import MLPEnsemble
    from helpers.weight_space import member_weights

    return member_weights(MLPEnsemble(1, (4, 3, 2), torch.Generator().manual_seed(0)), 0)


def test_kind_of_input_tensor_is_checked_everywhere():
    from helpers.weight_space import activation_matching, forward, hidden_activations

    net = _bad_net()
    for fn in (hidden_activations, forward, lambda n, X: activation_matching(n, n, X)):
        with pytest.raises(TypeError, match=r"X must be .*torch.as_tensor\(X"):
            fn(net, np.zeros((3, 4)))
        with pytest.raises(TypeError, match="X must have the network's dtype"):
            fn(net, torch.zeros(3, 4, dtype=torch.float64))
        with pytest.raises(ValueError, match=r"X must be .* of shape \(any, 4\)"):
            fn(net, torch.zeros(3, 5))


def test_permutations_and_nan_losses_are_refused():
    from helpers.weight_space import barrier, permute

    with pytest.raises(ValueError, match=r"perms\[0\] must be a permutation of range\(3\)"):
        permute(_bad_net(), [[0, 0, 1]])
    with pytest.raises(ValueError, match="losses must be .* finite"):
        barrier([1.0, float("nan"), 1.0])


def test_path_labels_are_class_labels_of_the_right_length():
    from helpers.weight_space import path_losses

    net, X = _bad_net(), torch.zeros(6, 4)
    with pytest.raises(TypeError, match="y must be a torch.int64 tensor"):
        path_losses(net, net, X, torch.zeros(6), [0, 1])
    with pytest.raises(ValueError, match=r"y must be class labels in \[0, 2\)"):
        path_losses(net, net, X, torch.full((6,), 2), [0, 1])
    with pytest.raises(ValueError, match="X and y must have one row per example"):
        path_losses(net, net, X, torch.zeros(5, dtype=torch.long), [0, 1])
