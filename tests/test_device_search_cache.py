"""Remembered result decisions (device/search/result_cache.py, warm.py) never change what the child sees:
with the shipped filter, model on, every entry of the embedded index gets the same decision from the
cache as from the filter, and the benchmark queries give the same answers with and without it; a parent's
policy change and a word-pack update in place are new keys, never answered from the old decisions."""

from __future__ import annotations

import dataclasses
import threading

import pytest

from device.search.local import LocalIndexProvider
from device.search.pipeline import SearchPipeline
from device.search.result_cache import DecisionCache
from device.search.result_filter import ResultFilter
from filters.engine import TextFilter
from filters.lexicon import parse_pack
from filters.policy import DEFAULT_POLICY, FilterPolicy
from models import MODEL_PATH

QUERIES = ["大熊猫吃什么", "恐龙", "太阳有多大", "王者荣耀皮肤", "熊猫视频", "What do giant pandas eat?",
           "free skins", "lost dog", "熊猫 我的电话13912345678", "扫码加群", "童星招募", "小猫", "火山", "sharks"]


def decision_view(d) -> dict:
    return {k: v for k, v in dataclasses.asdict(d).items() if k != "hit"}


@pytest.fixture(scope="module")
def provider():
    return LocalIndexProvider().open()


@pytest.fixture(scope="module")
def model_filter():
    return TextFilter.load(model_path=MODEL_PATH)


def test_every_index_entry_gets_the_same_decision_from_the_cache(provider, model_filter):
    assert model_filter.classifier is not None, model_filter.model_error  # model on, as on the device
    cached = SearchPipeline(model_filter, provider, warm_in_background=False)
    assert cached.warmer.warm(DEFAULT_POLICY) == provider.doc_count > 2000
    hits = provider.all_hits()
    table = cached.result_filter.cache.table(cached.result_filter.cache_key(DEFAULT_POLICY))
    assert len(table) == len({(h.title, h.snippet, h.url) for h in hits})  # all remembered
    fresh = ResultFilter(model_filter, cache=DecisionCache(keep=0))
    hidden = 0
    for start in range(0, len(hits), 64):
        chunk = hits[start:start + 64]
        from_cache = cached.result_filter.filter(chunk, DEFAULT_POLICY)
        from_filter = fresh.filter_uncached(chunk, DEFAULT_POLICY)
        for hit, a, b in zip(chunk, from_cache, from_filter, strict=True):
            assert a.hit is hit and decision_view(a) == decision_view(b), hit.title
            hidden += not b.shown
    assert hidden > 0  # the index holds entries the filter hides: the comparison covers both outcomes
    plain = SearchPipeline(model_filter, provider, result_filter=fresh, warm_in_background=False)
    for q in QUERIES:
        assert cached.search(q).to_json() == plain.search(q).to_json(), q


def test_a_parents_new_block_word_is_not_answered_from_old_decisions(provider, model_filter):
    pipe = SearchPipeline(model_filter, provider, warm_in_background=False)
    pipe.warmer.warm(DEFAULT_POLICY)
    before = pipe.search("竹子").to_json()["results"]
    assert sum("熊猫" in r["title"] + r["snippet"] for r in before) >= 3  # shown under the old policy
    strict = dataclasses.replace(DEFAULT_POLICY, block_words=("熊猫",))
    out = pipe.search("竹子", policy=strict).to_json()
    assert out["results"] and all("熊猫" not in r["title"] + r["snippet"] for r in out["results"])
    assert out["hidden"] >= 3


def test_a_word_pack_update_in_place_is_not_answered_from_old_decisions(provider):
    text_filter = TextFilter.load()  # its own: use_packs changes it in place
    pipe = SearchPipeline(text_filter, provider, warm_in_background=False)
    pipe.warmer.warm(DEFAULT_POLICY)
    before = pipe.search("恐龙").to_json()
    assert before["results"]
    extra = parse_pack({"schema": 1, "pack": "test-update", "version": "1", "description": "test",
                        "provenance": "tests", "license": "Apache-2.0",
                        "entries": [{"term": "恐龙", "category": "violence", "severity": 3}]})
    text_filter.use_packs([*text_filter.packs, extra])
    after = pipe.search("恐龙", policy=FilterPolicy()).to_json()
    assert after["action"] == "block"  # the query now hits the new term; so would every result
    out = pipe.result_filter.filter(provider.search("恐龙", 10), DEFAULT_POLICY)
    assert out and not any(d.shown for d in out)


def test_a_background_pass_fills_the_cache_for_the_policy_in_force(provider, model_filter):
    pipe = SearchPipeline(model_filter, provider)
    pipe.search("恐龙")  # the first query starts the pass
    for thread in threading.enumerate():
        if thread.name == "kidsafe-index-warm":
            thread.join(timeout=600)
    assert pipe.warmer.passes and pipe.warmer.passes[-1]["complete"], pipe.warmer.passes
    table = pipe.result_filter.cache.table(pipe.result_filter.cache_key(DEFAULT_POLICY))
    assert len(table) == len({(h.title, h.snippet, h.url) for h in provider.all_hits()})
