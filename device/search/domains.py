"""Domain block list: results whose host is (a subdomain of) a listed domain are hidden.

The list is a data file (device/data/blocked_domains.txt, one domain a line, # comments);
a parent's or operator's extra domains can be added at construction.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_LIST = Path(__file__).resolve().parent.parent / "data" / "blocked_domains.txt"
SAFE_SCHEMES = ("http", "https")


def host_of(url: str) -> str:
    """Lower-case host of a URL ('' if it has none); tolerates URLs without a scheme."""
    text = url.strip()
    if "//" not in text:
        text = "//" + text
    try:
        host = urlsplit(text).hostname or ""
    except ValueError:
        return ""
    return host.rstrip(".").lower()


def scheme_of(url: str) -> str:
    try:
        return urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return ""


def load_domains(path: Path = DEFAULT_LIST) -> set[str]:
    out = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        item = line.split("#", 1)[0].strip().lower().rstrip(".")
        if item:
            out.add(item)
    return out


class DomainBlockList:
    def __init__(self, domains: Iterable[str] | None = None, path: Path | None = DEFAULT_LIST) -> None:
        base = load_domains(path) if path is not None else set()
        self.domains = frozenset(base | {d.strip().lower().rstrip(".") for d in domains or () if d.strip()})

    def blocked_by(self, url: str) -> str | None:
        """The listed domain that blocks this URL, or None."""
        host = host_of(url)
        parts = host.split(".")
        for i in range(len(parts)):
            candidate = ".".join(parts[i:])
            if candidate in self.domains:
                return candidate
        return None
