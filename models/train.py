"""Training recipe of kidsafe's on-device text classifier (`make model`).

Steps, each shown with a progress display:
1. read the written corpus train split and COLD train (models/dataset.py);
2. featurize every row with filters/features.py (the same code the device runs);
3. train a hashed embedding-bag network in Keras on 2 CPU threads:
   ids[256] -> Embedding(2**15, 32) weighted-sum bag -> Dropout -> Dense(128, relu) -> Dense(7, softmax);
4. convert to a full-integer int8 TFLite model (TFLiteConverter, representative dataset drawn from
   the training rows): int8 weights and activations, input "ids" int32[1,256] (bucket indices),
   input "weights" int8[1,256] (quantised 1/sqrt(n) bag weights), output int8[1,7] (probabilities);
5. write models/kidsafe_text_int8.tflite and models/labels.json, then the evaluation report
   (models/evaluate_model.py) on the held-out split and COLD dev using the int8 model.

Run: `make model`, or `python -m models.train [--epochs N]`. Needs the `train` extra (tensorflow-cpu).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

from filters.features import FEATURE_VERSION, MAX_FEATURES, N_BUCKETS, Featurizer, fold_table_digest
from models import LABELS_PATH, MODEL_PATH
from models.corpus import LABELS
from models.dataset import DataMissing, cold_rows, corpus_rows

SEED = 20231
VAL_FRACTION = 0.05
REPRESENTATIVE_ROWS = 600
FEATURE_DROPOUT = 0.5
LEARNING_RATE = 5e-4


def _progress(iterable, total: int, desc: str):
    try:
        from tqdm import tqdm
    except ImportError:  # the train extra brings tqdm; plain counting otherwise
        print(f"{desc} ({total})", flush=True)
        return iterable
    return tqdm(iterable, total=total, desc=desc, unit="row", mininterval=0.5, file=sys.stdout)


def stage(n: int, text: str) -> None:
    print(f"[{n}/5] {text}", flush=True)


def load_training_rows(allow_missing_corpus: bool) -> list[dict]:
    rows = list(cold_rows("train"))
    try:
        rows += corpus_rows("train")
    except DataMissing as exc:
        if not allow_missing_corpus:
            raise
        print(f"warning: {exc}; training on COLD only", flush=True)
    return rows


def featurize(rows: list[dict], desc: str) -> tuple[np.ndarray, np.ndarray]:
    feat = Featurizer()
    ids = np.zeros((len(rows), MAX_FEATURES), dtype=np.int32)
    weights = np.zeros((len(rows), MAX_FEATURES), dtype=np.float32)
    for i, row in enumerate(_progress(rows, len(rows), desc)):
        ids[i], weights[i] = feat.featurize_first(row["text"])
    return ids, weights


def class_weights(y: np.ndarray, n_labels: int) -> np.ndarray:
    """Per-row weights that soften class imbalance (inverse square root of the class frequency)."""
    counts = np.bincount(y, minlength=n_labels).astype(np.float64)
    per_class = np.where(counts > 0, np.sqrt(counts.sum() / np.maximum(counts, 1) / n_labels), 0.0)
    return (per_class[y] / per_class[y].mean()).astype(np.float32)


def build_model(n_labels: int, dim: int, hidden: int, feature_dropout: float = FEATURE_DROPOUT):
    """The float network; feature dropout drops whole n-grams while training (better on new phrasings)."""
    import keras

    ids = keras.Input((MAX_FEATURES,), dtype="int32", name="ids")
    weights = keras.Input((MAX_FEATURES,), dtype="float32", name="weights")
    emb = keras.layers.Embedding(N_BUCKETS, dim, name="embedding")(ids)
    kept = keras.layers.Dropout(feature_dropout)(weights) if feature_dropout else weights
    bag = keras.ops.sum(emb * keras.ops.expand_dims(kept, -1), axis=1)
    x = keras.layers.Dropout(0.25)(bag)
    x = keras.layers.Dense(hidden, activation="relu", name="hidden")(x)
    x = keras.layers.Dropout(0.25)(x)
    out = keras.layers.Dense(n_labels, activation="softmax", name="probs")(x)
    return keras.Model([ids, weights], out)


def to_tflite(model, rep_ids: np.ndarray, rep_weights: np.ndarray) -> bytes:
    """Full-integer int8 conversion of the trained network, rebuilt from frozen constants."""
    import tensorflow as tf

    emb = tf.constant(model.get_layer("embedding").get_weights()[0])
    w1, b1 = (tf.constant(v) for v in model.get_layer("hidden").get_weights())
    w2, b2 = (tf.constant(v) for v in model.get_layer("probs").get_weights())

    @tf.function(input_signature=[
        tf.TensorSpec([1, MAX_FEATURES], tf.int32, name="ids"),
        tf.TensorSpec([1, MAX_FEATURES], tf.float32, name="weights"),
    ])
    def serve(ids, weights):
        bag = tf.reduce_sum(tf.gather(emb, ids) * tf.expand_dims(weights, -1), axis=1)
        hidden = tf.nn.relu(tf.matmul(bag, w1) + b1)
        return tf.nn.softmax(tf.matmul(hidden, w2) + b2)

    def representative():
        for i in range(len(rep_ids)):
            yield [rep_ids[i : i + 1], rep_weights[i : i + 1]]

    conv = tf.lite.TFLiteConverter.from_concrete_functions([serve.get_concrete_function()])
    conv.optimizations = [tf.lite.Optimize.DEFAULT]
    conv.representative_dataset = representative
    conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    conv.inference_input_type = tf.int8
    conv.inference_output_type = tf.int8
    return conv.convert()


def data_digests() -> dict[str, str]:
    """SHA-256 of each data file the model was trained and judged on (provenance in labels.json)."""
    from models.corpus import corpus_path
    from models.dataset import REPO_DIR, cold_file

    paths = [corpus_path("train"), corpus_path("heldout"), cold_file("train"), cold_file("dev")]
    out = {}
    for path in paths:
        if path.exists():
            name = str(path.relative_to(REPO_DIR)) if path.is_relative_to(REPO_DIR) else str(path)
            out[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def labels_document(model_bytes: bytes, counts: dict[str, int], args: argparse.Namespace) -> dict:
    return {
        "labels": list(LABELS),
        "featurizer": {
            "module": "filters.features",
            "version": FEATURE_VERSION,
            "n_buckets": N_BUCKETS,
            "max_features": MAX_FEATURES,
            "fold_sha256": fold_table_digest(),
        },
        "inputs": {
            "ids": "int32[1,256] hashed n-gram bucket ids, 0-padded",
            "weights": "int8[1,256] quantised bag weights 1/sqrt(n), 0 on padding",
        },
        "output": "int8[1,7] class probabilities (dequantise with the tensor's scale/zero point)",
        "model_sha256": hashlib.sha256(model_bytes).hexdigest(),
        "training": {"rows_per_label": counts, "epochs": args.epochs, "dim": args.dim,
                     "hidden": args.hidden, "seed": args.seed, "data_sha256": data_digests()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m models.train", description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--dim", type=int, default=32)
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--model", type=Path, default=MODEL_PATH)
    parser.add_argument("--labels", type=Path, default=LABELS_PATH)
    parser.add_argument("--allow-missing-corpus", action="store_true",
                        help="train on COLD alone when the written corpus is absent (development only)")
    parser.add_argument("--no-eval", action="store_true", help="skip the evaluation report")
    args = parser.parse_args(argv)

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    started = time.monotonic()
    stage(1, "reading the training data")
    try:
        rows = load_training_rows(args.allow_missing_corpus)
    except DataMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    label_index = {label: i for i, label in enumerate(LABELS)}
    counts = Counter(row["label"] for row in rows)
    print("  rows per label: " + ", ".join(f"{k}={counts.get(k, 0)}" for k in LABELS), flush=True)

    stage(2, "featurizing")
    ids, weights = featurize(rows, "featurize train")
    y = np.array([label_index[row["label"]] for row in rows], dtype=np.int32)

    stage(3, f"training {args.epochs} epochs on 2 CPU threads")
    import keras
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(2)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    keras.utils.set_random_seed(args.seed)
    tf.config.experimental.enable_op_determinism()
    rng = np.random.default_rng(args.seed)
    order = rng.permutation(len(rows))
    n_val = int(len(rows) * VAL_FRACTION)
    val, train = order[:n_val], order[n_val:]
    model = build_model(len(LABELS), args.dim, args.hidden)
    model.compile(optimizer=keras.optimizers.Adam(LEARNING_RATE), loss="sparse_categorical_crossentropy",
                  weighted_metrics=["accuracy"])
    model.fit(
        [ids[train], weights[train]], y[train], sample_weight=class_weights(y[train], len(LABELS)),
        validation_data=([ids[val], weights[val]], y[val]),
        batch_size=64, epochs=args.epochs, shuffle=True, verbose=1 if sys.stdout.isatty() else 2,
    )

    stage(4, "converting to a full-integer int8 TFLite model")
    rep = rng.choice(train, size=min(REPRESENTATIVE_ROWS, len(train)), replace=False)
    model_bytes = to_tflite(model, ids[rep], weights[rep])
    args.model.parent.mkdir(parents=True, exist_ok=True)
    args.model.write_bytes(model_bytes)
    doc = labels_document(model_bytes, {k: counts.get(k, 0) for k in LABELS}, args)
    args.labels.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"  wrote {args.model} ({len(model_bytes) / 1024:.0f} KiB) and {args.labels}", flush=True)

    if args.no_eval:
        print(f"done in {time.monotonic() - started:.0f} s", flush=True)
        return 0
    stage(5, "evaluating the int8 model")
    from models.evaluate_model import main as evaluate

    code = evaluate(["--model", str(args.model), "--labels", str(args.labels)])
    print(f"done in {time.monotonic() - started:.0f} s", flush=True)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
