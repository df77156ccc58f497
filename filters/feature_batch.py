"""The batched and the one-text hashing paths of the featurizer (filters/features.py): the same ids
as the per-window reference `Featurizer.distinct(Featurizer.hash_views(views))`, with fewer numpy calls.

- `hash_pack_many(views)`: many windows in one vectorised pass. Every n-gram value is written straight
  into its place in one array laid out window by window in the reference order (unigrams, bigrams,
  trigrams, words), all values are mixed at once, and each window's first occurrence of a bucket is
  found without sorting (`_first_occurrence`). `hash_slots_many(views)`: the same, written as the
  model's input (id + 1, 0-padded) for the classifier.
- `distinct_ids(views)`: one window, in-place arithmetic and dict.fromkeys for the first-seen order.
- `text_window_slots(views)` / `text_window_ids(views)`: the windows of ONE long text (consecutive
  overlapping cuts of one chars view): its n-grams are hashed once over the whole text, each window
  takes its slice plus its four boundary n-grams (the start and end markers), gathered by one index
  array and deduplicated as in the batch; the slots go to the model's input as they are.
"""

from __future__ import annotations

import threading
import zlib
from bisect import bisect_left
from typing import TYPE_CHECKING

import numpy as np

from filters.features import (
    _END,
    _MIX1,
    _MIX2,
    _MUL,
    _SALT,
    _SH27,
    _SH30,
    _SH31,
    _START,
    MAX_FEATURES,
    MAX_WINDOWS,
    N_BUCKETS,
    SYL_SALT,
    WINDOW_CHARS,
    Views,
    syllable_values,
)

if TYPE_CHECKING:
    from filters.feature_pinyin import SyllableTable

SMALL_BATCH = 2  # windows up to which featurize_many packs each window alone (same ids, fewer numpy calls)
_BUCKET_MASK = np.uint64(N_BUCKETS - 1)
_NO_VALUES = np.zeros(0, dtype=np.uint64)


def distinct_ids(views: Views, syllables: SyllableTable | None = None) -> list[int]:
    """The window's distinct bucket ids in first-seen order, at most MAX_FEATURES: `distinct(window_ids)`
    in about half the numpy calls (in-place arithmetic, dict.fromkeys for the first-seen order)."""
    codes = np.frombuffer(f"\x02{views.chars}\x03".encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n = len(codes) - 2  # characters
    crc = _word_crcs(views.words) if views.words else []
    syl = syllable_values(syllables, codes[1:-1], views.words) if syllables is not None else _NO_VALUES
    base = 3 * n + 1 + len(crc)
    values = np.empty(base + len(syl), dtype=np.uint64)
    np.bitwise_xor(codes[1:-1], _SALT[0], out=values[:n])
    _write_ngrams(codes, values[n : 2 * n + 1], values[2 * n + 1 : 3 * n + 1])
    if crc:
        np.bitwise_xor(np.array(crc, dtype=np.uint64), _SALT[0], out=values[3 * n + 1 : base])
    if len(syl):
        values[base:] = syl
    return list(dict.fromkeys(_mix_bucket(values).tolist()))[:MAX_FEATURES]


def _write_ngrams(codes: np.ndarray, bigram: np.ndarray, trigram: np.ndarray) -> None:
    """The salted bigram and trigram values of consecutive codes, written in place into `bigram`
    (len(codes) - 1 slots) and `trigram` (len(codes) - 2), as the reference computes them."""
    np.multiply(codes[:-1], _MUL, out=bigram)
    bigram += codes[1:]
    np.multiply(bigram[:-1], _MUL, out=trigram)
    trigram += codes[2:]
    bigram ^= _SALT[1]
    trigram ^= _SALT[2]


def _mix_bucket(values: np.ndarray) -> np.ndarray:
    """features._mix and the bucket mask, in place (values is overwritten and returned)."""
    values ^= values >> _SH30
    values *= _MIX1
    values ^= values >> _SH27
    values *= _MIX2
    values ^= values >> _SH31
    values &= _BUCKET_MASK
    return values


_WORD_CRC: dict[str, tuple[int, int, bytes]] = {}  # word -> (its crc32, the crc32 state after "word ", its bytes)
_WORD_CRC_SIZE = 65_536  # (the same few thousand words recur from text to text)


def _word_info(word: str) -> tuple[int, int, bytes]:
    if len(_WORD_CRC) >= _WORD_CRC_SIZE:
        _WORD_CRC.clear()
    raw = word.encode("ascii")
    info = _WORD_CRC[word] = (zlib.crc32(raw, 0x5EED), zlib.crc32(raw + b" ", 0xB16A), raw)
    return info


def _word_crcs(words: tuple[str, ...]) -> list[int]:
    """crc32 of each word, then of each pair of neighbouring words "a b" (the word features, unsalted).
    A pair's crc32 continues from the remembered state after "a " over b's bytes: crc32 is a running
    checksum, so that is crc32("a b") without building the string."""
    known = _WORD_CRC.get
    info = [known(x) or _word_info(x) for x in words]
    crc = [x[0] for x in info]
    crc += [zlib.crc32(b[2], a[1]) for a, b in zip(info, info[1:], strict=False)]
    return crc


_DEDUP_WINDOWS = 16  # windows per pass of the first-occurrence table: 16 x N_BUCKETS int32 = 2 MB
_TABLE: list[np.ndarray] = []  # that table, one per process (allocated on first use)
_TABLE_LOCK = threading.Lock()  # featurize_many runs outside the classifier's lock, in any thread


def _first_occurrence(owner: np.ndarray, bucket: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Mask of the first occurrence of each (window, bucket) pair, without sorting: window by window in
    groups of _DEDUP_WINDOWS, every position writes itself into a table slot named by its bucket and
    its window's place in the group (last writes first, so the first occurrence's write lands last),
    then a position is a head when the slot holds it. Whatever the write order, each distinct pair has
    exactly one head."""
    n = len(bucket)
    heads = np.empty(n, dtype=bool)
    positions = _positions(n)
    local = ((owner & (_DEDUP_WINDOWS - 1)) << _BUCKET_BITS) | bucket  # groups start at multiples of 16
    with _TABLE_LOCK:  # one 2 MB table for the process, not one per thread (a server has many)
        if not _TABLE:
            _TABLE.append(np.empty(_DEDUP_WINDOWS * N_BUCKETS, dtype=np.int32))
        table = _TABLE[0]
        ends = bounds[_DEDUP_WINDOWS::_DEDUP_WINDOWS].tolist() + [int(bounds[-1])]
        a = 0
        for b in ends:
            if b > a:
                keys, at = local[a:b], positions[a:b]
                table[keys[::-1]] = at[::-1]
                np.equal(table[keys], at, out=heads[a:b])
            a = b
    return heads


_POSITIONS: list[np.ndarray] = [np.arange(0, dtype=np.int32)]


def _positions(n: int) -> np.ndarray:
    """0..n-1 as int32, a view of one shared read-only range (grown when a batch is longer)."""
    have = _POSITIONS[0]
    if len(have) < n:
        have = np.arange(max(n, 2 * len(have)), dtype=np.int32)
        have.flags.writeable = False
        _POSITIONS[0] = have
    return have[:n]


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


def hash_pack_many(views: list[Views], syllables: SyllableTable | None = None) -> tuple[np.ndarray, np.ndarray]:
    """ids int32[W, MAX_FEATURES] and counts int32[W] of W windows; the same as pack(window_ids(v, syllables))."""
    return _hash_written(views, syllables, 0)


def hash_slots_many(views: list[Views], syllables: SyllableTable | None = None) -> tuple[np.ndarray, np.ndarray]:
    """hash_pack_many written as the model's input (Batch.slots): bucket id + 1 for real ids, 0 after."""
    return _hash_written(views, syllables, 1)


def _hash_written(views: list[Views], syllables: SyllableTable | None, plus: int) -> tuple[np.ndarray, np.ndarray]:
    out = np.zeros((len(views), MAX_FEATURES), dtype=np.int32)
    if not views:
        return out, np.zeros(0, dtype=np.int32)
    kept_owner, rank, kept, counts = _hash_kept(views, syllables)
    if plus:
        kept += plus
    out[kept_owner, rank] = kept
    return out, counts


def _hash_kept(views: list[Views], syllables: SyllableTable | None) -> tuple[np.ndarray, ...]:
    """The kept ids of W >= 1 windows as _first_kept gives them (window, rank, bucket; counts). Every window's
    n-gram values are written straight into their place in one array laid out window by window in the reference
    order (unigrams, bigrams, trigrams, words, syllables), mixed in one pass, and deduplicated by
    `_first_occurrence`; the kept ids keep that order, the first MAX_FEATURES of each."""
    n_win = len(views)
    lens = np.fromiter((len(v.chars) for v in views), dtype=np.int64, count=n_win)
    crc, n_words = _word_features(views)
    codes = np.frombuffer("".join(chr(_START) + v.chars + chr(_END) for v in views).encode("utf-32-le"),
                          dtype=np.uint32).astype(np.uint64)
    seg = lens + 2  # a window's code segment: start marker, its characters, end marker
    n_feat = 3 * lens + 1 + n_words  # unigrams L, bigrams L + 1, trigrams L, then its words
    seg_start = np.cumsum(seg) - seg
    win = np.repeat(np.arange(n_win, dtype=np.int64), seg)
    syl = _SyllableLayout(syllables, codes, views, seg_start, seg, win) if syllables is not None else None
    base_len = n_feat
    if syl is not None:
        n_feat = n_feat + syl.count
    bounds = np.zeros(n_win + 1, dtype=np.int64)
    np.cumsum(n_feat, out=bounds[1:])
    at = np.arange(len(codes), dtype=np.int64) - np.repeat(seg_start, seg)  # position within the segment
    length = np.repeat(lens, seg)  # (np.repeat over the segments: cheaper than gathering through `win`)
    dest = at + np.repeat(bounds[:-1], seg)  # + 0 / L / 2L + 1 - 1: where a unigram / bigram / trigram goes
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
    if syl is not None:
        syl.write(values, bounds[:-1] + base_len)
    bucket = _mix_bucket(values).view(np.int64)  # in place; every bucket < N_BUCKETS: the same int64 values
    owner = np.repeat(np.arange(n_win, dtype=np.int64), n_feat)
    return _first_kept(owner, bucket, bounds, n_win)


class _SyllableLayout:
    """Where hash_pack_many writes each window's syllable namespace: right after its version-1 features,
    character syllable bigrams, then unigrams (in text order), then its words' syllable values."""

    def __init__(self, table: SyllableTable, codes: np.ndarray, views: list[Views], seg_start: np.ndarray,
                 seg: np.ndarray, win: np.ndarray) -> None:
        syl = table.char_values(codes)  # the markers have no syllable: no pair crosses a window
        read = syl != 0
        pair = np.zeros(len(codes), dtype=bool)
        np.logical_and(read[:-1], read[1:], out=pair[:-1])
        last = seg_start + seg - 1
        self.pair_rank, n_pair = _ranks(pair, seg_start, last)
        self.read_rank, n_read = _ranks(read, seg_start, last)
        self.pair, self.read = np.flatnonzero(pair), np.flatnonzero(read)
        p = self.pair
        self.big = (syl[p] * _MUL + syl[p + 1]) ^ SYL_SALT[1]
        self.uni = syl[self.read] ^ SYL_SALT[0]
        words = [table.word_ngrams(v.words) if v.words else [] for v in views]
        self.words = [x for w in words for x in w]
        n_wsyl = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
        self.n_pair, self.n_read, self.n_wsyl = n_pair, n_read, n_wsyl
        self.win = win
        self.count = n_pair + n_read + n_wsyl

    def write(self, values: np.ndarray, start: np.ndarray) -> None:
        """Write the syllable values; start[w]: where window w's syllable part begins."""
        win = self.win
        values[start[win[self.pair]] + self.pair_rank[self.pair]] = self.big
        values[(start + self.n_pair)[win[self.read]] + self.read_rank[self.read]] = self.uni
        if self.words:
            has = np.flatnonzero(self.n_wsyl)
            first = start[has] + self.n_pair[has] + self.n_read[has]
            at = np.repeat(first - (np.cumsum(self.n_wsyl[has]) - self.n_wsyl[has]), self.n_wsyl[has])
            values[at + np.arange(len(self.words))] = np.asarray(self.words, dtype=np.uint64)


def _ranks(mask: np.ndarray, seg_start: np.ndarray, last: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per position, how many set positions of its window precede it; and the set count per window."""
    inclusive = np.cumsum(mask, dtype=np.int64)
    exclusive = inclusive - mask
    first = exclusive[seg_start]
    return exclusive - np.repeat(first, last - seg_start + 1), inclusive[last] - first


_M64 = (1 << 64) - 1
_MUL_INT, _SALT_INT = int(_MUL), tuple(int(s) for s in _SALT)


def text_window_ids(views: Views, syllables: SyllableTable | None = None) -> list[list[int]]:
    """Distinct ids (first-seen order, at most MAX_FEATURES) of each window Featurizer.windows cuts
    from the normalised text `views` (chars longer than WINDOW_CHARS): the rows of `text_window_slots`."""
    slots, counts = text_window_slots(views, syllables)
    return [(row[:n] - 1).tolist() for row, n in zip(slots, counts.tolist(), strict=True)]


def text_window_slots(views: Views, syllables: SyllableTable | None = None,
                      step: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """The model's "ids" input for the windows of ONE long text (chars longer than WINDOW_CHARS: every
    window has >= 3 chars): int32[n, width] holding each window's distinct ids + 1 in first-seen order
    (at most MAX_FEATURES), 0 after its count; width = the largest count rounded up to `step`. And the
    counts, int32[n].

    The n-grams are hashed once over the whole text. Window [s, e) has the text's unigrams s..e-1,
    bigrams s..e-2 and trigrams s..e-3, plus four n-grams with the markers: (start, c_s), (c_e-1, end),
    (start, c_s, c_s+1), (c_e-2, c_e-1, end), in the reference order; the first window also carries the
    text's words. Each window's pieces are gathered by one index array and deduplicated in numpy
    (`_first_occurrence`), with no per-window Python list."""
    hashed, pieces, per_window = _text_pieces(views, syllables)
    lens = np.array([n for _, n in pieces], dtype=np.int64)
    starts = np.array([a for a, _ in pieces], dtype=np.int64)
    total = int(lens.sum())
    index = np.arange(total, dtype=np.int64) + np.repeat(starts - (np.cumsum(lens) - lens), lens)
    n_win = len(per_window)
    bounds = np.zeros(n_win + 1, dtype=np.int64)
    np.cumsum(per_window, out=bounds[1:])
    owner = np.repeat(np.arange(n_win, dtype=np.int64), per_window)
    kept_owner, rank, kept, counts = _first_kept(owner, hashed[index], bounds, n_win)
    width = min(MAX_FEATURES, -(-int(counts.max()) // step) * step)
    slots = np.zeros((n_win, width), dtype=np.int32)
    slots[kept_owner, rank] = kept + 1
    return slots, counts


def _first_kept(owner: np.ndarray, bucket: np.ndarray, bounds: np.ndarray,
                n_win: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Of windows laid out one after another (owner: the window of each position, bounds: where each
    starts), the first occurrence of each bucket within its window, the first MAX_FEATURES of those:
    (their window, their rank in it, the bucket int64), and the count per window, int32[n_win]."""
    heads = np.flatnonzero(_first_occurrence(owner, bucket, bounds))
    kept_owner, kept = owner[heads], bucket[heads]
    per_window = np.bincount(kept_owner, minlength=n_win)
    rank = np.arange(len(kept), dtype=np.int64) - (np.cumsum(per_window) - per_window)[kept_owner]
    if n_win and int(per_window.max()) > MAX_FEATURES:  # a longer window keeps its first-seen MAX_FEATURES
        fits = rank < MAX_FEATURES
        kept_owner, rank, kept = kept_owner[fits], rank[fits], kept[fits]
        per_window = np.minimum(per_window, MAX_FEATURES)
    return kept_owner, rank, kept, per_window.astype(np.int32)


def _text_pieces(views: Views, syllables: SyllableTable | None) -> tuple[np.ndarray, list[tuple[int, int]], list[int]]:
    """The bucket ids (int64) of every n-gram of one long text, hashed once, and where each window's
    features lie in them: (start, length) pieces window after window, and the length of each window."""
    chars = views.chars
    starts = range(0, len(chars) - 2, WINDOW_CHARS - 2)[:MAX_WINDOWS]
    ends = [min(s + WINDOW_CHARS, len(chars)) for s in starts]
    chars = chars[: ends[-1]]
    codes = np.frombuffer(chars.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    m = len(codes)
    edges: list[int] = []  # the four marker n-grams of each window, salted, not yet mixed
    mul, s1, s2 = _MUL_INT, _SALT_INT[1], _SALT_INT[2]
    for s, e in zip(starts, ends, strict=True):
        head = (_START * mul + ord(chars[s])) & _M64
        tail = (ord(chars[e - 2]) * mul + ord(chars[e - 1])) & _M64
        edges += [head ^ s1, ((ord(chars[e - 1]) * mul + _END) & _M64) ^ s1,
                  ((head * mul + ord(chars[s + 1])) & _M64) ^ s2, ((tail * mul + _END) & _M64) ^ s2]
    crc = _word_crcs(views.words) if views.words else []
    marks = 3 * m - 3
    base = marks + len(edges) + len(crc)
    syl = _TextSyllables(syllables, codes, views.words) if syllables is not None else None
    values = np.empty(base + (syl.size if syl is not None else 0), dtype=np.uint64)
    np.bitwise_xor(codes, _SALT[0], out=values[:m])
    _write_ngrams(codes, values[m : 2 * m - 1], values[2 * m - 1 : marks])
    values[marks : marks + len(edges)] = edges
    if crc:
        np.bitwise_xor(np.array(crc, dtype=np.uint64), _SALT[0], out=values[marks + len(edges) : base])
    if syl is not None:
        values[base:] = syl.values
    pieces: list[tuple[int, int]] = []
    per_window: list[int] = []
    for i, (s, e) in enumerate(zip(starts, ends, strict=True)):
        mark = marks + 4 * i
        own = [(s, e - s), (mark, 1), (m + s, e - 1 - s), (mark + 1, 2), (2 * m - 1 + s, e - 2 - s), (mark + 3, 1)]
        if i == 0 and crc:
            own.append((marks + len(edges), len(crc)))
        if syl is not None:
            own += syl.pieces(base, s, e, i == 0)
        pieces += own
        per_window.append(sum(n for _, n in own))
    return _mix_bucket(values).view(np.int64), pieces, per_window


class _TextSyllables:
    """The syllable namespace of one long text, hashed once (text_window_ids): salted values laid out
    as [pair bigrams, read unigrams, word values] with the text positions of the first two parts."""

    def __init__(self, table: SyllableTable, codes: np.ndarray, words: tuple[str, ...]) -> None:
        syl = table.char_values(codes)
        read = syl != 0
        pair = np.flatnonzero(read[:-1] & read[1:])
        at = np.flatnonzero(read)
        word_values = table.word_ngrams(words) if words else []
        self.n_words = len(word_values)
        self.values = np.concatenate([(syl[pair] * _MUL + syl[pair + 1]) ^ SYL_SALT[1],
                                      syl[at] ^ SYL_SALT[0], np.asarray(word_values, dtype=np.uint64)])
        self.size = len(self.values)
        self.pair, self.read = pair.tolist(), at.tolist()  # text positions, for bisect

    def pieces(self, base: int, s: int, e: int, first: bool) -> list[tuple[int, int]]:
        """Where window [s, e)'s syllable ids lie in the hashed values (syllables at `base`): (start,
        length) of its bigrams at s..e-2, its unigrams at s..e-1, and the words' if first."""
        pair, read = self.pair, self.read
        b0, b1 = bisect_left(pair, s), bisect_left(pair, e - 1)
        u0, u1 = len(pair) + bisect_left(read, s), len(pair) + bisect_left(read, e)
        out = [(base + b0, b1 - b0), (base + u0, u1 - u0)]
        if first and self.n_words:
            out.append((base + self.size - self.n_words, self.n_words))
        return out
