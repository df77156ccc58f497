"""Fusion rule 4 (filters/fusion.py, filters/self_directed.py): when the classifier alone blocks a text as
violence_or_self_harm, a self-directed statement (or one with no threat against others) is self_harm, and the
child gets care through the device; a threat against others stays violence. Only the category moves, never the
action, under a policy blocking both. Sentences are our own (zh and en); the real ones through the shipped filter
were checked to be model-only (no word-list or rule hit)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from filters import self_directed
from filters.fusion import model_reasons
from filters.policy import DEFAULT_POLICY
from filters.verdict import Reason

LABELS = ("safe", "sexual", "violence_or_self_harm", "bullying_or_hate", "grooming", "fraud", "gambling_or_drugs")
HIGH = {label: (0.98 if label == "violence_or_self_harm" else 0.02 / 6) for label in LABELS}

SELF_ZH = ["我已经想好怎么离开这个世界了", "我准备了很多药，今晚就吃", "没有人在乎我，我死了也没人知道",
           "我觉得自己就是家里的累赘"]
SELF_EN = ["Tonight I will finally go to sleep forever, goodbye everyone", "I am just a burden to my family",
           "I saved all the pills in my drawer"]
OTHERS_ZH = ["他再敢惹我，我就拿刀捅他", "明天放学我要弄死你", "你们全家都不得好死", "新闻里说昨晚发生了枪击"]
OTHERS_EN = ["I will beat him up after school", "next time I see you I'll kill you", "the movie was pure gore"]
MIXED = ["他们都欺负我，我不想活了，我要先杀了他们", "I want to kill them all and then kill myself"]
ABSENT = ["这一切都没有意义了，就这样吧，再见", "it is all pointless now, this is the end"]

# model-only through the shipped filter (checked: no word-list term, no rule; the model alone blocks)
MODEL_ONLY_SELF = ["我已经想好怎么离开这个世界了", "我想好了，以后再也不用醒来了",
                   "Tonight I will finally go to sleep forever, goodbye everyone"]
MODEL_ONLY_THREAT = ["他再敢惹我，我就拿刀捅他"]


def categories(text: str, policy=DEFAULT_POLICY, evidence: list[Reason] | None = None) -> list[tuple[str, bool]]:
    return [(r.category, r.blocking) for r in model_reasons(HIGH, evidence or [], policy, units=20, text=text)]


@pytest.mark.parametrize("text", SELF_ZH + SELF_EN + MIXED + ABSENT)
def test_self_directed_mixed_or_no_evidence_is_self_harm(text):
    assert self_directed.category_for(text) == "self_harm"
    assert categories(text) == [("self_harm", True)]


@pytest.mark.parametrize("text", OTHERS_ZH + OTHERS_EN)
def test_threats_against_others_and_violent_content_stay_violence(text):
    assert self_directed.category_for(text) == "violence"
    assert categories(text) == [("violence", True)]


def test_a_matched_violence_term_keeps_its_category_and_the_rule_is_not_read(monkeypatch):
    monkeypatch.setattr("filters.fusion.category_for", lambda text: pytest.fail("rule 4 read a text with evidence"))
    hit = Reason("violence", "lexicon:test:violence", (0, 2), "xx", kind="lexicon", severity=1, blocking=False)
    assert categories(SELF_ZH[0], evidence=[hit]) == [("violence", True)]


def test_a_bullying_hit_is_evidence_of_aim_at_others_unless_the_text_is_self_directed():
    for blocking in (True, False):
        hit = Reason("bullying", "lexicon:test:bullying", (0, 2), "xx", kind="lexicon", severity=2, blocking=blocking)
        assert categories(ABSENT[0], evidence=[hit]) == [("violence", True)]
        assert categories(SELF_ZH[0], evidence=[hit]) == [("self_harm", True)]  # bullied and wanting to die: care


def test_only_the_category_moves_never_the_action():
    violence_only = dataclasses.replace(DEFAULT_POLICY, blocked_categories=frozenset({"violence"}))
    assert categories(SELF_ZH[0], violence_only) == [("violence", True)]  # the same block as before rule 4
    nothing = dataclasses.replace(DEFAULT_POLICY, blocked_categories=frozenset({"sexual"}))
    assert categories(SELF_ZH[0], nothing) == []


def test_where_violence_is_unblocked_a_self_directed_text_blocks_for_care_and_a_threat_passes():
    self_harm_only = dataclasses.replace(DEFAULT_POLICY, blocked_categories=frozenset({"self_harm"}))
    assert categories(SELF_ZH[0], self_harm_only) == [("self_harm", True)]
    assert categories(OTHERS_ZH[0], self_harm_only) == []


def test_an_unreadable_or_broken_cue_file_fails_towards_care(tmp_path, monkeypatch):
    for content in (None, "{not json", json.dumps({"zh": {"self": []}})):
        path = tmp_path / "cues.json"
        if content is not None:
            path.write_text(content, encoding="utf-8")
        monkeypatch.setattr(self_directed, "CUES_PATH", path)
        self_directed._cues.cache_clear()
        self_directed._patterns.cache_clear()
        try:
            assert self_directed.category_for(OTHERS_ZH[0]) == "self_harm"
        finally:
            self_directed._cues.cache_clear()
            self_directed._patterns.cache_clear()
    monkeypatch.undo()
    assert self_directed.category_for(OTHERS_ZH[0]) == "violence"  # the shipped file again


def test_the_cue_file_carries_provenance_and_licence():
    doc = json.loads(Path(self_directed.CUES_PATH).read_text(encoding="utf-8"))
    assert "Columbia" in doc["provenance"] and "988" in doc["provenance"] and doc["license"] == "Apache-2.0"


@pytest.fixture
def tf(model_filter):
    return model_filter


@pytest.mark.parametrize("text", MODEL_ONLY_SELF)
def test_a_model_only_self_harm_statement_is_self_harm_and_gets_care(tf, text):
    from device.care import needs_care
    from device.search.local import LocalIndexProvider
    from device.search.pipeline import SearchPipeline

    verdict = tf.check(text)
    assert verdict.action == "block" and verdict.categories == ["self_harm"]
    assert {r.kind for r in verdict.reasons if r.blocking} == {"model"}  # the case rule 4 is for
    assert needs_care(verdict)
    events: list[dict] = []
    pipeline = SearchPipeline(tf, LocalIndexProvider(), event_sink=events.append, warm_in_background=False)
    out = pipeline.search(text, lang="en" if text.isascii() else "zh").to_json()
    assert out["action"] == "block" and out["care"]["kind"] == "self_harm" and out["results"] == []
    assert [e["kind"] for e in events] == ["search_blocked", "support_needed"]


@pytest.mark.parametrize("text", MODEL_ONLY_THREAT)
def test_a_model_only_threat_stays_violence_and_gets_the_wall(tf, text):
    from device.care import needs_care

    verdict = tf.check(text)
    assert verdict.action == "block" and verdict.categories == ["violence"]
    assert {r.kind for r in verdict.reasons if r.blocking} == {"model"}
    assert not needs_care(verdict)


@pytest.mark.parametrize("text", ["放学别走等着挨打", "我知道你家在哪小心点", "我要乂朩了你全家"])
def test_a_threat_the_word_lists_caught_as_bullying_never_gets_care(tf, text):
    from device.care import needs_care

    verdict = tf.check(text)
    assert verdict.action == "block" and "violence" in verdict.categories and not needs_care(verdict)
