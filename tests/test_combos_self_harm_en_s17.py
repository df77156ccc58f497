"""English self-harm statements without 'suicide' (filters/data/combos/self_harm.json, session 17), written from
the kinds of the Columbia suicide severity scale (actual, interrupted and aborted attempts; a plan with a time),
PHQ-9 item 9 and the 988 Lifeline / NIMH warning signs (no reason to live, feeling trapped, saying goodbye) and
the NHS / Mind descriptions of self-injury other than cutting. Own phrasings, no row of any data set; each near
miss is ordinary talk a child has (medicine taken as told, an escape room, a stove, a hypothetical).

Also the English pack fixes of the session: `meth` as a Python method name, Socrates' 'the unexamined life is not
worth living'.
"""

from __future__ import annotations

import pytest

HARM = [
    ("overdose_taken_en", "I took a whole bottle of sleeping pills"),
    ("overdose_taken_en", "i just swallowed too many painkillers"),
    ("attempt_made_en", "I tried to overdose last night but woke up"),
    ("attempt_made_en", "i nearly hanged myself last week"),
    ("life_not_worth_living_en", "life isn't worth living anymore"),
    ("life_not_worth_living_en", "I have nothing left to live for"),
    ("trapped_only_way_out_en", "I can't see any way out except dying"),
    ("trapped_only_way_out_en", "I feel trapped and the only way out is death"),
    ("self_injury_purpose_en", "I burn myself with a lighter when I'm sad"),
    ("self_injury_purpose_en", "I've been starving myself on purpose to punish myself"),
    ("self_injury_purpose_en", "I scratch myself until it bleeds when I feel anxious"),
    ("last_day_alive_en", "tonight is my last night alive"),
    ("last_day_alive_en", "this is my last day on earth, goodbye everyone"),
    ("burden_to_others_en", "I'm a burden to everyone"),  # "I'm a" folds to "ima": now a first-person cue
]
NEAR_MISSES = [
    "I took too many vitamins by accident, is that bad?",
    "I took all my medicine like the doctor said",
    "I tried to stop my friend from trying to overdose",
    "I almost overdosed on coffee before the exam lol",
    "Life without music would not be worth living",
    "The only way out of the escape room is to solve the puzzle",
    "For the prisoners the only way out was death",
    "I burned myself on the stove again",
    "I hit myself on the door by accident",
    "If today were my last day on earth I would eat pizza",
    "The unexamined life is not worth living, said Socrates",
    "I'm a big fan of the new Roblox game",
]
CODE = [
    "class Proto(Protocol):\n    def meth(self) -> int: ...",
    "return x.meth() + 1",
]


@pytest.mark.parametrize(("rule", "text"), HARM)
def test_self_harm_without_the_word_is_caught(shipped_filter, rule: str, text: str) -> None:  # noqa: ANN001
    v = shipped_filter.check(text)
    assert v.action == "block" and f"combo:self_harm:{rule}" in [r.rule for r in v.reasons], [r.rule for r in v.reasons]


@pytest.mark.parametrize("text", NEAR_MISSES + CODE)
def test_ordinary_talk_passes(shipped_filter, text: str) -> None:  # noqa: ANN001
    v = shipped_filter.check(text)
    assert v.action == "allow", [r.rule for r in v.reasons]


def test_meth_and_the_quote_still_block_in_plain_talk(shipped_filter) -> None:  # noqa: ANN001
    assert shipped_filter.check("where can I buy meth").action == "block"
    assert shipped_filter.check("my life is not worth living").action == "block"
