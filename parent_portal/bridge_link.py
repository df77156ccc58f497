"""The portal's side of the MQTT contract, as a thin adapter over mqtt_bridge (topics, payloads, signing).

Policies, answers and trusted time leave signed with the portal's Ed25519 key (the device gets the
public key when it pairs); telemetry arrives as the bridge's pydantic payloads.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from mqtt_bridge import payloads, signing, topics

TELEMETRY_LEAVES: tuple[str, ...] = ("state", "usage", "events", "requests", "time/request")
SHARE_GROUP = "portal"
PayloadError = payloads.PayloadError


DeviceId = payloads.DeviceId


def valid_device_id(device_id: str) -> bool:
    try:
        topics.check_id(device_id)
    except topics.TopicError:
        return False
    return True


def policy_topic(device_id: str) -> str:
    return topics.policy(device_id)


def state_topic(device_id: str) -> str:
    return topics.state(device_id)


def telemetry_filter(leaf: str, shared: bool = True) -> str:
    """What an ingestion worker subscribes to; shared: the workers split the stream ($share/portal/...)."""
    topic_filter = topics.all_devices(leaf)
    return topics.shared(SHARE_GROUP, topic_filter) if shared else topic_filter


def parse_topic(topic: str) -> tuple[str, str] | None:
    """'kidsafe/v1/devices/ID/LEAF' -> (ID, LEAF); None for anything else."""
    parts = topics.parse(topic)
    if parts is None or parts[0] != "devices":
        return None
    return parts[1], parts[2]


def load_or_create_key(path: Path) -> Ed25519PrivateKey:
    """The portal's signing key (created 0600 on first use)."""
    if not path.exists():
        signing.save_private(signing.generate(), path)
    return signing.load_private(path)


def public_key_hex(key: Ed25519PrivateKey) -> str:
    return signing.public_hex(key)


def _signed(key: Ed25519PrivateKey, msg: payloads.SignedMessage) -> bytes:
    return payloads.dump(signing.sign_message(msg, key))


def policy_message(key: Ed25519PrivateKey, device_id: str, version: int, policy: dict[str, Any]) -> bytes:
    reporting = "with_text" if policy.get("reporting_level") == "with_text" else "counts"
    return _signed(key, payloads.PolicyMessage(device_id=device_id, version=version, issued_at=time.time(),
                                               policy=policy, reporting=reporting))


def answer_topic(device_id: str) -> str:
    return topics.answers(device_id)


def answer_message(key: Ed25519PrivateKey, device_id: str, request_id: int, approved: bool, minutes: int,
                   day: date) -> bytes:
    return _signed(key, payloads.MoreTimeAnswer(device_id=device_id, request_id=request_id, approved=approved,
                                                minutes=minutes if approved else 0, day=day.isoformat(),
                                                answered_at=time.time()))


def time_topic(device_id: str) -> str:
    return topics.trusted_time(device_id)


def trusted_time_message(key: Ed25519PrivateKey, device_id: str, nonce: str) -> bytes:
    return _signed(key, payloads.TrustedTime(device_id=device_id, nonce=nonce, epoch=time.time()))


MODELS: dict[str, type[payloads.Message]] = {
    "state": payloads.StateMessage,
    "usage": payloads.UsageMessage,
    "events": payloads.EventMessage,
    "requests": payloads.MoreTimeRequest,
    "time/request": payloads.TimeRequest,
}


def parse_telemetry(leaf: str, raw: bytes) -> payloads.Message:
    """The bridge's model for this leaf; raises PayloadError for anything malformed."""
    return payloads.parse(MODELS[leaf], raw)
