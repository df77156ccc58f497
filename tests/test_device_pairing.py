"""The pairing code the device page shows (device/pairing.py, GET /api/pairing): the file the device image's
firstboot.py / pair.py write is read as they write it; every broken file (missing, unreadable, a FIFO, a
directory, oversized, not JSON, wrong shape, a hostile code or URL) is a clear zh/en state, never a crash
and never a code or link that the file did not properly hold."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest
from device_fakes import device_env

from device.pairing import MAX_PAIRING_BYTES, read_pairing

SCRIPTS = Path(__file__).resolve().parents[1] / "firmware_images" / "rootfs" / "usr" / "lib" / "kidsafe"
sys.path.insert(0, str(SCRIPTS))
import firstboot  # noqa: E402
import pair  # noqa: E402
from layout import Layout  # noqa: E402

NOW = 1_800_000_000.0
URL = "https://portal.example/pair?code=K7PX-3MQA"


def waiting(**over: object) -> dict:
    return {"device_id": "ks-0123456789abcdef", "status": "waiting", "user_code": "K7PX-3MQA", "url": URL,
            "expires_at": int(NOW) + 600, "portal_url": "https://portal.example", **over}


def write(path: Path, doc: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    return path


@pytest.fixture
def env(tmp_path):
    yield from device_env(tmp_path)


def test_a_waiting_code_is_shown_with_a_qr_of_the_portal_url_and_the_time_left(tmp_path):
    shown = read_pairing(write(tmp_path / "pairing.json", waiting()), "zh", now=NOW)
    assert shown["state"] == "waiting" and shown["code"] == "K7PX-3MQA" and shown["url"] == URL
    assert shown["expires_in_s"] == 600 and shown["expires_at"] == int(NOW) + 600
    assert "配对码" in shown["message"]
    head, _, svg = shown["qr"].partition(",")
    assert head == "data:image/svg+xml;charset=utf-8" and unquote(svg).startswith("<svg xmlns=")
    other = read_pairing(write(tmp_path / "other.json", waiting(url=URL + "X")), "en", now=NOW)
    assert other["qr"] != shown["qr"] and "pairing code" in other["message"]


def test_an_expired_code_is_not_shown(tmp_path):
    shown = read_pairing(write(tmp_path / "pairing.json", waiting(expires_at=int(NOW) - 1)), "en", now=NOW)
    assert shown["state"] == "expired" and shown["code"] is None and shown["qr"] is None
    assert "expired" in shown["message"]


@pytest.mark.parametrize(("doc", "state"), [
    ({"device_id": "ks-1", "status": "unpaired", "portal_url": None, "created": 1}, "unpaired"),
    ({"device_id": "ks-1", "status": "paired", "user_code": None, "url": None, "expires_at": 1, "portal_url": "x",
      "paired_at": 2}, "paired"),
])
def test_unpaired_and_paired_show_no_code(tmp_path, doc, state):
    shown = read_pairing(write(tmp_path / "pairing.json", doc), "zh", now=NOW)
    assert shown["state"] == state and shown["code"] is None and shown["qr"] is None and shown["message"]


def test_only_a_web_url_is_shown_or_drawn(tmp_path):
    for url in ("javascript:alert(1)", "file:///etc/passwd", "https://a.example/ x"):
        shown = read_pairing(write(tmp_path / "pairing.json", waiting(url=url)), "zh", now=NOW)
        assert shown["code"] == "K7PX-3MQA" and shown["url"] is None and shown["qr"] is None, url


def test_a_missing_file_says_so_in_both_languages(tmp_path):
    zh = read_pairing(tmp_path / "nope" / "pairing.json", "zh")
    en = read_pairing(tmp_path / "nope" / "pairing.json", "en")
    assert zh["state"] == en["state"] == "missing" and zh["code"] is None
    assert "配对信息" in zh["message"] and "no pairing information" in en["message"]
    assert "nope" in en["detail"]


BROKEN = [
    "{broken", "[1, 2]", "null", "\"waiting\"", b"\xff\xfe{".decode("latin-1"),
    json.dumps({"status": "dancing"}), json.dumps({"user_code": "K7PX"}),
    json.dumps(waiting(user_code=None)), json.dumps(waiting(expires_at=None)),
    json.dumps(waiting(user_code="<script>alert(1)</script>")), json.dumps(waiting(user_code="K7PX\n3MQA")),
    json.dumps(waiting(expires_at="soon")), json.dumps(waiting()).replace(str(int(NOW) + 600), "NaN"),
    "[" * 30_000 + "]" * 30_000,
]


@pytest.mark.parametrize("text", BROKEN)
def test_a_corrupt_file_is_invalid_with_a_message_never_a_crash_or_a_code(tmp_path, text):
    path = tmp_path / "pairing.json"
    path.write_bytes(text.encode("latin-1") if text.startswith("\xff") else text.encode())
    for lang, words in (("zh", "损坏"), ("en", "damaged")):
        shown = read_pairing(path, lang, now=NOW)
        assert shown["state"] == "invalid" and shown["code"] is None and shown["qr"] is None, text[:40]
        assert words in shown["message"] and shown["detail"]


def test_special_oversized_and_unreadable_files_are_refused_without_blocking(tmp_path):
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)  # a writer never comes: a blocking open or read would hang the test
    folder = tmp_path / "folder.json"
    folder.mkdir()
    big = write(tmp_path / "big.json", json.dumps(waiting(pad="x" * MAX_PAIRING_BYTES)))
    link = tmp_path / "zero.json"
    link.symlink_to("/dev/zero")
    for path in (fifo, folder, big, link):
        shown = read_pairing(path, "en", now=NOW)
        assert shown["state"] == "unreadable" and shown["code"] is None, path
        assert "cannot be read" in shown["message"] and shown["detail"]


def test_the_api_serves_it_in_the_childs_language(env):
    _, svc, client, _, _ = env
    path = svc.settings.pairing_path
    r = client.get("/api/pairing", headers={"Accept-Language": "en"})
    assert r.status_code == 200 and r.json()["state"] == "missing"
    write(path, waiting(expires_at=2_000_000_000))
    body = client.get("/api/pairing?lang=zh").json()
    assert body["state"] == "waiting" and body["code"] == "K7PX-3MQA" and "配对码" in body["message"]
    path.write_text("{torn", encoding="utf-8")  # a power cut mid-write by an older image
    body = client.get("/api/pairing?lang=en").json()
    assert body["state"] == "invalid" and body["code"] is None
    assert client.get("/api/status").status_code == 200  # the rest of the device is untouched


def test_the_files_the_image_scripts_write_are_read_as_written(tmp_path, monkeypatch):
    """firstboot.py's "unpaired" file, pair.py's "waiting" file (its start() with a portal answer) and
    its "paired" file (finish()) — the exact format the device page reads."""
    layout = Layout(tmp_path / "root")
    firstboot.pairing(layout, "ks-0123456789abcdef", {"portal_url": "https://portal.example"})
    path = layout.pairing_dir / "pairing.json"
    assert read_pairing(path, "zh")["state"] == "unpaired"
    answer = {"user_code": "K7PX-3MQA", "device_code": "d" * 40, "url": URL, "qr_svg": "<svg/>",
              "expires_in": 900, "interval": 3}
    monkeypatch.setattr(pair, "post", lambda url, body, timeout=15.0: (200, answer))
    pair.start(layout, "https://portal.example", "ks-0123456789abcdef")
    shown = read_pairing(path, "en")
    assert shown["state"] == "waiting" and shown["code"] == "K7PX-3MQA" and shown["url"] == URL
    assert 890 <= shown["expires_in_s"] <= 900 and shown["qr"]
    (layout.identity_dir / "agent.env").parent.mkdir(parents=True, exist_ok=True)
    (layout.identity_dir / "agent.env").write_text("KIDSAFE_MQTT_URL=mqtt://b:1883\n")
    pair.finish(layout, {"mqtt": {"password": "p", "host": "b", "port": 1883}, "portal_public_key": "ab"})
    shown = read_pairing(path, "en")
    assert shown["state"] == "paired" and shown["code"] is None and shown["paired_at"]
