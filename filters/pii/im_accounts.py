"""QQ / WeChat / other IM accounts, only near a cue: numbers (5-11 digits, any digit forms) after
"QQ", "微信", "vx" …, and letter ids ("vx: kidcool_2015", "my wechat is coolkid")."""

from __future__ import annotations

import re

from filters import regex_cache
from filters.pii.cues import IM_TYPES, CueIndex, values_after_cues
from filters.pii.runs import Run
from filters.pii.types import Candidate, Scan

# filler after the cue ("号码是", "id:", "is"), then the id: a letter, then 5-29 letters, digits, _ - .
_ID_RE = regex_cache.compile(
    r"(?P<fill>[ \t]{0,3}(?:(?:号码|号|账号|id|ID|是|为|:|：|=|＝|is(?![A-Za-z])|"
    r"加我|搜|@)[ \t]{0,3}){0,3})"
    r"(?P<v>[A-Za-z][A-Za-z0-9_\-.]{5,29}+)",
    re.IGNORECASE,
)
_ASSERTS = (":", "：", "=", "＝", "是", "为", "号", "id", "@", "搜")


class ImNumberJudge:
    """A 5-11 digit number (not starting with 0) after an IM cue."""

    name = "im_account"

    def judge(self, run: Run) -> Candidate | None:
        if run.cue in IM_TYPES and 5 <= len(run.digits) <= 11 and run.digits[0] != "0":
            return (run.start, run.end, "im_account")
        return None


class ImIds:
    """IM ids written with letters, after a cue."""

    name = "im_id"

    def __init__(self, cue_index: CueIndex, stop_en: frozenset[str], possessive: tuple[str, ...]) -> None:
        self._cue_index = cue_index
        self._stop_en = stop_en
        self._possessive = possessive

    def scan(self, scan: Scan, out: list[Candidate]) -> None:
        dv = scan.dv
        for (cs, ce, ctype), m in values_after_cues(scan, IM_TYPES, _ID_RE):
            vs = m.start("v")
            v = dv[vs:m.end("v")].rstrip(".-")
            if len(v) < 6 or v.lower() in self._stop_en or v.lower() in self._cue_index.type_of:
                continue
            if v.isalpha() and not self._asserted(dv, cs, ce, m.group("fill").strip().lower()):
                continue
            if ctype == "qq" and not any(c.isdigit() for c in v):
                continue  # QQ accounts are numbers; "QQ: Pennsylvania" is not one
            if v.lower().endswith((".com", ".cn", ".net", ".org")):
                continue  # a web address, not an id
            out.append((vs, vs + len(v), "im_account"))

    def _asserted(self, dv: str, cs: int, ce: int, fill: str) -> bool:
        """A letters-only word is an id only when the text says so ("微信号：", "my wechat is", "加…")."""
        if any(t in fill for t in _ASSERTS):
            return True
        if "is" in fill.split() and any(p in dv[max(0, cs - 12):cs].lower() for p in self._possessive):
            return True
        return dv[cs:ce].startswith("加") or dv[max(0, cs - 2):cs].endswith("加")
