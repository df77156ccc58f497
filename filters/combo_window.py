"""When a co-occurrence rule fires (filters/combos.py): its cues found in a text, a sliding window, vetoes.

`fire_window` takes a rule's cue occurrences as (start, end, group index, key index) sorted by start, with
`UNLESS` as the group of a veto cue and `DISCLAIMER` as that of a disclaimer (a veto cue inside one does not
count: "not racist but" holds the counter-speech cue "racist"), and returns the first stretch of at most
`rule.window` characters that holds cues of at least `min_groups` groups (every required one among them) and has
no veto within a window of it. Overlapping cues stand for one group only unless each has text of its own (`_apart`).
"""

from __future__ import annotations

from collections import Counter
from itertools import combinations

from filters.combo_rules import ComboRule

UNLESS = -1  # group index of an `unless` cue
DISCLAIMER = -2  # group index of a cue of the rule file's "disclaimers" (filters/combo_rules.py)
EXCEPT = -3  # a group's `except` cues: group index EXCEPT - gi (-3 for group 0, -4 for group 1, ...)


def except_index(gi: int) -> int:
    """The event group index of group `gi`'s `except` cues."""
    return EXCEPT - gi


def drop_excepted(events: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """The events without `except` cues and without the group cues lying entirely inside an `except` cue of
    their own group (郭楠 inside 郭楠说: a person, not the coded group); other groups' cues and `unless`
    cues are untouched, so an `except` phrase stands down one cue, never the rule."""
    inside: dict[int, list[tuple[int, int]]] = {}
    for a, b, gi, _ in events:
        if gi <= EXCEPT:
            inside.setdefault(EXCEPT - gi, []).append((a, b))
    if not inside:
        return events
    return [e for e in events if e[2] > EXCEPT
            and not any(xa <= e[0] and e[1] <= xb for xa, xb in inside.get(e[2], ()))]


def fire_window(rule: ComboRule, required: frozenset[int], events: list[tuple[int, int, int, int]]
                ) -> tuple[int, int, list[tuple[int, int]]] | None:
    """The first stretch of at most `window` characters with cues of enough groups and no veto near it.

    Overlapping cues of different groups are one piece of evidence unless each has at least as much text
    of its own as they share (`_apart`): 支付 inside 你爸的支付宝, or 银行卡 + 银行卡号 in 爸妈的银行卡号, count
    for one group only, while "should be" + "be deported" are two.
    """
    vetoes = [(a, b) for a, b, gi, _ in events if gi == UNLESS]
    disclaimers = [(a, b) for a, b, gi, _ in events if gi == DISCLAIMER]
    if disclaimers and vetoes:  # "I'm not racist but ...": the veto inside the disclaimer is no counter-speech
        vetoes = [(a, b) for a, b in vetoes if not any(da <= a and b <= db for da, db in disclaimers)]
    cues = [(a, b, gi) for a, b, gi, _ in events if gi >= 0]
    tangled = _tangled(cues)
    counts: Counter[int] = Counter()
    left = 0
    for right, (_, b_r, g_r) in enumerate(cues):
        counts[g_r] += 1
        while left < right and b_r - cues[left][0] > rule.window:  # a cue longer than the window stays
            counts[cues[left][2]] -= 1
            left += 1
        present = {g for g, c in counts.items() if c > 0}
        if len(present) < rule.min_groups or not required <= present:
            continue
        if tangled and not _assignable(cues[left:right + 1], rule.min_groups, required):
            continue
        a = cues[left][0]
        end = right + 1  # the stretch goes on over the rule's later cues within the window
        while end < len(cues) and cues[end][1] - a <= rule.window:
            end += 1
        stretch = cues[left:end]
        b = max(e[1] for e in stretch)
        if any(va < b + rule.window and a - rule.window < vb for va, vb in vetoes):
            continue
        return a, b, [(e[0], e[1]) for e in stretch]
    return None


def _apart(x: tuple[int, int, int], y: tuple[int, int, int]) -> bool:
    """Two cue occurrences that may stand for two groups: disjoint, or each with at least as much text of
    its own as the part they share."""
    shared = min(x[1], y[1]) - max(x[0], y[0])
    return shared <= 0 or min(x[1] - x[0], y[1] - y[0]) - shared >= shared


def _tangled(cues: list[tuple[int, int, int]]) -> bool:
    """Whether any two cues of different groups are not `_apart` (cues are sorted by start)."""
    for i, x in enumerate(cues):
        for y in cues[i + 1:]:
            if y[0] >= x[1]:
                break
            if y[2] != x[2] and not _apart(x, y):
                return True
    return False


def _assignable(cues: list[tuple[int, int, int]], min_groups: int, required: frozenset[int]) -> bool:
    """Whether cues pairwise `_apart` stand for at least `min_groups` distinct groups, every required one
    among them (a tiny backtracking search: at most 4 groups)."""
    optional = sorted({g for _, _, g in cues} - required)
    for extra in combinations(optional, max(0, min_groups - len(required))):
        if _pick([*sorted(required), *extra], cues, []):
            return True
    return False


def _pick(groups: list[int], cues: list[tuple[int, int, int]], chosen: list[tuple[int, int, int]]) -> bool:
    if not groups:
        return True
    for cue in cues:
        if cue[2] == groups[0] and all(_apart(cue, c) for c in chosen):
            chosen.append(cue)
            if _pick(groups[1:], cues, chosen):
                return True
            chosen.pop()
    return False
