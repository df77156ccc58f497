"""Money numerals written in disguise (filters/money_numerals.py, tables/money_numerals.json): 1OO, 柒佰, 四五柏 and
④牵 read as the amount in the text's second reading, so a pay-rate fraud rule sees the figure; the same characters
outside an amount (松柏, 牵手, 拾金不昧, 伍子胥, a Latin word) stay as written. Sentences written for these tests."""

from __future__ import annotations

import json

import pytest

from filters import money_numerals, readings


@pytest.mark.parametrize(("text", "read"), [
    ("一小时3OO", "一小时300"), ("月入8OOO", "月入8000"), ("一天2.5oo", "一天2.500"), ("5-6oo/h", "5-600/h"),
    ("一小时柒佰", "一小时七百"), ("叁仟伍佰元", "三千五百元"), ("拾万", "十万"), ("每天六七柏", "每天六七百"),
    ("一天③牵", "一天③千"), ("俩千块", "两千块"), ("一天三到四千", "一天三 四千"), ("一天仨到④牵", "一天三 四千"),
])
def test_a_disguised_amount_is_read_as_the_number(text: str, read: str) -> None:
    assert money_numerals.read(text)[0] == read


@pytest.mark.parametrize("text", [
    "松柏长青", "柏林墙", "牵手回家", "他把手一牵就走了", "拾金不昧", "伍子胥过昭关", "大陆和台湾", "我们仨去公园",
    "boo! 1ooking good", "zoo2oo", "Oops 1Oo", "肆无忌惮", "陆地上的动物", "超过大陆一万倍", "大陆十亿人", "我们俩一万",
    "他从三楼到四楼", "12到3千米",
])
def test_the_same_characters_outside_an_amount_stay_as_written(text: str) -> None:
    assert money_numerals.read(text) == (text, ())


def test_the_reading_keeps_positions_and_names_its_view() -> None:
    r = readings.read("一小时柒佰")
    assert r is not None and r.text == "一小时七百" and r.spans is None and r.numerals == (3, 4)
    assert readings.view(r, (0, 5)) == readings.NUMERAL_READ


def test_the_table_records_its_source_and_refuses_a_bad_entry(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    table = json.loads(money_numerals.TABLE.read_text(encoding="utf-8"))
    assert table["version"] and table["source"] and table["licence"]
    table["unit_sound_alikes"]["牵"] = "手"  # not a numeral
    bad = tmp_path / "money_numerals.json"
    bad.write_text(json.dumps(table, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(money_numerals, "TABLE", bad)
    money_numerals._table.cache_clear()
    try:
        with pytest.raises(ValueError, match="牵"):
            money_numerals.read("一天③牵")
    finally:
        monkeypatch.undo()
        money_numerals._table.cache_clear()


@pytest.mark.parametrize("text", ["一个小时7OO，加我", "一个小时柒佰，加我", "一天四五柏，私我", "一天两到③牵，私我",
                                  "一天三到四千，私我"])
def test_a_pay_rate_advert_with_a_disguised_amount_is_blocked_by_a_fraud_rule(shipped_filter, text: str) -> None:  # noqa: ANN001
    v = shipped_filter.check(text)
    fraud = [r for r in v.reasons if r.rule.startswith("combo:fraud:")]
    assert v.action == "block" and fraud, [(r.rule, r.kind) for r in v.reasons]


@pytest.mark.parametrize("text", ["这本书卖1OO块，妈妈说太贵了", "松柏长青，我们仨去公园拾到一百块钱",
                                  "爷爷写支票：人民币叁仟伍佰元整"])
def test_benign_text_with_such_characters_is_allowed(shipped_filter, text: str) -> None:  # noqa: ANN001
    assert shipped_filter.check(text).action == "allow"


def test_an_easy_task_with_a_daily_take_in_slang_is_fraud(shipped_filter) -> None:  # noqa: ANN001
    """fraud.json 2026.12.01.9: 一天搞个{n} (搞 for earning, as 赚个 / 挣个) is an income claim of
    easy_task_income_zh."""
    v = shipped_filter.check("做小任务，一天搞个三四百")
    assert v.action == "block" and any(r.rule == "combo:fraud:easy_task_income_zh" for r in v.reasons)
    assert shipped_filter.check("今天一天搞个三四百道题，作业好多").action == "allow"
