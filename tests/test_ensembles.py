import pytest
import torch

from helpers.ensembles import MLPEnsemble, ensemble_loss

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
    with pytest.raises(ValueError, match="n_models must be a positive integer"):
        MLPEnsemble(0, (2, 2), torch.Generator())
    with pytest.raises(ValueError, match="sizes must list"):
        MLPEnsemble(2, (2,), torch.Generator())
    ens = MLPEnsemble(2, (3, 1), torch.Generator())
    with pytest.raises(ValueError, match=r"x must have shape \(batch, 3\)"):
        ens(torch.randn(4, 5))
