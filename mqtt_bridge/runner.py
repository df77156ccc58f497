"""Wiring: a DeviceService plus its MQTT agent and fleet updater (used by `kidsafe device agent`,
`kidsafe device run --broker` and `kidsafe demo`)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mqtt_bridge.agent import AgentSettings, DeviceAgent
from mqtt_bridge.live import LiveFilter
from mqtt_bridge.trust import BundleRefused, root_from_file
from mqtt_bridge.updater import FleetUpdater

log = logging.getLogger(__name__)


def build_agent(service: Any, settings: AgentSettings, root_file: Path | None = None,
                fleet: bool = True) -> DeviceAgent:
    """The agent for a device service; with `fleet`, the updater puts the word-pack set in force
    (recovering from an interrupted update first) before the agent connects."""
    updater = None
    if fleet:
        live = LiveFilter(service)
        updater = FleetUpdater(settings.home, settings.device_id, settings.cohort, live=live,
                               now=service.timekeeper.now)
        if root_file is not None and updater.trust.root is None:
            try:
                updater.trust.provision(root_from_file(root_file))
            except BundleRefused as exc:
                log.error("fleet root %s not installed: %s", root_file, exc)
        live.activate(updater.active_set())
        updater.start()
    return DeviceAgent(service, settings, updater=updater)


def read_keys(values: list[str] | None) -> list[str]:
    """Portal public keys given as hex or as files holding hex."""
    out = []
    for value in values or []:
        path = Path(value)
        out.append(path.read_text().strip() if path.exists() else value.strip())
    return out
