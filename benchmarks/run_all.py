"""`make bench`: run every benchmarks/bench_*.py in its own process; each prints its figures.

Separate processes keep each benchmark's resident-memory figures its own (the voice benchmark
loads a 250 MB ASR model). A benchmark that fails prints its error and the others still run; the
exit code is 1 if any failed. `python -m benchmarks.run_all bench_filters` runs just the named ones.
At the end, every figure a benchmark reported with benchmarks/figures.py is printed again in one
table beside its target, with the machine and its load average before and after.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.figures import machine, parse


def main() -> int:
    here = Path(__file__).resolve().parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    only = sys.argv[1:]
    failed = 0
    before = machine()
    print(f"machine: {before}", flush=True)
    rows: list[tuple[str, tuple[str, str, str, str]]] = []
    for name in names:
        if only and name not in only:
            continue
        print(f"\n######## {name} ########", flush=True)
        t = time.perf_counter()
        code = (
            f"import sys; sys.argv = [{name!r}]; "
            f"import benchmarks.{name} as b; b.main()"
        )
        proc = subprocess.Popen([sys.executable, "-c", code], cwd=here.parent, stdout=subprocess.PIPE, text=True,
                                encoding="utf-8", errors="replace")
        assert proc.stdout is not None
        for line in proc.stdout:
            print(line, end="", flush=True)
            row = parse(line)
            if row is not None:
                rows.append((name, row))
        if proc.wait() != 0:
            failed += 1
            print(f"{name} FAILED (exit {proc.returncode})", flush=True)
        print(f"({name} took {time.perf_counter() - t:.0f} s)", flush=True)
    if rows:
        print(summary(rows, before, machine()))
    return 1 if failed else 0


def summary(rows: list[tuple[str, tuple[str, str, str, str]]], before: str, after: str) -> str:
    width = max(len(r[1][0]) for r in rows)
    lines = ["", "######## figures (issue targets beside them) ########",
             f"machine before: {before}", f"machine after:  {after}",
             f"{'figure':<{width}}  {'value':>10}  {'unit':<12} target   [benchmark]"]
    for bench, (name, value, unit, target) in rows:
        lines.append(f"{name:<{width}}  {value:>10}  {unit:<12} {target or '-':<8} [{bench}]")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
