"""Emoji and symbols that stand for a Chinese character, read as that character (👩 女, 🀄 中, 🈶 有, ➕ 加).

Cloaked Chinese abuse and adverts write a character as an emoji that shows or names it (🀄国👨人, 你们这些👩的,
➕微信). The same emoji are also sprinkled between characters as noise (六⭐合🔥彩), which the fold view
drops, so the reading cannot replace the fold: filters/engine.py checks a text that holds one of them a
second time, read (`read_symbols`), and keeps the evidence of both readings; the model is shown both and
the less safe scores count. The table is data (filters/data/tables/emoji_readings.json); each symbol is
one code point read as one character, so a span of the read text is the same span of the text as written.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

READINGS = Path(__file__).resolve().parent / "data" / "tables" / "emoji_readings.json"


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
    """`text` with each symbol of the table replaced by its character (the same length; `text` itself
    when it holds none)."""
    return text if text.isascii() or _symbols().isdisjoint(text) else text.translate(_table())
