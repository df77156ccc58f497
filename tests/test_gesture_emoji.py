"""Insulting gesture emoji (filters/gesture_emoji.py, tables/gesture_emoji.json): the middle finger, with or without a
skin tone, is read as its words in the text's second reading; other hand emoji are not."""

from __future__ import annotations

import pytest

from filters import gesture_emoji, readings


def test_the_gesture_and_its_skin_tone_are_one_replacement() -> None:
    assert gesture_emoji.replacements("你🖕🏽!") == [(1, 3, " fuck you ")]
    assert gesture_emoji.replacements("👍👆✌ hello") == []
    reading = readings.read("🖕🏻")
    assert reading is not None and "fuck you" in reading.text and reading.gestures == ((0, 2),)


@pytest.mark.parametrize("text", ["🖕", "🖕🏻", "你🖕", "he showed me 🖕🏿 again"])
def test_the_middle_finger_blocks_with_its_span_on_the_emoji(shipped_filter, text: str) -> None:  # noqa: ANN001
    v = shipped_filter.check(text)
    assert v.action == "block"
    hit = next(r for r in v.reasons if r.view == readings.EMOJI_READ)
    assert text[hit.span[0]:hit.span[1]].startswith("🖕")


@pytest.mark.parametrize("text", ["👍好的", "手指👆上面", "✌️ peace", "👋 hello there", "🙏谢谢"])
def test_other_hand_emoji_are_allowed(shipped_filter, text: str) -> None:  # noqa: ANN001
    assert shipped_filter.check(text).action == "allow"


@pytest.mark.parametrize(("text", "term"), [("想到了🔞的东西", "lexicon:sexual:十八禁"),
                                          ("消赠🔞️，私我", "lexicon:sexual:十八禁"),
                                          ("想看打✈️么", "lexicon:swsr.sexual:打飞机")])
def test_an_emoji_read_as_its_chinese_name_blocks_on_the_emoji(shipped_filter, text: str, term: str) -> None:  # noqa: ANN001
    v = shipped_filter.check(text)
    hit = next(r for r in v.reasons if r.rule == term)
    assert v.action == "block" and hit.view == readings.EMOJI_READ
    assert text[hit.span[0]:hit.span[1]] == hit.matched and ("🔞" in hit.matched or "✈" in hit.matched)


def test_a_chinese_reading_is_not_padded_and_an_ascii_one_is() -> None:
    assert gesture_emoji.replacements("坐✈️去") == [(1, 3, "飞机")]
    assert gesture_emoji.replacements("🖕") == [(0, 1, " fuck you ")]
    reading = readings.read("坐✈️去北京")
    assert reading is not None and reading.text == "坐飞机去北京"


@pytest.mark.parametrize("text", ["坐✈️去北京看外婆", "✈飞得好高啊", "我长大想开✈"])
def test_flying_is_allowed(shipped_filter, text: str) -> None:  # noqa: ANN001
    assert shipped_filter.check(text).action == "allow"
