"""Device policy: one JSON document with the filter part and the time rules, validated and hot-reloaded.

    validate(doc) -> DevicePolicy            raises DevicePolicyError (errors in Chinese and English)
    PolicyManager.apply_policy(doc) -> PolicyResult   the entry point for files now and MQTT later;
        an invalid document is rejected and the policy in force stays; the last good one is saved
        (policy.active.json) so a restart with a broken file still enforces it.
    PolicyWatcher   polls the policy file's (mtime, size, inode) and applies changes.

Schema: device/data/policy.schema.json. Filter keys (age_band, blocked_categories, allow_words,
block_words, ...) are parsed by filters.policy.FilterPolicy.from_dict.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import jsonschema

from device.events import emit
from device.usage.rules import TimeRules
from filters.policy import DEFAULT_BAND, FilterPolicy, PolicyError

log = logging.getLogger(__name__)

SCHEMA_PATH = Path(__file__).resolve().parent / "data" / "policy.schema.json"
MAX_POLICY_BYTES = 1_000_000
_KNOWN_EXTRA = {"filter"}


@lru_cache(maxsize=1)
def _validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    en: str
    zh: str

    def to_json(self) -> dict[str, str]:
        return {"path": self.path, "en": self.en, "zh": self.zh}

    def __str__(self) -> str:
        return f"{self.path}: {self.en} / {self.zh}"


class DevicePolicyError(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


@dataclass(frozen=True, slots=True)
class DevicePolicy:
    doc: dict[str, Any]
    filter: FilterPolicy
    time: TimeRules
    language: str | None = None
    version: str | None = None
    contacts: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class PolicyResult:
    ok: bool
    version: str | None = None
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "version": self.version,
            "errors": [p.to_json() for p in self.errors],
            "warnings": [p.to_json() for p in self.warnings],
        }


def _path(parts: Any) -> str:
    out = "$"
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else f".{p}"
    return out


def _schema_problem(err: jsonschema.ValidationError) -> Problem:
    where = _path(err.absolute_path)
    v, arg = err.validator, err.validator_value
    if v == "type":
        kinds = arg if isinstance(arg, list) else [arg]
        return Problem(where, f"must be of type {' or '.join(kinds)}", f"类型应为 {' 或 '.join(kinds)}")
    if v == "enum":
        opts = ", ".join(json.dumps(o, ensure_ascii=False) for o in arg)
        return Problem(where, f"must be one of {opts}", f"只能是以下之一：{opts}")
    if v == "const":
        return Problem(where, f"must be {json.dumps(arg)}", f"必须是 {json.dumps(arg)}")
    if v == "minimum":
        return Problem(where, f"must be at least {arg}", f"不能小于 {arg}")
    if v == "maximum":
        return Problem(where, f"must be at most {arg}", f"不能大于 {arg}")
    if v == "pattern":
        en_hint, zh_hint = _pattern_hint(arg)
        return Problem(where, f"has the wrong format (expected {en_hint})", f"格式不对（应为 {zh_hint}）")
    if v == "required":
        missing = [k for k in arg if isinstance(err.instance, dict) and k not in err.instance]
        return Problem(where, f"missing required key(s) {missing}", f"缺少必填项 {missing}")
    if v == "additionalProperties":
        extra = sorted(set(err.instance) - set(err.schema.get("properties", {}))) if isinstance(
            err.instance, dict) else []
        return Problem(where, f"unknown key(s) {extra} (a typo?)", f"未知的设置项 {extra}（拼写错误？）")
    if v == "uniqueItems":
        return Problem(where, "has repeated items", "有重复的项")
    if v in ("maxItems", "maxLength"):
        return Problem(where, f"is too long (at most {arg})", f"太长（最多 {arg}）")
    if v == "minLength":
        return Problem(where, "must not be empty", "不能为空")
    if v == "oneOf":
        inner = [e for e in err.context or [] if e.validator != "type"]
        if inner:  # the branch of the right type: report what is wrong inside it
            return _schema_problem(max(inner, key=lambda e: len(e.absolute_path)))
        kinds = [str(e.validator_value) for e in err.context or [] if e.validator == "type"]
        return Problem(where, f"must be of type {' or '.join(kinds)}", f"类型应为 {' 或 '.join(kinds)}")
    return Problem(where, err.message, f"无效：{err.message}")


def _pattern_hint(pattern: str) -> tuple[str, str]:
    if "[0-5][0-9]$" in pattern:
        return "HH:MM, e.g. 22:00", "时:分，例如 22:00"
    if "{4}-" in pattern:
        return "YYYY-MM-DD", "年-月-日，例如 2026-10-01"
    if "+ ()-" in pattern:
        return "a phone number", "电话号码"
    return pattern, pattern


def _semantic_checks(doc: dict[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    tz = doc.get("timezone")
    if isinstance(tz, str):
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(Problem("$.timezone", f"unknown time zone {tz!r} (use e.g. Asia/Shanghai)",
                                    f"未知时区 {tz!r}（例如 Asia/Shanghai）"))
    block = doc.get("time") or {}
    night = block.get("night")
    if isinstance(night, dict) and night.get("start") == night.get("end"):
        problems.append(Problem("$.time.night", "start and end must differ (use null to turn the night window off)",
                                "开始和结束时间不能相同（关闭夜间禁用请设为 null）"))
    dates = [(f"$.time.exempt_dates[{i}]", d) for i, d in enumerate(block.get("exempt_dates", []))]
    dates += [(f"$.time.extra_time[{i}].date", e.get("date")) for i, e in enumerate(block.get("extra_time", []))]
    for where, value in dates:
        try:
            date.fromisoformat(str(value))
        except ValueError:
            problems.append(Problem(where, f"{value!r} is not a calendar date", f"{value!r} 不是有效日期"))
    return problems


def validate(doc: Any) -> tuple[DevicePolicy, list[Problem]]:
    """Check a policy document. Returns (policy, warnings) or raises DevicePolicyError."""
    if not isinstance(doc, dict):
        raise DevicePolicyError([Problem("$", "a policy must be a JSON object", "策略必须是一个 JSON 对象")])
    errors = sorted(_validator().iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
    problems = [_schema_problem(e) for e in errors]
    if not problems:
        problems = _semantic_checks(doc)
    if not problems:
        try:
            fpol = FilterPolicy.from_dict(doc)
        except PolicyError as exc:
            problems.append(Problem("$.filter", f"filter settings: {exc}", f"过滤设置无效：{exc}"))
    if problems:
        raise DevicePolicyError(problems)
    known = set(_validator().schema["properties"]) | _KNOWN_EXTRA
    warnings = [
        Problem(f"$.{k}", "unknown key ignored", "未知设置项，已忽略") for k in sorted(set(doc) - known)
    ]
    band = doc.get("age_band") or (doc.get("filter") or {}).get("age_band") or DEFAULT_BAND
    tz = ZoneInfo(doc["timezone"]) if doc.get("timezone") else None
    version = doc.get("version")
    return (
        DevicePolicy(
            doc=doc,
            filter=fpol,
            time=TimeRules.from_doc(doc.get("time"), band, tz),
            language=doc.get("language"),
            version=str(version) if version is not None else None,
            contacts=dict(doc.get("contacts") or {}),
        ),
        warnings,
    )


def default_policy(timezone: str | None = None) -> DevicePolicy:
    doc: dict[str, Any] = {"schema_version": 1, "version": "default"}
    if timezone:
        doc["timezone"] = timezone
    return validate(doc)[0]


def parse_file(path: Path) -> Any:
    """Read a policy file; raises DevicePolicyError for unreadable, huge or non-JSON files."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DevicePolicyError([Problem("$", f"cannot read {path}: {exc.strerror}", f"无法读取 {path}")]) from exc
    if len(raw) > MAX_POLICY_BYTES:
        raise DevicePolicyError([Problem("$", "policy file is larger than 1 MB", "策略文件超过 1 MB")])
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DevicePolicyError(
            [Problem("$", f"not valid UTF-8 JSON: {exc}", f"不是有效的 UTF-8 JSON：{exc}")]
        ) from exc


Listener = Callable[[DevicePolicy], None]


class PolicyManager:
    """Holds the policy in force. `apply_policy` is atomic: all of a document or none of it."""

    def __init__(self, active_path: Path | None = None, timezone: str | None = None,
                 event_sink: Callable[[dict[str, Any]], None] | None = None) -> None:
        self.active_path = active_path
        self.timezone = timezone
        self.event_sink = event_sink
        self._lock = threading.Lock()
        self._listeners: list[Listener] = []
        self._current = default_policy(timezone)
        self.last_result: PolicyResult | None = None
        if active_path is not None and active_path.exists():
            try:
                self._current = validate(self._with_defaults(parse_file(active_path)))[0]
            except DevicePolicyError as exc:
                log.error("saved policy %s is invalid, using defaults: %s", active_path, exc)

    @property
    def current(self) -> DevicePolicy:
        return self._current

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def _with_defaults(self, doc: Any) -> Any:
        """The firmware's time zone applies when the parent's policy names none."""
        if isinstance(doc, dict) and self.timezone and "timezone" not in doc:
            return {**doc, "timezone": self.timezone}
        return doc

    def apply_policy(self, doc: Any, source: str = "api") -> PolicyResult:
        """Validate and put a policy document in force, all or nothing (files now, MQTT later)."""
        try:
            policy, warnings = validate(self._with_defaults(doc))
        except DevicePolicyError as exc:
            result = PolicyResult(ok=False, version=self._current.version, errors=exc.problems)
            log.error("policy from %s rejected, keeping version %s: %s", source, self._current.version, exc)
            problems = [p.to_json() for p in exc.problems]
            emit(self.event_sink, {"kind": "policy_rejected", "source": source, "errors": problems})
            self.last_result = result
            return result
        with self._lock:
            self._current = policy
            if self.active_path is not None:
                _atomic_write(self.active_path, json.dumps(doc, ensure_ascii=False, indent=1))
        for listener in list(self._listeners):
            try:
                listener(policy)
            except Exception:
                log.exception("policy listener failed")
        emit(self.event_sink, {"kind": "policy_applied", "source": source, "version": policy.version})
        self.last_result = PolicyResult(ok=True, version=policy.version, warnings=warnings)
        return self.last_result

    def apply_file(self, path: Path) -> PolicyResult:
        try:
            doc = parse_file(path)
        except DevicePolicyError as exc:
            self.last_result = PolicyResult(ok=False, version=self._current.version, errors=exc.problems)
            log.error("policy file %s rejected: %s", path, exc)
            emit(self.event_sink, {"kind": "policy_rejected", "source": str(path),
                        "errors": [p.to_json() for p in exc.problems]})
            return self.last_result
        return self.apply_policy(doc, source=str(path))


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


class PolicyWatcher:
    """Polls a policy file and applies it when its (mtime, size, inode) changes. No inotify needed."""

    def __init__(self, path: Path, manager: PolicyManager, interval_s: float = 1.0) -> None:
        self.path = Path(path)
        self.manager = manager
        self.interval_s = interval_s
        self._seen: tuple[int, int, int] | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _signature(self) -> tuple[int, int, int] | None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def check(self) -> PolicyResult | None:
        """Apply the file if it changed since the last check; None when unchanged or absent."""
        sig = self._signature()
        if sig is None or sig == self._seen:
            return None
        self._seen = sig
        return self.manager.apply_file(self.path)

    def start(self) -> None:
        self.check()
        self._thread = threading.Thread(target=self._run, name="policy-watcher", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            try:
                self.check()
            except Exception:  # keep watching whatever happens
                log.exception("policy watcher")

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
