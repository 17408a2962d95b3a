"""helpers.exercises.check (the exercises' check cells) and helpers.timing (the cell times the
execution page splits)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
import torch

from helpers.exercises import ExerciseWrong, check
from helpers.timing import CellTimes, record_cells


def test_a_right_answer_says_so(capsys):
    check("x-ex-one", 0.1 + 0.2, 0.3, rtol=1e-9, hint="add them")
    check("x-ex-two", np.array([1.0, 2.0]), [1, 2.0000001], rtol=1e-6, hint="h")
    check("x-ex-three", torch.tensor(3.0), 3, hint="h")
    check("x-ex-four", True, np.bool_(True), hint="h")
    check("x-ex-five", [3, 1, 2], np.array([1, 2, 3]), same_set=True, hint="h")
    assert capsys.readouterr().out.count("right.") == 5


def test_a_wrong_answer_gives_the_hint_and_never_the_value():
    with pytest.raises(ExerciseWrong) as wrong:
        check("x-ex-one", 0.25, 0.123456, rtol=0.01, hint="look at the last step")
    message = str(wrong.value)
    assert "look at the last step" in message and "0.123" not in message and "x-ex-one" in message
    with pytest.raises(ExerciseWrong, match="True or False"):
        check("x-ex-two", 1, True, hint="h")
    with pytest.raises(ExerciseWrong, match="not yet right"):
        check("x-ex-three", [1, 2], [1, 3], same_set=True, hint="h")
    with pytest.raises(ExerciseWrong, match="not yet right"):
        check("x-ex-four", False, True, hint="h")


@pytest.mark.parametrize(
    "answer, expected, message",
    [
        (None, 1.0, "no answer yet"),
        (..., 1.0, "no answer yet"),
        ([1.0, 2.0], 1.0, "a single number, got shape"),
        (np.ones(3), np.ones(4), r"shape \(4,\)"),
        (float("nan"), 1.0, "NaN or infinity"),
        ("ten", 10.0, "a number or an array"),
    ],
)
def test_an_answer_of_the_wrong_kind_says_what_is_expected(answer, expected, message):
    with pytest.raises(ExerciseWrong, match=message):
        check("x-ex-kind", answer, expected, hint="h")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"exercise": "Ex 1"}, "exercise must be an id"),
        ({"exercise": "single"}, "exercise must be an id"),
        ({"hint": "  "}, "hint must be a non-empty sentence"),
        ({"rtol": -1.0}, "rtol"),
        ({"atol": float("nan")}, "atol"),
        ({"expected": float("inf")}, "expected must be finite"),
    ],
)
def test_a_bad_check_is_refused_naming_the_parameter(kwargs, message):
    call = {"exercise": "x-ex-bad", "answer": 1.0, "expected": 1.0, "hint": "h", **kwargs}
    with pytest.raises((ValueError, TypeError), match=message):
        check(**call)


class FakeShell:
    """What CellTimes uses of an IPython shell: its events."""

    def __init__(self):
        self.callbacks = {}
        self.events = SimpleNamespace(register=lambda name, f: self.callbacks.setdefault(name, f))

    def run_cell(self, count):
        self.callbacks["pre_run_cell"](None)
        self.callbacks["post_run_cell"](SimpleNamespace(execution_count=count))


def test_cell_times_are_kept_by_execution_count_after_the_start_up():
    shell = FakeShell()
    times = CellTimes(shell)
    times.start()
    shell.callbacks["post_run_cell"](SimpleNamespace(execution_count=4))  # the imports cell
    assert times.startup > 0  # from the kernel process's start (Linux /proc)
    assert times.cells == {}  # the start-up's cell is not a cell time
    shell.run_cell(5)
    shell.run_cell(6)
    recorded = times.as_dict()
    assert sorted(recorded["cells"]) == ["5", "6"]
    assert all(v >= 0 for v in recorded["cells"].values())


def test_no_recording_outside_ipython():
    assert record_cells() is None
