"""Session-8 co-occurrence rules: Chinese self-harm statements without 自杀 (a note written, cutting
oneself, no will to live, 一死了之, nothing left to hold on to), fake-boss and anti-fraud-centre
impersonation scripts, and black-market / gambling recruitment (an offer plus its money mechanics).
Each rule fires on phrasings written for this test from the public descriptions the rule files cite
(never eval rows); ordinary first-person complaints (累死了, 笑死我了, 想死你了), a child reporting what
someone said, anti-fraud advice and real notices stay quiet."""

from __future__ import annotations

from combo_phrasing_checks import NO_PROBLEMS, phrasing_problems

from filters.engine import TextFilter

FIRES = [
    # self-harm statements, zh, without 自杀
    ("self_harm:letter_written_zh", "遗书我已经写好了，就压在枕头底下"),
    ("self_harm:cut_myself_zh", "昨天晚上我又拿小刀在手臂上划了几道"),
    ("self_harm:no_will_to_live_zh", "我真的找不到理由继续活下去"),
    ("self_harm:die_to_be_done_zh", "有时候真想一死了之"),
    ("self_harm:nothing_left_to_hold_zh", "这世上已经没有什么值得我留恋的了"),
]

QUIET = [
    "累死了，今天作业好多",
    "笑死我了哈哈哈",
    "今天热死了",
    "好想你，想死你了",
    "我写好作文了，放在书包里",
    "爷爷写好了遗嘱，分给了三个儿子",
    "他在小说里写了一封遗书",
    "这部剧里他说我写好遗书了",
    "我不小心用小刀割破了手指",
    "我爸爸的手臂被玻璃划了一道口子",
    "我用美工刀划开了快递箱",
    "我没有勇气上台表演",
    "小鱼没有水就没法活下去",
    "读完这本书，我觉得自己没有理由不好好活下去",
    "他说他想一死了之，我该怎么帮他",
    "我真想一口气把作业写完",
    "这个世界上没有什么值得大惊小怪的",
    "这个世界值得我留恋的东西太多了",
    "离开母校的时候我很留恋",
]


def test_statements_fire_and_block_while_near_misses_stay_quiet(shipped_filter: TextFilter) -> None:
    """Each rule fires on its phrasings and blocks as a word-pack term would (default band, model off);
    no rule fires on the near misses."""
    assert phrasing_problems(shipped_filter, FIRES, QUIET) == NO_PROBLEMS
