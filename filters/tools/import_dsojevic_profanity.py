"""Importer: dsojevic/profanity-list (en.json, MIT): English terms with tags and severity 1-4.

Each record's `match` lists spellings separated by `|`. Tags: sexual and shock -> sexual; lgbtq,
racial, religious and general (insults) -> bullying. Severity 1-2 -> 1, 3 -> 2, 4 -> 3.
"""

from __future__ import annotations

import json

from filters.tools.sources import Candidate, Source

FILE = "en.json"
TAGS = (("sexual", "sexual"), ("shock", "sexual"), ("racial", "bullying"), ("lgbtq", "bullying"),
        ("religious", "bullying"), ("general", "bullying"))
SEVERITY = {1: 1, 2: 1, 3: 2, 4: 3}


def read(source: Source) -> tuple[list[Candidate], list[tuple[str, str]]]:
    out: list[Candidate] = []
    skipped: list[tuple[str, str]] = []
    for record in json.loads(source.file(FILE).read_text(encoding="utf-8")):
        tags = set(record.get("tags", []))
        category = next((cat for tag, cat in TAGS if tag in tags), None)
        sev = SEVERITY.get(record.get("severity"))
        for spelling in str(record.get("match", "")).split("|"):
            if category is None or sev is None:
                skipped.append((spelling, f"tags {sorted(tags)} severity {record.get('severity')}"))
                continue
            out.append(Candidate(spelling, category, sev, source.id, f"{FILE}#{record.get('id')}"))
    return out, skipped
