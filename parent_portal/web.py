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
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

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


class PortalMiddleware(BaseHTTPMiddleware):
    """Sets the request's language, gives every browser a CSRF cookie, adds the security headers."""

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        cookie = request.cookies.get("ks_csrf")
        fresh = not cookie or len(cookie) < 20
        request.state.csrf_cookie = secrets.token_urlsafe(24) if fresh else cookie
        request.state.parent = None
        lang = i18n.pick_language(request.cookies.get("ks_lang"), accept=request.headers.get("accept-language"))
        token = i18n.current_language.set(lang)
        try:
            response = await call_next(request)
        finally:
            i18n.current_language.reset(token)
        if fresh:
            response.set_cookie("ks_csrf", request.state.csrf_cookie, httponly=True, samesite="strict",
                                secure=request.app.state.settings.cookie_secure, path="/")
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        return response
