"""The FastAPI app factory: settings, database, routers, static files, error pages."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from parent_portal import security
from parent_portal.broker_accounts import BrokerAccounts
from parent_portal.db import make_engine, session_factory
from parent_portal.deps import SignInRequired
from parent_portal.settings import PortalSettings
from parent_portal.web import DISPLAY_TZ, PortalMiddleware, render

log = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"


def create_app(settings: PortalSettings | None = None, publisher: object | None = None) -> FastAPI:
    """Build the portal. `publisher` sends policies to devices (default: MQTT to settings.mqtt_host)."""
    from parent_portal.routes import account, api, auth, children, pairing, privacy, reports, requests

    settings = settings or PortalSettings()
    app = FastAPI(title="kidsafe parent portal", docs_url=None, redoc_url=None, lifespan=_lifespan)
    app.state.settings = settings
    app.state.secret = settings.secret()
    DISPLAY_TZ["zone"] = settings.timezone
    security.use_profile(settings.password_hashing)
    app.state.engine = make_engine(settings.sqlalchemy_url())
    app.state.sessions = session_factory(app.state.engine)
    if publisher is None:
        from parent_portal.publisher import MqttPublisher

        publisher = MqttPublisher(settings) if settings.mqtt_enabled else None
    app.state.publisher = publisher
    app.state.broker_accounts = BrokerAccounts.from_settings(settings)
    app.add_middleware(PortalMiddleware)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    for module in (auth, account, children, pairing, requests, reports, privacy, api):
        app.include_router(module.router)

    @app.exception_handler(SignInRequired)
    async def _sign_in(request: Request, exc: SignInRequired) -> Response:
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            from fastapi.responses import JSONResponse

            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        return render(request, "error.html", {"status": exc.status_code}, status=exc.status_code)

    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    closer = getattr(app.state.publisher, "close", None)
    if closer:
        closer()
    app.state.engine.dispose()
