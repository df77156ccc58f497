"""Search results a child sees: English ranking follows the words that carry the subject (not
"how/do/what"), and a result that is mostly other people's personal data (a class list with ID and
phone numbers: doxxing, 开盒) is hidden whole, not shown masked. Real filter, real FTS5 index."""

from __future__ import annotations

import json

import pytest

from device.search.local import LocalIndexProvider
from device.search.pipeline import SearchPipeline
from device.search.tokens import query_tokens
from device.search.types import Hit
from filters.engine import TextFilter


@pytest.fixture(scope="module")
def tf() -> TextFilter:
    return TextFilter.load()


@pytest.fixture(scope="module")
def provider() -> LocalIndexProvider:
    return LocalIndexProvider().open()


@pytest.mark.parametrize(("query", "subject"), [
    ("how do volcanoes work", "volcano"),
    ("What do you know about the moon?", "moon"),
    ("why do cats purr", "cat"),
    ("where do penguins live", "penguin"),
])
def test_english_ranking_follows_content_words(provider, query, subject):
    titles = [h.title.lower() for h in provider.search(query, 3)]
    assert titles and all(subject in t for t in titles), titles


def test_question_words_alone_still_search():
    assert query_tokens("how do volcanoes work") == ["volcanoes", "work"]
    assert query_tokens("what is it") == ["what", "is", "it"]  # nothing else left: keep them
    assert "什么" not in query_tokens("恐龙吃什么") and "恐龙" in query_tokens("恐龙吃什么")


class ListProvider:
    """Stands in for a web search engine (unit level): returns the given hits."""

    name = "list"

    def __init__(self, hits: list[Hit]) -> None:
        self.hits = hits

    def search(self, query: str, limit: int) -> list[Hit]:
        return self.hits[:limit]


CLASS_LIST = Hit("三年二班 通讯录", "张小明 13812345678，李小红 13912345678，王小刚 13712345678",
                 "https://class-share.example/list")
ID_LEAK = Hit("学生名单", "王小明 身份证号 110105201503071235 联系电话 139-1234-5678", "https://school.example/a")
LOST_CAT = Hit("寻找失散的小猫", "我家的猫走丢了，请打电话13800138000", "https://pets.example/17")
PANDA = Hit("大熊猫吃什么？", "大熊猫主要吃竹子。", "https://kids.example/panda")


def test_doxxing_results_are_hidden_not_masked(tf):
    events: list[dict] = []
    pipe = SearchPipeline(tf, ListProvider([CLASS_LIST, ID_LEAK, LOST_CAT, PANDA]), event_sink=events.append)
    out = pipe.search("名单").to_json()
    titles = [r["title"] for r in out["results"]]
    assert titles == ["寻找失散的小猫", "大熊猫吃什么？"]  # one phone number: shown, masked
    assert "13800138000" not in json.dumps(out, ensure_ascii=False)
    assert out["hidden"] == 2
    hidden_by = [r["hidden_by"] for r in out["reasons"] if r.get("where") == "result"]
    assert hidden_by == ["doxxing", "doxxing"]
    (event,) = [e for e in events if e["kind"] == "search_results_hidden"]
    logged = json.dumps(event, ensure_ascii=False)
    for value in ("13812345678", "110105201503071235", "139-1234-5678"):
        assert value not in logged  # someone else's data does not go into the parent's log either
    assert {i["hidden_by"] for i in event["items"]} == {"doxxing"}


def test_the_class_list_in_the_embedded_corpus_is_hidden(tf, provider):
    out = SearchPipeline(tf, provider).search("学生名单").to_json()
    assert "三年二班 学生名单 大熊猫 手抄报" not in [r["title"] for r in out["results"]]
    assert any(r.get("hidden_by") == "doxxing" for r in out["reasons"])
