"""Data rights (PIPL / COPPA): export everything about a child, delete a child and everything about
them, and retention (reports and events older than the limit are deleted)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from parent_portal.broker_accounts import BrokerAccounts
from parent_portal.models import Child, Device, Event, PairingCode, TimeRequest, UsageDay, utcnow
from parent_portal.pairing import revoke


def export_child(db: Session, child: Child) -> dict[str, Any]:
    """All the portal holds about one child, as JSON-ready data."""
    def iso(value: Any) -> Any:
        return value.isoformat() if value is not None and hasattr(value, "isoformat") else value

    return {
        "format": "kidsafe-portal-export/1",
        "exported_at": utcnow().isoformat(),
        "child": {"name": child.name, "birth_year": child.birth_year, "created_at": iso(child.created_at),
                  "settings": child.settings, "policy_version": child.policy_version},
        "devices": [{"id": d.id, "name": d.name, "paired_at": iso(d.paired_at), "state": d.state,
                     "state_at": iso(d.state_at)} for d in child.devices],
        "usage": [{"device_id": u.device_id, "day": iso(u.day), "used_s": u.used_s}
                  for u in db.scalars(select(UsageDay).where(UsageDay.child_id == child.id).order_by(UsageDay.day))],
        "events": [{"device_id": e.device_id, "kind": e.kind, "at": iso(e.at), "category": e.category,
                    "rule": e.rule, "view": e.view, "query_text": e.query_text, "data": e.data}
                   for e in db.scalars(select(Event).where(Event.child_id == child.id).order_by(Event.at))],
        "requests": [{"minutes": r.minutes, "note": r.note, "created_at": iso(r.created_at), "status": r.status,
                      "granted_min": r.granted_min, "answered_at": iso(r.answered_at)}
                     for r in db.scalars(select(TimeRequest).where(TimeRequest.child_id == child.id))],
    }


def delete_child(db: Session, child: Child, accounts: BrokerAccounts | None = None) -> list[str]:
    """Delete the child and every row about them; returns the device ids that were unpaired (their
    broker logins removed; PairingError and nothing deleted when the broker's files cannot be written).

    Explicit deletes (not only ON DELETE CASCADE) so the result does not depend on the database's
    foreign-key settings. Feedback counts keep only rule and category, never the child.
    """
    device_ids = [d.id for d in child.devices]
    for model in (Event, UsageDay, TimeRequest, PairingCode, Device):
        db.execute(delete(model).where(model.child_id == child.id))
    db.delete(child)
    db.flush()
    revoke(db, device_ids, accounts)
    db.commit()
    return device_ids


def apply_retention(db: Session, days: int) -> int:
    """Delete events, usage and answered requests older than `days`; returns how many rows went."""
    cutoff = utcnow() - timedelta(days=days)
    removed = 0
    removed += db.execute(delete(Event).where(Event.at < cutoff)).rowcount or 0
    removed += db.execute(delete(UsageDay).where(UsageDay.day < cutoff.date())).rowcount or 0
    removed += db.execute(delete(TimeRequest).where(TimeRequest.created_at < cutoff,
                                                    TimeRequest.status != "pending")).rowcount or 0
    db.commit()
    return removed
