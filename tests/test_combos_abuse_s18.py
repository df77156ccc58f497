"""Session-18 ChineseHarm-abuse rules (bullying.json 2026.12.01.22), each checked with phrasings written for this
test (never a measured row).

parents_gone_taunt_zh: the curse on someone's parents thrown as a bare taunt (没父母吗, 父母双亡吧) with a
sentence-final particle as a word of its own; a child's own family, orphanhood explained, a lost child asked where the
parents are, hypotheticals and pity stand it down.

parents_dead_jibe_zh (widened): the orphan label (孤儿) and the either-or / for-a-trifle jibes (是没父母还是…,
为了个…不要父母); parents_dead_zh gains 死父母, 不要父母, 没有双亲.

mother_standin_mu_zh: 亩 (mǔ, a land measure) standing in for 母 as a word of its own, dead, gone or asked after
(亩死了, 没亩, 你亩呢; a bare 'you' nearby is not enough); land, farming, areas, numbers of mu and talk about the
character stay quiet."""

from __future__ import annotations

from combo_phrasing_checks import NO_PROBLEMS, phrasing_problems

from filters.engine import TextFilter

ABUSE_FIRES = [
    ("bullying:parents_gone_taunt_zh", "天天挂机坑人，没父母吗"),
    ("bullying:parents_gone_taunt_zh", "这么会骗，父母双亡吧"),
    ("bullying:parents_dead_jibe_zh", "到底是没爹没妈还是没人教"),
    ("bullying:parents_dead_jibe_zh", "为了一个皮肤连父母都不要了"),
    ("bullying:parents_dead_jibe_zh", "一个没父母的孤儿也配说话"),
    ("bullying:mother_standin_mu_zh", "你亩没了"),
    ("bullying:mother_standin_mu_zh", "亩死了还嘴硬"),
    ("bullying:mother_standin_mu_zh", "嘴这么臭，没亩吧"),
    ("bullying:mother_standin_mu_zh", "天天喷人，你亩呢"),
]

ABUSE_QUIET = [
    "孤儿是没有父母的孩子吗？",
    "小朋友，你的父母呢？我们帮你找",
    "我从小没有父母啊，是奶奶带大的",
    "他是个父母双亡的孤儿，由奶奶抚养长大",
    "什么叫孤儿？就是没有父母的孩子",
    "如果没有父母照顾，小动物怎么活下去呢",
    "你出国了，你的双亲怎么办？",
    "我家的狗跑路了，好伤心",
    "那条狗偷吃了桌上的骨头",
    "小狗抄袭了我的动作，太可爱了",
    "他养的狗一条腿受伤了",
    "警察抓住了诈骗犯，大家要小心",
    "双标是什么意思呀",
    "我家有三亩地",
    "你家种了几亩玉米",
    "亩是面积单位",
    "你知道一亩等于多少平方米吗",
    "亩产一千斤的水稻",
    "你看那片田有多少亩",
    "没有亩这个字的读音吗",
]


def test_family_curses_fire_while_family_talk_and_real_dogs_stay_quiet(
        shipped_filter: TextFilter) -> None:
    assert phrasing_problems(shipped_filter, ABUSE_FIRES, ABUSE_QUIET) == NO_PROBLEMS
