"""Does a text name a group of people? The test behind fusion's group threshold (filters/fusion.py).

A calibration file may give a label a lower threshold for texts that name a group of people in one
language (calibration.json "group_thresholds": {"bullying_or_hate": {"en": 0.775}}; models/calibrate.py
chooses it on held-out rows). Which words name a group is not a list kept here: it is the hate rules'
own group cue sets (filters/data/combos/hate.json, `GROUP_CUE_SETS`), read once on first use. Chinese
cues match as substrings of the case-folded NFKC text, English ones as whole words.

A text is Chinese ("zh") when it holds a CJK character, else English ("en"), as the calibration rows'
languages are. If the cue file cannot be read, every text is taken to name a group: the lower
threshold then applies (fail closed: stricter, never looser).

A text that speaks against hate does not get the lower threshold (session 16): when it also holds one of the hate
rules' own counter-speech / prejudice-talk stand-down cues (hate.json `COUNTER_CUE_SETS`: "stop calling", "people who
say", "hurtful", "racist", "stereotype", ...), the label's own threshold applies, as for a text naming no group. The
model cannot tell quoted or condemned hate from hate (its features are the same words), and the rules' stand-downs
cannot veto the model; this keeps such texts at the label's threshold. A cue inside a disclaimer ("I'm not racist
but ...", hate.json `disclaimer_en`) is no counter-speech; one outside it still is. If the cue file cannot be read,
no text is taken to speak against hate (fail closed).
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
COUNTER_CUE_SETS: dict[str, tuple[str, ...]] = {
    "en": ("fair_en",),  # prejudice_talk_en + counter_speech_en: the English hate rules' stand-down cues
}
# a disclaimer before a claim ("I'm not racist but ...", "no offence but ...") is no counter-speech: the hate that
# follows keeps the group threshold although the disclaimer holds a prejudice-talk cue ("racist")
DISCLAIMER_CUE_SETS: dict[str, tuple[str, ...]] = {
    "en": ("disclaimer_en",),
}
LANGS = tuple(GROUP_CUE_SETS)
MIN_GROUP_THRESHOLD = 0.5  # never below: fusion's corroboration bar (0.5 x T) must stay the lower one
_CJK = regex_cache.compile("[\u3400-\u9fff\uf900-\ufaff]")  # (a CJK class: ~3 ms to compile)


def text_language(text: str) -> str:
    """"zh" when the text holds a CJK character, else "en"."""
    return "zh" if not text.isascii() and _CJK.search(text) else "en"


@lru_cache(maxsize=1)
def _matchers() -> dict[str, re.Pattern[str]] | None:
    """One pattern per language from the group cue sets; None when the file cannot be read (fail closed)."""
    return _patterns(GROUP_CUE_SETS)


@lru_cache(maxsize=1)
def _counter_matchers() -> dict[str, re.Pattern[str]] | None:
    """One pattern per language from the counter-speech cue sets; None when the file cannot be read."""
    return _patterns(COUNTER_CUE_SETS)


@lru_cache(maxsize=1)
def _disclaimer_matchers() -> dict[str, re.Pattern[str]] | None:
    """One pattern per language from the disclaimer cue sets; None when the file cannot be read."""
    return _patterns(DISCLAIMER_CUE_SETS)


def _patterns(sets_by_lang: Mapping[str, tuple[str, ...]]) -> dict[str, re.Pattern[str]] | None:
    """One pattern per language from the named cue sets of the hate rules; None when they cannot be read."""
    try:
        cue_sets = file_cue_sets(HATE_RULES)  # "@NAME" entries expanded (shared cue sets)
        out: dict[str, re.Pattern[str]] = {}
        for lang, names in sets_by_lang.items():
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


def speaks_against_hate(text: str, lang: str | None = None) -> bool:
    """True when `text` holds a counter-speech / prejudice-talk cue of the hate rules (in `lang`, by default its
    own); False when the cue file cannot be read (fail closed: the lower group threshold still applies)."""
    matchers, disclaimers = _counter_matchers(), _disclaimer_matchers()
    if matchers is None or disclaimers is None:
        return False
    lang = lang or text_language(text)
    pattern = matchers.get(lang)
    folded = _fold(text).replace("'", " ").replace("\u2019", " ")
    if pattern is None or pattern.search(folded) is None:
        return False
    disclaimer = disclaimers.get(lang)  # "I'm not racist, but ...": the claim after it is not spoken against
    if disclaimer is None:
        return True
    flat = " ".join(folded.replace(",", " ").split())
    # a cue inside a disclaimer is none ("racist" in "not racist but"); one outside it still is, as for the rules'
    # `unless` cues (filters/combo_window.py): "no offence but saying they are rats is racist"
    return pattern.search(disclaimer.sub(" ", flat)) is not None


def gets_group_threshold(text: str, lang: str | None = None) -> bool:
    """True when a group threshold applies to `text`: it names a group and does not speak against hate."""
    lang = lang or text_language(text)
    return names_group(text, lang) and not speaks_against_hate(text, lang)


def group_threshold(label: str, text: str, group_thresholds: Mapping[str, Mapping[str, float]]) -> float | None:
    """The label's group threshold for this text (before the age band), or None when none applies."""
    by_lang = group_thresholds.get(label)
    if not by_lang:
        return None
    lang = text_language(text)
    value = by_lang.get(lang)
    if value is None or not gets_group_threshold(text, lang):
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
