"""Benchmark of the on-device classifier, one core: featurizer, invoke, per-text latency, size, memory.

Prints
- featurizer µs per text: the per-window reference (`Featurizer.featurize`, the old path) against the
  batched numpy pass (`featurize_many`, 512 texts a call), and checks they give identical ids;
- invoke µs per window at batch 1, 8, 64 and 256 (one invoke per batch, the dynamic batch dimension);
- per-text latency p50/p99 of `predict(text)` (featurize + one invoke) and the per-text cost of
  `predict_many` over 512-text batches (the CLI's and engine.check_many's path);
- the model file size and the process's VmRSS before and after loading the model.
Texts: the shared dev set, COLD dev and the held-out corpus split when present, else built-in
samples. Run: `python -m benchmarks.run_all bench_model` (part of `make bench`). Asserts nothing.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import numpy as np

from filters.classifier import TextClassifier
from filters.features import MAX_FEATURES, Featurizer
from models import LABELS_PATH, MODEL_PATH

REPO = Path(__file__).resolve().parent.parent
DEV_EVAL = REPO.parent / "shared" / "eval" / "dev.jsonl"
SAMPLES = ("恐龙是怎么灭绝的", "哥哥给你买皮肤，你发张自拍来", "how do volcanoes erupt", "你这种人活着有什么意思",
           "扫码领免费皮肤 需要爸妈的支付密码", "写一首关于秋天的诗")
BATCH_TEXTS = 512
INVOKE_BATCHES = (1, 8, 64, 256)


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
        from models.dataset import cold_rows, corpus_rows

        out += [r["text"] for r in list(cold_rows("dev"))[:2000]]
        out += [r["text"] for r in corpus_rows("heldout")[:2000]]
    except (OSError, ValueError):
        pass
    return out or list(SAMPLES)


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q)) * 1e3


def best_of(rounds: int, fn) -> float:
    """Smallest CPU time of `rounds` runs of fn() (the machine is shared: the minimum is the cost)."""
    best = float("inf")
    for _ in range(rounds):
        t = time.process_time()
        fn()
        best = min(best, time.process_time() - t)
    return best


def main() -> None:
    cores = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(cores)})  # one core; restored below for the other benchmarks
    try:
        run()
    finally:
        os.sched_setaffinity(0, cores)


def featurizer_figures(feat: Featurizer, corpus: list[str]) -> None:
    chunks = [corpus[i : i + BATCH_TEXTS] for i in range(0, len(corpus), BATCH_TEXTS)]
    old = best_of(2, lambda: [feat.featurize(t) for t in corpus])
    new = best_of(2, lambda: [feat.featurize_many(c) for c in chunks])
    ref = [packed for t in corpus for packed in feat.featurize(t)]
    batches = [feat.featurize_many(c) for c in chunks]
    same = np.array_equal(np.stack([ids for ids, _ in ref]), np.concatenate([b.ids for b in batches]))
    n = len(corpus)
    print(f"  featurizer: per-window reference {old / n * 1e6:.1f} µs/text, batched {new / n * 1e6:.1f} µs/text "
          f"(x{old / new:.1f}; {sum(len(b.counts) for b in batches)} windows, identical ids: {same})")


def invoke_figures(clf: TextClassifier, feat: Featurizer, corpus: list[str]) -> None:
    batch = feat.featurize_many(corpus[: max(INVOKE_BATCHES)])
    slots, counts = batch.slots(), batch.counts
    parts = []
    for size in INVOKE_BATCHES:
        rows, n = slots[:size], counts[:size]
        with clf._lock:
            clf._invoke(rows, n)  # resize once outside the timing
            reps = max(1, 2048 // size)
            cpu = best_of(3, lambda rows=rows, n=n, reps=reps: [clf._invoke(rows, n) for _ in range(reps)])
        parts.append(f"batch {size}: {cpu / reps / len(rows) * 1e6:.1f}")
    print(f"  invoke µs per window ({MAX_FEATURES} ids): " + ", ".join(parts))


def run() -> None:
    rss_before = rss_kib()
    clf = TextClassifier.load(MODEL_PATH, LABELS_PATH)
    rss_after = rss_kib()
    feat = Featurizer()
    corpus = texts()
    print(f"classifier model: {MODEL_PATH.name}, {MODEL_PATH.stat().st_size / 1024:.0f} KiB "
          f"({MODEL_PATH.stat().st_size:,} bytes), {len(corpus)} texts "
          f"({sum(map(len, corpus)) / len(corpus):.0f} chars on average), one core, CPU time")
    featurizer_figures(feat, corpus)
    invoke_figures(clf, feat, corpus)
    for t in corpus[:200]:  # warm-up
        clf.predict(t)
    single: list[float] = []
    for t in corpus:
        t0 = time.process_time()
        clf.predict(t)
        single.append(time.process_time() - t0)
    chunks = [corpus[i : i + BATCH_TEXTS] for i in range(0, len(corpus), BATCH_TEXTS)]
    batched = best_of(2, lambda: [clf.predict_many(c) for c in chunks])
    print(f"  predict(text), one text a call: p50 {pct(single, 50):.3f} ms  p99 {pct(single, 99):.3f} ms  "
          f"mean {np.mean(single) * 1e6:.0f} µs")
    print(f"  predict_many, {BATCH_TEXTS} texts a call: {batched / len(corpus) * 1e6:.0f} µs per text "
          f"({len(corpus) * sum(map(len, corpus)) / len(corpus) / batched / 1e6:.2f} M chars/s)")
    print(f"  process VmRSS: {rss_before / 1024:.1f} MiB before load, {rss_after / 1024:.1f} MiB with model "
          f"(+{(rss_after - rss_before) / 1024:.1f} MiB)")


if __name__ == "__main__":
    main()
