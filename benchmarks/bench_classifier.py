"""The classifier path of `kidsafe check` (model on, the default), one core, CPU time; asserts nothing.

Prints, on the realistic mixed lines of benchmarks/corpus.py (the lines bench_filters measures):
- the model file (size, int8) and its load: CPU ms of TextClassifier.load, VmRSS before and after;
- featurizer µs per line: the per-window reference (`Featurizer.featurize`, one numpy pass per
  window) against the batched pass `featurize_many` (512 lines a call, as the CLI batches them),
  and whether they give identical ids;
- the optional pinyin-syllable namespace: its table's build, featurize_many and a 200-character text with
  it on against off;
- model µs per window: invoked 256 ids wide in groups of 256 (the export's input) against the
  groups predict_many sends (sorted by id count, each only as wide as its largest count);
- predict_many per line and in M chars/s (featurizer + invokes + the wrapper), 512 lines a call;
- predict(text) one text a call, CPU p50/p99 (each text's best of 3 calls): 200-character texts
  (the issue's latency case) and the device's short queries (up to 24 characters).
Run: `python -m benchmarks.run_all bench_classifier` (part of `make bench`).
"""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import numpy as np

from benchmarks.corpus import mixed_corpus
from benchmarks.figures import best_cpu, figure, machine
from filters.classifier import TextClassifier
from filters.features import MAX_FEATURES, Featurizer
from models import LABELS_PATH, MODEL_PATH

BATCH_LINES = 512  # filters/check_cli.BATCH_LINES: lines per check_many call of the CLI
CORPUS_CHARS = 600_000


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return -1


def percentiles(fn, texts: list[str], rounds: int = 3) -> tuple[float, float]:
    """CPU µs p50 and p99 over texts of fn(text), one text a call; each text's cost is its smallest of
    `rounds` calls (on the shared machine one call is often preempted or slowed by a neighbour)."""
    for text in texts[:50]:
        fn(text)
    spent = [float("inf")] * len(texts)
    for _ in range(rounds):
        for i, text in enumerate(texts):
            t = time.thread_time()
            fn(text)
            spent[i] = min(spent[i], (time.thread_time() - t) * 1e6)
    return float(np.percentile(spent, 50)), float(np.percentile(spent, 99))


def load_figures() -> TextClassifier:
    before = rss_kib()
    t = time.process_time()
    clf = TextClassifier.load(MODEL_PATH, LABELS_PATH)
    load_ms = (time.process_time() - t) * 1e3
    size = MODEL_PATH.stat().st_size
    print(f"model {MODEL_PATH.name}: {size:,} bytes, int8; load {load_ms:.0f} ms CPU; "
          f"VmRSS {before / 1024:.1f} -> {rss_kib() / 1024:.1f} MiB")
    figure("classifier model file", size / 1024, "KiB", "<= 2048")
    figure("classifier load (TextClassifier.load), CPU", load_ms, "ms")
    return clf


def featurizer_figures(feat: Featurizer, lines: list[str]) -> None:
    chunks = [lines[i : i + BATCH_LINES] for i in range(0, len(lines), BATCH_LINES)]
    ref = best_cpu(lambda: [feat.featurize(x) for x in lines], 1)
    batched = best_cpu(lambda: [feat.featurize_many(c) for c in chunks])
    same = np.array_equal(np.stack([ids for x in lines for ids, _ in feat.featurize(x)]),
                          np.concatenate([feat.featurize_many(c).ids for c in chunks]))
    n = len(lines)
    print(f"featurizer: per-window reference {ref / n * 1e6:.1f} µs/line, featurize_many {batched / n * 1e6:.1f} "
          f"µs/line (x{ref / batched:.1f}); identical ids: {same}")
    figure("classifier featurizer, featurize_many, CPU", batched / n * 1e6, "us/line")


def pinyin_figures(feat: Featurizer, lines: list[str]) -> None:
    """What the optional pinyin-syllable namespace (a model trained with PINYIN_SYLLABLES) costs: building
    its table once per process, and featurize_many / one 200-character text with it on against off."""
    from filters.feature_pinyin import SyllableTable

    t = time.process_time()
    table = SyllableTable()
    build_ms = (time.process_time() - t) * 1e3
    on = Featurizer(pinyin=True, syllables=table)
    chunks = [lines[i : i + BATCH_LINES] for i in range(0, len(lines), BATCH_LINES)]
    for f in (feat, on):  # warm the word cache and the first-occurrence table
        f.featurize_many(chunks[0])
    off_s = best_cpu(lambda: [feat.featurize_many(c) for c in chunks])
    on_s = best_cpu(lambda: [on.featurize_many(c) for c in chunks])
    n = len(lines)
    long_texts = ["".join(lines)[i * 200 : (i + 1) * 200] for i in range(300)]
    one_off = best_cpu(lambda: [feat.featurize_many([x]) for x in long_texts]) / len(long_texts)
    one_on = best_cpu(lambda: [on.featurize_many([x]) for x in long_texts]) / len(long_texts)
    print(f"pinyin syllables: table {build_ms:.0f} ms CPU once; featurize_many {off_s / n * 1e6:.1f} -> "
          f"{on_s / n * 1e6:.1f} µs/line (+{(on_s - off_s) / n * 1e6:.1f}); one 200-char text "
          f"{one_off * 1e6:.0f} -> {one_on * 1e6:.0f} µs")
    figure("classifier featurizer with pinyin syllables, featurize_many, CPU", on_s / n * 1e6, "us/line")
    figure("classifier pinyin syllable table build, CPU", build_ms, "ms")


def invoke_figures(clf: TextClassifier, feat: Featurizer, lines: list[str]) -> None:
    batch = feat.featurize_many(lines)
    slots, counts = batch.slots(), batch.counts
    order = np.argsort(counts, kind="stable")
    step = clf.MAX_BATCH

    def full() -> None:
        for start in range(0, len(counts), step):
            clf._invoke(np.ascontiguousarray(slots[start : start + step]), counts[start : start + step])

    def trimmed() -> None:
        for start in range(0, len(counts), step):
            rows = order[start : start + step]
            width = min(MAX_FEATURES, -(-int(counts[rows[-1]]) // clf.WIDTH_STEP) * clf.WIDTH_STEP)
            clf._invoke(np.ascontiguousarray(slots[rows, :width]), counts[rows])

    with clf._lock:
        clf._ensure_interpreter()
        wide = best_cpu(full)
        narrow = best_cpu(trimmed) if hasattr(clf, "WIDTH_STEP") else float("nan")  # an older commit: 256 only
    w = len(counts)
    print(f"model invoke: {w} windows ({counts.mean():.0f} ids on average), 256 ids wide "
          f"{wide / w * 1e6:.1f} µs/window, sorted + trimmed {narrow / w * 1e6:.1f} µs/window")
    figure("classifier invoke, sorted + trimmed groups, CPU", narrow / w * 1e6, "us/window")


def main() -> None:
    cores = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(cores)})
    try:
        run()
    finally:
        os.sched_setaffinity(0, cores)


def run() -> None:
    print("== classifier path (model on = the default), one core, CPU time ==")
    clf = load_figures()
    feat = Featurizer()
    lines = mixed_corpus(CORPUS_CHARS)
    chars = sum(map(len, lines))
    print(f"corpus: {len(lines)} mixed lines, {chars / len(lines):.0f} chars/line")
    featurizer_figures(feat, lines)
    pinyin_figures(feat, lines)
    invoke_figures(clf, feat, lines)
    chunks = [lines[i : i + BATCH_LINES] for i in range(0, len(lines), BATCH_LINES)]
    spent = best_cpu(lambda: [clf.predict_many(c) for c in chunks])
    print(f"predict_many, {BATCH_LINES} lines a call: {spent / len(lines) * 1e6:.1f} µs/line, "
          f"{chars / spent / 1e6:.2f} M chars/s")
    figure("classifier predict_many, mixed lines, CPU", chars / spent / 1e6, "M chars/s")
    figure("classifier predict_many, mixed lines, CPU", spent / len(lines) * 1e6, "us/line")
    rng = random.Random(5)
    joined = "".join(lines)
    long_texts = [joined[i : i + 200] for i in (rng.randrange(0, len(joined) - 200) for _ in range(1000))]
    short = [x[: rng.randrange(4, 25)] for x in lines[:1000]]
    for label, texts in (("200-char text", long_texts), ("short query", short)):
        p50, p99 = percentiles(clf.predict, texts)
        print(f"predict, {label}: CPU p50 {p50:.0f} µs, p99 {p99:.0f} µs")
        figure(f"classifier predict, {label}, CPU p50", p50, "us")
        figure(f"classifier predict, {label}, CPU p99", p99, "us")
    print(f"machine: {machine()}")


if __name__ == "__main__":
    main()
