"""Training recipe of kidsafe's on-device text classifier (`make model`).

Steps, each shown with a progress display:
1. read the written corpus train split, COLD train minus its calibration 20% (models/dataset.py), the
   Davidson, SWSR and SMS training parts, and disguised copies of a share of the real Chinese rows
   (models/real_disguise.py, `--disguise`) and, with `--homophone F`, whole-sentence homophone copies of
   a share F of them (off by default);
2. featurize every row with filters/features.py (the batched code the device runs): the first window
   of every row and every window of the safe rows (later windows carry no word features);
3. train the network of models/network.py in Keras on 2 CPU threads:
   ids[256] -> Embedding(2**15 + 1, 32) summed bag * 1/sqrt(n) -> Dropout -> Dense(128, relu) ->
   Dense(7, softmax); at most --epochs epochs, keeping the epoch with the lowest loss on a 5%
   validation split of the training rows (the only model selection);
4. convert to a full-integer int8 TFLite model with a dynamic batch (representative dataset drawn
   from the training rows, short windows included): input "ids" int32[B,256] (bucket id + 1, 0 =
   padding), input "scale" int8[B,1] (quantised 1/sqrt(n)), output int8[B,7] (probabilities);
5. write models/kidsafe_text_int8.tflite and models/labels.json, choose the thresholds on the
   calibration rows (models/calibrate.py -> models/calibration.json), then the evaluation report
   (models/evaluate_model.py) on the held-out test templates and COLD dev using the int8 model.

Run: `make model`, or `python -m models.train [--epochs N]`. Needs the `train` extra (tensorflow-cpu).

ToxiCN (DUT-lujunyu/ToxiCN) is CC BY-NC-ND 4.0: no commercial use, no derivatives. kidsafe ships in
commercial devices, so neither the data nor a model trained on it is part of this repository, and
the shipped model is trained without it (see models/data/README.md).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
import zlib
from collections import Counter
from pathlib import Path

import numpy as np

from filters.features import Featurizer, featurizer_record
from filters.model_text import model_texts
from models import LABELS_PATH, MODEL_PATH
from models.benign_prose import package_sentences, prose_part, stdlib_sentences
from models.corpus import LABELS
from models.dataset import DataMissing, cold_rows, corpus_rows, split_cold_train
from models.davidson import DAVIDSON_PATH, davidson_rows
from models.network import build_model, to_tflite
from models.public_data import SOURCES as PUBLIC_SOURCES
from models.public_data import all_public_rows
from models.real_disguise import disguised_copies, homophone_copies

SEED = 2  # chosen in session 7 among seeds 1, 2 and 20231 by the validation loss alone (0.16112; 0.16883, 0.16700)
VAL_FRACTION = 0.05
REPRESENTATIVE_ROWS = 600
SHORT_REPRESENTATIVE = ("", "好", "ok", "你好", "谢谢你", "hello there", "天气怎么样")  # small n: scale up to 1.0
LEARNING_RATE = 5e-4
MAX_EPOCHS = 10
# Epochs without a lower validation loss before training stops (the best epoch is kept). 2 since session 6:
# with 1, one noisy epoch stopped some seeds at epoch 4 while others still improved at epoch 8.
PATIENCE = 2
# Weight-averaged soup (models/soup.py): off by default; session 11 trial, see models/MODEL_CARD.md.
SOUP_COPIES = 0
SOUP_BASE_EPOCHS = 5
REAL_SOURCES = frozenset({"cold", "davidson", *PUBLIC_SOURCES})  # messages people wrote (not our templates)
REAL_WEIGHT = 3.0  # their rows count this much more in the loss: real text is what the device meets
# Toneless-pinyin syllable features (filters/feature_pinyin.py: 河南/河楠 and "he nan" share ids). Written
# into labels.json ("featurizer": {"pinyin_syllables": ...}); the device's featurizer follows the model.
# On since session 6 (session 5's candidate D: disguised COLD dev +6 points at the same benign rate).
PINYIN_SYLLABLES = True


def _progress(iterable, total: int, desc: str):
    try:
        from tqdm import tqdm
    except ImportError:  # the train extra brings tqdm; plain counting otherwise
        print(f"{desc} ({total})", flush=True)
        return iterable
    return tqdm(iterable, total=total, desc=desc, unit="row", mininterval=0.5, file=sys.stdout)


def stage(n: int, text: str) -> None:
    print(f"[{n}/6] {text}", flush=True)


# Share of the real Chinese training rows (any label) also trained on in a disguised copy (0 = none).
# 0.35 since session 6 (session 5's candidate D; trials in models/MODEL_CARD.md).
DISGUISE_FRACTION = 0.35
DISGUISE_SEED = 0xD15
# Share of the real Chinese training rows also trained on in a whole-sentence homophone copy
# (models/real_disguise.homophone_copies; 0 = none; session 12).
HOMOPHONE_FRACTION = 0.0
# Homophone copies of the harmful rows only (`--homophone-harmful-only`; session 14 trial, off by default).
HOMOPHONE_HARMFUL_ONLY = False


def load_training_rows(allow_missing_corpus: bool, disguise: float = DISGUISE_FRACTION,
                       homophone: float = HOMOPHONE_FRACTION,
                       homophone_harmful_only: bool = HOMOPHONE_HARMFUL_ONLY) -> list[dict]:
    rows = split_cold_train(list(cold_rows("train")))[0]
    rows += list(davidson_rows("train"))
    rows += all_public_rows("train")
    real_zh = [r for r in rows if r.get("lang") == "zh"]
    rows += disguised_copies(real_zh, disguise, DISGUISE_SEED)
    rows += homophone_copies(real_zh, homophone, DISGUISE_SEED, harmful_only=homophone_harmful_only)
    rows += [r for r in prose_rows() if prose_part(r) == "train"]
    try:
        rows += corpus_rows("train")
    except DataMissing as exc:
        if not allow_missing_corpus:
            raise
        print(f"warning: {exc}; training on COLD only", flush=True)
    return with_model_text(rows)


def with_model_text(rows: list[dict]) -> list[dict]:
    """The rows as the device's model sees them: PII spans left out (filters/model_text.py)."""
    return [{**row, "text": text} if text != row["text"] else row
            for row, text in zip(rows, model_texts([row["text"] for row in rows]), strict=True)]


def in_validation(text: str) -> bool:
    """The fixed validation split (VAL_FRACTION of the rows, by a hash of the text): the same rows for
    every seed, so seeds can be compared on it (the only model selection: epoch and seed)."""
    return zlib.crc32(text.encode("utf-8"), 0x7A1) % 1000 < VAL_FRACTION * 1000


def prose_rows() -> list[dict]:
    """Benign English docstring rows of the installed libraries, minus any sentence the report's
    standard-library sample holds (that sample stays unseen)."""
    reported = set(stdlib_sentences())
    return [r for r in package_sentences() if r["text"] not in reported]


def featurize(texts: list[str], desc: str, every_window: list[bool] | None = None,
              chunk: int = 2048, pinyin: bool = PINYIN_SYLLABLES) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Model inputs (ids int32[W,256], scale float32[W,1]) and the row of each window: the first
    window of every text, and every window of the texts marked in `every_window` (safe rows: the
    later windows of a long text carry no word features, and the device scores them too); pinyin: with
    the syllable namespace."""
    feat = Featurizer(pinyin=pinyin)
    ids, scale, owner = [], [], []
    for start in _progress(range(0, len(texts), chunk), (len(texts) + chunk - 1) // chunk, desc):
        batch = feat.featurize_many(texts[start : start + chunk])
        first = np.zeros(len(batch.owner), dtype=bool)
        first[np.searchsorted(batch.owner, np.arange(len(texts[start : start + chunk])))] = True
        keep = first if every_window is None else first | np.asarray(every_window)[start + batch.owner]
        ids.append(batch.slots()[keep])
        scale.append((1.0 / np.sqrt(batch.counts[keep])).astype(np.float32)[:, None])
        owner.append(start + batch.owner[keep])
    return np.concatenate(ids), np.concatenate(scale), np.concatenate(owner)


def class_weights(y: np.ndarray, n_labels: int, counted: np.ndarray | None = None) -> np.ndarray:
    """Per-row weights that soften class imbalance (inverse square root of the class frequency). `counted`:
    the rows the class frequencies (and the mean the weights are scaled to) come from, None = all; the
    homophone copies are left out (session 13), so adding them does not lower the other labels' weight."""
    counted = np.ones(len(y), dtype=bool) if counted is None else np.asarray(counted, dtype=bool)
    counts = np.bincount(y[counted], minlength=n_labels).astype(np.float64)
    per_class = np.where(counts > 0, np.sqrt(counts.sum() / np.maximum(counts, 1) / n_labels), 0.0)
    return (per_class[y] / per_class[y[counted]].mean()).astype(np.float32)


def is_homophone_copy(row: dict) -> bool:
    """A whole-sentence homophone training copy (models/real_disguise.homophone_copies)."""
    return str(row.get("source", "")).endswith("+homophone")


def data_digests() -> dict[str, str]:
    """SHA-256 of each data file the model was trained and judged on (provenance in labels.json)."""
    from models.corpus import corpus_path
    from models.dataset import REPO_DIR, cold_file

    paths = [corpus_path("train"), corpus_path("heldout"), cold_file("train"), cold_file("dev"), DAVIDSON_PATH,
             *(source.derived for source in PUBLIC_SOURCES.values())]
    out = {}
    for path in paths:
        if path.exists():
            name = str(path.relative_to(REPO_DIR)) if path.is_relative_to(REPO_DIR) else str(path)
            out[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def labels_document(model_bytes: bytes, counts: dict[str, int], args: argparse.Namespace) -> dict:
    return {
        "labels": list(LABELS),
        "featurizer": featurizer_record(args.pinyin_syllables),
        "inputs": {
            "ids": "int32[B,256] hashed n-gram bucket id + 1 per distinct n-gram, 0 = padding (dynamic batch B)",
            "scale": "int8[B,1] quantised 1/sqrt(n), n = real ids of the window",
        },
        "output": "int8[B,7] class probabilities (dequantise with the tensor's scale/zero point)",
        "model_sha256": hashlib.sha256(model_bytes).hexdigest(),
        "training": {"rows_per_label": counts, "max_epochs": args.epochs,
                     "epochs_run": getattr(args, "epochs_run", None), "best_epoch": getattr(args, "best_epoch", None),
                     "val_loss": getattr(args, "val_loss", None),
                     "dim": args.dim, "disguise_fraction": getattr(args, "disguise", None),
                     **({"homophone_fraction": args.homophone} if getattr(args, "homophone", 0) else {}),
                     **({"homophone_harmful_only": True} if getattr(args, "homophone_harmful_only", False) else {}),
                     "hidden": args.hidden, "seed": args.seed, "data_sha256": data_digests(),
                     **({"soup": args.soup_record} if getattr(args, "soup_record", None) else {})},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m models.train", description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=MAX_EPOCHS, help="at most this many (early stopping)")
    parser.add_argument("--dim", type=int, default=32)
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--model", type=Path, default=MODEL_PATH)
    parser.add_argument("--labels", type=Path, default=LABELS_PATH)
    parser.add_argument("--allow-missing-corpus", action="store_true",
                        help="train on COLD alone when the written corpus is absent (development only)")
    parser.add_argument("--disguise", type=float, default=DISGUISE_FRACTION,
                        help="share of the real Chinese training rows also trained on in a disguised copy "
                             "(models/real_disguise.py; 0 = none)")
    parser.add_argument("--homophone", type=float, default=HOMOPHONE_FRACTION,
                        help="share of the real Chinese training rows also trained on in a whole-sentence homophone "
                             "copy (models/real_disguise.homophone_copies; 0 = none)")
    parser.add_argument("--homophone-harmful-only", action="store_true", default=HOMOPHONE_HARMFUL_ONLY,
                        help="homophone copies of the rows not labelled safe only (session 14 trial)")
    parser.add_argument("--soup", type=int, default=SOUP_COPIES, metavar="K",
                        help="train a shared base, fine-tune K copies from it with seeds SEED+1..SEED+K and average "
                             "their float weights (models/soup.py); 0 = one ordinary run")
    parser.add_argument("--soup-base-epochs", type=int, default=SOUP_BASE_EPOCHS,
                        help="epochs of the shared base before the copies (the copies get the rest of --epochs)")
    parser.add_argument("--soup-start", type=Path, default=None, metavar="MODEL.tflite",
                        help="start the soup's copies from this int8 model's dequantised weights instead of a base")
    parser.add_argument("--soup-lr", type=float, default=LEARNING_RATE, help="learning rate of the soup's copies")
    parser.add_argument("--soup-parts", type=Path, default=None, metavar="DIR",
                        help="also write each soup copy as DIR/seedS/kidsafe_text_int8.tflite + labels.json "
                             "(to compare the soup with its parts)")
    parser.add_argument("--no-eval", action="store_true", help="skip the evaluation report")
    parser.add_argument("--pinyin-syllables", action=argparse.BooleanOptionalAction, default=PINYIN_SYLLABLES,
                        help=f"toneless-pinyin syllable features (default {PINYIN_SYLLABLES}: PINYIN_SYLLABLES)")
    args = parser.parse_args(argv)

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    started = time.monotonic()
    stage(1, "reading the training data")
    try:
        rows = load_training_rows(args.allow_missing_corpus, args.disguise, args.homophone,
                                  args.homophone_harmful_only)
    except DataMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    label_index = {label: i for i, label in enumerate(LABELS)}
    counts = Counter(row["label"] for row in rows)
    print("  rows per label: " + ", ".join(f"{k}={counts.get(k, 0)}" for k in LABELS), flush=True)

    stage(2, "featurizing")
    ids, scale, owner = featurize([row["text"] for row in rows], "featurize train",
                                  every_window=[row["label"] == "safe" for row in rows], pinyin=args.pinyin_syllables)
    y = np.array([label_index[row["label"]] for row in rows], dtype=np.int32)[owner]
    real = np.array([row.get("source") in REAL_SOURCES for row in rows])[owner]
    copy = np.array([is_homophone_copy(row) for row in rows])[owner]
    print(f"  {len(y)} windows from {len(rows)} rows", flush=True)

    stage(3, f"training {args.epochs} epochs on 2 CPU threads")
    import keras
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(2)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    keras.utils.set_random_seed(args.seed)
    tf.config.experimental.enable_op_determinism()
    rng = np.random.default_rng(args.seed)
    in_val = np.array([in_validation(row["text"]) for row in rows])  # by row: all windows of a row on one side
    val, train = np.flatnonzero(in_val[owner]), rng.permutation(np.flatnonzero(~in_val[owner]))
    weights = np.zeros(len(y), dtype=np.float32)  # per window; only the training windows' entries are used
    weights[train] = (class_weights(y[train], len(LABELS), counted=~copy[train])
                      * np.where(real[train], REAL_WEIGHT, 1.0).astype(np.float32))

    def make_model(lr: float = LEARNING_RATE):
        model = build_model(len(LABELS), args.dim, args.hidden)
        model.compile(optimizer=keras.optimizers.Adam(lr), loss="sparse_categorical_crossentropy",
                      weighted_metrics=["accuracy"])
        return model

    def fit(model, seed: int, epochs: int) -> dict:
        order = train if seed == args.seed else np.random.default_rng(seed).permutation(train)
        stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=PATIENCE, restore_best_weights=True)
        return model.fit(
            [ids[order], scale[order]], y[order], sample_weight=weights[order],
            validation_data=([ids[val], scale[val]], y[val]), callbacks=[stop],
            batch_size=64, epochs=epochs, shuffle=True, verbose=1 if sys.stdout.isatty() else 2,
        ).history

    if args.soup:
        from models.soup import train_soup, weights_from_tflite

        def evaluate(model) -> float:
            return float(model.evaluate([ids[val], scale[val]], y[val], batch_size=1024, verbose=0)[0])

        seeds = [args.seed + 1 + k for k in range(args.soup)]
        start = weights_from_tflite(args.soup_start) if args.soup_start else None
        copy_epochs = args.epochs if start is not None else args.epochs - args.soup_base_epochs
        soup = train_soup(lambda: make_model(args.soup_lr), fit, evaluate, args.seed, seeds, args.soup_base_epochs,
                          copy_epochs, start=start)
        model = soup.model
        args.epochs_run = max(soup.part_best_epoch)
        args.best_epoch = soup.part_best_epoch
        args.val_loss = soup.val_loss
        args.soup_record = {"copies": args.soup, "base_epochs": 0 if start is not None else args.soup_base_epochs,
                            "start": str(args.soup_start) if start is not None else None, "lr": args.soup_lr,
                            "copy_seeds": seeds,
                            "base_val_loss": round(soup.base_val_loss, 5), "copy_val_loss": soup.part_val_loss}
    else:
        model = make_model()
        history = fit(model, args.seed, args.epochs)
        args.epochs_run = len(history["loss"])
        args.best_epoch = int(np.argmin(history["val_loss"])) + 1
        args.val_loss = round(float(np.min(history["val_loss"])), 5)
    print(f"  validation loss {args.val_loss} (epoch {args.best_epoch}); compare seeds on it", flush=True)

    stage(4, "converting to a full-integer int8 TFLite model (dynamic batch)")
    rep = rng.choice(train, size=min(REPRESENTATIVE_ROWS, len(train)), replace=False)
    short_ids, short_scale, _ = featurize(list(SHORT_REPRESENTATIVE), "featurize short", pinyin=args.pinyin_syllables)
    rep_ids, rep_scale = np.concatenate([ids[rep], short_ids]), np.concatenate([scale[rep], short_scale])
    model_bytes = to_tflite(model, rep_ids, rep_scale)
    args.model.parent.mkdir(parents=True, exist_ok=True)
    args.model.write_bytes(model_bytes)
    doc = labels_document(model_bytes, {k: counts.get(k, 0) for k in LABELS}, args)
    args.labels.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"  wrote {args.model} ({len(model_bytes) / 1024:.0f} KiB) and {args.labels}", flush=True)
    if args.soup and args.soup_parts:
        for seed, part in zip(args.soup_record["copy_seeds"], soup.parts, strict=True):
            single = make_model()
            single.set_weights(part)
            part_bytes = to_tflite(single, rep_ids, rep_scale)
            out = args.soup_parts / f"seed{seed}"
            out.mkdir(parents=True, exist_ok=True)
            (out / "kidsafe_text_int8.tflite").write_bytes(part_bytes)
            part_doc = labels_document(part_bytes, {k: counts.get(k, 0) for k in LABELS}, args)
            part_json = json.dumps(part_doc, ensure_ascii=False, indent=2) + "\n"
            (out / "labels.json").write_text(part_json, encoding="utf-8")

    stage(5, "choosing the thresholds on the calibration rows")
    from models.calibrate import main as calibrate

    calibrate(["--model", str(args.model), "--labels", str(args.labels),
               "--out", str(args.model.with_name("calibration.json"))])
    if args.no_eval:
        print(f"done in {time.monotonic() - started:.0f} s", flush=True)
        return 0
    stage(6, "evaluating the int8 model")
    from models.evaluate_model import main as evaluate

    code = evaluate(["--model", str(args.model), "--labels", str(args.labels)])
    print(f"done in {time.monotonic() - started:.0f} s", flush=True)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
