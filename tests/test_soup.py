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


def test_shipped_model_weights_dequantise_to_the_same_scores() -> None:
    """--soup-start reads the shipped int8 model back into the float network: the float forward pass of
    models/network.py on those weights gives the shipped probabilities (within a few int8 output steps), so the
    copies fine-tune from the shipped model and not from a garbled one."""
    from filters.classifier import TextClassifier
    from models import MODEL_PATH
    from models.soup import weights_from_tflite
    from models.train import featurize

    texts = ["恐龙是怎么灭绝的", "哥哥给你买皮肤，你发张自拍来", "how do volcanoes erupt", "你这种人活着有什么意思",
             "扫码领免费皮肤 需要爸妈的支付密码"]
    emb, w1, b1, w2, b2 = weights_from_tflite(MODEL_PATH)
    assert emb.shape == (32769, 32) and w1.shape == (32, 128) and w2.shape == (128, 7)
    ids, scale, _ = featurize(texts, "test")
    hidden = np.maximum((emb[ids].sum(axis=1) * scale) @ w1 + b1, 0.0)
    logits = hidden @ w2 + b2
    floats = np.exp(logits - logits.max(axis=1, keepdims=True))
    floats /= floats.sum(axis=1, keepdims=True)
    clf = TextClassifier.load(MODEL_PATH)
    for row, scores in zip(floats, clf.predict_many(texts), strict=True):
        np.testing.assert_allclose(row, [scores[k] for k in clf.labels], atol=0.02)
