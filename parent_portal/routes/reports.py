"""A child's report page and the feedback buttons on its rows."""

from __future__ import annotations

from fastapi import Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from parent_portal import charts, report
from parent_portal.deps import RowId, current_parent, get_db, owned_child
from parent_portal.device_link import PARENT_CATEGORIES, category_name
from parent_portal.i18n import current_language
from parent_portal.i18n import gettext as _
from parent_portal.models import Child, Event, Feedback, Parent
from parent_portal.policy_service import save_settings
from parent_portal.routes import page_router
from parent_portal.web import render

router = page_router()
VERDICTS = ("wrong_block", "missed")


@router.get("/children/{child_id}/report")
def report_page(request: Request, days: int = 7, child: Child = Depends(owned_child),
                db: Session = Depends(get_db)) -> Response:
    days = max(1, min(days, 90))
    rep = report.build(db, child, days)
    lang = current_language.get()
    names = {c: category_name(c, lang) for c in (*PARENT_CATEGORIES, "pii")}
    names["other"] = _("other")
    limit = child.settings.get("weekday_limit_min")
    given = {r[0] for r in db.execute(select(Feedback.event_id).where(
        Feedback.event_id.in_([e.id for e in rep.blocked]))).all()} if rep.blocked else set()
    return render(request, "report.html", {
        "child": child, "rep": rep, "days": days, "names": names, "given": given,
        "noted": request.query_params.get("noted") == "1", "parent_categories": PARENT_CATEGORIES,
        "time_chart": charts.bar_chart(rep.days, rep.minutes, _("Minutes used per day"), _("min"), limit),
        "blocked_chart": charts.stacked_chart(rep.days, rep.blocked_series, names, _("Blocked items per day"),
                                              _("items")),
    })


@router.post("/children/{child_id}/missed")
def missed(request: Request, term: str = Form(max_length=64), category: str = Form(max_length=32),
           block_too: str = Form(""), child: Child = Depends(owned_child), parent: Parent = Depends(current_parent),
           db: Session = Depends(get_db)) -> Response:
    """"Should have been blocked": the parent names the word (the parent's text, not the child's)."""
    term = term.strip()
    if not term or category not in PARENT_CATEGORIES:
        raise HTTPException(status_code=400, detail="a word and a category")
    db.add(Feedback(parent_id=parent.id, verdict="missed", rule=f"term:{term}", category=category))
    db.commit()
    if block_too == "on" and term not in child.settings.get("block_words", []):
        settings = {**child.settings, "block_words": [*child.settings.get("block_words", []), term]}
        save_settings(db, child, settings, request.app.state.publisher)
    return RedirectResponse(f"/children/{child.id}/report?noted=1#missed", status_code=303)


@router.post("/events/{event_id}/feedback")
def feedback(event_id: RowId, verdict: str = Form(max_length=16), parent: Parent = Depends(current_parent),
             db: Session = Depends(get_db)) -> Response:
    event = db.scalar(select(Event).join(Child, Child.id == Event.child_id)
                      .where(Event.id == event_id, Child.family_id == parent.family_id))
    if event is None or verdict not in VERDICTS:
        raise HTTPException(status_code=404)
    db.add(Feedback(event_id=event.id, parent_id=parent.id, verdict=verdict, rule=event.rule or "",
                    category=event.category or ""))
    try:
        db.commit()
    except IntegrityError:  # one vote per parent and row
        db.rollback()
    return RedirectResponse(f"/children/{event.child_id}/report#event-{event.id}", status_code=303)
