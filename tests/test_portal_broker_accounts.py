"""Pairing gives the device a login on a real mosquitto (password file + ACL from mqtt_bridge's generator,
reloaded with SIGHUP): a paired device connects and reads only its own policy; a device that was never
paired, a wrong password and an unpaired device are refused."""

from __future__ import annotations

import queue
import shutil
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from portal_support import Parent, make_portal, pair_device, wait_for
from real_parts import require

from mqtt_bridge import topics

PORTAL_PW = "portal-broker-password"


@pytest.fixture
def broker(tmp_path: Path):  # noqa: ANN201
    require(shutil.which("mosquitto_passwd"), "mosquitto (apt-get install mosquitto)")
    from mqtt_bridge.broker.local import LocalMosquitto

    with LocalMosquitto(tmp_path / "broker", users={"portal": PORTAL_PW}) as b:
        assert b.proc is not None
        (tmp_path / "broker" / "mosquitto.pid").write_text(str(b.proc.pid))
        yield b


@pytest.fixture
def portal(tmp_path: Path, broker):  # noqa: ANN001, ANN201
    folder = tmp_path / "broker"
    client = make_portal(f"sqlite:///{tmp_path}/portal.db", mqtt_enabled=True, mqtt_port=broker.backend_port,
                         mqtt_username="portal", mqtt_password=PORTAL_PW, signing_key=tmp_path / "portal.key",
                         broker_passwd_file=folder / "passwd", broker_acl_file=folder / "acl",
                         broker_pid_file=folder / "mosquitto.pid", device_broker_port=broker.port)
    parent = Parent(client)
    parent.register("mama")
    yield client, parent
    client.app.state.publisher.close()


def connect(port: int, username: str, password: str) -> tuple[int, mqtt.Client, queue.Queue]:
    """Connect as a device; returns the CONNACK reason code (0 = accepted), the client and its inbox."""
    inbox: queue.Queue = queue.Queue()
    answers: queue.Queue = queue.Queue()
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=username)
    client.username_pw_set(username, password)
    client.on_connect = lambda c, u, f, reason, p: answers.put(reason.value)
    client.on_message = lambda c, u, m: inbox.put((m.topic, m.payload))
    client.connect("127.0.0.1", port)
    client.loop_start()
    try:
        code = answers.get(timeout=10)
    except queue.Empty:
        code = -1
    if code != 0:
        client.loop_stop()
        client.disconnect()
    return code, client, inbox


def accepted(port: int, username: str, password: str) -> bool:
    code, client, _ = connect(port, username, password)
    if code == 0:
        client.loop_stop()
        client.disconnect()
    return code == 0


def test_paired_device_reads_only_its_own_policy_and_unpaired_devices_are_refused(portal, broker) -> None:
    client, parent = portal
    child = parent.add_child("小明", 2016)
    a = pair_device(parent, child, "kid-a")
    b = pair_device(parent, child, "kid-b")
    assert a["mqtt"]["username"] == "kid-a" and a["mqtt"]["password"] != b["mqtt"]["password"]
    assert a["mqtt"]["port"] == broker.port  # the devices' listener, not the portal's back-end one
    passwd = (broker.folder / "passwd").read_text()
    assert "kid-a:" in passwd and a["mqtt"]["password"] not in passwd  # hashed by mosquitto_passwd
    assert "user kid-a" in (broker.folder / "acl").read_text()

    wait_for(lambda: accepted(broker.port, "kid-a", a["mqtt"]["password"]), 15, "kid-a accepted after the reload")
    code, device, inbox = connect(broker.port, "kid-a", a["mqtt"]["password"])
    assert code == 0
    try:
        device.subscribe([(topics.policy("kid-b"), 1), (a["policy_topic"], 1)])
        topic, payload = inbox.get(timeout=10)
        assert topic == a["policy_topic"] and b'"device_id":"kid-a"' in payload.replace(b" ", b"")
        with pytest.raises(queue.Empty):  # kid-b's retained policy exists but is not kid-a's to read
            inbox.get(timeout=2)
    finally:
        device.loop_stop()
        device.disconnect()

    assert not accepted(broker.port, "kid-a", "a guessed password")
    assert not accepted(broker.port, "kid-never-paired", a["mqtt"]["password"])

    page = parent.client.get(f"/children/{child}")
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    r = client.post(f"/children/{child}/devices/kid-b/unpair", data={"csrf_token": token})
    assert r.status_code == 303
    assert "kid-b:" not in (broker.folder / "passwd").read_text()
    wait_for(lambda: not accepted(broker.port, "kid-b", b["mqtt"]["password"]), 15, "kid-b refused after unpairing")
    assert accepted(broker.port, "kid-a", a["mqtt"]["password"])  # the other device is untouched


def test_pairing_fails_cleanly_when_the_broker_files_cannot_be_written(portal, broker, tmp_path) -> None:
    client, parent = portal
    child = parent.add_child("小明", 2016)
    client.app.state.broker_accounts.passwd_file = tmp_path / "missing-folder" / "passwd"
    started = client.post("/api/pair/start", json={"device_id": "kid-c"}).json()
    r = parent.post("/pair", {"code": started["user_code"], "child_id": str(child), "name": "watch"},
                    token_from="/pair")
    assert r.status_code == 503
    # nothing half-done: the device is not paired and its poll still waits
    assert client.post("/api/pair/poll", json={"device_code": started["device_code"]}).status_code == 202
    assert "kid-c" not in client.get(f"/children/{child}").text
