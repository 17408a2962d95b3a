"""The student edition: every chapter as nbgrader releases it, with the helper package.

    python tools/student.py [OUT]      (make student; OUT defaults to _build/student)

writes OUT/ (chapters/<chapter>.ipynb with the solutions replaced by nbgrader's stubs, the
hidden tests removed and the outputs cleared; helpers/, pyproject.toml, requirements.txt and a
README for students) and OUT.zip beside it. The notebooks are made by nbgrader's own
``generate_assignment`` (one assignment per chapter) in a temporary course directory, so
they are exactly what a teacher's nbgrader course releases from the same chapters.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

README = """# What do deep networks learn, and when? (student edition)

Each notebook in `chapters/` is a chapter of the book with its exercises left for you: a cell
that says `# YOUR CODE HERE` and `raise NotImplementedError()` is yours to write, and the cell
below it says whether your answer is right (and gives a hint when it is not). Answers in words
go where a cell says `YOUR ANSWER HERE`.

    python -m venv .venv && . .venv/bin/activate
    pip install -r requirements.txt     # torch, the book's helper package (-e .), Jupyter
    jupyter lab chapters/

Everything else in a chapter runs as it is; only the exercises wait for you.
"""


def course_api(course: Path, execute_timeout: int | None = None):
    """nbgrader's API over the course directory ``course`` (its gradebook inside it);
    ``execute_timeout``: seconds a cell may run when autograde executes a notebook."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config

    # nbgrader runs alembic (the gradebook's migrations) as a command: from this environment
    bindir = str(Path(sys.executable).parent)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")
    config = Config()
    config.CourseDirectory.root = str(course)
    config.CourseDirectory.db_url = f"sqlite:///{course / 'gradebook.db'}"
    if execute_timeout is not None:
        config.Execute.timeout = execute_timeout
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    api.log.setLevel(logging.ERROR)
    return api


def generate(chapters: list[Path], course: Path) -> dict[str, Path]:
    """Run nbgrader's generate_assignment on each chapter in the course directory ``course``;
    returns the released notebook of each chapter."""
    for chapter in chapters:
        target = course / "source" / chapter.stem
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(chapter, target / chapter.name)
    api = course_api(course)
    released = {}
    for chapter in chapters:
        result = api.generate_assignment(chapter.stem, force=True, create=True)
        if not result["success"]:
            raise RuntimeError(
                f"nbgrader could not generate {chapter.name}:\n{result['error']}\n{result['log']}"
            )
        released[chapter.stem] = course / "release" / chapter.stem / chapter.name
    return released


def build(out: Path = ROOT / "_build" / "student") -> Path:
    """Write the student edition into ``out`` and ``out``.zip; returns the zip's path."""
    chapters = sorted((ROOT / "chapters").glob("*.ipynb"))
    if out.exists():
        shutil.rmtree(out)
    (out / "chapters").mkdir(parents=True)
    with tempfile.TemporaryDirectory() as course:
        for stem, notebook in generate(chapters, Path(course)).items():
            shutil.copy(notebook, out / "chapters" / f"{stem}.ipynb")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "helpers", out / "helpers", ignore=ignore)
    for name in ("pyproject.toml", "requirements.txt"):
        shutil.copy(ROOT / name, out / name)
    (out / "README.md").write_text(README)
    archive = out.with_suffix(".zip")
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(out.rglob("*")):
            if path.is_file():
                zf.write(path, Path(out.name) / path.relative_to(out))
    return archive


if __name__ == "__main__":
    target = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else ROOT / "_build" / "student"
    print(f"The student edition is in {build(target)}")
