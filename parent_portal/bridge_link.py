"""The portal's side of the MQTT contract (DESIGN.md: topics under kidsafe/v1/).

A thin adapter: topic names and payload shapes live in mqtt_bridge/topics.py and payloads.py once
they are merged; until then the same names are written here from the DESIGN.md contract.
"""

from __future__ import annotations

import json
import time
from typing import Any

PREFIX = "kidsafe/v1"
SCHEMA_VERSION = 1


def policy_topic(device_id: str) -> str:
    return f"{PREFIX}/devices/{device_id}/policy"


def state_topic(device_id: str) -> str:
    return f"{PREFIX}/devices/{device_id}/state"


# what the telemetry consumer subscribes to (wildcard over devices)
TELEMETRY_TOPICS = ("state", "usage", "events", "requests")


def telemetry_filter(kind: str, share: str | None = "portal") -> str:
    topic = f"{PREFIX}/devices/+/{kind}"
    return f"$share/{share}/{topic}" if share else topic


def parse_topic(topic: str) -> tuple[str, str] | None:
    """'kidsafe/v1/devices/ID/KIND' -> (ID, KIND); None for anything else."""
    parts = topic.split("/")
    if len(parts) != 5 or "/".join(parts[:2]) != PREFIX or parts[2] != "devices":
        return None
    return parts[3], parts[4]


def policy_message(device_id: str, version: int, policy: dict[str, Any]) -> bytes:
    """The retained policy envelope: schema version, policy version, issue time, the policy itself."""
    envelope = {
        "schema_version": SCHEMA_VERSION,
        "device_id": device_id,
        "version": version,
        "issued_at": time.time(),
        "policy": policy,
    }
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
