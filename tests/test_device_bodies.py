"""Request bodies of the device API are pydantic models (device/api_models.py): malformed JSON is 400,
JSON of the wrong shape 422 with the problem's path in English and Chinese; wrong types, huge strings,
extra fields, lone surrogates, NaN and deep nesting are refused; nothing is searched, counted or queued."""

from __future__ import annotations

import pytest
from device_fakes import device_env

BAD_JSON = [
    b'{"query": "\xe7\x86\x8a',          # truncated (and cut inside a UTF-8 character)
    b'{"query": "\xff\xfe"}',            # not UTF-8
    b"{'query': 'x'}",                   # single quotes
    b'{"query": "x",}',                  # trailing comma
    b'{"query": "x", "lang": NaN}',      # non-standard constant
    b'{"query": "x", "n": 1' + b"0" * 5000 + b"}",  # a 5,001-digit integer
    b'{"query": ' + b"[" * 5000 + b"]" * 5000 + b"}",  # deep nesting
]


@pytest.fixture
def env(tmp_path):
    yield from device_env(tmp_path)


def nothing_happened(svc, stub) -> None:
    assert stub.queries == []
    assert svc.usage.status().used_s == 0
    assert svc.store.requests() == []


@pytest.mark.parametrize("raw", BAD_JSON, ids=range(len(BAD_JSON)))
@pytest.mark.parametrize("path", ["/api/search", "/api/more-time", "/api/heartbeat", "/api/always/clock"])
def test_malformed_json_is_400_with_a_bilingual_reason(env, raw, path):
    _, svc, client, stub, _ = env
    r = client.post(path, content=raw, headers={"Content-Type": "application/json", "Accept-Language": "en"})
    assert r.status_code == 400, r.text
    body = r.json()
    assert body["error"] == "bad_json" and body["message"] == "The request is not valid JSON."
    (problem,) = body["problems"]
    assert problem["en"] and problem["zh"] and problem["path"].startswith("$")
    nothing_happened(svc, stub)


@pytest.mark.parametrize(("payload", "path"), [
    ({"query": 5}, "$.query"),
    ({"query": ["熊猫"]}, "$.query"),
    ({"query": None}, "$.query"),
    ({"query": "熊猫", "feature": 1}, "$.feature"),
    ({"query": "熊猫", "feature": "games"}, "$.feature"),
    ({"query": "熊猫", "lang": "fr"}, "$.lang"),
    ({"query": "熊猫", "lang": True}, "$.lang"),
])
def test_wrong_types_in_a_search_are_422_by_field(env, payload, path):
    _, svc, client, stub, _ = env
    r = client.post("/api/search", json=payload)
    assert r.status_code == 422, r.text
    assert r.json()["error"] == "invalid_request" and r.json()["message"] == "请求的内容不对，请看 problems。"
    assert [p["path"] for p in r.json()["problems"]] == [path]
    nothing_happened(svc, stub)


@pytest.mark.parametrize(("payload", "path"), [
    ({"minutes": "15"}, "$.minutes"),      # strict: no text for a number
    ({"minutes": 15.0}, "$.minutes"),      # nor a decimal
    ({"minutes": True}, "$.minutes"),      # nor a boolean
    ({"minutes": 4}, "$.minutes"),
    ({"minutes": 121}, "$.minutes"),
    ({"minutes": 10 ** 17}, "$.minutes"),
    ({"note": ["hi"]}, "$.note"),
    ({"note": "n" * 201}, "$.note"),
])
def test_wrong_more_time_bodies_are_422_and_queue_nothing(env, payload, path):
    _, svc, client, stub, _ = env
    r = client.post("/api/more-time", json=payload, headers={"Accept-Language": "en"})
    assert r.status_code == 422, r.text
    (problem,) = r.json()["problems"]
    assert problem["path"] == path and problem["en"] and problem["zh"]
    nothing_happened(svc, stub)


@pytest.mark.parametrize(("path", "payload", "where"), [
    ("/api/search", {"query": "熊猫", "exempt": True}, "$.exempt"),
    ("/api/search", {"query": "熊猫", "feature": "search", "minutes": 999}, "$.minutes"),
    ("/api/more-time", {"minutes": 15, "approved": True}, "$.approved"),
    ("/api/heartbeat", {"seconds": 1}, "$.seconds"),
    ("/api/always/clock", {"item": "games"}, "$.item"),
])
def test_extra_fields_are_refused_by_name(env, path, payload, where):
    _, svc, client, stub, _ = env
    r = client.post(path, json=payload, headers={"Accept-Language": "zh"})
    assert r.status_code == 422, r.text
    (problem,) = r.json()["problems"]
    assert problem["path"] == where and problem["zh"] == "未知的设置项（拼写错误？）"
    nothing_happened(svc, stub)


@pytest.mark.parametrize("raw", [b"[]", '"熊猫"'.encode(), b"null", b"5", b"true"])
def test_a_body_that_is_not_an_object_is_422(env, raw):
    _, svc, client, stub, _ = env
    r = client.post("/api/search", content=raw, headers={"Content-Type": "application/json"})
    assert r.status_code == 422 and r.json()["problems"] == [
        {"path": "$", "en": "must be a JSON object", "zh": "应为 JSON 对象"}]
    nothing_happened(svc, stub)


def test_huge_strings_are_refused_before_any_work(env):
    _, svc, client, stub, _ = env
    r = client.post("/api/search", json={"query": "熊" * 4000})  # fits the 16 KB body limit, not the field
    assert r.status_code == 422 and r.json()["error"] == "query_too_long"
    assert r.json()["problems"][0]["en"] == "is too long (at most 200)"
    r = client.post("/api/search", json={"query": "x" * 1_000_000})  # past the body limit: never parsed
    assert r.status_code == 413 and r.json()["error"] == "body_too_large"
    r = client.post("/api/more-time", json={"note": "x" * 20_000})
    assert r.status_code == 413
    nothing_happened(svc, stub)


def test_a_lone_surrogate_is_not_text(env):
    _, svc, client, stub, _ = env
    r = client.post("/api/search", content=b'{"query": "\\ud800 panda"}', headers={"Content-Type": "application/json"})
    assert r.status_code == 422 and r.json()["problems"][0]["path"] == "$.query"
    assert r.json()["problems"][0]["zh"] == "不是有效的文字"
    nothing_happened(svc, stub)


def test_good_bodies_still_work_and_take_their_defaults(env):
    _, svc, client, stub, _ = env
    r = client.post("/api/search", json={"query": "  熊猫吃什么 ", "lang": "en", "feature": "search"})
    assert r.status_code == 200 and r.json()["mode"] == "search" and stub.queries[0][0] == "熊猫吃什么"
    assert r.json()["usage"]["lang"] == "en"
    empty = client.post("/api/more-time", content=b"")  # no body at all: the defaults
    assert empty.status_code == 200 and empty.json()["request"]["minutes"] == 15
    assert client.post("/api/heartbeat").status_code == 200
    assert client.post("/api/heartbeat", json={"lang": "en"}).json()["status"]["lang"] == "en"
    assert client.post("/api/always/clock", json={}).status_code == 200
