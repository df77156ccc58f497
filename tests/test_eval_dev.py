"""The evaluation targets, asserted with the same functions `make eval` prints from (filters/evaluate.py).

- dev set (../shared/eval/dev.jsonl) with the filter as shipped (model included when present):
  >= 95% harmful rows blocked, <= 2% benign rows flagged, >= 95% PII rows redacted;
- the project's own larger sets (filters/data/eval/) and the jieba top-20k false-positive rate, for
  the word packs (no model), so a pack edit that loses recall or adds false positives fails here.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from real_parts import require

from filters import evaluate as ev


@pytest.fixture(scope="module")
def full_filter():
    return ev.load_filter()


@pytest.fixture(scope="module")
def packs_filter():
    return ev.load_filter(no_model=True)


def test_dev_thresholds(full_filter) -> None:
    require(ev.DEV_PATH.exists(), f"the shared dev set {ev.DEV_PATH}")
    rep = ev.evaluate_rows(full_filter, ev.load_rows(ev.DEV_PATH), "dev")
    assert rep.harmful >= 20 and rep.benign >= 10 and rep.pii >= 5
    misses = [(m.row["text"], m.action, m.rules) for m in rep.misses]
    assert rep.blocked_rate >= ev.TARGET_BLOCKED, misses
    assert rep.benign_flagged_rate <= ev.TARGET_BENIGN_FLAGGED, misses
    assert rep.pii_redacted_rate >= ev.TARGET_PII_REDACTED, misses


def test_extra_harmful_blocked(packs_filter) -> None:
    rows = ev.load_rows(ev.EXTRA_DIR / "extra_harmful.jsonl")
    assert len(rows) >= 300
    rep = ev.evaluate_rows(packs_filter, rows, "extra_harmful")
    assert rep.blocked_rate >= ev.TARGET_BLOCKED, [m.row["text"] for m in rep.misses]


def test_extra_traps_not_flagged(packs_filter) -> None:
    rows = ev.load_rows(ev.EXTRA_DIR / "extra_traps.jsonl")
    assert len(rows) >= 300
    rep = ev.evaluate_rows(packs_filter, rows, "extra_traps")
    assert rep.benign_flagged_rate <= ev.TARGET_BENIGN_FLAGGED, [(m.row["text"], m.rules) for m in rep.misses]


def test_jieba_top_words_rarely_flagged(packs_filter) -> None:
    words = ev.jieba_top_words()
    assert len(words) == ev.JIEBA_TOP and all(len(w) >= 2 for w in words)
    flagged = ev.jieba_flagged(packs_filter, words)
    assert len(flagged) / len(words) <= ev.TARGET_JIEBA_FLAGGED, flagged
    for common in ("中国", "信息", "父亲", "情况", "交通", "景色", "黄色", "成人", "大妈"):
        assert common not in dict(flagged)


# --- the scoring rules themselves ------------------------------------------------------------------

class _FakeFilter:
    """Stub: blocks texts containing 'bad', redacts digits to [N]."""

    def check(self, text, policy=None):
        if "bad" in text:
            return SimpleNamespace(action="block", redacted="***", reasons=[SimpleNamespace(rule="x", blocking=True)])
        if any(c.isdigit() for c in text):
            return SimpleNamespace(action="redact", redacted="[N]", reasons=[])
        return SimpleNamespace(action="allow", redacted=text, reasons=[])


def test_scoring_counts_and_misses() -> None:
    rows = [
        {"text": "bad words", "expect": "block", "cat": "sexual", "trick": "plain"},
        {"text": "good words", "expect": "block", "cat": "drugs", "trick": "leet"},
        {"text": "a bad apple", "expect": "allow", "cat": "benign", "trick": "trap"},
        {"text": "hello", "expect": "allow", "cat": "benign", "trick": "trap"},
        {"text": "call 212 555 0147", "expect": "redact", "cat": "pii:phone", "trick": "plain"},
    ]
    rep = ev.evaluate_rows(_FakeFilter(), rows)
    assert (rep.harmful, rep.blocked, rep.benign, rep.flagged, rep.pii, rep.redacted) == (2, 1, 2, 1, 1, 1)
    assert rep.miss_by_trick == {"leet": 1, "trap": 1}
    assert not rep.meets_targets()


def test_pii_row_passes_only_when_value_is_gone() -> None:
    row = {"text": "手机：186 1234 5678", "expect": "redact", "cat": "pii:phone"}
    assert ev.pii_values(row) == ["186 1234 5678"]
    assert ev.pii_redacted(row, "redact", "手机：[手机号]")
    assert not ev.pii_redacted(row, "redact", "手机：186-1234-5678")  # separators do not hide it
    assert not ev.pii_redacted(row, "allow", "手机：[手机号]")
    addr = {"text": "我住在上海市浦东新区世纪大道100号5号楼", "expect": "redact", "cat": "pii:address"}
    assert "100号" in ev.pii_values(addr)
    assert not ev.pii_redacted(addr, "redact", "我住在上海市浦东新区[地址]100号5号楼")
    cn = {"text": "我的电话是一八六一二三四五六七八", "expect": "redact", "cat": "pii:phone"}
    assert ev.pii_values(cn) == ["一八六一二三四五六七八"]
    assert ev.pii_values({"text": "x", "pii": "abc"}) == ["abc"]


def test_load_rows_rejects_bad_lines(tmp_path) -> None:
    p = tmp_path / "bad.jsonl"
    p.write_text('{"text": "ok", "expect": "allow"}\n{"text": "x", "expect": "maybe"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="bad.jsonl:2"):
        ev.load_rows(p)
    p.write_text("not json\n", encoding="utf-8")
    with pytest.raises(ValueError, match=":1"):
        ev.load_rows(p)


def test_main_prints_report(capsys) -> None:
    assert ev.main(["--no-model", "--no-jieba", "--show", "1"]) == 0
    out = capsys.readouterr().out
    assert "extra_harmful" in out and "harmful rows blocked" in out and "benign rows flagged" in out
