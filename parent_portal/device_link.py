"""The one place the portal reads the device package: the shared policy model, band defaults, categories, and
the help lines a support notice shows (device/care.py, device/data/help_lines.json).

A thin adapter so the rest of the portal does not change when device/policy.py moves to pydantic.
"""

from __future__ import annotations

import logging
from functools import cache
from typing import Any

from device.policy import CATEGORIES, CATEGORY_NAMES, EXEMPT_FEATURES, REPORTING_LEVELS, DevicePolicyError, validate
from device.usage.rules import band_defaults

BANDS: tuple[str, ...] = ("under8", "8-11", "12-15", "16-17")
# Categories a parent can switch; personal-information protection is always on.
PARENT_CATEGORIES: tuple[str, ...] = tuple(c for c in CATEGORIES if c != "pii")
__all__ = ["BANDS", "EXEMPT_FEATURES", "PARENT_CATEGORIES", "REPORTING_LEVELS", "PolicyRejected", "category_name",
           "check_policy", "defaults_for_band", "help_lines"]
log = logging.getLogger(__name__)


class PolicyRejected(ValueError):
    """The device's policy model refused a document the portal built (a portal bug or bad input)."""


def category_name(category: str, language: str) -> str:
    zh, en = CATEGORY_NAMES.get(category, (category, category))
    return zh if language == "zh" else en


def defaults_for_band(band: str) -> dict[str, Any]:
    d = band_defaults()
    return {
        "limit_min": int(d["daily_limit_min"][band]),
        "night": dict(d["night"]),
        "break": dict(d["break"]),
    }


def check_policy(doc: dict[str, Any]) -> dict[str, Any]:
    """Validate with the device's own model; returns the document or raises PolicyRejected."""
    try:
        validate(doc)
    except DevicePolicyError as exc:
        raise PolicyRejected(str(exc)) from exc
    return doc


@cache
def _desk() -> Any:  # noqa: ANN401
    from device.care import CareDesk

    return CareDesk.load()


def help_lines(timezone: str, lang: str) -> tuple[list[dict[str, str]], str]:
    """The help lines and emergency number of the child's region; none (the notice still shows) if unreadable."""
    try:
        answer = _desk().answer(lang, timezone)
    except Exception:
        log.exception("help lines unavailable for the support notice")
        return [], ""
    lines = [{"name": ln["name"].get(lang) or ln["name"]["zh"], "number": ln["number"], "tel": ln["tel"]}
             for ln in answer["lines"]]
    return lines, answer["emergency"]["number"]
