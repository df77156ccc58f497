"""The time seal: a third, small copy of the time high-water mark and of today's usage.

The usage database and its mirror can both be deleted by whoever can write the data folder. The seal
(`KIDSAFE_TIME_SEAL`, default `HOME/.time-seal.json`; a firmware image puts it on a partition the
child-facing side cannot write) holds the high-water mark, the current day's counters and the ids of
the two database files. On start, a database whose id is not the sealed one was deleted or replaced:
today's usage is restored from the seal and a `usage_tamper` event tells the parent. A missing seal
next to databases that were sealed is reported the same way. Written atomically (0600) on every flush.
"""

from __future__ import annotations

import json
import logging
import math
import os
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


class TimeSeal:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._state: dict[str, Any] = {}

    def read(self) -> dict[str, Any] | None:
        """The sealed state, or None when there is none (or it is unreadable, which is logged)."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            log.error("time seal %s unreadable: %s", self.path, exc)
            return None
        try:
            state = json.loads(raw[:100_000])
        except ValueError:
            log.error("time seal %s is corrupt", self.path)
            return None
        if not isinstance(state, dict):
            return None
        usage = state.get("usage") if isinstance(state.get("usage"), dict) else {}
        state["usage"] = {str(k): float(v) for k, v in usage.items()
                          if isinstance(v, int | float) and math.isfinite(v) and v >= 0}
        hwm = state.get("hwm")
        state["hwm"] = float(hwm) if isinstance(hwm, int | float) and math.isfinite(hwm) else 0.0
        state["ids"] = state.get("ids") if isinstance(state.get("ids"), dict) else {}
        self._state = state
        return state

    def write(self, *, ids: dict[str, str] | None = None, hwm: float | None = None, day: str | None = None,
              usage: dict[str, float] | None = None) -> None:
        state = dict(self._state)
        if ids is not None:
            state["ids"] = ids
        if hwm is not None:
            state["hwm"] = max(float(hwm), float(state.get("hwm") or 0.0))
        if day:
            if state.get("day") != day:
                state["usage"] = {}
            state["day"] = day
            merged = dict(state.get("usage") or {})
            for bucket, seconds in (usage or {}).items():
                merged[bucket] = max(float(seconds), merged.get(bucket, 0.0))
            state["usage"] = merged
        self._state = state
        self._save(state)

    def reset_day(self, day: str, usage: dict[str, float]) -> None:
        """Trusted time folded usage back into `day`: the seal follows (never keeps a "future" day)."""
        self._state["day"], self._state["usage"] = day, dict(usage)
        self._save(self._state)

    def force_hwm(self, hwm: float) -> None:
        """Trusted time may lower the mark."""
        self._state["hwm"] = float(hwm)
        self._save(self._state)

    def _save(self, state: dict[str, Any]) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            tmp = self.path.with_name(self.path.name + ".tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(state, fh, ensure_ascii=False)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except OSError:
            log.exception("could not write the time seal %s", self.path)
