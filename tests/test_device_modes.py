"""Exempt features are modes the device enforces: with time used up and `exempt_features: ["dictionary"]`,
a "dictionary" request answers only from the bundled dictionary, never with search results; "homework"
only from the encyclopedia's school topics. The label a page sends cannot pick its own source."""

from __future__ import annotations

import pytest
from device_fakes import device_env

from device.modes import DICTIONARY_URL, HOMEWORK_TOPICS, DictionarySource


@pytest.fixture
def env(tmp_path):
    yield from device_env(tmp_path)


def use_up(ft, svc, client, exempt):
    assert svc.apply_policy({"time": {"daily_limit_min": 1, "exempt_features": exempt}}).ok
    for _ in range(4):
        client.post("/api/search", json={"query": "熊猫"})
        ft.advance(20)
    assert client.post("/api/search", json={"query": "恐龙吃什么"}).status_code == 403


def test_dictionary_mode_answers_only_from_the_dictionary(env):
    ft, svc, client, stub, _ = env
    use_up(ft, svc, client, ["dictionary"])
    asked = len(stub.queries)
    r = client.post("/api/search", json={"query": "恐龙吃什么", "feature": "dictionary"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["mode"] == "dictionary" and body["results"]
    assert all(x["url"].startswith(DICTIONARY_URL) for x in body["results"])
    assert body["results"][0]["title"].startswith("恐龙") and "dinosaur" in body["results"][0]["snippet"]
    assert len(stub.queries) == asked  # the search provider was never asked
    assert body["usage"]["state"] == "time_up"
    # homework is not exempt in this policy: refused
    assert client.post("/api/search", json={"query": "恐龙吃什么", "feature": "homework"}).status_code == 403


def test_homework_mode_answers_only_from_school_topics(env):
    ft, svc, client, stub, _ = env
    use_up(ft, svc, client, ["homework"])
    asked = len(stub.queries)
    body = client.post("/api/search", json={"query": "恐龙吃什么", "feature": "homework"}).json()
    assert body["mode"] == "homework" and body["results"], body
    assert all("kids-encyclopedia" in x["url"] for x in body["results"])
    assert len(stub.queries) == asked
    src = svc.mode_pipeline("homework").provider
    for query in ("故事", "story", "游戏", "恐龙"):
        assert all(h.source_id.split("/")[0] in HOMEWORK_TOPICS for h in src.search(query, 20))


def test_an_unknown_feature_label_is_refused_and_never_exempt(env):
    ft, svc, client, stub, _ = env
    use_up(ft, svc, client, ["dictionary"])
    asked = len(stub.queries)
    r = client.post("/api/search", json={"query": "恐龙", "feature": "games"})
    assert r.status_code == 422 and r.json()["problems"][0]["path"] == "$.feature"
    assert client.post("/api/search", json={"query": "恐龙", "feature": "search"}).status_code == 403
    assert len(stub.queries) == asked


def test_dictionary_source_lookups():
    src = DictionarySource()
    assert src.lookup_words("恐龙吃什么") == ["恐龙", "吃", "什么"]
    hits = src.search("volcano", 5)
    assert hits and hits[0].title.startswith("火山")
    assert src.search("qzxv", 5) == []
