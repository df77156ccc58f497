"""What the parent portal uses to talk to devices (the portal imports only this module and payloads).

    link = PortalLink(BrokerConfig.from_url(url, username="portal", password=...), signing_key)
    link.publish_policy(device_id, policy_doc, version, reporting="counts")   retained, signed
    link.answer(device_id, request_id, approved, minutes)                       signed
    link.serve_time()          answer every device's time request with a signed clock reading
    link.states()              the latest retained StateMessage of every device seen

    TelemetryConsumer(cfg, handler, group="portal").start()
        MQTT 5 shared subscription ($share/portal/...) to usage, events, requests and state; run several
        (threads or processes) and the broker splits the stream. `handler(kind, message)` gets parsed
        payloads; repeats (QoS 1 redelivery, a device's resend) are dropped by msg_id before the
        handler sees them, and the handler should still write idempotently (e.g. a unique msg_id column).
        When the handler returns (it stored the message), the consumer acknowledges the msg id end to end
        on devices/{id}/acks (mqtt_bridge/acks.py), and acknowledges a repeat again: only then does the
        device delete its outbox row.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from mqtt_bridge import topics
from mqtt_bridge.acks import ACKED_LEAVES, Acker
from mqtt_bridge.client import BrokerConfig, Connection
from mqtt_bridge.payloads import (
    EventMessage,
    MoreTimeAnswer,
    MoreTimeRequest,
    PayloadError,
    PolicyMessage,
    ReportingLevel,
    StateMessage,
    TimeRequest,
    TrustedTime,
    UsageMessage,
    dump,
    parse,
)
from mqtt_bridge.signing import sign_message

log = logging.getLogger(__name__)
MODELS: dict[str, type] = {"usage": UsageMessage, "events": EventMessage, "requests": MoreTimeRequest,
                           "state": StateMessage}


class PortalLink:
    def __init__(self, cfg: BrokerConfig, key: Ed25519PrivateKey | None,
                 client_id: str | None = None, clock: Callable[[], float] = time.time) -> None:
        self.key = key
        self.clock = clock
        self.conn = Connection(cfg, client_id or f"portal-{uuid.uuid4().hex[:8]}", persistent=False)
        self._states: dict[str, StateMessage] = {}
        self._lock = threading.Lock()
        self._serving = False
        self.conn.client.on_message = self._on_message

    def start(self) -> PortalLink:
        self.conn.subscribe(topics.all_devices("state"), 1)
        self.conn.start()
        return self

    def stop(self) -> None:
        self.conn.stop()

    def _sign(self, msg: Any) -> Any:
        return sign_message(msg, self.key) if self.key is not None else msg

    def publish_policy(self, device_id: str, policy: dict[str, Any], version: int,
                       reporting: ReportingLevel = "counts") -> PolicyMessage:
        msg = self._sign(PolicyMessage(device_id=device_id, version=version, issued_at=self.clock(),
                                       policy=policy, reporting=reporting))
        self.conn.publish(topics.policy(device_id), dump(msg), qos=1, retain=True)
        return msg

    def answer(self, device_id: str, request_id: int, approved: bool, minutes: int = 0,
               day: str | None = None) -> MoreTimeAnswer:
        msg = self._sign(MoreTimeAnswer(device_id=device_id, request_id=request_id, approved=approved,
                                        minutes=minutes if approved else 0, day=day, answered_at=self.clock()))
        self.conn.publish(topics.answers(device_id), dump(msg), qos=1)
        return msg

    def serve_time(self) -> None:
        """Answer time requests from every device (run in one portal process; cheap)."""
        self._serving = True
        self.conn.subscribe(topics.all_devices("time/request"), 1)

    def states(self) -> dict[str, StateMessage]:
        with self._lock:
            return dict(self._states)

    def wait_state(self, device_id: str, predicate: Callable[[StateMessage], bool],
                   timeout: float = 10) -> StateMessage:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            st = self.states().get(device_id)
            if st is not None and predicate(st):
                return st
            time.sleep(0.05)
        raise TimeoutError(f"{device_id}: state not reached; last {self.states().get(device_id)}")

    def _on_message(self, client: Any, userdata: Any, message: Any) -> None:
        parsed = topics.parse(message.topic)
        if parsed is None or parsed[0] != "devices":
            return
        _, device_id, leaf = parsed
        try:
            if leaf == "state" and message.payload:
                st = parse(StateMessage, message.payload)
                if st.device_id == device_id:
                    with self._lock:
                        self._states[device_id] = st
            elif leaf == "time/request" and self._serving:
                req = parse(TimeRequest, message.payload)
                if req.device_id == device_id:
                    reply = self._sign(TrustedTime(device_id=device_id, nonce=req.nonce, epoch=self.clock()))
                    client.publish(topics.trusted_time(device_id), dump(reply), qos=1)
        except PayloadError as exc:
            log.warning("ignored %s: %s", message.topic, exc)


class TelemetryConsumer:
    """One worker of a shared-subscription group; dedups by msg_id (an LRU of recent ids)."""

    def __init__(self, cfg: BrokerConfig, handler: Callable[[str, Any], None], group: str = "portal",
                 kinds: tuple[str, ...] = ("usage", "events", "requests"), client_id: str | None = None,
                 remember: int = 100_000, ack: bool = True) -> None:
        self.handler = handler
        self.group = group
        self.kinds = kinds
        self.conn = Connection(cfg, client_id or f"{group}-{uuid.uuid4().hex[:8]}", persistent=True,
                               protocol="5")
        self.conn.client.on_message = self._on_message
        self.acker = Acker.for_client(self.conn.client) if ack else None
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._remember = remember
        self.received = 0
        self.duplicates = 0
        self.rejected = 0

    def start(self) -> TelemetryConsumer:
        for kind in self.kinds:
            self.conn.subscribe(topics.shared(self.group, topics.all_devices(kind)), 1)
        self.conn.start()
        if self.acker is not None:
            self.acker.start()
        return self

    def stop(self) -> None:
        if self.acker is not None:
            self.acker.stop()
        self.conn.stop()

    def _on_message(self, client: Any, userdata: Any, message: Any) -> None:
        parsed = topics.parse(message.topic)
        if parsed is None or parsed[2] not in MODELS:
            return
        try:
            msg = parse(MODELS[parsed[2]], message.payload)
        except PayloadError as exc:
            self.rejected += 1
            log.warning("ignored %s: %s", message.topic, exc)
            return
        if getattr(msg, "device_id", None) != parsed[1]:
            self.rejected += 1  # a device may only speak for itself (the ACL enforces it too)
            return
        self.received += 1
        if msg.msg_id in self._seen:
            self.duplicates += 1
            self._ack(parsed, msg.msg_id)  # the first ack may be what got lost
            return
        self._seen[msg.msg_id] = None
        if len(self._seen) > self._remember:
            self._seen.popitem(last=False)
        try:
            self.handler(parsed[2], msg)
        except Exception:
            del self._seen[msg.msg_id]  # a redelivery may try again
            log.exception("telemetry handler failed for %s", msg.msg_id)
            return
        self._ack(parsed, msg.msg_id)

    def _ack(self, parsed: tuple[str, str, str], msg_id: str) -> None:
        if self.acker is not None and parsed[2] in ACKED_LEAVES:  # state is retained, not from an outbox
            self.acker.ack(parsed[1], msg_id)
