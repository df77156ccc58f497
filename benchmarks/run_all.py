"""`make bench`: run every benchmarks/bench_*.py in its own process; each prints its figures.

Separate processes keep each benchmark's resident-memory figures its own (the voice benchmark
loads a 250 MB ASR model). A benchmark that fails prints its error and the others still run; the
exit code is 1 if any failed. `python -m benchmarks.run_all bench_filters` runs just the named ones.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys
import time
from pathlib import Path


def main() -> int:
    here = Path(__file__).resolve().parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    only = sys.argv[1:]
    failed = 0
    for name in names:
        if only and name not in only:
            continue
        print(f"\n######## {name} ########", flush=True)
        t = time.perf_counter()
        code = (
            f"import sys; sys.argv = [{name!r}]; "
            f"import benchmarks.{name} as b; b.main()"
        )
        proc = subprocess.run([sys.executable, "-c", code], cwd=here.parent)
        if proc.returncode != 0:
            failed += 1
            print(f"{name} FAILED (exit {proc.returncode})", flush=True)
        print(f"({name} took {time.perf_counter() - t:.0f} s)", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
