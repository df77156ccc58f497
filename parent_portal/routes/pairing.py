"""Pairing pages: enter (or scan) the device's code and choose the child; unpair a device."""

from __future__ import annotations

from fastapi import Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from parent_portal import pairing, ratelimit
from parent_portal.deps import current_parent, get_db, owned_device
from parent_portal.i18n import gettext as _
from parent_portal.models import Child, Device, Parent
from parent_portal.policy_doc import N_
from parent_portal.policy_service import publish_current, save_settings
from parent_portal.routes import page_router
from parent_portal.web import render

router = page_router()
BROKER_DOWN = N_("The message server's accounts could not be updated. Nothing was changed; please try again.")


def _children(db: Session, parent: Parent) -> list[Child]:
    return list(db.scalars(select(Child).where(Child.family_id == parent.family_id).order_by(Child.id)))


@router.get("/pair")
def pair_page(request: Request, code: str = "", child: int | None = None, parent: Parent = Depends(current_parent),
              db: Session = Depends(get_db)) -> Response:
    return render(request, "pair.html", {"code": code[:16], "children": _children(db, parent), "selected": child})


@router.post("/pair", responses={503: {"description": "the broker's accounts could not be written",
                                       "content": {"text/html": {}}}})
def pair(request: Request, code: str = Form(max_length=32), child_id: int = Form(), name: str = Form("", max_length=40),
         parent: Parent = Depends(current_parent), db: Session = Depends(get_db)) -> Response:
    settings = request.app.state.settings
    children = _children(db, parent)
    child = next((c for c in children if c.id == child_id), None)

    def again(message: str, status: int = 400) -> Response:
        return render(request, "pair.html", {"code": code, "children": children, "selected": child_id,
                                             "error": message}, status=status)

    key = [f"pair:{parent.id}"]
    if ratelimit.blocked(db, key, settings.login_max_failures * 2, settings.login_window_s):
        return again(_("Too many wrong codes. Try again later."), status=429)
    if child is None:
        return again(_("Choose a child."))
    row = pairing.pending_code(db, code)
    if row is None:
        ratelimit.record_failure(db, key, settings.login_window_s)
        return again(_("That code is wrong or has expired. The device shows a new one."))
    try:
        pairing.claim(db, row, child, name.strip(), request.app.state.broker_accounts)
    except pairing.PairingError as exc:
        if exc.code == "broker_unavailable":
            return again(_(BROKER_DOWN), status=503)
        return again(_("That device is already paired. Unpair it first."))
    publisher = request.app.state.publisher
    if child.policy_version == 0:
        save_settings(db, child, child.settings, publisher)
    else:
        publish_current(child, publisher)
    return RedirectResponse(f"/children/{child.id}?paired=1", status_code=303)


@router.post("/children/{child_id}/devices/{device_id}/unpair", responses={
    503: {"description": "the broker's accounts could not be written", "content": {"text/html": {}}}})
def unpair(request: Request, device: Device = Depends(owned_device), db: Session = Depends(get_db)) -> Response:
    child_id = device.child_id
    publisher = request.app.state.publisher
    try:
        pairing.unpair(db, device, request.app.state.broker_accounts)
    except pairing.PairingError:
        return render(request, "error.html", {"status": 503, "error": _(BROKER_DOWN)}, status=503)
    if publisher is not None and hasattr(publisher, "unpublish"):
        publisher.unpublish(device.id)
    return RedirectResponse(f"/children/{child_id}", status_code=303)
