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
("se情", "约pao", "dǔ博") become syllables too. Homophones ("涩情") then look like their target.

Each step runs in two modes built from the same regular expressions: a fast mode that returns only
the string (used to pre-screen every text at C speed) and an exact mode that also returns, for each
view character, the span of original characters it came from (used when a text needs explaining).
Views are encoded for the matcher's automata by `Tables.encode_chars` / `encode_syllables`: each
Chinese character or syllable becomes two symbols from small alphabets, which keeps the automaton's
nodes narrow (see filters/matcher.py).
"""

from __future__ import annotations

import bisect
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from filters import prebuilt

TABLES_DIR = Path(__file__).resolve().parent / "data" / "tables"

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))

# Fold-view steps after the per-character table: (pattern, replacement, fast-mode guard).
_NOISE = re.compile(f"[^a-z0-9{CJK}]+")  # anything not ASCII letters/digits or Chinese
_UNCLEAN = re.compile(f"[^\\x00-\\x7f{CJK}]")
# a space next to Chinese goes (symbols between characters, or between a letter and a character);
# the pattern starts with a literal so the regex engine skips fast
_CJK_GAP = re.compile(f" (?<=[{CJK}] )(?=[{CJK}a-z0-9])| (?<=[a-z0-9] )(?=[{CJK}])")
# a character said three or more times is said once (色色色情); twice is left alone: Chinese doubles
# words (妈妈, 哥哥, 看看), and collapsing them made 他妈妈的手机 read 他妈的
_CJK_REPEAT = re.compile(f"([{CJK}])\\1{{2,}}")
_SINGLE_LETTERS = re.compile(r" [a-z](?: [a-z])+(?![a-z0-9])")  # on the padded view
_HAS_LATIN = re.compile("[a-z]")
LEET_SYMBOLS = "@$!|+*#%€"
_TOKEN_NOISE = re.compile(f"[^a-z0-9{re.escape(LEET_SYMBOLS)}{CJK}]+")
# Latin runs touching Chinese, possibly across one space (where a symbol stood).
# Up to four Latin words touching Chinese (sui shi案, 你这个 jian ren, 约pao).
_RUN = "[a-z]+(?: [a-z]+){0,3}"
_LATIN_BY_CJK = re.compile(
    f"(?<=[{CJK}])({_RUN})(?=[{CJK}])|(?<=[{CJK}])({_RUN})(?![a-z0-9])|(?<![a-z0-9])({_RUN})(?=[{CJK}])"
)
_LATIN_TOUCHES_CJK = re.compile(f"[{CJK}][a-z]|[a-z][{CJK}]")  # a cheap necessary condition for the above

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


_IDENTITY: list[str | int | None] = list(range(0x10000))  # shared int objects for unmapped code points
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _as_list(table: dict[int, str | None]) -> list[str | int | None]:
    """The same mapping (Basic Multilingual Plane part) as a list indexed by code point.

    CPython's str.translate looks each character up in the table; a list index is much cheaper than
    a dict lookup (measured 53 vs 32 M chars/s on the benchmark corpus). Code points past the end
    raise IndexError, which translate takes as "unchanged"; texts with characters beyond the BMP
    (emoji, mathematical letters) use the dict instead (see Normalizer.prepare).
    """
    bmp = [cp for cp in table if cp < 0x10000]
    out = _IDENTITY[: max(bmp) + 1] if bmp else []
    for cp in bmp:
        out[cp] = table[cp]
    return out


def _load_tsv(path: Path) -> list[list[str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


class Tables:
    """The normaliser's data, loaded once: fold table, pinyin readings, symbol encodings."""

    CHAR_BASE = 0xE000  # two-symbol code for each Chinese character: hi in [E000, E000+K), lo after
    ASCII_HI = 0xE200  # first symbol of every ASCII character's code
    SYL_CHAR_BASE = 0xE800  # one character per syllable spelt in Latin letters (syllable source text)
    SYL_BASE = 0xF000  # two-symbol code for each syllable
    SYL_SEP = 0xF0FF  # code of everything that is not a syllable

    def __init__(self, tables_dir: Path = TABLES_DIR, use_prebuilt: bool = True) -> None:
        self.tables_dir = tables_dir
        self._readings: tuple[dict[str, tuple[str, ...]], dict[str, str]] | None = None
        state = prebuilt.load("normalize", tables_dir) if use_prebuilt else None
        if state is None:
            state = self.build_state(tables_dir)
            self._readings = state.pop("readings"), state.pop("raw_readings")
        self.__dict__.update(state)
        self.fold_list = _as_list(self.fold_table)
        self.token_list = _as_list(self.token_table)
        self.char_code_list = _as_list(self.char_code)
        self.syl_list = _as_list(self.syl_table)

    @property
    def readings(self) -> dict[str, tuple[str, ...]]:
        """Character -> canonical toneless readings (default first); loaded when a matcher is built."""
        return self._load_readings()[0]

    @property
    def raw_readings(self) -> dict[str, str]:
        """Character -> default reading as typed, before near-homophone merges."""
        return self._load_readings()[1]

    def _load_readings(self) -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
        if self._readings is None:
            pair = prebuilt.load("readings", self.tables_dir)
            if pair is None:
                state = self.build_state(self.tables_dir)
                pair = state["readings"], state["raw_readings"]
            self._readings = pair
        return self._readings

    @staticmethod
    def build_state(tables_dir: Path = TABLES_DIR) -> dict[str, Any]:
        """Every table from the source files (about 1 s; `make tables` stores the result prebuilt)."""
        fold: dict[int, str | None] = {}
        for lo, hi in ((0x00C0, 0x024F), (0x1E00, 0x1EFF)):
            for cp in range(lo, hi + 1):
                base = "".join(
                    c for c in unicodedata.normalize("NFKD", chr(cp)) if not unicodedata.combining(c)
                ).lower()
                if base and base.isascii() and base.isalpha() and base != chr(cp):
                    fold[cp] = base
        homo = json.loads((tables_dir / "homoglyphs.json").read_text(encoding="utf-8"))["map"]
        for src, dst in homo.items():
            fold[ord(src)] = dst
        for trad, simp in _load_tsv(tables_dir / "t2s.tsv"):
            fold[ord(trad)] = simp
        for cp in list(range(0x200B, 0x2010)) + list(range(0x2060, 0x2065)) + [0x00AD, 0x180E, 0xFEFF]:
            fold[cp] = None
        for cp in list(range(0x0300, 0x0370)) + list(range(0xFE00, 0xFE10)):
            fold[cp] = None
        # The per-character table does NFKC, lower case and the folds above in one str.translate:
        # every BMP character (and the mathematical / enclosed alphanumerics) maps to its fold,
        # with symbols, punctuation and spaces mapped to one space.
        # The token table is the same but keeps the symbols of leetspeak and masks (p0rn, f*ck, $hit).
        table: dict[int, str] = {}
        token_table: dict[int, str] = {}
        ranges = ((0, 0x10000), (0x1D400, 0x1D800), (0x1F100, 0x1F200))
        for lo, hi in ranges:
            for cp in range(lo, hi):
                ch = chr(cp)
                folded = unicodedata.normalize("NFKC", ch).lower().translate(fold)
                out = _NOISE.sub(" ", folded)
                if out != ch:
                    table[cp] = out
                tok = _TOKEN_NOISE.sub(" ", folded)
                if tok != ch:
                    token_table[cp] = tok

        fuzzy = json.loads((tables_dir / "pinyin_fuzzy.json").read_text(encoding="utf-8"))
        fuzzy_initials = sorted(fuzzy["initials"].items(), key=lambda kv: -len(kv[0]))
        fuzzy_finals = sorted(fuzzy["finals"].items(), key=lambda kv: -len(kv[0]))

        readings_map: dict[str, tuple[str, ...]] = {}
        raw_readings: dict[str, str] = {}  # default reading as typed, before near-homophone merges
        syllables: set[str] = set()
        raw_syllables: set[str] = set()
        for ch, readings in _load_tsv(tables_dir / "pinyin.tsv"):
            raw = readings.split(",")
            rs = tuple(dict.fromkeys(_canonical(r, fuzzy_initials, fuzzy_finals) for r in raw))
            readings_map[ch] = rs
            raw_readings[ch] = raw[0]
            syllables.update(rs)
            raw_syllables.update(raw)

        # Two-symbol codes: every fold-view character (ASCII letters, digits, space, Chinese) becomes
        # exactly two symbols, so view position = code position // 2 and automaton nodes stay narrow.
        cjk = [chr(c) for lo, hi in _CJK_RANGES for c in range(lo, hi + 1)]
        k = 1
        while k * k < len(cjk):
            k += 1
        code: dict[int, str] = {
            ord(c): chr(Tables.CHAR_BASE + i // k) + chr(Tables.CHAR_BASE + k + i % k) for i, c in enumerate(cjk)
        }
        for c in "abcdefghijklmnopqrstuvwxyz0123456789 ":
            code[ord(c)] = chr(Tables.ASCII_HI) + c

        syl_list = sorted(syllables)
        ks = 1
        while ks * ks < len(syl_list):
            ks += 1
        syl_code: dict[str, str] = {
            s: chr(Tables.SYL_BASE + i // ks) + chr(Tables.SYL_BASE + ks + i % ks) for i, s in enumerate(syl_list)
        }
        # One private character per syllable stands for a pinyin syllable spelt in Latin letters.
        syl_char: dict[str, str] = {s: chr(Tables.SYL_CHAR_BASE + i) for i, s in enumerate(syl_list)}
        sep = chr(Tables.SYL_SEP) * 2
        unknown = chr(Tables.SYL_SEP - 1) * 2  # a Chinese character with no reading: matches nothing
        syl_table: dict[int, str] = {ord(c): sep for c in "abcdefghijklmnopqrstuvwxyz0123456789 "}
        for c in cjk:
            rs = readings_map.get(c)
            syl_table[ord(c)] = syl_code[rs[0]] if rs else unknown
        for s_, ch in syl_char.items():
            syl_table[ord(ch)] = syl_code[s_]
        return {
            "fold_table": table, "token_table": token_table, "char_code": code, "syl_table": syl_table,
            "syl_code": syl_code, "syl_char": syl_char, "_fuzzy_initials": fuzzy_initials,
            "_fuzzy_finals": fuzzy_finals, "raw_syllables": frozenset(raw_syllables),
            "_max_syllable": max(len(x) for x in raw_syllables),
            "readings": readings_map, "raw_readings": raw_readings,
        }

    # --- pinyin -------------------------------------------------------------------------------
    def canonical(self, syllable: str) -> str:
        return _canonical(syllable, self._fuzzy_initials, self._fuzzy_finals)

    def parse_pinyin(self, run: str) -> list[str] | None:
        """Split a Latin run into pinyin syllables (longest first); None if it is not all pinyin."""
        return _parse(run, self.raw_syllables, self._max_syllable)

    def pinyin_chars(self, run: str) -> str | None:
        """A Latin run spelt in pinyin as one private character per syllable, else None."""
        parts = self.parse_pinyin(run)
        if not parts:
            return None
        return "".join(self.syl_char[self.canonical(p)] for p in parts)

    # --- encodings ----------------------------------------------------------------------------
    def encode_chars(self, fold_text: str) -> str:
        """Fold view -> two symbols per character (ASCII and Chinese)."""
        return fold_text.translate(self.char_code_list)

    def encode_syllables(self, syllable_source: str) -> str:
        """Syllable source -> two symbols per character (a syllable, or the separator)."""
        return syllable_source.translate(self.syl_list)


def _canonical(syllable: str, initials: list[tuple[str, str]], finals: list[tuple[str, str]]) -> str:
    s = syllable
    for src, dst in initials:
        if s.startswith(src):
            s = dst + s[len(src):]
            break
    for src, dst in finals:
        if s.endswith(src):
            s = s[: -len(src)] + dst
            break
    return s


@lru_cache(maxsize=4096)
def _parse_cached(run: str, syllables: frozenset[str], longest: int) -> tuple[str, ...] | None:
    n = len(run)
    best: list[tuple[str, ...] | None] = [None] * (n + 1)
    best[n] = ()
    for i in range(n - 1, -1, -1):
        for j in range(min(n, i + longest), i, -1):
            tail = best[j]
            if tail is not None and run[i:j] in syllables:
                best[i] = (run[i:j], *tail)
                break
    return best[0]


def _parse(run: str, syllables: frozenset[str], longest: int) -> list[str] | None:
    if len(run) > 40:
        return None
    parsed = _parse_cached(run, syllables, longest)
    return list(parsed) if parsed else None


class Normalizer:
    """Builds fold and syllable views of a text (fast strings, or exact views with offsets)."""

    def __init__(self, tables: Tables | None = None) -> None:
        self.tables = tables or Tables()
        self._fold_table = self.tables.fold_table
        self._fold_list = self.tables.fold_list

    # --- fast mode: strings only ---------------------------------------------------------------
    def prepare(self, text: str) -> str:
        """Per-character fold: NFKC, lower case, look-alikes, traditional->simplified, symbols->space."""
        if not text.isascii() and _ASTRAL.search(text):
            return text.translate(self._fold_table)
        return text.translate(self._fold_list)

    def fold_text(self, text: str, prepared: str | None = None, clean: bool = False) -> str:
        """Fold view (fast mode). `prepared` skips the table; `clean` forces symbol removal (for a
        prepared string that may still hold symbols, like a decoded token string)."""
        s = self.prepare(text) if prepared is None else prepared
        ascii_only = s.isascii()
        if clean or "  " in s or (not ascii_only and _UNCLEAN.search(s)):
            s = _NOISE.sub(" ", s)
            ascii_only = s.isascii()
        s = _SINGLE_LETTERS.sub(_join_letters, " " + s.strip(" ") + " ")
        if not ascii_only:
            s = _CJK_GAP.sub("", s)
            s = _CJK_REPEAT.sub(_first_char, s)
        return s

    def syllable_source(self, fold_text: str) -> tuple[str, SourceMap | None]:
        """The fold view with pinyin spelt in Latin next to Chinese replaced by syllable characters.

        Returns the string and, when a replacement happened, a map from its positions back to the
        fold view (None means the identity: nothing was replaced).
        """
        if fold_text.isascii() or _LATIN_TOUCHES_CJK.search(fold_text) is None:
            return fold_text, None  # every match of _LATIN_BY_CJK has a letter right beside a character
        parts: list[str] = []
        anchors: list[tuple[int, int, int, int]] = []
        prev = 0
        length = 0
        for m in _LATIN_BY_CJK.finditer(fold_text):
            rep = self._pinyin_repl(m)
            a, b = m.span()
            if rep == m.group():
                continue
            parts.append(fold_text[prev:a])
            length += a - prev
            anchors.append((length, len(rep), a, b))
            parts.append(rep)
            length += len(rep)
            prev = b
        if not anchors:
            return fold_text, None
        parts.append(fold_text[prev:])
        return "".join(parts), SourceMap(anchors)

    def _pinyin_repl(self, m: re.Match[str]) -> str:
        """All the run's words as syllables; else only the word that touches the Chinese."""
        run = m.group()
        enc = self.tables.pinyin_chars(run.replace(" ", ""))
        if enc is not None:
            return enc
        if " " not in run:
            return run
        head, _, rest = run.partition(" ")
        body, _, tail = run.rpartition(" ")
        if m.group(3) is not None or m.group(1) is not None:  # Chinese follows: the last word
            enc = self.tables.pinyin_chars(tail)
            if enc is not None:
                return body + " " + enc
        if m.group(2) is not None or m.group(1) is not None:  # Chinese precedes: the first word
            enc = self.tables.pinyin_chars(head)
            if enc is not None:
                return enc + " " + rest
        return run

    # --- exact mode: views with offsets --------------------------------------------------------
    def token_text(self, text: str) -> str:
        """Like prepare(), but leetspeak and mask symbols stay (for filters/matcher.py's token scan)."""
        if not text.isascii() and _ASTRAL.search(text):
            return text.translate(self.tables.token_table)
        return text.translate(self.tables.token_list)

    def token_view(self, text: str) -> View:
        return self.prepared_view(text, self.tables.token_table)

    def prepared_view(self, text: str, table: dict[int, str] | None = None) -> View:
        parts: list[str] = []
        offsets: Offsets = []
        table = self._fold_table if table is None else table
        for i, ch in enumerate(text):
            out = table.get(ord(ch), ch)
            if out:
                parts.append(out)
                offsets.extend([(i, i + 1)] * len(out))
        return View("prepared", "".join(parts), offsets)

    def fold_view(self, text: str) -> View:
        return self.fold_view_of(self.prepared_view(text))

    def fold_view_of(self, pv: View) -> View:
        """Fold view (exact mode) of a prepared view, keeping offsets into the original."""
        s, offs = sub_with_offsets(_NOISE, " ", pv.text, pv.offsets)
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


class SourceMap:
    """Maps positions of a syllable source back to the fold view it was made from.

    anchors: (source start, source length, fold start, fold end) of each replaced run, in order;
    elsewhere the two strings run in step.
    """

    __slots__ = ("_anchors", "_starts")

    def __init__(self, anchors: list[tuple[int, int, int, int]]) -> None:
        self._anchors = anchors
        self._starts = [a[0] for a in anchors]

    def start(self, pos: int) -> int:
        """Fold position where source character `pos` begins."""
        i = bisect.bisect_right(self._starts, pos) - 1
        if i < 0:
            return pos
        s0, n, f0, f1 = self._anchors[i]
        return f0 if pos < s0 + n else f1 + (pos - s0 - n)

    def end(self, pos: int) -> int:
        """Fold position where source character `pos` ends (exclusive)."""
        i = bisect.bisect_right(self._starts, pos) - 1
        if i < 0:
            return pos + 1
        s0, n, f0, f1 = self._anchors[i]
        return f1 if pos < s0 + n else f1 + (pos - s0 - n) + 1

    def is_replaced(self, start: int, end: int) -> bool:
        """True if any source position in [start, end) lies in a replaced run."""
        return any(s0 < end and start < s0 + n for s0, n, _, _ in self._anchors)


def is_cjk(ch: str) -> bool:
    """True for a Chinese character of the ranges the views handle."""
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def has_latin(fold_text: str) -> bool:
    """True if a fold view holds a Latin letter (full-width and look-alike letters are folded to one)."""
    return fold_text.isascii() or _HAS_LATIN.search(fold_text) is not None
