"""Sound-alike cues of the co-occurrence rules: a group with "sound_alike": true (filters/combo_rules.py)
also matches its Chinese cues written with characters that only sound alike (河蓝人 for 河南人).

The hook is one extra automaton over the normaliser's syllable code of a text (filters/tables.py: two
symbols per character, the same code the word-pack matcher's homophone automaton reads). Its keys are
the syllable codes of each sound-alike cue under the same toneless pinyin and under the near-homophone
swaps of filters/combo_rules.SOUND_ALIKE_* (n/l, zh/z, an/ang, ...). filters/combos.py runs it only on
texts where the main scan already found a cue of a rule that has a sound-alike group, so every other
text pays nothing. A hit is dropped where the characters written are the cue itself (the main scan has
it), a common dictionary word (旅人 is not 女人 disguised) or part of a common word running across its
edge, as for the word-pack matcher's homophones.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice, product
from typing import Protocol

import ahocorasick

from filters.combo_rules import SOUND_ALIKE_FINALS, SOUND_ALIKE_INITIALS
from filters.homophone_rules import HOMOPHONE_WORD_FREQ  # the word-pack matcher's bound

MAX_VARIANTS = 64  # sound-alike spellings kept per cue (a 3-character cue has at most a few dozen)


class _Tables(Protocol):
    syl_code: dict[str, str]

    def encode_syllables(self, syllable_source: str) -> str: ...


class _Segmenter(Protocol):
    def word_freq(self, word: str) -> int: ...

    def overlapped(self, text: str, start: int, end: int, min_freq: int) -> bool: ...


def swaps(syllable: str) -> set[str]:
    """A toneless syllable and its near-homophone swaps (initial or final, one at a time)."""
    out = {syllable}
    for src, dst in SOUND_ALIKE_INITIALS:
        if syllable.startswith(src) and not (src in ("z", "c", "s") and syllable[1:2] == "h"):
            out.add(dst + syllable[len(src):])
    for src, dst in SOUND_ALIKE_FINALS:
        if syllable.endswith(src) and not (src in ("an", "en", "in") and syllable.endswith(src + "g")):
            out.add(syllable[: -len(src)] + dst)
    return out


class SoundAlike:
    """The sound-alike automaton of a rule set's `sound_alike` cues (None-like when there are none)."""

    def __init__(self, tables: _Tables, cues: Iterable[tuple[int, str]]) -> None:
        """cues: (key index, fold-view cue of 2+ Chinese characters)."""
        self.tables = tables
        code_of = tables.syl_code
        syllable_of = {code: syl for syl, code in code_of.items()}
        keys: dict[str, set[int]] = {}
        self.length: dict[int, int] = {}
        for ki, cue in cues:
            syllables = [syllable_of.get(tables.encode_syllables(ch)) for ch in cue]
            if None in syllables:
                continue  # a character without a reading: nothing sounds like it
            options = [sorted(s for s in swaps(syl) if s in code_of) for syl in syllables]  # type: ignore[arg-type]
            for spelling in islice(product(*options), MAX_VARIANTS):
                keys.setdefault("".join(code_of[s] for s in spelling), set()).add(ki)
            self.length[ki] = len(cue)
        self.auto: ahocorasick.Automaton | None = None
        if keys:
            self.auto = ahocorasick.Automaton()
            for code, kis in keys.items():
                self.auto.add_word(code, tuple(sorted(kis)))
            self.auto.make_automaton()

    def __bool__(self) -> bool:
        return self.auto is not None

    def hits(self, fold: str, cue_text: list[str], segmenter: _Segmenter | None) -> list[tuple[int, int, int]]:
        """(key index, fold start, fold end) of sound-alike spellings of the cues in a fold view."""
        if self.auto is None:
            return []
        out = []
        for end_sym, kis in self.auto.iter(self.tables.encode_syllables(fold)):
            fe = (end_sym + 1) // 2
            for ki in kis:
                fs = fe - self.length[ki]
                written = fold[fs:fe]
                if written == cue_text[ki]:
                    continue  # the cue itself: the main scan has it
                if segmenter is not None and (
                    segmenter.word_freq(written) >= HOMOPHONE_WORD_FREQ
                    or segmenter.overlapped(fold, fs, fe, HOMOPHONE_WORD_FREQ)
                ):
                    continue  # an ordinary word, or part of one, not a disguise
                out.append((ki, fs, fe))
        return out
