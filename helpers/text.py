"""Character-level text for sequence models: the corpus vendored with the book, its alphabet,
and random windows to train on.

The corpus is the Python language reference as CPython 3.11.7 ships it for ``help()``
(``pydoc_data.topics``: 79 topics, 465,048 characters of English prose and code; PSF
license, its text beside the file). The text changes between Python versions, so the book
keeps a pinned copy (``helpers/data/python_reference.txt.gz``, rebuilt by
``tools/build_corpus.py``) with a checked SHA-256 instead of reading the running Python's.
"""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path
from typing import NamedTuple

import numpy as np
import torch

from helpers.checks import array, integer, number, numpy_generator

CORPUS = Path(__file__).parent / "data" / "python_reference.txt.gz"
CORPUS_SHA256 = "2a95af4ac93f5b719944030ce3769070ddf827d847cba42192afa8da989e5dc4"  # of the text


def python_reference() -> str:
    """The vendored corpus as one string (its SHA-256 is checked)."""
    text = gzip.decompress(CORPUS.read_bytes()).decode("utf-8")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if digest != CORPUS_SHA256:
        raise ValueError(
            f"{CORPUS} holds text with sha256 {digest}, expected {CORPUS_SHA256}: the file is "
            "damaged; rebuild it with `python tools/build_corpus.py` (CPython 3.11.7)"
        )
    return text


class Characters(NamedTuple):
    """A text as integer ids: ``train`` and ``test`` (1-d int64 arrays) and the ``alphabet``
    (id -> character); ``decode(ids)`` turns ids back into a string."""

    train: np.ndarray
    test: np.ndarray
    alphabet: str

    def decode(self, ids) -> str:
        """The string of ``ids`` (integers in [0, len(alphabet)): a negative id is refused,
        not read from the end of the alphabet)."""
        values = array(ids, "ids", kind="integer", ndim=1)
        if values.size and (values.min() < 0 or values.max() >= len(self.alphabet)):
            raise ValueError(
                f"ids must be integers in [0, {len(self.alphabet)}) (the alphabet), got ids "
                f"from {values.min()} to {values.max()}"
            )
        return "".join(self.alphabet[int(i)] for i in ids)


def characters(text: str, test_fraction: float = 0.1) -> Characters:
    """Encode ``text`` by its sorted alphabet and split it: the last ``test_fraction`` of
    the characters is held out (a contiguous tail, so no window straddles the two parts)."""
    if not isinstance(text, str) or not text:
        raise ValueError(f"text must be a non-empty string, got {text!r:.40}")
    test_fraction = number(
        test_fraction, "test_fraction", low=0, high=1, open_low=True, open_high=True
    )
    alphabet = "".join(sorted(set(text)))
    lookup = {c: i for i, c in enumerate(alphabet)}
    ids = np.fromiter((lookup[c] for c in text), dtype=np.int64, count=len(text))
    cut = len(ids) - int(round(test_fraction * len(ids)))
    if cut < 2 or cut >= len(ids):
        raise ValueError(
            f"test_fraction={test_fraction} leaves an empty part of {len(ids)} characters"
        )
    return Characters(ids[:cut], ids[cut:], alphabet)


def random_windows(ids, length: int, batch_size: int, rng):
    """Endless batches of ``batch_size`` windows of ``length + 1`` consecutive ids drawn at
    random positions: yields (inputs, targets) int64 tensors of shape (batch, length), the
    targets being the inputs shifted by one character."""
    values = array(ids, "ids", kind="integer", ndim=1)
    if len(values) < 2:
        raise ValueError(
            f"ids must hold at least 2 ids (a window and its target), got {len(values)}"
        )
    if values.min() < 0:
        raise ValueError(f"ids must be integer ids >= 0, got {values.min()}")
    ids = torch.as_tensor(np.asarray(ids), dtype=torch.int64)
    length = integer(length, "length", low=1, high=len(ids) - 1)
    batch_size = integer(batch_size, "batch_size", low=1)
    rng = numpy_generator(rng)
    offsets = torch.arange(length + 1)
    while True:
        starts = torch.as_tensor(rng.integers(0, len(ids) - length, batch_size))
        windows = ids[starts[:, None] + offsets]
        yield windows[:, :-1], windows[:, 1:]
