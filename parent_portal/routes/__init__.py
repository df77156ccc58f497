"""One router per area of the portal; parent_portal.app includes them all.

`page_router()` is what every page area uses: CSRF on state-changing forms, HTML by default, and the
answers a page can give documented in the OpenAPI schema (schemathesis holds the portal to it)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse

from parent_portal.deps import csrf_protect

_HTML: dict[str, Any] = {"text/html": {}}
PAGE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "the page", "content": _HTML},
    303: {"description": "done: on to the next page (or to sign-in when not signed in)"},
    400: {"description": "the form again with what to correct", "content": _HTML},
    403: {"description": "the form's CSRF token is missing or wrong", "content": _HTML},
    404: {"description": "no such page, or not the parent's (ids of other families look the same)",
          "content": _HTML},
    429: {"description": "too many attempts: try again later", "content": _HTML},
}


def page_router() -> APIRouter:
    return APIRouter(dependencies=[Depends(csrf_protect)], default_response_class=HTMLResponse,
                     responses=PAGE_RESPONSES)
