"""Policy problems a parent (or an engineer) can read: a JSON path, English and Chinese.

`problems_from(validation_error, doc)` turns pydantic's errors into `Problem`s: union branch tags
are removed from the path (walked against the document), and the branches' type errors at one path
become one "must be of type A or B".
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

_TYPE_NAMES = {
    "int_type": ("integer", "整数"), "string_type": ("string", "字符串"), "bool_type": ("boolean", "true/false"),
    "float_type": ("number", "数字"), "list_type": ("array", "数组"), "dict_type": ("object", "对象"),
    "model_type": ("object", "对象"), "none_required": ("null", "null"),
}


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    en: str
    zh: str

    def to_json(self) -> dict[str, str]:
        return {"path": self.path, "en": self.en, "zh": self.zh}

    def __str__(self) -> str:
        return f"{self.path}: {self.en} / {self.zh}"


def _json_path(doc: Any, loc: tuple[Any, ...], kind: str) -> str:
    """`$.a.b[0]` for the parts of `loc` that exist in `doc` (pydantic adds union tags that do not)."""
    out, node = "$", doc
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(node, dict) and part in node:
            out, node = f"{out}.{part}", node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            out, node = f"{out}[{part}]", node[part]
        elif last and kind in ("missing", "extra_forbidden"):
            out += f".{part}"
    return out


def _hint(pattern: str) -> tuple[str, str]:
    if "[0-5][0-9]$" in pattern:
        return "HH:MM, e.g. 22:00", "时:分，例如 22:00"
    if "{4}-" in pattern:
        return "YYYY-MM-DD", "年-月-日，例如 2026-10-01"
    if "+ ()-" in pattern:
        return "a phone number", "电话号码"
    return pattern, pattern


def _texts(kind: str, ctx: dict[str, Any], value: Any) -> tuple[str, str]:
    if kind == "bilingual":
        return ctx["en"], ctx["zh"]
    if kind in _TYPE_NAMES:
        en, zh = _TYPE_NAMES[kind]
        got = "a decimal number" if isinstance(value, float) else type(value).__name__
        return f"must be of type {en} (got {got})", f"类型应为 {zh}"
    if kind == "literal_error":
        opts = ctx.get("expected", "")
        return f"must be one of {opts}", f"只能是以下之一：{opts}"
    if kind in ("greater_than_equal", "greater_than"):
        bound = ctx.get("ge", ctx.get("gt"))
        return (f"must be at least {bound}", f"不能小于 {bound}") if kind == "greater_than_equal" else (
            f"must be more than {bound}", f"必须大于 {bound}")
    if kind in ("less_than_equal", "less_than"):
        bound = ctx.get("le", ctx.get("lt"))
        return f"must be at most {bound}", f"不能大于 {bound}"
    if kind == "string_pattern_mismatch":
        en, zh = _hint(str(ctx.get("pattern", "")))
        return f"has the wrong format (expected {en})", f"格式不对（应为 {zh}）"
    if kind in ("too_long", "string_too_long"):
        most = ctx.get("max_length")
        return f"is too long (at most {most})", f"太长（最多 {most}）"
    if kind in ("too_short", "string_too_short"):
        return "must not be empty", "不能为空"
    if kind == "missing":
        return "is required", "是必填项"
    if kind == "extra_forbidden":
        return "unknown key (a typo?)", "未知的设置项（拼写错误？）"
    if kind == "string_unicode":
        return "is not valid text (a lone surrogate)", "不是有效的文字"
    if kind == "finite_number":
        return "NaN and Infinity are not allowed", "不允许 NaN 或 Infinity"
    return str(ctx.get("error", kind)), f"无效：{kind}"


def problems_from(exc: ValidationError, doc: Any) -> list[Problem]:
    by_path: dict[str, list[dict[str, Any]]] = {}
    for err in exc.errors(include_url=False):
        by_path.setdefault(_json_path(doc, err["loc"], err["type"]), []).append(err)
    problems = []
    for path, errs in sorted(by_path.items()):
        types = [e["type"] for e in errs]
        if len(errs) > 1 and all(t in _TYPE_NAMES for t in types):  # a union: every branch had the wrong type
            names = sorted({_TYPE_NAMES[t][0] for t in types})
            zh_names = sorted({_TYPE_NAMES[t][1] for t in types})
            problems.append(Problem(path, f"must be of type {' or '.join(names)}", f"类型应为 {' 或 '.join(zh_names)}"))
            continue
        if any(t not in _TYPE_NAMES for t in types):  # a union: the branch of the right type says what is wrong
            errs = [e for e in errs if e["type"] not in _TYPE_NAMES]
        for err in errs:
            ctx = {k: (json.dumps(v, ensure_ascii=False) if k == "expected" and not isinstance(v, str) else v)
                   for k, v in (err.get("ctx") or {}).items()}
            en, zh = _texts(err["type"], ctx, err.get("input"))
            problems.append(Problem(path, en, zh))
    return problems
