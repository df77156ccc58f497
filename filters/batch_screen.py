"""Batch pre-screen: which texts of a batch certainly hold no word-list match and fire no co-occurrence rule.

`TextFilter.check_many` (and so `kidsafe check`, which feeds it batches) folds each text once, then
asks this module which texts are *quiet*. For those, the matcher's per-text Python (vetoes, exact
views, decoded tokens) and the co-occurrence rules are skipped: their evidence is empty. The others
take the per-text path exactly as `check()` does, so verdicts are the same either way.

How: the fold views of the batch are joined with "\\n" and each automaton scans the joined string
once (one C call per automaton instead of one per text). No automaton key holds "\\n" (fold views,
their two-symbol encodings and the combo scan strings never do), and Aho-Corasick reports every
occurrence of every key, so the occurrences in the joined string are exactly the union of those in
each text: a match never spans two texts (tests/test_batch_screen.py checks both). Each
occurrence's end is mapped back to its text by bisecting the texts' start offsets.

A text is quiet only if every necessary condition of a hit fails (a superset of the texts with hits
is marked loud; loud texts lose nothing):
- lexicon: no occurrence of any key of the ASCII, whole-word, character or homophone automata; no
  disguised-word hint (filters/disguise.token_hint on a text with Latin letters); no Latin run
  touching Chinese (those take the syllable-source path, which is left per text);
- co-occurrence rules: no cue at all, or a single cue and no Latin touching Chinese (a rule needs
  cues of two groups), or cues whose groups cannot make up any rule.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence

from filters.combo_scan import bytewise, scan_view
from filters.disguise import _STRETCH_HINT, _SYMBOL_HINT
from filters.normalize import CJK, Views, has_latin

SEP = "\n"  # never in a fold view, an encoding of one or a combo scan string
_SEP = re.compile(SEP)
_LATIN_TOUCHES_CJK = re.compile(f"[{CJK}][a-z]|[a-z][{CJK}]")
_ALNUM_RUN = re.compile("[a-z0-9]+")
_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_ORIGINAL_SEP = "\x00"  # between original texts: neither a letter nor a symbol the disguise hints read


class Batch:
    """The fold views of a batch of texts, joined once; what every pre-screen below reads."""

    def __init__(self, views: Sequence[Views]) -> None:
        self.views = views
        self.folds = [v.fold for v in views]
        self.joined = SEP.join(self.folds)
        self.starts = _starts(self.folds)
        # the texts with a Chinese character: the only ones the character and syllable automata can match
        self.cjk = [i for i, f in enumerate(self.folds) if not f.isascii()]
        self.cjk_joined = SEP.join([self.folds[i] for i in self.cjk])
        # texts where Latin letters touch Chinese: their syllable source differs from the fold view, and
        # pinyin-spelt combo cues may count there; both are left to the per-text path
        self.latin_by_cjk = {self.cjk[i] for i in _parts_of(
            _sep_starts(self.cjk_joined, len(self.cjk)), (m.start() for m in _LATIN_TOUCHES_CJK.finditer(
                self.cjk_joined)))}


def _starts(parts: Sequence[str]) -> list[int]:
    """Offset of each part in SEP.join(parts)."""
    out, pos = [], 0
    for p in parts:
        out.append(pos)
        pos += len(p) + 1
    return out


def _parts_of(starts: list[int], offsets: Iterable[int]) -> set[int]:
    """Index of the part holding each offset."""
    return {bisect.bisect_right(starts, x) - 1 for x in offsets}


def _sep_starts(joined: str, parts: int) -> list[int]:
    """Offset of each part in a string joined with SEP (SEP occurs nowhere else: checked)."""
    starts = [0] + [m.end() for m in _SEP.finditer(joined)]
    if len(starts) != max(parts, 1):
        raise ValueError(f"batch pre-screen: {len(starts)} parts where {parts} were joined")
    return starts


def _word_key_starts(word_keys: object, joined: str) -> list[int]:
    """Where a whole-word key (filters/automata.WordKeys) may begin: each whole-word occurrence of a
    token that is a key, or of two tokens in a row that begin one (every key of two or more words
    begins with such a pair; WordKeys.find needs them separated by exactly one space)."""
    tokens = _ALNUM_RUN.findall(joined)
    needles = word_keys.keys.keys() & set(tokens)  # type: ignore[attr-defined]
    pairs = word_keys.pairs & set(zip(tokens, tokens[1:], strict=False))  # type: ignore[attr-defined]
    needles.update(f"{a} {b}" for a, b in pairs)
    out = []
    size = len(joined)
    for needle in needles:
        pos = joined.find(needle)
        while pos != -1:
            end = pos + len(needle)
            if (pos == 0 or joined[pos - 1] not in _ALNUM) and (end == size or joined[end] not in _ALNUM):
                out.append(pos)
            pos = joined.find(needle, pos + 1)
    return out


def lexicon_loud(matcher: object, batch: Batch) -> set[int]:
    """Indexes of the texts whose `matcher.find(views[i])` may return a hit (the others return [])."""
    loud = set(batch.latin_by_cjk)
    joined, starts = batch.joined, batch.starts
    ascii_auto = matcher._ascii_auto  # type: ignore[attr-defined]
    if ascii_auto is not None:
        loud |= _parts_of(starts, (end for end, _ in ascii_auto[0].iter(joined)))
    word_keys = matcher._word_keys  # type: ignore[attr-defined]
    if word_keys:
        loud |= _parts_of(starts, _word_key_starts(word_keys, joined))
    if batch.cjk:
        tables = matcher.norm.tables  # type: ignore[attr-defined]
        for built, encode in ((matcher._char_auto, tables.encode_chars),  # type: ignore[attr-defined]
                              (matcher._homophone_auto, tables.encode_syllables)):  # type: ignore[attr-defined]
            if built is not None:
                code = encode(batch.cjk_joined)  # SEP stays one symbol: not in either encoding table
                found = _parts_of(_sep_starts(code, len(batch.cjk)), (end for end, _ in built[0].iter(code)))
                loud.update(batch.cjk[i] for i in found)
    texts = [v.text for v in batch.views]
    original = _ORIGINAL_SEP.join(texts)
    text_starts = _starts(texts)
    for pattern in (_SYMBOL_HINT, _STRETCH_HINT):  # a disguised English word (filters/disguise.token_hint)
        hinted = _parts_of(text_starts, (m.start() for m in pattern.finditer(original)))
        loud.update(i for i in hinted if has_latin(batch.folds[i]))
    return loud


def combo_loud(combos: object, batch: Batch) -> set[int]:
    """Indexes of the texts where `combos.find(views[i])` may fire a rule (the others give [])."""
    auto = combos._auto  # type: ignore[attr-defined]
    if auto is None:
        return set()
    scanned = bytewise(SEP.join([scan_view(f) for f in batch.folds]))
    starts = _sep_starts(scanned, len(batch.folds))
    found: dict[int, list[tuple[int, int, int]]] = {}
    for end, ki in auto.iter(scanned):
        found.setdefault(bisect.bisect_right(starts, end) - 1, []).append((ki, 0, 0))
    candidates = combos._candidates  # type: ignore[attr-defined]
    spelt = batch.latin_by_cjk  # pinyin-spelt cues may add a group there
    return {i for i, cues in found.items() if i in spelt or (len(cues) >= 2 and candidates(cues))}
