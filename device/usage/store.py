"""SQLite (WAL) store for the usage clock: seconds used per day, time state, extra time, "more time" asks.

Writes are monotone: a day's seconds only grow (`MAX(old, new)`), so a stale writer can never
lower what is counted. The same usage rows are mirrored into a second file; on open the two
are reconciled by taking the larger value, so deleting (or corrupting) one file does not reset
today's usage. A corrupt file is moved aside (`*.corrupt-N`) and rebuilt from the mirror. With a
time seal (device/usage/seal.py) deleting both files does not reset today either: the seal restores
it and the deletion becomes a `usage_tamper` finding (`take_findings()`, emitted by the usage clock).
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from device.usage.seal import TimeSeal

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS usage (
    day TEXT NOT NULL,
    bucket TEXT NOT NULL,
    seconds REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (day, bucket)
);
CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS extra_time (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    day TEXT NOT NULL,
    minutes INTEGER NOT NULL,
    source TEXT NOT NULL,
    ref TEXT,
    created REAL NOT NULL,
    UNIQUE (source, ref)
);
CREATE TABLE IF NOT EXISTS requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created REAL NOT NULL,
    day TEXT NOT NULL,
    minutes INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'pending',
    sent_at REAL
);
"""

LIMIT_BUCKET = "limit"


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=10, isolation_level=None, check_same_thread=False)
    try:
        path.chmod(0o600)  # the child's data; SQLite gives -wal and -shm the same mode
    except OSError:
        pass
    conn.execute("PRAGMA journal_mode=WAL")
    # FULL: every commit fsyncs the WAL, so a power cut (not only a crash) keeps each flush.
    # Flushes are every few seconds, so this costs one fsync per flush interval.
    conn.execute("PRAGMA synchronous=FULL")
    conn.executescript(_SCHEMA)
    conn.execute("PRAGMA quick_check").fetchone()
    return conn


def _open_or_quarantine(path: Path) -> sqlite3.Connection:
    try:
        return _connect(path)
    except sqlite3.DatabaseError as exc:
        n = 1
        while path.with_name(f"{path.name}.corrupt-{n}").exists():
            n += 1
        log.error("usage store %s is unreadable (%s); moving it aside and rebuilding", path, exc)
        for suffix in ("", "-wal", "-shm"):
            src = Path(str(path) + suffix)
            if src.exists():
                src.rename(src.with_name(f"{src.name}.corrupt-{n}"))
        return _connect(path)


class UsageStore:
    """One device's usage state. Thread-safe; every method is one short transaction."""

    def __init__(self, path: str | Path, mirror: str | Path | None = None, seal: str | Path | None = None) -> None:
        self.path = Path(path)
        self.mirror_path = Path(mirror) if mirror else None
        self._lock = threading.Lock()
        self._db = _open_or_quarantine(self.path)
        self._mirror = _open_or_quarantine(self.mirror_path) if self.mirror_path else None
        self.seal = TimeSeal(seal) if seal else None
        self.findings: list[dict[str, Any]] = []
        self._reconcile()
        if self.seal is not None:
            self._check_seal(self.seal)

    def take_findings(self) -> list[dict[str, Any]]:
        """Tamper findings of the start-up checks (for the parent's event log), once."""
        out, self.findings = self.findings, []
        return out

    def _named(self) -> list[tuple[str, sqlite3.Connection]]:
        return [("usage", self._db)] + ([("mirror", self._mirror)] if self._mirror is not None else [])

    def _check_seal(self, seal: TimeSeal) -> None:
        """Compare the databases with the seal; restore today's usage and the time mark from it."""
        state = seal.read()
        named = self._named()
        ids = {name: self._get_text(conn, "store_id") for name, conn in named}
        if state is None:
            if any(self._get_text(conn, "sealed") for _, conn in named):
                self.findings.append({"kind": "usage_tamper", "deleted": ["seal"], "path": str(seal.path)})
        else:
            replaced = sorted(n for n, sid in ids.items() if state["ids"].get(n) and state["ids"][n] != sid)
            day, usage = state.get("day"), state["usage"]
            if isinstance(day, str) and usage:
                rows = [(day, bucket, seconds) for bucket, seconds in usage.items()]
                with self._lock:
                    for _, conn in named:
                        conn.executemany(_UPSERT_MAX, rows)
            hwm = max([state["hwm"]] + [self._get_float(c, "hwm") or 0.0 for _, c in named])
            with self._lock:
                for _, conn in named:
                    conn.execute("INSERT OR REPLACE INTO kv VALUES ('hwm', ?)", (repr(hwm),))
            if replaced:
                log.error("usage files %s were deleted or replaced; today's usage restored from %s", replaced,
                          seal.path)
                self.findings.append({"kind": "usage_tamper", "deleted": replaced, "day": day,
                                      "restored_s": round(usage.get(LIMIT_BUCKET, 0.0), 1)})
        with self._lock:
            for name, conn in named:
                if ids[name] is None:
                    ids[name] = uuid.uuid4().hex
                    conn.execute("INSERT OR REPLACE INTO kv VALUES ('store_id', ?)", (json.dumps(ids[name]),))
                conn.execute("INSERT OR REPLACE INTO kv VALUES ('sealed', ?)", (json.dumps(str(seal.path)),))
            hwm = self._get_float(self._db, "hwm") or 0.0
        seal.write(ids={k: v for k, v in ids.items() if v}, hwm=hwm)

    # -- lifecycle -------------------------------------------------------------------------
    def close(self) -> None:
        with self._lock:
            self._db.close()
            if self._mirror is not None:
                self._mirror.close()

    def _conns(self) -> Iterable[sqlite3.Connection]:
        yield self._db
        if self._mirror is not None:
            yield self._mirror

    def _reconcile(self) -> None:
        """Take the larger of both files for every usage row and for the time high-water mark."""
        if self._mirror is None:
            return
        with self._lock:
            a = self._db.execute("SELECT day, bucket, seconds FROM usage").fetchall()
            b = self._mirror.execute("SELECT day, bucket, seconds FROM usage").fetchall()
            for conn, rows in ((self._db, b), (self._mirror, a)):
                conn.execute("BEGIN")
                conn.executemany(_UPSERT_MAX, rows)
                conn.execute("COMMIT")
            hwm = max(self._get_float(c, "hwm") or 0.0 for c in self._conns())
            for conn in self._conns():
                conn.execute("INSERT OR REPLACE INTO kv VALUES ('hwm', ?)", (repr(hwm),))
            extras = self._mirror.execute(
                "SELECT day, minutes, source, ref, created FROM extra_time WHERE ref IS NOT NULL"
            ).fetchall()
            self._db.executemany(
                "INSERT OR IGNORE INTO extra_time (day, minutes, source, ref, created) VALUES (?,?,?,?,?)", extras
            )

    # -- usage -----------------------------------------------------------------------------
    def usage(self, day: str) -> dict[str, float]:
        with self._lock:
            rows = self._db.execute("SELECT bucket, seconds FROM usage WHERE day = ?", (day,)).fetchall()
        return {bucket: float(seconds) for bucket, seconds in rows}

    def usage_days(self, first_day: str, last_day: str) -> dict[str, dict[str, float]]:
        """{day: {bucket: seconds}} for days in [first_day, last_day] (ISO dates), for usage reports."""
        with self._lock:
            rows = self._db.execute(
                "SELECT day, bucket, seconds FROM usage WHERE day BETWEEN ? AND ? ORDER BY day", (first_day, last_day)
            ).fetchall()
        out: dict[str, dict[str, float]] = {}
        for day, bucket, seconds in rows:
            out.setdefault(day, {})[bucket] = float(seconds)
        return out

    def save_usage(self, day: str, buckets: dict[str, float], kv: dict[str, Any] | None = None) -> None:
        """Persist a day's counters (never lowering them) and optional state, in one transaction per file."""
        rows = [(day, bucket, float(sec)) for bucket, sec in buckets.items()]
        with self._lock:
            for conn in self._conns():
                conn.execute("BEGIN")
                conn.executemany(_UPSERT_MAX, rows)
                for key, value in (kv or {}).items():
                    if key == "hwm":
                        conn.execute(
                            "INSERT INTO kv VALUES ('hwm', ?) ON CONFLICT(key) DO UPDATE SET "
                            "value = CASE WHEN CAST(value AS REAL) >= CAST(excluded.value AS REAL) "
                            "THEN value ELSE excluded.value END",
                            (repr(float(value)),),
                        )
                    else:
                        conn.execute("INSERT OR REPLACE INTO kv VALUES (?, ?)", (key, json.dumps(value)))
                conn.execute("COMMIT")
        if self.seal is not None:
            hwm = (kv or {}).get("hwm")
            self.seal.write(hwm=None if hwm is None else float(hwm), day=day or None, usage=buckets if day else None)

    def move_usage_after(self, day: str) -> float:
        """Fold usage recorded under days later than `day` into `day` (trusted time showed the clock ran ahead)."""
        moved = 0.0
        with self._lock:
            for conn in self._conns():
                conn.execute("BEGIN")
                rows = conn.execute(
                    "SELECT bucket, SUM(seconds) FROM usage WHERE day > ? GROUP BY bucket", (day,)
                ).fetchall()
                for bucket, seconds in rows:
                    conn.execute(
                        "INSERT INTO usage VALUES (?, ?, ?) ON CONFLICT(day, bucket) "
                        "DO UPDATE SET seconds = seconds + excluded.seconds",
                        (day, bucket, seconds),
                    )
                conn.execute("DELETE FROM usage WHERE day > ?", (day,))
                conn.execute("COMMIT")
                if conn is self._db:
                    moved = float(sum(s for _, s in rows))
        if self.seal is not None:
            self.seal.reset_day(day, self.usage(day))
        return moved

    # -- key/value time state ----------------------------------------------------------------
    @staticmethod
    def _get_float(conn: sqlite3.Connection, key: str) -> float | None:
        row = conn.execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        try:
            return float(json.loads(row[0]))
        except (ValueError, TypeError):
            return None

    @staticmethod
    def _get_text(conn: sqlite3.Connection, key: str) -> str | None:
        row = conn.execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()
        try:
            value = json.loads(row[0]) if row else None
        except ValueError:
            return None
        return value if isinstance(value, str) else None

    def get_state(self, key: str) -> Any:
        with self._lock:
            row = self._db.execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def set_state(self, values: dict[str, Any]) -> None:
        with self._lock:
            for conn in self._conns():
                conn.execute("BEGIN")
                for key, value in values.items():
                    conn.execute("INSERT OR REPLACE INTO kv VALUES (?, ?)", (key, json.dumps(value)))
                conn.execute("COMMIT")

    def raise_hwm(self, value: float) -> None:
        """Persist a device time seen; the stored high-water mark only moves forward."""
        self.save_usage("", {}, {"hwm": value})

    def force_hwm(self, value: float) -> None:
        """Lower or raise the high-water mark; only trusted time may do this."""
        with self._lock:
            for conn in self._conns():
                conn.execute("INSERT OR REPLACE INTO kv VALUES ('hwm', ?)", (repr(float(value)),))
        if self.seal is not None:
            self.seal.force_hwm(value)

    # -- extra time --------------------------------------------------------------------------
    def add_extra(self, day: str, minutes: int, source: str, ref: str | None, created: float) -> bool:
        """Record one-off extra minutes; a repeated (source, ref) is ignored (idempotent). True if new."""
        with self._lock:
            new = False
            for conn in self._conns():
                cur = conn.execute(
                    "INSERT OR IGNORE INTO extra_time (day, minutes, source, ref, created) VALUES (?,?,?,?,?)",
                    (day, int(minutes), source, ref, created),
                )
                if conn is self._db:
                    new = cur.rowcount == 1
        return new

    def extra_minutes(self, day: str) -> int:
        with self._lock:
            row = self._db.execute("SELECT COALESCE(SUM(minutes), 0) FROM extra_time WHERE day = ?", (day,)).fetchone()
        return int(row[0])

    # -- "more time" requests (queued for the MQTT agent) -------------------------------------
    def add_request(self, created: float, day: str, minutes: int, note: str) -> dict[str, Any]:
        with self._lock:
            cur = self._db.execute(
                "INSERT INTO requests (created, day, minutes, note) VALUES (?, ?, ?, ?)",
                (created, day, int(minutes), note),
            )
            rid = int(cur.lastrowid or 0)
        return self.request(rid) or {}

    def request(self, rid: int) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute(_REQ_SELECT + " WHERE id = ?", (rid,)).fetchone()
        return _req(row) if row else None

    def requests(self, status: str | None = None, day: str | None = None) -> list[dict[str, Any]]:
        sql, args = _REQ_SELECT + " WHERE 1=1", []
        if status:
            sql, args = sql + " AND status = ?", [*args, status]
        if day:
            sql, args = sql + " AND day = ?", [*args, day]
        with self._lock:
            rows = self._db.execute(sql + " ORDER BY id", args).fetchall()
        return [_req(r) for r in rows]

    def set_request_status(self, rid: int, status: str, sent_at: float | None = None) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE requests SET status = ?, sent_at = COALESCE(?, sent_at) WHERE id = ?", (status, sent_at, rid)
            )


_UPSERT_MAX = (
    "INSERT INTO usage (day, bucket, seconds) VALUES (?, ?, ?) ON CONFLICT(day, bucket) "
    "DO UPDATE SET seconds = MAX(seconds, excluded.seconds)"
)
_REQ_SELECT = "SELECT id, created, day, minutes, note, status, sent_at FROM requests"


def _req(row: tuple[Any, ...]) -> dict[str, Any]:
    keys = ("id", "created", "day", "minutes", "note", "status", "sent_at")
    return dict(zip(keys, row, strict=True))
