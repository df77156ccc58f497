"""The normaliser's tables: the per-character fold table, pinyin readings and the syllable encoding.

`Tables` loads them once per process from filters/data/tables/prebuilt.pickle (written by
`make tables`), or builds them from the source files there when that file is stale (about 1 s).
The per-character tables are also kept as lists indexed by code point, which str.translate reads
faster than a dict. Pinyin helpers (canonical syllables, splitting a Latin run into syllables) live
here too because they read the same data. filters/normalize.py turns texts into views with them.
"""

from __future__ import annotations

import json
import re
import unicodedata
from array import array
from functools import lru_cache
from pathlib import Path
from typing import Any

from filters import prebuilt, regex_cache
from filters.prebuilt import TABLES_DIR

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))  # inclusive; the ranges of CJK
NOISE = regex_cache.compile(f"[^a-z0-9{CJK}]+")  # anything not ASCII letters/digits or Chinese
LEET_SYMBOLS = "@$!|+*#%€"
_TOKEN_NOISE = regex_cache.compile(f"[^a-z0-9{re.escape(LEET_SYMBOLS)}{CJK}]+")


NO_SYLLABLE = 0xFFFF  # in Tables.cjk_syllables: a character with no reading
IDENTITY: list[str | int | None] = list(range(0x10000))  # shared int objects for unmapped code points


Runs = list[tuple[int, list[str | None]]]


def _runs(table: dict[int, str | None]) -> Runs:
    """The BMP part of a table as runs of consecutive mapped code points: (first code point, outputs)."""
    runs: Runs = []
    for cp in sorted(cp for cp in table if cp < 0x10000):
        if runs and runs[-1][0] + len(runs[-1][1]) == cp:
            runs[-1][1].append(table[cp])
        else:
            runs.append((cp, [table[cp]]))
    return runs


def from_runs(runs: Runs) -> list[str | int | None]:
    """A table's BMP part as a list indexed by code point, joined from identity slices and the runs'
    outputs in C (a few thousand runs: a loop over ~140,000 code points cost ~10 ms of every start-up).

    CPython's str.translate looks each character up in the table; a list index is much cheaper than
    a dict lookup (measured 53 vs 32 M chars/s on the benchmark corpus). Code points past the end
    raise IndexError, which translate takes as "unchanged"; texts with characters beyond the BMP
    (emoji, mathematical letters) use the dict instead (see Normalizer.prepare).
    """
    out: list[str | int | None] = []
    at = 0
    for cp, outputs in runs:
        out += IDENTITY[at:cp]
        out += outputs
        at = cp + len(outputs)
    return out


_LIST_TABLES = ("fold_table", "token_table", "syl_table")


def expanded(table: tuple[Runs, dict[int, str | None]]) -> dict[int, str | None]:
    """A table of compact_state (BMP runs, dict past the BMP) back as the dict build_state makes."""
    runs, astral = table
    out: dict[int, str | None] = {cp + i: v for cp, outputs in runs for i, v in enumerate(outputs)}
    out.update(astral)
    return out


def compact_state(state: dict[str, Any]) -> dict[str, Any]:
    """build_state's tables in the form Tables loads (what `make tables` stores prebuilt): each
    per-character table as BMP runs (`_runs`) plus a dict of its code points past the BMP. Unpickling
    the runs and joining them costs a fraction of unpickling four dicts of ~140,000 entries and
    walking them into lists. With them, the characters the fold and token tables do not turn into
    exactly one character (`fold_odd`, `token_odd`: ~600 of them; filters/normalize.py's exact views
    take a slower path for texts holding one), found here rather than by a scan of 65,536 entries in
    every process."""
    out = {k: v for k, v in state.items() if k not in _LIST_TABLES}
    for name in _LIST_TABLES:
        table = state[name]
        out[name] = (_runs(table), {cp: v for cp, v in table.items() if cp >= 0x10000})
    for name, table in (("fold_odd", state["fold_table"]), ("token_odd", state["token_table"])):
        out[name] = "".join(chr(cp) for cp, v in sorted(table.items()) if v is None or len(v) != 1)
    return out


def homo_astral(homo: dict[str, str]) -> dict[int, str]:
    """Look-alikes beyond the ranges the per-character table covers (animal emoji standing for 猪, 狗)."""
    return {ord(k): v for k, v in homo.items() if ord(k) >= 0x1F200 or 0x10000 <= ord(k) < 0x1D400}


def _load_tsv(path: Path) -> list[list[str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


_SHARED: dict[str, Any] = {}  # the default tables' loaded attributes (never modified), shared by instances


class Tables:
    """The normaliser's data, loaded once: fold table, pinyin readings, the syllable encoding.

    (The character automaton's encoding is chosen from its keys: filters/automata.CharCode.)
    `syllables` are the canonical toneless syllables, sorted; `cjk_syllables` gives, for each code point
    of CJK_RANGES in order, the position of its default reading there (NO_SYLLABLE: none)."""

    SYL_CHAR_BASE = 0xE800  # one character per syllable spelt in Latin letters (syllable source text)
    SYL_BASE = 0xF000  # two-symbol code for each syllable
    SYL_SEP = 0xF0FF  # code of everything that is not a syllable

    def __init__(self, tables_dir: Path = TABLES_DIR, use_prebuilt: bool = True) -> None:
        self.tables_dir = tables_dir
        self._readings: tuple[dict[str, tuple[str, ...]], dict[str, str]] | None = None
        shared = use_prebuilt and Path(tables_dir).resolve() == TABLES_DIR
        if shared and _SHARED:  # the normaliser's and the featurizer's tables: loaded once a process
            self.__dict__.update(_SHARED)
            return
        state = prebuilt.load("normalize", tables_dir) if use_prebuilt else None
        shared = shared and state is not None  # tables built from the sources are this instance's only
        if state is None:
            built = self.build_state(tables_dir)
            self._readings = built.pop("readings"), built.pop("raw_readings")
            state = compact_state(built)
        # Only list forms are kept (a str.translate table indexed by code point), with a small dict for
        # the characters past the Basic Multilingual Plane: the full dicts cost ~9 MB resident.
        (fold, self.fold_astral), (token, self.token_astral) = state.pop("fold_table"), state.pop("token_table")
        self.fold_list = from_runs(fold)
        self.token_list = from_runs(token)
        self.syl_list = from_runs(state.pop("syl_table")[0])
        self.__dict__.update(state)
        if shared:  # read-only from here on
            _SHARED.update({k: v for k, v in self.__dict__.items() if k not in ("tables_dir", "_readings")})

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
                out = NOISE.sub(" ", folded)
                if out != ch:
                    table[cp] = out
                tok = _TOKEN_NOISE.sub(" ", folded)
                if tok != ch:
                    token_table[cp] = tok
        for cp, out in homo_astral(homo).items():  # look-alikes past those ranges: emoji for a character (🐷 猪)
            table[cp] = token_table[cp] = out

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

        # Two-symbol syllable codes: every syllable (and the separator) becomes exactly two symbols, so
        # syllable-source position = code position // 2 and automaton nodes stay narrow.
        cjk = [chr(c) for lo, hi in CJK_RANGES for c in range(lo, hi + 1)]
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
        # the same default readings as positions in syl_list, for the classifier's syllable features
        # (filters/feature_pinyin.py): an array it indexes in numpy instead of walking 28,000 code points
        position = {s: i for i, s in enumerate(syl_list)}
        cjk_syllables = array("H")
        for c in cjk:
            rs = readings_map.get(c)
            syl_table[ord(c)] = syl_code[rs[0]] if rs else unknown
            cjk_syllables.append(position[rs[0]] if rs else NO_SYLLABLE)
        for s_, ch in syl_char.items():
            syl_table[ord(ch)] = syl_code[s_]
        return {
            "fold_table": table, "token_table": token_table, "syl_table": syl_table,
            "syl_code": syl_code, "syl_char": syl_char, "syllables": tuple(syl_list),
            "cjk_syllables": cjk_syllables, "_fuzzy_initials": fuzzy_initials,
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
