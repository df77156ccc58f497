"""PII (anti-doxxing) detector: finds a child's personal data in text so it can be redacted.

Kinds: Chinese resident ID numbers (GB 11643 MOD 11-2), mobile and landline numbers (digits,
Chinese numerals, separators, +86), QQ / WeChat / other IM accounts (only near a cue), e-mail,
bank cards (Luhn), Chinese home addresses, school + class, passwords said in text, US phones and
US street addresses.  Spans cover only the sensitive value, never the cue words, and index the
original text in code points.

Speed: `find` first runs one compiled regex for any trigger (a digit, '@', a run of Chinese
numerals, a cue word).  Every branch of it starts with a literal character, so CPython's engine
scans for the set of first characters in C; cue words are anchored on their rarest character so
common letters and spaces seldom stop that scan.  Text without a trigger costs one C-level scan
(about 40 M chars/s); the detailed scans run only on the rest.  Every detailed pattern is bounded
or possessive, so `find` is linear in the text length.  All cue words, place names and labels are
data files under filters/data/pii/ (see the README there).
"""

from __future__ import annotations

import json
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data" / "pii"

KINDS: tuple[str, ...] = (
    "id_card", "phone", "landline", "im_account", "email", "bank_card",
    "address", "school", "password", "us_phone", "us_address",
)
# Lower number wins when two candidate spans of equal length overlap.
_PRIORITY = {k: i for i, k in enumerate((
    "password", "id_card", "email", "bank_card", "phone", "us_phone", "landline",
    "im_account", "address", "us_address", "school",
))}

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_ASCII_DIGIT = re.compile("[0-9]")
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_WORD = _LETTERS | frozenset("0123456789_")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "
    "61 62 63 64 65 71 81 82 83 91".split()
)
_SEP_CHARS = (" \t\u00a0\u3000\u200b\u200c\u200d\u2060\ufeff\\-.·–—_/()（）~－．*#|"
              "\u2600-\u27bf\U0001f300-\U0001faff\ufe0f\u20e3")  # symbols and emoji between digits
_DIGIT_WORDS = {"zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
                "six": "6", "seven": "7", "eight": "8", "nine": "9"}
_DIGIT_WORD_ALT = "|".join(sorted(_DIGIT_WORDS, key=len, reverse=True))
# English digit words anchored on a rare letter, followed by another digit word (spelled-out phones)
_SPELLED_ANCHORS = {"v": ["(?<=fiv)e", "(?<=sev)en", "(?<=Fiv)e", "(?<=Sev)en"], "x": ["(?<=si)x", "(?<=Si)x"],
                    "z": ["(?<=z)ero", "(?<=Z)ero"], "w": ["(?<=tw)o", "(?<=Tw)o"], "f": ["(?<=f)our", "(?<=F)our"]}
_SPELLED_NEXT = f"[ ,\\-]{{1,3}}(?i:{_DIGIT_WORD_ALT})(?![A-Za-z])"
_IM_FILLER = frozenset(" \t:：=＝#＃号號码碼账帳是为為的我id，,（(加numbrs")  # "QQ号码是", "qq number is"
_GENERIC_NUMBER_CUES = frozenset({"number", "号码", "號碼"})
_EN_PHONE_CUES = frozenset({"call me", "call", "phone", "cell", "mobile", "tel", "text me", "number", "whatsapp"})


@dataclass(frozen=True, slots=True)
class PiiMatch:
    """One piece of personal data: its kind and its [start, end) span in the original text."""

    kind: str
    start: int
    end: int
    text: str


# ----------------------------------------------------------------------------- checksums


def id_checksum_ok(digits17: str, last: str) -> bool:
    """GB 11643-1999 MOD 11-2 check character of an 18-character resident ID."""
    total = sum(int(c) * w for c, w in zip(digits17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == last.upper()


def is_resident_id(value: str) -> bool:
    """18 characters, valid province code, plausible birth date, and a correct check character."""
    if len(value) != 18 or not value[:17].isdigit() or not (value[17].isdigit() or value[17] in "xX"):
        return False
    if value[:2] not in _ID_PROVINCES:
        return False
    year, month, day = int(value[6:10]), int(value[10:12]), int(value[12:14])
    if not (1900 <= year <= 2099 and 1 <= month <= 12 and 1 <= day <= 31):
        return False
    return id_checksum_ok(value[:17], value[17])


def _is_old_resident_id(value: str) -> bool:
    """15-digit first-generation ID: province code and a plausible yymmdd birth date (no checksum)."""
    month, day = int(value[8:10]), int(value[10:12])
    return value[:2] in _ID_PROVINCES and 1 <= month <= 12 and 1 <= day <= 31


def luhn_ok(digits: str) -> bool:
    """The Luhn (mod 10) check used by bank card numbers."""
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = ord(c) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


# ----------------------------------------------------------------------------- data


def _load_json(path: Path) -> dict:
    with path.open(encoding="utf-8") as f:
        return json.load(f)


def _load_lines(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as f:
        return [s for s in (line.strip() for line in f) if s and not s.startswith("#")]


def _alt(words: list[str] | set[str] | tuple[str, ...]) -> str:
    """A regex alternation of literal words, longest first."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


# Rough per-mille frequencies of characters in running text: the trigger anchors each cue word
# on its rarest character, so common letters (and spaces) do not stop the C-level scan.
_EN_FREQ = dict(zip("etaoinshrdlcumwfgypbvkjxqz", (127, 91, 82, 75, 70, 67, 63, 61, 60, 43, 40, 28, 28, 24, 24,
                                                    22, 20, 20, 19, 15, 10, 8, 2, 2, 1, 1), strict=True))


def _char_score(c: str, common: dict[str, int]) -> int:
    """Higher for characters that occur more often in running text."""
    if c == " ":
        return 2000
    if c.isascii() and c.isalpha():
        f = _EN_FREQ.get(c.lower(), 1) * 10
        return f if c.islower() else f // 4
    return common.get(c, 0)


def _anchored(words: list[str], common: dict[str, int]) -> tuple[dict[str, set[str]], dict[str, list[str]]]:
    """Anchor every word (and its case variants) on its rarest character.

    Returns the regex bodies by anchor character (look-behind for the head, then the literal rest),
    and, for each matched tail (anchor to end), the heads that may precede it, longest first.
    """
    rests: dict[str, set[str]] = {}
    heads: dict[str, set[str]] = {}
    for w in words:
        for v in _case_variants(w):
            if not v:
                continue
            k = min(range(len(v)), key=lambda i: (_char_score(v[i], common), i))
            behind = f"(?<={re.escape(v[:k + 1])})" if k else ""
            rests.setdefault(v[k], set()).add(behind + re.escape(v[k + 1:]))
            heads.setdefault(v[k:], set()).add(v[:k])
    return rests, {t: sorted(h, key=len, reverse=True) for t, h in heads.items()}


def _alternation(rests: dict[str, set[str]], singles: list[str] = ()) -> str:
    """Branches that each start with a literal: CPython then scans for their first characters in C."""
    alts = [re.escape(c) for c in dict.fromkeys(singles) if c not in rests]
    for c, rs in rests.items():
        body = "|".join(sorted(rs, key=len, reverse=True))
        alts.append(f"{re.escape(c)}(?:{body})" if body else re.escape(c))
    return "|".join(alts)


def _case_variants(word: str) -> set[str]:
    """The spellings of a cue a user is likely to type: as written, lower, upper, title case."""
    if not word.isascii():
        return {word, word.lower(), word.upper()}
    out = {word, word.lower(), word.upper(), word.title(), word[:1].upper() + word[1:].lower()}
    if len(word) <= 3 and word.isalpha():  # "vx", "Vx", "vX", "VX"
        out = {""}
        for c in word.lower():
            out = {p + c for p in out} | {p + c.upper() for p in out}
    return out


def _cjk_class_without(excluded: str) -> str:
    """A character class of CJK unified ideographs minus `excluded`, as ranges."""
    ex = sorted({ord(c) for c in excluded if "\u4e00" <= c <= "\u9fff"})
    ranges, lo = [], 0x4E00
    for cp in ex:
        if cp > lo:
            ranges.append((lo, cp - 1))
        lo = cp + 1
    if lo <= 0x9FFF:
        ranges.append((lo, 0x9FFF))
    body = "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in ranges)
    return f"[{body}]"


def _view_table() -> dict[int, int]:
    """1:1 code-point map: full-width ASCII and every decimal digit become ASCII (offsets kept)."""
    table: dict[int, int] = {}
    for cp in range(0x80, 0x10000):
        d = unicodedata.decimal(chr(cp), None)
        if d is not None:
            table[cp] = 48 + d
    for cp in range(0x1D7CE, 0x1D800):  # mathematical digits
        table[cp] = 48 + (cp - 0x1D7CE) % 10
    for cp in range(0xFF01, 0xFF5F):
        table[cp] = cp - 0xFEE0
    table[0x3000] = 0x20
    table[0x00A0] = 0x20
    return table


# ----------------------------------------------------------------------------- detector


class PiiDetector:
    """Detects and redacts personal data.  Immutable after construction; safe to share."""

    def __init__(self, data_dir: Path | None = None) -> None:
        d = Path(data_dir) if data_dir is not None else DATA_DIR
        cues = _load_json(d / "cues.json")
        addr = _load_json(d / "address.json")
        nums = _load_json(d / "numerals.json")
        self._labels: dict[str, dict[str, str]] = _load_json(d / "placeholders.json")["labels"]
        self._places = tuple(_load_lines(d / "places.txt"))
        self._stop_en = frozenset(w.lower() for w in _load_lines(d / "stopwords_en.txt"))
        self._window = int(cues.get("window", 12))
        self._unit_suffix = frozenset(cues["unit_suffix"])
        self._currency = frozenset(cues["currency_prefix"])
        self._possessive = tuple(cues["possessive_en"])
        self._view = _view_table()
        # translate only texts that hold a character the view changes and the patterns care about
        # (digits of any script, full-width letters, digits and '@'); CJK punctuation alone does not count
        self._view_re = re.compile("[" + "".join(
            re.escape(chr(c)) for c in sorted(self._view) if not (0xFF01 <= c <= 0xFF0F or 0xFF1A <= c <= 0xFF1F
                                                                   or 0xFF3B <= c <= 0xFF40 or c >= 0xFF5B)
            and c not in (0x3000, 0xA0)) + "]")
        numeral_map: dict[str, str] = nums["digits"]
        self._numeral_tr = str.maketrans(numeral_map)
        self._numeral_chars = frozenset(numeral_map)
        numerals = "".join(numeral_map)
        addr_numerals = nums["address_numerals"]

        # Cue index: every cue type in one alternation; the type is looked up by lower-cased text.
        self._cue_type: dict[str, str] = {}
        for ctype in ("negative", "password", "id", "bank", "phone", "qq", "wechat", "other_im", "en_home"):
            for w in cues[ctype]:
                self._cue_type.setdefault(w.lower(), ctype)
        self._common = {c: 1000 - i for i, c in enumerate("".join(_load_lines(d / "common_chars.txt")))}
        cue_rests, self._cue_heads = _anchored(list(self._cue_type), self._common)
        self._cue_re = re.compile(_alternation(cue_rests))

        # Digit runs: digits or Chinese numerals, joined by short separators.
        dig = f"[0-9{numerals}]"
        sep = f"[{_SEP_CHARS}]"
        self._dig_re = re.compile(f"{dig}+")
        # at least five digit characters; later ones may be preceded by up to three separators
        self._run_re = re.compile(f"{dig}(?:{sep}{{0,3}}+{dig}){{4,}}+")

        # E-mail (plain and lightly obfuscated).
        local = r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]{1,64}+"
        label = r"[A-Za-z0-9\-]{1,63}+"
        self._email_re = re.compile(rf"{local}@{label}(?:\.{label})++")
        self._email_obf_re = re.compile(
            rf"{local}[ ]{{0,2}}(?:[(\[][ ]?at[ ]?[)\]]|[ ]at[ ])[ ]{{0,2}}{label}"
            rf"(?:[ ]{{0,2}}(?:\.|[(\[][ ]?dot[ ]?[)\]]|[ ]dot[ ])[ ]{{0,2}}{label})++",
            re.IGNORECASE,
        )
        self._email_hint_re = re.compile(_alt(["(at)", "[at]", "(AT)", "[AT]", "( at )", "[ at ]", " dot ", " DOT "]))
        spelled_rests = {c: {b + _SPELLED_NEXT for b in bodies} for c, bodies in _SPELLED_ANCHORS.items()}
        self._spelled_hint_re = re.compile(_alternation(spelled_rests))
        self._spelled_re = re.compile(
            rf"(?<![A-Za-z])(?:{_DIGIT_WORD_ALT})(?:[ ,\-]{{1,3}}+(?:{_DIGIT_WORD_ALT})(?![A-Za-z])){{4,14}}+",
            re.IGNORECASE,
        )
        self._email_fake_domains = frozenset(cues["email_placeholder_domains"])
        self._email_fake_locals = frozenset(cues["email_placeholder_locals"])
        self._email_tlds = frozenset("com net org cn edu gov io me us uk co info biz hk tw jp".split())

        # Passwords.
        self._pw_re = re.compile(
            rf"(?P<fill>[ \t]{{0,3}}(?:(?:是|为|為|:|：|=|＝|is(?![A-Za-z])|was(?![A-Za-z])|"
            rf"号码|号|码|都是|就是)[ \t]{{0,3}}){{0,2}})"
            rf"(?P<v>[0-9](?: [0-9]){{3,15}}(?![0-9])|[{numerals}]{{4,20}}|[!-~]{{1,64}}+)",
            re.IGNORECASE,
        )

        # IM ids written with letters (WeChat ids etc.), after a cue.
        self._im_re = re.compile(
            r"(?P<fill>[ \t]{0,3}(?:(?:号码|号|账号|id|ID|是|为|:|：|=|＝|is(?![A-Za-z])|"
            r"加我|搜|@)[ \t]{0,3}){0,3})"
            r"(?P<v>[A-Za-z][A-Za-z0-9_\-.]{5,29}+)",
            re.IGNORECASE,
        )

        # Chinese addresses.
        admin, road, estate = addr["admin_suffixes"], addr["road_suffixes"], addr["estate_suffixes"]
        self._admin_sfx = tuple(sorted(admin, key=len, reverse=True))
        self._road_sfx = tuple(sorted(road, key=len, reverse=True))
        self._estate_sfx = tuple(sorted(estate, key=len, reverse=True))
        self._generic_places = frozenset(addr["generic_places"])
        self._estate_set = frozenset(estate)
        self._all_sfx = frozenset(admin + road + estate)
        self._not_home_rooms = tuple(addr["not_home_rooms"])
        self._place_set = frozenset(self._places)
        by_char: dict[str, list[str]] = {}
        for place in self._places:
            by_char.setdefault(place[0], []).append(place)
        self._places_by_char = {c: tuple(v) for c, v in by_char.items()}
        self._cue_only_estates = tuple(sorted(addr["cue_only_estates"], key=len, reverse=True))
        self._school_name_generic = frozenset(addr["school_name_generic"])
        self._school_verbs = addr["school_name_verbs"]
        single = "".join(s for s in admin + road + estate if len(s) == 1)
        name = _cjk_class_without(addr["name_stop_chars"] + single)
        suffixes = _alt(admin + road + estate)
        places = _alt(self._places)
        units = _alt(addr["number_units"])
        not_after = re.escape(addr["number_not_followed_by"])
        anum = f"(?:[0-9]{{1,5}}|[{addr_numerals}]{{1,6}})"
        # starts with a character class so the C engine can skip ahead; the "not after 第 or a digit"
        # check is done in _scan_address
        acls = f"[0-9{addr_numerals}]"
        self._anchor_re = re.compile(f"{acls}{acls}{{0,5}}(?:-[0-9]{{1,4}})?(?:{units})(?![{not_after}])")
        self._addr_num_chars = frozenset("0123456789第" + addr_numerals)
        self._fwd_re = re.compile(
            f"(?P<num>{anum}(?:-[0-9]{{1,4}})?(?:{units})(?![{not_after}]))"
            f"|(?P<dash>[0-9]{{1,4}}(?:-[0-9]{{1,4}}){{1,3}}(?![0-9]))"
            f"|(?P<room>-?[0-9]{{3,4}}(?![0-9])(?:室|房)?|[{addr_numerals[:-3]}]{{3,4}}(?:室|房)?)"
            f"|(?P<place>{places})(?!{name}{{0,7}}(?:{suffixes}))"
            f"|(?P<name>(?:{places}|{name}{{1,8}})(?:{suffixes}))"
        )
        rev_sfx = _alt([s[::-1] for s in admin + road + estate])
        rev_places = _alt([p[::-1] for p in self._places])
        self._rev_re = re.compile(f"(?:{rev_sfx})(?:{rev_places}|{name}{{1,8}})|(?:{rev_places})")
        self._home_re = re.compile(_alt(cues["home"]))
        self._name_char_re = re.compile(_cjk_class_without(addr["name_stop_chars"]))
        self._units_building = ("号楼", "栋", "幢", "单元", "室", "座", "户", "號樓", "棟", "單元")

        # School + grade/class.
        school_sfx = addr["school_suffixes"]
        self._school_generic = frozenset(addr["school_generic"])
        self._school_num_chars = frozenset("一二三四五六七八九十0123456789")
        cn_num = "一二三四五六七八九十"
        self._school_re = re.compile(
            f"(?:{_alt(school_sfx)})|中(?<=[{cn_num}0-9]中)(?![学文国心间午等级部队考途秋旬年期的全])"
        )
        sname = _cjk_class_without(addr["name_stop_chars"].replace("第", ""))
        self._school_name_rev = re.compile(f"(?:{sname}|[0-9]){{1,10}}")
        self._grade_re = re.compile(
            f"[ ]?(?:的|读|上|念)?(?:(?P<g>[0-9{cn_num}]{{1,2}}年[级級]|[初高][{cn_num}1-3]|[{cn_num}0-9]年)[ ]?)?"
            f"(?P<c>[0-9{cn_num}]{{0,2}}[(（]?[0-9{cn_num}]{{1,3}}[)）]?[ ]?班)?"
        )
        self._school_assert = tuple(cues["school_assert"])
        self._school_assert_en = tuple(cues["school_assert_en"])
        en_sfx = _alt(addr["en_school_suffixes"])
        self._en_school_hint = re.compile("School|Elementary|Academy|Junior High")
        self._en_school_pre_re = re.compile(
            rf"(?:grade|class|year|Grade|Class|Year)[ ][0-9A-Za-z]{{1,3}},?[ ](?:at|in|of)[ ]"
            rf"(?:[A-Z][a-z'’.]+[ ]){{1,4}}(?:{en_sfx})(?![A-Za-z])"
        )
        self._en_school_re = re.compile(
            rf"(?<![A-Za-z])(?:[A-Z][a-z'’.]+[ ]){{1,4}}(?:{en_sfx})(?![A-Za-z])"
            rf"(?:,?[ ](?:in[ ])?(?:(?:grade|class|year|room|Grade|Class|Year|Room)[ ][0-9A-Za-z]{{1,3}}"
            rf"|[0-9]{{1,2}}(?:st|nd|rd|th)[ ]grade))?"
        )

        # US street addresses.
        sfx = _alt(addr["us_street_suffixes"])
        unit_w = _alt(addr["us_unit_words"])
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
        self._us_addr_re = re.compile(rf"{head}(?P<names>(?:{namew}[ ]{{1,2}}){{0,3}}{namew})[ ]{{1,2}}(?P<sfx>{tail})")
        self._us_addr_loose_re = re.compile(
            rf"[ ]{{0,2}}{head}(?P<names>(?:{namew_loose}[ ]{{1,2}}){{0,3}}{namew_loose})[ ]{{1,2}}(?P<sfx>{tail})"
        )
        self._us_weak_sfx = frozenset(
            "way terrace circle square trail alley row crescent close loop pike plaza run place court drive".split()
        )
        self._us_stop_names = frozenset(
            "to the of and in on for a an with my your our ways tips things best top reasons easy steps facts "
            "minutes days years hours times people i we you he she it they this that at by from".split()
        )

        # The C-level pre-check.
        self._trigger_re = self._build_trigger(
            numerals=numerals,
            addr_numerals=addr_numerals,
            words=cues["trigger_words"] + cues["home"] + school_sfx,
        )

    # ------------------------------------------------------------------ pre-check

    def _build_trigger(self, numerals: str, addr_numerals: str, words: list[str]) -> re.Pattern[str]:
        """One alternation whose every branch starts with a literal character.

        CPython's engine then derives a first-character set and scans for it in C, and tries a
        branch only where its first literal matches.  Cue words are anchored on their rarest
        character (checked backwards with a fixed-width look-behind), so common letters and
        spaces rarely stop the scan.
        """
        singles = [chr(c) for c in range(48, 58)] + ["@", "＠"]
        singles += [chr(c) for c in range(0xFF10, 0xFF1A)]
        rests, _ = _anchored(words, self._common)
        numcls = f"[0-9{numerals}]"
        for c in numerals:
            rests.setdefault(c, set()).add(f"(?:[{_SEP_CHARS}]{{0,3}}{numcls}){{4}}")
        for c in addr_numerals:
            rests.setdefault(c, set()).add(f"[{addr_numerals}]{{0,3}}(?:号|栋|幢|单元|室|楼|號|棟|單元|樓)")
        for c in "一二三四五六七八九十":
            rests.setdefault(c, set()).add("[一二三四五六七八九十]?中")  # "杭州二中"
        for c, bodies in _SPELLED_ANCHORS.items():
            rests.setdefault(c, set()).update(b + _SPELLED_NEXT for b in bodies)
        return re.compile(_alternation(rests, singles))

    def has_trigger(self, text: str) -> bool:
        """True when the text holds anything that could start personal data (cheap)."""
        return self._trigger_re.search(text) is not None

    # ------------------------------------------------------------------ public API

    def find(self, text: str) -> list[PiiMatch]:
        """Non-overlapping personal-data spans, sorted by start.  Never raises."""
        if not isinstance(text, str) or not text or self._trigger_re.search(text) is None:
            return []
        try:
            return self._find(text)
        except Exception:  # noqa: BLE001 - a detector bug must not take the filter down
            return []

    def redact(self, text: str, matches: list[PiiMatch]) -> str:
        """Replace each match by its placeholder (Chinese if the text has CJK, else English)."""
        lang = "zh" if _CJK.search(text) else "en"
        out, pos = [], 0
        for m in sorted(matches, key=lambda m: m.start):
            if not (pos <= m.start <= m.end <= len(text)):
                raise ValueError(f"PII span [{m.start}, {m.end}) overlaps or is out of range (text length {len(text)})")
            out.append(text[pos:m.start])
            out.append(self.placeholder(m.kind, lang))
            pos = m.end
        out.append(text[pos:])
        return "".join(out)

    def placeholder(self, kind: str, lang: str) -> str:
        if kind not in self._labels:
            raise ValueError(f"unknown PII kind {kind!r}; known: {', '.join(KINDS)}")
        return self._labels[kind]["zh" if lang.lower().startswith("zh") else "en"]

    # ------------------------------------------------------------------ detail

    def _find(self, text: str) -> list[PiiMatch]:
        dv = text.translate(self._view) if self._view_re.search(text) else text
        cands: list[tuple[int, int, str]] = []
        cues = self._cues(dv)
        cue_ends = [c[1] for c in cues]
        self._scan_runs(dv, cues, cue_ends, cands)
        self._scan_passwords(dv, cues, cands)
        self._scan_im(dv, cues, cands)
        if self._spelled_hint_re.search(dv):
            self._scan_spelled(dv, cues, cue_ends, cands)
        if "@" in dv or self._email_hint_re.search(dv):
            self._scan_email(dv, cands)
        self._scan_address(dv, cands)
        self._scan_school(dv, cands)
        if _ASCII_DIGIT.search(dv):
            self._scan_us_address(dv, cues, cands)
        return self._resolve(text, cands)

    def _cues(self, dv: str) -> list[tuple[int, int, str]]:
        """(start, end, type) of every cue word; ASCII words must not touch other ASCII letters."""
        out = []
        n = len(dv)
        for m in self._cue_re.finditer(dv):
            a, e = m.span()
            tail = m.group()
            s = a
            for head in self._cue_heads[tail]:
                if a >= len(head) and dv.startswith(head, a - len(head)):
                    s = a - len(head)
                    break
            w = dv[s:e]
            if w[0] in _LETTERS and s > 0 and dv[s - 1] in _WORD:  # "gr_passwd", "hotel"
                continue
            if w[-1] in _LETTERS and e < n and (dv[e] in _LETTERS or dv[e] == "_"):
                continue
            out.append((s, e, self._cue_type[w.lower()]))
        return out

    @staticmethod
    def _resolve(text: str, cands: list[tuple[int, int, str]]) -> list[PiiMatch]:
        """Longest first (then by kind priority); drop anything overlapping a span already taken."""
        if not cands:
            return []
        chosen: list[tuple[int, int, str]] = []
        starts: list[int] = []
        ends: list[int] = []
        n = len(text)
        for s, e, k in sorted(set(cands), key=lambda c: (c[0] - c[1], _PRIORITY[c[2]], c[0])):
            if s >= e:
                continue
            while e < n and text[e] in "\ufe0f\u20e3":  # keycap digits "1️⃣"
                e += 1
            i = bisect_right(starts, s)
            if (i > 0 and ends[i - 1] > s) or (i < len(starts) and starts[i] < e):
                continue
            starts.insert(i, s)
            ends.insert(i, e)
            chosen.append((s, e, k))
        chosen.sort()
        return [PiiMatch(k, s, e, text[s:e]) for s, e, k in chosen]

    # ---- cues

    def _cue_before(self, dv: str, cues: list, cue_ends: list[int], pos: int) -> str:
        """Type of the nearest cue ending within the window before pos, with no digit or stop between."""
        i = bisect_right(cue_ends, pos) - 1
        while i >= 0:
            cs, ce, ctype = cues[i]
            if ce <= pos:
                if pos - ce > self._window:
                    return ""
                filler = dv[ce:pos]
                if any(ch.isdigit() or ch in "。！？!?；;\n" for ch in filler):
                    return ""
                if ctype in ("qq", "wechat", "other_im") and not all(ch in _IM_FILLER for ch in filler.lower()):
                    return ""  # "QQ音乐 10000首": the number is not the account
                if ctype == "phone" and dv[cs:ce].lower() in _GENERIC_NUMBER_CUES and i > 0:
                    # "my QQ number is ...", "微信号码": the word before "number" says what it is
                    ps, pe, ptype = cues[i - 1]
                    if ptype in ("qq", "wechat", "other_im", "bank", "id") and cs - pe <= 2:
                        return ptype
                return ctype
            i -= 1
        return ""

    def _cue_after(self, dv: str, cues: list, cue_ends: list[int], pos: int) -> str:
        i = bisect_right(cue_ends, pos)
        if i < len(cues):
            cs, ce, ctype = cues[i]
            if cs >= pos and cs - pos <= 6 and all(ch in " (（是我的:：" for ch in dv[pos:cs]):
                return ctype
        return ""

    # ---- digit runs: ID, phones, landlines, bank cards, QQ

    def _scan_runs(self, dv: str, cues: list, cue_ends: list[int], out: list) -> None:
        for m in self._run_re.finditer(dv):
            s, e = m.span()
            if e - s < 5:
                continue
            groups = [(g.start(), g.end(), g.group().translate(self._numeral_tr))
                      for g in self._dig_re.finditer(dv, s, e)]
            if sum(len(g[2]) for g in groups) < 5:
                continue
            if len(groups) > 64:  # very long lists: never join single digits
                seg: list = []
                for g in groups:
                    if len(g[2]) == 1:
                        if seg:
                            self._scan_groups(dv, seg, cues, cue_ends, out)
                        seg = []
                    else:
                        seg.append(g)
                if seg:
                    self._scan_groups(dv, seg, cues, cue_ends, out)
            else:
                self._scan_groups(dv, groups, cues, cue_ends, out)

    def _scan_groups(self, dv: str, groups: list, cues: list, cue_ends: list[int], out: list) -> None:
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
                    cue = self._cue_before(dv, cues, cue_ends, self._prefix_start(dv, groups[i][0]))
                got = self._judge(dv, groups, i, j, digits, sizes, cue, cues, cue_ends)
                if got is not None:
                    best = (got, j)
            if best is None:
                i += 1
                continue
            (kind, s, e), j = best
            out.append((s, e, kind))
            i = j + 1

    @staticmethod
    def _prefix_start(dv: str, start: int) -> int:
        p = start
        while p > 0 and start - p < 2 and dv[p - 1] in "+(（":
            p -= 1
        return p

    def _judge(self, dv: str, groups: list, i: int, j: int, digits: str, sizes: list[int], cue: str,
               cues: list, cue_ends: list[int]) -> tuple[str, int, int] | None:
        start, end = groups[i][0], groups[j][1]
        seps = [dv[groups[k - 1][1]:groups[k][0]] for k in range(i + 1, j + 1)]
        if any("." in sp for sp in seps) and min(sizes) < 3:
            return None
        if cue in ("negative", "password"):
            return None
        before = dv[start - 1] if start > 0 else ""
        nxt = dv[end:end + 2].lstrip(" ")[:1]
        if before in self._currency or nxt in self._unit_suffix:
            return None
        if before.isascii() and before.isalpha() and before not in "xX" and not cue:
            glued_word = True  # e.g. "abc1381234..." is more likely a user name or code
        else:
            glued_word = False
        L = len(digits)
        pre = self._prefix_start(dv, start)
        if not cue and 5 <= L <= 11:
            cue = self._cue_after(dv, cues, cue_ends, end)
        # Resident ID (17 digits + X, or 18 digits).
        if L == 17 and dv[end:end + 1] in ("X", "x") and not dv[end + 1:end + 2].isalpha():
            if is_resident_id(digits + "X"):
                return ("id_card", start, end + 1)
        if L == 18 and is_resident_id(digits):
            return ("id_card", start, end)
        if L == 15 and cue == "id" and _is_old_resident_id(digits):  # first-generation 15-digit ID
            return ("id_card", start, end)
        # Mobile (optionally +86 / 0086).
        core, cstart = digits, start
        if L == 15 and digits.startswith("0086"):
            core = digits[4:]
            cstart = pre
        elif L == 13 and digits.startswith("86") and (sizes[0] == 2 or "+" in dv[pre:start]):
            core = digits[2:]
            cstart = pre
        nanp_grouped = sizes[:1] == [1] and sizes[1:] == [3, 3, 4]
        if len(core) == 11 and core[0] == "1" and core[1] in "3456789" and not glued_word and not nanp_grouped:
            if len(core) == L or cstart != start or sizes[0] in (2, 4):
                return ("phone", cstart, end)
        # Taiwan mobile (09xx-xxx-xxx) when grouped that way or after a phone cue.
        if L == 10 and digits.startswith("09") and (cue == "phone" or sizes in ([4, 3, 3], [4, 6])):
            return ("phone", start, end)
        # IM account numbers after a QQ / WeChat cue.
        if cue in ("qq", "wechat", "other_im") and 5 <= L <= 11 and digits[0] != "0":
            return ("im_account", start, end)
        # Landline: area code + 7-8 digit local number ("+86 10 ..." drops the area code's 0).
        land, lsizes, lstart = digits, sizes, start
        if digits.startswith("86") and sizes[0] == 2 and "+" in dv[pre:start] and 11 <= L <= 13:
            land, lsizes, lstart = "0" + digits[2:], [sizes[1] + 1, *sizes[2:]], pre
        if land[0] == "0" and not land.startswith("00") and 10 <= len(land) <= 12:
            if len(lsizes) >= 2 or cue == "phone":
                for alen in (3, 4):
                    area, local = land[:alen], land[alen:]
                    ok_area = area == "010" or (alen == 3 and area[1] == "2") or (alen == 4 and area[1] in "3456789")
                    if ok_area and 7 <= len(local) <= 8 and local[0] != "0":
                        if len(lsizes) == 1 or lsizes[0] == alen:
                            s = lstart - 1 if dv[lstart - 1:lstart] in ("(", "（") else lstart
                            return ("landline", s, end)
        # US / NANP.
        us = self._us_phone(digits, sizes, cue, cues, cue_ends, start, dv)
        if us:
            s = pre if dv[pre:start].strip("+(（") == "" else start
            return ("us_phone", s, end)
        # Bank card.
        if 13 <= L <= 19 and luhn_ok(digits):
            grouped = (len(sizes) >= 3 and all(x == 4 for x in sizes[:-1]) and 1 <= sizes[-1] <= 4) or sizes in (
                [4, 6, 5], [4, 6, 4])
            # written alone, only the common card prefixes: UnionPay 62 (16-19 digits), Visa 4 / Mastercard 51-55 /
            # JCB 35 / Discover 6011, 65 (16), American Express 34, 37 (15)
            known = (digits.startswith("62") and L in (16, 17, 18, 19)) or (
                L == 16 and (digits[0] == "4" or "51" <= digits[:2] <= "55" or digits[:2] in ("35", "65")
                             or digits.startswith("6011"))) or (L == 15 and digits[:2] in ("34", "37"))
            if (cue == "bank" and digits[0] != "0") or (grouped and digits[0] in "3456") or (
                    known and len(sizes) == 1 and not cue):
                return ("bank_card", start, end)
        # Local landline number after a phone cue.
        if cue == "phone" and L in (7, 8) and digits[0] in "23456789" and len(sizes) <= 2:
            return ("landline", start, end)
        return None

    def _us_phone(self, digits: str, sizes: list[int], cue: str, cues: list, cue_ends: list[int],
                  start: int, dv: str) -> bool:
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
        if sizes == [10] and cue == "phone":
            i = bisect_right(cue_ends, start) - 1
            return i >= 0 and cues[i][2] == "phone" and dv[cues[i][0]:cues[i][1]].lower() in _EN_PHONE_CUES
        return False

    def _scan_spelled(self, dv: str, cues: list, cue_ends: list[int], out: list) -> None:
        """Phones spelled in English digit words: "two one two, five five five, zero one four seven"."""
        for m in self._spelled_re.finditer(dv):
            digits = "".join(_DIGIT_WORDS[w.lower()] for w in re.findall("[A-Za-z]+", m.group()))
            cue = self._cue_before(dv, cues, cue_ends, m.start())
            if cue in ("negative", "password"):
                continue
            nanp = digits[1:] if len(digits) == 11 and digits[0] == "1" else digits
            if len(digits) == 11 and digits[0] == "1" and digits[1] in "3456789":
                out.append((m.start(), m.end(), "phone"))
            elif len(nanp) == 10 and nanp[0] in "23456789":
                out.append((m.start(), m.end(), "us_phone"))
            elif len(digits) == 7 and cue == "phone":
                out.append((m.start(), m.end(), "us_phone"))
            elif cue in ("qq", "wechat", "other_im") and 5 <= len(digits) <= 11:
                out.append((m.start(), m.end(), "im_account"))

    # ---- passwords

    def _scan_passwords(self, dv: str, cues: list, out: list) -> None:
        for cs, ce, ctype in cues:
            if ctype != "password":
                continue
            m = self._pw_re.match(dv, ce)
            if m is None:
                continue
            vs = m.start("v")
            v = dv[vs:m.end("v")]
            cue = dv[cs:ce].lower()
            fill = m.group("fill").strip().lower()
            v = v.rstrip(".,;:!?)]}'\"")
            if v[:1] in ("'", '"'):
                vs += 1
                v = v[1:]
            if not v:
                continue
            compact = v.replace(" ", "")
            if len(compact) < 4 or v.lower() in self._stop_en or v.lower().startswith(("http", "www.")):
                continue
            if not (v[0].isalnum() or v[0] in self._numeral_chars):
                continue  # "(encrypted", "-based", ".struct_passwd"
            has_digit = any(c.isdigit() or c in self._numeral_chars for c in v)
            if cue.isascii() and not has_digit and not any(t in fill for t in (":", "：", "=", "＝", "is", "was")):
                continue  # English cue followed by a word: "password and/or ..."
            if cue in ("pin", "pin code", "pin码") and not (compact.isdigit() and 4 <= len(compact) <= 8):
                continue
            if v.isascii() and v.isalpha():
                asserted = any(t in fill for t in (":", "：", "=", "＝", "是", "为", "為"))
                if not asserted:
                    head = dv[max(0, cs - 12):cs].lower()
                    asserted = "is" in fill.split() and any(p in head for p in self._possessive)
                if not asserted:
                    continue
            out.append((vs, vs + len(v), "password"))

    # ---- IM ids with letters

    def _scan_im(self, dv: str, cues: list, out: list) -> None:
        for cs, ce, ctype in cues:
            if ctype not in ("qq", "wechat", "other_im"):
                continue
            m = self._im_re.match(dv, ce)
            if m is None:
                continue
            vs = m.start("v")
            v = dv[vs:m.end("v")].rstrip(".-")
            if len(v) < 6:
                continue
            fill = m.group("fill").strip().lower()
            cue = dv[cs:ce].lower()
            if v.lower() in self._stop_en or v.lower() in self._cue_type:
                continue
            plain = v.isalpha()
            if plain:
                asserted = any(t in fill for t in (":", "：", "=", "＝", "是", "为", "号", "id", "@", "搜"))
                if not asserted and "is" in fill.split():
                    head = dv[max(0, cs - 12):cs].lower()
                    asserted = any(p in head for p in self._possessive)
                if not asserted and not cue.startswith("加") and not dv[max(0, cs - 2):cs].endswith("加"):
                    continue
            if ctype == "qq" and not any(c.isdigit() for c in v):
                continue  # QQ accounts are numbers; "QQ: Pennsylvania" is not one
            if v.lower().endswith((".com", ".cn", ".net", ".org")):
                continue  # a web address, not an id
            out.append((vs, vs + len(v), "im_account"))

    # ---- e-mail

    def _scan_email(self, dv: str, out: list) -> None:
        for rx, obf in ((self._email_re, False), (self._email_obf_re, True)):
            for m in rx.finditer(dv):
                s, e = m.span()
                val = m.group()
                local = val.split("@")[0] if not obf else re.split(r"[ (\[]", val, maxsplit=1)[0]
                local = local.strip(".")
                if not local:
                    continue
                s = m.start() + m.group().find(local)
                tail = re.split(r"\.|[ (\[]dot[ )\]]|[ ]dot[ ]", val.lower())[-1].strip(" )]")
                # drop trailing labels that are not a top-level domain
                while not (tail.isalpha() and len(tail) >= 2):
                    cut = max(val.rfind("."), val.lower().rfind("dot"))
                    if cut <= val.find(local) + len(local):
                        break
                    val = val[:cut].rstrip(" ([")
                    e = m.start() + len(val)
                    tail = re.split(r"\.|[ (\[]dot[ )\]]|[ ]dot[ ]", val.lower())[-1].strip(" )]")
                if not (tail.isalpha() and len(tail) >= 2):
                    continue
                if obf and tail not in self._email_tlds:
                    continue
                if "@" in val:
                    loc, _, dom = val.lower().partition("@")
                    if dom in self._email_fake_domains or loc in self._email_fake_locals:
                        continue  # a format example, not someone's address
                out.append((s, e, "email"))

    # ---- Chinese addresses

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
        building = any(u.endswith(self._units_building) for u in units) or any(k in ("dash", "room") for k, _ in nums)
        road = "road" in kinds
        estate = "estate" in kinds
        admins = sum(1 for k in kinds if k in ("admin", "district", "town", "place"))
        if road and any(u.endswith(("号", "弄", "号院", "号楼", "號", "號樓")) for u in units):
            return True
        if estate and n_num >= 1:
            return True
        if n_num >= 2 and building:
            return True
        if admins >= 1 and building and n_num >= 1:
            return True
        if home and (road or cue_only_estate or "town" in kinds or ("district" in kinds and admins >= 2)):
            return True
        if home and building and n_num >= 1:
            return True
        return False

    def _scan_address(self, dv: str, out: list) -> None:
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
                head = dv[max(0, left_start - 6):left_start]
                home = self._home_re.search(head) is not None
            # trim a trailing name token that is not followed by a number (keeps the span tight)
            while right and right[-1][0] in ("name", "place") and nums and not home:
                k, t = right.pop()
                end -= len(t)
                names.remove(t)
            if not nums and end < len(dv) and self._name_char_re.match(dv, end):
                continue  # the last name runs on into a longer word ("小村庄")
            if not home and dv.startswith(self._not_home_rooms, end):
                continue  # "1号楼201教室": a classroom or meeting room, not a home
            if self._address_ok(names, nums, home):
                out.append((left_start, end, "address"))
                done_until = end

    # ---- school + class

    def _scan_school(self, dv: str, out: list) -> None:
        for m in self._school_re.finditer(dv):
            s, e = m.span()
            if m.group() == "中":  # "北京四中", "杭州十一中"
                while s > 0 and e - s < 3 and dv[s - 1] in self._school_num_chars:
                    s -= 1
            lo = max(0, s - 12)
            rv = dv[lo:s][::-1]
            nm = self._school_name_rev.match(rv)
            name_len = nm.end() if nm else 0
            for k in range(name_len):
                if rv[k] in self._school_verbs and not dv.startswith(self._places_by_char.get(rv[k], ()), s - k - 1):
                    name_len = k  # "我在黑龙江省上高中": 上 is a verb here, but not in 上海
                    break
            start = s - name_len
            school = dv[start:e]
            if name_len < 2 and not (name_len >= 1 and m.group().endswith("中")):
                continue
            if school in self._school_generic or dv[start:s] in self._school_name_generic:
                continue
            g = self._grade_re.match(dv, e)
            asserted = dv[max(0, start - 6):start].endswith(self._school_assert)
            if g and g.group("c"):  # school + class: "育才小学三年级二班"
                end = g.end()
            elif asserted:  # "我是阳光小学三年级的", "我在实验小学上学"
                end = g.end() if g and g.group("g") else e
            else:  # "人大附中高一数学试卷" is about a school, not about the child
                continue
            out.append((start, end, "school"))
        if not self._en_school_hint.search(dv):
            return
        for rx in (self._en_school_pre_re, self._en_school_re):
            for m in rx.finditer(dv):
                words = m.group().split()
                if words[0].lower() in self._us_stop_names:
                    continue
                s, e = m.span()
                has_class = any(w.lower().strip(",") in ("class", "room") for w in words)
                head = dv[max(0, s - 24):s].lower()
                if has_class or any(c in head for c in self._school_assert_en):
                    out.append((s, e, "school"))

    # ---- US street addresses

    def _scan_us_address(self, dv: str, cues: list, out: list) -> None:
        home_ends = [ce for _, ce, t in cues if t == "en_home"]
        for m in self._us_addr_re.finditer(dv):
            self._us_addr_candidate(dv, m, home_ends, False, out)
        for ce in home_ends:
            m = self._us_addr_loose_re.match(dv, ce)
            if m:
                self._us_addr_candidate(dv, m, home_ends, True, out)

    def _us_addr_candidate(self, dv: str, m: re.Match[str], home_ends: list[int], cued: bool, out: list) -> None:
        names = m.group("names").split()
        if any(w.lower() in self._us_stop_names for w in names):
            return
        sfx_word = re.match(r"[A-Za-z]+", m.group("sfx"))
        weak = sfx_word is not None and sfx_word.group().lower() in self._us_weak_sfx
        if weak and not (cued or m.group("city")):
            return
        if not cued:
            i = bisect_right(home_ends, m.start()) - 1
            cued = i >= 0 and m.start() - home_ends[i] <= 3
        s = m.start("num")
        e = m.end()
        city = m.group("city")
        if city:
            first = city.strip(", ").split()[0].lower()
            if first in self._us_stop_names or first in ("then", "but", "so", "and"):
                e = m.start("city")
        out.append((s, e, "us_address"))


@lru_cache(maxsize=4)
def _default(data_dir: Path | None = None) -> PiiDetector:
    return PiiDetector(data_dir)


def placeholder(kind: str, lang: str) -> str:
    """The readable stand-in for a kind, e.g. placeholder("phone", "zh") == "[手机号]"."""
    return _default().placeholder(kind, lang)
