"""Staged rollout over a real mosquitto with simulated devices: progress to 100 %, or halt on failures."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from bridge_fixtures import cfg, start_broker, wait_for

from filters.lexicon import PACKS_DIR
from mqtt_bridge import fleet, topics
from mqtt_bridge.client import Connection
from mqtt_bridge.simulate import SimDevice, failing_self_test
from mqtt_bridge.updater import selected

PACKS = sorted(PACKS_DIR.glob("*.json"))[:3]  # a small bundle keeps this quick
IDS = [d for d in (f"sim-{i}" for i in range(200))]
EARLY = [d for d in IDS if selected(d, 30)][:4]
LATE = [d for d in IDS if not selected(d, 30)][:4]


@pytest.fixture()
def rig(tmp_path: Path):
    keys = tmp_path / "keys"
    fleet.init_keys(keys, n_root=1, root_threshold=1, n_bundle=1, bundle_threshold=1)
    broker = start_broker(tmp_path / "mosq", devices={d: "pilot" for d in EARLY + LATE})
    op = Connection(cfg(broker, "operator"), "operator-1").start()
    watcher = fleet.StateWatcher(cfg(broker, "operator"), "operator-watch").start()
    yield keys, broker, op, watcher, tmp_path
    watcher.stop()
    op.stop()
    broker.stop()


def steps(keys: Path, percents: list[int]) -> list:
    out = []
    for p in percents:
        built = fleet.build_bundle(1, "pilot", PACKS, rollout_percent=p)
        out.append(fleet.bundle_message(fleet.sign_bundle(built.meta, fleet._keys_in(keys, "bundle")), built.files))
    return out


def sims(rig, self_test=None) -> list[SimDevice]:
    keys, broker, _, watcher, tmp = rig
    root = fleet.roots_in(keys)[0]
    devs = [SimDevice(tmp / d, d, "pilot", cfg(broker, d), root, self_test=self_test).start() for d in EARLY + LATE]
    wait_for(lambda: len(watcher.snapshot()) == len(devs), what="all sims online")
    return devs


def test_rollout_reaches_every_device_in_stages(rig) -> None:
    keys, _, op, watcher, _ = rig
    devs = sims(rig)
    try:
        report = fleet.run_rollout(op, watcher, steps(keys, [30, 100]), EARLY + LATE, halt_at=0.2, wait_s=30,
                                   progress=lambda s: None)
        assert not report["halted"]
        assert report["steps"][0]["selected"] == len(EARLY) and report["steps"][0]["on_version"] == len(EARLY)
        status = fleet.fleet_status(watcher.snapshot(), 1)
        assert sorted(status.on_version) == sorted(EARLY + LATE)
    finally:
        for d in devs:
            d.stop()


def test_rollout_halts_when_failures_pass_the_threshold(rig) -> None:
    keys, broker, op, watcher, _ = rig
    devs = sims(rig, self_test=failing_self_test)
    try:
        report = fleet.run_rollout(op, watcher, steps(keys, [30, 100]), EARLY + LATE, halt_at=0.2, wait_s=30,
                                   progress=lambda s: None)
        assert report["halted"] and len(report["steps"]) == 1
        status = fleet.fleet_status(watcher.snapshot(), 1)
        assert set(status.failed) <= set(EARLY) and status.failed and not status.on_version
        time.sleep(0.5)
        for d in devs:
            if d.device_id in LATE:
                assert "applied" not in d.outcomes and d.updater.active_set() is None
            else:
                assert d.updater.installed["status"] == "failed" and d.updater.active_set() is None
        # the bundle is withdrawn: a device that connects now gets nothing
        got: list = []
        late = Connection(cfg(broker, LATE[0]), LATE[0])
        late.client.on_message = lambda c, u, m: got.append(m.payload)
        late.subscribe(topics.bundles("pilot"))
        late.start()
        time.sleep(0.5)
        late.stop()
        assert [p for p in got if p] == []
    finally:
        for d in devs:
            d.stop()
