"""A child's search about self-harm reaches the parent as an urgent "may need support" notice on the dashboard,
through the real path: the real device service answers with care and logs "support_needed", the bridge's real
device agent sends it over a real mosquitto, the portal's ingestion worker stores it, the dashboard shows it
(zh and en) with what to do and the help lines of the child's region. Category and time only: the child's
words reach neither the database nor the page. An ordinary block shows no notice; a notice older than the
window is gone, and so is one the parent marked "I have talked with my child" (on SQLite and on PostgreSQL)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from portal_support import Parent, live_portal, make_portal, wait_for
from sqlalchemy import select
from test_portal_agent import _device_side

from parent_portal import report
from parent_portal.models import MAX_EVENT_COUNT, Child, Device, Event, occurrences, utcnow
from parent_portal.support import SUPPORT_DAYS, SUPPORT_KIND

NOTICE_ZH = "可能需要您的关心和支持"
NOTICE_EN = "may need your support"


@pytest.fixture
def stack(tmp_path, portal_broker):  # noqa: ANN001, ANN201
    """The portal, one worker, a signed-in parent, child 小明 and a real device service with its agent."""
    with live_portal(tmp_path, portal_broker.port) as (client, parent, _worker):
        yield from _device_side(tmp_path, portal_broker, client, parent)


def support_event(client, child_id: int, seq: int, at: object, kind: str = SUPPORT_KIND,  # noqa: ANN001
                  **data: object) -> None:
    """A stored support_needed event of the child's watch (added on first use), as the ingestion writes it."""
    with client.app.state.sessions() as db:
        if db.get(Device, "watch-1") is None:
            db.add(Device(id="watch-1", child_id=child_id, secret_hash="x"))
        db.add(Event(child_id=child_id, device_id="watch-1", msg_id=f"seq-{seq}", kind=kind, at=at,
                     category="self_harm", data={"category": "self_harm", **data}))
        db.commit()


def events(client, kind: str) -> list[Event]:  # noqa: ANN001
    with client.app.state.sessions() as db:
        return list(db.scalars(select(Event).where(Event.kind == kind)))


def test_a_child_at_risk_reaches_the_parents_dashboard_without_the_words(stack) -> None:
    client, parent, child_id, svc = stack
    assert svc.search("色情视频", "zh")["message"]  # an ordinary block first: reported, no notice
    wait_for(lambda: events(client, "search_blocked"), timeout=30, what="the ordinary block in the portal")
    assert NOTICE_ZH not in client.get("/").text

    # two searches within the minute, before the agent drains: the device coalesces them into one row
    unsent = svc.events.unsent
    svc.events.unsent = lambda limit=500: []  # the agent's drain finds nothing meanwhile
    try:
        out = svc.search("我不想活了", "zh")
        svc.search("怎么自杀", "zh")
        [coalesced] = svc.events.recent(kind=SUPPORT_KIND)
        assert coalesced["count"] == 2 and not coalesced["sent"]
    finally:
        svc.events.unsent = unsent
    assert "12356" in [line["number"] for line in out["care"]["lines"]]
    wait_for(lambda: NOTICE_ZH in client.get("/").text, timeout=30, what="the support notice on the dashboard")
    page = client.get("/").text
    assert "近 7 天共 2 次" in page  # two occurrences, one message
    assert f"小明 {NOTICE_ZH}" in page and 'role="alert"' in page and "needs-support" in page
    assert "12356" in page and 'href="tel:12356"' in page and "120" in page  # help lines of the child's region
    assert "坦诚地问不会鼓励自杀" in page and "药品" in page  # what a parent can do
    assert "不想活" not in page and "怎么自杀" not in page

    [row] = events(client, SUPPORT_KIND)
    assert row.category == "self_harm" and row.query_text is None and row.child_id == child_id
    assert row.data == {"kind": SUPPORT_KIND, "category": "self_harm", "source": "text", "lang": "zh", "count": 2}
    stored = json.dumps([[e.rule, e.query_text, e.data] for e in events(client, "search_blocked")],
                        ensure_ascii=False)
    # the blocked-search events of them hold no term either (reporting: counts)
    assert "不想活" not in stored and "怎么自杀" not in stored

    r = parent.post("/lang", {"code": "en", "next": "/"}, token_from="/")
    assert r.status_code == 303
    page = client.get("/").text
    assert f"小明 {NOTICE_EN}" in page and "Asking openly does not encourage suicide" in page
    assert "National psychological assistance line" in page and "If your child is in danger right now, call 120" in page


@pytest.mark.usefixtures("portal_broker")
def test_the_notice_shows_for_a_week_then_goes(tmp_path, portal_db_url) -> None:
    client = make_portal(portal_db_url)
    try:
        parent = Parent(client)
        parent.register("papa")
        child_id = parent.add_child("小红", 2015)
        support_event(client, child_id, 1, utcnow() - timedelta(days=SUPPORT_DAYS, minutes=5))
        assert NOTICE_ZH not in client.get("/").text  # older than the window
        for seq in (2, 3):
            support_event(client, child_id, seq, utcnow() - timedelta(hours=seq))
        page = client.get("/").text
        assert f"小红 {NOTICE_ZH}" in page and "近 7 天共 2 次" in page

        # "I have talked with my child": gone until the device reports a new one; another family cannot
        r = parent.post(f"/children/{child_id}/support/seen", {"seen": "1"}, token_from="/")
        assert r.status_code == 303 and NOTICE_ZH not in client.get("/").text
        support_event(client, child_id, 4, utcnow() + timedelta(seconds=1))
        assert "近 7 天共 1 次" in client.get("/").text
        client.cookies.clear()
        stranger = Parent(client)
        stranger.register("stranger")
        r = stranger.post(f"/children/{child_id}/support/seen", {"seen": "1"}, token_from="/")
        assert r.status_code == 404
    finally:
        client.app.state.engine.dispose()


def test_the_notice_shows_even_when_the_help_lines_cannot_be_read(tmp_path, monkeypatch) -> None:
    from parent_portal import device_link

    def broken() -> None:
        raise RuntimeError("help lines gone")

    monkeypatch.setattr(device_link, "_desk", broken)
    client = make_portal(f"sqlite:///{tmp_path}/portal.db")
    try:
        parent = Parent(client)
        parent.register("mama")
        child_id = parent.add_child("小明", 2016)
        support_event(client, child_id, 1, utcnow())
        page = client.get("/").text
        assert f"小明 {NOTICE_ZH}" in page and "tel:" not in page  # the notice without lines, never no notice
    finally:
        client.app.state.engine.dispose()


# A device coalesces a repeat within a minute into one row; the bridge sends data["count"] when above 1.
MALFORMED_COUNTS = [-4, 0, MAX_EVENT_COUNT + 1, 10**30, "7", 2.5, True, None, [3], {"n": 3}]


@pytest.mark.parametrize("count", MALFORMED_COUNTS)
def test_a_malformed_count_is_one(count) -> None:  # noqa: ANN001
    assert occurrences({"count": count}) == 1


def test_a_count_is_its_occurrences() -> None:
    assert occurrences({}) == 1 and occurrences(None) == 1 and occurrences("x") == 1  # older devices: no count
    assert occurrences({"count": 2}) == 2 and occurrences({"count": MAX_EVENT_COUNT}) == MAX_EVENT_COUNT


def test_the_notice_and_the_blocked_chart_count_occurrences(portal_db_url) -> None:
    client = make_portal(portal_db_url)
    try:
        parent = Parent(client)
        parent.register("mama")
        child_id = parent.add_child("小红", 2015)
        support_event(client, child_id, 1, utcnow() - timedelta(hours=3), count=2)
        support_event(client, child_id, 2, utcnow() - timedelta(hours=2))  # no count: 1
        for seq, bad in enumerate(MALFORMED_COUNTS, start=3):  # never a crash, never inflated: 1 each
            support_event(client, child_id, seq, utcnow() - timedelta(hours=1), count=bad)
        page = client.get("/").text
        assert f"小红 {NOTICE_ZH}" in page and f"近 7 天共 {3 + len(MALFORMED_COUNTS)} 次" in page

        for seq, count in ((100, 3), (101, None), (102, -1)):  # the report's blocked-by-category chart: 3 + 1 + 1
            support_event(client, child_id, seq, utcnow(), kind="search_blocked",
                          **({} if count is None else {"count": count}))
        with client.app.state.sessions() as db:
            rep = report.build(db, db.get(Child, child_id), 7)
        assert rep.blocked_series == {"self_harm": [0] * 6 + [5]} and len(rep.blocked) == 3
        assert client.get(f"/children/{child_id}/report").status_code == 200
    finally:
        client.app.state.engine.dispose()
