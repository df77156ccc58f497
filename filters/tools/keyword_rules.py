"""Keyword rules that place an uncategorised (or only loosely tagged) imported term in a category.

Used for sensitive-word's tag 4 ("crime": guns, fake documents, exam answers, poisons ...) and for
LDNOOBW's lists, which carry no categories. The first rule that matches wins; a term no rule places is
left out of the packs (and listed in the review file as unmapped).

The words themselves are data: filters/data/sources/keyword_rules.json holds every table below as the
alternatives of a regular expression (joined with "|"), read once when this build-time module loads.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

RULES_FILE = Path(__file__).resolve().parents[1] / "data" / "sources" / "keyword_rules.json"
_DATA: dict[str, Any] = json.loads(RULES_FILE.read_text(encoding="utf-8"))


def _pattern(name: str) -> re.Pattern[str]:
    return re.compile("|".join(_DATA[name]))


def _table(name: str) -> tuple[tuple[str, int, re.Pattern[str]], ...]:
    return tuple((row["category"], int(row["severity"]), re.compile("|".join(row["any_of"])))
                 for row in _DATA[name])


# (category, severity, pattern); order matters: exam "枪手" is fraud, not a gun.
RULES = _table("rules")
# Bare chemistry (precursors, reagents) with no sale or making word: mild, since a school text can
# name them. A name with 出售/制作/配方/... stays at the rule's severity.
CHEMISTRY = _pattern("chemistry")
TRADE = _pattern("trade")


def categorise(term: str, allowed: frozenset[str] | None = None) -> tuple[str, int] | None:
    """(category, severity) of the first rule matching `term` among `allowed` categories, or None."""
    for category, severity, pattern in RULES:
        if allowed is not None and category not in allowed:
            continue
        if pattern.search(term):
            if category == "drugs" and CHEMISTRY.search(term) and not TRADE.search(term):
                return category, 1
            return category, severity
    return None


# Politics never enters a pack (kidsafe does not filter politics), even where an upstream list tags a
# political line as porn or crime: any imported term naming leaders, offices or political events is
# left out.
POLITICS = _pattern("politics")


def is_political(term: str) -> bool:
    return bool(POLITICS.search(term))


# Crime-tagged terms (sensitive-word tag 4) that no rule above places. Most are trade adverts: a trade
# verb or a contact (qq, 电话) with a gun slang, chemical, fake document, personal data or smuggled good
# ("出售虎头双管", "供应羰基镍qq", "股民电话资源qq"). Upstream tagged them crime, and the verb makes the
# listing an offer to sell; an offer of a chemical is a poison/hazard offer (violence), any other offer
# is an illicit-trade advert (fraud). A few crime-only phrases without a trade verb are placed by meaning.
ILLICIT_TRADE = _pattern("illicit_trade")
CRIME_PHRASES = _table("crime_phrases")
COMMON_REMAINDER = frozenset(_DATA["common_remainder"])


def categorise_crime_only(term: str) -> tuple[str, int] | None:
    """(category, severity) for a term tagged only crime upstream that `categorise` left unplaced."""
    for category, severity, pattern in CRIME_PHRASES:
        if pattern.search(term):
            return category, severity
    if ILLICIT_TRADE.search(term):
        remainder = ILLICIT_TRADE.sub("", term).strip()
        if remainder in COMMON_REMAINDER or len(remainder) < 2:
            return None  # "销售热线", "卖车": the verb is all there is
        if CHEMISTRY.search(remainder):
            return "violence", 2
        return "fraud", 2
    return None


# Untagged lists (Sensitive-lexicon's mixed files) mix politics, URLs and ordinary words with harm, so
# only a term carrying an unambiguous harm morpheme is taken, placed by that morpheme; the rest stays out.
STRICT = _table("strict")
URL_LIKE = _pattern("url_like")


def categorise_strict(term: str) -> tuple[str, int] | None:
    """(category, severity) of an untagged term with an unambiguous harm morpheme, else None."""
    if URL_LIKE.search(term):
        return None
    for category, severity, pattern in STRICT:
        if pattern.search(term):
            return category, severity
    return None
