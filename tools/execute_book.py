"""Execute the book's chapters two at a time into the build's execution cache (make book).

    python tools/execute_book.py [--jobs 2] [--cache _build/.jupyter_cache]

Jupyter Book executes the chapters one after the other; on a 2-core machine running two at
once (one torch thread each) takes about half the time. This runs every chapter that the
cache does not hold yet (or holds for other code cells, or for other helpers: the same
digest as book/_ext/book_build.py's, whose stamp it writes), as the build would (explorer
frames rendered, in the chapter's folder), and caches each execution; ``jupyter-book build``
then uses the cached notebooks and executes nothing. A chapter that raises stops it with the
error. The test suite caches its own executions with ``cache_execution`` below.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "_build" / ".jupyter_cache"  # myst-nb's default beside _build/html
BUILD_ENV = {"DNL_STATIC_EXPLORERS": "1", "DNL_QUIET": "1"}  # as book_build sets for kernels


def helpers_digest() -> str:
    """The digest of helpers/ that book/_ext/book_build.py keys the execution cache on."""
    sys.path.insert(0, str(ROOT / "book" / "_ext"))
    try:
        import book_build
    finally:
        sys.path.pop(0)
    return book_build.helpers_digest(ROOT)


def stamp_path(cache_path: Path) -> Path:
    return cache_path.with_name(cache_path.name + ".helpers-sha256")


def open_cache(cache_path: Path, digest: str):
    """The cache at ``cache_path``, cleared first if it was filled with other helpers; the
    stamp that the build extension compares is written."""
    from jupyter_cache import get_cache

    stamp = stamp_path(cache_path)
    if cache_path.exists() and not (stamp.exists() and stamp.read_text().strip() == digest):
        shutil.rmtree(cache_path)
    cache_path.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest + "\n")
    return get_cache(str(cache_path))


def cached(cache, chapter: Path) -> bool:
    try:
        cache.match_cache_file(str(chapter))
    except KeyError:
        return False
    return True


def cache_execution(cache, chapter: Path, nb, seconds: float) -> None:
    """Store an execution of ``chapter`` as the build would (its run time as myst-nb reads it)."""
    from jupyter_cache.base import CacheBundleIn

    bundle = CacheBundleIn(nb, str(chapter), data={"execution_seconds": seconds})
    cache.cache_notebook_bundle(bundle, check_validity=False, overwrite=True)


def execute(chapter: Path, timeout: int = 300):
    """Run ``chapter`` in a fresh kernel in its folder; (executed notebook, seconds)."""
    from jupyter_cache.executors.utils import single_nb_execution

    nb = nbformat.read(chapter, as_version=4)
    start = time.perf_counter()
    result = single_nb_execution(nb, cwd=str(chapter.parent), timeout=timeout, allow_errors=False)
    if result.err is not None:
        raise RuntimeError(f"{chapter.name} raised:\n{result.exc_string[-4000:]}")
    return nb, time.perf_counter() - start


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2, help="chapters at once (default 2)")
    parser.add_argument("--cache", type=Path, default=CACHE)
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error(f"--jobs must be at least 1, got {args.jobs}")
    os.environ.update(BUILD_ENV)
    cache = open_cache(args.cache.resolve(), helpers_digest())
    # the longest chapters first (as last measured here; else the largest files), so that the
    # two queues end together
    seconds_file = args.cache.resolve().with_name("chapter-seconds.json")
    last = json.loads(seconds_file.read_text()) if seconds_file.exists() else {}
    chapters = sorted(
        (ROOT / "chapters").glob("*.ipynb"),
        key=lambda c: (-last.get(c.stem, 0.0), -c.stat().st_size),
    )
    todo = [c for c in chapters if not cached(cache, c)]
    print(f"{len(chapters) - len(todo)} chapters cached, executing {len(todo)}", flush=True)
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:  # each kernel is its own process
        futures = {pool.submit(execute, chapter): chapter for chapter in todo}
        for future, chapter in futures.items():
            nb, seconds = future.result()  # a chapter that raised stops here, with its error
            cache_execution(cache, chapter, nb, seconds)
            last[chapter.stem] = seconds
            print(f"{chapter.stem}: {seconds:.1f} s", flush=True)
    seconds_file.write_text(json.dumps(last, indent=1))
    print(f"executed in {time.perf_counter() - start:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
