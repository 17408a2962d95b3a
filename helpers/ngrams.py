"""Character n-gram models, the yardsticks of a sequence model: for every position of a text,
the next-character distribution that counts of the preceding n - 1 characters give, and the
distances (KL divergence, cross-entropy) between such distributions and a model's.

Smoothing is interpolated Dirichlet backoff: the order-n estimate is
p_n(c | h) = (count(h, c) + alpha p_{n-1}(c | h')) / (count(h) + alpha), where h' drops the
oldest character of h, down to p_0 = uniform over the alphabet. Every distribution is
therefore strictly positive, so KL divergences to it are finite.
"""

from __future__ import annotations

import numpy as np

from helpers.checks import array, class_labels, integer, number, probability_vectors


class NGramModel:
    """The order-``n`` model of a text given as integer ids in [0, vocab_size).

    ``distributions(ids)`` gives, for every position t >= ``start`` of another text, the
    model's distribution of ids[t] given the n - 1 ids before it: (positions, vocab_size).
    """

    def __init__(self, ids, n: int, vocab_size: int, *, alpha: float = 3.0):
        self.n = integer(n, "n", low=1)
        self.vocab_size = integer(vocab_size, "vocab_size", low=2)
        self.alpha = number(alpha, "alpha", low=0, open_low=True)
        ids = _ids(ids, self.vocab_size, "ids")
        if len(ids) < self.n:
            raise ValueError(f"ids must hold at least n={self.n} characters, got {len(ids)}")
        # counts of (context of k - 1 characters, next character), for k = 1..n
        self._tables = []
        for k in range(1, self.n + 1):
            codes = _context_codes(ids, k - 1, self.vocab_size)[k - 1 :]  # contexts of ids[t]
            contexts, row = np.unique(codes, return_inverse=True)
            counts = np.zeros((len(contexts), self.vocab_size))
            np.add.at(counts, (row, ids[k - 1 :]), 1)
            self._tables.append((contexts, counts))

    def distributions(self, ids, start: int | None = None) -> np.ndarray:
        """(len(ids) - start, vocab_size): p(ids[t] | the n - 1 ids before t) for t >= start
        (default and minimum: n - 1, the first position with a full context)."""
        ids = _ids(ids, self.vocab_size, "ids")
        start = self.n - 1 if start is None else integer(start, "start", low=self.n - 1)
        if start >= len(ids):
            raise ValueError(f"start={start} leaves no position in ids of length {len(ids)}")
        positions = np.arange(start, len(ids))
        p = np.full((len(positions), self.vocab_size), 1.0 / self.vocab_size)
        for k, (contexts, counts) in enumerate(self._tables, start=1):
            codes = _context_codes(ids, k - 1, self.vocab_size)[positions]
            where = np.searchsorted(contexts, codes).clip(max=len(contexts) - 1)
            seen = contexts[where] == codes
            c = np.where(seen[:, None], counts[where], 0.0)
            p = (c + self.alpha * p) / (c.sum(1, keepdims=True) + self.alpha)
        return p


def _ids(ids, vocab_size: int, name: str) -> np.ndarray:
    ids = np.asarray(ids)
    if ids.ndim != 1 or not np.issubdtype(ids.dtype, np.integer):
        raise ValueError(f"{name} must be a 1-d array of integer ids, got {ids.dtype} {ids.shape}")
    if len(ids) == 0:
        raise ValueError(f"{name} is empty: an n-gram model needs text")
    if ids.min() < 0 or ids.max() >= vocab_size:
        raise ValueError(
            f"{name} must lie in [0, vocab_size={vocab_size}), got {ids.min()}..{ids.max()}"
        )
    return ids.astype(np.int64)


def _context_codes(ids: np.ndarray, length: int, vocab_size: int) -> np.ndarray:
    """code[t] identifies ids[t - length : t] (the ``length`` characters before t); positions
    with a shorter history get codes that no full context has, and are never looked up."""
    code = np.zeros(len(ids), dtype=np.int64)
    for j in range(1, length + 1):
        shifted = np.full(len(ids), vocab_size, dtype=np.int64)  # "before the text"
        shifted[j:] = ids[:-j]
        code = code * (vocab_size + 1) + shifted
    return code


def kl_divergence(p, q) -> np.ndarray:
    """KL(p || q) in nats along the last axis, for distributions p, q of one shape; 0 where
    p and q agree. Terms with p = 0 contribute 0; q must be positive where p is."""
    p = np.asarray(probability_vectors(p, "p"), dtype=float)
    q = np.asarray(probability_vectors(q, "q"), dtype=float)
    if p.shape != q.shape:
        raise ValueError(f"p and q must have one shape, got {p.shape} and {q.shape}")
    if (p < 0).any() or (q < 0).any():
        raise ValueError("p and q must be probability distributions (no negative entries)")
    if ((q == 0) & (p > 0)).any():
        raise ValueError("q is 0 where p is positive: KL(p || q) is infinite")
    ratio = np.where(p > 0, p / np.where(q > 0, q, 1.0), 1.0)
    return (p * np.log(ratio)).sum(-1)


def cross_entropy(p, targets) -> float:
    """Mean -log p[t, targets[t]] in nats; p: (positions, vocab) distributions, targets:
    (positions,) ids."""
    p = np.asarray(probability_vectors(p, "p"), dtype=float)
    targets = array(targets, "targets", kind="integer", ndim=1)
    if p.ndim == 2:
        class_labels(targets, "targets", p.shape[1])
    if p.ndim != 2 or len(p) != len(targets):
        raise ValueError(f"p must be (positions, vocab) with one row per target, got {p.shape}")
    return float(-np.log(p[np.arange(len(targets)), targets]).mean())
