"""Emoji and symbols that stand for a Chinese character, read as that character (👩 女, 🀄 中, 🈶 有, ➕ 加).

Cloaked Chinese abuse and adverts write a character as an emoji that shows or names it (🀄国👨人, 你们这些👩的,
➕微信). The same emoji are also sprinkled between characters as noise (六⭐合🔥彩), which the fold view
drops, so the reading cannot replace the fold: filters/engine.py checks a text that holds one of them a
second time, read (`read_symbols`), and keeps the evidence of both readings; the model is shown both and
the less safe scores count. The table is data (filters/data/tables/emoji_readings.json); each symbol is
one code point read as one character, so a span of the read text is the same span of the text as written.

QQ's emoticon codes (`[em]e163[/em]`: what QQ Zone writes for an emoji) are read as blank, as the fold view
reads an emoji: written between characters they split a phrase (居[em]e163[/em]家 is 居家). They are blanked
by spaces of their own length, so spans still line up. Bracketed emoticon names (`[微笑]`, `[捂脸]`) are
left as written: the model reads them as part of the tone (blanking them moved COLD's model-only flags both
ways, benign rows included).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

READINGS = Path(__file__).resolve().parent / "data" / "tables" / "emoji_readings.json"
_CODES = re.compile(r"\[em\]e\d{1,8}\[/em\]")  # QQ's emoticon codes


@lru_cache(maxsize=1)
def _table() -> dict[int, str]:
    """Code point -> character, validated: one code point read as one CJK character."""
    table = json.loads(READINGS.read_text(encoding="utf-8"))["map"]
    out = {}
    for symbol, char in table.items():
        if len(symbol) != 1 or len(char) != 1 or not "\u3400" <= char <= "\u9fff":
            raise ValueError(f"{READINGS.name}: {symbol!r} -> {char!r} is not one symbol read as one character")
        out[ord(symbol)] = char
    return out


@lru_cache(maxsize=1)
def _symbols() -> frozenset[str]:
    """The table's symbols (a test of whether a text holds one, ~40% cheaper than translating it)."""
    return frozenset(map(chr, _table()))


def read_symbols(text: str) -> str:
    """`text` with each symbol of the table replaced by its character and each emoticon code blanked (the
    same length; `text` itself when it holds neither)."""
    if text.isascii():
        return text
    if not _symbols().isdisjoint(text):
        text = text.translate(_table())
    return _CODES.sub(_blank, text) if "[em]" in text else text


def _blank(m: re.Match[str]) -> str:
    return " " * (m.end() - m.start())
