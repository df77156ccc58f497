"""Care, not a wall: what the device answers a child whose search or question is about self-harm or suicide.

    desk = CareDesk.from_settings(settings)     loads and checks the help lines at start (HelpLineError if bad)
    needs_care(verdict) -> bool                 a blocked verdict whose categories hold self_harm
    care_policy(policy) -> FilterPolicy | None  the parent's policy with self_harm blocked (None: it is already)
    desk.answer(lang, timezone) -> dict         the `care` object of the search answer (both languages)
    desk.message(lang) -> str                   the short warm message (device/i18n.py) said in `lang`

Help lines are data (device/data/help_lines.json: per region, each number with the page it was checked on
and the date), never code. An operator adds or replaces regions with a file of the same format
(KIDSAFE_HELP_LINES) and picks a region (KIDSAFE_REGION); otherwise the region comes from the device's
time zone (the file's `zones`), else the file's `default_region`. A file that does not validate stops the
device at start with a message naming the file and the field: a device that could not give a child a
help line must not pretend it can. The care object never holds the child's words.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from device.i18n import LANGS, say
from device.small_file import SmallFileError, read_small_file
from device.strict_json import StrictJsonError, loads

HELP_LINES_PATH = Path(__file__).resolve().parent / "data" / "help_lines.json"
MAX_HELP_LINES_BYTES = 256 * 1024
CARE_CATEGORIES = frozenset({"self_harm"})

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
RegionCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
Number = Annotated[str, StringConstraints(pattern=r"^[0-9+][0-9 -]{0,18}[0-9]$")]
Url = Annotated[str, StringConstraints(pattern=r"^https?://[^\s]{4,500}$")]


class HelpLineError(ValueError):
    """The help-line data cannot be used; says which file and field, in English and Chinese."""

    def __init__(self, en: str, zh: str) -> None:
        self.en, self.zh = en, zh
        super().__init__(f"{en} / {zh}")


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class Texts(_Strict):
    zh: Text
    en: Text


class Checked(_Strict):
    """Where a number was checked, and when (a calendar date; not compared with the device's clock, which a
    child may have set back: a device must never refuse to start because of its clock)."""

    source_url: Url
    source: Annotated[str, StringConstraints(min_length=10, max_length=600)]
    checked: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]

    @model_validator(mode="after")
    def _real_date(self) -> Checked:
        try:
            day = date.fromisoformat(self.checked)
        except ValueError:
            raise ValueError(f"checked: {self.checked!r} is not a calendar date") from None
        if day.year < 2000:
            raise ValueError(f"checked: {self.checked} is not a date a number was checked on")
        return self


class HelpLine(Checked):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,40}$")]
    number: Number
    name: Texts
    hours: Texts


class Emergency(Checked):
    number: Number


class Region(_Strict):
    name: Texts
    lines: Annotated[list[HelpLine], Field(min_length=1, max_length=6)]
    emergency: Emergency


class HelpLineFile(_Strict):
    """device/data/help_lines.json, or an operator's file of the same shape (all keys but schema_version
    optional there: its regions are added to, or replace, the shipped ones)."""

    schema_version: Literal[1]
    about: Annotated[str, StringConstraints(max_length=2000)] = ""
    default_region: RegionCode | None = None
    zones: dict[Annotated[str, StringConstraints(min_length=1, max_length=64)], RegionCode] = Field(
        default_factory=dict)
    regions: dict[RegionCode, Region] = Field(default_factory=dict)


def read_help_lines(path: Path) -> HelpLineFile:
    """Parse and validate one help-line file; HelpLineError naming the file and the first bad field."""
    try:
        doc = loads(read_small_file(path, MAX_HELP_LINES_BYTES), max_bytes=MAX_HELP_LINES_BYTES)
    except SmallFileError as exc:
        raise HelpLineError(f"help lines {path}: {exc.en}", f"求助热线文件 {path}：{exc.zh}") from None
    except StrictJsonError as exc:
        raise HelpLineError(f"help lines {path}: {exc.path}: {exc.en}",
                            f"求助热线文件 {path}：{exc.path}：{exc.zh}") from None
    try:
        return HelpLineFile.model_validate(doc)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "$"
        raise HelpLineError(f"help lines {path}: {where}: {first.get('msg')} ({exc.error_count()} problem(s))",
                            f"求助热线文件 {path}：{where} 无效（共 {exc.error_count()} 处）") from None


def merge(shipped: HelpLineFile, override: HelpLineFile | None) -> HelpLineFile:
    """The operator's regions and zones over the shipped ones; then every reference must resolve."""
    if override is not None:
        shipped = HelpLineFile(
            schema_version=1, about=shipped.about,
            default_region=override.default_region or shipped.default_region,
            zones={**shipped.zones, **override.zones}, regions={**shipped.regions, **override.regions})
    if shipped.default_region is None or shipped.default_region not in shipped.regions:
        raise HelpLineError(f"help lines: default_region {shipped.default_region!r} has no lines",
                            f"求助热线：默认地区 {shipped.default_region!r} 没有热线")
    unknown = sorted({r for r in shipped.zones.values() if r not in shipped.regions})
    if unknown:
        raise HelpLineError(f"help lines: zones name regions without lines: {unknown}",
                            f"求助热线：时区对应的地区没有热线：{unknown}")
    return shipped


class CareDesk:
    """The help lines in force and the care answer built from them."""

    def __init__(self, data: HelpLineFile, region: str | None = None,
                 zone: Callable[[], str | None] = lambda: None) -> None:
        self.data = merge(data, None)
        self.zone = zone  # the device's time zone now (the policy's, else the device's setting)
        if region is not None and region not in self.data.regions:
            raise HelpLineError(f"KIDSAFE_REGION={region!r}: no help lines for that region "
                                f"(known: {', '.join(sorted(self.data.regions))})",
                                f"KIDSAFE_REGION={region!r}：没有这个地区的求助热线")
        self.region_setting = region

    @classmethod
    def load(cls, override: Path | None = None, region: str | None = None,
             shipped: Path = HELP_LINES_PATH, zone: Callable[[], str | None] = lambda: None) -> CareDesk:
        extra = read_help_lines(Path(override)) if override else None
        return cls(merge(read_help_lines(shipped), extra), region, zone)

    @classmethod
    def from_settings(cls, settings: Any, zone: Callable[[], str | None] | None = None) -> CareDesk:
        return cls.load(settings.help_lines_path, settings.region or None,
                        zone=zone or (lambda: settings.timezone))

    def region_for(self, timezone: str | None = None) -> str:
        """The operator's region, else the time zone's (the device's now when none is given), else the default."""
        if self.region_setting:
            return self.region_setting
        if timezone is None:
            try:
                timezone = self.zone()
            except Exception:  # a zone that cannot be read is no reason to give no help line
                timezone = None
        if timezone and timezone in self.data.zones:
            return self.data.zones[timezone]
        return str(self.data.default_region)

    def message(self, lang: str) -> str:
        return f"{say('care_title', lang)} {say('care_message', lang)}" if lang == "en" else \
            f"{say('care_title', lang)}{say('care_message', lang)}"

    def answer(self, lang: str, timezone: str | None = None, category: str = "self_harm") -> dict[str, Any]:
        """The `care` object: texts in both languages (the page re-renders on a language switch)."""
        code = self.region_for(timezone)
        region = self.data.regions[code]
        number = region.emergency.number
        return {
            "kind": category,
            "region": code,
            "lang": lang if lang in LANGS else "zh",
            "title": {lg: say("care_title", lg) for lg in LANGS},
            "message": {lg: say("care_message", lg) for lg in LANGS},
            "lines": [{"id": ln.id, "number": ln.number, "tel": "tel:" + _dial(ln.number),
                       "name": ln.name.model_dump(), "hours": ln.hours.model_dump()} for ln in region.lines],
            "emergency": {"number": number, "tel": "tel:" + _dial(number),
                          "text": {lg: say("care_emergency", lg, number=number) for lg in LANGS}},
        }


def care_policy(policy: Any) -> Any | None:
    """The parent's filter policy with the care categories blocked, or None when it already blocks them: a child
    asking about suicide gets care even where a parent unblocked self_harm (the filter reports only the
    categories a policy blocks, so the query is checked once more under this policy)."""
    blocked = frozenset(policy.blocked_categories)
    if CARE_CATEGORIES <= blocked:
        return None
    return dataclasses.replace(policy, blocked_categories=blocked | CARE_CATEGORIES)


def needs_care(verdict: Any) -> bool:
    """A blocked text about self-harm or suicide (the filter's category; nothing else is read)."""
    return getattr(verdict, "action", None) == "block" and bool(CARE_CATEGORIES & set(verdict.categories))


def _dial(number: str) -> str:
    return "".join(ch for ch in number if ch.isdigit() or ch == "+")


def default_desk() -> CareDesk:
    """The shipped help lines (pipelines built without a device service, e.g. `kidsafe search`)."""
    return CareDesk.load()


if __name__ == "__main__":  # python -m device.care [FILE]: check a help-line file as the device would
    import sys

    try:
        desk = CareDesk.load(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
    except HelpLineError as err:
        print(json.dumps({"ok": False, "en": err.en, "zh": err.zh}, ensure_ascii=False))
        raise SystemExit(1) from None
    print(json.dumps({"ok": True, "regions": sorted(desk.data.regions)}, ensure_ascii=False))
