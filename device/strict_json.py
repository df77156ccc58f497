"""Strict JSON for documents from outside the device (policy files, MQTT policy messages).

    loads(raw, max_bytes=..., max_depth=...) -> Any      raises StrictJsonError (English + Chinese)
    nonstandard(doc) -> list[(path, en, zh)]             NaN/Infinity or huge numbers in an already parsed doc

Standard `json.loads` accepts `NaN` and `Infinity`, raises ValueError (not JSONDecodeError) on an
integer of more than 4,300 digits and RecursionError on `[[[…]]]` 100,000 deep. Here all three are
refused with a message that names the field: nesting is measured by a scan before parsing, and
non-standard constants and over-long integers are parsed into markers that a walk reports by path.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

MAX_DEPTH = 32
MAX_INT_DIGITS = 18  # no field of ours needs more; a bigger number is an attack or a typo

_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}:,]')


class StrictJsonError(ValueError):
    def __init__(self, path: str, en: str, zh: str) -> None:
        self.path, self.en, self.zh = path, en, zh
        super().__init__(f"{path}: {en} / {zh}")


class _Marker(str):
    """A number we refuse, kept as text so the walk can say where it was."""


class _NonFinite(_Marker):
    pass


class _HugeInt(_Marker):
    pass


def _parse_int(text: str) -> int | _HugeInt:
    digits = len(text.lstrip("-"))
    return _HugeInt(text) if digits > MAX_INT_DIGITS else int(text)


def _parse_float(text: str) -> float | _NonFinite:
    value = float(text)
    return _NonFinite(text) if math.isinf(value) else value  # 1e999 overflows to inf


def _deep_path(text: str, max_depth: int) -> str | None:
    """The JSON path where nesting first passes `max_depth`, or None. Strings are skipped whole."""
    stack: list[list[Any]] = []  # [kind, key or index]
    expect_key = False
    for m in _TOKENS.finditer(text):
        tok = m.group()
        if tok in "[{":
            if stack and stack[-1][0] == "[" and stack[-1][1] < 0:
                stack[-1][1] = 0
            stack.append([tok, -1 if tok == "[" else None])
            expect_key = tok == "{"
            if len(stack) > max_depth:
                return _render(stack[:-1])
        elif tok in "]}":
            if stack:
                stack.pop()
            expect_key = False
        elif tok == ",":
            if stack and stack[-1][0] == "[":
                stack[-1][1] += 1
            expect_key = bool(stack) and stack[-1][0] == "{"
        elif tok == ":":
            expect_key = False
        elif expect_key and stack:
            try:
                stack[-1][1] = json.loads(tok)
            except ValueError:
                stack[-1][1] = tok
            expect_key = False
    return None


def _render(stack: list[list[Any]]) -> str:
    out = "$"
    for kind, key in stack[:8]:
        out += f"[{max(key, 0)}]" if kind == "[" else f".{key}"
    return out + ("…" if len(stack) > 8 else "")


def loads(raw: bytes | str, max_bytes: int = 1_000_000, max_depth: int = MAX_DEPTH) -> Any:
    """Parse strict JSON; refuse oversize, deep, NaN/Infinity and huge-integer documents by path."""
    if len(raw) > max_bytes:
        raise StrictJsonError("$", f"larger than {max_bytes:,} bytes", f"超过 {max_bytes:,} 字节")
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as exc:
        raise StrictJsonError("$", f"not valid UTF-8 ({exc.reason} at byte {exc.start})",
                              f"不是有效的 UTF-8（第 {exc.start} 字节）") from exc
    deep = _deep_path(text, max_depth)
    if deep is not None:
        raise StrictJsonError(deep, f"nested deeper than {max_depth} levels", f"嵌套超过 {max_depth} 层")
    try:
        doc = json.loads(text, parse_int=_parse_int, parse_float=_parse_float, parse_constant=_NonFinite)
    except json.JSONDecodeError as exc:
        raise StrictJsonError("$", f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
                              f"不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列") from exc
    except (ValueError, RecursionError) as exc:  # belt and braces: the checks above should catch these
        raise StrictJsonError("$", f"not valid JSON: {exc}", f"不是有效的 JSON：{exc}") from exc
    problems = nonstandard(doc)
    if problems:
        raise StrictJsonError(*problems[0])
    return doc


def nonstandard(doc: Any, path: str = "$", depth: int = 0) -> list[tuple[str, str, str]]:
    """(path, en, zh) for every NaN/Infinity, over-long integer or over-deep value in a parsed document."""
    if depth > MAX_DEPTH:
        return [(path, f"nested deeper than {MAX_DEPTH} levels", f"嵌套超过 {MAX_DEPTH} 层")]
    if isinstance(doc, _NonFinite) or (isinstance(doc, float) and not math.isfinite(doc)):
        return [(path, f"{doc} is not allowed (standard JSON numbers only)", f"不允许 {doc}（只能用标准 JSON 数字）")]
    if isinstance(doc, _HugeInt) or (isinstance(doc, int) and not isinstance(doc, bool)
                                     and abs(doc) >= 10 ** MAX_INT_DIGITS):
        digits = len(doc.lstrip("-")) if isinstance(doc, str) else int(abs(doc).bit_length() * 0.30103) + 1
        return [(path, f"number is far too large ({digits} digits)", f"数字太大（{digits} 位）")]
    out: list[tuple[str, str, str]] = []
    if isinstance(doc, dict):
        for key, value in doc.items():
            out += nonstandard(value, f"{path}.{key}", depth + 1)
    elif isinstance(doc, list):
        for i, value in enumerate(doc):
            out += nonstandard(value, f"{path}[{i}]", depth + 1)
    return out
