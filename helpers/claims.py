"""Claims: every number a chapter states is measured in the build and checked here.

A chapter makes one ``Claims("chapter-name")`` and calls ``claims.check(...)`` (a number
against a threshold), ``claims.holds(...)`` (a yes/no statement) or
``claims.raises(...)`` (an expected error) where the measurement happens. A claim that
fails raises ``ClaimFailed`` at once, so the notebook (and the book build, and the test
suite) fails loudly. At the end of the chapter, displaying ``claims`` renders the table
"Claims checked in this build". When the environment variable CLAIMS_JSON names a file,
each check appends one JSON line {chapter, claim, value, threshold, passed} to it.
"""

from __future__ import annotations

import html
import json
import math
import os
from dataclasses import dataclass

import numpy as np


class ClaimFailed(AssertionError):
    """A claim the chapter makes did not hold in this run."""


@dataclass(frozen=True)
class Claim:
    chapter: str
    claim: str
    value: float
    threshold: str
    passed: bool
    kind: str = "finding"  # or "sanity": an identity the code must satisfy, not a finding


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

    def check(
        self, claim: str, value, *, below=None, above=None, equals=None, sanity: bool = False
    ) -> None:
        """Check that ``value`` is below and/or above a threshold, or equals a value.

        Records the claim (and appends it to CLAIMS_JSON if set); raises ClaimFailed if
        it does not hold. ``sanity=True`` marks an identity the code must satisfy (a check of
        the code, listed apart from the findings about learning).
        """
        if below is None and above is None and equals is None:
            raise ValueError("give a threshold: below=, above= and/or equals=")
        if equals is not None and (below is not None or above is not None):
            raise ValueError("equals= cannot be combined with below= or above=")
        value = _number(value, "value")
        parts, passed = [], math.isfinite(value) or equals is not None
        if equals is not None:
            equals = _number(equals, "equals")
            passed = value == equals
            parts.append(f"= {equals:g}")
        if above is not None:
            above = _number(above, "above")
            passed = passed and value > above
            parts.append(f"> {above:g}")
        if below is not None:
            below = _number(below, "below")
            passed = passed and value < below
            parts.append(f"< {below:g}")
        self._record(claim, value, " and ".join(parts), bool(passed), sanity)

    def holds(self, claim: str, condition, *, sanity: bool = False) -> None:
        """Check a yes/no claim (a boolean, e.g. ``np.all(np.diff(times) > 0)``)."""
        if not isinstance(condition, (bool, np.bool_)):
            raise TypeError(f"condition must be a boolean (True/False), got {condition!r}")
        self._record(claim, float(bool(condition)), "true", bool(condition), sanity)

    def raises(
        self, claim: str, error: type[BaseException], fn, *args, sanity: bool = False, **kwargs
    ):
        """Check that ``fn(*args, **kwargs)`` raises ``error`` (e.g. a diverging run that the
        training loop stops); returns the exception so the chapter can show its message."""
        if not (isinstance(error, type) and issubclass(error, BaseException)):
            raise TypeError(f"error must be an exception class, got {error!r}")
        try:
            fn(*args, **kwargs)
        except error as caught:
            self._record(claim, 1.0, f"raises {error.__name__}", True, sanity)
            return caught
        self._record(claim, 0.0, f"raises {error.__name__}", False, sanity)
        return None

    def _record(self, claim: str, value: float, threshold: str, passed: bool, sanity: bool) -> None:
        if not claim or not isinstance(claim, str):
            raise ValueError(f"claim must be a non-empty sentence, got {claim!r}")
        record = Claim(
            self.chapter, claim, value, threshold, passed, "sanity" if sanity else "finding"
        )
        self.checked.append(record)
        if os.environ.get("CLAIMS_JSON"):
            with open(os.environ["CLAIMS_JSON"], "a", encoding="utf-8") as out:
                out.write(json.dumps(record.__dict__) + "\n")
        if not passed:
            raise ClaimFailed(
                f"[{self.chapter}] claim failed: {claim}: "
                f"measured {value:.6g}, required {threshold}"
            )

    def _repr_html_(self) -> str:
        def rows(kind):
            return "".join(
                f"<tr><td>{html.escape(c.claim)}</td><td>{c.value:.4g}</td>"
                f"<td>{html.escape(c.threshold)}</td>"
                f"<td>{'&#10003; holds' if c.passed else '&#10007; FAILS'}</td></tr>"
                for c in self.checked
                if c.kind == kind
            )

        head = "<thead><tr><th>claim</th><th>measured</th><th>required</th><th></th></tr></thead>"
        sanity = rows("sanity")
        return (
            '<table class="dnl-claims"><caption>Claims checked in this build</caption>'
            f"{head}<tbody>{rows('finding')}</tbody></table>"
            + (
                '<table class="dnl-claims dnl-sanity"><caption>Checks of the code (identities '
                "that hold whatever is learned)</caption>"
                f"{head}<tbody>{sanity}</tbody></table>"
                if sanity
                else ""
            )
        )

    def __repr__(self) -> str:
        lines = [f"Claims checked in this build ({self.chapter}):"]
        lines += [
            f"  [{'ok' if c.passed else 'FAIL'}] {c.claim}: {c.value:.4g} ({c.threshold})"
            for c in self.checked
        ]
        return "\n".join(lines)
