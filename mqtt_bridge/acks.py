"""End-to-end telemetry acknowledgements, the consumer's side (the portal's ingest workers).

A broker's PUBACK only says the broker has a message; a mosquitto killed before its next save loses
it. So a device keeps every telemetry row until the consumer says it stored it: after a message
(usage, events, requests) is committed, the worker calls `Acker.ack`; the Acker batches msg ids per
device and publishes a `TelemetryAck` (QoS 1, not retained) on `devices/{id}/acks`. A repeat of an
already stored message must be acknowledged again (its first ack may be what was lost).

    acker = Acker.for_client(paho_client).start()      # publishes with the worker's own connection
    ...after db.commit():  acker.ack(device_id, msg.msg_id)    or   acker.ack_raw(topic, payload)
    acker.stop()                                        # flushes what is left

Several workers of one shared-subscription group each ack what they stored; the device deletes a row
when any ack names it. A lost ack costs one resend (the device sends again after its ack timeout and
after every reconnect), never a lost or doubled message.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from mqtt_bridge import topics
from mqtt_bridge.payloads import MAX_ACK_IDS, TelemetryAck, dump

log = logging.getLogger(__name__)
ACKED_LEAVES = frozenset(topics.TELEMETRY)  # usage, events, requests: what leaves a device's outbox
Publish = Callable[[str, bytes], Any]


class Acker:
    def __init__(self, publish: Publish, interval_s: float = 0.2, max_batch: int = MAX_ACK_IDS) -> None:
        """publish(topic, payload) sends with QoS 1; acks leave every `interval_s` or at `max_batch` ids."""
        self._publish = publish
        self.interval_s = interval_s
        self.max_batch = min(max_batch, MAX_ACK_IDS)
        self._pending: dict[str, list[str]] = {}
        self._lock = threading.Lock()
        self._send_lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.sent_ids = 0

    @classmethod
    def for_client(cls, client: Any, **kw: Any) -> Acker:
        """An Acker publishing through a paho client (thread-safe with loop_start)."""
        return cls(lambda topic, payload: client.publish(topic, payload, qos=1), **kw)

    def start(self) -> Acker:
        self._thread = threading.Thread(target=self._run, name="telemetry-acker", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
        self.flush()

    def ack(self, device_id: str, msg_id: str) -> None:
        """Record that `msg_id` from `device_id` is stored (call after the commit)."""
        topics.check_id(device_id)
        full: list[str] | None = None
        with self._lock:
            batch = self._pending.setdefault(device_id, [])
            batch.append(msg_id)
            if len(batch) >= self.max_batch:
                full = self._pending.pop(device_id)
        if full:
            self._send(device_id, full)

    def ack_raw(self, topic: str, raw: bytes) -> bool:
        """Ack a stored telemetry message by its topic and raw payload (for workers that keep bytes).

        Returns False, and acks nothing, for other topics or a payload without a msg id."""
        parsed = topics.parse(topic)
        if parsed is None or parsed[0] != "devices" or parsed[2] not in ACKED_LEAVES:
            return False
        try:
            msg_id = json.loads(raw).get("msg_id")
        except (ValueError, AttributeError, RecursionError):
            return False
        if not isinstance(msg_id, str) or not 0 < len(msg_id) <= 128:
            return False
        self.ack(parsed[1], msg_id)
        return True

    def flush(self) -> int:
        """Send every batched ack now; returns how many msg ids left."""
        with self._lock:
            pending, self._pending = self._pending, {}
        for device_id, ids in pending.items():
            self._send(device_id, ids)
        return sum(len(ids) for ids in pending.values())

    def _send(self, device_id: str, ids: list[str]) -> None:
        unique = list(dict.fromkeys(ids))
        for start in range(0, len(unique), MAX_ACK_IDS):
            part = tuple(unique[start:start + MAX_ACK_IDS])
            msg = TelemetryAck(device_id=device_id, msg_ids=part, ts=time.time())
            try:
                with self._send_lock:
                    self._publish(topics.acks(device_id), dump(msg))
                self.sent_ids += len(part)
            except Exception:  # the device sends the rows again and we ack the repeat
                log.exception("could not publish the telemetry ack for %s", device_id)

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            self.flush()
