"""What a device reports, turned into payloads and queued in the outbox (never sent from here).

    Telemetry.drain()   device events -> EventMessage, pending "more time" asks -> MoreTimeRequest,
                        usage totals -> UsageMessage; each queued once (msg ids derive from the
                        device's own ids, so a crash between queueing and marking re-queues nothing new)
    redact(data, level) what may leave the device: query text only with reporting "with_text",
                        raw audio never

An event row the device coalesced (the same kind and payload repeated within device.events'
`coalesce_s`) is one EventMessage whose `data` carries "count": the occurrences it stands for, only when
more than 1 (absent means 1; an event's own "count" key, none today, is never overwritten). It lives in
the free `data` dict, so an older portal stores and ignores it; EventMessage itself is unchanged.
"""

from __future__ import annotations

import logging
from typing import Any

from mqtt_bridge import topics
from mqtt_bridge.outbox import Outbox
from mqtt_bridge.payloads import EventMessage, MoreTimeRequest, UsageMessage, dump

log = logging.getLogger(__name__)

# Events the parent must see: never dropped from the outbox to make room (the device's own safety
# classification, device.events.priority_of, plus the bridge's kinds below).
SAFETY_KINDS = frozenset({
    "search_blocked", "search_results_hidden", "query_redacted", "voice_blocked", "limit_reached",
    "clock_tamper", "usage_tamper", "tamper", "policy_applied", "policy_rejected", "policy_refused",
    "bundle_failed", "bundle_refused", "more_time_request", "night_blocked", "support_needed",
})
# Keys that hold what the child said or typed (or what a result said): only with reporting "with_text".
TEXT_KEYS = frozenset({"query", "matched", "redacted", "text", "note", "title", "snippet", "transcript",
                       "url", "said", "heard"})
# Keys that could hold audio: never leave the device.
AUDIO_KEYS = frozenset({"audio", "wav", "pcm", "samples", "audio_path", "recording"})
MAX_DEPTH = 6


def is_safety(kind: str) -> bool:
    from device.events import SAFETY, priority_of

    return kind in SAFETY_KINDS or priority_of(kind) == SAFETY


def redact(value: Any, level: str, depth: int = 0) -> Any:
    """A copy of an event's data fit to leave the device under the parent's reporting level."""
    if depth > MAX_DEPTH:
        return None
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            key = str(k)
            if key in AUDIO_KEYS or (key in TEXT_KEYS and level != "with_text"):
                continue
            out[key] = redact(v, level, depth + 1)
        return out
    if isinstance(value, list | tuple):
        return [redact(v, level, depth + 1) for v in value[:200]]
    if isinstance(value, bytes | bytearray | memoryview):
        return None  # binary (audio, images) never leaves
    if isinstance(value, str):
        return value[:2000]
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)[:200]


class Telemetry:
    def __init__(self, device_id: str, service: Any, outbox: Outbox, reporting: Any) -> None:
        self.device_id = device_id
        self.service = service
        self.outbox = outbox
        self.reporting = reporting  # callable -> "counts" | "with_text"
        self._last_usage: dict[str, float] = {}

    def drain(self) -> int:
        """Queue everything new; returns how many messages were queued."""
        return self.drain_events() + self.drain_requests() + self.queue_usage()

    def drain_events(self, batch: int = 500) -> int:
        queued = 0
        events = self.service.events
        while True:
            rows = events.unsent(limit=batch)
            if not rows:
                return queued
            level = self.reporting()
            for row in rows:
                kind = str(row.get("kind") or "event")
                data = row.get("event") if isinstance(row.get("event"), dict) else {}
                out = redact(data, level)
                count = row.get("count")
                if isinstance(count, int) and not isinstance(count, bool) and count > 1 and "count" not in out:
                    out["count"] = count  # occurrences coalesced into this row (absent = 1)
                msg = EventMessage(
                    msg_id=f"{self.device_id}:ev:{row['id']}", device_id=self.device_id, seq=int(row["id"]),
                    ts=max(0.0, float(row.get("ts") or 0.0)), kind=kind[:64] or "event",
                    safety=is_safety(kind), data=out,
                )
                if self.outbox.add(msg.msg_id, topics.events(self.device_id), dump(msg), safety=msg.safety):
                    queued += 1
            events.mark_sent([int(r["id"]) for r in rows])
            if len(rows) < batch:
                return queued

    def drain_requests(self) -> int:
        queued = 0
        store = self.service.store
        for req in store.requests(status="pending"):
            msg = MoreTimeRequest(
                msg_id=f"{self.device_id}:req:{req['id']}", device_id=self.device_id, request_id=int(req["id"]),
                minutes=int(req["minutes"]), day=str(req["day"]), created=float(req["created"]),
                note=str(req.get("note") or "")[:200] if self.reporting() == "with_text" else "",
            )
            if self.outbox.add(msg.msg_id, topics.requests(self.device_id), dump(msg), safety=True):
                queued += 1
            store.set_request_status(int(req["id"]), "sent", sent_at=self.service.timekeeper.now())
        return queued

    def queue_usage(self, days: int = 2) -> int:
        """Today's and yesterday's totals when they changed; an unsent older total is replaced."""
        queued = 0
        now = self.service.timekeeper.now()
        for row in self.service.usage.report(days):
            used = float(row["used_s"])
            exempt = {str(k): float(v) for k, v in (row.get("exempt_s") or {}).items()}
            signature = used + sum(exempt.values())
            if self._last_usage.get(row["day"]) == signature:
                continue
            msg = UsageMessage(msg_id=f"{self.device_id}:usage:{row['day']}:{signature:.1f}",
                               device_id=self.device_id, day=row["day"], used_s=used, exempt_s=exempt, ts=now)
            self.outbox.add(msg.msg_id, topics.usage(self.device_id), dump(msg), key=f"usage:{row['day']}")
            self._last_usage[row["day"]] = signature
            queued += 1
        return queued
