"""The vendored corpus and the character data set (helpers.text)."""

import gzip
import hashlib

import numpy as np
import pytest
import torch

import helpers.text
from helpers.text import CORPUS, CORPUS_SHA256, characters, python_reference, random_windows


def test_corpus_file_matches_its_checksum_and_license():
    text = gzip.decompress(CORPUS.read_bytes()).decode("utf-8")
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == CORPUS_SHA256
    assert len(text) == 465_048 and text.startswith('The "assert" statement')
    notice = (CORPUS.parent / "python_reference.LICENSE").read_text()
    assert "PYTHON SOFTWARE FOUNDATION LICENSE VERSION 2" in notice


def test_damaged_corpus_is_refused(tmp_path, monkeypatch):
    damaged = tmp_path / "python_reference.txt.gz"
    damaged.write_bytes(gzip.compress(b"not the reference", mtime=0))
    monkeypatch.setattr(helpers.text, "CORPUS", damaged)
    with pytest.raises(ValueError, match="damaged.*build_corpus"):
        python_reference()


def test_characters_round_trip_and_hold_out_the_tail():
    text = characters("abracadabra" * 10, test_fraction=0.2)
    assert text.alphabet == "abcdr"
    assert len(text.train) == 88 and len(text.test) == 22
    assert text.decode(np.concatenate([text.train, text.test])) == "abracadabra" * 10


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"text": ""}, "text must be a non-empty string"),
        ({"text": "abc", "test_fraction": 1.0}, "test_fraction must be"),
        ({"text": "ab", "test_fraction": 0.1}, "leaves an empty part"),
    ],
)
def test_characters_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        characters(**kwargs)


def test_random_windows_are_consecutive_and_shifted_by_one():
    ids = np.arange(100)
    inputs, targets = next(random_windows(ids, 10, 4, np.random.default_rng(0)))
    assert inputs.shape == targets.shape == (4, 10) and inputs.dtype == torch.int64
    assert torch.equal(targets, inputs + 1)
    assert torch.equal(inputs[:, 1:] - inputs[:, :-1], torch.ones(4, 9, dtype=torch.int64))
    with pytest.raises(ValueError, match="length must be"):
        next(random_windows(ids, 100, 4, np.random.default_rng(0)))


@pytest.mark.skipif(
    __import__("platform").python_version() != "3.11.7",
    reason="the corpus is pinned to CPython 3.11.7's pydoc_data",
)
def test_build_script_gives_the_vendored_text_on_the_pinned_python():
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_corpus", "tools/build_corpus.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    assert build.corpus_text() == python_reference()
