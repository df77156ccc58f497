"""What every PII recogniser shares: the match type, the kinds, the scan context and the error type."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

KINDS: tuple[str, ...] = (
    "id_card", "phone", "landline", "im_account", "email", "bank_card",
    "address", "school", "password", "us_phone", "us_address",
)
# The kind of the whole-text match returned when a recogniser failed: the text is treated as
# personal data (fail closed), never as "no PII".
UNCHECKED = "unchecked"

# Lower number wins when two candidate spans of equal length overlap.
PRIORITY: dict[str, int] = {k: i for i, k in enumerate((
    "password", "id_card", "email", "bank_card", "phone", "us_phone", "landline",
    "im_account", "address", "us_address", "school",
))}

# A candidate span found by a recogniser: (start, end, kind), indexing the original text.
Candidate = tuple[int, int, str]
# A cue word found in the text: (start, end, cue type).
Cue = tuple[int, int, str]


@dataclass(frozen=True, slots=True)
class PiiMatch:
    """One piece of personal data: its kind and its [start, end) span in the original text.

    `recogniser` is set only on an UNCHECKED match: the recogniser that failed.
    """

    kind: str
    start: int
    end: int
    text: str
    recogniser: str = ""

    @property
    def rule(self) -> str:
        """The verdict rule: "pii:phone", or "pii:unchecked:email" when the e-mail recogniser failed."""
        return f"pii:{self.kind}:{self.recogniser}" if self.recogniser else f"pii:{self.kind}"


class Scan(NamedTuple):
    """One text being scanned: `dv` is the digit view (same length and offsets as the text).
    (NamedTuples, not dataclasses, for the classes made at import: a @dataclass costs ~1 ms of start-up.)"""

    text: str
    dv: str
    cues: list[Cue]
    cue_ends: list[int]


class RecogniserError(Exception):
    """A recogniser raised while scanning; `name` says which one (the cause is chained)."""

    def __init__(self, name: str, cause: BaseException) -> None:
        super().__init__(f"PII recogniser {name!r} failed: {type(cause).__name__}: {cause}")
        self.name = name
