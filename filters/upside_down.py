"""Upside-down English (ʞɔnɟ, ɟlǝsɹnoʎ llᴉʞ): text turned 180 degrees, read back the right way up.

Flipped text uses turned letters (ɐ ɔ ǝ ɟ ɥ ʞ ɹ ʇ ʎ ...) and is written backwards, so "ʞɔnɟ" is "fuck".
`Flipper` finds each *run* of flipped text: a stretch of space-separated tokens made only of characters
that flipped text can contain (the table filters/data/tables/upside_down.json: turned letters, the letters
that look the same or swap when turned, b/q, d/p, n/u, digits, punctuation), holding at least one
character that only flipped text uses. It reverses the run and maps each character to the one it shows
turned upright. An ordinary word can never be part of a run: it has a letter (a, e, h, t, ...) that flipped
text writes as a turned letter. The matcher scans the read text and maps each match back to the
characters as written (filters/matcher.py).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import NamedTuple

from filters import regex_cache

TABLE = Path(__file__).resolve().parent / "data" / "tables" / "upside_down.json"


class Flipped(NamedTuple):
    """A text with every flipped run read upright (same length: a run is replaced in place) and the runs."""

    text: str
    runs: tuple[tuple[int, int], ...]

    def original_span(self, start: int, end: int) -> tuple[int, int] | None:
        """The span of the characters as written that a span of `text` inside a flipped run was read from;
        None outside the runs (text as written there, which the ordinary scan already read)."""
        for a, b in self.runs:
            if a <= start and end <= b:
                return a + b - end, a + b - start  # the run was reversed
        return None


class Flipper:
    """Reads upside-down runs of a text upright (the table loads once per process)."""

    def __init__(self, table: dict) -> None:
        self._map: dict[str, str] = table["map"]
        only = "".join(sorted(set(table["only"])))
        self._hint = regex_cache.compile(f"[{re.escape(only)}]")
        self._only = frozenset(only)
        token = "".join(sorted(c for c in self._map if c != " "))
        tok = f"[{re.escape(token)}]+"
        word = f"A-Za-z0-9\\u00c0-\\u02af{re.escape(token)}"  # a Latin letter beside a run: part of a word
        self._run = regex_cache.compile(f"(?<![{word}]){tok}(?: +{tok})*(?![{word}])")  # whole tokens only
        self._trans = str.maketrans(self._map)

    def may_have(self, text: str) -> bool:
        """Cheap test: does the text hold any character only flipped text uses?"""
        return self._hint.search(text) is not None

    def read(self, text: str) -> Flipped | None:
        """The text with its flipped runs read upright, or None when it has none."""
        if not self.may_have(text):
            return None
        parts: list[str] = []
        runs: list[tuple[int, int]] = []
        prev = 0
        for m in self._run.finditer(text):
            if self._only.isdisjoint(m.group()):
                continue  # ordinary letters that happen to be flippable (pod, suns): not flipped text
            parts.append(text[prev:m.start()])
            parts.append(m.group()[::-1].translate(self._trans))
            runs.append((m.start(), m.end()))
            prev = m.end()
        if not runs:
            return None
        parts.append(text[prev:])
        return Flipped("".join(parts), tuple(runs))


_flipper: Flipper | None = None


def default_flipper() -> Flipper:
    """The process-wide Flipper of the shipped table."""
    global _flipper
    if _flipper is None:
        _flipper = Flipper(json.loads(TABLE.read_text(encoding="utf-8")))
    return _flipper
