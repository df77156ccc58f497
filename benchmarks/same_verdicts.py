"""Do two trees print the same `kidsafe check` JSON? The verdict check for speed work, beside the golden file.

tests/test_verdicts_unchanged.py compares digests of verdicts with a golden file made long ago (the
shipped eval sets, COLD dev's first 1,500 rows). This tool compares two trees directly, byte for byte,
on more text: every `filters/data/eval/**/*.jsonl` set (the public ones included), ../shared/eval/dev.jsonl,
all of COLD's dev split and the benchmark's mixed corpus (benchmarks/corpus.py), each through the real
`kidsafe check` command of the tree (`python -m kidsafe check` run in it, a fresh cache directory), in
three configurations: model on (the default), model on with golden's parent policy, and `--no-model`.

    python -m benchmarks.same_verdicts --tree /tmp/main-export --out /tmp/before.tsv
    python -m benchmarks.same_verdicts --out /tmp/after.tsv          # this tree
    python -m benchmarks.same_verdicts --compare /tmp/before.tsv /tmp/after.tsv

A digest file has one line per (configuration, set, row): the SHA-256 of that row's JSON line. The
comparison prints how many rows differ per set and configuration and exits 1 if any do; it names the
rows (index only) of the project's own sets, never anything of the held-out public sets, and never text.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPUS_CHARS = 1_000_000  # of benchmarks.corpus.mixed_corpus (COLD train comments + English prose)


def input_sets(tree: Path = REPO) -> list[tuple[str, list[str]]]:
    """(name, lines) of every set, each text on one line (line breaks inside a text become spaces)."""
    from benchmarks.corpus import mixed_corpus

    sets: list[tuple[str, list[str]]] = []
    paths = sorted((tree / "filters" / "data" / "eval").rglob("*.jsonl"))
    if (SHARED / "eval" / "dev.jsonl").exists():
        paths.insert(0, SHARED / "eval" / "dev.jsonl")
    for path in paths:
        texts = [json.loads(x)["text"] for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
        sets.append((path.stem, texts))
    cold = SHARED / "data" / "cold" / "dev.csv"
    if cold.exists():
        with cold.open(encoding="utf-8-sig") as fh:
            sets.append(("cold_dev", [r["TEXT"] for r in csv.DictReader(fh) if r.get("TEXT")]))
    sets.append(("bench_corpus", mixed_corpus(CORPUS_CHARS)))
    return [(name, [t.replace("\r", " ").replace("\n", " ") for t in texts]) for name, texts in sets]


def parent_policy_json() -> str:
    from filters.tools.verdict_golden import PARENT_POLICY

    return json.dumps(PARENT_POLICY, ensure_ascii=False)


def run_tree(tree: Path, out: Path) -> None:
    """Digest file of `tree`'s `kidsafe check` output on every set and configuration."""
    sets = input_sets()  # the same inputs for both trees: this tree's set files and corpus
    rows: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        policy = Path(tmp) / "parent_policy.json"
        policy.write_text(parent_policy_json(), encoding="utf-8")
        configs = (("model", []), ("model+parent", ["--policy", str(policy)]), ("words", ["--no-model"]))
        env = {**os.environ, "KIDSAFE_CACHE_DIR": str(Path(tmp) / "cache")}
        for name, lines in sets:
            data = ("\n".join(lines) + "\n").encode("utf-8")
            for config, extra in configs:
                done = subprocess.run([sys.executable, "-m", "kidsafe", "check", *extra], input=data, cwd=tree,
                                      env=env, capture_output=True, check=True)
                answers = done.stdout.decode("utf-8").split("\n")[:-1]
                if len(answers) != len(lines):
                    raise SystemExit(f"{tree}: {config}/{name}: {len(answers)} answers for {len(lines)} lines")
                rows += [f"{config}\t{name}\t{i}\t{hashlib.sha256(a.encode()).hexdigest()[:20]}"
                         for i, a in enumerate(answers)]
            print(f"{name}: {len(lines)} lines x {len(configs)} configurations", file=sys.stderr)
    out.write_text("\n".join(rows) + "\n", encoding="utf-8")


HELD_OUT = ("stormfront", "hatecheck", "olid", "sos")  # sets whose rows are never named


def compare(before: Path, after: Path) -> int:
    def load(path: Path) -> dict[tuple[str, str, str], str]:
        return {tuple(r[:3]): r[3] for r in (x.split("\t") for x in path.read_text().splitlines())}

    a, b = load(before), load(after)
    if a.keys() != b.keys():
        print(f"different rows: {len(a.keys() - b.keys())} only before, {len(b.keys() - a.keys())} only after")
        return 1
    diff: dict[tuple[str, str], list[str]] = {}
    totals: dict[tuple[str, str], int] = {}
    for key, digest in a.items():
        totals[key[:2]] = totals.get(key[:2], 0) + 1
        if b[key] != digest:
            diff.setdefault(key[:2], []).append(key[2])
    for (config, name), n in sorted(totals.items()):
        rows = diff.get((config, name), [])
        named = "" if not rows or any(h in name.lower() for h in HELD_OUT) else f" rows {', '.join(rows[:20])}"
        print(f"{config:<13} {name:<24} {n:6d} rows, {len(rows)} differ{named}")
    print(f"all: {len(a)} rows, {sum(map(len, diff.values()))} differ")
    return 1 if diff else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tree", type=Path, default=REPO, help="the tree whose kidsafe check runs (default: this one)")
    ap.add_argument("--out", type=Path, help="write the digest file here")
    ap.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    args = ap.parse_args(argv)
    if args.compare:
        return compare(*args.compare)
    if args.out is None:
        ap.error("--out or --compare")
    run_tree(args.tree.resolve(), args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
