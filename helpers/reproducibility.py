"""Seeds, device and CPU threads: the few lines every chapter starts with.

Introduced in every chapter's first code cell.
"""

from __future__ import annotations

import os
import random
from typing import NamedTuple

import numpy as np
import torch

DEVICES = ("auto", "cpu", "cuda", "mps")


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
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**32:
        raise ValueError(f"seed must be an integer in [0, 2**32), got {seed!r}")
    seed = int(seed)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    return Seeds(numpy=np.random.default_rng(seed), torch=torch.Generator().manual_seed(seed))


def pick_device(prefer: str = "auto") -> torch.device:
    """The device to train on: ``prefer`` one of 'auto', 'cpu', 'cuda', 'mps'.

    'auto' takes CUDA, then Apple's MPS, then the CPU. The book's models are small
    and run on the CPU by default; a named device that is missing is an error,
    not a silent fallback.
    """
    if prefer not in DEVICES:
        raise ValueError(f"prefer must be one of {DEVICES}, got {prefer!r}")
    has_mps = getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available()
    if prefer == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        return torch.device("mps") if has_mps else torch.device("cpu")
    if prefer == "cuda" and not torch.cuda.is_available():
        raise RuntimeError("prefer='cuda' but torch sees no CUDA device; use 'auto' or 'cpu'")
    if prefer == "mps" and not has_mps:
        raise RuntimeError("prefer='mps' but torch sees no MPS device; use 'auto' or 'cpu'")
    return torch.device(prefer)


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
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive integer or None, got {n!r}")
    from threadpoolctl import threadpool_limits

    torch.set_num_threads(n)
    threadpool_limits(n)  # process-wide: OpenBLAS / MKL / OpenMP under NumPy and SciPy
    return n
