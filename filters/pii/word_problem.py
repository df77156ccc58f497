"""Maths word problems: is a number chain (一座六层, 28排24座) or a school + class (实验小学六1班) the
subject of a homework question rather than where a child lives or studies?

A text reads as a word problem when it has a question word (多少, 几, 求 …) AND arithmetic vocabulary
(每, 倍, 一共, units, fractions); the span is someone's own when a first-person or residence cue
(我, 俺, 咱, 住, 家) stands in the same clause shortly before it.  Only then do the address and school recognisers stand
down, and only for spans with no place name and no home cue (those stay PII).  Cues are data
(word_problem.json)."""

from __future__ import annotations

from typing import Any

from filters import regex_cache
from filters.pii.patterns import alt


class WordProblem:
    def __init__(self, wp: dict[str, Any]) -> None:
        self._question = regex_cache.compile(alt(wp["question"]))
        self._maths = regex_cache.compile("|".join([alt(wp["maths"])] + list(wp["maths_patterns"])))
        self._self = frozenset(wp["self"])
        self._window = int(wp["self_window"])
        self._breaks = frozenset(wp["clause_breaks"])

    def is_problem(self, dv: str) -> bool:
        """A question word and arithmetic vocabulary both present."""
        return self._question.search(dv) is not None and self._maths.search(dv) is not None

    def owned(self, dv: str, start: int) -> bool:
        """A first-person or residence cue in the same clause, at most `self_window` characters before `start`."""
        for i in range(start - 1, max(-1, start - 1 - self._window), -1):
            ch = dv[i]
            if ch in self._breaks:
                return False
            if ch in self._self:
                return True
        return False

    def homework(self, dv: str, start: int) -> bool:
        """The span at `start` is part of a word problem and not stated as the child's own."""
        return self.is_problem(dv) and not self.owned(dv, start)
