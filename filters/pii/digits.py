"""The digit view: one code point for one code point, every way of writing a digit becomes ASCII.

Covered: ASCII and full-width digits, the decimal digits of every script, mathematical digits, and
the digit forms people use to slip a number past a filter — circled ①, negative-circled ❶ ⓿,
double-circled ⓵, dingbat ➀ ➊, parenthesised ⑴, with full stop ⒈ or comma 🄂, superscript ⁹ and
subscript ₈ — plus full-width ASCII letters and '@'.  Offsets stay those of the original text, so
spans found on the view index the original.  Chinese digit words (一, 幺, 肆 …, data file
numerals.json) are kept as they are and read by the digit-run recogniser.
"""

from __future__ import annotations

import sys
import unicodedata
from array import array
from functools import lru_cache

from filters.pii.patterns import ASTRAL, char_class


@lru_cache(maxsize=1)
def _digit_table() -> dict[int, int]:
    """Every non-ASCII code point with a single-digit value (Unicode Numeric_Type Decimal or Digit).

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
