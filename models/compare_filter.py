"""Whole-filter figures for comparing classifier candidates: `python -m models.compare_filter`.

`make eval` (filters/evaluate.py) reports the shipped filter on every set; this tool answers the
retraining question "is candidate B better than A?" on the out-of-distribution sets in one table:

- COLD dev (never trained on): share of offensive rows blocked, share of safe rows flagged;
- ToxiCN's test split when a local copy is given (`--toxicn test.json`; CC BY-NC-ND, never
  committed nor trained on);
- the held-out corpus templates of the test half (never trained on, never used for thresholds), per
  template file: blocked for harmful files, flagged for safe files;
- COLD dev disguised: a copy of every COLD dev row with 1-3 key characters disguised by
  models/real_disguise.py (homophone, pinyin, initials, emoji, 拆字; offensive and safe rows alike,
  with a seed the training copies do not use);
- the shared dev set and the project's extra sets (extra_harmful blocked, extra_traps flagged).

It also prints the model alone on COLD dev (accuracy with offensive = top label not `safe`, and ROC
AUC of 1 - p(safe)), on COLD dev disguised and on ToxiCN (AUC).

Each `--model DIR_OR_FILE` is a .tflite with its labels.json and calibration.json beside it (the
layout `python -m models.train --model DIR/kidsafe_text_int8.tflite` writes); `shipped` is the
model in models/. Word lists, combo rules and fusion are the shipped ones, default policy.
"""

from __future__ import annotations

import argparse
import json
import random
import zlib
from collections import defaultdict
from pathlib import Path

from models import MODEL_PATH
from models.dataset import cold_rows, corpus_rows, heldout_part, split_cold_train
from models.public_data import public_rows
from models.real_disguise import CharWeights, disguise

REPO = Path(__file__).resolve().parent.parent
EXTRA = REPO / "filters" / "data" / "eval"
DEV = REPO.parent / "shared" / "eval" / "dev.jsonl"


def _model_paths(spec: str) -> tuple[Path, Path]:
    path = MODEL_PATH if spec == "shipped" else Path(spec)
    if path.is_dir():
        path = path / MODEL_PATH.name
    return path, path.with_name("labels.json")


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


EVAL_DISGUISE_SEED = 0xE7A1  # not the training copies' seed


def disguised_cold_dev() -> list[tuple[str, bool]]:
    """Every COLD dev row that has a character to disguise, disguised (weights from the training rows)."""
    train = split_cold_train(list(cold_rows("train")))[0] + list(public_rows("swsr", "train"))
    weights = CharWeights.from_rows(train)
    out = []
    for r in cold_rows("dev"):
        text = disguise(r["text"], weights, random.Random(zlib.crc32(r["text"].encode("utf-8"), EVAL_DISGUISE_SEED)))
        if text is not None:
            out.append((text, r["label"] != "safe"))
    return out


def labelled_sets(toxicn: Path | None, local: list[Path] = ()) -> dict[str, list[tuple[str, bool]]]:
    """Set name -> (text, harmful) pairs."""
    sets: dict[str, list[tuple[str, bool]]] = {
        "COLD dev": [(r["text"], r["label"] != "safe") for r in cold_rows("dev")],
        "COLD dev disguised": disguised_cold_dev()}
    if toxicn is not None:
        sets["ToxiCN test"] = [(r["content"], bool(r["toxic"]))
                               for r in json.loads(toxicn.read_text(encoding="utf-8"))]
    by_file: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for r in corpus_rows("heldout"):
        if heldout_part(r) == "test":
            name = str(r["source"]).split(":", 1)[-1].split("+", 1)[0].rsplit(".", 1)[0]  # file.lang
            by_file[f"tpl {name}"].append((r["text"], r["label"] != "safe"))
    for path in local:  # licensed for local evaluation only: never copied into the repository
        sets[f"local {path.stem}"] = [(r["text"], r["expect"] == "block") for r in _jsonl(path)]
    sets.update(sorted(by_file.items()))
    if DEV.exists():
        sets["shared dev"] = [(r["text"], r["expect"] == "block") for r in _jsonl(DEV)
                              if r.get("expect") in ("block", "allow")]
    for name in ("extra_harmful", "extra_traps"):
        sets[name] = [(r["text"], r["expect"] == "block") for r in _jsonl(EXTRA / f"{name}.jsonl")]
    return sets


def figures(spec: str, sets: dict[str, list[tuple[str, bool]]]) -> dict[str, tuple[int, int, int, int]]:
    """Set -> (harmful blocked, harmful, benign flagged, benign) for the filter with model `spec`."""
    from filters.engine import TextFilter

    model, labels = _model_paths(spec)
    tf = TextFilter.load(model_path=model, labels_path=labels)
    out = {}
    for name, rows in sets.items():
        verdicts = tf.check_many([t for t, _ in rows])
        blocked = sum(v.action == "block" for v, (_, bad) in zip(verdicts, rows, strict=True) if bad)
        flagged = sum(v.action != "allow" for v, (_, bad) in zip(verdicts, rows, strict=True) if not bad)
        harmful = sum(bad for _, bad in rows)
        out[name] = (blocked, harmful, flagged, len(rows) - harmful)
    return out


def auc(score: list[float], harmful: list[bool]) -> float:
    """ROC AUC by ranks (ties averaged)."""
    import numpy as np

    s = np.asarray(score, dtype=np.float64)
    y = np.asarray(harmful, dtype=bool)
    order = s.argsort(kind="mergesort")
    ranks = np.empty(len(s))
    ranks[order] = np.arange(1, len(s) + 1)
    for value in np.unique(s):
        tie = s == value
        ranks[tie] = ranks[tie].mean()
    n_pos, n_neg = int(y.sum()), int((~y).sum())
    return float((ranks[y].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def model_figures(spec: str, sets: dict[str, list[tuple[str, bool]]]) -> dict[str, dict[str, float]]:
    """The classifier alone: accuracy (top label not safe = offensive) and ROC AUC of 1 - p(safe)."""
    from filters.classifier import SAFE_LABEL, TextClassifier
    from filters.model_text import model_texts

    clf = TextClassifier.load(*_model_paths(spec))
    out = {}
    for name in [n for n in sets if n.startswith(("COLD dev", "ToxiCN", "local "))]:
        texts, harmful = zip(*sets[name], strict=True)
        scores = clf.predict_many(model_texts(list(texts)))  # PII left out, as the engine does
        flagged = [clf.top(s) != SAFE_LABEL for s in scores]
        out[name] = {"accuracy": sum(f == h for f, h in zip(flagged, harmful, strict=True)) / len(harmful),
                     "auc": auc([1 - s[SAFE_LABEL] for s in scores], list(harmful))}
    return out


def _cell(hit: int, n: int) -> str:
    return f"{100 * hit / n:.1f}% of {n}" if n else "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m models.compare_filter", description=__doc__.splitlines()[0])
    parser.add_argument("--model", action="append", default=None,
                        help="'shipped' or a .tflite / folder with labels.json and calibration.json (repeat)")
    parser.add_argument("--toxicn", type=Path, default=None, help="local ToxiCN test.json (never committed)")
    parser.add_argument("--local", type=Path, action="append", default=[],
                        help="a local JSONL set ({text, expect: block|allow}) that may not be committed (repeat)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)
    specs = args.model or ["shipped"]
    sets = labelled_sets(args.toxicn, args.local)
    results = {spec: figures(spec, sets) for spec in specs}
    print("| set | " + " | ".join(f"{s}: harmful blocked / benign flagged" for s in specs) + " |")
    print("|---|" + "---|" * len(specs))
    for name in sets:
        cells = [f"{_cell(*results[s][name][:2])} / {_cell(*results[s][name][2:])}" for s in specs]
        print(f"| {name} | " + " | ".join(cells) + " |")
    print("\n| model alone | " + " | ".join(f"{s}: accuracy / AUC" for s in specs) + " |")
    print("|---|" + "---|" * len(specs))
    alone = {spec: model_figures(spec, sets) for spec in specs}
    for name in alone[specs[0]]:
        print(f"| {name} | " + " | ".join(f"{alone[s][name]['accuracy']:.3f} / {alone[s][name]['auc']:.3f}"
                                          for s in specs) + " |")
    if args.json:
        results = {spec: {"filter": results[spec], "model_alone": alone[spec]} for spec in specs}
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
