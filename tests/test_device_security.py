"""The child's device API against a hostile browser or a flood: security headers everywhere, cross-origin
requests refused, oversized bodies refused before they are read (also a real 300 MB chunked upload to a
real server), rate limits that keep the parent's safety events, private data files, voice off."""

from __future__ import annotations

import http.client
import json

import pytest
from device_fakes import device_env, wav_bytes

from device.api import create_app, guards_for


@pytest.fixture
def env(tmp_path):
    yield from device_env(tmp_path)


def assert_secure(resp):
    csp = resp.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "*" not in csp
    assert resp.headers["x-content-type-options"] == "nosniff" and resp.headers["x-frame-options"] == "DENY"


def test_security_headers_on_page_api_static_and_errors(env):
    _, _, client, _, _ = env
    for resp in (client.get("/"), client.get("/api/status"), client.get("/static/app.js"),
                 client.get("/nope"), client.post("/api/search", json={"query": ""}),
                 client.post("/api/search", content=b"x", headers={"Content-Length": "999999999"})):
        assert_secure(resp)


@pytest.mark.parametrize("headers", [{"Origin": "https://evil.example"}, {"Origin": "null"},
                                     {"Sec-Fetch-Site": "cross-site"}, {"Origin": "http://testserver.evil"}])
def test_cross_origin_requests_are_refused(env, headers):
    _, _, client, stub, _ = env
    r = client.post("/api/search", json={"query": "熊猫"}, headers=headers)
    assert r.status_code == 403 and r.json()["error"] == "cross_origin" and stub.queries == []
    assert client.get("/api/status", headers=headers).status_code == 403
    assert client.post("/api/always/clock", headers=headers).status_code == 403


def test_same_origin_requests_are_served(env):
    _, _, client, stub, _ = env
    same = {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}
    assert client.post("/api/search", json={"query": "熊猫"}, headers=same).status_code == 200


def test_oversized_bodies_get_413_before_the_handler(env):
    _, _, client, stub, voice = env
    r = client.post("/api/search", content=b"{}", headers={"Content-Length": str(300 * 2**20)})
    assert r.status_code == 413 and r.json()["error"] == "body_too_large"
    big = json.dumps({"query": "熊猫", "pad": "x" * 20_000})
    assert client.post("/api/search", content=big, headers={"Content-Type": "application/json"}).status_code == 413

    def chunks():  # no Content-Length: counted while streaming
        for _ in range(40):
            yield b"\x00" * 262_144

    assert client.post("/api/listen", content=chunks()).status_code == 413
    assert stub.queries == [] and voice.seen == []
    assert client.post("/api/listen", content=wav_bytes()).status_code == 200  # a normal recording passes


def _rss_kb(pid: int) -> int:
    for line in open(f"/proc/{pid}/status", encoding="ascii"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def test_a_300_mb_chunked_post_does_not_grow_the_real_server(tmp_path):
    from device_server import DeviceServer

    server = DeviceServer(tmp_path / "home").start()
    try:
        before = _rss_kb(server.proc.pid)
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        chunk = b"\x00" * (1 << 20)
        sent = 0
        status = None
        try:
            conn.putrequest("POST", "/api/listen")
            conn.putheader("Transfer-Encoding", "chunked")
            conn.endheaders()
            for _ in range(300):
                conn.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
            conn.send(b"0\r\n\r\n")
        except OSError:
            pass  # the server answered 413 and closed the connection mid-upload
        try:
            status = conn.getresponse().status
        except (OSError, http.client.HTTPException):
            status = None
        finally:
            conn.close()
        assert status in (413, None)
        assert sent < 300 * (1 << 20) or status == 413
        grown_mb = (_rss_kb(server.proc.pid) - before) / 1024
        assert grown_mb < 40, f"server grew by {grown_mb:.0f} MB"
        assert server.get("/api/status")["state"]  # and it still answers
    finally:
        server.stop()


def test_a_flood_is_rate_limited_and_keeps_the_parents_safety_events(env):
    _, svc, _, _, _ = env
    from fastapi.testclient import TestClient

    guards = guards_for(svc)
    guards.clock = lambda: 1000.0  # no refill during the flood: exactly the burst passes
    client = TestClient(create_app(svc, manage_lifecycle=False, allowed_hosts=("testserver",), guards=guards))
    blocked = svc.events.record({"kind": "search_blocked", "query": "***", "categories": ["gambling"]})
    limit = svc.events.record({"kind": "limit_reached", "day": "2026-11-24"})
    codes = [client.post("/api/always/clock").status_code for _ in range(500)]
    assert codes.count(200) == 10 and codes.count(429) == 490
    r = client.post("/api/always/clock")
    assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1 and "/" in r.json()["message"]
    unsent = svc.events.unsent(limit=100)
    assert {blocked, limit} <= {e["id"] for e in unsent}
    kinds = [e["kind"] for e in unsent]
    assert kinds.count("always_allowed") == 1 and kinds.count("rate_limited") == 1
    assert client.get("/api/status").status_code == 200  # another endpoint class still answers


def test_voice_off_refuses_listening(env):
    _, svc, client, _, voice = env
    assert svc.apply_policy({"voice": False}).ok
    r = client.post("/api/listen", content=wav_bytes())
    assert r.status_code == 403 and r.json()["error"] == "voice_off" and voice.seen == []
    assert client.get("/api/status").json()["voice"] is False  # the page can hide the microphone


def test_data_folder_and_files_are_private(env, tmp_path):
    _, svc, client, _, _ = env
    assert svc.apply_policy({"version": "x"}).ok
    client.post("/api/search", json={"query": "熊猫"})
    svc.usage.flush()
    assert tmp_path.stat().st_mode & 0o777 == 0o700
    for name in ("usage.sqlite3", ".usage-mirror.sqlite3", "events.sqlite3", "policy.active.json",
                 ".time-seal.json", "usage.sqlite3-wal", "events.sqlite3-wal"):
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o600, name
