"""One formatter and one linter for helpers, tests, the build extension and the chapters,
configured in pyproject.toml (ruff, line length 100: what a code cell shows uncut)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

PATHS = ["helpers", "tests", "book/_ext", "tools", "chapters"]


def ruff(*args) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("ruff")
    exe = str(exe) if exe.exists() else shutil.which("ruff")
    if exe is None:
        pytest.fail("ruff is not installed (requirements-test.txt)")
    return subprocess.run([exe, *args, *PATHS], cwd=ROOT, capture_output=True, text=True)


def test_code_is_formatted():
    result = ruff("format", "--check")
    assert result.returncode == 0, (
        f"run `ruff format {' '.join(PATHS)}`:\n{result.stdout}{result.stderr}"
    )


def test_code_passes_the_linter():
    result = ruff("check")
    assert result.returncode == 0, result.stdout + result.stderr
