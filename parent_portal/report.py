"""A child's report for the last N days: minutes per day, blocked items by category per day, the blocked
list (rule, category, disguise; the words only when the parent's reporting level allows), requests
and tamper events."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from parent_portal.models import Child, Event, TimeRequest, UsageDay, occurrences

BLOCK_KINDS = frozenset({"search_blocked", "voice_blocked", "result_blocked", "blocked", "listen_blocked"})
TAMPER_KINDS = frozenset({"tamper", "clock_tamper", "usage_tamper", "clock_backwards", "usage_files_deleted"})


@dataclass(frozen=True, slots=True)
class Report:
    days: list[date]
    minutes: list[float]
    blocked_series: dict[str, list[int]]
    blocked: list[Event]
    tamper: list[Event]
    requests: list[TimeRequest]
    show_text: bool


def is_tamper(kind: str) -> bool:
    return kind in TAMPER_KINDS or "tamper" in kind


def build(db: Session, child: Child, days: int) -> Report:
    """The report in the child's own time zone (days start at the child's local midnight)."""
    tz = ZoneInfo(child.timezone)
    today = datetime.now(tz).date()
    span = [today - timedelta(days=days - 1 - i) for i in range(days)]
    usage = dict(db.execute(
        select(UsageDay.day, func.sum(UsageDay.used_s)).where(UsageDay.child_id == child.id, UsageDay.day >= span[0])
        .group_by(UsageDay.day)
    ).all())
    minutes = [round(float(usage.get(d, 0)) / 60, 1) for d in span]
    since = datetime.combine(span[0], datetime.min.time(), tz).astimezone(UTC)
    events = list(db.scalars(select(Event).where(Event.child_id == child.id, Event.at >= since)
                             .order_by(Event.at.desc()).limit(2000)))
    index = {d: i for i, d in enumerate(span)}
    series: dict[str, list[int]] = defaultdict(lambda: [0] * len(span))
    blocked, tamper = [], []
    for ev in events:
        if ev.kind in BLOCK_KINDS:
            blocked.append(ev)
            i = index.get(ev.at.astimezone(tz).date())
            if i is not None:
                series[ev.category or "other"][i] += occurrences(ev.data)  # a coalesced row counts its repeats
        elif is_tamper(ev.kind):
            tamper.append(ev)
    requests = list(db.scalars(select(TimeRequest).where(TimeRequest.child_id == child.id,
                                                         TimeRequest.created_at >= since)
                               .order_by(TimeRequest.id.desc()).limit(100)))
    return Report(days=span, minutes=minutes, blocked_series=dict(sorted(series.items())), blocked=blocked[:200],
                  tamper=tamper[:100], requests=requests,
                  show_text=child.settings.get("reporting") == "with_text")
