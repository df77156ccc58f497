"""The syllable view's source text: the fold view with pinyin spelt in Latin beside Chinese read as syllables.

Latin runs that touch Chinese characters and spell pinyin ("se情", "约pao", "你这个 jian ren") become one
private character per syllable (filters/tables.Tables.syl_char), so that filters/tables.py's syllable
code turns them and the characters around them into the same syllables. `SourceMap` maps positions of
the source back to the fold view it was made from. filters/normalize.Normalizer owns one
`SyllableSource` (`Normalizer.syllable_source`, `Normalizer.pinyin_runs`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from filters import regex_cache
from filters.tables import CJK, Tables

_HAS_LATIN = regex_cache.compile("[a-z]")
# Latin runs touching Chinese, possibly across one space (where a symbol stood).
# Up to four Latin words touching Chinese (sui shi案, 你这个 jian ren, 约pao).
# Same matches, faster (34 -> 13 us a 200-character mixed text): a letter with no letter or digit before
# it is checked first, and words are possessive (a shorter word leaves a letter next: no branch takes it).
_RUN = "[a-z]++(?: [a-z]++){0,3}"
_LATIN_BY_CJK = regex_cache.compile(
    f"(?=[a-z])(?<![a-z0-9])(?:(?<=[{CJK}])({_RUN})(?=[{CJK}])|(?<=[{CJK}])({_RUN})(?![a-z0-9])"
    f"|(?<![a-z0-9])({_RUN})(?=[{CJK}]))"
)
_LATIN_TOUCHES_CJK = regex_cache.compile(f"[{CJK}][a-z]|[a-z][{CJK}]")  # a cheap necessary condition for the above


RECENT_SOURCES = 1024  # texts whose source is remembered (more than a check_many batch holds with Latin beside Chinese)


class SyllableSource:
    """Builds syllable sources of fold views; remembers the recent ones (the word-pack matcher and then the
    co-occurrence rules ask for the same texts: check_many runs the matcher over a whole batch first)."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables
        self._recent: dict[str, tuple[str, SourceMap | None]] = {}
        self._edges: tuple[frozenset[str], frozenset[str]] | None = None  # see _pinyin_chars

    def __call__(self, fold_text: str) -> tuple[str, SourceMap | None]:
        """The fold view with pinyin spelt in Latin next to Chinese replaced by syllable characters.

        Returns the string and, when a replacement happened, a map from its positions back to the
        fold view (None means the identity: nothing was replaced).
        """
        if fold_text.isascii() or _HAS_LATIN.search(fold_text) is None or _LATIN_TOUCHES_CJK.search(fold_text) is None:
            return fold_text, None  # every match of _LATIN_BY_CJK has a letter right beside a character
            # (most Chinese texts have no letter at all: one character class scans ~3x faster than the pair)
        out = self._recent.get(fold_text)
        if out is None:
            out = self._source(fold_text)
            if len(self._recent) >= RECENT_SOURCES:
                self._recent.clear()
            self._recent[fold_text] = out
        return out

    def runs(self, fold_text: str) -> SourceMap | None:
        """syllable_source's map alone (None: no Latin run read as pinyin), not remembered: for a text
        other than the one the matcher and the rules are reading (filters/decoded_gate.py)."""
        if fold_text.isascii() or _HAS_LATIN.search(fold_text) is None or _LATIN_TOUCHES_CJK.search(fold_text) is None:
            return None
        return self._source(fold_text)[1]

    def _source(self, fold_text: str) -> tuple[str, SourceMap | None]:
        reps = ((m.start(), m.end(), rep) for m in _LATIN_BY_CJK.finditer(fold_text)
                if (rep := self._replacement(m)) != m.group())
        return replace_spans(fold_text, reps)

    def _replacement(self, m: re.Match[str]) -> str:
        """All the run's words as syllables; else only the word that touches the Chinese."""
        run = m.group()
        enc = self._pinyin_chars(run.replace(" ", ""))
        if enc is not None:
            return enc
        if " " not in run:
            return run
        head, _, rest = run.partition(" ")
        body, _, tail = run.rpartition(" ")
        if m.group(3) is not None or m.group(1) is not None:  # Chinese follows: the last word
            enc = self._pinyin_chars(tail)
            if enc is not None:
                return body + " " + enc
        if m.group(2) is not None or m.group(1) is not None:  # Chinese precedes: the first word
            enc = self._pinyin_chars(head)
            if enc is not None:
                return enc + " " + rest
        return run

    def _pinyin_chars(self, run: str) -> str | None:
        """tables.pinyin_chars(run), without parsing a run that cannot be pinyin: a parse must begin with
        a letter that begins a syllable and end with one that ends a syllable (most English words end in
        s, t, d, l, y …: ~55% of the runs beside Chinese in mixed text end the search here)."""
        edges = self._edges
        if edges is None:
            raw = self.tables.raw_syllables
            edges = self._edges = (frozenset(x[0] for x in raw), frozenset(x[-1] for x in raw))
        if run[:1] not in edges[0] or run[-1:] not in edges[1]:
            return None
        return self.tables.pinyin_chars(run)


def replace_spans(text: str, reps: Iterable[tuple[int, int, str]]) -> tuple[str, SourceMap | None]:
    """`text` with each (start, end, replacement) applied (in order, not overlapping), and the map from the new
    string's positions back to `text` (None: nothing was replaced). Also filters/english_reading.py's."""
    parts: list[str] = []
    anchors: list[tuple[int, int, int, int]] = []
    prev = length = 0
    for a, b, rep in reps:
        parts.append(text[prev:a])
        length += a - prev
        anchors.append((length, len(rep), a, b))
        parts.append(rep)
        length += len(rep)
        prev = b
    if not anchors:
        return text, None
    parts.append(text[prev:])
    return "".join(parts), SourceMap(anchors)


class SourceMap:
    """Maps positions of a syllable source back to the fold view it was made from.

    anchors: (source start, source length, fold start, fold end) of each replaced run, in order;
    elsewhere the two strings run in step.
    """

    __slots__ = ("_anchors", "_starts")

    def __init__(self, anchors: list[tuple[int, int, int, int]]) -> None:
        self._anchors = anchors
        self._starts = [a[0] for a in anchors]

    def start(self, pos: int) -> int:
        """Fold position where source character `pos` begins."""
        i = bisect.bisect_right(self._starts, pos) - 1
        if i < 0:
            return pos
        s0, n, f0, f1 = self._anchors[i]
        return f0 if pos < s0 + n else f1 + (pos - s0 - n)

    def end(self, pos: int) -> int:
        """Fold position where source character `pos` ends (exclusive)."""
        i = bisect.bisect_right(self._starts, pos) - 1
        if i < 0:
            return pos + 1
        s0, n, f0, f1 = self._anchors[i]
        return f1 if pos < s0 + n else f1 + (pos - s0 - n) + 1

    def replaced_starts(self) -> list[int]:
        """The source position where each replacement begins."""
        return list(self._starts)

    def replaced_spans(self) -> list[tuple[int, int]]:
        """The fold-view [start, end) of each replaced run."""
        return [(f0, f1) for _, _, f0, f1 in self._anchors]

    def is_replaced(self, start: int, end: int) -> bool:
        """True if any source position in [start, end) lies in a replaced run."""
        return any(s0 < end and start < s0 + n for s0, n, _, _ in self._anchors)
