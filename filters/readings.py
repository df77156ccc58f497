"""A text's second reading: letters of other scripts inside a Latin word read as the Latin letter they look like
(filters/lookalike_letters.py), emoji that stand for a character read as it (filters/emoji_readings.py) and
misspelt English read back (filters/english_reading.py). filters/engine.py screens the reading as one more
text of the batch and shows it to the model; `back` maps the reading's spans to the text as written.

View names of word-list evidence found only in the reading: `typo_read` where the hit touches a token that
was read back, else `lookalike_read` where it touches a look-alike letter read as Latin, else `emoji_read`.
"""

from __future__ import annotations

from typing import NamedTuple

from filters import english_reading, lookalike_letters
from filters.emoji_readings import read_symbols
from filters.syllable_source import SourceMap

EMOJI_READ = "emoji_read"
TYPO_READ = "typo_read"
LOOKALIKE_READ = "lookalike_read"


class Reading(NamedTuple):
    text: str
    spans: SourceMap | None  # None: the same length as the text, position for position
    letters: tuple[int, ...] = ()  # positions of the written text whose look-alike letter was read as Latin


def read(text: str) -> Reading | None:
    """The text read (look-alike letters and emoji as what they stand for, then misspellings read back), or
    None if nothing was read."""
    latin, letters = lookalike_letters.read(text)
    symbols = read_symbols(latin)
    english = english_reading.read(symbols)
    if english is not None:
        return Reading(*english, letters)
    return Reading(symbols, None, letters) if symbols != text else None


def back(reading: Reading, span: tuple[int, int]) -> tuple[int, int]:
    """The span of the written text that a span of the reading came from."""
    if reading.spans is None:
        return span
    start, end = span
    return reading.spans.start(start), reading.spans.end(max(start, end - 1))


def view(reading: Reading, span: tuple[int, int]) -> str:
    """The view name of evidence found at `span` of the reading only."""
    if reading.spans is not None and any(a < span[1] and span[0] < b for a, b in _read_spans(reading.spans)):
        return TYPO_READ
    if reading.letters:
        start, end = back(reading, span)
        if any(start <= p < end for p in reading.letters):
            return LOOKALIKE_READ
    return EMOJI_READ


def _read_spans(spans: SourceMap) -> list[tuple[int, int]]:
    """The reading's [start, end) of each token read back."""
    return [(s0, s0 + n) for s0, n, _, _ in spans._anchors]
