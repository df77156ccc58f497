"""Evaluation report of the shipped int8 classifier, run through the device runtime.

Writes to models/reports/:
- eval_report.md: per-class precision/recall/F1 on the test half of the held-out corpus templates
  (the other half chose the thresholds, models/calibrate.py), accuracy on COLD dev (offensive = any
  label but "safe"), confusion matrices as text; model-alone blocking at the calibrated thresholds
  per label (precision/recall) and on benign text (held-out safe rows, COLD dev safe rows, English
  prose from the standard library's docstrings, models/benign_prose.py); fusion figures (`kidsafe
  check` with and without the model) on those sets and ../shared/eval/dev.jsonl;
- confusion_heldout.png and confusion_cold_dev.png (needs matplotlib, in the train extra);
- metrics.json: the same figures for the model card and `make bench`.

Run: `python -m models.evaluate_model [--model PATH] [--labels PATH]` (`make model` runs it).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from filters.classifier import SAFE_LABEL, ModelError, TextClassifier
from filters.fusion import model_reasons, model_windows, text_units
from filters.model_text import model_texts
from filters.pii import PiiDetector
from filters.policy import DEFAULT_POLICY
from models import LABELS_PATH, MODEL_DIR, MODEL_PATH
from models.benign_prose import stdlib_sentences
from models.dataset import REPO_DIR, DataMissing, cold_rows, corpus_rows, heldout_part

REPORT_DIR = MODEL_DIR / "reports"
DEV_EVAL = REPO_DIR.parent / "shared" / "eval" / "dev.jsonl"
PII = PiiDetector()  # the model is shown each text with its PII left out (filters/model_text.py), as on the device


def confusion(y_true: Sequence[int], y_pred: Sequence[int], n: int) -> np.ndarray:
    cm = np.zeros((n, n), dtype=np.int64)
    for t, p in zip(y_true, y_pred, strict=True):
        cm[t, p] += 1
    return cm


def per_class(cm: np.ndarray, labels: Sequence[str]) -> list[dict]:
    out = []
    for i, label in enumerate(labels):
        tp = int(cm[i, i])
        predicted, actual = int(cm[:, i].sum()), int(cm[i, :].sum())
        p = tp / predicted if predicted else 0.0
        r = tp / actual if actual else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        out.append({"label": label, "precision": p, "recall": r, "f1": f1, "support": actual})
    return out


def cm_text(cm: np.ndarray, labels: Sequence[str]) -> str:
    short = [label[:10] for label in labels]
    width = max(10, max(len(s) for s in short))
    lines = ["true \\ pred".ljust(width) + " " + " ".join(s.rjust(width) for s in short)]
    for label, row in zip(short, cm, strict=True):
        lines.append(label.ljust(width) + " " + " ".join(str(v).rjust(width) for v in row))
    return "\n".join(lines)


def cm_png(cm: np.ndarray, labels: Sequence[str], title: str, path: Path) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print(f"  matplotlib not installed: skipped {path.name}", flush=True)
        return False
    norm = cm / np.maximum(cm.sum(axis=1, keepdims=True), 1)
    fig, ax = plt.subplots(figsize=(1.1 * len(labels) + 2.5, 1.0 * len(labels) + 1.5), dpi=110)
    ax.imshow(norm, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(labels)), labels, rotation=35, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    for i in range(len(labels)):
        for j in range(len(labels)):
            ax.text(j, i, str(cm[i, j]), ha="center", va="center",
                    color="white" if norm[i, j] > 0.5 else "black", fontsize=8)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(title)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return True


def _progress(rows: list, desc: str):
    try:
        from tqdm import tqdm
    except ImportError:  # tqdm comes with the train extra
        return rows
    return tqdm(rows, desc=desc, unit="row", mininterval=0.5, file=sys.stdout)


def predict_rows(clf: TextClassifier, rows: list[dict], desc: str, chunk: int = 512) -> list[dict[str, float]]:
    out: list[dict[str, float]] = []
    for start in _progress(range(0, len(rows), chunk), desc):
        out += clf.predict_many(model_texts([row["text"] for row in rows[start : start + chunk]], PII))
    return out


def alone_blocks(clf: TextClassifier, text: str, scores: dict[str, float]) -> list[str]:
    """Labels whose model Reason blocks on its own (default policy, calibrated thresholds)."""
    reasons = model_reasons(scores, [], DEFAULT_POLICY, units=text_units(text), thresholds=clf.thresholds,
                            windows=model_windows(text), window_exponent=clf.window_exponent)
    return [r.rule.split(":", 1)[1] for r in reasons if r.blocking]


def alone_figures(clf: TextClassifier, sets: dict[str, tuple[list[dict], list[dict[str, float]]]]) -> dict:
    """Per set: per-label precision/recall of model-alone blocking, and the benign block rate."""
    out: dict = {}
    for name, (rows, scores) in sets.items():
        blocked = [alone_blocks(clf, r["text"], s) for r, s in zip(rows, scores, strict=True)]
        benign = [b for r, b in zip(rows, blocked, strict=True) if r["label"] == SAFE_LABEL]
        figures: dict = {"rows": len(rows), "benign": len(benign),
                         "benign_block_rate": sum(bool(b) for b in benign) / max(len(benign), 1), "per_label": {}}
        for label in clf.labels:
            if label == SAFE_LABEL:
                continue
            hit = [label in b for b in blocked]
            truth = [r["label"] == label for r in rows]
            n_hit, n_true = sum(hit), sum(truth)
            both = sum(h and t for h, t in zip(hit, truth, strict=True))
            if n_hit or n_true:
                figures["per_label"][label] = {"blocked": n_hit, "precision": both / n_hit if n_hit else None,
                                               "recall": both / n_true if n_true else None, "support": n_true}
        out[name] = figures
    return out


def dev_eval_figures(clf: TextClassifier, path: Path) -> dict | None:
    """Model-alone blocking on the shared dev set (no word lists): benign and harmful rows."""
    if not path.exists():
        return None
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    benign = [r for r in rows if r.get("expect") == "allow"]
    harmful = [r for r in rows if r.get("expect") == "block"]

    def blocks(text: str) -> bool:
        return bool(alone_blocks(clf, text, clf.predict(model_texts([text], PII)[0])))

    flagged = [r["text"] for r in benign if blocks(r["text"])]
    caught = [r["text"] for r in harmful if blocks(r["text"])]
    return {"benign": len(benign), "benign_blocked_by_model_alone": len(flagged), "benign_flagged": flagged,
            "harmful": len(harmful), "harmful_blocked_by_model_alone": len(caught)}


def fusion_figures(model_path: Path, labels_path: Path, sets: dict[str, list[tuple[str, bool]]]) -> dict:
    """`kidsafe check` (filters/engine) with and without the model: harmful blocked, benign flagged."""
    from filters.engine import TextFilter

    filters = {"word lists only": TextFilter.load(),
               "word lists + model": TextFilter.load(model_path=model_path, labels_path=labels_path)}
    out: dict = {}
    for set_name, rows in sets.items():
        harmful = [t for t, bad in rows if bad]
        benign = [t for t, bad in rows if not bad]
        for name, tf in filters.items():
            checked = {t: tf.check(t).action for t in _progress(harmful + benign, f"check {set_name}: {name}")}
            blocked = sum(checked[t] == "block" for t in harmful)
            flagged = sum(checked[t] != "allow" for t in benign)
            out[f"{set_name} / {name}"] = {
                "harmful": len(harmful), "harmful_blocked": blocked / max(len(harmful), 1),
                "benign": len(benign), "benign_flagged": flagged / max(len(benign), 1),
            }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m models.evaluate_model", description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=MODEL_PATH)
    parser.add_argument("--labels", type=Path, default=LABELS_PATH)
    parser.add_argument("--out-dir", type=Path, default=REPORT_DIR)
    args = parser.parse_args(argv)
    try:
        clf = TextClassifier.load(args.model, args.labels)
    except ModelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    labels = clf.labels
    index = {label: i for i, label in enumerate(labels)}
    args.out_dir.mkdir(parents=True, exist_ok=True)
    metrics: dict = {"model": args.model.name, "model_bytes": args.model.stat().st_size}
    report = ["# kidsafe text classifier: evaluation report", "",
              f"Model `{args.model.name}` ({metrics['model_bytes'] / 1024:.0f} KiB, int8), "
              "run with the device runtime (filters/classifier.py).", ""]

    try:
        heldout = [r for r in corpus_rows("heldout") if heldout_part(r) == "test"]
    except DataMissing as exc:
        heldout = []
        report += [f"Held-out split missing: {exc}", ""]
    scores_heldout: list[dict[str, float]] = []
    if heldout:
        scores = scores_heldout = predict_rows(clf, heldout, "score held-out")
        y_true = [index[r["label"]] for r in heldout]
        y_pred = [index[clf.top(s)] for s in scores]
        cm = confusion(y_true, y_pred, len(labels))
        classes = per_class(cm, labels)
        acc = float(np.trace(cm) / cm.sum())
        metrics["heldout"] = {"rows": len(heldout), "accuracy": acc, "per_class": classes,
                              "confusion": cm.tolist()}
        by_lang = {}
        for lang in sorted({r.get("lang", "?") for r in heldout}):
            sel = [i for i, r in enumerate(heldout) if r.get("lang", "?") == lang]
            by_lang[lang] = sum(y_true[i] == y_pred[i] for i in sel) / len(sel)
        metrics["heldout"]["accuracy_by_lang"] = by_lang
        report += [f"## Held-out corpus templates, test half ({len(heldout)} rows, never trained on nor "
                   "used for thresholds)", "",
                   f"Accuracy {acc:.3f}; by language: "
                   + ", ".join(f"{k} {v:.3f}" for k, v in by_lang.items()), "",
                   "| label | precision | recall | F1 | support |", "|---|---:|---:|---:|---:|"]
        report += [f"| {c['label']} | {c['precision']:.3f} | {c['recall']:.3f} | {c['f1']:.3f} | {c['support']} |"
                   for c in classes]
        report += ["", "Confusion matrix (rows: true, columns: predicted):", "", "```", cm_text(cm, labels), "```",
                   "", "![held-out confusion matrix](confusion_heldout.png)", ""]
        cm_png(cm, labels, "held-out split (int8 model)", args.out_dir / "confusion_heldout.png")

    cold = list(cold_rows("dev"))
    scores = predict_rows(clf, cold, "score COLD dev")
    y_true = [int(r["label"] != SAFE_LABEL) for r in cold]
    y_pred = [int(clf.top(s) != SAFE_LABEL) for s in scores]
    cm2 = confusion(y_true, y_pred, 2)
    cold_acc = float(np.trace(cm2) / cm2.sum())
    binary = ["safe", "offensive"]
    cold_classes = per_class(cm2, binary)
    metrics["cold_dev"] = {"rows": len(cold), "accuracy": cold_acc, "per_class": cold_classes,
                           "confusion": cm2.tolist()}
    report += [f"## COLD dev ({len(cold)} rows, never trained on)", "",
               f"**Accuracy {cold_acc:.3f}** (offensive = top label is not `safe`; target >= 0.80).", "",
               "| class | precision | recall | support |", "|---|---:|---:|---:|"]
    report += [f"| {c['label']} | {c['precision']:.3f} | {c['recall']:.3f} | {c['support']} |"
               for c in cold_classes]
    report += ["", "```", cm_text(cm2, binary), "```", "", "![COLD dev confusion matrix](confusion_cold_dev.png)", ""]
    cm_png(cm2, binary, "COLD dev (int8 model)", args.out_dir / "confusion_cold_dev.png")

    prose = [{"text": t, "label": SAFE_LABEL, "lang": "en"} for t in stdlib_sentences()]
    alone_sets = {"held-out test templates": (heldout, scores_heldout) if heldout else ([], []),
                  "COLD dev": (cold, scores),
                  "English prose (stdlib docstrings)": (prose, predict_rows(clf, prose, "score English prose"))}
    alone = alone_figures(clf, {k: v for k, v in alone_sets.items() if v[0]})
    metrics["model_alone"] = alone
    metrics["thresholds"] = clf.thresholds
    report += ["## Model alone at the calibrated thresholds (models/calibration.json; default policy, "
               "7-unit floor)", "",
               "Thresholds: " + ", ".join(f"{k} {v:.2f}" for k, v in clf.thresholds.items()), "",
               "| set | benign rows | benign blocked | " + " | ".join(
                   f"{label} P/R" for label in labels if label != SAFE_LABEL) + " |",
               "|---|---:|---:|" + "---:|" * (len(labels) - 1)]
    for name, fig in alone.items():
        cells = []
        for label in labels:
            if label == SAFE_LABEL:
                continue
            pl = fig["per_label"].get(label)
            if not pl:
                cells.append("-")
                continue
            prec = "-" if pl["precision"] is None else f"{pl['precision']:.2f}"
            rec = "-" if pl["recall"] is None else f"{pl['recall']:.2f}"
            cells.append(f"{prec}/{rec}")
        report.append(f"| {name} | {fig['benign']} | {fig['benign_block_rate']:.2%} | " + " | ".join(cells) + " |")
    report += ["", "P = share of the rows the label blocks alone that carry that label; R = share of the rows "
               "of that label it blocks alone (COLD's offensive rows carry bullying_or_hate).", ""]

    dev = dev_eval_figures(clf, DEV_EVAL)
    if dev is not None:
        metrics["dev_eval_model_alone"] = dev
        report += ["## Shared dev set, model alone (calibrated thresholds, no word lists)", "",
                   f"Benign rows blocked: {dev['benign_blocked_by_model_alone']}/{dev['benign']} "
                   f"{dev['benign_flagged'] or ''}; harmful rows blocked: "
                   f"{dev['harmful_blocked_by_model_alone']}/{dev['harmful']}.", ""]

    sets: dict[str, list[tuple[str, bool]]] = {}
    if heldout:
        sets["held-out corpus"] = [(r["text"], r["label"] != SAFE_LABEL) for r in heldout]
    if DEV_EVAL.exists():
        dev_rows = [json.loads(line) for line in DEV_EVAL.read_text(encoding="utf-8").splitlines() if line.strip()]
        sets["shared dev set"] = [(r["text"], r["expect"] == "block") for r in dev_rows if r["expect"] != "redact"]
    sets["English prose (stdlib docstrings)"] = [(r["text"], False) for r in prose]
    try:
        fused = fusion_figures(args.model, args.labels, sets)
    except ImportError as exc:  # the filter engine is not part of this checkout
        fused = {}
        report += [f"Fusion figures skipped: {exc}", ""]
    if fused:
        metrics["fusion"] = fused
        report += ["## `kidsafe check` with and without the model (filters/fusion.py rules, default policy)", "",
                   "| rows / filter | harmful blocked | benign flagged |", "|---|---:|---:|"]
        report += [f"| {k} | {v['harmful_blocked']:.1%} of {v['harmful']} "
                   f"| {v['benign_flagged']:.1%} of {v['benign']} |" for k, v in fused.items()]
        report += [""]

    (args.out_dir / "eval_report.md").write_text("\n".join(report), encoding="utf-8")
    (args.out_dir / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=1) + "\n",
                                               encoding="utf-8")
    print("\n".join(report), flush=True)
    print(f"wrote {args.out_dir / 'eval_report.md'}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
