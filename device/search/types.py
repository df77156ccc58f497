"""Types shared by the search providers and the pipeline: a raw hit and the provider contract."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Hit:
    """One unfiltered result as a provider returned it."""

    title: str
    snippet: str
    url: str
    source_id: str = ""
    extra: dict = field(default_factory=dict, compare=False)


class ProviderUnavailable(RuntimeError):
    """The provider cannot answer now (offline, timeout, bad reply); the message says why."""


class SearchProvider(Protocol):
    name: str

    def search(self, query: str, limit: int) -> list[Hit]:
        """Up to `limit` hits for `query`, best first. Raises ProviderUnavailable."""
        ...
