"""End to end over a real mosquitto: the portal and the bridge's real device agent in front of a real
device service. A parent's limit is applied by the device and shown as applied; the child's "more
time" request reaches the parent and the approved minutes reach the device's usage clock."""

from __future__ import annotations

import pytest
from bridge_fixtures import service
from portal_support import live_portal, pair_device, wait_for

from mqtt_bridge.agent import AgentSettings
from mqtt_bridge.client import BrokerConfig
from mqtt_bridge.runner import build_agent
from parent_portal.models import TimeRequest


@pytest.fixture
def stack(tmp_path, portal_broker):  # noqa: ANN001, ANN201
    with live_portal(tmp_path, portal_broker.port) as (client, parent, _worker):
        yield from _device_side(tmp_path, portal_broker, client, parent)


def _device_side(tmp_path, portal_broker, client, parent):  # noqa: ANN001, ANN202
    child_id = parent.add_child("小明", 2017)
    creds = pair_device(parent, child_id, "home-1")
    svc = service(tmp_path / "device")
    svc.start()
    settings = AgentSettings(device_id="home-1", broker=BrokerConfig(port=portal_broker.port),
                             home=svc.settings.home, portal_keys=[creds["portal_public_key"]],
                             drain_interval_s=0.05, state_interval_s=0.5)
    agent = build_agent(svc, settings, fleet=False).start()
    yield client, parent, child_id, svc
    agent.stop()
    svc.stop()


def test_limit_reaches_the_device_and_more_time_comes_back(stack) -> None:
    client, parent, child_id, svc = stack
    wait_for(lambda: svc.usage.status().limit_s == 60 * 60, timeout=20, what="band default (8-11: 60 min) applied")
    form = {"weekday_limit_min": "35", "weekend_limit_min": "35", "break_after_min": "30", "break_pause_min": "5",
            "reporting": "counts", "language": "zh", "voice_enabled": "on", "blocked_categories": ["sexual"]}
    assert parent.post(f"/children/{child_id}/settings", form, token_from=f"/children/{child_id}").status_code == 303
    wait_for(lambda: svc.usage.status().limit_s == 35 * 60, timeout=20, what="the parent's limit on the device")
    wait_for(lambda: "设备已于" in client.get(f"/children/{child_id}").text, timeout=20, what="applied shown")

    svc.usage.request_more_time(20, "作业还没做完")
    wait_for(lambda: "再要 20 分钟" in client.get(f"/children/{child_id}/requests").text, timeout=20,
             what="the request on the parent's page")
    with client.app.state.sessions() as db:
        row = db.query(TimeRequest).filter_by(child_id=child_id).one()
    assert row.note == ""  # reporting "counts": the child's own words stay on the device
    request_id = row.id
    r = parent.post(f"/requests/{request_id}/answer", {"action": "approve", "minutes": "30"},
                    token_from=f"/children/{child_id}/requests")
    assert r.status_code == 303
    wait_for(lambda: svc.usage.status().extra_min == 30, timeout=20, what="30 minutes granted on the device")
