"""Session-18 self-harm work (issue 7): false care stood down, and statements of risk without 'suicide' caught.

False care (filters/data/packs/self_harm.json allow-contexts): a wish to be dead is about oneself (Columbia scale,
item 1), so a negated wish ("I don't want to die", "I'll never kill myself"), an idiom ("the hill I want to die on"),
a wish said of other people ("some people just want to die") and 'die' written for 'dye' are no wish to be dead.
Fail towards care: hyperbole ("this homework makes me want to die") keeps the care answer, and so does a negated
wish said with a warning sign in the same breath (combos/self_harm.json `ambivalent_not_to_die_en`).
Own phrasings, no row of any data set.
"""

from __future__ import annotations

import pytest

NOT_A_WISH_TO_DIE = [
    "I don't want to die, the dentist is scary",
    "i dont want to die young",
    "My grandpa didn't want to die in hospital",
    "this is the hill I want to die on",
    "are you sure you want to die on that hill?",
    "some people just want to die i guess, look at them skating on thin ice",
    "I want to die my hair purple for the summer",
    "I'll never kill myself, my family means everything to me",
    "i would never kill myself over a test",
    "don't wanna die in the zombie game, run!",
]
STILL_CARE = [
    "this homework makes me want to die",  # hyperbole: a child writing it gets the gentle answer
    "I want to die",
    "i dont want to die but i feel like i have no choice anymore",
    "I don't want to die, I just want the pain to stop",
    "please help me i don't want to die",
    "i can't kill myself, i'm too scared, but i want to",  # 'can't' is the wish with no way: not stood down
    "I wouldn't kill myself until after the concert",  # a conditional plan: not stood down
]


def _care(verdict) -> bool:  # noqa: ANN001
    return verdict.action == "block" and "self_harm" in verdict.categories


@pytest.mark.parametrize("text", NOT_A_WISH_TO_DIE)
def test_no_care_when_not_a_wish_to_die(shipped_filter, text: str) -> None:  # noqa: ANN001
    v = shipped_filter.check(text)
    assert not _care(v), [r.rule for r in v.reasons]


@pytest.mark.parametrize("text", STILL_CARE)
def test_care_kept_for_wishes_hyperbole_and_ambivalence(shipped_filter, text: str) -> None:  # noqa: ANN001
    v = shipped_filter.check(text)
    assert _care(v), [r.rule for r in v.reasons]


def test_ambivalence_is_caught_by_its_rule(shipped_filter) -> None:  # noqa: ANN001
    v = shipped_filter.check("i don't want to die but i can't take living like this")
    assert "combo:self_harm:ambivalent_not_to_die_en" in [r.rule for r in v.reasons]
