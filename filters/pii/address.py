"""Chinese home addresses: administrative levels (省/市/区/县/镇/街道), roads (路/街/巷), estates
(小区/花园/村) and numbers (号/栋/单元/室), found from a home cue ("我家住在") or from a number
with a unit ("3号楼"), reading place names to the left and numbers to the right.  Generic places
(农村, 公园) and rooms that are not a home (教室, 会议室) are not addresses.  A chain with no place name and no home
cue inside a maths word problem (word_problem.py) is a count, not an address.  Suffixes and places
are data (address.json, places.txt)."""

from __future__ import annotations

import re
from typing import Any

from filters import regex_cache
from filters.pii.patterns import alt, cjk_class_without
from filters.pii.types import Candidate, Scan
from filters.pii.word_problem import WordProblem

_UNITS_BUILDING = ("号楼", "栋", "幢", "单元", "室", "座", "户", "號樓", "棟", "單元")
_HOUSE_NUMBER = ("号", "弄", "号院", "号楼", "號", "號樓")


class ChineseAddresses:
    name = "address"

    def __init__(self, addr: dict[str, Any], places: tuple[str, ...], home_cues: list[str],
                 addr_numerals: str, homework: WordProblem) -> None:
        self._homework = homework
        admin, road, estate = addr["admin_suffixes"], addr["road_suffixes"], addr["estate_suffixes"]
        self._admin_sfx = tuple(sorted(admin, key=len, reverse=True))
        self._road_sfx = tuple(sorted(road, key=len, reverse=True))
        self._estate_sfx = tuple(sorted(estate, key=len, reverse=True))
        self._generic_places = frozenset(addr["generic_places"])
        self._estate_set = frozenset(estate)
        self._all_sfx = frozenset(admin + road + estate)
        self._not_home_rooms = tuple(addr["not_home_rooms"])
        self._place_set = frozenset(places)
        self._cue_only_estates = tuple(sorted(addr["cue_only_estates"], key=len, reverse=True))
        single = "".join(s for s in admin + road + estate if len(s) == 1)
        name = cjk_class_without(addr["name_stop_chars"] + single)
        suffixes = alt(admin + road + estate)
        place_alt = alt(places)
        units = alt(addr["number_units"])
        not_after = re.escape(addr["number_not_followed_by"])
        anum = f"(?:[0-9]{{1,5}}|[{addr_numerals}]{{1,6}})"
        # starts with a character class so the C engine can skip ahead; the "not after 第 or a digit"
        # check is done in scan
        acls = f"[0-9{addr_numerals}]"
        self._anchor_re = regex_cache.compile(f"{acls}{acls}{{0,5}}(?:-[0-9]{{1,4}})?(?:{units})(?![{not_after}])")
        self._addr_num_chars = frozenset("0123456789第" + addr_numerals)
        self._fwd_re = regex_cache.compile(
            f"(?P<num>{anum}(?:-[0-9]{{1,4}})?(?:{units})(?![{not_after}]))"
            f"|(?P<dash>[0-9]{{1,4}}(?:-[0-9]{{1,4}}){{1,3}}(?![0-9]))"
            f"|(?P<room>-?[0-9]{{3,4}}(?![0-9])(?:室|房)?|[{addr_numerals[:-3]}]{{3,4}}(?:室|房)?)"
            f"|(?P<place>{place_alt})(?!{name}{{0,7}}(?:{suffixes}))"
            f"|(?P<name>(?:{place_alt}|{name}{{1,8}})(?:{suffixes}))"
        )
        rev_sfx = alt([s[::-1] for s in admin + road + estate])
        rev_places = alt([p[::-1] for p in places])
        self._rev_re = regex_cache.compile(f"(?:{rev_sfx})(?:{rev_places}|{name}{{1,8}})|(?:{rev_places})")
        self._home_re = regex_cache.compile(alt(home_cues))
        self._name_char_re = regex_cache.compile(cjk_class_without(addr["name_stop_chars"]))

    # ---- tokens

    def _token_kind(self, tok: str) -> str:
        if any(tok[-k:] in self._place_set for k in range(2, min(len(tok), 5) + 1)):
            return "place"
        if tok.endswith(self._estate_sfx) and tok not in self._estate_set:
            return "estate"
        if tok.endswith(self._road_sfx):
            return "road"
        if tok.endswith(("镇", "乡", "街道", "鎮", "鄉")):
            return "town"
        if tok.endswith(("区", "县", "旗", "區", "縣")):
            return "district"
        return "admin" if tok.endswith(self._admin_sfx) else "place"

    def _left_tokens(self, dv: str, pos: int) -> tuple[int, list[str]]:
        lo = max(0, pos - 48)
        rv = dv[lo:pos][::-1]
        p, toks = 0, []
        while len(toks) < 8:
            m = self._rev_re.match(rv, p)
            if not m:
                break
            toks.append(m.group()[::-1])
            p = m.end()
        toks.reverse()
        start = pos - p
        if toks and len(toks[0]) > 2 and toks[0][0] == "家" and start > 0 and dv[start - 1] in "我你他她们咱":
            toks[0] = toks[0][1:]  # "我家阳光小区": the name starts after 家
            start += 1
        return start, toks

    def _right_tokens(self, dv: str, pos: int) -> tuple[int, list[tuple[str, str]]]:
        toks: list[tuple[str, str]] = []
        while len(toks) < 12:
            m = self._fwd_re.match(dv, pos)
            if not m:
                break
            kind = m.lastgroup or ""
            tok = m.group()
            if kind == "room" and not (toks and toks[-1][0] in ("num", "dash")):
                break
            if kind == "dash" and not (toks and toks[-1][0] in ("name", "place")):
                break
            toks.append((kind, tok))
            pos = m.end()
        return pos, toks

    def _is_generic(self, tok: str, kind: str) -> bool:
        if tok in self._generic_places:
            return True
        sfx_len = next((k for k in (5, 4, 3, 2, 1) if tok[-k:] in self._all_sfx), 0)
        if any(tok[-k:] in self._generic_places for k in range(sfx_len + 1, min(len(tok), 5) + 1)):
            return True  # "苏北农村" ends in the generic "农村", longer than its suffix 村
        return kind == "estate" and len(tok) < 3 and not tok.endswith(("村", "屯"))

    def _named(self, names: list[str]) -> bool:
        """Any name token that is not a generic place (电影院, 公园 are generic)."""
        return any(not self._is_generic(t, self._token_kind(t)) for t in names)

    def _address_ok(self, names: list[str], nums: list[tuple[str, str]], home: bool) -> bool:
        kinds = []
        cue_only_estate = False
        for t in names:
            k = self._token_kind(t)
            if self._is_generic(t, k):
                continue
            if k == "estate" and t.endswith(self._cue_only_estates):
                cue_only_estate = True
            kinds.append(k)
        units = [t for k, t in nums if k == "num"]
        n_num = len(nums)
        building = any(u.endswith(_UNITS_BUILDING) for u in units) or any(k in ("dash", "room") for k, _ in nums)
        road = "road" in kinds
        estate = "estate" in kinds
        admins = sum(1 for k in kinds if k in ("admin", "district", "town", "place"))
        if road and any(u.endswith(_HOUSE_NUMBER) for u in units):
            return True
        if (estate and n_num >= 1) or (n_num >= 2 and building) or (admins >= 1 and building and n_num >= 1):
            return True
        if home and (road or cue_only_estate or "town" in kinds or ("district" in kinds and admins >= 2)):
            return True
        return home and building and n_num >= 1

    # ---- scan

    def scan(self, scan: Scan, out: list[Candidate]) -> None:
        dv = scan.dv
        done_until = -1
        starts: list[tuple[int, bool]] = []
        for m in self._home_re.finditer(dv):
            p = m.end()
            while p < len(dv) and dv[p] in " :：是在了的":
                p += 1
            starts.append((p, True))
        for m in self._anchor_re.finditer(dv):
            a = m.start()
            if a == 0 or dv[a - 1] not in self._addr_num_chars:
                starts.append((a, False))
        starts.sort()
        parsed_until = -1
        for pos, home in starts:
            if pos < done_until or (not home and pos < parsed_until):
                continue  # an anchor inside a chain already judged gives a sub-chain: same verdict or weaker
            # names to the left (only for anchors), then names/numbers to the right
            left_start, left = (pos, []) if home else self._left_tokens(dv, pos)
            end, right = self._right_tokens(dv, pos)
            if not home:
                parsed_until = max(parsed_until, end)
            names = left + [t for k, t in right if k in ("name", "place")]
            nums = [(k, t) for k, t in right if k not in ("name", "place")]
            if not right and not left:
                continue
            if not home:
                home = self._home_re.search(dv[max(0, left_start - 6):left_start]) is not None
            # trim a trailing name token that is not followed by a number (keeps the span tight)
            while right and right[-1][0] in ("name", "place") and nums and not home:
                _, t = right.pop()
                end -= len(t)
                names.remove(t)
            if not nums and end < len(dv) and self._name_char_re.match(dv, end):
                continue  # the last name runs on into a longer word ("小村庄")
            if not home and dv.startswith(self._not_home_rooms, end):
                continue  # "1号楼201教室": a classroom or meeting room, not a home
            if not home and not self._named(names) and self._homework.homework(dv, left_start):
                continue  # "一座六层的楼…共有多少盏灯", "28排24座…能容纳多少人": a count in a maths problem
            if self._address_ok(names, nums, home):
                out.append((left_start, end, "address"))
                done_until = end
