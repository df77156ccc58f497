"""models/compare_filter.py: the ROC AUC it reports and where it finds a candidate's files."""

from __future__ import annotations

from pathlib import Path

import pytest

from models import MODEL_PATH
from models.compare_filter import _model_paths, auc


def test_auc_matches_the_pairwise_definition():
    score = [0.9, 0.8, 0.8, 0.3, 0.1, 0.8]
    harmful = [True, True, False, True, False, False]
    pairs = [(s, t) for s, h in zip(score, harmful, strict=True) if h
             for t, g in zip(score, harmful, strict=True) if not g]
    expected = sum(1.0 if s > t else 0.5 if s == t else 0.0 for s, t in pairs) / len(pairs)
    assert auc(score, harmful) == pytest.approx(expected)
    assert auc([0.1, 0.9], [False, True]) == 1.0 and auc([0.9, 0.1], [False, True]) == 0.0


def test_a_candidate_folder_holds_its_labels_and_calibration(tmp_path: Path):
    assert _model_paths("shipped") == (MODEL_PATH, MODEL_PATH.with_name("labels.json"))
    model, labels = _model_paths(str(tmp_path))
    assert model == tmp_path / MODEL_PATH.name and labels == tmp_path / "labels.json"
