"""Measure the whole filter (word lists, rules, PII, model) on the local real-world sets, and compare two runs.

    python -m filters.tools.local_eval measure OUT.json [--only a,b] [--data /work/localdata] [--no-model]
    python -m filters.tools.local_eval diff A.json B.json [--show N] [--odd-too] [--groups] [--only a,b]
    python -m filters.tools.local_eval table A.json [--groups] [--categories]
    python -m filters.tools.local_eval rows A.json SET [--limit N] [--odd-too] [--missed | --care]

`measure` checks every row of the built sets (python -m filters.tools.local_sets build) with the engine that
`kidsafe check` runs (TextFilter.load with the shipped model, check_many, the default policy), progress on
stderr, and writes OUT.json atomically: per set its kind (harmful / benign / corpus), rows, flagged (harmful and
corpus: blocked; benign: not allowed), flags (0/1 per row), actions (a / r / b per row), parity indexes, model_only
(blocked rows whose only block reasons are the model's), per-group counts (HateCheck functionality), self_harm
(0/1 per row: blocked with category self_harm, what device/care.py answers with the care answer) and categories
(blocked rows per category); the same "sets" / "flags" / "flagged" / "kind" / "model_only" keys the old
measure_all.py wrote, so its JSON files diff too. `table --categories` prints the categories per set.

`diff` prints per set: rows, A, B, then + and - split into even (design) and odd (held out) rows by the parity
index. `--show N` lists up to N rows newly flagged in benign sets and corpora: even rows only unless `--odd-too`,
and never a row of a never-read set (Stormfront, OLID, HateCheck: counts only). `rows` lists the rows of one set
a run flagged (or, with --missed, the harmful rows it let through), under the same rules.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from filters.tools.local_manifest import MANIFEST, Manifest, load_manifest
from filters.tools.local_report import diff_lines, row_lines, table_lines
from filters.tools.local_sets import REPO, LocalSetError, write_atomic
from filters.tools.local_sources import file_lines

DATA = Path("/work/localdata")
MODEL_PATH = REPO / "models" / "kidsafe_text_int8.tflite"  # filters/ may not import models/
BATCH = 64
ACTION_CODE = {"allow": "a", "redact": "r", "block": "b"}
CARE_CATEGORY = "self_harm"  # a blocked verdict with this category gets the care answer (device/care.py needs_care)


def read_rows(data: Path, name: str) -> list[dict[str, Any]]:
    path = data / f"{name}.jsonl"
    if not path.is_file():
        raise LocalSetError(f"{path} is missing: build it (python -m filters.tools.local_sets build --only {name})")
    rows = []
    for n, line in enumerate(file_lines(path.read_text(encoding="utf-8")), 1):
        if not line:
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise LocalSetError(f"{path} line {n}: not JSON ({exc.msg})") from exc
        if not isinstance(row, dict) or not isinstance(row.get("text"), str) or not isinstance(row.get("i"), int):
            raise LocalSetError(f"{path} line {n}: a row needs an integer 'i' and a string 'text'")
        rows.append(row)
    return rows


def flagged(kind: str, action: str) -> int:
    """Harmful and corpus rows count when blocked; benign rows when not allowed."""
    return int(action != "allow") if kind == "benign" else int(action == "block")


def model_only(verdict: Any) -> bool:
    blocking = [r for r in verdict.reasons if r.kind in ("lexicon", "model", "policy", "pii")]
    return bool(blocking) and all(r.kind == "model" for r in blocking)


def measure_set(tf: Any, kind: str, rows: list[dict[str, Any]], name: str, log: Any) -> dict[str, Any]:
    actions: list[str] = []
    flags: list[int] = []
    only_model = 0
    care: list[int] = []
    categories: dict[str, int] = {}
    groups: dict[str, list[int]] = {}
    for start in range(0, len(rows), BATCH):
        batch = rows[start:start + BATCH]
        for row, verdict in zip(batch, tf.check_many([r["text"] for r in batch]), strict=True):
            actions.append(ACTION_CODE.get(verdict.action, "?"))
            f = flagged(kind, verdict.action)
            flags.append(f)
            blocked = verdict.action == "block"
            if blocked and model_only(verdict):
                only_model += 1
            care.append(int(blocked and CARE_CATEGORY in verdict.categories))
            for category in verdict.categories if blocked else ():
                categories[category] = categories.get(category, 0) + 1
            if "group" in row:
                g = groups.setdefault(str(row["group"]), [0, 0])
                g[0] += 1
                g[1] += f
        print(f"\r{name}: {min(start + BATCH, len(rows))}/{len(rows)}", end="", file=log, flush=True)
    print(f"\r{name}: {sum(flags)} of {len(rows)} flagged" + " " * 10, file=log, flush=True)
    out: dict[str, Any] = {"kind": kind, "rows": len(rows), "flagged": sum(flags), "flags": flags,
                           "actions": "".join(actions), "model_only": only_model, "self_harm": care,
                           "categories": dict(sorted(categories.items()))}
    idx = [r["i"] for r in rows]
    if idx != list(range(len(rows))):
        out["idx"] = idx
    if groups:
        out["groups"] = groups
    return out


def code_state() -> dict[str, str]:
    def git(*args: str) -> str:
        got = subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True)
        return got.stdout.strip() if got.returncode == 0 else "?"

    changed = git("status", "--porcelain", "--untracked-files=no", "--", "filters", "models")
    return {"commit": git("rev-parse", "HEAD"), "dirty": "yes" if changed else "no", "repo": str(REPO),
            "python": platform.python_version()}


def measure(manifest: Manifest, data: Path, out: Path, only: list[str] | None = None,
            model: Path | None = MODEL_PATH, log: Any = None) -> dict[str, Any]:
    from filters.engine import TextFilter

    log = log or sys.stderr
    names = manifest.names(only)
    todo = {n: read_rows(data, n) for n in names if only or (data / f"{n}.jsonl").is_file()}
    missing = [n for n in names if n not in todo]
    for n in missing:
        print(f"{n}: not built, skipped (python -m filters.tools.local_sets build --only {n})", file=log)
    tf = TextFilter.load(model_path=model)
    if model is not None and tf.model_error:
        raise LocalSetError(f"the model did not load ({tf.model_error}); measure with --no-model on purpose")
    started = time.time()
    sets = {n: measure_set(tf, manifest.set(n).kind, rows, n, log) for n, rows in todo.items()}
    for n, rec in sets.items():  # which build of the rows was measured: diff says when two runs' rows differ
        rec["data_sha256"] = hashlib.sha256((data / f"{n}.jsonl").read_bytes()).hexdigest()
    result = {"meta": {**code_state(), "model": str(model) if model else None, "data": str(data),
                       "manifest_sha256": manifest.sha256, "seconds": round(time.time() - started)},
              "missing": missing, "sets": sets}
    write_atomic(out, [json.dumps(result, ensure_ascii=False, separators=(",", ":"))])
    return result


def load_run(path: Path) -> dict[str, Any]:
    try:
        run = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise LocalSetError(f"{path}: not a measure file ({exc})") from exc
    if not isinstance(run, dict) or not isinstance(run.get("sets"), dict):
        raise LocalSetError(f"{path}: not a measure file (no 'sets')")
    return run


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m filters.tools.local_eval", description=__doc__.split("\n\n")[0])
    ap.add_argument("--manifest", type=Path, default=MANIFEST)
    ap.add_argument("--data", type=Path, default=DATA, help="folder of built sets (default /work/localdata)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("measure", help="measure the whole filter on the built sets")
    m.add_argument("out", type=Path)
    m.add_argument("--only", default="", help="comma-separated set names")
    m.add_argument("--model", type=Path, default=MODEL_PATH, help="classifier .tflite (default: the shipped one)")
    m.add_argument("--no-model", action="store_true", help="word lists, rules and PII only")
    d = sub.add_parser("diff", help="compare two measure files set by set")
    d.add_argument("a", type=Path)
    d.add_argument("b", type=Path)
    d.add_argument("--only", default="")
    d.add_argument("--show", type=int, default=0, help="list up to N newly flagged benign/corpus rows per set")
    d.add_argument("--odd-too", action="store_true", help="--show lists odd (held-out) rows too; never for design")
    d.add_argument("--groups", action="store_true", help="per-group counts (HateCheck functionality)")
    t = sub.add_parser("table", help="the figures of one measure file")
    t.add_argument("a", type=Path)
    t.add_argument("--only", default="")
    t.add_argument("--groups", action="store_true")
    t.add_argument("--categories", action="store_true", help="blocked rows per category, per set")
    r = sub.add_parser("rows", help="the flagged (or --missed) rows of one set: even rows only unless --odd-too")
    r.add_argument("a", type=Path)
    r.add_argument("set")
    r.add_argument("--limit", type=int, default=20)
    r.add_argument("--odd-too", action="store_true", help="odd (held-out) rows too; never for design")
    how = r.add_mutually_exclusive_group()
    how.add_argument("--missed", action="store_true", help="rows not flagged (harmful rows let through)")
    how.add_argument("--care", action="store_true", help="rows blocked with category self_harm (the care answer)")
    args = ap.parse_args(argv)
    only = [x for x in getattr(args, "only", "").split(",") if x] or None
    try:
        manifest = load_manifest(args.manifest)
        if args.cmd == "measure":
            model = None if args.no_model else args.model
            run = measure(manifest, args.data, args.out, only, model)
            lines = table_lines(manifest, run, only)
        elif args.cmd == "rows":
            lines = row_lines(manifest, load_run(args.a), args.set, args.data, args.limit, args.odd_too, args.missed,
                              care=args.care)
        elif args.cmd == "table":
            lines = table_lines(manifest, load_run(args.a), only, groups=args.groups, categories=args.categories)
        else:
            lines = diff_lines(manifest, load_run(args.a), load_run(args.b), only, show=args.show,
                               odd_too=args.odd_too, groups=args.groups, data=args.data)
    except (LocalSetError, ValueError) as exc:
        print(f"local_eval: {exc}", file=sys.stderr)
        return 2
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
