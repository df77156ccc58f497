"""Unit tests of the MQTT contract: topic names, payload models, signatures."""

from __future__ import annotations

import json

import pytest

from mqtt_bridge import payloads as P
from mqtt_bridge import signing, topics


def test_topics_follow_the_contract() -> None:
    assert topics.policy("dev-1") == "kidsafe/v1/devices/dev-1/policy"
    assert topics.state("dev-1") == "kidsafe/v1/devices/dev-1/state"
    assert topics.usage("dev-1") == "kidsafe/v1/devices/dev-1/usage"
    assert topics.events("dev-1") == "kidsafe/v1/devices/dev-1/events"
    assert topics.requests("dev-1") == "kidsafe/v1/devices/dev-1/requests"
    assert topics.bundles("pilot") == "kidsafe/v1/fleet/pilot/bundles"
    assert topics.shared("portal", topics.all_devices("events")) == "$share/portal/kidsafe/v1/devices/+/events"
    assert topics.parse("kidsafe/v1/devices/dev-1/time/request") == ("devices", "dev-1", "time/request")
    assert topics.parse("other/v1/devices/x/state") is None


@pytest.mark.parametrize("bad", ["", "a/b", "+", "#", "dev 1", "x" * 65, "ü"])
def test_ids_that_would_break_a_topic_are_refused(bad: str) -> None:
    with pytest.raises(topics.TopicError):
        topics.state(bad)


def test_every_message_has_schema_version_and_id() -> None:
    ev = P.EventMessage(device_id="d1", seq=3, ts=1.0, kind="search_blocked", safety=True)
    doc = json.loads(P.dump(ev))
    assert doc["schema_version"] == 1 and len(doc["msg_id"]) == 32
    assert P.parse(P.EventMessage, P.dump(ev)) == ev


@pytest.mark.parametrize("raw", [
    b"not json", b"[1,2]", b'{"schema_version": 2}', b"[" * 100_000,
    b'{"schema_version":1,"msg_id":"x","device_id":"d","day":"2026-01-01","used_s":NaN,"ts":1}',
    b'{"schema_version":1,"msg_id":"x","device_id":"d/x","day":"2026-01-01","used_s":1,"ts":1}',
    b'{"schema_version":1,"msg_id":"x","device_id":"d","day":"2026-01-01","used_s":1,"ts":1,"extra":1}',
])
def test_bad_payloads_raise_payload_error_only(raw: bytes) -> None:
    with pytest.raises(P.PayloadError):
        P.parse(P.UsageMessage, raw)


def test_signed_message_verifies_and_any_change_breaks_it() -> None:
    key, other = signing.generate(), signing.generate()
    msg = P.PolicyMessage(device_id="d1", version=2, issued_at=100.0, policy={"schema_version": 1})
    signed = signing.sign_message(msg, key)
    assert signing.verify_message(signed, [signing.public_hex(key)])
    assert not signing.verify_message(signed, [signing.public_hex(other)])
    assert not signing.verify_message(msg, [signing.public_hex(key)])
    tampered = signed.model_copy(update={"version": 3})
    assert not signing.verify_message(tampered, [signing.public_hex(key)])
    # survives a round trip through the wire format
    again = P.parse(P.PolicyMessage, P.dump(signed))
    assert signing.verify_message(again, [signing.public_hex(key)])


def test_threshold_counts_each_key_once() -> None:
    k1, k2 = signing.generate(), signing.generate()
    keys = {signing.key_id(signing.public_hex(k)): P.PublicKey(public=signing.public_hex(k)) for k in (k1, k2)}
    role = P.Role(keyids=tuple(keys), threshold=2)
    data = b"payload"
    s1 = signing.sign_bytes(k1, data)
    assert signing.count_valid(data, [s1, s1], role, keys) == 1
    assert signing.count_valid(data, [s1, signing.sign_bytes(k2, data)], role, keys) == 2
    assert signing.count_valid(b"other", [s1], role, keys) == 0


def test_safety_kinds_and_redaction() -> None:
    from mqtt_bridge.telemetry import is_safety, redact

    assert is_safety("boot_time_gap") and is_safety("bundle_refused") and is_safety("search_blocked")
    assert not is_safety("always_allowed")
    data = {"query": "色情直播", "categories": ["sexual"], "pcm": b"\x00\x01", "items": [{"title": "t", "n": 1}]}
    assert redact(data, "counts") == {"categories": ["sexual"], "items": [{"n": 1}]}
    assert redact(data, "with_text") == {"query": "色情直播", "categories": ["sexual"],
                                         "items": [{"title": "t", "n": 1}]}
