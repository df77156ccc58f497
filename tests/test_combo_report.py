"""filters/tools/combo_report.py keeps the held-out discipline: only even rows are listed by default, odd rows
only on request, and a never-read set (Stormfront, OLID, SOS-1K, HateCheck) gives counts only. Every text here
was written for this test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from filters.tools import combo_report as cr

RULE_FILE = {
    "schema": 1, "name": "demo", "version": "1", "description": "test", "provenance": "test", "license": "test",
    "rules": [{"name": "pair", "category": "fraud", "severity": 2, "why": "test", "window": 20,
               "groups": [{"name": "a", "cues": ["蓝莓"]}, {"name": "b", "cues": ["火箭"]}]}],
}
# rows 0..5: the rule fires on rows 1, 2, 3 and 4
ROWS = ["今天天气很好", "ODD蓝莓火箭一号", "EVEN蓝莓火箭二号", "ODD蓝莓火箭三号", "EVEN蓝莓火箭四号", "今天下雨"]


def _hits() -> list[tuple[int, str, list[str]]]:
    return [(i, t, ["combo:demo:pair"]) for i, t in enumerate(ROWS) if "火箭" in t]


def test_only_even_rows_are_listed_by_default() -> None:
    out = "\n".join(cr.describe("a readable set", "benign", len(ROWS), _hits(), show=10))
    assert "EVEN蓝莓火箭二号" in out and "EVEN蓝莓火箭四号" in out
    assert "ODD" not in out
    assert "fired on 4/6 benign rows (even 2/3, odd held out 2/3)" in out


def test_odd_rows_are_listed_only_on_request() -> None:
    out = "\n".join(cr.describe("a readable set", "benign", len(ROWS), _hits(), show=10, odd_too=True))
    assert "ODD蓝莓火箭一号" in out and "EVEN蓝莓火箭二号" in out


@pytest.mark.parametrize("name", ["public benign: Stormfront forum sentences", "heldout OLID", "SOS-1K allow",
                                  "HateCheck functionality"])
def test_a_never_read_set_gives_counts_only(name: str) -> None:
    out = "\n".join(cr.describe(name, "benign", len(ROWS), _hits(), show=10, odd_too=True))
    assert "蓝莓" not in out
    assert "never read: counts only" in out and "fired on 4/6" in out


def test_the_report_lists_even_rows_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "demo.json").write_text(json.dumps(RULE_FILE, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(cr, "benign_sets", lambda: [("tiny benign", ROWS), ("public benign: Stormfront", ROWS)])
    monkeypatch.setattr(cr, "harmful_sets", lambda: [("tiny harmful", ROWS)])
    assert cr.main(["--rules", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.count("EVEN蓝莓火箭二号") == 1  # the readable benign set only: not Stormfront, not a harmful set
    assert "ODD" not in out
    assert "benign total: 8/12" in out
    assert cr.main(["--rules", str(tmp_path), "--odd-too"]) == 0
    out = capsys.readouterr().out
    assert out.count("ODD蓝莓火箭一号") == 1 and out.count("EVEN蓝莓火箭二号") == 1
