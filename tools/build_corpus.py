"""Rebuild helpers/data/python_reference.txt.gz from CPython 3.11.7's ``pydoc_data.topics``.

    python tools/build_corpus.py      # must run on CPython 3.11.7 (the text is pinned)

The corpus is every topic of ``pydoc_data.topics.topics`` (the Python language reference
as ``help()`` shows it), in sorted order of the topic names, joined by newlines: 465,048
characters. It is written gzip-compressed with mtime 0, so the bytes are reproducible; the
script ends by comparing the text's SHA-256 with the one ``helpers.text`` checks.
"""

from __future__ import annotations

import gzip
import hashlib
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from helpers.text import CORPUS, CORPUS_SHA256  # noqa: E402

PYTHON = "3.11.7"


def corpus_text() -> str:
    from pydoc_data.topics import topics

    return "\n".join(topics[name] for name in sorted(topics))


def main() -> None:
    if platform.python_version() != PYTHON:
        raise SystemExit(f"run this with CPython {PYTHON}: the topics differ between versions")
    text = corpus_text()
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if digest != CORPUS_SHA256:
        raise SystemExit(f"text sha256 {digest} differs from helpers.text.CORPUS_SHA256")
    CORPUS.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))
    print(f"wrote {CORPUS}: {len(text)} characters, {CORPUS.stat().st_size} bytes, sha256 {digest}")


if __name__ == "__main__":
    main()
