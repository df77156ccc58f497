"""The closing summary of `make eval`: which targets are enforced and met, and which public figures are below target.

Enforced targets are the ones the project holds itself to on every change (dev.jsonl, the project's own
extra sets, the ordinary-vocabulary flag rates); `--strict` fails on them. The public sets (held-out
imported terms, real text nobody here wrote) carry the same printed targets but are reported, not
enforced: most are far below them, and the summary says so plainly instead of "all targets met".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Figure:
    name: str  # "dev: harmful blocked"
    value: str  # "100.0% (32/32)"
    target: str  # ">= 95%"
    met: bool
    enforced: bool


@dataclass
class Scoreboard:
    figures: list[Figure] = field(default_factory=list)
    not_measured: list[str] = field(default_factory=list)

    def add(self, name: str, part: int, whole: int, target: float, at_least: bool, enforced: bool) -> None:
        rate = part / whole if whole else (1.0 if at_least else 0.0)
        met = rate >= target if at_least else rate <= target
        self.figures.append(Figure(name, f"{100 * rate:.1f}% ({part}/{whole})",
                                   f"{'>=' if at_least else '<='} {100 * target:g}%", met, enforced))

    def add_set(self, rep: Any, enforced: bool, blocked: float, flagged: float, redacted: float) -> None:
        """The blocked / benign-flagged / PII-redacted figures of an evaluate.SetReport that has such rows."""
        if rep.harmful:
            self.add(f"{rep.name}: harmful blocked", rep.blocked, rep.harmful, blocked, True, enforced)
        if rep.benign:
            self.add(f"{rep.name}: benign flagged", rep.flagged, rep.benign, flagged, False, enforced)
        if rep.pii:
            self.add(f"{rep.name}: PII redacted", rep.redacted, rep.pii, redacted, True, enforced)

    def missing(self, name: str) -> None:
        """An enforced figure that could not be measured here (a package or file is missing)."""
        self.not_measured.append(name)

    def enforced_ok(self) -> bool:
        return not self.not_measured and all(f.met for f in self.figures if f.enforced)

    def lines(self) -> list[str]:
        enforced = [f for f in self.figures if f.enforced]
        public = [f for f in self.figures if not f.enforced]
        out = ["", "== summary =="]
        missed = [f for f in enforced if not f.met]
        out.append(f"enforced targets (dev.jsonl, extra sets, ordinary-vocabulary flag rates): "
                   f"{len(enforced) - len(missed)} of {len(enforced)} met")
        out += [f"  MISSED {f.name}: {f.value}, target {f.target}" for f in missed]
        out += [f"  NOT MEASURED {n}" for n in self.not_measured]
        below = [f for f in public if not f.met]
        if public:
            out.append(f"public sets (reported, not enforced): {len(public) - len(below)} of {len(public)} "
                       f"figures meet the printed target; below target:")
            out += [f"  {f.name}: {f.value}, target {f.target}" for f in below]
        verdict = "all enforced targets met" if self.enforced_ok() else "enforced targets MISSED"
        if below:
            verdict += f"; {len(below)} public figure{'s' if len(below) != 1 else ''} below target (listed above)"
        out.append(verdict)
        return out
