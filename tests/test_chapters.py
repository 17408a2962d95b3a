"""Chapter notebooks as sources: stored without outputs, parameterized, listed, and rerunnable
with another seed (papermill). nbval executes each one as well (see pyproject.toml)."""

from __future__ import annotations

import re

import nbformat
import pytest
import yaml
from conftest import CHAPTERS, ROOT

NAMES = [c.stem for c in CHAPTERS]


@pytest.fixture(params=CHAPTERS, ids=NAMES)
def notebook(request):
    return request.param, nbformat.read(request.param, as_version=4)


def test_there_are_chapters():
    assert CHAPTERS


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


def test_colab_cell_installs_a_pinned_release_only_on_colab(notebook):
    path, nb = notebook
    cells = [c.source for c in nb.cells if c.cell_type == "code" and "google.colab" in c.source]
    assert len(cells) == 1, f"{path.name} needs one Colab install cell"
    release = re.search(r'"git\+https://\S+@(\S+)"', cells[0])
    assert release and re.fullmatch(r"v\d+\.\d+\.\d+", release.group(1)), (
        "pin the helpers to a release tag"
    )
    assert 'if "google.colab" in sys.modules:' in cells[0] and "%pip install" in cells[0]


def test_every_chapter_is_in_the_toc_and_the_teachers_page():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = {c["file"] for part in toc["parts"] for c in part["chapters"]}
    teachers = (ROOT / "book" / "teachers.md").read_text()
    for name in NAMES:
        assert f"chapters/{name}" in files
        assert f"chapters/{name})" in teachers


@pytest.mark.parametrize("chapter", CHAPTERS, ids=NAMES)
def test_chapter_claims_hold_for_another_seed(chapter, tmp_path, monkeypatch):
    import json

    import papermill

    claims = tmp_path / "claims.jsonl"
    monkeypatch.setenv("CLAIMS_JSON", str(claims))
    papermill.execute_notebook(
        str(chapter),
        str(tmp_path / "out.ipynb"),
        parameters={"SEED": 12345},
        cwd=str(chapter.parent),
        progress_bar=False,
        kernel_name="python3",
    )
    checked = [json.loads(line) for line in claims.read_text().splitlines()]
    assert checked and all(c["passed"] for c in checked)


def test_every_chapter_limits_cpu_threads(notebook):
    # measured: oversubscribed BLAS threads made two concurrent chapters 20x slower
    path, nb = notebook
    assert any("use_cpu_threads(" in c.source for c in nb.cells if c.cell_type == "code"), path.name
