"""Does a text name a group of people? The test behind fusion's group threshold (filters/fusion.py).

A calibration file may give a label a lower threshold for texts that name a group of people in one
language (calibration.json "group_thresholds": {"bullying_or_hate": {"en": 0.775}}; models/calibrate.py
chooses it on held-out rows). Which words name a group is not a list kept here: it is the hate rules'
own group cue sets (filters/data/combos/hate.json, `GROUP_CUE_SETS`), read once on first use. Chinese
cues match as substrings of the case-folded NFKC text, English ones as whole words.

A text is Chinese ("zh") when it holds a CJK character, else English ("en"), as the calibration rows'
languages are. If the cue file cannot be read, every text is taken to name a group: the lower
threshold then applies (fail closed: stricter, never looser).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from filters import regex_cache
from filters.combo_rules import file_cue_sets

HATE_RULES = Path(__file__).resolve().parent / "data" / "combos" / "hate.json"
GROUP_CUE_SETS: dict[str, tuple[str, ...]] = {
    "zh": ("group_zh",),
    "en": ("group_en", "group_people_en", "group_adjective_en"),
}
LANGS = tuple(GROUP_CUE_SETS)
MIN_GROUP_THRESHOLD = 0.5  # never below: fusion's corroboration bar (0.5 x T) must stay the lower one
_CJK = regex_cache.compile("[\u3400-\u9fff\uf900-\ufaff]")  # (a CJK class: ~3 ms to compile)


def text_language(text: str) -> str:
    """"zh" when the text holds a CJK character, else "en"."""
    return "zh" if not text.isascii() and _CJK.search(text) else "en"


@lru_cache(maxsize=1)
def _matchers() -> dict[str, re.Pattern[str]] | None:
    """One pattern per language from the cue sets; None when the file cannot be read (fail closed)."""
    try:
        cue_sets = file_cue_sets(HATE_RULES)  # "@NAME" entries expanded (shared cue sets)
        out: dict[str, re.Pattern[str]] = {}
        for lang, names in GROUP_CUE_SETS.items():
            # longest first, equal lengths in a fixed order: the same pattern text in every process (the
            # regex cache's key; a set iterates in a per-process order)
            cues = sorted({_fold(c) for name in names for c in cue_sets[name] if c.strip()}, key=lambda c: (-len(c), c))
            alternation = "|".join(map(re.escape, cues))
            out[lang] = regex_cache.compile(alternation if lang == "zh" else rf"(?<!\w)(?:{alternation})(?!\w)")
        return out
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def names_group(text: str, lang: str | None = None) -> bool:
    """True when `text` names a group of people of the hate rules' cue sets (in `lang`, by default its own)."""
    matchers = _matchers()
    if matchers is None:
        return True
    pattern = matchers.get(lang or text_language(text))
    return pattern is not None and pattern.search(_fold(text)) is not None


def group_threshold(label: str, text: str, group_thresholds: Mapping[str, Mapping[str, float]]) -> float | None:
    """The label's group threshold for this text (before the age band), or None when none applies."""
    by_lang = group_thresholds.get(label)
    if not by_lang:
        return None
    lang = text_language(text)
    value = by_lang.get(lang)
    if value is None or not names_group(text, lang):
        return None
    return value


def parse_group_thresholds(doc: object, labels: tuple[str, ...]) -> dict[str, dict[str, float]]:
    """calibration.json's "group_thresholds" ({} when absent); ValueError when malformed: an object
    {harmful label: {"zh"|"en": number in [MIN_GROUP_THRESHOLD, 1]}}."""
    if not isinstance(doc, dict) or "group_thresholds" not in doc:
        return {}
    raw = doc["group_thresholds"]
    if not isinstance(raw, dict):
        raise ValueError("'group_thresholds' must be an object {label: {language: probability}}")
    out: dict[str, dict[str, float]] = {}
    for label, by_lang in raw.items():
        if label not in labels or label == "safe":
            raise ValueError(f"'group_thresholds': {label!r} is not a harmful label of the model")
        if not isinstance(by_lang, dict):
            raise ValueError(f"'group_thresholds' of {label!r} must be an object {{language: probability}}")
        out[label] = {}
        for lang, value in by_lang.items():
            if lang not in LANGS:
                raise ValueError(f"'group_thresholds' of {label!r}: language must be one of {LANGS}, got {lang!r}")
            if (isinstance(value, bool) or not isinstance(value, int | float)
                    or not MIN_GROUP_THRESHOLD <= float(value) <= 1.0):
                raise ValueError(f"'group_thresholds' of {label!r}/{lang}: must be a number in "
                                 f"[{MIN_GROUP_THRESHOLD:g}, 1]")
            out[label][lang] = float(value)
    return out
