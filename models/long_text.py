"""Long texts: the calibrated window exponent of the model's long-text threshold (filters/fusion.py).

The classifier scores a text longer than 72 letters and digits as up to 8 windows and reports the
window least likely safe, so a long text has as many chances to cross a label's threshold T as it has
windows. Measured in session 8 with the one-window thresholds alone: joined real benign comments
(COLD, SWSR) of 2-8 windows were blocked 27% of the time against 3.7% for one comment, and the long
paragraphs of ordinary news and reviews were most of the model's false positives.

filters/fusion.py therefore asks a text of n windows to reach T_n = 1 - (1 - T) * n ** -e. This module
chooses e on held-out rows only: from each benign group of the calibration rows (models/calibrate.py:
written zh / en, real zh, real en) it builds TEXTS_PER_COUNT long texts of each window count 2-8 by
joining rows of that group in a seeded random order (the same rows, so nothing new is learnt about
the words, only about length), scores them as the device does (PII left out, window least likely
safe) and finds the LOWEST e on EXPONENT_GRID at which, for every label and group, the long texts are
blocked no more often than that group's one-window budget (0.1% written, the real-benign budget for
real messages). e = 1 is a Bonferroni correction for n chances.

Since session 13 the exponent is PINNED at WINDOW_EXPONENT = 1.0 (the value chosen in session 8): the choice on
the grid is still computed and recorded ("exponent_by_data") but no longer used, because it is decided by one
or two joined written texts against the 0.1% budget (3.5 of 3,500 per label and language), so a template
change that does not touch the model moved it 1.0 -> 1.125 in session 12 and cost whole-filter recall
(ToxiCN -5, COLD dev -15 rows) with no benign gain measured. `python -m models.calibrate --free-exponent`
uses the data's choice (the session 8-12 behaviour).

For the record (not for the choice) it also builds long harmful texts: one harmful calibration row of a
label among benign real rows of its language, and reports the share blocked by that label at e = 0 and
at the chosen e: what the rule costs on harm hidden in a long text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from filters.classifier import SAFE_LABEL
from filters.fusion import LONG_TEXT_CAP, MAX_WINDOWS, long_text_threshold, model_windows
from filters.model_text import model_texts

SEED = 8
TEXTS_PER_COUNT = 500  # long benign texts per benign group and window count (2..MAX_WINDOWS)
HARMFUL_PER_LABEL = 300  # long harmful texts per label (the record only)
EXPONENT_GRID = tuple(float(x) for x in np.round(np.arange(0.0, 2.0001, 0.125), 3))
WINDOW_COUNTS = tuple(range(2, MAX_WINDOWS + 1))
# The exponent calibration.json carries (None = the grid's choice on the joined texts; see the docstring).
WINDOW_EXPONENT: float | None = 1.0
_STEP = 70  # letters a window adds (72, overlapping by 2)

Scorer = Callable[[list[str]], list[dict[str, float]]]
_NONWORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class BenignGroup:
    """One benign group of the calibration rows: its texts, language and one-window budget."""

    name: str
    lang: str
    texts: list[str]
    budget: float

    def letters(self) -> np.ndarray:
        return np.array([len(_NONWORD.sub("", t)) for t in self.texts])


def join_rows(group: BenignGroup, letters: np.ndarray, n: int, rng: np.random.Generator,
              first: str | None = None) -> str | None:
    """A text of `n` classifier windows joined from the group's rows in random order (a given `first`
    row at a random position among them); None when the draw does not land on n windows."""
    target = int(rng.integers(_STEP * (n - 1) + 3, _STEP * n + 3))
    picked: list[str] = [] if first is None else [first]
    size = len(_NONWORD.sub("", first or ""))
    for j in rng.permutation(len(group.texts)):
        if size >= target:
            break
        picked.append(group.texts[j])
        size += int(letters[j])
    if first is not None:
        picked.insert(int(rng.integers(0, len(picked))), picked.pop(0))
    text = (" " if group.lang == "en" else "").join(picked)
    return text if model_windows(text) == n else None


def long_benign(groups: list[BenignGroup], rng: np.random.Generator) -> list[tuple[str, int, str]]:
    """(group name, window count, text): TEXTS_PER_COUNT texts per benign group and window count."""
    out = []
    for group in groups:
        letters = group.letters()
        for n in WINDOW_COUNTS:
            made = 0
            while made < TEXTS_PER_COUNT:
                text = join_rows(group, letters, n, rng)
                if text is not None:
                    out.append((group.name, n, text))
                    made += 1
    return out


def long_harmful(rows: list[dict], real: dict[str, BenignGroup],
                 rng: np.random.Generator) -> list[tuple[str, int, str]]:
    """(label, window count, text): up to HARMFUL_PER_LABEL harmful rows per label, each hidden among
    the real benign rows of its language (`real`: language -> group) in a text of 2..MAX_WINDOWS windows."""
    out = []
    letters = {lang: group.letters() for lang, group in real.items()}
    for label in sorted({r["label"] for r in rows} - {SAFE_LABEL}):
        mine = [r for r in rows if r["label"] == label and r.get("lang", "zh") in real]
        for k in rng.permutation(len(mine))[:HARMFUL_PER_LABEL]:
            lang = mine[k].get("lang", "zh")
            for _ in range(20):
                n = int(rng.integers(2, MAX_WINDOWS + 1))
                text = join_rows(real[lang], letters[lang], n, rng, first=mine[k]["text"])
                if text is not None:
                    out.append((label, n, text))
                    break
    return out


def blocked(p: np.ndarray, windows: np.ndarray, threshold: float, exponent: float) -> np.ndarray:
    """Which texts a label blocks alone at `threshold` for one window and the window exponent."""
    limits = np.array([long_text_threshold(threshold, int(n), exponent) for n in windows])
    return p >= limits


def by_label(scores: list[dict[str, float]], labels: dict[str, float]) -> dict[str, np.ndarray]:
    """label -> the texts' probabilities of that label."""
    return {label: np.array([s[label] for s in scores]) for label in labels}


def choose_exponent(p: dict[str, np.ndarray], groups: np.ndarray, windows: np.ndarray,
                    thresholds: dict[str, float], budgets: dict[str, float]) -> float:
    """The lowest EXPONENT_GRID value at which every label blocks at most each group's budget of its long
    benign texts (p: label -> probabilities; the top of the grid when no value does)."""
    for e in EXPONENT_GRID:
        if all(blocked(p[label], windows, t, e)[groups == g].mean() <= budget
               for label, t in thresholds.items() for g, budget in budgets.items()):
            return e
    return EXPONENT_GRID[-1]


def calibrate_exponent(score: Scorer, rows: list[dict], benign_groups: list[BenignGroup],
                       real: dict[str, BenignGroup], thresholds: dict[str, float],
                       pinned: float | None = WINDOW_EXPONENT) -> dict:
    """The window exponent and the figures behind it (calibration.json "long_text"). `benign_groups`:
    every benign group of the calibration rows; `real`: language -> its real benign group; `pinned`: the
    exponent to use whatever the joined texts say (None: the grid's choice)."""
    rng = np.random.default_rng(SEED)
    benign = long_benign(benign_groups, rng)
    names = [g.name for g in benign_groups]
    groups = np.array([g for g, _, _ in benign])
    windows = np.array([n for _, n, _ in benign])
    p_benign = by_label(score(model_texts([t for _, _, t in benign])), thresholds)
    by_data = choose_exponent(p_benign, groups, windows, thresholds, {g.name: g.budget for g in benign_groups})
    exponent = by_data if pinned is None else float(pinned)
    harmful = long_harmful(rows, real, rng)
    h_scores = score(model_texts([t for _, _, t in harmful]))
    h_labels = np.array([label for label, _, _ in harmful])
    h_windows = np.array([n for _, n, _ in harmful])
    p_harmful = by_label(h_scores, thresholds)

    def rates(e: float) -> dict:
        benign_rate = {g: {label: float(blocked(p_benign[label], windows, t, e)[groups == g].mean())
                           for label, t in thresholds.items()} for g in names}
        recall = {label: float(blocked(p_harmful[label], h_windows, t, e)[h_labels == label].mean())
                  for label, t in thresholds.items() if (h_labels == label).any()}
        return {"benign_block_rate": benign_rate, "harmful_recall": recall}

    how = ("lowest exponent e on the grid at which every label blocks at most each benign group's budget of "
           "long texts joined from that group's calibration rows")
    return {
        "method": (how if pinned is None else f"pinned at {float(pinned):g} (models/long_text.py WINDOW_EXPONENT; "
                   f"exponent_by_data: the {how})") + "; a text of n windows needs "
                  f"1 - (1 - T) * n ** -e, at most {LONG_TEXT_CAP} (models/long_text.py)",
        "grid": [EXPONENT_GRID[0], EXPONENT_GRID[-1]],
        "texts": {"benign_per_group_and_window_count": TEXTS_PER_COUNT, "window_counts": list(WINDOW_COUNTS),
                  "benign": len(benign), "harmful": len(harmful), "seed": SEED},
        "at_exponent_0": rates(0.0),
        "at_chosen_exponent": rates(exponent),
        "exponent": exponent,
        "exponent_by_data": by_data,
    }
