"""What a lower threshold floor or a larger real-benign budget buys and costs: `python -m models.operating_point`.

models/calibrate.py gives each label the lowest threshold on a grid starting at MIN_THRESHOLD (0.90)
that keeps the benign budgets and the precision target on the calibration rows. Most labels sit at
the floor; bullying_or_hate is held up by the real-benign budget (HEATED_BUDGET, 4% since session 7, of the heated
but non-offensive COLD/SWSR rows). This tool recomputes the calibrated thresholds for several
operating points, "FLOOR" or "FLOOR/REAL_BUDGET" (same calibration rows and other targets), and
shows, for the whole filter at each, the harmful rows blocked and the benign rows flagged on every
set at hand:
COLD dev, ToxiCN's test split (`--toxicn`, local only), the public SWSR / Davidson / SMS sets, the
held-out test templates, extra_harmful / extra_traps, English prose, the device's children's
encyclopedia, idioms of 7+ characters, and any `--local` JSONL set.

For the default policy (band 8-11, every harmful term blocks) the verdict at a threshold is exact
without re-running the filter: a text is blocked if the word lists, PII policy or rules block it
(one pass with the model off), or a label's score reaches its threshold on a text of at least
MIN_UNITS_ALONE units (filters/fusion.py rule 1; corroboration only lifts severities, which this
band does not need). Scores are the model's on the model text (PII left out, as on the device).

A point may end in "@EXPONENT": the window exponent of long texts (filters/fusion.py; a text of n
windows needs 1 - (1 - T) * n ** -EXPONENT), a number or "cal" (chosen by models/long_text.py for that
point's thresholds and budgets, as `make model` does). Without it the exponent is 0 (one threshold for
every length, the rule until session 7), e.g. `--points 0.90/0.03 0.90/0.04 0.90/0.03@cal 0.90/0.04@cal`.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from filters.classifier import SAFE_LABEL, TextClassifier
from filters.fusion import MIN_UNITS_ALONE, long_text_threshold, model_windows, text_units
from filters.model_text import model_texts
from models import calibrate as cal
from models.compare_filter import REPO, _jsonl, _model_paths, labelled_sets

DEVICE_CORPUS = REPO / "device" / "data" / "corpus"
PUBLIC = REPO / "filters" / "data" / "eval" / "public"
POINTS = ("0.90", "0.85", "0.80", "0.90/0.05", "0.85/0.05", "0.80/0.08")


def benign_sets() -> dict[str, list[tuple[str, bool]]]:
    """Extra benign and real sets: public eval sets, prose, the device's encyclopedia, long idioms."""
    from filters.eval_public import licence_prose, pypinyin_phrases, stdlib_prose

    sets: dict[str, list[tuple[str, bool]]] = {}
    for stem in ("swsr_comments", "davidson_tweets", "sms_spam", "classical_canon"):
        if (PUBLIC / f"{stem}.jsonl").exists():
            sets[f"public {stem}"] = [(r["text"], r["expect"] == "block") for r in _jsonl(PUBLIC / f"{stem}.jsonl")]
    sets["English prose"] = [(t, False) for t in stdlib_prose() + licence_prose()]
    for lang in ("zh", "en"):
        path = DEVICE_CORPUS / f"encyclopedia_{lang}.jsonl"
        if path.exists():
            sets[f"encyclopedia {lang}"] = [(f"{r['title']} {r['snippet']}", False) for r in _jsonl(path)]
    try:
        sets["idioms 7+ chars"] = [(p, False) for p in pypinyin_phrases() if len(p) >= MIN_UNITS_ALONE]
    except ImportError:  # the tools extra brings pypinyin
        pass
    return sets


def point_thresholds(clf: TextClassifier, points: list[str]) -> dict[str, dict[str, float]]:
    """Calibrated per-label thresholds (models/calibrate.py) per point "FLOOR[/REAL_BUDGET]": the grid
    starts at FLOOR and the real-benign groups may take REAL_BUDGET (default HEATED_BUDGET)."""
    rows = cal.calibration_rows()
    scores = clf.predict_many(model_texts([r["text"] for r in rows]))
    harmful = np.array([r["label"] != SAFE_LABEL for r in rows])
    eligible = np.array([text_units(r["text"]) >= MIN_UNITS_ALONE for r in rows])
    _, masks, budgets = cal.benign_masks(rows, harmful)
    out = {}
    for point in points:
        floor, _, real = point.partition("@")[0].partition("/")
        grid = np.round(np.arange(float(floor), cal.MAX_THRESHOLD + 0.0001, cal.GRID_STEP), 3)
        groups = [(m, float(real) if real and b == cal.HEATED_BUDGET else b)
                  for m, b in zip(masks, budgets, strict=True)]
        out[point] = {label: cal.choose_threshold(np.array([s[label] for s in scores]), harmful, groups, eligible, grid)
                      for label in clf.labels if label != SAFE_LABEL}
    return out


def point_exponents(clf: TextClassifier, thresholds: dict[str, dict[str, float]]) -> dict[str, float]:
    """The window exponent per point: the number after "@", the calibrated one for "@cal", else 0."""
    out: dict[str, float] = {}
    for point, th in thresholds.items():
        _, _, exponent = point.partition("@")
        if exponent != "cal":
            out[point] = float(exponent or 0.0)
            continue
        rows = cal.calibration_rows()
        harmful = np.array([r["label"] != SAFE_LABEL for r in rows])
        names, masks, budgets = cal.benign_masks(rows, harmful)
        real = point.partition("@")[0].partition("/")[2]
        budgets = [float(real) if real and b == cal.HEATED_BUDGET else b for b in budgets]
        out[point] = cal.long_text_doc(clf, rows, names, masks, budgets, th)["exponent"]
    return out


def main(argv: list[str] | None = None) -> int:
    from filters.engine import TextFilter

    parser = argparse.ArgumentParser(prog="python -m models.operating_point", description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="shipped", help="'shipped' or a folder with the .tflite and labels.json")
    parser.add_argument("--points", nargs="+", default=list(POINTS), help="FLOOR or FLOOR/REAL_BUDGET, e.g. 0.85/0.05")
    parser.add_argument("--toxicn", type=Path, default=None, help="local ToxiCN test.json (never committed)")
    parser.add_argument("--local", type=Path, action="append", default=[],
                        help="a local JSONL set ({text, expect: block|allow}) that may not be committed (repeat)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)
    model, labels = _model_paths(args.model)
    clf = TextClassifier.load(model, labels, calibrated=False)
    thresholds = point_thresholds(clf, args.points)
    exponents = point_exponents(clf, thresholds)
    sets = {**labelled_sets(args.toxicn, args.local), **benign_sets()}
    sets = {k: v for k, v in sets.items() if not k.startswith("tpl ")} | {
        "held-out test templates": [row for k, v in sets.items() if k.startswith("tpl ") for row in v]}
    words_only = TextFilter.load()
    figures: dict[str, dict[str, tuple[int, int, int, int]]] = {}
    for name, rows in sets.items():
        texts = [t for t, _ in rows]
        figures[name] = set_figures(clf, words_only, texts, np.array([h for _, h in rows], dtype=bool), thresholds,
                                    exponents)
    points = list(thresholds)
    for point, th in thresholds.items():
        print(f"thresholds at {point}: " + ", ".join(f"{k} {v:.3f}" for k, v in th.items())
              + f"; window exponent {exponents[point]:g}")
    print("| set | " + " | ".join(f"{p}: blocked / flagged" for p in points) + " |")
    print("|---|" + "---|" * len(points))
    for name, per in figures.items():
        print(f"| {name} | " + " | ".join(_cell(*per[p]) for p in points) + " |")
    if args.json:
        doc = {"thresholds": thresholds, "window_exponents": exponents, "sets": figures}
        args.json.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


def set_figures(clf: TextClassifier, words_only: object, texts: list[str], harmful: np.ndarray,
                thresholds: dict[str, dict[str, float]],
                exponents: dict[str, float] | None = None) -> dict[str, tuple[int, int, int, int]]:
    """Point -> (harmful blocked, harmful, benign flagged, benign) for the whole filter at that point
    (`exponents`: point -> window exponent of long texts, default 0)."""
    actions = np.array([v.action for v in words_only.check_many(texts)])  # type: ignore[attr-defined]
    scores = clf.predict_many(model_texts(texts))
    long_enough = np.array([text_units(t) >= MIN_UNITS_ALONE for t in texts], dtype=bool)
    windows = [model_windows(t) for t in texts]
    out = {}
    for point, th in thresholds.items():
        e = (exponents or {}).get(point, 0.0)
        model = long_enough & np.array([any(s[label] >= long_text_threshold(t, n, e) for label, t in th.items())
                                        for s, n in zip(scores, windows, strict=True)], dtype=bool)
        blocked = (actions == "block") | model
        flagged = blocked | (actions != "allow")
        out[point] = (int(blocked[harmful].sum()), int(harmful.sum()), int(flagged[~harmful].sum()),
                      int((~harmful).sum()))
    return out


def _cell(blocked: int, harmful: int, flagged: int, benign: int) -> str:
    left = f"{100 * blocked / harmful:.1f}%" if harmful else "-"
    right = f"{100 * flagged / benign:.2f}% ({flagged})" if benign else "-"
    return f"{left} / {right}"


if __name__ == "__main__":
    raise SystemExit(main())
