"""Anti-evasion views of a text, with an offset map back to the original.

One pipeline of steps turns a text into its *fold view*. A per-character table (one str.translate)
does NFKC (full-width, compatibility forms), lower case, Latin diacritics and Cyrillic/Greek
homoglyphs to plain Latin, traditional to simplified, removes zero-width and format characters,
and turns every symbol, space and emoji into a space. Then runs of spaces collapse, spaces between
Chinese characters vanish, characters repeated three or more times collapse, and spaced-out letters
join ("n u d e" -> "nude"). The view holds only a-z, 0-9, Chinese and single spaces, padded with one
space each side.

The *syllable view* derives from the fold view: each Chinese character becomes its toneless pinyin
syllable (near-homophones merged), and Latin runs that touch Chinese characters and spell pinyin
("se情", "约pao", "dǔ博") become syllables too (filters/syllable_source.py). Homophones ("涩情") then
look like their target.

Each step runs in two modes built from the same regular expressions: a fast mode that returns only
the string (used to pre-screen every text at C speed) and an exact mode that also returns, for each
view character, the span of original characters it came from (used when a text needs explaining).
Views are encoded for the matcher's automata so that their nodes stay narrow (see filters/matcher.py):
the syllable view by `Tables.encode_syllables` (two symbols a syllable), the fold view by the
character automaton's own `CharCode` (filters/automata.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from filters import regex_cache
from filters.syllable_source import SourceMap, SyllableSource
from filters.tables import CJK, LEET_SYMBOLS, NOISE, TABLES_DIR, Tables

__all__ = ["CJK", "LEET_SYMBOLS", "TABLES_DIR", "Normalizer", "SourceMap", "Tables", "View", "Views", "has_latin",
           "is_cjk", "sub_with_offsets"]

# Fold-view steps after the per-character table: (pattern, replacement, fast-mode guard).
_NOISE = NOISE
_UNCLEAN = regex_cache.compile(f"[^\\x00-\\x7f{CJK}]")
# a space next to Chinese goes (symbols between characters, or between a letter and a character);
# the pattern starts with a literal so the regex engine skips fast
_CJK_GAP = regex_cache.compile(f" (?<=[{CJK}] )(?=[{CJK}a-z0-9])| (?<=[a-z0-9] )(?=[{CJK}])")
# a character said three or more times is said once (色色色情); twice is left alone: Chinese doubles
# words (妈妈, 哥哥, 看看), and collapsing them made 他妈妈的手机 read 他妈的
_CJK_REPEAT = regex_cache.compile(f"([{CJK}])\\1{{2,}}")
_SINGLE_LETTERS = regex_cache.compile(r" [a-z](?: [a-z])+(?![a-z0-9])")  # on the padded view
_HAS_LATIN = regex_cache.compile("[a-z]")
_ASTRAL = regex_cache.compile("[\U00010000-\U0010ffff]")  # beyond the BMP: the list tables do not reach
Offsets = list[tuple[int, int]]


def _first_char(m: re.Match[str]) -> str:
    return m.group(1)


def _join_letters(m: re.Match[str]) -> str:
    return " " + m.group().replace(" ", "")


# applied after _NOISE and padding
_FOLD_STEPS: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = (
    (_SINGLE_LETTERS, _join_letters),
    (_CJK_GAP, ""),
    (_CJK_REPEAT, _first_char),
)


def _expand(repl: str | Callable[[re.Match[str]], str], m: re.Match[str]) -> str:
    if callable(repl):
        return repl(m)
    return m.expand(repl) if "\\" in repl else repl  # Match.expand parses its template every call


def sub_with_offsets(
    pattern: re.Pattern[str],
    repl: str | Callable[[re.Match[str]], str],
    text: str,
    offsets: Offsets,
) -> tuple[str, Offsets]:
    """re.sub that also carries a per-character span list through the substitution.

    Characters a match produces take the span covering the whole match (or, for an empty match,
    the empty span at the next original position).
    """
    parts: list[str] = []
    new_offsets: Offsets = []
    prev = 0
    for m in pattern.finditer(text):
        a, b = m.span()
        parts.append(text[prev:a])
        new_offsets.extend(offsets[prev:a])
        rep = _expand(repl, m)
        if rep:
            if a < b:
                span = (offsets[a][0], offsets[b - 1][1])
            else:
                pos = offsets[a][0] if a < len(offsets) else (offsets[-1][1] if offsets else 0)
                span = (pos, pos)
            if repl is _join_letters:  # the leading space and the joined letters keep their own spans
                new_offsets.extend(offsets[i] for i in range(a, b) if i == a or text[i] != " ")
            else:
                new_offsets.extend([span] * len(rep))
            parts.append(rep)
        prev = b
    parts.append(text[prev:])
    new_offsets.extend(offsets[prev:])
    return "".join(parts), new_offsets


@dataclass(slots=True)
class View:
    """A view of the original text: `text[i]` came from `original[offsets[i][0]:offsets[i][1]]`."""

    name: str
    text: str
    offsets: Offsets

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original span covered by view characters [start, end)."""
        end = max(end, start + 1)
        return self.offsets[start][0], self.offsets[end - 1][1]


class Normalizer:
    """Builds fold and syllable views of a text (fast strings, or exact views with offsets)."""

    def __init__(self, tables: Tables | None = None) -> None:
        self.tables = tables or Tables()
        self._fold_list = self.tables.fold_list
        self._fold_astral = self.tables.fold_astral
        self._odd: dict[bool, re.Pattern[str]] = {}  # token table?: see _not_one_to_one
        self._syllables = SyllableSource(self.tables)

    # --- fast mode: strings only ---------------------------------------------------------------
    def prepare(self, text: str) -> str:
        """Per-character fold: NFKC, lower case, look-alikes, traditional->simplified, symbols->space."""
        out = text.translate(self._fold_list)
        if not text.isascii() and _ASTRAL.search(text):  # the list stops at U+FFFF; its outputs are all below
            return out.translate(self._fold_astral)
        return out

    def fold_text(self, text: str, prepared: str | None = None, clean: bool = False) -> str:
        """Fold view (fast mode). `prepared` skips the table; `clean` forces symbol removal (for a
        prepared string that may still hold symbols, like a decoded token string)."""
        s = self.prepare(text) if prepared is None else prepared
        ascii_only = s.isascii()
        if clean or (not ascii_only and _UNCLEAN.search(s)) or (prepared is not None and "  " in s):
            s = _NOISE.sub(" ", s)
            ascii_only = s.isascii()
            core = s.strip(" ")
        elif "  " in s:
            # the table leaves only a-z, 0-9, Chinese and spaces: the noise left is runs of spaces, which
            # str.split joins in C (the regex cost ~29k instructions a line: English punctuation
            # leaves ", " -> "  " in most lines)
            core = " ".join(s.split())
        else:
            core = s.strip(" ")
        s = _SINGLE_LETTERS.sub(_join_letters, " " + core + " ")
        if not ascii_only:
            s = _CJK_GAP.sub("", s)
            s = _CJK_REPEAT.sub(_first_char, s)
        return s

    def syllable_source(self, fold_text: str) -> tuple[str, SourceMap | None]:
        """The fold view with pinyin spelt in Latin next to Chinese replaced by syllable characters, and
        the map back to the fold view (None: nothing was replaced); filters/syllable_source.py."""
        return self._syllables(fold_text)

    def pinyin_runs(self, fold_text: str) -> SourceMap | None:
        """syllable_source's map alone, not remembered (for a text other than the one being read)."""
        return self._syllables.runs(fold_text)

    # --- exact mode: views with offsets --------------------------------------------------------
    def token_text(self, text: str) -> str:
        """Like prepare(), but leetspeak and mask symbols stay (for filters/matcher.py's token scan)."""
        out = text.translate(self.tables.token_list)
        if not text.isascii() and _ASTRAL.search(text):
            return out.translate(self.tables.token_astral)
        return out

    def token_view(self, text: str) -> View:
        return self.prepared_view(text, token=True)

    def prepared_view(self, text: str, token: bool = False) -> View:
        """The per-character table applied with each output character's original span.

        Most texts hold only characters the table turns into exactly one character: then the spans
        are the identity, built in C. Others (ligatures, fractions, zero-width ...) take the loop.
        """
        if self.one_to_one(text, token):
            n = len(text)
            out = self.token_text(text) if token else self.prepare(text)
            return View("prepared", out, list(zip(range(n), range(1, n + 1), strict=True)))
        return prepared_view_by_char(text, *self.table_pair(token))

    def one_to_one(self, text: str, token: bool = False) -> bool:
        """True if the table turns every character of `text` into exactly one (prepared_view's fast path)."""
        return self._not_one_to_one(token).search(text) is None

    def table_pair(self, token: bool = False) -> tuple[list, dict[int, str | None]]:
        """(code point list, dict past U+FFFF) of the fold table, or of the token table."""
        t = self.tables
        return (t.token_list, t.token_astral) if token else (t.fold_list, t.fold_astral)

    def _not_one_to_one(self, token: bool) -> re.Pattern[str]:
        """The table's characters that do not map to exactly one character (~600 of 43,000)."""
        pattern = self._odd.get(token)
        if pattern is None:
            odd = self.tables.token_odd if token else self.tables.fold_odd  # (filters/tables.compact_state)
            chars = "".join(re.escape(c) for c in odd)
            pattern = self._odd[token] = regex_cache.compile(f"[{chars}]" if chars else "(?!)")
        return pattern

    def fold_view(self, text: str) -> View:
        return self.fold_view_of(self.prepared_view(text))

    def fold_view_of(self, pv: View) -> View:
        """Fold view (exact mode) of a prepared view, keeping offsets into the original."""
        # _NOISE_CHANGES skips the single spaces _NOISE would replace by themselves (same offsets)
        s, offs = sub_with_offsets(_NOISE_CHANGES, " ", pv.text, pv.offsets)
        # strip and pad, as fold_text does
        lead = len(s) - len(s.lstrip(" "))
        core = s.strip(" ")
        core_offs = offs[lead : lead + len(core)]
        start = core_offs[0][0] if core_offs else 0
        end = core_offs[-1][1] if core_offs else (pv.offsets[-1][1] if pv.offsets else 0)
        s, offs = " " + core + " ", [(start, start), *core_offs, (end, end)]
        for pattern, repl in _FOLD_STEPS:
            s, offs = sub_with_offsets(pattern, repl, s, offs)
        return View("fold", s, offs)


# what _NOISE changes: a run of two or more, or one character other than a space
_NOISE_CHANGES = regex_cache.compile(f"[^a-z0-9{CJK}]{{2,}}|[^a-z0-9 {CJK}]")


def prepared_view_by_char(text: str, lst: list, astral: dict[int, str | None]) -> View:
    """prepared_view character by character (the reference for the fast path)."""
    parts: list[str] = []
    offsets: Offsets = []
    size = len(lst)
    for i, ch in enumerate(text):
        cp = ord(ch)
        out = (lst[cp] if cp < size else ch) if cp < 0x10000 else astral.get(cp, ch)
        if out.__class__ is int:  # the list's identity entries
            out = ch
        if out:
            parts.append(out)
            offsets.extend([(i, i + 1)] * len(out))
    return View("prepared", "".join(parts), offsets)


class Views:
    """The views of one text, each built at most once and only when something reads it.

    `fold` (fast fold string) is what every automaton scans; `exact` (the fold view with offsets
    back to the original) is built only when a match has to be explained or a parent's allow word
    checked; `token` (leetspeak symbols kept) only when the text may hide a disguised English word.
    The engine builds one per text and hands it to the matcher, the parent's block-word matcher and
    the allow-word veto, so no step folds the text again.
    """

    __slots__ = ("text", "_norm", "_fold", "_exact", "_token")

    def __init__(self, text: str, normalizer: Normalizer) -> None:
        self.text = text
        self._norm = normalizer
        self._fold: str | None = None
        self._exact: View | None = None
        self._token: str | None = None

    @property
    def fold(self) -> str:
        if self._fold is None:
            self._fold = self._norm.fold_text(self.text)
        return self._fold

    @property
    def exact(self) -> View:
        if self._exact is None:
            self._exact = self._norm.fold_view(self.text)
        return self._exact

    @property
    def token(self) -> str:
        if self._token is None:
            self._token = self._norm.token_text(self.text)
        return self._token


def is_cjk(ch: str) -> bool:
    """True for a Chinese character of the ranges the views handle."""
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def has_latin(fold_text: str) -> bool:
    """True if a fold view holds a Latin letter (full-width and look-alike letters are folded to one)."""
    return fold_text.isascii() or _HAS_LATIN.search(fold_text) is not None
