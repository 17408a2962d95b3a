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
4. MathJax ships with the book: the pinned django-static-mathjax package's single-file
   SVG build (tex-svg-full.js: every TeX extension, no web fonts to fetch) is copied into
   the static files and Sphinx's mathjax_path points at it, so formulas render in a
   classroom with no network, and from file:// (no CDN at all).
5. Every figure's image gets an alt text that says what it shows, the first sentence of its
   caption (the cell's ``mystnb.figure.caption``), instead of its file name, which is what a
   screen reader would otherwise read aloud; an alt text given in the cell's metadata
   (``mystnb.image.alt``) is kept.
6. The bibliography's entries carry the ARIA role ``listitem`` instead of the deprecated
   ``doc-biblioentry`` that docutils writes: the list around them (role ``list``) must hold
   list items, and axe-core reports the mismatch as a critical violation.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import shutil
from pathlib import Path

from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)


def helpers_digest(root: Path) -> str:
    """SHA-256 over every file of the helper package (path and content)."""
    digest = hashlib.sha256()
    for path in sorted((root / "helpers").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def execution_cache_path(app, config) -> Path:
    """The build's jupyter-cache folder: myst-nb's default when _config.yml names none."""
    return Path(config.nb_execution_cache_path or Path(app.outdir).parent / ".jupyter_cache")


def _on_config_inited(app, config) -> None:
    os.environ["DNL_STATIC_EXPLORERS"] = "1"
    os.environ["DNL_QUIET"] = "1"
    cache = execution_cache_path(app, config).resolve()
    stamp = cache.with_name(cache.name + ".helpers-sha256")
    current = helpers_digest(Path(app.srcdir))
    app.dnl_helpers_changed = not (stamp.exists() and stamp.read_text().strip() == current)
    if not app.dnl_helpers_changed:
        return
    if cache.exists():
        logger.info(
            "[book_build] helpers/ changed since the last build: clearing the execution cache"
        )
        shutil.rmtree(cache)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(current + "\n")


MATHJAX_FILE = "tex-svg-full.js"


def mathjax_source() -> Path:
    """The MathJax file of the installed django-static-mathjax package (requirements.txt)."""
    try:
        files = importlib.metadata.files("django-static-mathjax") or []
    except importlib.metadata.PackageNotFoundError:
        files = []
    for f in files:
        if str(f).endswith("es5/" + MATHJAX_FILE):
            return Path(f.locate())
    raise ExtensionError(
        "MathJax is missing: install django-static-mathjax (pinned in requirements.txt); "
        "the book ships MathJax with its pages instead of loading it from a CDN"
    )


def _ship_mathjax(app, config) -> None:
    staging = Path(app.outdir).parent / ".mathjax"  # copied into _static/ by Sphinx
    (staging / "mathjax").mkdir(parents=True, exist_ok=True)
    shutil.copy2(mathjax_source(), staging / "mathjax" / MATHJAX_FILE)
    config.html_static_path = [*config.html_static_path, str(staging)]
    config.mathjax_path = f"mathjax/{MATHJAX_FILE}"  # relative: served from _static


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


def first_sentence(text: str) -> str:
    """The caption's first sentence, on one line (an alt text is read aloud whole)."""
    text = " ".join(text.split())
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]


def _is_file_name(alt: str, uri: str) -> bool:
    return not alt.strip() or alt == uri or alt.rsplit(".", 1)[-1].lower() in {"png", "svg", "jpg"}


def _figure_alt_texts(app, doctree, docname) -> None:
    from docutils import nodes

    for figure in doctree.findall(nodes.figure):
        captions = list(figure.findall(nodes.caption))
        for image in figure.findall(nodes.image):
            if captions and _is_file_name(image.get("alt", ""), image.get("uri", "")):
                image["alt"] = first_sentence(captions[0].astext())


def _bibliography_roles(app, pagename, templatename, context, doctree) -> None:
    body = context.get("body")
    if body and 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


def setup(app):
    # config-inited comes before myst-nb opens the cache (at builder-inited)
    app.connect("config-inited", _on_config_inited)
    app.connect("config-inited", _ship_mathjax)
    app.connect("env-get-outdated", _outdated_notebooks)
    app.connect("html-page-context", _unique_scripts)
    app.connect("doctree-resolved", _figure_alt_texts)
    app.connect("html-page-context", _bibliography_roles)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
