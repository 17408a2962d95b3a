"""The chapters' benchmark (make bench): each chapter run alone, in build mode, timed.

    python tools/bench.py [CHAPTER ...] [--seed 0] [--update-docs]

Runs each chapter (default: all) one after the other with papermill, as the book build runs it
(explorer frames rendered: DNL_STATIC_EXPLORERS=1; kernel start included), and writes
_build/bench/bench.md and bench.json: total, kernel start and imports, training, explorer
frames, exercises, the rest, and the three slowest cells, with the sum over chapters. The
parts are the execution page's (book/_ext/execution_split.py: cells tagged ``training``,
cells that call ``explore``, nbgrader's exercise cells), timed here by papermill per cell.
``--update-docs`` writes the table into README.md and each chapter's time into the "runs
in" column of book/teachers.md: those timings are never typed by hand.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import re
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "_build" / "bench"
BUDGET = 30.0  # seconds per chapter, alone, in build mode (issue #31)
TOTAL_BUDGET = 200.0
README_BEGIN, README_END = "<!-- bench:begin -->", "<!-- bench:end -->"


def _cell_part():
    path = ROOT / "book" / "_ext" / "execution_split.py"
    spec = importlib.util.spec_from_file_location("execution_split", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.cell_part


def run_chapter(chapter: Path, seed: int) -> dict:
    """Execute ``chapter`` alone with papermill in build mode; its timings."""
    import papermill

    cell_part = _cell_part()
    env = {"DNL_STATIC_EXPLORERS": "1", "DNL_QUIET": "1"}
    saved = {k: os.environ.get(k) for k in (*env, "CLAIMS_JSON")}
    os.environ.update(env)
    os.environ.pop("CLAIMS_JSON", None)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / chapter.name
            start = time.perf_counter()
            papermill.execute_notebook(
                str(chapter),
                str(out),
                parameters={"SEED": seed},
                kernel_name="python3",
                cwd=str(chapter.parent),
                progress_bar=False,
            )
            total = time.perf_counter() - start
            nb = nbformat.read(out, as_version=4)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    code = [c for c in nb.cells if c.cell_type == "code"]
    imports = next(i for i, c in enumerate(code) if "from helpers" in c.source)
    seconds = [float(c.metadata.get("papermill", {}).get("duration") or 0.0) for c in code]
    parts = {"training": 0.0, "explorer frames": 0.0, "exercises": 0.0}
    for cell, s in zip(code[imports + 1 :], seconds[imports + 1 :]):
        part = cell_part(cell)
        if part in parts:
            parts[part] += s
    startup = total - sum(seconds[imports + 1 :])  # kernel start, papermill, cells to imports
    rest = total - startup - sum(parts.values())
    slowest = sorted(
        ((s, c.source.strip().splitlines()[0][:50]) for c, s in zip(code, seconds)), reverse=True
    )[:3]
    return {
        "chapter": chapter.stem,
        "total": total,
        "start-up": startup,
        **parts,
        "rest": rest,
        "slowest": slowest,
    }


COLUMNS = ("total", "start-up", "training", "explorer frames", "exercises", "rest")


def table(rows: list[dict]) -> str:
    head = (
        "| chapter | total (s) | kernel start and imports | training | explorer frames "
        "| exercises | the rest | three slowest cells (s) |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- |\n"
    )
    body = ""
    for r in rows:
        slow = "; ".join(f"{s:.1f} `{line.replace('|', '/')}`" for s, line in r["slowest"])
        over = " (over the 30 s budget)" if r["total"] > BUDGET else ""
        body += (
            f"| {r['chapter']} | {r['total']:.1f}{over} | "
            + " | ".join(f"{r[c]:.1f}" for c in COLUMNS[1:])
            + f" | {slow} |\n"
        )
    total = sum(r["total"] for r in rows)
    sums = " | ".join(f"{sum(r[c] for r in rows):.1f}" for c in COLUMNS[1:])
    body += f"| **sum** | **{total:.1f}** | {sums} | |\n"
    return head + body


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def update_docs(rows: list[dict], when: str) -> None:
    text = table(rows)
    readme = ROOT / "README.md"
    content = readme.read_text()
    block = (
        f"{README_BEGIN}\nMeasured by `make bench` on {when} ({machine()}): each chapter alone, in "
        "build mode (explorer frames rendered, kernel start included), at SEED=0.\n\n"
        f"{text}{README_END}"
    )
    if README_BEGIN in content:
        content = re.sub(
            re.escape(README_BEGIN) + ".*?" + re.escape(README_END), block, content, flags=re.S
        )
    else:
        raise SystemExit(f"README.md has no {README_BEGIN} ... {README_END} block to update")
    readme.write_text(content)
    teachers = ROOT / "book" / "teachers.md"
    lines = teachers.read_text().splitlines(keepends=True)
    by_name = {r["chapter"]: r for r in rows}
    for i, line in enumerate(lines):
        match = re.match(r"\| \[[^\]]+\]\(\.\./chapters/(\w+)\) \|", line)
        if match and match.group(1) in by_name:
            cells = line.split(" | ")
            cells[2] = f"{by_name[match.group(1)]['total']:.0f} s (make bench, {when})"
            lines[i] = " | ".join(cells)
    teachers.write_text("".join(lines))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("chapters", nargs="*", help="chapter names (default: every chapter)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--update-docs", action="store_true")
    args = parser.parse_args(argv)
    every = sorted((ROOT / "chapters").glob("*.ipynb"))
    names = {c.stem: c for c in every}
    unknown = [n for n in args.chapters if n not in names]
    if unknown:
        parser.error(f"unknown chapters {unknown}; the chapters are {sorted(names)}")
    chosen = [names[n] for n in args.chapters] if args.chapters else every
    rows = []
    for chapter in chosen:
        rows.append(run_chapter(chapter, args.seed))
        print(f"{chapter.stem}: {rows[-1]['total']:.1f} s", flush=True)
    OUT.mkdir(parents=True, exist_ok=True)
    text = table(rows)
    (OUT / "bench.md").write_text(text)
    (OUT / "bench.json").write_text(json.dumps({"machine": machine(), "rows": rows}, indent=1))
    print(text)
    if args.update_docs:
        if len(rows) != len(every):
            parser.error("--update-docs needs every chapter")
        update_docs(rows, time.strftime("%Y-%m-%d"))
    over = [r["chapter"] for r in rows if r["total"] > BUDGET]
    total = sum(r["total"] for r in rows)
    print(f"sum {total:.1f} s (budget {TOTAL_BUDGET:.0f}); over {BUDGET:.0f} s: {over or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
