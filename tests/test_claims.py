import json

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
    assert lines[1] == {"chapter": "ch", "claim": "in range", "value": 1.0, "threshold": "> 0.8 and < 1.2", "passed": True}
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
