"""Phone numbers: Chinese mobiles (+86 / 0086, digit words, any separators), Taiwan mobiles,
landlines with an area code, local numbers after a phone cue, US/NANP numbers, and US numbers
spelled in English digit words ("two one two, five five five, …")."""

from __future__ import annotations

import re
from bisect import bisect_right

from filters import regex_cache
from filters.pii.cues import IM_TYPES, CueIndex
from filters.pii.patterns import DIGIT_WORD_ALT, DIGIT_WORDS, SPELLED_ANCHORS, SPELLED_NEXT, alternation
from filters.pii.runs import Run
from filters.pii.types import Candidate, Cue, Scan

_EN_PHONE_CUES = frozenset({"call me", "call", "phone", "cell", "mobile", "tel", "text me", "number", "whatsapp"})


class MobileJudge:
    """Mainland mobiles (1[3-9]x xxxx xxxx, with +86 / 0086) and Taiwan mobiles (09xx-xxx-xxx)."""

    name = "phone"

    def judge(self, run: Run) -> Candidate | None:
        digits, sizes, start, pre = run.digits, run.sizes, run.start, run.pre
        n = len(digits)
        core, cstart = digits, start
        if n == 15 and digits.startswith("0086"):
            core, cstart = digits[4:], pre
        elif n == 13 and digits.startswith("86") and (sizes[0] == 2 or "+" in run.dv[pre:start]):
            core, cstart = digits[2:], pre
        nanp_grouped = sizes[:1] == [1] and sizes[1:] == [3, 3, 4]
        if len(core) == 11 and core[0] == "1" and core[1] in "3456789" and not run.glued_word and not nanp_grouped:
            if len(core) == n or cstart != start or sizes[0] in (2, 4):
                return (cstart, run.end, "phone")
        if n == 10 and digits.startswith("09") and (run.cue == "phone" or sizes in ([4, 3, 3], [4, 6])):
            return (start, run.end, "phone")
        return None


class LandlineJudge:
    """Area code + 7-8 digit local number ("+86 10 ..." drops the area code's 0)."""

    name = "landline"

    def judge(self, run: Run) -> Candidate | None:
        digits, dv = run.digits, run.dv
        land, lsizes, lstart = digits, run.sizes, run.start
        if digits.startswith("86") and run.sizes[0] == 2 and "+" in dv[run.pre:run.start] and 11 <= len(digits) <= 13:
            land, lsizes, lstart = "0" + digits[2:], [run.sizes[1] + 1, *run.sizes[2:]], run.pre
        if not (land[0] == "0" and not land.startswith("00") and 10 <= len(land) <= 12):
            return None
        if not (len(lsizes) >= 2 or run.cue == "phone"):
            return None
        for alen in (3, 4):
            area, local = land[:alen], land[alen:]
            ok_area = area == "010" or (alen == 3 and area[1] == "2") or (alen == 4 and area[1] in "3456789")
            if ok_area and 7 <= len(local) <= 8 and local[0] != "0" and (len(lsizes) == 1 or lsizes[0] == alen):
                s = lstart - 1 if dv[lstart - 1:lstart] in ("(", "（") else lstart
                return (s, run.end, "landline")
        return None


class LocalNumberJudge:
    """A 7-8 digit local number right after a phone cue ("办公室电话 62345678")."""

    name = "landline_local"

    def judge(self, run: Run) -> Candidate | None:
        if run.cue == "phone" and len(run.digits) in (7, 8) and run.digits[0] in "23456789" and len(run.sizes) <= 2:
            return (run.start, run.end, "landline")
        return None


def _phone_cue_before(dv: str, cues: list[Cue], cue_ends: list[int], start: int) -> bool:
    i = bisect_right(cue_ends, start) - 1
    return i >= 0 and cues[i][2] == "phone" and dv[cues[i][0]:cues[i][1]].lower() in _EN_PHONE_CUES


class UsPhoneJudge:
    """NANP numbers written as phones (212 555 0147, (212) 555-0147, +1 …) or 10 digits after "call"."""

    name = "us_phone"

    def judge(self, run: Run) -> Candidate | None:
        if not self._is_us(run):
            return None
        s = run.pre if run.dv[run.pre:run.start].strip("+(（") == "" else run.start
        return (s, run.end, "us_phone")

    @staticmethod
    def _is_us(run: Run) -> bool:
        digits, sizes = run.digits, run.sizes
        nanp = digits
        if len(digits) == 11 and digits[0] == "1":
            if sizes[:1] != [1] and len(sizes) > 1:
                return False
            nanp = digits[1:]
            sizes = sizes[1:] if sizes[:1] == [1] else [10]
        if len(nanp) != 10 or nanp[0] not in "23456789":
            return False
        if nanp[3] not in "23456789" and sizes != [3, 3, 4]:  # "555-123-4567" is written as a phone
            return False
        if nanp[1:3] == "11" or nanp[:3] in ("400", "800"):
            return False
        if sizes in ([3, 3, 4], [3, 7]):
            return True
        return sizes == [10] and run.cue == "phone" and _phone_cue_before(run.dv, run.cues, run.cue_ends, run.start)


class SpelledPhones:
    """Phones spelled in English digit words: "two one two, five five five, zero one four seven"."""

    name = "spelled_phone"

    def __init__(self, cue_index: CueIndex) -> None:
        self._cue_index = cue_index
        rests = {c: {b + SPELLED_NEXT for b in bodies} for c, bodies in SPELLED_ANCHORS.items()}
        self._hint_re = regex_cache.compile(alternation(rests))
        self._re = regex_cache.compile(
            rf"(?<![A-Za-z])(?:{DIGIT_WORD_ALT})(?:[ ,\-]{{1,3}}+(?:{DIGIT_WORD_ALT})(?![A-Za-z])){{4,14}}+",
            re.IGNORECASE,
        )

    def scan(self, scan: Scan, out: list[Candidate]) -> None:
        dv = scan.dv
        if not self._hint_re.search(dv):
            return
        for m in self._re.finditer(dv):
            digits = "".join(DIGIT_WORDS[w.lower()] for w in re.findall("[A-Za-z]+", m.group()))
            cue = self._cue_index.before(dv, scan.cues, scan.cue_ends, m.start())
            if cue in ("negative", "password"):
                continue
            nanp = digits[1:] if len(digits) == 11 and digits[0] == "1" else digits
            if len(digits) == 11 and digits[0] == "1" and digits[1] in "3456789":
                out.append((m.start(), m.end(), "phone"))
            elif len(nanp) == 10 and nanp[0] in "23456789":
                out.append((m.start(), m.end(), "us_phone"))
            elif len(digits) == 7 and cue == "phone":
                out.append((m.start(), m.end(), "us_phone"))
            elif cue in IM_TYPES and 5 <= len(digits) <= 11:
                out.append((m.start(), m.end(), "im_account"))
