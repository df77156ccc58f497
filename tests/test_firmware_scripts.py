"""The device image's scripts: shellcheck-clean shell, stdlib-only boot helpers (they run with Debian's
python3 before the venv matters), and the sd_notify launcher's readiness/watchdog pieces."""

from __future__ import annotations

import ast
import http.server
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

from real_parts import require

FW = Path(__file__).resolve().parents[1] / "firmware_images"
SCRIPTS = FW / "rootfs" / "usr" / "lib" / "kidsafe"
sys.path.insert(0, str(SCRIPTS))
import launch  # noqa: E402


def test_shell_scripts_pass_shellcheck() -> None:
    tool = shutil.which("shellcheck")
    require(tool, "shellcheck (Debian package shellcheck)")
    scripts = sorted(p for p in FW.rglob("*.sh") if "build" not in p.relative_to(FW).parts[:1])
    assert scripts, "no shell scripts found"
    proc = subprocess.run([tool, "--severity=style", *map(str, scripts)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout


def test_boot_helpers_use_only_the_standard_library() -> None:
    local = {p.stem for p in SCRIPTS.glob("*.py")}
    for script in ("firstboot.py", "factory_reset.py", "seal_guard.py", "layout.py", "pair.py", "grow_data.py"):
        tree = ast.parse((SCRIPTS / script).read_text())
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.module else []
            for name in names:
                top = name.split(".")[0]
                assert top in sys.stdlib_module_names or top in local, f"{script} imports {name}"


def test_optional_files_are_passed_only_when_present(tmp_path: Path) -> None:
    present = tmp_path / "root.json"
    present.write_text("{}")
    args = ["--optional-file", "--root", str(present), "--optional-file", "--portal-key", str(tmp_path / "no"),
            "device", "agent", "--serve"]
    assert launch.with_optional_files(args) == ["device", "agent", "--serve", "--root", str(present)]
    assert launch.port_of(["device", "run", "--port", "8123"]) == 8123
    assert launch.port_of(["device", "run", "--port=8124"]) == 8124


class _RateLimited(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        self.send_response(429)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_watchdog_pings_only_while_the_api_answers(tmp_path: Path, monkeypatch) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _RateLimited)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    try:
        assert launch.alive(f"http://127.0.0.1:{port}/api/status", timeout=2)  # 429 is an answer
    finally:
        server.shutdown()
        server.server_close()
    assert not launch.alive(f"http://127.0.0.1:{port}/api/status", timeout=2)  # nothing listens now
    sock_path = tmp_path / "notify.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind(str(sock_path))
        monkeypatch.setenv("NOTIFY_SOCKET", str(sock_path))
        assert launch.notify("READY=1")
        assert sock.recv(100) == b"READY=1"
    monkeypatch.delenv("NOTIFY_SOCKET")
    assert not launch.notify("WATCHDOG=1")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_real_device_service_reports_ready_then_watchdog(tmp_path: Path) -> None:
    """launch.py around the real `kidsafe device run`: READY=1 once its API answers, then WATCHDOG=1."""
    sock_path = tmp_path / "notify.sock"
    port = free_port()
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "NOTIFY_SOCKET": str(sock_path),
           "WATCHDOG_USEC": "900000", "KIDSAFE_CACHE_DIR": str(tmp_path / "cache")}
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind(str(sock_path))
        sock.settimeout(120)
        log = (tmp_path / "device.log").open("w")
        proc = subprocess.Popen([sys.executable, str(SCRIPTS / "launch.py"), "device", "run", "--port", str(port),
                                 "--home", str(tmp_path / "home")], env=env, stdout=subprocess.DEVNULL,
                                stderr=log, text=True)
        try:
            starting = []
            while (first := sock.recv(200).decode()).startswith("EXTEND_TIMEOUT_USEC="):
                starting.append(first)
            second = sock.recv(200).decode()
        except TimeoutError as exc:
            raise AssertionError(f"no sd_notify message for 120 s (exit code {proc.poll()}); the device said:\n"
                                 + (tmp_path / "device.log").read_text()[-3000:]) from exc
        finally:
            proc.terminate()
            proc.wait(timeout=30)
            log.close()
    assert first.startswith("READY=1") and f"127.0.0.1:{port}" in first
    assert second == "WATCHDOG=1"
    assert starting and all(m.startswith("EXTEND_TIMEOUT_USEC=900000\n") for m in starting)  # 3 x 0.3 s


def test_a_slow_start_is_extended_only_up_to_the_limit() -> None:
    url = "http://127.0.0.1:8090/api/status"
    assert launch.message(False, False, 10, 1800, 20, url).startswith("EXTEND_TIMEOUT_USEC=60000000\n")
    assert launch.message(False, False, 1800, 1800, 20, url) is None  # never answered: TimeoutStartSec= acts
    assert launch.message(True, False, 1900, 1800, 20, url).startswith("READY=1")
    assert launch.message(True, True, 5000, 1800, 20, url) == "WATCHDOG=1"
    assert launch.message(False, True, 30, 1800, 20, url) is None  # hung after ready: WatchdogSec= acts
