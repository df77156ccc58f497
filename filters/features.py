"""Featurizer of the on-device text classifier: a text -> hashed n-gram ids and weights.

The model's inputs are frozen here, independent of filters/normalize, so later changes to the
matcher's normalisation never silently change what the model sees. Version FEATURE_VERSION and
the SHA-256 of the folding table are written into labels.json by the training recipe and checked
when a model is loaded (filters/classifier.py).

Normalisation (version 1), in order:
1. keep the first MAX_TEXT_CHARS code points (a 1 MB line costs no more than a long snippet);
2. Unicode NFKC (full-width -> ASCII, compatibility forms), then casefold;
3. fold each code point through filters/data/features_fold.tsv: traditional -> simplified Chinese
   (OpenCC t2s, one character each) and accented Latin letters -> their ASCII base letter;
4. the "chars" view drops everything that is not a letter or a digit: spaces, punctuation,
   symbols, emoji, zero-width and other format characters ("色 💋情" -> "色情");
5. the "words" view keeps the ASCII letter/digit runs of the folded text, plus a leetspeak-decoded
   copy of any run that mixes letters and digits ("r3tard" -> "retard").

`Featurizer.normalise` gives these views through one per-code-point table (filters/feature_table.py,
stored in filters/data/features_table.pickle) wherever NFKC works character by character, and through
the steps above (`normalise_reference`) elsewhere; tests compare the two on every code point.

Features: character 1-, 2- and 3-grams of the chars view (bi- and trigrams include a start and an
end marker), word unigrams and word bigrams, each hashed to one of N_BUCKETS ids by a fixed 64-bit integer hash
computed with numpy over the UTF-32 code points (word ids: zlib.crc32). Never Python's hash(),
which is salted per process. Each window gives at most MAX_FEATURES distinct ids (a repeated
n-gram counts once); the weights are
1/sqrt(n) for the n real ids and 0 for the padding, so the model's embedding bag is
sum(E[id] * w) = sum(E[id]) / sqrt(n).

Texts longer than WINDOW_CHARS normalised characters are cut into windows (see `windows`); the
classifier scores each window and reports the most harmful one.

Optional namespace (Featurizer(pinyin=True), on when the model's labels.json records
"pinyin_syllables": true): toneless-pinyin syllable bigrams and unigrams of the Chinese characters and
of Latin words spelt in pinyin (filters/feature_pinyin.py), appended after the features above; off,
the ids are exactly version 1's.

`featurize_many(texts)` is the path the classifier runs (filters/feature_batch.py): the windows of
many texts hashed in one vectorised numpy pass, one text hashed once over its whole chars view, a
single window with few numpy calls. Each gives exactly the ids of `featurize` (the per-window
reference kept for tests and the benchmarks).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from filters import regex_cache
from filters.model_windows import MAX_TEXT_CHARS, MAX_WINDOWS, WINDOW_CHARS

if TYPE_CHECKING:
    from filters.feature_pinyin import SyllableTable

FEATURE_VERSION = 1
N_BUCKETS = 1 << 15
MAX_FEATURES = 256

PINYIN_KEY = "pinyin_syllables"  # labels.json "featurizer" field: true = the syllable namespace is on
SYLLABLE_DIGEST_KEY = "syllable_sha256"  # and the digest of the syllable table it was trained with

FOLD_TABLE_PATH = Path(__file__).resolve().parent / "data" / "features_fold.tsv"

_START, _END = 0x02, 0x03
_MUL = np.uint64(0x100000001B3)  # FNV-1a 64-bit prime: combines code points of an n-gram
_SALT = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F), np.uint64(0x165667B19E3779F9))
SYL_SALT = (np.uint64(0xD6E8FEB86659FD93), np.uint64(0xA0761D6478BD642F))  # pinyin namespace: unigram, bigram
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)  # splitmix64 finaliser constants
_MIX2 = np.uint64(0x94D049BB133111EB)
_SH30, _SH27, _SH31 = (np.array(k, dtype=np.uint64) for k in (30, 27, 31))  # 0-d: cheaper than scalars
_NONWORD = regex_cache.compile(r"[\W_]+")
_LATIN_RUN = regex_cache.compile(r"[a-z0-9]+")
_MIXED_RUN = regex_cache.compile(r"[a-z][0-9]|[0-9][a-z]")  # a letter touching a digit: a run mixes the two
_DIGIT = regex_cache.compile("[0-9]")  # (one character class: a fast scan, where _MIXED_RUN tries at every letter)
_NOT_RUN_OR_SPACE = regex_cache.compile("[^a-z0-9 ]")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g"})


def _words(folded: str, chars: str | None = None) -> tuple[str, ...]:
    """The words view: the Latin letter/digit runs, each followed by its leetspeak decoding if it mixes
    letters and digits. chars: folded without its spaces, when the caller has it (normalise): an ASCII
    text is then checked with str methods (a C loop) instead of two regular-expression scans."""
    if chars is not None and folded.isascii():  # folded is chars plus spaces: only [a-z0-9 ] iff chars is [a-z0-9]*
        plain = not chars or (chars.isalnum() and (chars.islower() or chars.isdigit()))
    else:
        plain = folded.isascii() and _NOT_RUN_OR_SPACE.search(folded) is None
    # only letters, digits and spaces (the translated text of an ASCII line): the runs are its words, split in C
    runs = folded.split() if plain else _LATIN_RUN.findall(folded)
    if not runs:
        return ()
    if ((plain and chars is not None and chars.isalpha()) or _DIGIT.search(folded) is None
            or _MIXED_RUN.search(folded) is None):
        return tuple(runs)  # no run mixes letters and digits (most texts)
    words: list[str] = []
    for run in runs:
        words.append(run)
        if not run.isalpha() and not run.isdigit():
            words.append(run.translate(_LEET))
    return tuple(words)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser on a uint64 array (wraps modulo 2**64)."""
    x = (x ^ (x >> _SH30)) * _MIX1
    x = (x ^ (x >> _SH27)) * _MIX2
    return x ^ (x >> _SH31)


def load_fold_table(path: Path = FOLD_TABLE_PATH) -> dict[int, str]:
    """The frozen code point -> replacement table (tab-separated, '#' comments)."""
    table: dict[int, str] = {}
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        src, sep, dst = line.partition("\t")
        if not sep or len(src) != 1 or not dst:
            raise ValueError(f"{path}:{lineno}: expected 'char<TAB>replacement'")
        table[ord(src)] = dst
    return table


def fold_table_digest(path: Path = FOLD_TABLE_PATH) -> str:
    """SHA-256 of the folding table file, recorded with the model to detect a changed featurizer."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Views(NamedTuple):
    """A text as the featurizer reads it: its letters and digits, and its words."""

    chars: str
    words: tuple[str, ...]


class Batch(NamedTuple):
    """The windows of a list of texts: row w holds window w's ids, 0-padded after counts[w] real ids."""

    ids: np.ndarray  # int32[W, MAX_FEATURES]
    counts: np.ndarray  # int32[W], 1..MAX_FEATURES (every window has at least its start bigram)
    owner: np.ndarray  # int32[W], index of the text the window belongs to (non-decreasing)

    @classmethod
    def of_rows(cls, rows: list[list[int]], owner: list[int] | None = None) -> Batch:
        """A batch from each window's distinct ids (owner: the text of each row; default all text 0)."""
        ids = np.zeros((len(rows), MAX_FEATURES), dtype=np.int32)
        for row, distinct in enumerate(rows):
            ids[row, : len(distinct)] = distinct
        return cls(ids=ids, counts=np.fromiter(map(len, rows), dtype=np.int32, count=len(rows)),
                   owner=np.asarray(owner if owner is not None else [0] * len(rows), dtype=np.int32))

    def slots(self) -> np.ndarray:
        """The model's "ids" input, int32[W, MAX_FEATURES]: bucket id + 1 for real ids, 0 for padding
        (the exported model's embedding row 0 is all zeros, so padding adds nothing to the bag)."""
        real = np.arange(MAX_FEATURES) < self.counts[:, None]
        return np.where(real, self.ids + 1, 0).astype(np.int32)


class Featurizer:
    """Turns texts into (ids int32[MAX_FEATURES], weights float32[MAX_FEATURES]). Immutable.

    pinyin: add the syllable namespace (filters/feature_pinyin.py); `syllables` overrides its table."""

    def __init__(self, fold_table: dict[int, str] | None = None, pinyin: bool = False,
                 syllables: SyllableTable | None = None) -> None:
        # the fold table itself is read only by the reference path and a rebuild of the per-code-point table
        # (parsing its 4,600 lines cost ~3 ms of every model load): `_fold_pair` loads it on first use
        self._fold_given = None if fold_table is None else dict(fold_table)
        self._fold_loaded: tuple[dict[int, str], frozenset[str]] | None = None
        self._stock = fold_table is None  # the stored per-code-point table is built from the stock one
        self._table: list[str | int] | None = None  # see normalise (both built on first use)
        self._combining: re.Pattern[str] | None = None
        self._spaced_list: list[str | int] | None = None
        self.pinyin = pinyin
        self.syllables: SyllableTable | None = None
        if pinyin:
            from filters.feature_pinyin import shared_table

            self.syllables = syllables or shared_table()

    def normalise(self, text: str) -> Views:
        """The chars and words views of `text` (the module docstring's steps 1-5), equal to
        `normalise_reference`: most texts take one str.translate through a per-code-point table holding
        each character's NFKC, case fold, fold and, for what the chars view drops, a space (the spaces
        then only separate the Latin runs). NFKC works on single characters except where characters
        combine (marks, Hangul jamo) or past U+FFFF: such texts take the reference."""
        text = text[:MAX_TEXT_CHARS]
        if not text.isascii() and (self._combining or self._load_table()[1]).search(text):
            return self.normalise_reference(text)
        spaced = text.translate(self._table or self._load_table()[0])
        chars = spaced.replace(" ", "")
        return Views(chars=chars, words=_words(spaced, chars))

    def normalise_reference(self, text: str) -> Views:
        """The views step by step: NFKC, casefold, fold, then regular expressions over the folded text."""
        folded = unicodedata.normalize("NFKC", text[:MAX_TEXT_CHARS]).casefold()
        if not folded.isascii():
            fold, fold_chars = self._fold_pair()
            if not fold_chars.isdisjoint(folded):  # translate() only texts holding one of them
                folded = folded.translate(fold)
        return Views(chars=_NONWORD.sub("", folded), words=_words(folded))

    def _fold_pair(self) -> tuple[dict[int, str], frozenset[str]]:
        """The fold table (code point -> replacement) and the set of its characters, loaded once."""
        if self._fold_loaded is None:
            fold = load_fold_table() if self._fold_given is None else self._fold_given
            self._fold_loaded = (fold, frozenset(map(chr, fold)))
        return self._fold_loaded

    def _load_table(self) -> tuple[list[str | int], re.Pattern[str]]:
        from filters.feature_table import load

        self._table, self._combining = load(lambda: self._fold_pair()[0], fold_table_digest() if self._stock else "")
        return self._table, self._combining

    def windows(self, text: str) -> list[Views]:
        """One Views per window of at most WINDOW_CHARS characters (overlapping by 2); >= 1 window."""
        views = self.normalise(text)
        chars = views.chars
        if len(chars) <= WINDOW_CHARS:
            return [views]
        step = WINDOW_CHARS - 2
        out = []
        for start in range(0, len(chars) - 2, step)[:MAX_WINDOWS]:
            out.append(Views(chars=chars[start : start + WINDOW_CHARS], words=()))
        out[0] = Views(chars=out[0].chars, words=views.words)
        return out

    @staticmethod
    def hash_views(views: Views) -> np.ndarray:
        """Bucket ids (int64) of the n-grams of one window, in a fixed order."""
        codes = np.frombuffer(
            (chr(_START) + views.chars + chr(_END)).encode("utf-32-le"), dtype=np.uint32
        ).astype(np.uint64)
        parts = []  # salted n-gram values, mixed together at the end (the mix is elementwise)
        if len(codes) > 2:
            parts.append(codes[1:-1] ^ _SALT[0])
        bigram = codes[:-1] * _MUL + codes[1:]
        parts.append(bigram ^ _SALT[1])
        if len(codes) >= 3:
            parts.append((bigram[:-1] * _MUL + codes[2:]) ^ _SALT[2])
        if views.words:
            words = views.words
            crc = [zlib.crc32(w.encode("ascii"), 0x5EED) for w in words]
            crc += [zlib.crc32(f"{a} {b}".encode("ascii"), 0xB16A) for a, b in zip(words, words[1:], strict=False)]
            parts.append(np.asarray(crc, dtype=np.uint64) ^ _SALT[0])
        hashed = _mix(np.concatenate(parts))
        return (hashed & np.uint64(N_BUCKETS - 1)).astype(np.int64)

    def window_ids(self, views: Views) -> np.ndarray:
        """Bucket ids (int64) of one window's n-grams in the reference order (see `window_ids`)."""
        return window_ids(views, self.syllables)

    @staticmethod
    def distinct(ids: np.ndarray) -> np.ndarray:
        """Distinct ids in first-seen order, at most MAX_FEATURES."""
        _, first = np.unique(ids, return_index=True)
        return ids[np.sort(first)][:MAX_FEATURES]

    @classmethod
    def pack(cls, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Distinct ids in first-seen order, cut or 0-padded to MAX_FEATURES; weights 1/sqrt(n) on the
        n real ids, 0 on padding. Distinct: "好好好…" or "hahaha…" is a few features, not hundreds."""
        ids = cls.distinct(ids)
        n = len(ids)
        out_ids = np.zeros(MAX_FEATURES, dtype=np.int32)
        out_w = np.zeros(MAX_FEATURES, dtype=np.float32)
        if n:
            out_ids[:n] = ids[:n]
            out_w[:n] = 1.0 / np.sqrt(n)
        return out_ids, out_w

    def featurize(self, text: str) -> list[tuple[np.ndarray, np.ndarray]]:
        """(ids, weights) per window of `text`; at least one (all-padding for an empty text)."""
        return [self.pack(self.window_ids(v)) for v in self.windows(text)]

    def featurize_first(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(ids, weights) of the first window only: what the training recipe uses per row."""
        return self.pack(self.window_ids(self.windows(text)[0]))

    def text_rows(self, text: str) -> list[list[int]]:
        """Each window's distinct ids (first-seen order, at most MAX_FEATURES) of one text: the device's
        one query, hashed over the whole text once (filters/feature_batch.text_window_ids)."""
        from filters.feature_batch import distinct_ids, text_window_ids

        views = self.normalise(text)
        syl = self.syllables
        return [distinct_ids(views, syl)] if len(views.chars) <= WINDOW_CHARS else text_window_ids(views, syl)

    def featurize_many(self, texts: list[str]) -> Batch:
        """The windows of every text with the ids of `featurize`: many texts in one vectorised pass
        (filters/feature_batch.hash_pack_many); one text, or a couple of windows, without its fixed cost."""
        from filters.feature_batch import SMALL_BATCH, distinct_ids, hash_pack_many

        if len(texts) == 1:
            return Batch.of_rows(self.text_rows(texts[0]))
        windows, owner = self._windows_of(texts)
        if len(windows) <= SMALL_BATCH:
            return Batch.of_rows([distinct_ids(v, self.syllables) for v in windows], owner)
        ids, counts = hash_pack_many(windows, self.syllables)
        return Batch(ids=ids, counts=counts, owner=np.asarray(owner, dtype=np.int32))

    def slots_many(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """featurize_many(texts) as the model reads it: (Batch.slots(), counts, owner), the slots written
        straight by the vectorised hashing (filters/feature_batch.hash_slots_many) for two texts or more."""
        from filters.feature_batch import SMALL_BATCH, hash_slots_many

        windows, owner = self._windows_of(texts) if len(texts) > 1 else ([], [])
        if len(windows) <= SMALL_BATCH:
            batch = self.featurize_many(texts)
            return batch.slots(), batch.counts, batch.owner
        slots, counts = hash_slots_many(windows, self.syllables)
        return slots, counts, np.asarray(owner, dtype=np.int32)

    def _windows_of(self, texts: list[str]) -> tuple[list[Views], list[int]]:
        """Every window of the texts, in order, and the index of the text each belongs to."""
        windows: list[Views] = []
        owner: list[int] = []
        for index, text in enumerate(texts):
            wins = self.windows(text)
            windows += wins
            owner += [index] * len(wins)
        return windows, owner


def syllable_values(syllables: SyllableTable, codes: np.ndarray, words: tuple[str, ...]) -> np.ndarray:
    """Salted, not yet mixed values of a window's syllable namespace (uint64 code points of its chars)."""
    return np.concatenate([syllables.char_ngrams(codes), np.asarray(syllables.word_ngrams(words), dtype=np.uint64)])


def window_ids(views: Views, syllables: SyllableTable | None) -> np.ndarray:
    """Bucket ids (int64) of one window's n-grams in the reference order: `Featurizer.hash_views`, then
    the syllable namespace when a table is given (the per-window reference of every fast path)."""
    ids = Featurizer.hash_views(views)
    if syllables is None:
        return ids
    codes = np.frombuffer(views.chars.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    values = syllable_values(syllables, codes, views.words)
    return np.concatenate([ids, (_mix(values) & np.uint64(N_BUCKETS - 1)).astype(np.int64)])


def featurizer_record(pinyin: bool) -> dict[str, object]:
    """The "featurizer" object of a model's labels.json (written by models/train.py, checked by
    filters/classifier.py when the model is loaded)."""
    record: dict[str, object] = {"module": "filters.features", "version": FEATURE_VERSION, "n_buckets": N_BUCKETS,
                                 "max_features": MAX_FEATURES, "fold_sha256": fold_table_digest(), PINYIN_KEY: pinyin}
    if pinyin:
        from filters.feature_pinyin import syllable_digest

        record[SYLLABLE_DIGEST_KEY] = syllable_digest()
    return record
