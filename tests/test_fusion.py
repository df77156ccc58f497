"""Fusion rules (filters/fusion.py): when the model blocks alone, when it corroborates a matched term,
and, with the real model and the real filter, the false-positive budget on the shared dev set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from real_parts import require

from filters.fusion import model_reasons, text_units
from filters.policy import DEFAULT_POLICY, FilterPolicy
from filters.verdict import Reason
from models import LABELS_PATH, MODEL_PATH

DEV_EVAL = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "dev.jsonl"
LABELS = ("safe", "sexual", "violence_or_self_harm", "bullying_or_hate", "grooming", "fraud", "gambling_or_drugs")


def scores(**high: float) -> dict[str, float]:
    rest = (1.0 - sum(high.values())) / (len(LABELS) - len(high))
    return {label: high.get(label, rest) for label in LABELS}


def term(category: str, severity: int, blocking: bool = True) -> Reason:
    return Reason(category, f"lexicon:test:{category}", (0, 2), "xx", kind="lexicon", severity=severity,
                  blocking=blocking)


def test_high_score_blocks_alone() -> None:
    out = model_reasons(scores(grooming=0.97), [], DEFAULT_POLICY)
    assert len(out) == 1
    r = out[0]
    assert (r.kind, r.rule, r.category, r.span, r.matched, r.blocking) == (
        "model", "model:grooming", "grooming", None, "", True)
    assert r.score == pytest.approx(0.97)
    assert r.to_json()["score"] == 0.97


def test_below_threshold_without_a_term_gives_nothing() -> None:
    # uncalibrated sexual threshold 0.92 (8-11 band, scale 1.0): the boundary blocks, just below does not
    assert model_reasons(scores(sexual=0.87), [], DEFAULT_POLICY) == []
    assert model_reasons(scores(sexual=0.919), [], DEFAULT_POLICY) == []
    assert model_reasons(scores(sexual=0.92), [], DEFAULT_POLICY)[0].blocking


def test_safe_label_never_gives_a_reason() -> None:
    assert model_reasons(scores(safe=0.99), [term("sexual", 3)], DEFAULT_POLICY) == []


def test_model_corroborates_and_raises_a_mild_term() -> None:
    teen = FilterPolicy.for_band("12-15")  # min_severity 2: a severity-1 term alone does not block
    mild = term("sexual", 1, blocking=False)
    out = model_reasons(scores(sexual=0.51), [mild], teen)  # corroboration from 0.5 * 0.92 = 0.46
    assert len(out) == 1 and out[0].blocking and out[0].severity == 2 and out[0].category == "sexual"
    assert model_reasons(scores(sexual=0.46), [mild], teen)[0].blocking
    # the model disagrees: nothing, the mild term stays unblocked
    assert model_reasons(scores(sexual=0.45), [mild], teen) == []
    assert model_reasons(scores(sexual=0.1), [mild], teen) == []


def test_corroboration_needs_a_matching_category() -> None:
    assert model_reasons(scores(sexual=0.51), [term("gambling", 2)], DEFAULT_POLICY) == []
    assert model_reasons(scores(sexual=0.51), [term("sexual", 2)], DEFAULT_POLICY)[0].severity == 3


def test_calibrated_thresholds_replace_the_defaults() -> None:
    calibrated = {"sexual": 0.80, "fraud": 0.99}
    assert model_reasons(scores(sexual=0.85), [], DEFAULT_POLICY) == []
    assert model_reasons(scores(sexual=0.85), [], DEFAULT_POLICY, thresholds=calibrated)[0].blocking
    assert model_reasons(scores(sexual=0.79), [], DEFAULT_POLICY, thresholds=calibrated) == []
    assert model_reasons(scores(fraud=0.97), [], DEFAULT_POLICY) != []  # default fraud 0.95
    assert model_reasons(scores(fraud=0.97), [], DEFAULT_POLICY, thresholds=calibrated) == []
    # a label the calibration does not name keeps its default (grooming 0.90)
    assert model_reasons(scores(grooming=0.90), [], DEFAULT_POLICY, thresholds=calibrated)[0].blocking
    # the age band scales the calibrated value (under 8: x0.9 -> 0.72); a parent's threshold wins
    assert model_reasons(scores(sexual=0.73), [], FilterPolicy.for_band("under8"), thresholds=calibrated)
    assert model_reasons(scores(sexual=0.71), [], FilterPolicy.for_band("under8"), thresholds=calibrated) == []
    parent = FilterPolicy.from_dict({"model_thresholds": {"sexual": 0.98}})
    assert model_reasons(scores(sexual=0.97), [], parent, thresholds=calibrated) == []


def test_category_follows_the_matched_term() -> None:
    out = model_reasons(scores(violence_or_self_harm=0.7), [term("self_harm", 2)], DEFAULT_POLICY)
    assert [r.category for r in out] == ["self_harm"]
    out = model_reasons(scores(violence_or_self_harm=0.99), [], DEFAULT_POLICY)
    assert [r.category for r in out] == ["violence"]
    out = model_reasons(scores(gambling_or_drugs=0.7), [term("drugs", 2)], DEFAULT_POLICY)
    assert [r.category for r in out] == ["drugs"]


def test_policy_thresholds_bands_and_switches() -> None:
    p = 0.85
    assert model_reasons(scores(sexual=p), [], DEFAULT_POLICY) == []
    assert model_reasons(scores(sexual=p), [], FilterPolicy.for_band("under8"))  # 0.90 * 0.9 = 0.81
    custom = FilterPolicy.from_dict({"model_thresholds": {"sexual": 0.8}})
    assert model_reasons(scores(sexual=p), [], custom)[0].blocking
    off = FilterPolicy.from_dict({"use_model": False})
    assert model_reasons(scores(sexual=0.99), [], off) == []
    allowed = FilterPolicy.from_dict({"blocked_categories": ["violence"]})
    assert model_reasons(scores(sexual=0.99), [], allowed) == []


def test_corroboration_below_min_severity_is_reported_not_blocking() -> None:
    strict = FilterPolicy.from_dict({"min_severity": 3})
    out = model_reasons(scores(fraud=0.6), [term("fraud", 1, blocking=False)], strict)
    assert len(out) == 1 and not out[0].blocking and out[0].severity == 2


# --- with the real model -------------------------------------------------------------------------

def _dev_rows() -> list[dict]:
    require(DEV_EVAL.exists(), f"the shared dev set {DEV_EVAL}")
    return [json.loads(line) for line in DEV_EVAL.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_model_alone_blocks_no_benign_dev_row() -> None:
    from filters.classifier import TextClassifier

    clf = TextClassifier.load(MODEL_PATH, LABELS_PATH)
    benign = [r["text"] for r in _dev_rows() if r["expect"] == "allow"]
    flagged = [t for t in benign
               if any(r.blocking for r in model_reasons(clf.predict(t), [], DEFAULT_POLICY, thresholds=clf.thresholds))]
    assert len(flagged) <= 0.02 * len(benign), flagged


def test_filter_with_model_keeps_benign_rate_and_catches_more() -> None:
    from filters.engine import TextFilter

    rows = _dev_rows()
    with_model = TextFilter.load(model_path=MODEL_PATH)
    without = TextFilter.load()
    assert with_model.classifier is not None
    benign = [r["text"] for r in rows if r["expect"] == "allow"]
    harmful = [r["text"] for r in rows if r["expect"] == "block"]
    flagged = [t for t in benign if with_model.check(t).action != "allow"]
    assert len(flagged) <= 0.02 * len(benign), flagged
    caught_with = sum(with_model.check(t).action == "block" for t in harmful)
    caught_without = sum(without.check(t).action == "block" for t in harmful)
    assert caught_with >= caught_without
    verdict = with_model.check("哥哥给你买皮肤，你发张自拍来")
    assert verdict.action == "block" and any(r.kind == "model" for r in verdict.reasons)


def test_filter_with_a_truncated_model_keeps_working_on_word_lists(tmp_path: Path) -> None:
    from filters.engine import TextFilter

    bad = tmp_path / "kidsafe_text_int8.tflite"
    bad.write_bytes(MODEL_PATH.read_bytes()[:100_000])
    (tmp_path / "labels.json").write_bytes(LABELS_PATH.read_bytes())
    tf = TextFilter.load(model_path=bad)
    assert tf.classifier is None and "truncated" in (tf.model_error or "")
    for text, action in (("色情小说在线阅读", "block"), ("恐龙是怎么灭绝的", "allow")):
        v = tf.check(text)
        assert v.action == action
        assert [r.kind for r in v.reasons if r.rule == "notice:model_unavailable"] == ["notice"]
        assert not any(r.kind == "model" for r in v.reasons)


def test_model_alone_needs_a_long_enough_text() -> None:
    assert text_units("一个") == 2 and text_units("spicy food") == 2 and text_units("哥哥 buy me 皮肤") == 6
    assert text_units("Ｈｅｌｌｏ 世界 a 1") == 3
    high = scores(sexual=0.99)
    assert model_reasons(high, [], DEFAULT_POLICY, units=6) == []
    assert model_reasons(high, [], DEFAULT_POLICY, units=7)[0].blocking
    # a matched term is still corroborated in a short text
    assert model_reasons(high, [term("sexual", 1, blocking=False)], FilterPolicy.for_band("16-17"), units=2)


# Everyday phrases that share surface words with harm (想死你了, 成人高考, 自杀式袭击 in the news, 美颜):
# the model used to block all four alone. They are kept out of the training corpus
# (tests/test_corpus.py::test_no_row_equals_an_eval_set_text), so this checks generalisation.
BENIGN_SURFACE = ("我想死你了妈妈", "成人高考报名时间", "自杀式袭击是恐怖行为", "视频聊天怎么开美颜")


@pytest.mark.parametrize("text", BENIGN_SURFACE)
def test_benign_surface_phrases_are_allowed(model_filter, text: str) -> None:
    verdict = model_filter.check(text)
    assert verdict.action == "allow", [r.rule for r in verdict.reasons]


# Held-out templates (never trained on, nor used for thresholds' model selection) of the paraphrase
# files for the weak categories, and the share of their rows the whole filter must block with the
# model on. Measured on the shipped model (see models/MODEL_CARD.md); the floors sit below that.
PARAPHRASE_FLOORS = {  # measured: 0.23, 0.74, 0.58, 1.00, 0.93 (word lists alone: 0.00, 0.00, 0.28, 0.88, 0.78)
    "bullying_or_hate_groups": 0.15,
    "fraud_sms": 0.6,
    "self_harm_more": 0.45,
    "grooming_secret_more": 0.75,
    "sexual_spam_titles": 0.85,
}


def _heldout_by_file(names) -> dict[str, list[str]]:
    from models.corpus import read_rows

    out: dict[str, list[str]] = {name: [] for name in names}
    for row in read_rows("heldout"):
        name = row["source"].split(":", 1)[1].split(".", 1)[0]
        if name in out:
            out[name].append(row["text"])
    return out


def test_heldout_paraphrases_of_weak_categories_are_blocked(model_filter) -> None:
    from filters.engine import TextFilter

    words_only = TextFilter.load()
    rows = _heldout_by_file(PARAPHRASE_FLOORS)
    gained = 0
    for name, floor in PARAPHRASE_FLOORS.items():
        texts = rows[name]
        assert len(texts) >= 8, name
        blocked = sum(v.action == "block" for v in model_filter.check_many(texts)) / len(texts)
        assert blocked >= floor, f"{name}: {blocked:.2f} < {floor}"
        gained += blocked > sum(v.action == "block" for v in words_only.check_many(texts)) / len(texts)
    assert gained >= 4, "the model should add catches the word lists miss in most paraphrase files"
