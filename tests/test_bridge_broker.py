"""Telemetry and brokers: the outbox bound, ACL denials, shared subscriptions, bridged brokers
(a broker killed mid-stream: test_bridge_durability.py)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from bridge_fixtures import agent, cfg, portal, service, start_broker, wait_for

from mqtt_bridge import signing, topics
from mqtt_bridge.client import Connection
from mqtt_bridge.outbox import Outbox
from mqtt_bridge.portal_api import TelemetryConsumer


class Collector:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.events: dict[int, int] = {}
        self.usage: dict[str, float] = {}

    def __call__(self, kind: str, msg) -> None:
        with self.lock:
            if kind == "events":
                self.events[msg.seq] = self.events.get(msg.seq, 0) + 1
            elif kind == "usage":
                self.usage[msg.day] = msg.used_s


def test_outbox_survives_restart_and_never_drops_unsent_safety_rows(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "o.sqlite3", max_rows=50)
    for i in range(10):
        assert box.add(f"s{i}", "t", b"x", safety=True)
    for i in range(500):  # a flood of low-value rows
        box.add(f"f{i}", "t", b"x", safety=False)
    assert not box.add("s0", "t", b"x", safety=True)  # idempotent by msg id
    box.close()
    box = Outbox(tmp_path / "o.sqlite3", max_rows=50)  # after a reboot
    ids = [r.msg_id for r in box.pending(limit=1000)]
    assert ids[:10] == [f"s{i}" for i in range(10)] and len(ids) == 50
    assert box.dropped() == 460
    for i in range(100):  # safety rows beyond the cap still go in; low-value rows make room
        box.add(f"s-more{i}", "t", b"x", safety=True)
    assert sum(1 for r in box.pending(limit=1000) if r.safety) == 110
    row = box.pending(limit=1)[0]
    box.mark_sent(row.id)
    box.confirm([row.msg_id])
    assert not box.add(row.msg_id, "t", b"x", safety=True)  # a re-drained, already sent row stays sent


def _receives(broker, user: str, topic: str, wait: float = 0.7) -> list[bytes]:
    """What `user` receives when subscribing to `topic` (retained messages arrive at once)."""
    conn = Connection(cfg(broker, user), user, protocol="5")
    got: list[bytes] = []
    conn.client.on_message = lambda c, u, m: got.append(m.payload)
    conn.subscribe(topic)
    conn.start()
    time.sleep(wait)
    conn.stop()
    return got


def test_acl_keeps_devices_in_their_lane(tmp_path: Path) -> None:
    broker = start_broker(tmp_path / "mosq")
    try:
        backend = Connection(cfg(broker, "portal"), "portal-acl").start()
        backend.publish(topics.policy("dev-2"), b'{"for": "dev-2"}', retain=True)
        operator = Connection(cfg(broker, "operator"), "op-acl").start()
        operator.publish(topics.bundles("beta"), b'{"for": "beta"}', retain=True)
        operator.publish(topics.bundles("pilot"), b'{"for": "pilot"}', retain=True)
        # positive controls: each reads its own policy, its own cohort's bundles
        assert _receives(broker, "dev-2", topics.policy("dev-2")) == [b'{"for": "dev-2"}']
        assert _receives(broker, "dev-1", topics.bundles("pilot")) == [b'{"for": "pilot"}']
        # a device never reads another device's policy or another cohort's bundles, even by wildcard
        assert _receives(broker, "dev-1", topics.policy("dev-2")) == []
        assert _receives(broker, "dev-1", topics.bundles("beta")) == []
        assert _receives(broker, "dev-1", "kidsafe/v1/#") == [b'{"for": "pilot"}']
        # a device cannot publish a bundle, another device's state or its own policy
        seen: list = []
        watcher = Connection(cfg(broker, "operator"), "watch", protocol="5")
        watcher.client.on_message = lambda c, u, m: seen.append((m.topic, m.payload))
        watcher.subscribe("kidsafe/v1/fleet/+/bundles")
        watcher.subscribe(topics.all_devices("state"))
        watcher.start()
        time.sleep(0.3)
        seen.clear()  # the retained bundles above
        dev = Connection(cfg(broker, "dev-1"), "dev-1", protocol="5").start()
        for topic in (topics.bundles("pilot"), topics.state("dev-2"), topics.policy("dev-1")):
            dev.client.publish(topic, b'{"forged": true}', qos=1, retain=True).wait_for_publish(5)
        dev.client.publish(topics.state("dev-1"), b'{"own": true}', qos=1).wait_for_publish(5)  # allowed
        time.sleep(0.5)
        dev.stop()
        assert seen == [(topics.state("dev-1"), b'{"own": true}')]
        assert _receives(broker, "dev-1", topics.policy("dev-1")) == []
        # a wrong password is refused outright
        wrong = cfg(broker, "dev-1")
        wrong.password = "wrong"
        bad = Connection(wrong, "dev-1")
        with pytest.raises(Exception, match="refused|did not answer"):
            bad.start(timeout=3)
        watcher.stop()
        backend.stop()
        operator.stop()
    finally:
        broker.stop()


def test_only_the_portal_writes_a_devices_acks(tmp_path: Path) -> None:
    broker = start_broker(tmp_path / "mosq")
    try:
        backend = Connection(cfg(broker, "portal"), "portal-acks").start()
        backend.publish(topics.acks("dev-2"), b'{"portal": "dev-2"}', retain=True)  # the portal may write
        assert _receives(broker, "dev-2", topics.acks("dev-2")) == [b'{"portal": "dev-2"}']
        assert _receives(broker, "dev-1", topics.acks("dev-2")) == []  # no device reads another's acks
        got: list[tuple[str, bytes]] = []
        dev = Connection(cfg(broker, "dev-1"), "dev-1", protocol="5")
        dev.client.on_message = lambda c, u, m: got.append((m.topic, m.payload))
        dev.subscribe(topics.acks("dev-1"))
        dev.start()
        # a device cannot ack its own telemetry away, nor another device's
        for topic in (topics.acks("dev-1"), topics.acks("dev-2")):
            dev.client.publish(topic, b'{"forged": true}', qos=1, retain=True).wait_for_publish(5)
        backend.publish(topics.acks("dev-1"), b'{"portal": "dev-1"}')  # positive control, after the forgeries
        wait_for(lambda: got, timeout=10, what="the portal's ack")
        time.sleep(0.2)
        dev.stop()
        assert got == [(topics.acks("dev-1"), b'{"portal": "dev-1"}')]
        assert _receives(broker, "dev-2", topics.acks("dev-2")) == [b'{"portal": "dev-2"}']
        backend.stop()
    finally:
        broker.stop()


def test_shared_subscription_splits_the_stream_between_workers(tmp_path: Path) -> None:
    broker = start_broker(tmp_path / "mosq")
    got = [Collector(), Collector()]
    workers = [TelemetryConsumer(cfg(broker, "portal"), g, group="split", client_id=f"w{i}").start()
               for i, g in enumerate(got)]
    svc = service(tmp_path / "dev")
    a = agent(svc, broker, "dev-2", None)
    try:
        for i in range(200):
            svc.events.record({"kind": "search_blocked", "n": i})
        wait_for(lambda: sum(len(g.events) for g in got) >= 200, timeout=30, what="200 events")
        time.sleep(0.3)
        seqs = [s for g in got for s in g.events]
        assert sorted(seqs) == list(range(1, 201))  # each to exactly one worker
        assert all(len(g.events) > 20 for g in got)  # and both did work
    finally:
        a.stop()
        svc.stop()
        for w in workers:
            w.stop()
        broker.stop()


def _wait_bridge_up(core, edge) -> None:
    """The edge's bridge is connected and subscribed on the core: a retained probe published on the core
    reaches a subscriber on the edge (waits on that condition, not on a sleep)."""
    probe = topics.bundles("probe")
    seen = threading.Event()
    watcher = Connection(cfg(edge, "operator"), "probe-watch", protocol="5")
    watcher.client.on_message = lambda c, u, m: seen.set() if m.topic == probe and m.payload else None
    watcher.subscribe(probe)
    watcher.start()
    operator = Connection(cfg(core, "operator"), "probe-op").start()
    operator.publish(probe, b'{"probe": true}', retain=True)
    try:
        assert seen.wait(60), "the edge broker never bridged to the core"
    finally:
        operator.publish(probe, b"", retain=True)
        operator.stop()
        watcher.stop()


def test_bridged_edge_and_core_brokers(tmp_path: Path) -> None:
    core = start_broker(tmp_path / "core", extra_users=["bridge"],
                        roles={"portal_users": ("portal",), "operator_users": ("operator",),
                               "bridge_users": ("bridge",)})
    edge = start_broker(tmp_path / "edge", bridge_to={"port": core.backend_port, "username": "bridge",
                                                       "password": "pw-bridge-secret"})
    key = signing.generate()
    got = Collector()
    consumer = TelemetryConsumer(cfg(core, "portal"), got, group="core", client_id="core-w").start()
    link = portal(core, key, serve_time=True)  # the portal only knows the core broker
    a = svc = None
    try:
        _wait_bridge_up(core, edge)
        svc = service(tmp_path / "dev")
        a = agent(svc, edge, "dev-3", signing.public_hex(key))  # the device only knows the edge broker
        link.wait_state("dev-3", lambda s: s.online, timeout=60)
        link.publish_policy("dev-3", {"schema_version": 1, "version": "via-core"}, 4)
        link.wait_state("dev-3", lambda s: s.policy_version == 4, timeout=60)
        wait_for(lambda: a.sync.state.trusted_at is not None, timeout=60, what="trusted time through the bridge")
        for i in range(50):
            svc.events.record({"kind": "limit_reached", "n": i})
        wait_for(lambda: len(got.events) >= 50 and a.outbox.size() == 0, timeout=60,
                 what="events through the bridge, acknowledged back through it")
        assert sorted(got.events) == list(range(1, len(got.events) + 1))  # (+ the device's policy events)
    finally:
        if a is not None:
            a.stop()
        if svc is not None:
            svc.stop()
        consumer.stop()
        link.stop()
        edge.stop()
        core.stop()
