"""Telemetry durability: the device keeps each row until the portal's end-to-end ack, so a broker
SIGKILLed at any moment (with or without its persistence file) loses nothing and doubles nothing."""

from __future__ import annotations

import contextlib
import random
import threading
import time
from pathlib import Path

import pytest
from bridge_fixtures import agent, cfg, service, start_broker, wait_for

from mqtt_bridge import topics
from mqtt_bridge.acks import Acker
from mqtt_bridge.outbox import Outbox
from mqtt_bridge.payloads import TelemetryAck, parse
from mqtt_bridge.portal_api import TelemetryConsumer

TOTAL = 600


class SlowCollector:
    """Counts every delivery the handler sees; slow enough that the broker queues a backlog for it."""

    def __init__(self, delay_s: float = 0.002) -> None:
        self.lock = threading.Lock()
        self.events: dict[int, int] = {}
        self.usage: dict[str, float] = {}
        self.delay_s = delay_s

    def __call__(self, kind: str, msg) -> None:
        time.sleep(self.delay_s)
        with self.lock:
            if kind == "events":
                self.events[msg.seq] = self.events.get(msg.seq, 0) + 1
            elif kind == "usage":
                self.usage[msg.day] = max(self.usage.get(msg.day, 0.0), msg.used_s)

    def count(self) -> int:
        with self.lock:
            return len(self.events)


@pytest.mark.parametrize("persistence", [True, False], ids=["autosave-1s", "no-persistence"])
def test_broker_killed_at_any_moment_loses_and_doubles_nothing(tmp_path: Path, persistence: bool) -> None:
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    broker = start_broker(tmp_path / "mosq", persistence=persistence)
    got = SlowCollector()
    consumer = TelemetryConsumer(cfg(broker, "portal"), got, group="kill", client_id="worker-kill").start()
    svc = service(tmp_path / "dev")
    a = agent(svc, broker, "dev-1", None, ack_timeout_s=2.0)
    done = threading.Event()

    def produce() -> None:  # bursts of events while the broker dies and comes back
        for i in range(TOTAL):
            svc.events.record({"kind": "search_blocked", "n": i})
            if i % 100 == 99:
                time.sleep(0.3)
        done.set()

    producer = threading.Thread(target=produce, daemon=True)
    try:
        producer.start()
        kill_after = rng.randint(1, 450)
        wait_for(lambda: got.count() >= kill_after, timeout=60, what=f"{kill_after} events (seed {seed})")
        broker.kill()  # SIGKILL at an arbitrary moment: whatever the broker acknowledged but did not save is gone
        time.sleep(rng.uniform(0.1, 1.0))
        broker.start()  # same port (and persistence file, when it has one)
        wait_for(done.is_set, timeout=60, what="the producer")
        with contextlib.suppress(AssertionError):  # the assertions below say what is missing
            wait_for(lambda: got.count() >= TOTAL and a.outbox.size() == 0, timeout=120, what="all events")
        time.sleep(0.5)  # a late repeat would show up here
        where = f"seed {seed}, killed after {kill_after} events"
        with got.lock:
            missing = sorted(set(range(1, TOTAL + 1)) - set(got.events))
            assert not missing, f"{len(missing)} events lost ({where}): {missing[:10]}..."
            assert sorted(got.events) == list(range(1, TOTAL + 1)), where
            assert set(got.events.values()) == {1}, f"counted twice ({where})"
        assert a.outbox.size() == 0, f"{a.outbox.size()} rows never acknowledged ({where})"
    finally:
        a.stop()
        svc.stop()
        consumer.stop()
        broker.stop()


def test_outbox_keeps_rows_until_the_end_to_end_ack(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "o.sqlite3")
    for i in range(3):
        box.add(f"m{i}", "t", b"x", safety=(i == 2))
    rows = box.pending(limit=10, now=1000.0)
    assert [r.msg_id for r in rows] == ["m2", "m0", "m1"]  # safety first, then oldest
    for r in rows:
        box.mark_sent(r.id, ack_timeout=10, now=1000.0)  # the broker's PUBACK
    assert box.size() == 3 and box.awaiting_ack() == 3  # a PUBACK deletes nothing
    assert box.pending(limit=10, now=1009.0) == []  # not due before the ack timeout
    assert [r.msg_id for r in box.pending(limit=10, now=1010.0)] == ["m2", "m0", "m1"]
    box.mark_sent(rows[1].id, ack_timeout=10, now=1010.0)  # second attempt waits twice as long
    assert "m0" not in [r.msg_id for r in box.pending(limit=10, now=1029.0)]
    assert "m0" in [r.msg_id for r in box.pending(limit=10, now=1030.0)]
    assert box.confirm(["m0", "unknown"]) == 1 and box.size() == 2  # the consumer's ack
    assert not box.add("m0", "t", b"x")  # a re-drained, acknowledged row is not queued again
    box.close()
    box = Outbox(tmp_path / "o.sqlite3")  # after a reboot the rows awaiting their ack are still there
    assert box.awaiting_ack() == 2 and box.pending(limit=10, now=1000.0) == []
    assert box.requeue_sent() == 2  # a reconnect: the broker may have lost them
    assert [r.msg_id for r in box.pending(limit=10, now=1000.0)] == ["m2", "m1"]


def test_a_full_outbox_drops_rows_the_broker_has_before_unsent_ones(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "o.sqlite3", max_rows=3)
    for i in range(3):
        box.add(f"m{i}", "t", b"x")
    box.mark_sent(box.pending(limit=10)[1].id)  # m1 reached the broker
    box.add("m3", "t", b"x")
    assert sorted(r.msg_id for r in box.pending(limit=10, now=1e12)) == ["m0", "m2", "m3"]
    assert box.dropped() == 1


def test_acker_batches_per_device_and_acks_only_telemetry() -> None:
    sent: list[tuple[str, bytes]] = []
    acker = Acker(lambda topic, payload: sent.append((topic, payload)), max_batch=3)
    acker.ack("dev-1", "a")
    assert acker.ack_raw(topics.events("dev-2"), b'{"msg_id": "b", "seq": 1}')
    assert not acker.ack_raw(topics.state("dev-2"), b'{"msg_id": "s"}')  # retained state is not in an outbox
    assert not acker.ack_raw(topics.events("dev-2"), b"not json")
    assert not acker.ack_raw("other/topic", b'{"msg_id": "x"}')
    for mid in ("c", "d"):
        acker.ack("dev-1", mid)  # the third id for dev-1 sends at once
    assert [t for t, _ in sent] == [topics.acks("dev-1")]
    assert parse(TelemetryAck, sent[0][1]).msg_ids == ("a", "c", "d")
    assert acker.flush() == 1
    last = parse(TelemetryAck, sent[-1][1])
    assert sent[-1][0] == topics.acks("dev-2") and last.device_id == "dev-2" and last.msg_ids == ("b",)
    with pytest.raises(ValueError):
        acker.ack("dev/1", "x")  # never a topic with another level


def test_the_portals_ingest_worker_acknowledges_what_it_stored(tmp_path: Path, portal_broker) -> None:  # noqa: ANN001
    """The real portal's ingestion worker acks each stored message; only then do the device's rows go."""
    from portal_support import live_portal, pair_device

    from mqtt_bridge.agent import AgentSettings
    from mqtt_bridge.client import BrokerConfig
    from mqtt_bridge.runner import build_agent
    from parent_portal.models import Event

    with live_portal(tmp_path, portal_broker.port) as (client, parent, worker):
        child_id = parent.add_child("小明", 2017)
        creds = pair_device(parent, child_id, "ack-1")
        svc = service(tmp_path / "device")
        svc.start()
        # ack_timeout_s=600: no resend can hide a missing ack
        a = build_agent(svc, AgentSettings("ack-1", BrokerConfig(port=portal_broker.port), svc.settings.home,
                                           portal_keys=[creds["portal_public_key"]], ack_timeout_s=600),
                        fleet=False).start()

        def stored() -> int:
            with client.app.state.sessions() as db:
                return db.query(Event).filter_by(device_id="ack-1", kind="search_blocked").count()

        try:
            for i in range(20):
                svc.events.record({"kind": "search_blocked", "n": i})
            wait_for(lambda: stored() == 20, timeout=60, what="20 events in the portal's database")
            wait_for(lambda: a.outbox.size() == 0, timeout=30, what="every outbox row acknowledged by the portal")
            assert worker.acker.sent_ids >= 20
        finally:
            a.stop()
            svc.stop()


def test_the_agent_deletes_only_what_a_valid_ack_for_itself_names(tmp_path: Path) -> None:
    from mqtt_bridge.agent import AgentSettings, DeviceAgent
    from mqtt_bridge.client import BrokerConfig
    from mqtt_bridge.payloads import dump

    svc = service(tmp_path / "dev")
    a = DeviceAgent(svc, AgentSettings("dev-1", BrokerConfig(), tmp_path / "dev"))  # not started: no broker
    try:
        for i in range(3):
            a.outbox.add(f"dev-1:ev:{i}", topics.events("dev-1"), b"{}", safety=True)
        for bad in (b"", b"{not json", b'{"device_id": "dev-1", "msg_ids": []}',
                    dump(TelemetryAck(device_id="dev-2", msg_ids=("dev-1:ev:0",), ts=1.0))):
            a._on_ack(bad)  # malformed, empty, or another device's: nothing is deleted
        assert a.outbox.size() == 3
        a._on_ack(dump(TelemetryAck(device_id="dev-1", msg_ids=("dev-1:ev:1", "dev-1:ev:9"), ts=1.0)))
        assert [r.msg_id for r in a.outbox.pending(limit=10)] == ["dev-1:ev:0", "dev-1:ev:2"]
    finally:
        a.outbox.close()
        svc.stop()
