"""The parent's account: language, inviting a second parent into the family, a new recovery code."""

from __future__ import annotations

from fastapi import Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from parent_portal.deps import current_parent, get_db, optional_parent
from parent_portal.i18n import LANGUAGES
from parent_portal.i18n import gettext as _
from parent_portal.models import FamilyInvite, Parent, utcnow
from parent_portal.routes import page_router
from parent_portal.routes.auth import invite_expiry
from parent_portal.security import hash_secret, human_code, recovery_code, token_digest, verify_secret
from parent_portal.web import render

router = page_router()


def _safe_next(target: str) -> str:
    """Only same-site paths, never '//host' or 'https://...' (no open redirect)."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


@router.get("/account")
def account(request: Request, parent: Parent = Depends(current_parent)) -> Response:
    return render(request, "account.html", {"members": parent.family.parents})


@router.post("/account/invite")
def invite(request: Request, parent: Parent = Depends(current_parent), db: Session = Depends(get_db)) -> Response:
    code = human_code()
    db.add(FamilyInvite(code_hash=token_digest(code), family_id=parent.family_id,
                        expires_at=utcnow() + invite_expiry()))
    db.commit()
    return render(request, "account.html", {"members": parent.family.parents, "invite_code": code})


@router.post("/account/recovery")
def new_recovery(request: Request, password: str = Form(max_length=256), parent: Parent = Depends(current_parent),
                 db: Session = Depends(get_db)) -> Response:
    if not verify_secret(parent.password_hash, password):
        return render(request, "account.html", {"members": parent.family.parents,
                                                "error": _("Wrong password.")}, status=400)
    code = recovery_code()
    parent.recovery_hash = hash_secret(code)
    db.commit()
    return render(request, "recovery_code.html", {"code": code})


@router.post("/lang")
def switch_language(request: Request, code: str = Form(max_length=8), next: str = Form("/", max_length=200),
                    parent: Parent | None = Depends(optional_parent), db: Session = Depends(get_db)) -> Response:
    response = RedirectResponse(_safe_next(next), status_code=303)
    if code in LANGUAGES:
        response.set_cookie("ks_lang", code, max_age=365 * 86400, samesite="lax", path="/")
        if parent is not None:
            parent.language = code
            db.commit()
    return response
