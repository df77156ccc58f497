"""Emoji standing for a Chinese character (filters/emoji_readings.py, tables/emoji_readings.json): a text
holding one is checked as written and with the emoji read; the evidence of both readings counts, and the
model is shown both and the less safe scores count. Emoji sprinkled as noise (六⭐合🔥彩) still fold away."""

from __future__ import annotations

from pathlib import Path

import pytest
from recording_model import RecordingModel

from filters.emoji_readings import read_symbols
from filters.engine import TextFilter
from filters.lexicon import load_pack

TEST_PACK = Path(__file__).resolve().parent / "data" / "test_pack.json"


def test_read_symbols_reads_the_table_and_keeps_the_length() -> None:
    text = "🀄国👨人，你们这些👩的 ➕微信 hello 😀"
    read = read_symbols(text)
    assert read == "中国男人，你们这些女的 加微信 hello 😀"
    assert len(read) == len(text)
    assert read_symbols("plain ascii") == "plain ascii"


def test_the_model_is_shown_both_readings_and_the_less_safe_one_counts() -> None:
    model = RecordingModel(lambda t: "中国男人" in t)  # "fraud" only for 中国男人 written out
    tf = TextFilter([load_pack(TEST_PACK)], classifier=model)
    cloaked, plain = "🀄国👨人真是一群没用的东西啊", "今天和同学出去玩好开心😀真的"
    verdicts = tf.check_many([cloaked, plain])
    assert "中国男人真是一群没用的东西啊" in model.seen and cloaked in model.seen
    assert plain in model.seen and len(model.seen) == 3  # a text without such emoji is asked once
    assert [v.action for v in verdicts] == ["block", "allow"]


@pytest.mark.parametrize("text", ["你们这些👩的都是贱人", "🌿泥马", "🀄国👨人都是垃圾", "又是女🥊在闹",
                                  "又是👩👊在闹事", "一群女👊师", "今晚大放💦，扣1",
                                  "长期外发✋工活，宝妈学生都可以做", "闭上你的臭👄"])
def test_emoji_read_as_a_character_in_cloaked_abuse_blocks(shipped_filter, text: str) -> None:  # noqa: ANN001
    assert shipped_filter.check(text).action == "block"


@pytest.mark.parametrize("text", ["六⭐合🔥彩开奖结果", "我⭐要🙈杀⭐了🍑你全家"])
def test_emoji_sprinkled_as_noise_still_fold_away(shipped_filter, text: str) -> None:  # noqa: ANN001
    assert shipped_filter.check(text).action == "block"


@pytest.mark.parametrize("text", ["今天和👩朋友去🏠附近的公园", "妈妈做的🌶椒炒肉真好吃", "⬆上下下左右",
                                  "今天🏃了五公里好累", "⌚坏了要去修", "新年🆕气象", "我们去吃🍜吧", "➗法怎么算",
                                  "我存了好多💰买玩具", "下雨了地上好多💦", "妈妈买了🎫带我去看电影",
                                  "他的✋受伤了要去医院", "小狗啃🦴头", "👄唇干了要涂润唇膏",
                                  # pets and farm animals (the fold reads them), session 15's emoji
                                  "我家🐶好可爱", "小🐷佩奇真可爱", "我家的🐶叫旺财，它会握手", "今天去农场喂🐷和🐔",
                                  "小🐶把💩拉在门口了", "我们班的女生👩都很厉害", "今天早餐吃了🥚和牛奶",
                                  "穿上新👗去公园", "👀快看这只小猫", "🪵头做的小板凳", "🛰飞上了太空",
                                  "我们去森林捡🪵头"])
def test_emoji_read_as_a_character_in_ordinary_use_is_allowed(shipped_filter, text: str) -> None:  # noqa: ANN001
    v = shipped_filter.check(text)
    assert v.action == "allow", [(r.rule, r.view, r.matched) for r in v.reasons]


def test_a_parents_words_apply_to_the_read_text_too(shipped_filter) -> None:  # noqa: ANN001
    """The read text goes through the same steps as the written one: a parent's allow word vetoes a hit
    found only by reading the emoji, and a parent's block word is found through the reading."""
    from filters.policy import FilterPolicy

    assert shipped_filter.check("🌿泥马是羊驼的外号").action == "block"
    assert shipped_filter.check("🌿泥马是羊驼的外号", FilterPolicy(allow_words=("草泥马",))).action == "allow"
    v = shipped_filter.check("今天🀄午吃什么", FilterPolicy(block_words=("中午",)))
    assert v.action == "block" and any(r.kind == "policy" for r in v.reasons)


def test_qq_emoticon_codes_are_read_as_blank_and_bracketed_names_are_kept() -> None:
    """QQ writes [em]e163[/em] for an emoji: read as blank, of its own length; [微笑] is left to the model."""
    text = "居[em]e163[/em]家副[em]e400655[/em]业[微笑]"
    read = read_symbols(text)
    assert len(read) == len(text) and read.split() == ["居", "家副", "业[微笑]"]
    assert read_symbols("[em]e163[/em] only ascii") == "[em]e163[/em] only ascii"  # no Chinese to rejoin


def test_a_phrase_split_by_qq_codes_is_found_and_spans_the_written_text(shipped_filter) -> None:  # noqa: ANN001
    text = "加我带你刷[em]e400655[/em]单"
    v = shipped_filter.check(text)
    hit = [r for r in v.reasons if r.rule == "lexicon:fraud:刷单"]
    assert v.action == "block" and hit and hit[0].matched == "刷[em]e400655[/em]单"
    assert shipped_filter.check("今天生日[em]e163[/em][em]e163[/em]好开心").action == "allow"


@pytest.mark.parametrize(("text", "rule"), [
    ("你这只臭🐶", "combo:bullying:you_contempt_zh"),  # animals and dung: the fold view reads them (homoglyphs.json)
    ("你就是一坨💩", "combo:bullying:you_contempt_zh"),
    ("你个🐷头", "combo:bullying:you_contempt_zh"),
    ("你们这些👩的都该死", "combo:hate:group_death_or_expulsion_zh"),  # read in the second reading only
])
def test_the_rules_see_an_emoji_that_stands_for_its_character(shipped_filter, text: str, rule: str) -> None:  # noqa: ANN001
    v = shipped_filter.check(text)
    hit = [r for r in v.reasons if r.rule == rule]
    assert v.action == "block" and hit and text[hit[0].span[0]:hit[0].span[1]] == hit[0].matched
    assert any(c in hit[0].matched for c in "🐶💩🐷👩")


def test_session_15_emoji_are_read() -> None:
    """🪵 木 (木头), 🛰 卫 (卫星), 🥚 蛋, 👗 裙 (裙子), 👀 看: each read as its character, the length kept."""
    assert read_symbols("🪵🛰🥚👗👀") == "木卫蛋裙看"


@pytest.mark.parametrize("text", ["🪵🐶加我", "反差🪵勾私我"])
def test_wood_for_its_sound_in_a_sexual_slur_blocks(shipped_filter, text: str) -> None:  # noqa: ANN001
    assert shipped_filter.check(text).action == "block"
