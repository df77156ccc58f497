"""`kidsafe device run --broker ...`: the whole device (the child's page and API with the agent inside)
as a real process against a real mosquitto: retained state, a signed policy applied, and what the child
does on the page reaching a telemetry consumer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

from bridge_fixtures import cfg, password, portal, start_broker, wait_for

from mqtt_bridge import signing, topics
from mqtt_bridge.broker.local import free_port
from mqtt_bridge.client import Connection
from mqtt_bridge.payloads import StateMessage, parse
from mqtt_bridge.portal_api import TelemetryConsumer

REPO = Path(__file__).resolve().parent.parent


def _api(port: int, path: str, body: dict | None = None) -> dict:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data,
                                 headers={"Content-Type": "application/json"} if data else {})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read())
    except OSError:
        return {}


def _retained_state(broker, device: str) -> tuple[StateMessage, bool] | None:
    """What a fresh subscriber gets at once on the device's state topic, and whether it came retained."""
    got: list[tuple[bytes, bool]] = []
    arrived = threading.Event()
    conn = Connection(cfg(broker, "operator"), f"fresh-{os.getpid()}", protocol="5")
    conn.client.on_message = lambda c, u, m: (got.append((m.payload, m.retain)), arrived.set())
    conn.subscribe(topics.state(device))
    conn.start()
    arrived.wait(5)
    conn.stop()
    return (parse(StateMessage, got[0][0]), got[0][1]) if got else None


def test_device_run_with_a_broker(tmp_path: Path) -> None:
    broker = start_broker(tmp_path / "mosq", devices={"kid-2": "pilot"})
    key = signing.generate()
    (tmp_path / "dev.pw").write_text(password("kid-2"))
    got: list[tuple[str, object]] = []
    consumer = TelemetryConsumer(cfg(broker, "portal"), lambda kind, m: got.append((kind, m)), group="run",
                                 client_id="run-worker").start()
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "kidsafe", "device", "run", "--broker", f"mqtt://127.0.0.1:{broker.port}",
         "--device-id", "kid-2", "--cohort", "pilot", "--password-file", str(tmp_path / "dev.pw"),
         "--portal-key", signing.public_hex(key), "--home", str(tmp_path / "home"), "--port", str(port),
         "--tz", "Asia/Shanghai"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    link = None
    try:
        wait_for(lambda: "state" in _api(port, "/api/status"), timeout=120, what="the device's page")
        state, retained = wait_for(lambda: _retained_state(broker, "kid-2"), timeout=60, what="a retained state")
        assert retained and state.online and state.time_left_s is not None and state.policy_version == 0

        link = portal(broker, key)  # the parent's signed policy, retained
        policy = {"schema_version": 1, "version": "run-7", "time": {"daily_limit_min": 45, "night": None}}
        link.publish_policy("kid-2", policy, 7)  # no night window: the test runs at any hour
        status = wait_for(lambda: (s := _api(port, "/api/status")).get("policy_version") == "run-7" and s,
                          timeout=60, what="the policy applied by the running device")
        assert status["limit_s"] == 45 * 60 and status["state"] == "ok"
        assert link.wait_state("kid-2", lambda s: s.policy_version == 7, timeout=30).online

        # what the child does on the page reaches the portal's consumer
        asked = _api(port, "/api/more-time", {"minutes": 15})
        assert asked.get("request"), asked
        request = wait_for(lambda: next((m for k, m in got if k == "requests"), None), timeout=60, what="request")
        assert request.device_id == "kid-2" and request.minutes == 15
        blocked = _api(port, "/api/search", {"query": "色情直播"})
        assert blocked.get("action") == "block" and "色情" not in blocked["query"], blocked
        event = wait_for(lambda: next((m for k, m in got if k == "events" and m.kind == "search_blocked"), None),
                         timeout=60, what="the blocked search as an event")
        assert event.safety and "query" not in event.data  # reporting "counts": the words stay on the device

        proc.terminate()  # a clean stop says goodbye: the retained state turns offline
        proc.wait(30)
        assert wait_for(lambda: (r := _retained_state(broker, "kid-2")) and not r[0].online, timeout=30,
                        what="the offline state")
    finally:
        if proc.poll() is None:
            proc.kill()
        output = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
        proc.wait(10)
        if link is not None:
            link.stop()
        consumer.stop()
        broker.stop()
    assert "kid-2 -> mqtt://127.0.0.1" in output
