"""Shared fixtures. The suite runs offline (see tests/offline.sh and pyproject.toml).

Every chapter is executed once per seed by tests/test_chapters.py (in parallel under
pytest-xdist). The SEED=0 executions are saved in EXECUTED; the book build of
tests/test_book.py puts them into its execution cache, so the book is built from them
instead of executing every chapter a second time. ``make test`` runs the two in that order.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
BOOK_OUT = ROOT / "_build" / "test-book"  # the suite's book build (git ignores _build)
EXECUTED = BOOK_OUT / "executed"  # SEED=0 executions, reused by the book build

# No progress bars in tests; kernels started by the tests inherit this.
os.environ["DNL_QUIET"] = "1"
# Kernels must NOT inherit MPLBACKEND=Agg: with it, plt.show() in a chapter draws nothing
# and the book built from the suite's executions had no static figures. The test process
# itself draws off-screen all the same (matplotlib picks Agg without a display).
os.environ.pop("MPLBACKEND", None)


def pytest_collection_modifyitems(items):
    # the chapter executions first (each takes 10-40 s, the rest of the suite ~30 s in all),
    # so that under pytest-xdist's worksteal scheduling both workers finish together
    items.sort(key=lambda item: 0 if item.get_closest_marker("chapter") else 1)


def helpers_digest() -> str:
    """The digest the build extension keys its cache on (book/_ext/book_build.py)."""
    sys.path.insert(0, str(ROOT / "book" / "_ext"))
    try:
        import book_build
    finally:
        sys.path.pop(0)
    return book_build.helpers_digest(ROOT)


def code_cells(nb) -> list[str]:
    return [cell.source for cell in nb.cells if cell.cell_type == "code"]


def jupyter_book_build(source: Path, output: Path) -> subprocess.CompletedProcess:
    """Build the book at ``source`` into ``output``/_build with warnings as errors."""
    jupyter_book = str(Path(sys.executable).with_name("jupyter-book"))
    return subprocess.run(
        [
            jupyter_book,
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


def seed_execution_cache(cache_path: Path) -> list[str]:
    """Put the suite's SEED=0 executions into the build's jupyter-cache, where they are
    current (same code cells, same helpers); return the chapters seeded. The build then
    executes only the chapters that are missing or stale."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    digest = helpers_digest()
    cache = get_cache(str(cache_path))
    seeded = []
    for chapter in CHAPTERS:
        executed, info = EXECUTED / f"{chapter.stem}.ipynb", EXECUTED / f"{chapter.stem}.json"
        if not (executed.exists() and info.exists()):
            continue
        nb, meta = nbformat.read(executed, as_version=4), json.loads(info.read_text())
        current = code_cells(nbformat.read(chapter, as_version=4)) == code_cells(nb)
        if not current or meta["helpers"] != digest:
            continue
        data = {"execution_seconds": meta["seconds"]}
        bundle = CacheBundleIn(nb, str(chapter), data=data)
        cache.cache_notebook_bundle(bundle, check_validity=False, overwrite=True)
        seeded.append(chapter.stem)
    # the stamp the build extension compares: helpers unchanged since these executions
    cache_path.with_name(cache_path.name + ".helpers-sha256").write_text(digest + "\n")
    return seeded


@pytest.fixture(scope="session")
def built_book() -> Path:
    """The whole book, built once per session with warnings as errors; its html folder."""
    shutil.rmtree(BOOK_OUT / "_build", ignore_errors=True)
    cache_path = BOOK_OUT / "_build" / ".jupyter_cache"
    cache_path.parent.mkdir(parents=True)
    seeded = seed_execution_cache(cache_path)
    result = jupyter_book_build(ROOT, BOOK_OUT)
    if result.returncode != 0:
        pytest.fail(f"book build failed:\n{result.stdout[-6000:]}\n{result.stderr[-6000:]}")
    html = BOOK_OUT / "_build" / "html"
    (html.parent / "build-log.txt").write_text(result.stdout + result.stderr)
    (html.parent / "seeded.json").write_text(json.dumps(seeded))
    return html
