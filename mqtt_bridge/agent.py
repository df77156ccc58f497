"""The device agent: keeps one device in touch with its parent's portal and its maker's fleet.

One thread runs paho's network loop and everything that touches the connection: connect (MQTT 5,
falling back to 3.1.1 for brokers that only speak that), reconnect with backoff and jitter,
subscriptions, retained presence with a retained last will (`online: false`), policy / answers /
trusted time, and publishing the outbox with QoS 1. A row leaves the outbox only when the portal
acknowledges it end to end on devices/{id}/acks (after its database commit), not on the broker's
PUBACK: a broker killed before it saved a message loses nothing, the row is sent again after a
reconnect or after `ack_timeout_s`, and the consumer drops the repeat by msg id.
Bundles are applied in the updater's own thread. Nothing here is needed to enforce the rules:
the device keeps working offline with the policy and word packs in force.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt

from mqtt_bridge import topics
from mqtt_bridge.client import Backoff, BrokerConfig, connect_kwargs, make_client
from mqtt_bridge.outbox import Outbox
from mqtt_bridge.payloads import PayloadError, StateMessage, TelemetryAck, TimeRequest, dump, parse
from mqtt_bridge.policy_sync import PolicySync
from mqtt_bridge.telemetry import Telemetry

log = logging.getLogger(__name__)
WINDOW = 50  # QoS 1 messages in flight at once
CONNACK_TIMEOUT_S = 5.0


@dataclass(slots=True)
class AgentSettings:
    device_id: str
    broker: BrokerConfig
    home: Path
    cohort: str = "default"
    portal_keys: list[str] = field(default_factory=list)
    state_interval_s: float = 60.0
    drain_interval_s: float = 0.5
    time_interval_s: float = 3600.0  # a new trusted time after an answer
    time_retry_s: float = 5.0  # an unanswered time request is asked again after ~this, doubling (jitter),
    time_retry_cap_s: float = 300.0  # up to this (never longer than time_interval_s)
    ack_timeout_s: float = 30.0  # a row sent but not acknowledged by the portal goes again (doubling, <= 1 h)

    def __post_init__(self) -> None:
        topics.check_id(self.device_id)
        topics.check_id(self.cohort, "cohort")
        self.home = Path(self.home)


class DeviceAgent:
    def __init__(self, service: Any, settings: AgentSettings, updater: Any = None) -> None:
        self.service = service
        self.settings = settings
        self.device_id = settings.device_id
        folder = settings.home / "agent"
        folder.mkdir(parents=True, exist_ok=True)
        self.outbox = Outbox(folder / "outbox.sqlite3")
        self.sync = PolicySync(self.device_id, service, folder / "state.json", settings.portal_keys)
        self.telemetry = Telemetry(self.device_id, service, self.outbox, lambda: self.sync.state.reporting)
        self.updater = updater
        if updater is not None:
            updater.on_change = self.mark_dirty
        self.protocol = settings.broker.protocol
        self.backoff = Backoff()
        self.client: mqtt.Client | None = None
        self.connected = threading.Event()
        self._inflight: dict[int, int] = {}
        self._skip: set[int] = set()
        self._dirty = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._next_attempt = 0.0
        self._connect_started = 0.0
        self._last = {"drain": 0.0, "state": 0.0}
        self._next_time = 0.0  # monotonic: when to ask for trusted time (again)
        self.time_backoff = Backoff(settings.time_retry_s, min(settings.time_retry_cap_s, settings.time_interval_s))
        self._chunk_subs: set[str] = set()
        self._chunk_prefix = topics.chunk(settings.cohort, "x", 0).rsplit("/", 2)[0] + "/"
        self.connects = 0

    # -- lifecycle ------------------------------------------------------------------------------
    def start(self) -> DeviceAgent:
        self._thread = threading.Thread(target=self.run, name=f"agent-{self.device_id}", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self.outbox.close()

    def mark_dirty(self) -> None:
        self._dirty.set()

    def run(self) -> None:
        while not self._stop.is_set():
            try:
                self._step()
            except Exception:
                log.exception("agent step failed; reconnecting")
                self._drop_connection()
        self._drop_connection(publish_offline=True)

    def _step(self) -> None:
        if self.client is None:
            if time.monotonic() < self._next_attempt:
                self._stop.wait(0.05)
                return
            self._connect()
            return
        rc = self.client.loop(timeout=0.05)
        if rc != mqtt.MQTT_ERR_SUCCESS:
            self._drop_connection()
            return
        if not self.connected.is_set() and time.monotonic() - self._connect_started > CONNACK_TIMEOUT_S:
            if self.protocol == "auto" and self.connects == 0:
                log.info("no answer to an MQTT 5 CONNECT; trying MQTT 3.1.1")
                self.protocol = "3.1.1"  # e.g. amqtt, which only speaks 3.1.1 and stays silent
            self._drop_connection()
            return
        if self.connected.is_set():
            self._pump()

    # -- connection -------------------------------------------------------------------------------
    def _connect(self) -> None:
        proto = mqtt.MQTTProtocolVersion.MQTTv311 if self.protocol in ("3.1.1", "311") else \
            mqtt.MQTTProtocolVersion.MQTTv5
        client = make_client(self.settings.broker, self.device_id, proto, persistent=True)
        will = self.state_message(online=False)
        client.will_set(topics.state(self.device_id), dump(will), qos=1, retain=True)
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_message = self._on_message
        client.on_publish = self._on_publish
        self._connect_started = time.monotonic()
        try:
            client.connect(**connect_kwargs(client, self.settings.broker, persistent=True))
        except (OSError, ValueError) as exc:
            self._schedule_retry(f"cannot reach {self.settings.broker.url()}: {exc}")
            return
        self.client = client

    def _schedule_retry(self, why: str) -> None:
        delay = self.backoff.next()
        log.info("broker unavailable (%s); retrying in %.1f s", why, delay)
        self._next_attempt = time.monotonic() + delay

    def _drop_connection(self, publish_offline: bool = False) -> None:
        client, self.client = self.client, None
        was_connected = self.connected.is_set()
        self.connected.clear()
        self._inflight.clear()
        if client is None:
            return
        try:
            if publish_offline and was_connected:
                info = client.publish(topics.state(self.device_id), dump(self.state_message(online=False)),
                                      qos=1, retain=True)
                deadline = time.monotonic() + 2
                while not info.is_published() and time.monotonic() < deadline:
                    client.loop(0.05)
            client.disconnect()
        except Exception:
            pass
        finally:
            try:
                client.socket() and client.socket().close()  # type: ignore[func-returns-value]
            except Exception:
                pass
        if not publish_offline:
            self._schedule_retry("connection lost")

    def _on_connect(self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, props: Any) -> None:
        if reason.is_failure:
            if self.protocol == "auto" and "protocol" in str(reason).lower():
                log.info("broker does not speak MQTT 5; using 3.1.1")
                self.protocol = "3.1.1"
            log.warning("broker refused the connection: %s", reason)
            return
        self.connects += 1
        self.backoff.reset()
        self._inflight.clear()
        self._skip.clear()
        self._chunk_subs = set()  # subscribed again by _sync_chunk_subscriptions
        self.outbox.requeue_sent()  # the broker may have died with rows it had acknowledged
        did = self.device_id
        subs = [(topics.policy(did), 1), (topics.answers(did), 1), (topics.trusted_time(did), 1),
                (topics.acks(did), 1)]
        if self.updater is not None:
            subs += [(topics.bundles(self.settings.cohort), 1)]
        client.subscribe(subs)
        self.connected.set()
        self._publish_state(client)
        self._ask_time(client)

    def _on_disconnect(self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, props: Any) -> None:
        if self.protocol == "auto" and not self.connected.is_set() and self.connects == 0:
            self.protocol = "3.1.1"  # closed before any CONNACK: an MQTT 3.1.1-only broker
        self.connected.clear()

    # -- incoming ---------------------------------------------------------------------------------
    def _on_message(self, client: mqtt.Client, userdata: Any, message: mqtt.MQTTMessage) -> None:
        did, topic = self.device_id, message.topic
        try:
            if topic == topics.policy(did):
                outcome = self.sync.on_policy(message.payload)
                self._dirty.set()
                log.info("policy: %s", outcome.reason)
            elif topic == topics.answers(did):
                log.info("answer: %s", self.sync.on_answer(message.payload).reason)
                self._dirty.set()
            elif topic == topics.acks(did):
                self._on_ack(message.payload)
            elif topic == topics.trusted_time(did):
                outcome = self.sync.on_time(message.payload)
                log.info("trusted time: %s", outcome.reason)
                if outcome.changed:  # answered: the next request in an hour, a fresh backoff then
                    self.time_backoff.reset()
                    self._next_time = time.monotonic() + self.settings.time_interval_s
                self._dirty.set()
            elif self.updater is not None and topic == topics.bundles(self.settings.cohort):
                self.updater.offer(message.payload)
            elif self.updater is not None and topic.startswith(self._chunk_prefix):
                self.updater.offer_chunk(message.payload)
        except Exception:
            log.exception("message on %s could not be handled", topic)

    def _on_ack(self, raw: bytes) -> None:
        try:
            ack = parse(TelemetryAck, raw)
        except PayloadError as exc:
            log.warning("ignored a telemetry ack: %s", exc.en)
            return
        if ack.device_id != self.device_id:
            log.warning("ignored a telemetry ack addressed to %s", ack.device_id)
            return
        self.outbox.confirm(ack.msg_ids)

    def _on_publish(self, client: mqtt.Client, userdata: Any, mid: int, reason: Any, props: Any) -> None:
        row = self._inflight.pop(mid, None)
        if row is None:
            return
        if getattr(reason, "is_failure", False):
            log.error("broker refused outbox row %s: %s", row, reason)
            self._skip.add(row)  # retried after the next reconnect
            return
        self.outbox.mark_sent(row, self.settings.ack_timeout_s)  # kept until the portal's ack

    # -- outgoing ---------------------------------------------------------------------------------
    def _pump(self) -> None:
        now = time.monotonic()
        assert self.client is not None
        if now - self._last["drain"] >= self.settings.drain_interval_s:
            self._last["drain"] = now
            self.telemetry.drain()
        free = WINDOW - len(self._inflight)
        if free > 0:
            busy = set(self._inflight.values()) | self._skip
            for row in self.outbox.pending(limit=free, exclude=busy):
                info = self.client.publish(row.topic, row.payload, qos=1)
                if info.rc != mqtt.MQTT_ERR_SUCCESS:
                    break
                self._inflight[info.mid] = row.id
        if self.updater is not None:
            self._sync_chunk_subscriptions(self.client)
        if self._dirty.is_set() or now - self._last["state"] >= self.settings.state_interval_s:
            self._publish_state(self.client)
        if now >= self._next_time:
            self._ask_time(self.client)

    def _sync_chunk_subscriptions(self, client: mqtt.Client) -> None:
        """Subscribe to the window of chunks the updater still misses, unsubscribe what arrived."""
        want = self.updater.chunk_topics()
        if want == self._chunk_subs:
            return
        gone, new = sorted(self._chunk_subs - want), sorted(want - self._chunk_subs)
        if gone:
            client.unsubscribe(gone)
        if new:
            client.subscribe([(t, 1) for t in new])
        self._chunk_subs = want

    def _publish_state(self, client: mqtt.Client) -> None:
        self._dirty.clear()
        self._last["state"] = time.monotonic()
        client.publish(topics.state(self.device_id), dump(self.state_message(online=True)), qos=1, retain=True)

    def _ask_time(self, client: mqtt.Client) -> None:
        """Ask for trusted time; unanswered, ask again after a backoff (5 s doubling, <= 5 min), not an hour:
        a clock set forward offline stays wrong until an answer comes. An answer schedules the next ask
        time_interval_s later (`_on_message`)."""
        self._next_time = time.monotonic() + self.time_backoff.next()
        req = TimeRequest(device_id=self.device_id, nonce=self.sync.new_nonce())
        client.publish(topics.time_request(self.device_id), dump(req), qos=1)

    def state_message(self, online: bool) -> StateMessage:
        extra: dict[str, Any] = {}
        try:
            status = self.service.usage.status()
            extra = {"time_left_s": status.left_s, "usage_state": status.state}
        except Exception:
            log.exception("usage status unavailable for the state message")
        if self.updater is not None:
            extra.update(self.updater.state_fields())
        st = self.sync.state
        return StateMessage(device_id=self.device_id, online=online, ts=time.time(),
                            policy_version=st.policy_version, policy_error=st.policy_error,
                            trusted_at=st.trusted_at, **extra)
