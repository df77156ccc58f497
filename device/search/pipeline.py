"""SearchPipeline: query gate -> provider -> result filter -> what the child sees.

    pipeline = SearchPipeline(text_filter, LocalIndexProvider(), policy_getter, event_sink)
    response = pipeline.search("大熊猫吃什么")       # SearchResponse
    response.to_json()  # {"query", "action", "message", "results": [...], "hidden", "reasons"}

The query is checked first. A blocked query gets a kind refusal (its harmful words are never
echoed: "query" holds the masked text) and a "search_blocked" event for the parent; personal
information in a query is redacted before the query reaches any provider. Then the provider is
asked for a few times `limit` candidates, every candidate is filtered (result_filter.py) and the
child gets the top `limit` that pass plus a count of the hidden ones. Decisions are remembered per
filter and policy (result_cache.py); a static provider's whole index is filtered once in the
background (warm.py), so a query then costs the query check and the index lookup. Reasons shown to the child's
side carry category/rule/kind/span/where but never the matched words; the parent's event has them.
An unreachable provider gives action "offline" with a clear message, never an exception.
A blocked query about self-harm or suicide gets care, not a refusal (device/care.py): a short warm message,
help lines for the device's region in a `care` object, no results and no echo of the query (`query` is
empty), and a "support_needed" event for the parent that holds the category and time, never the words. This
holds where the parent unblocked self_harm too (the query is then checked a second time with it blocked).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from device.care import CARE_CATEGORIES, CareDesk, care_policy, default_desk, needs_care
from device.events import emit
from device.i18n import say
from device.search.messages import detect_lang
from device.search.result_filter import Decision, ResultFilter
from device.search.types import Hit, ProviderUnavailable, SearchProvider
from device.search.warm import IndexWarmer
from filters.policy import DEFAULT_POLICY, FilterPolicy
from filters.verdict import BLOCK, REDACT

log = logging.getLogger(__name__)

MAX_QUERY_CHARS = 256
CANDIDATE_FACTOR = 3
ALLOW, REDACTED, BLOCKED, OFFLINE, INVALID = "allow", "redact", "block", "offline", "invalid"


@dataclass(slots=True)
class SearchResponse:
    query: str
    action: str
    message: str
    results: list[dict[str, str]] = field(default_factory=list)
    hidden: int = 0
    reasons: list[dict[str, Any]] = field(default_factory=list)
    lang: str = "zh"
    provider: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    care: dict[str, Any] | None = None  # set only on a self-harm answer (device/care.py)

    def to_json(self) -> dict[str, Any]:
        out = {
            "query": self.query,
            "action": self.action,
            "message": self.message,
            "results": [dict(r) for r in self.results],
            "hidden": self.hidden,
            "reasons": [dict(r) for r in self.reasons],
        }
        if self.care is not None:
            out["care"] = self.care
        return out


def public_rule(rule: str) -> str:
    """A rule id without the word or domain it names ("lexicon:sexual:<term>" -> "lexicon:sexual")."""
    kind = rule.split(":", 1)[0]
    if kind in ("lexicon", "policy"):
        return ":".join(rule.split(":")[:2])
    if kind == "domain":
        return "domain"
    return rule


def public_reason(reason: dict[str, Any]) -> dict[str, Any]:
    """A reason without the matched text or term (a harmful word, a phone number) for the child's side."""
    out = {k: v for k, v in reason.items() if k not in ("matched", "view")}
    if isinstance(out.get("rule"), str):
        out["rule"] = public_rule(out["rule"])
    return out


class SearchPipeline:
    def __init__(
        self,
        text_filter: Any,
        provider: SearchProvider,
        policy_getter: Callable[[], FilterPolicy] | None = None,
        event_sink: Callable[[dict], None] | None = None,
        result_filter: ResultFilter | None = None,
        warm_in_background: bool = True,
        care: CareDesk | None = None,
    ) -> None:
        self.text_filter = text_filter
        self.care = care  # None: the shipped help lines, loaded at the first answer that needs them
        self.provider = provider
        self.policy_getter = policy_getter or (lambda: DEFAULT_POLICY)
        self.event_sink = event_sink
        self.result_filter = result_filter or ResultFilter(text_filter)
        self.warmer = IndexWarmer(self.result_filter, provider)
        self.warm_in_background = warm_in_background

    @classmethod
    def from_settings(
        cls,
        settings: Any,
        text_filter: Any,
        event_sink: Callable[[dict], None] | None = None,
        policy: FilterPolicy | None = None,
        provider: str | None = None,
        care: CareDesk | None = None,
    ) -> SearchPipeline:
        """Build from device.config.DeviceSettings (provider "local" or "searxng")."""
        from device.search.providers import make_provider

        pipeline = cls(text_filter, make_provider(settings, provider), event_sink=event_sink, care=care)
        if policy is not None:
            pipeline.set_policy(policy)
        return pipeline

    def stop_warming(self) -> None:
        """Abandon a background pass (the device is stopping)."""
        self.warmer.stop()

    def set_policy(self, policy: FilterPolicy) -> None:
        self.policy_getter = lambda: policy

    def _filter_until_shown(self, hits: list[Hit], policy: FilterPolicy, limit: int) -> list[Decision]:
        """Decisions for the candidates in rank order, filtering only as many as `limit` results need
        (plus a small margin per round): the filter, model on, is most of a query's time, and the
        candidates past the limit were never shown. Hidden counts cover the candidates filtered."""
        decisions: list[Decision] = []
        shown = 0
        while len(decisions) < len(hits) and shown < max(limit, 1):
            needed = max(limit, 1) - shown
            chunk = hits[len(decisions) : len(decisions) + needed + _margin(needed)]
            more = self.result_filter.filter(chunk, policy)
            shown += sum(d.shown for d in more)
            decisions += more
        return decisions

    def search(
        self,
        query: str,
        limit: int = 10,
        policy: FilterPolicy | None = None,
        lang: str | None = None,
        source: str = "text",
    ) -> SearchResponse:
        t0 = time.perf_counter()
        policy = policy or self.policy_getter()
        query = (query or "").strip()
        lang = lang if lang in ("zh", "en") else detect_lang(query)
        base = {"lang": lang, "provider": self.provider.name}
        if not query:
            return SearchResponse("", INVALID, say("empty_query", lang), **base)
        if len(query) > MAX_QUERY_CHARS:
            return SearchResponse("", INVALID, say("query_too_long", lang), **base)  # unchecked: never echoed

        verdict = self.text_filter.check(query, policy)
        if verdict.action != BLOCK and (unblocked := care_policy(policy)) is not None:
            second = self.text_filter.check(query, unblocked)  # the parent unblocked self_harm: care all the same
            verdict = second if needs_care(second) else verdict
        query_reasons = [dict(r.to_json(), where="query") for r in verdict.reasons if r.kind != "notice"]
        if verdict.action == BLOCK:
            care = needs_care(verdict)
            emit(self.event_sink, {
                "kind": "search_blocked", "source": source, "query": verdict.redacted,
                "categories": list(verdict.categories),
                # self-harm: a rule id names the child's own words (lexicon:self_harm:<term>); they stay in
                # "matched", which leaves the device only when the parent chose reporting "with_text"
                "reasons": [dict(r, rule=public_rule(r["rule"])) for r in query_reasons] if care else query_reasons,
            })
            if care:
                return self._care_answer(verdict, lang, source, query_reasons, base, t0)
            return SearchResponse(
                verdict.redacted, BLOCKED, say("refused", lang),
                reasons=[public_reason(r) for r in query_reasons], **base,
                timings={"total_ms": _ms(t0)},
            )
        sent_query = verdict.redacted if verdict.action == REDACT else query
        if verdict.action == REDACT:
            emit(self.event_sink, {"kind": "query_redacted", "source": source, "query": sent_query,
                        "categories": list(verdict.categories),
                        "rules": sorted({r["rule"] for r in query_reasons})})

        t1 = time.perf_counter()
        try:
            hits = self.provider.search(sent_query, max(limit, 1) * CANDIDATE_FACTOR)
        except ProviderUnavailable as exc:
            log.warning("search provider %s unavailable: %s", self.provider.name, exc)
            emit(self.event_sink, {"kind": "search_offline", "source": source, "provider": self.provider.name,
                        "error": str(exc)})
            return SearchResponse(sent_query, OFFLINE, say("offline", lang),
                                  reasons=[public_reason(r) for r in query_reasons], **base)
        t2 = time.perf_counter()
        if self.warm_in_background:
            self.warmer.ensure(policy)  # a static index: filter all of it once, in the background
        decisions = self._filter_until_shown(hits, policy, limit)
        shown = [d for d in decisions if d.shown][:limit]
        hidden = [d for d in decisions if not d.shown]
        if hidden:
            emit(self.event_sink, _hidden_event(sent_query, source, self.provider.name, hidden))

        reasons = [public_reason(r) for r in query_reasons]
        for rank, d in enumerate(decisions):
            if not d.shown:
                reasons.append({"where": "result", "rank": rank, "hidden_by": d.why,
                                "categories": d.categories,
                                "rules": sorted({public_rule(r["rule"]) for r in d.reasons})})
        action = REDACTED if verdict.action == REDACT else ALLOW
        message = _message(action, len(shown), len(hidden), lang)
        return SearchResponse(
            sent_query, action, message, [d.result() for d in shown], len(hidden), reasons, **base,
            timings={"provider_ms": round((t2 - t1) * 1000, 2), "filter_ms": _ms(t2), "total_ms": _ms(t0)},
        )


    def _care_answer(self, verdict: Any, lang: str, source: str, query_reasons: list[dict[str, Any]],
                     base: dict[str, Any], t0: float) -> SearchResponse:
        """Care for a child at risk: the parent is told (category and time only), the child gets a warm
        message and help lines; nothing of the query is echoed. Help lines that cannot be read (the shipped
        file is checked by the tests, an operator's at start) still leave the refusal and the parent's notice."""
        category = sorted(CARE_CATEGORIES & set(verdict.categories))[0]
        emit(self.event_sink, {"kind": "support_needed", "category": category, "source": source, "lang": lang})
        try:
            self.care = self.care or default_desk()
            care, message = self.care.answer(lang, category=category), self.care.message(lang)
        except Exception:
            log.exception("help lines unavailable: answering with the plain refusal")
            care, message = None, say("refused", lang)
        return SearchResponse("", BLOCKED, message, reasons=[public_reason(r) for r in query_reasons], **base,
                              timings={"total_ms": _ms(t0)}, care=care)


def _margin(needed: int) -> int:
    """Extra candidates filtered beyond those still needed (about one in ten results is hidden)."""
    return max(2, needed // 4)


def _ms(since: float) -> float:
    return round((time.perf_counter() - since) * 1000, 2)


def _message(action: str, shown: int, hidden: int, lang: str) -> str:
    parts = [say("redacted", lang)] if action == REDACTED else []
    if shown:
        parts.append(say("result_1", lang) if shown == 1 else say("results", lang, n=shown))
    else:
        parts.append(say("no_results", lang))
    if hidden:
        parts.append(say("hidden_1", lang) if hidden == 1 else say("hidden", lang, h=hidden))
    return " ".join(parts) if lang == "en" else "".join(parts)


def _hidden_event(query: str, source: str, provider: str, hidden: list[Decision]) -> dict[str, Any]:
    from device.search.domains import host_of

    return {
        "kind": "search_results_hidden",
        "source": source,
        "provider": provider,
        "query": query,
        "hidden": len(hidden),
        "items": [
            {"domain": host_of(d.hit.url), "hidden_by": d.why, "categories": d.categories,
             "reasons": d.reasons}
            for d in hidden
        ],
    }
