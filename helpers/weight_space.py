"""The weight space of an MLP: permutations of hidden units, aligning two networks unit to
unit, and the loss along the straight line between two networks (linear mode connectivity).

A network here is a list of layers ``[(W, b), ...]`` with W of shape (inputs, outputs) and b
of shape (outputs,), ReLU between layers: the layout of one member of
``helpers.ensembles.MLPEnsemble`` (``member_weights``), and ``ensemble_of`` stacks networks
back into one batched model, so that many points of a path are evaluated at once.

Reordering the hidden units of a layer (the columns of its W and b, and the rows of the next
W) changes no output: ``permute``. Two networks trained from different starts compute with
their units in different orders; ``activation_matching`` (Entezari et al. 2022: correlate
the units' activations) and ``weight_matching`` (Ainsworth et al. 2023: correlate their
weights) find the permutation that lines one up with the other.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch

from helpers.checks import (
    array,
    class_labels,
    integer,
    number,
    numpy_generator,
    permutation,
    tensor,
)
from helpers.ensembles import MLPEnsemble

Network = list  # [(W (in, out), b (out,)), ...] as torch tensors


def _check_network(network, name: str) -> Network:
    """A list of layers (W (in, out), b (out,)) of float tensors whose shapes chain."""
    if not isinstance(network, (list, tuple)) or not network:
        raise TypeError(
            f"{name} must be a network: a non-empty list of layers (W (in, out), b (out,)) "
            f"of torch tensors (member_weights(model, i)), got {type(network).__name__}"
        )
    for j, layer in enumerate(network):
        if not isinstance(layer, (list, tuple)) or len(layer) != 2:
            raise TypeError(f"{name}[{j}] must be a layer (W, b), got {type(layer).__name__}")
        W = tensor(layer[0], f"{name}[{j}][0] (W)", kind="floating", ndim=2)
        tensor(layer[1], f"{name}[{j}][1] (b)", kind="floating", shape=(W.shape[1],))
        if j and W.shape[0] != network[j - 1][0].shape[1]:
            raise ValueError(
                f"{name}[{j}] takes {W.shape[0]} inputs but {name}[{j - 1}] has "
                f"{network[j - 1][0].shape[1]} outputs"
            )
    return network


def _check_inputs(network: Network, X, name: str = "X"):
    tensor(X, name, kind="floating", shape=(None, network[0][0].shape[0]))
    if X.dtype != network[0][0].dtype:
        raise TypeError(
            f"{name} must have the network's dtype {network[0][0].dtype}, got {X.dtype}: "
            f"convert it with {name}.to({network[0][0].dtype})"
        )
    return X


def member_weights(model: MLPEnsemble, i: int) -> Network:
    """Member ``i`` of an ensemble as a network (copies of its weights)."""
    if not isinstance(model, MLPEnsemble):
        raise TypeError(f"model must be an MLPEnsemble, got {type(model).__name__}")
    i = integer(i, "i", low=0, high=model.n_models - 1)
    return [
        (w[i].detach().clone(), b[i, 0].detach().clone())
        for w, b in zip(model.weights, model.biases)
    ]


def _check_same_shape(a: Network, b: Network, names=("a", "b")) -> None:
    _check_network(a, names[0]), _check_network(b, names[1])
    shapes = [[tuple(W.shape) for W, _ in net] for net in (a, b)]
    if shapes[0] != shapes[1]:
        raise ValueError(
            f"networks {names[0]} and {names[1]} must have the same layer shapes, "
            f"got {shapes[0]} and {shapes[1]}"
        )


def ensemble_of(networks: Sequence[Network]) -> MLPEnsemble:
    """One batched model whose members are ``networks`` (all of one shape)."""
    if not isinstance(networks, (list, tuple)):
        raise TypeError(f"networks must be a list of networks, got {type(networks).__name__}")
    if not networks:
        raise ValueError("networks must hold at least one network")
    _check_network(networks[0], "networks[0]")
    for k, net in enumerate(networks[1:], start=1):
        _check_same_shape(networks[0], net, ("networks[0]", f"networks[{k}]"))
    sizes = [networks[0][0][0].shape[0]] + [W.shape[1] for W, _ in networks[0]]
    model = MLPEnsemble(len(networks), sizes, torch.Generator())
    with torch.no_grad():
        for j, (w, b) in enumerate(zip(model.weights, model.biases)):
            w.copy_(torch.stack([net[j][0] for net in networks]))
            b.copy_(torch.stack([net[j][1] for net in networks])[:, None, :])
    return model


def permute(network: Network, perms: Sequence) -> Network:
    """The same function with hidden layer h's units reordered: new unit u is old unit
    ``perms[h][u]`` (one permutation per hidden layer, in order; each a permutation of
    range(units of that layer): one that drops or repeats a unit is refused)."""
    _check_network(network, "network")
    if not isinstance(perms, (list, tuple)):
        raise TypeError(f"perms must be a list of permutations, got {type(perms).__name__}")
    if len(perms) != len(network) - 1:
        raise ValueError(
            f"perms must hold one permutation per hidden layer ({len(network) - 1}), "
            f"got {len(perms)}"
        )
    for h, p in enumerate(perms):
        permutation(p, f"perms[{h}]", network[h][0].shape[1])
    perms = [torch.as_tensor(np.asarray(p), dtype=torch.long) for p in perms]
    out = []
    for j, (W, b) in enumerate(network):
        if j > 0:
            W = W[perms[j - 1], :]  # inputs come from hidden layer j, reordered
        if j < len(network) - 1:
            W, b = W[:, perms[j]], b[perms[j]]  # outputs are hidden layer j + 1
        out.append((W.clone(), b.clone()))
    return out


def interpolate(a: Network, b: Network, alpha: float) -> Network:
    """(1 - alpha) a + alpha b, layer by layer."""
    _check_same_shape(a, b)
    alpha = number(alpha, "alpha")
    return [
        ((1 - alpha) * Wa + alpha * Wb, (1 - alpha) * ba + alpha * bb)
        for (Wa, ba), (Wb, bb) in zip(a, b)
    ]


def hidden_activations(network: Network, X: torch.Tensor) -> list[torch.Tensor]:
    """The post-ReLU activations of every hidden layer on X: [(n, units), ...]."""
    _check_inputs(_check_network(network, "network"), X)
    acts, x = [], X
    with torch.no_grad():
        for W, b in network[:-1]:
            x = torch.relu(x @ W + b)
            acts.append(x)
    return acts


def _assign(similarity: np.ndarray) -> np.ndarray:
    from scipy.optimize import linear_sum_assignment

    rows, cols = linear_sum_assignment(similarity, maximize=True)
    return cols[np.argsort(rows)]


def activation_matching(a: Network, b: Network, X: torch.Tensor) -> list[np.ndarray]:
    """Permutations of b's hidden units that best line them up with a's: per layer, the
    assignment maximizing the summed correlation of paired units' activations on X
    (Hungarian algorithm). ``permute(b, result)`` is b in a's order."""
    _check_same_shape(a, b)
    _check_inputs(a, X)
    perms = []
    for act_a, act_b in zip(hidden_activations(a, X), hidden_activations(b, X)):
        za = (act_a - act_a.mean(0)) / (act_a.std(0) + 1e-8)
        zb = (act_b - act_b.mean(0)) / (act_b.std(0) + 1e-8)
        perms.append(_assign((za.T @ zb).numpy() / len(X)))
    return perms


def weight_matching(
    a: Network, b: Network, rng: np.random.Generator, max_rounds: int = 50
) -> list[np.ndarray]:
    """Permutations of b's hidden units that maximize the summed inner product of a's and
    permuted b's weights (Ainsworth et al. 2023): coordinate ascent, one hidden layer at a
    time in random order, each step an exact assignment, until no permutation changes."""
    _check_same_shape(a, b)
    rng, max_rounds = numpy_generator(rng), integer(max_rounds, "max_rounds")
    n_hidden = len(a) - 1
    perms = [np.arange(a[h][0].shape[1]) for h in range(n_hidden)]
    to_np = (
        [(W.numpy(), bias.numpy()) for W, bias in a],
        [(W.numpy(), bias.numpy()) for W, bias in b],
    )
    (A, B) = to_np
    for _ in range(max_rounds):
        changed = False
        for h in rng.permutation(n_hidden):  # hidden layer h: outputs of layer h, inputs of h + 1
            W_in_b = B[h][0] if h == 0 else B[h][0][perms[h - 1], :]
            W_out_b = B[h + 1][0] if h + 1 == n_hidden else B[h + 1][0][:, perms[h + 1]]
            similarity = A[h][0].T @ W_in_b + np.outer(A[h][1], B[h][1]) + A[h + 1][0] @ W_out_b.T
            new = _assign(similarity)
            changed |= not np.array_equal(new, perms[h])
            perms[h] = new
        if not changed:
            break
    return perms


def forward(network: Network, X: torch.Tensor) -> torch.Tensor:
    """The network's outputs on X: its read-out applied to the last hidden layer."""
    _check_inputs(_check_network(network, "network"), X)
    hidden = hidden_activations(network, X)
    W, b = network[-1]
    return (hidden[-1] if hidden else X) @ W + b


def path_losses(
    a: Network, b: Network, X: torch.Tensor, y: torch.Tensor, alphas
) -> tuple[np.ndarray, np.ndarray]:
    """Cross-entropy loss and error of the networks (1 - alpha) a + alpha b on (X, y), one
    alpha at a time: (len(alphas),) each. (Measured on one thread, 21 points, 1347 digits:
    stacking the points into one batched model was slower at widths 128 and 512, 0.060 vs
    0.047 s and 0.45 vs 0.29 s, and faster only at width 32, 0.015 vs 0.019 s.)"""
    _check_same_shape(a, b)
    _check_inputs(a, X)
    tensor(y, "y", kind="long", ndim=1)
    class_labels(y, "y", a[-1][0].shape[1])
    if len(X) != len(y):
        raise ValueError(f"X and y must have one row per example: {len(X)} vs {len(y)}")
    alphas = array(alphas, "alphas", ndim=1, non_empty=True)
    losses, errors = [], []
    with torch.no_grad():
        for alpha in alphas:
            logits = forward(interpolate(a, b, float(alpha)), X)
            losses.append(torch.nn.functional.cross_entropy(logits, y).item())
            errors.append((logits.argmax(-1) != y).float().mean().item())
    return np.array(losses), np.array(errors)


def barrier(losses, alphas=None) -> float:
    """The loss barrier of a path (Frankle et al. 2020; Entezari et al. 2022): the largest
    excess of the loss along it over the straight line between the losses at its two ends,
    max_alpha L(alpha) - ((1 - alpha) L(0) + alpha L(1)); 0 for a path that never rises above
    that line. ``alphas``: where the losses were taken (default: evenly spaced over [0, 1])."""
    losses = np.asarray(array(losses, "losses"), dtype=float)  # a NaN loss is refused
    if losses.ndim != 1 or len(losses) < 2:
        raise ValueError(
            f"losses must be the loss at >= 2 points of a path, got shape {losses.shape}"
        )
    alphas = (
        np.linspace(0, 1, len(losses))
        if alphas is None
        else np.asarray(array(alphas, "alphas"), dtype=float)
    )
    if alphas.shape != losses.shape:
        raise ValueError(f"alphas must match losses, got shapes {alphas.shape} and {losses.shape}")
    line = (1 - alphas) * losses[0] + alphas * losses[-1]
    return float(max(0.0, np.max(losses - line)))
