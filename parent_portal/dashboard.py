"""What the dashboard shows per child: time used today against today's limit, pending requests, devices, and an
urgent support notice when the device answered a search about self-harm with care (parent_portal/support.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from parent_portal.models import Child, TimeRequest, UsageDay
from parent_portal.policy_doc import age_band
from parent_portal.policy_service import DeviceStatus, device_statuses
from parent_portal.requests_service import granted_today
from parent_portal.support import SupportNotice, support_notices


@dataclass(frozen=True, slots=True)
class ChildCard:
    child: Child
    band: str
    used_min: int
    limit_min: int
    pending: int
    devices: list[DeviceStatus]
    support: SupportNotice | None = None

    @property
    def used_percent(self) -> int:
        return 100 if self.limit_min <= 0 else min(100, round(100 * self.used_min / self.limit_min))


def local_today(timezone: str) -> date:
    """Today's date where the child is (a child's `timezone`)."""
    return datetime.now(ZoneInfo(timezone)).date()


def today_limit(child: Child, today: date, granted: int = 0) -> int:
    s = child.settings
    weekend = today.weekday() in (5, 6)
    return int(s.get("weekend_limit_min" if weekend else "weekday_limit_min", 0)) + granted


def child_cards(db: Session, children: list[Child], lang: str = "zh") -> list[ChildCard]:
    """One card per child, each with the child's own "today" (children may live in different zones)."""
    today = {c.id: local_today(c.timezone) for c in children}
    ids = [c.id for c in children]
    used: dict[int, int] = {}
    if ids:
        for child_id, day, seconds in db.execute(
            select(UsageDay.child_id, UsageDay.day, func.max(UsageDay.used_s))
            .where(UsageDay.child_id.in_(ids), UsageDay.day.in_(set(today.values())))
            .group_by(UsageDay.child_id, UsageDay.day)
        ):
            if today[child_id] == day:
                used[child_id] = int(seconds or 0)
    pending = dict(db.execute(
        select(TimeRequest.child_id, func.count()).where(TimeRequest.child_id.in_(ids), TimeRequest.status == "pending")
        .group_by(TimeRequest.child_id)
    ).all()) if ids else {}
    granted = granted_today(db, children) if ids else {}
    support = support_notices(db, children, lang)
    return [
        ChildCard(child=c, band=age_band(c.birth_year), used_min=int(used.get(c.id, 0)) // 60,
                  limit_min=today_limit(c, today[c.id], granted.get(c.id, 0)), pending=int(pending.get(c.id, 0)),
                  devices=device_statuses(c), support=support.get(c.id))
        for c in children
    ]
