"""Passwords, PINs and verification codes said in text ("密码是123456", "password: hunter2"):
the value after a password cue, when the text asserts it ("is", ":", "是") and it looks like one."""

from __future__ import annotations

import re

from filters import regex_cache
from filters.pii.cues import values_after_cues
from filters.pii.types import Candidate, Scan

_PIN_CUES = ("pin", "pin code", "pin码")
_ASSERT_EN = (":", "：", "=", "＝", "is", "was")
_ASSERT_ZH = (":", "：", "=", "＝", "是", "为", "為")


class Passwords:
    name = "password"

    def __init__(self, numerals: str, stop_en: frozenset[str], possessive: tuple[str, ...]) -> None:
        self._numeral_chars = frozenset(numerals)
        self._stop_en = stop_en
        self._possessive = possessive
        self._re = regex_cache.compile(
            rf"(?P<fill>[ \t]{{0,3}}(?:(?:是|为|為|:|：|=|＝|is(?![A-Za-z])|was(?![A-Za-z])|"
            rf"号码|号|码|都是|就是)[ \t]{{0,3}}){{0,2}})"
            rf"(?P<v>[0-9](?: [0-9]){{3,15}}(?![0-9])|[{numerals}]{{4,20}}|[!-~]{{1,64}}+)",
            re.IGNORECASE,
        )

    def scan(self, scan: Scan, out: list[Candidate]) -> None:
        dv = scan.dv
        for (cs, ce, _), m in values_after_cues(scan, ("password",), self._re):
            vs = m.start("v")
            v = dv[vs:m.end("v")].rstrip(".,;:!?)]}'\"")
            if v[:1] in ("'", '"'):
                vs += 1
                v = v[1:]
            if v and self._is_secret(dv, cs, dv[cs:ce].lower(), m.group("fill").strip().lower(), v):
                out.append((vs, vs + len(v), "password"))

    def _is_secret(self, dv: str, cs: int, cue: str, fill: str, v: str) -> bool:
        compact = v.replace(" ", "")
        if len(compact) < 4 or v.lower() in self._stop_en or v.lower().startswith(("http", "www.")):
            return False
        if not (v[0].isalnum() or v[0] in self._numeral_chars):
            return False  # "(encrypted", "-based", ".struct_passwd"
        has_digit = any(c.isdigit() or c in self._numeral_chars for c in v)
        if cue.isascii() and not has_digit and not any(t in fill for t in _ASSERT_EN):
            return False  # English cue followed by a word: "password and/or ..."
        if cue in _PIN_CUES and not (compact.isdigit() and 4 <= len(compact) <= 8):
            return False
        if v.isascii() and v.isalpha():
            asserted = any(t in fill for t in _ASSERT_ZH)
            if not asserted:
                head = dv[max(0, cs - 12):cs].lower()
                asserted = "is" in fill.split() and any(p in head for p in self._possessive)
            return asserted
        return True
