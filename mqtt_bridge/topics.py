"""Every MQTT topic kidsafe uses, all under `kidsafe/v1/` (see ../shared/DESIGN.md and README.md).

Direction, retain flag and QoS are part of the contract:

    devices/{id}/policy          portal -> device    retained, QoS 1   PolicyMessage (signed)
    devices/{id}/state           device -> portal    retained, QoS 1   StateMessage; last will = offline
    devices/{id}/usage           device -> portal    QoS 1             UsageMessage (day totals, idempotent)
    devices/{id}/events          device -> portal    QoS 1             EventMessage (one per device event)
    devices/{id}/requests        device -> portal    QoS 1             MoreTimeRequest (the child's ask)
    fleet/{cohort}/bundles       operator -> devices retained, QoS 1   BundleMessage (signed metadata + files)

Additions of the bridge (documented in mqtt_bridge/README.md):

    devices/{id}/answers         portal -> device    QoS 1             MoreTimeAnswer (signed; grant/deny)
    devices/{id}/time/request    device -> portal    QoS 1             TimeRequest (a fresh nonce)
    devices/{id}/time            portal -> device    QoS 1             TrustedTime (signed, echoes the nonce)
    devices/{id}/acks            portal -> device    QoS 1             TelemetryAck (msg ids the portal stored)
    fleet/{cohort}/chunks/{sha256}/{index}  operator -> devices  retained  a chunk of a large bundle file

Telemetry consumers share the stream with MQTT 5 shared subscriptions: `shared(...)`.
"""

from __future__ import annotations

import re

PREFIX = "kidsafe/v1"
_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")

RETAINED = ("policy", "state", "bundles")
DEVICE_TO_PORTAL = ("state", "usage", "events", "requests", "time/request")
PORTAL_TO_DEVICE = ("policy", "answers", "time", "acks")
TELEMETRY = ("usage", "events", "requests")


class TopicError(ValueError):
    """A device id or cohort that cannot be a single topic level."""


def check_id(value: str, what: str = "device id") -> str:
    """Device ids and cohorts are one topic level: letters, digits, '_', '.', '-' (no '/', '+', '#')."""
    if not isinstance(value, str) or not _ID_RE.match(value):
        raise TopicError(f"invalid {what} {value!r}: use 1-64 letters, digits, '_', '.', '-'")
    return value


def device_topic(device_id: str, leaf: str) -> str:
    return f"{PREFIX}/devices/{check_id(device_id)}/{leaf}"


def policy(device_id: str) -> str:
    return device_topic(device_id, "policy")


def state(device_id: str) -> str:
    return device_topic(device_id, "state")


def usage(device_id: str) -> str:
    return device_topic(device_id, "usage")


def events(device_id: str) -> str:
    return device_topic(device_id, "events")


def requests(device_id: str) -> str:
    return device_topic(device_id, "requests")


def answers(device_id: str) -> str:
    return device_topic(device_id, "answers")


def time_request(device_id: str) -> str:
    return device_topic(device_id, "time/request")


def trusted_time(device_id: str) -> str:
    return device_topic(device_id, "time")


def acks(device_id: str) -> str:
    """End-to-end telemetry acknowledgements: the device deletes an outbox row only when its msg id
    arrives here (after the portal committed it), not on the broker's PUBACK."""
    return device_topic(device_id, "acks")


def bundles(cohort: str) -> str:
    return f"{PREFIX}/fleet/{check_id(cohort, 'cohort')}/bundles"


def chunk(cohort: str, sha256: str, index: int) -> str:
    return f"{PREFIX}/fleet/{check_id(cohort, 'cohort')}/chunks/{sha256}/{int(index)}"


# -- wildcards for the portal / operator side ------------------------------------------------------
def all_devices(leaf: str) -> str:
    """e.g. all_devices("state") -> kidsafe/v1/devices/+/state"""
    return f"{PREFIX}/devices/+/{leaf}"


def shared(group: str, topic_filter: str) -> str:
    """An MQTT 5 shared subscription: consumers in one group split the stream ($share/portal/...)."""
    return f"$share/{check_id(group, 'share group')}/{topic_filter}"


def parse(topic: str) -> tuple[str, str, str] | None:
    """Split a kidsafe topic into (kind, id, leaf): ("devices", id, "state") or ("fleet", cohort, "bundles").

    Returns None for topics outside kidsafe/v1 or with an invalid id.
    """
    if not topic.startswith(PREFIX + "/"):
        return None
    parts = topic[len(PREFIX) + 1:].split("/")
    if len(parts) < 3 or parts[0] not in ("devices", "fleet") or not _ID_RE.match(parts[1]):
        return None
    return parts[0], parts[1], "/".join(parts[2:])
