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
_SH30, _SH27, _SH31 = np.uint64(30), np.uint64(27), np.uint64(31)
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

    def normalise(self, text: str) -> Views:
        folded = unicodedata.normalize("NFKC", text[:MAX_TEXT_CHARS]).casefold().translate(self._fold)
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
        if len(views) <= SMALL_BATCH:  # the vectorised pass has a fixed cost; one window is cheaper alone
            ids = np.zeros((len(views), MAX_FEATURES), dtype=np.int32)
            counts = np.zeros(len(views), dtype=np.int32)
            for row, v in enumerate(views):
                distinct = self.distinct(self.hash_views(v))
                counts[row] = len(distinct)
                ids[row, : len(distinct)] = distinct
        else:
            ids, counts = hash_pack_many(views)
        return Batch(ids=ids, counts=counts, owner=np.asarray(owner, dtype=np.int32))


SMALL_BATCH = 4  # windows up to which featurize_many hashes each window on its own (same ids)
_ORDER_BITS = 16  # position of an n-gram within its window's feature list (< 65,536: <= 1,152 chars)
_BUCKET_BITS = N_BUCKETS.bit_length() - 1


def hash_pack_many(views: list[Views]) -> tuple[np.ndarray, np.ndarray]:
    """ids int32[W, MAX_FEATURES] and counts int32[W] of W windows; the same as pack(hash_views(v))."""
    n_win = len(views)
    ids_out = np.zeros((n_win, MAX_FEATURES), dtype=np.int32)
    if not n_win:
        return ids_out, np.zeros(0, dtype=np.int32)
    lens = np.fromiter((len(v.chars) for v in views), dtype=np.int64, count=n_win)
    joined = "".join(chr(_START) + v.chars + chr(_END) for v in views)
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    seg = lens + 2
    win = np.repeat(np.arange(n_win, dtype=np.int64), seg)
    pos = np.arange(len(codes), dtype=np.int64) - np.repeat(np.cumsum(seg) - seg, seg)
    length = lens[win]
    # feature order inside a window: unigrams 0..L-1, bigrams L..2L, trigrams 2L+1..3L, words 3L+1..
    uni = (pos >= 1) & (pos <= length)
    big = pos[:-1] <= length[:-1]
    tri = pos[:-2] < length[:-2]
    bigram = codes[:-1] * _MUL + codes[1:]
    values = [codes[uni] ^ _SALT[0], bigram[big] ^ _SALT[1], (bigram[:-1][tri] * _MUL + codes[2:][tri]) ^ _SALT[2]]
    wins = [win[uni], win[:-1][big], win[:-2][tri]]
    orders = [pos[uni] - 1, length[:-1][big] + pos[:-1][big], 2 * length[:-2][tri] + 1 + pos[:-2][tri]]
    crc: list[int] = []
    crc_win: list[int] = []
    crc_order: list[int] = []
    for w, v in enumerate(views):
        if not v.words:
            continue
        words = v.words
        row = [zlib.crc32(x.encode("ascii"), 0x5EED) for x in words]
        row += [zlib.crc32(f"{a} {b}".encode("ascii"), 0xB16A) for a, b in zip(words, words[1:], strict=False)]
        base = 3 * len(v.chars) + 1
        crc += row
        crc_win += [w] * len(row)
        crc_order += range(base, base + len(row))
    if crc:
        values.append(np.asarray(crc, dtype=np.uint64) ^ _SALT[0])
        wins.append(np.asarray(crc_win, dtype=np.int64))
        orders.append(np.asarray(crc_order, dtype=np.int64))
    bucket = (_mix(np.concatenate(values)) & np.uint64(N_BUCKETS - 1)).astype(np.int64)  # one mix for all
    win_all, order = np.concatenate(wins), np.concatenate(orders)
    # first occurrence of each (window, bucket): sort by (window, bucket, order), keep group heads
    key = np.sort((win_all << (_BUCKET_BITS + _ORDER_BITS)) | (bucket << _ORDER_BITS) | order)
    group = key >> _ORDER_BITS
    head = np.empty(len(key), dtype=bool)
    head[0] = True
    np.not_equal(group[1:], group[:-1], out=head[1:])
    key = key[head]
    # back to first-seen order within each window: sort by (window, order)
    w_kept = key >> (_BUCKET_BITS + _ORDER_BITS)
    key = np.sort((w_kept << (_ORDER_BITS + _BUCKET_BITS)) | ((key & ((1 << _ORDER_BITS) - 1)) << _BUCKET_BITS)
                  | ((key >> _ORDER_BITS) & (N_BUCKETS - 1)))
    w_sorted = key >> (_ORDER_BITS + _BUCKET_BITS)
    per_window = np.bincount(w_sorted, minlength=n_win)
    rank = np.arange(len(key), dtype=np.int64) - np.repeat(np.cumsum(per_window) - per_window, per_window)
    keep = rank < MAX_FEATURES
    ids_out[w_sorted[keep], rank[keep]] = (key[keep] & (N_BUCKETS - 1)).astype(np.int32)
    return ids_out, np.minimum(per_window, MAX_FEATURES).astype(np.int32)
