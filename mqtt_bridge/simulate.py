"""Simulated devices for rollout tests and `make bench` (many per process).

A simulated agent DOES: connect with its own client id and credentials (MQTT 5 or 3.1.1), subscribe
to its cohort's retained bundle topic, run the real FleetUpdater on what arrives (root rotation,
threshold signatures, expiry, cohort, version, length + SHA-256 of every file, staging on disk,
journal, atomic symlink swap) and publish a retained StateMessage after every outcome.
It does NOT: load word packs into a text filter, run the canary self-test, run the usage clock,
take policies or send telemetry (that is the full agent, measured separately).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mqtt_bridge import topics
from mqtt_bridge.client import BrokerConfig, Connection
from mqtt_bridge.payloads import SignedRoot, StateMessage, dump
from mqtt_bridge.trust import BundleRefused
from mqtt_bridge.updater import FleetUpdater


def failing_self_test(staged: Path) -> None:
    """For rollout tests: a device on which the update does not work (e.g. a broken model runtime)."""
    raise BundleRefused("canary_failed", "simulated self-test failure on this device")


class SimDevice:
    def __init__(self, home: Path, device_id: str, cohort: str, cfg: BrokerConfig, root: SignedRoot,
                 self_test: Callable[[Path], None] | None = None, protocol: str | None = None) -> None:
        self.device_id = device_id
        self.cohort = cohort
        self.updater = FleetUpdater(home, device_id, cohort, self_test=self_test)
        if self.updater.trust.root is None:
            self.updater.trust.provision(root)
        self.conn = Connection(cfg, device_id, persistent=False, protocol=protocol)
        self.conn.client.will_set(topics.state(device_id), dump(self.state(False)), qos=1, retain=True)
        self.conn.client.on_message = self._on_message
        self.outcomes: list[str] = []
        self.applied_at: float | None = None
        self._lock = threading.Lock()

    def state(self, online: bool = True) -> StateMessage:
        return StateMessage(device_id=self.device_id, online=online, ts=time.time(), **self.updater.state_fields(),
                            agent="kidsafe-sim/1")

    def start(self, timeout: float = 30) -> SimDevice:
        self.conn.subscribe(topics.bundles(self.cohort), 1)
        self.conn.start(timeout)
        self.publish_state()
        return self

    def publish_state(self) -> None:
        self.conn.client.publish(topics.state(self.device_id), dump(self.state()), qos=1, retain=True)

    def _on_message(self, client: Any, userdata: Any, message: Any) -> None:
        threading.Thread(target=self._handle, args=(bytes(message.payload),), daemon=True).start()

    def _handle(self, raw: bytes) -> None:
        with self._lock:
            outcome = self.updater.handle(raw)
            self.outcomes.append(outcome)
            if outcome == "applied":
                self.applied_at = time.time()
            self.publish_state()

    def stop(self) -> None:
        self.conn.stop()
