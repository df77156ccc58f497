"""Throwaway link-spam hosts: a bare web address on a cheap domain ending, its dot written or spelt out.

Gambling (and porn) adverts in comments give a site as a bare host made for the day, a few letters and digits on
a cheap ending (y23my.top, xk3026.vip, 488561.vip), and often write its dot out so that link filters miss it
(388ds点top, 735ds典top, wda56点pw, ｄ７ｅｗ．ｔｏｐ, yj40h.🔝). The fold view turns a dot into a space and the
rules need a lure beside the site, so such a host alone passed. The Ministry of Public Security's notices on
cross-border gambling adverts and the CAC 清朗 campaigns name these link posts; ChineseHarm-bench files them under
gambling, so a hit here is evidence of severity 2, rule `lexicon:web_host:.ENDING`, view `spelt_host` where the dot
is spelt out (点, 點, 典, 奌, (点), 。) and `host` where it is a dot.

Its category is what the text around the link sells (session 16; until then always gambling, so a parent who allowed
gambling allowed porn links too): `sexual` when the text has a sexual word-list hit (not a mere sound-alike) or a
porn-link word of filters/data/tables/link_cues.json (看片, 老司机, 涩涩: read in the fold view), and `gambling` as
before when it has neither; a text selling both (a sexual word and a gambling word-list hit) gives the host both
categories, so allowing either one still blocks the link. No category is new: the policy has no neutral spam one.

A host counts only on an ending of the throwaway list (filters/data/tables/domain_endings.json: each a top-level
domain of the Public Suffix List; com, cn, net, org and the endings that are English words are not on it) and
only with a label that looks made for the day: written with a dot (or `dot`, `(.)`, `[.]`), some label must hold
a digit (log.info, numpy.cc and abc.xyz stand down); with the dot spelt out in Chinese, the label next to the
ending must hold a letter or at least three digits (10点vip is a time, not a host). Labels are Latin letters and
digits only, so 一点, 重点, 点赞 and 3点5 are never hosts; an address after `@` is an e-mail (filters/pii).

The same adverts link to a bare server address with a port (https://156.20.7.11:8888/#/link?invite=...), which
no domain blocklist can hold: a link (http:// or https://) to a public IPv4 address is evidence of the same kind,
rule `lexicon:web_host:ip`, view `ip_host`. Private, loopback and documentation addresses (a home router's
http://192.168.1.1) and an address written without http:// (a version number, a DNS server named in prose) do not
count.

Session 18: the hosts are also written in styled letters and digits so that link filters miss them (𝕔𝟛𝟛𝕔𝕨.𝕥𝕠𝕡,
🅅68點🅅🄸🄿, ⓐⓑ⑧.ⓣⓞⓟ): mathematical alphanumerics, circled, squared and negative circled or squared letters and digits
are read as the ASCII letter or digit they show (Unicode's compatibility mapping, or the letter their name gives)
before the hosts are looked for, one code point for one, so spans still index the text as written.
"""

from __future__ import annotations

import ipaddress
import json
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from filters import regex_cache
from filters.entry_table import Entry
from filters.homophone_reopen import VIEW as SOUND_ALIKE
from filters.match_hits import Hit

TABLE = Path(__file__).resolve().parent / "data" / "tables" / "domain_endings.json"
CUES = TABLE.with_name("link_cues.json")
PACK = "web_host"
CATEGORY = "gambling"  # a host in a text that sells nothing else
SEXUAL = "sexual"
SEVERITY = 2
VIEW_PLAIN = "host"
VIEW_SPELT = "spelt_host"
VIEW_IP = "ip_host"
IP_TERM = "ip"  # the rule of a link to a bare address: lexicon:web_host:ip
_IP_LINK = re.compile(r"(?i:https?)://((\d{1,3}(?:\.\d{1,3}){3})(?::\d{1,5})?)(?![\d.])")
TOP_EMOJI = "\U0001f51d"  # 🔝, written for "top"
_CHINESE_DOTS = frozenset("点點典奌")
WINDOW = 64  # characters before a separator that its host may take
_BEFORE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@._-")
# full-width letters, digits and dots as ASCII, the ideographic full stops as "." (one character each: spans hold)
_ASCII = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {ord("。"): ".", ord("｡"): "."}
_LABEL = "[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?"
_SEP = r"(?:\s{0,2}(?:\.|[点點典奌]|[(\[（【]\s?[.点]\s?[)\]）】])|\s+dot\s+)"  # no space before the ending
_DOTS = ".．｡。点典奌點)]）】"  # what a separator ends with, as written
_STYLED = re.compile("[\u2460-\u24ff\u2776-\u2793\U0001d400-\U0001d7ff\U0001f100-\U0001f1ff]")
_DIGIT_NAMES = ("ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE")
_STYLED_NAME = re.compile(rf"(?:LATIN (?:CAPITAL|SMALL) LETTER ([A-Z])|DIGIT ({'|'.join(_DIGIT_NAMES)}))$")


@lru_cache(maxsize=1)
def _styled() -> dict[int, str]:
    """Each styled letter or digit of _STYLED's blocks (𝕥, ⓢ, 🅅, ⑧, ❶, 🅐) -> the ASCII letter or digit it shows:
    its compatibility form when that is one ASCII letter or digit, else the letter or digit its name ends with."""
    out = {}
    for block in ((0x2460, 0x24FF), (0x2776, 0x2793), (0x1D400, 0x1D7FF), (0x1F100, 0x1F1FF)):
        for cp in range(block[0], block[1] + 1):
            char = unicodedata.normalize("NFKC", chr(cp))
            if len(char) == 1 and char.isascii() and char.isalnum():
                out[cp] = char
            elif m := _STYLED_NAME.search(unicodedata.name(chr(cp), "")):
                out[cp] = m.group(1) or str(_DIGIT_NAMES.index(m.group(2)))
    return out


def plain(text: str) -> str:
    """`text` with its styled letters and digits read as ASCII (the same length; `text` itself if it has none)."""
    return text.translate(_styled()) if _STYLED.search(text) else text


@lru_cache(maxsize=1)
def endings() -> frozenset[str]:
    """The throwaway endings, validated: each a top-level domain of the table's list."""
    doc = json.loads(TABLE.read_text(encoding="utf-8"))
    tlds = set(doc["tlds"])
    out = frozenset(doc["throwaway"])
    if not out or not out <= tlds:
        raise ValueError(f"{TABLE.name}: throwaway endings not in its top-level domains: {sorted(out - tlds)}")
    return out


@lru_cache(maxsize=1)
def sexual_cues() -> tuple[str, ...]:
    """The porn-link words (fold view), validated: lower-case words without spaces."""
    out = tuple(json.loads(CUES.read_text(encoding="utf-8"))[SEXUAL])
    bad = [w for w in out if not w or w != w.lower() or " " in w]
    if not out or bad:
        raise ValueError(f"{CUES.name}: not fold-view words: {bad}")
    return out


def categories(found: Sequence[Hit], fold: str) -> tuple[str, ...]:
    """The categories of a host in a text with word-list hits `found` and fold view `fold`: by what it sells."""
    have = {h.entry.category for h in found if h.view != SOUND_ALIKE}
    if SEXUAL not in have and not any(w in fold for w in sexual_cues()):
        return (CATEGORY,)
    return (SEXUAL, CATEGORY) if CATEGORY in have else (SEXUAL,)


@lru_cache(maxsize=1)
def _hint() -> re.Pattern[str]:
    """A separator right before the first letter of an ending: one character class then another, which the
    regular expression engine scans in C (~0.5 µs for a 90-character line; ~4% of ordinary lines pass)."""
    first = "".join(sorted({e[0] for e in endings()}))
    first += first.upper()
    first += first.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})
    first += "".join(chr(cp) for cp, char in _styled().items() if cp < 0x10000 and char.lower() in first)  # ⓣ Ⓣ
    # the styled letters outside the first plane (𝕥, 🅃) as one range: a class of hundreds of them is slow to test
    return regex_cache.compile(f"[{re.escape(_DOTS)}](?:[{first}]|[\U0001d400-\U0001d7ff\U0001f100-\U0001f1ff])")


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The labels and separators that end right before an ending; an ending; a separator (to split labels)."""
    # longest first, then by text: the order (so the pattern text, the stored programs' key) must not follow
    # the per-process string hash, or every process misses the regex cache (tests/test_regex_cache.py)
    ends = "|".join(sorted(endings(), key=lambda e: (-len(e), e)))
    return (regex_cache.compile(rf"(?:{_LABEL}{_SEP})+\Z", re.IGNORECASE),
            regex_cache.compile(rf"(?:{ends})(?![a-z0-9])", re.IGNORECASE),
            regex_cache.compile(f"({_SEP})", re.IGNORECASE))


def _label_ok(labels: list[str], seps: list[str]) -> bool:
    if any(s.strip()[:1] in _CHINESE_DOTS or "点" in s for s in seps):
        last = labels[-1]
        return any(c.isalpha() for c in last) or sum(c.isdigit() for c in last) >= 3
    return any(any(c.isdigit() for c in lab) and (not lab.isdigit() or len(lab) >= 3) for lab in labels)


def _candidates(text: str, first: int = 0) -> list[tuple[int, int]]:
    """(end of the separator, start of the ending) of each place where an ending may follow a separator (`first`:
    where the hint pattern's first match starts, if the caller has searched for it)."""
    out = [(m.start() + 1, m.start() + 1) for m in _hint().finditer(text, first)]
    if TOP_EMOJI in text:
        out += [(i, i) for i in (m.start() for m in re.finditer(TOP_EMOJI, text)) if i and text[i - 1] in _DOTS]
    if " dot " in text:
        out += [(m.end(), m.end()) for m in re.finditer(" dot ", text)]
    return out


def find(text: str, candidates: list[tuple[int, int]] | None = None) -> list[tuple[int, int, str, bool]]:
    """(start, end, ending, spelt) of each throwaway host in `text`: spelt when its dot is written out
    (`candidates`: those of _candidates(text), if the caller has them)."""
    head, ending_at, separator = _patterns()
    out: dict[tuple[int, int], tuple[int, int, str, bool]] = {}
    for sep_end, at in _candidates(text) if candidates is None else candidates:
        emoji = text[at:at + 1] == TOP_EMOJI
        if emoji:
            ending, b = "top", at + 1
        elif e := ending_at.match(text[at:at + 10].translate(_ASCII)):
            ending, b = e.group().lower(), at + e.end()
        else:
            continue
        lo = max(0, sep_end - WINDOW)  # the host is parsed in a window before the separator (a line may be long)
        m = head.search(text[lo:sep_end].translate(_ASCII))
        if m is None:
            continue
        a = lo + m.start()
        if a and text[a - 1].translate(_ASCII) in _BEFORE:
            continue  # inside a longer word or address (an e-mail's domain, a path)
        parts = separator.split(m.group())  # label, sep, label, sep, ..., "" (the host part ends with a sep)
        labels, seps = parts[0:-1:2], parts[1::2]
        if len(labels[-1]) < 2 or not _label_ok(labels, seps):
            continue
        spelt = emoji or any(s.strip() != "." for s in seps)
        out[(a, b)] = (a, b, ending, spelt)
    return sorted(out.values())


@lru_cache(maxsize=128)
def _entry(ending: str, category: str) -> Entry:
    return Entry(f".{ending}" if ending != IP_TERM else ending, category, SEVERITY, "exact", False, (), PACK)


def _public(address: str) -> bool:
    """A public IPv4 address (not private, loopback, link-local, shared, documentation or reserved)."""
    try:
        ip = ipaddress.IPv4Address(address)
    except ValueError:
        return False
    return ip.is_global


def ip_links(text: str) -> list[tuple[int, int]]:
    """[start, end) of each link to a bare public IPv4 address (http://156.20.7.11:8888/#/link?join=81): the
    address and its port, as written."""
    if "://" not in text:
        return []
    return [m.span(1) for m in _IP_LINK.finditer(text) if _public(m.group(2))]


def hits(text: str, found: Sequence[Hit] = (), fold: str | None = None) -> list[Hit]:
    """Word-list evidence of the throwaway hosts in `text` (empty for most texts), each in the categories of
    what the text sells (`found`: its other word-list hits; `fold`: its fold view, text.casefold() if None)."""
    ips = ip_links(text)
    first = _hint().search(text)  # most texts: one scan in C, nothing found; else the scan goes on from there
    if first or TOP_EMOJI in text or " dot " in text:
        scan = plain(text)  # 𝕔𝟛𝟛.𝕥𝕠𝕡 is looked for as c33.top; the evidence quotes the text as written
        hosts = find(scan, _candidates(scan, first.start() if first else len(scan)))
    else:
        hosts = []
    if not ips and not hosts:
        return []
    cats = categories(found, text.casefold() if fold is None else fold)
    out = [Hit(_entry(IP_TERM, c), (a, b), text[a:b], VIEW_IP) for a, b in ips for c in cats]
    return out + [Hit(_entry(ending, c), (a, b), text[a:b], VIEW_SPELT if spelt else VIEW_PLAIN)
                  for a, b, ending, spelt in hosts for c in cats]
