"""Support notices: a child's device answered a search or question about self-harm or suicide with care
(device event "support_needed", device/care.py). The dashboard shows it at the top of the child's card for
SUPPORT_DAYS days, urgent and calm, with what a parent can do and the help lines of the child's region
(device/data/help_lines.json, read through parent_portal/device_link.py, chosen by the child's time zone). It holds
the category and the time, never the child's words: those reach the portal only when the parent chose reporting
"with_text", and then only in the report, as for any blocked search. "I have talked with my child" (`mark_seen`)
stores a `support_seen` event (device "portal"): only support_needed events after the last one count, so a new
one shows again.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from parent_portal.device_link import help_lines
from parent_portal.models import Child, Event, occurrences, utcnow

SUPPORT_KIND = "support_needed"
SEEN_KIND = "support_seen"  # the parent's "I have talked with my child"
SUPPORT_DAYS = 7


@dataclass(frozen=True, slots=True)
class SupportNotice:
    last_at: datetime
    count: int
    lines: list[dict[str, str]] = field(default_factory=list)  # {"name", "number", "tel"} in the page's language
    emergency: str = ""


def support_notices(db: Session, children: list[Child], lang: str) -> dict[int, SupportNotice]:
    """child id -> the notice of the last SUPPORT_DAYS days since the parent last marked it seen (children
    without one are absent)."""
    ids = [c.id for c in children]
    if not ids:
        return {}
    since = utcnow() - timedelta(days=SUPPORT_DAYS)
    seen = dict(db.execute(select(Event.child_id, func.max(Event.at))
                           .where(Event.child_id.in_(ids), Event.kind == SEEN_KIND, Event.at >= since)
                           .group_by(Event.child_id)).all())
    times: dict[int, list[datetime]] = {}
    counts: dict[int, int] = {}
    for child_id, at, data in db.execute(select(Event.child_id, Event.at, Event.data).where(
            Event.child_id.in_(ids), Event.kind == SUPPORT_KIND, Event.at >= since)):
        if child_id not in seen or at > seen[child_id]:
            times.setdefault(child_id, []).append(at)
            counts[child_id] = counts.get(child_id, 0) + occurrences(data)  # a coalesced row counts its repeats
    zones = {c.id: c.timezone for c in children}
    out = {}
    for child_id, ats in times.items():
        lines, emergency = help_lines(zones[child_id], lang)
        out[child_id] = SupportNotice(last_at=max(ats), count=counts[child_id], lines=lines, emergency=emergency)
    return out


def mark_seen(db: Session, child: Child) -> None:
    """The parent has talked with the child: the notices so far are done (kept as an event, exported with them)."""
    db.add(Event(child_id=child.id, device_id="portal", msg_id=f"seen-{uuid.uuid4().hex}", kind=SEEN_KIND,
                 at=utcnow(), data={}))
    db.commit()
