"""SearXNG provider: GET {base}/search?q=...&format=json on a SearXNG metasearch instance.

SearXNG answers {"results": [{"title", "content", "url", ...}, ...]}. The instance must have the
JSON format enabled (search.formats in settings.yml). We ask for safesearch=2 (strict) but
trust nothing: the pipeline filters every result. Any network error, timeout, non-200 status
or malformed reply raises ProviderUnavailable; the pipeline turns that into "search is offline".
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

from device.search.types import Hit, ProviderUnavailable

MAX_REPLY_BYTES = 2_000_000
USER_AGENT = "kidsafe-device/0.1 (+offline child filter)"


class SearxngProvider:
    name = "searxng"

    def __init__(self, base_url: str, timeout_s: float = 3.0, language: str | None = None) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ValueError(f"SearXNG URL must start with http:// or https://, got {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self.timeout_s = float(timeout_s)
        self.language = language

    def request_url(self, query: str) -> str:
        params = {"q": query, "format": "json", "safesearch": "2"}
        if self.language:
            params["language"] = self.language
        return f"{self.base_url}/search?{urllib.parse.urlencode(params)}"

    def search(self, query: str, limit: int) -> list[Hit]:
        req = urllib.request.Request(
            self.request_url(query), headers={"Accept": "application/json", "User-Agent": USER_AGENT}
        )
        try:
            with urllib.request.urlopen(req, timeout=self.timeout_s) as resp:
                body = resp.read(MAX_REPLY_BYTES + 1)
        except urllib.error.HTTPError as exc:
            raise ProviderUnavailable(f"SearXNG answered HTTP {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ProviderUnavailable(f"SearXNG at {self.base_url} is unreachable: {reason}") from exc
        if len(body) > MAX_REPLY_BYTES:
            raise ProviderUnavailable("SearXNG reply is too large")
        return parse_results(body, limit)


def parse_results(body: bytes, limit: int) -> list[Hit]:
    try:
        doc = json.loads(body.decode("utf-8", errors="replace"))
    except json.JSONDecodeError as exc:
        raise ProviderUnavailable(f"SearXNG reply is not JSON: {exc}") from exc
    results = doc.get("results") if isinstance(doc, dict) else None
    if not isinstance(results, list):
        raise ProviderUnavailable("SearXNG reply has no 'results' list (is format=json enabled?)")
    hits: list[Hit] = []
    for item in results:
        if not isinstance(item, dict):
            continue
        title, content, url = item.get("title"), item.get("content"), item.get("url")
        if not isinstance(url, str) or not url:
            continue
        hits.append(
            Hit(
                title=title if isinstance(title, str) else "",
                snippet=content if isinstance(content, str) else "",
                url=url,
                source_id=str(item.get("engine", "")),
            )
        )
        if len(hits) >= limit:
            break
    return hits
