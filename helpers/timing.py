"""How long a chapter took, cell by cell, measured inside its own kernel.

``record_cells()`` (called by ``Claims``, so every chapter records) hooks IPython's
``pre_run_cell`` and ``post_run_cell`` events and keeps each cell's wall-clock seconds by its
execution count, plus the start-up: the seconds from the kernel process's start to the end of
the cell that began the recording (the imports). The claims table carries these times in its
output's metadata (under ``CELL_TIMES_KEY``), so the book's execution page can split every chapter's
run time into start-up, training, explorer frames, exercises and the rest, from the build's
own executions. Outside IPython nothing is recorded.
"""

from __future__ import annotations

import os
import time

CELL_TIMES_KEY = "dnl_cell_times"


def _process_age() -> float | None:
    """Seconds since this process started (Linux /proc), or None where it cannot be read."""
    try:
        with open(f"/proc/{os.getpid()}/stat", encoding="ascii") as f:
            ticks = int(f.read().rsplit(")", 1)[1].split()[19])  # field 22: starttime
        with open("/proc/uptime", encoding="ascii") as f:
            uptime = float(f.read().split()[0])
        return uptime - ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


class CellTimes:
    """The seconds of every cell run since ``start`` (by execution count) and the start-up."""

    def __init__(self, shell):
        self.shell = shell
        self.cells: dict[int, float] = {}
        self.startup: float | None = None
        self._began: float | None = None
        self._age_at_start = _process_age()
        self._started_at = time.perf_counter()

    def start(self) -> None:
        self.shell.events.register("pre_run_cell", self._pre)
        self.shell.events.register("post_run_cell", self._post)

    def _pre(self, info=None) -> None:
        self._began = time.perf_counter()

    def _post(self, result=None) -> None:
        now = time.perf_counter()
        if self._began is None:  # the cell that started the recording: the start-up ends here
            if self._age_at_start is not None:
                self.startup = self._age_at_start + (now - self._started_at)
        else:
            count = getattr(result, "execution_count", None)
            if count is not None:
                self.cells[int(count)] = now - self._began
        self._began = None

    def as_dict(self) -> dict:
        return {"startup": self.startup, "cells": {str(k): v for k, v in self.cells.items()}}


_RECORDER: CellTimes | None = None


def record_cells() -> CellTimes | None:
    """Start recording this kernel's cell times (once per kernel); None outside IPython."""
    global _RECORDER
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    if shell is None or not hasattr(shell, "events"):
        return None
    if _RECORDER is None or _RECORDER.shell is not shell:
        _RECORDER = CellTimes(shell)
        _RECORDER.start()
    return _RECORDER
