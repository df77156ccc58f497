"""`kidsafe check` speed and memory, model ON (the user's default) as the headline; asserts nothing.

Prints, on one pinned core, for realistic mixed lines (COLD comments + English prose, see
benchmarks/corpus.py) with the shipped lexicon padded with synthetic terms to --terms (50,000: the
grown lexicon's size; no padding once the shipped packs are that large):
- throughput of the engine as the CLI drives it (check_many in batches + the JSON lines), model on
  and model off, in M chars/s of CPU time after start-up;
- a bare pyahocorasick per-line scan of the same lines with the same terms (no normalisation, no
  vetoes, no model), measured in the same run, and the ratio pipeline / bare scan;
- per-stage µs per line (views, matching, co-occurrence rules, second readings, screening = all these +
  evidence + units, featurizer, model invoke, fusion + PII, JSON);
- p50/p99 for 200-character texts, model on and off, and model on per stage (word lists, model, decision);
- the `kidsafe check` command itself: start-up to first verdict (and its phases: imports, packs,
  tables, matcher cache, classifier, first verdict), its CPU throughput over the corpus from a file
  (minus start-up), and its resident memory.
Run: `make bench` (all benchmarks) or `python -m benchmarks.bench_filters [--mb 2] [--terms 50000]`.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path

import ahocorasick

from benchmarks.corpus import cold_source, mixed_corpus, scale_lexicon
from benchmarks.figures import best_cpu, figure, machine
from filters import readings
from filters.check_cli import BATCH_LINES, CHECK_GC_THRESHOLD, verdict_line
from filters.engine import TextFilter
from filters.fusion import text_units
from filters.lexicon import load_packs
from filters.normalize import Views
from filters.policy import DEFAULT_POLICY

REPO = Path(__file__).resolve().parent.parent
MODEL = REPO / "models" / "kidsafe_text_int8.tflite"


def rss_mb(pid: int | str = "self", key: str = "VmRSS") -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def installed_env() -> dict[str, str]:
    """The environment of a measured `kidsafe` process, as on a device: an installed package has its
    bytecode compiled (pip, compileall), so a start-up never compiles sources. Without
    PYTHONDONTWRITEBYTECODE the first (discarded) run writes the bytecode of modules edited since."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def pin_one_core() -> int:
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return cpu


def as_cli(tf: TextFilter, lines: list[str]) -> None:
    """What `kidsafe check` does per batch: check_many, then one JSON line per verdict."""
    for i in range(0, len(lines), BATCH_LINES):
        "".join(verdict_line(v) + "\n" for v in tf.check_many(lines[i : i + BATCH_LINES]))


def bare_scan(terms: list[str], lines: list[str]) -> float:
    auto = ahocorasick.Automaton()
    for t in terms:
        auto.add_word(t.lower(), t)
    auto.make_automaton()

    def scan() -> None:
        for line in lines:
            for _ in auto.iter(line.lower()):
                pass

    return best_cpu(scan, 2)


def per_stage(tf: TextFilter, lines: list[str]) -> list[tuple[str, float]]:
    """Average µs per line of each stage, timed stage by stage over the whole corpus."""
    n = len(lines)
    norm, matcher = tf.normalizer, tf._lexicon.matcher
    out: list[tuple[str, float]] = []

    def timed(name: str, fn) -> object:
        gc.collect()
        t = time.process_time()
        result = fn()
        out.append((name, (time.process_time() - t) * 1e6 / n))
        return result

    views = [Views(x, norm) for x in lines]
    chunks = [views[i : i + BATCH_LINES] for i in range(0, n, BATCH_LINES)]  # as check_many gets them
    timed("views: fold string", lambda: [v.fold for v in views])
    timed("matcher: scan + vetoes (+ exact view on a match)", lambda: [matcher.find_many(c) for c in chunks])
    timed("  rules: co-occurrence cues (views built)", lambda: [tf.combos.reasons(v, DEFAULT_POLICY) for v in views])
    read = timed("  readings: emoji / misspelt English read (screen)", lambda: [readings.read(x) for x in lines])
    print(f"  texts with a second reading (screened twice): {sum(r is not None for r in read)} of {n}")
    line_batches = [lines[i : i + BATCH_LINES] for i in range(0, n, BATCH_LINES)]
    screened = timed("screen: views + matching + rules + evidence + units",
                     lambda: [s for b in line_batches for s in tf._screen_many(matcher, b, DEFAULT_POLICY)])
    asked = [s.text for s in screened if s.units is not None]
    print(f"  model asked for {len(asked)} of {n} lines ({100 * (1 - len(asked) / n):.1f}% skipped: "
          "too short to judge and no word-list evidence)")
    clf = tf.classifier
    feat = getattr(clf, "_featurizer", None)
    batches = [asked[i : i + BATCH_LINES] for i in range(0, len(asked), BATCH_LINES)]
    if feat is not None and hasattr(feat, "featurize_many"):
        timed("model: featurizer (featurize_many, per line of all)", lambda: [feat.featurize_many(b) for b in batches])
    timed("model: predict_many (featurizer + invoke + wrapper)", lambda: [tf._predict_many(b) for b in batches])
    for s in screened:
        if s.units is not None:
            s.scores = {label: 0.0 for label in clf.labels}
    verdicts = timed("decide: fusion + PII + verdict", lambda: [tf._decide(s, DEFAULT_POLICY) for s in screened])
    timed("  of which PII find", lambda: [tf.pii.find(x) for x in lines])
    timed("  of which text_units", lambda: [text_units(x) for x in lines])
    timed("JSON line", lambda: [verdict_line(v) for v in verdicts])
    return out


def latency(tf: TextFilter, texts: list[str]) -> tuple[float, float, float, float]:
    """p50/p99 wall and p50/p99 CPU µs of check() (CPU excludes waits for a core shared with others)."""
    for x in texts[:50]:
        tf.check(x)
    wall, cpu = [], []
    for x in texts:
        t0, c0 = time.perf_counter(), time.thread_time()
        tf.check(x)
        cpu.append((time.thread_time() - c0) * 1e6)
        wall.append((time.perf_counter() - t0) * 1e6)
    wall.sort()
    cpu.sort()
    p99 = int(len(wall) * 0.99)
    return statistics.median(wall), wall[p99], statistics.median(cpu), cpu[p99]


def latency_stages(tf: TextFilter, texts: list[str]) -> None:
    """Where a 200-character check's CPU goes, p50 and p99 per stage (the p99 texts are not the same
    in each stage): word lists (views, matching, vetoes, rules), model (featurizer + invoke, only
    texts the model is asked about), decision (fusion, PII, the verdict)."""
    matcher = tf._lexicon.matcher
    spent: dict[str, list[float]] = {"word lists": [], "model": [], "decision": []}
    clock = time.thread_time
    for x in texts:
        t0 = clock()
        s = tf._screen(matcher, x, DEFAULT_POLICY)
        t1 = clock()
        if s.units is not None:
            s.scores = tf._predict_many([x])[0]
            spent["model"].append((clock() - t1) * 1e6)
        t2 = clock()
        tf._decide(s, DEFAULT_POLICY)
        spent["word lists"].append((t1 - t0) * 1e6)
        spent["decision"].append((clock() - t2) * 1e6)
    for stage, us in spent.items():
        us.sort()
        p50, p99 = statistics.median(us), us[int(len(us) * 0.99)]
        print(f"  200-char model on, {stage}: CPU p50 {p50:.0f} us, p99 {p99:.0f} us ({len(us)} texts)")
        figure(f"200-char text, model on, {stage}, CPU p99", p99, "us")


def decoded_rescans(tf: TextFilter, texts: list[str]) -> None:
    """How often the matcher rescans a text after decoding disguised-looking tokens (p0rn, x00, ipv4):
    filters/decoded_gate.py skips the rescan when no decoded word can be part of a match."""
    from filters import matcher_decoded
    from filters.disguise import apply, token_hint
    from filters.normalize import has_latin

    matcher = tf._lexicon.matcher
    decoding = rescanned = 0
    for x in texts:
        views = Views(x, matcher.norm)
        if not (has_latin(views.fold) and token_hint(x)):
            continue
        choices = matcher.disguises.token_choices(views.token)
        if not choices:
            continue
        decoding += 1
        reps = matcher_decoded.reading(choices, 0)
        decoded = matcher.norm.fold_text(x, apply(views.token, reps), clean=True)
        several = max(len(c[2]) for c in choices) > 1  # several readings: each is scanned
        rescanned += several or not matcher_decoded.cannot_match(matcher, views, decoded, reps)
    print(f"  200-char texts with decoded tokens: {decoding} of {len(texts)}; rescanned after decoding: {rescanned} "
          "(the others cannot hold a match in a decoded word: filters/decoded_gate.py)")
    figure("200-char texts rescanned after decoding disguised tokens", rescanned, "texts of 2000")


def cli_throughput(lines: list[str], cpu: int, extra: list[str]) -> None:
    """CPU seconds of `kidsafe check < corpus` minus those of `kidsafe check < /dev/null` (start-up)."""
    import resource

    cmd = ["taskset", "-c", str(cpu), sys.executable, "-m", "kidsafe", "check", *extra]
    chars = sum(len(x) for x in lines)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt") as fh:
        fh.write("\n".join(lines) + "\n")
        fh.flush()
        best: dict[str, float] = {}
        for _ in range(2):  # best of two: a loaded machine's CPU figures vary too
            for path in (os.devnull, fh.name):  # start-up alone, then start-up + the corpus
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                with open(path, "rb") as src:
                    subprocess.run(cmd, stdin=src, stdout=subprocess.DEVNULL, cwd=REPO, check=True, env=installed_env())
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                used = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
                best[path] = min(best.get(path, used), used)
        spent = [best[os.devnull], best[fh.name]]
    work = spent[1] - spent[0]
    figure("`kidsafe check` < file, model on, CPU after start-up", chars / work / 1e6, "M chars/s", ">= 2")
    print(f"`kidsafe check --packs (same lexicon)` < file, model on: {chars / work / 1e6:.2f} M chars/s of CPU "
          "after start-up "
          f"({work:.1f} s for {chars / 1e6:.2f} M chars); start-up + exit with no input: {spent[0]:.2f} s CPU "
          "(wall above includes waiting for a shared core)")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mb", type=float, default=2.0, help="corpus size in millions of characters")
    ap.add_argument("--terms", type=int, default=50_000, help="lexicon size (shipped packs + synthetic filler)")
    args = ap.parse_args(argv)
    warnings.simplefilter("ignore")
    print("== filters: kidsafe check pipeline (model on = the default) ==")
    cpu = pin_one_core()
    print(f"pinned to CPU {cpu}; CPU time of this process, best of the rounds shown")
    shipped = sum(len(p.entries) for p in load_packs())
    packs, synthetic = scale_lexicon(args.terms)
    t = time.perf_counter()
    on = TextFilter(packs, classifier=TextFilter.load(model_path=MODEL).classifier)
    print(f"lexicon: {shipped} shipped terms + {synthetic} synthetic = {shipped + synthetic}; "
          f"engine with matcher built in {time.perf_counter() - t:.2f} s; "
          f"{on._lexicon.matcher.key_count} automaton keys; RSS {rss_mb():.0f} MB")
    off = TextFilter(packs)
    lines = mixed_corpus(int(args.mb * 1_000_000))
    chars = sum(len(x) for x in lines)
    print(f"corpus: {len(lines)} lines, {chars / 1e6:.1f} M chars, {chars / len(lines):.0f} chars/line "
          f"(zh 60% / stdlib-docs en 40%); zh: {cold_source()}")

    # as `kidsafe check` does once loaded (filters/check_cli.py): the collector no longer walks the engines'
    # million long-lived objects in every full collection of the checking loop
    gc.collect()
    gc.freeze()
    gc.set_threshold(*CHECK_GC_THRESHOLD)
    dt_on = best_cpu(lambda: as_cli(on, lines), 2)  # best of two, as model off: the first round also warms caches
    dt_off = best_cpu(lambda: as_cli(off, lines), 2)
    floor = bare_scan([e.term for p in packs for e in p.entries], lines)
    print(f"HEADLINE model on  (check_many + JSON): {chars / dt_on / 1e6:6.2f} M chars/s  "
          f"({dt_on * 1e6 / len(lines):.0f} us/line)")
    print(f"         model off (check_many + JSON): {chars / dt_off / 1e6:6.2f} M chars/s  "
          f"({dt_off * 1e6 / len(lines):.0f} us/line)")
    print(f"         bare pyahocorasick per-line scan, same {shipped + synthetic} terms: "
          f"{chars / floor / 1e6:6.2f} M chars/s")
    print(f"         ratio to the bare scan: model on {dt_on / floor:.1f}x, model off {dt_off / floor:.1f}x "
          "(target <= 4x)")
    figure("check model on, engine + JSON, CPU", chars / dt_on / 1e6, "M chars/s", ">= 2")
    figure("check model off, engine + JSON, CPU", chars / dt_off / 1e6, "M chars/s")
    figure(f"bare pyahocorasick per-line scan, {shipped + synthetic} terms", chars / floor / 1e6, "M chars/s")
    figure("model on / bare scan", dt_on / floor, "x", "<= 4")
    figure("model off / bare scan", dt_off / floor, "x")

    print("per-stage us per line, model on:")
    for name, us in per_stage(on, lines):
        print(f"  {name:<48} {us:8.1f}")
        figure(f"stage: {name.strip()}", us, "us/line")

    rng = random.Random(5)
    joined = "".join(lines)
    texts = [joined[i : i + 200] for i in (rng.randrange(0, len(joined) - 200) for _ in range(2000))]
    for label, tf in (("model on ", on), ("model off", off)):
        p50, p99, c50, c99 = latency(tf, texts)
        print(f"200-char text, {label}: CPU p50 {c50:.0f} us, p99 {c99:.0f} us; wall p50 {p50:.0f} us, "
              f"p99 {p99:.0f} us (target p99 <= 1000 us model on)")
        target = "<= 1000" if label.strip() == "model on" else ""
        figure(f"200-char text, {label.strip()}, CPU p50", c50, "us")
        figure(f"200-char text, {label.strip()}, CPU p99", c99, "us", target)
        figure(f"200-char text, {label.strip()}, wall p99", p99, "us", target)
    latency_stages(on, texts)
    decoded_rescans(on, texts)
    print(f"RSS of this process: {rss_mb():.0f} MB (two engines, corpus in memory)")
    gc.collect()
    with tempfile.TemporaryDirectory() as packs_dir, tempfile.TemporaryDirectory() as cache:
        write_packs(packs, Path(packs_dir))
        os.environ["KIDSAFE_CACHE_DIR"] = cache  # a fresh cache: the first start-up builds it
        first = next(x for x in lines if text_units(x) >= 12)  # a line the model must score
        for label, extra in (("shipped packs", []), (f"{shipped + synthetic}-term packs", ["--packs", packs_dir])):
            cli_startup(lines, cpu, extra, label, first)
        startup_phases(first, cpu)
        cli_throughput(lines[: max(1, len(lines) // 2)], cpu, ["--packs", packs_dir])
    print(f"machine: {machine()}")


def _feed(pipe, lines: list[str]) -> None:
    pipe.write(("\n".join(lines) + "\n").encode())
    pipe.flush()


def write_packs(packs: list, directory: Path) -> None:
    """The packs as pack files (schema 1), for `kidsafe check --packs`."""
    for p in packs:
        if not p.entries:  # no synthetic filler once the shipped packs reach --terms; an empty pack is refused
            continue
        doc = {"schema": 1, "pack": p.name, "version": p.version, "entries": [
            {"term": e.term, "category": e.category, "severity": e.severity, "match": e.match,
             "homophones": e.homophones, "allow": list(e.allow)} for e in p.entries]}
        (directory / f"{p.name}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


# What `kidsafe check` does before its first verdict, phase by phase, in a fresh process (CPU seconds).
_PHASES = r"""
import sys, time
t = time.process_time
marks = [("interpreter + site", t())]
import gc
gc.disable()  # as filters/check_cli.run, from before the engine's imports to the first verdict
from filters.check_cli import CHECK_GC_THRESHOLD, run  # noqa: F401
from filters.lazy_numpy import import_numpy
import_numpy()  # as check_cli.run: numpy without the subpackages the classifier never uses
marks.append(("imports: check_cli, numpy (unused subpackages deferred)", t()))
import filters.engine as E
marks.append(("imports (engine, matcher, PII modules)", t()))
packs = E.load_packs(E.PACKS_DIR)
marks.append(("word packs (parse cache)", t()))
from models import MODEL_PATH
classifier, _ = E.load_classifier(MODEL_PATH)  # before the engine, as TextFilter.load
marks.append(("classifier (TFLite, model, normaliser tables)", t()))
tf = E.TextFilter(packs, classifier=classifier)
marks.append(("matcher cache + combos + PII pre-check", t()))
gc.freeze()
gc.set_threshold(*CHECK_GC_THRESHOLD)  # as check_cli.run
gc.enable()
tf.check(sys.argv[1])
marks.append(("first verdict (segmenter, PII recognisers on need)", t()))
prev = 0.0
for name, at in marks:
    print(f"{name}\t{at - prev:.4f}")
    prev = at
"""


def startup_phases(first: str, cpu: int) -> None:
    """Start-up to first verdict split into phases (best of three fresh processes, warm caches)."""
    cmd = ["taskset", "-c", str(cpu), sys.executable, "-c", _PHASES, first]
    best: dict[str, float] = {}
    for _ in range(3):
        out = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, check=True, env=installed_env()).stdout
        for line in out.splitlines():
            name, _, sec = line.partition("\t")
            best[name] = min(best.get(name, float("inf")), float(sec))
    print("start-up phases, CPU s (best of 3, caches warm):")
    for name, sec in best.items():
        print(f"  {name:<52} {sec:6.3f}")
        figure(f"start-up phase: {name}", sec, "s")


def cli_startup(lines: list[str], cpu: int, extra: list[str], label: str, first: str) -> None:
    """`kidsafe check` (model on): start-up to first verdict (the first run builds the matcher cache),
    CPU seconds of a whole run with one line (its exit included: an upper bound of the start-up's CPU; the wall
    figure is the time to the first answer), and resident memory after 2,000 lines."""
    import resource

    cmd = ["taskset", "-c", str(cpu), sys.executable, "-m", "kidsafe", "check", *extra]
    starts, cpus, rss = [], [], 0.0
    for _ in range(3):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(cmd, input=f"{first}\n".encode(), stdout=subprocess.DEVNULL, cwd=REPO, check=True,
                       env=installed_env())
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    for _ in range(3):
        t = time.perf_counter()
        p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=REPO, env=installed_env())
        assert p.stdin and p.stdout
        p.stdin.write(f"{first}\n".encode())
        p.stdin.flush()
        p.stdout.readline()
        starts.append(time.perf_counter() - t)
        feed = threading.Thread(target=_feed, args=(p.stdin, lines[:2000]))
        feed.start()
        for _ in range(2000):
            p.stdout.readline()
        rss = max(rss, rss_mb(p.pid, "VmHWM"))
        feed.join()
        p.stdin.close()
        p.wait()
    figure(f"`kidsafe check` start-up to first verdict, {label}, CPU of a one-line run (exit included)", min(cpus[1:]),
           "s", "<= 0.3")
    figure(f"`kidsafe check` start-up to first verdict, {label}, wall best of 3", min(starts), "s", "<= 0.3")
    figure(f"`kidsafe check` peak RSS after 2,000 lines, {label}", rss, "MB", "<= 150")
    print(f"`kidsafe check`, {label}, model on: start-up to first verdict, CPU: first run (builds the "
          f"matcher cache) {cpus[0]:.2f} s, then {min(cpus[1:]):.2f} s; wall: {min(starts):.2f} s best of 3 "
          f"(target 0.3 s); peak RSS after 2,000 lines {rss:.0f} MB (target 150 MB)")


if __name__ == "__main__":
    main()
