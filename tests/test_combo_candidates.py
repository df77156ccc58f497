"""filters/combo_scan.CueGroups.candidates_of: the rules a text's found cue keys may fire, from one integer
mask per key (group slices of one bit per rule), equal to merging the keys' (rule, group) pairs as sets and
checking each rule's groups against its minimum and its required groups -- on the shipped rules, for every
rule's own cue keys drawn together and for random draws over all keys."""

from __future__ import annotations

import random

import pytest

from filters.combo_cache import load_matcher
from filters.combo_scan import CueGroups
from filters.combos import COMBOS_DIR
from filters.normalize import Normalizer


def _by_pairs(groups: CueGroups, keys: list[int], min_groups: list[int], required: list[frozenset[int]]) -> list[int]:
    """The reference: every found key's (rule, group) pairs (groups >= 0) merged, then per rule."""
    present: dict[int, set[int]] = {}
    for ki in keys:
        for ri, gi in groups._keys[ki].members:
            if gi >= 0:
                present.setdefault(ri, set()).add(gi)
    return sorted(ri for ri, gs in present.items() if len(gs) >= min_groups[ri] and required[ri] <= gs)


@pytest.fixture(scope="module")
def shipped() -> tuple[CueGroups, list[int], list[frozenset[int]]]:
    combos = load_matcher(COMBOS_DIR, normalizer=Normalizer())
    min_groups = [r.min_groups for r in combos.rules]
    assert min(min_groups) >= 2  # the mask path: every shipped rule needs cues of two groups
    return combos._groups, min_groups, combos._required


def test_candidates_equal_the_merged_pairs(shipped: tuple[CueGroups, list[int], list[frozenset[int]]]) -> None:
    groups, min_groups, required = shipped
    keys = groups._keys
    rng = random.Random(18)
    by_rule: dict[int, list[int]] = {}
    for ki, key in enumerate(keys):
        for ri, _ in key.members:
            by_rule.setdefault(ri, []).append(ki)
    draws = [rng.sample(own, min(len(own), rng.randint(1, 5))) for own in by_rule.values() for _ in range(8)]
    draws += [[rng.randrange(len(keys)) for _ in range(rng.randint(0, 12))] for _ in range(3000)]
    draws += [[], [0, 0, 0]]
    fired = 0
    for draw in draws:
        want = _by_pairs(groups, draw, min_groups, required)
        assert groups.candidates_of(draw) == want, draw
        fired += bool(want)
    assert fired > 500  # the rules' own cues drawn together make candidates: both answers are exercised
