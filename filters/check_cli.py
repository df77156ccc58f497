"""`kidsafe check`: UTF-8 lines on stdin -> one JSON verdict per line on stdout (the DESIGN contract).

Never crashes on input: invalid UTF-8 is replaced (U+FFFD), empty lines give an "allow" verdict,
control characters and megabyte lines are filtered like any other text. A bad --policy or word
pack is refused before reading input, with exit code 2 and a message on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import BinaryIO, TextIO

from filters.lexicon import LexiconError
from filters.policy import DEFAULT_POLICY, FilterPolicy, PolicyError


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
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from filters.engine import TextFilter

    try:
        policy = FilterPolicy.load(args.policy) if args.policy else DEFAULT_POLICY
    except PolicyError as exc:
        print(f"kidsafe check: invalid policy / 策略无效: {exc}", file=sys.stderr)
        return 2
    model = None if args.no_model else args.model
    try:
        tf = TextFilter.load(packs_dir=args.packs, model_path=model)
    except LexiconError as exc:
        print(f"kidsafe check: word packs refused / 词库无效: {exc}", file=sys.stderr)
        return 2
    if tf.model_error:
        print(f"kidsafe check: warning: {tf.model_error}", file=sys.stderr)
    return check_stream(tf, policy, sys.stdin.buffer, sys.stdout, pretty=args.pretty)


def check_stream(tf: object, policy: FilterPolicy, source: BinaryIO, out: TextIO, pretty: bool = False) -> int:
    interactive = source.isatty() if hasattr(source, "isatty") else False
    indent = 2 if pretty else None
    for raw in source:
        line = raw.decode("utf-8", errors="replace")
        if line.endswith("\n"):
            line = line[:-1]
            if line.endswith("\r"):
                line = line[:-1]
        verdict = tf.check(line, policy)  # type: ignore[attr-defined]
        out.write(json.dumps(verdict.to_json(), ensure_ascii=False, indent=indent) + "\n")
        if interactive:
            out.flush()
    out.flush()
    return 0
