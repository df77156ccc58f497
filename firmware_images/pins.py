"""Pinned aarch64 wheel set of the device image: lock it, check it resolves, build the one sdist-only pin.

    python firmware_images/pins.py lock     resolve requirements/device.in for Linux aarch64 / CPython 3.11
                                            and write requirements/device-aarch64.txt (versions + sha256)
    python firmware_images/pins.py verify   pip download --require-hashes of every pin for aarch64 (PyPI)
    python firmware_images/pins.py srt      build the srt wheel (source-only on PyPI) reproducibly

`srt` (a vosk dependency) has no wheel on PyPI. Its sdist is pinned by hash in
requirements/srt-build.txt together with the exact setuptools/wheel that build it; with
SOURCE_DATE_EPOCH fixed the wheel is byte-identical every time, so its hash is pinned like the others.
pip runs `--isolated` against pypi.org: a developer's pip.conf (extra indexes, find-links, constraints)
never leaks into the device's pins.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent
REQ_DIR = HERE / "requirements"
DEVICE_IN = REQ_DIR / "device.in"
DEVICE_LOCK = REQ_DIR / "device-aarch64.txt"
SRT_BUILD = REQ_DIR / "srt-build.txt"
BUILD_DIR = Path(os.environ.get("KIDSAFE_FW_BUILD", HERE / "build"))
LOCAL_WHEELS = BUILD_DIR / "wheels"
INDEX = "https://pypi.org/simple"
PYTHON_VERSION = "3.11"
# Debian 12 / Raspberry Pi OS bookworm has glibc 2.36: every manylinux tag up to 2_34 runs there.
PLATFORMS = ("manylinux_2_34_aarch64", "manylinux2014_aarch64", "manylinux_2_28_aarch64", "manylinux_2_17_aarch64")
SRT_WHEEL = "srt-3.5.3-py3-none-any.whl"
SRT_SDIST = "srt-3.5.3.tar.gz"
SOURCE_DATE_EPOCH = "1764374400"  # 2025-11-29 00:00 UTC: fixed zip times in the srt wheel
_WHEEL_RE = re.compile(r"^(?P<name>[^-]+)-(?P<version>[^-]+)-")


def pip_cmd(python: str = sys.executable) -> list[str]:
    cmd = [python, "-m", "pip", "--isolated", "--disable-pip-version-check", "--no-input"]
    cert = Path("/etc/ssl/certs/ca-certificates.crt")
    if cert.exists():
        cmd += ["--cert", str(cert)]
    return cmd


def platform_args() -> list[str]:
    out = ["--only-binary=:all:", "--python-version", PYTHON_VERSION, "--implementation", "cp", "--abi", "cp311",
           "--abi", "abi3", "--abi", "none"]
    for plat in PLATFORMS:
        out += ["--platform", plat]
    return out


def sha256_of(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def pinned_hashes(lock: Path) -> dict[str, str]:
    """{distribution name (normalised): sha256} from a lock file."""
    out: dict[str, str] = {}
    for line in lock.read_text().replace("\\\n", " ").splitlines():
        line = line.split("#", 1)[0].strip()
        m = re.match(r"^([A-Za-z0-9_.-]+)==\S+\s+--hash=sha256:([0-9a-f]{64})", line)
        if m:
            out[normalise(m.group(1))] = m.group(2)
    return out


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def build_srt(dest: Path = LOCAL_WHEELS) -> Path:
    """The srt wheel, built from the pinned sdist with the pinned setuptools/wheel (cached in `dest`)."""
    want = pinned_hashes(DEVICE_LOCK).get("srt") if DEVICE_LOCK.exists() else None
    target = dest / SRT_WHEEL
    if target.exists() and want and sha256_of(target) == want:
        return target
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kidsafe-srt-") as tmp:
        env_dir = Path(tmp) / "venv"
        venv.EnvBuilder(with_pip=True).create(env_dir)
        py = str(env_dir / "bin" / "python")
        tools = [line for line in SRT_BUILD.read_text().splitlines() if line and not line.startswith(("#", "srt"))]
        tools_req = Path(tmp) / "tools.txt"
        tools_req.write_text("\n".join(tools) + "\n")
        subprocess.run([*pip_cmd(py), "install", "-q", "--index-url", INDEX, "--require-hashes", "--only-binary=:all:",
                        "-r", str(tools_req)], check=True)
        sdist_dir = Path(tmp) / "sdist"
        srt_req = Path(tmp) / "srt.txt"
        srt_lines = [line for line in SRT_BUILD.read_text().splitlines() if line.startswith("srt")]
        srt_req.write_text("\n".join(srt_lines) + "\n")
        subprocess.run([*pip_cmd(py), "download", "-q", "--index-url", INDEX, "--no-deps", "--no-binary=:all:",
                        "--require-hashes", "-r", str(srt_req), "-d", str(sdist_dir)], check=True)
        env = dict(os.environ, SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH)
        subprocess.run([*pip_cmd(py), "wheel", "-q", "--no-build-isolation", "--no-deps", "-w", str(dest),
                        str(sdist_dir / SRT_SDIST)], check=True, env=env)
    got = sha256_of(target)
    if want and got != want:
        target.unlink()
        raise SystemExit(f"srt wheel hash {got} != pinned {want}: the build is not reproducible here")
    return target


def lock() -> int:
    build_srt()
    with tempfile.TemporaryDirectory(prefix="kidsafe-lock-") as tmp:
        subprocess.run([*pip_cmd(), "download", "-q", "--index-url", INDEX, "--find-links", str(LOCAL_WHEELS),
                        *platform_args(), "-r", str(DEVICE_IN), "-d", tmp], check=True)
        rows = []
        for wheel in sorted(Path(tmp).glob("*.whl")):
            m = _WHEEL_RE.match(wheel.name)
            assert m, wheel.name
            rows.append((normalise(m.group("name")), m.group("version"), sha256_of(wheel), wheel.name))
    rows.sort()
    lines = ["# Locked by `python firmware_images/pins.py lock` from device.in: Linux aarch64, CPython 3.11.",
             "# Install with: pip install --require-hashes --no-deps --only-binary=:all: -r device-aarch64.txt",
             "# (srt is built by `pins.py srt`; every other file is on PyPI). Do not edit by hand."]
    for name, version, digest, filename in rows:
        lines.append(f"{name}=={version} \\\n    --hash=sha256:{digest}  # {filename}")
    DEVICE_LOCK.write_text("\n".join(lines) + "\n")
    print(f"wrote {DEVICE_LOCK.relative_to(HERE.parent)}: {len(rows)} pins")
    return 0


def verify(dest: Path | None = None) -> int:
    """Every pin downloads for aarch64 with its pinned hash (PyPI + the locally built srt wheel)."""
    build_srt()
    with tempfile.TemporaryDirectory(prefix="kidsafe-pins-") as tmp:
        out = dest or Path(tmp)
        proc = subprocess.run([*pip_cmd(), "download", "-q", "--index-url", INDEX, "--find-links", str(LOCAL_WHEELS),
                               *platform_args(), "--require-hashes", "--no-deps", "-r", str(DEVICE_LOCK),
                               "-d", str(out)], text=True, capture_output=True)
        if proc.returncode != 0:
            print(proc.stdout + proc.stderr, file=sys.stderr)
            print("pins do NOT resolve for aarch64 / 固定版本无法下载", file=sys.stderr)
            return 1
        count = len(list(out.glob("*.whl")))
    print(f"{count} pinned aarch64 wheels resolve with their hashes / 全部固定版本可下载且校验一致")
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("action", choices=("lock", "verify", "srt", "download"))
    p.add_argument("--dest", type=Path, default=None, help="download: where the wheels go")
    args = p.parse_args(argv)
    if args.action == "lock":
        return lock()
    if args.action == "srt":
        print(build_srt())
        return 0
    if args.action == "download":
        dest = args.dest or BUILD_DIR / "wheelhouse"
        dest.mkdir(parents=True, exist_ok=True)
        rc = verify(dest)
        if rc == 0:
            (dest / SRT_WHEEL).write_bytes((LOCAL_WHEELS / SRT_WHEEL).read_bytes())
        return rc
    return verify()


if __name__ == "__main__":
    sys.exit(main())
