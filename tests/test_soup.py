"""Weight-averaged training (models/soup.py): the average is element-wise, copies start from the base, and the
recipe stays off unless asked for (models/train.py SOUP_COPIES)."""

from __future__ import annotations

import numpy as np
import pytest

from models.soup import average_weights, train_soup


def test_average_is_elementwise_mean() -> None:
    a = [np.array([[1.0, 2.0], [3.0, 4.0]], dtype=np.float32), np.array([0.0, 2.0], dtype=np.float32)]
    b = [np.array([[3.0, 2.0], [1.0, 0.0]], dtype=np.float32), np.array([4.0, -2.0], dtype=np.float32)]
    out = average_weights([a, b])
    np.testing.assert_array_equal(out[0], [[2.0, 2.0], [2.0, 2.0]])
    np.testing.assert_array_equal(out[1], [2.0, 0.0])
    assert out[0].dtype == np.float32


def test_average_refuses_mismatched_weights() -> None:
    with pytest.raises(ValueError):
        average_weights([])
    with pytest.raises(ValueError):
        average_weights([[np.zeros(2)], [np.zeros(2), np.zeros(2)]])
    with pytest.raises(ValueError):
        average_weights([[np.zeros(2)], [np.zeros(3)]])


class FakeModel:
    """Stands in for a Keras model: one weight vector; fit adds the seed to it."""

    def __init__(self) -> None:
        self.w = [np.zeros(3, dtype=np.float32)]

    def get_weights(self) -> list[np.ndarray]:
        return [x.copy() for x in self.w]

    def set_weights(self, w: list[np.ndarray]) -> None:
        self.w = [x.copy() for x in w]


def test_copies_start_from_the_base_and_are_averaged() -> None:
    calls = []
    seeded = []

    def fit(model: FakeModel, seed: int, epochs: int) -> dict:
        calls.append((seed, epochs, model.w[0].copy()))
        model.w[0] += seed
        return {"val_loss": [1.0, 0.5, 0.7][:epochs]}

    result = train_soup(FakeModel, fit, lambda m: float(m.w[0][0]), base_seed=10, copy_seeds=[1, 2, 6],
                        base_epochs=2, copy_epochs=3, set_seed=seeded.append)
    assert seeded == [10, 1, 2, 6]  # every model is made after its own seed (no keras needed here)
    assert [c[:2] for c in calls] == [(10, 2), (1, 3), (2, 3), (6, 3)]
    for _, _, start in calls[1:]:  # every copy starts from the trained base, not from scratch
        np.testing.assert_array_equal(start, [10.0, 10.0, 10.0])
    np.testing.assert_array_equal(result.model.w[0], [13.0, 13.0, 13.0])  # 10 + mean(1, 2, 6)
    assert result.val_loss == 13.0 and result.part_val_loss == [11.0, 12.0, 16.0]
    assert result.part_best_epoch == [4, 4, 4]  # base epochs + the copy's best epoch


def test_soup_is_off_by_default() -> None:
    from models import train

    assert train.SOUP_COPIES == 0
