"""Threshold calibration of the on-device classifier: models/calibration.json from held-out data.

The model blocks a text on its own (filters/fusion.py rule 1) when a harmful label's probability
reaches that label's threshold and the text has at least MIN_UNITS_ALONE units. The thresholds come
from here, not from hand: on the calibration rows (the calibration half of the held-out corpus
templates, 20% of COLD train (models/dataset.py), 10% of the Davidson tweets (models/davidson.py), 20% of
the SWSR comments and of the SMS Spam Collection (models/public_data.py) and the calibration modules'
docstring sentences (models/benign_prose.py); never trained on and never used for model selection),
each label gets the LOWEST threshold on a GRID_STEP grid within [MIN_THRESHOLD, MAX_THRESHOLD]
such that, counting only rows long enough to be blocked alone,
- in each language, the label blocks at most BENIGN_BUDGET of the benign ("safe") written rows
  (templates and docstrings), and at most HEATED_BUDGET of the real benign messages of each language
  (Chinese: COLD's non-offensive rows, heated discussion of race, region and gender, and SWSR's
  comments coded not sexist, heated discussion of gender; English: the tweets coded "neither",
  informal English with slang, and SMS ham, informal texting). A child's filter may stop such text
  now and then. The sources of a language are pooled (REAL_BENIGN) so that each group has 1,200+
  rows and one grid step is not decided by a handful of rows of one source; the file lists the
  rate per group, and `python -m models.evaluate_model` the whole filter's rate per source), and
- at least MIN_PRECISION of the rows it blocks are harmful (any harmful label).
The grid starts at 0.90: the written calibration rows are cleaner than real text, and below 0.90 the
model blocked short benign phrases no calibration row resembles (e.g. 想死你了 "miss you so").
If no grid value meets both, the label gets MAX_THRESHOLD. Then the window exponent of long texts
(filters/fusion.py: a text of n windows needs 1 - (1 - T) * n ** -e): pinned at 1.0 since session 13
(models/long_text.py WINDOW_EXPONENT), with the choice on long texts joined from the same benign groups'
rows (the lowest e at which a long benign text is blocked no more often than the budget allows one row)
recorded beside it; `--free-exponent` uses that choice. The thresholds above were chosen with every
calibration row judged at T whatever its length, which the exponent only makes stricter.
Last, texts that name a group of people (filters/group_mention.py: the hate rules' group cue sets) may get
a lower threshold for GROUP_LABELS, per language: the lowest value on the same grid from MIN_GROUP_THRESHOLD
up to the label's threshold at which the group-naming benign rows of that language stay within their own
budgets (real messages HEATED_BUDGET, written rows BENIGN_BUDGET) and MIN_PRECISION of the group-naming
rows it blocks are harmful ("group_thresholds"; a language whose group-naming benign rows are already over
budget at the label's threshold keeps it).
The file records the targets, the row
counts and per-label precision/recall at the chosen threshold, and the model's SHA-256 (the loader
refuses a calibration made for another model).

Run: `python -m models.calibrate` (uses the shipped model; `make model` runs it after training).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from filters.classifier import SAFE_LABEL, TextClassifier
from filters.fusion import MIN_UNITS_ALONE, text_units
from filters.group_mention import LANGS, MIN_GROUP_THRESHOLD, gets_group_threshold, text_language
from filters.model_text import model_texts
from models import LABELS_PATH, MODEL_DIR, MODEL_PATH
from models.benign_prose import prose_part
from models.dataset import cold_rows, corpus_rows, heldout_part, split_cold_train
from models.davidson import davidson_rows
from models.long_text import WINDOW_EXPONENT, BenignGroup, calibrate_exponent
from models.public_data import all_public_rows

CALIBRATION_PATH = MODEL_DIR / "calibration.json"
MIN_THRESHOLD = 0.90
MAX_THRESHOLD = 0.99
BENIGN_BUDGET = 0.001  # per label and language, written benign rows
# Per label and language, its real benign rows (REAL_BENIGN). 0.03 until session 7: models/reports/operating_point.md
HEATED_BUDGET = 0.04
MIN_PRECISION = 0.90
REAL_ZH, REAL_EN = "real zh (COLD non-offensive, SWSR not sexist)", "real en (tweets neither, SMS ham)"
REAL_BENIGN = {"cold": REAL_ZH, "swsr": REAL_ZH, "davidson": REAL_EN, "sms": REAL_EN}  # source -> benign group
REAL_LANG = {REAL_ZH: "zh", REAL_EN: "en"}
GRID_STEP = 0.005  # about one int8 output step (1/256): a finer step than that decides nothing
GRID = np.round(np.arange(MIN_THRESHOLD, MAX_THRESHOLD + 0.0001, GRID_STEP), 3)
GROUP_LABELS = ("bullying_or_hate",)  # labels that may get a lower threshold for texts naming a group


def calibration_rows() -> list[dict]:
    """The calibration half of the held-out corpus templates, the calibration parts of COLD train, the
    Davidson tweets, SWSR and the SMS collection, and the calibration modules' docstring sentences."""
    from models.train import prose_rows

    rows = [r for r in corpus_rows("heldout") if heldout_part(r) == "calibration"]
    rows += [r for r in prose_rows() if prose_part(r) == "calibration"]
    rows += list(davidson_rows("calibration"))
    rows += all_public_rows("calibration")
    return rows + split_cold_train(list(cold_rows("train")))[1]


def choose_threshold(p: np.ndarray, harmful: np.ndarray, benign_groups: list[tuple[np.ndarray, float]],
                     eligible: np.ndarray, grid: np.ndarray = GRID) -> float:
    """The lowest grid threshold meeting every (benign rows, budget) group and the precision target."""
    for t in grid:
        blocked = eligible & (p >= t)
        if any(blocked[group].sum() > budget * group.sum() for group, budget in benign_groups):
            continue
        n = int(blocked.sum())
        if n and harmful[blocked].mean() < MIN_PRECISION:
            continue
        return float(t)
    return MAX_THRESHOLD


def benign_masks(rows: list[dict], harmful: np.ndarray) -> tuple[list[str], list[np.ndarray], list[float]]:
    """(names, row masks, budgets) of the benign groups: written rows per language (BENIGN_BUDGET) and
    the real benign messages per language (REAL_BENIGN, HEATED_BUDGET)."""
    source = np.array([r.get("source") for r in rows])
    real_masks = [(name, np.isin(source, [s for s, n in REAL_BENIGN.items() if n == name]) & ~harmful)
                  for name in dict.fromkeys(REAL_BENIGN.values())]  # sources that share a name form one group
    real_masks = [(name, m) for name, m in real_masks if m.any()]
    heated = np.zeros(len(rows), dtype=bool)
    for _, m in real_masks:
        heated |= m
    written = sorted({r.get("lang", "zh") for r in rows})
    names = [f"written {lang}" for lang in written] + [name for name, _ in real_masks]
    masks = [~harmful & ~heated & np.array([r.get("lang", "zh") == lang for r in rows]) for lang in written]
    masks += [m for _, m in real_masks]
    return names, masks, [BENIGN_BUDGET] * len(written) + [HEATED_BUDGET] * len(real_masks)


def calibrate(clf: TextClassifier, rows: list[dict], exponent: float | None = WINDOW_EXPONENT) -> dict:
    """The calibration document (thresholds and the figures behind them) for `clf` on `rows`; `exponent`:
    the pinned window exponent (None: chosen on the joined long texts)."""
    scores = clf.predict_many(model_texts([r["text"] for r in rows]))  # PII left out, as on the device
    labels = [r["label"] for r in rows]
    harmful = np.array([label != SAFE_LABEL for label in labels])
    eligible = np.array([text_units(r["text"]) >= MIN_UNITS_ALONE for r in rows])
    names, masks, budgets = benign_masks(rows, harmful)
    benign_groups = list(zip(masks, budgets, strict=True))
    thresholds: dict[str, float] = {}
    per_label: dict[str, dict] = {}
    any_block = np.zeros(len(rows), dtype=bool)
    for label in clf.labels:
        if label == SAFE_LABEL:
            continue
        p = np.array([s[label] for s in scores])
        t = choose_threshold(p, harmful, benign_groups, eligible)
        thresholds[label] = t
        blocked = eligible & (p >= t)
        any_block |= blocked
        is_label = np.array([x == label for x in labels])
        per_label[label] = {
            "threshold": t,
            "blocked": int(blocked.sum()),
            "precision_label": float(is_label[blocked].mean()) if blocked.any() else None,
            "precision_harmful": float(harmful[blocked].mean()) if blocked.any() else None,
            "recall": float(blocked[is_label].mean()) if is_label.any() else None,
            "support": int(is_label.sum()),
            "benign_block_rate": {name: float(blocked[m].sum() / max(int(m.sum()), 1))
                                  for name, m in zip(names, masks, strict=True)},
        }
    long_text = long_text_doc(clf, rows, names, masks, budgets, thresholds, exponent)
    group = group_doc(rows, scores, harmful, eligible, masks, budgets, thresholds)
    return {
        "method": f"per-label lowest threshold on a {GRID_STEP} grid meeting a benign budget per language and a "
                  "precision target, on held-out calibration rows (models/calibrate.py)",
        "model_sha256": clf._sha256,
        "thresholds": thresholds,
        "window_exponent": long_text["exponent"],
        "group_thresholds": group["thresholds"],
        "targets": {"benign_budget_per_label_and_language": BENIGN_BUDGET,
                    "real_benign_budget_per_label_and_language": HEATED_BUDGET, "min_precision": MIN_PRECISION,
                    "grid": [MIN_THRESHOLD, MAX_THRESHOLD], "min_units_alone": MIN_UNITS_ALONE},
        "rows": {"total": len(rows), "harmful": int(harmful.sum()),
                 "benign": {name: int(m.sum()) for name, m in zip(names, masks, strict=True)},
                 "long_enough_to_block_alone": int(eligible.sum())},
        "per_label": per_label,
        "overall": {"benign_block_rate": float(any_block[~harmful].mean()) if (~harmful).any() else None,
                    "harmful_recall_model_alone": float(any_block[harmful].mean()) if harmful.any() else None},
        "long_text": long_text,
        "group": group,
    }


def group_doc(rows: list[dict], scores: list[dict[str, float]], harmful: np.ndarray, eligible: np.ndarray,
              masks: list[np.ndarray], budgets: list[float], thresholds: dict[str, float]) -> dict:
    """Thresholds for texts naming a group (GROUP_LABELS, per language) and the figures behind them."""
    texts = [r["text"] for r in rows]
    lang = np.array([text_language(t) for t in texts])
    group = np.array([gets_group_threshold(t, lg) for t, lg in zip(texts, lang, strict=True)])
    chosen: dict[str, dict[str, float]] = {}
    figures: dict[str, dict] = {}
    for label in GROUP_LABELS:
        if label not in thresholds:
            continue
        p = np.array([s[label] for s in scores])
        for lg in LANGS:
            here = group & (lang == lg)
            benign = [(m & here, budget) for m, budget in zip(masks, budgets, strict=True) if (m & here).any()]
            grid = np.round(np.arange(MIN_GROUP_THRESHOLD, thresholds[label] + 0.0001, GRID_STEP), 3)
            t = choose_threshold(p, harmful, benign, eligible & here, grid) if benign else thresholds[label]
            t = min(t, thresholds[label])
            is_label = np.array([r["label"] == label for r in rows]) & here
            figures[f"{label} {lg}"] = {
                "threshold": t, "group_rows": int(here.sum()), "benign_group_rows": [int(m.sum()) for m, _ in benign],
                "benign_blocked": [int((eligible & (p >= t))[m].sum()) for m, _ in benign],
                "recall_group_rows": float((eligible & (p >= t))[is_label].mean()) if is_label.any() else None,
                "recall_group_rows_at_label_threshold":
                    float((eligible & (p >= thresholds[label]))[is_label].mean()) if is_label.any() else None,
            }
            if t < thresholds[label]:
                chosen.setdefault(label, {})[lg] = t
    return {"thresholds": chosen, "cues": "filters/data/combos/hate.json group cue sets (filters/group_mention.py)",
            "per_label_language": figures}


def long_text_doc(clf: TextClassifier, rows: list[dict], names: list[str], masks: list[np.ndarray],
                  budgets: list[float], thresholds: dict[str, float],
                  exponent: float | None = WINDOW_EXPONENT) -> dict:
    """The window exponent for long texts and its figures (models/long_text.py), on the benign groups."""
    groups = [BenignGroup(name, REAL_LANG.get(name) or name.rsplit(" ", 1)[-1],
                          [rows[i]["text"] for i in np.flatnonzero(m)], budget)
              for name, m, budget in zip(names, masks, budgets, strict=True)]
    real = {g.lang: g for g in groups if g.name in REAL_LANG}
    return calibrate_exponent(clf.predict_many, rows, groups, real, thresholds, pinned=exponent)


def write(doc: dict, path: Path = CALIBRATION_PATH) -> None:
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m models.calibrate", description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=MODEL_PATH)
    parser.add_argument("--labels", type=Path, default=LABELS_PATH)
    parser.add_argument("--out", type=Path, default=CALIBRATION_PATH)
    parser.add_argument("--free-exponent", action="store_true",
                        help=f"choose the long-text window exponent on the joined calibration texts instead of "
                             f"the pinned {WINDOW_EXPONENT} (models/long_text.py WINDOW_EXPONENT)")
    args = parser.parse_args(argv)
    clf = TextClassifier.load(args.model, args.labels, calibrated=False)  # never a previous calibration
    rows = calibration_rows()
    print(f"calibrating on {len(rows)} held-out rows", flush=True)
    doc = calibrate(clf, rows, None if args.free_exponent else WINDOW_EXPONENT)
    write(doc, args.out)
    for label, figures in doc["per_label"].items():
        print(f"  {label:<22} threshold {figures['threshold']:.2f}  blocked {figures['blocked']}  "
              f"recall {figures['recall'] or 0:.3f}  benign {figures['benign_block_rate']}", flush=True)
    print(f"  window exponent of long texts {doc['window_exponent']:g} "
          f"(by the joined texts: {doc['long_text']['exponent_by_data']:g})", flush=True)
    print(f"  thresholds for texts naming a group {doc['group_thresholds']}", flush=True)
    print(f"  overall benign block rate {doc['overall']['benign_block_rate']:.4f}; wrote {args.out}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
