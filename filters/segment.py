"""Local word segmentation that decides whether a Chinese match cuts across real words.

"他的脸色情况" holds 色情 only as 脸色|情况; "一只大麻雀" holds 大麻 only as 大|麻雀. Around a match we
find the most probable segmentation of the nearby Chinese characters (a unigram model over jieba's
word frequencies, as jieba does, restricted to a window) with the matched term added as a word;
if the best segmentation puts a word across either edge of the match, the match is a coincidence.
"""

from __future__ import annotations

import math
import threading
from pathlib import Path

from filters import prebuilt
from filters.normalize import TABLES_DIR, is_cjk

WINDOW = 6  # characters of context on each side
TERM_MIN_FREQ = 300  # a lexicon term counts as a word at least this common
MAX_WORD = 4
_NOT_A_WORD = float("-inf")  # remembered for strings that are not in the dictionary


def load_freq(path: Path = TABLES_DIR / "segdict.tsv") -> dict[str, int]:
    """Word -> frequency from the tab-separated word list (build time; run time loads it prebuilt)."""
    freq: dict[str, int] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            word, _, n = line.partition("\t")
            freq[word] = int(n)
    return freq


def chinese_run(text: str, start: int, end: int) -> tuple[int, int]:
    """(lo, hi): text[start:end] widened by up to WINDOW Chinese characters on each side (the context that
    segmenting around a match looks at)."""
    lo = start
    while lo > 0 and start - lo < WINDOW and is_cjk(text[lo - 1]):
        lo -= 1
    hi = end
    while hi < len(text) and hi - end < WINDOW and is_cjk(text[hi]):
        hi += 1
    return lo, hi


class Segmenter:
    """Word frequencies are loaded on first use (prebuilt, see filters/prebuilt.py): most texts never
    need them, so start-up does not wait for them."""

    def __init__(self, path: Path = TABLES_DIR / "segdict.tsv") -> None:
        self._path = path
        self._freq: dict[str, int] | None = None
        self._lock = threading.Lock()

    def _load(self) -> dict[str, int]:
        with self._lock:
            if self._freq is None:
                freq = prebuilt.load("segdict", self._path.parent) if self._path.name == "segdict.tsv" else None
                if freq is None:
                    freq = load_freq(self._path)
                self.log_total = math.log(sum(freq.values()) or 1)
                self.unknown = -self.log_total - 2.0
                self._logp_table: dict[str, float] = {}  # filled as words are met (78k logs cost 30 ms)
                self._freq = freq
            return self._freq

    @property
    def freq(self) -> dict[str, int]:
        return self._freq if self._freq is not None else self._load()

    def word_freq(self, word: str) -> int:
        return self.freq.get(word, 0)

    def overlapped(self, text: str, start: int, end: int, min_freq: int) -> bool:
        """True if a common word (2-4 Chinese characters) overlaps text[start:end] and reaches outside it.

        The cheap test for homophone matches: what was written is part of ordinary words (打麻将, 拖拉机).
        """
        freq = self.freq
        n = len(text)
        for a in range(max(0, start - MAX_WORD + 1), end):
            for b in range(max(a + 2, start + 1), min(n, a + MAX_WORD) + 1):
                if (a < start or b > end) and freq.get(text[a:b], 0) >= min_freq:
                    return True
        return False

    def best_cuts(
        self, s: str, term_span: tuple[int, int], term_freq: int = TERM_MIN_FREQ
    ) -> list[tuple[int, int]]:
        """Most probable segmentation of s, with s[term_span] offered as a word at least term_freq common."""
        self.freq  # noqa: B018 - loads the tables on first use
        ts, te = term_span
        term = s[ts:te]
        term_logp = math.log(max(self.word_freq(term), term_freq, 1)) - self.log_total
        n = len(s)
        table = self._logp_table
        logp = self._logp
        unknown = self.unknown
        best: list[float] = [0.0] * (n + 1)
        nxt: list[int] = [n] * (n + 1)
        for i in range(n - 1, -1, -1):
            lp = table.get(s[i])
            if lp is None:
                lp = logp(s[i])
            score = (unknown if lp is _NOT_A_WORD else lp) + best[i + 1]
            choice = i + 1
            for j in range(i + 2, min(n, i + MAX_WORD) + 1):
                w = s[i:j]
                lp = table.get(w)
                if lp is None:
                    lp = logp(w)
                if lp is not _NOT_A_WORD and lp + best[j] > score:
                    score, choice = lp + best[j], j
            if i == ts and term_logp + best[te] > score:
                score, choice = term_logp + best[te], te
            best[i], nxt[i] = score, choice
        cuts = []
        i = 0
        while i < n:
            cuts.append((i, nxt[i]))
            i = nxt[i]
        return cuts

    def _logp(self, word: str) -> float:
        """log P(word), or _NOT_A_WORD; remembered (the table fills as words are met: 78k logs cost 30 ms)."""
        table = self._logp_table
        if len(table) >= 65_536:  # bound the memory (non-words are remembered too)
            table.clear()
        n = self.freq.get(word)
        lp = table[word] = _NOT_A_WORD if n is None else math.log(n) - self.log_total
        return lp

    def crosses(self, text: str, start: int, end: int, term_freq: int = TERM_MIN_FREQ) -> bool:
        """True if, in the Chinese run around text[start:end], a word straddles an edge of the span.

        A word that merely contains the whole span does not count (allow-contexts decide those).
        """
        lo, hi = chinese_run(text, start, end)
        if lo == start and hi == end:
            return False
        if not self._straddled(text, lo, start, end, hi):
            return False  # no dictionary word reaches across an edge: no segmentation can cut the span
        s, e = start - lo, end - lo
        cuts = self.best_cuts(text[lo:hi], (s, e), term_freq)
        return any((a < s < b < e) or (s < a < e < b) for a, b in cuts)

    def _straddled(self, text: str, lo: int, start: int, end: int, hi: int) -> bool:
        """True if a dictionary word of 2-MAX_WORD characters inside text[lo:hi] reaches across an edge of
        text[start:end] (starts before it and ends inside, or starts inside and ends after).

        A necessary condition for `crosses`: best_cuts' words are single characters, dictionary words and
        the span itself, so only a dictionary word can straddle an edge. About 9 in 10 calls end here
        (COLD + the rules' cues), at a fraction of the segmentation's cost."""
        freq = self.freq
        for before, after in _STRADDLES:
            if lo <= start - before and start + after < end and text[start - before : start + after] in freq:
                return True
            if end - before > start and end + after <= hi and text[end - before : end + after] in freq:
                return True
        return False


# (characters before an edge, characters after it) of every word of 2-MAX_WORD characters across an edge
_STRADDLES = tuple((b, a) for b in range(1, MAX_WORD) for a in range(1, MAX_WORD) if a + b <= MAX_WORD)
