"""Exercises that check themselves: ``check`` says whether a student's answer is right and,
when it is not, gives a hint, never the expected value.

Each computational exercise of a chapter is three cells (nbgrader's layout, so a teacher's
nbgrader course takes the chapter as it is):

- a solution cell (``nbgrader: solution``) whose instructor's code lies between
  ``### BEGIN SOLUTION`` and ``### END SOLUTION``: the student edition replaces it with
  ``raise NotImplementedError()``;
- a check cell (``nbgrader: grade``, with points) that calls ``check`` against a reference the
  cell computes from what the chapter has already trained, and may hold stricter checks
  between ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS`` (removed from the student
  edition, put back by ``nbgrader autograde``).

A wrong answer raises ``ExerciseWrong`` (nbgrader scores the cell zero); a right one prints a
line on stdout. Nothing after an exercise may use what it computes.
"""

from __future__ import annotations

import re

import numpy as np

from .checks import number

EXERCISE_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)+$")


class ExerciseWrong(AssertionError):
    """The answer to an exercise is not right (the message carries the hint)."""


def _as_array(value, exercise: str) -> np.ndarray:
    if hasattr(value, "detach"):  # a torch tensor
        value = value.detach().cpu().numpy()
    try:
        out = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ExerciseWrong(
            f"Exercise {exercise}: the answer must be a number or an array of numbers, "
            f"got {type(value).__name__}."
        ) from None
    return out


def check(
    exercise: str,
    answer,
    expected,
    *,
    hint: str,
    rtol: float = 0.0,
    atol: float = 0.0,
    same_set: bool = False,
) -> None:
    """Say whether ``answer`` is right: equal to ``expected`` within ``rtol`` and ``atol``
    (numbers and arrays, elementwise; booleans exactly; ``same_set=True`` compares collections
    as sets). On a wrong answer raise ExerciseWrong with ``hint``; the expected value is never
    shown."""
    if not isinstance(exercise, str) or not EXERCISE_ID.match(exercise):
        raise ValueError(
            f"exercise must be an id of lower-case words joined by '-', got {exercise!r}"
        )
    if not isinstance(hint, str) or not hint.strip():
        raise ValueError("hint must be a non-empty sentence that helps without the answer")
    rtol = number(rtol, "rtol", low=0.0)
    atol = number(atol, "atol", low=0.0)
    if answer is None or answer is Ellipsis:
        raise ExerciseWrong(f"Exercise {exercise}: no answer yet. {hint}")
    right = _compare(exercise, answer, expected, rtol, atol, same_set)
    if not right:
        raise ExerciseWrong(f"Exercise {exercise}: not yet right. Hint: {hint}")
    print(f"Exercise {exercise}: right.")


def _compare(exercise, answer, expected, rtol, atol, same_set) -> bool:
    if isinstance(expected, (bool, np.bool_)):
        if not isinstance(answer, (bool, np.bool_)):
            raise ExerciseWrong(
                f"Exercise {exercise}: the answer is True or False, got {type(answer).__name__}."
            )
        return bool(answer) == bool(expected)
    if same_set:
        try:
            got, want = (
                set(np.asarray(answer).ravel().tolist()),
                set(np.asarray(expected).ravel().tolist()),
            )
        except TypeError:
            raise ExerciseWrong(
                f"Exercise {exercise}: the answer must be a collection of values."
            ) from None
        return got == want
    want = _as_array(expected, exercise)
    if not np.all(np.isfinite(want)):
        raise ValueError(f"expected must be finite for exercise {exercise}, got {expected!r}")
    got = _as_array(answer, exercise)
    if got.shape != want.shape:
        what = "a single number" if want.ndim == 0 else f"an array of shape {want.shape}"
        raise ExerciseWrong(
            f"Exercise {exercise}: the answer should be {what}, got shape {got.shape}."
        )
    if not np.all(np.isfinite(got)):
        raise ExerciseWrong(f"Exercise {exercise}: the answer holds NaN or infinity.")
    return bool(np.allclose(got, want, rtol=rtol, atol=atol))
