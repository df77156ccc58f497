"""Regex building blocks shared by the recognisers: literal alternations, rare-character anchoring,
case variants of cue words, CJK classes, separators between digits, English digit words.

Every alternation built here starts each branch with a literal character, so CPython's engine can
scan for the set of first characters in C (the speed of the pre-check depends on it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from filters import regex_cache

CJK = regex_cache.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
ASCII_DIGIT = regex_cache.compile("[0-9]")
ASTRAL = regex_cache.compile("[\U00010000-\U0010ffff]")
LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
WORD = LETTERS | frozenset("0123456789_")

# Separators allowed between the digits of one number: spaces, dashes, dots, brackets, zero-width
# characters, symbols and emoji.
SEP_CHARS = (" \t\u00a0\u3000\u200b\u200c\u200d\u2060\ufeff\\-.·–—_/()（）~－．*#|"
             "\u2600-\u27bf\U0001f300-\U0001faff\ufe0f\u20e3")

DIGIT_WORDS = {"zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
               "six": "6", "seven": "7", "eight": "8", "nine": "9"}
DIGIT_WORD_ALT = "|".join(sorted(DIGIT_WORDS, key=len, reverse=True))
# English digit words anchored on a rare letter, followed by another digit word (spelled-out phones)
SPELLED_ANCHORS = {"v": ["(?<=fiv)e", "(?<=sev)en", "(?<=Fiv)e", "(?<=Sev)en"], "x": ["(?<=si)x", "(?<=Si)x"],
                   "z": ["(?<=z)ero", "(?<=Z)ero"], "w": ["(?<=tw)o", "(?<=Tw)o"], "f": ["(?<=f)our", "(?<=F)our"]}
SPELLED_NEXT = f"[ ,\\-]{{1,3}}(?i:{DIGIT_WORD_ALT})(?![A-Za-z])"

# Rough per-mille frequencies of letters in running English.
_EN_FREQ = dict(zip("etaoinshrdlcumwfgypbvkjxqz", (127, 91, 82, 75, 70, 67, 63, 61, 60, 43, 40, 28, 28, 24, 24,
                                                    22, 20, 20, 19, 15, 10, 8, 2, 2, 1, 1), strict=True))


def _longest_first(text: str) -> tuple[int, str]:
    return -len(text), text


def alt(words: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _char_score(c: str, common: dict[str, int]) -> int:
    """Higher for characters that occur more often in running text."""
    if c == " ":
        return 2000
    if c.isascii() and c.isalpha():
        f = _EN_FREQ.get(c.lower(), 1) * 10
        return f if c.islower() else f // 4
    return common.get(c, 0)


def case_variants(word: str) -> set[str]:
    """The spellings of a cue a user is likely to type: as written, lower, upper, title case."""
    if not word.isascii():
        return {word, word.lower(), word.upper()}
    out = {word, word.lower(), word.upper(), word.title(), word[:1].upper() + word[1:].lower()}
    if len(word) <= 3 and word.isalpha():  # "vx", "Vx", "vX", "VX"
        out = {""}
        for c in word.lower():
            out = {p + c for p in out} | {p + c.upper() for p in out}
    return out


def anchored(words: Iterable[str], common: dict[str, int]) -> tuple[dict[str, set[str]], dict[str, list[str]]]:
    """Anchor every word (and its case variants) on its rarest character.

    Returns the regex bodies by anchor character (look-behind for the head, then the literal rest),
    and, for each matched tail (anchor to end), the heads that may precede it, longest first.
    """
    rests: dict[str, set[str]] = {}
    heads: dict[str, set[str]] = {}
    score: dict[str, int] = {}  # each character's score, computed once (start-up builds the PII pre-check)
    for w in words:
        for v in sorted(case_variants(w)):  # sorted: the same pattern text in every process (regex cache key)
            if not v:
                continue
            scores = [score[c] if c in score else score.setdefault(c, _char_score(c, common)) for c in v]
            k = scores.index(min(scores))  # the rarest character, the first of equals
            behind = f"(?<={re.escape(v[:k + 1])})" if k else ""
            rests.setdefault(v[k], set()).add(behind + re.escape(v[k + 1:]))
            heads.setdefault(v[k:], set()).add(v[:k])
    return rests, {t: sorted(h, key=_longest_first) for t, h in heads.items()}


def alternation(rests: dict[str, set[str]], singles: Iterable[str] = ()) -> str:
    """Branches that each start with a literal: CPython then scans for their first characters in C."""
    alts = [re.escape(c) for c in dict.fromkeys(singles) if c not in rests]
    # each branch starts with its own literal, so their order does not change what matches; sorting
    # them (and equal-length bodies) makes the pattern text the same in every process: sets iterate in
    # a per-process hash order, and filters/regex_cache.py keys its stored programs by that text
    for c, rs in sorted(rests.items()):
        body = "|".join(sorted(rs, key=_longest_first))
        alts.append(f"{re.escape(c)}(?:{body})" if body else re.escape(c))
    return "|".join(alts)


def cjk_class_without(excluded: str) -> str:
    """A character class of CJK unified ideographs minus `excluded`, as ranges."""
    ex = sorted({ord(c) for c in excluded if "\u4e00" <= c <= "\u9fff"})
    ranges, lo = [], 0x4E00
    for cp in ex:
        if cp > lo:
            ranges.append((lo, cp - 1))
        lo = cp + 1
    if lo <= 0x9FFF:
        ranges.append((lo, 0x9FFF))
    body = "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in ranges)
    return f"[{body}]"


def char_class(chars: str) -> re.Pattern[str]:
    """A class of the given characters written as ranges."""
    runs: list[list[int]] = []
    for cp in sorted(set(map(ord, chars))):
        if runs and runs[-1][1] == cp - 1:
            runs[-1][1] = cp
        else:
            runs.append([cp, cp])
    body = "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in runs)
    return regex_cache.compile(f"[{body}]" if body else "(?!)")
