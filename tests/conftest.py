"""Shared fixtures. The suite runs offline (see tests/offline.sh and pyproject.toml)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))

# No progress bars in tests; kernels started by nbval and papermill inherit this.
os.environ["DNL_QUIET"] = "1"
os.environ.setdefault("MPLBACKEND", "Agg")


def jupyter_book_build(source: Path, output: Path) -> subprocess.CompletedProcess:
    """Build the book at ``source`` into ``output``/_build with warnings as errors."""
    return subprocess.run(
        [
            str(Path(sys.executable).with_name("jupyter-book")),
            "build",
            str(source),
            "--path-output",
            str(output),
            "-W",
            "-n",
            "--keep-going",
        ],
        capture_output=True,
        text=True,
        cwd=source,
        timeout=1200,
    )


@pytest.fixture(scope="session")
def built_book(tmp_path_factory) -> Path:
    """The whole book, built once per session from a fresh execution cache; its html folder."""
    out = tmp_path_factory.mktemp("book")
    result = jupyter_book_build(ROOT, out)
    if result.returncode != 0:
        pytest.fail(f"book build failed:\n{result.stdout[-6000:]}\n{result.stderr[-6000:]}")
    return out / "_build" / "html"
