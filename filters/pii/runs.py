"""Digit runs: digits (any script, see digits.py) or Chinese digit words joined by short separators.

One scan finds the runs; for each stretch of groups inside a run, the number judges (ID card,
mobile, IM number, landline, US phone, bank card, local number) are asked in that order, and the
longest stretch some judge accepts wins.  A judge that raises is reported by name
(RecogniserError), so the detector can fail closed and say which one broke.
"""

from __future__ import annotations

from typing import NamedTuple, Protocol

from filters import regex_cache
from filters.pii.cues import CueIndex
from filters.pii.patterns import SEP_CHARS
from filters.pii.types import Candidate, Cue, RecogniserError, Scan


class Run(NamedTuple):
    """A stretch of digit groups [i, j] of one run, with what the judges need to decide."""

    dv: str
    digits: str  # ASCII digits of the stretch
    sizes: list[int]  # digits per group
    start: int
    end: int
    pre: int  # start including a '+' / '(' prefix
    cue: str  # type of the cue before (or just after) the stretch, "" if none
    glued_word: bool  # letters glued before the digits: "abc1381234..."
    cues: list[Cue]
    cue_ends: list[int]


class NumberJudge(Protocol):
    name: str

    def judge(self, run: Run) -> Candidate | None: ...


def prefix_start(dv: str, start: int) -> int:
    """Start of a number including up to two '+', '(' or '（' before it."""
    p = start
    while p > 0 and start - p < 2 and dv[p - 1] in "+(（":
        p -= 1
    return p


class DigitRuns:
    """Finds digit runs and asks the number judges about them."""

    name = "digit_runs"

    def __init__(self, numerals: dict[str, str], cue_index: CueIndex, unit_suffix: str, currency: str,
                 judges: list[NumberJudge]) -> None:
        self._numeral_tr = str.maketrans(numerals)
        dig = f"[0-9{''.join(numerals)}]"
        sep = f"[{SEP_CHARS}]"
        self._dig_re = regex_cache.compile(f"{dig}+")
        # at least five digit characters; later ones may be preceded by up to three separators
        self._run_re = regex_cache.compile(f"{dig}(?:{sep}{{0,3}}+{dig}){{4,}}+")
        self._cue_index = cue_index
        self._unit_suffix = frozenset(unit_suffix)
        self._currency = frozenset(currency)
        self.judges = judges  # asked in this order; the first that accepts decides

    def scan(self, scan: Scan, out: list[Candidate]) -> None:
        dv = scan.dv
        for m in self._run_re.finditer(dv):
            s, e = m.span()
            groups = [(g.start(), g.end(), g.group().translate(self._numeral_tr))
                      for g in self._dig_re.finditer(dv, s, e)]
            if sum(len(g[2]) for g in groups) < 5:
                continue
            if len(groups) > 64:  # very long lists: never join single digits
                seg: list = []
                for g in groups:
                    if len(g[2]) == 1:
                        if seg:
                            self._scan_groups(scan, seg, out)
                        seg = []
                    else:
                        seg.append(g)
                if seg:
                    self._scan_groups(scan, seg, out)
            else:
                self._scan_groups(scan, groups, out)

    def _scan_groups(self, scan: Scan, groups: list, out: list[Candidate]) -> None:
        dv = scan.dv
        n = len(groups)
        i = 0
        while i < n:
            if i > 0 and dv[groups[i - 1][1]:groups[i][0]] == ".":
                i += 1  # digits after a decimal point are a fraction
                continue
            best = None
            digits = ""
            sizes: list[int] = []
            cue = None
            for j in range(i, n):
                digits += groups[j][2]
                sizes.append(len(groups[j][2]))
                if len(digits) > 19:
                    break
                if len(digits) < 5:
                    continue
                if cue is None:
                    cue = self._cue_index.before(dv, scan.cues, scan.cue_ends, prefix_start(dv, groups[i][0]))
                got = self._judge(scan, groups, i, j, digits, sizes, cue)
                if got is not None:
                    best = (got, j)
            if best is None:
                i += 1
                continue
            cand, j = best
            out.append(cand)
            i = j + 1

    def _judge(self, scan: Scan, groups: list, i: int, j: int, digits: str, sizes: list[int],
               cue: str) -> Candidate | None:
        dv = scan.dv
        start, end = groups[i][0], groups[j][1]
        if min(sizes) < 3 and any("." in dv[groups[k - 1][1]:groups[k][0]] for k in range(i + 1, j + 1)):
            return None
        if cue in ("negative", "password"):
            return None
        before = dv[start - 1] if start > 0 else ""
        nxt = dv[end:end + 2].lstrip(" ")[:1]
        if before in self._currency or nxt in self._unit_suffix:
            return None
        glued_word = before.isascii() and before.isalpha() and before not in "xX" and not cue
        if not cue and 5 <= len(digits) <= 11:
            cue = self._cue_index.after(dv, scan.cues, scan.cue_ends, end)
        run = Run(dv, digits, sizes, start, end, prefix_start(dv, start), cue, glued_word, scan.cues, scan.cue_ends)
        for judge in self.judges:
            try:
                got = judge.judge(run)
            except Exception as exc:  # noqa: BLE001 - reported by name; the detector fails closed
                raise RecogniserError(judge.name, exc) from exc
            if got is not None:
                return got
        return None
