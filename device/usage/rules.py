"""Time rules from the policy: daily limits by weekday/weekend, night window, breaks, exemptions.

Defaults per age band come from device/data/band_defaults.json (CAC minor-mode guideline). All
times of day are local to the policy's time zone, evaluated on the tamper-resistant device time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

_DEFAULTS_PATH = Path(__file__).resolve().parent.parent / "data" / "band_defaults.json"


@lru_cache(maxsize=1)
def band_defaults() -> dict[str, Any]:
    return json.loads(_DEFAULTS_PATH.read_text(encoding="utf-8"))


def _hhmm(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


@dataclass(frozen=True, slots=True)
class TimeRules:
    weekday_limit_min: int
    weekend_limit_min: int
    weekend_days: frozenset[int]
    night: tuple[time, time] | None
    break_after_min: int
    break_pause_min: int
    warnings_min: tuple[int, ...]
    idle_gap_s: int
    interaction_s: int
    exempt_features: frozenset[str]
    exempt_dates: frozenset[str]
    extra_time: tuple[tuple[str, int, str], ...]  # (date, minutes, ref)
    tz: ZoneInfo | None

    @classmethod
    def from_doc(cls, block: dict[str, Any] | None, band: str, tz: ZoneInfo | None = None) -> TimeRules:
        """Build rules from a schema-valid "time" block; omitted keys take the band's defaults."""
        d = band_defaults()
        block = block or {}
        default_limit = int(d["daily_limit_min"][band])
        limit = block.get("daily_limit_min", default_limit)
        if isinstance(limit, int):
            weekday = weekend = limit
        else:
            weekday = int(limit.get("weekday", default_limit))
            weekend = int(limit.get("weekend", default_limit))
        night_doc = block["night"] if "night" in block else d["night"]
        night = (_hhmm(night_doc["start"]), _hhmm(night_doc["end"])) if night_doc else None
        brk = {**d["break"], **block.get("break", {})}
        extras = tuple(
            (e["date"], int(e["minutes"]), str(e.get("ref", f"policy-{i}")))
            for i, e in enumerate(block.get("extra_time", []))
        )
        return cls(
            weekday_limit_min=weekday,
            weekend_limit_min=weekend,
            weekend_days=frozenset(block.get("weekend_days", d["weekend_days"])),
            night=night,
            break_after_min=int(brk["after_min"]),
            break_pause_min=int(brk["pause_min"]),
            warnings_min=tuple(sorted(block.get("warnings_min", d["warnings_min"]), reverse=True)),
            idle_gap_s=int(block.get("idle_gap_s", d["idle_gap_s"])),
            interaction_s=int(block.get("interaction_s", d["interaction_s"])),
            exempt_features=frozenset(block.get("exempt_features", [])),
            exempt_dates=frozenset(block.get("exempt_dates", [])),
            extra_time=extras,
            tz=tz,
        )

    def local(self, epoch: float) -> datetime:
        return datetime.fromtimestamp(epoch, tz=self.tz) if self.tz else datetime.fromtimestamp(epoch).astimezone()

    def limit_s(self, day: date) -> float | None:
        """Seconds allowed on `day` before extra time; None when the day is exempt (no limit)."""
        if day.isoformat() in self.exempt_dates:
            return None
        minutes = self.weekend_limit_min if day.weekday() in self.weekend_days else self.weekday_limit_min
        return minutes * 60.0

    def policy_extra_min(self, day: date) -> int:
        return sum(m for d, m, _ in self.extra_time if d == day.isoformat())

    def in_night(self, moment: datetime) -> bool:
        if self.night is None:
            return False
        start, end = self.night
        now = moment.time().replace(second=0, microsecond=0, tzinfo=None)
        if start < end:
            return start <= now < end
        return now >= start or now < end

    def warning_for(self, left_s: float) -> int | None:
        """The smallest warning threshold (minutes) that `left_s` has crossed, or None."""
        crossed = [m for m in self.warnings_min if left_s <= m * 60]
        return min(crossed) if crossed else None
