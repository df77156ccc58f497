"""Coded group names (filters/data/sources/coded_groups.json, filters/tools/coded_groups.py): the glossary, the
bullying pack and the hate rules' group names stay in step; coded names block, the ordinary words they hide in do
not. Every phrasing was written for this test (never a measured row)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from filters.tools import coded_groups as cg


def test_every_term_and_group_word_of_the_glossary_is_in_force() -> None:
    names = cg.load()
    pack = json.loads(cg.PACK.read_text(encoding="utf-8"))
    hate = json.loads(cg.HATE_RULES.read_text(encoding="utf-8"))
    assert cg.missing(names, pack, hate) == ([], [])
    by_term = {e["term"]: e for e in pack["entries"]}
    for e in cg.entries(names):  # severity and sound-alike matching as the glossary says
        assert by_term[e["term"]]["severity"] == e["severity"], e
        assert by_term[e["term"]].get("homophones", True) == e.get("homophones", True), e


def test_names_left_out_carry_no_terms_and_a_reason() -> None:
    for n in cg.load():
        assert n["use"] in cg.USES
        if n["use"] in ("out", "group_word", "phrases"):
            assert n.get("why"), n["name"]


def test_a_one_character_group_word_is_a_whole_word_cue_of_the_hate_rules() -> None:
    """默 is an ordinary character (沉默, 默认): as a group word the rules must hold it as `=默` (counted only where it
    is a word of its own), never bare, which would make 默认都是垃圾 fire. Longer names stay as written."""
    names = [{"name": "默", "group": "g", "use": "group_word", "why": "w"},
             {"name": "黑皮", "group": "g", "use": "group_word", "why": "w"}]
    assert cg.group_words(names) == ["=默", "黑皮"]
    hate = {"cue_sets": {"group_zh": ["默", "黑皮"]}}
    assert cg.missing(names, {"entries": []}, hate) == ([], ["=默"])
    hate = {"cue_sets": {"group_zh": ["=默", "黑皮"]}}
    assert cg.missing(names, {"entries": []}, hate) == ([], [])


def test_write_adds_only_missing_terms_and_bumps_the_version(tmp_path: Path) -> None:
    pack = tmp_path / "bullying.json"
    entry = {"term": "嫁默", "category": "bullying", "severity": 2}
    doc = {"schema": 1, "pack": "bullying", "version": "2026.12.01.4", "entries": [entry]}
    pack.write_text(json.dumps(doc), encoding="utf-8")
    names = [{"name": "默", "group": "g", "use": "phrases", "terms": [{"term": "嫁默", "severity": 2},
                                                                         {"term": "娶默", "severity": 2}]}]
    assert cg.write(names, pack, dt.date(2026, 12, 1)) == 1
    doc = json.loads(pack.read_text(encoding="utf-8"))
    assert [e["term"] for e in doc["entries"]] == ["嫁默", "娶默"]
    assert doc["entries"][1]["homophones"] is False  # two characters: 默女 would hear 魔女
    assert doc["version"] == "2026.12.01.5"
    assert cg.write(names, pack, dt.date(2026, 12, 2)) == 0
    assert cg.next_version("2026.12.01.5", dt.date(2026, 12, 2)) == "2026.12.02.1"


# coded names block; the ordinary words they hide in (沉默女子, 黑皮鞋, a person called 郭楠, history's 印度支那,
# a name before punctuation: 帕尔默；女子) stay allowed
EXPECTED = [(t, "block") for t in (
    "她非要嫁默，真丢人",
    "这些默们天天在网上晒",
    "死郭楠你闭嘴",
    "郭楠们又开始破防了",
    "蝈楠就会在网上吵",
    "她就是个ezgirl",
    "一群ez女",
    "你们这些女蛆",
    "白皮猪滚回去",
    "黑皮都是垃圾",
    "郭楠个个都是懒鬼",
    "这些默都该滚出去",
    "默都是垃圾，天生的",
    # session 18: 蓝铜 (男同 with the n/l swap), 黑砸 / 嘿砸 (黑杂), 基蛆, and 猎默 / 护默 / 倒贴默
    "这帖子里全是蓝铜，别进",
    "他就是个死蓝铜",
    "街上那几个黑砸又在闹",
    "嘿砸滚远点",
    "一群基蛆在网上叫",
    "今晚一起去猎默",
    "又来了一个护默的",
    "她就喜欢倒贴默",
    "这些黑杂都该滚出去",
    "蝈腩又在网上叫了",
    "非洲佬都是骗子",
)] + [(t, "allow") for t in (
    "她出嫁默默流泪",
    "一位沉默女子坐在窗边",
    "英国帕尔默；女子200米蛙泳冠军",
    "那个幽默男孩很受欢迎",
    "黑皮鞋都是真皮的",
    "沉默都是金",
    "默认都是垃圾设置，改一下",
    "他讲的笑话都很幽默，个个都是段子",
    "默写都是错的，重写一遍",
    "法属印度支那的历史",
    "郭楠老师是个好人",
    "南通的天气很好",
    "这道题ez，秒了",
    # session 18: azurite; 黑犬 (默 split into parts) and 每黑 (媚黑's sound-alike) are left out as ordinary
    "蓝铜矿是一种蓝色的矿物",
    "博物馆里有一块很大的蓝铜矿石",
    "那只黑犬全身都是泥，脏兮兮的",
    "猎人默默地走进森林",
    "保护默认设置，不要乱改",
    "他每天黑着脸回家",
    "每黑一次屏幕就要重启",
    "妈妈买了一袋黑杂粮",
    "这本黑杂志封面很酷",
    "红烧牛腩真好吃",
    "他去非洲佬那边的市场买了水果",
)]


@pytest.mark.parametrize(("text", "action"), EXPECTED)
def test_coded_names_block_and_the_words_they_hide_in_do_not(shipped_filter, text: str, action: str) -> None:  # noqa: ANN001
    verdict = shipped_filter.check(text)
    assert (verdict.action, text) == (action, text), verdict.reasons


def test_a_coded_name_whose_sound_is_ordinary_text_is_not_reopened(shipped_filter) -> None:  # noqa: ANN001
    """默们 (mo men) sounds like 摸门 (feeling for the door in the dark). Reopened, its sound-alike showed the model
    the sentence read as 默们 and the model agreed: an ordinary sentence was blocked as bullying. The near-miss trap
    in filters/data/eval/extra_traps.jsonl (our own sentence) is heard by filters/tools/homophone_reopen.py, which
    leaves the term off; no sound-alike hit may reach the model."""
    from filters import homophone_reopen
    from filters.policy import DEFAULT_POLICY

    screened = shipped_filter._screen(shipped_filter._lexicon.matcher, "天黑了，我摸门进屋，差点被凳子绊倒",
                                      DEFAULT_POLICY)
    assert not [r.rule for r in screened.evidence if r.view == homophone_reopen.VIEW]


def test_session_18_left_out_names_carry_no_terms_and_new_terms_are_written() -> None:
    names = {n["name"]: n for n in cg.load()}
    assert names["黑犬"]["use"] == names["每黑"]["use"] == "out"
    assert "黑犬" not in cg.group_words(list(names.values()))
    written = {e["term"] for e in cg.entries(list(names.values()))}
    assert {"蓝铜", "黑砸", "嘿砸", "基蛆", "猎默", "护默", "倒贴默", "黑杂", "蝈腩", "郭腩"} <= written
    assert "非洲佬" in cg.group_words(list(names.values()))
