"""Every chapter executed as a test, once per seed: it must run top to bottom in a fresh
kernel, write nothing to stderr, leave an image in every figure cell, and every claim it
checks must hold and every finding name its control. SEED=0 is the seed the book is built
with: executed here, and saved for the build (see conftest.py). The held-out seed
(conftest.NBVAL_SEED) is executed by nbval, one test item per cell (conftest.py's hooks add
the same checks). Also: how chapters are stored (no outputs, a parameters cell, one pinned
Colab cell that agrees with the book's repository and version), and the claims' ids."""

from __future__ import annotations

import ast
import json
import re

import nbformat
import pytest
import yaml
from conftest import (
    CHAPTERS,
    CLAIMS_DIR,
    EXECUTED,
    NBVAL_SEED,
    ROOT,
    check_claims,
    claims_path,
    code_cells,
    figure_left_no_image,
    helpers_digest,
    tool,
    with_parameters,
)

NAMES = [c.stem for c in CHAPTERS]


@pytest.fixture(params=CHAPTERS, ids=NAMES)
def notebook(request):
    return request.param, nbformat.read(request.param, as_version=4)


def run_chapter_at_seed_0(chapter, monkeypatch):
    # SEED=0 as the book build executes it (explorer frames included); the build reuses it
    CLAIMS_DIR.mkdir(parents=True, exist_ok=True)
    claims = claims_path(chapter.stem, 0)
    claims.unlink(missing_ok=True)
    monkeypatch.setenv("CLAIMS_JSON", str(claims))
    monkeypatch.setenv("DNL_STATIC_EXPLORERS", "1")
    nb, seconds = tool("execute_book").execute(chapter, timeout=600)  # as make book runs it
    stderr = [
        output.text
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.get("name") == "stderr"
    ]
    assert not stderr, f"{chapter.name} wrote to stderr: {stderr}"
    blank = [
        cell.source.splitlines()[0]
        for cell in nb.cells
        if cell.cell_type == "code" and figure_left_no_image(cell.source, cell.outputs)
    ]
    assert not blank, f"{chapter.name}: cells that show a figure left no image: {blank}"
    check_claims(claims, f"{chapter.name} (SEED=0)")
    EXECUTED.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, EXECUTED / f"{chapter.stem}.ipynb")
    meta = {"seconds": seconds, "helpers": helpers_digest()}
    (EXECUTED / f"{chapter.stem}.json").write_text(json.dumps(meta))


def _chapter_class(chapter):
    @pytest.mark.chapter
    def test_runs_and_its_claims_hold(self, monkeypatch):
        run_chapter_at_seed_0(chapter, monkeypatch)

    return type(
        f"TestChapter_{chapter.stem}",
        (),
        {"test_runs_and_its_claims_hold": test_runs_and_its_claims_hold},
    )


# one class per chapter: pytest-xdist's --dist loadscope sends a class, and an nbval notebook
# (all its cells in one kernel), to one worker, so every chapter run is its own unit of work
for _chapter in CHAPTERS:
    globals()[f"TestChapter_{_chapter.stem}"] = _chapter_class(_chapter)


def test_parameters_are_injected_as_papermill_does(notebook):
    path, nb = notebook
    injected = with_parameters(nbformat.read(path, as_version=4), SEED=NBVAL_SEED)
    at = next(i for i, c in enumerate(injected.cells) if "parameters" in c.metadata.get("tags", []))
    cell = injected.cells[at + 1]
    assert cell.metadata["tags"] == ["injected-parameters"]
    assert cell.source == f"# Parameters\nSEED = {NBVAL_SEED}\n"
    assert len(injected.cells) == len(nb.cells) + 1


CLAIMS_CALL = re.compile(r"""Claims\(\s*"(\w+)"\s*,\s*prefix="([a-z0-9-]+)"\s*\)""")


def test_every_chapter_has_its_own_claim_prefix():
    # ids are unique within a chapter (helpers.claims refuses a second use) and start with
    # the chapter's prefix, so distinct prefixes make them unique in the book
    prefixes = {}
    for chapter in CHAPTERS:
        found = [
            m.groups()
            for source in code_cells(nbformat.read(chapter, as_version=4))
            for m in CLAIMS_CALL.finditer(source)
        ]
        assert len(found) == 1, f"{chapter.name}: one Claims(chapter, prefix=...) call, got {found}"
        assert found[0][0] == chapter.stem
        prefixes[chapter.stem] = found[0][1]
    values = sorted(prefixes.values())
    assert all(not b.startswith(a + "-") and a != b for a, b in zip(values, values[1:])), prefixes


def test_stored_without_outputs(notebook):
    path, nb = notebook
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, f"{path.name} carries outputs"


def test_first_code_cell_is_the_parameters_cell(notebook):
    path, nb = notebook
    first = next(c for c in nb.cells if c.cell_type == "code")
    assert "parameters" in first.metadata.get("tags", []), (
        f"{path.name}: first code cell is not tagged 'parameters'"
    )
    assert re.search(r"^SEED = \d+", first.source, re.M), (
        f"{path.name}: the parameters cell must set SEED"
    )


def version() -> str:
    """The book's version: pyproject.toml's [project] version (the helpers carry the same)."""
    return re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M).group(1)


def release() -> str:
    """What every Colab cell must install: the book's repository at its version's tag."""
    url = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    return f"git+{url}@v{version()}"


def test_colab_cell_installs_this_books_release_only_on_colab(notebook):
    path, nb = notebook
    cells = [c.source for c in nb.cells if c.cell_type == "code" and "google.colab" in c.source]
    assert len(cells) == 1, f"{path.name} needs one Colab install cell"
    assert f'RELEASE = "{release()}"' in cells[0], f"{path.name}: RELEASE must be {release()!r}"
    assert 'if "google.colab" in sys.modules:' in cells[0]
    assert '%pip install --quiet "dnl-helpers @ {RELEASE}"' in cells[0]


def test_the_helpers_version_is_the_packages():
    import helpers

    assert helpers.__version__ == version()


def test_every_chapter_is_in_the_toc_and_the_teachers_page():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = {c["file"] for part in toc["parts"] for c in part["chapters"]}
    teachers = (ROOT / "book" / "teachers.md").read_text()
    for name in NAMES:
        assert f"chapters/{name}" in files
        assert f"chapters/{name})" in teachers


def test_every_chapter_limits_cpu_threads(notebook):
    # measured: oversubscribed BLAS threads made two concurrent chapters 20x slower
    path, nb = notebook
    calls = [
        node.func.id
        for source in code_cells(nb)
        if "%" not in source  # IPython magics are not Python
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    ]
    assert "use_cpu_threads" in calls, f"{path.name} never calls use_cpu_threads()"


# names whose use means a cell computes or draws fresh randomness, not just a figure
MEASURING = {"rng", "generator", "train", "train_ensemble", "descend", "seed_everything"}


def test_hidden_cells_only_draw(notebook):
    # a cell whose input is hidden must not train or draw from the measured generators:
    # editing a figure must never shift a number the chapter measures (explorer-only data
    # comes from its own generator, in a visible cell)
    path, nb = notebook
    for cell in nb.cells:
        if cell.cell_type != "code" or "hide-input" not in cell.metadata.get("tags", []):
            continue
        names = {n.id for n in ast.walk(ast.parse(cell.source)) if isinstance(n, ast.Name)}
        assert not names & MEASURING, f"{path.name}: a hidden cell uses {sorted(names & MEASURING)}"
