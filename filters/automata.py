"""Compact storage of the matcher's keys: int-valued Aho-Corasick automata and a whole-word key index.

An automaton key stands for one or more (entry index, view, length, lead, mode, homophones) tuples
(see filters/matcher.py). Hundreds of thousands of small tuples as pyahocorasick values cost ~40 MB
and slow the matcher cache's unpickling, so each automaton stores an int (STORE_INTS) that numbers
the key's row in a `KeyTable`, where the tuples are packed one int64 each.

Spelt-out pinyin (seqing, se qing: ~50,000 keys and ~600,000 automaton nodes, ~40 MB for the 45k-term
lexicon) can only match whole Latin words: such keys start a word (lead) and end one (exact). A
`WordKeys` index finds the same matches by looking runs of whole words up in a dict, in about a
tenth of the memory and no more time per line.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable, Iterator
from sys import intern

import ahocorasick

# (entry index, view name, length, lead, mode, homophones): see filters/matcher.py
Key = tuple[int, str, int, bool, str, bool]

VIEWS = ("fold", "split", "pinyin", "syllable")
MODES = ("word", "exact", "prefix", "cjk", "strict")
_VIEW_CODE = {v: i for i, v in enumerate(VIEWS)}
_MODE_CODE = {m: i for i, m in enumerate(MODES)}
_ALNUM_RUN = re.compile("[a-z0-9]+")
_NOT_WORD = re.compile("[^a-z0-9 ]")


class KeyTable:
    """Rows of key tuples packed in two arrays; `table[row]` decodes a row (memoised)."""

    __slots__ = ("starts", "packed", "_memo")

    def __init__(self) -> None:
        self.starts = array("I", [0])
        self.packed = array("q")
        self._memo: dict[int, tuple[Key, ...]] = {}

    def append(self, keys: Iterable[Key]) -> None:
        for index, view, length, lead, mode, homophones in keys:
            if not 0 <= length < 1024:
                raise ValueError(f"key of {length} characters")
            self.packed.append(index << 17 | length << 7 | _VIEW_CODE[view] << 5 | _MODE_CODE[mode] << 2
                               | lead << 1 | homophones)
        self.starts.append(len(self.packed))

    def __getitem__(self, row: int) -> tuple[Key, ...]:
        keys = self._memo.get(row)
        if keys is None:
            keys = tuple(
                (x >> 17, VIEWS[x >> 5 & 3], x >> 7 & 1023, bool(x & 2), MODES[x >> 2 & 7], bool(x & 1))
                for x in self.packed[self.starts[row] : self.starts[row + 1]]
            )
            if len(self._memo) >= 16_384:
                self._memo.clear()
            self._memo[row] = keys
        return keys

    def __len__(self) -> int:
        return len(self.starts) - 1

    def longest(self) -> int:
        """The greatest key length of any row (0 if empty)."""
        return max((x >> 7 & 1023 for x in self.packed), default=0)

    def __getstate__(self) -> tuple[array, array]:
        return self.starts, self.packed

    def __setstate__(self, state: tuple[array, array]) -> None:
        self.starts, self.packed = state
        self._memo = {}


def build(keys: dict[str, tuple[Key, ...]]) -> tuple[ahocorasick.Automaton, KeyTable] | None:
    """An int-valued automaton (the value numbers the key's row in the table) and its key table."""
    if not keys:
        return None
    auto = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    table = KeyTable()
    for row, (k, v) in enumerate(keys.items()):
        auto.add_word(k, row)
        table.append(v)
    auto.make_automaton()
    return auto, table


def whole_words_only(key: str, tuples: Iterable[Key]) -> bool:
    """True for an ASCII key whose every tuple must start and end at word edges (lead, exact)."""
    return key.isascii() and all(lead and mode == "exact" for _, _, _, lead, mode, _ in tuples)


class WordKeys:
    """Keys of letters/digits and single spaces that match only runs of whole [a-z0-9]+ words.

    `find(fold)` yields (start, end, tuples) for every run of whole words separated by single spaces
    that is a key: the same positions an automaton over these keys would report and that survive
    the lead and exact vetoes (the caller still applies every veto, so the results are identical).
    """

    __slots__ = ("keys", "table", "pairs", "span")

    def __init__(self, keys: dict[str, tuple[Key, ...]]) -> None:
        self.keys: dict[str, int] = {}
        self.table = KeyTable()
        for row, (k, v) in enumerate(keys.items()):
            self.keys[k] = row
            self.table.append(v)
        # every two words that follow each other in some key: a run of words can only be a key if each
        # of its neighbouring pairs is one of these (English text rarely has two pinyin syllables in a row)
        # (the words interned: a few thousand distinct syllables stand in 40,000 pair slots, and pickle
        # then stores each once, so a loaded cache shares them too: about 2 MB less resident)
        self.pairs = frozenset(pair for k in keys if " " in k for pair in _pairs([intern(w) for w in k.split(" ")]))
        self.span = max((k.count(" ") + 1 for k in keys), default=0)

    def __bool__(self) -> bool:
        return bool(self.keys)

    def find(self, fold: str) -> Iterator[tuple[int, int, tuple[Key, ...]]]:
        keys, pairs, span = self.keys, self.pairs, self.span
        # a fold view of only letters, digits and spaces splits in C at half the regex's cost
        tokens = fold.split() if fold.isascii() and _NOT_WORD.search(fold) is None else _ALNUM_RUN.findall(fold)
        if keys.keys().isdisjoint(tokens) and pairs.isdisjoint(_pairs(tokens)):
            return  # no one word is a key, and no two words in a row begin to be one
        runs = [(m.start(), m.end()) for m in _ALNUM_RUN.finditer(fold)]
        for i, (a, b) in enumerate(runs):
            candidates = [(a, b)]
            end, word = b, fold[a:b]
            for a2, b2 in runs[i + 1 : i + span]:
                after = fold[a2:b2]
                if a2 != end + 1 or fold[end] != " " or (word, after) not in pairs:
                    break
                end, word = b2, after
                candidates.append((a, end))
            for fs, fe in candidates:
                row = keys.get(fold[fs:fe])
                if row is not None:
                    yield fs, fe, self.table[row]

    def __getstate__(self) -> tuple:
        return self.keys, self.table, self.pairs, self.span

    def __setstate__(self, state: tuple) -> None:
        self.keys, self.table, self.pairs, self.span = state


def _pairs(words: list[str]) -> zip:
    return zip(words, words[1:], strict=False)
