"""Device pairing as a device-authorisation flow (like RFC 8628): the device asks for a short code,
shows it with a QR code (segno SVG), and polls; the parent enters or scans the code and picks a child;
the device's next poll returns its broker credentials and its policy topic, exactly once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import quote

import segno
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from parent_portal.bridge_link import policy_topic, state_topic, valid_device_id
from parent_portal.broker_accounts import BrokerAccountError, BrokerAccounts
from parent_portal.models import Child, Device, PairingCode, utcnow
from parent_portal.security import hash_secret, human_code, normalise_code, token, token_digest


class PairingError(ValueError):
    """`code` is a stable key the caller maps to a message (already_paired, bad_device_id, unknown_code,
    broker_unavailable)."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(code)


@dataclass(frozen=True, slots=True)
class PairingStart:
    user_code: str
    device_code: str
    url: str
    qr_svg: str
    expires_in: int


def start(db: Session, device_id: str, public_url: str, ttl_s: int) -> PairingStart:
    if not valid_device_id(device_id):
        raise PairingError("bad_device_id")
    if db.get(Device, device_id) is not None:
        raise PairingError("already_paired")  # its parent must unpair it first: no hijacking by id
    db.execute(delete(PairingCode).where(PairingCode.expires_at <= utcnow()))
    user_code, device_code = human_code(), token()
    db.add(PairingCode(user_code=user_code, device_code_hash=token_digest(device_code), device_id=device_id,
                       expires_at=utcnow() + timedelta(seconds=ttl_s)))
    db.commit()
    url = f"{public_url.rstrip('/')}/pair?code={quote(user_code)}"
    svg = segno.make(url, error="m").svg_inline(scale=4, dark="#000", light="#fff")
    return PairingStart(user_code, device_code, url, svg, ttl_s)


def pending_code(db: Session, user_code: str) -> PairingCode | None:
    row = db.scalar(select(PairingCode).where(PairingCode.user_code == normalise_code(user_code)))
    if row is None or row.expires_at <= utcnow() or row.child_id is not None:
        return None
    return row


def paired_ids(db: Session) -> list[str]:
    return list(db.scalars(select(Device.id).order_by(Device.id)))


def claim(db: Session, row: PairingCode, child: Child, name: str, accounts: BrokerAccounts | None = None) -> Device:
    """The parent entered the code for `child` (ownership checked by the caller). The device's broker
    login is written before the pairing is committed: no paired device without a way to connect."""
    if db.get(Device, row.device_id) is not None:
        raise PairingError("already_paired")
    secret = token()
    device = Device(id=row.device_id, child_id=child.id, name=name[:40] or row.device_id,
                    secret_hash=hash_secret(secret))
    row.child_id = child.id
    row.secret = secret
    db.add(device)
    db.flush()
    if accounts is not None:
        try:
            accounts.add(device.id, secret, paired_ids(db))
        except BrokerAccountError as exc:
            db.rollback()
            raise PairingError("broker_unavailable") from exc
    db.commit()
    return device


def poll(db: Session, device_code: str, mqtt_host: str, mqtt_port: int, portal_public_key: str) -> dict | None:
    """None while waiting; the credentials once after the parent claimed it (then the code is gone)."""
    row = db.scalar(select(PairingCode).where(PairingCode.device_code_hash == token_digest(device_code)))
    if row is None or row.expires_at <= utcnow():
        raise PairingError("unknown_code")
    if row.child_id is None or row.secret is None:
        return None
    answer = {
        "status": "paired",
        "device_id": row.device_id,
        "mqtt": {"host": mqtt_host, "port": mqtt_port, "username": row.device_id, "password": row.secret},
        "policy_topic": policy_topic(row.device_id),
        "state_topic": state_topic(row.device_id),
        "portal_public_key": portal_public_key,  # the device trusts policies and answers signed by it
    }
    db.delete(row)
    db.commit()
    return answer


def unpair(db: Session, device: Device, accounts: BrokerAccounts | None = None) -> None:
    """Forget the device and take its broker login away (raises PairingError and keeps it if that fails)."""
    db.delete(device)
    db.flush()
    revoke(db, [device.id], accounts)
    db.commit()


def revoke(db: Session, device_ids: list[str], accounts: BrokerAccounts | None) -> None:
    """Within the caller's transaction, after the devices' rows are gone: remove their broker logins."""
    if accounts is None or not device_ids:
        return
    try:
        accounts.remove(device_ids, paired_ids(db))
    except BrokerAccountError as exc:
        db.rollback()
        raise PairingError("broker_unavailable") from exc
