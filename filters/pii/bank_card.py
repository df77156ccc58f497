"""Bank card numbers: 13-19 digits passing the Luhn check, after a bank cue, grouped like a card
(4-4-4-4, 4-6-5), or written alone with a common card prefix (UnionPay, Visa, Mastercard, JCB,
Discover, American Express)."""

from __future__ import annotations

from filters.pii.runs import Run
from filters.pii.types import Candidate


def luhn_ok(digits: str) -> bool:
    """The Luhn (mod 10) check used by bank card numbers."""
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = ord(c) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _known_prefix(digits: str) -> bool:
    """UnionPay 62 (16-19 digits), Visa 4 / Mastercard 51-55 / JCB 35 / Discover 6011, 65 (16),
    American Express 34, 37 (15)."""
    n = len(digits)
    return (digits.startswith("62") and n in (16, 17, 18, 19)) or (
        n == 16 and (digits[0] == "4" or "51" <= digits[:2] <= "55" or digits[:2] in ("35", "65")
                     or digits.startswith("6011"))) or (n == 15 and digits[:2] in ("34", "37"))


class BankCardJudge:
    name = "bank_card"

    def judge(self, run: Run) -> Candidate | None:
        digits, sizes = run.digits, run.sizes
        if not (13 <= len(digits) <= 19 and luhn_ok(digits)):
            return None
        grouped = (len(sizes) >= 3 and all(x == 4 for x in sizes[:-1]) and 1 <= sizes[-1] <= 4) or sizes in (
            [4, 6, 5], [4, 6, 4])
        if (run.cue == "bank" and digits[0] != "0") or (grouped and digits[0] in "3456") or (
                _known_prefix(digits) and len(sizes) == 1 and not run.cue):
            return (run.start, run.end, "bank_card")
        return None
