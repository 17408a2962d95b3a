"""Point the book at another repository (a fork): one command updates every place that names it.

    python tools/set_repository.py https://github.com/you/your-fork

The repository URL lives in _config.yml (repository.url: launch buttons, the repository
button); the book's version lives in pyproject.toml ([project] version, also
helpers.__version__). Every chapter's Colab cell installs  git+<url>@v<version>,  and the
front matter and README show the URL for `git clone`. This script rewrites all of them;
tests/test_chapters.py checks that they agree. The publishing workflow
(.github/workflows/book.yml) creates the tag v<version> when main is published, so the
Colab cells name something that exists.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def current_url(root: Path = ROOT) -> str:
    match = re.search(r"^repository:\s*\n\s+url:\s*(\S+)", (root / "_config.yml").read_text(), re.M)
    if not match:
        raise SystemExit("_config.yml has no repository: url: entry")
    return match.group(1)


def places(root: Path = ROOT) -> list[Path]:
    """Every file that names the repository: config, chapters, front matter, README."""
    return [
        root / "_config.yml",
        root / "README.md",
        *sorted((root / "book").glob("*.md")),
        *sorted((root / "chapters").glob("*.ipynb")),
    ]


def set_repository(new: str, root: Path = ROOT) -> list[Path]:
    if not re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", new):
        raise SystemExit(f"give the repository as https://github.com/OWNER/NAME, got {new!r}")
    old = current_url(root)
    changed = []
    for path in places(root):
        text = path.read_text(encoding="utf-8")
        if old in text:
            if path.suffix == ".ipynb":  # keep the notebook's JSON layout
                nb = json.loads(text)
                for cell in nb["cells"]:
                    cell["source"] = [line.replace(old, new) for line in cell["source"]]
                text = json.dumps(nb, indent=1, ensure_ascii=False) + "\n"
            else:
                text = text.replace(old, new)
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    for path in set_repository(sys.argv[1]):
        print("updated", path.relative_to(ROOT))
