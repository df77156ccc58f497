"""`kidsafe portal run --workers 2` as a real process: several web server processes share the database,
the CSRF secret and the signing key, so a form from one process is accepted by the other and a parent
signed in on one is signed in on all."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx
from portal_support import TOKEN, free_port, wait_for, wait_port


def test_two_processes_serve_one_portal(tmp_path) -> None:  # noqa: ANN001
    port = free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/portal.db", "KIDSAFE_PORTAL_DATA_DIR": str(tmp_path),
           "KIDSAFE_PORTAL_MQTT_ENABLED": "false", "KIDSAFE_PORTAL_COOKIE_SECURE": "false",
           "KIDSAFE_PORTAL_PASSWORD_HASHING": "cheapest"}
    proc = subprocess.Popen([sys.executable, "-m", "kidsafe.cli", "portal", "run", "--port", str(port),
                             "--workers", "2"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_port(port, timeout=60)
        wait_for(lambda: len(_children(proc.pid)) >= 2, 30, "two uvicorn worker processes")
        no_keepalive = httpx.Limits(max_keepalive_connections=0)  # a new connection, any process, per request
        for i in range(6):
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30, limits=no_keepalive) as browser:
                page = browser.get("/register")
                assert page.status_code == 200
                token = TOKEN.search(page.text).group(1)
                r = browser.post("/register", data={"username": f"parent{i}", "password": "correct horse battery",
                                                    "password2": "correct horse battery", "csrf_token": token})
                assert r.status_code == 200, r.text
                assert browser.get("/").status_code == 200
        assert (tmp_path / "secret_key").exists() and (tmp_path / "portal_ed25519.key").exists()
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
    assert b"2 process(es)" in out


def _children(pid: int) -> list[int]:
    """Processes whose parent is `pid` (from /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found
