"""Benchmark of the on-device classifier: featurize and invoke time per text, size, resident memory.

Prints p50/p99 per text of the featurizer (filters/features.py) and of the int8 interpreter
(filters/classifier.py) separately and together, on one core (the interpreter uses one thread),
plus the model file size and the process's VmRSS before and after loading the model.
Texts: the shared dev set and the held-out corpus split when present, else built-in samples.
Asserts nothing about time.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import numpy as np

from filters.classifier import TextClassifier
from filters.features import Featurizer
from models import LABELS_PATH, MODEL_PATH

REPO = Path(__file__).resolve().parent.parent
DEV_EVAL = REPO.parent / "shared" / "eval" / "dev.jsonl"
SAMPLES = ("恐龙是怎么灭绝的", "哥哥给你买皮肤，你发张自拍来", "how do volcanoes erupt", "你这种人活着有什么意思",
           "扫码领免费皮肤 需要爸妈的支付密码", "写一首关于秋天的诗")
ROUNDS = 5


def rss_kib() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return -1


def texts() -> list[str]:
    out: list[str] = []
    if DEV_EVAL.exists():
        out += [json.loads(line)["text"] for line in DEV_EVAL.read_text(encoding="utf-8").splitlines() if line.strip()]
    try:
        from models.dataset import corpus_rows

        out += [r["text"] for r in corpus_rows("heldout")[:2000]]
    except (OSError, ValueError):
        pass
    return out or list(SAMPLES)


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q)) * 1e3


def main() -> None:
    cores = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(cores)})  # one core; restored below for the other benchmarks
    try:
        run()
    finally:
        os.sched_setaffinity(0, cores)


def run() -> None:
    rss_before = rss_kib()
    clf = TextClassifier.load(MODEL_PATH, LABELS_PATH)
    rss_after = rss_kib()
    feat = Featurizer()
    corpus = texts()
    for t in corpus[:200]:  # warm-up
        clf.predict_packed(feat.featurize(t))
    f_times: list[float] = []
    i_times: list[float] = []
    for _ in range(ROUNDS):
        for t in corpus:
            t0 = time.perf_counter()
            packed = feat.featurize(t)
            t1 = time.perf_counter()
            clf.predict_packed(packed)
            t2 = time.perf_counter()
            f_times.append(t1 - t0)
            i_times.append(t2 - t1)
    total = [a + b for a, b in zip(f_times, i_times, strict=True)]
    print(f"classifier model: {MODEL_PATH.name}, {MODEL_PATH.stat().st_size / 1024:.0f} KiB, "
          f"{len(corpus)} texts x {ROUNDS} rounds, one core")
    for name, vals in (("featurize", f_times), ("invoke", i_times), ("featurize+invoke", total)):
        print(f"  {name:<17} p50 {pct(vals, 50):.3f} ms  p99 {pct(vals, 99):.3f} ms")
    print(f"  process VmRSS: {rss_before / 1024:.1f} MiB before load, {rss_after / 1024:.1f} MiB with model "
          f"(+{(rss_after - rss_before) / 1024:.1f} MiB)")


if __name__ == "__main__":
    main()
