"""Session-15 co-occurrence rule semantics and rules, each checked with phrasings written for this test.

A small sum of money said in Chinese with its unit (五块, 两毛, 十五元, 百元) is a number for a rule's `{n}`, as digits
and amounts of ten or more already were: piece rates in paid-posting and task adverts are written that way (一条五毛,
一个四块). 一 before a unit stays a word (一块 "together", 一元二次方程, 一毛不拔), and the unit is kept, so only cues
that name the unit match."""

from __future__ import annotations

from combo_phrasing_checks import NO_PROBLEMS, phrasing_problems

from filters.combo_scan import scan_map, scan_view
from filters.engine import TextFilter


def test_small_chinese_sums_of_money_are_numbers_for_rules() -> None:
    assert scan_view(" 一篇八块 两毛 十五元 二十五块 百元 ") == " 一篇 0 块 0 毛 0 元 0 块 0 元 "
    # 一 before a unit is a word; a count of things without a money unit stays as written
    words = " 我们一块去 一元二次方程 一毛不拔 三个苹果 十分好 "
    assert scan_view(words) == words
    assert scan_map(" 我们一块去 ") is None
    fold = " 一条五毛 "
    assert scan_map(fold) is not None and scan_map(fold).span(4, 5) == (3, 4)  # "0" is 五 of the fold view


PIECE_RATE_FIRES = [
    ("black_market:posting_piece_rate_zh", "帮忙发小红书笔记一篇八块，当天结算"),
    ("black_market:posting_piece_rate_zh", "发快手作品一个三块，当天结"),
    ("fraud:add_contacts_for_pay_zh", "拉人进群一个两块，秒结"),
]

PIECE_RATE_QUIET = [
    "这块蛋糕一个五块钱，我们一块去买",
    "我买了三块橡皮，一共六元",
    "数学课学了二元一次方程",
    "三毛流浪记真好看",
    "发了一条朋友圈，花了五块钱买明信片",
]


def test_piece_rates_in_small_chinese_sums_fire_and_block(shipped_filter: TextFilter) -> None:
    """Adverts that give their piece rate as 八块 / 三块 / 两块 fire their rule and block; shopping talk with the
    same sums stays quiet."""
    assert phrasing_problems(shipped_filter, PIECE_RATE_FIRES, PIECE_RATE_QUIET) == NO_PROBLEMS
