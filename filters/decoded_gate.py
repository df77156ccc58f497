"""Whether a text's decoded disguised words can be part of any match, decided without scanning it again.

filters/matcher.py decodes tokens that look disguised (p0rn, f*ck, fuuuck; see filters/disguise.py) and,
when a token decodes, scans the whole decoded text again: in code and identifiers (x00, ipv4, base64,
@dataclass) leetspeak decodes to a word of no term, and that second scan of every automaton cost ~200 us
in one 200-character text of nine (most of the 99th percentile). A match of the decoded text is kept
only where it overlaps a decoded word. A decoded word is a whole run of letters and digits of the decoded
fold view (a token is a maximal run of letters, digits and leet symbols), so such a match can only be:
- a key of Latin words (an English term, spelt-out pinyin) holding the decoded word as one of its
  whole words: the word is then a word of an English term (`Disguises.vocab`), or one plus an
  inflection, or begins with the last word of a `prefix` term, or is a word of a spelt-out key;
- a key of Chinese characters and Latin (a mixed term: 免费领q币, 破解ipad): the part of the match inside
  the decoded word is a whole Latin word of the term, or the term's last Latin word at the start of the
  decoded word (a match that ends inside it: `word` and `prefix` terms), or its first Latin word at the
  end of it (a sound-alike match may start anywhere): `MixedLatin` holds these words of every mixed term;
- a key matched over syllables where the decoded word became syllables: it lies in a run of Latin words
  beside Chinese that spells pinyin (约pao, 你这个 jian ren), found as the normaliser finds it.
`may_match` is False only when none can hold, and the matcher then skips the second scan: the same
matches, none lost (tests/test_decoded_gate.py compares with the full scan). (Until session 9 the last
two cases were bounded by distance: any decoded word within the longest key, 53 characters, of a Chinese
character opened the gate, so it stayed open in 3 mixed texts of 4.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple

from filters import regex_cache
from filters.disguise import WORD_SUFFIXES, inflected
from filters.normalize import CJK, SourceMap

_CJK = regex_cache.compile(f"[{CJK}]")
_LATIN_WORD = regex_cache.compile("[a-z0-9]+")
_WORD = regex_cache.compile("[a-z0-9]+$")
_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_LEADING = regex_cache.compile("[a-z0-9 ]+")
_TRAILING = regex_cache.compile("[a-z0-9 ]+$")


class MixedLatin(NamedTuple):
    """The Latin words of the terms that mix Chinese characters and Latin (fold views), by where a match of
    such a term can overlap a decoded word (a whole run of letters and digits of the decoded text)."""

    words: frozenset[str]  # every whole Latin word of such a term: the match holds the decoded word whole
    ends: frozenset[str]  # the last word, right after a character, of a `word` or `exact` term: the match may
    # end before an inflection of the decoded word, which then follows a character
    ends_prefix: frozenset[str]  # the same for a `prefix` term: the match may end anywhere inside the word
    ends_loose: frozenset[str]  # the last word of such a term, after a space: the word need not follow a character
    sound_first: frozenset[str]  # the leading Latin of a term matched by sound (免费领q币): a sound-alike match
    # may start inside the decoded word, which is then followed by a character
    sound_last: frozenset[str]  # the trailing Latin of such a term: the match may end inside the decoded word,
    # which then follows a character


def mixed_latin(terms: Iterable[tuple[str, str, bool]]) -> MixedLatin:
    """MixedLatin of a matcher's terms: (fold view, match mode, also matched by sound) each."""
    parts: tuple[set[str], ...] = (set(), set(), set(), set(), set(), set())
    words, ends, ends_prefix, ends_loose, sound_first, sound_last = parts
    for term, mode, by_sound in terms:
        if not term or term.isascii() or not _CJK.search(term):
            continue
        found = _LATIN_WORD.findall(term)
        if not found:
            continue
        words.update(found)
        if term[-1] in _ALNUM:
            last = found[-1]
            if term[-len(last) - 1] == " ":
                ends_loose.add(last)
            else:
                (ends_prefix if mode == "prefix" else ends).add(last)
        if by_sound:  # a sound-alike match starts and ends anywhere, its Latin written as the term's
            if term[0] in _ALNUM:
                sound_first.add(_LEADING.match(term).group())  # type: ignore[union-attr]
            if term[-1] in _ALNUM:
                sound_last.add(_TRAILING.search(term).group())  # type: ignore[union-attr]
    return MixedLatin(*(frozenset(p) for p in parts))


class DecodedGate:
    """The words a decoded token must be, or the pinyin runs it must lie in, to be matched."""

    def __init__(self, vocab: frozenset[str], prefix_terms: Iterable[str], spelt_word: Callable[[str], bool],
                 mixed: MixedLatin, pinyin_runs: Callable[[str], SourceMap | None]) -> None:
        """vocab: every word of every English term; prefix_terms: the fold views of the `prefix` terms;
        spelt_word: whether a word is a whole word of a key of whole Latin words (spelt-out pinyin:
        automata.WordKeys.has_word); mixed: the Latin words of the mixed terms; pinyin_runs: the map of a
        fold view's syllable source (None when no Latin run beside Chinese was read as pinyin)."""
        self.vocab = vocab
        self.prefix_words = frozenset(t.rpartition(" ")[2] for t in prefix_terms)
        self.spelt_word = spelt_word
        self.mixed = mixed
        self.pinyin_runs = pinyin_runs

    def may_match(self, decoded: str, words: Iterable[str]) -> bool:
        """False only if no match of `decoded` (the fold view with the decoded words in) can overlap a
        decoded word."""
        words = list(words)
        return any(self._word(w) or self._mixed(w, decoded) for w in words) or in_pinyin_run(
            decoded, words, self.pinyin_runs)

    def _word(self, word: str) -> bool:
        if len(word) <= 1 or len(word) > 40 or _WORD.match(word) is None:
            return True  # single letters join their neighbours; pinyin parsing stops at 40 letters
        if inflected(word, self.vocab):
            return True
        if any(word[:k] in self.prefix_words for k in range(1, len(word) + 1)):
            return True
        return self.spelt_word(word)

    def _mixed(self, word: str, decoded: str) -> bool:
        """True if a match of a mixed term may overlap the word (see MixedLatin)."""
        mixed = self.mixed
        if word in mixed.words:
            return True
        n = len(word)
        if any(word[:k] in mixed.ends_loose for k in range(1, n)):
            return True
        follows, precedes = _beside_chinese(decoded, word)
        if follows and any(word[:-len(s)] in mixed.ends for s in WORD_SUFFIXES if 0 < len(s) < n):
            return True  # a `word` term's last word and an inflection
        if follows and any(word[:k] in mixed.ends_prefix or word[:k] in mixed.sound_last for k in range(1, n)):
            return True
        return precedes and any(word[k:] in mixed.sound_first for k in range(1, n))


def _beside_chinese(decoded: str, word: str) -> tuple[bool, bool]:
    """Whether some occurrence of `word` as written in `decoded` follows a Chinese character, and whether
    some is followed by one (both True if it is not found as written)."""
    found = _occurrences(decoded, word)
    if not found:
        return True, True
    follows = any(at > 0 and _CJK.match(decoded, at - 1) is not None for at, _ in found)
    precedes = any(end < len(decoded) and _CJK.match(decoded, end) is not None for _, end in found)
    return follows, precedes


def _occurrences(decoded: str, word: str) -> list[tuple[int, int]]:
    """(start, end) of every occurrence of `word` as written in `decoded`, overlapping ones too."""
    out = []
    at = decoded.find(word)
    while at >= 0:
        out.append((at, at + len(word)))
        at = decoded.find(word, at + 1)
    return out


def in_pinyin_run(decoded: str, words: list[str], pinyin_runs: Callable[[str], SourceMap | None]) -> bool:
    """True if a decoded word lies (or may lie) in a Latin run of `decoded` read as pinyin syllables."""
    source_map = pinyin_runs(decoded)
    if source_map is None:
        return False
    spans = source_map.replaced_spans()
    for word in words:
        found = _occurrences(decoded, word)
        if not found:
            return True  # not found as written: assume it may
        if any(a < end and at < b for at, end in found for a, b in spans):
            return True
    return False
