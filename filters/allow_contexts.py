"""Allow-contexts checked on the view a match was found in, not only on the fold view.

An entry's allow-contexts veto a match they cover (大麻哈鱼 for 大麻). The matcher finds matches on
several views, so each context is prepared for each of them:
- fold contexts: the context's fold view, compared with the fold view of the text (as before);
- spelt-pinyin contexts: a Chinese context spelt in toneless pinyin ("qu si liao" for 去私聊), added to
  the fold contexts, so a term matched through spelt-out pinyin is vetoed by the same context;
- syllable contexts: a Chinese context as default-reading syllables, compared with the syllables of
  the text, so a homophone match (去私 for 去死) is vetoed by a context written with the characters
  that are really meant (去私聊), and so is the same context written in pinyin mixed with characters;
  a context that sounds exactly like the term (肚肠 for 赌场) vetoes only as written, else it would
  veto every homophone disguise of the term;
- raw contexts: a context with markup punctuation (`:meth:`, `a/b`) that the fold view drops; it is
  compared with the text as written, case-insensitively, around the match (Sphinx's ":meth:" role
  is not the drug).

`given_name` vetoes joined two-syllable pinyin that is a person's name written in Latin (Zhijie Wang is
not 肢解): a capitalised word inside a sentence, or followed by another capitalised word.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from filters import regex_cache
from filters.lexicon import Entry
from filters.normalize import Normalizer, is_cjk

# punctuation the fold view drops but that makes a context unambiguous (markup, code, paths)
RAW_MARK = regex_cache.compile(r"[:`/<>_=()\[\]{}#\\|@]")


def is_raw(context: str) -> bool:
    """True if the context is compared with the text as written (it holds markup punctuation)."""
    return RAW_MARK.search(context) is not None


@dataclass(frozen=True, slots=True)
class Contexts:
    """Per entry index: fold-view contexts; and, for the few entries that have them, syllable and raw ones."""

    fold: list[tuple[str, ...]]
    syllable: dict[int, tuple[str, ...]]
    raw: dict[tuple[str, str], tuple[str, ...]]  # (pack, term) -> lower-case contexts as written


def build(entries: Sequence[Entry], norm: Normalizer, raw_default: Callable[[str], list[str]]) -> Contexts:
    """Prepare every entry's allow-contexts for the views (raw_default: a folded text's spelt pinyin)."""
    tables = norm.tables
    fold: list[tuple[str, ...]] = []
    syllable: dict[int, tuple[str, ...]] = {}
    raw: dict[tuple[str, str], tuple[str, ...]] = {}
    for index, entry in enumerate(entries):
        term = norm.fold_text(entry.term).strip(" ")
        term_sound = tables.encode_syllables(term) if term and all(is_cjk(c) for c in term) else None
        folded: list[str] = []
        syl: list[str] = []
        written: list[str] = []
        for ctx in entry.allow:
            if is_raw(ctx):
                written.append(ctx.lower())
                continue
            f = norm.fold_text(ctx).strip(" ")
            if not f:
                continue
            folded.append(f)
            if len(f) >= 2 and all(is_cjk(c) for c in f):
                sound = tables.encode_syllables(f)
                if sound == term_sound:
                    continue  # a word that sounds exactly like the term (肚肠 for 赌场) vetoes only as written
                syl.append(sound)
                spelt = raw_default(f)
                if spelt:
                    folded.extend((" ".join(spelt), "".join(spelt)))
        fold.append(tuple(dict.fromkeys(folded)))
        if syl:
            syllable[index] = tuple(syl)
        if written:
            raw[(entry.pack, entry.term)] = tuple(written)
    return Contexts(fold, syllable, raw)


def syllables_covered(code: str, start: int, end: int, contexts: Sequence[str]) -> bool:
    """True if a context's syllables occur in `code` (two symbols a character) covering [start, end)."""
    for ctx in contexts:
        n = len(ctx) // 2
        for pos in range(max(0, end - n), start + 1):
            if code.startswith(ctx, 2 * pos):
                return True
    return False


def raw_covered(text: str, start: int, end: int, contexts: Sequence[str]) -> bool:
    """True if a context occurs, case-insensitively, in the text as written covering [start, end)."""
    for ctx in contexts:
        lo = max(0, end - len(ctx))
        window = text[lo:start + len(ctx)].lower()
        pos = window.find(ctx)
        while pos != -1 and lo + pos <= start:
            if lo + pos + len(ctx) >= end:
                return True
            pos = window.find(ctx, pos + 1)
    return False


_GIVEN_NAME = regex_cache.compile("[A-Z][a-z]+")
_SENTENCE_START = regex_cache.compile(r"(?:^|[.!?。！？]\s*)$")


def given_name(text: str, span: tuple[int, int], term: str) -> bool:
    """True if a two-character term's joined pinyin is written as a name: a capitalised word that is not
    only a sentence's (auto-capitalised) first word, or is followed by another capitalised word (Zhijie
    Wang); "Seqing dianying" typed on a phone is no name."""
    a, b = span
    if len(term) != 2 or not _GIVEN_NAME.fullmatch(text, a, b) or text[b:b + 1].isalpha():
        return False
    if not _SENTENCE_START.search(text, 0, a):
        return True
    return text[b:b + 1] == " " and _GIVEN_NAME.match(text, b + 1) is not None
