"""Filter speed and memory: whole `check` pipeline vs a bare pyahocorasick scan (the floor).

Prints: chars/s on one core for TextFilter.check over >= 10 MB of mixed Chinese/English lines
with a >= 20,000-term lexicon (shipped packs + synthetic filler terms); the bare scan of the
already-normalised text with the same automata; their ratio; p50/p99 latency for 200-character
search results; lexicon load time; resident memory. Asserts nothing about time.
Run: `make bench` (all benchmarks) or `python -m benchmarks.bench_filters [--mb 10]`.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import time
import warnings

from benchmarks.corpus import mixed_corpus, scale_lexicon
from filters.engine import TextFilter
from filters.lexicon import load_packs

ROUNDS = 2


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def pin_one_core() -> str:
    try:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
        return f"pinned to CPU {min(os.sched_getaffinity(0))}"
    except (AttributeError, OSError):
        return "not pinned"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mb", type=float, default=10.0, help="corpus size in millions of characters")
    ap.add_argument("--terms", type=int, default=20_000)
    args = ap.parse_args(argv)
    warnings.simplefilter("ignore")
    print("== filters: kidsafe check pipeline ==")
    print(pin_one_core())
    rss0 = rss_mb()
    t = time.perf_counter()
    shipped = load_packs()
    tf = TextFilter(shipped)
    load_s = time.perf_counter() - t
    shipped_terms = sum(len(p.entries) for p in shipped)
    print(f"shipped packs: {len(shipped)} packs, {shipped_terms} terms; cold start (tables + packs) {load_s:.2f} s")
    packs, synthetic = scale_lexicon(args.terms)
    t = time.perf_counter()
    tf.use_packs(packs)
    print(f"scale lexicon: {shipped_terms + synthetic} terms ({synthetic} synthetic); "
          f"matcher build {time.perf_counter() - t:.2f} s, {tf._lexicon.matcher.key_count} automaton keys")
    print(f"RSS: {rss0:.0f} MB before, {rss_mb():.0f} MB with tables + {args.terms}-term lexicon")

    lines = mixed_corpus(int(args.mb * 1_000_000))
    chars = sum(len(x) for x in lines)
    print(f"corpus: {len(lines)} lines, {chars / 1e6:.1f} M chars (COLD zh 60% / stdlib-docs en 40%)")

    # CPU time of this (pinned) process, best of ROUNDS: the VM's wall clock varies by +-15% run to run
    dt = float("inf")
    for _ in range(ROUNDS):
        gc.collect()
        t = time.process_time()
        verdicts = [tf.check(x) for x in lines]
        dt = min(dt, time.process_time() - t)
    actions = {a: sum(v.action == a for v in verdicts) for a in ("allow", "block", "redact")}
    print(f"check() per line:   {chars / dt / 1e6:6.2f} M chars/s  ({dt:.1f} s CPU, best of {ROUNDS}; {actions})")
    del verdicts

    matcher = tf._lexicon.matcher
    norm = tf.normalizer
    folds = [norm.fold_text(x) for x in lines]
    codes = [norm.tables.encode_chars(f) if not f.isascii() else f for f in folds]
    sylls = [norm.tables.encode_syllables(f) for f in folds if not f.isascii()]
    floor = float("inf")
    for _ in range(ROUNDS):
        t = time.process_time()
        for f, c in zip(folds, codes, strict=True):
            auto = matcher._ascii_auto if f.isascii() else matcher._char_auto
            for _ in auto.iter(c):
                pass
        for s in sylls:
            for _ in (matcher._homophone_auto or matcher._syl_auto).iter(s):
                pass
        floor = min(floor, time.process_time() - t)
    print(f"bare scan (floor):  {chars / floor / 1e6:6.2f} M chars/s  (same automata over pre-normalised views)")
    print(f"pipeline / floor:   {dt / floor:6.1f} x slower")

    rng = random.Random(5)
    results = []
    joined = "".join(lines)
    for _ in range(2000):
        i = rng.randrange(0, len(joined) - 200)
        results.append(joined[i : i + 200])
    lat = []
    for x in results:
        t0 = time.perf_counter()
        tf.check(x)
        lat.append((time.perf_counter() - t0) * 1e6)
    lat.sort()
    print(f"200-char result: p50 {statistics.median(lat):.0f} us, p99 {lat[int(len(lat) * 0.99)]:.0f} us")
    print(f"RSS after run: {rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
