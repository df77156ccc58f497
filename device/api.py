"""The device's local HTTP surface (FastAPI, bound to 127.0.0.1): the child's page and its JSON API.

    GET  /                 the child's page (device/web)
    GET  /api/status       time left, warnings, night, break due, language, always-allowed items
    GET  /api/pairing      the pairing code for the parent (state, code, QR of the portal URL, seconds left;
                           device/pairing.py), from the file the device image's pairing writes; never fails
    POST /api/search       {"query", "lang"?, "feature"?} -> the search object (+ "usage", "mode"); feature
                           "dictionary" / "homework" is a mode: it answers only from that mode's source
    POST /api/listen       a WAV body (16 kHz mono) -> the search object + "transcript", "timings"
    POST /api/heartbeat    {} : the page is being read (counts active time while the child reads results)
    POST /api/more-time    {"minutes"?, "note"?} -> queued request for the parent
    POST /api/always/{id}  {} : call_parent | emergency | clock | talk (help lines): reachable at any time
JSON bodies are pydantic models (device/api_models.py): bytes that are not strict JSON get 400 `bad_json`,
JSON of the wrong shape 422 (`invalid_request`, or `empty_query` / `query_too_long`) with the problems by
path in English and Chinese; nothing is counted or searched for a refused body.
Every answer carries security headers; cross-origin requests get 403, oversized bodies 413 (from
Content-Length and while streaming), floods 429 (device/middleware.py; limits below).
Every use is checked against the usage rules first; refused uses get HTTP 403 with a kind message.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from device.api_models import BodyError, EmptyBody, MoreTimeBody, SearchBody, read_body
from device.i18n import pick_language, say
from device.middleware import GuardMiddleware, Guards
from device.pairing import read_pairing
from device.service import DeviceService
from device.usage.engine import ALWAYS_ALLOWED, MoreTimeError, Status
from device.voice.audio import scratch_dir
from device.voice.model import VoiceUnavailable

log = logging.getLogger(__name__)

WEB_DIR = Path(__file__).resolve().parent / "web"
ALWAYS_PATH = Path(__file__).resolve().parent / "data" / "always_allowed.json"
MAX_WAV_BYTES = 8 * 1024 * 1024  # ~4 min of 16 kHz 16-bit mono


def _err(http_status: int, code: str, lang: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": code, "message": say(code, lang), **extra}, status_code=http_status)


LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
MAX_JSON_BYTES = 16 * 1024
# Per client and endpoint class: (requests per second sustained, burst). A child needs far less.
RATES: dict[str, tuple[float, float]] = {
    "search": (1.0, 10), "use": (1.0, 10), "always": (1.0, 10), "more_time": (0.2, 5), "status": (5.0, 30),
    "other": (2.0, 20),
}


def rate_class(method: str, path: str) -> str | None:
    """Which rate bucket a request draws from (None: the page and its static files, not limited)."""
    if not path.startswith("/api/"):
        return None
    if path in ("/api/status", "/api/pairing"):
        return "status"
    if path in ("/api/search", "/api/listen"):
        return "search"
    if path == "/api/heartbeat":
        return "use"
    if path.startswith("/api/always/"):
        return "always"
    if path == "/api/more-time":
        return "more_time"
    return "other"


def guards_for(service: DeviceService, rate_scale: float = 1.0) -> Guards:
    """The device's HTTP limits; `rate_scale` 0 turns rate limits off (benchmarks), >1 loosens them."""
    rates = {} if rate_scale <= 0 else {k: (r * rate_scale, b * rate_scale) for k, (r, b) in RATES.items()}
    return Guards(
        body_limits={"/": MAX_JSON_BYTES, "/api/listen": MAX_WAV_BYTES},
        rates=rates,
        classify=rate_class,
        on_limited=lambda kind: service.events.record({"kind": "rate_limited", "endpoint": kind}),
    )


def create_app(service: DeviceService, manage_lifecycle: bool = True,
               allowed_hosts: tuple[str, ...] = LOCAL_HOSTS, guards: Guards | None = None) -> FastAPI:
    """The app. Only local Host names are served (a web page elsewhere cannot reach it by DNS rebinding)."""
    app = FastAPI(title="kidsafe device", docs_url=None, redoc_url=None)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))
    # Outermost: security headers on every answer, same-origin only, body limits, rate limits.
    app.add_middleware(GuardMiddleware, guards=guards or guards_for(service, service.settings.api_rate_scale))
    always_items = json.loads(ALWAYS_PATH.read_text(encoding="utf-8"))["items"]

    if manage_lifecycle:
        app.router.on_startup.append(service.start)
        app.router.on_shutdown.append(service.stop)

    def lang_of(request: Request, body: Any = None) -> str:
        explicit = getattr(body, "lang", None) or request.query_params.get("lang")
        # the child's own switch, then the parent's policy, then the browser, then Chinese
        if explicit not in ("zh", "en"):
            explicit = service.policies.current.language
        return pick_language(explicit, request.headers.get("accept-language"), "zh")

    def always_allowed(lang: str) -> list[dict[str, Any]]:
        contacts = service.policies.current.contacts
        out = []
        for item in always_items:
            entry = {"id": item["id"], "icon": item["icon"], "label": item[lang]}
            if item["id"] == "call_parent" and contacts.get("parent"):
                entry["tel"] = contacts["parent"]["tel"]
                if contacts["parent"].get("name"):
                    entry["name"] = contacts["parent"]["name"]
            elif item["id"] == "emergency":
                entry["tel"] = contacts.get("emergency", item.get("tel"))
            out.append(entry)
        return out

    def status_json(st: Status, lang: str, policy: Any = None) -> dict[str, Any]:
        """`policy`: the policy in force when `st` was asked for (read before it, so a policy applied in
        between never shows its version beside the old limits); default the current one."""
        policy = service.policies.current if policy is None else policy
        out = st.to_json()
        out["time_left_s"] = out["left_s"]
        out["lang"] = out["language"] = lang
        out["message"] = say(st.state, lang) if st.state != "ok" else None
        out["always_allowed"] = always_allowed(lang)
        out["policy_version"] = policy.version
        out["voice"] = policy.voice  # false: the parent turned the microphone off
        return out

    def refused(decision: Any, lang: str) -> JSONResponse:
        return _err(403, decision.reason, lang, status=status_json(decision.status, lang))

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(
            {"error": "bad_request", "message": "请求格式不对 / The request is not valid JSON of the expected shape",
             "detail": json.loads(json.dumps(exc.errors(), default=str))},
            status_code=400,
        )

    @app.exception_handler(BodyError)
    async def bad_body(request: Request, exc: BodyError) -> JSONResponse:
        lang = lang_of(request)
        return _err(exc.status, exc.code, lang, problems=[p.to_json() for p in exc.problems])

    async def body_of(request: Request, model: type[Any]) -> Any:
        return read_body(model, await request.body())

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        texts = {400: "请求格式不对 / The request is not valid",
                 404: "没有这个页面 / Not found",
                 405: "不支持这种请求 / Method not allowed"}
        return JSONResponse({"error": f"http_{exc.status_code}", "detail": str(exc.detail),
                             "message": texts.get(exc.status_code, str(exc.detail))},
                            status_code=exc.status_code)

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(WEB_DIR / "index.html", headers={"Cache-Control": "no-store"})

    @app.get("/api/status")
    def status(request: Request) -> dict[str, Any]:
        lang = lang_of(request)
        policy = service.policies.current  # before the status: its version is never newer than the limits
        return status_json(service.usage.status(), lang, policy)

    @app.get("/api/pairing")
    def pairing(request: Request) -> dict[str, Any]:
        return read_pairing(service.settings.pairing_path, lang_of(request))

    @app.post("/api/search", response_model=None)
    async def search(request: Request) -> Any:
        body: SearchBody = await body_of(request, SearchBody)
        return await run_in_threadpool(search_sync, body, lang_of(request, body))

    def search_sync(body: SearchBody, lang: str) -> Any:
        decision = service.usage.use(body.feature)
        if not decision.allowed:
            return refused(decision, lang)
        try:
            result = service.search(body.query, lang, body.feature)  # the mode's own source answers
        except Exception:
            log.exception("search failed")
            return _err(503, "search_unavailable", lang, status=status_json(decision.status, lang))
        return {**result, "usage": status_json(decision.status, lang)}

    @app.post("/api/listen", response_model=None)
    async def listen(request: Request) -> Any:
        lang = lang_of(request)
        if not service.policies.current.voice:  # the parent turned the microphone off
            return _err(403, "voice_off", lang)
        body = await request.body()
        if len(body) > MAX_WAV_BYTES:
            return _err(413, "audio_too_big", lang)
        if len(body) < 44 or body[:4] != b"RIFF" or body[8:12] != b"WAVE":
            return _err(400, "bad_audio", lang)
        decision = service.usage.use("voice")
        if not decision.allowed:
            return refused(decision, lang)
        return await run_in_threadpool(_listen_sync, body, lang, decision)

    def _listen_sync(body: bytes, lang: str, decision: Any) -> Any:
        # Raw audio never stays on the device: a private temp file, removed right after decoding.
        fd, name = tempfile.mkstemp(prefix="kidsafe-", suffix=".wav", dir=scratch_dir())
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(body)
            result = service.listen(Path(name), lang)
        except (ValueError, EOFError) as exc:
            log.info("bad audio: %s", exc)
            return _err(400, "bad_audio", lang)
        except VoiceUnavailable:  # already logged once by the service, no traceback per attempt
            return _err(503, "voice_unavailable", lang, status=status_json(decision.status, lang))
        except Exception:
            log.exception("voice search failed")
            return _err(503, "voice_unavailable", lang, status=status_json(decision.status, lang))
        finally:
            Path(name).unlink(missing_ok=True)
        service.usage.use("voice")  # decoding time counts as listening
        return {**result, "usage": status_json(service.usage.status(), lang)}

    @app.post("/api/heartbeat", response_model=None)
    async def heartbeat(request: Request) -> Any:
        lang = lang_of(request, await body_of(request, EmptyBody))
        decision = await run_in_threadpool(service.usage.use, "read")
        return {"counted": decision.allowed, "status": status_json(decision.status, lang)}

    @app.post("/api/more-time", response_model=None)
    async def more_time(request: Request) -> Any:
        body: MoreTimeBody = await body_of(request, MoreTimeBody)
        lang = lang_of(request, body)
        try:
            req = await run_in_threadpool(service.usage.request_more_time, body.minutes, body.note)
        except MoreTimeError as exc:
            return JSONResponse({"error": "more_time", "message": exc.zh if lang == "zh" else exc.en},
                                status_code=400)
        key = "more_time_again" if req["duplicate"] else "more_time_sent"
        return {"request": req, "message": say(key, lang)}

    @app.post("/api/always/{item}", response_model=None)
    async def always(item: str, request: Request) -> Any:
        lang = lang_of(request, await body_of(request, EmptyBody))
        if item not in ALWAYS_ALLOWED:
            return JSONResponse({"error": "not_found", "message": "没有这个功能 / No such item"}, status_code=404)
        return await run_in_threadpool(always_sync, item, lang)

    def always_sync(item: str, lang: str) -> Any:
        decision = service.usage.use(item)
        service.events.record({"kind": "always_allowed", "item": item})
        info = next((a for a in always_allowed(lang) if a["id"] == item), {})
        if item == "talk":  # "feeling upset": the help lines, at any time (night, time up)
            info = {**info, "message": service.care.message(lang), "care": service.care.answer(lang)}
        return {"item": item, "local_time": decision.status.local_time, **info}

    app.mount("/static", StaticFiles(directory=WEB_DIR), name="static")
    return app

