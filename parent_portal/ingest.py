"""Telemetry ingestion: a consumer separate from the web app. Several workers share one MQTT 5 shared
subscription ($share/portal/kidsafe/v1/devices/+/...) and write idempotently, so a QoS 1 repeat, a
resend after a reboot or two workers seeing one message change nothing:

    state        -> devices (online, versions, applied policy version and when); an online device
                    that reports an older policy than the child's gets it published again (the
                    broker may have lost the retained copy in a crash), at most once per interval
    usage        -> usage_days (a day's absolute total: the larger value wins)
    events       -> events (unique per device and seq; query text only if the child's reporting allows)
    requests     -> time_requests (unique per device and request id)
    time/request -> a signed TrustedTime answer on devices/{id}/time

A message is acknowledged only after its write committed (paho manual_ack), so a database error or a
killed worker means redelivery, not loss. Malformed payloads are logged once and dropped.
Stored usage, events and requests (a repeat too) are also acknowledged end to end to the device on
devices/{id}/acks (mqtt_bridge.acks.Acker): the device keeps its outbox row until then, so a broker
that dies before saving what it had acknowledged loses nothing.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from mqtt_bridge.acks import Acker
from parent_portal import bridge_link, requests_service
from parent_portal.db import make_engine, session_factory
from parent_portal.models import Child, Device, Event, UsageDay, utcnow
from parent_portal.policy_doc import policy_document
from parent_portal.settings import PortalSettings

log = logging.getLogger(__name__)
REPUBLISH_INTERVAL_S = 60.0  # a device still behind after this long gets its policy again
TEXT_KEYS = ("query", "text", "query_text")
STORED = frozenset({"usage", "events", "request"})  # what handle() returns after committing telemetry


def _when(epoch: float) -> datetime:
    """A device timestamp, never later than now (a device clock can be wrong)."""
    return min(datetime.fromtimestamp(epoch, UTC), utcnow())


def _first(data: dict[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = data.get(key)
        if isinstance(value, list) and value:
            value = value[0]
        if isinstance(value, dict):
            value = value.get("rule") or value.get("category")
        if isinstance(value, str) and value:
            return value[:200]
    return None


def _insert(db: Session, model: type, values: dict[str, Any], conflict: list[str], update: dict | None = None) -> None:
    """INSERT ... ON CONFLICT for SQLite and PostgreSQL (both have it)."""
    dialect = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(model).values(**values)
    if update is None:
        stmt = stmt.on_conflict_do_nothing(index_elements=conflict)
    else:
        stmt = stmt.on_conflict_do_update(index_elements=conflict, set_=update(stmt.excluded))
    db.execute(stmt)


def handle(db: Session, topic: str, raw: bytes, reply: Any = None, republish: Any = None) -> str:
    """Apply one telemetry message; returns what happened (for logs and tests). Commits on success.

    reply(topic, nonce, device_id) answers a trusted-time request; republish(device_id, version, doc)
    re-sends the child's policy in force to an online device that reports an older one."""
    parsed = bridge_link.parse_topic(topic)
    if parsed is None or parsed[1] not in bridge_link.TELEMETRY_LEAVES:
        return "ignored-topic"
    device_id, leaf = parsed
    if not raw:
        return "empty"  # a cleared retained message
    try:
        msg = bridge_link.parse_telemetry(leaf, raw)
    except bridge_link.PayloadError as exc:
        log.warning("dropped a malformed %s message from %s: %s", leaf, device_id, exc.en)
        return "malformed"
    if getattr(msg, "device_id", device_id) != device_id:
        log.warning("dropped a %s message naming another device than its topic (%s)", leaf, device_id)
        return "wrong-device"
    device = db.get(Device, device_id)
    if device is None:
        return "unknown-device"
    if leaf == "state":
        device.online = msg.online
        device.state = msg.model_dump(mode="json", exclude={"msg_id", "schema_version"})
        device.state_at = _when(msg.ts)
        if msg.policy_version and (device.applied_version or 0) < msg.policy_version:
            device.applied_version = msg.policy_version
            device.applied_at = _when(msg.ts)
        child = db.get(Child, device.child_id)
        behind = child is not None and msg.online and not msg.policy_error and msg.policy_version < child.policy_version
        if behind and republish is not None:
            db.commit()
            republish(device_id, child.policy_version,
                      policy_document(child.settings, child.birth_year, child.policy_version, child.timezone))
            return "state-behind"
    elif leaf == "usage":
        day = datetime.strptime(msg.day, "%Y-%m-%d").date()
        _insert(db, UsageDay, {"child_id": device.child_id, "device_id": device_id, "day": day,
                               "used_s": int(msg.used_s)}, ["device_id", "day"],
                lambda new: {"used_s": _greatest(db, UsageDay.used_s, new.used_s)})
    elif leaf == "events":
        child = db.get(Child, device.child_id)
        with_text = child is not None and child.settings.get("reporting") == "with_text"
        data = dict(msg.data)
        text = _first(data, *TEXT_KEYS) if with_text else None
        for key in TEXT_KEYS:
            data.pop(key, None)  # the words live only in query_text, and only when allowed
        _insert(db, Event, {"child_id": device.child_id, "device_id": device_id, "msg_id": f"seq-{msg.seq}",
                            "kind": msg.kind, "at": _when(msg.ts), "category": _first(data, "category", "categories"),
                            "rule": _first(data, "rule", "reasons"), "view": _first(data, "view", "disguise"),
                            "query_text": text, "data": data}, ["device_id", "msg_id"])
    elif leaf == "requests":
        db.commit()
        requests_service.record(db, device, str(msg.request_id), msg.minutes, msg.note)
        return "request"
    elif leaf == "time/request":
        if reply is not None:
            reply(bridge_link.time_topic(device_id), msg.nonce, device_id)
        return "time"
    db.commit()
    return leaf


def _greatest(db: Session, old: Any, new: Any) -> Any:
    from sqlalchemy import func

    return func.greatest(old, new) if db.get_bind().dialect.name == "postgresql" else func.max(old, new)


class TelemetryWorker:
    """One ingestion worker: an MQTT 5 client in the shared group, writing through `handle`."""

    def __init__(self, settings: PortalSettings, name: str | None = None, shared: bool = True,
                 sessions: sessionmaker[Session] | None = None, mqtt5: bool = True) -> None:
        """mqtt5=False: MQTT 3.1.1 for brokers without version 5 (the demo's embedded amqtt); then the
        subscription is not shared, so run one such worker only."""
        self.settings = settings
        # A named worker keeps its broker session (queued messages wait for it across restarts); an
        # anonymous one does not, so a stopped test or one-off worker takes no share of the stream.
        self.persistent = name is not None
        self.name = name or uuid.uuid4().hex[:8]
        self.mqtt5 = mqtt5
        self.shared = shared and mqtt5
        self.sessions = sessions or session_factory(make_engine(settings.sqlalchemy_url()))
        self.key = bridge_link.load_or_create_key(settings.signing_key_file())
        self.handled = 0
        self.subscribed = threading.Event()
        self._lock = threading.Lock()
        extra = {} if mqtt5 else {"clean_session": not self.persistent}
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"portal-ingest-{self.name}",
                                  protocol=mqtt.MQTTv5 if mqtt5 else mqtt.MQTTv311, manual_ack=True, **extra)
        if settings.mqtt_username:
            pw = settings.mqtt_password.get_secret_value() if settings.mqtt_password else None
            self.client.username_pw_set(settings.mqtt_username, pw)
        self.client.on_connect = self._on_connect
        self.client.on_message = self._on_message
        self.client.on_subscribe = lambda *a: self.subscribed.set()
        self.client.reconnect_delay_set(1, 30)
        self.acker = Acker.for_client(self.client)
        self._republished: dict[str, tuple[int, float]] = {}  # device -> (version, when): one entry per device

    def _on_connect(self, client: mqtt.Client, userdata: Any, flags: Any, rc: Any, props: Any = None) -> None:
        if rc.is_failure:
            log.warning("ingest worker %s: broker refused the connection (%s)", self.name, rc)
            return
        filters = [bridge_link.telemetry_filter(leaf, self.shared) for leaf in bridge_link.TELEMETRY_LEAVES]
        client.subscribe([(f, 1) for f in filters])

    def _reply_time(self, topic: str, nonce: str, device_id: str) -> None:
        self.client.publish(topic, bridge_link.trusted_time_message(self.key, device_id, nonce), qos=1)

    def _republish(self, device_id: str, version: int, doc: dict[str, Any]) -> None:
        """Re-send the policy in force, retained, to a device reporting an older one (at most once per
        REPUBLISH_INTERVAL_S per device and version, so a slow device is not flooded)."""
        now = time.monotonic()
        with self._lock:
            last = self._republished.get(device_id)
            if last is not None and last[0] == version and now - last[1] < REPUBLISH_INTERVAL_S:
                return
            self._republished[device_id] = (version, now)
        log.info("device %s reports an older policy than %s: publishing it again", device_id, version)
        self.client.publish(bridge_link.policy_topic(device_id),
                            bridge_link.policy_message(self.key, device_id, version, doc), qos=1, retain=True)

    def _on_message(self, client: mqtt.Client, userdata: Any, message: mqtt.MQTTMessage) -> None:
        try:
            with self.sessions() as db:
                outcome = handle(db, message.topic, message.payload, self._reply_time, self._republish)
        except Exception:
            log.exception("ingest worker %s: write failed; the broker will redeliver", self.name)
            return  # not acknowledged
        client.ack(message.mid, message.qos)
        if outcome in STORED:
            self.acker.ack_raw(message.topic, message.payload)
        with self._lock:
            self.handled += 1

    def start(self) -> None:
        self.acker.start()
        if not self.mqtt5:
            self.client.connect_async(self.settings.mqtt_host, self.settings.mqtt_port, keepalive=30)
            self.client.loop_start()
            return
        props = Properties(PacketTypes.CONNECT)
        props.SessionExpiryInterval = 86400 if self.persistent else 0  # a day for a restarted named worker
        self.client.connect_async(self.settings.mqtt_host, self.settings.mqtt_port, keepalive=30,
                                  clean_start=not self.persistent, properties=props)
        self.client.loop_start()

    def stop(self) -> None:
        self.acker.stop()
        self.client.loop_stop()
        self.client.disconnect()
