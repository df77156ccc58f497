"""English misspellings read back to the words harm is written with: adjacent letters swapped (scmu, wmoen),
a letter missing or typed twice (cancr, disgustting), leetspeak (h4te) and words glued together (womenarefilth).

Word lists match whole words and the co-occurrence rules match cue words, so a misspelt slur, group name or
hate verb slips past both, and the model has never seen the misspelling. A text with such a token is
therefore checked a second time with the token read back (filters/engine.py, as for filters/emoji_readings.py):
the word lists, the rules and the model see the reading, and its evidence joins the written text's.

A token is read back only to a *target*: a word of 4+ letters of an English pack term or rule cue
(filters/data/tables/english_typos.json, built by filters/tools/english_typos.py), and only when
- it is no target, function word or real English word itself (the table's `real_words`: wordfreq's words
  that look like a misspelt target, such as hats, mate or therapist, are left alone), and
- exactly one target is one adjacent swap, one missing or one doubled letter away (or the leet digits and
  symbols of a token that is mostly letters decode to a target), or the token splits wholly into known words,
  two of them targets (womenarefilth -> women are filth; the fewest words, as filters/spaced_letters.py splits
  spaced letters; killall is not kill all).
`read(text)` returns the read text and a map from its positions back to the text (None: nothing read).
"""

from __future__ import annotations

import itertools
import json
from functools import lru_cache
from pathlib import Path

import ahocorasick

from filters import regex_cache
from filters.disguise import WORD_SUFFIXES, inflected
from filters.spaced_letters import fewest_words, load_words
from filters.syllable_source import SourceMap, replace_spans

TABLE = Path(__file__).resolve().parent / "data" / "tables" / "english_typos.json"
LEET = Path(__file__).resolve().parent / "data" / "tables" / "leet.json"
MIN_TARGET = 4  # shorter words (gay, fag, kill's kin 'kil') are one letter from too many others
MIN_GLUED = 7  # letters of a glued token (ihateu is a chat word, not a disguise)
MAX_GLUED = 40
MAX_LEET = 8  # leet decodings tried per token
MEMO = 65_536  # tokens remembered (cleared when full)
# a run of letters with leet digits or symbols inside or after (h4te, sc@m), on lower-cased text
# (not after # or @: hashtags and handles glue their words by convention: #fakenews, @sugardaddy)
# (4+ characters: a shorter token is no target's misspelling, and most words of a text are shorter)
_TOKEN = regex_cache.compile(r"(?<![a-z0-9@$!|+€#_])[a-z][a-z0-9@$!|+€]{3,}(?<![!|+])(?![_#])")
_MISS = object()
_HAS_LATIN = regex_cache.compile("[A-Za-z]")
_CAMEL = regex_cache.compile("[a-z][A-Z]")


class EnglishReading:
    """Reads misspelt tokens back to targets (a pure function of the token, memoised)."""

    def __init__(self, targets: frozenset[str], real_words: frozenset[str], function_words: frozenset[str],
                 leet: dict[str, list[str]] | None = None, short_words: frozenset[str] = frozenset()) -> None:
        self.targets = targets
        self.short = short_words  # 3-letter harm words (gay, die): a glued token may split into them
        self.real = real_words
        self.function = function_words
        self.leet = leet or {}
        self._edits: dict[str, str | None] | None = None
        self._auto: ahocorasick.Automaton | None = None  # the targets, for _has_target
        self._memo: dict[str, str | None] = {}
        self._plain: set[str] = set()  # the memo's tokens that read as nothing (read()'s fast path)

    def _edit_index(self) -> dict[str, str | None]:
        """Misspelling -> its one target (None: more than one), for swaps and missing letters (built once)."""
        if self._edits is None:
            index: dict[str, str | None] = {}
            for t in self.targets:
                variants = {t[:i] + t[i + 1] + t[i] + t[i + 2:] for i in range(len(t) - 1) if t[i] != t[i + 1]}
                variants |= {t[:i] + t[i + 1:] for i in range(len(t))}
                for v in variants - {t}:
                    index[v] = t if index.get(v, t) == t else None
            self._edits = index
        return self._edits

    def _known(self, word: str) -> bool:
        return (word in self.function or inflected(word, self.targets, WORD_SUFFIXES)
                or inflected(word, self.short, ("", "s")))

    def reading(self, token: str) -> str | None:
        """What a lower-case token reads as (one or more words), or None if it is to be left as written."""
        memo = self._memo
        if token in memo:
            return memo[token]
        if len(memo) >= MEMO:
            memo.clear()
            self._plain.clear()
        out = memo[token] = self._reading(token)
        if out is None:
            self._plain.add(token)
        return out

    def _reading(self, token: str) -> str | None:
        if not token.isalpha():
            letters = sum(c.isalpha() for c in token)
            if letters < 2 or 2 * letters <= len(token):
                return None  # mostly digits or symbols (a660, b2b, x86): a code or a number, not a word
            return next((w for w in self._leet_words(token) if w in self.targets), None)
        if token in self.real or token in self.function or inflected(token, self.targets, WORD_SUFFIXES):
            return None
        return self.respelt(token) or (self._glued(token) if MIN_GLUED <= len(token) <= MAX_GLUED else None)

    def respelt(self, token: str) -> str | None:
        """The one target a token of letters is one adjacent swap, one missing or one doubled letter away from."""
        if len(token) < MIN_TARGET:
            return None
        hit = self._edit_index().get(token)
        if hit:
            return hit
        # a letter typed twice (disgustting); any other added letter makes words of their own (snigger, spice)
        extra = {token[:i] + token[i + 1:] for i in range(1, len(token)) if token[i] == token[i - 1]} & self.targets
        return extra.pop() if len(extra) == 1 else None

    def _leet_words(self, token: str) -> list[str]:
        options = [self.leet.get(c, [c]) for c in token]
        if any(o == [c] and not c.isalpha() for o, c in zip(options, token, strict=True)):
            return []
        return ["".join(p) for p in itertools.islice(itertools.product(*options), MAX_LEET)]

    def _has_target(self, letters: str) -> bool:
        """True if a target lies inside `letters` (a cheap necessary test for _glued)."""
        auto = self._auto
        if auto is None:
            auto = self._auto = ahocorasick.Automaton()
            for t in self.targets:
                auto.add_word(t, len(t))
            if self.targets:
                auto.make_automaton()
        return bool(self.targets) and next(auto.iter(letters), None) is not None

    def _glued(self, letters: str) -> str | None:
        """The fewest known words that spell `letters`, two of them targets, joined by spaces."""
        if not self._has_target(letters):
            return None
        cuts = fewest_words(letters, self._known)
        if cuts is None:
            return None
        words = [letters[a:b] for a, b in cuts]
        if sum(w not in self.function for w in words) < 2:
            return None  # one word among function words (killall, analagous: anal a go us) is chance
        return " ".join(words)

    def read(self, text: str) -> tuple[str, SourceMap] | None:
        """`text` with each misspelt token read back, and the map from its positions to `text`'s; None if no
        token is read."""
        reps = self.replacements(text)
        if not reps:
            return None
        read, spans = replace_spans(text, reps)
        return (read, spans) if spans is not None else None

    def replacements(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, reading) of each misspelt token of `text`, in order (filters/readings.py merges them
        with the other readings' replacements)."""
        if _HAS_LATIN.search(text) is None:
            return []
        low = text.lower()
        if len(low) != len(text):
            return []  # a character whose lower case is longer (İ): positions would not line up
        if self._plain.issuperset(_TOKEN.findall(low)):
            return []  # fast path: every token is one already known to read as nothing (most texts)
        reps = []
        get = self._memo.get
        for m in _TOKEN.finditer(low):
            token = m.group()
            rep = get(token, _MISS)
            if rep is _MISS:
                rep = self.reading(token)
            if rep is None:
                continue
            a, b = m.span()
            if " " in rep and _CAMEL.search(text, a, b):
                continue  # an identifier (PoolManager, ValueError): glued by convention
            reps.append((a, b, rep))
        return reps


def _ascii_words(words: list) -> bool:
    """Every item a non-empty str of ASCII letters: all(isinstance(w, str) and w.isascii() and w.isalpha()),
    checked on all ~9,000 at once in C (the per-word loop cost ~2 ms of every start-up)."""
    if not set(map(type, words)) <= {str} or not all(words):
        return False
    joined = "".join(words)
    return not words or (joined.isascii() and joined.isalpha())


@lru_cache(maxsize=1)
def default_reading() -> EnglishReading:
    """The shipped table's reader, validated. A missing or damaged table raises (as the look-alike, 拆字 and
    gesture readers do): a damaged install must not quietly lose the misspelling reading."""
    function_words, _ = load_words()
    leet = json.loads(LEET.read_text(encoding="utf-8")).get("map", {})
    doc = json.loads(TABLE.read_text(encoding="utf-8"))  # FileNotFoundError if the table is missing
    targets, real, short = (doc.get(k) for k in ("targets", "real_words", "short_words"))
    for key, words in (("targets", targets), ("real_words", real), ("short_words", short)):
        if not isinstance(words, list) or not _ascii_words(words):
            raise ValueError(f"{TABLE.name}: {key!r} is not a list of ASCII words")
    if not targets:
        raise ValueError(f"{TABLE.name}: no targets: the reading would read nothing")
    return EnglishReading(frozenset(targets), frozenset(real), function_words, leet, frozenset(short))


def read(text: str) -> tuple[str, SourceMap] | None:
    """default_reading().read(text)."""
    return default_reading().read(text)


def replacements(text: str) -> list[tuple[int, int, str]]:
    """default_reading().replacements(text)."""
    return default_reading().replacements(text)
