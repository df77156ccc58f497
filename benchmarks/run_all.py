"""`make bench`: run every benchmarks/bench_*.py module's main() in turn; each prints its figures.

A benchmark that fails prints its error and the others still run; the exit code says how many failed.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
import traceback
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
        saved = sys.argv
        sys.argv = [name]
        try:
            importlib.import_module(f"benchmarks.{name}").main()
        except Exception:
            failed += 1
            traceback.print_exc()
        finally:
            sys.argv = saved
        print(f"({name} took {time.perf_counter() - t:.0f} s)", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
