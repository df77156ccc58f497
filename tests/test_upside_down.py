"""Upside-down English (filters/upside_down.py): turned letters written backwards are read upright.

Each harmful row was allowed before the reading existed (seen red with the matcher's hook removed); the
benign rows hold characters that flipped text also uses (IPA, kaomoji, Greek, Turkish, Korean jamo,
bopomofo) or are flipped but harmless, and must stay allowed.
"""

from __future__ import annotations

import pytest

from filters.upside_down import default_flipper

HARMFUL = [
    ("ʞɔnɟ", "bullying", "ʞɔnɟ"),  # fuck
    ("ʞɔnɟ noʎ", "bullying", "ʞɔnɟ"),  # you fuck, read: fuck you
    ("ɟlǝsɹnoʎ llᴉʞ ob", "bullying", "ɟlǝsɹnoʎ llᴉʞ"),  # go kill yourself
    ("uɹod ǝǝɹɟ", "sexual", "uɹod"),  # free porn
    ("my friend said ɥɔʇᴉq ɐ ǝɹɐ noʎ", "bullying", "ɥɔʇᴉq"),  # you are a bitch, after ordinary words
    ("你好 ʇnls", "sexual", "ʇnls"),  # slut beside Chinese
]

BENIGN = [
    "ʎɐp ǝɔᴉu ɐ ǝʌɐɥ",  # have a nice day
    "ʞooq ʎɯ pɐǝɹ",  # read my book
    "The vowel in 'cup' is /ʌ/ and in 'thought' it is /ɔ/.",
    "今天好开心 o(∩_∩)o",
    "Ο Λόγος είναι ωραίος",
    "ılık su içtim",
    "ㄅㄆㄇㄈ ㄣ ㄥ 注音符号",
    "pod suns dozo",  # flippable letters only: ordinary text, never read flipped
]


@pytest.mark.parametrize(("text", "category", "matched"), HARMFUL)
def test_upside_down_harm_is_blocked(shipped_filter, text: str, category: str, matched: str) -> None:
    verdict = shipped_filter.check(text)
    assert verdict.action == "block", (text, verdict)
    flipped = [r for r in verdict.reasons if r.view == "upside_down" and r.category == category]
    assert flipped, verdict.reasons
    assert any(r.matched == matched and text[r.span[0]:r.span[1]] == matched for r in flipped), flipped


@pytest.mark.parametrize("text", BENIGN)
def test_flipped_lookalikes_stay_allowed(shipped_filter, text: str) -> None:
    verdict = shipped_filter.check(text)
    assert verdict.action == "allow", (text, verdict)


def test_runs_are_whole_tokens_with_a_turned_letter() -> None:
    flipper = default_flipper()
    read = flipper.read("hello ʞɔnɟ noʎ!")
    assert read is not None
    assert read.text == "hello you fuck!"  # "hello" has letters flipped text never uses: not part of the run
    assert read.runs == ((6, 14),)
    assert read.original_span(10, 14) == (6, 10)  # "fuck" was written first, backwards
    assert read.original_span(0, 5) is None  # "hello" lies outside the run: the ordinary scan reads it
    assert flipper.read("pod suns") is None  # no turned letter
    assert flipper.read("o(∩_∩)o") is None  # ∩ is read inside a run but never starts one
    assert flipper.read("Kiểmʇ") is None  # a turned letter inside a word is not a flipped run
