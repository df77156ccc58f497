"""Characters written as their parts (拆字; filters/chaizi.py, tables/chaizi.json): joined again in the text's second
reading only where the join makes a listed term (view `chaizi_read`); parts that make no term stay as written.
Also: a sound-alike hit found at joined parts keeps its non-blocking view `sound_alike`."""

from __future__ import annotations

import json

import pytest

from filters import chaizi, readings


def test_parts_are_joined_only_where_the_join_makes_a_term() -> None:
    reader = chaizi.Chaizi({"弓虽": "强", "禾中": "种"}, frozenset({"强暴", "杂种"}))
    assert reader.replacements("他弓虽暴了") == [(1, 3, "强")]
    assert reader.replacements("你这个杂禾中") == [(4, 6, "种")]
    assert reader.replacements("弓虽然是弓") == []  # 强然 is no term
    assert reader.replacements("禾中的稻子") == []
    assert reader.replacements("杂禾") == []  # a part string cut off at the end of the text


def test_a_part_string_holds_an_anchor_and_the_table_records_its_source() -> None:
    table = json.loads(chaizi.TABLE.read_text(encoding="utf-8"))
    assert "kfcd/chaizi" in table["source"] and "CC BY 3.0" in table["licence"] and len(table["sha256"]) == 64
    reader = chaizi.default_chaizi()
    assert all(any(c in table["anchors"] for c in parts) for parts in reader.joins)
    assert reader.joins["犭句"] == "狗" and reader.joins["弓虽"] == "强"


@pytest.mark.parametrize(("text", "term"), [("弓虽暴", "强暴"), ("你这个杂禾中", "杂种")])
def test_a_term_written_with_a_character_in_parts_blocks_with_the_view(shipped_filter, text: str, term: str) -> None:  # noqa: ANN001
    v = shipped_filter.check(text)
    hits = [r for r in v.reasons if r.view == readings.CHAIZI_READ]
    assert v.action == "block" and hits, [(r.rule, r.view) for r in v.reasons]
    assert hits[0].rule.endswith(":" + term)
    start, end = hits[0].span
    assert hits[0].matched == text[start:end] and len(text[start:end]) > len(term)


def test_without_the_reading_the_parts_pass(shipped_filter, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(chaizi, "replacements", lambda text: [])
    for text in ("弓虽暴", "你这个杂禾中"):
        assert shipped_filter.check(text).action == "allow"


@pytest.mark.parametrize("text", ["我们的女干部很能干", "他是个弓箭手", "禾苗在田里长得很好", "一口黑人口音的英语",
                                  "印度人老是说英语", "土立方米的计算"])
def test_parts_in_ordinary_writing_are_allowed(shipped_filter, text: str) -> None:  # noqa: ANN001
    v = shipped_filter.check(text)
    assert v.action == "allow", [(r.rule, r.view, r.matched) for r in v.reasons]


def test_a_sound_alike_hit_at_joined_parts_keeps_its_view() -> None:
    reading = readings.read("你个尸吊丝")
    assert reading is not None and reading.text == "你个屌丝" and reading.joined == ((2, 4),)
    assert readings.view(reading, (2, 4), "sound_alike") == "sound_alike"
    assert readings.view(reading, (2, 4), "fold") == readings.CHAIZI_READ
    assert readings.view(reading, (0, 2), "fold") == readings.EMOJI_READ  # touches no join


def test_a_sound_alike_of_joined_parts_does_not_block_by_itself(shipped_filter) -> None:  # noqa: ANN001
    """尸吊丝 reads 屌丝 (a term); 屌丝 also sounds like 吊死, which counts only as sound_alike evidence."""
    v = shipped_filter.check("你个尸吊丝")
    assert not [r for r in v.reasons if r.rule.endswith(":吊死") and r.view != "sound_alike"]
