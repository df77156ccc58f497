"""`kidsafe demo` with nothing but Python: the embedded broker on 127.0.0.1, a real MQTT client reads
the simulated device's retained state, and a forged bundle from an outsider changes none of its versions."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bridge_fixtures import wait_for

from filters.lexicon import PACKS_DIR
from mqtt_bridge import fleet, topics
from mqtt_bridge.client import BrokerConfig, BrokerError, Connection
from mqtt_bridge.payloads import StateMessage, dump, parse

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening_addresses(port: int) -> set[str]:
    """Local addresses with a listening TCP socket on `port` (from /proc/net/tcp and tcp6)."""
    found = set()
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(name).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            addr, hexport = local.split(":")
            if state == "0A" and int(hexport, 16) == port:
                found.add(socket.inet_ntop(socket.AF_INET, bytes.fromhex(addr)[::-1]) if len(addr) == 8 else addr)
    return found


def read_state(port: int, user: str, password: str) -> StateMessage | None:
    got: list = []
    conn = Connection(BrokerConfig(port=port, username=user, password=password, protocol="3.1.1"), f"t-{user}")
    conn.client.on_message = lambda c, u, m: got.append(m.payload)
    conn.subscribe(topics.state("demo-kid"))
    try:
        conn.start()
    except BrokerError:
        return None  # the embedded broker answered no CONNACK within 10 s (a loaded machine): wait_for asks again
    time.sleep(0.7)
    conn.stop()
    return parse(StateMessage, got[-1]) if got else None


def test_demo_broker_serves_the_device_state_and_ignores_forged_bundles(tmp_path: Path) -> None:
    home = tmp_path / "demo"
    # --port 0 and no --mqtt-port: the demo takes free ports itself (the page's bound before anything else,
    # the broker's re-chosen if taken before amqtt binds it), so no other test can take them in between
    proc = subprocess.Popen([sys.executable, "-m", "kidsafe", "demo", "--home", str(home), "--port", "0"],
                            cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    lines: list[str] = []
    try:
        def printed() -> re.Match | None:
            line = proc.stdout.readline()
            if not line and proc.poll() is not None:  # ended before its banner: say so now, with its output
                raise AssertionError(f"the demo exited ({proc.returncode}) before its banner:\n{''.join(lines)}")
            lines.append(line)
            return re.search(r"viewer / (\S+)", "".join(lines)) if "mqtt://" in "".join(lines) else None

        # bounded, not timed: at load 14-21 the demo once needed more than 90 s to its banner (model, speech
        # model copy, broker, portal, the device applying the portal's policy)
        assert wait_for(printed, timeout=300, what="demo banner"), "".join(lines)
        text = "".join(lines)
        port = int(re.search(r"mqtt://127\.0\.0\.1:(\d+)", text).group(1))
        viewer_pw = re.search(r"viewer / (\S+)", text).group(1)
        st = wait_for(lambda: (s := read_state(port, "viewer", viewer_pw)) and s.online and s, timeout=60,
                      what="retained online state")
        page = re.search(r"儿童页面:\s+(http://127\.0\.0\.1:\d+/)", text).group(1)  # --port 0: the one it bound
        with urllib.request.urlopen(page + "api/pairing?lang=en", timeout=30) as resp:
            pairing = json.loads(resp.read())
        assert pairing["state"] == "paired" and pairing["device_id"] == st.device_id, pairing
        assert st.bundle_version == 0 and st.packs
        assert listening_addresses(port) == {"127.0.0.1"}  # amqtt's default would be every interface
        # an outsider with a stolen operator password but not the signing keys publishes a bundle
        logins = json.loads((home / "mqtt" / "logins.json").read_text())
        evil = tmp_path / "evil-keys"
        fleet.init_keys(evil)
        built = fleet.build_bundle(9, "demo", sorted(PACKS_DIR.glob("*.json"))[:2])
        forged = fleet.bundle_message(fleet.sign_bundle(built.meta, fleet._keys_in(evil, "bundle")), built.files,
                                      fleet.roots_in(evil))
        op = Connection(BrokerConfig(port=port, username="operator", password=logins["operator"], protocol="3.1.1"),
                        "outsider").start()
        op.publish(topics.bundles("demo"), dump(forged), retain=True)
        op.stop()
        # and the read-only viewer tries too (the broker's ACL drops it)
        viewer = Connection(BrokerConfig(port=port, username="viewer", password=viewer_pw, protocol="3.1.1"),
                            "viewer-2").start()
        viewer.client.publish(topics.bundles("demo"), dump(forged), qos=1, retain=True)
        viewer.client.publish(topics.policy("demo-kid"), b"{}", qos=1, retain=True)
        time.sleep(0.5)
        viewer.stop()
        after = wait_for(lambda: (s := read_state(port, "viewer", viewer_pw)) and s.bundle_status != "idle" and s,
                         timeout=30, what="the device's verdict on the forged bundle")
        assert after.bundle_status == "refused" and "forged" in after.bundle_error
        assert after.bundle_version == st.bundle_version and after.packs == st.packs
        assert after.model_sha256 == st.model_sha256 and after.policy_version == st.policy_version
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
        try:  # the demo's whole output, shown by pytest when the test fails (bounded: never hangs here)
            rest = proc.communicate(timeout=5)[0] or ""
        except subprocess.TimeoutExpired:
            rest = "(rest of the demo's output not read)"
        print("".join(lines) + rest)


def test_a_taken_page_port_ends_the_demo_at_once_with_a_clear_message(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "kidsafe", "demo", "--home", str(tmp_path / "demo"),
                               "--port", str(port)], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"port {port} on 127.0.0.1 is in use" in done.stderr and "已被占用" in done.stderr
    assert "Child's device page" not in done.stdout  # no banner with a URL that does not answer
    assert not (tmp_path / "demo" / "mqtt").exists()  # nothing was started


def test_the_demo_broker_takes_another_port_when_its_free_one_was_taken(tmp_path: Path, monkeypatch) -> None:
    from mqtt_bridge.broker import embedded

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = busy.getsockname()[1]
        chosen = [taken]  # the first "free" port is taken by someone else before amqtt binds it
        monkeypatch.setattr(embedded, "free_port", lambda: chosen.pop() if chosen else free_port())
        broker = embedded.EmbeddedBroker(tmp_path / "auto", {"kid": "pw"}, {"kid": ["#"]}, {"kid": ["#"]}).start()
        try:
            assert broker.port != taken and listening_addresses(broker.port) == {"127.0.0.1"}
        finally:
            broker.stop()
        given = embedded.EmbeddedBroker(tmp_path / "given", {"kid": "pw"}, {"kid": ["#"]}, {"kid": ["#"]},
                                        port=taken)
        try:  # a port the operator asked for is not silently replaced
            given.start()
            raise AssertionError("the broker started on a taken port")
        except embedded.DemoBrokerError as exc:
            assert f"127.0.0.1:{taken}" in str(exc) and "address already in use" in str(exc)

