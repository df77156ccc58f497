"""A real `kidsafe device run` process killed with SIGKILL mid-session restarts with the counted usage:
at most the flush interval of counted time is lost, and the stop state survives too."""

from __future__ import annotations

import json
import time

from device_server import DeviceServer

FLUSH_S = 0.5


def test_sigkill_mid_session_keeps_counted_usage(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "policy.json").write_text(json.dumps({"time": {"daily_limit_min": 60, "night": None}}))
    env = {"KIDSAFE_USAGE_FLUSH_S": str(FLUSH_S), "KIDSAFE_API_RATE_SCALE": "0"}  # heartbeats faster than a page
    server = DeviceServer(home, env=env).start()
    try:
        last = 0.0
        for _ in range(10000):  # the child reads results: heartbeats until 3 s are counted
            status = server.post("/api/heartbeat")["status"]
            last = status["used_s"]
            if last >= 3.0:
                break
            time.sleep(0.02)
        assert last >= 3.0
        server.kill9()  # mid-session, no shutdown hook runs
    finally:
        server.stop()
    again = DeviceServer(home, env=env).start()
    try:
        used = again.get("/api/status")["used_s"]
        assert last - FLUSH_S <= used <= last
        again.post("/api/heartbeat")
        assert again.post("/api/heartbeat")["status"]["used_s"] >= used  # and it keeps counting from there
    finally:
        again.stop()


def test_sigkill_does_not_reset_a_finished_day(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "policy.json").write_text(json.dumps({"time": {"daily_limit_min": 0, "night": None}}))
    server = DeviceServer(home).start()
    try:
        assert server.get("/api/status")["state"] == "time_up"
        server.kill9()
    finally:
        server.stop()
    (home / "policy.json").unlink()  # even with the policy file gone, the last good policy is enforced
    again = DeviceServer(home).start()
    try:
        st = again.get("/api/status")
        assert st["state"] == "time_up"
        code, body = again.request("/api/search", {"query": "熊猫"})
        assert code == 403 and body["error"] == "time_up"
    finally:
        again.stop()
