"""Homework questions that the word lists and rules blocked (issue 7, session 18; the kidq_ape210k_zh set's even
rows gave the kinds): children holding hands in a row (手拉手 holds the recruiting cue 拉手), trees planted every
so many metres round a fish pond (鱼塘 + {n}米 read as paid posting), and 小亚, a pupil of the Shanghai maths
textbooks, read by sound as 押钱. Own sentences of the same kinds; the spam each rule is for still blocks.
"""

from __future__ import annotations

import pytest

HOMEWORK = [
    "6个同学手拉手围成一圈，每人之间相隔1米，这个圈的周长是多少米？",
    "一个长方形鱼塘周长是600米，每隔15米种一棵桃树，一共要种多少棵？",
    "小亚前两次口算比赛的成绩是95分和98分，她的平均分是多少？",
]
SPAM = [
    "微信拉手，拉满10个给50",
    "万人鱼塘长期招人，一单10米，做吗",
    "来玩牌，亚前一把100",
]


@pytest.mark.parametrize("text", HOMEWORK)
def test_homework_is_allowed(shipped_filter, text: str) -> None:  # noqa: ANN001
    v = shipped_filter.check(text)
    assert v.action == "allow", [r.rule for r in v.reasons]


@pytest.mark.parametrize("text", SPAM)
def test_the_spam_still_blocks(shipped_filter, text: str) -> None:  # noqa: ANN001
    assert shipped_filter.check(text).action == "block"
