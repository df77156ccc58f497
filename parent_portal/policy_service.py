"""Saving a child's settings: a new policy version, checked by the device's model, published retained
to every device of the child; and the "applied on the device" status the pages show."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from parent_portal.models import Child, Device, utcnow
from parent_portal.policy_doc import policy_document

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class DeviceStatus:
    device: Device
    applied: bool  # the device reported the version in force
    applied_at: datetime | None
    online: bool | None


def save_settings(db: Session, child: Child, settings: dict[str, Any], publisher: Any,
                  timezone: str | None = None) -> int:
    """Store the settings (and the child's time zone, when given) as policy version n+1 and publish it;
    returns how many devices the broker took."""
    version = child.policy_version + 1
    zone = timezone or child.timezone
    doc = policy_document(settings, child.birth_year, version, zone)  # raises before anything is stored
    child.timezone = zone
    child.settings = settings
    child.policy_version = version
    child.policy_saved_at = utcnow()
    db.commit()
    return publish_current(child, publisher, doc)


def publish_current(child: Child, publisher: Any, doc: dict[str, Any] | None = None) -> int:
    """(Re)publish the child's policy in force to each of the child's devices."""
    if publisher is None or child.policy_version == 0:
        return 0
    doc = doc or policy_document(child.settings, child.birth_year, child.policy_version, child.timezone)
    sent = 0
    for device in child.devices:
        if publisher.publish_policy(device.id, child.policy_version, doc):
            sent += 1
    if sent < len(child.devices):
        log.warning("policy %s of child %s reached the broker for %d of %d devices", child.policy_version,
                    child.id, sent, len(child.devices))
    return sent


def device_statuses(child: Child) -> list[DeviceStatus]:
    return [
        DeviceStatus(device=d, applied=d.applied_version is not None and d.applied_version >= child.policy_version,
                     applied_at=d.applied_at, online=d.online)
        for d in child.devices
    ]
