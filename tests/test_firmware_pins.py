"""The device image's pinned aarch64 wheels: every runtime dependency pinned with a hash, the platform
constraints of the issue (tflite-runtime manylinux_2_34, vosk manylinux2014, numpy<2), nothing of the
portal or the test tools, and the pins really download for aarch64 from PyPI with their hashes."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
REQ = REPO / "firmware_images" / "requirements"
LOCK = REQ / "device-aarch64.txt"


def norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def lock_rows() -> dict[str, tuple[str, str, str]]:
    """{name: (version, sha256, file name)}"""
    text = LOCK.read_text().replace("\\\n", " ")
    rows = {}
    for line in text.splitlines():
        m = re.match(r"^(\S+)==(\S+)\s+--hash=sha256:([0-9a-f]{64})\s+#\s+(\S+)$", line.strip())
        if m:
            rows[norm(m.group(1))] = (m.group(2), m.group(3), m.group(4))
        else:
            assert not line.strip() or line.startswith("#"), f"unpinned or malformed line: {line!r}"
    return rows


def test_every_runtime_dependency_is_pinned_with_a_hash() -> None:
    rows = lock_rows()
    deps = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    for dep in deps:
        name = norm(re.match(r"^[A-Za-z0-9_.-]+", dep).group(0))
        assert name in rows, f"{name} (pyproject.toml) is not in {LOCK.name}: run pins.py lock"
    assert "srt" in rows  # vosk's source-only dependency, built once
    for line in (REQ / "device.in").read_text().splitlines():
        m = re.match(r"^([A-Za-z0-9_.-]+)==(\S+)", line)
        if m:
            assert rows[norm(m.group(1))][0] == m.group(2), line


def test_platform_constraints_of_the_device() -> None:
    rows = lock_rows()
    assert rows["numpy"][0].split(".")[0] == "1"  # tflite-runtime 2.14 needs numpy<2
    assert rows["tflite-runtime"][2].endswith("-cp311-cp311-manylinux_2_34_aarch64.whl")
    assert rows["vosk"][2].endswith("-py3-none-manylinux2014_aarch64.whl")
    for _, _, filename in rows.values():
        tags = filename[:-4].split("-")[-1]
        assert tags == "any" or "aarch64" in tags, f"{filename} does not run on arm64"
        assert "-cp3" not in filename or "-cp311-" in filename, filename
    for never in ("sqlalchemy", "alembic", "jinja2", "psycopg", "argon2-cffi", "pytest", "playwright", "tensorflow"):
        assert never not in rows, f"{never} is portal/test/training only, not for the device"


def test_pins_resolve_for_aarch64_with_their_hashes() -> None:
    """pip download --platform manylinux_2_34_aarch64 --platform manylinux2014_aarch64 --only-binary=:all:
    --python-version 3.11 --require-hashes (PyPI), plus the reproducible srt wheel build."""
    proc = subprocess.run([sys.executable, str(REPO / "firmware_images" / "pins.py"), "verify"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"{len(lock_rows())} pinned aarch64 wheels resolve" in proc.stdout
