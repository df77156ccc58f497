"""Build the classical-poetry curation text (filters/data/sources/benign/classical_poetry.txt).

Classical poems and primers use words literally that modern slang lists hold as sexual or insulting:
花露逼金茎 holds 露逼, 萱草榴花 holds 草榴, 春池碧。池上 reads 碧池, 淫聲 is "lewd music", 井底蛙 an idiom.
`make packs` curates imported terms against this text as it does against the search corpus: an imported
term that fires on a poem goes to review, not into a pack (filters/tools/benign_text.py).

The text is a stable sample of poems and primer chunks from chinese-poetry/chinese-poetry (MIT; the texts
are centuries old): 全唐诗, 宋词, 诗经, 楚辞, 五代诗词, 四书五经, 论语, 纳兰性德, 曹操诗集 and the 蒙学 primers.
元曲 is left out (its stage dialogue curses for real). No unit shares an 8-character run with a row of the
classical_canon evaluation set (filters/data/eval/public/classical_canon.jsonl), so that set stays
independent of the curation. One unit a line, in traditional or simplified characters as the source has it.

Input is the repository as a bare git directory (the `fetch` tool's mirror). Run:
`python -m filters.tools.build_poetry_benign GIT_DIR`; same input, same output.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
from pathlib import Path

from filters.tools.build_classical_eval import units

REPO = Path(__file__).resolve().parent.parent.parent
OUT = REPO / "filters" / "data" / "sources" / "benign" / "classical_poetry.txt"
EVAL = REPO / "filters" / "data" / "eval" / "public" / "classical_canon.jsonl"
COMMIT = "99ebbef7e1345c0985c44b9fd96a3f9e776f117b"
FOLDERS = ("全唐诗/", "宋词/", "诗经/", "楚辞/", "五代诗词/", "四书五经/", "论语/", "纳兰性德/", "曹操诗集/", "蒙学/")
UNITS = 12_000
SHINGLE = 8
CHUNK_LINES = 4
MAX_CHARS = 300


def _stable(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def _shingles(text: str) -> set[str]:
    cjk = "".join(c for c in text if "\u3400" <= c <= "\u9fff")
    return {cjk[i : i + SHINGLE] for i in range(max(0, len(cjk) - SHINGLE + 1))}


def _git(git_dir: Path, *args: str) -> bytes:
    return subprocess.run(["git", "-C", str(git_dir), *args], capture_output=True, check=True).stdout


def poem_units(git_dir: Path) -> list[str]:
    """Every poem (or primer chunk of CHUNK_LINES lines) of the chosen folders at COMMIT."""
    names = _git(git_dir, "ls-tree", "-r", "-z", "--name-only", COMMIT).decode("utf-8").split("\0")
    out: list[str] = []
    for name in sorted(n for n in names if n.endswith(".json") and n.startswith(FOLDERS)):
        data = json.loads(_git(git_dir, "show", f"{COMMIT}:{name}"))
        for lines in units(data):
            text = "".join(lines)
            parts = [text] if len(text) <= MAX_CHARS else [
                "".join(lines[i : i + CHUNK_LINES]) for i in range(0, len(lines), CHUNK_LINES)]
            out.extend(p.replace("\n", "") for p in parts if p.strip())
    return out


def build(git_dir: Path, n: int = UNITS) -> list[str]:
    held = set()
    for line in EVAL.read_text(encoding="utf-8").splitlines():
        held |= _shingles(json.loads(line)["text"])
    seen: set[str] = set()
    kept = []
    for text in poem_units(git_dir):
        if text in seen or _shingles(text) & held:
            continue
        seen.add(text)
        kept.append(text)
    return sorted(kept, key=_stable)[:n]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m filters.tools.build_poetry_benign",
                                 description=__doc__.splitlines()[0])
    ap.add_argument("git_dir", type=Path, help="bare git directory of chinese-poetry/chinese-poetry")
    ap.add_argument("--units", type=int, default=UNITS)
    args = ap.parse_args(argv)
    rows = build(args.git_dir, args.units)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("".join(r + "\n" for r in rows), encoding="utf-8")
    print(f"wrote {len(rows)} units to {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
