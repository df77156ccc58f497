"""Verdict and Reason: what the filter decided about a text, and why.

The JSON shape is the `kidsafe check` contract in shared/DESIGN.md:
{"action", "categories", "redacted", "reasons": [{"category", "rule", "span", "matched", ...}]}.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ALLOW, REDACT, BLOCK = "allow", "redact", "block"
_RANK = {ALLOW: 0, REDACT: 1, BLOCK: 2}


@dataclass(frozen=True, slots=True)
class Reason:
    """One piece of evidence.

    kind: "lexicon" (a word-pack term), "policy" (a parent's block word), "pii",
    "model" (classifier score), or "notice" (e.g. the model is unavailable; never blocks).
    span indexes the original text as [start, end) in code points; None for whole-text evidence.
    """

    category: str
    rule: str
    span: tuple[int, int] | None
    matched: str
    kind: str = "lexicon"
    severity: int = 0
    score: float | None = None
    view: str | None = None
    blocking: bool = True

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "category": self.category,
            "rule": self.rule,
            "span": list(self.span) if self.span is not None else None,
            "matched": self.matched,
            "kind": self.kind,
        }
        if self.severity:
            out["severity"] = self.severity
        if self.score is not None:
            out["score"] = round(self.score, 4)
        if self.view:
            out["view"] = self.view
        return out


@dataclass(slots=True)
class Verdict:
    """The filter's decision on one text: action, categories, reasons and the text as shown."""

    action: str
    categories: list[str]
    reasons: list[Reason]
    redacted: str
    notices: list[str] = field(default_factory=list)

    @property
    def blocked(self) -> bool:
        return self.action == BLOCK

    def to_json(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "categories": list(self.categories),
            "redacted": self.redacted,
            "reasons": [r.to_json() for r in self.reasons],
        }


def stronger(a: str, b: str) -> str:
    """The stricter of two actions."""
    return a if _RANK[a] >= _RANK[b] else b
