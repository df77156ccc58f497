"""Session-9 co-occurrence rules for threats of violence and intimidation in English
(filters/data/combos/bullying.json: threat_to_hurt_en, intimidation_en). Each rule fires on threats
written for this test (never rows of a data set); children's ordinary sentences with the same verbs
(games, chores, balloons, sport, a promise not to hurt) stay quiet."""

from __future__ import annotations

from combo_phrasing_checks import NO_PROBLEMS, phrasing_problems

from filters.engine import TextFilter

FIRES = [
    ("bullying:threat_to_hurt_en", "if you tell the teacher i'll break your arm"),
    ("bullying:threat_to_hurt_en", "keep talking and i'm going to put you in the hospital"),
    ("bullying:threat_to_hurt_en", "give me the money or else i'll hurt your little brother"),
    ("bullying:threat_to_hurt_en", "someone should put a bullet in that teacher"),
    ("bullying:threat_to_hurt_en", "we're gonna drown him in the river after class"),
    ("bullying:threat_to_hurt_en", "i will burn down your house while you sleep"),
    ("bullying:intimidation_en", "i know where you live and you'll be sorry"),
    ("bullying:intimidation_en", "you're dead meat, i'll make you bleed"),
]

QUIET = [
    "i'm going to kill this level tonight",
    "i'll beat you at chess tomorrow",
    "i'm gonna blow up the balloons for the party",
    "i would never hurt you, i promise",
    "we should hang the picture on the wall",
    "she cut her hair and i want to cut mine too",
    "you'll hurt your knee if you jump off the swing",
    "dad will cut the grass on saturday",
    "let's shoot some hoops after school",
    "the wolf said he will kill him when the farmer sleeps",
    "watch your back when you carry the tray, it is heavy",
]


def test_threats_fire_and_block_while_near_misses_stay_quiet(shipped_filter: TextFilter) -> None:
    assert phrasing_problems(shipped_filter, FIRES, QUIET) == NO_PROBLEMS
