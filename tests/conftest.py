"""Shared fixtures and hooks. The suite runs offline (see tests/offline.sh and pyproject.toml).

Every chapter is executed once per seed, in parallel under pytest-xdist:
- SEED=0 by tests/test_chapters.py, as the book build executes it (explorer frames too). The
  executions are saved in EXECUTED; the book build of tests/test_book.py puts them into its
  execution cache, so the book is built from them instead of executing every chapter again.
- the held-out seed NBVAL_SEED by nbval (``--nbval-lax``), on the STUDENT EDITION: this file
  writes each chapter as nbgrader's generate_assignment releases it (tools/student.py: the
  solutions replaced by ``raise NotImplementedError()``, the hidden tests removed), with the
  seed injected the way papermill injects a parameter (a cell tagged ``injected-parameters``
  after the ``parameters`` cell), into NBVAL_DIR, which ``make test`` names on pytest's
  command line; nbval executes it cell by cell, one test item per cell. The exercise cells
  (nbgrader's solution and check cells) are tagged ``raises-exception`` there, and each of them
  must fail (unanswered); every other cell must run. The hooks below add what the chapter test
  checks to nbval's items: nothing on stderr, an image from every figure cell, and every claim
  held with its control (CLAIMS_JSON).
``make test`` runs the book build after all of them.
"""

from __future__ import annotations

import importlib.util
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
CLAIMS_DIR = BOOK_OUT / "claims"  # every (chapter, seed) run's CLAIMS_JSON lines
NBVAL_SEED = 12345  # the held-out seed, executed by nbval
NBVAL_DIR = BOOK_OUT / "nbval"  # the chapters with SEED = NBVAL_SEED injected
STUDENT = BOOK_OUT / "student"  # the suite's student edition (and STUDENT.zip beside it)

# No progress bars in tests; kernels started by the tests inherit this.
os.environ["DNL_QUIET"] = "1"
# Kernels must NOT inherit MPLBACKEND=Agg: with it, plt.show() in a chapter draws nothing
# and the book built from the suite's executions had no static figures. The test process
# itself draws off-screen all the same (matplotlib picks Agg without a display).
os.environ.pop("MPLBACKEND", None)


def with_parameters(nb, **parameters):
    """``nb`` with ``parameters`` injected as papermill injects them: a cell tagged
    ``injected-parameters`` right after the cell tagged ``parameters``."""
    at = next(
        (i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])), None
    )
    if at is None:
        raise ValueError("the notebook has no cell tagged 'parameters'")
    source = "# Parameters\n" + "".join(f"{k} = {v!r}\n" for k, v in parameters.items())
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]})
    cell.id = "injected-parameters"
    nb.cells.insert(at + 1, cell)
    return nb


def tool(name: str):
    """tools/<name>.py as a module (the tools are scripts, not a package)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def is_exercise_cell(cell) -> bool:
    """A code cell of an exercise: nbgrader's solution cell or its check (grade) cell."""
    grader = cell.metadata.get("nbgrader", {})
    return cell.cell_type == "code" and bool(grader.get("solution") or grader.get("grade"))


UNANSWERED = ("NotImplementedError", "NameError")  # what an unanswered exercise raises


def write_nbval_copies() -> None:
    """Build the student edition (into STUDENT) and write each of its chapters with SEED =
    NBVAL_SEED into NBVAL_DIR, its exercise cells tagged ``raises-exception`` (atomically, and
    only where the bytes change)."""
    NBVAL_DIR.mkdir(parents=True, exist_ok=True)
    tool("student").build(STUDENT)  # tests/test_student.py checks this same edition
    for chapter in CHAPTERS:
        edition = nbformat.read(STUDENT / "chapters" / chapter.name, as_version=4)
        nb = with_parameters(edition, SEED=NBVAL_SEED)
        for cell in nb.cells:
            if is_exercise_cell(cell):
                cell.metadata.setdefault("tags", []).append("raises-exception")
        text = nbformat.writes(nb)
        target = NBVAL_DIR / chapter.name
        if target.exists() and target.read_text(encoding="utf-8") == text:
            continue
        partial = target.with_name(f".{chapter.name}.{os.getpid()}")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, target)


def claims_path(chapter: str, seed: int) -> Path:
    return CLAIMS_DIR / f"{chapter}-{seed}.jsonl"


def check_claims(path: Path, label: str) -> list[dict]:
    """Every claim recorded in ``path`` held, and every finding names its control."""
    assert path.exists(), f"{label}: no claim was recorded (CLAIMS_JSON)"
    checked = [json.loads(line) for line in path.read_text().splitlines()]
    failed = [c["id"] for c in checked if not c["passed"]]
    assert checked and not failed, f"{label}: claims failed: {failed}"
    bare = [c["id"] for c in checked if c["kind"] == "finding" and not c.get("control")]
    assert not bare, f"{label}: findings without a control: {bare}"
    ids = [c["id"] for c in checked]
    assert len(ids) == len(set(ids)), f"{label}: an id is used twice: {ids}"
    return checked


def figure_left_no_image(source: str, outputs) -> bool:
    """A cell that shows a figure (plt.show()) but whose outputs hold no image."""
    return "plt.show()" in source and not any(
        "image/png" in output.get("data", {}) for output in outputs
    )


def pytest_configure(config):
    # before collection, so that nbval collects the copies named; under xdist the controller
    # has written them before it starts the workers (nbgrader takes ~5 s a process)
    copies_written = STUDENT.with_suffix(".zip").exists() and all(
        (NBVAL_DIR / c.name).exists() for c in CHAPTERS
    )
    if not (os.environ.get("PYTEST_XDIST_WORKER") and copies_written):
        write_nbval_copies()
    # registered as a plugin, not left as conftest hooks: conftest hooks reach only the items
    # under tests/, and the copies live in NBVAL_DIR
    config.pluginmanager.register(NbvalChecks(), "dnl-nbval-checks")


def _nbval_notebook(item):
    """The IPyNbFile of an nbval cell item (None for every other item)."""
    parent = getattr(item, "parent", None)
    return parent if type(parent).__name__ == "IPyNbFile" else None


def _last_cell(item, notebook) -> bool:
    return item.cell_num == sum(c.cell_type == "code" for c in notebook.nb.cells) - 1


class NbvalChecks:
    """What the chapter test checks, added to nbval's cell items."""

    def __init__(self):
        self.saved_env: dict[str, str | None] = {}

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(self, items):
        # all cells of a notebook run in one kernel, so on one worker: --dist loadscope sends
        # each notebook (its nodeid's scope) as one unit (xdist's loadgroup marks are lost
        # under pytest 9, which builds nodeids from their parts)
        for item in items:
            if _nbval_notebook(item) is not None:
                item.add_marker(pytest.mark.chapter)
        # the chapter executions first (each takes 10-40 s, the rest of the suite ~40 s in
        # all), so that both workers finish together (--no-loadscope-reorder keeps this order)
        items.sort(key=lambda item: 0 if item.get_closest_marker("chapter") else 1)

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item):
        notebook = _nbval_notebook(item)
        if notebook is None or item.cell_num != 0:
            return
        # nbval starts the kernel in the first cell's setup: it inherits this environment
        claims = claims_path(Path(notebook.path).stem, NBVAL_SEED)
        CLAIMS_DIR.mkdir(parents=True, exist_ok=True)
        claims.unlink(missing_ok=True)
        for key, value in {"CLAIMS_JSON": str(claims), "DNL_STATIC_EXPLORERS": "0"}.items():
            self.saved_env[key] = os.environ.get(key)
            os.environ[key] = value

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item):
        result = yield
        notebook = _nbval_notebook(item)
        if notebook is None:
            return result
        outputs, name = item.test_outputs, f"{Path(notebook.path).name} (SEED={NBVAL_SEED})"
        if is_exercise_cell(item.cell):  # the student edition: unanswered, it must fail
            errors = [o.get("ename") for o in outputs if o.get("output_type") == "error"]
            assert errors and errors[0] in UNANSWERED, (
                f"{name}, cell {item.cell_num}: an unanswered exercise must raise one of "
                f"{UNANSWERED}, got {errors or 'no error'}"
            )
        stderr = [o.text for o in outputs if o.get("name") == "stderr"]
        assert not stderr, f"{name}, cell {item.cell_num} wrote to stderr: {stderr}"
        assert not figure_left_no_image(item.cell.source, outputs), (
            f"{name}, cell {item.cell_num} shows a figure but left no image"
        )
        if _last_cell(item, notebook):  # the claims table
            check_claims(claims_path(Path(notebook.path).stem, NBVAL_SEED), name)
        return result

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_teardown(self, item, nextitem):
        result = yield
        notebook = _nbval_notebook(item)
        if notebook is not None and (nextitem is None or _nbval_notebook(nextitem) is not notebook):
            for key, value in self.saved_env.items():  # later tests must not write these claims
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
            self.saved_env.clear()
        return result


def helpers_digest() -> str:
    """The digest the build extension keys its cache on (book/_ext/book_build.py)."""
    return tool("execute_book").helpers_digest()


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
    executes only the chapters that are missing or stale. The cache is kept as
    tools/execute_book.py keeps it for ``make book`` (and its helpers stamp written)."""
    execute_book = tool("execute_book")
    digest = helpers_digest()
    cache = execute_book.open_cache(cache_path, digest)
    seeded = []
    for chapter in CHAPTERS:
        executed, info = EXECUTED / f"{chapter.stem}.ipynb", EXECUTED / f"{chapter.stem}.json"
        if not (executed.exists() and info.exists()):
            continue
        nb, meta = nbformat.read(executed, as_version=4), json.loads(info.read_text())
        current = code_cells(nbformat.read(chapter, as_version=4)) == code_cells(nb)
        if not current or meta["helpers"] != digest:
            continue
        execute_book.cache_execution(cache, chapter, nb, meta["seconds"])
        seeded.append(chapter.stem)
    return seeded


def build_test_book() -> Path:
    """Build the whole book from the suite's SEED=0 executions, with warnings as errors, into
    BOOK_OUT/_build; return its html folder (RuntimeError with the log if the build fails)."""
    shutil.rmtree(BOOK_OUT / "_build", ignore_errors=True)
    cache_path = BOOK_OUT / "_build" / ".jupyter_cache"
    cache_path.parent.mkdir(parents=True)
    seeded = seed_execution_cache(cache_path)
    result = jupyter_book_build(ROOT, BOOK_OUT)
    if result.returncode != 0:
        raise RuntimeError(f"book build failed:\n{result.stdout[-6000:]}\n{result.stderr[-6000:]}")
    html = BOOK_OUT / "_build" / "html"
    (html.parent / "build-log.txt").write_text(result.stdout + result.stderr)
    (html.parent / "seeded.json").write_text(json.dumps(seeded))
    return html


PREBUILT = "DNL_BOOK_PREBUILT"  # make test: tests/build_book.py built it before the browser tests


@pytest.fixture(scope="session")
def built_book() -> Path:
    """The whole book, built once per session with warnings as errors; its html folder. Under
    ``make test`` it is built once before the tests (tests/build_book.py), so that the
    browser tests can run on two workers against one build."""
    if os.environ.get(PREBUILT):
        html = BOOK_OUT / "_build" / "html"
        assert (html.parent / "seeded.json").exists(), f"{PREBUILT} is set but no book is built"
        return html
    try:
        return build_test_book()
    except RuntimeError as error:
        pytest.fail(str(error))
