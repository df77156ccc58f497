"""Cost of the co-occurrence rules (filters/combos.py): compile time, memory, and CPU per text.

Figures (CPU time of this process, on the mixed COLD + English-prose corpus of benchmarks/corpus.py):
- compiling the shipped rule files, and loading them compiled from filters/combo_cache.py (what a
  `kidsafe check` start-up pays);
- the rules' own cost per text when the engine has already built the fold view (the marginal cost);
- the whole filter without the model, with the rules and with them switched off (an empty rule set),
  so the difference is what the rules add to `kidsafe check --no-model`; then the same with the
  model on (the user default), on the first 300,000 characters, batched as `kidsafe check` does.
Run: `python -m benchmarks.run_all bench_combos` (or `python -m benchmarks.bench_combos`).
"""

from __future__ import annotations

import tempfile
import time
import tracemalloc
from pathlib import Path

from benchmarks.corpus import mixed_corpus
from benchmarks.figures import figure
from filters import combo_cache
from filters.combo_rules import COMBOS_DIR, read_dir
from filters.combos import ComboMatcher
from filters.engine import TextFilter
from filters.normalize import Views

CORPUS_CHARS = 1_000_000
MODEL_CHARS = 300_000  # the model-on comparison reads this much of the corpus
MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "kidsafe_text_int8.tflite"


def _cpu(fn, *args) -> float:  # noqa: ANN001
    t = time.process_time()
    fn(*args)
    return time.process_time() - t


def main() -> None:
    tf = TextFilter.load()
    norm, seg = tf.normalizer, tf.segmenter
    t = time.process_time()
    combos = ComboMatcher(read_dir(COMBOS_DIR), norm, seg)
    load_ms = (time.process_time() - t) * 1000
    tracemalloc.start()
    ComboMatcher(read_dir(COMBOS_DIR), norm, seg)
    size, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    figure("combo rules: compile shipped rules (CPU)", load_ms, "ms")
    with tempfile.TemporaryDirectory() as cache:  # what a start-up pays with the compiled-rules cache
        def cached_load() -> None:
            combo_cache.load_matcher(normalizer=norm, segmenter=seg, directory=Path(cache))

        cached_load()
        cached = min(_cpu(cached_load) for _ in range(5))
    figure("combo rules: load compiled rules from the cache (CPU, start-up)", cached * 1000, "ms")
    figure("combo rules: compiled size (traced)", size / 1e6, "MB")
    print(f"rules: {len(combos.rules)}, automaton keys: {len(combos._keys)}")

    lines = mixed_corpus(CORPUS_CHARS)
    chars = sum(len(x) for x in lines)
    fired = 0

    def fresh_views() -> list[Views]:
        views = [Views(x, norm) for x in lines]
        for v in views:
            v.fold  # noqa: B018 - built by the matcher in the engine anyway; measured apart
        return views

    def scan(views: list[Views]) -> None:
        nonlocal fired
        fired = sum(bool(combos.find(v)) for v in views)

    secs = min(_cpu(scan, fresh_views()) for _ in range(3))
    figure("combo rules alone, fold view given (CPU)", secs / len(lines) * 1e6, "µs/line")
    figure("combo rules alone, throughput (CPU)", chars / secs / 1e6, "M chars/s")
    print(f"{len(lines)} lines, {chars} chars; a rule fired on {fired} lines")

    off = ComboMatcher((), norm, seg)

    def whole() -> None:
        for x in lines:
            tf.check(x)

    with_rules, without = [], []
    for _ in range(3):  # alternate, so a change in the machine's load hits both alike
        tf.combos = combos
        with_rules.append(_cpu(whole))
        tf.combos = off
        without.append(_cpu(whole))
    tf.combos = combos
    with_rules, without = min(with_rules), min(without)
    figure("filter --no-model with combo rules (CPU)", chars / with_rules / 1e6, "M chars/s")
    figure("filter --no-model, combo rules off (CPU)", chars / without / 1e6, "M chars/s")
    figure("combo rules' share of --no-model CPU (with - off)", 100 * (with_rules - without) / with_rules, "%")
    timed = _Timed(combos)
    tf.combos = timed  # type: ignore[assignment]
    total = _cpu(whole)
    tf.combos = combos
    figure("combo rules' share of --no-model CPU (timed inside)", 100 * timed.cpu / total, "%")
    model_share(lines[: len(lines) * MODEL_CHARS // CORPUS_CHARS])


class _Timed:
    """The engine's rules, with the CPU time spent inside them added up (same run as the total, so a
    change in the machine's load hits both alike)."""

    def __init__(self, inner: ComboMatcher) -> None:
        self.inner, self.cpu = inner, 0.0

    def reasons(self, views: Views, policy: object) -> list:
        t = time.process_time()
        try:
            return self.inner.reasons(views, policy)  # type: ignore[arg-type]
        finally:
            self.cpu += time.process_time() - t


def model_share(lines: list[str]) -> None:
    """The rules' share of the whole filter's CPU with the user default: the classifier on."""
    if not MODEL_PATH.exists():
        print(f"(no model at {MODEL_PATH}: model-on figures skipped)")
        return
    tf = TextFilter.load(model_path=MODEL_PATH)
    timed = _Timed(tf.combos)
    tf.combos = timed  # type: ignore[assignment]
    tf.check_many(lines[:200])  # warm up
    timed.cpu = 0.0
    total = _cpu(tf.check_many, lines)
    chars = sum(len(x) for x in lines)
    figure("filter, model on, with combo rules (CPU)", chars / total / 1e6, "M chars/s")
    figure("combo rules' share of model-on CPU (timed inside)", 100 * timed.cpu / total, "%")


if __name__ == "__main__":
    main()
