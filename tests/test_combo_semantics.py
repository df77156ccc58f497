"""Co-occurrence rule semantics added in session 6 (filters/combo_sound.py, filters/combo_window.py):
sound-alike group names, overlapping cues counted once, grooming rules standing down on a fake-police
script (which a fraud rule labels instead), and self-referential self-harm cues."""

from __future__ import annotations

import pytest

from filters.combo_rules import ComboError, parse_file
from filters.combo_sound import swaps
from filters.combo_window import fire_window
from filters.combos import ComboMatcher
from filters.engine import TextFilter
from filters.normalize import Views


def _doc(groups: list[dict], window: int = 40) -> dict:
    return {"schema": 1, "name": "tt", "version": "1", "description": "d", "provenance": "p", "license": "l",
            "rules": [{"name": "rr", "category": "fraud", "why": "w", "window": window, "groups": groups}]}


def _fires(normalizer, segmenter, doc: dict, text: str) -> bool:  # noqa: ANN001
    m = ComboMatcher([parse_file(doc, "tt")], normalizer, segmenter)
    return bool(m.find(Views(text, normalizer)))


def _combo_rules(tf: TextFilter, text: str) -> list[str]:
    return [r.rule for r in tf.check(text).reasons if r.rule.startswith("combo:")]


# --- sound-alike group names -------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "河蓝人都是骗子",  # n/l swap: the disguise the issue names
    "湖蓝人个个都是小偷",
    "东贝人天生就是没素质",  # the same toneless pinyin as 东北人
    "木斯林都该死",
    "尚海人都是拜金的",  # sh/s
])
def test_a_sound_alike_group_name_still_fires_hate(shipped_filter: TextFilter, text: str) -> None:
    assert any(r.startswith("combo:hate:") for r in _combo_rules(shipped_filter, text)), text


@pytest.mark.parametrize("text", [
    "旅人都是过客，风景才是主角",  # 旅人 (lü ren) is a word, not 女人 disguised
    "河南人做的烩面都是好吃的",
    "蓝色的小人都是画上去的",
])
def test_sound_alike_matching_leaves_ordinary_text_alone(shipped_filter: TextFilter, text: str) -> None:
    assert _combo_rules(shipped_filter, text) == []


def test_sound_alike_is_opt_in_per_group(normalizer, segmenter) -> None:  # noqa: ANN001
    groups = [{"name": "who", "cues": ["河南人"]}, {"name": "all", "cues": ["都是"]}, {"name": "bad", "cues": ["骗子"]}]
    assert _fires(normalizer, segmenter, _doc(groups), "河南人都是骗子")
    assert not _fires(normalizer, segmenter, _doc(groups), "河蓝人都是骗子")
    groups[0]["sound_alike"] = True
    assert _fires(normalizer, segmenter, _doc(groups), "河蓝人都是骗子")
    assert _fires(normalizer, segmenter, _doc(groups), "和南人都是骗子")
    assert not _fires(normalizer, segmenter, _doc(groups), "河北人都是骗子")  # bei is no swap of nan


def test_swaps_are_one_step_near_homophones() -> None:
    assert swaps("nan") == {"nan", "lan", "nang"}
    assert swaps("zhang") == {"zhang", "zang", "zhan"}
    assert swaps("zan") == {"zan", "zhan", "zang"}
    assert swaps("shi") == {"shi", "si"}


def test_sound_alike_must_be_a_boolean() -> None:
    with pytest.raises(ComboError, match="sound_alike"):
        parse_file(_doc([{"name": "a", "cues": ["河南人"], "sound_alike": "yes"}, {"name": "b", "cues": ["骗子"]}]),
                   "tt")


# --- overlapping cues ----------------------------------------------------------------------------------
def test_overlapping_cues_count_for_one_group(normalizer, segmenter) -> None:  # noqa: ANN001
    doc = _doc([{"name": "parent", "cues": ["爸妈的银行卡"]}, {"name": "ask", "cues": ["银行卡号", "发给我"]}])
    assert not _fires(normalizer, segmenter, doc, "这是爸妈的银行卡号")  # one place, two readings
    assert _fires(normalizer, segmenter, doc, "把爸妈的银行卡号发给我")  # a second, separate cue
    contained = _doc([{"name": "parent", "cues": ["你爸的支付宝"]}, {"name": "pay", "cues": ["支付", "密码"]}])
    assert not _fires(normalizer, segmenter, contained, "这是你爸的支付宝吗")
    assert _fires(normalizer, segmenter, contained, "告诉我你爸的支付宝密码")


def test_overlapping_cues_each_with_words_of_their_own_count_twice(normalizer, segmenter) -> None:  # noqa: ANN001
    doc = _doc([{"name": "who", "cues": ["refugees"]}, {"name": "all", "cues": ["should be"]},
                {"name": "bad", "cues": ["be deported"]}])
    assert _fires(normalizer, segmenter, doc, "refugees should be deported")  # share only "be"


def test_shipped_rules_do_not_read_one_cue_as_two_groups(shipped_filter: TextFilter) -> None:
    assert _combo_rules(shipped_filter, "这是你爸的支付宝吗") == []
    assert "combo:fraud:parent_payment_ask_zh" in _combo_rules(shipped_filter, "告诉我你爸的支付宝密码")


# --- labels: a fake-police script is fraud, not grooming -------------------------------------------
FAKE_POLICE = [
    "我是市公安局刑侦支队的警官，此案严格保密，不要告诉家人，把照片发过来核实身份",
    "这里是检察院办案人员，你涉嫌一起案件，不要告诉任何人，今晚到酒店当面做笔录",
]


@pytest.mark.parametrize("text", FAKE_POLICE)
def test_fake_police_scripts_are_fraud_not_grooming(shipped_filter: TextFilter, text: str) -> None:
    rules = _combo_rules(shipped_filter, text)
    assert any(r.startswith("combo:fraud:") for r in rules), rules
    assert not any(r.startswith("combo:grooming:") for r in rules), rules


def test_grooming_secrecy_still_fires_without_a_fraud_context(shipped_filter: TextFilter) -> None:
    assert "combo:grooming:secrecy_and_contact_zh" in _combo_rules(
        shipped_filter, "这是我们的小秘密，不要告诉你妈，今晚偷偷出来我去接你")


# --- self-harm cues that already name the speaker -------------------------------------------------
@pytest.mark.parametrize(("rule", "text"), [
    ("self_harm:end_myself_zh", "有时候真想结束自己，一切都太难了"),
    ("self_harm:speaker_despair_ending_zh", "没人在乎我，还不如消失"),
])
def test_self_referential_cues_need_no_separate_speaker(shipped_filter: TextFilter, rule: str, text: str) -> None:
    assert f"combo:{rule}" in _combo_rules(shipped_filter, text)


def test_sound_alike_scan_runs_only_where_it_could_complete_a_rule(shipped_filter: TextFilter,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    sound = shipped_filter.combos._sound
    original = sound.hits
    monkeypatch.setattr(sound, "hits", lambda fold, *a: calls.append(fold) or original(fold, *a))
    shipped_filter.check("我们都是好朋友，周末一起去公园")  # 都是 alone: no rule can be completed by a group name
    assert calls == []
    assert "combo:hate:group_all_degrading_zh" in _combo_rules(shipped_filter, "河蓝人都是骗子")
    assert len(calls) == 1


# --- a cue longer than the rule's window ------------------------------------------------------------------
def test_a_cue_longer_than_the_window_neither_crashes_nor_fires_alone() -> None:
    """A sound-alike group name read through pinyin ('黑ren…') can span more characters than a short rule's
    window; the window must not slide past the cue it ends at (it raised IndexError, and every such
    text was blocked as combo:unchecked)."""
    rule = parse_file(_doc([{"name": "a", "cues": ["x"]}, {"name": "b", "cues": ["y"]}], window=8), "tt").rules[0]
    assert fire_window(rule, frozenset(), [(0, 2, 1, 0), (3, 15, 0, 0)]) is None  # the long cue comes last
    later = [(0, 12, 0, 0), (20, 22, 0, 0), (24, 26, 1, 0)]
    assert fire_window(rule, frozenset(), later) == (20, 26, [(20, 22), (24, 26)])


def test_pinyin_spelled_group_names_are_checked_not_failed_closed(shipped_filter: TextFilter) -> None:
    verdict = shipped_filter.check("知乎shang不是总ai说黑renzhishang低吗")
    assert not any(r.rule == "combo:unchecked" for r in verdict.reasons)
