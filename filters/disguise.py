"""Disguised English words: leetspeak (p0rn, sh1t), masks (f*ck, bett*ng), stretched letters (fuuuuck),
stand-in letters (slvt, fuxk) and every letter written twice (ffuucckk).

`Disguises` holds the words of every English term (the vocabulary a disguised token may stand for)
and the leetspeak table (filters/data/tables/leet.json). `token_choices` finds the tokens of a
token string (filters/normalize.Normalizer.token_text: the fold table with leet and mask symbols kept)
that look disguised and decodes each to the words it may hide, likeliest first (a masked sl*t may be
slit, slot or slut). filters/matcher.py then scans the decoded text as whole words, trying the next
reading while none matches. A decoding is a pure function of the token and the vocabulary, so it is
memoised per process.

Stand-in letters: a letter written where English cannot have it stands for another, as leet digits do.
`v` between two consonants is a `u` (slvt, cvnt, fvck); `x` between two consonants or before `k` is any
letter (fxck, fuxk, dixk). English words hardly ever have these shapes (a vowel sits beside a v, and
x is followed by a vowel or c/t/p/h), and a stand-in token decodes only to a word of some English term.

Doubled letters: a token of three or more letter pairs, each letter written twice (ffuucckk, sshhiitt), is
read with one of each; no English word is made only of pairs, and it decodes only to a word of some term.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable

from filters import regex_cache
from filters.normalize import View

WORD_SUFFIXES = frozenset({"", "s", "es", "ed", "d", "ing", "er", "ers", "y", "ies", "z", "ty", "in"})

Replacement = tuple[int, int, str, str]  # (start, end, decoded word, view name) in a token string
Choice = tuple[int, int, list[tuple[str, str]]]  # (start, end, [(decoded word, view name)], likeliest first)
MAX_READINGS = 4  # readings tried per disguised token (a masked sl*t: slit, slot, slut)


class Disguises:
    """The vocabulary and leetspeak table that decode disguised tokens (pickled with the matcher)."""

    def __init__(self, words: Iterable[str], leet: dict) -> None:
        words = list(words)
        self.leet_map: dict[str, list[str]] = leet.get("map", {})
        self.mask_chars = "".join(leet.get("mask", ["*"]))
        self.stand_ins: dict[str, str] = leet.get("stand_in", {})
        self._vocab = frozenset(words)
        # a masked token (f*ck, s*nd) may fit several words: the one most terms use is the likeliest
        self._vocab_uses = Counter(words)
        by_len: dict[int, list[str]] = {}
        for w in sorted(self._vocab):
            by_len.setdefault(len(w), []).append(w)
        self._vocab_by_len = {n: "\n".join(ws) for n, ws in by_len.items()}

    @property
    def vocab(self) -> frozenset[str]:
        """Every word of every English term."""
        return self._vocab

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "_decoded"}

    def token_replacements(self, token_text: str) -> list[Replacement]:
        """(start, end, decoded word, view) for each disguised English word in a token string (its likeliest
        reading)."""
        return [(a, b, *readings[0]) for a, b, readings in self.token_choices(token_text)]

    def token_choices(self, token_text: str) -> list[Choice]:
        """(start, end, readings) for each disguised English word in a token string.

        A token's readings are the candidates that are words of some English term (or such a word plus
        an inflection), likeliest first; failing any, leetspeak decodes to its first reading.
        """
        out: list[Choice] = []
        for m in _SPECIAL_TOKEN.finditer(token_text):
            readings = self._decode_token(m.group())
            if readings:
                out.append((m.start(), m.end(), readings))
        if self.stand_ins and _STAND_IN_SHAPE.search(token_text):
            for m in _LETTER_TOKEN.finditer(token_text):
                if _STAND_IN_SHAPE.search(m.group()):
                    readings = self._decode_token(m.group())
                    if readings:
                        out.append((m.start(), m.end(), readings))
            out.sort()
        if _DOUBLED_TOKEN.search(token_text):
            taken = {(a, b) for a, b, _ in out}
            for m in _DOUBLED_TOKEN.finditer(token_text):
                word = m.group()[0::2]  # one letter said six times (kkkkkk: laughter) is no disguise
                if (m.start(), m.end()) not in taken and len(set(word)) > 1 and self._is_vocab(word):
                    out.append((m.start(), m.end(), [(word, "doubled")]))
            out.sort()
        return out

    def _decode_token(self, token: str) -> list[tuple[str, str]]:
        """The token's readings (memoised: a pure function of the token and this vocabulary)."""
        memo = self.__dict__.setdefault("_decoded", {})
        try:
            return memo[token]
        except KeyError:
            pass
        if len(memo) >= 8192:
            memo.clear()
        decoded = memo[token] = self._decode_token_uncached(token)
        return decoded

    def _decode_token_uncached(self, token: str) -> list[tuple[str, str]]:
        if token.isalpha() and not _STRETCH.search(token):
            if token in self._vocab:
                return []  # a word of a term as written: the plain scan has it (fvck)
            return [(w, "stand-in") for w in self._stand_in_words(token)][:MAX_READINGS]
        if _IDENTIFIER.match(token):
            return []  # a letter and a number: a version, model or time (v46, x86, 13z), not leetspeak
        candidates = list(self._token_variants(token))
        if any(c in self.mask_chars for c in token):
            candidates = [(w, "mask") for w in self._mask_words(token)] + candidates
        readings = [(w, v) for w, v in candidates if self._is_vocab(w)]
        if not readings:
            fallback = next(((w, v) for w, v in candidates if v == "leet"), None)
            return [fallback] if fallback else []
        seen: set[str] = set()
        return [r for r in readings if not (r[0] in seen or seen.add(r[0]))][:MAX_READINGS]  # type: ignore[func-returns-value]

    def _is_vocab(self, word: str) -> bool:
        return inflected(word, self._vocab)

    def _token_variants(self, token: str) -> Iterable[tuple[str, str]]:
        seen: set[str] = set()
        letters = "".join(c for c in token if c.isalpha())
        if any(c in self.leet_map for c in token):
            options = [self.leet_map.get(c, [c]) if not c.isalpha() else [c] for c in token]
            for combo in itertools.islice(itertools.product(*options), 8):
                v = "".join(c for c in "".join(combo) if c.isalpha())
                if v and v not in seen:
                    seen.add(v)
                    yield v, "leet"
                    if _STRETCH.search(v):
                        for w in (_STRETCH.sub(r"\1\1", v), _STRETCH.sub(r"\1", v)):
                            if w not in seen:
                                seen.add(w)
                                yield w, "stretch"
        if _STRETCH.search(letters):
            for v in (_STRETCH.sub(r"\1\1", letters), _STRETCH.sub(r"\1", letters)):
                if v not in seen:
                    seen.add(v)
                    yield v, "stretch"

    def _mask_words(self, token: str) -> list[str]:
        """Words of English terms that a masked token (f*ck, bett*ng) could stand for."""
        letters = sum(c.isalpha() for c in token)
        masks = sum(c in self.mask_chars for c in token)
        if letters < 2 or masks == 0 or masks > letters or len(token) > 24 or token[0] in self.mask_chars:
            # masks stand for inner or final letters (f*ck, sh**); leading ones are markup: Markdown
            # emphasis (**it is**), globs (**/*.py), hashtags
            return []
        return self._words_like("".join("[a-z]" if c in self.mask_chars else re.escape(c) for c in token), len(token))

    def _stand_in_words(self, token: str) -> list[str]:
        """Words of English terms a token with stand-in letters (slvt, fuxk) could stand for."""
        shaped = {m.start() + 1 for m in _STAND_IN_AT.finditer(token)}
        shaped |= {m.start() for m in _X_BEFORE_K.finditer(token)}
        parts = []
        for i, c in enumerate(token):
            repl = self.stand_ins.get(c) if i in shaped else None
            parts.append(c if repl is None else "[a-z]" if repl == "*" else re.escape(repl))
        return [w for w in self._words_like("".join(parts), len(token)) if w != token]

    def _words_like(self, pattern: str, length: int) -> list[str]:
        """Words of English terms of this length matching a pattern, the ones most terms use first."""
        joined = self._vocab_by_len.get(length, "")
        if not joined:
            return []
        found = re.compile("^" + pattern + "$", re.M).findall(joined)
        return sorted(found, key=lambda w: -self._vocab_uses[w])


def inflected(word: str, vocab: frozenset[str], suffixes: Iterable[str] = WORD_SUFFIXES) -> bool:
    """True if `word` is in `vocab`, or a word of it plus one of the inflection `suffixes` (pills, betting)."""
    return word in vocab or any(word.endswith(s) and word[: -len(s)] in vocab for s in suffixes if s)


def apply(text: str, reps: list[tuple[int, int, str, str]]) -> str:
    parts, prev = [], 0
    for a, b, word, _ in reps:
        parts.append(text[prev:a])
        parts.append(word)
        prev = b
    parts.append(text[prev:])
    return "".join(parts)


def apply_view(text: str, offsets: list[tuple[int, int]], reps: list[tuple[int, int, str, str]]) -> View:
    parts: list[str] = []
    offs: list[tuple[int, int]] = []
    prev = 0
    for a, b, word, _ in reps:
        parts.append(text[prev:a])
        offs.extend(offsets[prev:a])
        parts.append(word)
        offs.extend([(offsets[a][0], offsets[b - 1][1])] * len(word))
        prev = b
    parts.append(text[prev:])
    offs.extend(offsets[prev:])
    return View("decoded", "".join(parts), offs)


_SPECIAL = re.escape("0123456789@$!|+*#%€")
_T = f"a-z{_SPECIAL}"
# a run of letters/digits/leet symbols with a letter and either a symbol/digit or a letter said thrice
_SPECIAL_TOKEN = regex_cache.compile(
    f"(?<![{_T}])(?=[{_T}]*?[a-z])(?:(?=[{_T}]*?[{_SPECIAL}])|(?=[{_T}]*?([a-z])\\1\\1))"
    f"[{_T}]{{3,24}}(?![{_T}])"
)
_STRETCH = regex_cache.compile(r"([a-z])\1{2,}")
# stand-in letters (slvt, fvck, fuxk): v or x between two consonants, or x before k (y counts as a vowel)
_C = "b-df-hj-np-tv-xz"
_STAND_IN_AT = regex_cache.compile(f"(?=[{_C}][vx][{_C}])")  # matches just before the consonant that precedes it
_X_BEFORE_K = regex_cache.compile("x(?=k)")
_STAND_IN_SHAPE = regex_cache.compile(f"[{_C}][vx][{_C}]|xk")
_LETTER_TOKEN = regex_cache.compile(f"(?<![{_T}])[a-z]{{4,24}}(?![{_T}])")  # 3-letter ones are acronyms (KVM, SVM)
_DOUBLED_TOKEN = regex_cache.compile(f"(?<![{_T}])(?:([a-z])\\1){{3,12}}(?![{_T}])")  # ffuucckk: 3-12 letter pairs
# digits with one letter (v46, x86, b006, 13z in a timestamp, 1e50) are a version, model, time or number;
# a letter and a doubled digit (a55, a22) is still read as leetspeak
_IDENTIFIER = regex_cache.compile(r"(?![a-z](\d)\1$)\d*[a-z]\d*$")
# cheap test on the raw text for anything the token scan could decode
_HINT_SYM = "0-9@$!|+*#%€\uff01-\uff20"
_HINT_LET = "a-zA-Z\uff21-\uff3a\uff41-\uff5a"
_SYMBOL_HINT = regex_cache.compile(f"[{_HINT_SYM}](?:(?<=[{_HINT_LET}].)|(?=[{_HINT_LET}]))")  # symbol-led: fast skip
# a letter said thrice (fuuuck), or three letter pairs in a row (ffuucckk): one pass, as cheap as the first alone
_STRETCH_HINT = regex_cache.compile(r"([a-zA-Z])\1(?:\1|([a-zA-Z])\2([a-zA-Z])\3)")
# the shape in either case, without re.IGNORECASE (8.7 -> 6.3 us a 200-character text): ASCII letters of
# both cases and the two others that case-insensitive matching gives them, the long s and the Kelvin sign
_C_ANY_CASE = f"{_C}{_C.upper()}\u017f\u212a"
_STAND_IN_HINT = regex_cache.compile(f"[{_C_ANY_CASE}][vxVX][{_C_ANY_CASE}]|[xX][kK\u212a]")


def token_hint(text: str) -> bool:
    return (_SYMBOL_HINT.search(text) is not None or _STRETCH_HINT.search(text) is not None
            or _STAND_IN_HINT.search(text) is not None)
