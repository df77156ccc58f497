"""The issue figures a benchmark measured, collected by `make bench` into one table with the targets.

A benchmark calls `figure(name, value, unit, target)`; that prints one line
`FIGURE<TAB>name<TAB>value<TAB>unit<TAB>target` which benchmarks/run_all.py gathers from every
benchmark's output and prints again at the end, after the machine and its load (`machine()`), so a
reader sees every figure, its target and the conditions in one place. `best_cpu` is the one way the
benchmarks time a piece of work.
"""

from __future__ import annotations

import gc
import os
import platform
import time
from collections.abc import Callable

PREFIX = "FIGURE\t"


def best_cpu(fn: Callable[[], object], rounds: int = 3) -> float:
    """Smallest CPU seconds of `rounds` runs of fn() (the machine is shared: the minimum is the cost;
    its wall clock varies by +-15%)."""
    best = float("inf")
    for _ in range(rounds):
        gc.collect()
        t = time.process_time()
        fn()
        best = min(best, time.process_time() - t)
    return best


def figure(name: str, value: float | str, unit: str = "", target: str = "") -> None:
    """Print one figure for the summary table (and for a human reading the benchmark's own output)."""
    text = _fmt(value) if isinstance(value, float) else str(value)
    print(f"{PREFIX}{name}\t{text}\t{unit}\t{target}", flush=True)


def _fmt(value: float) -> str:
    if abs(value) >= 100:
        return f"{value:.0f}"
    return f"{value:.1f}" if abs(value) >= 10 else f"{value:.3g}"


def parse(line: str) -> tuple[str, str, str, str] | None:
    if not line.startswith(PREFIX):
        return None
    parts = line.rstrip("\n").split("\t")[1:]
    return tuple((parts + ["", "", "", ""])[:4]) if parts else None  # type: ignore[return-value]


def machine() -> str:
    """CPU model, cores, Python and the load averages now (a loaded shared machine slows wall clocks)."""
    model = platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.lower().startswith(("model name", "hardware")):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        load = "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "load average unknown"
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}, {load}"
