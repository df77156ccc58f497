"""Session-16 co-occurrence rule semantics and rules, each checked with phrasings written for this test (never a
measured row).

Whole-word cues: a cue written "=默" counts only where the most probable segmentation makes it a word of its own
(filters/combo_edge.py), so a one-character cue can be used without firing inside the words that hold it (默默, 沉默,
默认, 默写; 需要, 主要, 理想). Unmarked cues keep their old meaning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from combo_phrasing_checks import NO_PROBLEMS, phrasing_problems

from filters.combo_edge import whole_word
from filters.combo_rules import ComboError, read_dir
from filters.combos import ComboMatcher
from filters.engine import TextFilter
from filters.normalize import Normalizer, Views
from filters.segment import Segmenter


def _rules(tmp_path: Path, group_cue: str) -> ComboMatcher:
    doc = {"schema": 1, "name": "demo", "version": "1", "description": "t", "provenance": "t", "license": "t",
           "rules": [{"name": "r", "category": "bullying", "severity": 2, "why": "t", "window": 10,
                      "groups": [{"name": "who", "cues": [group_cue]}, {"name": "bad", "cues": ["都是垃圾"]}]}]}
    (tmp_path / "demo.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return ComboMatcher.load(tmp_path, normalizer=Normalizer(), segmenter=Segmenter())


def _fires(m: ComboMatcher, text: str) -> bool:
    return bool(m.find(Views(text, m._norm)))


WHOLE = ["这些默都是垃圾", "默都是垃圾", "一群默，都是垃圾"]
INSIDE = ["沉默都是垃圾", "默认都是垃圾", "默默都是垃圾", "幽默都是垃圾", "他默写都是垃圾"]


def test_a_whole_word_cue_counts_only_as_a_word_of_its_own(tmp_path: Path) -> None:
    marked = _rules(tmp_path, "=默")
    assert [t for t in WHOLE if not _fires(marked, t)] == []
    assert [t for t in INSIDE if _fires(marked, t)] == []


def test_an_unmarked_one_character_cue_keeps_its_old_meaning(tmp_path: Path) -> None:
    plain = _rules(tmp_path, "默")
    assert all(_fires(plain, t) for t in WHOLE + INSIDE)


def test_the_whole_word_mark_is_only_for_chinese_cues(tmp_path: Path) -> None:
    for bad in ("=gay", "=默x", "="):
        with pytest.raises(ComboError):
            _rules(tmp_path, bad)


def test_the_whole_word_check_fails_closed_without_a_segmenter() -> None:
    assert whole_word(None, "沉默都是垃圾", 1, 2)
    assert not whole_word(Segmenter(), "沉默都是垃圾", 1, 2)


def test_shipped_rule_files_load_with_their_marks() -> None:
    marked = [c for f in read_dir() for r in f.rules for g in r.groups for c in g.cues if c.startswith("=")]
    assert "=想" in marked and "=要" in marked


# Self-harm kinds written as their own rules this session, from the public definitions: suicide pacts and
# invitations (WHO media guidance; the CAC 清朗 campaigns against 约死 groups), a date set for an ending and a farewell
# tied to a time (Columbia scale: a plan; WHO / 988 / Samaritans warning signs), a holiday named as one's last.
# Stand-downs: hyperbole (笑死, 要死一起死), games, news about such groups, a child asking how to help a friend,
# trips, weddings, exams, moving and school stay allowed.
SELF_HARM_FIRES = [
    ("self_harm:suicide_pact_together_zh", "要不我们一起死吧，反正也没人在乎"),
    ("self_harm:suicide_pact_together_zh", "有没有人想一起死的，私我"),
    ("self_harm:suicide_pact_together_zh", "我们一起去天堂吧，再也不回来了"),
    ("self_harm:suicide_pact_together_zh", "我们约好了，周末一起跳下去"),
    ("self_harm:suicide_pact_seek_zh", "有人约死吗，同城"),
    ("self_harm:suicide_pact_seek_zh", "求个死伴，坐标成都"),
    ("self_harm:pact_leave_together_zh", "想找个伴一起走，地点都看好了"),
    ("self_harm:pact_leave_together_zh", "有没有人一起离开，我真的受够了"),
    ("self_harm:date_set_ending_zh", "我已经选好日子了，到时候就解脱了"),
    ("self_harm:date_set_ending_zh", "日子我已经定好了，那天就结束这一切"),
    ("self_harm:after_then_gone_zh", "过了明天我就不在了，谢谢你们"),
    ("self_harm:after_then_gone_zh", "明天以后你们就再也见不到我了"),
    ("self_harm:last_occasion_zh", "这是我最后一个生日了"),
    ("self_harm:method_named_zh", "我要跳河"),
    ("self_harm:method_named_zh", "我也想烧炭"),
    ("self_harm:method_named_zh", "真的好累，想烧炭"),
    ("self_harm:wish_dead_self_zh", "我为什么还活着，活着就是受罪"),
]

SELF_HARM_QUIET = [
    "有没有人一起去吃饭",
    "周末有人约吗，一起去爬山",
    "我们一起走吧，天快黑了",
    "笑死，要不我们一起死吧，这作业太难了",
    "游戏里我们一起去死，然后复活",
    "要死一起死，我们是好兄弟",
    "新闻：警方破获网上约死群，提醒家长关注孩子",
    "我朋友说想找人一起死，我该怎么帮她",
    "一起离开这个城市去旅行吧",
    "我们一起跳下去游泳吧",
    "日子已经定好了，下周五结婚",
    "过了明天我就放假了",
    "明天以后你们就见不到我了，我要去外地集训一个月",
    "这是我在小学的最后一个生日了",
    "这是我陪奶奶过的最后一个生日",
    "我失眠，需要吃安眠药才能睡着吗",
    "安眠药主要是治什么的",
    "我的理想是当医生，不让人吃老鼠药",
    "为什么有人会跳河，我想不明白",
    "我想查一下百草枯为什么被禁了",
    "安眠药吃多了会怎么样，我想写作文",
    "重要的事：安眠药要放在孩子够不到的地方",
    "我为什么还活着？因为我还有梦想",
    "我问自己为什么还活着，答案是为了家人",
    "歌词：我们一起走过的日子",
]


def test_self_harm_kinds_fire_and_block_while_near_misses_stay_quiet(shipped_filter: TextFilter) -> None:
    """Each session-16 self-harm rule (and the tightened method and wish rules) fires on its phrasings and blocks
    (default band, model off); no rule fires on the near misses."""
    assert phrasing_problems(shipped_filter, SELF_HARM_FIRES, SELF_HARM_QUIET) == NO_PROBLEMS


# Coded group names as group words of the hate rules (filters/data/sources/coded_groups.json, the lexicon's glossary):
# 默 (黑 over 犬) counts only as a word of its own (=默 in hate.json's group_zh), never inside 沉默, 默认, 默写, 默默 or
# 幽默. 郭楠 is also a person's name: followed by a verb of one act (说, 打了, 昨天 …) or a title (老师, 同学), or
# introduced by 叫 / 同学, it is a person and the group rules stand down (cue set named_person_zh).
GROUP_WORD_FIRES = [
    ("hate:group_all_degrading_zh", "这些默都是垃圾"),
    ("hate:group_death_or_expulsion_zh", "默都该滚出去"),
    ("hate:group_all_degrading_zh", "这帮默都是骗子"),
    ("hate:group_all_degrading_zh", "郭楠都是垃圾"),
    ("hate:group_all_degrading_zh", "郭楠个个都是懒鬼"),
]

GROUP_WORD_QUIET = [
    "沉默的人都是骗子吗",
    "默认都是垃圾设置",
    "我默写都是错的，真是垃圾",
    "默默都是垃圾的代名词",
    "幽默都是装出来的，恶心",
    "郭楠昨天骂我是垃圾",
    "郭楠老师说外地人都是骗子是错的",
    "郭楠说他们都是骗子",
    "叫郭楠的那个人都是骗人的",
]


def test_coded_group_words_fire_while_the_words_they_hide_in_and_a_person_stay_quiet(
        shipped_filter: TextFilter) -> None:
    """=默 and 郭楠 as group words fire the hate rules and block; 默 inside ordinary words and a person called 郭楠
    do not fire any rule."""
    assert phrasing_problems(shipped_filter, GROUP_WORD_FIRES, GROUP_WORD_QUIET) == NO_PROBLEMS


# Later the same session, two more Columbia-scale kinds and two widened farewells: thinking about or searching how to
# die (questions 2-3 of the scale), an aborted or interrupted attempt (means in hand, then put down, not dared or found
# out), a last message with thanks, 'if I do not wake up tomorrow, do not be sad'. Dinosaurs, pets, stories, cooking,
# kites, a doctor's bitter pills, going offline and alarm clocks stay allowed.
MORE_FIRES = [
    ("self_harm:thinking_how_to_die_zh", "我每天都在想怎么死"),
    ("self_harm:thinking_how_to_die_zh", "我在网上搜了很多怎么死的方法"),
    ("self_harm:attempt_aborted_zh", "刀都拿起来了，又放下了，我好没用"),
    ("self_harm:attempt_aborted_zh", "药都倒在手心了，被妈妈发现了"),
    ("self_harm:attempt_aborted_zh", "我把绳子都系好了，最后还是没敢"),
    ("self_harm:last_post_despair_zh", "这是我发的最后一条消息了，谢谢你们陪我"),
    ("self_harm:if_i_were_gone_zh", "如果我明天没有醒来，请不要难过"),
]

MORE_QUIET = [
    "恐龙是怎么死的，我查了好多资料",
    "我一直在想小说里的主角怎么死",
    "我在想我的仓鼠怎么死的",
    "我在想我怎么死都不会原谅他",
    "刀都拿起来了，又放下了，还是不想切西瓜",
    "我把绳子都系好了，风筝还是没飞起来",
    "医生把药片放在我手里，我不敢吃，太苦了",
    "药拿在手里，我不敢吃，怕过敏",
    "这是我发的最后一条消息了，明天要考试，不上网了",
    "这是我今天发的最后一条消息了，谢谢大家，晚安",
    "如果我明天没醒来，就让闹钟多响一会，别难过我迟到",
]


def test_more_columbia_kinds_fire_and_block_while_near_misses_stay_quiet(shipped_filter: TextFilter) -> None:
    """The aborted-attempt and how-to-die rules and the widened farewells fire and block; near misses stay quiet."""
    assert phrasing_problems(shipped_filter, MORE_FIRES, MORE_QUIET) == NO_PROBLEMS
