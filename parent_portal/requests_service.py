""""More time" requests: recording one from a device (idempotent), answering it, and what is new since."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from parent_portal.models import Child, Device, TimeRequest, utcnow

MAX_GRANT_MIN = 600


def record(db: Session, device: Device, ref: str, minutes: int, note: str = "") -> TimeRequest | None:
    """Store a request once per (device, ref); a QoS 1 repeat returns None and changes nothing."""
    row = TimeRequest(child_id=device.child_id, device_id=device.id, ref=ref[:64], minutes=minutes, note=note[:200])
    db.add(row)
    try:
        db.commit()
    except IntegrityError:
        db.rollback()
        return None
    return row


def answer(db: Session, row: TimeRequest, approve: bool, minutes: int, publisher: Any, today: date) -> bool:
    """Approve with minutes, or deny, by a signed answer on the device's answers topic (the device grants
    the minutes itself, once per request). Answered once; False when the broker did not take the answer
    (the request stays pending so the parent can try again)."""
    if row.status != "pending":
        return True
    granted = max(1, min(MAX_GRANT_MIN, minutes)) if approve else None
    if publisher is not None and row.ref.isdigit():
        if not publisher.publish_answer(row.device_id, int(row.ref), approve, granted or 0, today):
            db.rollback()
            return False
    row.status = "approved" if approve else "denied"
    row.granted_min = granted
    row.answered_at = utcnow()
    db.commit()
    return True


def local_midnight(timezone: str) -> datetime:
    """The start of today where the child is, in UTC."""
    tz = ZoneInfo(timezone)
    return datetime.combine(datetime.now(tz).date(), datetime.min.time(), tz).astimezone(UTC)


def granted_today(db: Session, children: list[Child]) -> dict[int, int]:
    """Minutes granted today (each child's local day) per child by answered requests, for the dashboard."""
    starts = {c.id: local_midnight(c.timezone) for c in children}
    rows = db.execute(select(TimeRequest.child_id, TimeRequest.granted_min, TimeRequest.answered_at).where(
        TimeRequest.child_id.in_(list(starts)), TimeRequest.status == "approved",
        TimeRequest.answered_at >= min(starts.values())))
    out: dict[int, int] = {}
    for child_id, minutes, answered_at in rows:
        if answered_at is not None and answered_at >= starts[child_id]:
            out[child_id] = out.get(child_id, 0) + int(minutes or 0)
    return out


def family_requests(db: Session, family_id: int, after_id: int = 0, pending_only: bool = True) -> list[TimeRequest]:
    query = (select(TimeRequest).join(Child, Child.id == TimeRequest.child_id)
             .where(Child.family_id == family_id, TimeRequest.id > after_id).order_by(TimeRequest.id))
    if pending_only:
        query = query.where(TimeRequest.status == "pending")
    return list(db.scalars(query.limit(50)))
