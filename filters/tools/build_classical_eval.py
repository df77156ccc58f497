"""Build the classical-canon benign set (filters/data/eval/public/classical_canon.jsonl).

Children learn classical poems and primers by heart and ask a smart speaker for them: a filter
that blocks 唐诗三百首 lines because 北土非吾愿 sounds like 废物 fails them. This set is a
deterministic sample of the children's canon from chinese-poetry/chinese-poetry (MIT; the texts
themselves are centuries old): 唐诗三百首, 宋词三百首, 诗经, 千家诗 and the 蒙学 primers. Every row
expects `allow`; `make eval` reports the share flagged. Nothing here is trained on.

Input is the repository's files, read from a local copy (the search tool's `fetch` gives a bare git
directory; `git show COMMIT:PATH` each file into one folder, keeping the paths). Each file is checked
against the sha256 pinned in filters/data/eval/public/sources.json. Run:
`python -m filters.tools.build_classical_eval DIR`; same input, same output.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from filters.tools.build_public_eval import MANIFEST, PUBLIC_DIR, check_pin, sample

SET = "classical_canon"
ROWS = 600
CHUNK_LINES = 4  # a primer (三字经, 弟子规) is one long work: rows of this many lines


def units(data: Any) -> Iterator[list[str]]:
    """Each poem's (or primer chapter's) list of lines, wherever it sits in the file."""
    if isinstance(data, dict):
        for key in ("paragraphs", "content"):  # 诗经 keeps its lines under "content"
            lines = data.get(key)
            if isinstance(lines, list) and lines and all(isinstance(x, str) for x in lines):
                yield lines
                return
        for v in data.values():
            yield from units(v)
    elif isinstance(data, list):
        for v in data:
            yield from units(v)


def rows_of(path: Path, name: str) -> Iterator[dict[str, Any]]:
    data = json.loads(check_pin(path, _pins()[name]).decode("utf-8"))
    for lines in units(data):
        text = "".join(lines)
        parts = [text] if len(text) <= 300 else [
            "".join(lines[i : i + CHUNK_LINES]) for i in range(0, len(lines), CHUNK_LINES)
        ]
        trick = f"classical:{name.split('/')[0]}"
        for part in parts:
            yield {"text": part, "expect": "allow", "cat": "benign", "lang": "zh", "trick": trick}


def _pins() -> dict[str, str]:
    return json.loads(MANIFEST.read_text(encoding="utf-8"))["sets"][SET]["files"]


def build(root: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for name in sorted(_pins()):
        rows.extend(rows_of(root / name, name))
    return sample(rows, ROWS)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("root", type=Path, help="folder holding the pinned files under their repository paths")
    args = ap.parse_args(argv)
    rows = build(args.root)
    out = PUBLIC_DIR / f"{SET}.jsonl"
    out.write_text("".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows), encoding="utf-8")
    print(f"{out}: {len(rows)} rows", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
