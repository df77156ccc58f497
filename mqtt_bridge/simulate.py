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


class SimFleet:
    """Many simulated devices in one process with ONE network thread (paho clients looped in turn)
    and a small worker pool for applying bundles: what `make bench` uses for 200 / 1,000 devices."""

    def __init__(self, folder: Path, ids: list[str], cohort: str, cfg: BrokerConfig, root: SignedRoot,
                 workers: int = 2) -> None:
        from concurrent.futures import ThreadPoolExecutor

        from mqtt_bridge.client import make_client, protocol_of

        self.pool = ThreadPoolExecutor(workers)
        self.devices: list[tuple[Any, FleetUpdater, str]] = []
        self.cohort = cohort
        self.cfg = cfg
        self.applied = 0
        self._stop = threading.Event()
        for device_id in ids:
            up = FleetUpdater(folder / device_id, device_id, cohort)
            if up.trust.root is None:
                up.trust.provision(root)
            client = make_client(cfg, device_id, protocol_of(cfg.protocol), persistent=False)
            client.on_message = self._receiver(client, up, device_id)
            self.devices.append((client, up, device_id))

    def _receiver(self, client: Any, up: FleetUpdater, device_id: str) -> Callable[..., None]:
        def on_message(c: Any, userdata: Any, message: Any) -> None:
            self.pool.submit(self._apply, client, up, device_id, bytes(message.payload))
        return on_message

    def _apply(self, client: Any, up: FleetUpdater, device_id: str, raw: bytes) -> None:
        if up.handle(raw) == "applied":
            self.applied += 1
        self._publish_state(client, up, device_id)

    def _publish_state(self, client: Any, up: FleetUpdater, device_id: str) -> None:
        st = StateMessage(device_id=device_id, online=True, ts=time.time(), agent="kidsafe-sim/1",
                          **up.state_fields())
        client.publish(topics.state(device_id), dump(st), qos=1, retain=True)

    def start(self) -> SimFleet:
        from mqtt_bridge.client import connect_kwargs

        for client, up, device_id in self.devices:
            client.connect(**connect_kwargs(client, self.cfg, persistent=False))
            client.subscribe(topics.bundles(self.cohort), 1)
            self._publish_state(client, up, device_id)
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            for client, _, _ in self.devices:
                client.loop(timeout=0.0)
            time.sleep(0.005)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(10)
        self.pool.shutdown(wait=True)
        for client, _, _ in self.devices:
            client.disconnect()
