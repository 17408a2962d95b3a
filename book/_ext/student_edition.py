"""The student edition ships with the book: after an HTML build, tools/student.py writes it
(every chapter as nbgrader's generate_assignment releases it, with the helpers) and its zip is
copied to the root of the HTML output as ``student.zip``, which the teachers' page links."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)


def _tool(srcdir: Path):
    path = srcdir / "tools" / "student.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location("dnl_student_edition", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _ship(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    tool = _tool(Path(app.srcdir))
    if tool is None:  # a book without the chapters' tools (the suite's small test books)
        logger.info("[student_edition] no tools/student.py: no student edition")
        return
    archive = tool.build(Path(app.outdir).parent / "student")
    shutil.copy(archive, Path(app.outdir) / "student.zip")
    logger.info(f"[student_edition] the student edition is {Path(app.outdir) / 'student.zip'}")


def setup(app):
    app.connect("build-finished", _ship)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
