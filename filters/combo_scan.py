"""The string the co-occurrence rules scan (filters/combos.py), derived from a text's fold view.

Two steps on the fold view (filters/normalize.py), run only on texts that need them: each number
(a digit run such as 180-500 or 0906 123, a Chinese amount such as 五百, 三千五, 十万, 一两百, or a small sum of
money such as 五块, 两毛, 十五元, not 一块 "together") becomes "0"
(a QQ, phone or account number, 6-12 digits unbroken or a spaced phone number, becomes "0 0": a
cue's {n} matches inside it, a cue's {id} matches only it),
and a space goes wherever Latin letters or digits touch Chinese ("加vx888" -> "加 vx 0"). A rule's cue
"日赚{n}" or "call {n}" is then a plain key, and every Latin cue can be padded with spaces to match
whole words only. `scan_map` maps positions back to the fold view (built only for texts where a rule
may fire). `bytewise` is what the automaton reads: the UTF-8 bytes as a str of code points 0-255.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import Protocol

from filters import regex_cache

_CJK_NUM = "零〇一二两三四五六七八九十百千万几"
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# a digit run (180, 180 500, 1.5) or a Chinese amount that names a unit of ten or more (五百, 三千五, 十万),
# also a spoken range of two digits before the unit (一两百, 三四千, 七八万: "one or two hundred");
# also a small amount of money said with a unit (五块, 两毛, 十五元, 百元: the number only, the unit stays)
# but never 一 alone before it (一块 is "together", 一元 an algebra term, 一毛不拔 an idiom);
# or the point where Latin letters or digits meet Chinese
_MONEY_UNIT = "元块毛"
_SMALL_AMOUNT = f"(?:[二三四五六七八九]?十[一二三四五六七八九]?|[二两三四五六七八九百])(?=[{_MONEY_UNIT}])"
_NUMBER = f"[0-9]+(?:[ .][0-9]+)*|[一二两三四五六七八九几十]{{1,2}}[十百千万][{_CJK_NUM}]*|{_SMALL_AMOUNT}"
_SCAN_STEP = regex_cache.compile(f"{_NUMBER}|(?<=[{CJK}])(?=[a-z])|(?<=[a-z0-9])(?=[{CJK}])")
_ASCII_STEP = regex_cache.compile("[0-9]+(?:[ .][0-9]+)*")
_SCAN_HINT = regex_cache.compile(f"[0-9a-z十百千万{_MONEY_UNIT}]")  # a text without any of these needs no step
_DIGIT = regex_cache.compile("[0-9]")


def _step(fold: str) -> re.Pattern[str] | None:
    """The substitution a fold view needs (None: it has no number and no Latin run by Chinese)."""
    if fold.isascii():
        return _ASCII_STEP if _DIGIT.search(fold) else None
    return _SCAN_STEP if _SCAN_HINT.search(fold) else None  # one character class: fast


LONG_DIGITS = (6, 12)  # a QQ, phone or account number: 6-12 digits ...
SPACED_PHONE = 10  # ... in one unbroken run, or 10+ digits in spaced groups (138 1234 5678)
LONG = "0 0"  # what such a number becomes: "0" (any number, a cue's {n}) still matches inside it


def _number(run: str) -> str:
    """ "0" for a number; "0 0" for a QQ, phone or account number (6-12 digits, unbroken or a spaced
    phone number; not a range such as 180-500 or an amount such as 1234.56), so that a cue's {id}
    (filters/combo_rules.py) matches only those while {n} keeps matching every number."""
    if not run[0].isdigit():
        return "0"
    groups = run.replace(".", " ").split(" ")
    digits = sum(map(len, groups))
    if LONG_DIGITS[0] <= digits <= LONG_DIGITS[1] and (len(groups) == 1 or digits >= SPACED_PHONE
                                                       or max(map(len, groups)) >= LONG_DIGITS[0]):
        return LONG
    return "0"


def _ascii_replacement(m: re.Match[str]) -> str:
    return _number(m.group())


def _replacement(m: re.Match[str]) -> str:
    a, b = m.span()
    if a == b:
        return " "
    fold = m.string
    core = _number(m.group())
    lead = a > 0 and is_cjk(fold[a - 1])
    trail = b < len(fold) and is_cjk(fold[b]) and is_cjk(fold[b - 1])
    return f" {core} " if lead and trail else f" {core}" if lead else f"{core} " if trail else core


def scan_view(fold: str) -> str:
    """The string the automaton scans: the fold view with each number as "0" and a space wherever
    Latin letters or digits touch Chinese ("加vx888" -> "加 vx 0"), so every Latin cue can be a whole
    word by padding it with spaces (`scan_map` maps it back to the fold view)."""
    step = _step(fold)
    if step is None:
        return fold
    return step.sub(_ascii_replacement if step is _ASCII_STEP else _replacement, fold)


def scan_map(fold: str) -> ScanMap | None:
    """Positions of `scan_view(fold)` back to the fold view (None: the two are the same)."""
    step = _step(fold)
    if step is None:
        return None
    anchors: list[tuple[int, int, int, int]] = []
    prev = length = 0
    for m in step.finditer(fold):
        a, b = m.span()
        rep = _replacement(m)
        length += a - prev
        anchors.append((length, len(rep), a, b))
        length += len(rep)
        prev = b
    return ScanMap(anchors) if anchors else None


class ScanMap:
    """Positions of the scanned string back to the fold view (as filters/normalize.SourceMap).

    anchors: (scanned start, scanned length, fold start, fold end) of each replaced or inserted run.
    """

    __slots__ = ("_anchors", "_starts")

    def __init__(self, anchors: list[tuple[int, int, int, int]]) -> None:
        self._anchors = anchors
        self._starts = [x[0] for x in anchors]

    def span(self, a: int, b: int) -> tuple[int, int]:
        """Fold span of the scanned span [a, b)."""
        return self._pos(a, False), self._pos(b - 1, True)

    def _pos(self, p: int, end: bool) -> int:
        i = bisect.bisect_right(self._starts, p) - 1
        if i < 0:
            return p + end
        s0, n, f0, f1 = self._anchors[i]
        if p < s0 + n:
            return f1 if end else f0
        return f1 + (p - s0 - n) + end


def bytewise(text: str) -> str:
    """The UTF-8 bytes of a text as a str of code points 0-255 (what the automaton scans)."""
    return text.encode("utf-8").decode("latin-1")


_NOT_CONTINUATION = bytes(range(0x80)) + bytes(range(0xC0, 0x100))


def char_spans(scanned: str, found: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """(key, start, end) with byte positions of `bytewise(scanned)` turned into character positions of
    `scanned`. A position at a character boundary is its byte offset minus the UTF-8 continuation bytes
    before it, counted in C (bytes.translate deleting every other byte) over each stretch between two
    positions once: where listing every character start of a 200-character text cost ~40 us."""
    if scanned.isascii():
        return found
    data = scanned.encode("utf-8")
    chars: dict[int, int] = {}
    prev = continuation = 0
    for pos in sorted({p for _, a, b in found for p in (a, b)}):
        continuation += len(data[prev:pos].translate(None, _NOT_CONTINUATION))
        chars[pos] = pos - continuation
        prev = pos
    return [(ki, chars[a], chars[b]) for ki, a, b in found]


def is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


class _Keyed(Protocol):
    members: tuple[tuple[int, int], ...]  # the (rule, group) pairs an automaton key serves


class CueGroups:
    """Per automaton key, the rule groups its cue serves, arranged for the two per-text questions of
    filters/combos.py:
    - `candidates_of(keys)` (or `candidates(found)` of (key, start, end)): the rules with cues of enough
      groups anywhere in the text (before windows and vetoes). First a gate on one integer per key (`_mask`:
      bit gi * rules + ri for each (rule, group) pair it serves): the found keys' bits are OR-ed, and a
      text whose bits name no rule in two groups (most texts: every rule needs cues of two groups) ends
      there; only the others merge the pairs as sets;
    - `groups(ki, ri)`: the groups key `ki` serves in rule `ri`, with the negative indices of `unless` and
      disclaimer cues (filters/combo_window.py), which are no group of the rule.
    Each key's sets are made the first time a text holds it and then remembered: building them for all
    ~4,400 keys at load, or storing them in the compiled-rules cache, would cost every start-up ~15 ms."""

    __slots__ = ("_keys", "_min_groups", "_required", "_single", "_seen", "_pairs", "_masks", "_rule_bits")

    def __init__(self, keys: Sequence[_Keyed], min_groups: Sequence[int], required: Sequence[frozenset[int]]) -> None:
        self._keys = keys
        self._min_groups = tuple(min_groups)
        self._required = tuple(required)
        self._single = any(n <= 1 for n in self._min_groups)  # the rule files' parser requires >= 2
        self._seen: dict[int, tuple[frozenset[tuple[int, int]], dict[int, tuple[int, ...]]]] = {}
        self._pairs: list[frozenset[tuple[int, int]] | None] = [None] * len(keys)  # _of(ki)[0], by key index
        self._masks: list[int | None] = [None] * len(keys)  # _mask(ki), by key index
        self._rule_bits = len(self._min_groups)  # bits per group slice of a mask: one per rule

    def _of(self, ki: int) -> tuple[frozenset[tuple[int, int]], dict[int, tuple[int, ...]]]:
        got = self._seen.get(ki)
        if got is None:
            members = self._keys[ki].members
            by_rule: dict[int, tuple[int, ...]] = {}
            for ri, gi in members:
                by_rule[ri] = (*by_rule.get(ri, ()), gi)
            # negative groups are vetoes (`unless`, disclaimers, a group's `except`: filters/combo_window.py), never
            # evidence
            got = self._seen[ki] = (frozenset((ri, gi) for ri, gi in members if gi >= 0), by_rule)
            self._pairs[ki] = got[0]
        return got

    def candidates(self, found: Sequence[tuple[int, int, int]]) -> list[int]:
        """Indices of the rules whose groups (not `unless` or disclaimer cues) have cues among the found (key, _, _)."""
        return self.candidates_of([ki for ki, _, _ in found])

    def _mask(self, ki: int) -> int:
        """Key `ki`'s (rule, group) pairs (groups >= 0: not `unless` or disclaimer cues) as one integer, bit
        gi * rules + ri for each: group slices of one bit per rule (made on first use, remembered)."""
        n = self._rule_bits
        mask = 0
        for ri, gi in self._keys[ki].members:
            if gi >= 0:
                mask |= 1 << (gi * n + ri)
        self._masks[ki] = mask
        return mask

    def candidates_of(self, keys: Sequence[int]) -> list[int]:
        """Indices of the rules whose groups (not `unless` or disclaimer cues) have cues among the found keys."""
        if not self._single:  # every rule needs cues of two groups: a text with no rule in two groups has none
            masks = self._masks
            merged = 0
            for ki in keys:
                mask = masks[ki]
                merged |= self._mask(ki) if mask is None else mask
            return self._candidates_in(merged)
        known = self._pairs
        pairs = frozenset().union(*[p if (p := known[ki]) is not None else self._of(ki)[0] for ki in keys])
        groups: dict[int, set[int]] = {}
        for ri, gi in pairs:
            groups.setdefault(ri, set()).add(gi)
        return sorted(ri for ri, gs in groups.items()
                      if len(gs) >= self._min_groups[ri] and self._required[ri] <= gs)

    def _candidates_in(self, merged: int) -> list[int]:
        """candidates_of for rules that all need cues of two groups or more, from the OR of the found keys'
        masks: the rules in two group slices or more, then each one's groups against its minimum and its
        required groups."""
        n = self._rule_bits
        every = (1 << n) - 1
        slices = []
        seen = twice = 0
        while merged:  # one group slice at a time: a rule bit already seen in an earlier slice is in two groups
            group = merged & every
            slices.append(group)
            twice |= seen & group
            seen |= group
            merged >>= n
        out = []
        while twice:  # the rules in two groups or more, in rule order
            low = twice & -twice
            twice ^= low
            ri = low.bit_length() - 1
            groups = {gi for gi, group in enumerate(slices) if group & low}
            if len(groups) >= self._min_groups[ri] and self._required[ri] <= groups:
                out.append(ri)
        return out

    def rules_of(self, ki: int) -> dict[int, tuple[int, ...]]:
        """Rule index -> the groups of that rule key `ki` serves (UNLESS and DISCLAIMER included), as `groups`."""
        return self._of(ki)[1]

    def groups(self, ki: int, ri: int) -> tuple[int, ...]:
        """The groups of rule `ri` that key `ki` serves (UNLESS and DISCLAIMER included), in the rule file's order."""
        return self._of(ki)[1].get(ri, ())
