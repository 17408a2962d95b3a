"""Seeds, initialisation from a generator, and CPU threads: what every chapter starts with.

Introduced in every chapter's first code cell.
"""

from __future__ import annotations

import math
import os
import random
from typing import NamedTuple

import numpy as np
import torch

from helpers.checks import integer, torch_generator


class Seeds(NamedTuple):
    """The generators a chapter passes explicitly to everything random."""

    numpy: np.random.Generator
    torch: torch.Generator


def seed_everything(seed: int) -> Seeds:
    """Seed Python, NumPy and torch from ``seed`` and return generators to pass on.

    The global seeds are set too, so that code we do not control (a library's
    default initialisation) is also reproducible; the book's own code takes the
    returned generators explicitly.
    """
    seed = integer(seed, "seed", low=0, high=2**32 - 1)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    return Seeds(numpy=np.random.default_rng(seed), torch=torch.Generator().manual_seed(seed))


def initialize(module: torch.nn.Module, generator: torch.Generator) -> torch.nn.Module:
    """Draw every Linear and Conv layer of ``module`` afresh from ``generator``, with torch's
    default distribution (uniform on +-1/sqrt(fan_in) for weights and biases), so that a
    model built from torch.nn layers is initialised from the chapter's generator rather
    than torch's global one. Returns the module."""
    if not isinstance(module, torch.nn.Module):
        raise TypeError(f"module must be a torch.nn.Module, got {type(module).__name__}")
    generator = torch_generator(generator)
    with torch.no_grad():
        for layer in module.modules():
            if isinstance(layer, (torch.nn.Linear, torch.nn.modules.conv._ConvNd)):
                bound = 1.0 / math.sqrt(layer.weight[0].numel())  # fan_in
                layer.weight.uniform_(-bound, bound, generator=generator)
                if layer.bias is not None:
                    layer.bias.uniform_(-bound, bound, generator=generator)
    return module


def use_cpu_threads(n: int | None = 1) -> int:
    """Limit torch AND the BLAS libraries under NumPy/SciPy to ``n`` threads; return n.

    Why 1 by default, measured on the book's 2-core machines:
    - two copies of the minimum-norm chapter run at once took 320 s with OpenBLAS's
      default 2 threads each and 14.5 s with 1 thread each (alone: 11 s either way);
      oversubscribed BLAS threads spin and wait on each other;
    - a 64-256-256-10 MLP on the digits (500 SGD steps): idle, 2 torch threads were at
      most 1.6x faster than 1 (batches of 256 and up); with one other busy process on
      the machine they were 2.2x SLOWER.
    A class runs on laptops doing other things at the same time, so the book takes
    the setting that never collapses. ``n=None`` takes every core.
    """
    if n is None:
        n = os.cpu_count() or 1
    n = integer(n, "n (a positive integer, or None for every core)")
    from threadpoolctl import threadpool_limits

    torch.set_num_threads(n)
    threadpool_limits(n)  # process-wide: OpenBLAS / MKL / OpenMP under NumPy and SciPy
    return n
