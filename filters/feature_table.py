"""The classifier featurizer's per-code-point table (filters/features.py `Featurizer.normalise`), built
once and stored in filters/data/features_table.pickle (`python -m filters.feature_table` rewrites it).

For each Basic Multilingual Plane code point the table holds what the reference normalisation makes of
that character alone: NFKC, casefold, the featurizer's fold table, and a space for what the chars view
drops (non-letters, non-digits, "_"). One str.translate through it then gives a text's views, except
where NFKC works across characters: the stored regex class `joiners` names those characters (their
NFKD holds a combining mark or a Hangul jamo, which reorder or compose with a neighbour), plus every
code point past U+FFFF; a text holding one takes the reference path.

The file stores the table as runs of the code points it changes (the rest are filters/tables.py's shared
identity ints, and equal outputs are one string object), so the loaded list costs ~0.6 MB resident
instead of ~2.6 MB of its own ints and strings. The stored file records the Unicode database version
and the fold table's SHA-256 it was built from; when either differs from the running Python's (another
Python on the device, an edited fold table), the table is built at run time instead (~0.2 s, same
result), never used stale. A test compares the stored file with a fresh build.
"""

from __future__ import annotations

import pickle
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

from filters import regex_cache
from filters.tables import IDENTITY, Runs, from_runs

TABLE_PATH = Path(__file__).resolve().parent / "data" / "features_table.pickle"
FORMAT = 2  # 2: runs of changed code points (was the whole list)
_NONWORD_BUT_NUL = regex_cache.compile(r"[^\w\0]|_")


def build(fold: dict[int, str]) -> tuple[list[str | int], str]:
    """(table, joiners): the per-code-point list and the regex class of characters it cannot handle.

    Each step runs once over all code points joined by NUL, which neither composes nor reorders with
    its neighbours, so the joined result splits back into each character's own result."""
    cps = [cp for cp in range(1, 0x10000) if not 0xD800 <= cp < 0xE000]
    joined = unicodedata.normalize("NFKC", "\0".join(map(chr, cps))).casefold().translate(fold)
    parts = _NONWORD_BUT_NUL.sub(" ", joined).split("\0")
    if len(parts) != len(cps):
        raise AssertionError("feature table: NUL joined with a neighbour")
    table: list[str | int] = list(range(0x10000))
    table[0] = " "
    for cp, out in zip(cps, parts, strict=True):
        if len(out) != 1 or ord(out) != cp:
            table[cp] = out
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


def runs(table: list[str | int]) -> Runs:
    """The code points a table changes, as runs (first code point, outputs); equal outputs share one str."""
    shared: dict[str, str] = {}
    out: Runs = []
    for cp, value in enumerate(table):
        if value == cp:
            continue
        value = shared.setdefault(value, value) if isinstance(value, str) else value
        if out and out[-1][0] + len(out[-1][1]) == cp:
            out[-1][1].append(value)
        else:
            out.append((cp, [value]))
    return out


def table_of(changed: Runs) -> list[str | int]:
    """The per-code-point list back from its runs (unchanged code points: the shared identity ints)."""
    table = from_runs(changed)
    table += IDENTITY[len(table) : 0x10000]
    return table


def _header(fold_sha256: str) -> dict[str, object]:
    return {"format": FORMAT, "unidata_version": unicodedata.unidata_version, "fold_sha256": fold_sha256}


def load(fold: dict[int, str] | Callable[[], dict[int, str]], fold_sha256: str,
         path: Path = TABLE_PATH) -> tuple[list[str | int], re.Pattern[str]]:
    """The stored table if it was built from this Unicode database and fold table, else a fresh build
    (`fold`: the fold table, or a function giving it: read only for a build)."""
    try:
        with path.open("rb") as fh:
            header, changed, joiners = pickle.load(fh)
        if header != _header(fold_sha256):
            raise ValueError("stale")
        table = table_of(changed)
        if len(table) != 0x10000:
            raise ValueError("damaged")
    except (OSError, ValueError, TypeError, EOFError, pickle.UnpicklingError):
        table, joiners = build(fold() if callable(fold) else fold)
    return table, regex_cache.compile(f"[{joiners}]")


def write(path: Path = TABLE_PATH) -> None:
    from filters.features import fold_table_digest, load_fold_table

    table, joiners = build(load_fold_table())
    path.write_bytes(pickle.dumps((_header(fold_table_digest()), runs(table), joiners), protocol=4))
    print(f"wrote {path} ({path.stat().st_size:,} bytes, Unicode {unicodedata.unidata_version})")


if __name__ == "__main__":
    write()
