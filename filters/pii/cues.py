"""Cue words ("手机号", "QQ", "password", "订单号" …) and where they sit relative to a value.

A number or an id is personal data only in context: after "QQ" a 9-digit number is an account,
after "订单号" it is not.  All cue words are data (cues.json); matching is case-insensitive for
ASCII cues, and an ASCII cue must not touch other letters ("hotel" holds no "tel").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from typing import Any

from filters import regex_cache
from filters.pii.patterns import LETTERS, WORD, alternation, anchored
from filters.pii.types import Cue, Scan

CUE_TYPES = ("negative", "password", "id", "bank", "phone", "qq", "wechat", "other_im", "en_home")
IM_TYPES = ("qq", "wechat", "other_im")
_IM_FILLER = frozenset(" \t:：=＝#＃号號码碼账帳是为為的我id，,（(加numbrs")  # "QQ号码是", "qq number is"
_GENERIC_NUMBER_CUES = frozenset({"number", "号码", "號碼"})
_STOPS = frozenset("。！？!?；;\n")


class CueIndex:
    """Finds every cue word in one regex pass and answers "which cue is just before/after here"."""

    name = "cues"

    def __init__(self, cues: dict[str, Any], common: dict[str, int]) -> None:
        self.window = int(cues.get("window", 12))
        self.type_of: dict[str, str] = {}
        for ctype in CUE_TYPES:
            for w in cues[ctype]:
                self.type_of.setdefault(w.lower(), ctype)
        rests, self._heads = anchored(list(self.type_of), common)
        self._re = regex_cache.compile(alternation(rests))

    def find(self, dv: str) -> list[Cue]:
        """(start, end, type) of every cue word, in order."""
        out = []
        n = len(dv)
        for m in self._re.finditer(dv):
            a, e = m.span()
            tail = m.group()
            s = a
            for head in self._heads[tail]:
                if a >= len(head) and dv.startswith(head, a - len(head)):
                    s = a - len(head)
                    break
            w = dv[s:e]
            if w[0] in LETTERS and s > 0 and dv[s - 1] in WORD:  # "gr_passwd", "hotel"
                continue
            if w[-1] in LETTERS and e < n and (dv[e] in LETTERS or dv[e] == "_"):
                continue
            out.append((s, e, self.type_of[w.lower()]))
        return out

    def before(self, dv: str, cues: list[Cue], cue_ends: list[int], pos: int) -> str:
        """Type of the nearest cue ending within the window before pos, with no digit or stop between."""
        i = bisect_right(cue_ends, pos) - 1
        while i >= 0:
            cs, ce, ctype = cues[i]
            if ce <= pos:
                if pos - ce > self.window:
                    return ""
                filler = dv[ce:pos]
                if any(ch.isdigit() or ch in _STOPS for ch in filler):
                    return ""
                if ctype in IM_TYPES and not all(ch in _IM_FILLER for ch in filler.lower()):
                    return ""  # "QQ音乐 10000首": the number is not the account
                if ctype == "phone" and dv[cs:ce].lower() in _GENERIC_NUMBER_CUES and i > 0:
                    # "my QQ number is ...", "微信号码": the word before "number" says what it is
                    _, pe, ptype = cues[i - 1]
                    if ptype in (*IM_TYPES, "bank", "id") and cs - pe <= 2:
                        return ptype
                return ctype
            i -= 1
        return ""

    @staticmethod
    def after(dv: str, cues: list[Cue], cue_ends: list[int], pos: int) -> str:
        """Type of a cue that follows pos closely ("987654321是我的QQ")."""
        i = bisect_right(cue_ends, pos)
        if i < len(cues):
            cs, _, ctype = cues[i]
            if cs >= pos and cs - pos <= 6 and all(ch in " (（是我的:：" for ch in dv[pos:cs]):
                return ctype
        return ""


def values_after_cues(scan: Scan, types: tuple[str, ...],
                      value_re: re.Pattern[str]) -> Iterator[tuple[Cue, re.Match[str]]]:
    """Each cue of the given types with the match of value_re right after it (where it matches)."""
    for cue in scan.cues:
        if cue[2] in types:
            m = value_re.match(scan.dv, cue[1])
            if m is not None:
                yield cue, m
