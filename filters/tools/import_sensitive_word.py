"""Importer: houbb/sensitive-word's tagged dictionary (sensitive_word_tags.txt, Apache-2.0).

Each line is `TERM TAGS` with comma-separated tags: 0 politics (never imported: the committed copy
already lacks those lines, and any that reappear are dropped here), 1 drugs, 2 sexual, 3 gambling,
4 crime. A term tagged only 4 is placed by keyword (guns -> violence, fake documents / exam answers
-> fraud, poisons -> drugs); a crime-only term no such keyword places is placed by
keyword_rules.categorise_crime_only (trade adverts: 出售/供应/...qq + an item -> fraud, or violence for
chemicals; trafficking, fake-document and work-from-home scam phrases by meaning); the rest is left out.
"""

from __future__ import annotations

from filters.tools.keyword_rules import CHEMISTRY, TRADE, categorise, categorise_crime_only
from filters.tools.sources import Candidate, Source

TAG_CATEGORIES = {"1": "drugs", "2": "sexual", "3": "gambling"}
CRIME = frozenset({"violence", "fraud", "drugs", "sexual", "gambling"})
FILE = "sensitive_word_tags.txt"


def map_tags(term: str, tags: set[str]) -> tuple[str, int] | None:
    """kidsafe (category, severity) for a term and its upstream tags; None if it stays out."""
    if "0" in tags or not tags:
        return None
    allowed = frozenset(TAG_CATEGORIES[t] for t in tags if t in TAG_CATEGORIES)
    if "4" in tags:
        allowed = allowed | CRIME if not allowed else allowed
    by_keyword = categorise(term, allowed)
    if by_keyword is not None:
        return by_keyword
    for tag in ("2", "1", "3"):  # a tagged term no keyword explains keeps its first tag
        if tag in tags:
            bare_chemistry = tag == "1" and CHEMISTRY.search(term) and not TRADE.search(term)
            return TAG_CATEGORIES[tag], 1 if bare_chemistry else 2
    if tags == {"4"}:
        return categorise_crime_only(term)
    return None


def read(source: Source) -> tuple[list[Candidate], list[tuple[str, str]]]:
    """(candidates, [(term, why left out)])."""
    out: list[Candidate] = []
    skipped: list[tuple[str, str]] = []
    lines = source.file(FILE).read_text(encoding="utf-8").splitlines()
    for lineno, line in enumerate(lines, 1):
        term, _, tags = line.strip().rpartition(" ")
        if not term:
            continue
        tag_set = {t for t in tags.split(",") if t}
        mapped = map_tags(term, tag_set)
        if mapped is None:
            skipped.append((term, "politics" if "0" in tag_set else f"unmapped tags {tags}"))
            continue
        out.append(Candidate(term, mapped[0], mapped[1], source.id, f"{FILE}:{lineno}"))
    return out, skipped
