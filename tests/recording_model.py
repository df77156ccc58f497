"""Stand-in classifiers for engine tests: `RecordingModel` scores a text "fraud" when a test's predicate says so,
else "safe", and records every text it was shown (so a test can see what the engine showed the model);
`ConstantModel` scores every text with one bullying_or_hate probability."""

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


class ConstantModel:
    """Scores every text bullying_or_hate `p` (calibrated threshold 0.915, as the shipped model's)."""

    labels = ("safe", "bullying_or_hate")
    thresholds = {"bullying_or_hate": 0.915}

    def __init__(self, p: float = 0.95, window_exponent: float = 0.0) -> None:
        self.p = p
        self.window_exponent = window_exponent

    def predict_many(self, texts: list[str]) -> list[dict[str, float]]:
        return [{"safe": 1.0 - self.p, "bullying_or_hate": self.p} for _ in texts]
