"""Misspelt English read back (filters/english_reading.py, filters/readings.py, tables/english_typos.json): swaps,
missing and extra letters, leetspeak and glued words are read back to the words harm is written with, and the
reading is checked by the word lists, the rules and the model as a second text. The sentences are our own."""

from __future__ import annotations

import pytest

from filters import english_reading, readings
from filters.english_reading import EnglishReading


@pytest.fixture(scope="module")
def reader() -> EnglishReading:
    return english_reading.default_reading()


@pytest.mark.parametrize(("written", "read"), [
    ("those peolpe are scmu", "those people are scum"),  # adjacent letters swapped
    ("migrants are a cancr", "migrants are a cancer"),  # a letter missing
    ("what a disgustting bunch", "what a disgusting bunch"),  # a letter added
    ("h4te all w0men", "hate all women"),  # leetspeak
    ("womenarefilth", "women are filth"),  # glued words
])
def test_misspellings_are_read_back(reader: EnglishReading, written: str, read: str) -> None:
    got = reader.read(written)
    assert got is not None and got[0] == read


@pytest.mark.parametrize("text", [
    "the feckless captain",  # a real word that would split (feck less)
    "the fiting room",  # a misspelling of a common word (fitting) as much as of a target
    "kill it with killall",  # one word of harm glued to a function word
    "trending #sugardaddy and @hatewomen",  # hashtags and handles glue words by convention
    "a660 b2b x86",  # codes and numbers
    "the herd of hats and a mate",  # real words one letter from a target (hate)
    "a snigger at the back",  # a letter added that is not a doubled one: a word of its own
])
def test_real_words_codes_and_hashtags_are_left_alone(reader: EnglishReading, text: str) -> None:
    assert reader.read(text) is None


def test_spans_of_the_reading_map_back_to_the_text() -> None:
    text = "Honestly womenarefilth, and peolpe agree"
    r = readings.read(text)
    assert r is not None and r.text == "Honestly women are filth, and people agree"
    at = r.text.index("filth")
    assert readings.back(r, (at, at + 5)) == (9, 22)  # the whole glued token
    assert readings.view(r, (at, at + 5)) == readings.TYPO_READ
    assert readings.back(r, (0, 8)) == (0, 8)


@pytest.mark.parametrize("text", ["you are a retrad", "womenarescum", "those peolpe are scmu"])
def test_misspelt_abuse_blocks_and_names_the_written_span(shipped_filter, text: str) -> None:  # noqa: ANN001
    v = shipped_filter.check(text)
    assert v.action == "block", [(r.rule, r.view) for r in v.reasons]
    spanned = [r for r in v.reasons if r.span is not None]
    assert spanned and all(r.matched == text[r.span[0]:r.span[1]] for r in spanned)  # spans of the text as written


def test_without_the_reading_the_misspellings_pass(shipped_filter, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(english_reading, "replacements", lambda text: [])
    for text in ("you are a retrad", "womenarescum"):
        assert shipped_filter.check(text).action == "allow"


@pytest.mark.parametrize(("written", "read"), [("gaypeopleareworthless", "gay people are worthless"),
                                               ("jewsshoulddie", "jews should die"),
                                               ("nofuckingway", "no fucking way")])
def test_glued_words_may_split_into_three_letter_words_of_harm(reader: EnglishReading, written: str, read: str) -> None:
    assert reader.reading(written) == read


@pytest.mark.parametrize("word", ["runaway", "carpets", "newsletter", "catwalk", "sunset", "dogwood"])
def test_real_words_that_split_into_short_words_are_left_alone(reader: EnglishReading, word: str) -> None:
    assert reader.reading(word) is None


def test_a_short_glued_insult_blocks(shipped_filter) -> None:  # noqa: ANN001
    assert shipped_filter.check("gaypeopleareworthless").action == "block"


@pytest.mark.parametrize("damage", ["missing", "no_targets", "not_words"])
def test_a_missing_or_damaged_table_fails_closed(monkeypatch, tmp_path, damage: str) -> None:  # noqa: ANN001
    """A damaged install raises, as the look-alike, 拆字 and gesture readers do, instead of reading nothing."""
    table = tmp_path / "english_typos.json"
    if damage == "no_targets":
        table.write_text('{"targets": [], "real_words": [], "short_words": []}', encoding="utf-8")
    elif damage == "not_words":
        table.write_text('{"targets": ["hate", 3], "real_words": [], "short_words": []}', encoding="utf-8")
    monkeypatch.setattr(english_reading, "TABLE", table)
    english_reading.default_reading.cache_clear()
    try:
        with pytest.raises((OSError, ValueError)):
            english_reading.default_reading()
    finally:
        english_reading.default_reading.cache_clear()


# session 16: a glued run with ONE target among ordinary words (tables/english_words.json), not only two targets
@pytest.mark.parametrize(("written", "read"), [
    ("just killyourself already", "just kill yourself already"),  # a target and a function word
    ("ihateyou so much", "i hate you so much"),
    ("youarealoser lol", "you are a loser lol"),  # function words are cheap: not "you area loser"
    ("we should killthemall", "we should kill them all"),  # not "kill the mall"
])
def test_one_target_glued_to_ordinary_words_is_read(reader: EnglishReading, written: str, read: str) -> None:
    got = reader.read(written)
    assert got is not None and got[0] == read


@pytest.mark.parametrize("text", [
    "my therapist is kind",  # a real word that contains a target (the rapist)
    "we drove through scunthorpe",  # a place name with a target inside
    "visit expertsexchange for answers",  # ordinary words without a target spell it as well (experts exchange)
    "pens from penisland",  # pen island
    "a course in sexeducation",  # sex education, not sexed u cat i on
    "a murdermystery party",  # a target glued to one ordinary word and no function word: a compound or a name
])
def test_glued_words_that_read_as_ordinary_words_are_left_alone(reader: EnglishReading, text: str) -> None:
    assert reader.read(text) is None


@pytest.mark.parametrize("text", ["just killyourself already", "iwillkillyou tomorrow"])
def test_one_target_glued_abuse_blocks(shipped_filter, text: str) -> None:  # noqa: ANN001
    v = shipped_filter.check(text)
    assert v.action == "block" and any(r.view == readings.TYPO_READ for r in v.reasons), v.reasons


def test_damaged_ordinary_word_table_raises(tmp_path) -> None:  # noqa: ANN001
    bad = tmp_path / "english_words.json"
    bad.write_text('{"words": "kill 42", "whole_words": "backend"}', encoding="utf-8")
    with pytest.raises(ValueError, match="words"):
        english_reading.load_ordinary(bad)
