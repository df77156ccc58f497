"""Session 9 core terms: advert vocabulary (porn chat/sites, gambling, paid-posting and loan adverts) and coded
insults (initial letters, homophone stand-ins, 国女/国男), each beside the ordinary text that must stay allowed.

The sentences are written for this test (the kinds of words were read off real-text misses; no row is copied).
Seen red: with the session-9 entries removed from the core packs every HARM row is allowed; with the
allow-contexts of 国女/国男 and 你木琴 removed the matching BENIGN rows are blocked.
"""

from __future__ import annotations

import pytest

HARM = [
    "可以涩涩吗宝宝",
    "有没有色搭子",
    "本人自录，私我",
    "寻找反差mg",
    "海角破解版网址",
    "新人首存送彩",
    "棋牌秒上下芬",  # 上下分 by sound (homophones on)
    "线上德州，秒下分",
    "来超小说吗，一天三位数",  # 抄小说 by sound
    "小红薯评论，一条一结",
    "下课秒结，私我",
    "黑户秒下款",
    "国女都这样",
    "国男就是这样",
    "你木琴没了",
    "一群春竹队友",
    "关你几把事",
    "懂个寄吧",  # 懂个几把 by sound
    "nmd 你会不会玩",
]

BENIGN = [
    "中国女排又赢了",
    "中国女足和中国男篮都在冬训",
    "韩国女团的新歌",
    "你木琴弹得真好听",
    "这个柿子吃起来涩涩的",
    "冷得瑟瑟发抖",
    "上下分别是两个数字",
    "菠菜炒鸡蛋",
    "帮我找刷子",
    "我要原味的酸奶",
    "这件衣服的颜色搭配很好",
    "我们家的狗生了小狗",
    "买几把椅子",
]


@pytest.mark.parametrize("text", HARM)
def test_advert_and_coded_words_block(shipped_filter, text: str) -> None:  # noqa: ANN001
    assert shipped_filter.check(text).action == "block", text


@pytest.mark.parametrize("text", BENIGN)
def test_ordinary_text_with_the_same_characters_is_allowed(shipped_filter, text: str) -> None:  # noqa: ANN001
    v = shipped_filter.check(text)
    assert v.action == "allow", [(r.rule, r.view, r.matched) for r in v.reasons]
