"""Regenerate the bad-model fixtures of tests/test_classifier.py (needs the train extra: tensorflow).

- float_model.tflite: a float32 (not quantised) model with the shipped model's input names and
  dynamic batch (ids int32[-1,256], scale float32[-1,1] -> 7 probabilities): refused as not int8.
- fixed_batch_model.tflite: a full-int8 model with the right names but a batch fixed at 1 (the
  pre-batching export): refused, the runtime needs a dynamic batch.
- old_inputs_model.tflite (committed, not regenerated here): the pre-batching input names
  ids + weights[1,256]: refused, it asks for a retrain.
Run: `.venv/bin/python tests/data/classifier/make_fixtures.py`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import tensorflow as tf

HERE = Path(__file__).resolve().parent


def _serve(batch: int | None):
    rng = np.random.default_rng(0)
    emb = tf.constant(rng.normal(size=(64, 4)).astype(np.float32))
    w = tf.constant(rng.normal(size=(4, 7)).astype(np.float32))

    @tf.function(input_signature=[tf.TensorSpec([batch, 256], tf.int32, name="ids"),
                                  tf.TensorSpec([batch, 1], tf.float32, name="scale")])
    def serve(ids, scale):
        bag = tf.reduce_sum(tf.gather(emb, ids % 64), axis=1) * scale
        return tf.nn.softmax(tf.matmul(bag, w))

    return serve


def main() -> None:
    conv = tf.lite.TFLiteConverter.from_concrete_functions([_serve(None).get_concrete_function()])
    (HERE / "float_model.tflite").write_bytes(conv.convert())

    def representative():
        rng = np.random.default_rng(1)
        for _ in range(20):
            yield [rng.integers(0, 64, (1, 256)).astype(np.int32), rng.uniform(0.06, 1, (1, 1)).astype(np.float32)]

    conv = tf.lite.TFLiteConverter.from_concrete_functions([_serve(1).get_concrete_function()])
    conv.optimizations = [tf.lite.Optimize.DEFAULT]
    conv.representative_dataset = representative
    conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    conv.inference_input_type = tf.int8
    conv.inference_output_type = tf.int8
    (HERE / "fixed_batch_model.tflite").write_bytes(conv.convert())


if __name__ == "__main__":
    main()
