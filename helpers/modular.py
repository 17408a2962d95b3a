"""Modular arithmetic: the facts a + b = c (mod p) as a data set, and a measure of how
much of a learned embedding of Z_p lives on a few Fourier frequencies (Nanda et al. 2023).

A network that adds mod p by the "clock" algorithm represents each residue a by waves
cos(2 pi k a / p), sin(2 pi k a / p) of a few frequencies k; a network that memorized the
training facts has no reason to. ``fourier_concentration`` measures that from the weights.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import torch

from helpers.checks import array, integer, number, numpy_generator, tensor, torch_generator


class ModularSplit(NamedTuple):
    """Pairs (n, 2) of residues and their sums mod p, split into train and test."""

    pairs_train: torch.Tensor
    y_train: torch.Tensor
    pairs_test: torch.Tensor
    y_test: torch.Tensor


def modular_addition(p: int, train_fraction: float, rng: np.random.Generator) -> ModularSplit:
    """All p^2 facts (a, b) -> (a + b) mod p, a random ``train_fraction`` of them for
    training and the rest for testing: every fact lands in exactly one of the two."""
    p = integer(p, "p", low=2)
    train_fraction = number(
        train_fraction, "train_fraction", low=0, high=1, open_low=True, open_high=True
    )
    rng = numpy_generator(rng)
    a, b = np.divmod(np.arange(p * p), p)
    pairs = np.stack([a, b], axis=1)
    order = rng.permutation(p * p)
    n_train = int(round(train_fraction * p * p))
    if not 0 < n_train < p * p:
        raise ValueError(
            f"train_fraction={train_fraction} leaves no training or no test facts for p={p}"
        )
    train, test = order[:n_train], order[n_train:]
    as_long = lambda x: torch.as_tensor(x, dtype=torch.int64)
    y = (a + b) % p
    return ModularSplit(
        as_long(pairs[train]), as_long(y[train]), as_long(pairs[test]), as_long(y[test])
    )


def frequency_power(embedding) -> np.ndarray:
    """Power of an embedding of Z_p (rows indexed by the residue, shape (..., p, width)) at
    each frequency k = 1 .. p // 2 of Z_p (k and p - k together; the mean, k = 0, left out):
    shape (..., p // 2)."""
    E = np.asarray(array(embedding, "embedding", ndim=tuple(range(2, 33))), dtype=float)
    p = E.shape[-2]
    if p < 3:
        raise ValueError(f"the embedding must have at least 3 rows (residues), got {p}")
    spectrum = np.abs(np.fft.fft(E, axis=-2)) ** 2  # (..., p, width)
    power = spectrum.sum(-1)  # (..., p)
    k = np.arange(1, p // 2 + 1)
    return power[..., k] + np.where(k == p - k, 0.0, power[..., p - k])


def fourier_concentration(embedding, top: int = 5) -> np.ndarray:
    """The share of an embedding's (non-constant) power in its ``top`` strongest
    frequencies: 1 for an embedding made of at most ``top`` frequencies; about
    top / (p // 2) for white noise. embedding (..., p, width) -> (...)."""
    power = frequency_power(embedding)
    top = integer(top, "top", low=1)
    if top > power.shape[-1]:
        raise ValueError(
            f"top must be an integer in [1, {power.shape[-1]}], got {top}: embedding has "
            f"p={np.shape(embedding)[-2]} residues (rows), hence {power.shape[-1]} "
            f"frequencies (pass a smaller top or an embedding of >= {2 * top} residues)"
        )
    return power_concentration(power, top)


def power_concentration(power, top: int = 5) -> np.ndarray:
    """The same share from powers computed by ``frequency_power``: (..., p // 2) -> (...)."""
    power = np.asarray(
        array(power, "power", low=0, ndim=tuple(range(1, 33)), non_empty=True), dtype=float
    )
    top = integer(top, "top", low=1, high=power.shape[-1])
    if (power.sum(-1) == 0).any():
        raise ValueError("power must have some power in every row: a constant embedding has none")
    strongest = np.sort(power, axis=-1)[..., ::-1][..., :top]
    return strongest.sum(-1) / power.sum(-1)


class ModularMLP(torch.nn.Module):
    """M independent networks for a o b (mod p), trained as one batched model: each embeds
    the two residues (an embedding of width ``width`` per residue), concatenates them,
    and maps them through one hidden ReLU layer of ``hidden`` units to p logits.

    forward: pairs (n, 2) of residues -> logits (M, n, p). Embeddings start as
    torch.nn.Embedding's (standard normal), the layers as torch.nn.Linear's, all drawn
    from ``generator``.
    """

    def __init__(self, n_models: int, p: int, width: int, hidden: int, generator: torch.Generator):
        super().__init__()
        n_models, p = integer(n_models, "n_models"), integer(p, "p", low=2)
        width, hidden = integer(width, "width"), integer(hidden, "hidden")
        generator = torch_generator(generator)
        self.n_models, self.p = n_models, p

        def uniform(*shape, fan_in):  # torch.nn.Linear's default: U(-1/sqrt(fan_in), +)
            bound = 1 / fan_in**0.5
            values = torch.empty(*shape).uniform_(-bound, bound, generator=generator)
            return torch.nn.Parameter(values)

        self.embedding = torch.nn.Parameter(torch.randn(n_models, p, width, generator=generator))
        self.w1 = uniform(n_models, 2 * width, hidden, fan_in=2 * width)
        self.b1 = uniform(n_models, 1, hidden, fan_in=2 * width)
        self.w2 = uniform(n_models, hidden, p, fan_in=hidden)
        self.b2 = uniform(n_models, 1, p, fan_in=hidden)

    def forward(self, pairs: torch.Tensor) -> torch.Tensor:
        if not isinstance(pairs, torch.Tensor) or pairs.dim() != 2 or pairs.shape[1] != 2:
            tensor(pairs, "pairs", kind="integer")  # a wrong kind: how to convert it
            raise ValueError(f"pairs must have shape (n, 2), got {tuple(pairs.shape)}")
        tensor(pairs, "pairs", kind="integer", low=0, high=self.p - 1)
        # [E[a], E[b]] @ w1 = (E @ w1's first half)[a] + (E @ w1's second half)[b]: the first
        # layer applied to the p residues once, then looked up per fact (p << facts: a
        # third of the arithmetic of embedding every fact first, the same function)
        width = self.embedding.shape[-1]
        first = self.embedding @ self.w1[:, :width]  # (M, p, hidden)
        second = self.embedding @ self.w1[:, width:]
        hidden = torch.relu(first[:, pairs[:, 0]] + second[:, pairs[:, 1]] + self.b1)
        return torch.baddbmm(self.b2, hidden, self.w2)

    def effective_embedding(self) -> np.ndarray:
        """What the hidden layer sees of the first operand: embedding @ (its half of w1),
        (M, p, hidden), the object whose Fourier spectrum tells an algorithm from a table."""
        width = self.embedding.shape[-1]
        with torch.no_grad():
            return (self.embedding @ self.w1[:, :width]).numpy()
