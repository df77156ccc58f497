"""The dashboard, adding a child, and a child's settings page (saving publishes the policy)."""

from __future__ import annotations

import logging
from datetime import date

from fastapi import Depends, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response, StreamingResponse
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from parent_portal.dashboard import child_cards
from parent_portal.deps import current_parent, get_db, owned_child
from parent_portal.device_link import EXEMPT_FEATURES, PARENT_CATEGORIES, PolicyRejected, category_name
from parent_portal.i18n import current_language
from parent_portal.i18n import gettext as _
from parent_portal.models import Child, Parent
from parent_portal.policy_doc import (
    COMMON_TIMEZONES,
    N_,
    SettingsError,
    age_band,
    default_settings,
    parse_timezone,
    settings_from_form,
)
from parent_portal.policy_service import DeviceStatus, device_statuses, save_settings
from parent_portal.routes import page_router
from parent_portal.sse import SSE_RESPONSES, event_stream
from parent_portal.support import mark_seen
from parent_portal.web import localtime, render

log = logging.getLogger(__name__)
router = page_router()


@router.get("/")
def dashboard(request: Request, parent: Parent = Depends(current_parent), db: Session = Depends(get_db)) -> Response:
    children = db.scalars(select(Child).where(Child.family_id == parent.family_id).order_by(Child.id)
                          .options(selectinload(Child.devices))).all()  # the cards' devices in one query
    return render(request, "dashboard.html", {"cards": child_cards(db, list(children), current_language.get())})


@router.post("/children/{child_id}/support/seen")
def support_seen(child: Child = Depends(owned_child), db: Session = Depends(get_db)) -> Response:
    """"I have talked with my child": the support notice goes until the device reports a new one."""
    mark_seen(db, child)
    return RedirectResponse("/", status_code=303)


@router.get("/children/new")
def new_child_page(request: Request, parent: Parent = Depends(current_parent)) -> Response:
    return render(request, "child_new.html", {"this_year": date.today().year})


@router.post("/children/new")
def new_child(request: Request, name: str = Form(max_length=40), birth_year: int = Form(),
              parent: Parent = Depends(current_parent), db: Session = Depends(get_db)) -> Response:
    name = name.strip()
    try:
        if not name:
            raise SettingsError("name", N_("Please enter a name."))
        settings = default_settings(birth_year)
    except SettingsError as exc:
        return render(request, "child_new.html", {"error": exc.translated(_), "name": name,
                                                  "this_year": date.today().year}, status=400)
    child = Child(family_id=parent.family_id, name=name, birth_year=birth_year, settings=settings,
                  timezone=request.app.state.settings.timezone)
    db.add(child)
    db.commit()
    return RedirectResponse(f"/children/{child.id}", status_code=303)


def _settings_page(request: Request, child: Child, settings: dict, error: str | None = None, saved: bool = False,
                   status: int = 200, timezone: str | None = None) -> Response:
    lang = current_language.get()
    return render(request, "child.html", {
        "child": child,
        "s": settings,
        "tz": timezone or child.timezone,
        "common_timezones": COMMON_TIMEZONES,
        "band": age_band(child.birth_year),
        "categories": [(c, category_name(c, lang)) for c in PARENT_CATEGORIES],
        "exempt_features": EXEMPT_FEATURES,
        "devices": device_statuses(child),
        "error": error,
        "saved": saved,
    }, status=status)


def _status_labels() -> dict[str, str]:
    return {"applied": _("Settings applied on the device at %(when)s"),
            "waiting": _("Waiting for the device to apply the settings"), "online": _("online"),
            "offline": _("offline")}


def _status_json(st: DeviceStatus, labels: dict[str, str], zone: str) -> dict:
    """What the settings page shows of one device, as its live stream sends it."""
    applied = bool(st.applied and st.applied_at)
    online = labels["online"] if st.online else labels["offline"] if st.online is False else ""
    return {"id": st.device.id, "applied": applied, "version": st.device.applied_version, "online": st.online,
            "text": labels["applied"] % {"when": localtime(st.applied_at, zone)} if applied else labels["waiting"],
            "online_text": online}


@router.get("/children/{child_id}/devices/stream", response_class=StreamingResponse, responses=SSE_RESPONSES)
def device_stream(request: Request, child: Child = Depends(owned_child)) -> StreamingResponse:
    """The child's devices' status (applied version, online) as server-sent events whenever it changes."""
    child_id, zone, labels = child.id, child.timezone, _status_labels()
    sent: dict[str, dict] = {}

    def poll() -> list[tuple[str, str, dict]]:
        with request.app.state.sessions() as db:
            row = db.get(Child, child_id)
            now = [_status_json(st, labels, zone) for st in device_statuses(row)] if row is not None else []
        changed = [item for item in now if sent.get(item["id"]) != item]
        sent.update({item["id"]: item for item in changed})
        return [("", "device", item) for item in changed]

    return event_stream(request, poll)


@router.get("/children/{child_id}")
def child_page(request: Request, child: Child = Depends(owned_child)) -> Response:
    return _settings_page(request, child, child.settings, saved=request.query_params.get("saved") == "1")


@router.post("/children/{child_id}/settings")
async def save_child(request: Request, child: Child = Depends(owned_child), db: Session = Depends(get_db)) -> Response:
    form = await request.form()
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    chosen = [v for v in form.getlist("blocked_categories") if isinstance(v, str)]
    exempt = [v for v in form.getlist("exempt_features") if isinstance(v, str)]
    return await run_in_threadpool(_save, request, child, db, values, chosen, exempt)


def _save(request: Request, child: Child, db: Session, values: dict, chosen: list[str], exempt: list[str]) -> Response:
    try:
        settings = settings_from_form(values, chosen, exempt, child.settings)
        zone = parse_timezone(values.get("timezone", child.timezone))
    except SettingsError as exc:
        merged = {**child.settings, **values}
        return _settings_page(request, child, merged, error=exc.translated(_), status=400,
                              timezone=str(values.get("timezone", ""))[:64])
    try:
        save_settings(db, child, settings, request.app.state.publisher, zone)
    except PolicyRejected as exc:  # the device's model refused it: say so, store nothing
        log.error("policy for child %s refused by the device model: %s", child.id, exc)
        return _settings_page(request, child, settings, error=_("The device would refuse these settings."),
                              status=400, timezone=zone)
    return RedirectResponse(f"/children/{child.id}?saved=1", status_code=303)
