"""Regenerate the bad-model fixtures of tests/test_classifier.py (needs the train extra: tensorflow).

float_model.tflite: a float32 (not quantised) model with the shipped model's input names and shapes
(ids int32[1,256], weights float32[1,256] -> 7 probabilities); the runtime must refuse it as not int8.
Run: `.venv/bin/python tests/data/classifier/make_fixtures.py`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import tensorflow as tf

HERE = Path(__file__).resolve().parent


def main() -> None:
    rng = np.random.default_rng(0)
    emb = tf.constant(rng.normal(size=(64, 4)).astype(np.float32))
    w = tf.constant(rng.normal(size=(4, 7)).astype(np.float32))

    @tf.function(input_signature=[tf.TensorSpec([1, 256], tf.int32, name="ids"),
                                  tf.TensorSpec([1, 256], tf.float32, name="weights")])
    def serve(ids, weights):
        bag = tf.reduce_sum(tf.gather(emb, ids % 64) * tf.expand_dims(weights, -1), axis=1)
        return tf.nn.softmax(tf.matmul(bag, w))

    conv = tf.lite.TFLiteConverter.from_concrete_functions([serve.get_concrete_function()])
    (HERE / "float_model.tflite").write_bytes(conv.convert())


if __name__ == "__main__":
    main()
