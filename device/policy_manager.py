"""Putting a policy in force: all of a document or none of it, and the last good one kept.

    PolicyManager.apply_policy(doc, source) -> PolicyResult   entry point for files and MQTT messages;
        an invalid document is rejected (a `policy_rejected` event for the parent) and the policy in
        force stays; the last good one is saved (policy.active.json, 0600) so a restart with a broken
        file still enforces it. Nothing a document holds can stop the device from starting.
    PolicyManager.apply_json(raw, source)     the same from bytes (strict JSON: device.policy.parse_policy)
    read_policy_file(path) -> bytes           never blocks (FIFO), never reads more than the limit
                                              (a symlink to /dev/zero), refuses what is not a regular file
    PolicyWatcher   polls the policy file's (mtime, size, inode) and applies changes.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from device.events import emit
from device.policy import (
    MAX_POLICY_BYTES,
    DevicePolicy,
    DevicePolicyError,
    Problem,
    default_policy,
    parse_policy,
    validate,
)
from device.small_file import SmallFileError, read_small_file

log = logging.getLogger(__name__)


@dataclass(slots=True)
class PolicyResult:
    ok: bool
    version: str | None = None
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "version": self.version,
            "errors": [p.to_json() for p in self.errors],
            "warnings": [p.to_json() for p in self.warnings],
        }


def read_policy_file(path: Path, limit: int = MAX_POLICY_BYTES) -> bytes:
    """The bytes of a policy file; DevicePolicyError for special files, oversize or unreadable ones."""
    try:
        return read_small_file(path, limit)
    except SmallFileError as exc:
        if exc.kind == "too_big":
            raise DevicePolicyError([Problem("$", f"policy file is larger than {limit:,} bytes",
                                             f"策略文件超过 {limit:,} 字节")]) from None
        raise DevicePolicyError([Problem("$", exc.en, exc.zh)]) from None


def parse_file(path: Path) -> Any:
    """Read and strictly parse a policy file; raises DevicePolicyError."""
    return parse_policy(read_policy_file(Path(path)))


Listener = Callable[[DevicePolicy], None]


class PolicyManager:
    """Holds the policy in force. `apply_policy` is atomic: all of a document or none of it."""

    def __init__(self, active_path: Path | None = None, timezone: str | None = None,
                 event_sink: Callable[[dict[str, Any]], None] | None = None) -> None:
        self.active_path = active_path
        self.timezone = timezone
        self.event_sink = event_sink
        self._lock = threading.Lock()
        self._listeners: list[Listener] = []
        self._current = default_policy(timezone)
        self.last_result: PolicyResult | None = None
        if active_path is not None and active_path.exists():
            try:
                self._current = validate(self._with_defaults(parse_file(active_path)))[0]
            except DevicePolicyError as exc:
                log.error("saved policy %s is invalid, using defaults: %s", active_path, exc)
                emit(event_sink, {"kind": "policy_rejected", "source": str(active_path),
                                  "errors": [p.to_json() for p in exc.problems]})

    @property
    def current(self) -> DevicePolicy:
        return self._current

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def _with_defaults(self, doc: Any) -> Any:
        """The firmware's time zone applies when the parent's policy names none."""
        if isinstance(doc, dict) and self.timezone and "timezone" not in doc:
            return {**doc, "timezone": self.timezone}
        return doc

    def _reject(self, source: str, exc: DevicePolicyError) -> PolicyResult:
        result = PolicyResult(ok=False, version=self._current.version, errors=exc.problems)
        log.error("policy from %s rejected, keeping version %s: %s", source, self._current.version, exc)
        emit(self.event_sink, {"kind": "policy_rejected", "source": source,
                               "errors": [p.to_json() for p in exc.problems]})
        self.last_result = result
        return result

    def apply_policy(self, doc: Any, source: str = "api") -> PolicyResult:
        """Validate and put a policy document in force, all or nothing (files and MQTT)."""
        try:
            policy, warnings = validate(self._with_defaults(doc))
        except DevicePolicyError as exc:
            return self._reject(source, exc)
        with self._lock:
            self._current = policy
            if self.active_path is not None:
                _atomic_write(self.active_path, json.dumps(doc, ensure_ascii=False, indent=1))
        for listener in list(self._listeners):
            try:
                listener(policy)
            except Exception:
                log.exception("policy listener failed")
        emit(self.event_sink, {"kind": "policy_applied", "source": source, "version": policy.version})
        self.last_result = PolicyResult(ok=True, version=policy.version, warnings=warnings)
        return self.last_result

    def apply_json(self, raw: bytes | str, source: str = "mqtt") -> PolicyResult:
        """Parse (strict JSON) and apply; the form an MQTT message arrives in."""
        try:
            doc = parse_policy(raw)
        except DevicePolicyError as exc:
            return self._reject(source, exc)
        return self.apply_policy(doc, source=source)

    def apply_file(self, path: Path) -> PolicyResult:
        try:
            raw = read_policy_file(Path(path))
        except DevicePolicyError as exc:
            return self._reject(str(path), exc)
        return self.apply_json(raw, source=str(path))


def _atomic_write(path: Path, text: str) -> None:
    """Write a private file (0600) atomically: a power cut leaves the old or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0), 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        os.fchmod(fh.fileno(), 0o600)
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


class PolicyWatcher:
    """Polls a policy file and applies it when its (mtime, size, inode) changes. No inotify needed."""

    def __init__(self, path: Path, manager: PolicyManager, interval_s: float = 1.0) -> None:
        self.path = Path(path)
        self.manager = manager
        self.interval_s = interval_s
        self._seen: tuple[int, int, int] | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _signature(self) -> tuple[int, int, int] | None:
        try:
            st = self.path.stat()
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError as exc:  # e.g. a symlink loop: reported once per change like any bad file
            return (-1, exc.errno or 0, 0)
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def check(self) -> PolicyResult | None:
        """Apply the file if it changed since the last check; None when unchanged or absent."""
        sig = self._signature()
        if sig is None or sig == self._seen:
            return None
        self._seen = sig
        return self.manager.apply_file(self.path)

    def start(self) -> None:
        try:
            self.check()
        except Exception:  # the device starts whatever the file holds
            log.exception("policy watcher")
        self._thread = threading.Thread(target=self._run, name="policy-watcher", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            try:
                self.check()
            except Exception:  # keep watching whatever happens
                log.exception("policy watcher")

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
