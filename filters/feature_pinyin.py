"""Toneless-pinyin syllable features of the classifier: an optional hash namespace of filters/features.py.

A model trained with them says so in its labels.json ("featurizer": {"pinyin_syllables": true, ...},
written by models/train.py when PINYIN_SYLLABLES is on); filters/classifier.py then builds its
Featurizer with pinyin=True. Without that field the featurizer's ids are exactly those of version 1.

The syllables are the matcher's (filters/tables.py, the syllable view's table; no second table):
- every Chinese character of a window's chars view becomes its default reading as a canonical toneless
  syllable (homophones share it: 河南 / 河楠, 傻逼 / 沙比), giving syllable bigrams of neighbouring
  characters (both read) and syllable unigrams;
- every Latin word of the words view (first window only, as the word features) that is spelt wholly
  in pinyin (Tables.parse_pinyin: "nimasile" -> ni ma si le) gives its syllables, consecutive pinyin
  words joined into one run ("ni ma si le"), with the same bigram and unigram values, so 你妈死了
  and "ni ma si le" share features.

Each syllable has a fixed 32-bit value (crc32 of its spelling), so adding a character to the table
changes no other character's features; the SHA-256 of the table's source files is recorded with
the model (`syllable_digest`). The n-gram values are salted apart from the character and word
n-grams, then mixed and bucketed with them (filters/features.py).

Order within a window (after the version-1 features): character syllable bigrams, character syllable
unigrams, word syllable bigrams, word syllable unigrams. A window still keeps at most MAX_FEATURES
(256) distinct ids, first seen first: a window of more than about 50 distinct Chinese characters keeps
the syllable ids of its first part only (short messages, most hate comments, keep them all).

Cost (python -m benchmarks.bench_classifier): the table is made once per process from the default
readings the prebuilt tables store as an array (Tables.cjk_syllables: ~0.3 ms); featurize_many +8.5 µs
a mixed line (46.7 -> 55.2), measured at load 7.
"""

from __future__ import annotations

import hashlib
import threading
import zlib

import numpy as np

from filters.features import SYL_SALT
from filters.prebuilt import TABLES_DIR
from filters.tables import CJK_RANGES, NO_SYLLABLE, Tables

_MUL = np.uint64(0x100000001B3)
_MUL_INT, _SALT_INT, _M64 = int(_MUL), tuple(int(s) for s in SYL_SALT), (1 << 64) - 1
_WORD_CACHE = 65_536  # distinct Latin words remembered (cleared when full)
_SOURCES = ("pinyin.tsv", "pinyin_fuzzy.json")  # what the syllable table is built from


def syllable_value(syllable: str) -> int:
    """A canonical syllable's fixed nonzero 32-bit value."""
    return zlib.crc32(syllable.encode("ascii"), 0x5711) or 1


def syllable_digest(tables: Tables | None = None) -> str:
    """SHA-256 of the syllable table's source files (recorded with a model trained on these features)."""
    tables_dir = tables.tables_dir if tables is not None else TABLES_DIR
    h = hashlib.sha256()
    for name in _SOURCES:
        h.update((tables_dir / name).read_bytes())
    return h.hexdigest()


class SyllableTable:
    """Code point -> syllable value (0: not a Chinese character with a reading), and pinyin words."""

    def __init__(self, tables: Tables | None = None) -> None:
        self._tables = tables or Tables()
        self.lut = _char_lut(self._tables)
        self._words: dict[str, tuple[int, ...]] = {}
        self._lock = threading.Lock()

    def char_values(self, codes: np.ndarray) -> np.ndarray:
        """uint64 syllable value of each code point (0 where none)."""
        return self.lut[np.minimum(codes, 0xFFFF)]

    def char_ngrams(self, codes: np.ndarray) -> np.ndarray:
        """Salted syllable bigrams then unigrams of one window's characters (uint64 code points)."""
        syl = self.char_values(codes)
        read = syl != 0
        pair = read[:-1] & read[1:]
        big = (syl[:-1][pair] * _MUL + syl[1:][pair]) ^ SYL_SALT[1]
        return np.concatenate([big, syl[read] ^ SYL_SALT[0]])

    def _word(self, word: str) -> tuple[tuple[int, ...], list[int], list[int]]:
        """A Latin word's syllable values if spelt wholly in pinyin (two letters or more; else ()), with
        its salted in-word bigrams and its salted unigrams (cached)."""
        got = self._words.get(word)
        if got is None:
            parts = self._tables.parse_pinyin(word) if len(word) >= 2 and word.isalpha() else None
            syls = tuple(syllable_value(self._tables.canonical(p)) for p in parts) if parts else ()
            got = (syls, [_bigram(a, b) for a, b in zip(syls, syls[1:], strict=False)],
                   [s ^ _SALT_INT[0] for s in syls])
            with self._lock:
                if len(self._words) >= _WORD_CACHE:
                    self._words.clear()
                self._words[word] = got
        return got

    def word_syllables(self, word: str) -> tuple[int, ...]:
        """The syllable values of a Latin word spelt wholly in pinyin (two letters or more), else ()."""
        return self._word(word)[0]

    def word_ngrams(self, words: tuple[str, ...]) -> list[int]:
        """Salted syllable bigrams then unigrams of the words view: runs of consecutive pinyin words
        (a bigram joins the last syllable of a word to the first of the next)."""
        big: list[int] = []
        uni: list[int] = []
        prev = 0
        for word in words:
            syls, inner, unis = self._words.get(word) or self._word(word)
            if not syls:
                prev = 0
                continue
            if prev:
                big.append(_bigram(prev, syls[0]))
            big += inner
            uni += unis
            prev = syls[-1]
        return big + uni


def _char_lut(tables: Tables) -> np.ndarray:
    """Code point -> syllable value (uint64; 0 where none): only the Chinese ranges (CJK) hold one, read
    in numpy from the tables' stored default readings (a Python loop over those ~28,000 code points
    cost ~5 ms of every model load)."""
    values = np.array([syllable_value(s) for s in tables.syllables] + [0], dtype=np.uint64)
    position = np.frombuffer(tables.cjk_syllables, dtype=np.uint16).astype(np.intp)
    position[position == NO_SYLLABLE] = len(tables.syllables)  # the trailing 0
    lut = np.zeros(0x10000, dtype=np.uint64)  # index 0xFFFF (and everything clipped to it) stays 0
    at = 0
    for lo, hi in CJK_RANGES:
        lut[lo : hi + 1] = values[position[at : at + hi + 1 - lo]]
        at += hi + 1 - lo
    return lut


def _bigram(a: int, b: int) -> int:
    return ((a * _MUL_INT + b) & _M64) ^ _SALT_INT[1]


_SHARED: list[SyllableTable] = []
_SHARED_LOCK = threading.Lock()


def shared_table() -> SyllableTable:
    """One SyllableTable per process (built on first use from the matcher's tables)."""
    with _SHARED_LOCK:
        if not _SHARED:
            _SHARED.append(SyllableTable())
        return _SHARED[0]
