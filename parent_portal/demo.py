"""The portal's part of `kidsafe demo`: a demo family whose child has the demo device paired, the portal
served on 127.0.0.1 and one ingestion worker, all in this process (threads).

    portal = start_demo_portal(home, broker_port, device_id)   # -> DemoPortal(url, username, password, ...)
    ...
    portal.stop()

The device agent must trust `portal.public_key` (policies, answers and time are signed with it).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import uvicorn
from sqlalchemy import select

from parent_portal import bridge_link, security
from parent_portal.app import create_app
from parent_portal.devservers import free_port, wait_port
from parent_portal.ingest import TelemetryWorker
from parent_portal.migrate import upgrade
from parent_portal.models import Child, Device, Family, Parent
from parent_portal.policy_doc import default_settings
from parent_portal.policy_service import publish_current, save_settings
from parent_portal.settings import PortalSettings

DEMO_USER = "demo"
DEMO_PASSWORD = "kidsafe-demo-2026"  # printed by `kidsafe demo`; a local demo only


@dataclass
class DemoPortal:
    url: str
    username: str
    password: str
    public_key: str
    child_id: int
    device_id: str = ""
    _sessions: object = field(default=None, repr=False)
    _stop: list = field(default_factory=list, repr=False)

    def wait_applied(self, timeout: float = 20.0) -> bool:
        """Wait until the demo device reported the portal's policy as applied (so the demo starts settled)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._sessions() as db:  # type: ignore[misc]
                child, device = db.get(Child, self.child_id), db.get(Device, self.device_id)
                if child and device and (device.applied_version or 0) >= child.policy_version:
                    return True
            time.sleep(0.2)
        return False

    def stop(self) -> None:
        for stop in reversed(self._stop):
            stop()


def _seed(app, device_id: str, timezone: str, overrides: dict | None = None) -> int:  # noqa: ANN001
    """The demo family (created once, kept across runs): one parent, one child in `timezone`, the device paired.
    `overrides`: settings the demo sets on every start (e.g. a sleep window that has not begun yet)."""
    with app.state.sessions() as db:
        parent = db.scalar(select(Parent).where(Parent.username == DEMO_USER))
        if parent is None:
            family = Family()
            db.add(family)
            db.flush()
            parent = Parent(family_id=family.id, username=DEMO_USER, password_hash=security.hash_secret(DEMO_PASSWORD),
                            recovery_hash=security.hash_secret(security.recovery_code()), language="zh")
            db.add(parent)
            birth = date.today().year - 9
            child = Child(family_id=family.id, name="小明", birth_year=birth,
                          settings={**default_settings(birth), **(overrides or {})}, timezone=timezone)
            db.add(child)
            db.flush()
            db.add(Device(id=device_id, child_id=child.id, name="演示设备 demo device",
                          secret_hash=security.hash_secret(security.token())))
            db.commit()
            save_settings(db, child, child.settings, app.state.publisher)
        else:
            child = db.scalar(select(Child).where(Child.family_id == parent.family_id).order_by(Child.id))
            wanted = {**child.settings, **(overrides or {})}
            if wanted != child.settings or child.timezone != timezone:
                save_settings(db, child, wanted, app.state.publisher, timezone)
            else:
                publish_current(child, app.state.publisher)
        return child.id


def start_demo_portal(home: Path, broker_port: int, device_id: str, port: int | None = None, mqtt5: bool = False,
                      mqtt_username: str | None = None, mqtt_password: str | None = None,
                      signing_key: Path | None = None, timezone: str | None = None,
                      child_settings: dict | None = None) -> DemoPortal:
    """Serve the portal for the demo; mqtt5=False suits the embedded amqtt broker (MQTT 3.1.1 only).
    `signing_key`: the portal key the demo device already trusts (default: one made in home/portal);
    `timezone` / `child_settings`: the demo's local time zone and settings it sets on the child each start."""
    port = port or free_port()
    folder = home / "portal"
    folder.mkdir(parents=True, exist_ok=True)
    extra = {"timezone": timezone} if timezone else {}
    settings = PortalSettings(database_url=f"sqlite:///{folder}/portal.db", mqtt_port=broker_port, data_dir=folder,
                              public_url=f"http://127.0.0.1:{port}", cookie_secure=False,  # plain-HTTP demo
                              mqtt_username=mqtt_username, mqtt_password=mqtt_password, signing_key=signing_key,
                              **extra)
    upgrade(settings.sqlalchemy_url())
    app = create_app(settings)
    child_id = _seed(app, device_id, settings.timezone, child_settings)
    worker = TelemetryWorker(settings, name=None, sessions=app.state.sessions, mqtt5=mqtt5)
    worker.start()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="portal", daemon=True)
    thread.start()
    wait_port(port, timeout=30)
    key = bridge_link.load_or_create_key(settings.signing_key_file())

    def stop_server() -> None:
        server.should_exit = True
        thread.join(timeout=10)

    return DemoPortal(url=settings.public_url, username=DEMO_USER, password=DEMO_PASSWORD,
                      public_key=bridge_link.public_key_hex(key), child_id=child_id, device_id=device_id,
                      _sessions=app.state.sessions, _stop=[worker.stop, stop_server])
