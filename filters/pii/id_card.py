"""Chinese resident ID numbers (GB 11643-1999): 18 characters with the MOD 11-2 check character,
a valid province code and a plausible birth date; 15-digit first-generation IDs after an ID cue."""

from __future__ import annotations

from filters.pii.runs import Run
from filters.pii.types import Candidate

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "
    "61 62 63 64 65 71 81 82 83 91".split()
)


def id_checksum_ok(digits17: str, last: str) -> bool:
    """GB 11643-1999 MOD 11-2 check character of an 18-character resident ID."""
    total = sum(int(c) * w for c, w in zip(digits17, _WEIGHTS, strict=True))
    return _CHECK[total % 11] == last.upper()


def is_resident_id(value: str) -> bool:
    """18 characters, valid province code, plausible birth date, and a correct check character."""
    if len(value) != 18 or not value[:17].isdigit() or not (value[17].isdigit() or value[17] in "xX"):
        return False
    if value[:2] not in PROVINCES:
        return False
    year, month, day = int(value[6:10]), int(value[10:12]), int(value[12:14])
    if not (1900 <= year <= 2099 and 1 <= month <= 12 and 1 <= day <= 31):
        return False
    return id_checksum_ok(value[:17], value[17])


def is_old_resident_id(value: str) -> bool:
    """15-digit first-generation ID: province code and a plausible yymmdd birth date (no checksum)."""
    month, day = int(value[8:10]), int(value[10:12])
    return value[:2] in PROVINCES and 1 <= month <= 12 and 1 <= day <= 31


class IdCardJudge:
    """Accepts a digit run that is a resident ID (17 digits + X, 18 digits, or 15 after an ID cue)."""

    name = "id_card"

    def judge(self, run: Run) -> Candidate | None:
        digits, dv, end = run.digits, run.dv, run.end
        n = len(digits)
        if n == 17 and dv[end:end + 1] in ("X", "x") and not dv[end + 1:end + 2].isalpha():
            if is_resident_id(digits + "X"):
                return (run.start, end + 1, "id_card")
        if n == 18 and is_resident_id(digits):
            return (run.start, end, "id_card")
        if n == 15 and run.cue == "id" and is_old_resident_id(digits):
            return (run.start, end, "id_card")
        return None
