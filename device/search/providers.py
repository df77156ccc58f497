"""Choose a search provider from the device settings: "local" (embedded index) or "searxng"."""

from __future__ import annotations

from typing import Any

from device.search.local import LocalIndexProvider
from device.search.searxng import SearxngProvider
from device.search.types import SearchProvider

PROVIDERS = ("local", "searxng")


def make_provider(settings: Any, name: str | None = None) -> SearchProvider:
    """Provider `name` (default settings.search_provider) configured from DeviceSettings."""
    name = (name or getattr(settings, "search_provider", "local") or "local").lower()
    if name == "local":
        home = getattr(settings, "home", None)
        return LocalIndexProvider(home=home)
    if name == "searxng":
        return SearxngProvider(settings.searxng_url, timeout_s=getattr(settings, "searxng_timeout_s", 3.0))
    raise ValueError(f"unknown search provider {name!r}; choose one of: {', '.join(PROVIDERS)}")
