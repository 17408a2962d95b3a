"""Claims: every number a chapter states is measured in the build and checked here.

A chapter makes one ``Claims("chapter-name")`` and calls ``claims.check(...)`` where
the measurement happens. A claim that fails raises ``ClaimFailed`` at once, so the
notebook (and the book build, and the test suite) fails loudly. At the end of the
chapter, displaying ``claims`` renders the table "Claims checked in this build".
When the environment variable CLAIMS_JSON names a file, each check appends one JSON
line {chapter, claim, value, threshold, passed} to it.
"""

from __future__ import annotations

import html
import json
import math
import os
from dataclasses import dataclass


class ClaimFailed(AssertionError):
    """A claim the chapter makes did not hold in this run."""


@dataclass(frozen=True)
class Claim:
    chapter: str
    claim: str
    value: float
    threshold: str
    passed: bool


def _number(value, name: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number, got {value!r}") from None
    return number


class Claims:
    """The claims of one chapter, in the order they were checked."""

    def __init__(self, chapter: str):
        if not chapter or not isinstance(chapter, str):
            raise ValueError(f"chapter must be a non-empty string, got {chapter!r}")
        self.chapter = chapter
        self.checked: list[Claim] = []

    def check(self, claim: str, value, *, below=None, above=None, equals=None) -> None:
        """Check that ``value`` is below and/or above a threshold, or equals a value.

        Records the claim (and appends it to CLAIMS_JSON if set); raises ClaimFailed if
        it does not hold.
        """
        if not claim or not isinstance(claim, str):
            raise ValueError(f"claim must be a non-empty sentence, got {claim!r}")
        if below is None and above is None and equals is None:
            raise ValueError("give a threshold: below=, above= and/or equals=")
        if equals is not None and (below is not None or above is not None):
            raise ValueError("equals= cannot be combined with below= or above=")
        value = _number(value, "value")
        parts, passed = [], math.isfinite(value) or equals is not None
        if equals is not None:
            passed = value == _number(equals, "equals")
            parts.append(f"= {equals:g}")
        if above is not None:
            passed = passed and value > _number(above, "above")
            parts.append(f"> {above:g}")
        if below is not None:
            passed = passed and value < _number(below, "below")
            parts.append(f"< {below:g}")
        record = Claim(self.chapter, claim, value, " and ".join(parts), bool(passed))
        self.checked.append(record)
        if os.environ.get("CLAIMS_JSON"):
            with open(os.environ["CLAIMS_JSON"], "a", encoding="utf-8") as out:
                out.write(json.dumps(record.__dict__) + "\n")
        if not record.passed:
            raise ClaimFailed(
                f"[{self.chapter}] claim failed: {claim}: measured {value:.6g}, required {record.threshold}"
            )

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(c.claim)}</td><td>{c.value:.4g}</td>"
            f"<td>{html.escape(c.threshold)}</td><td>{'&#10003; holds' if c.passed else '&#10007; FAILS'}</td></tr>"
            for c in self.checked
        )
        return (
            '<table class="dnl-claims"><caption>Claims checked in this build</caption>'
            "<thead><tr><th>claim</th><th>measured</th><th>required</th><th></th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )

    def __repr__(self) -> str:
        lines = [f"Claims checked in this build ({self.chapter}):"]
        lines += [f"  [{'ok' if c.passed else 'FAIL'}] {c.claim}: {c.value:.4g} ({c.threshold})" for c in self.checked]
        return "\n".join(lines)
