"""Device time that a child cannot move by changing the clock, rebooting or deleting caches.

Rules (documented decision, see device/usage/README.md):
- Within one boot the device time is `anchor + (monotonic now - monotonic at anchor)`. The wall clock
  is only *watched*: a change of more than `tolerance_s` either way (set back, or set forward
  further than the monotonic clock moved) is a suspected tamper; it is logged for the parent and
  grants nothing. A legitimate big correction (e.g. first NTP sync) comes in via `set_trusted_time`.
- At boot (boot id changed or monotonic clock restarted) elapsed time cannot be measured offline, so
  the wall clock is read once, plus the last trusted offset, but never below the persisted high-water
  mark (the latest device time ever seen): the device day never goes backwards. A forward gap at boot
  is accepted (a device that was off overnight is normal) and reported as an event.
- `set_trusted_time(epoch)` (the portal's clock, when online) is authoritative: it re-anchors, may lower
  the high-water mark, and folds usage recorded under "future" days back into the true today, so
  jumping to tomorrow and rebooting still cannot earn a fresh day once the device is online again.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from device.events import EventSink, emit
from device.usage.clocks import SYSTEM_CLOCKS, Clocks
from device.usage.store import UsageStore

log = logging.getLogger(__name__)



class Timekeeper:
    def __init__(
        self,
        store: UsageStore,
        clocks: Clocks = SYSTEM_CLOCKS,
        tolerance_s: float = 120.0,
        event_sink: EventSink | None = None,
    ) -> None:
        self.store = store
        self.clocks = clocks
        self.tolerance_s = tolerance_s
        self.event_sink = event_sink
        self._lock = threading.RLock()
        self._offset = float(store.get_state("trusted_offset") or 0.0)
        self._hwm = float(store.get_state("hwm") or 0.0)
        anchor = store.get_state("anchor") or {}
        self._anchor_dev: float | None = anchor.get("dev")
        self._anchor_mono: float | None = anchor.get("mono")
        self._boot: str | None = anchor.get("boot")
        self._reported_drift = 0.0
        self.trusted_at: float | None = store.get_state("trusted_at")

    # -- public -----------------------------------------------------------------------------
    @property
    def high_water_mark(self) -> float:
        return self._hwm

    def now(self) -> float:
        """Current device time (Unix epoch seconds, never earlier than any time seen before)."""
        with self._lock:
            mono, boot = self.clocks.mono(), self.clocks.boot_id()
            if (
                self._anchor_dev is None
                or self._anchor_mono is None
                or boot != self._boot
                or mono < self._anchor_mono
            ):
                self._boot_anchor(mono, boot)
            assert self._anchor_dev is not None and self._anchor_mono is not None
            dev = self._anchor_dev + (mono - self._anchor_mono)
            self._watch_wall(dev)
            self._hwm = max(self._hwm, dev)
            return max(dev, self._hwm)

    def set_trusted_time(self, epoch: float) -> dict[str, Any]:
        """Adopt a trusted clock reading (from the parent portal). Returns what changed."""
        epoch = float(epoch)
        with self._lock:
            before = self.now()
            mono, boot = self.clocks.mono(), self.clocks.boot_id()
            self._offset = epoch - self.clocks.wall()
            self._set_anchor(epoch, mono, boot)
            self._hwm = epoch
            self._reported_drift = 0.0
            self.trusted_at = epoch
            self.store.force_hwm(epoch)
            self.store.set_state({"trusted_offset": self._offset, "trusted_at": epoch})
            delta = epoch - before
        info = {"kind": "trusted_time", "delta_s": round(delta, 3), "epoch": epoch}
        self._emit(info)
        return info

    def state(self) -> dict[str, Any]:
        """What to persist on every flush."""
        return {"hwm": self._hwm}

    # -- internals ---------------------------------------------------------------------------
    def _boot_anchor(self, mono: float, boot: str) -> None:
        wall = self.clocks.wall() + self._offset
        dev = max(wall, self._hwm)
        first = self._anchor_dev is None and self._hwm == 0.0
        self._set_anchor(dev, mono, boot)
        self._reported_drift = wall - dev
        if first:
            return
        if wall < self._hwm - self.tolerance_s:
            self._emit({"kind": "clock_tamper", "at": "boot", "direction": "back",
                        "seconds": round(self._hwm - wall, 1)})
        elif wall > self._hwm + self.tolerance_s:
            self._emit({"kind": "boot_time_gap", "seconds": round(wall - self._hwm, 1)})

    def _set_anchor(self, dev: float, mono: float, boot: str) -> None:
        self._anchor_dev, self._anchor_mono, self._boot = dev, mono, boot
        self.store.set_state({"anchor": {"dev": dev, "mono": mono, "boot": boot}})
        self.store.raise_hwm(max(self._hwm, dev))

    def _watch_wall(self, dev: float) -> None:
        drift = (self.clocks.wall() + self._offset) - dev
        if abs(drift - self._reported_drift) <= self.tolerance_s:
            return
        direction = "forward" if drift > self._reported_drift else "back"
        self._reported_drift = drift
        self._emit({"kind": "clock_tamper", "at": "running", "direction": direction,
                    "seconds": round(abs(drift), 1)})

    def _emit(self, event: dict[str, Any]) -> None:
        routine = event["kind"] == "trusted_time" and abs(event.get("delta_s") or 0) <= self.tolerance_s
        log.log(logging.INFO if routine else logging.WARNING, "time: %s", event)  # a re-anchor by seconds is routine
        emit(self.event_sink, event)
