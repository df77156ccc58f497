"""Automatic curation: an imported term that flags ordinary text goes to review, not into a pack.

The candidates are compiled into the real matcher (every view: fold, split characters, pinyin,
leet/mask decoding; homophones as the pack entry has them) and run over ordinary text:
- ordinary words: jieba's most frequent Chinese words and an English frequency list. A Chinese term
  that *is* one of those words is an ordinary word; any term that fires on a *different* word
  (Scunthorpe-style, or through pinyin) flags ordinary vocabulary;
- benign sentences: the search corpus's benign rows (any hit) and COLD's non-offensive rows (a term
  hitting 2+ of them, where they are over 30% of the COLD rows it hits: COLD's offensive rows are
  about race and region, so group nouns such as 日本人 hit both);
- English terms that read as pinyin syllables (wang, bang, dong) would block Chinese names typed in Latin;
- Chinese terms that are words of jieba's whole dictionary (不夜城, 满园春色, 女教师, 双色球), and
  two-character terms (冰粉, 加冰, 日结, 干爽), unless they carry an unambiguous harm morpheme (淫, 屄, 奸 ...).
Each rejection keeps its evidence (the ordinary texts it fired on) for the review file.

Curation does not read the `sound_alike` view (filters/homophone_reopen.py): that table is made from the packs
curation writes (`make packs` builds it after them), so reading it here would let a table change drop a term
at the next build, and the dropped term would leave the table, bringing the term back the build after (a
cycle). The view blocks only when the model agrees, and the table's own builder checks its sound-alikes
against running text; the packs stay a function of their sources and the benign text alone.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from filters import homophone_reopen
from filters.lexicon import Entry
from filters.matcher import WORD_SUFFIXES, Matcher
from filters.normalize import Normalizer
from filters.segment import Segmenter

COLD_MIN_SAFE_HITS = 2
COLD_MAX_SAFE_SHARE = 0.3  # a harmful term's COLD hits are mostly offensive rows
DICT_MIN_FREQ = 3  # jieba dict.txt frequency from which a word is an ordinary dictionary word
# Morphemes whose every use is harmful: a dictionary word or a two-character term with one stays.
UNAMBIGUOUS = re.compile(r"淫|屄|逼|奸|肏|屌|嫖|娼|妓|乱伦|无码|色情|鸡巴|阴茎|阴道|强奸|毒品|冰毒|海洛因|摇头丸|赌")
UNAMBIGUOUS_SHORT = re.compile(UNAMBIGUOUS.pattern + r"|操|穴|肉棒|屁眼|鸡吧")
MAX_EVIDENCE = 3
_PINYIN_CACHE: dict[str, bool] = {}


@dataclass
class BenignText:
    """Ordinary text to curate against: named sets of words and of sentences."""

    zh_words: Sequence[str] = ()
    en_words: Sequence[str] = ()
    sentences: dict[str, Sequence[str]] = field(default_factory=dict)  # set name -> texts (any hit rejects)
    cold_safe: Sequence[str] = ()
    cold_offensive: Sequence[str] = ()
    pinyin_syllables: frozenset[str] = frozenset()
    dictionary: dict[str, int] = field(default_factory=dict)  # jieba's whole dict.txt: word -> frequency


@dataclass
class Rejection:
    term: str
    reason: str
    evidence: list[str]


def _is_self(word: str, folded_term: str) -> bool:
    """The word is the term itself (or an inflection of an English term)."""
    if word == folded_term:
        return True
    return folded_term.isascii() and word.startswith(folded_term) and word[len(folded_term):] in WORD_SUFFIXES


PINYIN_MAX_SYLLABLES = 2
_INTERJECTIONS = frozenset({"m", "n", "ng", "hm", "hng", "ê"})


def reads_as_pinyin(word: str, syllables: frozenset[str]) -> bool:
    """True if a Latin word is one or two pinyin syllables (wang, bang, fuku): a name or word typed in
    Latin. Longer words (chinaman, bondage) split into syllables by chance, not as typed Chinese."""
    if not syllables or not re.fullmatch(r"[a-z]+", word):
        return False
    real = syllables - _INTERJECTIONS
    fewest = [0] + [PINYIN_MAX_SYLLABLES + 1] * len(word)
    for i in range(len(word)):
        for n in range(1, 7):
            if i + n <= len(word) and word[i:i + n] in real:
                fewest[i + n] = min(fewest[i + n], fewest[i] + 1)
    return fewest[-1] <= PINYIN_MAX_SYLLABLES


class Curator:
    def __init__(self, normalizer: Normalizer | None = None, segmenter: Segmenter | None = None) -> None:
        self.norm = normalizer or Normalizer()
        self.seg = segmenter or Segmenter()

    def curate(self, entries: Sequence[Entry], benign: BenignText) -> dict[int, Rejection]:
        """Index of each entry to reject -> why, with evidence. Entries not listed pass. The sound_alike
        view is off while curating (see the module's docstring)."""
        with homophone_reopen.trial({}):
            return self._curate(entries, benign)

    def _curate(self, entries: Sequence[Entry], benign: BenignText) -> dict[int, Rejection]:
        matcher = Matcher(entries, self.norm, self.seg)
        # by value, not identity: a compact table (filters/entry_table.py) makes a new Entry at each access,
        # so a hit's entry is never an object of the list given; equal entries are rejected together
        index: dict[Entry, list[int]] = defaultdict(list)
        for i, e in enumerate(entries):
            index[e].append(i)
        folded = [self.norm.fold_text(e.term).strip(" ") for e in entries]
        found: dict[int, Rejection] = {}

        def reject(i: int, reason: str, text: str) -> None:
            rej = found.setdefault(i, Rejection(entries[i].term, reason, []))
            if len(rej.evidence) < MAX_EVIDENCE and text not in rej.evidence:
                rej.evidence.append(text)

        def hits(text: str) -> Iterable[int]:
            return {i for h in matcher.find(text) for i in index[h.entry]}

        for word in benign.zh_words:
            for i in hits(word):
                same = _is_self(self.norm.fold_text(word).strip(" "), folded[i])
                reject(i, "is a common word (jieba top words)" if same else "fires on a common word", word)
        common_en = {w.lower() for w in benign.en_words}
        for word in benign.en_words:
            for i in hits(word):
                w = word.lower()
                # "squad" is not an inflection of "squa", nor "tested" of "teste": an inflected hit is the
                # term itself only when the term is an English word too (fucked, sluts)
                if w != folded[i] and not (_is_self(w, folded[i]) and folded[i] in common_en):
                    reject(i, "fires on a common English word", word)
        for name, texts in benign.sentences.items():
            for text in texts:
                for i in hits(text):
                    reject(i, f"fires on benign text ({name})", text)
        safe: dict[int, list[str]] = defaultdict(list)
        for text in benign.cold_safe:
            for i in hits(text):
                safe[i].append(text)
        offensive: dict[int, int] = defaultdict(int)
        if safe:
            for text in benign.cold_offensive:
                for i in hits(text):
                    offensive[i] += 1
        for i, texts in safe.items():
            if len(texts) >= COLD_MIN_SAFE_HITS and len(texts) / (len(texts) + offensive[i]) > COLD_MAX_SAFE_SHARE:
                for text in texts[:MAX_EVIDENCE]:
                    reject(i, f"fires on COLD non-offensive rows ({len(texts)} safe vs {offensive[i]} offensive)",
                           text)
        for i, term in enumerate(folded):
            if " " not in term and reads_as_pinyin(term, benign.pinyin_syllables):
                reject(i, "reads as pinyin (Chinese names and words typed in Latin)", term)
            if not term or not all("\u3400" <= c <= "\u9fff" for c in term):
                continue
            freq = benign.dictionary.get(term, 0)
            if freq >= DICT_MIN_FREQ and not UNAMBIGUOUS.search(term):
                reject(i, f"a dictionary word (jieba dict.txt, frequency {freq})", term)
            elif len(term) == 2 and not UNAMBIGUOUS_SHORT.search(term):
                reject(i, "two characters with no unambiguous harm morpheme", term)
        return found
