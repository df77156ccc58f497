"""Run a real mosquitto on 127.0.0.1 in a temporary folder (tests and benchmarks).

    with LocalMosquitto(tmp, users={"portal": "pw"}, devices={"dev-1": "pilot"}) as broker:
        broker.port, broker.kill(), broker.start()   (restart on the same port, same persistence)

Two listeners: `port` for devices (client id forced to the username, so a device's session is its
own) and `backend_port` for the portal, operators, telemetry workers and bridges (several clients
per user). Authentication and ACLs are on when `users` is given, else anonymous access. `bridge_to` makes this
broker an edge that bridges the kidsafe topics to a core broker. When run as root the config keeps
mosquitto as root (`user root`), otherwise it would drop to the `mosquitto` user and lose access
to the temporary folder.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mqtt_bridge import topics
from mqtt_bridge.broker.acl import set_password, write_acl

BRIDGED_OUT = topics.DEVICE_TO_PORTAL
BRIDGED_IN = topics.PORTAL_TO_DEVICE


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LocalMosquitto:
    def __init__(self, folder: Path, users: Mapping[str, str] | None = None,
                 devices: Mapping[str, str] | None = None, bridge_to: dict[str, Any] | None = None,
                 roles: Mapping[str, tuple[str, ...]] | None = None, port: int | None = None,
                 tls: tuple[Path, Path, Path] | None = None, persistence: bool = True) -> None:
        exe = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
        if not os.path.exists(exe):
            raise RuntimeError("mosquitto is not installed: apt-get install mosquitto mosquitto-clients")
        self.exe = exe
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.users = dict(users or {})
        self.devices = dict(devices or {})
        self.bridge_to = bridge_to
        self.roles = dict(roles or {})
        self.tls = tls  # (ca, server cert, server key): the device listener speaks TLS only
        self.persistence = persistence  # False: a restart forgets every session, subscription and message
        self.port = port or free_port()           # devices: client id forced to the username
        self.backend_port = free_port()           # portal, operator, consumers, bridges
        self.proc: subprocess.Popen[bytes] | None = None
        self.conf = self.folder / "mosquitto.conf"
        self._write_config()

    def _write_config(self) -> None:
        lines = ["per_listener_settings false", f"persistence {str(self.persistence).lower()}",
                 f"persistence_location {self.folder}/", "autosave_interval 1",
                 "max_queued_messages 100000", "max_inflight_messages 100", "log_type error",
                 f"log_dest file {self.folder}/mosquitto.log"]
        if os.geteuid() == 0:
            lines.append("user root")
        if self.users:
            passwd, acl = self.folder / "passwd", self.folder / "acl"
            for name, password in self.users.items():
                set_password(passwd, name, password)
            write_acl(acl, self.devices, **{k: tuple(v) for k, v in self.roles.items()})
            lines += ["allow_anonymous false", f"password_file {passwd}", f"acl_file {acl}"]
        else:
            lines.append("allow_anonymous true")
        lines += [f"listener {self.port} 127.0.0.1", *(["use_username_as_clientid true"] if self.users else [])]
        if self.tls:
            ca, cert, key = self.tls
            lines += [f"cafile {ca}", f"certfile {cert}", f"keyfile {key}", "tls_version tlsv1.2"]
        lines += [f"listener {self.backend_port} 127.0.0.1"]
        if self.bridge_to:  # bridges go after the listeners (mosquitto reads them in order)
            b = self.bridge_to
            lines += ["connection core", f"address 127.0.0.1:{b['port']}", "cleansession false",
                      "try_private true", "bridge_protocol_version mqttv311", f"remote_clientid edge-{self.port}",
                      "restart_timeout 1 5"]
            if b.get("username"):
                lines += [f"remote_username {b['username']}", f"remote_password {b['password']}"]
            lines += [f"topic kidsafe/v1/devices/+/{leaf} out 1" for leaf in BRIDGED_OUT]
            lines += [f"topic kidsafe/v1/devices/+/{leaf} in 1" for leaf in BRIDGED_IN]
            lines += ["topic kidsafe/v1/fleet/# in 1"]
        self.conf.write_text("\n".join(lines) + "\n")

    def start(self, timeout: float = 10.0) -> LocalMosquitto:
        self.proc = subprocess.Popen([self.exe, "-c", str(self.conf)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                err = (self.proc.stderr.read() if self.proc.stderr else b"").decode(errors="replace")
                raise RuntimeError(f"mosquitto exited: {err} {self.log()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"mosquitto did not listen on {self.port}: {self.log()}")

    def log(self) -> str:
        path = self.folder / "mosquitto.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def kill(self) -> None:
        """SIGKILL: no chance to save anything (what a crash or power cut does)."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(5)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.kill()

    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}"

    def port_for(self, user: str) -> int:
        """Devices use the device listener; everyone else the back-end listener."""
        return self.port if user in self.devices else self.backend_port

    def __enter__(self) -> LocalMosquitto:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
