"""Importer: words/cuss (MIT), English profane words with a "sureness" rating 0-2.

Only sureness 2 ("surely profane") is read. Terms naming sexual acts or anatomy are sexual and slurs
are bullying (import_ldnoobw's keyword lists, severity 2); any other sure term (mostly ethnic slurs such
as "zipperhead", and insults) is bullying severity 1. A term that is itself one of wordfreq's most
frequent English words (dumb, welfare, slave, yank) is ordinary vocabulary and left out unless the
keyword lists place it.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from filters.tools.import_ldnoobw import categorise_en
from filters.tools.sources import Candidate, Source

FILE = "index.js"
ROW = re.compile(r"^\s+'?([^':]+?)'?: ([012]),?$", re.M)
SURE = "2"


def common_english(n: int = 30_000) -> frozenset[str]:
    try:
        from wordfreq import top_n_list
    except ImportError:  # without wordfreq every unplaced term is left out (fail towards fewer terms)
        return frozenset({"*"})
    return frozenset(top_n_list("en", n))


def map_row(term: str, common: Collection[str]) -> tuple[str, int] | str:
    """(category, severity) for a sure term, or why it is left out."""
    placed = categorise_en(term)
    if placed is not None:
        return placed
    if "*" in common or term in common:
        return "ordinary English word"
    return "bullying", 1


def read(source: Source) -> tuple[list[Candidate], list[tuple[str, str]]]:
    out: list[Candidate] = []
    skipped: list[tuple[str, str]] = []
    common = common_english()
    text = source.file(FILE).read_text(encoding="utf-8")
    for match in ROW.finditer(text):
        term, sureness = match.group(1).strip().lower(), match.group(2)
        lineno = text.count("\n", 0, match.start()) + 1
        if sureness != SURE:
            skipped.append((term, f"sureness {sureness}"))
            continue
        mapped = map_row(term, common)
        if isinstance(mapped, str):
            skipped.append((term, mapped))
            continue
        out.append(Candidate(term, mapped[0], mapped[1], source.id, f"{FILE}:{lineno}"))
    return out, skipped
