"""The reading guide (book/reading.md): its verdicts rest on claims of this build.

The extension book/_ext/reading_guide.py reads the claims tables of the chapters; these
tests tie it to the table helpers.claims renders, check the page's sources against the
bibliography and the chapters' citations, and build a small Sphinx project to check that a
guide naming a missing or failed claim fails the build.
"""

from __future__ import annotations

import re
import subprocess
import sys

import nbformat
import pytest
from conftest import CHAPTERS, ROOT

from helpers.claims import Claims

sys.path.insert(0, str(ROOT / "book" / "_ext"))
import reading_guide  # noqa: E402

sys.path.pop(0)

GUIDE = ROOT / "book" / "reading.md"
PAPER = re.compile(r"^```\{paper\}\s+(\S+)", re.M)
LEFT_OUT = re.compile(r"^```\{left-out\}\n(.*?)^```", re.M | re.S)
CITE = re.compile(r"\{cite(?::[pt])?\}`([^`]+)`")


def test_the_claims_table_is_read_back_as_rendered():
    claims = Claims("ch", prefix="ch")
    claims.check("ch-a", "a <b> & c", 0.5, below=1, control=2.0, control_label="random labels")
    claims.check("ch-b", "vs theory", 0.25, below=1, vs_theory="1/p")
    claims.check("ch-c", "later", 0.5, below=1, control="none yet")
    claims.check("ch-d", "identity", 0.0, equals=0, sanity=True)
    rows = reading_guide.parse_claims_table(claims._repr_html_())
    assert list(rows) == ["ch-a", "ch-b", "ch-c", "ch-d"]
    assert rows["ch-a"] == {
        "claim": "a <b> & c",
        "measured": "0.5",
        "control": "random labels: 2",
        "required": "< 1",
        "passed": True,
    }
    assert rows["ch-b"]["control"] == "theory: 1/p"
    assert rows["ch-c"]["control"] == "no control yet"
    assert rows["ch-d"]["control"] is None and rows["ch-d"]["required"] == "= 0"


def _bib_keys() -> set[str]:
    text = (ROOT / "book" / "references.bib").read_text(encoding="utf-8")
    return set(re.findall(r"^@\w+\{([^,\s]+),", text, re.M))


def _guide_keys() -> tuple[set[str], set[str]]:
    text = GUIDE.read_text(encoding="utf-8")
    papers = set(PAPER.findall(text))
    left = {
        line.partition(":")[0].strip()
        for block in LEFT_OUT.findall(text)
        for line in block.splitlines()
        if line.strip()
    }
    return papers, left


def test_every_key_the_guide_names_is_in_the_bibliography():
    papers, left = _guide_keys()
    assert papers, "the reading guide lists no paper"
    assert not (papers | left) - _bib_keys(), sorted((papers | left) - _bib_keys())
    assert not papers & left, f"listed both as a paper and as left out: {sorted(papers & left)}"


def test_every_paper_a_chapter_cites_is_in_the_guide_or_left_out_with_a_reason():
    papers, left = _guide_keys()
    # a paper discussed in the guide's prose (the readers' references) appears in it too
    papers |= {
        key.strip()
        for group in CITE.findall(GUIDE.read_text(encoding="utf-8"))
        for key in group.split(",")
    }
    cited = {
        key.strip()
        for chapter in CHAPTERS
        for cell in nbformat.read(chapter, as_version=4).cells
        if cell.cell_type == "markdown"
        for group in CITE.findall(cell.source)
        for key in group.split(",")
    }
    missing = cited - papers - left
    assert not missing, f"cited by a chapter, not in the reading guide: {sorted(missing)}"


def test_the_guide_is_in_the_toc_before_the_references_and_linked():
    toc = (ROOT / "_toc.yml").read_text()
    assert toc.index("book/reading") < toc.index("book/references")
    assert "reading" in (ROOT / "book" / "intro.md").read_text()


@pytest.mark.parametrize(
    ("named", "expect"),
    [("ch-holds", None), ("ch-missing", "which no chapter checked"), ("ch-fails", "FAILED")],
)
def test_a_guide_naming_a_missing_or_failed_claim_fails_the_build(tmp_path, named, expect):
    claims = Claims("ch", prefix="ch")
    claims.check("ch-holds", "holds", 0.5, below=1, control=2.0, control_label="shuffled")
    table = claims._repr_html_()
    # a failed claim as a chapter built with allow_errors would show it
    table = table.replace(
        "</tbody>",
        table.split("<tbody>")[1]
        .split("</tbody>")[0]
        .replace("ch-holds", "ch-fails")
        .replace("&#10003; holds", "&#10007; FAILS")
        + "</tbody>",
        1,
    )
    (tmp_path / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT / 'book' / '_ext')!r})\n"
        "extensions = ['reading_guide']\n"
    )
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "references.bib").write_text(
        "@article{a2020,\n  author = {Ann Author and Bob Writer},\n  title = {A Title},\n"
        "  year = {2020}\n}\n"
    )
    (tmp_path / "index.rst").write_text("Index\n=====\n\n.. toctree::\n\n   chapter\n   guide\n")
    (tmp_path / "chapter.rst").write_text(
        "Chapter\n=======\n\n.. raw:: html\n\n   " + table.replace("\n", " ") + "\n"
    )
    (tmp_path / "guide.rst").write_text(
        f"Guide\n=====\n\n.. paper:: a2020\n   :chapter: chapter\n   :claims: {named}\n"
        "   :verdict: reproduced\n\n   It showed a thing.\n"
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-W",
            "-q",
            "-b",
            "html",
            str(tmp_path),
            str(tmp_path / "_build"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if expect is None:
        assert result.returncode == 0, result.stderr
        page = (tmp_path / "_build" / "guide.html").read_text()
        assert "Author and Writer (2020). A Title." in page
        assert 'href="chapter.html#claim-ch-holds"' in page
        assert "measured 0.5 against shuffled: 2 (required &lt; 1)" in page
    else:
        assert result.returncode != 0 and expect in result.stderr, result.stderr
