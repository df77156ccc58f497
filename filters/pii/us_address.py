"""US street addresses ("1600 Pennsylvania Ave NW, Washington, DC 20500", "i live at 42 elm street"):
a house number, capitalised street names and a USPS street suffix (address.json), optional unit
and city/state/ZIP; lower-case names only after a home cue ("I live at")."""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

from filters import regex_cache
from filters.pii.patterns import ASCII_DIGIT, alt
from filters.pii.types import Candidate, Scan

# Words that start headlines and lists ("Top 10 Best Ways", "5 Tips To Drive"), not street names.
US_STOP_NAMES = frozenset(
    "to the of and in on for a an with my your our ways tips things best top reasons easy steps facts "
    "minutes days years hours times people i we you he she it they this that at by from".split()
)
_WEAK_SUFFIXES = frozenset(
    "way terrace circle square trail alley row crescent close loop pike plaza run place court drive".split()
)


class UsAddresses:
    name = "us_address"

    def __init__(self, addr: dict[str, Any]) -> None:
        sfx = alt(addr["us_street_suffixes"])
        unit_w = alt(addr["us_unit_words"])
        namew = r"(?:[A-Z][a-z'’]+|[0-9]{1,3}(?:st|nd|rd|th))"
        namew_loose = r"(?:[A-Za-z][a-z'’]+|[0-9]{1,3}(?:st|nd|rd|th))"
        tail = (
            rf"(?i:{sfx})(?![A-Za-z])\.?(?:[ ]{{1,2}}(?:NW|NE|SW|SE|N|S|E|W)(?![A-Za-z])\.?)?"
            rf"(?:,?[ ]{{1,2}}(?i:{unit_w})\.?[ ]?#?[ ]?[A-Za-z0-9\-]{{1,6}}(?![A-Za-z0-9])"
            rf"|[ ]?#[ ]?[A-Za-z0-9\-]{{1,6}}(?![A-Za-z0-9]))?"
            rf"(?P<city>,[ ]{{1,2}}[A-Z][a-z]+(?:[ ][A-Z][a-z]+)?(?:,?[ ]{{1,2}}[A-Z]{{2}}"
            rf"(?:[ ]{{1,2}}[0-9]{{5}}(?:-[0-9]{{4}})?)?)?)?"
        )
        head = (r"(?P<num>[0-9](?<![\w$.,][0-9])[0-9]{0,5}(?:-[0-9]{1,4})?[A-Za-z]?)[ ]{1,2}"
                r"(?:(?:[NSEW]\.?|North|South|East|West)[ ]{1,2})?")
        self._re = regex_cache.compile(
            rf"{head}(?P<names>(?:{namew}[ ]{{1,2}}){{0,3}}{namew})[ ]{{1,2}}(?P<sfx>{tail})")
        self._loose_re = regex_cache.compile(
            rf"[ ]{{0,2}}{head}(?P<names>(?:{namew_loose}[ ]{{1,2}}){{0,3}}{namew_loose})[ ]{{1,2}}(?P<sfx>{tail})"
        )

    def scan(self, scan: Scan, out: list[Candidate]) -> None:
        dv = scan.dv
        if not ASCII_DIGIT.search(dv):
            return
        home_ends = [ce for _, ce, t in scan.cues if t == "en_home"]
        for m in self._re.finditer(dv):
            self._candidate(m, home_ends, False, out)
        for ce in home_ends:
            m = self._loose_re.match(dv, ce)
            if m:
                self._candidate(m, home_ends, True, out)

    @staticmethod
    def _candidate(m: re.Match[str], home_ends: list[int], cued: bool, out: list[Candidate]) -> None:
        if any(w.lower() in US_STOP_NAMES for w in m.group("names").split()):
            return
        sfx_word = re.match(r"[A-Za-z]+", m.group("sfx"))
        weak = sfx_word is not None and sfx_word.group().lower() in _WEAK_SUFFIXES
        if weak and not (cued or m.group("city")):
            return
        if not cued:
            i = bisect_right(home_ends, m.start()) - 1
            cued = i >= 0 and m.start() - home_ends[i] <= 3
        e = m.end()
        city = m.group("city")
        if city:
            first = city.strip(", ").split()[0].lower()
            if first in US_STOP_NAMES or first in ("then", "but", "so", "and"):
                e = m.start("city")
        out.append((m.start("num"), e, "us_address"))
