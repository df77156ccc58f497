"""Session-10 English self-harm phrasings (filters/data/combos/self_harm.json): dwelling on how easy a
method would be (method_ease_en), a knife or blade held against one's wrist or a relapse 'deeper than
ever' (self_injury_en's new cues), 'what's the point, I'll be gone soon' (no_reason_to_live_en's new
cues). Statements written for this test (never posts from a data set); the near misses are a child's
kitchen, games, a grandparent's illness and trips, and stay quiet. Session 12: a goodbye note ('by the time
you read this I'll be gone'), belongings given away 'where I'm going', 'tell my mom it's not her fault',
looking up how many pills it takes, letters to everyone; trips, charity, burnt cakes and class letters stay
quiet."""

from __future__ import annotations

from combo_phrasing_checks import NO_PROBLEMS, phrasing_problems

from filters.engine import TextFilter

FIRES = [
    ("self_harm:method_ease_en", "I keep thinking about how easy it would be to just step in front of a train."),
    ("self_harm:method_ease_en", "i think it would be so easy to take all the pills and never wake up"),
    ("self_harm:self_injury_en", "Sometimes I hold the knife against my wrist just to feel something."),
    ("self_harm:self_injury_en", "I've relapsed and cut deeper than ever last night."),
    ("self_harm:no_reason_to_live_en", "Honestly what's the point. I'll be gone soon anyway."),
    # session 12: goodbye notes, giving things away, a method looked up (goodbye_arrangements_en,
    # method_search_en, goodbye_letters_en: new cues)
    ("self_harm:goodbye_arrangements_en", "By the time you read this I'll be gone."),
    ("self_harm:goodbye_arrangements_en", "I'm giving away all my games, I won't need it where I'm going"),
    ("self_harm:goodbye_arrangements_en", "Tell my mom I'm sorry and that it's not her fault"),
    ("self_harm:method_search_en", "I looked up how many pills it takes"),
    ("self_harm:goodbye_letters_en", "I wrote letters to everyone I love, they will find them in my drawer"),
]

QUIET = [
    "I hold the knife against my wrist when I cut onions, mum says be careful",
    "we relapsed into giggles and I cut deeper into the cake",
    "My grandpa relapsed last night and went back to hospital",
    "I keep thinking about how easy it would be to build a lego train",
    "It would be so easy to just cut the bread with the knife",
    "I'll be gone soon for summer camp, what's the point of unpacking",
    "the holidays will be gone soon anyway, what's the point of buying a calendar",
    "By the time you read this I'll be gone on my school trip, see you Friday!",
    "I'm giving away all my old toys to charity because I'm too big for them",
    "Tell my mom the cake burned but it's not her fault, the oven is broken",
    "I wrote letters to everyone in my class for the end of the school year",
]


def test_self_harm_fires_and_blocks_while_near_misses_stay_quiet(shipped_filter: TextFilter) -> None:
    assert phrasing_problems(shipped_filter, FIRES, QUIET) == NO_PROBLEMS
