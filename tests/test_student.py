"""The student edition (make student, tools/student.py) and the exercises it is made from.

- every chapter has at least two computational exercises in nbgrader's layout: a solution
  cell with the instructor's code between nbgrader's markers, followed by a locked check cell
  with points that calls ``helpers.exercises.check`` with its own id;
- the student edition holds no line of any solution or hidden test, no output, and ships the
  helpers it needs (the nbval run of the held-out seed executes this edition: only the
  exercise cells fail, see conftest.py);
- an nbgrader round trip on one chapter (min_norm, the quickest): generate_assignment, then
  autograde gives the instructor's version every automatic point, the blank student version
  none, and a wrong answer to one exercise loses exactly that exercise's points.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import nbformat
import pytest
from conftest import CHAPTERS, STUDENT, is_exercise_cell, tool

ROUND_TRIP = "min_norm"
MARKERS = {"solution": ("BEGIN SOLUTION", "END SOLUTION"), "hidden": ("BEGIN HIDDEN", "END HIDDEN")}


def regions(source: str, kind: str) -> list[str]:
    """The lines strictly between each pair of ``kind`` markers in ``source``."""
    begin, end = MARKERS[kind]
    lines, inside, out = source.splitlines(), False, []
    for line in lines:
        if begin in line:
            assert not inside, f"nested {begin}: {source[:80]}"
            inside = True
        elif end in line:
            assert inside, f"{end} without {begin}: {source[:80]}"
            inside = False
        elif inside:
            out.append(line)
    assert not inside, f"{begin} never ends: {source[:80]}"
    return out


def outside(source: str) -> list[str]:
    """The lines of ``source`` outside every solution and hidden-test region (markers too)."""
    out, inside = [], False
    for line in source.splitlines():
        if any(begin in line for begin, _ in MARKERS.values()):
            inside = True
        elif any(end in line for _, end in MARKERS.values()):
            inside = False
        elif not inside:
            out.append(line)
    return out


def grader(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


@pytest.fixture(scope="module")
def edition() -> Path:
    # built by conftest before collection (the nbval run of the held-out seed executes it)
    return STUDENT.with_suffix(".zip")


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.stem for c in CHAPTERS])
def test_two_computational_exercises_in_nbgraders_layout(chapter):
    from nbgrader.nbgraderformat import MetadataValidator

    nb = nbformat.read(chapter, as_version=4)
    MetadataValidator().validate_nb(nb)  # nbgrader's own check of its cell metadata
    prefix = re.search(
        r'Claims\("\w+", prefix="([a-z0-9-]+)"\)',
        "".join(c.source for c in nb.cells if c.cell_type == "code"),
    ).group(1)
    cells = nb.cells
    checked = []
    for i, cell in enumerate(cells):
        meta = grader(cell)
        if not meta:
            continue
        assert meta["grade_id"].startswith(f"{prefix}-ex-"), meta["grade_id"]
        if cell.cell_type == "code" and meta.get("solution"):
            assert regions(cell.source, "solution"), f"{meta['grade_id']}: no solution region"
            check = cells[i + 1]
            assert cell.source.splitlines()[0].startswith("#"), (
                f"{meta['grade_id']}: the first line names the variable to set (it stays)"
            )
            assert grader(check).get("grade") and grader(check).get("locked"), (
                f"{meta['grade_id']}: a solution cell is followed by its locked check cell"
            )
            assert grader(check)["points"] > 0
            assert f'check(\n    "{grader(check)["grade_id"]}"' in check.source or re.search(
                rf'check\(\s*"{grader(check)["grade_id"]}"', check.source
            ), f"{grader(check)['grade_id']}: the check cell checks its own exercise"
            checked.append(grader(check)["grade_id"])
        if cell.cell_type == "markdown":
            assert meta.get("solution") and meta.get("grade"), meta["grade_id"]
            assert regions(cell.source, "solution"), f"{meta['grade_id']}: no answer region"
    assert len(checked) >= 2, f"{chapter.name}: {len(checked)} computational exercises"
    # every folded solution of the book is an answer cell the student edition clears
    for cell in cells:
        if "admonition} Solution" in cell.source:
            assert grader(cell).get("solution"), f"{chapter.name}: a solution outside nbgrader"


def test_the_student_edition_holds_no_solution_and_no_hidden_test(edition):
    folder = edition.with_suffix("")
    for chapter in CHAPTERS:
        source = nbformat.read(chapter, as_version=4)
        student = nbformat.read(folder / "chapters" / chapter.name, as_version=4)
        assert [c.cell_type for c in source.cells] == [c.cell_type for c in student.cells]
        kept = set()  # lines of the source outside every solution and hidden region
        for cell in source.cells:
            kept |= set(outside(cell.source))
        text = "\n".join(c.source for c in student.cells)
        lines = set(text.splitlines())
        for cell in source.cells:
            for line in regions(cell.source, "solution") + regions(cell.source, "hidden"):
                if line.strip() and line not in kept:
                    assert line not in lines, f"{chapter.name}: {line!r} is in the student edition"
        assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN" not in text
        for cell in student.cells:
            if cell.cell_type == "code":
                assert not cell.outputs, f"{chapter.name}: the student edition has outputs"
            if is_exercise_cell(cell) and grader(cell).get("solution"):
                assert "raise NotImplementedError()" in cell.source


def test_the_zip_carries_the_chapters_and_the_helpers(edition):
    names = zipfile.ZipFile(edition).namelist()
    for chapter in CHAPTERS:
        assert f"student/chapters/{chapter.name}" in names
    for needed in ("student/README.md", "student/requirements.txt", "student/pyproject.toml"):
        assert needed in names
    helpers = Path(__file__).resolve().parents[1] / "helpers"
    for module in helpers.glob("*.py"):
        assert f"student/helpers/{module.name}" in names


def _autograde(course: Path, submissions: dict[str, nbformat.NotebookNode]) -> dict:
    """Autograde each submission of ROUND_TRIP; per student, {grade_id: auto_score}."""
    from nbgrader.api import Gradebook

    api = tool("student").course_api(course, execute_timeout=300)
    for student, nb in submissions.items():
        target = course / "submitted" / student / ROUND_TRIP
        target.mkdir(parents=True)
        nbformat.write(nb, target / f"{ROUND_TRIP}.ipynb")
        result = api.autograde(ROUND_TRIP, student, force=True, create=True)
        assert result["success"], f"autograde of {student}: {result['error']}\n{result['log']}"
    scores = {}
    with Gradebook(api.coursedir.db_url) as gb:
        for student in submissions:
            submission = gb.find_submission_notebook(ROUND_TRIP, ROUND_TRIP, student)
            scores[student] = {
                g.name: (g.auto_score, g.max_score, g.cell_type) for g in submission.grades
            }
    return scores


class TestNbgraderRoundTrip:  # one class: --dist loadscope runs it on one worker
    @pytest.mark.chapter
    def test_full_points_none_and_a_wrong_answer_loses_its_points(self, tmp_path, monkeypatch):
        monkeypatch.delenv("CLAIMS_JSON", raising=False)
        monkeypatch.setenv("DNL_STATIC_EXPLORERS", "0")
        chapter = next(c for c in CHAPTERS if c.stem == ROUND_TRIP)
        released = tool("student").generate([chapter], tmp_path)[ROUND_TRIP]
        instructor = nbformat.read(chapter, as_version=4)
        blank = nbformat.read(released, as_version=4)
        wrong = nbformat.read(chapter, as_version=4)
        solution = next(c for c in wrong.cells if is_exercise_cell(c) and grader(c)["solution"])
        wrong_check = wrong.cells[wrong.cells.index(solution) + 1]
        variable = solution.source.splitlines()[0].lstrip("# ").split(" =")[0]
        # a plausible mistake: the right computation, then a wrong number stored
        solution.source = solution.source.replace(
            "### END SOLUTION", f"{variable} = 2 * {variable} + 1\n### END SOLUTION"
        )
        scores = _autograde(tmp_path, {"instructor": instructor, "blank": blank, "wrong": wrong})
        auto = {s: {k: v for k, v in g.items() if v[2] == "code"} for s, g in scores.items()}
        assert auto["instructor"], "no autograded cell"
        assert all(score == top for score, top, _ in auto["instructor"].values()), auto
        assert all(score == 0 for score, _, _ in auto["blank"].values()), auto["blank"]
        lost = {k: top - score for k, (score, top, _) in auto["wrong"].items() if score != top}
        assert lost == {grader(wrong_check)["grade_id"]: grader(wrong_check)["points"]}, lost
        # the answers in words are left to the teacher; blank ones score zero at once
        written = {k: v for k, v in scores["blank"].items() if v[2] == "markdown"}
        assert written and all(score == 0 for score, _, _ in written.values())
