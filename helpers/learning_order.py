"""The order in which classes and examples are learned: pairwise accuracies, agreement of
orders (rank correlations), and label noise to learn against.

Learning speed and forgetting events are one line each; they stand in the chapter."""

from __future__ import annotations

import itertools

import numpy as np
from scipy.stats import spearmanr

from helpers.checks import array, class_labels, integer, numpy_generator, probability


def pairwise_accuracies(logits: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """The network's accuracy at telling class a from class b, for every pair.

    logits (..., n, C), labels (n,) -> (..., C, C): entry [a, b] is the accuracy, on the
    examples of classes a and b, of choosing between just those two classes by the larger
    of logits a and b. Symmetric; the diagonal is NaN.
    """
    logits = array(logits, "logits", ndim=tuple(range(2, 33)))
    labels = array(labels, "labels", kind="integer", ndim=1)
    class_labels(labels, "labels", logits.shape[-1])
    if logits.shape[-2] != len(labels):
        raise ValueError(f"logits has {logits.shape[-2]} examples but labels has {len(labels)}")
    C = logits.shape[-1]
    out = np.full(logits.shape[:-2] + (C, C), np.nan)
    for a, b in itertools.combinations(range(C), 2):
        own = labels == a
        other = labels == b
        if not own.any() or not other.any():
            raise ValueError(
                f"labels must contain every class; class {a if not own.any() else b} is missing"
            )
        a_wins = logits[..., :, a] > logits[..., :, b]  # (..., n)
        correct = (a_wins & own) | (~a_wins & other)
        out[..., a, b] = out[..., b, a] = correct[..., own | other].mean(-1)
    return out


PAIRS = list(itertools.combinations(range(10), 2))  # the 45 pairs of ten classes, (a, b), a < b


def pair_values(matrix: np.ndarray, pairs=PAIRS) -> np.ndarray:
    """The entries [a, b] of a (..., C, C) pair matrix as (..., len(pairs)), in ``pairs`` order."""
    matrix = array(matrix, "matrix", finite=False)
    if not isinstance(pairs, (list, tuple)) or not all(
        isinstance(p, (list, tuple)) and len(p) == 2 for p in pairs
    ):
        raise TypeError("pairs must be a list of (a, b) class pairs")
    if matrix.ndim < 2 or matrix.shape[-1] != matrix.shape[-2]:
        raise ValueError(f"matrix must have shape (..., C, C), got {matrix.shape}")
    for a, b in pairs:
        integer(a, "each class in pairs", low=0, high=matrix.shape[-1] - 1)
        integer(b, "each class in pairs", low=0, high=matrix.shape[-1] - 1)
    return np.stack([matrix[..., a, b] for a, b in pairs], axis=-1)


def rank_agreement(scores: np.ndarray) -> np.ndarray:
    """Spearman rank correlation of every pair of rows: scores (M, n) -> (M (M - 1) / 2,)."""
    scores = np.asarray(array(scores, "scores"), dtype=float)
    if scores.ndim != 2 or len(scores) < 2:
        raise ValueError(f"scores must have shape (members >= 2, items), got {scores.shape}")
    return np.array(
        [
            spearmanr(scores[i], scores[j])[0]
            for i, j in itertools.combinations(range(len(scores)), 2)
        ]
    )


def within_class_agreement(scores: np.ndarray, labels: np.ndarray) -> float:
    """Agreement of the order of examples across runs that is not just "some classes are
    easier": the Spearman correlation between every two runs (rows of ``scores``, (runs, n)),
    computed inside each class of ``labels`` (n,) and averaged over runs and classes. A class
    whose scores are all equal for some run has no order and is left out."""
    scores = np.asarray(array(scores, "scores"), dtype=float)
    labels = array(labels, "labels", ndim=1)
    if scores.ndim != 2 or scores.shape[1] != len(labels):
        raise ValueError(f"scores must be (runs, {len(labels)} examples), got {scores.shape}")
    inside = [scores[:, labels == c] for c in np.unique(labels)]
    ordered = [
        rank_agreement(s).mean() for s in inside if s.shape[1] > 1 and np.ptp(s, 1).min() > 0
    ]
    if not ordered:
        raise ValueError("no class has an order in every run: every class is constant somewhere")
    return float(np.mean(ordered))


def symmetric_label_noise(
    labels: np.ndarray, fraction: float, n_classes: int, rng: np.random.Generator
):
    """Replace a ``fraction`` of the labels by a uniformly drawn OTHER class.

    Returns (noisy labels, boolean mask of the flipped examples)."""
    fraction = probability(fraction, "fraction")
    n_classes = integer(n_classes, "n_classes", low=2)
    rng = numpy_generator(rng)
    labels = array(labels, "labels", kind="integer", ndim=1)
    class_labels(labels, "labels", n_classes)
    flipped = rng.random(len(labels)) < fraction
    noisy = labels.copy()
    noisy[flipped] = (labels[flipped] + rng.integers(1, n_classes, flipped.sum())) % n_classes
    return noisy, flipped
