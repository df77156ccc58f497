"""The classifier featurizer's per-code-point table (filters/features.py `Featurizer.normalise`), built
once and stored in filters/data/features_table.pickle (`python -m filters.feature_table` rewrites it).

For each Basic Multilingual Plane code point the table holds what the reference normalisation makes of
that character alone: NFKC, casefold, the featurizer's fold table, and a space for what the chars view
drops (non-letters, non-digits, "_"). One str.translate through it then gives a text's views, except
where NFKC works across characters: the stored regex class `joiners` names those characters (their
NFKD holds a combining mark or a Hangul jamo, which reorder or compose with a neighbour), plus every
code point past U+FFFF; a text holding one takes the reference path.

A character whose output is one BMP character maps to that code point (an int: str.translate writes the
character, as for a one-character string); the file stores those as one array of 65,536 code points and
the other outputs (longer strings) in a small dict, so loading makes no separate string per changed code
point (unpickling ~21,000 strings and joining their runs cost ~20 M instructions of the first verdict;
the list of ints from the array costs ~1.7 MB resident more). The stored file records the Unicode database version
and the fold table's SHA-256 it was built from; when either differs from the running Python's (another
Python on the device, an edited fold table), the table is built at run time instead (~0.2 s, same
result), never used stale. A test compares the stored file with a fresh build.
"""

from __future__ import annotations

import pickle
import re
import unicodedata
from array import array
from collections.abc import Callable
from pathlib import Path

from filters import regex_cache

TABLE_PATH = Path(__file__).resolve().parent / "data" / "features_table.pickle"
FORMAT = 3  # 2: runs of changed code points (was the whole list); 3: an array of code points and a dict of the rest
Table = list[str | int]  # per BMP code point: the output code point (an int) or the output string
_NONWORD_BUT_NUL = regex_cache.compile(r"[^\w\0]|_")


def build(fold: dict[int, str]) -> tuple[Table, str]:
    """(table, joiners): the per-code-point list and the regex class of characters it cannot handle.

    Each step runs once over all code points joined by NUL, which neither composes nor reorders with
    its neighbours, so the joined result splits back into each character's own result."""
    cps = [cp for cp in range(1, 0x10000) if not 0xD800 <= cp < 0xE000]
    joined = unicodedata.normalize("NFKC", "\0".join(map(chr, cps))).casefold().translate(fold)
    parts = _NONWORD_BUT_NUL.sub(" ", joined).split("\0")
    if len(parts) != len(cps):
        raise AssertionError("feature table: NUL joined with a neighbour")
    table: Table = list(range(0x10000))
    table[0] = ord(" ")
    for cp, out in zip(cps, parts, strict=True):
        if len(out) != 1 or ord(out) != cp:
            table[cp] = ord(out) if len(out) == 1 else out
    return table, _joiners()


def _joiners() -> str:
    """Regex class: characters whose NFKD holds a mark or a Hangul jamo, and all past U+FFFF."""
    marks = {cp for cp in range(0x300, 0x10000) if unicodedata.category(chr(cp))[0] == "M"}
    marks |= {*range(0x1100, 0x1200), *range(0xA960, 0xA980), *range(0xD7B0, 0xD800)}
    cps = [cp for cp in range(0x80, 0x10000) if not 0xD800 <= cp < 0xE000]
    decomposed = unicodedata.normalize("NFKD", "\0".join(map(chr, cps))).split("\0")
    risky = [cp for cp, d in zip(cps, decomposed, strict=True)
             if cp in marks or (len(d) != 1 or ord(d) != cp) and any(ord(c) in marks for c in d)]
    ranges, start = [], risky[0]
    for prev, cp in zip(risky, [*risky[1:], -1], strict=True):
        if cp != prev + 1:
            ranges.append(re.escape(chr(start)) + (f"-{re.escape(chr(prev))}" if prev > start else ""))
            start = cp
    return "".join(ranges) + "\\U00010000-\\U0010ffff"


def packed(table: Table) -> tuple[array, dict[int, str | int]]:
    """What the file stores of a table: an array of each code point's output code point (its own where the
    output is not one BMP character) and a dict of the outputs the array cannot hold."""
    codes = array("H", range(0x10000))
    others: dict[int, str | int] = {}
    for cp, value in enumerate(table):
        if type(value) is int and value <= 0xFFFF:
            codes[cp] = value
        else:
            others[cp] = value
    return codes, others


def table_of(codes: array, others: dict[int, str | int]) -> Table:
    """The per-code-point list back from `packed`'s array and dict (the array's ints made in C)."""
    if len(codes) != 0x10000:
        raise ValueError("damaged")
    table: Table = codes.tolist()
    for cp, value in others.items():
        table[cp] = value
    return table


def _header(fold_sha256: str) -> dict[str, object]:
    return {"format": FORMAT, "unidata_version": unicodedata.unidata_version, "fold_sha256": fold_sha256}


def load(fold: dict[int, str] | Callable[[], dict[int, str]], fold_sha256: str,
         path: Path = TABLE_PATH) -> tuple[Table, re.Pattern[str]]:
    """The stored table if it was built from this Unicode database and fold table, else a fresh build
    (`fold`: the fold table, or a function giving it: read only for a build)."""
    try:
        with path.open("rb") as fh:
            header, codes, others, joiners = pickle.load(fh)
        if header != _header(fold_sha256):
            raise ValueError("stale")
        if type(codes) is not array or codes.typecode != "H" or type(others) is not dict:
            raise ValueError("damaged")
        table = table_of(codes, others)
    except (OSError, ValueError, TypeError, EOFError, IndexError, pickle.UnpicklingError):
        table, joiners = build(fold() if callable(fold) else fold)
    return table, regex_cache.compile(f"[{joiners}]")


def write(path: Path = TABLE_PATH) -> None:
    from filters.features import fold_table_digest, load_fold_table

    table, joiners = build(load_fold_table())
    path.write_bytes(pickle.dumps((_header(fold_table_digest()), *packed(table), joiners), protocol=4))
    print(f"wrote {path} ({path.stat().st_size:,} bytes, Unicode {unicodedata.unidata_version})")


if __name__ == "__main__":
    write()
