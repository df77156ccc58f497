"""The dashboard, adding a child, and a child's settings page (saving publishes the policy)."""

from __future__ import annotations

import logging
from datetime import date

from fastapi import Depends, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

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
from parent_portal.policy_service import device_statuses, save_settings
from parent_portal.routes import page_router
from parent_portal.web import render

log = logging.getLogger(__name__)
router = page_router()


@router.get("/")
def dashboard(request: Request, parent: Parent = Depends(current_parent), db: Session = Depends(get_db)) -> Response:
    children = db.scalars(select(Child).where(Child.family_id == parent.family_id).order_by(Child.id)).all()
    return render(request, "dashboard.html", {"cards": child_cards(db, list(children))})


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
