"""When a written homophone of a term counts (filters/matcher.py's syllable scan asks these).

- `cut`: is the homophone part of ordinary words? Short ones: any common word across an edge (打麻将
  is not 大麻). A long one keeping at least half of the term's own characters (借用成年人身粉证) is no
  coincidence: only the most probable segmentation may cut it (身粉证|实名 keeps it though 证实 is a word).
- `near`: a term whose homophones are off (its sound-alikes are ordinary words) still matches when one
  character of three or more is written another way and what is written holds no common word (石时彩
  for 时时彩; 福利好 holds 福利 and is not 福利号).
- `ordinary_reading`: a character written another way sits inside a very common word that lies within
  what was written and is not the term's own (了解自己 holds 了解: it is not 了结自己).
- `same_latin`: a term mixing characters and Latin (免费领q币) must keep its Latin as written.
"""

from __future__ import annotations

from filters.normalize import is_cjk
from filters.segment import Segmenter

HOMOPHONE_WORD_FREQ = 20  # written characters that are a dictionary word (this common) are not a disguise
NEAR_MIN = 3  # homophones off: one character of this many or more may still be written as a homophone
ORDINARY_WORD_FREQ = 1000  # a word this common around a changed character makes the reading ordinary
LONG_HOMOPHONE = 4  # from this many characters a homophone keeping half the term's own is judged by segmentation


def cut(seg: Segmenter, fold: str, fs: int, fe: int, own: str, strict: bool = False) -> bool:
    """True if the homophone fold[fs:fe] of the term `own` is part of ordinary words (strict: the
    common-word test whatever the length)."""
    kept = sum(a == b for a, b in zip(fold[fs:fe], own, strict=False))
    if not strict and len(own) >= LONG_HOMOPHONE and 2 * kept >= len(own):
        return seg.crosses(fold, fs, fe)
    return seg.overlapped(fold, fs, fe, HOMOPHONE_WORD_FREQ)


def near(seg: Segmenter, written: str, own: str) -> bool:
    """Exactly one character of a term of NEAR_MIN+ characters written another way, and no common word
    inside what was written (福利好 holds 福利: ordinary text, not 福利号 disguised; 石时彩 holds none)."""
    if len(own) < NEAR_MIN or len(written) != len(own):
        return False
    if sum(a != b for a, b in zip(written, own, strict=True)) != 1:
        return False
    n = len(written)
    return not any(seg.word_freq(written[i:j]) >= HOMOPHONE_WORD_FREQ
                   for i in range(n) for j in range(i + 2, min(n, i + 4) + 1))


def same_latin(written: str, own: str) -> bool:
    """The Latin letters and digits of the written form are the term's own (none for a Chinese term)."""
    latin = "".join(c for c in written if not is_cjk(c))
    return not latin or latin == "".join(c for c in own if not is_cjk(c))


def ordinary_reading(seg: Segmenter, written: str, own: str) -> bool:
    """True if a character written another way lies inside a very common word (2-4 characters) wholly
    within `written` and not written as the term has it: 了解自己 (了解) is not 了结自己. Disguises keep
    the changed characters out of ordinary words (若至, 制杖, 亩勾), so this never clears them."""
    if len(written) != len(own):
        return False
    n = len(written)
    for i in (k for k, (a, b) in enumerate(zip(written, own, strict=True)) if a != b):
        for a in range(max(0, i - 3), i + 1):
            for b in range(max(i + 1, a + 2), min(n, a + 4) + 1):
                if written[a:b] != own[a:b] and seg.word_freq(written[a:b]) >= ORDINARY_WORD_FREQ:
                    return True
    return False
