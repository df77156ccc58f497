"""Class weights of the training recipe (models/train.py): the homophone copies do not count (session 13)."""

from __future__ import annotations

import numpy as np

from models.real_disguise import homophone_copies
from models.train import class_weights, is_homophone_copy


def test_class_weights_soften_imbalance() -> None:
    y = np.array([0] * 80 + [1] * 20)
    w = class_weights(y, 2)
    assert w[80] / w[0] == np.sqrt(80 / 20)  # inverse square root of the class frequency
    assert abs(w.mean() - 1.0) < 1e-6


def test_rows_left_out_of_the_count_do_not_shift_the_other_labels_weights() -> None:
    y = np.array([0] * 80 + [1] * 20)
    before = class_weights(y, 2)
    with_copies = np.concatenate([y, [0] * 60])  # 60 extra label-0 rows, e.g. homophone copies
    counted = np.arange(len(with_copies)) < len(y)
    after = class_weights(with_copies, 2, counted=counted)
    np.testing.assert_allclose(after[: len(y)], before, rtol=1e-6)
    assert after[len(y):].tolist() == [before[0]] * 60  # the copies get their label's weight
    counted_all = class_weights(with_copies, 2)  # counting the copies lowers label 0 and raises label 1
    assert counted_all[0] / counted_all[80] < before[0] / before[80]


def test_only_homophone_copies_are_left_out() -> None:
    rows = [{"text": f"你们这些人真是没救了{i}", "label": "bullying_or_hate", "lang": "zh", "source": "cold"}
            for i in range(20)]
    copies = homophone_copies(rows, 1.0, seed=1)
    assert copies and all(is_homophone_copy(c) for c in copies)
    assert not any(is_homophone_copy(r) for r in rows)
    assert not is_homophone_copy({"text": "x", "source": "cold+disguise"}) and not is_homophone_copy({"text": "x"})
