"""`kidsafe classify`: score each stdin line with the on-device classifier, one JSON object per line.

Output per input line: {"label": <top label>, "scores": {label: probability, ...}}. Input is read
as UTF-8 with bad bytes replaced, so no line crashes the command. A missing or bad model file is
reported on stderr (in Chinese and English) and the command exits with status 2. Each line is
scored as `kidsafe check` shows it to the model: with its personal data left out (filters/model_text.py).
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path

from filters.classifier import ModelError, TextClassifier
from filters.model_text import model_texts
from filters.pii import PiiDetector


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "classify",
        help="score text lines with the on-device classifier / 用本地模型给文本打分",
        description="Reads UTF-8 lines on stdin; writes {\"label\", \"scores\"} JSON per line.",
    )
    parser.add_argument("--model", type=Path, default=None, help="int8 .tflite file (default: the shipped model)")
    parser.add_argument("--labels", type=Path, default=None, help="labels.json (default: beside the model)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        clf = TextClassifier.load(args.model, args.labels)
    except ModelError as exc:
        print(f"kidsafe classify: 模型不可用 / model unavailable: {exc}", file=sys.stderr)
        return 2
    stdin = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace", newline=None)
    out = sys.stdout
    pii = PiiDetector()
    for line in stdin:
        text = line.rstrip("\r\n")
        scores = clf.predict(model_texts([text], pii)[0])
        doc = {"label": clf.top(scores), "scores": {k: round(v, 4) for k, v in scores.items()}}
        out.write(json.dumps(doc, ensure_ascii=False) + "\n")
        out.flush()
    return 0
