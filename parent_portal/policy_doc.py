"""A child's settings (what the parent's form holds) -> the device policy document, and back to defaults.

Age band from the birth year; the CAC minor-mode defaults of that band fill what the parent left alone.
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from typing import Any

from parent_portal.device_link import (
    BANDS,
    EXEMPT_FEATURES,
    PARENT_CATEGORIES,
    REPORTING_LEVELS,
    check_policy,
    defaults_for_band,
)

MAX_WORDS = 500
_HHMM = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")


def N_(message: str) -> str:
    """Marks a message for the catalogue; the page translates it when it shows it."""
    return message


class SettingsError(ValueError):
    """A form value a parent must correct: `field` names it; `message` % `params` once translated."""

    def __init__(self, field: str, message: str, **params: object) -> None:
        self.field = field
        self.message = message
        self.params = params
        super().__init__(f"{field}: {message % params if params else message}")

    def translated(self, gettext: Callable[[str], str]) -> str:
        text = gettext(self.message)
        return text % self.params if self.params else text


# Offered first in the time-zone field; any IANA name is accepted.
COMMON_TIMEZONES = ("Asia/Shanghai", "Asia/Hong_Kong", "Asia/Macau", "Asia/Taipei", "Asia/Urumqi", "Asia/Singapore",
                    "Asia/Kuala_Lumpur", "Asia/Tokyo", "Asia/Seoul", "Australia/Sydney", "Europe/London",
                    "Europe/Berlin", "America/New_York", "America/Chicago", "America/Los_Angeles",
                    "America/Vancouver", "UTC")


@lru_cache(maxsize=1)
def _known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def parse_timezone(value: object) -> str:
    """An IANA time-zone name such as Asia/Shanghai; SettingsError otherwise (never a path or a guess)."""
    zone = str(value or "").strip()
    if zone not in _known_zones():
        raise SettingsError("timezone", N_("Unknown time zone. Use a name such as Asia/Shanghai."))
    return zone


def age_band(birth_year: int, today: date | None = None) -> str:
    age = (today or date.today()).year - birth_year
    if age < 0 or age > 17:
        raise SettingsError("birth_year", N_("A child's birth year: the portal is for children under 18."))
    if age < 8:
        return BANDS[0]
    if age < 12:
        return BANDS[1]
    if age < 16:
        return BANDS[2]
    return BANDS[3]


def default_settings(birth_year: int) -> dict[str, Any]:
    """The settings a new child starts with: the band's CAC defaults, every category blocked."""
    band = age_band(birth_year)
    d = defaults_for_band(band)
    return {
        "weekday_limit_min": d["limit_min"],
        "weekend_limit_min": d["limit_min"],
        "night_enabled": True,
        "night_start": d["night"]["start"],
        "night_end": d["night"]["end"],
        "break_after_min": d["break"]["after_min"],
        "break_pause_min": d["break"]["pause_min"],
        "blocked_categories": list(PARENT_CATEGORIES),
        "allow_words": [],
        "block_words": [],
        "voice_enabled": True,
        "exempt_features": [],
        "reporting": "counts",
        "language": "zh",
        "extra_time": [],
    }


def _int(form: dict[str, Any], name: str, low: int, high: int) -> int:
    raw = str(form.get(name, "")).strip()
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise SettingsError(name, N_("A whole number from %(low)d to %(high)d."), low=low, high=high)
    return int(raw)


def _words(form: dict[str, Any], name: str) -> list[str]:
    words: list[str] = []
    for line in str(form.get(name, "")).replace("，", "\n").replace(",", "\n").splitlines():
        word = line.strip()
        if not word:
            continue
        if len(word) > 64:
            raise SettingsError(name, N_("Each word at most 64 characters."))
        if word not in words:
            words.append(word)
    if len(words) > MAX_WORDS:
        raise SettingsError(name, N_("At most %(n)d words."), n=MAX_WORDS)
    return words


def settings_from_form(form: dict[str, Any], chosen: list[str], exempt: list[str], old: dict[str, Any]) -> dict:
    """Parse the child settings form; raises SettingsError naming the field to fix."""
    night_enabled = form.get("night_enabled") == "on"
    start, end = str(form.get("night_start", "")), str(form.get("night_end", ""))
    if night_enabled and (not _HHMM.match(start) or not _HHMM.match(end)):
        raise SettingsError("night_start", N_("Times as HH:MM, e.g. 21:30."))
    if night_enabled and start == end:
        raise SettingsError("night_end", N_("The night window must start and end at different times."))
    unknown = [c for c in chosen if c not in PARENT_CATEGORIES] + [e for e in exempt if e not in EXEMPT_FEATURES]
    if unknown:
        raise SettingsError("blocked_categories", N_("Unknown choice."))
    reporting = str(form.get("reporting", "counts"))
    language = str(form.get("language", "zh"))
    if reporting not in REPORTING_LEVELS or language not in ("zh", "en"):
        raise SettingsError("reporting", N_("Unknown choice."))
    return {
        "weekday_limit_min": _int(form, "weekday_limit_min", 0, 1440),
        "weekend_limit_min": _int(form, "weekend_limit_min", 0, 1440),
        "night_enabled": night_enabled,
        "night_start": start if night_enabled else old.get("night_start", "22:00"),
        "night_end": end if night_enabled else old.get("night_end", "06:00"),
        "break_after_min": _int(form, "break_after_min", 1, 600),
        "break_pause_min": _int(form, "break_pause_min", 1, 120),
        "blocked_categories": [c for c in PARENT_CATEGORIES if c in chosen],
        "allow_words": _words(form, "allow_words"),
        "block_words": _words(form, "block_words"),
        "voice_enabled": form.get("voice_enabled") == "on",
        "exempt_features": [e for e in EXEMPT_FEATURES if e in exempt],
        "reporting": reporting,
        "language": language,
        "extra_time": list(old.get("extra_time", [])),
    }


def policy_document(settings: dict[str, Any], birth_year: int, version: int, timezone: str) -> dict[str, Any]:
    """The device policy for these settings, checked by the device's own policy model."""
    doc: dict[str, Any] = {
        "schema_version": 1,
        "version": version,
        "timezone": timezone,
        "language": settings["language"],
        "age_band": age_band(birth_year),
        "blocked_categories": list(settings["blocked_categories"]),
        "allow_words": list(settings["allow_words"]),
        "block_words": list(settings["block_words"]),
        "time": {
            "daily_limit_min": {"weekday": settings["weekday_limit_min"], "weekend": settings["weekend_limit_min"]},
            "night": {"start": settings["night_start"], "end": settings["night_end"]}
            if settings["night_enabled"] else None,
            "break": {"after_min": settings["break_after_min"], "pause_min": settings["break_pause_min"]},
            "exempt_features": list(settings["exempt_features"]),
            "extra_time": list(settings.get("extra_time", [])),
        },
        "voice": bool(settings["voice_enabled"]),
        "reporting_level": settings["reporting"],
    }
    return check_policy(doc)
