"""Local event log the parent sees later: blocked queries, hidden results, clock tampering, policy changes.

SQLite (WAL), one row per event: device time, kind, JSON payload, and a `sent` flag for the device
agent that later publishes events over MQTT (`unsent()` / `mark_sent()`). `EventLog.record(event)`
is the `event_sink` callable other parts are given: it never raises and stores any dict (values
that are not JSON become strings). The log is capped (`max_rows`) so an SD card never fills up.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

EventSink = Callable[[dict[str, Any]], None]


def emit(sink: EventSink | None, event: dict[str, Any]) -> None:
    """Give an event to a sink; a failing sink is logged, never raised: no answer, clock or policy
    change may depend on the event log."""
    if sink is None:
        return
    try:
        sink(event)
    except Exception:
        log.exception("event sink failed")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ts REAL NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    sent INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS events_unsent ON events (sent, id);
"""


class EventLog:
    def __init__(self, path: str | Path, now: Callable[[], float] = time.time, max_rows: int = 20000) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.now = now
        self.max_rows = max_rows
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(self.path), timeout=10, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self._count = self._db.execute("SELECT COUNT(*) FROM events").fetchone()[0]

    def record(self, event: dict[str, Any]) -> int | None:
        """Store one event; returns its id, or None if it could not be stored (logged, never raised)."""
        try:
            if not isinstance(event, dict):
                event = {"kind": "event", "value": event}
            kind = str(event.get("kind") or event.get("type") or "event")[:64]
            payload = json.dumps(event, ensure_ascii=False, default=str)
            try:
                ts = float(self.now())
            except Exception:
                ts = time.time()
            with self._lock:
                cur = self._db.execute(
                    "INSERT INTO events (ts, kind, payload) VALUES (?, ?, ?)", (ts, kind, payload)
                )
                self._count += 1
                if self._count > self.max_rows * 1.1:
                    self._db.execute(
                        "DELETE FROM events WHERE id <= (SELECT MAX(id) FROM events) - ?", (self.max_rows,)
                    )
                    self._count = self._db.execute("SELECT COUNT(*) FROM events").fetchone()[0]
                return int(cur.lastrowid or 0)
        except Exception:
            log.exception("could not record event %r", event)
            return None

    __call__ = record

    def recent(self, limit: int = 100, kind: str | None = None) -> list[dict[str, Any]]:
        sql, args = "SELECT id, ts, kind, payload, sent FROM events", []
        if kind:
            sql, args = sql + " WHERE kind = ?", [kind]
        with self._lock:
            rows = self._db.execute(sql + " ORDER BY id DESC LIMIT ?", [*args, int(limit)]).fetchall()
        return [_row(r) for r in rows]

    def unsent(self, limit: int = 500) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT id, ts, kind, payload, sent FROM events WHERE sent = 0 ORDER BY id LIMIT ?", (int(limit),)
            ).fetchall()
        return [_row(r) for r in rows]

    def mark_sent(self, ids: list[int]) -> None:
        with self._lock:
            self._db.executemany("UPDATE events SET sent = 1 WHERE id = ?", [(int(i),) for i in ids])

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _row(row: tuple[Any, ...]) -> dict[str, Any]:
    return {"id": row[0], "ts": row[1], "kind": row[2], "event": json.loads(row[3]), "sent": bool(row[4])}
