"""models/operating_point.py: the whole-filter verdict at a threshold, and the calibration grid's floor."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from models.calibrate import choose_threshold
from models.operating_point import set_figures

LONG = "这是一句足够长的中文句子"  # 12 units: the model may block it alone
SHORT = "你好呀"  # 3 units: it may not


class WordsOnly:
    def __init__(self, actions: dict[str, str]) -> None:
        self.actions = actions

    def check_many(self, texts: list[str]) -> list[SimpleNamespace]:
        return [SimpleNamespace(action=self.actions.get(t, "allow")) for t in texts]


class Model:
    def __init__(self, scores: dict[str, float]) -> None:
        self.scores = scores

    def predict_many(self, texts: list[str]) -> list[dict[str, float]]:
        return [{"safe": 1 - self.scores.get(t, 0.0), "fraud": self.scores.get(t, 0.0)} for t in texts]


def test_model_blocks_alone_only_long_texts_at_or_above_the_threshold() -> None:
    texts = [LONG, SHORT, LONG + "。", "我的电话是13912345678，今天天气很好"]
    harmful = np.array([True, True, False, False])
    model = Model({LONG: 0.85, SHORT: 0.99, LONG + "。": 0.80})
    words = WordsOnly({"我的电话是13912345678，今天天气很好": "redact"})
    out = set_figures(model, words, texts, harmful, {"0.90": {"fraud": 0.90}, "0.80": {"fraud": 0.80}})
    assert out["0.90"] == (0, 2, 1, 2)  # the redaction counts as flagged; the short text is never blocked by the model
    assert out["0.80"] == (1, 2, 2, 2)


def test_words_block_whatever_the_threshold() -> None:
    out = set_figures(Model({}), WordsOnly({SHORT: "block"}), [SHORT], np.array([True]), {"0.90": {"fraud": 0.9}})
    assert out["0.90"] == (1, 1, 0, 0)


def test_choose_threshold_starts_at_the_given_floor() -> None:
    p = np.array([0.95, 0.86, 0.5])
    harmful = np.array([True, True, False])
    eligible = np.ones(3, dtype=bool)
    benign = [(~harmful, 0.0)]
    assert choose_threshold(p, harmful, benign, eligible) == 0.90
    grid = np.round(np.arange(0.80, 0.99, 0.005), 3)
    assert choose_threshold(p, harmful, benign, eligible, grid) == 0.80
    assert choose_threshold(np.array([0.95, 0.86, 0.83]), harmful, benign, eligible, grid) == 0.835  # the budget binds


def test_a_point_with_a_window_exponent_asks_more_of_long_texts() -> None:
    long_text = LONG * 20  # 240 letters: 4 windows, 1 - 0.1 / 4 = 0.975 at exponent 1
    model = Model({long_text: 0.95, LONG: 0.95})
    th = {"0.90": {"fraud": 0.90}, "0.90@1": {"fraud": 0.90}}
    out = set_figures(model, WordsOnly({}), [long_text, LONG], np.array([True, True]), th, {"0.90@1": 1.0})
    assert out["0.90"] == (2, 2, 0, 0) and out["0.90@1"] == (1, 2, 0, 0)
