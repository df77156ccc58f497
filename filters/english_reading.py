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
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import ahocorasick

from filters import regex_cache
from filters.disguise import WORD_SUFFIXES, inflected
from filters.spaced_letters import MAX_WORD, fewest_words, load_words
from filters.syllable_source import SourceMap, replace_spans

TABLE = Path(__file__).resolve().parent / "data" / "tables" / "english_typos.json"
WORDS = Path(__file__).resolve().parent / "data" / "tables" / "english_words.json"  # ordinary words (glued runs)
LEET = Path(__file__).resolve().parent / "data" / "tables" / "leet.json"
MIN_TARGET = 4  # shorter words (gay, fag, kill's kin 'kil') are one letter from too many others
MIN_GLUED = 7  # letters of a glued token (ihateu is a chat word, not a disguise)
MAX_GLUED = 40
FUNCTION_COST = 0.4  # a function word in a glued run costs less than a word (you are a loser, not you area loser)
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
                 leet: dict[str, list[str]] | None = None, short_words: frozenset[str] = frozenset(),
                 ordinary: Callable[[], tuple[frozenset[str], frozenset[str]]] | None = None) -> None:
        self.targets = targets
        self._ordinary_loader = ordinary
        self._ordinary: tuple[frozenset[str], frozenset[str]] | None = None
        self._sets: tuple[frozenset[str], frozenset[str], frozenset[str]] | None = None
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

    def ordinary(self) -> tuple[frozenset[str], frozenset[str]]:
        """(ordinary words a glued run with one target may split into, rarer whole words that would split so),
        loaded on the first glued run that needs them (empty without a loader)."""
        if self._ordinary is None:
            loader = self._ordinary_loader
            self._ordinary = loader() if loader is not None else (frozenset(), frozenset())
        return self._ordinary

    def _glue_sets(self) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
        """(known words of the two-target split, target forms, ordinary words without a target), built once on
        the first glued run: a split then tests each piece with one lookup. Any word of the one-target split
        (plain | targets | short) is a known word or an ordinary one: tested in those two sets, not stored as a
        third copy of them (~2 MB of set table resident for the rest of the process)."""
        if self._sets is None:
            ordinary, _ = self.ordinary()
            forms = frozenset(t + s for t in self.targets for s in WORD_SUFFIXES)
            short = frozenset(w + s for w in self.short for s in ("", "s"))
            targets = forms - self.function
            plain = (self.function | ordinary) - targets
            self._sets = (self.function | forms | short, targets, plain)
        return self._sets

    def _is_target(self, word: str) -> bool:
        return word not in self.function and inflected(word, self.targets, WORD_SUFFIXES)

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
        """The fewest known words that spell `letters`, joined by spaces: two of them targets, or one a target
        and the rest ordinary words; in both, unless ordinary words without a target spell it as cheaply
        (expertsexchange is experts exchange, sexeducation sex education)."""
        if not self._has_target(letters):
            return None
        ordinary, whole = self.ordinary()
        if letters in whole:
            return None

        known, targets, plain = self._glue_sets()
        cuts = fewest_words(letters, known.__contains__)
        words = [letters[a:b] for a, b in cuts] if cuts is not None else []
        if sum(w not in self.function for w in words) < 2:  # one word among function words (killall) is chance
            if not ordinary:
                return None
            words = self._cheapest(letters, known, ordinary) or []  # = plain | targets | short
            if not any(w in targets for w in words) or not any(w in self.function for w in words):
                return None  # a target glued to ordinary words alone is a name or a compound (a place, a site)
        rival = self._cheapest(letters, plain) if ordinary else None
        if rival is not None and self._cost(rival) <= self._cost(words):
            return None  # ordinary words spell it as well without a target (experts exchange, pen island)
        return " ".join(words)

    def _cost(self, words: list[str]) -> float:
        return sum(FUNCTION_COST if w in self.function else 1.0 for w in words)

    def _cheapest(self, letters: str, known: frozenset[str], also: frozenset[str] = frozenset()) -> list[str] | None:
        """The words of `known` or `also` that spell `letters` at the least cost (a word 1, a function word
        FUNCTION_COST: kill them all, not kill the mall; you are a loser, not you area loser); None if none do
        or the letters are one word."""
        n = len(letters)
        best: list[tuple[float, int, int] | None] = [None] * (n + 1)  # (cost, words, previous cut)
        best[0] = (0.0, 0, 0)
        for end in range(1, n + 1):
            for start in range(max(0, end - MAX_WORD), end):
                prev = best[start]
                if prev is None:
                    continue
                word = letters[start:end]
                if word not in known and word not in also:
                    continue
                got = (prev[0] + (FUNCTION_COST if word in self.function else 1.0), prev[1] + 1, start)
                if best[end] is None or got[:2] < best[end][:2]:  # type: ignore[index]
                    best[end] = got
        last = best[n]
        if last is None or last[1] < 2:
            return None
        words, end = [], n
        while end > 0:
            start = best[end][2]  # type: ignore[index]
            words.append(letters[start:end])
            end = start
        return words[::-1]

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
    return EnglishReading(frozenset(targets), frozenset(real), function_words, leet, frozenset(short),
                          ordinary=load_ordinary)


def load_ordinary(path: Path = WORDS) -> tuple[frozenset[str], frozenset[str]]:
    """The ordinary-word table (tables/english_words.json): (words, whole_words), validated; a missing or
    damaged table raises (when the first glued run needs it), as default_reading's table does."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for key in ("words", "whole_words"):
        words = doc.get(key) if isinstance(doc, dict) else None
        if not isinstance(words, str) or not words or not (words.isascii() and words.replace(" ", "").isalpha()):
            raise ValueError(f"{path.name}: {key!r} is not a string of ASCII words")
        out.append(frozenset(words.split()))
    return out[0], out[1]


def read(text: str) -> tuple[str, SourceMap] | None:
    """default_reading().read(text)."""
    return default_reading().read(text)


def replacements(text: str) -> list[tuple[int, int, str]]:
    """default_reading().replacements(text)."""
    return default_reading().replacements(text)
