"""E-mail addresses on any domain, plain (a@b.cn, full-width ＠) or lightly obfuscated
("lily at gmail dot com", "xyz(at)gmail.com").  Format examples (user@domain.tld, xxx@xxx.com) are
not personal data; which addresses count as examples is data (email_placeholders.json)."""

from __future__ import annotations

import re
from typing import Any

from filters import regex_cache
from filters.pii.patterns import alt
from filters.pii.types import Candidate, Scan

_LOCAL = r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]{1,64}+"
_LABEL = r"[A-Za-z0-9\-]{1,63}+"
_DOT_SPLIT = regex_cache.compile(r"\.|[ (\[]dot[ )\]]|[ ]dot[ ]")
_LOCAL_END = regex_cache.compile(r"[ (\[]")
_OBF_AT = regex_cache.compile(r"[ ]*(?:[(\[][ ]?at[ ]?[)\]]|[ ]at[ ])[ ]*", re.IGNORECASE)
_OBF_DOT = regex_cache.compile(r"[ ]*(?:[(\[][ ]?dot[ ]?[)\]]|[ ]dot[ ]|\.)[ ]*", re.IGNORECASE)


class Emails:
    name = "email"

    def __init__(self, placeholders: dict[str, Any]) -> None:
        self._plain_re = regex_cache.compile(rf"{_LOCAL}@{_LABEL}(?:\.{_LABEL})++")
        self._obf_re = regex_cache.compile(
            rf"{_LOCAL}[ ]{{0,2}}(?:[(\[][ ]?at[ ]?[)\]]|[ ]at[ ])[ ]{{0,2}}{_LABEL}"
            rf"(?:[ ]{{0,2}}(?:\.|[(\[][ ]?dot[ ]?[)\]]|[ ]dot[ ])[ ]{{0,2}}{_LABEL})++",
            re.IGNORECASE,
        )
        self._hint_re = regex_cache.compile(alt(["(at)", "[at]", "(AT)", "[AT]", "( at )", "[ at ]", " dot ", " DOT "]))
        low = {k: frozenset(str(v).lower() for v in vs) for k, vs in placeholders.items() if isinstance(vs, list)}
        self._fake_domains = low["placeholder_domains"]
        self._fake_tlds = low["placeholder_tlds"]
        self._fake_locals = low["placeholder_locals"]
        self._example_domains = low["example_domains"]
        self._example_locals = low["example_locals"]
        self._obf_tlds = low["obfuscated_tlds"]

    def is_placeholder(self, address: str) -> bool:
        """True for a format example such as user@domain.tld; False for someone's address."""
        local, _, domain = address.lower().partition("@")
        return (domain in self._fake_domains or domain.rsplit(".", 1)[-1] in self._fake_tlds
                or local in self._fake_locals
                or (local in self._example_locals and domain in self._example_domains))

    def scan(self, scan: Scan, out: list[Candidate]) -> None:
        dv = scan.dv
        if "@" not in dv and not self._hint_re.search(dv):
            return
        for rx, obf in ((self._plain_re, False), (self._obf_re, True)):
            for m in rx.finditer(dv):
                got = self._candidate(m, obf)
                if got is not None:
                    out.append(got)

    def _candidate(self, m: re.Match[str], obf: bool) -> Candidate | None:
        val = m.group()
        local = (val.split("@")[0] if not obf else _LOCAL_END.split(val, maxsplit=1)[0]).strip(".")
        if not local:
            return None
        s = m.start() + val.find(local)
        e = m.end()
        tail = _DOT_SPLIT.split(val.lower())[-1].strip(" )]")
        while not (tail.isalpha() and len(tail) >= 2):  # drop trailing labels that are not a top-level domain
            cut = max(val.rfind("."), val.lower().rfind("dot"))
            if cut <= val.find(local) + len(local):
                return None
            val = val[:cut].rstrip(" ([")
            e = m.start() + len(val)
            tail = _DOT_SPLIT.split(val.lower())[-1].strip(" )]")
        if obf and tail not in self._obf_tlds:
            return None
        address = val[val.find(local):]
        if obf:
            address = _OBF_DOT.sub(".", _OBF_AT.sub("@", address, count=1))
        if self.is_placeholder(address):
            return None  # a format example, not someone's address
        return (s, e, "email")
