"""The C-level pre-check: does a text hold anything that could start personal data?

One regex whose every branch starts with a literal character (an ASCII or full-width digit, '@',
a Chinese numeral, the rarest character of a cue word), so CPython's engine scans for the set of
first characters in C; cue words are anchored on their rarest character (checked backwards with a
fixed-width look-behind), so common letters and spaces rarely stop the scan.  Other digit forms
(circled, superscript, other scripts …) are checked only in non-ASCII text, with one character
class for the Basic Multilingual Plane and one for the rest only when the text has such
characters: adding them to the main regex would make every scan several times slower.
"""

from __future__ import annotations

from filters import regex_cache
from filters.pii.patterns import ASTRAL, SEP_CHARS, SPELLED_ANCHORS, SPELLED_NEXT, alternation, anchored, char_class


class Trigger:
    """numerals: Chinese digit words; digit_chars: every non-ASCII character the digit view reads as a
    digit; words: cue words that can introduce PII written without a digit."""

    def __init__(self, numerals: str, addr_numerals: str, digit_chars: str, words: list[str],
                 common: dict[str, int]) -> None:
        singles = [chr(c) for c in range(48, 58)] + ["@", "＠"] + [chr(c) for c in range(0xFF10, 0xFF1A)]
        rests, _ = anchored(words, common)
        numcls = f"[0-9{numerals}]"
        for c in numerals:
            rests.setdefault(c, set()).add(f"(?:[{SEP_CHARS}]{{0,3}}{numcls}){{4}}")
        for c in addr_numerals:
            rests.setdefault(c, set()).add(f"[{addr_numerals}]{{0,3}}(?:号|栋|幢|单元|室|楼|號|棟|單元|樓)")
        for c in "一二三四五六七八九十":
            rests.setdefault(c, set()).add("[一二三四五六七八九十]?中")  # "杭州二中"
        for c, bodies in SPELLED_ANCHORS.items():
            rests.setdefault(c, set()).update(b + SPELLED_NEXT for b in bodies)
        self._main = regex_cache.compile(alternation(rests, singles))
        self._bmp_digits = char_class("".join(c for c in digit_chars if ord(c) <= 0xFFFF))
        self._astral_digits = char_class("".join(c for c in digit_chars if ord(c) > 0xFFFF))

    def __call__(self, text: str) -> bool:
        if self._main.search(text) is not None:
            return True
        if text.isascii():
            return False
        return self._bmp_digits.search(text) is not None or (
            ASTRAL.search(text) is not None and self._astral_digits.search(text) is not None)
