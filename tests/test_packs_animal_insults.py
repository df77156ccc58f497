"""Animal insult compounds written alone (bullying.json, session 16): 臭狗, 死狗, 臭猪, 死猪 ('stinking
dog', 'dead pig' said of a person), also with the animal drawn as an emoji (臭🐶, 死🐷: the fold view reads 🐶 as
狗). Their ordinary uses stay allowed: a real dead animal counted with 只 / 条 / 头, sick-pig food news, the
idiom 死猪不怕开水烫 and a pet owner's 这只臭狗. Their sound-alikes stay off (our near-miss traps in
extra_traps.jsonl: 愁勾, 筹购, 私购, 抽著 are heard as them), so a classical poem's 愁勾 is never shown to the
model as 臭狗. Every phrasing was written for this test (never a measured row)."""

from __future__ import annotations

import json

import pytest

from filters import homophone_reopen

BLOCK = [
    "你就是条臭狗",
    "真的吗臭🐶",
    "闭嘴吧死狗",
    "这种人就是死🐷",
    "你个臭猪别说话",
]
ALLOW = [
    "路边有一只死狗，快叫人来处理",
    "病死猪肉不能吃",
    "死猪不怕开水烫是什么意思",
    "这只臭狗又把拖鞋咬坏了",
    "农场里有两头死猪，兽医来检查",
]


@pytest.mark.parametrize(("text", "action"), [(t, "block") for t in BLOCK] + [(t, "allow") for t in ALLOW])
def test_animal_insults_block_and_real_animals_do_not(shipped_filter, text: str, action: str) -> None:  # noqa: ANN001
    verdict = shipped_filter.check(text)
    assert (verdict.action, text) == (action, text), [r.rule for r in verdict.reasons]


def test_the_new_insults_are_not_reopened_for_sound_alikes() -> None:
    """Reopened, 臭狗 read 愁勾 in a classical poem as itself and the model blocked the poem (session 16)."""
    reopened = json.loads(homophone_reopen.TABLE.read_text(encoding="utf-8"))["terms"]
    for term in ("臭狗", "死狗", "臭猪", "死猪"):
        assert term not in reopened, term
