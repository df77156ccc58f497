"""A text's second reading: letters of other scripts inside a Latin word read as the Latin letter they look like
(filters/lookalike_letters.py), emoji that stand for a character read as it (filters/emoji_readings.py),
misspelt English read back (filters/english_reading.py), characters written as their parts joined where
that makes a listed term (filters/chaizi.py) and insulting gestures read as their words (🖕 fuck you:
filters/gesture_emoji.py) and money numerals written in disguise as the amount (1OO, 七佰, ④牵:
filters/money_numerals.py). filters/engine.py screens the reading as one more text of the batch and shows it to
the model; `back` maps the reading's spans to the text as written.

View names of word-list evidence found only in the reading: `typo_read` where the hit touches a token that
was read back, `chaizi_read` where it touches parts that were joined, else `lookalike_read` where it touches a
look-alike letter read as Latin, else `numeral_read` where it touches a money numeral read, else `emoji_read`
(emoji read as a character, or a gesture read as words).
"""

from __future__ import annotations

from typing import NamedTuple

from filters import chaizi, english_reading, gesture_emoji, homophone_reopen, lookalike_letters, money_numerals
from filters.emoji_readings import read_symbols
from filters.syllable_source import SourceMap, replace_spans

EMOJI_READ = "emoji_read"
TYPO_READ = "typo_read"
LOOKALIKE_READ = "lookalike_read"
CHAIZI_READ = "chaizi_read"
NUMERAL_READ = "numeral_read"


class Reading(NamedTuple):
    text: str
    spans: SourceMap | None  # None: the same length as the text, position for position
    letters: tuple[int, ...] = ()  # positions of the written text whose look-alike letter was read as Latin
    joined: tuple[tuple[int, int], ...] = ()  # [start, end) of the written text of each part string joined
    gestures: tuple[tuple[int, int], ...] = ()  # [start, end) of the written text of each gesture read as words
    numerals: tuple[int, ...] = ()  # positions of the written text whose disguised money numeral was read


def read(text: str) -> Reading | None:
    """The text read (look-alike letters and emoji as what they stand for, then misspellings read back and
    parts joined), or None if nothing was read."""
    latin, letters = lookalike_letters.read(text)
    symbols, numerals = money_numerals.read(read_symbols(latin))  # both keep the text's length
    joins = chaizi.replacements(symbols)
    gestures = gesture_emoji.replacements(symbols)
    reps = english_reading.replacements(symbols)
    if joins or gestures:
        reps = sorted(reps + joins + gestures)  # English tokens, Chinese parts and emoji never overlap
    if reps:
        read_text, spans = replace_spans(symbols, reps)
        return Reading(read_text, spans, letters, tuple((a, b) for a, b, _ in joins),
                       tuple((a, b) for a, b, _ in gestures), numerals)
    return Reading(symbols, None, letters, numerals=numerals) if symbols != text else None


def back(reading: Reading, span: tuple[int, int]) -> tuple[int, int]:
    """The span of the written text that a span of the reading came from."""
    if reading.spans is None:
        return span
    start, end = span
    return reading.spans.start(start), reading.spans.end(max(start, end - 1))


def view(reading: Reading, span: tuple[int, int], found: str = "") -> str:
    """The view name of evidence found at `span` of the reading only (`found`: the view it was found in there).
    Joined parts count only as the listed term they make: a sound-alike hit there keeps its view `sound_alike`,
    which blocks only with the model's agreement (filters/homophone_reopen.py; 尸吊丝 reads 屌丝, a term, which
    also sounds like 吊死)."""
    start, end = back(reading, span)
    if reading.spans is not None:
        other = reading.joined + reading.gestures
        read_back = [(f0, f1) for f0, f1 in reading.spans.replaced_spans() if (f0, f1) not in other]
        if any(a < end and start < b for a, b in read_back):
            return TYPO_READ
        if any(a < end and start < b for a, b in reading.joined):
            return found if found == homophone_reopen.VIEW else CHAIZI_READ
    if any(start <= p < end for p in reading.letters):
        return LOOKALIKE_READ
    if any(start <= p < end for p in reading.numerals):
        return NUMERAL_READ
    return EMOJI_READ
