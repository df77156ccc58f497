"""Policy publishing over a real mosquitto: pairing, a signed retained policy per save, "applied on the
device at ..." from the device's state, "more time" answered on the device's topic, broker outages."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from portal_support import SimDevice, child_today, live_portal, pair_device, wait_for

from device.policy import validate
from mqtt_bridge import payloads, signing
from parent_portal.models import Child, TimeRequest

SETTINGS = {"weekday_limit_min": "45", "weekend_limit_min": "90", "night_enabled": "on", "night_start": "21:30",
            "night_end": "06:30", "break_after_min": "25", "break_pause_min": "5", "blocked_categories": ["sexual",
            "violence", "gambling"], "block_words": "王者荣耀\n吃鸡", "allow_words": "", "voice_enabled": "on",
            "reporting": "counts", "language": "zh"}


@pytest.fixture
def portal(tmp_path, portal_broker):  # noqa: ANN001, ANN201
    with live_portal(tmp_path, portal_broker.port) as running:
        yield running


@contextmanager
def paired_device(portal, port: int, name: str, device_id: str) -> Iterator[tuple[int, dict, SimDevice]]:  # noqa: ANN001
    """A child of the signed-in parent with one paired simulated device on the broker."""
    _client, parent, _worker = portal
    child_id = parent.add_child(name, 2014)
    creds = pair_device(parent, child_id, device_id)
    device = SimDevice(port, device_id)
    try:
        yield child_id, creds, device
    finally:
        device.close()


def policy_of(raw: bytes, public: str) -> payloads.PolicyMessage:
    msg = payloads.parse(payloads.PolicyMessage, raw)
    assert signing.verify_message(msg, [public]), "policy not signed by the portal's key"
    validate(msg.policy)  # the device's own model accepts it
    return msg


def test_pairing_then_saving_publishes_a_signed_retained_policy(portal, portal_broker) -> None:
    client, parent, _ = portal
    child_id = parent.add_child("小明", 2016)
    creds = pair_device(parent, child_id, "speaker-1")
    assert creds["policy_topic"] == "kidsafe/v1/devices/speaker-1/policy" and creds["mqtt"]["password"]
    device = SimDevice(portal_broker.port, "speaker-1")
    try:
        first = policy_of(device.next_message("policy"), creds["portal_public_key"])
        assert first.version == 1 and first.policy["age_band"] == "8-11"
        assert first.policy["time"]["daily_limit_min"] == {"weekday": 60, "weekend": 60}  # CAC default for 8-11
        r = parent.post(f"/children/{child_id}/settings", SETTINGS, token_from=f"/children/{child_id}")
        assert r.status_code == 303
        second = policy_of(device.next_message("policy"), creds["portal_public_key"])
        assert second.version == 2 and second.reporting == "counts"
        assert second.policy["time"]["daily_limit_min"] == {"weekday": 45, "weekend": 90}
        assert second.policy["block_words"] == ["王者荣耀", "吃鸡"] and second.policy["blocked_categories"] == [
            "sexual", "violence", "gambling"]
    finally:
        device.close()
    # a device that connects later gets the retained policy
    late = SimDevice(portal_broker.port, "speaker-1")
    try:
        assert policy_of(late.next_message("policy"), creds["portal_public_key"]).version == 2
    finally:
        late.close()


def test_page_waits_for_the_device_then_shows_when_it_applied(portal, portal_broker) -> None:
    client, parent, worker = portal
    child_id = parent.add_child("小红", 2012)
    pair_device(parent, child_id, "watch-2")
    page = client.get(f"/children/{child_id}")
    assert "applied-watch-2" in page.text and "等待设备应用设置" in page.text
    device = SimDevice(portal_broker.port, "watch-2")
    try:
        device.state(policy_version=1)
        wait_for(lambda: "设备已于" in client.get(f"/children/{child_id}").text, what="applied status")
        parent.post(f"/children/{child_id}/settings", SETTINGS, token_from=f"/children/{child_id}")
        assert "等待设备应用设置" in client.get(f"/children/{child_id}").text  # version 2 not applied yet
    finally:
        device.close()


def test_more_time_request_reaches_the_parent_and_the_answer_the_device(portal, portal_broker) -> None:
    client, parent, worker = portal
    with paired_device(portal, portal_broker.port, "小刚", "tablet-3") as (child_id, creds, device):
        device.next_message("policy")
        ask = payloads.MoreTimeRequest(device_id="tablet-3", request_id=7, minutes=20, day=child_today().isoformat(),
                                       created=time.time(), note="作业还没做完")
        device.publish("requests", ask)
        device.publish("requests", ask)  # a QoS 1 repeat
        wait_for(lambda: "作业还没做完" in client.get(f"/children/{child_id}/requests").text, what="request shown")
        with client.app.state.sessions() as db:
            rows = db.query(TimeRequest).filter_by(child_id=child_id).all()
        assert len(rows) == 1
        r = parent.post(f"/requests/{rows[0].id}/answer", {"action": "approve", "minutes": "30"},
                        token_from=f"/children/{child_id}/requests")
        assert r.status_code == 303
        answer = payloads.parse(payloads.MoreTimeAnswer, device.next_message("answers"))
        assert signing.verify_message(answer, [creds["portal_public_key"]])
        assert answer.approved and answer.minutes == 30 and answer.request_id == 7
        assert answer.day == child_today().isoformat()  # the child's day (Asia/Shanghai), not the machine's
        with pytest.raises(AssertionError):  # the device grants from the answer: no second grant in a policy
            device.next_message("policy", timeout=1.0)
        assert "已同意：30 分钟" in client.get(f"/children/{child_id}/requests").text
        assert "今天：已用 0 / 90 分钟" in client.get("/").text  # 60 (age band) + 30 granted


def test_trusted_time_is_answered_signed_with_the_nonce(portal, portal_broker) -> None:
    with paired_device(portal, portal_broker.port, "小丽", "speaker-4") as (_child_id, creds, device):
        nonce = "ab" * 16
        device.publish("time/request", payloads.TimeRequest(device_id="speaker-4", nonce=nonce))
        reply = payloads.parse(payloads.TrustedTime, device.next_message("time"))
        assert reply.nonce == nonce and abs(reply.epoch - time.time()) < 30
        assert signing.verify_message(reply, [creds["portal_public_key"]])


def test_saving_while_the_broker_is_down_keeps_the_settings(portal, portal_broker) -> None:
    client, parent, worker = portal
    child_id = parent.add_child("小军", 2014)
    pair_device(parent, child_id, "speaker-5")
    portal_broker.stop()
    try:
        r = parent.post(f"/children/{child_id}/settings", SETTINGS, token_from=f"/children/{child_id}")
        assert r.status_code == 303
        with client.app.state.sessions() as db:
            child = db.get(Child, child_id)
            assert child.policy_version == 2 and child.settings["weekday_limit_min"] == 45
        assert "等待设备应用设置" in client.get(f"/children/{child_id}").text
    finally:
        portal_broker.start()


def test_invalid_settings_are_refused_with_a_message_and_nothing_is_sent(portal) -> None:
    client, parent, _ = portal
    child_id = parent.add_child("小美", 2016)
    bad = {**SETTINGS, "weekday_limit_min": "2000"}
    r = parent.post(f"/children/{child_id}/settings", bad, token_from=f"/children/{child_id}")
    assert r.status_code == 400 and "0 到 1440 之间的整数" in r.text
    with client.app.state.sessions() as db:
        assert db.get(Child, child_id).policy_version == 0


def test_other_clients_cannot_pair_a_device_twice(portal) -> None:
    client, parent, _ = portal
    child_id = parent.add_child("小亮", 2016)
    pair_device(parent, child_id, "speaker-6")
    r = client.post("/api/pair/start", json={"device_id": "speaker-6"})
    assert r.status_code == 409  # the parent must unpair first: a device id cannot be taken over
    assert client.post("/api/pair/start", json={"device_id": "../#"}).status_code == 422


