"""Device API test helpers: stub search and voice pipelines, a WAV builder and an in-process service
with fake clocks (FastAPI TestClient)."""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from usage_fakes import FakeTime, epoch

from device.api import create_app
from device.config import DeviceSettings
from device.service import DeviceService


class StubSearch:
    """Stands in for device.search.pipeline.SearchPipeline (unit test only)."""

    def __init__(self) -> None:
        self.queries: list[tuple[str, object]] = []

    def search(self, query: str, policy: object = None) -> dict:
        self.queries.append((query, policy))
        return {"query": query, "action": "allow", "message": "", "hidden": 1, "reasons": [],
                "results": [{"title": "熊猫", "snippet": "大熊猫吃竹子", "url": "https://kids.example/panda"}]}


class StubVoice:
    def __init__(self) -> None:
        self.seen: list[bytes] = []
        self.paths: list[Path] = []

    def listen_file(self, path) -> dict:
        data = path.read_bytes()
        self.seen.append(data)
        self.paths.append(path)
        return {"query": "熊猫", "transcript": "熊猫", "timings": {}, "action": "allow", "message": "",
                "results": [], "hidden": 0, "reasons": []}


def wav_bytes(n: int = 1600) -> bytes:
    data = b"\x00\x00" * n
    return (b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVEfmt " + struct.pack("<IHHIIHH", 16, 1, 1, 16000,
            32000, 2, 16) + b"data" + struct.pack("<I", len(data)) + data)


def device_env(tmp_path: Path) -> Iterator[tuple[Any, ...]]:
    """(fake time, service, client, stub search, stub voice); the service is stopped afterwards."""
    ft = FakeTime(epoch("2026-11-24 10:00"))
    settings = DeviceSettings(home=tmp_path, timezone="Asia/Shanghai", classifier_path=tmp_path / "none.tflite",
                              pairing_path=tmp_path / "pairing" / "pairing.json")
    stub, voice = StubSearch(), StubVoice()
    svc = DeviceService(settings, ft.clocks(), search_factory=lambda s: stub, voice_factory=lambda s: voice)
    client = TestClient(create_app(svc, manage_lifecycle=False, allowed_hosts=("testserver",)))
    yield ft, svc, client, stub, voice
    svc.stop()
