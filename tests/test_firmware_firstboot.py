"""First boot, factory reset and the time-seal keeper of the device image, run on this machine in a
temporary root (the scripts take --root). The speech-model installer is a stub here (a unit test);
the archive check in front of it is real."""

from __future__ import annotations

import hashlib
import http.server
import json
import sys
import threading
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[1] / "firmware_images" / "rootfs" / "usr" / "lib" / "kidsafe"
sys.path.insert(0, str(SCRIPTS))
import factory_reset  # noqa: E402
import firstboot  # noqa: E402
import seal_guard  # noqa: E402
from layout import Layout  # noqa: E402


@pytest.fixture
def root(tmp_path: Path) -> Layout:
    layout = Layout(tmp_path / "root")
    (layout.root / "boot/firmware").mkdir(parents=True)
    return layout


@pytest.fixture
def installer(tmp_path: Path) -> tuple[str, Path]:
    """A stand-in for `kidsafe models install-asr` that records its arguments."""
    log = tmp_path / "install-calls.jsonl"
    script = tmp_path / "fake-kidsafe"
    script.write_text(f"#!{sys.executable}\nimport json, sys\n"
                      f"open({str(log)!r}, 'a').write(json.dumps(sys.argv[1:]) + '\\n')\n")
    script.chmod(0o755)
    return str(script), log


def calls(log: Path) -> list[list[str]]:
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


def provision(layout: Layout, doc: dict) -> Path:
    layout.provisioning_file.write_text(json.dumps(doc))
    return layout.provisioning_file


def archive(layout: Layout, data: bytes = b"PK fake vosk model archive") -> tuple[str, str]:
    path = layout.root / "boot/firmware/vosk-model-small-cn-0.22.zip"
    path.write_bytes(data)
    return "/boot/firmware/vosk-model-small-cn-0.22.zip", hashlib.sha256(data).hexdigest()


def snapshot(layout: Layout) -> dict[str, bytes]:
    return {str(p.relative_to(layout.root)): p.read_bytes() for p in sorted(layout.root.rglob("*")) if p.is_file()}


def test_identity_is_made_once_and_a_second_run_changes_nothing(root: Layout, installer) -> None:
    cmd, _ = installer
    assert firstboot.run(root, root.provisioning_file, cmd) == 0
    dev_id = (root.identity_dir / "device-id").read_text().strip()
    assert dev_id.startswith("ks-") and len(dev_id) == 19
    password = (root.identity_dir / "mqtt-password").read_text()
    assert len(password.strip()) >= 40 and (root.identity_dir / "mqtt-password").stat().st_mode & 0o077 == 0o040
    reg = json.loads((root.identity_dir / "broker-registration.json").read_text())
    assert reg["username"] == dev_id and password.strip() not in json.dumps(reg)
    pairing = json.loads((root.pairing_dir / "pairing.json").read_text())
    assert pairing["device_id"] == dev_id and pairing["status"] == "unpaired"
    assert not (root.identity_dir / "agent.env").exists()  # no broker provisioned: offline mode
    before = snapshot(root)
    assert firstboot.run(root, root.provisioning_file, cmd) == 0
    assert snapshot(root) == before
    assert firstboot.run(root, root.provisioning_file, cmd, force=True) == 0  # steps again, same identity
    assert (root.identity_dir / "device-id").read_text().strip() == dev_id
    assert (root.identity_dir / "mqtt-password").read_text() == password


def test_power_cut_after_the_id_keeps_the_id(root: Layout, installer) -> None:
    root.identity_dir.mkdir(parents=True)
    (root.identity_dir / "device-id").write_text("ks-00112233aabbccdd\n")
    assert firstboot.run(root, root.provisioning_file, installer[0]) == 0
    assert json.loads(root.provisioned_marker.read_text())["device_id"] == "ks-00112233aabbccdd"


def test_a_corrupt_id_is_never_replaced_silently(root: Layout, installer) -> None:
    root.identity_dir.mkdir(parents=True)
    (root.identity_dir / "device-id").write_text("ks/../../evil\n")
    assert firstboot.run(root, root.provisioning_file, installer[0]) == firstboot.EXIT_REFUSED
    assert (root.identity_dir / "device-id").read_text() == "ks/../../evil\n"
    assert not root.provisioned_marker.exists()


def test_checksum_mismatch_is_refused_and_nothing_installed(root: Layout, installer) -> None:
    cmd, log = installer
    source, digest = archive(root)
    provision(root, {"asr": [{"source": source, "sha256": "0" * 64}]})
    assert firstboot.run(root, root.provisioning_file, cmd) == firstboot.EXIT_REFUSED
    assert calls(log) == [] and not root.provisioned_marker.exists()
    assert not (root.state_dir / "asr-installed.json").exists()
    provision(root, {"asr": [{"source": source, "sha256": digest}]})  # the maker fixes the pin: next boot
    assert firstboot.run(root, root.provisioning_file, cmd) == 0
    (call,) = calls(log)
    assert call[:2] == ["models", "install-asr"] and call[call.index("--sha256") + 1] == digest
    assert call[call.index("--home") + 1] == str(root.models_dir)
    assert firstboot.run(root, root.provisioning_file, cmd, force=True) == 0
    assert len(calls(log)) == 1  # installed once


def test_an_asr_entry_without_a_pinned_checksum_is_refused(root: Layout, installer) -> None:
    source, _ = archive(root)
    provision(root, {"asr": [{"source": source}]})
    assert firstboot.run(root, root.provisioning_file, installer[0]) == firstboot.EXIT_REFUSED
    provision(root, {"asr": "not a list of objects"})
    assert firstboot.run(root, root.provisioning_file, installer[0]) == firstboot.EXIT_REFUSED


class _Archive(http.server.BaseHTTPRequestHandler):
    body = b""

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.send_response(200)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: object) -> None:
        pass


def test_model_from_a_url_is_checked_before_install(root: Layout, installer) -> None:
    cmd, log = installer
    _Archive.body = b"model served over http" * 100
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Archive)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/vosk-model-small-en-us-0.15.zip"
    try:
        provision(root, {"asr": [{"source": url, "sha256": hashlib.sha256(b"tampered").hexdigest()}]})
        assert firstboot.run(root, root.provisioning_file, cmd) == firstboot.EXIT_REFUSED
        assert calls(log) == []
        provision(root, {"asr": [{"source": url, "sha256": hashlib.sha256(_Archive.body).hexdigest(),
                                  "activate": False}],
                         "mqtt": {"url": "mqtts://broker.example:8883", "cohort": "pilot"},
                         "timezone": "Asia/Shanghai"})
        assert firstboot.run(root, root.provisioning_file, cmd) == 0
    finally:
        server.shutdown()
    (call,) = calls(log)
    assert call[2].endswith("vosk-model-small-en-us-0.15.zip") and "--no-activate" in call
    assert not list(root.state_dir.glob("asr-*/"))  # the download was a temporary file
    agent_env = (root.identity_dir / "agent.env").read_text()
    assert "KIDSAFE_MQTT_URL=mqtts://broker.example:8883" in agent_env and "KIDSAFE_COHORT=pilot" in agent_env
    assert "KIDSAFE_TZ=Asia/Shanghai" in (root.identity_dir / "device.env").read_text()


CHILD_DATA = ("data/kidsafe/home", "data/kidsafe/mirror", "data/kidsafe/seal", "data/kidsafe/guard",
              "data/kidsafe/cache", "data/kidsafe/pairing", "data/log/journal")


def fill(path: Path, name: str = "x") -> None:
    path.mkdir(parents=True, exist_ok=True)
    (path / name).write_text("data")


def test_factory_reset_wipes_child_data_and_nothing_else(root: Layout, installer, tmp_path: Path) -> None:
    assert firstboot.run(root, root.provisioning_file, installer[0]) == 0
    for rel in CHILD_DATA:
        fill(root.root / rel, "child-data")
    fill(root.home / "fleet" / "sets", "pack.json")
    outside = tmp_path / "outside.txt"
    outside.write_text("not the device's")
    (root.home / "link-out").symlink_to(outside)
    fill(root.models_dir / "asr" / "small-cn", "am.mdl")
    fill(root.root / "opt/kidsafe/venv", "python")  # stands for the image
    kept_before = {p: p.read_bytes() for p in [*root.identity_dir.iterdir(), root.models_dir / "asr/small-cn/am.mdl",
                                               root.provisioned_marker, root.root / "opt/kidsafe/venv/python"]}
    root.reset_request.write_text("")
    assert factory_reset.main(["--root", str(root.root), "--if-requested"]) == 0
    for rel in CHILD_DATA:
        assert (root.root / rel).is_dir() and not any((root.root / rel).iterdir()), rel
    assert {p: p.read_bytes() for p in kept_before} == kept_before
    assert outside.read_text() == "not the device's"
    assert not root.reset_request.exists()
    record = json.loads((root.state_dir / "factory-reset.json").read_text())
    assert record["wiped"][str(root.home)] == 3
    fill(root.home, "usage.sqlite3")
    assert factory_reset.main(["--root", str(root.root), "--if-requested"]) == 0  # not requested: untouched
    assert (root.home / "usage.sqlite3").exists()


# -- the time seal keeper -------------------------------------------------------------------------
def seal(layout: Layout, state: dict) -> Path:
    layout.seal_dir.mkdir(parents=True, exist_ok=True)
    path = layout.seal_dir / seal_guard.SEAL_NAME
    path.write_text(json.dumps(state))
    return path


def read(path: Path) -> dict:
    return json.loads(path.read_text())


TODAY = {"ids": {"usage": "a1", "mirror": "b2"}, "hwm": 1.8e9, "day": "2026-11-29", "usage": {"limit": 1500.0}}


def test_deleted_seal_is_restored_and_a_lowered_one_raised(root: Layout) -> None:
    path = seal(root, TODAY)
    assert seal_guard.save(root) == 0
    guarded = root.guard_dir / seal_guard.SEAL_NAME
    assert read(guarded) == TODAY and guarded.stat().st_mode & 0o077 == 0
    path.unlink()  # the child-facing side deletes the seal (and the usage files)
    assert seal_guard.restore(root, owner=None) == 0
    assert read(path) == TODAY
    seal(root, dict(TODAY, usage={"limit": 60.0}))  # ... or writes a lower one
    assert seal_guard.save(root) == 0
    assert read(guarded)["usage"]["limit"] == 1500.0  # the guarded copy never goes down within a day
    assert seal_guard.restore(root, owner=None) == 0
    assert read(path)["usage"]["limit"] == 1500.0
    path.write_text("{not json")
    assert seal_guard.restore(root, owner=None) == 0
    assert read(path)["usage"]["limit"] == 1500.0


def test_a_new_day_passes_through(root: Layout) -> None:
    seal(root, TODAY)
    seal_guard.save(root)
    tomorrow = dict(TODAY, day="2026-11-30", usage={"limit": 30.0})
    path = seal(root, tomorrow)
    seal_guard.save(root)
    assert read(root.guard_dir / seal_guard.SEAL_NAME) == tomorrow
    seal_guard.restore(root, owner=None)
    assert read(path) == tomorrow


def test_restored_seal_gives_the_day_back_to_the_real_usage_store(root: Layout) -> None:
    """End to end with device/usage: delete both usage files and the seal; the guard's copy brings today back."""
    from device.usage.store import LIMIT_BUCKET, UsageStore

    db, mirror, path = root.home / "usage.sqlite3", root.mirror_dir / "usage-mirror.sqlite3", root.seal_dir / "s.json"
    for folder in (root.home, root.mirror_dir, root.seal_dir):
        folder.mkdir(parents=True, exist_ok=True)
    path = root.seal_dir / seal_guard.SEAL_NAME
    store = UsageStore(db, mirror, path)
    store.save_usage("2026-11-29", {LIMIT_BUCKET: 2400.0}, kv={"hwm": 1.8e9})
    store.close()
    assert seal_guard.save(root) == 0
    for gone in (db, mirror, path):
        gone.unlink()
    assert seal_guard.restore(root, owner=None) == 0
    store = UsageStore(db, mirror, path)
    try:
        assert store.usage("2026-11-29")[LIMIT_BUCKET] == pytest.approx(2400.0)
        assert any(f["kind"] == "usage_tamper" for f in store.take_findings())
    finally:
        store.close()
