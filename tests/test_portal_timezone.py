"""A time zone per child: stored, validated, sent in the child's policy (the device's schedule), and used
for "today" on the dashboard, for the report's days and for the times the pages show."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from portal_support import Parent, make_portal, pair_device

from parent_portal.models import Child, Event, UsageDay

EAST, WEST = "Pacific/Kiritimati", "Pacific/Pago_Pago"  # UTC+14 and UTC-11: their dates always differ
FORM = {"weekday_limit_min": "60", "weekend_limit_min": "60", "break_after_min": "30", "break_pause_min": "5",
        "reporting": "counts", "language": "zh"}


class RecordingPublisher:
    """Keeps what the portal would publish (the broker side is tested in test_portal_policy.py)."""

    def __init__(self) -> None:
        self.policies: list[tuple[str, int, dict]] = []

    def publish_policy(self, device_id: str, version: int, doc: dict) -> bool:
        self.policies.append((device_id, version, doc))
        return True


@pytest.fixture
def family(tmp_path):  # noqa: ANN001, ANN201
    publisher = RecordingPublisher()
    client = make_portal(f"sqlite:///{tmp_path}/portal.db", publisher=publisher)
    parent = Parent(client)
    parent.register("mama")
    return client, parent, publisher


def save(parent: Parent, child_id: int, zone: str) -> object:
    return parent.post(f"/children/{child_id}/settings", {**FORM, "timezone": zone},
                       token_from=f"/children/{child_id}")


def test_each_child_has_its_own_zone_in_the_policy_and_on_the_page(family) -> None:
    client, parent, publisher = family
    east, west = parent.add_child("小东", 2015), parent.add_child("小西", 2015)
    pair_device(parent, east, "east-1")
    pair_device(parent, west, "west-1")
    assert save(parent, east, EAST).status_code == 303
    assert save(parent, west, WEST).status_code == 303
    latest = {device: doc for device, _version, doc in publisher.policies}
    assert latest["east-1"]["timezone"] == EAST and latest["west-1"]["timezone"] == WEST
    assert f'value="{EAST}"' in client.get(f"/children/{east}").text
    assert WEST in client.get("/").text and WEST in client.get(f"/children/{west}/report").text


def test_a_bad_zone_is_refused_and_nothing_is_stored(family) -> None:
    client, parent, publisher = family
    child_id = parent.add_child("小明", 2015)
    for bad in ("Mars/Olympus_Mons", "../../etc/passwd", "", "Asia/Shanghai\x00"):
        r = save(parent, child_id, bad)
        assert r.status_code == 400, bad
        assert "Asia/Shanghai" in r.text or "时区" in r.text
    with client.app.state.sessions() as db:
        child = db.get(Child, child_id)
        assert (child.timezone, child.policy_version) == ("Asia/Shanghai", 0)
    assert publisher.policies == []


def test_today_and_report_days_follow_each_childs_zone(family) -> None:
    client, parent, _ = family
    east, west = parent.add_child("小东", 2015), parent.add_child("小西", 2015)
    save(parent, east, EAST)
    save(parent, west, WEST)
    now = datetime.now(UTC)
    east_today, west_today = now.astimezone(ZoneInfo(EAST)).date(), now.astimezone(ZoneInfo(WEST)).date()
    assert east_today != west_today
    with client.app.state.sessions() as db:
        for child_id, device, today, other in ((east, "e", east_today, west_today), (west, "w", west_today,
                                                                                      east_today)):
            db.add(UsageDay(child_id=child_id, device_id=device, day=today, used_s=30 * 60))
            db.add(UsageDay(child_id=child_id, device_id=device, day=other, used_s=99 * 60))
        # one block an hour after the east child's local midnight: that day in the east child's report
        midnight = datetime.combine(east_today, datetime.min.time(), ZoneInfo(EAST))
        db.add(Event(child_id=east, device_id="e", msg_id="1", kind="search_blocked", category="gambling",
                     rule="lexicon:core:赌博", at=(midnight + timedelta(hours=1)).astimezone(UTC)))
        db.commit()
    dashboard = client.get("/").text
    assert dashboard.count("今天：已用 30 / 60 分钟") == 2, dashboard  # each child's own today, not 99
    report = client.get(f"/children/{east}/report").text
    assert f"{east_today:%Y-%m-%d} 01:00" in report  # shown in the child's zone, not the portal's

