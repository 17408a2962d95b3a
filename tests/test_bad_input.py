"""The acceptance sweep of issue 25: bad calls against every public helper, each of which must
raise TypeError or ValueError with a message naming the offending parameter, quickly.

A call that returns (silently accepted), raises anything else, fails without naming the
parameter, or runs past TIME_LIMIT fails its case. ``test_sweep_counts`` prints the counts."""

import time

import numpy as np
import pytest
import torch

from helpers import (
    completion,
    datasets,
    ensembles,
    explorers,
    hypercube,
    information,
    interpolation_risk,
    learning_order,
    matrix_products,
    modular,
    ngrams,
    plotting,
    random_matrices,
    representations,
    reproducibility,
    text,
    training,
    weight_space,
)

NAN = float("nan")
TIME_LIMIT = 5.0  # seconds; every bad call here should fail at once
rng = lambda: np.random.default_rng(0)  # noqa: E731
gen = lambda: torch.Generator().manual_seed(0)  # noqa: E731


def _net(sizes=(4, 3, 2)):
    return weight_space.member_weights(ensembles.MLPEnsemble(1, sizes, gen()), 0)


def _ens():
    return ensembles.MLPEnsemble(2, (4, 3, 2), gen())


def _mod():
    return modular.ModularMLP(1, 5, 3, 4, gen())


X4 = torch.zeros(6, 4)
Y6 = torch.zeros(6, dtype=torch.long)
FILTERS = np.random.default_rng(0).standard_normal((2, 5, 5))
NAN_POINTS = np.random.default_rng(0).standard_normal((30, 3))
NAN_POINTS[3, 1] = NAN
NGRAM = ngrams.NGramModel(np.array([0, 1, 2, 1, 0, 2]), 2, 3)
CHARS = text.characters("hello world")
STEP = lambda w, b: (w, 1.0)  # noqa: E731


def _update_three(w, b):
    return w, 1.0, 2.0


def _update_text(w, b):
    return w, "loss"


# (label, parameter the message must name, function, args, kwargs)
CASES = [
    # checks through training
    ("train update not callable", "update", training.train, (3, 0, training.full_batch(), 2), {}),
    (
        "train stop not callable",
        "stop",
        training.train,
        (STEP, 0, training.full_batch(), 2),
        {"stop": 5},
    ),
    (
        "train probes as a list",
        "probes",
        training.train,
        (STEP, 0, training.full_batch(), 2),
        {"probes": [len]},
    ),
    (
        "train probe not callable",
        "probes['a']",
        training.train,
        (STEP, 0, training.full_batch(), 2),
        {"probes": {"a": 1}},
    ),
    (
        "train update returns a triple",
        "update",
        training.train,
        (_update_three, 0, training.full_batch(), 2),
        {},
    ),
    (
        "train update returns a string loss",
        "update",
        training.train,
        (_update_text, 0, training.full_batch(), 2),
        {},
    ),
    ("train batches not iterable", "batches", training.train, (STEP, 0, 5, 2), {}),
    ("train steps negative", "steps", training.train, (STEP, 0, training.full_batch(), -1), {}),
    (
        "train divergence_factor nan",
        "divergence_factor",
        training.train,
        (STEP, 0, training.full_batch(), 2),
        {"divergence_factor": NAN},
    ),
    (
        "train progress a string",
        "progress",
        training.train,
        (STEP, 0, training.full_batch(), 2),
        {"progress": "yes"},
    ),
    ("minibatches one array", "arrays", training.minibatches, (np.zeros((5, 2)), 2, rng()), {}),
    ("minibatches empty list", "arrays", training.minibatches, ([], 2, rng()), {}),
    (
        "minibatches lengths",
        "arrays",
        training.minibatches,
        ((np.zeros(5), np.zeros(4)), 2, rng()),
        {},
    ),
    ("minibatches a list inside", "arrays[0]", training.minibatches, (([1, 2, 3],), 2, rng()), {}),
    ("minibatches rng", "rng", training.minibatches, ((np.zeros(5),), 2, 0), {}),
    (
        "torch_update loss_fn",
        "loss_fn",
        training.torch_update,
        (torch.nn.Linear(2, 2), 3, None),
        {},
    ),
    (
        "torch_update optimizer",
        "optimizer",
        training.torch_update,
        (torch.nn.Linear(2, 2), torch.nn.functional.mse_loss, "sgd"),
        {},
    ),
    ("first_step nan level", "level", training.first_step, ([0, 1], [0.0, 1.0], NAN), {}),
    ("first_step lengths", "values", training.first_step, ([0, 1], [0.0, 1.0, 2.0], 0.5), {}),
    ("first_step string steps", "steps", training.first_step, (["a", "b"], [0.0, 1.0], 0.5), {}),
    ("History.at fractional", "step", training.History().at, (1.5,), {}),
    # ensembles
    ("MLPEnsemble sizes an int", "sizes", ensembles.MLPEnsemble, (2, 5, gen()), {}),
    ("MLPEnsemble width 0", "width", ensembles.MLPEnsemble, (2, (4, 0, 2), gen()), {}),
    ("MLPEnsemble generator", "generator", ensembles.MLPEnsemble, (2, (4, 2), rng()), {}),
    ("MLPEnsemble numpy x", "x", lambda x: _ens()(x), (np.zeros((3, 4), np.float32),), {}),
    (
        "MLPEnsemble float64 x",
        "x",
        lambda x: _ens()(x),
        (torch.zeros(3, 4, dtype=torch.float64),),
        {},
    ),
    ("MLPEnsemble int64 x", "x", lambda x: _ens()(x), (torch.zeros(3, 4, dtype=torch.long),), {}),
    ("MLPEnsemble 1-d x", "x", lambda x: _ens()(x), (torch.zeros(4),), {}),
    ("MLPEnsemble wrong width", "x", lambda x: _ens()(x), (torch.zeros(3, 5),), {}),
    ("member negative", "i", lambda i: _ens().member(i), (-1,), {}),
    (
        "train_ensemble loss name",
        "loss",
        ensembles.train_ensemble,
        ((4, 2), training.full_batch(X4, Y6), 2),
        {"n_models": 1, "generator": gen(), "lr": 0.1, "loss": "l2"},
    ),
    (
        "train_ensemble lr 0",
        "lr",
        ensembles.train_ensemble,
        ((4, 2), training.full_batch(X4, Y6), 2),
        {"n_models": 1, "generator": gen(), "lr": 0.0},
    ),
    (
        "train_ensemble optimizer",
        "optimizer",
        ensembles.train_ensemble,
        ((4, 2), training.full_batch(X4, Y6), 2),
        {"n_models": 1, "generator": gen(), "lr": 0.1, "optimizer": "lbfgs"},
    ),
    (
        "train_ensemble divergence_factor",
        "divergence_factor",
        ensembles.train_ensemble,
        ((4, 2), training.full_batch(X4, Y6), 2),
        {"n_models": 1, "generator": gen(), "lr": 0.1, "divergence_factor": 0.5},
    ),
    (
        "train_ensemble numpy X",
        "x",
        ensembles.train_ensemble,
        ((4, 2), training.full_batch(np.zeros((6, 4), np.float32), Y6), 2),
        {"n_models": 1, "generator": gen(), "lr": 0.1},
    ),
    (
        "train_ensemble float labels",
        "targets",
        ensembles.train_ensemble,
        ((4, 2), training.full_batch(X4, torch.zeros(6)), 2),
        {"n_models": 1, "generator": gen(), "lr": 0.1},
    ),
    (
        "train_ensemble labels out of range",
        "targets",
        ensembles.train_ensemble,
        ((4, 2), training.full_batch(X4, torch.full((6,), 6)), 2),
        {"n_models": 1, "generator": gen(), "lr": 0.1},
    ),
    (
        "train_ensemble mismatched lengths",
        "targets",
        ensembles.train_ensemble,
        ((4, 2), training.full_batch(X4, Y6[:5]), 2),
        {"n_models": 1, "generator": gen(), "lr": 0.1},
    ),
    (
        "ensemble_minibatches n_models",
        "n_models",
        ensembles.ensemble_minibatches,
        ((X4, Y6), 2, rng(), 0),
        {},
    ),
    (
        "stacked_minibatches shapes",
        "arrays",
        ensembles.stacked_minibatches,
        ((torch.zeros(2, 5, 3), torch.zeros(3, 5)), 2, rng()),
        {},
    ),
    (
        "stacked_minibatches one array",
        "arrays",
        ensembles.stacked_minibatches,
        (torch.zeros(2, 5, 3), 2, rng()),
        {},
    ),
    (
        "ensemble_loss numpy outputs",
        "outputs",
        ensembles.ensemble_loss,
        (torch.nn.functional.cross_entropy, np.zeros((2, 3, 4)), Y6[:3]),
        {},
    ),
    (
        "ensemble_loss targets length",
        "targets",
        ensembles.ensemble_loss,
        (torch.nn.functional.cross_entropy, torch.zeros(2, 3, 4), Y6),
        {},
    ),
    ("predict numpy X", "X", ensembles.predict, (_ens(), np.zeros((3, 4))), {}),
    ("accuracy numpy X", "X", ensembles.accuracy, (np.zeros((6, 4)), Y6), {}),
    ("accuracy lengths", "labels", ensembles.accuracy, (X4, Y6[:5]), {}),
    ("correct nan labels", "labels", ensembles.correct, (X4, np.full(6, NAN)), {}),
    ("agreement lengths", "labels", ensembles.agreement, (X4, Y6[:2]), {}),
    ("outputs a list", "X", ensembles.outputs, ([[0.0] * 4],), {}),
    ("group_means group_size", "group_size", ensembles.group_means, (np.zeros(6), 4), {}),
    ("group_means strings", "values", ensembles.group_means, (["a", "b"], 1), {}),
    # weight_space
    (
        "member_weights not an ensemble",
        "model",
        weight_space.member_weights,
        (torch.nn.Linear(2, 2), 0),
        {},
    ),
    ("member_weights i out of range", "i", weight_space.member_weights, (_ens(), 2), {}),
    ("ensemble_of empty", "networks", weight_space.ensemble_of, ([],), {}),
    (
        "ensemble_of mismatched",
        "networks",
        weight_space.ensemble_of,
        ([_net(), _net((4, 5, 2))],),
        {},
    ),
    ("permute repeats a unit", "perms[0]", weight_space.permute, (_net(), [[0, 0, 1]]), {}),
    ("permute drops a unit", "perms[0]", weight_space.permute, (_net(), [[0, 1]]), {}),
    ("permute count", "perms", weight_space.permute, (_net(), []), {}),
    (
        "permute numpy network",
        "network",
        weight_space.permute,
        ([(np.zeros((4, 3)), np.zeros(3)), (np.zeros((3, 2)), np.zeros(2))], [[0, 1, 2]]),
        {},
    ),
    ("interpolate nan alpha", "alpha", weight_space.interpolate, (_net(), _net(), NAN), {}),
    (
        "interpolate shapes",
        "networks a and b",
        weight_space.interpolate,
        (_net(), _net((4, 5, 2)), 0.5),
        {},
    ),
    (
        "hidden_activations numpy X",
        "X",
        weight_space.hidden_activations,
        (_net(), np.zeros((3, 4))),
        {},
    ),
    (
        "hidden_activations width",
        "X",
        weight_space.hidden_activations,
        (_net(), torch.zeros(3, 5)),
        {},
    ),
    ("forward float64 X", "X", weight_space.forward, (_net(), torch.zeros(3, 4).double()), {}),
    (
        "activation_matching X",
        "X",
        weight_space.activation_matching,
        (_net(), _net(), np.zeros((3, 4))),
        {},
    ),
    ("weight_matching rng", "rng", weight_space.weight_matching, (_net(), _net(), 0), {}),
    (
        "path_losses float labels",
        "y",
        weight_space.path_losses,
        (_net(), _net(), X4, torch.zeros(6), [0, 1]),
        {},
    ),
    (
        "path_losses labels out of range",
        "y",
        weight_space.path_losses,
        (_net(), _net(), X4, torch.full((6,), 5), [0, 1]),
        {},
    ),
    (
        "path_losses lengths",
        "X and y",
        weight_space.path_losses,
        (_net(), _net(), X4, Y6[:4], [0, 1]),
        {},
    ),
    (
        "path_losses nan alphas",
        "alphas",
        weight_space.path_losses,
        (_net(), _net(), X4, Y6, [0, NAN]),
        {},
    ),
    ("barrier nan loss", "losses", weight_space.barrier, ([1.0, NAN, 1.0],), {}),
    ("barrier one point", "losses", weight_space.barrier, ([1.0],), {}),
    ("barrier alphas", "alphas", weight_space.barrier, ([1.0, 2.0, 1.0], [0, 1]), {}),
    # modular
    ("modular_addition p", "p", modular.modular_addition, (1, 0.5, rng()), {}),
    ("modular_addition fraction", "train_fraction", modular.modular_addition, (5, 1.0, rng()), {}),
    ("frequency_power 1-d", "embedding", modular.frequency_power, (np.zeros(5),), {}),
    ("frequency_power nan", "embedding", modular.frequency_power, (np.full((5, 2), NAN),), {}),
    (
        "fourier_concentration small p",
        "embedding",
        modular.fourier_concentration,
        (np.random.default_rng(0).standard_normal((7, 3)),),
        {},
    ),
    (
        "power_concentration negative",
        "power",
        modular.power_concentration,
        (np.array([1.0, -1.0, 2.0]), 1),
        {},
    ),
    ("power_concentration top", "top", modular.power_concentration, (np.ones(3), 4), {}),
    ("ModularMLP p", "p", modular.ModularMLP, (1, 1, 3, 4, gen()), {}),
    ("ModularMLP negative residue", "pairs", lambda x: _mod()(x), (torch.tensor([[-1, 2]]),), {}),
    ("ModularMLP residue p", "pairs", lambda x: _mod()(x), (torch.tensor([[5, 2]]),), {}),
    ("ModularMLP numpy pairs", "pairs", lambda x: _mod()(x), (np.array([[1, 2]]),), {}),
    ("ModularMLP float pairs", "pairs", lambda x: _mod()(x), (torch.tensor([[1.0, 2.0]]),), {}),
    ("ModularMLP shape", "pairs", lambda x: _mod()(x), (torch.tensor([1, 2]),), {}),
    # hypercube
    ("hypercube d 0", "d", hypercube.hypercube, (0,), {}),
    ("hypercube d 40", "d", hypercube.hypercube, (40,), {}),
    ("parity repeated", "subset", hypercube.parity, (hypercube.hypercube(3), [0, 0]), {}),
    ("parity out of range", "subset", hypercube.parity, (hypercube.hypercube(3), [3]), {}),
    ("parity not +-1", "X", hypercube.parity, (np.zeros((2, 3)), [0]), {}),
    ("parity subset an int", "subset", hypercube.parity, (hypercube.hypercube(3), 2), {}),
    ("subset_mask repeated", "subset", hypercube.subset_mask, ([1, 1],), {}),
    ("subset_mask negative", "subset", hypercube.subset_mask, ([-1],), {}),
    ("walsh_hadamard length", "length along axis 0", hypercube.walsh_hadamard, (np.ones(3),), {}),
    ("walsh_hadamard nan", "a", hypercube.walsh_hadamard, (np.array([1.0, NAN]),), {}),
    ("random_signs shape", "shape", hypercube.random_signs, ((3, -1), gen()), {}),
    ("random_signs generator", "generator", hypercube.random_signs, ((3,), 0), {}),
    # learning_order
    (
        "pairwise_accuracies labels out of range",
        "labels",
        learning_order.pairwise_accuracies,
        (np.zeros((4, 2)), np.array([0, 1, 2, 1])),
        {},
    ),
    (
        "pairwise_accuracies float labels",
        "labels",
        learning_order.pairwise_accuracies,
        (np.zeros((4, 2)), np.array([0.0, 1.0, 0.0, 1.0])),
        {},
    ),
    (
        "pairwise_accuracies nan logits",
        "logits",
        learning_order.pairwise_accuracies,
        (np.full((4, 2), NAN), np.array([0, 1, 0, 1])),
        {},
    ),
    (
        "pairwise_accuracies lengths",
        "labels",
        learning_order.pairwise_accuracies,
        (np.zeros((4, 2)), np.array([0, 1])),
        {},
    ),
    ("pair_values not square", "matrix", learning_order.pair_values, (np.zeros((3, 4)),), {}),
    ("pair_values pairs", "pairs", learning_order.pair_values, (np.zeros((3, 3)), [(0, 5)]), {}),
    (
        "rank_agreement nan",
        "scores",
        learning_order.rank_agreement,
        (np.array([[1.0, NAN], [1.0, 2.0]]),),
        {},
    ),
    ("rank_agreement one row", "scores", learning_order.rank_agreement, (np.zeros((1, 3)),), {}),
    (
        "within_class_agreement lengths",
        "scores",
        learning_order.within_class_agreement,
        (np.zeros((2, 3)), np.zeros(4)),
        {},
    ),
    (
        "symmetric_label_noise fraction",
        "fraction",
        learning_order.symmetric_label_noise,
        (np.array([0, 1]), 1.5, 2, rng()),
        {},
    ),
    (
        "symmetric_label_noise labels",
        "labels",
        learning_order.symmetric_label_noise,
        (np.array([0, 3]), 0.5, 2, rng()),
        {},
    ),
    (
        "symmetric_label_noise float labels",
        "labels",
        learning_order.symmetric_label_noise,
        (np.array([0.5, 1.0]), 0.5, 2, rng()),
        {},
    ),
    # ngrams
    ("kl_divergence q not a distribution", "q", ngrams.kl_divergence, ([0.5, 0.5], [1, 1]), {}),
    ("kl_divergence p negative", "p", ngrams.kl_divergence, ([1.5, -0.5], [0.5, 0.5]), {}),
    ("kl_divergence nan", "p", ngrams.kl_divergence, ([NAN, 1.0], [0.5, 0.5]), {}),
    ("kl_divergence shapes", "p and q", ngrams.kl_divergence, ([1.0], [0.5, 0.5]), {}),
    (
        "cross_entropy targets out of range",
        "targets",
        ngrams.cross_entropy,
        (np.full((2, 2), 0.5), [0, 2]),
        {},
    ),
    (
        "cross_entropy float targets",
        "targets",
        ngrams.cross_entropy,
        (np.full((2, 2), 0.5), [0.0, 1.0]),
        {},
    ),
    ("cross_entropy p", "p", ngrams.cross_entropy, (np.ones((2, 2)), [0, 1]), {}),
    ("NGramModel negative ids", "ids", ngrams.NGramModel, ([0, -1, 1], 2, 3), {}),
    ("NGramModel n 0", "n", ngrams.NGramModel, ([0, 1, 1], 0, 3), {}),
    ("NGramModel float ids", "ids", ngrams.NGramModel, ([0.0, 1.0], 1, 3), {}),
    ("distributions ids out of range", "ids", NGRAM.distributions, ([0, 5, 1],), {}),
    ("distributions start", "start", NGRAM.distributions, ([0, 1, 1], -1), {}),
    # interpolation_risk
    (
        "min_norm_risk_exact negative d",
        "d",
        interpolation_risk.min_norm_risk_exact,
        (10, -3, 1, 0.5),
        {},
    ),
    (
        "min_norm_risk_exact fractional d",
        "d",
        interpolation_risk.min_norm_risk_exact,
        (10, 2.5, 1, 0.5),
        {},
    ),
    ("min_norm_risk_exact n", "n", interpolation_risk.min_norm_risk_exact, (0, 3, 1, 0.5), {}),
    (
        "min_norm_risk_exact negative noise",
        "noise",
        interpolation_risk.min_norm_risk_exact,
        (10, 3, 1, -0.5),
        {},
    ),
    (
        "min_norm_risk_exact nan signal",
        "signal_norm",
        interpolation_risk.min_norm_risk_exact,
        (10, 3, NAN, 0.5),
        {},
    ),
    ("min_norm_risk_limit gamma", "gamma", interpolation_risk.min_norm_risk_limit, (-1, 1, 1), {}),
    (
        "min_norm_risk_limit nan gamma",
        "gamma",
        interpolation_risk.min_norm_risk_limit,
        (NAN, 1, 1),
        {},
    ),
    (
        "min_norm_risk_limit noise",
        "noise",
        interpolation_risk.min_norm_risk_limit,
        (0.5, 1, "a"),
        {},
    ),
    (
        "partial_features_risk p",
        "p",
        interpolation_risk.partial_features_risk,
        (10, 5, np.ones(3), 0.1),
        {},
    ),
    (
        "partial_features_risk beta nan",
        "beta",
        interpolation_risk.partial_features_risk,
        (10, 1, np.array([NAN, 1.0]), 0.1),
        {},
    ),
    (
        "partial_features_risk noise",
        "noise",
        interpolation_risk.partial_features_risk,
        (10, 1, np.ones(3), -1.0),
        {},
    ),
    (
        "ridge_estimates penalties",
        "penalties",
        interpolation_risk.ridge_estimates,
        (np.eye(3), np.ones(3), [-1.0]),
        {},
    ),
    (
        "ridge_estimates lengths",
        "X and y",
        interpolation_risk.ridge_estimates,
        (np.eye(3), np.ones(4), [1.0]),
        {},
    ),
    (
        "ridge_estimates X 1-d",
        "X",
        interpolation_risk.ridge_estimates,
        (np.ones(3), np.ones(3), [1.0]),
        {},
    ),
    (
        "ridge_estimates nan X",
        "X",
        interpolation_risk.ridge_estimates,
        (np.full((3, 3), NAN), np.ones(3), [1.0]),
        {},
    ),
    # random_matrices
    (
        "marchenko_pastur_cdf nodes 10**9",
        "nodes",
        random_matrices.marchenko_pastur_cdf,
        (np.linspace(0, 3, 5), 0.5),
        {"nodes": 10**9},
    ),
    (
        "marchenko_pastur_cdf nodes 0",
        "nodes",
        random_matrices.marchenko_pastur_cdf,
        (1.0, 0.5),
        {"nodes": 0},
    ),
    ("marchenko_pastur_cdf nan x", "x", random_matrices.marchenko_pastur_cdf, (NAN, 0.5), {}),
    ("marchenko_pastur_cdf gamma", "gamma", random_matrices.marchenko_pastur_cdf, (1.0, -1), {}),
    (
        "marchenko_pastur_density nan x",
        "x",
        random_matrices.marchenko_pastur_density,
        ([1.0, NAN], 0.5),
        {},
    ),
    (
        "marchenko_pastur_edges string",
        "gamma",
        random_matrices.marchenko_pastur_edges,
        ("0.5",),
        {},
    ),
    ("marchenko_pastur_atom nan", "gamma", random_matrices.marchenko_pastur_atom, (NAN,), {}),
    ("condition_number_nonzero 0", "gamma", random_matrices.condition_number_nonzero, (0,), {}),
    ("ks_distance empty", "samples", random_matrices.ks_distance, ([], lambda x: x), {}),
    ("ks_distance nan", "samples", random_matrices.ks_distance, ([NAN], lambda x: x), {}),
    ("ks_distance cdf", "cdf", random_matrices.ks_distance, ([1.0], 3), {}),
    # completion
    ("effective_rank nan", "M", completion.effective_rank, (np.full((2, 2), NAN),), {}),
    ("effective_rank 1-d", "M", completion.effective_rank, (np.ones(3),), {}),
    ("low_rank_matrix rank", "rank", completion.low_rank_matrix, (3, 4, rng()), {}),
    ("low_rank_matrix frobenius", "frobenius", completion.low_rank_matrix, (3, 1, rng(), -1.0), {}),
    (
        "observation_mask negative shape",
        "shape",
        completion.observation_mask,
        ((3, -3), 2, rng()),
        {},
    ),
    (
        "observation_mask n_observed",
        "n_observed",
        completion.observation_mask,
        ((3, 3), 10, rng()),
        {},
    ),
    ("observation_mask shape an int", "shape", completion.observation_mask, (9, 2, rng()), {}),
    (
        "singular_value_threshold tau",
        "tau",
        completion.singular_value_threshold,
        (np.eye(2), -1.0),
        {},
    ),
    (
        "singular_value_threshold nan",
        "A",
        completion.singular_value_threshold,
        (np.full((2, 2), NAN), 1.0),
        {},
    ),
    (
        "min_nuclear_norm_completion float mask",
        "mask",
        completion.min_nuclear_norm_completion,
        (np.eye(2), np.full((2, 2), 0.5)),
        {},
    ),
    (
        "min_nuclear_norm_completion shapes",
        "observed and mask",
        completion.min_nuclear_norm_completion,
        (np.eye(2), np.ones((3, 3), bool)),
        {},
    ),
    (
        "min_nuclear_norm_completion nan observed",
        "observed",
        completion.min_nuclear_norm_completion,
        (np.full((2, 2), NAN), np.ones((2, 2), bool)),
        {},
    ),
    (
        "min_nuclear_norm_completion rho",
        "rho",
        completion.min_nuclear_norm_completion,
        (np.eye(2), np.ones((2, 2), bool)),
        {"rho": 0},
    ),
    # representations
    ("two_nn_dimension nan", "a", representations.two_nn_dimension, (NAN_POINTS,), {}),
    (
        "two_nn_dimension discard",
        "discard",
        representations.two_nn_dimension,
        (np.random.default_rng(0).standard_normal((30, 3)), 1.0),
        {},
    ),
    ("two_nn_dimension few points", "a", representations.two_nn_dimension, (np.ones((5, 2)),), {}),
    ("linear_cka nan", "a", representations.linear_cka, (NAN_POINTS, NAN_POINTS), {}),
    (
        "linear_cka rows",
        "a and b",
        representations.linear_cka,
        (np.ones((3, 2)), np.ones((4, 2))),
        {},
    ),
    ("linear_cka 1-d", "b", representations.linear_cka, (np.ones((3, 2)), np.ones(3)), {}),
    (
        "participation_ratio inf",
        "a",
        representations.participation_ratio,
        (np.array([[1.0, np.inf], [0.0, 1.0]]),),
        {},
    ),
    (
        "neighbour_correlation 2-d",
        "filters",
        representations.neighbour_correlation,
        (np.ones((5, 5)),),
        {},
    ),
    (
        "neighbour_correlation nan",
        "filters",
        representations.neighbour_correlation,
        (np.full((1, 3, 3), NAN),),
        {},
    ),
    ("window_mass size", "size", representations.window_mass, (FILTERS, 6), {}),
    ("window_mass strings", "filters", representations.window_mass, ("abc", 2), {}),
    (
        "orientation_selectivity n_angles",
        "n_angles",
        representations.orientation_selectivity,
        (FILTERS, 2),
        {},
    ),
    ("ablation_costs lengths", "X and y", representations.ablation_costs, (_net(), X4, Y6[:3]), {}),
    (
        "ablation_costs float labels",
        "y",
        representations.ablation_costs,
        (_net(), X4, torch.zeros(6)),
        {},
    ),
    (
        "ablation_costs labels out of range",
        "y",
        representations.ablation_costs,
        (_net(), X4, torch.full((6,), 7)),
        {},
    ),
    (
        "ablation_costs nan X",
        "X",
        representations.ablation_costs,
        (_net(), torch.full((6, 4), NAN), Y6),
        {},
    ),
    ("ablation_costs chunk", "chunk", representations.ablation_costs, (_net(), X4, Y6, 0), {}),
    # datasets
    ("stripes flipped a number", "flipped", datasets.stripes, (10, rng()), {"flipped": 0.5}),
    ("stripes flipped order", "flipped", datasets.stripes, (10, rng()), {"flipped": (0.8, 0.6)}),
    ("stripes flipped nan", "flipped[0]", datasets.stripes, (10, rng()), {"flipped": (NAN, 0.6)}),
    ("gaussian_regression d", "d", datasets.gaussian_regression, (10, 0, rng()), {}),
    (
        "gaussian_regression noise",
        "noise",
        datasets.gaussian_regression,
        (10, 2, rng()),
        {"noise": -1.0},
    ),
    ("digits test_fraction", "test_fraction", datasets.digits, (1.0,), {}),
    ("mnist n_train", "n_train", datasets.mnist, (5,), {}),
    ("slab_labels even", "slabs", datasets.slab_labels, (4,), {}),
    ("lms flip", "flip", datasets.lms, (10, 3, 3, rng()), {"flip": 0.7}),
    ("quadrant_xor weights", "weights", datasets.quadrant_xor, (10, [0.5, 0.5], rng()), {}),
    (
        "quadrant_xor weights nan",
        "weights",
        datasets.quadrant_xor,
        (10, [NAN, 0.5, 0.25, 0.25], rng()),
        {},
    ),
    ("quadrant_xor strings", "weights", datasets.quadrant_xor, (10, "abcd", rng()), {}),
    (
        "shuffle_columns column",
        "columns",
        datasets.shuffle_columns,
        (np.zeros((3, 2)), [2], rng()),
        {},
    ),
    ("shuffle_columns 1-d X", "X", datasets.shuffle_columns, (np.zeros(3), [0], rng()), {}),
    (
        "shuffle_columns float column",
        "columns",
        datasets.shuffle_columns,
        (np.zeros((3, 2)), [0.5], rng()),
        {},
    ),
    # text
    ("decode negative ids", "ids", CHARS.decode, ([-1],), {}),
    ("decode ids past the alphabet", "ids", CHARS.decode, ([99],), {}),
    ("decode float ids", "ids", CHARS.decode, ([1.0],), {}),
    ("characters empty", "text", text.characters, ("",), {}),
    ("characters test_fraction", "test_fraction", text.characters, ("hello", 0.0), {}),
    ("random_windows empty", "ids", text.random_windows, ([], 2, 2, rng()), {}),
    ("random_windows float ids", "ids", text.random_windows, ([0.5, 1.0, 2.0], 1, 2, rng()), {}),
    ("random_windows length", "length", text.random_windows, ([0, 1, 2], 3, 2, rng()), {}),
    ("random_windows batch_size", "batch_size", text.random_windows, ([0, 1, 2], 1, 0, rng()), {}),
    # plotting
    ("figure width 0", "width", plotting.figure, (), {"width": 0}),
    ("figure height negative", "height", plotting.figure, (), {"height": -1}),
    ("figure ncols 0", "ncols", plotting.figure, (0,), {}),
    ("figure nrows string", "nrows", plotting.figure, (1, "2"), {}),
    ("concept_color unknown", "name", plotting.concept_color, ("sgdd",), {}),
    ("series_color negative", "k", plotting.series_color, (-1,), {}),
    ("depth_color 9", "depth", plotting.depth_color, (9,), {}),
    ("plot_runs shape", "values", plotting.plot_runs, (None, [0, 1], np.zeros(2)), {"color": "k"}),
    (
        "plot_runs color",
        "color",
        plotting.plot_runs,
        (None, [0, 1], np.zeros((2, 3))),
        {"color": 3},
    ),
    # matrix_products
    ("end_to_end one matrix", "factors", matrix_products.end_to_end, (np.eye(2),), {}),
    (
        "end_to_end shapes",
        "factors[1]",
        matrix_products.end_to_end,
        ([np.eye(2), np.ones((2, 3))],),
        {},
    ),
    ("end_to_end nan", "factors[0]", matrix_products.end_to_end, ([np.full((2, 2), NAN)],), {}),
    ("balanced_factors depth", "depth", matrix_products.balanced_factors, (np.eye(2), 0), {}),
    (
        "balanced_factors not square",
        "B",
        matrix_products.balanced_factors,
        (np.ones((2, 3)), 2),
        {},
    ),
    ("balanced_factors rng", "rng", matrix_products.balanced_factors, (np.eye(2), 2, 5), {}),
    (
        "psd_power not symmetric",
        "A",
        matrix_products.psd_power,
        (np.array([[1.0, 2], [0, 1]]), 1),
        {},
    ),
    ("psd_power not psd", "A", matrix_products.psd_power, (-np.eye(2), 0.5), {}),
    ("psd_power negative power", "power", matrix_products.psd_power, (np.eye(2), -1), {}),
    ("psd_power nan", "A", matrix_products.psd_power, (np.full((2, 2), NAN), 1), {}),
    (
        "end_to_end_velocity shapes",
        "grad_B",
        matrix_products.end_to_end_velocity,
        (np.eye(2), np.eye(3), 2),
        {},
    ),
    (
        "end_to_end_velocity depth",
        "depth",
        matrix_products.end_to_end_velocity,
        (np.eye(2), np.eye(2), 0),
        {},
    ),
    # information
    ("entropy lengths", "variables", information.entropy, ([0, 1], [0, 1, 1]), {}),
    ("entropy empty", "variables", information.entropy, ([],), {}),
    ("entropy nan", "variable 0", information.entropy, ([0.0, NAN],), {}),
    ("mutual_information nan", "y", information.mutual_information, ([0, 1], [0.0, NAN]), {}),
    (
        "conditional_mutual_information strings",
        "z",
        information.conditional_mutual_information,
        ([0, 1], [0, 1], object()),
        {},
    ),
    # reproducibility
    ("seed_everything negative", "seed", reproducibility.seed_everything, (-1,), {}),
    ("seed_everything float", "seed", reproducibility.seed_everything, (1.5,), {}),
    (
        "initialize generator",
        "generator",
        reproducibility.initialize,
        (torch.nn.Linear(2, 2), 0),
        {},
    ),
    ("initialize module", "module", reproducibility.initialize, (np.zeros(2), gen()), {}),
    ("use_cpu_threads 0", "n", reproducibility.use_cpu_threads, (0,), {}),
    # explorers
    ("explore not callable", "figure_fn", explorers.explore, (3,), {"step": [0, 1]}),
    ("explore empty grid", "grid", explorers.explore, (lambda **k: None,), {}),
    ("explore empty values", "grid['step']", explorers.explore, (lambda **k: None,), {"step": []}),
    (
        "explore start",
        "start",
        explorers.explore,
        (lambda **k: None,),
        {"step": [0, 1], "start": {"step": 5}},
    ),
]


def _run(case):
    label, name, fn, args, kwargs = case
    start = time.perf_counter()
    try:
        result = fn(*args, **kwargs)
        if hasattr(result, "__next__"):  # a stream: its first batch is where it would fail
            next(result)
    except (TypeError, ValueError) as error:
        seconds = time.perf_counter() - start
        if seconds > TIME_LIMIT:
            return "hung", f"{seconds:.1f} s"
        return ("clear" if name in str(error) else "unnamed"), str(error)
    except Exception as error:  # noqa: BLE001 (the sweep classifies every outcome)
        return "other", f"{type(error).__name__}: {error}"
    seconds = time.perf_counter() - start
    return ("hung" if seconds > TIME_LIMIT else "accepted"), repr(result)[:80]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_call_is_refused_naming_the_parameter(case):
    outcome, detail = _run(case)
    assert outcome == "clear", f"{case[0]}: {outcome} (must name {case[1]!r}): {detail}"


def test_sweep_counts(capsys):
    outcomes = [_run(case)[0] for case in CASES]
    counts = {k: outcomes.count(k) for k in ("clear", "unnamed", "other", "accepted", "hung")}
    with capsys.disabled():
        print(f"\nbad-input sweep: {len(CASES)} calls, {counts}")
    assert len(CASES) >= 200
    assert counts["clear"] == len(CASES), counts
