"""Pairing with the parent portal (its device-authorisation flow, like RFC 8628), run by root.

    pair.py [--root DIR] [--portal URL] [--once]

1. POST {portal}/api/pair/start {"device_id"} -> a short code for the parent ("K7PX-3MQA"), a URL
   with a QR code, and a device code. The short code and URL go to /data/kidsafe/pairing/pairing.json
   ("status": "waiting"), where the device page can show them; the device code stays root-only.
2. POST {portal}/api/pair/poll {"device_code"} every `interval` seconds: 202 while the parent has
   not entered the code; 200 once: the device's MQTT username/password and the portal's public key.
3. The portal-issued password and key go to /data/kidsafe/pairing (mqtt-password, portal.pub: they
   take precedence over the factory ones in identity/, and a factory reset wipes them with the rest of
   the family's data); identity/agent.env is written only when provisioning named no broker
   (mqtt://HOST:PORT from the answer). pairing.json says "paired"; with --switch (the unit's way)
   pair.py then stops kidsafe-device.service and (re)starts kidsafe-agent.service: the connected mode,
   with the new credentials. Only right after pairing: without a portal URL, or when the device was
   paired before, the running service is left alone (the offline device keeps serving the child).
An expired code is replaced by a new one. Errors from the portal are shown as they are (zh/en log).
Stdlib only; the portal URL comes from --portal, else the provisioning file's "portal_url".
"""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from firstboot import write_private  # noqa: E402
from layout import Layout  # noqa: E402

log = logging.getLogger("kidsafe-pair")


class PortalError(Exception):
    """The portal refused or could not be reached."""


def post(url: str, body: dict[str, Any], timeout: float = 15.0) -> tuple[int, dict[str, Any]]:
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json", "Accept": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 (the maker's portal URL)
            return resp.status, json.loads(resp.read(1_000_000) or b"{}")
    except urllib.error.HTTPError as exc:
        detail = exc.read(10_000).decode("utf-8", "replace")
        raise PortalError(f"{url}: HTTP {exc.code} {detail}") from exc
    except (OSError, ValueError) as exc:
        raise PortalError(f"{url}: {exc}") from exc


def read_json(path: Path) -> dict[str, Any]:
    try:
        doc = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return doc if isinstance(doc, dict) else {}


def start(layout: Layout, portal: str, device_id: str) -> dict[str, Any]:
    _, answer = post(f"{portal}/api/pair/start", {"device_id": device_id})
    code = {"device_code": answer["device_code"], "interval": int(answer.get("interval", 3)),
            "expires_at": time.time() + int(answer["expires_in"])}
    write_private(layout.state_dir / "pairing-device-code.json", json.dumps(code) + "\n", mode=0o600)
    shown = {"device_id": device_id, "status": "waiting", "user_code": answer["user_code"], "url": answer["url"],
             "expires_at": int(code["expires_at"]), "portal_url": portal}
    write_private(layout.pairing_dir / "pairing.json", json.dumps(shown, ensure_ascii=False, indent=1) + "\n",
                  mode=0o644)
    log.info("pairing code %s for %s (enter it in the parent app / 请在家长端输入配对码)",
             answer["user_code"], device_id)
    return code


def finish(layout: Layout, answer: dict[str, Any]) -> None:
    mqtt = answer["mqtt"]
    write_private(layout.pairing_dir / "mqtt-password", str(mqtt["password"]) + "\n")
    write_private(layout.pairing_dir / "portal.pub", str(answer["portal_public_key"]) + "\n", mode=0o644)
    env_path = layout.identity_dir / "agent.env"
    if not env_path.exists():
        url = f"mqtt://{mqtt['host']}:{int(mqtt['port'])}"
        write_private(env_path, f"KIDSAFE_MQTT_URL={url}\nKIDSAFE_COHORT=default\n")
    shown = read_json(layout.pairing_dir / "pairing.json")
    shown.update({"status": "paired", "user_code": None, "url": None, "paired_at": int(time.time())})
    write_private(layout.pairing_dir / "pairing.json", json.dumps(shown, ensure_ascii=False, indent=1) + "\n",
                  mode=0o644)
    (layout.state_dir / "pairing-device-code.json").unlink(missing_ok=True)
    log.info("paired with %s / 配对成功", answer.get("device_id"))


def switch_to_connected() -> None:
    """The offline unit stops, the connected one starts (or restarts to read the portal's password)."""
    for cmd in (["systemctl", "stop", "kidsafe-device.service"],
                ["systemctl", "--no-block", "restart", "kidsafe-agent.service"]):
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            log.error("%s failed: %s / 切换到联网模式失败", " ".join(cmd), proc.stderr.strip()[-300:])


def pair(layout: Layout, portal: str, once: bool = False, sleep: Any = time.sleep,
         on_paired: Callable[[], None] = lambda: None) -> int:
    """0 paired (now or before), 1 still waiting (--once), 2 refused by the portal.
    `on_paired` runs once, only when this call completed the pairing."""
    device_id = (layout.identity_dir / "device-id").read_text().strip()
    if read_json(layout.pairing_dir / "pairing.json").get("status") == "paired":
        return 0
    code = read_json(layout.state_dir / "pairing-device-code.json")
    while True:
        try:
            if not code or code.get("expires_at", 0) <= time.time():
                code = start(layout, portal, device_id)
            status, answer = post(f"{portal}/api/pair/poll", {"device_code": code["device_code"]})
        except PortalError as exc:
            if "HTTP 409" in str(exc):  # already paired to a family: its parent must unpair it first
                log.error("portal refused pairing: %s / 门户拒绝配对", exc)
                return 2
            log.warning("portal not reachable, trying again: %s / 暂时无法连接家长端", exc)
            code = {} if "HTTP 404" in str(exc) else code
            if once:
                return 1
            sleep(30)
            continue
        if status == 200 and answer.get("status") == "paired":
            finish(layout, answer)
            on_paired()
            return 0
        if once:
            return 1
        sleep(max(1, int(code.get("interval", 3))))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="pair this device with the parent portal")
    p.add_argument("--root", type=Path, default=Path("/"), help="prefix of every path (tests)")
    p.add_argument("--portal", default=None, help="portal URL (default: the provisioning file's portal_url)")
    p.add_argument("--once", action="store_true", help="one start/poll round, then exit (1 = still waiting)")
    p.add_argument("--switch", action="store_true",
                   help="once paired, stop the offline unit and (re)start kidsafe-agent.service (systemctl)")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    layout = Layout(args.root)
    portal = args.portal or read_json(layout.provisioning_file).get("portal_url")
    if not portal:
        log.info("no portal URL provisioned: nothing to pair / 未配置家长端地址")
        return 0
    on_paired = switch_to_connected if args.switch else (lambda: None)
    return pair(layout, str(portal).rstrip("/"), once=args.once, on_paired=on_paired)


if __name__ == "__main__":
    sys.exit(main())
