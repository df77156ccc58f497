""""More time" requests: recording one from a device (idempotent), answering it, and what is new since."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from parent_portal.models import Child, Device, TimeRequest, utcnow
from parent_portal.policy_service import save_settings

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


def answer(db: Session, row: TimeRequest, approve: bool, minutes: int, publisher: Any, timezone: str,
           today: date) -> None:
    """Approve (adds extra minutes for today to the policy and publishes it) or deny; answered once."""
    if row.status != "pending":
        return
    child = db.get(Child, row.child_id)
    assert child is not None
    row.status = "approved" if approve else "denied"
    row.answered_at = utcnow()
    if approve:
        row.granted_min = max(1, min(MAX_GRANT_MIN, minutes))
        settings = dict(child.settings)
        extra = [e for e in settings.get("extra_time", []) if e.get("date", "") >= today.isoformat()]
        extra.append({"date": today.isoformat(), "minutes": row.granted_min, "ref": f"request-{row.id}"})
        settings["extra_time"] = extra
        save_settings(db, child, settings, publisher, timezone)  # commits
    else:
        db.commit()
    if publisher is not None and row.ref.isdigit():
        publisher.publish_answer(row.device_id, int(row.ref), approve, row.granted_min or 0, today)


def family_requests(db: Session, family_id: int, after_id: int = 0, pending_only: bool = True) -> list[TimeRequest]:
    query = (select(TimeRequest).join(Child, Child.id == TimeRequest.child_id)
             .where(Child.family_id == family_id, TimeRequest.id > after_id).order_by(TimeRequest.id))
    if pending_only:
        query = query.where(TimeRequest.status == "pending")
    return list(db.scalars(query.limit(50)))
