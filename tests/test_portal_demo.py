"""The portal's part of `kidsafe demo`: the demo login works, the demo device has its policy retained,
a second start reuses the family (MQTT 3.1.1 worker, as with the demo's embedded broker)."""

from __future__ import annotations

import re

import httpx
from portal_support import SimDevice

from mqtt_bridge import payloads, signing
from parent_portal.demo import start_demo_portal


def test_demo_portal_serves_the_demo_family(tmp_path, portal_broker) -> None:  # noqa: ANN001
    for run in range(2):
        portal = start_demo_portal(tmp_path, portal_broker.port, "demo-device")
        try:
            with httpx.Client(base_url=portal.url, follow_redirects=True) as web:
                page = web.get("/login")
                token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.text).group(1)
                home = web.post("/login", data={"username": portal.username, "password": portal.password,
                                                "csrf_token": token})
                assert home.status_code == 200 and "小明" in home.text, run
            assert not portal.wait_applied(timeout=0.5)  # no device agent here: never reported as applied
            device = SimDevice(portal_broker.port, "demo-device")
            try:
                msg = payloads.parse(payloads.PolicyMessage, device.next_message("policy"))
                assert signing.verify_message(msg, [portal.public_key]) and msg.version == 1
            finally:
                device.close()
        finally:
            portal.stop()
