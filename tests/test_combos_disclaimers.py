"""A disclaimer is not counter-speech (filters/combo_rules.py `disclaimers`, filters/combo_window.py).

"I'm not racist but immigrants are rats" holds the hate rules' counter-speech cue "racist" only inside the
preface that denies a prejudice before voicing it; such an `unless` cue does not stand a rule down, while the same
cue outside a disclaimer still does ("calling immigrants rats is racist"). The model's group threshold
(filters/group_mention.py) reads disclaimers the same way. Own phrasings, written from the definition of a
disclaimer (Hewitt and Stokes 1975), no test row of any data set.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from filters.combo_rules import COMBOS_DIR, ComboError, read_dir
from filters.combos import ComboMatcher
from filters.engine import TextFilter
from filters.group_mention import speaks_against_hate
from filters.normalize import Normalizer
from models import MODEL_PATH

DISCLAIMED_HATE = [
    "I'm not racist but immigrants are rats",
    "I'm not racist, but immigrants are rats",
    "Call me racist but immigrants are rats",
    "I'm not sexist but women are inferior to men",
    "This may sound racist but muslims are animals",
    "Not to be racist but jews control the media",
    "no offense but gays are disgusting",
]
COUNTER_SPEECH = [
    "calling immigrants rats is racist",
    "It is racist to say immigrants are rats",
    "No offence but saying immigrants are rats is racist",
    "I'm not racist but I think calling immigrants rats is wrong",
    'Some people say "I\'m not racist but immigrants are rats" and that is hate speech',
]
ORDINARY = [
    "I'm not racist, I have friends who are immigrants",
    "No offence but your essay was too long",
    "I'm not racist but I don't like spicy food",
    "with all due respect but I think the referee was wrong",
]


@pytest.fixture(scope="module")
def with_model() -> TextFilter:
    return TextFilter.load(model_path=MODEL_PATH)


@pytest.mark.parametrize("text", DISCLAIMED_HATE)
def test_hate_after_a_disclaimer_fires_a_rule(shipped_filter, text: str) -> None:  # noqa: ANN001
    v = shipped_filter.check(text)  # word lists and rules alone
    assert v.action == "block" and any(r.rule.startswith("combo:") for r in v.reasons), [r.rule for r in v.reasons]


@pytest.mark.parametrize("text", COUNTER_SPEECH + ORDINARY)
def test_counter_speech_and_ordinary_disclaimers_pass(with_model: TextFilter, text: str) -> None:
    v = with_model.check(text)  # model on: its group threshold must not block them either
    assert v.action == "allow", [(r.rule, r.score) for r in v.reasons]


def test_group_threshold_reads_cues_outside_the_disclaimer() -> None:
    assert not speaks_against_hate("I'm not racist but immigrants are rats")
    assert speaks_against_hate("No offence but saying immigrants are rats is racist")
    assert speaks_against_hate("calling immigrants rats is racist")


# --- the engine, on a rule file of its own -------------------------------------------------------------------
HEAD = {"schema": 1, "version": "1", "description": "d", "provenance": "kidsafe tests", "license": "l"}
RULE = {"name": "group_vermin", "category": "bullying", "why": "test", "window": 80,
        "groups": [{"name": "group", "cues": ["zorblings"]}, {"name": "vermin", "cues": ["are rats"]}],
        "unless": ["racist", "not"]}


def _matcher(tmp_path: Path, normalizer: Normalizer, **top: object) -> ComboMatcher:
    (tmp_path / "t.json").write_text(json.dumps({**HEAD, "name": "t", **top, "rules": [RULE]}), encoding="utf-8")
    return ComboMatcher.load(tmp_path, normalizer=normalizer)


class _Views:
    def __init__(self, normalizer: Normalizer, text: str) -> None:
        self.text, self.fold = text, normalizer.fold_text(text)
        self.exact = self

    def span(self, a: int, b: int) -> tuple[int, int]:
        return a, b


def _fires(m: ComboMatcher, normalizer: Normalizer, text: str) -> bool:
    views = _Views(normalizer, text)
    views.text = views.fold  # the test's own views: spans in fold coordinates
    return bool(m.find(views))  # type: ignore[arg-type]


def test_an_unless_cue_inside_a_disclaimer_does_not_count(tmp_path: Path, normalizer: Normalizer) -> None:
    with_field = _matcher(tmp_path, normalizer, disclaimers=["not racist but"])
    assert _fires(with_field, normalizer, "I'm not racist, but zorblings are rats")  # 'not' and 'racist' inside it
    assert not _fires(with_field, normalizer, "saying zorblings are rats is racist")  # the cue outside a disclaimer
    assert not _fires(with_field, normalizer, "I'm not racist but saying zorblings are rats is racist")
    without = _matcher(tmp_path, normalizer)
    assert not _fires(without, normalizer, "I'm not racist, but zorblings are rats")  # as before: stands down


def test_disclaimers_are_checked_like_cues(tmp_path: Path) -> None:
    (tmp_path / "t.json").write_text(json.dumps({**HEAD, "name": "t", "disclaimers": ["@nowhere"], "rules": [RULE]}))
    with pytest.raises(ComboError, match="unknown cue set"):
        read_dir(tmp_path)
    (tmp_path / "t.json").write_text(json.dumps({**HEAD, "name": "t", "disclaimers": [], "rules": [RULE]}))
    with pytest.raises(ComboError, match="disclaimers: must be a non-empty list"):
        read_dir(tmp_path)
    shared = {**HEAD, "kind": "cue_sets", "name": "s", "cue_sets": {"x": ["y"]}, "disclaimers": ["a but"]}
    (tmp_path / "s.json").write_text(json.dumps(shared))
    (tmp_path / "t.json").write_text(json.dumps({**HEAD, "name": "t", "rules": [RULE]}))
    with pytest.raises(ComboError, match="holds no 'rules' and no 'disclaimers'"):
        read_dir(tmp_path)


def test_the_shipped_hate_files_name_the_disclaimers_at_top_level() -> None:
    """Top level, never in a rule: older software ignores an unknown top-level key but refuses an unknown rule
    field (and with it the whole file)."""
    for name in ("hate", "hate_claims", "abuse_en"):
        doc = json.loads((COMBOS_DIR / f"{name}.json").read_text(encoding="utf-8"))
        assert doc.get("disclaimers") and all("disclaimers" not in r for r in doc["rules"])
    files = {f.name: f for f in read_dir(COMBOS_DIR)}
    rule = next(r for r in files["hate"].rules if r.name == "group_is_degrading_en")
    assert "not racist but" in rule.disclaimers and "call me racist but" in rule.disclaimers
