"""PII detector speed: `PiiDetector.find` on >= 10 MB of mixed benign Chinese/English lines, one core.

Times are CPU time of this process (time.process_time), so other load on the machine does not skew them.
Prints: detector load time; chars/s over the whole corpus and over the lines that pass the C-level
pre-check (the slow path); the share of lines that pass it; what it flags in the benign corpus (real
PII in COLD comments or false positives: read the samples); the time for 1 MB pathological strings;
and, if ../shared/eval/dev.jsonl is there, how many of its PII rows are found and how many of its
benign rows are flagged. Asserts nothing about time.
Run: `make bench` or `python -m benchmarks.bench_pii [--mb 10]`.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import time
from pathlib import Path

from benchmarks.corpus import mixed_corpus
from filters.pii import PiiDetector

DEV = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "dev.jsonl"


def pin_one_core() -> str:
    try:
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    except (AttributeError, OSError):
        return "not pinned"


def pathological(mb: int = 1_000_000) -> dict[str, str]:
    rng = random.Random(7)
    return {
        "1 MB of digits": "7" * mb,
        "1 MB of '1 '": "1 " * (mb // 2),
        "1 MB of digits, spaces, '-', '.'": "".join(rng.choice("0123456789     -.") for _ in range(mb)),
        "1 MB of Chinese numerals": "一二三四五六七八九零" * (mb // 10),
        "1 MB of '1号楼'": "1号楼" * (mb // 3),
        "1 MB of 'a@'": "a@" * (mb // 2),
    }


def dev_figures(det: PiiDetector) -> None:
    if not DEV.exists():
        print(f"dev set not found at {DEV}")
        return
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    pii = [r for r in rows if str(r.get("cat", "")).startswith("pii:")]
    benign = [r for r in rows if r.get("expect") == "allow"]
    hit = sum(1 for r in pii if det.find(r["text"]))
    fp = [r["text"] for r in benign if det.find(r["text"])]
    print(f"dev.jsonl: PII rows found {hit}/{len(pii)}; benign rows flagged {len(fp)}/{len(benign)} {fp[:3]}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mb", type=float, default=10.0, help="corpus size in millions of characters")
    args = ap.parse_args(argv)
    print("== filters.pii: PiiDetector.find ==")
    print(pin_one_core())
    t = time.process_time()
    det = PiiDetector()
    print(f"load (cue data, tables, regexes): {time.process_time() - t:.3f} s")
    lines = mixed_corpus(int(args.mb * 1_000_000))
    total = sum(map(len, lines))
    det.find(lines[0])

    t = time.process_time()
    found = [det.find(line) for line in lines]
    dt = time.process_time() - t
    print(f"mixed benign corpus: {len(lines)} lines, {total / 1e6:.1f} M chars: {total / dt / 1e6:.1f} M chars/s "
          f"({dt / len(lines) * 1e6:.2f} us/line)")

    slow = [line for line in lines if det.has_trigger(line)]
    slow_chars = sum(map(len, slow))
    t = time.process_time()
    for line in slow:
        det.find(line)
    dt_slow = time.process_time() - t
    t = time.process_time()
    for line in lines:
        det.has_trigger(line)
    dt_trig = time.process_time() - t
    print(f"pre-check alone: {total / dt_trig / 1e6:.1f} M chars/s; lines passing it: {len(slow) / len(lines):.1%}; "
          f"slow path on those: {slow_chars / max(dt_slow, 1e-9) / 1e6:.2f} M chars/s")

    kinds = collections.Counter(m.kind for ms in found for m in ms)
    flagged = sum(1 for ms in found if ms)
    print(f"lines flagged in the benign corpus: {flagged} ({flagged / len(lines):.3%}); by kind: {dict(kinds)}")
    samples = sorted({(m.kind, m.text) for ms in found for m in ms})[:8]
    print(f"  samples: {samples}")

    big = "\n".join(lines)[:1_000_000]
    t = time.process_time()
    det.find(big)
    print(f"one 1 MB string of the corpus: {time.process_time() - t:.3f} s")
    for name, text in pathological().items():
        t = time.process_time()
        n = len(det.find(text))
        print(f"{name}: {time.process_time() - t:.2f} s ({n} spans)")
    dev_figures(det)


if __name__ == "__main__":
    main()
