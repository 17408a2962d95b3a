import json

import numpy as np
import pytest

from helpers.claims import ClaimFailed, Claims


def test_passing_claims_are_tabulated(tmp_path, monkeypatch):
    out = tmp_path / "claims.jsonl"
    monkeypatch.setenv("CLAIMS_JSON", str(out))
    claims = Claims("ch")
    claims.check("small", 1e-12, below=1e-10)
    claims.check("in range", 1.0, above=0.8, below=1.2)
    claims.check("exact", True, equals=True)
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line["claim"] for line in lines] == ["small", "in range", "exact"]
    assert lines[1] == {
        "chapter": "ch",
        "claim": "in range",
        "value": 1.0,
        "threshold": "> 0.8 and < 1.2",
        "passed": True,
        "kind": "finding",
    }
    html = claims._repr_html_()
    assert "Claims checked in this build" in html and html.count("<tr>") == 4
    assert "[ok] small" in repr(claims)


def test_failing_claim_raises_and_is_recorded(tmp_path, monkeypatch):
    out = tmp_path / "claims.jsonl"
    monkeypatch.setenv("CLAIMS_JSON", str(out))
    claims = Claims("ch")
    with pytest.raises(ClaimFailed, match=r"\[ch\] claim failed: big: measured 2, required < 1"):
        claims.check("big", 2.0, below=1.0)
    assert json.loads(out.read_text())["passed"] is False
    with pytest.raises(ClaimFailed):
        claims.check("nan is never below anything", float("nan"), below=1.0)


def test_bad_claims():
    claims = Claims("ch")
    with pytest.raises(ValueError, match="give a threshold"):
        claims.check("no threshold", 1.0)
    with pytest.raises(ValueError, match="equals= cannot be combined"):
        claims.check("both", 1.0, equals=1, below=2)
    with pytest.raises(TypeError, match="value must be a number"):
        claims.check("text", "abc", below=1)
    with pytest.raises(ValueError, match="chapter must be a non-empty string"):
        Claims("")


def test_thresholds_given_as_strings_are_numbers_or_a_clear_error():
    claims = Claims("ch")
    claims.check("string threshold", 0.25, below="0.5")  # crashed with a format error before
    assert claims.checked[-1].threshold == "< 0.5"
    with pytest.raises(TypeError, match="below must be a number"):
        claims.check("bad", 0.25, below="half")


def test_holds_and_raises():
    claims = Claims("ch")
    claims.holds("sorted", bool(np.all(np.diff([1, 2, 3]) > 0)))
    caught = claims.raises("diverges", ZeroDivisionError, lambda: 1 / 0)
    assert isinstance(caught, ZeroDivisionError)
    with pytest.raises(ClaimFailed, match="claim failed: never raises"):
        claims.raises("never raises", ZeroDivisionError, lambda: 1)
    with pytest.raises(ClaimFailed, match="claim failed: false"):
        claims.holds("false", np.bool_(False))
    with pytest.raises(TypeError, match="condition must be a boolean"):
        claims.holds("a number is not a yes/no answer", 0.3)


def test_sanity_checks_are_listed_apart():
    claims = Claims("ch")
    claims.check("a finding", 0.9, above=0.5)
    claims.check("an identity", 0.0, equals=0, sanity=True)
    html = claims._repr_html_()
    assert html.index("a finding") < html.index("Checks of the code") < html.index("an identity")
    assert [c.kind for c in claims.checked] == ["finding", "sanity"]
