import json

import numpy as np
import pytest

from helpers.claims import ClaimFailed, Claims


def test_passing_claims_are_tabulated_with_their_controls(tmp_path, monkeypatch):
    out = tmp_path / "claims.jsonl"
    monkeypatch.setenv("CLAIMS_JSON", str(out))
    claims = Claims("ch", prefix="ch")
    claims.check("ch-small", "small", 1e-12, below=1e-10, sanity=True)
    claims.check(
        "ch-range", "in range", 1.0, above=0.8, below=1.2, control=0.5, control_label="shuffled"
    )
    claims.check("ch-exact", "exact", True, equals=True, vs_theory="1 (Saxe et al.)")
    claims.beats("ch-beats", "beats", 0.9, control=0.5, control_label="random labels", margin=0.1)
    claims.holds("ch-later", "later", True, control="none yet")
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line["id"] for line in lines] == [
        "ch-small",
        "ch-range",
        "ch-exact",
        "ch-beats",
        "ch-later",
    ]
    assert lines[1] == {
        "chapter": "ch",
        "id": "ch-range",
        "claim": "in range",
        "value": 1.0,
        "threshold": "> 0.8 and < 1.2",
        "passed": True,
        "kind": "finding",
        "control": "shuffled",
        "control_value": 0.5,
    }
    assert lines[0]["control"] is None and lines[0]["kind"] == "sanity"
    assert lines[2]["control"] == "theory: 1 (Saxe et al.)" and lines[2]["control_value"] is None
    assert lines[3]["threshold"] == "> control + 0.1" and lines[3]["control_value"] == 0.5
    assert lines[4]["control"] == "none yet"
    page = claims._repr_html_()
    assert "Claims checked in this build" in page and page.count("<tr") == 7  # two heads, five rows
    assert "control (what it beats)" in page and "random labels: 0.5" in page
    assert 'id="claim-ch-beats"' in page and "no control yet" in page
    assert "1 of 4 findings have no control yet" in page
    assert "[ok] ch-range: in range" in repr(claims) and "control shuffled: 0.5" in repr(claims)
    assert [c.id for c in claims.without_control] == ["ch-later"]


def test_a_finding_its_control_also_passes_fails(tmp_path, monkeypatch):
    out = tmp_path / "claims.jsonl"
    monkeypatch.setenv("CLAIMS_JSON", str(out))
    claims = Claims("ch", prefix="ch")
    with pytest.raises(ClaimFailed, match="does not beat its control|control .* measured 0.9"):
        claims.beats("ch-tie", "a tie", 0.9, control=0.9, control_label="random", margin=0.1)
    with pytest.raises(
        ClaimFailed, match="which passes too: the finding does not beat its control"
    ):
        claims.check("ch-both", "both pass", 0.9, above=0.5, control=0.8, control_label="untrained")
    with pytest.raises(ClaimFailed, match="which passes too"):
        claims.holds("ch-true", "true for both", True, control=True, control_label="shuffled")
    with pytest.raises(ClaimFailed, match="which passes too"):
        claims.raises(
            "ch-r",
            "both raise",
            ZeroDivisionError,
            lambda: 1 / 0,
            control=True,
            control_label="smaller step",
        )
    recorded = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["passed"] for r in recorded] == [False] * 4
    # the same claims with a control that fails them hold
    claims.beats("ch-win", "a win", 0.9, control=0.7, control_label="random", margin=0.1)
    claims.beats(
        "ch-lower", "lower", 0.1, control=0.5, control_label="random", ratio=2, better="lower"
    )
    claims.check("ch-one", "one passes", 0.9, above=0.5, control=0.2, control_label="untrained")
    with pytest.raises(ClaimFailed):
        claims.beats("ch-ratio", "too small a factor", 1.5, control=1.0, control_label="r", ratio=2)
    with pytest.raises(ClaimFailed):
        claims.beats(
            "ch-nan", "nan control", 1.0, control=float("nan"), control_label="r", margin=0
        )


def test_a_finding_without_a_control_is_refused_saying_what_to_add():
    claims = Claims("ch", prefix="ch")
    with pytest.raises(ValueError, match="a finding needs its control.*control_label.*vs_theory"):
        claims.check("ch-bare", "no control", 0.9, above=0.5)
    with pytest.raises(ValueError, match="control_label must say what the control is"):
        claims.check("ch-nolabel", "no label", 0.9, above=0.5, control=0.1)
    with pytest.raises(ValueError, match="either a measured control= or vs_theory="):
        claims.check(
            "ch-twice", "two", 0.9, above=0.5, control=0.1, control_label="x", vs_theory="y"
        )
    with pytest.raises(ValueError, match="a sanity check .* takes no control"):
        claims.check("ch-s", "identity", 0.0, equals=0, sanity=True, vs_theory="0")
    with pytest.raises(TypeError, match="control must be the control's measured value"):
        claims.check("ch-str", "a string", 0.9, above=0.5, control="random labels")
    assert claims.checked == []


def test_claims_that_cannot_fail_are_refused_and_nan_always_fails():
    claims = Claims("ch", prefix="ch")
    for kwargs, name in [
        ({"above": float("-inf")}, "above"),
        ({"below": float("inf")}, "below"),
        ({"above": float("nan")}, "above"),
        ({"equals": float("nan")}, "equals"),
    ]:
        with pytest.raises(ValueError, match=f"{name} must be a finite number"):
            claims.check("ch-x", "x", 0.5, vs_theory="t", **kwargs)
    with pytest.raises(ValueError, match="margin must be a finite number"):
        claims.beats("ch-x", "x", 0.5, control=0.1, control_label="c", margin=float("inf"))
    with pytest.raises(ValueError, match="margin must be a finite number >= 0"):
        claims.beats("ch-x", "x", 0.5, control=0.1, control_label="c", margin=-1)
    with pytest.raises(ValueError, match="ratio must be a finite number >= 1"):
        claims.beats("ch-x", "x", 0.5, control=0.1, control_label="c", ratio=0.5)
    with pytest.raises(ValueError, match="above= must be smaller than below="):
        claims.check("ch-x", "x", 0.5, above=1, below=0, vs_theory="t")
    with pytest.raises(ClaimFailed):
        claims.check(
            "ch-nan", "nan is never below anything", float("nan"), below=1.0, vs_theory="t"
        )
    with pytest.raises(ClaimFailed):
        claims.check("ch-nan-eq", "nan equals nothing", float("nan"), equals=0, sanity=True)
    with pytest.raises(ClaimFailed, match="a control that measured nothing cannot be beaten"):
        claims.check(
            "ch-nan-c",
            "nan control",
            0.5,
            below=1.0,
            control=float("nan"),
            control_label="not measured",
        )


def test_ids_are_short_prefixed_and_unique():
    claims = Claims("my_chapter", prefix="mine")
    claims.check("mine-first", "first", 1.0, above=0.5, vs_theory="t")
    with pytest.raises(ValueError, match="already used"):
        claims.check("mine-first", "again", 1.0, above=0.5, vs_theory="t")
    with pytest.raises(ValueError, match="prefix 'mine-'"):
        claims.check("other-first", "elsewhere", 1.0, above=0.5, vs_theory="t")
    for bad in ["Mine-Upper", "mine first", "mine", "mine--x", "", 3]:
        with pytest.raises(ValueError, match="id must be short lower-case words"):
            claims.check(bad, "bad id", 1.0, above=0.5, vs_theory="t")
    assert Claims("mode_connectivity").prefix == "mode-connectivity"
    with pytest.raises(ValueError, match="prefix must be lower-case"):
        Claims("ch", prefix="Bad_Prefix")


def test_failing_claim_raises_and_is_recorded(tmp_path, monkeypatch):
    out = tmp_path / "claims.jsonl"
    monkeypatch.setenv("CLAIMS_JSON", str(out))
    claims = Claims("ch", prefix="ch")
    with pytest.raises(
        ClaimFailed, match=r"\[ch\] claim failed: ch-big: big: measured 2, required < 1"
    ):
        claims.check("ch-big", "big", 2.0, below=1.0, vs_theory="t")
    assert json.loads(out.read_text())["passed"] is False


def test_bad_claims():
    claims = Claims("ch", prefix="ch")
    with pytest.raises(ValueError, match="give a threshold"):
        claims.check("ch-a", "no threshold", 1.0, vs_theory="t")
    with pytest.raises(ValueError, match="equals= cannot be combined"):
        claims.check("ch-a", "both", 1.0, equals=1, below=2, vs_theory="t")
    with pytest.raises(TypeError, match="value must be a number"):
        claims.check("ch-a", "text", "abc", below=1, vs_theory="t")
    with pytest.raises(ValueError, match="give exactly one of margin= .* or ratio="):
        claims.beats("ch-a", "neither", 1.0, control=0.5, control_label="c")
    with pytest.raises(ValueError, match="better must be one of"):
        claims.beats("ch-a", "x", 1.0, control=0.5, control_label="c", margin=0, better="up")
    with pytest.raises(ValueError, match="chapter must be a non-empty string"):
        Claims("")


def test_thresholds_given_as_strings_are_numbers_or_a_clear_error():
    claims = Claims("ch", prefix="ch")
    claims.check("ch-s", "string threshold", 0.25, below="0.5", vs_theory="t")
    assert claims.checked[-1].threshold == "< 0.5"
    with pytest.raises(TypeError, match="below must be a number"):
        claims.check("ch-t", "bad", 0.25, below="half", vs_theory="t")


def test_holds_and_raises():
    claims = Claims("ch", prefix="ch")
    claims.holds("ch-sorted", "sorted", bool(np.all(np.diff([1, 2, 3]) > 0)), sanity=True)
    caught = claims.raises(
        "ch-div",
        "diverges",
        ZeroDivisionError,
        lambda: 1 / 0,
        control=False,
        control_label="a smaller step",
    )
    assert isinstance(caught, ZeroDivisionError)
    with pytest.raises(ClaimFailed, match="claim failed: ch-never: never raises"):
        claims.raises("ch-never", "never raises", ZeroDivisionError, lambda: 1, sanity=True)
    with pytest.raises(ClaimFailed, match="claim failed: ch-false: false"):
        claims.holds("ch-false", "false", np.bool_(False), sanity=True)
    with pytest.raises(TypeError, match="condition must be a boolean"):
        claims.holds("ch-num", "a number is not a yes/no answer", 0.3, sanity=True)
    with pytest.raises(TypeError, match="control must be a boolean"):
        claims.holds("ch-num2", "control as a number", True, control=0.3, control_label="c")


def test_sanity_checks_are_listed_apart():
    claims = Claims("ch", prefix="ch")
    claims.check("ch-finding", "a finding", 0.9, above=0.5, control=0.1, control_label="null")
    claims.check("ch-identity", "an identity", 0.0, equals=0, sanity=True)
    html = claims._repr_html_()
    assert html.index("a finding") < html.index("Checks of the code") < html.index("an identity")
    assert [c.kind for c in claims.checked] == ["finding", "sanity"]
    assert "no control yet" not in html
