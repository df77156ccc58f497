"""The image's pairing client (pair.py, stdlib HTTP) against the real parent portal served by uvicorn on
127.0.0.1: the code lands in pairing.json for the page, the parent claims it, the device stores the
portal-issued credentials; a factory reset forgets them."""

from __future__ import annotations

import json
import socket
import sys
import threading
import time
from pathlib import Path

import uvicorn
from portal_support import Parent, make_portal

SCRIPTS = Path(__file__).resolve().parents[1] / "firmware_images" / "rootfs" / "usr" / "lib" / "kidsafe"
sys.path.insert(0, str(SCRIPTS))
import factory_reset  # noqa: E402
import firstboot  # noqa: E402
import pair  # noqa: E402
from layout import Layout  # noqa: E402


def serve(app: object) -> tuple[uvicorn.Server, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "portal did not start"
    return server, f"http://127.0.0.1:{port}"


def test_pairing_with_the_real_portal(tmp_path: Path) -> None:
    layout = Layout(tmp_path / "root")
    (layout.root / "boot/firmware").mkdir(parents=True)
    assert firstboot.run(layout, layout.provisioning_file, "/bin/false") == 0
    factory_password = (layout.identity_dir / "mqtt-password").read_text()
    client = make_portal(f"sqlite:///{tmp_path}/portal.db", signing_key=tmp_path / "portal.key")
    server, url = serve(client.app)
    try:
        switched: list[str] = []
        assert pair.pair(layout, url, once=True, on_paired=lambda: switched.append("now")) == 1  # waiting
        assert switched == []
        shown = json.loads((layout.pairing_dir / "pairing.json").read_text())
        assert shown["status"] == "waiting" and shown["user_code"] in shown["url"]
        assert (layout.state_dir / "pairing-device-code.json").stat().st_mode & 0o077 == 0
        parent = Parent(client)
        parent.register("mama")
        child = parent.add_child()
        r = parent.post("/pair", {"code": shown["user_code"], "child_id": str(child), "name": "speaker"},
                        token_from="/pair")
        assert r.status_code == 303, r.text
        assert pair.pair(layout, url, once=True, on_paired=lambda: switched.append("now")) == 0
        assert switched == ["now"]  # the connected mode starts right after pairing
        assert pair.pair(layout, url, once=True, on_paired=lambda: switched.append("again")) == 0
        assert switched == ["now"]  # paired before: nothing is stopped or restarted
    finally:
        server.should_exit = True
    shown = json.loads((layout.pairing_dir / "pairing.json").read_text())
    assert shown["status"] == "paired" and shown["user_code"] is None
    issued = (layout.pairing_dir / "mqtt-password").read_text()
    assert issued.strip() and issued != factory_password
    assert len((layout.pairing_dir / "portal.pub").read_text().strip()) == 64  # Ed25519 public key, hex
    assert (layout.identity_dir / "agent.env").read_text().startswith("KIDSAFE_MQTT_URL=mqtt://")
    assert not (layout.state_dir / "pairing-device-code.json").exists()
    assert factory_reset.main(["--root", str(layout.root)]) == 0  # a new family pairs again
    assert not (layout.pairing_dir / "mqtt-password").exists()
    assert (layout.identity_dir / "mqtt-password").read_text() == factory_password


def test_without_a_portal_the_offline_device_is_left_running(tmp_path: Path, monkeypatch) -> None:
    """The unit runs `pair.py --switch` at every boot; with no portal_url provisioned it must not stop
    kidsafe-device.service (the first booted image lost its device service to exactly that)."""
    layout = Layout(tmp_path / "root")
    (layout.root / "boot/firmware").mkdir(parents=True)
    assert firstboot.run(layout, layout.provisioning_file, "/bin/false") == 0
    switched: list[str] = []
    monkeypatch.setattr(pair, "switch_to_connected", lambda: switched.append("switch"))
    assert pair.main(["--root", str(layout.root), "--switch"]) == 0
    layout.provisioning_file.write_text(json.dumps({"portal_url": None}))
    assert pair.main(["--root", str(layout.root), "--switch"]) == 0
    assert switched == []
    assert json.loads((layout.pairing_dir / "pairing.json").read_text())["status"] == "unpaired"
