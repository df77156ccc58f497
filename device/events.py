"""Local event log the parent sees later: blocked queries, hidden results, clock tampering, policy changes.

SQLite (WAL), one row per event. `EventLog.record(event)` is the `event_sink` callable other parts
are given: it never raises and stores any dict (values that are not JSON become strings).

Stable API for the device agent (MQTT bridge) that drains the log:

    unsent(limit=500) -> list[dict]   the oldest unsent events, in the order they happened (id ascending);
        each {"id": int (unique, never reused: use it as the message id), "ts": device time of the first
        occurrence, "last_ts": of the last one, "count": occurrences coalesced into this row,
        "kind": str, "event": the dict recorded, "safety": bool, "sent": False}
    mark_sent(ids)                    those rows are delivered; they may now be trimmed
    pending() -> {"unsent": n, "unsent_safety": n}

A row returned by `unsent()` is frozen: later repeats go into a new row, so marking it sent never
loses a count (this holds across processes: the high-water id read is kept in the database).

Floods: a repeat of the same event (same kind and payload) within `coalesce_s` of the previous one
increments that row's `count` instead of adding a row. The log is capped (`max_rows`): over the cap,
sent rows go first, then unsent low-value ones (always_allowed, search_offline, …), then other unsent
ones, never an unsent safety event (SAFETY_KINDS: blocks, limits, tamper, policy). What was dropped
is itself recorded as a safety event `events_dropped` {"dropped": {kind: n}}.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

EventSink = Callable[[dict[str, Any]], None]

SAFETY_KINDS = frozenset({
    "search_blocked", "limit_reached", "clock_tamper", "usage_tamper", "boot_time_gap", "trusted_time",
    "policy_applied", "policy_rejected", "more_time_request", "extra_time", "events_dropped",
    "support_needed",  # a search or question about self-harm: the parent is told (category and time only)
})
LOW_VALUE_KINDS = frozenset({"always_allowed", "search_offline", "rate_limited", "request_refused"})
SAFETY, NORMAL, LOW = 2, 1, 0


def priority_of(kind: str) -> int:
    if kind in SAFETY_KINDS or kind.endswith("_tamper") or kind.startswith("policy_"):
        return SAFETY
    return LOW if kind in LOW_VALUE_KINDS else NORMAL


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
CREATE TABLE IF NOT EXISTS events_kv (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""
_COLUMNS = {"priority": "INTEGER NOT NULL DEFAULT 1", "count": "INTEGER NOT NULL DEFAULT 1", "last_ts": "REAL"}
_SELECT = "SELECT id, ts, kind, payload, sent, priority, count, COALESCE(last_ts, ts) FROM events"


class EventLog:
    def __init__(self, path: str | Path, now: Callable[[], float] = time.time, max_rows: int = 20000,
                 coalesce_s: float = 60.0) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.now = now
        self.max_rows = max_rows
        self.coalesce_s = coalesce_s
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(self.path), timeout=10, isolation_level=None, check_same_thread=False)
        _private(self.path)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        have = {row[1] for row in self._db.execute("PRAGMA table_info(events)")}
        for name, decl in _COLUMNS.items():  # logs written by older versions gain the new columns
            if name not in have:
                self._db.execute(f"ALTER TABLE events ADD COLUMN {name} {decl}")
        self._db.execute("CREATE INDEX IF NOT EXISTS events_unsent ON events (sent, id)")
        self._db.execute("CREATE INDEX IF NOT EXISTS events_trim ON events (sent, priority, id)")
        _private(self.path)
        self._count = self._db.execute("SELECT COUNT(*) FROM events").fetchone()[0]
        self._trim_at = max(self._count, max_rows) * 1.1
        self._last: dict[str, tuple[int, float]] = {}  # kind + payload -> (row id, ts of last repeat)

    def record(self, event: dict[str, Any]) -> int | None:
        """Store one event; returns its row id, or None if it could not be stored (logged, never raised)."""
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
                rid = self._coalesce(kind + "\0" + payload, ts)
                if rid is not None:
                    return rid
                cur = self._db.execute("INSERT INTO events (ts, kind, payload, priority) VALUES (?, ?, ?, ?)",
                                       (ts, kind, payload, priority_of(kind)))
                rid = int(cur.lastrowid or 0)
                self._last[kind + "\0" + payload] = (rid, ts)
                self._count += 1
                if self._count > self._trim_at:
                    self._trim(ts)
                return rid
        except Exception:
            log.exception("could not record event %r", event)
            return None

    __call__ = record

    def _coalesce(self, key: str, ts: float) -> int | None:
        seen = self._last.get(key)
        if seen is None or not 0 <= ts - seen[1] <= self.coalesce_s:
            return None
        cur = self._db.execute(
            "UPDATE events SET count = count + 1, last_ts = ? WHERE id = ? AND sent = 0 AND id > "
            "COALESCE((SELECT value FROM events_kv WHERE key = 'read_upto'), 0)", (ts, seen[0]))
        if cur.rowcount != 1:
            return None
        self._last[key] = (seen[0], ts)
        return seen[0]

    def _trim(self, ts: float) -> None:
        """Back under the cap: sent rows, then unsent low-value, then unsent normal; never unsent safety."""
        excess = self._count - self.max_rows
        dropped: dict[str, int] = {}
        self._db.execute("BEGIN IMMEDIATE")
        try:
            for where in ("sent = 1", f"sent = 0 AND priority = {LOW}", f"sent = 0 AND priority = {NORMAL}"):
                if excess <= 0:
                    break
                rows = self._db.execute(f"SELECT id, kind, count FROM events WHERE {where} ORDER BY id LIMIT ?",
                                        (excess,)).fetchall()
                self._db.executemany("DELETE FROM events WHERE id = ?", [(r[0],) for r in rows])
                excess -= len(rows)
                if where != "sent = 1":
                    for _, kind, count in rows:
                        dropped[kind] = dropped.get(kind, 0) + int(count)
            self._db.execute("COMMIT")
        except Exception:
            self._db.execute("ROLLBACK")
            raise
        self._count = self._db.execute("SELECT COUNT(*) FROM events").fetchone()[0]
        if dropped:
            log.info("event log full: dropped unsent low-value events %s", dropped)
            self._note_dropped(dropped, ts)
        # Unsent safety events alone may exceed the cap: they stay; try again only after 10% more rows.
        self._trim_at = max(self._count, self.max_rows) * 1.1

    def _note_dropped(self, dropped: dict[str, int], ts: float) -> None:
        """One `events_dropped` row per flood: merged into the last one while the agent has not read it."""
        row = self._db.execute(
            "SELECT id, payload FROM events WHERE kind = 'events_dropped' AND sent = 0 AND id > "
            "COALESCE((SELECT value FROM events_kv WHERE key = 'read_upto'), 0) ORDER BY id DESC LIMIT 1").fetchone()
        if row is not None:
            merged = json.loads(row[1]).get("dropped", {})
            for kind, n in dropped.items():
                merged[kind] = merged.get(kind, 0) + n
            payload = json.dumps({"kind": "events_dropped", "dropped": merged}, ensure_ascii=False)
            self._db.execute("UPDATE events SET payload = ?, last_ts = ? WHERE id = ?",
                             (payload, ts, row[0]))
            return
        payload = json.dumps({"kind": "events_dropped", "dropped": dropped}, ensure_ascii=False)
        self._db.execute("INSERT INTO events (ts, kind, payload, priority) VALUES (?, 'events_dropped', ?, ?)",
                         (ts, payload, SAFETY))
        self._count += 1

    def recent(self, limit: int = 100, kind: str | None = None) -> list[dict[str, Any]]:
        sql, args = _SELECT, []
        if kind:
            sql, args = sql + " WHERE kind = ?", [kind]
        with self._lock:
            rows = self._db.execute(sql + " ORDER BY id DESC LIMIT ?", [*args, int(limit)]).fetchall()
        return [_row(r) for r in rows]

    def unsent(self, limit: int = 500) -> list[dict[str, Any]]:
        """The oldest unsent events in order; the rows returned stop absorbing repeats (see module doc)."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                rows = self._db.execute(_SELECT + " WHERE sent = 0 ORDER BY id LIMIT ?", (int(limit),)).fetchall()
                if rows:
                    self._db.execute(
                        "INSERT INTO events_kv VALUES ('read_upto', ?) ON CONFLICT(key) DO UPDATE SET "
                        "value = MAX(value, excluded.value)", (rows[-1][0],))
                self._db.execute("COMMIT")
            except Exception:
                self._db.execute("ROLLBACK")
                raise
        return [_row(r) for r in rows]

    def mark_sent(self, ids: Iterable[int]) -> None:
        with self._lock:
            self._db.execute("BEGIN")
            self._db.executemany("UPDATE events SET sent = 1 WHERE id = ?", [(int(i),) for i in ids])
            self._db.execute("COMMIT")

    def pending(self) -> dict[str, int]:
        with self._lock:
            total, safety = self._db.execute(
                "SELECT COUNT(*), COALESCE(SUM(priority = ?), 0) FROM events WHERE sent = 0", (SAFETY,)).fetchone()
        return {"unsent": int(total), "unsent_safety": int(safety)}

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _private(path: Path) -> None:
    """The child's data: owner-only database files."""
    for suffix in ("", "-wal", "-shm"):
        try:
            Path(str(path) + suffix).chmod(0o600)
        except OSError:
            pass


def _row(row: tuple[Any, ...]) -> dict[str, Any]:
    return {"id": row[0], "ts": row[1], "kind": row[2], "event": json.loads(row[3]), "sent": bool(row[4]),
            "safety": row[5] == SAFETY, "count": int(row[6]), "last_ts": row[7]}
