"""Sign-in (and code entry) rate limiting: failures counted per key in a sliding window, in the database,
so every worker process and a restart see the same counts."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from parent_portal.models import LoginFailure, utcnow


def blocked(db: Session, keys: list[str], limit: int, window_s: int) -> bool:
    """True when any key had `limit` or more failures within the window."""
    since = utcnow() - timedelta(seconds=window_s)
    for key in keys:
        count = db.scalar(select(func.count()).where(LoginFailure.key == key, LoginFailure.at >= since))
        if (count or 0) >= limit:
            return True
    return False


def record_failure(db: Session, keys: list[str], window_s: int) -> None:
    db.add_all(LoginFailure(key=key) for key in keys)
    # forget failures past the window, so the table stays small under a flood
    db.execute(delete(LoginFailure).where(LoginFailure.at < utcnow() - timedelta(seconds=window_s)))
    db.commit()


def clear(db: Session, key: str) -> None:
    db.execute(delete(LoginFailure).where(LoginFailure.key == key))
    db.commit()
