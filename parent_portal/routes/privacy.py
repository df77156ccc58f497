"""The privacy notice, a child's data page: export (JSON download) and delete."""

from __future__ import annotations

import json

from fastapi import Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from parent_portal import privacy
from parent_portal.deps import get_db, owned_child
from parent_portal.i18n import gettext as _
from parent_portal.models import Child
from parent_portal.pairing import PairingError
from parent_portal.routes import page_router
from parent_portal.routes.pairing import BROKER_DOWN
from parent_portal.web import render

router = page_router()


@router.get("/privacy")
def notice(request: Request) -> Response:
    return render(request, "privacy.html", {"retention_days": request.app.state.settings.retention_days})


@router.get("/children/{child_id}/privacy")
def child_data(request: Request, child: Child = Depends(owned_child)) -> Response:
    return render(request, "child_privacy.html", {"child": child})


@router.get("/children/{child_id}/export", response_class=Response,
            responses={200: {"description": "all of the child's data", "content": {"application/json": {}}}})
def export(child: Child = Depends(owned_child), db: Session = Depends(get_db)) -> Response:
    body = json.dumps(privacy.export_child(db, child), ensure_ascii=False, indent=1)
    return Response(body, media_type="application/json", headers={
        "Content-Disposition": f'attachment; filename="kidsafe-child-{child.id}.json"', "Cache-Control": "no-store"})


@router.post("/children/{child_id}/delete", responses={
    503: {"description": "the broker's accounts could not be written", "content": {"text/html": {}}}})
def delete(request: Request, confirm: str = Form("", max_length=40), child: Child = Depends(owned_child),
           db: Session = Depends(get_db)) -> Response:
    if confirm.strip() != child.name:
        return render(request, "child_privacy.html", {"child": child, "error": _(
            "To delete, type the child's name exactly.")}, status=400)
    try:
        device_ids = privacy.delete_child(db, child, request.app.state.broker_accounts)
    except PairingError:
        return render(request, "child_privacy.html", {"child": child, "error": _(BROKER_DOWN)}, status=503)
    publisher = request.app.state.publisher
    for device_id in device_ids:
        if publisher is not None and hasattr(publisher, "unpublish"):
            publisher.unpublish(device_id)
    return RedirectResponse("/", status_code=303)
