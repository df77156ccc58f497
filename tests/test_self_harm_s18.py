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
    "i wouldn't want to die from a bee sting",
    "how many of your exes want you to die, be honest",
]
STILL_CARE = [
    "this homework makes me want to die",  # hyperbole: a child writing it gets the gentle answer
    "I want to die",
    "i dont want to die but i feel like i have no choice anymore",
    "I don't want to die, I just want the pain to stop",
    "please help me i don't want to die",
    "i don't want to die, i just wouldn't care if i did",
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


# Piece 2: statements of risk without 'suicide' (Columbia scale: wish to be dead, intent, plan, preparatory acts,
# interrupted or aborted attempts; 988 / NIMH / NHS warning signs: a note, a goodbye, a means at hand; PHQ-9 item 9),
# spellings the lexicon missed, and the same kinds in Chinese (北京心理危机研究与干预中心 / 希望24热线 wording).
RISK = [
    "i want to kill my self",
    "I'm going to take my own life",
    "all i want to do is die",
    "i just want out of life",
    "maybe i should be dead",
    "i keep wanting to die every night",
    "the only reason i haven't killed myself is my little sister",
    "i'm going to end it soon",
    "why shouldn't i just end it",
    "I tried to jump off my balcony last night",
    "is there an easy way to kill oneself",
    "hopefully i won't wake up tomorrow",
    "last night i held a loaded gun to my head",
    "i took a handful of sleeping pills with vodka",
    "i wrote my note today, it's not her fault",
    "goodbye world, this is it",
    "i have decided to end things, bye world, if there is a next life let me forget",
    "i almost killed myself on purpose last week",
    "ive written the note and put a rope over the beam",
    "there are cliffs near my house and i plan to throw myself off them",
    "要是明天醒不来就好了",
    "我只想解脱，活着太痛苦了",
    "死了就能解脱了吧",
    "这是最后一次见你们了",
    "我想去天上找奶奶，她在天堂等我",
    "我把安眠药一次性都吞了",
    "我觉得我就不该活着",
    "我已经想好怎么死了",
    "我想用刀割自己",
]
ORDINARY = [
    "I'm going to end it with my boyfriend tonight",
    "this level is so long, I just want to end it",
    "even with a gun to my head I couldn't name all the planets",
    "the robber put a gun to my head and took my phone",
    "is it safe to take my pills with a glass of wine?",
    "I wrote my notes for the biology test",
    "I started the trend and I'll end it too",
    "I'm going to end things with my girlfriend tomorrow",
    "i almost killed myself falling down the stairs",
    "考完试终于解脱了",
    "周末要是闹钟不响、早上醒不来就好了",
    "明天我们就搬家了，这是最后一次见你们了",
    "清明节我想去奶奶的墓前看看她",
    "这是最后一次见你们吗",
    "医生说安眠药一次只能吃一片",
]


@pytest.mark.parametrize("text", RISK)
def test_risk_without_the_word_gets_care(shipped_filter, text: str) -> None:  # noqa: ANN001
    v = shipped_filter.check(text)
    assert _care(v), [r.rule for r in v.reasons]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_talk_near_the_new_cues_passes(shipped_filter, text: str) -> None:  # noqa: ANN001
    v = shipped_filter.check(text)
    assert v.action == "allow", [r.rule for r in v.reasons]
