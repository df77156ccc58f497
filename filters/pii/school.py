"""School + grade/class: "育才小学三年级二班", "我在实验小学上学", "杭州二中初三3班",
"Class 5 at Sunshine Primary School".  A school name alone is about a school, not a child: it
counts only with a class, or when the child says it is theirs ("我在", "I go to").  A school + class
that is the subject of a maths word problem (word_problem.py), not stated as the child's, is not."""

from __future__ import annotations

from typing import Any

from filters import regex_cache
from filters.pii.patterns import alt, cjk_class_without
from filters.pii.types import Candidate, Scan
from filters.pii.us_address import US_STOP_NAMES
from filters.pii.word_problem import WordProblem

_CN_NUM = "一二三四五六七八九十"


class Schools:
    name = "school"

    def __init__(self, addr: dict[str, Any], cues: dict[str, Any], places: tuple[str, ...],
                 homework: WordProblem) -> None:
        self._homework = homework
        self._school_generic = frozenset(addr["school_generic"])
        self._name_generic = frozenset(addr["school_name_generic"])
        self._verbs = addr["school_name_verbs"]
        by_char: dict[str, list[str]] = {}
        for place in places:
            by_char.setdefault(place[0], []).append(place)
        self._places_by_char = {c: tuple(v) for c, v in by_char.items()}
        self._num_chars = frozenset(_CN_NUM + "0123456789")
        self._re = regex_cache.compile(
            f"(?:{alt(addr['school_suffixes'])})|中(?<=[{_CN_NUM}0-9]中)(?![学文国心间午等级部队考途秋旬年期的全])"
        )
        sname = cjk_class_without(addr["name_stop_chars"].replace("第", ""))
        self._name_rev = regex_cache.compile(f"(?:{sname}|[0-9]){{1,10}}")
        self._grade_re = regex_cache.compile(
            f"[ ]?(?:的|读|上|念)?(?:(?P<g>[0-9{_CN_NUM}]{{1,2}}年[级級]|[初高][{_CN_NUM}1-3]|[{_CN_NUM}0-9]年)[ ]?)?"
            f"(?P<c>[0-9{_CN_NUM}]{{0,2}}[(（]?[0-9{_CN_NUM}]{{1,3}}[)）]?[ ]?班)?"
        )
        self._assert = tuple(cues["school_assert"])
        self._assert_en = tuple(cues["school_assert_en"])
        en_sfx = alt(addr["en_school_suffixes"])
        self._en_hint = regex_cache.compile("School|Elementary|Academy|Junior High")
        self._en_pre_re = regex_cache.compile(
            rf"(?:grade|class|year|Grade|Class|Year)[ ][0-9A-Za-z]{{1,3}},?[ ](?:at|in|of)[ ]"
            rf"(?:[A-Z][a-z'’.]+[ ]){{1,4}}(?:{en_sfx})(?![A-Za-z])"
        )
        self._en_re = regex_cache.compile(
            rf"(?<![A-Za-z])(?:[A-Z][a-z'’.]+[ ]){{1,4}}(?:{en_sfx})(?![A-Za-z])"
            rf"(?:,?[ ](?:in[ ])?(?:(?:grade|class|year|room|Grade|Class|Year|Room)[ ][0-9A-Za-z]{{1,3}}"
            rf"|[0-9]{{1,2}}(?:st|nd|rd|th)[ ]grade))?"
        )

    def scan(self, scan: Scan, out: list[Candidate]) -> None:
        self._scan_zh(scan.dv, out)
        if self._en_hint.search(scan.dv):
            self._scan_en(scan.dv, out)

    def _scan_zh(self, dv: str, out: list[Candidate]) -> None:
        for m in self._re.finditer(dv):
            s, e = m.span()
            if m.group() == "中":  # "北京四中", "杭州十一中"
                while s > 0 and e - s < 3 and dv[s - 1] in self._num_chars:
                    s -= 1
            rv = dv[max(0, s - 12):s][::-1]
            nm = self._name_rev.match(rv)
            name_len = nm.end() if nm else 0
            for k in range(name_len):
                if rv[k] in self._verbs and not dv.startswith(self._places_by_char.get(rv[k], ()), s - k - 1):
                    name_len = k  # "我在黑龙江省上高中": 上 is a verb here, but not in 上海
                    break
            start = s - name_len
            if name_len < 2 and not (name_len >= 1 and m.group().endswith("中")):
                continue
            if dv[start:e] in self._school_generic or dv[start:s] in self._name_generic:
                continue
            g = self._grade_re.match(dv, e)
            asserted = dv[max(0, start - 6):start].endswith(self._assert)
            if g and g.group("c") and not asserted and self._homework.homework(dv, start):
                continue  # "实验小学六1班去踏青…全长多少千米？": the class in a maths problem, not the child's
            if g and g.group("c"):  # school + class: "育才小学三年级二班"
                end = g.end()
            elif asserted:  # "我是阳光小学三年级的", "我在实验小学上学"
                end = g.end() if g and g.group("g") else e
            else:  # "人大附中高一数学试卷" is about a school, not about the child
                continue
            out.append((start, end, "school"))

    def _scan_en(self, dv: str, out: list[Candidate]) -> None:
        for rx in (self._en_pre_re, self._en_re):
            for m in rx.finditer(dv):
                words = m.group().split()
                if words[0].lower() in US_STOP_NAMES:
                    continue
                s, e = m.span()
                has_class = any(w.lower().strip(",") in ("class", "room") for w in words)
                head = dv[max(0, s - 24):s].lower()
                if has_class or any(c in head for c in self._assert_en):
                    out.append((s, e, "school"))
