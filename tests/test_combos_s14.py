"""Session-14 co-occurrence rules, written from definitions of a kind of harm (never from a data set's rows) so
that they hold on text nobody here read.

Chinese flame-war abuse aimed at a person (CAC 清朗 网络暴力 descriptions; the 2024 网络暴力信息治理规定: 侮辱谩骂,
恶意诅咒): 'you' or 'this person' told to die or asked whether they are dead yet (`you_death_wish_zh`); the curse on
someone's parents in the stand-in words 浮木 / 木琴 (`parents_standin_curse_zh`); and insults in slang that hides
them from word lists, the initials and sound-alikes of 畜生 / 傻子 / 贱货 / 唐氏 said of a person
(`you_slang_insult_zh`). Every phrasing was written for this test. Hyperbole (笑死, 想死你了), a frozen phone, a
xylophone lesson, driftwood, Counter-Strike, computer science, Shenzhen, a birthplace, cash on delivery and a
child reporting what was said to them stay quiet.

Group hate and sexist generalisations (CAC 清朗 campaigns against 地域 / 种族 / 性别歧视; UN Strategy on Hate Speech;
ECRI GPR 15): a sex said to be useless, to live off the other sex, to be breeding tools or born guilty
(`gender_trope_zh`); a named group wished beaten or stoned to death, forcibly sterilised or wiped out
(`group_death_or_expulsion_zh`, wider wishes) or said to have no intelligence or bad genes
(`group_degrading_predicate_zh`, wider predicates). Pest control, games, questions and talk about stereotypes stay
quiet. Virtual-currency 'car' recruitment (PBoC 2021 notice): a 'new car' or 'get on the car' next to the scheme's
terms (`crypto_car_pitch_zh`); a family's new car, buses and barbecues stay quiet."""

from __future__ import annotations

import pytest
from combo_phrasing_checks import NO_PROBLEMS, phrasing_problems

from filters.engine import TextFilter

ABUSE_FIRES = [
    ("bullying:you_death_wish_zh", "你这种人怎么还不死啊"),
    ("bullying:you_death_wish_zh", "楼主赶紧投胎去吧，别在这丢人"),
    ("bullying:you_death_wish_zh", "这货出门被车撞才好"),
    ("bullying:you_death_wish_zh", "你们死远点，别来烦"),
    ("bullying:parents_standin_curse_zh", "你家浮木还在不在啊"),
    ("bullying:parents_standin_curse_zh", "说这种话，你木琴知道吗"),
    ("bullying:parents_standin_curse_zh", "有本事把浮木卖了换装备"),
    ("bullying:you_slang_insult_zh", "你真是个cs，听不懂人话"),
    ("bullying:you_slang_insult_zh", "这人纯出生，别理了"),
    ("bullying:you_slang_insult_zh", "队友这么唐，带不动"),
    ("bullying:you_slang_insult_zh", "这种见货也配说话"),
]

ABUSE_QUIET = [
    "你讲的笑话太好笑了，笑死我了",
    "好久不见，想死你了",
    "你的手机死了没有反应，重启一下吧",
    "有人在群里叫我去死，我该怎么办",
    "你的木琴弹得真好听，下次音乐课再表演",
    "小熊抱着浮木漂到了河对岸",
    "你周末玩cs吗，我们组队",
    "你是cs专业的学生吗",
    "你在sz上班还是读书",
    "你是出生在北京吗",
    "网购可以见货付款，你放心",
    "你最喜欢哪首唐诗",
    "游戏里的怪物被你打死了没",
]


HATE_FIRES = [
    ("hate:gender_trope_zh", "女人只会花钱，别的什么都不会"),
    ("hate:gender_trope_zh", "男人都是下半身动物"),
    ("hate:gender_trope_zh", "女性生来就是生育工具"),
    ("hate:group_death_or_expulsion_zh", "这些外地人都被打死算了"),
    ("hate:group_death_or_expulsion_zh", "应该对穆斯林强制绝育"),
    ("hate:group_degrading_predicate_zh", "非洲人就是劣质基因"),
    ("hate:group_degrading_predicate_zh", "同性恋是一种病"),
    ("fraud:crypto_car_pitch_zh", "新车今晚发车，项目方靠谱，早上车早吃肉"),
    ("fraud:crypto_car_pitch_zh", "有车的跟上，锁仓三十天翻倍"),
]

HATE_QUIET = [
    "谁说女人没用？妈妈是医生",
    "女性一个人反抗也没用时，要先想办法保护自己",
    "有人攻击女人是生育机器，这种说法是错误的",
    "这个女人没用过这个软件，教教她",
    "男人们一起动手消灭蚊子",
    "游戏里的外国人角色都被打死了",
    "同性恋不是一种病，这是常识",
    "周末爸爸买了新车，我们一起上车去兜风",
    "公交车上车要排队，小朋友先上",
    "我们去吃烤肉，上车吧",
]


@pytest.mark.parametrize(("fires", "quiet"), [(ABUSE_FIRES, ABUSE_QUIET), (HATE_FIRES, HATE_QUIET)],
                         ids=["abuse_zh", "hate_fraud_zh"])
def test_session14_rules_fire_and_block_while_near_misses_stay_quiet(
        shipped_filter: TextFilter, fires: list[tuple[str, str]], quiet: list[str]) -> None:
    """Each rule fires on its phrasings and blocks as a word-pack term would (default band, model off);
    no rule fires on the near misses."""
    assert phrasing_problems(shipped_filter, fires, quiet) == NO_PROBLEMS
