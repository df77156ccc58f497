"""Persistent SQLite outbox for QoS 1 telemetry: a broker outage, a reboot or kill -9 loses nothing.

A row is (msg_id UNIQUE, topic, payload, safety flag, coalescing key). `add` is idempotent by
msg_id (a re-drained event becomes the same row). A row stays until the broker acknowledged it
(PUBACK -> `acked`); after a reconnect every unacknowledged row is sent again, and the consumer
drops repeats by msg_id. Rows with the same `key` (e.g. a day's usage totals) coalesce: a newer
unsent row replaces the older one.

The outbox is bounded. When full, the oldest unsent non-safety rows are dropped first and the count
of dropped rows is kept (`dropped()`), so the parent learns that a flood happened; an unsent safety
row (blocked content, tamper, limit reached, policy) is never dropped to make room.
"""

from __future__ import annotations

import sqlite3
import threading
import time
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
    created REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS outbox_order ON outbox (safety DESC, id);
CREATE TABLE IF NOT EXISTS outbox_meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS outbox_sent (msg_id TEXT PRIMARY KEY, at REAL NOT NULL);
"""


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
        victim = self._db.execute("SELECT id FROM outbox WHERE safety = 0 ORDER BY id LIMIT 1").fetchone()
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

    def pending(self, limit: int = 100, exclude: set[int] | frozenset[int] = frozenset()) -> list[Row]:
        """Unacknowledged rows, safety rows first, then oldest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, msg_id, topic, payload, safety FROM outbox ORDER BY safety DESC, id LIMIT ?",
                (int(limit) + len(exclude),),
            ).fetchall()
        out = [Row(r[0], r[1], r[2], bytes(r[3]), bool(r[4])) for r in rows if r[0] not in exclude]
        return out[:limit]

    def acked(self, row_id: int) -> None:
        """The broker acknowledged the row: forget it, remembering its msg_id for a while."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute(
                "INSERT OR IGNORE INTO outbox_sent (msg_id, at) SELECT msg_id, ? FROM outbox WHERE id = ?",
                (time.time(), row_id),
            )
            self._db.execute("DELETE FROM outbox WHERE id = ?", (row_id,))
            self._db.execute("DELETE FROM outbox_sent WHERE at < ?", (time.time() - 7 * 86400,))
            self._db.execute("COMMIT")

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
