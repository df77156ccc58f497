"""Importer: surge-ai/profanity (profanity_en.csv, MIT): English profanity with categories and severity.

category_1 "sexual anatomy / sexual acts" -> sexual; slurs and insults (racial, orientation/gender,
religious, disability, general, bodily fluids, animal) -> bullying (sexual fluids -> sexual); "political" stays out. The
severity_rating (1 to 3, fractional) maps to 1 (< 1.5), 2 (< 2.5) or 3. Disguised spellings
(@ssfcker, sh1t) are left to the normaliser, which decodes leetspeak.
"""

from __future__ import annotations

import csv

from filters.tools.import_ldnoobw import SEXUAL
from filters.tools.sources import Candidate, Source

FILE = "profanity_en.csv"
CATEGORIES = {
    "sexual anatomy / sexual acts": "sexual",
    "racial / ethnic slurs": "bullying",
    "sexual orientation / gender": "bullying",
    "bodily fluids / excrement": "bullying",
    "other / general insult": "bullying",
    "religious offense": "bullying",
    "mental disability": "bullying",
    "physical disability": "bullying",
    "physical attributes": "bullying",
    "animal references": "bullying",
}


def severity(rating: str) -> int:
    value = float(rating)
    return 1 if value < 1.5 else 2 if value < 2.5 else 3


def read(source: Source) -> tuple[list[Candidate], list[tuple[str, str]]]:
    out: list[Candidate] = []
    skipped: list[tuple[str, str]] = []
    with source.file(FILE).open(encoding="utf-8", newline="") as fh:
        for lineno, row in enumerate(csv.DictReader(fh), 2):
            term, cat = row["text"], row["category_1"]
            category = CATEGORIES.get(cat)
            if cat == "bodily fluids / excrement" and SEXUAL.search(term.lower()):
                category = "sexual"  # jizz, cum, spunk: sexual, not a plain insult
            if category is None:
                skipped.append((term, f"category {cat!r}"))
                continue
            out.append(Candidate(term, category, severity(row["severity_rating"]), source.id, f"{FILE}:{lineno}"))
    return out, skipped
