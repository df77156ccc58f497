"""A stand-in classifier for engine tests: scores a text "fraud" when a test's predicate says so, else "safe",
and records every text it was shown (so a test can see what the engine showed the model)."""

from __future__ import annotations

from collections.abc import Callable


class RecordingModel:
    labels = ("safe", "fraud")
    thresholds = {"fraud": 0.9}

    def __init__(self, harmful: Callable[[str], bool]) -> None:
        self.harmful = harmful
        self.seen: list[str] = []

    def predict_many(self, texts: list[str]) -> list[dict[str, float]]:
        self.seen += texts
        return [{"safe": 0.0, "fraud": 1.0} if self.harmful(t) else {"safe": 1.0, "fraud": 0.0} for t in texts]
