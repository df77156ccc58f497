"""Helpers for the bridge tests: a real mosquitto with per-device credentials and ACLs, a device
service in a temp folder, an agent, the portal link, and a wait helper."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from real_parts import require

from device.config import DeviceSettings
from device.service import DeviceService
from device.usage.clocks import SYSTEM_CLOCKS, Clocks
from mqtt_bridge import signing
from mqtt_bridge.agent import AgentSettings, DeviceAgent
from mqtt_bridge.broker.local import LocalMosquitto
from mqtt_bridge.client import BrokerConfig
from mqtt_bridge.portal_api import PortalLink
from mqtt_bridge.runner import build_agent

DEVICES = {f"dev-{i}": "pilot" for i in range(1, 9)} | {"beta-1": "beta"}
ROLES = {"portal_users": ("portal",), "operator_users": ("operator",)}


def password(user: str) -> str:
    return f"pw-{user}-secret"


def start_broker(folder: Path, devices: dict[str, str] | None = None, **kw: Any) -> LocalMosquitto:
    require(shutil.which("mosquitto") or Path("/usr/sbin/mosquitto").exists(), "mosquitto (Debian package)")
    require(shutil.which("mosquitto_passwd"), "mosquitto_passwd (Debian package mosquitto)")
    devices = DEVICES if devices is None else devices
    users = {u: password(u) for u in ["portal", "operator", *devices, *kw.pop("extra_users", [])]}
    return LocalMosquitto(folder, users=users, devices=devices, roles=kw.pop("roles", ROLES), **kw).start()


def cfg(broker: LocalMosquitto, user: str, protocol: str = "auto") -> BrokerConfig:
    return BrokerConfig(port=broker.port_for(user), username=user, password=password(user), protocol=protocol)


def service(home: Path, clocks: Clocks = SYSTEM_CLOCKS) -> DeviceService:
    return DeviceService(DeviceSettings(home=home, timezone="Asia/Shanghai", usage_flush_s=0.2), clocks=clocks)


def agent(svc: DeviceService, broker: LocalMosquitto, device: str, portal_pub: str | None,
          fleet: bool = False, cohort: str = "pilot", root: Path | None = None, **kw: Any) -> DeviceAgent:
    bcfg = cfg(broker, device, kw.pop("protocol", "auto"))
    bcfg.tls, bcfg.ca_file = kw.pop("tls", False), kw.pop("ca_file", None)
    settings = AgentSettings(device_id=device, broker=bcfg,
                             home=svc.settings.home, cohort=cohort,
                             portal_keys=[portal_pub] if portal_pub else [], drain_interval_s=0.05, **kw)
    return build_agent(svc, settings, root_file=root, fleet=fleet).start()


def portal(broker: LocalMosquitto, key: Any = None, serve_time: bool = False) -> PortalLink:
    link = PortalLink(cfg(broker, "portal"), key or signing.generate(), client_id="portal")
    if serve_time:
        link.serve_time()
    return link.start()


def wait_for(predicate: Callable[[], Any], timeout: float = 15.0, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def stop_processes(*procs: Any) -> None:
    """Terminate the still-running processes among `procs` (None allowed) and wait for them."""
    for proc in procs:
        if proc is not None and proc.poll() is None:
            proc.terminate()
            proc.wait(10)
