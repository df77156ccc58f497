"""Page rendering (Jinja2 + Babel) and the middleware every response passes: language, CSRF cookie,
security headers."""

from __future__ import annotations

import secrets
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from parent_portal import i18n
from parent_portal.security import csrf_token

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.add_extension("jinja2.ext.i18n")
templates.env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]

DISPLAY_TZ = {"zone": "Asia/Shanghai"}  # set by create_app from the settings


def localtime(value: datetime | None, zone: str | None = None) -> str:
    """A stored UTC time as local 'YYYY-MM-DD HH:MM' in `zone` (a child's), else the portal's default zone."""
    if value is None:
        return ""
    return value.astimezone(ZoneInfo(zone or DISPLAY_TZ["zone"])).strftime("%Y-%m-%d %H:%M")


templates.env.filters["localtime"] = localtime

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def render(request: Request, name: str, context: dict[str, Any] | None = None, status: int = 200) -> HTMLResponse:
    secret = request.app.state.secret
    ctx = {
        "request": request,
        "parent": getattr(request.state, "parent", None),
        "csrf_token": csrf_token(secret, request.state.csrf_cookie),
        "lang": i18n.current_language.get(),
        **(context or {}),
    }
    response = templates.TemplateResponse(request, name, ctx, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    return response


class PortalMiddleware:
    """Sets the request's language, gives every browser a CSRF cookie, adds the security headers.

    A plain ASGI middleware (not BaseHTTPMiddleware): no extra task and body copy per request, and a
    streamed response (server-sent events) keeps the request's language until it ends."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        cookie = request.cookies.get("ks_csrf")
        fresh = not cookie or len(cookie) < 20
        csrf_cookie = secrets.token_urlsafe(24) if fresh else cookie
        request.state.csrf_cookie = csrf_cookie
        request.state.parent = None
        lang = i18n.pick_language(request.cookies.get("ks_lang"), accept=request.headers.get("accept-language"))
        set_cookie = _csrf_cookie_header(csrf_cookie, scope["app"].state.settings.cookie_secure) if fresh else None

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if set_cookie:
                    headers.append("set-cookie", set_cookie)
                for key, value in SECURITY_HEADERS.items():
                    if key not in headers:
                        headers[key] = value
            await send(message)

        token = i18n.current_language.set(lang)
        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            i18n.current_language.reset(token)


def _csrf_cookie_header(value: str, secure: bool) -> str:
    """The Set-Cookie line for the CSRF cookie, formatted by Starlette as Response.set_cookie does."""
    holder = Response()
    holder.set_cookie("ks_csrf", value, httponly=True, samesite="strict", secure=secure, path="/")
    return holder.headers["set-cookie"]
