"""Keeper of the time seal: a root-only copy the child-facing service cannot write or delete.

The device service (user `kidsafe`) writes its time seal (KIDSAFE_TIME_SEAL, device/usage/seal.py:
time high-water mark, today's usage, ids of the usage files) into /data/kidsafe/seal. Whoever can act
as that user could delete the seal together with both usage files and start the day again. So:

    seal_guard.py save      (timer every minute, and after the service stops) copies the service's seal
                            into /data/kidsafe/guard (root 0700); for the same day a counter never goes
                            down, so a lowered (forged) seal does not overwrite the guarded one
    seal_guard.py restore   (before the service starts, as root) puts the guarded seal back when the
                            service's one is missing or corrupt, and raises same-day counters that were
                            lowered; the device then sees usage files that do not match the seal and
                            restores today's usage from it (a `usage_tamper` event tells the parent)

Different days are left to the device's own time logic (trusted time may fold a day back).
Runs with Debian's python3 (stdlib only).
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import pwd
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from layout import SERVICE_USER, Layout  # noqa: E402

SEAL_NAME = "time-seal.json"
log = logging.getLogger("kidsafe-seal-guard")


def read_seal(path: Path) -> dict[str, Any] | None:
    """A seal as the device wrote it, or None when missing, unreadable or not a seal."""
    try:
        raw = path.read_bytes()[:100_000]
        state = json.loads(raw)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.warning("seal %s unreadable: %s", path, exc)
        return None
    if not isinstance(state, dict):
        return None
    usage = state.get("usage")
    state["usage"] = {str(k): float(v) for k, v in (usage.items() if isinstance(usage, dict) else ())
                      if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) and v >= 0}
    return state


def raised(state: dict[str, Any], floor: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """`state` with same-day counters raised to `floor`'s; the buckets that were lower."""
    if state.get("day") != floor.get("day"):
        return state, []
    out = dict(state, usage=dict(state["usage"]))
    lowered = []
    for bucket, seconds in floor["usage"].items():
        if out["usage"].get(bucket, 0.0) < seconds:
            out["usage"][bucket] = seconds
            lowered.append(bucket)
    return out, sorted(lowered)


def write_atomic(path: Path, state: dict[str, Any], owner: str | None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(path.name + ".guard-tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(state, fh, ensure_ascii=False)
        fh.flush()
        os.fsync(fh.fileno())
    if owner is not None and os.geteuid() == 0:
        pw = pwd.getpwnam(owner)
        os.chown(tmp, pw.pw_uid, pw.pw_gid)
    os.replace(tmp, path)


def save(layout: Layout) -> int:
    device = read_seal(layout.seal_dir / SEAL_NAME)
    if device is None:
        log.info("no readable seal from the service yet; guarded copy unchanged")
        return 0
    guarded = read_seal(layout.guard_dir / SEAL_NAME)
    state, lowered = raised(device, guarded) if guarded else (device, [])
    if lowered:
        log.warning("the service's seal lowered today's %s: the guarded counters are kept", ", ".join(lowered))
    write_atomic(layout.guard_dir / SEAL_NAME, state, owner=None)
    return 0


def restore(layout: Layout, owner: str | None = SERVICE_USER) -> int:
    guarded = read_seal(layout.guard_dir / SEAL_NAME)
    if guarded is None:
        return 0
    target = layout.seal_dir / SEAL_NAME
    device = read_seal(target)
    if device is None:
        log.warning("time seal %s missing or corrupt: restored from the guarded copy", target)
        write_atomic(target, guarded, owner)
        return 0
    state, lowered = raised(device, guarded)
    if lowered:
        log.warning("time seal %s had lower counters (%s) than the guarded copy: raised", target, ", ".join(lowered))
        write_atomic(target, state, owner)
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="keep a root-only copy of the kidsafe time seal")
    p.add_argument("action", choices=("save", "restore"))
    p.add_argument("--root", type=Path, default=Path("/"), help="prefix of every path (tests)")
    p.add_argument("--owner", default=SERVICE_USER, help="owner of a restored seal (when run as root)")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    layout = Layout(args.root)
    return save(layout) if args.action == "save" else restore(layout, args.owner)


if __name__ == "__main__":
    sys.exit(main())
