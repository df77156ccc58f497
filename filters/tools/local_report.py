"""Tables of local_eval measure files: one run's figures, or two runs compared set by set (even / odd split),
with the rows blocked as self_harm (the care answer) and, on request, the blocked rows per category.

Held-out discipline: a row's parity index ("idx" in the run, else its position) makes it even (may be read for
design) or odd (held out). Row texts are listed only on request (`show`), only for benign sets and corpora, only
even rows unless `odd_too`, and never for a never-read set (manifest never_read, or a name naming Stormfront,
OLID, SOS-1K or HateCheck: counts only).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from filters.tools.local_manifest import Manifest
from filters.tools.local_sources import file_lines

NEVER_READ_NAMES = ("stormfront", "olid", "sos1k", "sos-1k", "hatecheck")


def never_read(manifest: Manifest, name: str) -> bool:
    known = {s.name: s.never_read for s in manifest.sets}
    return known.get(name, False) or any(k in name.lower() for k in NEVER_READ_NAMES)


def parity(rec: dict[str, Any]) -> list[int]:
    return list(rec.get("idx") or range(len(rec["flags"])))


def even_odd(rec: dict[str, Any], key: str = "flags") -> tuple[int, int]:
    """A per-row 0/1 list of a set (flags, or self_harm) summed over even and over odd rows."""
    even = odd = 0
    for i, f in zip(parity(rec), rec[key], strict=True):
        if i % 2:
            odd += f
        else:
            even += f
    return even, odd


def _order(manifest: Manifest, *runs: dict[str, Any], only: list[str] | None = None) -> list[str]:
    names = [s.name for s in manifest.sets]
    extra = sorted({n for r in runs for n in r["sets"]} - set(names))
    return [n for n in names + extra if (not only or n in only) and any(n in r["sets"] for r in runs)]


def _history(manifest: Manifest, name: str) -> str:
    try:
        h = manifest.set(name).history
    except ValueError:
        return ""
    if h.figure is None:
        return ""
    return f"{h.figure}{'' if h.comparable else ' (not comparable)'}"


def _care(rec: dict[str, Any]) -> str:
    """Rows blocked with category self_harm (the care answer): all, even / odd; '-' for a run without them."""
    if "self_harm" not in rec:
        return "-"
    e, o = even_odd(rec, "self_harm")
    return f"{e + o} ({e}/{o})"


def table_lines(manifest: Manifest, run: dict[str, Any], only: list[str] | None = None,
                groups: bool = False, categories: bool = False) -> list[str]:
    out = [f"code {run.get('meta', {}).get('commit', '?')[:12]} model {run.get('meta', {}).get('model')}",
           f"{'set':34s} {'kind':8s} {'rows':>6s} {'flagged':>8s} {'even':>6s} {'odd':>6s} {'model-only':>10s}"
           f" {'self_harm e/o':>15s}  at a435ff2"]
    for name in _order(manifest, run, only=only):
        rec = run["sets"][name]
        e, o = even_odd(rec)
        out.append(f"{name:34s} {rec['kind']:8s} {len(rec['flags']):6d} {rec['flagged']:8d} {e:6d} {o:6d} "
                   f"{rec.get('model_only', 0):10d} {_care(rec):>15s}  {_history(manifest, name)}")
        if categories and rec.get("categories"):
            out.append("    blocked by category: " + ", ".join(f"{c} {n}" for c, n in rec["categories"].items()))
        if groups and rec.get("groups"):
            for g, (n, f) in sorted(rec["groups"].items()):
                out.append(f"    {g:30s} {f:5d} of {n}")
    for name in run.get("missing", []):
        out.append(f"{name:34s} (not built: not measured)")
    for lost in manifest.lost:
        out.append(f"{lost.name:34s} (lost: {lost.why})")
    return out


def _texts(data: Path, name: str) -> list[str]:
    path = data / f"{name}.jsonl"
    if not path.is_file():
        return []
    return [json.loads(line)["text"] for line in file_lines(path.read_text(encoding="utf-8")) if line]


def diff_lines(manifest: Manifest, a: dict[str, Any], b: dict[str, Any], only: list[str] | None = None,
               show: int = 0, odd_too: bool = False, groups: bool = False, data: Path | None = None) -> list[str]:
    out = [f"A {a.get('meta', {}).get('commit', '?')[:12]}  B {b.get('meta', {}).get('commit', '?')[:12]}",
           f"{'set':34s} {'rows':>6s} {'A':>6s} {'B':>6s} {'+even':>6s} {'+odd':>6s} {'-even':>6s} {'-odd':>6s}"]
    totals: dict[str, list[int]] = {}
    for name in _order(manifest, a, b, only=only):
        ra, rb = a["sets"].get(name), b["sets"].get(name)
        if ra is None or rb is None:
            out.append(f"{name:34s} only in {'B' if ra is None else 'A'}")
            continue
        if len(ra["flags"]) != len(rb["flags"]) or parity(ra) != parity(rb) or (
                ra.get("data_sha256") and rb.get("data_sha256") and ra["data_sha256"] != rb["data_sha256"]):
            out.append(f"{name:34s} rows differ ({len(ra['flags'])} vs {len(rb['flags'])}, or another build of "
                       "the set): not comparable")
            continue
        plus = [0, 0]
        minus = [0, 0]
        newly: list[int] = []
        for k, (i, fa, fb) in enumerate(zip(parity(ra), ra["flags"], rb["flags"], strict=True)):
            if fb > fa:
                plus[i % 2] += 1
                newly.append(k)
            elif fa > fb:
                minus[i % 2] += 1
        total = totals.setdefault(ra["kind"], [0, 0, 0, 0])
        for k, v in enumerate(plus + minus):
            total[k] += v
        mark = "" if plus == minus == [0, 0] else "  *"
        out.append(f"{name:34s} {len(ra['flags']):6d} {ra['flagged']:6d} {rb['flagged']:6d} {plus[0]:6d} {plus[1]:6d} "
                   f"{minus[0]:6d} {minus[1]:6d}{mark}")
        if groups and (ra.get("groups") or rb.get("groups")):
            ga, gb = ra.get("groups", {}), rb.get("groups", {})
            for g in sorted(set(ga) | set(gb)):
                fa_, fb_ = ga.get(g, [0, 0])[1], gb.get(g, [0, 0])[1]
                out.append(f"    {g:30s} {fa_:5d} -> {fb_:5d} of {gb.get(g, ga.get(g, [0, 0]))[0]}")
        if show and newly and ra["kind"] in ("benign", "corpus") and data is not None:
            out.extend(_shown(manifest, name, ra, newly, show, odd_too, data))
    for kind, (pe, po, me, mo) in sorted(totals.items()):
        out.append(f"all {kind} sets: +{pe} even / +{po} odd, -{me} even / -{mo} odd "
                   f"(net {pe - me:+d} even / {po - mo:+d} odd)")
    return out


def row_lines(manifest: Manifest, run: dict[str, Any], name: str, data: Path, limit: int = 20,
              odd_too: bool = False, missed: bool = False, care: bool = False) -> list[str]:
    """The rows of one set a run flagged (or, with `missed`, a harmful set's rows it did not block; with `care`,
    the rows blocked with category self_harm): even rows only unless `odd_too`; a never-read set gives its
    counts only."""
    rec = run["sets"].get(name)
    if rec is None:
        return [f"{name}: not in this run"]
    if care and "self_harm" not in rec:
        return [f"{name}: this run has no self_harm record (measured before it was kept): measure again"]
    want = 0 if missed else 1
    picked = [k for k, f in enumerate(rec["self_harm" if care else "flags"]) if f == want]
    head = f"{name}: {len(picked)} {'missed' if missed else 'self_harm' if care else 'flagged'} of {len(rec['flags'])}"
    if never_read(manifest, name):
        return [head, "    (never-read set: counts only)"]
    texts = _texts(data, name)
    if len(texts) != len(rec["flags"]):
        return [head, f"    (the built {name}.jsonl does not match this run's rows: texts not shown)"]
    idx = parity(rec)
    shown = [k for k in picked if odd_too or idx[k] % 2 == 0][:limit]
    actions = rec.get("actions") or "?" * len(texts)
    return [head] + [f"    row {idx[k]}{' (odd, held out)' if idx[k] % 2 else ''} [{actions[k]}]: {texts[k][:200]}"
                     for k in shown]


def _shown(manifest: Manifest, name: str, rec: dict[str, Any], newly: list[int], show: int, odd_too: bool,
           data: Path) -> list[str]:
    if never_read(manifest, name):
        return ["    (never-read set: counts only)"]
    texts = _texts(data, name)
    if len(texts) != len(rec["flags"]):
        return [f"    (the built {name}.jsonl does not match this run's rows: texts not shown)"]
    idx = parity(rec)
    picked = [k for k in newly if odd_too or idx[k] % 2 == 0][:show]
    return [f"    + row {idx[k]}{' (odd, held out)' if idx[k] % 2 else ''}: {texts[k][:200]}" for k in picked]
