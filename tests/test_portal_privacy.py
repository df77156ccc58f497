"""Data rights and the feedback loop: export, delete a child and everything about them, retention,
feedback counted by rule across families (never the child's words), `kidsafe fleet feedback`."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from portal_support import Parent, child_today, make_portal
from sqlalchemy import func, select

from kidsafe.cli import main as kidsafe_main
from parent_portal.feedback import aggregate
from parent_portal.models import Child, Device, Event, Feedback, TimeRequest, UsageDay
from parent_portal.privacy import apply_retention


def seed(client: TestClient, child_id: int, device_id: str, days_ago: int = 0, n: int = 2) -> list[int]:
    at = datetime.now(UTC) - timedelta(days=days_ago)
    with client.app.state.sessions() as db:
        if db.get(Device, device_id) is None:
            db.add(Device(id=device_id, child_id=child_id, name="speaker", secret_hash="x"))
        events = [Event(child_id=child_id, device_id=device_id, msg_id=f"{days_ago}-{i}", kind="search_blocked",
                        at=at, category="gambling", rule="lexicon:core:赌博", query_text="孩子的原话")
                  for i in range(n)]
        db.add_all(events)
        db.add(UsageDay(child_id=child_id, device_id=device_id, day=at.date(), used_s=1200))
        db.add(TimeRequest(child_id=child_id, device_id=device_id, ref=f"r{days_ago}", minutes=10, status="denied",
                           created_at=at))
        db.commit()
        return [e.id for e in events]


@pytest.fixture
def family(tmp_path, portal_db_url):  # noqa: ANN001, ANN201
    client = make_portal(portal_db_url, data_dir=tmp_path)  # on SQLite and on PostgreSQL
    parent = Parent(client)
    parent.register("mama")
    yield client, parent, parent.add_child("小明", 2016)
    client.app.state.engine.dispose()


def rows(client: TestClient, model, child_id: int) -> int:  # noqa: ANN001
    with client.app.state.sessions() as db:
        return db.scalar(select(func.count()).select_from(model).where(model.child_id == child_id))


def test_export_has_everything_about_the_child(family) -> None:
    client, parent, child_id = family
    seed(client, child_id, "speaker-1")
    r = client.get(f"/children/{child_id}/export")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    data = r.json()
    assert data["child"]["name"] == "小明" and len(data["events"]) == 2 and data["usage"][0]["used_s"] == 1200
    assert data["devices"][0]["id"] == "speaker-1" and data["requests"][0]["status"] == "denied"


def test_delete_needs_the_name_and_then_removes_every_row(family) -> None:
    client, parent, child_id = family
    event_ids = seed(client, child_id, "speaker-1")
    report = f"/children/{child_id}/report"
    parent.post(f"/events/{event_ids[0]}/feedback", {"verdict": "wrong_block"}, token_from=report)
    wrong = parent.post(f"/children/{child_id}/delete", {"confirm": "小"}, token_from=f"/children/{child_id}/privacy")
    assert wrong.status_code == 400 and rows(client, Event, child_id) == 2
    r = parent.post(f"/children/{child_id}/delete", {"confirm": "小明"}, token_from=f"/children/{child_id}/privacy")
    assert r.status_code == 303
    for model in (Event, UsageDay, TimeRequest, Device):
        assert rows(client, model, child_id) == 0, model.__name__
    with client.app.state.sessions() as db:
        assert db.get(Child, child_id) is None
        kept = db.scalars(select(Feedback)).all()  # the count survives, without any link to the child
        assert [(f.rule, f.event_id) for f in kept] == [("lexicon:core:赌博", None)]
    assert client.get(f"/children/{child_id}").status_code == 404


def test_retention_removes_only_old_rows(family) -> None:
    client, _, child_id = family
    seed(client, child_id, "speaker-1", days_ago=200)
    seed(client, child_id, "speaker-1", days_ago=1)
    with client.app.state.sessions() as db:
        assert apply_retention(db, 90) == 2 + 1 + 1
    assert rows(client, Event, child_id) == 2 and rows(client, UsageDay, child_id) == 1


def test_feedback_counts_rules_across_families_without_child_text(tmp_path, family, capsys) -> None:  # noqa: ANN001
    client, parent, child_id = family
    ids = seed(client, child_id, "speaker-1")
    for event_id in ids + ids[:1]:  # one vote per parent and row: the repeat changes nothing
        r = parent.post(f"/events/{event_id}/feedback", {"verdict": "wrong_block"},
                        token_from=f"/children/{child_id}/report")
        assert r.status_code == 303
    other = Parent(TestClient(client.app, base_url="https://testserver", follow_redirects=False))
    other.register("papa2")
    other_child = other.add_child("小红", 2012)
    other_ids = seed(client, other_child, "watch-9")
    other.post(f"/events/{other_ids[0]}/feedback", {"verdict": "wrong_block"},
               token_from=f"/children/{other_child}/report")
    assert other.post(f"/events/{ids[0]}/feedback", {"verdict": "wrong_block"},
                      token_from="/").status_code == 404  # not their row
    with client.app.state.sessions() as db:
        (row,) = aggregate(db)
    assert (row.rule, row.category, row.marks, row.families) == ("lexicon:core:赌博", "gambling", 3, 2)
    import os

    os.environ["DATABASE_URL"] = client.app.state.settings.database_url
    try:
        assert kidsafe_main(["fleet", "feedback", "--json"]) == 0
        out = capsys.readouterr().out
        assert kidsafe_main(["portal", "feedback", "--json"]) == 0  # the older name still works
        assert capsys.readouterr().out == out
    finally:
        del os.environ["DATABASE_URL"]
    assert json.loads(out.splitlines()[0])["marks"] == 3 and "孩子的原话" not in out


def test_report_page_shows_charts_and_hides_words_by_default(family) -> None:
    client, _, child_id = family
    seed(client, child_id, "speaker-1")
    page = client.get(f"/children/{child_id}/report").text
    assert page.count("<svg") == 2 and "lexicon:core:赌博" in page and "孩子的原话" not in page
    assert f"{child_today().month}/{child_today().day}" in page


def test_should_have_been_blocked_counts_the_word_and_blocks_it(family) -> None:
    client, parent, child_id = family
    report = f"/children/{child_id}/report"
    r = parent.post(f"/children/{child_id}/missed", {"term": "吃鸡外挂", "category": "addiction_bypass",
                                                     "block_too": "on"}, token_from=report)
    assert r.status_code == 303
    with client.app.state.sessions() as db:
        (row,) = aggregate(db)
        child = db.get(Child, child_id)
    assert (row.verdict, row.rule, row.category) == ("missed", "term:吃鸡外挂", "addiction_bypass")
    assert child.settings["block_words"] == ["吃鸡外挂"] and child.policy_version == 1
    bad = parent.post(f"/children/{child_id}/missed", {"term": "x", "category": "nonsense"}, token_from=report)
    assert bad.status_code == 400
