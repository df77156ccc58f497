"""Characters written as their parts (拆字), joined again where the join makes a listed term: 弓虽女干 is 强奸,
犭句 is 狗 in 舔犭句, 女马 is 妈 in 你女马.

Writing a character as its parts side by side is an old evasion of word filters; the fold view reads the parts
as two ordinary characters (女 and 干 in 女干部 are a woman cadre). So the parts are joined only where the join
makes one of the Chinese pack terms the table holds (filters/data/tables/chaizi.json, built by
filters/tools/chaizi.py from the 漢語拆字字典): 女干 alone, or in 女干部, stays as written; in 弓虽女干 it is 强奸.
filters/readings.py puts the joins into a text's second reading, which the word lists, the rules and the model
see; evidence found there at a join has the view `chaizi_read` and its span covers the parts as written.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from filters import regex_cache, table_cache
from filters.syllable_source import replace_spans

TABLE = Path(__file__).resolve().parent / "data" / "tables" / "chaizi.json"
_HAN = ("\u4e00", "\u9fff")


class Chaizi:
    """Finds part strings and keeps the joins that make a listed term."""

    def __init__(self, joins: dict[str, str], terms: frozenset[str], anchors: str | None = None) -> None:
        self.joins = joins
        self.terms = terms
        self.longest = max(map(len, terms), default=0)
        # a rare part every part string holds (犭, 忝, 虽): one bitmap-class search finds none on most lines
        if anchors is None:
            anchors = "".join(sorted({c for k in joins for c in k}))
        self._anchor = regex_cache.compile(f"[{re.escape(anchors)}]") if joins else None

    def replacements(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, character) of each part string of `text` whose join makes a listed term, in order."""
        if self._anchor is None or self._anchor.search(text) is None:
            return []
        found: set[tuple[int, int, str]] = set()
        joins = self.joins
        for m in self._anchor.finditer(text):
            i = m.start()
            for a in range(max(0, i - 2), i + 1):
                for n in (2, 3):
                    if i < a + n <= len(text):
                        char = joins.get(text[a:a + n])
                        if char is not None:
                            found.add((a, a + n, char))
        if not found:
            return []
        cands: list[tuple[int, int, str]] = []
        for a, b, char in sorted(found, key=lambda r: (r[0], -(r[1] - r[0]))):  # leftmost, longest, not overlapping
            if not cands or a >= cands[-1][1]:
                cands.append((a, b, char))
        joined, spans = replace_spans(text, cands)
        at = spans.replaced_starts() if spans is not None else []  # each join's position in `joined`
        keep: set[int] = set()
        for p in at:
            lo, hi = max(0, p - self.longest + 1), min(len(joined), p + self.longest)
            for i in range(lo, p + 1):
                for j in range(p + 1, min(hi, i + self.longest) + 1):
                    if joined[i:j] in self.terms:
                        keep.update(q for q, pq in enumerate(at) if i <= pq < j)
        return [c for q, c in enumerate(cands) if q in keep]


@lru_cache(maxsize=1)
def default_chaizi() -> Chaizi:
    """The shipped table's reader, validated: joins of 2-3 Chinese parts to one character, Chinese terms.
    Kept across processes (filters/table_cache.py, keyed on the table's and this module's bytes): reading
    and validating the table cost ~20 M instructions of every first verdict."""
    return table_cache.cached("chaizi", (TABLE, __file__), _read_table, Chaizi)


def _read_table() -> Chaizi:
    table = json.loads(TABLE.read_text(encoding="utf-8"))
    joins, terms, anchors = table["joins"], frozenset(table["terms"]), table["anchors"]
    if _valid_at_once(joins, anchors):
        return Chaizi(joins, terms, anchors)
    for parts, char in joins.items():  # the entry at fault, named
        if not 2 <= len(parts) <= 3 or len(char) != 1 or not all(_HAN[0] <= c <= _HAN[1] for c in parts + char):
            raise ValueError(f"{TABLE.name}: {parts!r} -> {char!r} is not 2-3 Chinese parts joined to one character")
        if not any(c in anchors for c in parts):
            raise ValueError(f"{TABLE.name}: {parts!r} holds no anchor: the reading would never look for it")
    return Chaizi(joins, terms, anchors)


_NOT_HAN = regex_cache.compile(f"[^{_HAN[0]}-{_HAN[1]}]")


def _valid_at_once(joins: dict, anchors: str) -> bool:
    """default_chaizi's checks of every join, made on all of them at once in C (the loop over ~2,000 joins
    cost ~3 ms of every start-up); False (the loop then names the entry at fault) on any doubt."""
    try:
        parts, chars = "".join(joins), "".join(joins.values())
    except TypeError:
        return False
    anchor_set = frozenset(anchors)
    return (set(map(len, joins)) <= {2, 3} and set(map(len, joins.values())) <= {1}
            and _NOT_HAN.search(parts) is None and _NOT_HAN.search(chars) is None
            and not any(map(anchor_set.isdisjoint, joins)))


def replacements(text: str) -> list[tuple[int, int, str]]:
    """default_chaizi().replacements(text); none for a text without Chinese."""
    if text.isascii():
        return []
    return default_chaizi().replacements(text)
