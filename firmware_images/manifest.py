"""The image manifest: which Debian packages and which kidsafe files (sha256) a built root holds.

Two builds from the same inputs must give the same manifest (`make image-check`). Python bytecode
caches are left out (pip writes them with checked hashes, but they are derived from the sources listed).
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

# Paths (relative to the root) whose files are ours or our pinned wheels.
KIDSAFE_PATHS = ("opt/kidsafe", "usr/lib/kidsafe", "etc/kidsafe", "etc/systemd/system",
                 "usr/lib/sysusers.d/kidsafe.conf", "usr/lib/tmpfiles.d/kidsafe.conf", "etc/fstab",
                 "etc/systemd/system.conf.d", "etc/systemd/journald.conf.d", "etc/logrotate.d/kidsafe")


def sha256(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def packages(root: Path) -> dict[str, str]:
    out = subprocess.run(["dpkg-query", f"--admindir={root}/var/lib/dpkg", "-W",
                          "-f", "${Package}:${Architecture}\t${Version}\n"], capture_output=True, text=True, check=True)
    return dict(sorted(line.split("\t", 1) for line in out.stdout.splitlines() if line))


def files(root: Path) -> dict[str, str]:
    found: dict[str, str] = {}
    for rel in KIDSAFE_PATHS:
        top = root / rel
        candidates = [top] if top.is_file() else sorted(top.rglob("*")) if top.is_dir() else []
        for path in candidates:
            if "__pycache__" in path.parts or path.is_dir():
                continue
            key = str(path.relative_to(root))
            found[key] = ("link:" + str(path.readlink())) if path.is_symlink() else sha256(path)
    return dict(sorted(found.items()))


def collect(root: Path) -> dict:
    return {"packages": packages(root), "files": files(root)}


def inputs(base_tar: Path, lock: Path, own_wheel: Path) -> dict[str, str]:
    return {"debian base": f"{base_tar.name} sha256:{sha256(base_tar)}", "wheel lock": f"sha256:{sha256(lock)}",
            "kidsafe wheel": f"{own_wheel.name} sha256:{sha256(own_wheel)}"}


def compare(first: dict, second: dict) -> list[str]:
    """What differs between two manifests (empty: the same)."""
    diff = []
    for section in ("packages", "files"):
        a, b = first.get(section, {}), second.get(section, {})
        for key in sorted(set(a) | set(b)):
            if a.get(key) != b.get(key):
                diff.append(f"{section}: {key}: {a.get(key)} != {b.get(key)}")
    return diff


def write(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n")


def write_packages(path: Path, data: dict) -> None:
    path.write_text("".join(f"{name}\t{version}\n" for name, version in data["packages"].items()))
