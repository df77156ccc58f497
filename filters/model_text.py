"""The text the classifier is shown: the text with its personal data (PII spans) left out.

A child's own ID card, phone or QQ number must never decide a model label: the PII rules redact or
block it per policy, and the model judges the words around it. filters/engine.py calls `model_text`
on every text it asks the model about (only when the PII pre-check fired, so it costs nothing on the
rest), and the training recipe (models/train.py, calibrate.py, evaluate_model.py) calls
`model_texts`, so the model is trained, calibrated and judged on the same kind of text it meets.

An UNCHECKED match (a recogniser failed; it covers the whole text) is not left out: the PII side
already redacts or blocks that text (fail closed), and the model still judges all of it.
"""

from __future__ import annotations

from collections.abc import Sequence

from filters.pii import PiiDetector, PiiMatch
from filters.pii.types import UNCHECKED

# What stands in for a PII span: one space (the featurizer drops spaces, so the span leaves no n-gram
# of its own and no trace of its kind: a phone number in a scam and in a child's message look alike).
GAP = " "


def model_text(text: str, matches: Sequence[PiiMatch]) -> str:
    """`text` with each checked PII span replaced by GAP (spans index `text`, as PiiDetector.find gives them)."""
    spans = sorted((m.start, m.end) for m in matches if m.kind != UNCHECKED)
    if not spans:
        return text
    out, pos = [], 0
    for start, end in spans:
        if start < pos:  # overlapping spans (find never returns them): keep the union
            start = pos
        out.append(text[pos:start])
        out.append(GAP)
        pos = max(pos, end)
    out.append(text[pos:])
    return "".join(out)


def model_texts(texts: Sequence[str], detector: PiiDetector | None = None) -> list[str]:
    """model_text of each text, PII found by `detector` (a new PiiDetector if None)."""
    detector = detector or PiiDetector()
    return [model_text(t, detector.find(t)) if detector.has_trigger(t) else t for t in texts]
