"""helpers.optim: the same trajectory as torch.optim, bit for bit, without its compiler import."""

from __future__ import annotations

import pytest
import torch

from helpers import optim


def trajectory(make_optimizer, steps=25, schedule=None):
    generator = torch.Generator().manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(6, 16), torch.nn.ReLU(), torch.nn.Linear(16, 3))
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=generator))
    X, y = torch.randn(40, 6, generator=generator), torch.randint(0, 3, (40,), generator=generator)
    optimizer = make_optimizer(model.parameters())
    for step in range(steps):
        if schedule is not None:
            schedule(optimizer, step)
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(model(X[step % 4 :: 4]), y[step % 4 :: 4]).backward()
        optimizer.step()
    return [p.detach().clone() for p in model.parameters()]


CASES = {
    "sgd": (lambda p: torch.optim.SGD(p, lr=0.1), lambda p: optim.SGD(p, lr=0.1)),
    "sgd momentum, decay": (
        lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, weight_decay=1e-3),
        lambda p: optim.SGD(p, lr=0.05, momentum=0.9, weight_decay=1e-3),
    ),
    "sgd nesterov": (
        lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.8, nesterov=True),
        lambda p: optim.SGD(p, lr=0.05, momentum=0.8, nesterov=True),
    ),
    "sgd dampening": (
        lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.5, dampening=0.3),
        lambda p: optim.SGD(p, lr=0.05, momentum=0.5, dampening=0.3),
    ),
    "adam": (lambda p: torch.optim.Adam(p, lr=5e-3), lambda p: optim.Adam(p, lr=5e-3)),
    "adam betas, L2": (
        lambda p: torch.optim.Adam(p, lr=1e-2, betas=(0.9, 0.98), weight_decay=1e-2),
        lambda p: optim.Adam(p, lr=1e-2, betas=(0.9, 0.98), weight_decay=1e-2),
    ),
    "adamw": (
        lambda p: torch.optim.AdamW(p, lr=1e-2, weight_decay=0.5),
        lambda p: optim.AdamW(p, lr=1e-2, weight_decay=0.5),
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_the_same_trajectory_as_torch_bit_for_bit(case):
    theirs, ours = CASES[case]
    for a, b in zip(trajectory(theirs), trajectory(ours)):
        assert torch.equal(a, b), case


def test_a_schedule_sets_lr_between_steps():
    def torch_schedule(optimizer, step):
        for group in optimizer.param_groups:
            group["lr"] = 0.1 * (1 - step / 25)

    def our_schedule(optimizer, step):
        optimizer.lr = 0.1 * (1 - step / 25)

    theirs = trajectory(lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9), schedule=torch_schedule)
    ours = trajectory(lambda p: optim.SGD(p, lr=0.1, momentum=0.9), schedule=our_schedule)
    assert all(torch.equal(a, b) for a, b in zip(theirs, ours))


def test_frozen_parameters_are_left_alone():
    layer = torch.nn.Linear(3, 2)
    layer.bias.requires_grad_(False)
    before = layer.bias.detach().clone()
    optimizer = optim.Adam(layer.parameters(), lr=0.1)
    layer(torch.ones(4, 3)).sum().backward()
    optimizer.step()
    assert torch.equal(layer.bias, before) and optimizer.steps == [1, 0]


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: optim.SGD([], lr=0.1), "params must be a non-empty iterable of tensors"),
        (lambda: optim.SGD([torch.zeros(1)], lr=0), "lr"),
        (lambda: optim.SGD([torch.zeros(1)], lr=0.1, momentum=-1), "momentum"),
        (lambda: optim.SGD([torch.zeros(1)], lr=0.1, nesterov=True), "nesterov=True needs"),
        (lambda: optim.Adam([torch.zeros(1)], betas=(1.0, 0.9)), r"betas\[0\]"),
        (lambda: optim.AdamW([torch.zeros(1)], weight_decay=-0.1), "weight_decay"),
    ],
)
def test_bad_input_names_the_parameter(make, message):
    with pytest.raises((TypeError, ValueError), match=message):
        make()
