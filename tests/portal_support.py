"""Helpers for the portal tests: free ports, a real mosquitto, a real PostgreSQL cluster, a portal app
on a migrated database, and a browser-like client that carries cookies and CSRF tokens."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from real_parts import require

from parent_portal import devservers
from parent_portal.app import create_app
from parent_portal.devservers import free_port, fresh_database, wait_port  # noqa: F401 (re-exported)
from parent_portal.migrate import upgrade
from parent_portal.settings import PortalSettings

PG_ENV = "KIDSAFE_TEST_PG_URL"  # .ci/run exports it after starting a cluster
TOKEN = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')
PASSWORD = "correct horse battery"


class Mosquitto(devservers.Mosquitto):
    """The test broker: a missing mosquitto fails the test with the install hint."""

    def __init__(self, folder: Path) -> None:
        require(shutil.which("mosquitto") or Path("/usr/sbin/mosquitto").exists(),
                "mosquitto (apt-get install mosquitto)")
        super().__init__(folder)


def postgres_server_url(tmp_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of a PostgreSQL server: CI's (from PG_ENV), else a cluster started here."""
    url = os.environ.get(PG_ENV)
    if url:
        yield url
        return
    if os.environ.get("CI"):
        pytest.fail(f"{PG_ENV} is not set: .ci/run must start PostgreSQL and export it")
    # not under pytest's 0700 temp root: the postgres user must reach the folder
    folder = Path(tempfile.mkdtemp(prefix="kidsafe-pg-"))
    require(list(Path("/usr/lib/postgresql").glob("*/bin/initdb")), "PostgreSQL (apt-get install postgresql)")
    cluster = devservers.PgCluster(folder)
    try:
        yield cluster.start()
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


_TEMPLATE_DB: dict[str, Path | None] = {"path": None}


def sqlite_template(folder: Path) -> None:
    """Migrate one SQLite file per session; make_portal copies it (migrations are tested on their own)."""
    path = folder / "template.db"
    upgrade(f"sqlite:///{path}")
    _TEMPLATE_DB["path"] = path


def make_portal(url: str, publisher: object | None = None, **overrides: object) -> TestClient:
    """A migrated database and a portal app on it; the client speaks https so Secure cookies flow."""
    base: dict = {"mqtt_enabled": False, "secret_key": "test-secret-key-0123456789", "password_hashing": "cheapest",
                  "mqtt_timeout_s": 1.0}
    settings = PortalSettings(database_url=url, **{**base, **overrides})
    if url.startswith("sqlite:///"):
        if _TEMPLATE_DB["path"] is None:
            sqlite_template(Path(tempfile.mkdtemp(prefix="portal-template-")))
        shutil.copy(_TEMPLATE_DB["path"], url[len("sqlite:///"):])  # the migrated schema, made once
    else:
        upgrade(settings.sqlalchemy_url())
    app = create_app(settings, publisher=publisher)
    return TestClient(app, base_url="https://testserver", follow_redirects=False)


class Parent:
    """A browser session of one parent against a TestClient app."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    def token(self, path: str = "/login") -> str:
        page = self.client.get(path)
        match = TOKEN.search(page.text)
        assert match, f"no CSRF token on {path} ({page.status_code})"
        return match.group(1)

    def post(self, path: str, data: dict, token_from: str | None = None) -> object:
        return self.client.post(path, data={**data, "csrf_token": self.token(token_from or path)})

    def register(self, username: str, password: str = PASSWORD, invite: str = "") -> str:
        r = self.post("/register", {"username": username, "password": password, "password2": password,
                                    "invite": invite})
        assert r.status_code == 200, r.text
        code = re.search(r'id="recovery-code">([^<]+)<', r.text)
        assert code
        return code.group(1)

    def add_child(self, name: str = "小明", birth_year: int = 2016) -> int:
        r = self.post("/children/new", {"name": name, "birth_year": str(birth_year)})
        assert r.status_code == 303, r.text
        return int(r.headers["location"].rsplit("/", 1)[1])


class SimDevice:
    """A device as the portal meets it on the broker: reads its policy and answers, publishes telemetry
    with the bridge's payload models (no filtering, no usage clock: only the MQTT side)."""

    def __init__(self, port: int, device_id: str) -> None:
        import queue

        import paho.mqtt.client as mqtt

        from mqtt_bridge import topics

        self.device_id = device_id
        self.topics = topics
        self.inbox: queue.Queue = queue.Queue()
        self.unread: list[tuple[str, bytes]] = []
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"sim-{device_id}")
        self.client.on_message = lambda c, u, m: self.inbox.put((m.topic, m.payload, m.retain))
        self.client.connect("127.0.0.1", port)
        self.client.subscribe([(topics.policy(device_id), 1), (topics.answers(device_id), 1),
                               (topics.trusted_time(device_id), 1)])
        self.client.loop_start()
        self.seq = 0

    def next_message(self, leaf: str, timeout: float = 10.0) -> bytes:
        """The oldest unread message on this leaf; others stay queued for their own calls."""
        import queue

        deadline = time.monotonic() + timeout
        while True:
            for i, (topic, payload) in enumerate(self.unread):
                if topic.endswith("/" + leaf):
                    del self.unread[i]
                    return payload
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no {leaf} message for {self.device_id} within {timeout} s")
            try:
                topic, payload, _retain = self.inbox.get(timeout=left)
            except queue.Empty:
                continue
            if payload:
                self.unread.append((topic, payload))

    def publish(self, leaf: str, model: object, retain: bool = False) -> None:
        from mqtt_bridge import payloads

        topic = self.topics.device_topic(self.device_id, leaf)
        self.client.publish(topic, payloads.dump(model), qos=1, retain=retain).wait_for_publish(5)

    def state(self, policy_version: int, online: bool = True) -> None:
        from mqtt_bridge import payloads

        self.publish("state", payloads.StateMessage(device_id=self.device_id, online=online, ts=time.time(),
                                                    policy_version=policy_version), retain=True)

    def event(self, kind: str, data: dict, seq: int | None = None) -> None:
        from mqtt_bridge import payloads

        if seq is None:
            self.seq += 1
            seq = self.seq
        self.publish("events", payloads.EventMessage(device_id=self.device_id, seq=seq, ts=time.time(), kind=kind,
                                                     safety=True, data=data))

    def close(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()


def child_today(zone: str = "Asia/Shanghai") -> date:
    """Today where a child lives (children default to Asia/Shanghai), not the test machine's date."""
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo(zone)).date()


def wait_for(check: object, timeout: float = 10.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise AssertionError(f"{what} not reached within {timeout} s")


def pair_device(parent: Parent, child_id: int, device_id: str) -> dict:
    """The device-flow pairing through the portal's API and the parent's form; returns the device's answer."""
    client = parent.client
    started = client.post("/api/pair/start", json={"device_id": device_id}).json()
    assert "<svg" in started["qr_svg"] and started["user_code"] in started["url"]
    assert client.post("/api/pair/poll", json={"device_code": started["device_code"]}).status_code == 202
    r = parent.post("/pair", {"code": started["user_code"].lower(), "child_id": str(child_id), "name": "speaker"},
                    token_from="/pair")
    assert r.status_code == 303, r.text
    answer = client.post("/api/pair/poll", json={"device_code": started["device_code"]})
    assert answer.status_code == 200
    return answer.json()


@contextmanager
def live_portal(folder: Path, broker_port: int, username: str = "mama") -> Iterator[tuple[TestClient, Parent, object]]:
    """A portal publishing to the broker, one ingestion worker, and a signed-in parent."""
    from parent_portal.ingest import TelemetryWorker

    client = make_portal(f"sqlite:///{folder}/portal.db", mqtt_enabled=True, mqtt_port=broker_port,
                         signing_key=folder / "portal.key")
    worker = TelemetryWorker(client.app.state.settings, sessions=client.app.state.sessions)
    worker.start()
    assert worker.subscribed.wait(10), "the ingestion worker did not subscribe"
    parent = Parent(client)
    parent.register(username)
    try:
        yield client, parent, worker
    finally:
        worker.stop()
        client.app.state.publisher.close()
