"""Rows the classifier is trained and judged on: the written corpus and the COLD corpus.

Rows are {"text", "label", "lang", "source"} dicts. Sources:
- models/data/corpus/{train,heldout}.jsonl(.gz): the corpus written for this project (models/corpus);
- COLD (Deng et al., EMNLP 2022, Apache-2.0): the copy in models/data/cold/ ({train,dev}.csv as
  published, or .jsonl rows), else the original CSV files in ../shared/data/cold/. COLD label 1 -> bullying_or_hate,
  0 -> safe.

The held-out corpus split and COLD dev are never trained on. The held-out split is halved BY TEMPLATE
(`heldout_part`): the "calibration" half, with a seeded 20% of COLD train (`split_cold_train`),
chooses the thresholds (models/calibrate.py) and is never used for model selection; the "test" half
and COLD dev are only reported on, at the end.
"""

from __future__ import annotations

import csv
import zlib
from collections.abc import Iterator
from pathlib import Path

from models.corpus import COLD_DIR, COLD_LABELS, CORPUS_DIR, LABELS, corpus_path, read_jsonl, read_rows

REPO_DIR = Path(__file__).resolve().parent.parent
SHARED_COLD_DIR = REPO_DIR.parent / "shared" / "data" / "cold"


class DataMissing(FileNotFoundError):
    """A data file the recipe needs is not there; the message says which and how to get it."""


def cold_file(split: str) -> Path:
    for folder in (COLD_DIR, SHARED_COLD_DIR):
        for name in (f"{split}.jsonl", f"{split}.jsonl.gz", f"{split}.csv"):
            if (folder / name).exists():
                return folder / name
    raise DataMissing(f"COLD {split} split not found in {COLD_DIR} nor {SHARED_COLD_DIR}")


def cold_rows(split: str) -> Iterator[dict]:
    """COLD rows of `split` ("train" or "dev") as {"text", "label", "lang", "source"}."""
    path = cold_file(split)
    if path.suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                yield {"text": row["TEXT"], "label": COLD_LABELS[int(row["label"])], "lang": "zh",
                       "source": "cold"}
        return
    for row in read_jsonl(path):
        label = row["label"]
        if isinstance(label, int):
            label = COLD_LABELS[label]
        yield {"text": row["text"], "label": label, "lang": row.get("lang", "zh"), "source": "cold"}


def corpus_rows(split: str) -> list[dict]:
    """The written corpus split ("train" or "heldout"); raises DataMissing when absent."""
    path = corpus_path(split)
    if not path.exists():
        raise DataMissing(
            f"corpus split {split!r} not found at {CORPUS_DIR}/{split}.jsonl(.gz); "
            "generate it with `python -m models.corpus.generate`"
        )
    rows = []
    for row in read_rows(split):
        if row.get("label") not in LABELS or not isinstance(row.get("text"), str):
            raise ValueError(f"{path}: bad row {row!r}: label must be one of {LABELS}")
        rows.append(row)
    return rows


COLD_CALIBRATION_FRACTION = 0.20  # 20%: about 2,600 non-offensive rows, so one grid step is not decided by a few


def heldout_part(row: dict) -> str:
    """"calibration" or "test": a fixed half of the held-out templates (by the template id in source)."""
    template = str(row.get("source", "")).split("+", 1)[0]
    return "calibration" if zlib.crc32(template.encode("utf-8")) % 2 == 0 else "test"


def split_cold_train(rows: list[dict]) -> tuple[list[dict], list[dict]]:
    """(train, calibration): a fixed 20% of COLD train (by a hash of the text) held out for thresholds."""
    train, calibration = [], []
    for row in rows:
        bucket = zlib.crc32(row["text"].encode("utf-8"), 0xCA1B) % 1000
        (calibration if bucket < COLD_CALIBRATION_FRACTION * 1000 else train).append(row)
    return train, calibration
