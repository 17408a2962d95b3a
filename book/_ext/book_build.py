"""What the book build needs beyond Jupyter Book's own configuration.

1. Executed chapters are cached by jupyter-cache, keyed on their code cells only,
   and Sphinx re-reads a page only when its source changes: a change in helpers/
   would otherwise leave stale outputs in the book. This extension hashes helpers/;
   when the hash changes it clears the execution cache and marks every notebook
   outdated, so each chapter is executed again with the new helpers.
2. sphinx-thebe (which Jupyter Book always loads) registers its inline config script
   twice, and the second `const THEBE_JS_URL` is a JavaScript error on every page;
   each page's scripts are de-duplicated here.
3. Kernels started by the build inherit DNL_STATIC_EXPLORERS=1 (explorers render
   their frames for the static page) and DNL_QUIET=1 (no progress bars).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)


def helpers_digest(root: Path) -> str:
    """SHA-256 over every file of the helper package (path and content)."""
    digest = hashlib.sha256()
    for path in sorted((root / "helpers").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _on_config_inited(app, config) -> None:
    os.environ["DNL_STATIC_EXPLORERS"] = "1"
    os.environ["DNL_QUIET"] = "1"
    # the same default as myst-nb's when _config.yml names no cache folder
    cache = Path(config.nb_execution_cache_path or Path(app.outdir).parent / ".jupyter_cache").resolve()
    stamp = cache.with_name(cache.name + ".helpers-sha256")
    current = helpers_digest(Path(app.srcdir))
    app.dnl_helpers_changed = not (stamp.exists() and stamp.read_text().strip() == current)
    if not app.dnl_helpers_changed:
        return
    if cache.exists():
        logger.info("[book_build] helpers/ changed since the last build: clearing the execution cache")
        shutil.rmtree(cache)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(current + "\n")


def _outdated_notebooks(app, env, added, changed, removed) -> list[str]:
    if not getattr(app, "dnl_helpers_changed", False):
        return []
    return sorted(doc for doc in env.found_docs if str(env.doc2path(doc)).endswith(".ipynb"))


def _unique_scripts(app, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    unique, seen = [], set()
    for script in scripts:
        # one inline copy has filename None and the other '': compare what the page gets
        key = (
            getattr(script, "filename", script) or "",
            repr(sorted(getattr(script, "attributes", {}).items())),
        )
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def setup(app):
    # config-inited comes before myst-nb opens the cache (at builder-inited)
    app.connect("config-inited", _on_config_inited)
    app.connect("env-get-outdated", _outdated_notebooks)
    app.connect("html-page-context", _unique_scripts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
