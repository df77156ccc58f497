"""Whole-word cues of the co-occurrence rules: a cue written "=默" counts only where it is a word of its own.

An all-Chinese cue of two or more characters is already dropped when the most probable segmentation puts a
word across one of its edges (filters/combos.py, `Segmenter.crosses`: 节日|结束 holds no 日结). A word that
merely *contains* the cue does not count there, and a one-character cue has no inner edge at all, so a coded
one-character group name (默, read as 黑 + 犬) would fire inside 默默, 沉默, 默认 and 默写. A cue written with a
leading `WHOLE_WORD` ("=默") opts in to the stricter check: it counts only where the most probable segmentation
of its Chinese run (the segmenter's unigram model with the cue offered as a word) cuts it out as a word of its
own: 这些默都… keeps it, 沉默都是金 and 默认都是 do not. Only all-Chinese cues may carry the mark.

Fails closed: a segmenter that cannot segment (none given, or without word frequencies) keeps the cue.
"""

from __future__ import annotations

from typing import Protocol

from filters.normalize import is_cjk
from filters.segment import MAX_WORD, chinese_run

WHOLE_WORD = "="  # leading mark of a cue that must be a whole word


class _WordSegmenter(Protocol):
    @property
    def freq(self) -> dict[str, int]: ...

    def best_cuts(self, s: str, term_span: tuple[int, int]) -> list[tuple[int, int]]: ...


def split_mark(cue: str) -> tuple[str, bool]:
    """(the cue without the mark, whether it was marked whole-word)."""
    return (cue[1:], True) if cue.startswith(WHOLE_WORD) else (cue, False)


def markable(cue: str) -> bool:
    """May this (unmarked) cue carry the whole-word mark? Only all-Chinese cues: segmentation is Chinese."""
    return bool(cue) and all(is_cjk(c) for c in cue)


def whole_word(segmenter: object | None, text: str, start: int, end: int) -> bool:
    """True if text[start:end] is a word of its own in the most probable segmentation of the Chinese run
    around it (WINDOW characters each side), i.e. no dictionary word crosses its edges or contains it."""
    freq = getattr(segmenter, "freq", None)
    if freq is None or not hasattr(segmenter, "best_cuts"):
        return True  # fail closed: the cue counts
    lo, hi = chinese_run(text, start, end)
    if lo == start and hi == end:
        return True
    if not _word_overlaps(freq, text, lo, start, end, hi):
        return True  # no dictionary word reaches into the cue from around it: it stands alone
    s, e = start - lo, end - lo
    return (s, e) in segmenter.best_cuts(text[lo:hi], (s, e))  # type: ignore[attr-defined]


def _word_overlaps(freq: dict[str, int], text: str, lo: int, start: int, end: int, hi: int) -> bool:
    """Whether a dictionary word of 2-MAX_WORD characters inside text[lo:hi], other than the cue itself,
    overlaps text[start:end] (the cheap necessary condition for the cue not being a word of its own)."""
    for x in range(max(lo, start - MAX_WORD + 1), end):
        for y in range(max(x + 2, start + 1), min(hi, x + MAX_WORD) + 1):
            if (x, y) != (start, end) and text[x:y] in freq:
                return True
    return False
