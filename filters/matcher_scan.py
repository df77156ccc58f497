"""The word-pack matcher's scan of many fold views (filters/matcher.py): one automaton at a time over all
of them, so each automaton's megabytes stay in the CPU's caches for the batch (check_many: ~6% of its
time against one text at a time through every automaton). Each string's raw hits come in the order of
`Matcher.scan_fold`: the ASCII automaton, the whole-word index, the character automaton, the syllable
automaton (filters/matcher_syllables.py), then one hit per (entry, span) (match_hits.dedupe_raw).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from filters import matcher_syllables, regex_cache
from filters.match_hits import RawHit, dedupe_raw

if TYPE_CHECKING:
    from filters.matcher import Matcher

_ASCII_ALNUM = regex_cache.compile("[a-z0-9]")


def scan_folds(m: Matcher, folds: list[str], allow: bool = True) -> list[list[RawHit]]:
    """scan_fold of each string, one automaton at a time over all of them: each automaton (megabytes)
    then stays in the CPU's caches for the batch. Each string's hits come in scan_fold's order.
    allow=False keeps the Latin matches an allow-context covers (filters/matcher_decoded.py decides)."""
    found: list[list[RawHit]] = [[] for _ in folds]
    latin = [i for i, f in enumerate(folds) if f.isascii() or _ASCII_ALNUM.search(f)]
    if latin and m._ascii_auto is not None:
        auto, table = m._ascii_auto
        for i in latin:
            fold, hits = folds[i], found[i]
            for end, row in auto.iter(fold):
                for index, view, length, lead, mode, _ in table[row]:
                    fs = end + 1 - length
                    if m._keep_char_hit(fold, index, lead, mode, fs, end + 1, allow):
                        hits.append(RawHit(index, fs, end + 1, view))
    whole = m._words_for(folds[i] for i in latin) if latin else None
    for i in latin if whole else ():
        fold, hits = folds[i], found[i]
        for fs, fe, keys in whole.find(fold):  # type: ignore[union-attr]
            for index, view, _, lead, mode, _ in keys:
                if m._keep_char_hit(fold, index, lead, mode, fs, fe, allow):
                    hits.append(RawHit(index, fs, fe, view))
    chinese = [i for i, f in enumerate(folds) if not f.isascii()]
    if chinese and m._char_auto is not None:
        table = m._char_auto.table
        for i in chinese:
            fold, hits = folds[i], found[i]
            for fe, row in m._char_auto.find(fold):
                for index, view, length, lead, mode, _ in table[row]:
                    fs = fe - length
                    if m._keep_char_hit(fold, index, lead, mode, fs, fe, allow):
                        hits.append(RawHit(index, fs, fe, view))
    if chinese and m._syl_auto is not None:
        for i in chinese:  # homophones, se情 (filters/matcher_syllables.py)
            found[i].extend(matcher_syllables.scan_syllables(m, folds[i]))
    return [dedupe_raw(hits) if len(hits) > 1 else hits for hits in found]
