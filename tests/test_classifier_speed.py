"""The classifier's fast paths give the scores of the plain ones, bit for bit: invokes trimmed to the
largest id count against the full 256-wide input, windows grouped by count against one window a
call, the lean one-window featurizer against the per-window reference, and fusion.text_units."""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path

import numpy as np
import pytest

from filters.classifier import TextClassifier
from filters.feature_batch import distinct_ids
from filters.features import MAX_FEATURES, Featurizer
from filters.fusion import text_units
from models import LABELS_PATH, MODEL_PATH

REPO = Path(__file__).resolve().parent.parent
EVAL_SETS = [REPO.parent / "shared" / "eval" / "dev.jsonl", REPO / "filters" / "data" / "eval" / "extra_harmful.jsonl",
             REPO / "filters" / "data" / "eval" / "extra_traps.jsonl"]
EDGE = ["", " ", "a", "好", "x" * 5000, " ".join(f"w{i}x" for i in range(300)), "好" * 3000, "😀" * 80,
        "黃色 小說 r3tard", "今天我们在学校学习了数学和语文" * 9]


@pytest.fixture(scope="module")
def clf() -> TextClassifier:
    return TextClassifier.load(MODEL_PATH, LABELS_PATH)


@pytest.fixture(scope="module")
def texts() -> list[str]:
    out = [json.loads(line)["text"] for path in EVAL_SETS
           for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return out + EDGE


def _full_width(clf: TextClassifier, texts: list[str]) -> np.ndarray:
    """Probabilities of every window, invoked 256 ids wide, one window at a time."""
    batch = clf._featurizer.featurize_many(texts)
    slots = batch.slots()
    with clf._lock:
        clf._ensure_interpreter()
        return np.concatenate([clf._invoke(slots[w : w + 1], batch.counts[w : w + 1]) for w in range(len(slots))])


def test_trimmed_invokes_give_the_full_width_scores(clf: TextClassifier, texts: list[str]) -> None:
    batch = clf._featurizer.featurize_many(texts)
    assert batch.counts.max() == MAX_FEATURES and batch.counts.min() < 16  # both ends of the widths
    full = _full_width(clf, texts)
    slots, counts = batch.slots(), batch.counts
    with clf._lock:
        width = int(counts.max())
        same_batch = clf._invoke(np.ascontiguousarray(slots[:, :width]), counts)
        short = np.flatnonzero(counts <= 40)
        narrow = clf._invoke(np.ascontiguousarray(slots[short, :40]), counts[short])
    assert np.array_equal(same_batch, full)
    assert np.array_equal(narrow, full[short])


def test_predict_many_equals_window_by_window_scores(clf: TextClassifier, texts: list[str]) -> None:
    """predict_many (sorted groups, trimmed widths) against full-width single-window invokes, and
    against predict() text by text."""
    full = _full_width(clf, texts)
    owner = clf._featurizer.featurize_many(texts).owner
    safe = clf.labels.index("safe")
    expected = []
    for i in range(len(texts)):
        rows = np.flatnonzero(owner == i)
        expected.append(dict(zip(clf.labels, full[rows[np.argmin(full[rows, safe])]].astype(np.float64).tolist(),
                                 strict=True)))
    assert clf.predict_many(texts) == expected
    assert [clf.predict(t) for t in texts[:300] + EDGE] == expected[:300] + expected[-len(EDGE):]


def test_lean_window_path_equals_the_reference(texts: list[str]) -> None:
    feat = Featurizer()
    for text in texts:
        for views in feat.windows(text):
            assert distinct_ids(views) == Featurizer.distinct(Featurizer.hash_views(views)).tolist()


def test_one_text_paths_equal_the_reference(texts: list[str]) -> None:
    """featurize_many([text]) (one window: the lean path; several: hashed once over the whole text)
    gives the ids and counts of the per-window reference."""
    feat = Featurizer()
    several = 0
    for text in texts + [t * 5 for t in texts[::3]]:
        batch = feat.featurize_many([text])
        reference = [Featurizer.distinct(Featurizer.hash_views(v)).tolist() for v in feat.windows(text)]
        assert batch.counts.tolist() == [len(r) for r in reference]
        assert [row[:n].tolist() for row, n in zip(batch.ids, batch.counts, strict=True)] == reference
        several += len(reference) > 1
    assert several > 100


def test_text_units_counts_every_chinese_character_and_english_word(texts: list[str]) -> None:
    """fusion.text_units counts CJK characters run by run: the count of the plain definition."""
    cjk, word = re.compile("[\u3400-\u9fff\uf900-\ufaff]"), re.compile("[A-Za-z\uff21-\uff3a\uff41-\uff5a]{2,}")
    for text in texts + ["", "ok", "ｈｅｌｌｏ 你好 world", "說話 a 说话"]:
        assert text_units(text) == len(cjk.findall(text)) + len(word.findall(text))


def test_batched_featurizer_is_thread_safe(texts: list[str]) -> None:
    """Threads featurizing batches at once (they share the first-occurrence table) get the ids of one
    thread alone."""
    feat = Featurizer()
    batches = [texts[i : i + 40] for i in range(0, 400, 40)]
    expected = [feat.featurize_many(b).ids for b in batches]
    results: dict[int, list[np.ndarray]] = {}

    def work(n: int) -> None:
        results[n] = [feat.featurize_many(b).ids for b in batches * 3]

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4
    for got in results.values():
        assert all(np.array_equal(g, e) for g, e in zip(got, expected * 3, strict=True))
