"""Whether a text's decoded disguised words can be part of any match, decided without scanning it again.

filters/matcher.py decodes tokens that look disguised (p0rn, f*ck, fuuuck; see filters/disguise.py) and,
when a token decodes, scans the whole decoded text again: in code and identifiers (x00, ipv4, base64,
@dataclass) leetspeak decodes to a word of no term, and that second scan of every automaton cost ~200 us
in one 200-character text of nine (most of the 99th percentile). A match of the decoded text is kept
only where it overlaps a decoded word, and such a match can only be:
- a key of Latin words (an English term, spelt-out pinyin) holding the decoded word as one of its
  whole words: the word is then a word of an English term (`Disguises.vocab`), or one plus an
  inflection, or begins with the last word of a `prefix` term, or is spelt in pinyin syllables;
- or a key or pinyin run that also holds Chinese characters: the word then lies within the longest key
  (or a 4-word pinyin run of at most 40 letters) of a Chinese character in the decoded fold view.
`may_match` is False only when neither can hold, and the matcher then skips the second scan: the
same matches, none lost (tests/test_decoded_gate.py compares with the full scan).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from filters.automata import KeyTable
from filters.disguise import inflected
from filters.normalize import CJK

PINYIN_RUN_REACH = 44  # a pinyin run touching Chinese: <= 40 letters (filters/tables._parse) + 3 spaces
_CJK_RUN = re.compile(f"[{CJK}]+")


class DecodedGate:
    """The words a decoded token must be, or the distance to Chinese it must lie within, to be matched."""

    def __init__(self, vocab: frozenset[str], prefix_terms: Iterable[str], parse_pinyin: Callable[[str], object],
                 automata: Iterable[tuple[object, KeyTable]]) -> None:
        """vocab: every word of every English term; prefix_terms: the fold views of the `prefix` terms;
        automata: the matcher's (automaton, KeyTable) pairs, whose longest key bounds the reach."""
        self.vocab = vocab
        self.prefix_words = frozenset(t.rpartition(" ")[2] for t in prefix_terms)
        self.parse_pinyin = parse_pinyin
        self.reach = max(max((table.longest() for _, table in automata), default=0), PINYIN_RUN_REACH) + 1

    def may_match(self, fold: str, decoded: str, words: Iterable[str]) -> bool:
        """False only if no match of `decoded` (the fold view with the decoded words in) can overlap a
        decoded word; `fold` is the text's own fold view."""
        return any(self._word(w) for w in words) or near_chinese(fold, decoded, self.reach)

    def _word(self, word: str) -> bool:
        if len(word) <= 1 or len(word) > 40:
            return True  # single letters join their neighbours; pinyin parsing stops at 40 letters
        if inflected(word, self.vocab):
            return True
        if any(word[:k] in self.prefix_words for k in range(1, len(word) + 1)):
            return True
        return self.parse_pinyin(word) is not None


def near_chinese(fold: str, decoded: str, reach: int) -> bool:
    """True if `decoded` differs from `fold` fewer than `reach` characters from a Chinese character, or if
    the two do not line up run by run (then the answer is assumed True)."""
    runs = _CJK_RUN.findall(decoded)
    if not runs:
        return False
    if _CJK_RUN.findall(fold) != runs:
        return True
    plain, changed = _CJK_RUN.split(fold), _CJK_RUN.split(decoded)
    last = len(changed) - 1
    for i, (a, b) in enumerate(zip(plain, changed, strict=True)):
        if a == b:
            continue
        n = min(len(a), len(b))
        head = 0
        while head < n and a[head] == b[head]:
            head += 1
        tail = 0
        while tail < n - head and a[-1 - tail] == b[-1 - tail]:
            tail += 1
        if (i > 0 and head < reach) or (i < last and tail < reach):
            return True
    return False
