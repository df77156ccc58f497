"""Session-8 co-occurrence rules for Chinese self-harm statements without 自杀: a note written, cutting
oneself, no will to live, 一死了之, nothing left to hold on to, wanting to die again and again, an
overdose under way, one's existence a mistake, goodbye to the world, tired of living, life over,
wanting to disappear (the scam and recruitment rules are in test_combos_recruitment.py). Each rule
fires on phrasings written for this test from the public descriptions the rule files cite (never
eval rows); ordinary first-person complaints (累死了, 笑死我了, 想死你了), a child reporting what
someone said, hyperbole, accidents and games stay quiet."""

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
    ("self_harm:want_to_die_often_zh", "最近我天天都想死，什么都不想做"),
    ("self_harm:pills_taken_zh", "我刚才把一整瓶安眠药都吞了，别救我"),
    ("self_harm:life_is_a_mistake_zh", "我觉得我的存在本身就是一个错误"),
    ("self_harm:goodbye_to_world_zh", "我准备好跟这个世界告别了"),
    ("self_harm:tired_of_living_ending_zh", "活着太累了，只想彻底解脱"),
    ("self_harm:life_ends_here_zh", "我知道我的人生走到尽头了"),
    ("self_harm:want_to_disappear_zh", "我真想永远消失，谁也找不到我"),
    ("self_harm:if_i_were_gone_zh", "如果我走了，不要为我哭"),
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
    "我天天都想你，想死你了",
    "这个人总是想死磕到底",
    "吃了一大把药，感冒终于好了",
    "我吃了一瓶酸奶，等着妈妈回来",
    "你的存在不是一个错误，你很重要",
    "这首歌唱的是和这个世界告别",
    "游戏里我的生命值到头了，复活一下",
    "这学期就到此为止吧，我的人生新篇章要开始了",
    "尴尬得我想原地消失",
    "我好想让作业消失",
    "我好想消失在人群里，安安静静的",
]


def test_statements_fire_and_block_while_near_misses_stay_quiet(shipped_filter: TextFilter) -> None:
    """Each rule fires on its phrasings and blocks as a word-pack term would (default band, model off);
    no rule fires on the near misses."""
    assert phrasing_problems(shipped_filter, FIRES, QUIET) == NO_PROBLEMS
