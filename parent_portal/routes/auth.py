"""Register, sign in and out, recover with the recovery code. Rate-limited; no secret is ever logged."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

from fastapi import Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from parent_portal import ratelimit
from parent_portal.deps import get_db, new_session, optional_parent, session_cookie_name
from parent_portal.i18n import gettext as _
from parent_portal.models import Family, FamilyInvite, Parent, utcnow
from parent_portal.models import Session as LoginSession
from parent_portal.routes import page_router
from parent_portal.security import hash_secret, normalise_code, recovery_code, token_digest, verify_secret
from parent_portal.web import render

log = logging.getLogger(__name__)
router = page_router()
USERNAME = re.compile(r"^[\w.@-]{3,32}$")
MIN_PASSWORD = 10


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _sign_in(request: Request, db: Session, parent: Parent, target: str = "/") -> Response:
    raw = new_session(db, parent, request.app.state.settings.session_days)
    db.commit()
    response = RedirectResponse(target, status_code=303)
    _set_session_cookie(request, response, raw)
    return response


def _set_session_cookie(request: Request, response: Response, raw: str) -> None:
    settings = request.app.state.settings
    response.set_cookie(session_cookie_name(request), raw, max_age=settings.session_days * 86400, httponly=True,
                        secure=settings.cookie_secure, samesite="lax", path="/")


@router.get("/login")
def login_page(request: Request, parent: Parent | None = Depends(optional_parent)) -> Response:
    if parent is not None:
        return RedirectResponse("/", status_code=303)
    return render(request, "login.html")


@router.post("/login")
def login(request: Request, username: str = Form(max_length=64), password: str = Form(max_length=256),
          db: Session = Depends(get_db)) -> Response:
    settings = request.app.state.settings
    keys = [f"user:{username.lower()}", f"ip:{_client(request)}"]
    if ratelimit.blocked(db, keys, settings.login_max_failures, settings.login_window_s):
        log.warning("sign-in refused: too many failures (account or address)")
        minutes = max(1, settings.login_window_s // 60)
        return render(request, "login.html", {"error": _("Too many failed attempts. Try again in %(m)d minutes.")
                                              % {"m": minutes}, "username": username}, status=429)
    parent = db.scalar(select(Parent).where(Parent.username == username))
    if not verify_secret(parent.password_hash if parent else None, password) or parent is None:
        ratelimit.record_failure(db, keys, settings.login_window_s)
        return render(request, "login.html", {"error": _("Wrong user name or password."), "username": username},
                      status=400)
    ratelimit.clear(db, keys[0])
    response = _sign_in(request, db, parent)
    response.set_cookie("ks_lang", parent.language, max_age=365 * 86400, samesite="lax", path="/")
    return response


@router.get("/register")
def register_page(request: Request, invite: str = "") -> Response:
    return render(request, "register.html", {"invite": invite})


@router.post("/register")
def register(request: Request, username: str = Form(max_length=64), password: str = Form(max_length=256),
             password2: str = Form(max_length=256), invite: str = Form("", max_length=32),
             db: Session = Depends(get_db)) -> Response:
    def again(message: str) -> Response:
        return render(request, "register.html", {"error": message, "username": username, "invite": invite},
                      status=400)

    if not USERNAME.match(username):
        return again(_("User name: 3 to 32 letters, digits or . _ - @"))
    if len(password) < MIN_PASSWORD:
        return again(_("Password: at least 10 characters."))
    if password != password2:
        return again(_("The two passwords differ."))
    if db.scalar(select(Parent.id).where(Parent.username == username)) is not None:
        return again(_("That user name is taken."))
    if invite.strip():
        row = db.get(FamilyInvite, token_digest(normalise_code(invite)))
        if row is None or row.expires_at <= utcnow():
            ratelimit.record_failure(db, [f"ip:{_client(request)}"], request.app.state.settings.login_window_s)
            return again(_("That family invitation code is wrong or has expired."))
        family_id = row.family_id
        db.delete(row)
    else:
        family = Family()
        db.add(family)
        db.flush()
        family_id = family.id
    code = recovery_code()
    parent = Parent(family_id=family_id, username=username, password_hash=hash_secret(password),
                    recovery_hash=hash_secret(code), language=request.cookies.get("ks_lang", "zh"))
    db.add(parent)
    db.flush()
    raw = new_session(db, parent, request.app.state.settings.session_days)
    db.commit()
    request.state.parent = parent
    response = render(request, "recovery_code.html", {"code": code})
    _set_session_cookie(request, response, raw)
    return response


@router.post("/logout")
def logout(request: Request, db: Session = Depends(get_db)) -> Response:
    raw = request.cookies.get(session_cookie_name(request))
    if raw:
        db.execute(delete(LoginSession).where(LoginSession.token_hash == token_digest(raw)))
        db.commit()
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(session_cookie_name(request), path="/")
    return response


@router.get("/recover")
def recover_page(request: Request) -> Response:
    return render(request, "recover.html")


@router.post("/recover")
def recover(request: Request, username: str = Form(max_length=64), code: str = Form(max_length=64),
            password: str = Form(max_length=256), db: Session = Depends(get_db)) -> Response:
    settings = request.app.state.settings
    keys = [f"recover:{username.lower()}", f"ip:{_client(request)}"]
    if ratelimit.blocked(db, keys, settings.login_max_failures, settings.login_window_s):
        return render(request, "recover.html", {"error": _("Too many failed attempts. Try again in %(m)d minutes.")
                                                % {"m": settings.login_window_s // 60}}, status=429)
    if len(password) < MIN_PASSWORD:
        return render(request, "recover.html", {"error": _("Password: at least 10 characters.")}, status=400)
    parent = db.scalar(select(Parent).where(Parent.username == username))
    if not verify_secret(parent.recovery_hash if parent else None, normalise_code(code)) or parent is None:
        ratelimit.record_failure(db, keys, settings.login_window_s)
        return render(request, "recover.html", {"error": _("Wrong user name or recovery code.")}, status=400)
    new_code = recovery_code()
    parent.password_hash = hash_secret(password)
    parent.recovery_hash = hash_secret(new_code)
    db.execute(delete(LoginSession).where(LoginSession.parent_id == parent.id))  # sign out everywhere
    raw = new_session(db, parent, settings.session_days)
    db.commit()
    request.state.parent = parent
    response = render(request, "recovery_code.html", {"code": new_code})
    _set_session_cookie(request, response, raw)
    return response


def invite_expiry() -> timedelta:
    return timedelta(hours=24)
