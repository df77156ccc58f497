"""Database tables (SQLAlchemy 2 typed mappings). Schema changes go through Alembic (migrations/)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every database (SQLite hands back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use an aware UTC datetime")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, datetime: UTCDateTime}


class Family(Base):
    __tablename__ = "families"
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    parents: Mapped[list[Parent]] = relationship(back_populates="family")
    children: Mapped[list[Child]] = relationship(back_populates="family", order_by="Child.id")


class Parent(Base):
    __tablename__ = "parents"
    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id", ondelete="CASCADE"), index=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    recovery_hash: Mapped[str] = mapped_column(String(255))
    language: Mapped[str] = mapped_column(String(8), default="zh")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    family: Mapped[Family] = relationship(back_populates="parents")


class Session(Base):
    """A signed-in browser. The cookie holds a random token; only its SHA-256 is stored."""

    __tablename__ = "sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    parent_id: Mapped[int] = mapped_column(ForeignKey("parents.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]


class LoginFailure(Base):
    """One failed sign-in, keyed by account and by address; counted in a sliding window."""

    __tablename__ = "login_failures"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(160), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class FamilyInvite(Base):
    """A one-time code with which a second parent joins a family."""

    __tablename__ = "family_invites"
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[datetime]


DEFAULT_TIMEZONE = "Asia/Shanghai"


class Child(Base):
    __tablename__ = "children"
    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    birth_year: Mapped[int] = mapped_column(Integer)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # the parent's form values
    policy_version: Mapped[int] = mapped_column(Integer, default=0)  # last published revision
    policy_saved_at: Mapped[datetime | None] = mapped_column(default=None)
    # the IANA zone of the child's devices: the policy's schedule, "today" and the reports use it
    timezone: Mapped[str] = mapped_column(String(64), default=DEFAULT_TIMEZONE, server_default=DEFAULT_TIMEZONE)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    family: Mapped[Family] = relationship(back_populates="children")
    devices: Mapped[list[Device]] = relationship(back_populates="child", order_by="Device.id")


class Device(Base):
    """A paired device and the last state it reported (retained devices/{id}/state)."""

    __tablename__ = "devices"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(40), default="")
    secret_hash: Mapped[str] = mapped_column(String(255))  # the device's broker password (argon2)
    paired_at: Mapped[datetime] = mapped_column(default=utcnow)
    applied_version: Mapped[int | None] = mapped_column(Integer, default=None)
    applied_at: Mapped[datetime | None] = mapped_column(default=None)
    online: Mapped[bool | None] = mapped_column(default=None)
    state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state_at: Mapped[datetime | None] = mapped_column(default=None)
    child: Mapped[Child] = relationship(back_populates="devices")


class PairingCode(Base):
    """Device-flow pairing: the device shows user_code (and a QR of it); the parent enters it."""

    __tablename__ = "pairing_codes"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_code: Mapped[str] = mapped_column(String(16), unique=True)
    device_code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    device_id: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime]
    child_id: Mapped[int | None] = mapped_column(ForeignKey("children.id", ondelete="CASCADE"), default=None)
    secret: Mapped[str | None] = mapped_column(String(64), default=None)  # handed over once, then cleared


class TimeRequest(Base):
    """A child's "more time" request, and the parent's answer."""

    __tablename__ = "time_requests"
    __table_args__ = (UniqueConstraint("device_id", "ref"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id", ondelete="CASCADE"), index=True)
    device_id: Mapped[str] = mapped_column(String(64))
    ref: Mapped[str] = mapped_column(String(64))  # the device's id for the request (idempotency)
    minutes: Mapped[int] = mapped_column(Integer, default=15)
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    status: Mapped[str] = mapped_column(String(12), default="pending")  # pending | approved | denied
    granted_min: Mapped[int | None] = mapped_column(Integer, default=None)
    answered_at: Mapped[datetime | None] = mapped_column(default=None)


class UsageDay(Base):
    """Seconds used per device and day; ingestion keeps the largest value seen (idempotent)."""

    __tablename__ = "usage_days"
    __table_args__ = (UniqueConstraint("device_id", "day"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id", ondelete="CASCADE"), index=True)
    device_id: Mapped[str] = mapped_column(String(64))
    day: Mapped[date] = mapped_column(Date)
    used_s: Mapped[int] = mapped_column(Integer, default=0)


class Event(Base):
    """A device event (blocked item, tamper, limit reached ...); (device_id, msg_id) makes writes idempotent."""

    __tablename__ = "events"
    __table_args__ = (UniqueConstraint("device_id", "msg_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id", ondelete="CASCADE"), index=True)
    device_id: Mapped[str] = mapped_column(String(64))
    msg_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32), index=True)
    at: Mapped[datetime] = mapped_column(index=True)
    category: Mapped[str | None] = mapped_column(String(32), default=None)
    rule: Mapped[str | None] = mapped_column(String(200), default=None)
    view: Mapped[str | None] = mapped_column(String(32), default=None)  # which disguise matched
    query_text: Mapped[str | None] = mapped_column(Text, default=None)  # only if reporting allows it
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


MAX_EVENT_COUNT = 100_000  # more occurrences than a device could coalesce into one row: malformed


def occurrences(data: Any) -> int:
    """How many occurrences one stored event stands for: the device coalesces a repeat of the same event
    within a minute into one row and the bridge sends its count as data["count"] (mqtt_bridge/telemetry.py)
    when above 1. Missing, or not a whole number in 1..MAX_EVENT_COUNT (negative, huge, a string, a float,
    a bool), counts as 1: a bad message never breaks a figure or inflates it."""
    count = data.get("count") if isinstance(data, dict) else None
    if isinstance(count, int) and not isinstance(count, bool) and 1 <= count <= MAX_EVENT_COUNT:
        return count
    return 1


class Feedback(Base):
    """A parent's "wrongly blocked" / "should have been blocked" on a report row (counts by rule)."""

    __tablename__ = "feedback"
    __table_args__ = (UniqueConstraint("event_id", "parent_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"), default=None)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("parents.id", ondelete="SET NULL"), default=None)
    verdict: Mapped[str] = mapped_column(String(16))  # wrong_block | missed
    rule: Mapped[str] = mapped_column(String(200), default="")
    category: Mapped[str] = mapped_column(String(32), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
