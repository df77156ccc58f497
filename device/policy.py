"""The policy a parent sets for one child's device: one pydantic v2 model shared by the device, the
MQTT bridge and the parent portal; `device/data/policy.schema.json` is generated from it.

    Policy                  the document (strict: a float limit, a bool for a number, NaN, unknown keys
                            inside a block are refused; unknown top-level keys are warnings)
    validate(doc)           -> (DevicePolicy, warnings)   raises DevicePolicyError (path + English + Chinese)
    parse_policy(raw)       -> Any   strict JSON (no NaN/Infinity, no huge numbers, no deep nesting)
    policy_schema()         -> the JSON schema; `python -m device.policy` rewrites the shipped file
    DevicePolicy            what the device enforces: the model plus the compiled filter and time rules

Keys (all optional; omitted ones take the CAC minor-mode defaults for the age band):
    schema_version 1, version (the portal's revision: string or integer), issued_at (epoch seconds),
    language zh|en, timezone, filter keys (age_band, blocked_categories, allow_words, block_words,
    min_severity, redact_pii, use_model, model_thresholds; at the top level or under "filter"),
    time {daily_limit_min, weekend_days, night, break, warnings_min, idle_gap_s, interaction_s,
    exempt_features, exempt_dates, extra_time}, voice (on/off), reporting_level (counts | with_text), contacts.
Applying a policy (atomic, last good one kept): device.policy_manager.PolicyManager.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from device.policy_errors import Problem, problems_from
from device.strict_json import StrictJsonError, loads, nonstandard
from device.usage.rules import TimeRules
from filters.categories import CATEGORIES
from filters.categories import NAMES as CATEGORY_NAMES
from filters.policy import AGE_BANDS, DEFAULT_BAND, FilterPolicy, PolicyError

SCHEMA_PATH = Path(__file__).resolve().parent / "data" / "policy.schema.json"
SCHEMA_VERSION = 1
MAX_POLICY_BYTES = 1_000_000
EXEMPT_FEATURES = ("dictionary", "homework")
REPORTING_LEVELS = ("counts", "with_text")  # the values of mqtt_bridge.payloads.ReportingLevel

__all__ = ["CATEGORIES", "CATEGORY_NAMES",  # re-exported for the portal (its import arrow reaches device only)
           "Policy", "DevicePolicy", "DevicePolicyError", "Problem", "validate", "parse_policy",
           "policy_schema", "default_policy", "SCHEMA_PATH", "MAX_POLICY_BYTES"]


def _bilingual(en: str, zh: str) -> PydanticCustomError:
    return PydanticCustomError("bilingual", en, {"en": en, "zh": zh})


def _unique(items: list[Any]) -> list[Any]:
    if len(set(items)) != len(items):
        raise _bilingual("has repeated items", "有重复的项")
    return items


def _calendar_date(text: str) -> str:
    try:
        date.fromisoformat(text)
    except ValueError:
        raise _bilingual(f"{text!r} is not a calendar date", f"{text!r} 不是有效日期") from None
    return text


_HHMM = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
Minutes = Annotated[int, Field(ge=0, le=1440)]
Word = Annotated[str, Field(max_length=64)]
Category = Literal[CATEGORIES]  # type: ignore[valid-type]
IsoDate = Annotated[str, Field(pattern=_DATE), AfterValidator(_calendar_date)]
Unique = AfterValidator(_unique)
_UNIQUE = {"uniqueItems": True}


class _Block(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", allow_inf_nan=False, frozen=True)


class DailyLimit(_Block):
    """Different limits on school days and weekends (minutes)."""

    weekday: Minutes | None = None
    weekend: Minutes | None = None


def _limit_kind(value: Any) -> str:
    return "split" if isinstance(value, dict | DailyLimit) else "minutes"


class NightWindow(_Block):
    """No service between start and end (local time, may wrap past midnight)."""

    start: Annotated[str, Field(pattern=_HHMM)]
    end: Annotated[str, Field(pattern=_HHMM)]

    @model_validator(mode="after")
    def _differ(self) -> NightWindow:
        if self.start == self.end:
            raise _bilingual("start and end must differ (use null to turn the night window off)",
                             "开始和结束时间不能相同（关闭夜间禁用请设为 null）")
        return self


class BreakRule(_Block):
    after_min: Annotated[int, Field(ge=1, le=600)] | None = None
    pause_min: Annotated[int, Field(ge=1, le=120)] | None = None


class ExtraTime(_Block):
    date: IsoDate
    minutes: Annotated[int, Field(ge=1, le=600)]
    ref: Annotated[str, Field(max_length=64)] | None = None


class TimeSettings(_Block):
    """Anti-addiction rules. Exempt features are modes the device enforces (a dictionary lookup
    answers only from the dictionary source), usable when time is up, counted apart."""

    daily_limit_min: Annotated[
        Annotated[Minutes, Tag("minutes")] | Annotated[DailyLimit, Tag("split")], Discriminator(_limit_kind)
    ] | None = None
    weekend_days: Annotated[list[Annotated[int, Field(ge=0, le=6)]], Field(max_length=7, json_schema_extra=_UNIQUE),
                            Unique] | None = Field(None, description="0 = Monday ... 6 = Sunday; default [5, 6]")
    night: NightWindow | None = None
    break_: BreakRule | None = Field(None, alias="break")
    warnings_min: Annotated[list[Annotated[int, Field(ge=1, le=120)]], Field(max_length=5, json_schema_extra=_UNIQUE),
                            Unique] | None = None
    idle_gap_s: Annotated[int, Field(ge=10, le=600)] | None = None
    interaction_s: Annotated[int, Field(ge=1, le=120)] | None = Field(
        None, description="every use counts at least this many seconds (default 15)")
    exempt_features: Annotated[list[Literal[EXEMPT_FEATURES]], Field(json_schema_extra=_UNIQUE),  # type: ignore[valid-type]
                               Unique] | None = None
    exempt_dates: Annotated[list[IsoDate], Field(max_length=366)] | None = None
    extra_time: Annotated[list[ExtraTime], Field(max_length=366)] | None = None

    model_config = ConfigDict(populate_by_name=True)


class FilterSettings(_Block):
    """What the text filter blocks (filters.policy.FilterPolicy): at the top level or under "filter"."""

    age_band: Literal[AGE_BANDS] | None = None  # type: ignore[valid-type]
    blocked_categories: Annotated[list[Category], Field(max_length=len(CATEGORIES), json_schema_extra=_UNIQUE),
                                  Unique] | None = None
    allow_words: Annotated[list[Word], Field(max_length=5000)] | None = None
    block_words: Annotated[list[Word], Field(max_length=5000)] | None = None
    min_severity: Annotated[int, Field(ge=1, le=3)] | None = None
    redact_pii: bool | None = None
    use_model: bool | None = None
    model_thresholds: Annotated[dict[Annotated[str, Field(max_length=64)], Annotated[float, Field(gt=0, le=1)]],
                                Field(max_length=32)] | None = None


class ParentContact(_Block):
    name: Annotated[str, Field(max_length=40)] | None = None
    tel: Annotated[str, Field(pattern=r"^[0-9+ ()-]{3,20}$")]


class Contacts(_Block):
    parent: ParentContact | None = None
    emergency: Annotated[str, Field(pattern=r"^[0-9+]{2,6}$")] | None = None


class Policy(FilterSettings):
    """One child's device policy (schema_version 1). Unknown top-level keys are ignored (warnings)."""

    model_config = ConfigDict(strict=True, extra="ignore", allow_inf_nan=False, frozen=True,
                              title="kidsafe device policy (schema_version 1)")

    schema_version: Literal[1] = SCHEMA_VERSION
    version: Annotated[str, Field(min_length=1, max_length=64)] | Annotated[int, Field(ge=0, le=2**53)] | None = Field(
        None, description="the portal's revision of this policy, shown in status and state")
    issued_at: Annotated[float, Field(ge=0)] | None = None
    language: Literal["zh", "en"] | None = None
    timezone: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    filter: FilterSettings | None = None
    time: TimeSettings | None = None
    voice: bool = Field(True, description="voice search on the device (false: the microphone is off)")
    reporting_level: Literal[REPORTING_LEVELS] = Field(  # type: ignore[valid-type]
        "counts", description="counts: the parent sees categories and counts; with_text: also the words")
    contacts: Contacts | None = None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, tz: str | None) -> str | None:
        if tz is not None:
            try:
                ZoneInfo(tz)
            except (ZoneInfoNotFoundError, ValueError):
                raise _bilingual(f"unknown time zone {tz!r} (use e.g. Asia/Shanghai)",
                                 f"未知时区 {tz!r}（例如 Asia/Shanghai）") from None
        return tz

    def filter_doc(self) -> dict[str, Any]:
        """Filter keys merged (those under "filter" win), as filters.policy.FilterPolicy reads them."""
        top = FilterSettings.model_fields
        out = {k: v for k, v in self.model_dump(exclude_unset=True).items() if k in top}
        if self.filter is not None:
            out.update(self.filter.model_dump(exclude_unset=True))
        return out

    def time_doc(self) -> dict[str, Any]:
        return self.time.model_dump(exclude_unset=True, by_alias=True) if self.time else {}


class DevicePolicyError(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


@dataclass(frozen=True, slots=True)
class DevicePolicy:
    """The policy in force: the validated model and what it compiles to."""

    model: Policy
    doc: dict[str, Any]
    filter: FilterPolicy
    time: TimeRules
    language: str | None = None
    version: str | None = None
    contacts: dict[str, Any] = field(default_factory=dict)

    @property
    def voice(self) -> bool:
        return self.model.voice

    @property
    def reporting_level(self) -> str:
        return self.model.reporting_level


def parse_policy(raw: bytes | str) -> Any:
    """Strict JSON of a policy (file or MQTT message); raises DevicePolicyError naming the field."""
    try:
        return loads(raw, max_bytes=MAX_POLICY_BYTES)
    except StrictJsonError as exc:
        raise DevicePolicyError([Problem(exc.path, exc.en, exc.zh)]) from None


def validate(doc: Any) -> tuple[DevicePolicy, list[Problem]]:
    """Check a policy document (a dict). Returns (policy, warnings) or raises DevicePolicyError."""
    if not isinstance(doc, dict):
        raise DevicePolicyError([Problem("$", "a policy must be a JSON object", "策略必须是一个 JSON 对象")])
    odd = nonstandard(doc)
    if odd:
        raise DevicePolicyError([Problem(*p) for p in odd])
    try:
        model = Policy.model_validate(doc)
    except ValidationError as exc:
        raise DevicePolicyError(problems_from(exc, doc)) from None
    try:
        fpol = FilterPolicy.from_dict(model.filter_doc())
    except PolicyError as exc:
        raise DevicePolicyError([Problem("$.filter", f"filter settings: {exc}", f"过滤设置无效：{exc}")]) from None
    known = set(Policy.model_fields)
    warnings = [Problem(f"$.{k}", "unknown key ignored", "未知设置项，已忽略") for k in sorted(set(doc) - known)]
    band = fpol.age_band or DEFAULT_BAND
    tz = ZoneInfo(model.timezone) if model.timezone else None
    contacts = model.contacts.model_dump(exclude_none=True) if model.contacts else {}
    return (
        DevicePolicy(model=model, doc=doc, filter=fpol, time=TimeRules.from_doc(model.time_doc(), band, tz),
                     language=model.language, version=None if model.version is None else str(model.version),
                     contacts=contacts),
        warnings,
    )


def default_policy(timezone: str | None = None) -> DevicePolicy:
    doc: dict[str, Any] = {"schema_version": SCHEMA_VERSION, "version": "default"}
    if timezone:
        doc["timezone"] = timezone
    return validate(doc)[0]


def policy_schema() -> dict[str, Any]:
    """The JSON schema of `Policy` (what device/data/policy.schema.json holds)."""
    schema = Policy.model_json_schema(by_alias=True)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://kidsafe.example/schemas/device-policy-1.json",
        **schema,
        "description": "What a parent sets for one child's device. Generated from device.policy.Policy "
                       "(python -m device.policy); omitted keys take CAC minor-mode defaults for the age band.",
    }


def render_schema() -> str:
    return json.dumps(policy_schema(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def __getattr__(name: str) -> Any:
    """Older imports (`from device.policy import PolicyManager`) keep working."""
    if name in ("PolicyManager", "PolicyWatcher", "PolicyResult", "parse_file", "read_policy_file"):
        from device import policy_manager

        return getattr(policy_manager, name)
    raise AttributeError(name)


if __name__ == "__main__":  # python -m device.policy: regenerate the shipped schema
    SCHEMA_PATH.write_text(render_schema(), encoding="utf-8")
    print(f"wrote {SCHEMA_PATH}", file=sys.stderr)
