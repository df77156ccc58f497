"""Golden verdicts: what the filter decides on every eval set, so a speed change that alters a verdict shows.

The golden file (tests/data/golden_verdicts.tsv) holds, for each configuration (model on with the
default policy, model on with a parent's policy, word lists only) and each row of every eval set
(../shared/eval/dev.jsonl, filters/data/eval/*.jsonl, the first COLD_ROWS rows of COLD's dev split),
a digest of the verdict's JSON as `kidsafe check` prints it (reasons, spans, scores, redaction) with
its action, categories and kinds of rule in clear. Its first line records digests of what verdicts
legitimately depend on: the word packs, the co-occurrence rules, the model, the normaliser tables and the eval sets.

When packs, the model or an eval set change on purpose, regenerate it (and look at the diff):

    make golden        # = python -m filters.tools.verdict_golden

tests/test_verdicts_unchanged.py compares the running code's verdicts with this file row by row.
"""

from __future__ import annotations

import csv
import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from filters.policy import DEFAULT_POLICY, FilterPolicy

REPO = Path(__file__).resolve().parent.parent.parent
GOLDEN_PATH = REPO / "tests" / "data" / "golden_verdicts.tsv"
DEV_PATH = REPO.parent / "shared" / "eval" / "dev.jsonl"
EVAL_DIR = REPO / "filters" / "data" / "eval"
COLD_DEV = REPO.parent / "shared" / "data" / "cold" / "dev.csv"
PACKS_DIR = REPO / "filters" / "data" / "packs"
TABLES_DIR = REPO / "filters" / "data" / "tables"
COMBOS_DIR = REPO / "filters" / "data" / "combos"
MODEL_PATH = REPO / "models" / "kidsafe_text_int8.tflite"  # filters/ may not import models/
COLD_ROWS = 1500

# A parent's policy that exercises block words, allow words (some equal shipped terms), a band and thresholds.
PARENT_POLICY: dict[str, Any] = {
    "age_band": "12-15",
    "block_words": ["恐龙", "作业", "homework", "王者荣耀", "skin"],
    "allow_words": ["大麻", "赌博", "weed", "傻逼", "kill", "约炮"],
    "model_thresholds": {"bullying_or_hate": 0.7},
}
CONFIGS: tuple[tuple[str, bool, FilterPolicy], ...] = (
    ("model", True, DEFAULT_POLICY),
    ("model+parent", True, FilterPolicy.from_dict(PARENT_POLICY)),
    ("words", False, DEFAULT_POLICY),
)


def eval_sets() -> list[tuple[str, list[str]]]:
    """(name, texts) of every eval set present on this machine, in a fixed order."""
    sets: list[tuple[str, list[str]]] = []
    paths = ([DEV_PATH] if DEV_PATH.exists() else []) + sorted(EVAL_DIR.glob("*.jsonl"))
    for path in paths:
        texts = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(json.loads(line)["text"])
        sets.append((path.stem, texts))
    if COLD_DEV.exists():
        with COLD_DEV.open(encoding="utf-8-sig") as fh:
            rows = [r["TEXT"] for r in csv.DictReader(fh) if r.get("TEXT")]
        sets.append(("cold_dev", rows[:COLD_ROWS]))
    return sets


def _digest_files(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def inputs_digest() -> dict[str, str]:
    """Digests of what verdicts legitimately depend on (a change here means: regenerate)."""
    model = [MODEL_PATH, MODEL_PATH.with_name("labels.json"), MODEL_PATH.with_name("calibration.json")]
    h = hashlib.sha256()
    for name, texts in eval_sets():
        h.update(name.encode() + b"\0" + "\n".join(texts).encode() + b"\0")
    return {
        "packs": _digest_files([p for p in PACKS_DIR.glob("*.json")]),
        "model": _digest_files([p for p in model if p.exists()]),
        "tables": _digest_files([p for p in TABLES_DIR.iterdir() if p.suffix in (".json", ".tsv")]),
        "combos": _digest_files(sorted(COMBOS_DIR.glob("*.json"))),
        "sets": h.hexdigest()[:16],
    }


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def load_filters() -> dict[bool, Any]:
    from filters.engine import TextFilter

    return {True: TextFilter.load(model_path=MODEL_PATH), False: TextFilter.load()}


def verdict_rows(filters: dict[bool, Any], batched: bool = False) -> Iterator[dict[str, Any]]:
    """One row per (config, set, text): the verdict JSON, from per-text check() or check_many()."""
    for config, model_on, policy in CONFIGS:
        tf = filters[model_on]
        for name, texts in eval_sets():
            if batched:
                verdicts = tf.check_many(texts, policy)
            else:
                verdicts = [tf.check(t, policy) for t in texts]
            for i, (text, v) in enumerate(zip(texts, verdicts, strict=True)):
                yield {"config": config, "set": name, "i": i, "key": text_key(text), **summary(v.to_json())}


def summary(verdict: dict[str, Any]) -> dict[str, Any]:
    """Action, categories and a digest of the whole verdict JSON (reasons, spans, scores, redaction)."""
    whole = json.dumps(verdict, ensure_ascii=False, sort_keys=True)
    return {"action": verdict["action"], "categories": verdict["categories"],
            "rules": sorted({r["rule"].split(":")[0] for r in verdict["reasons"]}),
            "digest": hashlib.sha256(whole.encode("utf-8", "surrogatepass")).hexdigest()[:12]}


def load_golden(path: Path = GOLDEN_PATH) -> tuple[dict[str, str], dict[tuple[str, str, int], dict[str, Any]]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0].lstrip("# "))
    rows = {}
    for line in lines[1:]:
        r = parse_row(line)
        rows[(r["config"], r["set"], r["i"])] = r
    return header["inputs"], rows


FIELDS = ("config", "set", "i", "key", "digest", "action", "categories", "rules")


def format_row(row: dict[str, Any]) -> str:
    """One tab-separated line (lists joined by commas): small enough to commit, readable in a diff."""
    return "\t".join(",".join(v) if isinstance(v, list) else str(v) for v in (row[f] for f in FIELDS))


def parse_row(line: str) -> dict[str, Any]:
    values = line.split("\t")
    row: dict[str, Any] = dict(zip(FIELDS, values, strict=True))
    row["i"] = int(row["i"])
    row["categories"] = row["categories"].split(",") if row["categories"] else []
    row["rules"] = row["rules"].split(",") if row["rules"] else []
    return row


def main() -> int:
    filters = load_filters()
    GOLDEN_PATH.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with GOLDEN_PATH.open("w", encoding="utf-8") as fh:
        fh.write("# " + json.dumps({"inputs": inputs_digest(), "regenerate": "make golden", "fields": FIELDS}) + "\n")
        for row in verdict_rows(filters):
            fh.write(format_row(row) + "\n")
            n += 1
    print(f"wrote {n} verdicts to {GOLDEN_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
