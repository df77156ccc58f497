"""The demo fits the newcomer's clock: it follows this machine's time zone, and when the usual sleep window
(22:00-06:00) has begun its window is moved so the demo starts in daytime (said in the banner). A second
answer to an answered trusted-time request (QoS 1 repeat, or the demo's two time servers) is ignored
quietly: no warning, no `time_refused` event for the parent; an unknown nonce is still refused."""

from __future__ import annotations

import json
import logging
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from portal_support import SimDevice

from device.config import DeviceSettings
from device.policy import validate
from device.service import DeviceService
from kidsafe.demo import demo_night, local_timezone, write_demo_policy
from mqtt_bridge import payloads, signing
from mqtt_bridge.payloads import TrustedTime, dump
from mqtt_bridge.policy_sync import PolicySync
from parent_portal.demo import start_demo_portal

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(("now", "want"), [
    ("15:45", ("22:00", "06:00", False)),
    ("21:59", ("22:00", "06:00", False)),
    ("06:00", ("22:00", "06:00", False)),
    ("22:00", ("02:30", "10:30", True)),
    ("23:10", ("03:30", "11:30", True)),
    ("05:59", ("10:00", "18:00", True)),
])
def test_demo_night_window_never_holds_the_moment_the_demo_starts(now, want):
    moment = datetime.fromisoformat(f"2026-11-29T{now}:00").replace(tzinfo=SHANGHAI)
    assert demo_night(moment) == want
    start, end, _ = want
    policy, _ = validate({"timezone": "Asia/Shanghai", "time": {"night": {"start": start, "end": end}}})
    assert not policy.time.in_night(moment)  # the device agrees: the demo starts in daytime


def test_demo_follows_the_machines_time_zone(monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Berlin")
    assert local_timezone() == "Europe/Berlin"
    monkeypatch.setenv("TZ", ":America/New_York")
    assert local_timezone() == "America/New_York"
    monkeypatch.setenv("TZ", "Not/AZone")
    assert ZoneInfo(local_timezone())  # the system's own zone or UTC, never a crash


def test_demo_policy_file_is_written_but_a_newcomers_own_file_is_kept(tmp_path):
    path = tmp_path / "policy.json"
    assert write_demo_policy(path, "Europe/Berlin", ("03:30", "11:30"))
    doc = json.loads(path.read_text())
    assert doc["timezone"] == "Europe/Berlin" and doc["time"]["night"] == {"start": "03:30", "end": "11:30"}
    assert validate(doc)[0].time.night is not None
    assert write_demo_policy(path, "Europe/Berlin", ("22:00", "06:00"))  # the demo's own file is refreshed
    path.write_text(json.dumps({"version": "mine", "time": {"daily_limit_min": 5}}))
    assert not write_demo_policy(path, "UTC", ("22:00", "06:00"))
    assert json.loads(path.read_text())["version"] == "mine"


def test_demo_portal_sends_the_demo_time_zone_and_window_on_every_start(tmp_path, portal_broker):
    device = SimDevice(portal_broker.port, "demo-tz")
    try:
        for version, night in ((1, ("22:00", "06:00")), (2, ("03:30", "11:30")), (2, ("03:30", "11:30"))):
            portal = start_demo_portal(tmp_path, portal_broker.port, "demo-tz", timezone="Europe/Berlin",
                                       child_settings={"night_start": night[0], "night_end": night[1],
                                                       "exempt_features": ["dictionary", "homework"]})
            try:
                msg = payloads.parse(payloads.PolicyMessage, device.next_message("policy"))
                assert msg.version == version and msg.policy["timezone"] == "Europe/Berlin"
                assert msg.policy["time"]["night"] == {"start": night[0], "end": night[1]}
                assert msg.policy["time"]["exempt_features"] == ["dictionary", "homework"]
            finally:
                portal.stop()
    finally:
        device.close()


def test_a_second_answer_to_an_answered_time_request_is_ignored_quietly(tmp_path: Path, caplog):
    key = signing.generate()
    svc = DeviceService(DeviceSettings(home=tmp_path / "dev", classifier_path=tmp_path / "none.tflite"))
    sync = PolicySync("dev-9", svc, tmp_path / "agent.json", [signing.public_hex(key)])
    try:
        nonce = sync.new_nonce()
        answer = dump(signing.sign_message(TrustedTime(device_id="dev-9", nonce=nonce, epoch=time.time()), key))
        assert sync.on_time(answer).changed
        caplog.set_level(logging.DEBUG)
        caplog.clear()
        again = sync.on_time(answer)  # the same answer again (QoS 1) ...
        second = dump(signing.sign_message(TrustedTime(device_id="dev-9", nonce=nonce, epoch=time.time()), key))
        other = sync.on_time(second)  # ... or a second time server's answer to the same request
        assert not again.changed and not other.changed
        assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text
        kinds = [e["kind"] for e in svc.events.unsent()]
        assert "time_refused" not in kinds
        stale = dump(signing.sign_message(TrustedTime(device_id="dev-9", nonce="0" * 32, epoch=time.time()), key))
        assert not sync.on_time(stale).changed  # a nonce never asked for is still refused, and the parent told
        assert [e["kind"] for e in svc.events.unsent()].count("time_refused") == 1
    finally:
        svc.stop()


def test_the_demo_broker_iterates_a_snapshot_of_its_subscriptions(tmp_path):
    """amqtt loops over its subscription table across awaits; a subscribe landing meanwhile used to raise
    "dictionary changed size during iteration" in a `kidsafe demo` (seen in a fresh clone) and drop a message."""
    from mqtt_bridge.broker.embedded import EmbeddedBroker

    broker = EmbeddedBroker(tmp_path, {"kid": "pw"}, {"kid": ["#"]}, {"kid": ["#"]}).start()
    try:
        table = broker._broker._subscriptions
        table["kidsafe/v1/devices/a/state"] = []
        for topic in table:  # what amqtt's retained replay does while a SUBSCRIBE lands
            table[topic + "/x"] = []
        for topic, _subs in table.items():  # what its broadcast does
            table[topic + "/y"] = []
        assert len(table) == 4
    finally:
        broker.stop()


def test_the_snapshot_fix_is_pinned_to_the_amqtt_it_was_checked_against(tmp_path):
    """The fix replaces amqtt's private `_subscriptions` (there is no public way): it must be the installed
    amqtt's table, seen through the public `Broker.subscriptions`, and an amqtt upgrade must be re-checked."""
    from importlib.metadata import version

    from mqtt_bridge.broker.embedded import AMQTT_CHECKED, EmbeddedBroker, SnapshotTable, install_snapshot_table

    assert version("amqtt") == AMQTT_CHECKED, (
        f"amqtt {version('amqtt')} is installed; mqtt_bridge/broker/embedded.py patches the internals of "
        f"{AMQTT_CHECKED}: re-check its loops over _subscriptions, then update AMQTT_CHECKED and the pin")
    broker = EmbeddedBroker(tmp_path, {"kid": "pw"}, {"kid": ["#"]}, {"kid": ["#"]}).start()
    try:
        assert isinstance(broker._broker.subscriptions, SnapshotTable)  # the public view is the patched table
    finally:
        broker.stop()

    class Moved:  # an amqtt whose table lives elsewhere: the patch reports that it does not apply
        _subscriptions: dict = {}

        @property
        def subscriptions(self) -> dict:
            return {}

    assert install_snapshot_table(Moved()) is False

