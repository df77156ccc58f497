"""Telemetry ingestion over a real mosquitto: two workers on one shared subscription, every message
written once (repeats and both workers change nothing), bad payloads dropped, query text only when
the child's reporting level allows it."""

from __future__ import annotations

import time
from datetime import date

import pytest
from portal_support import Parent, SimDevice, make_portal, pair_device, wait_for
from sqlalchemy import func, select

from mqtt_bridge import payloads
from parent_portal.ingest import TelemetryWorker, handle
from parent_portal.models import Event, UsageDay

BLOCKED = {"category": "sexual", "rule": "lexicon:core:色情", "view": "pinyin", "query": "色情 视频"}


@pytest.fixture
def paired(tmp_path, portal_broker, portal_db_url):  # noqa: ANN001, ANN201
    """On SQLite and on PostgreSQL: the idempotent writes must hold on both."""
    client = make_portal(portal_db_url, mqtt_enabled=True, mqtt_port=portal_broker.port,
                         signing_key=tmp_path / "portal.key")
    parent = Parent(client)
    parent.register("mama")
    child_id = parent.add_child("小明", 2016)
    pair_device(parent, child_id, "speaker-1")
    yield client, parent, child_id
    client.app.state.publisher.close()
    client.app.state.engine.dispose()


def count(client, model) -> int:  # noqa: ANN001
    with client.app.state.sessions() as db:
        return db.scalar(select(func.count()).select_from(model))


def test_two_shared_workers_write_each_event_once(paired, portal_broker) -> None:
    client, parent, child_id = paired
    workers = [TelemetryWorker(client.app.state.settings, sessions=client.app.state.sessions) for _ in range(2)]
    for w in workers:
        w.start()
        assert w.subscribed.wait(10)
    device = SimDevice(portal_broker.port, "speaker-1")
    try:
        for seq in range(1, 61):
            device.event("search_blocked", BLOCKED, seq=seq)
        for seq in (5, 6, 7):  # resent after a reboot
            device.event("search_blocked", BLOCKED, seq=seq)
        today = date.today().isoformat()
        for used in (600.0, 900.0, 600.0):  # a stale total arriving late never lowers the day
            usage = payloads.UsageMessage(device_id="speaker-1", day=today, used_s=used, ts=time.time())
            device.publish("usage", usage)
        wait_for(lambda: sum(w.handled for w in workers) >= 66, timeout=20, what="all messages handled")
    finally:
        device.close()
        for w in workers:
            w.stop()
    assert count(client, Event) == 60
    assert all(w.handled > 0 for w in workers), "the shared subscription did not split the stream"
    with client.app.state.sessions() as db:
        assert db.scalar(select(UsageDay.used_s)) == 900
        assert db.scalar(select(func.count()).where(Event.query_text.is_not(None))) == 0  # reporting: counts only
        ev = db.scalars(select(Event)).first()
        assert (ev.category, ev.rule, ev.view) == ("sexual", "lexicon:core:色情", "pinyin") and "query" not in ev.data
    report = client.get(f"/children/{child_id}/report").text
    assert "lexicon:core:色情" in report and "色情 视频" not in report


def test_query_text_is_kept_only_when_reporting_allows(paired) -> None:
    client, parent, child_id = paired
    settings = {"weekday_limit_min": "60", "weekend_limit_min": "60", "break_after_min": "30",
                "break_pause_min": "5", "reporting": "with_text", "language": "zh",
                "blocked_categories": ["sexual"]}
    parent.post(f"/children/{child_id}/settings", settings, token_from=f"/children/{child_id}")
    msg = payloads.EventMessage(device_id="speaker-1", seq=1, ts=time.time(), kind="search_blocked", safety=True,
                                data=BLOCKED)
    with client.app.state.sessions() as db:
        assert handle(db, "kidsafe/v1/devices/speaker-1/events", payloads.dump(msg)) == "events"
    assert "色情 视频" in client.get(f"/children/{child_id}/report").text


@pytest.mark.parametrize("topic, raw, outcome", [
    ("kidsafe/v1/devices/speaker-1/events", b"{not json", "malformed"),
    ("kidsafe/v1/devices/speaker-1/events", b'{"schema_version":1,"device_id":"speaker-1","seq":1,"ts":1e999,'
                                             b'"kind":"x","safety":true}', "malformed"),
    ("kidsafe/v1/devices/speaker-1/events", b"[" * 100_000, "malformed"),
    ("kidsafe/v1/devices/other-device/usage", b'{"schema_version":1,"device_id":"speaker-1","day":"2026-01-01",'
                                              b'"used_s":5,"ts":1}', "wrong-device"),
    ("kidsafe/v1/devices/stranger/usage", b'{"schema_version":1,"device_id":"stranger","day":"2026-01-01",'
                                          b'"used_s":5,"ts":1}', "unknown-device"),
    ("kidsafe/v1/fleet/all/bundles", b"{}", "ignored-topic"),
])
def test_bad_telemetry_is_dropped_and_nothing_is_written(paired, topic: str, raw: bytes, outcome: str) -> None:
    client, _, _ = paired
    with client.app.state.sessions() as db:
        assert handle(db, topic, raw) == outcome
    assert count(client, Event) == 0 and count(client, UsageDay) == 0


def test_a_device_behind_gets_its_policy_again_after_the_broker_lost_it(paired, portal_broker) -> None:
    """A broker that crashes before saving loses the retained policy: the device comes back online
    reporting an older version, and the ingest worker publishes the one in force again, retained."""
    from mqtt_bridge import payloads as p

    client, parent, child_id = paired
    assert client.app.state.publisher.unpublish("speaker-1")  # the broker lost the retained policy
    worker = TelemetryWorker(client.app.state.settings, sessions=client.app.state.sessions)
    worker.start()
    assert worker.subscribed.wait(10)
    device = SimDevice(portal_broker.port, "speaker-1")
    try:
        device.state(policy_version=0)
        wait_for(lambda: worker.handled >= 1, timeout=20, what="state handled")
    finally:
        device.close()
        worker.stop()
    fresh = SimDevice(portal_broker.port, "speaker-1")  # a later subscriber finds it retained again
    try:
        msg = p.PolicyMessage.model_validate_json(fresh.next_message("policy", timeout=10))
    finally:
        fresh.close()
    with client.app.state.sessions() as db:
        from parent_portal.models import Child

        assert msg.version == db.get(Child, child_id).policy_version >= 1


def test_a_device_behind_is_not_flooded_and_a_refused_policy_is_not_resent(paired) -> None:
    client, parent, child_id = paired
    sent: list[tuple[str, int]] = []
    worker = TelemetryWorker(client.app.state.settings, sessions=client.app.state.sessions)
    worker.client.publish = lambda topic, payload, qos=0, retain=False: sent.append((topic, retain))  # type: ignore[method-assign]
    state = payloads.StateMessage(device_id="speaker-1", online=True, ts=time.time(), policy_version=0)
    topic = "kidsafe/v1/devices/speaker-1/state"
    for _ in range(3):
        with client.app.state.sessions() as db:
            assert handle(db, topic, payloads.dump(state), republish=worker._republish) == "state-behind"
    assert sent == [("kidsafe/v1/devices/speaker-1/policy", True)]  # once per interval, retained
    refused = state.model_copy(update={"policy_error": "signature"})
    offline = state.model_copy(update={"online": False})
    for msg in (refused, offline):
        with client.app.state.sessions() as db:
            assert handle(db, topic, payloads.dump(msg), republish=worker._republish) == "state"
