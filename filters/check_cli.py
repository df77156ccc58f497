"""`kidsafe check`: UTF-8 lines on stdin -> one JSON verdict per line on stdout (the DESIGN contract).

Never crashes on input: invalid UTF-8 is replaced (U+FFFD), empty lines give an "allow" verdict,
control characters and megabyte lines are filtered like any other text. A bad --policy or word
pack is refused before reading input, with exit code 2 and a message on stderr.
"""

from __future__ import annotations

import argparse
import atexit
import gc
import json
import math
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, TextIO

if TYPE_CHECKING:
    from filters.policy import FilterPolicy
    from filters.verdict import Verdict


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "check",
        help="filter text lines from stdin into JSON verdicts / 逐行过滤文本",
        description="Read UTF-8 lines on stdin; write one JSON verdict per line.",
    )
    p.add_argument("--policy", type=Path, help="policy JSON (age_band, blocked_categories, allow/block words)")
    p.add_argument("--packs", type=Path, help="directory of word packs (default: the shipped packs)")
    p.add_argument("--model", type=Path, default=None, help="classifier .tflite (default: the shipped model)")
    p.add_argument("--no-model", action="store_true", help="word lists and PII only")
    p.add_argument("--pretty", action="store_true", help="indent the JSON (one object per several lines)")
    p.set_defaults(func=run, exit_at_once=exit_at_once)


# The checking loop makes many short-lived containers (hits, reasons, verdicts) and almost no cycles (~0.1 an
# input line): at the default first-generation threshold (700) a collection ran every few lines, 2.2% of a
# 3,000-line run's instructions (callgrind); every 10,000 allocations it is too small to count. Verdicts do not
# depend on it; cyclic garbage still goes, a few thousand objects later.
CHECK_GC_THRESHOLD = (10_000, 10, 10)


def run(args: argparse.Namespace) -> int:
    # Loading makes about a million long-lived objects (packs, matcher state, tables): with the
    # collector on, each collection walks them again (~6% of start-up's instructions). Frozen after
    # loading, the collections of the checking loop never walk them either. (Off before the engine's
    # imports too: they make the classes, functions and patterns that stay for the whole run.)
    gc.disable()
    # the methods @dataclass writes, compiled by an earlier process (filters/code_cache.py): installed
    # before the first module that defines a dataclass is imported (the policy's, below)
    from filters import code_cache, regex_cache

    code_cache.install()
    regex_cache.install()  # numpy's and the standard library's patterns from stored programs too
    from filters.lexicon import LexiconError
    from filters.policy import DEFAULT_POLICY, FilterPolicy, PolicyError

    try:
        policy = FilterPolicy.load(args.policy) if args.policy else DEFAULT_POLICY
    except PolicyError as exc:
        gc.enable()
        print(f"kidsafe check: invalid policy / 策略无效: {exc}", file=sys.stderr)
        return 2
    model = None if args.no_model else args.model
    try:
        if model is not None:
            from filters.lazy_numpy import import_numpy

            try:
                import_numpy()  # numpy without the subpackages the classifier never uses
            except ImportError:
                pass  # the classifier's loading reports it (the filter goes on without the model)
        from filters.engine import TextFilter

        tf = TextFilter.load(packs_dir=args.packs, model_path=model)
    except LexiconError as exc:
        print(f"kidsafe check: word packs refused / 词库无效: {exc}", file=sys.stderr)
        return 2
    finally:
        gc.freeze()
        gc.set_threshold(*CHECK_GC_THRESHOLD)
        gc.enable()
    if tf.model_error:
        print(f"kidsafe check: warning: {tf.model_error}", file=sys.stderr)
    sys.stdout.reconfigure(encoding="utf-8", errors="replace")  # type: ignore[union-attr]
    return check_stream(tf, policy, sys.stdin.buffer, sys.stdout, pretty=args.pretty)


def exit_at_once(code: int) -> None:
    """End the `kidsafe check` process now, once its answers are written: its output flushed and the exit
    handlers run (the regex and code caches write their files there), but not the interpreter's teardown,
    which frees the packs, matchers and tables object by object (~20 ms of CPU after the last verdict, a
    tenth of a start-up). The command runs no threads and holds no other open output. Returns (and the
    interpreter exits as usual, reporting what it reports) if the output cannot be flushed."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    atexit._run_exitfuncs()  # noqa: SLF001 - what the interpreter's exit runs first
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    os._exit(code)


BATCH_LINES = 512


def _decode(raw: bytes) -> str:
    line = raw.decode("utf-8", errors="replace")
    return line[:-1] if line.endswith("\r") else line


def read_batches(source: BinaryIO) -> Iterator[list[str]]:
    """Lines in batches of what is already available, so a co-process gets each answer at once.

    From a real file descriptor, each batch is whatever complete lines one read() returned; from
    other streams (tests), up to BATCH_LINES lines at a time.
    """
    try:
        fd = source.fileno()
    except (AttributeError, OSError, ValueError):
        fd = -1
    if fd < 0:
        batch: list[str] = []
        for raw in source:
            batch.append(_decode(raw[:-1] if raw.endswith(b"\n") else raw))
            if len(batch) >= BATCH_LINES:
                yield batch
                batch = []
        if batch:
            yield batch
        return
    pending = b""
    while True:
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            break
        pending += chunk
        if b"\n" not in chunk:
            continue
        *complete, pending = pending.split(b"\n")
        for i in range(0, len(complete), BATCH_LINES):
            yield [_decode(x) for x in complete[i : i + BATCH_LINES]]
    if pending:
        yield [_decode(pending)]


_encode_str = json.encoder.encode_basestring  # what json.dumps(str, ensure_ascii=False) writes (C)
_FINITE = math.isfinite

# json.dumps escapes C0 controls but leaves these raw; a consumer splitting by Unicode rules
# (str.splitlines, JavaScript's line terminators) would see one verdict as several lines
_LINE_SEPARATORS = {0x85: "\\u0085", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def _escape_separators(text: str) -> str:
    # str.translate with a dict looks every character up in Python; three C-level scans first
    if "\x85" in text or "\u2028" in text or "\u2029" in text:
        return text.translate(_LINE_SEPARATORS)
    return text


def verdict_line(verdict: Verdict, indent: int | None = None) -> str:
    """One verdict as JSON text with every Unicode line separator escaped (no newline at the end).

    Without indent the text is put together here, each string through json's own C string encoder: the
    same bytes as json.dumps(verdict.to_json(), ensure_ascii=False) (which makes a JSONEncoder and a
    dict per call: ~3 us for a plain "allow", ~15 for a "block"); tests compare the two.
    """
    if indent is None:
        try:
            text = verdict_json(verdict)
        except TypeError:  # a value that is not a str where one belongs: json.dumps says how it writes it
            text = None
        if text is not None:
            return _escape_separators(text)
    return _escape_separators(json.dumps(verdict.to_json(), ensure_ascii=False, indent=indent))


def verdict_json(verdict: Verdict) -> str | None:
    """json.dumps(verdict.to_json(), ensure_ascii=False) assembled directly; None for anything it does not
    write the way json.dumps does (a score that is not a finite float, a value of another type)."""
    enc = _encode_str
    reasons = []
    for r in verdict.reasons:
        span, score = r.span, r.score
        if not (span is None or (type(span[0]) is int and type(span[1]) is int and len(span) == 2)):
            return None
        if type(r.severity) is not int or not (score is None or (type(score) is float and _FINITE(score))):
            return None
        parts = [f'{{"category": {enc(r.category)}, "rule": {enc(r.rule)}, "span": ',
                 "null" if span is None else f"[{span[0]!r}, {span[1]!r}]",
                 f', "matched": {enc(r.matched)}, "kind": {enc(r.kind)}']
        if r.severity:
            parts.append(f', "severity": {r.severity!r}')
        if score is not None:
            parts.append(f', "score": {round(score, 4)!r}')
        if r.view:
            parts.append(f', "view": {enc(r.view)}')
        parts.append("}")
        reasons.append("".join(parts))
    categories = ", ".join(map(enc, verdict.categories))
    return (f'{{"action": {enc(verdict.action)}, "categories": [{categories}], "redacted": {enc(verdict.redacted)}, '
            f'"reasons": [{", ".join(reasons)}]}}')


def check_stream(tf: object, policy: FilterPolicy, source: BinaryIO, out: TextIO, pretty: bool = False) -> int:
    indent = 2 if pretty else None
    for batch in read_batches(source):
        verdicts = tf.check_many(batch, policy)  # type: ignore[attr-defined]
        out.write("".join(verdict_line(v, indent) + "\n" for v in verdicts))
        out.flush()
    return 0
