"""Figures for the device's usage rules and local API: cost of counting a use, of a flush to SQLite (WAL),
of a status answer, of validating a policy, of GET /api/status over real HTTP, and the device
process's start-up time to a first status answer. Prints figures; asserts nothing about time."""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from device.policy import validate
from device.usage.engine import UsageClock
from device.usage.store import UsageStore
from device.usage.timekeeper import Timekeeper

POLICY = {"age_band": "8-11", "timezone": "Asia/Shanghai", "blocked_categories": ["sexual", "violence"],
          "time": {"daily_limit_min": {"weekday": 60, "weekend": 120}, "exempt_features": ["dictionary"]}}


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def timed(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1e6)
    return out


def show(name: str, us: list[float]) -> None:
    print(f"{name:<38} p50 {statistics.median(us):9.1f} us   p99 {pct(us, 0.99):9.1f} us   (n={len(us)})")


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        home = Path(d)
        store = UsageStore(home / "usage.sqlite3", home / "mirror.sqlite3")
        tk = Timekeeper(store)
        rules = validate(POLICY)[0].time
        clock = UsageClock(store, tk, lambda: rules, flush_interval_s=3600)
        show("usage.use('search') (no flush)", timed(lambda: clock.use("search"), 5000))
        show("usage.status()", timed(clock.status, 5000))
        show("flush to SQLite WAL (+ mirror)", timed(clock.flush, 500))
        show("policy validate (schema + filter)", timed(lambda: validate(POLICY), 500))
        store.close()

        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
        from device_server import DeviceServer

        (home / "srv").mkdir()
        (home / "srv" / "policy.json").write_text(json.dumps(POLICY))
        t = time.perf_counter()
        srv = DeviceServer(home / "srv").start(attempts=100000)
        start_s = time.perf_counter() - t
        try:
            def get() -> None:
                with urllib.request.urlopen(srv.url + "/api/status", timeout=10) as r:
                    r.read()

            show("HTTP GET /api/status (127.0.0.1)", timed(get, 300))
            rss = _rss_kb(srv.proc.pid) if srv.proc else 0
        finally:
            srv.stop()
        print(f"{'device process start to first status':<38} {start_s * 1000:9.0f} ms")
        print(f"{'device process RSS (no pipeline loaded)':<38} {rss / 1024:9.1f} MB")


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


if __name__ == "__main__":
    main()
