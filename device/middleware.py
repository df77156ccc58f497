"""HTTP guards of the child's device API (pure ASGI, in front of every route):

    security headers   on every answer: a CSP that allows only the device's own assets, no framing
                       (frame-ancestors 'none', X-Frame-Options DENY), nosniff, no referrer
    same origin        a request with an Origin (or Sec-Fetch-Site) of another site is refused with 403:
                       a web page elsewhere cannot drive the child's device from the browser
    body limits        413 from Content-Length before anything is read, and while streaming (chunked
                       bodies are counted as they arrive and never buffered past the limit)
    rate limits        a token bucket per client and endpoint class for the child's endpoints; a flood
                       gets 429 with Retry-After and a bilingual message, logged once per second as a
                       low-value `rate_limited` event (coalesced by the event log)

The limits are given by device/api.py (`Guards`); answers are JSON with "error" and "message".
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "media-src 'self' blob:; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"microphone=(self), camera=(), geolocation=()"),
]
MESSAGES = {
    "cross_origin": "不能从别的网站使用 / Requests from other sites are not allowed",
    "body_too_large": "内容太大了 / The request is too large",
    "too_many_requests": "太快啦，歇一下再试 / Too many requests, try again in a moment",
}


@dataclass
class Guards:
    """Limits: bytes per path prefix (longest prefix wins) and (rate per s, burst) per endpoint class."""

    body_limits: dict[str, int] = field(default_factory=lambda: {"/": 16 * 1024})
    rates: dict[str, tuple[float, float]] = field(default_factory=dict)  # class -> (per second, burst)
    classify: Callable[[str, str], str | None] = lambda method, path: None
    clock: Callable[[], float] = time.monotonic
    on_limited: Callable[[str], None] | None = None

    def body_limit(self, path: str) -> int:
        best = max((p for p in self.body_limits if path.startswith(p)), key=len, default="/")
        return self.body_limits.get(best, 16 * 1024)


class _Bucket:
    __slots__ = ("tokens", "stamp")

    def __init__(self, tokens: float, stamp: float) -> None:
        self.tokens, self.stamp = tokens, stamp


async def _reply(send: Send, status: int, code: str, extra_headers: list[tuple[bytes, bytes]] = ()) -> None:
    body = json.dumps({"error": code, "message": MESSAGES[code]}, ensure_ascii=False).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
               *extra_headers]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class GuardMiddleware:
    def __init__(self, app: ASGIApp, guards: Guards) -> None:
        self.app = app
        self.guards = guards
        self._buckets: dict[tuple[str, str], _Bucket] = {}
        self._last_logged: dict[str, float] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (k, v) for k, v in SECURITY_HEADERS if k not in names]
            await send(message)

        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        if _cross_site(scope, headers):
            await _reply(send_with_headers, 403, "cross_origin")
            return
        wait = self._rate_limited(scope, headers)
        if wait is not None:
            await _reply(send_with_headers, 429, "too_many_requests", [(b"retry-after", str(wait).encode())])
            return
        limit = self.guards.body_limit(scope.get("path", "/"))
        declared = headers.get("content-length")
        if declared is not None:
            if not declared.strip().isdigit():
                await _reply(send_with_headers, 413, "body_too_large")
                return
            if int(declared) > limit:
                await _reply(send_with_headers, 413, "body_too_large")
                return
        if scope.get("method") in ("POST", "PUT", "PATCH"):
            body = await _read_limited(receive, limit)
            if body is None:
                await _reply(send_with_headers, 413, "body_too_large")
                return
            receive = _replay(body, receive)
        await self.app(scope, receive, send_with_headers)

    def _rate_limited(self, scope: Scope, headers: dict[str, str]) -> int | None:
        """Seconds to wait when this request is over its class's rate, else None."""
        kind = self.guards.classify(scope.get("method", "GET"), scope.get("path", "/"))
        if kind is None or kind not in self.guards.rates:
            return None
        per_s, burst = self.guards.rates[kind]
        client = (scope.get("client") or ("?", 0))[0]
        now = self.guards.clock()
        bucket = self._buckets.get((client, kind))
        if bucket is None:
            bucket = self._buckets[(client, kind)] = _Bucket(burst, now)
            if len(self._buckets) > 10_000:  # many clients: forget the idle ones
                self._buckets = {key: b for key, b in self._buckets.items() if now - b.stamp < 60}
                self._buckets[(client, kind)] = bucket
        bucket.tokens = min(burst, bucket.tokens + max(0.0, now - bucket.stamp) * per_s)
        bucket.stamp = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return None
        if self.guards.on_limited and now - self._last_logged.get(kind, -1e9) >= 1.0:
            self._last_logged[kind] = now
            self.guards.on_limited(kind)
        return max(1, int((1 - bucket.tokens) / per_s + 0.999))


def _cross_site(scope: Scope, headers: dict[str, str]) -> bool:
    if headers.get("sec-fetch-site") == "cross-site":
        return True
    origin = headers.get("origin")
    if origin is None:
        return False
    if origin == "null":  # sandboxed frames, file:// pages
        return True
    scheme = scope.get("scheme", "http")
    host = headers.get("host", "")
    return origin.rstrip("/").lower() != f"{scheme}://{host}".lower()


async def _read_limited(receive: Receive, limit: int) -> bytes | None:
    """The whole body if it is at most `limit` bytes; None as soon as it is larger (nothing more is read)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
