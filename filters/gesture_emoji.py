"""Gesture emoji that are an insult by themselves (🖕), and a few emoji whose Chinese name is a word they stand for
(🔞 十八禁, ✈ 飞机), read as those words.

The fold view drops emoji (they are mostly decoration or noise), so "🖕" or "你🖕" read as nothing. A text
holding such a gesture is checked a second time with it read as its words (filters/readings.py; the table is
filters/data/tables/gesture_emoji.json): the word lists, the rules and the model see "fuck you" there, and the
evidence's span covers the emoji as written (view `emoji_read`). A skin-tone modifier or the emoji variation
selector after it is part of it. Session 15: an entry may be read as Chinese words, for emoji whose Chinese name
is more than one character and is what they stand for in a text (✈ 飞机: 打✈ is 打飞机, and gambling adverts
write ✈ for Telegram, "飞机"); one-character readings stay in filters/emoji_readings.py.
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
        chinese = all("\u4e00" <= c <= "\u9fff" for c in words)
        if len(gesture) != 1 or gesture.isascii() or not (words.isascii() or chinese) or not words.strip():
            raise ValueError(f"{TABLE.name}: {gesture!r} -> {words!r} is not one emoji read as words")
    padded = {g: w if not w.isascii() else f" {w} " for g, w in table.items()}
    return padded, regex_cache.compile(f"[{''.join(table)}][{_SKIN}]*")


def replacements(text: str) -> list[tuple[int, int, str]]:
    """(start, end, words) of each listed emoji in `text`, in order; English words are set apart by spaces."""
    if text.isascii():
        return []
    table, gesture = _table()
    if not any(g in text for g in table):
        return []
    return [(m.start(), m.end(), table[m.group()[0]]) for m in gesture.finditer(text)]
