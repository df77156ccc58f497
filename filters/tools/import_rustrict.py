"""Importer: finnbear/rustrict's profanity.csv (MIT): English profanity, slurs and evasive spellings.

Each row rates a word 0-3 on five scales (a few slurs carry 5): profane, offensive (slurs and hate),
sexual, mean (insults, "kill yourself") and evasive (a spelling made to slip past filters; not a harm
of its own). A row is read when profane, offensive, sexual or mean is 2 ("moderate") or more; milder
rows (damn, bum, "are idiots", pregnant at 1) are left out, and so are symbol art (8==D) and Latin rows
of fewer than three letters (fk, f'd, h8), which fold to abbreviations of ordinary text (3-D, FK for a
foreign key, fd for a file descriptor).

Category: a threat of mass violence (shoot up a school) is violence; a row rated more sexual than
offensive, and no less sexual than mean, is sexual unless it holds a slur; everything else (slurs,
insults, "kill yourself") is bullying (gayass, rated 2 on both scales, is a slur). Severity is the
strongest harm scale, capped at 3. Rows in scripts kidsafe does not filter (Cyrillic look-alikes,
cuneiform, hieroglyphs) are left out; Chinese rows go through the same mapping and the build's politics
check. Disguised spellings (@, $, !) are dropped by the cleaner because the normaliser decodes them.
"""

from __future__ import annotations

import csv
import re

from filters.tools.import_ldnoobw import SLURS
from filters.tools.sources import Candidate, Source

FILE = "profanity.csv"
HARM_SCALES = ("profane", "offensive", "sexual", "mean")
LEAST = 2  # rustrict's "moderate"
VIOLENCE = re.compile(r"shoot|massacre|masacre|murder|bomb|stab|kill(?!\s*(?:ur|your|y?o?u?r?)\s*self)")
TO_SELF = re.compile(r"(?:ur|your|yo|my)\s*self|kys|suicide")
# Latin (with accents), digits, ASCII punctuation, Chinese: the scripts kidsafe's packs hold
READABLE = re.compile(r"^[\x20-\x7e\u00c0-\u024f\u3400-\u9fff]+$")
# symbol art (8==D, c==3, p()rn) folds to a short ordinary token (3d, cb, prn): 3-D arrays, file names
SYMBOL_ART = re.compile(r"[=<>()~\[\]{}^]")
CHINESE = re.compile(r"[\u3400-\u9fff]")
MIN_LETTERS = 3  # Latin rows only: fk, f'd, h8, ho: foreign keys, file descriptors, chess squares, ho ho ho


def map_row(term: str, scores: dict[str, int]) -> tuple[str, int] | str:
    """(category, severity) for one row, or why it is left out."""
    strongest = max(scores[s] for s in HARM_SCALES)
    if strongest < LEAST:
        return "mild (no harm scale at 2 or more)" if strongest else "evasive only"
    if not READABLE.match(term):
        return "a script kidsafe does not filter"
    if SYMBOL_ART.search(term):
        return "symbol art (folds to a short ordinary token)"
    if not CHINESE.search(term) and sum(ch.isalpha() for ch in term) < MIN_LETTERS:
        return "under three letters (an abbreviation with ordinary readings)"
    severity = min(strongest, 3)
    lowered = term.lower()
    if VIOLENCE.search(lowered) and not TO_SELF.search(lowered):
        return "violence", severity
    sexual = scores["sexual"]
    if sexual >= LEAST and sexual > scores["offensive"] and sexual >= scores["mean"] and not SLURS.search(lowered):
        return "sexual", severity
    return "bullying", severity


def read(source: Source) -> tuple[list[Candidate], list[tuple[str, str]]]:
    out: list[Candidate] = []
    skipped: list[tuple[str, str]] = []
    with source.file(FILE).open(encoding="utf-8", newline="") as fh:
        for lineno, row in enumerate(csv.DictReader(fh), 2):
            term = (row["word"] or "").strip()
            if not term:
                continue
            mapped = map_row(term, {s: int(row[s]) for s in HARM_SCALES})
            if isinstance(mapped, str):
                skipped.append((term, mapped))
                continue
            out.append(Candidate(term, mapped[0], mapped[1], source.id, f"{FILE}:{lineno}"))
    return out, skipped
