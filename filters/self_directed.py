"""Self-directed or aimed at others? The category of a model-only violence_or_self_harm verdict (filters/fusion.py).

The classifier has one label for violence and self-harm. When it blocks a text alone (no word-list term of either
category matched), this module reads the text for evidence and names the category, which decides what the child
gets back: self_harm -> the care answer with help lines and a "may need support" notice to the parent
(device/care.py), violence -> the generic wall. It never decides whether a text blocks.

    category_for(text, others_hit) -> "self_harm" | "violence"

The cues are data (filters/data/self_directed/cues.json, with provenance: Columbia scale, 988, NHS, WHO warning
signs), per language, matched on the NFKC case-folded text (Chinese as substrings, English as whole words):
- self: a self-directed statement (我不想活了, 离开这个世界, 很多药, 没人在乎我, kill myself, a burden, the pills);
- others: a person and a kill/beat/stab verb near each other (杀了你, 你们都去死, 弄死他, beat him, i'll kill you),
  or a violent-content word (杀人, 枪击, 血腥, 尸, murder, massacre, gore); a word-list hit of a category aimed at
  others (cues.json "others_categories": bullying, weapons; the caller says whether the text has one) counts too,
  so a disguised threat the word lists caught as bullying (放学别走等着挨打, 我乂朩了你全家) stays violence.
The rule: a self cue -> self_harm (mixed evidence too); else an others cue -> violence; else (no evidence)
self_harm. Mixed or absent evidence goes to care because the two mistakes differ in cost: care for a
violent-sounding text costs the parent a false "may need support" notice; the wall for a child who meant to hurt
themself costs a missed chance to give help lines to a child at risk. If the cue file cannot be read, every such
text is self_harm (the same reasoning; the block itself never depends on this module).
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from filters import regex_cache

CUES_PATH = Path(__file__).resolve().parent / "data" / "self_directed" / "cues.json"
SELF_HARM = "self_harm"
VIOLENCE = "violence"
_CJK = regex_cache.compile("[\u3400-\u9fff\uf900-\ufaff]")
_CLAUSE_GAP = r"[^\n。！？!?；;]"  # a person and a verb count together only within one clause


def category_for(text: str, others_hit: bool = False) -> str:
    """"self_harm" or "violence" for a text the model alone blocked as violence_or_self_harm (see the docstring).
    others_hit: the text has a word-list hit of one of `others_categories()`."""
    patterns = _patterns()
    if patterns is None:
        return SELF_HARM  # cue file unreadable: care (fail towards the child at risk)
    folded = unicodedata.normalize("NFKC", text).casefold()
    langs = ("zh", "en") if not folded.isascii() and _CJK.search(folded) else ("en",)
    if any(patterns[lang][0].search(folded) for lang in langs):
        return SELF_HARM
    if others_hit or any(patterns[lang][1].search(folded) for lang in langs):
        return VIOLENCE
    return SELF_HARM


@lru_cache(maxsize=1)
def _cues() -> dict | None:
    """cues.json, read once for both readers below; None when it cannot be read or is not an object."""
    try:
        data = json.loads(CUES_PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


@lru_cache(maxsize=1)
def others_categories() -> frozenset[str]:
    """Word-list categories whose hits count as evidence a text is aimed at others (cues.json); none if unreadable
    (then only the text's own cues decide, and the default is care)."""
    try:
        return frozenset(str(c) for c in (_cues() or {})["others_categories"])
    except (KeyError, TypeError):
        return frozenset()


@lru_cache(maxsize=1)
def _patterns() -> dict[str, tuple[re.Pattern[str], re.Pattern[str]]] | None:
    """Per language (self pattern, others pattern); None when the file cannot be read or is malformed."""
    data = _cues()
    if data is None:
        return None
    try:
        return {"zh": _language(data["zh"], word=False), "en": _language(data["en"], word=True)}
    except (ValueError, KeyError, TypeError, re.error):
        return None


def _language(cues: dict[str, object], word: bool) -> tuple[re.Pattern[str], re.Pattern[str]]:
    def alt(key: str) -> str:
        terms = sorted({unicodedata.normalize("NFKC", str(t)).casefold() for t in cues[key]}, key=len, reverse=True)
        if not terms:
            raise ValueError(f"empty cue list {key}")
        body = "|".join(re.escape(t) for t in terms)
        return rf"\b(?:{body})\b" if word else f"(?:{body})"

    before, after = int(cues["person_before_act_window"]), int(cues["act_before_person_window"])
    if word:  # windows count words in English, characters in Chinese
        gap_before, gap_after = rf"(?:\W+\w+){{0,{before}}}\W+", rf"(?:\W+\w+){{0,{after}}}\W+"
    else:
        gap_before, gap_after = f"{_CLAUSE_GAP}{{0,{before}}}", f"{_CLAUSE_GAP}{{0,{after}}}"
    persons, acts = alt("persons"), alt("acts")
    others = f"{persons}{gap_before}{acts}|{acts}{gap_after}{persons}|{alt('violent_content')}"
    return re.compile(alt("self")), re.compile(others)
