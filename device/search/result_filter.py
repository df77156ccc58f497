"""Filter every search result before a child sees it.

A result is hidden when its URL is not http(s), its domain is on the block list, its title or
snippet is a QR-code / external-link lure, or the text filter blocks its title, snippet or URL.
A result that is mostly other people's personal data — someone's ID or bank card number or
password, or three or more pieces of personal data (a class list with phones) — is doxxing content
(开盒) and hidden whole, not shown masked; its reasons for the parent's log name the kinds, never the
values. Otherwise personal information in the title and snippet is redacted, and a URL carrying
personal information is cut back to its site (scheme://host/). Each decision keeps its reasons for
the parent's event log.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import unquote, urlsplit

from device.search.domains import SAFE_SCHEMES, DomainBlockList, host_of, scheme_of
from device.search.lures import LureDetector
from device.search.result_cache import DecisionCache, filter_key
from device.search.types import Hit
from filters.policy import FilterPolicy
from filters.verdict import BLOCK, REDACT, Verdict

MAX_FIELD_CHARS = 2000  # longer titles/snippets are cut before filtering and display
# Personal data of these kinds in a result is never someone's to publish; "unchecked" is a PII
# recogniser that failed (fail closed: hide rather than show).
DOXXING_KINDS = frozenset({"id_card", "bank_card", "password", "unchecked"})
DOXXING_MIN_VALUES = 3  # this many pieces of personal data in one result: a list of people


@dataclass(slots=True)
class Decision:
    hit: Hit
    shown: bool
    title: str = ""
    snippet: str = ""
    url: str = ""
    why: str = ""  # "scheme" | "domain" | "lure" | "filter" | "doxxing" when hidden; "redact" when PII was masked
    categories: list[str] = field(default_factory=list)
    reasons: list[dict[str, Any]] = field(default_factory=list)

    def result(self) -> dict[str, str]:
        return {"title": self.title, "snippet": self.snippet, "url": self.url}


def _url_text(url: str) -> str:
    """The URL as words the filter can read (percent-decoding, separators as spaces)."""
    text = unquote(url)
    for sep in "/?&=#_-.+:":
        text = text.replace(sep, " ")
    return text


def _site_only(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


def is_doxxing(verdicts: list[Verdict]) -> bool:
    """Title and snippet verdicts hold someone's ID/card/password, or DOXXING_MIN_VALUES pieces of PII."""
    kinds = [r.rule.split(":")[1] for v in verdicts for r in v.reasons if r.kind == "pii"]
    return len(kinds) >= DOXXING_MIN_VALUES or any(k in DOXXING_KINDS for k in kinds)


def _without_values(reasons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Reasons for the parent's log without the personal data itself (it is someone else's)."""
    return [{k: v for k, v in r.items() if not (r.get("kind") == "pii" and k == "matched")} for r in reasons]


def _tagged(verdict: Verdict, where: str) -> list[dict[str, Any]]:
    out = []
    for r in verdict.reasons:
        if r.kind == "notice":
            continue
        item = r.to_json()
        item["where"] = where
        out.append(item)
    return out


class ResultFilter:
    def __init__(
        self, text_filter: Any, domains: DomainBlockList | None = None, lures: LureDetector | None = None,
        cache: DecisionCache | None = None,
    ) -> None:
        self.text_filter = text_filter
        self.domains = domains if domains is not None else DomainBlockList()
        self.lures = lures if lures is not None else LureDetector()
        self.cache = cache if cache is not None else DecisionCache()

    def cache_key(self, policy: FilterPolicy) -> Any:
        return filter_key(self.text_filter, policy)

    def filter(self, hits: list[Hit], policy: FilterPolicy) -> list[Decision]:
        """One decision per hit, in order: remembered ones from the cache, the others filtered now."""
        key = self.cache_key(policy)
        if key is None:
            return self.filter_uncached(hits, policy)
        table = self.cache.table(key)
        out: list[Decision | None] = []
        missing: list[int] = []
        for i, hit in enumerate(hits):
            known = table.get((hit.title, hit.snippet, hit.url))
            out.append(known if known is None else replace(known, hit=hit))
            if known is None:
                missing.append(i)
        if missing:
            fresh = self.filter_uncached([hits[i] for i in missing], policy)
            for i, decision in zip(missing, fresh, strict=True):
                out[i] = decision
                self.cache.remember(table, (decision.hit.title, decision.hit.snippet, decision.hit.url), decision)
        return out  # type: ignore[return-value]  (every slot is filled)

    def _check_all(self, texts: list[str], policy: FilterPolicy) -> list[Verdict]:
        many = getattr(self.text_filter, "check_many", None)
        if callable(many):
            return list(many(texts, policy))
        return [self.text_filter.check(t, policy) for t in texts]

    def filter_uncached(self, hits: list[Hit], policy: FilterPolicy) -> list[Decision]:
        decisions: list[Decision | None] = [None] * len(hits)
        pending: list[int] = []
        for i, hit in enumerate(hits):
            url = hit.url.strip()
            if scheme_of(url) not in SAFE_SCHEMES or not host_of(url):
                decisions[i] = Decision(hit, False, why="scheme", reasons=[
                    {"category": "fraud", "rule": "url:scheme", "where": "url", "kind": "url"}])
                continue
            domain = self.domains.blocked_by(url)
            if domain:
                decisions[i] = Decision(hit, False, why="domain", reasons=[
                    {"category": "domain", "rule": f"domain:{domain}", "where": "url", "kind": "domain"}])
                continue
            lure = self.lures.find(f"{hit.title}\n{hit.snippet}")
            if lure:
                decisions[i] = Decision(hit, False, why="lure", categories=["fraud"], reasons=[
                    {"category": "fraud", "rule": lure.rule, "where": "text", "kind": "lure"}])
                continue
            pending.append(i)

        texts: list[str] = []
        for i in pending:
            hit = hits[i]
            texts += [hit.title[:MAX_FIELD_CHARS], hit.snippet[:MAX_FIELD_CHARS], _url_text(hit.url)]
        verdicts = self._check_all(texts, policy) if texts else []
        for n, i in enumerate(pending):
            vt, vs, vu = verdicts[3 * n : 3 * n + 3]
            reasons = _tagged(vt, "title") + _tagged(vs, "snippet") + _tagged(vu, "url")
            categories = sorted(set(vt.categories) | set(vs.categories) | set(vu.categories))
            hit = hits[i]
            if BLOCK in (vt.action, vs.action, vu.action):
                decisions[i] = Decision(hit, False, why="filter", categories=categories, reasons=reasons)
                continue
            if is_doxxing([vt, vs]):
                decisions[i] = Decision(hit, False, why="doxxing", categories=sorted(set(categories) | {"pii"}),
                                        reasons=_without_values(reasons))
                continue
            redacted = REDACT in (vt.action, vs.action, vu.action)
            decisions[i] = Decision(
                hit,
                True,
                title=vt.redacted if vt.action == REDACT else hit.title[:MAX_FIELD_CHARS],
                snippet=vs.redacted if vs.action == REDACT else hit.snippet[:MAX_FIELD_CHARS],
                url=_site_only(hit.url.strip()) if vu.action == REDACT else hit.url.strip(),
                why="redact" if redacted else "",
                categories=categories,
                reasons=reasons,
            )
        return [d for d in decisions if d is not None]
