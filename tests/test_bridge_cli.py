"""The real `kidsafe device agent` process and `kidsafe fleet` commands against a real mosquitto:
a bundle applied live, and kill -9 in the middle of the swap."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from bridge_fixtures import password, start_broker, stop_processes, wait_for

from filters.lexicon import PACKS_DIR

REPO = Path(__file__).resolve().parent.parent


def kidsafe(*args: str, env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "kidsafe", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=120, env={**os.environ, **(env or {})})
    assert not check or proc.returncode == 0, proc.stderr
    return proc


def status(broker, pw: Path) -> dict:
    out = kidsafe("fleet", "status", "--json", "--version", "1", "--wait", "1", "--broker",
                  f"mqtt://127.0.0.1:{broker.backend_port}", "--username", "operator", "--password-file", str(pw))
    return json.loads(out.stdout)


def test_agent_process_applies_a_bundle_and_survives_kill_9_mid_swap(tmp_path: Path) -> None:
    broker = start_broker(tmp_path / "mosq", devices={"kid-1": "pilot"})
    keys, home = tmp_path / "keys", tmp_path / "home"
    (tmp_path / "op.pw").write_text(password("operator"))
    (tmp_path / "dev.pw").write_text(password("kid-1"))
    kidsafe("fleet", "keygen", str(keys))
    packs = tmp_path / "packs"
    shutil.copytree(PACKS_DIR, packs, ignore=shutil.ignore_patterns("*.md"))
    drugs = json.loads((packs / "drugs.json").read_text(encoding="utf-8"))
    drugs["version"] = "fleet-test-2"
    drugs["entries"].append({"term": "蓝色小药丸批发", "category": "drugs", "severity": 3})
    (packs / "drugs.json").write_text(json.dumps(drugs, ensure_ascii=False), encoding="utf-8")
    for version in ("1", "2"):
        kidsafe("fleet", "build", "--keys", str(keys), "--version", version, "--cohort", "pilot",
                "--packs", str(packs), "-o", str(tmp_path / f"v{version}.json"))
    agent_cmd = [sys.executable, "-m", "kidsafe", "device", "agent", "--broker", f"mqtt://127.0.0.1:{broker.port}",
                 "--device-id", "kid-1", "--cohort", "pilot", "--password-file", str(tmp_path / "dev.pw"),
                 "--root", str(keys / "root-1.json"), "--home", str(home), "--tz", "Asia/Shanghai"]
    publish = ["fleet", "publish", "--broker", f"mqtt://127.0.0.1:{broker.backend_port}", "--username", "operator",
               "--password-file", str(tmp_path / "op.pw")]
    crash = subprocess.Popen(agent_cmd, cwd=REPO, env={**os.environ, "KIDSAFE_FLEET_CRASH_AT": "after_swap"},
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    agent = None
    try:
        wait_for(lambda: status(broker, tmp_path / "op.pw")["devices"] == 1, timeout=60, what="agent online")
        kidsafe(*publish[:2], str(tmp_path / "v1.json"), *publish[2:])
        try:
            crash.wait(90)
        except subprocess.TimeoutExpired:
            crash.kill()
        assert crash.returncode == -9, crash.stdout.read().decode()[-3000:]  # killed between swap and commit
        assert (home / "fleet" / "journal.json").exists()
        agent = subprocess.Popen(agent_cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        st = wait_for(lambda: (s := status(broker, tmp_path / "op.pw")["by_device"].get("kid-1")) and s["online"]
                      and s["status"] == "rolled_back" and s, timeout=60, what="rolled back state")
        assert st["bundle_version"] == 0 and "interrupted" in st["error"]
        assert not (home / "fleet" / "current").exists()  # back on the shipped set
        kidsafe(*publish[:2], str(tmp_path / "v2.json"), *publish[2:])
        st = wait_for(lambda: (s := status(broker, tmp_path / "op.pw")["by_device"].get("kid-1"))
                      and s["bundle_version"] == 2 and s, timeout=90, what="v2 applied")
        assert st["status"] == "applied"
        assert (home / "fleet" / "current").resolve().name == "2"
    finally:
        stop_processes(crash, agent)
        broker.stop()
