"""Where each chapter's run time went, from the build's own executions.

The directive ``{chapter-times}`` (on the execution page) becomes a table with one row per
chapter: its run time as the execution cache recorded it, split into start-up (the kernel and
the imports), training (cells tagged ``training``), explorer frames (cells that call
``explore``), exercises (nbgrader's solution and check cells), and the rest, with the
exercises' share and the three slowest cells. The cell times are the ones each chapter's
kernel recorded (``helpers.timing``, carried in the claims table's output metadata); the rest is the
run time less the other columns (kernel start-up outside the imports included).
"""

from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

CELL_TIMES_KEY = "dnl_cell_times"  # = helpers.timing.CELL_TIMES_KEY, in an output's metadata
PARTS = ("start-up", "training", "explorer frames", "exercises")


class chapter_times(nodes.General, nodes.Element):
    """Placeholder, filled in when every chapter has been read (and executed)."""


class ChapterTimes(SphinxDirective):
    def run(self):
        return [chapter_times()]


def cell_part(cell) -> str:
    """Which part of the run a code cell belongs to (the start-up is measured apart)."""
    tags = cell.metadata.get("tags", [])
    if "nbgrader" in cell.metadata:
        return "exercises"
    if "training" in tags:
        return "training"
    if re.search(r"(?<![\w.])explore\(", cell.source):
        return "explorer frames"
    return "the rest"


def split(nb, total: float) -> dict | None:
    """The run time ``total`` of an executed notebook split into PARTS and the rest, with its
    three slowest cells; None when the notebook carries no cell times."""
    times = None
    for cell in nb.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            times = output.get("metadata", {}).get(CELL_TIMES_KEY, times)
    if times is None:
        return None
    parts = dict.fromkeys(PARTS, 0.0)
    parts["start-up"] = float(times.get("startup") or 0.0)
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code" or cell.get("execution_count") is None:
            continue
        seconds = times["cells"].get(str(cell.execution_count))
        if seconds is None:
            continue
        part = cell_part(cell)
        if part in parts:
            parts[part] += seconds
        first = next((line for line in cell.source.splitlines() if line.strip()), "")
        cells.append((seconds, first.strip()[:60]))
    parts["the rest"] = max(total - sum(parts.values()), 0.0)
    return {"total": total, "parts": parts, "slowest": sorted(cells, reverse=True)[:3]}


def _cache(app):
    from book_build import execution_cache_path  # the sibling extension (book/_ext)
    from jupyter_cache import get_cache

    path = execution_cache_path(app, app.config)
    return get_cache(str(path)) if path.exists() else None


def chapter_splits(app) -> dict[str, dict | None]:
    env, cache, out = app.env, _cache(app), {}
    for doc in sorted(d for d in env.found_docs if d.startswith("chapters/")):
        out[doc] = None
        if cache is None:
            continue
        try:
            record = cache.match_cache_file(str(env.doc2path(doc)))
        except KeyError:
            continue
        total = record.data.get("execution_seconds")
        if total is not None:
            out[doc] = split(cache.get_cache_bundle(record.pk).nb, float(total))
    return out


def _row(cells: list[str]):
    row = nodes.row()
    for text in cells:
        entry = nodes.entry()
        entry += nodes.paragraph(text=text)
        row += entry
    return row


def _table(splits: dict[str, dict | None]):
    head = ["chapter", "total (s)", *PARTS, "the rest", "three slowest cells (s)"]
    table = nodes.table(classes=["dnl-chapter-times"])
    group = nodes.tgroup(cols=len(head))
    table += group
    for _ in head:
        group += nodes.colspec(colwidth=1)
    thead, tbody = nodes.thead(), nodes.tbody()
    thead += _row(head)
    for doc, s in splits.items():
        name = doc.split("/", 1)[1]
        if s is None:
            tbody += _row([name, "not executed in this build"] + [""] * (len(head) - 2))
            continue
        parts = s["parts"]
        share = parts["exercises"] / s["total"] if s["total"] else 0.0
        cells = [f"{parts[p]:.1f}" for p in PARTS]
        cells[PARTS.index("exercises")] = f"{parts['exercises']:.2f} ({share:.1%})"
        slowest = "; ".join(f"{sec:.1f}: {line[:28]}" for sec, line in s["slowest"])
        tbody += _row([name, f"{s['total']:.1f}", *cells, f"{parts['the rest']:.1f}", slowest])
    group += thead
    group += tbody
    return table


def _fill(app, doctree, docname) -> None:
    placeholders = list(doctree.findall(chapter_times))
    if not placeholders:
        return
    splits = chapter_splits(app)
    for node in placeholders:
        node.replace_self(_table(splits))


def _always_outdated(app, env, added, changed, removed) -> list[str]:
    # the page reads every chapter's execution: write it again at every build
    return sorted(
        doc
        for doc in env.found_docs
        if doc.startswith("book/") and "{chapter-times}" in Path(env.doc2path(doc)).read_text()
    )


def setup(app):
    app.add_node(chapter_times)
    app.add_directive("chapter-times", ChapterTimes)
    app.connect("doctree-resolved", _fill)
    app.connect("env-get-outdated", _always_outdated)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
