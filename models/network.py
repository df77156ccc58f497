"""The classifier network: the Keras training graph and its full-integer int8 TFLite export.

Inputs of both graphs (filters/features.Batch gives them):
- "ids" int32[B, 256]: hashed n-gram bucket id + 1 per distinct n-gram of a window, 0 = padding;
- "scale" [B, 1]: 1/sqrt(n) for the window's n real ids (float in training, int8 in the export).

bag = scale * sum(E[ids]) with E's row 0 fixed at zero: the 256 looked-up embeddings are summed
first and the 32 sums scaled once (the old graph multiplied all 256x32 values by a per-row weight,
52% of an invoke). Then Dense(hidden, ReLU) -> Dense(labels, softmax). The batch dimension is
dynamic: the runtime resizes it and scores every window of a batch in one invoke. The ids width may
be resized too (filters/classifier.py trims each group of windows to its largest id count): a padding
row is exactly the table's zero point and the int8 SUM subtracts width x zero point, so any width >= the
real ids gives the same int8 outputs (tests/test_classifier_speed.py checks it on the shipped model).
Keep that property in any new export: padding must stay an all-zero embedding row fed through a sum.
"""

from __future__ import annotations

import numpy as np

from filters.features import MAX_FEATURES, N_BUCKETS

FEATURE_DROPOUT = 0.5


def build_model(n_labels: int, dim: int, hidden: int, feature_dropout: float = FEATURE_DROPOUT):
    """The float training network; feature dropout drops whole n-grams (better on new phrasings)."""
    import keras

    ids = keras.Input((MAX_FEATURES,), dtype="int32", name="ids")
    scale = keras.Input((1,), dtype="float32", name="scale")
    emb = keras.layers.Embedding(N_BUCKETS + 1, dim, name="embedding")(ids)
    real = keras.ops.cast(keras.ops.greater(ids, 0), "float32")  # row 0 never contributes
    kept = keras.layers.Dropout(feature_dropout)(real) if feature_dropout else real
    bag = keras.ops.sum(emb * keras.ops.expand_dims(kept, -1), axis=1) * scale
    x = keras.layers.Dropout(0.25)(bag)
    x = keras.layers.Dense(hidden, activation="relu", name="hidden")(x)
    x = keras.layers.Dropout(0.25)(x)
    out = keras.layers.Dense(n_labels, activation="softmax", name="probs")(x)
    return keras.Model([ids, scale], out)


def to_tflite(model, rep_ids: np.ndarray, rep_scale: np.ndarray) -> bytes:
    """Full-integer int8 conversion with a dynamic batch: sum first, scale the bag once."""
    import tensorflow as tf

    table = model.get_layer("embedding").get_weights()[0].copy()
    table[0] = 0.0  # padding; training masked it out, so this changes no score
    emb = tf.constant(table)
    w1, b1 = (tf.constant(v) for v in model.get_layer("hidden").get_weights())
    w2, b2 = (tf.constant(v) for v in model.get_layer("probs").get_weights())

    @tf.function(input_signature=[
        tf.TensorSpec([None, MAX_FEATURES], tf.int32, name="ids"),
        tf.TensorSpec([None, 1], tf.float32, name="scale"),
    ])
    def serve(ids, scale):
        bag = tf.reduce_sum(tf.gather(emb, ids), axis=1) * scale
        hidden = tf.nn.relu(tf.matmul(bag, w1) + b1)
        return tf.nn.softmax(tf.matmul(hidden, w2) + b2)

    def representative():
        for i in range(len(rep_ids)):
            yield [rep_ids[i : i + 1], rep_scale[i : i + 1]]

    conv = tf.lite.TFLiteConverter.from_concrete_functions([serve.get_concrete_function()])
    conv.optimizations = [tf.lite.Optimize.DEFAULT]
    conv.representative_dataset = representative
    conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    conv.inference_input_type = tf.int8
    conv.inference_output_type = tf.int8
    return conv.convert()
