"""Pinyin helpers shared by the table builder and the normaliser: tone stripping, syllable parsing."""

from __future__ import annotations

import unicodedata

_TONE_MARKS = {"\u0300", "\u0301", "\u0304", "\u030c"}


def strip_tone(syllable: str) -> str:
    """'dǔ' -> 'du', 'lǜ' -> 'lv', 'nü3' -> 'nv'."""
    decomposed = unicodedata.normalize("NFD", syllable.strip().lower())
    out = []
    for ch in decomposed:
        if ch in _TONE_MARKS or ch.isdigit():
            continue
        if ch == "\u0308":  # diaeresis on u
            if out and out[-1] == "u":
                out[-1] = "v"
            continue
        out.append(ch)
    return "".join(out).replace("ü", "v")
