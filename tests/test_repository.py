"""One source of truth for where the book lives: _config.yml's repository.url and
pyproject's version; tools/set_repository.py moves every mention to a fork."""

from __future__ import annotations

import importlib.util
import re
import shutil

from conftest import ROOT

spec = importlib.util.spec_from_file_location(
    "set_repository", ROOT / "tools" / "set_repository.py"
)
set_repository = importlib.util.module_from_spec(spec)
spec.loader.exec_module(set_repository)
GITHUB = re.compile(r"https://github\.com/[\w.-]+/[\w.-]+")


def mentions(root):
    return {
        (path.name, url.removesuffix(".git"))
        for path in set_repository.places(root)
        for url in GITHUB.findall(path.read_text(encoding="utf-8"))
    }


def test_every_mention_of_the_repository_is_the_configured_one():
    url = set_repository.current_url()
    assert {u for _, u in mentions(ROOT)} == {url}
    assert len(mentions(ROOT)) >= 1 + len(list((ROOT / "chapters").glob("*.ipynb")))


def test_set_repository_moves_every_mention(tmp_path):
    for name in ("_config.yml", "README.md"):
        shutil.copy(ROOT / name, tmp_path)
    shutil.copytree(ROOT / "book", tmp_path / "book")
    shutil.copytree(ROOT / "chapters", tmp_path / "chapters")
    fork = "https://github.com/someone/a-fork"
    changed = set_repository.set_repository(fork, root=tmp_path)
    assert set_repository.current_url(tmp_path) == fork
    assert {u for _, u in mentions(tmp_path)} == {fork}
    assert len(changed) == len(mentions(ROOT))
    for chapter in (tmp_path / "chapters").glob("*.ipynb"):
        assert f'RELEASE = \\"git+{fork}@v' in chapter.read_text()
