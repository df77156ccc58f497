"""Factory reset of a kidsafe device: wipe the child's data, keep the device.

    factory_reset.py [--root DIR] [--if-requested]

Wiped (everything a family left on the device): usage database, its mirror and the time seal with its
guarded copy, the event log, the parent's policy, fleet word-pack sets and the agent's outbox (all of
/data/kidsafe/home), the matcher cache, the pairing state and the system journal.
Kept: the read-only image, the device id and its broker credentials (the maker registered them), the
installed speech models and the provisioning record.

Run by kidsafe-factory-reset.service (`systemctl start kidsafe-factory-reset`, e.g. from the maker's
reset button handler, or at boot when /data/kidsafe/state/factory-reset-requested exists; both need
root). The folders are made again, empty, by systemd-tmpfiles (usr/lib/tmpfiles.d/kidsafe.conf)
and the device reboots. Stdlib only.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from layout import Layout  # noqa: E402

log = logging.getLogger("kidsafe-factory-reset")


def wipe(path: Path) -> int:
    """Delete what is inside `path` (never following links out of it); the number of entries removed."""
    if path.is_symlink():
        path.unlink()
        return 1
    if not path.is_dir():
        return 0
    removed = 0
    for entry in path.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
        removed += 1
    return removed


def reset(layout: Layout) -> dict[str, int]:
    wiped = {str(path): wipe(path) for path in layout.child_data()}
    layout.reset_request.unlink(missing_ok=True)
    layout.state_dir.mkdir(parents=True, exist_ok=True)
    record = {"at": int(time.time()), "wiped": wiped}
    tmp = layout.state_dir / "factory-reset.json.tmp"
    tmp.write_text(json.dumps(record, indent=1) + "\n")
    os.replace(tmp, layout.state_dir / "factory-reset.json")
    return wiped


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="wipe the child's data from this kidsafe device")
    p.add_argument("--root", type=Path, default=Path("/"), help="prefix of every path (tests)")
    p.add_argument("--if-requested", action="store_true", help="only when the request file exists")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    layout = Layout(args.root)
    if args.if_requested and not layout.reset_request.exists():
        log.info("no factory reset requested")
        return 0
    wiped = reset(layout)
    log.warning("factory reset: child data wiped (%d entries) / 已恢复出厂设置，儿童数据已清除", sum(wiped.values()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
