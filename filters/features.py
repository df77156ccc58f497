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

Features: character 1-, 2- and 3-grams of the chars view (bi- and trigrams include a start and an
end marker), word unigrams and word bigrams, each hashed to one of N_BUCKETS ids by a fixed 64-bit integer hash
computed with numpy over the UTF-32 code points (word ids: zlib.crc32). Never Python's hash(),
which is salted per process. Each window gives at most MAX_FEATURES distinct ids (a repeated
n-gram counts once); the weights are
1/sqrt(n) for the n real ids and 0 for the padding, so the model's embedding bag is
sum(E[id] * w) = sum(E[id]) / sqrt(n).

Texts longer than WINDOW_CHARS normalised characters are cut into windows (see `windows`); the
classifier scores each window and reports the most harmful one.

`featurize_many(texts)` is the batched path the classifier runs: the windows of all texts are hashed
in one numpy pass (one code array with start/end markers, masks for each window's n-grams, one int64
sort key (window, bucket, position) to keep each window's first occurrence of a bucket, a second
(window, position) to restore first-seen order). It gives exactly the ids of `featurize` (the
per-window reference kept for tests and benchmarks/bench_model.py).
"""

from __future__ import annotations

import hashlib
import re
import threading
import unicodedata
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

FEATURE_VERSION = 1
N_BUCKETS = 1 << 15
MAX_FEATURES = 256
WINDOW_CHARS = 72
MAX_WINDOWS = 8
MAX_TEXT_CHARS = WINDOW_CHARS * MAX_WINDOWS * 2

FOLD_TABLE_PATH = Path(__file__).resolve().parent / "data" / "features_fold.tsv"

_START, _END = 0x02, 0x03
_MUL = np.uint64(0x100000001B3)  # FNV-1a 64-bit prime: combines code points of an n-gram
_SALT = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F), np.uint64(0x165667B19E3779F9))
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)  # splitmix64 finaliser constants
_MIX2 = np.uint64(0x94D049BB133111EB)
_SH30, _SH27, _SH31 = (np.array(k, dtype=np.uint64) for k in (30, 27, 31))  # 0-d: cheaper than scalars
_NONWORD = re.compile(r"[\W_]+")
_LATIN_RUN = re.compile(r"[a-z0-9]+")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g"})


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


@dataclass(frozen=True, slots=True)
class Views:
    chars: str
    words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Batch:
    """The windows of a list of texts: row w holds window w's ids, 0-padded after counts[w] real ids."""

    ids: np.ndarray  # int32[W, MAX_FEATURES]
    counts: np.ndarray  # int32[W], 1..MAX_FEATURES (every window has at least its start bigram)
    owner: np.ndarray  # int32[W], index of the text the window belongs to (non-decreasing)

    def slots(self) -> np.ndarray:
        """The model's "ids" input, int32[W, MAX_FEATURES]: bucket id + 1 for real ids, 0 for padding
        (the exported model's embedding row 0 is all zeros, so padding adds nothing to the bag)."""
        real = np.arange(MAX_FEATURES) < self.counts[:, None]
        return np.where(real, self.ids + 1, 0).astype(np.int32)


class Featurizer:
    """Turns texts into (ids int32[MAX_FEATURES], weights float32[MAX_FEATURES]). Immutable."""

    def __init__(self, fold_table: dict[int, str] | None = None) -> None:
        self._fold = load_fold_table() if fold_table is None else dict(fold_table)
        self._fold_chars = frozenset(map(chr, self._fold))  # translate() only texts holding one of them

    def normalise(self, text: str) -> Views:
        folded = unicodedata.normalize("NFKC", text[:MAX_TEXT_CHARS]).casefold()
        if not folded.isascii() and not self._fold_chars.isdisjoint(folded):
            folded = folded.translate(self._fold)
        words: list[str] = []
        for run in _LATIN_RUN.findall(folded):
            words.append(run)
            if not run.isalpha() and not run.isdigit():
                words.append(run.translate(_LEET))
        return Views(chars=_NONWORD.sub("", folded), words=tuple(words))

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
        return [self.pack(self.hash_views(v)) for v in self.windows(text)]

    def featurize_first(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(ids, weights) of the first window only: what the training recipe uses per row."""
        return self.pack(self.hash_views(self.windows(text)[0]))

    def featurize_many(self, texts: list[str]) -> Batch:
        """The windows of every text, hashed and packed in one vectorised pass (ids as `featurize`)."""
        views: list[Views] = []
        owner: list[int] = []
        for index, text in enumerate(texts):
            wins = self.windows(text)
            views += wins
            owner += [index] * len(wins)
        if len(views) <= SMALL_BATCH:  # the vectorised pass has a fixed cost: a few windows are cheaper alone
            ids = np.zeros((len(views), MAX_FEATURES), dtype=np.int32)
            counts = np.zeros(len(views), dtype=np.int32)
            for row, v in enumerate(views):
                distinct = distinct_ids(v)
                counts[row] = len(distinct)
                ids[row, : len(distinct)] = distinct
        else:
            ids, counts = hash_pack_many(views)
        return Batch(ids=ids, counts=counts, owner=np.asarray(owner, dtype=np.int32))


SMALL_BATCH = 2  # windows up to which featurize_many packs each window alone (same ids, fewer numpy calls)
_BUCKET_MASK = np.uint64(N_BUCKETS - 1)


def distinct_ids(views: Views) -> list[int]:
    """The window's distinct bucket ids in first-seen order, at most MAX_FEATURES: `distinct(hash_views)`
    in about half the numpy calls (in-place arithmetic, dict.fromkeys for the first-seen order)."""
    codes = np.frombuffer(f"\x02{views.chars}\x03".encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n = len(codes) - 2  # characters
    crc = _word_crcs(views.words) if views.words else []
    values = np.empty(3 * n + 1 + len(crc), dtype=np.uint64)
    np.bitwise_xor(codes[1:-1], _SALT[0], out=values[:n])
    bigram, trigram = values[n : 2 * n + 1], values[2 * n + 1 : 3 * n + 1]
    np.multiply(codes[:-1], _MUL, out=bigram)
    bigram += codes[1:]
    np.multiply(bigram[:-1], _MUL, out=trigram)
    trigram += codes[2:]
    bigram ^= _SALT[1]
    trigram ^= _SALT[2]
    if crc:
        np.bitwise_xor(np.array(crc, dtype=np.uint64), _SALT[0], out=values[3 * n + 1 :])
    values ^= values >> _SH30
    values *= _MIX1
    values ^= values >> _SH27
    values *= _MIX2
    values ^= values >> _SH31
    values &= _BUCKET_MASK
    return list(dict.fromkeys(values.tolist()))[:MAX_FEATURES]


def _word_crcs(words: tuple[str, ...]) -> list[int]:
    """crc32 of each word, then of each pair of neighbouring words (the word features, unsalted)."""
    crc = [zlib.crc32(x.encode("ascii"), 0x5EED) for x in words]
    crc += [zlib.crc32(f"{a} {b}".encode("ascii"), 0xB16A) for a, b in zip(words, words[1:], strict=False)]
    return crc


_DEDUP_WINDOWS = 32  # windows per pass of the first-occurrence table: 32 x N_BUCKETS int32 = 4 MB
_scratch = threading.local()  # that table, one per thread (featurize_many runs outside any lock)


def _first_occurrence(keys: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Mask of the first occurrence of each (window, bucket) key, without sorting: window by window in
    groups of _DEDUP_WINDOWS, every position writes itself into a table slot named by its key (last
    writes first, so the first occurrence's write lands last), then a position is a head when the
    slot holds it. Whatever the write order, each distinct key has exactly one head."""
    table = getattr(_scratch, "table", None)
    if table is None:
        table = _scratch.table = np.empty(_DEDUP_WINDOWS * N_BUCKETS, dtype=np.int32)
    heads = np.empty(len(keys), dtype=bool)
    positions = np.arange(len(keys), dtype=np.int32)
    for group in range(0, len(bounds) - 1, _DEDUP_WINDOWS):
        a, b = bounds[group], bounds[min(group + _DEDUP_WINDOWS, len(bounds) - 1)]
        local = keys[a:b] - (group << _BUCKET_BITS)
        table[local[::-1]] = positions[a:b][::-1]
        np.equal(table[local], positions[a:b], out=heads[a:b])
    return heads


_BUCKET_BITS = N_BUCKETS.bit_length() - 1


def _word_features(views: list[Views]) -> tuple[list[int], np.ndarray]:
    """crc32 values of every window's word unigrams then word bigrams, and their count per window."""
    crc: list[int] = []
    per_window = np.zeros(len(views), dtype=np.int64)
    for w, v in enumerate(views):
        if v.words:
            crc += _word_crcs(v.words)
            per_window[w] = 2 * len(v.words) - 1
    return crc, per_window


def hash_pack_many(views: list[Views]) -> tuple[np.ndarray, np.ndarray]:
    """ids int32[W, MAX_FEATURES] and counts int32[W] of W windows; the same as pack(hash_views(v)).

    Every window's n-gram values are written straight into their place in one array laid out window
    by window in the reference order (unigrams, bigrams, trigrams, words), mixed in one pass, and
    deduplicated by `_first_occurrence`; the kept ids keep that order. A window with more than
    MAX_FEATURES distinct ids (only a first window carrying many words) is packed by the reference."""
    n_win = len(views)
    ids_out = np.zeros((n_win, MAX_FEATURES), dtype=np.int32)
    if not n_win:
        return ids_out, np.zeros(0, dtype=np.int32)
    lens = np.fromiter((len(v.chars) for v in views), dtype=np.int64, count=n_win)
    crc, n_words = _word_features(views)
    codes = np.frombuffer("".join(chr(_START) + v.chars + chr(_END) for v in views).encode("utf-32-le"),
                          dtype=np.uint32).astype(np.uint64)
    seg = lens + 2  # a window's code segment: start marker, its characters, end marker
    n_feat = 3 * lens + 1 + n_words  # unigrams L, bigrams L + 1, trigrams L, then its words
    bounds = np.zeros(n_win + 1, dtype=np.int64)
    np.cumsum(n_feat, out=bounds[1:])
    seg_start = np.cumsum(seg) - seg
    win = np.repeat(np.arange(n_win, dtype=np.int64), seg)
    at = np.arange(len(codes), dtype=np.int64) - seg_start[win]  # position within the segment
    length = lens[win]
    dest = at + bounds[:-1][win]  # + 0 / L / 2L + 1 - 1: where a unigram / bigram / trigram goes
    values = np.empty(int(bounds[-1]), dtype=np.uint64)
    uni = (at >= 1) & (at <= length)
    values[dest[uni] - 1] = codes[uni] ^ _SALT[0]
    bigram = codes[:-1] * _MUL + codes[1:]
    big = at[:-1] <= length[:-1]
    values[(dest[:-1] + length[:-1])[big]] = bigram[big] ^ _SALT[1]
    tri = at[:-2] < length[:-2]
    values[(dest[:-2] + 2 * length[:-2] + 1)[tri]] = (bigram[:-1][tri] * _MUL + codes[2:][tri]) ^ _SALT[2]
    if crc:
        has = np.flatnonzero(n_words)
        word_at = np.repeat(bounds[has] + 3 * lens[has] + 1 - np.cumsum(n_words[has]) + n_words[has],
                            n_words[has]) + np.arange(len(crc))
        values[word_at] = np.asarray(crc, dtype=np.uint64) ^ _SALT[0]
    bucket = (_mix(values) & np.uint64(N_BUCKETS - 1)).astype(np.int64)
    owner = np.repeat(np.arange(n_win, dtype=np.int64), n_feat)
    heads = _first_occurrence((owner << _BUCKET_BITS) | bucket, bounds)
    kept_owner, kept = owner[heads], bucket[heads].astype(np.int32)
    per_window = np.bincount(kept_owner, minlength=n_win)
    rank = np.arange(len(kept), dtype=np.int64) - (np.cumsum(per_window) - per_window)[kept_owner]
    fits = rank < MAX_FEATURES
    ids_out[kept_owner[fits], rank[fits]] = kept[fits]
    for w in np.flatnonzero(per_window > MAX_FEATURES):  # cut to the first-seen MAX_FEATURES: the reference
        ids_out[w] = Featurizer.distinct(Featurizer.hash_views(views[w]))
    return ids_out, np.minimum(per_window, MAX_FEATURES).astype(np.int32)
