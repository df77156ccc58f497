"""Persistent SQLite outbox for QoS 1 telemetry: a broker outage or crash, a reboot or kill -9 loses nothing.

A row is (msg_id UNIQUE, topic, payload, safety flag, coalescing key, due_at, attempts). `add` is
idempotent by msg_id (a re-drained event becomes the same row). A row lives through two stages:

    unsent                  -> published with QoS 1
    sent, awaiting the ack  <- the broker's PUBACK (`mark_sent`): the broker has it, but a broker
                               killed before its next save loses it, so the row stays
    gone                    <- the consumer's end-to-end ack on devices/{id}/acks (`confirm`), sent
                               after the portal committed the message to its database

A row awaiting its ack is due again after `ack_timeout` (doubling per attempt up to an hour) and
after every reconnect (`requeue_sent`); the consumer drops the repeat by msg_id and acks it again.
Rows with the same `key` (e.g. a day's usage totals) coalesce: a newer row replaces the older one.

The outbox is bounded. When full, the oldest non-safety rows are dropped first (those already with
the broker before unsent ones) and the count of dropped rows is kept (`dropped()`), so the parent
learns that a flood happened; a safety row (blocked content, tamper, limit reached, policy) is never
dropped to make room.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    msg_id TEXT NOT NULL UNIQUE,
    topic TEXT NOT NULL,
    payload BLOB NOT NULL,
    safety INTEGER NOT NULL DEFAULT 0,
    key TEXT,
    created REAL NOT NULL,
    due_at REAL,
    attempts INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS outbox_order ON outbox (safety DESC, id);
CREATE TABLE IF NOT EXISTS outbox_meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS outbox_sent (msg_id TEXT PRIMARY KEY, at REAL NOT NULL);
"""
# due_at: NULL = never published (or requeued); else awaiting the consumer's ack, due again at due_at.
_INDEXES = """
CREATE INDEX IF NOT EXISTS outbox_unsent ON outbox (safety DESC, id) WHERE due_at IS NULL;
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (due_at) WHERE due_at IS NOT NULL;
"""
MAX_ACK_WAIT_S = 3600.0


@dataclass(frozen=True, slots=True)
class Row:
    id: int
    msg_id: str
    topic: str
    payload: bytes
    safety: bool


class Outbox:
    def __init__(self, path: str | Path, max_rows: int = 20_000) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.max_rows = max_rows
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(self.path), timeout=10, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)
        columns = {r[1] for r in self._db.execute("PRAGMA table_info(outbox)")}
        for name, decl in (("due_at", "REAL"), ("attempts", "INTEGER NOT NULL DEFAULT 0")):
            if name not in columns:  # an outbox written by an older agent
                self._db.execute(f"ALTER TABLE outbox ADD COLUMN {name} {decl}")
        self._db.executescript(_INDEXES)
        try:
            self.path.chmod(0o600)
        except OSError:
            pass

    def add(self, msg_id: str, topic: str, payload: bytes, safety: bool = False, key: str | None = None) -> bool:
        """Queue a message; False when that msg_id is already queued or sent (idempotent), or when
        the outbox is full of safety rows and this one is not a safety row (counted as dropped)."""
        with self._lock:
            db = self._db
            db.execute("BEGIN IMMEDIATE")
            try:
                if db.execute("SELECT 1 FROM outbox WHERE msg_id = ?", (msg_id,)).fetchone() or db.execute(
                        "SELECT 1 FROM outbox_sent WHERE msg_id = ?", (msg_id,)).fetchone():
                    db.execute("COMMIT")
                    return False
                if key is not None:
                    db.execute("DELETE FROM outbox WHERE key = ?", (key,))
                if not self._make_room(safety):
                    self._bump("dropped", 1)
                    db.execute("COMMIT")
                    return False
                db.execute(
                    "INSERT INTO outbox (msg_id, topic, payload, safety, key, created) VALUES (?, ?, ?, ?, ?, ?)",
                    (msg_id, topic, payload, int(safety), key, time.time()),
                )
                db.execute("COMMIT")
                return True
            except BaseException:
                db.execute("ROLLBACK")
                raise

    def _make_room(self, safety: bool) -> bool:
        count = self._db.execute("SELECT COUNT(*) FROM outbox").fetchone()[0]
        if count < self.max_rows:
            return True
        victim = self._db.execute(
            "SELECT id FROM outbox WHERE safety = 0 ORDER BY due_at IS NULL, id LIMIT 1").fetchone()
        if victim is None:
            return safety  # full of safety rows: a safety row still goes in, nothing else does
        self._db.execute("DELETE FROM outbox WHERE id = ?", (victim[0],))
        self._bump("dropped", 1)
        return True

    def _bump(self, name: str, n: int) -> None:
        self._db.execute(
            "INSERT INTO outbox_meta (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = value + ?",
            (name, n, n),
        )

    def pending(self, limit: int = 100, exclude: set[int] | frozenset[int] = frozenset(),
                now: float | None = None) -> list[Row]:
        """Rows to publish: unsent ones and those whose ack is overdue; safety rows first, then oldest.

        Both come from partial indexes, so thousands of rows awaiting their ack cost nothing here.
        """
        now = time.time() if now is None else now
        want = int(limit) + len(exclude)
        cols = "SELECT id, msg_id, topic, payload, safety FROM outbox"
        with self._lock:
            rows = self._db.execute(f"{cols} WHERE due_at IS NULL ORDER BY safety DESC, id LIMIT ?",
                                    (want,)).fetchall()
            rows += self._db.execute(f"{cols} WHERE due_at IS NOT NULL AND due_at <= ? ORDER BY due_at LIMIT ?",
                                     (now, want)).fetchall()
        rows.sort(key=lambda r: (-r[4], r[0]))
        out = [Row(r[0], r[1], r[2], bytes(r[3]), bool(r[4])) for r in rows if r[0] not in exclude]
        return out[:limit]

    def mark_sent(self, row_id: int, ack_timeout: float = 30.0, now: float | None = None) -> None:
        """The broker acknowledged the row (PUBACK): keep it until the consumer's end-to-end ack, and
        send it again if that has not come after `ack_timeout * 2**attempts` seconds (at most an hour)."""
        now = time.time() if now is None else now
        with self._lock:
            self._db.execute(
                "UPDATE outbox SET due_at = ? + MIN(?, ? * (1 << MIN(attempts, 12))), attempts = attempts + 1"
                " WHERE id = ?", (now, MAX_ACK_WAIT_S, float(ack_timeout), row_id))

    def confirm(self, msg_ids: Iterable[str]) -> int:
        """The consumer stored these messages: forget their rows, remembering the msg ids for a week
        (a re-drained event is not queued again). Returns how many rows were removed."""
        ids = [(m,) for m in msg_ids]
        now = time.time()
        with self._lock:
            db = self._db
            db.execute("BEGIN IMMEDIATE")
            try:
                db.executemany("INSERT OR IGNORE INTO outbox_sent (msg_id, at) SELECT msg_id, ? FROM outbox"
                               " WHERE msg_id = ?", [(now, m) for (m,) in ids])
                before = db.total_changes
                db.executemany("DELETE FROM outbox WHERE msg_id = ?", ids)
                removed = db.total_changes - before
                db.execute("DELETE FROM outbox_sent WHERE at < ?", (now - 7 * 86400,))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return removed

    def requeue_sent(self) -> int:
        """After a (re)connect: every row still awaiting its ack is due at once (the broker may have
        lost it in a crash). Returns how many rows."""
        with self._lock:
            return self._db.execute("UPDATE outbox SET due_at = NULL WHERE due_at IS NOT NULL").rowcount

    def awaiting_ack(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM outbox WHERE due_at IS NOT NULL").fetchone()[0])

    def size(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM outbox").fetchone()[0])

    def dropped(self) -> int:
        with self._lock:
            row = self._db.execute("SELECT value FROM outbox_meta WHERE name = 'dropped'").fetchone()
        return int(row[0]) if row else 0

    def close(self) -> None:
        with self._lock:
            self._db.close()
