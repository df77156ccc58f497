"""Gesture emoji that are an insult by themselves (🖕), read as the words they stand for.

The fold view drops emoji (they are mostly decoration or noise), so "🖕" or "你🖕" read as nothing. A text
holding such a gesture is checked a second time with it read as its words (filters/readings.py; the table is
filters/data/tables/gesture_emoji.json): the word lists, the rules and the model see "fuck you" there, and the
evidence's span covers the emoji as written (view `emoji_read`). A skin-tone modifier after it is part of it.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from filters import regex_cache

TABLE = Path(__file__).resolve().parent / "data" / "tables" / "gesture_emoji.json"
_SKIN = "\U0001f3fb-\U0001f3ff\ufe0f"  # skin tones and the emoji variation selector


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, str], re.Pattern[str]]:
    """Gesture -> words (validated: one code point, ASCII words), and the pattern of a gesture as written."""
    table = json.loads(TABLE.read_text(encoding="utf-8"))["map"]
    for gesture, words in table.items():
        if len(gesture) != 1 or gesture.isascii() or not words.isascii() or not words.strip():
            raise ValueError(f"{TABLE.name}: {gesture!r} -> {words!r} is not one emoji read as words")
    return table, regex_cache.compile(f"[{''.join(table)}][{_SKIN}]*")


def replacements(text: str) -> list[tuple[int, int, str]]:
    """(start, end, words) of each insulting gesture in `text`, in order; the words are set apart by spaces."""
    if text.isascii():
        return []
    table, gesture = _table()
    if not any(g in text for g in table):
        return []
    return [(m.start(), m.end(), f" {table[m.group()[0]]} ") for m in gesture.finditer(text)]
