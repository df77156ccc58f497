"""Device agent against a real mosquitto: policy round trip, trusted time, answers, reporting level."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from bridge_fixtures import agent, cfg, portal, service, start_broker, wait_for
from usage_fakes import FakeTime

from mqtt_bridge import signing, topics
from mqtt_bridge.client import Connection
from mqtt_bridge.payloads import TimeRequest, TrustedTime, dump, parse


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory):
    b = start_broker(tmp_path_factory.mktemp("mosq"))
    yield b
    b.stop()


def test_policy_round_trip_and_repeats_change_nothing(broker, tmp_path: Path) -> None:
    key = signing.generate()
    svc = service(tmp_path / "dev")
    a = agent(svc, broker, "dev-1", signing.public_hex(key))
    link = portal(broker, key)
    try:
        link.publish_policy("dev-1", {"schema_version": 1, "version": "p3", "time": {"daily_limit_min": 45}}, 3)
        st = link.wait_state("dev-1", lambda s: s.policy_version == 3 and s.online)
        assert svc.policies.current.version == "p3" and st.policy_error is None
        # an older version arriving late, and a repeat of the version in force: nothing changes
        link.publish_policy("dev-1", {"schema_version": 1, "version": "old", "time": {"daily_limit_min": 300}}, 2)
        link.publish_policy("dev-1", {"schema_version": 1, "version": "again", "time": {"daily_limit_min": 300}}, 3)
        time.sleep(0.5)
        assert svc.policies.current.version == "p3" and a.sync.state.policy_version == 3
        # signed by someone else: refused, reported, the policy in force stays
        forged = portal(broker, signing.generate())
        forged.publish_policy("dev-1", {"schema_version": 1, "version": "evil", "time": {"daily_limit_min": 900}}, 9)
        st = link.wait_state("dev-1", lambda s: s.policy_error is not None)
        assert "signature" in st.policy_error and svc.policies.current.version == "p3"
        forged.stop()
        # a signed but invalid policy: refused by the shared policy model, the old one stays
        link.publish_policy("dev-1", {"schema_version": 1, "version": "bad", "time": {"daily_limit_min": "x"}}, 10)
        st = link.wait_state("dev-1", lambda s: s.policy_error is not None and "10" in s.policy_error)
        assert svc.policies.current.version == "p3" and st.policy_version == 3
        # the next good one applies and survives an agent restart (persisted version)
        link.publish_policy("dev-1", {"schema_version": 1, "version": "p11"}, 11)
        link.wait_state("dev-1", lambda s: s.policy_version == 11)
    finally:
        a.stop()
        svc.stop()
    svc2 = service(tmp_path / "dev")
    a2 = agent(svc2, broker, "dev-1", signing.public_hex(key))
    try:
        wait_for(lambda: a2.connected.is_set(), what="reconnect")
        time.sleep(0.5)  # the retained v11 arrives again: a repeat, nothing changes
        assert svc2.policies.current.version == "p11" and a2.sync.state.policy_version == 11
    finally:
        a2.stop()
        svc2.stop()
        link.stop()


def test_last_will_marks_device_offline(broker, tmp_path: Path) -> None:
    svc = service(tmp_path / "dev")
    a = agent(svc, broker, "dev-2", None)
    link = portal(broker)
    try:
        link.wait_state("dev-2", lambda s: s.online)
        assert a.client is not None
        a.client.socket().close()  # connection dropped without DISCONNECT: the broker sends the will
        a._stop.set()
        link.wait_state("dev-2", lambda s: not s.online)
    finally:
        a.stop()
        svc.stop()
        link.stop()


def test_trusted_time_undoes_a_clock_set_forward(broker, tmp_path: Path) -> None:
    key = signing.generate()
    ft = FakeTime(wall_s=time.time() + 3 * 86400)  # the child set the clock 3 days ahead, offline
    svc = service(tmp_path / "dev", clocks=ft.clocks())
    assert svc.timekeeper.now() > time.time() + 2 * 86400
    link = portal(broker, key, serve_time=True)
    a = agent(svc, broker, "dev-3", signing.public_hex(key))
    try:
        wait_for(lambda: a.sync.state.trusted_at is not None, what="trusted time")
        assert abs(svc.timekeeper.now() - time.time()) < 60
        # a replayed (or forged) time message is refused: the nonce was used
        before = svc.timekeeper.now()
        stale = signing.sign_message(TrustedTime(device_id="dev-3", nonce="0" * 32, epoch=before + 86400), key)
        link.conn.publish("kidsafe/v1/devices/dev-3/time", dump(stale))
        time.sleep(0.5)
        assert abs(svc.timekeeper.now() - before) < 30
    finally:
        a.stop()
        svc.stop()
        link.stop()


def test_more_time_request_and_answer(broker, tmp_path: Path) -> None:
    from bridge_fixtures import cfg

    from mqtt_bridge.portal_api import TelemetryConsumer

    key = signing.generate()
    got: list = []
    consumer = TelemetryConsumer(cfg(broker, "portal"), lambda kind, m: got.append((kind, m)),
                                 group="req", client_id="portal-req").start()
    svc = service(tmp_path / "dev")
    a = agent(svc, broker, "dev-4", signing.public_hex(key))
    link = portal(broker, key)
    try:
        req = svc.usage.request_more_time(20, note="作业没写完")
        msg = wait_for(lambda: next((m for k, m in got if k == "requests"), None), what="request")
        assert msg.request_id == req["id"] and msg.minutes == 20 and msg.note == ""  # counts only: no text
        day = svc.usage.status().day
        before = svc.store.extra_minutes(day)
        link.answer("dev-4", req["id"], True, 15)
        link.answer("dev-4", req["id"], True, 15)  # a repeat grants nothing more
        wait_for(lambda: svc.store.extra_minutes(day) == before + 15, what="extra minutes")
        time.sleep(0.3)
        assert svc.store.extra_minutes(day) == before + 15
        assert svc.store.request(req["id"])["status"] == "approved"
    finally:
        a.stop()
        svc.stop()
        link.stop()
        consumer.stop()


def test_reporting_level_decides_whether_query_text_leaves(broker, tmp_path: Path) -> None:
    from bridge_fixtures import cfg

    from mqtt_bridge.portal_api import TelemetryConsumer

    key = signing.generate()
    got: list = []
    consumer = TelemetryConsumer(cfg(broker, "portal"), lambda kind, m: got.append(m), kinds=("events",),
                                 group="rep", client_id="portal-rep").start()
    svc = service(tmp_path / "dev")
    a = agent(svc, broker, "dev-5", signing.public_hex(key))
    link = portal(broker, key)
    try:
        svc.events.record({"kind": "search_blocked", "query": "色情直播", "categories": ["sexual"],
                           "audio": b"RIFF....", "reasons": [{"rule": "lexicon:sexual:色情", "matched": "色情"}]})
        first = wait_for(lambda: [m for m in got if m.kind == "search_blocked"], what="event")[0]
        assert first.safety and first.data["categories"] == ["sexual"]
        assert "query" not in first.data and "audio" not in first.data and "matched" not in first.data["reasons"][0]
        link.publish_policy("dev-5", {"schema_version": 1}, 1, reporting="with_text")
        link.wait_state("dev-5", lambda s: s.policy_version == 1)
        svc.events.record({"kind": "search_blocked", "query": "色情直播", "audio": b"x", "wav": "/tmp/a.wav"})
        second = wait_for(lambda: [m for m in got if m.kind == "search_blocked" and m.seq != first.seq],
                          what="second event")[0]
        assert second.data["query"] == "色情直播" and "audio" not in second.data and "wav" not in second.data
    finally:
        a.stop()
        svc.stop()
        link.stop()
        consumer.stop()


def test_an_unanswered_time_request_is_asked_again_and_a_late_answer_is_ignored(broker, tmp_path: Path) -> None:
    """The first time requests go unanswered (no time server yet): the agent asks again with a backoff
    instead of waiting an hour; a late answer to a superseded request is ignored quietly (its time may be
    stale; no refusal event for the parent); once the portal answers, the clock is trusted again."""
    key = signing.generate()  # dev-6: no earlier test's persistent session can hand it a queued time answer
    ft = FakeTime(wall_s=time.time() + 3 * 86400)  # the clock was set 3 days ahead while offline
    svc = service(tmp_path / "dev", clocks=ft.clocks())
    asked: list[str] = []
    watch = Connection(cfg(broker, "portal"), "portal-watch")
    watch.client.on_message = lambda c, u, m: asked.append(parse(TimeRequest, m.payload).nonce)
    watch.subscribe(topics.time_request("dev-6"))
    watch.start()
    link = portal(broker, key)  # not serving time yet
    a = agent(svc, broker, "dev-6", signing.public_hex(key), time_retry_s=0.5)
    try:
        wait_for(lambda: len(asked) >= 3, timeout=60, what="the time request asked again")
        late = signing.sign_message(TrustedTime(device_id="dev-6", nonce=asked[0], epoch=time.time() - 600), key)
        link.conn.publish(topics.trusted_time("dev-6"), dump(late))
        time.sleep(0.5)
        assert a.sync.state.trusted_at is None
        assert "time_refused" not in [e["kind"] for e in svc.events.recent()]
        link.serve_time()
        wait_for(lambda: a.sync.state.trusted_at is not None, timeout=60, what="trusted time after a retry")
        assert abs(svc.timekeeper.now() - time.time()) < 60
        # answered: the next request in an hour (set by the agent's thread just after trusted_at: wait for it)
        wait_for(lambda: a._next_time - time.monotonic() > 3000, timeout=30, what="the next request an hour away")
    finally:
        a.stop()
        svc.stop()
        link.stop()
        watch.stop()
