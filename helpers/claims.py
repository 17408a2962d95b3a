"""Claims: every number a chapter states is measured in the build and checked here.

A chapter makes one ``Claims("chapter_name", prefix="short")`` and checks each claim where
the measurement happens. Every claim has a stable id (``"grok-delay"``: the chapter's prefix,
then lower-case words joined by hyphens), unique in the book, so other pages can point at it.

A FINDING is a comparison with its CONTROL, measured in the same run: the control is what
the measurement gives when the phenomenon is absent (random labels, an untrained network,
a shuffled order, the other arm, a null), and a finding holds only if it beats it:

- ``claims.check(id, claim, value, above=/below=/equals=, control=c, control_label="...")``:
  ``value`` passes the threshold and the control's value ``c`` does NOT;
- ``claims.beats(id, claim, value, control=c, control_label="...", margin=m)`` (or
  ``ratio=r``): ``value > c + m`` (or ``value > r * c``); ``better="lower"`` turns it round;
- ``claims.holds(id, claim, condition, control=c, control_label="...")``: ``condition`` is
  True and the same statement about the control arm, ``c``, is False;
- ``vs_theory="k - 1"`` instead of a measured control where the comparison is with a derived
  value (nothing can be measured as the control);
- ``control="none yet"`` where the honest control needs the chapter's open revision: allowed,
  and shown plainly as missing in the table.

A finding with none of these is refused with an error that says what to add. A SANITY check
(``sanity=True``: an identity the code must satisfy whatever is learned) needs no control and
is listed apart. A claim that fails raises ``ClaimFailed`` at once, so the notebook (and the
book build, and the test suite) fails loudly. A claim that cannot fail (an infinite or NaN
threshold) is refused; a NaN value, or a NaN control, always fails.

Displaying ``claims`` renders the table "Claims checked in this build" (claim | measured |
control | required | verdict). When the environment variable CLAIMS_JSON names a file, each
claim appends one JSON line {chapter, id, claim, value, threshold, passed, kind, control,
control_value} to it. The table's output metadata also carries the chapter's cell
times (``helpers.timing``), which the book's execution page reads.
"""

from __future__ import annotations

import html
import json
import math
import os
import re
from dataclasses import asdict, dataclass

import numpy as np

from .timing import CELL_TIMES_KEY, record_cells

NONE_YET = "none yet"
ID_FORMAT = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)+$")
_ADD_A_CONTROL = (
    "a finding needs its control, measured in the same run: pass control=<the same measurement "
    "where the phenomenon is absent> with control_label='what it is' (random labels, untrained, "
    "the other arm, ...), or vs_theory='the derived value' where nothing can be measured; "
    f"control={NONE_YET!r} marks a control still to be built; an identity of the code is "
    "sanity=True"
)


class ClaimFailed(AssertionError):
    """A claim the chapter makes did not hold in this run."""


@dataclass(frozen=True)
class Claim:
    chapter: str
    id: str
    claim: str
    value: float
    threshold: str
    passed: bool
    kind: str = "finding"  # or "sanity": an identity the code must satisfy, not a finding
    control: str | None = None  # the label, "theory: ...", "none yet"; None for sanity checks
    control_value: float | None = None  # the control's measured value; None for theory

    @property
    def missing_control(self) -> bool:
        return self.control == NONE_YET


def _number(value, name: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number, got {value!r}") from None
    return number


def _threshold(value, name: str) -> float:
    number = _number(value, name)
    if not math.isfinite(number):
        raise ValueError(
            f"{name} must be a finite number (a claim that cannot fail), got {value!r}"
        )
    return number


def _fmt(value) -> str:
    return f"{value:.4g}"


@dataclass(frozen=True)
class _Control:
    """What a finding is compared with: a measured value, a theory, or nothing yet."""

    label: str | None  # as stored in the JSON: label / "theory: ..." / "none yet" / None
    value: float | None  # the measured value (a number; booleans as 0/1); None if not measured

    @property
    def measured(self) -> bool:
        return self.value is not None


class Claims:
    """The claims of one chapter, in the order they were checked."""

    def __init__(self, chapter: str, prefix: str | None = None):
        if not chapter or not isinstance(chapter, str):
            raise ValueError(f"chapter must be a non-empty string, got {chapter!r}")
        prefix = chapter.replace("_", "-") if prefix is None else prefix
        if not isinstance(prefix, str) or not re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", prefix):
            raise ValueError(
                f"prefix must be lower-case letters and digits joined by hyphens, got {prefix!r}"
            )
        self.chapter = chapter
        self.prefix = prefix
        self.checked: list[Claim] = []
        self.times = record_cells()  # the chapter's cell times, shown with the table

    # ----------------------------------------------------------------------------------
    def check(
        self,
        id: str,
        claim: str,
        value,
        *,
        below=None,
        above=None,
        equals=None,
        control=None,
        control_label: str | None = None,
        vs_theory: str | None = None,
        sanity: bool = False,
    ) -> None:
        """Check that ``value`` is below and/or above a threshold, or equals a value; for a
        finding with a measured ``control``, the control's value must fail the same test."""
        if below is None and above is None and equals is None:
            raise ValueError("give a threshold: below=, above= and/or equals=")
        if equals is not None and (below is not None or above is not None):
            raise ValueError("equals= cannot be combined with below= or above=")
        parts = []
        if equals is not None:
            equals = _threshold(equals, "equals")
            parts.append(f"= {equals:g}")
        if above is not None:
            above = _threshold(above, "above")
            parts.append(f"> {above:g}")
        if below is not None:
            below = _threshold(below, "below")
            parts.append(f"< {below:g}")
        if above is not None and below is not None and not above < below:
            raise ValueError(f"above= must be smaller than below= (no value passes), got {parts}")

        def passes(x: float) -> bool:
            if math.isnan(x):
                return False
            if equals is not None:
                return x == equals
            ok = math.isfinite(x)
            ok = ok and (above is None or x > above)
            return ok and (below is None or x < below)

        value = _number(value, "value")
        ctrl = self._control(control, control_label, vs_theory, sanity, numeric=True)
        self._record(id, claim, value, " and ".join(parts), passes(value), sanity, ctrl, passes)

    def beats(
        self,
        id: str,
        claim: str,
        value,
        *,
        control,
        control_label: str,
        margin=None,
        ratio=None,
        better: str = "higher",
    ) -> None:
        """Check that ``value`` beats the control's value, measured in the same run: by more
        than ``margin`` (value - control > margin), or by a factor (value > ratio * control);
        with ``better="lower"``, control - value > margin (or value < control / ratio)."""
        if (margin is None) == (ratio is None):
            raise ValueError("give exactly one of margin= (a difference) or ratio= (a factor)")
        if better not in ("higher", "lower"):
            raise ValueError(f"better must be one of ['higher', 'lower'], got {better!r}")
        if control is None or isinstance(control, str):
            raise TypeError(f"control must be the control's measured value, got {control!r}")
        if margin is not None:
            margin = _threshold(margin, "margin")
            if margin < 0:
                raise ValueError(f"margin must be a finite number >= 0, got {margin!r}")
        if ratio is not None:
            ratio = _threshold(ratio, "ratio")
            if ratio < 1:
                raise ValueError(f"ratio must be a finite number >= 1, got {ratio!r}")
        value = _number(value, "value")
        ctrl = self._control(control, control_label, None, False, numeric=True)
        c = ctrl.value
        if margin is not None:
            sign, sym = ("+", ">") if better == "higher" else ("\u2212", "<")
            required = f"{sym} control {sign} {margin:g}" if margin else f"{sym} control"
            gap = value - c if better == "higher" else c - value
            passed = gap > margin
        else:
            required = (
                f"> {ratio:g} \u00d7 control" if better == "higher" else f"< control / {ratio:g}"
            )
            nonnegative = value >= 0 and c >= 0
            passed = nonnegative and (
                value > ratio * c if better == "higher" else value * ratio < c
            )
        passed = bool(passed) and math.isfinite(value) and math.isfinite(c)
        self._record(id, claim, value, required, passed, False, ctrl, None)

    def holds(
        self,
        id: str,
        claim: str,
        condition,
        *,
        control=None,
        control_label: str | None = None,
        vs_theory: str | None = None,
        sanity: bool = False,
    ) -> None:
        """Check a yes/no claim (a boolean, e.g. ``np.all(np.diff(times) > 0)``); for a
        finding with a measured ``control``, the same statement about the control arm (a
        boolean) must be False."""
        _boolean(condition, "condition")
        ctrl = self._control(control, control_label, vs_theory, sanity, numeric=False)
        value = float(bool(condition))
        self._record(id, claim, value, "true", bool(condition), sanity, ctrl, lambda x: x == 1.0)

    def raises(
        self,
        id: str,
        claim: str,
        error: type[BaseException],
        fn,
        *args,
        sanity: bool = False,
        control=None,
        control_label: str | None = None,
        vs_theory: str | None = None,
        **kwargs,
    ):
        """Check that ``fn(*args, **kwargs)`` raises ``error`` (e.g. a diverging run that the
        training loop stops); returns the exception so the chapter can show its message. A
        measured ``control`` is whether the control arm raised too (it must not have)."""
        if not (isinstance(error, type) and issubclass(error, BaseException)):
            raise TypeError(f"error must be an exception class, got {error!r}")
        ctrl = self._control(control, control_label, vs_theory, sanity, numeric=False)
        try:
            fn(*args, **kwargs)
        except error as caught:
            self._record(
                id, claim, 1.0, f"raises {error.__name__}", True, sanity, ctrl, lambda x: x == 1
            )
            return caught
        self._record(id, claim, 0.0, f"raises {error.__name__}", False, sanity, ctrl, None)
        return None

    # ----------------------------------------------------------------------------------
    def _control(self, control, label, vs_theory, sanity, *, numeric: bool) -> _Control:
        if sanity:
            if control is not None or label is not None or vs_theory is not None:
                raise ValueError(
                    "a sanity check (an identity of the code) takes no control: drop control=, "
                    "control_label= and vs_theory=, or make it a finding (sanity=False)"
                )
            return _Control(None, None)
        if vs_theory is not None:
            if control is not None or label is not None:
                raise ValueError("give either a measured control= or vs_theory=, not both")
            if not isinstance(vs_theory, str) or not vs_theory.strip():
                raise ValueError(f"vs_theory must name the derived value, got {vs_theory!r}")
            return _Control(f"theory: {vs_theory.strip()}", None)
        if isinstance(control, str) and control == NONE_YET:
            if label is not None:
                raise ValueError(f"control={NONE_YET!r} takes no control_label")
            return _Control(NONE_YET, None)
        if control is None:
            raise ValueError(_ADD_A_CONTROL)
        if isinstance(control, str):
            raise TypeError(
                f"control must be the control's measured value (or {NONE_YET!r}), got {control!r}"
            )
        if not isinstance(label, str) or not label.strip():
            raise ValueError(
                f"control_label must say what the control is (e.g. 'random labels'), got {label!r}"
            )
        if numeric:
            value = _number(control, "control")
        else:
            _boolean(control, "control")
            value = float(bool(control))
        return _Control(label.strip(), value)

    def _record(self, id, claim, value, threshold, passed, sanity, ctrl: _Control, passes):
        if not isinstance(id, str) or not ID_FORMAT.fullmatch(id):
            raise ValueError(
                f"id must be short lower-case words joined by hyphens (e.g. "
                f"'{self.prefix}-delay'), got {id!r}"
            )
        if not id.startswith(self.prefix + "-"):
            raise ValueError(
                f"id must start with this chapter's prefix {self.prefix + '-'!r}, got {id!r}"
            )
        if any(c.id == id for c in self.checked):
            raise ValueError(f"id {id!r} is already used by another claim of this chapter")
        if not claim or not isinstance(claim, str):
            raise ValueError(f"claim must be a non-empty sentence, got {claim!r}")
        control_passes = False
        if ctrl.measured and passes is not None:
            control_passes = passes(ctrl.value)
        control_nan = ctrl.measured and math.isnan(ctrl.value)  # nothing measured: no finding
        record = Claim(
            self.chapter,
            id,
            claim,
            value,
            threshold,
            bool(passed) and not control_passes and not control_nan,
            "sanity" if sanity else "finding",
            ctrl.label,
            ctrl.value,
        )
        self.checked.append(record)
        if os.environ.get("CLAIMS_JSON"):
            with open(os.environ["CLAIMS_JSON"], "a", encoding="utf-8") as out:
                out.write(json.dumps(asdict(record)) + "\n")
        if not record.passed:
            why = f"measured {value:.6g}, required {threshold}"
            if ctrl.measured:
                why += f"; control ({ctrl.label}) measured {ctrl.value:.6g}"
                if control_passes:
                    why += ", which passes too: the finding does not beat its control"
                if control_nan:
                    why += ": a control that measured nothing cannot be beaten"
            raise ClaimFailed(f"[{self.chapter}] claim failed: {id}: {claim}: {why}")

    # ----------------------------------------------------------------------------------
    @property
    def findings(self) -> list[Claim]:
        return [c for c in self.checked if c.kind == "finding"]

    @property
    def without_control(self) -> list[Claim]:
        """Findings whose control is still to be built (control="none yet")."""
        return [c for c in self.findings if c.missing_control]

    def _repr_html_(self) -> str:
        def verdict(c):
            return "&#10003; holds" if c.passed else "&#10007; FAILS"

        def control(c):
            if c.missing_control:
                return '<td class="dnl-missing">no control yet</td>'
            if c.control_value is None:
                return f'<td class="dnl-theory">{html.escape(c.control)}</td>'
            return f"<td>{html.escape(c.control)}: {_fmt(c.control_value)}</td>"

        def name(c):
            return f'{html.escape(c.claim)} <code class="dnl-claim-id">{c.id}</code>'

        findings = "".join(
            f'<tr id="claim-{c.id}"><td>{name(c)}</td><td>{_fmt(c.value)}</td>{control(c)}'
            f"<td>{html.escape(c.threshold)}</td><td>{verdict(c)}</td></tr>"
            for c in self.findings
        )
        sanity = "".join(
            f'<tr id="claim-{c.id}"><td>{name(c)}</td><td>{_fmt(c.value)}</td>'
            f"<td>{html.escape(c.threshold)}</td><td>{verdict(c)}</td></tr>"
            for c in self.checked
            if c.kind == "sanity"
        )
        missing = len(self.without_control)
        note = (
            f'<p class="dnl-missing-note">{missing} of {len(self.findings)} findings have no '
            "control yet: each is marked <em>no control yet</em> in the table.</p>"
            if missing
            else ""
        )
        head = (
            "<thead><tr><th>claim</th><th>measured</th><th>control (what it beats)</th>"
            "<th>required</th><th>verdict</th></tr></thead>"
        )
        sanity_head = (
            "<thead><tr><th>check</th><th>measured</th><th>required</th><th>verdict</th></tr>"
            "</thead>"
        )
        return (
            '<table class="dnl-claims"><caption>Claims checked in this build</caption>'
            f"{head}<tbody>{findings}</tbody></table>{note}"
            + (
                '<table class="dnl-claims dnl-sanity"><caption>Checks of the code (identities '
                "that hold whatever is learned)</caption>"
                f"{sanity_head}<tbody>{sanity}</tbody></table>"
                if sanity
                else ""
            )
        )

    def _repr_mimebundle_(self, include=None, exclude=None):
        # the table, with the chapter's cell times so far in the output's metadata (read by
        # the book's execution page; no renderer sees them)
        bundle = {"text/html": self._repr_html_(), "text/plain": repr(self)}
        if self.times is None:
            return bundle
        return bundle, {CELL_TIMES_KEY: self.times.as_dict()}

    def __repr__(self) -> str:
        def control(c):
            if c.kind == "sanity":
                return "sanity check"
            if c.control_value is None:
                return f"control: {c.control}"
            return f"control {c.control}: {_fmt(c.control_value)}"

        lines = [f"Claims checked in this build ({self.chapter}):"]
        lines += [
            f"  [{'ok' if c.passed else 'FAIL'}] {c.id}: {c.claim}: {_fmt(c.value)} "
            f"({c.threshold}; {control(c)})"
            for c in self.checked
        ]
        return "\n".join(lines)


def _boolean(value, name: str) -> None:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a boolean (True/False), got {value!r}")
