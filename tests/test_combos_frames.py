"""Session-10 co-occurrence rules. Chinese self-harm statements without 自杀 (asking whether anyone
would be sad, a note left ready, a near jump, today as the last day, goodbye to everyone for good,
giving belongings away, a method bought or saved with a purpose). Each rule fires on phrasings written
for this test from the public warning-sign lists the rule files cite (never eval rows); each has
near misses (a game death, a martyr's letter, sports, an exhibition's last day, graduation, outgrown
toys, a barbecue) that fire no rule and are allowed by the whole filter."""

from __future__ import annotations

import pytest
from combo_phrasing_checks import NO_PROBLEMS, phrasing_problems

from filters.engine import TextFilter

SELF_HARM_FIRES = [
    ("self_harm:would_anyone_care_if_gone_zh", "要是我死了，会有人伤心吗"),
    ("self_harm:would_anyone_care_if_gone_zh", "我消失了的话有人会想我吗"),
    ("self_harm:note_ready_zh", "遗言写好了，就放在抽屉里"),
    ("self_harm:note_ready_zh", "绝笔信已经写完了"),
    ("self_harm:nearly_jumped_zh", "昨晚在天台站了好久，差一点就跳下去了"),
    ("self_harm:nearly_jumped_zh", "刚才差点就从桥上跳了"),
    ("self_harm:last_day_alive_zh", "今天是我在这个世界上的最后一天"),
    ("self_harm:last_day_alive_zh", "今晚是我活着的最后一晚了"),
    ("self_harm:goodbye_everyone_forever_zh", "跟所有人说再见，这次是永远"),
    ("self_harm:goodbye_everyone_forever_zh", "再见了各位，以后再也不会见到我了"),
    ("self_harm:giving_away_belongings_zh", "我的东西都送人了，反正以后也用不上了"),
    ("self_harm:giving_away_belongings_zh", "我的猫留给你吧，替我照顾好它"),
    ("self_harm:method_obtained_zh", "炭已经买好了，门窗也封好了"),
    ("self_harm:method_obtained_zh", "绳子准备好了，就等今晚"),
]

SELF_HARM_QUIET = [
    "游戏里我死了，会有人来复活我吗",
    "如果我的小狗死了，我会很伤心",
    "这封遗书是一位烈士在就义前写好的",
    "博物馆展出了他写好的遗书",
    "爷爷的遗嘱写好了，放在抽屉里",
    "他吓得差点跳了起来",
    "跳远比赛我差一点就跳到三米了",
    "今天是展览在这个城市的最后一天",
    "假如今天是你在这个世界上的最后一天，你会做什么",
    "毕业了，和大家说再见，永远记得你们",
    "再见了各位，我们下周再见",
    "这些玩具我长大用不上了，都送给弟弟了",
    "周末烧烤，木炭已经买好了",
    "绳子买好了，明天跳绳比赛",
    "给奶奶买了安眠药，医生说要按时吃",
]


@pytest.mark.parametrize(("fires", "quiet"), [(SELF_HARM_FIRES, SELF_HARM_QUIET)], ids=["self_harm_zh"])
def test_rules_fire_and_block_while_near_misses_stay_quiet(
        shipped_filter: TextFilter, fires: list[tuple[str, str]], quiet: list[str]) -> None:
    """Each rule fires on its phrasings and blocks (default band, model off); no rule fires on the near
    misses."""
    assert phrasing_problems(shipped_filter, fires, quiet) == NO_PROBLEMS


@pytest.mark.parametrize("quiet", [SELF_HARM_QUIET], ids=["self_harm_zh"])
def test_near_misses_are_allowed(shipped_filter: TextFilter, quiet: list[str]) -> None:
    """The near misses are allowed by the whole filter, not only left alone by the rules."""
    assert [t for t in quiet if shipped_filter.check(t).action != "allow"] == []
