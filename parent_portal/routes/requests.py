""""More time" requests: a child's list, the live stream (server-sent events), approve or deny."""

from __future__ import annotations

from fastapi import Depends, Form, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from parent_portal import requests_service
from parent_portal.dashboard import local_today
from parent_portal.deps import current_parent, get_db, owned_child, owned_request
from parent_portal.i18n import gettext as _
from parent_portal.models import DEFAULT_TIMEZONE, Child, Parent, TimeRequest
from parent_portal.routes import page_router
from parent_portal.sse import SSE_RESPONSES, event_stream
from parent_portal.web import render

router = page_router()


@router.get("/children/{child_id}/requests")
def child_requests(request: Request, child: Child = Depends(owned_child), db: Session = Depends(get_db)) -> Response:
    rows = db.scalars(select(TimeRequest).where(TimeRequest.child_id == child.id)
                      .order_by(TimeRequest.id.desc()).limit(100)).all()
    return render(request, "requests.html", {"child": child, "rows": rows})


@router.post("/requests/{request_id}/answer", responses={
    503: {"description": "the message server is not reachable", "content": {"text/html": {}}}})
def answer(request: Request, action: str = Form(max_length=10), minutes: int = Form(15, ge=0, le=600),
           row: TimeRequest = Depends(owned_request), db: Session = Depends(get_db)) -> Response:
    if action not in ("approve", "deny"):
        return render(request, "error.html", {"status": 400, "error": _("Unknown choice.")}, status=400)
    child = db.get(Child, row.child_id)
    today = local_today(child.timezone if child else DEFAULT_TIMEZONE)  # the day where the child is
    if not requests_service.answer(db, row, action == "approve", minutes, request.app.state.publisher, today):
        return render(request, "error.html", {"status": 503, "error": _(
            "The answer could not be sent (the message server is not reachable). Please try again.")}, status=503)
    return RedirectResponse(f"/children/{row.child_id}/requests", status_code=303)


def _pending(request: Request, family_id: int, after: int) -> list[dict]:
    with request.app.state.sessions() as db:
        rows = requests_service.family_requests(db, family_id, after)
        names = {c.id: c.name for c in db.scalars(select(Child).where(Child.family_id == family_id))}
        return [{"id": r.id, "child_id": r.child_id, "child": names.get(r.child_id, ""), "minutes": r.minutes,
                 "note": r.note} for r in rows]


@router.get("/requests/stream", response_class=StreamingResponse, responses=SSE_RESPONSES)
def stream(request: Request, parent: Parent = Depends(current_parent)) -> StreamingResponse:
    """Pending requests of the parent's family as server-sent events, new ones as they arrive."""
    family_id = parent.family_id
    labels = {"asks": _("asks for %(m)s more minutes"), "approve": _("Approve"), "deny": _("Deny"),
              "minutes": _("minutes")}
    last = [0]

    def poll() -> list[tuple[str, str, dict]]:
        items = _pending(request, family_id, last[0])
        for item in items:
            last[0] = max(last[0], item["id"])
        return [(str(item["id"]), "request", {**item, "labels": labels}) for item in items]

    return event_stream(request, poll)
