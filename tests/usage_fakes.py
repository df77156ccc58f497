"""Test helpers: a controllable wall clock, monotonic clock and boot id, plus a usage-clock factory."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from device.policy import validate
from device.usage.clocks import Clocks
from device.usage.engine import UsageClock
from device.usage.store import UsageStore
from device.usage.timekeeper import Timekeeper

TZ = ZoneInfo("Asia/Shanghai")


def epoch(text: str) -> float:
    """'2026-11-24 10:00' in Asia/Shanghai -> Unix seconds."""
    return datetime.fromisoformat(text).replace(tzinfo=TZ).timestamp()


@dataclass
class FakeTime:
    wall_s: float
    mono_s: float = 1000.0
    boot: str = "boot-1"
    boots: int = 1

    def clocks(self) -> Clocks:
        return Clocks(wall=lambda: self.wall_s, mono=lambda: self.mono_s, boot_id=lambda: self.boot)

    def advance(self, seconds: float) -> None:
        self.wall_s += seconds
        self.mono_s += seconds

    def set_wall(self, value: float) -> None:
        self.wall_s = value

    def reboot(self, off_s: float = 0.0) -> None:
        self.wall_s += off_s
        self.mono_s = 5.0
        self.boots += 1
        self.boot = f"boot-{self.boots}"


@dataclass
class Rig:
    home: Path
    time: FakeTime
    doc: dict[str, Any] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)
    flush_s: float = 5.0

    def __post_init__(self) -> None:
        self.open()

    def open(self) -> None:
        self.store = UsageStore(self.home / "usage.sqlite3", self.home / "mirror.sqlite3", self.home / "seal.json")
        self.tk = Timekeeper(self.store, self.time.clocks(), event_sink=self.events.append)
        self.set_policy(self.doc)

    def set_policy(self, doc: dict[str, Any]) -> None:
        self.doc = {"timezone": "Asia/Shanghai", **doc}
        rules = validate(self.doc)[0].time
        if hasattr(self, "clock"):
            self.clock.rules = lambda: rules
        else:
            self.clock = UsageClock(self.store, self.tk, lambda: rules, self.flush_s, self.events.append)

    def restart(self, flush: bool = True) -> None:
        """A new process (optionally without a final flush, like kill -9)."""
        if flush:
            self.clock.flush()
        self.store.close()
        del self.clock
        self.open()

    def use_for(self, seconds: float, step: float = 10.0, feature: str = "search") -> None:
        """Active use: one activity every `step` seconds for `seconds`."""
        self.clock.use(feature)
        done = 0.0
        while done < seconds:
            self.time.advance(step)
            done += step
            self.clock.use(feature)

    def kinds(self) -> list[str]:
        return [e["kind"] for e in self.events]
