"""Authorization: parent B can neither read nor change anything of parent A's child, by id guessing too."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient
from portal_support import Parent, make_portal

from parent_portal.models import Child, Device, Event, TimeRequest, UsageDay


@pytest.fixture
def two_families(portal_db_url: str) -> tuple[Parent, Parent, dict]:
    client = make_portal(portal_db_url)  # on SQLite and on PostgreSQL
    a = Parent(client)
    a.register("parent_a")
    child_id = a.add_child("小明", 2016)
    with client.app.state.sessions() as db:
        db.add(Device(id="dev-a", child_id=child_id, name="speaker", secret_hash="x"))
        db.flush()
        ev = Event(child_id=child_id, device_id="dev-a", msg_id="m1", kind="search_blocked",
                   at=datetime.now(UTC), category="sexual", rule="lexicon:core:x", query_text="秘密的搜索")
        req = TimeRequest(child_id=child_id, device_id="dev-a", ref="r1", minutes=20)
        db.add_all([ev, req, UsageDay(child_id=child_id, device_id="dev-a", day=date.today(), used_s=600)])
        db.commit()
        ids = {"child": child_id, "event": ev.id, "request": req.id}
    b = Parent(TestClient(client.app, base_url="https://testserver", follow_redirects=False))
    b.register("parent_b")
    b.add_child("小红", 2014)
    return a, b, ids


def test_owner_sees_own_child(two_families) -> None:
    a, _, ids = two_families
    for path in (f"/children/{ids['child']}", f"/children/{ids['child']}/report",
                 f"/children/{ids['child']}/requests", f"/children/{ids['child']}/export"):
        assert a.client.get(path).status_code == 200, path


def test_other_parent_cannot_read_by_guessing_ids(two_families) -> None:
    a, b, ids = two_families
    for guess in range(1, ids["child"] + 3):
        own = b.client.get(f"/children/{guess}")
        if "小红" in own.text:
            continue
        for suffix in ("", "/report", "/requests", "/export", "/privacy"):
            r = b.client.get(f"/children/{guess}{suffix}")
            assert r.status_code == 404, (guess, suffix)
            assert "小明" not in r.text and "秘密" not in r.text


def test_other_parent_cannot_change_anything(two_families) -> None:
    a, b, ids = two_families
    child = ids["child"]
    token = b.token("/")
    attempts = [
        (f"/children/{child}/settings", {"weekday_limit_min": "999", "weekend_limit_min": "999"}),
        (f"/children/{child}/delete", {"confirm": "小明"}),
        (f"/children/{child}/devices/dev-a/unpair", {}),
        (f"/requests/{ids['request']}/answer", {"action": "approve", "minutes": "300"}),
        (f"/events/{ids['event']}/feedback", {"verdict": "wrong_block"}),
        ("/pair", {"code": "AAAA-BBBB", "child_id": str(child)}),
    ]
    for path, data in attempts:
        r = b.client.post(path, data={**data, "csrf_token": token})
        assert r.status_code in (400, 404), (path, r.status_code)
    with a.client.app.state.sessions() as db:
        kept = db.get(Child, child)
        assert kept is not None and kept.settings["weekday_limit_min"] != 999 and kept.policy_version == 0
        assert db.get(Device, "dev-a") is not None
        assert db.get(TimeRequest, ids["request"]).status == "pending"


def test_signed_out_visitor_is_sent_to_sign_in(two_families) -> None:
    a, _, ids = two_families
    stranger = TestClient(a.client.app, base_url="https://testserver", follow_redirects=False)
    for path in ("/", f"/children/{ids['child']}", f"/children/{ids['child']}/export", "/requests/stream"):
        r = stranger.get(path)
        assert r.status_code == 303 and r.headers["location"] == "/login", path
