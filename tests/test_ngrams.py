"""n-gram models and distances (helpers.ngrams), against known answers."""

import numpy as np
import pytest

from helpers.ngrams import NGramModel, cross_entropy, kl_divergence


def markov_chain(transition, length, rng):
    ids = [0]
    for _ in range(length - 1):
        ids.append(rng.choice(len(transition), p=transition[ids[-1]]))
    return np.array(ids)


def test_bigram_model_recovers_the_transition_matrix_of_a_markov_chain():
    rng = np.random.default_rng(0)
    transition = np.array([[0.1, 0.6, 0.3], [0.5, 0.2, 0.3], [0.3, 0.3, 0.4]])
    ids = markov_chain(transition, 60_000, rng)
    model = NGramModel(ids, 2, 3, alpha=3.0)
    # p(next | previous = a) for each a: a text that visits a, then each possible next
    for a in range(3):
        p = model.distributions(np.array([a, 0]), start=1)[0]
        assert np.allclose(p, transition[a], atol=0.02)


def test_unigram_model_is_smoothed_frequencies():
    ids = np.array([0, 0, 0, 1])
    p = NGramModel(ids, 1, 3, alpha=2.0).distributions(np.array([2]))[0]
    # (count + alpha / V) / (N + alpha): [3 + 2/3, 1 + 2/3, 0 + 2/3] / 6
    assert np.allclose(p, np.array([3 + 2 / 3, 1 + 2 / 3, 2 / 3]) / 6)
    assert np.isclose(p.sum(), 1)


def test_unseen_context_backs_off_to_the_lower_order():
    ids = np.array([0, 1, 0, 1, 0, 1])
    model = NGramModel(ids, 2, 3)
    unseen = model.distributions(np.array([2, 0]), start=1)[0]  # context "2" never seen
    assert np.allclose(unseen, NGramModel(ids, 1, 3).distributions(np.array([0]))[0])
    rows = model.distributions(np.array([0, 1, 0, 2]))
    assert rows.shape == (3, 3) and np.allclose(rows.sum(1), 1) and (rows > 0).all()


def test_kl_is_zero_for_a_distribution_and_itself_and_matches_a_loop():
    rng = np.random.default_rng(1)
    p, q = rng.dirichlet(np.ones(5), 4), rng.dirichlet(np.ones(5), 4)
    assert np.allclose(kl_divergence(p, p), 0)
    loop = [sum(pi * np.log(pi / qi) for pi, qi in zip(a, b)) for a, b in zip(p, q)]
    assert np.allclose(kl_divergence(p, q), loop) and (kl_divergence(p, q) > 0).all()
    assert kl_divergence([0.0, 1.0], [0.5, 0.5]) == pytest.approx(np.log(2))


def test_cross_entropy_of_a_sure_prediction_is_zero():
    p = np.eye(3)
    assert cross_entropy(p, [0, 1, 2]) == 0
    assert cross_entropy(np.full((2, 4), 0.25), [1, 3]) == pytest.approx(np.log(4))


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: NGramModel(np.array([0, 1]), 0, 3), "n must be an integer"),
        (lambda: NGramModel(np.array([], dtype=int), 1, 3), "ids is empty"),
        (lambda: NGramModel(np.array([0, 5]), 1, 3), "ids must lie in \\[0, vocab_size=3\\)"),
        (lambda: NGramModel(np.array([0.5, 1.0]), 1, 3), "integer ids"),
        (lambda: NGramModel(np.array([0, 1]), 3, 3), "at least n=3"),
        (lambda: NGramModel(np.array([0, 1]), 1, 3, alpha=0), "alpha must be"),
        (lambda: kl_divergence([1.0, 0.0], [0.0, 1.0]), "infinite"),
        (lambda: kl_divergence([1.0], [0.5, 0.5]), "one shape"),
    ],
)
def test_bad_inputs_name_the_parameter(call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call()


def test_distributions_and_targets_are_checked():
    from helpers.ngrams import cross_entropy, kl_divergence

    for bad, match in (
        ([1, 1], "a sum of 2"),
        ([1.5, -0.5], "negative"),
        ([float("nan"), 1], "finite"),
    ):
        with pytest.raises(
            ValueError, match=f"q must be probability distributions.*{match}|q .*{match}"
        ):
            kl_divergence([0.5, 0.5], bad)
    with pytest.raises(ValueError, match=r"targets must be class labels in \[0, 2\)"):
        cross_entropy(np.full((2, 2), 0.5), [0, 2])
    with pytest.raises(TypeError, match="targets must be an array of integers"):
        cross_entropy(np.full((2, 2), 0.5), [0.0, 1.0])
