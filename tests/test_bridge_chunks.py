"""Large bundle files in hashed, resumable chunks: forged and truncated chunks are refused, the
signature covers every chunk hash, and a download resumes from the chunks already on the device."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bridge_fixtures import cfg, password, start_broker, stop_processes, wait_for
from test_bridge_fleet import PACKS, device, message

from mqtt_bridge import fleet, topics
from mqtt_bridge.client import Connection
from mqtt_bridge.payloads import BundleMessage, ChunkMessage, dump, parse

BIG = "sensitive-word.sexual.json"  # the largest shipped pack (> 1 MB)
SMALL_SET = [p for p in PACKS if "." not in p.stem] + [p for p in PACKS if p.name == BIG]
CHUNK = 64 * 1024  # the big pack in about 20 chunks: more than one subscription window
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("chunk-keys")
    fleet.init_keys(folder)
    return folder


class Recorder:
    """Stands in for an operator's connection: what `fleet.publish` sends, by topic."""

    def __init__(self) -> None:
        self.sent: dict[str, bytes] = {}

    def publish(self, topic: str, payload: bytes, qos: int = 1, retain: bool = False, **_: object) -> None:
        assert retain and qos == 1
        self.sent[topic] = payload


def published(keys: Path, version: int) -> tuple[bytes, dict[str, bytes]]:
    rec = Recorder()
    fleet.publish(rec, message(keys, version, packs=SMALL_SET, chunk_size=CHUNK))
    bundle = rec.sent.pop(topics.bundles("pilot"))
    return bundle, rec.sent


def chunked_specs(bundle: bytes) -> dict[str, object]:
    return {n: f for n, f in parse(BundleMessage, bundle).bundle.signed.files.items() if f.chunk_size}


def test_chunked_bundle_refuses_forged_and_truncated_chunks_then_applies(tmp_path: Path, keys: Path) -> None:
    bundle, chunk_msgs = published(keys, 2)
    specs = chunked_specs(bundle)
    big = specs[BIG]
    assert big.chunk_size == CHUNK and sum(big.sha256 in t for t in chunk_msgs) == len(big.chunks) > 8
    assert sum(len(f.chunks) for f in specs.values()) == len(chunk_msgs)
    assert not set(specs) & set(parse(BundleMessage, bundle).files)  # chunked files travel only in chunks
    up = device(tmp_path, keys)
    assert up.handle(bundle) == "downloading"
    state = up.state_fields()
    assert state["bundle_status"] == "downloading" and state["bundle_progress"] == 0
    window = up.download.WINDOW
    assert up.chunk_topics() == {topics.chunk("pilot", f.sha256, i) for f in specs.values()
                                 for i in range(min(window, len(f.chunks)))}

    first = parse(ChunkMessage, chunk_msgs[topics.chunk("pilot", big.sha256, 0)])
    real = base64.b64decode(first.data)
    fake = bytes(len(real))  # right length, wrong content, its own (consistent) hash
    forged = first.model_copy(update={"data": base64.b64encode(fake).decode(),
                                      "sha256": hashlib.sha256(fake).hexdigest()})
    short = real[: len(real) // 2]
    truncated = first.model_copy(update={"data": base64.b64encode(short).decode(),
                                         "sha256": hashlib.sha256(short).hexdigest()})
    stranger = first.model_copy(update={"file_sha256": "0" * 64})
    for bad in (forged, truncated, stranger):
        assert up.handle_chunk(dump(bad)) == "chunk_refused"
    assert up.handle_chunk(b"{not json") == "chunk_refused"
    assert up.download.store.missing(big) == list(range(len(big.chunks)))  # nothing bad was kept

    outcomes = [up.handle_chunk(raw) for raw in chunk_msgs.values()]
    assert outcomes[:-1] == ["downloading"] * (len(outcomes) - 1) and outcomes[-1] == "applied"
    assert up.installed["version"] == 2 and up.state_fields()["bundle_status"] == "applied"
    staged = up.active_set() / "packs" / BIG
    assert staged.read_bytes() == next(p for p in PACKS if p.name == BIG).read_bytes()
    assert not any((up.folder / "chunks").iterdir())  # chunks are forgotten once applied
    assert up.chunk_topics() == set()


def test_download_resumes_from_the_chunks_already_here(tmp_path: Path, keys: Path) -> None:
    bundle, chunk_msgs = published(keys, 3)
    specs = chunked_specs(bundle)
    big = specs[BIG]
    first = device(tmp_path, keys)
    assert first.handle(bundle) == "downloading"
    for i in range(4):
        assert first.handle_chunk(chunk_msgs[topics.chunk("pilot", big.sha256, i)]) == "downloading"
    torn = first.download.store.folder / big.sha256 / "1"
    torn.write_bytes(torn.read_bytes()[:100])  # a chunk cut short by a power cut
    del first  # the process dies here; nothing is shut down cleanly

    again = device(tmp_path, keys)  # the next start: the retained bundle arrives again
    assert again.handle(bundle) == "downloading"
    store = again.download.store
    assert store.missing(big) == [1, *range(4, len(big.chunks))]  # only what is not here intact
    total = sum(len(f.chunks) for f in specs.values())
    assert again.state_fields()["bundle_progress"] == pytest.approx(3 / total, abs=1e-3)
    window = {str(i) for i in store.missing(big)[:again.download.WINDOW]}
    assert {t.rsplit("/", 1)[1] for t in again.chunk_topics() if big.sha256 in t} == window
    wanted = [topics.chunk("pilot", f.sha256, i) for f in specs.values() for i in store.missing(f)]
    assert len(wanted) == total - 3
    outcomes = [again.handle_chunk(chunk_msgs[t]) for t in wanted]
    assert outcomes[-1] == "applied" and again.installed["version"] == 3


def test_every_chunk_hash_is_signed(tmp_path: Path, keys: Path) -> None:
    bundle, _ = published(keys, 4)
    doc = json.loads(bundle)
    chunks = doc["bundle"]["signed"]["files"][BIG]["chunks"]
    chunks[0] = hashlib.sha256(b"something else").hexdigest()  # swap in the hash of a chunk of our own
    up = device(tmp_path, keys)
    assert up.handle(json.dumps(doc).encode()) == "forged"
    inline = message(keys, 5, packs=SMALL_SET[:2])  # inline files sign the same bytes as before chunks existed
    assert all("chunks" not in spec for spec in inline.bundle.signed.model_dump(mode="json")["files"].values())


def retained_chunks(broker) -> int:  # noqa: ANN001
    """How many retained chunk messages a fresh operator subscriber gets for the pilot cohort."""
    got: list[bytes] = []
    conn = Connection(cfg(broker, "operator"), "chunk-count", protocol="5")
    conn.client.on_message = lambda c, u, m: got.append(m.payload) if m.payload else None
    conn.subscribe("kidsafe/v1/fleet/pilot/chunks/#")
    conn.start()
    time.sleep(1.0)  # retained messages arrive at once on subscribe
    conn.stop()
    return len(got)


def test_agent_process_killed_mid_download_resumes(tmp_path: Path, keys: Path) -> None:
    broker = start_broker(tmp_path / "mosq", devices={"kid-3": "pilot"})
    (tmp_path / "dev.pw").write_text(password("kid-3"))
    (tmp_path / "op.pw").write_text(password("operator"))
    packs = tmp_path / "packs"
    packs.mkdir()
    for p in SMALL_SET:
        (packs / p.name).write_bytes(p.read_bytes())
    bundle = tmp_path / "v1.json"
    run = [sys.executable, "-m", "kidsafe"]
    subprocess.run([*run, "fleet", "build", "--keys", str(keys), "--version", "1", "--cohort", "pilot", "--packs",
                    str(packs), "--chunk-size", str(64 * 1024), "-o", str(bundle)], cwd=REPO, check=True, timeout=120)
    agent_cmd = [*run, "device", "agent", "--broker", f"mqtt://127.0.0.1:{broker.port}", "--device-id", "kid-3",
                 "--cohort", "pilot", "--password-file", str(tmp_path / "dev.pw"), "--root",
                 str(keys / "root-1.json"), "--home", str(tmp_path / "home"), "--tz", "Asia/Shanghai"]
    crash = subprocess.Popen(agent_cmd, cwd=REPO, env={**os.environ, "KIDSAFE_FLEET_CRASH_AT": "after_chunk:5"},
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    agent = None
    try:
        out = subprocess.run([*run, "fleet", "publish", str(bundle), "--broker",
                              f"mqtt://127.0.0.1:{broker.backend_port}", "--username", "operator", "--password-file",
                              str(tmp_path / "op.pw")], cwd=REPO, check=True, timeout=120, capture_output=True,
                             text=True).stdout
        assert re.search(r"\d+ file\(s\) inline, [1-9]\d* in [1-9]\d* chunk\(s\)", out), out
        try:
            crash.wait(120)
        except subprocess.TimeoutExpired:
            crash.kill()
        assert crash.returncode == -9, crash.stdout.read().decode()[-3000:]  # killed after its 5th chunk
        agent = subprocess.Popen(agent_cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        installed = tmp_path / "home" / "fleet" / "installed.json"
        wait_for(lambda: installed.exists() and json.loads(installed.read_text()).get("version") == 1, timeout=120,
                 what="the bundle applied after the restart")
        assert (tmp_path / "home" / "fleet" / "current").resolve().name == "1"
        op = ["--broker", f"mqtt://127.0.0.1:{broker.backend_port}", "--username", "operator", "--password-file",
              str(tmp_path / "op.pw")]
        assert retained_chunks(broker) > 0
        halted = subprocess.run([*run, "fleet", "halt", "--cohort", "pilot", *op], cwd=REPO, check=True, timeout=120,
                                capture_output=True, text=True).stdout
        assert re.search(r"\([1-9]\d* retained chunk\(s\) cleared\)", halted), halted
        assert retained_chunks(broker) == 0  # a halt leaves nothing behind on the broker
    finally:
        stop_processes(crash, agent)
        broker.stop()
    log = agent.stdout.read().decode(errors="replace")
    assert "resuming a download: 5 of" in log, log[-3000:]
