"""Long texts (filters/fusion.py rule 1, models/long_text.py): a text of n classifier windows needs
1 - (1 - T) * n ** -e to be blocked by the model alone, with e calibrated on held-out long texts."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from recording_model import ConstantModel

from filters import features
from filters import model_windows as model_windows_module
from filters.classifier import ModelError, TextClassifier
from filters.engine import TextFilter
from filters.fusion import LONG_TEXT_CAP, long_text_threshold, model_reasons, model_windows
from filters.lexicon import load_pack
from filters.policy import DEFAULT_POLICY, FilterPolicy
from models import LABELS_PATH, MODEL_PATH
from models.long_text import (
    EXPONENT_GRID,
    WINDOW_EXPONENT,
    BenignGroup,
    calibrate_exponent,
    choose_exponent,
    join_rows,
)

CALIBRATION_PATH = MODEL_PATH.with_name("calibration.json")
TEST_PACK = Path(__file__).resolve().parent / "data" / "test_pack.json"
SENTENCE = "今天天气很好，我们全家一起去公园放风筝，还在湖边喂了小鸭子。"  # 26 letters, no word-list hit


def test_threshold_rises_with_the_number_of_windows() -> None:
    assert long_text_threshold(0.9, 1, 1.0) == 0.9
    assert long_text_threshold(0.9, 5, 0.0) == 0.9  # no calibrated exponent: one threshold for every length
    assert long_text_threshold(0.9, 2, 1.0) == pytest.approx(0.95)
    assert long_text_threshold(0.9, 4, 0.5) == pytest.approx(0.95)
    assert long_text_threshold(0.915, 8, 1.0) == pytest.approx(1 - 0.085 / 8)
    assert long_text_threshold(0.5, 8, 2.0) == LONG_TEXT_CAP  # a confident window can still block
    assert long_text_threshold(0.995, 8, 1.0) == 0.995  # a parent's stricter threshold is kept
    values = [long_text_threshold(0.81, n, 1.0) for n in range(1, 9)]
    assert values == sorted(values) and values[0] == 0.81


@pytest.mark.parametrize("repeat", [1, 2, 3, 5, 6, 11, 30, 80])
def test_window_count_is_the_classifiers(repeat: int) -> None:
    """model_windows counts the windows filters/features.py cuts (same letters, same 72/70 step, at most 8;
    the constants have one home, filters/model_windows.py, and the shipped model was trained on them)."""
    assert (model_windows_module.WINDOW_CHARS, model_windows_module.MAX_WINDOWS) == (72, 8)
    fz = features.Featurizer()
    for text in (SENTENCE * repeat, ("The cat sat on the mat, and then it slept. " * repeat),
                 "，".join(["一二三四五六七"] * repeat), "a" * (70 * repeat + 2), "a" * (70 * repeat + 3)):
        assert model_windows(text) == len(fz.windows(text)), (repeat, len(text))


def test_a_long_text_needs_the_higher_threshold_and_corroboration_is_unchanged() -> None:
    high = {"safe": 0.02, "sexual": 0.0, "violence_or_self_harm": 0.0, "bullying_or_hate": 0.95,
            "grooming": 0.01, "fraud": 0.01, "gambling_or_drugs": 0.01}
    calibrated = {"bullying_or_hate": 0.915}
    assert model_reasons(high, [], DEFAULT_POLICY, units=40, thresholds=calibrated, windows=1,
                         window_exponent=1.0)[0].blocking
    assert model_reasons(high, [], DEFAULT_POLICY, units=200, thresholds=calibrated, windows=4,
                         window_exponent=1.0) == []  # needs 1 - 0.085 / 4 = 0.979
    assert model_reasons(high, [], DEFAULT_POLICY, units=200, thresholds=calibrated, windows=4)[0].blocking
    from filters.verdict import Reason

    mild = Reason("bullying", "lexicon:test:x", (0, 2), "xx", kind="lexicon", severity=1, blocking=False)
    teen = FilterPolicy.for_band("12-15")
    out = model_reasons(high, [mild], teen, units=200, thresholds=calibrated, windows=8, window_exponent=1.0)
    assert out and out[0].blocking and out[0].severity == 2


@pytest.mark.parametrize(("exponent", "long_action"), [(1.0, "allow"), (0.0, "block")])
def test_the_engine_judges_long_texts_by_their_windows(exponent: float, long_action: str) -> None:
    tf = TextFilter([load_pack(TEST_PACK)], classifier=ConstantModel(window_exponent=exponent))
    short, long = tf.check_many([SENTENCE, SENTENCE * 8])  # 1 window; 208 letters = 3 windows (0.972 at e=1)
    assert short.action == "block" and [r.rule for r in short.reasons] == ["model:bullying_or_hate"]
    assert long.action == long_action


@pytest.mark.parametrize("content", ['{"thresholds": {"sexual": 0.9}, "window_exponent": -1}',
                                     '{"thresholds": {"sexual": 0.9}, "window_exponent": 9}',
                                     '{"thresholds": {"sexual": 0.9}, "window_exponent": "1"}',
                                     '{"thresholds": {"sexual": 0.9}, "window_exponent": true}'])
def test_bad_window_exponent_is_refused(tmp_path: Path, content: str) -> None:
    calibration = tmp_path / "calibration.json"
    calibration.write_text(content, encoding="utf-8")
    with pytest.raises(ModelError, match="window_exponent"):
        TextClassifier.load(MODEL_PATH, LABELS_PATH, calibration_path=calibration)


def test_calibration_without_exponent_keeps_one_threshold(tmp_path: Path) -> None:
    calibration = tmp_path / "calibration.json"
    calibration.write_text('{"thresholds": {"sexual": 0.9}}', encoding="utf-8")
    assert TextClassifier.load(MODEL_PATH, LABELS_PATH, calibration_path=calibration).window_exponent == 0.0


def test_shipped_exponent_meets_its_own_long_text_budgets() -> None:
    """calibration.json's exponent is the one models/long_text.py gives (chosen on the joined texts, or pinned
    since session 13): at it every label keeps each benign group's budget on the long calibration texts (within
    two texts when pinned), and without the rule (e = 0) they do not."""
    doc = json.loads(CALIBRATION_PATH.read_text(encoding="utf-8"))
    long_text, targets = doc["long_text"], doc["targets"]
    assert doc["window_exponent"] == long_text["exponent"] > 0
    assert TextClassifier.load(MODEL_PATH, LABELS_PATH).window_exponent == doc["window_exponent"]
    assert long_text["texts"]["benign"] >= 4 * 7 * 300
    # Since session 13 the exponent is pinned (models/long_text.WINDOW_EXPONENT): the data's choice is recorded and
    # may differ, by one or two joined texts per group and label at most (what moved it in session 12).
    slack = 0.0
    if "exponent_by_data" in long_text:
        assert doc["window_exponent"] == WINDOW_EXPONENT
        per_group = long_text["texts"]["benign_per_group_and_window_count"] * len(long_text["texts"]["window_counts"])
        slack = 2 / per_group + 1e-9

    def over_budget(figures: dict) -> list[tuple[str, str, float]]:
        out = []
        for group, by_label in figures["benign_block_rate"].items():
            budget = targets["benign_budget_per_label_and_language" if group.startswith("written")
                              else "real_benign_budget_per_label_and_language"] + slack
            out += [(group, label, rate) for label, rate in by_label.items() if rate > budget]
        return out

    assert over_budget(long_text["at_chosen_exponent"]) == []
    assert over_budget(long_text["at_exponent_0"])  # without the rule long benign texts exceed the budget


def test_choose_exponent_takes_the_lowest_that_keeps_the_budget() -> None:
    windows = np.array([8] * 100)
    groups = np.array(["real zh"] * 100)
    p = {"bullying_or_hate": np.array([0.97] * 10 + [0.5] * 90)}
    # 0.97 passes 1 - 0.085 * 8 ** -e for e < 0.505 (10% blocked), fails from e = 0.625 on (0%)
    assert choose_exponent(p, groups, windows, {"bullying_or_hate": 0.915}, {"real zh": 0.05}) == 0.625
    assert choose_exponent(p, groups, windows, {"bullying_or_hate": 0.915}, {"real zh": 0.10}) == 0.0
    p = {"bullying_or_hate": np.array([0.999] * 10 + [0.5] * 90)}  # above the cap: nothing helps
    assert choose_exponent(p, groups, windows, {"bullying_or_hate": 0.915}, {"real zh": 0.05}) == EXPONENT_GRID[-1]


def test_joined_calibration_texts_have_the_asked_window_count() -> None:
    group = BenignGroup("real zh", "zh", [SENTENCE[k:] + SENTENCE[:k] for k in range(30)], 0.04)  # 780 letters
    rng = np.random.default_rng(0)
    letters = group.letters()
    made = {n: [join_rows(group, letters, n, rng) for _ in range(30)] for n in (2, 5, 8)}
    for n, texts in made.items():
        kept = [t for t in texts if t is not None]
        assert len(kept) >= 10 and all(model_windows(t) == n for t in kept)
    hidden = join_rows(group, letters, 3, np.random.default_rng(1), first="HARMFUL ROW")
    assert hidden is None or "HARMFUL ROW" in hidden


def test_a_pinned_exponent_is_kept_and_the_datas_choice_recorded() -> None:
    """Session 13: calibration.json carries the pinned exponent whatever the joined texts say (a template change
    moved the data's choice 1.0 -> 1.125 in session 12); the data's choice is recorded beside it."""
    group = BenignGroup("real zh", "zh", [SENTENCE[k:] + SENTENCE[:k] for k in range(30)], 0.04)
    rows = [{"text": SENTENCE, "label": "bullying_or_hate", "lang": "zh"}]

    def score(texts: list[str]) -> list[dict[str, float]]:  # every long text at 0.97: only e >= 1.625 keeps it
        return [{"safe": 0.03, "bullying_or_hate": 0.97} for _ in texts]

    pinned = calibrate_exponent(score, rows, [group], {"zh": group}, {"bullying_or_hate": 0.915}, pinned=1.0)
    assert pinned["exponent"] == 1.0 and pinned["exponent_by_data"] > 1.0
    free = calibrate_exponent(score, rows, [group], {"zh": group}, {"bullying_or_hate": 0.915}, pinned=None)
    assert free["exponent"] == free["exponent_by_data"] == pinned["exponent_by_data"]
    assert WINDOW_EXPONENT == 1.0
