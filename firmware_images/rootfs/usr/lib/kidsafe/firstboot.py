"""First boot of a kidsafe device: identity, broker credentials, pairing file, speech model.

    firstboot.py [--provisioning FILE] [--root DIR] [--kidsafe CMD] [--force]

Run once by kidsafe-firstboot.service (as root) before the device service starts. Every step keeps
what an earlier run made, so a power cut half-way is safe and a second run changes nothing:

1. device id `ks-<16 hex>` (/data/kidsafe/identity/device-id), generated once, never regenerated;
2. a per-device MQTT password (identity/mqtt-password, root:kidsafe 0640) and, for the maker's broker,
   identity/broker-registration.json holding only the mosquitto PBKDF2-SHA512 hash (`$7$`), never the
   password itself;
3. identity/device.env and, when the provisioning file names a broker, identity/agent.env (the
   connected mode, kidsafe-agent.service) plus the fleet root metadata, the portal's public key and
   the broker's CA certificate (copied into identity/);
4. pairing/pairing.json: the device id and pairing state for the device page and the parent;
5. speech models from the provisioning source (a file on the boot partition or an http(s) URL), each
   checked against its pinned SHA-256 BEFORE anything is installed: a mismatch is refused (exit 3),
   nothing changes, and the next boot tries again; then `kidsafe models install-asr` (which checks
   again and trial-loads it with Vosk) installs it under /data/kidsafe/models;
6. state/provisioned.json, written last: its presence makes later runs a no-op.

Provisioning file (JSON, default /boot/firmware/kidsafe-provisioning.json; see
firmware_images/provisioning.example.json). Without one the device starts offline, without voice.
Stdlib only (Debian's python3).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import logging
import os
import pwd
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from layout import SERVICE_USER, Layout  # noqa: E402

log = logging.getLogger("kidsafe-firstboot")
DEVICE_ID_RE = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
KIDSAFE = "/opt/kidsafe/venv/bin/kidsafe"
MAX_MODEL_BYTES = 2 << 30
EXIT_REFUSED = 3


class ProvisioningError(Exception):
    """A provisioning file or source that cannot be used; the message is in Chinese and English."""


def load_provisioning(path: Path) -> dict[str, Any]:
    if not path.exists():
        log.info("no provisioning file %s: offline device without speech model / 无配置文件：离线运行", path)
        return {}
    try:
        doc = json.loads(path.read_bytes()[:1_000_000])
    except ValueError as exc:
        raise ProvisioningError(f"provisioning file {path} is not valid JSON: {exc} / 配置文件不是有效 JSON") from exc
    if not isinstance(doc, dict):
        raise ProvisioningError(f"provisioning file {path} must hold a JSON object / 配置文件必须是 JSON 对象")
    for item in doc.get("asr") or []:
        if not isinstance(item, dict) or not isinstance(item.get("source"), str):
            raise ProvisioningError("asr entries need a 'source' (path or URL) / 语音模型需要 source")
        if not SHA256_RE.match(str(item.get("sha256", "")).lower()):
            raise ProvisioningError(f"asr source {item['source']} has no pinned sha256 / 语音模型缺少 sha256 校验值")
    return doc


# -- small file helpers ----------------------------------------------------------------------------
def _service_ids() -> tuple[int, int] | None:
    if os.geteuid() != 0:
        return None
    try:
        pw = pwd.getpwnam(SERVICE_USER)
    except KeyError:
        return None
    return 0, pw.pw_gid


def write_private(path: Path, text: str, mode: int = 0o640) -> None:
    """Atomic write, owned root:kidsafe (when run as root): the service reads it, cannot change it."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o750)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, mode)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    ids = _service_ids()
    if ids is not None:
        os.chown(tmp, *ids)
    os.chmod(tmp, mode)
    os.replace(tmp, path)


def sha256_file(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


# -- steps -----------------------------------------------------------------------------------------
def device_id(layout: Layout) -> str:
    path = layout.identity_dir / "device-id"
    if path.exists():
        value = path.read_text().strip()
        if DEVICE_ID_RE.match(value):
            return value
        raise ProvisioningError(f"{path} holds an invalid device id {value!r}; fix or remove it by hand "
                                "(a device never gets a second id silently) / 设备编号无效")
    value = f"ks-{secrets.token_hex(8)}"
    write_private(path, value + "\n")
    log.info("device id %s", value)
    return value


def mosquitto_hash(password: str, iterations: int = 101) -> str:
    """mosquitto_passwd's `$7$` line part: PBKDF2-HMAC-SHA512, 12-byte salt."""
    salt = secrets.token_bytes(12)
    digest = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, iterations)
    return f"$7${iterations}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def credentials(layout: Layout, dev_id: str) -> None:
    pw_path = layout.identity_dir / "mqtt-password"
    reg_path = layout.identity_dir / "broker-registration.json"
    if not pw_path.exists():
        write_private(pw_path, secrets.token_urlsafe(32) + "\n")
        reg_path.unlink(missing_ok=True)  # a new password needs a new registration
    if not reg_path.exists():
        password = pw_path.read_text().strip()
        reg = {"device_id": dev_id, "username": dev_id, "mosquitto_passwd_line": f"{dev_id}:{mosquitto_hash(password)}"}
        write_private(reg_path, json.dumps(reg, indent=1) + "\n", mode=0o644)


def environment(layout: Layout, dev_id: str, prov: dict[str, Any]) -> None:
    lines = [f"KIDSAFE_DEVICE_ID={dev_id}"]
    if isinstance(prov.get("timezone"), str) and re.match(r"^[A-Za-z0-9_+/-]{1,64}$", prov["timezone"]):
        lines.append(f"KIDSAFE_TZ={prov['timezone']}")
    write_private(layout.identity_dir / "device.env", "\n".join(lines) + "\n")
    mqtt = prov.get("mqtt") if isinstance(prov.get("mqtt"), dict) else None
    if mqtt and isinstance(mqtt.get("url"), str):
        if not re.match(r"^mqtts?://[^\s]+$", mqtt["url"]):
            raise ProvisioningError(f"mqtt.url {mqtt['url']!r} is not mqtt:// or mqtts:// / 代理地址无效")
        cohort = str(mqtt.get("cohort", "default"))
        if not DEVICE_ID_RE.match(cohort):
            raise ProvisioningError(f"mqtt.cohort {cohort!r} is invalid / 分组名无效")
        write_private(layout.identity_dir / "agent.env",
                      f"KIDSAFE_MQTT_URL={mqtt['url']}\nKIDSAFE_COHORT={cohort}\n")
    for key, name in (("fleet_root", "root.json"), ("portal_key", "portal.pub"), ("broker_ca", "broker-ca.pem")):
        src = prov.get(key)
        if isinstance(src, str) and src:
            data = Path(src if not src.startswith("/") else str(layout.p(src))).read_bytes()
            if key == "fleet_root":
                json.loads(data)  # must be JSON (the agent checks its signatures)
            write_private(layout.identity_dir / name, data.decode("utf-8"), mode=0o644)


def pairing(layout: Layout, dev_id: str, prov: dict[str, Any]) -> None:
    path = layout.pairing_dir / "pairing.json"
    if path.exists():
        return
    doc = {"device_id": dev_id, "status": "unpaired", "portal_url": prov.get("portal_url"),
           "created": int(time.time())}
    write_private(path, json.dumps(doc, ensure_ascii=False, indent=1) + "\n", mode=0o644)


def fetch_source(layout: Layout, source: str, dest_dir: Path) -> Path:
    """A local archive (under --root) as is; an http(s) URL downloaded into dest_dir (size-capped)."""
    if source.startswith(("http://", "https://")):
        name = Path(source.split("?", 1)[0]).name or "model.zip"
        out = dest_dir / name
        with urllib.request.urlopen(source, timeout=60) as resp, out.open("wb") as fh:  # noqa: S310
            total = 0
            while block := resp.read(1 << 20):
                total += len(block)
                if total > MAX_MODEL_BYTES:
                    raise ProvisioningError(f"{source} is larger than {MAX_MODEL_BYTES} bytes / 文件过大")
                fh.write(block)
        return out
    path = layout.p(source) if source.startswith("/") else Path(source)
    if not path.is_file():
        raise ProvisioningError(f"speech model archive {path} not found / 找不到语音模型文件")
    return path


def speech_models(layout: Layout, prov: dict[str, Any], kidsafe: str) -> None:
    record_path = layout.state_dir / "asr-installed.json"
    done = json.loads(record_path.read_text()) if record_path.exists() else {}
    for item in prov.get("asr") or []:
        want = item["sha256"].lower()
        if want in done.values():
            continue
        layout.state_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="asr-", dir=layout.state_dir) as tmp:
            archive = fetch_source(layout, item["source"], Path(tmp))
            got = sha256_file(archive)
            if got != want:
                raise ProvisioningError(f"speech model {item['source']}: sha256 {got} does not match the pinned "
                                        f"{want}; refused, nothing installed / 校验值不符，已拒绝安装")
            cmd = [kidsafe, "models", "install-asr", str(archive), "--sha256", want, "--home", str(layout.models_dir)]
            if item.get("name"):
                cmd += ["--name", str(item["name"])]
            if item.get("activate") is False:
                cmd.append("--no-activate")
            proc = subprocess.run(cmd, capture_output=True, text=True)
            if proc.returncode != 0:
                raise ProvisioningError(f"install-asr failed ({proc.returncode}): {proc.stderr.strip()[-500:]}")
        done[item["source"]] = want
        write_private(record_path, json.dumps(done, indent=1) + "\n", mode=0o644)
        log.info("speech model %s installed", item["source"])


def run(layout: Layout, provisioning: Path, kidsafe: str = KIDSAFE, force: bool = False) -> int:
    if layout.provisioned_marker.exists() and not force:
        log.info("already provisioned (%s) / 已完成首次启动配置", layout.provisioned_marker)
        return 0
    try:
        prov = load_provisioning(provisioning)
        dev_id = device_id(layout)
        credentials(layout, dev_id)
        environment(layout, dev_id, prov)
        pairing(layout, dev_id, prov)
        speech_models(layout, prov, kidsafe)
    except (ProvisioningError, OSError, ValueError) as exc:
        log.error("first boot not finished: %s", exc)
        return EXIT_REFUSED
    marker = {"device_id": dev_id, "at": int(time.time()), "provisioning": str(provisioning)}
    write_private(layout.provisioned_marker, json.dumps(marker) + "\n", mode=0o644)
    log.info("first boot done: %s / 首次启动配置完成", dev_id)
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="kidsafe first boot: identity, credentials, speech model")
    p.add_argument("--root", type=Path, default=Path("/"), help="prefix of every path (tests)")
    p.add_argument("--provisioning", type=Path, default=None,
                   help="default ROOT/boot/firmware/kidsafe-provisioning.json")
    p.add_argument("--kidsafe", default=shutil.which("kidsafe") if not Path(KIDSAFE).exists() else KIDSAFE)
    p.add_argument("--force", action="store_true", help="run the steps again (keeps id and credentials)")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    layout = Layout(args.root)
    return run(layout, args.provisioning or layout.provisioning_file, args.kidsafe or KIDSAFE, args.force)


if __name__ == "__main__":
    sys.exit(main())
