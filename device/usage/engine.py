"""The usage clock: counts the child's active time and decides whether a feature may be used now.

Active time: each use (search, listen, a "reading" heartbeat from the page) is an activity. Every
activity counts at least the interaction quantum (policy `interaction_s`, default 15 s: the time to
read an answer), and the gap to the next activity counts in full when it is at most the idle gap
(policy `idle_gap_s`, default 60 s); a longer gap means the child was away and counts nothing more.
So one search every 61 s still counts 15 s each time, and rapid clicks count only the time they span
(counted time is the union of [activity, activity + quantum] and of the short gaps). Gaps are measured on the monotonic
clock, so changing the wall clock cannot add or remove counted time. Counters live in memory and are
flushed to SQLite as soon as `flush_interval_s` of counted time is unsaved, and by a background thread
every `flush_interval_s` (and on day change, on stop): a kill -9 or power cut loses less than that.

Continuous use (for the break reminder) restarts after a pause of at least `break.pause_min`.
Exempt features (policy `exempt_features`, e.g. dictionary) stay available when time is up and
count into their own bucket, not against the limit. Always-allowed features (call a parent,
emergency, clock) work at any time, including the night window, and count nothing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from device.events import EventSink, emit
from device.usage.rules import TimeRules
from device.usage.store import LIMIT_BUCKET, UsageStore
from device.usage.timekeeper import Timekeeper

log = logging.getLogger(__name__)

ALWAYS_ALLOWED = frozenset({"call_parent", "emergency", "clock", "talk"})  # talk: help lines (device/care.py)
FEATURES = frozenset({"search", "voice", "read", "dictionary", "homework"}) | ALWAYS_ALLOWED
OK, NIGHT, TIME_UP = "ok", "night", "time_up"
MAX_REQUESTS_PER_DAY = 5
REQUEST_DEDUP_S = 600.0


@dataclass(slots=True)
class Status:
    day: str
    device_time: float
    local_time: str
    state: str
    used_s: float
    limit_s: float | None
    extra_min: int
    left_s: float | None
    warning_min: int | None
    night: bool
    night_window: list[str] | None
    break_due: bool
    continuous_s: float
    exempt_today: bool
    exempt_features: list[str]

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        for key in ("used_s", "left_s", "limit_s", "continuous_s"):
            if out[key] is not None:
                out[key] = round(out[key], 1)
        return out


@dataclass(slots=True)
class Decision:
    allowed: bool
    reason: str  # ok | night | time_up
    status: Status


class MoreTimeError(ValueError):
    def __init__(self, en: str, zh: str) -> None:
        self.en, self.zh = en, zh
        super().__init__(en)


class UsageClock:
    def __init__(
        self,
        store: UsageStore,
        timekeeper: Timekeeper,
        rules: Callable[[], TimeRules],
        flush_interval_s: float = 5.0,
        event_sink: EventSink | None = None,
        hwm_interval_s: float = 30.0,
    ) -> None:
        self.store = store
        self.tk = timekeeper
        self.rules = rules
        self.flush_interval_s = flush_interval_s
        self.hwm_interval_s = hwm_interval_s
        self._last_hwm_save: float | None = None
        self.event_sink = event_sink
        self._lock = threading.RLock()
        self._day: str | None = None
        self._buckets: dict[str, float] = {}
        self._dirty = False
        self._unflushed = 0.0
        self._last_flush_mono = self._mono()
        self._last_activity: float | None = None
        self._covered_until: float | None = None  # monotonic time up to which usage has been counted
        self._last_feature = "search"
        self._session_start: float | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._reported: set[tuple[str, str]] = set()  # (day, state) already logged for the parent
        for finding in store.take_findings():  # e.g. usage files deleted while the device was off
            log.warning("usage: %s", finding)
            emit(event_sink, finding)

    # -- time helpers -------------------------------------------------------------------------
    def _mono(self) -> float:
        return self.tk.clocks.mono()

    def _today(self, rules: TimeRules) -> tuple[float, date]:
        dev = self.tk.now()
        return dev, rules.local(dev).date()

    def _ensure_day(self, day: date) -> None:
        key = day.isoformat()
        if key == self._day:
            return
        if self._day is not None:
            self._settle(self.rules())  # the last use's quantum belongs to the day it happened on
            self._flush_locked()
        self._day = key
        self._buckets = self.store.usage(key)

    # -- the public API -----------------------------------------------------------------------
    def status(self) -> Status:
        with self._lock:
            rules = self.rules()
            dev, day = self._today(rules)
            self._ensure_day(day)
            self._settle(rules)
            return self._status(rules, dev, day)

    def check(self, feature: str = "search") -> Decision:
        with self._lock:
            rules = self.rules()
            dev, day = self._today(rules)
            self._ensure_day(day)
            self._settle(rules)
            status = self._status(rules, dev, day)
            return Decision(*self._allowed(feature, rules, status), status)

    def use(self, feature: str = "search") -> Decision:
        """Check and, when allowed, count this activity. The one call API handlers make."""
        with self._lock:
            decision = self.check(feature)
            if decision.allowed and feature not in ALWAYS_ALLOWED:
                self._accrue(feature, self.rules())
                rules = self.rules()
                dev, day = self._today(rules)
                decision.status = self._status(rules, dev, day)
            return decision

    def grant_extra(self, minutes: int, day: str | None = None, source: str = "parent",
                    ref: str | None = None) -> bool:
        """One-off extra minutes for a day (default today). Idempotent per (source, ref)."""
        if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= 600:
            raise ValueError("minutes must be an integer from 1 to 600")
        with self._lock:
            rules = self.rules()
            dev, today = self._today(rules)
            new = self.store.add_extra(day or today.isoformat(), minutes, source, ref, dev)
        if new:
            day_s = day or today.isoformat()
            emit(self.event_sink, {"kind": "extra_time", "minutes": minutes, "day": day_s, "source": source})
        return new

    def request_more_time(self, minutes: int = 15, note: str = "") -> dict[str, Any]:
        """Queue a "more time" request for the parent (sent over MQTT by the device agent)."""
        if not isinstance(minutes, int) or isinstance(minutes, bool) or not 5 <= minutes <= 120:
            raise MoreTimeError("minutes must be from 5 to 120", "时间应在 5 到 120 分钟之间")
        note = note.strip()[:200]
        with self._lock:
            rules = self.rules()
            dev, today = self._today(rules)
            day = today.isoformat()
            mine = self.store.requests(day=day)
            for req in reversed(mine):
                if req["status"] in ("pending", "sent") and dev - req["created"] < REQUEST_DEDUP_S:
                    return {**req, "duplicate": True}
            if len(mine) >= MAX_REQUESTS_PER_DAY:
                raise MoreTimeError(
                    f"at most {MAX_REQUESTS_PER_DAY} requests a day", f"每天最多请求 {MAX_REQUESTS_PER_DAY} 次"
                )
            req = self.store.add_request(dev, day, minutes, note)
        emit(self.event_sink, {"kind": "more_time_request", "id": req["id"], "minutes": minutes})
        return {**req, "duplicate": False}

    def set_trusted_time(self, epoch: float) -> dict[str, Any]:
        """Adopt the portal's time; usage counted under days after the true today folds into today."""
        with self._lock:
            self._flush_locked()
            info = self.tk.set_trusted_time(epoch)
            rules = self.rules()
            _, day = self._today(rules)
            info["moved_s"] = round(self.store.move_usage_after(day.isoformat()), 1)
            self._day = None
            self._ensure_day(day)
            return info

    def report(self, days: int = 7) -> list[dict[str, Any]]:
        """Usage of the last `days` device days (today included), for the parent: counted and exempt minutes."""
        from datetime import timedelta

        with self._lock:
            self._flush_locked()
            rules = self.rules()
            _, today = self._today(rules)
            first = today - timedelta(days=max(1, days) - 1)
            rows = self.store.usage_days(first.isoformat(), today.isoformat())
        out = []
        for i in range(max(1, days)):
            day = (first + timedelta(days=i)).isoformat()
            buckets = rows.get(day, {})
            out.append({
                "day": day,
                "used_s": round(buckets.get(LIMIT_BUCKET, 0.0), 1),
                "exempt_s": {k.split(":", 1)[1]: round(v, 1) for k, v in buckets.items() if k.startswith("exempt:")},
            })
        return out

    def flush(self) -> None:
        with self._lock:
            if self._day is not None:
                self._settle(self.rules())
            self._flush_locked()

    def maybe_flush(self) -> None:
        with self._lock:
            if self._dirty and self._mono() - self._last_flush_mono >= self.flush_interval_s:
                self._flush_locked()

    def tick(self) -> None:
        """What the background thread does: flush when due, and keep the time high-water mark fresh
        while the device is idle (so "set the clock back, then reboot" cannot land before the night)."""
        with self._lock:
            if self._day is not None:
                self._settle(self.rules())
        self.maybe_flush()
        mono = self._mono()
        if self._last_hwm_save is None or mono - self._last_hwm_save >= self.hwm_interval_s:
            self.store.raise_hwm(self.tk.now())
            self._last_hwm_save = mono

    def start(self) -> None:
        """Flush in the background so a crash loses at most `flush_interval_s` of counted time."""
        self._thread = threading.Thread(target=self._run, name="usage-flush", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.flush()

    # -- internals -------------------------------------------------------------------------------
    def _run(self) -> None:
        tick = max(0.05, min(1.0, self.flush_interval_s / 2))
        while not self._stop.wait(tick):
            try:
                self.tick()
            except Exception:
                log.exception("usage flush failed")

    def _flush_locked(self) -> None:
        if self._day is not None:
            self.store.save_usage(self._day, dict(self._buckets), self.tk.state())
        self._dirty = False
        self._unflushed = 0.0
        self._last_flush_mono = self._mono()

    def _credit(self, seconds: float, feature: str, rules: TimeRules) -> None:
        bucket = f"exempt:{feature}" if feature in rules.exempt_features else LIMIT_BUCKET
        self._buckets[bucket] = self._buckets.get(bucket, 0.0) + seconds
        self._unflushed += seconds
        self._dirty = True

    def _settle(self, rules: TimeRules, activity: bool = False) -> None:
        """Count the time since the last activity that has really passed: up to now when a new activity
        comes within the idle gap, else only up to the last activity's quantum (never future time)."""
        last, covered = self._last_activity, self._covered_until
        if last is None or covered is None or self._day is None:
            return
        mono = self._mono()
        quantum = min(rules.interaction_s, rules.idle_gap_s)
        gap = mono - last
        end = mono if activity and 0 <= gap <= rules.idle_gap_s else min(mono, last + quantum)
        if end > covered:
            self._credit(end - covered, self._last_feature, rules)
            self._covered_until = end

    def _accrue(self, feature: str, rules: TimeRules) -> None:
        mono = self._mono()
        last = self._last_activity
        gap = None if last is None else mono - last
        self._settle(rules, activity=True)
        self._covered_until = mono
        self._last_feature = feature
        if gap is None or gap < 0 or gap >= rules.break_pause_min * 60 or self._session_start is None:
            self._session_start = mono
        self._last_activity = mono
        # Invariant: after a use returns, less than `flush_interval_s` of counted time is unsaved.
        if self._unflushed >= self.flush_interval_s or (
            self._dirty and mono - self._last_flush_mono >= self.flush_interval_s
        ):
            self._flush_locked()

    def _continuous_s(self, rules: TimeRules) -> float:
        if self._last_activity is None or self._session_start is None:
            return 0.0
        if self._mono() - self._last_activity >= rules.break_pause_min * 60:
            return 0.0
        return self._last_activity - self._session_start

    def _status(self, rules: TimeRules, dev: float, day: date) -> Status:
        used = self._buckets.get(LIMIT_BUCKET, 0.0)
        limit = rules.limit_s(day)
        extra = self.store.extra_minutes(day.isoformat()) + rules.policy_extra_min(day)
        left = None if limit is None else max(0.0, limit + extra * 60 - used)
        local = rules.local(dev)
        night = rules.in_night(local)
        state = NIGHT if night else TIME_UP if left is not None and left <= 0 else OK
        continuous = self._continuous_s(rules)
        if state == TIME_UP and (day.isoformat(), state) not in self._reported:
            self._reported.add((day.isoformat(), state))
            emit(self.event_sink, {"kind": "limit_reached", "day": day.isoformat(), "used_s": round(used, 1),
                        "limit_s": limit, "extra_min": extra})
        return Status(
            day=day.isoformat(),
            device_time=round(dev, 3),
            local_time=local.isoformat(timespec="seconds"),
            state=state,
            used_s=used,
            limit_s=limit,
            extra_min=extra,
            left_s=left,
            warning_min=None if left is None or state != OK else rules.warning_for(left),
            night=night,
            night_window=[t.strftime("%H:%M") for t in rules.night] if rules.night else None,
            break_due=state == OK and continuous >= rules.break_after_min * 60,
            continuous_s=continuous,
            exempt_today=limit is None,
            exempt_features=sorted(rules.exempt_features),
        )

    @staticmethod
    def _allowed(feature: str, rules: TimeRules, status: Status) -> tuple[bool, str]:
        if feature in ALWAYS_ALLOWED:
            return True, OK
        if status.state == NIGHT:
            return False, NIGHT
        if feature in rules.exempt_features:
            return True, OK
        if status.state == TIME_UP:
            return False, TIME_UP
        return True, OK
