"""PII (anti-doxxing) detector: finds a child's personal data in text so it can be redacted.

One module per recogniser: `id_card` (GB 11643 MOD 11-2), `phones` (mobiles, landlines, US and
spelled numbers), `im_accounts` (QQ / WeChat / other IM, only near a cue), `email`, `bank_card`
(Luhn), `address` (Chinese homes), `us_address`, `school` (school + class), `passwords`; the number
recognisers share one digit-run scan (`runs`) over the digit view (`digits`: full-width, circled,
super/subscript … digits read as digits), and cue words are found once (`cues`).  `detector`
runs them and fails closed: a recogniser error is logged once and the text is treated as personal
data (an UNCHECKED match over the whole text), never as "no PII".  Spans cover only the sensitive
value, never the cue words, and index the original text in code points.  Every pattern is bounded
or possessive, so `find` is linear in the text length.  All cue words, places, labels and e-mail
placeholders are data files under filters/data/pii/ (see the README there).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from filters.pii.bank_card import luhn_ok
from filters.pii.data import DATA_DIR
from filters.pii.detector import PiiDetector
from filters.pii.id_card import id_checksum_ok, is_resident_id
from filters.pii.types import KINDS, UNCHECKED, PiiMatch, RecogniserError

__all__ = [
    "DATA_DIR", "KINDS", "UNCHECKED", "PiiDetector", "PiiMatch", "RecogniserError",
    "id_checksum_ok", "is_resident_id", "luhn_ok", "placeholder",
]


@lru_cache(maxsize=4)
def _default(data_dir: Path | None = None) -> PiiDetector:
    return PiiDetector(data_dir)


def placeholder(kind: str, lang: str) -> str:
    """The readable stand-in for a kind, e.g. placeholder("phone", "zh") == "[手机号]"."""
    return _default().placeholder(kind, lang)
