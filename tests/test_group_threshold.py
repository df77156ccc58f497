"""The group threshold (filters/group_mention.py, filters/fusion.py): a text that names a group of people
may be blocked by the model from a lower, calibrated threshold; everything else keeps the label's one."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from filters import group_mention
from filters.classifier import ModelError, TextClassifier
from filters.combo_rules import file_cue_sets
from filters.fusion import model_reasons
from filters.group_mention import names_group, parse_group_thresholds, speaks_against_hate, text_language
from filters.policy import DEFAULT_POLICY, FilterPolicy
from models import LABELS_PATH, MODEL_PATH
from models.calibrate import CALIBRATION_PATH, choose_threshold

LABELS = ("safe", "sexual", "violence_or_self_harm", "bullying_or_hate", "grooming", "fraud", "gambling_or_drugs")
CALIBRATED = {"bullying_or_hate": 0.915}
GROUP = {"bullying_or_hate": {"en": 0.775}}
NAMES_GROUP = "immigrants are all the same and cannot be trusted"
NO_GROUP = "those people are all the same and cannot be trusted"


def scores(bullying: float) -> dict[str, float]:
    rest = (1.0 - bullying) / (len(LABELS) - 1)
    return {label: bullying if label == "bullying_or_hate" else rest for label in LABELS}


def blocks(p: float, text: str | None, policy: FilterPolicy = DEFAULT_POLICY, windows: int = 1,
           group: dict | None = None) -> bool:
    out = model_reasons(scores(p), [], policy, thresholds=CALIBRATED, windows=windows, window_exponent=1.0,
                        group_thresholds=GROUP if group is None else group, text=text)
    return any(r.blocking and r.rule == "model:bullying_or_hate" for r in out)


def test_group_words_come_from_the_hate_rules_cue_sets() -> None:
    cue_sets = file_cue_sets(group_mention.HATE_RULES)  # shared cue sets expanded
    assert "immigrants" in cue_sets["group_en"] and "外地人" in cue_sets["group_zh"]
    assert names_group(NAMES_GROUP) and names_group("Black people were there") and names_group("这些外地人都一样")
    assert names_group("ＩＭＭＩＧＲＡＮＴＳ are here")  # NFKC and case folded
    assert not names_group(NO_GROUP) and not names_group("今天天气真好") and not names_group("the cat sat")
    assert not names_group("gayety and blackness")  # English cues are whole words
    assert (text_language("外地人"), text_language("hello"), text_language("ok 好的")) == ("zh", "en", "zh")


def test_a_group_naming_text_blocks_from_the_group_threshold() -> None:
    assert blocks(0.80, NAMES_GROUP)
    assert blocks(0.775, NAMES_GROUP) and not blocks(0.77, NAMES_GROUP)
    assert not blocks(0.80, NO_GROUP)  # no group named: the label's 0.915
    assert blocks(0.92, NO_GROUP)
    assert not blocks(0.80, None)  # without the text the rule is not used
    assert not blocks(0.80, NAMES_GROUP, group={})


def test_the_group_threshold_is_per_language() -> None:
    assert not blocks(0.80, "这些外地人都一样，不能相信")  # only "en" is lowered here
    assert blocks(0.80, "这些外地人都一样，不能相信", group={"bullying_or_hate": {"zh": 0.78}})
    assert not blocks(0.80, NAMES_GROUP, group={"bullying_or_hate": {"zh": 0.78}})


def test_band_parent_and_long_text_apply_to_the_group_threshold() -> None:
    teen = FilterPolicy.for_band("16-17")  # x1.05: 0.775 -> 0.814
    assert not blocks(0.80, NAMES_GROUP, teen) and blocks(0.82, NAMES_GROUP, teen)
    parent = FilterPolicy.from_dict({"model_thresholds": {"bullying_or_hate": 0.95}})
    assert not blocks(0.90, NAMES_GROUP, parent)  # the parent's threshold wins
    # 4 windows, exponent 1: 1 - 0.225 / 4 = 0.944
    assert not blocks(0.93, NAMES_GROUP, windows=4) and blocks(0.95, NAMES_GROUP, windows=4)


def test_unreadable_cue_file_takes_every_text_as_naming_a_group(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(group_mention, "HATE_RULES", tmp_path / "missing.json")
    group_mention._matchers.cache_clear()
    group_mention._counter_matchers.cache_clear()
    group_mention._disclaimer_matchers.cache_clear()
    try:
        assert names_group(NO_GROUP) and blocks(0.80, NO_GROUP)  # fail closed: the stricter threshold
        # and no text is taken to speak against hate: counter-speech gets the lower threshold too
        assert not speaks_against_hate(COUNTER_SPEECH[0]) and blocks(0.80, COUNTER_SPEECH[0])
    finally:
        monkeypatch.undo()
        group_mention._matchers.cache_clear()
        group_mention._counter_matchers.cache_clear()
        group_mention._disclaimer_matchers.cache_clear()
    assert not names_group(NO_GROUP) and speaks_against_hate(COUNTER_SPEECH[0])


# session 16: our own sentences that name a group and speak against hate (they quote or refer to it)
COUNTER_SPEECH = [
    "people who say immigrants cannot be trusted are spreading hate speech",
    "stop calling refugees parasites, they are families like ours",
    "my cousin keeps saying Muslims are dangerous and I told him that is racist",
    "it's a stereotype that women are bad at maths",
    "I can't believe someone wrote that gay people are disgusting on the wall",
]
# near misses: the same groups and words without a counter-speech or prejudice-talk cue
PLAIN_HATE = [
    "immigrants cannot be trusted, send them all back",
    "refugees are parasites and should leave",
    "Muslims are dangerous and everyone knows it",
]


def test_counter_speech_keeps_the_label_threshold() -> None:
    cue_sets = file_cue_sets(group_mention.HATE_RULES)
    assert {"stop calling", "people who say", "stereotype"} <= set(cue_sets["fair_en"])  # the rules' stand-downs
    for text in COUNTER_SPEECH:
        assert names_group(text) and speaks_against_hate(text), text
        assert not blocks(0.80, text), text  # not from the group threshold (0.775) ...
        assert blocks(0.92, text), text  # ... but still from the label's own (0.915)
    for text in PLAIN_HATE:
        assert names_group(text) and not speaks_against_hate(text), text
        assert blocks(0.80, text), text
    assert not speaks_against_hate("这些外地人都一样，不能相信")  # English cues only


@pytest.mark.parametrize(
    ("group", "fragment"),
    [([], "must be an object"), ({"nudity": {"en": 0.8}}, "'nudity'"), ({"safe": {"en": 0.8}}, "'safe'"),
     ({"bullying_or_hate": 0.8}, "{language: probability}"), ({"bullying_or_hate": {"fr": 0.8}}, "'fr'"),
     ({"bullying_or_hate": {"en": 0.2}}, "[0.5, 1]"), ({"bullying_or_hate": {"en": True}}, "[0.5, 1]")],
)
def test_bad_group_thresholds_are_refused(tmp_path: Path, group: object, fragment: str) -> None:
    with pytest.raises(ValueError, match=None) as info:
        parse_group_thresholds({"group_thresholds": group}, LABELS)
    assert fragment in str(info.value)
    doc = json.loads(CALIBRATION_PATH.read_text(encoding="utf-8"))
    bad = tmp_path / "calibration.json"
    bad.write_text(json.dumps({**doc, "group_thresholds": group}), encoding="utf-8")
    with pytest.raises(ModelError, match="calibration.json"):
        TextClassifier.load(MODEL_PATH, LABELS_PATH, calibration_path=bad)


def test_calibration_grid_never_goes_below_the_floor() -> None:
    import numpy as np

    p = np.array([0.45, 0.6, 0.3])
    harmful = np.array([True, True, False])
    grid = np.round(np.arange(group_mention.MIN_GROUP_THRESHOLD, 0.915, 0.005), 3)
    assert choose_threshold(p, harmful, [(~harmful, 0.001)], np.ones(3, dtype=bool), grid) == 0.5


def test_the_engine_reads_group_thresholds_from_the_calibration_file(tmp_path: Path) -> None:
    """End to end with the real model: the calibration file beside it -> classifier -> engine -> fusion."""
    from filters.engine import TextFilter

    for name in (MODEL_PATH.name, LABELS_PATH.name):
        shutil.copy(MODEL_PATH.parent / name, tmp_path / name)
    doc = json.loads(CALIBRATION_PATH.read_text(encoding="utf-8"))
    p = TextClassifier.load(MODEL_PATH, LABELS_PATH).predict(NAMES_GROUP)["bullying_or_hate"]
    label_t, group_t = min(0.99, p + 0.05), max(0.5, p - 0.05)
    assert p < label_t and group_t <= p, p  # the model's score sits between the two thresholds

    def model_rules(group: dict) -> list[str]:
        cal = {**doc, "thresholds": {**doc["thresholds"], "bullying_or_hate": label_t}, "group_thresholds": group}
        (tmp_path / "calibration.json").write_text(json.dumps(cal), encoding="utf-8")
        tf = TextFilter.load(model_path=tmp_path / MODEL_PATH.name)
        assert tf.classifier.group_thresholds == group
        return [r.rule for r in tf.check(NAMES_GROUP).reasons if r.kind == "model"]

    assert model_rules({"bullying_or_hate": {"en": group_t}}) == ["model:bullying_or_hate"]
    assert model_rules({}) == []


# session 16 (lead): a disclaimer is a preface to hate, not counter-speech; our own sentences
DISCLAIMED_HATE = [
    "I'm not racist, but immigrants are all criminals",
    "no offence but gay people are disgusting",
    "call me racist but Muslims should all go home",
    "I am not homophobic but trans people are sick",
]


def test_a_disclaimer_before_hate_keeps_the_group_threshold() -> None:
    cue_sets = file_cue_sets(group_mention.HATE_RULES)
    assert "not racist but" in cue_sets["disclaimer_en"]  # data, in the hate rules' file
    for text in DISCLAIMED_HATE:
        assert names_group(text) and not speaks_against_hate(text), text
        assert blocks(0.80, text), text  # the group threshold (0.775) still applies
    for text in COUNTER_SPEECH:  # counter-speech without a disclaimer is unchanged
        assert speaks_against_hate(text), text
