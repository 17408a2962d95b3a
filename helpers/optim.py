"""SGD, Adam and AdamW as torch.optim computes them on the CPU, in a few visible lines.

The first step of any ``torch.optim`` optimizer imports torch's compiler (torch._dynamo),
which costs a chapter about a second before it has trained anything (measured: 1.1 s on
the book's 2-core machine, every chapter that trains with torch). These classes do the same
arithmetic, tensor operation for tensor operation, as torch's single-tensor update on the
CPU, so a chapter trained with them follows exactly the trajectory it would follow with
``torch.optim`` (tests/test_optim.py compares them bit for bit), without that import. Only the
options the book uses: SGD with momentum, dampening, Nesterov and weight decay; Adam with
(L2) weight decay; AdamW with decoupled weight decay. ``lr`` may be changed between steps
(a schedule): ``optimizer.lr = ...``.
"""

from __future__ import annotations

import torch

from .checks import number


def _parameters(params, name: str = "params") -> list[torch.Tensor]:
    params = list(params)
    if not params or not all(isinstance(p, torch.Tensor) for p in params):
        raise TypeError(
            f"{name} must be a non-empty iterable of tensors (e.g. model.parameters()), "
            f"got {[type(p).__name__ for p in params][:3]}"
        )
    return params


class _Optimizer:
    def __init__(self, params, lr: float):
        self.params = _parameters(params)
        self.lr = number(lr, "lr", low=0, open_low=True)

    def zero_grad(self, set_to_none: bool = True) -> None:
        for p in self.params:
            if set_to_none:
                p.grad = None  # torch's default
            elif p.grad is not None:
                p.grad.detach_().zero_()


class SGD(_Optimizer):
    """torch.optim.SGD(params, lr, momentum, dampening, weight_decay, nesterov)."""

    def __init__(self, params, lr, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False):
        super().__init__(params, lr)
        self.momentum = number(momentum, "momentum", low=0)
        self.dampening = number(dampening, "dampening", low=0)
        self.weight_decay = number(weight_decay, "weight_decay", low=0)
        if nesterov and (self.momentum <= 0 or self.dampening != 0):
            raise ValueError("nesterov=True needs momentum > 0 and dampening = 0")
        self.nesterov = bool(nesterov)
        self.buffers: list[torch.Tensor | None] = [None] * len(self.params)

    @torch.no_grad()
    def step(self) -> None:
        for i, p in enumerate(self.params):
            if p.grad is None:
                continue
            grad = p.grad
            if self.weight_decay != 0:
                grad = grad.add(p, alpha=self.weight_decay)
            if self.momentum != 0:
                buf = self.buffers[i]
                if buf is None:
                    buf = self.buffers[i] = grad.detach().clone()
                else:
                    buf.mul_(self.momentum).add_(grad, alpha=1 - self.dampening)
                grad = grad.add(buf, alpha=self.momentum) if self.nesterov else buf
            p.add_(grad, alpha=-self.lr)


class Adam(_Optimizer):
    """torch.optim.Adam(params, lr, betas, eps, weight_decay); ``decoupled=True`` is AdamW."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        super().__init__(params, lr)
        self.beta1 = number(betas[0], "betas[0]", low=0, high=1, open_high=True)
        self.beta2 = number(betas[1], "betas[1]", low=0, high=1, open_high=True)
        self.eps = number(eps, "eps", low=0)
        self.weight_decay = number(weight_decay, "weight_decay", low=0)
        self.steps = [0] * len(self.params)  # per parameter, as torch counts them
        self.exp_avg = [
            torch.zeros_like(p, memory_format=torch.preserve_format) for p in self.params
        ]
        self.exp_avg_sq = [
            torch.zeros_like(p, memory_format=torch.preserve_format) for p in self.params
        ]

    decoupled = False

    @torch.no_grad()
    def step(self) -> None:
        for i, (p, exp_avg, exp_avg_sq) in enumerate(
            zip(self.params, self.exp_avg, self.exp_avg_sq)
        ):
            if p.grad is None:
                continue
            self.steps[i] += 1
            step = float(self.steps[i])
            grad = p.grad
            if self.weight_decay != 0:
                if self.decoupled:
                    p.mul_(1 - self.lr * self.weight_decay)
                else:
                    grad = grad.add(p, alpha=self.weight_decay)
            exp_avg.lerp_(grad, 1 - self.beta1)
            exp_avg_sq.mul_(self.beta2).addcmul_(grad, grad, value=1 - self.beta2)
            step_size = self.lr / (1 - self.beta1**step)
            bias_correction2_sqrt = (1 - self.beta2**step) ** 0.5
            denom = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(self.eps)
            p.addcdiv_(exp_avg, denom, value=-step_size)


class AdamW(Adam):
    """torch.optim.AdamW(params, lr, betas, eps, weight_decay=0.01): decoupled weight decay."""

    decoupled = True

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01):
        super().__init__(params, lr, betas, eps, weight_decay)
