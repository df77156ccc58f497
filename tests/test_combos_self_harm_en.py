"""Session-10 English self-harm phrasings (filters/data/combos/self_harm.json): dwelling on how easy a
method would be (method_ease_en), a knife or blade held against one's wrist or a relapse 'deeper than
ever' (self_injury_en's new cues), 'what's the point, I'll be gone soon' (no_reason_to_live_en's new
cues). Statements written for this test (never posts from a data set); the near misses are a child's
kitchen, games, a grandparent's illness and trips, and stay quiet."""

from __future__ import annotations

from combo_phrasing_checks import NO_PROBLEMS, phrasing_problems

from filters.engine import TextFilter

FIRES = [
    ("self_harm:method_ease_en", "I keep thinking about how easy it would be to just step in front of a train."),
    ("self_harm:method_ease_en", "i think it would be so easy to take all the pills and never wake up"),
    ("self_harm:self_injury_en", "Sometimes I hold the knife against my wrist just to feel something."),
    ("self_harm:self_injury_en", "I've relapsed and cut deeper than ever last night."),
    ("self_harm:no_reason_to_live_en", "Honestly what's the point. I'll be gone soon anyway."),
]

QUIET = [
    "I hold the knife against my wrist when I cut onions, mum says be careful",
    "we relapsed into giggles and I cut deeper into the cake",
    "My grandpa relapsed last night and went back to hospital",
    "I keep thinking about how easy it would be to build a lego train",
    "It would be so easy to just cut the bread with the knife",
    "I'll be gone soon for summer camp, what's the point of unpacking",
    "the holidays will be gone soon anyway, what's the point of buying a calendar",
]


def test_self_harm_fires_and_blocks_while_near_misses_stay_quiet(shipped_filter: TextFilter) -> None:
    assert phrasing_problems(shipped_filter, FIRES, QUIET) == NO_PROBLEMS
