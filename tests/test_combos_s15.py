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


# Self-harm said without 自杀, by the kinds of the Columbia suicide severity scale (wish to be dead, a method
# determined, an attempt made or interrupted, preparatory acts) and the NHS signs of self-injury. Stand-downs follow
# the minor-mode guideline's aim (protect the child in crisis, not hide help or ordinary talk): hyperbole (累死了,
# 笑死), accidents, games, pets, cooking, barbecues, swimming, grandparents' medicine, warnings, news about someone
# else and a child asking how to help a friend stay allowed.
SELF_HARM_FIRES = [
    ("self_harm:attempt_survived_zh", "我试过好几次了都没死成"),
    ("self_harm:attempt_survived_zh", "我被抢救回来了，可是我一点都不开心"),
    ("self_harm:overdose_taken_zh", "我昨晚吞了一整瓶安眠药"),
    ("self_harm:overdose_taken_zh", "刚才我把一瓶药都吃了"),
    ("self_harm:self_injury_again_zh", "我又割了，这次割得很深"),
    ("self_harm:self_injury_again_zh", "昨天晚上我割了好几刀"),
    ("self_harm:self_injury_scars_zh", "我手腕上全是疤，夏天也不敢穿短袖"),
    ("self_harm:wish_dead_self_zh", "我为什么还没死"),
    ("self_harm:wish_dead_self_zh", "老天把我收走吧，我受不了了"),
    ("self_harm:wish_dead_self_zh", "我觉得我死了也挺好的"),
    ("self_harm:jump_place_zh", "我在楼顶站了很久，最后没敢跳"),
    ("self_harm:noose_ready_zh", "绳子已经系在房梁上了"),
    ("self_harm:method_named_zh", "我想烧炭"),
    ("self_harm:method_named_zh", "吃安眠药应该不疼吧"),
    ("self_harm:method_named_zh", "有没有人一起跳海"),
    ("self_harm:method_named_zh", "我想吃老鼠药"),
]

SELF_HARM_QUIET = [
    "我从自行车上摔下来，居然没死，哈哈",
    "游戏里我被boss打了一下，没死成，还剩一点血",
    "吃错蘑菇中毒了，被送去洗胃",
    "我感冒了，吃了好多片药才好",
    "弟弟不小心吃了一把药，被送去医院",
    "奶奶的药都吃完了，我去药店帮她买",
    "我又割了一次草，累得满头大汗",
    "我帮妈妈切菜，又划了一道口子",
    "我手臂上有一道疤，是小时候摔的",
    "我早就该死心了，他根本不喜欢我",
    "乌龟为什么还活着这么久",
    "我站在跳台上，最后没敢跳，游泳课好可怕",
    "妈妈把腊肉用绳子挂在房梁上",
    "我朋友说她又割了，我该怎么帮她",
    "新闻里说一名男子被抢救回来了",
    "周末我们去公园烧炭烤肉",
    "奶奶失眠，医生给她开了安眠药",
    "千万不要跳河，太危险了",
    "妈妈开煤气做饭",
    "家里有老鼠，爸爸买了老鼠药",
    "端午节是为了纪念投江的屈原",
    "我想知道安眠药是什么",
    "累死了，今天作业好多",
]


def test_self_harm_kinds_fire_and_block_while_near_misses_stay_quiet(shipped_filter: TextFilter) -> None:
    """Each session-15 self-harm rule fires on its phrasings and blocks (default band, model off); no rule fires
    on the near misses."""
    assert phrasing_problems(shipped_filter, SELF_HARM_FIRES, SELF_HARM_QUIET) == NO_PROBLEMS


# Abuse aimed at a person (CAC 清朗 网络暴力 kinds 恶意诅咒 and 侮辱谩骂): a misfortune wished on someone or their
# family (`malicious_curse_zh`), and `you_contempt_zh`'s wider mind and filth insults. Self-oaths, birthday wishes,
# stories, a child reporting a curse, tadpoles, toilets and a teacher's kind word stay quiet.
ABUSE_FIRES = [
    ("bullying:malicious_curse_zh", "祝你孤独终老，一辈子没人要"),
    ("bullying:malicious_curse_zh", "我诅咒你生孩子没屁眼"),
    ("bullying:malicious_curse_zh", "希望你早日喜提骨灰盒"),
    ("bullying:malicious_curse_zh", "愿你天打雷劈"),
    ("bullying:you_contempt_zh", "你脑子是有毛病吧"),
    ("bullying:you_contempt_zh", "你就是个智力障碍"),
    ("bullying:you_contempt_zh", "你脑子里装的都是屎吧"),
    ("bullying:you_contempt_zh", "你这张嘴是喝了尿吗"),
]

ABUSE_QUIET = [
    "我发誓，如果我骗你就天打雷劈",
    "祝你生日快乐，天天开心",
    "故事里的坏人最后不得好死",
    "有人祝我孤独终老，我该怎么办",
    "你知道蝌蚪发育不完全会怎么样吗",
    "你帮我看看，马桶里有屎，要修一下",
    "小朋友，你的脑子有问题可以问老师",
    "你去厕所别踩到粪坑",
]


def test_abuse_kinds_fire_and_block_while_near_misses_stay_quiet(shipped_filter: TextFilter) -> None:
    """The curse rule and the wider contempt cues fire on their phrasings and block; near misses stay quiet."""
    assert phrasing_problems(shipped_filter, ABUSE_FIRES, ABUSE_QUIET) == NO_PROBLEMS
