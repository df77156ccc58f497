"""The digit view: one code point for one code point, every way of writing a digit becomes ASCII.

Covered: ASCII and full-width digits, the decimal digits of every script, mathematical digits, and
the digit forms people use to slip a number past a filter — circled ①, negative-circled ❶ ⓿,
double-circled ⓵, dingbat ➀ ➊, parenthesised ⑴, with full stop ⒈ or comma 🄂, superscript ⁹ and
subscript ₈ — plus full-width ASCII letters and '@'.  Offsets stay those of the original text, so
spans found on the view index the original.  Chinese digit words (一, 幺, 肆 …, data file
numerals.json) are kept as they are and read by the digit-run recogniser.

Finding the ~770 digit characters walks every code point below U+20000 (~15 ms of each start-up), so
they are stored in filters/data/pii/digit_chars.json (`make tables` rewrites it) with
the Unicode database version they come from; under another version they are found afresh.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from array import array
from functools import lru_cache
from pathlib import Path

from filters.pii.data import DATA_DIR
from filters.pii.patterns import ASTRAL, char_class

DIGITS_PATH = DATA_DIR / "digit_chars.json"


@lru_cache(maxsize=1)
def _digit_table() -> dict[int, int]:
    """Every non-ASCII code point with a single-digit value (Unicode Numeric_Type Decimal or Digit):
    the stored list when it was made under this Python's Unicode database, else found afresh."""
    return _stored_digits(DIGITS_PATH) or _find_digits()


def _stored_digits(path: Path) -> dict[int, int] | None:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc["unidata_version"] != unicodedata.unidata_version:
            return None
        chars, values = doc["chars"], doc["values"]
        if not (isinstance(chars, str) and isinstance(values, str) and len(chars) == len(values)
                and values.isdigit() and values.isascii()):
            return None
        return {ord(c): ord(v) for c, v in zip(chars, values, strict=True)}
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_digits(path: Path = DIGITS_PATH) -> int:
    """Store the digit characters (build time, `make tables`); returns how many."""
    table = _find_digits()
    doc = {"unidata_version": unicodedata.unidata_version, "source": "Python's unicodedata (str.isdigit, "
           "unicodedata.digit); written by `make tables`",
           "chars": "".join(map(chr, table)), "values": "".join(map(chr, table.values()))}
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return len(table)


def _find_digits() -> dict[int, int]:
    """Every non-ASCII code point with a single-digit value, from the Unicode database.

    All of them sit below U+20000 (the last is U+1FBF9, a segmented digit).
    """
    # str.isdigit is true exactly where unicodedata.digit has a value (both read the same Unicode
    # Numeric_Type property); the C-level filter over one string is ~30x faster than a Python loop
    codes = array("I", range(0x80, 0x20000)).tobytes()  # one string of every code point, built in C
    everything = codes.decode("utf-32-le" if sys.byteorder == "little" else "utf-32-be", "surrogatepass")
    return {ord(c): 48 + unicodedata.digit(c) for c in filter(str.isdigit, everything)}


def _view_table() -> dict[int, int]:
    table = dict(_digit_table())
    for cp in range(0xFF01, 0xFF5F):  # full-width ASCII
        table[cp] = cp - 0xFEE0
    table[0x3000] = 0x20
    table[0x00A0] = 0x20
    return table


class DigitView:
    """Builds the view of a text; `digit_chars` lists every non-ASCII character read as a digit."""

    def __init__(self) -> None:
        self.table = _view_table()  # a fresh dict: str.translate tables are not shared mutable state
        self.digit_chars = "".join(sorted(chr(c) for c in _digit_table()))
        # translate only texts that hold a character the view changes and the patterns care about
        # (digits of any script, full-width letters, digits and '@'); CJK punctuation alone does not count
        wanted = "".join(chr(c) for c in sorted(self.table)
                         if not (0xFF01 <= c <= 0xFF0F or 0xFF1A <= c <= 0xFF1F or 0xFF3B <= c <= 0xFF40
                                 or 0xFF5B <= c <= 0xFFFF) and c not in (0x3000, 0xA0))
        self._needs_view = char_class("".join(c for c in wanted if ord(c) <= 0xFFFF))
        self._needs_view_astral = char_class("".join(c for c in wanted if ord(c) > 0xFFFF))

    def __call__(self, text: str) -> str:
        if text.isascii():
            return text
        if self._needs_view.search(text) is not None or (
                ASTRAL.search(text) is not None and self._needs_view_astral.search(text) is not None):
            return text.translate(self.table)
        return text
