"""The command line shared by the table builders that read one pinned source file (filters/tools/chaizi.py,
filters/tools/lookalike_letters.py): `--source PATH` (default: the installed package's file) and `--write`."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path


def run(doc: str, table: Path, build: Callable[[Path], dict], default_source: Callable[[], Path], what: str,
        summary: Callable[[dict], str]) -> None:
    """Parse the arguments, build the table from the source, print its summary, write it with --write."""
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("--source", type=Path, help=f"{what} (default: the installed package's)")
    ap.add_argument("--write", action="store_true", help=f"write {table.name}")
    args = ap.parse_args()
    out = build(args.source or default_source())
    print(summary(out))
    if args.write:
        table.write_text(json.dumps(out, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
