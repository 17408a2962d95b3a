import numpy as np
import pytest
import torch

from helpers.ensembles import (
    LOSSES,
    MLPEnsemble,
    accuracy,
    agreement,
    correct,
    ensemble_loss,
    ensemble_minibatches,
    group_means,
    outputs,
    predict,
    stacked_minibatches,
    train_ensemble,
)
from helpers.training import minibatches, torch_update, train

F = torch.nn.functional


def test_members_match_ordinary_modules():
    ens = MLPEnsemble(3, (4, 5, 2), torch.Generator().manual_seed(0))
    x = torch.randn(7, 4)
    out = ens(x)
    assert out.shape == (3, 7, 2)
    for i in range(3):
        assert torch.allclose(out[i], ens.member(i)(x), atol=1e-6)
    per_member = torch.randn(3, 7, 4)
    assert torch.allclose(ens(per_member)[1], ens.member(1)(per_member[1]), atol=1e-6)


def test_batched_training_equals_training_each_member_alone():
    ens = MLPEnsemble(4, (6, 8, 3), torch.Generator().manual_seed(1))
    members = [ens.member(i) for i in range(4)]
    x, y = torch.randn(16, 6), torch.randint(0, 3, (16,))
    opt = torch.optim.SGD(ens.parameters(), lr=0.5)
    opts = [torch.optim.SGD(m.parameters(), lr=0.5) for m in members]
    for _ in range(5):
        opt.zero_grad()
        ensemble_loss(F.cross_entropy, ens(x), y).backward()
        opt.step()
        for m, o in zip(members, opts):
            o.zero_grad()
            F.cross_entropy(m(x), y).backward()
            o.step()
    for i, m in enumerate(members):
        assert torch.allclose(ens(x)[i], m(x), atol=1e-5)


def test_bad_input():
    with pytest.raises(ValueError, match="n_models must be an integer >= 1, got 0"):
        MLPEnsemble(0, (2, 2), torch.Generator())
    assert MLPEnsemble(np.int64(4), (np.int64(2), 3), torch.Generator()).n_models == 4
    with pytest.raises(TypeError, match="generator must be a torch.Generator"):
        MLPEnsemble(2, (2, 2), 0)
    with pytest.raises(ValueError, match="sizes must list"):
        MLPEnsemble(2, (2,), torch.Generator())
    ens = MLPEnsemble(2, (3, 1), torch.Generator())
    with pytest.raises(ValueError, match=r"x must have shape \(batch, 3\)"):
        ens(torch.randn(4, 5))


def test_ensemble_minibatches_give_each_member_its_own_epoch():
    X, y = torch.arange(12.0).reshape(6, 2), torch.arange(6)
    stream = ensemble_minibatches((X, y), 2, np.random.default_rng(0), 3)
    epoch = [next(stream) for _ in range(3)]
    assert epoch[0][0].shape == (3, 2, 2) and epoch[0][1].shape == (3, 2)
    for member in range(3):
        assert sorted(torch.cat([b[1][member] for b in epoch]).tolist()) == list(range(6))
    orders = [torch.cat([b[1][m] for b in epoch]).tolist() for m in range(3)]
    assert len({tuple(o) for o in orders}) > 1  # not one shared order
    with pytest.raises(ValueError, match="n_models must be an integer >= 1"):
        next(ensemble_minibatches((X, y), 2, np.random.default_rng(0), 0))


def test_stacked_minibatches_give_each_member_its_own_data():
    rng = np.random.default_rng(9)
    X = torch.arange(2 * 6, dtype=torch.float32).reshape(2, 6, 1)  # member 0: 0..5, member 1: 6..11
    y = X[..., 0] * 10
    batches = stacked_minibatches((X, y), 3, rng)
    seen = [set(), set()]
    for _ in range(2):  # one epoch
        xb, yb = next(batches)
        assert xb.shape == (2, 3, 1) and torch.equal(yb, xb[..., 0] * 10)
        for m in range(2):
            seen[m] |= set(xb[m, :, 0].tolist())
    assert seen == [set(range(6)), set(range(6, 12))]
    with pytest.raises(ValueError, match="share a shape"):
        next(stacked_minibatches((X, y[:1]), 3, rng))


def test_train_ensemble_is_the_loop_with_an_ensemble():
    X, y = torch.randn(40, 3), torch.randint(0, 2, (40,)).float() * 2 - 1
    kwargs = dict(n_models=2, lr=0.1, loss="soft_margin", record_every=5)
    model, history = train_ensemble(
        (3, 4, 1),
        minibatches((X, y), 8, np.random.default_rng(0)),
        10,
        generator=torch.Generator().manual_seed(0),
        probes={"acc": accuracy(X, y)},
        **kwargs,
    )
    # the same by hand: one MLPEnsemble, SGD, ensemble_loss, the one training loop
    reference = MLPEnsemble(2, (3, 4, 1), torch.Generator().manual_seed(0))
    update = torch_update(
        reference,
        lambda o, t: ensemble_loss(LOSSES["soft_margin"], o, t),
        torch.optim.SGD(reference.parameters(), lr=0.1),
    )
    _, by_hand = train(
        update,
        reference,
        minibatches((X, y), 8, np.random.default_rng(0)),
        10,
        probes={"acc": accuracy(X, y)},
        record_every=5,
    )
    assert torch.allclose(model(X), reference(X)) and np.array_equal(history["acc"], by_hand["acc"])
    assert history["acc"].shape == (3, 2)
    with pytest.raises(ValueError, match=r"loss must be one of \['cross_entropy'"):
        train_ensemble((3, 1), [], 1, generator=torch.Generator(), lr=0.1, n_models=1, loss="l2")
    with pytest.raises(ValueError, match=r"optimizer must be one of \['sgd', 'adam', 'adamw'\]"):
        train_ensemble(
            (3, 1), [], 1, generator=torch.Generator(), lr=0.1, n_models=1, optimizer="lbfgs"
        )
    with pytest.raises(ValueError, match=r"lr must be a number in \(0, inf\)"):
        train_ensemble((3, 1), [], 1, generator=torch.Generator(), lr=0, n_models=1)


def test_probes_against_direct_computation():
    model = MLPEnsemble(3, (2, 5, 4), torch.Generator().manual_seed(2))
    X, y = torch.randn(30, 2), torch.randint(0, 4, (30,))
    by_hand = (model(X).argmax(-1) == y).detach().numpy()  # (3, 30)
    assert np.array_equal(correct(X, y)(model), by_hand)
    assert np.allclose(accuracy(X, y)(model), by_hand.mean(-1))
    assert np.allclose(agreement(X, predict(model, X)[0])(model)[0], 1.0)
    assert outputs(X)(model).shape == (3, 30, 4)
    sign_model = MLPEnsemble(2, (2, 1), torch.Generator().manual_seed(3))
    assert set(predict(sign_model, X).unique().tolist()) <= {-1.0, 1.0}
    assert np.allclose(group_means(np.arange(12.0).reshape(2, 6), 3), [[1, 4], [7, 10]])
    with pytest.raises(ValueError, match="multiple of group_size=4"):
        group_means(np.zeros(6), 4)


def test_models_and_probes_refuse_the_wrong_kind_of_tensor():
    from helpers.ensembles import MLPEnsemble, accuracy, outputs, predict

    model = MLPEnsemble(2, (4, 3), torch.Generator().manual_seed(0))
    with pytest.raises(TypeError, match=r"x must be a torch.float32 tensor.*torch.as_tensor"):
        model(np.zeros((2, 4), np.float32))
    for dtype in (torch.float64, torch.int64):
        with pytest.raises(TypeError, match=r"x must be a torch.float32 tensor.*x.float\(\)"):
            model(torch.zeros(2, 4, dtype=dtype))
    for probe in (lambda X: predict(model, X), outputs, lambda X: accuracy(X, [0, 1])):
        with pytest.raises(TypeError, match="X must be a torch tensor"):
            probe(np.zeros((2, 4)))
    with pytest.raises(ValueError, match="X and labels must have one row per example"):
        accuracy(torch.zeros(2, 4), [0, 1, 2])
    with pytest.raises(TypeError, match="sizes must be a list"):
        MLPEnsemble(2, 5, torch.Generator())


def test_cross_entropy_targets_are_checked_labels():
    from helpers.ensembles import LOSSES

    out = torch.zeros(3, 4)
    with pytest.raises(TypeError, match="targets .* must be integer class labels"):
        LOSSES["cross_entropy"](out, torch.zeros(3))
    with pytest.raises(ValueError, match=r"targets .* must be class labels in \[0, 4\)"):
        LOSSES["cross_entropy"](out, torch.tensor([0, 1, 6]))
    y = torch.tensor([0, 1, 3])
    assert LOSSES["cross_entropy"](out, y).item() == F.cross_entropy(out, y).item()


def test_train_ensemble_passes_divergence_factor_on():
    from helpers.ensembles import train_ensemble
    from helpers.training import full_batch

    X, y = torch.zeros(6, 4), torch.zeros(6, dtype=torch.long)
    kw = dict(n_models=1, generator=torch.Generator().manual_seed(0), lr=0.1)
    with pytest.raises(ValueError, match="divergence_factor must be a number"):
        train_ensemble((4, 2), full_batch(X, y), 2, divergence_factor=0.5, **kw)
