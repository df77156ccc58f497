"""Request dependencies: the database session, the signed-in parent, ownership checks and CSRF."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from parent_portal.models import Child, Device, Parent, TimeRequest, utcnow
from parent_portal.models import Session as LoginSession
from parent_portal.security import csrf_ok, token_digest

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# A row id in a path: what the databases' INTEGER holds (a larger one is a 422, not a driver overflow).
RowId = Annotated[int, Path(ge=1, le=2_147_483_647)]
DeviceIdPath = Annotated[str, Path(min_length=1, max_length=64)]


class SignInRequired(Exception):
    """Raised by current_parent; the app answers with a redirect to the sign-in page."""


def session_cookie_name(request: Request) -> str:
    return "__Host-ks_session" if request.app.state.settings.cookie_secure else "ks_session"


def get_db(request: Request) -> Iterator[Session]:
    with request.app.state.sessions() as db:
        yield db


def optional_parent(request: Request, db: Session = Depends(get_db)) -> Parent | None:
    raw = request.cookies.get(session_cookie_name(request))
    if not raw:
        return None
    # one query per request: the session and its parent together (only the token's digest is stored)
    found = db.execute(select(Parent, LoginSession.expires_at).join(LoginSession, LoginSession.parent_id == Parent.id)
                       .where(LoginSession.token_hash == token_digest(raw))).first()
    if found is None or found[1] <= utcnow():
        return None
    parent = found[0]
    request.state.parent = parent
    return parent


def current_parent(parent: Parent | None = Depends(optional_parent)) -> Parent:
    if parent is None:
        raise SignInRequired()
    return parent


def owned_child(child_id: RowId, parent: Parent = Depends(current_parent), db: Session = Depends(get_db)) -> Child:
    """The child with this id if it belongs to the parent's family; 404 otherwise (no hint it exists)."""
    child = db.scalar(select(Child).where(Child.id == child_id, Child.family_id == parent.family_id))
    if child is None:
        raise HTTPException(status_code=404)
    return child


def owned_device(device_id: DeviceIdPath, child: Child = Depends(owned_child), db: Session = Depends(get_db)) -> Device:
    device = db.scalar(select(Device).where(Device.id == device_id, Device.child_id == child.id))
    if device is None:
        raise HTTPException(status_code=404)
    return device


def owned_request(request_id: RowId, parent: Parent = Depends(current_parent),
                  db: Session = Depends(get_db)) -> TimeRequest:
    row = db.scalar(
        select(TimeRequest).join(Child, Child.id == TimeRequest.child_id)
        .where(TimeRequest.id == request_id, Child.family_id == parent.family_id)
    )
    if row is None:
        raise HTTPException(status_code=404)
    return row


async def csrf_protect(request: Request) -> None:
    """Every state-changing request from a browser carries the form token bound to its CSRF cookie."""
    if request.method in SAFE_METHODS:
        return
    form = await request.form()
    secret = request.app.state.secret
    token = form.get("csrf_token")
    if not csrf_ok(secret, request.cookies.get("ks_csrf"), token if isinstance(token, str) else None):
        raise HTTPException(status_code=403, detail="CSRF check failed")


def new_session(db: Session, parent: Parent, days: int) -> str:
    """Create a login session; returns the cookie value (only its digest is stored)."""
    from parent_portal.security import token

    raw = token()
    db.add(LoginSession(token_hash=token_digest(raw), parent_id=parent.id, expires_at=utcnow() + timedelta(days=days)))
    return raw
