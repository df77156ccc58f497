"""Unit tests of the search parts with a stub filter: tokens, domains, lures, gate, offline answer."""

from __future__ import annotations

import json
import re

from device.search.domains import DomainBlockList, host_of
from device.search.lures import LureDetector
from device.search.pipeline import SearchPipeline
from device.search.result_filter import ResultFilter
from device.search.tokens import fts_match, index_text, query_tokens
from device.search.types import Hit, ProviderUnavailable
from filters.policy import DEFAULT_POLICY
from filters.verdict import ALLOW, BLOCK, REDACT, Reason, Verdict


class StubFilter:
    """Blocks texts containing 'BAD', redacts the digits 555-0100; nothing else (unit tests only)."""

    def check(self, text, policy=DEFAULT_POLICY):
        if "BAD" in text:
            i = text.index("BAD")
            return Verdict(BLOCK, ["sexual"], [Reason("sexual", "stub:BAD", (i, i + 3), "BAD")],
                           text.replace("BAD", "***"))
        m = re.search(r"555\D?0100", text)
        if m:
            return Verdict(REDACT, ["pii"], [Reason("pii", "pii:phone", m.span(), m.group(), kind="pii",
                                                    blocking=False)], text.replace(m.group(), "[phone]"))
        return Verdict(ALLOW, [], [], text)


class ListProvider:
    name = "stub"

    def __init__(self, hits, fail=False):
        self.hits, self.fail, self.queries = hits, fail, []

    def search(self, query, limit):
        self.queries.append(query)
        if self.fail:
            raise ProviderUnavailable("stub is down")
        return self.hits[:limit]


def test_tokens_bigrams_and_words():
    assert query_tokens("大熊猫吃什么") == ["大熊", "熊猫", "猫吃", "吃什"]  # question word 什么 dropped
    assert query_tokens("猫") == ["猫"]
    assert query_tokens("What do Pandas eat?") == ["pandas", "eat"]
    assert "熊猫" in index_text("大熊猫").split() and "猫" in index_text("大熊猫").split()
    assert fts_match(['a"b']) == '"a""b"'


def test_domain_block_list_suffix_and_scheme_tolerance():
    bl = DomainBlockList(["evil.test"], path=None)
    assert bl.blocked_by("https://evil.test/x") == "evil.test"
    assert bl.blocked_by("http://cdn.EVIL.test./a") == "evil.test"
    assert bl.blocked_by("evil.test/path") == "evil.test"
    assert bl.blocked_by("https://notevil.test/") is None
    assert host_of("not a url") == "not a url" or host_of("not a url") == ""


def test_lures_found_in_chinese_and_english():
    lures = LureDetector()
    for text in ("扫码加群领取", "点击链接领皮肤", "加ＱＱ领奖", "Click the link to claim", "DM me now"):
        assert lures.find(text) is not None, text
    for text in ("大熊猫吃竹子", "Pandas eat bamboo", "二十四节气"):
        assert lures.find(text) is None, text


def test_result_filter_drops_bad_domain_lure_and_redacts_pii():
    hits = [
        Hit("good", "pandas eat bamboo", "https://ok.test/a"),
        Hit("BAD title", "x", "https://ok.test/b"),
        Hit("fine", "call 555-0100", "https://ok.test/c"),
        Hit("fine", "x", "https://evil.test/d"),
        Hit("fine", "扫码加群", "https://ok.test/e"),
        Hit("fine", "x", "javascript:alert(1)"),
        Hit("fine", "x", "https://ok.test/?phone=555-0100"),
    ]
    rf = ResultFilter(StubFilter(), DomainBlockList(["evil.test"], path=None), LureDetector())
    ds = rf.filter(hits, DEFAULT_POLICY)
    assert [d.shown for d in ds] == [True, False, True, False, False, False, True]
    assert [d.why for d in ds] == ["", "filter", "redact", "domain", "lure", "scheme", "redact"]
    assert ds[2].snippet == "call [phone]"
    assert ds[6].url == "https://ok.test/"


def test_blocked_query_is_refused_without_echo_and_never_sent():
    provider = ListProvider([Hit("t", "s", "https://ok.test/")])
    events = []
    pipe = SearchPipeline(StubFilter(), provider, event_sink=events.append)
    out = pipe.search("show me BAD things").to_json()
    assert out["action"] == "block" and out["results"] == []
    assert "BAD" not in out["message"] and "BAD" not in out["query"]
    assert all("matched" not in r for r in out["reasons"])
    assert provider.queries == []
    assert events and events[0]["kind"] == "search_blocked"
    assert pipe.search("BAD", lang="zh").message != pipe.search("BAD", lang="en").message


def test_pii_in_query_redacted_before_provider():
    provider = ListProvider([Hit("t", "s", "https://ok.test/")])
    out = SearchPipeline(StubFilter(), provider).search("panda 555-0100").to_json()
    assert provider.queries == ["panda [phone]"]
    assert out["action"] == "redact" and out["results"]


def test_hidden_count_and_limit():
    hits = [Hit(f"BAD {i}", "s", "https://ok.test/") for i in range(3)]
    hits += [Hit(f"ok {i}", "s", f"https://ok.test/{i}") for i in range(20)]
    events = []
    out = SearchPipeline(StubFilter(), ListProvider(hits), event_sink=events.append).search("q", limit=5).to_json()
    assert len(out["results"]) == 5 and out["hidden"] == 3
    assert [r["title"] for r in out["results"]] == [f"ok {i}" for i in range(5)]
    assert events[-1]["kind"] == "search_results_hidden" and events[-1]["hidden"] == 3


def test_candidates_below_what_is_shown_are_never_checked():
    """Filtering is most of a search's time: candidates are checked in rank order until `limit` pass."""
    class Counting(StubFilter):
        def __init__(self):
            self.seen = []

        def check(self, text, policy=DEFAULT_POLICY):
            self.seen.append(text)
            return super().check(text, policy)

    hits = [Hit("ok 0", "s", "https://ok.test/0"), Hit("BAD 1", "s", "https://ok.test/1")]
    hits += [Hit(f"ok {i}", "s", f"https://ok.test/{i}") for i in range(2, 30)]
    tf = Counting()
    out = SearchPipeline(tf, ListProvider(hits)).search("q", limit=5).to_json()
    assert [r["title"] for r in out["results"]] == ["ok 0", "ok 2", "ok 3", "ok 4", "ok 5"] and out["hidden"] == 1
    titles = [t for t in tf.seen if t.startswith(("ok", "BAD"))]
    assert titles == ["ok 0", "BAD 1", "ok 2", "ok 3", "ok 4", "ok 5", "ok 6"]  # 5, then twice the 1 missing


def test_provider_down_gives_offline_answer():
    out = SearchPipeline(StubFilter(), ListProvider([], fail=True)).search("熊猫").to_json()
    assert out["action"] == "offline" and out["results"] == []
    assert "搜索暂时不可用" in out["message"]


def test_empty_and_too_long_queries():
    pipe = SearchPipeline(StubFilter(), ListProvider([]))
    assert pipe.search("   ").action == "invalid"
    long = pipe.search("BAD " * 2000).to_json()
    assert long["action"] == "invalid" and "BAD" not in json.dumps(long)


def test_event_sink_failure_does_not_break_search():
    def boom(event):
        raise RuntimeError("disk full")

    out = SearchPipeline(StubFilter(), ListProvider([]), event_sink=boom).search("BAD")
    assert out.action == "block"
