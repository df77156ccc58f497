"""The model half's fast paths (issue 10) score every window exactly as the per-window reference does.

The reference: each window's ids from `window_ids` (the per-window hashing, syllables on as the shipped
model's labels say) made distinct by `Featurizer.distinct`, invoked one window at a time 256 ids wide.
The fast path: `TextClassifier.predict_many` (Featurizer.slots_many: the model's input written by the
vectorised hashing, windows grouped by id count, trimmed widths) and `predict` (one text). The outputs
compared are the dequantised int8 outputs, (q - zero) * scale, a one-to-one map of the int8 values, so
equal floats are equal int8 scores. Texts: the eval sets shipped in the repository (dev, the extra
harmful and trap sets, four public samples), a few thousand lines, plus long and odd texts.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from filters.classifier import TextClassifier
from filters.feature_batch import hash_pack_many, hash_slots_many
from filters.features import MAX_FEATURES, Featurizer, window_ids
from models import LABELS_PATH, MODEL_PATH

REPO = Path(__file__).resolve().parent.parent
EVAL = REPO / "filters" / "data" / "eval"
EVAL_SETS = [REPO.parent / "shared" / "eval" / "dev.jsonl", EVAL / "extra_harmful.jsonl", EVAL / "extra_traps.jsonl",
             *(EVAL / "public" / f"{name}.jsonl" for name in ("classical_canon", "davidson_tweets", "sms_spam",
                                                              "swsr_comments"))]
ODD = ["", " ", "a", "好", "x" * 5000, "好" * 3000, "😀" * 80, " ".join(f"ni{i}x hao" for i in range(150)),
       "今天我们在学校学习了数学和语文" * 9 + " ni ma si le", "黃色 小說 r3tard se情 约pao", "a1 " * 500,
       " ".join(["the cat sat"] * 60), "河" * 40 + "nan" * 40]


@pytest.fixture(scope="module")
def clf() -> TextClassifier:
    return TextClassifier.load(MODEL_PATH, LABELS_PATH)


@pytest.fixture(scope="module")
def texts() -> list[str]:
    out = [json.loads(line)["text"] for path in EVAL_SETS if path.exists()
           for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(out) >= 2_000
    return out + ODD


def _reference_windows(clf: TextClassifier, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Every window's output from the per-window reference ids, one 256-wide invoke a window; owner."""
    feat = clf._featurizer
    rows, owner = [], []
    for i, text in enumerate(texts):
        for views in feat.windows(text):
            rows.append(Featurizer.distinct(window_ids(views, feat.syllables)))
            owner.append(i)
    out = []
    with clf._lock:
        clf._ensure_interpreter()
        for ids in rows:
            slots = np.zeros((1, MAX_FEATURES), dtype=np.int32)
            slots[0, : len(ids)] = ids + 1
            out.append(clf._invoke(slots, np.array([len(ids)], dtype=np.int32)))
    return np.concatenate(out), np.array(owner)


def test_predict_many_gives_the_reference_scores(clf: TextClassifier, texts: list[str]) -> None:
    assert clf._featurizer.syllables is not None  # the shipped model reads the syllable namespace
    probs, owner = _reference_windows(clf, texts)
    safe = clf.labels.index("safe")
    expected = []
    for i in range(len(texts)):
        rows = np.flatnonzero(owner == i)
        head = rows[np.argmin(probs[rows, safe])]  # the first window least likely safe
        expected.append(dict(zip(clf.labels, probs[head].astype(np.float64).tolist(), strict=True)))
    got = []
    for start in range(0, len(texts), 512):  # as check_many and the CLI call it
        got += clf.predict_many(texts[start : start + 512])
    assert got == expected
    assert [clf.predict(t) for t in texts[::7]] == expected[::7]


def test_slots_many_is_the_batch_s_model_input(clf: TextClassifier, texts: list[str]) -> None:
    """slots_many (hashing straight into the model's input) equals featurize_many(...).slots(), and
    hash_slots_many equals hash_pack_many's ids + 1 on the real ids."""
    feat = clf._featurizer
    for start in range(0, len(texts), 500):
        chunk = texts[start : start + 500]
        slots, counts, owner = feat.slots_many(chunk)
        batch = feat.featurize_many(chunk)
        assert np.array_equal(slots, batch.slots())
        assert np.array_equal(counts, batch.counts) and np.array_equal(owner, batch.owner)
    windows = [w for t in texts[:300] + ODD for w in feat.windows(t)]
    ids, counts = hash_pack_many(windows, feat.syllables)
    slots, counts2 = hash_slots_many(windows, feat.syllables)
    real = np.arange(MAX_FEATURES) < counts[:, None]
    assert np.array_equal(counts, counts2) and np.array_equal(slots, np.where(real, ids + 1, 0))
    assert counts.max() == MAX_FEATURES  # the cut at MAX_FEATURES is covered
