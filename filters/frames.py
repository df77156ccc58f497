"""Cautionary frames: a harmful word that its own clause warns against is not the harm.

School slogans and safety lessons name the harm in order to warn against it: 远离黄赌毒, 如何预防青少年自杀,
吸毒是违法的, 防止孩子沉迷赌博, "say no to drugs". A word-list hit is dropped when, inside its clause,
- a warning verb comes just before it (预防, 远离, 拒绝, 抵制, "say no to", "stay away from"), with at
  most a few characters between them and none of them a pronoun, a negation or a verb of doing the
  harm (防止孩子沉迷赌博 is a frame; 防止警察发现我吸毒, 拒绝不了赌博 and the question 要不要… are not), or
- a judgement comes just after it (的危害, 有什么危害, 是违法的, 是不对的, "is illegal").
Only the categories where naming the harm is how children are taught about it are framed (drugs,
gambling, self-harm, fraud, sexual, violence…); insults and slurs never are (拒绝傻逼 is still an
insult), nor a parent's own block words. Other evidence in the text, and the model, still count.
The cue words and limits are data (filters/data/frames/cautionary.json).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from filters import regex_cache

if TYPE_CHECKING:  # the matcher's hits; imported for annotations only
    from filters.match_hits import Hit

FRAMES_PATH = Path(__file__).resolve().parent / "data" / "frames" / "cautionary.json"
_CLAUSE_BREAK = regex_cache.compile(r"[，。！？；：、,.!?;:\n\r\t“”\"（）()【】\[\]|/]")
_EN_WORD = re.compile(r"[a-z']+")


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class Frames:
    """The framed categories and the compiled cue patterns of the data file."""

    categories: frozenset[str]
    zh_before: re.Pattern[str]
    zh_not_before: re.Pattern[str]
    zh_after: re.Pattern[str]
    en_before: re.Pattern[str]
    en_after: re.Pattern[str]

    @classmethod
    def load(cls, path: Path = FRAMES_PATH) -> Frames:
        """Read the data file; a missing or malformed file raises (the matcher cannot be built)."""
        d = json.loads(path.read_text(encoding="utf-8"))
        gap = f"[^{re.escape(d['zh_gap_forbidden'])}]{{0,{int(d['zh_gap_max'])}}}"
        forbidden = "|".join(re.escape(w) for w in d["en_gap_forbidden"])
        en_gap = rf"(?:(?!(?:{forbidden})\b)[a-z']+ ){{0,{int(d['en_gap_max_words'])}}}"
        return cls(
            categories=frozenset(d["categories"]),
            zh_before=regex_cache.compile(rf"(?:{_alternation(d['zh_before'])}){gap}$"),
            zh_not_before=regex_cache.compile(rf"(?:{_alternation(d['zh_not_before'])}){gap}$"),
            zh_after=regex_cache.compile(
                rf"^[{re.escape(d['zh_after_gap'])}]{{0,{int(d['zh_after_gap_max'])}}}(?:{_alternation(d['zh_after'])})"
            ),
            en_before=regex_cache.compile(rf"\b(?:{_alternation(d['en_before'])}) {en_gap}$"),
            en_after=regex_cache.compile(rf"^ (?:{_alternation(d['en_after'])})\b"),
        )

    def drop_cautioned(self, text: str, hits: list[Hit], fold: Callable[[str], str]) -> list[Hit]:
        """`hits` without those whose clause warns against them. `fold` folds a short piece of text
        the way the matcher does (traditional to simplified, full-width and case)."""
        if not any(self._frameable(h) for h in hits):
            return hits
        return [h for h in hits if not (self._frameable(h) and self.cautioned(text, h.span, fold))]

    def _frameable(self, hit: Hit) -> bool:
        return hit.entry.category in self.categories and hit.entry.pack != "policy"

    def cautioned(self, text: str, span: tuple[int, int], fold: Callable[[str], str]) -> bool:
        """True if the clause holding `span` warns against what is written at `span`."""
        a, b = span
        start = max((m.end() for m in _CLAUSE_BREAK.finditer(text, 0, a)), default=0)
        stop = _CLAUSE_BREAK.search(text, b)
        before = text[start:a]
        after = text[b : stop.start() if stop else len(text)]
        if before:
            zh_before = fold(before).replace(" ", "")
            if self.zh_before.search(zh_before) and not self.zh_not_before.search(zh_before):
                return True
            if self.en_before.search(" ".join(_EN_WORD.findall(before.lower())) + " "):
                return True
        if after:
            if self.zh_after.search(fold(after).replace(" ", "")):
                return True
            if self.en_after.search(" " + " ".join(_EN_WORD.findall(after.lower()))):
                return True
        return False


@lru_cache(maxsize=1)
def default_frames() -> Frames:
    """The shipped data, read once per process."""
    return Frames.load()
