"""Match records of the matcher and the small helpers that compare them.

- `Hit`: a term found in a text (entry, span in the original text, the characters written, the view);
- `RawHit`: a match in fold-view coordinates before it is mapped back to the original;
- `covered`: does an allow-context occur around a match (大麻哈鱼 around 大麻);
- `dedupe_raw` / `dedupe_hits`: one record per term and span.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from filters.lexicon import Entry


@dataclass(frozen=True, slots=True)
class Hit:
    """A term found in a text: entry, span in the original text, the original characters, the view."""

    entry: Entry
    span: tuple[int, int]
    matched: str
    view: str


class RawHit(NamedTuple):
    """A match in fold-view coordinates, before mapping back to the original."""

    index: int
    start: int
    end: int
    view: str


def covered(fold: str, fs: int, fe: int, contexts: Iterable[str]) -> bool:
    """True if one of the (fold-view) contexts occurs in `fold` covering [fs, fe)."""
    for ctx in contexts:
        lo = max(0, fe - len(ctx))
        pos = fold.find(ctx, lo, fs + len(ctx))
        while pos != -1 and pos <= fs:
            if pos + len(ctx) >= fe:
                return True
            pos = fold.find(ctx, pos + 1, fs + len(ctx))
    return False


def dedupe_raw(hits: list[RawHit]) -> list[RawHit]:
    """One raw hit per (entry, span): the one found on the most literal view."""
    order = {"fold": 0, "split": 1, "pinyin": 2, "syllable": 3, "sound_alike": 4}
    best: dict[tuple[int, int, int], RawHit] = {}
    for h in hits:
        k = (h.index, h.start, h.end)
        if k not in best or order.get(h.view, 9) < order.get(best[k].view, 9):
            best[k] = h
    return sorted(best.values(), key=lambda h: (h.start, h.end, h.index))


def dedupe_hits(hits: list[Hit]) -> list[Hit]:
    """One hit per (pack, term, span), in text order."""
    seen: set[tuple[str, str, tuple[int, int]]] = set()
    out = []
    for h in sorted(hits, key=lambda h: (h.span, h.entry.term)):
        k = (h.entry.pack, h.entry.term, h.span)
        if k not in seen:
            seen.add(k)
            out.append(h)
    return out
