import numpy as np
import pytest
from scipy.stats import spearmanr

from helpers.learning_order import (
    PAIRS,
    pair_values,
    pairwise_accuracies,
    rank_agreement,
    symmetric_label_noise,
    within_class_agreement,
)


def test_pairwise_accuracies_against_a_loop():
    rng = np.random.default_rng(0)
    logits, labels = rng.standard_normal((2, 60, 4)), np.arange(60) % 4
    out = pairwise_accuracies(logits, labels)
    assert out.shape == (2, 4, 4) and np.isnan(out[0, 1, 1])
    for m in range(2):
        for a in range(4):
            for b in range(4):
                if a == b:
                    continue
                hits = [
                    (logits[m, i, a] > logits[m, i, b]) == (labels[i] == a)
                    for i in range(60)
                    if labels[i] in (a, b)
                ]
                assert out[m, a, b] == pytest.approx(np.mean(hits))
    with pytest.raises(ValueError, match="labels must contain every class"):
        pairwise_accuracies(logits[0, :8], np.zeros(8, dtype=int))


def test_rank_agreement():
    rng = np.random.default_rng(1)
    a = rng.standard_normal(50)
    scores = np.stack([a, a + 0.1 * rng.standard_normal(50), rng.standard_normal(50)])
    agreement = rank_agreement(scores)
    assert agreement[0] == pytest.approx(spearmanr(scores[0], scores[1])[0]) and len(agreement) == 3
    with pytest.raises(ValueError, match="scores must have shape"):
        rank_agreement(a)


def test_symmetric_label_noise():
    labels = np.arange(10_000) % 10
    noisy, flipped = symmetric_label_noise(labels, 0.2, 10, np.random.default_rng(0))
    assert abs(flipped.mean() - 0.2) < 0.02
    assert (noisy[flipped] != labels[flipped]).all() and (noisy[~flipped] == labels[~flipped]).all()
    assert len(np.unique(noisy[flipped])) == 10
    with pytest.raises(ValueError, match=r"fraction must be a number in \[0, 1\]"):
        symmetric_label_noise(labels, 1.5, 10, np.random.default_rng(0))


def test_pair_values_reads_the_upper_triangle_in_pairs_order():
    matrix = np.arange(100.0).reshape(10, 10)
    values = pair_values(np.stack([matrix, -matrix]))
    assert values.shape == (2, 45) and len(PAIRS) == 45
    assert values[0, PAIRS.index((0, 1))] == 1 and values[0, PAIRS.index((3, 8))] == 38
    assert np.array_equal(values[1], -values[0])
    with pytest.raises(ValueError, match="matrix must have shape"):
        pair_values(np.zeros((10, 9)))


def test_within_class_agreement_ignores_what_the_class_explains():
    rng = np.random.default_rng(0)
    labels = np.repeat([0, 1], 200)
    class_only = np.tile(labels * 10.0, (3, 1)) + rng.random((3, 400))  # class + private noise
    assert rank_agreement(class_only).mean() > 0.7  # the class alone makes runs agree...
    assert abs(within_class_agreement(class_only, labels)) < 0.1  # ...but not within classes
    shared = rng.random(400)
    same_order = np.stack([shared + 0.1 * rng.random(400) for _ in range(3)])
    assert within_class_agreement(same_order, labels) > 0.9
    constant = np.zeros((3, 400))
    with pytest.raises(ValueError, match="no class has an order"):
        within_class_agreement(constant, labels)
    with pytest.raises(ValueError, match="scores must be"):
        within_class_agreement(same_order[:, :10], labels)
