"""Training corpus for kidsafe's on-device text classifier.

The corpus is written by a compositional generator (`python -m models.corpus.generate`):
hand-written template sentences (models/corpus/templates/*.json) whose slots are filled from
hand-written slot lists, split into train / held-out BY TEMPLATE, and partly disguised with the
evasions the filter normalises (separators, emoji, zero-width characters, full-width letters,
traditional characters, pinyin, homophones, leetspeak, masking).

This module holds the shared constants and a reader the training recipe can use:
`read_rows("train")` yields dicts from models/data/corpus/train.jsonl (or .jsonl.gz).
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

LABELS: tuple[str, ...] = (
    "safe",
    "sexual",
    "violence_or_self_harm",
    "bullying_or_hate",
    "grooming",
    "fraud",
    "gambling_or_drugs",
)
LANGS: tuple[str, ...] = ("zh", "en")
SPLITS: tuple[str, ...] = ("train", "heldout")

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATE_DIR = PACKAGE_DIR / "templates"
DATA_DIR = PACKAGE_DIR.parent / "data"
CORPUS_DIR = DATA_DIR / "corpus"
COLD_DIR = DATA_DIR / "cold"
EVAL_DIR = PACKAGE_DIR.parents[1] / "filters" / "data" / "eval"  # texts kept out of the corpus

COLD_LABELS: dict[int, str] = {0: "safe", 1: "bullying_or_hate"}
"""How COLD's 0/1 offensive label maps onto the classifier's labels."""


def corpus_path(split: str, corpus_dir: Path = CORPUS_DIR) -> Path:
    """Path of a split's file: `<split>.jsonl`, or `<split>.jsonl.gz` when that is what exists."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; expected one of {SPLITS}")
    plain = corpus_dir / f"{split}.jsonl"
    gz = corpus_dir / f"{split}.jsonl.gz"
    if not plain.exists() and gz.exists():
        return gz
    return plain


def read_jsonl(path: Path) -> Iterator[dict]:
    """Yield one dict per non-empty line of a .jsonl or .jsonl.gz file."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{lineno}: not valid JSON: {exc}") from exc


def read_rows(split: str, corpus_dir: Path = CORPUS_DIR) -> Iterator[dict]:
    """Rows {"text", "label", "lang", "source"} of the train or heldout split."""
    return read_jsonl(corpus_path(split, corpus_dir))
